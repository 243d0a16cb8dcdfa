"""Workbook 05's rules without a widget in sight: the sections' headings, the effect size's
inputs, how the pulse's answers and scores read, and a reflection's fields and their
three-way merge. tests/test_review_state.py checks them in plain pytest."""

from __future__ import annotations

import datetime as dt
import math
from typing import TYPE_CHECKING, Any, Final, NamedTuple

import pandas as pd

from ..._cache import remember as remember
from ...efficacy import DEFAULT_ITEM_SET, ItemSet
from ...format import as_date
from ...merge import merge_set, merge_text

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

__all__ = [
    "AREAS",
    "HEADINGS",
    "MODES",
    "PROMPTS",
    "SHORT_LABELS",
    "SUMMARY_FIELDS",
    "TEXT_FIELDS",
    "Fields",
    "Heading",
    "answers_frame",
    "assessment_options",
    "blank",
    "change_text",
    "fields_of",
    "friendly",
    "mean_n",
    "merge_reflection",
    "missing_numbers",
    "optional",
    "other_sets",
    "remember",
    "saved_when",
    "scale_options",
    "scale_words",
    "stored_for",
    "stored_groups",
    "summary_values",
]


# --------------------------------------------------------------------------- headings


class Heading(NamedTuple):
    """What a section's heading says: its title and a short introduction."""

    title: str
    intro: str


HEADINGS: Final[dict[str, Heading]] = {
    "ilc-rv-dashboard": Heading(
        "Progress dashboard",
        "Each indicator on your placemat, its evidence over time against the baseline and "
        "the target, and where it stands. Below: how much evidence of each type you have, "
        "and which questions crossing the types can answer.",
    ),
    "ilc-rv-effect": Heading(
        "Effect size: pre and post",
        "How much did results change from the pre to the post assessment? d = (mean post − "
        "mean pre) ÷ the mean of the two standard deviations. 0.40 is the customary hinge "
        "point: a change larger than the typical effect on learning.",
    ),
    "ilc-rv-pulse": Heading(
        "Collective leader efficacy pulse",
        "Nine short statements about how your collective works together, answered at the "
        "start of the inquiry and again at review. It takes about two minutes.",
    ),
    "ilc-rv-pulse-results": Heading(
        "Pulse results: before and after",
        "Each dimension's mean agreement at the start of the inquiry and at review, and the "
        "change. n is the number of people behind each figure.",
    ),
    "ilc-rv-reflection": Heading(
        "Reflect on this meeting",
        "Answer the four questions together. Everything is saved as you type, and what "
        "others write appears here too. Each review meeting has its own reflection.",
    ),
}
"""Each review section's heading, by the section's CSS class."""


# --------------------------------------------------------------------------- caches


# ``remember`` (the review caches' rule) is :func:`ilc_widgets._cache.remember`.


# --------------------------------------------------------------------------- effect size

SUMMARY_FIELDS: Final = (
    ("mean_pre", "Mean", "pre"),
    ("sd_pre", "SD", "pre"),
    ("n_pre", "n", "pre"),
    ("mean_post", "Mean", "post"),
    ("sd_post", "SD", "post"),
    ("n_post", "n", "post"),
)
"""The summary statistics typed in: key, label, phase."""

_FIELD_WORDS: Final = {
    "mean_pre": "The pre mean",
    "mean_post": "The post mean",
    "sd_pre": "The pre SD",
    "sd_post": "The post SD",
    "n_pre": "The pre n",
    "n_post": "The post n",
}

MODES: Final = (
    ("Stored scores", "stored"),
    ("Type or paste scores", "raw"),
    ("Means, SDs and ns", "summary"),
)
"""Where the effect size's scores come from: label, mode."""


def friendly(message: str) -> str:
    """A statistics message that names a field by its key, with the field's words."""
    for name, words in _FIELD_WORDS.items():
        if message.startswith(name):
            return words + message[len(name) :]
    return message


