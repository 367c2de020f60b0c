"""The demo's what-if simulation runs (issue 13, steer-sim), made through the simulation's
actions: for the demo's municipal analyst(s), a validation of the calibrated model and
two scenarios (one joint intake for everyone; two more intake slots a week at the
organisation a family sees first), so the page /sturing/simulatie/ opens with a result.

Call it after the insight store has been refreshed (`jeugdketen insight refresh`: the
model is calibrated on it); a municipality with fewer care reports than its threshold in
the last twelve months gets none (the refusal is reported, not raised).

Then one improvement action of the chain board takes its expected effect from the joint
intake scenario, through the board's action (`expected_effect`): the open action on the
time to help, else a new one ("Eén gezamenlijke intake voor elk gezin"). `jeugdketen demo`
loads the board (steering_board.load) before this. A rerun adds nothing.

    from jeugdketen.demo import steering_sim
    runs = steering_sim.load()   # the SimulationRuns made
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from jeugdketen.access.policy import AccessPoint, Actor
from jeugdketen.core.errors import Refusal
from jeugdketen.registry.models import Organisation, Professional
from jeugdketen.steering import board_actions, simulation_actions
from jeugdketen.steering.models import ImprovementAction, SimulationRun

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
        actor = Actor(user=analyst.user, professional=analyst, access_point=CHANNEL)
        if SimulationRun.objects.filter(
                municipality_id=analyst.organisation.municipality_id).exists():
            expected_effect(actor)  # (a demo loaded before this step existed)
            continue  # loaded before: a rerun adds nothing
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
        expected_effect(actor)
    return made


JOINT_ACTION = "Eén gezamenlijke intake voor elk gezin"


def expected_effect(actor: Actor) -> ImprovementAction | None:
    """The joint intake scenario of the actor's municipality as the expected effect of one
    improvement action, through steering.board_actions: the open action on the time to
    help (not final, not measured), else a new one. Nothing when an action of the
    municipality has a scenario already (a rerun), or without a finished joint scenario."""
    assert actor.professional is not None
    code = actor.professional.organisation.municipality_id
    if ImprovementAction.objects.filter(municipality_id=code,
                                        scenario_effect__isnull=False).exists():
        return None
    run = next((r for r in board_actions.scenario_runs(code)
                if r.scenario.get("way") == "joint"), None)
    if run is None:
        return None
    action = (ImprovementAction.objects.filter(municipality_id=code, kpi="time_to_help",
                                               measured__isnull=True)
              .exclude(status__in=board_actions.FINAL).order_by("-due", "-pk").first())
    if action is not None:
        return board_actions.update_action(actor, action.pk, scenario=run.pk)
    owner = (Organisation.objects.filter(municipality_id=code, active=True)
             .exclude(kind="municipality").order_by("pk").first())
    if owner is None:
        return None
    today = timezone.localdate()
    return board_actions.create_action(
        actor, code, what=JOINT_ACTION, step="intake_held", owner_organisation=owner.pk,
        start=today, due=today + timedelta(days=7 * 8 - 1), kpi="time_to_help",
        scenario=run.pk, expected_text="Volgens de simulatie: minder lang wachten op hulp.")
