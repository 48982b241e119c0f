"""The text layer on real reports of each format, and its refusals of files that are not reports."""

from __future__ import annotations

import codecs
import zlib
from pathlib import Path

import pytest
from conftest import BAD, EXAMPLES

from ofsted_kg.errors import ReportError
from ofsted_kg.loaders import load_report
from ofsted_kg.loaders.text import BULLET, MAX_PAGE_CHARS, read_document

PDF = EXAMPLES / "oldham-2023-08-29.pdf"


def test_pdf_text_has_no_running_headers_or_page_numbers() -> None:
    doc = read_document(PDF)
    assert doc.source_format == "pdf"
    assert doc.page_count >= 6
    assert not any(line.startswith("Area SEND inspection report:") for line in doc.lines)
    assert not any(line.strip().isdigit() for line in doc.lines)
    assert doc.lines[0].startswith("Local area partnership report") or "Area SEND inspection" in doc.text[:200]


def test_pdf_bullets_and_quotes_are_normalised() -> None:
    doc = read_document(PDF)
    assert any(line.startswith(BULLET + " ") for line in doc.lines)
    assert "\u2019" not in doc.text and "\u25fc" not in doc.text and "\ufffe" not in doc.text
    assert "\r" not in doc.text


def test_page_map_points_at_the_page_a_heading_is_on() -> None:
    doc = read_document(PDF)
    heading = doc.text.index("What is it like to be a child or young person with SEND in this area?")
    later = doc.text.index("Local area partnership details")
    assert 1 <= doc.page_of(heading) < doc.page_of(later) <= doc.page_count
    assert doc.page_of(0) == 1


@pytest.mark.parametrize("name", ["bolton-area-send-2024.md", "bury-area-send-2024.txt"])
def test_text_conversions_are_read_as_one_page(name: str) -> None:
    doc = read_document(EXAMPLES / name)
    assert doc.page_count == 1
    assert "jointly" in doc.text
    assert doc.source_format == ("markdown" if name.endswith(".md") else "text")


