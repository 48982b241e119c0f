"""Area SEND inspection reports (Ofsted and CQC jointly, 2023 framework) -> an `Inspection`.

Every report of this kind has the same headings in the same order ("Inspection
outcome", "What is the area partnership doing that is effective?", ...), so the
parser cuts the document into sections by its headings and reads each section
by its own structure: bullets, paragraphs, or a two-column table that the text
layer interleaves line by line. Nothing depends on page positions or file
names, and the same code reads PDFs and the text, Markdown and HTML-ish
conversions (bullets as OCR noise, headings as "## **...**").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache
from typing import NamedTuple

from ..records import Finding, Inspection, PostHolder, TeamMember
from ..reference import find_authority, reference, resolve_authority, resolve_icb
from .blocks import Block, blocks, line_offsets, lines_location, location
from .dates import dates_at
from .names import HONOURS, is_name
from .text import BULLET, Document, head_text

_HEADINGS = {
    "outcome": r"inspection outcome",
    "about": r"information about the local area partnership",
    "narrative": r"what is it like to be a child or young person (?:with )?"
    r"(?:send|special educational needs and/or disabilities(?: \(send\))?) in this area\??",
    "strength": r"what is the (?:local )?area partnership doing that is effective\??",
    "weakness": r"what does the (?:local )?area partnership need to (?:do better|improve)\??",
    "priority-action": r"(responsible body )?(areas for priority action)?",
    "area-for-improvement": r"areas for improvement",
    "details": r"local area partnership details",
    "this-inspection": r"information about this inspection",
    "team": r"inspection team",
}
# Every heading in one pattern, tried in the order above: one fullmatch a line, not one per heading.
_HEADING = re.compile("|".join(f"(?P<_{n}>{pattern})" for n, pattern in enumerate(_HEADINGS.values())))
_HEADING_NAMES = {f"_{n}": name for n, name in enumerate(_HEADINGS)}
# Boilerplate after the team table: it ends the last section.
_END = re.compile(r"(if you are not happy|the office for standards in education|©|crown copyright)", re.I)
# Bullet marks: "•" from the text layer, Markdown "- ", and OCR renderings of a bullet.
_MARKERS = re.compile(rf"^(?:{BULLET}|[-–*»«®]|B|e)(?:\s+|$)")
_LIST_SECTIONS = ("strength", "weakness")
# A recommendation opens each area for improvement: "Leaders across the partnership should ...".
_RECOMMENDATION = re.compile(
    r"(?!(?:They|This|These|It|Its|In|As|Where|When|However|For|That|Their)\b)[A-Z][^.]*?\b(?:should|must)\b"
)


@dataclass
class Section:
    heading: str  # as printed
    first: int  # first line after the heading
    last: int  # line index where the next section starts


def parse(doc: Document, kind: str) -> Inspection:
    """Read everything an area SEND report states into an `Inspection`."""
    sections = find_sections(doc)
    inspection = Inspection(inspection_type=kind, local_authority="")
    _read_partnership(doc, sections, inspection)
    _read_dates(doc, inspection)
    outcome_text = _section_text(doc, sections.get("outcome")) or head_text(doc.lines, 60)
    inspection.outcome = outcome(outcome_text)
    inspection.next_steps = next_steps(outcome_text)
    inspection.team = team(_section_lines(doc, sections.get("team")))
    inspection.people = people(_section_lines(doc, sections.get("details")), inspection.icbs)
    inspection.findings = findings(doc, sections)
    inspection.context = context(_section_text(doc, sections.get("about")))
    return inspection


# --- sections -----------------------------------------------------------------


def _heading_key(line: str) -> str:
    return " ".join(line.strip("#* ").replace("*", "").split()).lower()


def section_of(line: str) -> str | None:
    """The section a heading line opens, or None for any other line."""
    key = _heading_key(line)
    match = _HEADING.fullmatch(key) if key else None
    return _HEADING_NAMES[match.lastgroup] if match else None


def _is_heading(line: str) -> bool:
    """A heading printed inside a section (a table's header row, a page's repeated heading). It starts with
    a capital: a wrapped sentence can leave "areas for improvement" alone on a line."""
    return line.strip("#* ")[:1].isupper() and section_of(line) is not None


def _heading_at(doc: Document, i: int) -> tuple[str | None, int]:
    """The section a heading at line i opens, and its line count: long headings wrap onto a second line."""
    name = section_of(doc.lines[i])
    if name or i + 1 >= len(doc.lines) or not doc.lines[i]:
        return name, 1
    wrapped = section_of(f"{doc.lines[i]} {doc.lines[i + 1]}")
    return wrapped, 2 if wrapped else 1


# The priority actions' table header can come before the section's heading ("Responsible body | Areas for
# priority action"): the section is named by its heading, not by the first column's header.
_COLUMN_HEADER = re.compile(r"^responsible body\s+(?=\S)", re.I)


def find_sections(doc: Document) -> dict[str, Section]:
    """Sections by name. A heading repeated inside its own section (page breaks,
    "Areas for improvement" printed twice, a table header) does not start a new one."""
    found: dict[str, Section] = {}
    current: str | None = None
    for i, line in enumerate(doc.lines):
        name, size = _heading_at(doc, i)
        if name is None and current and _END.match(line):
            found[current].last = i
            current = None
        if name is None or name == current:
            continue
        if current:
            found[current].last = i
        if name in found:
            current = None  # a heading met again later: keep the first section
            continue
        heading = _COLUMN_HEADER.sub("", " ".join(doc.lines[i : i + size]).strip("#* "))
        found[name] = Section(heading, i + size, len(doc.lines))
        current = name
    return found


def _section_lines(doc: Document, section: Section | None) -> list[str]:
    if section is None:
        return []
    return [line for line in doc.lines[section.first : section.last] if line and section_of(line) is None]


def _section_text(doc: Document, section: Section | None) -> str:
    return " ".join(_section_lines(doc, section))


# --- partnership: authority and ICBs ------------------------------------------

_PARTIES = re.compile(r"(?:^|(?<=[.]\s))([A-Z][^.]*?)\s+(?:are|is)\s+(?:jointly\s+)?responsible\s+for")
_BECAME = re.compile(r"(?:^|(?<=[.,]\s))([^.,]*?)\s+(?:became responsible|took over) (?:for )?the commissioning")


class Body(NamedTuple):
    """A body a report names: its name as printed, its kind and its public code."""

    printed: str
    kind: str  # "authority" (code: GSS) or "icb" (code: ODS)
    code: str


def _read_partnership(doc: Document, sections: dict[str, Section], inspection: Inspection) -> None:
    """The authority and ICB(s): from the "jointly responsible" sentence, else the
    sentence saying which ICB "became responsible", else the details table; the
    authority, failing all, from the report's title."""
    about = _section_text(doc, sections.get("about"))
    parties = _partnership_sentence(about)
    if not parties and (became := _BECAME.search(about)):
        parties = [body for body in split_bodies(became.group(1)) if body.kind == "icb"]
    if not any(body.kind == "icb" for body in parties):
        parties += [body for body in _details_parties(doc, sections.get("details")) if body.kind == "icb"]
    authority = next((body for body in parties if body.kind == "authority"), None)
    if authority is None and (found := find_authority(head_text(doc.lines, 6))):
        authority = Body(found.name, "authority", found.la_code)
    if authority:
        inspection.authority_as_printed = authority.printed
        inspection.la_code = authority.code
        inspection.local_authority = reference().authorities[authority.code].name
    for body in parties:
        if body.kind == "icb" and body.code not in inspection.icb_codes:
            inspection.icbs.append(body.printed)
            inspection.icb_codes.append(body.code)


