"""Network pages: each view holds what the store says, and every page is offline and escaped."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import EXAMPLES, run_cli

from ofsted_kg.cli import main
from ofsted_kg.graph import viz
from ofsted_kg.graph.store import Store

INJECTION = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">'
INJECTED_REPORT = "bolton-injected.md"
PREFIXES = """
PREFIX okg: <https://w3id.org/ofsted-kg/def#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
"""


def write_injected_report(folder: Path) -> Path:
    """A real report whose weakness starts with markup that must never run."""
    text = (EXAMPLES / "bolton-area-send-2024.md").read_text(encoding="utf-8")
    marked = re.sub(r"(?m)^- There is a variability", f"- {INJECTION} There is a variability", text, count=1)
    assert marked != text
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / INJECTED_REPORT
    path.write_text(marked, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def injected_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("injected")
    report = write_injected_report(folder / "reports")
    store = folder / "store"
    result = CliRunner().invoke(main, ["load", "--store", str(store), "--workers", "1", str(report)])
    assert result.exit_code == 0, result.stderr
    return store


def count(store: Store, sparql: str) -> int:
    return int(next(iter(store.query(PREFIXES + sparql)))["n"].value)


def partnership_counts(store: Store) -> tuple[int, int]:
    """Nodes and edges of the partnership view, counted straight from the store."""
    nodes = sum(
        count(store, f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {pattern} }}")
        for pattern in (
            "?x a okg:Inspection",
            "?i a okg:Inspection ; okg:localAuthority ?x",
            "?i a okg:Inspection ; okg:icb ?x",
            "?m a okg:TeamMembership ; org:member ?x",
            "?f a okg:Finding ; dcterms:subject ?x",
        )
    )
    edges = sum(
        count(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?a ?b WHERE {{ {pattern} }} }}")
        for pattern in (
            "?a a okg:Inspection ; okg:localAuthority ?b",
            "?a a okg:Inspection ; okg:icb ?b",
            "?m a okg:TeamMembership ; org:member ?a ; okg:inspection ?b",
            "?f a okg:Finding ; okg:inspection ?a ; dcterms:subject ?b",
        )
    )
    return nodes, edges


def page_data(html: str) -> dict:
    """The nodes, edges and options a page hands to vis-network."""
    found = re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', html, re.DOTALL)
    assert found
    return json.loads(found.group(1))


def test_partnership_view_holds_every_inspection_party_and_theme(examples_store: Path) -> None:
    with Store(examples_store) as store:
        html, graph = viz.build_page(store, "partnership")
        expected = partnership_counts(store)
    data = page_data(html)
    assert (len(data["nodes"]), len(data["edges"])) == expected == (graph.number_of_nodes(), graph.number_of_edges())
    kinds = {n["kind"] for n in data["nodes"]}
    assert kinds == {"inspection", "authority", "icb", "inspector", "theme"}


@pytest.mark.parametrize("view", viz.VIEWS)
def test_pages_are_self_contained(examples_store: Path, view: str) -> None:
    with Store(examples_store) as store:
        html, graph = viz.build_page(store, view)
    assert graph.number_of_nodes() > 0
    assert not re.search(r"<(script|link|img|iframe)\b[^>]*\b(src|href)\s*=", html, re.IGNORECASE)
    assert not re.search(r"""\b(src|href)\s*=\s*["']?(https?:)?//""", html, re.IGNORECASE)
    assert "new vis.Network" in html and 'class="legend"' in html
    assert "default-src 'none'" in html  # the browser itself refuses any fetch
    options = page_data(html)["options"]
    assert options["layout"]["improvedLayout"] is False and options["edges"]["smooth"] is False
    assert options["physics"]["solver"] == "forceAtlas2Based"


def test_each_inspection_links_to_its_report(examples_store: Path) -> None:
    with Store(examples_store) as store:
        reports = {
            r["report"].value: r["i"].value
            for r in store.query(
                PREFIXES + "SELECT ?i ?report WHERE { ?i a okg:Inspection ; okg:report/okg:fileName ?report }"
            )
        }
        graph = viz.partnership_view(store, viz.Links("https://example.org/reports"))
    for report, inspection in reports.items():
        assert graph.nodes[inspection]["href"] == "https://example.org/reports/" + report.replace(" ", "%20")
    assert viz.Links("../reports").href("a b.pdf") == "../reports/a%20b.pdf"
    # Browsers strip leading spaces and controls from a link and delete tabs and line breaks inside it.
    for script in ("javascript:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)", "\x01javascript:x"):
        with pytest.raises(viz.ViewError, match="source-base"):
            viz.Links(script)
    assert viz.Links("my reports").href("a.pdf") == "my reports/a.pdf"


