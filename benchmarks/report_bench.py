"""Benchmark: the network report (HTML and PDF, with charts) for 50 collectives.

Generates a network database of 50 collectives (``--collectives``) with 9 members each,
complete placemats (3 priorities, a 3-step theory of action, 4 indicators, an evidence
plan), 120 evidence entries, 2 review reflections, pre/post scores of 30 students and the
efficacy pulse of every member at start and review, then times
:func:`ilc_widgets.reports.write_network_report` writing both files, as
``ilc report --html FILE --pdf FILE`` does (reading the data, applying the privacy rules,
drawing the charts, rendering). The target is at most 10 seconds.

Run: ``.venv/bin/python benchmarks/report_bench.py [--collectives N] [--keep DIR]``.
Exits with status 1 if the build is over the target.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from ilc_widgets.efficacy import DEFAULT_ITEM_SET
from ilc_widgets.network import Network, create_network
from ilc_widgets.placemat import EvidencePlanItem, Indicator, Placemat, TheoryStep
from ilc_widgets.vocab import EVIDENCE_TYPES

TARGET_SECONDS = 10.0
MEMBERS = 9
THEMES = (
    ("Persistent absenteeism", "chronic absence attendance Monday mentors family outreach"),
    ("Tier 1 instruction", "checks for understanding walkthroughs common assessments"),
    ("Grading practices", "equitable grading missing work reassessment feedback"),
    ("Structured literacy", "phonics decoding foundational skills block DIBELS"),
    ("Equity and belonging", "belonging discipline referrals adult connection"),
    ("Math discourse", "talk moves explanation reasoning number talks"),
    ("Multilingual learners", "language objectives ACCESS scaffolds content grades"),
)
ROLES = (
    "teacher_leader",
    "instructional_coach",
    "principal",
    "assistant_principal",
    "central_office",
    "superintendent",
    "school_psychologist",
)
REGIONS = ("North Lakes", "River Valley", "Prairie East")
INDICATORS = (
    ("Walkthrough look-fors observed", "leading", "school_processes", 40.0, 75.0),
    ("Common formative assessment proficiency", "leading", "student_learning", 52.0, 68.0),
    ("Students who feel they belong", "lagging", "perceptions", 60.0, 72.0),
    ("Chronic absenteeism rate", "lagging", "demographic", 24.0, 15.0),
)


def generate(path: Path, n_collectives: int, seed: int = 11) -> Network:
    """A network database at ``path`` with ``n_collectives`` collectives full of work."""
    rng = np.random.default_rng(seed)
    today = dt.date.today()
    start = today - dt.timedelta(days=100)  # evidence over the last hundred days
    net = create_network(
        path,
        "Benchmark Network",
        school_year="2026-27",
        cycle_start=start - dt.timedelta(days=7),
    )
    people = []
    for i in range(n_collectives * MEMBERS):
        theme, _ = THEMES[(i // MEMBERS) % len(THEMES)]
        people.append(
            {
                "participant_id": f"P{i:05d}",
                "name": f"Firstname{i} Lastname{i}",
                "email": f"person{i}@district{i % 23}.example",
                "role": ROLES[i % len(ROLES)],
                "organization": f"School {i % 97}",
                "district": f"District {i % 23}",
                "region": REGIONS[i % len(REGIONS)],
                "modality": "virtual",
                "focus": f"focus statement {i}",
                "theme": theme,
            }
        )
    net.add_participants(pd.DataFrame(people))
    evidence_rows = []
    for c in range(n_collectives):
        code = f"collective-{c:02d}"
        theme, words = THEMES[c % len(THEMES)]
        modality = ("in_person", "virtual", "hybrid")[c % 3]
        net.create_collective(
            code,
            f"{theme} {c:02d}",
            theme=theme,
            region="" if modality == "virtual" else REGIONS[c % len(REGIONS)],
            modality=modality,
            facilitator_name=f"Facilitator {c}",
        )
        members = [f"P{c * MEMBERS + k:05d}" for k in range(MEMBERS)]
        for pid in members:
            net.move_member(pid, code)
        indicators = [
            Indicator(
                name=name,
                kind=kind,
                evidence_type=etype,
                measure=f"{name} measured monthly",
                baseline=base,
                target=target,
                unit="%",
                target_date="2027-05-28",
            )
            for name, kind, etype, base, target in INDICATORS
        ]
        mat = Placemat(
            problem_of_practice=(
                f"In our schools {words} show that too few students succeed; collective "
                f"{c} will change what adults do first. " * 2
            ),
            surfacing_data="Last year's results, walkthroughs and a student survey.",
            priorities=[f"Priority {k} about {words.split()[k]}" for k in range(3)],
            theory_of_action=[
                TheoryStep(f"leaders {words} together", "teachers change practice", lvl)
                for lvl in ("leader_actions", "adult_practice", "student_outcomes")
            ],
            indicators=indicators,
            evidence_plan={
                key: EvidencePlanItem(f"{label} evidence", "coach", "monthly")
                for key, label in EVIDENCE_TYPES.items()
            },
        )
        net.save_placemat(code, mat, 0)
        for k in range(120):
            name, _, etype, base, target = INDICATORS[k % len(INDICATORS)]
            day = start + dt.timedelta(days=int(k // 4) * 3)
            evidence_rows.append(
                {
                    "collective": code,
                    "date": day.isoformat(),
                    "evidence_type": etype,
                    "indicator": name,
                    "value": round(base + (target - base) * k / 160 + rng.normal(0, 2), 1),
                    "unit": "%",
                    "n": int(rng.integers(5, 400)),
                    "subgroup": "",
                    "description": f"{name} for collective {c}",
                    "source": "benchmark",
                    "entered_by": "bench",
                }
            )
        net.add_reflection(
            code,
            today - dt.timedelta(days=40),
            learned=f"Firstname{c * MEMBERS} Lastname{c * MEMBERS} saw {words} change.",
            adjust="Tighten the leading indicator.",
        )
        net.add_reflection(
            code, today - dt.timedelta(days=10), learned="Walkthroughs need common look-fors."
        )
        pre = rng.normal(50, 10, 30).round(1)
        post = (pre + rng.normal(4, 6, 30)).round(1)
        net.add_scores(
            code, "Unit assessment", "pre", [(f"S{c}-{k}", v) for k, v in enumerate(pre)]
        )
        net.add_scores(
            code, "Unit assessment", "post", [(f"S{c}-{k}", v) for k, v in enumerate(post)]
        )
        for pid in members:
            for wave, shift in (("start", 0), ("review", 1)):
                answers = {
                    item.item_id: int(
                        np.clip(rng.integers(2, 5) + shift * rng.integers(0, 2), 1, 5)
                    )
                    for item in DEFAULT_ITEM_SET.items
                }
                net.submit_pulse(code, pid, wave, answers)
    net.import_evidence(pd.DataFrame(evidence_rows), "benchmark.csv")
    return net


def main(argv: list[str] | None = None) -> int:
    """Generate the network, build the report, print the times."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--collectives", type=int, default=50)
    parser.add_argument("--keep", metavar="DIR", help="write the database and report here")
    args = parser.parse_args(argv)

    from ilc_widgets.reports import build_network_report, write_network_report

    with tempfile.TemporaryDirectory(prefix="ilc-report-bench-") as tmp:
        folder = Path(args.keep) if args.keep else Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        db = folder / "report-bench.sqlite"
        db.unlink(missing_ok=True)
        t0 = time.perf_counter()
        net = generate(db, args.collectives)
        print(
            f"generated {args.collectives} collectives, {len(net.participants)} participants, "
            f"{len(net.evidence)} evidence entries, {len(net.survey_responses)} pulse answers "
            f"in {time.perf_counter() - t0:.1f} s"
        )
        html_path, pdf_path = folder / "report.html", folder / "report.pdf"
        times = []
        for label in ("first build in this process (imports matplotlib, reportlab)", "again"):
            wall, cpu = time.perf_counter(), time.process_time()
            write_network_report(net, html_path, pdf_path)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            times.append(wall)
            print(f"  {label}: {wall:.2f} s (CPU {cpu:.2f} s)")
        t2 = time.perf_counter()
        report = build_network_report(net)
        print(
            f"  of which the report model (read data, privacy rules): "
            f"{time.perf_counter() - t2:.2f} s"
        )
        total = times[0]
        print(
            f"network report for {len(report.cards)} collectives, HTML "
            f"({html_path.stat().st_size / 1024:,.0f} KB) and PDF "
            f"({pdf_path.stat().st_size / 1024:,.0f} KB) with charts: {total:.2f} s "
            f"(target <= {TARGET_SECONDS:.0f} s)"
        )
        load = os.getloadavg()[0]
        print(f"load average {load:.1f} on {os.cpu_count()} CPUs (wall time grows with it)")
        net.close()
    return 0 if total <= TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
