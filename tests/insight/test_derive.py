"""The trajectories table on hand-made event logs with known answers: every column."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from jeugdketen.insight import derive

from .handmade import add, area


def at(day: str, time: str = "12:00") -> datetime:
    return datetime.fromisoformat(f"{day}T{time}:00")


def row(con: Any, key: str) -> dict[str, Any]:
    cur = con.execute("SELECT * FROM trajectories WHERE trajectory_key = ?", [key])
    names = [d[0] for d in cur.description]
    found = cur.fetchall()
    assert len(found) == 1, f"{key}: {len(found)} rows"
    return dict(zip(names, found[0], strict=True))


def keys(con: Any) -> list[str]:
    return [k for (k,) in con.execute("SELECT trajectory_key FROM trajectories ORDER BY 1").fetchall()]


def test_joint_intake_report_to_plan_to_close(handmade_store: Any) -> None:
    con = handmade_store
    h = {"household": "h1"}
    add(con, "care_report.received", "r1", "2026-01-05", **h, organisation_id=3,
        reporter="professional", urgency="urgent", unsafe=False, life_domains=2)
    add(con, "care_report.triaged", "r1", "2026-01-06", **h, decision="joint_intake",
        working_days=1)
    add(con, "intake.planned", "r1", "2026-01-08", **h, organisations=3, joint=True)
    add(con, "intake.held", "r1", "2026-01-19", **h, joint=True, disciplines=3,
        days_since_report=14)
    add(con, "intake.decided", "r1", "2026-01-19", **h, decision="plan")
    add(con, "plan.started", "r1", "2026-01-20", **h, origin="care_report",
        coordinator_organisation_id=5, started_by="front_door", household_size=3)
    add(con, "plan_action.planned", "r1", "2026-01-21", **h, budget_eur="300.00")
    add(con, "evaluation.recorded", "r1", "2026-03-01", **h, t_score=45, final=False)
    add(con, "evaluation.recorded", "r1", "2026-05-29", **h, t_score=55, final=True)
    add(con, "plan.closed", "r1", "2026-06-01", **h, reason_code="01",
        can_continue_without_help=True, satisfaction=8, costs_spent_eur="250.50",
        budget_eur="400.00", final_t_score=55.5, days_open=132, origin="care_report")
    add(con, "signal.registered", "", "2026-01-05", **h)  # no key: no trajectory
    assert derive.derive_all(con) == 1
    assert row(con, "r1") == {
        "trajectory_key": "r1", "household_key": "h1", "origin": "care_report",
        "reporter": "professional", "urgency": "urgent",
        "neighbourhood_code": "BU00000001", "district_code": "WK000000",
        "municipality_code": "GM0000",
        "first_contact_at": at("2026-01-05"),
        "triaged_at": at("2026-01-06"), "triage_decision": "joint_intake",
        "intake_planned_at": at("2026-01-08"), "intakes_planned": 1,
        "intake_held_at": at("2026-01-19"), "intake_last_held_at": at("2026-01-19"),
        "intakes_held": 1, "joint_intake": True, "disciplines": 3,
        "intake_decision": "plan",
        "help_started_at": at("2026-01-20"), "plan_started_at": at("2026-01-20"),
        "provider_id": 5, "handovers": 0, "evaluations": 2,
        "closed_at": at("2026-06-01"), "close_reason": "01",
        "can_continue_without_help": True, "satisfaction": 8.0, "final_t_score": 55.5,
        # the close's sums win over the actions seen (an action may have changed since)
        "budget_eur": 400.0, "spent_eur": 250.5,
        "last_event_at": at("2026-06-01"), "next_in_household_at": None, "returned_at": None,
    }


def test_sequential_intakes(handmade_store: Any) -> None:
    con = handmade_store
    add(con, "care_report.received", "r2", "2026-02-02", household="h2", reporter="family",
        urgency="regular")
    add(con, "care_report.triaged", "r2", "2026-02-04", household="h2", decision="joint_intake")
    add(con, "intake.planned", "r2", "2026-02-05", household="h2", organisations=1, joint=False)
    add(con, "intake.planned", "r2", "2026-02-10", household="h2", organisations=1, joint=False)
    add(con, "intake.held", "r2", "2026-02-12", household="h2", joint=False, disciplines=1)
    add(con, "intake.decided", "r2", "2026-02-12", household="h2", decision="referral")
    add(con, "intake.held", "r2", "2026-03-02", household="h2", joint=False, disciplines=2)
    add(con, "intake.decided", "r2", "2026-03-02", household="h2", decision="plan")
    add(con, "plan.started", "r2", "2026-03-03", household="h2", origin="care_report",
        coordinator_organisation_id=8)
    derive.derive_all(con)
    r = row(con, "r2")
    assert (r["intake_planned_at"], r["intakes_planned"]) == (at("2026-02-05"), 2)
    assert (r["intake_held_at"], r["intake_last_held_at"], r["intakes_held"]) == (
        at("2026-02-12"), at("2026-03-02"), 2)
    assert r["joint_intake"] is False
    assert r["disciplines"] == 2  # the largest meeting
    assert r["intake_decision"] == "plan"  # the last decision
    assert r["help_started_at"] == r["plan_started_at"] == at("2026-03-03")
    # still open: no close, nothing spent or budgeted yet
    assert (r["closed_at"], r["close_reason"], r["can_continue_without_help"]) == (None, None, None)
    assert (r["budget_eur"], r["spent_eur"]) == (0.0, 0.0)


def test_advice_closes_the_report_without_help(handmade_store: Any) -> None:
    con = handmade_store
    add(con, "care_report.received", "r3", "2026-04-01", reporter="public", urgency="regular")
    add(con, "care_report.triaged", "r3", "2026-04-03", decision="advice")
    add(con, "care_report.closed", "r3", "2026-04-03", reason="advice")
    derive.derive_all(con)
    r = row(con, "r3")
    assert r["origin"] == "care_report" and r["reporter"] == "public"
    assert r["triage_decision"] == "advice"
    assert (r["closed_at"], r["close_reason"]) == (at("2026-04-03"), "advice")
    assert r["help_started_at"] is None and r["plan_started_at"] is None
    assert r["provider_id"] is None and r["joint_intake"] is None and r["disciplines"] is None
    assert (r["intakes_planned"], r["intakes_held"], r["handovers"], r["evaluations"]) == (0, 0, 0, 0)
    assert r["household_key"] == "" and r["next_in_household_at"] is None


def test_referral_with_help_started(handmade_store: Any) -> None:
    con = handmade_store
    add(con, "care_report.received", "r4", at("2026-01-10", "09:30"), household="h4",
        reporter="family", urgency="regular")
    add(con, "care_report.triaged", "r4", "2026-01-12", household="h4", decision="joint_intake")
    add(con, "intake.planned", "r4", "2026-01-13", household="h4", joint=True, organisations=2)
    add(con, "intake.held", "r4", "2026-01-20", household="h4", joint=True, disciplines=2)
    add(con, "intake.decided", "r4", "2026-01-20", household="h4", decision="referral")
    # recorded on 1 March: help started 30 days after the report (9 February)
    add(con, "care_report.help_started", "r4", "2026-03-01", household="h4",
        days_since_report=30)
    add(con, "care_report.closed", "r4", "2026-03-01", household="h4", reason="help_started")
    derive.derive_all(con)
    r = row(con, "r4")
    assert r["intake_decision"] == "referral"
    assert r["help_started_at"] == at("2026-02-09", "09:30")
    assert r["plan_started_at"] is None and r["provider_id"] is None
    assert (r["closed_at"], r["close_reason"]) == (at("2026-03-01"), "help_started")


def test_censored_trajectory_counts_what_happened_so_far(handmade_store: Any) -> None:
    con = handmade_store
    add(con, "plan.started", "p5", "2026-05-01", household="h5", origin="direct",
        coordinator_organisation_id=4)
    add(con, "plan_action.planned", "p5", "2026-05-02", household="h5", budget_eur="100.00")
    add(con, "plan_action.planned", "p5", "2026-05-02", household="h5", budget_eur="50.25")
    add(con, "plan_action.done", "p5", "2026-06-01", household="h5", spent_eur="80.00",
        budget_eur="100.00")
    add(con, "evaluation.recorded", "p5", "2026-07-01", household="h5", t_score=48, final=False)
    derive.derive_all(con)
    r = row(con, "p5")
    assert r["origin"] == "direct" and r["reporter"] is None and r["urgency"] is None
    assert r["first_contact_at"] == r["plan_started_at"] == r["help_started_at"] == at("2026-05-01")
    assert r["triaged_at"] is None and r["intake_planned_at"] is None
    assert r["closed_at"] is None and r["close_reason"] is None
    assert r["satisfaction"] is None and r["final_t_score"] is None
    assert (r["budget_eur"], r["spent_eur"]) == (150.25, 80.0)
    assert r["evaluations"] == 1 and r["provider_id"] == 4
    assert r["last_event_at"] == at("2026-07-01")


def test_handovers_move_the_provider(handmade_store: Any) -> None:
    con = handmade_store
    add(con, "plan.started", "p6", "2026-01-01", household="h6", origin="direct",
        coordinator_organisation_id=5)
    add(con, "plan.handed_over", "p6", "2026-02-01", household="h6", to_organisation_id=7)
    add(con, "plan.handed_over", "p6", "2026-03-01", household="h6", to_organisation_id=9)
    add(con, "plan.closed", "p6", "2026-04-01", household="h6", reason_code="03",
        can_continue_without_help=False, satisfaction=None, costs_spent_eur="0",
        budget_eur="0", final_t_score=None)
    derive.derive_all(con)
    r = row(con, "p6")
    assert (r["provider_id"], r["handovers"]) == (9, 2)
    assert (r["close_reason"], r["can_continue_without_help"]) == ("03", False)
    assert r["satisfaction"] is None and r["final_t_score"] is None


def test_match_starts_at_the_match(handmade_store: Any) -> None:
    con = handmade_store
    add(con, "plan.started", "p7", "2026-03-10", household="h7", origin="match",
        first_contact_at="2026-02-01T10:15:00+01:00", coordinator_organisation_id=2)
    add(con, "plan.started", "p8", "2026-03-10", household="h8", origin="match")  # older event
    derive.derive_all(con)
    assert row(con, "p7")["first_contact_at"] == at("2026-02-01", "09:15")  # UTC
    assert row(con, "p7")["plan_started_at"] == at("2026-03-10")
    assert row(con, "p8")["first_contact_at"] == at("2026-03-10")


def test_next_in_household(handmade_store: Any) -> None:
    con = handmade_store
    add(con, "care_report.received", "a", "2026-01-01", household="hh")
    add(con, "plan.started", "a", "2026-01-05", household="hh", origin="care_report")
    add(con, "plan.closed", "a", "2026-03-01", household="hh", reason_code="01",
        can_continue_without_help=True)
    add(con, "care_report.received", "b", "2026-05-01", household="hh")  # the repeat
    add(con, "plan.started", "c", "2026-09-01", household="hh", origin="direct")
    add(con, "plan.started", "d", "2026-09-01", household="hh", origin="direct")  # same moment
    add(con, "plan.started", "x", "2026-02-01", household="other", origin="direct")
    add(con, "care_report.received", "anon", "2026-02-01")  # household unknown
    derive.derive_all(con)
    assert row(con, "a")["next_in_household_at"] == at("2026-05-01")
    assert row(con, "b")["next_in_household_at"] == at("2026-09-01")
    assert row(con, "c")["next_in_household_at"] is None  # a tie is not "next"
    assert row(con, "d")["next_in_household_at"] is None
    assert row(con, "x")["next_in_household_at"] is None
    assert row(con, "anon")["next_in_household_at"] is None


def test_public_report_identified_later(handmade_store: Any) -> None:
    con = handmade_store
    area(con, "BU00000002", "WK000001", "GM0001", ("Oost", "Wijk Oost", "Andere gemeente"))
    # before identification: the postcode's neighbourhood, no household, no person
    add(con, "care_report.received", "r9", "2026-01-01", neighbourhood="BU00000001",
        reporter="public", urgency="regular")
    add(con, "care_report.triaged", "r9", "2026-01-03", neighbourhood="BU00000002",
        household="h9", person="p9", decision="neighbourhood_team")
    add(con, "plan.started", "r9", "2026-01-03", neighbourhood="BU00000002", household="h9",
        origin="care_report")
    add(con, "plan.updated", "r9", "2026-01-04", neighbourhood="", household="")
    derive.derive_all(con)
    r = row(con, "r9")
    assert (r["household_key"], r["neighbourhood_code"]) == ("h9", "BU00000002")
    assert (r["district_code"], r["municipality_code"]) == ("WK000001", "GM0001")


def test_unknown_neighbourhood_has_no_area(handmade_store: Any) -> None:
    con = handmade_store
    add(con, "plan.started", "p10", "2026-01-01", neighbourhood="", origin="direct")
    add(con, "plan.started", "p11", "2026-01-01", neighbourhood="BU99999999", origin="direct")
    derive.derive_all(con)
    assert (row(con, "p10")["neighbourhood_code"], row(con, "p10")["municipality_code"]) == ("", None)
    assert row(con, "p11")["district_code"] is None


def test_only_a_receipt_or_a_start_makes_a_trajectory(handmade_store: Any) -> None:
    con = handmade_store
    add(con, "plan.updated", "orphan", "2026-01-01", part="sections")
    add(con, "consent.given", "", "2026-01-01", person="p1")
    add(con, "plan.started", "p12", "2026-01-01", origin="direct")
    assert derive.derive_all(con) == 1
    assert keys(con) == ["p12"]


@pytest.mark.parametrize("split", [1, 3, 5, 8])
def test_touched_gives_the_same_table_as_all(handmade_store: Any, split: int) -> None:
    """Deriving the touched keys after each batch ends where deriving everything ends,
    including the next trajectory of a household whose earlier trajectory was not touched
    and a trajectory whose household became known later."""
    from . import handmade

    log = [
        ("care_report.received", "a", "2026-01-01", "h"),
        ("plan.started", "a", "2026-01-05", "h"),
        ("care_report.received", "n", "2026-01-07", ""),
        ("plan.closed", "a", "2026-03-01", "h"),
        ("care_report.received", "b", "2026-05-01", "h"),
        ("care_report.triaged", "n", "2026-05-02", "h"),  # identified: household h
        ("plan.started", "c", "2026-06-01", "g"),
        ("plan.handed_over", "c", "2026-07-01", "g"),
        ("care_report.closed", "b", "2026-07-02", "h"),
        ("plan.started", "e", "2026-08-01", "h"),
    ]
    full = handmade.store()
    handmade.area(full)
    for activity, key, day, household in log:
        add(full, activity, key, day, household=household, origin="direct",
            to_organisation_id=3, reason_code="01")
    derive.derive_all(full)
    for start, stop in ((0, split), (split, len(log))):
        batch = log[start:stop]
        for activity, key, day, household in batch:
            add(handmade_store, activity, key, day, household=household,
                origin="direct", to_organisation_id=3, reason_code="01")
        derive.derive_touched(handmade_store, {key for _, key, _, _ in batch})
    query = "SELECT * FROM trajectories ORDER BY trajectory_key"
    assert handmade_store.execute(query).fetchall() == full.execute(query).fetchall()
    assert row(handmade_store, "n")["next_in_household_at"] == at("2026-05-01")
    assert row(handmade_store, "b")["next_in_household_at"] == at("2026-08-01")
    full.close()


def test_a_closed_report_that_gets_a_plan_is_open_again(handmade_store: Any) -> None:
    """Reopened: the report closed (referred), later a plan started under its key: the
    trajectory is open until the plan closes, and the close is the plan's."""
    con = handmade_store
    add(con, "care_report.received", "r5", "2026-01-01", household="h5")
    add(con, "care_report.closed", "r5", "2026-01-10", household="h5", reason="referral")
    add(con, "plan.started", "r5", "2026-02-01", household="h5", origin="care_report",
        coordinator_organisation_id=4)
    derive.derive_all(con)
    r = row(con, "r5")
    assert (r["closed_at"], r["close_reason"]) == (None, None)
    assert r["help_started_at"] == at("2026-02-01")
    add(con, "plan.closed", "r5", "2026-05-01", household="h5", reason_code="02",
        can_continue_without_help=False)
    derive.derive_touched(con, ["r5"])
    r = row(con, "r5")
    assert (r["closed_at"], r["close_reason"]) == (at("2026-05-01"), "02")


