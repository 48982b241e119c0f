"""Inspections of local authority children's services: ILACS (2018 on), SIF (2013-18), LAC (2012-13).

The three eras share one skeleton, so one parser reads them all by structure:

- a title block naming the authority ("London Borough of Bexley / Inspection of
  children's social care services", "Inspection of Royal Borough of Greenwich
  local authority children's services"), the fieldwork dates, the lead inspector;
- a table of graded judgements at the top (ILACS: label then grade, labels
  wrapped over lines; SIF: numbered rows with sub-judgements 2.1 and 2.2, and
  the LSCB review stated as a sentence);
- a list of what needs to improve (ILACS bullets; SIF numbered recommendations,
  or "Priority and immediate action" and "Areas for improvement" lists), a SIF
  list of strengths, and one section per judgement of numbered paragraphs;
- SIF reports close with the whole inspection team, one role per line.

Labels and headings are matched on the report's own words, never on a line's
position, so a table broken differently or a section that moved still reads.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise

from ..records import FAILING_KINDS, EarlierGrade, Finding, Inspection, Judgement, TeamMember
from ..reference import Authority, find_authority, resolve_authority
from .blocks import full_width, join_lines, line_offsets, lines_location
from .dates import dates_at, parse_date
from .names import HONOURS, is_name, is_name_part
from .text import BULLET, Document, head_text

GRADE = r"(outstanding|good|requires?\s+improvement(?:\s+to\s+be\s+good)?|adequate|inadequate)"
_GRADE_END = re.compile(rf"\b{GRADE}\W*\d?\W*$", re.I)
_HEAD_LINES = 45
_TABLE_ROW_END = re.compile(r"\b(outstanding|good|improvement|inadequate|adequate)\d?$", re.I)

# ---------------------------------------------------------------- plain lines


def plain_lines(doc: Document) -> list[str]:
    """The document's lines without Markdown marks, index for index, so one matcher reads PDF and Markdown alike.
    A conversion to plain text marks its bullets as Markdown does ("- "); a PDF's text layer has "•" already."""
    if doc.source_format == "markdown":
        lines = [_unmark(line) for line in doc.lines]
    elif doc.source_format == "text":
        lines = [_DASH_BULLET.sub(f"{BULLET} ", line) for line in doc.lines]
    else:
        lines = list(doc.lines)
    return _numbers_with_their_text(lines)


_DASH_BULLET = re.compile(r"^[-*+]\s+")


_NUMBER_ALONE = re.compile(r"^\d{1,3}\.$")


def _numbers_with_their_text(lines: list[str]) -> list[str]:
    """A paragraph number printed on a line of its own ("19." in a column beside the text, as some conversions
    lay it out) is set before its paragraph's first line, which is left blank, so indexes still match the
    document's lines. Missed, one number stops the numbering of every paragraph after it."""
    lines = list(lines)
    for i, line in enumerate(lines):
        if _NUMBER_ALONE.match(line):
            following = next((j for j in range(i + 1, min(i + 3, len(lines))) if lines[j]), None)
            if following is not None and not _NUMBER_ALONE.match(lines[following]) and lines[following][0].isupper():
                lines[i], lines[following] = f"{line} {lines[following]}", ""
    return lines


def _unmark(line: str) -> str:
    line = re.sub(r"</?b>", "", line)
    if line.startswith("|"):
        cells = [c.strip() for c in line.strip("|").split("|")]
        return "" if all(set(c) <= set("-: ") for c in cells) else " ".join(c for c in cells if c)
    if _DASH_BULLET.match(line):
        return _DASH_BULLET.sub(f"{BULLET} ", line)
    return line.lstrip("#").strip().strip("*").strip()


# ------------------------------------------------------------------- entry


def parse(doc: Document, kind: str) -> Inspection:
    """Read one children's services report into an Inspection (kind from `detect`)."""
    lines = plain_lines(doc)
    head = head_text(lines, _HEAD_LINES)
    start, end = fieldwork(lines)
    published = _published(lines)
    printed = authority_as_printed(lines)
    on_date = (published or end or start).isoformat() if (published or end or start) else None
    authority = _authority(printed, head, on_date)
    judgements = judgements_of(lines, kind)
    overall = next((j.grade for j in judgements if j.area == "overall"), None)
    return Inspection(
        inspection_type=kind,
        local_authority=authority.name if authority else printed,
        authority_as_printed=printed,
        la_code=authority.la_code if authority else None,
        start_date=start,
        end_date=end,
        published=published,
        outcome=overall,
        variant=_variant(lines),
        team=team_of(lines),
        judgements=judgements,
        earlier_grades=earlier_grades(lines),
        findings=findings_of(doc, lines),
    )


