"""Named SPARQL queries: one .rq file each, described by its header comment.

A header is the leading `#` lines of the file:

    # title: Inspections
    # description: One row per report loaded ...
    # param: la  string  optional  Authority name or GSS code

Parameters are bound as values: `bind_values` adds a VALUES block to the
query's outermost group, with each value written by the RDF serialiser, so a
parameter can never change the query's structure (and remote endpoints get
exactly the same query).
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

import pyoxigraph as ox

from ..display import clip
from ..errors import reason
from ..iris import PREFIXES

XSD = PREFIXES["xsd"]
_TYPES = {"string", "integer", "date", "iri"}


class QueryError(Exception):
    """A query that cannot run: unknown name, bad parameter, syntax error."""


@dataclass(frozen=True)
class Param:
    name: str
    type: str = "string"
    required: bool = False
    description: str = ""


@dataclass(frozen=True)
class NamedQuery:
    name: str
    sparql: str
    title: str = ""
    description: str = ""
    params: tuple[Param, ...] = field(default_factory=tuple)
    # A bundled query takes only the parameters it declares: binding one of its inner variables
    # would silently change its answer. A user's own query may bind any variable.
    declared_only: bool = False


def parse_header(name: str, sparql: str, declared_only: bool = False) -> NamedQuery:
    """Read the title, description and parameters from the leading comment lines."""
    title = description = ""
    params: list[Param] = []
    for line in sparql.splitlines():
        if not line.startswith("#"):
            break
        key, _, value = line.lstrip("# ").partition(":")
        value = value.strip()
        if key == "title":
            title = value
        elif key == "description":
            description = f"{description} {value}".strip()
        elif key == "param":
            params.append(_param(name, value))
    return NamedQuery(name, sparql, title, description, tuple(params), declared_only)


def _param(query: str, spec: str) -> Param:
    parts = spec.split(None, 3)
    if len(parts) < 3 or parts[1] not in _TYPES or parts[2] not in ("required", "optional"):
        raise QueryError(f"query {query}: bad param header {spec!r} (want: NAME TYPE required|optional DESCRIPTION)")
    return Param(parts[0], parts[1], parts[2] == "required", parts[3] if len(parts) > 3 else "")


@cache
def named_queries() -> dict[str, NamedQuery]:
    folder = resources.files("ofsted_kg.queries")
    found = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".rq"):
            name = entry.name[: -len(".rq")]
            found[name] = parse_header(name, entry.read_text(encoding="utf-8"), declared_only=True)
    return found


def resolve(name_or_file: str) -> NamedQuery:
    """A named query, a .rq file, or '-' (the query read from standard input)."""
    if name_or_file == "-":
        return parse_header("-", sys.stdin.read())
    queries = named_queries()
    if name_or_file in queries:
        return queries[name_or_file]
    path = Path(name_or_file)
    if path.suffix == ".rq" or path.exists():
        try:
            return parse_header(path.stem, path.read_text(encoding="utf-8"))
        except OSError as err:
            raise QueryError(f"{name_or_file}: cannot be read ({reason(err)})") from None
        except UnicodeDecodeError:
            raise QueryError(f"{name_or_file}: not a UTF-8 text file") from None
    raise QueryError(f"unknown query {name_or_file!r}; `ofsted-kg queries` lists the named ones")


def parse_params(query: NamedQuery, pairs: list[str]) -> dict[str, ox.NamedNode | ox.Literal]:
    """`k=v` strings -> typed RDF terms, checked against the query's declared parameters."""
    declared = {p.name: p for p in query.params}
    values: dict[str, ox.NamedNode | ox.Literal] = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        key = key.strip()
        if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key):
            raise QueryError(f"bad --param {pair!r}: write NAME=VALUE")
        if (declared or query.declared_only) and key not in declared:
            known = ", ".join(sorted(declared)) or "none"
            raise QueryError(f"query {query.name} has no parameter {key!r} (it takes: {known})")
        values[key] = _term(key, raw, declared[key].type if key in declared else "string")
    missing = [p.name for p in query.params if p.required and p.name not in values]
    if missing:
        raise QueryError(f"query {query.name} needs --param {missing[0]}=...")
    return values


def _term(key: str, raw: str, kind: str) -> ox.NamedNode | ox.Literal:
    try:
        if kind == "integer":
            return ox.Literal(str(int(raw)), datatype=ox.NamedNode(XSD + "integer"))
        if kind == "date":
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
                raise ValueError
            return ox.Literal(raw, datatype=ox.NamedNode(XSD + "date"))
        if kind == "iri":
            return ox.NamedNode(raw)
    except ValueError:
        raise QueryError(f"--param {key}={raw!r}: not a valid {kind}") from None
    return ox.Literal(raw)


_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


def bind_values(query: NamedQuery, values: dict[str, ox.NamedNode | ox.Literal]) -> str:
    """The query text with a VALUES block for every declared (or given) parameter, at the start of the group
    that follows the query's first `WHERE`: its outer group, or, when the outer group is written without the
    word, the first subquery's (where `inspector-profile` matches its inspector before reading anything else).

    Optional parameters not given are bound to UNDEF, so `!BOUND(?p)` tests work. A parameter that group does
    not use would bind nothing there and be silently ignored, so that is refused.
    """
    names = _bound_names(query, values)
    if not names:
        return query.sparql
    variables = " ".join(f"?{n}" for n in names)
    row = " ".join(str(values[n]) if n in values else "UNDEF" for n in names)
    # On the WHERE line itself, so a syntax error's line number still matches the user's file.
    block = f" VALUES ({variables}) {{ ({row}) }}"
    blank = _blank_out(query.sparql)
    match = _WHERE.search(blank)
    if not match:
        raise QueryError(f"query {query.name}: parameters need a WHERE {{ ... }} clause to bind into")
    group = _outside_subqueries(blank[match.end() : _group_end(blank, match.end())])
    unused = [n for n in names if not re.search(rf"[?$]{n}\b", group)]
    if unused:
        raise QueryError(
            f"query {query.name}: its first WHERE group does not use ?{unused[0]}, so the parameter would bind "
            "nothing (write WHERE before the group that uses it)"
        )
    return query.sparql[: match.end()] + block + query.sparql[match.end() :]


