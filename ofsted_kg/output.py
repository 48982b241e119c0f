"""Query results in the formats users ask for.

json, csv and tsv are the W3C SPARQL results formats, written here from the rows
so that --limit reads only the rows it prints; table and md are for people.
CONSTRUCT and DESCRIBE results are RDF, written by Oxigraph as Turtle,
N-Triples or JSON-LD.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import shutil
import textwrap
from collections.abc import Iterable

import pyoxigraph as ox

from .iris import PREFIXES
from .queries import QueryError

SELECT_FORMATS = ("table", "csv", "tsv", "json", "md")
GRAPH_FORMATS = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD}
# CONSTRUCT and DESCRIBE results are RDF: the default table becomes Turtle, and json becomes JSON-LD.
_GRAPH_DEFAULTS = {"table": "ttl", "json": "jsonld"}
_W3C = ("json", "csv", "tsv")
MAX_CELL = 60


def render(result: object, fmt: str, limit: int | None = None) -> str:
    """Text for a query result: solutions, triples (CONSTRUCT/DESCRIBE) or a boolean (ASK)."""
    problem = _format_problem(result, fmt)
    if problem:
        # A pending result holds the store open: drop it before raising, so that an error kept by the
        # caller (with its traceback) cannot keep the store locked.
        del result
        raise QueryError(problem)
    if isinstance(result, ox.QueryBoolean):
        return _render_boolean(bool(result), fmt)
    if isinstance(result, ox.QueryTriples):
        return _render_triples(result, fmt, limit)
    return _render_solutions(result, fmt, limit)


def _format_problem(result: object, fmt: str) -> str | None:
    if isinstance(result, ox.QueryTriples) and _GRAPH_DEFAULTS.get(fmt, fmt) not in GRAPH_FORMATS:
        return f"a CONSTRUCT or DESCRIBE query gives RDF: use --format {', '.join(GRAPH_FORMATS)}"
    if isinstance(result, ox.QuerySolutions) and fmt not in SELECT_FORMATS:
        return f"--format {fmt} is for CONSTRUCT and DESCRIBE; a SELECT gives {', '.join(SELECT_FORMATS)}"
    return None


def _render_boolean(value: bool, fmt: str) -> str:
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}) + "\n"
    return ("true" if value else "false") + "\n"


def _render_triples(triples: ox.QueryTriples, fmt: str, limit: int | None) -> str:
    rdf_format = GRAPH_FORMATS[_GRAPH_DEFAULTS.get(fmt, fmt)]
    rows = list(itertools.islice(triples, limit)) if limit is not None else list(triples)
    data = ox.serialize(rows, format=rdf_format) or b""
    return data.decode("utf-8")


def _render_solutions(solutions: ox.QuerySolutions, fmt: str, limit: int | None) -> str:
    variables = [v.value for v in solutions.variables]
    rows = [list(s) for s in (itertools.islice(solutions, limit) if limit is not None else solutions)]
    if fmt in _W3C:
        return _w3c(variables, rows, fmt)
    cells = [[cell_text(t) for t in row] for row in rows]
    if fmt == "md":
        return markdown_table(variables, cells)
    return text_table(variables, cells)


def _w3c(variables: list[str], rows: list[list], fmt: str) -> str:
    """The W3C SPARQL 1.1 results formats (JSON, CSV, TSV), written from the rows."""
    if fmt == "json":
        bindings = [{v: _json_term(t) for v, t in zip(variables, row, strict=True) if t is not None} for row in rows]
        return json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}}, ensure_ascii=False) + "\n"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(variables)
        writer.writerows([_csv_cell(t) for t in row] for row in rows)
        return buffer.getvalue()
    lines = ["\t".join(f"?{v}" for v in variables)]
    lines += ["\t".join("" if t is None else _sparql_term(t) for t in row) for row in rows]
    return "\n".join(lines) + "\n"


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


def text_table(headers: list[str], rows: Iterable[list[str]]) -> str:
    """An aligned table; long cells wrap within their column so rows stay readable."""
    rows = list(rows)
    width = shutil.get_terminal_size((160, 24)).columns
    cap = max(20, min(MAX_CELL, width // max(1, len(headers))))
    # A column is at least as wide as its header, which is never wrapped; cells wrap at the cap.
    widths = [max(len(h), min(cap, max([0] + [len(r[i]) for r in rows]))) for i, h in enumerate(headers)]
    lines = [_table_line(headers, widths), "  ".join("-" * w for w in widths)]
    for row in rows:
        wrapped = [textwrap.wrap(cell, w) or [""] for cell, w in zip(row, widths, strict=True)]
        for part in itertools.zip_longest(*wrapped, fillvalue=""):
            lines.append(_table_line(list(part), widths))
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


def _table_line(cells: list[str], widths: list[int]) -> str:
    return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()


def markdown_table(headers: list[str], rows: Iterable[list[str]]) -> str:
    def esc(cell: str) -> str:
        return cell.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join(" --- " for _ in headers) + "|"]
    lines += ["| " + " | ".join(esc(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"
