"""The front door's actions (issue 11, ADR 0010): each one's happy path, its refusals
naming the field, the step and its due dates, and the chain events (counts and codes, no
content). One report runs to one plan whose id is the report's trajectory key, with the
intake's goals and team carried over."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from jeugdketen.access.audit import AccessDenied
from jeugdketen.access.policy import Actor, public_actor
from jeugdketen.chainlog.models import ChainEvent
from jeugdketen.core.errors import Refusal
from jeugdketen.core.workdays import add_working_days
from jeugdketen.intake import selectors
from jeugdketen.intake.actions import meetings, public, reports
from jeugdketen.intake.actions import triage as triaging
from jeugdketen.intake.models import CareReport, Invitation, Outcome, Triage
from jeugdketen.plans.models import Goal, Plan, TeamMember
from tests import factories as f
from tests.intake.conftest import LEVELS, an_hour_ago, goal, public_input, report_input

pytestmark = pytest.mark.django_db




def anonymous() -> Actor:
    """The visitor of the public form (no login)."""
    return public_actor(ip="192.0.2.10", user_agent="pytest")


def events(report: CareReport) -> list[ChainEvent]:
    return list(ChainEvent.objects.filter(trajectory_key=str(report.trajectory_key))
                .order_by("id"))


def event(report: CareReport, activity: str) -> ChainEvent:
    (found,) = [e for e in events(report) if e.activity == activity]
    return found


def today():
    return timezone.localdate()


def teacher_report(door, **kw) -> CareReport:
    return reports.report(door.teacher_actor, person_id=door.child.pk, **report_input(**kw))


def triaged(door, **kw) -> CareReport:
    report = teacher_report(door, **kw)
    triaging.triage(door.actor, report.pk, decision="joint_intake")
    return CareReport.objects.get(pk=report.pk)


def planned(door, *, starts_at=None, organisations=None):
    report = triaged(door)
    starts_at = starts_at or an_hour_ago()
    meeting = meetings.plan_intake(
        door.actor, report.pk,
        organisation_ids=[o.pk for o in organisations or [door.youth_care, door.mental_health]],
        starts_at=starts_at, ends_at=starts_at + timedelta(minutes=45),
        location="Wijkcentrum De Haven")
    return CareReport.objects.get(pk=report.pk), meeting


# --- report --------------------------------------------------------------------------


def test_a_professional_reports_and_the_triage_is_due_by_the_norm(door):
    report = teacher_report(door)
    assert report.step == "received" and report.step_since == today()
    assert report.step_due_on == add_working_days(today(), 5)  # regular: 5 working days
    assert report.step_overdue3_on == add_working_days(today(), 15)
    assert (report.reporter_kind, report.reported_by) == ("professional", door.teacher)
    assert report.municipality == door.municipality
    assert report.neighbourhood_code == door.child.neighbourhood_id
    assert len(report.reference) == 10
    assert report.life_domains == ["schooling", "emotional_support"]
    received = event(report, "care_report.received")
    assert received.attributes == {"reporter": "professional", "urgency": "regular",
                                   "unsafe": False, "life_domains": 2}
    assert received.organisation_id == door.school.pk
    assert received.neighbourhood_code == door.child.neighbourhood_id
    assert received.person_key == str(door.child.pseudonym)
    assert received.household_key == str(door.household.pk)


def test_a_crisis_is_due_the_same_day(door):
    report = teacher_report(door, urgency="crisis")
    assert report.step_due_on == today()


def test_the_family_reports_in_its_own_view(door):
    report = reports.report(door.parent_actor, household_id=door.household.pk,
                            **report_input(contact_email=""))
    assert (report.reporter_kind, report.reported_by_person) == ("family", door.parent)
    assert report.household == door.household and report.person is None
    received = event(report, "care_report.received")
    assert received.attributes["reporter"] == "family"
    assert received.organisation_id is None  # not an organisation: the family
    assert received.household_key == str(door.household.pk)


@pytest.mark.parametrize(("change", "field"), [
    ({"question": "  "}, "question"),
    ({"question": 12}, "question"),
    ({"life_domains": []}, "life_domains"),
    ({"life_domains": "schooling"}, "life_domains"),
    ({"life_domains": ["schooling", "dragons"]}, "life_domains[1]"),
    ({"urgency": "soon"}, "urgency"),
    ({"unsafe": "yes"}, "unsafe"),
    ({"consent_to_share": None}, "consent_to_share"),
    ({"contact_email": "not an address"}, "contact_email"),
    ({"contact_phone": "call me"}, "contact_phone"),
    ({"desired_result": "x" * 5001}, "desired_result"),
])
def test_a_bad_report_is_refused_naming_the_field(door, change, field):
    with pytest.raises(Refusal) as refused:
        teacher_report(door, **change)
    assert refused.value.field == field
    assert not CareReport.objects.exists()
    assert not ChainEvent.objects.filter(activity="care_report.received").exists()


def test_a_report_is_about_a_person_or_a_household(door):
    for subject in ({}, {"person_id": door.child.pk, "household_id": door.household.pk}):
        with pytest.raises(Refusal) as refused:
            reports.report(door.teacher_actor, **subject, **report_input())
        assert refused.value.field == "person_id"


# --- the public form -----------------------------------------------------------------


def test_anyone_reports_through_the_public_form(door, postcode_address):
    report = public.report_public(anonymous(), **public_input())
    assert report.reporter_kind == "public" and report.person is None
    assert report.municipality == door.municipality
    assert (report.postcode, report.house_number) == ("9901AB", "12")
    assert report.neighbourhood_code == postcode_address.neighbourhood_id
    assert report.step_due_on == add_working_days(today(), 2)  # urgent: 2 working days
    received = event(report, "care_report.received")
    assert received.attributes == {"reporter": "public", "urgency": "urgent",
                                   "unsafe": False, "life_domains": 1}
    # No person key before identification, no organisation, no household.
    assert (received.person_key, received.household_key, received.organisation_id) == (
        "", "", None)


@pytest.mark.parametrize(("change", "field"), [
    ({"municipality_code": "GM0000"}, "municipality_code"),
    ({"given_name": ""}, "given_name"),
    ({"family_name": ""}, "family_name"),
    ({"postcode": "ABCD 12"}, "postcode"),
    ({"house_number": "twaalf"}, "house_number"),
    ({"contact_email": ""}, "contact_phone"),
    ({"question": ""}, "question"),
    ({"urgency": ""}, "urgency"),
])
def test_a_bad_public_report_is_refused_naming_the_field(door, change, field):
    with pytest.raises(Refusal) as refused:
        public.report_public(anonymous(), **public_input(**change))
    assert refused.value.field == field


def test_a_public_birth_date_lies_in_the_past(door):
    with pytest.raises(Refusal) as refused:
        public.report_public(anonymous(), **public_input(
            birth_date=today() + timedelta(days=1)))
    assert refused.value.field == "birth_date"


def test_the_front_door_identifies_a_public_report(door):
    report = public.report_public(anonymous(), **public_input(postcode="", house_number=""))
    assert report.neighbourhood_code == ""
    report = reports.identify(door.actor, report.pk, household_id=door.household.pk)
    report.refresh_from_db()
    assert report.household == door.household
    assert report.neighbourhood_code == door.child.neighbourhood_id
    with pytest.raises(Refusal) as refused:
        reports.identify(door.actor, report.pk)
    assert refused.value.field == "person_id"


def test_the_reporter_does_not_identify(door):
    report = public.report_public(anonymous(), **public_input())
    with pytest.raises(AccessDenied):
        reports.identify(door.teacher_actor, report.pk, person_id=door.child.pk)


# --- triage --------------------------------------------------------------------------


def test_a_joint_intake_triage_moves_the_report_to_the_intake_planning(door):
    report = triaged(door)
    done = Triage.objects.get(report=report)
    assert (done.decision, done.by, done.working_days) == ("joint_intake", door.front_door, 0)
    assert report.step == "triaged" and report.step_since == today()
    # The intake within four weeks of the report.
    received_on = timezone.localdate(report.received_at)
    assert report.step_due_on == received_on + timedelta(days=28)
    assert report.step_overdue3_on == received_on + timedelta(days=84)
    assert event(report, "care_report.triaged").attributes == {
        "decision": "joint_intake", "working_days": 0}
    assert event(report, "care_report.triaged").organisation_id == door.team_org.pk


def test_a_report_is_triaged_once(door):
    report = triaged(door)
    with pytest.raises(Refusal) as refused:
        triaging.triage(door.actor, report.pk, decision="advice")
    assert (refused.value.rule, refused.value.status) == ("already_triaged", 409)
    assert Triage.objects.filter(report=report).count() == 1


def test_a_second_triage_after_another_decision_is_refused_too(door):
    report = teacher_report(door)
    triaging.triage(door.actor, report.pk, decision="advice")
    with pytest.raises(Refusal) as refused:
        triaging.triage(door.actor, report.pk, decision="joint_intake")
    assert refused.value.rule == "already_triaged"


@pytest.mark.parametrize("decision", ["advice", "veilig_thuis"])
def test_advice_and_veilig_thuis_close_the_report(door, decision):
    report = teacher_report(door)
    triaging.triage(door.actor, report.pk, decision=decision)
    report.refresh_from_db()
    assert (report.step, report.close_reason) == ("closed", decision)
    assert report.closed_at is not None
    assert (report.step_due_on, report.step_overdue3_on) == (None, None)
    assert [e.activity for e in events(report)] == [
        "care_report.received", "care_report.triaged", "care_report.closed"]
    assert event(report, "care_report.closed").attributes == {"reason": decision}


def test_the_triage_may_change_the_urgency(door):
    report = teacher_report(door)
    triaging.triage(door.actor, report.pk, decision="joint_intake", urgency="crisis")
    done = Triage.objects.get(report=report)
    assert (done.urgency_before, done.urgency_after) == ("regular", "crisis")
    assert CareReport.objects.get(pk=report.pk).urgency == "crisis"


def test_the_neighbourhood_team_starts_the_plan_at_once(door):
    report = teacher_report(door)
    triaging.triage(door.actor, report.pk, decision="neighbourhood_team",
                    coordinator_id=door.coordinator.pk,
                    consent_given_by=[door.parent.pk, door.youth.pk])
    report.refresh_from_db()
    plan = Plan.objects.get(household=door.household)
    assert plan.pk == report.trajectory_key
    assert (plan.origin, plan.coordinator) == ("care_report", door.coordinator)
    assert (report.step, report.plan) == ("help_started", plan)
    assert report.step_due_on is None
    started = [e for e in events(report) if e.activity == "plan.started"]
    assert len(started) == 1 and started[0].attributes["origin"] == "care_report"


def test_the_front_door_records_consent_only_with_the_start(door):
    """The consent the family gave at the triage is recorded by the front door with the
    plan's start; afterwards the front door gives nobody a ground in that plan."""
    from jeugdketen.access.actions import give_consent
    from jeugdketen.access.models import Consent

    report = teacher_report(door)
    triaging.triage(door.actor, report.pk, decision="neighbourhood_team",
                    coordinator_id=door.coordinator.pk,
                    consent_given_by=[door.parent.pk, door.youth.pk])
    plan = Plan.objects.get(household=door.household)
    recorded = Consent.objects.filter(plan=plan).count()
    assert recorded >= 1
    with pytest.raises(AccessDenied):
        give_consent(door.actor, door.youth.pk, plan_id=plan.pk, given_by=[door.youth.pk],
                     organisation_id=door.youth_worker.organisation_id,
                     categories=["plan"])
    assert Consent.objects.filter(plan=plan).count() == recorded


