"""Links between inspections that no single report can make: the derived graph.

A report knows only itself: that it quotes an earlier grade ("at the last
inspection ... judged inadequate"), not which node in the store that earlier
inspection is. After every load or removal, one CONSTRUCT over the whole store
recomputes these links into their own named graph, replaced in one
transaction, so they can never point at a report that has gone and never go
stale when an earlier report is loaded later.
"""

from __future__ import annotations

import pyoxigraph as ox

from .emit import node
from .store import GraphStore

_LINKS = """
PREFIX okg: <https://w3id.org/ofsted-kg/def#>
CONSTRUCT {
  ?inspection okg:previousInspection ?previous .
  ?earlier_grade okg:earlierInspection ?quoted .
}
WHERE {
  {
    # the same authority's inspection of the same family just before this one
    ?inspection a okg:Inspection ; okg:localAuthority ?la ; okg:inspectionType ?type ; okg:startDate ?start .
    ?previous a okg:Inspection ; okg:localAuthority ?la ; okg:inspectionType ?previous_type ; okg:startDate ?before .
    BIND(?type = "area-send" AS ?send)
    FILTER(?before < ?start && (?previous_type = "area-send") = ?send)
    FILTER NOT EXISTS {
      ?between a okg:Inspection ; okg:localAuthority ?la ; okg:inspectionType ?between_type ; okg:startDate ?middle .
      FILTER(?middle > ?before && ?middle < ?start && (?between_type = "area-send") = ?send)
    }
  }
  UNION
  {
    # a quoted earlier grade: the children's services inspection of that year, else the one just before
    ?inspection okg:quotesEarlierGrade ?earlier_grade ; okg:localAuthority ?la ; okg:startDate ?start .
    OPTIONAL { ?earlier_grade okg:year ?year }
    ?quoted a okg:Inspection ; okg:localAuthority ?la ; okg:inspectionType ?quoted_type ; okg:startDate ?before .
    FILTER(?quoted_type != "area-send" && ?before < ?start && (!BOUND(?year) || YEAR(?before) = ?year))
    FILTER NOT EXISTS {
      ?between a okg:Inspection ; okg:localAuthority ?la ; okg:inspectionType ?between_type ; okg:startDate ?middle .
      FILTER(?between_type != "area-send" && ?middle > ?before && ?middle < ?start
             && (!BOUND(?year) || YEAR(?middle) = ?year))
    }
  }
}
"""


def links_graph() -> ox.NamedNode:
    return node("graph", "links")


def link_inspections(store: GraphStore) -> int:
    """Recompute the derived links graph from the reports in the store; returns its size."""
    graph = links_graph()
    quads = list(dict.fromkeys(ox.Quad(t.subject, t.predicate, t.object, graph) for t in store.query(_LINKS)))
    store.replace_graph(graph, quads)
    return len(quads)
