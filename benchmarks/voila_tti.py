"""Time to interactive of the workbooks under Voilà, against a trivial one-widget notebook.

For each workbook and for ``trivial.ipynb`` (one button) served by the same Voilà, in
alternation, headless Chromium opens the URL in a fresh browser context and the clock
stops when every section the page shows for that link (top-level widgets of class
``ilc-app``, counted on a warm-up visit; one for the trivial notebook) is visible: widgets
render only once the kernel has run the notebook and the page holds a live connection to it, so that
is the moment a person can use the whole page. Prints per-run times, medians and the ratio
workbook/trivial.

    python benchmarks/voila_tti.py                      # 00_home.ipynb, 5 runs each
    python benchmarks/voila_tti.py 03_design_inquiry.ipynb 04_collect_evidence.ipynb
    python benchmarks/voila_tti.py --all --runs 7 --link facilitator
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

import nbformat

from ilc_widgets.access import access_query, notebook_url
from ilc_widgets.demo import load_demo
from ilc_widgets.serve import free_port, start_voila, wait_for_port, workbooks_dir

if TYPE_CHECKING:
    from ilc_widgets.network import Network

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TRIVIAL = "trivial.ipynb"


def write_trivial(folder: Path) -> None:
    """The reference: a notebook with one button and nothing else."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.cells = [
        nbformat.v4.new_code_cell(
            "import ipywidgets as W\n"
            "b = W.Button(description='Click me')\n"
            "b.add_class('ilc-app')\n"
            "b"
        )
    ]
    nbformat.write(nb, folder / TRIVIAL)


def demo_setup(prefix: str) -> tuple[Path, Path, Path, Network]:
    """A temporary folder with a copy of the workbooks plus the trivial notebook, and the
    demo network beside it: ``(folder, workbooks folder, database file, network)``."""
    tmp = Path(tempfile.mkdtemp(prefix=prefix))
    folder = tmp / "workbooks"
    shutil.copytree(workbooks_dir(), folder, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    write_trivial(folder)
    db = tmp / "demo.sqlite"
    return tmp, folder, db, load_demo(db)


_VISIBLE_COUNT = """() => [...document.querySelectorAll('.ilc-app')]
    .filter(e => e.getClientRects().length > 0).length"""
_ALL_VISIBLE = f"n => ({_VISIBLE_COUNT})() >= n"


def settled_count(browser: object, url: str, timeout_ms: int, quiet: float = 3.0) -> int:
    """How many top-level widgets the page ends up showing for this link (a warm-up visit).

    Sections a link may not use show less (or nothing), so the count is observed: the
    number of visible ``ilc-app`` widgets once it has not changed for ``quiet`` seconds.
    """
    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(url, wait_until="commit", timeout=timeout_ms)
    page.wait_for_selector(".ilc-app", state="visible", timeout=timeout_ms)
    count, since = -1, time.monotonic()
    deadline = time.monotonic() + timeout_ms / 1000
    while time.monotonic() < deadline:
        now = int(page.evaluate(_VISIBLE_COUNT))
        if now != count:
            count, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet:
            break
        time.sleep(0.1)
    context.close()
    return max(1, count)


def measure(browser: object, url: str, timeout_ms: int, sections: int = 1) -> float:
    """Seconds from navigation to ``sections`` top-level widgets being visible."""
    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    start = time.perf_counter()
    page.goto(url, wait_until="commit", timeout=timeout_ms)
    page.wait_for_selector(".ilc-app", state="visible", timeout=timeout_ms)
    if sections > 1:
        page.wait_for_function(
            _ALL_VISIBLE,
            arg=sections,
            timeout=timeout_ms,
        )
    elapsed = time.perf_counter() - start
    context.close()
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", help="workbooks to measure (default 00_home)")
    parser.add_argument("--all", action="store_true", help="measure every workbook")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--link", choices=["collective", "facilitator"], default="collective")
    parser.add_argument("--collective", default="literacy-1")
    parser.add_argument("--preheat", action="store_true", help="serve with preheated kernels")
    parser.add_argument("--timeout", type=float, default=120)
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    source = workbooks_dir()
    names = (
        sorted(p.name for p in source.glob("0*.ipynb"))
        if args.all
        else (args.notebooks or ["00_home.ipynb"])
    )
    tmp, folder, db, net = demo_setup("ilc-tti-")
    if args.link == "facilitator":
        query = access_query(net.secret, role="facilitator")
    else:
        query = access_query(net.secret, collective=args.collective)
    port = free_port()
    proc = start_voila(f"sqlite:///{db}", port=port, directory=folder, preheat=args.preheat)
    base = f"http://127.0.0.1:{port}/"
    results: dict[str, list[float]] = {n: [] for n in [TRIVIAL, *names]}
    try:
        wait_for_port("127.0.0.1", port, 60, proc)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            # one warm-up visit each: the first request compiles templates and fills caches,
            # and shows how many sections this link gets to see
            sections: dict[str, int] = {}
            for name in results:
                url = notebook_url(base, name, query)
                sections[name] = settled_count(browser, url, int(args.timeout * 1000))
            for _ in range(args.runs):
                for name in results:
                    if args.preheat:
                        time.sleep(4)  # let the pool refill, as between two real visitors
                    url = notebook_url(base, name, query)
                    timeout_ms = int(args.timeout * 1000)
                    results[name].append(measure(browser, url, timeout_ms, sections[name]))
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        shutil.rmtree(tmp, ignore_errors=True)

    base_median = statistics.median(results[TRIVIAL])
    mode = "preheated kernels" if args.preheat else "kernels started on request"
    print(f"Voilà time to interactive ({mode}; {args.runs} runs; link: {args.link})")
    head = f"{'notebook':<28}{'widgets':>8}{'median s':>10}{'min s':>8}{'max s':>8}{'ratio':>8}"
    print(f"{head}   runs")
    for name, times in results.items():
        median = statistics.median(times)
        runs = " ".join(f"{t:.2f}" for t in times)
        print(
            f"{name:<28}{sections[name]:>8}{median:>10.2f}{min(times):>8.2f}{max(times):>8.2f}"
            f"{median / base_median:>8.2f}   {runs}"
        )
    worst = max(statistics.median(results[n]) / base_median for n in names)
    print(f"worst ratio against the trivial notebook: {worst:.2f} (target <= 1.5)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
