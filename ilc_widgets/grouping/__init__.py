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

Modules: :mod:`.rules` (rule names, the plan's records, meeting regions, allowed themes),
:mod:`.plan` (the public functions), :mod:`.check` (:func:`check_plan`), and the steps of the
method: ``_roster`` (input), ``_theme_choice`` (1), ``_sizes`` (2), ``_pool`` (3, and the
search of one theme) and ``_search`` (4).
"""

from __future__ import annotations

from .check import check_plan
from .plan import form_collectives, plan_collectives
from .rules import (
    BLOCK_SIZE,
    REQUIRED_COLUMNS,
    RULES,
    Explanation,
    GroupingPlan,
    Violation,
    allowed_themes,
    meeting_region,
)
from .rules import (  # the rule names, importable from here as before
    RULE_IN_PERSON_REGION as RULE_IN_PERSON_REGION,
)
from .rules import (
    RULE_LOCKED as RULE_LOCKED,
)
from .rules import (
    RULE_MAX_SIZE as RULE_MAX_SIZE,
)
from .rules import (
    RULE_MIN_SIZE as RULE_MIN_SIZE,
)
from .rules import (
    RULE_NO_THEME as RULE_NO_THEME,
)
from .rules import (
    RULE_PLACEMENT as RULE_PLACEMENT,
)
from .rules import (
    RULE_SECOND_THEME_REPAIR as RULE_SECOND_THEME_REPAIR,
)
from .rules import (
    RULE_THEME as RULE_THEME,
)
from .rules import (
    RULE_THEME_TOO_SMALL as RULE_THEME_TOO_SMALL,
)

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
