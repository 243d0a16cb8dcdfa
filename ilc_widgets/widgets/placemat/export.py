"""The "Print the placemat" card: HTML and PDF downloads of the printable placemat."""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING, Any

import ipywidgets as W

from .._base import esc
from .._kit.notice import report, user_message
from .parts import _button, _card, _html, _lay

if TYPE_CHECKING:
    from collections.abc import Callable

    from ...placemat import Placemat
    from .._kit.notice import Notice

__all__ = ["ExportCard", "download_link"]


def download_link(data: bytes, name: str, mime: str, version: int) -> str:
    """A link that saves ``data`` as ``name``, with its size and the version it shows."""
    encoded = base64.b64encode(data).decode("ascii")
    return (
        f"<a class='ilc-pm-download-link' download='{esc(name)}' "
        f"href='data:{mime};base64,{encoded}'>Save {esc(name)}</a> "
        f"<span class='muted'>({len(data) // 1024 + 1} KB, version {version})</span>"
    )


class ExportCard:
    """The card (:attr:`card`): two buttons (HTML, PDF) and the link that saves what they
    made.

    ``source()`` gives the placemat, the export options (collective name, theme, members,
    version) and the file stem at the moment a button is pressed.
    """

    def __init__(
        self, source: Callable[[], tuple[Placemat, dict[str, Any], str]], notice: Notice
    ) -> None:
        self.source = source
        self.notice = notice
        self.html_button = _button("Download HTML", "ilc-pm-download-html", icon="download")
        self.pdf_button = _button("Download PDF", "ilc-pm-download-pdf", icon="download")
        self.download = _html("", "ilc-pm-download")
        self.html_button.on_click(lambda _: self.prepare("html"))
        self.pdf_button.on_click(lambda _: self.prepare("pdf"))
        self.card = _card(
            "Print the placemat",
            "One landscape page with the problem of practice in the centre, readable in "
            "black and white.",
            [W.HBox([self.html_button, self.pdf_button], layout=_lay()), self.download],
            "ilc-pm-export",
        )

    def prepare(self, kind: str) -> None:
        """Build the printable placemat (``kind`` "html" or "pdf") and show a link that
        saves it."""
        from ...placemat_export import placemat_html, placemat_pdf_bytes

        doc, options, stem = self.source()
        try:
            if kind == "pdf":
                data = placemat_pdf_bytes(doc, **options)
                mime, name = "application/pdf", f"{stem}.pdf"
            else:
                data = placemat_html(doc, **options).encode("utf-8")
                mime, name = "text/html", f"{stem}.html"
        except Exception as exc:
            what = f"Making the {kind.upper()}"
            report(what, exc)
            self.download.value = ""
            self.notice.show(user_message(what, exc), "error")
            return
        self.download.value = download_link(data, name, mime, int(options["version"]))
