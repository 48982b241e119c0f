"""A real Oxigraph server as the store: loaded through the CLI, every named query gives the embedded store's rows."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import CORPUS, EXAMPLES, run_cli

from benchmarks.explain import oxigraph_command
from ofsted_kg.graph.remote import RemoteStore
from ofsted_kg.graph.store import Store
from ofsted_kg.queries import named_queries

QUERIES = sorted(named_queries())
# Inputs (not answers) for the queries that need one: names found in the corpus.
SAMPLE_PARAMS = {
    "la": "Bolton",
    "icb": "Greater Manchester",
    "inspector": "Claire Mason",
    "text": "wheelchair",
    "theme": "ehc-timeliness",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def oxigraph_binary() -> str:
    """The server from the `oxigraph` PyPI package, beside this Python or on PATH."""
    found = oxigraph_command()
    if not found:
        pytest.skip("the oxigraph server is not installed (pip install oxigraph)")
    return found


@contextmanager
def oxigraph_server(folder: Path) -> Iterator[str]:
    """`oxigraph serve` on a free loopback port; its base URL while it runs, then stopped."""
    port = free_port()
    proc = subprocess.Popen(
        [oxigraph_binary(), "serve", "--location", str(folder), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url + "/query?query=ASK%7B%7D", proc)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def wait_until_up(url: str, proc: subprocess.Popen | None = None, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            if (proc is not None and proc.poll() is not None) or time.monotonic() > deadline:
                raise RuntimeError(f"{url} did not come up") from None
            time.sleep(0.1)


def loaded_server(tmp_path_factory: pytest.TempPathFactory, reports: Path) -> Iterator[str]:
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as url:
        result = run_cli("load", "--store", url, reports)
        assert "loaded" in result.stderr and "Traceback" not in result.stderr
        yield url


@pytest.fixture(scope="module")
def remote_examples(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from loaded_server(tmp_path_factory, EXAMPLES)


@pytest.fixture(scope="module")
def remote_corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not CORPUS.is_dir():
        pytest.skip("needs ../shared/corpus")
    yield from loaded_server(tmp_path_factory, CORPUS)


def rows(output: str) -> list[tuple]:
    """SPARQL JSON results as rows of (variable, term) pairs."""
    document = json.loads(output)
    variables = document["head"]["vars"]
    return [
        tuple((v, json.dumps(b.get(v), sort_keys=True)) for v in variables) for b in document["results"]["bindings"]
    ]


def has_order(sparql: str) -> bool:
    return re.search(r"\bORDER\s+BY\b", re.sub(r"(?m)#.*$", "", sparql), re.IGNORECASE) is not None


def assert_same_rows(name: str, local: str, remote: str) -> None:
    """Identical rows; in the same order when the query orders them."""
    assert local.startswith("{") and remote.startswith("{")
    expected, got = rows(local), rows(remote)
    if has_order(named_queries()[name].sparql):
        assert got == expected
    else:
        assert sorted(got) == sorted(expected)


def run_query(name: str, *where: str) -> str:
    """One named query's JSON results, its required parameters given from SAMPLE_PARAMS."""
    required = [p.name for p in named_queries()[name].params if p.required]
    if unknown := [p for p in required if p not in SAMPLE_PARAMS]:
        pytest.skip(f"no sample value for --param {unknown[0]} of {name}")
    params = [f"--param={p}={SAMPLE_PARAMS[p]}" for p in required]
    result = run_cli("query", name, "--format", "json", *params, *where)
    assert result.exit_code == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("name", QUERIES)
def test_every_named_query_gives_the_same_rows_remotely(name: str, remote_examples: str, examples_store: Path) -> None:
    assert_same_rows(name, run_query(name, "--store", str(examples_store)), run_query(name, "--store", remote_examples))


@pytest.mark.corpus
@pytest.mark.parametrize("name", QUERIES)
def test_every_named_query_gives_the_same_rows_remotely_on_the_corpus(
    name: str, remote_corpus: str, corpus_store: Path
) -> None:
    local = run_query(name, "--store", str(corpus_store))
    assert rows(local), f"{name} finds nothing in the corpus; the comparison would prove nothing"
    assert_same_rows(name, local, run_query(name, "--store", remote_corpus))


def test_the_server_holds_the_same_graphs_and_reloading_changes_nothing(
    remote_examples: str, examples_store: Path
) -> None:
    with RemoteStore(remote_examples) as remote:
        before = len(remote)
        graphs = sorted(g.value for g in remote.graphs())
    assert run_cli("load", "--store", remote_examples, EXAMPLES / "halton-area-send-2023.txt").exit_code == 0
    with RemoteStore(remote_examples) as remote:
        assert len(remote) == before
        assert sorted(g.value for g in remote.graphs()) == graphs
    info = run_cli("info", "--store", str(examples_store)).stdout
    assert f"quads      {before}" in info


def test_endpoint_runs_any_query_with_bound_parameters(remote_examples: str, examples_store: Path) -> None:
    sparql = (
        "# param: name string required A file name\n"
        "PREFIX okg: <https://w3id.org/ofsted-kg/def#>\n"
        "SELECT ?report WHERE { ?report okg:fileName ?name }\n"
    )
    args = ["query", "-", "--format", "csv", "--param", "name=bury-2021-12-17.pdf"]
    local = run_cli(*args, "--store", examples_store, input=sparql)
    remote = run_cli(*args, "--endpoint", remote_examples + "/query?union-default-graph", input=sparql)
    assert remote.exit_code == 0, remote.stderr
    assert remote.stdout == local.stdout and len(local.stdout.splitlines()) == 2


