"""The RDF terms every graph module shares, as pyoxigraph terms.

Vocabulary IRIs do not depend on the configured base, so each is built once and
reused: building an IRI checks its syntax. Instance IRIs live under the base
(`ofsted_kg.iris.base`); `instance_iri` is the one rule for them, which `emit`
also follows when it writes a report's graph as N-Quads text.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from functools import cache

from pyoxigraph import Literal, NamedNode

from ..iris import PREFIXES, VOCAB, base, slug

RDF_TYPE = NamedNode(PREFIXES["rdf"] + "type")
XSD = PREFIXES["xsd"]

Triple = tuple[NamedNode, NamedNode, NamedNode | Literal]


@cache
def okg(name: str) -> NamedNode:
    return NamedNode(VOCAB + name)


@cache
def ns(prefix: str, name: str) -> NamedNode:
    return NamedNode(PREFIXES[prefix] + name)


def instance_iri(*parts: str) -> str:
    """An instance IRI under the configured base: instance_iri("authority", "E08000001")."""
    return base() + "/".join(parts)


def node(*parts: str) -> NamedNode:
    return NamedNode(instance_iri(*parts))


def text(value: str) -> Literal:
    return Literal(value)


def lexical(value: object) -> tuple[str, str | None]:
    """A Python value's lexical form and XSD datatype IRI (None: a plain string)."""
    if isinstance(value, bool):
        return ("true" if value else "false"), XSD + "boolean"
    if isinstance(value, int):
        return str(value), XSD + "integer"
    if isinstance(value, date):
        return value.isoformat(), XSD + "date"
    return str(value), None


def typed(value: object) -> Literal:
    form, datatype = lexical(value)
    return Literal(form, datatype=NamedNode(datatype)) if datatype else Literal(form)


# The store's own graphs. Their names have the form of a report graph's, so a report file named "links"
# would take one: the load refuses such a file (`graph.build`).
SYSTEM_GRAPHS = ("vocabulary", "reference", "links", "tallies", "void", "pending")


def system_graph(name: str) -> NamedNode:
    if name not in SYSTEM_GRAPHS:
        raise ValueError(f"{name!r} is not one of the store's own graphs")
    return node("graph", name)


def report_graph(file_name: str) -> NamedNode:
    """The named graph holding everything one report file says: its file name made a slug."""
    return node("graph", slug(file_name))


def authority_node(la_code: str) -> NamedNode:
    return node("authority", la_code)


def icb_node(ods_code: str) -> NamedNode:
    return node("icb", ods_code)


def values(variable: str, terms: Iterable[object]) -> str:
    """A SPARQL VALUES block: each term as pyoxigraph writes it (an IRI in brackets, a literal quoted and escaped)."""
    return f"VALUES ?{variable} {{ {' '.join(map(str, terms))} }}"


def now() -> Literal:
    """This moment as an xsd:dateTime, to the second, in UTC."""
    stamp = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    return Literal(stamp, datatype=NamedNode(XSD + "dateTime"))
