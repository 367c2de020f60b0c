"""The front door's consent (issue 11, "One joint intake"): each invited organisation sees
the report only after the family's consent for that organisation (category `intake`, for
no plan, per person) or a legal basis. The front door records the consent the family gave
it with the planning of the intake (or the replacement of a declined discipline); the
family gives it in its own view too and withdraws it, which takes effect at once. Who may
give it is decided per person against the BRP (the person from 16, a custody holder
under 12, both from 12 to 15); the report's `consent_to_share` gives nobody a ground."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from jeugdketen.access import actions as access
from jeugdketen.access.audit import AccessDenied
from jeugdketen.access.models import AccessLogRecord, Consent
from jeugdketen.core.errors import Refusal
from jeugdketen.intake import selectors
from jeugdketen.intake.actions import meetings, reports
from jeugdketen.intake.actions import triage as triaging
from jeugdketen.intake.models import CareReport, IntakeMeeting
from tests import factories as f

from .conftest import report_input

pytestmark = pytest.mark.django_db


def triaged(door, **about) -> CareReport:
    about = about or {"person_id": door.child.pk}
    report = reports.report(door.teacher_actor, **about, **report_input())
    triaging.triage(door.actor, report.pk, decision="joint_intake")
    return CareReport.objects.get(pk=report.pk)


def plan(door, report, *organisations, consent_given_by=()):
    starts = timezone.now() + timedelta(days=3)
    return meetings.plan_intake(
        door.actor, report.pk,
        organisation_ids=[o.pk for o in organisations or [door.youth_care, door.mental_health]],
        starts_at=starts, ends_at=starts + timedelta(hours=1), location="Wijkcentrum De Haven",
        consent_given_by=consent_given_by)


def reads(door, professional, report) -> str:
    """The ground on which the professional reads the report ('' when denied)."""
    try:
        _found, decision = selectors.report_for(door.actor_of(professional), report.pk)
    except AccessDenied:
        return ""
    return str(decision.ground)


def intake_consents(**filters):
    return Consent.objects.filter(plan__isnull=True, categories=["intake"], **filters)


# --- recorded with the planning -------------------------------------------------------


def test_with_consent_at_the_planning_the_invited_organisations_read_the_report(door):
    report = triaged(door)
    plan(door, report, consent_given_by=[door.parent.pk])
    # One consent per invited organisation for the person the report is about (the child
    # of 8), given by the parent with custody; recorded by the front door.
    recorded = intake_consents(person=door.child)
    assert sorted(recorded.values_list("organisation_id", flat=True)) == sorted(
        [door.youth_care.pk, door.mental_health.pk])
    for consent in recorded:
        assert list(consent.given_by.all()) == [door.parent]
        assert consent.recorded_by == door.front_door.user and consent.withdrawn_at is None
    assert reads(door, door.youth_worker, report) == "intake_invitation"
    assert reads(door, door.therapist, report) == "intake_invitation"
    # Not an organisation that was not invited (consent or not).
    outsider = f.ProfessionalFactory(organisation=f.OrganisationFactory(
        municipality=door.municipality, kind="youth_care_provider"))
    assert reads(door, outsider, report) == ""


def test_without_consent_the_invited_organisation_does_not_read_the_report(door):
    """The reporter said the family agrees to share (`consent_to_share`): that is the
    reporter's word, not the family's consent, and gives nobody a ground."""
    report = triaged(door)
    assert report.consent_to_share
    plan(door, report)
    assert not intake_consents().exists()
    denied = AccessLogRecord.objects.filter(outcome="denied").count()
    assert reads(door, door.youth_worker, report) == ""
    assert AccessLogRecord.objects.filter(outcome="denied").count() == denied + 1
    assert CareReport.objects.get(pk=report.pk).consent_to_share  # unchanged


def test_the_family_withdraws_and_the_organisation_is_denied_at_once(door):
    report = triaged(door)
    plan(door, report, consent_given_by=[door.parent.pk])
    assert reads(door, door.youth_worker, report) == "intake_invitation"
    consent = intake_consents(person=door.child, organisation=door.youth_care).get()
    access.withdraw_consent(door.parent_actor, consent.pk)
    assert reads(door, door.youth_worker, report) == ""
    # The other organisation keeps its consent; the front door withdraws it on the
    # family's word.
    assert reads(door, door.therapist, report) == "intake_invitation"
    other = intake_consents(person=door.child, organisation=door.mental_health).get()
    assert access.withdraw_consent(door.actor, other.pk).withdrawn_at is not None
    assert reads(door, door.therapist, report) == ""


def test_a_household_report_needs_everyones_consent(door):
    """A report about the household: consent for every member, the youth of 14 with the
    parent; who gives it for whom follows from the BRP."""
    report = triaged(door, household_id=door.household.pk)
    plan(door, report, door.youth_care, consent_given_by=[door.parent.pk, door.youth.pk])
    givers = {c.person_id: sorted(str(p.pk) for p in c.given_by.all())
              for c in intake_consents(organisation=door.youth_care)}
    assert givers == {door.parent.pk: [str(door.parent.pk)],
                      door.child.pk: [str(door.parent.pk)],
                      door.youth.pk: sorted([str(door.parent.pk), str(door.youth.pk)])}
    assert reads(door, door.youth_worker, report) == "intake_invitation"


def test_a_youth_of_14_cannot_give_it_alone(door):
    report = triaged(door, person_id=door.youth.pk)
    with pytest.raises(Refusal) as refused:
        plan(door, report, consent_given_by=[door.youth.pk])
    assert (refused.value.rule, refused.value.field) == ("consent_given_together",
                                                         "consent_given_by")
    # Nothing of the planning was written: one transaction.
    assert not IntakeMeeting.objects.filter(report=report).exists()
    assert not intake_consents().exists()
    plan(door, report, consent_given_by=[door.youth.pk, door.parent.pk])
    assert reads(door, door.youth_worker, report) == "intake_invitation"


def test_a_parent_without_custody_cannot_give_it(door):
    father = f.PersonFactory(birth_date=f.birth_date_for_age(42))
    f.HouseholdMemberFactory(household=door.household, person=father, relation="parent",
                             brp_verified=True)
    f.kinship(door.child, father, parent=True, custody=False)
    report = triaged(door)
    with pytest.raises(Refusal) as refused:
        plan(door, report, consent_given_by=[father.pk])
    assert refused.value.field == "consent_given_by"
    assert not IntakeMeeting.objects.filter(report=report).exists()
    # ... nor in their own view.
    with pytest.raises(AccessDenied):
        access.give_consent(f.citizen_actor(father), door.child.pk, plan_id=None,
                            given_by=[father.pk], organisation_id=door.youth_care.pk,
                            categories=["intake"])
    # A giver who gives for nobody the report is about is refused too.
    with pytest.raises(Refusal) as refused:
        plan(door, report, consent_given_by=[door.parent.pk, father.pk])
    assert (refused.value.rule, refused.value.field) == ("consent_givers", "consent_given_by")


def test_a_replaced_discipline_gets_the_familys_consent_with_its_invitation(door):
    report = triaged(door)
    meeting = plan(door, report, consent_given_by=[door.parent.pk])
    meetings.answer_invitation(door.actor, meeting.pk, door.mental_health.pk, accept=False,
                               reason="Geen plek.")
    other = f.OrganisationFactory(name="Opvoedpoli", kind="mental_health_care",
                                  municipality=door.municipality)
    colleague = f.ProfessionalFactory(organisation=other, roles=["professional"])
    meetings.replace_invitation(door.actor, meeting.pk, door.mental_health.pk,
                                by_organisation_id=other.pk, consent_given_by=[door.parent.pk])
    assert reads(door, colleague, report) == "intake_invitation"
    # The declined organisation reads nothing any more, consent or not.
    assert reads(door, door.therapist, report) == ""


def test_a_consent_in_force_is_not_given_twice(door):
    """A second meeting with the same organisation: one consent per person and
    organisation, so one withdrawal withdraws it."""
    report = triaged(door)
    plan(door, report, door.youth_care, consent_given_by=[door.parent.pk])
    plan(door, report, door.youth_care, consent_given_by=[door.parent.pk])
    assert intake_consents(person=door.child, organisation=door.youth_care).count() == 1


# --- given by the family, and who may not record it ------------------------------------


def test_the_family_gives_it_in_its_own_view(door):
    report = triaged(door)
    plan(door, report)
    assert reads(door, door.youth_worker, report) == ""
    consent = access.give_consent(door.parent_actor, door.child.pk, plan_id=None,
                                  given_by=[door.parent.pk], organisation_id=door.youth_care.pk,
                                  categories=["intake"])
    assert (consent.plan_id, consent.categories) == (None, ["intake"])
    assert list(consent.given_by.all()) == [door.parent]
    assert reads(door, door.youth_worker, report) == "intake_invitation"
    assert reads(door, door.therapist, report) == ""  # for that organisation only
    # The youth of 14 cannot give it alone in their own view.
    with pytest.raises(Refusal) as refused:
        access.give_consent(f.citizen_actor(door.youth), door.youth.pk, plan_id=None,
                            given_by=[door.youth.pk], organisation_id=door.youth_care.pk,
                            categories=["intake"])
    assert refused.value.rule == "consent_given_together"


def test_the_invited_organisation_does_not_record_consent_for_itself(door):
    report = triaged(door)
    plan(door, report)
    with pytest.raises(AccessDenied):
        access.give_consent(door.actor_of(door.youth_worker), door.child.pk, plan_id=None,
                            given_by=[door.parent.pk], organisation_id=door.youth_care.pk,
                            categories=["intake"])
    assert reads(door, door.youth_worker, report) == ""


def test_another_municipalitys_front_door_does_not_record_it(door):
    report = triaged(door)
    plan(door, report)
    elsewhere = f.OrganisationFactory(kind="municipality")
    other_door = f.ProfessionalFactory(organisation=elsewhere, roles=["front_door"])
    with pytest.raises(AccessDenied):
        access.give_consent(f.professional_actor(other_door), door.child.pk, plan_id=None,
                            given_by=[door.parent.pk], organisation_id=door.youth_care.pk,
                            categories=["intake"])
    # Nor the municipality's front door once the report is closed (nothing to read).
    reports.close(door.actor, report.pk, reason="withdrawn")
    with pytest.raises(AccessDenied):
        access.give_consent(door.actor, door.child.pk, plan_id=None, given_by=[door.parent.pk],
                            organisation_id=door.youth_care.pk, categories=["intake"])


@pytest.mark.parametrize(("kw", "field", "rule"), [
    ({"plan_id": None, "categories": ["plan"]}, "plan_id", "consent_needs_plan"),
    ({"plan_id": None, "categories": ["intake", "plan"]}, "categories", "consent_intake_alone"),
    ({"plan_id": "plan", "categories": ["intake"]}, "plan_id", "consent_intake_without_plan"),
])
def test_intake_consent_is_for_no_plan_and_the_rest_for_a_plan(door, kw, field, rule):
    report = triaged(door)
    plan(door, report)
    if kw["plan_id"] == "plan":
        from jeugdketen.plans.models import Plan

        kw = kw | {"plan_id": Plan.objects.create(
            household=door.household, coordinator=door.coordinator, origin="direct",
            main_organisation=door.team_org).pk}
    with pytest.raises(Refusal) as refused:
        access.give_consent(door.actor, door.child.pk, given_by=[door.parent.pk],
                            organisation_id=door.youth_care.pk, **kw)
    assert (refused.value.field, refused.value.rule) == (field, rule)


# --- the API ---------------------------------------------------------------------------


def test_the_api_plans_with_consent_and_the_organisation_reads_the_whole_report(
        door, api_client_for):
    report = triaged(door)
    front, worker = api_client_for(door.front_door), api_client_for(door.youth_worker)
    starts = timezone.now() + timedelta(days=3)
    sent = {"organisation_ids": [door.youth_care.pk], "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(hours=1)).isoformat(), "location": "Wijkcentrum"}
    refused = front.post(f"/care-reports/{report.pk}/intakes",
                         sent | {"consent_given_by_person_ids": [str(door.child.pk)]})
    assert refused.status_code == 422, refused.content
    assert [e["field"] for e in refused.json()["errors"]] == ["consent_given_by_person_ids"]
    assert worker.get(f"/care-reports/{report.pk}").status_code == 403
    created = front.post(f"/care-reports/{report.pk}/intakes",
                         sent | {"consent_given_by_person_ids": [str(door.parent.pk)]})
    assert created.status_code == 201, created.content
    read = worker.get(f"/care-reports/{report.pk}")
    assert read.status_code == 200, read.content
    assert read.json()["projection"] == "full"
    assert read.json()["report"]["question"] == report.question


def test_the_api_records_and_withdraws_intake_consent(door, api_client_for):
    report = triaged(door)
    plan(door, report, door.youth_care)
    front, worker = api_client_for(door.front_door), api_client_for(door.youth_worker)
    sent = {"person_id": str(door.child.pk), "given_by_person_ids": [str(door.parent.pk)],
            "organisation_id": door.youth_care.pk, "categories": ["intake"]}
    # The invited organisation may not record it for itself.
    assert worker.post("/consents", sent).status_code == 403
    created = front.post("/consents", sent)
    assert created.status_code == 201, created.content
    assert (created.json()["plan_id"], created.json()["categories"]) == (None, ["intake"])
    assert worker.get(f"/care-reports/{report.pk}").json()["projection"] == "full"
    withdrawn = front.post(f"/consents/{created.json()['id']}/withdraw")
    assert withdrawn.status_code == 200 and withdrawn.json()["withdrawn_at"]
    assert worker.get(f"/care-reports/{report.pk}").status_code == 403
    # A plan's categories still need a plan: 422 naming plan_id.
    refused = front.post("/consents", sent | {"categories": ["plan"]})
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == ["plan_id"]


def test_the_api_bounds_the_givers(door, api_client_for):
    report = triaged(door)
    starts = timezone.now() + timedelta(days=3)
    response = api_client_for(door.front_door).post(f"/care-reports/{report.pk}/intakes", {
        "organisation_ids": [door.youth_care.pk], "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(hours=1)).isoformat(), "location": "Wijkcentrum",
        "consent_given_by_person_ids": [str(door.parent.pk)] * 21})
    assert response.status_code == 422
    assert [(e["field"], e["rule"]) for e in response.json()["errors"]] == [
        ("consent_given_by_person_ids", "too_long")]
    assert not IntakeMeeting.objects.filter(report=report).exists()
