"""The front door's demo (issue 11, demo/intake.py): two years of care reports through the
intake actions on the demo's own world (its organisations, professionals and families),
deterministic from the seed, with every reporter, urgency and triage decision, single
intakes in year one and joint intakes in half the neighbourhoods in year two, plans
started from reports (one key from the report to the plan), and an open queue with
reports overdue today. No report content in the chain events."""

from __future__ import annotations

import json
from collections import Counter
from datetime import timedelta
from io import StringIO
from itertools import pairwise
from typing import Any

import pytest
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from jeugdketen.access.models import Consent
from jeugdketen.access.policy import Actor
from jeugdketen.chainlog.models import ChainEvent
from jeugdketen.demo import intake as intake_demo
from jeugdketen.demo import plans as plans_demo
from jeugdketen.demo import referral as referral_demo
from jeugdketen.demo import registry as registry_demo
from jeugdketen.intake.models import (
    CareReport,
    IntakeCapacity,
    IntakeMeeting,
    Invitation,
    Outcome,
    Triage,
)
from jeugdketen.intake.queue import queue
from jeugdketen.plans.models import Plan
from jeugdketen.registry.models import Kinship, Professional

SEED = 2026
HOUSEHOLDS = 60


def _prerequisites() -> None:
    """What the demo command loads before the front door: the registry, the reference
    index and the family plans."""
    registry_demo.build(seed=SEED, households=HOUSEHOLDS, professionals=40, out=StringIO())
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        referral_demo.build(seed=SEED, out=StringIO())
    plans_demo.build(seed=SEED, households=HOUSEHOLDS, out=StringIO())


def _fingerprint() -> list[Any]:
    """What the front door's demo made, without its random keys."""
    rows = []
    for r in (CareReport.objects.select_related("person", "triage")
              .order_by("received_at", "person__bsn", "reporter_kind")):
        triage = getattr(r, "triage", None)
        rows.append((str(r.received_at), r.person.bsn if r.person else None,
                     r.reporter_kind, r.urgency, r.unsafe, r.step, str(r.step_due_on),
                     r.close_reason, r.neighbourhood_code, triage.decision if triage else "",
                     [(m.joint, str(m.starts_at), sorted(m.invitations.values_list(
                         "organisation__name", "status"))) for m in r.meetings.all()],
                     r.plan_id is not None))
    return rows


class _Again(Exception):
    pass


