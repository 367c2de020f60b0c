"""Starting points on a person's page: a decision aid about this child, a signal for this
child, the family plan (open it, or start one). Each is offered only to a viewer who can
use it; the decision aid's ?person= is checked against the viewer's ground."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jeugdketen.access.models import AccessLogRecord
from tests import factories as f
from tests.pages import register, visible_text
from tests.plans.conftest import family as plan_family  # noqa: F401  (a fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_settings")]

GUIDE = "Een beslishulp invullen over dit kind"
SIGNAL = "Een signaal afgeven in de verwijsindex"
OPEN_PLAN = "Naar het gezinsplan"
START_PLAN = "Een gezinsplan starten"


def page_of(client, person) -> tuple[str, str]:
    response = client.get(reverse("person", args=[person.pk]))
    assert response.status_code == 200
    return visible_text(response.content), response.content.decode()


def test_registering_professional_gets_the_aid_and_the_signal(professional, client_for):
    child = register(professional, given_names="Fenna", family_name="Kok",
                     birth_date=f.birth_date_for_age(9))
    text, body = page_of(client_for(professional), child)
    assert GUIDE in text and SIGNAL in text
    assert f"{reverse('guide_index')}?person={child.pk}" in body
    assert f"{reverse('signal_register')}?person={child.pk}" in body
    assert OPEN_PLAN not in text and START_PLAN not in text  # no household, no plan


def test_no_signal_for_an_adult_or_an_organisation_that_may_not_signal(professional,
                                                                         client_for):
    adult = register(professional, given_names="Kees", family_name="Kok",
                     birth_date=f.birth_date_for_age(30))
    text, _body = page_of(client_for(professional), adult)
    assert SIGNAL not in text and GUIDE in text
    professional.organisation.may_signal = False
    professional.organisation.save()
    child = register(professional, given_names="Fenna", family_name="Kok",
                     birth_date=f.birth_date_for_age(9))
    text, _body = page_of(client_for(professional), child)
    assert SIGNAL not in text and GUIDE in text


def test_a_citizen_gets_no_starting_points(citizen_user, family, client_for):
    text, _body = page_of(client_for(citizen_user), family["child"])
    assert GUIDE not in text and SIGNAL not in text and START_PLAN not in text


def test_the_plan_start_and_the_open_plan(plan_family, client_for):  # noqa: F811
    client = client_for(plan_family.coordinator)
    text, body = page_of(client, plan_family.child)
    assert START_PLAN in text and OPEN_PLAN not in text
    assert f"{reverse('plan_start')}?household={plan_family.household.pk}" in body
    assert client.get(f"{reverse('plan_start')}?household={plan_family.household.pk}"
                      ).status_code == 200


def test_an_open_plan_is_offered_to_who_may_read_it(plan_family, client_for):  # noqa: F811
    from jeugdketen.plans import actions

    plan = actions.start_plan(plan_family.actor, plan_family.household.pk,
                              plan_family.coordinator.pk,
                              consent_given_by=[plan_family.parent.pk, plan_family.youth.pk])
    text, body = page_of(client_for(plan_family.coordinator), plan_family.youth)
    assert OPEN_PLAN in text and START_PLAN not in text
    assert reverse("plan", args=[plan.pk]) in body
    # The school's teacher, without consent for the plan, has no ground for the person at all.
    assert client_for(plan_family.teacher).get(
        reverse("person", args=[plan_family.youth.pk])).status_code == 403


def test_the_decision_aid_knows_the_child(professional, other_professional, client_for):
    child = register(professional, given_names="Fenna", family_name="Kok",
                     birth_date=f.birth_date_for_age(9))
    url = f"{reverse('guide_index')}?person={child.pk}"
    text = visible_text(client_for(professional).get(url).content)
    assert "Over: Fenna Kok" in text
    assert f"?person={child.pk}" in client_for(professional).get(url).content.decode()
    # Without a ground: 403, logged as denied, and the name is nowhere.
    before = AccessLogRecord.objects.filter(outcome="denied").count()
    response = client_for(other_professional).get(url)
    assert response.status_code == 403 and b"Fenna" not in response.content
    assert AccessLogRecord.objects.filter(outcome="denied").count() > before
    # An id nobody has answers the same.
    unknown = client_for(professional).get(
        f"{reverse('guide_index')}?person=00000000-0000-4000-8000-000000000000")
    assert unknown.status_code == 403
