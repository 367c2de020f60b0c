"""Attacks round 5 on the what-if simulation after round 4's fixes, as the municipality's
ordinary users: its analyst (sets T, runs simulations), its coordinator (reads runs and
writes the board) and the board's other readers.

Finding R5-1 (medium), the stream seed can be searched for: R4-1's fix runs the engine on
`run.stream_seed(seed)`, an HMAC of the analyst's seed under the deployment's key, cut to
31 bits (0 to 2**31 - 1). Everything a run draws then follows from that 31-bit number and
the model, and part of what a run returns depends on the published counts only: the
replication's number of reports (`reports`, exact with one replication, for the scenario
and for its baseline) is the Poisson arrivals drawn on `random.Random(stream)` from the
arrivals per week, which are the rounded counts over the weeks (the calibration shows
them; a hidden urgency's share is the published total less the shown ones). A handful of
runs with one seed and different weeks and arrivals give enough bits to single the stream
out; trying every one of the 2**31 offline costs about 10 microseconds each in plain
Python (about 6 hours on one core; far less in C or on a GPU), and with the stream known
the run replays offline exactly as before R4-1 (the report's own streams
`(stream << 32) + n`; one search per seed gives `replications` streams, stream + i): the
length of a distribution of days, and so an exact count, is back.
Fix: use the whole HMAC digest (Python's random.Random takes an int of any size; 128 bits
or more), so that no search of the seed space is possible.

Finding R5-2 (low), the board reads a run around `as_read`: R4-4 withholds a run's result
from its readers when it was made at a lower threshold than the municipality's current
one (API GET, the page). The board's `_scenario` (board_actions: create_action and
update_action with `scenario`) reads the run's stored result directly, so after the
analyst raises T the coordinator still attaches the withheld run to an improvement action,
and its numbers (time to help of the present and the scenario, the difference with its
interval) are copied into the action, which every reader of the board sees (the front door
among them, which may not read runs at all).
Fix: take the run through simulation_actions.as_read in board_actions._scenario (and leave
out runs with a withheld result from scenario_runs, the form's choice).

Finding R5-3 (medium), a report's intakes as the store has them now: R4-2 sees the period
at its last day, but the calibration counted a report's intakes from the trajectory's own
columns (intakes_planned, intakes_held, joint_intake, disciplines), which hold every event
the store has, June's too; a run a day in June moved May's rounded counts and pinned 22
of them.

Finding R5-4 (low), a run that stored no threshold (made before round 4: replayable seed,
period seen on the day of the run) was read as made at 10.

All four are fixed, and their tests hold now: the stream is the whole HMAC-SHA256 digest
(run.stream_seed); the board takes a run through simulation_actions.as_read and its form
leaves out withheld runs; the calibration counts a report's intakes from its events up to
the period's last day (calibration._intakes_seen); a run without a stored threshold is
withheld (simulation_actions.withheld).
"""

from __future__ import annotations

import random
import time
from datetime import date, timedelta
from typing import Any

import pytest

from jeugdketen.insight.suppression import rounded
from tests.steering.test_attack_round4 import GM, T, front_door

# --- R5-1: the stream seed is 31 bits ---------------------------------------------------------


def replayed_reports(stream: int, arrivals: dict[str, float], weeks: int,
                     factor: float) -> int:
    """A replication's number of reports from the public engine: only its arrivals use
    random.Random(stream) (a Poisson count per week and urgency, a moment for each)."""
    from jeugdketen.steering.simulation import engine

    rng = random.Random(stream)
    total = 0
    for _week in range(weeks):
        for urgency in engine.URGENCIES:
            n = engine._poisson(rng, arrivals[urgency] * factor)
            for _ in range(n):
                rng.random()
            total += n
    return total


# (weeks, arrivals_pct) of the analyst's runs, all with one seed and one replication
FINGERPRINT = [(1, 300.0), (2, 150.0), (4, 100.0), (8, 50.0), (20, -50.0), (52, 300.0),
               (104, -90.0), (260, 200.0)]


