"""The pickers that search as you type: the signal form's child picker. It offers only
the living youth under 23 that the professional registered; a search never finds anyone
else (by name, BSN or birth date), the answer for someone without a ground is the answer
for nobody, each youth listed is logged as read, and it works without JavaScript."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jeugdketen.access.models import AccessLogRecord
from jeugdketen.referral_index.models import Signal
from jeugdketen.ui.pickers import PICKER_LIMIT
from tests import factories as f
from tests.pages import register, visible_text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_settings")]


def picked(client, **params) -> str:
    response = client.get(reverse("pick_youth"), params, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return visible_text(response.content)


def test_offers_only_own_living_youth(professional, other_professional, client_for):
    mine = register(professional, given_names="Fenna", family_name="Kok",
                    birth_date=f.birth_date_for_age(9))
    register(professional, given_names="Kees", family_name="Kok",
             birth_date=f.birth_date_for_age(40))
    theirs = register(other_professional, given_names="Yara", family_name="Kok",
                      birth_date=date(2013, 8, 9))
    client = client_for(professional)
    text = picked(client, zoek="Kok")
    assert "Fenna Kok" in text and "Kees" not in text and "Yara" not in text
    assert "1 gevonden" in text
    assert "Fenna Kok" in picked(client, zoek=mine.bsn)
    nobody = picked(client, zoek="Zzyzx")
    assert "Niemand gevonden" in nobody
    for query in ("Yara", theirs.bsn, "09-08-2013"):
        assert picked(client, zoek=query).replace(query, "Q") == nobody.replace("Zzyzx", "Q")
    # Another's youth cannot be slipped in as the chosen one either.
    assert "Yara" not in picked(client, person=str(theirs.pk))
    assert "Yara" not in picked(client, person="not-an-id")
    assert not AccessLogRecord.objects.filter(client_id=str(theirs.pk),
                                              username=professional.user.username).exists()


def test_each_listed_youth_is_logged_and_the_list_is_limited(professional, client_for):
    for i in range(PICKER_LIMIT + 3):
        register(professional, given_names=f"Kind{i:02d}", family_name="Mol",
                 birth_date=f.birth_date_for_age(10))
    client = client_for(professional)
    before = AccessLogRecord.objects.count()
    text = picked(client, zoek="Mol")
    assert AccessLogRecord.objects.count() - before == PICKER_LIMIT
    assert "Typ meer van de naam" in text and "Kind00" in text
    assert "Kind22 Mol" in picked(client, zoek="Kind22")


def test_only_for_a_professional_of_an_organisation_that_may_signal(
        professional, privacy_officer, client_for):
    assert client_for(privacy_officer).get(reverse("pick_youth")).status_code == 403
    professional.organisation.may_signal = False
    professional.organisation.save()
    assert client_for(professional).get(reverse("pick_youth")).status_code == 403


def test_without_javascript_the_search_submits_and_the_chosen_stays(professional,
                                                                      client_for):
    fenna = register(professional, given_names="Fenna", family_name="Kok",
                     birth_date=f.birth_date_for_age(9))
    register(professional, given_names="Sem", family_name="Bos",
             birth_date=f.birth_date_for_age(12))
    client = client_for(professional)
    page = client.get(reverse("signal_register"), {"zoek": "Bos"})
    body, text = page.content.decode(), visible_text(page.content)
    assert "Sem Bos" in text and "Fenna" not in text
    assert 'form="youth-search"' in body and 'id="youth-search"' in body
    # Prefilled from a person's page: the child is chosen and listed first.
    page = client.get(reverse("signal_register"), {"person": str(fenna.pk)})
    body = page.content.decode()
    assert f'value="{fenna.pk}" class' in body and "checked" in body
    response = client.post(reverse("signal_register"), {
        "person": str(fenna.pk), "duration_days": "365", "contact_phone": "0612345678",
        "contact_email": "ik@example.org"})
    assert response.status_code == 302
    assert Signal.objects.get().person_id == fenna.pk


def test_a_posted_person_without_a_ground_is_refused_by_name(professional, other_professional,
                                                              client_for):
    theirs = register(other_professional, given_names="Yara", family_name="Kok",
                      birth_date=f.birth_date_for_age(9))
    response = client_for(professional).post(reverse("signal_register"), {
        "person": str(theirs.pk), "duration_days": "365", "contact_phone": "0612345678",
        "contact_email": "ik@example.org"})
    assert response.status_code == 200 and b"Yara" not in response.content
    assert "Kies een jongere uit de lijst" in visible_text(response.content)
    assert not Signal.objects.exists()


def test_picker_queries_do_not_grow(professional, client_for):
    client = client_for(professional)
    client.get(reverse("pick_youth"))

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            picked(client, zoek="Mol")
        return len(captured)

    for i in range(5):
        register(professional, given_names=f"Eerst{i}", family_name="Mol",
                 birth_date=f.birth_date_for_age(10))
    few = count()
    for i in range(5):
        register(professional, given_names=f"Later{i}", family_name="Mol",
                 birth_date=f.birth_date_for_age(10))
    assert count() == few


# --- the organisation's signals list (search, sort, paging) -------------------------------


def signal_on(professional, **kw):
    from jeugdketen.referral_index import actions as index

    person = register(professional, birth_date=kw.pop("birth_date", f.birth_date_for_age(10)),
                      **kw)
    index.register_signal(f.professional_actor(professional), person.pk)
    return person


def test_signals_list_searches_sorts_and_pages(professional, client_for):
    elsewhere = f.ProfessionalFactory(organisation=f.OrganisationFactory(
        municipality=professional.organisation.municipality), roles=["professional"])
    noor = signal_on(professional, given_names="Noor", family_name="van Dijk",
                     birth_date=date(2014, 3, 17))
    signal_on(professional, given_names="Sem", family_name="Aalders")
    theirs = signal_on(elsewhere, given_names="Yara", family_name="Oosterhuis")
    assert theirs.pk  # another organisation's signal: never found
    client = client_for(professional)
    url = reverse("my_signals")

    def text(**params) -> str:
        response = client.get(url, params)
        assert response.status_code == 200
        return visible_text(response.content)

    both = text()
    assert "Noor van Dijk" in both and "Sem Aalders" in both and "Yara" not in both
    assert "Sem Aalders" not in text(zoek="dijk")
    assert "Noor van Dijk" in text(zoek=noor.bsn) and "Noor van Dijk" in text(zoek="17-03-2014")
    assert "Geen actief signaal gevonden" in text(zoek="Oosterhuis")
    by_name = text(sorteer="naam")
    assert by_name.index("Sem Aalders") < by_name.index("Noor van Dijk")


def test_signals_list_pages_and_its_queries_do_not_grow(professional, client_for):
    client = client_for(professional)
    url = reverse("my_signals")
    client.get(url)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    for i in range(3):
        signal_on(professional, given_names=f"Eerst{i}", family_name="Mol")
    few = count()
    for i in range(3):
        signal_on(professional, given_names=f"Later{i}", family_name="Mol")
    assert count() == few
    for i in range(21):
        signal_on(professional, given_names=f"Veel{i:02d}", family_name="Mol")
    first = visible_text(client.get(url).content)
    assert "1 tot en met 25 van 27" in first
    assert "26 tot en met 27 van 27" in visible_text(client.get(url, {"pagina": 2}).content)
