"""The researchers' tables: one schema giving each column's portable type, dtype and meaning.

Every table a researcher sees (the tidy DataFrames of :class:`~ilc_widgets.network.Network`
and the files of ``ilc export``) is described here once, in :data:`SCHEMA`: for each column
a portable type (:data:`PORTABLE_TYPES`), the pandas dtype that follows from it, and the
description the data dictionary shows. :func:`tidy` turns a storage frame into the tidy one:

=============================  ====================================================
portable type                  pandas dtype of the tidy frame
=============================  ====================================================
``date``                       ``datetime64[ns]`` (calendar dates, no time zone)
``datetime (UTC, ISO 8601)``   ``datetime64[ns, UTC]``
``integer``                    ``int64``, or ``Int64`` where values can be missing
``number``                     ``float64`` (missing = NaN)
``boolean``                    ``boolean`` (pandas' nullable boolean)
``text``                       ``string`` (missing = ``pd.NA``; never ``""``)
``category``                   ``category``, levels in the vocabulary's order
``json``                       ``object`` holding the lists and dicts themselves
=============================  ====================================================

Text is ``pd.StringDtype()`` rather than ``object``: it holds only text and ``pd.NA``, so a
column reads back from CSV exactly as it was written, and empty text is always missing
(``""`` never appears). Category levels come from :mod:`ilc_widgets.vocab` (and the pulse's
waves, the indicator statuses); a value outside the vocabulary (older data) is kept as an
extra level after the vocabulary's, in sorted order.

:func:`csv_cells` gives the text a CSV file holds (dates ``YYYY-MM-DD``, times ISO 8601 in
UTC ending in ``Z``, booleans ``TRUE``/``FALSE``, JSON text, empty cells for missing
values) and :func:`read_export` reads an export folder back with nothing but its
``data_dictionary.csv``, giving frames equal to the tidy ones, dtypes included. This module
uses pandas only: no widgets, no database.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import pandas as pd

from .efficacy import WAVES
from .spreadsheet import read_csv
from .stats import STATUSES
from .vocab import CADENCES, EVIDENCE_TYPES, INDICATOR_KINDS, MODALITIES, ROLES, TOA_LEVELS

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

__all__ = [
    "DATA_DICTIONARY",
    "PORTABLE_TYPES",
    "SCHEMA",
    "Column",
    "column_of",
    "csv_cells",
    "described_tables",
    "dictionary_rows",
    "read_export",
    "tidy",
    "type_text",
    "xlsx_cells",
]

#: The portable types and how the data dictionary spells each (its ``type`` column).
PORTABLE_TYPES: Final[dict[str, str]] = {
    "date": "date (YYYY-MM-DD)",
    "datetime": "datetime (UTC, ISO 8601)",
    "integer": "integer",
    "number": "number",
    "boolean": "boolean (TRUE/FALSE)",
    "text": "text",
    "json": "json (JSON text)",
    "category": "category",
}

_LEVELS_PREFIX: Final = "category, levels in order: "
_DATE_FORMAT: Final = "%Y-%m-%d"
_TRUE, _FALSE = "TRUE", "FALSE"


@dataclass(frozen=True)
class Column:
    """One column of a researcher-facing table: portable type, meaning, levels."""

    type: str
    description: str
    levels: tuple[str, ...] = ()
    nullable: bool = False
    """For integers: values can be missing, so the dtype is ``Int64`` instead of ``int64``."""

    @property
    def dtype(self) -> Any:
        """The pandas dtype of the column in a tidy frame (integers: ``int64`` or ``Int64``)."""
        if self.type == "category":
            return _category_dtype(self.levels)
        if self.type == "integer" and self.nullable:
            return pd.Int64Dtype()
        return _DTYPES[self.type]


_DTYPES: Final[dict[str, Any]] = {
    "date": pd.api.types.pandas_dtype("datetime64[ns]"),
    "datetime": pd.DatetimeTZDtype("ns", "UTC"),
    "integer": pd.api.types.pandas_dtype("int64"),
    "number": pd.api.types.pandas_dtype("float64"),
    "boolean": pd.BooleanDtype(),
    "text": pd.StringDtype(),
    "json": pd.api.types.pandas_dtype("object"),
}


def _text(description: str) -> Column:
    return Column("text", description)


def _int(description: str, *, nullable: bool = False) -> Column:
    return Column("integer", description, nullable=nullable)


def _num(description: str) -> Column:
    return Column("number", description)


def _bool(description: str) -> Column:
    return Column("boolean", description)


def _date(description: str) -> Column:
    return Column("date", description)


def _when(description: str) -> Column:
    return Column("datetime", description)


def _json(description: str) -> Column:
    return Column("json", description)


def _cat(vocabulary: Iterable[str], description: str) -> Column:
    return Column("category", description, levels=tuple(vocabulary))


_COLLECTIVE: Final = _text("Collective id")
_EVIDENCE_TYPE: Final = _cat(
    EVIDENCE_TYPES, "demographic, perceptions, student_learning or school_processes"
)
_KIND: Final = _cat(INDICATOR_KINDS, "leading or lagging")

#: Every researcher-facing table: column name -> :class:`Column`, in the tables' order.
SCHEMA: Final[dict[str, dict[str, Column]]] = {
    "participants": {
        "participant_id": _text("Stable id of the participant within the network"),
        "name": _text("Full name"),
        "email": _text("Email address (lowercase); unique in the network"),
        "role": _cat(
            ROLES,
            "teacher_leader, instructional_coach, principal, assistant_principal, "
            "central_office, superintendent, school_psychologist or other",
        ),
        "organization": _text("School or office"),
        "district": _text("District"),
        "region": _text("Region (in-person collectives meet within one region)"),
        "modality": _cat(MODALITIES, "in_person, virtual or either"),
        "focus": _text("The participant's focus for inquiry, in their words"),
        "theme": _text("Accepted theme"),
        "second_theme": _text("Second-choice theme (may be blank)"),
        "collective": _text("Collective id the participant is in (blank if none)"),
    },
    "themes": {
        "name": _text("Accepted theme"),
        "keywords": _json("Keywords that characterize the theme's statements"),
        "participants": _int("Participants whose theme it is"),
        "accepted_at": _when("When the facilitator accepted the themes (UTC)"),
    },
    "collectives": {
        "collective": _text("Collective id (used in links and files)"),
        "name": _text("Collective name"),
        "theme": _text("Theme"),
        "region": _text("Region of an in-person or hybrid collective (blank for virtual)"),
        "modality": _text("in_person, virtual or hybrid"),
        "facilitator_name": _text("Facilitator"),
        "facilitator_email": _text("Facilitator's email"),
        "locked": _bool("True when the facilitator locked its composition"),
        "members": _int("Number of members"),
    },
    "memberships": {
        "participant_id": _text("Participant"),
        "collective": _COLLECTIVE,
        "locked": _bool("True when the member was locked in place"),
    },
    "placemats": {
        "collective": _COLLECTIVE,
        "version": _int("Saved version number (0 = never saved)"),
        "updated_at": _when("Time of the last save (UTC)"),
        "updated_by": _text("Who saved it"),
        "problem_of_practice": _text("Problem of practice"),
        "theory_steps": _int("Number of if/then steps in the theory of action"),
        "indicators": _int("Number of indicators"),
        "completeness": _num("Share of the placemat checks that pass (0 to 1)"),
        "document": _json(
            "The whole placemat (in the DataFrame only; the export gives its parts as the "
            "theory_of_action, priorities, evidence_plan and indicators tables)"
        ),
    },
    "indicators": {
        "collective": _COLLECTIVE,
        "indicator_id": _text("Stable id of the indicator in its placemat"),
        "name": _text("Indicator name (evidence refers to it by name)"),
        "kind": _KIND,
        "measure": _text("How it is measured"),
        "evidence_type": _EVIDENCE_TYPE,
        "baseline": _num("Baseline value"),
        "target": _num("Target value"),
        "unit": _text("Unit of baseline, target and evidence values"),
        "target_date": _date("Date the target should be reached"),
        "cadence": _cat(CADENCES, "How often it is measured"),
    },
    "evidence": {
        "id": _int("Entry id"),
        "collective": _COLLECTIVE,
        "date": _date("Date the evidence describes"),
        "evidence_type": _EVIDENCE_TYPE,
        "indicator": _text("Indicator name (blank for context evidence)"),
        "value": _num("Numeric value"),
        "unit": _text("Unit of the value"),
        "n": _int("How many people or students the value covers", nullable=True),
        "subgroup": _text("Group the value describes"),
        "description": _text("What the evidence is"),
        "source": _text("Where it came from"),
        "entered_by": _text("Who entered it"),
        "created_at": _when("When it was entered (UTC)"),
        "version": _int("Edit counter"),
        "deleted_at": _when("When it was deleted (blank if current)"),
        "deleted": _bool("True for deleted entries (kept so they can be restored)"),
    },
    "implementation_log": {
        "id": _int("Entry id"),
        "collective": _COLLECTIVE,
        "date": _date("When the action was taken"),
        "action": _text("What the leaders did"),
        "toa_step": _text("Id of the theory-of-action step it carries out"),
        "entered_by": _text("Who entered it"),
    },
    "reflections": {
        "id": _int("Reflection id"),
        "collective": _COLLECTIVE,
        "meeting_date": _date("Review meeting date"),
        "went_well": _text("What went well"),
        "didnt_go_well": _text("What did not go well"),
        "learned": _text("What we learned"),
        "adjust": _text("What we will adjust"),
        "adjust_areas": _json(
            "Parts of the placemat to adjust (theory_of_action, indicators, evidence_plan)"
        ),
        "entered_by": _text("Who entered it"),
        "version": _int("Edit counter"),
        "updated_at": _when("Time of the last edit (UTC)"),
    },
    "pulse_responses": {
        "collective": _COLLECTIVE,
        "respondent": _text("Participant id of the respondent"),
        "wave": _cat(WAVES, "start or review"),
        "item_set": _text("Item set the item belongs to (default = the kit's reflective pulse)"),
        "item_id": _text("Item id"),
        "score": _int("Agreement, 1 (strongly disagree) to 5 (strongly agree)"),
        "submitted_at": _when("When it was submitted (UTC)"),
    },
    "scores": {
        "collective": _COLLECTIVE,
        "assessment": _text("Assessment the scores come from"),
        "phase": _text("pre or post"),
        "student_ref": _text("Anonymised student reference (never a name)"),
        "score": _num("Score"),
    },
    "theory_of_action": {
        "collective": _COLLECTIVE,
        "position": _int("Place of the step in the chain (1 = first)"),
        "step_id": _text("Stable id of the step (the implementation log's toa_step refers to it)"),
        "level": _cat(TOA_LEVELS, "leader_actions, adult_practice or student_outcomes"),
        "if_text": _text("The 'if' part: what is done"),
        "then_text": _text("The 'then' part: what should follow"),
    },
    "priorities": {
        "collective": _COLLECTIVE,
        "rank": _int("Rank of the priority (1 = highest)"),
        "priority": _text("The priority, in the collective's words"),
    },
    "evidence_plan": {
        "collective": _COLLECTIVE,
        "evidence_type": _EVIDENCE_TYPE,
        "what": _text("What will be collected"),
        "who": _text("By whom"),
        "when": _text("When or how often"),
    },
    "indicator_status": {
        "collective": _COLLECTIVE,
        "indicator_id": _text("Stable id of the indicator in its placemat"),
        "indicator": _text("Indicator name"),
        "kind": _KIND,
        "evidence_type": _EVIDENCE_TYPE,
        "unit": _text("Unit of baseline, target and values"),
        "n_observations": _int("Dated values the status is based on (one per day with evidence)"),
        "entries": _int("Evidence entries matched to the indicator"),
        "first_date": _date("Date of the first value"),
        "last_date": _date("Date of the latest value"),
        "latest_value": _num("Latest value (mean of that day's entries, weighted by n)"),
        "baseline": _num("Baseline value"),
        "target": _num("Target value"),
        "target_date": _date("Date the target should be reached"),
        "expected_value": _num(
            "Value expected by the latest date on the line from baseline to target"
        ),
        "progress": _num("Share of the way from baseline to target reached (1 = target)"),
        "expected_progress": _num("Share of the way expected by the latest date"),
        "status": _cat(STATUSES, "on_track, at_risk, off_track or not_enough_data"),
        "status_label": _text("The status in words"),
        "reason": _text("Why, in plain words"),
    },
    "effect_sizes": {
        "collective": _COLLECTIVE,
        "assessment": _text("Assessment the pre and post scores come from"),
        "n_pre": _int("Number of pre scores"),
        "n_post": _int("Number of post scores"),
        "mean_pre": _num("Mean of the pre scores"),
        "sd_pre": _num("Standard deviation of the pre scores (n - 1)"),
        "mean_post": _num("Mean of the post scores"),
        "sd_post": _num("Standard deviation of the post scores (n - 1)"),
        "d": _num("Effect size: (mean post - mean pre) / mean of the two SDs"),
        "ci_low": _num("Lower end of the 95% confidence interval of d"),
        "ci_high": _num("Upper end of the 95% confidence interval of d"),
        "small_n": _bool("True when a group has fewer scores than the network's minimum cell size"),
        "interpretation": _text("What d means, in plain words (against the 0.40 hinge point)"),
        "problem": _text("Why no effect size could be computed (blank when it could)"),
    },
    "audit_log": {
        "id": _int("Change id"),
        "at": _when("When (UTC)"),
        "actor": _text("Who"),
        "action": _text("What kind of change"),
        "entity": _text("What was changed"),
        "entity_id": _text("Which one"),
        "collective": _text("Collective id, if any"),
        "detail": _json("Details of the change"),
    },
}

#: Each table's column descriptions (table -> column -> description), from :data:`SCHEMA`.
DATA_DICTIONARY: Final[dict[str, dict[str, str]]] = {
    table: {name: column.description for name, column in columns.items()}
    for table, columns in SCHEMA.items()
}


# ---------------------------------------------------------------------- tidy frames


def _category_dtype(levels: Iterable[str]) -> pd.CategoricalDtype:
    return pd.CategoricalDtype(categories=[str(v) for v in levels], ordered=False)


def _missing(value: Any) -> bool:
    return value is None or (pd.api.types.is_scalar(value) and bool(pd.isna(value)))


def _as_text(series: pd.Series) -> pd.Series:
    """Text with ``pd.NA`` for missing values and for empty text."""
    out = series.astype(object).astype(pd.StringDtype())
    return out.replace({"": pd.NA})


def _as_category(series: pd.Series, levels: Iterable[str]) -> pd.Series:
    text = _as_text(series)
    known = [str(v) for v in levels]
    extra = sorted(set(text.dropna()) - set(known))
    return text.astype(_category_dtype([*known, *extra]))


def _as_date(series: pd.Series) -> pd.Series:
    if isinstance(series.dtype, pd.DatetimeTZDtype):
        series = series.dt.tz_localize(None)
    elif series.dtype == object or isinstance(series.dtype, pd.StringDtype):
        series = series.astype(object).map(lambda v: None if _missing(v) or v == "" else v)
    return pd.to_datetime(series).astype("datetime64[ns]")


def _as_datetime(series: pd.Series) -> pd.Series:
    if series.dtype == object or isinstance(series.dtype, pd.StringDtype):
        series = series.astype(object).map(lambda v: None if _missing(v) or v == "" else v)
    return pd.to_datetime(series, utc=True).astype(pd.DatetimeTZDtype("ns", "UTC"))


def _as_integer(series: pd.Series, nullable: bool) -> pd.Series:
    out = series.astype(object).map(lambda v: None if _missing(v) or v == "" else int(v))
    values = out.astype(pd.Int64Dtype())
    if nullable or values.isna().any():
        return values
    return values.astype("int64")


def _as_number(series: pd.Series) -> pd.Series:
    out = series.astype(object).map(lambda v: None if _missing(v) or v == "" else float(v))
    return out.astype("float64")


def _as_boolean(series: pd.Series) -> pd.Series:
    out = series.astype(object).map(lambda v: None if _missing(v) else bool(v))
    return out.astype(pd.BooleanDtype())


def _as_json(series: pd.Series) -> pd.Series:
    return series.astype(object).map(lambda v: None if _missing(v) else v)


def _convert(series: pd.Series, column: Column) -> pd.Series:
    kind = column.type
    if kind == "text":
        return _as_text(series)
    if kind == "category":
        return _as_category(series, column.levels)
    if kind == "date":
        return _as_date(series)
    if kind == "datetime":
        return _as_datetime(series)
    if kind == "integer":
        return _as_integer(series, column.nullable)
    if kind == "number":
        return _as_number(series)
    if kind == "boolean":
        return _as_boolean(series)
    return _as_json(series)


def tidy(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The tidy form of one of :data:`SCHEMA`'s tables (see the module's table of dtypes).

    Columns the schema does not name are passed through unchanged; tidying a tidy frame
    changes nothing. Raises ``KeyError`` for a table the schema does not describe.
    """
    if table not in SCHEMA:
        raise KeyError(f"no table {table!r} in the schema (known: {', '.join(SCHEMA)})")
    columns = SCHEMA[table]
    data = {
        name: frame[name] if name not in columns else _convert(frame[name], columns[name])
        for name in frame.columns
    }
    return pd.DataFrame(data, index=frame.index, columns=frame.columns)


