"""`ofsted-kg serve`: a read-only SPARQL 1.1 Protocol endpoint on loopback, queried with real HTTP clients."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from http.client import HTTPConnection
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from xml.etree import ElementTree

import pytest
import rdflib
from conftest import EXAMPLES, run_cli
from rdflib.compare import isomorphic
from test_remote import assert_same_rows, run_query, wait_until_up

from ofsted_kg.graph.serve import NO_SERVICE, endpoint_url, make_server
from ofsted_kg.graph.store import Store
from ofsted_kg.queries import named_queries

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
REPORTS = ("bury-2021-12-17.pdf", "halton-area-send-2023.txt")


@pytest.fixture(scope="module")
def small_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("serve") / "store"
    assert run_cli("load", "--store", store, *(EXAMPLES / r for r in REPORTS)).exit_code == 0
    return store


@pytest.fixture(scope="module")
def local_answers(small_store: Path) -> dict[str, str]:
    """Every named query's JSON results from the store, taken before the server locks it."""
    return {name: run_query(name, "--store", str(small_store)) for name in named_queries()}


@pytest.fixture(scope="module")
def endpoint(small_store: Path, local_answers: dict[str, str]) -> Iterator[str]:
    """The server in a thread of this process, on a free loopback port."""
    with Store(small_store) as store:
        server = make_server(store, "127.0.0.1", 0)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield endpoint_url(server)
        server.shutdown()
        server.server_close()
        thread.join()


def http(url: str, *, data: bytes | None = None, headers: dict[str, str] | None = None, method: str | None = None):
    """(status, headers, body) of one request, error statuses included."""
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read()


def get(url: str, query: str, accept: str = "") -> tuple:
    return http(url + "?" + urllib.parse.urlencode({"query": query}), headers={"Accept": accept} if accept else {})


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_every_named_query_answers_as_the_store_does(name: str, endpoint: str, local_answers: dict[str, str]) -> None:
    assert_same_rows(name, local_answers[name], run_query(name, "--endpoint", endpoint))


def test_get_and_both_post_forms_give_the_same_answer(endpoint: str) -> None:
    by_get = get(endpoint, COUNT)
    by_form = http(endpoint, data=urllib.parse.urlencode({"query": COUNT}).encode())
    by_body = http(endpoint, data=COUNT.encode(), headers={"Content-Type": "application/sparql-query"})
    assert by_get[0] == by_form[0] == by_body[0] == 200
    assert by_get[1].get_content_type() == "application/sparql-results+json"
    assert by_get[2] == by_form[2] == by_body[2]
    assert int(json.loads(by_get[2])["results"]["bindings"][0]["n"]["value"]) > 0


def test_results_follow_the_accept_header(endpoint: str) -> None:
    status, headers, body = get(endpoint, COUNT, "text/csv")
    assert status == 200 and headers.get_content_type() == "text/csv" and body.decode().startswith("n\r\n")
    status, headers, body = get(endpoint, COUNT, "application/sparql-results+xml, */*;q=0.1")
    assert headers.get_content_type() == "application/sparql-results+xml" and b"<sparql" in body
    construct = "CONSTRUCT { ?r a ?t } WHERE { ?r a ?t ; <https://w3id.org/ofsted-kg/def#fileName> ?f }"
    status, headers, body = get(endpoint, construct, "text/turtle")
    assert status == 200 and headers.get_content_type() == "text/turtle"
    assert len(rdflib.Graph().parse(data=body.decode(), format="turtle")) >= len(REPORTS)


def test_xml_answers_keep_a_carriage_return_and_refuse_what_xml_cannot_carry(endpoint: str) -> None:
    """A raw carriage return would come back from any XML parser as a line feed; U+0001 cannot be written in
    XML 1.0 at all, and a file that no parser reads is no answer. JSON carries both."""
    select = r'SELECT ?x WHERE { BIND("one\rtwo" AS ?x) }'
    status, _, body = get(endpoint, select, "application/sparql-results+xml")
    assert status == 200
    assert ElementTree.fromstring(body).find(".//{*}literal").text == "one\rtwo"
    construct = r'CONSTRUCT { <urn:a> <urn:b> ?x } WHERE { BIND("one\rtwo" AS ?x) }'
    status, _, body = get(endpoint, construct, "application/rdf+xml")
    assert status == 200
    assert [str(o) for o in rdflib.Graph().parse(data=body, format="xml").objects()] == ["one\rtwo"]
    control = r'SELECT ?x WHERE { BIND("one\u0001two" AS ?x) }'
    status, _, body = get(endpoint, control, "application/sparql-results+xml")
    assert (status, body.decode().strip()) == (
        406,
        "a value holds U+0001, which XML 1.0 cannot carry; every other format can",
    )
    status, _, body = get(endpoint, control, "application/sparql-results+json")
    assert status == 200 and json.loads(body)["results"]["bindings"][0]["x"]["value"] == "one\u0001two"


