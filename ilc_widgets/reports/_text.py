"""Small text helpers the report's parts share: counts as text, shortened text, chart labels."""

from __future__ import annotations

from ..privacy import count_marker


def _count_text(n: int | None, min_n: int) -> str:
    if n is None:
        return ""
    if 0 < n < min_n:
        return count_marker(min_n)
    return f"{n:,}"


def _mpl(text: str) -> str:
    """Text safe for matplotlib (no mathtext from a ``$`` someone typed)."""
    return text.replace("$", r"\$")


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
