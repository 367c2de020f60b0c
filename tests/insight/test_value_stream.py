"""The value stream and the directly-follows graph on a hand-made store with known answers:
a full care-report trajectory, a censored (open) one, a transferred one (handover), one
from before the period, one closed before it, a reopened household (a new trajectory),
one of another area; then suppression. The trajectories are derived from the events
(insight.derive)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from jeugdketen.core.errors import Refusal
from jeugdketen.insight.derive import derive_all
from jeugdketen.insight.scope import Scope
from jeugdketen.insight.stats import wilson
from jeugdketen.insight.value_stream import (
    directly_follows,
    iso_week,
    protect,
    value_stream,
    weeks,
)
from tests.insight.handmade import add, area, store

BU, WK, GM = "BU00000001", "WK000000", "GM0000"
SCOPE = Scope(area=GM, start=date(2026, 1, 5), end=date(2026, 2, 2), today=date(2026, 2, 10))


def log(con: Any, key: str, *steps: tuple[str, str, int | None], household: str = "",
        neighbourhood: str = BU, **attributes: Any) -> None:
    """A trajectory's events: (activity, ISO day at noon UTC, organisation)."""
    for activity, day, org in steps:
        add(con, activity, key, day, household=household, organisation_id=org,
            neighbourhood=neighbourhood, **attributes.get(activity, {}))


def world() -> Any:
    con = store()
    area(con)
    area(con, "BU00000002", "WK000100", "GM0001")
    # t1: the whole stream, a family's report.
    log(con, "t1", ("care_report.received", "2026-01-05", None),
        ("care_report.triaged", "2026-01-07", 1), ("intake.planned", "2026-01-09", 1),
        ("intake.held", "2026-01-16", 1), ("plan.started", "2026-01-20", 1),
        ("evaluation.recorded", "2026-01-27", 2), ("evaluation.recorded", "2026-01-29", 2),
        ("plan.closed", "2026-01-30", 2), household="h1",
        **{"plan.started": {"origin": "care_report"}})
    # t2: censored, still waiting after its intake (a professional's report).
    log(con, "t2", ("care_report.received", "2026-01-06", 3),
        ("care_report.triaged", "2026-01-06", 1), ("intake.planned", "2026-01-12", 1),
        ("intake.held", "2026-01-26", 1))
    # t3: from a match (first contact: the match's creation), handed over to
    # organisation 4, evaluated after the period.
    log(con, "t3", ("plan.started", "2026-01-15", 2), ("plan.handed_over", "2026-01-22", 2),
        ("plan.updated", "2026-01-23", 4), ("evaluation.recorded", "2026-02-05", 4),
        **{"plan.started": {"origin": "match", "first_contact_at": "2026-01-08T12:00:00+00:00"},
           "plan.handed_over": {"to_organisation_id": 4}})
    # t4: from before the period, closed in it.
    log(con, "t4", ("care_report.received", "2025-12-01", 1),
        ("care_report.triaged", "2025-12-03", 1), ("plan.started", "2026-01-02", 1),
        ("plan.closed", "2026-01-10", 1))
    # t5: closed before the period; t6: first contact after it; t7: another municipality.
    log(con, "t5", ("care_report.received", "2025-11-01", None),
        ("care_report.closed", "2025-12-15", 1))
    log(con, "t6", ("care_report.received", "2026-02-03", None))
    log(con, "t7", ("care_report.received", "2026-01-05", None),
        ("care_report.triaged", "2026-01-06", 1), neighbourhood="BU00000002")
    # t8: t1's household again, after t1 closed: a new trajectory.
    log(con, "t8", ("care_report.received", "2026-02-01", None), household="h1")
    # An event of no trajectory is in no figure.
    add(con, "signal.registered", "", "2026-01-12", organisation_id=1)
    assert derive_all(con) == 8
    return con


