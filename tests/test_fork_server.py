"""Kernels forked from a warm parent (ilc_widgets._fork_server): real kernels, real signals."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from ilc_widgets import _fork_server as fork
from tests._aio import run_isolated

pytestmark = pytest.mark.skipif(os.name != "posix", reason="fork is POSIX")

KERNEL = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]


def test_only_this_pythons_ipykernel_with_the_same_start_up_variables_is_forked(monkeypatch):
    monkeypatch.setenv("PYTHONPATH", "/kit")
    env = {**os.environ, "ILC_DATABASE_URL": "sqlite://", "JPY_SESSION_NAME": "x"}
    assert fork.forkable(KERNEL, env)
    assert not fork.forkable(["/usr/bin/other-python", *KERNEL[1:]], env)
    assert not fork.forkable([sys.executable, "-m", "other_kernel", "-f", "c.json"], env)
    assert not fork.forkable([sys.executable, "script.py"], env)
    # a kernel spec that changes how Python starts gets a Python of its own
    assert not fork.forkable(KERNEL, {**env, "PYTHONPATH": "/elsewhere"})
    assert not fork.forkable(KERNEL, {**env, "LD_PRELOAD": "/lib/x.so"})
    assert not fork.forkable(KERNEL, {k: v for k, v in env.items() if k != "PYTHONPATH"})


def test_a_forked_process_is_watched_and_signalled_like_a_popen():
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    proc = fork.ForkedProcess(sleeper.pid)
    assert proc.poll() is None
    with pytest.raises(subprocess.TimeoutExpired):
        proc.wait(timeout=0.2)
    proc.kill()
    assert proc.wait(timeout=10) == -signal.SIGKILL
    assert proc.poll() == -signal.SIGKILL
    proc.send_signal(signal.SIGTERM)  # once ended: nothing, no error
    sleeper.wait()


@pytest.fixture
def forking(monkeypatch):
    """Kernels started in the test go through the fork provisioner; yields a way to set the
    fork server they use (closed after the test)."""
    from jupyter_client.provisioning import KernelProvisionerFactory

    factory = KernelProvisionerFactory.instance()
    before = factory.default_provisioner_name
    factory.default_provisioner_name = fork.NAME
    servers: list[fork.ForkServer] = []

    def use(server: fork.ForkServer) -> fork.ForkServer:
        monkeypatch.setattr(fork.ForkServer, "_shared", server)
        servers.append(server)
        return server

    yield use
    factory.default_provisioner_name = before
    for server in servers:
        server.close()


async def _start(tmp_path: Path, tag: str, env: dict[str, str] | None = None) -> Any:
    from jupyter_client.manager import AsyncKernelManager

    km = AsyncKernelManager(transport="ipc", ip=str(tmp_path / f"k-{tag}"))
    km.connection_file = str(tmp_path / f"kernel-{tag}.json")
    await km.start_kernel(cwd=str(tmp_path), env={**os.environ, "ILC_TAG": tag, **(env or {})})
    return km


async def _run(km: Any, code: str) -> str:
    kc = km.client()
    kc.start_channels()
    try:
        await kc.wait_for_ready(timeout=60)
        out: list[str] = []
        await kc.execute_interactive(
            code,
            timeout=60,
            output_hook=lambda m: out.append(m["content"].get("text", "")),
        )
        return "".join(out).strip()
    finally:
        kc.stop_channels()


PROBE = (
    "import os, sys; preloaded = 'pandas' in sys.modules\n"
    "print(os.getppid(), os.getpgid(0) == os.getpid(), os.getcwd(), os.environ['ILC_TAG'], "
    "preloaded)"
)


def test_kernels_are_forked_from_one_warm_parent_with_their_own_env_folder_and_session(
    tmp_path, forking
):
    server = forking(fork.ForkServer())

    async def scenario() -> list[str]:
        kms = [await _start(tmp_path, tag) for tag in ("a", "b")]
        try:
            assert all(isinstance(k.provisioner, fork.ForkProvisioner) for k in kms)
            assert all(isinstance(k.provisioner.process, fork.ForkedProcess) for k in kms)
            return [f"{server.pid} {await _run(k, PROBE)}" for k in kms]
        finally:
            for k in kms:
                await k.shutdown_kernel()

    lines = run_isolated(scenario())
    for line, tag in zip(lines, ("a", "b"), strict=True):
        fork_server, parent, own_group, cwd, seen_tag, preloaded = line.split()
        assert parent == fork_server  # a child of the fork server, not of this process
        assert own_group == "True"  # its own session: an interrupt reaches it alone
        assert Path(cwd) == tmp_path
        assert seen_tag == tag
        assert preloaded == "True"  # pandas was imported by the fork server, not the kernel


def test_a_forked_kernel_is_interrupted_and_shut_down_and_ends_with_its_parent(tmp_path, forking):
    import psutil

    server = forking(fork.ForkServer())

    async def scenario() -> dict[str, Any]:
        seen: dict[str, Any] = {}
        km = await _start(tmp_path, "interrupt")
        kc = km.client()
        kc.start_channels()
        await kc.wait_for_ready(timeout=60)
        kc.execute("import time; time.sleep(60)")
        await asyncio_sleep(1.0)
        await km.interrupt_kernel()
        while True:
            msg = await kc.get_iopub_msg(timeout=20)
            if msg["msg_type"] == "error":
                seen["interrupted"] = msg["content"]["ename"]
                break
        kc.stop_channels()
        pid = km.provisioner.pid
        await km.shutdown_kernel()
        seen["after shutdown"] = psutil.pid_exists(pid) and psutil.Process(pid).status()
        killed = await _start(tmp_path, "killed")
        pid = killed.provisioner.pid
        await killed.shutdown_kernel(now=True)
        seen["after kill"] = psutil.pid_exists(pid) and psutil.Process(pid).status()
        orphan = await _start(tmp_path, "orphan")
        await _run(orphan, "1")
        pid = orphan.provisioner.pid
        server.close()  # as when the Voilà process goes: the fork server ends, then its kernels
        deadline = time.monotonic() + 15
        while psutil.pid_exists(pid) and time.monotonic() < deadline:
            await asyncio_sleep(0.2)
        seen["orphan alive"] = psutil.pid_exists(pid)
        return seen

    seen = run_isolated(scenario())
    assert seen == {
        "interrupted": "KeyboardInterrupt",
        "after shutdown": False,
        "after kill": False,
        "orphan alive": False,
    }


async def asyncio_sleep(seconds: float) -> None:
    """``asyncio.sleep`` (imported late, as the kernel tests' loop is their own)."""
    import asyncio

    await asyncio.sleep(seconds)


def test_without_a_working_fork_server_the_kernel_starts_as_jupyter_starts_it(tmp_path, forking):
    server = forking(fork.ForkServer(preload=("ilc_widgets.no_such_module",)))

    async def scenario() -> tuple[Any, str]:
        km = await _start(tmp_path, "plain")
        try:
            return km.provisioner.process, await _run(km, "import os; print(os.getpid())")
        finally:
            await km.shutdown_kernel()

    process, pid = run_isolated(scenario())
    assert isinstance(process, subprocess.Popen)  # Jupyter's own launch
    assert int(pid) == process.pid
    assert server.broken and "import" in server.broken


def test_a_kernel_spec_that_changes_pythons_start_up_is_not_forked(tmp_path, forking):
    server = forking(fork.ForkServer())

    async def scenario() -> Any:
        km = await _start(tmp_path, "own", env={"PYTHONPATH": str(tmp_path)})
        try:
            await _run(km, "1")
            return km.provisioner.process
        finally:
            await km.shutdown_kernel()

    process = run_isolated(scenario())
    assert isinstance(process, subprocess.Popen)
    assert server.pid is None  # never started: nothing asked it to fork


def test_ilc_serve_forks_kernels_unless_told_not_to(tmp_path, monkeypatch):
    import ilc_widgets.serve as serve

    seen: dict[str, Any] = {}

    def fake_popen(cmd: list[str], env: dict[str, str], cwd: str) -> str:
        seen.update(cmd=cmd)
        return "process"

    monkeypatch.setattr(serve.subprocess, "Popen", fake_popen)
    flag = f"--KernelProvisionerFactory.default_provisioner_name={fork.NAME}"
    serve.start_voila("sqlite://", port=1, directory=tmp_path)
    assert flag in seen["cmd"]
    serve.start_voila("sqlite://", port=1, directory=tmp_path, fork=False)
    assert flag not in seen["cmd"]


def test_the_provisioner_is_registered_for_jupyter():
    from jupyter_client.provisioning import KernelProvisionerFactory

    assert fork.NAME in KernelProvisionerFactory.instance().provisioners
