"""Namespaces and the rules that make every IRI stable and readable.

IRIs derive from public codes (GSS, ODS) and normalised names, never from load
order, so two machines loading the same reports produce the same IRIs and a
reload changes nothing. The instance base is configurable with
OFSTED_KG_BASE; the vocabulary namespace is fixed because users' queries name it.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Mapping
from functools import cache

from pyoxigraph import NamedNode

from .errors import StoreError

VOCAB = "https://w3id.org/ofsted-kg/def#"
DEFAULT_BASE = "https://w3id.org/ofsted-kg/id/"
# SKOS concepts (themes, service types, outcomes, grades...) are part of the published
# vocabulary, so their namespace is fixed whatever base the instances use.
CONCEPTS = "https://w3id.org/ofsted-kg/id/"

PREFIXES = {
    "okg": VOCAB,
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "oa": "http://www.w3.org/ns/oa#",
    "theme": CONCEPTS + "theme/",
    "service": CONCEPTS + "service-type/",
    "kind": CONCEPTS + "finding-kind/",
}


@cache
def base() -> str:
    """The instance namespace: OFSTED_KG_BASE if set (ending in / or #), else the default.

    Read once per process, like the other settings: emit asks for it for every node it makes,
    and reading the environment each time was a tenth of the emit time.
    """
    value = os.environ.get("OFSTED_KG_BASE", DEFAULT_BASE)
    value = value if value.endswith(("/", "#")) else value + "/"
    try:
        NamedNode(value + "x")
    except ValueError as err:
        raise StoreError(f"OFSTED_KG_BASE {value!r}: not an absolute IRI for the store's nodes ({err})") from None
    return value


_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    """Lower-case ASCII words joined by hyphens: "Máire Atherton" -> "maire-atherton"."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = text.lower().replace("&", " and ").replace("'", "")
    return _NOT_SLUG.sub("-", text).strip("-") or "unnamed"


def sparql_prefixes() -> str:
    """PREFIX lines for every namespace above, plus `id:` for the instance base."""
    lines = [f"PREFIX {p}: <{iri}>" for p, iri in PREFIXES.items()]
    lines.append(f"PREFIX id: <{base()}>")
    return "\n".join(lines) + "\n"


class Shortener:
    """IRIs written `prefix:rest` under the longest namespace that holds them, as Turtle and JSON-LD write them."""

    def __init__(self, namespaces: Mapping[str, str]) -> None:
        self._namespaces = sorted(namespaces.items(), key=lambda item: -len(item[1]))

    def __call__(self, iri: str) -> str | None:
        """The short form, or None when no namespace holds the IRI (a rest of "//..." would read as a URL)."""
        for prefix, namespace in self._namespaces:
            rest = iri[len(namespace) :]
            if rest and iri.startswith(namespace) and not rest.startswith("//"):
                return f"{prefix}:{rest}"
        return None