# ---------------------------------------------------------------------- export and back


def column_of(table: str, name: str, series: pd.Series) -> Column:
    """The schema's column, or one inferred from the dtype for a column it does not name.

    A categorical column's levels are the frame's own (the vocabulary's, then any extra).
    """
    column = SCHEMA.get(table, {}).get(name)
    if column is None:
        column = Column(_infer_type(series), "")
    if column.type == "category" and isinstance(series.dtype, pd.CategoricalDtype):
        column = Column("category", column.description, tuple(map(str, series.cat.categories)))
    return column


def _infer_type(series: pd.Series) -> str:
    dtype = series.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return "category"
    if isinstance(dtype, pd.DatetimeTZDtype):
        return "datetime"
    if pd.api.types.is_bool_dtype(dtype):
        return "boolean"
    if pd.api.types.is_integer_dtype(dtype):
        return "integer"
    if pd.api.types.is_float_dtype(dtype):
        return "number"
    if pd.api.types.is_datetime64_dtype(dtype):
        return "datetime"
    values = [v for v in series if not _missing(v)]
    if values and all(isinstance(v, (list, dict)) for v in values):
        return "json"
    return "text"


def type_text(column: Column) -> str:
    """The dictionary's ``type`` for a column; a category lists its levels as JSON."""
    if column.type == "category":
        return _LEVELS_PREFIX + json.dumps(list(column.levels), ensure_ascii=False)
    return PORTABLE_TYPES[column.type]


