"""The area SEND parser on real reports.

The fixtures are two real reports; the values asserted were read in the reports
themselves. Where the shared corpus and gold records are present (the project's
working tree), every area SEND report and seed is compared with its gold too.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from ofsted_kg.loaders import load_report
from ofsted_kg.loaders.area_send import next_steps, outcome, people, split_bodies, split_row_line, team
from ofsted_kg.loaders.text import read_document
from ofsted_kg.records import Inspection
from ofsted_kg.reference import reference

FIXTURES = Path(__file__).parent / "fixtures" / "area-send"
SHARED = Path(__file__).resolve().parents[2] / "shared"
needs_corpus = pytest.mark.skipif(not (SHARED / "corpus").exists(), reason="shared corpus not present")


def load(path: Path) -> Inspection:
    return load_report(path)[1]


def counts(inspection: Inspection) -> Counter[str]:
    return Counter(finding.kind for finding in inspection.findings)


def holder(inspection: Inspection, role: str) -> list[str]:
    return [person.name for person in inspection.people if person.role == role]


# --- the fixtures, against values read in the reports ------------------------------


@pytest.fixture(scope="module")
def wiltshire() -> Inspection:
    return load(FIXTURES / "wiltshire-2024-12-06.pdf")


@pytest.fixture(scope="module")
def lancashire() -> Inspection:
    return load(FIXTURES / "lancashire-2025-02-12.pdf")


def test_partnership_is_resolved_to_reference_codes(wiltshire: Inspection) -> None:
    assert (wiltshire.local_authority, wiltshire.la_code) == ("Wiltshire", "E06000054")
    assert wiltshire.authority_as_printed == "Wiltshire Council"
    assert wiltshire.icbs == ["NHS Bath and North East Somerset, Swindon and Wiltshire Integrated Care Board"]
    assert wiltshire.icb_codes == ["QOX"]


def test_a_paragraph_whose_last_line_is_full_ends_where_the_page_leaves_a_space(wiltshire: Inspection) -> None:
    """Page 2: the paragraph ending "...above the national average in Wiltshire." fills its last line, and the
    text layer has no paragraph marks; the space the page leaves below it ends it (they were one finding)."""
    texts = [f.text for f in wiltshire.findings]
    first = next(t for t in texts if t.startswith("For children and young people with more complex needs"))
    assert first.endswith("the attendance of pupils with SEND being above the national average in Wiltshire.")
    assert any(t.startswith("Some children and young people can wait too long to be seen") for t in texts)


def test_dates_come_from_the_header(wiltshire: Inspection, lancashire: Inspection) -> None:
    assert (wiltshire.start_date, wiltshire.end_date) == (date(2024, 10, 14), date(2024, 10, 18))
    assert (wiltshire.previous_start_date, wiltshire.previous_end_date) == (date(2018, 1, 29), date(2018, 2, 2))
    assert (lancashire.start_date, lancashire.end_date) == (date(2024, 12, 9), date(2024, 12, 13))
    assert (lancashire.previous_start_date, lancashire.previous_end_date) == (date(2020, 3, 9), date(2020, 3, 12))


def test_dates_set_a_blank_line_below_their_labels(tmp_path: Path) -> None:
    """As a conversion of the report to text may set them."""
    seed = Path(__file__).parents[1] / "examples" / "reports" / "bury-area-send-2024.txt"
    text = seed.read_text(encoding="utf-8")
    moved = tmp_path / "bury.txt"
    moved.write_text(
        text.replace("Inspection dates: 12 to", "Inspection dates:\n\n12 to").replace(
            "Dates of previous inspection: 13", "Dates of previous inspection:\n\n13"
        ),
        encoding="utf-8",
    )
    assert moved.read_text(encoding="utf-8") != text
    original, found = load(seed), load(moved)
    assert (found.start_date, found.end_date) == (date(2024, 2, 12), date(2024, 2, 16))
    assert (found.previous_start_date, found.previous_end_date) == (date(2019, 5, 13), date(2019, 5, 15))
    assert (original.start_date, original.previous_start_date) == (found.start_date, found.previous_start_date)


def test_markdown_headings_written_as_html_are_headings(tmp_path: Path) -> None:
    """Some converters write Markdown headings as HTML; read as text, every section after them was lost."""
    seed = Path(__file__).parents[1] / "examples" / "reports" / "bolton-area-send-2024.md"
    text = seed.read_text(encoding="utf-8")
    as_html = tmp_path / "bolton.md"
    as_html.write_text(re.sub(r"^## (.+)$", r"<h2><b>\1</b></h2>", text, flags=re.M), encoding="utf-8")
    assert as_html.read_text(encoding="utf-8").count("<h2>") == 9
    before, after = load(seed), load(as_html)
    assert [(f.kind, f.text) for f in after.findings] == [(f.kind, f.text) for f in before.findings]
    assert [m.name for m in after.team] == [m.name for m in before.team]


def test_outcome_and_next_steps(wiltshire: Inspection, lancashire: Inspection) -> None:
    assert wiltshire.outcome == "positive"
    assert wiltshire.next_steps == [
        "next full inspection within five years",
        "strategic plan to be updated and published",
    ]
    assert lancashire.outcome == "systemic-failings"
    assert lancashire.next_steps == [
        "monitoring inspection within approximately 18 months",
        "next full inspection within approximately three years",
        "priority action plan required",
    ]


def test_team_read_from_two_interleaved_columns(wiltshire: Inspection) -> None:
    members = {(m.name, m.inspectorate, m.lead) for m in wiltshire.team}
    assert members == {
        ("Matthew Barnes", "Ofsted", True),
        ("Sarah Canto", "Ofsted", False),
        ("Paul Bagnall", "Ofsted", False),
        ("David Roberts", "CQC", True),
        ("Dan Carrick", "CQC", False),
        ("Jess Taylor-Beirne", "CQC", False),
    }
    assert wiltshire.team[0].role == "Ofsted HMI, Lead inspector"


def test_people_in_post(wiltshire: Inspection, lancashire: Inspection) -> None:
    assert holder(wiltshire, "dcs") == ["Darryl Freeman"]  # names without posts in this table
    assert holder(wiltshire, "icb-chief-executive") == ["Sue Harriman"]
    dcs = next(p for p in lancashire.people if p.role == "dcs")
    assert (dcs.name, dcs.post, dcs.organisation) == (
        "Jacqui Old",
        "Executive Director of Education and Children's Services",
        "local-authority",
    )
    assert holder(lancashire, "icb-chief-executive") == ["Kevin Lavery"]


def test_finding_counts(wiltshire: Inspection, lancashire: Inspection) -> None:
    # narrative: the five paragraphs of page 2's "What is it like..." (four before paragraph ends were read
    # from the page's spacing: two of them ran together)
    assert counts(wiltshire) == Counter({"strength": 9, "weakness": 4, "area-for-improvement": 2, "narrative": 5})
    assert {k: v for k, v in counts(lancashire).items() if k != "narrative"} == {
        "strength": 10,
        "weakness": 15,
        "priority-action": 3,
        "area-for-improvement": 2,
    }


def test_findings_keep_text_order_and_location(lancashire: Inspection) -> None:
    strengths = [f for f in lancashire.findings if f.kind == "strength"]
    assert [f.order for f in strengths] == list(range(1, 11))
    assert strengths[0].section == "What is the area partnership doing that is effective?"
    assert all(f.location and f.location.start < f.location.end for f in lancashire.findings)
    improvements = [f for f in lancashire.findings if f.kind == "area-for-improvement"]
    assert improvements[1].text == (
        "Leaders across the partnership should continue to work collaboratively to ensure that young people "
        "with SEND from across the whole of Lancashire are well prepared for adulthood and transition."
    )


def test_a_heading_printed_again_is_not_part_of_a_finding(wiltshire: Inspection, lancashire: Inspection) -> None:
    # The areas for improvement stand in a table whose header row repeats the section's heading: the text
    # layer gives "Areas for improvement" twice, the second time right above the first recommendation.
    first = {
        name: next(f for f in inspection.findings if f.kind == "area-for-improvement")
        for name, inspection in (("wiltshire", wiltshire), ("lancashire", lancashire))
    }
    assert first["wiltshire"].text.startswith("Some children and young people wait too long for assessment")
    assert first["lancashire"].text.startswith("Leaders across the partnership should continue to improve their")
    doc = read_document(FIXTURES / "lancashire-2025-02-12.pdf")
    location = first["lancashire"].location
    assert location and doc.text[location.start : location.end].startswith("Leaders across the partnership")


def test_priority_actions_name_their_responsible_bodies(lancashire: Inspection) -> None:
    actions = [f for f in lancashire.findings if f.kind == "priority-action"]
    assert actions[0].text.startswith("Leaders from the local authority and ICB should urgently work together")
    assert actions[0].text.endswith("across Lancashire.")
    assert actions[0].responsible == ["Lancashire County Council", "NHS Lancashire and South Cumbria ICB"]
    assert actions[2].responsible == ["NHS Lancashire and South Cumbria ICB", "Lancashire County Council"]
    assert all(a.location and a.location.page in (7, 8) for a in actions)


def test_context_names_leadership_changes_and_alternative_provision(wiltshire: Inspection) -> None:
    assert any("new director of children's services" in c for c in wiltshire.context)
    assert any("alternative provision" in c for c in wiltshire.context)


# --- variants of a real report: wording other reports use, one change at a time ------------
# The parser was written against the corpus; these are the shapes an unseen report may take, made by
# changing only that shape in the Lancashire fixture's text (saved as plain text, which reads as its PDF).


def variant(tmp_path: Path, *changes: tuple[str, str]) -> Inspection:
    text = read_document(FIXTURES / "lancashire-2025-02-12.pdf").text
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / "variant.txt"
    path.write_text(text, encoding="utf-8")
    return load(path)


_OLD_POST = "Executive Director of Education and Children's Services"


@pytest.mark.parametrize(
    ("written", "name", "post"),
    [
        ("Jacqui Young,", "Jacqui Young", _OLD_POST),  # "Young" is a post word too ("Children and Young People")
        ("Siân Williams,", "Siân Williams", _OLD_POST),
        ("Nicola de Souza,", "Nicola de Souza", _OLD_POST),
        ("Jacqui Old (interim),", "Jacqui Old", f"interim {_OLD_POST}"),
        ("Dr Jacqui Old OBE,", "Jacqui Old", _OLD_POST),
    ],
)
def test_a_director_of_any_name_is_the_director(tmp_path: Path, written: str, name: str, post: str) -> None:
    inspection = variant(tmp_path, ("Jacqui Old,", written))
    assert [(p.name, p.post, p.role) for p in inspection.people] == [
        (name, post, "dcs"),
        ("Kevin Lavery", "Chief Executive", "icb-chief-executive"),
    ]


def test_a_director_whose_name_cannot_be_read_is_left_out_not_replaced(tmp_path: Path) -> None:
    """One name fewer than the bodies, and the first post an ICB's: the chief executive is not the director."""
    inspection = variant(tmp_path, ("Jacqui Old, Executive Director of", "JACQUI OLD, Executive Director of"))
    assert [(p.name, p.role) for p in inspection.people] == [("Kevin Lavery", "icb-chief-executive")]