def test_report_text_is_data_never_markup(injected_store: Path) -> None:
    with Store(injected_store) as store:
        pages = [viz.build_page(store, view)[0] for view in ("partnership", "common-failings")]
        pages.append(viz.build_page(store, focus=INJECTED_REPORT, depth=1)[0])
    for html in pages:
        assert "__pwned" in html  # the finding is on the page ...
        assert "<script>window" not in html and "<img src=x" not in html  # ... but only as escaped JSON text
        titles = [e.get("title", "") for e in page_data(html)["edges"] + page_data(html)["nodes"]]
        assert any(INJECTION in title for title in titles) or any(
            INJECTION in str(n["details"]) for n in page_data(html)["nodes"]
        )


def test_views_for_each_headline_question(examples_store: Path) -> None:
    with Store(examples_store) as store:
        icbs = viz.shared_icbs_view(store)
        recurring = viz.recurring_inspectors_view(store)
        failings = viz.common_failings_view(store)
        shared = {r["icb"].value for r in store.query(_named("shared-icbs"))}
        inspectors = {
            r["inspector"].value: int(r["inspections"].value) for r in store.query(_named("recurring-inspectors"))
        }
    hubs = {icbs.nodes[n]["label"] for n in icbs if icbs.nodes[n]["kind"] == "icb" and icbs.degree(n) >= 2}
    assert hubs == shared
    assert {d["kind"] for _, d in icbs.nodes(data=True)} <= {"icb", *viz.OUTCOME_KINDS}
    people = {d["label"]: recurring.degree(n) for n, d in recurring.nodes(data=True) if d["kind"] == "inspector"}
    assert people == inspectors
    assert all(failings.nodes[n]["value"] == sum(w for *_, w in failings.edges(n, data="value")) for n in failings)


def _named(name: str) -> str:
    from ofsted_kg.queries import named_queries

    return named_queries()[name].sparql


def test_neighbourhood_resolves_names_codes_and_iris(examples_store: Path) -> None:
    with Store(examples_store) as store:
        by_name = viz.resolve_focus(store, "bolton")
        assert by_name == viz.resolve_focus(store, "E08000001")
        assert viz.resolve_focus(store, by_name[0].value) == by_name
        with pytest.raises(viz.ViewError, match="no resource"):
            viz.resolve_focus(store, "Atlantis")
        graph = viz.neighbourhood_view(store, "Bolton", depth=1)
        neighbours = count(
            store,
            f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ VALUES ?la {{ {by_name[0]} }} "
            "{ ?la ?p ?x FILTER(!isLiteral(?x)) } UNION { ?x ?p ?la } "
            "FILTER(?p NOT IN (rdf:type, <http://www.w3.org/2002/07/owl#sameAs>)) }",
        )
    assert graph.number_of_nodes() == neighbours + 1
    focus = graph.nodes[str(by_name[0])]
    assert focus["kind"] == "authority" and focus["label"] == "Bolton"


def test_construct_view_draws_the_triples_returned(examples_store: Path) -> None:
    sparql = PREFIXES + "CONSTRUCT { ?i okg:localAuthority ?la } WHERE { ?i okg:localAuthority ?la }"
    with Store(examples_store) as store:
        graph = viz.construct_view(store, sparql)
        triples = len(list(store.query(sparql)))
        with pytest.raises(viz.ViewError, match="CONSTRUCT"):
            viz.construct_view(store, "SELECT * WHERE { ?s ?p ?o } LIMIT 1")
    assert graph.number_of_edges() == triples
    assert {d["kind"] for _, d in graph.nodes(data=True)} == {"inspection", "authority"}


def test_viz_command_writes_a_page_and_fails_in_one_line(examples_store: Path, tmp_path: Path) -> None:
    out = tmp_path / "pages" / "bolton.html"
    result = run_cli("viz", "--store", examples_store, "--focus", "Bolton", "-o", out)
    assert result.exit_code == 0, result.stderr
    assert out.is_file() and str(out) in result.stdout
    for args in (["nope"], ["--focus", "Atlantis"], ["--max-nodes", "3"]):
        bad = run_cli("viz", "--store", examples_store, "-o", tmp_path / "x.html", *args)
        assert bad.exit_code == 1 and len(bad.stderr.strip().splitlines()) == 1, bad.stderr


@pytest.mark.corpus
def test_an_authority_named_by_two_icbs_and_two_reports_says_its_outcome_once(corpus_store: Path) -> None:
    """Surrey's partnership has two ICBs, and Bolton's report is loaded as a PDF and a Markdown seed."""
    with Store(corpus_store) as store:
        icbs = viz.shared_icbs_view(store)
    titles = {d["label"]: d["title"] for _, d in icbs.nodes(data=True) if d["kind"] != "icb"}
    assert {"Surrey", "Bolton"} <= set(titles)
    assert all(title.count("Latest outcome:") == 1 for title in titles.values())
