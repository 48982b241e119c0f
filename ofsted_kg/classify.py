"""Tag findings with the themes and service types they are about.

The cues live in the vocabulary (ontology/themes.ttl, ontology/services.ttl) as `okg:cue`
and `okg:exclusionCue` regular expressions, so what the graph publishes as a theme's scope
and what the classifier looks for cannot drift apart, and `explain` can show a user which
cue put a finding under a theme. Both files are read once per process, on first use, with
pyoxigraph's parser, which the load has imported anyway (importing rdflib and parsing with it
took ~70 ms in every process); after that a call is plain `re` work on the finding's sentences.

Python's `re` has no literal fast path for a case-insensitive pattern that starts with a
word boundary, so searching a paragraph for every cue cost ~2 ms a finding, most of the load
time. The words any match of a cue must contain are read from its parse tree once; a cue none
of whose words is in the case-folded text cannot match and is not searched. Same results.
A finding is classified under both schemes, so its case-folded text and its sentences are
worked out once for both (the sentences only when a cue matches somewhere in the text).

A cue is matched within one sentence: a weakness paragraph often mixes a strength with the
failing, and sentence scope keeps a cue's window from reaching across the two. An exclusion
cue vetoes the concept for the sentence it matches, nothing more.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache, cached_property
from importlib.resources import files
from re import _constants as sre  # the parse tree's opcodes: see _clauses
from re import _parser as sre_parse

from pyoxigraph import RdfFormat, parse

from .iris import PREFIXES, VOCAB
from .records import Inspection

CUE, EXCLUSION_CUE, NOTATION = VOCAB + "cue", VOCAB + "exclusionCue", PREFIXES["skos"] + "notation"
THEME_KINDS = frozenset({"strength", "weakness", "priority-action", "area-for-improvement"})
_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+(?=[\"'(•\-\dA-Z])|\s*•\s*|\n+")


@dataclass(frozen=True)
class Concept:
    """A theme or service type with its compiled cues."""

    id: str
    scheme: str  # "theme" or "service-type"
    cues: tuple[re.Pattern, ...]
    exclusions: tuple[re.Pattern, ...]
    needs: Clause  # what any text one of the cues matches contains (empty: nothing known)
    cue_needs: tuple[tuple[Clause, ...], ...]  # for each cue, every clause its matches satisfy


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
    return _ids(_Text(text), "theme")


def classify_services(text: str) -> list[str]:
    """Service-type ids (services.ttl notations) the text mentions, sorted."""
    return _ids(_Text(text), "service-type")


def explain(text: str) -> list[Match]:
    """For each theme and service type the text gets, the first cue that matched and its span."""
    read = _Text(text)
    return _matches(read, _concepts("theme")) + _matches(read, _concepts("service-type"))


def load_cues() -> None:
    """Compile every cue now: worker processes forked afterwards inherit them instead of each compiling its own."""
    _concepts("theme")
    _concepts("service-type")


def annotate(inspection: Inspection) -> None:
    """Fill each finding's themes (judged kinds only) and services (every kind, narrative too)."""
    for finding in inspection.findings:
        read = _Text(finding.text)
        if finding.kind in THEME_KINDS:
            finding.themes = _ids(read, "theme")
        finding.services = _ids(read, "service-type")


