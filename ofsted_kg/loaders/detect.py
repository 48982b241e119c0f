"""Tell which kind of report a document is, from its title block.

The first lines of every kind name it in fixed words ("Area SEND inspection of",
"Inspection of services for children in need of help and protection ...",
"Inspection of X local authority children's services"). Anything else is
refused with a reason that says what the document is, when that can be told,
so a user knows why a file in their download folder was skipped.
"""

from __future__ import annotations

import re

from ..errors import ReportError
from .text import Document, head_text

_HEAD_LINES = 40
_SALUTATION = re.compile(r"^\W*dear\s+\w", re.I)

# (kind, pattern over the joined head text); the first match wins.
_KINDS: list[tuple[str, re.Pattern[str]]] = [
    ("area-send", re.compile(r"area send (inspection|re-?inspection)|local area partnership report", re.I)),
    (
        "sif",
        re.compile(r"inspection of services for children in need of help and protection,? children looked after", re.I),
    ),
    (
        "ilacs",
        re.compile(
            r"inspection of ([\w ,.'&-]+ )?(local authority children's services|children's social care services)",
            re.I,
        ),
    ),
    (
        "lac",
        re.compile(
            r"inspection of (?:local authority )?(?:services for )?(?:safeguarding and )?looked after children"
            r"|looked after children(?:'s)? services inspection",
            re.I,
        ),
    ),
]

# Documents that are not graded inspections of local areas, with what to call them.
_NOT_REPORTS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"report not found|page not found|404", re.I), 'an Ofsted "Report not found" web page'),
    (re.compile(r"\bmonitoring visit\b", re.I), "a monitoring visit letter, not a graded inspection"),
    (re.compile(r"\bmonitoring inspection of\b", re.I), "a monitoring inspection, not a graded full inspection"),
    (re.compile(r"\bfocused visit\b", re.I), "a focused visit letter, not a graded inspection"),
    (re.compile(r"joint targeted area inspection", re.I), "a joint targeted area inspection letter"),
    (
        re.compile(r"review of the effectiveness of the local safeguarding children board", re.I),
        "a review of a Local Safeguarding Children Board on its own, not an inspection of children's services",
    ),
    (
        re.compile(r"school report|unique reference number|\binspection of [\w ' -]+ (school|academy|college)\b", re.I),
        "an Ofsted report of another kind (a school or provider inspection)",
    ),
    (
        re.compile(r"children's home|inspection of a registered (adoption|fostering)", re.I),
        "an Ofsted report of another kind (a social care provider inspection)",
    ),
]


# Titles of visits that are not graded inspections; full reports mention a future monitoring
# inspection in their outcome, so only the title lines are read for these.
_VISIT_TITLE = re.compile(r"monitoring (?:inspection|visit)|focused visit|joint targeted area inspection", re.I)
_TITLE_LINES = 4


def detect(doc: Document) -> str:
    """The report kind (one of records.INSPECTION_TYPES), or a ReportError saying what it is instead."""
    head = head_text(doc.lines, _HEAD_LINES)
    title = " ".join([line for line in doc.lines[:_HEAD_LINES] if line][:_TITLE_LINES])
    graded = not _is_letter(doc) and not _VISIT_TITLE.search(title)
    if (doc.source_format != "html" or not doc.misnamed) and graded:
        for kind, pattern in _KINDS:
            if pattern.search(head):
                return kind
    what = _describe_other(doc, head)
    if doc.misnamed:
        raise ReportError(doc.path, f"not an inspection report ({what} saved as .pdf)")
    raise ReportError(doc.path, f"not an inspection report ({what})")


def _is_letter(doc: Document) -> bool:
    """Monitoring, focused-visit and JTAI letters quote report titles in their body; a salutation gives them away."""
    return any(_SALUTATION.match(line) for line in doc.lines[:_HEAD_LINES])


def _describe_other(doc: Document, head: str) -> str:
    for pattern, what in _NOT_REPORTS:
        if pattern.search(head):
            return what
    if _is_letter(doc):
        return "a letter, not a graded inspection report"
    if doc.source_format == "html":
        return "a web page that is not an inspection report"
    return "no area SEND or children's services inspection title found in its first lines"