@pytest.mark.parametrize(
    ("printed", "role", "lead"),
    [
        ("Julie Knight, Ofsted Inspector (education)", "Ofsted Inspector (education)", False),
        ("Julie Knight, Ofsted Inspector (OI)", "Ofsted Inspector (OI)", False),
        ("Julie Knight, Ofsted HMI (lead inspector)", "Ofsted HMI (lead inspector)", True),
        ("Julie Knight, CQC Children's Services Inspector", "CQC Children's Services Inspector", False),
    ],
)
def test_a_role_in_words_of_its_own_stays_with_its_inspector(
    tmp_path: Path, lancashire: Inspection, printed: str, role: str, lead: bool
) -> None:
    inspection = variant(tmp_path, ("Julie Knight, Ofsted HMI", printed))
    members = {m.name: m for m in inspection.team}
    assert sorted(members) == sorted(m.name for m in lancashire.team)  # "Kirsty Smith" after it, not "(OI) Kirsty..."
    assert (members["Julie Knight"].role, members["Julie Knight"].lead) == (role, lead)


_LANCASHIRE_BODIES = "Lancashire County Council\nand NHS Lancashire and\nSouth Cumbria ICB"


@pytest.mark.parametrize(
    ("bodies", "responsible"),
    [
        (
            "The Royal Borough of\nGreenwich and NHS South\nEast London ICB",
            ["Royal Borough of Greenwich", "NHS South East London ICB"],
        ),
        (
            "Blackburn with Darwen\nBorough Council and NHS\nLancashire and South\nCumbria ICB",
            ["Blackburn with Darwen Borough Council", "NHS Lancashire and South Cumbria ICB"],
        ),
        (
            "Cornwall Council and\nNHS Cornwall and the\nIsles of Scilly ICB",
            ["Cornwall Council", "NHS Cornwall and the Isles of Scilly ICB"],
        ),
    ],
)
def test_priority_action_rows_whose_bodies_have_lower_case_words(
    tmp_path: Path, lancashire: Inspection, bodies: str, responsible: list[str]
) -> None:
    inspection = variant(tmp_path, (_LANCASHIRE_BODIES, bodies))
    actions = [f for f in inspection.findings if f.kind == "priority-action"]
    assert [f.text for f in actions] == [f.text for f in lancashire.findings if f.kind == "priority-action"]
    assert [f.responsible for f in actions[:2]] == [responsible, responsible]


