"""Workbook 02, forming collectives: the facilitator's collective board.

The board opens on the saved collectives, so a facilitator sees the current state; edits
made there (name, facilitator, lock, meeting region, moving a member) are saved as they
are made. **Form collectives** runs :func:`ilc_widgets.grouping.form_collectives` over
everyone with a theme (in a worker thread under a kernel) and shows a *proposal*: one card
per collective with its composition table, role and district mix, and warnings, plus the
optimizer's explanation of every rule it could not keep. The facilitator renames, assigns
facilitators, moves members and locks collectives (locked members stay together when
forming again), then **Save collectives** writes the plan with :meth:`Network.save_plan`.

Saving keeps the work already done: a proposed collective continues an existing one (same
id, link, name, facilitator, placemat and evidence) when it has the same theme and shares
members with it, the pairs sharing the most members matched first (:func:`match_collectives`);
existing collectives left without members are removed only when they have no saved work.

The *Links and exports* tab gives each saved collective's link with a QR code, a printable
links sheet (without the facilitator link) and the roster as CSV and XLSX.
"""

from __future__ import annotations

import base64
import logging
import os
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import ipywidgets as W
import pandas as pd
import traitlets as T
from ipywidgets.widgets.widget_bool import CheckboxStyle, ToggleButtonStyle
from ipywidgets.widgets.widget_description import DescriptionStyle
from ipywidgets.widgets.widget_string import HTMLStyle, TextStyle

from ..errors import IlcError
from ..spreadsheet import csv_bytes, xlsx_bytes
from ..vocab import ROLES, label, slug
from ._base import CSS, Debouncer, Notice, Poller, esc, running_loop
from .home import FACILITATORS_ONLY

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    from ..network import Collective, Network
    from ..session import SessionContext

log = logging.getLogger(__name__)

"""What participants' and the intake form's links show in place of the board."""

BLOCK_SIZE = 3
"""Members of one district that make a block (as :data:`ilc_widgets.grouping.BLOCK_SIZE`)."""
PAGE_CARDS = 30
"""Cards shown at once; more appear on request (large networks)."""
CHARTED = 40
"""The most collectives drawn in the mix charts (the first ones on the board)."""
COLLECTIVES_TAB, CHARTS_TAB, LINKS_TAB = 0, 1, 2
LINK_CARDS = 60
"""Link cards shown at once, and the most collectives whose sheet is prepared on opening."""
MAX_LISTED = 40
MAX_NAME = 200
LARGE_ROSTER = 3000
"""With more participants than this the optimizer gets a time limit."""
TIME_LIMIT = 90.0
TICK = 0.5
"""Seconds between updates of the progress bar while the optimizer works."""
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
ROSTER_COLUMNS = (
    "collective",
    "collective_name",
    "participant_id",
    "name",
    "email",
    "role",
    "organization",
    "district",
    "region",
    "modality",
    "theme",
)
MODALITY_LABELS = {"in_person": "In person", "virtual": "Virtual", "hybrid": "Hybrid"}

ID_RULE = (
    "A collective's id is in its link, and its placemat and evidence belong to that id. "
    "When you form collectives again, a proposed collective <b>continues</b> an existing "
    "one (same id, link, name, facilitator and saved work) when it has the same theme and "
    "shares members with it: the pairs that share the most members are matched first, and "
    "each existing collective is continued at most once. Other proposed collectives get new "
    "ids and links. Locked collectives keep their id and their members. When you save, an "
    "existing collective that is left without members is removed only if it has no saved "
    "work; one with a placemat, evidence or reflections stays (empty), so nothing is lost. "
    "To keep a collective that has started its work exactly as it is, lock it before forming."
)

BOARD_CSS = """
<style>
.ilc-collective-board .widget-html-content { line-height: 1.45; }
.ilc-collective-board .widget-html-content p { margin: .3em 0; }
.ilc-collective-card { border: 1px solid #d0d7de; border-radius: 6px; padding: .35em .7em .5em;
  margin: .4em 0; background: #fff; }
.ilc-collective-card.ilc-warned { border-left: 4px solid #d4a72c; }
.ilc-collective-card.ilc-locked { border-color: #54aeff; background: #f6fbff; }
.ilc-collective-card.ilc-invalid { border-color: #cf222e; box-shadow: 0 0 0 1px #cf222e; }
.ilc-collective-name input { font-weight: 600; font-size: 1.05em; }
.ilc .ilc-code { font-family: monospace; font-size: .85em; color: #57606a; white-space: nowrap; }
.ilc .ilc-meta { margin: .15em 0 .25em; }
.ilc .ilc-card-grid { display: flex; flex-wrap: wrap; gap: .3em 1.6em; align-items: flex-start; }
.ilc .ilc-card-grid > .ilc-members { flex: 1 1 36em; min-width: 0; }
.ilc .ilc-card-grid > .ilc-mix { flex: 0 1 21em; }
.ilc table.ilc-members-table { width: 100%; }
.ilc table.ilc-members-table td.note { color: #57606a; font-size: .92em; }
.ilc .ilc-mix h4 { font-size: .85em; margin: .2em 0 .1em; color: #57606a; font-weight: 600; }
.ilc .ilc-mix table { border-collapse: collapse; font-size: .85em; }
.ilc .ilc-mix td { padding: 0 4px; white-space: nowrap; }
.ilc .ilc-mix td.lbl { max-width: 13em; min-width: 9em; overflow: hidden;
  text-overflow: ellipsis; }
.ilc table.ilc-members-table td.nowrap { white-space: nowrap; }
.ilc table.ilc-members-table td:first-child { white-space: nowrap; }
.ilc .ilc-bar { display: inline-block; height: .7em; background: #1f5f8b; border-radius: 2px;
  vertical-align: middle; margin-right: .35em; }
.ilc .ilc-bar.d { background: #d9822b; }
.ilc .ilc-bar { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.ilc .ilc-chart svg { max-width: 100%; height: auto; }
.ilc ol.ilc-chart-key { columns: 2 22em; font-size: .9em; margin: .3em 0 .3em 1.4em; padding: 0; }
.ilc ul.ilc-warnings { margin: .15em 0 .3em 1.3em; padding: 0; }
.ilc ul.ilc-warnings li { color: #7d4e00; }
.ilc-collective-actions { position: sticky; top: 0; z-index: 5; background: #fff;
  padding: .25em 0; border-bottom: 1px solid #eaeef2; }
.ilc-settings { border: 1px solid #d0d7de; border-radius: 6px; padding: .3em .7em; margin: .3em 0;
  background: #f6f8fa; }
.ilc-settings .widget-checkbox { width: auto; margin-right: 1.2em; }
.ilc-collective-panel { border-top: 1px dashed #d0d7de; margin-top: .3em; padding-top: .3em; }
.ilc .ilc-explain ul { margin: .2em 0 .2em 1.2em; padding: 0; }
.ilc details summary { cursor: pointer; color: #0969da; }
.ilc-link-grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(17.5em, 1fr));
  gap: .7em; margin: .4em 0; }
.ilc-link-card { border: 1px solid #d0d7de; border-radius: 6px; padding: .5em .7em;
  background: #fff; }
.ilc-link-card h4 { margin: 0 0 .15em; font-size: 1.02em; }
.ilc-link-card .qr svg { width: 132px; height: 132px; display: block; margin: .3em 0; }
.ilc-link-card .url { font-family: monospace; font-size: .72em; word-break: break-all; }
.ilc a.ilc-download { display: inline-block; border: 1px solid #0969da; border-radius: 5px;
  padding: .2em .7em; margin: .2em .5em .2em 0; color: #0969da; text-decoration: none; }
.ilc a.ilc-download:hover { background: #ddf4ff; }
.ilc a.ilc-link { color: #0969da; text-decoration: underline; }
</style>
"""


# ---------------------------------------------------------------------- state


@dataclass(frozen=True)
class _Person:
    pid: str
    name: str
    email: str
    role: str
    organization: str
    district: str
    region: str
    modality: str
    theme: str
    second_theme: str
    collective: str


@dataclass
class _Group:
    """One collective on the board: saved, or proposed by the optimizer."""

    code: str
    name: str
    theme: str
    region: str
    members: list[str]
    facilitator_name: str = ""
    facilitator_email: str = ""
    locked: bool = False
    saved: bool = False
    """The collective exists in the database under ``code``."""
    continues: str = ""
    """The id of the saved collective this one continues ('' for a new collective)."""
    placed_by: dict[str, str] = field(default_factory=dict)
    """Members placed other than by their own theme: pid -> second_theme/fallback/moved."""


@dataclass
class _Formed:
    """What the optimizer returned, reduced to what the board shows."""

    assignments: pd.DataFrame
    explanations: list[tuple[str, str, tuple[str, ...]]]
    violations: list[tuple[str, str, tuple[str, ...]]]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value != value:  # NaN
        return ""
    return str(value).strip()


def _attends(person: _Person, region: str) -> str:
    """'in_person' when the person can meet in person and the collective meets in their region."""
    if person.modality != "virtual" and region and person.region == region:
        return "in_person"
    return "virtual"


def _meeting_region(people: Sequence[_Person], current: str = "") -> str:
    """Where a collective meets: kept while someone can attend there, else its in-person
    members' most common region, else its 'either' members' ('' = it meets virtually)."""
    if current and any(p.region == current and p.modality != "virtual" for p in people):
        return current
    for kind in ("in_person", "either"):
        regions = Counter(p.region for p in people if p.modality == kind and p.region)
        if regions:
            return min(regions, key=lambda r: (-regions[r], r))
    return ""


def _modality(people: Sequence[_Person], region: str) -> str:
    n_ip = sum(1 for p in people if _attends(p, region) == "in_person")
    if n_ip == 0:
        return "virtual"
    return "in_person" if n_ip == len(people) else "hybrid"


def _same_theme(proposed: str, existing: str) -> bool:
    return not existing.strip() or slug(proposed) == slug(existing)


