"""Readying the room: ``ilc serve --ready`` keeps warm kernels for the workbook a room opens.

Parsing and the pool settings are tested directly; one test runs ``ilc serve --ready`` for
real, waits for its "N ready" line and asks the server's ``/ilc/ready`` endpoint; one runs
the room benchmark on two pages, so the benchmark keeps working (its figures are not
asserted: speed belongs to the benchmarks).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from ilc_widgets._voila_launch import ready_counts
from ilc_widgets.errors import IlcError
from ilc_widgets.serve import MAX_READY, parse_ready, pools_config, voila_arguments
from tests._aio import run_isolated

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    "spec", ["04_collect_evidence=12", "04_collect_evidence.ipynb=12", "04=12", "4=12", " 04 = 12 "]
)
def test_a_workbook_is_named_by_file_stem_or_number(spec):
    assert parse_ready([spec]) == {"04_collect_evidence.ipynb": 12}


def test_several_workbooks_and_the_last_word_wins():
    assert parse_ready(["03=4", "05_review_progress=6", "03=5"]) == {
        "03_design_inquiry.ipynb": 5,
        "05_review_progress.ipynb": 6,
    }


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("04", "write WORKBOOK=COUNT"),
        ("=3", "write WORKBOOK=COUNT"),
        ("09=3", "no workbook '09'; the workbooks are 00_home, 01_gather_themes"),
        ("collect=3", "no workbook 'collect'"),
        ("04=twelve", "'twelve' is not a whole number"),
        ("04=-1", f"between 0 and {MAX_READY}"),
        (f"04={MAX_READY + 1}", f"between 0 and {MAX_READY}"),
    ],
)
def test_a_bad_ready_names_what_is_wrong(spec, message):
    with pytest.raises(IlcError) as err:
        parse_ready([spec])
    assert message in str(err.value)
    assert repr(spec) in str(err.value)


def test_the_pools_keep_the_default_and_set_the_ready_workbook():
    assert pools_config({"04_collect_evidence.ipynb": 12}, 1) == {
        "default": {"pool_size": 1},
        "04_collect_evidence.ipynb": {"pool_size": 12},
    }


def test_ready_without_warm_kernels_is_refused(tmp_path):
    from ilc_widgets.serve import start_voila

    with pytest.raises(IlcError, match="--ready needs warm kernels"):
        start_voila("sqlite://", port=1, directory=tmp_path, preheat=False, ready={"a": 2})
    # voila_arguments alone never carries the pools (a dict on the command line is deprecated)
    args = voila_arguments(tmp_path, port=1, preheat=True, pool_size=2)
    assert not any("kernel_pools_config" in a for a in args)


class _Pools:
    """Stands in for Voilà's kernel manager: pools of kernel-start tasks, and its config."""

    def __init__(self, pools: dict[str, list[Any]], config: dict[str, Any]) -> None:
        self._pools = pools
        self.kernel_pools_config = config


def test_ready_counts_counts_started_kernels_only():
    async def scenario() -> dict[str, dict[str, int]]:
        loop = asyncio.get_running_loop()
        done, failed, pending = loop.create_future(), loop.create_future(), loop.create_future()
        done.set_result({"kernel_id": "k1"})
        failed.set_exception(RuntimeError("kernel died"))
        manager = _Pools(
            {"04.ipynb": [done, failed, pending], "00.ipynb": [done]},
            {"default": {"pool_size": 1}, "04.ipynb": {"pool_size": 3}},
        )
        counts = ready_counts(manager)
        pending.cancel()
        return counts

    assert run_isolated(scenario()) == {
        "00.ipynb": {"ready": 1, "target": 1},
        "04.ipynb": {"ready": 1, "target": 3},
    }
    assert ready_counts(object()) == {}  # not preheated: nothing to say


def _serve(database: str, *extra: str) -> tuple[subprocess.Popen[str], int]:
    from ilc_widgets.serve import free_port

    port = free_port()
    cmd = [sys.executable, "-m", "ilc_widgets.cli", "--database", database, "serve"]
    cmd += ["--port", str(port), "--no-browser", *extra]
    env = {k: v for k, v in os.environ.items() if k != "ILC_DATABASE_URL"}
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env
    )
    return proc, port


def _kernel_connection_files(server_pid: int) -> list[str]:
    """The connection files of the kernels a server started.

    From a kernel's command line, or, for a kernel forked by the fork server (whose command
    line is the fork server's), from the names of its local sockets, which sit beside it.
    """
    import psutil

    found = set()
    for child in psutil.Process(server_pid).children(recursive=True):
        with contextlib.suppress(psutil.Error):
            for part in child.cmdline():
                if re.search(r"kernel-[0-9a-f-]+\.json$", part):
                    found.add(part)
            for conn in child.net_connections(kind="unix"):
                socket_path = re.match(r"(.*/kernel-[0-9a-f-]{36})-ipc-\d+$", str(conn.laddr))
                if socket_path:
                    found.add(f"{socket_path.group(1)}.json")
    return sorted(found)


def _forked_kernels(server_pid: int) -> tuple[int, int]:
    """(kernels forked by fork servers, fork servers) under a server process."""
    import psutil

    tree = psutil.Process(server_pid).children(recursive=True)
    forking = [p for p in tree if "ilc_widgets._fork_server" in p.cmdline()]
    servers = [p for p in forking if p.ppid() not in {f.pid for f in forking}]
    return sum(len(f.children()) for f in servers), len(servers)


def test_kernel_sockets_need_a_short_temporary_folder(monkeypatch, tmp_path):
    from ilc_widgets import serve

    monkeypatch.setattr(tempfile, "tempdir", "/tmp")
    assert serve.kernel_sockets_fit()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / ("d" * 40)))
    assert not serve.kernel_sockets_fit()  # the sockets' paths would be too long: TCP


