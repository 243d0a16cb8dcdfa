"""Runs with no browser (papermill, nbconvert) save a report: charts, tables and values."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import ipywidgets as W
import pytest

from ilc_widgets.session import has_front_end
from ilc_widgets.widgets._static import StaticView, split_charts, to_html

WORKBOOKS = Path(__file__).resolve().parent.parent / "workbooks"
COLLECTIVE = "literacy-1"
PLACEHOLDERS = ("Drawing the", "Loading…", "Building", "Preparing")


def test_front_end_detection():
    assert not has_front_end({})  # papermill / nbconvert / nbval kernels
    assert has_front_end({"SERVER_SOFTWARE": "voila/0.5"})
    assert has_front_end({"JPY_SESSION_NAME": "/home/r/05_review_progress.ipynb"})
    assert has_front_end({"ILC_STATIC": "0"})
    assert not has_front_end({"ILC_STATIC": "1", "JPY_SESSION_NAME": "x.ipynb"})


def test_to_html_shows_what_the_page_shows():
    hidden = W.HTML("secret draft")
    hidden.layout.display = "none"
    box = W.VBox(
        [
            W.HTML("<b>Heading</b><svg><rect/></svg><p>after</p>"),
            W.Text(value="<i>typed</i>", description="Name"),
            W.Dropdown(options=[("Leading", "leading"), ("Lagging", "lagging")], value="lagging"),
            W.Button(description="Save"),
            hidden,
        ]
    )
    html = to_html(box)
    assert "<b>Heading</b>" in html and "&lt;i&gt;typed&lt;/i&gt;" in html and "Lagging" in html
    assert "Save" not in html and "secret draft" not in html
    parts = split_charts(html)
    assert [m for m, _ in parts] == ["text/html", "image/svg+xml", "text/html"]
    assert parts[1][1] == "<svg><rect/></svg>"


def _outputs(nb: Any) -> list[dict[str, Any]]:
    """Every output, with multi-line strings (saved as lists) joined."""
    found = []
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            data = {
                k: "".join(v) if isinstance(v, list) else v for k, v in out.get("data", {}).items()
            }
            found.append({**out, "data": data})
    return found


@pytest.fixture(scope="module")
def reruns(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Workbooks 03 to 06 rerun by papermill for one collective (as a researcher would)."""
    papermill = pytest.importorskip("papermill")
    from ilc_widgets.demo import load_demo

    folder = tmp_path_factory.mktemp("static")
    database = folder / "demo.sqlite"
    load_demo(database).close()
    done = {}
    for name in (
        "03_design_inquiry",
        "04_collect_evidence",
        "05_review_progress",
        "06_share_knowledge",
    ):
        out = folder / f"{name}.ipynb"
        papermill.execute_notebook(
            str(WORKBOOKS / f"{name}.ipynb"),
            str(out),
            parameters={"database": str(database), "collective": COLLECTIVE},
            cwd=str(WORKBOOKS),
            kernel_name="python3",
            progress_bar=False,
        )
        done[name] = out
    return done


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "charts"),
    [
        ("03_design_inquiry", 0),
        ("04_collect_evidence", 0),
        ("05_review_progress", 4),
        ("06_share_knowledge", 2),
    ],
)
def test_papermill_output_holds_the_report(reruns, name, charts):
    nb = json.loads(reruns[name].read_text(encoding="utf-8"))
    outputs = _outputs(nb)
    html = "".join(str(o.get("data", {}).get("text/html", "")) for o in outputs)
    svgs = [o["data"]["image/svg+xml"] for o in outputs if "image/svg+xml" in o.get("data", {})]
    assert len(svgs) >= charts, f"{name}: {len(svgs)} charts"
    assert all(s.lstrip().startswith("<svg") for s in svgs)
    assert not any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in outputs)
    for text in PLACEHOLDERS:
        assert text not in html, f"{name} saved the placeholder {text!r}"
    assert "Sound Foundations" in html  # the collective's own content is there
    if name == "03_design_inquiry":
        assert "Problem of practice" in html
    if name == "04_collect_evidence":
        assert "<table" in html and "Entries" in html
    if name == "05_review_progress":
        assert re.search(r"d = −?-?\d\.\d\d", html), "the effect size is written out"


@pytest.mark.slow
def test_nbconvert_html_shows_the_same_figures(reruns, tmp_path):
    from nbconvert import HTMLExporter

    nb_text = reruns["05_review_progress"].read_text(encoding="utf-8")
    nb = json.loads(nb_text)
    expected = sum("image/svg+xml" in o.get("data", {}) for o in _outputs(nb))
    import nbformat

    body, _ = HTMLExporter().from_notebook_node(nbformat.reads(nb_text, as_version=4))
    assert body.count('data-mime-type="image/svg+xml"') == expected >= 4
    assert re.search(r"d = −?-?\d\.\d\d", body)
    for text in PLACEHOLDERS:
        assert text not in body


def test_static_view_keeps_the_widget(ctx_for):
    from ilc_widgets.widgets.home import HomePage

    view = StaticView(HomePage(ctx_for("participant", COLLECTIVE)))
    assert isinstance(view.widget, HomePage)
    assert repr(view) == "HomePage(static view)"
    assert any("Members" in data for mime, data in view.parts if mime == "text/html")
