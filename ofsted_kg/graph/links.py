"""Links between inspections that no single report can make: the derived graph.

A report knows only itself: that it quotes an earlier grade ("at the last
inspection ... judged inadequate"), not which node in the store that earlier
inspection is, nor whether a later inspection of the same area has been
published. After every load or removal these links are recomputed into
their own named graph, replaced whole, so they can never point at
a report that has gone and never go stale when an earlier report is loaded later.

Two DISTINCT queries read the few facts needed (each inspection's authority,
kind and first day; each quoted grade's year) and the links are worked out here
by walking each authority's history in date order. The facts are matched inside
one report graph at a time: Oxigraph's union default graph repeats a triple once
per graph that holds it, so across graphs a join of four patterns over an
inspection loaded from n files yields n^4 rows (n = 150 took minutes).
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from operator import itemgetter

import pyoxigraph as ox

from .nquads import NamedGraph
from .store import GraphStore
from .terms import okg, system_graph

_INSPECTIONS = """
PREFIX okg: <https://w3id.org/ofsted-kg/def#>
SELECT DISTINCT ?inspection ?la ?type ?start WHERE {
  GRAPH ?report {
    ?inspection a okg:Inspection ; okg:localAuthority ?la ; okg:inspectionType ?type ; okg:startDate ?start .
  }
}
"""
_QUOTES = """
PREFIX okg: <https://w3id.org/ofsted-kg/def#>
SELECT DISTINCT ?inspection ?grade ?year WHERE {
  GRAPH ?report {
    ?inspection okg:quotesEarlierGrade ?grade .
    OPTIONAL { ?grade okg:year ?year }
  }
}
"""

History = list[tuple[str, ox.NamedNode]]  # (ISO first day, inspection), in date order


def links_graph() -> ox.NamedNode:
    return system_graph("links")


def inspection_links(store: GraphStore) -> NamedGraph:
    """The links graph as the reports in the store make it now."""
    histories, started = _histories(store)
    triples = [*_previous(histories), *_latest_area_send(histories), *_quoted(store, histories, started)]
    return NamedGraph.of(links_graph(), triples)


def _histories(store: GraphStore) -> tuple[dict[tuple[str, bool], History], dict[str, tuple[str, str]]]:
    """Each (authority, is area SEND) family's inspections by date, and each inspection's authority and day."""
    histories: dict[tuple[str, bool], History] = defaultdict(list)
    started: dict[str, tuple[str, str]] = {}
    for row in store.query(_INSPECTIONS):
        la, start = row["la"].value, row["start"].value
        histories[(la, row["type"].value == "area-send")].append((start, row["inspection"]))
        started[row["inspection"].value] = (la, start)
    for history in histories.values():
        history.sort(key=lambda entry: (entry[0], entry[1].value))
    return histories, started


def _previous(histories: dict[tuple[str, bool], History]):
    """Each inspection and the same family's inspection just before it."""
    for history in histories.values():
        for start, inspection in history:
            earlier = _latest_before(history, start)
            if earlier is not None:
                yield inspection, okg("previousInspection"), earlier


def _latest_area_send(histories: dict[tuple[str, bool], History]):
    """Each authority and its latest area SEND inspection (both, if two start on that day). Stated here, the
    outcomes by ICB and by region read one link per authority; found by the queries, the latest took a
    grouping over every area SEND inspection in the store (seconds at 50,000 reports)."""
    for (la, area_send), history in histories.items():
        if area_send:
            latest_day = history[-1][0]
            for start, inspection in reversed(history):
                if start != latest_day:
                    break
                yield ox.NamedNode(la), okg("latestAreaSendInspection"), inspection


def _quoted(store: GraphStore, histories: dict[tuple[str, bool], History], started: dict[str, tuple[str, str]]):
    """A quoted earlier grade and the children's services inspection of that year, else the one just before."""
    for row in store.query(_QUOTES):
        la, start = started.get(row["inspection"].value, (None, None))
        if la is None:
            continue
        history = histories.get((la, False), [])
        year = row["year"].value if row["year"] is not None else None
        if year is not None:
            history = [entry for entry in history if entry[0][:4] == year]
        earlier = _latest_before(history, start)
        if earlier is not None:
            yield row["grade"], okg("earlierInspection"), earlier


def _latest_before(history: History, start: str) -> ox.NamedNode | None:
    """The latest inspection of a date-ordered history that started before `start`."""
    position = bisect.bisect_left(history, start, key=itemgetter(0))
    return history[position - 1][1] if position else None
