"""Query results in the formats users ask for, written as they are read.

json, csv and tsv are the W3C SPARQL results formats, written here row by row as Oxigraph
evaluates them, so that --limit reads only the rows it prints and a large answer is never held
whole; md is for people, and so is table, which keeps its rows' texts to size its columns.
CONSTRUCT and DESCRIBE results are RDF, written by Oxigraph as Turtle, N-Triples or JSON-LD.
`ofsted-kg query` writes an answer to a file first (`printed_when_whole`): an answer that fails
half way prints nothing, and a reader paging through it does not keep the store open.
"""

from __future__ import annotations

import contextlib
import csv
import io
import itertools
import json
import shutil
import tempfile
import textwrap
from collections.abc import Iterable, Iterator
from typing import IO

import pyoxigraph as ox

from .iris import PREFIXES
from .queries import QueryError

SELECT_FORMATS = ("table", "csv", "tsv", "json", "md")
GRAPH_FORMATS = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD}
# CONSTRUCT and DESCRIBE results are RDF: the default table becomes Turtle, and json becomes JSON-LD.
_GRAPH_DEFAULTS = {"table": "ttl", "json": "jsonld"}
MAX_CELL = 60
_IN_MEMORY = 16 * 2**20  # a larger answer waits on disk


def spool() -> IO[bytes]:
    """A file that holds an answer until it is whole: in memory while it is small, on disk beyond 16 MB."""
    return tempfile.SpooledTemporaryFile(max_size=_IN_MEMORY, mode="w+b")


@contextlib.contextmanager
def printed_when_whole(out: IO[bytes]) -> Iterator[IO[bytes]]:
    """A file for an answer, copied to `out` once the block ends without an error, and dropped if it fails."""
    with spool() as answer:
        yield answer
        answer.seek(0)
        shutil.copyfileobj(answer, out)
        out.flush()


def write_result(result: object, fmt: str, limit: int | None, out: IO[bytes]) -> None:
    """Write a query result, solutions, triples (CONSTRUCT/DESCRIBE) or a boolean (ASK), as UTF-8."""
    problem = _format_problem(result, fmt)
    if problem:
        # A pending result holds the store open: drop it before raising, so that an error kept by the
        # caller (with its traceback) cannot keep the store locked.
        del result
        raise QueryError(problem)
    if isinstance(result, ox.QueryBoolean):
        out.write(_boolean_text(bool(result), fmt).encode("utf-8"))
    elif isinstance(result, ox.QueryTriples):
        rdf_format = GRAPH_FORMATS[_GRAPH_DEFAULTS.get(fmt, fmt)]
        ox.serialize(itertools.islice(result, limit), out, rdf_format)
    else:
        _write_solutions(result, fmt, limit, out)


def _format_problem(result: object, fmt: str) -> str | None:
    if isinstance(result, ox.QueryTriples) and _GRAPH_DEFAULTS.get(fmt, fmt) not in GRAPH_FORMATS:
        return f"a CONSTRUCT or DESCRIBE query gives RDF: use --format {', '.join(GRAPH_FORMATS)}"
    if isinstance(result, ox.QuerySolutions) and fmt not in SELECT_FORMATS:
        return f"--format {fmt} is for CONSTRUCT and DESCRIBE; a SELECT gives {', '.join(SELECT_FORMATS)}"
    return None


def _boolean_text(value: bool, fmt: str) -> str:
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}) + "\n"
    return ("true" if value else "false") + "\n"


def _write_solutions(solutions: ox.QuerySolutions, fmt: str, limit: int | None, out: IO[bytes]) -> None:
    variables = [v.value for v in solutions.variables]
    text = io.TextIOWrapper(out, encoding="utf-8", newline="")
    try:
        _WRITERS[fmt](variables, itertools.islice(solutions, limit), text)
        text.flush()
    finally:
        text.detach()  # `out` stays open for the caller


def _write_json(variables: list[str], rows: Iterable[ox.QuerySolution], text: IO[str]) -> None:
    """SPARQL 1.1 Query Results JSON, a binding at a time: the same text as json.dumps of the whole."""
    text.write('{"head": {"vars": ' + json.dumps(variables, ensure_ascii=False) + '}, "results": {"bindings": [')
    for n, row in enumerate(rows):
        binding = {v: _json_term(t) for v, t in zip(variables, row, strict=True) if t is not None}
        text.write((", " if n else "") + json.dumps(binding, ensure_ascii=False))
    text.write("]}}\n")


