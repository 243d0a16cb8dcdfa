"""The kit's stylesheets, each sent to the page once, and shared Layout and Style models.

A stylesheet pasted into every HTML widget travels to the browser with every one of them.
Here each named stylesheet is one widget per kernel (one kernel serves one page under
Voilà): :func:`stylesheet` returns that widget, and every section that needs the sheet
puts the same widget on the page, so its text is sent once. :func:`shared` does the same
for Layout and Style models, which the browser creates before the page is usable.

Register a section's sheet once, where its CSS lives::

    register_stylesheet("gallery", CSS)
    ...
    children = [stylesheet("base"), stylesheet("gallery"), ...]
"""

from __future__ import annotations

from typing import Any, Final

import ipywidgets as W

__all__ = ["BASE_CSS", "register_stylesheet", "shared", "stylesheet"]

BASE_CSS: Final = """
<style>
.ilc { font-family: var(--jp-ui-font-family, system-ui, sans-serif); color: #1b1f24; }
.ilc h2 { font-size: 1.35em; margin: .2em 0 .4em; }
.ilc h3 { font-size: 1.1em; margin: .6em 0 .3em; }
.ilc .muted { color: #57606a; }
.ilc table.ilc-table { border-collapse: collapse; margin: .3em 0; font-size: .92em; }
.ilc table.ilc-table th, .ilc table.ilc-table td {
  border: 1px solid #d0d7de; padding: 3px 8px; text-align: left; vertical-align: top; }
.ilc table.ilc-table th { background: #f3f5f7; }
.ilc .card { border: 1px solid #d0d7de; border-radius: 6px; padding: .6em .8em; margin: .3em 0;
  background: #fff; }
.ilc .pill { display: inline-block; border-radius: 10px; padding: 0 .5em; font-size: .85em;
  border: 1px solid #8c959f; margin-right: .3em; }
.ilc .ok { color: #1a7f37; } .ilc .warn { color: #9a6700; } .ilc .bad { color: #cf222e; }
.ilc-notice { padding: .4em .7em; border-radius: 5px; margin: .3em 0; }
.ilc-notice.info { background: #ddf4ff; border: 1px solid #54aeff; }
.ilc-notice.success { background: #dafbe1; border: 1px solid #4ac26b; }
.ilc-notice.error { background: #ffebe9; border: 1px solid #ff8182; }
.ilc-notice.warning { background: #fff8c5; border: 1px solid #d4a72c; }
.ilc a.ilc-link { color: #0969da; text-decoration: underline; }
.ilc-restricted p, .ilc-intake-only p { font-size: 1.05em; max-width: 44em; }
.ilc-denied { font-size: 1.2em; padding: 1em; border: 1px solid #ff8182; border-radius: 6px;
  background: #ffebe9; max-width: 40em; }
</style>
"""
"""The kit's base stylesheet: fonts, tables, cards, pills and notices."""

_SHEETS: dict[str, str] = {"base": BASE_CSS}
_WIDGETS: dict[str, W.HTML] = {}
_SHARED: dict[tuple[Any, ...], Any] = {}


def _alive(widget: W.Widget | None) -> bool:
    """True while a widget's model still exists (it was not closed)."""
    return widget is not None and getattr(widget, "comm", None) is not None


def register_stylesheet(name: str, css: str) -> None:
    """Make ``css`` (a ``<style>`` block) known as ``name``; registering it again with
    other text replaces it (the next :func:`stylesheet` call sends the new text)."""
    if not css.lstrip().startswith("<style"):
        raise ValueError(f"the stylesheet {name!r} must be a <style> block")
    if _SHEETS.get(name) == css:
        return
    _SHEETS[name] = css
    shown = _WIDGETS.get(name)
    if shown is not None and _alive(shown):
        shown.value = css


def stylesheet(name: str = "base") -> W.HTML:
    """The widget carrying the stylesheet ``name``: one per kernel, shared by every section
    that shows it, so the text is sent to the page once (made again if it was closed)."""
    css = _SHEETS.get(name)
    if css is None:
        raise KeyError(f"no stylesheet {name!r} is registered (known: {', '.join(_SHEETS)})")
    found = _WIDGETS.get(name)
    if found is None or not _alive(found):
        found = _WIDGETS[name] = W.HTML(css)
        found.add_class(f"ilc-stylesheet-{name}")
    return found


def shared(kind: Any, **traits: Any) -> Any:
    """One Layout or Style per distinct setting, shared by every widget that uses it.

    Each Layout and Style is a model the browser creates before the page is usable, so
    sharing them keeps a workbook quick to open. Never change a shared one in place. A
    model closed since (its comm gone) is made again.
    """
    key = (kind, tuple(sorted(traits.items())))
    found = _SHARED.get(key)
    if not _alive(found):
        found = _SHARED[key] = kind(**traits)
    return found