def _partnership_sentence(text: str) -> list[Body]:
    """Authority and ICB(s) from "X Council and NHS Y ICB are jointly responsible for ..."."""
    for match in _PARTIES.finditer(text):
        parties = split_bodies(match.group(1))
        if any(body.kind == "authority" for body in parties):
            return parties
    return []


def _details_parties(doc: Document, section: Section | None) -> list[Body]:
    """Bodies named on the first lines of the details table, after its column headings."""
    lines = _section_lines(doc, section)[1:3]
    for count in (1, 2):
        parties = split_bodies(" ".join(lines[:count]))
        if parties:
            return parties
    return []


def _clean_body(text: str) -> str:
    text = re.sub(r"\s*\([^)]*\)", "", text)
    text = re.sub(r"^(?:(?:and|&|the)\s+)+", "", text.strip(" ,"), flags=re.I)
    return text.strip(" ,")


def _resolve_body(text: str) -> tuple[str, str] | None:
    """("authority", GSS code) or ("icb", ODS code) for one body's name, or None."""
    name = _clean_body(text)
    if not name or name.lower() in ("and", "the", "nhs"):
        return None
    auth = resolve_authority(name)
    if auth:
        return "authority", auth.la_code
    icb = resolve_icb(name)
    return ("icb", icb.ods_code) if icb else None


