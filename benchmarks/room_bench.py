"""The room moment: N people open the same workbook at once, against a trivial notebook.

A session starts with "open your link": a collective (N = 10) or a whole convening (N = 30)
opens one workbook within seconds, and Voilà starts a kernel per page. For each notebook,
one ``ilc serve``-configured Voilà over the demo network (kernels preheated, one kept warm
per workbook, forked from a warm parent, as ``ilc serve`` does by default) gets N pages opened
at the same moment by headless Chromium, each in its own browser context. The reference is
the trivial notebook (one button) on plain Voilà (Voilà's own defaults), opened the same way
in the same run, once per N; the trivial notebook is also measured on the ``ilc serve``
beside each workbook, for a second set of ratios. A page is interactive when every
section it shows for its link is visible (as in ``voila_tti.py``). Links rotate over the
demo's collectives once N is larger than a collective. The server's chart store
(``ILC_CHART_CACHE``) is emptied before each wave: the room's first kernel of a collective
draws its charts, as when nobody has opened the page since the data changed.

Printed per notebook and N: the last and the median time to interactive, the server's
CPU-seconds per page (the Voilà process and every kernel, from before the pages open until
the server is quiet again, warm kernels refilled included), the median memory (PSS) of the
kernels serving the pages (those a page is connected to; under ``ilc serve``, whose kernels
are forked from one warm parent, plus each kernel's share of that parent's PSS), how many
more kernels were running 10 s after the pages closed than before they opened (each page is
closed as a tab is, so Voilà's page asks for its kernel's shutdown), how many pages never
became interactive within the timeout ("lost": counted, left out of the times), and each
figure as a ratio to the trivial notebook on plain Voilà.

    python benchmarks/room_bench.py                           # 00, 03, 04, 05; N = 10 and 30
    python benchmarks/room_bench.py 04_collect_evidence.ipynb --sizes 10
    python benchmarks/room_bench.py 04_collect_evidence.ipynb --sizes 10 --ready 12
    python benchmarks/room_bench.py --quick                   # 2 pages of 04: does it run?

``--ready K`` serves with ``ilc serve --ready <workbook>=K`` (K warm kernels for the workbook
being measured, and for the trivial notebook alike) and waits until they are warm before
each wave.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import statistics
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import psutil  # type: ignore[import-untyped]

sys.path.insert(0, str(Path(__file__).resolve().parent))

from voila_tti import CHROMIUM, FLAGS, TRIVIAL, demo_setup

from ilc_widgets.access import access_query, notebook_url
from ilc_widgets.serve import (
    free_port,
    read_ready,
    start_voila,
    wait_for_port,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

DEFAULT_NOTEBOOKS = (
    "00_home.ipynb",
    "03_design_inquiry.ipynb",
    "04_collect_evidence.ipynb",
    "05_review_progress.ipynb",
)
COLLECTIVE_SIZE = 10

_VISIBLE = """n => [...document.querySelectorAll('.ilc-app')]
    .filter(e => e.getClientRects().length > 0).length >= n"""
_COUNT = """() => [...document.querySelectorAll('.ilc-app')]
    .filter(e => e.getClientRects().length > 0).length"""


@dataclass
class Wave:
    """What one wave of N simultaneous pages cost."""

    notebook: str
    pages: int
    times: list[float]
    cpu_seconds: float
    server_cpu_seconds: float
    kernel_pss_mb: float
    kernels_left: int
    failed: int = 0
    """Pages that never became interactive within the timeout (counted, not timed)."""
    server: str = "ilc serve"
    """Which server served it: ``ilc serve`` or plain Voilà (the reference)."""

    @property
    def last(self) -> float:
        """Seconds until the last page was interactive."""
        return max(self.times)

    @property
    def median(self) -> float:
        """Median seconds to interactive."""
        return statistics.median(self.times)

    @property
    def cpu_per_page(self) -> float:
        """Server CPU-seconds per page."""
        return self.cpu_seconds / self.pages

    @property
    def voila_cpu_per_page(self) -> float:
        """The Voilà process's own share of :attr:`cpu_per_page` (the rest is kernels)."""
        return self.server_cpu_seconds / self.pages


FORK_SERVER = "ilc_widgets._fork_server"


def _fork_servers(server: psutil.Process) -> list[psutil.Process]:
    """The server's fork server (``ilc serve`` forks kernels from it), if it has one."""
    out = []
    for child in server.children():
        try:
            if FORK_SERVER in child.cmdline():
                out.append(child)
        except psutil.Error:
            continue
    return out


def _kernels(server: psutil.Process) -> list[psutil.Process]:
    """The server's kernel processes: started as ``ipykernel_launcher`` or forked."""
    forking = {p.pid for p in _fork_servers(server)}
    out = []
    for child in server.children(recursive=True):
        try:
            if child.pid in forking:
                continue
            if child.ppid() in forking or any("ipykernel" in a for a in child.cmdline()):
                out.append(child)
        except psutil.Error:
            continue
    return out


