"""The what-if simulation's write path and logged reads (issue 13, steer-sim).

- `start_run`: the municipal analyst asks for a run (a validation of the calibrated
  model, or a scenario) of their own municipality: policy check, access-log record, the
  run (status running) and the chain event `simulation.run`, in one transaction. The
  model is calibrated on the municipality's care reports of the last twelve whole months
  in the insight store (never an operational table); fewer than the municipality's
  publication threshold is refused.
- `execute` computes it and `_finish` stores the result (aggregates only) or the failure:
  in the request when the work is small (SYNC_WORK), else in a background thread.
- `read_run` / `list_runs` / `check_reader`: the analyst and the coordinator of the
  municipality read its runs; a run of another municipality, or none, answers as an
  unknown one (404, logged as denied).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jeugdketen.access import audit
from jeugdketen.access.policy import Action, Actor, Data, Decision, decide
from jeugdketen.access.policy.target import Scope as TargetScope
from jeugdketen.access.policy.target import Target
from jeugdketen.chainlog.actions import emit
from jeugdketen.chainlog.vocabulary import Activity
from jeugdketen.core.errors import FieldError, Refusal
from jeugdketen.insight import store
from jeugdketen.insight.actions import latest_end, window_start
from jeugdketen.insight.scope import Scope
from jeugdketen.insight.selectors import actor_municipality, publication_for
from jeugdketen.steering.models import SimulationRun
from jeugdketen.steering.simulation import published
from jeugdketen.steering.simulation import run as runner
from jeugdketen.steering.simulation.calibration import Observed, calibrate
from jeugdketen.steering.simulation.scenarios import Scenario, ScenarioError, apply

log = logging.getLogger(__name__)

# Work (reports simulated x replications, the baseline's included) done in the request;
# more runs in a background thread and the API answers 202. gunicorn's default timeout
# (`jeugdketen serve` sets none: 30 s) must never be reached: 100,000 is about 2-5 s here
# (bench/simulation.py: 60 region replications, 300,000, take 6-8 CPU seconds, 4-24 s
# wall on this shared machine, by its load).
SYNC_WORK = 100_000
_threads: list[threading.Thread] = []  # the background runs (the tests join them)


@dataclass(frozen=True)
class Started:
    run: SimulationRun
    observed: Observed
    threshold: int


def target(municipality: str | None, run_id: str = "") -> Target:
    return Target(Data.SIMULATION, object_id=(run_id or municipality or "")[:64],
                  scope=TargetScope(municipality_id=municipality))


def may(actor: Actor, action: Action) -> Decision:
    """May the actor run (CREATE) or read runs of their own municipality? (asked, not
    logged: for the menu and what a page offers)"""
    own = actor_municipality(actor)
    return decide(actor, action, target(own))


def period(today: date) -> tuple[date, date]:
    """The calibration period: the last twelve whole months that have ended (as insight's
    default period), first and last day."""
    last = latest_end(today)
    return window_start(last), last


def calibration_scope(municipality: str, today: date) -> Scope:
    """The calibration period (`period`) seen at its last day, as insight reads its
    figures (at the end of the last month that has ended): a run made on any day of a
    month is calibrated on the same figures. Seen on the day of the run, the period's
    counts (reports triaged, with an intake, helped) moved day by day, and a run a day
    pinned a rounded count on the day it stepped (attack round 4, R4-2)."""
    first, last = period(today)
    return Scope(area=municipality, start=first, end=last + timedelta(days=1), today=last)


def observe(municipality: str, today: date) -> Observed:
    return calibrate(store.reader(), calibration_scope(municipality, today))


def work(started: Started, scenario: Scenario, kind: str) -> float:
    """The size of a run (reports x replications), from the published model: from exact
    arrivals, whether a run came back at once (201) or later (202) would tell the exact
    number of reports to whoever swept the replications or the change in arrivals."""
    model = published.model(started.observed, started.threshold)
    per_week = sum(model.arrivals.values())
    if kind == SimulationRun.Kind.VALIDATION:
        return per_week * model.weeks * scenario.replications
    return 2 * per_week * (1 + scenario.arrivals_pct / 100) * scenario.weeks * scenario.replications


def _scenario(data: Any) -> Scenario:
    try:
        return Scenario.from_data(data if data is not None else {})
    except ScenarioError as error:
        raise Refusal.invalid([FieldError(error.field, "scenario", error.message)]) from None


@audit.write_path
def start_run(actor: Actor, *, kind: str = SimulationRun.Kind.SCENARIO, scenario: Any = None,
              today: date | None = None) -> Started:
    """A run of the actor's own municipality asked for (status running)."""
    own = actor_municipality(actor)
    audit.authorize(actor, Action.CREATE, target(own))
    assert own is not None
    if kind not in SimulationRun.Kind.values:
        raise Refusal.invalid([FieldError("kind", "choice", _("Kies validation of scenario."))])
    wanted = _scenario(scenario)
    today = today or timezone.localdate()
    observed = observe(own, today)
    threshold, _follow_up = publication_for(own)
    if observed.reports < threshold:
        raise Refusal("too_few_reports", _(
            "Te weinig meldingen in de afgelopen twaalf maanden om op te rekenen (minder dan "
            "%(n)s).") % {"n": threshold}, status=409, field="municipality")
    try:
        apply(published.model(observed, threshold), wanted)
    except ScenarioError as error:
        raise Refusal.invalid([FieldError(error.field, "scenario", error.message)]) from None
    first, last = period(today)
    assert actor.professional is not None  # the policy allows only a professional
    run = SimulationRun.objects.create(
        municipality_id=own, kind=kind, scenario=wanted.as_data(), seed=wanted.seed,
        replications=wanted.replications, period_start=first, period_end=last,
        requested_by_id=actor.professional.pk)
    emit(Activity.SIMULATION_RUN, organisation_id=actor.professional.organisation_id,
        attributes={"municipality": own, "run": run.pk, "kind": kind, "way": wanted.way,
                    "weeks": wanted.weeks, "replications": wanted.replications,
                    "arrivals_pct": wanted.arrivals_pct, "slots": wanted.slots})
    return Started(run=run, observed=observed, threshold=threshold)