def test_a_priority_action_without_its_full_stop_ends_where_the_bodies_start_again(
    tmp_path: Path, lancashire: Inspection
) -> None:
    inspection = variant(tmp_path, ("social care across Lancashire.\n", "social care across Lancashire\n"))
    actions = [f.text for f in inspection.findings if f.kind == "priority-action"]
    expected = [f.text for f in lancashire.findings if f.kind == "priority-action"]
    assert actions == [expected[0].rstrip("."), *expected[1:]]


def test_headings_naming_the_local_area_partnership(tmp_path: Path) -> None:
    """The reports say "local area partnership" everywhere but in these two headings; a heading in those words
    filed the weaknesses as strengths, without a word."""
    unchanged = counts(variant(tmp_path))
    inspection = variant(
        tmp_path,
        (
            "What is the area partnership doing that is effective?",
            "What is the local area partnership doing that is effective?",
        ),
        (
            "What does the area partnership need to do better?",
            "What does the local area partnership need to do better?",
        ),
    )
    assert counts(inspection) == unchanged and unchanged["weakness"] == 15


def test_dates_over_two_weeks_and_wrapped_after_to(tmp_path: Path) -> None:
    split = variant(
        tmp_path,
        ("Inspection dates: 9 to 13 December 2024", "Inspection dates: 2 to 4 December and\n9 to 13 December 2024"),
    )
    assert (split.start_date, split.end_date) == (date(2024, 12, 2), date(2024, 12, 13))
    wrapped = variant(
        tmp_path, ("Inspection dates: 9 to 13 December 2024", "Inspection dates: 9 December 2024 to\n13 December 2024")
    )
    assert (wrapped.start_date, wrapped.end_date) == (date(2024, 12, 9), date(2024, 12, 13))


