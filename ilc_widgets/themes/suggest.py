"""The public entry point :func:`suggest_themes`."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .anchors import (
    _anchor_names,
    _anchor_prototypes,
    _anchor_scores,
    _anchor_themes,
    _seed_themes,
    _softmax,
)
from .clustering import _cluster, _gram, _is_missing, _novel, _outliers, _usable
from .config import (
    ANCHOR_RESCUE,
    ANCHOR_TEMPERATURE,
    ANCHOR_WEIGHT,
    MODEL_NAME,
    OUTLIER_SIMILARITY,
    UNTHEMED,
)
from .embedding import _embed_phrases, _normalize, embed_texts
from .glossary import expand_jargon
from .naming import _name_themes
from .result import Theme, ThemeSuggestion

if TYPE_CHECKING:
    from collections.abc import Sequence

    from numpy.typing import NDArray

    from .._theme_catalog import CatalogTheme
    from .result import Embedder, FloatArray, Seed


def suggest_themes(
    texts: Sequence[str],
    n_themes: int | None = None,
    seeds: Sequence[Seed] | None = None,
    *,
    use_catalog: bool = True,
    min_theme_size: int = 3,
    outlier_similarity: float = OUTLIER_SIMILARITY,
    embedder: Embedder | None = None,
) -> ThemeSuggestion:
    """Group focus statements into named themes; statements that fit none go to Unthemed.

    ``n_themes`` is the number of themes wanted (Unthemed not counted); None chooses it from
    the statements. ``seeds`` are themes the facilitator expects (names, "name: description"
    strings, (name, description) pairs or :class:`CatalogTheme` entries); they and the
    built-in :data:`CATALOG` of common themes (unless ``use_catalog`` is False) act as soft
    anchors: statements that clearly fit one are grouped together and the theme takes its
    name, while statements that fit none still form themes of their own. A seed that names
    or closely describes a catalog theme ("Persistent absenteeism") stands for it: the theme
    takes the seed's name and keeps the catalog entry's description and examples.

    ``min_theme_size`` applies when the number is chosen: smaller groups are dissolved into
    Unthemed. A statement whose 3 nearest statements have a mean cosine similarity below
    ``outlier_similarity`` goes to Unthemed (-1 turns this off) unless it is close to an
    anchor. ``embedder`` replaces the built-in model (a function from texts to row vectors),
    for research or tests; the default thresholds are calibrated for the built-in model.

    Missing values (None, NaN) and blank texts go to Unthemed. With ``n_themes`` set there
    are at most that many themes (fewer only when there are fewer distinct statements).
    """
    if isinstance(texts, str):
        raise TypeError("texts must be a sequence of statements, not one string")
    if n_themes is not None:
        if isinstance(n_themes, bool) or not isinstance(n_themes, int):
            raise TypeError(f"n_themes must be a whole number or None, not {n_themes!r}")
        if n_themes < 1:
            raise ValueError(f"n_themes must be at least 1 (got {n_themes})")
    if (
        isinstance(min_theme_size, bool)
        or not isinstance(min_theme_size, int)
        or min_theme_size < 1
    ):
        raise ValueError(
            f"min_theme_size must be a whole number of at least 1 (got {min_theme_size!r})"
        )
    items: list[str] = []
    raw: Sequence[object] = texts  # a DataFrame column may hold None or NaN
    for i, t in enumerate(raw):
        if isinstance(t, str):
            items.append(t)
        elif _is_missing(t):
            items.append("")
        else:
            raise TypeError(f"statement {i} is a {type(t).__name__}, not text: {t!r}")

    _seed_themes(seeds)  # refuse bad seeds before any work
    labels = [UNTHEMED] * len(items)
    usable = [i for i, t in enumerate(items) if _usable(t)]
    anchors: list[CatalogTheme] = []
    groups: list[list[int]] = []
    scores: NDArray[np.float64] | None = None
    prototypes: FloatArray | None = None
    if usable:
        clean = [" ".join(items[i].split()) for i in usable]
        vectors = _normalize(np.asarray((embedder or embed_texts)(clean), dtype=np.float32))
        if vectors.shape[0] != len(clean):
            raise ValueError("the embedder returned a different number of rows than texts")
        gram = _gram(vectors)
        keep = ~_outliers(gram, outlier_similarity)
        profile: NDArray[np.float64] | None = None
        anchors = _anchor_themes(seeds, use_catalog, embedder)
        if anchors:
            prototypes = _anchor_prototypes(anchors, embedder)
            if prototypes.shape[1] != vectors.shape[1]:
                raise ValueError("the embedder returned rows of different lengths")
            scores = _anchor_scores(clean, vectors, anchors, prototypes)
            profile = ANCHOR_WEIGHT * _softmax(scores, ANCHOR_TEMPERATURE)
            keep |= (vectors @ prototypes.T).max(axis=1) >= ANCHOR_RESCUE
        kept = [usable[j] for j in np.flatnonzero(keep)]
        if kept:
            kept_gram = gram[np.ix_(keep, keep)]
            kept_profile: NDArray[np.float64] | None = None
            if profile is not None and scores is not None and prototypes is not None:
                kept_profile = profile[keep]
                novel = _novel(vectors[keep], kept_gram, scores[keep], prototypes)
                kept_profile[novel] = 0.0
            cluster = _cluster(vectors[keep], n_themes, kept_profile, kept_gram)
            by_cluster: dict[int, list[int]] = {}
            for idx, c in zip(kept, cluster.tolist(), strict=True):
                by_cluster.setdefault(int(c), []).append(idx)
            groups = list(by_cluster.values())
            if n_themes is None:
                groups = [g for g in groups if len(g) >= min_theme_size]
    groups.sort(key=lambda g: (-len(g), g[0]))

    themes: list[Theme] = []
    if groups:
        in_group = [False] * len(items)
        for g in groups:
            for i in g:
                in_group[i] = True
        embed = embedder or _embed_phrases
        position = {i: j for j, i in enumerate(usable)}
        rows = [[position[i] for i in g] for g in groups]
        centroids = _normalize(np.stack([vectors[r].mean(axis=0) for r in rows]))
        preset: list[str | None] | None = None
        if scores is not None and prototypes is not None:
            preset = _anchor_names(
                rows,
                scores.argmax(axis=1),
                centroids.astype(np.float64) @ prototypes.astype(np.float64).T,
                anchors,
            )
        expanded = [
            expand_jargon(t) if used else "" for t, used in zip(items, in_group, strict=True)
        ]
        names = _name_themes(expanded, groups, centroids, embed, preset)
        for (name, keywords), members in zip(names, groups, strict=True):
            themes.append(Theme(name=name, members=sorted(members), keywords=keywords))
            for i in members:
                labels[i] = name
    rest = [i for i, label in enumerate(labels) if label == UNTHEMED]
    if rest:
        themes.append(Theme(name=UNTHEMED, members=rest, keywords=[]))
    model = MODEL_NAME if embedder is None else "custom"
    anchored = (
        f"; {len(anchors)} anchor themes ({'catalog' if use_catalog else 'no catalog'}"
        f"{f', {len(_seed_themes(seeds))} seeds' if seeds else ''}) as soft anchors"
        if anchors
        else ""
    )
    method = (
        f"{model} embeddings of statements plus glossary meanings{anchored}; Ward clustering "
        f"({'fixed' if n_themes is not None else 'silhouette-chosen'} number of themes); "
        f"nearest-neighbour similarity < {outlier_similarity} -> {UNTHEMED}"
    )
    return ThemeSuggestion(labels=labels, themes=themes, method=method)
