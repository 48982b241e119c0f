"""Counts per local authority that the aggregate questions read: the derived tallies graph.

"Which failings keep coming back" and "which inspectors recur" count over every
finding or team membership in the store. Asked of the report graphs, the answer
takes longer with every report loaded (seconds at 50,000 reports); the tallies
hold the same counts per local authority: for each theme, service type, pair of
themes and inspector, how many findings or inspections of that authority's
reports. However many reports are loaded, that is at most a few thousand nodes
per kind, so `common-failings`, `services-in-weaknesses`,
`service-strengths-weaknesses`, `co-occurring-failings` and `recurring-inspectors`
read a graph that does not grow with the corpus.

Like the links graph, the tallies are recomputed from the report graphs after
every load or removal and replaced whole, so they always agree
with the reports in the store. The counts are totals over every report; a
report whose authority is not recognised counts in them but names no
partnership. Findings are each report's own: a report
loaded in two formats counts its findings twice and its inspection once, as the
report graphs do.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from itertools import combinations

import pyoxigraph as ox

from ..iris import sparql_prefixes
from ..records import FAILING_KINDS
from .nquads import NamedGraph
from .store import GraphStore
from .terms import RDF_TYPE, Triple, node, ns, okg, system_graph, typed

_FAILING = "VALUES ?failing { " + " ".join(f"kind:{kind}" for kind in FAILING_KINDS) + " }"

# Each pattern in a subquery of its own, so that Oxigraph scans it once and joins by hash; a finding's
# authority and inspection are the ones its report's graph names (docs/performance.md).
_THEMES = f"""
SELECT ?la ?concept (COUNT(DISTINCT ?finding) AS ?findings) WHERE {{
  {{ SELECT ?finding WHERE {{ {_FAILING} ?finding okg:findingKind ?failing }} }}
  {{ SELECT ?g ?finding ?concept WHERE {{ GRAPH ?g {{ ?finding dcterms:subject ?concept }} }} }}
  OPTIONAL {{ SELECT DISTINCT ?g ?la WHERE {{ GRAPH ?g {{ ?inspection okg:localAuthority ?la }} }} }}
}} GROUP BY ?la ?concept
"""
_SERVICES = """
SELECT ?la ?service (SUM(?is_strength) AS ?strengths) (SUM(1 - ?is_strength) AS ?failings)
       (COUNT(DISTINCT ?failing_inspection) AS ?inspections) WHERE {
  { SELECT ?f ?k WHERE {
      VALUES ?k { kind:strength kind:weakness kind:priority-action kind:area-for-improvement } ?f okg:findingKind ?k
  } }
  { SELECT ?g ?f ?service WHERE { GRAPH ?g { ?f okg:serviceType ?service } } }
  { SELECT DISTINCT ?g ?inspection WHERE { GRAPH ?g { ?report prov:wasGeneratedBy ?inspection } } }
  OPTIONAL { SELECT DISTINCT ?g ?la WHERE { GRAPH ?g { ?i okg:localAuthority ?la } } }
  BIND(IF(?k = kind:strength, 1, 0) AS ?is_strength)
  BIND(IF(?k = kind:strength, ?unbound, ?inspection) AS ?failing_inspection)  # a strength's stays unbound
} GROUP BY ?la ?service
"""
_INSPECTORS = """
SELECT ?la ?person (COUNT(DISTINCT ?inspection) AS ?inspections) WHERE {
  {
    SELECT DISTINCT ?person ?inspection WHERE {
      ?m a okg:TeamMembership ; org:member ?person ; okg:inspection ?inspection
    }
  }
  OPTIONAL { SELECT DISTINCT ?inspection ?la WHERE { ?inspection okg:localAuthority ?la } }
} GROUP BY ?la ?person
"""
_NAMES = """
SELECT DISTINCT ?person ?name WHERE {
  { SELECT DISTINCT ?person WHERE { ?m a okg:TeamMembership ; org:member ?person } }
  { SELECT DISTINCT ?person ?name WHERE { ?person skos:prefLabel ?name } }
}
"""
# The themes of each inspection's failings; pairs are made from them below, in Python.
_CONCEPTS = "SELECT ?c ?n WHERE { ?c skos:inScheme ?scheme ; skos:notation ?n }"
_FAILING_THEMES = f"""
SELECT DISTINCT ?inspection ?type ?la ?notation WHERE {{
  {{ SELECT ?f WHERE {{ {_FAILING} ?f okg:findingKind ?failing }} }}
  {{ SELECT ?g ?f ?theme WHERE {{ GRAPH ?g {{ ?f dcterms:subject ?theme }} }} }}
  {{ SELECT ?g ?inspection WHERE {{ GRAPH ?g {{ ?report prov:wasGeneratedBy ?inspection }} }} }}
  {{
    SELECT DISTINCT ?inspection ?type ?la WHERE {{
      ?inspection okg:inspectionType ?type ; okg:localAuthority ?la .
    }}
  }}
  {{ SELECT ?theme ?notation WHERE {{ ?theme skos:notation ?notation }} }}
}}
"""


def tallies_graph() -> ox.NamedNode:
    return system_graph("tallies")


def tallies(store: GraphStore) -> NamedGraph:
    """The tallies graph as the reports in the store make it now."""
    triples = [*_theme_tallies(store), *_service_tallies(store), *_pair_tallies(store), *_inspector_tallies(store)]
    return NamedGraph.of(tallies_graph(), triples)


Authorities = dict[ox.NamedNode, set[ox.NamedNode]]


def _theme_tallies(store: GraphStore) -> Iterator[Triple]:
    """Each theme's failing findings, and the authorities they were found in."""
    findings, authorities = _counted(store, _THEMES, "concept", "findings")
    for theme, count in findings.items():
        tally = _tally("theme", theme)
        yield tally, RDF_TYPE, okg("Tally")
        yield tally, ns("dcterms", "subject"), theme
        yield tally, okg("failingFindings"), typed(count)
        yield from _listed(tally, "tallyAuthority", authorities[theme])


