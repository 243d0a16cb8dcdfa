"""Catalog themes and the facilitator's seeds as soft anchors for the clustering."""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from typing import TYPE_CHECKING, Final

import numpy as np

from .._theme_catalog import CATALOG, CatalogTheme
from ._data import STOPWORDS as _STOPWORDS
from .config import ANCHOR_NAME_SIMILARITY, LEXICAL_WEIGHT, SEED_MERGE_SIMILARITY, UNTHEMED
from .embedding import _normalize, embed_texts
from .glossary import expand_jargon

if TYPE_CHECKING:
    from collections.abc import Sequence

    from numpy.typing import NDArray

    from .result import Embedder, FloatArray, Seed


def _seed_themes(seeds: Sequence[Seed] | None) -> list[CatalogTheme]:
    """The facilitator's seeds as catalog entries (validated, blank ones refused)."""
    if seeds is None:
        return []
    if isinstance(seeds, str | CatalogTheme):
        raise TypeError("seeds must be a sequence of seed themes, not one seed")
    out: list[CatalogTheme] = []
    for i, seed in enumerate(seeds):
        if isinstance(seed, CatalogTheme):
            theme = seed
        elif isinstance(seed, str):
            name, _, description = seed.partition(":")
            theme = CatalogTheme(" ".join(name.split()), " ".join(description.split()))
        elif (
            isinstance(seed, tuple)
            and len(seed) == 2
            and all(isinstance(part, str) for part in seed)
        ):
            theme = CatalogTheme(" ".join(seed[0].split()), " ".join(seed[1].split()))
        else:
            raise TypeError(
                f"seed {i} must be a name, 'name: description', a (name, description) pair "
                f"or a CatalogTheme, not {seed!r}"
            )
        if not theme.name:
            raise ValueError(f"seed {i} has no name: {seed!r}")
        if theme.name.lower() == UNTHEMED.lower():
            raise ValueError(f"seed {i} may not be called {UNTHEMED!r}")
        out.append(theme)
    return out


def _merged(seed: CatalogTheme, entry: CatalogTheme) -> CatalogTheme:
    """A seed that stands for a catalog theme: the seed's words, the entry's texts too."""
    description = seed.description or entry.description
    extra = (*seed.examples, entry.name, entry.description, *entry.examples)
    examples = tuple(t for t in dict.fromkeys(extra) if t and t not in {seed.name, description})
    return CatalogTheme(seed.name, description, examples)


def _anchor_themes(
    seeds: Sequence[Seed] | None, use_catalog: bool, embed: Embedder | None = None
) -> list[CatalogTheme]:
    """The anchors: the seeds (in order), then the catalog's other themes.

    A seed that names or closely describes a catalog theme (same name, or embedding cosine of
    at least :data:`SEED_MERGE_SIMILARITY` with the theme, its best match) stands for that
    theme: it keeps the seed's name and gains the catalog entry's texts, so that
    "Persistent absenteeism" and "Chronic absenteeism" do not split one theme in two.
    """
    own: list[CatalogTheme] = []
    for seed in _seed_themes(seeds):
        if seed.name.lower() not in {s.name.lower() for s in own}:
            own.append(seed)
    catalog = list(CATALOG) if use_catalog else []
    if not own or not catalog:
        return [*own, *catalog]
    # Which seed stands for which catalog entry: a name match first, else the closest seed.
    taken: dict[int, int] = {}
    names = {c.name.lower(): j for j, c in enumerate(catalog)}
    for i, seed in enumerate(own):
        if seed.name.lower() in names:
            taken[names[seed.name.lower()]] = i
    free = [i for i in range(len(own)) if i not in taken.values()]
    if free:
        similarity = _anchor_prototypes([own[i] for i in free], embed) @ (
            _anchor_prototypes(catalog, embed).T
        )
        order = sorted(
            ((float(similarity[r, int(similarity[r].argmax())]), r) for r in range(len(free))),
            reverse=True,
        )
        for value, r in order:
            j = int(similarity[r].argmax())
            if value >= SEED_MERGE_SIMILARITY and j not in taken:
                taken[j] = free[r]
    merged = {i: _merged(own[i], catalog[j]) for j, i in taken.items()}
    return [
        *(merged.get(i, seed) for i, seed in enumerate(own)),
        *(c for j, c in enumerate(catalog) if j not in taken),
    ]


_ANCHOR_VECTORS: dict[str, FloatArray] = {}


