"""A real ipykernel under forged widget messages: errors go to the server's log, not the page.

The kernel is started as Voilà starts it (``jupyter_client``, a separate process capturing
its own file descriptors), and the test talks to it over the shell and IOPub channels the
way Voilà's websocket does: ``comm_msg`` only.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from ilc_widgets import _kernel_safety
from tests._aio import run_isolated

pytestmark = pytest.mark.slow

SETUP = """
import logging, warnings
import ipywidgets as W
dropdown = W.Dropdown(options=["a", "b"])
button = W.Button(description="go")
def fail(_):
    raise RuntimeError("callback failed in " + __import__("ilc_widgets").__file__)
button.on_click(fail)
logger_button = W.Button(description="log")
def log_it(_):
    try:
        {}["missing"]
    except KeyError:
        logging.getLogger("Comm").error("handler failed", exc_info=True)
    warnings.warn("a warning names its file")
logger_button.on_click(log_it)
print(dropdown.model_id, button.model_id, logger_button.model_id)
"""
INSTALL = "from ilc_widgets import _kernel_safety; print(_kernel_safety.install())"
FORGED_INDEX = {"method": "update", "state": {"index": 999}, "buffer_paths": []}
CLICK = {"method": "custom", "content": {"event": "click"}}
LEAKS = ("Traceback", "/work", "site-packages", str(Path(sys.prefix)), "ilc_widgets/")


class Kernel:
    """A client of a running kernel: execute code, send comm messages, collect IOPub."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.last_seen: list[dict[str, Any]] = []
        self.replies: list[dict[str, Any]] = []

    async def _until_idle(self, msg_id: str) -> list[dict[str, Any]]:
        seen = []
        while True:
            msg = await self.client.get_iopub_msg(timeout=60)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            seen.append(msg)
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                return seen

    async def execute(self, code: str, status: str = "ok") -> str:
        msg_id = self.client.execute(code)
        seen = await self._until_idle(msg_id)
        self.last_seen = seen
        while True:  # skip stale replies (wait_for_ready may send several kernel_info)
            reply = await self.client.get_shell_msg(timeout=60)
            if reply["parent_header"].get("msg_id") == msg_id:
                break
        assert reply["content"]["status"] == status, reply["content"]
        self.replies.append(reply["content"])
        return "".join(m["content"]["text"] for m in seen if m["msg_type"] == "stream")

    async def comm(self, comm_id: str, data: dict[str, Any]) -> list[dict[str, Any]]:
        msg = self.client.session.msg("comm_msg", {"comm_id": comm_id, "data": data})
        self.client.shell_channel.send(msg)
        return await self._until_idle(msg["header"]["msg_id"])


async def _session(stderr_path: Path, install: bool) -> dict[str, Any]:
    from jupyter_client.manager import AsyncKernelManager

    env = {k: v for k, v in os.environ.items() if k not in ("PYTEST_CURRENT_TEST", "ILC_DEBUG")}
    env["ILC_SERVE"] = "1"  # as under `ilc serve`
    manager = AsyncKernelManager(kernel_name="python3")
    with stderr_path.open("w") as stderr:
        await manager.start_kernel(env=env, stderr=stderr, cwd=str(stderr_path.parent))
    client = manager.client()
    client.start_channels()
    try:
        await client.wait_for_ready(timeout=120)
        kernel = Kernel(client)
        installed = (await kernel.execute(INSTALL)).strip() if install else ""
        dropdown, button, logger_button = (await kernel.execute(SETUP)).split()
        iopub = await kernel.comm(dropdown, FORGED_INDEX)
        iopub += await kernel.comm(button, CLICK)
        iopub += await kernel.comm(logger_button, CLICK)
        index = (await kernel.execute("print(dropdown.index)")).strip()
        await kernel.execute("1 / 0", status="error")  # a failing cell still fails
        failed_cell = {"iopub": kernel.last_seen, "reply": kernel.replies[-1]}
        return {"iopub": iopub, "index": index, "installed": installed, "cell": failed_cell}
    finally:
        client.stop_channels()
        await manager.shutdown_kernel(now=True)


def _page_text(iopub: list[dict[str, Any]]) -> str:
    return "\n".join(json.dumps(m["content"]) for m in iopub)


def test_without_the_guard_the_page_gets_tracebacks(tmp_path):
    """The leak the guard closes (so the test below can fail)."""
    result = run_isolated(_session(tmp_path / "stderr.txt", install=False), timeout=300)
    page = _page_text(result["iopub"])
    assert "Traceback" in page and "site-packages" in page
    assert result["index"] == "0"


def test_forged_widget_messages_are_logged_on_the_server_not_sent_to_the_page(tmp_path):
    stderr_path = tmp_path / "stderr.txt"
    result = run_isolated(_session(stderr_path, install=True), timeout=300)
    assert result["installed"] == "True"
    assert result["index"] == "0"  # the forged index was refused
    page = _page_text(result["iopub"])
    for leak in LEAKS:
        assert leak not in page
    errors = [m["content"] for m in result["iopub"] if m["msg_type"] == "error"]
    assert [e["ename"] for e in errors] == ["TraitError", "RuntimeError"]
    assert all(e["traceback"] == [] and e["evalue"] == _kernel_safety.PAGE_MESSAGE for e in errors)
    assert not [m for m in result["iopub"] if m["msg_type"] == "stream"]
    log = stderr_path.read_text(encoding="utf-8")
    assert "TraitError: Invalid selection: index out of bounds" in log
    assert "RuntimeError: callback failed in" in log
    assert "Comm: handler failed | KeyError" in log
    assert "a warning names its file" in log
    assert "Traceback" not in log  # one line each unless ILC_DEBUG=1
    cell = result["cell"]
    assert cell["reply"]["ename"] == "ZeroDivisionError" and cell["reply"]["traceback"] == []
    assert [m["content"]["ename"] for m in cell["iopub"] if m["msg_type"] == "error"] == [
        "ZeroDivisionError"
    ]
    assert "Traceback" not in _page_text(cell["iopub"])


def test_install_only_under_voila_and_once(monkeypatch):
    import IPython

    published = []
    shell = SimpleNamespace(kernel=object(), _showtraceback=lambda *a: published.append(a))
    monkeypatch.setattr(IPython, "get_ipython", lambda: shell)
    routed = []
    monkeypatch.setattr(_kernel_safety, "_route_logging", routed.append)
    for name in ("SERVER_SOFTWARE", "VOILA_PREHEAT", "ILC_SERVE", "ILC_DEBUG"):
        monkeypatch.delenv(name, raising=False)
    assert _kernel_safety.install() is False  # JupyterLab, papermill: tracebacks stay
    assert routed == [] and not hasattr(shell, "_ilc_kernel_safety")
    monkeypatch.setenv("ILC_SERVE", "1")
    assert _kernel_safety.install() is True
    assert _kernel_safety.install() is False  # once per kernel
    assert routed == [False]
    try:
        raise KeyError("x")
    except KeyError as exc:
        shell._showtraceback(KeyError, exc, ["Traceback /work/..."])
    assert published == [(KeyError, _kernel_safety.PAGE_MESSAGE, [])]


def test_summary_is_one_line_without_paths():
    try:
        raise ValueError("bad value\n[SQL: INSERT INTO participants VALUES ('x@example.org')]")
    except ValueError as exc:
        line = _kernel_safety.summary(exc)
    assert line.startswith("ValueError: bad value (at test_kernel_safety.py:")
    assert "\n" not in line and "INSERT" not in line and "/" not in line
