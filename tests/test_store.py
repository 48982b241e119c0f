"""The store's promises: atomic per-report loads, survival of kill -9, one writer at a time."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pyoxigraph
from conftest import EXAMPLES
from pyoxigraph import NamedNode

from ofsted_kg.graph import batch as batch_module
from ofsted_kg.graph import store as store_module
from ofsted_kg.graph.batch import BatchWriter
from ofsted_kg.graph.build import parse_file
from ofsted_kg.graph.emit import emit
from ofsted_kg.graph.nquads import NamedGraph
from ofsted_kg.graph.store import INFO_LOGS_KEPT, Store
from ofsted_kg.graph.terms import report_graph

CLI = [sys.executable, "-m", "ofsted_kg"]
SEED = EXAMPLES / "halton-area-send-2023.txt"


def make_copies(folder: Path, n: int) -> list[Path]:
    folder.mkdir()
    copies = []
    text = SEED.read_text(encoding="utf-8")
    for i in range(n):
        copy = folder / f"halton-copy-{i:03d}.txt"
        copy.write_text(text + "\n" * (i + 1), encoding="utf-8")  # bytes of its own: a second download is refused
        copies.append(copy)
    return copies


def test_kill_during_load_leaves_only_whole_reports(tmp_path: Path) -> None:
    copies = make_copies(tmp_path / "reports", 500)  # about 15 s of loading: the kill lands part-way
    store = tmp_path / "store"
    proc = subprocess.Popen(
        [*CLI, "load", "--workers", "1", "--store", str(store), str(tmp_path / "reports")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(5)  # batches are written every 2 s at most (graph.batch)
    assert proc.poll() is None, "the load finished before it could be killed; make it longer"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    by_graph = {report_graph(path.name).value: path for path in copies}
    with Store(store) as s:
        present = {g.value for g in s.graphs()} & set(by_graph)
        assert 0 < len(present) < len(copies)
        for graph in present:
            got = {str(q) for q in s.quads(NamedNode(graph))}
            assert got == _strings(emit(*parse_file(by_graph[graph]))), f"{graph} is not whole"
    validate = subprocess.run([*CLI, "validate", "--store", str(store)], capture_output=True, text=True, timeout=300)
    assert validate.returncode == 0, validate.stdout + validate.stderr


def test_a_killed_load_takes_its_parser_processes_and_leftovers_with_it(tmp_path: Path) -> None:
    """Killed by its own pid (a supervisor, `kill`), a load left its parser processes running for good, holding
    its output pipe open, so that `load ... | tee log` never ended; bulk files it had not ingested stayed."""
    make_copies(tmp_path / "reports", 500)
    store = tmp_path / "store"
    proc = subprocess.Popen(
        [*CLI, "load", "--workers", "2", "--store", str(store), str(tmp_path / "reports")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    time.sleep(3)
    assert proc.poll() is None, "the load finished before it could be killed; make it longer"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    proc.communicate(timeout=10)  # returns only once every process holding the pipes has ended
    (store / "bulk-00000000-leftover.sst").write_bytes(b"an ingestion the kill cut off")
    with Store(store):
        assert not list(store.glob("bulk-*.sst"))


def test_a_second_writer_fails_clearly_and_changes_nothing(tmp_path: Path) -> None:
    store = tmp_path / "store"
    with Store(store) as holder:
        before = len(holder)
        env = {**os.environ, "OFSTED_KG_LOCK_WAIT": "1"}
        result = subprocess.run(
            [*CLI, "load", "--store", str(store), str(SEED)], env=env, capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 1
        assert result.stderr.strip().endswith("is in use by another process (waited 1 s); try again when it ends")
        assert len(result.stderr.strip().splitlines()) == 1
        assert len(holder) == before


def test_a_waiting_writer_proceeds_when_the_lock_is_released(tmp_path: Path) -> None:
    store = tmp_path / "store"
    holder = Store(store)
    env = {**os.environ, "OFSTED_KG_LOCK_WAIT": "30"}
    proc = subprocess.Popen(
        [*CLI, "load", "--store", str(store), str(SEED)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(1.5)
    holder.close()
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    with Store(store) as s:
        assert any(g.value.endswith("/graph/halton-area-send-2023-txt") for g in s.graphs())


def test_in_memory_store_replaces_graphs() -> None:
    store = Store(None)
    graph = emit(*parse_file(SEED))
    store.replace_graph(graph)
    store.replace_graph(graph)
    assert len(store) == graph.size
    store.remove_graph(graph.name)
    assert len(store) == 0


def test_replacing_a_held_graph_writes_only_what_differs() -> None:
    graph, subject = NamedNode("https://example.org/g"), NamedNode("https://example.org/s")
    quads = [
        pyoxigraph.Quad(subject, NamedNode(f"https://example.org/p{i}"), pyoxigraph.Literal(str(i)), graph)
        for i in range(4)
    ]
    store = Store(None)
    store.replace_graph(NamedGraph.of(graph, quads[:3]))
    updates = []
    store._store = _Recording(store._store, updates)
    store.replace_graph(NamedGraph.of(graph, quads[1:]))
    assert {str(q) for q in store.quads(graph)} == {str(q) for q in quads[1:]}
    assert len(updates) == 1 and "p0" in updates[0] and "p3" in updates[0]
    assert "p1" not in updates[0] and "p2" not in updates[0]  # unchanged quads are neither deleted nor inserted
    store.replace_graph(NamedGraph.of(graph, quads[1:]))
    assert len(updates) == 1  # nothing differs: nothing written
    store.replace_graph(NamedGraph.of(graph, []))
    assert graph not in set(store.graphs())


class _Recording:
    """pyoxigraph's Store, recording the updates sent to it."""

    def __init__(self, inner: pyoxigraph.Store, updates: list[str]) -> None:
        self.inner, self.updates = inner, updates

    def update(self, sparql: str) -> None:
        self.updates.append(sparql)
        self.inner.update(sparql)

    def __getattr__(self, name: str):
        return getattr(self.inner, name)


