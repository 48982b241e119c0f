"""The reports a store holds, by file name, graph and digest; and which files a load may add beside them.

A report graph is named by its file name made a slug, so names that differ only in case, punctuation or
letters outside ASCII ("Report.pdf", "report (1).pdf") share one, and the store's own graphs have names of
the same form: a load must not let one file's graph replace another's. Loading a file again under its own
name replaces its graph, which is how a report is reloaded; the same bytes under a second name are refused,
or every count would hold that report twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ..errors import StoreError
from ..iris import base
from .store import GraphStore
from .terms import RDF_TYPE, SYSTEM_GRAPHS, okg, system_graph


@dataclass(frozen=True)
class StoredReport:
    file_name: str
    graph: ox.NamedNode
    sha256: str


def stored_reports(store: GraphStore) -> list[StoredReport]:
    """Every report file in the store."""
    rows = store.query(
        f"SELECT ?g ?name ?sha WHERE {{ GRAPH ?g {{ ?r {RDF_TYPE} {okg('Report')} ; {okg('fileName')} ?name ; "
        f"{okg('sha256')} ?sha }} }}"
    )
    return [StoredReport(row["name"].value, row["g"], row["sha"].value) for row in rows]


def check_base(store: GraphStore) -> None:
    """Refuse a load whose IRIs would be under another base than the store's: each report would be held twice,
    once under each, and every count would double without a word (a store is read under any base)."""
    vocabulary = system_graph("vocabulary").value
    names = [graph.value for graph in store.graphs()]
    if not names or vocabulary in names:
        return
    suffix = vocabulary[len(base()) :]
    other = next((name[: -len(suffix)] for name in names if name.endswith(suffix)), names[0])
    raise StoreError(
        f"{store.location}: its reports were loaded with OFSTED_KG_BASE {other!r}, not {base()!r}; "
        "load with that base, or into another store"
    )


class GraphOwners:
    """The files that hold the store's graphs, and those this load has claimed so far."""

    def __init__(self, store: GraphStore) -> None:
        reports = stored_reports(store)
        self._owner = {report.graph.value: report.file_name for report in reports}
        self._system = {system_graph(name).value for name in SYSTEM_GRAPHS}
        self._named = {report.sha256: report.file_name for report in reports}
        self._claimed: dict[str, Path] = {}  # graph -> file, in this load
        self._read: dict[str, Path] = {}  # digest -> file, in this load

    def claim(self, path: Path, sha256: str, graph: ox.NamedNode) -> str | None:
        """None if the file may have this graph, else the one-line reason it may not."""
        conflict = self._conflict(path, sha256, graph)
        if conflict:
            return f"{path}: not loaded: {conflict}"
        self._claimed[graph.value], self._read[sha256] = path, path
        return None

    def _conflict(self, path: Path, sha256: str, graph: ox.NamedNode) -> str | None:
        owner, claimed = self._owner.get(graph.value), self._claimed.get(graph.value)
        same_bytes, read = self._named.get(sha256), self._read.get(sha256)
        if claimed is not None:
            return f"its graph would replace that of {claimed}, loaded just before{_KNOWN_BY_NAME}"
        if graph.value in self._system:
            return f"its name is that of one of the store's own graphs{_KNOWN_BY_NAME}"
        if owner is not None and owner != path.name:
            return f"its graph would replace that of {owner}, already in the store{_KNOWN_BY_NAME}"
        if read is not None:
            return f"the same file as {read}, loaded just before"
        if same_bytes is not None and same_bytes != path.name:
            return f"the same file as {same_bytes}, already in the store"
        return None


_KNOWN_BY_NAME = " (a report is known by its file name, whatever its case and punctuation)"