def test_a_runs_stream_cannot_be_found_by_searching_its_seed():
    """Eight runs of the analyst with seed 4242 (one replication) return 16 numbers of
    reports (scenario and baseline; the baseline's are the weeks' increments of one
    sequence of independent Poisson counts, about 25 bits alone, the scenario's as many
    again) that only the run's stream fits: among the stream and 20,000 others only the
    stream does. The search costs about 10 microseconds a stream in
    plain Python, so the 2**31 streams of run.stream_seed are hours of work."""
    from jeugdketen.steering.simulation import run
    from jeugdketen.steering.simulation.scenarios import Scenario

    observed = front_door({"crisis": 4, "urgent": 13, "regular": 13})
    seed = 4242
    seen: list[tuple[int, float, int]] = []  # (weeks, factor, reports)
    for weeks, pct in FINGERPRINT:
        got = run.simulate(observed, Scenario(weeks=weeks, replications=1, seed=seed,
                                              arrivals_pct=pct), workers=1, threshold=T)
        seen.append((weeks, 1.0, int(got["baseline"]["reports"]["mean"])))
        seen.append((weeks, 1.0 + pct / 100.0, int(got["result"]["reports"]["mean"])))
    # What the analyst knows: the calibration's arrivals per week (rounded counts over the
    # weeks) and the period's reports as insight publishes them (rounded).
    shown = run.describe(observed, T)
    period = shown["weeks"]
    per_urgency = {u: (None if v is None else round(v * period))
                   for u, v in shown["arrivals_per_week"].items()}
    hidden = [u for u, n in per_urgency.items() if n is None]
    left = max(0, (rounded(observed.reports, T) or 0)
               - sum(n for n in per_urgency.values() if n is not None))
    arrivals = {u: (left / len(hidden) if n is None else n) / period
                for u, n in per_urgency.items()}

    def fits(stream: int) -> bool:
        return all(replayed_reports(stream, arrivals, weeks, factor) == n
                   for weeks, factor, n in seen)

    # The search: the true stream (what the search finds; the test knows the key) among
    # 20,000 others, timed.
    truth = run.stream_seed(seed)
    pick = random.Random(5)
    others = [s for s in (pick.randrange(2 ** 31) for _ in range(20_000)) if s != truth]
    began = time.perf_counter()
    found = [s for s in [*others, truth] if fits(s)]
    per_stream = (time.perf_counter() - began) / (len(others) + 1)
    assert found == [truth], found  # the runs single the stream out
    # The whole space of streams, at this speed:
    space = 2 ** max(run.stream_seed(s).bit_length() for s in range(256))
    hours = space * per_stream / 3600
    assert hours > 1000 * 365 * 24, (
        f"every stream tried in {hours:.1f} hours on one core of this machine "
        f"({per_stream * 1e6:.1f} us a stream, {space} streams)")


