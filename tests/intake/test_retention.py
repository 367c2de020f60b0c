"""Retention of the front door (decision 0010, answer 2): 12 months after a report closed
without a plan its content is erased (the report's, the public reporter's details, the
intake outcome's texts and goals, the meeting's place, the answers' reasons), its steps
and dates stay; a report that started a plan, and an open report, keep everything. Each
erasure is in the access log (DELETE, ground `retention`, for each person it was about);
a second run finds nothing; the nightly command prints what it did."""

from __future__ import annotations

import json
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from jeugdketen.access.actions import system_actor
from jeugdketen.access.models import AccessLogRecord
from jeugdketen.access.policy import public_actor
from jeugdketen.chainlog.models import ChainEvent
from jeugdketen.intake.actions import meetings, public, reports, triage
from jeugdketen.intake.actions.retention import closed_before, erase_closed
from jeugdketen.intake.models import CareReport, IntakeMeeting, Invitation, Outcome, OutcomeGoal
from tests import factories as f
from tests.registry.test_concurrency_pg import in_threads, pg  # noqa: F401 - fixture

from .conftest import LEVELS, an_hour_ago, public_input, report_input

# No module-wide django_db mark: every test asks for the database through its fixtures, and
# the PostgreSQL test below must skip on SQLite before any database is set up.
OPERATOR = system_actor("jeugdketen intake retention")


def a_year_after(day: date) -> date:
    return day.replace(year=day.year + 1) if (day.month, day.day) != (2, 29) \
        else date(day.year + 1, 2, 28)


