"""Related themes: which themes' collectives write about similar things (TF-IDF)."""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import TYPE_CHECKING, Final

import numpy as np

from .model import RelatedTheme

if TYPE_CHECKING:
    from collections.abc import Mapping

_STOPWORD_TEXT: Final = """
a about after all also an and are as at be because been before being between both but by
can could did do does each every few for from had has have how if in into is it its more
most much no not of on once only or other our out over own same so some such than that
the their them then there these they this those through to too under until up very was
we were what when where which while who whom why will with would you your us i student
students school schools teacher teachers staff grade grades percent rate share data year
years day days each all many one two three k-12 k use used using per less within across
week weeks month months time district districts leader leaders first second third fourth
last late early daily weekly monthly hour hours minute minutes rather instead often
still already build building buildings assign assigns assigned fewer know known make
makes made need needs take takes
"""


_STOPWORDS: Final = frozenset(_STOPWORD_TEXT.split())


def _words(text: str) -> list[str]:
    return [
        w
        for w in re.findall(r"[a-z][a-z'-]+", text.casefold())
        if w not in _STOPWORDS and len(w) > 3
    ]


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def related_themes(
    texts: Mapping[str, str], *, threshold: float = 0.06, limit: int = 3
) -> dict[str, tuple[RelatedTheme, ...]]:
    """For each theme, the themes whose texts share the most distinctive words.

    ``texts`` maps a theme to what its collectives wrote (theme name, problems of practice,
    indicators, theory of action). Words are weighted by TF-IDF across themes; two themes
    are related when the cosine of their weights is at least ``threshold``. Each relation
    names up to three shared words, so the reader can judge it.
    """
    themes = list(texts)
    if len(themes) < 2:
        return dict.fromkeys(themes, ())
    bags = [Counter(_stem(w) for w in _words(texts[t])) for t in themes]
    shown: dict[str, Counter[str]] = {}
    for t in themes:
        shown[t] = Counter()
        for w in _words(texts[t]):
            shown[t][w] += 1
    vocab = sorted({w for bag in bags for w in bag})
    if not vocab:
        return dict.fromkeys(themes, ())
    index = {w: i for i, w in enumerate(vocab)}
    tf = np.zeros((len(themes), len(vocab)))
    for row, bag in enumerate(bags):
        for w, c in bag.items():
            tf[row, index[w]] = 1 + math.log(c)
    df = (tf > 0).sum(axis=0)
    weights = tf * np.log((1 + len(themes)) / (1 + df))[None, :]
    norms = np.linalg.norm(weights, axis=1)
    norms[norms == 0] = 1
    unit = weights / norms[:, None]
    sims = unit @ unit.T
    out: dict[str, tuple[RelatedTheme, ...]] = {}
    for i, t in enumerate(themes):
        order = [j for j in np.argsort(-sims[i]) if j != i and sims[i, j] >= threshold]
        related = []
        for j in order[:limit]:
            both = unit[i] * unit[j]
            top = [vocab[k] for k in np.argsort(-both)[:3] if both[k] > 0]
            readable = [_surface(stem, shown[t], shown[themes[j]]) for stem in top]
            related.append(RelatedTheme(themes[j], tuple(readable)))
        out[t] = tuple(related)
    return out


def _surface(stem: str, *counts: Counter[str]) -> str:
    """The most common written form of a stemmed word."""
    best, seen = stem, -1
    for counter in counts:
        for word, n in counter.items():
            if _stem(word) == stem and n > seen:
                best, seen = word, n
    return best
