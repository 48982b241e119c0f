"""Query latency: every named query on a store, and the same SPARQL on rdflib's in-memory Dataset.

Parameters are bound exactly as the CLI binds them (`parse_params` + `bind_values`), with real
values read from the store itself: the authority, ICB, inspector and theme with the most
inspections or findings, and a word from a real finding. A query's latency is the time to run
it and read every row, median of several runs after one warm-up run.

Each store's queries run in a child process (a slow query cannot stop the benchmark: the child
is killed at the time limit). rdflib holds the same quads (an N-Quads dump of the store) in a
`Dataset(default_union=True)`, the in-memory graph a Python user would reach for first.

    python -m benchmarks.queries params STORE                        # child: parameter values
    python -m benchmarks.queries oxigraph STORE REPEATS PARAMS_JSON [NAMES]  # child: named queries
    python -m benchmarks.queries rdflib NQUADS REPEATS PARAMS_JSON   # child: the same on rdflib
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from ofsted_kg.graph.store import Store
from ofsted_kg.iris import sparql_prefixes
from ofsted_kg.queries import QueryError, bind_values, named_queries, parse_params

from .measure import ChildError, emit_json, median, run_child, stream_child

AGGREGATES = ("shared-icbs", "recurring-inspectors", "common-failings")
SLOW_RUN_SECONDS = 10.0  # after a warm-up this slow, one more run is the figure: repeating would only cost time

# Real values for the parameters the named queries declare: the busiest of each, read from the store.
PARAM_SOURCES = {
    "la": "SELECT ?v WHERE { ?i okg:localAuthority ?a . ?a skos:prefLabel ?v } GROUP BY ?v ORDER BY DESC(COUNT(?i)) ?v",
    "icb": "SELECT ?v WHERE { ?i okg:icb ?c . ?c skos:prefLabel ?v } GROUP BY ?v ORDER BY DESC(COUNT(?i)) ?v",
    "inspector": "SELECT ?v WHERE { ?m a okg:TeamMembership ; org:member ?p . ?p foaf:name ?v } "
    "GROUP BY ?v ORDER BY DESC(COUNT(?m)) ?v",
    "theme": "SELECT ?v WHERE { ?f dcterms:subject ?c . ?c skos:notation ?v } GROUP BY ?v ORDER BY DESC(COUNT(?f)) ?v",
    "text": "SELECT ?v WHERE { ?f a okg:Finding ; okg:findingKind kind:weakness ; okg:text ?v } ORDER BY ?f",
}


def pick_params(store: Store) -> dict[str, str]:
    """One real value for each parameter a named query can take, where the store has one."""
    prefixes = sparql_prefixes()
    values = {}
    for name, sparql in PARAM_SOURCES.items():
        for solution in store.query(prefixes + sparql + " LIMIT 1"):
            values[name] = solution["v"].value
    if "text" in values:  # a selective word from a real weakness, not the whole sentence
        values["text"] = max(re.findall(r"[A-Za-z]+", values["text"]), key=len)
    return values


def bound_queries(values: dict[str, str]) -> dict[str, str | None]:
    """Each named query's SPARQL with its parameters bound (None: a required one has no value)."""
    found = {}
    for name, query in named_queries().items():
        pairs = [f"{p.name}={values[p.name]}" for p in query.params if p.required and p.name in values]
        try:
            found[name] = bind_values(query, parse_params(query, pairs))
        except QueryError:
            found[name] = None
    return found


