"""The storage layer's records and shared value helpers (no SQL): what a row becomes."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any, TypeVar

from .._lazy import loaded
from ..errors import IlcError
from ..progress import Progress as Progress  # re-exported: the one progress callback type
from ..vocab import EVIDENCE_COLUMNS, PARTICIPANT_COLUMNS

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping, Sequence

    from ..placemat import Placemat
else:
    pass

T = TypeVar("T")

PARTICIPANT_FIELDS = PARTICIPANT_COLUMNS
EVIDENCE_FIELDS = EVIDENCE_COLUMNS
DEFAULT_SETTINGS: dict[str, Any] = {
    "max_size": 10,
    "min_size": 4,
    "min_cell_size": 10,
    "facilitators": [],
    "show_participant_names": False,
}
COLLECTIVE_FIELDS: tuple[str, ...] = (
    "name",
    "theme",
    "region",
    "modality",
    "facilitator_name",
    "facilitator_email",
    "locked",
)
"""The fields of a collective that can be changed (its ``code`` cannot)."""
ADJUST_AREAS = frozenset({"theory_of_action", "indicators", "evidence_plan"})
"""The parts of a placemat a reflection may say to adjust."""
_CHUNK = 5_000


@dataclass(frozen=True)
class Collective:
    """A collective as the workbooks show it."""

    code: str
    name: str
    theme: str
    region: str
    modality: str
    facilitator_name: str
    facilitator_email: str
    locked: bool
    revision: int


@dataclass(frozen=True)
class PlacematState:
    """A placemat and the version it was read at (pass it back when saving)."""

    placemat: Placemat
    version: int
    updated_at: dt.datetime | None
    updated_by: str


def _clean(value: Any) -> Any:
    """None for pandas' missing values, the value otherwise."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    pandas = loaded("pandas")  # no pandas yet: the value cannot be its NaT
    if pandas is not None and value is pandas.NaT:
        return None
    return value


def _text(value: Any) -> str:
    value = _clean(value)
    return "" if value is None else str(value).strip()


def _as_date(value: Any, what: str) -> dt.date:
    value = _clean(value)
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise IlcError(f"{what}: {value!r} is not a date (YYYY-MM-DD)") from None


def _adjust_areas(areas: Any) -> list[str]:
    """The areas of a reflection's ``adjust_areas`` as a list, refused unless all known."""
    found = list(areas)
    if set(found) - ADJUST_AREAS:
        raise IlcError(f"adjust_areas must be among {sorted(ADJUST_AREAS)}")
    return found


def _refuse_unknown(what: str, changes: Mapping[str, Any], allowed: Sequence[str]) -> None:
    """Raise when ``changes`` names a field outside ``allowed`` (``what`` names the record)."""
    unknown = set(changes) - set(allowed)
    if unknown:
        raise IlcError(f"unknown {what} field(s): {', '.join(sorted(unknown))}")


def _chunks(items: Sequence[T]) -> Iterator[Sequence[T]]:
    """``items`` in slices small enough for one statement on every backend."""
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


def _collective(row: Any) -> Collective:
    values = {f.name: getattr(row, f.name) for f in fields(Collective)}
    return Collective(**{**values, "locked": bool(row.locked), "revision": int(row.revision)})


def _jsonable(values: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in values.items():
        value = _clean(value)
        if isinstance(value, (dt.date, dt.datetime)):
            value = value.isoformat()
        elif not isinstance(value, (str, int, float, bool, type(None), list, dict)):
            value = str(value)
        out[key] = value
    return out