def test_updates_are_refused_and_change_nothing(endpoint: str) -> None:
    before = get(endpoint, COUNT)[2]
    attempts = [
        http(endpoint, data=b"CLEAR ALL", headers={"Content-Type": "application/sparql-update"}),
        http(endpoint, data=urllib.parse.urlencode({"update": "CLEAR ALL"}).encode()),
        http(endpoint + "?" + urllib.parse.urlencode({"update": "CLEAR ALL"})),
        http(endpoint, data=b"", method="PUT"),
        http(endpoint, method="DELETE"),
        http(graph_store(endpoint, graph="urn:x"), data=b"<urn:a> <urn:b> <urn:c> .", method="PUT"),
        http(graph_store(endpoint, graph="urn:x"), data=b"<urn:a> <urn:b> <urn:c> .", method="POST"),
        http(graph_store(endpoint, default=""), method="DELETE"),
    ]
    assert [status for status, _, _ in attempts] == [403] * len(attempts)
    assert get(endpoint, COUNT)[2] == before


def graph_store(endpoint: str, **params: str) -> str:
    """The Graph Store Protocol's URL beside the query endpoint, as on Oxigraph's server."""
    return endpoint.replace("/query", "/store") + "?" + urllib.parse.urlencode(params)


def construct(endpoint: str, query: str) -> rdflib.Graph:
    status, _, body = get(endpoint, query, "application/n-triples")
    assert status == 200
    return rdflib.Graph().parse(data=body.decode(), format="nt")


