"""The embedded Oxigraph store: one named graph per report, each written whole or not at all.

New report graphs are written in batches by Oxigraph's bulk loader: it encodes a
batch into sorted files and hands them to RocksDB in one IngestExternalFiles
call, which is atomic across all the indexes, and about four times faster than
a transaction (docs/performance.md). A graph the store already holds is
changed by one SPARQL update (DELETE DATA what is gone, INSERT DATA what is
new), applied as one transaction. Either way an error, a Ctrl-C or a kill -9 part-way leaves
every report's graph whole or absent. Graphs arrive as N-Quads (`graph.nquads`),
whose literals are escaped as pyoxigraph escapes them, and an update is written
from the quads pyoxigraph parses out of them, so nothing a report says can
change an update's meaning.

On disk, Oxigraph takes an exclusive lock on the folder: a second process
waits for it (up to `OFSTED_KG_LOCK_WAIT` seconds, `lock_wait`) and then fails with a clear message, never
sharing the files.
"""

from __future__ import annotations

import contextlib
import math
import os
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox

from ..errors import StoreError, reason
from ..queries import names_dataset
from .nquads import NamedGraph

DEFAULT_STORE = "~/.local/share/ofsted-kg/store"
BULK_BATCH_QUADS = 1_000_000  # Oxigraph's bulk loader ingests up to this many quads in one atomic step
LOCK_WAIT_SECONDS = 30.0  # OFSTED_KG_LOCK_WAIT overrides
INFO_LOGS_KEPT = 2  # RocksDB's old info logs (LOG.old.*) kept in the store folder


def lock_wait() -> float:
    """How long to wait for another process's lock on the store before failing."""
    return seconds_setting("OFSTED_KG_LOCK_WAIT", LOCK_WAIT_SECONDS)


def seconds_setting(name: str, default: float) -> float:
    """A number of seconds from the environment, the default when unset. Anything but a finite number of zero or
    more is refused in one line: "abc" was the default without a word, and "nan" waited for ever."""
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    try:
        seconds = float(value)
    except ValueError:
        seconds = math.nan
    if not math.isfinite(seconds) or seconds < 0:
        raise StoreError(f"{name} {value!r}: not a number of seconds (0 or more)")
    return seconds


def default_location() -> str:
    """OFSTED_KG_STORE if set, else a folder in the user's data directory."""
    return os.environ.get("OFSTED_KG_STORE") or str(Path(DEFAULT_STORE).expanduser())


QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples  # what a query gives, whichever the store


class GraphStore(Protocol):
    """What the CLI and the load pipeline need of a store: the embedded one below or a
    remote SPARQL server (`graph.remote.RemoteStore`), so neither knows which it has."""

    @property
    def location(self) -> str: ...

    def replace_graph(self, graph: NamedGraph) -> None: ...

    def write_graphs(self, graphs: Sequence[NamedGraph]) -> None: ...

    def remove_graph(self, graph: ox.NamedNode) -> None: ...

    def graphs(self) -> Iterator[ox.NamedNode]: ...

    def query(self, sparql: str) -> QueryResult: ...

    def __len__(self) -> int: ...

    def size_on_disk(self) -> int: ...

    def compact(self) -> None: ...

    def flush(self) -> None: ...

    def close(self) -> None: ...

    def __enter__(self) -> GraphStore: ...

    def __exit__(self, *exc: object) -> None: ...


