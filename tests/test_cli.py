"""The command line on the bundled examples: load, reload, query formats, errors, info."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import BAD, EXAMPLES, run_cli

from ofsted_kg.graph.store import Store
from ofsted_kg.output import printed_when_whole, table_lines
from ofsted_kg.queries import named_queries

CONTRACT_COLUMNS = {
    "inspections": "inspection report inspection_type local_authority la_code icb start_date end_date "
    "previous_start_date previous_end_date outcome lead_inspector dcs icb_chief_executive",
    "inspection-team": "inspection report inspector inspectorate lead",
    "judgements": "inspection report judgement grade",
    "findings": "inspection report kind section text themes services",
    "shared-icbs": "icb partnerships outcomes",
    "recurring-inspectors": "inspector inspections local_authorities",
    "common-failings": "theme label partnerships findings",
}


def query_json(store: Path, *args: str) -> dict:
    result = run_cli("query", *args, "--store", store, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_every_example_loads_as_its_own_report(examples_store: Path) -> None:
    rows = query_json(examples_store, "inspections")["results"]["bindings"]
    reports = {r["report"]["value"] for r in rows}
    assert reports == {p.name for p in EXAMPLES.iterdir()}
    kinds = {r["report"]["value"]: r["inspection_type"]["value"] for r in rows}
    assert kinds["oldham-2023-08-29.pdf"] == "area-send"
    assert kinds["bolton-childrens-services-2018.md"] == "ilacs"


@pytest.mark.parametrize("name", sorted(CONTRACT_COLUMNS))
def test_contract_queries_have_their_columns(examples_store: Path, name: str) -> None:
    head = query_json(examples_store, name)["head"]["vars"]
    assert set(CONTRACT_COLUMNS[name].split()) <= set(head)


def test_loading_twice_changes_nothing(tmp_path: Path) -> None:
    store = tmp_path / "store"
    files = [EXAMPLES / "oldham-2023-08-29.pdf", EXAMPLES / "bury-area-send-2024.txt"]
    assert run_cli("load", "--store", store, *files).exit_code == 0
    with Store(store) as s:
        first = sorted(map(str, s.quads()))
    assert run_cli("load", "--store", store, *files).exit_code == 0
    with Store(store) as s:
        assert sorted(map(str, s.quads())) == first


def test_reloading_a_changed_report_replaces_its_graph(tmp_path: Path) -> None:
    store, report = tmp_path / "store", tmp_path / "halton.txt"
    text = (EXAMPLES / "halton-area-send-2023.txt").read_text()
    report.write_text(text)
    run_cli("load", "--store", store, report)
    report.write_text(
        text.replace("Inspection dates: 20 to 24 November 2023", "Inspection dates: 21 to 24 November 2023")
    )
    run_cli("load", "--store", store, report)
    rows = query_json(store, "inspections")["results"]["bindings"]
    assert [r["start_date"]["value"] for r in rows] == ["2023-11-21"]


def test_bad_files_are_named_and_the_rest_still_load(tmp_path: Path) -> None:
    store = tmp_path / "store"
    result = run_cli(
        "load",
        "--store",
        store,
        BAD / "report-not-found.pdf",
        BAD / "truncated.pdf",
        EXAMPLES / "halton-area-send-2023.txt",
    )
    assert result.exit_code == 1
    errors = result.stderr.splitlines()
    assert errors[0] == (
        'report-not-found.pdf: not an inspection report (an Ofsted "Report not found" web page saved as .pdf)'
    )
    assert errors[1].startswith("truncated.pdf: truncated PDF")
    assert "Traceback" not in result.stderr
    rows = query_json(store, "inspections")["results"]["bindings"]
    assert [r["report"]["value"] for r in rows] == ["halton-area-send-2023.txt"]


def test_a_folder_loads_recursively(tmp_path: Path) -> None:
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    shutil.copy(EXAMPLES / "halton-area-send-2023.txt", nested)
    result = run_cli("load", "--store", tmp_path / "store", tmp_path / "a")
    assert result.exit_code == 0 and "loaded 1 report(s)" in result.stderr


def test_csv_and_tsv_are_the_sparql_results_formats(examples_store: Path) -> None:
    out = run_cli("query", "judgements", "--store", examples_store, "--format", "csv").stdout_bytes.decode()
    rows = list(csv.DictReader(io.StringIO(out)))
    assert out.split("\r\n")[0] == "inspection,report,judgement,grade,label"
    assert {"overall", "leadership"} <= {r["judgement"] for r in rows}
    tsv = run_cli("query", "judgements", "--store", examples_store, "--format", "tsv").stdout
    assert tsv.splitlines()[0].split("\t")[:2] == ["?inspection", "?report"]
    assert tsv.splitlines()[1].startswith("<https://")
    blank = 'SELECT ?b ?x WHERE { BIND(BNODE() AS ?b) BIND("a,b" AS ?x) }'
    row = run_cli("query", "-", "--store", examples_store, "--format", "csv", input=blank).stdout.splitlines()[1]
    assert re.fullmatch(r'_:\w+,"a,b"', row)  # a blank node keeps its "_:" (SPARQL 1.1 CSV results, 2)


def test_json_and_tsv_write_a_triple_term_as_oxigraph_does(examples_store: Path) -> None:
    """An RDF 1.2 triple term, nested and with a language tag: as a "triple" in JSON (SPARQL 1.2 Query Results
    JSON, 3.2.4), as <<( s p o )>> in TSV, never a literal made of its text."""
    query = 'SELECT ?t WHERE { BIND(<<( <urn:a> <urn:b> <<( <urn:c> <urn:d> "e"@en )>> )>> AS ?t) }'
    with Store(None) as store:
        expected_json = json.loads(store.query(query).serialize(format=ox.QueryResultsFormat.JSON))
        expected_tsv = store.query(query).serialize(format=ox.QueryResultsFormat.TSV).decode()
    assert json.loads(run_cli("query", "-", "--store", examples_store, "--format", "json", input=query).stdout) == (
        expected_json
    )
    assert run_cli("query", "-", "--store", examples_store, "--format", "tsv", input=query).stdout == expected_tsv
    assert expected_json["results"]["bindings"][0]["t"]["type"] == "triple"


def test_table_and_markdown_and_limit(examples_store: Path) -> None:
    table = run_cli("query", "inspections", "--store", examples_store, "--limit", "2").stdout
    assert table.rstrip().endswith("(2 rows)")
    md = run_cli("query", "inspection-team", "--store", examples_store, "--format", "md", "--limit", "3").stdout
    assert md.startswith("| inspection | report | inspector |") and len(md.strip().splitlines()) == 5


def test_a_table_header_longer_than_its_cells_keeps_its_rule_under_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "60")  # narrow: each of three columns is capped at 20 characters, its cells wrap
    table = table_lines(["childrens_services_grade", "n", "m"], [["good", "1", "a"], ["x " * 30, "2", "b"]])
    header, rule, *_ = table
    assert [len(part) for part in rule.split("  ")] == [len("childrens_services_grade"), 1, 1]
    assert header.index(" n") == rule.index(" -")


def test_a_reader_that_stops_early_gets_no_error_message(examples_store: Path) -> None:
    """`ofsted-kg query findings | head`: the write fails with a broken pipe, which is the reader's choice."""
    command = [sys.executable, "-m", "ofsted_kg", "query", "findings", "--store", str(examples_store)]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # before the answer is written: the reader has gone
    _, err = proc.communicate(timeout=120)
    assert (proc.returncode, err) == (1, b"")


