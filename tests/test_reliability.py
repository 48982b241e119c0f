"""Bad inputs, hostile content, concurrency and integrity, through the command line.

Each case here is listed with its result in docs/reliability.md.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import BAD, EXAMPLES, run_cli

from ofsted_kg.graph import batch, build
from ofsted_kg.graph.links import links_graph
from ofsted_kg.graph.store import Store
from ofsted_kg.graph.tallies import tallies_graph
from ofsted_kg.graph.terms import report_graph
from ofsted_kg.iris import base
from ofsted_kg.loaders.text import MAX_BYTES

CLI = [sys.executable, "-m", "ofsted_kg"]
GOOD = EXAMPLES / "halton-area-send-2023.txt"
HOSTILE = "<script>window.__pwned=1</script> \" } ; DROP ALL ; # ' ) } INSERT DATA { <a:b> <c:d> <e:f> }"


def reports_in(store: Path) -> list[str]:
    out = run_cli("query", "inspections", "--store", store, "--format", "json").stdout
    return sorted(row["report"]["value"] for row in json.loads(out)["results"]["bindings"])


def test_every_bad_input_is_named_once_and_the_good_one_loads(tmp_path: Path) -> None:
    folder = tmp_path / "downloads"
    shutil.copytree(BAD, folder)
    (folder / "empty.pdf").write_bytes(b"")
    (folder / "school.txt").write_text(
        "School report\nInspection of Hilltop Primary School\nUnique reference number: 100000\n"
    )
    (folder / "latin1-notes.txt").write_bytes("Caf\xe9 notes \xa3 10 on a shopping list".encode("latin-1"))
    with open(folder / "huge.pdf", "wb") as huge:  # sparse: refused by size before any read
        huge.truncate(MAX_BYTES + 1)
    (folder / "gone.pdf").symlink_to(tmp_path / "nowhere.pdf")
    shutil.copy(GOOD, folder)
    result = run_cli("load", "--store", tmp_path / "store", folder)
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    named = {line.split(":")[0] for line in lines[:-1]}
    bad = {p.name for p in folder.iterdir()} - {GOOD.name}
    assert named == bad, lines
    assert lines[-1] == f"loaded 1 report(s), {len(bad)} failed"
    assert "Traceback" not in result.stderr
    reasons = dict(line.split(": ", 1) for line in lines[:-1])
    assert reasons["huge.pdf"].startswith("too large")
    assert reasons["gone.pdf"] == "no such file"
    assert "school" in reasons["school.txt"]
    assert reports_in(tmp_path / "store") == [GOOD.name]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_unreadable_file_is_named(tmp_path: Path) -> None:
    locked = tmp_path / "locked.txt"
    shutil.copy(GOOD, locked)
    locked.chmod(0)
    result = run_cli("load", "--store", tmp_path / "store", locked)
    assert result.exit_code == 1 and "locked.txt: cannot be read (permission denied)" in result.stderr


def test_hostile_finding_text_is_stored_as_data(tmp_path: Path) -> None:
    report = tmp_path / "halton-hostile.txt"
    text = GOOD.read_text().replace("- Leaders have been too slow", f"- {HOSTILE} Leaders have been too slow")
    report.write_text(text)
    store = tmp_path / "store"
    run_cli("load", "--store", store, EXAMPLES / "bury-area-send-2024.txt")
    before = reports_in(store)
    assert run_cli("load", "--store", store, report).exit_code == 0
    assert reports_in(store) == sorted([*before, report.name])
    rows = json.loads(run_cli("query", "findings", "--store", store, "--format", "json").stdout)["results"]["bindings"]
    assert any(HOSTILE in row["text"]["value"] for row in rows)
    with Store(store) as s:
        assert not any(q.subject.value == "a:b" for q in s.quads())


def test_hostile_parameter_changes_nothing(examples_store: Path) -> None:
    before = reports_in(examples_store)
    result = run_cli("query", "search", "--store", examples_store, "-p", f"text={HOSTILE}", "--format", "csv")
    assert result.exit_code == 0 and result.stdout.count("\n") == 1  # the header: no finding says that
    undeclared = run_cli("query", "findings", "--store", examples_store, "-p", f"x={HOSTILE}")
    assert undeclared.exit_code == 1 and "has no parameter 'x'" in undeclared.stderr
    assert reports_in(examples_store) == before


def test_two_concurrent_loads_both_complete(tmp_path: Path) -> None:
    store = tmp_path / "store"
    env = {**os.environ, "OFSTED_KG_LOCK_WAIT": "120"}
    first = [EXAMPLES / "oldham-2023-08-29.pdf", EXAMPLES / "trafford-2023-12-22.pdf", GOOD]
    second = [EXAMPLES / "bury-2021-12-17.pdf", EXAMPLES / "bolton-area-send-2024.md"]
    procs = [
        subprocess.Popen([*CLI, "load", "--store", str(store), *map(str, files)], env=env, stderr=subprocess.PIPE)
        for files in (first, second)
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
    assert reports_in(store) == sorted(p.name for p in first + second)


def test_loading_the_examples_twice_gives_an_identical_store(tmp_path: Path) -> None:
    dumps = []
    for store in (tmp_path / "a", tmp_path / "b"):
        run_cli("load", "--store", store, EXAMPLES)
        run_cli("load", "--store", store, EXAMPLES)
        with Store(store) as s:
            dumps.append(sorted(map(str, s.quads())))
    assert dumps[0] == dumps[1]


def test_a_file_whose_graph_another_holds_is_refused_and_the_other_kept(tmp_path: Path) -> None:
    """A report graph is named by its file name made a slug: names that differ only in case, punctuation or
    letters outside ASCII share one, and a file named like one of the store's own graphs would take it."""
    folder, store = tmp_path / "reports", tmp_path / "store"
    folder.mkdir()
    first = folder / "report (1).txt"
    shutil.copy(EXAMPLES / "halton-area-send-2023.txt", first)
    for name in ("Report [1].txt", "links", "vocabulary"):
        shutil.copy(EXAMPLES / "bury-area-send-2024.txt", folder / name)
    result = run_cli("load", "--store", store, first, folder / "Report [1].txt", folder / "links")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[:2] == [
        f"{folder / 'Report [1].txt'}: not loaded: its graph would replace that of {first}, loaded just before "
        "(a report is known by its file name, whatever its case and punctuation)",
        f"{folder / 'links'}: not loaded: its name is that of one of the store's own graphs "
        "(a report is known by its file name, whatever its case and punctuation)",
    ]
    result = run_cli("load", "--store", store, folder / "vocabulary", folder / "Report [1].txt")
    assert [line.split(": not loaded: ")[1][:40] for line in result.stderr.splitlines()[:2]] == [
        "its name is that of one of the store's o",
        "its graph would replace that of report (",
    ]
    assert reports_in(store) == ["report (1).txt"]
    # Only a report's own file name removes it: not the name of a graph of the store's, nor another spelling.
    result = run_cli("remove", "--store", store, "vocabulary", "Report [1].txt")
    assert result.stderr.splitlines() == [
        "vocabulary: not in the store",
        "Report [1].txt: not in the store",
        "removed 0 report(s)",
    ]
    assert run_cli("query", "--store", store, "common-failings", "--format", "csv").stdout.count("\n") > 5
    result = run_cli("load", "--store", store, first, folder / "." / first.name)  # one file, named twice
    assert (result.exit_code, result.stderr.splitlines()[-1]) == (0, "loaded 1 report(s), 0 failed")


