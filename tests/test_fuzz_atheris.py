"""Run the atheris fuzzer over the parsers for a bounded number of inputs (skipped without atheris)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EXAMPLES

pytest.importorskip("atheris")

HARNESS = Path(__file__).resolve().parent / "fuzz" / "atheris_parsers.py"


def test_atheris_finds_no_crash(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for report in EXAMPLES.glob("*.txt"):
        (seeds / report.name).write_bytes(report.read_bytes()[:4000])
    result = subprocess.run(
        [sys.executable, str(HARNESS), "-runs=3000", "-max_len=4000", "-seed=1", str(seeds)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "OFSTED_KG_FUZZ_DIR": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Done 3000 runs" in result.stderr
