"""What the review sections read and draw, cached: a collective's evidence and indicators by
revision, its progress review, and the charts drawn from them.

Data is read through :class:`~ilc_widgets.network.Network` only and computed by
:mod:`ilc_widgets.stats`; both are cached by the collective's revision, so a refresh that
changes nothing redraws nothing.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass
from html import escape as esc
from typing import TYPE_CHECKING, Any, Final, Literal, overload

from ... import _chart_store
from ..._cache import remember
from ...format import as_date
from ...placemat import Indicator, Placemat
from ...stats import EffectSize, ProgressReview, network_progress, progress_review
from .._kit.loop import running_loop

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Callable

    import pandas as pd

    from ...network import Network

__all__ = [
    "PENDING_CHART",
    "SHARED_RETRY_SECONDS",
    "ReviewData",
    "cached_svg",
    "chart_key",
    "drawn",
    "drawn_for_page",
    "effect_chart",
    "load_review_data",
    "no_chart",
    "overview_of",
    "remember_svg",
    "review_data",
    "review_of",
    "trend_chart",
]


@dataclass(frozen=True)
class ReviewData:
    """What the dashboard reads from storage for one collective (or, ``code`` None, for
    the whole network), at one revision."""

    code: str | None
    revision: int
    evidence: pd.DataFrame
    indicators: dict[str, list[Indicator]]
    start: dt.date | None


def load_review_data(net: Network, code: str | None) -> ReviewData:
    """Read a collective's evidence and indicators (all collectives when ``code`` is None)."""
    revision = net.revision(code)
    evidence = net.evidence_frame(code)
    if code is None:
        frame = net.placemats_frame()
        indicators = {
            str(c): Placemat.from_dict(doc).indicators
            for c, doc in zip(frame["collective"], frame["document"], strict=True)
        }
    else:
        indicators = {code: net.placemat(code).placemat.indicators}
    return ReviewData(code, revision, evidence, indicators, as_date(net.info["cycle_start"]))


_CACHE_SIZE: Final = 8
SHARED_RETRY_SECONDS: Final = 0.25
"""How soon a page asks again for a chart another kernel is drawing."""
PENDING_CHART: Final = "<div class='ilc-rv-pending'>Drawing the chart…</div>"
"""What shows where a chart is still being drawn."""
_DATA: OrderedDict[tuple[str, str | None], ReviewData] = OrderedDict()
_RESULTS: OrderedDict[tuple[str, str | None, int, dt.date], Any] = OrderedDict()


def review_data(net: Network, code: str | None) -> ReviewData:
    """:func:`load_review_data`, read again only when the revision moved."""
    key = (net.url, code)
    found = _DATA.get(key)
    if found is not None and found.revision == net.revision(code):
        _DATA.move_to_end(key)
        return found
    data = load_review_data(net, code)
    remember(_DATA, key, data, _CACHE_SIZE)
    return data


def review_of(net: Network, code: str, today: dt.date) -> tuple[ReviewData, ProgressReview]:
    """A collective's data and its progress review on ``today`` (cached by revision)."""
    data = review_data(net, code)
    key = (net.url, code, data.revision, today)
    found = _RESULTS.get(key)
    if found is None:
        found = progress_review(
            data.evidence, data.indicators.get(code, []), start=data.start, today=today
        )
        remember(_RESULTS, key, found, _CACHE_SIZE)
    return data, found


def overview_of(net: Network, today: dt.date) -> tuple[ReviewData, pd.DataFrame]:
    """Every collective's data and the network's progress on ``today`` (cached by revision)."""
    data = review_data(net, None)
    key = (net.url, None, data.revision, today)
    found = _RESULTS.get(key)
    if found is None:
        found = network_progress(data.evidence, data.indicators, start=data.start, today=today)
        remember(_RESULTS, key, found, _CACHE_SIZE)
    return data, found


# --------------------------------------------------------------------------- charts


def chart_key(*parts: Any) -> str:
    """A cache key for a chart drawn from ``parts``."""
    return hashlib.sha1(repr(parts).encode("utf-8")).hexdigest()


