"""Attacks round 3 on the rounded period counts (branch round-periods) through the steering
board, as the municipality's ordinary users: its analyst (who sets the threshold T), its
coordinator and its front door.

Finding R3-1 (the threshold as a ruler): every count is rounded to a multiple of T, and T
is the analyst's setting (10 to 100, insight.actions.set_publication). The same count read
at T = 10, 11, 12, ... is a different rounding each time (rounded(55, 10) = 60,
rounded(55, 11) = 55, rounded(55, 12) = 60, ...) and the ranges intersect to one value:
and the first T at which a count is hidden is the count plus one: every count from 10 to 100
is pinned exactly by T = 10..100 (tests/insight/test_attack_round3.py), most within a
handful of thresholds. Two exact
twelve-month counts a month apart then give the small month again, as before rounding
(tests/steering/test_attack_round2.py's finding). The same on the board's weekly stocks and
in the simulation's calibration (runs at several thresholds). Fixed: counts are rounded to
multiples of 10 whatever T is, and T is set in tens; the three R3-1 tests now hold.

Finding R3-4: the simulation runs on the exact arrivals and is deterministic in its public
code and the caller's seed, so a run's "reports" mean, replayed locally for the few counts
the rounded calibration leaves, gives the exact counts back, a hidden urgency's included.

Finding R3-3 (low): the calibration's share helped after an intake is shown from exact
counts however few the intakes (all of a few families helped: a 0 with a small margin).

R3-3 is fixed (the share is shown only for at least T reports with an intake). R3-4 is
fixed: the model runs on the counts as published (steering.simulation.published: arrivals
from rounded counts, a hidden urgency sharing what the rounded total leaves, shares from
rounded parts and wholes), so a run is a function of published figures only; the tests
below hold, and two stores whose counts round alike give the same runs. Found while
fixing it: a scenario could ask to `resample` the observed weeks, which put one week's
exact count (its week picked by the seed) into the run's reports; the field is gone.

What holds is kept as regression tests: only the analyst can change T (the coordinator
and the front door can only read what each setting gives), other roles get no board."""

from __future__ import annotations

from typing import Any

import pytest

from jeugdketen.insight import actions as insight_actions
from jeugdketen.insight.selectors import publication_for
from jeugdketen.insight.suppression import rounded
from tests import factories as f
from tests.insight.test_pages import client

BOARD_WEEK = "2026-W39"
GM = "GM9911"
T = 10  # the municipality's threshold before the attack (InsightWorld's default)
# A handful of settings, all allowed (10 to 100): enough here, see the insight test.
RULERS = range(10, 21)

@pytest.fixture(autouse=True)
def _pages(settings):
    from tests.pages import for_pages

    for_pages(settings)


def set_threshold(iw: Any, threshold: int) -> bool:
    """The analyst's ordinary settings change (the page's form does the same); False when
    the setting is refused."""
    from jeugdketen.core.errors import Refusal

    _old, follow_up = publication_for(GM)
    try:
        insight_actions.set_publication(f.professional_actor(iw.analyst), GM,
                                        threshold=threshold, follow_up_days=follow_up)
    except Refusal:
        return False
    return True


def candidates(reads: dict[int, int | None], upto: int = 1000, *,
               hidden_is_small: bool = False) -> list[int]:
    """The counts consistent with every shown rounding (threshold -> rounded value); with
    `hidden_is_small` a hidden read counts too (a count rounded on its own, with no
    partner hidden beside it, is hidden only when it is from 1 to T - 1)."""
    return [x for x in range(upto)
            if all(rounded(x, t) == v for t, v in reads.items()
                   if v is not None or hidden_is_small)]


def board(api: Any) -> dict[str, Any]:
    got = api.get(f"/steering/board?week={BOARD_WEEK}")
    assert got.status_code == 200, got.content[:300]
    return {s["key"]: {p["period"]: p for p in s["points"]} for s in got.json()["series"]}


