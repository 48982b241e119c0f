"""The vocabulary: every ontology file parses (rdflib and raptor's rapper), every term a store uses is
declared with a label and a comment, and docs/model.md's tables are generated from ofsted.ttl."""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
from importlib import resources
from pathlib import Path

import pytest
from conftest import ROOT, run_cli
from rdflib import OWL, RDF, RDFS, Graph, URIRef
from rdflib.namespace import DCTERMS

from ofsted_kg import __version__
from ofsted_kg.graph.emit import INSPECTION_CLASSES, concept
from ofsted_kg.graph.store import Store
from ofsted_kg.iris import VOCAB
from ofsted_kg.records import FINDING_KINDS, GRADES, INSPECTION_TYPES, JUDGEMENT_AREAS, SEND_OUTCOMES

ONTOLOGY = resources.files("ofsted_kg.ontology")
TTL_FILES = sorted(f.name for f in ONTOLOGY.iterdir() if f.name.endswith(".ttl"))
VANN = "http://purl.org/vocab/vann/"
SCHEMA_DOMAIN = URIRef("https://schema.org/domainIncludes")


def parsed(name: str) -> Graph:
    return Graph().parse(data=ONTOLOGY.joinpath(name).read_text(encoding="utf-8"), format="turtle")


def declared() -> Graph:
    """ofsted.ttl, plus themes.ttl, which declares the classifier's okg:cue and okg:exclusionCue."""
    return parsed("ofsted.ttl") + parsed("themes.ttl")


@pytest.mark.parametrize("name", TTL_FILES)
def test_ontology_file_parses_with_rdflib(name: str) -> None:
    assert len(parsed(name)) > 0


