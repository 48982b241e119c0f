"""Measure candidate PDF text libraries on the real corpus: speed and output quality.

    python -m benchmarks.pdf_libraries [CORPUS_DIR]

Speed: median seconds per report on one core, over every PDF (median of
REPEATS passes). Quality, per library, over every report:
- pairs: the two-column "Inspection team" table of area SEND reports keeps
  each Ofsted name on the same line as its CQC neighbour (as printed);
- grades: the ILACS judgement table keeps each label's grade within two
  lines of the label;
- words: share of the reference library's words found (a crude check that no
  text is lost).
"""

from __future__ import annotations

import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPEATS = 3


def pypdfium2_text(path: Path) -> str:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in pdf)
    finally:
        pdf.close()


def pypdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


def pdfminer_text(path: Path) -> str:
    from pdfminer.high_level import extract_text

    return extract_text(str(path))


LIBRARIES: dict[str, Callable[[Path], str]] = {
    "pypdfium2": pypdfium2_text,
    "pypdf": pypdf_text,
    "pdfminer.six": pdfminer_text,
}


def pdfs(corpus: Path) -> list[Path]:
    files = []
    for path in sorted(corpus.rglob("*.pdf")):
        if path.read_bytes()[:5] == b"%PDF-":
            files.append(path)
    return files


def timed(reader: Callable[[Path], str], files: list[Path]) -> tuple[float, dict[Path, str]]:
    passes, texts = [], {}
    for _ in range(REPEATS):
        start = time.perf_counter()
        texts = {path: reader(path) for path in files}
        passes.append((time.perf_counter() - start) / len(files))
    return statistics.median(passes), texts


_TEAM_PAIR = re.compile(r"Ofsted[^\n]*?(HMI|[Ii]nspector)[^\n]*CQC", re.M)


def team_pairs_kept(texts: dict[Path, str]) -> tuple[int, int]:
    """Area SEND reports whose team table keeps Ofsted and CQC members on shared lines."""
    send = [t for p, t in texts.items() if "area-send" in p.parts]
    return sum(bool(_TEAM_PAIR.search(t.split("Inspection team")[-1])) for t in send), len(send)


_LABEL = re.compile(r"The impact of leaders on social work", re.I)
_GRADE = re.compile(r"\b(Outstanding|Good|Requires improvement|Inadequate)\b")


def grades_kept(texts: dict[Path, str]) -> tuple[int, int]:
    """ILACS reports whose first judgement label has its grade within two lines."""
    hits = total = 0
    for text in texts.values():
        lines = text.splitlines()
        for i, line in enumerate(lines[:60]):
            if _LABEL.search(line):
                total += 1
                hits += any(_GRADE.search(x) for x in lines[i : i + 3])
                break
    return hits, total


def word_coverage(texts: dict[Path, str], reference: dict[Path, str]) -> float:
    shares = []
    for path, ref in reference.items():
        ref_words = set(re.findall(r"[a-z]{4,}", ref.lower()))
        got = set(re.findall(r"[a-z]{4,}", texts.get(path, "").lower()))
        if ref_words:
            shares.append(len(ref_words & got) / len(ref_words))
    return statistics.mean(shares)


def main(argv: list[str]) -> int:
    corpus = Path(argv[0]) if argv else Path(__file__).resolve().parents[2] / "shared" / "corpus"
    files = pdfs(corpus)
    print(f"{len(files)} PDFs from {corpus}; median of {REPEATS} passes, one core\n")
    results = {name: timed(reader, files) for name, reader in LIBRARIES.items()}
    base_speed, reference = results["pypdfium2"]
    print("| library | ms per report | x pypdfium2 | team pairs kept | ILACS grades by label | words vs pypdfium2 |")
    print("| --- | ---: | ---: | --- | --- | ---: |")
    for name, (speed, texts) in results.items():
        pairs, n_send = team_pairs_kept(texts)
        grades, n_ilacs = grades_kept(texts)
        print(
            f"| {name} | {speed * 1000:.0f} | {speed / base_speed:.1f} | {pairs}/{n_send} | {grades}/{n_ilacs} "
            f"| {word_coverage(texts, reference):.1%} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
