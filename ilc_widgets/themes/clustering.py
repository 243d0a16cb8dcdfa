"""Which statements fit no theme, and Ward clustering of the rest."""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Any, Final

import numpy as np

from .config import MAX_AUTO_THEMES, NOVEL_SIMILARITY
from .embedding import _normalize

if TYPE_CHECKING:
    from collections.abc import Sequence

    from numpy.typing import NDArray

    from .result import FloatArray

_NEIGHBOURS: Final = 3  # how many nearest statements tell an outlier

_NON_ANSWERS: Final = frozenset(
    {
        "na",
        "n a",
        "none",
        "nothing",
        "idk",
        "i don t know",
        "dont know",
        "don t know",
        "tbd",
        "not sure",
        "unsure",
        "no idea",
        "nil",
        "null",
        "no",
        "yes",
        "test",
        "x",
        "pass",
        "other",
    }
)


def _is_missing(value: object) -> bool:
    """None, NaN and pandas' NA: an empty answer rather than a wrong type."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    return type(value).__name__ in {"NAType", "NaTType"}


def _usable(text: str) -> bool:
    """False for blank texts and non-answers such as "n/a" or "idk"."""
    words = re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()
    if not re.search(r"[a-z]{2}", words):
        return False
    return words not in _NON_ANSWERS


def _gram(vectors: FloatArray) -> NDArray[np.float64]:
    """Cosine similarities of unit ``vectors`` (computed once, shared by the steps below)."""
    x = vectors.astype(np.float64)
    result: NDArray[np.float64] = x @ x.T
    return result


def _outliers(gram: NDArray[np.float64], threshold: float) -> NDArray[np.bool_]:
    """Statements whose nearest neighbours are all far away: they fit no theme."""
    n = len(gram)
    if n < 2:
        return np.zeros(n, dtype=bool)
    sims = gram.copy()
    np.fill_diagonal(sims, -np.inf)
    k = min(_NEIGHBOURS, n - 1)
    nearest = np.partition(sims, n - k, axis=1)[:, n - k :]
    result: NDArray[np.bool_] = nearest.mean(axis=1) < threshold
    return result


def _ward(gram: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Ward linkage tree for a Gram matrix, and half the squared distances it used."""
    from scipy.cluster.hierarchy import linkage
    from scipy.spatial.distance import squareform

    sq = np.diag(gram).copy()
    # Half the squared Euclidean distance: the cosine distance for unit vectors.
    half_d2 = np.clip((sq[:, None] + sq[None, :]) / 2.0 - gram, 0.0, None)
    np.fill_diagonal(half_d2, 0.0)
    tree = linkage(squareform(np.sqrt(2.0 * half_d2), checks=False), method="ward")
    return tree, half_d2


def _novel(
    vectors: FloatArray,
    gram: NDArray[np.float64],
    scores: NDArray[np.float64],
    prototypes: FloatArray,
) -> NDArray[np.bool_]:
    """Statements in a coherent group of their own that no anchor explains.

    The statements are cut into about sqrt(2n) Ward groups by their embeddings alone. A
    group of at least 3 whose centre is not close to any anchor
    (< :data:`NOVEL_SIMILARITY`) and whose members do not mostly fit one anchor is a theme
    the catalog does not know: its statements are clustered by their embeddings only, so
    that the anchors do not pull such a theme apart.
    """
    n = len(vectors)
    k = min(n - 1, round(math.sqrt(2 * n)))
    novel = np.zeros(n, dtype=bool)
    if k < 2:
        return novel
    labels = _cuts(_ward(gram)[0], [k])[k]
    best = scores.argmax(axis=1)
    for c in range(k):
        members = np.flatnonzero(labels == c)
        if len(members) < 3:
            continue
        centre = _normalize(vectors[members].mean(axis=0, keepdims=True))[0]
        if float((prototypes @ centre).max()) >= NOVEL_SIMILARITY:
            continue
        if 2 * int(np.bincount(best[members]).max()) >= len(members):
            continue
        novel[members] = True
    return novel


def _silhouette(dist: NDArray[np.float64], labels: NDArray[np.intp]) -> float:
    """Mean silhouette for a precomputed distance matrix (singletons score 0)."""
    return _silhouettes(dist, [labels])[0]


