"""Serving the workbooks with Voilà: where they are and the settings the apps need."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from ._fork_server import NAME as FORK
from ._voila_launch import KIT_TEMPLATE, POOLS_ENV, READY_PATH
from .access import NOTEBOOKS
from .errors import IlcError

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

UPLOAD_LIMIT_BYTES = 200 * 1024 * 1024  # as in workbooks/voila.json
MAX_READY = 100
"""Most warm kernels one workbook may keep (each holds about 100 MB of memory)."""
READY_REFILL_DELAY = 45.0
"""Seconds before Voilà replaces a warm kernel a page took, when a room is readied: refilling
at once (Voilà's default, 1 s) starts ten kernels while the room's ten pages still run,
and made the room moment slower than with no warm kernels at all."""


def parse_ready(specs: Iterable[str]) -> dict[str, int]:
    """``["04_collect_evidence=12"]`` -> ``{"04_collect_evidence.ipynb": 12}``.

    A workbook is named by its file name, with or without ``.ipynb``, or by its number
    (``04=12``). Raises :class:`IlcError` naming the bad part and the workbooks there are.
    """
    ready: dict[str, int] = {}
    for spec in specs:
        name, sep, count = spec.partition("=")
        name = name.strip()
        if not sep or not name:
            raise IlcError(f"--ready {spec!r}: write WORKBOOK=COUNT, e.g. 04_collect_evidence=12")
        notebook = _notebook_named(name)
        if notebook is None:
            choices = ", ".join(n.removesuffix(".ipynb") for n in NOTEBOOKS)
            raise IlcError(f"--ready {spec!r}: no workbook {name!r}; the workbooks are {choices}")
        try:
            number = int(count.strip())
        except ValueError:
            raise IlcError(f"--ready {spec!r}: {count.strip()!r} is not a whole number") from None
        if not 0 <= number <= MAX_READY:
            raise IlcError(f"--ready {spec!r}: the count must be between 0 and {MAX_READY}")
        ready[notebook] = number
    return ready


def _notebook_named(name: str) -> str | None:
    """The workbook file ``name`` stands for (file name, stem or two-digit number)."""
    for notebook in NOTEBOOKS:
        stem = notebook.removesuffix(".ipynb")
        if name in (notebook, stem, stem[:2]) or (name.isdigit() and int(name) == int(stem[:2])):
            return notebook
    return None


def pools_config(ready: Mapping[str, int], default: int) -> dict[str, dict[str, int]]:
    """Voilà's ``kernel_pools_config``: ``default`` warm kernels per workbook, ``ready`` apart."""
    return {"default": {"pool_size": default}} | {
        notebook: {"pool_size": count} for notebook, count in ready.items()
    }


def ready_url(host: str, port: int) -> str:
    """Where the running server says how many kernels each workbook has warm."""
    return f"http://{'127.0.0.1' if host in ('0.0.0.0', '') else host}:{port}{READY_PATH}"


def read_ready(host: str, port: int, timeout: float = 2.0) -> dict[str, dict[str, int]]:
    """``{notebook: {"ready": n, "target": m}}`` from the running server ({} if it cannot say)."""
    from urllib.error import URLError
    from urllib.request import urlopen

    try:
        with urlopen(ready_url(host, port), timeout=timeout) as response:
            data = json.loads(response.read().decode())
    except (OSError, URLError, ValueError):
        return {}
    return {str(k): {"ready": int(v["ready"]), "target": int(v["target"])} for k, v in data.items()}


def workbooks_dir() -> Path:
    """The folder of the six workbooks: the source tree's, or the copy in the wheel."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "workbooks", here / "_workbooks"):
        if (candidate / "00_home.ipynb").exists():
            return candidate
    raise IlcError("the workbooks folder is missing from this installation")


def voila_arguments(
    directory: Path,
    *,
    port: int,
    host: str = "127.0.0.1",
    open_browser: bool = False,
    preheat: bool = False,
    pool_size: int = 1,
) -> list[str]:
    """Command-line arguments of Voilà for the kit's apps.

    Uploads of up to 200 MB, no tracebacks shown to users, idle disconnected kernels
    culled, (optionally) ``pool_size`` preheated kernels per workbook so workbooks open
    faster, and the kit's template (no request to another host;
    :mod:`ilc_widgets._voila_launch` makes Voilà find it).
    """
    args = [
        str(directory),
        f"--port={port}",
        f"--Voila.ip={host}",
        f"--Voila.open_browser={open_browser}",
        # Upload limits, tracebacks and culling live in voila.json beside the workbooks
        # (Voilà reads it from its working directory); these only make sure of them.
        "--VoilaConfiguration.show_tracebacks=False",
        "--Voila.log_level=WARN",
        f"--VoilaConfiguration.template={KIT_TEMPLATE}",
    ]
    if preheat:
        args += [
            "--VoilaConfiguration.preheat_kernel=True",
            f"--VoilaConfiguration.default_pool_size={pool_size}",
        ]
    return args


SOCKET_FOLDER_LIMIT = 35
"""The longest temporary folder kernels' local sockets fit under: Voilà keeps a kernel's
connection (and its sockets) at ``<tmp>/voila_XXXXXXXX/kernel-<uuid>-ipc-<n>``, about 70
characters more, and a socket's path must stay under Linux's 108."""


def kernel_sockets_fit() -> bool:
    """True when kernels can talk to Voilà over local (IPC) sockets here.

    Kernels on local sockets cannot be handed a TCP port another process took meanwhile:
    with thirty pages opening at once, one kernel given a "free" port that an outgoing
    connection had just taken died before replying, and its page never loaded. Under a
    deep temporary folder (macOS's, for one) the socket paths would be too long: TCP then.
    """
    return os.name == "posix" and len(tempfile.gettempdir()) <= SOCKET_FOLDER_LIMIT


def fork_kernels_work() -> bool:
    """True when kernels can be forked from a warm parent here (POSIX with ``fork``)."""
    return os.name == "posix" and hasattr(os, "fork") and sys.platform != "darwin"


def free_port(host: str = "127.0.0.1") -> int:
    """An unused TCP port on ``host``."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def wait_for_port(host: str, port: int, timeout: float, proc: subprocess.Popen[bytes]) -> None:
    """Wait until something listens on ``host:port``, or the server process dies."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise IlcError(f"Voilà stopped while starting (exit code {proc.returncode})")
        with socket.socket() as sock:
            sock.settimeout(0.5)
            if sock.connect_ex((host, port)) == 0:
                return
        time.sleep(0.2)
    raise IlcError(f"Voilà did not start listening on {host}:{port} within {timeout:.0f} s")


def start_voila(
    database_url: str,
    *,
    port: int,
    host: str = "127.0.0.1",
    directory: Path | None = None,
    open_browser: bool = False,
    preheat: bool = False,
    pool_size: int = 1,
    ready: Mapping[str, int] | None = None,
    extra_env: dict[str, str] | None = None,
    extra_args: Sequence[str] = (),
    ipc: bool = True,
    fork: bool = True,
) -> subprocess.Popen[bytes]:
    """Start Voilà over the workbooks as a child process; kernels see the database URL.

    With ``ipc`` (where :func:`kernel_sockets_fit`), kernels talk to Voilà over local
    sockets instead of TCP ports. With ``fork``, kernels are forked from a warm parent that
    has imported what every kit kernel imports (:mod:`ilc_widgets._fork_server`).

    ``ready`` keeps that many warm kernels for a workbook a room is about to open
    (``{"04_collect_evidence.ipynb": 12}``), instead of ``pool_size``.

    Voilà runs through :mod:`ilc_widgets._voila_launch`, whose access log names requests
    by their path only (links carry keys in their query strings).
    """
    if ready and not preheat:
        raise IlcError("--ready needs warm kernels: leave out --no-preheat")
    manager = {
        "kernel_pools_config": pools_config(ready or {}, pool_size),
        "fill_delay": READY_REFILL_DELAY,
    }
    pools = {POOLS_ENV: json.dumps(manager)} if ready else {}
    if ipc and kernel_sockets_fit():
        extra_args = ["--KernelManager.transport=ipc", *extra_args]
    if fork and fork_kernels_work():
        extra_args = [f"--KernelProvisionerFactory.default_provisioner_name={FORK}", *extra_args]
    env = {
        **os.environ,
        **pools,
        "ILC_DATABASE_URL": database_url,
        "ILC_SERVE": "1",
        "PYTHONUNBUFFERED": "1",
        **(extra_env or {}),
    }
    folder = directory or workbooks_dir()
    cmd = [
        sys.executable,
        "-m",
        "ilc_widgets._voila_launch",  # Voilà, with an access log that omits query strings
        *voila_arguments(
            folder,
            port=port,
            host=host,
            open_browser=open_browser,
            preheat=preheat,
            pool_size=pool_size,
        ),
        *extra_args,
    ]
    return subprocess.Popen(cmd, env=env, cwd=str(folder))
