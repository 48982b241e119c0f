"""The one-page summary (`ofsted-kg report -o summary.html`) an analyst can paste into a briefing.

It is drawn from the named queries users can run themselves (outcomes by ICB
and region, common failings, recurring inspectors), so every figure on the
page can be checked with `ofsted-kg query`. The page is plain HTML with an
inline SVG bar chart: no script, nothing fetched, every report string escaped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..queries import QueryError, named_queries
from .inventory import inventory
from .pages import TEMPLATES
from .rows import select
from .store import GraphStore

TOP_FAILINGS = 15
TOP_INSPECTORS = 20
BAR_WIDTH = 420  # pixels for the longest bar
BAR_HEIGHT = 22
LABEL_WIDTH = 330


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    note: str
    y: int
    width: int


def rows(store: GraphStore, name: str, limit: int | None = None) -> list[dict[str, str]]:
    """A named query's solutions as dicts of display text."""
    query = named_queries().get(name)
    if query is None:
        raise QueryError(f"the summary needs the named query {name!r}, which this installation lacks")
    return select(store, query.sparql, limit)


def failing_bars(failings: list[dict[str, str]]) -> list[Bar]:
    """Bars for the common failings: length by partnerships, the findings count as a note."""
    longest = max((int(r["partnerships"]) for r in failings), default=1) or 1
    return [
        Bar(
            r["label"],
            int(r["partnerships"]),
            f"{r['partnerships']} partnerships, {r['findings']} findings",
            n * BAR_HEIGHT,
            max(1, round(BAR_WIDTH * int(r["partnerships"]) / longest)),
        )
        for n, r in enumerate(failings)
    ]


def summary_html(store: GraphStore) -> str:
    """The summary page of everything the store holds."""
    failings = rows(store, "common-failings", TOP_FAILINGS)
    return TEMPLATES.get_template("summary.html").render(
        facts=inventory(store),
        by_icb=rows(store, "outcomes-by-icb"),
        by_region=rows(store, "outcomes-by-region"),
        bars=failing_bars(failings),
        chart={"label": LABEL_WIDTH, "bar": BAR_WIDTH, "row": BAR_HEIGHT, "height": BAR_HEIGHT * len(failings)},
        inspectors=rows(store, "recurring-inspectors", TOP_INSPECTORS),
        generated=date.today().isoformat(),
    )