def _anchor_prototypes(anchors: Sequence[CatalogTheme], embed: Embedder | None) -> FloatArray:
    """One unit vector per anchor: the mean embedding of its name, description and examples.

    With the built-in model the texts are embedded like statements (glossary included) and
    cached for the process, so the catalog costs its embeddings once.
    """
    texts = [t for a in anchors for t in a.texts() if t]
    if embed is None:
        missing = [t for t in dict.fromkeys(texts) if t not in _ANCHOR_VECTORS]
        if missing:
            for text, vector in zip(missing, embed_texts(missing), strict=True):
                _ANCHOR_VECTORS[text] = vector
        vectors = np.stack([_ANCHOR_VECTORS[t] for t in texts])
    else:
        vectors = _normalize(np.asarray(embed(texts), dtype=np.float32))
    rows: list[FloatArray] = []
    start = 0
    for a in anchors:
        count = sum(1 for t in a.texts() if t)
        rows.append(vectors[start : start + count].mean(axis=0))
        start += count
    return _normalize(np.stack(rows))


_LEX_RX: Final = re.compile(r"[a-z][a-z0-9-]+")
_LEX_SUFFIXES: Final = ("ings", "ing", "ies", "es", "s", "ed", "ly")


def _stem(word: str) -> str:
    for suffix in _LEX_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


@functools.lru_cache(maxsize=16_384)
def _lex_terms(text: str) -> tuple[str, ...]:
    """Lowercase, crudely stemmed content words of ``text`` and of its glossary meanings."""
    return tuple(
        _stem(w) for w in _LEX_RX.findall(expand_jargon(text).lower()) if w not in _STOPWORDS
    )


def _lexical_similarity(
    docs: Sequence[Sequence[str]], anchor_docs: Sequence[Sequence[str]]
) -> NDArray[np.float64]:
    """Cosine of TF-IDF vectors (sublinear tf, smooth idf) between statements and anchors."""
    from scipy import sparse

    every = [*docs, *anchor_docs]
    vocab: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    for r, terms in enumerate(every):
        for term, count in Counter(terms).items():
            rows.append(r)
            cols.append(vocab.setdefault(term, len(vocab)))
            vals.append(1.0 + math.log(count))
    if not vocab:
        return np.zeros((len(docs), len(anchor_docs)))
    df = np.bincount(np.asarray(cols, dtype=np.intp), minlength=len(vocab))
    idf = np.log((1.0 + len(every)) / (1.0 + df)) + 1.0
    weights = np.asarray(vals) * idf[cols]
    matrix = sparse.csr_matrix((weights, (rows, cols)), shape=(len(every), len(vocab)))
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    matrix = sparse.diags(1.0 / np.maximum(norms, 1e-12)) @ matrix
    n = len(docs)
    result: NDArray[np.float64] = np.asarray((matrix[:n] @ matrix[n:].T).todense())
    return result


def _anchor_scores(
    texts: Sequence[str],
    vectors: FloatArray,
    anchors: Sequence[CatalogTheme],
    prototypes: FloatArray,
) -> NDArray[np.float64]:
    """Similarity of each statement to each anchor: embedding cosine plus word overlap."""
    lexical = _lexical_similarity(
        [_lex_terms(t) for t in texts],
        [tuple(w for text in a.texts() for w in _lex_terms(text)) for a in anchors],
    )
    result: NDArray[np.float64] = (
        vectors.astype(np.float64) @ prototypes.astype(np.float64).T + LEXICAL_WEIGHT * lexical
    )
    return result


def _softmax(scores: NDArray[np.float64], temperature: float) -> NDArray[np.float64]:
    z = (scores - scores.max(axis=1, keepdims=True)) / temperature
    e = np.exp(z)
    result: NDArray[np.float64] = e / e.sum(axis=1, keepdims=True)
    return result


def _anchor_names(
    groups: Sequence[Sequence[int]],
    best: NDArray[np.intp],
    closeness: NDArray[np.float64],
    anchors: Sequence[CatalogTheme],
) -> list[str | None]:
    """Each group's anchor name, when the group clearly is that anchor's theme, else None.

    ``best[i]`` is the anchor statement ``i`` fits best; ``closeness[g, a]`` the cosine of
    group ``g``'s centre and anchor ``a``. A group qualifies for the anchor most of its
    statements fit best when its centre is close to it; of several groups that qualify for
    one anchor, the one with most such statements (then the closest) takes the name.
    """
    claims: dict[int, tuple[int, float, int]] = {}
    for g, members in enumerate(groups):
        votes = np.bincount(best[list(members)], minlength=len(anchors))
        a = int(votes.argmax())
        if 2 * votes[a] < len(members) or closeness[g, a] < ANCHOR_NAME_SIMILARITY:
            continue
        key = (int(votes[a]), float(closeness[g, a]), -g)
        if a not in claims or key > (claims[a][0], claims[a][1], -claims[a][2]):
            claims[a] = (int(votes[a]), float(closeness[g, a]), g)
    names: list[str | None] = [None] * len(groups)
    for a, (_, _, g) in claims.items():
        names[g] = anchors[a].name
    return names
