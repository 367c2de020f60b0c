"""Calibration on a hand-made insight store with known answers, and validation on a
store the model itself generated (it must give the model back within the tolerance)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from jeugdketen.insight.derive import derive_all
from jeugdketen.insight.scope import Scope
from jeugdketen.steering.simulation import calibration, run
from jeugdketen.steering.simulation.calibration import calibrate
from tests.insight.handmade import add, area, store
from tests.steering.simulation.model_store import GM, from_model, small_model

START = date(2026, 1, 5)  # a Monday
WEEKS = 8
TODAY = date(2026, 6, 1)
SCOPE = Scope(area=GM, start=START, end=START + timedelta(weeks=WEEKS), today=TODAY)


def _d(day: date) -> str:
    return day.isoformat()


def handmade_week(con: Any, i: int) -> None:
    """Week i: two regular reports to an intake (A: two single intakes one after the
    other; B: one joint intake of three disciplines) and two urgent ones without (C:
    help straight after triage; D: advice, no help)."""
    m = START + timedelta(weeks=i)
    a, b, c, d = (f"{x}{i}" for x in "abcd")

    def at(days: int) -> str:
        return _d(m + timedelta(days=days))

    add(con, "care_report.received", a, at(0), urgency="regular")
    add(con, "care_report.triaged", a, at(2), decision="joint_intake")
    add(con, "intake.planned", a, at(3), joint=False, organisations=1)
    add(con, "intake.held", a, at(13), joint=False, disciplines=1)
    add(con, "intake.planned", a, at(14), joint=False, organisations=1)
    add(con, "intake.held", a, at(28), joint=False, disciplines=1)
    add(con, "plan.started", a, at(30), origin="care_report")
    add(con, "care_report.received", b, at(1), urgency="regular")
    add(con, "care_report.triaged", b, at(3), decision="joint_intake")
    add(con, "intake.planned", b, at(4), joint=True, organisations=3)
    add(con, "intake.held", b, at(11), joint=True, disciplines=3)
    add(con, "plan.started", b, at(12), origin="care_report")
    add(con, "care_report.received", c, at(2), urgency="urgent")
    add(con, "care_report.triaged", c, at(3), decision="neighbourhood_team")
    add(con, "plan.started", c, at(5), origin="care_report")
    add(con, "care_report.received", d, at(2), urgency="urgent")
    add(con, "care_report.triaged", d, at(3), decision="advice")
    add(con, "care_report.closed", d, at(3), reason="advice")


@pytest.fixture
def handmade() -> Any:
    con = store()
    area(con, municipality=GM)
    area(con, "BU00000002", "WK000100", "GM0001")
    for i in range(WEEKS):
        handmade_week(con, i)
    # another municipality's report: not counted
    add(con, "care_report.received", "other", _d(START), neighbourhood="BU00000002",
        urgency="crisis")
    derive_all(con)
    yield con
    con.close()


def test_calibration_gives_the_known_rates(handmade):
    observed = calibrate(handmade, SCOPE)
    m = observed.model
    assert observed.reports == 4 * WEEKS
    assert m.weeks == WEEKS
    assert m.arrivals == {"crisis": 0.0, "urgent": 2.0, "regular": 2.0}
    assert observed.received == {"crisis": 0, "urgent": 2 * WEEKS, "regular": 2 * WEEKS}
    assert m.triage_days["regular"] == [2] * 16 and m.triage_days["urgent"] == [1] * 16
    assert m.p_intake["regular"] == 1.0 and m.p_intake["urgent"] == 0.0
    assert m.p_direct["urgent"] == 0.5 and m.p_direct["regular"] == 0.0
    # crisis: no reports of its own, so the pooled shares (32 triaged, 16 to an intake)
    assert m.p_intake["crisis"] == 0.5 and m.p_direct["crisis"] == 0.25
    assert sorted(m.direct_help_days) == [2] * 8
    assert m.disciplines == {1: 0.0, 2: 0.5, 3: 0.5}
    assert m.p_joint == 0.5
    # the 11 plannings begun 120 days or more before today (SETTLE_DAYS; of 24)
    assert m.planning_days == [1] * 11
    assert m.p_help_after_intake == 1.0
    # every intake helped, half after 1 day and half after 2: the Kaplan-Meier estimate's
    # 1000 quantiles
    assert sorted(m.help_days) == [1] * 500 + [2] * 500
    # 8 joint intakes and 8 single ones (fewer than MIN_GROUP each): help after them pooled
    assert m.p_help_after_joint is None and observed.help_apart is None
    assert (observed.followed, observed.followed_joint) == (16, 8)
    # the observed waits per step
    w = observed.waits
    assert (w["triage"]["n"], w["triage"]["p50"]) == (32, 1.5)
    assert (w["intake"]["n"], w["intake"]["p50"]) == (16, 9.5)
    assert (w["further_intakes"]["n"], w["further_intakes"]["p50"]) == (8, 15.0)
    assert (w["time_to_help"]["n"], w["time_to_help"]["p90"]) == (24, 30.0)


def test_intakes_by_position_leads_and_slots(handmade):
    """Raw, before the slot wait is taken off: organisation 1 is a family's first single
    intake (lead 10), 2 its second (14); the joint meeting's lead is 7; slots are the 90th
    percentile of intakes held per week (a joint meeting uses one of each discipline)."""
    start = SCOPE.start
    rows, events = calibration._fetch(handmade, SCOPE, start)
    planning, leads, joint, per_week, single = calibration._intakes(
        events, rows, start.toordinal(), WEEKS, TODAY.toordinal())
    assert sorted(single) == [10] * 8 + [14] * 8  # every single intake's lead
    assert planning == [1] * 11
    assert leads["1"] == [10] * 8 and leads["2"] == [14] * 8
    assert leads["3"] == leads["1"] + leads["2"]  # none of its own: every single intake's
    assert joint == [7] * 8
    # held in week i+1 (A's first, B's joint) and week i+4 (A's second)
    assert per_week["1"] == [0, 2, 2, 2, 2, 2, 2, 2]
    assert per_week["2"] == [0, 1, 1, 1, 2, 2, 2, 2]
    assert per_week["3"] == [0, 1, 1, 1, 1, 1, 1, 1]
    m = calibrate(handmade, SCOPE).model
    assert m.slots == {"1": 2.0, "2": 2.0, "3": 1.0}
    assert all(d <= 10 for d in m.lead_days["1"])  # never more than observed


def test_a_period_without_reports_calibrates_to_nothing():
    con = store()
    area(con, municipality=GM)
    observed = calibrate(con, SCOPE)
    assert observed.reports == 0
    assert observed.model.arrivals == {"crisis": 0.0, "urgent": 0.0, "regular": 0.0}
    assert all(v["n"] == 0 for v in observed.waits.values())


def test_validation_passes_on_a_store_generated_by_the_model():
    model = small_model(weeks=52, per_week=15)
    start = date(2025, 1, 6)
    today = start + timedelta(weeks=78) - timedelta(days=1)
    con = from_model(model, 11, start, today)
    observed = calibrate(con, Scope(area=GM, start=start, end=start + timedelta(weeks=52),
                                    today=today))
    result = run.validate(observed, replications=8, seed=1, threshold=10)
    failed = [(s["step"], s["p50"], s["p90"]) for s in result["steps"] if not s["passed"]]
    assert result["passed"], failed
    assert all(s["shown"] for s in result["steps"])


def test_validation_fails_when_the_model_does_not_fit(handmade):
    """The same store, with the calibrated triage taken as 20 days: triage fails."""
    import dataclasses

    observed = calibrate(handmade, SCOPE)
    wrong = dataclasses.replace(
        observed, triage_own={u: [20] for u in ("crisis", "urgent", "regular")},
        triage_pooled=[20])
    result = run.validate(wrong, replications=3, threshold=10)
    rows = {s["step"]: s for s in result["steps"]}
    assert rows["triage"]["passed"] is False and result["passed"] is False
    # a step seen for fewer than the threshold is neither shown nor judged
    assert rows["further_intakes"]["shown"] is False
    assert rows["further_intakes"]["p50"]["observed"] is None


def test_settled_durations_leave_out_what_began_lately():
    """A step begun lately is seen only when it was short: its durations are left out when
    enough began SETTLE_DAYS or more before today."""
    today = 1000
    old = [(today - 200 + i, 30) for i in range(10)]
    recent = [(today - 20, 5), (today - 10, 2)]
    assert calibration._settled(old + recent, today) == [30] * 10
    assert calibration._settled(old[:9] + recent, today) == [30] * 9 + [5, 2]


def test_help_after_intake_counts_the_waits_not_ended_yet():
    """The days from the last intake to help are right-censored at today: the Kaplan-Meier
    estimate takes every intake of the period, a recent one in the risk set only for the
    days it has been followed. 100 old intakes: 50 helped the same day (a plan), 40 after
    60 days (a referral), 10 never; 100 recent ones (followed 30 days): 50 helped the same
    day, the rest not yet. The estimate: 50% the same day, 40% after 60 days; the settled
    rule (the old ones only) would give the same here, but with 100 more plans in the old
    part (help on the intake's day, as in a busy spell) it took 150 of 190 helped, where
    the estimate weighs the same day over all 300 intakes."""
    old = [(0, True)] * 50 + [(60, True)] * 40 + [(300, False)] * 10
    recent = [(0, True)] * 50 + [(30, False)] * 50
    share, days = calibration._after_intake(old + recent)
    assert share == pytest.approx(0.9)
    assert days.count(0) == 556 and days.count(60) == 444  # 0.5 / 0.9 and 0.4 / 0.9
    busy = [(0, True)] * 100
    share, days = calibration._after_intake(busy + old + recent)
    # same day: 200 of 300; after 60 days: 40 of the 50 still followed (the 50 recent
    # ones left the risk set at 30 days), so 1/3 * 0.8
    assert share == pytest.approx(2 / 3 + 1 / 3 * 0.8)
    assert days.count(60) == round(1000 * (1 / 3 * 0.8) / share)
    assert calibration._after_intake([]) == (0.0, [])
    assert calibration._after_intake([(5, False)] * 3) == (0.0, [])


def test_help_after_joint_and_single_intakes_apart_from_ten_each():
    """Ten weeks: ten joint intakes (help the day after) and ten families with two single
    intakes (help two days after the last): each its own figures, which the published
    model takes when both counts are shown: at T = 10, not at T = 20 (10 is hidden there,
    and the choice must not tell more than the rounded counts)."""
    from jeugdketen.steering.simulation import published

    con = store()
    area(con, municipality=GM)
    for i in range(10):
        handmade_week(con, i)
    derive_all(con)
    try:
        observed = calibrate(con, Scope(area=GM, start=START, end=START + timedelta(weeks=10),
                                        today=TODAY))
    finally:
        con.close()
    assert (observed.followed, observed.followed_joint) == (20, 10)
    parts = observed.help_apart
    assert parts is not None
    assert (parts.joint_share, parts.joint_days) == (1.0, [1] * 1000)
    assert (parts.single_share, parts.single_days) == (1.0, [2] * 1000)
    shown = published.model(observed, 10)
    assert (shown.p_help_after_joint, shown.help_days_joint) == (1.0, [1] * 1000)
    assert (shown.p_help_after_intake, shown.help_days) == (1.0, [2] * 1000)
    pooled = published.model(observed, 20)
    assert (pooled.p_help_after_joint, pooled.help_days_joint) == (None, [])
    assert sorted(pooled.help_days) == [1] * 500 + [2] * 500


def test_a_hidden_group_of_joint_meetings_lends_no_leads_to_the_model(handmade):
    """Eight joint meetings (hidden at T = 10, shown at T = 5): a scenario of joint intakes
    for everyone would draw their leads (7 days each) over and over, so the published model
    takes the single intakes' leads instead (10 and 14 days) until the joint ones are
    shown."""
    from jeugdketen.steering.simulation import published

    observed = calibrate(handmade, SCOPE)
    assert observed.joint_multi == [16, 8]  # needing more than one discipline, joint
    assert set(observed.model.joint_lead_days) == {7}
    assert set(observed.single_leads) == {10, 14}
    # before the slot-wait correction (published.model takes it off after)
    hidden, shown = published._rounded(observed, 10), published._rounded(observed, 5)
    assert sorted(hidden.joint_lead_days) == [10] * 8 + [14] * 8
    assert shown.joint_lead_days == [7] * 8