@pytest.mark.parametrize(("change", "field"), [
    ({"coordinator_id": None}, "coordinator_id"),
    ({"coordinator_id": "youth_worker"}, "coordinator_id"),
    ({"consent_given_by": []}, "consent_given_by"),
])
def test_a_neighbourhood_team_triage_needs_the_team_coordinator_and_consent(
        door, change, field):
    report = teacher_report(door)
    kw = {"coordinator_id": door.coordinator.pk,
          "consent_given_by": [door.parent.pk, door.youth.pk]} | change
    if kw["coordinator_id"] == "youth_worker":
        kw["coordinator_id"] = door.youth_worker.pk
    with pytest.raises(Refusal) as refused:
        triaging.triage(door.actor, report.pk, decision="neighbourhood_team", **kw)
    assert refused.value.field == field
    assert not Triage.objects.exists() and not Plan.objects.exists()


@pytest.mark.parametrize(("kw", "field"), [
    ({"decision": "maybe"}, "decision"),
    ({"decision": "advice", "urgency": "tomorrow"}, "urgency"),
])
def test_a_bad_triage_is_refused_naming_the_field(door, kw, field):
    report = teacher_report(door)
    with pytest.raises(Refusal) as refused:
        triaging.triage(door.actor, report.pk, **kw)
    assert refused.value.field == field


