"""Attacks round 4 on the what-if simulation after R3-4's fix (the model runs on the
published counts: steering.simulation.published), as the municipality's ordinary users:
its analyst (sets T and the follow-up, runs simulations), its coordinator (reads runs) and
anyone else (gets nothing).

Finding R4-1 (high), the length of a distribution of days: every distribution of days
the model draws from (triage per urgency or pooled, triage to help, planning, leads) is
the calibration's list of exact durations, one per report, and the engine draws from it
with `values[rng.randrange(len(values))]` on the report's own stream
`random.Random((seed << 32) + n)`, which the analyst can replay offline: public code, the
seed the analyst picks. A run of one week and one replication that happens to simulate
one report (the run's `reports` says so) gives that report's triage wait as the triage
p50, i.e. `values[randrange(L)]` for the seed; over some hundreds to thousands of seeds
only the true length L makes the values agree. The length is an exact count: of an
urgency's triaged reports, and for an urgency with fewer than 10 (hidden, 1 to T - 1) the
pooled list of all urgencies, so the pooled length minus the shown urgencies' lengths is
the hidden urgency's count exactly (4 crisis reports here, published as hidden beside 10
and 10). On a year of a front door (the model's own store) 5,000 such runs pin 24, 77 and
231 reports per urgency, published as 20, 80 and 230.

Finding R4-2 (medium), the calibration's today is the day of the run: insight reads its
figures as seen at the end of the last month that has ended (actions.read_insight), so a
window gives the same figures all month; the simulation calibrates as seen today
(simulation_actions.observe(own, timezone.localdate())), so the counts of the same period
(reports triaged, with an intake, helped; the validation's n per step) grow day by day as
the period's reports move on. Read every day, a rounded count steps from one multiple of
10 to the next on the day one more family is helped, and where that happens at most once
a day the step pins the count on both sides (the follow-up sweep of round 3, now by the
calendar).

Finding R4-3 (low), help after joint and single intakes apart on exact counts: the model
takes them apart when 10 reports had a joint intake and 10 single ones (calibration
MIN_GROUP, exact), and then runs the joint ones on a share from their rounded count: when
that count is hidden (10 to T - 1 at T >= 20) the share is 0, and in a run nobody is ever
helped after a joint intake. Below 10 the joint ones take the pooled share. So a run of
"one joint intake for everyone" tells a hidden count's range (10 to T - 1, or 1 to 9)
where the published counts are alike, and on the day the split appears (daily, R4-2) the
count is 10. (The analyst can read the range at T = 10 anyway; the coordinator, who reads
the runs at the T set, cannot.)

Finding R4-4 (low), a stored run keeps its threshold: a run's result (the calibration,
the validation's n) is computed at the threshold of the day it was made and read as
stored, so after the analyst raises T the coordinator still reads counts from the old T to
the new T - 1 that insight now hides.

Finding R4-5 (low), the slot-wait correction on the exact model: calibrate() takes each
organisation's mean slot wait off the observed leads by simulating the calibrated model
once, with the exact arrivals (`_without_queue` before published.model), so the leads a
run uses move with the exact number of reports received: 16 and 17 regular reports (both
20 as published, every list of days the same) give organisation 1 a lead of 1 or 8 days
and other runs. The runs are then not a function of the published counts, as
docs/steering.md says they are.

Finding R4-6 (low), the intake slots: an organisation's slots per week are the p90 of
the intakes it held per week, interpolated between two exact weekly counts (quantile,
linear) and shown to two decimals. Over 52 weeks 0.9 at organisation 3 means exactly 6
weeks had an intake of a third discipline: a count the calibration hides (the share
needing three disciplines, 1 to T - 1 families) is then at least 6.

All six are fixed, and their tests hold now:
- R4-1: the engine's seeds are the analyst's seed mixed with the deployment's secret
  (run.stream_seed, settings.SIMULATION_KEY): a run cannot be replayed offline.
- R4-2: a run is calibrated on the period seen at its last day
  (simulation_actions.calibration_scope), the same figures all month.
- R4-3: help after joint and single intakes apart only when both counts are shown, else
  pooled (published.apart); the calibration's intake share per urgency likewise.
- R4-4: a run is read only at a threshold no higher than the one it was made at; else its
  result is withheld and it says why (simulation_actions.as_read).
- R4-5: the slot-wait correction is simulated on the published model.
- R4-6: an organisation's slots are the whole-number p90 of its weekly intakes (nearest
  rank), and none when its intakes in the period are hidden.

What holds is kept as regression tests at the end (who reads and runs, bad input).
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

import pytest

from jeugdketen.insight.suppression import rounded

GM = "GM0000"  # the hand-made stores' municipality (tests/steering/simulation/model_store)
START = date(2025, 1, 6)  # a Monday
WEEKS = 20
TODAY = date(2025, 12, 1)  # long after: every step of the period settled
T = 10


def _scope(today: date = TODAY, weeks: int = WEEKS) -> Any:
    from jeugdketen.insight.scope import Scope

    return Scope(area=GM, start=START, end=START + timedelta(weeks=weeks), today=today)


def front_door(counts: dict[str, int]) -> Any:
    """A hand-made store: per urgency `counts[u]` care reports spread over the period, each
    triaged 0 to 5 days after it came in (the days vary with the report) and closed with
    advice. Returns the calibration (calibrate on the store)."""
    from jeugdketen.insight.derive import derive_all
    from jeugdketen.steering.simulation.calibration import calibrate
    from tests.insight.handmade import add, area, store

    con = store()
    try:
        area(con, municipality=GM)
        k = 0
        for urgency, n in counts.items():
            for _i in range(n):
                came = START + timedelta(days=(k * 37) % (7 * WEEKS))
                triaged = came + timedelta(days=(k * 7) % 5 + (urgency != "crisis"))
                key = f"r{k:03}"
                add(con, "care_report.received", key, came.isoformat(), urgency=urgency)
                add(con, "care_report.triaged", key, triaged.isoformat(), decision="advice")
                add(con, "care_report.closed", key, triaged.isoformat(), reason="advice")
                k += 1
        derive_all(con)
        return calibrate(con, _scope())
    finally:
        con.close()


# --- R4-1: the length of a distribution of days -------------------------------------------


def first_reports(seed: int, arrivals: dict[str, float]) -> list[str]:
    """The urgencies of the reports a one-week replication with `seed` simulates, from the
    public engine: only the arrivals use the replication's own random.Random(seed)."""
    from jeugdketen.steering.simulation import engine

    rng = random.Random(seed)
    made = []
    for urgency in engine.URGENCIES:
        for _ in range(engine._poisson(rng, arrivals[urgency])):
            rng.random()
            made.append(urgency)
    return made


