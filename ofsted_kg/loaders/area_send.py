"""Placeholder parser: finds the authority only (being replaced by the full parser)."""

from __future__ import annotations

from ..records import Inspection
from ..reference import find_authority
from .detect import head_text
from .text import Document


def parse(doc: Document, kind: str) -> Inspection:
    auth = find_authority(head_text(doc))
    return Inspection(
        inspection_type=kind,
        local_authority=auth.name if auth else "",
        la_code=auth.la_code if auth else None,
    )
