"""Validating a participant roster: :func:`load_participants`."""

from __future__ import annotations

import hashlib
import re
from typing import TYPE_CHECKING

import numpy as np

from ..vocab import PARTICIPANT_COLUMNS, PARTICIPANT_REQUIRED
from .cells import _blank, _check_lengths, _choices, _duplicates, _unify_spellings
from .columns import _draft
from .contract import DEFAULT_MAX_BYTES, TableSource
from .problems import _Problems
from .reading import _as_table

if TYPE_CHECKING:
    from collections.abc import Collection, Mapping

    import pandas as pd


_EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$"
)
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")


def _generated_id(email: str, taken: set[str]) -> str:
    digest = hashlib.sha256(email.encode()).hexdigest()
    for length in (8, 12, 16, 64):
        candidate = f"p_{digest[:length]}"
        if candidate not in taken:
            return candidate
    raise AssertionError("unreachable: a 64-digit hash collision")  # pragma: no cover


def load_participants(
    source: TableSource,
    filename: str | None = None,
    *,
    column_map: Mapping[str, str] | None = None,
    existing_emails: Collection[str] = (),
    existing_ids: Collection[str] = (),
    sheet: str | int | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> pd.DataFrame:
    """Read and validate a participant roster; return it in :data:`PARTICIPANT_COLUMNS` order.

    Headers are matched after ``column_map`` (source header -> contract column; ``""``
    ignores a column; several columns mapped to ``name`` or ``focus`` are joined with a
    space, in map order) and :func:`~ilc_widgets.vocab.slug` ("Participant ID" ->
    ``participant_id``). Required: ``name``, ``email``, ``role``, ``district``. Roles and
    modalities are normalized ("Assistant Principal" -> ``assistant_principal``; a blank
    modality is ``either``), emails lowercased, text trimmed, and district, region and
    organization spellings that differ only in case or spacing unified. A blank or missing
    ``participant_id`` becomes ``p_`` + the first 8 hex digits of the SHA-256 of the email:
    stable across re-imports, with no personal data in it.

    Every problem (missing column, blank required value, unknown role or modality, invalid
    email, email repeated in the file or already in ``existing_emails``, ``participant_id``
    repeated or already in ``existing_ids`` -- ids compare without regard to case, so P001
    repeats p001 --, a formula with no saved value, text too long) is collected and raised as
    one :class:`ImportValidationError`; rows are numbered as in a spreadsheet.
    ``df.attrs``: ``ignored_columns`` (headers not imported), ``warnings`` (list of
    :class:`Problem`: title rows skipped above the header, in-person members with no
    region), ``generated_ids`` (count).
    """
    table = _as_table(source, filename, max_bytes, sheet, "participants", column_map)
    draft = _draft(table, "participants", column_map, PARTICIPANT_REQUIRED)
    name, problems, out = draft.name, draft.problems, draft.out

    out["name"] = out["name"].str.replace(r"\s+", " ", regex=True)
    out["role"] = _choices("role", out["role"], problems)
    out["modality"] = _choices("modality", out["modality"], problems, default="either")
    for column in ("district", "region", "organization"):
        out[column] = _unify_spellings(out[column].str.replace(r"\s+", " ", regex=True))

    email = out["email"].str.lower()
    if email.str.startswith("mailto:").any():
        email = email.str.removeprefix("mailto:")
    out["email"] = email
    blank_email = _blank(email)
    invalid = ~blank_email & ~email.str.match(_EMAIL)
    problems.add_rows(
        invalid, "email", lambda row: f"'{email.loc[row]}' is not a valid email address"
    )
    skip = blank_email | invalid
    _duplicates(email, "email", problems, "the email", skip=skip)
    known = {str(e).strip().lower() for e in existing_emails}
    if known:
        problems.add_rows(
            ~skip & email.isin(known),
            "email",
            lambda row: f"{email.loc[row]} is already in the network",
        )

    ids = out["participant_id"]
    blank_id = _blank(ids)
    bad_id = ~blank_id & ~ids.str.match(_ID)
    problems.add_rows(
        bad_id,
        "participant_id",
        lambda row: (
            f"'{ids.loc[row]}' may contain only letters, digits, '.', '_' and '-' "
            "(and must start with a letter or digit)"
        ),
    )
    # Ids compare without regard to case: P001 and p001 are one person to a reader.
    folded = ids.str.casefold()
    _duplicates(
        ids, "participant_id", problems, "participant_id", skip=blank_id | bad_id, key=folded
    )
    existing = {str(i).casefold(): str(i) for i in existing_ids}
    if existing:

        def already(row: int) -> str:
            stored = existing[folded.loc[row]]
            as_stored = f" (as {stored})" if stored != ids.loc[row] else ""
            return f"participant_id {ids.loc[row]} is already in the network{as_stored}"

        problems.add_rows(~blank_id & folded.isin(existing), "participant_id", already)
    _check_lengths(out, problems)
    problems.raise_if_any()

    generated = int(blank_id.sum())
    if generated:
        taken = set(folded[~blank_id]) | set(existing)
        new_ids = []
        for address in email[blank_id]:
            pid = _generated_id(address, taken)
            taken.add(pid)
            new_ids.append(pid)
        ids = ids.copy()
        ids.loc[blank_id] = np.array(new_ids, dtype=object)
        out["participant_id"] = ids

    result = draft.frame(PARTICIPANT_COLUMNS)
    warnings = _Problems(name, PARTICIPANT_COLUMNS)
    warnings.add_rows(
        (result["modality"] == "in_person") & (result["region"] == ""),
        "region",
        "region is blank for an in-person member; in-person collectives are formed by region",
    )
    result.attrs["warnings"] += warnings.items
    result.attrs["generated_ids"] = generated
    return result
