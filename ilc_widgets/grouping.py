"""Forming collectives: theme-based groups of at most ``max_size`` that mix roles and districts.

Public API: :func:`form_collectives` (the DataFrame the brief specifies), :func:`plan_collectives`
(the same plan with a per-collective summary, explanations and remaining violations) and
:func:`check_plan` (an independent check of the hard constraints of any assignment).

Rules
-----
Hard constraints, checked by :func:`check_plan`:

* every participant is placed in exactly one collective;
* every collective has between ``min_size`` and ``max_size`` members;
* the members of a collective who attend *in person* (modality ``in_person``) all come from one
  region, the collective's meeting region. ``virtual`` members join from anywhere. ``either``
  is flexible: such a member attends in person when the collective meets in their region and
  joins virtually otherwise, so they never constrain a collective;
* a member's collective has their theme, or their second theme when ``use_second_theme``
  (members a facilitator locked into a collective are exempt).

Goals, compared lexicographically within each theme (collectives of different themes never
exchange members, so the goals decompose by theme). The *mix score* of a collective is its
number of distinct districts plus its number of distinct roles (either term is dropped when
``mix_districts`` or ``mix_roles`` is off):

1. maximize the worst collective's mix score (max-min fairness);
2. then maximize the total mix score;
3. then have as few collectives at the worst score as possible;
4. then minimize the number of same-district pairs, sum over collectives of C(c, 2) for each
   district count c. This shrinks blocks first: a *block* is :data:`BLOCK_SIZE` or more members
   of one district, and the member who is the only one from their district next to a block is
   reported as a *lone outsider* in the collective summary;
5. then minimize the number of same-role pairs.

Sizes are decided before the search and kept as even as the bounds and the region rule allow
(23 people with ``max_size=10`` give 8/8/7); the search never makes them less even.

Method
------
1. *Themes.* Everyone starts in their own theme; a theme too small for one collective moves to
   second themes (when ``use_second_theme``), else to its most related theme (the one most
   often named with it as first/second choice, then the largest). If some rule still cannot be
   kept, a simulated-annealing search (three seeded runs, single and whole-theme changes)
   chooses each member's theme among own, second and most related so as to minimize, in
   order, the rule breaks, then the members away from their own theme. Rule breaks are
   weighted so that the relaxations come in this order: second theme (allowed, not a break),
   then most related theme or joining a collective virtually (one each), then an undersized
   collective (two per member). The maximum size is never relaxed, except by a lock.
2. *Sizes.* Per theme, the fewest collectives whose sizes are as even as possible (a theme of
   23 with ``max_size=10``: 8/8/7), each region's in-person members in collectives of their own,
   spread over as many collectives as they can share (water-filling). If no such sizes exist,
   the fewest in-person members join a collective of another region virtually; as a last
   resort a collective stays below ``min_size``.
3. *Construction.* Members, the most common districts first, each join the collective with
   room where their district and role are least represented.
4. *Local search.* Steepest-partner swaps of two members and moves of one member (only from a
   larger to a smaller collective), evaluated for one collective against every other member of
   its theme at once with numpy, with don't-look bits and a final full pass; then iterated
   local search (random swaps, or emptying a collective of its in-person members so that it
   can meet in another region), keeping the best. Themes of up to 80 members also screen
   other numbers of collectives per region.

Every relaxation produces an :class:`Explanation` naming the participants and the rule. The
result is deterministic for the same input and ``seed`` (``time_limit``, when it cuts the
search short, is the one exception).
"""

from __future__ import annotations

import itertools
import math
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from .vocab import normalize_choice, slug

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

__all__ = [
    "BLOCK_SIZE",
    "REQUIRED_COLUMNS",
    "RULES",
    "Explanation",
    "GroupingPlan",
    "Violation",
    "allowed_themes",
    "check_plan",
    "form_collectives",
    "meeting_region",
    "plan_collectives",
]

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
Method = Literal["optimize", "greedy", "random"]

#: Columns the optimizer reads; ``name`` and ``second_theme`` are used when present.
REQUIRED_COLUMNS: tuple[str, ...] = (
    "participant_id",
    "role",
    "district",
    "region",
    "modality",
    "theme",
)
#: A block: this many members of one district in one collective.
BLOCK_SIZE = 3

RULE_THEME_TOO_SMALL = "theme_too_small"
RULE_NO_THEME = "no_theme"
RULE_IN_PERSON_REGION = "in_person_region"
RULE_SECOND_THEME_REPAIR = "second_theme_repair"
RULE_MIN_SIZE = "min_size"
RULE_MAX_SIZE = "max_size"
RULE_LOCKED = "locked_outside_theme"
RULE_PLACEMENT = "placement"
RULE_THEME = "theme"

#: The rules an :class:`Explanation` or a :class:`Violation` can name, in words.
RULES: dict[str, str] = {
    RULE_THEME_TOO_SMALL: "a theme too small to form a collective; its members went elsewhere",
    RULE_NO_THEME: "no theme given",
    RULE_IN_PERSON_REGION: "an in-person member joins a collective of another region virtually",
    RULE_SECOND_THEME_REPAIR: "placed in the second theme so that the collectives keep the rules",
    RULE_MIN_SIZE: "a collective smaller than the minimum size",
    RULE_MAX_SIZE: "a collective larger than the maximum size",
    RULE_LOCKED: "locked by the facilitator in a collective of another theme",
    RULE_PLACEMENT: "a participant not placed exactly once",
    RULE_THEME: "placed in a collective of neither their theme nor their second theme",
}

_UNTHEMED = "unthemed"
_INF = 10**9

# Search budgets. They are counts, not seconds, so that a plan is reproducible.
_SA_RUNS = 3  # independent annealing runs of the theme search
_SA_MAX_RUNS = 8  # ... and up to this many while a rule is still broken
_ALLOC_MAX_MEMBERS = 80  # themes up to this size try other collectives-per-region allocations
_ALLOC_CANDIDATES = 12  # at most this many allocations are screened
_SCREEN_RESTARTS = 3  # perturbation rounds per screened allocation
_NEAR_LIMIT = 200  # members the theme search may move beyond those touching a violation


def _sa_iterations(movable: int) -> int:
    """Annealing steps of the theme search (over all runs)."""
    return min(60000, 20000 + 2000 * movable)