def lengths_that_fit(waits: dict[int, float], candidates: range) -> list[int]:
    """The list lengths L for which every seed's drawn wait is values[randrange(L)] of one
    list: two seeds that draw the same index drew the same wait. The first draw of a
    report's own stream random.Random((seed << 32) + 0) is its triage days."""
    fits = []
    for length in candidates:
        by_index: dict[int, float] = {}
        if all(by_index.setdefault(random.Random(seed << 32).randrange(length), wait) == wait
               for seed, wait in waits.items()):
            fits.append(length)
    return fits


def around(shown: int | None) -> range:
    """The counts a rounded count stands for (hidden: 1 to T - 1)."""
    if shown is None:
        return range(1, T)
    return range(max(1, shown - 5), shown + 5)


def pin_triage_lengths(observed: Any, seeds: range, arrivals_pct: float = 0.0
                       ) -> dict[str, list[int]]:
    """The analyst's attack, on what a run returns only: runs of one week and one
    replication (seed s); the run's `reports` mean is the replication's number of reports,
    its triage p50 the one report's triage wait when there is one. The arrivals of a
    hidden urgency are what the published total leaves: tried in tens, kept when they give
    every run's number of reports. Returns the lengths that fit per urgency's list (a
    hidden urgency draws from the pooled list). `arrivals_pct` (fewer reports: more runs
    of one) scales the arrivals as the scenario does; the scenario's figures are read."""
    from jeugdketen.steering.simulation import engine, run
    from jeugdketen.steering.simulation.scenarios import Scenario

    shown = run.describe(observed, T)
    weeks = shown["weeks"]
    per_urgency = {u: (None if v is None else round(v * weeks))
                   for u, v in shown["arrivals_per_week"].items()}
    runs = {}
    for seed in seeds:
        got = run.simulate(observed, Scenario(weeks=1, replications=1, seed=seed,
                                              arrivals_pct=arrivals_pct),
                           workers=1, threshold=T)["result"]
        runs[seed] = (got["reports"]["mean"], got["waits"]["triage"]["p50"]["mean"])
    factor = 1.0 + arrivals_pct / 100.0  # as scenarios.apply and the engine
    fitting = []
    for left in range(0, 200, 10):
        arrivals = {u: (left if n is None else n) / weeks * factor
                    for u, n in per_urgency.items()}
        if arrivals not in fitting and all(len(first_reports(s, arrivals)) == n
                                           for s, (n, _w) in runs.items()):
            fitting.append(arrivals)
    if len(fitting) != 1:
        return {u: [] for u in engine.URGENCIES}  # the runs' reports fit no one model
    waits: dict[str, dict[int, float]] = {u: {} for u in engine.URGENCIES}
    for seed, (n, wait) in runs.items():
        if n == 1:
            waits[first_reports(seed, fitting[0])[0]][seed] = wait
    total = sum(round(a * weeks / factor) for a in fitting[0].values())  # rounded total
    return {u: lengths_that_fit(waits[u], around(total) if per_urgency[u] is None
                                else around(per_urgency[u]))
            for u in engine.URGENCIES}


