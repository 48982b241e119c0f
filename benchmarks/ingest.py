"""Ingest: the real corpus into a fresh store with all cores, against the floor of reading its PDFs.

The reference is the least any loader must do: pypdfium2's raw text of the same PDFs (a bare
loop over pages, `benchmarks.pdf_libraries.pypdfium2_text`), in a pool of the same number of
processes. Runs alternate (reference, ingest, reference, ...) so both see the same machine, and
the ratio is taken run by run.

    python -m benchmarks.ingest load STORE WORKERS CORPUS     # child: one ingest
    python -m benchmarks.ingest extract WORKERS CORPUS        # child: one reference pass
"""

from __future__ import annotations

import shutil
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from ofsted_kg.graph.build import collect, default_workers, load_files
from ofsted_kg.graph.store import Store

from .measure import emit_json, median, run_child, timed
from .pdf_libraries import pdfs, pypdfium2_text


def measure(corpus: Path, workdir: Path, repeats: int) -> dict:
    """Median figures of `repeats` alternating runs; the last run's store is kept for the query section."""
    workers = default_workers()
    store = workdir / "corpus-store"
    runs: dict[str, list] = {"ingest": [], "reference": []}
    for _ in range(repeats):
        runs["reference"].append(run_child("benchmarks.ingest", "extract", str(workers), str(corpus)))
        shutil.rmtree(store, ignore_errors=True)
        runs["ingest"].append(run_child("benchmarks.ingest", "load", str(store), str(workers), str(corpus)))
    ingest, reference = runs["ingest"], runs["reference"]
    loaded = ingest[-1].result
    wall = median([r.result["wall"] for r in ingest])
    return {
        "corpus": str(corpus),
        "files": loaded["files"],
        "reports": loaded["reports"],
        "failed": loaded["failed"],
        "pdfs": reference[-1].result["pdfs"],
        "quads": loaded["quads"],
        "workers": workers,
        "runs": repeats,
        "wall_s": wall,
        "cpu_s": median([r.result["cpu"] for r in ingest]),
        "reports_per_s": loaded["reports"] / wall,
        "peak_rss_mb": median([r.peak_rss for r in ingest]) / 1024**2,
        "reference_wall_s": median([r.result["wall"] for r in reference]),
        "reference_cpu_s": median([r.result["cpu"] for r in reference]),
        "reference_peak_rss_mb": median([r.peak_rss for r in reference]) / 1024**2,
        "ratio_wall": median([i.result["wall"] / r.result["wall"] for i, r in zip(ingest, reference, strict=True)]),
        "ratio_cpu": median([i.result["cpu"] / r.result["cpu"] for i, r in zip(ingest, reference, strict=True)]),
        "store": str(store),
    }


def _load(store_path: str, workers: int, corpus: Path) -> dict:
    files, _ = collect([corpus])
    with Store(store_path) as store:
        wall, cpu, result = timed(lambda: load_files(store, files, workers=workers))
    return {
        "wall": wall,
        "cpu": cpu,
        "files": len(files),
        "reports": len(result.loaded),
        "failed": len(result.failed),
        "quads": result.quads,
    }


def _extract(workers: int, corpus: Path) -> dict:
    files = pdfs(corpus)

    def run() -> int:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            return sum(len(text) for text in pool.map(pypdfium2_text, files, chunksize=2))

    wall, cpu, chars = timed(run)
    return {"wall": wall, "cpu": cpu, "pdfs": len(files), "chars": chars}


def main(argv: list[str]) -> None:
    if argv[0] == "load":
        emit_json(_load(argv[1], int(argv[2]), Path(argv[3])))
    elif argv[0] == "extract":
        emit_json(_extract(int(argv[1]), Path(argv[2])))
    else:
        raise SystemExit(f"unknown mode {argv[0]!r}: load or extract")


if __name__ == "__main__":
    main(sys.argv[1:])
