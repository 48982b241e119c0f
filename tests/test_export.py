"""Exports parse back, with rdflib and with raptor's rapper, to exactly what the store holds."""

from __future__ import annotations

import io
import json
import re
import resource
import shutil
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import IO

import pyoxigraph as ox
import pytest
import rdflib
from conftest import EXAMPLES, needs_corpus, run_cli
from rdflib.compare import to_canonical_graph

from ofsted_kg.graph.export import FORMATS, context
from ofsted_kg.graph.store import Store
from ofsted_kg.graph.vocabulary import vocabulary_graph
from ofsted_kg.graph.void import OGL_V3, VOID, void_graph
from ofsted_kg.graph.xml_text import NotInXml, XmlTextWriter
from ofsted_kg.iris import PREFIXES, VOCAB

DATASET_FORMATS = ("nq", "trig", "jsonld")
TRIPLE_FORMATS = ("ttl", "nt", "xml")
RDFLIB_FORMATS = {"nq": "nquads", "trig": "trig", "jsonld": "json-ld", "ttl": "turtle", "nt": "nt", "xml": "xml"}
RAPPER_FORMATS = {"nq": "nquads", "trig": "trig", "ttl": "turtle", "nt": "ntriples", "xml": "rdfxml"}
REPORT = next(p.name for p in sorted(EXAMPLES.iterdir()) if p.suffix == ".pdf")


def term(t: object) -> rdflib.term.Node:
    """A pyoxigraph or rdflib term as rdflib's, with xsd:string literals in one form."""
    if isinstance(t, ox.NamedNode):
        return rdflib.URIRef(t.value)
    if isinstance(t, ox.BlankNode):
        return rdflib.BNode(t.value)
    if isinstance(t, ox.Literal):
        t = rdflib.Literal(t.value, lang=t.language, datatype=None if t.language else t.datatype.value)
    if isinstance(t, rdflib.Literal) and t.datatype == rdflib.XSD.string:
        return rdflib.Literal(str(t))
    return t


def canonical(triples: Iterable[tuple]) -> set[tuple]:
    """Triples with blank nodes relabelled canonically (the ontology's OWL lists), so isomorphic sets are equal."""
    plain = {(term(s), term(p), term(o)) for s, p, o in triples}
    if not any(isinstance(t, rdflib.BNode) for triple in plain for t in triple):
        return plain
    graph = rdflib.Graph()
    for triple in plain:
        graph.add(triple)
    return set(to_canonical_graph(graph))


def by_graph(quads: Iterable[tuple]) -> dict[str, set[tuple]]:
    """Named graph IRI -> its triples, canonical: a dataset compared graph by graph."""
    graphs: dict[str, list[tuple]] = {}
    for s, p, o, g in quads:
        graphs.setdefault(str(term(getattr(g, "identifier", g))), []).append((s, p, o))
    return {name: canonical(triples) for name, triples in graphs.items()}


def store_quads(store: Path, graphs: set[str] | None = None) -> list[ox.Quad]:
    with Store(store) as s:
        return [q for q in s.quads() if graphs is None or q.graph_name.value in graphs]


def store_dataset(store: Path, graphs: set[str] | None = None) -> dict[str, set[tuple]]:
    return by_graph((q.subject, q.predicate, q.object, q.graph_name) for q in store_quads(store, graphs))


def store_union(store: Path) -> set[tuple]:
    return canonical((q.subject, q.predicate, q.object) for q in store_quads(store))


def file_dataset(path: Path, fmt: str) -> dict[str, set[tuple]]:
    dataset = rdflib.Dataset()
    dataset.parse(path, format=RDFLIB_FORMATS[fmt])
    return by_graph(dataset.quads())


def file_triples(path: Path, fmt: str) -> set[tuple]:
    return canonical(rdflib.Graph().parse(path, format=RDFLIB_FORMATS[fmt]))


def without_void(dataset: dict[str, set[tuple]]) -> dict[str, set[tuple]]:
    return {g: triples for g, triples in dataset.items() if g != void_graph().value}


