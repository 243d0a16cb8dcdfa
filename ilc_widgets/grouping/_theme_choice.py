"""Step 1: each member's theme (own, second or most related), searched when a rule breaks."""

from __future__ import annotations

import math
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ._search import _NEAR_LIMIT, _SA_MAX_RUNS, _SA_RUNS, _sa_iterations
from ._sizes import _Relaxed, _relaxed_sizes, _Seats, _SizeKey, _specs, _violation_count
from .rules import (
    _UNTHEMED,
    RULE_NO_THEME,
    RULE_SECOND_THEME_REPAIR,
    RULE_THEME,
    RULE_THEME_TOO_SMALL,
    Explanation,
)

if TYPE_CHECKING:
    from collections.abc import Mapping

    import numpy as np

    from ._roster import _Roster


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
            seats = _Seats(ip_t, counts[n_reg], specs.get(t, []), lo, hi)
            relaxed = _relaxed_sizes(seats, cache)
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
