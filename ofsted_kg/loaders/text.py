"""Turn a report file (PDF, HTML, Markdown or plain text) into clean text with a page map.

Everything downstream parses one normalised form: lines separated by "\\n",
bullets as "•", straight quotes, no page headers, footers or page numbers. The
page map keeps each page's start offset so a finding can always be traced back
to the page it stands on.

Files that cannot be read are refused here with a `ReportError` whose reason
says what is wrong in words a user understands (encrypted, truncated, an HTML
page saved as .pdf, a PDF without a text layer, ...).
"""

from __future__ import annotations

import bisect
import codecs
import hashlib
import html
import itertools
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from ..errors import ReportError, reason

MAX_BYTES = 100 * 1024 * 1024  # the largest real report is a few MB; refuse before reading
# The densest page of the corpus holds 3,732 characters. A small PDF can still hold pages of millions
# (compressed text), which would take gigabytes to read: counted before the text is read, and refused.
MAX_PAGE_CHARS = 100_000
BULLET = "•"
_BULLET_CHARS = "\uf06e\uf02d\uf0be\uf0a7\uf0b7\uf076\uf0d8\uf0fc\u25fc\u25aa\u25a0\u25cf\u2022\u25e6\u2023\u2043\u25ba"
_BULLET_RE = re.compile(rf"^[ \t]*[{_BULLET_CHARS}][ \t]*", re.MULTILINE)  # at the start of any line
_SPACE_RUN = re.compile(r"[ ]{2,}")
_DIGITS = re.compile(r"\d+")
_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00a0": " ",
        "\u202f": " ",
        "\u2009": " ",
        "\u2002": " ",
        "\u2003": " ",
        "\ufffe": "-",  # pdfium's mark for a hyphen at a line break inside a compound word
        "\u00ad": "",
        "\x02": "-",
        "\u2212": "-",
        "\t": " ",
        "\f": "\n",
        "\v": " ",
    }
)
# The other control characters, and the noncharacter U+FFFF: nothing a reader sees, and nothing XML 1.0 can
# hold (an RDF/XML export of the text would be refused). A text file, or a page's text layer, may still hold them.
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\uffff]")
_MAGIC = {
    b"PK\x03\x04": "a Word, zip or other Office Open XML file",
    b"\xd0\xcf\x11\xe0": "an old-style Microsoft Office document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
}