class _Text:
    """A text with its case-folded form and its sentences, each worked out once whatever asks."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.folded = _fold(text)

    @cached_property
    def sentences(self) -> list[tuple[int, int]]:
        return _sentences(self.text)


def _ids(text: _Text, scheme: str) -> list[str]:
    return sorted(m.concept for m in _matches(text, _concepts(scheme)))


def _matches(text: _Text, concepts: tuple[Concept, ...]) -> list[Match]:
    raw, folded = text.text, text.folded
    found = []
    for concept in concepts:
        exact, words = concept.needs
        # most concepts miss: none of the words their cues need is in the text
        if words and not any(map((raw if exact else folded).__contains__, words)):
            continue
        match = _first_match(concept, text)
        if match:
            found.append(match)
    return found


def _first_match(concept: Concept, text: _Text) -> Match | None:
    raw, folded = text.text, text.folded
    cues = [
        cue
        for cue, needs in zip(concept.cues, concept.cue_needs, strict=True)
        if _holds_all(needs, raw, folded) and cue.search(raw)
    ]
    if not cues:
        return None
    for start, end in text.sentences:
        sentence = raw[start:end]
        if any(x.search(sentence) for x in concept.exclusions):
            continue
        for cue in cues:
            hit = cue.search(sentence)
            if hit:
                s, e = start + hit.start(), start + hit.end()
                return Match(concept.id, concept.scheme, cue.pattern, s, e, raw[s:e])
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
    cued, notations = _vocabulary()
    concepts = []
    for concept in sorted(cued):
        if f"/{scheme}/" not in concept:
            continue
        values = cued[concept]
        cues = tuple(_compile(c) for c in sorted(values[CUE]))
        exclusions = tuple(_compile(c) for c in sorted(values[EXCLUSION_CUE]))
        cue_needs = tuple(_clauses(c) for c in cues)
        needs = _either([list(n) for n in cue_needs])
        concepts.append(Concept(notations[concept], scheme, cues, exclusions, needs, cue_needs))
    return tuple(concepts)


@cache
def _vocabulary() -> tuple[dict[str, dict[str, list[str]]], dict[str, str]]:
    """Concepts with cues (IRI -> cue property -> regexes), and every concept's notation."""
    cued: dict[str, dict[str, list[str]]] = {}
    notations: dict[str, str] = {}
    package = files("ofsted_kg.ontology")
    for name in ("themes.ttl", "services.ttl"):
        for quad in parse(package.joinpath(name).read_bytes(), format=RdfFormat.TURTLE):
            subject, predicate = quad.subject.value, quad.predicate.value
            if predicate in (CUE, EXCLUSION_CUE):
                cued.setdefault(subject, defaultdict(list))[predicate].append(quad.object.value)
            elif predicate == NOTATION:
                notations[subject] = quad.object.value
    return cued, notations


def _compile(cue: str) -> re.Pattern:
    return re.compile(cue, re.IGNORECASE)


# The non-ASCII characters that `re.IGNORECASE` matches with an ASCII letter but `str.lower` does
# not turn into it: after this, a cue's ASCII words occur in the folded text wherever it can match.
_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})
_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)

# What a match needs: one of the words, in exact case (True) or in the folded text (False).
Clause = tuple[bool, tuple[str, ...]]


def _fold(text: str) -> str:
    return text.lower() if text.isascii() else text.translate(_FOLD).lower()


def _holds_all(clauses: tuple[Clause, ...], text: str, folded: str) -> bool:
    """Whether the text has one of the words of each clause: False when a cue with these clauses cannot match."""
    for exact, words in clauses:  # noqa: SIM110 (all() over a generator: classifying ~6% slower)
        if not any(map((text if exact else folded).__contains__, words)):
            return False
    return True


@cache
def _clauses(cue: re.Pattern) -> tuple[Clause, ...]:
    """Every clause any match of the cue satisfies, read from its parse tree (the selective ones)."""
    parsed = sre_parse.parse(cue.pattern, cue.flags)
    return tuple(c for c in _sequence(parsed, bool(cue.flags & re.IGNORECASE)) if _selective(c))


def _sequence(items, ignore_case: bool) -> list[Clause]:
    """A sequence needs every part: its literal runs, and what its groups, branches and repeats need."""
    clauses: list[Clause] = []
    run = ""
    for op, arg in items:
        if op is sre.LITERAL:
            run += chr(arg)
            continue
        if run:
            clauses.append(_literal(run, ignore_case))
            run = ""
        if op is sre.SUBPATTERN:
            _, add, remove, body = arg
            clauses += _sequence(body, (ignore_case or bool(add & re.IGNORECASE)) and not remove & re.IGNORECASE)
        elif op is sre.BRANCH:
            clauses.append(_either([_sequence(branch, ignore_case) for branch in arg[1]]))
        elif op in _REPEATS and arg[0] >= 1:
            clauses += _sequence(arg[2], ignore_case)
    if run:
        clauses.append(_literal(run, ignore_case))
    return clauses


def _literal(run: str, ignore_case: bool) -> Clause:
    return (False, (run.lower(),)) if ignore_case else (True, (run,))


def _either(alternatives: list[list[Clause]]) -> Clause:
    """What one of several alternatives needs: one of the words of each one's most selective clause."""
    best = [max(filter(_selective, clauses), key=_selectivity, default=None) for clauses in alternatives]
    if None in best:
        return (False, ())  # an alternative needs nothing checkable
    if all(exact for exact, _ in best):
        return (True, tuple(dict.fromkeys(w for _, words in best for w in words)))
    return (False, tuple(dict.fromkeys(w.lower() for _, words in best for w in words)))


def _selective(clause: Clause) -> bool:
    """Worth checking: ASCII words long enough to be rare (an exact-case acronym of two letters is)."""
    exact, words = clause
    return bool(words) and all(w.isascii() and len(w) >= (2 if exact else 3) for w in words)


def _selectivity(clause: Clause) -> int:
    return min(len(w) for w in clause[1])
