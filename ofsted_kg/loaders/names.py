"""What a person's name looks like in a report, for the parsers that must tell names from the words around them.

Reports print names as their owners write them: with accents (Máire, Siân), particles (de Souza,
van der Walt), prefixes (al-Khalili, O'Neill, McDowell, MacDonald), hyphens (Henn-Macrae) and
initials (Mary J. Smith). These checks go by shape alone; which capitalised words are posts or
bodies rather than names is for each parser to say, as only it knows what stands around the names.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

_UPPER = "A-ZÀ-ÖØ-Þ"
_LOWER = "a-zß-öø-ÿ"
_PART = rf"[{_UPPER}][{_LOWER}]*['’]?[{_UPPER}]?[{_LOWER}]+"
_WORD = re.compile(rf"^(?:[{_LOWER}]{{1,3}}['’-])?{_PART}(?:-{_PART})*$")
_INITIAL = re.compile(rf"^[{_UPPER}]\.?$")
PARTICLES = frozenset(
    {"al", "bin", "da", "das", "de", "del", "della", "der", "den", "di", "dos", "du", "el", "ibn", "la", "le", "ten",
     "ter", "van", "von"}
)  # fmt: skip
HONOURS = re.compile(r"\s*\(?\b(?:OBE|MBE|CBE|DBE|KBE)\b\)?")


def is_name_word(word: str) -> bool:
    """A capitalised word as names are written: "Máire", "O'Neill", "McDowell", "al-Khalili", "Henn-Macrae"."""
    return bool(_WORD.match(word))


def is_name(words: Sequence[str], not_first: Collection[str] = (), not_last: Collection[str] = ()) -> bool:
    """Two or more words that read as one person's name: capitalised first and last words, with names,
    particles or initials between them. Words in `not_first` or `not_last` (lower case) may not stand there:
    a parser's posts and bodies ("Chief Executive"), where some are surnames too ("Emma Young")."""
    if len(words) < 2:
        return False
    first, *middle, last = words
    return (
        is_name_word(first)
        and first.lower() not in not_first
        and is_name_word(last)
        and last.lower() not in not_last
        and all(_within_name(w) for w in middle)
    )


def is_name_part(words: Sequence[str]) -> bool:
    """All or part of a name a line break may have cut ("Jane", "de Souza", "J. Smith"): name words,
    particles and initials, at least one of them a name word."""
    return any(is_name_word(w) for w in words) and all(_within_name(w) for w in words)


def _within_name(word: str) -> bool:
    """A word that may stand inside a name: a name word, a particle or an initial."""
    return is_name_word(word) or word in PARTICLES or bool(_INITIAL.match(word))