@pytest.fixture(scope="module")
def exports(examples_store: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The examples store exported once in every format."""
    folder = tmp_path_factory.mktemp("exports")
    paths = {}
    for fmt in FORMATS:
        paths[fmt] = folder / f"kg.{fmt}"
        result = run_cli("export", "--store", examples_store, "-o", paths[fmt])
        assert result.exit_code == 0, result.stderr
    return paths


@pytest.mark.parametrize("fmt", DATASET_FORMATS)
def test_dataset_formats_keep_every_named_graph_exactly(
    fmt: str, exports: dict[str, Path], examples_store: Path
) -> None:
    dataset = file_dataset(exports[fmt], fmt)
    assert without_void(dataset) == store_dataset(examples_store)
    assert dataset[void_graph().value], "the VoID description is missing"


@pytest.mark.parametrize("fmt", TRIPLE_FORMATS)
def test_triple_formats_hold_the_union_and_a_sidecar_description(
    fmt: str, exports: dict[str, Path], examples_store: Path
) -> None:
    union = store_union(examples_store)
    assert file_triples(exports[fmt], fmt) == union
    sidecar = exports[fmt].with_name(exports[fmt].name + ".void.ttl")
    description = rdflib.Graph().parse(sidecar, format="turtle")
    assert int(next(description.objects(None, rdflib.URIRef(VOID + "triples")))) == len(union)
    used = {str(p) for _, p, _ in union} | {str(o) for _, p, o in union if p == rdflib.RDF.type}
    namespaces = {re.sub(r"[^#/]*$", "", term) for term in used} - {str(rdflib.RDF)}
    assert {str(v) for v in description.objects(None, rdflib.URIRef(VOID + "vocabulary"))} == namespaces


def test_the_description_names_licence_sources_and_date(exports: dict[str, Path], examples_store: Path) -> None:
    graph = rdflib.Graph().parse(exports["ttl"].with_name("kg.ttl.void.ttl"), format="turtle")
    dcterms = rdflib.Namespace(PREFIXES["dcterms"])
    dataset = next(graph.subjects(rdflib.RDF.type, rdflib.URIRef(VOID + "Dataset")))
    assert graph.value(dataset, dcterms.license) == rdflib.URIRef(OGL_V3.value)
    assert graph.value(dataset, dcterms.modified).datatype == rdflib.XSD.dateTime
    reports = {
        s for s, p, o in store_union(examples_store) if p == rdflib.RDF.type and o == rdflib.URIRef(VOCAB + "Report")
    }
    assert set(graph.objects(dataset, dcterms.source)) == reports
    assert len(reports) == len([p for p in EXAMPLES.iterdir() if p.suffix in (".pdf", ".md", ".txt")])


@pytest.mark.parametrize("fmt", sorted(RAPPER_FORMATS))
def test_rapper_parses_every_export_without_error(fmt: str, exports: dict[str, Path]) -> None:
    if shutil.which("rapper") is None:
        pytest.skip("rapper (raptor2-utils) is not installed")
    path = exports[fmt]
    statements = (
        sum(map(len, file_dataset(path, fmt).values())) if fmt in DATASET_FORMATS else len(file_triples(path, fmt))
    )
    assert rapper_count(path, RAPPER_FORMATS[fmt]) == statements
    if fmt in TRIPLE_FORMATS:
        sidecar = path.with_name(path.name + ".void.ttl")
        assert rapper_count(sidecar, "turtle") == len(file_triples(sidecar, "ttl"))


def rapper_count(path: Path, syntax: str) -> int:
    """How many statements rapper read from the file; it must report no error or warning."""
    result = subprocess.run(["rapper", "-i", syntax, "-c", str(path)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "error" not in result.stderr.lower() and "warning" not in result.stderr.lower(), result.stderr
    return int(re.search(r"returned (\d+) triples", result.stderr).group(1))


def test_jsonld_reads_with_the_shipped_context(exports: dict[str, Path]) -> None:
    document = json.loads(exports["jsonld"].read_text(encoding="utf-8"))
    assert document["@context"] == {**context(), "id": "https://w3id.org/ofsted-kg/id/"}
    nodes = [n for g in document["@graph"] for n in g.get("@graph", [g])]
    keys = {k for n in nodes for k in n}
    assert "okg:fileName" in keys and "@type" in keys
    namespaces = tuple(context().values())
    assert not [k for k in keys if k.startswith(namespaces)], "a property in the context was left as a full IRI"
    assert any("okg:Report" in n.get("@type", []) for n in nodes)


def test_the_context_agrees_with_the_namespaces_queries_use() -> None:
    assert {p: context()[p] for p in PREFIXES} == PREFIXES


def test_one_report_comes_with_the_vocabulary_by_file_name_or_graph_iri(examples_store: Path, tmp_path: Path) -> None:
    by_name, by_iri = tmp_path / "one.nq", tmp_path / "two.nq"
    assert run_cli("export", "--store", examples_store, "--graph", REPORT, "-o", by_name).exit_code == 0
    exported = without_void(file_dataset(by_name, "nq"))
    assert len(exported) == 2 and vocabulary_graph().value in exported
    assert exported == store_dataset(examples_store, set(exported))
    report_graph = next(g for g in exported if g != vocabulary_graph().value)
    assert run_cli("export", "--store", examples_store, "--graph", report_graph, "-o", by_iri).exit_code == 0
    assert without_void(file_dataset(by_iri, "nq")) == exported


def test_bad_requests_fail_in_one_line(examples_store: Path, tmp_path: Path) -> None:
    cases = [
        (["--store", examples_store, "--graph", "no-such-report.pdf", "-o", tmp_path / "x.nq"], "no-such-report.pdf"),
        (["--store", tmp_path / "empty", "-o", tmp_path / "x.nq"], "no store there"),
        (["--store", examples_store, "-o", tmp_path / "missing" / "x.nq"], "cannot be written"),
    ]
    for args, message in cases:
        result = run_cli("export", *args)
        assert result.exit_code == 1
        assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert run_cli("export", "--store", examples_store, "-o", tmp_path / "x.unknown").exit_code == 2
    inside = examples_store / "CURRENT"  # RocksDB's pointer to the store's state
    result = run_cli("export", "--store", examples_store, "-o", inside, "--format", "nt")
    assert (result.exit_code, "inside the store's folder" in result.stderr) == (1, True)
    assert inside.read_text().startswith("MANIFEST-") and run_cli("info", "--store", examples_store).exit_code == 0


def test_an_export_cut_short_leaves_the_file_that_was_there(examples_store: Path, tmp_path: Path) -> None:
    """A size limit stands for a full disk: the write fails part way, and the earlier export stays whole."""
    path = tmp_path / "kg.nq"
    assert run_cli("export", "--store", examples_store, "-o", path).exit_code == 0
    earlier = path.read_bytes()
    limit = len(earlier) // 3

    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    command = [sys.executable, "-m", "ofsted_kg", "export", "--store", str(examples_store), "-o", str(path)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, preexec_fn=limited)
    assert result.returncode == 1
    assert result.stderr.strip() == f"ofsted-kg: {path}: cannot be written (File too large)"
    assert path.read_bytes() == earlier
    assert [p.name for p in tmp_path.iterdir()] == ["kg.nq"]


def test_an_export_interrupted_leaves_no_partial_file(
    examples_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C, or a SIGTERM, which the CLI turns into the same interruption, part way through the write."""
    from ofsted_kg.graph import export as export_module

    def interrupted(quads: object, out: IO[bytes], rdf_format: object) -> None:
        out.write(b"<urn:a> <urn:b> <urn:c> .\n")
        raise KeyboardInterrupt

    monkeypatch.setattr(export_module, "_write_dataset", interrupted)
    result = run_cli("export", "--store", examples_store, "-o", tmp_path / "kg.nq")
    assert result.exit_code == 1
    assert list(tmp_path.iterdir()) == []


def load_under_name(name: str, tmp_path: Path) -> Path:
    """The halton example loaded from a file of this name (a file name is stored as it is, as a literal)."""
    folder = tmp_path / "reports"
    folder.mkdir()
    shutil.copy(EXAMPLES / "halton-area-send-2023.txt", folder / name)
    store = tmp_path / "store"
    assert run_cli("load", "--store", store, folder).exit_code == 0
    return store


def test_rdf_xml_keeps_a_carriage_return_in_a_value(tmp_path: Path) -> None:
    """Written raw, an XML parser would read it back as a line feed (XML 1.0, 2.11)."""
    name = "halton\r2023.txt"
    store = load_under_name(name, tmp_path)
    path = tmp_path / "kg.rdf"
    assert run_cli("export", "--store", store, "-o", path).exit_code == 0
    assert file_triples(path, "xml") == store_union(store)
    assert name in {str(o) for o in rdflib.Graph().parse(path, format="xml").objects()}


def test_rdf_xml_refuses_a_value_xml_cannot_carry_and_writes_nothing(tmp_path: Path) -> None:
    store = load_under_name("halton\x012023.txt", tmp_path)
    path = tmp_path / "kg.rdf"
    # in a process of its own, as a user runs it: in this one, the traceback click's runner keeps would hold the
    # export's query, and with it the store's lock, until the test ends
    command = [sys.executable, "-m", "ofsted_kg", "export", "--store", str(store), "-o", str(path)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert (result.returncode, result.stderr) == (
        1,
        f"ofsted-kg: {path}: cannot be written (a value holds U+0001, which XML 1.0 cannot carry; every other "
        "format can)\n",
    )
    assert not path.exists() and not list(tmp_path.glob("*.partial"))
    turtle = run_cli("export", "--store", store, "-o", tmp_path / "kg.ttl")
    assert turtle.exit_code == 0, turtle.stderr
    assert file_triples(tmp_path / "kg.ttl", "ttl") == store_union(store)


def written_in_two_chunks(xml: bytes, cut: int) -> bytes:
    out = io.BytesIO()
    writer = XmlTextWriter(out)
    writer.write(xml[:cut])
    writer.write(xml[cut:])
    writer.flush()
    return out.getvalue()


def test_the_xml_writer_reads_each_character_whole_wherever_a_chunk_ends() -> None:
    """Oxigraph hands its output over in chunks that may end inside a character (U+FFFE is three bytes)."""
    kept = "<a>one\rtwo \u00e9\u20ac</a>".encode()
    refused = "<a>one \ufffe two</a>".encode()
    for cut in range(1, len(kept)):
        assert written_in_two_chunks(kept, cut) == kept.replace(b"\r", b"&#13;")
    for cut in range(1, len(refused)):
        with pytest.raises(NotInXml, match="U\\+FFFE"):
            written_in_two_chunks(refused, cut)


@needs_corpus
def test_the_corpus_round_trips_through_nquads(corpus_store: Path, tmp_path: Path) -> None:
    path = tmp_path / "corpus.nq"
    assert run_cli("export", "--store", corpus_store, "-o", path).exit_code == 0
    assert without_void(file_dataset(path, "nq")) == store_dataset(corpus_store)
