"""The children's services parser (ILACS, SIF, LAC) on real reports.

The fixtures are three real reports, one per layout; the values asserted were
read in the reports themselves. Where the shared corpus and gold records are
present (the project's working tree), every children's services report and the
Bolton seed are compared with their gold records too.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from conftest import EXAMPLES
from hypothesis import given
from hypothesis import strategies as st

from ofsted_kg.errors import ReportError
from ofsted_kg.loaders import load_report
from ofsted_kg.loaders.childrens_services import (
    _sentences,
    findings_of,
    grade_of,
    judgements_of,
    plain_lines,
    team_of,
)
from ofsted_kg.loaders.text import read_document
from ofsted_kg.records import Inspection

FIXTURES = Path(__file__).parent / "fixtures" / "childrens-services"
SHARED = Path(__file__).resolve().parents[2] / "shared"
needs_corpus = pytest.mark.skipif(not (SHARED / "corpus").exists(), reason="shared corpus not present")
WEAKNESS_KINDS = ("weakness", "priority-action", "area-for-improvement")


def load(name: str) -> Inspection:
    return load_report(FIXTURES / name)[1]


def grades(inspection: Inspection) -> dict[str, str]:
    return {j.area: j.grade for j in inspection.judgements}


def kinds(inspection: Inspection) -> Counter[str]:
    return Counter(finding.kind for finding in inspection.findings)


# --- ILACS 2018-22: Wiltshire 2019 -------------------------------------------------


def test_ilacs_2019_title_dates_and_lead():
    wiltshire = load("wiltshire-2019-07-22.pdf")
    assert wiltshire.inspection_type == "ilacs"
    assert (wiltshire.local_authority, wiltshire.la_code) == ("Wiltshire", "E06000054")
    assert wiltshire.authority_as_printed == "Wiltshire Council"
    assert (wiltshire.start_date, wiltshire.end_date) == (date(2019, 6, 3), date(2019, 6, 19))
    assert [(m.name, m.inspectorate, m.lead) for m in wiltshire.team] == [("Steve Lowe", "Ofsted", True)]


def test_ilacs_2019_combined_children_in_care_judgement():
    wiltshire = load("wiltshire-2019-07-22.pdf")
    assert grades(wiltshire) == {
        "overall": "good",
        "leadership": "good",
        "help_and_protection": "good",
        "children_in_care": "good",
    }
    assert wiltshire.outcome == "good"


def test_ilacs_what_needs_to_improve_are_weaknesses_with_exact_text():
    weaknesses = [f for f in load("wiltshire-2019-07-22.pdf").findings if f.kind == "weakness"]
    assert weaknesses[0].text == "Raising awareness of private fostering in the local community."
    assert weaknesses[-1].text == "The quality of social work supervision."
    assert [f.order for f in weaknesses] == [1, 2, 3, 4, 5]
    assert {f.section for f in weaknesses} == {"What needs to improve"}


def test_ilacs_numbered_paragraphs_are_narrative_under_their_judgement():
    wiltshire = load("wiltshire-2019-07-22.pdf")
    first = next(f for f in wiltshire.findings if f.kind == "narrative")
    assert first.section == "The experiences and progress of children who need help and protection: Good"
    assert first.order == 1
    assert first.text.startswith("Children and young people in Wiltshire benefit from increasingly timely")
    assert first.location is not None and first.location.page == 3


# --- ILACS 2023+: Bexley 2023 --------------------------------------------------------


@pytest.mark.parametrize("gap", ["\n", "\n\n"])
def test_a_paragraph_number_on_a_line_of_its_own_still_numbers_its_paragraph(tmp_path: Path, gap: str) -> None:
    """Some conversions set the numbers in a column of their own: "5." alone, then the paragraph. Missed, the
    numbering stopped there, and every paragraph after it was lost."""
    seed = Path(__file__).parents[1] / "examples" / "reports" / "bolton-childrens-services-2018.md"
    text = seed.read_text(encoding="utf-8")
    apart = tmp_path / "bolton.md"
    apart.write_text(re.sub(r"^(5|6|20)\. ", lambda m: f"{m.group(1)}.{gap}", text, flags=re.M), encoding="utf-8")
    assert apart.read_text(encoding="utf-8").count(f"\n5.{gap}Strategy") == 1
    before, after = load_report(seed)[1].findings, load_report(apart)[1].findings
    assert [(f.kind, f.section, " ".join(f.text.split())) for f in after] == [
        (f.kind, f.section, " ".join(f.text.split())) for f in before
    ]


@pytest.mark.parametrize("fixture", ["wiltshire-2019-07-22.pdf", "bexley-2023-03-24.pdf", "bexley-2014-05-23.pdf"])
def test_a_paragraph_that_lost_its_number_costs_that_paragraph_alone(tmp_path: Path, fixture: str) -> None:
    """A number the text lost (joined to the line above, misread) stopped the numbering: every paragraph after
    it was joined to the one before (one report lost 25 of its 36). Now only that paragraph goes, into the one
    above it."""
    text = read_document(FIXTURES / fixture).text
    before = [f.text for f in load_text(tmp_path, text).findings]
    number = re.compile(r"\d{1,3}\. ")
    found = [f.location for f in load(fixture).findings if f.order > 1]  # a paragraph after another
    spans = [(mark.start(), mark.end()) for where in found if (mark := number.match(text, where.start))]
    assert len(spans) > 20
    for start, end in spans[::7]:
        after = [f.text for f in load_text(tmp_path, text[:start] + text[end:]).findings]
        assert len(after) == len(before) - 1, text[start : start + 40]
        assert len(set(before) - set(after)) == 2, text[start : start + 40]  # the paragraph, and the one it joined


def test_a_sentence_wrapped_before_a_number_does_not_open_a_paragraph(tmp_path: Path) -> None:
    """ "... aged 18 to" / "25. Their ...": a number near the next one, at the start of a line, but no sentence or
    heading ends above it."""
    text = read_document(FIXTURES / "wiltshire-2019-07-22.pdf").text
    wrapped = "appropriately. Strategy\n7. Meetings result in clear"
    changed = text.replace("appropriately. Strategy\nmeetings result in clear", wrapped)
    assert changed != text
    before, after = load_text(tmp_path, text).findings, load_text(tmp_path, changed).findings
    assert len(after) == len(before)
    assert any("Strategy 7. Meetings result in clear" in " ".join(f.text.split()) for f in after)


def test_a_grade_read_past_its_columns_header() -> None:
    """Laid out as some conversions print the table, the "Grade" header stands between the first label and its grade."""
    lines = [
        "Judgement",
        "Impact of leaders on social work practice with children and families",
        "Grade",
        "Good",
        "The experiences and progress of children who need help and protection",
        "Requires improvement to be good",
    ]
    found = {j.area: j.grade for j in judgements_of(lines, "ilacs")}
    assert found == {"leadership": "good", "help_and_protection": "requires-improvement"}


def test_ilacs_2023_splits_children_in_care_and_care_leavers():
    bexley = load("bexley-2023-03-24.pdf")
    assert bexley.authority_as_printed == "Bexley"
    assert (bexley.start_date, bexley.end_date) == (date(2023, 2, 6), date(2023, 2, 10))
    assert [(m.name, m.lead) for m in bexley.team] == [("Tom Anthony", True)]
    assert grades(bexley) == {
        "overall": "outstanding",
        "leadership": "outstanding",
        "help_and_protection": "good",
        "children_in_care": "good",
        "care_leavers": "outstanding",
    }
    assert kinds(bexley)["weakness"] == 2
    sections = {f.section for f in bexley.findings if f.kind == "narrative"}
    assert "The experiences and progress of care leavers: outstanding" in sections


# --- SIF: Bexley 2014 ----------------------------------------------------------------


def test_sif_judgements_with_sub_judgements_and_lscb():
    bexley = load("bexley-2014-05-23.pdf")
    assert bexley.inspection_type == "sif"
    assert bexley.authority_as_printed == "London Borough of Bexley"
    assert (bexley.start_date, bexley.end_date) == (date(2014, 3, 11), date(2014, 4, 2))
    assert bexley.published == date(2014, 5, 23)
    assert grades(bexley) == {
        "overall": "requires-improvement",
        "leadership": "requires-improvement",
        "help_and_protection": "requires-improvement",
        "children_in_care": "requires-improvement",
        "care_leavers": "requires-improvement",
        "adoption": "requires-improvement",
        "lscb": "inadequate",
    }


def test_sif_inspection_team_with_roles_as_printed():
    team = load("bexley-2014-05-23.pdf").team
    assert [(m.name, m.role) for m in team if m.lead] == [("Pietro Battista", "Lead inspector")]
    assert [m.name for m in team if not m.lead] == [
        "Jansy Kelly",
        "Shirley Bailey",
        "Linda Steele",
        "Stephanie Murray",
        "Christine Williams",
        "Pamela Blackman",
        "Wendy Ratcliff",
        "Fiona Parker",
    ]
    assert {m.role for m in team if not m.lead} == {"Team inspectors"}


def test_sif_areas_for_improvement_strengths_and_no_priority_actions():
    bexley = load("bexley-2014-05-23.pdf")
    # "The inspection did not find any areas for priority and immediate action." is not an action
    assert kinds(bexley)["priority-action"] == 0
    assert kinds(bexley)["area-for-improvement"] == 34
    assert kinds(bexley)["strength"] == 9
    first = next(f for f in bexley.findings if f.kind == "area-for-improvement")
    assert first.text == (
        "Ensure that the thresholds for access to children's social care services are clear, "
        "understood and consistently applied by all relevant agencies."
    )
    assert (first.section, first.order, first.location.page) == ("Areas for improvement", 1, 6)


def test_sif_earlier_grades_quoted_in_the_report():
    earlier = load("bexley-2014-05-23.pdf").earlier_grades
    assert (earlier[0].grade, earlier[0].year) == ("inadequate", 2012)
    assert "safeguarding arrangements was in July 2012" in earlier[0].text


# --- pieces on text the fixtures do not have -------------------------------------------


@pytest.mark.parametrize(
    ("printed", "grade"),
    [
        ("Requires improvement to be good", "requires-improvement"),
        ("require improvement", "requires-improvement"),
        ("Adequate", "adequate"),
        ("Inadequate", "inadequate"),
    ],
)
def test_grades_are_normalised(printed: str, grade: str):
    assert grade_of(printed) == grade


def test_table_with_a_grade_breaking_into_a_label():
    lines = [
        "Inspection of X local authority children's services",
        "The experiences and progress of children who need help and",
        "Requires improvement to be good",
        "protection",
        "Overall effectiveness Inadequate",
    ]
    assert {(j.area, j.grade) for j in judgements_of(lines, "ilacs")} == {
        ("help_and_protection", "requires-improvement"),
        ("overall", "inadequate"),
    }


def test_team_list_wrapped_over_lines_without_titles():
    lines = [
        "Lead inspector: Sarah Urding HMI",
        "Deputy lead inspector: Rob Hackeson HMI",
        "Team inspectors: Janet Fraser HMI, Ty Yousaf (Seconded",
        "Inspector), Paula Thomson- Jones, Sean Tarpey, Acting Senior HMI",
        "Quality assurance manager: Bob Morton Senior HMI",
    ]
    assert [(m.name, m.lead) for m in team_of(lines)] == [
        ("Sarah Urding", True),
        ("Rob Hackeson", False),
        ("Janet Fraser", False),
        ("Ty Yousaf", False),
        ("Paula Thomson-Jones", False),
        ("Sean Tarpey", False),
    ]


def test_a_long_subheading_above_an_item_ends_the_item_before_it(tmp_path: Path):
    # Lines of Halton's 2015 report (items renumbered from 14): the subheading above item 4 is almost as
    # long as a full line, and ends no sentence. It must not become the end of item 3.
    report = tmp_path / "halton.txt"
    report.write_text(
        "What does the local authority need to improve?\n"
        "Areas for improvement\n"
        "1. Ensure that young people who life-story work need receive it in a timely way.\n"
        "2. Ensure that awareness raising of private fostering is sufficiently targeted within\n"
        "communities and amongst those working with children and families, and that it\n"
        "links to existing work on child sexual exploitation (CSE).\n"
        "Educational outcomes\n"
        "3. Further develop the role of the headteacher of the virtual school to ensure that\n"
        "secondary schools are held to account fully for the attainment and progress of\n"
        "their children in care, and for reducing the number subject to fixed period\n"
        "exclusion.\n"
        "Children and young people's participation and access to information\n"
        "4. Strengthen the participation of children and young people within child in need\n"
        "and child protection processes, in particular, their attendance at child protection\n"
        "core groups and conferences and their take-up of advocacy services.\n"
    )
    doc = read_document(report)
    texts = [f.text for f in findings_of(doc, plain_lines(doc))]
    assert len(texts) == 4
    assert texts[1].endswith("child sexual exploitation (CSE).")
    assert texts[2].endswith("for reducing the number subject to fixed period exclusion.")
    assert texts[3].startswith("Strengthen the participation of children and young people")


def test_letters_are_not_read_as_inspections(tmp_path: Path):
    letter = tmp_path / "monitoring-visit.txt"
    letter.write_text(
        "Ofsted\nPiccadilly Gate\n\nDear Ms Smith\n\nMonitoring visit to Bolton children's services\n\n"
        "Since the inspection of Bolton local authority children's services in 2023, when it was judged inadequate.\n"
    )
    with pytest.raises(ReportError, match="monitoring visit"):
        load_report(letter)


# --- the whole corpus against the gold -------------------------------------------------


def _gold_records() -> list[dict]:
    folder = SHARED / "gold"
    seed = folder / "seeds" / "bolton-childrens-services-2018.json"
    files = [*sorted((folder / "childrens-services").glob("[!_]*.json")), seed]
    return [json.loads(p.read_text()) for p in files if p.exists()]


def test_an_earlier_grade_quoted_just_below_a_short_reports_table() -> None:
    """Oldham 2024 (a short inspection): the summary under the table quotes the 2019 grade, and the first
    section's heading ("...protection: good") stands within the head; it was taken for the table's last row."""
    oldham = load_report(EXAMPLES / "oldham-2024-07-12.pdf")[1]
    assert [(e.grade, e.year) for e in oldham.earlier_grades] == [("requires-improvement", 2019)]
    assert oldham.earlier_grades[0].text.startswith("Since the last inspection in March 2019")


# --- variants of real reports: wording other reports use, one change at a time -------------------
# Each changes one shape in a fixture's text (saved as plain text, which reads as its PDF).


def variant(tmp_path: Path, fixture: str, *changes: tuple[str, str]) -> Inspection:
    text = read_document(FIXTURES / fixture).text
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new)
    return load_text(tmp_path, text)


def load_text(tmp_path: Path, text: str) -> Inspection:
    """A report's text, changed, loaded as a text file."""
    path = tmp_path / "variant.txt"
    path.write_text(text, encoding="utf-8")
    return load_report(path)[1]


