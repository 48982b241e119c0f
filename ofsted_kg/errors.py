"""The errors a user sees as one line: a file that cannot be loaded, a store or a file that cannot be written."""

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


class OutputError(Exception):
    """A file the tool was asked to write (an export, a page, a network file) cannot be written."""

    def __init__(self, path: Path, err: OSError | ValueError) -> None:
        super().__init__(f"{path}: cannot be written ({reason(err)})")


def reason(err: object) -> str:
    """Why a call failed, in the system's words where it gave some ("No space left on device" rather than
    Python's "[Errno 28] No space left on device: 'store/000042.sst'"), for messages that name the file already."""
    return getattr(err, "strerror", None) or str(err)
