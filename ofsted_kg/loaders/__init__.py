"""Loaders: report file -> clean text -> kind -> typed records.

`load_report` is the one entry point the pipeline calls; each report kind has
its own parser module with a `parse(doc, kind)` function.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import ReportError
from ..records import Inspection, Report
from . import area_send, childrens_services
from .detect import detect
from .text import Document, read_document

_PARSERS = {
    "area-send": area_send.parse,
    "ilacs": childrens_services.parse,
    "sif": childrens_services.parse,
    "lac": childrens_services.parse,
}


def load_report(path: Path) -> tuple[Report, Inspection]:
    """Read, recognise and parse one report file; raises ReportError for anything unloadable."""
    doc = read_document(path)
    kind = detect(doc)
    inspection = _PARSERS[kind](doc, kind)
    _check_identified(doc, kind, inspection)
    report = Report(
        file_name=path.name,
        sha256=doc.sha256,
        page_count=doc.page_count,
        source_format=doc.source_format,
        kind=kind,
        title=report_title(doc),
        published=inspection.published,
    )
    return report, inspection


def _check_identified(doc: Document, kind: str, inspection: Inspection) -> None:
    """Refuse a document whose first lines name a kind of inspection but which holds none of one.

    Notes, a README or a guide can mention "area SEND inspection" near their top (and a heading such as
    "Reading list" names an authority). A report always gives its inspection dates, its findings and its
    team; a document with none of them would be an inspection of nothing, and two would share one IRI."""
    if inspection.start_date or inspection.findings or inspection.team:
        return
    what = "an area SEND inspection" if kind == "area-send" else "a children's services inspection"
    raise ReportError(
        doc.path,
        f"not an inspection report (its first lines mention {what}, but it gives no inspection dates, "
        "findings or inspection team)",
    )


def report_title(doc: Document) -> str | None:
    """The report's title: its first substantial lines, up to the dates line."""
    parts: list[str] = []
    for line in doc.lines[:12]:
        if not line or line.isdigit():
            continue
        if line.lower().startswith(("inspection date", "dates of", "lead inspector", "report published")):
            break
        if line.startswith(("#", "**")):
            line = line.lstrip("#* ").rstrip("* ")
        parts.append(line)
        if len(" ".join(parts)) > 160:
            break
    return " ".join(parts) or None


__all__ = ["Document", "detect", "load_report", "read_document"]
