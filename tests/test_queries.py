"""The named queries: real answers on the corpus, checked against the reports or against Python over the
`findings` and `inspections` rows; parameters, errors, formats and docs on the bundled examples."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter, defaultdict
from itertools import combinations
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import EXAMPLES, ROOT, run_cli

from ofsted_kg.graph.build import parse_file
from ofsted_kg.graph.store import Store
from ofsted_kg.queries import named_queries

FAILING = {"weakness", "priority-action", "area-for-improvement"}
# A value for each required parameter, so every named query can run on any store.
SAMPLE_PARAMS = {
    "la": "Bolton",
    "icb": "QOP",
    "inspector": "Sue Eastwood",
    "theme": "ehc-plan-quality",
    "text": "autism",
}


def rows(store: Path, name: str, *params: str) -> list[dict[str, str]]:
    """A query's answer as plain dicts of the values, "" where unbound (SPARQL JSON results read back)."""
    args = [a for p in params for a in ("-p", p)]
    result = run_cli("query", name, "--store", store, "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    names = data["head"]["vars"]
    return [{k: row[k]["value"] if k in row else "" for k in names} for row in data["results"]["bindings"]]


def split(cell: str) -> list[str]:
    return [v for v in cell.split("; ") if v]


@pytest.fixture(scope="module")
def findings(corpus_store: Path) -> list[dict[str, str]]:
    return rows(corpus_store, "findings")


@pytest.fixture(scope="module")
def inspections(corpus_store: Path) -> list[dict[str, str]]:
    return rows(corpus_store, "inspections")


@pytest.fixture(scope="module")
def authority_of(inspections: list[dict[str, str]]) -> dict[str, str]:
    return {r["inspection"]: r["local_authority"] for r in inspections if r["local_authority"]}


# ---------------------------------------------------------------- the contract's queries on the corpus


def test_shared_icbs_has_greater_manchester_with_its_four_partnerships(corpus_store: Path) -> None:
    by_icb = {r["icb"]: r for r in rows(corpus_store, "shared-icbs")}
    gm = by_icb["NHS Greater Manchester Integrated Care Board"]
    assert gm["partnerships"] == "Bolton; Bury; Oldham; Trafford"
    assert split(gm["outcomes"]) == [
        "Bolton: positive",
        "Bury: systemic-failings",
        "Oldham: systemic-failings",
        "Trafford: inconsistent",
    ]


def test_recurring_inspectors_include_the_ones_named_in_several_reports(corpus_store: Path) -> None:
    names = {r["inspector"]: int(r["inspections"]) for r in rows(corpus_store, "recurring-inspectors")}
    assert {"Andrea Crosby-Josephs", "Claire Mason", "Rebecca Sharples"} <= set(names)
    assert min(names.values()) >= 2


def test_inspections_has_one_row_per_report_even_when_two_files_describe_one_inspection(
    inspections: list[dict[str, str]],
) -> None:
    reports = Counter(r["report"] for r in inspections)
    assert max(reports.values()) == 1
    blackpool = [r for r in inspections if r["inspection"].endswith("/area-send/E06000009/2024-05-20")]
    assert sorted(r["report"] for r in blackpool) == ["blackpool-2024-07-25.pdf", "blackpool-area-send-2024.txt"]


# ---------------------------------------------------------------- the questions users ask, on the corpus


def test_partnership_profile_by_name_or_gss_code(corpus_store: Path, inspections: list[dict[str, str]]) -> None:
    by_name = rows(corpus_store, "partnership", "la=bolton")
    assert by_name == rows(corpus_store, "partnership", "la=E08000001")
    assert sorted(r["report"] for r in by_name) == sorted(
        r["report"] for r in inspections if r["la_code"] == "E08000001"
    )
    send = next(r for r in by_name if r["report"] == "bolton-2024-08-30.pdf")
    assert send["outcome"] == "positive" and send["grades"] == ""
    assert "Gerry Bates (lead)" in split(send["team"]) and "Sue Eastwood (lead)" in split(send["team"])
    ilacs = next(r for r in by_name if r["report"] == "bolton-2018-06-12.pdf")
    assert "overall: good" in split(ilacs["grades"]) and ilacs["team"] == "John Roughton (lead)"


def test_partnership_top_themes_count_the_reports_failings(corpus_store: Path, findings: list[dict[str, str]]) -> None:
    profile = rows(corpus_store, "partnership", "la=Bury")
    for row in profile:
        counted = Counter(
            t for f in findings if f["report"] == row["report"] and f["kind"] in FAILING for t in split(f["themes"])
        )
        got = {theme: int(n.rstrip(")")) for theme, n in (t.split(" (") for t in split(row["top_themes"]))}
        assert got == counted, row["report"]
        assert list(got.values()) == sorted(got.values(), reverse=True)


def test_outcomes_by_icb_and_region_agree_with_the_inspections(
    corpus_store: Path, inspections: list[dict[str, str]]
) -> None:
    by_icb = {r["ods_code"]: r for r in rows(corpus_store, "outcomes-by-icb")}
    gm = by_icb["QOP"]
    assert (gm["partnerships"], gm["positive"], gm["inconsistent"], gm["systemic_failings"]) == ("4", "1", "1", "2")
    send_authorities = {r["la_code"] for r in inspections if r["inspection_type"] == "area-send"}
    regions = rows(corpus_store, "outcomes-by-region")
    assert sum(int(r["partnerships"]) for r in regions) == len(send_authorities)
    north_west = next(r for r in regions if r["region"] == "North West")
    assert {"Bolton: positive", "Halton: systemic-failings", "Blackpool: inconsistent"} <= set(
        split(north_west["outcomes"])
    )


@pytest.mark.parametrize("icb", ["QOP", "greater manchester", "NHS Greater Manchester Integrated Care Board"])
def test_icb_partnerships_side_by_side(corpus_store: Path, icb: str) -> None:
    found = rows(corpus_store, "icb-partnerships", f"icb={icb}")
    assert {r["local_authority"] for r in found} == {"Bolton", "Bury", "Oldham", "Trafford"}
    bury = next(r for r in found if r["report"] == "bury-2024-05-07.pdf")
    assert bury["outcome"] == "systemic-failings" and int(bury["priority_actions"]) > 0


def test_inspector_profile_lists_each_inspection_with_co_inspectors(corpus_store: Path) -> None:
    profile = rows(corpus_store, "inspector-profile", "inspector=claire mason")
    recurring = {r["inspector"]: r for r in rows(corpus_store, "recurring-inspectors")}
    assert len(profile) == int(recurring["Claire Mason"]["inspections"])
    assert {r["local_authority"] for r in profile} == set(split(recurring["Claire Mason"]["local_authorities"]))
    team = rows(corpus_store, "inspection-team")
    warrington = next(r for r in profile if r["local_authority"] == "Warrington")
    printed = {t["inspector"] for t in team if t["inspection"] == warrington["inspection"]}
    assert set(split(warrington["co_inspectors"])) == printed - {"Claire Mason"}
    assert warrington["inspectorate"] == "CQC" and warrington["lead"] == "true"


def test_inspector_profile_gives_an_inspection_loaded_from_two_files_once_with_both_files(
    corpus_store: Path, inspections: list[dict[str, str]]
) -> None:
    files = defaultdict(set)
    for row in inspections:
        files[row["inspection"]].add(row["report"])
    twice = next(r for r in inspections if len(files[r["inspection"]]) == 2 and r["lead_inspector"])
    lead = split(twice["lead_inspector"])[0]
    found = [
        r
        for r in rows(corpus_store, "inspector-profile", f"inspector={lead}")
        if r["inspection"] == twice["inspection"]
    ]
    assert len(found) == 1
    assert found[0]["reports"] == "; ".join(sorted(files[twice["inspection"]]))
    assert lead not in split(found[0]["co_inspectors"])


def test_theme_drill_down_returns_every_finding_of_the_theme(
    corpus_store: Path, findings: list[dict[str, str]]
) -> None:
    expected = Counter((f["report"], f["kind"]) for f in findings if "ehc-timeliness" in split(f["themes"]))
    found = rows(corpus_store, "theme-findings", "theme=Timeliness of EHC assessments and reviews")
    assert Counter((r["report"], r["kind"]) for r in found) == expected
    weaknesses = rows(corpus_store, "theme-findings", "theme=ehc-timeliness", "kind=weakness")
    assert len(weaknesses) == sum(n for (_, kind), n in expected.items() if kind == "weakness") > 0


def test_common_failings_count_each_themes_failings_and_their_authorities(
    corpus_store: Path, findings: list[dict[str, str]], authority_of: dict[str, str]
) -> None:
    counts, places = Counter(), defaultdict(set)
    for f in findings:
        if f["kind"] in FAILING:
            for theme in split(f["themes"]):
                counts[theme] += 1
                places[theme].add(authority_of.get(f["inspection"]))
    got = {r["theme"]: (int(r["partnerships"]), int(r["findings"])) for r in rows(corpus_store, "common-failings")}
    assert got == {theme: (len(places[theme] - {None}), n) for theme, n in counts.items()}
    assert len(got) >= 20


@pytest.mark.parametrize("kind", ["", "area-send", "ilacs", "sif"])
def test_co_occurring_failings_count_authorities_with_both_themes_in_one_inspection(
    corpus_store: Path, findings: list[dict[str, str]], inspections: list[dict[str, str]], kind: str
) -> None:
    """Over every kind, and for one kind when `inspection_type` asks (a parameter once ignored: the query's
    filter stood in a subquery that the VALUES block could not reach)."""
    authority_of = {r["inspection"]: r["local_authority"] for r in inspections if r["local_authority"]}
    of_kind = {r["inspection"] for r in inspections if not kind or r["inspection_type"] == kind}
    themes = defaultdict(set)
    for f in findings:
        if f["kind"] in FAILING and f["inspection"] in authority_of and f["inspection"] in of_kind:
            themes[f["inspection"]].update(split(f["themes"]))
    authorities = defaultdict(set)
    for inspection, found in themes.items():
        for pair in combinations(sorted(found), 2):
            authorities[pair].add(authority_of[inspection])
    expected = {pair: len(las) for pair, las in authorities.items() if len(las) >= 2}
    params = [f"inspection_type={kind}"] if kind else []
    answer = rows(corpus_store, "co-occurring-failings", *params)
    assert {(r["theme_a"], r["theme_b"]): int(r["partnerships"]) for r in answer} == expected
    assert len(expected) >= 20


def test_services_in_weaknesses_and_their_balance_against_strengths(
    corpus_store: Path, findings: list[dict[str, str]], authority_of: dict[str, str]
) -> None:
    failings, strengths, places = Counter(), Counter(), defaultdict(set)
    for f in findings:
        for service in split(f["services"]):
            if f["kind"] in FAILING:
                failings[service] += 1
                places[service].add(authority_of.get(f["inspection"]))
            elif f["kind"] == "strength":
                strengths[service] += 1
    weak = rows(corpus_store, "services-in-weaknesses")
    assert {r["service"]: int(r["findings"]) for r in weak} == dict(failings)
    assert {r["service"]: int(r["partnerships"]) for r in weak} == {s: len(p) for s, p in places.items()}
    balance = {r["service"]: r for r in rows(corpus_store, "service-strengths-weaknesses")}
    for service, row in balance.items():
        assert (int(row["strengths"]), int(row["weaknesses"])) == (strengths[service], failings[service])
        assert int(row["balance"]) == strengths[service] - failings[service]


def test_search_is_case_insensitive_and_finds_every_matching_finding(
    corpus_store: Path, findings: list[dict[str, str]]
) -> None:
    expected = sorted(f["report"] for f in findings if "wheelchair" in f["text"].lower())
    found = rows(corpus_store, "search", "text=WheelChair")
    assert sorted(r["report"] for r in found) == expected and expected
    assert all("wheelchair" in r["finding_text"].lower() for r in found)


def test_words_copied_from_a_pdf_find_what_they_say(examples_store: Path) -> None:
    """Texts are stored with typographic quotes made plain; the words searched for are made plain too."""
    straight = rows(examples_store, "search", "text=young people's")
    assert straight and rows(examples_store, "search", "text=young people\u2019s") == straight


def test_an_inspector_by_a_printed_or_canonical_name_has_the_canonical_one(examples_store: Path) -> None:
    """ "Geraldine Bates" is printed in one report and "Gerry Bates" in others: one person, one name."""
    printed = rows(examples_store, "inspector-profile", "inspector=geraldine bates")
    canonical = rows(examples_store, "inspector-profile", "inspector=Gerry Bates")
    assert printed == canonical and len(printed) >= 2
    assert {r["name"] for r in printed} == {"Gerry Bates"}


def test_grade_against_send_outcome_agree_and_differ(corpus_store: Path) -> None:
    by_la = {r["local_authority"]: r for r in rows(corpus_store, "grade-vs-send-outcome")}
    # Bolton: ILACS 2023 good, area SEND 2024 positive. Bexley: ILACS 2023 outstanding, area SEND 2023
    # systemic failings. Middlesbrough: ILACS 2023 requires improvement, area SEND 2023 positive.
    assert (by_la["Bolton"]["agreement"], by_la["Bolton"]["gap"]) == ("agree", "0")
    assert (by_la["Bexley"]["childrens_services_grade"], by_la["Bexley"]["send_outcome"]) == (
        "outstanding",
        "systemic-failings",
    )
    assert (by_la["Bexley"]["agreement"], by_la["Bexley"]["gap"]) == ("differ", "2")
    assert (by_la["Middlesbrough"]["agreement"], by_la["Middlesbrough"]["gap"]) == ("differ", "-1")
    differ = rows(corpus_store, "grade-vs-send-outcome", "agreement=differ")
    assert {r["local_authority"] for r in differ} == {la for la, r in by_la.items() if r["agreement"] == "differ"}


# ---------------------------------------------------------------- every query, parameters, errors, formats


def sample_args(name: str) -> list[str]:
    query = named_queries()[name]
    return [a for p in query.params if p.required for a in ("-p", f"{p.name}={SAMPLE_PARAMS[p.name]}")]


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_every_named_query_runs_with_a_stable_order(examples_store: Path, name: str) -> None:
    query = named_queries()[name]
    assert query.title and query.description and "ORDER BY" in query.sparql
    first = run_cli("query", name, "--store", examples_store, "--format", "csv", *sample_args(name))
    assert first.exit_code == 0, first.stderr
    again = run_cli("query", name, "--store", examples_store, "--format", "csv", *sample_args(name))
    assert first.stdout == again.stdout


def test_findings_come_in_each_reports_reading_order(examples_store: Path) -> None:
    report = EXAMPLES / "bolton-area-send-2024.md"
    _, inspection = parse_file(report)
    listed = [r["text"] for r in rows(examples_store, "findings") if r["report"] == report.name]
    assert len(inspection.findings) > 10  # past 9, a sort on the IRI's number as text would put 10 before 2
    assert listed == [finding.text for finding in inspection.findings]


def test_partnership_on_the_examples(examples_store: Path) -> None:
    found = rows(examples_store, "partnership", "la=BOLTON")
    assert sorted(r["report"] for r in found) == ["bolton-area-send-2024.md", "bolton-childrens-services-2018.md"]


def test_a_hostile_search_text_is_a_value(examples_store: Path) -> None:
    hostile = '") ) } DELETE WHERE { ?s ?p ?o } #'
    assert rows(examples_store, "search", f"text={hostile}") == []
    assert len(rows(examples_store, "inspections")) == len(list((ROOT / "examples" / "reports").iterdir()))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["inspections", "-p", "la=Bolton"], "query inspections has no parameter 'la'"),
        (["partnership"], "query partnership needs --param la=..."),
        (["search", "-p", "text=x", "-p", "kind=weakness"], "it takes: text"),
        (["inspections", "--format", "ttl"], "--format ttl is for CONSTRUCT and DESCRIBE"),
    ],
)
def test_bad_use_is_a_one_line_error(examples_store: Path, args: list[str], message: str) -> None:
    result = run_cli("query", *args, "--store", examples_store)
    assert result.exit_code == 1
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_a_syntax_error_in_a_users_file_names_line_and_column(examples_store: Path, tmp_path: Path) -> None:
    rq = tmp_path / "mine.rq"
    # The VALUES block that binds x goes on the WHERE line, so line 5 is still line 5.
    rq.write_text("# param: x string optional\nSELECT ?x\nWHERE {\n  ?x ?y ?z .\n  ?x nope:p ?z .\n}\n")
    result = run_cli("query", rq, "--store", examples_store, "-p", "x=a")
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert "mine.rq: SPARQL syntax error: error at 5:12: " in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_users_query_may_bind_any_variable(examples_store: Path, tmp_path: Path) -> None:
    rq = tmp_path / "where.rq"
    rq.write_text(
        'PREFIX okg: <https://w3id.org/ofsted-kg/def#> # a "#" in an IRI\nSELECT ?r WHERE { ?r okg:fileName ?f }'
    )
    found = run_cli("query", rq, "--store", examples_store, "-p", "f=halton-area-send-2023.txt", "--format", "csv")
    assert found.stdout_bytes.decode().count("\r\n") == 2