@pytest.mark.parametrize(
    ("lead_line", "names"),
    [
        ("Lead inspector: Lisa van der Walt, His Majesty's Inspector", ["Lisa van der Walt"]),
        ("Lead inspector: Nadia al-Khalili, His Majesty's Inspector", ["Nadia al-Khalili"]),
        ("Lead inspector: Siân O'Neill HMI", ["Siân O'Neill"]),
        ("Lead inspectors: Tom Anthony and Ann Lee, His Majesty's Inspectors", ["Tom Anthony", "Ann Lee"]),
    ],
)
def test_ilacs_leads_of_any_name(tmp_path: Path, lead_line: str, names: list[str]) -> None:
    inspection = variant(
        tmp_path, "bexley-2023-03-24.pdf", ("Lead inspector: Tom Anthony, His Majesty's Inspector", lead_line)
    )
    assert [(m.name, m.lead) for m in inspection.team] == [(name, True) for name in names]


def test_sif_team_with_particles_and_ofsted_inspectors(tmp_path: Path) -> None:
    """Additional Inspectors (AI) became Ofsted Inspectors (OI) in 2015; both are titles, not names."""
    inspection = variant(
        tmp_path,
        "bexley-2014-05-23.pdf",
        (
            "Team inspectors: Jansy Kelly, Shirley Bailey,",
            "Team inspectors: Sarah van der Berg, Jansy Kelly OI, Shirley Bailey AI,",
        ),
    )
    assert [m.name for m in inspection.team if not m.lead][:3] == [
        "Sarah van der Berg",
        "Jansy Kelly",
        "Shirley Bailey",
    ]


