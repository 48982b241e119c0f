"""Network analysis of the store with networkx: how partnerships and inspectors connect.

A partnership here is a local authority with everything its inspections say
(its ICBs, its inspectors, the themes of its failings), as in the
common-failings query. Three projections link two partnerships: by ICBs they
share, by inspectors who inspected both, and by themes of failings found in
both, each with the count and the Jaccard similarity of the two sets.
Inspectors are linked when they inspected together; their centrality says
who connects the inspection teams. Communities group partnerships whose
failings are alike.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
import pyoxigraph as ox

from ..errors import OutputError
from ..iris import PREFIXES
from ..queries import QueryError
from ..records import FAILING_KINDS
from .rows import PERSON_NAME, select
from .store import GraphStore

XSD = PREFIXES["xsd"]
COMMUNITY_SEED = 7  # Louvain is randomised: a fixed seed gives the same communities on every run
NEIGHBOURS = 3  # each partnership's most similar others that a community is built from
TABLES = ("links", "inspectors", "communities")

_FAILING = ", ".join(f'"{kind}"' for kind in FAILING_KINDS)
_SETS = {
    "icbs": "SELECT DISTINCT ?la ?item ?label WHERE { ?i okg:localAuthority ?la ; okg:icb ?item . "
    "?item skos:prefLabel ?label }",
    "inspectors": "SELECT ?la (?person AS ?item) (MIN(?n) AS ?label) WHERE { ?m a okg:TeamMembership ; "
    f"okg:inspection ?i ; org:member ?person . ?i okg:localAuthority ?la . {PERSON_NAME} }} GROUP BY ?la ?person",
    "failings": "SELECT DISTINCT ?la ?item ?label WHERE { ?f a okg:Finding ; okg:findingKind/skos:notation ?kind ; "
    "dcterms:subject ?item ; okg:inspection/okg:localAuthority ?la . ?item skos:prefLabel ?label "
    f"FILTER(?kind IN ({_FAILING})) }}",
}
_AUTHORITIES = (
    "SELECT DISTINCT ?la ?name ?code WHERE { ?i okg:localAuthority ?la . ?la skos:prefLabel ?name ; okg:gssCode ?code }"
)
_CO_INSPECTION = (
    "SELECT DISTINCT ?inspection ?person WHERE { ?m a okg:TeamMembership ; okg:inspection ?inspection ; "
    "org:member ?person }"
)


@dataclass
class Analysis:
    """The projections and the tables drawn from them."""

    partnerships: nx.Graph
    inspectors: nx.Graph
    communities: list[list[str]] = field(default_factory=list)


def analyse(store: GraphStore) -> Analysis:
    """Every projection, with centralities and communities as node attributes (ready for GraphML/GEXF)."""
    partnerships = partnership_links(store)
    communities = failing_communities(partnerships)
    for number, members in enumerate(communities, start=1):
        for member in members:
            partnerships.nodes[member]["community"] = number
    return Analysis(partnerships, inspector_network(store), communities)


def partnership_links(store: GraphStore) -> nx.Graph:
    """Authorities linked by shared ICBs, inspectors and failing themes (counts, Jaccard, and what is shared)."""
    graph = nx.Graph()
    for r in select(store, _AUTHORITIES):
        graph.add_node(r["la"], label=r["name"], gss_code=r["code"], community=0)
    labels: dict[str, str] = {}
    for name, sparql in _SETS.items():
        sets: dict[str, set[str]] = defaultdict(set)
        for r in select(store, sparql):
            sets[r["la"]].add(r["item"])
            labels[r["item"]] = r["label"]
        for a, b in itertools.combinations(sorted(sets), 2):
            shared = sets[a] & sets[b]
            if not shared:
                continue
            if not graph.has_edge(a, b):
                graph.add_edge(a, b, **{f"{n}_{k}": v for n in _SETS for k, v in (("shared", 0), ("jaccard", 0.0))})
            edge = graph.edges[a, b]
            edge[f"{name}_shared"] = len(shared)
            edge[f"{name}_jaccard"] = round(len(shared) / len(sets[a] | sets[b]), 3)
            edge[name] = "; ".join(sorted(labels[i] for i in shared))
    for _, _, data in graph.edges(data=True):
        for name in _SETS:
            data.setdefault(name, "")
    return graph


def inspector_network(store: GraphStore) -> nx.Graph:
    """Inspectors linked when they inspected together (weight: inspections shared), with their centralities."""
    teams: dict[str, set[str]] = defaultdict(set)
    for r in select(store, _CO_INSPECTION):
        teams[r["inspection"]].add(r["person"])
    names = {r["item"]: r["label"] for r in select(store, _SETS["inspectors"])}
    taken = Counter(p for team in teams.values() for p in team)
    graph = nx.Graph()
    for person, n in taken.items():
        graph.add_node(person, label=names.get(person, person.rsplit("/", 1)[-1]), inspections=n)
    for team in teams.values():
        for a, b in itertools.combinations(sorted(team), 2):
            weight = graph.edges[a, b]["weight"] + 1 if graph.has_edge(a, b) else 1
            graph.add_edge(a, b, weight=weight, distance=1 / weight)
    degree = nx.degree_centrality(graph)
    betweenness = nx.betweenness_centrality(graph, weight="distance")
    for node, data in graph.nodes(data=True):
        data["degree_centrality"] = round(degree[node], 4)
        data["betweenness"] = round(betweenness[node], 4)
        data["co_inspectors"] = graph.degree(node)
    return graph


def failing_communities(partnerships: nx.Graph) -> list[list[str]]:
    """Groups of partnerships whose failing themes are alike, largest first.

    Most partnerships share some failing theme, so the raw similarity graph is
    nearly complete and Louvain finds one community. Keeping each partnership's
    few most similar others (a k-nearest-neighbour graph) leaves the structure.
    """
    similar = nx.Graph()
    for node in partnerships:
        nearest = sorted(
            ((d["failings_jaccard"], other) for _, other, d in partnerships.edges(node, data=True)),
            key=lambda pair: (-pair[0], pair[1]),
        )
        similar.add_weighted_edges_from((node, other, j) for j, other in nearest[:NEIGHBOURS] if j > 0)
    found = nx.community.louvain_communities(similar, weight="weight", seed=COMMUNITY_SEED)
    groups = [sorted(c, key=lambda n: partnerships.nodes[n]["label"]) for c in found if len(c) > 1]
    return sorted(groups, key=lambda g: (-len(g), partnerships.nodes[g[0]]["label"]))


# --- tables -----------------------------------------------------------------------------------


def _literal(value: object) -> ox.Literal:
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "integer"))
    if isinstance(value, float):
        return ox.Literal(f"{value:.3f}", datatype=ox.NamedNode(XSD + "decimal"))
    return ox.Literal(str(value))


def solutions(headers: list[str], rows: list[list[object]]) -> ox.QuerySolutions:
    """Rows as SPARQL solutions, so `ofsted_kg.output.render` prints them in every --format.

    The values are written by pyoxigraph's serialiser into a VALUES block that an
    empty in-memory store answers: names from reports cannot change the query.
    """
    variables = " ".join(f"?{h}" for h in headers)
    values = " ".join("(" + " ".join(str(_literal(c)) for c in row) + ")" for row in rows)
    return ox.Store().query(f"SELECT {variables} WHERE {{ VALUES ({variables}) {{ {values} }} }}")


def table(analysis: Analysis, name: str) -> tuple[list[str], list[list[object]]]:
    """One of TABLES as headers and rows, most telling first."""
    if name == "links":
        return _links_table(analysis.partnerships)
    if name == "inspectors":
        return _inspectors_table(analysis.inspectors)
    return _communities_table(analysis)


def _links_table(graph: nx.Graph) -> tuple[list[str], list[list[object]]]:
    headers = [
        "partnership_a",
        "partnership_b",
        "shared_icbs",
        "shared_inspectors",
        "inspectors_jaccard",
        "shared_failings",
        "failings_jaccard",
    ]
    rows = []
    for a, b, d in graph.edges(data=True):
        first, second = sorted((graph.nodes[a]["label"], graph.nodes[b]["label"]))
        rows.append(
            [
                first,
                second,
                d["icbs_shared"],
                d["inspectors_shared"],
                d["inspectors_jaccard"],
                d["failings_shared"],
                d["failings_jaccard"],
            ]
        )
    rows.sort(key=lambda r: (-r[6], -r[4], -r[2], r[0], r[1]))
    return headers, rows


def _inspectors_table(graph: nx.Graph) -> tuple[list[str], list[list[object]]]:
    headers = ["inspector", "inspections", "co_inspectors", "degree_centrality", "betweenness"]
    rows = [
        [d["label"], d["inspections"], d["co_inspectors"], d["degree_centrality"], d["betweenness"]]
        for _, d in graph.nodes(data=True)
    ]
    rows.sort(key=lambda r: (-r[4], -r[1], r[0]))
    return headers, rows


def _communities_table(analysis: Analysis) -> tuple[list[str], list[list[object]]]:
    graph = analysis.partnerships
    rows: list[list[object]] = []
    for number, members in enumerate(analysis.communities, start=1):
        themes: Counter[str] = Counter()
        for a, b in itertools.combinations(members, 2):
            if graph.has_edge(a, b):
                themes.update(t for t in graph.edges[a, b]["failings"].split("; ") if t)
        common = [t for t, _ in themes.most_common(5)]
        rows.append([number, len(members), "; ".join(graph.nodes[m]["label"] for m in members), "; ".join(common)])
    return ["community", "partnerships", "members", "shared_failings"], rows


def write_graphs(analysis: Analysis, folder: Path) -> list[Path]:
    """Each projection as GraphML and GEXF (for Gephi, yEd, Cytoscape), named for what it holds."""
    written = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name, graph in (("partnerships", analysis.partnerships), ("inspectors", analysis.inspectors)):
            for suffix, write in ((".graphml", nx.write_graphml), (".gexf", nx.write_gexf)):
                path = folder / f"{name}{suffix}"
                write(graph, path)
                written.append(path)
    except OSError as err:
        raise OutputError(folder, err) from None
    return written


def chosen_tables(asked: tuple[str, ...], fmt: str) -> list[str]:
    """The tables to print, each once (all of them when none is asked for); a format other than a table or
    Markdown holds one."""
    names = list(dict.fromkeys(asked)) or list(TABLES)
    unknown = [n for n in names if n not in TABLES]
    if unknown:
        raise QueryError(f"unknown table {unknown[0]!r} (tables: {', '.join(TABLES)})")
    if fmt not in ("table", "md") and len(names) > 1:
        raise QueryError(f"--format {fmt} prints one table: choose it with --table ({', '.join(TABLES)})")
    return names
