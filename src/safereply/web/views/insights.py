"""The dashboard, the insights page, the printable monthly report and the agency view.

Each page calls one function of ``safereply.services.insights`` (the dashboard also the inbox
counts of ``Overview.dashboard``) and only renders: its JSON twin (``?format=json``) is that
function's result, exactly as the API serves it (``/api/v1/practices/{id}/insights``,
``.../reports/monthly``, ``/api/v1/agency``). Charts are inline SVG laid out by ``chart.py``, each
with a table of its numbers right below it.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import TypeAdapter

from safereply.errors import InputError
from safereply.services.insights import (
    MIN_POSTS,
    Figures,
    ImprovementEffect,
    InsightsService,
    MonthFigures,
    MonthRange,
    TopicFigures,
)
from safereply.web.views.chart import (
    bar_chart,
    column_chart,
    interval_chart,
    line_chart,
    month_label,
    paired_bar_chart,
)
from safereply.web.views.common import (
    TOPIC_LABELS,
    HtmlRoute,
    PageUserDep,
    ServicesDep,
    overview,
    page,
    practice_context,
)

router = APIRouter(route_class=HtmlRoute, include_in_schema=False)


#: One adapter per result type, built on first use (a dict: mypy does not see ``type`` objects
#: as the Hashable that functools.cache asks for).
_ADAPTERS: dict[type, TypeAdapter[Any]] = {}


def _adapter(kind: type) -> TypeAdapter[Any]:
    adapter = _ADAPTERS.get(kind)
    if adapter is None:
        adapter = _ADAPTERS[kind] = TypeAdapter(kind)
    return adapter


def as_json(value: Any) -> Any:
    """Return a service result as the JSON the API sends for it (same field names and types)."""
    return _adapter(type(value)).dump_python(value, mode="json")


# -- charts from service results ----------------------------------------------------------------


def rating_chart(months: list[MonthFigures], title: str) -> Any:
    """The average star rating per month, 1 to 5, with gaps for months without ratings."""
    rows = [
        (m.month, m.average_rating, f"{m.rated} rated" if m.rated else "no ratings") for m in months
    ]
    return line_chart(rows, y_min=1, y_max=5, y_step=1, y_title="Average stars", title=title)


def volume_chart(months: list[MonthFigures], title: str) -> Any:
    """Posts written per month (their arrival when the platform gave no date)."""
    return column_chart([(m.month, m.posts) for m in months], y_title="Posts", title=title)


def response_chart(months: list[MonthFigures], title: str) -> Any:
    """The response rate per month, in percent."""
    rows = [
        (
            m.month,
            None if m.response_rate is None else m.response_rate * 100,
            f"{m.answered} of {m.needed_answer}",
        )
        for m in months
    ]
    return line_chart(
        rows,
        y_min=0,
        y_max=100,
        y_step=25,
        y_title="Answered (%)",
        title=title,
        value_format="{:.0f}",
        value_unit="%",
    )


def topics_chart(topics: list[TopicFigures], title: str) -> Any:
    """How many posts praised and criticised each topic."""
    rows = [(TOPIC_LABELS[t.topic], t.praised, t.criticised) for t in topics]
    return paired_bar_chart(rows, names=("Praised", "Criticised"), axis_title="Posts", title=title)


def improvement_label(effect: ImprovementEffect) -> str:
    """A short name for an improvement: its topic and month."""
    when = f", {month_label(effect.since.strftime('%Y-%m'))}" if effect.since else ""
    return TOPIC_LABELS.get(effect.topic, effect.topic) + when


def improvements_chart(effects: list[ImprovementEffect], title: str) -> Any | None:
    """The change in each compared improvement's complaint share, with its 95% interval."""
    rows = [
        (improvement_label(e), e.change * 100, e.ci_low * 100, e.ci_high * 100)
        for e in effects
        if e.change is not None and e.ci_low is not None and e.ci_high is not None
    ]
    if not rows:
        return None
    return interval_chart(
        rows, axis_title="Change in complaint share (percentage points)", title=title
    )


