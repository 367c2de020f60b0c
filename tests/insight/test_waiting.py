"""Waiting lists on a hand-made store with known answers: open front-door items per step
and organisation, their age against the norms in working and calendar days (the due day
and a weekend after it), now and at the end of every week; exits; suppression."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from jeugdketen.core.workdays import add_working_days, working_days_between
from jeugdketen.insight.derive import derive_all
from jeugdketen.insight.scope import Scope
from jeugdketen.insight.waiting import waiting
from tests.insight.handmade import add, area, store

GM = "GM0000"
TODAY = date(2026, 3, 2)  # a Monday
SCOPE = Scope(area=GM, start=date(2026, 2, 2), end=TODAY, today=TODAY)
NORMS = [("received", "crisis", 0, True), ("received", "urgent", 2, True),
         ("received", "regular", 5, True)] + [
    (step, urgency, days, False) for step, days in (("triaged", 28), ("intake_held", 70))
    for urgency in ("crisis", "urgent", "regular")]


def report(con: Any, key: str, urgency: str, *steps: tuple[str, str, int | None],
           neighbourhood: str = "BU00000001") -> None:
    """A care report's events: steps (activity, ISO day at noon UTC, organisation)."""
    for activity, day, org in steps:
        add(con, activity, key, day, organisation_id=org, neighbourhood=neighbourhood,
            **({"urgency": urgency} if activity == "care_report.received" else {}))


def world(norms: bool = True) -> Any:
    con = store()
    area(con)
    area(con, "BU00000002", "WK000100", "GM0001")
    con.execute("INSERT INTO organisations VALUES (1, 'Voordeur', 'municipality', 'GM0000'),"
                " (2, 'Wijkteam', 'neighbourhood_team', 'GM0000'),"
                " (3, 'Huisarts', 'gp', 'GM0000')")
    if norms:
        for row in NORMS:
            con.execute("INSERT INTO norms VALUES (?, ?, ?, ?, ?)", [GM, *row])
    received = "care_report.received"
    report(con, "w1", "regular", (received, "2026-02-27", None))  # Friday
    report(con, "w2", "regular", (received, "2026-02-23", 3))  # due today
    report(con, "w3", "regular", (received, "2026-02-20", 3))
    report(con, "w4", "urgent", (received, "2026-02-04", None))
    report(con, "w5", "crisis", (received, "2026-02-27", 3))
    report(con, "w13", "urgent", (received, "2026-02-18", 3))  # due Friday 20 February
    report(con, "w6", "regular", (received, "2026-01-26", 3),
           ("care_report.triaged", "2026-01-28", 1))
    report(con, "w7", "regular", (received, "2026-02-16", 3),
           ("care_report.triaged", "2026-02-17", 1), ("intake.planned", "2026-02-20", 2))
    report(con, "w8", "regular", (received, "2025-10-01", 3),
           ("care_report.triaged", "2025-10-02", 1), ("intake.planned", "2025-10-10", 1),
           ("intake.held", "2025-11-01", 2))
    # Left the front door: help started (w9), closed (w10).
    report(con, "w9", "regular", (received, "2026-02-03", 3),
           ("care_report.triaged", "2026-02-04", 1), ("intake.planned", "2026-02-05", 1),
           ("intake.held", "2026-02-10", 2), ("plan.started", "2026-02-17", 2))
    report(con, "w10", "regular", (received, "2026-02-09", None),
           ("care_report.closed", "2026-02-12", 1))
    # Another municipality's.
    report(con, "w11", "regular", (received, "2026-02-27", None), neighbourhood="BU00000002")
    derive_all(con)
    return con


def counts(row: Any) -> tuple[Any, ...]:
    return (row.total, row.within, row.past_norm, row.past_3x, row.no_norm)


