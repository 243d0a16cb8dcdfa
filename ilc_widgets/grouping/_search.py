"""Step 4: the local search that mixes districts and roles within one theme."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from .rules import BoolArray, IntArray

# Search budgets. They are counts, not seconds, so that a plan is reproducible.
_SA_RUNS = 3  # independent annealing runs of the theme search
_SA_MAX_RUNS = 8  # ... and up to this many while a rule is still broken
_ALLOC_MAX_MEMBERS = 80  # themes up to this size try other collectives-per-region allocations
_ALLOC_CANDIDATES = 12  # at most this many allocations are screened
_SCREEN_RESTARTS = 3  # perturbation rounds per screened allocation
_NEAR_LIMIT = 200  # members the theme search may move beyond those touching a violation
_INF = 10**9


def _sa_iterations(movable: int) -> int:
    """Annealing steps of the theme search (over all runs)."""
    return min(60000, 20000 + 2000 * movable)


def _restarts(members: int) -> int:
    """Perturbation rounds of the local search for a theme of this many members."""
    return 0 if members > 1200 else min(20, max(2, 3000 // max(members, 1)))


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