def test_only_the_front_door_triages(door):
    report = teacher_report(door)
    with pytest.raises(AccessDenied):
        triaging.triage(door.teacher_actor, report.pk, decision="advice")


# --- the intake meeting --------------------------------------------------------------


def test_the_front_door_plans_one_joint_intake(door):
    report, meeting = planned(door, starts_at=timezone.now() + timedelta(days=3))
    assert report.step == "intake_planned"
    received_on = timezone.localdate(report.received_at)
    assert report.step_due_on == received_on + timedelta(days=28)  # still from the report
    assert meeting.joint and meeting.planned_by == door.front_door
    assert sorted(Invitation.objects.filter(meeting=meeting)
                  .values_list("organisation_id", "status")) == sorted(
        [(door.youth_care.pk, "invited"), (door.mental_health.pk, "invited")])
    assert event(report, "intake.planned").attributes == {"organisations": 2, "joint": True}


@pytest.mark.parametrize(("change", "field"), [
    ({"organisation_ids": []}, "organisation_ids"),
    ({"organisation_ids": [999999]}, "organisation_ids"),
    ({"ends_at": "same"}, "ends_at"),
    ({"starts_at": "naive"}, "starts_at"),
    ({"location": ""}, "location"),
    ({"joint": False}, "organisation_ids"),
])
def test_a_bad_intake_plan_is_refused_naming_the_field(door, change, field):
    report = triaged(door)
    starts = timezone.now() + timedelta(days=2)
    kw = {"organisation_ids": [door.youth_care.pk, door.mental_health.pk],
          "starts_at": starts, "ends_at": starts + timedelta(hours=1),
          "location": "https://video.example.test/intake"} | change
    if kw["ends_at"] == "same":
        kw["ends_at"] = starts
    if kw["starts_at"] == "naive":
        kw["starts_at"] = starts.replace(tzinfo=None)
    with pytest.raises(Refusal) as refused:
        meetings.plan_intake(door.actor, report.pk, **kw)
    assert refused.value.field == field


