"""The demo's what-if simulation runs (issue 13, steer-sim), made through the simulation's
actions: for the demo's municipal analyst(s), a validation of the calibrated model and
two scenarios (one joint intake for everyone; two more intake slots a week at the
organisation a family sees first), so the page /sturing/simulatie/ opens with a result.

Call it after the insight store has been refreshed (`jeugdketen insight refresh`: the
model is calibrated on it); a municipality with fewer care reports than its threshold in
the last twelve months gets none (the refusal is reported, not raised).

    from jeugdketen.demo import steering_sim
    runs = steering_sim.load()   # the SimulationRuns made
"""

from __future__ import annotations

from typing import Any

from jeugdketen.access.policy import AccessPoint, Actor
from jeugdketen.core.errors import Refusal
from jeugdketen.registry.models import Professional
from jeugdketen.steering import simulation_actions
from jeugdketen.steering.models import SimulationRun

CHANNEL = AccessPoint(channel="command", user_agent="jeugdketen demo")
SCENARIOS: tuple[dict[str, Any], ...] = (
    {"way": "joint"},
    {"slots": {"1": 2}},
)


def load(*, analysts: list[Professional] | None = None, replications: int = 10,
         weeks: int = 52, seed: int = 1) -> list[SimulationRun]:
    """For each analyst (default: every active municipal analyst of a municipality), a
    validation and the SCENARIOS, computed now (never in the background)."""
    if analysts is None:
        analysts = [p for p in Professional.objects.filter(
            organisation__kind="municipality", user__is_active=True).select_related(
            "user", "organisation").order_by("pk") if p.has_role("municipal_analyst")]
    made: list[SimulationRun] = []
    for analyst in analysts:
        if SimulationRun.objects.filter(
                municipality_id=analyst.organisation.municipality_id).exists():
            continue  # loaded before: a rerun adds nothing
        actor = Actor(user=analyst.user, professional=analyst, access_point=CHANNEL)
        asks = [(SimulationRun.Kind.VALIDATION, {"replications": replications, "seed": seed})]
        asks += [(SimulationRun.Kind.SCENARIO, {**s, "replications": replications,
                                                "weeks": weeks, "seed": seed})
                 for s in SCENARIOS]
        for kind, scenario in asks:
            try:
                made.append(simulation_actions.run_simulation(
                    actor, kind=kind, scenario=scenario, background=False))
            except Refusal:
                break  # too few reports in this municipality: nothing to show
    return made
