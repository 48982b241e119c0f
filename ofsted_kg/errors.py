"""The one error type a user sees for a file that cannot be loaded."""

from __future__ import annotations

from pathlib import Path


class ReportError(Exception):
    """A file that is not a loadable report; the message names the file and the reason."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{self.path.name}: {reason}")


class StoreError(Exception):
    """The store cannot be opened or written (locked, unreachable, damaged)."""
