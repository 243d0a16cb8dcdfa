"""The collective leader efficacy pulse: items, item sets from files, scoring and change.

Collective leader efficacy, in the framing behind the kit, has three dimensions: shared
understanding, joint work and evidence of impact. No validated instrument exists for it
yet, so the kit's pulse is a short reflective survey (:data:`PULSE_DISCLAIMER` says so
wherever it is shown) with items written for the kit (:data:`DEFAULT_ITEM_SET`).
Researchers can load their own items from CSV, XLSX or JSON with :func:`load_item_set`.

A collective answers the pulse at the start of inquiry and again at review (the two
:data:`WAVES`); :func:`score_responses` gives each dimension's mean, SD and number of
respondents per wave, and :func:`pulse_change` the change between them. This module has no
widget or database code.
"""

from __future__ import annotations

import difflib
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import pandas as pd

from .errors import IlcError, ImportValidationError, Problem
from .vocab import slug

if TYPE_CHECKING:
    import os
    from collections.abc import Hashable, Iterable, Mapping, Sequence

__all__ = [
    "AGREEMENT_SCALE",
    "DEFAULT_ITEM_SET",
    "DIMENSIONS",
    "PULSE_DISCLAIMER",
    "WAVES",
    "Item",
    "ItemSet",
    "PulseDataError",
    "item_set_from_dict",
    "item_set_to_dict",
    "load_item_set",
    "pulse_change",
    "responses_template",
    "scale_text",
    "score_responses",
]

DIMENSIONS: Final[dict[str, str]] = {
    "shared_understanding": "Shared understanding",
    "joint_work": "Joint work",
    "evidence_of_impact": "Evidence of impact",
}
"""The three dimensions of collective leader efficacy: id -> label."""

AGREEMENT_SCALE: Final[dict[int, str]] = {
    1: "Strongly disagree",
    2: "Disagree",
    3: "Neither agree nor disagree",
    4: "Agree",
    5: "Strongly agree",
}
"""The agreement scale every item is answered on."""

WAVES: Final[dict[str, str]] = {"start": "Start of inquiry", "review": "Review"}
"""When the pulse is taken: id -> label."""

PULSE_DISCLAIMER: Final = (
    "This is a reflective pulse, not a validated scale. No validated instrument for "
    "collective leader efficacy exists yet; these questions help the group notice how its "
    "shared understanding, joint work and evidence of impact are developing. Use the "
    "results to start a conversation, not to rate people or compare collectives."
)

MAX_ITEM_ID_LENGTH: Final = 40
"""Longest item id the database stores."""

_WAVE_SYNONYMS: Final[dict[str, str]] = {
    "start": "start",
    "start_of_inquiry": "start",
    "pre": "start",
    "before": "start",
    "baseline": "start",
    "beginning": "start",
    "review": "review",
    "post": "review",
    "after": "review",
    "end": "review",
    "reviewing_progress": "review",
}
_TRUE: Final = frozenset({"1", "yes", "y", "true", "t", "x", "reverse", "reversed", "r"})
_FALSE: Final = frozenset({"", "0", "no", "n", "false", "f", "nan", "none"})


class PulseDataError(IlcError, ValueError):
    """Pulse responses that cannot be scored (unknown items or waves, scores off the scale)."""


@dataclass(frozen=True)
class Item:
    """One pulse statement, answered on the agreement scale."""

    item_id: str
    dimension: str
    text: str
    reverse: bool = False


