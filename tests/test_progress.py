"""The step counter long jobs (the demo loader, the network report) report progress with."""

from __future__ import annotations

from ilc_widgets.progress import step_counter


def test_each_tick_reports_one_more_step_of_the_total() -> None:
    seen: list[tuple[int, int]] = []
    tick = step_counter(lambda done, total: seen.append((done, total)), 3)
    tick()
    tick()
    assert seen == [(1, 3), (2, 3)]
    tick()
    assert seen[-1] == (3, 3)


def test_counters_are_independent_and_need_no_listener() -> None:
    seen: list[tuple[int, int]] = []
    quiet = step_counter(None, 2)
    quiet()
    quiet()  # counted, reported to nobody, no error
    loud = step_counter(lambda done, total: seen.append((done, total)), 2)
    loud()
    assert seen == [(1, 2)]
