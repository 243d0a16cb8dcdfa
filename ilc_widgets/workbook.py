"""What the workbooks call: start a session, then show each section's widget.

Workbooks stay thin: a parameters cell, ``ctx = workbook.start(database, collective,
preload=[...])`` and one ``workbook.section(ctx, name)`` per section. Sections are a
registry (name -> :class:`Section`: ``module:callable`` and the roles that may see it),
imported on first use; every callable takes the session context and returns a widget.

The role gate lives here and nowhere else: :func:`section` decides, once per section,
whether the session's role may see it. A session that may not see the network gets the
"this link is not valid" view; the intake link gets the intake form and, on any other
page, a short note that says what the link is for; a participant gets a short note in
place of a facilitator tool, which on 01 and 02 says what happened there for their own
collective (its theme; its name and members). Only that note reads from the network, and
only the collective's own data.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import ipywidgets as W

from ._kernel_safety import install as install_kernel_safety
from .session import SessionContext, get_context, has_front_end
from .widgets._base import esc, style
from .widgets._kit.loop import current_kernel
from .widgets._static import StaticView
from .widgets.home import DeniedView, IntakeOnlyView, RestrictedView

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

#: Every role a valid session can have (``denied`` sees nothing and is not listed).
ROLES: tuple[str, ...] = ("participant", "facilitator", "intake", "researcher")
#: A collective's own pages: its members, the facilitators and researchers.
COLLECTIVE_PAGES = frozenset({"participant", "facilitator", "researcher"})
#: Facilitator tools: the whole roster, themes, forming collectives, the network report.
FACILITATOR_TOOLS = frozenset({"facilitator", "researcher"})
#: The intake form: the intake link, and facilitators adding someone by hand.
INTAKE_FORM = frozenset({"intake", "facilitator", "researcher"})


@dataclass(frozen=True)
class Section:
    """A workbook section: the callable that builds it and the roles that may see it."""

    target: str
    roles: frozenset[str]

    def __post_init__(self) -> None:
        if ":" not in self.target:
            raise ValueError(f"section target must be 'module:callable', not {self.target!r}")
        unknown = set(self.roles) - set(ROLES)
        if unknown:
            raise ValueError(f"unknown roles {sorted(unknown)}; known: {list(ROLES)}")


SECTIONS: dict[str, Section] = {
    "home": Section("ilc_widgets.widgets.home:HomePage", COLLECTIVE_PAGES),
    # 01 gather and identify themes
    "intake_form": Section("ilc_widgets.widgets.intake:IntakeForm", INTAKE_FORM),
    "roster_import": Section("ilc_widgets.widgets.intake:RosterImport", FACILITATOR_TOOLS),
    "theme_board": Section("ilc_widgets.widgets.theme_board:ThemeBoard", FACILITATOR_TOOLS),
    # 02 form collectives
    "collective_board": Section(
        "ilc_widgets.widgets.collective_board:CollectiveBoard", FACILITATOR_TOOLS
    ),
    # 03 design inquiry
    "placemat": Section("ilc_widgets.widgets.placemat:PlacematBuilder", COLLECTIVE_PAGES),
    # 04 implement and collect evidence
    "evidence_logger": Section("ilc_widgets.widgets.evidence:EvidenceLogger", COLLECTIVE_PAGES),
    "coverage": Section("ilc_widgets.widgets.evidence:CoverageTracker", COLLECTIVE_PAGES),
    "implementation_log": Section(
        "ilc_widgets.widgets.evidence:ImplementationLog", COLLECTIVE_PAGES
    ),
    # 05 review progress
    "progress_dashboard": Section("ilc_widgets.widgets.review:ProgressDashboard", COLLECTIVE_PAGES),
    "effect_size": Section("ilc_widgets.widgets.review:EffectSizeCalculator", COLLECTIVE_PAGES),
    "pulse_survey": Section("ilc_widgets.widgets.review:PulseSurvey", COLLECTIVE_PAGES),
    "pulse_results": Section("ilc_widgets.widgets.review:PulseResults", COLLECTIVE_PAGES),
    "reflection": Section("ilc_widgets.widgets.review:ReflectionProtocol", COLLECTIVE_PAGES),
    # 06 share knowledge across groups: every collective's privacy-protected share-out is
    # shown to every collective (that is the point of the phase); the report is a tool.
    "gallery": Section("ilc_widgets.widgets.share:Gallery", COLLECTIVE_PAGES),
    "across_collectives": Section("ilc_widgets.widgets.share:AcrossCollectives", COLLECTIVE_PAGES),
    "network_report": Section("ilc_widgets.widgets.share:NetworkReport", FACILITATOR_TOOLS),
}


def register(name: str, target: str, roles: Iterable[str] = COLLECTIVE_PAGES) -> None:
    """Add or replace a section (``target`` is ``"package.module:callable"``)."""
    SECTIONS[name] = Section(target, frozenset(roles))


def _resolve(name: str) -> Callable[..., W.Widget]:
    entry = section_entry(name)
    module, _, attr = entry.target.partition(":")
    built: Callable[..., W.Widget] = getattr(importlib.import_module(module), attr)
    return built


def section_entry(name: str) -> Section:
    """The registry entry of a section (a clear error for an unknown name)."""
    try:
        return SECTIONS[name]
    except KeyError:
        raise KeyError(f"unknown workbook section {name!r}; known: {sorted(SECTIONS)}") from None


def may_see(role: str, name: str) -> bool:
    """True when a session of ``role`` may see section ``name`` (the role gate's rule)."""
    return role in section_entry(name).roles


def start(
    database: str | None = None,
    collective: str | None = None,
    *,
    preload: Iterable[str] = (),
    write: bool = False,
) -> SessionContext:
    """The session of this workbook.

    ``preload`` names the sections the workbook shows: their modules are imported before
    the session is resolved, which under a preheated Voilà kernel happens before anyone
    opens the page (the session itself waits for the request's query string). A
    researcher's session (JupyterLab, papermill) is read-only unless ``write=True``; the
    cell that starts it says which.
    """
    install_kernel_safety()  # errors are logged on the server, never sent to the page
    for name in preload:
        _resolve(name)
    ctx = get_context(database, collective=collective, write=write)
    if ctx.role == "researcher" and current_kernel() is not None:
        _show_researcher_banner(ctx)
    return ctx


def researcher_banner(ctx: SessionContext) -> str:
    """One line for the researcher: which network, which scope, read-only or writing."""
    net = ctx.require_network()
    scope = f"collective {ctx.collective.name}" if ctx.collective else "the whole network"
    if ctx.read_only:
        mode = (
            "<b>read-only</b>: you see the live data, and nothing you change here is saved "
            "(start with <code>write=True</code> to change the live network)"
        )
    else:
        mode = "<b>writing to the live network</b>: what you change here is saved for everyone"
    return (
        f"<div class='ilc-researcher-banner' role='status'>Researcher session on "
        f"{esc(net.info['name'])}, {esc(scope)}: {mode}.</div>"
    )


def _show_researcher_banner(ctx: SessionContext) -> None:
    from IPython.display import HTML, display

    display(HTML(researcher_banner(ctx)))  # type: ignore[no-untyped-call]


def section(ctx: SessionContext, name: str, **kwargs: Any) -> W.Widget | StaticView:
    """The widget of one workbook section for this session, behind the role gate.

    In a kernel that no browser watches (papermill, nbconvert) the section is shown as
    static output instead (:class:`~ilc_widgets.widgets._static.StaticView`; its
    ``widget`` is the section's widget).
    """
    built = _gated(ctx, name, **kwargs)
    if current_kernel() is not None and not has_front_end():
        return StaticView(built)
    return built


def _gated(ctx: SessionContext, name: str, **kwargs: Any) -> W.Widget:
    entry = section_entry(name)
    if not ctx.allowed:
        # one "not valid" message per page, however many sections the workbook has
        return _once(ctx, DeniedView)
    if ctx.role not in entry.roles:
        if ctx.role == "intake":
            if ctx.sections_shown:
                return empty()  # the intake form is on this page already
            return _once(ctx, lambda: IntakeOnlyView(ctx))
        return _once(ctx, lambda: RestrictedView(ctx, name))
    ctx.sections_shown += 1
    return _resolve(name)(ctx, **kwargs)


def _once(ctx: SessionContext, build: Callable[[], W.Widget]) -> W.Widget:
    """The page's one note (not valid, intake only, facilitators only); nothing after it."""
    if ctx.denied_shown:
        return empty()
    ctx.denied_shown = True
    return build()


def home(ctx: SessionContext) -> W.Widget | StaticView:
    """The landing page of ``00_home.ipynb``."""
    return section(ctx, "home")


def empty() -> W.Widget:
    """Nothing (used where a section does not apply to the current role)."""
    return W.VBox([style()])