def test_a_graph_is_read_whole_by_the_graph_store_protocol(endpoint: str) -> None:
    """One report's graph, by its IRI (as `SELECT DISTINCT ?g { GRAPH ?g {} }` lists them), in the format asked
    for; and ?default, the union of the graphs that the query endpoint answers from."""
    of_halton = "SELECT ?g WHERE { GRAPH ?g { ?r <https://w3id.org/ofsted-kg/def#fileName> ?f } FILTER(?f = ?name) }"
    by_query = get(endpoint, of_halton.replace("?name", f'"{REPORTS[1]}"'))[2]
    graph = json.loads(by_query)["results"]["bindings"][0]["g"]["value"]
    expected = construct(endpoint, f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    status, headers, body = http(graph_store(endpoint, graph=graph))
    assert status == 200 and headers.get_content_type() == "text/turtle"
    assert isomorphic(rdflib.Graph().parse(data=body.decode(), format="turtle"), expected)
    status, headers, body = http(graph_store(endpoint, graph=graph), headers={"Accept": "application/n-triples"})
    assert headers.get_content_type() == "application/n-triples"
    assert len(expected) > 100 and isomorphic(rdflib.Graph().parse(data=body.decode(), format="nt"), expected)
    status, headers, body = http(graph_store(endpoint, graph=graph), method="HEAD")
    assert (status, body) == (200, b"") and int(headers["Content-Length"]) > 0
    union = construct(endpoint, "CONSTRUCT WHERE { ?s ?p ?o }")
    status, _, body = http(graph_store(endpoint, default=""), headers={"Accept": "application/n-triples"})
    assert status == 200 and isomorphic(rdflib.Graph().parse(data=body.decode(), format="nt"), union)
    assert len(union) > len(expected)


def test_an_answer_larger_than_memory_holds_is_sent_the_same(endpoint: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Answers are written whole before they are sent, on disk beyond a size: the same bytes and length."""
    import ofsted_kg.output

    requests = [
        (graph_store(endpoint, default=""), {"Accept": "application/n-triples"}),
        (endpoint + "?" + urllib.parse.urlencode({"query": named_queries()["findings"].sparql}), {}),
        (endpoint + "?" + urllib.parse.urlencode({"query": "SELECT * { ?s ?p ?o }"}), {"Accept": "application/xml"}),
    ]
    for url, headers in requests:
        in_memory = http(url, headers=headers)
        with monkeypatch.context() as patched:
            patched.setattr(ofsted_kg.output, "_IN_MEMORY", 1000)
            status, sent_headers, on_disk = http(url, headers=headers)
        assert status == 200 and len(on_disk) > 50_000 and on_disk == in_memory[2]
        assert int(sent_headers["Content-Length"]) == len(on_disk)


def test_graph_store_reads_that_name_no_graph_say_why(endpoint: str) -> None:
    cases = [
        (graph_store(endpoint, graph="https://w3id.org/ofsted-kg/id/graph/none"), 404, "no graph <"),
        (graph_store(endpoint, graph="not an iri"), 400, "not an IRI: 'not an iri'"),
        (graph_store(endpoint), 400, "give one graph"),
        (graph_store(endpoint, graph="urn:x", default=""), 400, "give one graph"),
    ]
    for url, status, message in cases:
        answer = http(url)
        assert (answer[0], answer[2].decode().startswith(message)) == (status, True), answer


def test_queries_that_ask_another_endpoint_are_refused_before_any_request(endpoint: str) -> None:
    """SERVICE would let any web page make the server fetch what it can reach (a local admin page, say)."""
    asked: list[str] = []

    class Recorder(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            asked.append(self.path)
            self.send_response(200)
            self.end_headers()

        do_POST = do_GET

        def log_message(self, *args: object) -> None:
            pass

    other = HTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=other.serve_forever, daemon=True).start()
    try:
        target = f"http://127.0.0.1:{other.server_port}/admin"
        for query in (
            f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}",
            f"select * {{ service silent <{target}> {{}} }}",
        ):
            status, _, body = http(endpoint, data=query.encode(), headers={"Content-Type": "application/sparql-query"})
            assert (status, body.decode().strip()) == (403, NO_SERVICE)
    finally:
        other.shutdown()
        other.server_close()
    assert asked == []
    # The word in a variable, a prefixed name, an IRI or a string is no SERVICE.
    named = (
        "PREFIX service: <https://w3id.org/ofsted-kg/id/service-type/> SELECT ?service "
        'WHERE { ?service ?p service:camhs FILTER(?p != <http://x/service> && STR(?p) != "service") } LIMIT 1'
    )
    assert get(endpoint, named)[0] == 200


def test_a_malformed_request_gets_an_answer(endpoint: str) -> None:
    url = urllib.parse.urlsplit(endpoint)
    connection = HTTPConnection(url.hostname, url.port, timeout=30)
    connection.putrequest("POST", url.path)
    connection.putheader("Content-Type", "application/sparql-query")
    connection.putheader("Content-Length", "abc")
    connection.endheaders()
    response = connection.getresponse()
    assert (response.status, response.read().decode().strip()) == (400, "Content-Length 'abc' is not a number")
    connection.close()


def test_head_chunked_and_non_utf8_requests(endpoint: str) -> None:
    """HEAD answers as GET without a body (RFC 9110); a chunked body is decoded (RFC 9112), where it was read
    as empty; a body that is not UTF-8 is refused, never altered."""
    ask = endpoint + "?" + urllib.parse.urlencode({"query": "ASK {}"})
    get_status, get_headers, get_body = http(ask)
    head_status, head_headers, head_body = http(ask, method="HEAD")
    assert (head_status, head_body) == (get_status, b"") and get_body
    assert head_headers["Content-Length"] == get_headers["Content-Length"] == str(len(get_body))
    url = urllib.parse.urlsplit(endpoint)
    connection = HTTPConnection(url.hostname, url.port, timeout=30)
    connection.request("POST", url.path, body=iter([b"ASK {}"]), headers={"Content-Type": "application/sparql-query"})
    chunked = connection.getresponse()
    assert (chunked.status, json.loads(chunked.read())["boolean"]) == (200, True)
    connection.close()
    latin1 = 'SELECT ("\u00e9" AS ?x) {}'.encode("latin-1")
    status, _, body = http(endpoint, data=latin1, headers={"Content-Type": "application/sparql-query"})
    assert (status, body.decode().strip()) == (400, "the request body is not UTF-8")


def test_bad_queries_say_why(endpoint: str) -> None:
    status, _, body = get(endpoint, "SELEC ?x")
    assert status == 400 and body.decode().startswith("SPARQL syntax error")
    assert http(endpoint)[0] == 400
    assert http(endpoint.replace("/query", "/elsewhere"))[0] == 404


def test_browsers_may_query_it_from_another_origin(endpoint: str) -> None:
    status, headers, _ = http(endpoint, method="OPTIONS", headers={"Origin": "https://yasgui.triply.cc"})
    assert status == 204 and headers["Access-Control-Allow-Origin"] == "*"
    assert get(endpoint, COUNT)[1]["Access-Control-Allow-Origin"] == "*"


def test_the_serve_command_listens_on_loopback_until_stopped(tmp_path: Path) -> None:
    store = tmp_path / "store"
    assert run_cli("load", "--store", store, EXAMPLES / REPORTS[1]).exit_code == 0
    proc = subprocess.Popen(
        [sys.executable, "-m", "ofsted_kg", "serve", "--store", str(store), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = proc.stdout.readline()
        assert line.startswith("SPARQL endpoint http://127.0.0.1:"), line + proc.stderr.read()
        url = line.split()[2]
        wait_until_up(url + "?" + urllib.parse.urlencode({"query": "ASK {}"}))
        assert json.loads(get(url, "ASK { ?s ?p ?o }")[2]) == {"head": {}, "boolean": True}
    finally:
        proc.terminate()  # SIGTERM stops it as Ctrl-C does: cleanly, its lock released, no traceback
        assert proc.wait(timeout=10) == 0
        assert "Traceback" not in proc.stderr.read()


def test_serving_a_missing_store_fails_in_one_line(tmp_path: Path) -> None:
    result = run_cli("serve", "--store", tmp_path / "nothing", "--port", "0")
    assert result.exit_code == 1 and "no store there" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