def retention(*args: str) -> dict:
    out = StringIO()
    call_command("intake", "retention", *args, stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture
def teacher(door):
    return door.teacher_actor  # who entered the family (the door fixture)


def closed_with_advice(door, teacher, **kw) -> CareReport:
    report = reports.report(teacher, person_id=door.child.pk, **report_input(**kw))
    triage.triage(door.actor, report.pk, decision="advice")
    return CareReport.objects.get(pk=report.pk)


def test_twelve_months_after_closing_the_content_goes_and_the_steps_stay(door, teacher):
    report = closed_with_advice(door, teacher, urgency="urgent", unsafe=True)
    year_on = a_year_after(timezone.localdate())

    assert erase_closed(OPERATOR, today=year_on - timedelta(days=1)) == 0  # not yet
    assert erase_closed(OPERATOR, today=year_on) == 1

    erased = CareReport.objects.get(pk=report.pk)
    assert (erased.question, erased.life_domains, erased.desired_result,
            erased.contact_phone, erased.contact_email) == ("", [], "", "", "")
    assert erased.content_erased_at is not None
    # What the queue's history and the numbers need stays.
    for name in ("step", "step_since", "received_at", "closed_at", "close_reason",
                 "urgency", "unsafe", "reporter_kind", "person_id", "neighbourhood_code",
                 "trajectory_key"):
        assert getattr(erased, name) == getattr(report, name), name
    assert erased.triage.decision == "advice"
    assert erase_closed(OPERATOR, today=year_on) == 0  # a second run finds nothing


def test_the_erasure_is_in_the_access_log_for_the_person(door, teacher):
    report = closed_with_advice(door, teacher)
    erase_closed(OPERATOR, today=a_year_after(timezone.localdate()))

    (record,) = AccessLogRecord.objects.filter(object_id=str(report.pk), action="delete")
    assert record.ground == "retention" and record.outcome == "allowed"
    assert record.client_id == str(door.child.pk) and record.channel == "command"
    assert record.data == "care_report"


def test_a_household_report_is_logged_for_each_member(door, teacher):
    report = reports.report(teacher, household_id=door.household.pk, **report_input())
    triage.triage(door.actor, report.pk, decision="veilig_thuis")

    assert erase_closed(OPERATOR, today=a_year_after(timezone.localdate())) == 1
    logged = set(AccessLogRecord.objects.filter(object_id=str(report.pk), action="delete")
                 .values_list("client_id", flat=True))
    assert logged == {str(p.pk) for p in door.members}


def test_a_report_that_started_a_plan_follows_the_plan(door, teacher):
    from jeugdketen.plans import actions as plans

    report = closed_with_advice(door, teacher)
    for person in door.members:
        f.RegistrationFactory(person=person, professional=door.coordinator)
    plan = plans.start_plan(f.professional_actor(door.coordinator), door.household.pk,
                            door.coordinator.pk, consent_given_by=[door.parent.pk, door.youth.pk])
    CareReport.objects.filter(pk=report.pk).update(plan=plan)  # as a plan start leaves it

    assert erase_closed(OPERATOR, today=a_year_after(timezone.localdate())) == 0
    assert CareReport.objects.get(pk=report.pk).question == report.question


def test_an_open_report_keeps_its_content_however_old(door, teacher):
    two_years_ago = timezone.now() - timedelta(days=730)
    report = reports.report(teacher, person_id=door.child.pk, at=two_years_ago,
                            **report_input())
    assert erase_closed(OPERATOR) == 0
    assert CareReport.objects.get(pk=report.pk).question == report.question


def test_a_report_closed_long_ago_is_erased_today(door, teacher):
    thirteen_months_ago = timezone.now() - timedelta(days=400)
    report = reports.report(teacher, person_id=door.child.pk, at=thirteen_months_ago,
                            **report_input())
    triage.triage(door.actor, report.pk, decision="advice", at=thirteen_months_ago)

    assert erase_closed(OPERATOR) == 1
    assert CareReport.objects.get(pk=report.pk).question == ""


def test_the_public_reporters_details_go_too(door):
    report = public.report_public(public_actor("192.0.2.7"), **public_input(
        birth_date=date(2018, 4, 1), contact_phone="0612345678", desired_result="Rust"))
    reports.close(door.actor, report.pk, reason="withdrawn")

    assert erase_closed(OPERATOR, today=a_year_after(timezone.localdate())) == 1
    erased = CareReport.objects.get(pk=report.pk)
    for name in ("given_name", "family_name", "postcode", "house_number", "reporter_name",
                 "reporter_relation", "question", "desired_result", "contact_phone",
                 "contact_email"):
        assert getattr(erased, name) == "", name
    assert erased.birth_date is None and erased.life_domains == []
    assert erased.reference == report.reference  # not content: a number
    (record,) = AccessLogRecord.objects.filter(object_id=str(report.pk), action="delete")
    assert record.client_id == ""  # about nobody the registry knows


def test_the_intakes_texts_and_goals_go_too(door, teacher):
    door.intake_consent(door.youth_care)
    report = reports.report(teacher, person_id=door.child.pk, **report_input())
    triage.triage(door.actor, report.pk, decision="joint_intake")
    meeting = meetings.plan_intake(
        door.actor, report.pk, organisation_ids=[door.youth_care.pk, door.mental_health.pk],
        starts_at=an_hour_ago(), ends_at=timezone.now(), location="Thuis, Havenstraat 12")
    meetings.answer_invitation(door.actor, meeting.pk, door.mental_health.pk, accept=False,
                               reason="Noor is al bij ons bekend")
    meetings.answer_invitation(door.actor, meeting.pk, door.youth_care.pk, accept=True,
                               professional_id=door.youth_worker.pk)
    meetings.hold_intake(
        door.actor, meeting.pk, participant_ids=[door.front_door.pk, door.youth_worker.pk],
        family_present_ids=[door.parent.pk],
        question_understood="Noor is bang voor de ruzies thuis.",
        goals=[{"title": "Noor slaapt weer rustig", "person_ids": [door.child.pk],
                "levels": dict(LEVELS)}], decision="advice")
    events_before = list(ChainEvent.objects.order_by("id").values_list("id", "attributes"))

    assert erase_closed(OPERATOR, today=a_year_after(timezone.localdate())) == 1

    outcome = Outcome.objects.get(meeting=meeting)
    assert (outcome.question_understood, outcome.referral_result) == ("", "")
    assert outcome.decision == "advice" and outcome.participants.count() == 2
    assert not OutcomeGoal.objects.exists()
    assert IntakeMeeting.objects.get(pk=meeting.pk).location == ""
    assert set(Invitation.objects.values_list("reason", flat=True)) == {""}
    assert set(Invitation.objects.values_list("status", flat=True)) == {"accepted", "declined"}
    # The chain events held no content, so nothing of them changes (nor is added).
    assert list(ChainEvent.objects.order_by("id").values_list("id", "attributes")) == \
        events_before


def test_where_the_twelve_months_end():
    # Closed on 6 December 2026 (any time that day, Dutch time): erased on 6 December 2027.
    assert closed_before(date(2027, 12, 6)) == timezone.make_aware(
        timezone.datetime(2026, 12, 7))
    # Closed on 29 February 2024: there is no 29 February 2025, so 1 March it is.
    assert closed_before(date(2025, 2, 28)).date() == date(2024, 2, 29)
    assert closed_before(date(2025, 3, 1)).date() == date(2024, 3, 2)


def test_the_nightly_command(door, teacher):
    report = closed_with_advice(door, teacher)
    year_on = a_year_after(timezone.localdate()).isoformat()

    assert retention() == {"erased": 0}
    assert retention("--dry-run", "--as-of", year_on) == {
        "erased": 1, "dry_run": True, "as_of": year_on}
    assert CareReport.objects.get(pk=report.pk).content_erased_at is None  # a dry run
    with pytest.raises(CommandError):
        retention("--as-of", year_on)
    with pytest.raises(CommandError):
        retention("--dry-run", "--as-of", "next year")


@pytest.mark.postgres
def test_two_runs_at_once_erase_each_report_once(pg, transactional_db, door):  # noqa: F811
    """PostgreSQL, real threads: the nightly run started twice (a retry, two hosts). Each
    report is erased once, logged once; the runs' counts add up to the reports."""
    f.ensure_shards()
    teacher = door.teacher_actor
    ids = {str(closed_with_advice(door, teacher).pk) for _ in range(6)}
    year_on = a_year_after(timezone.localdate())

    counts = in_threads(2, lambda _i: erase_closed(OPERATOR, today=year_on, batch=2))

    assert sum(counts) == 6
    logged = list(AccessLogRecord.objects.filter(action="delete", ground="retention")
                  .values_list("object_id", flat=True))
    assert sorted(logged) == sorted(ids)