def test_the_due_days_are_the_front_doors() -> None:
    # What the cases below rest on (core.workdays, intake.norms.due_on).
    assert add_working_days(date(2026, 2, 23), 5) == TODAY  # w2: due today, not past it
    assert working_days_between(date(2026, 2, 20), TODAY) == 6  # w3: past 5
    assert add_working_days(date(2026, 2, 18), 2) == date(2026, 2, 20)  # w13: a Friday
    assert add_working_days(date(2026, 2, 4), 6) == date(2026, 2, 12)  # w4: 3 x 2


def test_open_items_now_per_step_against_the_norm() -> None:
    w = waiting(world(), SCOPE, threshold=1)
    assert {r.step: counts(r) for r in w.now} == {
        # w1 and w2 within (w2 on its due day), w3 past, w4 w5 (crisis: 0 days) w13 3x.
        "received": (6, 2, 1, 3, 0),
        "triaged": (1, 0, 1, 0, 0),  # w6: 35 calendar days from the receipt, norm 28
        "intake_planned": (1, 1, 0, 0, 0),  # w7: 14 days from the receipt
        "intake_held": (1, 0, 1, 0, 0),  # w8: 121 days from the intake, norm 70
        "total": (9, 3, 3, 3, 0),
    }


def test_open_items_per_organisation_that_entered_the_step() -> None:
    w = waiting(world(), SCOPE, threshold=1)
    assert {(r.step, r.group, r.label): counts(r) for r in w.by_organisation} == {
        ("received", "none", ""): (2, 1, 0, 1, 0),  # w1, w4: the family or the public
        ("received", "3", "Huisarts"): (4, 1, 1, 2, 0),
        ("triaged", "1", "Voordeur"): (1, 0, 1, 0, 0),
        ("intake_planned", "2", "Wijkteam"): (1, 1, 0, 0, 0),
        ("intake_held", "2", "Wijkteam"): (1, 0, 1, 0, 0),
    }


def test_per_week_the_state_at_its_end() -> None:
    w = waiting(world(), SCOPE, threshold=1)
    assert [(x.week, x.on) for x in w.weeks] == [
        ("2026-W06", date(2026, 2, 8)), ("2026-W07", date(2026, 2, 15)),
        ("2026-W08", date(2026, 2, 22)), ("2026-W09", date(2026, 3, 1))]
    by_week = [{r.step: counts(r) for r in x.rows} for x in w.weeks]
    assert by_week[0] == {  # Sunday 8 February
        "received": (1, 0, 1, 0, 0),  # w4 urgent: due Friday the 6th, a weekend after it
        "triaged": (1, 1, 0, 0, 0),  # w6
        "intake_planned": (1, 1, 0, 0, 0),  # w9
        "intake_held": (1, 0, 1, 0, 0),  # w8
        "total": (4, 2, 2, 0, 0)}
    assert by_week[1] == {  # w9 after its intake; w10 came and went
        "received": (1, 0, 0, 1, 0), "triaged": (1, 1, 0, 0, 0),
        "intake_planned": (0, 0, 0, 0, 0), "intake_held": (2, 1, 1, 0, 0),
        "total": (4, 2, 1, 1, 0)}
    assert by_week[2] == {  # w9 gone (help started); w13 past its Friday
        "received": (3, 1, 1, 1, 0), "triaged": (1, 1, 0, 0, 0),
        "intake_planned": (1, 1, 0, 0, 0), "intake_held": (1, 0, 1, 0, 0),
        "total": (6, 3, 2, 1, 0)}
    assert {(r.step, r.group): counts(r) for r in w.weeks[1].by_organisation} == {
        ("received", "none"): (1, 0, 0, 1, 0),  # w4
        ("triaged", "1"): (1, 1, 0, 0, 0),  # w6
        ("intake_held", "2"): (2, 1, 1, 0, 0),  # w8, w9
    }
    assert by_week[3] == {  # w3 due Friday the 27th: past on Sunday; w6 34 days
        "received": (6, 2, 1, 3, 0), "triaged": (1, 0, 1, 0, 0),
        "intake_planned": (1, 1, 0, 0, 0), "intake_held": (1, 0, 1, 0, 0),
        "total": (9, 3, 3, 3, 0)}