def test_a_single_organisation_intake_is_recorded_for_comparison(door):
    report = triaged(door)
    starts = timezone.now() + timedelta(days=2)
    meeting = meetings.plan_intake(door.actor, report.pk, organisation_ids=[door.youth_care.pk],
                                   starts_at=starts, ends_at=starts + timedelta(hours=1),
                                   location="Jeugdhulp Noord", joint=False)
    assert not meeting.joint
    assert event(report, "intake.planned").attributes == {"organisations": 1, "joint": False}


def test_one_organisation_after_the_other_each_intake_is_held(door):
    """Today's way: each organisation's own intake is held, one after the other; the
    report waits in "intake planned" until the last one records the outcome."""
    report = triaged(door)
    held_at = timezone.now() - timedelta(hours=2)
    first = meetings.plan_intake(door.actor, report.pk, organisation_ids=[door.youth_care.pk],
                                 starts_at=held_at, ends_at=held_at + timedelta(hours=1),
                                 location="Jeugdhulp Noord", joint=False)
    meetings.hold_single_intake(door.actor, first.pk, at=held_at + timedelta(hours=1))
    with pytest.raises(Refusal) as twice:
        meetings.hold_single_intake(door.actor, first.pk)
    assert (twice.value.rule, twice.value.status) == ("intake_held", 409)
    report.refresh_from_db()
    assert report.step == "intake_planned"
    held = [e for e in events(report) if e.activity == "intake.held"]
    assert len(held) == 1 and held[0].attributes["joint"] is False
    # Counted in days in the Netherlands (0, but -1 when the intake, an hour before the
    # report in this test, falls before midnight and the report after it).
    assert held[0].attributes["days_since_report"] == (
        timezone.localdate(held_at + timedelta(hours=1))
        - timezone.localdate(report.received_at)).days


