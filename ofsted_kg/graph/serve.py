"""The embedded store as a read-only SPARQL 1.1 Protocol endpoint, for YASGUI and other SPARQL clients.

A small standard-library HTTP server rather than Oxigraph's own: it needs no
binary beside the Python package, it opens the store through `Store` (so it
holds the folder's lock and a `load` waits for it instead of writing under a
reader), and it queries the union of the named graphs exactly as
`ofsted-kg query` does. Queries come by GET or POST (form or
application/sparql-query); results are negotiated from the Accept header
(SPARQL JSON, XML, CSV, TSV; Turtle, N-Triples, RDF/XML, JSON-LD for CONSTRUCT).
A graph is read whole by the Graph Store Protocol (GET /store?graph=IRI, or
?default for the union the queries see), as on Oxigraph's own server, so that a
Graph Store client can fetch one report's graph. Updates, Graph Store writes and
queries that ask another endpoint (SERVICE, which would let any web page make the
server fetch the URLs it can reach) are refused with 403. Cross-origin requests are
allowed so that a YASGUI page in the browser can query it; the server binds
loopback unless told otherwise.
"""

from __future__ import annotations

import io
import shutil
import urllib.parse
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import IO

import pyoxigraph as ox

from ..errors import StoreError, reason
from ..output import spool
from ..queries import uses_service
from .store import QueryResult, Store
from .xml_text import NotInXml, xml_checked

QUERY_PATHS = ("/query", "/sparql", "/")
GRAPH_STORE_PATH = "/store"
DEFAULT_PORT = 7878
RESULTS_FORMATS = (
    ox.QueryResultsFormat.JSON,
    ox.QueryResultsFormat.XML,
    ox.QueryResultsFormat.CSV,
    ox.QueryResultsFormat.TSV,
)
GRAPH_FORMATS = (ox.RdfFormat.TURTLE, ox.RdfFormat.N_TRIPLES, ox.RdfFormat.RDF_XML, ox.RdfFormat.JSON_LD)
FORM = "application/x-www-form-urlencoded"
READ_ONLY = "this endpoint is read-only: updates are refused"
NO_SERVICE = "this endpoint answers from its own store only: SERVICE is refused"
ONE_GRAPH = "give one graph: ?graph=IRI, or ?default for the union of the graphs"
_GRAPH = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?graph { ?s ?p ?o } }"
_HAS_GRAPH = "ASK { GRAPH ?graph { ?s ?p ?o } }"
_UNION = "CONSTRUCT WHERE { ?s ?p ?o }"


def make_server(store: Store, host: str = "127.0.0.1", port: int = DEFAULT_PORT) -> ThreadingHTTPServer:
    """A server bound to host:port (port 0: any free port); run it with `serve_forever()`."""
    handler = type("Handler", (_Handler,), {"store": store})
    try:
        return ThreadingHTTPServer((host, port), handler)
    except OSError as err:
        raise StoreError(f"cannot listen on {host}:{port} ({reason(err)})") from None


def endpoint_url(server: ThreadingHTTPServer) -> str:
    host, port = server.server_address[:2]
    return f"http://{host}:{port}/query"


def serve_until_interrupted(server: ThreadingHTTPServer) -> None:
    """Answer requests until Ctrl-C, then release the port (the caller closes the store)."""
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


_MAX_LINE = 1024  # bytes: a chunk-size line or a trailer field


class _Refusal(Exception):
    """A request answered with an error status and one line that says why."""

    def __init__(self, status: HTTPStatus, message: str) -> None:
        super().__init__(message)
        self.status = status