def test_an_icb_by_its_public_name_and_three_icbs_in_one_sentence() -> None:
    bodies = split_bodies(
        "Essex County Council, NHS Mid and South Essex ICB, NHS Suffolk and North East Essex ICB and NHS "
        "Hertfordshire and West Essex ICB"
    )
    assert [b.printed for b in bodies] == [
        "Essex County Council",
        "NHS Mid and South Essex ICB",
        "NHS Suffolk and North East Essex ICB",
        "NHS Hertfordshire and West Essex ICB",
    ]
    assert [(b.kind, b.code) for b in split_bodies("Bolton Council and NHS Greater Manchester Integrated Care")] == [
        ("authority", "E08000001"),
        ("icb", "QOP"),
    ]


# --- the pieces, on lines copied from reports --------------------------------------------


def test_team_layouts() -> None:
    lines = [
        "Rebecca Sharples, Ofsted HMI lead",
        "inspector",
        "Andrea Crosby-Josephs, CQC lead inspector",
        "Una Buckley, HMI, Ofsted Lead inspector Gerry Bates, CQC Lead inspector",
        "Janet Fraser, Ofsted HMI (social care) Lesley Perry, CQC Lead inspector",
        "Mr Adam Sproston HMI, Ofsted Inspector",
    ]
    assert [(m.name, m.inspectorate, m.lead) for m in team(lines)] == [
        ("Rebecca Sharples", "Ofsted", True),
        ("Andrea Crosby-Josephs", "CQC", True),
        ("Una Buckley", "Ofsted", True),
        ("Gerry Bates", "CQC", True),
        ("Janet Fraser", "Ofsted", False),
        ("Lesley Perry", "CQC", True),
        ("Adam Sproston", "Ofsted", False),
    ]


