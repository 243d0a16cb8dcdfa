"""Evidence coverage: how much of each of Bernhardt's four types there is, what is missing,
and which of the questions crossing the types (:data:`INTERSECTIONS`) it can answer."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from .. import format as fmt
from ..vocab import EVIDENCE_TYPES, normalize_choice
from ._common import _live

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
else:
    from .._lazy import np, pd

__all__ = [
    "INTERSECTIONS",
    "MISSING_TYPE_PROMPTS",
    "NO_INDICATOR",
    "Intersection",
    "answerable_intersections",
    "coverage",
    "coverage_counts",
    "coverage_matrix",
    "missing_type_prompts",
    "type_id",
]

NO_INDICATOR: Final = "(no indicator)"
"""How evidence that is not tied to an indicator is labelled in coverage tables."""

MISSING_TYPE_PROMPTS: Final[dict[str, str]] = {
    "demographic": (
        "No demographic data yet: who are the students and adults involved (enrollment, "
        "attendance, subgroups)?"
    ),
    "perceptions": "No perceptions data yet: a short survey of teachers or students?",
    "student_learning": (
        "No student learning data yet: a common formative assessment, or recent test results?"
    ),
    "school_processes": (
        "No school processes data yet: walkthrough notes, program participation, or a log of "
        "what changed in practice?"
    ),
}


def _type_ids(series: pd.Series[Any]) -> pd.Series[Any]:
    """Evidence types normalized to their ids; unknown labels are kept as written."""
    codes, uniques = pd.factorize(series)
    mapped = [type_id(u) for u in uniques]
    table = np.array([*mapped, ""], dtype=object)
    return pd.Series(table[codes], index=series.index, dtype=object)


def _indicator_labels(values: pd.Series[Any]) -> np.ndarray[Any, Any]:
    """Indicator names with spacing tidied and case variants merged (first spelling wins);
    blanks become :data:`NO_INDICATOR`."""
    codes, uniques = pd.factorize(values)
    first: dict[str, str] = {}
    labels: list[str] = []
    for u in uniques:
        labels.append(_indicator_label(u, first))
    table = np.array([*labels, NO_INDICATOR], dtype=object)
    return np.asarray(table[codes])


def _indicator_label(value: Any, first: dict[str, str]) -> str:
    """An indicator name with spacing tidied, as first spelled (``first``: key -> label);
    :data:`NO_INDICATOR` when blank."""
    tidy = "" if fmt._blank(value) else " ".join(str(value).split())
    return first.setdefault(fmt.indicator_key(tidy), tidy) if tidy else NO_INDICATOR


def _type_order(observed: Iterable[str]) -> list[str]:
    extra = sorted({t for t in observed if t and t not in EVIDENCE_TYPES})
    return [*EVIDENCE_TYPES, *extra]


def coverage(evidence: pd.DataFrame, by: Sequence[str] = ("evidence_type",)) -> pd.DataFrame:
    """How many evidence entries there are of each of the four types (long, tidy form).

    ``by`` must include ``"evidence_type"``; other columns (``"indicator"``,
    ``"collective"``, ...) split the counts further. All four types always appear, with 0
    when there is none, for every combination of the other columns that has evidence; types
    outside the four (should an import let one through) follow them. Evidence without an
    indicator is labelled :data:`NO_INDICATOR`. Deleted entries are left out.

    Columns: the ``by`` columns, ``type_label`` and ``entries``.
    """
    by = list(by)
    if "evidence_type" not in by:
        raise ValueError("coverage(): 'by' must include 'evidence_type'.")
    others = [c for c in by if c != "evidence_type"]
    ev = _live(evidence)
    missing = [c for c in by if c not in ev.columns]
    if missing and len(ev):
        raise ValueError(f"The evidence has no column(s): {', '.join(missing)}.")
    if len(ev) == 0:
        if others:
            empty = pd.DataFrame({c: pd.Series(dtype=object) for c in by})
            empty["type_label"] = pd.Series(dtype=object)
            empty["entries"] = pd.Series(dtype=np.int64)
            return empty
        return pd.DataFrame(
            {
                "evidence_type": list(EVIDENCE_TYPES),
                "type_label": list(EVIDENCE_TYPES.values()),
                "entries": np.zeros(len(EVIDENCE_TYPES), dtype=np.int64),
            }
        )
    frame = pd.DataFrame({"evidence_type": _type_ids(ev["evidence_type"])})
    for col in others:
        values = ev[col]
        frame[col] = _indicator_labels(values) if col == "indicator" else values.to_numpy()
    order = _type_order(frame["evidence_type"].unique())
    frame["evidence_type"] = pd.Categorical(frame["evidence_type"], categories=order)
    if not others:
        counts = frame["evidence_type"].value_counts(sort=False).reindex(order, fill_value=0)
        return pd.DataFrame(
            {
                "evidence_type": order,
                "type_label": [EVIDENCE_TYPES.get(t, t) for t in order],
                "entries": counts.to_numpy(dtype=np.int64),
            }
        )
    wide = (
        frame.groupby([*others, "evidence_type"], dropna=False, observed=False, sort=True)
        .size()
        .unstack("evidence_type", fill_value=0)
    )
    wide = wide[wide.sum(axis=1) > 0].reindex(columns=order, fill_value=0)
    n_groups, n_types = wide.shape
    long = wide.index.to_frame(index=False).loc[np.repeat(np.arange(n_groups), n_types)]
    long = long.reset_index(drop=True)
    long["evidence_type"] = np.tile(np.asarray(order, dtype=object), n_groups)
    long["type_label"] = long["evidence_type"].map(lambda t: EVIDENCE_TYPES.get(t, t))
    long["entries"] = wide.to_numpy(dtype=np.int64).ravel()
    return long[[*by, "type_label", "entries"]]


def coverage_matrix(evidence: pd.DataFrame, rows: str = "indicator") -> pd.DataFrame:
    """Wide coverage: one row per value of ``rows``, one column per evidence type, a total.

    The column names are the evidence type ids (in the usual order) and ``total``; the
    coverage tracker shows it as a grid.
    """
    long = coverage(evidence, by=(rows, "evidence_type"))
    if long.empty:
        return pd.DataFrame(columns=[*EVIDENCE_TYPES, "total"], dtype=np.int64)
    wide = long.pivot_table(
        index=rows, columns="evidence_type", values="entries", aggfunc="sum", fill_value=0
    )
    order = _type_order(wide.columns)
    wide = wide.reindex(columns=order, fill_value=0).astype(np.int64)
    wide["total"] = wide.sum(axis=1)
    wide.columns.name = None
    return wide


def type_id(value: Any) -> str:
    """An evidence type as its id ("Student learning" -> ``student_learning``); unknown
    labels are kept as written, a missing one is ""."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return normalize_choice("evidence_type", str(value)) or str(value).strip()


