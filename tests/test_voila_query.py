"""A preheated kernel learns its page's request from the server without importing Voilà.

A real websocket server on loopback plays Voilà's ``voila/query/<kernel id>`` socket; the
pages served by ``ilc serve`` (preheated kernels) exercise the real one in the browser tests.
"""

from __future__ import annotations

import asyncio
import json
import socket
import subprocess
import sys
import threading
from typing import Any

import pytest

from ilc_widgets._voila_query import query_url, wait_for_query


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _QueryServer:
    """Voilà's request socket: sends one JSON object to the kernel that connects."""

    def __init__(self, payload: dict[str, str]) -> None:
        self.payload = payload
        self.paths: list[str] = []
        self.port = _free_port()
        self._ready = threading.Event()
        self._stop: asyncio.Future[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        from websockets.asyncio.server import serve

        async def handler(ws: Any) -> None:
            self.paths.append(ws.request.path)
            await ws.send(json.dumps(self.payload))

        async def main() -> None:
            self._loop = asyncio.get_running_loop()
            self._stop = self._loop.create_future()
            async with serve(handler, "127.0.0.1", self.port):
                self._ready.set()
                await self._stop

        asyncio.run(main())

    def __enter__(self) -> _QueryServer:
        self._thread.start()
        assert self._ready.wait(10)
        return self

    def __exit__(self, *_: object) -> None:
        assert self._loop is not None and self._stop is not None
        self._loop.call_soon_threadsafe(self._stop.set_result, None)
        self._thread.join(10)


def test_a_preheated_kernel_receives_its_request():
    payload = {"QUERY_STRING": "collective=C01&key=abc", "SCRIPT_NAME": "/voila/render/04.ipynb"}
    with _QueryServer(payload) as server:
        env = {
            "VOILA_PREHEAT": "True",
            "VOILA_APP_PORT": str(server.port),
            "VOILA_KERNEL_ID": "k-123",
            "VOILA_SERVER_URL": "/base/",
        }
        assert wait_for_query(env) == "collective=C01&key=abc"
    assert server.paths == ["/base/voila/query/k-123"]
    assert env["SCRIPT_NAME"] == "/voila/render/04.ipynb"  # every variable, as Voilà does


def test_the_socket_address_follows_voilas_variables():
    env = {
        "VOILA_WS_PROTOCOL": "wss",
        "VOILA_APP_IP": "10.0.0.5",
        "VOILA_APP_PORT": "9000",
        "VOILA_SERVER_URL": "/a/",
        "VOILA_WS_BASE_URL": "/ws/",
        "VOILA_KERNEL_ID": "k",
    }
    assert query_url(env) == "wss://10.0.0.5:9000/ws/voila/query/k"
    assert query_url({"VOILA_KERNEL_ID": "k"}) == "ws://127.0.0.1:8866/voila/query/k"


def test_a_kernel_that_is_not_preheated_does_not_wait():
    env = {"QUERY_STRING": "key=x", "VOILA_APP_PORT": "1"}  # nothing listens on port 1
    assert wait_for_query(env) == "key=x"
    assert wait_for_query({}) == ""


def test_no_server_gives_an_empty_query_and_a_warning_not_a_hang():
    env = {"VOILA_PREHEAT": "True", "VOILA_APP_PORT": str(_free_port()), "VOILA_KERNEL_ID": "k"}
    with pytest.warns(UserWarning, match="did not reach"):
        assert wait_for_query(env) == ""  # the session is then denied: no key


def test_the_session_does_not_import_voila_or_jupyter_server():
    code = (
        "import sys\n"
        "from ilc_widgets import workbook, session\n"
        "from ilc_widgets import _voila_query\n"
        "for name in ['evidence_logger', 'placemat', 'progress_dashboard', 'home']:\n"
        "    workbook._resolve(name)\n"
        "heavy = [m for m in ('voila', 'jupyter_server', 'jupyterlab_server') if m in sys.modules]\n"
        "print(heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr


def test_the_session_waits_for_its_request_without_importing_voila():
    code = (
        "import os, sys\n"
        "from ilc_widgets.session import _query_string\n"
        "print(_query_string(os.environ))\n"
        "print('voila' in sys.modules, 'jupyter_server' in sys.modules)\n"
    )
    with _QueryServer({"QUERY_STRING": "role=facilitator&key=k"}) as server:
        env = {
            **{k: v for k, v in __import__("os").environ.items() if not k.startswith("VOILA")},
            "VOILA_PREHEAT": "True",
            "VOILA_APP_PORT": str(server.port),
            "VOILA_KERNEL_ID": "kid",
        }
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60
        )
    assert out.stdout.split("\n")[:2] == ["role=facilitator&key=k", "False False"], out.stderr
