"""The Collaborative Inquiry Placemat: its document model and the rules of a good one.

A placemat is stored as one JSON document per collective (see :meth:`Placemat.to_dict`),
versioned by the storage layer. This module has no widget or database code, so a
researcher can load, check and compare placemats directly.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import asdict, dataclass, field, fields
from datetime import date
from typing import Any

from .vocab import CADENCES, EVIDENCE_TYPES, INDICATOR_KINDS, TOA_LEVELS


def new_id() -> str:
    """A short random id for placemat items (steps, indicators), stable across edits."""
    return uuid.uuid4().hex[:10]


@dataclass
class TheoryStep:
    """One if/then link of the theory of action."""

    if_text: str = ""
    then_text: str = ""
    level: str = "leader_actions"
    id: str = field(default_factory=new_id)


@dataclass
class Indicator:
    """A leading or lagging indicator with its baseline and target."""

    name: str = ""
    kind: str = "leading"
    measure: str = ""
    evidence_type: str = "student_learning"
    baseline: float | None = None
    target: float | None = None
    unit: str = ""
    target_date: str | None = None
    cadence: str = "monthly"
    id: str = field(default_factory=new_id)

    @property
    def higher_is_better(self) -> bool:
        """True unless the target is below the baseline (as for absenteeism)."""
        if self.baseline is None or self.target is None:
            return True
        return self.target >= self.baseline


@dataclass
class EvidencePlanItem:
    """What will be collected for one evidence type, by whom and when."""

    what: str = ""
    who: str = ""
    when: str = ""

    def is_filled(self) -> bool:
        """True when the group has said at least what it will collect."""
        return bool(self.what.strip())


def _empty_plan() -> dict[str, EvidencePlanItem]:
    return {key: EvidencePlanItem() for key in EVIDENCE_TYPES}


@dataclass
class Placemat:
    """A collective's Collaborative Inquiry Placemat."""

    problem_of_practice: str = ""
    surfacing_data: str = ""
    priorities: list[str] = field(default_factory=list)
    theory_of_action: list[TheoryStep] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    evidence_plan: dict[str, EvidencePlanItem] = field(default_factory=_empty_plan)

    @property
    def leading(self) -> list[Indicator]:
        """The leading indicators, in order."""
        return [i for i in self.indicators if i.kind == "leading"]

    @property
    def lagging(self) -> list[Indicator]:
        """The lagging indicators, in order."""
        return [i for i in self.indicators if i.kind == "lagging"]

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready document stored in the database."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Placemat:
        """Build a placemat from a stored document, tolerating missing keys."""
        data = dict(data or {})
        plan = _empty_plan()
        for key, item in (data.get("evidence_plan") or {}).items():
            if key in plan and isinstance(item, dict):
                plan[key] = EvidencePlanItem(
                    **{k: str(v or "") for k, v in item.items() if k in ("what", "who", "when")}
                )
        return cls(
            problem_of_practice=str(data.get("problem_of_practice") or ""),
            surfacing_data=str(data.get("surfacing_data") or ""),
            priorities=[str(p) for p in data.get("priorities") or []],
            theory_of_action=[
                TheoryStep(**_known(TheoryStep, s)) for s in data.get("theory_of_action") or []
            ],
            indicators=[Indicator(**_known(Indicator, i)) for i in data.get("indicators") or []],
            evidence_plan=plan,
        )

    def indicator_names(self) -> list[str]:
        """Names of all indicators, leading first."""
        return [i.name for i in self.leading + self.lagging if i.name.strip()]


def _known(kind: type[TheoryStep] | type[Indicator], data: dict[str, Any]) -> dict[str, Any]:
    names = {f.name for f in fields(kind)}
    return {k: v for k, v in data.items() if k in names}


# --------------------------------------------------------------------------- checks


@dataclass(frozen=True)
class Check:
    """One item of the completeness and quality check."""

    key: str
    section: str
    ok: bool
    message: str


_STUDENT_WORDS = re.compile(
    r"\b(students?|learners?|pupils?|children|kids|youth|graders?|class(es)?|"
    r"achievement|attendance|graduat\w*|proficien\w*|reading|literacy|math\w*)\b",
    re.I,
)
_OUTSIDE_INFLUENCE = re.compile(
    r"\b(parents? (don't|do not|won't)|the state|legislat\w*|funding|budget cuts?|"
    r"poverty|society|the community (doesn't|does not)|families (don't|do not))\b",
    re.I,
)
_OBSERVABLE = re.compile(
    r"\b(\d+(\.\d+)?\s*%|percent|rate|scores?|data|observ\w*|walkthrough\w*|survey\w*|"
    r"attendance|absen\w*|grades?|assessment\w*|results?|referrals?|evidence|measured?|"
    r"\d+)\b",
    re.I,
)