def test_sif_team_list_wrapped_onto_names_with_particles_accents_and_honours(tmp_path: Path) -> None:
    """The list's second line is read as more names only if every piece of it reads as a name."""
    inspection = variant(
        tmp_path,
        "bexley-2014-05-23.pdf",
        ("Christine Williams, Pamela Blackman, Wendy Ratcliff", "Émilie de Souza OBE, Pamela Blackman, Wendy Ratcliff"),
    )
    assert [m.name for m in inspection.team if not m.lead][3:] == [
        "Stephanie Murray",
        "Émilie de Souza",
        "Pamela Blackman",
        "Wendy Ratcliff",
        "Fiona Parker",
    ]


# --- the shapes poppler's pdftotext writes: each entry's page number, a grade or a paragraph number on a line of
# its own. Before, a SIF conversion lost every finding or every narrative paragraph.


def test_a_contents_entry_on_a_line_of_its_own_is_not_the_improve_heading(tmp_path: Path) -> None:
    """Greenwich 2016 in pdftotext's shape: the contents' "Recommendations", its page number below it, read as
    the heading of what needs to improve; the real heading was then passed over, and every item with it."""
    pdf = load("bexley-2023-03-24.pdf")
    inspection = variant(
        tmp_path,
        "bexley-2023-03-24.pdf",
        (
            "Inspection dates: 6 to 10 February 2023\n",
            "Inspection dates: 6 to 10 February 2023\nContents\nWhat needs to improve?\n\n4\n",
        ),
    )
    assert kinds(inspection) == kinds(pdf)
    assert kinds(inspection)["weakness"] == 2


