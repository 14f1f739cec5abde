"""Insights (issue 15, item 4): a practice's figures per month and location, its monthly report,
and the agency view across practices. The pages call the same service functions
(``safereply.services.insights``), so the JSON twins of the pages equal these answers."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from safereply.services.insights import (
    AgencyOverview,
    InsightsService,
    MonthlyReport,
    MonthRange,
    PracticeInsights,
    PracticeTrend,
)
from safereply.web.deps import ActorDep, ServicesDep

router = APIRouter(tags=["insights"])

_MONTH = r"^\d{4}-\d{2}$"
FirstMonth = Annotated[
    str | None,
    Query(
        alias="from",
        pattern=_MONTH,
        description="first month, YYYY-MM (default: 11 before the last)",
    ),
]
LastMonth = Annotated[
    str | None,
    Query(alias="to", pattern=_MONTH, description="last month, YYYY-MM (default: this month)"),
]


def _range(insights: InsightsService, first: str | None, last: str | None) -> MonthRange | None:
    """The chosen months; None (the last 12 on the practice's clock) when none are chosen."""
    if not first and not last:
        return None
    return MonthRange.parse(first, last, today=insights.clock().date())


@router.get(
    "/practices/{practice_id}/insights",
    response_model=PracticeInsights,
    summary="Rating, volume, answers and topics per month and location; improvements before/after",
)
def practice_insights(
    practice_id: int,
    services: ServicesDep,
    actor: ActorDep,
    first: FirstMonth = None,
    last: LastMonth = None,
    location_id: int | None = None,
) -> PracticeInsights:
    insights = InsightsService.of(services)
    months = _range(insights, first, last)
    return insights.practice(actor, practice_id, months, location_id=location_id)


@router.get(
    "/practices/{practice_id}/insights/trend",
    response_model=PracticeTrend,
    summary="The dashboard's cut: figures per month and each improvement's effect",
)
def practice_trend(
    practice_id: int,
    services: ServicesDep,
    actor: ActorDep,
    first: FirstMonth = None,
    last: LastMonth = None,
) -> PracticeTrend:
    insights = InsightsService.of(services)
    return insights.trend(actor, practice_id, _range(insights, first, last))


@router.get(
    "/practices/{practice_id}/reports/monthly",
    response_model=MonthlyReport,
    summary="One month's report (default: the last whole month), as the printable page shows it",
)
def monthly_report(
    practice_id: int,
    services: ServicesDep,
    actor: ActorDep,
    month: Annotated[str | None, Query(pattern=_MONTH, description="YYYY-MM")] = None,
) -> MonthlyReport:
    return InsightsService.of(services).monthly(actor, practice_id, month)


@router.get(
    "/agency",
    response_model=AgencyOverview,
    summary="Every practice you belong to, side by side",
)
def agency(
    services: ServicesDep,
    actor: ActorDep,
    first: FirstMonth = None,
    last: LastMonth = None,
) -> AgencyOverview:
    insights = InsightsService.of(services)
    return insights.agency(actor, _range(insights, first, last))