@dataclass(frozen=True)
class ItemSet:
    """A set of pulse items grouped into dimensions, with the scale they are answered on.

    ``dimensions`` maps each dimension id to its label, in the order results are shown.
    Reverse-scored items are turned around (``scale_min + scale_max - score``) before
    scoring, so that a higher dimension score always means more efficacy.
    """

    name: str
    items: tuple[Item, ...]
    dimensions: dict[str, str] = field(default_factory=lambda: dict(DIMENSIONS))
    scale_min: int = 1
    scale_max: int = 5
    scale_labels: dict[int, str] = field(default_factory=lambda: dict(AGREEMENT_SCALE))

    def __post_init__(self) -> None:
        if not self.items:
            raise ValueError(f"Item set {self.name!r} has no items.")
        if self.scale_min >= self.scale_max:
            raise ValueError(
                f"Item set {self.name!r}: the scale must run from a lower to a higher number."
            )
        seen: set[str] = set()
        for item in self.items:
            if item.item_id in seen:
                raise ValueError(f"Item set {self.name!r}: item id {item.item_id!r} is repeated.")
            seen.add(item.item_id)
            if item.dimension not in self.dimensions:
                raise ValueError(
                    f"Item set {self.name!r}: item {item.item_id!r} has dimension "
                    f"{item.dimension!r}, which is not one of {', '.join(self.dimensions)}."
                )

    @property
    def item_ids(self) -> list[str]:
        """The item ids, in order."""
        return [item.item_id for item in self.items]

    def item(self, item_id: str) -> Item:
        """The item with this id (``KeyError`` if there is none)."""
        for item in self.items:
            if item.item_id == item_id:
                return item
        raise KeyError(item_id)

    def by_dimension(self) -> dict[str, list[Item]]:
        """The items of each dimension, in the order of ``dimensions``."""
        return {d: [i for i in self.items if i.dimension == d] for d in self.dimensions}

    def to_frame(self) -> pd.DataFrame:
        """The items as a table with the columns :func:`load_item_set` reads."""
        return pd.DataFrame(
            {
                "item_id": [i.item_id for i in self.items],
                "dimension": [i.dimension for i in self.items],
                "text": [i.text for i in self.items],
                "reverse": [i.reverse for i in self.items],
            }
        )


DEFAULT_ITEM_SET: Final = ItemSet(
    name="default",
    items=(
        Item(
            "su1", "shared_understanding", "We agree on the problem of practice we are working on."
        ),
        Item(
            "su2",
            "shared_understanding",
            "Each of us could explain our theory of action in much the same way.",
        ),
        Item(
            "su3",
            "shared_understanding",
            "We share a clear picture of what success would look like for our students.",
        ),
        Item(
            "jw1",
            "joint_work",
            "We plan and carry out the actions of our inquiry together, not each on our own.",
        ),
        Item(
            "jw2",
            "joint_work",
            "We look at one another's practice and give each other useful feedback.",
        ),
        Item(
            "jw3",
            "joint_work",
            "We draw on the expertise of every role and district in our collective.",
        ),
        Item(
            "ei1",
            "evidence_of_impact",
            "We collect evidence that shows whether our actions are making a difference.",
        ),
        Item(
            "ei2",
            "evidence_of_impact",
            "We can point to changes in adult practice that came from our work together.",
        ),
        Item(
            "ei3",
            "evidence_of_impact",
            "We can see our work beginning to change results for students.",
        ),
    ),
)
"""The kit's own pulse items: three per dimension, in the first person plural."""


def item_set_to_dict(item_set: ItemSet) -> dict[str, Any]:
    """An item set as plain JSON-able data (to store it, e.g. in the network's settings)."""
    return {
        "name": item_set.name,
        "items": [
            {"item_id": i.item_id, "dimension": i.dimension, "text": i.text, "reverse": i.reverse}
            for i in item_set.items
        ],
        "dimensions": dict(item_set.dimensions),
        "scale_min": item_set.scale_min,
        "scale_max": item_set.scale_max,
        "scale_labels": {str(k): v for k, v in item_set.scale_labels.items()},
    }


def item_set_from_dict(data: Mapping[str, Any]) -> ItemSet:
    """The item set :func:`item_set_to_dict` gave (``ValueError`` naming what is wrong)."""
    try:
        items = tuple(
            Item(
                str(i["item_id"]),
                str(i["dimension"]),
                str(i["text"]),
                bool(i.get("reverse", False)),
            )
            for i in data["items"]
        )
        return ItemSet(
            name=str(data["name"]),
            items=items,
            dimensions={str(k): str(v) for k, v in dict(data["dimensions"]).items()},
            scale_min=int(data.get("scale_min", 1)),
            scale_max=int(data.get("scale_max", 5)),
            scale_labels={int(k): str(v) for k, v in dict(data.get("scale_labels", {})).items()},
        )
    except (KeyError, TypeError, AttributeError) as exc:
        raise ValueError(f"a stored item set is incomplete or malformed ({exc!r})") from None


# ============================================================================ loading