def test_show_prints_runnable_sparql_with_a_note_of_the_bound_values(examples_store: Path) -> None:
    shown = run_cli("query", "theme-findings", "-p", "theme=ehc-timeliness", "--show").stdout
    assert shown.startswith('# --param theme="ehc-timeliness"')
    assert "# --param kind not given: UNDEF" in shown
    assert 'VALUES (?theme ?kind) { ("ehc-timeliness" UNDEF) }' in shown
    with Store(examples_store) as store:
        assert [str(v) for v in store.query(shown).variables][:2] == ["?theme_id", "?local_authority"]


@pytest.mark.parametrize(
    ("fmt", "rdf_format"),
    [
        ("ttl", ox.RdfFormat.TURTLE),
        ("table", ox.RdfFormat.TURTLE),
        ("nt", ox.RdfFormat.N_TRIPLES),
        ("jsonld", ox.RdfFormat.JSON_LD),
        ("json", ox.RdfFormat.JSON_LD),
    ],
)
def test_construct_gives_rdf(examples_store: Path, fmt: str, rdf_format: ox.RdfFormat) -> None:
    sparql = (
        "PREFIX okg: <https://w3id.org/ofsted-kg/def#>\n"
        "CONSTRUCT { ?r okg:fileName ?f } WHERE { ?r a okg:Report ; okg:fileName ?f } ORDER BY ?f"
    )
    result = run_cli("query", "-", "--store", examples_store, "--format", fmt, input=sparql)
    assert result.exit_code == 0, result.stderr
    triples = list(ox.parse(result.stdout_bytes, format=rdf_format))
    assert sorted(t.object.value for t in triples) == sorted(p.name for p in (ROOT / "examples" / "reports").iterdir())
    limited = run_cli("query", "-", "--store", examples_store, "--format", fmt, "--limit", "2", input=sparql)
    assert len(list(ox.parse(limited.stdout_bytes, format=rdf_format))) == 2


