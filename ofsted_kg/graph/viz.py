"""Interactive network pages: views of the store as networkx graphs, drawn with pyvis into one HTML file.

A view is a networkx graph whose nodes carry a class (`kind`), a label, a
plain-text hover title, details shown on click, and for reports a link to the
source file. `page` turns any view into a self-contained page: vis-network's
script and stylesheet are inlined from the copy shipped inside pyvis (pyvis's
own template loads them and Bootstrap from CDNs), report text travels only as
JSON data and is put on screen with textContent, never as HTML.
"""

from __future__ import annotations

import copy
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import networkx as nx
import pyoxigraph as ox
import pyvis
from markupsafe import Markup
from pyvis.network import Network

from ..display import clip
from ..iris import CONCEPTS, PREFIXES, VOCAB, Shortener, base, sparql_prefixes
from ..queries import QueryError, syntax_error
from ..records import FAILING_KINDS, SEND_OUTCOMES
from .pages import TEMPLATES
from .rows import PERSON_NAME, select
from .store import GraphStore
from .terms import values

NO_OUTCOME = "no-outcome"
OUTCOME_KINDS = (*SEND_OUTCOMES, NO_OUTCOME)  # how the shared-ICBs view colours an authority
VIEWS = ("partnership", "shared-icbs", "recurring-inspectors", "common-failings")
MAX_NODES = 2000
EXAMPLES_PER_EDGE = 3
ITERATIONS_MIN, ITERATIONS_MAX, ITERATION_BUDGET = 80, 400, 200_000  # layout steps: about budget / nodes
TITLE_TEXT = 300  # characters of a finding quoted in a hover title
LABEL_TEXT = 48  # characters of a node's label
TITLE_DETAILS = 8  # details listed in a hover title (a click shows them all)


@dataclass(frozen=True)
class Style:
    colour: str
    shape: str
    legend: str


STYLES = {
    "inspection": Style("#4e79a7", "box", "Inspection (links to its report)"),
    "report": Style("#76b7b2", "box", "Report"),
    "authority": Style("#f28e2b", "dot", "Local authority"),
    "icb": Style("#59a14f", "square", "Integrated care board"),
    "inspector": Style("#b07aa1", "dot", "Inspector"),
    "person": Style("#b07aa1", "dot", "Person"),
    "theme": Style("#e15759", "diamond", "Theme of findings"),
    "finding": Style("#edc948", "dot", "Finding"),
    "partnership": Style("#9c755f", "hexagon", "Local area partnership"),
    "membership": Style("#d4a6c8", "dot", "Part in an inspection"),
    "judgement": Style("#86bcb6", "dot", "Judgement"),
    "region": Style("#8cd17d", "triangle", "Region"),
    "service": Style("#ff9d9a", "dot", "Service"),
    "concept": Style("#bab0ac", "diamond", "Concept (kind, grade, role...)"),
    "positive": Style("#2e8540", "dot", "Partnership: positive"),
    "inconsistent": Style("#f0a30a", "dot", "Partnership: inconsistent"),
    "systemic-failings": Style("#c0392b", "dot", "Partnership: systemic failings"),
    NO_OUTCOME: Style("#999999", "dot", "Partnership: no outcome stated"),
    "other": Style("#cccccc", "dot", "Other resource"),
}

CLASS_KINDS = {
    VOCAB + "Inspection": "inspection",
    VOCAB + "Report": "report",
    VOCAB + "LocalAuthority": "authority",
    VOCAB + "IntegratedCareBoard": "icb",
    PREFIXES["foaf"] + "Person": "person",
    VOCAB + "Finding": "finding",
    VOCAB + "LocalAreaPartnership": "partnership",
    VOCAB + "TeamMembership": "membership",
    VOCAB + "PostHolding": "membership",
    VOCAB + "Judgement": "judgement",
    VOCAB + "Region": "region",
    VOCAB + "Service": "service",
    PREFIXES["skos"] + "Concept": "concept",
}