def test_runs_do_not_give_the_length_of_a_distribution_of_days_back():
    observed = front_door({"crisis": 4, "urgent": 13, "regular": 13})
    from jeugdketen.steering.simulation import run

    shown = run.describe(observed, T)
    # Published: crisis hidden, urgent and regular 10 each (arrivals per week x weeks).
    assert shown["arrivals_per_week"]["crisis"] is None
    assert [round(shown["arrivals_per_week"][u] * shown["weeks"])
            for u in ("urgent", "regular")] == [10, 10]
    lengths = pin_triage_lengths(observed, range(1, 1500))
    pinned = {u: v[0] for u, v in lengths.items() if len(v) == 1}
    crisis = (pinned["crisis"] - pinned["urgent"] - pinned["regular"]
              if len(pinned) == 3 else None)
    assert not (crisis is not None and 0 < crisis < T), (
        f"the hidden urgency's count, exactly: {crisis} (list lengths {lengths})")
    exact = {u: v for u, v in pinned.items() if rounded(v, T) != v}
    assert not exact, f"exact counts from the runs: {lengths}"


def test_a_year_of_runs_does_not_give_the_exact_reports_per_urgency():
    """A year of a front door as the simulation's own small model makes it (6 reports a
    week; tests/steering/simulation/model_store): 24 crisis, 77 urgent and 231 regular
    reports, published as 20, 80 and 230. 5,000 runs of one week, one replication and
    80% fewer arrivals (so that many simulate one report) pin all three."""
    from jeugdketen.insight.scope import Scope
    from jeugdketen.steering.simulation.calibration import calibrate
    from tests.steering.simulation.model_store import GM as MODEL_GM
    from tests.steering.simulation.model_store import from_model, small_model

    start = date(2025, 1, 6)
    today = start + timedelta(weeks=78)
    con = from_model(small_model(weeks=78, per_week=6), 3, start, today)
    try:
        observed = calibrate(con, Scope(area=MODEL_GM, start=start,
                                        end=start + timedelta(weeks=52), today=today))
    finally:
        con.close()
    assert observed.received == {"crisis": 24, "urgent": 77, "regular": 231}
    lengths = pin_triage_lengths(observed, range(1, 5000), arrivals_pct=-80)
    exact = {u: v[0] for u, v in lengths.items() if len(v) == 1 and rounded(v[0], T) != v[0]}
    assert not exact, f"exact counts from the runs: {lengths}"