def check_placemat(p: Placemat) -> list[Check]:
    """The completeness and quality check shown beside the placemat form.

    Each :class:`Check` has a short prompt that explains the gap when ``ok`` is False.
    """
    pop = p.problem_of_practice.strip()
    checks = [
        Check(
            "problem_written",
            "Problem of practice",
            len(pop.split()) >= 8,
            "Write the problem of practice in a sentence or two: what is happening, for whom.",
        ),
        Check(
            "problem_in_influence",
            "Problem of practice",
            bool(pop) and not _OUTSIDE_INFLUENCE.search(pop),
            "Keep the problem within the group's influence: name what adults in your schools "
            "do, not what families, funding or the state do.",
        ),
        Check(
            "problem_observable",
            "Problem of practice",
            bool(pop) and bool(_OBSERVABLE.search(pop + " " + p.surfacing_data)),
            "Make the problem observable: say what data surfaced it or what you would see.",
        ),
        Check(
            "priorities",
            "Priorities",
            len([x for x in p.priorities if x.strip()]) >= 1,
            "Rank at least one priority the group will work on first.",
        ),
        Check(
            "theory_chain",
            "Theory of action",
            len(p.theory_of_action) >= 2
            and all(s.if_text.strip() and s.then_text.strip() for s in p.theory_of_action),
            "Build the theory of action as at least two if/then steps, each with both parts.",
        ),
        Check(
            "theory_ends_with_students",
            "Theory of action",
            bool(p.theory_of_action)
            and (
                p.theory_of_action[-1].level == "student_outcomes"
                or bool(_STUDENT_WORDS.search(p.theory_of_action[-1].then_text))
            ),
            "End the theory of action with students: what will change for them?",
        ),
        Check(
            "has_leading",
            "Leading indicators",
            any(i.name.strip() for i in p.leading),
            "Add a leading indicator: something timely you can act on (walkthroughs, "
            "formative results, this month's attendance).",
        ),
        Check(
            "has_lagging",
            "Lagging indicators",
            any(i.name.strip() for i in p.lagging),
            "Add a lagging indicator: the summative result you expect to move (state test, "
            "graduation rate, end-of-year chronic absenteeism).",
        ),
        Check(
            "indicators_baseline_target",
            "Indicators",
            bool(p.indicators)
            and all(i.baseline is not None and i.target is not None for i in p.indicators),
            "Give every indicator a baseline and a target, so progress can be judged.",
        ),
        Check(
            "evidence_plan_types",
            "Evidence plan",
            sum(item.is_filled() for item in p.evidence_plan.values()) >= 3,
            "Plan evidence of at least three of the four types (demographic, perceptions, "
            "student learning, school processes).",
        ),
    ]
    missing = [i.name or "(unnamed)" for i in p.indicators if not i.name.strip()]
    if missing:
        checks.append(Check("indicators_named", "Indicators", False, "Name every indicator."))
    return checks


def completeness(p: Placemat) -> float:
    """Share of the checks that pass, from 0 to 1."""
    checks = check_placemat(p)
    return sum(c.ok for c in checks) / len(checks)


class PlacematError(ValueError):
    """A placemat document that breaks the data rules (not the quality guidance)."""


def validate_placemat(p: Placemat) -> None:
    """Reject values that cannot be stored: unknown vocabularies, bad dates."""
    problems: list[str] = []
    for n, step in enumerate(p.theory_of_action, 1):
        if step.level not in TOA_LEVELS:
            problems.append(f"theory of action step {n}: unknown level {step.level!r}")
    for ind in p.indicators:
        where = f"indicator {ind.name or ind.id!r}"
        if ind.kind not in INDICATOR_KINDS:
            problems.append(f"{where}: kind must be leading or lagging, not {ind.kind!r}")
        if ind.evidence_type not in EVIDENCE_TYPES:
            problems.append(f"{where}: unknown evidence type {ind.evidence_type!r}")
        if ind.cadence and ind.cadence not in CADENCES:
            problems.append(f"{where}: unknown cadence {ind.cadence!r}")
        if ind.target_date:
            try:
                date.fromisoformat(ind.target_date)
            except ValueError:
                problems.append(f"{where}: target date {ind.target_date!r} is not YYYY-MM-DD")
    if problems:
        raise PlacematError("; ".join(problems))
