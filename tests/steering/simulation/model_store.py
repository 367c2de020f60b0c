"""An insight store written from the simulation engine's own reports (the chain events a
replication's reports would have left), to check that calibrating on it and validating
gives the model back."""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import Any

from jeugdketen.insight.derive import derive_all
from jeugdketen.steering.simulation.engine import Model, Report, simulate
from tests.insight.handmade import add, area, store

GM = "GM0000"


def small_model(weeks: int = 52, per_week: float = 12.0) -> Model:
    """A front door of `per_week` reports a week: half to an intake, a quarter of those
    needing two disciplines and a tenth three; intake slots well above the load."""
    return Model(
        weeks=weeks, arrivals={"crisis": 0.1 * per_week, "urgent": 0.2 * per_week,
                               "regular": 0.7 * per_week},
        triage_days={u: [0, 1, 1, 2, 3, 4] for u in ("crisis", "urgent", "regular")},
        p_intake=dict.fromkeys(("crisis", "urgent", "regular"), 0.5),
        p_direct=dict.fromkeys(("crisis", "urgent", "regular"), 0.3),
        direct_help_days=[0, 1, 2, 5, 9], disciplines={1: 0.65, 2: 0.25, 3: 0.10},
        p_joint=0.4, planning_days=[1, 2, 3], lead_days={"1": [8, 12, 16, 20, 26],
                                                         "2": [10, 15, 22], "3": [14, 21, 30]},
        joint_lead_days=[6, 9, 12], slots={"1": 0.8 * per_week, "2": 0.4 * per_week,
                                          "3": 0.2 * per_week},
        p_help_after_intake=0.8, help_days=[0, 3, 7, 14, 30])


def write(con: Any, reports: list[Report], start: date, today: date,
          neighbourhood: str = "BU00000001") -> None:
    """Each report's events, on their days (noon UTC), up to `today`."""
    def day(t: float) -> date:
        return start + timedelta(days=math.floor(t))

    for n, r in enumerate(reports):
        key = f"t{n}"
        steps: list[tuple[str, float, dict[str, Any]]] = [
            ("care_report.received", r.arrived, {"urgency": r.urgency, "reporter": "professional"})]
        if r.triaged is not None:
            steps.append(("care_report.triaged", r.triaged,
                          {"decision": "joint_intake" if r.intakes else "neighbourhood_team"}))
        if r.joint and r.intakes:
            # planned the day before the meeting's earliest: the lead is kept as the gap
            steps.append(("intake.planned", r.triaged or r.arrived, {"joint": True}))
            steps.append(("intake.held", r.intakes[0], {"joint": True, "disciplines": r.disciplines}))
        else:
            previous = r.triaged or r.arrived
            for held in r.intakes:
                steps.append(("intake.planned", previous, {"joint": False}))
                steps.append(("intake.held", held, {"joint": False, "disciplines": 1}))
                previous = held
        if r.help is not None:
            steps.append(("plan.started", r.help, {"origin": "care_report"}))
        for activity, t, attributes in steps:
            if day(t) <= today:
                add(con, activity, key, day(t), neighbourhood=neighbourhood, **attributes)


def from_model(model: Model, seed: int, start: date, today: date) -> Any:
    con = store()
    area(con, municipality=GM)
    write(con, simulate(model, seed), start, today)
    derive_all(con)
    return con
