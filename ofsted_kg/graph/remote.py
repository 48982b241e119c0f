"""A SPARQL 1.1 server as the store: queries over the SPARQL Protocol, loads over the Graph Store Protocol.

This is how the tool runs on Fuseki, GraphDB, Virtuoso, QLever or a hosted
store. Each report's graph is sent with one Graph Store Protocol PUT, which
replaces the graph on the server, so reloading a report is idempotent just as
in the embedded store. Query results come back as SPARQL 1.1 JSON results (or
RDF for CONSTRUCT) and are parsed into pyoxigraph's own result objects, so the
output formats are written by the same code for both stores.

Endpoints: given a base URL, the Oxigraph server's layout is assumed (base/query,
base/update, base/store). Other servers are reached by naming the endpoints in
OFSTED_KG_QUERY_ENDPOINT and OFSTED_KG_GSP_ENDPOINT (see docs/interop.md).

The client is the standard library's urllib: one request per graph or query,
no connection pooling needed, and no dependency to install.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from ..errors import StoreError, reason
from ..queries import QueryError, names_dataset
from .nquads import NamedGraph
from .store import QueryResult, seconds_setting

TIMEOUT_SECONDS = 300.0  # OFSTED_KG_HTTP_TIMEOUT overrides
RESULTS_ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8"
_GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


@dataclass(frozen=True)
class Endpoints:
    query: str
    graph_store: str | None  # None: a query endpoint only (`ofsted-kg query --endpoint`)

    @classmethod
    def for_base(cls, base_url: str) -> Endpoints:
        """Oxigraph server's endpoints under base_url, unless the environment names others.

        Oxigraph answers queries over named graphs only with `union-default-graph`,
        so the default query URL asks for it; the contract's queries need it.
        """
        base = base_url.rstrip("/")
        return cls(
            query=os.environ.get("OFSTED_KG_QUERY_ENDPOINT") or f"{base}/query?union-default-graph",
            graph_store=os.environ.get("OFSTED_KG_GSP_ENDPOINT") or f"{base}/store",
        )


def _without_union(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    pairs = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
    kept = [(k, v) for k, v in pairs if k != "union-default-graph"]
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(kept)))


class RemoteStore:
    """A SPARQL 1.1 server, with the interface of the embedded `Store` that the CLI and loader use."""

    def __init__(self, base_url: str, endpoints: Endpoints | None = None) -> None:
        self.base_url = base_url
        self.endpoints = endpoints or Endpoints.for_base(base_url)

    @classmethod
    def query_endpoint(cls, url: str) -> RemoteStore:
        """Any SPARQL 1.1 query endpoint, its URL used exactly as given; it can be queried, not loaded."""
        return cls(url, Endpoints(query=url, graph_store=None))

    @property
    def location(self) -> str:
        return self.base_url

    def replace_graph(self, graph: NamedGraph) -> None:
        """PUT the graph: the server replaces whatever the graph held, in one request."""
        body = ox.serialize((q.triple for q in graph.quads()), format=ox.RdfFormat.N_TRIPLES) or b""
        _request("PUT", self._graph_url(graph.name), body, content_type="application/n-triples")

    def write_graphs(self, graphs: Sequence[NamedGraph]) -> None:
        """One PUT per graph: the Graph Store Protocol has no multi-graph request, and each PUT is whole."""
        for graph in NamedGraph.latest(graphs):
            self.replace_graph(graph)

    def remove_graph(self, graph: ox.NamedNode) -> None:
        with contextlib.suppress(_NotFound):  # already absent: the same outcome as DROP SILENT
            _request("DELETE", self._graph_url(graph))

    def graphs(self) -> Iterator[ox.NamedNode]:
        return (row["g"] for row in self.query(_GRAPHS) if isinstance(row["g"], ox.NamedNode))

    def query(self, sparql: str) -> QueryResult:
        """The query at the query endpoint; one with FROM clauses without `union-default-graph`, which in
        Oxigraph's server would override them."""
        url = _without_union(self.endpoints.query) if names_dataset(sparql) else self.endpoints.query
        return run_query(url, sparql)

    def __len__(self) -> int:
        return int(next(iter(self.query(_COUNT)))["n"].value)

    def size_on_disk(self) -> int:
        """Nothing of a remote store is on this machine's disk."""
        return 0

    def compact(self) -> None:
        """The SPARQL protocols have no such request: a server manages its own storage."""
        raise StoreError(f"{self.base_url}: a SPARQL server manages its own storage, `compact` the embedded one")

    def flush(self) -> None:
        """Every request is complete when it returns: nothing is buffered here."""

    def close(self) -> None:
        """No connection is held between requests."""

    def __enter__(self) -> RemoteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _graph_url(self, graph: ox.NamedNode) -> str:
        if self.endpoints.graph_store is None:
            raise StoreError(f"{self.location}: a query endpoint only; give its server as --store URL to load")
        separator = "&" if "?" in self.endpoints.graph_store else "?"
        return self.endpoints.graph_store + separator + urllib.parse.urlencode({"graph": graph.value})