# Vivid layout for up to a few thousand nodes: no costly initial layout, a fast solver,
# straight edges, and physics switched off by the page once the network has settled.
PHYSICS = {
    "layout": {"improvedLayout": False},
    "physics": {
        "solver": "forceAtlas2Based",
        "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 90, "avoidOverlap": 0.2, "theta": 0.8},
        "stabilization": {"enabled": True, "iterations": 300, "updateInterval": 50, "fit": True},
    },
    "edges": {"smooth": False, "color": {"inherit": False, "color": "#9aa5b1"}},
    "interaction": {"hideEdgesOnDrag": True, "tooltipDelay": 120, "hover": True},
    "nodes": {"font": {"size": 13}, "scaling": {"min": 8, "max": 40}},
}


class ViewError(QueryError):
    """A view that cannot be drawn: unknown focus, bad option, a query that is not a CONSTRUCT."""


# --- reading the store ------------------------------------------------------------------------

_INSPECTIONS = """
SELECT ?inspection (SAMPLE(?t) AS ?type) (MIN(?file) AS ?report) (SAMPLE(?la) AS ?authority)
       (SAMPLE(?la_name) AS ?authority_name) (SAMPLE(?code) AS ?la_code) (SAMPLE(?s) AS ?start)
       (SAMPLE(?e) AS ?end) (SAMPLE(?o) AS ?outcome)
WHERE {
  ?inspection a okg:Inspection ; okg:inspectionType ?t ; okg:report/okg:fileName ?file .
  OPTIONAL { ?inspection okg:localAuthority ?la . ?la skos:prefLabel ?la_name ; okg:gssCode ?code }
  OPTIONAL { ?inspection okg:startDate ?s }
  OPTIONAL { ?inspection okg:endDate ?e }
  OPTIONAL { ?inspection okg:outcome/skos:notation ?o }
}
GROUP BY ?inspection
"""

_ICBS = """
SELECT DISTINCT ?inspection ?icb ?name ?ods WHERE {
  ?inspection okg:icb ?icb . ?icb skos:prefLabel ?name ; okg:odsCode ?ods .
}
"""

_TEAM = f"""
SELECT ?inspection ?person (MIN(?n) AS ?name) (MAX(STR(?l)) AS ?lead) (MIN(?ins) AS ?inspectorate) WHERE {{
  ?m a okg:TeamMembership ; okg:inspection ?inspection ; org:member ?person ; okg:isLead ?l ;
     okg:inspectorate/skos:prefLabel ?ins .
  {PERSON_NAME}
}}
GROUP BY ?inspection ?person
"""

_THEMED_FINDINGS = """
SELECT ?inspection ?theme ?label ?kind ?text WHERE {
  ?f a okg:Finding ; okg:inspection ?inspection ; okg:findingKind/skos:notation ?kind ; okg:text ?text ;
     okg:position ?position ; dcterms:subject ?theme .
  ?theme skos:prefLabel ?label .
}
ORDER BY ?inspection ?position
"""

_FINDING_COUNTS = """
SELECT ?inspection ?kind (COUNT(?f) AS ?n) WHERE {
  ?f a okg:Finding ; okg:inspection ?inspection ; okg:findingKind/skos:notation ?kind .
}
GROUP BY ?inspection ?kind
"""


@dataclass(frozen=True)
class InspectionRow:
    """One inspection as `_INSPECTIONS` returns it ("" where the store has no value)."""

    inspection: str
    type: str
    report: str
    authority: str
    authority_name: str
    la_code: str
    start: str
    end: str
    outcome: str

    @property
    def kind_label(self) -> str:
        return {"area-send": "area SEND", "ilacs": "ILACS", "sif": "SIF", "lac": "LAC"}.get(self.type, self.type)

    @property
    def label(self) -> str:
        return f"{self.authority_name or 'Unknown area'} {self.kind_label} {self.start[:4]}".strip()


def _inspections(store: GraphStore) -> dict[str, InspectionRow]:
    return {r["inspection"]: InspectionRow(**r) for r in select(store, _INSPECTIONS)}