def test_month_points_read_at_several_thresholds_do_not_give_a_small_month(
        iw, board_store, api_client_for):
    api = api_client_for(iw.front_door)
    n: dict[str, dict[int, int | None]] = {"2026-07": {}, "2026-08": {}}
    helped: dict[str, dict[int, int | None]] = {"2026-07": {}, "2026-08": {}}
    for threshold in RULERS:
        if not set_threshold(iw, threshold):
            continue  # a setting refused (a fix may allow only some): nothing to read
        points = board(api)["help_that_helps"]
        for month in n:
            p = points[month]
            n[month][threshold] = p["n"]
            helped[month][threshold] = (None if p["value"] is None or p["n"] is None
                                        else round(p["value"] * p["n"]))
    july, august = candidates(n["2026-07"]), candidates(n["2026-08"])
    july_h, august_h = candidates(helped["2026-07"]), candidates(helped["2026-08"])
    pinned = [(a[0] - b[0]) for a, b in ((august, july), (august_h, july_h))
              if len(a) == len(b) == 1]
    assert not any(0 < d < T for d in pinned), (july, august, july_h, august_h)


def test_weekly_stocks_read_at_several_thresholds_do_not_give_a_small_week(
        iw, board_store, api_client_for):
    api = api_client_for(iw.coordinator)
    stock: dict[str, dict[int, int | None]] = {"2026-W37": {}, "2026-W38": {}}
    for threshold in RULERS:
        if not set_threshold(iw, threshold):
            continue  # a setting refused (a fix may allow only some): nothing to read
        points = board(api)["open_total"]
        for week in stock:
            stock[week][threshold] = points[week]["value"]
    # 12 reads 10, 11, 12 at T = 10..12 and is hidden from 13 on; 15 reads 20, 11, 12,
    # 13, 14, 15 and is hidden from 16 on: the first hidden read is the last digit.
    before, after = (candidates(stock[w], hidden_is_small=True)
                     for w in ("2026-W37", "2026-W38"))
    assert not (len(before) == len(after) == 1 and 0 < after[0] - before[0] < T), (
        before, after)


def test_at_one_threshold_the_board_still_differs_by_zero_or_at_least_t(
        iw, board_store, api_client_for):
    """What rounding does guarantee, kept: read at the one threshold set, the weekly stock
    of weeks 37 and 38 (12 and 15 exactly) and the month points of July and August (55 and
    59) are 10 and 20, and 60 and 60; no difference of them is a count from 1 to T - 1."""
    shown = board(api_client_for(iw.front_door))
    weekly = [shown["open_total"][w]["value"] for w in ("2026-W37", "2026-W38")]
    monthly = [shown["help_that_helps"][m]["n"] for m in ("2026-07", "2026-08")]
    assert weekly == [rounded(12, T), rounded(15, T)] == [10, 20]
    assert monthly == [rounded(55, T), rounded(59, T)] == [60, 60]


@pytest.mark.parametrize("who", ["coordinator", "front_door"])
def test_only_the_analyst_can_move_the_ruler(iw, board_store, who):
    """The threshold is the analyst's alone: the coordinator and the front door get a 403
    on the settings page and a refusal from the action, and T stays as it was; so R3-1
    needs the analyst (or a reader working with one)."""
    from jeugdketen.access.audit.decisions import AccessDenied

    user = getattr(iw, who)
    response = client(user).post("/inzicht/instellingen/", {"threshold": "11",
                                                           "follow_up_days": "182"})
    assert response.status_code == 403
    with pytest.raises(AccessDenied):
        insight_actions.set_publication(f.professional_actor(user), GM, threshold=11,
                                        follow_up_days=182)
    assert publication_for(GM)[0] == T


@pytest.mark.parametrize("who", ["provider-coordinator", "provider-analyst",
                                 "team-coordinator"])
def test_other_roles_get_no_board(iw, board_store, api_client_for, who):
    """Roles that read no figures get no board, in the API nor on the page."""
    user = iw.denied[who]
    assert api_client_for(user).get(f"/steering/board?week={BOARD_WEEK}").status_code == 403
    assert client(user).get("/sturing/bord/").status_code in (403, 404)


def eight_weeks() -> Any:
    """The calibration tests' hand-made store: eight weeks of two regular and two urgent
    reports each (tests/steering/simulation/test_calibration.py)."""
    from tests.insight.handmade import area, store
    from tests.steering.simulation.model_store import GM as SIM_GM
    from tests.steering.simulation.test_calibration import handmade_week

    con = store()
    area(con, municipality=SIM_GM)
    for i in range(8):
        handmade_week(con, i)
    return con