def test_a_post_wrapped_below_both_columns_continues_the_unfinished_one() -> None:
    # The details table of the Bury seed (a text conversion): the authority's post wraps onto a line of its
    # own, below the row that holds both columns.
    lines = [
        "Local Authority Integrated Care Board",
        "Bury Metropolitan Borough Council NHS Greater Manchester ICB",
        "Jeanette Richards, Executive Director of | Mark Fisher, Chief Executive",
        "Children's Services",
        "www.bury.gov.uk www.gmintegratedcare.org.uk",
    ]
    holders = people(lines, ["NHS Greater Manchester Integrated Care Board"])
    assert [(h.name, h.post, h.role) for h in holders] == [
        ("Jeanette Richards", "Executive Director of Children's Services", "dcs"),
        ("Mark Fisher", "Chief Executive", "icb-chief-executive"),
    ]


def test_bodies_split_where_names_contain_and() -> None:
    bodies = split_bodies(
        "Surrey County Council, NHS Surrey Heartlands Integrated Care Board (ICB) and NHS Frimley ICB"
    )
    assert [(b.kind, b.code) for b in bodies] == [("authority", "E10000030"), ("icb", "QXU"), ("icb", "QNQ")]
    assert [b.kind for b in split_bodies("Halton Borough Council and NHS Cheshire and Merseyside ICB")] == [
        "authority",
        "icb",
    ]
    assert split_bodies("Leaders across the partnership") == []


def test_row_lines_split_into_body_and_action() -> None:
    assert split_row_line("Bury Metropolitan Borough", side_by_side=False) == ("Bury Metropolitan Borough", "")
    assert split_row_line("NHS Greater Manchester ICB, including commissioners", side_by_side=False) == (
        "",
        "NHS Greater Manchester ICB, including commissioners",
    )
    assert split_row_line("Halton Borough Council and Leaders at Halton local authority", side_by_side=True) == (
        "Halton Borough Council and",
        "Leaders at Halton local authority",
    )


def test_outcome_wording() -> None:
    assert outcome("arrangements lead to inconsistent experiences and outcomes for children") == "inconsistent"
    assert outcome("There are widespread and/or systemic failings leading to") == "systemic-failings"
    assert outcome("nothing about it") is None
    assert next_steps("The next full area SEND inspection will take place within approximately 3 years.") == [
        "next full inspection within approximately three years"
    ]
    assert next_steps("A monitoring inspection will take place within approximately 18 months.") == [
        "monitoring inspection within approximately 18 months"
    ]


# --- the whole corpus and the seeds, against the gold -------------------------------------


def _golds() -> list[Path]:
    if not (SHARED / "gold").exists():
        return []
    seeds = sorted((SHARED / "gold" / "seeds").glob("*area-send*.json"))
    return sorted((SHARED / "gold" / "area-send").glob("*.json")) + seeds


def _as_list(value) -> list:
    return sorted(value) if isinstance(value, list) else [value]


@needs_corpus
@pytest.mark.parametrize("gold_path", _golds(), ids=lambda p: p.stem)
def test_matches_gold(gold_path: Path) -> None:
    gold = json.loads(gold_path.read_text())
    found = load(SHARED / "corpus" / gold["file"])
    assert found.la_code == gold["la_code"]
    icb_names = [name.removeprefix("NHS ") for name in _as_list(gold["icb"])]
    assert sorted(reference().icbs[c].name.removeprefix("NHS ") for c in found.icb_codes) == sorted(icb_names)
    for field in ("start_date", "end_date", "previous_start_date", "previous_end_date"):
        value = getattr(found, field)
        assert (value.isoformat() if value else None) == gold[field], field
    assert found.outcome == gold["outcome"]
    assert sorted(holder(found, "dcs")) == _as_list(gold["dcs"])
    assert sorted(holder(found, "icb-chief-executive")) == _as_list(gold["icb_chief_executive"])
    assert {(m.name, m.inspectorate, m.lead) for m in found.team} == {
        (p["name"], p["inspectorate"], p["lead"]) for p in gold["inspectors"]
    }
    kinds = counts(found)
    assert {
        "strengths": kinds["strength"],
        "weaknesses": kinds["weakness"],
        "priority_actions": kinds["priority-action"],
        "areas_for_improvement": kinds["area-for-improvement"],
    } == gold["counts"]