# --- building views ---------------------------------------------------------------------------


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Links:
    """How a page links to a report's source file: a URL or relative folder prefix, or the bare file name."""

    source_base: str = ""

    def __post_init__(self) -> None:
        # A browser drops leading spaces and control characters from a link and deletes tabs and line
        # breaks anywhere in it, so " javascript:" and "java\tscript:" run as scripts: refuse them first.
        if _CONTROL.search(self.source_base) or self.source_base != self.source_base.lstrip():
            raise ViewError(f"--source-base {self.source_base!r}: holds a control character or starts with a space")
        scheme = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*):", self.source_base)
        if scheme and scheme.group(1).lower() not in ("http", "https", "file"):
            raise ViewError(f"--source-base {self.source_base!r}: use an http(s) or file URL, or a relative folder")

    def href(self, file_name: str) -> str:
        prefix = self.source_base
        if prefix and not prefix.endswith("/"):
            prefix += "/"
        return prefix + quote(file_name)


def _add(graph: nx.Graph, node: str, kind: str, label: str, details: list[tuple[str, str]], **extra) -> None:
    """Add a node once; its hover title is the plain-text join of its details."""
    if node in graph:
        return
    graph.add_node(node, kind=kind, label=label, title=_title(label, details), details=details, **extra)


def _add_inspection(graph: nx.Graph, row: InspectionRow, links: Links, counts: Counter | None = None) -> None:
    details = [
        ("Type", row.kind_label),
        ("Local authority", f"{row.authority_name} ({row.la_code})" if row.la_code else row.authority_name),
        ("Fieldwork", " to ".join(d for d in (row.start, row.end) if d)),
        ("Outcome", row.outcome),
        ("Report", row.report),
    ]
    if counts:
        details.append(("Findings", ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items()))))
    _add(graph, row.inspection, "inspection", row.label, details, href=links.href(row.report), iri=row.inspection)


def _add_authority(graph: nx.Graph, row: InspectionRow, kind: str = "authority", **extra) -> None:
    if row.authority:
        _add(graph, row.authority, kind, row.authority_name, [("GSS code", row.la_code)], iri=row.authority, **extra)


def _findings_title(heading: str, findings: list[tuple[str, str]]) -> str:
    """Counts by kind, then the first few findings quoted (plain text: the page never parses it as HTML)."""
    kinds = Counter(kind for kind, _ in findings)
    lines = [heading, ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))]
    lines += [f"- {kind}: {clip(text, TITLE_TEXT)}" for kind, text in findings[:EXAMPLES_PER_EDGE]]
    if len(findings) > EXAMPLES_PER_EDGE:
        lines.append(f"... and {len(findings) - EXAMPLES_PER_EDGE} more")
    return "\n".join(lines)


def _themed_findings(store: GraphStore) -> dict[tuple[str, str], list[tuple[str, str]]]:
    """(inspection, theme) -> [(kind, text)] in the report's order."""
    found: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for r in select(store, _THEMED_FINDINGS):
        found[(r["inspection"], r["theme"])].append((r["kind"], r["text"]))
    return found


def _theme_labels(store: GraphStore) -> dict[str, str]:
    sparql = "SELECT ?theme ?label WHERE { ?f dcterms:subject ?theme . ?theme skos:prefLabel ?label }"
    return {r["theme"]: r["label"] for r in select(store, sparql)}


def partnership_view(store: GraphStore, links: Links = Links()) -> nx.Graph:
    """Inspections with their authority, ICBs, inspectors and the themes of their findings (folded into counts)."""
    graph = nx.Graph()
    inspections = _inspections(store)
    counts: dict[str, Counter] = defaultdict(Counter)
    for r in select(store, _FINDING_COUNTS):
        counts[r["inspection"]][r["kind"]] += int(r["n"])
    for row in inspections.values():
        _add_inspection(graph, row, links, counts.get(row.inspection))
        if row.authority:
            _add_authority(graph, row)
            graph.add_edge(row.inspection, row.authority, title=f"{row.label}: local authority")
    _link_icbs(graph, store, inspections)
    _link_team(graph, store, inspections, links)
    labels = _theme_labels(store)
    for (inspection, theme), findings in _themed_findings(store).items():
        if inspection not in graph:
            continue
        _add(graph, theme, "theme", labels[theme], [("Theme", theme.rsplit("/", 1)[-1])], iri=theme)
        heading = f"{graph.nodes[inspection]['label']} — {labels[theme]}"
        graph.add_edge(inspection, theme, value=len(findings), title=_findings_title(heading, findings))
    return graph


