"""Controlled vocabularies of the data contract and the normalization of human labels.

Everything stored uses the lowercase snake-case ids defined here; everything shown to
people uses the labels. Importers call :func:`normalize_choice` so that "Assistant
Principal", "assistant-principal" and "AP" all become ``assistant_principal``.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping

PARTICIPANT_COLUMNS: tuple[str, ...] = (
    "participant_id",
    "name",
    "email",
    "role",
    "organization",
    "district",
    "region",
    "modality",
    "focus",
    "theme",
    "second_theme",
)
"""The participant columns of the data contract, in order."""
PARTICIPANT_REQUIRED: frozenset[str] = frozenset({"name", "email", "role", "district"})

EVIDENCE_COLUMNS: tuple[str, ...] = (
    "collective",
    "date",
    "evidence_type",
    "indicator",
    "value",
    "unit",
    "n",
    "subgroup",
    "description",
    "source",
    "entered_by",
)
"""The evidence columns of the data contract, in order."""

ROLES: dict[str, str] = {
    "teacher_leader": "Teacher leader",
    "instructional_coach": "Instructional coach",
    "principal": "Principal",
    "assistant_principal": "Assistant principal",
    "central_office": "Central office",
    "superintendent": "Superintendent",
    "school_psychologist": "School psychologist",
    "other": "Other",
}

MODALITIES: dict[str, str] = {
    "in_person": "In person",
    "virtual": "Virtual",
    "either": "Either",
}

EVIDENCE_TYPES: dict[str, str] = {
    "demographic": "Demographic",
    "perceptions": "Perceptions",
    "student_learning": "Student learning",
    "school_processes": "School processes",
}

INDICATOR_KINDS: dict[str, str] = {"leading": "Leading", "lagging": "Lagging"}

CADENCES: dict[str, str] = {
    "weekly": "Weekly",
    "biweekly": "Every two weeks",
    "monthly": "Monthly",
    "quarterly": "Quarterly",
    "termly": "Each term",
    "annually": "Annually",
}

TOA_LEVELS: dict[str, str] = {
    "leader_actions": "Leader actions",
    "adult_practice": "Adult practice",
    "student_outcomes": "Student outcomes",
}

FACILITATOR_ROLES: dict[str, str] = {
    "anchor": "Anchor: keep the work on the problem of practice and theory of action",
    "illuminate": "Illuminate: track and interpret evidence",
    "elevate": (
        "Elevate: ask questions that lift understanding and carry it into each leader's work"
    ),
}

# Extra spellings people use for the same thing; keys are normalized with ``slug``.
_SYNONYMS: dict[str, dict[str, str]] = {
    "role": {
        "ap": "assistant_principal",
        "vice_principal": "assistant_principal",
        "vp": "assistant_principal",
        "asst_principal": "assistant_principal",
        "coach": "instructional_coach",
        "instructional_coaches": "instructional_coach",
        "teacher": "teacher_leader",
        "lead_teacher": "teacher_leader",
        "district_office": "central_office",
        "central_office_leader": "central_office",
        "district_leader": "central_office",
        "supt": "superintendent",
        "assistant_superintendent": "superintendent",
        "psychologist": "school_psychologist",
        "school_psych": "school_psychologist",
        "head_teacher": "principal",
        "head_of_school": "principal",
    },
    "modality": {
        "in_person": "in_person",
        "inperson": "in_person",
        "face_to_face": "in_person",
        "f2f": "in_person",
        "on_site": "in_person",
        "online": "virtual",
        "remote": "virtual",
        "zoom": "virtual",
        "hybrid": "either",
        "no_preference": "either",
        "any": "either",
        "both": "either",
    },
    "evidence_type": {
        "demographics": "demographic",
        "perception": "perceptions",
        "perceptual": "perceptions",
        "student_learning_data": "student_learning",
        "learning": "student_learning",
        "achievement": "student_learning",
        "school_process": "school_processes",
        "processes": "school_processes",
        "programs": "school_processes",
    },
}

VOCABULARIES: dict[str, Mapping[str, str]] = {
    "role": ROLES,
    "modality": MODALITIES,
    "evidence_type": EVIDENCE_TYPES,
    "kind": INDICATOR_KINDS,
    "cadence": CADENCES,
    "level": TOA_LEVELS,
}


def slug(text: str) -> str:
    """Lowercase snake case of ``text``: accents dropped, runs of other characters to ``_``."""
    folded = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", folded.lower()).strip("_")


def normalize_choice(field: str, value: str) -> str | None:
    """Map a human label of ``field`` to its stored id, or ``None`` if it is not one of them.

    >>> normalize_choice("role", "Assistant Principal")
    'assistant_principal'
    """
    vocabulary = VOCABULARIES[field]
    key = slug(value)
    if key in vocabulary:
        return key
    for stored, label in vocabulary.items():
        if slug(label) == key:
            return stored
    return _SYNONYMS.get(field, {}).get(key)


def label(field: str, value: str | None) -> str:
    """The human label for a stored id (the id itself when unknown, empty for ``None``)."""
    if value is None:
        return ""
    return VOCABULARIES[field].get(value, value)