@needs_corpus
def test_seed_with_ocr_bullets_reads_like_its_pdf() -> None:
    seed = load(SHARED / "corpus" / "seeds" / "bury-area-send-2024.txt")
    pdf = load(SHARED / "corpus" / "area-send" / "bury-2024-05-07.pdf")
    assert {k: v for k, v in counts(seed).items() if k != "narrative"} == {
        k: v for k, v in counts(pdf).items() if k != "narrative"
    }
    weaknesses = [f for f in seed.findings if f.kind == "weakness"]
    assert weaknesses[0].text.startswith("Many parents, carers and professionals report poor communication")
    assert "in Bury and from the partnership" in weaknesses[0].text  # the bullet broken by a page break


SIDE_BY_SIDE = (
    "Local authority Integrated care board\nLancashire County Council NHS Lancashire and South Cumbria ICB\n"
    "Jacqui Old, Executive Director of\nEducation and Children's Services\nKevin Lavery, Chief Executive\n"
    "www.lancashire.gov.uk www.lancashireandsouthcumbria.icb.nhs.uk\nCounty Hall\nPreston\nLancashire\nPR1 0LD\n"
    "County Hall\nPreston\nLancashire\nPR1 8XB\n"
)
AUTHORITY_COLUMN = (
    "Local authority\nLancashire County Council\nJacqui Old, Executive Director of\nEducation and Children's Services\n"
    "www.lancashire.gov.uk\nCounty Hall\nPreston\nLancashire\nPR1 0LD\n"
)


@pytest.mark.parametrize(
    "icb_column",
    [
        # Bolton 2024 in pdftotext's shape: the web address, then the postal address
        "Integrated care board\nNHS Lancashire and South Cumbria ICB\nKevin Lavery, Chief Executive\n"
        "www.lancashireandsouthcumbria.icb.nhs.uk\nCounty Hall\nPreston\nPR1 8XB\n",
        # Haringey 2024: the postal address first, a building's name among it
        "Integrated care board\nNHS Lancashire and South Cumbria ICB\nKevin Lavery, Chief Executive\n"
        "River Park House\n225 High Road\nPreston\nPR1 8XB\nwww.lancashireandsouthcumbria.icb.nhs.uk\n",
    ],
)
def test_local_area_details_laid_out_one_column_after_the_other(tmp_path: Path, icb_column: str) -> None:
    inspection = variant(tmp_path, (SIDE_BY_SIDE, AUTHORITY_COLUMN + icb_column))
    assert [(p.name, p.post, p.role) for p in inspection.people] == [
        ("Jacqui Old", "Executive Director of Education and Children's Services", "dcs"),
        ("Kevin Lavery", "Chief Executive", "icb-chief-executive"),
    ]


def test_a_text_conversion_whose_footers_stand_apart_reads_like_its_pdf(tmp_path: Path) -> None:
    """pdftotext's shape: each page ends with its footer and number set apart by blank lines, then a form feed.
    The blank lines used up the lines looked at for a footer, and it ran into the findings at page ends."""
    doc = read_document(FIXTURES / "lancashire-2025-02-12.pdf")
    ends = [*doc.page_starts[1:], len(doc.text)]
    footer = "\n\nArea SEND inspection report: Lancashire Local Area Partnership\n9 to 13 December 2024\n\n{}\n\n"
    pages = [
        doc.text[start:end] + footer.format(n)
        for n, (start, end) in enumerate(zip(doc.page_starts, ends, strict=True), 1)
    ]
    path = tmp_path / "lancashire.txt"
    path.write_text("\f".join(pages), encoding="utf-8")
    pdf, text = load(FIXTURES / "lancashire-2025-02-12.pdf"), load(path)
    failings = ("strength", "weakness", "area-for-improvement")
    assert [(f.kind, f.text) for f in text.findings if f.kind in failings] == [
        (f.kind, f.text) for f in pdf.findings if f.kind in failings
    ]
    assert not any("inspection report" in f.text.lower() for f in text.findings)


@needs_corpus
def test_markdown_seed_reads_like_its_pdf() -> None:
    seed = load(SHARED / "corpus" / "seeds" / "bolton-area-send-2024.md")
    pdf = load(SHARED / "corpus" / "area-send" / "bolton-2024-08-30.pdf")
    assert counts(seed) == counts(pdf)
    assert [(m.name, m.lead) for m in sorted(seed.team, key=lambda m: m.name)] == [
        (m.name, m.lead) for m in sorted(pdf.team, key=lambda m: m.name)
    ]
    assert seed.findings[0].section == "What is it like to be a child or young person with SEND in this area?"
