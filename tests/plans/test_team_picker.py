"""The plan's team picker: it searches as you type (htmx) by name or organisation, shows
each professional's organisation, and offers only whom the coordinator may add (a
professional of the municipality, not yet in the team, whose organisation holds consent
for this plan of every member). Nobody else learns anything from it: a team member, a
stranger and an unknown plan get the same 403. Without JavaScript the search is a GET of
the family page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jeugdketen.plans import actions
from tests import factories as f

from .conftest import consent_all

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.REQUIRE_2FA = False


def login(prof: Any) -> Client:
    client = Client(HTTP_USER_AGENT="pytest-plans")
    client.force_login(prof.user)
    return client


def pick(client: Client, plan: Any, **params: str) -> Any:
    return client.get(reverse("pick_team", args=[plan.pk]), params, HTTP_HX_REQUEST="true")


def names(response: Any) -> list[str]:
    return re.findall(r'name="tp-professional_id" value="\d+"[^>]*> ([^<]+)</label>',
                      response.content.decode())


def test_offers_only_professionals_of_organisations_with_consent(family, plan):
    coordinator = login(family.coordinator)
    f.ProfessionalFactory(organisation=family.school, roles=["professional"],
                          full_name="Bart Bijles")
    elsewhere = f.OrganisationFactory(name="Jeugdzorg Elders", municipality=family.team_org.municipality)
    f.ProfessionalFactory(organisation=elsewhere, roles=["professional"], full_name="Els Elders")
    # No consent yet for the school: nobody from it is offered.
    assert names(pick(coordinator, plan)) == []
    assert "nog niemand die u aan het team kunt toevoegen" in pick(coordinator, plan).content.decode()
    consent_all(family, family.school)
    found = names(pick(coordinator, plan))
    assert found == ["Bart Bijles (Basisschool De Linde)", "Ilse Intern (Basisschool De Linde)"]
    assert names(pick(coordinator, plan, team_zoek="ilse")) == [
        "Ilse Intern (Basisschool De Linde)"]
    assert len(names(pick(coordinator, plan, team_zoek="linde"))) == 2
    assert names(pick(coordinator, plan, team_zoek="Elders")) == []
    # Once in the team, a professional is no longer offered.
    actions.add_team_member(family.actor, plan.pk, role="Intern begeleider",
                            professional_id=family.teacher.pk)
    assert names(pick(coordinator, plan)) == ["Bart Bijles (Basisschool De Linde)"]


def test_nobody_else_learns_anything(family, plan):
    consent_all(family, family.school)
    actions.add_team_member(family.actor, plan.pk, role="Intern begeleider",
                            professional_id=family.teacher.pk)
    f.ProfessionalFactory(organisation=family.school, roles=["professional"],
                          full_name="Bart Bijles")
    stranger = f.ProfessionalFactory(organisation=family.team_org, roles=["professional"])
    forbidden = [pick(login(family.teacher), plan), pick(login(stranger), plan)]
    unknown = login(family.coordinator).get(
        reverse("pick_team", args=["00000000-0000-4000-8000-000000000000"]))
    for response in [*forbidden, unknown]:
        assert response.status_code == 403
        assert "Bart" not in response.content.decode() and names(response) == []


def test_without_javascript_the_family_page_searches(family, plan):
    consent_all(family, family.school)
    f.ProfessionalFactory(organisation=family.school, roles=["professional"],
                          full_name="Bart Bijles")
    coordinator = login(family.coordinator)
    page = coordinator.get(reverse("plan", args=[plan.pk]), {"team_zoek": "bart"})
    body = page.content.decode()
    assert 'id="form-team-professional" open' in body
    assert "Bart Bijles (Basisschool De Linde)" in body and "Ilse Intern (" not in body
    assert 'form="team-search"' in body
    joined = coordinator.post(reverse("plan_form", args=[plan.pk, "team-professional"]), {
        "tp-professional_id": str(family.teacher.pk), "tp-role": "Intern begeleider"})
    assert joined.status_code == 302


def test_picker_queries_do_not_grow(family, plan):
    consent_all(family, family.school)
    coordinator = login(family.coordinator)
    pick(coordinator, plan)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert pick(coordinator, plan).status_code == 200
        return len(captured)

    for i in range(5):
        f.ProfessionalFactory(organisation=family.school, roles=["professional"],
                              full_name=f"Eerste {i}")
    few = count()
    for i in range(5):
        f.ProfessionalFactory(organisation=family.school, roles=["professional"],
                              full_name=f"Later {i}")
    assert count() == few