def _cpu(server: psutil.Process) -> float:
    """CPU-seconds used so far by the server and its children, live or ended.

    A live child's own ended children count too: the fork server's, once a kernel ends.
    """
    total = 0.0
    for proc in (server, *server.children(recursive=True)):
        try:
            t = proc.cpu_times()
            total += t.user + t.system + t.children_user + t.children_system
        except psutil.Error:
            continue
    return total


def _own_cpu(server: psutil.Process) -> float:
    """CPU-seconds used so far by the Voilà process itself (not its kernels)."""
    try:
        t = server.cpu_times()
    except psutil.Error:
        return 0.0
    return float(t.user + t.system)


_KERNEL_ID = re.compile(r"kernel-([0-9a-f]{8}-[0-9a-f-]{27})")


def _kernel_id(kernel: psutil.Process) -> str | None:
    """The kernel's id: from its command line, or (a forked kernel) its local sockets' names."""
    try:
        found = _KERNEL_ID.search(" ".join(kernel.cmdline()))
        if not found:
            paths = " ".join(str(c.laddr) for c in kernel.net_connections(kind="unix"))
            found = _KERNEL_ID.search(paths)
    except psutil.Error:
        return None
    return found.group(1) if found else None


def _connections(base: str, kernel: psutil.Process) -> int:
    """How many pages are connected to this kernel (Voilà's kernel API); 0 if unknown."""
    kernel_id = _kernel_id(kernel)
    if kernel_id is None:
        return 0
    try:
        with urllib.request.urlopen(f"{base}api/kernels/{kernel_id}", timeout=5) as r:
            return int(json.loads(r.read().decode()).get("connections", 0))
    except (OSError, ValueError):
        return 0


def _pss_mb(proc: psutil.Process) -> float | None:
    try:
        pss: float = proc.memory_full_info().pss
    except psutil.Error:
        return None
    return pss / 1024**2


def _wait_quiet(server: psutil.Process, seconds: float = 2.0, limit: float = 90.0) -> None:
    """Wait until the server and its kernels used under 5% of a core for ``seconds``."""
    deadline = time.monotonic() + limit
    last = _cpu(server)
    while time.monotonic() < deadline:
        time.sleep(seconds)
        now = _cpu(server)
        if now - last < 0.05 * seconds:
            return
        last = now


def _wait_ready(port: int, notebook: str, want: int, limit: float = 300.0) -> None:
    """Wait until ``want`` kernels are warm for ``notebook`` (``ilc serve --ready``)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if read_ready("127.0.0.1", port).get(notebook, {}).get("ready", 0) >= want:
            return
        time.sleep(0.5)
    raise RuntimeError(f"{notebook}: {want} kernels were not warm within {limit:.0f} s")


async def _open(browser: Any, url: str, sections: int, timeout_ms: int) -> tuple[float | None, Any]:
    """Seconds until the page was interactive (None: not within the timeout), and the page."""
    from playwright.async_api import TimeoutError as PageTimeout

    context = await browser.new_context()
    page = await context.new_page()
    start = time.perf_counter()
    try:
        await page.goto(url, wait_until="commit", timeout=timeout_ms)
        await page.wait_for_function(_VISIBLE, arg=sections, timeout=timeout_ms, polling=100)
    except PageTimeout:
        return None, page
    return time.perf_counter() - start, page


async def _sections(browser: Any, url: str, timeout_ms: int, quiet: float = 3.0) -> int:
    """How many sections a page shows for this link, once the count is steady (warm-up)."""
    context = await browser.new_context()
    page = await context.new_page()
    await page.goto(url, wait_until="commit", timeout=timeout_ms)
    await page.wait_for_selector(".ilc-app", state="visible", timeout=timeout_ms)
    count, since = -1, time.monotonic()
    deadline = time.monotonic() + timeout_ms / 1000
    while time.monotonic() < deadline:
        now = int(await page.evaluate(_COUNT))
        if now != count:
            count, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet:
            break
        await asyncio.sleep(0.1)
    await context.close()
    return max(1, count)


async def _wave(
    browser: Any,
    server: psutil.Process,
    base: str,
    urls: Sequence[str],
    notebook: str,
    sections: int,
    timeout_ms: int,
) -> Wave:
    """Open every URL at the same moment; measure until the server is quiet again."""
    before = len(_kernels(server))
    cpu_before, own_before = _cpu(server), _own_cpu(server)
    opened = await asyncio.gather(*(_open(browser, u, sections, timeout_ms) for u in urls))
    times = [t for t, _ in opened if t is not None]
    failed = len(opened) - len(times)
    await asyncio.to_thread(_wait_quiet, server)
    cpu_used, own_used = _cpu(server) - cpu_before, _own_cpu(server) - own_before
    # The kernels serving the pages are those with a page connected; the others wait, warm,
    # for a page (of any workbook) and have run only the workbook's first cells.
    kernels = _kernels(server)
    serving = [k for k in kernels if _connections(base, k) > 0]
    sizes = [m for m in (_pss_mb(k) for k in serving) if m is not None]
    pss = statistics.median(sizes) if sizes else float("nan")
    # A fork server's memory is the kernels' too: each page carries its share of it.
    shared = sum(m for m in (_pss_mb(f) for f in _fork_servers(server)) if m is not None)
    pss += shared / max(1, len(kernels))
    # as when people close their tabs: the page asks Voilà to shut its kernel down
    for _, page in opened:
        await page.close(run_before_unload=True)  # returns before the page is gone
    await asyncio.sleep(2)
    for _, page in opened:
        await page.context.close()
    await asyncio.sleep(8)
    left = max(0, len(_kernels(server)) - before)
    return Wave(notebook, len(urls), times or [float("nan")], cpu_used, own_used, pss, left, failed)


def _start_plain(folder: Path, cwd: Path) -> tuple[Any, int]:
    """Plain Voilà (its own defaults: no warm kernels, TCP, one Python per kernel) on a port."""
    import subprocess

    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ILC_")}
    cmd = [sys.executable, "-m", "voila", str(folder), f"--port={port}", "--no-browser"]
    cmd += ["--Voila.ip=127.0.0.1", "--Voila.log_level=WARN"]
    return subprocess.Popen(cmd, cwd=cwd, env=env), port


def _urls(base: str, notebook: str, queries: Sequence[str], n: int) -> list[str]:
    """N links: one collective's for a collective-sized room, rotating over collectives above."""
    if n <= COLLECTIVE_SIZE:
        return [notebook_url(base, notebook, queries[0])] * n
    return [notebook_url(base, notebook, queries[i % len(queries)]) for i in range(n)]


