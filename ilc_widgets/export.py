"""Export bundles for researchers: every table as tidy CSV (and XLSX) with a data dictionary."""

from __future__ import annotations

import json
import shutil
import tempfile
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from .errors import IlcError
from .spreadsheet import GUARD_NOTE, write_csv, write_xlsx

if TYPE_CHECKING:
    from .network import Network

Progress = Callable[[int, int], None]

DATA_DICTIONARY: dict[str, dict[str, str]] = {
    "participants": {
        "participant_id": "Stable id of the participant within the network",
        "name": "Full name",
        "email": "Email address (lowercase); unique in the network",
        "role": "teacher_leader, instructional_coach, principal, assistant_principal, "
        "central_office, superintendent, school_psychologist or other",
        "organization": "School or office",
        "district": "District",
        "region": "Region (in-person collectives meet within one region)",
        "modality": "in_person, virtual or either",
        "focus": "The participant's focus for inquiry, in their words",
        "theme": "Accepted theme",
        "second_theme": "Second-choice theme (may be blank)",
        "collective": "Collective id the participant is in (blank if none)",
    },
    "themes": {
        "name": "Accepted theme",
        "keywords": "Keywords that characterize the theme's statements",
        "participants": "Participants whose theme it is",
        "accepted_at": "When the facilitator accepted the themes (UTC)",
    },
    "collectives": {
        "collective": "Collective id (used in links and files)",
        "name": "Collective name",
        "theme": "Theme",
        "region": "Region of an in-person or hybrid collective (blank for virtual)",
        "modality": "in_person, virtual or hybrid",
        "facilitator_name": "Facilitator",
        "facilitator_email": "Facilitator's email",
        "locked": "True when the facilitator locked its composition",
        "members": "Number of members",
    },
    "memberships": {
        "participant_id": "Participant",
        "collective": "Collective id",
        "locked": "True when the member was locked in place",
    },
    "placemats": {
        "collective": "Collective id",
        "version": "Saved version number (0 = never saved)",
        "updated_at": "Time of the last save (UTC)",
        "updated_by": "Who saved it",
        "problem_of_practice": "Problem of practice",
        "theory_steps": "Number of if/then steps in the theory of action",
        "indicators": "Number of indicators",
        "completeness": "Share of the placemat checks that pass (0 to 1)",
    },
    "indicators": {
        "collective": "Collective id",
        "indicator_id": "Stable id of the indicator in its placemat",
        "name": "Indicator name (evidence refers to it by name)",
        "kind": "leading or lagging",
        "measure": "How it is measured",
        "evidence_type": "demographic, perceptions, student_learning or school_processes",
        "baseline": "Baseline value",
        "target": "Target value",
        "unit": "Unit of baseline, target and evidence values",
        "target_date": "Date the target should be reached",
        "cadence": "How often it is measured",
    },
    "evidence": {
        "id": "Entry id",
        "collective": "Collective id",
        "date": "Date the evidence describes",
        "evidence_type": "demographic, perceptions, student_learning or school_processes",
        "indicator": "Indicator name (blank for context evidence)",
        "value": "Numeric value",
        "unit": "Unit of the value",
        "n": "How many people or students the value covers",
        "subgroup": "Group the value describes",
        "description": "What the evidence is",
        "source": "Where it came from",
        "entered_by": "Who entered it",
        "created_at": "When it was entered (UTC)",
        "version": "Edit counter",
        "deleted_at": "When it was deleted (blank if current)",
        "deleted": "True for deleted entries (kept so they can be restored)",
    },
    "implementation_log": {
        "id": "Entry id",
        "collective": "Collective id",
        "date": "When the action was taken",
        "action": "What the leaders did",
        "toa_step": "Id of the theory-of-action step it carries out",
        "entered_by": "Who entered it",
    },
    "reflections": {
        "id": "Reflection id",
        "collective": "Collective id",
        "meeting_date": "Review meeting date",
        "went_well": "What went well",
        "didnt_go_well": "What did not go well",
        "learned": "What we learned",
        "adjust": "What we will adjust",
        "adjust_areas": "Parts of the placemat to adjust (theory_of_action, indicators, "
        "evidence_plan)",
        "entered_by": "Who entered it",
        "version": "Edit counter",
        "updated_at": "Time of the last edit (UTC)",
    },
    "pulse_responses": {
        "collective": "Collective id",
        "respondent": "Participant id of the respondent",
        "wave": "start or review",
        "item_set": "Item set the item belongs to (default = the kit's reflective pulse)",
        "item_id": "Item id",
        "score": "Agreement, 1 (strongly disagree) to 5 (strongly agree)",
        "submitted_at": "When it was submitted (UTC)",
    },
    "scores": {
        "collective": "Collective id",
        "assessment": "Assessment the scores come from",
        "phase": "pre or post",
        "student_ref": "Anonymised student reference (never a name)",
        "score": "Score",
    },
    "theory_of_action": {
        "collective": "Collective id",
        "position": "Place of the step in the chain (1 = first)",
        "step_id": "Stable id of the step (the implementation log's toa_step refers to it)",
        "level": "leader_actions, adult_practice or student_outcomes",
        "if_text": "The 'if' part: what is done",
        "then_text": "The 'then' part: what should follow",
    },
    "priorities": {
        "collective": "Collective id",
        "rank": "Rank of the priority (1 = highest)",
        "priority": "The priority, in the collective's words",
    },
    "evidence_plan": {
        "collective": "Collective id",
        "evidence_type": "demographic, perceptions, student_learning or school_processes",
        "what": "What will be collected",
        "who": "By whom",
        "when": "When or how often",
    },
    "indicator_status": {
        "collective": "Collective id",
        "indicator_id": "Stable id of the indicator in its placemat",
        "indicator": "Indicator name",
        "kind": "leading or lagging",
        "evidence_type": "demographic, perceptions, student_learning or school_processes",
        "unit": "Unit of baseline, target and values",
        "n_observations": "Dated values the status is based on (one per day with evidence)",
        "entries": "Evidence entries matched to the indicator",
        "first_date": "Date of the first value",
        "last_date": "Date of the latest value",
        "latest_value": "Latest value (mean of that day's entries, weighted by n)",
        "baseline": "Baseline value",
        "target": "Target value",
        "target_date": "Date the target should be reached",
        "expected_value": "Value expected by the latest date on the line from baseline to target",
        "progress": "Share of the way from baseline to target reached (1 = target)",
        "expected_progress": "Share of the way expected by the latest date",
        "status": "on_track, at_risk, off_track or not_enough_data",
        "status_label": "The status in words",
        "reason": "Why, in plain words",
    },
    "effect_sizes": {
        "collective": "Collective id",
        "assessment": "Assessment the pre and post scores come from",
        "n_pre": "Number of pre scores",
        "n_post": "Number of post scores",
        "mean_pre": "Mean of the pre scores",
        "sd_pre": "Standard deviation of the pre scores (n - 1)",
        "mean_post": "Mean of the post scores",
        "sd_post": "Standard deviation of the post scores (n - 1)",
        "d": "Effect size: (mean post - mean pre) / mean of the two SDs",
        "ci_low": "Lower end of the 95% confidence interval of d",
        "ci_high": "Upper end of the 95% confidence interval of d",
        "small_n": "True when a group has fewer scores than the network's minimum cell size",
        "interpretation": "What d means, in plain words (against the 0.40 hinge point)",
        "problem": "Why no effect size could be computed (blank when it could)",
    },
    "audit_log": {
        "id": "Change id",
        "at": "When (UTC)",
        "actor": "Who",
        "action": "What kind of change",
        "entity": "What was changed",
        "entity_id": "Which one",
        "collective": "Collective id, if any",
        "detail": "Details of the change",
    },
}


