"""The chain board in the JSON API (issue 13): a municipality's board for a week
(aggregates only: every series with its XmR limits and signals, hidden counts null), and
its improvement actions (list, create, change status or freeze the measured effect, take
the expected effect from a finished scenario run).

The municipality's analyst, coordinator and front door read; its analyst and coordinator
write. Another municipality answers as an unknown one (404, field `municipality`); an
action of another municipality as an unknown action (403, as every record without a
ground); bad input is a 422 naming each field. Every call is in the access log.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.params.functions import Query

from jeugdketen.access.policy import Action, Actor
from jeugdketen.access.requests import ActorRequest
from jeugdketen.steering import board_actions as act
from jeugdketen.steering import simulation_actions
from jeugdketen.steering.models import ImprovementAction

router = Router(tags=["steering"])

MUNICIPALITY: Any = Query(None, description="GMnnnn, your own municipality (default)")
WEEK: Any = Query(None, description="an ISO week, e.g. 2026-W48 (default: the last "
                                    "complete week)")


class BoardOut(Schema):
    municipality: str
    municipality_name: str
    week: str
    monday: date
    sunday: date
    threshold: int = Field(description="no count below it is shown; stocks are rounded to "
                                       "a multiple of it")
    kpi_period: dict[str, Any]
    series: list[dict[str, Any]] = Field(description="per series: key, label, kind, period, "
                                                     "points (value null when hidden) and "
                                                     "xmr (centre, limits, signals)")
    bottlenecks: list[dict[str, Any]]
    time_on_help: dict[str, Any] | None = Field(description="null: no data yet")
    job_satisfaction: dict[str, Any] | None = Field(description="null: no data yet")
    definition_version: int
    refreshed_at: str | None


class ImprovementActionOut(Schema):
    id: int
    municipality: str
    what: str
    step: str
    owner_kind: str = Field(description="professional or organisation")
    owner_id: int
    owner_name: str
    start: date
    due: date
    status: str
    kpi: str
    expected_direction: str
    expected_amount: float
    expected_text: str
    scenario: int | None = Field(description="the finished scenario run the expected effect "
                                             "was taken from (null: typed, or the run was "
                                             "deleted)")
    scenario_effect: dict[str, Any] | None = Field(
        description="the frozen copy of the run's numbers used: kpi, measure "
                    "(time_to_help.p50), unit (days), change (mean, low, high: the 95% "
                    "interval over the replications, scenario minus present), present, "
                    "scenario, scenario_asked, replications, seed, period_start, "
                    "period_end, finished_at; null without a scenario")
    measured: dict[str, Any] = Field(description="status too_early, or measured: the KPI's "
                                                 "mean before and after the start, each "
                                                 "with n; `frozen` once recorded")


class ImprovementActionIn(Schema):
    municipality: str | None = None
    what: Any = None
    step: Any = ""
    owner_professional: Any = None
    owner_organisation: Any = None
    start: Any = None
    due: Any = None
    kpi: Any = None
    expected_direction: Any = None
    expected_amount: Any = None
    expected_text: Any = ""
    scenario: Any = Field(None, description="a finished scenario run of the municipality "
                                            "(its id): the expected direction and amount "
                                            "are taken from it (kpi time_to_help only)")


class ImprovementActionPatch(Schema):
    status: Any = None
    measure: Any = Field(False, description="true: record the measured effect now (only "
                                            "after the due date)")
    scenario: Any = Field(None, description="a finished scenario run of the municipality "
                                            "(its id) as the source of the expected "
                                            "effect; null clears it; left out: unchanged")


# What of a scenario's frozen copy a reader who may not read the simulation sees: the
# expected change itself, as the board page shows it (not the run, its values or settings).
EFFECT_FOR_ALL = ("kpi", "measure", "unit", "change")


def may_read_runs(actor: Actor) -> bool:
    """May the actor read the municipality's simulation runs (asked, not logged)?"""
    return simulation_actions.may(actor, Action.READ).allowed


