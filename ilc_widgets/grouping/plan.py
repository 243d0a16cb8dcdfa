"""The plan: :func:`plan_collectives` and :func:`form_collectives`."""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..vocab import slug
from ._pool import _form_pool
from ._roster import _meeting_region, _roster, _text, _validate
from ._sizes import _Pool
from ._theme_choice import _initial_themes, _theme_explanations, _theme_search
from .check import check_plan
from .rules import (
    _UNTHEMED,
    BLOCK_SIZE,
    RULE_IN_PERSON_REGION,
    RULE_LOCKED,
    RULE_MAX_SIZE,
    RULE_MIN_SIZE,
    Explanation,
    GroupingPlan,
    Method,
)

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence


def plan_collectives(
    participants: pd.DataFrame,
    max_size: int = 10,
    min_size: int = 4,
    *,
    use_second_theme: bool = True,
    mix_roles: bool = True,
    mix_districts: bool = True,
    region_for_in_person: bool = True,
    locked: Mapping[str, Sequence[str]] | None = None,
    seed: int = 0,
    time_limit: float | None = None,
    method: Method = "optimize",
) -> GroupingPlan:
    """Form theme-based collectives and explain every rule the plan could not keep.

    ``participants`` follows the data contract (:data:`REQUIRED_COLUMNS`, plus ``name`` and
    ``second_theme`` when present); human labels such as "In person" are accepted.
    ``use_second_theme`` lets members be placed in their second theme (only to keep the size
    and region rules), ``mix_roles``/``mix_districts`` choose what the mix score counts, and
    ``region_for_in_person`` turns the region rule on. ``locked`` maps a collective id to
    participant ids that must stay together in it (the optimizer fills around them; its
    theme is the one its id starts with, else its members' most common one). ``time_limit``
    (seconds) stops the searches early, at the cost of exact reproducibility. ``method``
    other than "optimize" gives the benchmark's baselines on the same themes and sizes:
    "greedy" (input order, most new districts and roles) and "random" (random seats).

    Returns a complete plan whatever the input: ``assignments`` (one row per participant, in
    input order and index: ``participant_id, name, collective, theme, placed_by`` in
    'theme'/'second_theme'/'fallback'/'locked', ``attends`` in 'in_person'/'virtual',
    ``collective_region``, ``locked``), ``collectives`` (one row per collective with its
    theme, meeting region, modality mix, size, distinct districts and roles, largest
    same-district count and lone outsiders), ``explanations`` and ``violations``.
    Raises ValueError for missing columns, blank or duplicate ids, unknown modalities,
    ``max_size < 2`` or ``max_size < min_size``, and locks naming unknown participants.
    """
    _validate(participants, max_size, min_size, locked)
    start = time.perf_counter()
    deadline = start + time_limit if time_limit is not None else None
    ro = _roster(participants)
    n = len(ro.ids)
    row_of = {pid: i for i, pid in enumerate(ro.ids)}
    lock_of: dict[int, str] = {}
    lock_members: dict[str, list[int]] = {}
    for cid in sorted(locked or {}, key=str):
        rows = sorted({row_of[_text(p)] for p in (locked or {})[cid]})
        if rows:
            lock_members[str(cid)] = rows
            for i in rows:
                lock_of[i] = str(cid)
    lock_theme_of_cid: dict[str, str] = {}
    keys = sorted(set(ro.theme) | set(ro.second) - {""}, key=lambda t: (-len(t), t))
    for cid, rows in lock_members.items():
        cslug = slug(cid.rsplit("-", 1)[0]) if "-" in cid else slug(cid)
        match = next(
            (t for t in keys if t and (cid == t or cid.startswith(t + "-") or cslug == t)), None
        )
        if match is None:
            votes = Counter(ro.theme[i] or ro.second[i] or _UNTHEMED for i in rows)
            match = min(votes, key=lambda t: (-votes[t], t))
            ro.theme_names.setdefault(match, "Unthemed" if match == _UNTHEMED else match)
        lock_theme_of_cid[cid] = match
    lock_theme = {i: lock_theme_of_cid[cid] for i, cid in lock_of.items()}
    themes = _initial_themes(
        ro, min_size, use_second_theme, lock_theme, set(lock_theme_of_cid.values())
    )
    locked_by_theme: dict[str, list[tuple[str, list[int]]]] = defaultdict(list)
    for cid, rows in lock_members.items():
        locked_by_theme[lock_theme_of_cid[cid]].append((cid, rows))
    rng = np.random.default_rng(seed)
    _theme_search(
        ro,
        themes,
        locked_by_theme,
        min_size,
        max_size,
        region_rule=region_for_in_person,
        use_second=use_second_theme,
        rng=rng,
        deadline=deadline,
    )
    explanations = themes.explanations + _theme_explanations(ro, themes, min_size, max_size)

    wd, wr = int(mix_districts), int(mix_roles)
    by_theme: dict[str, list[int]] = defaultdict(list)
    for i in range(n):
        by_theme[themes.effective[i]].append(i)
    collective_of = [""] * n
    records: list[tuple[str, str, list[int], bool]] = []  # id, theme, members, locked
    converted_all: dict[int, str] = {}
    for t in sorted(by_theme):
        lg = locked_by_theme.get(t, [])
        res = _form_pool(
            _Pool(by_theme[t], lg, ro, min_size, max_size, region_for_in_person),
            wd=wd,
            wr=wr,
            method=method,
            rng=np.random.default_rng(rng.integers(2**63)),
            deadline=deadline,
        )
        used = {cid for cid, _ in lg}
        prefix = t or "theme"
        unnamed = [j for j, cid in enumerate(res.locked_ids) if cid is None]
        away = set(res.converted)
        unnamed.sort(
            key=lambda j: (
                _meeting_region(res.groups[j], ro, away) or "~",
                min(res.groups[j], default=0),
            )
        )
        number = 0
        names: dict[int, str] = {j: cid for j, cid in enumerate(res.locked_ids) if cid is not None}
        for j in unnamed:
            number += 1
            while f"{prefix}-{number}" in used:
                number += 1
            names[j] = f"{prefix}-{number}"
        for j, members in enumerate(res.groups):
            cid = names[j]
            for i in members:
                collective_of[i] = cid
            records.append((cid, t, members, res.locked_ids[j] is not None))
        for i in res.converted:
            converted_all[i] = t

    away_all = set(converted_all)
    meeting = {cid: _meeting_region(members, ro, away_all) for cid, _, members, _ in records}
    size_of = {cid: len(members) for cid, _, members, _ in records}

    # explanations for the rules this plan relaxes
    stranded: dict[tuple[str, int], list[int]] = defaultdict(list)
    for i, t in sorted(converted_all.items()):
        if meeting[collective_of[i]] != ro.region_names[ro.region[i]]:
            stranded[(t, int(ro.region[i]))].append(i)
    for (t, r), rows in sorted(stranded.items()):
        where = "; ".join(
            f"{ro.who([i])} joins {collective_of[i]}"
            + (f" (meeting in {meeting[collective_of[i]]})" if meeting[collective_of[i]] else "")
            for i in rows
        )
        explanations.append(
            Explanation(
                RULE_IN_PERSON_REGION,
                tuple(ro.ids[i] for i in rows),
                f"Theme '{ro.theme_names.get(t, t)}' has too few participants in region "
                f"'{ro.region_names[r]}' to form a collective there around its in-person "
                f"member(s); they join a collective virtually: {where}.",
                collective_of[rows[0]],
            )
        )
    for cid, t, members, is_locked in records:
        if len(members) < min_size:
            reason = (
                "it was locked this way by the facilitator"
                if is_locked and all(i in lock_of for i in members)
                else f"theme '{ro.theme_names.get(t, t)}' has too few participants and no other "
                "theme could take them"
            )
            explanations.append(
                Explanation(
                    RULE_MIN_SIZE,
                    tuple(ro.ids[i] for i in members),
                    f"Collective {cid} has {len(members)} member(s), fewer than the minimum of "
                    f"{min_size}, because {reason}: {ro.who(members)}.",
                    cid,
                )
            )
        if len(members) > max_size:
            explanations.append(
                Explanation(
                    RULE_MAX_SIZE,
                    tuple(ro.ids[i] for i in members),
                    f"Collective {cid} has {len(members)} members, more than the maximum of "
                    f"{max_size}, because the facilitator locked them together: {ro.who(members)}.",
                    cid,
                )
            )
    outside = [
        i
        for i, cid in lock_of.items()
        if lock_theme_of_cid[cid] not in (ro.theme[i], ro.second[i] if use_second_theme else "")
    ]
    if outside:
        outside.sort()
        explanations.append(
            Explanation(
                RULE_LOCKED,
                tuple(ro.ids[i] for i in outside),
                "Locked by the facilitator in a collective of another theme than their own: "
                + "; ".join(f"{ro.who([i])} in {collective_of[i]}" for i in outside)
                + ".",
            )
        )
    if region_for_in_person:
        for cid, rows in lock_members.items():
            regions = {
                ro.region_names[int(ro.region[i])] for i in rows if ro.modality[i] == "in_person"
            }
            if len(regions) > 1:
                ip_rows = [i for i in rows if ro.modality[i] == "in_person"]
                explanations.append(
                    Explanation(
                        RULE_IN_PERSON_REGION,
                        tuple(ro.ids[i] for i in ip_rows),
                        f"Collective {cid} was locked with in-person members from several "
                        f"regions ({', '.join(sorted(regions))}): {ro.who(ip_rows)}; some of "
                        "them will have to join virtually.",
                        cid,
                    )
                )

    attends = []
    for i in range(n):
        mod = ro.modality[i]
        here = meeting[collective_of[i]] == ro.region_names[ro.region[i]]
        attends.append("in_person" if mod != "virtual" and here else "virtual")
    assignments = pd.DataFrame(
        {
            "participant_id": ro.ids,
            "name": ro.names,
            "collective": collective_of,
            "theme": [
                ro.theme_names.get(themes.effective[i], themes.effective[i]) for i in range(n)
            ],
            "placed_by": themes.placed_by,
            "attends": attends,
            "collective_region": [meeting[collective_of[i]] for i in range(n)],
            "locked": [i in lock_of for i in range(n)],
        },
        index=participants.index,
    )
    summary_rows = []
    for cid, t, members, is_locked in sorted(records, key=lambda x: x[0]):
        dc = Counter(int(ro.district[i]) for i in members)
        block = max(dc.values(), default=0) >= BLOCK_SIZE
        n_ip = sum(1 for i in members if attends[i] == "in_person")
        summary_rows.append(
            {
                "collective": cid,
                "theme": ro.theme_names.get(t, t),
                "region": meeting[cid],
                "modality": "virtual"
                if n_ip == 0
                else "in_person"
                if n_ip == len(members)
                else "hybrid",
                "size": size_of[cid],
                "n_districts": len(dc),
                "n_roles": len({int(ro.role[i]) for i in members}),
                "max_same_district": max(dc.values(), default=0),
                "lone_outsiders": sum(1 for c in dc.values() if c == 1) if block else 0,
                "n_in_person": n_ip,
                "n_virtual": len(members) - n_ip,
                "locked": is_locked,
            }
        )
    collectives = pd.DataFrame(
        summary_rows,
        columns=[
            "collective",
            "theme",
            "region",
            "modality",
            "size",
            "n_districts",
            "n_roles",
            "max_same_district",
            "lone_outsiders",
            "n_in_person",
            "n_virtual",
            "locked",
        ],
    )
    violations = check_plan(
        participants,
        assignments,
        max_size,
        min_size,
        use_second_theme=use_second_theme,
        region_for_in_person=region_for_in_person,
        locked=locked,
    )
    return GroupingPlan(assignments, collectives, explanations, violations)


def form_collectives(
    participants: pd.DataFrame,
    max_size: int = 10,
    min_size: int = 4,
    *,
    use_second_theme: bool = True,
    mix_roles: bool = True,
    mix_districts: bool = True,
    region_for_in_person: bool = True,
    locked: Mapping[str, Sequence[str]] | None = None,
    seed: int = 0,
    time_limit: float | None = None,
) -> pd.DataFrame:
    """One row per participant with ``participant_id, collective, theme`` and helpful columns.

    The assignments of :func:`plan_collectives` (see there for the parameters, and the module
    documentation for the rules and the method). ``df.attrs["explanations"]`` lists what the
    plan could not keep as :class:`Explanation` (rule, participant ids, message) and
    ``df.attrs["violations"]`` the hard constraints that remain broken (:func:`check_plan`).
    """
    arguments = locals()  # exactly the parameters above: plan_collectives takes them all
    plan = plan_collectives(**arguments)
    df = plan.assignments
    df.attrs["explanations"] = plan.explanations
    df.attrs["violations"] = plan.violations
    return df
