"""SHACL validation of a store: the shapes of ontology/shapes.ttl, checked by pySHACL.

pySHACL works on rdflib graphs, so the store's union graph is copied into one:
Oxigraph answers one CONSTRUCT over the union (deduplicated, any store the CLI
can open), and its terms are turned into rdflib terms directly, which is several
times faster than serialising and re-parsing. Beside the shapes, person names
that look alike but that the alias table has not decided are reported as
warnings, so the table (data/person-aliases.csv) gets reviewed as reports arrive.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import pyoxigraph as ox
from pyshacl import validate as shacl_validate
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH, SKOS

from .graph.store import GraphStore
from .graph.vocabulary import SHAPES_FILE, ontology_text
from .iris import PREFIXES, Shortener, base
from .people import lookalikes

_UNION = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
_PEOPLE = """
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?person ?name WHERE { ?person a foaf:Person ; skos:prefLabel ?name }
"""
_XSD_STRING = PREFIXES["xsd"] + "string"


@dataclass(frozen=True)
class Problem:
    """One result: the node at fault, the property path, what is wrong, and how serious."""

    focus: str
    path: str
    message: str
    severity: str  # "Violation" or "Warning"
    value: str = ""

    def __str__(self) -> str:
        value = f" (value: {self.value})" if self.value else ""
        return f"{self.severity.lower()}: {self.focus}\n    {self.path}: {self.message}{value}"


@dataclass(frozen=True)
class Validation:
    triples: int
    problems: tuple[Problem, ...]

    @property
    def violations(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "Violation"]

    @property
    def conforms(self) -> bool:
        return not self.violations


def validate_store(store: GraphStore) -> Validation:
    """Check the union of the store's graphs against the shapes, and the people's names."""
    data = union_graph(store)
    names = [(row["person"].value, row["name"].value) for row in store.query(_PEOPLE)]
    return validate_graph(data, _lookalike_warnings(names))


def validate_graph(data: Graph, extra: Iterable[Problem] = ()) -> Validation:
    """Check an rdflib graph against the shapes; problems sorted violations first."""
    _, results, _ = shacl_validate(data, shacl_graph=shapes(), inference="none", allow_warnings=True)
    problems = [*_problems(results), *extra]
    problems.sort(key=lambda p: (p.severity != "Violation", p.focus, p.path, p.message))
    return Validation(len(data), tuple(problems))


def union_graph(store: GraphStore) -> Graph:
    """Every distinct triple of the store's graphs, as one rdflib graph."""
    graph = Graph()
    convert = _Terms()
    graph.addN((convert(t.subject), convert(t.predicate), convert(t.object), graph) for t in store.query(_UNION))
    return graph


@cache
def shapes() -> Graph:
    return Graph().parse(data=ontology_text(SHAPES_FILE), format="turtle")


class _Terms:
    """pyoxigraph term -> rdflib term, with IRIs cached (most recur many times)."""

    def __init__(self) -> None:
        self._iris: dict[str, URIRef] = {}

    def __call__(self, term):
        if isinstance(term, ox.NamedNode):
            iri = self._iris.get(term.value)
            if iri is None:
                iri = self._iris[term.value] = URIRef(term.value)
            return iri
        if isinstance(term, ox.BlankNode):
            return BNode(term.value)
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        return Literal(term.value, datatype=None if datatype == _XSD_STRING else URIRef(datatype))


def _problems(results: Graph) -> Iterable[Problem]:
    for result in results.subjects(RDF.type, SH.ValidationResult):
        value = results.value(result, SH.value)
        yield Problem(
            focus=short(results.value(result, SH.focusNode)),
            path=_path(results, results.value(result, SH.resultPath)),
            message=str(results.value(result, SH.resultMessage) or "does not conform"),
            severity=short(results.value(result, SH.resultSeverity)).removeprefix("sh:"),
            value=short(value) if value is not None else "",
        )


def _path(results: Graph, path) -> str:
    if path is None:
        return "(node)"
    inverse = results.value(path, SH.inversePath) if isinstance(path, BNode) else None
    return "^" + short(inverse) if inverse is not None else short(path)


def short(term: object) -> str:
    """A term as a person reads it: prefixed IRIs (id: for the instance base), literals as text."""
    if not isinstance(term, URIRef):
        return str(term)
    text = str(term)
    return _shortener()(text) or f"<{text}>"


@cache
def _shortener() -> Shortener:
    return Shortener({**PREFIXES, "id": base(), "sh": str(SH)})


def _lookalike_warnings(people: list[tuple[str, str]]) -> list[Problem]:
    iri_of = {name: iri for iri, name in people}
    return [
        Problem(
            focus=short(URIRef(iri_of[a])),
            path=short(SKOS.prefLabel),
            message=f"'{a}' looks like '{b}': if one person, add the pair to ofsted_kg/data/person-aliases.csv; "
            "if two, list the name as itself there",
            severity="Warning",
        )
        for a, b in lookalikes(iri_of)
    ]