def load_item_set(
    path: str | os.PathLike[str],
    *,
    name: str | None = None,
    scale: tuple[int, int] = (1, 5),
) -> ItemSet:
    """Read a researcher's own item set from a CSV, XLSX or JSON file.

    Columns (or JSON keys): ``item_id``, ``dimension``, ``text``, and optionally
    ``reverse`` (yes/no, true/false, 1/0, x or blank) for reverse-scored items and
    ``dimension_label``. Headers are matched ignoring case and spacing ("Item ID").
    Dimensions may be the three of :data:`DIMENSIONS` (by id or label) or the researcher's
    own; a value that looks like a misspelt default ("joint_wrk") is an error. JSON is
    either a list of item objects or ``{"name": ..., "items": [...], "dimensions":
    {id: label}}``; its rows are counted from 1.

    Raises :class:`~ilc_widgets.errors.ImportValidationError` listing every problem with
    the file, row and column (an item set with any problem is not loaded at all).
    """
    file = Path(path)
    shown = file.name
    low, high = scale
    extra_labels: dict[str, str] = {}
    set_name = name
    if file.suffix.lower() == ".json":
        records, extra_labels, json_name = _read_json(file)
        set_name = set_name or json_name
    else:
        from .importers import read_table

        table = read_table(file)
        records = [
            (
                int(row) if isinstance(row, (int, np.integer)) else None,
                {str(k): v for k, v in values.items()},
            )
            for row, values in zip(table.index, table.to_dict("records"), strict=True)
        ]
    problems: list[Problem] = []
    header_row = 1 if file.suffix.lower() != ".json" else None
    columns = {slug(str(k)) for _, rec in records for k in rec}
    written = {slug(str(k)): str(k) for _, rec in reversed(records) for k in rec}

    def col(key: str) -> str:
        return written.get(key, key)

    for required in ("item_id", "dimension", "text"):
        if records and required not in columns:
            problems.append(Problem(shown, header_row, required, "this column is missing"))
    if not records:
        problems.append(Problem(shown, None, None, "the file has no items"))
    if problems:
        raise ImportValidationError(problems)

    items: list[Item] = []
    dimensions: dict[str, str] = {}
    first_row: dict[str, int | None] = {}
    for row, raw in records:
        rec = {slug(str(k)): v for k, v in raw.items()}
        item_id = _text(rec.get("item_id"))
        dim_raw = _text(rec.get("dimension"))
        text = _text(rec.get("text"))
        ok = True
        if not item_id:
            problems.append(Problem(shown, row, col("item_id"), "the item id is blank"))
            ok = False
        elif len(item_id) > MAX_ITEM_ID_LENGTH:
            problems.append(
                Problem(
                    shown,
                    row,
                    col("item_id"),
                    f"the item id is {len(item_id)} characters long; at most "
                    f"{MAX_ITEM_ID_LENGTH} are allowed",
                )
            )
            ok = False
        elif item_id.casefold() in first_row:
            before = first_row[item_id.casefold()]
            where = f" (first used in row {before})" if before is not None else ""
            problems.append(
                Problem(shown, row, col("item_id"), f"the item id '{item_id}' is repeated{where}")
            )
            ok = False
        else:
            first_row[item_id.casefold()] = row
        if not text:
            problems.append(Problem(shown, row, col("text"), "the item text is blank"))
            ok = False
        dim_id, dim_problem = _dimension_id(dim_raw)
        if dim_problem:
            problems.append(Problem(shown, row, col("dimension"), dim_problem))
            ok = False
        reverse, rev_problem = _flag(rec.get("reverse"))
        if rev_problem:
            problems.append(Problem(shown, row, col("reverse"), rev_problem))
            ok = False
        if not ok:
            continue
        if dim_id not in dimensions:
            label = _text(rec.get("dimension_label")) or extra_labels.get(dim_id) or ""
            dimensions[dim_id] = label or DIMENSIONS.get(dim_id) or _label_from(dim_raw)
        items.append(Item(item_id, dim_id, text, reverse))
    if problems:
        raise ImportValidationError(problems)
    ordered = {d: dimensions[d] for d in DIMENSIONS if d in dimensions}
    ordered.update({d: lab for d, lab in dimensions.items() if d not in ordered})
    try:
        return ItemSet(
            name=(set_name or slug(file.stem) or "custom")[:80],
            items=tuple(items),
            dimensions=ordered,
            scale_min=low,
            scale_max=high,
            scale_labels=dict(AGREEMENT_SCALE) if (low, high) == (1, 5) else {},
        )
    except ValueError as exc:
        raise ImportValidationError([Problem(shown, None, None, str(exc))]) from exc


