"""My plans: search by a family member's name, BSN or birth date (only among the plans the
professional coordinates or is in the team of), sorting, paging; each listed plan is
logged as read for every member; the number of queries does not grow with the list."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jeugdketen.access.models import AccessLogRecord
from jeugdketen.plans import actions
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.REQUIRE_2FA = False


def login(prof: Any) -> Client:
    client = Client(HTTP_USER_AGENT="pytest-plans")
    client.force_login(prof.user)
    return client


def family_plan(coordinator: Any, neighbourhood: Any, name: str) -> Any:
    parent = f.PersonFactory(birth_date=f.birth_date_for_age(40), given_names="Ouder",
                             family_name=name, neighbourhood=neighbourhood)
    child = f.PersonFactory(birth_date=f.birth_date_for_age(8), given_names="Kind",
                            family_name=name, neighbourhood=neighbourhood)
    household = f.make_household(parents=[parent], children=[child])
    for person in (parent, child):
        f.RegistrationFactory(person=person, professional=coordinator)
    return actions.start_plan(f.professional_actor(coordinator), household.pk, coordinator.pk,
                              consent_given_by=[parent.pk])


@pytest.fixture
def coordinator(municipality):
    team = f.OrganisationFactory(name="Wijkteam Oost", municipality=municipality,
                                 may_coordinate=True)
    return f.ProfessionalFactory(organisation=team, roles=["coordinator"], full_name="Rita Regie")


def listed(client: Client, **params: str) -> str:
    response = client.get(reverse("my_plans"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_search_sort_and_logging(coordinator, neighbourhood, municipality):
    family_plan(coordinator, neighbourhood, "Aalders")
    zwart = family_plan(coordinator, neighbourhood, "Zwart")
    other = f.ProfessionalFactory(organisation=coordinator.organisation, roles=["coordinator"])
    family_plan(other, neighbourhood, "Vreemd")  # not theirs: never found
    client = login(coordinator)
    body = listed(client)
    assert "Ouder Aalders" in body and "Ouder Zwart" in body and "Vreemd" not in body
    found = listed(client, zoek="zwart")
    assert "Ouder Zwart" in found and "Aalders" not in found
    child = zwart.household.members.get(relation="child").person
    assert "Ouder Zwart" in listed(client, zoek=child.bsn)
    assert "Geen gezinsplan gevonden" in listed(client, zoek="Vreemd")
    newest = listed(client, sorteer="nieuw")
    oldest = listed(client, sorteer="oud")
    assert newest.index("Ouder Zwart") < newest.index("Ouder Aalders")  # started later
    assert oldest.index("Ouder Aalders") < oldest.index("Ouder Zwart")
    before = AccessLogRecord.objects.filter(object_type="plan", action="read").count()
    listed(client, zoek="zwart")
    assert AccessLogRecord.objects.filter(object_type="plan", action="read").count() - before == 2


def test_queries_do_not_grow_with_the_list(coordinator, neighbourhood):
    client = login(coordinator)
    listed(client)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            listed(client)
        return len(captured)

    for i in range(3):
        family_plan(coordinator, neighbourhood, f"Eerst{i}")
    few = count()
    for i in range(3):
        family_plan(coordinator, neighbourhood, f"Later{i}")
    assert count() == few
    assert "1 tot en met 6 van 6" in listed(client)
