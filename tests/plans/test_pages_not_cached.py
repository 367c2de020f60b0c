"""Finding 10 of issue 8: nothing with personal data may be kept in a browser's or a
proxy's cache. Every page (HTML, PDF, JSON) a professional, a privacy officer or the
family opens says `Cache-Control: no-store`, also the pages whose views add nothing
themselves (config.middleware.ResponseRulesMiddleware)."""

from __future__ import annotations

import pytest
from django.test import Client

from jeugdketen.referral_index import actions as referral
from tests import factories as f

pytestmark = pytest.mark.django_db


def client(user) -> Client:
    c = Client(HTTP_USER_AGENT="pytest-cache")
    c.force_login(user)
    return c


def test_no_page_with_personal_data_may_be_cached(family, plan, settings):
    settings.REQUIRE_2FA = False
    child = family.child
    signal = referral.register_signal(family.actor, child.pk).signal
    privacy = f.ProfessionalFactory(roles=["privacy_officer"], organisation=f.OrganisationFactory(
        kind="municipality", municipality=family.team_org.municipality))
    citizen = f.UserFactory(person=family.parent)
    pages = [
        (family.coordinator, "/"),
        (family.coordinator, f"/personen/{child.pk}/"),
        (family.coordinator, f"/huishoudens/{family.household.pk}/"),
        (family.coordinator, "/plannen/"),
        (family.coordinator, f"/plannen/{plan.pk}/"),
        (family.coordinator, f"/plannen/{plan.pk}/versies/"),
        (family.coordinator, "/verwijsindex/signalen/"),
        (family.coordinator, f"/verwijsindex/signalen/{signal.pk}/"),
        (family.coordinator, f"/verwijsindex/signalen/{signal.pk}/brief/"),
        (family.coordinator, f"/verwijsindex/signalen/{signal.pk}/brief.pdf"),
        (family.coordinator, "/verwijsindex/berichten/"),
        (privacy, f"/toegang/{child.pk}/"),
        (privacy, f"/verwijsindex/rechten/{child.pk}/"),
        (privacy, f"/verwijsindex/rechten/{child.pk}/overzicht.pdf"),
        (privacy, f"/verwijsindex/rechten/{child.pk}/overzicht.json"),
        (citizen, "/toegang/"),
        (citizen, "/gezin/"),
        (citizen, f"/gezin/{plan.pk}/"),
    ]
    for who, url in pages:
        response = client(getattr(who, "user", who)).get(url)
        assert response.status_code == 200, (url, response.status_code)
        assert "no-store" in response.get("Cache-Control", ""), (url, response.headers)
    # Pages without a login (and error pages) are not cached either.
    for url in ("/login/", "/bestaat-niet/"):
        response = Client().get(url)
        assert "no-store" in response.get("Cache-Control", ""), url
