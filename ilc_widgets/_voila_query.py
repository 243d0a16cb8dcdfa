"""A preheated kernel's wait for its page's request, without importing Voilà.

Voilà runs a workbook's first cells in a kernel before anyone asks for the page; the
session then has to wait for the request to learn its query string (the link's key).
``voila.utils.get_query_string`` does that, but importing ``voila`` pulls in Jupyter
Server, JupyterLab Server and a JSON-schema grammar: 1.8 CPU-seconds and 46 MB in every
kernel, most of the cost of a page when a room opens its links at once. This module does
the same exchange with ``websockets`` alone: connect to the server's
``voila/query/<kernel id>`` socket, receive the request's environment as one JSON object,
and put it into ``os.environ`` (the protocol of Voilà 0.5's ``wait_for_request``).
"""

from __future__ import annotations

import asyncio
import json
import os
import threading
import warnings
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import MutableMapping

#: How long to wait for the server's socket to accept the connection (as Voilà does).
OPEN_TIMEOUT = 5.0


def query_url(environ: MutableMapping[str, str]) -> str:
    """The server socket that hands a preheated kernel its request (Voilà's variables)."""
    protocol = environ.get("VOILA_WS_PROTOCOL", "ws")
    host = environ.get("VOILA_APP_IP", "127.0.0.1")
    port = environ.get("VOILA_APP_PORT", "8866")
    base = environ.get("VOILA_WS_BASE_URL", environ.get("VOILA_SERVER_URL", "/"))
    return f"{protocol}://{host}:{port}{base}voila/query/{environ.get('VOILA_KERNEL_ID', '')}"


async def _receive(url: str) -> str | None:
    import websockets

    try:
        async with websockets.connect(url, open_timeout=OPEN_TIMEOUT) as socket:
            message = await socket.recv()
    except (TimeoutError, OSError):
        warnings.warn("the page's request did not reach this kernel", stacklevel=2)
        return None
    return message if isinstance(message, str) else message.decode()


def wait_for_query(environ: MutableMapping[str, str] | None = None) -> str:
    """Wait until this preheated kernel's page is requested; return its query string.

    Outside a preheated kernel (``VOILA_PREHEAT`` is not ``True``) nothing is waited for
    and the query string already in the environment is returned. The request's variables
    (``QUERY_STRING``, ``SCRIPT_NAME``, ...) are written into ``environ``. The wait runs in
    its own thread and event loop, because the kernel's loop is busy running this cell.
    """
    env = os.environ if environ is None else environ
    if env.get("VOILA_PREHEAT", "False") != "True":
        return env.get("QUERY_STRING", "")
    found: list[str | None] = [None]

    def run() -> None:
        loop = asyncio.new_event_loop()
        try:
            found[0] = loop.run_until_complete(_receive(query_url(env)))
        finally:
            loop.close()

    thread = threading.Thread(target=run, name="ilc-wait-for-request", daemon=True)
    thread.start()
    thread.join()
    if found[0] is not None:
        for key, value in json.loads(found[0]).items():
            env[str(key)] = str(value)
    return env.get("QUERY_STRING", "")
