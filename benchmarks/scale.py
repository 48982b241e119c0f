"""Scale: synthetic corpora of 1, 10 and 100 times the published corpus, loaded and queried.

One "x" is UNIT reports: about as many area SEND and children's services reports as Ofsted has
published (the issue's figure), so 100x is 50,000 reports. Each size is loaded into a fresh
store through the pipeline's own emit-and-store path (`benchmarks.synth`), in a child process
whose tree's peak memory is sampled; then every named query runs on it. Last, the same quads
are bulk-loaded by Oxigraph alone (`benchmarks.floor`): the floor the pipeline's load is
measured against.
"""

from __future__ import annotations

import json
import math
import shutil
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path

from ofsted_kg.graph.store import Store, compact
from ofsted_kg.queries import named_queries

from .measure import ChildError, ChildRun, emit_json, run_child
from .synth import save_records

UNIT = 500
QUERY_REPEATS = 3
LOAD_REPEATS = 3  # loads (and floors) under ONCE_SECONDS; a slower one is run once
ONCE_SECONDS = 10.0
QUERY_LIMIT_SECONDS = 120.0  # 60 times the 2 s target: past it, a query is stopped and reported as such


def measure(corpus: Path, workdir: Path, scales: list[int]) -> dict:
    records = workdir / "records.pickle"
    save_records(corpus, records)
    sizes = {}
    for scale in scales:
        store = store_path(workdir, scale)
        run = _median_run(partial(_into_fresh_store, store, "benchmarks.synth", str(scale * UNIT), str(records)))
        load = _throughput(run)
        sizes[str(scale)] = {**load, "size_mb": load["size_bytes"] / 1024**2, "queries": _queries(store)}
        sizes[str(scale)]["compacted"] = _compacted(store)
        if scale != 1:
            shutil.rmtree(store, ignore_errors=True)  # 100x is tens of GB
        sizes[str(scale)]["floor"] = _floor(workdir, scale, records, load["load_s"])
    return {"unit_reports": UNIT, "sizes": sizes, "growth": growth(sizes)}


def store_path(workdir: Path, scale: int) -> Path:
    return workdir / f"synth-{scale}x"


def _median_run(run: Callable[[], ChildRun]) -> ChildRun:
    """The run with the median load time of LOAD_REPEATS, or the only run when the first is slow;
    its `result` says how many runs it was chosen from."""
    runs = [run()]
    while len(runs) < LOAD_REPEATS and runs[0].result["load_s"] < ONCE_SECONDS:
        runs.append(run())
    chosen = sorted(runs, key=lambda r: r.result["load_s"])[len(runs) // 2]
    chosen.result["runs"] = len(runs)
    return chosen


def _into_fresh_store(store: Path, module: str, *args: str) -> ChildRun:
    """`python -m module load STORE args...` on an empty folder: every run loads a new store."""
    shutil.rmtree(store, ignore_errors=True)
    return run_child(module, "load", str(store), *args)


def _compacted(store: Path) -> dict:
    """`ofsted-kg compact` on the loaded store, timed, and every named query again on the result."""
    run = run_child("benchmarks.scale", "compact", str(store))
    result = run.result
    return {**result, "size_mb": result["size_bytes"] / 1024**2, "queries": _queries(store)}


def compact_timed(store_path: str) -> dict:
    """`ofsted-kg compact` (the same function) on the store, timed."""
    done = compact(Store(store_path))
    return {"compact_s": done.seconds, "size_bytes": done.after_bytes}


def _floor(workdir: Path, scale: int, records: Path, load_s: float) -> dict:
    """Oxigraph's bulk loader alone on the same quads, and the pipeline's load time over its time."""
    quads, store = workdir / f"synth-{scale}x.nq", workdir / f"floor-{scale}x"
    try:
        run_child("benchmarks.floor", "nquads", str(quads), str(scale * UNIT), str(records))
        run = _median_run(partial(_into_fresh_store, store, "benchmarks.floor", str(quads)))
    finally:
        quads.unlink(missing_ok=True)
        shutil.rmtree(store, ignore_errors=True)
    floor = _throughput(run)
    return {**floor, "load_ratio": load_s / floor["load_s"]}


def _throughput(run: ChildRun) -> dict:
    """A load child's figures, with its quads per second and its tree's peak memory (MB)."""
    result = run.result
    return {**result, "quads_per_s": result["quads"] / result["load_s"], "peak_rss_mb": run.peak_rss / 1024**2}


def _queries(store: Path) -> dict:
    """Each named query in a child of its own, so one that runs past the limit costs only its own figure,
    and its peak memory is its own: the child's whole tree, the store opened and the query run."""
    values = run_child("benchmarks.queries", "params", str(store)).result
    results = {}
    for name in named_queries():
        args = ("oxigraph", str(store), str(QUERY_REPEATS), json.dumps(values), name)
        try:
            run = run_child("benchmarks.queries", *args, timeout=QUERY_LIMIT_SECONDS)
            results[name] = {**run.result[name], "peak_rss_mb": run.peak_rss / 1024**2}
        except ChildError as err:
            error = f"over {QUERY_LIMIT_SECONDS:.0f} s (stopped)" if err.timed_out else str(err)
            results[name] = {"error": error, "peak_rss_mb": err.peak_rss / 1024**2}
    return results


def growth(sizes: dict[str, dict]) -> dict:
    """How each figure grows with size, as the exponent k of size^k between the smallest and largest."""
    if len(sizes) < 2:
        return {}
    small, large = sizes[min(sizes, key=int)], sizes[max(sizes, key=int)]
    ratio = large["reports"] / small["reports"]

    def exponent(a: float, b: float) -> float | None:
        return round(math.log(b / a) / math.log(ratio), 2) if a > 0 and b > 0 else None

    found = {
        key: exponent(small[key], large[key]) for key in ("quads_per_s", "size_mb", "peak_rss_mb", "load_s", "derive_s")
    }
    if "floor" in small and "floor" in large:
        found["floor_quads_per_s"] = exponent(small["floor"]["quads_per_s"], large["floor"]["quads_per_s"])
    for name, figures in large["queries"].items():
        before = small["queries"].get(name, {})
        if "median_s" in figures and "median_s" in before:
            found[f"query:{name}"] = exponent(before["median_s"], figures["median_s"])
        if "peak_rss_mb" in figures and "peak_rss_mb" in before:
            found[f"query-memory:{name}"] = exponent(before["peak_rss_mb"], figures["peak_rss_mb"])
    return found


def main(argv: list[str]) -> None:
    if argv[0] != "compact":
        raise SystemExit(f"unknown mode {argv[0]!r}: compact")
    emit_json(compact_timed(argv[1]))


if __name__ == "__main__":
    main(sys.argv[1:])