# ------------------------------------------------------- title, dates, authority

_DATES_LINE = re.compile(r"^\W*inspection dates?\W", re.I)
_TITLE = re.compile(r"\b(?:re-?)?inspection of\b", re.I)
_ILACS_TITLE = re.compile(r"inspection of (.+?) local authority children's services", re.I)


def fieldwork(lines: list[str]) -> tuple[date | None, date | None]:
    """First and last day of fieldwork from the "Inspection date(s):" line; the header is the authority."""
    for i, line in enumerate(lines[:_HEAD_LINES]):
        if _DATES_LINE.match(line):
            return dates_at(lines, i, line)
    return None, None


def _published(lines: list[str]) -> date | None:
    for line in lines[:_HEAD_LINES]:
        if re.match(r"^\W*report published\W", line, re.I):
            return parse_date(line)
    return None


def authority_as_printed(lines: list[str]) -> str:
    """The council's name as the title prints it: before the title (2013-19) or inside it (2019 on)."""
    title_lines: list[str] = []
    for line in lines[:12]:
        if _DATES_LINE.match(line):
            break
        if line:
            title_lines.append(line)
    title = " ".join(title_lines)
    named = _ILACS_TITLE.search(title)
    if named:
        return " ".join(named.group(1).split())
    before = _TITLE.split(title, maxsplit=1)[0]
    return " ".join(before.split())


def _authority(printed: str, head: str, on_date: str | None) -> Authority | None:
    auth = resolve_authority(printed, on_date) if printed else None
    if auth:
        return auth
    found = find_authority(printed) or find_authority(head)
    return resolve_authority(found.name, on_date) or found if found else None


def _variant(lines: list[str]) -> str | None:
    title = " ".join(lines[:8])
    if re.search(r"\bre-?inspection of\b", title, re.I):
        return "re-inspection"
    stated = re.search(r"\b(standard|short) inspection\b", " ".join(lines[:_HEAD_LINES]), re.I)
    return stated.group(1).lower() if stated else None


# -------------------------------------------------------------- judgements

# Labels of the judgements table, longest first within an area.
_TABLE_LABELS: list[tuple[str, tuple[str, ...]]] = [
    ("care_leavers", ("experiences and progress of care leavers",)),
    (
        "children_in_care",
        ("children in care and care leavers", "children in care", "children looked after and achieving permanence"),
    ),
    ("help_and_protection", ("children who need help and protection",)),
    (
        "leadership",
        (
            "impact of leaders on social work practice with children and families",
            "leadership, management and governance",
            "leadership and management",
        ),
    ),
    ("adoption", ("adoption performance",)),
    ("overall", ("overall effectiveness",)),
]
_GRADE_NC = GRADE.replace("(", "(?:", 1)
_SIF_OVERALL = [
    re.compile(rf"overall judgement is (?:that )?(?:children's services )?(?:are |is )?{GRADE}", re.I),
    re.compile(rf"children's services in [^.]{{1,60}}? (?:are |is )?{GRADE}", re.I),
]
_LSCB = re.compile(
    rf"^the (?:effectiveness of the )?(?:local safeguarding children board|lscb)(?: \(lscb\))? "
    rf"(?:is |are )?{GRADE}",
    re.I,
)


def grade_of(text: str) -> str:
    """A grade as printed -> outstanding|good|requires-improvement|adequate|inadequate."""
    text = " ".join(text.lower().split())
    return "requires-improvement" if text.startswith("require") else text


def judgements_of(lines: list[str], kind: str) -> list[Judgement]:
    """Every graded judgement: the table at the top, the SIF overall sentence, and the LSCB review."""
    head = head_text(lines, _HEAD_LINES)
    found: dict[str, Judgement] = {}
    for area, labels in _TABLE_LABELS:
        row = next(filter(None, (_table_row(head, label) for label in labels)), None)
        if row:
            found[area] = Judgement(area, grade_of(row[1]), row[0])
    if "overall" not in found and kind != "ilacs":  # ILACS from April 2026 have no overall judgement
        for pattern in _SIF_OVERALL:
            m = pattern.search(head)
            if m:
                found["overall"] = Judgement("overall", grade_of(m.group(1)), "Overall effectiveness")
                break
    lscb = _lscb_judgement(lines)
    if lscb:
        found["lscb"] = lscb
    order = [area for area, _ in _TABLE_LABELS] + ["lscb"]
    return sorted(found.values(), key=lambda j: order.index(j.area))


