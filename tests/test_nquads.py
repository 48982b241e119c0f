"""Report graphs written as N-Quads text: the same bytes pyoxigraph would write, and text stays data."""

from __future__ import annotations

import copy
from functools import cache

import pyoxigraph as ox
import pytest
from conftest import EXAMPLES
from hypothesis import given
from hypothesis import strategies as st

from ofsted_kg.graph.build import parse_file
from ofsted_kg.graph.emit import emit
from ofsted_kg.graph.nquads import NamedGraph, iri, literal
from ofsted_kg.records import Inspection, Report

XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"
EVERY_ESCAPE = "".join(map(chr, range(0x20))) + '"\\\x7f\ufffe\uffff plain é ✓ \U0001f600'


@given(st.text())
def test_a_literal_is_written_as_pyoxigraph_writes_it(value: str) -> None:
    assert literal(value) == str(ox.Literal(value))
    assert literal(value, XSD_DATE) == str(ox.Literal(value, datatype=ox.NamedNode(XSD_DATE)))


def test_every_character_that_needs_escaping_survives_a_round_trip() -> None:
    assert literal(EVERY_ESCAPE) == str(ox.Literal(EVERY_ESCAPE))
    line = f"<https://example.org/s> <https://example.org/p> {literal(EVERY_ESCAPE)} <https://example.org/g> .\n"
    [quad] = ox.parse(line.encode(), format=ox.RdfFormat.N_QUADS)
    assert quad.object == ox.Literal(EVERY_ESCAPE)


@pytest.mark.parametrize("bad", ["https://example.org/a b", "https://example.org/<x>", 'https://e.org/"', "a\nb"])
def test_an_iri_that_could_break_the_line_is_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="not an IRI"):
        iri(bad)


def test_an_iri_with_any_other_character_is_written_as_is() -> None:
    assert iri("https://example.org/café") == str(ox.NamedNode("https://example.org/café"))


@cache
def example_records() -> list[tuple[Report, Inspection]]:
    outcomes = [parse_file(path) for path in sorted(EXAMPLES.iterdir()) if path.name != "README.md"]
    return [outcome for outcome in outcomes if not isinstance(outcome, str)]


def test_each_example_graph_is_the_text_pyoxigraph_writes_for_its_quads() -> None:
    assert len(example_records()) >= 8
    for report, inspection in example_records():
        graph = emit(report, inspection)
        quads = graph.quads()
        assert len(quads) == graph.size == len(set(quads)) > 100  # every quad once, none lost to the text
        assert {q.graph_name for q in quads} == {graph.name}
        written = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
        assert sorted(written.splitlines()) == sorted(graph.nquads.splitlines()), report.file_name


def test_report_text_that_looks_like_n_quads_stays_one_literal() -> None:
    report, inspection = copy.deepcopy(example_records()[0])  # the other tests read the records as parsed
    finding = inspection.findings[0]
    before = emit(report, inspection)
    finding.text = 'x" . <https://evil.example/s> <https://evil.example/p> "y" .\n<a> <b> "'
    after = emit(report, inspection)
    assert after.size == before.size
    texts = {q.object.value for q in after.quads() if q.predicate.value.endswith("#text")}
    assert finding.text in texts
    assert not any("evil.example" in str(q.subject) for q in after.quads())


def test_a_graph_of_pyoxigraph_terms_holds_each_triple_once_in_its_own_graph() -> None:
    name, s, p = (ox.NamedNode(f"https://example.org/{x}") for x in "gsp")
    elsewhere = ox.Quad(s, p, ox.Literal("1"), ox.NamedNode("https://example.org/other"))
    graph = NamedGraph.of(name, [(s, p, ox.Literal("1")), ox.Triple(s, p, ox.Literal("1")), elsewhere.triple])
    assert graph.size == 1 and graph.quads() == [ox.Quad(s, p, ox.Literal("1"), name)]
