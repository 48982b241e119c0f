"""Report graphs gathered into batches, written by background threads while the next batch is made.

Writing one report per transaction costs about 18 us a quad in Oxigraph; a bulk
ingestion of about a hundred reports costs a quarter of that and is just as
atomic (see `Store.write_graphs`). A batch is written when it holds BATCH_QUADS
quads or has waited BATCH_SECONDS, so an interrupted load loses at most a
moment's work, and every report it had written stays whole. pyoxigraph releases
the GIL while it ingests, so batches are written while the next is emitted.

Two writes are in flight at once. Oxigraph's bulk loader sorts and ingests a
batch this size on one core (0.6 s of CPU in 0.6 s for 90,000 quads), so a
second write in flight keeps the other core busy: two such batches written
together took 0.7 s (docs/performance.md, "Two writes in flight"). Two batches
that name one graph are never in flight together, so of two files with one
graph the later still wins; and at most two batches are held, which bounds the
memory.
"""

from __future__ import annotations

import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ..errors import StoreError
from .nquads import NamedGraph
from .store import GraphStore

BATCH_QUADS = 100_000  # about a hundred reports: the fastest size measured (docs/performance.md)
BATCH_SECONDS = 0.5  # a short wait: what is left to write when parsing ends is on the load's critical path
WRITES_IN_FLIGHT = 2  # measured on 2 cores: 3 was slower at 10x (RocksDB's compactions need a core too)

Pending = list[tuple[Path, NamedGraph]]


@dataclass(frozen=True)
class _Write:
    """A batch handed to a writer thread."""

    pending: Pending
    quads: int
    names: set[ox.NamedNode]  # of its graphs: a batch that names one of them waits for this one
    future: Future[None]


class BatchWriter:
    """Collects emitted report graphs and writes them in batches; `written` lists the files written.

    Use it as a context manager: leaving the block writes what is queued and waits for it.
    """

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self.written: list[str] = []
        self.quads_written = 0
        self._pending: Pending = []
        self._pending_quads = 0
        self._since = 0.0
        self._threads = ThreadPoolExecutor(max_workers=WRITES_IN_FLIGHT, thread_name_prefix="ofsted-kg-writer")
        self._in_flight: list[_Write] = []  # oldest first

    def add(self, path: Path, graph: NamedGraph) -> None:
        """Queue one report's graph; of two files with one graph, the later wins (`Store.write_graphs`)."""
        if not self._pending:
            self._since = time.monotonic()
        self._pending.append((path, graph))
        self._pending_quads += graph.size
        if self._pending_quads >= BATCH_QUADS or time.monotonic() - self._since >= BATCH_SECONDS:
            self.flush()

    def flush(self) -> None:
        """Hand what is queued to a writer thread, once a thread is free and no write in flight holds
        one of its graphs (that write must land first, so that the later copy wins)."""
        if not self._pending:
            return
        pending, count = self._pending, self._pending_quads
        self._pending, self._pending_quads = [], 0
        names = {graph.name for _, graph in pending}
        while len(self._in_flight) >= WRITES_IN_FLIGHT or any(names & write.names for write in self._in_flight):
            self._wait_oldest()
        future = self._threads.submit(self.store.write_graphs, [graph for _, graph in pending])
        self._in_flight.append(_Write(pending, count, names, future))

    def _wait_oldest(self) -> None:
        """Wait for the oldest write in flight. A failed one stops the load once the writes after it have
        ended: the error names its reports, and says which are loaded."""
        write = self._in_flight.pop(0)
        try:
            write.future.result()
        except OSError as err:
            lost, later = self._settle_after(write)
            raise StoreError(
                f"store {self.store.location}: writing {_names(lost)} failed ({err}); {_loaded(lost, later)}"
            ) from None
        self._done(write)

    def _settle_after(self, failed: _Write) -> tuple[Pending, Pending]:
        """Wait for the writes in flight after a failed one: the reports not written (the failed
        batch's first), and those written after them."""
        lost, later = list(failed.pending), []
        for write in self._in_flight:
            try:
                write.future.result()
            except OSError:
                lost.extend(write.pending)
            else:
                self._done(write)
                later.extend(write.pending)
        self._in_flight = []
        return lost, later

    def _done(self, write: _Write) -> None:
        self.written.extend(path.name for path, _ in write.pending)
        self.quads_written += write.quads

    def __enter__(self) -> BatchWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        """Write what is queued, unless the load is failing; either way wait for the writes in flight."""
        try:
            if kind is None:
                self.flush()
            while self._in_flight:
                self._wait_oldest()
        finally:
            self._threads.shutdown(wait=True)


def _loaded(lost: Pending, later: Pending) -> str:
    """Which reports are in the store after a failed write: those before it, and any written beside it."""
    before = f"the reports before {'it' if len(lost) == 1 else 'them'} are loaded"
    if not later:
        return before
    return f"{before}, and so {'is' if len(later) == 1 else 'are'} {_names(later)}, written at the same time"


def _names(pending: Pending) -> str:
    first = pending[0][0].name
    return first if len(pending) == 1 else f"{first} and the {len(pending) - 1} reports after it"