def _write_csv(variables: list[str], rows: Iterable[ox.QuerySolution], text: IO[str]) -> None:
    """SPARQL 1.1 Query Results CSV, whose lines end in CRLF (RFC 4180)."""
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(variables)
    writer.writerows([_csv_cell(t) for t in row] for row in rows)


def _write_tsv(variables: list[str], rows: Iterable[ox.QuerySolution], text: IO[str]) -> None:
    """SPARQL 1.1 Query Results TSV: each term as SPARQL writes it."""
    text.write("\t".join(f"?{v}" for v in variables) + "\n")
    text.writelines("\t".join("" if t is None else _sparql_term(t) for t in row) + "\n" for row in rows)


def _write_table(variables: list[str], rows: Iterable[ox.QuerySolution], text: IO[str]) -> None:
    cells = [[cell_text(t) for t in row] for row in rows]  # the columns' widths need every row
    text.writelines(line + "\n" for line in table_lines(variables, cells))


def _write_markdown(variables: list[str], rows: Iterable[ox.QuerySolution], text: IO[str]) -> None:
    def cell(term: object) -> str:
        return cell_text(term).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")

    text.write("| " + " | ".join(variables) + " |\n")
    text.write("|" + "|".join(" --- " for _ in variables) + "|\n")
    text.writelines("| " + " | ".join(cell(t) for t in row) + " |\n" for row in rows)


_WRITERS = {"json": _write_json, "csv": _write_csv, "tsv": _write_tsv, "table": _write_table, "md": _write_markdown}


def _csv_cell(term: object) -> str:
    """A CSV value: the IRI or lexical form, and a blank node as `_:label` (SPARQL 1.1 CSV results, 2)."""
    return str(term) if isinstance(term, ox.BlankNode) else cell_text(term)


def _sparql_term(term: object) -> str:
    """A term as SPARQL writes it (TSV's cells); a triple term as `<<( s p o )>>` (SPARQL 1.2), nested ones too."""
    if isinstance(term, ox.Triple):
        return f"<<( {_sparql_term(term.subject)} {_sparql_term(term.predicate)} {_sparql_term(term.object)} )>>"
    return str(term)


def _json_term(term: object) -> dict:
    if isinstance(term, ox.Triple):  # SPARQL 1.2 Query Results JSON Format, 3.2.4
        parts = {"subject": term.subject, "predicate": term.predicate, "object": term.object}
        return {"type": "triple", "value": {name: _json_term(part) for name, part in parts.items()}}
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != PREFIXES["xsd"] + "string":
            out["datatype"] = term.datatype.value
        return out
    return {"type": "literal", "value": str(term)}


def cell_text(term: object) -> str:
    """A term as a person reads it: the IRI, or a literal's lexical value; a triple term as SPARQL writes it."""
    if term is None:
        return ""
    return term.value if hasattr(term, "value") else _sparql_term(term)


def table_lines(headers: list[str], rows: list[list[str]]) -> Iterator[str]:
    """An aligned table; long cells wrap within their column so rows stay readable."""
    width = shutil.get_terminal_size((160, 24)).columns
    cap = max(20, min(MAX_CELL, width // max(1, len(headers))))
    # A column is at least as wide as its header, which is never wrapped; cells wrap at the cap.
    widths = [max(len(h), min(cap, max([0] + [len(r[i]) for r in rows]))) for i, h in enumerate(headers)]
    yield _table_line(headers, widths)
    yield "  ".join("-" * w for w in widths)
    for row in rows:
        wrapped = [textwrap.wrap(cell, w) or [""] for cell, w in zip(row, widths, strict=True)]
        for part in itertools.zip_longest(*wrapped, fillvalue=""):
            yield _table_line(list(part), widths)
    yield f"({len(rows)} row{'s' if len(rows) != 1 else ''})"


def _table_line(cells: list[str], widths: list[int]) -> str:
    return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()