def _sentence(message: str) -> str:
    """Return a service's message as a sentence on the page: it starts with a capital letter."""
    return message[:1].upper() + message[1:]


def _month_problems(
    insights: InsightsService, first: str | None, last: str | None, problems: list[str]
) -> MonthRange | None:
    if not first and not last:
        return None  # the last 12 months on the practice's clock
    try:
        return MonthRange.parse(first, last, today=insights.clock().date())
    except InputError as exc:
        problems.append(_sentence(f"{exc}: showing the last 12 months."))
        return None


def _twin(request: Request) -> str:
    return request.url.path + "?" + urlencode({**request.query_params, "format": "json"})


# -- pages --------------------------------------------------------------------------------------


@router.get("/p/{practice_id}/dashboard")
def dashboard(
    request: Request, practice_id: int, services: ServicesDep, user: PageUserDep
) -> Response:
    """What waits now, the last 90 days' answers and complaints, the year's rating, volume and
    response rate, and what changed after each improvement."""
    ctx = practice_context(services, user, practice_id)
    data = overview(services).dashboard(user.actor, practice_id, days=90)
    insights = InsightsService.of(services).trend(user.actor, practice_id)
    rows = [(TOPIC_LABELS[t], n) for t, n in data["complaints_by_topic"].items()]
    title = f"Complaints by topic, last {data['days']} days"
    return page(
        request,
        "dashboard.html",
        {
            **ctx,
            "title": "Dashboard",
            "nav": "dashboard",
            "user": user,
            "data": data,
            "insights": insights,
            "chart": bar_chart(rows, axis_title="Complaints", title=title),
            "rating": rating_chart(insights.by_month, "Average rating by month"),
            "volume": volume_chart(insights.by_month, "Posts written by month"),
            "effects": improvements_chart(insights.improvements, "Change after improvements"),
            "json_twin": _twin(request),
        },
        data={**data, "trend": as_json(insights)},
    )


@router.get("/p/{practice_id}/insights")
def insights_page(
    request: Request, practice_id: int, services: ServicesDep, user: PageUserDep
) -> Response:
    """Per month and per location: rating, volume, answers and topics; improvements."""
    ctx = practice_context(services, user, practice_id)
    service = InsightsService.of(services)
    q = request.query_params
    problems: list[str] = []
    months = _month_problems(service, q.get("from") or None, q.get("to") or None, problems)
    location_id = None
    if q.get("location"):
        try:
            location_id = int(q["location"])
        except ValueError:
            problems.append("The location must be a location number: showing every location.")
    data = service.practice(user.actor, practice_id, months, location_id=location_id)
    where = f" at {data.location.name}" if data.location else ""
    span = f"{month_label(data.first_month)} to {month_label(data.last_month)}"
    return page(
        request,
        "insights.html",
        {
            **ctx,
            "title": "Insights",
            "nav": "insights",
            "user": user,
            "data": data,
            "problems": problems,
            "span": span,
            "where": where,
            "locations": [loc for loc in data.by_location if loc.id is not None],
            "rating": rating_chart(data.by_month, f"Average rating by month{where}, {span}"),
            "volume": volume_chart(data.by_month, f"Posts written by month{where}, {span}"),
            "response": response_chart(data.by_month, f"Response rate by month{where}, {span}"),
            "topics": topics_chart(data.topics, f"Topics praised and criticised{where}, {span}"),
            "effects": improvements_chart(data.improvements, "Change after improvements"),
            "json_twin": _twin(request),
        },
        data=as_json(data),
    )