def stored_groups(scores: pd.DataFrame) -> dict[str, tuple[list[float], list[float]]]:
    """A collective's stored scores as assessment -> (pre scores, post scores)."""
    groups: dict[str, tuple[list[float], list[float]]] = {}
    for assessment, rows in scores.groupby("assessment", sort=True):
        pre = rows.loc[rows["phase"] == "pre", "score"].astype(float).tolist()
        post = rows.loc[rows["phase"] == "post", "score"].astype(float).tolist()
        groups[str(assessment)] = (pre, post)
    return groups


def assessment_options(
    groups: Mapping[str, tuple[list[float], list[float]]],
) -> list[tuple[str, str]]:
    """The stored assessments as picker choices, with how many scores each phase has."""
    return [
        (f"{name} (pre {len(pre)}, post {len(post)})", name) for name, (pre, post) in groups.items()
    ]


def summary_values(texts: Mapping[str, str]) -> dict[str, float]:
    """The typed summary statistics as numbers (thousands separators allowed); ValueError
    saying which one is missing or not a number."""
    values: dict[str, float] = {}
    for key, label, phase in SUMMARY_FIELDS:
        text = texts.get(key, "").strip().replace(",", "")
        words = label if label != "Mean" else "mean"
        if not text:
            raise ValueError(f"Enter the {phase} {words}.")
        try:
            values[key] = float(text)
        except ValueError:
            raise ValueError(f"The {phase} {words} is '{text}', which is not a number.") from None
    return values


# --------------------------------------------------------------------------- the pulse

SHORT_LABELS: Final[dict[int, str]] = {
    1: "1 · Strongly disagree",
    2: "2 · Disagree",
    3: "3 · Neither",
    4: "4 · Agree",
    5: "5 · Strongly agree",
}
"""Button labels for the default agreement scale (3 is "Neither agree nor disagree")."""


def scale_options(items: ItemSet) -> tuple[list[tuple[str, int]], str]:
    """The answer buttons of an item set's scale (label, score) and their width."""
    scale = range(items.scale_min, items.scale_max + 1)
    labels = SHORT_LABELS if items.scale_labels == DEFAULT_ITEM_SET.scale_labels else {}
    options = [(labels.get(k) or items.scale_labels.get(k) or str(k), k) for k in scale]
    width = "11.5em" if labels or items.scale_labels else "3.5em"
    return options, width


def scale_words(items: ItemSet) -> str:
    """The scale in words: ``1 (strongly disagree) to 5 (strongly agree)``."""
    low, high = items.scale_min, items.scale_max
    low_label = items.scale_labels.get(low, "")
    high_label = items.scale_labels.get(high, "")
    if low_label and high_label:
        return f"{low} ({low_label.lower()}) to {high} ({high_label.lower()})"
    return f"{low} to {high}"


def missing_numbers(item_ids: Iterable[str], answers: Mapping[str, int]) -> list[int]:
    """The numbers (from 1) of the statements not answered yet."""
    return [n for n, i in enumerate(item_ids, start=1) if i not in answers]


def answers_frame(responses: pd.DataFrame, item_set: ItemSet) -> pd.DataFrame:
    """The stored answers of one item set, in the columns efficacy's scoring reads."""
    if responses.empty:
        return pd.DataFrame(columns=["respondent", "wave", "item_id", "score"])
    mine = responses[responses["item_set"].astype(str) == item_set.name]
    return mine[["respondent", "wave", "item_id", "score"]].reset_index(drop=True)


def other_sets(responses: pd.DataFrame, item_set: ItemSet) -> str:
    """A sentence about answers stored for other item sets ('' when there are none)."""
    if responses.empty:
        return ""
    others = responses[responses["item_set"].astype(str) != item_set.name]
    if others.empty:
        return ""
    people = others.groupby("item_set")["respondent"].nunique()
    listed = ", ".join(
        f"'{name}' ({n} {'person' if n == 1 else 'people'})" for name, n in people.items()
    )
    return (
        f"Answers to other item sets are stored too: {listed}. Their results show when that "
        "item set is loaded on this page."
    )


def optional(value: Any) -> float | None:
    """A number, or None for a missing one (None, NaN, not a number)."""
    try:
        found = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(found) else found


