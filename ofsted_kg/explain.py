"""Why a stored finding has its themes and services: the cue that matched, and the words it matched.

The store keeps each finding's exact text and the concepts it was given; the cues
live in the vocabulary (themes.ttl, services.ttl). Running `classify.explain` on
the stored text shows, for each stored concept, the cue and the matched words,
and flags any disagreement (the vocabulary changed since the report was loaded).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .classify import THEME_KINDS, Match, explain
from .graph.store import GraphStore
from .queries import NamedQuery, Param, QueryError, bind_values, parse_params

_FINDING = NamedQuery(
    "explain",
    """PREFIX okg: <https://w3id.org/ofsted-kg/def#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?finding ?report ?kind ?section ?text ?scheme ?concept WHERE {
  ?finding a okg:Finding ; prov:wasDerivedFrom/okg:fileName ?report ; okg:findingKind/skos:notation ?kind ;
           okg:section ?section ; okg:text ?text .
  FILTER(!BOUND(?number) || STRAFTER(STR(?finding), "/finding/") = STR(?number))
  OPTIONAL {
    { ?finding dcterms:subject/skos:notation ?concept BIND("theme" AS ?scheme) }
    UNION
    { ?finding okg:serviceType/skos:notation ?concept BIND("service-type" AS ?scheme) }
  }
}
""",
    params=(Param("finding", "iri"), Param("report"), Param("number", "integer")),
)


@dataclass(frozen=True)
class Reason:
    """One concept the finding has (or would now get), and the cue match behind it."""

    concept: str
    scheme: str  # "theme" or "service-type"
    stored: bool  # the store has it
    match: Match | None  # None: no cue matches the stored text now


@dataclass
class Explanation:
    finding: str
    report: str
    kind: str
    section: str
    text: str
    reasons: list[Reason] = field(default_factory=list)


def explain_finding(store: GraphStore, finding: str, number: int | None = None) -> Explanation:
    """The finding (an IRI, or a report file name with `number`) with a reason for each concept."""
    if number is None and not finding.startswith(("http://", "https://")):
        raise QueryError(f"{finding!r}: give a finding IRI, or a report file name and the finding's number")
    pairs = [f"finding={finding}"] if number is None else [f"report={finding}", f"number={number}"]
    rows = list(store.query(bind_values(_FINDING, parse_params(_FINDING, pairs))))
    if not rows:
        what = finding if number is None else f"number {number} of {finding}"
        raise QueryError(f"no finding {what} in the store")
    found = Explanation(*(rows[0][k].value for k in ("finding", "report", "kind", "section", "text")))
    stored = {(r["scheme"].value, r["concept"].value) for r in rows if r["concept"] is not None}
    matches = {(m.scheme, m.concept): m for m in explain(found.text)}
    would_get = {key for key in matches if key[0] == "service-type" or found.kind in THEME_KINDS}
    for scheme, concept in sorted(stored | would_get):
        found.reasons.append(Reason(concept, scheme, (scheme, concept) in stored, matches.get((scheme, concept))))
    return found
