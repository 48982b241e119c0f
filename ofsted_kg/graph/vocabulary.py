"""The shared graphs every report's graph points into: the vocabulary and the reference data.

The ontology files (OWL, SKOS schemes) and the local authority and ICB tables
go into two named graphs of their own, rewritten on every load so a store
always carries the vocabulary its reports were emitted with. Each is replaced
whole or not at all like a report's graph.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from importlib import resources
from itertools import chain

import pyoxigraph as ox

from ..reference import reference
from .nquads import NamedGraph
from .store import GraphStore
from .terms import RDF_TYPE, authority_node, icb_node, node, ns, okg, system_graph, text

SHAPES_FILE = "shapes.ttl"
STATISTICS_GEOGRAPHY = "http://statistics.data.gov.uk/id/statistical-geography/"
# The NHS Organisation Data Service's public record of an organisation, by ODS code.
ODS_ORGANISATION = "https://directory.spineservices.nhs.uk/ORD/2-0-0/organisations/"


def vocabulary_graph() -> ox.NamedNode:
    return system_graph("vocabulary")


def reference_graph() -> ox.NamedNode:
    return system_graph("reference")


def ensure_vocabulary(store: GraphStore, *with_them: NamedGraph) -> None:
    """Write the vocabulary and reference graphs (idempotent: same input, same graphs), and any others given.

    All in one call: into a new store that is one ingestion rather than several.
    """
    store.write_graphs([vocabulary(), reference_data(), *with_them])


@cache
def ontology_files() -> tuple[str, ...]:
    folder = resources.files("ofsted_kg.ontology")
    return tuple(sorted(f.name for f in folder.iterdir() if f.name.endswith(".ttl") and f.name != SHAPES_FILE))


def ontology_text(name: str) -> str:
    return resources.files("ofsted_kg.ontology").joinpath(name).read_text(encoding="utf-8")


@cache
def vocabulary() -> NamedGraph:
    """The ontology files' triples, in the vocabulary graph."""
    parsed = (ox.parse(ontology_text(name), format=ox.RdfFormat.TURTLE) for name in ontology_files())
    return NamedGraph.of(vocabulary_graph(), chain.from_iterable(parsed))


@cache
def reference_data() -> NamedGraph:
    """The local authorities, regions and ICBs of the reference tables, in the reference graph."""
    return NamedGraph.of(reference_graph(), _reference_triples())


def _reference_triples() -> Iterator[tuple]:
    ref = reference()
    for auth in ref.authorities.values():
        la = authority_node(auth.la_code)
        yield la, RDF_TYPE, okg("LocalAuthority")
        yield la, RDF_TYPE, ns("org", "Organization")
        yield la, ns("skos", "prefLabel"), text(auth.name)
        if auth.official_name != auth.name:
            yield la, ns("skos", "altLabel"), text(auth.official_name)
        yield la, okg("gssCode"), text(auth.la_code)
        # the council governs the area the GSS code names; it is not the area, so not owl:sameAs
        yield la, okg("statisticalGeography"), ox.NamedNode(STATISTICS_GEOGRAPHY + auth.la_code)
        yield la, okg("authorityType"), text(auth.la_type)
        if auth.dfe_code:
            yield la, okg("dfeCode"), text(auth.dfe_code)
        if auth.ofsted_urn:
            yield la, okg("ofstedUrn"), text(auth.ofsted_urn)
        if auth.region_code:
            region = node("region", auth.region_code)
            yield la, okg("region"), region
            yield region, RDF_TYPE, okg("Region")
            yield region, ns("skos", "prefLabel"), text(auth.region_name)
            yield region, okg("gssCode"), text(auth.region_code)
            yield region, ns("owl", "sameAs"), ox.NamedNode(STATISTICS_GEOGRAPHY + auth.region_code)
        for previous in auth.previous_codes:
            yield la, okg("previousGssCode"), text(previous)
        if auth.ended:
            yield la, okg("ended"), ox.Literal(auth.ended, datatype=ns("xsd", "date"))
        for successor in auth.successor_codes:
            yield la, okg("succeededBy"), authority_node(successor)
        for ods in auth.icb_codes:
            yield la, okg("withinIcbArea"), icb_node(ods)
    for icb in ref.icbs.values():
        n = icb_node(icb.ods_code)
        yield n, RDF_TYPE, okg("IntegratedCareBoard")
        yield n, RDF_TYPE, ns("org", "Organization")
        yield n, ns("skos", "prefLabel"), text(icb.name)
        yield n, ns("skos", "altLabel"), text(icb.short_name)
        yield n, okg("odsCode"), text(icb.ods_code)
        yield n, okg("onsCode"), text(icb.ons_code)
        yield n, okg("statisticalGeography"), ox.NamedNode(STATISTICS_GEOGRAPHY + icb.ons_code)
        yield n, ns("rdfs", "seeAlso"), ox.NamedNode(ODS_ORGANISATION + icb.ods_code)
        yield n, okg("nhsRegion"), text(icb.nhs_region)