def test_calibrations_at_several_thresholds_do_not_give_a_small_week():
    from datetime import timedelta

    from jeugdketen.insight.derive import derive_all
    from jeugdketen.insight.scope import Scope
    from jeugdketen.steering.simulation import run
    from jeugdketen.steering.simulation.calibration import calibrate
    from tests.insight.handmade import add
    from tests.steering.simulation.model_store import GM as SIM_GM
    from tests.steering.simulation.test_calibration import START, TODAY

    con = eight_weeks()
    try:
        for i in range(3):  # and three more regular ones in the last week
            add(con, "care_report.received", f"extra{i}", (START + timedelta(weeks=7, days=1)
                                                          ).isoformat(), urgency="regular")
        derive_all(con)
        regular: list[dict[int, int | None]] = []
        for first in (START - timedelta(weeks=1), START):  # a week apart, 8 weeks each
            observed = calibrate(con, Scope(area=SIM_GM, start=first,
                                            end=first + timedelta(weeks=8), today=TODAY))
            reads: dict[int, int | None] = {}
            for threshold in range(10, 101, 10):  # the thresholds a municipality may have
                shown = run.describe(observed, threshold)
                per_week = shown["arrivals_per_week"]["regular"]
                reads[threshold] = (None if per_week is None
                                    else round(per_week * shown["weeks"]))
            regular.append(reads)
    finally:
        con.close()
    before, after = (candidates(r, hidden_is_small=True) for r in regular)
    assert not (len(before) == len(after) == 1 and 0 < after[0] - before[0] < T), (
        before, after)


def test_the_share_helped_after_an_intake_of_a_few_families_is_hidden():
    from jeugdketen.insight.derive import derive_all
    from jeugdketen.steering.simulation import run
    from jeugdketen.steering.simulation.calibration import calibrate
    from tests.insight.handmade import area, store
    from tests.steering.simulation.model_store import GM as SIM_GM
    from tests.steering.simulation.test_calibration import SCOPE, handmade_week

    con = store()
    try:
        area(con, municipality=SIM_GM)
        for i in range(3):  # 12 reports; A and B of each week to an intake, then helped
            handmade_week(con, i)
        derive_all(con)
        observed = calibrate(con, SCOPE)
    finally:
        con.close()
    assert observed.reports == 12
    shown = run.describe(observed, T)
    intakes = sum(v[1] for v in observed.routed.values())
    assert 0 < intakes < T and shown["intake_share"]["regular"] is None
    assert shown["help_after_intake_share"] is None, shown