def test_a_judgement_heading_with_its_grade_set_apart(tmp_path: Path) -> None:
    pdf = load("bexley-2014-05-23.pdf")
    inspection = variant(
        tmp_path,
        "bexley-2014-05-23.pdf",
        ("help and protection\nrequire improvement", "help and protection\n\nRequire improvement\n"),
    )
    assert kinds(inspection) == kinds(pdf)
    assert [f.text for f in inspection.findings] == [f.text for f in pdf.findings]


def test_a_paragraph_number_alone_above_a_paragraph_that_opens_with_a_quote(tmp_path: Path) -> None:
    """Halton 2024 in pdftotext's shape: "3." alone, then "'Front door' services are...". A number is set before
    its text only when the text starts with a capital; otherwise the number alone must open the item."""
    pdf = load("bexley-2023-03-24.pdf")
    inspection = variant(
        tmp_path, "bexley-2023-03-24.pdf", ("\n3. A consultation phone line", "\n3.\n'A consultation' phone line")
    )
    assert kinds(inspection) == kinds(pdf)
    texts = [f.text for f in inspection.findings if f.kind == "narrative"]
    assert texts[2].startswith("'A consultation' phone line provided by the MASH")


def test_paragraph_numbers_that_start_most_pages_are_not_running_headers(tmp_path: Path) -> None:
    """pdftotext sets a page's first paragraph number alone on the page's first line; masked ("#.") it looks
    the same on every page, as a running header does."""
    pages = [
        f"{n}.\n\nParagraph {n} of the inspection findings, which runs to the next page.\n\n{n}\n" for n in range(1, 7)
    ]
    path = tmp_path / "report.txt"
    path.write_text("\f".join(pages), encoding="utf-8")
    lines = read_document(path).lines
    assert [line for line in lines if line.endswith(".") and line[:-1].isdigit()] == [f"{n}." for n in range(1, 7)]
    assert "6" not in lines  # the page numbers still go


