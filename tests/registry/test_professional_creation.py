"""Finding 8 of issue 8: `POST /api/v1/professionals` makes the professional and its API
token in one action. One request, one transaction, one outcome: a functional administrator
gets 201 with a working token for their own municipality, and a refusal leaves no account
(no user, no professional, no token) behind."""

from __future__ import annotations

import pytest

from jeugdketen.access.models import AccessLogRecord, ApiToken, User
from jeugdketen.registry.models import Professional
from tests import factories as f
from tests.conftest import ApiClient, person_payload


def payload(organisation, **kw):
    return {"organisation_id": organisation.pk, "username": "m.bakker",
            "full_name": "Mila Bakker", "email": "m.bakker@example.test",
            "phone": "0612345678", "roles": ["professional"]} | kw


@pytest.fixture
def fa_api(api_client_for, functional_admin):
    return api_client_for(functional_admin)


def nothing_made() -> None:
    assert not User.objects.filter(username="m.bakker").exists()
    assert not Professional.objects.filter(full_name="Mila Bakker").exists()
    assert not ApiToken.objects.filter(user__username="m.bakker").exists()


def test_functional_admin_creates_a_professional_of_their_municipality(
        fa_api, organisation, postcode_address):
    response = fa_api.post("/professionals", payload(organisation))
    assert response.status_code == 201, response.content
    body = response.json()
    prof = Professional.objects.get(pk=body["id"])
    assert prof.user.username == "m.bakker"
    # No token for the administrator to act as the new professional (issue 8): the
    # professional links their own login with an activation code.
    assert body["api_token"] is None
    assert not ApiToken.objects.filter(user=prof.user).exists()
    code = fa_api.post(f"/professionals/{prof.pk}/activation-code", {})
    assert code.status_code == 201 and code.json()["activation_code"]
    # The creation is logged once, as allowed, on the administration ground.
    records = AccessLogRecord.objects.filter(data="professional", object_id="m.bakker")
    assert [(r.action, r.outcome, r.ground) for r in records] == [
        ("create", "allowed", "administration")]


def test_functional_admin_may_not_create_one_in_another_municipality(fa_api):
    elsewhere = f.OrganisationFactory(
        municipality=f.MunicipalityFactory(code="GM9977", name="Elders"))
    response = fa_api.post("/professionals", payload(elsewhere))
    assert response.status_code == 403, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert "api_token" not in response.json()
    nothing_made()


@pytest.mark.parametrize("role", ["privacy_officer", "functional_admin", "platform_admin"])
def test_functional_admin_may_not_hand_out_a_privileged_role(fa_api, organisation, role):
    response = fa_api.post("/professionals", payload(organisation, roles=["professional", role]))
    assert response.status_code == 403, response.content
    nothing_made()


def test_platform_admin_still_creates_any_professional(api_client_for, platform_admin):
    elsewhere = f.OrganisationFactory(
        municipality=f.MunicipalityFactory(code="GM9978", name="Verweg"))
    response = api_client_for(platform_admin).post(
        "/professionals", payload(elsewhere, roles=["privacy_officer"]))
    assert response.status_code == 201, response.content
    assert ApiToken.objects.filter(user__username="m.bakker").count() == 1


def test_a_platform_administrator_gets_the_first_token(api_client_for, platform_admin,
                                                       organisation, postcode_address):
    response = api_client_for(platform_admin).post("/professionals", payload(organisation))
    assert response.status_code == 201, response.content
    new = ApiClient(response.json()["api_token"])
    assert new.post("/persons", person_payload()).status_code == 201
