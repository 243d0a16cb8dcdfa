"""One theme's collectives: construction (step 3), then the local search."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ._roster import _codes, _Roster
from ._search import _ALLOC_MAX_MEMBERS, _SCREEN_RESTARTS, _restarts, _Search
from ._sizes import (
    _alternatives,
    _lock_region,
    _Pool,
    _pool_sizes,
    _Seats,
    _SizePlan,
    _specs,
)

if TYPE_CHECKING:
    from .rules import Method


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


def _form_pool(
    pool: _Pool,
    *,
    wd: int,
    wr: int,
    method: Method,
    rng: np.random.Generator,
    deadline: float | None,
) -> _PoolResult:
    """The collectives of one theme: sizes, construction, then the local search."""
    rows, locked_groups, ro, lo, hi = pool.rows, pool.locked_groups, pool.ro, pool.lo, pool.hi
    region_rule = pool.region_rule
    sized = _pool_sizes(pool)
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
            seats = _Seats(ip_count, len(flex_rows), specs, lo, hi)
            candidates += _alternatives(plan, seats)
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