def execute(started: Started) -> None:
    """Compute the run and store its result (or its failure)."""
    run = started.run
    try:
        scenario = Scenario.from_data(run.scenario)
        if run.kind == SimulationRun.Kind.VALIDATION:
            result = {"validation": runner.validate(
                started.observed, replications=scenario.replications, seed=scenario.seed,
                threshold=started.threshold), "calibration": runner.describe(
                started.observed, started.threshold)}
        else:
            result = runner.simulate(started.observed, scenario, threshold=started.threshold)
    except Exception as error:  # a run that fails says so; the page shows it
        log.exception("simulation run %s failed", run.pk)
        _finish(run.pk, SimulationRun.Status.FAILED, {}, str(error)[:300])
        return
    # The threshold the counts were hidden and rounded at: a reader after T is raised gets
    # the result only if it hides as much (as_read).
    _finish(run.pk, SimulationRun.Status.DONE, {**result, "threshold": started.threshold}, "")


def _finish(run_id: int, status: str, result: dict[str, Any], error: str) -> None:
    """The run's outcome: the system completing the analyst's action (no actor: the
    access and the chain event were recorded when it was asked for)."""
    with transaction.atomic():
        SimulationRun.objects.filter(pk=run_id, status=SimulationRun.Status.RUNNING).update(
            status=status, result=result, error=error, finished_at=timezone.now())


def run_simulation(actor: Actor, *, kind: str = SimulationRun.Kind.SCENARIO,
                   scenario: Any = None, background: bool | None = None,
                   today: date | None = None) -> SimulationRun:
    """Start a run and compute it: now when small (or `background` False), else in a
    thread (the run stays `running` until it is done)."""
    started = start_run(actor, kind=kind, scenario=scenario, today=today)
    wanted = Scenario.from_data(started.run.scenario)
    later = (work(started, wanted, kind) > SYNC_WORK if background is None
             else background)
    if not later:
        execute(started)
        started.run.refresh_from_db()
        return started.run

    def job() -> None:
        try:
            execute(started)
        finally:
            connection.close()

    # (The thread opens a connection of its own, closed when it is done; the request's
    # connection is left alone: closing it here would end the caller's transaction.)
    thread = threading.Thread(target=job, name=f"simulation-{started.run.pk}", daemon=True)
    _threads.append(thread)
    thread.start()
    return started.run


@audit.write_path
def check_reader(actor: Actor) -> str:
    """The actor may read the runs of their own municipality (returned); AccessDenied
    (logged) otherwise."""
    own = actor_municipality(actor)
    audit.authorize(actor, Action.READ, target(own))
    assert own is not None
    return own


@audit.write_path
def check_runner(actor: Actor) -> str:
    """The actor may run simulations of their own municipality (returned); AccessDenied
    (logged) otherwise."""
    own = actor_municipality(actor)
    audit.authorize(actor, Action.CREATE, target(own))
    assert own is not None
    return own


@audit.write_path
def read_run(actor: Actor, run_id: Any) -> SimulationRun:
    """One run: of the actor's own municipality, else as unknown (404, logged)."""
    check_reader(actor)
    found = None
    try:
        found = SimulationRun.objects.filter(pk=int(str(run_id))).first()
    except ValueError:
        found = None
    goal = target(found.municipality_id if found is not None else None, str(run_id))
    decision = decide(actor, Action.READ, goal)
    audit.append([audit.entry(actor, Action.READ, goal, decision)])
    if found is None or not decision.allowed:
        raise Refusal("unknown_run", _("Deze berekening is niet bekend."), status=404,
                      field="id")
    return as_read(found)


def latest(actor: Actor, kind: str) -> SimulationRun | None:
    """The municipality's latest run of a kind (after check_reader)."""
    own = actor_municipality(actor)
    found = SimulationRun.objects.filter(municipality_id=own, kind=kind).first()
    return as_read(found) if found is not None else None


def withheld(run: SimulationRun, threshold: int | None = None) -> str:
    """Why a finished run's result is not read (empty: it is). A run made at a lower
    threshold than the municipality's now shows counts the figures now hide (attack round
    4, R4-4); a run that stored no threshold was made by the code before round 4 (its
    seed replayable, its period seen on the day of the run: R5-4). `threshold`: the
    municipality's now, when the caller has read it already (for a list of runs)."""
    if not run.result:
        return ""
    made_at = run.result.get("threshold")
    if not isinstance(made_at, int) or isinstance(made_at, bool):
        return _("Berekend met een eerdere versie van het model; reken opnieuw om de "
                 "uitkomst te zien.")
    if threshold is None:
        threshold = publication_for(run.municipality_id)[0]
    if made_at < threshold:
        return _("Berekend bij een lagere drempel dan de gemeente nu gebruikt; reken "
                 "opnieuw om de uitkomst te zien.")
    return ""


def as_read(run: SimulationRun) -> SimulationRun:
    """A run as its readers get it: a withheld run's result emptied (in memory, not
    stored over) and its error saying why; running it again gives one."""
    why = withheld(run)
    if why:
        run.result, run.error = {}, why
    return run
