"""The HTML pages the tool writes (`viz`, `report`): their templates, and a page's way to its file."""

from __future__ import annotations

from pathlib import Path

import jinja2

from ..errors import OutputError

# Autoescaped: every string a report holds is text on the page, never markup.
TEMPLATES = jinja2.Environment(
    loader=jinja2.PackageLoader("ofsted_kg.graph", "templates"), autoescape=True, keep_trailing_newline=True
)


def write_page(path: Path, html: str) -> None:
    """Write a page, or say in one line why it cannot be written."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")
    except OSError as err:
        raise OutputError(path, err) from None