def _read_json(file: Path) -> tuple[list[tuple[int | None, dict[str, Any]]], dict[str, str], str]:
    shown = file.name
    try:
        data = json.loads(file.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise ImportValidationError(
            [Problem(shown, None, None, f"cannot open the file ({exc.strerror or exc})")]
        ) from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ImportValidationError(
            [Problem(shown, None, None, f"this is not valid JSON ({exc})")]
        ) from exc
    labels: dict[str, str] = {}
    name = ""
    if isinstance(data, dict):
        name = _text(data.get("name"))
        raw_dims = data.get("dimensions") or {}
        if isinstance(raw_dims, dict):
            labels = {slug(str(k)): _text(v) for k, v in raw_dims.items()}
        data = data.get("items")
    if not isinstance(data, list):
        raise ImportValidationError(
            [
                Problem(
                    shown,
                    None,
                    None,
                    'expected a list of items or an object with an "items" list',
                )
            ]
        )
    records: list[tuple[int | None, dict[str, Any]]] = []
    problems: list[Problem] = []
    for number, entry in enumerate(data, start=1):
        if not isinstance(entry, dict):
            problems.append(Problem(shown, number, None, "each item must be an object"))
        else:
            records.append((number, entry))
    if problems:
        raise ImportValidationError(problems)
    return records, labels, name


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return " ".join(str(value).split())


def _label_from(raw: str) -> str:
    text = raw.replace("_", " ").strip()
    return text[:1].upper() + text[1:] if text == text.lower() else text


def _dimension_id(raw: str) -> tuple[str, str | None]:
    """The id of a dimension as written, or a problem message."""
    if not raw:
        return "", "the dimension is blank"
    key = slug(raw)
    if not key:
        return "", f"'{raw}' cannot be used as a dimension name"
    if key in DIMENSIONS:
        return key, None
    for dim_id, label in DIMENSIONS.items():
        if slug(label) == key:
            return dim_id, None
    close = difflib.get_close_matches(key, list(DIMENSIONS), n=1, cutoff=0.8)
    if close:
        return "", (
            f"'{raw}' looks like a misspelling of the dimension '{close[0]}'; use "
            f"'{close[0]}' or give your own dimension a clearly different name"
        )
    return key, None


def _flag(value: Any) -> tuple[bool, str | None]:
    if isinstance(value, bool):
        return value, None
    if isinstance(value, (int, float)) and not (isinstance(value, float) and math.isnan(value)):
        if value in (0, 1):
            return bool(value), None
        return False, f"{value!r} is not yes or no"
    text = _text(value).casefold()
    if text in _TRUE:
        return True, None
    if text in _FALSE:
        return False, None
    return False, f"'{value}' is not yes or no (leave it blank for a normally scored item)"


# ============================================================================ scoring


def _wave_id(value: Any) -> str | None:
    key = slug(_text(value))
    if key in _WAVE_SYNONYMS:
        return _WAVE_SYNONYMS[key]
    for wave, label in WAVES.items():
        if slug(label) == key:
            return wave
    return None


def _rows(labels: Iterable[Hashable], limit: int = 5) -> str:
    """Rows for messages: "row 4", or "rows 3, 5 and 2 more"."""
    every = [str(x) for x in labels]
    more = f" and {len(every) - limit} more" if len(every) > limit else ""
    return ("row " if len(every) == 1 else "rows ") + ", ".join(every[:limit]) + more


def _prepare(responses: pd.DataFrame, item_set: ItemSet, by: Sequence[str]) -> pd.DataFrame:
    """Validated responses with ``wave``, ``dimension`` and the reverse-adjusted ``value``."""
    needed = ["respondent", "wave", "item_id", "score", *by]
    missing = [c for c in needed if c not in responses.columns]
    if missing:
        raise PulseDataError(f"The responses have no column(s): {', '.join(missing)}.")
    problems: list[str] = []
    waves = responses["wave"].map(_wave_id)
    bad = waves.isna()
    if bad.any():
        problems.append(
            f"{_rows(responses.index[bad])}: the wave must be 'start' or 'review' "
            f"(found {', '.join(sorted({repr(v) for v in responses.loc[bad, 'wave']})[:3])})"
        )
    items = {i.item_id: i for i in item_set.items}
    item_ids = responses["item_id"].map(_text)
    unknown = ~item_ids.isin(list(items))
    if unknown.any():
        problems.append(
            f"{_rows(responses.index[unknown])}: item id "
            f"{', '.join(sorted({repr(v) for v in item_ids[unknown]})[:3])} is not in the "
            f"item set '{item_set.name}'"
        )
    raw = responses["score"]
    scores = pd.to_numeric(raw, errors="coerce").astype(float)
    blank = raw.isna() | raw.map(lambda v: isinstance(v, str) and not v.strip())
    not_number = scores.isna() & ~blank
    if not_number.any():
        problems.append(f"{_rows(responses.index[not_number])}: the score is not a number")
    off = scores.notna() & (
        (scores < item_set.scale_min) | (scores > item_set.scale_max) | (scores != np.floor(scores))
    )
    if off.any():
        problems.append(
            f"{_rows(responses.index[off])}: the score must be a whole number from "
            f"{item_set.scale_min} to {item_set.scale_max}"
        )
    frame = pd.DataFrame(
        {
            **{c: responses[c].to_numpy() for c in by},
            "respondent": responses["respondent"].map(_text).to_numpy(),
            "wave": waves.to_numpy(),
            "item_id": item_ids.to_numpy(),
            "score": scores.to_numpy(),
        },
        index=responses.index,
    )
    no_one = frame["respondent"] == ""
    if no_one.any():
        problems.append(f"{_rows(responses.index[no_one])}: the respondent is blank")
    dup = frame.duplicated([*by, "respondent", "wave", "item_id"], keep="first") & ~bad
    if dup.any():
        problems.append(
            f"{_rows(responses.index[dup])}: a second answer by the same respondent to "
            "the same item in the same wave"
        )
    if problems:
        raise PulseDataError("The pulse responses cannot be scored: " + "; ".join(problems) + ".")
    frame = frame[frame["score"].notna()].copy()
    reverse = frame["item_id"].map(lambda i: items[i].reverse).astype(bool)
    frame["dimension"] = frame["item_id"].map(lambda i: items[i].dimension)
    flip = item_set.scale_min + item_set.scale_max - frame["score"]
    frame["value"] = np.where(reverse, flip, frame["score"])
    return frame


def _person_scores(responses: pd.DataFrame, item_set: ItemSet, by: Sequence[str]) -> pd.DataFrame:
    """Each respondent's score per wave and dimension: the mean of the items they answered."""
    frame = _prepare(responses, item_set, by)
    return (
        frame.groupby([*by, "wave", "dimension", "respondent"], sort=False)["value"]
        .mean()
        .reset_index()
    )


def score_responses(
    responses: pd.DataFrame,
    item_set: ItemSet = DEFAULT_ITEM_SET,
    *,
    by: Sequence[str] = (),
) -> pd.DataFrame:
    """Pulse results per wave and dimension: mean, SD and number of respondents.

    ``responses`` has one row per answer: ``respondent, wave, item_id, score`` (blank
    scores are unanswered items and are skipped). Each respondent's dimension score is the
    mean of the items of that dimension they answered, reverse-scored items turned around
    first; the table then gives the ``mean`` and ``sd`` (n - 1; NaN for one respondent) of
    those scores and ``n``, the number of respondents. ``by`` adds grouping columns (such
    as ``"collective"``). Waves come in the order start, review; every dimension of the
    item set appears for each wave that has answers (``n`` 0 when none).

    Raises :class:`PulseDataError` naming the rows with unknown waves or items, scores off
    the scale, blank respondents or repeated answers.
    """
    by = list(by)
    people = _person_scores(responses, item_set, by)
    stats = (
        people.groupby([*by, "wave", "dimension"], sort=False)["value"]
        .agg(mean="mean", sd="std", n="size")
        .reset_index()
    )
    groups = people[[*by, "wave"]].drop_duplicates()
    dims = pd.DataFrame({"dimension": list(item_set.dimensions)})
    full = groups.merge(dims, how="cross").merge(stats, on=[*by, "wave", "dimension"], how="left")
    full["n"] = full["n"].fillna(0).astype(np.int64)
    full["wave"] = pd.Categorical(full["wave"], categories=list(WAVES), ordered=True)
    full["dimension"] = pd.Categorical(
        full["dimension"], categories=list(item_set.dimensions), ordered=True
    )
    full = full.sort_values([*by, "wave", "dimension"], kind="stable").reset_index(drop=True)
    full["wave"] = full["wave"].astype(str)
    full["dimension"] = full["dimension"].astype(str)
    full["wave_label"] = full["wave"].map(WAVES)
    full["dimension_label"] = full["dimension"].map(item_set.dimensions)
    return full[[*by, "wave", "wave_label", "dimension", "dimension_label", "mean", "sd", "n"]]


def pulse_change(
    responses: pd.DataFrame,
    item_set: ItemSet = DEFAULT_ITEM_SET,
    *,
    by: Sequence[str] = (),
) -> pd.DataFrame:
    """Before and after per dimension: the start and review results and the change.

    One row per dimension (per ``by`` group) with ``mean_start, sd_start, n_start,
    mean_review, sd_review, n_review`` as in :func:`score_responses`; ``change`` is
    ``mean_review - mean_start`` (NaN when a wave has no answers). Because people join or
    miss a wave, ``n_both`` counts the respondents who answered both and ``paired_change``
    is the mean of their own changes, which is not affected by who came and went.
    """
    by = list(by)
    people = _person_scores(responses, item_set, by)
    scored = score_responses(responses, item_set, by=by)
    keys = [*by, "dimension"]
    parts = [
        scored[scored["wave"] == wave][[*keys, "mean", "sd", "n"]].rename(
            columns={"mean": f"mean_{wave}", "sd": f"sd_{wave}", "n": f"n_{wave}"}
        )
        for wave in WAVES
    ]
    wide = parts[0].merge(parts[1], on=keys, how="outer")
    if by:
        groups = scored[by].drop_duplicates()
        frame = groups.merge(pd.DataFrame({"dimension": list(item_set.dimensions)}), how="cross")
    else:
        frame = pd.DataFrame({"dimension": list(item_set.dimensions)})
    frame = frame.merge(wide, on=keys, how="left")
    for wave in WAVES:
        frame[f"n_{wave}"] = frame[f"n_{wave}"].fillna(0).astype(np.int64)
    frame["change"] = frame["mean_review"] - frame["mean_start"]
    paired = people.pivot_table(
        index=[*keys, "respondent"], columns="wave", values="value", aggfunc="first"
    )
    if {"start", "review"} <= set(paired.columns):
        diffs = (paired["review"] - paired["start"]).dropna()
        both = diffs.groupby(level=keys).agg(["size", "mean"])
        both.columns = pd.Index(["n_both", "paired_change"])
        frame = frame.merge(both.reset_index(), on=keys, how="left")
    else:
        frame["n_both"] = 0
        frame["paired_change"] = np.nan
    frame["n_both"] = frame["n_both"].fillna(0).astype(np.int64)
    frame["dimension_label"] = frame["dimension"].map(item_set.dimensions)
    columns = [
        *by,
        "dimension",
        "dimension_label",
        "mean_start",
        "sd_start",
        "n_start",
        "mean_review",
        "sd_review",
        "n_review",
        "change",
        "n_both",
        "paired_change",
    ]
    return frame[columns].reset_index(drop=True)


def responses_template() -> pd.DataFrame:
    """An empty responses table with the columns :func:`score_responses` expects."""
    return pd.DataFrame(
        {
            "respondent": pd.Series(dtype=object),
            "wave": pd.Series(dtype=object),
            "item_id": pd.Series(dtype=object),
            "score": pd.Series(dtype=float),
        }
    )


def scale_text(item_set: ItemSet = DEFAULT_ITEM_SET) -> str:
    """The scale in words, for the survey header ("1 = Strongly disagree ... 5 = ...")."""
    if item_set.scale_labels:
        return ", ".join(f"{k} = {v}" for k, v in sorted(item_set.scale_labels.items()))
    return f"{item_set.scale_min} (lowest) to {item_set.scale_max} (highest)"
