"""Report graphs gathered into batches, written by a background thread while the next batch is made.

Writing one report per transaction costs about 18 us a quad in Oxigraph; a bulk
ingestion of about a hundred reports costs a quarter of that and is just as
atomic (see `Store.write_graphs`). A batch is written when it holds BATCH_QUADS
quads or has waited BATCH_SECONDS, so an interrupted load loses at most a
moment's work, and every report it had written stays whole. pyoxigraph releases
the GIL while it ingests, so one batch is written while the next is emitted; at
most one write is in flight, which keeps the order and bounds the memory.
"""

from __future__ import annotations

import time
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from ..errors import StoreError
from .nquads import NamedGraph
from .store import GraphStore

BATCH_QUADS = 100_000  # about a hundred reports: the fastest size measured (docs/performance.md)
BATCH_SECONDS = 0.5  # a short wait: what is left to write when parsing ends is on the load's critical path

Pending = list[tuple[Path, NamedGraph]]


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
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ofsted-kg-writer")
        self._in_flight: tuple[Pending, int, Future[None]] | None = None

    def add(self, path: Path, graph: NamedGraph) -> None:
        """Queue one report's graph; of two files with one graph, the later wins (`Store.write_graphs`)."""
        if not self._pending:
            self._since = time.monotonic()
        self._pending.append((path, graph))
        self._pending_quads += graph.size
        if self._pending_quads >= BATCH_QUADS or time.monotonic() - self._since >= BATCH_SECONDS:
            self.flush()

    def flush(self) -> None:
        """Hand what is queued to the writer thread, once the write before it has succeeded."""
        self._wait()
        if not self._pending:
            return
        pending, count = self._pending, self._pending_quads
        self._pending, self._pending_quads = [], 0
        graphs = [graph for _, graph in pending]
        self._in_flight = (pending, count, self._thread.submit(self.store.write_graphs, graphs))

    def _wait(self) -> None:
        """Wait for the write in flight; a failed one names its reports, and those before it stay loaded."""
        if self._in_flight is None:
            return
        pending, count, future = self._in_flight
        self._in_flight = None
        try:
            future.result()
        except OSError as err:
            raise StoreError(
                f"store {self.store.location}: writing {_names(pending)} failed ({err}); the reports before "
                f"{'it' if len(pending) == 1 else 'them'} are loaded"
            ) from None
        self.written.extend(path.name for path, _ in pending)
        self.quads_written += count

    def __enter__(self) -> BatchWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        """Write what is queued, unless the load is failing; either way wait for the write in flight."""
        try:
            if kind is None:
                self.flush()
            self._wait()
        finally:
            self._thread.shutdown(wait=True)


def _names(pending: Pending) -> str:
    first = pending[0][0].name
    return first if len(pending) == 1 else f"{first} and the {len(pending) - 1} reports after it"
