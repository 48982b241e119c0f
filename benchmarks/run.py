"""`make bench`: ingest, queries, scale and visualisation, as one table in RESULTS.md and results.json.

    python -m benchmarks.run [--scales 1,10,100] [--repeats 5] [--corpus DIR] [--workdir DIR]

The corpus is ../shared/corpus when present, else examples/reports. Stores and pages go to a
temporary folder (removed at the end unless --workdir is given).
"""

from __future__ import annotations

import argparse
import shlex
import sys
import tempfile
from pathlib import Path

from . import ingest, machine, queries, report, scale, visualisation
from .synth import load as load_synthetic

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SHARED_CORPUS = ROOT.parent / "shared" / "corpus"
EXAMPLES = ROOT / "examples" / "reports"
RDFLIB_REPEATS = 3  # rdflib takes up to seconds a query (and is stopped past --rdflib-limit): three give a median
VIEW_REPEATS = 3  # page builds and Chromium loads


def main(argv: list[str]) -> int:
    args = _arguments(argv)
    if args.workdir:
        args.workdir.mkdir(parents=True, exist_ok=True)
        return run(args, args.workdir, " ".join(map(shlex.quote, argv)))
    with tempfile.TemporaryDirectory(prefix="ofsted-kg-bench-") as folder:
        return run(args, Path(folder), " ".join(map(shlex.quote, argv)))


def run(args: argparse.Namespace, workdir: Path, arguments: str) -> int:
    results: dict = {"machine": machine.describe(), "arguments": arguments or "(defaults)"}
    _say(f"ingest: {args.corpus}, {args.repeats} runs against pypdfium2's text extraction")
    results["ingest"] = ingest.measure(args.corpus, workdir, args.repeats)
    corpus_store = Path(results["ingest"]["store"])
    _say("queries: every named query on Oxigraph, and on rdflib's Dataset")
    results["queries"] = queries.measure(corpus_store, workdir, args.repeats, RDFLIB_REPEATS, args.rdflib_limit)
    _say(f"scale: {', '.join(f'{s}x' for s in args.scales)} of {scale.UNIT} reports")
    results["scale"] = scale.measure(args.corpus, workdir, args.scales)
    _say("visualisation: pyvis page and Chromium")
    results["visualisation"] = visualisation.measure(_viz_stores(args, workdir, corpus_store), workdir, VIEW_REPEATS)
    print(report.write(results, HERE))
    return 0


def _viz_stores(args: argparse.Namespace, workdir: Path, corpus_store: Path) -> dict[str, Path]:
    """The real corpus's store and a 500-report one (the 1x synthetic store, or one made for this)."""
    synthetic = scale.store_path(workdir, 1)
    if 1 not in args.scales:
        load_synthetic(str(synthetic), scale.UNIT, workdir / "records.pickle")
    return {"real corpus": corpus_store, f"{scale.UNIT} synthetic reports": synthetic}


def _arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=_scales, default=[1, 10, 100], help="sizes in units of 500 reports")
    parser.add_argument("--repeats", type=int, default=5, help="runs per figure (median)")
    parser.add_argument("--corpus", type=Path, default=SHARED_CORPUS if SHARED_CORPUS.is_dir() else EXAMPLES)
    parser.add_argument("--workdir", type=Path, help="keep stores and pages here (default: a temporary folder)")
    parser.add_argument("--rdflib-limit", type=float, default=120.0, help="seconds before an rdflib query is stopped")
    return parser.parse_args(argv)


def _scales(text: str) -> list[int]:
    try:
        values = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: write whole numbers separated by commas, e.g. 1,10") from None
    if not values or min(values) < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: each scale must be 1 or more")
    return values


def _say(message: str) -> None:
    print(f"== {message}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
