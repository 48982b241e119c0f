"""Records -> one report's named graph, written as N-Quads text.

The emitter never reads report text: it turns the plain records a loader
produced into the quads of one named graph per report. It writes them as
N-Quads strings (`graph.nquads`) rather than pyoxigraph terms, twice as
fast, and the store hands the bytes to Oxigraph's bulk loader. So the terms
in this module (`okg`, `node`, `text`, ...) are N-Quads text; the other graph
modules use the pyoxigraph terms of `graph.terms`, from which these are made.
The shapes of the graph are described in ontology/ofsted.ttl and docs/model.md;
the IRI rules live in `ofsted_kg.iris`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache

from pyoxigraph import NamedNode

from ..iris import CONCEPTS, slug
from ..people import canonical_name, clean, person_key
from ..records import Finding, Inspection, Report
from ..reference import resolve_authority, resolve_icb
from . import terms
from .nquads import NamedGraph, iri, literal

Triple = tuple[str, str, str]  # subject, predicate, object as N-Quads terms

RDF_TYPE = str(terms.RDF_TYPE)

INSPECTION_CLASSES = {
    "area-send": "AreaSendInspection",
    "ilacs": "IlacsInspection",
    "sif": "SifInspection",
    "lac": "LacInspection",
}
ROLE_CONCEPTS = {"dcs": "director-of-childrens-services", "icb-chief-executive": "icb-chief-executive"}


@cache
def okg(name: str) -> str:
    return str(terms.okg(name))


@cache
def ns(prefix: str, name: str) -> str:
    return str(terms.ns(prefix, name))


def node(*parts: str) -> str:
    return iri(terms.instance_iri(*parts))


def text(value: str) -> str:
    return literal(value)


@lru_cache(maxsize=1 << 16, typed=True)  # numbers and dates recur: positions, pages, a report's dates
def typed(value: object) -> str:
    return literal(*terms.lexical(value))


@dataclass(frozen=True)
class ReportIds:
    """The IRIs of one report file's graph, its report entity and the inspection it describes.

    A report is identified by its file's name (the contract's `report` column),
    so reloading a file, even a corrected version, replaces exactly its own
    graph. The inspection is identified by what was inspected and when, so two
    files of one inspection (a PDF and a text copy) describe the same node.
    """

    key: str  # inspection: "area-send/E08000001/2024-06-17"
    report_key: str  # report: "bolton-2024-08-30-pdf"

    @classmethod
    def of(cls, report: Report, inspection: Inspection) -> ReportIds:
        who = inspection.la_code or slug(inspection.local_authority or inspection.authority_as_printed or "unknown")
        when = inspection.start_date.isoformat() if inspection.start_date else "undated"
        return cls(f"{inspection.inspection_type}/{who}/{when}", slug(report.file_name))

    @property
    def graph(self) -> NamedNode:
        return terms.report_graph(self.report_key)

    @cached_property  # every finding and membership names both
    def inspection(self) -> str:
        return node("inspection", self.key)

    @cached_property
    def report(self) -> str:
        return node("report", self.report_key)


def authority_node(la_code: str) -> str:
    return node("authority", la_code)


def icb_node(ods_code: str) -> str:
    return node("icb", ods_code)


def service_node(la_code: str, service: str) -> str:
    """A service type as one authority provides it: what its findings concern."""
    return node("authority", la_code, "service", service)


def person_node(name: str) -> str:
    """One node per real person: every printing of their name resolves to the same IRI (see `ofsted_kg.people`)."""
    return node("person", person_key(name))


def _person(printed: str) -> Iterator[Triple]:
    """The person a printed name belongs to: their canonical name, and this printing as one of their names."""
    person, name, variant = person_node(printed), canonical_name(printed), clean(printed)
    yield person, RDF_TYPE, ns("foaf", "Person")
    yield person, ns("skos", "prefLabel"), text(name)
    yield person, ns("foaf", "name"), text(variant)
    if variant != name:
        yield person, ns("skos", "altLabel"), text(variant)


@lru_cache(maxsize=4096)  # the schemes' values: a few hundred in all
def concept(scheme: str, value: str) -> str:
    """A SKOS concept of one of the vocabulary's schemes (fixed namespace, see iris.CONCEPTS)."""
    return str(NamedNode(f"{CONCEPTS}{scheme}/{slug(value)}"))


