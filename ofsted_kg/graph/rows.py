"""SPARQL answers as plain rows of text: what the views, the networks and the summary page are built from."""

from __future__ import annotations

from ..iris import sparql_prefixes
from .store import GraphStore

# A person's canonical name: skos:prefLabel where the store has it, else the first foaf:name.
PERSON_NAME = (
    "OPTIONAL { ?person skos:prefLabel ?pref } ?person foaf:name ?foaf_name . BIND(COALESCE(?pref, ?foaf_name) AS ?n)"
)


def select(store: GraphStore, sparql: str, limit: int | None = None) -> list[dict[str, str]]:
    """Solutions as plain dicts of lexical values ("" where unbound), with the common prefixes declared
    (a query may declare them again)."""
    result = store.query(sparql_prefixes() + sparql)
    names = [v.value for v in result.variables]
    found = []
    for solution in result:
        if limit is not None and len(found) >= limit:
            break
        found.append({n: "" if solution[n] is None else solution[n].value for n in names})
    return found
