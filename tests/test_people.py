"""People: every printing of one person's name resolves to one person node with a canonical name."""

from __future__ import annotations

import csv
import json
from importlib import resources
from pathlib import Path

import pytest
from conftest import run_cli

from ofsted_kg.graph.store import Store
from ofsted_kg.people import aliases, canonical_name, clean, lookalikes, name_key, person_key

PRINTED = """PREFIX okg: <https://w3id.org/ofsted-kg/def#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?person ?canonical ?printed WHERE { ?m org:member ?person ; okg:nameAsPrinted ?printed .
  ?person skos:prefLabel ?canonical }"""


def printed_names(store_path: Path) -> list[dict[str, str]]:
    with Store(store_path) as store:
        return [{k: row[k].value for k in ("person", "canonical", "printed")} for row in store.query(PRINTED)]


def rows(store: Path, name: str) -> list[dict[str, str]]:
    result = run_cli("query", name, "--store", store, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return [{k: v["value"] for k, v in r.items()} for r in json.loads(result.stdout)["results"]["bindings"]]


@pytest.mark.parametrize(
    ("printed", "cleaned"),
    [
        ("Dave Gilkerson HMI", "Dave Gilkerson"),
        ("Dr Máire  Atherton", "Máire Atherton"),
        ("Mr. Ali Mekki OBE", "Ali Mekki"),
        ("SUE EASTWOOD", "Sue Eastwood"),
        ("• Andrea Crosby - Josephs,", "Andrea Crosby-Josephs"),
        ("Dick O’Brien", "Dick O'Brien"),
        ("Jo\x02 Pe\u00adtch", "Jo Petch"),
    ],
)
def test_clean_removes_titles_case_and_noise(printed: str, cleaned: str) -> None:
    assert clean(printed) == cleaned


def test_accents_titles_and_aliases_resolve_to_one_person() -> None:
    assert person_key("Maire Atherton") == person_key("Dr Máire Atherton") == "maire-atherton"
    assert canonical_name("Maire Atherton") == "Máire Atherton"
    assert person_key("Dan Carrick") == person_key("Daniel Carrick HMI")
    assert person_key("Deena Wallworth") == person_key("Deena Walworth")
    assert person_key("Sarah Smith") != person_key("Sandra Smith")


def test_alias_table_is_consistent() -> None:
    with resources.files("ofsted_kg.data").joinpath("person-aliases.csv").open(encoding="utf-8") as handle:
        table = list(csv.DictReader(handle))
    assert len(aliases()) == len(table), "a name is listed twice"
    for row in table:
        assert row["note"].strip(), f"{row['name']}: say why"
        assert clean(row["person"]) == row["person"]
        # a canonical name is not itself a variant of someone else (no chains)
        assert aliases().get(name_key(row["person"]), row["person"]) == row["person"]


def test_lookalikes_flags_undecided_pairs_only() -> None:
    pairs = lookalikes(["Kaye Goodfellow", "Kay Goodfellow", "Janet Fraser", "Janet Frazer", "Nick Stacey"])
    assert pairs == [("Janet Fraser", "Janet Frazer"), ("Kay Goodfellow", "Kaye Goodfellow")]
    assert lookalikes(["Dan Carrick", "Daniel Carrick", "Sarah Smith", "Sandra Smith"]) == []


def test_person_nodes_carry_canonical_name_and_printed_variants(examples_store: Path) -> None:
    found = printed_names(examples_store)
    for row in found:
        assert canonical_name(row["printed"]) == row["canonical"]
        assert row["person"].endswith("/person/" + person_key(row["printed"]))
    bates = {r["printed"] for r in found if r["canonical"] == "Gerry Bates"}
    assert bates == {"Gerry Bates", "Geraldine Bates"}  # halton-area-send-2023.txt prints the full name


def test_team_keeps_the_printed_name_and_recurring_inspectors_the_canonical(examples_store: Path) -> None:
    team = rows(examples_store, "inspection-team")
    assert {r["inspector"] for r in team if r["report"] == "halton-area-send-2023.txt"} >= {"Geraldine Bates"}
    recurring = {r["inspector"]: int(r["inspections"]) for r in rows(examples_store, "recurring-inspectors")}
    assert "Geraldine Bates" not in recurring
    bates_inspections = {r["inspection"] for r in team if canonical_name(r["inspector"]) == "Gerry Bates"}
    assert recurring["Gerry Bates"] == len(bates_inspections) >= 3


def test_corpus_names_are_all_decided(corpus_store: Path) -> None:
    found = printed_names(corpus_store)
    assert len({r["person"] for r in found}) > 150
    assert lookalikes([r["printed"] for r in found]) == []
    by_person: dict[str, set[str]] = {}
    for row in found:
        by_person.setdefault(row["person"], set()).add(row["canonical"])
    assert [p for p, names in by_person.items() if len(names) > 1] == []
