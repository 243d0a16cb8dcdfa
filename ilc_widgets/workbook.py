"""What the workbooks call: start a session, then show each section's widget.

Workbooks stay thin: a parameters cell, ``ctx = workbook.start(database, collective,
preload=[...])`` and one ``workbook.section(ctx, name)`` per section. Sections are a
registry (name -> ``module:callable``), imported on first use; every callable takes the
session context and returns a widget. A session that may not see the network gets the
"this link is not valid" view and nothing else.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

import ipywidgets as W

from .session import SessionContext, get_context
from .widgets._base import style
from .widgets.home import DeniedView

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

SECTIONS: dict[str, str] = {
    "home": "ilc_widgets.widgets.home:HomePage",
    # 01 gather and identify themes
    "intake_form": "ilc_widgets.widgets.intake:IntakeForm",
    "roster_import": "ilc_widgets.widgets.intake:RosterImport",
    "theme_board": "ilc_widgets.widgets.theme_board:ThemeBoard",
    # 02 form collectives
    "collective_board": "ilc_widgets.widgets.collective_board:CollectiveBoard",
    # 03 design inquiry
    "placemat": "ilc_widgets.widgets.placemat:PlacematBuilder",
    # 04 implement and collect evidence
    "evidence_logger": "ilc_widgets.widgets.evidence:EvidenceLogger",
    "coverage": "ilc_widgets.widgets.evidence:CoverageTracker",
    "implementation_log": "ilc_widgets.widgets.evidence:ImplementationLog",
    # 05 review progress
    "progress_dashboard": "ilc_widgets.widgets.dashboard:ProgressDashboard",
    "effect_size": "ilc_widgets.widgets.dashboard:EffectSizeCalculator",
    "pulse_survey": "ilc_widgets.widgets.pulse:PulseSurvey",
    "pulse_results": "ilc_widgets.widgets.pulse:PulseResults",
    "reflection": "ilc_widgets.widgets.reflection:ReflectionProtocol",
    # 06 share knowledge across groups
    "gallery": "ilc_widgets.widgets.gallery:Gallery",
    "across_collectives": "ilc_widgets.widgets.gallery:AcrossCollectives",
    "network_report": "ilc_widgets.widgets.gallery:NetworkReport",
}


def register(name: str, target: str) -> None:
    """Add or replace a section (``target`` is ``"package.module:callable"``)."""
    if ":" not in target:
        raise ValueError(f"section target must be 'module:callable', not {target!r}")
    SECTIONS[name] = target


def _resolve(name: str) -> Callable[..., W.Widget]:
    try:
        target = SECTIONS[name]
    except KeyError:
        raise KeyError(f"unknown workbook section {name!r}; known: {sorted(SECTIONS)}") from None
    module, _, attr = target.partition(":")
    built: Callable[..., W.Widget] = getattr(importlib.import_module(module), attr)
    return built


def start(
    database: str | None = None,
    collective: str | None = None,
    *,
    preload: Iterable[str] = (),
) -> SessionContext:
    """The session of this workbook.

    ``preload`` names the sections the workbook shows: their modules are imported before
    the session is resolved, which under a preheated Voilà kernel happens before anyone
    opens the page (the session itself waits for the request's query string).
    """
    for name in preload:
        _resolve(name)
    return get_context(database, collective=collective)


def section(ctx: SessionContext, name: str, **kwargs: Any) -> W.Widget:
    """The widget of one workbook section for this session."""
    if not ctx.allowed:
        # one "not valid" message per page, however many sections the workbook has
        if ctx.denied_shown:
            return empty()
        ctx.denied_shown = True
        return DeniedView()
    return _resolve(name)(ctx, **kwargs)


def home(ctx: SessionContext) -> W.Widget:
    """The landing page of ``00_home.ipynb``."""
    return section(ctx, "home")


def empty() -> W.Widget:
    """Nothing (used where a section does not apply to the current role)."""
    return W.VBox([style()])