@pytest.mark.skipif(shutil.which("rapper") is None, reason="needs raptor2's rapper (scripts/test-setup.sh)")
@pytest.mark.parametrize("name", TTL_FILES)
def test_ontology_file_parses_with_rapper_to_the_same_triples(name: str) -> None:
    path = Path(str(ONTOLOGY.joinpath(name)))
    done = subprocess.run(["rapper", "-i", "turtle", "-c", str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert int(re.search(r"returned (\d+) triples", done.stderr).group(1)) == len(parsed(name))


def test_ontology_header_names_version_licence_and_namespace() -> None:
    graph = parsed("ofsted.ttl")
    ontology = graph.value(None, RDF.type, OWL.Ontology)
    assert str(graph.value(ontology, OWL.versionInfo)) == __version__
    assert str(graph.value(ontology, OWL.versionIRI)).endswith(__version__)
    assert graph.value(ontology, DCTERMS.license) == URIRef("https://spdx.org/licenses/MIT")
    assert graph.value(ontology, DCTERMS.title) and graph.value(ontology, DCTERMS.creator)
    assert str(graph.value(ontology, URIRef(VANN + "preferredNamespaceUri"))) == VOCAB
    assert str(graph.value(ontology, URIRef(VANN + "preferredNamespacePrefix"))) == "okg"


def test_every_declared_term_has_label_comment_and_types() -> None:
    graph = parsed("ofsted.ttl")
    terms = [s for s in set(graph.subjects(RDF.type, None)) if str(s).startswith(VOCAB)]
    assert len(terms) > 60
    for term in terms:
        assert graph.value(term, RDFS.label) and graph.value(term, RDFS.comment), term
        if (term, RDF.type, OWL.Class) not in graph:
            has_domain = graph.value(term, RDFS.domain) or graph.value(term, SCHEMA_DOMAIN)
            assert has_domain and graph.value(term, RDFS.range), f"{term}: domain and range"


def test_classes_specialise_the_w3c_vocabularies() -> None:
    graph = parsed("ofsted.ttl")
    for name in INSPECTION_CLASSES.values():
        assert (URIRef(VOCAB + name), RDFS.subClassOf, URIRef(VOCAB + "Inspection")) in graph
    parents = {
        "Inspection": "http://www.w3.org/ns/prov#Activity",
        "Report": "http://www.w3.org/ns/prov#Entity",
        "TeamMembership": "http://www.w3.org/ns/org#Membership",
        "LocalAreaPartnership": "http://www.w3.org/ns/org#OrganizationalCollaboration",
    }
    for name, parent in parents.items():
        assert (URIRef(VOCAB + name), RDFS.subClassOf, URIRef(parent)) in graph


def _used_terms(store_path: Path) -> set[str]:
    query = f"""SELECT DISTINCT ?term WHERE {{ {{ ?s ?term ?o }} UNION {{ ?s a ?term }}
                FILTER(STRSTARTS(STR(?term), "{VOCAB}")) }}"""
    with Store(store_path) as store:
        return {row["term"].value for row in store.query(query)}


@pytest.mark.parametrize("which", ["examples_store", "corpus_store"])
def test_every_vocabulary_term_in_a_loaded_store_is_declared(which: str, request: pytest.FixtureRequest) -> None:
    used = _used_terms(request.getfixturevalue(which))
    graph = declared()
    labelled = {str(s) for s in graph.subjects(RDFS.label, None) if graph.value(s, RDFS.comment)}
    assert len(used) > 50
    assert used - labelled == set()


@pytest.mark.parametrize(
    ("scheme", "values"),
    [
        ("grade", GRADES),
        ("judgement-area", JUDGEMENT_AREAS),
        ("finding-kind", FINDING_KINDS),
        ("outcome", SEND_OUTCOMES),
    ],
)
def test_every_value_a_record_may_hold_is_a_concept_of_the_vocabulary(scheme: str, values: tuple[str, ...]) -> None:
    """Emit turns these values into concept IRIs without looking them up: a value added to records.py without its
    concept in outcomes.ttl would make IRIs that name nothing."""
    graph = parsed("outcomes.ttl")
    labelled = {str(s) for s in graph.subjects(URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"), None)}
    assert {concept(scheme, value).strip("<>") for value in values} <= labelled


def test_every_inspection_type_has_its_class() -> None:
    assert set(INSPECTION_CLASSES) == set(INSPECTION_TYPES)
    graph = declared()
    assert all((URIRef(VOCAB + cls), RDF.type, OWL.Class) in graph for cls in INSPECTION_CLASSES.values())


def test_every_skos_concept_and_scheme_has_a_preferred_label(examples_store: Path) -> None:
    query = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
    SELECT ?c (COUNT(?label) AS ?labels) WHERE {
      { ?c a skos:Concept } UNION { ?c a skos:ConceptScheme } OPTIONAL { ?c skos:prefLabel ?label } } GROUP BY ?c"""
    with Store(examples_store) as store:
        counts = {row["c"].value: int(row["labels"].value) for row in store.query(query)}
    assert len(counts) > 100
    assert [c for c, n in counts.items() if n == 0] == []


def _draw_model():
    spec = importlib.util.spec_from_file_location("draw_model", ROOT / "scripts" / "draw_model.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_model_tables_in_docs_are_generated_from_the_ontology() -> None:
    draw = _draw_model()
    committed = draw.MODEL_MD.read_text(encoding="utf-8")
    assert draw.with_tables(committed, draw.load()) == committed, "run: python scripts/draw_model.py"
    graph = parsed("ofsted.ttl")
    for term in set(graph.subjects(RDFS.label, None)):
        if str(term).startswith(VOCAB):
            assert f"`okg:{str(term)[len(VOCAB) :]}`" in committed


def test_model_picture_draws_every_class() -> None:
    draw = _draw_model()
    picture = draw.dot(draw.load())
    for term in parsed("ofsted.ttl").subjects(RDF.type, OWL.Class):
        assert f'"okg:{str(term)[len(VOCAB) :]}" [label=' in picture
    svg = draw.MODEL_SVG.read_text(encoding="utf-8")
    assert "okg:TeamMembership" in svg


def test_explain_shows_the_cue_and_words_behind_each_stored_theme(examples_store: Path) -> None:
    query = """PREFIX okg: <https://w3id.org/ofsted-kg/def#>
    PREFIX dcterms: <http://purl.org/dc/terms/>
    PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
    SELECT ?f ?text (GROUP_CONCAT(?theme; separator=" ") AS ?themes) WHERE {
      ?f a okg:Finding ; okg:text ?text ; dcterms:subject/skos:notation ?theme } GROUP BY ?f ?text"""
    with Store(examples_store) as store:
        finding = max(store.query(query), key=lambda row: len(row["themes"].value.split()))
    result = run_cli("explain", finding["f"].value, "--store", examples_store)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"finding  {finding['f'].value}"
    for theme in finding["themes"].value.split():
        at = lines.index(f"  {theme}")
        matched = re.match(r"    matched (['\"])(.+)\1 with cue ", lines[at + 1])
        assert matched and matched.group(2).lower() in finding["text"].value.lower()


def test_explain_by_report_and_number_and_unknown_finding(examples_store: Path) -> None:
    result = run_cli("explain", "bolton-area-send-2024.md", "1", "--store", examples_store)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("finding  ") and result.stdout.splitlines()[0].endswith("/finding/1")
    assert "report   bolton-area-send-2024.md" in result.stdout
    missing = run_cli("explain", "bolton-area-send-2024.md", "9999", "--store", examples_store)
    assert missing.exit_code == 1
    assert missing.stderr.strip() == "ofsted-kg: no finding number 9999 of bolton-area-send-2024.md in the store"