def action_out(row: ImprovementAction, today: date, *, may_read_runs: bool) -> dict[str, Any]:
    prof, org = row.owner_professional, row.owner_organisation
    effect = act.measured_effect(row, today)
    expected = row.scenario_effect
    if expected and not may_read_runs:
        expected = {k: expected[k] for k in EFFECT_FOR_ALL if k in expected}
    return {"id": row.pk, "municipality": row.municipality_id, "what": row.what,
            "step": row.step,
            "owner_kind": "professional" if prof is not None else "organisation",
            "owner_id": prof.pk if prof is not None else org.pk if org is not None else 0,
            "owner_name": prof.full_name if prof is not None
            else org.name if org is not None else "",
            "start": row.start, "due": row.due, "status": row.status, "kpi": row.kpi,
            "expected_direction": row.expected_direction,
            "expected_amount": row.expected_amount, "expected_text": row.expected_text,
            "scenario": row.scenario_id if may_read_runs else None,
            "scenario_effect": expected,
            "measured": {**effect, "frozen": bool(row.measured)}}


@router.get("/steering/board", response=BoardOut)
def steering_board(request: ActorRequest, municipality: str | None = MUNICIPALITY,
                   week: str | None = WEEK) -> dict[str, Any]:
    """The chain board of a municipality for a week: new reports, plans closed and help
    started per week, open work per step and items waiting past the norm at each week's
    end (rounded), help that helps and time to help per month, each with its XmR chart;
    the bottlenecks, most costly first."""
    reading = act.read_board(request.actor, municipality, week=week,
                             today=timezone.localdate())
    refreshed = reading.refreshed_at
    return {**reading.board.aggregates(),
            "refreshed_at": refreshed.isoformat() if refreshed is not None else None}


@router.get("/steering/actions", response=list[ImprovementActionOut])
def steering_actions(request: ActorRequest,
                     municipality: str | None = MUNICIPALITY) -> list[dict[str, Any]]:
    """The municipality's improvement actions, the first due date first."""
    today = timezone.localdate()
    runs = may_read_runs(request.actor)
    return [action_out(row, today, may_read_runs=runs)
            for row in act.list_actions(request.actor, municipality)]


@router.post("/steering/actions", response={201: ImprovementActionOut})
def steering_action_create(request: ActorRequest, body: ImprovementActionIn) -> Status[dict[str, Any]]:
    """Record an improvement action (the municipality's analyst or coordinator): exactly
    one owner (`owner_professional` or `owner_organisation`, of the municipality), `kpi`
    one of the board's series keys, `expected_direction` up or down."""
    row = act.create_action(
        request.actor, body.municipality, what=body.what, start=body.start, due=body.due,
        kpi=body.kpi, expected_direction=body.expected_direction,
        expected_amount=body.expected_amount, expected_text=body.expected_text,
        step=body.step, owner_professional=body.owner_professional,
        owner_organisation=body.owner_organisation, scenario=body.scenario)
    return Status(201, action_out(row, timezone.localdate(),
                                  may_read_runs=may_read_runs(request.actor)))


@router.patch("/steering/actions/{action_id}", response=ImprovementActionOut)
def steering_action_update(request: ActorRequest, action_id: int,
                           body: ImprovementActionPatch) -> dict[str, Any]:
    """Change an action's status (planned, doing, done, dropped; done and dropped are
    final) and/or record its measured effect (`measure`: true, after the due date), and/or
    take its expected effect from a finished scenario run (`scenario`: its id; null
    clears it)."""
    today = timezone.localdate()
    scenario = body.scenario if "scenario" in body.model_fields_set else act.KEEP
    row = act.update_action(request.actor, action_id, status=body.status,
                            measure=body.measure, scenario=scenario, today=today)
    return action_out(row, today, may_read_runs=may_read_runs(request.actor))
