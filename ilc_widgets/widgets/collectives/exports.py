"""The board's downloads and addresses: the roster as CSV and XLSX, data links, the server's URL."""

from __future__ import annotations

import base64
import html
import os
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ...network import PARTICIPANT_FIELDS
from ...spreadsheet import csv_bytes, xlsx_bytes

if TYPE_CHECKING:
    from collections.abc import Mapping

    import pandas as pd

    from ...network import Network

__all__ = [
    "ROSTER_COLUMNS",
    "download_link",
    "roster_csv",
    "roster_frame",
    "roster_xlsx",
    "server_base_url",
]

esc = html.escape

ROSTER_COLUMNS = (
    "collective",
    "collective_name",
    *PARTICIPANT_FIELDS[: PARTICIPANT_FIELDS.index("modality") + 1],
    "theme",
)
"""The roster download's columns: the collective, then who is in it."""


def server_base_url(environ: Mapping[str, str] | None = None) -> str:
    """The address of the Voilà server running this kernel ('' outside Voilà or when unknown).

    Voilà gives the kernel the request's host and port (``SERVER_NAME``/``SERVER_PORT``, also
    for preheated kernels), its URL (``VOILA_REQUEST_URL``) and base path (``VOILA_BASE_URL``).
    """
    from ...session import in_voila

    env = os.environ if environ is None else environ
    if not in_voila(env):
        return ""
    request = env.get("VOILA_REQUEST_URL", "")
    parts = urlsplit(request) if request else None
    scheme = parts.scheme if parts is not None and parts.scheme in ("http", "https") else "http"
    base = env.get("VOILA_BASE_URL", "") or "/"
    base = ("/" + base.strip("/") + "/").replace("//", "/")
    host = env.get("SERVER_NAME", "").strip()
    port = env.get("SERVER_PORT", "").strip()
    if host:
        if ":" in host and not host.startswith("["):
            host = f"[{host}]"
        default = "443" if scheme == "https" else "80"
        netloc = host if not port or port == default else f"{host}:{port}"
        return f"{scheme}://{netloc}{base}"
    if parts is not None and parts.netloc:
        cut = parts.path.find("/voila/render/")
        root = parts.path[: cut + 1] if cut >= 0 else base
        return f"{scheme}://{parts.netloc}{root}"
    return ""


def roster_frame(net: Network) -> pd.DataFrame:
    """One row per member of a saved collective (:data:`ROSTER_COLUMNS`), by collective."""
    people = net.participants_frame()
    names = {c.code: c.name for c in net.collective_list()}
    placed = people[people["collective"].astype(str) != ""].copy()
    placed["collective_name"] = [names.get(str(c), "") for c in placed["collective"]]
    placed = placed.sort_values(["collective", "name", "participant_id"], kind="stable")
    return placed.loc[:, list(ROSTER_COLUMNS)].reset_index(drop=True)


def roster_csv(roster: pd.DataFrame) -> bytes:
    """The roster as CSV (UTF-8 with BOM; formula-like text guarded by :func:`csv_bytes`)."""
    return csv_bytes(roster)


def roster_xlsx(roster: pd.DataFrame, collectives: pd.DataFrame) -> bytes:
    """The roster and a sheet of the collectives as one XLSX workbook (text stays text)."""
    return xlsx_bytes({"Roster": roster, "Collectives": collectives})


def download_link(data: bytes, filename: str, mime: str, text: str, css: str = "") -> str:
    """An ``<a download>`` link that carries ``data`` itself (no server round trip)."""
    payload = base64.b64encode(data).decode("ascii")
    return (
        f"<a class='ilc-download {esc(css)}' download='{esc(filename)}' "
        f"href='data:{esc(mime)};base64,{payload}'>{esc(text)}</a>"
    )