_NEXT_NAME_STARTS = {"nhs", "the", "and", "&"}


def split_bodies(text: str) -> list[Body]:
    """A run of bodies' names ("Surrey County Council, NHS Surrey Heartlands ICB and
    NHS Frimley ICB") split into (as printed, "authority"|"icb", code), or [] when
    the words cannot all be read as bodies. Names contain "and" themselves
    ("Cheshire and Merseyside"), so every split is tried, longest names first."""
    words = text.split()

    @cache
    def from_word(i: int) -> tuple[Body, ...] | None:
        if i == len(words):
            return ()
        for j in range(len(words), i, -1):
            if words[j - 1].lower() in _NEXT_NAME_STARTS:
                continue  # "NHS Mid and South Essex ICB, NHS": the last word begins the next name
            resolved = _resolve_body(" ".join(words[i:j]))
            rest = from_word(j) if resolved else None
            if resolved and rest is not None:
                return (Body(_clean_body(" ".join(words[i:j])), *resolved), *rest)
        return None

    return list(from_word(0) or ())


# --- dates, outcome, next steps ---------------------------------------------------

_PREVIOUS = re.compile(r"dates? of (?:the )?previous inspection\s*:?", re.I)


def _read_dates(doc: Document, inspection: Inspection) -> None:
    for i, line in enumerate(doc.lines[:40]):
        current = re.search(r"inspection dates?\s*:", line, re.I)
        if current and inspection.start_date is None:
            text = _PREVIOUS.split(line[current.end() :])[0]
            inspection.start_date, inspection.end_date = dates_at(doc.lines, i, text)
        previous = _PREVIOUS.search(line)
        if previous and inspection.previous_start_date is None:
            text = line[previous.end() :]
            inspection.previous_start_date, inspection.previous_end_date = dates_at(doc.lines, i, text)


_OUTCOMES = [
    ("systemic-failings", re.compile(r"widespread and/or systemic failings", re.I)),
    ("inconsistent", re.compile(r"lead to inconsistent experiences", re.I)),
    ("positive", re.compile(r"typically lead to positive experiences", re.I)),
]


def outcome(text: str) -> str | None:
    """One of the framework's three outcomes, from the fixed wording of the outcome paragraph."""
    for name, pattern in _OUTCOMES:
        if pattern.search(text):
            return name
    return None


_MONITORING = re.compile(
    r"monitoring inspection will (?:be carried out|take place) within (approximately )?(\w+ months)", re.I
)
_FULL = re.compile(
    r"next full (?:area SEND )?(?:re-?)?inspection will (?:be|take place) within (approximately )?(\w+) years", re.I
)
_NUMBERS = {"3": "three", "5": "five"}


def next_steps(text: str) -> list[str]:
    """What the report says happens next, as short phrases that read the same in every report."""
    text = " ".join(text.split())
    steps = []
    if monitoring := _MONITORING.search(text):
        steps.append(f"monitoring inspection within {monitoring.group(1) or ''}{monitoring.group(2)}")
    if full := _FULL.search(text):
        years = _NUMBERS.get(full.group(2), full.group(2))
        steps.append(f"next full inspection within {full.group(1) or ''}{years} years")
    if re.search(r"priority action plan", text, re.I):
        steps.append("priority action plan required")
    if re.search(r"updates? and publish(?:es)? its strategic plan", text, re.I):
        steps.append("strategic plan to be updated and published")
    return steps


# --- inspection team -----------------------------------------------------------

_INSPECTORATE = re.compile(r",\s*(Ofsted|CQC)\b")
_ROLE_WORDS = {
    "ofsted", "cqc", "hmi", "lead", "inspector", "inspectors", "senior", "children's", "services", "social", "care",
    "his", "her", "majesty's", "regulatory", "education", "health", "early", "years", "and", "&",
}  # fmt: skip
_COLUMN_HEADINGS = {"ofsted", "care quality commission", "ofsted care quality commission"}
_TITLES = re.compile(r"^(?:mr|mrs|ms|miss|dr)\.?\s+", re.I)