def dictionary_rows(table: str, frame: pd.DataFrame) -> list[dict[str, str]]:
    """The data dictionary's rows for one table: ``table, column, type, dtype, description``."""
    rows = []
    for name in frame.columns:
        column = column_of(table, str(name), frame[name])
        rows.append(
            {
                "table": table,
                "column": str(name),
                "type": type_text(column),
                "dtype": str(frame[name].dtype),
                "description": column.description,
            }
        )
    return rows


def _iso_utc(series: pd.Series) -> pd.Series:
    when = pd.to_datetime(series, utc=True)
    fractions = when.dropna().dt.microsecond.ne(0).any()
    pattern = "%Y-%m-%dT%H:%M:%S.%fZ" if fractions else "%Y-%m-%dT%H:%M:%SZ"
    return when.dt.strftime(pattern).astype(object).where(when.notna(), None)


def _json_text(value: Any) -> str | None:
    return None if _missing(value) else json.dumps(value, ensure_ascii=False, default=str)


def csv_cells(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` as a CSV file holds it (write it with :func:`ilc_widgets.spreadsheet.write_csv`).

    Dates become ``YYYY-MM-DD``, times ISO 8601 in UTC (``2026-09-03T14:05:00Z``, with
    microseconds when any value has them), booleans ``TRUE``/``FALSE``, JSON columns JSON
    text; missing values become empty cells. Numbers stay numbers.
    """
    out: dict[str, pd.Series] = {}
    for name in frame.columns:
        series = frame[name]
        kind = column_of(table, str(name), series).type
        if kind == "date":
            day = pd.to_datetime(series)
            out[name] = day.dt.strftime(_DATE_FORMAT).astype(object).where(day.notna(), None)
        elif kind == "datetime":
            out[name] = _iso_utc(series)
        elif kind == "boolean":
            flags = series.astype(object)
            out[name] = flags.map(lambda v: None if _missing(v) else (_TRUE if v else _FALSE))
        elif kind == "json":
            out[name] = series.astype(object).map(_json_text)
        elif kind in ("text", "category"):
            out[name] = series.astype(object).map(lambda v: None if _missing(v) else str(v))
        else:
            out[name] = series
    return pd.DataFrame(out, index=frame.index, columns=frame.columns)


def xlsx_cells(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` as a worksheet holds it: calendar dates as dates (no time), the rest as is.

    :func:`ilc_widgets.spreadsheet.write_xlsx` writes times in UTC, booleans as booleans
    and JSON columns as JSON text.
    """
    out = frame.copy()
    for name in frame.columns:
        if column_of(table, str(name), frame[name]).type == "date":
            day = pd.to_datetime(frame[name])
            out[name] = [None if pd.isna(v) else v.date() for v in day]
    return out


def _levels(type_value: str) -> list[str]:
    start = type_value.find("[")
    if start < 0:
        raise ValueError(f"a category's type gives no levels: {type_value!r}")
    levels = json.loads(type_value[start:])
    return [str(v) for v in levels]


def _from_cells(cells: pd.Series, type_value: str, dtype: str) -> pd.Series:
    """One column read as text (missing = empty) converted to its tidy dtype."""
    kind = type_value.split(",", 1)[0].split(" ", 1)[0].strip()
    text = cells.astype(object).map(lambda v: None if _missing(v) or v == "" else str(v))
    if kind == "text":
        return _as_text(text)
    if kind == "category":
        return text.astype(object).astype(_category_dtype(_levels(type_value)))
    if kind == "date":
        day = pd.to_datetime(text, format=_DATE_FORMAT)
        return day.astype("datetime64[ns]")
    if kind == "datetime":
        when = pd.to_datetime(text, format="ISO8601", utc=True)
        return when.astype(pd.DatetimeTZDtype("ns", "UTC"))
    if kind == "integer":
        return _as_integer(text, nullable=dtype == "Int64")
    if kind == "number":
        return _as_number(text)
    if kind == "boolean":
        flags = {_TRUE: True, _FALSE: False}
        return text.map(lambda v: None if v is None else flags[v.upper()]).astype("boolean")
    if kind == "json":
        return text.map(lambda v: None if v is None else json.loads(v))
    raise ValueError(f"unknown type {type_value!r} in the data dictionary")


def read_export(folder: str | Path) -> dict[str, pd.DataFrame]:
    """Load an export folder (``ilc export``) into the tidy frames, using its dictionary only.

    Reads ``data_dictionary.csv``, then each ``<table>.csv`` it describes (with
    :func:`ilc_widgets.spreadsheet.read_csv`, which removes the formula guard's
    apostrophes), and gives each column the dtype its ``type`` and ``dtype`` say: the
    frames equal those of :meth:`Network.tables <ilc_widgets.network.Network.tables>`,
    dtypes included. Rows of the dictionary whose table or column is in parentheses are
    notes, not columns.
    """
    folder = Path(folder)
    dictionary = read_csv(folder / "data_dictionary.csv", dtype=str, keep_default_na=False)
    notes = dictionary["table"].str.startswith("(") | dictionary["column"].str.startswith("(")
    described = dictionary[~notes]
    frames: dict[str, pd.DataFrame] = {}
    for table, rows in described.groupby("table", sort=False):
        raw = read_csv(folder / f"{table}.csv", dtype=str, keep_default_na=False)
        frames[str(table)] = pd.DataFrame(
            {
                row.column: _from_cells(raw[row.column], str(row.type), str(row.dtype))
                for row in rows.itertuples(index=False)
            },
            columns=list(rows["column"]),
        )
    return frames


def described_tables(frames: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The frames with every table the schema knows made tidy (the others as they are)."""
    return {name: tidy(name, f) if name in SCHEMA else f for name, f in frames.items()}
