"""The scale benchmark compares like with like: its floor bulk-loads exactly what the pipeline loaded.

`make bench` reports the synthetic load's time over Oxigraph's bulk loader alone on "the same
quads"; these tests hold it to that on synthetic reports made from the bundled examples.
`benchmarks.explain` must show the plan of the very query the CLI runs, parameters bound alike.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import EXAMPLES, run_cli

from benchmarks import explain, floor, report, scale, synth

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


def _figures() -> dict:
    figures = {"reports": 500, "quads": 490_000, "quads_per_s": 98_000.0, "wall_s": 6.0, "derive_s": 0.7}
    return figures | {"size_mb": 150.0, "peak_rss_mb": 330.0, "queries": {}}


def test_the_table_shows_the_floor_and_the_ratio_to_it() -> None:
    figures = _figures()
    figures["floor"] = {"load_s": 4.0, "quads": 490_000, "quads_per_s": 122_500.0, "peak_rss_mb": 529.0}
    figures["floor"]["load_ratio"] = 1.25

    table = "\n".join(report._scale_rows({"sizes": {"1": figures}}))

    assert "| 122,500 quads/s |" in table
    assert "(4 s, peak 529 MB)" in table
    assert "| load time / the floor's | 1.25x |" in table


def test_compaction_is_timed_and_the_queries_after_it_are_held_to_the_target(records: Path, tmp_path: Path) -> None:
    store = tmp_path / "synth"
    loaded = synth.load(str(store), REPORTS, records)
    compacted = scale.compact_timed(str(store))
    assert compacted["compact_s"] > 0
    assert compacted["size_bytes"] > 0 and compacted["size_bytes"] != loaded["size_bytes"]
    assert len(ox.Store(str(store))) == loaded["store_quads"]

    figures = _figures() | {"reports": 50_000}
    figures["compacted"] = {**compacted, "size_mb": 8_100.0, "queries": {"inspections": {"median_s": 2.5, "rows": 9}}}
    table = "\n".join(report._scale_rows({"sizes": {"100": figures}}))

    assert "| `ofsted-kg compact` after the load (" in table and "| 8,100 MB |" in table
    assert "| after compact, query inspections (9 rows) | 2,500.0 ms | <= 2 s | **no** |" in table


def test_explain_prints_the_plan_of_the_query_bound_as_the_cli_binds_it(
    examples_store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    listed = run_cli("query", "common-failings", "--store", examples_store, "--format", "csv").stdout.splitlines()
    theme = listed[1].split(",")[0]
    expected = run_cli("query", "theme-findings", "-p", f"theme={theme}", "--store", examples_store, "--format", "csv")
    answer_rows = len(expected.stdout.splitlines()) - 1

    explain.main([str(examples_store), "theme-findings", "-p", f"theme={theme}"])
    plan = capsys.readouterr().out.splitlines()

    rows, milliseconds, ms, step = plan[0].split(maxsplit=3)
    assert int(rows.replace(",", "")) == answer_rows > 0 and float(milliseconds) > 0 and ms == "ms"
    assert step.startswith("Project(?theme_id")
    assert any("QuadPattern(?finding <http://purl.org/dc/terms/subject>" in line for line in plan)

    explain.main([str(examples_store), "theme-findings", "-p", f"theme={theme}", "--no-stats"])
    assert capsys.readouterr().out.startswith("Project(?theme_id")


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (["no-such-query"], "unknown query 'no-such-query'"),
        (["theme-findings"], "needs --param theme="),
    ],
)
def test_explain_refuses_in_one_line(examples_store: Path, args: list[str], reason: str) -> None:
    with pytest.raises(SystemExit, match=reason):
        explain.main([str(examples_store), *args])


def test_explain_needs_a_store_there(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="no store there"):
        explain.main([str(tmp_path / "none"), "inspections"])
    assert not (tmp_path / "none").exists()