def team(lines: list[str]) -> list[TeamMember]:
    """Every inspector in the team table, whatever its layout.

    The two columns (Ofsted | CQC) come one per line, interleaved on one line
    ("Sue Eastwood, Ofsted Lead inspector Gerry Bates, CQC Lead inspector") or
    wrapped ("Ofsted HMI lead" / "inspector"), so the table is read as one
    string: each ", Ofsted" or ", CQC" anchors one inspector, whose name is the
    words before it and whose role runs until the next name begins.
    """
    text = " ".join(line.lstrip("#").strip() for line in lines if line.lstrip("# ").lower() not in _COLUMN_HEADINGS)
    anchors = list(_INSPECTORATE.finditer(text))
    members = []
    before = text[: anchors[0].start()] if anchors else ""
    for n, anchor in enumerate(anchors):
        after = text[anchor.start() + 1 : anchors[n + 1].start() if n + 1 < len(anchors) else len(text)]
        role, next_name = _role_and_rest(after)
        name, title = _name_and_title(before)
        if name:
            role = f"{title}, {role}" if title else role
            members.append(TeamMember(name, anchor.group(1), "lead" in role.lower(), role))
        before = next_name
    return members


def _role_and_rest(text: str) -> tuple[str, str]:
    """Split "Ofsted Lead inspector Gerry Bates" into the role and the next inspector's name. Whatever
    stands in brackets belongs to the role: "(social care)", "(education)", "(OI)", "(lead inspector)"."""
    words = text.replace(",", " , ").split()
    n = 0
    depth = 0
    while n < len(words) and (depth or words[n].lower() in _ROLE_WORDS or words[n] == "," or words[n][0] == "("):
        depth += words[n].count("(") - words[n].count(")")
        n += 1
    role = " ".join(words[:n]).replace(" ,", ",").strip(" ,")
    return role, " ".join(words[n:])


def _name_and_title(text: str) -> tuple[str, str]:
    """A name without titles ("Adam Sproston HMI" -> "Adam Sproston"), and the title."""
    text = _TITLES.sub("", text.strip(" ,"))
    title = ""
    match = re.search(r",?\s+HMI$", text)
    if match:
        text, title = text[: match.start()], "HMI"
    return text.strip(" ,"), title


# --- people in post ----------------------------------------------------------------

_ORG_WORDS = re.compile(r"\b(Council|NHS|ICB|ICBs|Integrated|Board|Authority|Borough|County|Metropolitan)\b")
_POST_WORDS = {
    "director", "directors", "children's", "children", "services", "service", "executive", "chief", "officer",
    "operating", "corporate", "managing", "lead", "acting", "interim", "deputy", "assistant", "strategic", "education",
    "learning", "lifelong", "families", "young", "people", "schools", "care", "integrated", "board", "system", "nhs",
    "icb", "ceo", "council", "send", "health", "social", "place", "skills", "inclusion", "and", "of", "the", "for",
    "person", "officer)", "commissioning", "nursing", "quality", "partnerships", "north", "south", "east", "west",
}  # fmt: skip
# Surnames that are post words too ("Emma Young" beside "Children and Young People"): they may end a name.
_ALSO_SURNAMES = {"young", "north", "south", "east", "west"}
_NOT_LAST = _POST_WORDS - _ALSO_SURNAMES
_URL = re.compile(r"(www\.|https?://|\.uk\b|\.org\b)", re.I)


def people(lines: list[str], icbs: list[str]) -> list[PostHolder]:
    """The director of children's services and the ICB chief executive(s) of the details table.

    The table's first rows name the bodies; then comes each column's post holder,
    "Name, post" or a name on its own line with the post below it, side by side or
    one after the other, up to the web addresses. The first person is the
    authority's, the others the ICBs', in the order the ICBs were named; but when
    a name could not be read, one fewer than the bodies, and the first post is an
    ICB's, the authority's is the one missing (a wrong director is worse than none).
    """
    found = _names_and_posts(_people_rows(lines))
    authority_missing = bool(found) and len(found) <= len(icbs) and _is_icb_post(found[0][1])
    first_icb = 0 if authority_missing else 1
    holders: list[PostHolder] = []
    for i, (name, post) in enumerate(found):
        if i < first_icb:
            holders.append(PostHolder(name, post, "local-authority", "dcs"))
        else:
            icb = icbs[min(i - first_icb, len(icbs) - 1)] if icbs else ""
            holders.append(PostHolder(name, post, icb, "icb-chief-executive"))
    return holders