def match_collectives(
    proposed: Mapping[str, tuple[str, Sequence[str]]],
    existing: Mapping[str, tuple[str, Iterable[str]]],
) -> dict[str, tuple[str, int]]:
    """Which existing collective each proposed one continues: ``{proposed: (existing, shared)}``.

    Both map an id to ``(theme, member ids)``. A proposed collective can continue an existing
    one of the same theme (or one without a theme) with which it shares at least one member;
    pairs are matched one to one, the largest number of shared members first (ties: the
    existing id, then the proposed id, in alphabetical order).
    """
    existing_sets = {code: (theme, set(members)) for code, (theme, members) in existing.items()}
    pairs: list[tuple[int, str, str]] = []
    for pid, (theme, members) in proposed.items():
        wanted = set(members)
        for code, (old_theme, old_members) in existing_sets.items():
            shared = len(wanted & old_members)
            if shared and _same_theme(theme, old_theme):
                pairs.append((shared, code, pid))
    pairs.sort(key=lambda x: (-x[0], x[1], x[2]))
    matched: dict[str, tuple[str, int]] = {}
    taken: set[str] = set()
    for shared, code, pid in pairs:
        if pid in matched or code in taken:
            continue
        matched[pid] = (code, shared)
        taken.add(code)
    return matched


def _new_code(theme: str, used: set[str]) -> str:
    """A link-friendly id for a new collective of ``theme`` not in ``used``."""
    base = slug(theme).replace("_", "-")[:60].strip("-") or "collective"
    number = 1
    while f"{base}-{number}" in used:
        number += 1
    return f"{base}-{number}"


def server_base_url(environ: Mapping[str, str] | None = None) -> str:
    """The address of the Voilà server running this kernel ('' outside Voilà or when unknown).

    Voilà gives the kernel the request's host and port (``SERVER_NAME``/``SERVER_PORT``, also
    for preheated kernels), its URL (``VOILA_REQUEST_URL``) and base path (``VOILA_BASE_URL``).
    """
    from ..session import in_voila

    env = os.environ if environ is None else environ
    if not in_voila(env):
        return ""
    request = env.get("VOILA_REQUEST_URL", "")
    parts = urlsplit(request) if request else None
    scheme = parts.scheme if parts is not None and parts.scheme in ("http", "https") else "http"
    base = env.get("VOILA_BASE_URL", "") or "/"
    base = ("/" + base.strip("/") + "/").replace("//", "/")
    host = env.get("SERVER_NAME", "").strip()
    port = env.get("SERVER_PORT", "").strip()
    if host:
        if ":" in host and not host.startswith("["):
            host = f"[{host}]"
        default = "443" if scheme == "https" else "80"
        netloc = host if not port or port == default else f"{host}:{port}"
        return f"{scheme}://{netloc}{base}"
    if parts is not None and parts.netloc:
        cut = parts.path.find("/voila/render/")
        root = parts.path[: cut + 1] if cut >= 0 else base
        return f"{scheme}://{parts.netloc}{root}"
    return ""


# ---------------------------------------------------------------------- exports


def roster_frame(net: Network) -> pd.DataFrame:
    """One row per member of a saved collective (:data:`ROSTER_COLUMNS`), by collective."""
    people = net.participants_frame()
    names = {c.code: c.name for c in net.collective_list()}
    placed = people[people["collective"].astype(str) != ""].copy()
    placed["collective_name"] = [names.get(str(c), "") for c in placed["collective"]]
    placed = placed.sort_values(["collective", "name", "participant_id"], kind="stable")
    return placed.loc[:, list(ROSTER_COLUMNS)].reset_index(drop=True)


def roster_csv(roster: pd.DataFrame) -> bytes:
    """The roster as CSV (UTF-8 with BOM; formula-like text guarded by :func:`csv_bytes`)."""
    return csv_bytes(roster)


def roster_xlsx(roster: pd.DataFrame, collectives: pd.DataFrame) -> bytes:
    """The roster and a sheet of the collectives as one XLSX workbook (text stays text)."""
    return xlsx_bytes({"Roster": roster, "Collectives": collectives})


def download_link(data: bytes, filename: str, mime: str, text: str, css: str = "") -> str:
    """An ``<a download>`` link that carries ``data`` itself (no server round trip)."""
    payload = base64.b64encode(data).decode("ascii")
    return (
        f"<a class='ilc-download {esc(css)}' download='{esc(filename)}' "
        f"href='data:{esc(mime)};base64,{payload}'>{esc(text)}</a>"
    )


# ---------------------------------------------------------------------- widgets


class _Shared:
    """Layouts and styles shared by every card of one board (fewer models to load)."""

    def __init__(self) -> None:
        self.plain = W.Layout()
        self.auto = W.Layout(width="auto")
        self.name = W.Layout(width="26em")
        self.text = W.Layout(width="18em")
        self.choice = W.Layout(width="21em")
        self.grow = W.Layout(flex="1 1 auto", margin="0 0 0 .5em")
        self.center = W.Layout(align_items="center", flex_flow="row wrap")
        self.caption = W.Layout(width="7em", min_width="7em")
        self.html_style = HTMLStyle()
        self.text_style = TextStyle()
        self.toggle_style = ToggleButtonStyle()
        self.button_style = W.ButtonStyle()
        self.choice_style = DescriptionStyle()
        self.check_style = CheckboxStyle()

    def button(
        self, description: str, *, style: str = "", icon: str = "", tooltip: str = ""
    ) -> W.Button:
        """A button with the shared layout and style."""
        return W.Button(
            description=description,
            button_style=style,
            icon=icon,
            tooltip=tooltip or description,
            layout=self.auto,
            style=self.button_style,
        )

    def caption_html(self, text: str) -> W.HTML:
        """A fixed-width caption in front of a row of inputs."""
        return W.HTML(
            f"<div class='ilc'><b>{esc(text)}</b></div>", layout=self.caption, style=self.html_style
        )


class CollectiveCard(W.VBox):  # type: ignore[misc]
    """One collective: name, lock, composition and mix; facilitator, region and moves on request."""

    children: tuple[W.Widget, ...]

    def __init__(self, board: CollectiveBoard, code: str) -> None:
        sh = board._shared
        super().__init__(layout=sh.plain)
        self.board = board
        self.code = code
        self._quiet = False
        self.add_class("ilc-collective-card")
        self.name_box = W.Text(
            value="",
            placeholder="Name this collective",
            continuous_update=True,
            layout=sh.name,
            style=sh.text_style,
        )
        self.name_box.add_class("ilc-collective-name")
        self.name_box.observe(self._typed("name"), "value")
        self.code_html = W.HTML(layout=sh.auto, style=sh.html_style)
        self.lock = W.ToggleButton(
            value=False,
            description="Lock",
            icon="unlock",
            tooltip="Locked collectives keep their members together when you form again",
            layout=sh.auto,
            style=sh.toggle_style,
        )
        self.lock.add_class("ilc-collective-lock")
        self.lock.observe(self._locked, "value")
        self.edit = W.ToggleButton(
            value=False,
            description="Facilitator and moves…",
            tooltip="Assign a facilitator, choose where it meets, move a member",
            layout=sh.auto,
            style=sh.toggle_style,
        )
        self.edit.add_class("ilc-collective-edit")
        self.edit.observe(lambda _c: self._show_panel(), "value")
        self.body = W.HTML(layout=sh.plain, style=sh.html_style)
        self.body.add_class("ilc-collective-body")
        self.header = W.HBox(
            [self.name_box, self.code_html, self.lock, self.edit], layout=sh.center
        )
        self.panel: W.VBox | None = None
        self.children = (self.header, self.body)

    # -- events

    def _typed(self, field_name: str) -> Any:
        def changed(change: dict[str, Any]) -> None:
            if not self._quiet:
                self.board._edit(self.code, field_name, str(change["new"]))

        return changed

    def _locked(self, change: dict[str, Any]) -> None:
        if not self._quiet:
            self.board._set_lock(self.code, bool(change["new"]))

    def _region_chosen(self, change: dict[str, Any]) -> None:
        if not self._quiet and change["new"] is not None:
            self.board._set_region(self.code, str(change["new"]))

    # -- the panel (built the first time it is opened)

    def _build_panel(self) -> W.VBox:
        sh = self.board._shared
        self.fac_name = W.Text(
            placeholder="Facilitator's name",
            continuous_update=True,
            layout=sh.text,
            style=sh.text_style,
        )
        self.fac_name.add_class("ilc-facilitator-name")
        self.fac_name.observe(self._typed("facilitator_name"), "value")
        self.fac_email = W.Text(
            placeholder="Facilitator's email",
            continuous_update=True,
            layout=sh.text,
            style=sh.text_style,
        )
        self.fac_email.add_class("ilc-facilitator-email")
        self.fac_email.observe(self._typed("facilitator_email"), "value")
        self.region = W.Dropdown(layout=sh.text, style=sh.choice_style)
        self.region.add_class("ilc-collective-region")
        self.region.observe(self._region_chosen, "value")
        self.move_member = W.Dropdown(layout=sh.choice, style=sh.choice_style)
        self.move_member.add_class("ilc-move-member")
        self.move_target = W.Dropdown(layout=sh.choice, style=sh.choice_style)
        self.move_target.add_class("ilc-move-target")
        self.move_button = sh.button("Move", icon="arrow-right", tooltip="Move the member chosen")
        self.move_button.add_class("ilc-move")
        self.move_button.on_click(lambda _b: self.move_chosen())
        to = W.HTML("<div class='ilc'>&nbsp;to&nbsp;</div>", layout=sh.auto, style=sh.html_style)
        self.panel = W.VBox(
            [
                W.HBox(
                    [sh.caption_html("Facilitator"), self.fac_name, self.fac_email],
                    layout=sh.center,
                ),
                W.HBox([sh.caption_html("Meets"), self.region], layout=sh.center),
                W.HBox(
                    [
                        sh.caption_html("Move"),
                        self.move_member,
                        to,
                        self.move_target,
                        self.move_button,
                    ],
                    layout=sh.center,
                ),
            ],
            layout=sh.plain,
        )
        self.panel.add_class("ilc-collective-panel")
        return self.panel

    def _show_panel(self) -> None:
        if self.edit.value and self.panel is None:
            self._build_panel()
        group = self.board._group(self.code)
        if group is not None:
            self.render(group)

    def move_chosen(self) -> None:
        """Move the member chosen in the panel to the collective chosen."""
        pid, target = self.move_member.value, self.move_target.value
        if not pid or not target:
            self.board.notice.show("Choose a member and a collective to move them to.", "warning")
            return
        self.board._move(str(pid), str(target))

    # -- drawing

    def render(self, group: _Group) -> None:
        """Show ``group`` (widget values are set without triggering saves)."""
        board = self.board
        self._quiet = True
        try:
            if self.name_box.value != group.name:
                self.name_box.value = group.name
            self.lock.value = group.locked
            self.lock.description = "Locked" if group.locked else "Lock"
            self.lock.icon = "lock" if group.locked else "unlock"
            self.code_html.value = (
                f"<div class='ilc'><span class='ilc-code'>{esc(group.code)}</span></div>"
            )
            self.edit.description = "Done" if self.edit.value else "Facilitator and moves…"
            if self.panel is not None:
                self._render_panel(group)
        finally:
            self._quiet = False
        warnings = board._warnings(group)
        self.body.value = board._card_html(group, warnings)
        for cls, on in (
            ("ilc-locked", group.locked),
            ("ilc-warned", bool(warnings)),
            ("ilc-invalid", bool(board._meta_problem(group))),
        ):
            if on:
                self.add_class(cls)
            else:
                self.remove_class(cls)
        shown = (self.header, self.body, self.panel) if self.edit.value and self.panel else None
        self.children = shown or (self.header, self.body)

    def _render_panel(self, group: _Group) -> None:
        board = self.board
        if self.fac_name.value != group.facilitator_name:
            self.fac_name.value = group.facilitator_name
        if self.fac_email.value != group.facilitator_email:
            self.fac_email.value = group.facilitator_email
        people = [board._people[p] for p in group.members if p in board._people]
        regions = sorted({p.region for p in people if p.region and p.modality != "virtual"})
        if group.region and group.region not in regions:
            regions.append(group.region)
        options = [
            ("Virtually (no meeting region)", ""),
            *((f"In person in {r}", r) for r in regions),
        ]
        if list(self.region.options) != options:
            self.region.options = options
        self.region.value = group.region
        members = [
            (f"{p.name} ({p.district})" if p.district else p.name, p.pid)
            for p in sorted(people, key=lambda p: p.name.casefold())
        ]
        current = self.move_member.value
        if list(self.move_member.options) != members:
            self.move_member.options = members
        if current in group.members:
            self.move_member.value = current
        elif members:
            self.move_member.value = members[0][1]
        targets = [
            (f"{g.name or g.code} · {g.code}", g.code)
            for g in board._groups
            if g.code != group.code
        ]
        chosen = self.move_target.value
        if list(self.move_target.options) != targets:
            self.move_target.options = targets
        if chosen in {c for _n, c in targets}:
            self.move_target.value = chosen
        elif targets:
            self.move_target.value = targets[0][1]
        self.move_button.disabled = not members or not targets


