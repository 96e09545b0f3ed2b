"""The trends blueprint: up to five searches compared over time, as a page, JSON and CSV.

    /trends?series=person:Anna+Nowak&series=q:climate[&measure=share]
        the page: a chart drawn on the server as SVG (each point opens its month's search),
        a legend, a table of the numbers, and a form to change the series
    /api/trends?series=...   the same counts as JSON: every month's articles and share
    /trends.csv?series=...   one row per series and month

How a series is written and counted is in archive/search/trends.py; the chart's geometry
in trend_chart.py. A bad series or more than five re-render the page with what was typed
and the reason, with status 400 (JSON for the API, plain text for the CSV).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from urllib.parse import urlencode

from flask import Blueprint, Response, jsonify, render_template, request, url_for
from flask.typing import ResponseReturnValue

from archive.errors import SearchError
from archive.search.trends import MAX_SERIES, Series, SeriesCounts, Trend, parse_all, trend
from archive.web import trend_chart
from archive.web.resources import get_searcher

trends = Blueprint("trends", __name__)

MEASURES = ("articles", "share")
CSV_COLUMNS = ("series", "label", "month", "articles", "all_articles", "share")
EXAMPLES = 2  # people offered as a first comparison on the empty page
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet runs such a cell


def _requested() -> tuple[list[str], list[Series], str]:
    """Return the series as typed, as parsed, and the measure; SearchError when invalid."""
    typed = [t for t in request.args.getlist("series") if t.strip()]
    measure = request.args.get("measure", "articles").strip().lower() or "articles"
    if measure not in MEASURES:
        raise SearchError(f"measure must be {' or '.join(MEASURES)}, not {measure!r}")
    return typed, parse_all(typed), measure


def trends_url(specs: Sequence[str], measure: str = "articles", endpoint: str = "page") -> str:
    """Return the URL of a trend of these series (KIND:VALUE) in this measure."""
    pairs = [("series", spec) for spec in specs]
    if measure != "articles":
        pairs.append(("measure", measure))
    return url_for(f"trends.{endpoint}") + ("?" + urlencode(pairs) if pairs else "")


def search_links() -> Callable[[SeriesCounts, str | None], str]:
    """Return a function giving the search page URL of a series, for one month or all."""
    base = url_for("pages.search_page")
    encoded: dict[str, str] = {}

    def link(line: SeriesCounts, month: str | None) -> str:
        series = line.series
        if series.spec not in encoded:
            pairs = [(k, v) for k, v in series.criteria.to_args() if k not in ("from", "to")]
            encoded[series.spec] = urlencode(pairs)
        if month is None:
            dates = [(k, v) for k, v in series.criteria.to_args() if k in ("from", "to")]
            return f"{base}?{encoded[series.spec]}" + ("&" + urlencode(dates) if dates else "")
        return f"{base}?{encoded[series.spec]}&from={month}&to={month}"

    return link


@trends.get("/trends")
def page() -> ResponseReturnValue:
    """Render the trend chart of the series in the URL (the form alone without any)."""
    try:
        typed, series, measure = _requested()
    except SearchError as error:
        typed = request.args.getlist("series")
        return _render(typed, [], None, "articles", str(error)), 400
    found = trend(get_searcher(), series) if series else None
    return _render([s.spec for s in series], series, found, measure)


def _render(
    typed: list[str], series: list[Series], found: Trend | None, measure: str, error: str = ""
) -> str:
    link = search_links()  # also a trend_chart.MonthLink: (series, month) -> URL
    specs = [s.spec for s in series]
    share = measure == "share"
    legend = [
        {
            "index": i,
            "label": line.series.label,
            "spec": line.series.spec,
            "total": sum(line.counts),
            "search_url": link(line, None),
            "remove_url": trends_url([s for s in specs if s != line.series.spec], measure),
        }
        for i, line in enumerate(found.lines if found else [])
    ]
    return render_template(
        "trends.html",
        typed=typed + [""] * max(0, MAX_SERIES - len(typed)),
        max_series=MAX_SERIES,
        error=error,
        series=series,
        share=share,
        chart=trend_chart.chart(found, share, link) if found else None,
        rows=trend_chart.table(found, link) if found else [],
        point_links=trend_chart.point_links,
        table_cells=trend_chart.table_cells,
        legend=legend,
        measure_urls={m: trends_url(specs, m) for m in MEASURES},
        csv_url=trends_url(specs, endpoint="csv_export") if specs else "",
        api_url=trends_url(specs, endpoint="api") if specs else "",
        examples=_examples() if not series and not error else [],
    )


def _examples() -> list[dict[str, str]]:
    """Offer the archive's most named people, compared, as a first trend."""
    people = get_searcher().facet_values("people", limit=EXAMPLES)
    specs = [f"person:{p['value']}" for p in people]
    if len(specs) < EXAMPLES:
        return []
    return [{"label": " and ".join(p["value"] for p in people), "url": trends_url(specs)}]


@trends.get("/api/trends")
def api() -> ResponseReturnValue:
    """Return the series' articles and shares per month as JSON."""
    _, series, _ = _requested()
    found = trend(get_searcher(), series)
    link = search_links()
    return jsonify(
        {
            "months": found.months,
            "totals": found.totals,
            "series": [
                {
                    "spec": line.series.spec,
                    "label": line.series.label,
                    "total": sum(line.counts),
                    "counts": line.counts,
                    "shares": line.shares,
                    "search": link(line, None),
                }
                for line in found.lines
            ],
        }
    )


@trends.get("/trends.csv")
def csv_export() -> ResponseReturnValue:
    """Return one CSV row per series and month: its articles, the archive's, the share."""
    try:
        _, series, _ = _requested()
    except SearchError as error:
        return Response(f"error: {error}\n", 400, mimetype="text/plain")
    found = trend(get_searcher(), series)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for line in found.lines:
        spec, label = _cell(line.series.spec), _cell(line.series.label)
        for month, count, total, share in zip(found.months, line.counts, found.totals, line.shares):
            writer.writerow((spec, label, month, count, total, share))
    headers = {"Content-Disposition": 'attachment; filename="newsarchive-trends.csv"'}
    return Response(buffer.getvalue(), mimetype="text/csv", headers=headers)


def _cell(text: str) -> str:
    # A label such as "-tax" would run as a formula in a spreadsheet: keep it text.
    return "'" + text if text.startswith(_FORMULA_START) else text
