"""The results as one table (Markdown, printed and written to RESULTS.md) and as JSON."""

from __future__ import annotations

import json
from pathlib import Path

from .queries import AGGREGATES

TARGETS = {
    "ingest_ratio": 2.0,  # whole ingest / pypdfium2 text extraction, wall time
    "query_s": 0.1,  # each named query on the real corpus
    "aggregate_speedup": 10.0,  # rdflib time / Oxigraph time, aggregate queries
    "scale_quads_per_s": 100_000,  # at 100x
    "scale_peak_mb": 2048,  # at 100x
    "scale_query_s": 2.0,  # each named query at 100x
    "settle_s": 10.0,  # Chromium load and settle
}


def write(results: dict, folder: Path) -> str:
    table = markdown(results)
    (folder / "RESULTS.md").write_text(table, encoding="utf-8")
    (folder / "results.json").write_text(json.dumps(results, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return table


def markdown(results: dict) -> str:
    machine = results["machine"]
    libraries = ", ".join(f"{k} {v}" for k, v in machine["libraries"].items())
    lines = [
        "# Benchmark results",
        "",
        f"Written by `make bench` (`python -m benchmarks.run {results['arguments']}`) on {machine['date']}.",
        f"Machine: {machine['cpu']}, {machine['cores']} cores, {machine['memory_gb']} GB memory, {machine['os']}, "
        f"load average {machine['load_average_at_start']} at start. Python {machine['python']}; {libraries}; "
        f"{machine['chromium']}.",
        "Every figure is a median of several runs; every ratio is taken run by run within this run. "
        "What each figure means and what limits it: docs/performance.md.",
        "",
        "| part | measure | value | target | met |",
        "| --- | --- | ---: | ---: | :---: |",
    ]
    lines += _ingest_rows(results["ingest"])
    lines += _query_rows(results["queries"])
    lines += _scale_rows(results.get("scale", {}))
    lines += _viz_rows(results.get("visualisation", {}))
    return "\n".join(lines) + "\n"


def _row(part: str, measure: str, value: str, target: str = "", met: bool | None = None) -> str:
    mark = "" if met is None else ("yes" if met else "**no**")
    return f"| {part} | {measure} | {value} | {target} | {mark} |"


def _ingest_rows(ingest: dict) -> list[str]:
    part = f"ingest ({ingest['reports']} reports, {ingest['workers']} processes)"
    return [
        _row(part, "wall time", f"{ingest['wall_s']:.2f} s"),
        _row(part, "reports per second", f"{ingest['reports_per_s']:.1f}"),
        _row(part, "CPU time (process tree)", f"{ingest['cpu_s']:.2f} s"),
        _row(part, "peak memory (process tree)", f"{ingest['peak_rss_mb']:.0f} MB"),
        _row(part, "pypdfium2 text only, same PDFs and processes", f"{ingest['reference_wall_s']:.2f} s wall"),
        _row(
            part,
            "ingest / text extraction, wall",
            f"{ingest['ratio_wall']:.2f}x",
            f"<= {TARGETS['ingest_ratio']:.0f}x",
            ingest["ratio_wall"] <= TARGETS["ingest_ratio"],
        ),
        _row(part, "ingest / text extraction, CPU", f"{ingest['ratio_cpu']:.2f}x"),
    ]


def _query_rows(queries: dict) -> list[str]:
    rows = []
    rdflib = queries["rdflib"]
    rows.append(_row("rdflib Dataset", "load the same quads (N-Quads)", f"{rdflib['_load']['median_s']:.2f} s"))
    for name, figures in queries["oxigraph"].items():
        if "error" in figures:
            rows.append(_row(f"query {name}", "Oxigraph", figures["error"]))
            continue
        seconds = figures["median_s"]
        rows.append(
            _row(
                f"query {name}",
                f"Oxigraph, {figures['rows']} rows",
                _ms(seconds),
                f"<= {TARGETS['query_s'] * 1000:.0f} ms",
                seconds <= TARGETS["query_s"],
            )
        )
        other = rdflib.get(name, {"error": "not run"})
        if "error" in other:
            rows.append(_row(f"query {name}", "rdflib", other["error"]))
            continue
        speedup = other["median_s"] / seconds
        aggregate = name in AGGREGATES
        rows.append(
            _row(
                f"query {name}",
                f"rdflib {_ms(other['median_s'])}: Oxigraph faster by",
                f"{speedup:.1f}x",
                f">= {TARGETS['aggregate_speedup']:.0f}x" if aggregate else "",
                speedup >= TARGETS["aggregate_speedup"] if aggregate else None,
            )
        )
    return rows


def _scale_rows(scale: dict) -> list[str]:
    rows = []
    largest = max(scale.get("sizes", {}), key=int, default=None)
    for size, figures in scale.get("sizes", {}).items():
        part = f"scale {size}x ({figures['reports']:,} reports, {figures['quads']:,} quads)"
        at_target = size == largest and int(size) >= 100
        rows += [
            _row(
                part,
                "load throughput (emit and write, overlapped)",
                f"{figures['quads_per_s']:,.0f} quads/s",
                f">= {TARGETS['scale_quads_per_s']:,}" if at_target else "",
                figures["quads_per_s"] >= TARGETS["scale_quads_per_s"] if at_target else None,
            ),
            _row(part, "load wall time (making records included)", f"{figures['wall_s']:.0f} s"),
            *_floor_rows(part, figures.get("floor")),
            _row(part, "links and tallies derived after the load", f"{figures['derive_s']:.1f} s"),
            _row(part, "store size on disk", f"{figures['size_mb']:,.0f} MB"),
            _row(
                part,
                "peak memory (process tree)",
                f"{figures['peak_rss_mb']:,.0f} MB",
                f"<= {TARGETS['scale_peak_mb']:,} MB" if at_target else "",
                figures["peak_rss_mb"] <= TARGETS["scale_peak_mb"] if at_target else None,
            ),
        ]
        rows += _scale_query_rows(part, "query", figures["queries"], at_target)
        compacted = figures.get("compacted")
        if compacted:
            rows.append(
                _row(
                    part,
                    f"`ofsted-kg compact` after the load ({compacted['compact_s']:,.0f} s): store size on disk",
                    f"{compacted['size_mb']:,.0f} MB",
                )
            )
            rows += _scale_query_rows(part, "after compact, query", compacted["queries"], at_target)
    for key, exponent in scale.get("growth", {}).items():
        rows.append(_row("growth with size", f"{key} grows as size^k, k =", f"{exponent}"))
    return rows


def _scale_query_rows(part: str, label: str, queries: dict, at_target: bool) -> list[str]:
    rows = []
    for name, query in queries.items():
        peak = f"peak {query['peak_rss_mb']:,.0f} MB" if "peak_rss_mb" in query else ""
        if "error" in query:
            rows.append(_row(part, f"{label} {name}" + (f" ({peak})" if peak else ""), query["error"]))
            continue
        rows.append(
            _row(
                part,
                f"{label} {name} ({query['rows']:,} rows{'; ' + peak if peak else ''})",
                _ms(query["median_s"]),
                f"<= {TARGETS['scale_query_s']:.0f} s" if at_target else "",
                query["median_s"] <= TARGETS["scale_query_s"] if at_target else None,
            )
        )
    return rows


def _floor_rows(part: str, floor: dict | None) -> list[str]:
    if floor is None:
        return []
    return [
        _row(
            part,
            f"floor: Oxigraph's bulk loader alone, the same quads from one N-Quads file "
            f"({floor['load_s']:.0f} s, peak {floor['peak_rss_mb']:,.0f} MB)",
            f"{floor['quads_per_s']:,.0f} quads/s",
        ),
        _row(part, "load time / the floor's", f"{floor['load_ratio']:.2f}x"),
    ]


def _viz_rows(viz: dict) -> list[str]:
    rows = []
    for label, figures in viz.items():
        part = f"visualisation ({label})"
        if "error" in figures:
            rows.append(_row(part, "page", figures["error"]))
            continue
        rows.append(
            _row(part, f"build page ({figures['nodes']} nodes, {figures['edges']} edges)", _ms(figures["build_s"]))
        )
        rows.append(_row(part, "page size", f"{figures['page_mb']:.1f} MB"))
        if "browser_error" in figures:
            rows.append(_row(part, "Chromium load and settle", figures["browser_error"]))
            continue
        rows.append(
            _row(
                part,
                "Chromium load and settle (from navigation)",
                f"{figures['settle_s']:.2f} s",
                f"< {TARGETS['settle_s']:.0f} s",
                figures["settle_s"] < TARGETS["settle_s"],
            )
        )
        rows.append(_row(part, "the same, browser start-up included", f"{figures['browser_total_s']:.2f} s"))
    return rows


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms" if seconds < 10 else f"{seconds:,.1f} s"