def test_the_same_file_under_a_second_name_is_refused(tmp_path: Path) -> None:
    """Two downloads of one report ("x.pdf", "x (1).pdf") would count its findings twice in every tally."""
    store, folder = tmp_path / "store", tmp_path / "downloads"
    folder.mkdir()
    for name in ("halton.txt", "halton (copy).txt", "later copy.txt"):
        shutil.copy(GOOD, folder / name)
    result = run_cli("load", "--store", store, folder / "halton.txt", folder / "halton (copy).txt")
    assert result.stderr.splitlines()[0] == (
        f"{folder / 'halton (copy).txt'}: not loaded: the same file as {folder / 'halton.txt'}, loaded just before"
    )
    result = run_cli("load", "--store", store, folder / "later copy.txt", folder / "halton.txt")
    assert result.stderr.splitlines() == [
        f"{folder / 'later copy.txt'}: not loaded: the same file as halton.txt, already in the store",
        "loaded 1 report(s), 1 failed",
    ]
    assert reports_in(store) == ["halton.txt"]


def test_a_load_stopped_before_its_tallies_is_made_good_by_the_next_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C after the reports are written but before the links and tallies are: the next command that opens
    the store derives them first, so no answer counts a store the tallies do not match."""
    store, fresh = tmp_path / "store", tmp_path / "fresh"
    first, second = EXAMPLES / "halton-area-send-2023.txt", EXAMPLES / "bury-area-send-2024.txt"
    assert run_cli("load", "--store", store, first).exit_code == 0

    def interrupted(_: Store) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(build, "derive", interrupted)
    assert run_cli("load", "--store", store, second).exit_code == 1  # click: "Aborted!"
    monkeypatch.undo()
    pending = f"ASK {{ GRAPH {build.pending_graph()} {{ ?s ?p ?o }} }}"
    with Store(store) as s:
        assert bool(s.query(pending))
    assert run_cli("load", "--store", fresh, first, second).exit_code == 0
    answers = [
        run_cli("query", name, "--store", store, "--format", "csv").stdout
        for name in ("common-failings", "recurring-inspectors")
    ]
    assert answers == [
        run_cli("query", name, "--store", fresh, "--format", "csv").stdout
        for name in ("common-failings", "recurring-inspectors")
    ]
    with Store(store) as s, Store(fresh) as f:
        assert not s.query(pending)
        assert {str(q) for q in s.quads() if q.graph_name in DERIVED} == {
            str(q) for q in f.quads() if q.graph_name in DERIVED
        }


def test_remove_takes_out_exactly_one_report(tmp_path: Path) -> None:
    store, removed = tmp_path / "store", "oldham-2023-08-29.pdf"
    run_cli("load", "--store", store, EXAMPLES)
    with Store(store) as s:
        others = {str(q) for q in _report_quads(s) if not q.graph_name.value.endswith("/graph/oldham-2023-08-29-pdf")}
    result = run_cli("remove", "--store", store, removed, "no-such.pdf")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == ["no-such.pdf: not in the store", "removed 1 report(s)"]
    # What is derived across reports (links, tallies) is then as if the report had never been loaded.
    remaining, fresh = tmp_path / "remaining", tmp_path / "fresh"
    shutil.copytree(EXAMPLES, remaining, ignore=shutil.ignore_patterns(removed))
    run_cli("load", "--store", fresh, remaining)
    with Store(store) as s, Store(fresh) as f:
        assert {str(q) for q in _report_quads(s)} == others
        assert {str(q) for q in s.quads() if q.graph_name in DERIVED} == {
            str(q) for q in f.quads() if q.graph_name in DERIVED
        }


DERIVED = (links_graph(), tallies_graph())


def _report_quads(store: Store):
    return (q for q in store.quads() if q.graph_name not in DERIVED)


def test_query_refuses_an_update_unless_allowed(tmp_path: Path) -> None:
    store = tmp_path / "store"
    run_cli("load", "--store", store, GOOD)
    update = tmp_path / "wipe.rq"
    update.write_text("# clears everything\nPREFIX x: <http://example.org/#>\nDROP ALL\n")
    refused = run_cli("query", update, "--store", store)
    assert refused.exit_code == 1
    assert "is a SPARQL update; `query` only reads" in refused.stderr
    assert reports_in(store) == [GOOD.name]
    allowed = run_cli("query", update, "--store", store, "--allow-update")
    assert allowed.exit_code == 0 and reports_in(store) == []


EXAMPLE_TEXTS = sorted(EXAMPLES.glob("*.txt"))


def _load_onto_full_disk(store: Path, monkeypatch: pytest.MonkeyPatch, failing: Path):
    """Load the example texts while the batch that holds the `failing` report finds the disk full.

    The batch is known by its report, not by its place in line: two batches are written at once,
    so two writes can begin in either order."""
    real = Store.write_graphs
    full = report_graph(failing.name)

    def full_disk(self: Store, graphs) -> None:
        if any(graph.name == full for graph in graphs):
            raise OSError(28, "No space left on device")
        real(self, graphs)

    monkeypatch.setattr(Store, "write_graphs", full_disk)
    result = run_cli("load", "--store", store, "--workers", "1", *EXAMPLE_TEXTS)
    monkeypatch.undo()
    assert result.exit_code == 1
    return result.stderr.strip()


def test_a_failed_write_keeps_the_reports_before_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = tmp_path / "store"
    monkeypatch.setattr(batch, "BATCH_QUADS", 1)  # one report per batch: the last finds the disk full
    assert _load_onto_full_disk(store, monkeypatch, failing=EXAMPLE_TEXTS[-1]) == (
        f"ofsted-kg: store {store}: writing {EXAMPLE_TEXTS[-1].name} failed ([Errno 28] No space left on device); "
        "the reports before it are loaded"
    )
    assert reports_in(store) == [path.name for path in EXAMPLE_TEXTS[:-1]]


def test_a_disk_that_fills_at_the_last_flush_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(self: Store) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Store, "flush", full)
    result = run_cli("load", "--store", tmp_path / "store", GOOD)
    assert (result.exit_code, result.stderr) == (1, "ofsted-kg: No space left on device\n")


_REAL_PARSE = build.parse_file


def _killed_on_bomb(path: Path) -> build.Outcome:
    """As the system kills a parser process that runs out of memory."""
    if path.name == "bomb.txt":
        os._exit(9)
    return _REAL_PARSE(path)


def test_a_parser_process_that_dies_loses_no_report_parsed_before_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "reports"
    shutil.copytree(EXAMPLES, folder, ignore=shutil.ignore_patterns("*.pdf"))
    before = sorted(p.name for p in folder.iterdir())
    (folder / "bomb.txt").write_text("x")
    monkeypatch.setattr(build, "parse_file", _killed_on_bomb)  # the forked workers inherit it
    result = run_cli("load", "--store", tmp_path / "store", "--workers", "2", folder)
    assert result.exit_code == 1
    lost = [line for line in result.stderr.splitlines() if "a parser process stopped" in line]
    loaded = reports_in(tmp_path / "store")
    assert lost and len(loaded) + len(lost) == len(before) + 1
    assert loaded == before[: len(loaded)]  # those before the death, in order
    assert result.stderr.splitlines()[-1] == f"loaded {len(loaded)} report(s), {len(lost)} failed"


def test_settings_and_file_names_cannot_break_the_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    odd = tmp_path / "evil\nfake: loaded OK.txt"
    odd.write_text("")
    result = run_cli("load", "--store", tmp_path / "store", odd)
    assert result.stderr.splitlines()[0] == "evil\\nfake: loaded OK.txt: empty file (0 bytes)"
    monkeypatch.setenv("OFSTED_KG_BASE", "not a base")
    base.cache_clear()
    try:
        result = run_cli("load", "--store", tmp_path / "other", GOOD)
    finally:
        base.cache_clear()
    assert result.stderr.startswith("ofsted-kg: OFSTED_KG_BASE 'not a base/': not an absolute IRI")
    assert (result.exit_code, len(result.stderr.splitlines()), (tmp_path / "other").exists()) == (1, 1, False)


def test_a_store_whose_tallies_cannot_be_written_can_still_be_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A load that filled the disk leaves the stale note, and every later command tries to derive first: that
    write failing locked the user out of the reports the load said were loaded. Now it warns and reads on."""
    store = tmp_path / "store"
    assert run_cli("load", "--store", store, GOOD).exit_code == 0
    with Store(store) as s:
        s.write_graphs([build.stale_note()])

    def full_disk(_: Store) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(build, "derive", full_disk)
    info = run_cli("info", "--store", store)
    assert info.exit_code == 0 and "reports" in info.stdout
    assert info.stderr == (
        f"ofsted-kg: warning: store {store}: its links and tallies could not be brought up to date (No space left "
        "on device); the aggregate answers (common failings, recurring inspectors, outcomes...) may not match its "
        "reports\n"
    )
    exported = run_cli("export", "--store", store, "-o", tmp_path / "kg.nq")
    assert exported.exit_code == 0 and (tmp_path / "kg.nq").stat().st_size > 0
    monkeypatch.undo()
    assert run_cli("info", "--store", store).stderr == ""  # derived at last, the note taken away


