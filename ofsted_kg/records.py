"""Plain records that loaders produce and the emitter consumes.

Parsers never touch RDF and the emitter never reads report text: these
dataclasses are the only thing the two share, so a test can compare a parser's
output with a gold record without building a graph.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

INSPECTION_TYPES = ("area-send", "ilacs", "sif", "lac")
FINDING_KINDS = ("strength", "weakness", "priority-action", "area-for-improvement", "narrative")
JUDGEMENT_AREAS = (
    "overall",
    "leadership",
    "help_and_protection",
    "children_in_care",
    "care_leavers",
    "adoption",
    "lscb",
)
GRADES = ("outstanding", "good", "requires-improvement", "adequate", "inadequate")
FAILING_KINDS = ("weakness", "priority-action", "area-for-improvement")  # what "failings" counts everywhere
SEND_OUTCOMES = ("positive", "inconsistent", "systemic-failings")


@dataclass(frozen=True)
class Location:
    """Where a piece of text stands in the report's clean text (0-based offsets)."""

    page: int
    start: int
    end: int


@dataclass
class TeamMember:
    """One inspector's part in one inspection; the role is kept as printed."""

    name: str
    inspectorate: str  # "Ofsted" or "CQC"
    lead: bool
    role: str = ""


@dataclass
class PostHolder:
    """A person the report names in post, e.g. the director of children's services."""

    name: str
    post: str
    organisation: str  # "local-authority" or the ICB's name as printed
    role: str = ""  # "dcs" or "icb-chief-executive" where the post is one of those


@dataclass
class Judgement:
    area: str  # one of JUDGEMENT_AREAS
    grade: str  # one of GRADES
    label: str = ""  # the judgement as printed


@dataclass
class EarlierGrade:
    """A grade from an earlier inspection that the report quotes."""

    grade: str
    year: int | None = None
    text: str = ""


@dataclass
class Finding:
    kind: str  # one of FINDING_KINDS
    section: str
    order: int
    text: str
    location: Location | None = None
    responsible: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    services: list[str] = field(default_factory=list)


@dataclass
class Inspection:
    """Everything one report states about one inspection."""

    inspection_type: str
    local_authority: str  # short name from the reference table, or as printed
    authority_as_printed: str = ""
    la_code: str | None = None
    icbs: list[str] = field(default_factory=list)  # as printed
    icb_codes: list[str] = field(default_factory=list)  # ODS codes, parallel to icbs where resolved
    start_date: date | None = None
    end_date: date | None = None
    previous_start_date: date | None = None
    previous_end_date: date | None = None
    outcome: str | None = None
    variant: str | None = None  # e.g. "standard", "short", "re-inspection"
    next_steps: list[str] = field(default_factory=list)
    team: list[TeamMember] = field(default_factory=list)
    people: list[PostHolder] = field(default_factory=list)
    judgements: list[Judgement] = field(default_factory=list)
    earlier_grades: list[EarlierGrade] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    context: list[str] = field(default_factory=list)
    published: date | None = None  # where the report states it


@dataclass
class Report:
    """The source file: provenance that holds whatever the parser finds."""

    file_name: str
    sha256: str
    page_count: int
    source_format: str  # pdf, html, markdown, text
    kind: str
    title: str | None = None
    published: date | None = None
