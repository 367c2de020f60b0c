"""Who may hand out an activation code (the policy's `administration` rules), through the
API and the operator's command; each issue is logged and emitted (issue 8, finding 10)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from jeugdketen.access.actions import (
    issue_activation_code,
    normalise_activation_code,
    system_actor,
)
from jeugdketen.access.models import AccessLogRecord, ActivationCode, hash_token
from jeugdketen.chainlog.models import ChainEvent
from tests import factories as f


@pytest.fixture
def other_municipality_admin(db):
    elsewhere = f.MunicipalityFactory(code="GM9902", name="Anderdorp")
    return f.ProfessionalFactory(roles=["functional_admin"],
                                 organisation=f.OrganisationFactory(municipality=elsewhere))


def issue(api_client_for, issuer, target):
    return api_client_for(issuer).post(f"/professionals/{target.pk}/activation-code")


@pytest.mark.parametrize(("issuer_roles", "target_roles"), [
    (["platform_admin"], ["professional"]),
    (["platform_admin"], ["functional_admin"]),
    (["platform_admin"], ["privacy_officer"]),
    (["functional_admin"], ["professional"]),
    (["functional_admin"], ["coordinator", "professional"]),
    (["functional_admin"], ["municipal_analyst"]),
])
def test_allowed_issuers(api_client_for, make_professional, issuer_roles, target_roles):
    issuer = make_professional(*issuer_roles)
    target = make_professional(*target_roles)
    response = issue(api_client_for, issuer, target)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["professional_id"] == target.pk and body["username"] == target.user.username
    assert "no-store" in response["Cache-Control"]
    code = ActivationCode.objects.get(user=target.user)
    assert code.digest == hash_token(normalise_activation_code(body["activation_code"]))
    assert code.issued_by == issuer.user and code.used_at is None and code.revoked_at is None
    assert AccessLogRecord.objects.filter(
        user_id=issuer.user.pk, object_id=str(target.user.pk), ground="administration",
        outcome="allowed").count() == 1
    event = ChainEvent.objects.get(activity="activation_code.issued")
    assert event.organisation_id == target.organisation_id
    assert event.attributes == {"by": issuer_roles[0], "replaces_code": False,
                                "resets_device": False}


@pytest.mark.parametrize(("issuer_roles", "target_roles"), [
    (["functional_admin"], ["privacy_officer"]),
    (["functional_admin"], ["functional_admin"]),
    (["functional_admin"], ["platform_admin"]),
    (["functional_admin"], ["professional", "privacy_officer"]),
    (["professional"], ["professional"]),
    (["coordinator"], ["professional"]),
    (["privacy_officer"], ["professional"]),
    (["municipal_analyst"], ["professional"]),
])
def test_denied_issuers(api_client_for, make_professional, issuer_roles, target_roles):
    issuer = make_professional(*issuer_roles)
    target = make_professional(*target_roles)
    response = issue(api_client_for, issuer, target)
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["type"] == "urn:jeugdketen:problem:forbidden"
    assert not ActivationCode.objects.exists()
    assert not ChainEvent.objects.filter(activity="activation_code.issued").exists()
    assert AccessLogRecord.objects.filter(user_id=issuer.user.pk, object_id=str(target.user.pk),
                                          outcome="denied").count() == 1


def test_a_functional_admin_of_another_municipality_is_denied(api_client_for, professional,
                                                              other_municipality_admin):
    assert issue(api_client_for, other_municipality_admin, professional).status_code == 403
    assert not ActivationCode.objects.exists()


def test_an_ordinary_professional_cannot_issue_one_for_themselves(api_client_for, professional):
    assert issue(api_client_for, professional, professional).status_code == 403
    assert not ActivationCode.objects.exists()


def test_an_unknown_professional_looks_forbidden(api_client_for, platform_admin):
    response = api_client_for(platform_admin).post("/professionals/999999/activation-code")
    assert response.status_code == 403
    assert response.json()["type"] == "urn:jeugdketen:problem:forbidden"
    bad = api_client_for(platform_admin).post("/professionals/abc/activation-code")
    assert bad.status_code == 422 and bad["Content-Type"] == "application/problem+json"


def test_an_inactive_account_gets_no_code(api_client_for, functional_admin, professional):
    professional.user.is_active = False
    professional.user.save()
    response = issue(api_client_for, functional_admin, professional)
    assert response.status_code == 422
    assert response.json()["errors"][0]["rule"] == "account_inactive"
    assert not ActivationCode.objects.exists()


def test_a_new_code_revokes_the_open_one(api_client_for, functional_admin, professional):
    first = issue(api_client_for, functional_admin, professional).json()["activation_code"]
    second = issue(api_client_for, functional_admin, professional).json()["activation_code"]
    assert first != second
    codes = {c.digest: c for c in ActivationCode.objects.filter(user=professional.user)}
    assert codes[hash_token(normalise_activation_code(first))].revoked_at is not None
    assert codes[hash_token(normalise_activation_code(second))].revoked_at is None
    event = ChainEvent.objects.filter(activity="activation_code.issued").latest("id")
    assert event.attributes["replaces_code"] is True


def test_citizens_and_operator_made_admins_only_by_the_platform_admin(db, functional_admin,
                                                                       platform_admin):
    from jeugdketen.access.audit import AccessDenied

    citizen = f.UserFactory(person=f.PersonFactory())
    operator_admin = f.UserFactory(is_superuser=True)
    for account in (citizen, operator_admin):
        with pytest.raises(AccessDenied):
            issue_activation_code(f.professional_actor(functional_admin), account)
        raw, _code = issue_activation_code(f.professional_actor(platform_admin), account)
        assert normalise_activation_code(raw)


def test_codes_are_random_and_read_forgivingly(db, professional):
    codes = {issue_activation_code(system_actor("test"), professional.user)[0] for _ in range(20)}
    assert len(codes) == 20
    raw = codes.pop()
    assert len(normalise_activation_code(raw)) == 16
    assert normalise_activation_code(raw.lower().replace("-", " ")) == raw.replace("-", "")
    assert normalise_activation_code("OOOO-IIII-LLLL-0000") == "0000111111110000"
    assert normalise_activation_code("ABCD-EFGH-JKMN-PQR") == ""  # 15 characters
    assert normalise_activation_code("ABCD-EFGH-JKMN-PQRU") == ""  # U is not in the alphabet


def test_the_operator_command(db, professional):
    out = io.StringIO()
    call_command("activation-code", professional.user.username, stdout=out)
    raw = out.getvalue().strip().splitlines()[-1]
    code = ActivationCode.objects.get(user=professional.user)
    assert code.digest == hash_token(normalise_activation_code(raw)) and code.issued_by is None
    logged = AccessLogRecord.objects.get(object_id=str(professional.user.pk), outcome="allowed")
    assert logged.channel == "command" and logged.username == "operator"
    with pytest.raises(CommandError, match="no account"):
        call_command("activation-code", "nobody-here", stdout=io.StringIO())
    with pytest.raises(CommandError, match="--days"):
        call_command("activation-code", professional.user.username, "--days", "0",
                     stdout=io.StringIO())


def test_createadmin_prints_an_activation_code_for_a_new_admin(db, monkeypatch, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    monkeypatch.setenv("JEUGDKETEN_ADMIN_PASSWORD", "Een-lang-wachtwoord-42")
    out = io.StringIO()
    call_command("createadmin", "beheerder", stdout=out)
    lines = out.getvalue().strip().splitlines()
    assert lines[-1].startswith("jk_")  # the API token stays the last line
    shown = next(line for line in lines if line.startswith("Activation code"))
    raw = shown.rsplit(" ", 1)[1]
    code = ActivationCode.objects.get(user__username="beheerder")
    assert code.digest == hash_token(normalise_activation_code(raw))
    # A rerun for a new token does not issue a code (it would reset the admin's app).
    call_command("createadmin", "beheerder", stdout=io.StringIO())
    assert ActivationCode.objects.filter(user__username="beheerder").count() == 1


def test_the_endpoint_is_documented(anonymous_api):
    spec = anonymous_api.get("/openapi.json").json()
    operation = spec["paths"]["/api/v1/professionals/{professional_id}/activation-code"]["post"]
    assert "201" in operation["responses"]