def _link_icbs(graph: nx.Graph, store: GraphStore, inspections: dict[str, InspectionRow]) -> None:
    for r in select(store, _ICBS):
        if r["inspection"] in graph:
            _add(graph, r["icb"], "icb", r["name"], [("ODS code", r["ods"])], iri=r["icb"])
            graph.add_edge(r["inspection"], r["icb"], title=f"{inspections[r['inspection']].label}: ICB")


def _link_team(
    graph: nx.Graph, store: GraphStore, inspections: dict[str, InspectionRow], links: Links, min_inspections: int = 1
) -> None:
    team = list(select(store, _TEAM))
    taken = Counter(r["person"] for r in team)
    for r in team:
        if taken[r["person"]] < min_inspections or r["inspection"] not in inspections:
            continue
        _add_inspection(graph, inspections[r["inspection"]], links)
        details = [("Inspections", str(taken[r["person"]]))]
        _add(graph, r["person"], "inspector", r["name"], details, value=taken[r["person"]], iri=r["person"])
        role = f"{'lead inspector' if r['lead'] == 'true' else 'inspector'} ({r['inspectorate']})"
        width = 3 if r["lead"] == "true" else 1
        graph.add_edge(r["person"], r["inspection"], title=f"{r['name']}: {role}", width=width)


def recurring_inspectors_view(store: GraphStore, links: Links = Links()) -> nx.Graph:
    """Inspectors who took part in two inspections or more, and those inspections."""
    graph = nx.Graph()
    _link_team(graph, store, _inspections(store), links, min_inspections=2)
    return graph


def shared_icbs_view(store: GraphStore, links: Links = Links()) -> nx.Graph:
    """ICBs and the authorities of their area SEND partnerships, coloured by the latest outcome."""
    graph = nx.Graph()
    inspections = {k: v for k, v in _inspections(store).items() if v.type == "area-send" and v.authority}
    latest: dict[str, InspectionRow] = {}
    for row in sorted(inspections.values(), key=lambda r: r.start):
        latest[row.authority] = row  # type: ignore[index]
    edges: dict[tuple[str, str], list[InspectionRow]] = defaultdict(list)
    for r in select(store, _ICBS):
        row = inspections.get(r["inspection"])
        if row is None:
            continue
        current = latest[row.authority]  # type: ignore[index]
        if row.authority not in graph:  # once per authority, however many ICBs and reports name it
            outcome = current.outcome if current.outcome in OUTCOME_KINDS else NO_OUTCOME
            _add_authority(graph, current, outcome, href=links.href(current.report))
            graph.nodes[row.authority]["title"] += f"\nLatest outcome: {current.outcome or 'none'} ({current.start})"
        _add(graph, r["icb"], "icb", r["name"], [("ODS code", r["ods"])], iri=r["icb"])
        edges[(row.authority, r["icb"])].append(row)  # type: ignore[index]
    for (authority, icb), rows in edges.items():
        lines = [f"{r.start} {r.outcome or 'no outcome'} ({r.report})" for r in rows]
        graph.add_edge(
            authority, icb, title="\n".join([f"{rows[0].authority_name} — {graph.nodes[icb]['label']}", *lines])
        )
    for node, data in graph.nodes(data=True):
        if data["kind"] == "icb":
            data["value"] = graph.degree(node)
            data["title"] += f"\nPartnerships: {graph.degree(node)}"
    return graph


def common_failings_view(store: GraphStore, links: Links = Links()) -> nx.Graph:
    """Authorities and the themes of their failings, each sized by how many failing findings it has."""
    graph = nx.Graph()
    inspections = _inspections(store)
    labels = _theme_labels(store)
    pairs: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    latest: dict[str, InspectionRow] = {}
    for (inspection, theme), findings in _themed_findings(store).items():
        row = inspections.get(inspection)
        failings = [f for f in findings if f[0] in FAILING_KINDS]
        if row is None or not row.authority or not failings:
            continue
        pairs[(row.authority, theme)].extend(failings)
        if row.authority not in latest or latest[row.authority].start < row.start:
            latest[row.authority] = row
    for (authority, theme), failings in pairs.items():
        _add_authority(graph, latest[authority], href=links.href(latest[authority].report))
        _add(graph, theme, "theme", labels[theme], [("Theme", theme.rsplit("/", 1)[-1])], iri=theme)
        heading = f"{latest[authority].authority_name} — {labels[theme]}"
        graph.add_edge(authority, theme, value=len(failings), title=_findings_title(heading, failings))
    for node, data in graph.nodes(data=True):
        data["value"] = sum(w for _, _, w in graph.edges(node, data="value"))
        data["title"] += f"\nFailing findings: {data['value']}"
    return graph