def test_query_from_stdin_and_file(examples_store: Path, tmp_path: Path) -> None:
    sparql = "SELECT (COUNT(*) AS ?n) WHERE { ?r a <https://w3id.org/ofsted-kg/def#Report> }"
    out = run_cli("query", "-", "--store", examples_store, "--format", "csv", input=sparql).stdout_bytes.decode()
    assert out.split("\r\n")[1] == str(len(list(EXAMPLES.iterdir())))
    rq = tmp_path / "count.rq"
    rq.write_text(sparql)
    assert run_cli("query", rq, "--store", examples_store, "--format", "csv").stdout_bytes.decode() == out


def _query_by_name(path: Path, select: str) -> Path:
    """A .rq of the user's own with one required parameter, ?name."""
    path.write_text(
        f"# param: name string required a file name\nPREFIX okg: <https://w3id.org/ofsted-kg/def#>\n{select}\n"
    )
    return path


def test_parameters_are_bound_as_values_not_spliced(examples_store: Path, tmp_path: Path) -> None:
    rq = _query_by_name(tmp_path / "by-report.rq", "SELECT ?r WHERE { ?r okg:fileName ?name }")
    hit = run_cli("query", rq, "--store", examples_store, "-p", "name=oldham-2023-08-29.pdf", "--format", "csv")
    assert len(hit.stdout.strip().splitlines()) == 2
    hostile = 'x" } ; DROP ALL ; #'
    miss = run_cli("query", rq, "--store", examples_store, "-p", f"name={hostile}", "--format", "csv")
    assert miss.exit_code == 0 and miss.stdout.strip() == "r"
    assert len(query_json(examples_store, "inspections")["results"]["bindings"]) == len(list(EXAMPLES.iterdir()))


