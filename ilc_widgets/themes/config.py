"""The tuning constants of theme suggestion: thresholds and weights, calibrated for the model."""

from __future__ import annotations

from typing import Final

#: Name of the group of statements that fit no theme (and of blank statements).
UNTHEMED: Final = "Unthemed"

#: The sentence encoder used by :func:`embed_texts`.
MODEL_NAME: Final = "all-MiniLM-L6-v2 (int8 ONNX)"

#: A statement whose 3 nearest statements have a mean cosine similarity below this fits no
#: theme. MiniLM cosines between unrelated school statements sit around 0.2-0.3.
OUTLIER_SIMILARITY: Final = 0.32

#: With ``n_themes=None``, at most this many themes (and at most about sqrt(2n) for n
#: statements: 20 themes of about 10 statements, a collective each, for 200 statements).
MAX_AUTO_THEMES: Final = 30

#: Catalog anchors. A statement is compared with each common theme of
#: :data:`ilc_widgets._theme_catalog.CATALOG` (and with the facilitator's seeds) by the cosine
#: of their embeddings plus this weight times the cosine of their TF-IDF word vectors.
LEXICAL_WEIGHT: Final = 0.5

#: Temperature of the softmax that turns those similarities into a statement's profile over
#: the anchors: small, so the profile is close to "which anchor fits best".
ANCHOR_TEMPERATURE: Final = 0.01

#: Weight of the anchor profile next to the embedding in the clustering distance. Two
#: statements that fit different anchors are then far apart; statements that fit no anchor
#: well still cluster by their embeddings.
ANCHOR_WEIGHT: Final = 2.0

#: A statement whose embedding is at least this similar to an anchor is never an outlier.
ANCHOR_RESCUE: Final = 0.45

#: A theme is named after an anchor when most of its statements fit that anchor best and its
#: centre is at least this similar to the anchor; otherwise it is named from its phrases.
ANCHOR_NAME_SIMILARITY: Final = 0.6

#: A facilitator's seed at least this similar to a catalog theme (its closest) stands for it.
SEED_MERGE_SIMILARITY: Final = 0.55

#: A group of statements whose centre is less similar than this to every anchor (and whose
#: statements do not mostly fit one anchor) is a theme the catalog does not know.
NOVEL_SIMILARITY: Final = 0.55