def test_steps_reached_waits_and_time_in_step() -> None:
    vs = value_stream(world(), SCOPE, threshold=1)
    # Open at some moment of the period: t1, t2, t3, t4 and t8 (not t5, t6, t7).
    assert vs.trajectories == 5
    steps = {s.key: s for s in vs.steps}
    assert [s.key for s in vs.steps] == [
        "first_contact", "triage", "intake_planned", "intake_held", "help_started",
        "first_evaluation", "closed"]
    assert {k: s.reached for k, s in steps.items()} == {
        "first_contact": 4, "triage": 2, "intake_planned": 2, "intake_held": 2,
        "help_started": 2, "first_evaluation": 1, "closed": 2}
    waits = {k: (s.wait.n, s.wait.p50, s.wait.p90) for k, s in steps.items()}
    # Interpolated quantiles, shown as whole days half up (their decimals would give the
    # n behind a rounded n away): 1.8 -> 2, 5.6 -> 6, 10.5 -> 11, 13.3 -> 13, 6.7 -> 7.
    assert waits == {
        "first_contact": (0, None, None),
        "triage": (2, 1.0, 2.0),  # 0 and 2 days: 1.0 and 1.8
        "intake_planned": (2, 4.0, 6.0),  # 2 and 6: 4.0 and 5.6
        "intake_held": (2, 11.0, 13.0),  # 7 and 14: 10.5 and 13.3
        "help_started": (2, 6.0, 7.0),  # t1 4, t3 7 (from first contact): 5.5 and 6.7
        "first_evaluation": (1, 7.0, 7.0),
        "closed": (2, 6.0, 8.0),  # t1 3 (from evaluation), t4 8: 5.5 and 7.5
    }
    in_step = {k: (s.time_in_step.n, s.time_in_step.p50, s.time_in_step.p90)
               for k, s in steps.items()}
    assert in_step == {
        "first_contact": (3, 2.0, 6.0),  # 2, 0, 7 (t8 still in it)
        "triage": (2, 4.0, 6.0),  # 2, 6 (p90 5.6); t4 left it before the period
        "intake_planned": (2, 11.0, 13.0),  # 10.5 and 13.3
        "intake_held": (1, 4.0, 4.0),  # t2 censored: still waiting
        "help_started": (2, 8.0, 8.0),  # t1 7, t4 8 (7.5, 7.9); t3 left after the period
        "first_evaluation": (1, 3.0, 3.0),
        "closed": (0, None, None),
    }
    # The bottleneck: median wait x volume, intake held 11 (10.5 shown as whole days) x 2.
    assert (vs.bottleneck, vs.bottleneck_score) == ("intake_held", 22.0)



def test_work_in_progress_now_and_per_week() -> None:
    vs = value_stream(world(), SCOPE, threshold=1)
    # Today (10 February): t2 after its intake, t3 evaluated, t6 and t8 just reported.
    assert {s.key: s.wip_now for s in vs.steps} == {
        "first_contact": 2, "triage": 0, "intake_planned": 0, "intake_held": 1,
        "help_started": 0, "first_evaluation": 1, "closed": None}
    assert vs.wip_total_now == 4
    zero = {"first_contact": 0, "triage": 0, "intake_planned": 0, "intake_held": 0,
            "help_started": 0, "first_evaluation": 0}
    assert [(w.week, w.on, w.counts, w.total) for w in vs.weeks] == [
        ("2026-W02", date(2026, 1, 11),
         {**zero, "first_contact": 1, "triage": 1, "intake_planned": 1}, 3),  # t4 closed
        ("2026-W03", date(2026, 1, 18),
         {**zero, "intake_planned": 1, "intake_held": 1, "help_started": 1}, 3),
        ("2026-W04", date(2026, 1, 25), {**zero, "intake_planned": 1, "help_started": 2}, 3),
        ("2026-W05", date(2026, 2, 1),
         {**zero, "first_contact": 1, "intake_held": 1, "help_started": 1}, 3),  # t1 closed
    ]


def test_weeks_of_a_period_end_at_its_last_day_and_today() -> None:
    scope = Scope(area=GM, start=date(2026, 1, 7), end=date(2026, 1, 21), today=date(2026, 1, 15))
    assert weeks(scope) == [("2026-W02", date(2026, 1, 11)), ("2026-W03", date(2026, 1, 15))]
    assert iso_week(date(2027, 1, 1)) == "2026-W53"


