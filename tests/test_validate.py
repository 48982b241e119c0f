"""`ofsted-kg validate`: the SHACL shapes hold on real stores and catch a broken one."""

from __future__ import annotations

from pathlib import Path

from conftest import EXAMPLES, run_cli

from ofsted_kg.graph.store import Store
from ofsted_kg.validate import union_graph, validate_graph

OKG = "https://w3id.org/ofsted-kg/def#"


def test_examples_store_conforms(examples_store: Path) -> None:
    result = run_cli("validate", "--store", examples_store)
    assert result.exit_code == 0, result.stdout
    assert result.stdout.startswith("0 violation(s), 0 warning(s)")


def test_corpus_store_conforms(corpus_store: Path) -> None:
    result = run_cli("validate", "--store", corpus_store)
    assert result.exit_code == 0, result.stdout[-3000:]
    assert "0 violation(s)" in result.stdout


def one_report_store(tmp_path: Path, name: str) -> Path:
    store = tmp_path / "store"
    assert run_cli("load", "--store", store, EXAMPLES / name).exit_code == 0
    return store


def test_missing_date_and_orphans_are_reported(tmp_path: Path) -> None:
    store = one_report_store(tmp_path, "oldham-2023-08-29.pdf")
    with Store(store) as s:
        s.update(f"DELETE WHERE {{ GRAPH ?g {{ ?i <{OKG}startDate> ?d }} }}")
        data = union_graph(s)
    checked = validate_graph(data)
    assert not checked.conforms
    dates = [p for p in checked.violations if p.path == "okg:startDate"]
    assert len(dates) == 1 and dates[0].focus.startswith("id:inspection/area-send/")

    with Store(store) as s:  # drop the inspection node itself: its findings and team are orphans
        s.update(f"DELETE WHERE {{ GRAPH ?g {{ ?i a <{OKG}Inspection> ; ?p ?o }} }}")
    result = run_cli("validate", "--store", store)
    assert result.exit_code == 1
    assert "orphan finding: its inspection is not in the store" in result.stdout
    assert "orphan team membership" in result.stdout
    assert "    okg:inspection: orphan finding" in result.stdout  # path and message under the node


def test_children_services_inspection_needs_its_grade(tmp_path: Path) -> None:
    store = one_report_store(tmp_path, "bolton-childrens-services-2018.md")
    with Store(store) as s:
        s.update(f"DELETE WHERE {{ GRAPH ?g {{ ?i <{OKG}outcome> ?o }} }}")
    result = run_cli("validate", "--store", store)
    assert result.exit_code == 1
    assert "before April 2026 needs its overall effectiveness grade" in result.stdout


def test_lookalike_names_are_warnings_that_do_not_fail(tmp_path: Path) -> None:
    store = one_report_store(tmp_path, "oldham-2023-08-29.pdf")
    with Store(store) as s:
        s.update(
            """INSERT DATA { GRAPH <urn:test> {
              <urn:p> a <http://xmlns.com/foaf/0.1/Person> ; <http://xmlns.com/foaf/0.1/name> "Sue Eastwod" ;
                      <http://www.w3.org/2004/02/skos/core#prefLabel> "Sue Eastwod" .
              <urn:m> <http://www.w3.org/ns/org#member> <urn:p> } }"""
        )
    result = run_cli("validate", "--store", store)
    assert result.exit_code == 0, result.stdout
    assert "'Sue Eastwod' looks like 'Sue Eastwood'" in result.stdout or "'Sue Eastwood' looks like" in result.stdout
    assert "1 warning(s)" in result.stdout


def test_validate_names_a_missing_store(tmp_path: Path) -> None:
    result = run_cli("validate", "--store", tmp_path / "nothing")
    assert result.exit_code == 1
    assert "no store there" in result.stderr