def run_query(endpoint: str, sparql: str) -> QueryResult:
    """POST a query to a SPARQL 1.1 endpoint; solutions, a boolean or triples, as pyoxigraph objects."""
    content_type, body = _request(
        "POST", endpoint, sparql.encode("utf-8"), content_type="application/sparql-query", accept=RESULTS_ACCEPT
    )
    results_format = ox.QueryResultsFormat.from_media_type(content_type)
    rdf_format = ox.RdfFormat.from_media_type(content_type)
    try:
        if results_format is not None:
            return _read_through(body, results_format)
        if rdf_format is not None:
            return _as_query_triples(ox.parse(body, rdf_format))
    except SyntaxError as err:
        raise StoreError(f"{endpoint}: answered with unreadable {content_type} ({err})") from None
    raise StoreError(f"{endpoint}: answered with {content_type or 'no content type'}, not SPARQL results or RDF")


def _read_through(body: bytes, results_format: ox.QueryResultsFormat) -> QueryResult:
    """The results, read through once first: the parser is lazy, and a bad row would surface half way through
    the answer, taken for the query's own syntax error."""
    parsed = ox.parse_query_results(body, results_format)
    if not isinstance(parsed, ox.QuerySolutions):
        return parsed  # a boolean, read whole
    for _ in parsed:
        pass
    return ox.parse_query_results(body, results_format)


def _as_query_triples(triples: Iterable[ox.Triple]) -> ox.QueryTriples:
    """pyoxigraph cannot build a QueryTriples from a list, so the triples are queried back out of memory."""
    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    return store.query("CONSTRUCT WHERE { ?s ?p ?o }")


class _NotFound(StoreError):
    pass


def _request(
    method: str, url: str, body: bytes | None = None, *, content_type: str | None = None, accept: str | None = None
) -> tuple[str, bytes]:
    """One HTTP request; (content type, body), or a one-line StoreError/QueryError naming the URL and the reason."""
    headers = {"User-Agent": "ofsted-kg"}
    if content_type:
        headers["Content-Type"] = content_type
    if accept:
        headers["Accept"] = accept
    request = urllib.request.Request(url, data=body, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=_timeout()) as response:
            return response.headers.get_content_type(), response.read()
    except urllib.error.HTTPError as err:
        said = _first_line(err.read()) or err.reason
        if err.code == 404 and method == "DELETE":
            raise _NotFound(url) from None
        error = QueryError if err.code == 400 and accept == RESULTS_ACCEPT else StoreError
        raise error(f"{url}: HTTP {err.code} ({said})") from None
    except urllib.error.URLError as err:
        raise StoreError(f"{url}: cannot be reached ({reason(err.reason)})") from None
    except (TimeoutError, OSError) as err:
        raise StoreError(f"{url}: {reason(err)}") from None
    except http.client.HTTPException as err:  # something answered, but not in HTTP (or cut off)
        raise StoreError(f"{url}: not a valid HTTP answer ({type(err).__name__})") from None


def _first_line(body: bytes) -> str:
    text = body.decode("utf-8", "replace").strip()
    return text.splitlines()[0][:300] if text else ""


def _timeout() -> float:
    return seconds_setting("OFSTED_KG_HTTP_TIMEOUT", TIMEOUT_SECONDS)
