"""Named graphs as N-Quads bytes: what the load writes, made in Python as fast as strings allow.

Building a pyoxigraph term and a `Quad` for every triple, then serialising them,
cost 5.1 us a quad: more than Oxigraph's own ingestion, and a fifth of a large
load's CPU (docs/performance.md). `emit` therefore writes each report's graph as
N-Quads text directly (2.3 us a quad), and the store hands the bytes to
Oxigraph's bulk loader. The terms here are written byte for byte as pyoxigraph
writes them (tests hold `literal` to its serialiser on arbitrary text), so report
text is escaped exactly as before and nothing it says can end a literal.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox

# What N-Triples cannot hold raw in a literal (and the characters Oxigraph escapes besides).
_LITERAL_ESCAPES = re.compile('[\x00-\x1f"\\\\\x7f\ufffe\uffff]')
_SHORT_ESCAPES = {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r", '"': '\\"', "\\": "\\\\"}
# What no IRI may hold (RFC 3987 excludes these; N-Quads could not delimit the IRI).
_NOT_IN_IRI = re.compile('[\x00-\x20<>"{}|^`\\\\]')


def iri(value: str) -> str:
    """An IRI as an N-Quads term; an IRI built from a report's values is checked, as pyoxigraph would."""
    if _NOT_IN_IRI.search(value):
        raise ValueError(f"not an IRI: {value!r}")
    return f"<{value}>"


def literal(value: str, datatype: str | None = None) -> str:
    """A literal as an N-Quads term: a plain string, or typed by the datatype IRI given."""
    if _LITERAL_ESCAPES.search(value):
        value = _LITERAL_ESCAPES.sub(_escape, value)
    return f'"{value}"^^<{datatype}>' if datatype else f'"{value}"'


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return _SHORT_ESCAPES.get(char) or f"\\u{ord(char):04X}"


@dataclass(frozen=True)
class NamedGraph:
    """One named graph as the N-Quads bytes that write it (every quad once, all in this graph)."""

    name: ox.NamedNode
    nquads: bytes
    size: int  # quads

    @classmethod
    def of(cls, name: ox.NamedNode, triples: Iterable[ox.Triple | ox.Quad | tuple]) -> NamedGraph:
        """The graph holding these triples (pyoxigraph's, or tuples of its terms), each once; a quad's
        own graph is left for this one."""
        quads = dict.fromkeys(ox.Quad(t[0], t[1], t[2], name) for t in triples)
        return cls(name, ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b"", len(quads))

    @staticmethod
    def latest(graphs: Iterable[NamedGraph]) -> list[NamedGraph]:
        """Each graph once, in order of first mention; of two with one name, the later one's quads."""
        return list({graph.name: graph for graph in graphs}.values())

    def quads(self) -> list[ox.Quad]:
        """The quads as pyoxigraph terms, for the rarer paths that compare or send them one by one."""
        return list(ox.parse(self.nquads, format=ox.RdfFormat.N_QUADS))