def _silhouettes(dist: NDArray[np.float64], partitions: Sequence[NDArray[np.intp]]) -> list[float]:
    """Mean silhouette of each partition (labels 0..k-1), with one matrix product for all."""
    n = len(dist)
    rows = np.arange(n)
    offsets: list[int] = []
    total = 0
    for labels in partitions:
        offsets.append(total)
        total += int(labels.max()) + 1
    onehot = np.zeros((n, total))
    for offset, labels in zip(offsets, partitions, strict=True):
        onehot[rows, offset + labels] = 1.0
    every_sum = dist @ onehot  # distance from each point to all points of each cluster
    scores: list[float] = []
    for offset, labels in zip(offsets, partitions, strict=True):
        k = int(labels.max()) + 1
        sums = every_sum[:, offset : offset + k]
        sizes = onehot[:, offset : offset + k].sum(axis=0)
        own = sizes[labels]
        a = sums[rows, labels] / np.maximum(own - 1, 1)
        mean_other = sums / np.maximum(sizes, 1)
        mean_other[rows, labels] = np.inf
        b = mean_other.min(axis=1)
        s = (b - a) / np.maximum(np.maximum(a, b), 1e-12)
        s[own <= 1] = 0.0
        scores.append(float(s.mean()))
    return scores


def _cuts(tree: NDArray[np.float64], ks: Sequence[int]) -> dict[int, NDArray[np.intp]]:
    """Labels of the ``k``-cluster cut of a linkage ``tree``, by merge order, for each k.

    Same partitions as scipy's ``cut_tree``, much faster: merges relabel the smaller side.
    """
    n = len(tree) + 1
    wanted = {n - k: k for k in ks if 1 <= k <= n}
    label = np.arange(n)
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    root = list(range(n))  # linkage cluster id -> label of its points
    out: dict[int, NDArray[np.intp]] = {}
    for step in range(n):
        if step in wanted:
            out[wanted[step]] = _relabel(label)
        if step == n - 1:
            break
        keep, gone = root[int(tree[step, 0])], root[int(tree[step, 1])]
        if len(members[keep]) < len(members[gone]):
            keep, gone = gone, keep
        moved = members.pop(gone)
        label[moved] = keep
        members[keep].extend(moved)
        root.append(keep)
    return out


def _auto_cap(n: int) -> int:
    """Most themes that ``n_themes=None`` may choose for ``n`` statements."""
    return min(MAX_AUTO_THEMES, max(2, round(math.sqrt(2 * n))))


def _cluster(
    vectors: FloatArray,
    n_themes: int | None,
    profile: NDArray[np.float64] | None = None,
    gram: NDArray[np.float64] | None = None,
) -> NDArray[np.intp]:
    """Cluster labels 0..k-1 for unit ``vectors``: Ward linkage, k fixed or by silhouette.

    ``profile`` (one row per statement, the weighted anchor profile) is appended to the
    embeddings, so that the distance between two statements also counts how differently
    they fit the anchors. ``gram`` is ``vectors``' Gram matrix, when already computed.
    """
    n = len(vectors)
    distinct = len(np.unique(vectors.round(6), axis=0))
    k_max = min(n_themes, distinct) if n_themes is not None else min(distinct - 1, _auto_cap(n))
    if k_max < 2:
        return np.zeros(n, dtype=np.intp)
    full = (_gram(vectors) if gram is None else gram).copy()
    if profile is not None:
        full += profile @ profile.T
    tree, half_d2 = _ward(full)
    # Cut by merge order, not height, so that ties still give exactly k groups.
    if n_themes is not None:
        return _cuts(tree, [k_max])[k_max]
    cuts = _cuts(tree, range(2, k_max + 1))
    partitions = [cuts[k] for k in range(2, k_max + 1)]
    best: tuple[float, NDArray[np.intp]] | None = None
    for labels, score in zip(partitions, _silhouettes(half_d2, partitions), strict=True):
        if best is None or score > best[0] + 1e-9:
            best = (score, labels)
    assert best is not None
    return best[1]


def _relabel(raw: NDArray[Any]) -> NDArray[np.intp]:
    """Labels renumbered 0..k-1 in order of first appearance (stable across runs)."""
    mapping: dict[int, int] = {}
    out = np.empty(len(raw), dtype=np.intp)
    for i, value in enumerate(raw.tolist()):
        out[i] = mapping.setdefault(int(value), len(mapping))
    return out
