"""A horizontal bar chart drawn on the server as inline SVG: no script, no library, no fonts.

Bars run left to right so that the labels stay readable on a phone; the SVG scales to its box
through its ``viewBox``, which is narrow (420 units) so that the text stays legible when a phone
shrinks it. The template draws the shapes this module lays out.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Bar", "BarChart", "bar_chart", "nice_ceiling"]


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar: its label, value and geometry in SVG units."""

    label: str
    value: int
    y: float
    width: float


@dataclass(frozen=True, slots=True)
class BarChart:
    """A laid-out chart: bars, gridlines and the box they fit in."""

    width: int
    height: int
    label_width: int
    plot_width: int
    bar_height: int
    bars: tuple[Bar, ...]
    ticks: tuple[tuple[int, float], ...]
    maximum: int


def nice_ceiling(value: int) -> int:
    """Return a round number at or above ``value`` for the axis end (1, 2, 5, 10, 20, 50 ...)."""
    if value <= 0:
        return 1
    step = 1
    while True:
        for multiple in (1, 2, 5):
            if step * multiple >= value:
                return step * multiple
        step *= 10


def bar_chart(
    rows: list[tuple[str, int]],
    *,
    width: int = 420,
    label_width: int = 128,
    bar_height: int = 22,
    gap: int = 10,
) -> BarChart:
    """Lay out one bar per (label, value) row, in the given order."""
    maximum = nice_ceiling(max((v for _, v in rows), default=0))
    plot_width = width - label_width - 40  # room for the value printed after each bar
    bars = []
    top = 8
    for n, (label, value) in enumerate(rows):
        bars.append(
            Bar(
                label=label,
                value=value,
                y=top + n * (bar_height + gap),
                width=round(plot_width * value / maximum, 1),
            )
        )
    height = top + len(rows) * (bar_height + gap) + 20
    quarter = next(d for d in (5, 4, 2, 1) if maximum % d == 0)  # whole-number gridlines
    ticks = tuple(
        (maximum * i // quarter, round(label_width + plot_width * i / quarter, 1))
        for i in range(quarter + 1)
    )
    return BarChart(
        width=width,
        height=height,
        label_width=label_width,
        plot_width=plot_width,
        bar_height=bar_height,
        bars=tuple(bars),
        ticks=ticks,
        maximum=maximum,
    )
