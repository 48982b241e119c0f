"""Local authorities and ICBs from the public reference tables, and name resolution.

Reports spell the same body many ways ("Bury Council", "Bury Metropolitan Borough
Council", "NHS Greater Manchester ICB", "Greater Manchester Integrated Care
Board", "NHS BSW ICB"). Every spelling resolves here to one reference row, so one
body is one node in the graph whatever report named it.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class Authority:
    la_code: str  # GSS code: the current one, or the last one of an abolished authority
    name: str  # short name as DfE and Ofsted use it
    official_name: str
    la_type: str
    region_code: str
    region_name: str
    dfe_code: str
    ofsted_urn: str
    previous_codes: tuple[str, ...] = ()
    ended: str | None = None  # ISO date an abolished authority ended
    successor_codes: tuple[str, ...] = ()
    icb_codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Icb:
    ods_code: str
    ons_code: str
    name: str  # "NHS X Integrated Care Board"
    short_name: str  # "X"
    nhs_region: str


@dataclass
class Reference:
    authorities: dict[str, Authority] = field(default_factory=dict)  # by GSS code
    icbs: dict[str, Icb] = field(default_factory=dict)  # by ODS code


def _rows(name: str) -> list[dict[str, str]]:
    with resources.files("ofsted_kg.data").joinpath(name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@cache
def reference() -> Reference:
    """The reference tables shipped in `ofsted_kg/data`, read once."""
    ref = Reference()
    la_icbs: dict[str, list[str]] = {}
    for row in _rows("la-icb.csv"):
        la_icbs.setdefault(row["la_code"], []).append(row["ods_code"])
    previous: dict[str, list[str]] = {}
    for row in _rows("la-code-history.csv"):
        if row["previous_code"]:
            previous.setdefault(row["la_code"], []).append(row["previous_code"])
    for row in _rows("local-authorities.csv"):
        code = row["la_code"]
        ref.authorities[code] = Authority(
            la_code=code,
            name=row["name"],
            official_name=row["official_name"],
            la_type=row["la_type"],
            region_code=row["region_code"],
            region_name=row["region_name"],
            dfe_code=row["dfe_la_code"],
            ofsted_urn=row["ofsted_urn"],
            previous_codes=tuple(previous.get(code, ())),
            icb_codes=tuple(la_icbs.get(code, ())),
        )
    for row in _rows("legacy-authorities.csv"):
        successors = tuple(c for c in row["successor_la_codes"].split(";") if c)
        region = ref.authorities[successors[0]] if successors and successors[0] in ref.authorities else None
        ref.authorities[row["la_code"]] = Authority(
            la_code=row["la_code"],
            name=row["name"],
            official_name=row["name"],
            la_type="Former authority",
            region_code=region.region_code if region else "",
            region_name=region.region_name if region else "",
            dfe_code=row["dfe_la_code"],
            ofsted_urn=row["ofsted_urn"],
            ended=row["ended"],
            successor_codes=successors,
            icb_codes=tuple(c for c in row["ods_codes"].split(";") if c),
        )
    for row in _rows("icbs.csv"):
        ref.icbs[row["ods_code"]] = Icb(
            row["ods_code"], row["ons_code"], row["name"], row["short_name"], row["nhs_region"]
        )
    return ref


def _key(text: str) -> str:
    text = text.lower().replace("&", " and ").replace("st.", "st").replace("-", " ")
    text = re.sub(r"[^a-z0-9 ]+", " ", text)
    return " ".join(text.split())


_COUNCIL_WORDS = re.compile(
    r"\b(the|london borough of|royal borough of|city of|metropolitan borough|metropolitan district|borough|county|city|"
    r"council|corporation|"
    r"district|unitary authority|local authority|children s services|of)\b"
)
# Names councils go by that are neither the tables' name nor its official name ("Hull City Council"). They resolve
# a council's name but are not searched for in running text, where "Newcastle" may be Newcastle-under-Lyme.
_AUTHORITY_SHORT_NAMES = {
    "hull": "E06000010",
    "newcastle": "E08000021",
    "southend": "E06000033",
    "bcp": "E06000058",
    "stockton": "E06000004",
    "richmond": "E09000027",
    "kingston": "E09000021",
    "b and nes": "E06000022",
    "banes": "E06000022",
    "city of london corporation": "E09000001",
}
_ICB_WORDS = re.compile(r"\b(the|nhs|integrated care board|integrated care system|integrated care|icb|ics|board)\b")
_ICB_ABBREVIATIONS = {
    "bsw": "QOX",
    "st and w": "QOC",
    "stw": "QOC",
    "bnssg": "QUY",
    "bob": "QU9",
    "llr": "QK1",
    "ncl": "QMJ",
    "nel": "QMF",
    "sel": "QKK",
    "swl": "QWE",
    "nwl": "QRV",
    "gm": "QOP",
    "blmk": "QHG",
    "hwe": "QM7",
    "snee": "QJG",
    "hiow": "QRL",
    "bsol": "QHL",
    "ddicb": "QJ2",
    "lsc": "QE1",
    "nenc": "QHM",
    "hny": "QOQ",
    "mse": "QH8",
    "c and w": "QWU",
    "h and w": "QGH",
    "c and m": "QYG",
    "sy": "QF7",
    "wy": "QWO",
    "n and w": "QMM",
}


def _strip_council(text: str) -> str:
    return " ".join(_COUNCIL_WORDS.sub(" ", _key(text)).split())


@cache
def _authority_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for auth in reference().authorities.values():
        for variant in (auth.name, auth.official_name):
            index.setdefault(_key(variant), auth.la_code)
            index.setdefault(_strip_council(variant), auth.la_code)
    # the abolished Dorset County Council and today's Dorset Council share a name; today's wins
    index[_key("Dorset")] = index[_strip_council("Dorset")] = "E06000059"
    # "City of London" less its council words is "London", which every "London Borough of ..." begins with
    del index["london"]
    return index


def resolve_authority(text: str, on_date: str | None = None) -> Authority | None:
    """The authority a report's name for a council means, or None.

    `on_date` (ISO) picks a predecessor that existed then, e.g. Dorset County
    Council before April 2019.
    """
    index = _authority_index()
    ref = reference()
    for candidate in (_key(text), _strip_council(text)):
        code = index.get(candidate) or _AUTHORITY_SHORT_NAMES.get(candidate)
        if code:
            auth = ref.authorities[code]
            return _as_at(auth, on_date)
    return None


def _as_at(auth: Authority, on_date: str | None) -> Authority:
    if not on_date:
        return auth
    area = _strip_council(auth.name)
    for legacy, legacy_area in _abolished():
        replaced = auth.la_code in legacy.successor_codes and on_date <= legacy.ended
        if replaced and (legacy_area == area or len(legacy.successor_codes) > 1):
            return legacy
    return auth


@cache
def _abolished() -> tuple[tuple[Authority, str], ...]:
    """Abolished authorities with their names' area words, worked out once rather than on every lookup."""
    return tuple((auth, _strip_council(auth.name)) for auth in reference().authorities.values() if auth.ended)