_ICB_POST = re.compile(r"\b(chief executive|ceo|icb|nhs|integrated care|place director)\b", re.I)
_AUTHORITY_POST = re.compile(r"\b(children|young people|education|famil(y|ies)|learning|schools)\b", re.I)


def _is_icb_post(post: str) -> bool:
    return bool(_ICB_POST.search(post)) and not _AUTHORITY_POST.search(post)


Row = list[tuple[str, bool]]  # a row of the details table cut into pieces: a name (True) or post text (False)


def _people_rows(lines: list[str]) -> list[Row]:
    """The rows between the bodies' names and the web addresses, each cut into names and post text. The
    columns stand side by side in a PDF's text; a text conversion may lay them out one after the other, each
    with its heading, holder and address (the address before the web address, in some): such a column ends at
    its second row with a name."""
    rows: list[Row] = []
    reading, column_start, laid_out, holder_read = True, True, False, False
    for line in lines[1:]:  # lines[0]: the column headings
        if _URL.search(line):
            reading = False  # the web and postal addresses, up to the next column's heading if one follows
            continue
        if not reading:
            reading = column_start = laid_out = bool(_ICB_COLUMN.match(line))
            holder_read = False
            continue
        if column_start and _ORG_WORDS.search(line) and not _name_at(_TITLES.sub("", line).split(), 0):
            continue  # the bodies' names
        row = _split_names(line)
        named = any(named for _, named in row)
        if laid_out and holder_read and named:
            reading = False
            continue
        rows.append(row)
        column_start = False
        holder_read = holder_read or named
    return rows


_ICB_COLUMN = re.compile(r"^integrated care boards?$", re.I)


def _names_and_posts(rows: list[Row]) -> list[tuple[str, str]]:
    """(name, post) pairs in reading order. A row of post text alone continues the post that is left
    unfinished ("Executive Director of" beside "Chief Executive", then "Children's Services"), else the last."""
    found: list[tuple[str, list[str]]] = []
    for row in rows:
        names_in_row = any(named for _, named in row)
        for piece, named in row:
            if named:
                found.append((piece, []))
            elif found:
                owner = found[-1] if names_in_row else _unfinished(found)
                owner[1].append(piece.strip(" |"))
    return [(name, " ".join(post).strip(" ,|")) for name, post in found]


_UNFINISHED = re.compile(r"(\b(of|and|for|the|to)|&|,)$", re.I)


def _unfinished(found: list[tuple[str, list[str]]]) -> tuple[str, list[str]]:
    """The first holder whose post so far ends mid-phrase; else the last, as when nothing is left open."""
    return next((f for f in found if f[1] and _UNFINISHED.search(f[1][-1])), found[-1])


_STANDING = re.compile(r"\s*\((interim|acting)\)\s*,", re.I)


def _split_names(row: str) -> Row:
    """A row cut into names and post text. A name is name-like words standing alone on the row or
    followed by a comma; four alone are two names. Honours go; "Name (interim)," becomes "Name, interim"."""
    row = _STANDING.sub(r", \1", HONOURS.sub("", _TITLES.sub("", row.strip())))
    words = row.split()
    if not any(w.endswith(",") for w in words) and 2 <= len(words) <= 4:
        if len(words) == 4 and _is_person(words[:2]) and _is_person(words[2:]):
            return [(" ".join(words[:2]), True), (" ".join(words[2:]), True)]
        if _is_person(words):
            return [(" ".join(words), True)]
    pieces: Row = []
    post: list[str] = []
    i = 0
    while i < len(words):
        size = _name_at(words, i)
        if size:
            if post:
                pieces.append((" ".join(post), False))
                post = []
            pieces.append((_TITLES.sub("", " ".join(words[i : i + size]).rstrip(",")), True))
            i += size
        else:
            post.append(words[i])
            i += 1
    if post:
        pieces.append((" ".join(post), False))
    return pieces


def _name_at(words: list[str], i: int) -> int:
    """Length of a name ending with a comma that starts at words[i] (after an optional title), or 0."""
    start = i + 1 if i < len(words) and _TITLES.match(words[i] + " ") else i
    for size in (2, 3, 4):
        span = words[start : start + size]
        ends_at_comma = len(span) == size and span[-1].endswith(",") and not any(w.endswith(",") for w in span[:-1])
        if ends_at_comma and _is_person([*span[:-1], span[-1].rstrip(",")]):
            return size + start - i
    return 0


