"""Charts drawn once for every kernel of a server (``ilc_widgets._chart_store``).

When a room opens workbook 05 at once, one kernel draws a collective's charts and the others
read its SVG from disk, without importing matplotlib. Tested here: the store itself (disk,
claims, stale claims, pruning, switched off, unwritable), a dashboard in a running event
loop waiting for a chart another kernel is drawing, and workbook 05 built in a fresh process
after another drew its charts.
"""

from __future__ import annotations

import asyncio
import os
import stat
import subprocess
import sys
import time

import pytest

from ilc_widgets import _chart_store as store
from ilc_widgets.access import access_query
from ilc_widgets.widgets.review import data
from ilc_widgets.widgets.review.dashboard import ProgressDashboard
from tests._aio import run_isolated

SVG = "<svg xmlns='http://www.w3.org/2000/svg'><text>drawn elsewhere</text></svg>"


@pytest.fixture
def folder(tmp_path, monkeypatch):
    """A fresh chart folder, and no chart remembered in this process."""
    where = tmp_path / "charts"
    monkeypatch.setenv("ILC_CHART_CACHE", str(where))
    store.forget()
    yield where
    store.forget()


def test_a_kept_chart_is_read_from_disk_by_another_kernel(folder):
    store.put("k1", SVG)
    store.forget()  # as a kernel that never drew it
    assert store.get("k1") == SVG
    assert store.get("k2") is None
    (chart,) = folder.glob("*.svg")
    assert stat.S_IMODE(chart.stat().st_mode) == 0o600  # the server's user only
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert "k1" not in chart.name  # named by a hash, not by what it shows
    assert not list(folder.glob(".*.tmp"))  # written whole, then moved into place


def test_one_kernel_claims_a_chart_and_the_others_wait_for_it(folder):
    assert store.claim("k") is True
    assert store.claim("k") is False  # another kernel: being drawn
    assert store.claim("other") is True
    store.put("k", SVG)  # drawn: the claim is released
    store.forget()
    assert store.get("k") == SVG
    assert store.claim("k") is True  # (a later draw could claim it again)


def test_a_claim_left_by_a_dead_kernel_is_taken_over(folder):
    assert store.claim("k") is True
    (lock,) = folder.glob("*.lock")
    old = time.time() - store.STALE_SECONDS - 1
    os.utime(lock, (old, old))
    assert store.claim("k") is True


def test_a_failed_drawing_releases_its_claim(folder):
    def fails() -> str:
        raise ValueError("no data")

    with pytest.raises(ValueError, match="no data"):
        data.drawn("k", fails, share=True)
    assert not list(folder.glob("*.lock"))
    assert data.drawn("k", lambda: SVG, share=True) == SVG


def test_shared_drawing_waits_for_another_kernel_and_reads_its_chart(folder):
    assert store.claim("k") is True  # another kernel is drawing "k"
    drew: list[int] = []

    def draw() -> str:
        drew.append(1)
        return SVG

    assert data.drawn("k", draw, share=True) is None and drew == []
    store.put("k", SVG)  # the other kernel finished
    store.forget()
    assert data.drawn("k", draw, share=True) == SVG and drew == []
    assert store.claim("new") is True
    assert data.drawn("new", draw) == SVG and drew == [1]  # scripts draw regardless


def test_the_oldest_charts_are_removed_beyond_the_limit(folder, monkeypatch):
    monkeypatch.setattr(store, "MAX_FILES", 3)
    for i in range(5):
        store.put(f"k{i}", SVG.replace("drawn", f"chart {i}"))
        newest = time.time() - 100 + i
        for chart in folder.glob("*.svg"):
            if chart.stat().st_mtime > newest:
                os.utime(chart, (newest, newest))
    assert len(list(folder.glob("*.svg"))) == 3
    store.forget()
    assert store.get("k0") is None and store.get("k1") is None
    assert store.get("k4") == SVG.replace("drawn", "chart 4")


def test_switched_off_every_kernel_draws_its_own(monkeypatch, tmp_path):
    monkeypatch.setenv("ILC_CHART_CACHE", "off")
    store.forget()
    assert store.folder() is None
    assert store.claim("k") is True and store.claim("k") is True
    store.put("k", SVG)
    assert store.get("k") == SVG  # this kernel still remembers it
    store.forget()
    assert store.get("k") is None
    assert list(tmp_path.iterdir()) == []