def find_authority(text: str) -> Authority | None:
    """The first authority named anywhere in a longer text (longest names win)."""
    key = f" {_key(text)} "
    best: tuple[int, int, str] | None = None
    for variant, code in _authority_index().items():
        if not variant:
            continue
        pos = key.find(f" {variant} ")
        if pos >= 0 and (best is None or (pos, -len(variant)) < (best[0], best[1])):
            best = (pos, -len(variant), code)
    return reference().authorities[best[2]] if best else None


@cache
def _icb_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for icb in reference().icbs.values():
        index[_ICB_WORDS.sub(" ", _key(icb.name)).strip()] = icb.ods_code
        index[" ".join(_ICB_WORDS.sub(" ", _key(icb.short_name)).split())] = icb.ods_code
    index = {" ".join(k.split()): v for k, v in index.items()}
    index.update(_ICB_ABBREVIATIONS)
    # names Ofsted has used for ICBs that the tables spell otherwise
    index["north london"] = "QMJ"
    index["staffordshire and stoke on trent"] = "QNC"
    return index


def resolve_icb(text: str) -> Icb | None:
    """The ICB a report's name for it means, or None."""
    core = " ".join(_ICB_WORDS.sub(" ", _key(text)).split())
    code = _icb_index().get(core)
    return reference().icbs[code] if code else None