def _restarts(members: int) -> int:
    """Perturbation rounds of the local search for a theme of this many members."""
    return 0 if members > 1200 else min(20, max(2, 3000 // max(members, 1)))


@dataclass(frozen=True)
class Explanation:
    """Why the plan departs from a rule: which rule, for whom, in words fit for a facilitator."""

    rule: str
    participant_ids: tuple[str, ...]
    message: str
    collective: str | None = None


@dataclass(frozen=True)
class Violation:
    """A hard constraint that an assignment breaks (see :func:`check_plan`)."""

    rule: str
    collective: str | None
    participant_ids: tuple[str, ...]
    message: str


@dataclass
class GroupingPlan:
    """A complete plan: one row per participant, a summary per collective, and the reasons."""

    assignments: pd.DataFrame
    collectives: pd.DataFrame
    explanations: list[Explanation] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)


# --------------------------------------------------------------------------------------------
# input


def _text(value: object) -> str:
    """A cell as stripped text; None, NaN and pandas NA become ''."""
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    return str(value).strip()


@dataclass
class _Roster:
    ids: list[str]
    names: list[str]
    role: IntArray
    district: IntArray
    region: IntArray
    region_names: list[str]
    modality: list[str]
    theme: list[str]
    second: list[str]
    theme_names: dict[str, str]

    def who(self, rows: Sequence[int], limit: int = 12) -> str:
        """Participants named for a message: 'Ana Ruiz (P01), P02, ...'."""
        parts = [
            f"{self.names[i]} ({self.ids[i]})" if self.names[i] else self.ids[i]
            for i in rows[:limit]
        ]
        more = len(rows) - limit
        if more > 0:
            parts.append(f"and {more} more")
        return ", ".join(parts)


def _codes(values: list[str]) -> tuple[IntArray, list[str]]:
    names = sorted(set(values))
    index = {v: i for i, v in enumerate(names)}
    return np.array([index[v] for v in values], dtype=np.int64), names


def _validate(
    participants: pd.DataFrame,
    max_size: int,
    min_size: int,
    locked: Mapping[str, Sequence[str]] | None,
) -> None:
    if not isinstance(participants, pd.DataFrame):
        raise ValueError("participants must be a pandas DataFrame")
    missing = [c for c in REQUIRED_COLUMNS if c not in participants.columns]
    if missing:
        raise ValueError(
            f"participants is missing the column(s) {', '.join(missing)}; "
            f"forming collectives needs {', '.join(REQUIRED_COLUMNS)}"
        )
    if max_size < 2:
        raise ValueError(f"max_size must be at least 2 (got {max_size})")
    if min_size < 1:
        raise ValueError(f"min_size must be at least 1 (got {min_size})")
    if max_size < min_size:
        raise ValueError(f"max_size ({max_size}) is smaller than min_size ({min_size})")
    ids = [_text(v) for v in participants["participant_id"].tolist()]
    blank = [str(i + 1) for i, v in enumerate(ids) if not v]
    if blank:
        raise ValueError(f"participant_id is blank in row(s) {', '.join(blank[:10])}")
    rows: dict[str, list[int]] = defaultdict(list)
    for i, v in enumerate(ids):
        rows[v].append(i + 1)
    dups = [f"{v} (rows {', '.join(map(str, r))})" for v, r in rows.items() if len(r) > 1]
    if dups:
        raise ValueError(f"duplicate participant_id: {'; '.join(dups[:10])}")
    bad = [
        f"{pid} ('{_text(m)}')"
        for pid, m in zip(ids, participants["modality"].tolist(), strict=True)
        if _text(m) and normalize_choice("modality", _text(m)) is None
    ]
    if bad:
        raise ValueError(
            f"unknown modality for participant(s) {', '.join(bad[:10])}; "
            "use in_person, virtual or either"
        )
    if locked:
        known = set(ids)
        seen: dict[str, str] = {}
        for cid, members in locked.items():
            if not _text(cid):
                raise ValueError("a locked collective has a blank id")
            if isinstance(members, str):
                raise ValueError(f"locked['{cid}'] must be a list of participant ids")
            for pid in (_text(m) for m in members):
                if pid not in known:
                    raise ValueError(f"locked collective '{cid}' names unknown participant {pid}")
                if pid in seen and seen[pid] != cid:
                    raise ValueError(
                        f"participant {pid} is locked in two collectives: '{seen[pid]}' and '{cid}'"
                    )
                seen[pid] = cid


def _roster(participants: pd.DataFrame) -> _Roster:
    cols = participants.columns
    n = len(participants)

    def column(name: str) -> list[str]:
        if name not in cols:
            return [""] * n
        return [_text(v) for v in participants[name].tolist()]

    ids = column("participant_id")
    roles = []
    for v in column("role"):
        norm = normalize_choice("role", v) if v else "other"
        roles.append(norm or slug(v) or "other")
    modality = [
        normalize_choice("modality", v) or "either" if v else "either" for v in column("modality")
    ]
    role_codes, _ = _codes(roles)
    district_codes, _ = _codes(column("district"))
    region_codes, region_names = _codes(column("region"))
    theme_names: dict[str, str] = {}
    themes: list[str] = []
    seconds: list[str] = []
    for t, s in zip(column("theme"), column("second_theme"), strict=True):
        tk = slug(t) if t else ""
        if t and not tk:
            tk = "theme"
        sk = slug(s) if s else ""
        for key, label in ((tk, t), (sk, s)):
            if key and key not in theme_names:
                theme_names[key] = label
        themes.append(tk)
        seconds.append(sk if sk != tk else "")
    return _Roster(
        ids=ids,
        names=column("name"),
        role=role_codes,
        district=district_codes,
        region=region_codes,
        region_names=region_names,
        modality=modality,
        theme=themes,
        second=seconds,
        theme_names=theme_names,
    )


# --------------------------------------------------------------------------------------------
# step 1: themes


@dataclass
class _Themes:
    effective: list[str]
    placed_by: list[str]
    explanations: list[Explanation]


def _fallbacks(ro: _Roster) -> dict[str, str]:
    """Each theme's most related other theme (most often named with it, then the largest)."""
    counts = Counter(t for t in ro.theme if t)
    related: Counter[tuple[str, str]] = Counter()
    for t, s in zip(ro.theme, ro.second, strict=True):
        if t and s:
            related[(t, s)] += 1
            related[(s, t)] += 1
    keys = sorted(counts)
    return {
        t: min(
            (u for u in keys if u != t), key=lambda u: (-related[(t, u)], -counts[u], u), default=t
        )
        for t in keys
    }


def _initial_themes(
    ro: _Roster,
    lo: int,
    use_second: bool,
    lock_theme: dict[int, str],
    protected: set[str],
) -> _Themes:
    """First placement: own theme; a theme too small for one collective goes to second themes.

    Members of a too-small theme move to their second theme (when allowed), else to the most
    related theme still in use. :func:`_theme_search` then improves on this.
    """
    n = len(ro.ids)
    eff = list(ro.theme)
    placed = ["theme"] * n
    notes: list[Explanation] = []
    blank = [i for i in range(n) if not eff[i] and i not in lock_theme]
    for i in blank:
        if use_second and ro.second[i]:
            eff[i], placed[i] = ro.second[i], "second_theme"
        else:
            eff[i], placed[i] = _UNTHEMED, "fallback"
    if blank:
        ro.theme_names.setdefault(_UNTHEMED, "Unthemed")
        notes.append(
            Explanation(
                RULE_NO_THEME,
                tuple(ro.ids[i] for i in blank),
                f"No theme given for {ro.who(blank)}: placed in "
                + (
                    "their second theme, or in 'Unthemed' when they have none."
                    if use_second
                    else "'Unthemed'."
                ),
            )
        )
    for i, t in lock_theme.items():
        eff[i], placed[i] = t, "locked"
    fallback = _fallbacks(ro)
    alive = set(eff)
    while True:
        counts = Counter(eff)
        small = [t for t in alive if counts[t] < lo and t not in protected and len(alive) > 1]
        if not small:
            break
        t = min(small, key=lambda x: (counts[x], x))
        alive.discard(t)
        others = sorted(alive)
        for i in range(n):
            if eff[i] != t:
                continue
            s = ro.second[i]
            if use_second and s in alive:
                eff[i], placed[i] = s, "second_theme" if placed[i] == "theme" else "fallback"
            else:
                f = fallback.get(t, t)
                if f not in alive:
                    f = min(others, key=lambda u: (-counts[u], u))
                eff[i], placed[i] = f, "fallback"
    return _Themes(eff, placed, notes)


# --------------------------------------------------------------------------------------------
# step 2: sizes


@dataclass
class _SizePlan:
    sizes: list[int]
    alloc: list[dict[int, int]]  # in-person seats per region (free members only)
    k_new: int = 0
    counts: dict[int, int] = field(default_factory=dict)  # collectives per region


def _water_fill(loads: list[int], units: int, cap: int) -> list[int] | None:
    """Add ``units`` to the lowest loads first, none above ``cap``; None if they don't fit."""
    if units == 0:
        return list(loads)
    room = sum(max(0, cap - x) for x in loads)
    if room < units:
        return None
    lo_level, hi_level = min(loads), cap
    while lo_level < hi_level:  # largest level whose fill needs at most ``units``
        mid = (lo_level + hi_level + 1) // 2
        need = sum(mid - x for x in loads if x < mid)
        if need <= units:
            lo_level = mid
        else:
            hi_level = mid - 1
    level = lo_level
    out = [max(x, level) for x in loads]
    left = units - sum(level - x for x in loads if x < level)
    for j in sorted(range(len(out)), key=lambda j: (loads[j], j)):
        if left == 0:
            break
        if out[j] == level and level < cap:
            out[j] += 1
            left -= 1
    return out if left == 0 else None


def _try_k(
    k_new: int,
    ip: dict[int, int],
    flex: int,
    locked: list[tuple[int, int | None]],
    lo: int,
    hi: int,
    counts: Mapping[int, int] | None = None,
) -> _SizePlan | None:
    """Sizes for ``k_new`` new collectives (plus the locked ones), or None if they cannot be.

    Each region's in-person members get collectives of their own: the fewest that hold them,
    then more while there are collectives left (or exactly ``counts[r]`` when given).
    """
    bases = [b for b, _ in locked]
    loads = [*bases, *([0] * k_new)]
    labels: list[int | None] = [lab for _, lab in locked] + [None] * k_new
    k = len(loads)
    free = [j for j in range(k) if labels[j] is None and loads[j] < hi]
    groups: dict[int, list[int]] = {}
    for r, need in sorted(ip.items(), key=lambda x: (-x[1], x[0])):
        rg = [j for j in range(k) if labels[j] == r and loads[j] < hi]
        while sum(hi - loads[j] for j in rg) < need or (counts is not None and len(rg) < counts[r]):
            if not free:
                return None
            j = free.pop(0)
            labels[j] = r
            rg.append(j)
        groups[r] = rg
    # Spread in-person members over as many collectives as there are people to share them:
    # each then mixes with flexible members from other districts.
    while free and counts is None:
        open_regions = [r for r in groups if len(groups[r]) < ip[r]]
        if not open_regions:
            break
        worst = max(
            open_regions,
            key=lambda r: ((sum(loads[j] for j in groups[r]) + ip[r]) / len(groups[r]), -r),
        )
        j = free.pop(0)
        labels[j] = worst
        groups[worst].append(j)
    alloc: list[dict[int, int]] = [{} for _ in range(k)]
    for r, rg in groups.items():
        filled = _water_fill([loads[j] for j in rg], ip[r], hi)
        if filled is None:
            return None
        for j, v in zip(rg, filled, strict=True):
            if v > loads[j]:
                alloc[j][r] = v - loads[j]
            loads[j] = v
    sizes = _water_fill(loads, flex, hi)
    if sizes is None:
        return None
    for j, s in enumerate(sizes):
        oversized_lock = j < len(bases) and bases[j] > hi and s == bases[j]
        if not oversized_lock and not lo <= s <= hi:
            return None
    return _SizePlan(sizes, alloc, k_new, {r: len(g) for r, g in groups.items()})


def _size_plan(
    ip: dict[int, int],
    flex: int,
    locked: list[tuple[int, int | None]],
    lo: int,
    hi: int,
    max_tries: int = 200,
) -> _SizePlan | None:
    """The fewest collectives with the most even sizes in [lo, hi] that respect the region rule."""
    ip = {r: c for r, c in ip.items() if c > 0}
    n_free = sum(ip.values()) + flex
    n = n_free + sum(b for b, _ in locked)
    if n == 0:
        return _SizePlan([], [])
    nl = len(locked)
    k_min = max(math.ceil(n / hi), nl, 1)
    k_max = max(k_min, n // lo)
    best: tuple[int, int, _SizePlan] | None = None
    for k in range(k_min, min(k_max, k_min + max_tries) + 1):
        k_new = k - nl
        if n_free == 0 and k_new > 0:
            break
        plan = _try_k(k_new, ip, flex, locked, lo, hi)
        if plan is None:
            continue
        regular = [s for j, s in enumerate(plan.sizes) if j >= nl or s <= hi]
        spread = max(regular) - min(regular) if regular else 0
        if spread <= 1:
            return plan
        if best is None or (spread, k) < best[:2]:
            best = (spread, k, plan)
    return best[2] if best else None


# --------------------------------------------------------------------------------------------
# step 4: local search


class _Search:
    """Swaps and moves between the collectives of one theme, scored incrementally."""

    def __init__(
        self,
        *,
        dist: IntArray,
        role: IntArray,
        ip: BoolArray,
        reg: IntArray,
        fixed: BoolArray,
        grp: IntArray,
        k: int,
        lo: int,
        hi: int,
        wd: int,
        wr: int,
        rng: np.random.Generator,
        deadline: float | None,
    ) -> None:
        self.dist, self.role, self.ip, self.reg, self.fixed = dist, role, ip, reg, fixed
        self.free = ~fixed
        self.grp = grp.copy()
        self.k, self.lo, self.hi, self.wd, self.wr = k, lo, hi, wd, wr
        self.rng = rng
        self.deadline = deadline
        self.n_dist = int(dist.max()) + 1 if dist.size else 1
        self.n_role = int(role.max()) + 1 if role.size else 1
        self.n_reg = int(reg.max()) + 1 if reg.size else 1
        self.any_ip = bool(ip.any())
        self.order = rng.permutation(len(dist)).astype(np.int64)
        self.tiebreak = rng.random(k)
        self.b2 = 2 * k + 3
        self.b3 = 4 * (wd + wr) + 3
        self.timed_out = False
        self._rebuild()
        self.b4 = 4 * max(hi, int(self.size.max(initial=0))) + 7

    def _rebuild(self) -> None:
        k = self.k
        self.cd = np.zeros((k, self.n_dist), dtype=np.int64)
        np.add.at(self.cd, (self.grp, self.dist), 1)
        self.cr = np.zeros((k, self.n_role), dtype=np.int64)
        np.add.at(self.cr, (self.grp, self.role), 1)
        self.cip = np.zeros((k, self.n_reg), dtype=np.int64)
        np.add.at(self.cip, (self.grp[self.ip], self.reg[self.ip]), 1)
        self.tip = self.cip.sum(axis=1)
        self.size = np.bincount(self.grp, minlength=k).astype(np.int64)
        self.score = (
            self.wd * (self.cd > 0).sum(axis=1) + self.wr * (self.cr > 0).sum(axis=1)
        ).astype(np.int64)

    def objective(self) -> tuple[int, int, int, int, int]:
        s = self.score
        m = int(s.min())
        pairs_d = int((self.cd * (self.cd - 1) // 2).sum()) if self.wd else 0
        pairs_r = int((self.cr * (self.cr - 1) // 2).sum()) if self.wr else 0
        return (m, int(s.sum()), -int((s == m).sum()), -pairs_d, -pairs_r)

    def _value(
        self,
        d1: IntArray,
        d2: IntArray,
        d3: IntArray,
        d4: IntArray,
        d5: IntArray,
    ) -> IntArray:
        v: IntArray = (((d1 * self.b3 + d3) * self.b2 + d2) * self.b4 + d4) * self.b4 + d5
        return v

    def _move(self, i: int, to: int) -> None:
        fr = int(self.grp[i])
        d, r = self.dist[i], self.role[i]
        self.cd[fr, d] -= 1
        self.cd[to, d] += 1
        self.cr[fr, r] -= 1
        self.cr[to, r] += 1
        if self.ip[i]:
            g = self.reg[i]
            self.cip[fr, g] -= 1
            self.cip[to, g] += 1
            self.tip[fr] -= 1
            self.tip[to] += 1
        self.size[fr] -= 1
        self.size[to] += 1
        self.grp[i] = to
        for g in (fr, to):
            self.score[g] = self.wd * int((self.cd[g] > 0).sum()) + self.wr * int(
                (self.cr[g] > 0).sum()
            )

    def _best(self, a_grp: int) -> tuple[int, int, int, int] | None:
        """The best improving (value, kind, i, j) involving collective ``a_grp``, or None."""
        k, s, cd, cr = self.k, self.score, self.cd, self.cr
        wd, wr = self.wd, self.wr
        cur_min = int(s.min())
        cur_cnt = int((s == cur_min).sum())
        others = s.copy()
        others[a_grp] = _INF
        m1 = int(others.min())
        at1 = others == m1
        c1 = int(at1.sum())
        rest = others[~at1]
        m2 = int(rest.min()) if rest.size else _INF
        c2 = int((others == m2).sum()) if rest.size else 0
        m_ex = np.full(k, m1, dtype=np.int64)
        c_ex = np.full(k, c1, dtype=np.int64)
        if c1 == 1:
            m_ex[at1] = m2
            c_ex[at1] = c2
        else:
            c_ex[at1] = c1 - 1

        def keys(
            s_a: IntArray, s_b: IntArray, mex: IntArray, cex: IntArray
        ) -> tuple[IntArray, IntArray]:
            nm = np.minimum(np.minimum(s_a, s_b), mex)
            nc = cex * (mex == nm) + (s_a == nm) + (s_b == nm)
            return nm - cur_min, cur_cnt - nc

        order = self.order
        in_a = self.grp[order] == a_grp
        ma = order[in_a & self.free[order]]
        mb = order[~in_a & self.free[order]]
        best: tuple[int, int, int, int] | None = None
        cdA, crA = cd[a_grp], cr[a_grp]
        sA = int(s[a_grp])
        size = self.size
        zero = np.zeros(1, dtype=np.int64)

        def consider(val: IntArray, kind: int, rows: IntArray, cols: IntArray) -> None:
            nonlocal best
            if val.size == 0:
                return
            flat = int(np.argmax(val))
            v = int(val.flat[flat])
            if v > 0 and (best is None or v > best[0]):
                r, c = np.unravel_index(flat, val.shape)
                best = (v, kind, int(rows[r]), int(cols[c]))

        if ma.size:
            da, ra = self.dist[ma], self.role[ma]
            ipa, rga = self.ip[ma], self.reg[ma]
            cA_da = cdA[da][:, None]
            cA_ra = crA[ra][:, None]
        # swaps a (in A) <-> b (elsewhere)
        if ma.size and mb.size:
            db, rb, gb = self.dist[mb], self.role[mb], self.grp[mb]
            nd = da[:, None] != db[None, :]
            nr = ra[:, None] != rb[None, :]
            cA_db = cdA[db][None, :]
            cA_rb = crA[rb][None, :]
            cB_db = cd[gb, db][None, :]
            cB_rb = cr[gb, rb][None, :]
            cB_da = cd[gb[None, :], da[:, None]]
            cB_ra = cr[gb[None, :], ra[:, None]]
            ds_a = wd * nd * ((cA_db == 0).astype(np.int64) - (cA_da == 1)) + wr * nr * (
                (cA_rb == 0).astype(np.int64) - (cA_ra == 1)
            )
            ds_b = wd * nd * ((cB_da == 0).astype(np.int64) - (cB_db == 1)) + wr * nr * (
                (cB_ra == 0).astype(np.int64) - (cB_rb == 1)
            )
            d1, d2 = keys(sA + ds_a, s[gb][None, :] + ds_b, m_ex[gb][None, :], c_ex[gb][None, :])
            d4 = -(nd * (cA_db - cA_da + cB_da - cB_db + 2)) if wd else zero
            d5 = -(nr * (cA_rb - cA_ra + cB_ra - cB_rb + 2)) if wr else zero
            val = self._value(d1, d2, ds_a + ds_b, d4, d5)
            if self.any_ip:
                ipb, rgb = self.ip[mb], self.reg[mb]
                t_a = (self.tip[a_grp] - ipa)[:, None]
                c_a = self.cip[a_grp][rgb][None, :] - (
                    ipa[:, None] & (rga[:, None] == rgb[None, :])
                )
                ok = ~ipb[None, :] | (t_a == 0) | (c_a == t_a)
                t_b = (self.tip[gb] - ipb)[None, :]
                c_b = self.cip[gb[None, :], rga[:, None]] - (
                    ipb[None, :] & (rgb[None, :] == rga[:, None])
                )
                ok &= ~ipa[:, None] | (t_b == 0) | (c_b == t_b)
                val = np.where(ok, val, -1)
            consider(val, 0, ma, mb)
        # moves a (in A) -> another collective g
        if ma.size and size[a_grp] - 1 >= self.lo:
            okg = (size + 1 <= self.hi) & (size[a_grp] >= size + 1)
            okg[a_grp] = False
            gs = np.flatnonzero(okg).astype(np.int64)
            if gs.size:
                cg_da = cd[gs[None, :], da[:, None]]
                cg_ra = cr[gs[None, :], ra[:, None]]
                ds_a = -(wd * (cA_da == 1).astype(np.int64) + wr * (cA_ra == 1))
                ds_g = wd * (cg_da == 0).astype(np.int64) + wr * (cg_ra == 0)
                d1, d2 = keys(
                    sA + ds_a, s[gs][None, :] + ds_g, m_ex[gs][None, :], c_ex[gs][None, :]
                )
                d4 = (cA_da - 1 - cg_da) if wd else zero
                d5 = (cA_ra - 1 - cg_ra) if wr else zero
                val = self._value(d1, d2, ds_a + ds_g, d4, d5)
                if self.any_ip:
                    tg = self.tip[gs][None, :]
                    ok = ~ipa[:, None] | (tg == 0) | (self.cip[gs[None, :], rga[:, None]] == tg)
                    val = np.where(ok, val, -1)
                consider(val, 1, ma, gs)
        # moves b (elsewhere) -> A
        if mb.size and size[a_grp] + 1 <= self.hi:
            gb_all = self.grp[mb]
            okb = (size[gb_all] - 1 >= self.lo) & (size[gb_all] >= size[a_grp] + 1)
            mbs = mb[okb]
            if mbs.size:
                db, rb, gb = self.dist[mbs], self.role[mbs], self.grp[mbs]
                cA_db1 = cdA[db]
                cA_rb1 = crA[rb]
                cB_db1 = cd[gb, db]
                cB_rb1 = cr[gb, rb]
                ds_a1 = wd * (cA_db1 == 0).astype(np.int64) + wr * (cA_rb1 == 0)
                ds_b1 = -(wd * (cB_db1 == 1).astype(np.int64) + wr * (cB_rb1 == 1))
                d1, d2 = keys(sA + ds_a1, s[gb] + ds_b1, m_ex[gb], c_ex[gb])
                d4 = -(cA_db1 - cB_db1 + 1) if wd else zero
                d5 = -(cA_rb1 - cB_rb1 + 1) if wr else zero
                val = self._value(d1, d2, ds_a1 + ds_b1, d4, d5)
                if self.any_ip:
                    ta = int(self.tip[a_grp])
                    ok1 = ~self.ip[mbs] | (ta == 0) | (self.cip[a_grp][self.reg[mbs]] == ta)
                    val = np.where(ok1, val, -1)
                consider(val[None, :], 2, np.array([a_grp], dtype=np.int64), mbs)
        return best

    def _apply(self, kind: int, i: int, j: int, a_grp: int) -> int:
        """Apply a move found by :meth:`_best`; return the other collective touched."""
        if kind == 0:
            other = int(self.grp[j])
            self._move(i, other)
            self._move(j, a_grp)
            return other
        if kind == 1:
            self._move(i, j)
            return j
        other = int(self.grp[j])
        self._move(j, a_grp)
        return other

    def _out_of_time(self) -> bool:
        if self.deadline is not None and time.perf_counter() > self.deadline:
            self.timed_out = True
        return self.timed_out

    def descend(
        self, max_passes: int, dirty: BoolArray | None = None, confirm: bool = True
    ) -> None:
        """Improve until no collective has an improving move (or the pass budget is spent).

        Only collectives marked ``dirty`` (all by default), and those changed since, are
        searched; with ``confirm`` a last pass over every collective makes sure none is left.
        """
        if self.k < 2:
            return
        dirty = np.ones(self.k, dtype=bool) if dirty is None else dirty.copy()
        clean_full_pass = False
        for _ in range(max_passes):
            if not dirty.any():
                if clean_full_pass or not confirm:
                    return
                dirty[:] = True
                clean_full_pass = True
            cand = np.flatnonzero(dirty)
            cand = cand[np.lexsort((self.tiebreak[cand], self.score[cand]))]
            dirty[cand] = False
            for a_grp in cand.tolist():
                if self._out_of_time():
                    return
                found = self._best(a_grp)
                if found is not None:
                    other = self._apply(found[1], found[2], found[3], a_grp)
                    dirty[a_grp] = dirty[other] = True
                    clean_full_pass = False

    def _kick(self, strength: int, touched: BoolArray) -> None:
        free = np.flatnonzero(self.free)
        if free.size < 2:
            return
        worst = np.flatnonzero(self.score == self.score.min())
        done = 0
        for _ in range(strength * 20):
            if done >= strength:
                break
            if done % 2 == 0 and worst.size:
                g = int(worst[self.rng.integers(worst.size)])
                pool = free[self.grp[free] == g]
                if pool.size == 0:
                    pool = free
                i = int(pool[self.rng.integers(pool.size)])
            else:
                i = int(free[self.rng.integers(free.size)])
            j = int(free[self.rng.integers(free.size)])
            gi, gj = int(self.grp[i]), int(self.grp[j])
            if gi == gj or not (self._fits(j, gi, i) and self._fits(i, gj, j)):
                continue
            self._move(i, gj)
            self._move(j, gi)
            touched[gi] = touched[gj] = True
            done += 1

    def _fits(self, i: int, g: int, leaving: int) -> bool:
        """Whether member ``i`` may join ``g`` once ``leaving`` has left it (region rule)."""
        if not self.ip[i]:
            return True
        counts = self.cip[g].copy()
        if self.ip[leaving]:
            counts[self.reg[leaving]] -= 1
        total = int(counts.sum())
        return total == 0 or int(counts[self.reg[i]]) == total

    def _relabel(self, touched: BoolArray) -> bool:
        """Empty one collective of its in-person members, moving them to the other collectives
        of their region (each swapped with a flexible member), so it can serve another region."""
        movable_ip = self.ip & self.free
        shared = [
            g
            for g in range(self.k)
            if self.tip[g] > 0
            and bool(movable_ip[self.grp == g].any())
            and int((self.cip[:, self.reg[movable_ip & (self.grp == g)][0]] > 0).sum()) > 1
        ]
        if not shared:
            return False
        g = shared[int(self.rng.integers(len(shared)))]
        moved = False
        for a in np.flatnonzero(movable_ip & (self.grp == g)).tolist():
            r = self.reg[a]
            others = [
                h
                for h in range(self.k)
                if h != g and self.cip[h, r] > 0 and self.cip[h, r] == self.tip[h]
            ]
            if not others:
                continue
            h = others[int(self.rng.integers(len(others)))]
            flex = np.flatnonzero((self.grp == h) & self.free & ~self.ip)
            if flex.size == 0:
                continue
            b = int(flex[self.rng.integers(flex.size)])
            self._move(a, h)
            self._move(b, g)
            touched[g] = touched[h] = True
            moved = True
        return moved

    def improve(self, max_passes: int, restarts: int) -> None:
        """Local descent, then ``restarts`` rounds of perturb-and-descend keeping the best.

        Perturbations alternate between random swaps (half of them in the worst collective) and
        emptying a collective of its in-person members so its region can change.
        """
        self.descend(max_passes)
        best_obj, best_grp = self.objective(), self.grp.copy()
        for round_ in range(restarts):
            if self._out_of_time():
                break
            touched = np.zeros(self.k, dtype=bool)
            if not (round_ % 2 == 1 and self.any_ip and self._relabel(touched)):
                self._kick(max(2, self.k // 2), touched)
            self.descend(max_passes, touched, confirm=False)
            obj = self.objective()
            if obj > best_obj:
                best_obj, best_grp = obj, self.grp.copy()
            else:
                self.grp = best_grp.copy()
                self._rebuild()
        if not np.array_equal(self.grp, best_grp):
            self.grp = best_grp
            self._rebuild()
        if restarts:
            self.descend(max_passes)


# --------------------------------------------------------------------------------------------
# one theme


@dataclass
class _PoolResult:
    groups: list[list[int]]  # global row indices per collective
    locked_ids: list[str | None]
    converted: list[int]
    relaxed_min: bool


def _construct(
    method: Method,
    plan: _SizePlan,
    bases: list[list[int]],
    ip_rows: list[int],
    flex_rows: list[int],
    ro: _Roster,
    wd: int,
    wr: int,
    rng: np.random.Generator,
) -> list[list[int]]:
    """Fill the planned seats: in-person seats per region first, then the flexible ones."""
    k = len(plan.sizes)
    groups = [list(b) for b in bases]
    flex_cap = [plan.sizes[j] - len(bases[j]) - sum(plan.alloc[j].values()) for j in range(k)]
    classes: list[tuple[list[int], list[int]]] = []
    by_region: dict[int, list[int]] = defaultdict(list)
    for i in ip_rows:
        by_region[int(ro.region[i])].append(i)
    for r in sorted(by_region):
        classes.append((by_region[r], [plan.alloc[j].get(r, 0) for j in range(k)]))
    classes.append((flex_rows, flex_cap))
    if method == "random":
        for rows, caps in classes:
            seats = [j for j in range(k) for _ in range(caps[j])]
            for i, j in zip(
                rng.permutation(np.array(rows, dtype=np.int64)).tolist(), seats, strict=True
            ):
                groups[j].append(int(i))
        return groups
    all_rows = [i for g in bases for i in g] + ip_rows + flex_rows
    n_d = int(ro.district.max()) + 1 if len(ro.district) else 1
    n_r = int(ro.role.max()) + 1 if len(ro.role) else 1
    cd = np.zeros((k, n_d), dtype=np.int64)
    cr = np.zeros((k, n_r), dtype=np.int64)
    filled = np.zeros(k, dtype=np.int64)
    for j, g in enumerate(bases):
        for i in g:
            cd[j, ro.district[i]] += 1
            cr[j, ro.role[i]] += 1
        filled[j] = len(g)
    d_count = Counter(int(ro.district[i]) for i in all_rows)
    r_count = Counter(int(ro.role[i]) for i in all_rows)
    big = (max(plan.sizes, default=1) + 2) ** 2
    for rows, caps in classes:
        cap = np.array(caps, dtype=np.int64)
        if method == "optimize":
            rows = sorted(
                rows,
                key=lambda i: (
                    -d_count[int(ro.district[i])],
                    ro.district[i],
                    r_count[int(ro.role[i])],
                    i,
                ),
            )
        for i in rows:
            d, r = int(ro.district[i]), int(ro.role[i])
            if method == "optimize":
                key = (wd * cd[:, d] * (big) + wr * cr[:, r]) * big + filled
            else:  # greedy: largest marginal gain in new districts and roles, then emptiest
                gain = wd * (cd[:, d] == 0) + wr * (cr[:, r] == 0)
                key = (4 - gain) * big + filled
            key = np.where(cap > 0, key, np.iinfo(np.int64).max)
            j = int(np.argmin(key))
            groups[j].append(i)
            cap[j] -= 1
            cd[j, d] += 1
            cr[j, r] += 1
            filled[j] += 1
    return groups


_SizeKey = tuple[tuple[tuple[int, int], ...], int, tuple[tuple[int, int | None], ...], int, int]
_Relaxed = tuple[_SizePlan, dict[int, int], bool]


def _relaxed_sizes(
    ip_count: Mapping[int, int],
    n_flex: int,
    specs: list[tuple[int, int | None]],
    lo: int,
    hi: int,
    cache: dict[_SizeKey, _Relaxed] | None = None,
) -> _Relaxed:
    """Sizes for one theme, relaxing first the region rule for the fewest, then the minimum.

    Returns the plan, how many in-person members of each region must join virtually, and
    whether the minimum size had to be relaxed. Depends on counts only, so it is memoized.
    """
    ip = {r: c for r, c in ip_count.items() if c > 0}
    key: _SizeKey = (tuple(sorted(ip.items())), n_flex, tuple(specs), lo, hi)
    if cache is not None and key in cache:
        return cache[key]
    out: _Relaxed | None = None
    plan = _size_plan(ip, n_flex, specs, lo, hi)
    if plan is not None:
        out = (plan, {}, False)
    elif ip:
        order = sorted(ip, key=lambda r: (ip[r], r))
        for c in range(1, min(max(ip.values()), 2 * hi) + 1):
            for r in order:
                if c <= ip[r]:
                    plan = _size_plan({**ip, r: ip[r] - c}, n_flex + c, specs, lo, hi)
                    if plan is not None:
                        out = (plan, {r: c}, False)
                        break
            if out is not None:
                break
        if out is None:  # whole regions join virtually, the smallest first
            moved: dict[int, int] = {}
            for r in order:
                moved[r] = ip[r]
                rest = {q: c for q, c in ip.items() if q not in moved}
                plan = _size_plan(rest, n_flex + sum(moved.values()), specs, lo, hi)
                if plan is not None:
                    out = (plan, dict(moved), False)
                    break
    if out is None:
        plan = _size_plan(ip, n_flex, specs, 1, hi)
        if plan is not None:
            out = (plan, {}, True)
        else:
            plan = _size_plan({}, n_flex + sum(ip.values()), specs, 1, hi)
            assert plan is not None  # min size 1, everyone flexible: always possible
            out = (plan, dict(ip), True)
    if cache is not None:
        cache[key] = out
    return out


def _violation_count(relaxed: _Relaxed, lo: int) -> int:
    """How badly a relaxed size plan breaks the rules.

    One per in-person member who joins virtually, two per member of an undersized collective
    (so an undersized collective is the last resort, after a fallback theme, which counts one).
    """
    plan, conv, relaxed_min = relaxed
    under = sum(s for s in plan.sizes if s < lo) if relaxed_min else 0
    return sum(conv.values()) + 2 * under


def _lock_region(members: list[int], ro: _Roster, region_rule: bool) -> int | None:
    """A locked collective's meeting region: most of its in-person members' (None if none)."""
    if not region_rule:
        return None
    regions = Counter(int(ro.region[i]) for i in members if ro.modality[i] == "in_person")
    if not regions:
        return None
    return min(regions, key=lambda r: (-regions[r], ro.region_names[r]))


def _specs(
    locked_groups: list[tuple[str, list[int]]], ro: _Roster, region_rule: bool
) -> list[tuple[int, int | None]]:
    """(size, meeting region) of each locked collective, as the size plan takes them."""
    return [(len(g), _lock_region(g, ro, region_rule)) for _, g in locked_groups]


@dataclass
class _PoolSizes:
    plan: _SizePlan
    converted: list[int]  # in-person members asked to join virtually
    relaxed_min: bool
    locked_rows: set[int]
    free: list[int]
    ip_free: list[int]


def _pool_sizes(
    rows: list[int],
    locked_groups: list[tuple[str, list[int]]],
    ro: _Roster,
    lo: int,
    hi: int,
    region_rule: bool,
) -> _PoolSizes:
    """The size plan of one theme and the in-person members who must join virtually."""
    locked_rows = {i for _, g in locked_groups for i in g}
    free = [i for i in rows if i not in locked_rows]
    ip_free = [i for i in free if region_rule and ro.modality[i] == "in_person"]
    ip_count = Counter(int(ro.region[i]) for i in ip_free)
    plan, conv, relaxed_min = _relaxed_sizes(
        ip_count, len(free) - len(ip_free), _specs(locked_groups, ro, region_rule), lo, hi
    )
    converted: list[int] = []
    for r, c in sorted(conv.items()):
        members = [i for i in ip_free if int(ro.region[i]) == r]
        dc = Counter(int(ro.district[i]) for i in members)
        members.sort(key=lambda i: (-dc[int(ro.district[i])], i))
        converted += members[:c]
    return _PoolSizes(plan, converted, relaxed_min, locked_rows, free, ip_free)


def _alternatives(
    plan: _SizePlan,
    ip_count: Mapping[int, int],
    n_flex: int,
    specs: list[tuple[int, int | None]],
    lo: int,
    hi: int,
) -> list[_SizePlan]:
    """Plans with the same collectives and sizes as even, but other collectives per region."""
    regions = sorted(r for r, c in ip_count.items() if c > 0)
    k = len(plan.sizes)
    if not regions or k < 2:
        return []
    spread = max(plan.sizes) - min(plan.sizes)
    ranges = [range(1, min(ip_count[r], k) + 1) for r in regions]
    if math.prod(len(x) for x in ranges) <= _ALLOC_CANDIDATES:
        combos = [dict(zip(regions, c, strict=True)) for c in itertools.product(*ranges)]
    else:  # one collective more for one region and/or one fewer for another
        combos = []
        for a in [None, *regions]:
            for b in [None, *regions]:
                if a != b:
                    c = dict(plan.counts)
                    if a is not None:
                        c[a] = c.get(a, 0) + 1
                    if b is not None:
                        c[b] = c.get(b, 0) - 1
                    combos.append(c)
    out = []
    for counts in combos:
        if counts == plan.counts or sum(counts.values()) > k or min(counts.values()) < 1:
            continue
        if any(counts[r] > ip_count[r] for r in regions):
            continue
        alt = _try_k(plan.k_new, dict(ip_count), n_flex, specs, lo, hi, counts)
        if alt is not None and max(alt.sizes) - min(alt.sizes) <= spread:
            out.append(alt)
        if len(out) >= _ALLOC_CANDIDATES:
            break
    return out


def _form_pool(
    rows: list[int],
    locked_groups: list[tuple[str, list[int]]],
    ro: _Roster,
    lo: int,
    hi: int,
    *,
    region_rule: bool,
    wd: int,
    wr: int,
    method: Method,
    rng: np.random.Generator,
    deadline: float | None,
) -> _PoolResult:
    sized = _pool_sizes(rows, locked_groups, ro, lo, hi, region_rule)
    plan, converted, relaxed_min = sized.plan, sized.converted, sized.relaxed_min
    locked_rows, free, ip_free = sized.locked_rows, sized.free, sized.ip_free
    conv = set(converted)
    ip_rows = [i for i in ip_free if i not in conv]
    flex_rows = [i for i in free if i not in ip_free or i in conv]

    def build(p: _SizePlan) -> list[list[int]]:
        bases = [list(g) for _, g in locked_groups]
        bases += [[] for _ in range(len(p.sizes) - len(locked_groups))]
        return _construct(method, p, bases, ip_rows, flex_rows, ro, wd, wr, rng)

    groups = build(plan)
    if method == "optimize" and (wd or wr) and len(groups) > 1 and free:
        candidates = [plan]
        if len(free) <= _ALLOC_MAX_MEMBERS and not relaxed_min:
            specs = _specs(locked_groups, ro, region_rule)
            ip_count = Counter(int(ro.region[i]) for i in ip_rows)
            candidates += _alternatives(plan, ip_count, len(flex_rows), specs, lo, hi)
        members = sorted(rows)
        idx = np.array(members, dtype=np.int64)
        dist_codes, _ = _codes([str(int(ro.district[i])) for i in members])
        role_codes, _ = _codes([str(int(ro.role[i])) for i in members])
        # in-person members who constrain a collective's region: free ones not asked to join
        # virtually, and locked ones of their locked collective's meeting region
        lock_region = {i: _lock_region(g, ro, region_rule) for _, g in locked_groups for i in g}
        ip_arr = np.array(
            [
                (i in ip_free and i not in conv)
                or (
                    i in lock_region
                    and region_rule
                    and ro.modality[i] == "in_person"
                    and lock_region[i] == int(ro.region[i])
                )
                for i in members
            ],
            dtype=bool,
        )
        fixed = np.array([i in locked_rows for i in members], dtype=bool)
        position = {i: p for p, i in enumerate(members)}
        best: _Search | None = None
        for cand in candidates:  # each region allocation gets a short search; the best goes on
            cand_groups = build(cand) if cand is not plan else groups
            grp = np.zeros(len(members), dtype=np.int64)
            for j, g in enumerate(cand_groups):
                for i in g:
                    grp[position[i]] = j
            search = _Search(
                dist=dist_codes,
                role=role_codes,
                ip=ip_arr,
                reg=ro.region[idx].astype(np.int64),
                fixed=fixed,
                grp=grp,
                k=len(cand_groups),
                lo=min(lo, min(len(g) for g in cand_groups)),
                hi=hi,
                wd=wd,
                wr=wr,
                rng=rng,
                deadline=deadline,
            )
            search.improve(max_passes=60, restarts=_SCREEN_RESTARTS if len(candidates) > 1 else 0)
            if best is None or search.objective() > best.objective():
                best = search
        assert best is not None
        best.improve(max_passes=60, restarts=_restarts(len(members)))
        groups = [[] for _ in range(best.k)]
        for i, g in zip(members, best.grp.tolist(), strict=True):
            groups[g].append(i)
    for g in groups:
        g.sort()
    ids: list[str | None] = [cid for cid, _ in locked_groups]
    ids += [None] * (len(groups) - len(locked_groups))
    return _PoolResult(groups, ids, converted, relaxed_min)


def _theme_search(
    ro: _Roster,
    themes: _Themes,
    locked_by_theme: Mapping[str, list[tuple[str, list[int]]]],
    lo: int,
    hi: int,
    *,
    region_rule: bool,
    use_second: bool,
    rng: np.random.Generator,
    deadline: float | None = None,
) -> None:
    """Choose each member's theme (own, second, most related) so that the fewest rules break.

    Objective: members outside the rules (joining virtually or in an undersized collective, see
    :func:`_violation_count`, plus members outside their themes), then the number of members
    not in their own theme. Simulated annealing over single changes on the themes involved in
    a violation and their neighbours, then a pass that sends home whoever need not be away.
    Runs only when the first placement breaks a rule; deterministic for a given ``rng``.
    """
    eff, placed = themes.effective, themes.placed_by
    n = len(eff)
    cache: dict[_SizeKey, _Relaxed] = {}
    locked_rows = {i for groups in locked_by_theme.values() for _, g in groups for i in g}
    specs = {t: _specs(g, ro, region_rule) for t, g in locked_by_theme.items()}

    def outside(i: int, t: str) -> int:
        return int(t != ro.theme[i] and not (use_second and t == ro.second[i]))

    n_reg = len(ro.region_names)
    # per theme: in-person members per region, then (last) the flexible members
    load: dict[str, list[int]] = defaultdict(lambda: [0] * (n_reg + 1))
    slot = [
        int(ro.region[i]) if region_rule and ro.modality[i] == "in_person" else n_reg
        for i in range(n)
    ]
    for i in range(n):
        if i not in locked_rows:
            load[eff[i]][slot[i]] += 1
    known: dict[tuple[str, tuple[int, ...]], int] = {}

    def cost(t: str) -> int:
        key = (t, tuple(load[t]))
        if key not in known:
            counts = load[t]
            ip_t = {r: c for r, c in enumerate(counts[:n_reg]) if c}
            relaxed = _relaxed_sizes(ip_t, counts[n_reg], specs.get(t, []), lo, hi, cache)
            known[key] = _violation_count(relaxed, lo)
        return known[key]

    costs: dict[str, int] = defaultdict(int)
    for t in sorted(set(eff)):
        costs[t] = cost(t)
    # the most related theme is a fallback only for members whose own theme is in trouble:
    # it breaks a rule, or it was dissolved because it is too small
    trouble = {t for t, c in costs.items() if c} | {
        ro.theme[i]
        for i in range(n)
        if ro.theme[i] and eff[i] != ro.theme[i] and i not in locked_rows
    }
    fallback = _fallbacks(ro)
    options: dict[int, list[str]] = {}
    for i in range(n):
        if i in locked_rows or not ro.theme[i]:
            continue
        opts = [ro.theme[i]]
        if use_second and ro.second[i]:
            opts.append(ro.second[i])
        extra = [eff[i]]
        if ro.theme[i] in trouble:
            extra.insert(0, fallback.get(ro.theme[i], ro.theme[i]))
        for t in extra:
            if t not in opts:
                opts.append(t)
        if len(opts) > 1:
            options[i] = opts
    for opts in options.values():
        for t in opts:
            if t not in costs:
                costs[t] = cost(t)
    off = [i for i in options if outside(i, eff[i])]
    if not any(costs.values()) and not off:
        return
    bad = {t for t, c in costs.items() if c} | {ro.theme[i] for i in off}

    def touching(themes_: set[str]) -> list[int]:
        return sorted(i for i, opts in options.items() if set(opts) & themes_)

    near = touching(bad)
    stages = [near]
    if len(near) <= _NEAR_LIMIT:  # then the neighbours' neighbours, when that stays small
        wider = touching(bad | {t for i in near for t in options[i]})
        if len(wider) <= 2 * _NEAR_LIMIT and wider != near:
            stages.append(wider)
    if not near:
        return
    weight = 2 * n + 1

    def move(i: int, dst: str) -> int:
        """Place member i in theme dst; return the change of the objective."""
        src = eff[i]
        load[src][slot[i]] -= 1
        load[dst][slot[i]] += 1
        eff[i] = dst
        new_src, new_dst = cost(src), cost(dst)
        delta = weight * (
            new_src - costs[src] + new_dst - costs[dst] + outside(i, dst) - outside(i, src)
        )
        costs[src], costs[dst] = new_src, new_dst
        return delta + int(dst != ro.theme[i]) - int(src != ro.theme[i])

    def broken() -> int:
        return sum(costs.values()) + sum(outside(i, eff[i]) for i in options)

    for movable in stages:  # the wider neighbourhood only if the near one leaves a break
        start = {i: eff[i] for i in movable}
        best, best_state = 0, dict(start)
        pool_themes = sorted({t for i in movable for t in options[i]})
        iterations = _sa_iterations(len(movable)) // _SA_RUNS
        base = weight * broken() + sum(int(eff[i] != ro.theme[i]) for i in options)
        for run in range(_SA_MAX_RUNS):  # independent runs from the same start; keep the best
            if run >= _SA_RUNS and (base + best) // weight == 0:
                break  # more runs only while a rule is still broken
            origin = start if run < _SA_RUNS else best_state  # later runs go on from the best
            for i in movable:
                if eff[i] != origin[i]:
                    move(i, origin[i])
            objective = 0 if run < _SA_RUNS else best
            draws = rng.random((iterations, 4)).tolist()  # at once: faster than one by one
            for it, (u_kind, u_pick, u_choice, u_accept) in enumerate(draws):
                if it % 1024 == 0 and deadline is not None and time.perf_counter() > deadline:
                    break
                temp = weight * (1.0 - it / iterations) + 0.05
                undo: list[tuple[int, str]] = []
                delta = 0
                if u_kind < 0.05:  # a whole theme at once: empty it, or bring its members home
                    t = pool_themes[int(u_pick * len(pool_themes))]
                    inside = [i for i in movable if eff[i] == t]
                    for i in inside or [i for i in movable if ro.theme[i] == t and eff[i] != t]:
                        choices = [u for u in options[i] if u != t] if inside else [t]
                        undo.append((i, eff[i]))
                        delta += move(i, choices[0] if u_choice < 0.7 else choices[-1])
                else:
                    i = movable[int(u_pick * len(movable))]
                    choices = [t for t in options[i] if t != eff[i]]
                    undo.append((i, eff[i]))
                    delta = move(i, choices[int(u_choice * len(choices))])
                if delta <= 0 or u_accept < math.exp(-delta / temp):
                    objective += delta
                    if objective < best:
                        best, best_state = objective, {j: eff[j] for j in movable}
                else:
                    for i, src in reversed(undo):
                        move(i, src)
        for i in movable:
            if eff[i] != best_state[i]:
                move(i, best_state[i])
        if broken() == 0:
            break
    movable = stages[-1]
    for i in movable:  # nobody away from their theme (or second theme) who need not be
        for t in options[i][: options[i].index(eff[i])]:
            src = eff[i]
            if move(i, t) <= 0:
                break
            move(i, src)
    for i in movable:
        placed[i] = (
            "theme"
            if eff[i] == ro.theme[i]
            else "fallback"
            if outside(i, eff[i])
            else "second_theme"
        )


def _theme_explanations(ro: _Roster, themes: _Themes, lo: int, hi: int) -> list[Explanation]:
    """One explanation per theme whose members were placed elsewhere."""
    eff, placed = themes.effective, themes.placed_by
    final = Counter(eff)
    away: dict[str, list[int]] = defaultdict(list)
    for i, how in enumerate(placed):
        if ro.theme[i] and how in ("second_theme", "fallback"):
            away[ro.theme[i]].append(i)
    out = []
    for h in sorted(away):
        rows = away[h]
        name = ro.theme_names.get(h, h)
        size = sum(1 for t in ro.theme if t == h)
        parts = "; ".join(
            f"{ro.who([i])} to their second theme '{ro.theme_names.get(eff[i], eff[i])}'"
            if placed[i] == "second_theme"
            else f"{ro.who([i])} to the most related theme '{ro.theme_names.get(eff[i], eff[i])}'"
            for i in rows
        )
        if final[h] == 0:
            rule = RULE_THEME_TOO_SMALL
            why = (
                f"has {size} participant{'s' if size != 1 else ''}, fewer than the minimum "
                f"collective size of {lo}"
                if size < lo
                else f"cannot form collectives of {lo} to {hi} that keep the region rule"
            )
            msg = f"Theme '{name}' {why}; moved {parts}."
        else:
            rule = (
                RULE_SECOND_THEME_REPAIR
                if all(placed[i] == "second_theme" for i in rows)
                else RULE_THEME
            )
            msg = (
                f"So that the collectives of theme '{name}' and its neighbours keep the size and "
                f"region rules, moved {parts}."
            )
        out.append(Explanation(rule, tuple(ro.ids[i] for i in rows), msg))
    return out


# --------------------------------------------------------------------------------------------
# the plan


def _meeting_region(
    members: list[int], ro: _Roster, away: set[int] | frozenset[int] = frozenset()
) -> str:
    """Where a collective meets: its in-person members' region, else its 'either' members'.

    Members in ``away`` (in-person members asked to join virtually) do not count.
    """
    return meeting_region(
        (ro.region_names[int(ro.region[i])], ro.modality[i]) for i in members if i not in away
    )


def meeting_region(places: Iterable[tuple[str, str]], current: str = "") -> str:
    """Where a collective meets, from its members' ``(region, modality)``.

    ``current`` is kept while a member who can meet in person is of that region; else the
    in-person members' most common region, else the 'either' members' ('' = it meets
    virtually; ties go to the first name in alphabetical order).
    """
    people = list(places)
    if current and any(r == current and m != "virtual" for r, m in people):
        return current
    for kind in ("in_person", "either"):
        regions: Counter[str] = Counter(r for r, m in people if m == kind)
        if regions:
            return min(regions, key=lambda r: (-regions[r], r))
    return ""


def allowed_themes(
    theme: str, second_theme: str = "", *, use_second_theme: bool = True
) -> set[str]:
    """The theme slugs a participant may be placed in: their theme, and their second theme
    when second themes are used."""
    first, second = slug(theme), slug(second_theme)
    return {first} | ({second} if use_second_theme and second else set())


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
            by_theme[t],
            lg,
            ro,
            min_size,
            max_size,
            region_rule=region_for_in_person,
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
    plan = plan_collectives(
        participants,
        max_size,
        min_size,
        use_second_theme=use_second_theme,
        mix_roles=mix_roles,
        mix_districts=mix_districts,
        region_for_in_person=region_for_in_person,
        locked=locked,
        seed=seed,
        time_limit=time_limit,
    )
    df = plan.assignments
    df.attrs["explanations"] = plan.explanations
    df.attrs["violations"] = plan.violations
    return df


def check_plan(
    participants: pd.DataFrame,
    assignments: pd.DataFrame,
    max_size: int = 10,
    min_size: int = 4,
    *,
    use_second_theme: bool = True,
    region_for_in_person: bool = True,
    locked: Mapping[str, Sequence[str]] | None = None,
) -> list[Violation]:
    """Every hard constraint that ``assignments`` (participant_id, collective, theme) breaks."""
    out: list[Violation] = []
    ids = [_text(v) for v in participants["participant_id"].tolist()]
    a_ids = [_text(v) for v in assignments["participant_id"].tolist()]
    a_col = [_text(v) for v in assignments["collective"].tolist()]
    count = Counter(a_ids)
    missing = [p for p in ids if count[p] == 0]
    twice = sorted(p for p, c in count.items() if c > 1)
    unknown = sorted(set(a_ids) - set(ids))
    unplaced = [p for p, c in zip(a_ids, a_col, strict=True) if not c]
    for what, pids in (
        ("not placed", missing + unplaced),
        ("placed more than once", twice),
        ("not in the roster", unknown),
    ):
        if pids:
            out.append(
                Violation(
                    RULE_PLACEMENT,
                    None,
                    tuple(pids),
                    f"{len(pids)} participant(s) {what}: {', '.join(pids[:12])}",
                )
            )
    col_of = dict(zip(a_ids, a_col, strict=True))
    members: dict[str, list[str]] = defaultdict(list)
    for p, c in zip(a_ids, a_col, strict=True):
        if c:
            members[c].append(p)
    for c, pids in sorted(members.items()):
        if not min_size <= len(pids) <= max_size:
            out.append(
                Violation(
                    RULE_MIN_SIZE if len(pids) < min_size else RULE_MAX_SIZE,
                    c,
                    tuple(pids),
                    f"Collective {c} has {len(pids)} members (allowed: {min_size} to {max_size})",
                )
            )
    info = {
        p: (_text(r), _text(m), slug(_text(t)), slug(_text(s)))
        for p, r, m, t, s in zip(
            ids,
            participants["region"].tolist(),
            participants["modality"].tolist(),
            participants["theme"].tolist(),
            participants["second_theme"].tolist()
            if "second_theme" in participants
            else [""] * len(ids),
            strict=True,
        )
    }
    if region_for_in_person:
        for c, pids in sorted(members.items()):
            regions: dict[str, list[str]] = defaultdict(list)
            for p in pids:
                if (
                    p in info
                    and normalize_choice("modality", info[p][1] or "either") == "in_person"
                ):
                    regions[info[p][0]].append(p)
            if len(regions) > 1:
                listing = "; ".join(
                    f"{r or '(no region)'}: {', '.join(v)}" for r, v in sorted(regions.items())
                )
                out.append(
                    Violation(
                        RULE_IN_PERSON_REGION,
                        c,
                        tuple(p for v in regions.values() for p in v),
                        f"Collective {c} has in-person members from several regions ({listing})",
                    )
                )
    locked_ids = {_text(p) for ms in (locked or {}).values() for p in ms}
    theme_col = assignments["theme"].tolist() if "theme" in assignments else None
    if theme_col is not None:
        col_theme: dict[str, set[str]] = defaultdict(set)
        for c, t in zip(a_col, theme_col, strict=True):
            col_theme[c].add(slug(_text(t)))
        bad = []
        for p in ids:
            c = col_of.get(p, "")
            if not c or p in locked_ids or not info[p][2]:
                continue
            allowed = allowed_themes(info[p][2], info[p][3], use_second_theme=use_second_theme)
            if not col_theme[c] & allowed:
                bad.append(p)
        if bad:
            out.append(
                Violation(
                    RULE_THEME,
                    None,
                    tuple(bad),
                    f"{len(bad)} participant(s) in a collective of neither their theme nor their "
                    f"second theme: {', '.join(bad[:12])}",
                )
            )
        mixed = sorted(c for c, ts in col_theme.items() if len(ts) > 1)
        if mixed:
            out.append(
                Violation(
                    RULE_THEME, None, (), f"Collective(s) with several themes: {', '.join(mixed)}"
                )
            )
    return out