Results = tuple[dict[int, Wave], list[tuple[Wave, Wave]]]
"""The plain-Voilà trivial wave per N, and (trivial, workbook) waves on ``ilc serve``."""


async def _run(args: argparse.Namespace) -> Results:
    from playwright.async_api import async_playwright

    tmp, folder, db, net = demo_setup("ilc-room-")
    codes = [str(code) for code in net.collectives["collective"]]
    queries = [access_query(net.secret, collective=code) for code in codes]
    ready = dict.fromkeys((TRIVIAL, *args.notebooks), args.ready) if args.ready else None
    port = free_port()
    charts = tmp / "charts"  # the server's chart store, emptied before each wave
    proc = start_voila(
        f"sqlite:///{db}",
        port=port,
        directory=folder,
        preheat=True,
        ready=ready,
        extra_env={"ILC_CHART_CACHE": str(charts)},
    )
    plain, plain_port = _start_plain(folder, tmp)
    base = f"http://127.0.0.1:{port}/"
    plain_base = f"http://127.0.0.1:{plain_port}/"
    timeout_ms = int(args.timeout * 1000)
    results: list[tuple[Wave, Wave]] = []
    reference: dict[int, Wave] = {}
    try:
        wait_for_port("127.0.0.1", port, 60, proc)
        wait_for_port("127.0.0.1", plain_port, 60, plain)
        server, plain_server = psutil.Process(proc.pid), psutil.Process(plain.pid)
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            for notebook in args.notebooks:
                for n in args.sizes:
                    if n not in reference:  # the trivial notebook on plain Voilà, once per N
                        urls = [f"{plain_base}voila/render/{TRIVIAL}"] * n
                        print(f"{TRIVIAL} (plain Voilà): {n} pages ...", file=sys.stderr)
                        sections = await _sections(browser, urls[0], timeout_ms)
                        await asyncio.to_thread(_wait_quiet, plain_server)
                        wave = await _wave(
                            browser, plain_server, plain_base, urls, TRIVIAL, sections, timeout_ms
                        )
                        wave.server = "Voilà"
                        reference[n] = wave
                        print(_line(wave), flush=True)
                    waves: dict[str, Wave] = {}
                    for name in (TRIVIAL, notebook):
                        urls = _urls(base, name, queries, n)
                        print(f"{name}: {n} pages ...", file=sys.stderr, flush=True)
                        sections = await _sections(browser, urls[0], timeout_ms)
                        if args.ready:
                            await asyncio.to_thread(_wait_ready, port, name, args.ready)
                        shutil.rmtree(charts, ignore_errors=True)  # no chart drawn yet
                        await asyncio.to_thread(_wait_quiet, server)
                        waves[name] = await _wave(
                            browser, server, base, urls, name, sections, timeout_ms
                        )
                        print(_line(waves[name]), flush=True)
                    results.append((waves[TRIVIAL], waves[notebook]))
            await browser.close()
    finally:
        for process in (proc, plain):
            process.terminate()
            try:
                process.wait(timeout=30)
            except Exception:
                process.kill()
        shutil.rmtree(tmp, ignore_errors=True)
    return reference, results


