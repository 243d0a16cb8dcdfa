"""The home page of a collective (or of the facilitator): who is here and where to go next."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import ipywidgets as W
import traitlets as T

from ...access import HOME_NOTEBOOK, access_query
from ...errors import AccessDenied
from ...session import DENIED_MESSAGE
from ...vocab import label
from .._base import esc, html_table, style
from .._kit.styles import stylesheet
from . import state
from . import styles as _styles  # noqa: F401  (registers the home stylesheet)
from .today import TodayControl, steps_html, today_card_html

if TYPE_CHECKING:
    from ...session import SessionContext


def _modality(value: str) -> str:
    return "Hybrid" if value == "hybrid" else label("modality", value)


def collective_link(secret: str, code: str, notebook: str = HOME_NOTEBOOK) -> str:
    """A relative link to a collective's page, carrying that collective's key."""
    return f"./{notebook}?{access_query(secret, collective=code)}"


def phase_links(ctx: SessionContext) -> str:
    """HTML links to the six phase workbooks, keeping the session's access."""
    return steps_html(ctx, state.workbook_steps(participant=False))


def _chooser(ctx: SessionContext) -> str:
    """Links to the other collectives a signed-in facilitator of several may open."""
    if len(ctx.choices) < 2 or ctx.network is None:
        return ""
    names = {c.code: c.name for c in ctx.network.collective_list()}
    items = "".join(
        f"<li><a class='ilc-link' href='./{HOME_NOTEBOOK}?collective={esc(code)}' "
        f"target='_self'>{esc(names.get(code, code))}</a></li>"
        for code in ctx.choices
        if ctx.collective is None or code != ctx.collective.code
    )
    return (
        "<nav class='ilc-chooser' aria-label='Your other collectives'>"
        f"<p>You also work with: </p><ul>{items}</ul></nav>"
    )


class HomePage(W.VBox):  # type: ignore[misc]
    """Landing page: network and collective name, today's step, the workbooks, members."""

    title = T.Unicode(help="The heading shown on the page")

    def __init__(self, ctx: SessionContext, **kwargs: Any) -> None:
        self.ctx = ctx
        net = ctx.require_network()
        info = net.info
        header = W.HTML()
        members = W.HTML()
        self.today_html = W.HTML()
        self.today: str | None = None
        self.today_control: TodayControl | None = None
        parts: list[W.Widget] = []
        if ctx.collective is not None:
            c = ctx.collective
            self.title = c.name
            where = ", ".join(x for x in (c.theme, _modality(c.modality), c.region) if x)
            facil = f" · Facilitator: {esc(c.facilitator_name)}" if c.facilitator_name else ""
            header.value = (
                f"<div class='ilc'><div class='muted'>{esc(info['name'])}</div>"
                f"<h2 class='ilc-collective-name'>{esc(c.name)}</h2>"
                f"<div class='muted'>{esc(where)}{facil}</div>{_chooser(ctx)}</div>"
            )
            self.today = state.today_for(state.steps_from_settings(info["settings"]), c.code)
            if self.today is not None:
                self.today_html.value = f"<div class='ilc'>{today_card_html(ctx, self.today)}</div>"
            rows: list[tuple[Any, ...]] = [
                (r["name"], label("role", str(r["role"])), r["organization"], r["district"])
                for r in net.member_records(c.code)
            ]
            members.value = (
                f"<div class='ilc ilc-home-members'><h3>Members ({len(rows)})</h3>"
                + html_table(
                    rows, ["Name", "Role", "School or office", "District"], empty="No members yet."
                )
                + "</div>"
            )
            steps = state.workbook_steps(
                participant=ctx.role == "participant",
                theme=c.theme,
                members=[str(r[0]) for r in rows],
                today=self.today,
            )
            heading = "All workbooks" if self.today is not None else "Workbooks"
            links = W.HTML(f"<div class='ilc'><h3>{heading}</h3>{steps_html(ctx, steps)}</div>")
            parts = [header, self.today_html, links, members]
        else:
            if not ctx.is_facilitator:  # the role gate keeps everyone else out; never guess
                raise AccessDenied(DENIED_MESSAGE)
            self.title = info["name"]
            who = "Facilitator" if ctx.role == "facilitator" else "Researcher (whole network)"
            header.value = (
                f"<div class='ilc'><div class='muted'>{esc(who)}</div>"
                f"<h2>{esc(info['name'])}</h2>"
                f"<div class='muted'>{esc(info['description'])}</div></div>"
            )
            frame = net.collectives_frame()
            rows = [
                (
                    r.name,
                    r.theme,
                    _modality(str(r.modality)),
                    r.region,
                    r.members,
                    r.facilitator_name,
                    f"<a href='{esc(collective_link(net.secret, str(r.collective)))}' "
                    f"target='_blank'>Open</a>",
                )
                for r in frame.itertuples()
            ]
            members.value = (
                f"<div class='ilc ilc-home-members'><h3>Collectives ({len(rows)})</h3>"
                + html_table(
                    rows,
                    [
                        "Collective",
                        "Theme",
                        "Modality",
                        "Region",
                        "Members",
                        "Facilitator",
                        "Collective's page",
                    ],
                    empty="No collectives formed yet.",
                    raw_columns=[6],
                )
                + "</div>"
            )
            links = W.HTML(f"<div class='ilc'><h3>Workbooks</h3>{phase_links(ctx)}</div>")
            self.today_control = TodayControl(ctx)
            parts = [header, self.today_control, members, links]
        self.header, self.members_html, self.links_html = header, members, links
        super().__init__([style(), stylesheet("home"), *parts], **kwargs)
        self.add_class("ilc-app")
