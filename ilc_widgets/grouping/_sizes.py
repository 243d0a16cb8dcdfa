"""Step 2: how many collectives a theme forms and how large, under the region rule."""

from __future__ import annotations

import itertools
import math
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from ._search import _ALLOC_CANDIDATES

if TYPE_CHECKING:
    from collections.abc import Mapping

    from ._roster import _Roster


@dataclass
class _SizePlan:
    sizes: list[int]
    alloc: list[dict[int, int]]  # in-person seats per region (free members only)
    k_new: int = 0
    counts: dict[int, int] = field(default_factory=dict)  # collectives per region


@dataclass(frozen=True)
class _Seats:
    """Whom one theme's collectives must seat, and how large they may be.

    ``ip``: in-person members per region (who need collectives of their region), ``flex``:
    members who may sit anywhere, ``locked``: (size, meeting region) of each locked
    collective, ``lo``/``hi``: the size bounds.
    """

    ip: Mapping[int, int]
    flex: int
    locked: list[tuple[int, int | None]]
    lo: int
    hi: int


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


def _try_k(k_new: int, seats: _Seats, counts: Mapping[int, int] | None = None) -> _SizePlan | None:
    """Sizes for ``k_new`` new collectives (plus the locked ones), or None if they cannot be.

    Each region's in-person members get collectives of their own: the fewest that hold them,
    then more while there are collectives left (or exactly ``counts[r]`` when given).
    """
    ip, flex, locked, lo, hi = seats.ip, seats.flex, seats.locked, seats.lo, seats.hi
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


def _size_plan(seats: _Seats, max_tries: int = 200) -> _SizePlan | None:
    """The fewest collectives with the most even sizes in [lo, hi] that respect the region rule."""
    seats = replace(seats, ip={r: c for r, c in seats.ip.items() if c > 0})
    ip, flex, locked, lo, hi = seats.ip, seats.flex, seats.locked, seats.lo, seats.hi
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
        plan = _try_k(k_new, seats)
        if plan is None:
            continue
        regular = [s for j, s in enumerate(plan.sizes) if j >= nl or s <= hi]
        spread = max(regular) - min(regular) if regular else 0
        if spread <= 1:
            return plan
        if best is None or (spread, k) < best[:2]:
            best = (spread, k, plan)
    return best[2] if best else None


_SizeKey = tuple[tuple[tuple[int, int], ...], int, tuple[tuple[int, int | None], ...], int, int]
_Relaxed = tuple[_SizePlan, dict[int, int], bool]


def _relaxed_sizes(seats: _Seats, cache: dict[_SizeKey, _Relaxed] | None = None) -> _Relaxed:
    """Sizes for one theme, relaxing first the region rule for the fewest, then the minimum.

    Returns the plan, how many in-person members of each region must join virtually, and
    whether the minimum size had to be relaxed. Depends on counts only, so it is memoized.
    """
    ip = {r: c for r, c in seats.ip.items() if c > 0}
    n_flex = seats.flex
    key: _SizeKey = (tuple(sorted(ip.items())), n_flex, tuple(seats.locked), seats.lo, seats.hi)
    if cache is not None and key in cache:
        return cache[key]
    out: _Relaxed | None = None
    plan = _size_plan(replace(seats, ip=ip))
    if plan is not None:
        out = (plan, {}, False)
    elif ip:
        order = sorted(ip, key=lambda r: (ip[r], r))
        for c in range(1, min(max(ip.values()), 2 * seats.hi) + 1):
            for r in order:
                if c <= ip[r]:
                    plan = _size_plan(replace(seats, ip={**ip, r: ip[r] - c}, flex=n_flex + c))
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
                plan = _size_plan(replace(seats, ip=rest, flex=n_flex + sum(moved.values())))
                if plan is not None:
                    out = (plan, dict(moved), False)
                    break
    if out is None:
        plan = _size_plan(replace(seats, ip=ip, lo=1))
        if plan is not None:
            out = (plan, {}, True)
        else:
            plan = _size_plan(replace(seats, ip={}, flex=n_flex + sum(ip.values()), lo=1))
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


@dataclass(frozen=True)
class _Pool:
    """One theme's members (rows of the roster) and its locked collectives, under the size
    bounds ``lo``/``hi`` and, when ``region_rule``, the region rule."""

    rows: list[int]
    locked_groups: list[tuple[str, list[int]]]
    ro: _Roster
    lo: int
    hi: int
    region_rule: bool


def _pool_sizes(pool: _Pool) -> _PoolSizes:
    """The size plan of one theme and the in-person members who must join virtually."""
    rows, locked_groups, ro, region_rule = pool.rows, pool.locked_groups, pool.ro, pool.region_rule
    locked_rows = {i for _, g in locked_groups for i in g}
    free = [i for i in rows if i not in locked_rows]
    ip_free = [i for i in free if region_rule and ro.modality[i] == "in_person"]
    ip_count = Counter(int(ro.region[i]) for i in ip_free)
    specs = _specs(locked_groups, ro, region_rule)
    seats = _Seats(ip_count, len(free) - len(ip_free), specs, pool.lo, pool.hi)
    plan, conv, relaxed_min = _relaxed_sizes(seats)
    converted: list[int] = []
    for r, c in sorted(conv.items()):
        members = [i for i in ip_free if int(ro.region[i]) == r]
        dc = Counter(int(ro.district[i]) for i in members)
        members.sort(key=lambda i: (-dc[int(ro.district[i])], i))
        converted += members[:c]
    return _PoolSizes(plan, converted, relaxed_min, locked_rows, free, ip_free)


def _alternatives(plan: _SizePlan, seats: _Seats) -> list[_SizePlan]:
    """Plans with the same collectives and sizes as even, but other collectives per region."""
    ip_count = seats.ip
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
        alt = _try_k(plan.k_new, seats, counts)
        if alt is not None and max(alt.sizes) - min(alt.sizes) <= spread:
            out.append(alt)
        if len(out) >= _ALLOC_CANDIDATES:
            break
    return out