# --- RDF views: the neighbourhood of a resource, the result of a CONSTRUCT ------------------

RDF_TYPE = PREFIXES["rdf"] + "type"
_SKIP = [
    RDF_TYPE,
    PREFIXES["owl"] + "sameAs",
    PREFIXES["skos"] + "inScheme",
    PREFIXES["skos"] + "topConceptOf",
    PREFIXES["skos"] + "hasTopConcept",
]
_LABELS = [
    PREFIXES["skos"] + "prefLabel",
    PREFIXES["foaf"] + "name",
    PREFIXES["rdfs"] + "label",
    VOCAB + "fileName",
    PREFIXES["dcterms"] + "title",
    VOCAB + "text",
]
_FOCUS_KEYS = ["skos:prefLabel", "skos:altLabel", "foaf:name", "okg:fileName", "okg:gssCode", "okg:odsCode"]
_CHUNK = 400

Term = ox.NamedNode | ox.BlankNode | ox.Literal


def resolve_focus(store: GraphStore, focus: str) -> list[ox.NamedNode]:
    """The resources a focus names: an IRI, or a name, file name or GSS/ODS code (any case)."""
    if re.match(r"^[a-z][a-z0-9+.-]*://", focus, re.IGNORECASE):
        try:
            node = ox.NamedNode(focus)
        except ValueError as err:
            raise ViewError(f"focus {focus!r}: not a valid IRI ({err})") from None
        if store.query(f"ASK {{ {{ {node} ?p ?o }} UNION {{ ?s ?p {node} }} }}"):
            return [node]
    else:
        want = values("want", [ox.Literal(focus.lower())])
        sparql = (
            sparql_prefixes()
            + f"SELECT DISTINCT ?node WHERE {{ {values('key', _FOCUS_KEYS)} {want}"
            + " ?node ?key ?v . FILTER(isIRI(?node) && LCASE(STR(?v)) = ?want) } ORDER BY ?node"
        )
        found = [s["node"] for s in store.query(sparql)]
        if found:
            return found
    raise ViewError(f"focus {focus!r}: no resource with that IRI, name, file name or GSS/ODS code in the store")


def _chunks(nodes: Iterable[Term]) -> Iterator[str]:
    """VALUES blocks of ?n, a chunk of the nodes each (pyoxigraph writes the terms, so no text can break out)."""
    nodes = list(nodes)
    for start in range(0, len(nodes), _CHUNK):
        yield values("n", nodes[start : start + _CHUNK])


def _edges_of(store: GraphStore, nodes: list[Term]) -> Iterator[tuple[Term, ox.NamedNode, Term]]:
    skip = ", ".join(f"<{p}>" for p in _SKIP)
    for block in _chunks(nodes):
        sparql = (
            f"SELECT ?s ?p ?o WHERE {{ {block} {{ ?n ?p ?o BIND(?n AS ?s) FILTER(!isLiteral(?o)) }} "
            f"UNION {{ ?s ?p ?n BIND(?n AS ?o) }} FILTER(?p NOT IN ({skip})) }}"
        )
        for s in store.query(sparql):
            yield s["s"], s["p"], s["o"]


def neighbourhood_view(
    store: GraphStore, focus: str, depth: int = 2, links: Links = Links(), max_nodes: int = MAX_NODES
) -> nx.MultiDiGraph:
    """Everything within `depth` links of the focus; concepts (themes, grades...) are shown but not expanded."""
    roots = resolve_focus(store, focus)
    seen: set[Term] = set(roots)
    frontier: list[Term] = list(roots)
    triples: list[tuple[Term, ox.NamedNode, Term]] = []
    for _ in range(depth):
        found: list[Term] = []
        for s, p, o in _edges_of(store, frontier):
            if len(seen) >= max_nodes and (s not in seen or o not in seen):
                continue
            triples.append((s, p, o))
            for n in (s, o):
                if n not in seen:
                    seen.add(n)
                    found.append(n)
        frontier = [n for n in found if not _is_concept(n)]
    graph = rdf_view(store, triples, links)
    for root in roots:
        graph.add_node(str(root))
    _describe(store, graph, links)
    for root in roots:
        graph.nodes[str(root)]["borderWidth"] = 4
    return graph


