"""A VoID and DCAT description of an export: what it holds, where it came from, under what licence.

Catalogues (data.gov.uk, CKAN, a triplestore's dataset list) read VoID and DCAT
to show a dataset without loading it, so every export carries one: its triple
count, the report files it was built from, the licence the reports are
published under, and when it was written. It describes the export, not the
store, so it is computed from the graphs being exported.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

import pyoxigraph as ox

from ..iris import PREFIXES, base, slug
from .store import Store
from .terms import RDF_TYPE, node, now, ns, okg, system_graph, text, typed, values

VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
# Ofsted and CQC publish their reports under the Open Government Licence v3.0.
IANA_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"
OGL_V3 = ox.NamedNode("http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/")
TITLE = "Ofsted and CQC local area inspection reports (ofsted-kg)"


class Written:
    """What passes through to the file, counted, with the properties and classes it uses, so the description
    needs no second pass over the store."""

    def __init__(self, statements: Iterable[ox.Triple | ox.Quad]) -> None:
        self._statements = statements
        self.count = 0
        self._terms: set[ox.NamedNode] = set()

    def __iter__(self) -> Iterator[ox.Triple | ox.Quad]:
        for statement in self._statements:
            self.count += 1
            self._terms.add(statement.predicate)
            if statement.predicate == RDF_TYPE and isinstance(statement.object, ox.NamedNode):
                self._terms.add(statement.object)
            yield statement

    def vocabularies(self) -> list[str]:
        """The namespaces of the properties and classes used (up to the last '#' or '/'), but RDF's own."""
        spaces = {term.value[: max(term.value.rfind("#"), term.value.rfind("/")) + 1] for term in self._terms}
        return sorted(spaces - {PREFIXES["rdf"]})


def void_graph() -> ox.NamedNode:
    return system_graph("void")


def dataset_node(report: str | None = None) -> ox.NamedNode:
    """The dataset IRI: the whole store's, or one report file's (by its loaded file name)."""
    return node("dataset", slug(report)) if report else node("dataset")


def description(
    store: Store, graphs: Sequence[ox.NamedNode], dataset: ox.NamedNode, media_type: str, written: Written
) -> Iterator[ox.Triple]:
    """VoID/DCAT triples describing these graphs as exported, in this media type.

    The count is what the export wrote (one per quad in a dataset format, each
    distinct triple once in a triple format), counted as it was written; so are
    the vocabularies, those whose properties and classes the statements use.
    """
    distribution = ox.NamedNode(f"{dataset.value}/distribution/{slug(media_type)}")
    yield ox.Triple(dataset, RDF_TYPE, ox.NamedNode(VOID + "Dataset"))
    yield ox.Triple(dataset, RDF_TYPE, ox.NamedNode(DCAT + "Dataset"))
    yield ox.Triple(dataset, ns("dcterms", "title"), text(TITLE))
    yield ox.Triple(dataset, ns("dcterms", "license"), OGL_V3)
    yield ox.Triple(dataset, ns("dcterms", "modified"), now())
    yield ox.Triple(dataset, ox.NamedNode(VOID + "triples"), typed(written.count))
    yield ox.Triple(dataset, ox.NamedNode(VOID + "uriSpace"), text(base()))
    for vocabulary in written.vocabularies():
        yield ox.Triple(dataset, ox.NamedNode(VOID + "vocabulary"), ox.NamedNode(vocabulary))
    for report in _reports(store, graphs):
        yield ox.Triple(dataset, ns("dcterms", "source"), report)
    yield ox.Triple(dataset, ox.NamedNode(DCAT + "distribution"), distribution)
    yield ox.Triple(distribution, RDF_TYPE, ox.NamedNode(DCAT + "Distribution"))
    yield ox.Triple(distribution, ox.NamedNode(DCAT + "mediaType"), ox.NamedNode(IANA_MEDIA_TYPES + media_type))
    yield ox.Triple(distribution, ns("dcterms", "license"), OGL_V3)


def _reports(store: Store, graphs: Sequence[ox.NamedNode]) -> list[ox.NamedNode]:
    """The report entities (one per source file, with okg:fileName) in these graphs."""
    sparql = f"SELECT DISTINCT ?r WHERE {{ {values('g', graphs)} GRAPH ?g {{ ?r a {okg('Report')} }} }} ORDER BY ?r"
    return [row["r"] for row in store.query(sparql)]
