"""The scale benchmark compares like with like: its floor bulk-loads exactly what the pipeline loaded.

`make bench` reports the synthetic load's time over Oxigraph's bulk loader alone on "the same
quads"; these tests hold it to that on synthetic reports made from the bundled examples.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import EXAMPLES

from benchmarks import floor, report, synth

REPORTS = 12


@pytest.fixture(scope="module")
def records(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bench") / "records.pickle"
    synth.save_records(EXAMPLES, path)
    return path


def test_the_floor_loads_the_quads_the_synthetic_load_wrote(records: Path, tmp_path: Path) -> None:
    loaded = synth.load(str(tmp_path / "synth"), REPORTS, records)
    written = floor.nquads(tmp_path / "synth.nq", REPORTS, records)
    floored = floor.load(tmp_path / "floor", tmp_path / "synth.nq")

    assert written["quads"] == floored["quads"] == loaded["quads"] > REPORTS * 100
    floor_store, synth_store = ox.Store(str(tmp_path / "floor")), ox.Store(str(tmp_path / "synth"))
    graphs = list(floor_store.named_graphs())
    assert len(graphs) == REPORTS
    for graph in graphs:
        in_floor = set(floor_store.quads_for_pattern(None, None, None, graph))
        assert in_floor == set(synth_store.quads_for_pattern(None, None, None, graph))


def test_the_table_shows_the_floor_and_the_ratio_to_it() -> None:
    figures = {"reports": 500, "quads": 490_000, "quads_per_s": 98_000.0, "wall_s": 6.0, "derive_s": 0.7}
    figures |= {"size_mb": 150.0, "peak_rss_mb": 330.0, "queries": {}}
    figures["floor"] = {"load_s": 4.0, "quads": 490_000, "quads_per_s": 122_500.0, "peak_rss_mb": 529.0}
    figures["floor"]["load_ratio"] = 1.25

    table = "\n".join(report._scale_rows({"sizes": {"1": figures}}))

    assert "| 122,500 quads/s |" in table
    assert "(4 s, peak 529 MB)" in table
    assert "| load time / the floor's | 1.25x |" in table