def test_a_run_does_not_give_the_exact_arrivals_back():
    import random

    from jeugdketen.insight.derive import derive_all
    from jeugdketen.steering.simulation import engine, run
    from jeugdketen.steering.simulation.calibration import calibrate
    from jeugdketen.steering.simulation.scenarios import Scenario
    from tests.insight.handmade import add
    from tests.steering.simulation.test_calibration import SCOPE, START

    con = eight_weeks()
    try:
        add(con, "care_report.received", "crisis1", START.isoformat(), urgency="crisis")
        add(con, "care_report.triaged", "crisis1", START.isoformat(), decision="advice")
        derive_all(con)
        observed = calibrate(con, SCOPE)
    finally:
        con.close()
    shown = run.describe(observed, T)
    weeks = shown["weeks"]
    assert shown["arrivals_per_week"]["crisis"] is None  # hidden: 1 to T - 1 reports
    scenarios = [Scenario(weeks=20, replications=10, seed=seed) for seed in (7, 1007, 2007)]
    means = [run.simulate(observed, s, workers=1, threshold=T)["baseline"]["reports"]["mean"]
             for s in scenarios]

    def replay(counts: dict[str, int], scenario: Scenario) -> float:
        """The run's reports, from the public engine: only the arrivals use the main rng."""
        arrivals = {u: counts[u] / weeks for u in engine.URGENCIES}
        total = 0
        for seed in engine.seeds_for(scenario.seed, scenario.replications):
            rng = random.Random(seed)
            for _week in range(scenario.weeks):
                for urgency in engine.URGENCIES:
                    n = engine._poisson(rng, arrivals[urgency])
                    for _ in range(n):
                        rng.random()
                    total += n
        return total / scenario.replications

    def around(per_week: float | None) -> range:
        if per_week is None:
            return range(1, T)  # hidden
        r = round(per_week * weeks)
        return range(max(0, r - T // 2), r + (T + 1) // 2)

    matches = [
        (c, u, r)
        for c in around(shown["arrivals_per_week"]["crisis"])
        for u in around(shown["arrivals_per_week"]["urgent"])
        for r in around(shown["arrivals_per_week"]["regular"])
        if all(replay({"crisis": c, "urgent": u, "regular": r}, s) == mean
               for s, mean in zip(scenarios, means, strict=True))]
    assert not (len(matches) == 1 and 0 < matches[0][0] < T), matches


def two_stores_that_round_alike() -> list[Any]:
    """The eight weeks with 1 and then 4 crisis reports, and 2 more regular ones in the
    second: exact arrivals (1, 16, 16) and (4, 16, 18) publish alike (hidden, 20, 20)."""
    from datetime import timedelta

    from jeugdketen.insight.derive import derive_all
    from jeugdketen.steering.simulation.calibration import calibrate
    from tests.insight.handmade import add
    from tests.steering.simulation.test_calibration import SCOPE, START

    observed = []
    for crisis, regular in ((1, 0), (4, 2)):
        con = eight_weeks()
        try:
            for i in range(crisis):
                add(con, "care_report.received", f"crisis{i}", START.isoformat(),
                    urgency="crisis")
            for i in range(regular):
                add(con, "care_report.received", f"more{i}",
                    (START + timedelta(weeks=3)).isoformat(), urgency="regular")
            derive_all(con)
            observed.append(calibrate(con, SCOPE))
        finally:
            con.close()
    assert [o.received for o in observed] == [{"crisis": 1, "urgent": 16, "regular": 16},
                                              {"crisis": 4, "urgent": 16, "regular": 18}]
    return observed


def test_periods_whose_counts_round_alike_give_the_same_runs():
    """Whatever the seed, a run shows only what the published counts give: the same
    scenario on the two stores comes out the same, figure for figure."""
    from jeugdketen.steering.simulation import run
    from jeugdketen.steering.simulation.scenarios import Scenario

    first, second = two_stores_that_round_alike()
    for scenario in (Scenario(weeks=20, replications=10, seed=7),
                     Scenario(way="joint", weeks=12, replications=5, seed=2007)):
        a, b = (run.simulate(o, scenario, workers=1, threshold=T) for o in (first, second))
        for result in (a, b):
            result.pop("seconds")
        assert a == b
    assert run.validate(first, replications=4, workers=1, threshold=T) == run.validate(
        second, replications=4, workers=1, threshold=T)


def test_whether_a_run_waits_does_not_tell_the_exact_reports():
    """A run small enough is computed in the request (201), a larger one later (202); the
    size is reckoned on the published model, so the two stores tip over at the same
    replications and change in arrivals."""
    from jeugdketen.steering.models import SimulationRun
    from jeugdketen.steering.simulation.scenarios import Scenario
    from jeugdketen.steering.simulation_actions import Started, work

    first, second = two_stores_that_round_alike()
    for replications in (1, 37, 100):
        for kind in SimulationRun.Kind.values:
            scenario = Scenario(replications=replications, arrivals_pct=13.5)
            sizes = [work(Started(run=SimulationRun(), observed=o, threshold=T), scenario,
                          kind) for o in (first, second)]
            assert sizes[0] == sizes[1], (replications, kind, sizes)


def test_a_scenario_cannot_resample_the_observed_weeks():
    """Found while fixing R3-4: `resample: true` drew each simulated week's reports from an
    observed week's exact count, the week picked by the seed; with one week and one
    replication the run's reports were that week's count. The field is refused by name
    (the API's 422 too: tests/steering/simulation/test_api.py)."""
    from jeugdketen.steering.simulation.scenarios import Scenario, ScenarioError

    with pytest.raises(ScenarioError) as refused:
        Scenario.from_data({"weeks": 1, "replications": 1, "resample": True})
    assert refused.value.field == "resample"
