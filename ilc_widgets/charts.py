"""Charts as SVG text (matplotlib, Agg): shown in widgets and embedded in HTML and PDF reports.

Charts are drawn to be read in black and white too: hatching and markers carry the
distinctions as well as colour. Every function returns an SVG string (``*_svg``) or a
matplotlib Figure (``*_figure``) for the PDF exports, which embed PNGs.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from matplotlib.figure import Figure

PALETTE = ["#1f5f8b", "#d9822b", "#3a7d44", "#8e3b8e", "#b23a3a", "#5a6b7b", "#c9a227", "#2e8b8b"]
HATCHES = ["", "//", "..", "xx", "\\\\", "--", "++", "oo"]
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]


def _plt() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update(
        {
            "font.size": 9,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.titlesize": 10,
            "axes.titleweight": "bold",
            "svg.fonttype": "none",
            "figure.dpi": 100,
        }
    )
    return plt


def new_figure(width: float = 6.0, height: float = 3.0) -> tuple[Figure, Any]:
    """A figure and its single axes, in the kit's style."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(width, height))
    return fig, ax


def to_svg(fig: Figure) -> str:
    """The figure as inline SVG text (the figure is closed)."""
    plt = _plt()
    buf = io.StringIO()
    fig.tight_layout()
    fig.savefig(buf, format="svg", bbox_inches="tight")
    plt.close(fig)
    text = buf.getvalue()
    return text[text.index("<svg") :]


def to_png(fig: Figure, dpi: int = 160) -> bytes:
    """The figure as PNG bytes (the figure is closed)."""
    plt = _plt()
    buf = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()


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
        ax.bar_label(bars, labels=[_fmt(v) for v in values], padding=2, fontsize=8)
    ax.set_title(title)
    return fig


def bar_svg(labels: Sequence[str], values: Sequence[float], **kwargs: Any) -> str:
    """:func:`bar_figure` as SVG."""
    return to_svg(bar_figure(labels, values, **kwargs))


def stacked_bar_figure(
    categories: Sequence[str],
    series: Mapping[str, Sequence[float]],
    *,
    title: str = "",
    xlabel: str = "",
) -> Figure:
    """Horizontal stacked bars: one bar per category, one segment per series (with hatching)."""
    n = max(len(categories), 1)
    fig, ax = new_figure(6.5, max(1.6, 0.34 * n + 1.2))
    positions = list(range(len(categories)))
    left = [0.0] * len(categories)
    for i, (name, values) in enumerate(series.items()):
        ax.barh(
            positions,
            values,
            left=left,
            label=name,
            color=PALETTE[i % len(PALETTE)],
            hatch=HATCHES[i % len(HATCHES)],
            edgecolor="black",
            linewidth=0.5,
        )
        left = [a + float(b) for a, b in zip(left, values, strict=True)]
    ax.set_yticks(positions, categories)
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
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


def stacked_bar_svg(
    categories: Sequence[str], series: Mapping[str, Sequence[float]], **kwargs: Any
) -> str:
    """:func:`stacked_bar_figure` as SVG."""
    return to_svg(stacked_bar_figure(categories, series, **kwargs))


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


def trend_svg(dates: Sequence[Any], values: Sequence[float], **kwargs: Any) -> str:
    """:func:`trend_figure` as SVG."""
    return to_svg(trend_figure(dates, values, **kwargs))


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
    k = max(len(series), 1)
    width = 0.8 / k
    for i, (name, values) in enumerate(series.items()):
        xs = [j + (i - (k - 1) / 2) * width for j in range(len(categories))]
        bars = ax.bar(
            xs,
            values,
            width=width,
            label=name,
            color=PALETTE[i % len(PALETTE)],
            hatch=HATCHES[i % len(HATCHES)],
            edgecolor="black",
            linewidth=0.5,
        )
        ax.bar_label(bars, labels=[_fmt(v) for v in values], padding=1, fontsize=7)
    ax.set_xticks(range(len(categories)), categories)
    if ylim:
        ax.set_ylim(*ylim)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    if series:
        ax.legend(fontsize=7, frameon=False)
    return fig


def grouped_bar_svg(
    categories: Sequence[str], series: Mapping[str, Sequence[float]], **kwargs: Any
) -> str:
    """:func:`grouped_bar_figure` as SVG."""
    return to_svg(grouped_bar_figure(categories, series, **kwargs))


def _fmt(value: float) -> str:
    try:
        v = float(value)
    except (TypeError, ValueError):
        return ""
    return f"{v:.0f}" if v == int(v) else f"{v:.2f}"
