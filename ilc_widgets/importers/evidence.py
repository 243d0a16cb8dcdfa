"""Validating an evidence log: :func:`load_evidence`."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from ..vocab import EVIDENCE_COLUMNS
from .cells import _blank, _check_lengths, _choices, _parse_numbers
from .columns import _blank_unless, _draft
from .contract import _N_MAX, DEFAULT_MAX_BYTES, EVIDENCE_REQUIRED, MAX_LENGTHS, TableSource
from .dates import _parse_dates
from .reading import _as_table

if TYPE_CHECKING:
    from collections.abc import Collection, Mapping


def load_evidence(
    source: TableSource,
    filename: str | None = None,
    *,
    collective: str | None = None,
    column_map: Mapping[str, str] | None = None,
    today: date | None = None,
    dayfirst: bool | None = None,
    decimal: Literal[".", ","] | None = None,
    known_collectives: Collection[str] | None = None,
    sheet: str | int | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> pd.DataFrame:
    """Read and validate evidence entries; return them in :data:`EVIDENCE_COLUMNS` order.

    Required: ``date``, ``evidence_type``, and ``collective`` unless the caller imports for
    one collective with ``collective=`` (then the column may be absent, and any non-blank
    value in it must name that collective). Dates are read as described in the module
    docstring (``dayfirst`` forces the order of numeric day/month dates; future dates,
    relative to ``today``, are rejected). ``evidence_type`` is normalized to the four ids.
    ``value`` is a number or blank and needs a unit ("12%" gives unit ``%`` when the unit is
    blank); ``n`` is a whole number, 0 or more, or blank; each row needs a value or a
    description. ``decimal`` overrides the decimal mark inferred from the file.
    ``known_collectives``, if given, lists the collective ids that exist.

    Result dtypes: ``date`` datetime64 (midnight), ``value`` float (NaN when blank), ``n``
    nullable ``Int64``, the rest strings. Index: spreadsheet row numbers. ``df.attrs``:
    ``ignored_columns``, ``warnings`` (title rows skipped above the header). Problems are
    raised together as one :class:`ImportValidationError`. Rows already stored are not
    looked for here: :meth:`~ilc_widgets.network.Network.import_evidence` skips them (see
    :data:`EVIDENCE_KEY` and :func:`evidence_key`).
    """
    table = _as_table(source, filename, max_bytes, sheet, "evidence", column_map)
    mark = decimal or str(table.attrs.get("decimal") or ".")
    today = today or date.today()
    required = EVIDENCE_REQUIRED - ({"collective"} if collective is not None else set())
    draft = _draft(table, "evidence", column_map, required)
    problems, out, formulas = draft.problems, draft.out, draft.formulas

    named = out["collective"]
    if collective is not None:
        wanted = collective.strip()
        other = (named != "") & (named.str.casefold() != wanted.casefold())
        problems.add_rows(
            other,
            "collective",
            lambda row: (
                f"this row is for collective '{named.loc[row]}', but this import is for '{wanted}'"
            ),
        )
        out["collective"] = pd.Series(wanted, index=table.index, dtype=str)
        if known_collectives is not None and wanted not in {str(c) for c in known_collectives}:
            problems.add(None, "collective", f"there is no collective '{wanted}'")
    elif known_collectives is not None:
        known = {str(c) for c in known_collectives}
        problems.add_rows(
            (named != "") & ~named.isin(known),
            "collective",
            lambda row: f"there is no collective '{named.loc[row]}'",
        )

    out["date"] = _parse_dates(out["date"], problems, dayfirst=dayfirst, today=today)
    out["evidence_type"] = _choices("evidence_type", out["evidence_type"], problems)

    raw_value = out["value"]
    value, bad_value, percent = _parse_numbers(raw_value, mark)
    problems.add_rows(bad_value, "value", lambda row: f"'{raw_value.loc[row]}' is not a number")
    unit = out["unit"].where(~(percent & _blank(out["unit"])), "%")
    problems.add_rows(
        value.notna() & _blank(unit),
        "unit",
        lambda row: f"value {raw_value.loc[row]} has no unit (for example %, students, days)",
    )
    out["value"], out["unit"] = value, unit

    raw_n = out["n"]
    n, bad_n, n_percent = _parse_numbers(raw_n, mark)
    not_count = bad_n | n_percent | (n.notna() & ((n < 0) | (n != np.floor(n)) | (n > _N_MAX)))
    problems.add_rows(
        not_count,
        "n",
        lambda row: (
            f"n must be a whole number, 0 or more (how many people or students); "
            f"got '{raw_n.loc[row]}'"
        ),
    )
    out["n"] = n.where(~not_count).round().astype("Int64")

    problems.add_rows(
        value.isna()
        & ~bad_value
        & _blank_unless(out["description"], "description", formulas)
        & _blank_unless(raw_value, "value", formulas),
        "value",
        "the row has neither a value nor a description",
    )
    _check_lengths({c: s for c, s in out.items() if c in MAX_LENGTHS}, problems)
    problems.raise_if_any()

    text_columns = [c for c in EVIDENCE_COLUMNS if c not in ("date", "value", "n")]
    return draft.frame(text_columns)
