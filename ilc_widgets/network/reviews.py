"""Reviewing a cycle's work: reflections of review meetings, pulse-survey answers and
pre/post scores, and the effect sizes computed from the scores."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, insert

from ..errors import IlcError
from ..models import PulseResponseRow, ReflectionRow, ScoreRow, utcnow
from ._base import TidyView
from ._rows import _adjust_areas, _as_date, _clean, _jsonable, _refuse_unknown
from .settings import SettingsMixin

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Iterable, Mapping

    import pandas as pd
else:
    from .._lazy import pd

REFLECTION_TEXTS = ("went_well", "didnt_go_well", "learned", "adjust")
"""The answers a reflection holds, in the order the form asks them."""
_EFFECT_NUMBERS = ("mean_pre", "sd_pre", "mean_post", "sd_post", "d", "ci_low", "ci_high")


class ReviewsMixin(SettingsMixin):
    """Reflections, pulse surveys and scores of every collective."""

    def add_reflection(
        self,
        code: str,
        meeting_date: dt.date | str,
        *,
        went_well: str = "",
        didnt_go_well: str = "",
        learned: str = "",
        adjust: str = "",
        adjust_areas: Iterable[str] = (),
        actor: str = "",
    ) -> int:
        """Save a review meeting's reflection; returns its id."""
        texts = dict(
            zip(REFLECTION_TEXTS, (went_well, didnt_go_well, learned, adjust), strict=True)
        )
        if not any(t.strip() for t in texts.values()):
            raise IlcError("write at least one answer before saving the reflection")
        areas = _adjust_areas(adjust_areas)
        with self._write() as conn:
            pk = self._collective_pk(conn, code)
            new_id = conn.execute(
                insert(ReflectionRow).values(
                    collective_id=pk,
                    meeting_date=_as_date(meeting_date, "meeting date"),
                    **{k: t.strip() for k, t in texts.items()},
                    adjust_areas=areas,
                    entered_by=actor,
                )
            ).inserted_primary_key
            assert new_id is not None
            self._bump(conn, pk)
            self._audit(conn, actor, "add", "reflection", str(new_id[0]), code, {})
        return int(new_id[0])

    def update_reflection(
        self,
        reflection_id: int,
        expected_version: int,
        *,
        collective: str | None = None,
        actor: str = "",
        **changes: Any,
    ) -> int:
        """Edit a reflection read at ``expected_version``; returns the new version."""
        _refuse_unknown("reflection", changes, ("meeting_date", *REFLECTION_TEXTS, "adjust_areas"))
        if "meeting_date" in changes:
            changes["meeting_date"] = _as_date(changes["meeting_date"], "meeting date")
        if "adjust_areas" in changes:
            changes["adjust_areas"] = _adjust_areas(changes["adjust_areas"])
        with self._write() as conn:
            row = self._owned_row(conn, ReflectionRow, reflection_id, collective, "reflection")
            what = f"Reflection {reflection_id}"
            new_version = self._save_version(
                conn, ReflectionRow, row, expected_version, what, changes
            )
            self._audit(
                conn,
                actor,
                "update",
                "reflection",
                str(reflection_id),
                row.code,
                _jsonable({k: v for k, v in changes.items() if k != "adjust_areas"}),
            )
        return new_version

    def reflections_frame(self, collective: str | None = None) -> pd.DataFrame:
        """Reflections of review meetings, oldest first."""
        return self._collective_frame(
            ReflectionRow,
            [
                "id",
                "collective",
                "meeting_date",
                *REFLECTION_TEXTS,
                "adjust_areas",
                "entered_by",
                "version",
                "updated_at",
            ],
            "meeting_date id",
            collective=collective,
        )

    reflections = TidyView(
        "reflections", "reflections_frame", "All reflections (tidy; ``adjust_areas`` holds lists)."
    )

    # ------------------------------------------------------------------ pulse survey

    def submit_pulse(
        self,
        code: str,
        respondent: str,
        wave: str,
        answers: Mapping[str, int],
        *,
        item_set: str = "default",
        actor: str = "",
    ) -> None:
        """Save one person's pulse answers for a wave (answering again replaces them)."""
        if wave not in ("start", "review"):
            raise IlcError(f"wave must be 'start' or 'review', not {wave!r}")
        if not respondent:
            raise IlcError("a pulse response needs a respondent")
        bad = {k: v for k, v in answers.items() if not (1 <= int(v) <= 5)}
        if bad:
            raise IlcError(f"scores must be 1 to 5: {bad}")
        with self._write() as conn:
            pk = self._collective_pk(conn, code)
            conn.execute(
                delete(PulseResponseRow).where(
                    PulseResponseRow.collective_id == pk,
                    PulseResponseRow.respondent == respondent,
                    PulseResponseRow.wave == wave,
                    PulseResponseRow.item_set == item_set,
                )
            )
            now = utcnow()
            if answers:
                conn.execute(
                    insert(PulseResponseRow),
                    [
                        {
                            "collective_id": pk,
                            "respondent": respondent,
                            "wave": wave,
                            "item_set": item_set,
                            "item_id": item,
                            "score": int(score),
                            "submitted_at": now,
                        }
                        for item, score in answers.items()
                    ],
                )
            self._bump(conn, pk)
            self._audit(
                conn, actor or respondent, "submit", "pulse", wave, code, {"items": len(answers)}
            )

    def pulse_frame(self, collective: str | None = None) -> pd.DataFrame:
        """Pulse-survey answers, one row per item answered."""
        return self._collective_frame(
            PulseResponseRow,
            "collective respondent wave item_set item_id score submitted_at",
            # one order on every backend and every read:
            "collective wave respondent item_set item_id id",
            collective=collective,
        )

    survey_responses = TidyView(
        "pulse_responses", "pulse_frame", "All pulse-survey answers (tidy)."
    )

    # ------------------------------------------------------------------ scores

    def add_scores(
        self,
        code: str,
        assessment: str,
        phase: str,
        scores: Iterable[float | tuple[str, float]],
        *,
        actor: str = "",
    ) -> int:
        """Add pre or post scores (plain numbers or ``(student_ref, score)`` pairs)."""
        if phase not in ("pre", "post"):
            raise IlcError(f"phase must be 'pre' or 'post', not {phase!r}")
        if not assessment.strip():
            raise IlcError("name the assessment the scores come from")
        rows = []
        for i, item in enumerate(scores, 1):
            ref, value = item if isinstance(item, tuple) else ("", item)
            value = _clean(value)
            if value is None:
                continue
            try:
                rows.append({"student_ref": str(ref), "score": float(value)})
            except (TypeError, ValueError):
                raise IlcError(f"score {i} ({value!r}) is not a number") from None
        with self._write() as conn:
            pk = self._collective_pk(conn, code)
            if rows:
                conn.execute(
                    insert(ScoreRow),
                    [
                        {
                            **r,
                            "collective_id": pk,
                            "assessment": assessment.strip(),
                            "phase": phase,
                            "entered_by": actor,
                        }
                        for r in rows
                    ],
                )
            self._bump(conn, pk)
            self._audit(
                conn, actor, "add", "scores", assessment, code, {"phase": phase, "n": len(rows)}
            )
        return len(rows)

    def scores_frame(self, collective: str | None = None) -> pd.DataFrame:
        """Pre/post scores (anonymised student references only)."""
        return self._collective_frame(
            ScoreRow,
            "collective assessment phase student_ref score",
            "collective assessment phase id",
            collective=collective,
        )

    scores = TidyView("scores", "scores_frame", "All pre/post scores (tidy).")

    def effect_sizes(self, min_n: int | None = None) -> pd.DataFrame:
        """Pre/post effect size of every assessment of every collective (from ``scores``).

        One row per collective and assessment: the group sizes, means, SDs, ``d`` with its
        95% confidence interval, ``small_n`` (a group below ``min_n``, default the network's
        ``min_cell_size``), a plain-language ``interpretation``, and ``problem`` when no
        effect size can be computed (one phase missing, every score the same, ...).
        Nothing is suppressed here: this is the researchers' table.
        """
        from ..stats import effect_size

        limit = int(min_n if min_n is not None else self.settings.get("min_cell_size", 10))
        columns = [
            "collective",
            "assessment",
            "n_pre",
            "n_post",
            *_EFFECT_NUMBERS,
            "small_n",
            "interpretation",
            "problem",
        ]
        scores = self.scores_frame()
        rows: list[dict[str, Any]] = []
        for (code, assessment), group in scores.groupby(["collective", "assessment"], sort=True):
            pre = group.loc[group["phase"] == "pre", "score"].astype(float)
            post = group.loc[group["phase"] == "post", "score"].astype(float)
            row: dict[str, Any] = {
                "collective": code,
                "assessment": assessment,
                "n_pre": int(pre.notna().sum()),
                "n_post": int(post.notna().sum()),
            }
            try:
                es = effect_size(pre, post, min_n=limit)
            except ValueError as exc:
                row.update(small_n=True, interpretation="", problem=str(exc))
            else:
                row.update({n: getattr(es, n) for n in _EFFECT_NUMBERS})
                row.update(small_n=es.small_n, interpretation=es.interpretation(), problem="")
            rows.append(row)
        frame = pd.DataFrame(rows, columns=columns)
        for column in _EFFECT_NUMBERS:
            frame[column] = frame[column].astype("float64")
        frame["small_n"] = frame["small_n"].astype(bool)
        return frame
