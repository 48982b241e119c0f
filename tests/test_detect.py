"""Recognising each report kind from its title block, and naming what other documents are."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import BAD, EXAMPLES

from ofsted_kg.errors import ReportError
from ofsted_kg.loaders import load_report
from ofsted_kg.loaders.detect import detect
from ofsted_kg.loaders.text import read_document


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("oldham-2023-08-29.pdf", "area-send"),
        ("halton-area-send-2023.txt", "area-send"),
        ("bolton-area-send-2024.md", "area-send"),
        ("oldham-2024-07-12.pdf", "ilacs"),
        ("bolton-childrens-services-2018.md", "ilacs"),
    ],
)
def test_report_kinds(name: str, kind: str) -> None:
    assert detect(read_document(EXAMPLES / name)) == kind


def test_report_not_found_page_is_named() -> None:
    with pytest.raises(ReportError) as err:
        detect(read_document(BAD / "report-not-found.pdf"))
    assert str(err.value) == (
        'report-not-found.pdf: not an inspection report (an Ofsted "Report not found" web page saved as .pdf)'
    )


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Monitoring visit to Bury children's services\nDear Ms Smith", "monitoring visit"),
        ("Focused visit to Oldham local authority children's services\nDear Ms Smith", "focused visit"),
        (
            "Area SEND monitoring inspection of Bury Local Area Partnership\nInspection dates: 1 to 3 May 2025",
            "a monitoring inspection, not a graded full inspection",
        ),
        ("School report\nInspection of Hilltop Primary School\nUnique reference number: 100000", "school"),
        (
            "Surrey Safeguarding Children Board\nReview of the effectiveness of the Local Safeguarding Children Board",
            "Local Safeguarding Children Board on its own",
        ),
        ("A shopping list\neggs\nmilk", "no area SEND or children's services inspection title"),
    ],
)
def test_other_documents_are_refused_with_what_they_are(tmp_path: Path, text: str, reason: str) -> None:
    path = tmp_path / "other.txt"
    path.write_text(text)
    with pytest.raises(ReportError, match=reason):
        detect(read_document(path))


@pytest.mark.parametrize(
    "title",
    [
        "Blackpool\nInspection of services for looked after children\nInspection dates: 11 to 22 June 2012",
        "Inspection of looked after children services\nBlackpool Borough Council",
        "Inspection of safeguarding and looked after children services\nBlackpool",
    ],
)
def test_looked_after_children_inspections_of_2012_13(tmp_path: Path, title: str) -> None:
    path = tmp_path / "lac.txt"
    path.write_text(title + "\nOverall effectiveness: Adequate\n")
    assert detect(read_document(path)) == "lac"


def test_a_document_that_only_mentions_an_inspection_is_refused(tmp_path: Path) -> None:
    # The project's own README names both kinds of inspection in its first lines; so can anyone's notes, whose
    # heading here even names an authority (Reading).
    notes = tmp_path / "notes.md"
    notes.write_text("# Reading list\n\nEvery area SEND inspection report of the region, and what they found.\n")
    for document in (notes, Path(__file__).resolve().parents[1] / "README.md"):
        with pytest.raises(ReportError, match="gives no inspection dates, findings or inspection team"):
            load_report(document)