def test_write_graphs_adds_new_graphs_and_replaces_held_ones(tmp_path: Path) -> None:
    first, second = (emit(*parse_file(path)) for path in sorted(EXAMPLES.glob("*.txt"))[:2])
    with Store(tmp_path / "store") as store:
        store.replace_graph(NamedGraph.of(first.name, first.quads()[:10]))
        store.write_graphs([first, NamedGraph.of(second.name, second.quads()[:5]), second])
        assert {str(q) for q in store.quads(first.name)} == _strings(first)
        assert {str(q) for q in store.quads(second.name)} == _strings(second)


def test_write_graphs_keeps_each_bulk_ingestion_under_the_limit(tmp_path: Path, monkeypatch) -> None:
    graphs = [emit(*parse_file(path)) for path in sorted(EXAMPLES.glob("*.txt"))[:3]]
    limit = max(graph.size for graph in graphs) + 1  # room for one report per ingestion, never two
    monkeypatch.setattr(store_module, "BULK_BATCH_QUADS", limit)
    with Store(tmp_path / "store") as store:
        counting = _CountingStore(store._store)
        monkeypatch.setattr(store, "_store", counting)
        store.write_graphs(graphs)
        assert counting.sizes == [graph.size for graph in graphs]
        for graph in graphs:
            assert {str(q) for q in store.quads(graph.name)} == _strings(graph)


class _CountingStore:
    """pyoxigraph's Store, recording how many quads each bulk ingestion held."""

    def __init__(self, inner: pyoxigraph.Store) -> None:
        self.inner, self.sizes = inner, []

    def bulk_load(self, data: bytes, format: pyoxigraph.RdfFormat, **options) -> None:
        self.sizes.append(sum(1 for _ in pyoxigraph.parse(data, format)))
        self.inner.bulk_load(data, format, **options)

    def __getattr__(self, name: str):
        return getattr(self.inner, name)


def test_a_file_loaded_twice_in_one_batch_keeps_the_later_copy(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir(), second.mkdir()
    shutil.copy(SEED, first / "report.txt")
    (second / "report.txt").write_text(SEED.read_text().replace("Halton", "Haltonshire", 1))
    later = emit(*parse_file(second / "report.txt"))
    store = Store(None)
    with BatchWriter(store) as writer:
        for path in (first / "report.txt", second / "report.txt"):
            writer.add(path, emit(*parse_file(path)))
    assert writer.written == ["report.txt", "report.txt"]
    assert {str(q) for q in store.quads(later.name)} == _strings(later)


def _strings(graph: NamedGraph) -> set[str]:
    return {str(q) for q in graph.quads()}


def test_a_file_loaded_twice_in_two_batches_keeps_the_later_copy(tmp_path: Path, monkeypatch) -> None:
    """Two batches that name one graph are never written at once: the earlier copy is slowed so that,
    written at the same time, it would land last and win."""
    monkeypatch.setattr(batch_module, "BATCH_QUADS", 1)  # each report its own batch
    first, second = tmp_path / "a" / "report.txt", tmp_path / "b" / "report.txt"
    first.parent.mkdir(), second.parent.mkdir()
    shutil.copy(SEED, first)
    second.write_text(SEED.read_text().replace("Halton", "Haltonshire", 1))
    earlier, later = emit(*parse_file(first)), emit(*parse_file(second))
    store = Store(None)
    real = Store.write_graphs

    def slow_for_the_earlier(self: Store, graphs) -> None:
        if any(graph.nquads == earlier.nquads for graph in graphs):
            time.sleep(0.3)
        real(self, graphs)

    monkeypatch.setattr(Store, "write_graphs", slow_for_the_earlier)
    with BatchWriter(store) as writer:
        writer.add(first, earlier)
        writer.add(second, later)
    assert {str(q) for q in store.quads(later.name)} == _strings(later)


def test_two_batches_are_written_at_once_and_no_more(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(batch_module, "BATCH_QUADS", 1)
    store = Store(None)
    real = Store.write_graphs
    lock = threading.Lock()
    writing, most = 0, 0

    def counted(self: Store, graphs) -> None:
        nonlocal writing, most
        with lock:
            writing += 1
            most = max(most, writing)
        time.sleep(0.2)  # long beside emitting a report, so the next batch is handed over meanwhile
        real(self, graphs)
        with lock:
            writing -= 1

    monkeypatch.setattr(Store, "write_graphs", counted)
    copies = make_copies(tmp_path / "reports", 5)
    with BatchWriter(store) as writer:
        for path in copies:
            writer.add(path, emit(*parse_file(path)))
    assert most == batch_module.WRITES_IN_FLIGHT == 2
    assert writer.written == [path.name for path in copies]
    assert {g.value for g in store.graphs()} == {report_graph(path.name).value for path in copies}


def test_opening_a_store_often_does_not_fill_its_folder(tmp_path: Path) -> None:
    """RocksDB starts an info log at every open and keeps a thousand; the store keeps the newest two."""
    store = tmp_path / "store"
    for _ in range(6):
        Store(store).close()
    assert len(list(store.glob("LOG.old.*"))) == INFO_LOGS_KEPT