def test_a_parameter_its_binding_group_does_not_use_is_refused(examples_store: Path, tmp_path: Path) -> None:
    """The block goes after the first WHERE: here a subquery's, which never sees ?name, so it would bind nothing."""
    rq = _query_by_name(
        tmp_path / "inner.rq", "SELECT ?r ?name { { SELECT ?r WHERE { ?r a okg:Report } } ?r okg:fileName ?name }"
    )
    result = run_cli("query", rq, "--store", examples_store, "-p", "name=oldham-2023-08-29.pdf")
    assert (result.exit_code, result.stderr.strip()) == (
        1,
        "ofsted-kg: query inner: its first WHERE group does not use ?name, so the parameter would bind nothing "
        "(write WHERE before the group that uses it)",
    )
    rq.write_text(rq.read_text().replace("?name { {", "?name WHERE { {"))
    hit = run_cli("query", rq, "--store", examples_store, "-p", "name=oldham-2023-08-29.pdf", "--format", "csv")
    assert hit.stdout.splitlines()[1:] == [f"{hit.stdout.splitlines()[1].split(',')[0]},oldham-2023-08-29.pdf"]


def test_a_parameter_seen_only_inside_a_subquery_is_refused_unless_the_subquery_projects_it(
    examples_store: Path, tmp_path: Path
) -> None:
    """A subquery's variables are its own unless it projects them: ?name used only inside one would meet the
    outer group's VALUES block nowhere, and the parameter would be ignored without a word."""
    hidden = _query_by_name(tmp_path / "hidden.rq", "SELECT ?r WHERE { { SELECT ?r WHERE { ?r okg:fileName ?name } } }")
    refused = run_cli("query", hidden, "--store", examples_store, "-p", "name=oldham-2023-08-29.pdf")
    assert refused.exit_code == 1 and "does not use ?name" in refused.stderr
    projecting = [
        "SELECT ?r WHERE { { SELECT ?r ?name WHERE { ?r okg:fileName ?name } } }",
        "SELECT ?r WHERE { { SELECT ?r (STR(?file) AS ?name) WHERE { ?r okg:fileName ?file } } }",
    ]
    for n, select in enumerate(projecting):
        rq = _query_by_name(tmp_path / f"projected{n}.rq", select)
        hit = run_cli("query", rq, "--store", examples_store, "-p", "name=oldham-2023-08-29.pdf", "--format", "csv")
        assert hit.exit_code == 0 and len(hit.stdout.strip().splitlines()) == 2, (select, hit.stderr)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["no-such-query"], "unknown query 'no-such-query'"),
        (["inspections", "-p", "oops"], "bad --param 'oops'"),
    ],
)
def test_query_errors_are_one_line(examples_store: Path, args: list[str], message: str) -> None:
    result = run_cli("query", *args, "--store", examples_store)
    assert result.exit_code == 1
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_a_query_that_parses_but_cannot_be_answered_fails_in_one_line(tmp_path: Path) -> None:
    """Oxigraph's own errors while it evaluates: a SERVICE nobody answers; updates on what is not there."""
    store = tmp_path / "store"
    assert run_cli("load", "--store", store, EXAMPLES / "halton-area-send-2023.txt").exit_code == 0
    with socket.socket() as unused:  # a port with nobody listening
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    cases = [
        ([], f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"),
        (["--allow-update"], "DROP GRAPH <http://example.org/none>"),
        (["--allow-update"], f"LOAD <{(tmp_path / 'none.ttl').as_uri()}>"),
    ]
    for flags, sparql in cases:  # in processes of their own, as a user runs them
        command = [sys.executable, "-m", "ofsted_kg", "query", "-", "--store", str(store), *flags]
        result = subprocess.run(command, input=sparql, capture_output=True, text=True, timeout=120)
        assert (result.returncode, result.stdout) == (1, "")
        assert result.stderr.startswith("ofsted-kg: -: cannot be answered (") and result.stderr.count("\n") == 1


def test_an_answer_larger_than_memory_holds_is_printed_the_same(examples_store: Path, monkeypatch) -> None:
    """Answers wait in a file until whole, on disk beyond a size: the same bytes either way, in every format."""
    import ofsted_kg.output

    for fmt in ("json", "csv", "tsv", "md", "table"):
        in_memory = run_cli("query", "findings", "--store", examples_store, "--format", fmt).stdout_bytes
        with monkeypatch.context() as patched:
            patched.setattr(ofsted_kg.output, "_IN_MEMORY", 1000)
            on_disk = run_cli("query", "findings", "--store", examples_store, "--format", fmt).stdout_bytes
        assert len(in_memory) > 100_000 and on_disk == in_memory


def test_an_answer_cut_short_prints_nothing() -> None:
    """What `query` writes goes to a file first, and only a whole answer reaches the output: a store that fails
    half way through an answer leaves no rows that could pass for all of them."""
    out = io.BytesIO()
    with pytest.raises(OSError, match="half way"), printed_when_whole(out) as answer:
        answer.write(b"inspection,report\r\n" * 10_000)
        raise OSError("the store failed half way")
    assert out.getvalue() == b""
    with printed_when_whole(out) as answer:
        answer.write(b"inspection,report\r\n" * 10_000)
    assert out.getvalue() == b"inspection,report\r\n" * 10_000


def test_a_reader_paging_through_an_answer_does_not_keep_the_store(examples_store: Path) -> None:
    """`ofsted-kg query findings | less`: while the reader pages, another command can open the store."""
    command = [sys.executable, "-m", "ofsted_kg", "query", "findings", "--store", str(examples_store)]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as paged:
        first = paged.stdout.read(1)  # the answer has begun; the rest is more than a pipe holds, and waits
        info = [sys.executable, "-m", "ofsted_kg", "info", "--store", str(examples_store)]
        opened = subprocess.run(info, capture_output=True, env={**os.environ, "OFSTED_KG_LOCK_WAIT": "0"})
        waiting = paged.poll() is None
        rest, _ = paged.communicate(timeout=120)
    assert opened.returncode == 0, opened.stderr
    assert waiting and paged.returncode == 0 and (first + rest).rstrip().endswith(b"rows)")


def test_syntax_error_names_the_position(examples_store: Path) -> None:
    result = run_cli("query", "-", "--store", examples_store, input="SELECT ?x WHERE { ?x ?y }")
    assert result.exit_code == 1
    assert "SPARQL syntax error" in result.stderr and "1:" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_show_prints_the_sparql(examples_store: Path) -> None:
    out = run_cli("query", "shared-icbs", "--show").stdout
    assert out == named_queries()["shared-icbs"].sparql


def test_queries_lists_every_named_query() -> None:
    out = run_cli("queries").stdout
    for name in CONTRACT_COLUMNS:
        assert f"{name}\n" in out


def test_info_counts_reports_by_kind(examples_store: Path) -> None:
    out = run_cli("info", "--store", examples_store).stdout
    assert "area-send  6" in out and "ilacs      4" in out
    assert f"reports    {len(list(EXAMPLES.iterdir()))}" in out


def test_ctrl_c_while_the_command_line_is_imported_ends_as_click_ends_it() -> None:
    """The interruption is raised as the import of the command line begins, the moment before click's own
    handling is in place: the user sees click's "Aborted!", not a traceback from inside some library."""
    interrupt_the_import = (
        "import sys\n"
        "class Interrupt:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'ofsted_kg.cli':\n"
        "            raise KeyboardInterrupt\n"
        "sys.meta_path.insert(0, Interrupt())\n"
        "from ofsted_kg.__main__ import run\n"
        "run()\n"
    )
    done = subprocess.run([sys.executable, "-c", interrupt_the_import], capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stderr) == (1, "\nAborted!\n")


def test_version() -> None:
    assert run_cli("--version").stdout.startswith("ofsted-kg, version ")


@pytest.mark.parametrize("command", [["query", "inspections"], ["info"], ["remove", "x.pdf"], ["compact"]])
def test_reading_a_folder_without_a_store_says_so_and_creates_nothing(tmp_path: Path, command: list[str]) -> None:
    missing = tmp_path / "no-store"
    result = run_cli(*command, "--store", missing)
    assert result.exit_code == 1
    assert result.stderr.strip() == f"ofsted-kg: store {missing}: no store there (load reports into it first)"
    assert not missing.exists()


@pytest.mark.parametrize("command", [["query", "inspections"], ["info"], ["export", "-o", "-", "--format", "nq"]])
def test_a_folder_of_other_files_is_no_store_and_stays_as_it_was(tmp_path: Path, command: list[str]) -> None:
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine")
    result = run_cli(*command, "--store", folder)
    assert result.stderr.strip() == f"ofsted-kg: store {folder}: no store there (load reports into it first)"
    result = run_cli("load", "--store", folder, EXAMPLES / "halton-area-send-2023.txt")
    assert (result.exit_code, result.stderr.strip()) == (
        1,
        f"ofsted-kg: store {folder}: the folder holds other files, not a store; give a new or empty one",
    )
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]


