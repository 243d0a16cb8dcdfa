"""The network itself: its details and settings, the link secret and revision counters."""

from __future__ import annotations

import os
import secrets
from typing import Any

from sqlalchemy import func, select, update

from ..access import HOME_NOTEBOOK, NOTEBOOKS
from ..errors import IlcError, NotFound
from ..models import CollectiveRow, NetworkRow
from ._base import NetworkBase
from ._rows import DEFAULT_SETTINGS, _jsonable, _refuse_unknown

ENV_SECRET = "ILC_SECRET"
MIN_SECRET_CHARS = 32
TODAY_SETTING = "today"
"""The setting holding each collective's current step: ``{"*": notebook, code: notebook}``."""
ALL_COLLECTIVES = "*"
"""The key of the ``today`` setting that applies to every collective without its own."""
FACILITATOR_WORKBOOKS: tuple[str, ...] = ("01_gather_themes.ipynb", "02_form_collectives.ipynb")
"""Workbooks a collective's link does not work in (gathering themes, forming collectives)."""
TODAY_NOTEBOOKS: tuple[str, ...] = tuple(
    nb for nb in NOTEBOOKS if nb != HOME_NOTEBOOK and nb not in FACILITATOR_WORKBOOKS
)
"""The workbooks a facilitator may set as a collective's step for today."""


def secret_from_environment() -> str | None:
    """The link secret from ``ILC_SECRET`` (None when unset); a short one is refused.

    Deployments that keep the secret out of the database set it there; links are then
    signed with it and the database's stored secret is not used.
    """
    value = os.environ.get(ENV_SECRET, "").strip()
    if not value:
        return None
    if len(value) < MIN_SECRET_CHARS:
        raise IlcError(
            f"{ENV_SECRET} is too short: give at least {MIN_SECRET_CHARS} characters, e.g. "
            'the output of `python -c "import secrets; print(secrets.token_urlsafe(32))"`'
        )
    return value


