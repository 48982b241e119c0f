#!/usr/bin/env python3
"""Draw the model and write its tables, both from ontology/ofsted.ttl, so docs/model.md cannot drift.

    python scripts/draw_model.py           # rewrite docs/model.svg (needs Graphviz's dot) and the tables
    python scripts/draw_model.py --tables  # the tables only

The picture: the vocabulary's classes (boxes, with their datatype properties),
object properties as arrows from domain to range, and the classes of W3C ORG,
PROV-O, SKOS, DCTERMS and FOAF they specialise (grey, dashed arrows). The tables
replace the text between the markers in docs/model.md.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

from rdflib import OWL, RDF, RDFS, Graph, Namespace, URIRef

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY = ROOT / "ofsted_kg" / "ontology" / "ofsted.ttl"
MODEL_MD = ROOT / "docs" / "model.md"
MODEL_SVG = ROOT / "docs" / "model.svg"
START, END = "<!-- model-tables:start (scripts/draw_model.py) -->", "<!-- model-tables:end -->"
SCHEMA = Namespace("https://schema.org/")


def load(path: Path = ONTOLOGY) -> Graph:
    return Graph().parse(path, format="turtle")


def short(graph: Graph, term: URIRef) -> str:
    prefix, _, name = graph.namespace_manager.compute_qname(term)
    return f"{prefix}:{name}"


def _own(graph: Graph, kind: URIRef) -> list[URIRef]:
    namespace = str(graph.value(None, RDF.type, OWL.Ontology)) + "#"
    return sorted(s for s in graph.subjects(RDF.type, kind) if str(s).startswith(namespace))


def domains(graph: Graph, prop: URIRef) -> list[URIRef]:
    return sorted([*graph.objects(prop, RDFS.domain), *graph.objects(prop, SCHEMA.domainIncludes)])


def _cells(graph: Graph, terms) -> str:
    return ", ".join(short(graph, t) for t in sorted(terms)) or "-"


def _text(graph: Graph, term: URIRef, prop: URIRef) -> str:
    return str(graph.value(term, prop)).replace("|", "\\|")


def tables(graph: Graph) -> str:
    """The Markdown tables of classes and properties, in the vocabulary's order of names."""
    lines = ["### Classes", "", "| class | label | subclass of | comment |", "| --- | --- | --- | --- |"]
    for cls in _own(graph, OWL.Class):
        label, comment = _text(graph, cls, RDFS.label), _text(graph, cls, RDFS.comment)
        lines.append(
            f"| `{short(graph, cls)}` | {label} | {_cells(graph, graph.objects(cls, RDFS.subClassOf))} | {comment} |"
        )
    lines += ["", "### Properties", "", "| property | label | domain | range | comment |", "|" + " --- |" * 5]
    props = _own(graph, OWL.ObjectProperty) + _own(graph, OWL.DatatypeProperty)
    for prop in sorted(props):
        supers = list(graph.objects(prop, RDFS.subPropertyOf))
        comment = _text(graph, prop, RDFS.comment)
        if supers:
            comment += f" (subproperty of {_cells(graph, supers)})"
        lines.append(
            f"| `{short(graph, prop)}` | {_text(graph, prop, RDFS.label)} | {_cells(graph, domains(graph, prop))} "
            f"| {_cells(graph, graph.objects(prop, RDFS.range))} | {comment} |"
        )
    return "\n".join(lines) + "\n"


def with_tables(markdown: str, graph: Graph) -> str:
    """docs/model.md with the text between the markers replaced by fresh tables."""
    head, _, rest = markdown.partition(START)
    _, _, tail = rest.partition(END)
    return f"{head}{START}\n{tables(graph)}{END}{tail}"


def dot(graph: Graph) -> str:
    """The model as a Graphviz digraph."""
    classes = _own(graph, OWL.Class)
    out = [
        "digraph model {",
        '  graph [rankdir=LR, fontname="Helvetica", nodesep=0.3, ranksep=0.6];',
        '  node [shape=box, style="rounded,filled", fillcolor="#eef4fb", fontname="Helvetica", fontsize=10];',
        '  edge [fontname="Helvetica", fontsize=9, color="#445566"];',
    ]
    external: set[URIRef] = set()
    for cls in classes:
        fields = [short(graph, p) for p in _own(graph, OWL.DatatypeProperty) if cls in domains(graph, p)]
        label = short(graph, cls) + ("\\n\\n" + "\\l".join(fields) + "\\l" if fields else "")
        out.append(f'  "{short(graph, cls)}" [label="{label}"];')
        for parent in graph.objects(cls, RDFS.subClassOf):
            if parent not in classes:
                external.add(parent)
            out.append(f'  "{short(graph, cls)}" -> "{short(graph, parent)}" [style=dashed, arrowhead=empty];')
    for prop in _own(graph, OWL.ObjectProperty):
        for domain in domains(graph, prop):
            for target in graph.objects(prop, RDFS.range):
                if target not in classes:
                    external.add(target)
                out.append(f'  "{short(graph, domain)}" -> "{short(graph, target)}" [label="{short(graph, prop)}"];')
    for term in sorted(external):
        out.append(f'  "{short(graph, term)}" [fillcolor="#eeeeee", fontcolor="#555555"];')
    out.append("}")
    return "\n".join(out) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", action="store_true", help="rewrite the tables only (no Graphviz needed)")
    args = parser.parse_args()
    graph = load()
    MODEL_MD.write_text(with_tables(MODEL_MD.read_text(encoding="utf-8"), graph), encoding="utf-8")
    print(f"wrote the tables into {MODEL_MD.relative_to(ROOT)}")
    if args.tables:
        return 0
    if not shutil.which("dot"):
        print("draw_model: Graphviz's dot is not installed (apt-get install graphviz)", file=sys.stderr)
        return 1
    svg = subprocess.run(["dot", "-Tsvg"], input=dot(graph), capture_output=True, text=True, check=True).stdout
    MODEL_SVG.write_text(svg, encoding="utf-8")
    print(f"wrote {MODEL_SVG.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
