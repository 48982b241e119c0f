"""Fuzzing the text-to-records parsers with mutated real report text.

Whatever happens to a report's text (lines deleted or shuffled, OCR-like noise),
loading it either gives records or a clear `ReportError`: never a traceback.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from conftest import EXAMPLES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ofsted_kg.errors import ReportError
from ofsted_kg.graph.emit import emit
from ofsted_kg.loaders import load_report
from ofsted_kg.records import Inspection

SOURCES = {
    "area-send": (EXAMPLES / "halton-area-send-2023.txt").read_text(),
    "ilacs": (EXAMPLES / "bolton-childrens-services-2018.md").read_text(),
}
NOISE = "®B•◼|~^*_ \t\n0123456789lI1O0–-'\""


def mutate(text: str, seed: int, deletions: int, swaps: int, noise: int) -> str:
    """Delete lines, swap blocks of lines, and sprinkle OCR-like characters, reproducibly."""
    rng = random.Random(seed)
    lines = text.splitlines()
    for _ in range(min(deletions, max(0, len(lines) - 1))):
        del lines[rng.randrange(len(lines))]
    for _ in range(swaps):
        if len(lines) > 4:
            a, b = sorted(rng.sample(range(len(lines)), 2))
            lines[a:b] = lines[a:b][::-1]
    chars = list("\n".join(lines))
    for _ in range(noise):
        if chars:
            chars[rng.randrange(len(chars))] = rng.choice(NOISE)
    return "".join(chars)


def load_or_refuse(path: Path) -> Inspection | None:
    try:
        report, inspection = load_report(path)
    except ReportError as err:
        assert str(err).startswith(path.name + ": ") and "\n" not in str(err)
        return None
    emit(report, inspection)  # the records must also be emittable
    return inspection


@pytest.mark.parametrize("kind", sorted(SOURCES))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    seed=st.integers(0, 2**32),
    deletions=st.integers(0, 40),
    swaps=st.integers(0, 6),
    noise=st.integers(0, 400),
)
def test_mutated_reports_give_records_or_a_clear_error(
    tmp_path: Path, kind: str, seed: int, deletions: int, swaps: int, noise: int
) -> None:
    path = tmp_path / f"{kind}.txt"
    path.write_text(mutate(SOURCES[kind], seed, deletions, swaps, noise), encoding="utf-8")
    load_or_refuse(path)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(min_size=0, max_size=3000))
def test_arbitrary_text_gives_records_or_a_clear_error(tmp_path: Path, text: str) -> None:
    path = tmp_path / "arbitrary.txt"
    path.write_text("Area SEND inspection of X Local Area Partnership\n" + text, encoding="utf-8", errors="replace")
    load_or_refuse(path)


def test_mutation_keeps_unmutated_text() -> None:
    assert mutate("a\nb\nc", seed=1, deletions=0, swaps=0, noise=0) == "a\nb\nc"
    assert mutate(SOURCES["ilacs"], seed=3, deletions=10, swaps=2, noise=50) != SOURCES["ilacs"]
