"""The Links and exports tab: each saved collective's link and QR code, the printable links
sheet and the roster downloads."""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

import ipywidgets as W

from .card import MODALITY_LABELS
from .exports import download_link, roster_csv, roster_frame, roster_xlsx, server_base_url

if TYPE_CHECKING:
    from .board import CollectiveBoard

__all__ = ["LINK_CARDS", "build_links", "render_links"]

esc = html.escape

LINK_CARDS = 60
"""Link cards shown at once, and the most collectives whose sheet is prepared on opening."""


def build_links(board: CollectiveBoard) -> None:
    """Make the Links and exports tab's controls (the first time it opens)."""
    sh = board._shared
    intro = W.HTML(
        "<div class='ilc'><h3>Links for the collectives</h3><p class='muted'>Each link "
        "opens only that collective's workbooks: hand it to its members (or let them scan "
        "the QR code). The facilitator link is not on this page or on the printed sheet; "
        "keep it to yourboard.</p></div>",
        layout=sh.plain,
        style=sh.html_style,
    )
    board.base_url = W.Text(
        value=server_base_url(),
        placeholder="http://server:8866/",
        description="Address people open",
        continuous_update=False,
        layout=W.Layout(width="34em"),
        style={"description_width": "11em"},
    )
    board.base_url.add_class("ilc-base-url")
    board.base_url.observe(lambda _c: board.render_links(), "value")
    board.downloads = W.HTML(layout=sh.plain, style=sh.html_style)
    board.downloads.add_class("ilc-downloads")
    board.sheet_button = W.Button(
        description="Prepare the printable links sheet",
        layout=W.Layout(width="auto", display="none"),
    )
    board.sheet_button.add_class("ilc-prepare-sheet")
    board.sheet_button.on_click(lambda _b: board.render_links(sheet=True))
    board.link_cards = W.HTML(layout=sh.plain, style=sh.html_style)
    board.link_cards.add_class("ilc-link-cards")
    board.links_box.children = (
        intro,
        board.base_url,
        board.downloads,
        board.sheet_button,
        board.link_cards,
    )
    board._links_built = True


def render_links(board: CollectiveBoard, *, sheet: bool = False) -> None:
    """Draw the saved collectives' links, QR codes and downloads (builds the tab)."""
    from ...access import HOME_NOTEBOOK, access_query, notebook_url
    from ...links import links_sheet_html, qr_svg
    from ..home import collective_link

    if not board._links_built:
        build_links(board)
    board._links_stale = False
    base = board.base_url.value.strip()
    if base and not re.match(r"^https?://[^\s/]+", base):
        board.downloads.value = (
            "<div class='ilc'><div class='ilc-notice error'>The address must start with "
            "http:// or https:// (for example http://192.168.1.20:8866/).</div></div>"
        )
        board.link_cards.value = ""
        return
    saved = board.net.collective_list()
    counts = {c: len(m) for c, m in board._saved_members.items()}
    secret = board.net.secret
    notes = []
    if board._proposal:
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
        board.downloads.value = (
            "<div class='ilc'>"
            + "".join(notes)
            + (
                "<p class='muted'>No collectives saved yet: form and save collectives first."
                "</p></div>"
            )
        )
        board.link_cards.value = ""
        board.sheet_button.layout.display = "none"
        return
    downloads = []
    big = len(saved) > LINK_CARDS
    if base and (sheet or not big):
        downloads.append(
            download_link(
                links_sheet_html(board.net, base, intake=False).encode("utf-8"),
                "collective-links.html",
                "text/html",
                "Printable links sheet (HTML, with QR codes)",
                "ilc-download-sheet",
            )
        )
    board.sheet_button.layout.display = "" if base and big and not sheet else "none"
    roster = roster_frame(board.net)
    summary = board.net.collectives_frame().rename(columns={"members": "members"})
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
    board.downloads.value = (
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
    board.link_cards.value = (
        f"<div class='ilc'><div class='ilc-link-grid'>{''.join(cards)}</div>{more}</div>"
    )