class SettingsMixin(NetworkBase):
    """Name, description, settings, the link secret and the revision counters."""

    @property
    def info(self) -> dict[str, Any]:
        """Name, description, school year, cycle start and settings."""
        with self._read() as conn:
            row = self._row(conn)
            return {
                "name": row.name,
                "description": row.description,
                "school_year": row.school_year,
                "cycle_start": row.cycle_start,
                "settings": {**DEFAULT_SETTINGS, **(row.settings or {})},
            }

    @property
    def settings(self) -> dict[str, Any]:
        """Network settings (group sizes, privacy minimum, facilitators), with defaults."""
        return dict(self.info["settings"])

    @property
    def facilitator_emails(self) -> list[str]:
        """The ``facilitators`` setting: who, signed in, sees every collective (lowercase)."""
        found: list[str] = []
        for value in self.settings.get("facilitators", []):
            email = value.strip().lower() if isinstance(value, str) else ""
            if email and email not in found:
                found.append(email)
        return found

    def update_settings(self, actor: str = "", **changes: Any) -> dict[str, Any]:
        """Change settings; unknown keys are kept too (researchers may add their own)."""
        with self._write() as conn:
            row = self._row(conn)
            merged = {**(row.settings or {}), **changes}
            conn.execute(
                update(NetworkRow)
                .where(NetworkRow.id == self.id)
                .values(settings=merged, revision=NetworkRow.revision + 1)
            )
            self._audit(conn, actor, "update", "settings", "", "", changes)
        return {**DEFAULT_SETTINGS, **merged}

    def set_today(self, notebook: str, collective: str = ALL_COLLECTIVES, actor: str = "") -> None:
        """Set the workbook ``collective`` (a code, or ``"*"`` for all) works in today;
        ``notebook=""`` clears it. Stored in the ``today`` setting and audited."""
        notebook, collective = notebook.strip(), collective.strip()
        if notebook and notebook not in TODAY_NOTEBOOKS:
            known = ", ".join(TODAY_NOTEBOOKS)
            if notebook in FACILITATOR_WORKBOOKS:
                raise IlcError(
                    f"{notebook} is a facilitators' workbook, not a step for a collective; "
                    f"choose one of {known}"
                )
            raise IlcError(f"there is no workbook {notebook!r}; choose one of {known}")
        if not collective:
            raise IlcError(f"say which collective (a code, or {ALL_COLLECTIVES!r} for all)")
        with self._write() as conn:
            if collective != ALL_COLLECTIVES:
                found = conn.execute(
                    select(CollectiveRow.id).where(
                        CollectiveRow.network_id == self.id, CollectiveRow.code == collective
                    )
                ).scalar_one_or_none()
                if found is None:
                    raise NotFound(f"there is no collective {collective!r} in this network")
            row = self._row(conn)
            settings = dict(row.settings or {})
            today = settings.get(TODAY_SETTING)
            steps = dict(today) if isinstance(today, dict) else {}
            if notebook:
                steps[collective] = notebook
            else:
                steps.pop(collective, None)
            settings[TODAY_SETTING] = steps
            conn.execute(
                update(NetworkRow)
                .where(NetworkRow.id == self.id)
                .values(settings=settings, revision=NetworkRow.revision + 1)
            )
            scope = "" if collective == ALL_COLLECTIVES else collective
            self._audit(
                conn,
                actor,
                "update",
                "settings",
                TODAY_SETTING,
                scope,
                {TODAY_SETTING: {collective: notebook}},
            )

    def update_info(self, actor: str = "", **changes: Any) -> None:
        """Change the name, description, school year or cycle start."""
        _refuse_unknown("network", changes, ("name", "description", "school_year", "cycle_start"))
        with self._write() as conn:
            conn.execute(update(NetworkRow).where(NetworkRow.id == self.id).values(**changes))
            self._audit(conn, actor, "update", "network", str(self.id), "", _jsonable(changes))

    @property
    def secret(self) -> str:
        """The secret that signs access links: ``ILC_SECRET`` when set, else the stored one.

        Rotate the stored one with :meth:`rotate_secret`.
        """
        from_env = secret_from_environment()
        if from_env is not None:
            return from_env
        with self._read() as conn:
            return str(self._row(conn).secret)

    @property
    def secret_source(self) -> str:
        """Where the link secret comes from: ``"ILC_SECRET"`` or ``"database"``."""
        return ENV_SECRET if secret_from_environment() is not None else "database"

    def rotate_secret(self, actor: str = "") -> str:
        """Issue a new secret: every link signed with the old one stops working.

        Refused while ``ILC_SECRET`` supplies the secret: the database's is not in use then,
        and the new keys come from setting ``ILC_SECRET`` to a new value.
        """
        if secret_from_environment() is not None:
            raise IlcError(
                f"the link secret comes from {ENV_SECRET}, not from the database: to issue "
                f"new keys, set {ENV_SECRET} to a new value and restart `ilc serve`"
            )
        new = secrets.token_urlsafe(32)
        with self._write() as conn:
            conn.execute(
                update(NetworkRow)
                .where(NetworkRow.id == self.id)
                .values(secret=new, key_epoch=NetworkRow.key_epoch + 1)
            )
            self._audit(conn, actor, "rotate", "keys", "", "", {})
        return new

    def revision(self, code: str | None = None) -> int:
        """A counter that grows with every change (of one collective, or network-wide)."""
        with self._read() as conn:
            if code is None:
                total = conn.execute(
                    select(func.coalesce(func.sum(CollectiveRow.revision), 0)).where(
                        CollectiveRow.network_id == self.id
                    )
                ).scalar_one()
                return int(self._row(conn).revision) + int(total)
            return int(
                conn.execute(
                    select(CollectiveRow.revision).where(
                        CollectiveRow.network_id == self.id, CollectiveRow.code == code
                    )
                ).scalar_one_or_none()
                or 0
            )