def telstad_front_door(counts: dict[str, int]) -> Any:
    """What `front_door` makes, for Telstad (GM9911, tests/insight/test_pages) in the
    calibration period the API uses (the last twelve whole months), as a fill for publish."""
    from django.utils import timezone

    from jeugdketen.insight.derive import derive_all
    from jeugdketen.steering.simulation_actions import period
    from tests.insight.handmade import add
    from tests.insight.test_pages import areas

    first, _last = period(timezone.localdate())

    def fill(con: Any) -> None:
        areas(con)
        k = 0
        for urgency, n in counts.items():
            for _i in range(n):
                came = first + timedelta(days=(k * 37) % 140)
                triaged = came + timedelta(days=(k * 7) % 5 + (urgency != "crisis"))
                key = f"r{k:03}"
                add(con, "care_report.received", key, came.isoformat(), urgency=urgency,
                    neighbourhood="BU99110101")
                add(con, "care_report.triaged", key, triaged.isoformat(), decision="advice",
                    neighbourhood="BU99110101")
                add(con, "care_report.closed", key, triaged.isoformat(), reason="advice",
                    neighbourhood="BU99110101")
                k += 1
        derive_all(con)

    return fill


def test_the_analyst_gets_the_attacks_runs_through_the_api(iw, insight_dir, api_client_for):
    """R4-1's runs are ordinary API calls of the municipal analyst: POST /simulations
    with one week, one replication and a seed answers 201 at once, with the replication's
    reports and triage p50; and they are what run.simulate gives on the calibration (the
    attack above replays those). The coordinator reads each run."""
    from django.utils import timezone

    from jeugdketen.steering.simulation import run
    from jeugdketen.steering.simulation.scenarios import Scenario
    from jeugdketen.steering.simulation_actions import observe
    from tests.insight.test_pages import publish

    publish(insight_dir, telstad_front_door({"crisis": 4, "urgent": 13, "regular": 13}))
    analyst, coordinator = api_client_for(iw.analyst), api_client_for(iw.coordinator)
    observed = observe("GM9911", timezone.localdate())
    one = 0
    for seed in range(1, 41):
        if one:
            break
        answer = analyst.post("/simulations", {"weeks": 1, "replications": 1, "seed": seed})
        assert answer.status_code == 201, answer.content[:300]
        got = coordinator.get(f"/simulations/{answer.json()['id']}").json()["result"]
        local = run.simulate(observed, Scenario(weeks=1, replications=1, seed=seed),
                             workers=1, threshold=T)
        for figure in ("reports", "waits"):
            assert got["baseline"][figure] == local["baseline"][figure]
        one += got["baseline"]["reports"]["mean"] == 1
    assert one  # some runs simulate one report: its triage wait is the triage p50


# --- R4-2: the calibration's today is the day of the run --------------------------------------


def pinned_by_days(shown: dict[int, int | None], upto: int = 200) -> dict[int, int]:
    """The counts pinned by rounded reads taken day by day (day -> shown) of a count that
    grows by at most one a day: between days d1 < d2 it grows by 0 to d2 - d1 (passes
    forward and back keep exactly the counts that fit every read)."""
    import itertools

    days = sorted(shown)
    fits = {d: {x for x in range(upto) if rounded(x, T) == shown[d]} for d in days}
    for order in (days, days[::-1]):
        for before, after in itertools.pairwise(order):
            gap = abs(after - before)
            if after > before:
                fits[after] = {x for x in fits[after]
                               if any(0 <= x - y <= gap for y in fits[before])}
            else:
                fits[after] = {x for x in fits[after]
                               if any(0 <= y - x <= gap for y in fits[before])}
    return {d: next(iter(fits[d])) for d in days if len(fits[d]) == 1}


def helped_one_a_day() -> Any:
    """A store of 40 regular reports received in the period's 20 weeks, each triaged the
    next day and sent straight to help: 10 helped within the period, the other 30 one a day
    from the period's last day on (a plan started each day). Returns the store."""
    from jeugdketen.insight.derive import derive_all
    from tests.insight.handmade import add, area, store

    con = store()
    area(con, municipality=GM)
    end = START + timedelta(weeks=WEEKS)
    for k in range(40):
        came = START + timedelta(days=(k * 37) % (7 * WEEKS - 10))
        key = f"h{k:03}"
        add(con, "care_report.received", key, came.isoformat(), urgency="regular")
        add(con, "care_report.triaged", key, (came + timedelta(days=1)).isoformat(),
            decision="neighbourhood_team")
        helped = came + timedelta(days=4) if k < 10 else end + timedelta(days=k - 10)
        add(con, "plan.started", key, helped.isoformat(), origin="care_report")
    derive_all(con)
    return con


