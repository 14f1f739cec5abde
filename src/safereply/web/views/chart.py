"""Charts drawn on the server as inline SVG: no script, no library, no fonts.

Every chart is laid out here and drawn by the macros of ``templates/_charts.html``; each has a
title and a description (``desc``) that reads out every number, axis titles, and is shown next
to a table of the same numbers. The SVG scales to its box through its ``viewBox``, which is
narrow (420 units) so that the text stays legible when a phone shrinks it.

* :func:`bar_chart`: horizontal bars, one per label (topics: labels stay readable on a phone);
* :func:`paired_bar_chart`: two horizontal bars per label (praised and criticised);
* :func:`column_chart`: one column per month (volume);
* :func:`line_chart`: a value per month, with gaps where there is none (the average rating);
* :func:`interval_chart`: estimates with their confidence intervals around zero (the change in
  a complaint share after each improvement).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = [
    "Bar",
    "BarChart",
    "ColumnChart",
    "IntervalChart",
    "LineChart",
    "PairedBarChart",
    "bar_chart",
    "column_chart",
    "interval_chart",
    "line_chart",
    "month_label",
    "nice_ceiling",
    "paired_bar_chart",
]


class _TimeAxis:
    """The time axis of a column or line chart: at the foot of the plot."""

    __slots__ = ()
    top: int
    plot_height: int

    @property
    def bottom(self) -> int:
        """Return the y of the time axis."""
        return self.top + self.plot_height


class _LabelledRows:
    """Gridlines and tick labels of a chart of labelled rows (paired bars, intervals)."""

    __slots__ = ()
    height: int

    @property
    def grid_bottom(self) -> int:
        """Return where the gridlines end (above the tick labels)."""
        return self.height - 38

    @property
    def tick_y(self) -> int:
        """Return the baseline of the tick labels."""
        return self.height - 24


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
    axis_title: str = ""
    title: str = ""
    desc: str = ""

    @property
    def grid_bottom(self) -> int:
        """Return where the gridlines end (above the tick labels)."""
        return self.height - 18 - (20 if self.axis_title else 0)

    @property
    def tick_y(self) -> int:
        """Return the baseline of the tick labels."""
        return self.grid_bottom + 14


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
    axis_title: str = "",
    title: str = "",
) -> BarChart:
    """Lay out one bar per (label, value) row, in the given order.

    With ``axis_title`` the value axis is named under its ticks; ``title`` goes into the SVG's
    title and its description lists every bar.
    """
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
    height = top + len(rows) * (bar_height + gap) + 20 + (20 if axis_title else 0)
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
        axis_title=axis_title,
        title=title,
        desc="; ".join(f"{label}: {value}" for label, value in rows) + "." if rows else "",
    )


# -- months on a time axis ----------------------------------------------------------------------

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def month_label(month: str) -> str:
    """Return ``2026-09`` as ``Sep 2026``."""
    year, number = month.split("-")
    return f"{_MONTHS[int(number) - 1]} {year}"


@dataclass(frozen=True, slots=True)
class XLabel:
    """A label under the time axis: the month's short name, and its year where one starts."""

    x: float
    text: str
    year: str


def _x_labels(months: list[str], xs: list[float]) -> tuple[XLabel, ...]:
    # At most about 12 labels fit 420 units at a legible size: label every n-th month.
    step = 1 if len(months) <= 12 else 2 if len(months) <= 24 else 3
    out = []
    for i, (month, x) in enumerate(zip(months, xs, strict=True)):
        if i % step:
            continue
        year, number = month.split("-")
        first = i == 0 or number == "01" or (step > 1 and int(number) <= step)
        out.append(XLabel(round(x, 1), _MONTHS[int(number) - 1], year if first else ""))
    return tuple(out)


# -- columns per month --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Column:
    """One column: its month, value and geometry."""

    label: str
    value: int
    x: float
    y: float
    height: float


@dataclass(frozen=True, slots=True)
class ColumnChart(_TimeAxis):
    """Columns over months, with a value axis on the left."""

    width: int
    height: int
    left: int
    top: int
    plot_width: int
    plot_height: int
    column_width: float
    columns: tuple[Column, ...]
    ticks: tuple[tuple[int, float], ...]
    labels: tuple[XLabel, ...]
    y_title: str
    x_title: str
    title: str
    desc: str