def test_a_joint_intake_is_held_with_its_outcome_only(door):
    report = triaged(door)
    starts = timezone.now() - timedelta(hours=2)
    meeting = meetings.plan_intake(door.actor, report.pk, organisation_ids=[door.youth_care.pk],
                                   starts_at=starts, ends_at=starts + timedelta(hours=1),
                                   location="Voordeur")
    with pytest.raises(Refusal) as refused:
        meetings.hold_single_intake(door.actor, meeting.pk)
    assert (refused.value.rule, refused.value.field) == ("joint_intake", "meeting_id")


def test_an_intake_is_planned_after_the_triage(door):
    report = teacher_report(door)
    starts = timezone.now() + timedelta(days=2)
    with pytest.raises(Refusal) as refused:
        meetings.plan_intake(door.actor, report.pk, organisation_ids=[door.youth_care.pk],
                             starts_at=starts, ends_at=starts + timedelta(hours=1),
                             location="Wijkcentrum")
    assert refused.value.status == 409


def test_invited_organisations_accept_or_decline(door):
    door.intake_consent(door.youth_care)
    door.intake_consent(door.mental_health)
    _report, meeting = planned(door)
    accepted = meetings.answer_invitation(door.actor_of(door.youth_worker), meeting.pk,
                                          door.youth_care.pk, accept=True)
    assert (accepted.status, accepted.professional) == ("accepted", door.youth_worker)
    assert accepted.answered_at is not None
    with pytest.raises(Refusal) as refused:
        meetings.answer_invitation(door.actor_of(door.therapist), meeting.pk,
                                   door.mental_health.pk, accept=False)
    assert refused.value.field == "reason"
    declined = meetings.answer_invitation(door.actor_of(door.therapist), meeting.pk,
                                          door.mental_health.pk, accept=False,
                                          reason="Geen plek deze maand.")
    assert (declined.status, declined.reason) == ("declined", "Geen plek deze maand.")
    with pytest.raises(Refusal) as refused:
        meetings.answer_invitation(door.actor_of(door.youth_worker), meeting.pk,
                                   door.youth_care.pk, accept=False, reason="toch niet")
    assert (refused.value.rule, refused.value.status) == ("already_answered", 409)