def mean_n(mean: Any, n: Any) -> str:
    """A mean with its n: ``3.50 (n 4)``, or ``no answers (n 0)``."""
    value = optional(mean)
    count = int(n or 0)
    if value is None or count == 0:
        return "no answers (n 0)"
    return f"{value:.2f} (n {count})"


def change_text(value: Any) -> str:
    """A change with its sign (``+0.25``), or a dash when there is none."""
    found = optional(value)
    if found is None:
        return "–"
    return f"{found:+.2f}"


# --------------------------------------------------------------------------- reflections

PROMPTS: Final[tuple[tuple[str, str, str], ...]] = (
    (
        "went_well",
        "What went well?",
        "Which actions happened as planned? Which indicators moved, and what did the "
        "evidence show?",
    ),
    (
        "didnt_go_well",
        "What didn't go well?",
        "What did not happen, or did not work as we expected? Which indicators are off track?",
    ),
    (
        "learned",
        "What did we learn?",
        "About our theory of action, our students, our own practice as leaders.",
    ),
    (
        "adjust",
        "What will we adjust?",
        "What we will do differently before the next meeting, and who will do it.",
    ),
)
"""The four prompts: field, question, hint."""

AREAS: Final[dict[str, str]] = {
    "theory_of_action": "Theory of action",
    "indicators": "Indicators",
    "evidence_plan": "Evidence plan",
}
"""Where an adjustment lands (the placemat sections of workbook 3)."""

TEXT_FIELDS: Final = tuple(field for field, _, _ in PROMPTS)
"""The reflection's text fields, in the order of the prompts."""

Fields = dict[str, Any]
"""A reflection's fields: the four texts and ``adjust_areas``."""


def blank() -> Fields:
    """A reflection nobody has written yet."""
    return {**dict.fromkeys(TEXT_FIELDS, ""), "adjust_areas": []}


def fields_of(row: Mapping[Any, Any]) -> Fields:
    """A stored reflection's fields (missing texts blank, areas in the kit's order)."""
    fields: Fields = {f: str(row.get(f) or "") for f in TEXT_FIELDS}
    fields["adjust_areas"] = [a for a in AREAS if a in (row.get("adjust_areas") or [])]
    return fields


def merge_reflection(base: Fields, mine: Fields, theirs: Fields) -> tuple[Fields, bool]:
    """Three-way merge of a reflection: what was read (``base``), what this page has
    (``mine``) and what is saved now (``theirs``). A field only one side changed takes that
    side; a text both changed keeps both (theirs first); areas are merged as sets. True
    when both sides changed the same text."""
    merged: Fields = {}
    clash = False
    for name in TEXT_FIELDS:
        b, m, t = str(base.get(name, "")), str(mine.get(name, "")), str(theirs.get(name, ""))
        merged[name], both = merge_text(b, m, t)
        clash = clash or both
    areas = merge_set(
        base.get("adjust_areas") or [],
        mine.get("adjust_areas") or [],
        theirs.get("adjust_areas") or [],
    )
    merged["adjust_areas"] = [a for a in AREAS if a in areas]
    return merged, clash


def stored_for(frame: pd.DataFrame, meeting: dt.date) -> Mapping[Any, Any] | None:
    """The stored reflection of a meeting date (the latest when there are several)."""
    if frame.empty:
        return None
    dates = [as_date(d) for d in frame["meeting_date"]]
    rows = [r for r, d in zip(frame.to_dict("records"), dates, strict=True) if d == meeting]
    return max(rows, key=lambda r: int(r["id"])) if rows else None


def saved_when(stamp: Any) -> str:
    """When a reflection was saved, in local time (``6 Nov 14:05``; '' when unknown)."""
    if stamp is None or stamp is pd.NaT or (isinstance(stamp, float) and stamp != stamp):
        return ""
    value: Any = stamp.to_pydatetime() if hasattr(stamp, "to_pydatetime") else stamp
    if not isinstance(value, dt.datetime):
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return str(value.astimezone().strftime("%d %b %H:%M"))
