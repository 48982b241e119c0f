"""The floor under the scale load: Oxigraph's own bulk loader, given the same quads as one file.

The load pipeline makes records, emits quads in Python and hands them to Oxigraph in batches
(graph.batch). Whatever it does, it cannot write faster than Oxigraph ingests the same quads
with nothing else to do. So the same synthetic reports (same seed, same order) are written to an
N-Quads file, untimed, and one `bulk_load(path=...)` reads that file into a fresh store, timed:
Oxigraph parsing and indexing on every core it wants, with no Python in the loop. The ratio of
the pipeline's load time to this one says how much the pipeline itself costs.

    python -m benchmarks.floor nquads FILE N RECORDS_PICKLE   # child: write N synthetic reports' quads
    python -m benchmarks.floor load STORE FILE                # child: bulk-load FILE into a fresh store
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pyoxigraph as ox

from ofsted_kg.graph.emit import emit

from .measure import emit_json
from .synth import saved_records, synthetic


def nquads(file: Path, n: int, records: Path) -> dict:
    """Write the quads the scale load emits for N synthetic reports, one report after another."""
    real = saved_records(records)
    quads = 0
    with file.open("wb") as out:
        for report, inspection in synthetic(real, n):
            graph = emit(report, inspection)
            out.write(graph.nquads)
            quads += graph.size
    return {"quads": quads}


def load(store_path: Path, file: Path) -> dict:
    """Bulk-load the file into a fresh store, as the pipeline writes (N-Quads, lenient), and flush."""
    start = time.perf_counter()
    store = ox.Store(str(store_path))
    store.bulk_load(path=str(file), format=ox.RdfFormat.N_QUADS, lenient=True)
    store.flush()
    seconds = time.perf_counter() - start
    return {"load_s": seconds, "quads": len(store)}


def main(argv: list[str]) -> None:
    if argv[:1] == ["nquads"]:
        emit_json(nquads(Path(argv[1]), int(argv[2]), Path(argv[3])))
    elif argv[:1] == ["load"]:
        emit_json(load(Path(argv[1]), Path(argv[2])))
    else:
        raise SystemExit(f"unknown mode {argv[:1]!r}: nquads or load")


if __name__ == "__main__":
    main(sys.argv[1:])
