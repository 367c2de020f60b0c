"""The reference-index pages, and the proof that no page lets a professional without a
signal find out which signals exist on a youth."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from jeugdketen.referral_index import actions
from jeugdketen.referral_index.models import Signal
from jeugdketen.registry.models import Registration
from tests import factories as f


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.REQUIRE_2FA = False


def signaller(**org):
    org = f.OrganisationFactory(may_signal=True, may_coordinate=True, **org)
    return f.ProfessionalFactory(organisation=org, roles=["professional"])


def login(prof) -> Client:
    client = Client()
    client.force_login(prof.user)
    return client


def youth(prof, age=10, **kw):
    kid = f.PersonFactory(birth_date=f.birth_date_for_age(age), **kw)
    Registration.objects.create(person=kid, professional=prof, organisation=prof.organisation)
    return kid


def test_register_signal_page_then_letter(db):
    prof = signaller()
    kid = youth(prof, given_names="Fenna")
    client = login(prof)
    page = client.get(f"/verwijsindex/signalen/nieuw/?person={kid.pk}")
    assert page.status_code == 200 and "Fenna" in page.content.decode()
    response = client.post("/verwijsindex/signalen/nieuw/", {
        "person": str(kid.pk), "duration_days": "365", "contact_phone": "0612345678",
        "contact_email": "ik@example.org"})
    signal = Signal.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/signalen/{signal.pk}/")
    assert signal.duration_days == 365
    letter = client.get(f"/verwijsindex/signalen/{signal.pk}/brief/")
    assert "Aan de ouders of verzorgers van Fenna" in letter.content.decode()
    pdf = client.get(f"/verwijsindex/signalen/{signal.pk}/brief.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    listing = client.get("/verwijsindex/signalen/")
    assert "Fenna" in listing.content.decode()
    withdrawn = client.post(f"/verwijsindex/signalen/{signal.pk}/", {"withdraw": "1",
                                                                    "w-reason": "risk_gone"})
    assert withdrawn.status_code == 302
    signal.refresh_from_db()
    assert signal.status == "ended"


def test_register_form_keeps_input_and_names_the_field(db):
    prof = signaller()
    kid = youth(prof)
    response = login(prof).post("/verwijsindex/signalen/nieuw/", {
        "person": str(kid.pk), "duration_days": "365", "contact_phone": "0612345678",
        "contact_email": "geen-mail"})
    body = response.content.decode()
    assert response.status_code == 200 and "0612345678" in body
    assert 'id="id_contact_email_error"' in body
    assert not Signal.objects.exists()


def test_organisation_without_flag_sees_why(db):
    prof = f.ProfessionalFactory(organisation=f.OrganisationFactory(may_signal=False))
    response = login(prof).get("/verwijsindex/signalen/nieuw/")
    assert response.status_code == 403 and "niet meldingsbevoegd" in response.content.decode()


def test_matches_page_and_coordinator_agreement(db):
    a, b = signaller(), signaller()
    kid = youth(a)
    Registration.objects.create(person=kid, professional=b, organisation=b.organisation)
    actions.register_signal(f.professional_actor(a), kid.pk)
    match = actions.register_signal(f.professional_actor(b), kid.pk).matches[0]
    page_a = login(a).get("/verwijsindex/matches/").content.decode()
    assert b.full_name in page_a and b.organisation.name in page_a
    # The involved professional sees whom their own signal is about (they registered the
    # youth), with the deadline; beyond that contact data only.
    assert f"{kid.given_names} {kid.family_name}" in page_a and kid.bsn not in page_a
    assert "Regievoerder afspreken vóór" in page_a
    login(a).post("/verwijsindex/matches/", {"match": match.pk, "propose": "1",
                                            f"m{match.pk}-professional_id": a.pk})
    login(b).post("/verwijsindex/matches/", {"match": match.pk, "accept": "1", "aligned": "yes"})
    match.refresh_from_db()
    assert match.status == "coordinated" and match.coordinator == a and match.signals_aligned
    inbox = login(b).get("/verwijsindex/berichten/").content.decode()
    assert "Regievoerder afgesproken" in inbox


def test_rights_report_pages(db):
    a = signaller()
    privacy_officer = f.ProfessionalFactory(roles=["privacy_officer"], organisation=f.OrganisationFactory(
        kind="municipality", may_signal=False, municipality=a.organisation.municipality))
    kid = youth(a)
    actions.register_signal(f.professional_actor(a), kid.pk)
    client = login(privacy_officer)
    found = client.post("/verwijsindex/rechten/", {"bsn": kid.bsn})
    assert found.status_code == 302
    page = client.get(found["Location"]).content.decode()
    assert a.organisation.name in page
    assert client.get(found["Location"] + "overzicht.pdf").content.startswith(b"%PDF")
    assert client.get(found["Location"] + "overzicht.json").json()["signals"][0]["status"] == "active"
    assert login(a).get(found["Location"]).status_code == 403


def test_a_rights_request_answered_meanwhile_keeps_its_answer(db):
    """Two tabs answer one request: the second is told it was answered already, and the
    first answer stands (it used to be overwritten, and counted twice)."""
    from jeugdketen.referral_index.models import RightsRequest

    a = signaller()
    officer = f.ProfessionalFactory(roles=["privacy_officer"], organisation=f.OrganisationFactory(
        kind="municipality", may_signal=False, municipality=a.organisation.municipality))
    kid = youth(a)
    request = actions.record_rights_request(f.professional_actor(officer), kid.pk,
                                            kind="inspection", requested_by="moeder")
    url = f"/verwijsindex/rechten/{kid.pk}/"
    client = login(officer)

    def answer(granted: str, outcome: str):
        return client.post(url, {"answer": request.pk, f"a{request.pk}-granted": granted,
                                 f"a{request.pk}-outcome": outcome}, follow=True)

    assert "Het antwoord is vastgelegd." in answer("yes", "Inzage gegeven.").content.decode()
    late = answer("no", "Afgewezen.").content.decode()
    assert "Dit verzoek is al beantwoord." in late and "Het antwoord is vastgelegd." not in late
    request = RightsRequest.objects.get(pk=request.pk)
    assert (request.granted, request.outcome) == (True, "Inzage gegeven.")


def _all_url_patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _all_url_patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def test_no_page_reveals_signals_to_a_professional_without_one(db):
    """Walk every web URL (path parameters filled with the youth's, the signal's and the
    match's ids) as a professional who entered the youth but has no signal."""
    a, b = signaller(), signaller()
    kid = youth(a)
    Registration.objects.create(person=kid, professional=b, organisation=b.organisation)
    sa = actions.register_signal(f.professional_actor(a), kid.pk).signal
    match = actions.register_signal(f.professional_actor(b), kid.pk).matches[0]
    outsider = signaller()
    Registration.objects.create(person=kid, professional=outsider, organisation=outsider.organisation)
    client = login(outsider)
    secrets = [a.full_name, b.full_name, a.organisation.name, b.organisation.name,
               sa.contact_email]
    values = {"person_id": str(kid.pk), "signal_id": str(sa.pk), "match_id": str(match.pk),
              "household_id": "00000000-0000-4000-8000-000000000000", "pk": "1", "slug": "meldcode"}
    walked = 0
    statuses: dict[int, int] = {}
    for pattern in _all_url_patterns():
        if pattern.startswith(("api/", "static/")) or "logout" in pattern:
            continue
        url = "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values.get(m.group(1), "1"), pattern)
        url = url.replace("^", "").replace("$", "")
        for response in (client.get(url), client.get(url, {"bsn": kid.bsn, "person": str(kid.pk)})):
            walked += 1
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
            text = response.content.decode(errors="replace")
            for secret in secrets:
                assert secret not in text, f"GET {url} reveals {secret!r}"
    assert walked >= 20
    assert statuses.get(200, 0) >= 10, statuses  # real pages were rendered, not only refusals


def test_the_rights_report_page_and_pdf_show_labels_and_local_dates(db):
    """The privacy officer's rights report (page and PDF) shows labels and Dutch dates in
    Amsterdam time; the JSON download keeps the codes and ISO dates."""
    from django.utils import timezone
    from django.utils.formats import date_format

    from jeugdketen.access.models import AccessLogRecord
    from tests.pdf_text import extract_text

    a = signaller()
    privacy_officer = f.ProfessionalFactory(roles=["privacy_officer"], organisation=f.OrganisationFactory(
        kind="municipality", may_signal=False, municipality=a.organisation.municipality))
    kid = youth(a)
    actions.register_signal(f.professional_actor(a), kid.pk)
    client = login(privacy_officer)
    client.cookies["django_language"] = "nl"
    url = f"/verwijsindex/rechten/{kid.pk}/"
    page = client.get(url)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.content.decode()))
    assert "Actief" in text and "Professional" in text
    assert "Vastgelegd" in text and "Signaal in de verwijsindex" in text
    for raw in ("professional", "read", "create", "signal", "base_data", "active",
                "registration", "own_organisation"):
        assert not re.search(rf"(?<![\w-]){raw}(?![\w-])", text), raw
    assert "+00:00" not in text
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text)
    first = AccessLogRecord.objects.filter(client_id=str(kid.pk)).exclude(
        organisation_name="").order_by("at").first()
    when = date_format(timezone.localtime(first.at), "DATETIME_FORMAT")
    assert when in text
    pdf_text = " ".join(extract_text(client.get(url + "overzicht.pdf").content).split())
    assert "Actief" in pdf_text and "Signaal in de verwijsindex" in pdf_text
    assert date_format(timezone.localdate(), "DATE_FORMAT") in pdf_text
    assert "base_data" not in pdf_text and "+00:00" not in pdf_text
    data = client.get(url + "overzicht.json").json()
    assert data["signals"][0]["status"] == "active"
    assert {r["action"] for r in data["received"]} <= {"create", "read", "update", "print", "export"}
    assert data["received"][0]["at"].endswith("+00:00")


def test_an_extension_the_rules_refuse_is_shown_on_the_form_not_a_server_error(db):
    """Shorter than the municipality's minimum, or a signal that has ended: the page says
    why, on the field, and nothing changes."""
    prof = signaller()
    kid = youth(prof)
    signal = actions.register_signal(f.professional_actor(prof), kid.pk, duration_days=365,
                                     contact_phone="0612345678").signal
    municipality = signal.organisation.municipality
    municipality.min_signal_days = 200
    municipality.save()
    client = login(prof)
    response = client.post(f"/verwijsindex/signalen/{signal.pk}/", {
        "extend": "1", "e-duration_days": "182"})
    assert response.status_code == 200
    assert "ten minste 200 dagen" in response.content.decode()
    signal.refresh_from_db()
    assert signal.duration_days == 365

    # Past its duration (retention has not ended it yet tonight): no longer the
    # organisation's active signal, so the page is gone (403), never a server error.
    Signal.objects.filter(pk=signal.pk).update(expires_on=signal.registered_on)
    response = client.post(f"/verwijsindex/signalen/{signal.pk}/", {
        "extend": "1", "e-duration_days": "730"})
    assert response.status_code == 403
    assert Signal.objects.get(pk=signal.pk).duration_days == 365
