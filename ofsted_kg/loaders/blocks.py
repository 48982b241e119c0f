"""Group a document's lines into paragraphs and bullet items.

PDF text arrives as wrapped lines with no paragraph marks. A line ends its
paragraph when it ends a sentence and is visibly shorter than a full line, or
when the page leaves a paragraph's space below it; a bullet always starts a new
item; a blank line (text and Markdown conversions) always ends a block. Lines
from the end of one page and the start of the next join like any others, which mends paragraphs broken across pages.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import accumulate

from ..records import Location
from .text import Document

_SENTENCE_END = re.compile(r"""[.!?:;]["')\]]*$""")


@dataclass
class Block:
    text: str
    bullet: bool
    first_line: int  # index into Document.lines
    last_line: int
    start: int  # character offsets into Document.text
    end: int


def line_offsets(doc: Document) -> list[int]:
    """Start offset of each line of the document."""
    return list(accumulate((len(line) + 1 for line in doc.lines[:-1]), initial=0))


def full_width(doc: Document) -> int:
    """The length of a typical full line, to tell wrapped lines from paragraph ends."""
    lengths = [len(line) for line in doc.lines if len(line) > 40]
    if len(lengths) < 5:
        return 10_000  # text conversions without wrapping: only blank lines end paragraphs
    return int(statistics.quantiles(lengths, n=10)[7])


def blocks(
    doc: Document,
    first: int,
    last: int,
    *,
    markers: re.Pattern[str],
    starts: re.Pattern[str] | None,
    skip: Callable[[str], bool],
) -> list[Block]:
    """The paragraphs and bullet items of lines[first:last].

    `markers` matches the bullet marks at a line's start (the clean text's bullet, and OCR noise such
    as "B " or "®", Markdown "- "); the mark is left out of the item's text.
    `starts` matches lines that open a new paragraph when the line before ends a
    sentence: the text layer keeps no paragraph spacing, so a paragraph whose
    last line is full is otherwise joined with the next. `skip` says which lines
    are not text (a heading printed again as a table's header or after a page
    break): like a blank line, such a line ends the block before it.
    """
    width = full_width(doc)
    offsets = line_offsets(doc)
    result: list[Block] = []
    current: list[int] = []
    bullet = False

    def flush() -> None:
        nonlocal current, bullet
        if current:
            text = join_lines(doc.lines[i] for i in current)
            if bullet:
                text = markers.sub("", text, count=1).strip()
            if text:
                first_line, last_line = current[0], current[-1]
                result.append(Block(text, bullet, first_line, last_line, *span(doc, offsets, first_line, last_line)))
        current, bullet = [], False

    for i in range(first, min(last, len(doc.lines))):
        line = doc.lines[i]
        if not line or skip(line):
            flush()
            continue
        if markers.match(line):
            flush()
            bullet = True
            current.append(i)
            continue
        if current and starts and starts.match(line) and _SENTENCE_END.search(doc.lines[current[-1]]):
            flush()
        current.append(i)
        if _ends_paragraph(line, width, spaced=i in doc.paragraph_ends):
            flush()
    flush()
    return result


def _ends_paragraph(line: str, width: int, spaced: bool) -> bool:
    """A line that ends a sentence ends its paragraph when it is visibly short of a full line, or when the page
    leaves a paragraph's space after it (a PDF's; a paragraph whose last line is full)."""
    return bool(_SENTENCE_END.search(line)) and (spaced or len(line) < 0.85 * width)


def join_lines(lines: Iterable[str]) -> str:
    """Wrapped lines as one paragraph's text."""
    text = ""
    for line in lines:
        line = line.strip()
        if not line:
            continue
        if text.endswith("-") and not text.endswith(" -") and line[:1].isalnum():
            text = text + line  # a word hyphenated across lines keeps its hyphen: co-\nproduced
        else:
            text = f"{text} {line}" if text else line
    return " ".join(text.split())  # runs of whitespace (str.isspace, the same as re's \s) become one space


def location(doc: Document, block: Block) -> Location:
    return Location(page=doc.page_of(block.start), start=block.start, end=block.end)


def span(doc: Document, offsets: list[int], first: int, last: int) -> tuple[int, int]:
    """Where lines first to last (both included) stand in the document's text; `offsets` from `line_offsets`."""
    return offsets[first], offsets[last] + len(doc.lines[last])


def lines_location(doc: Document, offsets: list[int], first: int, last: int) -> Location:
    start, end = span(doc, offsets, first, last)
    return Location(page=doc.page_of(start), start=start, end=end)