def test_construct_refuses_a_table_format(examples_store: Path) -> None:
    result = run_cli("query", "-", "--store", examples_store, "--format", "csv", input="DESCRIBE <urn:x>")
    assert result.exit_code == 1 and "gives RDF: use --format ttl, nt, jsonld" in result.stderr


def test_table_wraps_long_text_within_its_column(examples_store: Path) -> None:
    out = run_cli("query", "search", "--store", examples_store, "-p", "text=autism", "--limit", "3").stdout
    lines = out.splitlines()
    assert lines[-1] == "(3 rows)" and len(lines) > 5
    assert max(len(line) for line in lines) <= len(lines[1])


def test_queries_lists_names_titles_and_parameters() -> None:
    out = run_cli("queries").stdout
    for query in named_queries().values():
        assert f"{query.name}\n    {query.title}: " in out
        for param in query.params:
            assert f"--param {param.name}=<{param.type}>" in out


def test_the_query_docs_are_generated_from_the_headers() -> None:
    check = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "gen_query_docs.py"), "--check"], capture_output=True, text=True
    )
    assert check.returncode == 0, check.stderr
    docs = (ROOT / "docs" / "queries.md").read_text(encoding="utf-8")
    for query in named_queries().values():
        assert f"## {query.name}\n\n**{query.title}.** {query.description}" in docs


def test_a_variable_named_from_is_no_dataset_clause(examples_store: Path) -> None:
    """Only the keyword FROM chooses a query's graphs; a variable ?from leaves the default graph the union."""
    found = run_cli(
        "query", "-", "--store", examples_store, "--format", "csv", input="SELECT ?from { ?from a ?t } LIMIT 1"
    )
    assert len(found.stdout.splitlines()) == 2


def test_a_findings_row_leads_to_its_explanation(examples_store: Path) -> None:
    """`number` is what `ofsted-kg explain REPORT NUMBER` takes: the row and the explanation are one finding."""
    failings = [r for r in rows(examples_store, "findings") if r["kind"] in FAILING and r["themes"]]
    for row in failings[:: max(1, len(failings) // 5)]:
        shown = run_cli("explain", row["report"], row["number"], "--store", examples_store).stdout
        assert f"text     {row['text'][:60]}" in shown
        assert all(theme in shown for theme in split(row["themes"]))