def test_an_unwritable_folder_keeps_charts_in_memory(monkeypatch, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("ILC_CHART_CACHE", str(blocker / "charts"))
    store.forget()
    assert store.claim("k") is True  # cannot lock: draw it here
    assert store.put("k", SVG) == SVG
    assert store.get("k") == SVG


def test_a_dashboard_in_a_page_waits_for_charts_another_kernel_draws(folder, ctx_for, monkeypatch):
    """In a kernel's event loop, a chart being drawn elsewhere is read when it is ready."""
    from ilc_widgets.widgets.review import dashboard

    claimed: list[str] = []
    real_claim = store.claim

    def held_elsewhere(key: str) -> bool:
        claimed.append(key)
        real_claim(key)  # the lock file now exists, as if another kernel made it
        return False

    async def page() -> ProgressDashboard:
        loop = asyncio.get_running_loop()
        monkeypatch.setattr(dashboard, "running_loop", lambda: loop)  # as in a kernel
        monkeypatch.setattr(store, "claim", held_elsewhere)
        dash = ProgressDashboard(ctx_for("participant", "literacy-1"))
        await asyncio.sleep(0.8)
        monkeypatch.setattr(store, "claim", real_claim)
        waiting = set(claimed)
        assert len(waiting) >= 2 and dash.charts_pending == len(waiting)
        assert all("<svg" not in card.value for card in dash.cards)
        for key in waiting:  # the other kernel finishes its drawings
            store.put(key, SVG)
        for _ in range(40):
            if dash.charts_pending == 0:
                break
            await asyncio.sleep(0.1)
        return dash

    dash = run_isolated(page())  # its own thread: the browser tests may leave a loop here
    assert dash.charts_pending == 0
    shown = [card.value for card in dash.cards if "drawn elsewhere" in card.value]
    assert len(shown) == len(set(claimed))


_SECOND_KERNEL = """
import sys
from ilc_widgets import workbook
from ilc_widgets.session import get_context
ctx = get_context({db!r}, query_string={query!r}, environ={{"ILC_SERVE": "1"}})
dash = workbook.section(ctx, "progress_dashboard")
results = workbook.section(ctx, "pulse_results")
effect = workbook.section(ctx, "effect_size")
assert effect.result is not None  # the collective's stored scores: computed on view
charts = sum("<svg" in card.value for card in dash.cards) + ("<svg" in results.chart.value)
charts += "<svg" in effect.output.value
print(charts, "matplotlib" in sys.modules, "scipy" in sys.modules)
"""


def test_a_second_kernel_shows_the_first_kernels_charts_without_matplotlib(folder, demo_sqlite):
    code = "literacy-1"
    query = access_query(demo_sqlite.secret, collective=code)
    script = _SECOND_KERNEL.format(db=demo_sqlite.url, query=query)
    env = {**os.environ, "ILC_CHART_CACHE": str(folder)}
    runs = []
    for _ in range(2):
        out = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, env=env
        )
        assert out.returncode == 0, out.stderr[-2000:]
        runs.append(out.stdout.split())
    (first_charts, first_mpl, _), (second_charts, second_mpl, scipy) = runs
    assert int(first_charts) >= 4 and first_mpl == "True"  # the first kernel drew them
    assert second_charts == first_charts and second_mpl == "False"
    assert scipy == "False"  # the effect size's t distribution needs no SciPy


def test_a_page_asks_again_for_a_chart_another_kernel_is_drawing(folder, monkeypatch):
    """drawn_for_page: None and a retry while another kernel draws; drawn here outside a
    kernel's loop."""
    assert store.claim("k") is True  # another kernel is drawing "k"
    asked: list[str | None] = []

    async def page() -> None:
        loop = asyncio.get_running_loop()
        monkeypatch.setattr(data, "running_loop", lambda: loop)  # as in a kernel

        def retry() -> None:
            asked.append(data.drawn_for_page("k", lambda: "mine", retry))

        retry()
        await asyncio.sleep(data.SHARED_RETRY_SECONDS * 1.5)
        store.put("k", SVG)  # the other kernel finished
        await asyncio.sleep(data.SHARED_RETRY_SECONDS * 2)

    run_isolated(page())
    assert asked[0] is None and asked[-1] == SVG  # asked again until read, never drawn here
    assert set(asked[:-1]) == {None}
    monkeypatch.setattr(data, "running_loop", lambda: None)
    assert data.drawn_for_page("other", lambda: "drawn here", lambda: None) == "drawn here"