def test_handovers_and_changes_of_organisation() -> None:
    h = value_stream(world(), SCOPE, threshold=1).handovers
    # t3 was handed over; t1, t3 and t4 had a plan by the period's end.
    assert (h.handovers, h.trajectories_with_handover, h.trajectories_with_plan) == (1, 1, 3)
    assert (h.share.n, h.share.count, h.share.value) == (3, 1, pytest.approx(1 / 3))
    assert (h.share.low, h.share.high) == wilson(1, 3)
    # Consecutive events with an organisation, another one: t1 1 -> 2 (evaluation),
    # t2 3 -> 1 (triage), t3 2 -> 4 (after the handover). t4 stays with 1.
    assert (h.organisation_changes, h.trajectories_with_organisation_change) == (3, 3)


def test_directly_follows_graph() -> None:
    edges = {(e.source, e.target): (e.trajectories, e.occurrences, e.median_days)
             for e in directly_follows(world(), SCOPE, threshold=1)}
    assert edges == {
        ("care_report.received", "care_report.triaged"): (2, 2, 1.0),  # t1 2 days, t2 0
        ("care_report.triaged", "intake.planned"): (2, 2, 4.0),
        ("intake.planned", "intake.held"): (2, 2, 11.0),  # 7 and 14: 10.5, whole days
        ("intake.held", "plan.started"): (1, 1, 4.0),
        ("plan.started", "evaluation.recorded"): (1, 1, 7.0),
        ("evaluation.recorded", "evaluation.recorded"): (1, 1, 2.0),
        ("evaluation.recorded", "plan.closed"): (1, 1, 1.0),
        ("plan.started", "plan.handed_over"): (1, 1, 7.0),
        ("plan.handed_over", "plan.updated"): (1, 1, 1.0),
        ("plan.started", "plan.closed"): (1, 1, 8.0),  # t4; its triage -> start was before
    }
    # Edges of fewer trajectories than the threshold are left out.
    shown = directly_follows(world(), SCOPE, threshold=2)
    assert [(e.source, e.target, e.trajectories) for e in shown] == [
        ("care_report.received", "care_report.triaged", 2),
        ("care_report.triaged", "intake.planned", 2),
        ("intake.planned", "intake.held", 2)]
    assert shown[0].as_dict()["median_days"] == 1.0


def test_a_neighbourhood_scope_and_another_municipality() -> None:
    con = world()
    vs = value_stream(con, Scope(area="GM0001", start=SCOPE.start, end=SCOPE.end,
                                 today=SCOPE.today), threshold=1)
    assert vs.trajectories == 1
    assert [s.reached for s in vs.steps][:2] == [1, 1]
    same = value_stream(con, Scope(area=BU, start=SCOPE.start, end=SCOPE.end,
                                   today=SCOPE.today), threshold=1)
    assert same.as_dict()["steps"] == value_stream(con, SCOPE, threshold=1).as_dict()["steps"]


def test_counts_below_the_threshold_are_suppressed() -> None:
    vs = value_stream(world(), SCOPE, threshold=3)
    steps = {s.key: s for s in vs.steps}
    assert steps["first_contact"].reached == 3  # 4, rounded to a multiple of 3
    assert (steps["triage"].reached, steps["triage"].suppressed) == (None, True)
    assert steps["triage"].wait.as_dict() == {
        "key": "wait_days", "group": "triage", "label": "", "n": None, "p50": None,
        "p90": None, "share_within": None, "suppressed": True, "provisional": False,
        "rounded_to": None}
    assert steps["first_contact"].time_in_step.n == 3
    # No step with a shown wait is left: no bottleneck can be named.
    assert (vs.bottleneck, vs.bottleneck_score) == (None, None)
    # Work in progress now: 2, 1 and 1 hidden; the total 4 shown, rounded (three cells hide each
    # other). Every week: the ones and twos hidden, the total 3 shown.
    assert {s.key: s.wip_now for s in vs.steps if s.wip_now != 0} == {
        "first_contact": None, "intake_held": None, "first_evaluation": None, "closed": None}
    assert vs.wip_total_now == 3  # 4, rounded to a multiple of the threshold 3
    assert [(w.total, w.as_dict()["suppressed"]) for w in vs.weeks] == [
        (3, ["first_contact", "triage", "intake_planned"]),
        (3, ["intake_planned", "intake_held", "help_started"]),
        (3, ["intake_planned", "help_started"]),
        (3, ["first_contact", "intake_held", "help_started"])]
    assert all(v in (0, None) for w in vs.weeks for v in w.counts.values())
    h = vs.handovers
    # The share's 1 with a handover is below 3: its n and count are hidden with it.
    assert (h.handovers, h.trajectories_with_handover, h.trajectories_with_plan,
            h.organisation_changes) == (None, None, None, 3)
    assert h.as_dict()["share"] == {
        "key": "handover_share", "group": "", "label": "", "n": None, "count": None,
        "value": None, "low": None, "high": None, "suppressed": True, "provisional": False,
        "rounded_to": None}
    assert directly_follows(world(), SCOPE, threshold=3) == []
    # Too few trajectories in the scope: the total itself is hidden.
    assert value_stream(world(), SCOPE, threshold=6).as_dict()["trajectories"] is None


