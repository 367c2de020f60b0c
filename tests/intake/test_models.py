"""The front door's tables (ADR 0010): the database itself keeps the rules that decide
races and nonsense: one subject at most, one triage per report, a meeting that ends after
it starts, one open invitation per organisation, one capacity row per week, one norm per
step and urgency, and unique references."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from jeugdketen.intake.models import (
    REFERENCE_ALPHABET,
    CareReport,
    IntakeCapacity,
    IntakeMeeting,
    Invitation,
    InvitationStatus,
    Norm,
    Outcome,
    OutcomeDecision,
    OutcomeGoal,
    Step,
    Triage,
    TriageDecision,
    Urgency,
    new_reference,
)
from tests import factories as f

pytestmark = pytest.mark.django_db


def report(**kw) -> CareReport:
    municipality = kw.pop("municipality", None) or f.MunicipalityFactory()
    return CareReport.objects.create(municipality=municipality, reporter_kind="professional",
                                     urgency=Urgency.REGULAR, question="Vraag", **kw)


def test_a_report_gets_a_key_a_reference_and_starts_received():
    one, two = report(), report()
    assert one.step == Step.RECEIVED and one.is_open
    assert one.trajectory_key != two.trajectory_key and one.trajectory_key != one.id
    assert one.reference != two.reference
    assert len(one.reference) == 10 and one.reference.startswith("ZM")
    assert set(one.reference[2:]) <= set(REFERENCE_ALPHABET)
    assert len({new_reference() for _ in range(200)}) == 200


def test_a_report_is_about_a_person_or_a_household_not_both():
    person = f.PersonFactory()
    household = f.make_household(children=[person])
    report(person=person)
    report(household=household)
    report()  # public: neither, until identified
    with pytest.raises(IntegrityError), transaction.atomic():
        report(person=person, household=household)


def test_the_reference_is_unique():
    one = report()
    with pytest.raises(IntegrityError), transaction.atomic():
        report(reference=one.reference)


def test_one_triage_per_report():
    one = report()
    by = f.ProfessionalFactory(roles=["front_door"])
    Triage.objects.create(report=one, decision=TriageDecision.JOINT_INTAKE, by=by,
                          urgency_before=Urgency.REGULAR, urgency_after=Urgency.URGENT)
    with pytest.raises(IntegrityError), transaction.atomic():
        Triage.objects.create(report=one, decision=TriageDecision.ADVICE, by=by,
                              urgency_before=Urgency.REGULAR, urgency_after=Urgency.REGULAR)


def meeting(one: CareReport, **kw) -> IntakeMeeting:
    starts = timezone.now() + timedelta(days=3)
    return IntakeMeeting.objects.create(
        report=one, starts_at=kw.pop("starts_at", starts),
        ends_at=kw.pop("ends_at", starts + timedelta(hours=1)), location="Wijkcentrum",
        planned_by=f.ProfessionalFactory(roles=["front_door"]), **kw)


def test_a_meeting_ends_after_it_starts():
    one = report()
    meeting(one)
    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        meeting(one, starts_at=now, ends_at=now)


def test_one_open_invitation_per_organisation_per_meeting():
    held = meeting(report())
    organisation = f.OrganisationFactory()
    first = Invitation.objects.create(meeting=held, organisation=organisation)
    assert first.status == InvitationStatus.INVITED and first.is_open
    with pytest.raises(IntegrityError), transaction.atomic():
        Invitation.objects.create(meeting=held, organisation=organisation)
    # Replaced: the organisation may be invited again.
    first.status = InvitationStatus.REPLACED
    first.save()
    assert not first.is_open
    Invitation.objects.create(meeting=held, organisation=organisation)


def test_an_outcome_per_meeting_with_goals():
    held = meeting(report())
    by = f.ProfessionalFactory(roles=["front_door"])
    outcome = Outcome.objects.create(meeting=held, decision=OutcomeDecision.PLAN,
                                     recorded_by=by, coordinator=by)
    outcome.participants.add(by)
    child = f.PersonFactory()
    goal = OutcomeGoal.objects.create(outcome=outcome, title="Gaat naar school",
                                      levels={"-2": "a", "-1": "b", "0": "c", "1": "d", "2": "e"})
    goal.persons.add(child)
    assert list(held.outcome.goals.all()) == [goal]
    with pytest.raises(IntegrityError), transaction.atomic():
        Outcome.objects.create(meeting=held, decision=OutcomeDecision.ADVICE, recorded_by=by)


def test_one_capacity_row_per_organisation_and_week():
    organisation = f.OrganisationFactory()
    IntakeCapacity.objects.create(organisation=organisation, week_start=date(2026, 11, 30),
                                  slots=4)
    with pytest.raises(IntegrityError), transaction.atomic():
        IntakeCapacity.objects.create(organisation=organisation,
                                      week_start=date(2026, 11, 30), slots=5)


def test_one_norm_per_municipality_step_and_urgency():
    municipality = f.MunicipalityFactory()
    Norm.objects.create(municipality=municipality, step=Step.RECEIVED, urgency="", days=3)
    Norm.objects.create(municipality=municipality, step=Step.RECEIVED,
                        urgency=Urgency.URGENT, days=1, working=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Norm.objects.create(municipality=municipality, step=Step.RECEIVED, urgency="", days=4)