@pytest.mark.parametrize("value", ["nan", "-5", "abc", "inf"])
def test_a_wait_that_is_no_number_of_seconds_is_refused_in_one_line(
    examples_store: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    """ "nan" waited for ever on a busy store, "abc" was 30 s without a word, "-5" printed "(waited -5 s)"."""
    monkeypatch.setenv("OFSTED_KG_LOCK_WAIT", value)
    result = run_cli("info", "--store", examples_store)
    assert (result.exit_code, result.stderr) == (
        1,
        f"ofsted-kg: OFSTED_KG_LOCK_WAIT {value!r}: not a number of seconds (0 or more)\n",
    )


def test_a_load_or_removal_under_another_base_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Under another OFSTED_KG_BASE every report would be held twice, under each base's IRIs, and counted twice."""
    store = tmp_path / "store"
    assert run_cli("load", "--store", store, GOOD).exit_code == 0
    before = reports_in(store)
    monkeypatch.setenv("OFSTED_KG_BASE", "https://example.org/kg/")
    base.cache_clear()
    try:
        for args in (("load", "--store", store, GOOD), ("remove", "--store", store, GOOD.name)):
            result = run_cli(*args)
            assert (result.exit_code, result.stderr) == (
                1,
                f"ofsted-kg: {store}: its reports were loaded with OFSTED_KG_BASE 'https://w3id.org/ofsted-kg/id/', "
                "not 'https://example.org/kg/'; load with that base, or into another store\n",
            )
        assert run_cli("info", "--store", store).exit_code == 0  # read under any base
    finally:
        monkeypatch.undo()  # the default base again before anything caches it
        base.cache_clear()
    assert reports_in(store) == before
    with Store(store) as opened:
        assert not [g for g in opened.graphs() if g.value.startswith("https://example.org/")]


def test_a_failed_write_names_the_reports_written_beside_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The second of three one-report batches fails; the third was handed over before that was known
    (two writes are in flight), and it is loaded and said to be."""
    store = tmp_path / "store"
    monkeypatch.setattr(batch, "BATCH_QUADS", 1)
    first, failing, third = EXAMPLE_TEXTS[:3]
    assert _load_onto_full_disk(store, monkeypatch, failing=failing) == (
        f"ofsted-kg: store {store}: writing {failing.name} failed ([Errno 28] No space left on device); "
        f"the reports before it are loaded, and so is {third.name}, written at the same time"
    )
    assert reports_in(store) == [first.name, third.name]


def test_a_failed_batch_writes_none_of_its_reports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = tmp_path / "store"
    assert _load_onto_full_disk(store, monkeypatch, failing=EXAMPLE_TEXTS[0]) == (
        f"ofsted-kg: store {store}: writing {EXAMPLE_TEXTS[0].name} and the {len(EXAMPLE_TEXTS) - 1} reports after "
        "it failed ([Errno 28] No space left on device); the reports before them are loaded"
    )
    assert reports_in(store) == []


def test_records_that_cannot_be_written_stop_only_their_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A parser bug that put a space in an authority code: that file is named, the others load."""
    real = build.parse_file

    def broken_code(path: Path):
        outcome = real(path)
        if path.name == EXAMPLE_TEXTS[0].name:
            outcome[1].la_code = "E08 000001"
        return outcome

    monkeypatch.setattr(build, "parse_file", broken_code)
    result = run_cli("load", "--store", tmp_path / "store", "--workers", "1", *EXAMPLE_TEXTS)
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith(f"{EXAMPLE_TEXTS[0].name}: could not be written to the graph (not an IRI: ")
    assert lines[-1] == f"loaded {len(EXAMPLE_TEXTS) - 1} report(s), 1 failed"
    assert reports_in(tmp_path / "store") == sorted(path.name for path in EXAMPLE_TEXTS[1:])
