"""The store, or one report's graph, as a standard RDF file another triplestore can load.

Dataset formats (N-Quads, TriG, JSON-LD) keep the named graphs: each report's
graph, the vocabulary and reference graphs, and a VoID/DCAT description in a
graph of its own. Triple formats (Turtle, N-Triples, RDF/XML) hold the union
of the graphs, each triple once, and the description goes to a sidecar
`FILE.void.ttl`, because a file of triples cannot say which triples describe
the others. Everything is streamed from the store to the file: Oxigraph
writes the RDF, and the JSON-LD writer below goes one subject at a time, so
memory stays flat whatever the store's size.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from ..errors import OutputError, StoreError
from ..iris import PREFIXES, Shortener, base
from .owners import stored_reports
from .store import Store
from .terms import RDF_TYPE, values
from .vocabulary import vocabulary_graph
from .void import Written, dataset_node, description, void_graph
from .xml_text import NotInXml, xml_checked

FORMATS = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
    "xml": ox.RdfFormat.RDF_XML,
}
SIDECAR_SUFFIX = ".void.ttl"
XSD = PREFIXES["xsd"]


@dataclass(frozen=True)
class Exported:
    path: Path
    graphs: int
    sidecar: Path | None  # the VoID description, for triple formats


@cache
def context() -> dict[str, str]:
    """The JSON-LD context shipped in ontology/context.jsonld: prefix -> namespace."""
    text = resources.files("ofsted_kg.ontology").joinpath("context.jsonld").read_text(encoding="utf-8")
    return json.loads(text)["@context"]


def prefixes() -> dict[str, str]:
    """The context's prefixes, with `id:` following the configured instance base."""
    return {**context(), "id": base()}


def format_for(path: Path) -> str | None:
    """The export format a file name asks for by its extension (.rdf is RDF/XML too)."""
    suffix = path.suffix.lower().lstrip(".")
    return "xml" if suffix == "rdf" else suffix if suffix in FORMATS else None


def export(store: Store, fmt: str, output: Path, report: str | None = None) -> Exported:
    """Write the whole store, or one report's graph with the vocabulary, to `output`."""
    rdf_format = FORMATS[fmt]
    if store.path and output.resolve().is_relative_to(store.path.resolve()):
        raise StoreError(f"{output}: inside the store's folder, whose files it could replace; write it elsewhere")
    graphs = select_graphs(store, report)
    data = Written(_quads(store, graphs) if rdf_format.supports_datasets else _union(store, graphs))

    def void() -> Iterator[ox.Triple]:
        """The description, built when the data has been written and counted."""
        yield from description(store, graphs, dataset_node(report), rdf_format.media_type, data)

    with _open(output) as out:
        if rdf_format.supports_datasets:
            void_quads = (ox.Quad(t.subject, t.predicate, t.object, void_graph()) for t in void())
            _write_dataset(itertools.chain(data, void_quads), out, rdf_format)
        else:
            _write_triples(data, out, rdf_format)
    if rdf_format.supports_datasets:
        return Exported(output, len(graphs), None)
    sidecar = output.with_name(output.name + SIDECAR_SUFFIX)
    with _open(sidecar) as out:
        _write_triples(void(), out, ox.RdfFormat.TURTLE)
    return Exported(output, len(graphs), sidecar)


def _write_triples(triples: Iterable[ox.Triple], out: IO[bytes], rdf_format: ox.RdfFormat) -> None:
    """Oxigraph's writer, with RDF/XML made to carry what XML 1.0 can of the values (`xml_checked`)."""
    out = xml_checked(out, rdf_format)
    ox.serialize(triples, out, rdf_format, prefixes=prefixes())
    out.flush()


def select_graphs(store: Store, report: str | None) -> list[ox.NamedNode]:
    """Every graph in the store, or one report's graph (by file name or graph IRI) and the vocabulary's."""
    present = sorted(store.graphs(), key=lambda g: g.value)
    if report is None:
        return present
    wanted = [g for g in present if g.value == report] or [
        r.graph for r in stored_reports(store) if r.file_name == report
    ]
    if not wanted:
        raise StoreError(f"{store.location}: no report {report!r} loaded (give its file name or graph IRI)")
    return [*wanted, vocabulary_graph()] if vocabulary_graph() in present else wanted


def _quads(store: Store, graphs: Sequence[ox.NamedNode]) -> Iterator[ox.Quad]:
    """Graph after graph, straight from Oxigraph's index: memory stays flat."""
    return itertools.chain.from_iterable(store.quads(g) for g in graphs)