def _is_concept(term: Term) -> bool:
    return isinstance(term, ox.NamedNode) and term.value.startswith(CONCEPTS) and not term.value.startswith(base())


def construct_view(store: GraphStore, sparql: str, links: Links = Links()) -> nx.MultiDiGraph:
    """The triples a CONSTRUCT (or DESCRIBE) query returns, with labels and classes looked up in the store."""
    try:
        result = store.query(sparql)
    except SyntaxError as err:
        raise syntax_error("--construct", err) from None
    if not isinstance(result, ox.QueryTriples):
        raise ViewError("--construct needs a CONSTRUCT or DESCRIBE query (this one returns rows or a boolean)")
    graph = rdf_view(store, [(t.subject, t.predicate, t.object) for t in result], links)
    _describe(store, graph, links)
    return graph


def rdf_view(store: GraphStore, triples: Iterable[tuple[Term, ox.NamedNode, Term]], links: Links) -> nx.MultiDiGraph:
    """Resources as nodes and resource-to-resource triples as edges; literals and types become node details."""
    graph = nx.MultiDiGraph()
    for s, p, o in triples:
        graph.add_node(str(s))
        if isinstance(o, ox.Literal):
            graph.nodes[str(s)].setdefault("facts", []).append((p.value, o.value))
        elif p.value == RDF_TYPE:
            graph.nodes[str(s)].setdefault("types", set()).add(o.value)
        elif not graph.has_edge(str(s), str(o), key=p.value):
            graph.add_edge(str(s), str(o), key=p.value, label=_compact(p.value), title=_compact(p.value))
    return graph


def _describe(store: GraphStore, graph: nx.MultiDiGraph, links: Links) -> None:
    """Fill in each node's class, label, details and source link from its own triples and the store."""
    named = [ox.NamedNode(n[1:-1]) for n in graph if n.startswith("<")]
    for block in _chunks(named):
        sparql = f"SELECT ?n ?p ?v WHERE {{ {block} ?n ?p ?v FILTER(isLiteral(?v) || ?p = <{RDF_TYPE}>) }}"
        for s in store.query(sparql):
            data = graph.nodes[str(s["n"])]
            if s["p"].value == RDF_TYPE:
                data.setdefault("types", set()).add(s["v"].value)
            elif (s["p"].value, s["v"].value) not in data.get("facts", []):
                data.setdefault("facts", []).append((s["p"].value, s["v"].value))
    for node, data in graph.nodes(data=True):
        facts = data.pop("facts", [])
        kind = _kind(node, data.pop("types", set()))
        details = [("IRI", node[1:-1] if node.startswith("<") else node)]
        details += [(_compact(p), v) for p, v in facts]
        label = next((clip(v, LABEL_TEXT) for key in _LABELS for p, v in facts if p == key), _local_name(node))
        data.update(kind=kind, label=label, details=details, title=_title(label, details))
        file_name = next((v for p, v in facts if p == VOCAB + "fileName"), None)
        if file_name:
            data["href"] = links.href(file_name)


def _title(label: str, details: list[tuple[str, str]]) -> str:
    """The hover text: plain text, which vis-network shows with innerText."""
    return "\n".join([label, *(f"{k}: {clip(v, TITLE_TEXT)}" for k, v in details[:TITLE_DETAILS] if v)])


def _kind(node: str, types: set[str]) -> str:
    kinds = [CLASS_KINDS[t] for t in sorted(types) if t in CLASS_KINDS]
    if "concept" in kinds and node.startswith(f"<{CONCEPTS}theme/"):
        return "theme"
    specific = [k for k in kinds if k != "concept"]
    return (specific or kinds or ["other"])[0]


def _compact(iri: str) -> str:
    return _SHORT(iri) or iri


_SHORT = Shortener(PREFIXES)


