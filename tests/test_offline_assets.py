"""Pages work on a network without internet: every request stays on the kit's own server.

``ilc serve`` uses the kit's Voilà template ``ilc`` (Voilà's ``lab`` without its CDN links);
Font Awesome and its webfonts come from Voilà's own static files. The browser tests open
pages with every request to another host aborted and recorded.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from ilc_widgets._voila_launch import JUPYTER_DATA, KIT_TEMPLATE, use_kit_templates
from ilc_widgets.serve import voila_arguments
from tests.conftest import Served, start_ilc_serve, stop_served

LOCAL_HOST = "127.0.0.1"
ICON_FAMILY = "Font Awesome 5 Free"

# The @font-face rules of an icon family, with the absolute URLs of their sources.
_FONT_FACE_RULES = """(family) => {
  const found = [];
  for (const sheet of document.styleSheets) {
    let rules;
    try { rules = sheet.cssRules; } catch (e) { continue; }
    for (const rule of rules) {
      if (!(rule instanceof CSSFontFaceRule)) continue;
      const name = rule.style.getPropertyValue('font-family').replace(/["']/g, '').trim();
      if (name !== family) continue;
      const base = sheet.href || document.baseURI;
      const src = rule.style.getPropertyValue('src');
      const urls = [...src.matchAll(/url\\(\\s*["']?([^"')]+)["']?\\s*\\)/g)]
        .map((m) => new URL(m[1], base).href);
      found.push({weight: rule.style.getPropertyValue('font-weight'), urls: urls});
    }
  }
  return found;
}"""

# The faces of an icon family, once the page's fonts are ready, and whether the face of the
# given weight is loaded (check() is true for a family with no face at all: faces tell).
_LOADED_FACES = """async ([family, weight]) => {
  await document.fonts.ready;
  return {
    faces: [...document.fonts]
      .filter((f) => f.family.replace(/["']/g, '') === family)
      .map((f) => ({weight: String(f.weight), status: f.status})),
    check: document.fonts.check(weight + ' 16px "' + family + '"'),
  };
}"""


@dataclass
class Visit:
    """A page opened with every request to another host aborted, and what it fetched."""

    page: Any
    external: list[str] = field(default_factory=list)
    responses: dict[str, int] = field(default_factory=dict)

    def fetched(self, url: str) -> int | None:
        """The status of ``url`` as the page fetched it (None: never fetched)."""
        return self.responses.get(url)


@pytest.fixture(scope="module")
def served_offline(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """``ilc serve`` over this module's own demo network."""
    from ilc_widgets.demo import load_demo

    path = tmp_path_factory.mktemp("offline") / "demo.sqlite"
    load_demo(path).close()
    served = start_ilc_serve(str(path), preheat=False)
    yield served
    stop_served(served)


@pytest.fixture
def visit(browser: Any) -> Iterator[Any]:
    """``visit(url)`` opens ``url`` in a fresh context where only 127.0.0.1 answers."""
    contexts: list[Any] = []

    def open_offline(url: str) -> Visit:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        contexts.append(context)
        seen = Visit(page=None)

        def route(route: Any, request: Any) -> None:
            if urlparse(request.url).hostname != LOCAL_HOST:
                seen.external.append(request.url)
                route.abort()
            else:
                route.continue_()

        def response(resp: Any) -> None:
            seen.responses[resp.url] = resp.status

        context.route("**/*", route)
        context.on("response", response)
        seen.page = context.new_page()
        seen.page.set_default_timeout(120_000)
        seen.page.goto(url)
        return seen

    yield open_offline
    for context in contexts:
        context.close()


def _workbook(link: str, notebook: str) -> str:
    """A link's URL with its workbook replaced (the key and collective stay)."""
    assert "00_home.ipynb" in link
    return link.replace("00_home.ipynb", notebook)


# ---------------------------------------------------------------------- configuration


def test_voila_is_started_with_the_kit_template(tmp_path):
    args = voila_arguments(tmp_path, port=8866)
    assert f"--VoilaConfiguration.template={KIT_TEMPLATE}" in args
    folder = JUPYTER_DATA / "voila" / "templates" / KIT_TEMPLATE
    assert (folder / "index.html.j2").is_file() and (folder / "page.html").is_file()


def test_the_hub_voila_server_gets_the_kit_template():
    from ilc_widgets.hub_server import voila_argv

    argv = voila_argv({"JUPYTERHUB_SERVICE_URL": "http://127.0.0.1:9999/user/a/"})
    assert f"--VoilaConfiguration.template={KIT_TEMPLATE}" in argv


def test_kit_template_folder_goes_first_on_jupyter_path_once():
    environ = {"JUPYTER_PATH": os.pathsep.join(["/elsewhere", str(JUPYTER_DATA)])}
    use_kit_templates(environ)
    use_kit_templates(environ)
    assert environ["JUPYTER_PATH"].split(os.pathsep) == [str(JUPYTER_DATA), "/elsewhere"]
    empty: dict[str, str] = {}
    use_kit_templates(empty)
    assert empty["JUPYTER_PATH"] == str(JUPYTER_DATA)


def test_voila_finds_the_kit_template_on_top_of_lab(monkeypatch):
    from voila.paths import collect_static_paths, collect_template_paths

    environ: dict[str, str] = {}
    use_kit_templates(environ)
    monkeypatch.setenv("JUPYTER_PATH", environ["JUPYTER_PATH"])
    paths = collect_template_paths(["voila", "nbconvert"], KIT_TEMPLATE, prune=True)
    assert Path(paths[0]) == JUPYTER_DATA / "voila" / "templates" / KIT_TEMPLATE
    statics = collect_static_paths(["voila", "nbconvert"], KIT_TEMPLATE)
    # Voilà's own files (voila-style.js with Font Awesome and its webfonts) stay reachable
    assert any((Path(p) / "voila-style.js").is_file() for p in statics)


def test_kit_template_names_no_other_host():
    files = [p for p in JUPYTER_DATA.rglob("*") if p.is_file()]
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert "//" not in text, path  # no http://, https:// or //host URL
        assert re.search(r"(?i)\bcdn[\w-]*\.\w", text) is None, path


# ---------------------------------------------------------------------- in the browser


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize(
    ("who", "notebook"),
    [("collective", "04_collect_evidence.ipynb"), ("facilitator", "04_collect_evidence.ipynb")],
)
def test_workbook_icons_come_from_the_kit_server(served_offline, visit, who, notebook):
    link = (
        served_offline.facilitator
        if who == "facilitator"
        else served_offline.collectives["absenteeism-1"]
    )
    seen = visit(_workbook(link, notebook))
    page = seen.page
    page.wait_for_selector(".ilc-app", state="visible")
    icon = page.locator("button i.fa").first
    icon.wait_for(state="visible")
    assert "Font Awesome" in icon.evaluate("(el) => getComputedStyle(el).fontFamily")
    weight = icon.evaluate("(el) => getComputedStyle(el).fontWeight")

    loaded = page.evaluate(_LOADED_FACES, [ICON_FAMILY, weight])
    assert {"weight": weight, "status": "loaded"} in loaded["faces"], loaded
    assert loaded["check"] is True

    # the family's @font-face rules point at this server, and the page fetched the font
    rules = page.evaluate(_FONT_FACE_RULES, ICON_FAMILY)
    assert rules, "no @font-face rule for the icon font"
    face = next(r for r in rules if r["weight"] == weight)
    woff2 = next(u for u in face["urls"] if urlparse(u).path.endswith(".woff2"))
    assert urlparse(woff2).hostname == LOCAL_HOST
    assert seen.fetched(woff2) == 200
    style_js = [u for u in seen.responses if urlparse(u).path.endswith("/static/voila-style.js")]
    assert [seen.fetched(u) for u in style_js] == [200]  # it carries Font Awesome's CSS
    assert urlparse(style_js[0]).hostname == LOCAL_HOST

    page.wait_for_load_state("networkidle")
    page.screenshot(path=f"test-artifacts/offline-{who}-{notebook[:2]}.png")
    assert seen.external == []  # nothing was even attempted elsewhere


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("where", ["file list", "missing page"])
def test_voila_own_pages_ask_no_other_host(served_offline, visit, where):
    url = served_offline.base_url
    if where == "missing page":
        url += "voila/render/no-such-workbook.ipynb"
    seen = visit(url)
    seen.page.wait_for_load_state("networkidle")
    assert seen.fetched(url) == (200 if where == "file list" else 404)
    css = [u for u in seen.responses if urlparse(u).path.endswith("/static/index.css")]
    assert css and all(seen.fetched(u) == 200 for u in css)
    assert seen.external == []