def test_a_store_that_cannot_be_made_or_read_fails_in_one_line(tmp_path: Path, examples_store: Path) -> None:
    (tmp_path / "a-file").write_text("x")
    under_a_file = tmp_path / "a-file" / "store"
    result = run_cli("load", "--store", under_a_file, EXAMPLES / "halton-area-send-2023.txt")
    assert (result.exit_code, result.stderr.strip()) == (
        1,
        f"ofsted-kg: store {under_a_file}: cannot be made (Not a directory)",
    )
    damaged = tmp_path / "damaged"
    shutil.copytree(examples_store, damaged)
    (damaged / "CURRENT").write_text("")  # RocksDB's pointer to the store's state, emptied
    result = run_cli("info", "--store", damaged)
    assert result.exit_code == 1
    assert (
        result.stderr.startswith(f"ofsted-kg: store {damaged}: cannot be opened (") and result.stderr.count("\n") == 1
    )


def test_compact_merges_the_store_files_and_every_answer_stays(tmp_path: Path) -> None:
    # Reports added load by load, as a user adds them: each load leaves files of its own. (After one
    # load, RocksDB's own background merging may already have left nothing to merge.)
    store = tmp_path / "store"
    for report in sorted(EXAMPLES.iterdir()):
        assert run_cli("load", "--store", store, "--workers", "1", report).exit_code == 0
    answers = {name: query_json(store, name) for name in ("inspections", "findings", "common-failings")}
    files = len(list(store.glob("*.sst")))
    result = run_cli("compact", "--store", store)
    assert result.exit_code == 0
    assert re.fullmatch(rf"compacted {re.escape(str(store))}: [0-9.]+ MB -> [0-9.]+ MB in [0-9.]+ s\n", result.stderr)
    assert len(list(store.glob("*.sst"))) < files
    assert {name: query_json(store, name) for name in answers} == answers