def test_secondary_suppression_on_margins() -> None:
    cells = {("r1", "a"): 4, ("r1", "b"): 20, ("r1", "t"): 24,
             ("r2", "a"): 15, ("r2", "b"): 16, ("r2", "t"): 31,
             ("t", "a"): 19, ("t", "b"): 36, ("t", "t"): 55}
    rows = [[(r, c) for c in ("a", "b", "t")] for r in ("r1", "r2", "t")]
    cols = [[(r, c) for r in ("r1", "r2", "t")] for c in ("a", "b", "t")]
    shown = protect(cells, rows + cols, 10)
    # r1.a is below 10; its row gives it away through r1.b, the columns through r2.
    assert {k for k, v in shown.items() if v is None} == {
        ("r1", "a"), ("r1", "b"), ("r2", "a"), ("r2", "b")}
    assert shown[("t", "t")] == 55 and shown[("r1", "t")] == 24
    # A count is hidden with it before a zero (hiding a zero would protect little).
    line = {"a": 3, "b": 0, "c": 12, "t": 15}
    assert protect(line, [list(line)], 10) == {"a": None, "b": 0, "c": None, "t": 15}


def test_bad_scope_names_the_field() -> None:
    con = world()
    with pytest.raises(Refusal) as caught:
        value_stream(con, Scope(area=GM, start=SCOPE.end, end=SCOPE.start, today=SCOPE.today),
                     threshold=1)
    assert caught.value.errors[0].field == "to"
    with pytest.raises(Refusal) as caught:
        directly_follows(con, Scope(area="XX1", start=SCOPE.start, end=SCOPE.end,
                                    today=SCOPE.today), threshold=1)
    assert caught.value.errors[0].field == "area"
    with pytest.raises(Refusal) as caught:
        value_stream(con, SCOPE, threshold=0)
    assert caught.value.errors[0].field == "threshold"


def test_a_day_is_the_day_in_the_netherlands() -> None:
    con = store()
    area(con)
    # 23:30 UTC on 4 January is 00:30 on the 5th in the Netherlands: in the period.
    add(con, "care_report.received", "late", "2026-01-04T23:30:00")
    add(con, "care_report.triaged", "late", "2026-01-05T08:00:00", organisation_id=1)
    derive_all(con)
    steps = {s.key: s for s in value_stream(con, SCOPE, threshold=1).steps}
    assert (steps["first_contact"].reached, steps["triage"].wait.p50) == (1, 0.0)


def test_an_empty_store_answers_zeros_and_json() -> None:
    import json

    con = store()
    area(con)
    vs = value_stream(con, SCOPE, threshold=10)
    assert vs.trajectories == 0 and vs.bottleneck is None and vs.wip_total_now == 0
    assert all(s.reached == 0 and s.wait.n == 0 for s in vs.steps)
    assert vs.handovers.share.value is None and vs.handovers.handovers == 0
    assert json.loads(json.dumps(vs.as_dict()))["weeks"][0] == {
        "week": "2026-W02", "on": "2026-01-11", "total": 0, "suppressed": [],
        "rounded_to": 10,
        "counts": dict.fromkeys(
            ("first_contact", "triage", "intake_planned", "intake_held", "help_started",
             "first_evaluation"), 0)}
    assert directly_follows(con, SCOPE, threshold=10) == []
    assert json.dumps(value_stream(world(), SCOPE, threshold=3).as_dict())


