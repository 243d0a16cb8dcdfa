"""The K-12 jargon glossary: which terms of art a statement uses, and what they mean."""

from __future__ import annotations

import functools
import re
from typing import Final

from ._data import GLOSSARY

# One pass per text: each entry is a named group with its own case flag; matching is only
# tried where a word starts.
_GLOSSARY_RX: Final = re.compile(
    r"(?<![\w-])(?:"
    + "|".join(
        f"(?P<g{i}>(?{'' if case else 'i'}:{pattern}))"
        for i, (pattern, case, _) in enumerate(GLOSSARY)
    )
    + r")(?![\w-])"
)


def glosses(text: str) -> list[str]:
    """Plain-English meanings of the glossary terms used in ``text``, in order of use."""
    return list(_glosses(text))


def _alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a regular expression ("a|(b|c)d" gives "a", "(b|c)d")."""
    out: list[str] = []
    depth = 0
    current = ""
    for char in pattern:
        if char == "|" and depth == 0:
            out.append(current)
            current = ""
            continue
        depth += (char == "(") - (char == ")")
        current += char
    return [*out, current]


def _starts(pattern: str) -> set[str]:
    """The first two characters of every way ``pattern`` can match (at least; a superset)."""
    out: set[str] = set()
    for alternative in _alternatives(pattern):
        if alternative.startswith("("):
            depth, close = 0, 0
            for close, char in enumerate(alternative):  # noqa: B007 - used after the loop
                depth += (char == "(") - (char == ")")
                if depth == 0:
                    break
            inner = alternative[1:close].removeprefix("?:")
            rest = alternative[close + 1 :]
            if rest[:1] in {"?", "*"}:  # an optional group: the match may start after it
                out |= _starts(rest[1:])
            out |= {(start + rest)[:2] for start in _starts(inner)}
        elif len(alternative) >= 2 and alternative[1] in "?*{":
            out |= {alternative[:1] + alternative[2:3], alternative[:1] + alternative[1:2]}
        else:
            out.add(alternative[:2])
    return out


def _glossary_starts() -> tuple[frozenset[str], frozenset[str]]:
    """How glossary terms can start: first two characters of the case-sensitive terms, and
    lowercased first two characters of the others. A pre-filter for :func:`_glosses`."""
    exact: set[str] = set()
    folded: set[str] = set()
    for pattern, case, _ in GLOSSARY:
        starts = _starts(pattern)
        if case:
            exact |= starts
        else:
            folded |= {start.lower() for start in starts}
    return frozenset(exact), frozenset(folded)


_GLOSSARY_STARTS: Final = _glossary_starts()
_WORD_START_RX: Final = re.compile(r"(?<![\w-])(?=(\S.?))", re.DOTALL)


@functools.lru_cache(maxsize=16_384)
def _glosses(text: str) -> tuple[str, ...]:
    # Same matches as _GLOSSARY_RX.finditer(text), but the long pattern is only tried where
    # a word starts the way some glossary term does: several times faster.
    exact, folded = _GLOSSARY_STARTS
    found: list[str] = []
    end = 0
    for start in _WORD_START_RX.finditer(text):
        pos = start.start()
        key = start.group(1)
        if pos < end or (key not in exact and key.lower() not in folded):
            continue
        match = _GLOSSARY_RX.match(text, pos)
        if match is None:
            continue
        end = match.end()
        gloss = GLOSSARY[int(str(match.lastgroup)[1:])][2]
        if gloss not in found:
            found.append(gloss)
    return tuple(found)


def expand_jargon(text: str) -> str:
    """``text`` followed by the meanings of the glossary terms it uses, for people to read.

    "LETRS for every K-2 teacher" gives "LETRS for every K-2 teacher (teacher training in the
    science of reading and early literacy; early elementary grades)".
    """
    found = _glosses(text)
    return f"{text} ({'; '.join(found)})" if found else text