def test_compact_on_a_sparql_server_says_it_is_for_the_embedded_store() -> None:
    result = run_cli("compact", "--store", "http://127.0.0.1:9/")
    assert result.exit_code == 1
    assert result.stderr == (
        "ofsted-kg: store http://127.0.0.1:9/: a remote server; this command reads an embedded store folder\n"
    )


def test_analyse_offers_only_the_formats_of_rows(examples_store: Path) -> None:
    """Its tables are rows: RDF formats, offered once and then refused at the end, are not offered at all."""
    refused = run_cli("analyse", "--store", examples_store, "--format", "ttl")
    assert refused.exit_code == 2 and "'ttl' is not one of" in refused.stderr
    assert "ttl" not in run_cli("analyse", "--help").stdout


def test_load_folder_passes_over_its_readme(tmp_path: Path) -> None:
    """A collection's README.md is its notes, not a report: passed over in a folder, refused when named."""
    folder = tmp_path / "reports"
    folder.mkdir()
    shutil.copy(EXAMPLES / "halton-area-send-2023.txt", folder)
    (folder / "README.md").write_text("# Area SEND inspection reports\n\nDownloaded from Ofsted.\n")
    store = tmp_path / "store"
    loaded = run_cli("load", "--store", store, folder)
    assert (loaded.exit_code, loaded.stderr.strip()) == (0, "loaded 1 report(s), 0 failed")
    named = run_cli("load", "--store", store, folder / "README.md")
    assert named.exit_code == 1 and "README.md: not an inspection report" in named.stderr