def _table_row(head: str, label: str) -> tuple[str, str] | None:
    """(label, grade) of one table row; the grade may follow the label (past the column's "Grade" header, where
    the first row reads into it) or break into it mid-label. A conversion that keeps the page's layout sets the
    grade beside the row's first line: before the rest of the label ("The experiences and progress of   Good" /
    "children in care"), or around it ("Requires" / "1. Children who need help and protection" / "improvement")."""
    loose = rf"\s+(?:{_GRADE_NC}\s+)?".join(re.escape(word) for word in label.split())
    before = (
        rf"\bprogress of\s+(?P<before>{_GRADE_NC})\s+|"
        r"\b(?P<requires>requires?(?:\s+improvement)?)\s+(?:[\d.]+\s+)?"  # the row's number may stand between
    )
    after = rf"(?P<after>{_GRADE_NC})|(?P<rest>improvement(?:\s+to\s+be\s+good)?|to\s+be\s+good)\b"
    for m in re.finditer(rf"(?:{before})?(?P<label>{loose})(?:\W{{0,3}}\s*(?:grade\s+)?(?:{after}))?", head, re.I):
        inside = re.search(GRADE, m.group("label"), re.I)
        split = "requires improvement" if m.group("requires") and m.group("rest") else None
        grade = m.group("after") or (inside.group(1) if inside else None) or m.group("before") or split
        if grade:
            return label[0].upper() + label[1:], grade
    return None


def _lscb_judgement(lines: list[str]) -> Judgement | None:
    for i, line in enumerate(lines):
        if not line.lower().startswith("the "):
            continue
        m = _LSCB.match(" ".join(lines[i : i + 3]))
        if m:
            return Judgement("lscb", grade_of(m.group(1)), "The effectiveness of the Local Safeguarding Children Board")
    return None


# -------------------------------------------------------------- earlier grades

_EARLIER = re.compile(
    rf"\b(?:judged|rated|found|graded)(?: overall)?(?: to be| as)?(?: being)? {GRADE}|"
    rf"\b(?:local authority|services?) (?:was|were) (?:judged )?(?:to be )?{GRADE}",
    re.I,
)
# Every match of _EARLIER starts with one of the leads and ends in one of the grade words. Searching
# with it costs ~30 ns a character, so a sentence without both is skipped; only an ASCII one, where
# str.lower folds case exactly as re.IGNORECASE does.
_EARLIER_LEADS = ("judged", "rated", "found", "graded", "local authority", "service")
_GRADE_WORDS = ("outstanding", "good", "improvement", "adequate")
# A sentence's stop and the space after it. Matching the stop rather than looking behind for it is
# five times faster over a report; the stop stays with its sentence (see _sentences).
_SENTENCE_BREAK = re.compile(r"[.!?]\s+(?=[A-Z•])")
_OTHER_PROVIDERS = re.compile(r"\b(homes?|schools?|settings?|agency|agencies|providers?)\b", re.I)
_INSPECTION = re.compile(r"inspection", re.I)
_CONTEXT_EDGES = re.compile(r"^•\s*|\s+\d{1,3}\.$")
_EARLIER_INSPECTION = re.compile(r"\b(last|previous|earlier|since the|at the) [\w' ]*inspection", re.I)
_YEAR = re.compile(r"\b(19|20)\d{2}\b")


def earlier_grades(lines: list[str]) -> list[EarlierGrade]:
    """Earlier grades the report quotes ("since the last inspection in 2019, when ... judged inadequate")."""
    text = " ".join(line for line in lines[_table_end(lines) :] if line)
    result: list[EarlierGrade] = []
    sentences = _sentences(text)
    for previous, sentence in pairwise(["", *sentences]):
        m = _EARLIER.search(sentence) if _may_quote_grade(sentence) else None
        if not m or _OTHER_PROVIDERS.search(sentence):
            continue
        context = sentence if _INSPECTION.search(sentence) else f"{previous} {sentence}"
        context = _CONTEXT_EDGES.sub("", context.strip())
        if not _EARLIER_INSPECTION.search(context):
            continue
        year = _YEAR.search(context)
        result.append(EarlierGrade(grade_of(m.group(1) or m.group(2)), int(year.group()) if year else None, context))
    return result