def latency(run: Callable[[], int], repeats: int) -> dict:
    """Median seconds of `repeats` runs after a warm-up, and the rows the query gave.

    The warm-up is never the figure, however slow: on a store just loaded a first run can be
    several times slower than the next (`icb-partnerships` at 50,000 reports, run G: 10.5 s)."""
    start = time.perf_counter()
    rows = run()
    warm_up = time.perf_counter() - start
    times = []
    for _ in range(1 if warm_up > SLOW_RUN_SECONDS else repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return {"median_s": median(times), "runs": repeats, "rows": rows}


def oxigraph_latencies(store_path: str, repeats: int, values: dict[str, str], only: list[str] | None = None) -> dict:
    results: dict[str, dict] = {}
    with Store(store_path) as store:
        for name, sparql in bound_queries(values).items():
            if only and name not in only:
                continue
            if sparql is None:
                results[name] = {"error": "no value for a required parameter in this store"}
                continue
            results[name] = latency(lambda s=sparql: sum(1 for _ in store.query(s)), repeats)
    return results


def rdflib_latencies(nquads: str, repeats: int, values: dict[str, str], only: list[str]) -> None:
    """Print one JSON line per query as it finishes (the parent stops a query that runs too long)."""
    from rdflib import Dataset

    dataset = Dataset(default_union=True)
    start = time.perf_counter()
    dataset.parse(nquads, format="nquads")
    _line("_load", {"median_s": time.perf_counter() - start, "runs": 1, "rows": len(dataset)})
    sparql = bound_queries(values)
    for name in only:
        try:
            _line(name, latency(lambda s=sparql[name]: len(list(dataset.query(s))), repeats))
        except Exception as err:  # rdflib's engine rejects or fails on some SPARQL: say which and why
            _line(name, {"error": f"{type(err).__name__}: {str(err)[:120]}"})


def _line(name: str, figures: dict) -> None:
    print(json.dumps({name: figures}), flush=True)


def measure(store_path: Path, workdir: Path, repeats: int, rdflib_repeats: int, rdflib_limit: float) -> dict:
    """Oxigraph latency of every named query on the corpus store, and rdflib's on the same quads."""
    values = run_child("benchmarks.queries", "params", str(store_path)).result
    oxigraph = run_child("benchmarks.queries", "oxigraph", str(store_path), str(repeats), json.dumps(values)).result
    nquads = workdir / "corpus.nq"
    with Store(store_path) as store:
        ox.serialize(store.quads(), str(nquads), ox.RdfFormat.N_QUADS)
    runnable = [n for n, figures in oxigraph.items() if "error" not in figures]
    order = [*AGGREGATES, *(n for n in runnable if n not in AGGREGATES)]
    rdflib = _rdflib_in_children(nquads, rdflib_repeats, values, order, rdflib_limit)
    return {"params": values, "oxigraph": oxigraph, "rdflib": rdflib}


def _rdflib_in_children(nquads: Path, repeats: int, values: dict, order: list[str], limit: float) -> dict:
    """Run the queries on rdflib in a child; one that runs past the limit is stopped and the rest go on."""
    results: dict[str, dict] = {}
    remaining = list(order)
    while remaining:
        args = ("rdflib", str(nquads), str(repeats), json.dumps(values), ",".join(remaining))
        lines, finished = stream_child("benchmarks.queries", *args, line_timeout=limit)
        for line in lines:
            results.update(json.loads(line))
        remaining = [n for n in remaining if n not in results]
        if remaining and not finished:
            results[remaining.pop(0)] = {"error": f"stopped after {limit:.0f} s"}
        elif remaining:
            raise ChildError(f"rdflib child ended before {remaining[0]}")
    return results


def main(argv: list[str]) -> None:
    mode = argv[0]
    if mode == "params":
        with Store(argv[1]) as store:
            emit_json(pick_params(store))
    elif mode == "oxigraph":
        only = argv[4].split(",") if argv[4:] else None
        emit_json(oxigraph_latencies(argv[1], int(argv[2]), json.loads(argv[3]), only))
    elif mode == "rdflib":
        rdflib_latencies(argv[1], int(argv[2]), json.loads(argv[3]), argv[4].split(","))
    else:
        raise SystemExit(f"unknown mode {mode!r}: params, oxigraph or rdflib")


if __name__ == "__main__":
    main(sys.argv[1:])
