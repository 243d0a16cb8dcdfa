"""Charts as SVG text (matplotlib, Agg): shown in widgets and embedded in HTML and PDF reports.

Charts are drawn to be read in black and white too: hatching and markers carry the
distinctions as well as colour. Every function returns an SVG string (``*_svg``) or a
matplotlib Figure (``*_figure``) for the PDF exports, which embed PNGs.
"""

from __future__ import annotations

import io
from html import escape
from typing import TYPE_CHECKING, Any, ParamSpec

from .format import number

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from matplotlib.figure import Figure

PALETTE = ["#1f5f8b", "#d9822b", "#3a7d44", "#8e3b8e", "#b23a3a", "#5a6b7b", "#c9a227", "#2e8b8b"]
HATCHES = ["", "//", "..", "xx", "\\\\", "--", "++", "oo"]
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]


_STYLE: dict[str, Any] = {
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 10,
    "axes.titleweight": "bold",
    "svg.fonttype": "none",
    "figure.dpi": 100,
}


def new_figure(width: float = 6.0, height: float = 3.0) -> tuple[Figure, Any]:
    """A figure and its single axes, in the kit's style.

    Figures are made without pyplot (no global figure registry), so a report built in a
    worker thread and a chart drawn on the kernel's thread never share state.
    """
    import matplotlib
    from matplotlib.figure import Figure

    matplotlib.rcParams.update(_STYLE)  # type: ignore[arg-type]  # the kit's look
    fig = Figure(figsize=(width, height))
    ax = fig.subplots()
    return fig, ax


def to_svg(fig: Figure) -> str:
    """The figure as inline SVG text."""
    buf = io.StringIO()
    fig.tight_layout()
    fig.savefig(buf, format="svg", bbox_inches="tight")
    text = buf.getvalue()
    return text[text.index("<svg") :]


def to_png(fig: Figure, dpi: int = 160) -> bytes:
    """The figure as PNG bytes."""
    buf = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight")
    return buf.getvalue()


_P = ParamSpec("_P")


def _svg_of(draw: Callable[_P, Figure]) -> Callable[_P, str]:
    """The ``*_svg`` twin of a ``*_figure`` function: the same arguments, the chart as SVG."""

    def svg(*args: _P.args, **kwargs: _P.kwargs) -> str:
        return to_svg(draw(*args, **kwargs))

    name = draw.__name__.removesuffix("_figure") + "_svg"
    svg.__name__ = svg.__qualname__ = name
    svg.__doc__ = f":func:`{draw.__name__}` as SVG."
    return svg


def _series_look(
    i: int, name: str, colors: Sequence[str] = PALETTE, hatches: Sequence[str] = HATCHES
) -> dict[str, Any]:
    """How the ``i``-th series of a bar chart is drawn: its legend name, a colour and a hatch
    (both cycled, so series stay distinct in black and white) and a thin black edge."""
    return {
        "label": name,
        "color": colors[i % len(colors)],
        "hatch": hatches[i % len(hatches)],
        "edgecolor": "black",
        "linewidth": 0.5,
    }