@pytest.mark.parametrize("pdf", [PDF, EXAMPLES / "bury-2021-12-17.pdf"])
def test_a_text_conversion_with_form_feeds_reads_page_by_page_as_its_pdf(tmp_path: Path, pdf: Path) -> None:
    """pdftotext ends each page with a form feed: the pages' running headers and footers go as a PDF's do (they
    became findings, inspectors' names and the ends of texts), and each finding keeps its page."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    pages = [page.get_textpage().get_text_range().replace("\r\n", "\n") for page in document]
    document.close()
    converted = tmp_path / f"{pdf.stem}.txt"
    converted.write_text("\f".join(pages) + "\f", encoding="utf-8")
    (_, from_pdf), (_, from_text) = load_report(pdf), load_report(converted)
    assert read_document(converted).page_count == len(pages)
    scored = ("strength", "weakness", "priority-action", "area-for-improvement")
    for inspection in (from_pdf, from_text):
        inspection.findings = [(f.kind, f.text, f.location.page) for f in inspection.findings if f.kind in scored]
    assert from_text.findings == from_pdf.findings
    assert (from_text.authority_as_printed, from_text.team) == (from_pdf.authority_as_printed, from_pdf.team)


@pytest.mark.parametrize("title", ["Bury Council", "Bury Council - Inspection of children's social care services"])
def test_a_saved_pages_title_is_not_read_into_its_report_title(tmp_path: Path, title: str) -> None:
    """A <title> is the site's label for the page: before the body's own title it ran into it."""
    import html

    pdf = EXAMPLES / "bury-2021-12-17.pdf"
    body = "\n".join(f"<p>{html.escape(line)}</p>" for line in read_document(pdf).lines if line)
    page = tmp_path / "bury.html"
    page.write_text(f"<html><head><title>{html.escape(title)}</title></head><body>\n{body}\n</body></html>")
    assert load_report(page)[1].authority_as_printed == load_report(pdf)[1].authority_as_printed
    assert read_document(page).lines[0] == read_document(pdf).lines[0]


def test_reloading_gives_the_same_digest() -> None:
    assert read_document(PDF).sha256 == read_document(PDF).sha256


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("encrypted.pdf", "encrypted PDF"),
        ("image-only.pdf", "needs OCR"),
        ("no-pages.pdf", "no pages"),
        ("truncated.pdf", "truncated PDF"),
        ("word-document.pdf", "not a PDF but a Word"),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(name: str, reason: str) -> None:
    with pytest.raises(ReportError) as err:
        read_document(BAD / name)
    assert str(err.value).startswith(f"{name}: ")
    assert reason in str(err.value)
    assert "\n" not in str(err.value)


def test_empty_file_is_refused(tmp_path: Path) -> None:
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    with pytest.raises(ReportError, match=r"empty\.pdf: empty file"):
        read_document(empty)


def test_non_utf8_text_falls_back_to_windows_1252(tmp_path: Path) -> None:
    latin = tmp_path / "latin.txt"
    latin.write_bytes(b"Children\x92s services \xe9")
    assert "Children's services" in read_document(latin).text


def test_control_characters_are_no_part_of_a_reports_text(tmp_path: Path) -> None:
    """A text file may hold them (a terminal's colour codes, a stray NUL): nothing a reader sees, and nothing an
    RDF/XML export could carry. The report reads as the same report without them."""
    original = EXAMPLES / "halton-area-send-2023.txt"
    text = original.read_text(encoding="utf-8")
    noisy = tmp_path / "halton.txt"
    noisy.write_text(text.replace(" is ", " \x00is\x1b ").replace("Halton", "Hal\x7fton\x01\uffff"), encoding="utf-8")
    assert read_document(noisy).text == read_document(original).text
    assert load_report(noisy)[1] == load_report(original)[1]  # the inspection; the file differs, and its digest


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
def test_a_utf16_report_reads_as_its_utf8_copy(tmp_path: Path, encoding: str) -> None:
    """Notepad's "Unicode" saves UTF-16 with a byte-order mark; read as Windows-1252 it was a NUL between letters."""
    original = EXAMPLES / "bury-area-send-2024.txt"
    copy = tmp_path / "bury.txt"
    text = original.read_text(encoding="utf-8")
    copy.write_bytes((codecs.BOM_UTF16_BE if encoding == "utf-16-be" else b"") + text.encode(encoding))
    assert read_document(copy).text == read_document(original).text
    assert load_report(copy)[1].local_authority == load_report(original)[1].local_authority


def _pdf_with_one_page_of(text: bytes) -> bytes:
    """A valid PDF whose one page shows `text` in Helvetica, its content compressed as real PDFs' are."""
    shown = b" ".join(b"(%s) Tj" % text[i : i + 10_000] for i in range(0, len(text), 10_000))  # PDFium cuts longer
    content = zlib.compress(b"BT /F1 1 Tf 10 10 Td " + shown + b" ET")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def test_a_page_of_more_text_than_any_report_is_refused_before_it_is_read(tmp_path: Path) -> None:
    """A few kilobytes of compressed PDF can hold a page of millions of characters: gigabytes to read."""
    small = tmp_path / "small.pdf"
    small.write_bytes(_pdf_with_one_page_of(b"Area SEND inspection " * 10))
    assert "Area SEND inspection" in read_document(small).text
    bomb = tmp_path / "bomb.pdf"
    bomb.write_bytes(_pdf_with_one_page_of(b"x" * (MAX_PAGE_CHARS + 1)))
    assert bomb.stat().st_size < 5_000
    with pytest.raises(ReportError, match=f"page 1 holds {MAX_PAGE_CHARS + 1:,} characters"):
        read_document(bomb)


def test_html_page_saved_as_pdf_is_read_as_html() -> None:
    doc = read_document(BAD / "report-not-found.pdf")
    assert doc.source_format == "html" and doc.misnamed
    assert "Report not found" in doc.text
    assert "<div" not in doc.text
