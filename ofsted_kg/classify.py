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
of whose words is in the case-folded text cannot match and is not searched. Which of those
words a text holds is found in one pass by an Aho-Corasick automaton (pyahocorasick) over all
of them: testing each word with `in` was half of the classification time. Same results.
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
from operator import itemgetter
from re import _constants as sre  # the parse tree's opcodes: see _clauses
from re import _parser as sre_parse

import ahocorasick
from pyoxigraph import RdfFormat, parse

from .iris import PREFIXES, VOCAB
from .records import FAILING_KINDS, Inspection

CUE, EXCLUSION_CUE, NOTATION = VOCAB + "cue", VOCAB + "exclusionCue", PREFIXES["skos"] + "notation"
THEME_KINDS = frozenset({"strength", *FAILING_KINDS})
_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+(?=[\"'(•\-\dA-Z])|\s*•\s*|\n+")
# The only break a text without bullets or line breaks can hold, found ten times faster: without the
# alternation, and with the stop matched (one character before the break) rather than looked behind for.
_STOP_THEN_SPACE = re.compile(r"[.!?;:]\s+(?=[\"'(•\-\dA-Z])")


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
    return _matches(read, "theme") + _matches(read, "service-type")


def load_cues() -> None:
    """Compile every cue now: worker processes forked afterwards inherit them instead of each compiling its own."""
    _finder(exact=False)
    _finder(exact=True)


def annotate(inspection: Inspection) -> None:
    """Fill each finding's themes (judged kinds only) and services (every kind, narrative too)."""
    for finding in inspection.findings:
        read = _Text(finding.text)
        if finding.kind in THEME_KINDS:
            finding.themes = _ids(read, "theme")
        finding.services = _ids(read, "service-type")


class _Text:
    """A text with its case-folded form, its sentences and the cue words it holds, each worked out once."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.folded = _fold(text)

    @cached_property
    def sentences(self) -> list[tuple[int, int]]:
        return _sentences(self.text)

    @cached_property
    def words(self) -> tuple[frozenset[str], frozenset[str]]:
        """The cues' words that occur in the folded text, and those that occur in exact case."""
        return _occurring(self.folded, exact=False), _occurring(self.text, exact=True)

    def has_any(self, clause: Clause) -> bool:
        """Whether the text has one of the clause's words (a clause with none is not checkable: True)."""
        folded, exact = clause
        if not folded and not exact:
            return True
        return not self.words[0].isdisjoint(folded) or not self.words[1].isdisjoint(exact)


def _ids(text: _Text, scheme: str) -> list[str]:
    return sorted(m.concept for m in _matches(text, scheme))


def _matches(text: _Text, scheme: str) -> list[Match]:
    concepts = _concepts(scheme)
    found = []
    for position in _candidates(text, scheme):
        match = _first_match(concepts[position], text)
        if match:
            found.append(match)
    return found


def _candidates(text: _Text, scheme: str) -> list[int]:
    """The positions of the scheme's concepts that could match: most miss, none of the words their cues
    need being in the text. Read from the words the text has, not tested concept by concept."""
    always, by_word = _index(scheme)
    positions = set(always)
    for exact, words in enumerate(text.words):
        for word in words:
            positions.update(by_word.get((bool(exact), word), ()))
    return sorted(positions)


@cache
def _index(scheme: str) -> tuple[tuple[int, ...], dict[tuple[bool, str], list[int]]]:
    """The scheme's concepts that need no checkable word, and for each word the concepts that need it."""
    always, by_word = [], defaultdict(list)
    for position, concept in enumerate(_concepts(scheme)):
        folded, exact = concept.needs
        if not folded and not exact:
            always.append(position)
        for is_exact, words in ((False, folded), (True, exact)):
            for word in words:
                by_word[is_exact, word].append(position)
    return tuple(always), dict(by_word)


def _first_match(concept: Concept, text: _Text) -> Match | None:
    raw = text.text
    cues = [
        cue
        for cue, needs in zip(concept.cues, concept.cue_needs, strict=True)
        if all(map(text.has_any, needs)) and cue.search(raw)
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
    if "•" in text or "\n" in text:
        breaks = ((m.start(), m.end()) for m in _SENTENCE_END.finditer(text))
    else:
        breaks = ((m.start() + 1, m.end()) for m in _STOP_THEN_SPACE.finditer(text))
    spans, start = [], 0
    for end, next_start in breaks:
        spans.append((start, end))
        start = next_start
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

# What a match needs: one of the first words in the folded text, or one of the second in exact case
# (a branch can mix the two: "alternative provision" in any case, or "AP" in capitals).
Clause = tuple[tuple[str, ...], tuple[str, ...]]


def _fold(text: str) -> str:
    return text.lower() if text.isascii() else text.translate(_FOLD).lower()


@cache
def _finder(exact: bool) -> ahocorasick.Automaton | None:
    """One automaton over every word the cues of both schemes need, in exact case or folded: it finds all
    of them in one pass over a text, where testing each word with `in` cost most of the classification."""
    words = {
        word
        for scheme in ("theme", "service-type")
        for concept in _concepts(scheme)
        for clause in (concept.needs, *(c for needs in concept.cue_needs for c in needs))
        for word in clause[exact]
    }
    if not words:
        return None
    automaton = ahocorasick.Automaton()
    for word in words:
        automaton.add_word(word, word)
    automaton.make_automaton()
    return automaton


def _occurring(text: str, exact: bool) -> frozenset[str]:
    finder = _finder(exact)
    return frozenset(map(itemgetter(1), finder.iter(text))) if finder else frozenset()


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
    return ((run.lower(),), ()) if ignore_case else ((), (run,))


def _either(alternatives: list[list[Clause]]) -> Clause:
    """What one of several alternatives needs: one of the words of each one's most selective clause."""
    best = [max(filter(_selective, clauses), key=_selectivity, default=None) for clauses in alternatives]
    if None in best:
        return ((), ())  # an alternative needs nothing checkable
    folded = tuple(dict.fromkeys(w for clause in best for w in clause[0]))
    exact = tuple(dict.fromkeys(w for clause in best for w in clause[1]))
    return folded, exact


def _selective(clause: Clause) -> bool:
    """Worth checking: ASCII words long enough to be rare (an exact-case acronym of two letters is)."""
    folded, exact = clause
    return bool(folded or exact) and all(
        w.isascii() and len(w) >= minimum for words, minimum in ((folded, 3), (exact, 2)) for w in words
    )


def _selectivity(clause: Clause) -> int:
    return min(len(w) for words in clause for w in words)