def _is_person(words: list[str]) -> bool:
    return is_name(words, not_first=_POST_WORDS, not_last=_NOT_LAST)


# --- findings ------------------------------------------------------------------------


def findings(doc: Document, sections: dict[str, Section]) -> list[Finding]:
    """Strengths, weaknesses, priority actions, areas for improvement and the narrative."""
    result: list[Finding] = []
    for kind in ("narrative", "strength", "weakness", "priority-action", "area-for-improvement"):
        section = sections.get(kind)
        if section is None:
            continue
        if kind == "priority-action":
            result += priority_actions(doc, section)
            continue
        items = _list_items(doc, section) if kind in _LIST_SECTIONS else _paragraphs(doc, section, kind)
        for order, item in enumerate(items, 1):
            result.append(Finding(kind, section.heading, order, item.text, location(doc, item)))
    return result


def _blocks(doc: Document, section: Section, starts: re.Pattern[str] | None = None) -> list[Block]:
    found = []
    for block in blocks(doc, section.first, section.last, markers=_MARKERS, starts=starts, skip=_is_heading):
        if section_of(block.text) is None:
            found.extend(_split_html(doc, block))
    return found


def _list_items(doc: Document, section: Section) -> list[Block]:
    """Bullet items; a bullet broken by a page break, or a bullet's paragraph that
    the text layer split, joins its item. A paragraph after a blank line that
    starts a sentence is an item of its own (conversions that lost the bullets)."""
    items: list[Block] = []
    for block in _blocks(doc, section):
        blank_before = block.first_line > 0 and not doc.lines[block.first_line - 1]
        continues = not block.bullet and items and (_starts_lower(block.text) or not blank_before)
        items[-1:] = [_merge(items[-1], block)] if continues else [*items[-1:], block]
    return items


def _paragraphs(doc: Document, section: Section, kind: str) -> list[Block]:
    """Paragraphs; a bullet, or anything after a paragraph that has not ended its
    sentence (a page break inside a sentence), continues the paragraph before it."""
    items: list[Block] = []
    starts = _RECOMMENDATION if kind == "area-for-improvement" else None
    for block in _blocks(doc, section, starts):
        continues = items and (block.bullet or not _ends_sentence(items[-1].text))
        items[-1:] = [_merge(items[-1], block)] if continues else [*items[-1:], block]
    return items


_SENTENCE_END = re.compile(r"[.!?][\"')]*$")


def _ends_sentence(text: str) -> bool:
    return bool(_SENTENCE_END.search(text))


def _starts_lower(text: str) -> bool:
    return bool(text) and not text[0].isupper() and not text[0].isdigit() and text[0] not in "'\"("


def _merge(first: Block, second: Block) -> Block:
    """One item from two blocks that the page layout or the text layer split."""
    text = first.text + second.text if first.text.endswith("-") else f"{first.text} {second.text}"
    return replace(first, text=text, last_line=second.last_line, end=second.end)


_HTML_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)


def _split_html(doc: Document, block: Block) -> list[Block]:
    """A block holding HTML paragraphs ("<p>1. ...</p> <p>2. ...</p>") as one block per paragraph."""
    if "<p>" not in block.text:
        return [block]
    parts = []
    for match in _HTML_PARAGRAPH.finditer(block.text):
        raw = match.group(1).strip()
        start = doc.text.find(raw, block.start, block.end)
        start, end = (start, start + len(raw)) if start >= 0 else (block.start, block.end)
        parts.append(replace(block, text=" ".join(raw.split()), start=start, end=end))
    return parts or [block]


# --- priority actions ------------------------------------------------------------------

_CONNECTORS = {
    "and", "&", "of", "the", "with", "upon", "nhs", "city", "county", "borough", "metropolitan", "integrated", "care",
}  # fmt: skip
_BODY_CONTINUES = {"integrated", "care", "board", "(icb)", "icb", "council", "borough", "county", "metropolitan"}


@dataclass
class _Row:
    body: list[str]
    action: list[str]
    first_line: int
    last_line: int