# `pdftotext -layout` keeps a table's columns side by side: the grade stands beside the row's first line.


def test_ilacs_grades_beside_the_first_line_of_their_rows(tmp_path: Path) -> None:
    pdf = load("bexley-2023-03-24.pdf")
    inspection = variant(
        tmp_path,
        "bexley-2023-03-24.pdf",
        (
            "progress of\nchildren who need help and protection\nGood",
            "progress of      Good\nchildren who need help and protection",
        ),
        ("progress of\nchildren in care\nGood", "progress of      Good\nchildren in care"),
    )
    assert grades(inspection) == grades(pdf)


def test_sif_grades_split_around_their_rows(tmp_path: Path) -> None:
    pdf = load("bexley-2014-05-23.pdf")
    inspection = variant(
        tmp_path,
        "bexley-2014-05-23.pdf",
        ("1. Children who need help and protection Requires\n", "Requires\n1. Children who need help and protection\n"),
        ("2.1 Adoption performance Requires\n", "Requires\n2.1 Adoption performance\n"),
    )
    assert grades(inspection) == grades(pdf)


def test_a_judgement_table_with_a_blank_line_between_all_its_lines(tmp_path: Path) -> None:
    """MuPDF's text (`mutool draw -F txt`) sets a blank line after most lines: the table's last rows fell
    outside the report's head, which counted blank lines."""
    pdf = load("bexley-2014-05-23.pdf")
    head = read_document(FIXTURES / "bexley-2014-05-23.pdf").text[:2000]
    inspection = variant(tmp_path, "bexley-2014-05-23.pdf", (head, head.replace("\n", "\n \n")))
    assert grades(inspection) == grades(pdf)