def research_tables(network: Network) -> dict[str, pd.DataFrame]:
    """Every table of the researchers' bundle, keyed by its file name.

    The stored tables (:meth:`Network.tables`) with, after the placemats, their contents as
    tidy tables (``theory_of_action``, ``priorities``, ``evidence_plan``), and the derived
    ``indicator_status`` and ``effect_sizes`` exactly as the network report computes them.
    Each is also a DataFrame of the network object with the same columns.
    """
    stored = network.tables()
    extra = {
        "theory_of_action": network.theory_of_action,
        "priorities": network.priorities,
        "evidence_plan": network.evidence_plan,
        "indicator_status": network.indicator_status(),
        "effect_sizes": network.effect_sizes(),
    }
    ordered: dict[str, pd.DataFrame] = {}
    for name, frame in stored.items():
        if name == "audit_log":
            ordered.update(extra)
        ordered[name] = frame
    for name, frame in extra.items():
        ordered.setdefault(name, frame)
    return ordered


def data_dictionary(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per exported column: table, column, type and description."""
    rows = []
    for table, frame in tables.items():
        described = DATA_DICTIONARY.get(table, {})
        for column in frame.columns:
            rows.append(
                {
                    "table": table,
                    "column": column,
                    "dtype": str(frame[column].dtype),
                    "description": described.get(column, ""),
                }
            )
    return pd.DataFrame(rows, columns=["table", "column", "dtype", "description"])


def _with_guard_note(dictionary: pd.DataFrame) -> pd.DataFrame:
    """The dictionary plus a last row saying how formula-like text is kept in the CSV files."""
    note = dict.fromkeys(dictionary.columns, "")
    note.update(table="(all tables)", column="(text cells)", description=GUARD_NOTE)
    return pd.concat([dictionary, pd.DataFrame([note])], ignore_index=True)


def _cell(value: Any) -> Any:
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return value


def _tidy(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object:
            out[column] = out[column].map(_cell)
        elif isinstance(out[column].dtype, pd.DatetimeTZDtype):
            out[column] = out[column].dt.tz_localize(None)
    return out


def export_tables(
    network: Network,
    directory: Path,
    *,
    xlsx: bool = False,
    tables: dict[str, pd.DataFrame] | None = None,
    progress: Progress | None = None,
) -> list[Path]:
    """Write each table as ``<name>.csv`` plus ``data_dictionary.csv`` into ``directory``.

    Files are written to a temporary folder first and moved in at the end, so an export
    that fails half-way leaves an earlier export in ``directory`` as it was.
    """
    frames = {k: _tidy(v) for k, v in (tables or research_tables(network)).items()}
    directory = Path(directory)
    if directory.exists() and not directory.is_dir():
        raise IlcError(f"{directory} exists and is not a folder")
    directory.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".export-", dir=directory))
    try:
        total = len(frames) + 1 + int(xlsx)
        done = 0
        for name, frame in frames.items():
            write_csv(frame, staging / f"{name}.csv")
            done += 1
            if progress:
                progress(done, total)
        dictionary = _with_guard_note(data_dictionary(frames))
        write_csv(dictionary, staging / "data_dictionary.csv")
        done += 1
        if xlsx:
            write_xlsx({**frames, "data_dictionary": dictionary}, staging / "network.xlsx")
            done += 1
        if progress:
            progress(total, total)
        written = []
        for path in sorted(staging.iterdir()):
            final = directory / path.name
            path.replace(final)
            written.append(final)
        return written
    finally:
        shutil.rmtree(staging, ignore_errors=True)


BUNDLE_README = f"""ILC Workbook Kit: data for researchers
=====================================

One CSV file per table (tidy: one row per thing, one column per variable), the same tables
in network.xlsx (one sheet each), and data_dictionary.csv describing every column.
In JupyterLab the same tables are DataFrames of the network object:

    from ilc_widgets.network import open_network
    net = open_network("<database>")
    net.evidence, net.placemats, net.indicator_status(), net.effect_sizes(), ...

{textwrap.fill(GUARD_NOTE, 92)}

These files are NOT privacy-protected: they hold participants' names and emails and every
evidence entry. Keep them with people allowed to see them; share the network report instead.
"""


def bundle_zip(network: Network, *, xlsx: bool = True, progress: Progress | None = None) -> bytes:
    """The researchers' bundle as one zip file: the CSVs, the XLSX workbook, the dictionary.

    Built with :func:`export_tables` (so it holds exactly what ``ilc export`` writes) plus a
    short README; every file sits in a folder ``ilc-data/`` inside the zip.
    """
    import io
    import zipfile

    with tempfile.TemporaryDirectory(prefix="ilc-bundle-") as tmp:
        files = export_tables(network, Path(tmp) / "bundle", xlsx=xlsx, progress=progress)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("ilc-data/README.txt", BUNDLE_README)
            for path in files:
                archive.write(path, arcname=f"ilc-data/{path.name}")
        return buffer.getvalue()
