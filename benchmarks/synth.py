"""A synthetic corpus: N realistic reports' records made by recombining real extracted records.

The real corpus is parsed once (`load_report` + `annotate`, through the load pipeline's own
`parse_file`). Each synthetic report takes a real report as its template (kind, team size and
roles, judgement areas, the kinds and number of findings) and draws everything else afresh:
another local authority from the reference tables (with its ICBs for area SEND), dates shifted
to a random day from 2012 to 2026, inspectors and post holders drawn from the real pool (so
the same people recur, as real inspectors do), outcomes and grades from the real ones of that
kind, and every finding resampled from the real findings of the same kind of inspection and
finding, with their themes and services.

It streams: one report's records are made, emitted and written before the next is made, so
memory holds the small pools, never the corpus.

    python -m benchmarks.synth load STORE N RECORDS_PICKLE   # child: load N synthetic reports
"""

from __future__ import annotations

import hashlib
import pickle
import random
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from ofsted_kg.graph.batch import BatchWriter
from ofsted_kg.graph.build import collect, default_workers, derive, parsing
from ofsted_kg.graph.emit import emit
from ofsted_kg.graph.store import Store
from ofsted_kg.graph.vocabulary import ensure_vocabulary
from ofsted_kg.iris import slug
from ofsted_kg.records import Finding, Inspection, Judgement, PostHolder, Report, TeamMember
from ofsted_kg.reference import Authority, reference

from .measure import emit_json

FIRST_DAY, LAST_DAY = date(2012, 1, 1), date(2026, 3, 31)
Records = tuple[Report, Inspection]


def real_records(corpus: Path) -> list[Records]:
    """Every loadable report of the corpus, parsed and annotated as the load pipeline does."""
    files, _ = collect([corpus])
    with parsing(files, default_workers()) as outcomes:
        return [outcome for _, outcome in outcomes if not isinstance(outcome, str)]


def save_records(corpus: Path, path: Path) -> None:
    """The corpus's records, parsed once, for the child processes that make synthetic reports from them."""
    with path.open("wb") as handle:
        pickle.dump(real_records(corpus), handle)


def saved_records(path: Path) -> list[Records]:
    with path.open("rb") as handle:
        return pickle.load(handle)


@dataclass
class Pools:
    """What synthetic reports draw from: real values, kept with their real frequencies."""

    authorities: list[Authority]
    inspectors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # by inspectorate
    holders: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # by role
    outcomes: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # by inspection type
    grades: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # by judgement area
    findings: dict[tuple[str, str], list[Finding]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def of(cls, real: list[Records]) -> Pools:
        current = [a for a in reference().authorities.values() if not a.ended]
        pools = cls(current)
        for _, insp in real:
            for member in insp.team:
                pools.inspectors[member.inspectorate].append(member.name)
            for holder in insp.people:
                pools.holders[holder.role].append(holder.name)
            if insp.outcome:
                pools.outcomes[insp.inspection_type].append(insp.outcome)
            for judgement in insp.judgements:
                pools.grades[judgement.area].append(judgement.grade)
            for finding in insp.findings:
                pools.findings[insp.inspection_type, finding.kind].append(finding)
        return pools


def synthetic(real: list[Records], n: int, seed: int = 9) -> Iterator[Records]:
    """N synthetic reports' records, made one at a time."""
    pools, rng = Pools.of(real), random.Random(seed)
    for i in range(n):
        template_report, template = real[i % len(real)]
        inspection = _inspection(template, pools, rng)
        yield _report(i, template_report, inspection), inspection


def _inspection(template: Inspection, pools: Pools, rng: random.Random) -> Inspection:
    authority = rng.choice(pools.authorities)
    kind = template.inspection_type
    shift = _shift(template.start_date, rng)
    icbs = [reference().icbs[c] for c in authority.icb_codes if c in reference().icbs] if kind == "area-send" else []
    return Inspection(
        inspection_type=kind,
        local_authority=authority.name,
        authority_as_printed=authority.official_name,
        la_code=authority.la_code,
        icbs=[icb.name for icb in icbs],
        icb_codes=[icb.ods_code for icb in icbs],
        start_date=_moved(template.start_date, shift),
        end_date=_moved(template.end_date, shift),
        previous_start_date=_moved(template.previous_start_date, shift),
        previous_end_date=_moved(template.previous_end_date, shift),
        outcome=rng.choice(pools.outcomes[kind]) if template.outcome and pools.outcomes[kind] else None,
        variant=template.variant,
        next_steps=template.next_steps,
        team=[_member(m, pools, rng) for m in template.team],
        people=[_holder(h, icbs[0].name if icbs else "", pools, rng) for h in template.people],
        judgements=[Judgement(j.area, rng.choice(pools.grades[j.area]), j.label) for j in template.judgements],
        earlier_grades=template.earlier_grades,
        findings=[_finding(f, kind, pools, rng) for f in template.findings],
        context=template.context,
        published=_moved(template.published, shift),
    )


def _shift(start: date | None, rng: random.Random) -> timedelta:
    day = FIRST_DAY + timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days))
    return day - start if start else timedelta(0)