def test_with_its_stream_a_run_replays_as_before_r4_1():
    """What the search buys (this holds, and is why the stream must not be searchable):
    with each run's stream known (here from the key, as the search would find it), R4-1's
    replay gives the hidden urgency's exact count (4 crisis reports, published as hidden
    beside 10 and 10) from runs of one week and one replication, as before the fix."""
    from jeugdketen.steering.simulation import run
    from jeugdketen.steering.simulation.scenarios import Scenario
    from tests.steering.test_attack_round4 import around, first_reports, lengths_that_fit

    observed = front_door({"crisis": 4, "urgent": 13, "regular": 13})
    shown = run.describe(observed, T)
    period = shown["weeks"]
    per_urgency = {u: (None if v is None else round(v * period))
                   for u, v in shown["arrivals_per_week"].items()}
    left = (rounded(observed.reports, T) or 0) - sum(n for n in per_urgency.values() if n)
    arrivals = {u: (left if n is None else n) / period for u, n in per_urgency.items()}
    waits: dict[str, dict[int, float]] = {u: {} for u in per_urgency}
    for seed in range(1, 1500):
        got = run.simulate(observed, Scenario(weeks=1, replications=1, seed=seed),
                           workers=1, threshold=T)["result"]
        stream = run.stream_seed(seed)
        made = first_reports(stream, arrivals)
        assert len(made) == got["reports"]["mean"]  # the arrivals replay
        if len(made) == 1:
            waits[made[0]][stream] = got["waits"]["triage"]["p50"]["mean"]
    total = rounded(observed.reports, T) or 0
    lengths = {u: lengths_that_fit(waits[u], around(total if per_urgency[u] is None
                                                    else per_urgency[u]))
               for u in per_urgency}
    assert lengths == {"crisis": [30], "urgent": [13], "regular": [13]}, lengths
    assert lengths["crisis"][0] - lengths["urgent"][0] - lengths["regular"][0] == 4


# --- R5-2: the board reads a run around as_read ---------------------------------------------


@pytest.fixture
def _pages(settings):
    from tests.pages import for_pages

    for_pages(settings)


def stale_run(iw: Any) -> Any:
    """A finished scenario run of Telstad made at T = 10 (its result says so, as
    simulation_actions.execute stores it), after which the analyst raised T to 20."""
    from jeugdketen.insight.actions import set_publication
    from tests import factories as f
    from tests.steering.test_board_scenario_effect import make_run

    made = make_run(iw.analyst)
    made.result = {**made.result, "threshold": 10}
    made.save(update_fields=["result"])
    set_publication(f.professional_actor(iw.analyst), "GM9911", threshold=20,
                    follow_up_days=182)
    return made


def test_a_run_withheld_after_t_was_raised_is_not_attached_to_an_action(
        iw, board_store, api_client_for, _pages):
    from tests.steering.test_board_scenario_effect import ACTIONS, body

    made = stale_run(iw)
    coordinator = api_client_for(iw.coordinator)
    read = coordinator.get(f"/simulations/{made.pk}").json()
    assert read["result"] == {} and "drempel" in read["error"]  # withheld (R4-4)
    attached = coordinator.post(ACTIONS, body(iw, scenario=made.pk))
    listed = api_client_for(iw.front_door).get(ACTIONS).json()
    effects = [a["scenario_effect"] for a in listed if a.get("scenario_effect")]
    assert attached.status_code == 422 and not effects, (
        f"attached: {attached.status_code}; the board's readers (the front door) read "
        f"{effects}")


def test_the_boards_form_does_not_offer_a_withheld_run(iw, board_store, _pages):
    from jeugdketen.steering import board_actions

    made = stale_run(iw)
    assert made.pk not in [r.pk for r in board_actions.scenario_runs("GM9911")]


# --- R5-3: the period seen at its last day, but with the store's later intakes -----------------


def planned_one_a_day(upto: date) -> Any:
    """The store as refreshed on `upto`: 40 regular reports received in March to May 2025,
    each triaged the next day; 10 had an intake planned within the period, the other 30
    get one a day from 1 June on (events after `upto` not yet in the store)."""
    from jeugdketen.insight.derive import derive_all
    from tests.insight.handmade import add, area, store

    con = store()
    area(con, municipality=GM)
    for k in range(40):
        came = date(2025, 3, 3) + timedelta(days=(k * 37) % 80)
        key = f"p{k:03}"
        add(con, "care_report.received", key, came.isoformat(), urgency="regular")
        add(con, "care_report.triaged", key, (came + timedelta(days=1)).isoformat(),
            decision="joint_intake")
        planned = came + timedelta(days=3) if k < 10 else date(2025, 6, 1) + timedelta(days=k - 10)
        if planned <= upto:
            add(con, "intake.planned", key, planned.isoformat(), joint=False, organisations=1)
    derive_all(con)
    return con


