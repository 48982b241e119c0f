"""The load pipeline: files -> records (in worker processes) -> quads -> store.

Parsing is CPU-bound and independent per report, so it runs in a process pool;
writing stays in this process because a store has one writer. Reports are
written in batches (`graph.batch`), each report's graph whole or not at all, so
one bad file never stops or damages the others.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from ..classify import annotate, load_cues
from ..errors import ReportError
from ..iris import VOCAB
from ..loaders import load_report
from ..records import Inspection, Report
from .batch import BatchWriter
from .emit import emit
from .links import inspection_links
from .nquads import NamedGraph
from .store import GraphStore
from .tallies import tallies
from .terms import SYSTEM_GRAPHS, system_graph
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


def parse_file(path: Path) -> tuple[Report, Inspection] | str:
    """Records for one file, or the one-line error that says why it cannot be loaded."""
    try:
        report, inspection = load_report(path)
        annotate(inspection)
        return report, inspection
    except ReportError as err:
        return str(err)
    except Exception as err:  # a parser bug must not stop the other files; say what and where
        return f"{path.name}: could not be parsed ({type(err).__name__}: {err}); please report this file"


Outcome = tuple[Report, Inspection] | str


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
    pool = ProcessPoolExecutor(max_workers=workers)
    try:
        yield zip(files, pool.map(parse_file, files, chunksize=2), strict=True)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


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
    with parsing(files, workers or default_workers()) as outcomes, BatchWriter(store) as writer:
        ensure_vocabulary(store)
        owners = GraphOwners(store)
        for path, parsed in outcomes:
            outcome = parsed if isinstance(parsed, str) else emit_file(path, parsed)
            if not isinstance(outcome, str):
                outcome = owners.claim(path, outcome.name) or outcome
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


class GraphOwners:
    """Which file each report graph holds, so that a load never lets one file's graph replace another's.

    A report graph is named by its file name made a slug, so names that differ only in case, punctuation or
    letters outside ASCII ("Report.pdf", "report (1).pdf") share one, and the store's own graphs have names of
    the same form. Loading a file again under its own name replaces its graph: that is how a report is reloaded.
    """

    def __init__(self, store: GraphStore) -> None:
        self._owners = {graph.value: name for name, graph in report_graphs(store).items()}
        self._owners.update({system_graph(name).value: "" for name in SYSTEM_GRAPHS})
        self._loading: dict[str, Path] = {}

    def claim(self, path: Path, graph: ox.NamedNode) -> str | None:
        """None if the file may have this graph, else the one-line reason it may not."""
        owner, earlier = self._owners.get(graph.value), self._loading.get(graph.value)
        if earlier is not None:
            reason = f"its graph would replace that of {earlier}, loaded just before"
        elif owner == "":
            reason = "its name is that of one of the store's own graphs"
        elif owner is not None and owner != path.name:
            reason = f"its graph would replace that of {owner}, already in the store"
        else:
            self._loading[graph.value] = path
            return None
        return f"{path}: not loaded: {reason} (a report is known by its file name, whatever its case and punctuation)"


def report_graphs(store: GraphStore) -> dict[str, ox.NamedNode]:
    """Each report in the store by its file name, with its graph."""
    rows = store.query(f"SELECT ?g ?name WHERE {{ GRAPH ?g {{ ?r a <{VOCAB}Report> ; <{VOCAB}fileName> ?name }} }}")
    return {row["name"].value: row["g"] for row in rows}


def remove_reports(store: GraphStore, names: Iterable[str]) -> tuple[list[str], list[str]]:
    """Remove the graphs of these report files (names as loaded, exactly); returns (removed, not found)."""
    present = report_graphs(store)
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
    """Recompute what no single report can say: the links between inspections and the tallies.

    Both are written by one call: into a store that holds neither yet, one ingestion.
    """
    store.write_graphs([inspection_links(store), tallies(store)])


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))
