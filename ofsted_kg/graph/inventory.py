"""What a store holds, for `ofsted-kg info` and the benchmarks."""

from __future__ import annotations

from dataclasses import dataclass, field

from .store import GraphStore

_BY_KIND = """
PREFIX okg: <https://w3id.org/ofsted-kg/def#>
SELECT ?kind (COUNT(DISTINCT ?report) AS ?n) WHERE { ?report a okg:Report ; okg:reportKind ?kind } GROUP BY ?kind
"""


@dataclass
class Inventory:
    location: str
    size_bytes: int
    quads: int
    by_kind: dict[str, int] = field(default_factory=dict)

    @property
    def reports(self) -> int:
        return sum(self.by_kind.values())


def inventory(store: GraphStore) -> Inventory:
    by_kind = {row["kind"].value: int(row["n"].value) for row in store.query(_BY_KIND)}
    return Inventory(store.location, store.size_on_disk(), len(store), by_kind)