@dataclass
class Document:
    """A report's clean text, with the offset at which each page starts."""

    path: Path
    text: str
    page_starts: list[int]
    sha256: str
    source_format: str  # pdf, html, markdown, text
    misnamed: bool = False  # e.g. an HTML page saved under a .pdf name
    # Lines after which a PDF page leaves a paragraph's space (indexes into `lines`): the text layer has no
    # paragraph marks, so a paragraph whose last line is full would otherwise run into the next.
    paragraph_ends: frozenset[int] = frozenset()
    lines: list[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.lines = self.text.split("\n")

    @property
    def page_count(self) -> int:
        return len(self.page_starts)

    def page_of(self, offset: int) -> int:
        """The 1-based page holding the character at this offset."""
        return max(1, bisect.bisect_right(self.page_starts, offset))


def read_document(path: Path) -> Document:
    """Read a report file of any supported format into a clean `Document`."""
    data = _read_bytes(path)
    digest = hashlib.sha256(data).hexdigest()
    head = data[:1024].lstrip()
    suffix = path.suffix.lower()
    ends: list[set[int]] | None = None
    if head.startswith(b"%PDF-"):
        pages, ends = _pdf_pages(path, data)
        fmt = "pdf"
    elif _looks_like_html(head):
        pages = [_html_text(_decode(path, data))]
        fmt = "html"
    elif suffix == ".pdf":
        raise ReportError(path, _not_a_pdf_reason(data))
    elif any(head.startswith(m) for m in _MAGIC):
        raise ReportError(path, f"not a report text: {_not_a_pdf_reason(data)}")
    elif suffix in (".md", ".markdown"):
        pages = _text_pages(_markdown_headings(_decode(path, data)))
        fmt = "markdown"
    else:
        pages = _text_pages(_decode(path, data))
        fmt = "text"
    text, starts, paragraph_ends = _assemble(pages, ends)
    if not text.strip():
        raise ReportError(path, "contains no text")
    misnamed = suffix == ".pdf" and fmt != "pdf"
    return Document(path, text, starts, digest, fmt, misnamed=misnamed, paragraph_ends=paragraph_ends)


def _text_pages(text: str) -> list[str]:
    """A text conversion's pages: a form feed ends each page (as pdftotext writes them), so the pages' running
    headers and footers are found and removed as a PDF's are, and findings are placed on their pages."""
    pages = text.split("\f")
    return pages[:-1] if len(pages) > 1 and not pages[-1].strip() else pages


_HTML_HEADING = re.compile(r"^[ \t]*<h([1-6])\b[^>]*>(.*?)</h\1>[ \t]*$", re.IGNORECASE | re.MULTILINE)


def _markdown_headings(text: str) -> str:
    """Markdown may write a heading as HTML (`<h2>Strengths</h2>`, as some converters do): made `## Strengths`,
    so the parsers see the section as they see any other Markdown heading."""
    return _HTML_HEADING.sub(lambda m: "#" * int(m.group(1)) + " " + _html_text(m.group(2)).strip(), text)


def _read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size == 0:
            raise ReportError(path, "empty file (0 bytes)")
        if size > MAX_BYTES:
            mb = 1024 * 1024
            raise ReportError(path, f"too large ({size // mb} MB; the limit is {MAX_BYTES // mb} MB)")
        return path.read_bytes()
    except PermissionError:
        raise ReportError(path, "cannot be read (permission denied)") from None
    except IsADirectoryError:
        raise ReportError(path, "is a folder, not a file") from None
    except FileNotFoundError:
        raise ReportError(path, "no such file") from None
    except OSError as err:
        raise ReportError(path, f"cannot be read ({reason(err)})") from None


def _not_a_pdf_reason(data: bytes) -> str:
    head = data[:1024].lstrip()
    if _looks_like_html(head):
        return "not a PDF but an HTML page saved as .pdf"
    for magic, what in _MAGIC.items():
        if head.startswith(magic):
            return f"not a PDF but {what} saved as .pdf"
    return "not a PDF (the file does not start with %PDF-)"


def _looks_like_html(head: bytes) -> bool:
    lowered = head[:200].lower()
    return lowered.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<html" in lowered


def _decode(path: Path, data: bytes) -> str:
    """UTF-8; UTF-16 when its byte-order mark says so (Notepad's "Unicode"); else Windows-1252."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise ReportError(path, "text starts as UTF-16 but is not") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise ReportError(path, "text is neither UTF-8 nor Windows-1252") from None


def _pdf_pages(path: Path, data: bytes) -> tuple[list[str], list[set[int]]]:
    """Each page's text, and the lines of each page after which it leaves a paragraph's space."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        # PDFium's error codes are sticky across calls, so the reason is read from the bytes
        raise ReportError(path, _unreadable_pdf_reason(data)) from None
    try:
        if len(pdf) == 0:
            raise ReportError(path, "PDF has no pages")
        pages, ends = [], []
        for number, page in enumerate(pdf, 1):
            textpage = page.get_textpage()
            if (chars := textpage.count_chars()) > MAX_PAGE_CHARS:
                raise ReportError(path, f"page {number} holds {chars:,} characters, more than any report page can")
            pages.append(textpage.get_text_range())
            ends.append(_paragraph_ends(textpage, pages[-1]))
            textpage.close()
            page.close()
    except pdfium.PdfiumError as err:
        raise ReportError(path, f"damaged PDF ({err})") from None
    finally:
        pdf.close()
    if not any(p.strip() for p in pages):
        raise ReportError(path, f"PDF has no text layer ({len(pages)} page(s), no text: scanned?); it needs OCR first")
    return pages, ends


_LINE = re.compile(r"([^\r\n]*)(?:\r\n|\r|\n)")
PARAGRAPH_GAP = 1.3  # a step down the page this many times the page's usual line pitch leaves a paragraph's space


def _paragraph_ends(textpage: object, text: str) -> set[int]:
    """The page's lines (numbered as `_normalise_lines` splits them) after which the next line of the same size
    stands lower than the usual line pitch allows. Measured on the corpus: between lines of one paragraph the
    step is the pitch, between paragraphs 1.4 to 2 times it. One character box per line."""
    lines = []  # (line number, baseline, height) of each line with text, from its first character's box
    for number, match in enumerate(_LINE.finditer(text + "\n")):
        raw = match.group(1)
        if raw.strip():
            first = match.start(1) + len(raw) - len(raw.lstrip())
            _, bottom, _, top = textpage.get_charbox(first, loose=True)  # type: ignore[attr-defined]
            lines.append((number, bottom, round(top - bottom, 1)))
    steps = [(a[0], a[1] - b[1]) for a, b in itertools.pairwise(lines) if a[2] == b[2] and a[1] > b[1]]
    if len(steps) < 5:
        return set()
    pitch = statistics.median(step for _, step in steps)
    return {number for number, step in steps if step > PARAGRAPH_GAP * pitch}


def _unreadable_pdf_reason(data: bytes) -> str:
    if b"/Encrypt" in data:
        return "encrypted PDF (password protected); save an unprotected copy"
    if re.search(rb"/Type\s*/Pages\b[^>]*/Count\s+0\b|/Count\s+0\b[^>]*/Type\s*/Pages\b", data):
        return "PDF has no pages"
    if b"%%EOF" not in data[-2048:]:
        return "truncated PDF (it stops before its end-of-file marker); download it again"
    return "damaged PDF (PDFium cannot parse it)"


class _HTMLText(HTMLParser):
    """Collects visible text, one block element per line."""

    _BLOCKS = frozenset(
        ["p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "title", "table", "section", "ul", "ol"]
    )
    _SKIP = frozenset({"script", "style", "head", "noscript", "svg"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0
        self.title: list[str] = []
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "title":
            self._in_title = True
        if tag in self._SKIP:
            self.skipping += 1
        if tag in self._BLOCKS:
            self.parts.append("\n")
        if tag == "li":
            self.parts.append(BULLET + " ")
        if tag in ("td", "th"):
            self.parts.append("\t")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if tag in self._SKIP and self.skipping:
            self.skipping -= 1
        if tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title.append(data)
        if not self.skipping:
            self.parts.append(data)


def _html_text(source: str) -> str:
    parser = _HTMLText()
    parser.feed(source)
    parser.close()
    body = html.unescape("".join(parser.parts))
    # A saved page's <title> is the site's label for it ("Bury Council - Inspection of ..."), which repeats the
    # report's own title or runs into it: read only when the page has no text of its own.
    return body if body.strip() else " ".join("".join(parser.title).split())


def _assemble(pages: list[str], ends: list[set[int]] | None = None) -> tuple[str, list[int], frozenset[int]]:
    """Normalise every page, strip running headers and footers, and join the pages; with the document's line
    numbers of the page lines in `ends` (numbered as each page's text splits into lines)."""
    page_lines = [_normalise_lines(p, e) for p, e in zip(pages, ends or [set()] * len(pages), strict=True)]
    if len(page_lines) > 1:
        page_lines = _strip_running_lines(page_lines)
    text_parts: list[str] = []
    starts: list[int] = []
    paragraph_ends: set[int] = set()
    offset = line = 0
    for lines in page_lines:
        starts.append(offset)
        paragraph_ends.update(line + i for i, page_line in enumerate(lines) if page_line.ends_paragraph)
        chunk = "\n".join(lines)
        if chunk:
            chunk += "\n"
        text_parts.append(chunk)
        offset += len(chunk)
        line += len(lines)
    return "".join(text_parts), starts, frozenset(paragraph_ends)


class _Line(str):
    """A page's line, marked when the page leaves a paragraph's space after it."""

    ends_paragraph = False


# str.translate with a dict looks every character up in Python: 40x slower than one replace per
# character the page holds. Same result, since no replacement contains a character replaced.
_REPLACEMENTS = tuple((chr(code), replacement) for code, replacement in _QUOTES.items())


def _replace_quotes(page: str) -> str:
    for char, replacement in _REPLACEMENTS:
        if char in page:
            page = page.replace(char, replacement)
    return page


def _normalise_lines(page: str, ends: set[int]) -> list[_Line]:
    page = _CONTROLS.sub("", _replace_quotes(page.replace("\r\n", "\n").replace("\r", "\n")))
    # neither pattern matches a newline, so substituting over the page is substituting line by line
    page = _SPACE_RUN.sub(" ", _BULLET_RE.sub(BULLET + " ", page))
    lines = []
    for number, raw in enumerate(page.split("\n")):
        stripped = raw.strip()
        line = _Line(BULLET if stripped.startswith(BULLET) and stripped.rstrip(BULLET + " ") == "" else stripped)
        line.ends_paragraph = number in ends
        lines.append(line)
    # collapse runs of blank lines to one
    out: list[_Line] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return out


def _shape(line: str) -> str:
    """A line with its numbers masked, so "Report: X 17 May 2024 3" matches on every page."""
    return _DIGITS.sub("#", line.lower()).strip()


_PAGE_NUMBER = re.compile(r"^(page\s*)?\d{1,3}(\s*(of|/)\s*\d{1,3})?$", re.IGNORECASE)


_EDGE_LINES = 3  # at the top and at the bottom of a page, where running headers and footers stand


def _strip_running_lines(pages: list[list[_Line]]) -> list[list[_Line]]:
    """Remove lines repeated at the top or bottom of most pages, and bare page numbers. Blank lines are passed
    over, not counted: a text conversion sets its footer apart from the page's text with them."""
    counts: Counter[str] = Counter()
    for lines in pages:
        filled = [line for line in lines if line]
        counts.update({_shape(line) for line in filled[:_EDGE_LINES] + filled[-_EDGE_LINES:]})
    threshold = max(2, (len(pages) + 1) // 2)
    # "#." is a paragraph number alone ("17."): a conversion that sets numbers on lines of their own starts most
    # pages with one, and it belongs to the paragraph below it.
    running = {shape for shape, n in counts.items() if n >= threshold and shape not in ("", "#", "#.")}
    cleaned = []
    for lines in pages:
        lines = lines[_edge_length(lines, running) :]
        cleaned.append(lines[: len(lines) - _edge_length(lines[::-1], running)])
    return cleaned


def _edge_length(lines: list[_Line], running: set[str]) -> int:
    """How many lines from the start are running lines, page numbers or blank (at most _EDGE_LINES + 1 with text)."""
    n = removed = 0
    while n < len(lines) and removed <= _EDGE_LINES:
        if lines[n] and _shape(lines[n]) not in running and not _PAGE_NUMBER.match(lines[n]):
            break
        removed += bool(lines[n])
        n += 1
    return n


def head_text(lines: list[str], count: int) -> str:
    """The title block: the first `count` lines with text, joined, so titles and tables wrapped over lines still
    match. Blank lines are not counted: a conversion that sets one between every row would push a table's last
    rows out of the block."""
    return " ".join(itertools.islice((line for line in lines if line), count))
