"""The home page's stylesheet: the Today card and the list of workbooks (phone first)."""

from __future__ import annotations

from typing import Final

from .._kit.styles import register_stylesheet

CSS: Final = """
<style>
.ilc .ilc-today { border: 2px solid #0969da; border-radius: 10px; background: #f0f7ff;
  padding: 1em 1.2em; margin: .6em 0 1em; max-width: 44em; box-sizing: border-box; }
.ilc .ilc-today h3 { font-size: 1.45em; margin: 0 0 .35em; line-height: 1.25; }
.ilc .ilc-today p { font-size: 1.05em; margin: 0 0 .9em; line-height: 1.4; }
.ilc a.ilc-today-go { display: inline-block; background: #0969da; color: #fff;
  font-weight: 600; font-size: 1.1em; padding: .65em 1.3em; border-radius: 6px;
  text-decoration: none; box-sizing: border-box; }
.ilc a.ilc-today-go:hover { background: #0550ae; }
.ilc ol.ilc-steps { list-style: none; padding: 0; margin: .3em 0; max-width: 44em; }
.ilc ol.ilc-steps li { margin: .4em 0; }
.ilc a.ilc-step-link { display: block; padding: .6em .8em; border: 1px solid #8c959f;
  border-radius: 6px; color: #0550ae; font-weight: 600; background: #fff;
  text-decoration: underline; box-sizing: border-box; }
.ilc a.ilc-step-link:hover { background: #f0f7ff; }
.ilc a.ilc-step-link.ilc-step-today { border: 2px solid #0969da; background: #f0f7ff; }
.ilc .ilc-today-mark { display: inline-block; margin-left: .5em; padding: 0 .55em;
  border-radius: 10px; background: #0969da; color: #fff; font-size: .85em; }
.ilc li.ilc-step-done { padding: .6em .8em; border: 1px dashed #8c959f; border-radius: 6px;
  background: #f6f8fa; color: #1b1f24; overflow-wrap: anywhere; }
.ilc .ilc-step-done-mark { color: #1a7f37; font-weight: 700; margin-right: .3em; }
.ilc .ilc-home-members { overflow-x: auto; max-width: 100%; }
.ilc-home-today-control { max-width: 44em; }
@media (max-width: 600px) {
  .ilc .ilc-today { padding: .8em; }
  .ilc a.ilc-today-go { display: block; width: 100%; text-align: center; }
}
</style>
"""
"""The home page's styles."""

register_stylesheet("home", CSS)
