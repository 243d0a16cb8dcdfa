"""Header detection: which row of a table holds the column names (rows above are titles)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..vocab import PARTICIPANT_REQUIRED, slug
from .contract import EVIDENCE_REQUIRED, HEADER_SEARCH_ROWS, Kind
from .mapping import suggest_column_map

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence


@dataclass(frozen=True)
class _HeaderRule:
    """What the header row of a table must hold (``kind is None``: the first non-blank row)."""

    kind: Kind | None
    column_map: Mapping[str, str]

    def holds_required(self, cells: Sequence[str]) -> bool:
        """Whether ``cells``, read as a header, name every required column of ``kind``."""
        if self.kind is None:
            return False
        labels = [str(c).strip() for c in cells if str(c).strip()]
        if not labels:
            return False
        found = set(suggest_column_map(labels, self.kind).values())
        explicit = {slug(k): (t or "").strip() for k, t in self.column_map.items()}
        found.update(explicit[slug(label)] for label in labels if slug(label) in explicit)
        required = PARTICIPANT_REQUIRED if self.kind == "participants" else EVIDENCE_REQUIRED
        return required - {"collective"} <= found

    def find(self, records: Sequence[Sequence[str]]) -> int | None:
        """Index in ``records`` (the first non-blank rows, in order) of the first row that
        holds the required columns; ``None`` if none does (or no kind is set)."""
        for index, cells in enumerate(records[:HEADER_SEARCH_ROWS]):
            if self.holds_required(cells):
                return index
        return None

    def locate(self, records: Sequence[Sequence[str]]) -> int:
        """Index of the header row: the one :meth:`find` finds; failing that (with a kind),
        the first row of two or more cells, so that a one-cell title is not taken for the
        header (no table of a kind has a single column); else the first row."""
        found = self.find(records)
        if found is not None:
            return found
        if self.kind is not None:
            for index, cells in enumerate(records[:HEADER_SEARCH_ROWS]):
                if sum(1 for c in cells if str(c).strip()) >= 2:
                    return index
        return 0


def _title_text(cells: Sequence[str]) -> str:
    text = " ".join(str(c).strip() for c in cells if str(c).strip())
    return text if len(text) <= 60 else text[:59] + "…"
