"""Serving the workbooks with Voilà: where they are and the settings the apps need."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from ._voila_launch import KIT_TEMPLATE
from .errors import IlcError

if TYPE_CHECKING:
    from collections.abc import Sequence

UPLOAD_LIMIT_BYTES = 200 * 1024 * 1024  # as in workbooks/voila.json


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
    culled, (optionally) preheated kernels so workbooks open faster, and the kit's template
    (no request to another host; :mod:`ilc_widgets._voila_launch` makes Voilà find it).
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
    extra_env: dict[str, str] | None = None,
    extra_args: Sequence[str] = (),
) -> subprocess.Popen[bytes]:
    """Start Voilà over the workbooks as a child process; kernels see the database URL.

    Voilà runs through :mod:`ilc_widgets._voila_launch`, whose access log names requests
    by their path only (links carry keys in their query strings).
    """
    env = {
        **os.environ,
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
