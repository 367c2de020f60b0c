"""The front door's reads: a report with the policy's answer (the READ in the access log),
its status without content, and the family's own reports."""

from __future__ import annotations

import pytest

from jeugdketen.access.audit import AccessDenied
from jeugdketen.access.models import AccessLogRecord
from jeugdketen.intake import selectors
from jeugdketen.intake.actions import reports
from jeugdketen.intake.actions import triage as triaging
from jeugdketen.intake.models import CareReport
from tests import factories as f
from tests.intake.conftest import report_input

pytestmark = pytest.mark.django_db


def teacher_report(door) -> CareReport:
    return reports.report(door.teacher_actor, person_id=door.child.pk, **report_input())


def reads_of(professional_or_user, report) -> list[AccessLogRecord]:
    username = getattr(professional_or_user, "user", professional_or_user).username
    return list(AccessLogRecord.objects.filter(username=username, action="read",
                                               object_id=str(report.pk),
                                               outcome="allowed"))


def test_the_front_door_reads_a_report_and_the_read_is_logged(door):
    report = teacher_report(door)
    found, decision = selectors.report_for(door.actor, report.pk)
    assert found == report and found.question == report.question
    assert decision.allowed and decision.ground == "front_door"
    (read,) = reads_of(door.front_door, report)
    assert (read.data, read.client_id) == ("care_report", str(door.child.pk))


def test_the_reporter_gets_the_status_ground_only(door):
    report = teacher_report(door)
    _found, decision = selectors.report_for(door.teacher_actor, report.pk)
    assert decision.ground == "reporter"
    assert len(reads_of(door.teacher, report)) == 1


def test_an_outsider_reads_nothing(door):
    report = teacher_report(door)
    outsider = f.make_actor(["professional"])
    with pytest.raises(AccessDenied):
        selectors.report_for(outsider, report.pk)
    with pytest.raises(AccessDenied):
        selectors.report_for(outsider, "not-a-uuid")


def test_the_status_holds_the_step_and_dates_and_no_content(door):
    report = teacher_report(door)
    status = selectors.status_of(report)
    assert status == {
        "id": str(report.pk), "step": "received", "received_at": report.received_at,
        "step_since": report.step_since, "next_step": "triaged",
        "next_step_by": report.step_due_on, "overdue": False, "closed_at": None,
        "close_reason": ""}
    triaging.triage(door.actor, report.pk, decision="advice")
    report.refresh_from_db()
    status = selectors.status_of(report)
    assert (status["step"], status["next_step"], status["next_step_by"]) == ("closed", "", None)
    assert status["close_reason"] == "advice"


def test_a_report_past_its_norm_is_overdue(door):
    from datetime import timedelta

    from django.utils import timezone

    report = teacher_report(door)
    report.step_due_on = timezone.localdate() - timedelta(days=1)
    assert selectors.status_of(report)["overdue"] is True


def test_the_family_sees_its_own_reports(door):
    about_child = teacher_report(door)
    about_household = reports.report(door.parent_actor, household_id=door.household.pk,
                                     **report_input())
    other_child = f.PersonFactory(neighbourhood=door.child.neighbourhood)
    f.RegistrationFactory(person=other_child, professional=door.teacher)
    elsewhere = reports.report(door.teacher_actor, person_id=other_child.pk, **report_input())
    listed = selectors.reports_for_family(door.parent_actor, door.parent)
    assert {r.pk for r in listed} == {about_child.pk, about_household.pk}
    assert elsewhere.pk not in {r.pk for r in listed}
    # Each listed report counts as read.
    assert len(reads_of(door.parent_actor.user, about_child)) == 1


def test_the_public_never_reads_a_report_back(door):
    from jeugdketen.access.policy import public_actor
    from jeugdketen.intake.actions import public
    from tests.intake.conftest import public_input

    visitor = public_actor(ip="192.0.2.10", user_agent="pytest")
    report = public.report_public(visitor, **public_input())
    with pytest.raises(AccessDenied):
        selectors.report_for(visitor, report.pk)
