"""Text cut or escaped for a person to read: messages that must stay one line, hover titles that must stay short."""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def clip(text: str, limit: int) -> str:
    """At most `limit` characters, the cut marked with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def escape_controls(message: str) -> str:
    """The message with control characters escaped: a file name may hold a line break, and a message that
    names it must stay one line (a second could pass for another file's)."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), message)