def test_runs_made_day_by_day_in_june_pin_no_count_of_may():
    """Runs made every day of June are calibrated on the period up to 31 May seen at that
    day (R4-2's fix), but the store is refreshed daily and a report's route "to an intake"
    is `intakes_planned > 0` counted over all its events, those of June included. One of
    May's triaged families a day gets its intake planned in June: the calibration's
    intake share (a rounded count over the rounded 40 triaged) steps 10, 20, 30, 40
    through the month, and each step pins the count on both sides."""
    from jeugdketen.steering.simulation import run
    from jeugdketen.steering.simulation.calibration import calibrate
    from jeugdketen.steering.simulation_actions import calibration_scope
    from tests.steering.test_attack_round4 import pinned_by_days

    shown: dict[int, int | None] = {}
    for day in range(1, 31):
        con = planned_one_a_day(date(2025, 6, day))
        try:
            observed = calibrate(con, calibration_scope(GM, date(2025, 6, day)))
        finally:
            con.close()
        share = run.describe(observed, T)["intake_share"]["regular"]
        shown[day] = None if share is None else round(share * 40)
    assert len(set(shown.values())) == 1 and not pinned_by_days(shown), (
        f"the intake share's count read each day of June: {shown}; pinned "
        f"{pinned_by_days(shown)}")


# --- R5-4: a run without a stored threshold is read as made at 10 -----------------------------


def test_a_run_made_before_round_4_is_not_read_with_its_result(iw, board_store,
                                                               api_client_for, _pages):
    """A run stored by the code before round 4 has no `threshold` in its result; its
    numbers were computed on the analyst's raw seed (replayable offline, R4-1) and on the
    period seen on the day of the run (R4-2). At T = 10 its readers get it whole."""
    from tests.steering.test_board_scenario_effect import make_run

    old = make_run(iw.analyst)
    old.result = {k: v for k, v in old.result.items() if k != "threshold"}
    old.save(update_fields=["result"])
    read = api_client_for(iw.coordinator).get(f"/simulations/{old.pk}").json()
    assert read["result"] == {}, "a run made before round 4's fixes, read with its result"


# --- What holds (regression) -----------------------------------------------------------------


@pytest.mark.parametrize("body", [
    {"slots": {"1": 2 ** 64}}, {"slots": {"01": 1}}, {"slots": {"1 ": 1}},
    {"slots": {"4": 1}}, {"slots": {"1": 1.5}}, {"slots": []}, {"weeks": 2 ** 64},
    {"seed": 2 ** 31}, {"arrivals_pct": -90.0000001}, {"arrivals_pct": "1e400"},
    {"replications": True}, {"way": "JOINT"}, {"kind": None, "weeks": -1}])
def test_more_bad_input_is_refused_never_a_500(iw, insight_dir, api_client_for, body):
    from tests.insight.test_pages import publish
    from tests.steering.test_attack_round4 import telstad_front_door

    publish(insight_dir, telstad_front_door({"crisis": 4, "urgent": 13, "regular": 13}))
    answer = api_client_for(iw.analyst).post("/simulations", body)
    assert answer.status_code == 422, (answer.status_code, answer.content[:300])


def test_the_command_and_the_demo_calibrate_on_the_period_seen_at_its_last_day():
    """R4-2 at every entry: the command and the demo (through run_simulation) observe
    through simulation_actions.observe, i.e. calibration_scope."""
    import inspect

    from jeugdketen.demo import steering_sim
    from jeugdketen.steering.management.commands import simulate
    from jeugdketen.steering.simulation_actions import calibration_scope, observe

    assert "calibration_scope(" in inspect.getsource(observe)
    assert "observe(municipality, today)" in inspect.getsource(simulate.Command.handle)
    assert "calibrate(" not in inspect.getsource(steering_sim)
    assert calibration_scope("GM0000", date(2025, 6, 17)).today == date(2025, 5, 31)