def _sentences(text: str) -> list[str]:
    """The text cut after each sentence's stop, the space between dropped."""
    sentences, start = [], 0
    for stop in _SENTENCE_BREAK.finditer(text):
        sentences.append(text[start : stop.start() + 1])
        start = stop.end()
    sentences.append(text[start:])
    return sentences


def _may_quote_grade(sentence: str) -> bool:
    if not sentence.isascii():
        return True
    lower = sentence.lower()
    return any(word in lower for word in _GRADE_WORDS) and any(word in lower for word in _EARLIER_LEADS)


def _table_end(lines: list[str]) -> int:
    """The line after the judgements table: the last short line ending in a grade before the prose that follows
    the table (a short report's first section heading, "...protection: good", is not a row of it)."""
    end = 0
    for i, line in enumerate(lines[:_HEAD_LINES]):
        if end and len(line) >= _PROSE:
            break
        if len(line) < _PROSE and _TABLE_ROW_END.search(line):
            end = i + 1
    return end


_PROSE = 60  # characters: a line this long is a paragraph's, not a table cell's


# -------------------------------------------------------------------- team

_ROLE_LINE = re.compile(r"^([A-Z][A-Za-z ]{2,40}?):\s*(.*)$")
_TITLES = re.compile(
    r"\((?:[^)]*)\)|\b(?:acting )?senior (?:hmi|her majesty's inspector|his majesty's inspector)\b|"
    r"\b(?:her|his) majesty's inspectors?\b|\bofsted inspectors?\b|\bregulatory inspection manager\b|"
    r"\b(?:s?hmi|ai|oi)\b|^(?:mr|mrs|ms|miss|dr)\.? ",
    re.I,
)
_LEAD_INSPECTOR = re.compile(r"^lead inspectors?\s*:", re.I)


def team_of(lines: list[str]) -> list[TeamMember]:
    """The inspectors: every role line of the team list that names inspectors, each person once."""
    team: list[TeamMember] = []
    seen: set[str] = set()
    for role, names in _role_entries(lines):
        if "inspector" not in role.lower():
            continue  # quality assurance managers and data analysts are not inspectors
        lead = role.lower().startswith("lead inspector")
        for name in names:
            if name.lower() not in seen:
                seen.add(name.lower())
                team.append(TeamMember(name=name, inspectorate="Ofsted", lead=lead, role=role))
    return team


def _role_entries(lines: list[str]) -> Iterator[tuple[str, list[str]]]:
    """(role, names) for each role line from the first "Lead inspector:" on, with wrapped name lists."""
    start = next((i for i, line in enumerate(lines) if _LEAD_INSPECTOR.match(line)), None)
    if start is None:
        return
    i = start
    while i < len(lines):
        m = _ROLE_LINE.match(lines[i])
        if not m:
            break
        role, value = m.group(1).strip(), m.group(2)
        i += 1
        while i < len(lines) and not _ROLE_LINE.match(lines[i]) and _continues_names(role, value, lines[i]):
            value = f"{value} {lines[i]}"
            i += 1
        yield role, _names(value)
        while i < len(lines) and not lines[i]:
            i += 1


# A list closed by a plural title ("A and B, His Majesty's Inspectors") or a full stop. A singular title
# does not close it: a column of "Name, HMI" lines carries one on every line.
_LIST_ENDED = re.compile(r"(?:\binspectors|\.)\s*$", re.I)


def _continues_names(role: str, value: str, line: str) -> bool:
    """Does this line carry on the role's list of names (a wrapped list, or the lead's title line)?"""
    if not line or len(line) > 100:
        return False
    line = re.sub(r"^[^()]*\)", "", line)  # the end of a parenthesis opened on the line above
    tokens = _split_names(line)
    if all(not t for t in tokens):
        return True  # a title alone: "Her Majesty's Inspector"
    ended = _LIST_ENDED.search(value)
    listed = not ended and (role.lower().endswith("s") or not value.strip() or value.rstrip().endswith((",", " and")))
    return listed and all(not t or is_name_part(t.split()) for t in tokens)


def _split_names(text: str) -> list[str]:
    text = re.sub(r"(\w)- (\w)", r"\1-\2", text)  # "Thomson- Jones" broken at a hyphen
    parts = re.split(r",|\band\b", HONOURS.sub("", text))
    return [" ".join(_TITLES.sub(" ", part).split()).strip(" .,") for part in parts]


