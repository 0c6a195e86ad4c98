"""The insights as one chart: PNG for the chat, SVG for the web page.

matplotlib's object API (a Figure saved by the Agg and SVG backends), never pyplot: pyplot keeps
global state that two threads drawing at once would share. The fonts are the
DejaVu fonts matplotlib ships, so nothing is looked up on the machine or the
network.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from matplotlib import rc_context
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from PIL import Image

# The team's green (slack/manifest.yaml) and calm companions; readable in grey too.
_GREEN = "#2f5d50"
_COLOURS = ("#2f5d50", "#6a9c89", "#c9a227", "#b5523b", "#8a8f98")
# Small enough for a Teams card (about 28 KB a message) once reduced to a palette.
_SIZE = (8.0, 5.6)
_DPI = 90


@dataclass(frozen=True)
class Panel:
    """One of the chart's four panels: a title and labelled bars."""

    title: str
    bars: Sequence[tuple[str, int]]
    horizontal: bool = False
    colours: Sequence[str] = (_GREEN,)


@dataclass(frozen=True)
class Chart:
    title: str
    panels: Sequence[Panel]
    empty: str


def png(chart: Chart) -> bytes:
    """The chart as a small PNG (a 32-colour palette: flat bars need no more)."""
    figure = _draw(chart)
    raw = io.BytesIO()
    figure.savefig(raw, format="png")
    image = Image.open(io.BytesIO(raw.getvalue())).convert("RGB")
    small = io.BytesIO()
    image.quantize(colors=32).save(small, format="PNG", optimize=True)
    return small.getvalue()


def svg(chart: Chart) -> str:
    """The chart as SVG text (its words stay text, so the page stays sharp)."""
    figure = _draw(chart)
    out = io.StringIO()
    # Words stay <text>, not paths: smaller, and sharp at any size.
    with rc_context({"svg.fonttype": "none"}):
        figure.savefig(out, format="svg")
    return out.getvalue()


def _draw(chart: Chart) -> Figure:
    figure = Figure(figsize=_SIZE, dpi=_DPI, layout="constrained")
    figure.suptitle(chart.title, fontsize=13, color="#1d2b27", fontweight="bold")
    grid = figure.subplots(2, 2)
    for axes, panel in zip(grid.flat, chart.panels, strict=False):
        _panel(axes, panel, chart.empty)
    return figure


def _panel(axes: Axes, panel: Panel, empty: str) -> None:
    axes.set_title(panel.title, fontsize=10, loc="left", color="#1d2b27")
    labels = [label for label, _ in panel.bars]
    values = [value for _, value in panel.bars]
    colours = [panel.colours[i % len(panel.colours)] for i in range(len(values))]
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.tick_params(labelsize=8, colors="#33413c")
    if not values or not any(values):
        axes.text(
            0.5,
            0.5,
            empty,
            ha="center",
            va="center",
            fontsize=9,
            color="#5b6660",
            transform=axes.transAxes,
        )
        axes.set_xticks([])
        axes.set_yticks([])
        return
    if panel.horizontal:
        positions = list(range(len(values)))[::-1]
        axes.barh(positions, values, color=colours)
        axes.set_yticks(positions, labels)
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        # Room for the value written after the longest bar.
        axes.set_xlim(0, max(values) * 1.15)
        for y, value in zip(positions, values, strict=True):
            axes.text(value, y, f" {value}", va="center", fontsize=8, color="#1d2b27")
    else:
        positions = list(range(len(values)))
        axes.bar(positions, values, color=colours)
        axes.set_xticks(positions, labels)
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes.set_ylim(0, max(values) * 1.15)
        for x, value in zip(positions, values, strict=True):
            if value:
                axes.text(
                    x, value, str(value), ha="center", va="bottom", fontsize=8, color="#1d2b27"
                )


COLOURS = _COLOURS
