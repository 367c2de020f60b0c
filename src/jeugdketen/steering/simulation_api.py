"""The what-if simulation in the JSON API (issue 13): POST /simulations asks for a run of
the own municipality's front door (the municipal analyst), GET /simulations/{id} reads it
(its analyst and coordinator). Aggregates only.

A small run (up to SYNC_WORK reports x replications) is computed in the request and
answered 201 with its result; a larger one is answered 202 with `status: running` and
computed in a background thread (gunicorn, as `jeugdketen serve` starts it, kills a request
after 30 s): GET it until `status` is `done` (or `failed`). A run of another municipality
answers as an unknown one (404); bad input is a 422 naming the field.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict, StrictInt

from jeugdketen.access.requests import ActorRequest
from jeugdketen.steering import simulation_actions as actions
from jeugdketen.steering.models import SimulationRun

router = Router(tags=["steering"])


class ScenarioIn(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["scenario", "validation"] = Field(
        "scenario", description="validation: simulate the observed period and compare")
    way: Literal["present", "joint", "sequential"] | None = Field(
        None, description="how intakes are taken (default: present, today's mix)")
    slots: dict[str, StrictInt] | None = Field(
        None, description='change in intake slots per week, per organisation "1", "2", "3"')
    arrivals_pct: float | None = Field(None, description="change in reports received, %")
    weeks: StrictInt | None = Field(None, description="weeks simulated (default 52)")
    replications: StrictInt | None = Field(None, description="default 30")
    seed: StrictInt | None = Field(None, description="default 1")


class RunOut(Schema):
    id: int
    municipality: str
    kind: str
    status: str = Field(description="running, done or failed")
    scenario: dict[str, Any]
    seed: int
    replications: int
    period_start: date = Field(description="the calibration period's first day")
    period_end: date = Field(description="its last day")
    created_at: datetime
    finished_at: datetime | None
    error: str
    result: dict[str, Any] = Field(description="aggregates only; {} while running")


def _out(run: SimulationRun) -> dict[str, Any]:
    return {"id": run.pk, "municipality": run.municipality_id, "kind": run.kind,
            "status": run.status, "scenario": run.scenario, "seed": run.seed,
            "replications": run.replications, "period_start": run.period_start,
            "period_end": run.period_end, "created_at": run.created_at,
            "finished_at": run.finished_at, "error": run.error, "result": run.result}


@router.post("/simulations", response={201: RunOut, 202: RunOut})
def create_simulation(request: ActorRequest, payload: ScenarioIn) -> Status[dict[str, Any]]:
    """Run a scenario (or a validation) of your municipality's front door, calibrated on
    its last twelve whole months in the insight store. 201 with the result when small
    enough to compute now; else 202 and `status: running`."""
    data = payload.model_dump(exclude_none=True)
    kind = data.pop("kind", "scenario")
    run = actions.run_simulation(request.actor, kind=kind, scenario=data)
    return Status(202 if run.status == SimulationRun.Status.RUNNING else 201, _out(run))


@router.get("/simulations/{run_id}", response=RunOut)
def read_simulation(request: ActorRequest, run_id: int) -> dict[str, Any]:
    """A run of your municipality, with its result when done."""
    return _out(actions.read_run(request.actor, run_id))
