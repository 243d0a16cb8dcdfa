"""Drawn charts kept for every kernel of a server: in memory, then in a folder on disk.

When a room opens its links at once, every kernel of a collective's page would draw the same
charts with matplotlib (0.3 CPU-seconds and 26 MB to import it, then the drawing). Charts are
keyed by what they are drawn from, so one kernel can draw a chart and the others read its
SVG: a kernel about to draw first :func:`claim`\\ s the key (a lock file made with
``O_EXCL``); the others see it is being drawn, ask again shortly, and find the file.

The folder is ``$ILC_CHART_CACHE`` (``off`` turns the disk store off), by default
``~/.cache/ilc-widgets/charts`` (or under ``$XDG_CACHE_HOME``). Its files are readable by the
server's user only and named by a hash that also covers the drawing code and matplotlib's
version, so a changed chart style never reads an old drawing. The newest
:data:`MAX_FILES` charts are kept.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
import time
from collections import OrderedDict
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Final

from ._cache import remember

__all__ = ["MAX_FILES", "STALE_SECONDS", "claim", "folder", "forget", "get", "put", "release"]

ENV: Final = "ILC_CHART_CACHE"
MAX_FILES: Final = 2000
"""Charts kept on disk; the oldest are removed beyond this."""
STALE_SECONDS: Final = 30.0
"""A claim older than this is taken over (its kernel died or hangs)."""
_MEMORY_SIZE: Final = 256
_MEMORY: OrderedDict[str, str] = OrderedDict()


def folder() -> Path | None:
    """Where charts are kept on disk (None when the disk store is off)."""
    setting = os.environ.get(ENV, "").strip()
    if setting.lower() in {"off", "0", "none", "false"}:
        return None
    if setting:
        return Path(setting).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "ilc-widgets" / "charts"


@cache
def _salt() -> str:
    """The drawing code and matplotlib's version: a change to either is a new chart."""
    charts = Path(__file__).with_name("charts.py")
    try:
        code = charts.read_bytes()
    except OSError:
        code = b""
    try:
        version = metadata.version("matplotlib")
    except metadata.PackageNotFoundError:
        version = ""
    return hashlib.sha1(code + version.encode()).hexdigest()


def _name(key: str) -> str:
    return hashlib.sha1(f"{_salt()}:{key}".encode()).hexdigest()


def get(key: str) -> str | None:
    """The chart kept under ``key``, from memory or disk (None when none is kept)."""
    found = _MEMORY.get(key)
    if found is not None:
        _MEMORY.move_to_end(key)
        return found
    where = folder()
    if where is None:
        return None
    try:
        found = (where / f"{_name(key)}.svg").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    remember(_MEMORY, key, found, _MEMORY_SIZE)
    return found


def put(key: str, svg: str) -> str:
    """Keep ``svg`` under ``key`` (and let others waiting for it read it); returns it.

    A chart that cannot be written to disk is still kept in memory: the disk store only
    saves other kernels the drawing.
    """
    remember(_MEMORY, key, svg, _MEMORY_SIZE)
    where = folder()
    if where is not None:
        with contextlib.suppress(OSError):
            _write(where, _name(key), svg)
            _prune(where)
    release(key)
    return svg


def _write(where: Path, name: str, svg: str) -> None:
    where.mkdir(mode=0o700, parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=where, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(svg)
        Path(temporary).replace(where / f"{name}.svg")  # readers see all of it or nothing
    except BaseException:
        with contextlib.suppress(OSError):
            Path(temporary).unlink()
        raise


def _prune(where: Path) -> None:
    charts = [e for e in os.scandir(where) if e.name.endswith(".svg")]
    if len(charts) <= MAX_FILES:
        return
    charts.sort(key=lambda e: e.stat().st_mtime)
    for entry in charts[: len(charts) - MAX_FILES]:
        with contextlib.suppress(OSError):
            Path(entry.path).unlink()


def claim(key: str) -> bool:
    """True when this kernel should draw the chart under ``key`` now; False while another
    kernel is drawing it (ask :func:`get` again shortly).

    Without a disk store, or when the folder cannot be written, every kernel draws its own.
    """
    where = folder()
    if where is None:
        return True
    lock = where / f"{_name(key)}.lock"
    for _ in range(2):
        try:
            where.mkdir(mode=0o700, parents=True, exist_ok=True)
            os.close(os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
            return True
        except FileExistsError:
            try:
                age = time.time() - lock.stat().st_mtime
            except OSError:
                continue  # released meanwhile: try again
            if age < STALE_SECONDS:
                return False
            with contextlib.suppress(OSError):
                lock.unlink()  # its kernel is gone: take it over
        except OSError:
            return True
    return True


def release(key: str) -> None:
    """Give up a claim (after drawing, or when drawing failed)."""
    where = folder()
    if where is not None:
        with contextlib.suppress(OSError):
            (where / f"{_name(key)}.lock").unlink()


def forget() -> None:
    """Drop the charts kept in this process's memory (tests; the disk store stays)."""
    _MEMORY.clear()
