"""Theme and service classification: the vocabulary holds the cues, real report sentences check them."""

from __future__ import annotations

import csv
import re
from importlib.resources import files
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import OWL, RDF, RDFS, Graph, Namespace
from rdflib.namespace import SKOS

from ofsted_kg.classify import (
    _SENTENCE_END,
    _clauses,
    _sentences,
    annotate,
    classify_services,
    classify_themes,
    explain,
)
from ofsted_kg.records import Finding, Inspection

OKG = Namespace("https://w3id.org/ofsted-kg/def#")
THEME = Namespace("https://w3id.org/ofsted-kg/id/theme/")
SHARED = Path(__file__).resolve().parents[2] / "shared"
TOP_THEMES = {THEME.send, THEME["childrens-social-care"], THEME["cross-cutting"]}


def vocabulary(name: str) -> Graph:
    graph = Graph()
    graph.parse(data=files("ofsted_kg.ontology").joinpath(name).read_text(encoding="utf-8"), format="turtle")
    return graph


@pytest.fixture(scope="module", params=["themes.ttl", "services.ttl"])
def scheme(request) -> Graph:
    return vocabulary(request.param)


def classified_concepts(graph: Graph) -> set:
    return {c for c in graph.subjects(RDF.type, SKOS.Concept) if c not in TOP_THEMES}


def test_every_concept_is_labelled_defined_and_cued(scheme: Graph) -> None:
    concepts = classified_concepts(scheme)
    assert concepts
    for concept in concepts:
        for prop in (SKOS.prefLabel, SKOS.definition, SKOS.notation, SKOS.inScheme, OKG.cue):
            assert scheme.value(concept, prop) is not None, f"{concept} has no {prop}"
        assert str(concept).endswith("/" + str(scheme.value(concept, SKOS.notation)))


def test_every_cue_compiles(scheme: Graph) -> None:
    for prop in (OKG.cue, OKG.exclusionCue):
        for cue in scheme.objects(None, prop):
            re.compile(str(cue), re.IGNORECASE)


def test_themes_hang_from_three_top_concepts() -> None:
    graph = vocabulary("themes.ttl")
    assert set(graph.objects(THEME.scheme, SKOS.hasTopConcept)) == TOP_THEMES
    for top in TOP_THEMES:
        assert (top, SKOS.topConceptOf, THEME.scheme) in graph
        assert graph.value(top, SKOS.prefLabel) and graph.value(top, SKOS.definition)
    for concept in classified_concepts(graph):
        assert set(graph.objects(concept, SKOS.broader)) & TOP_THEMES, concept


def test_cue_properties_are_declared() -> None:
    graph = vocabulary("themes.ttl")
    for prop in (OKG.cue, OKG.exclusionCue):
        assert (prop, RDF.type, OWL.DatatypeProperty) in graph
        assert graph.value(prop, RDFS.label) and graph.value(prop, RDFS.comment)


@pytest.mark.skipif(not (SHARED / "spec" / "themes.csv").exists(), reason="../shared/spec is not present")
def test_all_themes_of_the_spec_are_in_the_scheme() -> None:
    with (SHARED / "spec" / "themes.csv").open(newline="", encoding="utf-8") as f:
        spec = {row["id"]: row for row in csv.DictReader(f)}
    graph = vocabulary("themes.ttl")
    notations = {str(graph.value(c, SKOS.notation)) for c in classified_concepts(graph)}
    assert set(spec) <= notations
    for theme_id, row in spec.items():
        assert str(graph.value(THEME[theme_id], SKOS.prefLabel)) == row["label"]


# Sentences quoted from reports in ../shared/corpus, with the themes a reader would give them.
THEME_CASES = [
    (  # area-send/bury-2024-05-07
        "The current home-to-school transport policy is not widely understood by parents, carers and practitioners.",
        {"home-to-school-transport"},
    ),
    (  # area-send/warrington-2023-05-05
        "This impacts negatively on the number of EHC plans that are completed within the 20-week statutory "
        "time frame.",
        {"ehc-timeliness"},
    ),
    (  # area-send/west-sussex-2024-02-29
        "Waiting times for speech and language therapy, CAMHS and the neurodevelopmental pathway are too long.",
        {"therapy-and-health-waits", "mental-health-semh", "neurodevelopmental-pathway"},
    ),
    (  # area-send/bury-2024-05-07: the child's voice in a plan is plan quality, not co-production
        "The voice of the child or young person is frequently absent from their EHC plans.",
        {"ehc-plan-quality"},
    ),
    (  # area-send/blackpool-2024-07-25: plans not linked is about contributions, not social work plan quality
        "Child-in-need plans, child protection plans and care plans for children with SEND do not always link "
        "with EHC plans.",
        {"multi-agency-contribution"},
    ),
    (  # area-send/bolton-2024-08-30: a strength inside a weakness does not make the theme
        "Although there is a wide offer of support while waiting, children, young people and their families are "
        "being negatively impacted by the long waits.",
        set(),
    ),
    (  # area-send/dorset-2024-05-15: identifying aspirations early is not early identification of needs
        "There remains work to do to ensure timely and effective reviews of EHC plans, particularly in older plans "
        "and to support the early identification of aspirations and provision post-16 and beyond.",
        {"ehc-timeliness", "transitions-and-adulthood"},
    ),
    (  # area-send/middlesbrough-2023-12-08: a growing team is not a workforce weakness
        "In addition, the SEND inclusion team workforce has grown to cater for the increased demand in the "
        "assessment and issuing of EHC plans.",
        set(),
    ),
    (  # area-send/greenwich-2023-07-11 (held out of tuning; added after it was scored): "outdated" is "out of date"
        "Too many EHC plans contain outdated objectives relating to a previous key stage, or a one-page profile "
        "that represents a much younger child.",
        {"ehc-plan-quality"},
    ),
    (  # area-send/bolton-2024-08-30: needs "translated into actions" is no translation service
        "They ensure that their shared understanding of children, young people and their families' needs are "
        "translated into actions that make a real difference to them.",
        set(),
    ),
    (  # childrens-services/greenwich-2020-01-27: information translated into languages is
        "Senior managers have worked hard to raise awareness of private fostering since the last inspection, and "
        "they ensure that private fostering information is translated into a wide range of languages to reflect "
        "the diverse communities in the borough.",
        {"communication-and-trust"},
    ),
    (  # childrens-services/bolton-2023-10-27 (ILACS, what needs to improve)
        "The quality of child in need and child protection assessments and plans.",
        {"assessment-and-planning-quality"},
    ),
    (  # childrens-services/west-sussex-2023-05-11 (ILACS, what needs to improve)
        "The completion of return home interviews and their impact on planning for children when they go missing.",
        {"exploitation-and-missing"},
    ),
]