def _names(value: str) -> list[str]:
    return [name for name in _split_names(value) if is_name(name.split())]


# ---------------------------------------------------------------- findings

_IMPROVE = re.compile(
    r"^(what needs to improve\??(?: in this local authority\??)?|what does the local authority need to improve\??)$",
    re.I,
)
_SUBLISTS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^priority and immediate actions?:?$", re.I), "priority-action"),
    (re.compile(r"^areas for improvement:?$", re.I), "area-for-improvement"),
    (re.compile(r"^recommendations:?$", re.I), "weakness"),
]
_STRENGTHS = re.compile(r"^(the local authority'?s strengths|the local authority has the following strengths):?$", re.I)
_JUDGEMENT_HEADING = re.compile(
    r"^(the )?(experiences? and progress of|impact of leaders)|^leadership, management and|"
    r"^the graded judge?ment (for|about)|^the (effectiveness of the )?(local safeguarding children board|lscb)\b",
    re.I,
)
_TERMINAL = re.compile(
    r"^(information about this (inspection|local authority area)|what the inspection judgements? means?|"
    r"summary for children and young people|progress since the last inspection|summary of (key )?findings|"
    r"executive summary|contents|the office for standards in education|any complaints about|"
    r"section \d+\s*:|the local safeguarding children board \(lscb\)$|what does the lscb need to improve)",
    re.I,
)
_NUMBERED = re.compile(r"^(\d{1,3})\.(?!\d)(?:\s*\S|$)")  # "16." alone: its text follows on the lines below
_NONE = re.compile(r"^(the inspection|inspectors) did not (find|identify) any\b|^there (are|were) no\b|^none\b", re.I)


@dataclass
class _Section:
    kind: str  # finding kind of its items
    title: str
    numbered_only: bool = False  # judgement sections: bullets belong to the paragraph above
    lists: bool = True  # improve and strengths lists end at an unrelated heading
    items: list[tuple[int, int]] = field(default_factory=list)  # (first line, last line)


def findings_of(doc: Document, lines: list[str]) -> list[Finding]:
    """What needs to improve, strengths, and the numbered paragraphs of each judgement section."""
    offsets = line_offsets(doc)
    findings: list[Finding] = []
    for section in _sections(doc, lines):
        texts = [(_item_text(lines[first : last + 1]), first, last) for first, last in section.items]
        if section.lists:
            texts = [t for t in texts if not _NONE.match(t[0])]
        for order, (text, first, last) in enumerate(texts, start=1):
            where = lines_location(doc, offsets, first, last)
            findings.append(Finding(section.kind, section.title, order, text, where))
    return findings


_ITEM_MARK = re.compile(rf"^(\d{{1,3}}\.|{BULLET})\s*")


def _item_text(lines: list[str]) -> str:
    """An item's text without its number or bullet mark."""
    return _ITEM_MARK.sub("", join_lines(lines))


def _sections(doc: Document, lines: list[str]) -> list[_Section]:
    """Walk the report once, opening a section at each heading it knows and collecting its items."""
    width = full_width(doc)
    sections: list[_Section] = []
    current: _Section | None = None
    in_item = False  # whether the current section's last item is still open
    last_number = 0
    at_break = True  # whether a sentence or a heading ended on the line above: where a paragraph may begin
    i = 0
    while i < len(lines):
        line = lines[i]
        number = _next_number(line, last_number, at_break)
        bullet = line.startswith(BULLET) and current is not None and not current.numbered_only
        if number or bullet:
            last_number = number or last_number
            if current is not None:
                current.numbered_only = current.numbered_only or (bool(number) and not current.items)
                current.items.append((i, i))
            in_item = current is not None
            at_break = line.endswith(_SENTENCE_ENDS)
        elif heading := _judgement_heading(lines, i):
            current, in_item = _Section("narrative", heading[0], numbered_only=True, lists=False), False
            sections.append(current)
            i, at_break = heading[1], True
            continue
        elif opened := _list_heading(line, sections, current):
            current, in_item, at_break = opened, False, True
            sections.append(current)
        elif _TERMINAL.match(line):
            current, in_item, at_break = None, False, True
        elif _is_heading(doc, lines, i, width):
            in_item, at_break = False, True
            if current and current.lists and not _list_follows(lines, i + 1):
                current = None
        elif line:
            if in_item and current is not None:
                current.items[-1] = (current.items[-1][0], i)
            at_break = line.endswith(_SENTENCE_ENDS)
        i += 1
    return [s for s in sections if s.items]