@pytest.mark.django_db
def test_the_front_door_demo():
    _prerequisites()
    # Deterministic: two loads on the same world give the same reports.
    prints = []
    for _run in range(2):
        try:
            with transaction.atomic():
                intake_demo.build(seed=SEED, households=HOUSEHOLDS, out=StringIO())
                prints.append(_fingerprint())
                raise _Again
        except _Again:
            pass
    assert prints[0] and prints[0] == prints[1]
    assert not CareReport.objects.exists()

    made = intake_demo.build(seed=SEED, households=HOUSEHOLDS, out=StringIO())
    assert _fingerprint() == prints[0]
    reports = list(CareReport.objects.select_related("triage", "plan"))
    assert made["reports"] == len(reports) >= 60
    # A rerun adds nothing.
    assert intake_demo.build(seed=SEED, households=HOUSEHOLDS, out=StringIO()) == made
    today = timezone.localdate()

    # Every reporter kind, urgency and triage decision; some unsafe.
    assert {r.reporter_kind for r in reports} == {"professional", "family", "public"}
    assert {r.urgency for r in reports} == {"crisis", "urgent", "regular"}
    assert any(r.unsafe for r in reports)
    assert set(Triage.objects.values_list("decision", flat=True)) == {
        "advice", "neighbourhood_team", "joint_intake", "veilig_thuis"}
    # The family's reports are by a custody holder of the child, the public's identified
    # (when triaged) through the front door.
    for r in reports:
        if r.reporter_kind == "family":
            assert r.reported_by_person is not None and r.person is not None
            assert Kinship.objects.filter(child=r.person, relative_bsn=r.reported_by_person.bsn,
                                          has_custody=True).exists()
        if r.reporter_kind == "public" and r.step != "received":
            assert r.person is not None and r.given_name == r.person.given_names

    # Year one: one intake per organisation, in sequence; year two: joint in the first
    # neighbourhood of every district, still one by one in the others.
    year_ago = today - timedelta(days=intake_demo.YEAR)
    meetings = list(IntakeMeeting.objects.select_related("report"))
    first = [m for m in meetings if timezone.localdate(m.report.received_at) <= year_ago]
    second = [m for m in meetings if timezone.localdate(m.report.received_at) > year_ago]
    assert first and not any(m.joint for m in first)
    joint = [m for m in second if m.joint]
    single = [m for m in second if not m.joint]
    assert joint and single
    assert {m.report.neighbourhood_code for m in joint} <= intake_demo.JOINT_NEIGHBOURHOODS
    assert not {m.report.neighbourhood_code for m in single} & intake_demo.JOINT_NEIGHBOURHOODS
    # The joint intake is held sooner after the report than the last of the single ones.
    held: dict[bool, list[int]] = {True: [], False: []}
    for m in meetings:
        if m.held_at is not None:
            held[m.joint].append((m.held_at - m.report.received_at).days)
    assert held[True] and held[False]
    assert sum(held[True]) / len(held[True]) < sum(held[False]) / len(held[False])
    for m in meetings:
        if not m.joint:
            assert m.invitations.exclude(status="replaced").count() == 1
    # Sequential intakes: several meetings of one report, one after the other, with waits.
    sequences = {}
    for m in sorted(meetings, key=lambda m: m.starts_at):
        sequences.setdefault(m.report_id, []).append(m)
    waits = [later.planned_at - earlier.starts_at for ms in sequences.values()
             for earlier, later in pairwise(ms)]
    assert waits and all(w >= timedelta(0) for w in waits)
    # Now and then an organisation declines and the front door invites another instead.
    assert Invitation.objects.filter(status="replaced").exists()
    assert set(Outcome.objects.values_list("decision", flat=True)) == {
        "plan", "advice", "referral"}

    # Plans from reports: origin care report, the id the report's trajectory key, goals
    # with their five levels.
    started = [r for r in reports if r.plan_id is not None]
    assert started
    for r in started:
        assert r.plan is not None
        assert r.plan.origin == "care_report"
        assert r.plan.pk == r.trajectory_key
        assert r.step == "help_started"
    with_goals = [r.plan for r in started if r.plan is not None and r.plan.goals.exists()]
    assert with_goals
    for plan in with_goals:
        for goal in plan.goals.all():
            assert set(goal.levels) == {"-2", "-1", "0", "1", "2"}
    assert Plan.objects.filter(origin="care_report").count() == len(started)
    # They run on (demo/closing.py): most closed through the plan actions with a CBS
    # reason, after an action and its costs; the newest still open.
    from_reports = Plan.objects.filter(origin="care_report")
    closed = list(from_reports.filter(status="closed"))
    assert closed and from_reports.filter(status="open").exists()
    for plan in closed:
        assert plan.close_reason in {"01", "02", "03", "04", "05"}
        assert plan.started_on < plan.closed_on < today
        assert plan.goals.exists() and plan.actions.filter(done_on__isnull=False).exists()
        assert plan.evaluations.filter(final=True).exists()
    assert {p.can_continue_without_help for p in closed} == {True, False}
    # Help started after a referral.
    assert any(r.step == "help_started" and r.plan_id is None for r in reports)

    # Today's queue: tens of open reports, some past the norm and past three times it.
    open_ = [r for r in reports if r.step not in ("help_started", "closed")]
    assert 20 <= len(open_) <= 80
    assert {r.step for r in open_} == {"received", "triaged", "intake_planned", "intake_held"}
    assert any(r.step_due_on and r.step_due_on < today for r in open_)
    assert any(r.step_overdue3_on and r.step_overdue3_on < today for r in open_)
    assert any(r.step_due_on and r.step_due_on >= today for r in open_)
    # The front door (demo.gemeente) sees them in its queue, with the expected next date
    # from the capacity ahead.
    door = Professional.objects.get(user__username="demo.gemeente")
    line = queue(Actor(user=door.user, professional=door), "GM9999")
    assert line.total == len(open_)
    assert {row.overdue for row in line.rows} == {"", "1x", "3x"}
    assert any(row.expected_next_on for row in line.rows if row.report.step == "triaged")
    # Capacity per organisation per week.
    assert IntakeCapacity.objects.values("organisation").distinct().count() >= 4

    # The chain events of the demo: two years, each trajectory in order of time, and no
    # report content (no question, no name, no contact) in any attribute.
    keys = {str(r.trajectory_key) for r in reports}
    events = list(ChainEvent.objects.filter(trajectory_key__in=keys).order_by("id"))
    assert {e.activity for e in events} >= {
        "care_report.received", "care_report.triaged", "intake.planned", "intake.held",
        "intake.decided", "care_report.closed", "care_report.help_started", "plan.started"}
    assert min(e.at for e in events) < timezone.now() - timedelta(days=600)
    # The family's consent to share the report with the invited organisations (category
    # intake, no plan) is recorded with the planning: they read the report before the meeting.
    assert any("intake" in c.categories for c in Consent.objects.filter(plan__isnull=True))
    # One organisation after the other: the family sat through each intake, each is held.
    held = Counter(e.trajectory_key for e in events
                   if e.activity == "intake.held" and e.attributes["joint"] is False)
    assert max(held.values()) >= 2
    last: dict[str, Any] = {}
    for e in events:
        assert last.get(e.trajectory_key, e.at) <= e.at, e.activity
        last[e.trajectory_key] = e.at
    words = set()
    for r in reports:
        words |= {r.question, r.desired_result, r.contact_phone, r.contact_email,
                  r.given_name, r.family_name, r.reporter_name, r.reporter_relation}
    for o in Outcome.objects.all():
        words |= {o.question_understood, o.referral_result}
    words = {w for w in words if w and len(w) > 3}
    assert words
    for e in events:
        text = json.dumps(e.attributes, default=str)
        assert not [w for w in words if w in text], e.activity
        if e.activity.startswith(("care_report.", "intake.")):
            assert set(e.attributes) <= {
                "reporter", "urgency", "unsafe", "life_domains", "decision", "working_days",
                "organisations", "joint", "disciplines", "days_since_report", "starts_at",
                "ends_at", "reason"}, e.activity
