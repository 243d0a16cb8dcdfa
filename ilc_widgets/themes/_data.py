"""The word lists of theme suggestion, read once from the data files of this package.

``glossary.tsv`` holds the K-12 glossary (pattern, case sensitive?, meaning; one entry a
line) and ``stopwords.txt`` the words that are never a theme's content.
"""

from __future__ import annotations

from importlib.resources import files
from typing import Final


def _lines(name: str) -> list[str]:
    """The lines of a data file of this package, without blank lines and # comments."""
    text = files("ilc_widgets.themes").joinpath(name).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


def _glossary_entry(line: str) -> tuple[str, bool, str]:
    """One glossary line: a regular expression, yes/no (case sensitive) and a meaning."""
    pattern, case, meaning = line.split("\t")
    if case not in {"yes", "no"} or not pattern or not meaning:
        raise ValueError(f"glossary.tsv: malformed entry {line!r}")
    return pattern, case == "yes", meaning


#: General K-12 glossary: (regular expression, case sensitive?, plain-English meaning).
#: It defines terms of art; it never names a theme. Entries are matched on word boundaries.
GLOSSARY: Final[tuple[tuple[str, bool, str], ...]] = tuple(
    _glossary_entry(line) for line in _lines("glossary.tsv")
)

#: Words that never count as a statement's content (nor start or end a theme's name).
STOPWORDS: Final = frozenset(word for line in _lines("stopwords.txt") for word in line.split())