def _local_name(node: str) -> str:
    iri = node[1:-1] if node.startswith("<") else node
    return iri[len(base()) :] if iri.startswith(base()) else iri.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


# --- the page ---------------------------------------------------------------------------------


def _asset(name: str) -> str:
    return (Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2" / name).read_text(encoding="utf-8")


def network(graph: nx.Graph) -> Network:
    """The pyvis network of a view: each node styled by its class, sized by its `value` where it has one."""
    net = Network(directed=True)  # directed skips pyvis's quadratic duplicate-edge check; arrows are set per edge
    arrows = "to" if graph.is_directed() else ""
    for node, data in graph.nodes(data=True):
        style = STYLES[data["kind"]]
        extra = {k: v for k, v in data.items() if k != "label"}
        net.add_node(node, label=data.get("label", node), shape=style.shape, color=style.colour, **extra)
    for u, v, data in graph.edges(data=True):
        net.add_edge(u, v, arrows=arrows, **data)
    net.options = _options(graph.number_of_nodes())
    return net


def _options(size: int) -> dict:
    """vis options with fewer layout iterations for bigger graphs, so a page settles in seconds at any size."""
    options = copy.deepcopy(PHYSICS)
    options["physics"]["stabilization"]["iterations"] = max(
        ITERATIONS_MIN, min(ITERATIONS_MAX, ITERATION_BUDGET // max(1, size))
    )
    return options


def page(graph: nx.Graph, heading: str, description: str = "") -> str:
    """A self-contained HTML page of a view: works offline, from a file, with nothing fetched."""
    net = network(graph)
    kinds = sorted({data["kind"] for _, data in graph.nodes(data=True)}, key=list(STYLES).index)
    return TEMPLATES.get_template("network.html").render(
        heading=heading,
        description=description,
        nodes=net.nodes,
        edges=net.edges,
        options=net.options,
        legend=[(STYLES[k], k) for k in kinds],
        vis_css=Markup(_asset("vis-network.css")),
        vis_js=Markup(_asset("vis-network.min.js")),
    )


HEADINGS = {
    "partnership": (
        "Partnerships, inspectors and themes",
        "Each inspection with its local authority, ICBs, inspectors and the themes of its findings; "
        "an edge's width counts the findings on that theme. Click a node for details.",
    ),
    "shared-icbs": (
        "Shared ICBs",
        "Integrated care boards and the authorities of their area SEND partnerships, coloured by the outcome "
        "of each authority's latest area SEND inspection. ICBs shared by several partnerships are the hubs.",
    ),
    "recurring-inspectors": (
        "Recurring inspectors",
        "Inspectors who took part in two or more inspections, and those inspections; thick edges mark a lead.",
    ),
    "common-failings": (
        "Common failings",
        "Authorities and the themes of their weaknesses, priority actions and areas for improvement; "
        "sizes count failing findings.",
    ),
}

_BUILDERS = {
    "partnership": partnership_view,
    "shared-icbs": shared_icbs_view,
    "recurring-inspectors": recurring_inspectors_view,
    "common-failings": common_failings_view,
}


def build_page(
    store: GraphStore,
    view: str = "partnership",
    *,
    focus: str | None = None,
    depth: int = 2,
    construct: str | None = None,
    source_base: str = "",
    max_nodes: int = MAX_NODES,
) -> tuple[str, nx.Graph]:
    """The HTML of one view of the store, and the view's graph (the benchmarks time this)."""
    links = Links(source_base)
    if focus is not None:
        graph = neighbourhood_view(store, focus, depth, links, max_nodes)
        heading = (
            f"Neighbourhood of {focus}",
            f"Everything within {depth} links of {focus}; the focus has a thick border.",
        )
    elif construct is not None:
        graph = construct_view(store, construct, links)
        heading = ("CONSTRUCT result", "The triples a CONSTRUCT query returned, with labels from the store.")
    elif view in _BUILDERS:
        graph = _BUILDERS[view](store, links)
        heading = HEADINGS[view]
    else:
        raise ViewError(f"unknown view {view!r} (views: {', '.join(VIEWS)})")
    if graph.number_of_nodes() > max_nodes:
        raise ViewError(f"view {view!r} has {graph.number_of_nodes()} nodes, more than --max-nodes {max_nodes}")
    return page(graph, *heading), graph
