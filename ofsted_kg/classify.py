"""Tag findings with the themes and service types they are about.

The cues live in the vocabulary (ontology/themes.ttl, ontology/services.ttl) as `okg:cue`
and `okg:exclusionCue` regular expressions, so what the graph publishes as a theme's scope
and what the classifier looks for cannot drift apart, and `explain` can show a user which
cue put a finding under a theme. Both files are read once, on first use; after that a call
is plain `re` work on the finding's sentences.

A cue is matched within one sentence: a weakness paragraph often mixes a strength with the
failing, and sentence scope keeps a cue's window from reaching across the two. An exclusion
cue vetoes the concept for the sentence it matches, nothing more.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from rdflib import Graph, Namespace
from rdflib.namespace import SKOS

from .records import Inspection

OKG = Namespace("https://w3id.org/ofsted-kg/def#")
THEME_KINDS = frozenset({"strength", "weakness", "priority-action", "area-for-improvement"})
_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+(?=[\"'(•\-\dA-Z])|\s*•\s*|\n+")


@dataclass(frozen=True)
class Concept:
    """A theme or service type with its compiled cues."""

    id: str
    scheme: str  # "theme" or "service-type"
    cues: tuple[re.Pattern, ...]
    exclusions: tuple[re.Pattern, ...]


@dataclass(frozen=True)
class Match:
    """Why a finding got a concept: the cue that fired and the text it matched."""

    concept: str
    scheme: str
    cue: str
    start: int  # offsets into the text given to `explain`
    end: int
    text: str


def classify_themes(text: str) -> list[str]:
    """Theme ids (themes.ttl notations) the text is about, sorted."""
    return sorted(m.concept for m in _matches(text, _concepts("theme")))


def classify_services(text: str) -> list[str]:
    """Service-type ids (services.ttl notations) the text mentions, sorted."""
    return sorted(m.concept for m in _matches(text, _concepts("service-type")))


def explain(text: str) -> list[Match]:
    """For each theme and service type the text gets, the first cue that matched and its span."""
    return _matches(text, _concepts("theme")) + _matches(text, _concepts("service-type"))


def annotate(inspection: Inspection) -> None:
    """Fill each finding's themes (judged kinds only) and services (every kind, narrative too)."""
    for finding in inspection.findings:
        if finding.kind in THEME_KINDS:
            finding.themes = classify_themes(finding.text)
        finding.services = classify_services(finding.text)


def _matches(text: str, concepts: tuple[Concept, ...]) -> list[Match]:
    sentences = _sentences(text)
    found = []
    for concept in concepts:
        match = _first_match(concept, text, sentences)
        if match:
            found.append(match)
    return found


def _first_match(concept: Concept, text: str, sentences: list[tuple[int, int]]) -> Match | None:
    cues = [cue for cue in concept.cues if cue.search(text)]  # most cues miss: one search each
    if not cues:
        return None
    for start, end in sentences:
        sentence = text[start:end]
        if any(x.search(sentence) for x in concept.exclusions):
            continue
        for cue in cues:
            hit = cue.search(sentence)
            if hit:
                s, e = start + hit.start(), start + hit.end()
                return Match(concept.id, concept.scheme, cue.pattern, s, e, text[s:e])
    return None


def _sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the text's sentences and bullet items."""
    spans, start = [], 0
    for boundary in _SENTENCE_END.finditer(text):
        spans.append((start, boundary.start()))
        start = boundary.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if e > s]


@cache
def _concepts(scheme: str) -> tuple[Concept, ...]:
    """The scheme's concepts with compiled cues, read from the vocabulary on first use."""
    graph = _vocabulary()
    concepts = []
    for concept in sorted(set(graph.subjects(OKG.cue, None))):
        notation = str(graph.value(concept, SKOS.notation))
        if f"/{scheme}/" not in str(concept):
            continue
        cues = tuple(_compile(c) for c in sorted(graph.objects(concept, OKG.cue)))
        exclusions = tuple(_compile(c) for c in sorted(graph.objects(concept, OKG.exclusionCue)))
        concepts.append(Concept(notation, scheme, cues, exclusions))
    return tuple(concepts)


@cache
def _vocabulary() -> Graph:
    graph = Graph()
    package = files("ofsted_kg.ontology")
    for name in ("themes.ttl", "services.ttl"):
        graph.parse(data=package.joinpath(name).read_text(encoding="utf-8"), format="turtle")
    return graph


def _compile(cue) -> re.Pattern:
    return re.compile(str(cue), re.IGNORECASE)