def test_an_organisation_answers_only_its_own_invitation(door):
    door.intake_consent(door.youth_care)
    door.intake_consent(door.mental_health)
    _report, meeting = planned(door)
    with pytest.raises((Refusal, AccessDenied)):
        meetings.answer_invitation(door.actor_of(door.youth_worker), meeting.pk,
                                   door.mental_health.pk, accept=False, reason="Namens GGZ")
    # The front door records an answer given to it, naming who comes.
    with pytest.raises(Refusal) as refused:
        meetings.answer_invitation(door.actor, meeting.pk, door.mental_health.pk,
                                   accept=True, professional_id=door.youth_worker.pk)
    assert refused.value.field == "professional_id"
    answer = meetings.answer_invitation(door.actor, meeting.pk, door.mental_health.pk,
                                        accept=True, professional_id=door.therapist.pk)
    assert answer.professional == door.therapist


def test_an_invited_organisation_answers_without_seeing_the_report(door):
    """The invitation (date, place, its own answer) is the organisation's; the report's
    content waits for the family's consent."""
    report, meeting = planned(door)
    answer = meetings.answer_invitation(door.actor_of(door.youth_worker), meeting.pk,
                                        door.youth_care.pk, accept=True)
    assert answer.status == "accepted"
    with pytest.raises(AccessDenied):
        selectors.report_for(door.actor_of(door.youth_worker), report.pk)


def test_an_organisation_that_was_not_invited_does_not_answer(door):
    _report, meeting = planned(door)
    outsider = f.ProfessionalFactory(organisation=f.OrganisationFactory(
        municipality=door.municipality, kind="youth_care_provider"))
    with pytest.raises(AccessDenied):
        meetings.answer_invitation(door.actor_of(outsider), meeting.pk,
                                   door.youth_care.pk, accept=True)


def test_a_declined_discipline_is_replaced(door):
    _report, meeting = planned(door)
    meetings.answer_invitation(door.actor, meeting.pk, door.mental_health.pk, accept=False,
                               reason="Geen plek.")
    other = f.OrganisationFactory(name="Opvoedpoli", kind="mental_health_care",
                                  municipality=door.municipality)
    with pytest.raises(Refusal) as refused:
        meetings.replace_invitation(door.actor, meeting.pk, door.youth_care.pk,
                                    by_organisation_id=other.pk)
    assert (refused.value.status, refused.value.field) == (409, "organisation_id")
    with pytest.raises(Refusal) as refused:
        meetings.replace_invitation(door.actor, meeting.pk, door.mental_health.pk,
                                    by_organisation_id=door.youth_care.pk)
    assert (refused.value.rule, refused.value.field) == ("already_invited",
                                                         "by_organisation_id")
    # An invited organisation answers for itself; replacing is the front door's.
    with pytest.raises(Refusal) as refused:
        meetings.replace_invitation(door.actor_of(door.youth_worker), meeting.pk,
                                    door.mental_health.pk, by_organisation_id=other.pk)
    assert (refused.value.rule, refused.value.status) == ("front_door_only", 403)
    new = meetings.replace_invitation(door.actor, meeting.pk, door.mental_health.pk,
                                      by_organisation_id=other.pk)
    assert (new.organisation, new.status) == (other, "invited")
    assert Invitation.objects.get(meeting=meeting, organisation=door.mental_health
                                  ).status == "replaced"


# --- the outcome -----------------------------------------------------------------------


def _accept(door, meeting) -> None:
    door.intake_consent(door.youth_care)
    meetings.answer_invitation(door.actor_of(door.youth_worker), meeting.pk,
                               door.youth_care.pk, accept=True)
    meetings.answer_invitation(door.actor, meeting.pk, door.mental_health.pk, accept=False,
                               reason="Geen plek.")


