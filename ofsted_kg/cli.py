"""The `ofsted-kg` command line: parse options, call the package, print.

Exit statuses: 0 success; 1 some input could not be loaded, or a query or
store error; 2 a usage error (click's own).
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path

import click

from . import __version__
from .errors import StoreError
from .graph import build
from .graph.inventory import inventory
from .graph.store import Store, default_location
from .output import SELECT_FORMATS, render
from .queries import QueryError, bind_values, named_queries, parse_params, resolve


def store_option(command: Callable) -> Callable:
    """`--store`, shared by every command that reads or writes a store."""
    return click.option(
        "--store",
        "store_path",
        envvar="OFSTED_KG_STORE",
        default=default_location,
        show_default="$OFSTED_KG_STORE, else ~/.local/share/ofsted-kg/store",
        help="Store folder (embedded Oxigraph).",
    )(command)


def output_options(command: Callable) -> Callable:
    """`--format` and `--limit`, shared by every command that prints rows."""
    command = click.option("--limit", type=click.IntRange(min=0), help="Print at most this many rows.")(command)
    return click.option(
        "--format",
        "fmt",
        type=click.Choice([*SELECT_FORMATS, "ttl", "nt", "jsonld"]),
        default="table",
        show_default=True,
        help="table, csv, tsv, json (SPARQL 1.1 results), md; ttl, nt, jsonld for CONSTRUCT/DESCRIBE.",
    )(command)


def fail_cleanly(command: Callable) -> Callable:
    """Turn the package's expected errors into one line on stderr and exit status 1."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except (StoreError, QueryError) as err:
            click.echo(f"ofsted-kg: {err}", err=True)
            sys.exit(1)

    return wrapper


def open_store(path: str) -> Store:
    return Store(path)


@click.group(
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog="""\b
Examples:
  ofsted-kg load reports/                 load every report under a folder
  ofsted-kg query shared-icbs             ICBs shared by several partnerships
  ofsted-kg query findings --format csv   every finding, as SPARQL CSV
  ofsted-kg query my.rq -p la=Bolton      your own query, with a parameter
  ofsted-kg info                          what the store holds""",
)
@click.version_option(__version__, prog_name="ofsted-kg")
def main() -> None:
    """Ofsted and CQC local area inspection reports as a knowledge graph."""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@store_option
@click.option("--workers", type=click.IntRange(min=1), help="Parser processes (default: the number of cores).")
@fail_cleanly
def load(paths: tuple[Path, ...], store_path: str, workers: int | None) -> None:
    """Load report files or folders (recursively), each report in its own transaction.

    A file that cannot be loaded is named on stderr with the reason; the others
    still load, and the exit status is 1.

    \b
    Example:
      ofsted-kg load --store ./kg ../reports/area-send/*.pdf
    """
    files, missing = build.collect(paths)
    with open_store(store_path) as store:
        if sys.stderr.isatty() and len(files) > 1:
            with click.progressbar(length=len(files), label="Loading", file=sys.stderr) as bar:
                result = build.load_files(store, files, workers=workers, on_file=lambda _: bar.update(1))
        else:
            result = build.load_files(store, files, workers=workers)
    for message in missing + result.failed:
        click.echo(message, err=True)
    click.echo(f"loaded {len(result.loaded)} report(s), {len(result.failed) + len(missing)} failed", err=True)
    if result.failed or missing:
        sys.exit(1)


@main.command()
@click.argument("name_or_file")
@store_option
@output_options
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE", help="Bind a query parameter.")
@click.option("--show", is_flag=True, help="Print the SPARQL instead of running it.")
@fail_cleanly
def query(name_or_file: str, store_path: str, fmt: str, limit: int | None, params: tuple[str, ...], show: bool) -> None:
    """Run a named query, a .rq file, or '-' for SPARQL on stdin.

    \b
    Examples:
      ofsted-kg query inspections --format csv
      ofsted-kg query recurring-inspectors --limit 10
      echo 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }' | ofsted-kg query -
    """
    named = resolve(name_or_file, sys.stdin.read() if name_or_file == "-" else None)
    values = parse_params(named, list(params))
    sparql = bind_values(named, values)
    if show:
        click.echo(sparql, nl=False)
        return
    with open_store(store_path) as store:
        try:
            result = store.query(sparql)
            click.echo(render(result, fmt, limit), nl=False)
        except SyntaxError as err:
            raise QueryError(f"{name_or_file}: SPARQL syntax error: {err}") from None


@main.command("queries")
def list_queries() -> None:
    """List the named queries with their descriptions and parameters."""
    for q in named_queries().values():
        click.echo(f"{q.name}\n    {q.title}: {q.description}")
        for p in q.params:
            need = "required" if p.required else "optional"
            click.echo(f"    --param {p.name}=<{p.type}>  ({need}) {p.description}")


@main.command()
@store_option
@fail_cleanly
def info(store_path: str) -> None:
    """What the store holds: reports by kind, triples, location and size."""
    with open_store(store_path) as store:
        facts = inventory(store)
    click.echo(f"store      {facts.location}")
    click.echo(f"size       {facts.size_bytes / 1e6:.1f} MB")
    click.echo(f"quads      {facts.quads}")
    click.echo(f"reports    {facts.reports}")
    for kind, n in sorted(facts.by_kind.items()):
        click.echo(f"  {kind:10s} {n}")
