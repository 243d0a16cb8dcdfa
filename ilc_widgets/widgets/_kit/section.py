"""The template-method base of a section that opens fast: the cheap part now, the heavy part
once the page shows it.

A subclass builds what the first view needs in its ``__init__``, then calls
:meth:`StagedSection.stage`; the kit calls :meth:`StagedSection.build_rest` (the data-heavy
part: reading the network, drawing charts, long lists) once the page has drawn the section,
or after a fallback delay if no page ever reports, or at once when no browser watches
(plain Python, papermill). A failure there is handed to :meth:`StagedSection.show_failure`,
never shown as a traceback.

How the page reports: every widget view the browser draws raises the widget's
``_view_count`` (which the kit switches on), so the first view is the signal.
"""

from __future__ import annotations

import html
import logging
from typing import TYPE_CHECKING, Any, ClassVar

import ipywidgets as W

from .loop import running_loop

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

__all__ = ["StagedSection", "heading_html"]

log = logging.getLogger("ilc_widgets")


class StagedSection(W.VBox):  # type: ignore[misc]
    """A section whose data-heavy part is built once the page shows it.

    Subclasses override :meth:`build_rest` and :meth:`show_failure`, and may change
    :attr:`fallback_seconds` and :attr:`delay_seconds`.
    """

    fallback_seconds: ClassVar[float] = 3.0
    """Build the heavy part this long after the section was made if no page reports a view."""
    delay_seconds: ClassVar[float] = 0.2
    """Build it this long after the first view (letting the browser finish drawing it);
    0: as the first view is reported."""

    children: tuple[W.Widget, ...]

    def __init__(self, children: Sequence[W.Widget] = (), **kwargs: Any) -> None:
        super().__init__(children, **kwargs)
        self.built = False

    # -- for subclasses
    def build_rest(self) -> None:
        """Read the data and draw what waited for the page."""
        raise NotImplementedError

    def show_failure(self, exc: Exception) -> None:
        """Say on the page that the heavy part could not be built."""
        raise NotImplementedError

    # -- staging
    def stage(self) -> None:
        """Build the heavy part once the page shows the section (at once without a loop)."""
        loop = running_loop()
        if loop is None:
            self.finish_building()
            return
        self._view_count = 0
        self.observe(self._on_view_count, "_view_count")
        loop.call_later(self.fallback_seconds, self.finish_building)

    def _on_view_count(self, change: Mapping[str, Any]) -> None:
        if not change["new"] or self.built:
            return
        loop = running_loop()
        if loop is None or self.delay_seconds <= 0:
            self.finish_building()
        else:
            loop.call_later(self.delay_seconds, self.finish_building)

    def finish_building(self) -> None:
        """Build the heavy part now (does nothing a second time)."""
        if self.built:
            return
        self.built = True
        try:
            self.build_rest()
        except Exception as exc:  # never a traceback on the page
            log.error("%s could not be built: %s", type(self).__name__, type(exc).__name__)
            self.show_failure(exc)


def heading_html(title: str, *, name: str = "", intro: str = "", cls: str = "ilc-sec-head") -> str:
    """A section's heading: its title, the name of the collective shown (if any) and a
    short introduction, escaped."""
    esc = html.escape
    sub = f"<div class='muted ilc-collective-name'>{esc(name)}</div>" if name else ""
    about = f"<p class='muted'>{esc(intro)}</p>" if intro else ""
    return f"<div class='ilc {esc(cls)}'><h2>{esc(title)}</h2>{sub}{about}</div>"
