"""Oxigraph's plan for a query, with the rows each step made: where a slow query spends its time.

pyoxigraph cannot show a plan; the `oxigraph` command (the same Rust engine, installed with
the test extras) can. This binds the parameters exactly as `ofsted-kg query` does, asks the
command for its explanation and prints the plan as an indented tree, one step a line:

    python -m benchmarks.explain STORE NAME_OR_FILE [-p NAME=VALUE ...] [--no-stats]

With statistics (the default) each step shows how many rows it made and the seconds spent in
it and below it. Counting makes the query several times slower, unevenly (1 s for a query that
takes 0.25 s without): read the row counts and where the time concentrates, and take
latencies from `make bench`, never from here. The command holds the store's lock while it
runs, so nothing else may have the store open.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pyoxigraph as ox

from ofsted_kg.errors import StoreError
from ofsted_kg.graph.store import open_existing
from ofsted_kg.queries import QueryError, bind_values, parse_params, resolve


def plan(store: Path, sparql: str, stats: bool = True) -> dict:
    """The `oxigraph query --explain` tree of this SPARQL on the store (its union default graph,
    as the tool queries it); a node is {"name", "children"} plus, with stats, its row count and time."""
    command = _oxigraph()
    with tempfile.TemporaryDirectory(prefix="ofsted-kg-explain-") as folder:
        query, explained = Path(folder) / "query.rq", Path(folder) / "plan.json"
        query.write_text(sparql, encoding="utf-8")
        args = [command, "query", "--location", str(store), "--query-file", str(query), "--union-default-graph"]
        args += ["--results-format", _results_format(sparql), "--results-file", str(Path(folder) / "results")]
        args += ["--explain-file", str(explained), *(["--stats"] if stats else [])]
        done = subprocess.run(args, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            reason = done.stderr.strip().splitlines()[0] if done.stderr.strip() else f"exit code {done.returncode}"
            raise SystemExit(f"{store}: oxigraph could not run the query ({reason})")
        return json.loads(explained.read_text(encoding="utf-8"))["plan"]


def lines(node: dict, depth: int = 0) -> list[str]:
    """The tree, one step a line: rows, milliseconds (inclusive) and the step, indented by depth."""
    rows = node.get("number of results")
    seconds = node.get("duration in seconds")
    figures = f"{rows:>10,} {seconds * 1000:>10.1f} ms " if rows is not None and seconds is not None else ""
    out = [f"{figures}{'  ' * depth}{node['name']}"]
    for child in node.get("children", []):
        out += lines(child, depth + 1)
    return out


def _results_format(sparql: str) -> str:
    """The command must be told a format the answer can take: triples for CONSTRUCT and DESCRIBE.
    Asked of an empty store, which answers at once with the query's kind of result."""
    return "nt" if isinstance(ox.Store().query(sparql), ox.QueryTriples) else "tsv"


def oxigraph_command() -> str | None:
    """The `oxigraph` command of the PyPI package: beside this Python (a venv not activated), else on PATH."""
    beside = Path(sys.executable).with_name("oxigraph")
    return str(beside) if beside.exists() else shutil.which("oxigraph")


def _oxigraph() -> str:
    """The `oxigraph` command, of pyoxigraph's own version: another version may plan differently
    or not open the store."""
    command = oxigraph_command()
    if command is None:
        raise SystemExit(f"the oxigraph command is missing: pip install 'oxigraph=={ox.__version__}'")
    version = subprocess.run([command, "--version"], capture_output=True, text=True, check=False).stdout.split()
    if version[-1:] != [ox.__version__]:
        raise SystemExit(f"{command} is {' '.join(version) or 'of no version'}; pyoxigraph is {ox.__version__}")
    return command


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.explain", description=__doc__.splitlines()[0])
    parser.add_argument("store", type=Path, help="an embedded store folder")
    parser.add_argument("query", help="a named query or a .rq file")
    parser.add_argument("-p", "--param", action="append", default=[], metavar="NAME=VALUE")
    parser.add_argument("--no-stats", dest="stats", action="store_false", help="the plan only, no counts or times")
    args = parser.parse_args(argv)
    try:
        query = resolve(args.query)
        sparql = bind_values(query, parse_params(query, args.param))
        with open_existing(str(args.store)):  # a store is there, and no other process holds it
            pass
    except (QueryError, StoreError) as err:
        raise SystemExit(str(err)) from None
    print("\n".join(lines(plan(args.store, sparql, args.stats))))


if __name__ == "__main__":
    main(sys.argv[1:])