def _group_end(blank: str, start: int) -> int:
    """Where the group whose "{" ends just before `start` closes (strings and IRIs blanked out)."""
    depth = 1
    for i in range(start, len(blank)):
        depth += {"{": 1, "}": -1}.get(blank[i], 0)
        if depth == 0:
            return i
    return len(blank)


_SUBQUERY = re.compile(r"\bSELECT\b", re.IGNORECASE)


def _outside_subqueries(group: str) -> str:
    """The group as the VALUES block at its start sees it: a subquery's body is blanked, and of its projection
    only what it projects is kept ("?a" and the "?b" of "(... AS ?b)"); a variable used inside a subquery
    but not projected is another variable."""
    while subquery := _SUBQUERY.search(group):
        body = group.find("{", subquery.end())
        if body < 0:
            break
        end = _group_end(group, body + 1)
        projection = group[subquery.end() : body]
        kept = " ".join(re.findall(r"[?$]\w+", _unwrapped(projection)))
        group = group[: subquery.start()] + kept.ljust(end + 1 - subquery.start()) + group[end + 1 :]
    return group


def _unwrapped(projection: str) -> str:
    """A projection with each "(expression AS ?v)" reduced to "?v"."""
    while (inner := re.sub(r"\([^()]*\)", _as_target, projection)) != projection:
        projection = inner
    return projection


def _as_target(m: re.Match[str]) -> str:
    target = re.search(r"\bAS\s+([?$]\w+)\s*\)$", m.group(0), re.IGNORECASE)
    return f" {target.group(1)} " if target else " "


def syntax_error(name: str, err: SyntaxError) -> QueryError:
    """A parser's message as one short line: Oxigraph's can run over several lines of expected tokens."""
    return QueryError(f"{name}: SPARQL syntax error: {_one_line(err)}")


def evaluation_error(name: str, err: Exception) -> QueryError:
    """Why a query that parsed could not be answered: a SERVICE that does not answer, an update on a graph
    that is not there, a store that fails to read."""
    return QueryError(f"{name}: cannot be answered ({_one_line(err)})")


def _one_line(err: Exception) -> str:
    return clip(" ".join(str(err).split()) or type(err).__name__, _MAX_MESSAGE)


_MAX_MESSAGE = 160


def binding_note(query: NamedQuery, values: dict[str, ox.NamedNode | ox.Literal]) -> str:
    """SPARQL comment lines saying what each parameter is bound to, so `--show` output stays a runnable query."""
    lines = [
        f"# --param {n}={values[n]}" if n in values else f"# --param {n} not given: UNDEF (any value)"
        for n in _bound_names(query, values)
    ]
    return "".join(f"{line}  (bound in the VALUES block below)\n" for line in lines)


def _bound_names(query: NamedQuery, values: dict[str, ox.NamedNode | ox.Literal]) -> list[str]:
    declared = [p.name for p in query.params]
    return declared + [k for k in values if k not in declared]


# IRIs, string literals and comments: a '#' inside <...> or "..." starts no comment, nor is a WHERE in any a keyword.
_TOKENS = re.compile(r"""<[^<>"{}|^`\\\s]*>|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|#[^\n]*""")


def _blank_out(sparql: str) -> str:
    """The query with IRIs, strings and comments blanked (same length), so only a real WHERE keyword matches."""
    return _TOKENS.sub(lambda m: " " * len(m.group(0)), sparql)


_PROLOGUE = re.compile(r"\s*(?:(?:PREFIX\s+[\w.-]*:|BASE)\s*(?:<[^>]*>)?\s*)*", re.IGNORECASE)  # IRIs blanked
_UPDATE = re.compile(r"(?:INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.IGNORECASE)


_DATASET = re.compile(r"(?<![?$\w])FROM\b", re.IGNORECASE)  # the keyword, not a variable ?from


def names_dataset(sparql: str) -> bool:
    """True when the query says which graphs it reads (FROM, FROM NAMED): then its default graph is theirs, not
    the union of every graph that the stores give a query that says nothing (SPARQL 1.1 Query, 13.2)."""
    return bool(_DATASET.search(_blank_out(sparql)))


def is_update(sparql: str) -> bool:
    """True for a SPARQL update request: `query` refuses those unless told otherwise."""
    body = _blank_out(sparql)
    return bool(_UPDATE.match(body, _PROLOGUE.match(body).end()))


# The keyword, not a name that holds the word (?service, ex:service, service:x, <...service...> blanked out).
_SERVICE = re.compile(r"(?<![\w:?$.-])service(?![\w:.-])", re.I)


def uses_service(sparql: str) -> bool:
    """True when the query asks another endpoint (SERVICE): `serve` refuses those, so that a web page cannot make
    the server fetch URLs it can reach and the page cannot (a local admin page, say)."""
    return bool(_SERVICE.search(_blank_out(sparql)))