def priority_actions(doc: Document, section: Section) -> list[Finding]:
    """Rows of the "Areas for priority action" table: responsible body | action.

    The text layer interleaves the two columns line by line (a body's name wraps
    over three or four short lines beside the action) or puts both cells on one
    line. A row starts where a body's name starts after an action that has
    ended; a name wrapped beside an unfinished action continues its row.
    """
    lines = [i for i in range(section.first, section.last) if doc.lines[i] and section_of(doc.lines[i]) is None]
    side_by_side = not any(split_row_line(doc.lines[i], False)[0] for i in lines)
    rows: list[_Row] = []
    for i in lines:
        body, action = split_row_line(doc.lines[i], side_by_side)
        if body and (not rows or _starts_row(rows[-1], body)):
            rows.append(_Row([], [], i, i))
        if not rows:
            continue
        rows[-1].body += [body] if body else []
        rows[-1].action += [action] if action else []
        rows[-1].last_line = i
    return [_row_finding(doc, section, order, row) for order, row in enumerate(rows, 1) if row.action]


def _starts_row(row: _Row, body: str) -> bool:
    """Does a body's name begin a new row? After an action that has ended, unless it carries on a name left
    open; or, whatever the action's end, when the body column starts again with this row's first line (rows
    often name the same bodies, and one name is not printed twice in a row)."""
    so_far = " ".join(row.body).split()
    if not row.action or (so_far and so_far[-1].lower() in _CONNECTORS):
        return False
    if body == row.body[0]:
        return True
    return row.action[-1].rstrip().endswith(".") and body.split()[0].lower() not in _BODY_CONTINUES


def _row_finding(doc: Document, section: Section, order: int, row: _Row) -> Finding:
    text = " ".join(" ".join(row.action).split())
    text = re.sub(r"\s+(?:[-–*»«®]|e)\s+(?=[a-z])", f" {BULLET} ", text)  # OCR'd bullets inside an action
    body = " ".join(row.body)
    where = lines_location(doc, line_offsets(doc), row.first_line, row.last_line)
    found = Finding("priority-action", section.heading, order, text, where)
    found.responsible = [found_body.printed for found_body in split_bodies(body)] or [body]
    return found


@cache
def _body_vocabulary() -> frozenset[str]:
    """Words that make up the names of authorities and ICBs."""
    words = {"Council", "NHS", "ICB", "(ICB)", "Integrated", "Care", "Board", "Local", "Authority", "Metropolitan"}
    words |= {"Borough", "County", "City", "District", "Royal", "London", "Partnership"}
    ref = reference()
    for auth in ref.authorities.values():
        words.update(auth.name.split() + auth.official_name.split())
    for icb in ref.icbs.values():
        words.update(icb.name.split())
    return frozenset(w for w in words if w != "The") | {"&", "(ICB)"}


_INSIDE_NAMES = {"the", "with", "upon"}  # lower-case words only ever inside a body's name, never at its end


def split_row_line(line: str, side_by_side: bool) -> tuple[str, str]:
    """A table line cut into (body column, action column).

    The body column holds only words of bodies' names. Where the text layer
    gives each cell its own lines, a line is one or the other; where it puts
    both cells on one line, the action starts at the first other word, and
    "and and" marks where one column's "and" meets the other's.
    """
    vocabulary = _body_vocabulary()
    words = line.split()
    n = 0
    while n < len(words) and not (n and words[n] == words[n - 1] == "and"):
        followed_by_name = n + 1 < len(words) and words[n + 1] in vocabulary
        if words[n] in _INSIDE_NAMES and not (followed_by_name or n + 1 == len(words)):
            break  # "Care the shared oversight": the action's "the", not "Cornwall and the Isles of Scilly"
        if not (words[n].rstrip(",") in vocabulary or (words[n] == "The" and followed_by_name)):  # "The Royal"
            break
        n += 1
    if not any(w[:1].isupper() for w in words[:n]) or (n < len(words) and not side_by_side):
        n = 0
    return " ".join(words[:n]), " ".join(words[n:])


# --- context -------------------------------------------------------------------------------

_CONTEXT = re.compile(
    r"\b(leadership|appoint\w*|director|chief executive|place[- ]based|place lead|interim|in post|"
    r"alternative provision|\bAP\b)",
    re.I,
)


def context(text: str) -> list[str]:
    """Sentences about leadership changes, place-based leads and alternative provision."""
    sentences = re.split(r"(?<=[.])\s+(?=[A-Z])", " ".join(text.split()))
    return [s for s in sentences if _CONTEXT.search(s) and "jointly responsible" not in s]