def test_runs_made_day_by_day_pin_no_count():
    """A run made on any day of a month is calibrated on the same period, seen at its last
    day (simulation_actions.calibration_scope), as insight reads its figures. In the store
    one family a day is helped from 26 May 2025 on; runs made every day of June read the
    validation's time to help n (rounded). Seen on the day of the run it went 10, 20 (from
    the 15th family), 30 (from the 25th), and each step pinned the count on both sides;
    seen at 31 May it is the same all month."""
    from jeugdketen.steering.simulation import run
    from jeugdketen.steering.simulation.calibration import calibrate
    from jeugdketen.steering.simulation_actions import calibration_scope

    con = helped_one_a_day()
    try:
        shown = {}
        for day in range(1, 31):
            observed = calibrate(con, calibration_scope(GM, date(2025, 6, day)))
            steps = run.validate(observed, replications=1, threshold=T)["steps"]
            shown[day] = next(s["n"] for s in steps if s["step"] == "time_to_help")
    finally:
        con.close()
    assert len(set(shown.values())) == 1, shown
    assert not pinned_by_days(shown), (
        f"the same period's rounded counts move with the day of the run: {shown}; "
        f"pinned {pinned_by_days(shown)}")


# --- R4-3: help after joint and single intakes apart on exact counts ---------------------------


def intakes(joint: int, sequential: int) -> Any:
    """A store of regular reports that each needed two disciplines: `joint` with one joint
    intake, `sequential` with two single intakes one after the other; every one helped
    two days after its last intake. Returns the calibration."""
    from jeugdketen.insight.derive import derive_all
    from jeugdketen.steering.simulation.calibration import calibrate
    from tests.insight.handmade import add, area, store

    con = store()
    try:
        area(con, municipality=GM)
        for k in range(joint + sequential):
            came = START + timedelta(days=(k * 37) % (7 * WEEKS))
            key = f"i{k:03}"

            def at(days: int, came: date = came) -> str:
                return (came + timedelta(days=days)).isoformat()

            add(con, "care_report.received", key, at(0), urgency="regular")
            add(con, "care_report.triaged", key, at(2), decision="joint_intake")
            if k < joint:
                add(con, "intake.planned", key, at(3), joint=True, organisations=2)
                add(con, "intake.held", key, at(10), joint=True, disciplines=2)
                add(con, "plan.started", key, at(12), origin="care_report")
            else:
                add(con, "intake.planned", key, at(3), joint=False, organisations=1)
                add(con, "intake.held", key, at(10), joint=False, disciplines=1)
                add(con, "intake.planned", key, at(11), joint=False, organisations=1)
                add(con, "intake.held", key, at(20), joint=False, disciplines=1)
                add(con, "plan.started", key, at(22), origin="care_report")
        derive_all(con)
        return calibrate(con, _scope())
    finally:
        con.close()


def test_a_joint_scenario_does_not_tell_a_hidden_count_of_joint_intakes():
    """At T = 20, 60 reports needing two disciplines: 12 or 8 of them had a joint intake
    (hidden either way), 48 or 52 two single ones (50 either way). Every published count
    is alike; the calibration shows the same. The scenario "one joint intake for everyone"
    (the demo's) helps nobody with 12 (the model runs joint intakes on the share of a hidden
    count: 0) and everybody with 8 (the pooled share)."""
    from jeugdketen.steering.simulation import run
    from jeugdketen.steering.simulation.scenarios import Scenario

    threshold = 20
    twelve, eight = intakes(12, 48), intakes(8, 52)
    assert run.describe(twelve, threshold) == run.describe(eight, threshold)
    scenario = Scenario(way="joint", weeks=20, replications=3, seed=5)
    helped = [run.simulate(o, scenario, workers=1, threshold=threshold)["result"]
              ["time_to_help"]["p50"]["mean"] is not None for o in (twelve, eight)]
    assert helped[0] == helped[1], (
        f"helped after a joint intake in the run: with 12 {helped[0]}, with 8 {helped[1]}")


# --- R4-4: a stored run keeps the threshold it was made at ------------------------------------


