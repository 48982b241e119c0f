"""The load pipeline: files -> records (in worker processes) -> quads -> store.

Parsing is CPU-bound and independent per report, so it runs in a process pool;
writing stays in this process because a store has one writer. Reports are
written in batches (`graph.batch`), each report's graph whole or not at all, so
one bad file never stops or damages the others.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from ..classify import annotate, load_cues
from ..errors import ReportError, StoreError, reason
from ..loaders import load_report
from ..records import Inspection, Report
from .batch import BatchWriter
from .emit import emit
from .links import inspection_links, links_graph
from .nquads import NamedGraph
from .owners import GraphOwners, check_base, stored_reports
from .store import GraphStore
from .tallies import tallies, tallies_graph
from .terms import now, ns, system_graph
from .vocabulary import ensure_vocabulary

REPORT_SUFFIXES = {".pdf", ".html", ".htm", ".md", ".markdown", ".txt"}


@dataclass
class LoadResult:
    loaded: list[str] = field(default_factory=list)  # file names
    failed: list[str] = field(default_factory=list)  # one-line messages "file: reason"
    quads: int = 0


def collect(paths: Iterable[Path]) -> tuple[list[Path], list[str]]:
    """The report files under these paths (folders recursively, sorted), each once however often it is
    named, and errors for missing paths."""
    files: dict[Path, Path] = {}  # by the file it is, so that "a.pdf ./a.pdf" or a folder and its file count once
    errors: list[str] = []
    for path in paths:
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.suffix.lower() in REPORT_SUFFIXES and p.name.lower() != "readme.md" and not p.is_dir()
            )
        elif path.exists() or path.is_symlink():
            found = [path]
        else:
            errors.append(f"{path}: no such file or folder")
            continue
        for file in found:
            files.setdefault(_identity(file), file)
    return list(files.values()), errors


def _identity(path: Path) -> Path:
    """The file a path names; a link that loops is its own (loading it then says why it cannot be read)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()


Outcome = tuple[Report, Inspection] | str  # the records, or the one-line reason there are none


def parse_file(path: Path) -> Outcome:
    """Records for one file, or the one-line error that says why it cannot be loaded."""
    try:
        report, inspection = load_report(path)
        annotate(inspection)
        return report, inspection
    except ReportError as err:
        return str(err)
    except Exception as err:  # a parser bug must not stop the other files; say what and where
        return f"{path.name}: could not be parsed ({type(err).__name__}: {err}); please report this file"


def emit_file(path: Path, records: tuple[Report, Inspection]) -> NamedGraph | str:
    """The file's graph, or the one-line error that says why it cannot be written.

    Emit refuses a value that cannot stand in an IRI (`graph.nquads`); records from a parser bug
    could hold one, and that must stop only this file, as a parser bug does in `parse_file`.
    """
    try:
        return emit(*records)
    except ValueError as err:
        return f"{path.name}: could not be written to the graph ({err}); please report this file"


