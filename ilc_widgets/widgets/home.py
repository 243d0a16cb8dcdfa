"""The home page of a collective (or of the facilitator): who is here and where to go next."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import ipywidgets as W
import traitlets as T

from ..access import HOME_NOTEBOOK, NOTEBOOKS, access_query
from ..errors import AccessDenied
from ..session import DENIED_MESSAGE
from ..vocab import label
from ._base import esc, html_table, style

if TYPE_CHECKING:
    from ..session import SessionContext


class _Note(W.VBox):  # type: ignore[misc]
    """A page's one short note in place of a section; it reads nothing from the network."""

    kind = ""
    """CSS name: the note is ``ilc-<kind>`` inside ``ilc-<kind>-message``, in ``ilc-<kind>-app``."""

    def __init__(self, inner_html: str, **kwargs: Any) -> None:
        message = W.HTML(f"<div class='ilc ilc-{self.kind}'>{inner_html}</div>")
        message.add_class(f"ilc-{self.kind}-message")
        super().__init__([style(), message], **kwargs)
        self.add_class("ilc-app")
        self.add_class(f"ilc-{self.kind}-app")


class DeniedView(_Note):
    """What a page shows for a missing or wrong key: a short message and no data at all."""

    kind = "denied"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(f"<b>{esc(DENIED_MESSAGE)}</b>", **kwargs)


FACILITATORS_ONLY = "This section is for facilitators."
"""What a collective's link shows in place of a facilitator tool."""

INTAKE_ONLY = (
    "This link is for the intake form: it lets you tell the facilitators who you are and "
    "your focus for inquiry. It does not open the workbooks; your facilitator will send "
    "your collective's own link once collectives are formed."
)
"""What the intake link shows on every page but the intake form."""


class IntakeOnlyView(_Note):
    """The intake link on any page but the form: what the link is for, and the way there."""

    kind = "intake-only"

    def __init__(self, ctx: SessionContext, **kwargs: Any) -> None:
        form = esc(ctx.link("01_gather_themes.ipynb"))
        super().__init__(
            f"<p>{esc(INTAKE_ONLY)}</p><p><a class='ilc-link' href='{form}' "
            "target='_self'>Open the intake form</a></p>",
            **kwargs,
        )


class RestrictedView(_Note):
    """A collective's link in place of a facilitator tool: a short note and the way home."""

    kind = "restricted"

    def __init__(self, ctx: SessionContext, **kwargs: Any) -> None:
        home = ""
        if ctx.collective is not None:
            home = (
                " Your collective's page, with its theme and members, is <a class='ilc-link' "
                f"href='{esc(ctx.link(HOME_NOTEBOOK))}' target='_self'>your home page</a>."
            )
        super().__init__(f"<p>{esc(FACILITATORS_ONLY)}{home}</p>", **kwargs)


def _modality(value: str) -> str:
    return "Hybrid" if value == "hybrid" else label("modality", value)


def collective_link(secret: str, code: str, notebook: str = HOME_NOTEBOOK) -> str:
    """A relative link to a collective's page, carrying that collective's key."""
    return f"./{notebook}?{access_query(secret, collective=code)}"


def phase_links(ctx: SessionContext) -> str:
    """HTML links to the six phase workbooks, keeping the session's access."""
    items = "".join(
        f"<li><a href='{esc(ctx.link(nb))}' target='_self'>{esc(title)}</a></li>"
        for nb, title in NOTEBOOKS.items()
        if nb != "00_home.ipynb"
    )
    return f"<ol class='ilc-phases' style='list-style:none;padding-left:0'>{items}</ol>"


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
    """Landing page: network and collective name, members, links to the six workbooks."""

    title = T.Unicode(help="The heading shown on the page")

    def __init__(self, ctx: SessionContext, **kwargs: Any) -> None:
        self.ctx = ctx
        net = ctx.require_network()
        info = net.info
        header = W.HTML()
        members = W.HTML()
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
            frame = net.members(c.code)
            rows: list[tuple[Any, ...]] = [
                (r.name, label("role", str(r.role)), r.organization, r.district)
                for r in frame.itertuples()
            ]
            members.value = (
                f"<div class='ilc'><h3>Members ({len(rows)})</h3>"
                + html_table(
                    rows, ["Name", "Role", "School or office", "District"], empty="No members yet."
                )
                + "</div>"
            )
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
                f"<div class='ilc'><h3>Collectives ({len(rows)})</h3>"
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
        self.header, self.members_html, self.links_html = header, members, links
        super().__init__([style(), header, members, links], **kwargs)
        self.add_class("ilc-app")