def column_chart(
    rows: list[tuple[str, int]],
    *,
    y_title: str,
    title: str,
    x_title: str = "Month",
    width: int = 420,
    plot_height: int = 150,
) -> ColumnChart:
    """Lay out one column per (month ``YYYY-MM``, value) row."""
    left, top, right = 48, 12, 8
    plot_width = width - left - right
    maximum = nice_ceiling(max((v for _, v in rows), default=0))
    slot = plot_width / max(len(rows), 1)
    column_width = round(slot * 0.7, 1)
    columns = []
    for i, (month, value) in enumerate(rows):
        h = round(plot_height * value / maximum, 1)
        x = left + slot * i + (slot - column_width) / 2
        columns.append(Column(month_label(month), value, round(x, 1), top + plot_height - h, h))
    quarter = next(d for d in (5, 4, 2, 1) if maximum % d == 0)
    ticks = tuple(
        (maximum * i // quarter, round(top + plot_height - plot_height * i / quarter, 1))
        for i in range(quarter + 1)
    )
    centres = [left + slot * i + slot / 2 for i in range(len(rows))]
    return ColumnChart(
        width=width,
        height=top + plot_height + 58,
        left=left,
        top=top,
        plot_width=plot_width,
        plot_height=plot_height,
        column_width=column_width,
        columns=tuple(columns),
        ticks=ticks,
        labels=_x_labels([m for m, _ in rows], centres),
        y_title=y_title,
        x_title=x_title,
        title=title,
        desc="; ".join(f"{c.label}: {c.value}" for c in columns) + "." if columns else "",
    )


# -- a line over months -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Point:
    """One month's value (None: no data that month) and its position."""

    label: str
    value: float | None
    x: float
    y: float | None
    note: str


@dataclass(frozen=True, slots=True)
class LineChart(_TimeAxis):
    """A value per month as points joined by lines, broken where a month has no value."""

    width: int
    height: int
    left: int
    top: int
    plot_width: int
    plot_height: int
    points: tuple[Point, ...]
    paths: tuple[str, ...]
    ticks: tuple[tuple[str, float], ...]
    labels: tuple[XLabel, ...]
    y_title: str
    x_title: str
    title: str
    desc: str


def line_chart(
    rows: list[tuple[str, float | None, str]],
    *,
    y_min: float,
    y_max: float,
    y_step: float,
    y_title: str,
    title: str,
    x_title: str = "Month",
    width: int = 420,
    plot_height: int = 150,
    value_format: str = "{:.1f}",
    value_unit: str = "",
) -> LineChart:
    """Lay out (month ``YYYY-MM``, value or None, note) rows as a line on a fixed scale.

    The note goes into the description after the value (for example how many ratings the
    average rests on); ``value_unit`` follows each value there ("10%": the axis title says the
    unit once, but a screen reader hears the description without it).
    """
    left, top, right = 48, 12, 12
    plot_width = width - left - right
    n = max(len(rows), 1)
    slot = plot_width / n
    span = y_max - y_min

    def y_of(value: float) -> float:
        return round(top + plot_height - plot_height * (value - y_min) / span, 1)

    points = []
    for i, (month, value, note) in enumerate(rows):
        x = round(left + slot * i + slot / 2, 1)
        y = y_of(min(max(value, y_min), y_max)) if value is not None else None
        points.append(Point(month_label(month), value, x, y, note))
    ticks = []
    value = y_min
    while value <= y_max + 1e-9:
        ticks.append((value_format.format(value), y_of(value)))
        value += y_step
    desc = _line_description(points, value_format + value_unit)
    return LineChart(
        width=width,
        height=top + plot_height + 58,
        left=left,
        top=top,
        plot_width=plot_width,
        plot_height=plot_height,
        points=tuple(points),
        paths=_line_paths(points),
        ticks=tuple(ticks),
        labels=_x_labels([m for m, _, _ in rows], [p.x for p in points]),
        y_title=y_title,
        x_title=x_title,
        title=title,
        desc=desc + "." if desc else "",
    )


def _line_paths(points: list[Point]) -> tuple[str, ...]:
    """Return one SVG path per run of months with a value: a month without one breaks the line
    (a run of a single month is drawn as its point only)."""
    paths: list[str] = []
    run: list[Point] = []
    for p in [*points, None]:
        if p is not None and p.y is not None:
            run.append(p)
            continue
        if len(run) > 1:
            paths.append("M" + " L".join(f"{q.x},{q.y}" for q in run))
        run = []
    return tuple(paths)


def _line_description(points: list[Point], value_format: str) -> str:
    """Return the chart in words for screen readers: each month's value (or none) and note."""
    return "; ".join(
        f"{p.label}: {value_format.format(p.value) if p.value is not None else 'none'}"
        + (f" ({p.note})" if p.note else "")
        for p in points
    )


# -- two bars per label -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PairedRow:
    """A label with its two values (first: praised, second: criticised) and their bars."""

    label: str
    first: int
    second: int
    y: float
    first_width: float
    second_width: float


@dataclass(frozen=True, slots=True)
class PairedBarChart(_LabelledRows):
    """Two horizontal bars per label, with a legend naming the two series."""

    width: int
    height: int
    label_width: int
    plot_width: int
    bar_height: int
    rows: tuple[PairedRow, ...]
    ticks: tuple[tuple[int, float], ...]
    names: tuple[str, str]
    axis_title: str
    title: str
    desc: str


def paired_bar_chart(
    rows: list[tuple[str, int, int]],
    *,
    names: tuple[str, str],
    axis_title: str,
    title: str,
    width: int = 420,
    label_width: int = 140,
    bar_height: int = 13,
    gap: int = 12,
) -> PairedBarChart:
    """Lay out two bars per (label, first, second) row; the legend sits above the bars."""
    maximum = nice_ceiling(max((max(a, b) for _, a, b in rows), default=0))
    plot_width = width - label_width - 40
    top = 30  # room for the legend
    laid = []
    for n, (label, a, b) in enumerate(rows):
        laid.append(
            PairedRow(
                label=label,
                first=a,
                second=b,
                y=top + n * (2 * bar_height + 2 + gap),
                first_width=round(plot_width * a / maximum, 1),
                second_width=round(plot_width * b / maximum, 1),
            )
        )
    height = top + len(rows) * (2 * bar_height + 2 + gap) + 40
    quarter = next(d for d in (5, 4, 2, 1) if maximum % d == 0)
    ticks = tuple(
        (maximum * i // quarter, round(label_width + plot_width * i / quarter, 1))
        for i in range(quarter + 1)
    )
    desc = "; ".join(
        f"{label}: {a} {names[0].lower()}, {b} {names[1].lower()}" for label, a, b in rows
    )
    return PairedBarChart(
        width=width,
        height=height,
        label_width=label_width,
        plot_width=plot_width,
        bar_height=bar_height,
        rows=tuple(laid),
        ticks=ticks,
        names=names,
        axis_title=axis_title,
        title=title,
        desc=desc + "." if desc else "",
    )


# -- estimates with intervals -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IntervalRow:
    """One estimate with its interval, in percentage points, and their positions."""

    label: str
    estimate: float
    low: float
    high: float
    y: float
    x: float
    x_low: float
    x_high: float


@dataclass(frozen=True, slots=True)
class IntervalChart(_LabelledRows):
    """Estimates with confidence intervals on a symmetric axis around zero."""

    width: int
    height: int
    left: int
    plot_width: int
    zero_x: float
    rows: tuple[IntervalRow, ...]
    ticks: tuple[tuple[str, float], ...]
    axis_title: str
    title: str
    desc: str


def _signed(value: float) -> str:
    text = f"{abs(value):.1f}".removesuffix(".0")
    return ("+" if value > 0 else "−" if value < 0 else "") + text


def interval_chart(
    rows: list[tuple[str, float, float, float]],
    *,
    axis_title: str,
    title: str,
    width: int = 420,
    label_width: int = 150,
    row_height: int = 34,
) -> IntervalChart:
    """Lay out (label, estimate, low, high) rows, in percentage points, around zero."""
    reach = max((max(abs(lo), abs(hi)) for _, _, lo, hi in rows), default=1)
    limit = nice_ceiling(math.ceil(reach))
    plot_width = width - label_width - 16
    zero_x = label_width + plot_width / 2

    def x_of(value: float) -> float:
        return round(zero_x + plot_width / 2 * value / limit, 1)

    top = 8
    laid = [
        IntervalRow(
            label, est, lo, hi, top + n * row_height + row_height / 2, x_of(est), x_of(lo), x_of(hi)
        )
        for n, (label, est, lo, hi) in enumerate(rows)
    ]
    ticks = tuple((_signed(v), x_of(v)) for v in (-limit, -limit / 2, 0, limit / 2, limit))
    desc = "; ".join(
        f"{r.label}: {_signed(r.estimate)} points (95% interval {_signed(r.low)} to "
        f"{_signed(r.high)})"
        for r in laid
    )
    return IntervalChart(
        width=width,
        height=top + len(rows) * row_height + 44,
        left=label_width,
        plot_width=plot_width,
        zero_x=round(zero_x, 1),
        rows=tuple(laid),
        ticks=ticks,
        axis_title=axis_title,
        title=title,
        desc=desc + "." if desc else "",
    )