@router.get("/p/{practice_id}/reports/monthly")
def monthly_report(
    request: Request, practice_id: int, services: ServicesDep, user: PageUserDep
) -> Response:
    """One month on one page, laid out to print or save as PDF from the browser."""
    ctx = practice_context(services, user, practice_id)
    service = InsightsService.of(services)
    problems: list[str] = []
    month = request.query_params.get("month") or None
    try:
        report = service.monthly(user.actor, practice_id, month)
    except InputError as exc:
        problems.append(_sentence(f"{exc}: showing the last whole month."))
        report = service.monthly(user.actor, practice_id)
    label = month_label(report.month)
    mentioned = [t for t in report.topics if t.mentioned]
    this = service.clock().date().replace(day=1)
    return page(
        request,
        "report_monthly.html",
        {
            **ctx,
            "title": f"Monthly report, {label}",
            "nav": "report",
            "user": user,
            "report": report,
            "label": label,
            "min_posts": MIN_POSTS,
            "problems": problems,
            "rows": _compare(report.this_month, report.previous),
            "previous_label": month_label(report.previous_month),
            "topics": topics_chart(mentioned, f"Topics praised and criticised, {label}")
            if mentioned
            else None,
            "mentioned": mentioned,
            "rating": rating_chart(report.trend, f"Average rating, 12 months to {label}"),
            "volume": volume_chart(report.trend, f"Posts written, 12 months to {label}"),
            "effects": improvements_chart(report.improvements, "Change after improvements"),
            "months": [(m, month_label(m)) for m in MonthRange.ending(this, 24).months[::-1]],
            "json_twin": _twin(request),
        },
        data=as_json(report),
    )


@router.get("/agency")
def agency(request: Request, services: ServicesDep, user: PageUserDep) -> Response:
    """Every practice the user belongs to, side by side."""
    service = InsightsService.of(services)
    q = request.query_params
    problems: list[str] = []
    months = _month_problems(service, q.get("from") or None, q.get("to") or None, problems)
    data = service.agency(user.actor, months)
    span = f"{month_label(data.first_month)} to {month_label(data.last_month)}"
    charts = {
        p.practice_id: line_chart(
            [
                (r.month, r.average_rating, f"{r.rated} rated" if r.rated else "no ratings")
                for r in p.rating_trend
            ],
            y_min=1,
            y_max=5,
            y_step=1,
            y_title="Average stars",
            title=f"{p.name}: average rating by month, {span}",
        )
        for p in data.practices
    }
    return page(
        request,
        "agency.html",
        {
            "title": "All practices",
            "user": user,
            "data": data,
            "span": span,
            "charts_by_id": charts,
            "problems": problems,
            "practices": services.practices.list_practices(user.actor),
            "json_twin": _twin(request),
        },
        data=as_json(data),
    )


def _compare(this: Figures, previous: Figures) -> list[dict[str, Any]]:
    """The month's figures beside the month before, formatted for the report's table."""

    def rate(v: float | None) -> str:
        return "–" if v is None else f"{v * 100:.0f}%"

    def stars(v: float | None) -> str:
        return "–" if v is None else f"{v:.2f}"

    def hours(v: float | None) -> str:
        if v is None:
            return "–"
        return f"{v * 60:.0f} min" if v < 1 else f"{v:.1f} h"

    return [
        {"label": "Posts written", "this": this.posts, "previous": previous.posts},
        {"label": "Complaints", "this": this.complaints, "previous": previous.complaints},
        {"label": "Praise", "this": this.praise, "previous": previous.praise},
        {
            "label": "Average rating (stars)",
            "this": stars(this.average_rating),
            "previous": stars(previous.average_rating),
            "note": f"{this.rated} and {previous.rated} rated posts",
        },
        {
            "label": "Response rate",
            "this": rate(this.response_rate),
            "previous": rate(previous.response_rate),
            "note": f"{this.answered} of {this.needed_answer} and {previous.answered} of "
            f"{previous.needed_answer} posts that needed an answer",
        },
        {
            "label": "Median time to reply",
            "this": hours(this.median_hours_to_reply),
            "previous": hours(previous.median_hours_to_reply),
            "note": f"over {this.replies} and {previous.replies} replies",
        },
    ]