def cached_svg(key: str) -> str | None:
    """A chart already drawn under ``key``, by this kernel or another (None when not kept)."""
    return _chart_store.get(key)


def remember_svg(key: str, svg: str) -> str:
    """Keep a drawn chart under ``key`` for this kernel and the server's others; returns it."""
    return _chart_store.put(key, svg)


@overload
def drawn(key: str, draw: Callable[[], str], *, share: Literal[False] = False) -> str: ...
@overload
def drawn(key: str, draw: Callable[[], str], *, share: bool) -> str | None: ...
def drawn(key: str, draw: Callable[[], str], *, share: bool = False) -> str | None:
    """The chart kept under ``key``, or ``draw()`` now and keep it.

    With ``share`` (a page drawing after it shows), None while another kernel of the server
    draws the same chart: ask again shortly, and read what it drew instead of importing
    matplotlib too.
    """
    found = cached_svg(key)
    if found is not None:
        return found
    if share and not _chart_store.claim(key):
        return None
    try:
        svg = draw()
    except BaseException:
        _chart_store.release(key)
        raise
    return remember_svg(key, svg)


def drawn_for_page(key: str, draw: Callable[[], str], retry: Callable[[], object]) -> str | None:
    """:func:`drawn` for a page that shows the chart once it is ready: in a kernel's event
    loop, None while another kernel of the server draws it, and ``retry`` is called again
    :data:`SHARED_RETRY_SECONDS` later; outside one (tests, scripts) it is drawn here."""
    loop = running_loop()
    svg = drawn(key, draw, share=loop is not None)
    if svg is None and loop is not None:
        loop.call_later(SHARED_RETRY_SECONDS, retry)
    return svg


@overload
def trend_chart(
    indicator: Indicator,
    trend: pd.DataFrame,
    start: dt.date | None,
    *,
    share: Literal[False] = False,
) -> str: ...
@overload
def trend_chart(
    indicator: Indicator, trend: pd.DataFrame, start: dt.date | None, *, share: bool
) -> str | None: ...
def trend_chart(
    indicator: Indicator, trend: pd.DataFrame, start: dt.date | None, *, share: bool = False
) -> str | None:
    """The trend of one indicator against its baseline and target, as SVG (kept; see
    :func:`drawn` for ``share``)."""
    dates = [as_date(d) for d in trend["date"]]
    values = [float(v) for v in trend["value"]]
    target_date = as_date(indicator.target_date)
    key = chart_key(
        "trend",
        indicator.name,
        indicator.unit,
        indicator.baseline,
        indicator.target,
        target_date,
        start,
        dates,
        values,
    )

    def draw() -> str:
        from ...charts import trend_svg

        return trend_svg(
            dates,
            values,
            baseline=indicator.baseline,
            target=indicator.target,
            start=start,
            target_date=target_date,
            unit=indicator.unit or "",
        )

    return drawn(key, draw, share=share)


@overload
def effect_chart(es: EffectSize, *, retry: None = None) -> str: ...
@overload
def effect_chart(es: EffectSize, *, retry: Callable[[], object]) -> str | None: ...
def effect_chart(es: EffectSize, *, retry: Callable[[], object] | None = None) -> str | None:
    """The confidence-interval chart of an effect size, as SVG (kept; with ``retry``, as
    :func:`drawn_for_page`)."""
    key = chart_key(
        "es", round(es.d, 6), round(es.ci_low, 6), round(es.ci_high, 6), es.hinge, es.ci_level
    )

    def draw() -> str:
        from ...charts import effect_interval_svg

        return effect_interval_svg(
            es.d, es.ci_low, es.ci_high, hinge=es.hinge, ci_level=es.ci_level
        )

    return drawn(key, draw) if retry is None else drawn_for_page(key, draw, retry)


def no_chart(exc: Exception) -> str:
    """What shows instead of a chart that could not be drawn."""
    return f"<div class='ilc-rv-pending'>The chart could not be drawn ({esc(str(exc))}).</div>"
