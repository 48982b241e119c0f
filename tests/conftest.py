"""Shared test fixtures: paths to the repo's own reports and to ../shared when present."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from ofsted_kg.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "reports"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
BAD = FIXTURES / "bad"
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
GOLD = SHARED / "gold"

needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="needs ../shared/corpus (not in a user's clone)")


@pytest.fixture(autouse=True)
def _isolated_store_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never touch a user's default store or base IRI."""
    monkeypatch.delenv("OFSTED_KG_STORE", raising=False)
    monkeypatch.delenv("OFSTED_KG_BASE", raising=False)
    monkeypatch.setenv("OFSTED_KG_LOCK_WAIT", os.environ.get("OFSTED_KG_TEST_LOCK_WAIT", "2"))


def run_cli(*args: str, input: str | None = None):
    """Run the CLI in-process; the result has exit_code, stdout and stderr."""
    return CliRunner().invoke(main, [str(a) for a in args], input=input, catch_exceptions=False)


@pytest.fixture(scope="session")
def examples_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store loaded once with the bundled examples (read-only for the tests that use it)."""
    store = tmp_path_factory.mktemp("examples") / "store"
    result = CliRunner().invoke(main, ["load", "--store", str(store), "--workers", "1", str(EXAMPLES)])
    assert result.exit_code == 0, result.stderr
    return store


@pytest.fixture(scope="session")
def corpus_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole shared corpus loaded once (skipped where the corpus is absent)."""
    if not CORPUS.is_dir():
        pytest.skip("needs ../shared/corpus")
    store = tmp_path_factory.mktemp("corpus") / "store"
    CliRunner().invoke(main, ["load", "--store", str(store), str(CORPUS)])
    return store
