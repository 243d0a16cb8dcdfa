"""Column mapping: guessing which contract column each header of a foreign export holds."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..vocab import EVIDENCE_COLUMNS, PARTICIPANT_COLUMNS, slug

if TYPE_CHECKING:
    from collections.abc import Sequence

    from .contract import Kind


_IGNORE = re.compile(
    r"^(timestamp|submitted(_at|_on)?|start(ed)?_(time|date)|end(ed)?_(time|date)|"
    r"completion_time|response_id|respondent_id|ip_address|user_agent|collector_id|"
    r"last_modified(_time)?|status|progress|duration.*|finished|recorded_date|"
    r"recipient_.*|external_reference|location_.*|distribution_channel|user_language)$"
)


def _any(patterns: str) -> re.Pattern[str]:
    """A regex matching a slug that contains one of the space-separated ``patterns`` as words."""
    return re.compile(r"(?:^|_)(?:" + "|".join(patterns.split()) + r")(?:_|$)")


# First match wins, so the order matters: "School district" is a district before it is a
# school, "Area of focus" a focus before an area, "Role in your district" a role.
_PARTICIPANT_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("participant_id", re.compile(r"^(participant_(id|number|no)|person_id|staff_id|id)$")),
    ("email", _any(r"e_?mail(_address)? email_addr")),
    (
        "second_theme",
        _any(
            r"second_(choice_)?theme theme_2 2nd_(choice_)?theme alternate_theme backup_theme "
            r"second_choice"
        ),
    ),
    ("theme", _any(r"theme first_choice")),
    (
        "focus",
        _any(
            r"focus problem_of_practice inquiry explore topic interest question_you "
            r"wonder(ing)? goal"
        ),
    ),
    (
        "modality",
        _any(
            r"modality format attendance attend mode in_person virtual online "
            r"meeting_preference delivery participate"
        ),
    ),
    ("role", _any(r"role position job title occupation")),
    ("district", _any(r"district lea school_system division local_education")),
    (
        "organization",
        _any(r"organi[sz]ation school building site campus employer workplace agency institution"),
    ),
    ("region", _any(r"region county area zone")),
    (
        "name",
        re.compile(r"^(your_|full_|participant_|respondent_|preferred_)?name$|(^|_)full_name(_|$)"),
    ),
]
_FIRST_NAME = _any(r"first_name given_name forename first")
_LAST_NAME = _any(r"last_name surname family_name last")

_EVIDENCE_RULES: list[tuple[str, re.Pattern[str]]] = [
    (
        "entered_by",
        _any(
            r"entered_by recorded_by submitted_by logged_by author e_?mail(_address)? reporter who"
        ),
    ),
    ("collective", _any(r"collective ilc team group_name collective_id")),
    (
        "evidence_type",
        _any(r"evidence_type type_of_evidence data_type measure_type type category kind"),
    ),
    ("indicator", _any(r"indicator measure metric")),
    ("unit", _any(r"units? unit_of_measure")),
    (
        "n",
        re.compile(
            r"^(n|n_size|count|sample_size|how_many|respondents|students|"
            r"number_of_(students|people|staff|participants|respondents))$"
        ),
    ),
    ("subgroup", _any(r"sub_?group student_group population group")),
    ("description", _any(r"description describe notes? comments? details? observations? summary")),
    ("source", _any(r"source data_source instrument tool")),
    ("value", _any(r"value result score amount percent(age)? rate")),
    ("date", _any(r"date when day collected_on")),
]


def suggest_column_map(headers: Sequence[str], kind: Kind) -> dict[str, str]:
    """Guess which contract column each header of a foreign export holds.

    Returns ``{header: contract_column}`` for the headers it recognises; the rest (and
    survey bookkeeping such as "Timestamp") are left out, i.e. ignored. Each contract column
    is used at most once, except that separate first- and last-name columns both map to
    ``name`` (first name first), which the loaders join with a space. Exact contract names
    win over guesses. The result can be edited and passed as ``column_map=``.
    """
    if kind not in ("participants", "evidence"):
        raise ValueError(f"kind must be 'participants' or 'evidence', not {kind!r}")
    contract = PARTICIPANT_COLUMNS if kind == "participants" else EVIDENCE_COLUMNS
    rules = _PARTICIPANT_RULES if kind == "participants" else _EVIDENCE_RULES
    slugs = {h: slug(h) for h in headers}
    result: dict[str, str] = {}
    taken: set[str] = set()
    for header, key in slugs.items():  # exact names first
        if key in contract and key not in taken:
            result[header] = key
            taken.add(key)
    first = last = None
    for header, key in slugs.items():
        if header in result or not key:
            continue
        if kind == "evidence" and key == "timestamp":
            continue  # taken up below only if no column names the date
        if _IGNORE.match(key):
            continue
        if kind == "participants" and "name" not in taken:
            if first is None and _FIRST_NAME.search(key) and "name" in key:
                first = header
                continue
            if last is None and _LAST_NAME.search(key) and "name" in key:
                last = header
                continue
        for column, pattern in rules:
            if column not in taken and pattern.search(key):
                result[header] = column
                taken.add(column)
                break
    if "name" not in taken and first is not None:
        result[first] = "name"
        if last is not None:
            result[last] = "name"
    if kind == "evidence" and "date" not in taken:
        for header, key in slugs.items():
            if key == "timestamp":
                result[header] = "date"
                break
    return dict(sorted(result.items(), key=lambda item: (item[0] != first, item[0] != last)))