def _moved(day: date | None, shift: timedelta) -> date | None:
    return day + shift if day else None


def _member(member: TeamMember, pools: Pools, rng: random.Random) -> TeamMember:
    return TeamMember(rng.choice(pools.inspectors[member.inspectorate]), member.inspectorate, member.lead, member.role)


def _holder(holder: PostHolder, icb_name: str, pools: Pools, rng: random.Random) -> PostHolder:
    organisation = holder.organisation if holder.organisation == "local-authority" else icb_name
    return PostHolder(rng.choice(pools.holders[holder.role]), holder.post, organisation, holder.role)


def _finding(template: Finding, kind: str, pools: Pools, rng: random.Random) -> Finding:
    real = rng.choice(pools.findings[kind, template.kind])
    return Finding(
        template.kind,
        real.section,
        template.order,
        real.text,
        real.location,
        real.responsible,
        real.themes,
        real.services,
    )


def _report(i: int, template: Report, inspection: Inspection) -> Report:
    when = inspection.start_date.isoformat() if inspection.start_date else "undated"
    name = f"synthetic-{i:06d}-{slug(inspection.local_authority)}-{when}.pdf"
    return Report(
        file_name=name,
        sha256=hashlib.sha256(name.encode()).hexdigest(),
        page_count=template.page_count,
        source_format=template.source_format,
        kind=template.kind,
        title=f"{template.kind} inspection of {inspection.local_authority}",
        published=inspection.published,
    )


def load(store_path: str, n: int, records: Path) -> dict:
    """Make, emit and write N synthetic reports into a fresh store, timing each step.

    Writes overlap emitting (graph.batch writes on a thread), so the load's time is the wall
    time of emitting and writing together: the whole run less the time spent making records.
    Then what `load` derives across reports (links, tallies) is recomputed, timed on its own.
    """
    real = saved_records(records)
    made = emitted = waited = 0.0
    quads = 0
    start = time.perf_counter()
    with Store(store_path) as store:
        ensure_vocabulary(store)
        reports = synthetic(real, n)
        began = time.perf_counter()
        with BatchWriter(store) as writer:
            for _ in range(n):
                t0 = time.perf_counter()
                report, inspection = next(reports)
                t1 = time.perf_counter()
                graph = emit(report, inspection)
                t2 = time.perf_counter()
                writer.add(Path(report.file_name), graph)
                t3 = time.perf_counter()
                made, emitted, waited = made + t1 - t0, emitted + t2 - t1, waited + t3 - t2
                quads += graph.size
            t4 = time.perf_counter()
        store.flush()
        waited += time.perf_counter() - t4
        loading = time.perf_counter() - began - made
        t5 = time.perf_counter()
        derive(store)
        store.flush()
        deriving = time.perf_counter() - t5
        total = len(store)
    size = store.size_on_disk()  # closed: no write-ahead log
    return {
        "reports": n,
        "quads": quads,
        "store_quads": total,
        "make_s": made,
        "emit_s": emitted,
        "write_wait_s": waited,
        "load_s": loading,
        "derive_s": deriving,
        "wall_s": time.perf_counter() - start,
        "size_bytes": size,
    }


def main(argv: list[str]) -> None:
    if argv[0] != "load":
        raise SystemExit(f"unknown mode {argv[0]!r}: load")
    emit_json(load(argv[1], int(argv[2]), Path(argv[3])))


if __name__ == "__main__":
    main(sys.argv[1:])