def two_hoods() -> Any:
    """GM0009 = WK000900 = BU00000901 (12 trajectories reaching triage) + BU00000902 (2,
    never triaged)."""
    con = store()
    area(con, "BU00000901", "WK000900", "GM0009")
    area(con, "BU00000902", "WK000900", "GM0009")
    for i in range(12):
        log(con, f"a{i}", ("care_report.received", "2026-01-06", None),
            ("care_report.triaged", "2026-01-08", 1), neighbourhood="BU00000901")
    for i in range(2):
        log(con, f"b{i}", ("care_report.received", "2026-01-06", None),
            neighbourhood="BU00000902")
    derive_all(con)
    return con


def test_a_value_stream_of_too_few_shows_no_count_not_even_a_zero() -> None:
    con = two_hoods()
    few = value_stream(con, Scope("BU00000902", SCOPE.start, SCOPE.end, SCOPE.today),
                       threshold=10)
    assert few.suppressed and few.trajectories is None and few.wip_total_now is None
    assert all(s.reached is None and s.wip_now is None for s in few.steps)  # no "triage 0"
    assert all(s.wait.suppressed and s.time_in_step.suppressed for s in few.steps)
    assert all(v is None for w in few.weeks for v in (*w.counts.values(), w.total))
    h = few.handovers
    assert (h.handovers, h.organisation_changes, h.share.n) == (None, None, None)


def test_a_district_minus_its_shown_neighbourhood_gives_no_hidden_one() -> None:
    """The district's 14 minus the neighbourhood's 12 would give the other's 2: the
    neighbourhood's counts are hidden with it, in its own answer too."""
    con = two_hoods()
    district = value_stream(con, Scope("WK000900", SCOPE.start, SCOPE.end, SCOPE.today),
                            threshold=10)
    hood = value_stream(con, Scope("BU00000901", SCOPE.start, SCOPE.end, SCOPE.today),
                        threshold=10)
    assert district.trajectories == 10 and not district.suppressed  # 14, rounded
    assert hood.trajectories is None and not hood.suppressed  # 12: hidden as a partner
    first = {s.key: s.reached for s in district.steps}["first_contact"]
    hood_first = {s.key: s.reached for s in hood.steps}["first_contact"]
    assert first is None or hood_first is None or not 0 < first - hood_first < 10


def test_edges_are_rounded_and_listed_in_the_order_of_their_rounded_counts() -> None:
    """12 trajectories received -> closed, 28 received -> triaged -> closed, 14 received ->
    triaged -> intake planned (January 2026). At threshold 10: 42 -> 40, 28 -> 30, and
    14 and 12 both 10, listed by name (12 first), not by their exact counts; the median
    days exact."""
    con = store()
    area(con)
    received, triaged = ("care_report.received", "2026-01-06", None), \
        ("care_report.triaged", "2026-01-08", 3)
    for i in range(12):
        log(con, f"a{i}", received, ("care_report.closed", "2026-01-09", None))
    for i in range(28):
        log(con, f"b{i}", received, triaged, ("care_report.closed", "2026-01-12", 3))
    for i in range(14):
        log(con, f"c{i}", received, triaged, ("intake.planned", "2026-01-14", 3))
    derive_all(con)
    edges = directly_follows(con, SCOPE, threshold=10)
    assert [(e.source, e.target, e.trajectories, e.occurrences, e.median_days, e.rounded_to)
            for e in edges] == [
        ("care_report.received", "care_report.triaged", 40, 40, 2.0, 10),
        ("care_report.triaged", "care_report.closed", 30, 30, 4.0, 10),
        ("care_report.received", "care_report.closed", 10, 10, 3.0, 10),  # 12
        ("care_report.triaged", "intake.planned", 10, 10, 6.0, 10)]  # 14
    assert [(e.source, e.target, e.trajectories)
            for e in directly_follows(con, SCOPE, threshold=1)] == [
        ("care_report.received", "care_report.triaged", 42),
        ("care_report.triaged", "care_report.closed", 28),
        ("care_report.triaged", "intake.planned", 14),
        ("care_report.received", "care_report.closed", 12)]
