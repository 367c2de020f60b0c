"""Insight in the JSON API (issue 12): the figures of an area of the own municipality over a
period, each with its n, its 95% interval and `suppressed` (the value null when it is).

Only the municipality's analyst, its coordinator and its front door (403 for anyone else);
an area of another municipality answers as an unknown one (404); bad input is a 422 naming
the field (`area`, `from`, `to`, `by`). Every call is logged with the area as its object.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.params.functions import Query

from jeugdketen.access.requests import ActorRequest
from jeugdketen.insight import (
    actions,
    costs,
    kpis,
    outcomes,
    stats,
    store,
    value_stream,
    waiting,
)

router = Router(tags=["insight"])

AREA: Any = Query(None, description="GMnnnn, WKnnnnnn or BUnnnnnnnn of your own municipality "
                               "(default: your municipality)")
FROM: Any = Query(None, alias="from", description="the period's first day (default: the first "
                                             "day of the last twelve full months)")
TO: Any = Query(None, alias="to", description="the period's last day, included (default: the "
                                         "last day of last month)")


class RateOut(Schema):
    key: str
    group: str = Field(description="area code or provider id; \"\" for the scope's total")
    label: str
    n: int | None = Field(description="rounded to a multiple of rounded_to")
    count: int | None = Field(description="rounded to a multiple of rounded_to")
    value: float | None = Field(description="count / n of the rounded counts, 0..1; null "
                                            "when suppressed")
    low: float | None = Field(description="95% interval (Wilson) of the rounded counts")
    high: float | None
    suppressed: bool
    provisional: bool = Field(description="the follow-up period has not ended for all")
    rounded_to: int | None = Field(
        None, description="n and count are rounded to a multiple of it (10, or a lower "
                          "threshold); null when suppressed")


class SpreadOut(Schema):
    key: str
    group: str
    label: str
    n: int | None = Field(description="rounded to a multiple of rounded_to")
    p50: float | None
    p90: float | None
    share_within: float | None = Field(
        description="the share within 28 days, of the rounded counts")
    suppressed: bool
    provisional: bool
    rounded_to: int | None = Field(
        None, description="n is rounded to a multiple of it (10, or a lower threshold)")


class ScopeOut(Schema):
    area: str
    area_name: str
    start: date = Field(alias="from")
    end: date = Field(alias="to", description="the period's last day, included")
    threshold: int = Field(description="no count below it is shown")
    follow_up_days: int
    refreshed_at: str | None = Field(
        description="when the figures' store was last refreshed (null: never, no figures)")


class KpisOut(ScopeOut):
    help_that_helps: list[RateOut]
    time_to_help: list[SpreadOut]
    time_on_help: list[dict[str, Any]] = Field(
        description="per area: value (hours on help / (help + accountability)), help_hours, "
                    "accountability_hours (per respondent per week), respondents, weeks; "
                    "suppressed below the threshold (issue 13)")
    job_satisfaction: list[dict[str, Any]] = Field(
        description="per area and closed survey year: respondents, variety, autonomy, "
                    "support (1-5), overall (0-10); suppressed below the threshold")
    costs: list[dict[str, Any]]


class ValueStreamOut(ScopeOut):
    value_stream: dict[str, Any]
    directly_follows: list[dict[str, Any]]


class WaitingOut(ScopeOut):
    waiting: dict[str, Any]


class OutcomesOut(ScopeOut):
    by: str
    provider_scope: str | None = Field(
        description="by=provider: the municipality (GMnnnn) the provider tables are over, "
                    "whatever area was asked for; null by neighbourhood")
    indicators: dict[str, list[RateOut]]
    funnels: dict[str, dict[str, Any]]


def _read(request: ActorRequest, area: str | None, start: date | None,
          end: date | None) -> tuple[actions.Reading, Any, dict[str, Any]]:
    reading = actions.read_insight(request.actor, area, start=start, end=end,
                                   today=timezone.localdate())
    con = store.reader()
    refreshed = store.refreshed_at()
    head = {"area": reading.scope.area, "area_name": reading.area_name,
            "from": reading.scope.start, "to": reading.last_day,
            "threshold": reading.threshold, "follow_up_days": reading.scope.follow_up_days,
            "refreshed_at": refreshed.isoformat() if refreshed is not None else None}
    return reading, con, head


@router.get("/insight/kpis", response=KpisOut, by_alias=True)
def insight_kpis(request: ActorRequest, area: str | None = AREA, start: date | None = FROM,
                 end: date | None = TO) -> dict[str, Any]:
    """The four KPIs per area one level below the one asked for (the total first): help
    that helps, time to help that helps (days: p50, p90, share within 28 days), and the
    share of time on help and job satisfaction (per year); with the costs per area."""
    reading, con, head = _read(request, area, start, end)
    scope, threshold = reading.scope, reading.threshold
    return {**head,
            "help_that_helps": [r.as_dict() for r in kpis.help_that_helps(
                con, scope, threshold=threshold)],
            "time_to_help": [s.as_dict() for s in kpis.time_to_help(
                con, scope, threshold=threshold)],
            "time_on_help": [t.as_dict() for t in kpis.time_on_help(
                con, scope, threshold=threshold)],
            "job_satisfaction": [j.as_dict() for j in kpis.job_satisfaction(
                con, scope, threshold=threshold)],
            "costs": [c.as_dict() for c in costs.costs(con, scope, threshold=threshold)]}


@router.get("/insight/value-stream", response=ValueStreamOut, by_alias=True)
def insight_value_stream(request: ActorRequest, area: str | None = AREA,
                         start: date | None = FROM, end: date | None = TO) -> dict[str, Any]:
    """The value stream from first contact to close (per step: reached, wait before it and
    time in it, p50 and p90 days; work in progress now and per week; handovers; the
    bottleneck) and the directly-follows graph (edges of at least the threshold). The
    work in progress per week, the handovers and the edges' counts are rounded to the
    threshold (`rounded_to`)."""
    reading, con, head = _read(request, area, start, end)
    scope, threshold = reading.scope, reading.threshold
    return {**head,
            "value_stream": value_stream.value_stream(con, scope, threshold=threshold).as_dict(),
            "directly_follows": [e.as_dict() for e in value_stream.directly_follows(
                con, scope, threshold=threshold)]}


@router.get("/insight/waiting", response=WaitingOut, by_alias=True)
def insight_waiting(request: ActorRequest, area: str | None = AREA, start: date | None = FROM,
                    end: date | None = TO) -> dict[str, Any]:
    """The front door's waiting lists: the open items per step (and per organisation) now,
    within the norm, past the norm, past three times the norm (and without a norm), and the
    same at the end of every week of the period. A suppressed count is null and named in
    its row's `suppressed`; every count shown is rounded to a multiple of 10
    (`rounded_to`)."""
    reading, con, head = _read(request, area, start, end)
    return {**head, "waiting": waiting.waiting(con, reading.scope,
                                               threshold=reading.threshold).as_dict()}


@router.get("/insight/outcomes", response=OutcomesOut, by_alias=True)
def insight_outcomes(request: ActorRequest, by: Literal["provider", "neighbourhood"],
                     area: str | None = AREA, start: date | None = FROM,
                     end: date | None = TO) -> dict[str, Any]:
    """The outcome indicators (dropout, satisfied, can_continue, no_repeat,
    goals_attained) per provider or per neighbourhood (the total first), each with its
    funnel (the overall rate, the groups' positions and the control limits). Per
    provider the tables are over the whole municipality the area lies in
    (`provider_scope`), so they are the same for each of its areas."""
    reading, con, head = _read(request, area, start, end)
    found = outcomes.indicators(con, reading.scope, threshold=reading.threshold, by=by)
    provider_scope = (kpis.provider_scope(con, reading.scope).area if by == "provider"
                      else None)
    return {**head, "by": by, "provider_scope": provider_scope,
            "indicators": {key: [r.as_dict() for r in rates] for key, rates in found.items()},
            "funnels": {key: stats.funnel(rates) for key, rates in found.items()}}