@pytest.mark.parametrize(("text", "themes"), THEME_CASES)
def test_report_sentences_get_their_themes(text: str, themes: set[str]) -> None:
    assert set(classify_themes(text)) == themes


SERVICE_CASES = [
    (  # area-send/bury-2024-05-07
        "Children and young people wait too long for assessment and intervention from some health services, such "
        "as the speech and language therapy service and community paediatricians.",
        {"speech-and-language-therapy", "community-paediatrics"},
    ),
    (  # area-send/cornwall-2023-05-05
        "A significant consequence of this is that the services of groups such as SENDIASS (Cornwall's independent "
        "advice and support service) and the PCC (Parent and Carers Cornwall, which is Cornwall's parent carer "
        "forum) are in high demand.",
        {"sendiass", "parent-carer-forum"},
    ),
    (  # area-send/bexley-2024-02-23: no service named
        "The quality of EHC plans is highly variable.",
        set(),
    ),
]


@pytest.mark.parametrize(("text", "services"), SERVICE_CASES)
def test_report_sentences_get_their_services(text: str, services: set[str]) -> None:
    assert set(classify_services(text)) == services


def test_explain_returns_the_cue_and_the_matched_span() -> None:
    text = "Many EHC plans are significantly out of date. Young people wait too long for an ADHD assessment."
    matches = {m.concept: m for m in explain(text)}
    adhd = matches["adhd-pathway"]
    assert adhd.scheme == "service-type"
    assert text[adhd.start : adhd.end] == adhd.text == "ADHD"
    nd = matches["neurodevelopmental-pathway"]
    assert nd.scheme == "theme" and re.search(nd.cue, nd.text, re.IGNORECASE)
    assert "out of date" in matches["ehc-plan-quality"].text


def test_annotate_gives_narrative_findings_services_but_no_themes() -> None:
    text = "Children and young people wait too long for an autism assessment."
    inspection = Inspection(
        inspection_type="area-send",
        local_authority="Bury",
        findings=[Finding("weakness", "better", 1, text), Finding("narrative", "like", 1, text)],
    )
    annotate(inspection)
    weakness, narrative = inspection.findings
    assert weakness.themes == ["neurodevelopmental-pathway"]
    assert narrative.themes == []
    assert weakness.services == narrative.services == ["autism-pathway"]


def test_a_cue_mixing_cases_needs_one_of_its_branch_words_each_in_its_own_case() -> None:
    """The prefilter reads from an alternation "alternative provision" in any case or "AP" in capitals;
    folding "AP" too would let every text holding "ap" (happen, approach) through to the search."""
    cue = re.compile(r"\balternative provisions?\b|(?-i:\bAP\b)", re.IGNORECASE)
    assert _clauses(cue) == ((("alternative provision",), ("AP",)),)
    assert "alternative-provision" in classify_themes("Too many pupils attend unregistered AP for too long.")
    assert "alternative-provision" in classify_themes("Too many pupils attend unregistered Alternative Provision.")
    assert "alternative-provision" not in classify_themes("Leaders' approach to what happens next is too slow.")


@given(st.text(alphabet="aZ .!?;:\t\"'(-9\u2022\n", max_size=30))
def test_sentences_break_where_the_general_pattern_does(text: str) -> None:
    """Texts without bullets or line breaks take a faster pattern: the sentences must be the same."""
    spans, start = [], 0
    for boundary in _SENTENCE_END.finditer(text):
        spans.append((start, boundary.start()))
        start = boundary.end()
    spans.append((start, len(text)))
    assert _sentences(text) == [(s, e) for s, e in spans if e > s]