class Store:
    """An Oxigraph store on disk (a folder path) or in memory (path None)."""

    def __init__(self, path: str | Path | None) -> None:
        self.path = Path(path).expanduser() if path else None
        self._store = self._open(lock_wait())

    def _open(self, wait: float) -> ox.Store:
        if self.path is None:
            return ox.Store()
        if self.path.exists() and not self.path.is_dir():
            raise StoreError(f"store {self.path}: not a folder")
        if not is_store(self.path) and any(self.path.glob("*")):
            raise StoreError(f"store {self.path}: the folder holds other files, not a store; give a new or empty one")
        try:
            self.path.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise StoreError(f"store {self.path}: cannot be made ({reason(err)})") from None
        deadline = time.monotonic() + wait
        while True:
            try:
                store = ox.Store(str(self.path))
                _prune_info_logs(self.path)
                _remove_unfinished_ingestions(self.path)
                return store
            except RuntimeError as err:  # what RocksDB finds damaged ("Corruption: ...")
                raise StoreError(f"store {self.path}: cannot be opened ({_first_line(err)})") from None
            except OSError as err:
                if not _is_lock_error(err):
                    raise StoreError(f"store {self.path}: cannot be opened ({_first_line(err)})") from None
                if time.monotonic() >= deadline:
                    raise StoreError(
                        f"store {self.path} is in use by another process (waited {wait:.0f} s); try again when it ends"
                    ) from None
                time.sleep(0.2)

    @property
    def location(self) -> str:
        return str(self.path) if self.path else ":memory:"

    def replace_graph(self, graph: NamedGraph) -> None:
        """Make the store hold this graph as given, in one atomic step.

        A graph the store holds already is changed by one update that deletes the quads that are
        gone and inserts the new ones: the derived graphs change little from one load to the next,
        and a report loaded again often not at all, while rewriting a graph of 100,000 quads as one
        update took 40 s. A new graph is bulk-loaded when it fits one ingestion.
        """
        if self._store.contains_named_graph(graph.name):
            self._change(graph.name, graph.quads())
        elif graph.size < BULK_BATCH_QUADS:
            self._bulk_load([graph.nquads])
        else:
            self._store.extend(graph.quads())

    def _change(self, graph: ox.NamedNode, quads: list[ox.Quad]) -> None:
        """Make a graph the store holds hold exactly these quads, in one transaction."""
        if not quads:
            self.remove_graph(graph)
            return
        old, new = set(self._store.quads_for_pattern(None, None, None, graph)), set(quads)
        steps = [
            f"{verb} DATA {{ GRAPH {graph} {{\n{_triples(part)}\n}} }}"
            for verb, part in (("DELETE", old - new), ("INSERT", new - old))
            if part
        ]
        if steps:
            self._store.update(" ;\n".join(steps))

    def write_graphs(self, graphs: Sequence[NamedGraph]) -> None:
        """Write several graphs, each whole or not at all; a graph named twice keeps its last quads.

        Graphs the store does not hold yet are bulk-loaded together, up to BULK_BATCH_QUADS
        quads per ingestion (one ingestion is atomic; a larger graph falls back to a
        transaction). Graphs it holds already are replaced one by one.
        """
        batch: list[bytes] = []
        size = 0
        for graph in NamedGraph.latest(graphs):
            if graph.size >= BULK_BATCH_QUADS or self._store.contains_named_graph(graph.name):
                self.replace_graph(graph)
                continue
            if size + graph.size >= BULK_BATCH_QUADS:
                self._bulk_load(batch)
                batch, size = [], 0
            batch.append(graph.nquads)
            size += graph.size
        if batch:
            self._bulk_load(batch)

    def _bulk_load(self, nquads: list[bytes]) -> None:
        """Ingest N-Quads in one atomic step.

        `bulk_extend` holds the GIL for the whole ingestion, so the load pipeline could not emit
        the next batch meanwhile; `bulk_load` parses the bytes in Rust with the GIL released and
        ends in the same single ingestion (docs/performance.md). `lenient` skips re-validating the
        IRIs (a fifth of the write): each was checked when its graph was made (`graph.nquads`).
        """
        self._store.bulk_load(b"".join(nquads), ox.RdfFormat.N_QUADS, lenient=True)

    def remove_graph(self, graph: ox.NamedNode) -> None:
        self._store.update(f"DROP SILENT GRAPH {graph}")

    def graphs(self) -> Iterator[ox.NamedNode]:
        return (g for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def query(self, sparql: str, bindings: dict[str, ox.NamedNode | ox.Literal] | None = None) -> QueryResult:
        """Run a SPARQL query over the union of all graphs, or the graphs its FROM clauses name, with values
        bound to variables. (Oxigraph's union flag would override a FROM.)"""
        substitutions = {ox.Variable(k): v for k, v in (bindings or {}).items()}
        union = not names_dataset(sparql)
        return self._store.query(sparql, use_default_graph_as_union=union, substitutions=substitutions or None)

    def update(self, sparql: str) -> None:
        self._store.update(sparql)

    def quads(self, graph: ox.NamedNode | None = None) -> Iterator[ox.Quad]:
        return self._store.quads_for_pattern(None, None, None, graph)

    def __len__(self) -> int:
        return len(self._store)

    def size_on_disk(self) -> int:
        if self.path is None:
            return 0
        return sum(f.stat().st_size for f in self.path.rglob("*") if f.is_file())

    def compact(self) -> None:
        """Merge the sorted files that loads leave beside each other (RocksDB's full compaction).

        Each bulk ingestion adds files of its own, and a store whose files overlap is read in
        more places for each lookup: after a 50,000-report load, compacting took 171 s, the store
        went from 12 to 8.1 GB, and the queries near their 2 s bar ran 10-35% faster
        (docs/performance.md). RocksDB keeps the files it merges until the merged ones are
        written, so a failed compaction leaves the store as it was.
        """
        try:
            self._store.optimize()
        except OSError as err:
            raise StoreError(f"store {self.location}: compacting failed ({err}); the store is as it was") from None

    def flush(self) -> None:
        if self.path is not None:
            self._store.flush()

    def close(self) -> None:
        """Release the folder lock so another process can open the store."""
        if self._store is not None:
            self.flush()
            del self._store
            self._store = None  # type: ignore[assignment]

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _triples(quads: Iterable[ox.Quad]) -> str:
    """Quads as the triples of a GRAPH block, written by pyoxigraph (which escapes every literal)."""
    return "\n".join(f"{q.subject} {q.predicate} {q.object} ." for q in quads)


def is_remote(location: str) -> bool:
    """A store given by URL is a SPARQL server (graph.remote); anything else is a folder."""
    return location.startswith(("http://", "https://"))


@dataclass(frozen=True)
class Compacted:
    location: str
    before_bytes: int
    after_bytes: int
    seconds: float


def compact(store: GraphStore) -> Compacted:
    """Compact the store and close it, timed. The size is read again once the store is closed, when its
    write-ahead log is gone."""
    with store:
        before, start = store.size_on_disk(), time.perf_counter()
        store.compact()
        seconds = time.perf_counter() - start
    return Compacted(store.location, before, store.size_on_disk(), seconds)


def open_existing(location: str) -> Store:
    """The embedded store already in this folder, for commands that only read it: a missing
    folder is an error rather than a new empty store, and a URL is not a folder."""
    if is_remote(location):
        raise StoreError(f"store {location}: a remote server; this command reads an embedded store folder")
    folder = Path(location).expanduser()
    if not is_store(folder):
        raise StoreError(f"store {folder}: no store there (load reports into it first)")
    return Store(folder)


def is_store(folder: Path) -> bool:
    """Whether the folder holds an embedded store: RocksDB's CURRENT file names the store's state, and its LOCK
    is the first file of a store being made (by a load that started a moment before)."""
    return (folder / "CURRENT").is_file() or (folder / "LOCK").is_file()


def _first_line(err: Exception) -> str:
    return str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__


def _prune_info_logs(folder: Path) -> None:
    """RocksDB starts a new info log each time the store opens and keeps up to a thousand old ones (about
    140 KB each): a store read a hundred times held 17 MB of them. Only the newest few are kept, as RocksDB
    itself would past its limit; the store never reads them. Tidying only: a log that cannot go stays."""
    with contextlib.suppress(OSError):
        old = sorted(folder.glob("LOG.old.*"), key=lambda p: p.stat().st_mtime, reverse=True)
        for log in old[INFO_LOGS_KEPT:]:
            log.unlink(missing_ok=True)


def _remove_unfinished_ingestions(folder: Path) -> None:
    """Oxigraph's bulk loader sorts a batch into `bulk-*.sst` files in the store's folder, which RocksDB then
    takes in under numbers of its own. A load killed between the two leaves them, unread, for good (8 MB over
    36 killed loads). Once the store is open, this process holds its lock, so any left are no one's: removed.
    Tidying only: a file that cannot go stays."""
    with contextlib.suppress(OSError):
        for leftover in folder.glob("bulk-*.sst"):
            leftover.unlink(missing_ok=True)


def _is_lock_error(err: OSError) -> bool:
    message = str(err).lower()
    return "lock" in message or "resource temporarily unavailable" in message or "busy" in message
