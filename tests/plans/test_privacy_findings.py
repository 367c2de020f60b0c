"""Regression tests for issue 8, finding 1: the family's relationships with organisations
belong to the family, not to whoever coordinates one of its plans.

(a) Having entered every member does not start a plan; the family's consent does, and the
    starter then coordinates it, with the consents recorded for that plan.
(b) The coordinator of a new plan does not see the consents given for another plan of the
    family, nor a legal basis of an organisation outside the plan.
(c) The coordinator cannot withdraw a consent given for another plan (ids are sequential).
(d) The coordinator cannot record Veilig Thuis' legal basis for Veilig Thuis; Veilig Thuis'
    own professional who entered the child can.
(e) The refusal of a second open plan names the open plan only to someone who may read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jeugdketen.access import actions as access
from jeugdketen.access.models import AccessLogRecord, Consent, LegalBasis
from jeugdketen.core.errors import Refusal
from jeugdketen.plans import actions
from jeugdketen.plans.models import Plan
from jeugdketen.registry.models import Professional
from tests import factories as f

from .conftest import Family, consent_all, coordinated_match_about, rule_of

pytestmark = pytest.mark.django_db

ALL = ["base_data", "analysis", "plan", "evaluations"]


def givers(family: Family) -> list[Any]:
    """The family's consent: the parent, and the youth of 14 together with the parent."""
    return [family.parent.pk, family.youth.pk]


def denied(prof: Professional, **kw: Any) -> Any:
    return AccessLogRecord.objects.filter(username=prof.user.username, outcome="denied", **kw)


@dataclass
class Later:
    """A first plan (closed) during which the school had the family's consent, and a second
    plan started later, on the family's consent, by a coordinator of another team."""

    first: Plan
    school_consents: list[Consent]
    plan: Plan
    coordinator: Professional


@pytest.fixture
def later(family: Family, plan: Plan, municipality: Any) -> Later:
    school_consents = consent_all(family, family.school)
    actions.close_plan(family.actor, plan.pk, reason_code="01",
                       can_continue_without_help=True, satisfaction=7)
    west = f.OrganisationFactory(name="Wijkteam West", municipality=municipality,
                                 may_coordinate=True)
    coordinator = f.ProfessionalFactory(organisation=west, roles=["coordinator"],
                                        full_name="Wim West")
    for person in family.members:
        f.RegistrationFactory(person=person, professional=coordinator)
    second = actions.start_plan(f.professional_actor(coordinator), family.household.pk,
                                coordinator.pk, consent_given_by=givers(family))
    return Later(plan, school_consents, second, coordinator)


def basis_by_own_professional(municipality: Any, *, name: str, kind: str, org_kind: str,
                              reference: str, persons: list[Any]) -> Professional:
    """An organisation that holds a legal basis records it itself: its professional entered
    the persons."""
    org = f.OrganisationFactory(kind=org_kind, municipality=municipality, name=name)
    prof = f.ProfessionalFactory(organisation=org, roles=["professional"])
    until = timezone.localdate() + timedelta(days=365)
    for person in persons:
        f.RegistrationFactory(person=person, professional=prof)
        access.record_legal_basis(f.professional_actor(prof), person.pk,
                                  organisation_id=org.pk, kind=kind, reference=reference,
                                  valid_until=until)
    return prof


# --- (a) entering the family is not enough to start a plan ----------------------------


def test_a_professional_who_entered_the_family_starts_a_plan_only_on_its_consent(
        family, api_client_for):
    response = api_client_for(family.coordinator).post("/plans", {
        "household_id": str(family.household.pk), "coordinator_id": family.coordinator.pk})
    assert response.status_code == 403
    assert not Plan.objects.exists() and not Consent.objects.exists()
    assert denied(family.coordinator, data="plan", action="create").exists()

    plan = actions.start_plan(family.actor, family.household.pk, family.coordinator.pk,
                              consent_given_by=givers(family))
    assert plan.coordinator_id == family.coordinator.pk and plan.origin == "direct"
    started = AccessLogRecord.objects.filter(username=family.coordinator.user.username,
                                             data="plan", action="create", outcome="allowed")
    assert {r.ground for r in started} == {"consent"}
    consents = Consent.objects.filter(plan=plan)
    assert {c.person_id: ({g.pk for g in c.given_by.all()}, c.organisation_id, c.categories)
            for c in consents} == {
        family.parent.pk: ({family.parent.pk}, family.team_org.pk, ALL),
        family.child.pk: ({family.parent.pk}, family.team_org.pk, ALL),
        family.youth.pk: ({family.parent.pk, family.youth.pk}, family.team_org.pk, ALL)}
    assert api_client_for(family.coordinator).get(f"/plans/{plan.pk}").status_code == 200


# --- (b) the coordinator sees the consents of their own plan only ---------------------