def test_the_intake_starts_one_plan_with_its_goals_and_team(door):
    report, meeting = planned(door)
    _accept(door, meeting)
    outcome = meetings.hold_intake(
        door.actor, meeting.pk, participant_ids=[door.front_door.pk, door.youth_worker.pk],
        family_present_ids=[door.parent.pk, door.youth.pk],
        question_understood="Noor wil weer naar school; thuis is het onrustig.",
        goals=[goal(door.child), goal(door.youth, title="Daan slaapt elke nacht thuis")],
        coordinator_id=door.coordinator.pk, decision="plan",
        consent_given_by=[door.parent.pk, door.youth.pk])
    report.refresh_from_db()
    plan = Plan.objects.get(household=door.household)
    assert plan.pk == report.trajectory_key  # one key from the report to the plan's close
    assert (report.step, report.plan, report.step_due_on) == ("help_started", plan, None)
    assert (plan.origin, plan.coordinator) == ("care_report", door.coordinator)
    goals = {g.title: g for g in Goal.objects.filter(plan=plan)}
    assert set(goals) == {"Noor gaat minstens drie dagen per week naar school",
                          "Daan slaapt elke nacht thuis"}
    assert goals["Daan slaapt elke nacht thuis"].levels == LEVELS
    assert list(goals["Daan slaapt elke nacht thuis"].persons.all()) == [door.youth]
    # The team: who the accepting organisation sent; the front door is not in it.
    team = list(TeamMember.objects.filter(plan=plan).values_list("professional", "role"))
    assert team == [(door.youth_worker.pk, "Jeugdhulpaanbieder")]
    assert outcome.goals.count() == 2
    assert set(outcome.family_present.all()) == {door.parent, door.youth}
    assert Outcome.objects.get(pk=outcome.pk).meeting.held_at is not None
    held = event(report, "intake.held")
    assert held.attributes == {
        "joint": True, "disciplines": 1, "days_since_report": 0,
        "starts_at": meeting.starts_at.isoformat(), "ends_at": meeting.ends_at.isoformat()}
    assert event(report, "intake.decided").attributes == {"decision": "plan"}
    activities = [e.activity for e in events(report)]
    assert activities[:5] == ["care_report.received", "care_report.triaged", "intake.planned",
                              "intake.held", "intake.decided"]
    assert {"plan.started", "goal.set", "team.joined"} <= set(activities)
    assert event(report, "plan.started").attributes["origin"] == "care_report"


def test_a_second_outcome_is_refused(door):
    report, meeting = planned(door)
    meetings.hold_intake(door.actor, meeting.pk, participant_ids=[door.front_door.pk],
                         decision="advice")
    with pytest.raises(Refusal) as refused:
        meetings.hold_intake(door.actor, meeting.pk, participant_ids=[door.front_door.pk],
                             decision="advice")
    assert refused.value.status == 409
    assert CareReport.objects.get(pk=report.pk).close_reason == "advice"


@pytest.mark.parametrize(("change", "field"), [
    ({"participant_ids": []}, "participant_ids"),
    ({"participant_ids": [999999]}, "participant_ids"),
    ({"decision": "wait"}, "decision"),
    ({"coordinator_id": None}, "coordinator_id"),
    ({"goals": []}, "goals"),
    ({"goals": "child-no-levels"}, "goals[0].levels"),
    ({"goals": "child-empty-level"}, "goals[0].levels.0"),
    ({"goals": "child-no-title"}, "goals[0].title"),
    ({"goals": "stranger"}, "goals[0].person_ids"),
    ({"family_present_ids": "stranger"}, "family_present_ids"),
    ({"consent_given_by": []}, "consent_given_by"),
    ({"decision": "referral", "referral_result": ""}, "referral_result"),
])
def test_a_bad_outcome_is_refused_naming_the_field(door, change, field):
    report, meeting = planned(door)
    stranger = f.PersonFactory()
    goals = {"child-no-levels": [goal(door.child, levels={"0": "3 dagen"})],
             "child-empty-level": [goal(door.child, levels=LEVELS | {"0": " "})],
             "child-no-title": [goal(door.child, title="")],
             "stranger": [goal(stranger)]}
    kw = {"participant_ids": [door.front_door.pk], "goals": [goal(door.child)],
          "coordinator_id": door.coordinator.pk, "decision": "plan",
          "consent_given_by": [door.parent.pk, door.youth.pk]} | change
    if isinstance(kw["goals"], str):
        kw["goals"] = goals[kw["goals"]]
    if kw.get("family_present_ids") == "stranger":
        kw["family_present_ids"] = [stranger.pk]
    with pytest.raises(Refusal) as refused:
        meetings.hold_intake(door.actor, meeting.pk, **kw)
    assert refused.value.field == field
    assert not Outcome.objects.exists() and not Plan.objects.exists()
    assert CareReport.objects.get(pk=report.pk).step == "intake_planned"