def table_html(headers: Sequence[str], rows: Sequence[Sequence[Any]], *, caption: str = "") -> str:
    """The numbers behind a chart as an HTML table (every cell escaped; numbers are written
    with :func:`~ilc_widgets.format.number`, text as it is)."""

    def cell(value: Any) -> str:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return f"<td class='num'>{escape(number(value))}</td>"
        return f"<td>{escape(str(value))}</td>"

    head = "".join(f"<th scope='col'>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(cell(v) for v in row) + "</tr>" for row in rows)
    cap = f"<caption>{escape(caption)}</caption>" if caption else ""
    return (
        f"<table class='ilc-table ilc-chart-data'>{cap}<thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table>"
    )


def described(svg: str, label: str, table: str = "") -> str:
    """A chart for everyone: the SVG in an element with ``role="img"`` and ``label`` as its
    name (the wording rule of the network report's HTML page: say what it shows, with the
    values written as everywhere else), followed by a "Show as table" disclosure holding
    ``table`` (HTML from :func:`table_html`: the same numbers)."""
    if not label.strip():
        raise ValueError("a chart needs a name that says what it shows")
    # the drawing itself is hidden from assistive technology: the name says what it shows
    drawing = svg.replace("<svg ", "<svg aria-hidden='true' focusable='false' ", 1)
    shown = f"<div class='ilc-chart-img' role='img' aria-label='{escape(label)}'>{drawing}</div>"
    alternative = (
        f"<details class='ilc-chart-table'><summary>Show as table</summary>{table}</details>"
        if table
        else ""
    )
    return f"<div class='ilc-chart'>{shown}{alternative}</div>"


def bar_words(
    title: str,
    labels: Sequence[str],
    values: Sequence[float | None],
    *,
    unit: str = "",
    category: str = "Category",
) -> tuple[str, str]:
    """The name and the table of a one-series bar chart: ``title`` then each bar's label and
    value (``unit`` after it); a missing value reads "none"."""

    def said(value: float | None) -> str:
        return "none" if value is None else f"{number(value)} {unit}".strip()

    words = "; ".join(f"{name}: {said(v)}" for name, v in zip(labels, values, strict=True))
    rows = [(name, "none" if v is None else v) for name, v in zip(labels, values, strict=True)]
    head = unit[:1].upper() + unit[1:] if unit else "Value"
    return f"{title}. {words}.", table_html((category, head), rows, caption=title)


def series_words(
    title: str,
    categories: Sequence[str],
    series: Mapping[str, Sequence[float | None]],
    *,
    unit: str = "",
    category: str = "Category",
) -> tuple[str, str]:
    """The name and the table of a chart with several series per category (stacked or
    grouped bars): ``title``, then per category each series' value (zeros left out of the
    name, kept in the table); a missing value reads "none"."""
    parts = []
    for i, name in enumerate(categories):
        bits = [
            f"{series_name} {'none' if values[i] is None else number(values[i])}"
            for series_name, values in series.items()
            if values[i] is None or float(values[i] or 0) != 0
        ]
        parts.append(f"{name}: {', '.join(bits) if bits else 'none'}")
    rows = [
        (name, *("none" if values[i] is None else values[i] for values in series.values()))
        for i, name in enumerate(categories)
    ]
    said = f" ({unit})" if unit else ""
    return (
        f"{title}{said}. {'; '.join(parts)}.",
        table_html((category, *series), rows, caption=title + said),
    )


def empty_svg(message: str, width: float = 6.0, height: float = 1.2) -> str:
    """A placeholder chart with a message (e.g. "No evidence yet")."""
    fig, ax = new_figure(width, height)
    ax.axis("off")
    ax.text(0.5, 0.5, message, ha="center", va="center", color="#57606a")
    return to_svg(fig)


def bar_figure(
    labels: Sequence[str],
    values: Sequence[float],
    *,
    title: str = "",
    xlabel: str = "",
    horizontal: bool = True,
    annotate: bool = True,
) -> Figure:
    """One series of bars (horizontal by default, longest labels fit better)."""
    n = max(len(labels), 1)
    fig, ax = new_figure(6.0, max(1.4, 0.32 * n + 0.8) if horizontal else 3.0)
    positions = list(range(len(labels)))
    if horizontal:
        bars = ax.barh(positions, values, color=PALETTE[0], edgecolor="black", linewidth=0.6)
        ax.set_yticks(positions, labels)
        ax.invert_yaxis()
        ax.set_xlabel(xlabel)
    else:
        bars = ax.bar(positions, values, color=PALETTE[0], edgecolor="black", linewidth=0.6)
        ax.set_xticks(positions, labels, rotation=30, ha="right")
        ax.set_ylabel(xlabel)
    if annotate:
        ax.bar_label(bars, labels=[number(v) for v in values], padding=2, fontsize=8)
    ax.set_title(title)
    return fig


bar_svg = _svg_of(bar_figure)


def stacked_bar_figure(
    categories: Sequence[str],
    series: Mapping[str, Sequence[float]],
    *,
    title: str = "",
    xlabel: str = "",
    colors: Sequence[str] = PALETTE,
    hatches: Sequence[str] = HATCHES,
    integer_ticks: bool = False,
) -> Figure:
    """Horizontal stacked bars: one bar per category, one segment per series.

    Each series gets a colour and a hatch (``colors``/``hatches``, cycled), so segments stay
    distinct printed in black and white; ``integer_ticks`` for counts.
    """
    n = max(len(categories), 1)
    fig, ax = new_figure(6.5, max(1.6, 0.34 * n + 1.2))
    positions = list(range(len(categories)))
    left = [0.0] * len(categories)
    for i, (name, values) in enumerate(series.items()):
        ax.barh(positions, values, left=left, **_series_look(i, name, colors, hatches))
        left = [a + float(b) for a, b in zip(left, values, strict=True)]
    ax.set_yticks(positions, categories)
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    if integer_ticks:
        ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_title(title)
    if series:
        ax.legend(
            fontsize=7,
            ncols=min(4, len(series)),
            loc="upper center",
            bbox_to_anchor=(0.5, -0.18 if xlabel else -0.1),
            frameon=False,
        )
    return fig


stacked_bar_svg = _svg_of(stacked_bar_figure)


def trend_figure(
    dates: Sequence[Any],
    values: Sequence[float],
    *,
    baseline: float | None = None,
    target: float | None = None,
    start: Any = None,
    target_date: Any = None,
    title: str = "",
    unit: str = "",
) -> Figure:
    """An indicator's values over time, with its baseline and the line to its target."""
    fig, ax = new_figure(6.0, 2.6)
    ax.plot(list(dates), list(values), marker="o", color=PALETTE[0], label="Evidence")
    if baseline is not None:
        ax.axhline(baseline, color="#57606a", linestyle=":", linewidth=1, label="Baseline")
    if baseline is not None and target is not None and target_date is not None:
        origin = start if start is not None else (dates[0] if len(dates) else None)
        if origin is not None:
            ax.plot(
                [origin, target_date],
                [baseline, target],
                color=PALETTE[1],
                linestyle="--",
                linewidth=1.2,
                label="Expected path",
            )
    if target is not None:
        ax.axhline(target, color=PALETTE[2], linestyle="-.", linewidth=1, label="Target")
    ax.set_title(title)
    if unit:
        ax.set_ylabel(unit)
    ax.legend(fontsize=7, loc="best", frameon=False)
    fig.autofmt_xdate()
    return fig


trend_svg = _svg_of(trend_figure)


def _grouped_bars(
    ax: Any,
    n_categories: int,
    series: Mapping[str, Sequence[float | None]],
    base: float,
    label: Callable[[float | None], str],
) -> None:
    """Draw one bar per series side by side in each category, rising from ``base``, each
    labelled ``label(value)``; a ``None`` value gets no bar (only its label)."""
    k = max(len(series), 1)
    width = 0.8 / k
    for i, (name, values) in enumerate(series.items()):
        xs = [j + (i - (k - 1) / 2) * width for j in range(n_categories)]
        heights = [0.0 if v is None else float(v) - base for v in values]
        bars = ax.bar(xs, heights, bottom=base, width=width, **_series_look(i, name))
        ax.bar_label(
            bars,
            labels=[label(None if v is None else float(v)) for v in values],
            padding=1,
            fontsize=7,
        )


def grouped_bar_figure(
    categories: Sequence[str],
    series: Mapping[str, Sequence[float]],
    *,
    title: str = "",
    ylabel: str = "",
    ylim: tuple[float, float] | None = None,
) -> Figure:
    """Vertical grouped bars (e.g. a pulse dimension before and after)."""
    fig, ax = new_figure(6.0, 3.0)
    _grouped_bars(ax, len(categories), series, 0.0, number)
    ax.set_xticks(range(len(categories)), categories)
    if ylim:
        ax.set_ylim(*ylim)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    if series:
        ax.legend(fontsize=7, frameon=False)
    return fig


grouped_bar_svg = _svg_of(grouped_bar_figure)


def effect_interval_figure(
    d: float,
    ci_low: float,
    ci_high: float,
    *,
    hinge: float = 0.40,
    ci_level: float = 0.95,
    title: str = "",
) -> Figure:
    """An effect size on its own axis: the confidence interval as a horizontal bar with the
    estimate on it, a solid line at 0 (no change) and a dashed line at the hinge point.

    Every line is labelled, so the chart reads the same in black and white.
    """
    fig, ax = new_figure(6.0, 1.5)
    lo = min(ci_low, 0.0, d) - 0.25
    hi = max(ci_high, hinge, d) + 0.25
    ax.set_xlim(lo, hi)
    ax.set_ylim(-1.0, 1.25)
    ax.axvline(0.0, color="#1b1f24", linewidth=1.2, linestyle="-")
    ax.axvline(hinge, color=PALETTE[1], linewidth=1.4, linestyle="--")
    ax.text(0.0, 1.2, "0 = no change ", ha="right", va="top", fontsize=7.5, color="#1b1f24")
    ax.text(hinge, 1.2, f" hinge point {hinge:.2f}", ha="left", va="top", fontsize=7.5)
    ax.plot([ci_low, ci_high], [0, 0], color=PALETTE[0], linewidth=6, solid_capstyle="butt")
    ax.plot([ci_low, ci_low], [-0.25, 0.25], color="#1b1f24", linewidth=1.2)
    ax.plot([ci_high, ci_high], [-0.25, 0.25], color="#1b1f24", linewidth=1.2)
    ax.plot([d], [0], marker="D", markersize=9, color="white", markeredgecolor="#1b1f24")
    # white boxes keep the labels readable where the 0 or hinge line runs through them
    box = {"facecolor": "white", "edgecolor": "none", "pad": 1.0}
    ax.text(
        d, 0.42, f"d = {d:.2f}", ha="center", va="bottom", fontsize=8.5, weight="bold", bbox=box
    )
    pct = round(ci_level * 100)
    ax.text(
        (ci_low + ci_high) / 2,
        -0.45,
        f"{pct}% confidence interval {ci_low:.2f} to {ci_high:.2f}",
        ha="center",
        va="top",
        fontsize=7.5,
        bbox=box,
    )
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    ax.set_xlabel("Effect size d")
    ax.set_title(title)
    return fig


effect_interval_svg = _svg_of(effect_interval_figure)


def before_after_figure(
    categories: Sequence[str],
    before: Sequence[float | None],
    after: Sequence[float | None],
    *,
    n_before: Sequence[int],
    n_after: Sequence[int],
    labels: tuple[str, str] = ("Before", "After"),
    scale: tuple[float, float] = (1.0, 5.0),
    title: str = "",
    ylabel: str = "",
) -> Figure:
    """Two bars per category (plain, then hatched), each labelled with its mean and its n;
    a missing mean (no answers) is written as such instead of a bar."""
    import math

    fig, ax = new_figure(6.0, 3.0)
    width = 0.38
    for i, (name, values, counts) in enumerate(
        ((labels[0], before, n_before), (labels[1], after, n_after))
    ):
        xs = [j + (i - 0.5) * width for j in range(len(categories))]
        heights = [0.0 if v is None or math.isnan(v) else float(v) for v in values]
        ax.bar(
            xs,
            heights,
            width=width,
            label=name,
            color=PALETTE[0] if i == 0 else "#ffffff",
            hatch=HATCHES[0] if i == 0 else "//",
            edgecolor="black",
            linewidth=0.6,
        )
        for x, v, h, n in zip(xs, values, heights, counts, strict=True):
            if v is None or math.isnan(v):
                ax.text(x, scale[0] + 0.05, "no\nanswers", ha="center", va="bottom", fontsize=7)
            else:
                ax.text(x, h + 0.05, f"{h:.1f}\nn {n}", ha="center", va="bottom", fontsize=7)
    ax.set_xticks(range(len(categories)), categories)
    ax.set_ylim(0, scale[1] + 0.9)
    ax.set_yticks(list(range(int(scale[0]), int(scale[1]) + 1)))
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend(fontsize=7, frameon=False, loc="upper right", ncols=2)
    return fig


before_after_svg = _svg_of(before_after_figure)


# ---------------------------------------------------------------------- network report charts


def count_bar_figure(
    labels: Sequence[str],
    values: Sequence[float | None],
    *,
    missing: str = "<10",
    title: str = "",
    xlabel: str = "",
) -> Figure:
    """Horizontal bars of counts where some are suppressed (``None``): no bar is drawn for
    those, only the ``missing`` marker, so the chart never shows a hidden count."""
    n = max(len(labels), 1)
    fig, ax = new_figure(6.0, max(1.4, 0.36 * n + 0.9))
    positions = list(range(len(labels)))
    shown = [0.0 if v is None else float(v) for v in values]
    bars = ax.barh(positions, shown, color=PALETTE[0], edgecolor="black", linewidth=0.6)
    ax.set_yticks(positions, labels)
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    texts = [missing + " (not shown)" if v is None else number(float(v)) for v in values]
    ax.bar_label(bars, labels=texts, padding=3, fontsize=8)
    top = max(shown, default=0.0)
    ax.set_xlim(0, top * 1.25 if top > 0 else 1)
    ax.set_title(title)
    return fig


def effect_size_figure(
    labels: Sequence[str],
    d: Sequence[float],
    low: Sequence[float],
    high: Sequence[float],
    *,
    hinge: float = 0.40,
    title: str = "",
) -> Figure:
    """Effect sizes as points with their confidence intervals (a forest plot), with lines at
    0 and at the hinge point."""
    n = max(len(labels), 1)
    fig, ax = new_figure(6.5, max(1.6, 0.42 * n + 1.0))
    positions = list(range(len(labels)))
    for i, (value, lo, hi) in enumerate(zip(d, low, high, strict=True)):
        ax.plot([lo, hi], [i, i], color="black", linewidth=1.4)
        ax.plot([lo, lo], [i - 0.15, i + 0.15], color="black", linewidth=1.2)
        ax.plot([hi, hi], [i - 0.15, i + 0.15], color="black", linewidth=1.2)
        ax.plot([value], [i], marker="D", color=PALETTE[0], markeredgecolor="black", markersize=7)
        ax.annotate(
            f"{value:.2f}",
            (value, i),
            xytext=(0, 7),
            textcoords="offset points",
            ha="center",
            fontsize=8,
        )
    ax.axvline(0, color="black", linewidth=0.8)
    ax.axvline(hinge, color="#57606a", linestyle="--", linewidth=1)
    ax.text(hinge, -0.6, f" hinge {hinge:.2f}", fontsize=7, va="bottom", color="#32383f")
    ax.set_yticks(positions, labels)
    ax.set_ylim(len(labels) - 0.4, -0.9)
    ax.set_xlabel("Effect size d (95% confidence interval)")
    ax.set_title(title)
    return fig


def masked_grouped_bar_figure(
    categories: Sequence[str],
    series: Mapping[str, Sequence[float | None]],
    *,
    missing: str = "n<10",
    title: str = "",
    ylabel: str = "",
    ylim: tuple[float, float] | None = None,
) -> Figure:
    """Vertical grouped bars where some values are suppressed (``None``): those get no bar,
    only the ``missing`` marker at the foot of their place."""
    fig, ax = new_figure(6.5, 3.2)
    base = ylim[0] if ylim else 0.0
    _grouped_bars(ax, len(categories), series, base, lambda v: missing if v is None else f"{v:.2f}")
    ax.set_xticks(range(len(categories)), categories, fontsize=8)
    if ylim:
        ax.set_ylim(ylim[0], ylim[1] + 0.35)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    if series:
        ax.legend(fontsize=7, frameon=False, loc="upper left", ncols=len(series))
    return fig


def colored_stacked_bar_figure(
    categories: Sequence[str],
    series: Mapping[str, Sequence[float]],
    colors: Sequence[str],
    hatches: Sequence[str],
    *,
    title: str = "",
    xlabel: str = "",
) -> Figure:
    """Stacked count bars with a chosen colour and hatch per series (so that, say,
    "off track" is red and cross-hatched on screen and still distinct in black and white)."""
    return stacked_bar_figure(
        categories,
        series,
        title=title,
        xlabel=xlabel,
        colors=colors,
        hatches=hatches,
        integer_ticks=True,
    )
