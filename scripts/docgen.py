"""What every docs generator shares: write the file, or check that the committed one is current.

The generators are the only writers of the pages they make, and the tests run
each with --check, so a page cannot drift from what it documents.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path


def generate(path: Path, render: Callable[[], str], description: str) -> int:
    """Parse --check, then rewrite `path` or report (exit 1) that it is out of date."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--check", action="store_true", help=f"exit 1 if {path.name} is out of date")
    args = parser.parse_args()
    text = render()
    if args.check:
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            print(f"{path} is out of date: run python scripts/{Path(sys.argv[0]).name}", file=sys.stderr)
            return 1
        return 0
    path.write_text(text, encoding="utf-8")
    return 0