def _union(store: Store, graphs: Sequence[ox.NamedNode]) -> Iterable[ox.Triple]:
    """The triples of these graphs, each once: Oxigraph's CONSTRUCT removes repeats, holding
    the triples it has seen (about 0.5 KB each), the one part of an export that grows with the store."""
    return store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {values('g', graphs)} GRAPH ?g {{ ?s ?p ?o }} }}")


@contextmanager
def _open(path: Path) -> Iterator[IO[bytes]]:
    """A file that takes the path's place only once it is whole: an export cut short (a full disk, a size
    limit) leaves what was there before, never a truncated file that another triplestore would half-load.
    A device or pipe (/dev/stdout) is written as it is."""
    whole = path.with_name(f".{path.name}.partial") if path.is_file() or not path.exists() else path
    try:
        with whole.open("wb") as out:
            yield out
        if whole != path:
            whole.replace(path)
    except (OSError, NotInXml) as err:
        raise OutputError(path, err) from None
    finally:
        if whole != path:
            whole.unlink(missing_ok=True)


def _write_dataset(quads: Iterable[ox.Quad], out: IO[bytes], rdf_format: ox.RdfFormat) -> None:
    if rdf_format == ox.RdfFormat.JSON_LD:
        write_jsonld(quads, out, prefixes())
    else:
        ox.serialize(quads, out, rdf_format, prefixes=prefixes())


def write_jsonld(quads: Iterable[ox.Quad], out: IO[bytes], namespaces: dict[str, str]) -> None:
    """Compact JSON-LD, one node object per subject, written as the quads arrive.

    Oxigraph's own JSON-LD writer takes no context (its output is expanded, every
    key a full IRI), and rdflib's compaction holds the whole graph in memory, so
    this writes the compacted form directly: prefixed names for IRIs, plain JSON
    for strings, integers and booleans. Quads must come grouped by graph (as
    `Store.quads(graph)` gives them); a subject split across runs is still valid
    JSON-LD, as node objects with the same @id merge.
    """
    compact = _Compactor(namespaces)
    out.write(b'{"@context": ' + json.dumps(namespaces).encode() + b',\n"@graph": [')
    separator = b"\n"
    for graph, in_graph in itertools.groupby(quads, key=lambda q: q.graph_name):
        nodes = (compact.node(s, list(q)) for s, q in itertools.groupby(in_graph, key=lambda q: q.subject))
        if isinstance(graph, ox.DefaultGraph):
            for obj in nodes:
                out.write(separator + json.dumps(obj, ensure_ascii=False).encode())
                separator = b",\n"
            continue
        out.write(separator + b'{"@id": ' + json.dumps(compact.iri(graph)).encode() + b', "@graph": [')
        inner = b"\n"
        for obj in nodes:
            out.write(inner + json.dumps(obj, ensure_ascii=False).encode())
            inner = b",\n"
        out.write(b"]}")
        separator = b",\n"
    out.write(b"\n]}\n")


class _Compactor:
    """Terms -> compacted JSON-LD values under a context of prefixes only."""

    def __init__(self, namespaces: dict[str, str]) -> None:
        self._short = Shortener(namespaces)

    def iri(self, term: ox.NamedNode | ox.BlankNode) -> str:
        if isinstance(term, ox.BlankNode):
            return f"_:{term.value}"
        return self._short(term.value) or term.value

    def node(self, subject: ox.NamedNode | ox.BlankNode, quads: list[ox.Quad]) -> dict:
        properties: dict[str, list] = {}
        for q in quads:
            if q.predicate == RDF_TYPE and not isinstance(q.object, ox.Literal):
                properties.setdefault("@type", []).append(self.iri(q.object))
            else:
                properties.setdefault(self.iri(q.predicate), []).append(self.value(q.object))
        return {"@id": self.iri(subject), **{k: v[0] if len(v) == 1 else v for k, v in properties.items()}}

    def value(self, term: ox.NamedNode | ox.BlankNode | ox.Literal) -> object:
        if not isinstance(term, ox.Literal):
            return {"@id": self.iri(term)}
        if term.language:
            return {"@value": term.value, "@language": term.language}
        datatype = term.datatype.value
        if datatype == XSD + "string":
            return term.value
        if datatype == XSD + "integer" and _is_canonical_integer(term.value):
            return int(term.value)
        if datatype == XSD + "boolean" and term.value in ("true", "false"):
            return term.value == "true"
        return {"@value": term.value, "@type": self.iri(term.datatype)}


def _is_canonical_integer(lexical: str) -> bool:
    """JSON numbers become canonical xsd:integer literals, so only those may be written as numbers."""
    try:
        return str(int(lexical)) == lexical
    except ValueError:
        return False
