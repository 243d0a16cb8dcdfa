"""Names and keywords of themes, from the phrases their statements share."""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import TYPE_CHECKING, Final

import numpy as np

from ._data import STOPWORDS as _STOPWORDS
from .config import UNTHEMED
from .embedding import _normalize

if TYPE_CHECKING:
    from collections.abc import Sequence

    from .result import Embedder, FloatArray

_TOKEN_RX: Final = re.compile(r"[A-Za-z][A-Za-z0-9'&+/-]*[A-Za-z0-9+]|[A-Za-z]|\d+(?:-\d+)?")
_SEGMENT_RX: Final = re.compile(r"[,;:()\[\].!?\"]+|\s-\s")
_JOINERS: Final = frozenset({"of", "and", "&"})
_CANDIDATES_PER_THEME: Final = 12


def _phrases(text: str) -> list[tuple[str, str]]:
    """(key, surface) pairs: content words and 2-3 word phrases of ``text``.

    A phrase starts and ends with a content word and may have one joining word inside
    ("science of reading").
    """
    out: list[tuple[str, str]] = []
    for n, segment in enumerate(_SEGMENT_RX.split(text)):
        tokens = [m.group(0).strip("'") for m in _TOKEN_RX.finditer(segment)]
        if n == 0 and tokens and not any(c.isupper() for c in tokens[0][1:]):
            tokens[0] = tokens[0].lower()  # a capital that only starts the sentence
        out.extend(_segment_phrases(tokens))
    return out


def _segment_phrases(tokens: list[str]) -> list[tuple[str, str]]:
    content = [
        not (t.lower() in _STOPWORDS or (len(t) < 3 and not t.isupper()) or t.isdigit())
        for t in tokens
    ]
    out: list[tuple[str, str]] = []
    for i, tok in enumerate(tokens):
        if not content[i]:
            continue
        out.append((tok.lower(), tok))
        if i + 1 < len(tokens) and content[i + 1]:
            pair = tokens[i : i + 2]
            out.append((" ".join(pair).lower(), " ".join(pair)))
        if (
            i + 2 < len(tokens)
            and content[i + 2]
            and (content[i + 1] or tokens[i + 1].lower() in _JOINERS)
        ):
            triple = tokens[i : i + 3]
            out.append((" ".join(triple).lower(), " ".join(triple)))
    return out


def _name_themes(
    texts: Sequence[str],
    groups: list[list[int]],
    centroids: FloatArray,
    embed: Embedder,
    preset: Sequence[str | None] | None = None,
) -> list[tuple[str, list[str]]]:
    """A unique readable name and up to 6 keywords per group.

    Candidates are the phrases that class-based TF-IDF ranks highest for the group (shared by
    at least two members); the name is the candidate whose embedding is closest to the
    group's centre, weighted by how many members use it. A group with a ``preset`` name (a
    catalog theme's) keeps it and gets keywords only.
    """
    fixed = list(preset) if preset is not None else [None] * len(groups)
    doc_freq: list[Counter[str]] = []
    surface: dict[str, Counter[str]] = {}
    for members in groups:
        counts: Counter[str] = Counter()
        for i in members:
            seen: set[str] = set()
            for key, surf in _phrases(texts[i]):
                surface.setdefault(key, Counter())[surf] += 1
                if key not in seen:
                    seen.add(key)
                    counts[key] += 1
        doc_freq.append(counts)
    in_groups: Counter[str] = Counter()
    for counts in doc_freq:
        in_groups.update(counts.keys())

    def shown(key: str) -> str:
        forms = surface[key]
        return max(forms.items(), key=lambda kv: (kv[1], kv[0].islower(), kv[0]))[0]

    shortlists: list[list[tuple[float, str]]] = []
    for g, members in enumerate(groups):
        size = max(len(members), 1)
        scored = [
            (df / size * math.log(1.0 + len(groups) / in_groups[key]), key)
            for key, df in doc_freq[g].items()
            if df >= 2 or size < 3
        ]
        if not scored:
            scored = [(float(df), key) for key, df in doc_freq[g].items()]
        scored.sort(key=lambda sk: (-sk[0], sk[1]))
        shortlists.append(scored[:_CANDIDATES_PER_THEME])

    phrases = sorted({key for shortlist in shortlists for _, key in shortlist})
    row = {key: i for i, key in enumerate(phrases)}
    phrase_vectors = (
        _normalize(np.asarray(embed([shown(k) for k in phrases]), dtype=np.float32))
        if phrases
        else np.zeros((0, centroids.shape[1]), dtype=np.float32)
    )

    used: set[str] = {name.lower() for name in fixed if name is not None}
    results: list[tuple[str, list[str]]] = []
    for g, shortlist in enumerate(shortlists):
        if not shortlist:
            name = fixed[g] or _unique(f"Theme {g + 1}", used)
            used.add(name.lower())
            results.append((name, []))
            continue
        top = shortlist[0][0] or 1.0
        ranked = sorted(
            (
                (
                    float(phrase_vectors[row[key]] @ centroids[g]) * (0.5 + 0.5 * score / top),
                    key,
                )
                for score, key in shortlist
            ),
            key=lambda sk: (-sk[0], sk[1]),
        )
        keywords: list[str] = []
        for _, key in ranked:
            words = set(key.split())
            if any(words <= set(k.split()) or set(k.split()) <= words for k in keywords):
                continue  # "attendance" next to "attendance letters" adds nothing
            keywords.append(key)
            if len(keywords) == 6:
                break
        name = fixed[g] or _pick_name([shown(k) for k in keywords], used)
        used.add(name.lower())
        results.append((name, [shown(k) for k in keywords]))
    return results


def _sentence_case(phrase: str) -> str:
    return phrase[:1].upper() + phrase[1:]


def _unique(name: str, used: set[str]) -> str:
    if name.lower() not in used and name.lower() != UNTHEMED.lower():
        return name
    suffix = 2
    while f"{name} {suffix}".lower() in used:
        suffix += 1
    return f"{name} {suffix}"


def _pick_name(keywords: list[str], used: set[str]) -> str:
    """The first keyword not already a name, else a pair of keywords, in sentence case."""
    candidates = [_sentence_case(k) for k in keywords]
    candidates += [f"{a} & {b}" for a, b in zip(candidates, keywords[1:], strict=False)]
    for cand in candidates:
        if cand.lower() not in used and cand.lower() != UNTHEMED.lower():
            return cand
    return _unique(candidates[0] if candidates else "Theme", used)