def test_a_plain_text_conversion_with_dash_bullets_keeps_what_needs_to_improve(tmp_path: Path) -> None:
    pdf = load("bexley-2023-03-24.pdf")
    inspection = variant(tmp_path, "bexley-2023-03-24.pdf", ("\n• The ", "\n- The "))
    assert [f.text for f in inspection.findings if f.kind in WEAKNESS_KINDS] == [
        f.text for f in pdf.findings if f.kind in WEAKNESS_KINDS
    ]
    assert kinds(inspection)["weakness"] == 2


@pytest.mark.parametrize(
    ("dates", "start", "end"),
    [
        ("6 to 10 February 2023", date(2023, 2, 6), date(2023, 2, 10)),
        ("30 January to 3 February and 6 to 10 February 2023", date(2023, 1, 30), date(2023, 2, 10)),
        ("30 January 2023 to\n10 February 2023", date(2023, 1, 30), date(2023, 2, 10)),
    ],
)
def test_fieldwork_in_two_parts_or_wrapped(tmp_path: Path, dates: str, start: date, end: date) -> None:
    inspection = variant(
        tmp_path, "bexley-2023-03-24.pdf", ("Inspection dates: 6 to 10 February 2023", f"Inspection dates: {dates}")
    )
    assert (inspection.start_date, inspection.end_date) == (start, end)


@needs_corpus
@pytest.mark.parametrize("gold", _gold_records() if (SHARED / "gold").exists() else [], ids=lambda g: g["file"])
def test_corpus_matches_gold(gold: dict):
    path = SHARED / "corpus" / gold["file"]
    if gold["inspection_type"] == "other":
        with pytest.raises(ReportError):
            load_report(path)
        return
    inspection = load_report(path)[1]
    assert inspection.inspection_type == gold["inspection_type"]
    assert inspection.la_code == gold["la_code"]
    assert str(inspection.start_date) == gold["start_date"] and str(inspection.end_date) == gold["end_date"]
    assert inspection.outcome == gold["outcome"]
    assert grades(inspection) == gold["judgements"]
    people = {(m.name, m.lead) for m in inspection.team}
    assert people == {(p["name"].replace("\u2019", "'"), p["lead"]) for p in gold["inspectors"]}
    count = kinds(inspection)
    assert sum(count[k] for k in WEAKNESS_KINDS) == gold["counts"]["weaknesses"]
    assert count["priority-action"] == gold["counts"]["priority_actions"]


@needs_corpus
def test_bad_inputs_are_named():
    for name in json.loads((SHARED / "gold" / "childrens-services" / "_not-reports.json").read_text()):
        with pytest.raises(ReportError, match="not an inspection report"):
            load_report(SHARED / "corpus" / name)


@given(st.text(alphabet="aZ .!?;\t\u2022\n", max_size=30))
def test_sentences_are_cut_after_each_stop_followed_by_a_capital_or_bullet(text: str) -> None:
    """As splitting on a space that follows a stop and precedes a capital or a bullet would cut them."""
    assert _sentences(text) == re.split(r"(?<=[.!?])\s+(?=[A-Z\u2022])", text)
