"""Access links for a network and the printable links sheet with a QR code per collective."""

from __future__ import annotations

import html
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from .access import HOME_NOTEBOOK, access_query, notebook_url

if TYPE_CHECKING:
    from .network import Network


@dataclass(frozen=True)
class Link:
    """One access link: a collective's (``collective`` set) or a role's."""

    collective: str | None
    name: str
    url: str
    role: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (``collective`` is null for the facilitator link)."""
        return asdict(self)


def network_links(
    network: Network, base_url: str, *, notebook: str = HOME_NOTEBOOK, intake: bool = False
) -> list[Link]:
    """The facilitator link first, then one link per collective (and the intake form's)."""
    secret = network.secret
    links = [
        Link(
            None,
            "Facilitator",
            notebook_url(base_url, notebook, access_query(secret, role="facilitator")),
            "facilitator",
        )
    ]
    links += [
        Link(
            c.code,
            c.name,
            notebook_url(base_url, notebook, access_query(secret, collective=c.code)),
            "participant",
        )
        for c in network.collective_list()
    ]
    if intake:
        links.append(
            Link(
                None,
                "Participant intake form",
                notebook_url(
                    base_url, "01_gather_themes.ipynb", access_query(secret, role="intake")
                ),
                "intake",
            )
        )
    return links


def qr_svg(url: str, *, scale: int = 3) -> str:
    """An inline SVG QR code of ``url``, black on white for any printer."""
    import segno

    return str(segno.make(url, error="m").svg_inline(scale=scale, dark="#000", light="#fff"))


def links_sheet_html(network: Network, base_url: str, *, intake: bool = True) -> str:
    """A printable page: one card per collective with its name, theme, QR code and URL.

    The facilitator link is left off on purpose: the sheet is handed around the room.
    """
    info = network.info
    cards = []
    themes = {c.code: c for c in network.collective_list()}
    for link in network_links(network, base_url, intake=intake):
        if link.role == "facilitator":
            continue
        found = themes.get(link.collective or "")
        detail = (
            f"{html.escape(found.theme)}"
            + (f" · {html.escape(found.region)}" if found.region else "")
            if found
            else "Tell us your focus for inquiry"
        )
        cards.append(
            f"""<section class="card">
  <h2>{html.escape(link.name)}</h2>
  <p class="detail">{detail}</p>
  <div class="qr">{qr_svg(link.url)}</div>
  <p class="url">{html.escape(link.url)}</p>
</section>"""
        )
    body = "\n".join(cards) or "<p>No collectives yet.</p>"
    title = html.escape(f"{info['name']}: collective links")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 1.5cm; color: #000; }}
h1 {{ font-size: 20pt; margin: 0 0 .3cm; }}
.note {{ margin: 0 0 .8cm; }}
.grid {{ display: grid; grid-template-columns: 1fr 1fr; gap: .8cm; }}
.card {{ border: 1.5pt solid #000; border-radius: 6pt; padding: .5cm; break-inside: avoid; }}
.card h2 {{ font-size: 15pt; margin: 0 0 .15cm; }}
.detail {{ margin: 0 0 .3cm; }}
.qr svg {{ width: 4.2cm; height: 4.2cm; }}
.url {{ font-family: monospace; font-size: 7.5pt; word-break: break-all; margin: .2cm 0 0; }}
@media print {{ body {{ margin: 1cm; }} }}
</style></head>
<body>
<h1>{title}</h1>
<p class="note">Scan your collective's code with a phone or type the address under it.
Each link opens only that collective's workbooks; please keep it within your group.</p>
<div class="grid">
{body}
</div>
</body></html>
"""