def test_without_a_norm_the_items_are_counted_as_such() -> None:
    w = waiting(world(norms=False), SCOPE, threshold=1)
    assert counts(w.now[-1]) == (9, 0, 0, 0, 9)


def test_counts_below_the_threshold_are_suppressed_with_their_complements() -> None:
    w = waiting(world(), SCOPE, threshold=3)
    hidden = (None, None, None, None, None)
    assert {r.step: counts(r) for r in w.now} == {
        # Its 3 past three times the norm is hidden too: at threshold 2 it is the partner
        # of a hidden 1, and what is hidden at a lower threshold stays hidden.
        "received": (6, None, None, None, 0),
        # One item each: its zeros would tell which class that one is in (primary).
        "triaged": hidden, "intake_planned": hidden, "intake_held": hidden,
        "total": (9, 3, 3, 3, 0)}
    # The family's 2 are hidden; 4 is not below 3, but with the step's 6 it would give
    # away the family's 2. Neither is named beside its hidden count: they are one row,
    # "the other organisations", which shows only what the step's row already gives.
    by_org = {(r.step, r.group, r.label): counts(r) for r in w.by_organisation}
    assert by_org == {("received", "other", "Andere organisaties"): (6, None, None, None, 0)}
    assert w.as_dict()["now"][0]["suppressed"] == ["within", "past_norm", "past_3x"]
    assert all(v is None or v == 0 or v >= 3 for r in w.now for v in counts(r))


def test_a_narrow_area_and_a_bad_scope() -> None:
    con = world()
    other = waiting(con, Scope(area="GM0001", start=SCOPE.start, end=SCOPE.end, today=TODAY),
                    threshold=1)
    assert counts(other.now[-1]) == (1, 0, 0, 0, 1)  # GM0001 has no norms
    from jeugdketen.core.errors import Refusal
    with pytest.raises(Refusal) as caught:
        waiting(con, Scope(area=GM, start=TODAY, end=TODAY - timedelta(days=1), today=TODAY),
                threshold=1)
    assert caught.value.errors[0].field == "to"


def test_an_empty_store_answers_zeros_and_json() -> None:
    import json

    con = store()
    area(con)
    w = waiting(con, SCOPE, threshold=10)
    assert [counts(r) for r in w.now] == [(0, 0, 0, 0, 0)] * 5
    assert w.by_organisation == [] and len(w.weeks) == 4
    assert json.loads(json.dumps(waiting(world(), SCOPE, threshold=3).as_dict()))["now"][0] == {
        "step": "received", "group": "", "label": "", "total": 6, "within": None,
        "past_norm": None, "past_3x": None, "no_norm": 0,
        "suppressed": ["within", "past_norm", "past_3x"]}


def test_past_the_norm_in_sql_is_the_front_doors_due_day() -> None:
    """The SQL rule against intake.norms.due_on for every start in two weeks, every day up
    to five weeks later, norms of 0 to 6 working days and 0, 3 and 28 calendar days."""
    import duckdb

    from jeugdketen.insight.waiting import past
    from jeugdketen.intake.norms import Rule, due_on

    con = duckdb.connect()
    cases = [(date(2026, 3, 2) + timedelta(days=s), date(2026, 3, 2) + timedelta(days=s + d),
              days, working)
             for s in range(14) for d in range(36)
             for days, working in [*((k, True) for k in range(7)), (0, False), (3, False),
                                   (28, False)]]
    con.execute("CREATE TABLE c (start DATE, day DATE, days INTEGER, working BOOLEAN)")
    con.executemany("INSERT INTO c VALUES (?, ?, ?, ?)", cases)
    got = con.execute(f"SELECT start, day, days, working, "
                      f"{past('start', 'day', 'days', 'working')} FROM c").fetchall()
    assert len(got) == len(cases)
    wrong = [row for row in got if row[4] != (row[1] > due_on(Rule(row[2], row[3]), row[0]))]
    assert wrong == []
