"""Network analysis and the summary page, checked against the contract queries' own rows."""

from __future__ import annotations

import itertools
import json
import re
from collections import defaultdict
from pathlib import Path

import networkx as nx
import pytest
from conftest import run_cli

from ofsted_kg.graph import analysis
from ofsted_kg.graph.store import Store
from ofsted_kg.queries import named_queries

FAILING = {"weakness", "priority-action", "area-for-improvement"}


def named_rows(store: Store, name: str) -> list[dict[str, str]]:
    result = store.query(named_queries()[name].sparql)
    names = [v.value for v in result.variables]
    return [{n: "" if s[n] is None else s[n].value for n in names} for s in result]


def contract_sets(store: Store) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Per authority (by name): its ICBs and its failing themes, read from the contract queries."""
    authority = {}
    icbs: dict[str, set[str]] = defaultdict(set)
    for r in named_rows(store, "inspections"):
        if r["local_authority"]:
            authority[r["report"]] = r["local_authority"]
            icbs[r["local_authority"]] |= {i for i in r["icb"].split("; ") if i and r["inspection_type"] == "area-send"}
    failings: dict[str, set[str]] = defaultdict(set)
    for r in named_rows(store, "findings"):
        if r["kind"] in FAILING and r["report"] in authority:
            failings[authority[r["report"]]] |= {t for t in r["themes"].split("; ") if t}
    return icbs, failings


def jaccard(a: set[str], b: set[str]) -> float:
    return round(len(a & b) / len(a | b), 3) if a | b else 0.0


def check_links(store: Store) -> nx.Graph:
    graph = analysis.partnership_links(store)
    icbs, failings = contract_sets(store)
    names = {n: d["label"] for n, d in graph.nodes(data=True)}
    by_name = {v: k for k, v in names.items()}
    for a, b in itertools.combinations(sorted(by_name), 2):
        linked = graph.has_edge(by_name[a], by_name[b])
        edge = graph.edges[by_name[a], by_name[b]] if linked else {}
        assert edge.get("failings_shared", 0) == len(failings[a] & failings[b]), (a, b)
        assert edge.get("failings_jaccard", 0.0) == jaccard(failings[a], failings[b]), (a, b)
        if icbs[a] and icbs[b]:
            assert edge.get("icbs_shared", 0) == len(icbs[a] & icbs[b]), (a, b)
    return graph


def test_partnership_links_match_the_contract_queries(examples_store: Path) -> None:
    with Store(examples_store) as store:
        graph = check_links(store)
    manchester = {"Bolton", "Bury", "Oldham", "Trafford"}
    shared = {
        frozenset((graph.nodes[a]["label"], graph.nodes[b]["label"]))
        for a, b, n in graph.edges(data="icbs_shared")
        if n
    }
    assert {frozenset(p) for p in itertools.combinations(manchester, 2)} <= shared


@pytest.mark.corpus
def test_partnership_links_on_the_corpus(corpus_store: Path) -> None:
    with Store(corpus_store) as store:
        graph = check_links(store)
    assert graph.number_of_edges() > graph.number_of_nodes()


def test_inspector_centrality_counts_real_inspections(examples_store: Path) -> None:
    with Store(examples_store) as store:
        graph = analysis.inspector_network(store)
        recurring = {r["inspector"]: int(r["inspections"]) for r in named_rows(store, "recurring-inspectors")}
    counted = {d["label"]: d["inspections"] for _, d in graph.nodes(data=True) if d["inspections"] >= 2}
    assert counted == recurring
    assert all(0 <= d["betweenness"] <= 1 and d["co_inspectors"] == graph.degree(n) for n, d in graph.nodes(data=True))
    headers, rows = analysis.table(analysis.Analysis(nx.Graph(), graph), "inspectors")
    assert headers[0] == "inspector" and [r[4] for r in rows] == sorted((r[4] for r in rows), reverse=True)


def test_communities_partition_alike_partnerships_deterministically(examples_store: Path) -> None:
    with Store(examples_store) as store:
        first, second = analysis.analyse(store), analysis.analyse(store)
    assert first.communities == second.communities and first.communities
    members = [m for group in first.communities for m in group]
    assert len(members) == len(set(members)) and all(len(g) >= 2 for g in first.communities)
    for number, group in enumerate(first.communities, start=1):
        assert all(first.partnerships.nodes[m]["community"] == number for m in group)
        linked = first.partnerships.subgraph(group)
        assert all(d["failings_shared"] > 0 for *_, d in linked.edges(data=True))


def test_graphml_and_gexf_round_trip(examples_store: Path, tmp_path: Path) -> None:
    with Store(examples_store) as store:
        found = analysis.analyse(store)
    written = analysis.write_graphs(found, tmp_path / "net")
    assert sorted(p.name for p in written) == [
        "inspectors.gexf",
        "inspectors.graphml",
        "partnerships.gexf",
        "partnerships.graphml",
    ]
    back = nx.read_graphml(tmp_path / "net" / "partnerships.graphml")
    assert set(back) == set(found.partnerships) and back.number_of_edges() == found.partnerships.number_of_edges()
    a, b = next(iter(found.partnerships.edges))
    assert back.edges[a, b]["failings_jaccard"] == found.partnerships.edges[a, b]["failings_jaccard"]
    assert nx.read_gexf(tmp_path / "net" / "inspectors.gexf").number_of_nodes() == found.inspectors.number_of_nodes()


def test_analyse_command_prints_sparql_results(examples_store: Path, tmp_path: Path) -> None:
    result = run_cli("analyse", "--store", examples_store, "--table", "links", "--format", "json")
    assert result.exit_code == 0, result.stderr
    body = json.loads(result.stdout)
    assert body["head"]["vars"][:2] == ["partnership_a", "partnership_b"]
    with Store(examples_store) as store:
        assert len(body["results"]["bindings"]) == analysis.partnership_links(store).number_of_edges()
    first = body["results"]["bindings"][0]["failings_jaccard"]
    assert first["datatype"].endswith("#decimal")
    both = run_cli("analyse", "--store", examples_store, "--format", "csv")
    assert both.exit_code == 1 and "--table" in both.stderr
    unknown = run_cli("analyse", "--store", examples_store, "--table", "nope")
    assert unknown.exit_code == 1 and "unknown table" in unknown.stderr
    out = run_cli("analyse", "--store", examples_store, "--limit", "2", "-o", tmp_path / "graphs")
    assert out.exit_code == 0 and (tmp_path / "graphs" / "partnerships.gexf").is_file()
    assert out.stdout.count("== ") == len(analysis.TABLES)


def test_summary_page_shows_every_figure_offline(examples_store: Path, tmp_path: Path) -> None:
    out = tmp_path / "summary.html"
    result = run_cli("report", "--store", examples_store, "-o", out)
    assert result.exit_code == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    with Store(examples_store) as store:
        icbs = named_rows(store, "outcomes-by-icb")
        failings = named_rows(store, "common-failings")
        inspectors = named_rows(store, "recurring-inspectors")
    assert icbs and all(f"<td>{r['icb']}</td>" in html for r in icbs)
    bars = re.findall(r'<rect [^>]*width="(\d+)"', html)
    assert len(bars) == min(len(failings), 15)
    assert [int(w) for w in bars] == sorted((int(w) for w in bars), reverse=True)
    assert all(f"<td>{r['inspector']}</td>" in html for r in inspectors[:20])
    assert "<script" not in html and not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
