"""Signed access links: who may see what, decided from a link's query string.

A collective's link carries ``collective=<id>&key=<key>`` where the key is an HMAC of the
collective id under the network secret; the facilitator link carries
``role=facilitator&key=<key>``, and the intake form link ``role=intake&key=<key>``.
Keys are compared in constant time. Rotating the secret invalidates every old link.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal
from urllib.parse import parse_qs, urlencode

if TYPE_CHECKING:
    from collections.abc import Mapping

Role = Literal["facilitator", "participant", "researcher", "intake", "denied"]

HOME_NOTEBOOK = "00_home.ipynb"
NOTEBOOKS: dict[str, str] = {
    "00_home.ipynb": "Home",
    "01_gather_themes.ipynb": "1. Gather and identify themes",
    "02_form_collectives.ipynb": "2. Form collectives",
    "03_design_inquiry.ipynb": "3. Design inquiry (placemat)",
    "04_collect_evidence.ipynb": "4. Implement and collect evidence",
    "05_review_progress.ipynb": "5. Review progress",
    "06_share_knowledge.ipynb": "6. Share knowledge across groups",
}
_KEY_CHARS = 22  # 132 bits of the HMAC, base64url


def _sign(secret: str, message: str) -> str:
    digest = hmac.new(secret.encode(), message.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")[:_KEY_CHARS]


def collective_key(secret: str, collective: str) -> str:
    """The key in a collective's link."""
    return _sign(secret, f"collective:{collective}")


def facilitator_key(secret: str) -> str:
    """The key in the facilitator's link."""
    return _sign(secret, "role:facilitator")


def intake_key(secret: str) -> str:
    """The key in the participant intake form's link."""
    return _sign(secret, "role:intake")


def _same(expected: str, given: str) -> bool:
    return hmac.compare_digest(expected.encode(), given.encode())


@dataclass(frozen=True)
class Grant:
    """What a query string grants: a role, and the collective for participants."""

    role: Role
    collective: str | None = None
    reason: str = ""

    @property
    def allowed(self) -> bool:
        """False when the link did not verify."""
        return self.role != "denied"


def parse_query(query: str | None) -> dict[str, str]:
    """The first value of each parameter of a query string (with or without ``?``)."""
    parsed = parse_qs((query or "").lstrip("?"), keep_blank_values=True)
    return {k: v[0] for k, v in parsed.items()}


def verify(secret: str, params: Mapping[str, str]) -> Grant:
    """Decide what a link's parameters grant; anything unverified is denied."""
    key = params.get("key", "")
    collective = params.get("collective", "")
    role = params.get("role", "")
    if not key:
        return Grant("denied", reason="the link has no key")
    if collective:
        if _same(collective_key(secret, collective), key):
            return Grant("participant", collective)
        return Grant("denied", reason="the key does not match the collective")
    if role == "facilitator" and _same(facilitator_key(secret), key):
        return Grant("facilitator")
    if role == "intake" and _same(intake_key(secret), key):
        return Grant("intake")
    return Grant("denied", reason="the key does not verify")


def access_query(secret: str, *, collective: str | None = None, role: str | None = None) -> str:
    """The query string (without ``?``) that grants a collective or a role."""
    if collective:
        return urlencode({"collective": collective, "key": collective_key(secret, collective)})
    if role == "facilitator":
        return urlencode({"role": "facilitator", "key": facilitator_key(secret)})
    if role == "intake":
        return urlencode({"role": "intake", "key": intake_key(secret)})
    raise ValueError("give a collective or role='facilitator' / 'intake'")


def notebook_url(base_url: str, notebook: str, query: str = "") -> str:
    """The Voilà URL of a workbook (``base_url`` is the server root, e.g. http://host:8866/)."""
    root = base_url.rstrip("/")
    url = f"{root}/voila/render/{notebook}"
    return f"{url}?{query}" if query else url
