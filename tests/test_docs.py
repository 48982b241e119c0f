"""The generated CLI reference matches the commands' --help (the query docs are checked in test_queries)."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT


def test_cli_reference_is_current() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "gen_cli_docs.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