class CollectiveBoard(W.VBox):  # type: ignore[misc]
    """Form, shape and save the network's collectives; then hand out links (facilitators only)."""

    children: tuple[W.Widget, ...]

    value = T.Dict(
        help=(
            "The working plan: collectives (code, name, theme, region, modality, facilitator_name, "
            "facilitator_email, locked, members = participant_ids, continues = the saved id it "
            "keeps, saved), unthemed (participant_ids without a theme), proposal (True while a "
            "formed plan is not saved) and saved (True when the board matches the database)"
        )
    )

    def __init__(self, ctx: SessionContext, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.ctx = ctx
        self._people: dict[str, _Person] = {}
        self._groups: list[_Group] = []
        self._cards: dict[str, CollectiveCard] = {}
        self._saved_meta: dict[str, Collective] = {}
        self._saved_members: dict[str, set[str]] = {}
        self._work: dict[str, dict[str, int]] = {}
        self._explanations: list[tuple[str, str, tuple[str, ...]]] = []
        self._violations: list[tuple[str, str, tuple[str, ...]]] = []
        self._debouncers: dict[str, Debouncer] = {}
        self._proposal = False
        self._busy = False
        self._confirm_replace = False
        self._told_external = False
        self._forming = 0
        self._fingerprint = 0
        self._limit = PAGE_CARDS
        self._links_built = False
        self._links_stale = True
        self._charts_stale = True
        self.poller: Poller | None = None
        self.net: Network = ctx.require_network()
        self._shared = _Shared()
        self._build()
        self.add_class("ilc-app")
        self.add_class("ilc-collective-board")
        self.load_saved()
        self.poller = Poller(self.net.revision, self.refresh, interval=3.0)
        self.poller.start()

    # ------------------------------------------------------------------ layout

    def _build(self) -> None:
        sh = self._shared
        net_settings = self.net.settings
        head = W.HTML(
            CSS + BOARD_CSS + "<div class='ilc'><h2>Collectives</h2><p class='muted'>"
            "<b>Form collectives</b> proposes theme-based collectives that mix roles and "
            "districts, with in-person members in a collective that meets in their region. "
            "Review each card: name it, assign its facilitator, move members, and lock the "
            "collectives that should stay as they are (locked members stay together when you "
            "form again). <b>Save collectives</b> saves the proposal; then hand out the links "
            "in <b>Links and exports</b>.</p>"
            f"<details><summary>How ids and links are kept when you save</summary><p>{ID_RULE}"
            "</p></details></div>",
            layout=sh.plain,
            style=sh.html_style,
        )
        box = W.Layout(width="11em")
        wide = {"description_width": "5.5em"}
        self.max_size = W.BoundedIntText(
            value=int(net_settings.get("max_size", 10)),
            min=2,
            max=60,
            description="Max size",
            layout=box,
            style=wide,
        )
        self.max_size.add_class("ilc-max-size")
        self.min_size = W.BoundedIntText(
            value=int(net_settings.get("min_size", 4)),
            min=1,
            max=60,
            description="Min size",
            layout=box,
            style=wide,
        )
        self.min_size.add_class("ilc-min-size")

        def check(name: str, text: str, default: bool, tip: str) -> W.Checkbox:
            widget = W.Checkbox(
                value=bool(net_settings.get(name, default)),
                description=text,
                indent=False,
                tooltip=tip,
                layout=sh.auto,
                style=sh.check_style,
            )
            widget.add_class(f"ilc-{name.replace('_', '-')}")
            return widget

        self.use_second = check(
            "use_second_theme",
            "Use second-choice themes",
            True,
            "Place people in their second theme when that keeps the size and region rules",
        )
        self.mix_roles = check("mix_roles", "Mix roles", True, "Spread roles across collectives")
        self.mix_districts = check(
            "mix_districts", "Mix districts", True, "Spread districts across collectives"
        )
        self.region_rule = check(
            "region_for_in_person",
            "In-person members meet in their region",
            True,
            "A collective with in-person members has in-person members of one region only",
        )
        settings = W.HBox(
            [
                self.max_size,
                self.min_size,
                self.use_second,
                self.mix_roles,
                self.mix_districts,
                self.region_rule,
            ],
            layout=W.Layout(align_items="center", flex_flow="row wrap"),
        )
        settings.add_class("ilc-settings")
        self.form_button = sh.button(
            "Form collectives",
            style="primary",
            icon="users",
            tooltip="Propose collectives for everyone with a theme (nothing is saved yet)",
        )
        self.form_button.add_class("ilc-form")
        self.form_button.on_click(lambda _b: self.form())
        self.progress = W.IntProgress(
            value=0, min=0, max=10, bar_style="info", layout=W.Layout(display="none", width="10em")
        )
        self.status = W.HTML(layout=sh.grow, style=sh.html_style)
        self.status.add_class("ilc-collective-status")
        self.notice = Notice(layout=sh.plain, style=sh.html_style)
        self.notice.add_class("ilc-collective-notice")
        self.summary = W.HTML(layout=sh.plain, style=sh.html_style)
        self.summary.add_class("ilc-collective-summary")
        self.save_button = sh.button(
            "Save collectives", style="success", icon="check", tooltip="Save this proposal"
        )
        self.save_button.add_class("ilc-save")
        self.save_button.on_click(lambda _b: self.save())
        self.reload_button = sh.button(
            "Back to saved collectives", icon="undo", tooltip="Drop the proposal"
        )
        self.reload_button.add_class("ilc-reload")
        self.reload_button.on_click(lambda _b: self.load_saved(announce=True))
        self.lock_worked_button = sh.button(
            "Lock those with saved work",
            icon="lock",
            tooltip="Lock every collective that has a placemat, evidence or reflections",
        )
        self.lock_worked_button.add_class("ilc-lock-worked")
        self.lock_worked_button.on_click(lambda _b: self.lock_worked())
        actions = W.HBox(
            [self.save_button, self.reload_button, self.lock_worked_button],
            layout=W.Layout(align_items="center", flex_flow="row wrap"),
        )
        actions.add_class("ilc-collective-actions")
        self.explain = W.HTML(layout=sh.plain, style=sh.html_style)
        self.explain.add_class("ilc-explanations")
        self.unthemed = W.HTML(layout=sh.plain, style=sh.html_style)
        self.unthemed.add_class("ilc-unthemed-people")
        self.cards_box = W.VBox(layout=sh.plain)
        self.cards_box.add_class("ilc-collective-cards")
        self.more_button = W.Button(
            description="Show more", icon="chevron-down", layout=W.Layout(width="auto")
        )
        self.more_button.add_class("ilc-more-cards")
        self.more_button.on_click(lambda _b: self._show_more())
        self.links_box = W.VBox(layout=sh.plain)
        self.links_box.add_class("ilc-links")
        self.charts = W.HTML(layout=sh.plain, style=sh.html_style)
        self.charts.add_class("ilc-collective-charts")
        board = W.VBox([self.explain, self.unthemed, self.cards_box, self.more_button])
        self.tabs = W.Tab(
            children=[board, self.charts, self.links_box],
            titles=("Collectives", "Mix charts", "Links and exports"),
        )
        self.tabs.add_class("ilc-collective-tabs")
        self.tabs.observe(lambda _c: self._tab_changed(), "selected_index")
        self.children = (
            head,
            settings,
            W.HBox([self.form_button, self.progress, self.status], layout=sh.center),
            self.notice,
            self.summary,
            actions,
            self.tabs,
        )

    # ------------------------------------------------------------------ reading

    def _read_people(self) -> pd.DataFrame:
        frame = self.net.participants_frame()
        self._people = {
            _text(r.participant_id): _Person(
                _text(r.participant_id),
                _text(r.name),
                _text(r.email),
                _text(r.role),
                _text(r.organization),
                _text(r.district),
                _text(r.region),
                _text(r.modality) or "either",
                _text(r.theme),
                _text(r.second_theme),
                _text(r.collective),
            )
            for r in frame.itertuples()
        }
        return frame

    def _stamp(self, collectives: Sequence[Collective]) -> int:
        """A fingerprint of who is where and of the collectives' details.

        Revision counters are left out: evidence or a placemat saved in a collective is no
        change to the board.
        """
        people = tuple(sorted((p.pid, p.theme, p.collective) for p in self._people.values()))
        return hash((people, _details(collectives)))

    def _current_stamp(self) -> int:
        frame = self.net.participants_frame()
        people = tuple(
            sorted(
                (_text(p), _text(t), _text(c))
                for p, t, c in zip(
                    frame["participant_id"], frame["theme"], frame["collective"], strict=True
                )
            )
        )
        return hash((people, _details(self.net.collective_list())))

    def _after_write(self) -> None:
        self._read_people()
        self._fingerprint = self._stamp(list(self._saved_meta.values()))
        if self.poller is not None:
            self.poller.mark_seen()

    def load_saved(self, *, announce: bool = False) -> None:
        """Show the saved collectives and their members (drops any proposal)."""
        self._flush()
        self._read_people()
        saved = self.net.collective_list()
        self._saved_meta = {c.code: c for c in saved}
        members: dict[str, list[str]] = {c.code: [] for c in saved}
        for person in self._people.values():
            if person.collective in members:
                members[person.collective].append(person.pid)
        self._saved_members = {code: set(m) for code, m in members.items()}
        work = self.net.collective_work()
        self._work = {
            str(r["collective"]): {
                str(k): int(v) for k, v in r.items() if k not in ("collective", "has_work")
            }
            for r in work.to_dict("records")
        }
        self._groups = [
            _Group(
                code=c.code,
                name=c.name,
                theme=c.theme,
                region="" if c.modality == "virtual" else c.region,
                members=members[c.code],
                facilitator_name=c.facilitator_name,
                facilitator_email=c.facilitator_email,
                locked=c.locked,
                saved=True,
                continues=c.code,
            )
            for c in saved
        ]
        self._proposal = False
        self._confirm_replace = False
        self._told_external = False
        self._explanations, self._violations = [], []
        self._fingerprint = self._stamp(saved)
        self._rebuild()
        if announce:
            self.notice.show("The board shows the saved collectives again.", "info")
        elif not saved:
            themed = sum(1 for p in self._people.values() if p.theme)
            if themed:
                self.notice.show(
                    f"No collectives yet: check the settings and click Form collectives to "
                    f"propose collectives for the {themed} participants with a theme.",
                    "info",
                )
            elif self._people:
                self.notice.show(
                    "Nobody has a theme yet: accept themes in workbook 1 first.", "warning"
                )
            else:
                self.notice.show(
                    "No participants yet: import a roster in workbook 1 first.", "warning"
                )

    # ------------------------------------------------------------------ state helpers

    def _group(self, code: str) -> _Group | None:
        for group in self._groups:
            if group.code == code:
                return group
        return None

    def _card(self, code: str) -> CollectiveCard:
        card = self._cards.get(code)
        if card is None:
            card = self._cards[code] = CollectiveCard(self, code)
        return card

    def card(self, code: str) -> CollectiveCard:
        """The card of collective ``code`` (drawn)."""
        group = self._group(code)
        if group is None:
            raise KeyError(f"there is no collective {code!r} on the board")
        card = self._card(code)
        card.render(group)
        return card

    def _kept(self, group: _Group) -> int:
        """How many members of the saved collective it continues a group still has."""
        return len(set(group.members) & self._saved_members.get(group.continues, set()))

    def _has_work(self, code: str) -> bool:
        return any(self._work.get(code, {}).values())

    def _work_text(self, code: str) -> str:
        work = self._work.get(code, {})
        bits = []
        if work.get("placemat_version"):
            bits.append(f"placemat v{work['placemat_version']}")
        for key, one, many in (
            ("evidence", "evidence entry", "evidence entries"),
            ("actions", "action logged", "actions logged"),
            ("reflections", "reflection", "reflections"),
            ("pulse_responses", "pulse answer", "pulse answers"),
            ("scores", "score", "scores"),
        ):
            if work.get(key):
                bits.append(f"{work[key]} {one if work[key] == 1 else many}")
        return ", ".join(bits)

    def _meta_problem(self, group: _Group) -> str:
        name = group.name.strip()
        if not name:
            return f"collective {group.code} has no name"
        if len(name) > MAX_NAME:
            return f"the name of {group.code} is longer than {MAX_NAME} characters"
        email = group.facilitator_email.strip()
        if email and not EMAIL.match(email):
            return f"'{email}' (facilitator of {name}) is not an email address"
        return ""

    def _settings(self) -> tuple[int, int]:
        return int(self.max_size.value), int(self.min_size.value)

    # ------------------------------------------------------------------ drawing

    def _rebuild(self) -> None:
        """Make the cards match the groups (reusing cards by id) and redraw everything."""
        codes = [g.code for g in self._groups]
        for code in [c for c in self._cards if c not in codes]:
            del self._cards[code]
        self._redraw_cards(codes)
        self._sync()

    def _redraw_cards(self, codes: Iterable[str]) -> None:
        shown = self._groups[: self._limit]
        for code in codes:
            group = self._group(code)
            if group is not None and (code in self._cards or group in shown):
                self._card(code).render(group)
        self.cards_box.children = [self._card(g.code) for g in shown]
        rest = len(self._groups) - len(shown)
        self.more_button.description = f"Show {min(rest, PAGE_CARDS)} more of {rest}"
        self.more_button.layout.display = "" if rest > 0 else "none"

    def _show_more(self) -> None:
        self._limit += PAGE_CARDS
        self._redraw_cards([g.code for g in self._groups[self._limit - PAGE_CARDS : self._limit]])

    def _warnings(self, group: _Group) -> list[str]:
        """What a facilitator should look at in a collective (HTML, typed text escaped)."""
        hi, lo = self._settings()
        people = [self._people[p] for p in group.members if p in self._people]
        n = len(people)
        out: list[str] = []
        if n == 0:
            if group.saved and self._has_work(group.code):
                out.append("No members. It has saved work, so saving keeps it (empty).")
            else:
                out.append("No members: it is removed when collectives are saved.")
            return out
        if n < lo:
            out.append(f"{n} member{'s' if n != 1 else ''}, fewer than the minimum of {lo}.")
        if n > hi:
            out.append(f"{n} members, more than the maximum of {hi}.")
        districts = Counter(p.district for p in people)
        top, top_n = districts.most_common(1)[0]
        if top_n >= BLOCK_SIZE:
            lone = [p for p in people if districts[p.district] == 1]
            if lone:
                who = ", ".join(esc(p.name) for p in lone[:5])
                out.append(
                    f"{who} {'is the only one' if len(lone) == 1 else 'are each the only one'} "
                    f"from their district, next to {top_n} colleagues from "
                    f"{esc(top or '(no district)')}."
                )
        if n >= 4 and top_n * 2 > n:
            out.append(f"{top_n} of {n} members come from {esc(top or '(no district)')}.")
        roles = {p.role for p in people}
        if n >= 3 and len(roles) == 1:
            out.append(f"Everyone has the same role ({esc(label('role', next(iter(roles))))}).")
        if group.region and self.region_rule.value:
            away = [
                p
                for p in people
                if p.modality == "in_person" and _attends(p, group.region) == "virtual"
            ]
            if away:
                who = ", ".join(f"{esc(p.name)} ({esc(p.region or 'no region')})" for p in away[:5])
                out.append(
                    f"In person elsewhere, joining virtually: {who}; it meets in "
                    f"{esc(group.region)}."
                )
        elif not group.region:
            wanting = [p for p in people if p.modality == "in_person"]
            if wanting:
                who = ", ".join(esc(p.name) for p in wanting[:5])
                out.append(f"Meets virtually, but {who} asked to meet in person.")
        theme = slug(group.theme)
        outside = [
            p
            for p in people
            if theme
            and p.theme
            and slug(p.theme) != theme
            and not (self.use_second.value and slug(p.second_theme) == theme)
        ]
        if outside:
            who = ", ".join(f"{esc(p.name)} ({esc(p.theme)})" for p in outside[:5])
            out.append(f"Outside their themes: {who}.")
        if self._proposal and group.continues and group.continues in self._saved_meta:
            before = len(self._saved_members.get(group.continues, ()))
            kept = self._kept(group)
            if self._has_work(group.continues) and before and kept * 2 < before:
                out.append(
                    f"It continues a collective with saved work but keeps only {kept} of "
                    f"its {before} members: lock that collective first if its members should "
                    "stay together."
                )
        problem = self._meta_problem(group)
        if problem:
            out.append(f"<b>{esc(problem[0].upper() + problem[1:])}.</b>")
        return out

    def _card_html(self, group: _Group, warnings: Sequence[str]) -> str:
        people = [self._people[p] for p in group.members if p in self._people]
        n = len(people)
        modality = _modality(people, group.region) if people else "virtual"
        n_ip = sum(1 for p in people if _attends(p, group.region) == "in_person")
        districts = Counter(p.district or "(no district)" for p in people)
        roles = Counter(label("role", p.role) or "(no role)" for p in people)
        where = MODALITY_LABELS[modality] + (
            f" · {esc(group.region)}" if group.region and modality != "virtual" else ""
        )
        pills = [
            f"<span class='pill' title='theme'>{esc(group.theme or 'no theme')}</span>",
            f"<span class='pill' title='how it meets'>{where}</span>",
            f"<span class='pill'><b>{n}</b> member{'s' if n != 1 else ''}"
            + (f" ({n_ip} in person, {n - n_ip} virtual)" if n and 0 < n_ip < n else "")
            + "</span>",
            f"<span class='pill' title='distinct districts and roles'><b>{len(districts)}</b> "
            f"district{'s' if len(districts) != 1 else ''} · <b>{len(roles)}</b> "
            f"role{'s' if len(roles) != 1 else ''}</span>",
        ]
        facilitator = (
            f"Facilitator: <b>{esc(group.facilitator_name)}</b>"
            + (f" &lt;{esc(group.facilitator_email)}&gt;" if group.facilitator_email else "")
            if group.facilitator_name or group.facilitator_email
            else "<span class='muted'>No facilitator yet</span>"
        )
        if not self._proposal:
            work = self._work_text(group.code)
            origin = "Saved" + (f" · work so far: {esc(work)}" if work else " · no work saved yet")
        elif group.continues and group.continues in self._saved_meta:
            old = self._saved_meta[group.continues]
            before = len(self._saved_members.get(group.continues, ()))
            origin = (
                f"Continues <b>{esc(old.name)}</b> (same id and link): keeps "
                f"{self._kept(group)} of its {before} member{'s' if before != 1 else ''}"
                + (" and its saved work" if self._has_work(group.continues) else "")
            )
        else:
            origin = "New collective (a new id and link when saved)"
        if group.locked:
            origin += " · <b>locked</b>"
        meta = (
            f"<div class='ilc-meta'>{''.join(pills)}</div>"
            f"<div class='muted'>{facilitator} · {origin}</div>"
        )
        warn = (
            "<ul class='ilc-warnings'>" + "".join(f"<li>{w}</li>" for w in warnings) + "</ul>"
            if warnings
            else ""
        )
        if not people:
            return f"<div class='ilc'>{meta}{warn}</div>"
        rows = []
        for p in sorted(people, key=lambda p: (p.district.casefold(), p.name.casefold())):
            attends = _attends(p, group.region)
            notes = []
            how = group.placed_by.get(p.pid, "")
            if how == "second_theme":
                notes.append("second-choice theme")
            elif how == "fallback":
                notes.append(f"theme: {esc(p.theme)}")
            elif how == "moved":
                notes.append("moved here")
            if p.modality == "in_person" and attends == "virtual":
                notes.append("asked for in person")
            rows.append(
                f"<tr><td>{esc(p.name)}</td><td>{esc(label('role', p.role))}</td>"
                f"<td>{esc(p.district)}</td><td class='nowrap'>{esc(p.region)}</td>"
                f"<td class='nowrap'>{'In person' if attends == 'in_person' else 'Virtual'}</td>"
                f"<td class='note'>{', '.join(notes)}</td></tr>"
            )
        table = (
            "<table class='ilc-table ilc-members-table'><thead><tr><th>Name</th><th>Role</th>"
            "<th>District</th><th>Region</th><th>Attends</th><th>Note</th></tr></thead><tbody>"
            + "".join(rows)
            + "</tbody></table>"
        )
        mix = (
            "<div class='ilc-mix'><h4>Roles</h4>"
            + _bars(roles, n, "")
            + "<h4>Districts</h4>"
            + _bars(districts, n, "d")
            + "</div>"
        )
        return (
            f"<div class='ilc'>{meta}{warn}<div class='ilc-card-grid'>"
            f"<div class='ilc-members'>{table}</div>{mix}</div></div>"
        )

    def _sync(self) -> None:
        """Update ``value``, the summary, the explanations and the buttons after a change."""
        unthemed = [p for p in self._people.values() if not p.theme]
        placed = {pid for g in self._groups for pid in g.members}
        self.value = {
            "collectives": [
                {
                    "code": g.code,
                    "name": g.name,
                    "theme": g.theme,
                    "region": g.region,
                    "modality": self._group_modality(g),
                    "facilitator_name": g.facilitator_name,
                    "facilitator_email": g.facilitator_email,
                    "locked": g.locked,
                    "members": list(g.members),
                    "continues": g.continues,
                    "saved": g.saved,
                }
                for g in self._groups
            ],
            "unthemed": [p.pid for p in unthemed],
            "proposal": self._proposal,
            "saved": not self._proposal,
        }
        self._render_summary(placed)
        self._render_people(unthemed, placed)
        self._render_explanations()
        self.save_button.disabled = self._busy or not self._proposal
        self.save_button.description = "Save collectives" if self._proposal else "Saved"
        self.reload_button.disabled = self._busy or not self._proposal
        worked = self._unlocked_with_work()
        self.lock_worked_button.disabled = self._busy or not worked
        self.lock_worked_button.description = (
            f"Lock the {len(worked)} with saved work" if worked else "Lock those with saved work"
        )
        self._links_stale = self._charts_stale = True
        if self._links_built and self.tabs.selected_index == LINKS_TAB:
            self.render_links()
        elif self.tabs.selected_index == CHARTS_TAB:
            self.render_charts()

    def _unlocked_with_work(self) -> list[_Group]:
        if self._proposal:
            return []
        return [g for g in self._groups if g.saved and self._has_work(g.code) and not g.locked]

    def _group_modality(self, group: _Group) -> str:
        people = [self._people[p] for p in group.members if p in self._people]
        return _modality(people, group.region) if people else "virtual"

    def _render_summary(self, placed: set[str]) -> None:
        groups = [g for g in self._groups if g.members]
        if not self._groups:
            self.summary.value = ""
            return
        mixes = []
        for g in groups:
            people = [self._people[p] for p in g.members if p in self._people]
            mixes.append((len({p.district for p in people}), len({p.role for p in people}), g))
        warned = sum(1 for g in self._groups if self._warnings(g))
        parts = [
            f"<b>{len(groups)}</b> collective{'s' if len(groups) != 1 else ''}",
            f"<b>{len(placed)}</b> people placed",
        ]
        if mixes:
            worst_d = min(m[0] for m in mixes)
            worst_r = min(m[1] for m in mixes)
            mean_d = sum(m[0] for m in mixes) / len(mixes)
            mean_r = sum(m[1] for m in mixes) / len(mixes)
            parts.append(
                f"every collective has at least <b>{worst_d}</b> district"
                f"{'s' if worst_d != 1 else ''} and <b>{worst_r}</b> role"
                f"{'s' if worst_r != 1 else ''} (on average {mean_d:.1f} and {mean_r:.1f})"
            )
        if warned:
            parts.append(
                f"<span class='warn'><b>{warned}</b> card{'s' if warned != 1 else ''} with "
                "something to check</span>"
            )
        if self._proposal:
            state = (
                "<span class='warn'><b>Proposal, not saved yet</b>: Save collectives keeps it, "
                "Back to saved collectives drops it.</span>"
            )
            retired = [c for c in self._saved_meta if self._group(c) is None]
            if retired:
                keep = [c for c in retired if self._has_work(c) or self._left_behind(c)]
                drop = [c for c in retired if c not in keep]
                bits = []
                if keep:
                    bits.append(
                        "kept, with their saved work, but without these members: "
                        + ", ".join(f"{esc(self._saved_meta[c].name)} ({esc(c)})" for c in keep)
                    )
                if drop:
                    bits.append(
                        "removed (no saved work): "
                        + ", ".join(f"{esc(self._saved_meta[c].name)} ({esc(c)})" for c in drop)
                    )
                state += (
                    "<br><span class='muted'>Saved collectives this proposal does not continue "
                    f"would be {'; '.join(bits)}.</span>"
                )
        else:
            state = (
                "<span class='ok'>Showing the saved collectives: changes to names, facilitators, "
                "locks, meeting places and members are saved as you make them.</span>"
            )
        self.summary.value = f"<div class='ilc'><p>{' · '.join(parts)}</p><p>{state}</p></div>"

    def _left_behind(self, code: str) -> int:
        """Members of saved collective ``code`` whom the board does not place (no theme)."""
        placed = {pid for g in self._groups for pid in g.members}
        return len(self._saved_members.get(code, set()) - placed)

    def _render_people(self, unthemed: Sequence[_Person], placed: set[str]) -> None:
        parts = []
        if unthemed:
            n = len(unthemed)
            names = ", ".join(esc(p.name or p.pid) for p in unthemed[:MAX_LISTED])
            more = f" and {n - MAX_LISTED} more" if n > MAX_LISTED else ""
            link = esc(self.ctx.link("01_gather_themes.ipynb"))
            parts.append(
                f"<div class='ilc-notice warning'><b>{n} participant"
                f"{'s have' if n != 1 else ' has'} no theme yet</b>, so Form collectives does "
                f"not place them: {names}{more}. Give them a theme in "
                f"<a class='ilc-link' href='{link}' "
                "target='_self'>workbook 1 (Gather themes)</a>, then form collectives again."
                "</div>"
            )
        waiting = [p for p in self._people.values() if p.theme and p.pid not in placed]
        if waiting and not self._proposal:
            n = len(waiting)
            names = ", ".join(esc(p.name or p.pid) for p in waiting[:MAX_LISTED])
            more = f" and {n - MAX_LISTED} more" if n > MAX_LISTED else ""
            parts.append(
                f"<div class='ilc-notice info'><b>{n} participant{'s' if n != 1 else ''} with a "
                f"theme {'are' if n != 1 else 'is'} not in a collective yet</b>: {names}{more}. "
                "Lock the collectives that should stay as they are (Lock on their card, or "
                "Lock … with saved work), then Form collectives: it places everyone else around "
                "them.</div>"
            )
        self.unthemed.value = f"<div class='ilc'>{''.join(parts)}</div>" if parts else ""

    def _render_explanations(self) -> None:
        if not self._proposal or not (self._explanations or self._violations):
            self.explain.value = ""
            return
        items = "".join(
            f"<li><b>{esc(rule)}</b>: {esc(message)}</li>"
            for rule, message, _ in self._explanations[:MAX_LISTED]
        )
        if len(self._explanations) > MAX_LISTED:
            items += f"<li>… and {len(self._explanations) - MAX_LISTED} more</li>"
        body = ""
        if items:
            body += (
                "<div class='ilc-notice warning ilc-explain'><b>Rules the plan could not fully "
                f"keep, and why</b><ul>{items}</ul></div>"
            )
        explained = {pid for _, _, pids in self._explanations for pid in pids}
        # a broken rule that concerns people an explanation names is explained there
        broken = [v for v in self._violations if not explained & set(v[2])]
        if broken:
            rows = "".join(f"<li><b>{esc(r)}</b>: {esc(m)}</li>" for r, m, _ in broken[:MAX_LISTED])
            body += (
                "<div class='ilc-notice error ilc-explain'><b>Rules still broken</b>"
                f"<ul>{rows}</ul></div>"
            )
        self.explain.value = f"<div class='ilc'>{body}</div>"

    # ------------------------------------------------------------------ forming

    def form(self) -> None:
        """Propose collectives for everyone with a theme (locked collectives stay together)."""
        if self._busy:
            return
        hi, lo = self._settings()
        if lo > hi:
            self.notice.show(
                f"The minimum size ({lo}) is larger than the maximum ({hi}): change one of them.",
                "error",
            )
            return
        self._flush()
        locked = {g.code: list(g.members) for g in self._groups if g.locked and g.members}
        locked_groups = {g.code: g for g in self._groups if g.locked and g.members}
        in_lock = {pid for members in locked.values() for pid in members}
        people = [p for p in self._people.values() if p.theme or p.pid in in_lock]
        if not people:
            self.notice.show(
                "Nobody has a theme yet: accept themes in workbook 1, then form collectives.",
                "warning",
            )
            return
        frame = pd.DataFrame(
            {
                "participant_id": [p.pid for p in people],
                "name": [p.name for p in people],
                "role": [p.role for p in people],
                "district": [p.district for p in people],
                "region": [p.region for p in people],
                "modality": [p.modality for p in people],
                "theme": [p.theme for p in people],
                "second_theme": [p.second_theme for p in people],
            }
        )
        params: dict[str, Any] = {
            "max_size": hi,
            "min_size": lo,
            "use_second_theme": bool(self.use_second.value),
            "mix_roles": bool(self.mix_roles.value),
            "mix_districts": bool(self.mix_districts.value),
            "region_for_in_person": bool(self.region_rule.value),
            "locked": locked or None,
            "time_limit": TIME_LIMIT if len(people) > LARGE_ROSTER else None,
        }
        self._remember_settings(params)
        message = (
            f"Forming collectives for {len(people)} participants"
            + (f" around {len(locked)} locked collectives" if locked else "")
            + "…"
        )
        self._set_busy(True, message)
        loop = running_loop()
        if loop is None:
            try:
                result = _compute(frame, params)
            except Exception as error:
                self._form_failed(error)
                return
            self._apply(result, locked_groups)
            return
        self.progress.value = 0
        started = time.monotonic()
        expected = max(1.0, len(people) / 400)  # seconds, roughly, on a small server
        self._forming += 1
        token = self._forming

        def tick() -> None:
            """Keep the bar and the elapsed time moving while the optimizer works."""
            if not self._busy or token != self._forming:
                return
            elapsed = time.monotonic() - started
            self.progress.value = min(9, 1 + int(8 * elapsed / (elapsed + expected)))
            self.status.value = (
                f"<div class='ilc'><span class='muted'>{esc(message)} {elapsed:.0f} s</span></div>"
            )
            loop.call_later(TICK, tick)

        loop.call_later(TICK, tick)
        future = loop.run_in_executor(None, _compute, frame, params)

        def done(fut: Any) -> None:
            try:
                self._apply(fut.result(), locked_groups)
            except Exception as error:
                self._form_failed(error)

        future.add_done_callback(done)

    def _remember_settings(self, params: Mapping[str, Any]) -> None:
        """Store the settings used in the network's settings (the board opens with them)."""
        keys = (
            "max_size",
            "min_size",
            "use_second_theme",
            "mix_roles",
            "mix_districts",
            "region_for_in_person",
        )
        wanted = {k: params[k] for k in keys}
        current = self.net.settings
        changes = {k: v for k, v in wanted.items() if current.get(k) != v}
        if not changes:
            return
        try:
            self.net.update_settings(actor=self.ctx.actor, **changes)
        except Exception:  # remembering the settings must never stop forming
            log.exception("saving the grouping settings failed")

    def _set_busy(self, busy: bool, message: str = "") -> None:
        self._busy = busy
        self.form_button.disabled = busy
        self.save_button.disabled = busy or not self._proposal
        self.reload_button.disabled = busy or not self._proposal
        self.progress.layout.display = "" if busy else "none"
        self.progress.value = 5 if busy else 0
        self.status.value = (
            f"<div class='ilc'><span class='muted'>{esc(message)}</span></div>" if message else ""
        )

    def _form_failed(self, error: BaseException) -> None:
        self._set_busy(False)
        if isinstance(error, (IlcError, ValueError)):
            self.notice.show(f"Collectives could not be formed: {error}", "error")
        else:
            log.error("forming collectives failed", exc_info=error)
            self.notice.show(
                "Collectives could not be formed because of an internal error; the board is "
                "unchanged. Try again, or change the settings.",
                "error",
            )

    def _apply(self, formed: _Formed, locked_groups: Mapping[str, _Group]) -> None:
        members: dict[str, list[str]] = {}
        theme_of: dict[str, str] = {}
        region_of: dict[str, str] = {}
        placed_by: dict[str, str] = {}
        for pid, cid, theme, region, how in zip(
            formed.assignments["participant_id"].astype(str),
            formed.assignments["collective"].astype(str),
            formed.assignments["theme"].astype(str),
            formed.assignments["collective_region"].astype(str),
            formed.assignments["placed_by"].astype(str),
            strict=True,
        ):
            if not cid:
                continue
            members.setdefault(cid, []).append(pid)
            theme_of.setdefault(cid, theme)
            region_of.setdefault(cid, region)
            placed_by[pid] = how
        existing = {
            code: (meta.theme, self._saved_members.get(code, set()))
            for code, meta in self._saved_meta.items()
            if code not in locked_groups
        }
        proposed = {
            cid: (theme_of[cid], m) for cid, m in members.items() if cid not in locked_groups
        }
        matches = match_collectives(proposed, existing)
        used = set(self._saved_meta) | set(locked_groups)
        groups: list[_Group] = []
        by_id: dict[str, _Group] = {}
        for cid in sorted(members):
            people = [self._people[p] for p in members[cid] if p in self._people]
            region = region_of[cid] if self.region_rule.value else _meeting_region(people)
            extra = {
                p: h for p in members[cid] if (h := placed_by[p]) in ("second_theme", "fallback")
            }
            if cid in locked_groups:
                old = locked_groups[cid]
                group = _Group(
                    code=cid,
                    name=old.name,
                    theme=old.theme or theme_of[cid],
                    region=region,
                    members=members[cid],
                    facilitator_name=old.facilitator_name,
                    facilitator_email=old.facilitator_email,
                    locked=True,
                    saved=cid in self._saved_meta,
                    continues=cid if cid in self._saved_meta else "",
                )
            elif cid in matches:
                code, _shared = matches[cid]
                meta = self._saved_meta[code]
                group = _Group(
                    code=code,
                    name=meta.name,
                    theme=theme_of[cid],
                    region=region,
                    members=members[cid],
                    facilitator_name=meta.facilitator_name,
                    facilitator_email=meta.facilitator_email,
                    saved=True,
                    continues=code,
                )
            else:
                code = _new_code(theme_of[cid], used | {c for c, _ in matches.values()})
                used.add(code)
                group = _Group(
                    code=code, name="", theme=theme_of[cid], region=region, members=members[cid]
                )
            group.placed_by = extra
            groups.append(group)
            by_id[cid] = group
        _default_names(groups, self._people)
        groups.sort(key=lambda g: (slug(g.theme), not g.continues, g.region or "~", g.code))
        self._groups = groups
        self._proposal = True
        self._confirm_replace = False
        self._told_external = False
        self._explanations = _renamed(formed.explanations, by_id)
        self._violations = _renamed(formed.violations, by_id)
        self._limit = PAGE_CARDS
        self._set_busy(False)
        self._rebuild()
        continued = sum(1 for g in groups if g.continues)
        placed = sum(len(g.members) for g in groups)
        message = f"Proposed {len(groups)} collectives for {placed} participants"
        if self._saved_meta:
            message += (
                f" ({continued} continue saved collectives, {len(groups) - continued} are new)"
            )
        message += ". Review the cards, then Save collectives. Nothing is saved yet."
        if self._explanations:
            message += " Some rules could not be fully kept: the reasons are listed below."
        self.notice.show(message, "success")

    # ------------------------------------------------------------------ editing

    def _edit(self, code: str, field_name: str, value: str) -> None:
        group = self._group(code)
        if group is None or getattr(group, field_name) == value:
            return
        setattr(group, field_name, value)
        if code in self._cards:
            self._cards[code].render(group)
        if not self._proposal and group.saved:
            debouncer = self._debouncers.get(code)
            if debouncer is None:
                debouncer = self._debouncers[code] = Debouncer(lambda: self._persist(code))
            debouncer()
        self._sync()

    def _flush(self) -> None:
        for debouncer in list(self._debouncers.values()):
            debouncer.flush()

    def _persist(self, code: str) -> None:
        """Save a saved collective's name and facilitator as typed (saved mode)."""
        group = self._group(code)
        meta = self._saved_meta.get(code)
        if group is None or meta is None or self._proposal:
            return
        changes = {
            f: getattr(group, f).strip()
            for f in ("name", "facilitator_name", "facilitator_email")
            if getattr(group, f).strip() != getattr(meta, f)
        }
        if not changes:
            return
        problem = self._meta_problem(group)
        if problem:
            self.notice.show(f"Not saved yet: {problem}.", "error")
            return
        if self._write(code, changes):
            what = ["name"] if "name" in changes else []
            if {"facilitator_name", "facilitator_email"} & set(changes):
                what.append("facilitator")
            self.notice.show(f"Saved the {' and '.join(what)} of {group.name.strip()}.", "success")

    def _write(self, code: str, changes: Mapping[str, Any]) -> bool:
        """``update_collective`` with a message instead of an error; True when saved."""
        try:
            self._saved_meta[code] = self.net.update_collective(
                code, actor=self.ctx.actor, **changes
            )
        except IlcError as error:
            self.notice.show(f"Not saved: {error}", "error")
            return False
        except Exception:
            log.exception("saving collective %s failed", code)
            self.notice.show("Not saved: the database could not be reached. Try again.", "error")
            return False
        self._after_write()
        return True

    def _set_lock(self, code: str, locked: bool) -> None:
        group = self._group(code)
        if group is None or group.locked == locked:
            return
        group.locked = locked
        if not self._proposal and group.saved:
            self._write(code, {"locked": locked})
        self._card(code).render(group)
        self._sync()
        if locked:
            self.notice.show(
                f"Locked {group.name or code}: its members stay together when you form again.",
                "info",
            )

    def _set_region(self, code: str, region: str) -> None:
        group = self._group(code)
        if group is None or group.region == region:
            return
        group.region = region
        self._save_place(group)
        self._card(code).render(group)
        self._sync()

    def _save_place(self, group: _Group) -> None:
        """In saved mode, store where a collective meets when that changed."""
        meta = self._saved_meta.get(group.code)
        if self._proposal or meta is None:
            return
        modality = self._group_modality(group)
        region = group.region if modality != "virtual" else ""
        if (meta.region, meta.modality) != (region, modality):
            self._write(group.code, {"region": region, "modality": modality})

    def _move(self, pid: str, target: str) -> None:
        source = next((g for g in self._groups if pid in g.members), None)
        dest = self._group(target)
        person = self._people.get(pid)
        if source is None or dest is None or person is None or source is dest:
            self.notice.show("Choose a member and another collective to move them to.", "warning")
            return
        if not self._proposal:
            try:
                self.net.move_member(pid, target, actor=self.ctx.actor)
            except IlcError as error:
                self.notice.show(f"Not moved: {error}", "error")
                return
            except Exception:
                log.exception("moving %s failed", pid)
                self.notice.show("Not moved: the database could not be reached.", "error")
                return
        source.members = [p for p in source.members if p != pid]
        dest.members.append(pid)
        dest.placed_by[pid] = "moved"
        source.placed_by.pop(pid, None)
        for group in (source, dest):
            people = [self._people[p] for p in group.members if p in self._people]
            group.region = _meeting_region(people, group.region)
            if not self._proposal:
                self._save_place(group)
        if not self._proposal:
            self._after_write()
        self._redraw_cards([source.code, dest.code])
        for card in self._cards.values():
            shown = self._group(card.code) if card.panel is not None else None
            if shown is not None:
                card.render(shown)
        self._sync()
        saved = "" if self._proposal else " (saved)"
        self.notice.show(
            f"Moved {person.name or pid} from {source.name or source.code} to "
            f"{dest.name or dest.code}{saved}.",
            "info",
        )

    def lock_worked(self) -> int:
        """Lock every saved collective with saved work; returns how many were locked.

        Only on the saved collectives (a proposal's members are not the ones who did the work).
        """
        worked = self._unlocked_with_work()
        for group in worked:
            self._set_lock(group.code, True)
        if worked:
            self.notice.show(
                f"Locked {len(worked)} collective{'s' if len(worked) != 1 else ''} with saved "
                "work: Form collectives now places everyone else around them.",
                "info",
            )
        return len(worked)

    # -- the same actions by collective id (for researchers and tests)

    def rename(self, code: str, name: str) -> None:
        """Rename collective ``code`` (as typing in its card does)."""
        self.card(code).name_box.value = name

    def set_facilitator(self, code: str, name: str, email: str = "") -> None:
        """Assign the facilitator of ``code`` (as typing in its panel does)."""
        card = self.card(code)
        card.edit.value = True
        card.fac_name.value = name
        card.fac_email.value = email

    def lock(self, code: str, locked: bool = True) -> None:
        """Lock (or unlock) collective ``code`` (as its Lock button does)."""
        self.card(code).lock.value = locked

    def move(self, pid: str, code: str) -> None:
        """Move participant ``pid`` to collective ``code`` (as the Move button does)."""
        source = next((g for g in self._groups if pid in g.members), None)
        if source is None:
            raise KeyError(f"{pid} is not on the board")
        card = self.card(source.code)
        card.edit.value = True
        card.move_member.value = pid
        card.move_target.value = code
        card.move_button.click()

    # ------------------------------------------------------------------ saving

    def save(self) -> bool:
        """Save the proposal: collectives and memberships; False (with a message) when blocked."""
        self._flush()
        if not self._proposal:
            self.notice.show("Everything on the board is saved already.", "info")
            return True
        groups = [g for g in self._groups if g.members]
        if not groups:
            self.notice.show("There is nothing to save: form collectives first.", "error")
            return False
        for group in groups:
            problem = self._meta_problem(group)
            if problem:
                self.notice.show(f"Not saved: {problem}. Fix it on its card, then save.", "error")
                return False
        try:
            current = self._current_stamp()
            if current != self._fingerprint and not self._confirm_replace:
                self._confirm_replace = True
                self.notice.show(
                    "The saved collectives or the roster changed since this proposal was made "
                    "(someone else saved). Click Save collectives again to replace them with "
                    "this proposal, or Back to saved collectives to see theirs.",
                    "warning",
                )
                return False
            rows = [(pid, g.code, g.locked) for g in groups for pid in g.members]
            assignments = pd.DataFrame(rows, columns=["participant_id", "collective", "locked"])
            metas = []
            for g in groups:
                modality = self._group_modality(g)
                metas.append(
                    {
                        "code": g.code,
                        "name": g.name.strip(),
                        "theme": g.theme,
                        "region": g.region if modality != "virtual" else "",
                        "modality": modality,
                        "facilitator_name": g.facilitator_name.strip(),
                        "facilitator_email": g.facilitator_email.strip().lower(),
                        "locked": g.locked,
                    }
                )
            self.progress.max = max(len(rows), 1)
            self._set_busy(True, f"Saving {len(groups)} collectives…")

            def progress(done: int, _total: int) -> None:
                self.progress.value = done

            self.net.save_plan(assignments, metas, actor=self.ctx.actor, progress=progress)
            retired = [c for c in self._saved_meta if c not in {g.code for g in groups}]
            removed = self.net.remove_empty_collectives(retired, actor=self.ctx.actor)
        except IlcError as error:
            self._set_busy(False)
            self.progress.max = 10
            self.notice.show(f"Not saved: {error}", "error")
            return False
        except Exception:
            log.exception("saving collectives failed")
            self._set_busy(False)
            self.progress.max = 10
            self.notice.show(
                "Not saved: the database could not be reached. The proposal is still here; "
                "try again.",
                "error",
            )
            return False
        self.progress.max = 10
        kept = [c for c in retired if c not in removed]
        kept_names = [f"{self._saved_meta[c].name} ({c})" for c in kept]
        new = sum(1 for g in groups if not g.continues)
        had_saved = bool(self._saved_meta)
        self._proposal = False
        self._busy = False
        self.load_saved()
        self._set_busy(False)
        message = f"Saved {len(groups)} collectives with {len(rows)} members"
        if had_saved:
            message += f" ({len(groups) - new} kept their id and link, {new} new)"
        if removed:
            message += (
                f"; removed {len(removed)} empty collective{'s' if len(removed) != 1 else ''} "
                f"without saved work ({', '.join(removed)})"
            )
        if kept_names:
            message += f"; kept with their saved work: {', '.join(kept_names)}"
        message += ". Next: hand out the links (Links and exports)."
        self.notice.show(message, "success")
        return True

    # ------------------------------------------------------------------ live updates

    def refresh(self) -> None:
        """Follow changes made elsewhere (another facilitator, the intake form)."""
        if self._busy:
            return
        current = self._current_stamp()
        if current == self._fingerprint:
            return
        if not self._proposal:
            self.load_saved()
            self.notice.show(
                "The collectives or the roster changed elsewhere; the board shows them now.",
                "info",
            )
        elif not self._told_external:
            self._told_external = True
            self.notice.show(
                "The saved collectives or the roster changed since this proposal was made. "
                "Form collectives again to include the changes; saving will ask you to confirm.",
                "warning",
            )

    # ------------------------------------------------------------------ links and exports

    def _tab_changed(self) -> None:
        if self.tabs.selected_index == LINKS_TAB and (self._links_stale or not self._links_built):
            self.render_links()
        elif self.tabs.selected_index == CHARTS_TAB and self._charts_stale:
            self.render_charts()

    def render_charts(self) -> None:
        """Draw the mix charts: roles in each collective, and districts and roles per collective.

        Matplotlib is loaded here, the first time the tab is opened, not when the page loads.
        """
        from .. import charts

        self._charts_stale = False
        groups = [g for g in self._groups if g.members]
        if not groups:
            self.charts.value = (
                "<div class='ilc'><p class='muted'>No collectives to chart yet: form collectives "
                "first.</p></div>"
            )
            return
        shown = groups[:CHARTED]
        people = [[self._people[p] for p in g.members if p in self._people] for g in shown]
        names = [_chart_text(g.name or g.code) for g in shown]
        roles = sorted({p.role for members in people for p in members}, key=_role_order)
        series = {
            _chart_text(label("role", r) or "(no role)"): [
                sum(1 for p in members if p.role == r) for members in people
            ]
            for r in roles
        }
        state = "proposal (not saved)" if self._proposal else "saved collectives"
        try:
            composition = charts.stacked_bar_svg(
                names, series, title=f"Roles in each collective ({state})", xlabel="members"
            )
            mixing = charts.grouped_bar_svg(
                [str(i + 1) for i in range(len(shown))],
                {
                    "districts": [len({p.district for p in m}) for m in people],
                    "roles": [len({p.role for p in m}) for m in people],
                },
                title="Distinct districts and roles per collective",
                ylabel="how many",
            )
        except Exception:
            log.exception("drawing the mix charts failed")
            self.charts.value = (
                "<div class='ilc'><div class='ilc-notice error'>The charts could not be drawn; "
                "the cards on the Collectives tab show the same figures.</div></div>"
            )
            return
        key = "".join(
            f"<li>{esc(g.name or g.code)} <span class='ilc-code'>{esc(g.code)}</span></li>"
            for g in shown
        )
        more = (
            f"<p class='muted'>The first {CHARTED} of {len(groups)} collectives are drawn.</p>"
            if len(groups) > CHARTED
            else ""
        )
        self.charts.value = (
            "<div class='ilc'><p class='muted'>How mixed each collective is: look for a "
            "collective with far fewer districts or roles than the others, and move someone "
            "on its card.</p>"
            f"<div class='ilc-chart'>{composition}</div>"
            f"<div class='ilc-chart'>{mixing}</div>"
            "<p class='muted'>The numbers in the second chart:</p>"
            f"<ol class='ilc-chart-key'>{key}</ol>{more}</div>"
        )

    def _build_links(self) -> None:
        sh = self._shared
        intro = W.HTML(
            "<div class='ilc'><h3>Links for the collectives</h3><p class='muted'>Each link "
            "opens only that collective's workbooks: hand it to its members (or let them scan "
            "the QR code). The facilitator link is not on this page or on the printed sheet; "
            "keep it to yourself.</p></div>",
            layout=sh.plain,
            style=sh.html_style,
        )
        self.base_url = W.Text(
            value=server_base_url(),
            placeholder="http://server:8866/",
            description="Address people open",
            continuous_update=False,
            layout=W.Layout(width="34em"),
            style={"description_width": "11em"},
        )
        self.base_url.add_class("ilc-base-url")
        self.base_url.observe(lambda _c: self.render_links(), "value")
        self.downloads = W.HTML(layout=sh.plain, style=sh.html_style)
        self.downloads.add_class("ilc-downloads")
        self.sheet_button = W.Button(
            description="Prepare the printable links sheet",
            icon="print",
            layout=W.Layout(width="auto", display="none"),
        )
        self.sheet_button.add_class("ilc-prepare-sheet")
        self.sheet_button.on_click(lambda _b: self.render_links(sheet=True))
        self.link_cards = W.HTML(layout=sh.plain, style=sh.html_style)
        self.link_cards.add_class("ilc-link-cards")
        self.links_box.children = (
            intro,
            self.base_url,
            self.downloads,
            self.sheet_button,
            self.link_cards,
        )
        self._links_built = True

    def render_links(self, *, sheet: bool = False) -> None:
        """Draw the saved collectives' links, QR codes and downloads (builds the tab)."""
        from ..access import HOME_NOTEBOOK, access_query, notebook_url
        from ..links import links_sheet_html, qr_svg
        from .home import collective_link

        if not self._links_built:
            self._build_links()
        self._links_stale = False
        base = self.base_url.value.strip()
        if base and not re.match(r"^https?://[^\s/]+", base):
            self.downloads.value = (
                "<div class='ilc'><div class='ilc-notice error'>The address must start with "
                "http:// or https:// (for example http://192.168.1.20:8866/).</div></div>"
            )
            self.link_cards.value = ""
            return
        saved = self.net.collective_list()
        counts = {c: len(m) for c, m in self._saved_members.items()}
        secret = self.net.secret
        notes = []
        if self._proposal:
            notes.append(
                "<div class='ilc-notice warning'>These are the <b>saved</b> collectives' links: "
                "the proposal on the Collectives tab is not saved yet.</div>"
            )
        if not base:
            notes.append(
                "<div class='ilc-notice info'>This page does not know its server's address, so "
                "the links below are relative and there are no QR codes. Type the address "
                "people open (for example http://192.168.1.20:8866/) above.</div>"
            )
        elif re.match(r"^https?://(127\.|localhost|\[::1\])", base):
            notes.append(
                "<div class='ilc-notice info'>This address only works on this computer. If "
                "people join from their own devices, type the address they can reach (this "
                "computer's network name or IP address) above.</div>"
            )
        if not saved:
            self.downloads.value = (
                "<div class='ilc'>"
                + "".join(notes)
                + (
                    "<p class='muted'>No collectives saved yet: form and save collectives first."
                    "</p></div>"
                )
            )
            self.link_cards.value = ""
            self.sheet_button.layout.display = "none"
            return
        downloads = []
        big = len(saved) > LINK_CARDS
        if base and (sheet or not big):
            downloads.append(
                download_link(
                    links_sheet_html(self.net, base, intake=False).encode("utf-8"),
                    "collective-links.html",
                    "text/html",
                    "Printable links sheet (HTML, with QR codes)",
                    "ilc-download-sheet",
                )
            )
        self.sheet_button.layout.display = "" if base and big and not sheet else "none"
        roster = roster_frame(self.net)
        summary = self.net.collectives_frame().rename(columns={"members": "members"})
        summary["link"] = [
            notebook_url(base, HOME_NOTEBOOK, access_query(secret, collective=str(c)))
            if base
            else collective_link(secret, str(c))
            for c in summary["collective"]
        ]
        downloads.append(
            download_link(
                roster_csv(roster),
                "collective-roster.csv",
                "text/csv",
                "Roster (CSV)",
                "ilc-download-csv",
            )
        )
        downloads.append(
            download_link(
                roster_xlsx(roster, summary),
                "collective-roster.xlsx",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "Roster (XLSX)",
                "ilc-download-xlsx",
            )
        )
        self.downloads.value = (
            "<div class='ilc'>"
            + "".join(notes)
            + f"<p><b>Downloads</b> ({len(roster)} members in {len(saved)} collectives): "
            + "".join(downloads)
            + "</p></div>"
        )
        links = dict(zip(summary["collective"].astype(str), summary["link"], strict=True))
        cards = []
        for c in saved[:LINK_CARDS]:
            url = links[c.code]
            qr = f"<div class='qr'>{qr_svg(url)}</div>" if base else ""
            modality = MODALITY_LABELS.get(c.modality, c.modality) + (
                f" · {esc(c.region)}" if c.region else ""
            )
            n = counts.get(c.code, 0)
            facilitator = (
                f"<div class='muted'>Facilitator: {esc(c.facilitator_name)}</div>"
                if c.facilitator_name
                else ""
            )
            cards.append(
                f"<div class='ilc-link-card' data-collective='{esc(c.code)}'>"
                f"<h4>{esc(c.name)}</h4><div class='muted'>{esc(c.theme)} · {modality} · "
                f"{n} member{'s' if n != 1 else ''}</div>{facilitator}{qr}"
                f"<div class='url'><a class='ilc-link' href='{esc(url)}' target='_blank'>"
                f"{esc(url)}</a></div></div>"
            )
        more = (
            f"<p class='muted'>The first {LINK_CARDS} of {len(saved)} collectives are shown; "
            "the links sheet and the XLSX have them all.</p>"
            if big
            else ""
        )
        self.link_cards.value = (
            f"<div class='ilc'><div class='ilc-link-grid'>{''.join(cards)}</div>{more}</div>"
        )


def _details(collectives: Iterable[Collective]) -> tuple[tuple[Any, ...], ...]:
    """What the board shows of each collective (not its revision counter), sorted by id."""
    return tuple(
        sorted(
            (
                c.code,
                c.name,
                c.theme,
                c.region,
                c.modality,
                c.facilitator_name,
                c.facilitator_email,
                c.locked,
            )
            for c in collectives
        )
    )


def _chart_text(text: str, width: int = 38) -> str:
    """A label for a chart: shortened, with '$' kept literal (not read as maths)."""
    text = text if len(text) <= width else text[: width - 1].rstrip() + "…"
    return text.replace("$", r"\$")


def _role_order(role: str) -> tuple[int, str]:
    """Roles in the vocabulary's order (unknown roles last)."""
    order = list(ROLES)
    return (order.index(role) if role in order else len(order), role)


def _bars(counts: Counter[str], total: int, css: str) -> str:
    """Counts as small horizontal bars, largest first."""
    rows = []
    for name, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:8]:
        width = max(4, round(90 * n / max(total, 1)))
        rows.append(
            f"<tr><td class='lbl' title='{esc(name)}'>{esc(name)}</td><td><span class='ilc-bar "
            f"{css}' style='width:{width}px'></span>{n}</td></tr>"
        )
    rest = len(counts) - 8
    if rest > 0:
        rows.append(f"<tr><td class='lbl muted'>{rest} more</td><td></td></tr>")
    return f"<table>{''.join(rows)}</table>"