def coverage_counts(entries: Iterable[Mapping[str, Any]]) -> dict[str, dict[str, int]]:
    """:func:`coverage_matrix` over plain records, for pages that load no pandas.

    Indicator label -> entries per evidence type id (the four, then any other type seen, in
    the matrix's order) and ``total``; rows sorted by label as the matrix's are. The same
    rules: deleted entries (a ``deleted_at``) left out, types normalised, case and spacing
    variants of an indicator merged under its first spelling, no indicator under
    :data:`NO_INDICATOR`. Entries without a type are not counted.
    """
    first: dict[str, str] = {}
    cells: dict[str, dict[str, int]] = {}
    for entry in entries:
        if entry.get("deleted_at") is not None:
            continue
        kind = type_id(entry.get("evidence_type"))
        if not kind:
            continue
        row = cells.setdefault(_indicator_label(entry.get("indicator"), first), {})
        row[kind] = row.get(kind, 0) + 1
    order = _type_order({kind for row in cells.values() for kind in row})
    out: dict[str, dict[str, int]] = {}
    for label in sorted(cells):
        counts = {kind: cells[label].get(kind, 0) for kind in order}
        out[label] = {**counts, "total": sum(counts.values())}
    return out


def _type_totals(cov: pd.DataFrame | Mapping[str, int]) -> dict[str, int]:
    if isinstance(cov, Mapping):
        return {t: int(cov.get(t, 0)) for t in EVIDENCE_TYPES}
    if "evidence_type" in cov.columns and "entries" in cov.columns:
        sums = cov.groupby(cov["evidence_type"].astype(str))["entries"].sum()
        return {t: int(sums.get(t, 0)) for t in EVIDENCE_TYPES}
    if any(t in cov.columns for t in EVIDENCE_TYPES):
        return {t: int(cov[t].sum()) if t in cov.columns else 0 for t in EVIDENCE_TYPES}
    raise ValueError(
        "Expected a coverage table (columns 'evidence_type' and 'entries', or one column per "
        "evidence type) or a mapping from evidence type to count."
    )


def missing_type_prompts(cov: pd.DataFrame | Mapping[str, int]) -> list[str]:
    """A prompt for each of the four evidence types with no entries, in the usual order.

    Accepts the result of :func:`coverage` or :func:`coverage_matrix`, or a mapping from
    evidence type to count.
    """
    totals = _type_totals(cov)
    return [MISSING_TYPE_PROMPTS[t] for t in EVIDENCE_TYPES if totals[t] == 0]


# ============================================================================ intersections