def test_ask_comes_back_as_the_same_boolean(remote_examples: str, examples_store: Path) -> None:
    for sparql, answer in [
        ("ASK { ?r <https://w3id.org/ofsted-kg/def#fileName> ?f }", "true"),
        ("ASK { <x:y> ?p ?o }", "false"),
    ]:
        local = run_cli("query", "-", "--store", examples_store, input=sparql)
        remote = run_cli("query", "-", "--endpoint", remote_examples + "/query?union-default-graph", input=sparql)
        assert remote.exit_code == 0, remote.stderr
        assert remote.stdout == local.stdout == answer + "\n"


def test_construct_comes_back_as_the_same_triples(remote_examples: str, examples_store: Path) -> None:
    sparql = "CONSTRUCT { ?r a ?t } WHERE { ?r a ?t ; <https://w3id.org/ofsted-kg/def#fileName> ?f }"
    local = run_cli("query", "-", "--format", "nt", "--store", examples_store, input=sparql).stdout
    remote = run_cli("query", "-", "--format", "nt", "--store", remote_examples, input=sparql).stdout
    assert sorted(remote.splitlines()) == sorted(local.splitlines()) and local


def test_server_errors_are_one_line(remote_examples: str) -> None:
    closed = f"http://127.0.0.1:{free_port()}"
    cases = [
        (["query", "inspections", "--store", closed], "cannot be reached"),
        (["query", "-", "--store", remote_examples], "HTTP 400"),
        (["load", "--store", closed, EXAMPLES / "halton-area-send-2023.txt"], "cannot be reached"),
    ]
    for args, message in cases:
        result = run_cli(*args, input="SELEC ?x")
        assert result.exit_code == 1
        assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr


@pytest.mark.parametrize(
    "answer",
    [
        b"SSH-2.0-OpenSSH_9.2\r\n",
        b'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{"head',
        b"HTTP/1.1 200 OK\r\nX: " + b"a" * 70000,
    ],
    ids=["not-http", "cut-off", "header-too-long"],
)
def test_something_that_is_not_an_http_server_fails_in_one_line(answer: bytes) -> None:
    with answering_once(answer) as url:
        result = run_cli("query", "inspections", "--store", url)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"ofsted-kg: {url}") and "not a valid HTTP answer" in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_an_answer_unreadable_after_its_first_rows_prints_none_of_them() -> None:
    """Results are parsed as they are read: two good rows, then a broken one. The endpoint's answer is named
    (it was called the query's syntax error), and no row is printed."""
    tsv = b"?s\n<http://a/1>\n<http://a/2>\n<http://a/3\n"
    head = b"HTTP/1.1 200 OK\r\nContent-Type: text/tab-separated-values\r\nContent-Length: %d\r\n\r\n" % len(tsv)
    with answering_once(head + tsv) as url:
        result = run_cli("query", "-", "--endpoint", url, input="SELECT ?s WHERE { ?s ?p ?o }")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.startswith(f"ofsted-kg: {url}: answered with unreadable text/tab-separated-values (")
    assert len(result.stderr.strip().splitlines()) == 1


@contextmanager
def answering_once(answer: bytes) -> Iterator[str]:
    """The URL of a server on a free loopback port that answers one request with these bytes."""
    with socket.socket() as listening:
        listening.bind(("127.0.0.1", 0))
        listening.listen()

        def answer_once() -> None:
            connection, _ = listening.accept()
            with connection:
                connection.recv(65536)
                connection.sendall(answer)
                connection.shutdown(socket.SHUT_WR)  # the end of the answer, read before the connection closes
                connection.recv(65536)

        thread = threading.Thread(target=answer_once, daemon=True)
        thread.start()
        yield f"http://127.0.0.1:{listening.getsockname()[1]}"
        thread.join(timeout=30)


def test_from_names_the_default_graph_here_and_on_the_server(remote_examples: str, examples_store: Path) -> None:
    """A query's FROM makes its default graph those graphs (SPARQL 1.1 Query, 13.2), not the union of them all,
    which Oxigraph's union flag and `union-default-graph` would impose over it."""
    graph = "<https://w3id.org/ofsted-kg/id/graph/bury-2021-12-17-pdf>"
    counts = {}
    for dataset in ("", f"FROM {graph}", "FROM <urn:no-such-graph>", f"FROM NAMED {graph}"):
        sparql = f"SELECT (COUNT(*) AS ?n) {dataset} WHERE {{ ?s ?p ?o }}"
        answers = [
            run_cli("query", "-", "--format", "csv", "--store", where, input=sparql).stdout.split()[-1]
            for where in (str(examples_store), remote_examples)
        ]
        assert answers[0] == answers[1], (dataset, answers)
        counts[dataset] = int(answers[0])
    with Store(examples_store) as store:
        in_graph = sum(1 for _ in store.quads(ox.NamedNode(graph.strip("<>"))))
    assert counts == {
        "": counts[""],
        f"FROM {graph}": in_graph,
        "FROM <urn:no-such-graph>": 0,
        f"FROM NAMED {graph}": 0,
    }
    assert counts[""] > in_graph > 0