def _default_names(groups: Sequence[_Group], people: Mapping[str, _Person]) -> None:
    """Name new collectives after theme and meeting place: 'Math discourse (North Lakes)'."""
    taken = {g.name.casefold() for g in groups if g.name}
    for group in groups:
        if group.name:
            continue
        members = [people[p] for p in group.members if p in people]
        virtual = not members or _modality(members, group.region) == "virtual"
        where = "virtual" if virtual else group.region
        theme = group.theme or "Collective"
        name, k = f"{theme} ({where})", 1
        while name.casefold() in taken:
            k += 1
            name = f"{theme} {k} ({where})"
        group.name = name
        taken.add(name.casefold())


def _renamed(
    items: Sequence[tuple[str, str, tuple[str, ...]]], by_id: Mapping[str, _Group]
) -> list[tuple[str, str, tuple[str, ...]]]:
    """The optimizer's messages with its collective ids replaced by the board's names and ids."""
    if not by_id:
        return list(items)
    pattern = re.compile(
        r"(?<![\w-])("
        + "|".join(re.escape(c) for c in sorted(by_id, key=len, reverse=True))
        + r")(?![\w-])"
    )

    def name(found: re.Match[str]) -> str:
        group = by_id[found.group(1)]
        return f"'{group.name}' ({group.code})"

    return [(rule, pattern.sub(name, message), pids) for rule, message, pids in items]


def _compute(frame: pd.DataFrame, params: Mapping[str, Any]) -> _Formed:
    """Run the optimizer (in a worker thread under a kernel)."""
    from ..grouping import RULES, form_collectives

    result = form_collectives(frame, **params)
    explanations = [
        (RULES.get(e.rule, e.rule).capitalize(), e.message, tuple(e.participant_ids))
        for e in result.attrs.get("explanations", [])
    ]
    violations = [
        (RULES.get(v.rule, v.rule).capitalize(), v.message, tuple(v.participant_ids))
        for v in result.attrs.get("violations", [])
    ]
    return _Formed(result, explanations, violations)


__all__ = [
    "FACILITATORS_ONLY",
    "CollectiveBoard",
    "CollectiveCard",
    "download_link",
    "match_collectives",
    "roster_csv",
    "roster_frame",
    "roster_xlsx",
    "server_base_url",
]
