"""The administrators' screens (issue 9): organisations, professionals, roles, activation
codes, API tokens and the municipality's settings and product codes, in the web UI. Each
change goes through an action (policy, access log, chain event); a functional
administrator stays within their own municipality and never hands out a privileged role;
nobody else gets in."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jeugdketen.access.actions import issue_token
from jeugdketen.access.models import AccessLogRecord, ActivationCode, ApiToken
from jeugdketen.chainlog.models import ChainEvent
from jeugdketen.plans.models import ProductCode
from jeugdketen.registry.models import Organisation, Professional
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_settings")]


@pytest.fixture
def elsewhere():
    town = f.MunicipalityFactory(code="GM9902", name="Anderdam")
    return f.OrganisationFactory(name="School Anderdam", kind="school", municipality=town)


def new_professional(username: str = "nieuw.collega", roles: tuple[str, ...] = ("professional",)):
    return {"add": "1", "new-username": username, "new-full_name": "Nina Nieuw",
            "new-email": "nina@example.test", "new-phone": "", "new-roles": list(roles)}


@pytest.mark.parametrize("role", ["professional", "coordinator", "privacy_officer",
                                  "municipal_analyst"])
def test_nobody_else_gets_in(client_for, make_professional, organisation, role):
    client = client_for(make_professional(role))
    for url in (reverse("admin_organisations"), reverse("admin_municipality"),
                reverse("admin_organisation", args=[organisation.pk])):
        assert client.get(url).status_code == 403
    assert client.post(reverse("admin_organisations"), {
        "org-name": "Nieuw", "org-kind": "school",
        "org-municipality_code": organisation.municipality_id}).status_code == 403
    assert not Organisation.objects.filter(name="Nieuw").exists()


def test_platform_admin_manages_organisations_and_accounts(client_for, platform_admin,
                                                            organisation, elsewhere):
    client = client_for(platform_admin)
    listing = client.get(reverse("admin_organisations")).content.decode()
    assert organisation.name in listing and elsewhere.name in listing
    assert elsewhere.name not in client.get(
        reverse("admin_organisations") + "?q=Testdam").content.decode()

    created = client.post(reverse("admin_organisations"), {
        "org-name": "Jeugdhulp Nieuw", "org-kind": "youth_care_provider",
        "org-municipality_code": "GM9902", "org-may_signal": "on"})
    org = Organisation.objects.get(name="Jeugdhulp Nieuw")
    assert created.status_code == 302 and org.may_signal and org.municipality_id == "GM9902"

    edited = client.post(reverse("admin_organisation", args=[org.pk]), {
        "save": "1", "org-name": "Jeugdhulp Nieuw", "org-kind": "mental_health_care",
        "org-municipality_code": organisation.municipality_id})
    org.refresh_from_db()
    assert edited.status_code == 302
    assert org.kind == "mental_health_care" and org.municipality_id == organisation.municipality_id
    assert not org.may_signal

    added = client.post(reverse("admin_organisation", args=[org.pk]),
                        new_professional(roles=("professional", "privacy_officer")))
    colleague = Professional.objects.get(user__username="nieuw.collega")
    assert added.status_code == 302
    assert added.url == reverse("admin_professional", args=[colleague.pk])
    assert colleague.roles == ["privacy_officer", "professional"]

    issued = client.post(reverse("admin_activation_code", args=[colleague.pk]))
    assert issued.status_code == 200 and "no-store" in issued["Cache-Control"]
    code = ActivationCode.objects.get(user=colleague.user)
    shown = issued.content.decode()
    assert "jk-token" in shown and code.digest not in shown
    assert "open" in client.get(reverse("admin_professional", args=[colleague.pk])
                                ).content.decode()
    assert client.post(reverse("admin_revoke_code", args=[code.pk])).status_code == 302
    code.refresh_from_db()
    assert code.revoked_at is not None

    raw = issue_token(f.professional_actor(platform_admin), colleague.user)
    token = ApiToken.objects.get(user=colleague.user)
    page = client.get(reverse("admin_professional", args=[colleague.pk])).content.decode()
    assert token.prefix in page and raw not in page
    assert client.post(reverse("admin_revoke_token", args=[token.pk])).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None

    changed = client.post(reverse("admin_professional", args=[colleague.pk]), {
        "pro-full_name": "Nina Nieuw-Anders", "pro-email": "nina@example.test",
        "pro-phone": "0201234567", "pro-roles": ["professional", "coordinator"]})
    colleague.refresh_from_db()
    assert changed.status_code == 302
    assert colleague.roles == ["coordinator", "professional"]
    assert colleague.full_name == "Nina Nieuw-Anders"

    off = client.post(reverse("admin_organisation_active", args=[org.pk]), {"active": "0"})
    org.refresh_from_db()
    colleague.user.refresh_from_db()
    assert off.status_code == 302 and not org.active and not colleague.user.is_active
    refused = client.post(reverse("admin_professional_active", args=[colleague.pk]),
                          {"active": "1"})
    colleague.user.refresh_from_db()
    assert refused.status_code == 302 and not colleague.user.is_active
    client.post(reverse("admin_organisation_active", args=[org.pk]), {"active": "1"})
    client.post(reverse("admin_professional_active", args=[colleague.pk]), {"active": "1"})
    colleague.user.refresh_from_db()
    assert colleague.user.is_active

    activities = set(ChainEvent.objects.values_list("activity", flat=True))
    assert {"organisation.created", "organisation.updated", "organisation.active_changed",
            "professional.created", "professional.updated", "professional.active_changed",
            "activation_code.issued", "activation_code.revoked",
            "api_token.revoked"} <= activities
    assert AccessLogRecord.objects.filter(data="organisation", action="update",
                                          outcome="allowed").exists()


def test_switching_an_account_off_revokes_its_credentials(client_for, platform_admin,
                                                          professional):
    issue_token(f.professional_actor(platform_admin), professional.user)
    client = client_for(platform_admin)
    client.post(reverse("admin_activation_code", args=[professional.pk]))
    client.post(reverse("admin_professional_active", args=[professional.pk]), {"active": "0"})
    professional.user.refresh_from_db()
    assert not professional.user.is_active
    assert not ApiToken.objects.filter(user=professional.user, revoked_at__isnull=True).exists()
    assert not ActivationCode.objects.filter(user=professional.user,
                                             revoked_at__isnull=True).exists()
    # Their own account stays on.
    client.post(reverse("admin_professional_active", args=[platform_admin.pk]), {"active": "0"})
    platform_admin.user.refresh_from_db()
    assert platform_admin.user.is_active


def test_functional_admin_stays_in_own_municipality(client_for, functional_admin,
                                                    organisation, professional, elsewhere):
    client = client_for(functional_admin)
    listing = client.get(reverse("admin_organisations")).content.decode()
    assert organisation.name in listing and elsewhere.name not in listing
    assert client.get(reverse("admin_organisation", args=[elsewhere.pk])).status_code == 403
    other = f.ProfessionalFactory(organisation=elsewhere, roles=["professional"])
    assert client.get(reverse("admin_professional", args=[other.pk])).status_code == 403
    assert client.post(reverse("admin_activation_code", args=[other.pk])).status_code == 403
    # Moving an organisation to another municipality is refused.
    moved = client.post(reverse("admin_organisation", args=[organisation.pk]), {
        "save": "1", "org-name": organisation.name, "org-kind": organisation.kind,
        "org-municipality_code": "GM9902"})
    organisation.refresh_from_db()
    assert moved.status_code in (403, 422) and organisation.municipality_id == "GM9901"
    # No privileged role, not even for an account of their own municipality.
    privileged = client.post(reverse("admin_professional", args=[professional.pk]), {
        "pro-full_name": professional.full_name, "pro-email": "p@example.test",
        "pro-roles": ["professional", "privacy_officer"]})
    professional.refresh_from_db()
    assert privileged.status_code == 403 and professional.roles == ["professional"]
    officer = f.ProfessionalFactory(organisation=organisation, roles=["privacy_officer"])
    assert client.get(reverse("admin_professional", args=[officer.pk])).status_code == 403
    # Within the rules it works.
    added = client.post(reverse("admin_organisation", args=[organisation.pk]),
                        new_professional())
    assert added.status_code == 302
    assert Professional.objects.filter(user__username="nieuw.collega").exists()
    assert "api_token" not in added.content.decode()


def test_unknown_ids_look_forbidden(client_for, platform_admin):
    client = client_for(platform_admin)
    assert client.get(reverse("admin_organisation", args=[99999])).status_code == 403
    assert client.get(reverse("admin_professional", args=[99999])).status_code == 403
    assert client.post(reverse("admin_revoke_code", args=[99999])).status_code == 403
    assert client.post(reverse("admin_revoke_token", args=[99999])).status_code == 403


def test_municipality_settings_and_product_codes(client_for, functional_admin, organisation,
                                                 elsewhere):
    client = client_for(functional_admin)
    page = client.get(reverse("admin_municipality"))
    assert page.status_code == 200 and "Testdam" in page.content.decode()
    saved = client.post(reverse("admin_municipality"), {
        "gemeente": "GM9901", "save": "1", "set-coordinator_days": "15",
        "set-min_signal_days": "120"})
    organisation.municipality.refresh_from_db()
    assert saved.status_code == 302
    assert organisation.municipality.coordinator_days == 15
    assert not organisation.municipality.address_match
    bad = client.post(reverse("admin_municipality"), {
        "gemeente": "GM9901", "save": "1", "set-coordinator_days": "99",
        "set-min_signal_days": "120"})
    assert bad.status_code == 422
    added = client.post(reverse("admin_municipality"), {
        "gemeente": "GM9901", "add": "1", "pc-code": "jeugd-ggz", "pc-label": "Jeugd-GGZ"})
    product = ProductCode.objects.get(code="jeugd-ggz")
    assert added.status_code == 302 and product.municipality_id == "GM9901"
    twice = client.post(reverse("admin_municipality"), {
        "gemeente": "GM9901", "add": "1", "pc-code": "jeugd-ggz", "pc-label": "Opnieuw"})
    assert twice.status_code == 422
    off = client.post(reverse("admin_product_code", args=[product.pk]),
                      {"gemeente": "GM9901", "active": "0"})
    product.refresh_from_db()
    assert off.status_code == 302 and not product.active
    # Another municipality: refused.
    assert client.get(reverse("admin_municipality") + "?gemeente=GM9902").status_code == 403
    assert client.post(reverse("admin_municipality"), {
        "gemeente": "GM9902", "save": "1", "set-coordinator_days": "5",
        "set-min_signal_days": "120"}).status_code == 403
    assert {"municipality.configured", "product_code.added",
            "product_code.active_changed"} <= set(
        ChainEvent.objects.values_list("activity", flat=True))


def test_platform_admin_picks_a_municipality(client_for, platform_admin, elsewhere):
    client = client_for(platform_admin)
    page = client.get(reverse("admin_municipality") + "?gemeente=GM9902")
    assert page.status_code == 200 and "Anderdam" in page.content.decode()


def test_admin_pages_render_in_dutch_and_english(client_for, platform_admin, functional_admin,
                                                 organisation, professional):
    from tests.pages import dutch_leftovers

    pages = [
        (platform_admin, reverse("admin_organisations"), "Organisations and accounts"),
        (platform_admin, reverse("admin_organisation", args=[organisation.pk]),
         "New staff member"),
        (platform_admin, reverse("admin_professional", args=[professional.pk]),
         "Activation codes"),
        (functional_admin, reverse("admin_municipality"), "Product codes for actions in a plan"),
        (functional_admin, reverse("guide_admin"), "Upload a new version"),
        (functional_admin, reverse("guide_index"), "Manage decision aids"),
    ]
    for user, url, english in pages:
        nl = client_for(user, "nl").get(url)
        assert nl.status_code == 200 and english not in nl.content.decode(), url
        en = client_for(user, "en").get(url)
        assert en.status_code == 200 and english in en.content.decode(), url
        assert dutch_leftovers(en.content) == [], (url, dutch_leftovers(en.content))


def test_list_pages_ask_a_constant_number_of_queries(client_for, platform_admin,
                                                     organisation):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(platform_admin)

    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    def more(n: int) -> None:
        for _ in range(n):
            org = f.OrganisationFactory(municipality=organisation.municipality)
            f.ProfessionalFactory(organisation=org, roles=["professional"])
            f.ProfessionalFactory(organisation=organisation, roles=["professional"])

    more(4)
    urls = [reverse("admin_organisations"), reverse("admin_organisation", args=[organisation.pk])]
    before = [count(url) for url in urls]
    more(8)
    assert [count(url) for url in urls] == before