def _next_number(line: str, last_number: int, at_break: bool) -> int | None:
    """The number of the item this line opens: the next number, or 1 for a list of its own. A number up to
    two further on opens one too when it starts a sentence after a finished one or a heading: the paragraph
    between lost its number in the text (joined to the line above, misread), and without this one missing
    number would join every paragraph after it to the one before. A sentence wrapped before a number ("aged
    18 to" / "25. Their") has neither above it."""
    numbered = _NUMBERED.match(line)
    if not numbered:
        return None
    number = int(numbered.group(1))
    if number in (1, last_number + 1):
        return number
    skipped = last_number + 1 < number <= last_number + 3
    starts_sentence = line[numbered.end(1) + 1 :].lstrip(_SPACE_AND_QUOTES)[:1].isupper()
    return number if skipped and starts_sentence and at_break else None


# A sentence's end, and a paragraph's that closes on its reference ("(Recommendation)", "(Paragraph 109)"); a
# quotation may end a sentence and open one. The text layer has made every quote straight.
_SENTENCE_ENDS = (".", "?", "!", ":", ")", '"', "'")
_SPACE_AND_QUOTES = " '\""


def _list_heading(line: str, sections: list[_Section], current: _Section | None) -> _Section | None:
    """A new list section at an improve, sub-list or strengths heading; None for any other line."""
    if _IMPROVE.match(line) and not _improve_read(sections):
        title = line.rstrip("?").strip()
        return _Section("weakness", title)
    if _STRENGTHS.match(line):
        return _Section("strength", line.rstrip(":"))
    for pattern, kind in _SUBLISTS:
        if pattern.match(line):
            inside_improve = current is not None and current.kind in FAILING_KINDS
            if inside_improve or (kind == "weakness" and not _improve_read(sections)):
                return _Section(kind, line.rstrip(":"))
    return None


def _improve_read(sections: list[_Section]) -> bool:
    """Whether what needs to improve has been read: a heading with items under it, not an entry in the contents
    (a text conversion puts each entry's page number on a line of its own, so the entry reads as a heading)."""
    return any(s.kind in FAILING_KINDS and s.items for s in sections)


def _judgement_heading(lines: list[str], i: int) -> tuple[str, int] | None:
    """(heading, next line) where a judgement section's heading, ending in its grade, starts at line i."""
    if not _JUDGEMENT_HEADING.match(lines[i]):
        return None
    parts: list[str] = []
    for j in range(i, min(i + 6, len(lines))):
        if not lines[j]:
            continue  # a text conversion may set the grade apart ("...help and protection", "", "Good")
        parts.append(lines[j])
        joined = " ".join(parts)
        if len(joined) > 160:
            return None
        if _GRADE_END.search(joined):
            return joined.rstrip(" .*"), j + 1
    return None


_CLAUSE_END = re.compile(r"[.,;]\d?$")
_STATEMENT_END = re.compile(r"[.:;!?)\"']\d?$")


def _is_heading(doc: Document, lines: list[str], i: int, width: int) -> bool:
    """A line that ends no sentence and follows one that does: a subheading inside a section. It is
    shorter than a full line, or, right above an item, at most as long (a long subheading such as
    "Children and young people's participation and access to information")."""
    line = lines[i]
    if doc.source_format == "markdown" and doc.lines[i].startswith("#"):
        return True
    if not line or not line[0].isupper() or _CLAUSE_END.search(line):
        return False
    if len(line) >= (width if _item_starts(lines, i + 1) else 0.8 * width):
        return False
    previous = next((lines[j] for j in range(i - 1, -1, -1) if lines[j]), "")
    return bool(_STATEMENT_END.search(previous)) or not previous


def _item_starts(lines: list[str], i: int) -> bool:
    """Is the next line with text a numbered or bulleted item?"""
    return _is_item(next((line for line in lines[i:] if line), ""))


def _list_follows(lines: list[str], i: int) -> bool:
    """Does a numbered or bulleted item follow within a few lines (past subheadings), so the list carries on?"""
    return any(_is_item(line) for line in lines[i : i + 4])


def _is_item(line: str) -> bool:
    return bool(_NUMBERED.match(line)) or line.startswith(BULLET)
