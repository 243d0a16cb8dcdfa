"""The same value reads the same everywhere: units, dates and status marks.

One indicator of a demo collective is followed through what people see of it: the progress
dashboard (05), the gallery (06), the network report and the placemat export. Each must
write its target, target date, latest value and status exactly as :mod:`ilc_widgets.format`
does; none may fall back to another spelling (``45 pct``, ``2027-01-29``, ``✓``/``!``/``✗``).
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from ipywidgets.widgets import widget as widget_module

from ilc_widgets import format as fmt
from ilc_widgets import workbook
from ilc_widgets.access import access_query
from ilc_widgets.placemat_export import placemat_html
from ilc_widgets.reports import build_network_report, render_html
from ilc_widgets.session import SessionContext
from ilc_widgets.stats import summarize_indicators
from ilc_widgets.widgets.share import ShareOutCardView

#: Spellings of units, dates and marks that the kit once used and must not come back.
OLD_UNIT = re.compile(r"\d (?:pct|percent|per cent)\b")
OLD_MARKS = ("✓ on track", "✗ off track", "! at risk")


def _page_text(build: Any, open_card: str = "") -> str:
    """Run ``build`` and return the JSON state of every widget it made (what the page holds).

    ``open_card``: the gallery card of this collective is opened first, as a person would.
    """
    before = set(widget_module._instances)
    build()
    made = [w for k, w in list(widget_module._instances.items()) if k not in before]
    for w in made:
        if isinstance(w, ShareOutCardView) and w.card.code == open_card:
            w.expanded = True
    return json.dumps([w.get_state() for w in made], default=str, ensure_ascii=False)


@pytest.fixture(scope="module")
def followed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A demo collective, one of its percent indicators with a target date, and its status."""
    from ilc_widgets.demo import load_demo

    net = load_demo(tmp_path_factory.mktemp("same") / "demo.sqlite")
    evidence = net.evidence
    for c in net.collective_list():
        placemat = net.placemat(c.code).placemat
        mine = evidence[evidence["collective"] == c.code]
        summary = summarize_indicators(mine, placemat.indicators)
        for ind in placemat.indicators:
            if fmt.with_unit(1, ind.unit) != "1%" or not ind.target_date:
                continue
            row = summary[summary["indicator_id"] == ind.id]
            if row.empty or row.iloc[0]["status"] == "no_data":
                continue
            yield {"net": net, "code": c.code, "collective": c, "ind": ind, "row": row.iloc[0]}
            net.close()
            return
    pytest.fail("the demo has no percent indicator with a target date and data")


def _expected(f: dict[str, Any]) -> dict[str, str]:
    ind, row = f["ind"], f["row"]
    return {
        "target": fmt.with_unit(ind.target, ind.unit),
        "target date": fmt.date_text(ind.target_date),
        "baseline": fmt.with_unit(ind.baseline, ind.unit),
        "latest": fmt.with_unit(row["latest_value"], ind.unit),
        "mark": fmt.STATUS_MARKS[row["status"]],
    }


def _participant(f: dict[str, Any]) -> SessionContext:
    net = f["net"]
    return SessionContext(
        "participant",
        network=net,
        collective=net.collective(f["code"]),
        actor="member",
        query=access_query(net.secret, collective=f["code"]),
    )


def _outputs(f: dict[str, Any]) -> dict[str, str]:
    net, code = f["net"], f["code"]
    ctx = _participant(f)
    state = net.placemat(code)
    report = build_network_report(net, collectives=[code])
    return {
        "dashboard": _page_text(lambda: workbook.section(ctx, "progress_dashboard")),
        "gallery": _page_text(lambda: workbook.section(ctx, "gallery"), open_card=code),
        "network report": render_html(report),
        "placemat export": placemat_html(
            state.placemat, collective_name=f["collective"].name, theme=f["collective"].theme
        ),
    }


def test_the_followed_values_are_written_by_format(followed):
    expected = _expected(followed)
    assert expected["target"].endswith("%")
    assert re.fullmatch(r"\d{1,2} [A-Z][a-z]{2} \d{4}", expected["target date"])
    assert expected["mark"] in "●▲■○"


@pytest.mark.parametrize(
    ("where", "what"),
    [
        ("dashboard", ["target", "target date", "baseline", "latest", "mark"]),
        ("gallery", ["target", "target date", "baseline", "latest", "mark"]),
        ("network report", ["target", "target date", "baseline", "latest", "mark"]),
        ("placemat export", ["target", "target date", "baseline"]),
    ],
)
def test_each_place_writes_the_value_the_same_way(followed, where, what):
    expected = _expected(followed)
    text = _outputs(followed)[where]
    for name in what:
        assert expected[name] in text, f"{where}: {name} should read {expected[name]!r}"
    assert not OLD_UNIT.search(text), f"{where}: {OLD_UNIT.search(text)}"
    iso = str(followed["ind"].target_date)[:10]
    assert iso not in re.sub(r"<[^>]*>", "", text), f"{where}: the target date is written as {iso}"
    for old in OLD_MARKS:
        assert old not in text, f"{where}: status written as {old!r}"


def test_a_module_with_its_own_unit_rule_is_caught(followed, monkeypatch):
    """The check can fail: a report that formats units its own way (``90 pct``) is caught."""
    import ilc_widgets.reports.cards as cards

    def own_copy(value: Any, unit: Any, *, missing: str = "") -> str:
        return f"{fmt.number(value)} {'pct' if unit == '%' else unit}".strip()

    monkeypatch.setattr(cards, "with_unit", own_copy)
    expected = _expected(followed)
    text = _outputs(followed)["network report"]
    assert OLD_UNIT.search(text)
    assert expected["latest"] not in text or expected["target"] not in text