def test_a_run_read_after_the_threshold_is_raised_shows_no_count_below_it(
        iw, insight_dir, api_client_for, settings):
    """Telstad's analyst runs a validation at T = 10 (13 urgent reports show as 10), then
    raises T to 20 (the settings page's action). Insight now hides the 13; the coordinator
    reading the run (its id, or the page's latest validation) still sees the urgent
    arrivals and the steps' n of 10."""
    from jeugdketen.insight.actions import set_publication
    from tests import factories as f
    from tests.insight.test_pages import publish
    from tests.pages import for_pages

    for_pages(settings)
    publish(insight_dir, telstad_front_door({"crisis": 4, "urgent": 13, "regular": 13}))
    made = api_client_for(iw.analyst).post("/simulations", {"kind": "validation",
                                                            "replications": 2})
    assert made.status_code == 201
    set_publication(f.professional_actor(iw.analyst), "GM9911", threshold=20,
                    follow_up_days=182)
    read = api_client_for(iw.coordinator).get(f"/simulations/{made.json()['id']}").json()
    result = read["result"]
    if not result:  # withheld: made at a lower threshold (simulation_actions.as_read)
        assert "drempel" in read["error"], read
        return
    weeks = result["calibration"]["weeks"]
    shown = {u: round(v * weeks) for u, v in
             result["calibration"]["arrivals_per_week"].items() if v}
    small = {u: n for u, n in shown.items() if 0 < n < 20}
    small |= {s["step"]: s["n"] for s in result["validation"]["steps"]
              if s["n"] is not None and 0 < s["n"] < 20}
    assert not small, f"counts below the threshold of 20, read after it was set: {small}"


# --- R4-5: the slot-wait correction runs on the exact model --------------------------------


def with_unanswered(extra: int) -> Any:
    """Round 3's eight weeks (16 urgent and 16 regular reports, half of them to intakes)
    and `extra` regular reports more that were only received (never triaged): every list of
    days is the same, only the number of reports received differs."""
    from jeugdketen.insight.derive import derive_all
    from jeugdketen.steering.simulation.calibration import calibrate
    from tests.insight.handmade import add
    from tests.steering.simulation.test_calibration import SCOPE
    from tests.steering.simulation.test_calibration import START as EIGHT_START
    from tests.steering.test_attack_round3 import eight_weeks

    con = eight_weeks()
    try:
        for i in range(extra):
            add(con, "care_report.received", f"more{i}",
                (EIGHT_START + timedelta(days=3 * i)).isoformat(), urgency="regular")
        derive_all(con)
        return calibrate(con, SCOPE)
    finally:
        con.close()


def test_reports_received_that_round_alike_give_the_same_runs():
    """16 and 17 regular reports (both published as 20; the extra one only received, so
    no list of days changes): the model's leads after the slot-wait correction are 1 and 8
    days at organisation 1, and a run of the present differs in its intake wait."""
    from jeugdketen.steering.simulation import run
    from jeugdketen.steering.simulation.scenarios import Scenario

    sixteen, seventeen = with_unanswered(0), with_unanswered(1)
    assert [o.received["regular"] for o in (sixteen, seventeen)] == [16, 17]
    assert run.describe(sixteen, T) == run.describe(seventeen, T)
    scenario = Scenario(weeks=8, replications=3, seed=1)
    a, b = (run.simulate(o, scenario, workers=1, threshold=T) for o in (sixteen, seventeen))
    for result in (a, b):
        result.pop("seconds")
    assert a == b, (sixteen.model.lead_days["1"][:3], seventeen.model.lead_days["1"][:3])


# --- R4-6: the intake slots are a quantile of exact weekly counts ---------------------------