def test_returned_after_the_close(handmade_store: Any) -> None:
    """A household's report while its plan is open is no return; the first trajectory
    begun after the close is, even when another began in between."""
    con = handmade_store
    add(con, "plan.started", "a", "2026-01-05", household="hh", origin="direct")
    add(con, "care_report.received", "during", "2026-02-01", household="hh")
    add(con, "plan.closed", "a", "2026-03-01", household="hh", reason_code="01",
        can_continue_without_help=True)
    add(con, "care_report.received", "after", "2026-06-01", household="hh")
    add(con, "plan.started", "open", "2026-01-10", household="other", origin="direct")
    derive.derive_all(con)
    assert row(con, "a")["next_in_household_at"] == at("2026-02-01")
    assert row(con, "a")["returned_at"] == at("2026-06-01")
    assert row(con, "open")["returned_at"] is None  # not closed: no return to speak of
    assert row(con, "during")["returned_at"] is None
    # Incrementally: a return added later is found for the old trajectory too.
    add(con, "care_report.received", "earlier", "2026-04-01", household="hh")
    derive.derive_touched(con, ["earlier"])
    assert row(con, "a")["returned_at"] == at("2026-04-01")


def test_the_table_lies_in_area_order(handmade_store: Any) -> None:
    """derive_all writes the trajectories by area (a municipality's figures then read only
    its own groups of rows); in_area_order puts appended ones back in order."""
    con = handmade_store
    area(con, "BU00000002", "WK000001", "GM0001")
    for key, hood in (("z", "BU00000002"), ("a", "BU00000001"), ("m", "BU00000002")):
        add(con, "plan.started", key, "2026-01-05", neighbourhood=hood, origin="direct")
    derive.derive_all(con)
    order = [r[0] for r in con.execute("SELECT trajectory_key FROM trajectories").fetchall()]
    assert order == ["a", "m", "z"]
    add(con, "plan.started", "b", "2026-01-06", neighbourhood="BU00000001", origin="direct")
    derive.derive_touched(con, ["b"])
    assert con.execute("SELECT trajectory_key FROM trajectories").fetchall()[-1] == ("b",)
    derive.in_area_order(con)
    order = [r[0] for r in con.execute("SELECT trajectory_key FROM trajectories").fetchall()]
    assert order == ["a", "b", "m", "z"]
    assert con.execute("SELECT count(*) FROM trajectories").fetchone()[0] == 4