@dataclass(frozen=True)
class Intersection:
    """A crossing of two or more evidence types and the question it answers."""

    id: str
    types: tuple[str, ...]
    question: str

    @property
    def label(self) -> str:
        """The evidence types as people read them ("Demographic × Perceptions")."""
        return " × ".join(EVIDENCE_TYPES[t] for t in self.types)

    @property
    def size(self) -> int:
        """How many evidence types it crosses (2, 3 or 4)."""
        return len(self.types)


def _ix(types: tuple[str, ...], question: str) -> Intersection:
    return Intersection("+".join(types), types, question)


INTERSECTIONS: Final[tuple[Intersection, ...]] = (
    _ix(
        ("demographic", "perceptions"),
        "Do different groups of students experience school differently?",
    ),
    _ix(
        ("demographic", "student_learning"),
        "Do students of different groups achieve differently?",
    ),
    _ix(
        ("demographic", "school_processes"),
        "Are all groups of students represented in the programs we offer?",
    ),
    _ix(
        ("perceptions", "student_learning"),
        "Do students who feel they belong and are supported at school do better academically?",
    ),
    _ix(
        ("perceptions", "school_processes"),
        "What do students, staff and families think about the programs and practices we run?",
    ),
    _ix(
        ("student_learning", "school_processes"),
        "Is the program making a difference in learning results?",
    ),
    _ix(
        ("demographic", "perceptions", "student_learning"),
        "Do different groups of students feel differently about school, and do their results "
        "follow the same pattern?",
    ),
    _ix(
        ("demographic", "perceptions", "school_processes"),
        "Do different groups of students experience our programs differently?",
    ),
    _ix(
        ("demographic", "student_learning", "school_processes"),
        "Is the program making a difference in learning for every group of students?",
    ),
    _ix(
        ("perceptions", "student_learning", "school_processes"),
        "Do the programs that people feel good about also improve learning results?",
    ),
    _ix(
        ("demographic", "perceptions", "student_learning", "school_processes"),
        "Which programs work for which groups of students, both in how they experience school "
        "and in what they learn?",
    ),
)
"""Bernhardt's intersections of the four evidence types: the 2-, 3- and 4-way crossings."""


def answerable_intersections(evidence: pd.DataFrame, *, by: str | None = None) -> pd.DataFrame:
    """Which of :data:`INTERSECTIONS` the evidence can answer (evidence of all its types).

    One row per intersection (per value of ``by``, e.g. ``"collective"``, when given), with
    columns ``intersection`` (id), ``label``, ``size``, ``question``, ``answerable``,
    ``missing`` (labels of the types with no evidence, comma separated), ``min_entries``
    (entries of its scarcest type) and one column per evidence type with that type's count
    for the types in the intersection (<NA> for the others).
    """
    type_ids = list(EVIDENCE_TYPES)
    if by is None:
        cov = coverage(evidence)
        counts = (
            cov.set_index("evidence_type")["entries"].reindex(type_ids, fill_value=0).to_numpy()
        )
        groups: list[Any] = [None]
        matrix = counts.reshape(1, -1).astype(np.int64)
    else:
        cov = coverage(evidence, by=(by, "evidence_type"))
        if cov.empty:
            groups, matrix = [], np.zeros((0, len(type_ids)), dtype=np.int64)
        else:
            wide = cov.pivot_table(
                index=by, columns="evidence_type", values="entries", aggfunc="sum", fill_value=0
            ).reindex(columns=type_ids, fill_value=0)
            groups = list(wide.index)
            matrix = wide.to_numpy(dtype=np.int64)
    records: list[dict[str, Any]] = []
    for g, counts_row in zip(groups, matrix, strict=True):
        for ix in INTERSECTIONS:
            member = [t in ix.types for t in type_ids]
            present = {t: int(c) for t, c, m in zip(type_ids, counts_row, member, strict=True) if m}
            record: dict[str, Any] = {by: g} if by is not None else {}
            record.update(
                intersection=ix.id,
                label=ix.label,
                size=ix.size,
                question=ix.question,
                answerable=all(v > 0 for v in present.values()),
                missing=", ".join(EVIDENCE_TYPES[t] for t, v in present.items() if v == 0),
                min_entries=min(present.values()),
            )
            for t, m in zip(type_ids, member, strict=True):
                record[t] = present[t] if m else pd.NA
            records.append(record)
    columns = [
        *([by] if by is not None else []),
        "intersection",
        "label",
        "size",
        "question",
        "answerable",
        "missing",
        "min_entries",
        *type_ids,
    ]
    out = pd.DataFrame.from_records(records, columns=columns)
    for t in type_ids:
        out[t] = out[t].astype("Int64")
    return out