def test_the_coordinator_of_a_new_plan_does_not_see_the_familys_other_relationships(
        family, later, municipality, settings):
    settings.REQUIRE_2FA = False
    safe_home = basis_by_own_professional(
        municipality, name="Veilig Thuis Testdam", kind="veilig_thuis",
        org_kind="veilig_thuis", reference="VT-2025-0099", persons=[family.child])
    guardian = basis_by_own_professional(
        municipality, name="GI Noord", kind="child_protection",
        org_kind="certified_institution", reference="OTS-2025-0042", persons=family.members)
    coordinator = f.professional_actor(later.coordinator)
    # The institution joins the team itself on its measure (issue 8, review finding 3).
    actions.join_team(f.professional_actor(guardian), later.plan.pk, role="jeugdbeschermer")
    own = access.give_consent(coordinator, family.child.pk, plan_id=later.plan.pk,
                              given_by=[family.parent.pk],
                              organisation_id=family.school.pk, categories=["plan"])

    client = Client(HTTP_USER_AGENT="pytest-plans")
    client.force_login(later.coordinator.user)
    response = client.get(reverse("plan", kwargs={"plan_id": later.plan.pk}))
    assert response.status_code == 200
    shown = {str(c["person"].pk): c for c in response.context["consents"]}
    consents = {c.pk for row in shown.values() for c in row["consents"]}
    assert consents == set(Consent.objects.filter(plan=later.plan).values_list("pk", flat=True))
    assert own.pk in consents
    assert not consents & {c.pk for c in later.school_consents}
    bases = {b.organisation_id for row in shown.values() for b in row["legal_bases"]}
    assert bases == {guardian.organisation_id}
    body = response.content.decode()
    assert "OTS-2025-0042" in body and "VT-2025-0099" not in body
    for consent in later.school_consents:
        assert f"/toestemming-intrekken/{consent.pk}" not in body
    assert safe_home.organisation_id not in bases


# --- (c) the coordinator withdraws only consents of their own plan --------------------


def test_the_coordinator_cannot_withdraw_a_consent_given_for_another_plan(
        family, later, api_client_for):
    api = api_client_for(later.coordinator)
    own = access.give_consent(f.professional_actor(later.coordinator), family.child.pk,
                              plan_id=later.plan.pk, given_by=[family.parent.pk],
                              organisation_id=family.school.pk, categories=["plan"])
    others = Consent.objects.exclude(plan=later.plan)
    assert others.filter(pk__lt=own.pk).count() == 6  # the first plan's: sequential ids
    for consent in others:
        response = api.post(f"/consents/{consent.pk}/withdraw")
        assert response.status_code == 403, consent.pk
    assert not Consent.objects.filter(withdrawn_at__isnull=False).exists()
    refused = denied(later.coordinator, data="consent", action="update")
    assert {r.client_id for r in refused} == {str(p.pk) for p in family.members}
    assert refused.count() == others.count()
    withdrawn = api.post(f"/consents/{own.pk}/withdraw")
    assert withdrawn.status_code == 200 and withdrawn.json()["withdrawn_at"]


# --- (d) a legal basis is recorded by the organisation that holds it ------------------


def test_the_coordinator_cannot_record_veilig_thuis_legal_basis_for_veilig_thuis(
        family, plan, municipality, api_client_for):
    safe_home = f.OrganisationFactory(name="Veilig Thuis Testdam", kind="veilig_thuis",
                                      municipality=municipality)
    until = (timezone.localdate() + timedelta(days=180)).isoformat()
    payload = {"person_id": str(family.child.pk), "organisation_id": safe_home.pk,
               "kind": "veilig_thuis", "reference": "VT-2025-0099", "valid_until": until}
    refused = api_client_for(family.coordinator).post("/legal-bases", payload)
    assert refused.status_code in (403, 422)
    assert not LegalBasis.objects.exists()
    assert denied(family.coordinator, data="legal_basis").exists()
    worker = f.ProfessionalFactory(organisation=safe_home, roles=["professional"])
    assert api_client_for(worker).post("/legal-bases", payload).status_code == 403
    f.RegistrationFactory(person=family.child, professional=worker)
    recorded = api_client_for(worker).post("/legal-bases", payload)
    assert recorded.status_code == 201, recorded.content
    basis = LegalBasis.objects.get()
    assert (basis.person_id, basis.organisation_id) == (family.child.pk, safe_home.pk)
    assert AccessLogRecord.objects.get(username=worker.user.username, data="legal_basis",
                                       outcome="allowed").ground == "own_organisation"


# --- (e) the open plan is named only to someone who may read it -----------------------


def test_the_refusal_of_a_second_plan_names_the_open_plan_only_to_a_reader(
        family, plan, municipality, api_client_for):
    outsider = f.ProfessionalFactory(
        organisation=f.OrganisationFactory(municipality=municipality, may_coordinate=True),
        roles=["coordinator"])
    match = coordinated_match_about(family.child, outsider)
    refused = api_client_for(outsider).post("/plans", {
        "household_id": str(family.household.pk), "coordinator_id": outsider.pk,
        "match_id": match.pk})
    assert refused.status_code == 409 and rule_of(refused) == "open_plan_exists"
    assert "existing" not in refused.json()
    assert str(plan.pk) not in refused.content.decode()
    for person in family.members:
        f.RegistrationFactory(person=person, professional=outsider)
    with pytest.raises(Refusal) as on_consent:
        actions.start_plan(f.professional_actor(outsider), family.household.pk, outsider.pk,
                           consent_given_by=givers(family))
    assert on_consent.value.rule == "open_plan_exists" and not on_consent.value.existing

    own_match = coordinated_match_about(family.youth, family.coordinator)
    reader = api_client_for(family.coordinator).post("/plans", {
        "household_id": str(family.household.pk), "coordinator_id": family.coordinator.pk,
        "match_id": own_match.pk})
    assert reader.status_code == 409 and reader.json()["existing"]["id"] == str(plan.pk)
    assert Plan.objects.filter(household=family.household).count() == 1


def test_the_api_starts_a_plan_on_the_familys_consent(family, api_client_for):
    """POST /plans with `consent_given_by_person_ids`: the coordinator who entered the family
    starts it; without the consent it is 403."""
    api = api_client_for(family.coordinator)
    body = {"household_id": str(family.household.pk), "coordinator_id": family.coordinator.pk}
    assert api.post("/plans", body).status_code == 403
    started = api.post("/plans", {**body, "consent_given_by_person_ids": [
        str(family.parent.pk), str(family.youth.pk)]})
    assert started.status_code == 201, started.json()
    assert started.json()["coordinator_id"] == family.coordinator.pk
