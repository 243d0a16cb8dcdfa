"""Benchmark: the progress dashboard's statistics on 100,000 evidence rows.

Builds a synthetic network of 50 collectives with 4 indicators each and 100,000 evidence
entries (dates as ``datetime.date`` objects, as the database returns them), then times
``summarize_indicators`` + ``coverage`` + ``answerable_intersections`` for the whole network
(the heaviest case) and for one collective. The target is under 1 second in total.

Run: ``.venv/bin/python benchmarks/dashboard_stats_bench.py [--rows N] [--repeat R]``.
Exits with status 1 if the network-wide total is over the target.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ilc_widgets.placemat import Indicator
from ilc_widgets.stats import answerable_intersections, coverage, summarize_indicators

if TYPE_CHECKING:
    from collections.abc import Callable

TARGET_SECONDS = 1.0
N_COLLECTIVES = 50
INDICATOR_NAMES = (
    ("Chronic absenteeism", 22.0, 15.0, "%"),
    ("Walkthrough look-fors observed", 40.0, 70.0, "%"),
    ("Common formative assessment proficiency", 55.0, 70.0, "%"),
    ("Students who feel they belong", 62.0, 75.0, "%"),
)
TYPES = np.array(["demographic", "perceptions", "student_learning", "school_processes"])


def build(rows: int, seed: int = 7) -> tuple[pd.DataFrame, dict[str, list[Indicator]]]:
    """Synthetic evidence (data-contract columns) and each collective's indicators."""
    rng = np.random.default_rng(seed)
    collectives = [f"collective-{i:02d}" for i in range(N_COLLECTIVES)]
    indicators = {
        c: [
            Indicator(
                name=name,
                kind="leading" if k < 2 else "lagging",
                baseline=base,
                target=target,
                unit=unit,
                target_date="2026-06-15",
                cadence="monthly",
            )
            for k, (name, base, target, unit) in enumerate(INDICATOR_NAMES)
        ]
        for c in collectives
    }
    start = date(2025, 9, 1)
    day = rng.integers(0, 280, rows)
    which = rng.integers(0, len(INDICATOR_NAMES), rows)
    base = np.array([b for _, b, _, _ in INDICATOR_NAMES])[which]
    goal = np.array([t for _, _, t, _ in INDICATOR_NAMES])[which]
    drift = (goal - base) * day / 288 * rng.uniform(0.3, 1.1, rows)
    values = np.round(base + drift + rng.normal(0, 3, rows), 1)
    names = np.array([n for n, _, _, _ in INDICATOR_NAMES], dtype=object)[which]
    unlinked = rng.random(rows) < 0.1
    names[unlinked] = ""
    values[unlinked & (rng.random(rows) < 0.5)] = np.nan
    dates = [start + timedelta(days=int(d)) for d in range(280)]
    evidence = pd.DataFrame(
        {
            "collective": np.array(collectives, dtype=object)[rng.integers(0, N_COLLECTIVES, rows)],
            "date": np.array(dates, dtype=object)[day],
            "evidence_type": TYPES[rng.integers(0, 4, rows)].astype(object),
            "indicator": names,
            "value": values,
            "unit": "%",
            "n": np.where(rng.random(rows) < 0.7, rng.integers(5, 300, rows), np.nan),
            "subgroup": "",
            "description": "synthetic entry",
            "source": "benchmark",
            "entered_by": "bench@example.org",
        }
    )
    return evidence, indicators


def timed(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Best wall time of ``repeat`` runs, and the last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return best, result


def main(argv: list[str] | None = None) -> int:
    """Build the data, time each step, print the figures; 1 if over the target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)

    t0 = time.perf_counter()
    evidence, indicators = build(args.rows)
    print(
        f"built {len(evidence):,} evidence rows, {N_COLLECTIVES} collectives x "
        f"{len(INDICATOR_NAMES)} indicators in {time.perf_counter() - t0:.2f} s"
    )
    today = date(2026, 6, 1)
    steps: list[tuple[str, Callable[[], Any]]] = [
        (
            "summarize_indicators (network, 200 indicators)",
            lambda: summarize_indicators(evidence, indicators, today=today),
        ),
        (
            "coverage by collective x indicator x type",
            lambda: coverage(evidence, by=("collective", "indicator", "evidence_type")),
        ),
        (
            "answerable_intersections by collective",
            lambda: answerable_intersections(evidence, by="collective"),
        ),
    ]
    total = 0.0
    for label, fn in steps:
        seconds, result = timed(fn, args.repeat)
        total += seconds
        print(f"  {label:<50} {seconds * 1000:8.1f} ms  ({len(result):,} rows)")
    print(f"  {'network total':<50} {total * 1000:8.1f} ms  (target < {TARGET_SECONDS:.0f} s)")

    one = "collective-00"
    mine = evidence[evidence["collective"] == one]
    single = 0.0
    for label, fn in (
        (
            "summarize_indicators (one collective)",
            lambda: summarize_indicators(mine, indicators[one], today=today),
        ),
        ("coverage (one collective)", lambda: coverage(mine, by=("indicator", "evidence_type"))),
        ("answerable_intersections (one collective)", lambda: answerable_intersections(mine)),
    ):
        seconds, _ = timed(fn, args.repeat)
        single += seconds
        print(f"  {label:<50} {seconds * 1000:8.1f} ms")
    print(f"  {'one-collective total':<50} {single * 1000:8.1f} ms")

    summary = summarize_indicators(evidence, indicators, today=today)
    print("status counts:", summary["status"].value_counts().to_dict())
    return 0 if total < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