def _line(w: Wave) -> str:
    return (
        f"  {w.notebook:<28} {w.server:<9} N={w.pages:<3} last {w.last:6.2f} s  "
        f"median {w.median:6.2f} s  CPU/page {w.cpu_per_page:5.2f} s "
        f"(Voilà {w.voila_cpu_per_page:4.2f})  kernel PSS {w.kernel_pss_mb:6.1f} MB  "
        f"kernels left {w.kernels_left}  never loaded {w.failed}  "
        f"each {sorted(round(t) for t in w.times)} s"
    )


def _ratio(a: float, b: float | None) -> str:
    return f"{a / b:>7.2f}" if b else f"{'':>7}"


def _row(w: Wave, ref: Wave | None) -> str:
    return (
        f"{w.notebook:<26}{w.server:>10}{w.pages:>4}{w.last:>8.2f}"
        f"{_ratio(w.last, ref.last if ref else None)}{w.median:>10.2f}"
        f"{_ratio(w.median, ref.median if ref else None)}{w.cpu_per_page:>12.2f}"
        f"{_ratio(w.cpu_per_page, ref.cpu_per_page if ref else None)}"
        f"{w.kernel_pss_mb:>8.1f}"
        f"{_ratio(w.kernel_pss_mb, ref.kernel_pss_mb if ref else None)}"
        f"{w.kernels_left:>6}{w.failed:>6}"
    )


def report(results: Results, ready: int) -> str:
    """The table of figures and ratios to the trivial notebook on plain Voilà.

    A second table gives each workbook's ratios to the trivial notebook on the same
    ``ilc serve`` (which forks its kernels too, so it is cheaper than plain Voilà's).
    """
    reference, pairs = results
    mode = f"{ready} warm kernels per workbook (--ready)" if ready else "ilc serve defaults"
    head = (
        f"{'notebook':<26}{'server':>10}{'N':>4}{'last s':>8}{'ratio':>7}{'median s':>10}"
        f"{'ratio':>7}{'CPU s/page':>12}{'ratio':>7}{'PSS MB':>8}{'ratio':>7}{'left':>6}"
        f"{'lost':>6}"
    )
    lines = [
        f"The room moment ({mode}): N pages opened at once; "
        "ratio = / the trivial notebook on plain Voilà",
        head,
    ]
    for n, wave in sorted(reference.items()):
        lines.append(_row(wave, None))
        for trivial, wb in pairs:
            if wb.pages == n:
                lines += [_row(trivial, wave), _row(wb, wave)]
    lines += [
        "targets: CPU/page <= 2x, kernel PSS <= 2x, last of 10 <= 1.3x the trivial notebook",
        "",
        "ratio = / the trivial notebook on the same ilc serve (last, median, CPU, PSS):",
    ]
    for trivial, wb in pairs:
        lines.append(
            f"{wb.notebook:<26}{wb.pages:>4}{_ratio(wb.last, trivial.last)}"
            f"{_ratio(wb.median, trivial.median)}{_ratio(wb.cpu_per_page, trivial.cpu_per_page)}"
            f"{_ratio(wb.kernel_pss_mb, trivial.kernel_pss_mb)}"
        )
    worst = [wb for _, wb in pairs]
    if worst:
        cpu = sum(w.cpu_per_page for w in worst) / len(worst)
        mem = sum(w.kernel_pss_mb for w in worst) / len(worst)
        lines.append(
            f"capacity: about {cpu:.1f} CPU-seconds and {mem:.0f} MB per open page; one core "
            f"starts about {60 / cpu:.0f} pages a minute, one GB holds about {1024 / mem:.0f} "
            "open pages"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", help="workbooks (default 00, 03, 04, 05)")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 30], help="pages at once")
    parser.add_argument("--ready", type=int, default=0, help="warm kernels per measured workbook")
    parser.add_argument("--timeout", type=float, default=300)
    parser.add_argument("--quick", action="store_true", help="2 pages of 04 (a smoke run)")
    args = parser.parse_args(argv)
    if args.quick:
        args.notebooks, args.sizes = ["04_collect_evidence.ipynb"], [2]
    args.notebooks = args.notebooks or list(DEFAULT_NOTEBOOKS)
    results = asyncio.run(_run(args))
    print(report(results, args.ready))
    return 0


if __name__ == "__main__":
    sys.exit(main())
