"""Dates and date ranges as reports write them.

"17 to 21 June 2024", "28 February to 4 March 2022", "29 October 2018 to
9 November 2018", "4 June 2018–28 June 2018", "02 March 2020", and split
fieldwork "5 to 9 December 2022 and 14 to 15 February 2023", "5 to 9 December
and 12 to 16 December 2022" or "9 to 13 and 23 to 27 January 2023" (first day
to last day). A range that cannot be read gives None: a value is never invented.
"""

from __future__ import annotations

import re
from datetime import date

MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for m in names
}
_MONTH = r"(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")"
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
_DATE = re.compile(rf"{_DAY}\s+({_MONTH})\.?\s+(\d{{4}})", re.I)
_PART = re.compile(rf"{_DAY}(?:\s+({_MONTH})\.?)?(?:\s+(\d{{4}}))?", re.I)
_SEP = r"\s*(?:to|until|-|–|—|and)\s*"
RANGE = re.compile(
    rf"(?P<a>{_DAY}(?:\s+{_MONTH}\.?)?(?:\s+\d{{4}})?){_SEP}(?P<b>{_DAY}\s+{_MONTH}\.?\s+\d{{4}})",
    re.I,
)
# The first part of split fieldwork that takes its year, or month and year, from the part after it:
# "5 to 9 December and ", "9 to 13 and ".
_OPEN_RANGE = re.compile(
    rf"(?P<a>{_DAY}(?:\s+{_MONTH}\.?)?){_SEP}(?P<b>{_DAY}(?:\s+{_MONTH})?)\.?\s*(?:and|,)\s*$", re.I
)
_OPEN_END = re.compile(rf"{_SEP}$", re.I)


def parse_date(text: str) -> date | None:
    """The first full date (day month year) in the text."""
    m = _DATE.search(text)
    return _make(m.group(1), m.group(2), m.group(3)) if m else None


def parse_range(text: str) -> tuple[date | None, date | None]:
    """First and last day of the dates in the text; a single date gives (d, d)."""
    ranges = list(RANGE.finditer(text))
    if ranges:
        start, _ = _range(ranges[0])
        _, end = _range(ranges[-1])
        opening = _OPEN_RANGE.search(text[: ranges[0].start()])
        opening_end = _starting(opening.group("b"), start) if opening and start else None
        if opening_end:
            start = _starting(opening.group("a"), opening_end) or start
        return start, end
    single = parse_date(text)
    return single, single


def dates_at(lines: list[str], index: int, text: str) -> tuple[date | None, date | None]:
    """As `parse_range` of `text` (line `index`, or what follows a label on it). When it holds no whole range
    or date, it is read with the next line that has text: a range wraps there ("10 to" / "14 June 2019"), and a
    conversion may set the dates a blank line below their label."""
    start, end = parse_range(text)
    if start is not None and not _OPEN_END.search(text):
        return start, end
    following = next((line for line in lines[index + 1 : index + 3] if line.strip()), "")
    return parse_range(f"{text} {following}")


def _range(m: re.Match[str]) -> tuple[date | None, date | None]:
    end_match = _DATE.search(m.group("b"))
    if not end_match:
        return None, None
    end = _make(*end_match.groups())
    return (_starting(m.group("a"), end) if end else None), end


def _starting(text: str, end: date) -> date | None:
    """The first day of a range that ends on `end`, from "5", "5 May" or "5 May 2020" (month and year from
    the end when they are not written)."""
    part = _PART.match(text)
    if not part:
        return None
    day, month, year = part.group(1), part.group(2), part.group(3)
    month_no = MONTHS[month.lower()] if month else end.month
    year_no = int(year) if year else end.year
    if not year and month_no > end.month:
        year_no -= 1  # "28 December to 3 January 2020"
    try:
        return date(year_no, month_no, int(day))
    except ValueError:
        return None


def _make(day: str, month: str, year: str) -> date | None:
    try:
        return date(int(year), MONTHS[month.lower().rstrip(".")], int(day))
    except (ValueError, KeyError):
        return None
