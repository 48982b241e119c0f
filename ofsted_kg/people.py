"""Canonical person names: one person node per real person, whatever the report printed.

Reports print one inspector several ways: with titles ("Dr", "HMI"), with or
without accents (Máire / Maire Atherton), with a short first name (Dan / Daniel
Carrick) or a misspelling (Wendy Ratcliff / Ratcliffe). Two layers resolve them:

- normalisation, which only removes what never tells two people apart: titles
  and honours, case, accents, spacing, punctuation and extraction noise;
- the curated table `data/person-aliases.csv`, which says which other printed
  names belong to one person and gives that person's canonical name.

Nothing is merged by similarity alone: two different inspectors can have names
one letter apart, and a wrong merge silently corrupts every count over people,
while a missed one stays visible. `lookalikes` finds the pairs a person should
review; a reviewed decision goes into the table either way (see docs/model.md).
"""

from __future__ import annotations

import csv
import itertools
import re
import unicodedata
from collections.abc import Iterable
from functools import cache
from importlib import resources

from .iris import slug

_TITLES_BEFORE = re.compile(r"^(?:(?:mr|mrs|ms|miss|mx|dr|prof|professor|sir|dame|cllr)\b\.?\s*)+", re.IGNORECASE)
_TITLES_AFTER = re.compile(r"(?:[\s,]+(?:HMI|OI|OBE|MBE|CBE|PhD))+$")
_NOISE = re.compile(r"[\x00-\x1f\u00ad\u200b-\u200d\ufeff]")
_EDGES = re.compile(r"^\W+|\W+$")


def clean(printed: str) -> str:
    """The name as a person would write it: no titles, honours, noise or stray punctuation."""
    name = _NOISE.sub("", unicodedata.normalize("NFC", printed)).replace("\u2019", "'").replace("\u2018", "'")
    name = re.sub(r"\s*-\s*", "-", re.sub(r"\s+", " ", name))
    name = _EDGES.sub("", name)
    name = _TITLES_AFTER.sub("", _TITLES_BEFORE.sub("", name)).strip(" ,")
    return " ".join(word.title() if word.isupper() and len(word) > 2 else word for word in name.split(" "))


def name_key(printed: str) -> str:
    """What two printings of one name share: "Dr Máire  ATHERTON" and "Maire Atherton" -> "maire-atherton"."""
    return slug(clean(printed))


def canonical_name(printed: str) -> str:
    """The person's canonical name: the alias table's, else the cleaned printed name."""
    return aliases().get(name_key(printed), clean(printed))


def person_key(printed: str) -> str:
    """The slug of the person's IRI (`id/person/<key>`): equal for every printing of one person."""
    return slug(canonical_name(printed))


@cache
def aliases() -> dict[str, str]:
    """Name key -> canonical name, from `data/person-aliases.csv` (columns name, person, note)."""
    with resources.files("ofsted_kg.data").joinpath("person-aliases.csv").open(encoding="utf-8") as handle:
        return {name_key(row["name"]): row["person"].strip() for row in csv.DictReader(handle)}


def lookalikes(names: Iterable[str]) -> list[tuple[str, str]]:
    """Pairs of names that may be one person and that the alias table has not decided.

    A pair looks alike when the surnames match and the first names share their
    first two letters (Dan / Daniel, Sue / Susan), or the whole names are one
    edit apart (Ratcliff / Ratcliffe). The table decides a pair when both names
    resolve to one person, or when either name is listed (a name listed as
    itself is a reviewed person of its own).
    """
    people: dict[str, str] = {}  # canonical name -> the first of the given names that resolves to it
    for name in sorted(n for n in names if clean(n)):
        people.setdefault(canonical_name(name), name)
    listed = set(aliases())
    pairs = []
    for a, b in itertools.combinations(sorted(people), 2):
        if name_key(a) in listed or name_key(b) in listed:
            continue
        if _look_alike(name_key(a), name_key(b)):
            pairs.append((people[a], people[b]))
    return pairs


def _look_alike(a: str, b: str) -> bool:
    first_a, _, last_a = a.rpartition("-")
    first_b, _, last_b = b.rpartition("-")
    if last_a == last_b and first_a[:2] == first_b[:2]:
        return True
    return _within_one_edit(a, b)


def _within_one_edit(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    for i, (x, y) in enumerate(zip(a, b, strict=False)):
        if x != y:
            return a[i + 1 :] == b[i + 1 :] if len(a) == len(b) else a[i:] == b[i + 1 :]
    return True