def test_an_intake_is_held_after_it_starts(door):
    _report, meeting = planned(door, starts_at=timezone.now() + timedelta(days=1))
    with pytest.raises(Refusal) as refused:
        meetings.hold_intake(door.actor, meeting.pk, participant_ids=[door.front_door.pk],
                             decision="advice")
    assert refused.value.status == 409


def test_a_referral_waits_for_help_to_start(door):
    report, meeting = planned(door)
    meetings.hold_intake(door.actor, meeting.pk, participant_ids=[door.front_door.pk],
                         decision="referral",
                         referral_result="Noor kan weer slapen zonder angst.")
    report.refresh_from_db()
    assert (report.step, report.step_since) == ("intake_held", today())
    assert report.step_due_on == today() + timedelta(days=70)  # help within ten weeks
    assert report.step_overdue3_on == today() + timedelta(days=210)
    with pytest.raises(Refusal) as refused:
        reports.record_help_started(door.actor, report.pk, on=today() + timedelta(days=1))
    assert refused.value.field == "on"
    reports.record_help_started(door.actor, report.pk, on=today())
    report.refresh_from_db()
    assert (report.step, report.step_due_on) == ("help_started", None)
    assert event(report, "care_report.help_started").attributes == {"days_since_report": 0}
    assert event(report, "intake.decided").attributes == {"decision": "referral"}


def test_help_started_is_recorded_after_an_intake(door):
    report = teacher_report(door)
    with pytest.raises(Refusal) as refused:
        reports.record_help_started(door.actor, report.pk)
    assert (refused.value.status, refused.value.field) == (409, "on")


# --- close ---------------------------------------------------------------------------


def test_the_front_door_closes_a_withdrawn_report(door):
    report = teacher_report(door)
    with pytest.raises(Refusal) as refused:
        reports.close(door.actor, report.pk, reason="bored")
    assert refused.value.field == "reason"
    reports.close(door.actor, report.pk, reason="withdrawn")
    report.refresh_from_db()
    assert (report.step, report.close_reason) == ("closed", "withdrawn")
    assert event(report, "care_report.closed").attributes == {"reason": "withdrawn"}
    with pytest.raises(Refusal) as refused:
        reports.close(door.actor, report.pk, reason="withdrawn")
    assert refused.value.status == 409


def test_the_reporter_does_not_close(door):
    report = teacher_report(door)
    with pytest.raises(AccessDenied):
        reports.close(door.teacher_actor, report.pk, reason="withdrawn")


# --- no content in the chain log -----------------------------------------------------


def test_the_chain_events_carry_no_content(door):
    report, meeting = planned(door)
    meetings.hold_intake(door.actor, meeting.pk, participant_ids=[door.front_door.pk],
                         decision="referral", question_understood="Angst om naar huis te gaan",
                         referral_result="Noor kan weer slapen zonder angst.")
    dumped = json.dumps([e.attributes for e in events(report)])
    for content in ("Noor", "Bakker", "school", "Angst", "slapen", "schooling",
                    "emotional_support", "0612345678", "example.test", "Wijkcentrum"):
        assert content not in dumped