def _service_tallies(store: GraphStore) -> Iterator[Triple]:
    """Each service type's strengths and failings, the inspections failing it, and the authorities."""
    strengths: Counter[ox.NamedNode] = Counter()
    failings: Counter[ox.NamedNode] = Counter()
    inspections: Counter[ox.NamedNode] = Counter()
    named: Authorities = defaultdict(set)  # any strength or failing
    failing: Authorities = defaultdict(set)
    for row in store.query(sparql_prefixes() + _SERVICES):
        service = row["service"]
        strengths[service] += int(row["strengths"].value)
        failings[service] += int(row["failings"].value)
        inspections[service] += int(row["inspections"].value)
        _note(named, service, row["la"])
        if int(row["failings"].value):
            _note(failing, service, row["la"])
    for service in strengths:
        tally = _tally("service", service)
        yield tally, RDF_TYPE, okg("Tally")
        yield tally, okg("serviceType"), service
        yield tally, okg("strengths"), typed(strengths[service])
        yield tally, okg("failingFindings"), typed(failings[service])
        yield tally, okg("failingInspections"), typed(inspections[service])
        yield from _listed(tally, "tallyAuthority", named[service])
        yield from _listed(tally, "failingAuthority", failing[service])


def _pair_tallies(store: GraphStore) -> Iterator[Triple]:
    """For each pair of themes, the inspections whose failings have both, and their authorities: over every
    kind of inspection, and for each kind. The pairs are made here from each inspection's themes: made by a
    join in SPARQL, they took seconds."""
    themes: dict[ox.NamedNode, set[str]] = defaultdict(set)
    inspected: dict[ox.NamedNode, tuple[str, ox.NamedNode]] = {}
    for row in store.query(sparql_prefixes() + _FAILING_THEMES):
        themes[row["inspection"]].add(row["notation"].value)
        inspected[row["inspection"]] = (row["type"].value, row["la"])
    concepts = {row["n"].value: row["c"] for row in store.query(sparql_prefixes() + _CONCEPTS)}
    inspections: Counter[tuple[str, ...]] = Counter()
    authorities: dict[tuple[str, ...], set[ox.NamedNode]] = defaultdict(set)
    for inspection, notations in themes.items():
        kind, la = inspected[inspection]
        for pair in combinations(sorted(notations), 2):
            for key in (pair, (*pair, kind)):
                inspections[key] += 1
                authorities[key].add(la)
    for key, count in inspections.items():
        tally = _tally("theme-pair", *key)
        yield tally, RDF_TYPE, okg("Tally")
        yield tally, okg("firstTheme"), concepts[key[0]]
        yield tally, okg("secondTheme"), concepts[key[1]]
        if len(key) == 3:
            yield tally, okg("tallyInspectionType"), ox.Literal(key[2])
        yield tally, okg("inspections"), typed(count)
        yield from _listed(tally, "tallyAuthority", authorities[key])


def _inspector_tallies(store: GraphStore) -> Iterator[Triple]:
    """Each inspector's inspections and the authorities inspected, with the person's names, stated once here
    where every report graph that names them repeats them."""
    inspections, authorities = _counted(store, _INSPECTORS, "person", "inspections")
    for person, count in inspections.items():
        tally = _tally("inspector", person)
        yield tally, RDF_TYPE, okg("Tally")
        yield tally, okg("inspector"), person
        yield tally, okg("inspections"), typed(count)
        yield from _listed(tally, "tallyAuthority", authorities[person])
    for row in store.query(sparql_prefixes() + _NAMES):
        yield row["person"], ns("skos", "prefLabel"), row["name"]


def _tally(kind: str, *key: ox.NamedNode | str) -> ox.NamedNode:
    """The tally node for this key (the key's concepts or people by the last part of their IRI)."""
    parts = [k if isinstance(k, str) else k.value.rstrip("/").rsplit("/", 1)[-1] for k in key]
    return node("tally", kind, *parts)


def _counted(store: GraphStore, query: str, key: str, count: str) -> tuple[Counter[ox.NamedNode], Authorities]:
    """A query's counts summed per key (its rows are per key and authority), and each key's authorities."""
    counts: Counter[ox.NamedNode] = Counter()
    authorities: Authorities = defaultdict(set)
    for row in store.query(sparql_prefixes() + query):
        counts[row[key]] += int(row[count].value)
        _note(authorities, row[key], row["la"])
    return counts, authorities


def _note(authorities: Authorities, key: ox.NamedNode, la: ox.NamedNode | None) -> None:
    if la is not None:
        authorities[key].add(la)


def _listed(tally: ox.NamedNode, prop: str, authorities: set[ox.NamedNode]) -> Iterator[Triple]:
    for la in authorities:
        yield tally, okg(prop), la