def test_ilc_serve_stops_on_sigint_even_when_started_with_it_ignored(tmp_path):
    """A background job's children inherit SIGINT ignored; ``ilc serve`` started that way
    ran on after Ctrl-C / kill -INT, and its Voilà kept serving."""
    from ilc_widgets.demo import load_demo
    from ilc_widgets.serve import free_port, wait_for_port

    db = tmp_path / "demo.sqlite"
    load_demo(db).close()
    port = free_port()
    cmd = [sys.executable, "-m", "ilc_widgets.cli", "--database", str(db), "serve"]
    cmd += ["--port", str(port), "--no-browser", "--no-preheat"]
    env = {k: v for k, v in os.environ.items() if k != "ILC_DATABASE_URL"}
    proc = subprocess.Popen(
        cmd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),
    )
    try:
        wait_for_port("127.0.0.1", port, 120, proc)  # type: ignore[arg-type]
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=30) == 0
        with socket.socket() as probe:  # and Voilà is gone: nothing serves the port
            assert probe.connect_ex(("127.0.0.1", port)) != 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_ilc_serve_ready_says_when_the_room_is_ready(tmp_path):
    from ilc_widgets.demo import load_demo

    db = tmp_path / "demo.sqlite"
    load_demo(db).close()
    proc, port = _serve(str(db), "--ready", "04_collect_evidence=3")
    lines: list[str] = []
    try:
        assert proc.stdout is not None
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                assert proc.poll() is None, "".join(lines)
                continue
            lines.append(line)
            if "ready" in line and "Getting" not in line:
                break
        text = "".join(lines)
        assert "Getting 3 pages of 4. Implement and collect evidence ready" in text
        assert lines[-1].strip() == "4. Implement and collect evidence: 3 ready", text
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/ilc/ready", timeout=10) as r:
            counts = json.loads(r.read().decode())
            assert r.headers["Cache-Control"] == "no-store"
        assert counts["04_collect_evidence.ipynb"] == {"ready": 3, "target": 3}
        assert counts["00_home.ipynb"]["target"] == 1
        assert not re.search(r"key=|token=", json.dumps(counts))
        # every kernel listens on local (IPC) sockets, not TCP ports: when thirty pages
        # open at once, two kernels given the same free port made one page never load
        kernels = _kernel_connection_files(proc.pid)
        assert len(kernels) >= 3
        # ... forked from one warm parent that imported what every kit kernel imports
        forked, fork_servers = _forked_kernels(proc.pid)
        assert fork_servers == 1
        assert forked >= 3
        for path in kernels:
            info = json.loads(Path(path).read_text())
            assert info["transport"] == "ipc", path
            assert len(f"{info['ip']}-{info['shell_port']}") < 108  # a socket path's limit
            assert stat.S_IMODE(Path(path).parent.stat().st_mode) & 0o777 == 0o700
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_the_room_benchmark_runs_and_prints_ratios():
    out = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "room_bench.py"), "--quick"],
        capture_output=True,
        text=True,
        timeout=900,
        cwd=ROOT,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    rows = {
        (m.group(1), m.group(2)): m.group(0)
        for m in re.finditer(
            r"^(trivial\.ipynb|04_collect_evidence\.ipynb)\s+(Voilà|ilc serve)\s+2\s.*$",
            out.stdout,
            re.M,
        )
    }
    reference = ("trivial.ipynb", "Voilà")
    workbook = ("04_collect_evidence.ipynb", "ilc serve")
    assert set(rows) == {reference, ("trivial.ipynb", "ilc serve"), workbook}, out.stdout
    # the reference (plain Voilà) has no ratios; the workbook a ratio after each of last,
    # median, CPU and memory
    assert len(re.findall(r"\d+\.\d+", rows[reference])) == 4, rows
    assert len(re.findall(r"\d+\.\d+", rows[workbook])) == 8, rows
    # and its ratios to the trivial notebook on the same ilc serve
    same = re.search(r"^04_collect_evidence\.ipynb\s+2(\s+\d+\.\d+){4}$", out.stdout, re.M)
    assert same, out.stdout
    assert re.search(r"capacity: about [\d.]+ CPU-seconds and \d+ MB per open page", out.stdout)


def test_readied_kernels_are_replaced_after_the_room_not_during_it(tmp_path, monkeypatch):
    """--ready hands Voilà the pools and a refill delay (refilling at once slowed the room)."""
    import ilc_widgets.serve as serve
    from ilc_widgets._voila_launch import POOLS_ENV

    seen: dict[str, Any] = {}

    def fake_popen(cmd: list[str], env: dict[str, str], cwd: str) -> str:
        seen.update(cmd=cmd, env=env)
        return "process"

    monkeypatch.setattr(serve.subprocess, "Popen", fake_popen)
    serve.start_voila("sqlite://", port=1, directory=tmp_path, preheat=True, ready={"04.ipynb": 12})
    manager = json.loads(seen["env"][POOLS_ENV])
    assert manager["kernel_pools_config"]["04.ipynb"] == {"pool_size": 12}
    assert manager["fill_delay"] == serve.READY_REFILL_DELAY >= 30
    assert not any("kernel_pools_config" in part for part in seen["cmd"])
    assert "--KernelManager.transport=ipc" in seen["cmd"]
    seen.clear()
    serve.start_voila("sqlite://", port=1, directory=tmp_path, preheat=True, ipc=False)
    assert POOLS_ENV not in seen["env"]  # without --ready, Voilà's own pool settings
    assert "--KernelManager.transport=ipc" not in seen["cmd"]
