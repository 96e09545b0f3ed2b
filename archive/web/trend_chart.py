"""The trends chart as geometry for an inline SVG, drawn on the server (no Flask, no JS).

The plot area is WIDTH x HEIGHT units inside margins for the axes. Month i of n sits at
the middle of its slot, and a value v at its share of the axis' top (a "nice" number at
or above the largest value):

    x(i) = LEFT + (i + 0.5) * WIDTH / n
    y(v) = TOP + HEIGHT - HEIGHT * v / top

Values are articles per month, or percentages of all the archive's articles that month.
The y axis has TICKS + 1 labelled lines from 0 to top; the x axis labels about LABELS
months (Januaries when the span covers several years).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import NamedTuple

from markupsafe import Markup, escape

from archive.search.trends import SeriesCounts, Trend
from archive.web.timelines import month_label, short_month

LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 40
WIDTH, HEIGHT = 728, 264
TICKS, LABELS = 4, 8

MonthLink = Callable[[SeriesCounts, str], str]  # (series, "2016-03") -> its search's URL


class Point(NamedTuple):
    """One month of one line: where it is drawn, what it says, where it leads."""

    x: float
    y: float
    month: str
    articles: int
    share: float  # percent of the archive's articles that month
    text: str  # "Anna Nowak, Mar 2016: 12 articles (3.4% of all 350)"
    url: str


class Line(NamedTuple):
    """One series on the chart: its polyline and its clickable points (months with articles)."""

    number: int  # 0-4: the CSS class series-N gives its colour and dash
    label: str
    total: int
    path: str  # the polyline's points attribute
    points: list[Point]


class Tick(NamedTuple):
    """A labelled position on an axis."""

    at: float
    label: str


class Chart(NamedTuple):
    """Everything the template draws: axes, ticks and lines, in SVG units."""

    width: int
    height: int
    left: int
    top: int
    right: int  # x of the plot's right edge
    bottom: int  # y of the plot's bottom edge (the zero line)
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    lines: list[Line]
    share: bool


def nice_top(peak: float, whole: bool = False) -> float:
    """Return the smallest of 1, 2, 2.5, 5 times a power of ten at or above peak / TICKS,
    times TICKS, so every tick is a round number (whole: a whole number of articles, at
    least 1 a tick); 1 for an empty chart."""
    if peak <= 0:
        return 1.0
    raw = max(peak / TICKS, 1) if whole else peak / TICKS
    power = 10 ** math.floor(math.log10(raw))
    steps = (1, 2, 5, 10) if whole and power < 10 else (1, 2, 2.5, 5, 10)  # 2.5: not whole
    step = next(m * power for m in steps if m * power >= raw)
    return step * TICKS


def _number(value: float, share: bool) -> str:
    text = f"{value:,.2f}".rstrip("0").rstrip(".") if value % 1 else f"{int(value):,}"
    return f"{text}%" if share else text


def _x_ticks(months: list[str], x: Callable[[int], float]) -> list[Tick]:
    if len(months) > 24:
        years = [i for i, m in enumerate(months) if m.endswith("-01")]
        every = max(1, math.ceil(len(years) / LABELS))
        return [Tick(x(i), months[i][:4]) for i in years[::every]]
    every = max(1, math.ceil(len(months) / LABELS))
    return [Tick(x(i), short_month(months[i])) for i in range(0, len(months), every)]


def point_text(label: str, month: str, count: int, share: float, total: int) -> str:
    """Say what one point is: "Anna Nowak, Mar 2016: 12 articles (3.4% of all 350)"."""
    noun = "article" if count == 1 else "articles"
    return f"{label}, {month_label(month)}: {count:,} {noun} ({share:.1f}% of all {total:,})"


def chart(trend: Trend, share: bool, month_url: MonthLink) -> Chart | None:
    """Lay out the trend's lines (None when no series has a dated article)."""
    months, n = trend.months, len(trend.months)
    if not n:
        return None
    percents = [[100 * s for s in line.shares] for line in trend.lines]
    values: list[list[float]] = (
        percents if share else [list(map(float, line.counts)) for line in trend.lines]
    )
    top = nice_top(max((v for row in values for v in row), default=0), whole=not share)

    def x(i: int) -> float:
        return round(LEFT + (i + 0.5) * WIDTH / n, 1)

    def y(v: float) -> float:
        return round(TOP + HEIGHT - HEIGHT * v / top, 1)

    lines = []
    for index, (line, row, shares) in enumerate(zip(trend.lines, values, percents)):
        label = line.series.label
        points = [
            Point(
                x(i),
                y(row[i]),
                month,
                line.counts[i],
                shares[i],
                point_text(label, month, line.counts[i], shares[i], trend.totals[i]),
                month_url(line, month),
            )
            for i, month in enumerate(months)
            if line.counts[i]
        ]
        path = " ".join(f"{x(i)},{y(v)}" for i, v in enumerate(row))
        lines.append(Line(index, label, sum(line.counts), path, points))
    y_ticks = [Tick(y(top * k / TICKS), _number(top * k / TICKS, share)) for k in range(TICKS + 1)]
    return Chart(
        width=LEFT + WIDTH + RIGHT,
        height=TOP + HEIGHT + BOTTOM,
        left=LEFT,
        top=TOP,
        right=LEFT + WIDTH,
        bottom=TOP + HEIGHT,
        y_ticks=y_ticks,
        x_ticks=_x_ticks(months, x),
        lines=lines,
        share=share,
    )


class Cell(NamedTuple):
    """One series' month in the table: articles, percent of the archive, its search."""

    articles: int
    share: float
    url: str


class Row(NamedTuple):
    """One month of the table."""

    month: str
    label: str
    cells: list[Cell]
    total: int


def table(trend: Trend, month_url: MonthLink) -> list[Row]:
    """Return the table's rows: the months in which some series has an article."""
    rows = []
    for i, month in enumerate(trend.months):
        if not any(line.counts[i] for line in trend.lines):
            continue
        cells = [
            Cell(
                line.counts[i],
                100 * line.shares[i],
                month_url(line, month) if line.counts[i] else "",
            )
            for line in trend.lines
        ]
        rows.append(Row(month, month_label(month), cells, trend.totals[i]))
    return rows


# A chart has hundreds of points and the table as many cells: they are joined here in one
# pass (each value escaped) rather than looped in the template, a few times faster.


def point_links(line: Line) -> Markup:
    """Return a line's points as SVG links, each named by its <title>."""
    return Markup(
        "".join(
            f'<a href="{escape(p.url)}" data-month="{p.month}"><title>{escape(p.text)}</title>'
            f'<circle cx="{p.x}" cy="{p.y}" r="4"/></a>'
            for p in line.points
        )
    )


def table_cells(row: Row) -> Markup:
    """Return a table row's cells: each series' articles (a link) and share, then the total."""
    cells = [
        f'<td><a href="{escape(c.url)}">{c.articles:,}</a> <span class="share">({c.share:.1f}%)'
        "</span></td>"
        if c.articles
        else "<td>0</td>"
        for c in row.cells
    ]
    return Markup("".join(cells) + f"<td>{row.total:,}</td>")