class _Handler(BaseHTTPRequestHandler):
    store: Store
    server_version = "ofsted-kg"
    _head_only = False

    def do_GET(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        if url.path == GRAPH_STORE_PATH:
            return self._graph(urllib.parse.parse_qs(url.query, keep_blank_values=True))  # `?default` has no value
        self._dispatch(url.path, urllib.parse.parse_qs(url.query))

    def do_HEAD(self) -> None:
        """GET's headers without its body (RFC 9110, 9.3.2): answered as GET, the body left unwritten."""
        self._head_only = True
        self.do_GET()

    def do_POST(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        if url.path == GRAPH_STORE_PATH:  # a Graph Store POST adds to a graph
            return self._send_text(HTTPStatus.FORBIDDEN, READ_ONLY)
        try:
            body = self._body().decode("utf-8")
        except _Refusal as err:
            return self._send_text(err.status, str(err))
        except UnicodeDecodeError:  # a SPARQL request is UTF-8 (SPARQL 1.1 Query, appendix C): never guessed
            return self._send_text(HTTPStatus.BAD_REQUEST, "the request body is not UTF-8")
        params = urllib.parse.parse_qs(url.query)
        content_type = self.headers.get_content_type()
        if content_type == FORM:
            params.update(urllib.parse.parse_qs(body))
        elif content_type == "application/sparql-query":
            params["query"] = [body]
        elif content_type == "application/sparql-update":
            params["update"] = [body]
        else:
            return self._send_text(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, f"unsupported content type {content_type}")
        self._dispatch(url.path, params)

    def _body(self) -> bytes:
        """The request's body, sent with a Content-Length or in chunks (RFC 9112, 7.1), never read as empty."""
        coding = self.headers.get("Transfer-Encoding", "").strip().lower()
        if coding == "chunked":
            return self._chunks()
        if coding:
            raise _Refusal(HTTPStatus.NOT_IMPLEMENTED, f"Transfer-Encoding {coding!r} is not supported")
        length = self.headers.get("Content-Length") or "0"
        if not length.isdigit():
            raise _Refusal(HTTPStatus.BAD_REQUEST, f"Content-Length {length!r} is not a number")
        return self.rfile.read(int(length))

    def _chunks(self) -> bytes:
        body = bytearray()
        while True:
            size_line = self.rfile.readline(_MAX_LINE).split(b";")[0].strip()
            try:
                size = int(size_line, 16)
            except ValueError:
                raise _Refusal(HTTPStatus.BAD_REQUEST, "malformed chunked body") from None
            if size == 0:
                while self.rfile.readline(_MAX_LINE).strip():
                    pass  # trailer fields, up to the blank line that ends the message
                return bytes(body)
            body += self.rfile.read(size)
            self.rfile.readline(_MAX_LINE)  # the CRLF after each chunk

    def do_PUT(self) -> None:
        self._send_text(HTTPStatus.FORBIDDEN, READ_ONLY)

    do_DELETE = do_PATCH = do_PUT

    def do_OPTIONS(self) -> None:
        """CORS preflight: a browser asks before POSTing from another origin."""
        self.send_response(HTTPStatus.NO_CONTENT)
        self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
        self.send_header("Access-Control-Allow-Headers", "Content-Type, Accept")
        self.end_headers()

    def end_headers(self) -> None:
        self.send_header("Access-Control-Allow-Origin", "*")
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the endpoint serves interactive clients; the terminal shows only its address."""

    def _dispatch(self, path: str, params: dict[str, list[str]]) -> None:
        if path not in QUERY_PATHS:
            return self._send_text(
                HTTPStatus.NOT_FOUND,
                f"no such resource; the SPARQL endpoint is {QUERY_PATHS[0]}, the graph store {GRAPH_STORE_PATH}",
            )
        if "update" in params:
            return self._send_text(HTTPStatus.FORBIDDEN, READ_ONLY)
        if "default-graph-uri" in params or "named-graph-uri" in params:
            return self._send_text(HTTPStatus.BAD_REQUEST, "give the dataset in the query (FROM, FROM NAMED)")
        queries = params.get("query", [])
        if len(queries) != 1:
            return self._send_text(HTTPStatus.BAD_REQUEST, "give exactly one query parameter")
        if uses_service(queries[0]):
            return self._send_text(HTTPStatus.FORBIDDEN, NO_SERVICE)
        self._answer(lambda: self.store.query(queries[0]))

    def _graph(self, params: dict[str, list[str]]) -> None:
        """A Graph Store Protocol read (SPARQL 1.1 Graph Store HTTP Protocol, 5.2): one named graph, or the union."""
        named, default = params.get("graph", []), "default" in params
        if len(named) + default != 1:
            return self._send_text(HTTPStatus.BAD_REQUEST, ONE_GRAPH)
        if default:
            return self._answer(lambda: self.store.query(_UNION))
        try:
            graph = {"graph": ox.NamedNode(named[0])}
        except ValueError as err:
            return self._send_text(HTTPStatus.BAD_REQUEST, f"not an IRI: {named[0]!r} ({err})")

        def read() -> QueryResult:
            if not self.store.query(_HAS_GRAPH, graph):
                raise _Refusal(HTTPStatus.NOT_FOUND, f"no graph <{named[0]}> in this store")
            return self.store.query(_GRAPH, graph)

        self._answer(read)

    def _answer(self, run: Callable[[], QueryResult]) -> None:
        """The result of a query, in the format the client accepts; or the status and line that say why not.
        The answer is written whole before it is sent (`spool`), so that its length is known and a failure
        half way is a clean error rather than a cut-off 200."""
        with spool() as body:
            try:
                media_type = _serialize(run(), self.headers.get("Accept", ""), body)
            except _Refusal as err:
                return self._send_text(err.status, str(err))
            except SyntaxError as err:
                return self._send_text(HTTPStatus.BAD_REQUEST, f"SPARQL syntax error: {err}")
            except NotInXml as err:
                return self._send_text(HTTPStatus.NOT_ACCEPTABLE, str(err))
            except (OSError, RuntimeError) as err:
                return self._send_text(HTTPStatus.INTERNAL_SERVER_ERROR, f"the store failed: {err}")
            self._send(HTTPStatus.OK, media_type, body)

    def _send_text(self, status: HTTPStatus, message: str) -> None:
        self._send(status, "text/plain; charset=utf-8", io.BytesIO((message + "\n").encode("utf-8")))

    def _send(self, status: HTTPStatus, media_type: str, body: IO[bytes]) -> None:
        """Send what was written to `body`, from its start."""
        length = body.seek(0, io.SEEK_END)
        self.send_response(status)
        self.send_header("Content-Type", media_type)
        self.send_header("Content-Length", str(length))
        self.end_headers()
        if not self._head_only:
            body.seek(0)
            shutil.copyfileobj(body, self.wfile)


def _serialize(result: object, accept: str, out: IO[bytes]) -> str:
    """Write the result in the best format the client accepts (SPARQL JSON or Turtle when it says nothing we
    have), and say which; in XML, what XML 1.0 can carry of its values (`xml_checked`)."""
    formats = GRAPH_FORMATS if isinstance(result, ox.QueryTriples) else RESULTS_FORMATS
    chosen = _negotiate(accept, formats)
    out = xml_checked(out, chosen)
    result.serialize(out, chosen)
    out.flush()
    return chosen.media_type


def _negotiate(accept: str, formats: tuple) -> ox.QueryResultsFormat | ox.RdfFormat:
    """The first of `formats` with the highest q in an Accept header ("*/*" and "type/*" included)."""
    best, best_q = formats[0], 0.0
    for position, item in enumerate(accept.split(",")):
        media, *options = (part.strip() for part in item.split(";"))
        q = next((_float(o[2:]) for o in options if o.startswith("q=")), 1.0) - position * 1e-6
        for candidate in formats:
            if q > best_q and _matches(media.lower(), candidate.media_type):
                best, best_q = candidate, q
    return best


def _matches(pattern: str, media_type: str) -> bool:
    media_type = media_type.split(";")[0]
    if pattern in ("*/*", media_type):
        return True
    return pattern.endswith("/*") and media_type.startswith(pattern[:-1])


def _float(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return 0.0