def emit(report: Report, inspection: Inspection) -> NamedGraph:
    """This report's named graph, every quad once.

    The graph's name is a pyoxigraph term, so the configured base is checked once per report.
    """
    ids = ReportIds.of(report, inspection)
    name = ids.graph
    graph = str(name)  # built once: a property call per quad was a fifth of the emit time
    lines = dict.fromkeys(f"{s} {p} {o} {graph} .\n" for s, p, o in _triples(ids, report, inspection))
    return NamedGraph(name, "".join(lines).encode(), len(lines))


def _triples(ids: ReportIds, report: Report, inspection: Inspection) -> Iterator[Triple]:
    yield from _report(ids, report)
    yield from _inspection(ids, inspection)


def _report(ids: ReportIds, report: Report) -> Iterator[Triple]:
    r = ids.report
    yield r, RDF_TYPE, okg("Report")
    yield r, RDF_TYPE, ns("prov", "Entity")
    yield r, okg("fileName"), text(report.file_name)
    yield r, okg("sha256"), text(report.sha256)
    yield r, okg("pageCount"), typed(report.page_count)
    yield r, okg("sourceFormat"), text(report.source_format)
    yield r, okg("reportKind"), text(report.kind)
    yield r, ns("prov", "wasGeneratedBy"), ids.inspection
    if report.title:
        yield r, ns("dcterms", "title"), text(report.title)
    if report.published:
        yield r, ns("dcterms", "issued"), typed(report.published)


def _inspection(ids: ReportIds, insp: Inspection) -> Iterator[Triple]:
    i = ids.inspection
    yield i, RDF_TYPE, okg("Inspection")
    yield i, RDF_TYPE, okg(INSPECTION_CLASSES[insp.inspection_type])
    yield i, RDF_TYPE, ns("prov", "Activity")
    yield i, okg("inspectionType"), text(insp.inspection_type)
    yield i, okg("report"), ids.report
    for prop, value in (
        ("startDate", insp.start_date),
        ("endDate", insp.end_date),
        ("previousStartDate", insp.previous_start_date),
        ("previousEndDate", insp.previous_end_date),
    ):
        if value:
            yield i, okg(prop), typed(value)
    if insp.variant:
        yield i, okg("variant"), text(insp.variant)
    if insp.outcome:
        scheme = "outcome" if insp.inspection_type == "area-send" else "grade"
        yield i, okg("outcome"), concept(scheme, insp.outcome)
    for step in insp.next_steps:
        yield i, okg("nextStep"), text(step)
    for sentence in insp.context:
        yield i, okg("context"), text(sentence)
    yield from _parties(ids, insp)
    yield from _team(ids, insp)
    yield from _people(ids, insp)
    yield from _judgements(ids, insp)
    for n, finding in enumerate(insp.findings, start=1):
        yield from _finding(ids, insp, n, finding)
    yield from _services(insp)


def _parties(ids: ReportIds, insp: Inspection) -> Iterator[Triple]:
    i = ids.inspection
    if insp.la_code:
        la = authority_node(insp.la_code)
        yield i, okg("localAuthority"), la
    if insp.authority_as_printed:
        yield i, okg("authorityAsPrinted"), text(insp.authority_as_printed)
    if insp.inspection_type != "area-send":
        return
    partnership = node("partnership", ids.key)
    yield i, okg("partnership"), partnership
    yield partnership, RDF_TYPE, okg("LocalAreaPartnership")
    yield partnership, RDF_TYPE, ns("org", "OrganizationalCollaboration")
    if insp.la_code:
        yield partnership, ns("org", "hasMember"), authority_node(insp.la_code)
    for printed, ods in zip(insp.icbs, _icb_codes(insp), strict=True):
        yield i, okg("icbAsPrinted"), text(printed)
        if ods:
            yield i, okg("icb"), icb_node(ods)
            yield partnership, ns("org", "hasMember"), icb_node(ods)


def _icb_codes(insp: Inspection) -> list[str | None]:
    codes: list[str | None] = list(insp.icb_codes)
    for printed in insp.icbs[len(codes) :]:
        found = resolve_icb(printed)
        codes.append(found.ods_code if found else None)
    return codes[: len(insp.icbs)]


def _membership(m: str, kind: str, printed: str) -> Iterator[Triple]:
    """A person's part in one inspection (org:Membership), with the name as this report prints it."""
    yield from _person(printed)
    yield m, RDF_TYPE, okg(kind)
    yield m, RDF_TYPE, ns("org", "Membership")
    yield m, ns("org", "member"), person_node(printed)
    yield m, okg("nameAsPrinted"), text(printed)


