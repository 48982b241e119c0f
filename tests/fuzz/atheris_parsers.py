"""Coverage-guided fuzzing of the report parsers with atheris (libFuzzer).

    python tests/fuzz/atheris_parsers.py -runs=5000 [corpus dir...]

Each input is decoded as report text and loaded through the same path as a
file (text layer, detection, parser, emitter). Anything but records or a
`ReportError` is a crash that libFuzzer reports with the input that caused it.
The seeds are the bundled example reports' first lines, so the fuzzer starts
from real structure.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

import atheris

with atheris.instrument_imports():
    from ofsted_kg.errors import ReportError
    from ofsted_kg.graph.emit import emit
    from ofsted_kg.loaders import load_report

# libFuzzer ends the process with C's exit(), past any Python clean-up, so the scratch file goes
# where the caller says (the test gives its own temporary folder), by default the working folder.
INPUT = Path(os.environ.get("OFSTED_KG_FUZZ_DIR", ".")) / "fuzz-input.txt"


def one_input(data: bytes) -> None:
    INPUT.write_bytes(data)
    with contextlib.suppress(ReportError):
        emit(*load_report(INPUT))


def main() -> None:
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
