"""The page chrome without a browser: a Notice carries the live-region classes the kit's
Voilà template turns into roles, and the template holds the contract's script and the
phone layout (the browser tests check them on real pages)."""

from __future__ import annotations

from pathlib import Path

from ilc_widgets.widgets._kit.notice import ALERT_CLASS, LIVE_CLASS, Notice, guard

TEMPLATE = (
    Path(__file__).resolve().parent.parent
    / "ilc_widgets/_jupyter_data/voila/templates/ilc/index.html.j2"
)


def test_a_notice_is_a_live_region_and_an_alert_only_while_it_shows_an_error() -> None:
    notice = Notice()
    assert LIVE_CLASS in notice._dom_classes and ALERT_CLASS not in notice._dom_classes
    notice.show("Nothing was saved: the date is missing", "error")
    assert ALERT_CLASS in notice._dom_classes and LIVE_CLASS in notice._dom_classes
    notice.show("Saved", "success")
    assert ALERT_CLASS not in notice._dom_classes
    notice.show("Again wrong", "error")
    notice.clear()
    assert ALERT_CLASS not in notice._dom_classes and notice.value == ""
    notice.show("", "error")  # nothing shown: nothing to alert
    assert ALERT_CLASS not in notice._dom_classes


def test_a_guarded_failure_is_an_alert() -> None:
    notice = Notice()

    def fail() -> None:
        raise RuntimeError("SELECT secret FROM keys")

    assert guard(notice, "Saving", fail) is False
    assert ALERT_CLASS in notice._dom_classes
    assert "SELECT" not in notice.value


def test_the_template_carries_the_contract_and_the_phone_layout() -> None:
    text = TEMPLATE.read_text(encoding="utf-8")
    for needle in (
        ".ilc-live",
        ".ilc-alert",
        ".ilc-invalid",
        "aria-invalid",
        "aria-pressed",
        "MutationObserver",
        "@media (max-width: 600px)",
        ":focus-visible",
    ):
        assert needle in text, needle
    # no request to another host from the page frame
    assert "https://" not in text and "http://" not in text