def _team(ids: ReportIds, insp: Inspection) -> Iterator[Triple]:
    for member in insp.team:
        m = node("inspection", ids.key, "team", slug(member.name))
        yield from _membership(m, "TeamMembership", member.name)
        yield m, okg("inspection"), ids.inspection
        yield m, okg("inspectorate"), concept("inspectorate", member.inspectorate)
        yield m, okg("isLead"), typed(member.lead)
        yield m, ns("org", "role"), concept("team-role", "lead-inspector" if member.lead else "inspector")
        if member.role:
            yield m, okg("roleAsPrinted"), text(member.role)


def _people(ids: ReportIds, insp: Inspection) -> Iterator[Triple]:
    for n, holder in enumerate(insp.people, start=1):
        h = node("inspection", ids.key, "post", str(n))
        yield from _membership(h, "PostHolding", holder.name)
        yield h, okg("statedIn"), ids.inspection
        yield h, okg("postAsPrinted"), text(holder.post)
        if holder.role in ROLE_CONCEPTS:
            yield h, ns("org", "role"), concept("post", ROLE_CONCEPTS[holder.role])
        organisation = _holder_organisation(insp, holder.organisation)
        if organisation is not None:
            yield h, ns("org", "organization"), organisation


def _holder_organisation(insp: Inspection, organisation: str) -> str | None:
    if organisation == "local-authority":
        return authority_node(insp.la_code) if insp.la_code else None
    found = resolve_icb(organisation)
    return icb_node(found.ods_code) if found else None


def _named_body(name: str) -> str | None:
    """The authority or ICB a body's printed name means, when it is one of them."""
    icb = resolve_icb(name)
    if icb:
        return icb_node(icb.ods_code)
    authority = resolve_authority(name)
    return authority_node(authority.la_code) if authority else None


def _judgements(ids: ReportIds, insp: Inspection) -> Iterator[Triple]:
    for judgement in insp.judgements:
        j = node("inspection", ids.key, "judgement", judgement.area)
        yield ids.inspection, okg("judgement"), j
        yield j, RDF_TYPE, okg("Judgement")
        yield j, okg("judgementArea"), concept("judgement-area", judgement.area)
        yield j, okg("grade"), concept("grade", judgement.grade)
        if judgement.label:
            yield j, ns("rdfs", "label"), text(judgement.label)
    for n, earlier in enumerate(insp.earlier_grades, start=1):
        e = node("inspection", ids.key, "earlier-grade", str(n))
        yield ids.inspection, okg("quotesEarlierGrade"), e
        yield e, RDF_TYPE, okg("EarlierGrade")
        yield e, okg("grade"), concept("grade", earlier.grade)
        if earlier.year:
            yield e, okg("year"), typed(earlier.year)
        if earlier.text:
            yield e, okg("text"), text(earlier.text)


def _finding(ids: ReportIds, insp: Inspection, n: int, finding: Finding) -> Iterator[Triple]:
    f = node("report", ids.report_key, "finding", str(n))
    yield f, RDF_TYPE, okg("Finding")
    yield f, okg("inspection"), ids.inspection
    yield f, ns("prov", "wasDerivedFrom"), ids.report
    yield f, okg("findingKind"), concept("finding-kind", finding.kind)
    yield f, okg("section"), text(finding.section)
    yield f, okg("order"), typed(finding.order)
    yield f, okg("position"), typed(n)
    yield f, okg("text"), text(finding.text)
    if finding.location:
        yield f, okg("page"), typed(finding.location.page)
        yield f, okg("startOffset"), typed(finding.location.start)
        yield f, okg("endOffset"), typed(finding.location.end)
    for body in finding.responsible:
        yield f, okg("responsibleBody"), text(body)
        organisation = _named_body(body)
        if organisation is not None:
            yield f, okg("responsibleOrganisation"), organisation
    for theme in finding.themes:
        yield f, ns("dcterms", "subject"), concept("theme", theme)
    for service in finding.services:
        yield f, okg("serviceType"), concept("service-type", service)
        if insp.la_code:
            yield f, okg("concernsService"), service_node(insp.la_code, service)


def _services(insp: Inspection) -> Iterator[Triple]:
    """The authority's services its findings concern, each described once (findings name them many times)."""
    if not insp.la_code:
        return
    for service in dict.fromkeys(s for finding in insp.findings for s in finding.services):
        own = service_node(insp.la_code, service)
        yield own, RDF_TYPE, okg("Service")
        yield own, okg("serviceType"), concept("service-type", service)
        yield own, okg("providedIn"), authority_node(insp.la_code)
