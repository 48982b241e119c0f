"""Links across reports: an authority's consecutive inspections, and quoted earlier grades."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import EXAMPLES, needs_corpus, run_cli

PREFIX = "PREFIX okg: <https://w3id.org/ofsted-kg/def#>\n"


def rows(store: Path, sparql: str) -> list[dict[str, str]]:
    out = run_cli("query", "-", "--store", store, "--format", "json", input=PREFIX + sparql).stdout
    return [{k: v["value"] for k, v in r.items()} for r in json.loads(out)["results"]["bindings"]]


def test_loading_the_earlier_report_later_links_it(tmp_path: Path) -> None:
    store = tmp_path / "store"
    later = tmp_path / "later.md"
    seed = (EXAMPLES / "bolton-childrens-services-2018.md").read_text()
    later.write_text(seed.replace("23 April 2018 to 04 May 2018", "1 May 2023 to 12 May 2023"))
    run_cli("load", "--store", store, later)
    assert rows(store, "SELECT * WHERE { ?i okg:previousInspection ?p }") == []
    run_cli("load", "--store", store, EXAMPLES / "bolton-childrens-services-2018.md")
    links = rows(store, "SELECT ?i ?p WHERE { ?i okg:previousInspection ?p }")
    assert [(r["i"].rsplit("/", 1)[1], r["p"].rsplit("/", 1)[1]) for r in links] == [("2023-05-01", "2018-04-23")]
    run_cli("remove", "--store", store, "bolton-childrens-services-2018.md")
    assert rows(store, "SELECT * WHERE { ?i okg:previousInspection ?p }") == []


@needs_corpus
def test_quoted_earlier_grades_link_to_that_years_inspection(corpus_store: Path) -> None:
    linked = rows(
        corpus_store,
        "SELECT ?year ?start WHERE { ?i okg:quotesEarlierGrade ?e . ?e okg:year ?year ; okg:earlierInspection ?q ."
        " ?q okg:startDate ?start }",
    )
    assert len(linked) >= 5
    assert all(r["start"].startswith(r["year"]) for r in linked)


@needs_corpus
def test_every_authority_history_is_a_chain(corpus_store: Path) -> None:
    chains = rows(
        corpus_store,
        "SELECT ?i (COUNT(?p) AS ?n) WHERE { ?i okg:previousInspection ?p } GROUP BY ?i HAVING (COUNT(?p) > 1)",
    )
    assert chains == []


def test_the_latest_area_send_inspection_is_the_one_whose_outcome_stands(tmp_path: Path) -> None:
    store = tmp_path / "store"
    seed = (EXAMPLES / "bolton-area-send-2024.md").read_text()
    later = tmp_path / "bolton-later.md"
    later.write_text(
        seed.replace("17 to 21 June 2024", "10 to 14 May 2027").replace(
            "typically lead to positive experiences",
            "lead to inconsistent experiences",
        )
    )
    run_cli("load", "--store", store, EXAMPLES / "bolton-area-send-2024.md", later)
    latest = rows(store, "SELECT ?i WHERE { ?la okg:latestAreaSendInspection ?i }")
    assert [r["i"].rsplit("/", 1)[1] for r in latest] == ["2027-05-10"]
    outcomes = json.loads(run_cli("query", "outcomes-by-icb", "--store", store, "--format", "json").stdout)
    assert [(r["positive"]["value"], r["inconsistent"]["value"]) for r in outcomes["results"]["bindings"]] == [
        ("0", "1")
    ]
    run_cli("remove", "--store", store, later.name)
    latest = rows(store, "SELECT ?i WHERE { ?la okg:latestAreaSendInspection ?i }")
    assert [r["i"].rsplit("/", 1)[1] for r in latest] == ["2024-06-17"]