@contextmanager
def parsing(files: list[Path], workers: int) -> Iterator[Iterator[tuple[Path, Outcome]]]:
    """Each file's outcome, in order; in `workers` processes when there is more than one file.

    The processes start on entering, so what the caller does before reading the first outcome
    (writing the vocabulary) runs while they parse. Leaving early cancels what has not started.
    """
    if workers <= 1 or len(files) <= 1:
        yield ((path, parse_file(path)) for path in files)
        return
    load_cues()  # before the fork, so the workers inherit the compiled cues
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_parser_process, initargs=(os.getpid(),))
    try:
        yield _in_order(files, pool.map(parse_file, files, chunksize=2))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _parser_process(load_pid: int) -> None:
    """A parser process leaves interruptions to the load: Ctrl-C reaches the whole process group, and only the
    load should stop the pool (a parser's own KeyboardInterrupt printed tracebacks). It ends when the load
    does, however that ends: killed, the load left its parsers running, holding its output pipe open."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)

    def watch() -> None:
        while os.getppid() == load_pid:
            time.sleep(_WATCH_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


_WATCH_SECONDS = 0.5


def _in_order(files: list[Path], results: Iterator[Outcome]) -> Iterator[tuple[Path, Outcome]]:
    """Each file with its outcome. A parser process that dies (the system, out of memory, kills it) stops the
    pool: the files parsed before it still load, and each one left is named rather than lost in a traceback."""
    broken = False
    for path in files:
        if not broken:
            try:
                yield path, next(results)
                continue
            except BrokenProcessPool:
                broken = True
        yield path, f"{path}: not parsed: a parser process stopped (out of memory?) before it was read; load it again"


def load_files(
    store: GraphStore,
    files: list[Path],
    *,
    workers: int | None = None,
    on_file: Callable[[Path], None] | None = None,
) -> LoadResult:
    """Load every file into the store, each report's graph whole or not at all.

    A write that fails (a full disk) stops the load with a StoreError naming
    the reports of the failed batch; every report before them stays.
    """
    result = LoadResult()
    check_base(store)
    with parsing(files, workers or default_workers()) as outcomes, BatchWriter(store) as writer:
        ensure_vocabulary(store, stale_note())
        owners = GraphOwners(store)
        for path, parsed in outcomes:
            outcome = parsed if isinstance(parsed, str) else emit_file(path, parsed)
            if not isinstance(outcome, str):
                outcome = owners.claim(path, parsed[0].sha256, outcome.name) or outcome
            if isinstance(outcome, str):
                result.failed.append(outcome)
            else:
                writer.add(path, outcome)
            if on_file:
                on_file(path)
    result.loaded, result.quads = writer.written, writer.quads_written
    derive(store)
    store.flush()
    return result


def remove_reports(store: GraphStore, names: Iterable[str]) -> tuple[list[str], list[str]]:
    """Remove the graphs of these report files (names as loaded, exactly); returns (removed, not found)."""
    check_base(store)  # the links and tallies derived afterwards are named under the base
    present = {report.file_name: report.graph for report in stored_reports(store)}
    if any(Path(name).name in present for name in names):
        store.write_graphs([stale_note()])
    removed, missing = [], []
    for name in names:
        graph = present.get(Path(name).name)
        if graph is not None:
            store.remove_graph(graph)
            removed.append(name)
        else:
            missing.append(name)
    if removed:
        derive(store)
    return removed, missing


def derive(store: GraphStore) -> None:
    """Recompute what no single report can say: the links between inspections and the tallies; then take
    away the note that they were stale.

    Both are written by one call: into a store that holds neither yet, one ingestion.
    """
    store.write_graphs([inspection_links(store), tallies(store)])
    store.remove_graph(pending_graph())


# A load or removal notes, as it starts, that the derived graphs no longer match the reports; `derive` takes the
# note away. A load stopped between the two (Ctrl-C, a kill, a full disk) leaves it, and the next command that
# opens the store derives them again before it reads them (`up_to_date`).
def pending_graph() -> ox.NamedNode:
    return system_graph("pending")


def stale_note() -> NamedGraph:
    """The derived graphs, invalidated now (PROV-O's prov:invalidatedAtTime)."""
    invalidated = ns("prov", "invalidatedAtTime")
    return NamedGraph.of(pending_graph(), [(g, invalidated, now()) for g in (links_graph(), tallies_graph())])


def up_to_date(store: GraphStore) -> str | None:
    """Recompute the derived graphs if a load or removal stopped before it could. None when they are up to
    date; else why they could not be written (a full disk): the store stays readable, so that the reports it
    holds can still be read and exported, but its aggregate answers may not match them."""
    if not store.query(f"ASK {{ GRAPH {pending_graph()} {{ ?s ?p ?o }} }}"):
        return None
    try:
        derive(store)
    except (OSError, StoreError) as err:
        return (
            f"store {store.location}: its links and tallies could not be brought up to date ({reason(err)}); the "
            "aggregate answers (common failings, recurring inspectors, outcomes...) may not match its reports"
        )
    return None


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))
