"""The short notes a page shows in place of a section: not valid, intake only, and what a
collective's link sees on a facilitators' workbook (what happened there for the group)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import ipywidgets as W

from ...access import HOME_NOTEBOOK, NOTEBOOKS
from ...session import DENIED_MESSAGE
from .._base import esc, style
from .state import FACILITATOR_WORKBOOKS, SECTION_WORKBOOK

if TYPE_CHECKING:
    from ...session import SessionContext


class _Note(W.VBox):  # type: ignore[misc]
    """A page's one short note in place of a section."""

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
"""What a collective's link shows in place of a facilitator tool (other than 01 and 02)."""

INTAKE_ONLY = (
    "This link is for the intake form: it lets you tell the facilitators who you are and "
    "your focus for inquiry. It does not open the workbooks; your facilitator will send "
    "your collective's own link once collectives are formed."
)
"""What the intake link shows on every page but the intake form."""

DONE_HERE = "This step is done for your collective."
"""What a collective's link shows first on the facilitators' workbooks (01, 02)."""


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


def _home_link(ctx: SessionContext, text: str) -> str:
    return (
        f"<a class='ilc-link' href='{esc(ctx.link(HOME_NOTEBOOK))}' target='_self'>{esc(text)}</a>"
    )


def _gathered(ctx: SessionContext) -> str:
    """Workbook 01 for this collective: its theme and the theme's key words."""
    assert ctx.collective is not None and ctx.network is not None
    theme = ctx.collective.theme
    if not theme:
        return "<p>Your collective has no theme recorded yet.</p>"
    text = f"<p>Your collective's theme is <b>{esc(theme)}</b>.</p>"
    themes = ctx.network.themes_frame()
    mine = themes[themes["name"] == theme]
    words = [str(w) for w in mine.iloc[0]["keywords"] or []] if len(mine) else []
    if words:
        text += f"<p>The focus statements behind it speak of: {esc(', '.join(words))}.</p>"
    return text


def _formed(ctx: SessionContext) -> str:
    """Workbook 02 for this collective: its name and its own members."""
    assert ctx.collective is not None and ctx.network is not None
    names = [str(m["name"]) for m in ctx.network.member_records(ctx.collective.code)]
    who = ", ".join(esc(n) for n in names) if names else "no members yet"
    count = f"{len(names)} member{'s' if len(names) != 1 else ''}"
    return f"<p>Your collective is <b>{esc(ctx.collective.name)}</b>, {count}: {who}.</p>"


class RestrictedView(_Note):
    """A collective's link in place of a facilitator tool: on 01 and 02 what happened there
    for the collective, elsewhere a short note; always the way home."""

    kind = "restricted"

    def __init__(self, ctx: SessionContext, section: str = "", **kwargs: Any) -> None:
        workbook = SECTION_WORKBOOK.get(section, "")
        self.workbook = workbook if ctx.collective is not None and ctx.network else ""
        if self.workbook:
            body = _gathered(ctx) if self.workbook == FACILITATOR_WORKBOOKS[0] else _formed(ctx)
            inner = (
                f"<div class='ilc-done-note'><h2>{esc(NOTEBOOKS[self.workbook])}: done</h2>"
                f"<p>{esc(DONE_HERE)}</p>{body}<p>What to do next is on "
                f"{_home_link(ctx, 'your home page')}.</p></div>"
            )
        else:
            home = ""
            if ctx.collective is not None:
                home = (
                    " Your collective's page, with its theme and members, is "
                    f"{_home_link(ctx, 'your home page')}."
                )
            inner = f"<p>{esc(FACILITATORS_ONLY)}{home}</p>"
        super().__init__(inner, **kwargs)