def three_disciplines(families: int, weeks: int = 52) -> Any:
    """A year of 40 reports with one single intake each, and `families` reports needing
    three disciplines, each with one joint intake in a week of its own. Returns the
    calibration of the year."""
    from jeugdketen.insight.derive import derive_all
    from jeugdketen.steering.simulation.calibration import calibrate
    from tests.insight.handmade import add, area, store

    con = store()
    try:
        area(con, municipality=GM)
        for k in range(40 + families):
            came = START + timedelta(days=(k * 37) % (7 * weeks - 20) if k < 40 else 7 * k)
            key = f"s{k:03}"

            def at(days: int, came: date = came) -> str:
                return (came + timedelta(days=days)).isoformat()

            three = k >= 40
            add(con, "care_report.received", key, at(0), urgency="regular")
            add(con, "care_report.triaged", key, at(1), decision="joint_intake")
            add(con, "intake.planned", key, at(2), joint=three, organisations=3 if three else 1)
            add(con, "intake.held", key, at(5), joint=three, disciplines=3 if three else 1)
            add(con, "plan.started", key, at(6), origin="care_report")
        derive_all(con)
        return calibrate(con, _scope(today=START + timedelta(weeks=weeks + 30), weeks=weeks))
    finally:
        con.close()


def test_the_intake_slots_do_not_tell_a_hidden_count():
    """Over 52 weeks the p90 lies at 45.9 of the sorted weekly counts: organisation 3's
    slots are 0 with 2 three-discipline families (a week each), 0.9 with exactly 6 weeks
    with one, 1 from 7 on. Their number is hidden (1 to T - 1) and so is their share."""
    from jeugdketen.steering.simulation import run

    two, six = three_disciplines(2), three_disciplines(6)
    shown = [run.describe(o, T) for o in (two, six)]
    assert [s["disciplines"]["3"] for s in shown] == [None, None]  # hidden
    slots = [s["slots_per_week"]["3"] for s in shown]
    assert slots[0] == slots[1], f"organisation 3's slots with 2 and 6 families: {slots}"


# --- What holds (regression) -----------------------------------------------------------------


@pytest.fixture
def telstad_runs(iw, insight_dir, api_client_for, settings) -> list[int]:
    """Telstad's store of 30 reports and one small run of its analyst."""
    from tests.insight.test_pages import publish
    from tests.pages import for_pages

    for_pages(settings)
    publish(insight_dir, telstad_front_door({"crisis": 4, "urgent": 13, "regular": 13}))
    answer = api_client_for(iw.analyst).post("/simulations", {"weeks": 2, "replications": 2})
    assert answer.status_code == 201
    return [answer.json()["id"]]


@pytest.mark.parametrize("who", ["front_door", "analyst_b", "denied:provider-analyst",
                                 "denied:team-coordinator"])
def test_no_one_else_reads_or_runs(iw, telstad_runs, api_client_for, who):
    """The front door (which reads the figures), another municipality's analyst and other
    roles read no run of Telstad: 403 or 404 (as unknown), in the API and on the page, and
    the answer carries no result; none but the other analyst (for Andersdorp) starts one."""
    from tests.insight.test_pages import client

    user = iw.denied[who.split(":")[1]] if who.startswith("denied:") else getattr(iw, who)
    api = api_client_for(user)
    got = api.get(f"/simulations/{telstad_runs[0]}")
    assert got.status_code in (403, 404) and "baseline" not in got.content.decode()
    if who != "analyst_b":
        assert api.post("/simulations", {"weeks": 1, "replications": 1}).status_code == 403
    page = client(user).get(f"/sturing/simulatie/?berekening={telstad_runs[0]}")
    assert page.status_code in (403, 404) and b"baseline" not in page.content


@pytest.mark.parametrize("body", [
    {"arrivals_pct": "NaN"}, {"arrivals_pct": "Infinity"}, {"arrivals_pct": 1e308},
    {"slots": {"": 1}}, {"slots": {"1": -100}}, {"seed": 2 ** 40}, {"seed": -1},
    {"weeks": 0}, {"replications": 10 ** 20}, {"resample": True}, {"kind": "other"}])
def test_bad_input_is_refused_by_name_never_a_500(iw, telstad_runs, api_client_for, body):
    answer = api_client_for(iw.analyst).post("/simulations", body)
    assert answer.status_code == 422, answer.content[:300]
    assert answer.json()["errors"]


@pytest.mark.parametrize("run_id", ["99999999999999999999", "-1", "0"])
def test_an_odd_run_id_is_unknown_never_a_500(iw, telstad_runs, api_client_for, run_id):
    from tests.insight.test_pages import client

    assert api_client_for(iw.coordinator).get(f"/simulations/{run_id}").status_code == 404
    assert client(iw.coordinator).get(
        f"/sturing/simulatie/?berekening={run_id}").status_code == 404
