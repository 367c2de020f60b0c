"""The persons list (/personen/): the persons the professional registered, with search
(name, BSN, birth date: never beyond those persons), sorting and paging; every person
listed is logged as read; the number of queries does not grow with the list."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jeugdketen.access.models import AccessLogRecord
from tests.pages import register, visible_text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_settings")]


def listed(client, **params) -> str:
    response = client.get(reverse("persons"), params)
    assert response.status_code == 200
    return visible_text(response.content)


def test_lists_own_persons_paginated_and_logs_each(professional, client_for):
    for i in range(27):
        register(professional, given_names=f"Kind{i:02d}", family_name="Achterberg")
    client = client_for(professional)
    before = AccessLogRecord.objects.count()
    text = listed(client)
    assert "Achterberg, Kind00" in text and "Achterberg, Kind26" not in text
    assert "Personen 1 tot en met 25 van 27" in text
    # Listing counts as reading each person listed.
    assert AccessLogRecord.objects.count() - before == 25
    new = AccessLogRecord.objects.order_by("-at", "-seq")[:25]
    assert {(r.action, r.object_type, r.outcome, r.ground) for r in new} == {
        ("read", "base_data", "allowed", "registration")}
    page2 = listed(client, pagina=2)
    assert "Achterberg, Kind26" in page2 and "Achterberg, Kind00" not in page2
    assert "Personen 26 tot en met 27 van 27" in page2
    assert "Achterberg, Kind26" in listed(client, pagina=99)  # beyond the end: the last page


def test_home_links_to_the_persons_page_instead_of_listing(professional, client_for):
    register(professional, given_names="Thijs", family_name="Brouwer")
    body = client_for(professional).get(reverse("home")).content.decode()
    assert reverse("persons") in body and "Thijs" not in body


def test_search_by_name_bsn_and_birth_date(professional, client_for):
    noor = register(professional, given_names="Noor", family_name="van Dijk",
                    birth_date=date(2014, 3, 17))
    register(professional, given_names="Sem", family_name="de Boer", birth_date=date(2012, 5, 2))
    client = client_for(professional)
    assert "van Dijk, Noor" in listed(client, zoek="dijk")
    assert "de Boer" not in listed(client, zoek="dijk")
    assert "van Dijk, Noor" in listed(client, zoek="noor DIJK")
    assert "van Dijk, Noor" in listed(client, zoek=noor.bsn)
    assert "van Dijk, Noor" in listed(client, zoek=noor.bsn.lstrip("0") or noor.bsn)
    assert "de Boer" not in listed(client, zoek=noor.bsn)
    by_date = listed(client, zoek="17-03-2014")
    assert "van Dijk, Noor" in by_date and "de Boer" not in by_date
    assert "van Dijk, Noor" in listed(client, zoek="2014-03-17")
    none = listed(client, zoek="Pietersen")
    assert "Niemand gevonden" in none and "van Dijk" not in none


def test_search_never_reaches_beyond_own_registrations(professional, other_professional,
                                                       client_for):
    """Another professional's person is not found by name, BSN or birth date, and the
    answer is word for word the one for a person who does not exist at all."""
    theirs = register(other_professional, given_names="Yara", family_name="Oosterhuis",
                      birth_date=date(2013, 8, 9))
    register(professional, given_names="Mila", family_name="Smit", birth_date=date(2011, 1, 1))
    client = client_for(professional)
    before = AccessLogRecord.objects.filter(client_id=str(theirs.pk)).count()
    for query in ("Oosterhuis", theirs.bsn, "09-08-2013"):
        text = listed(client, zoek=query)
        assert "Yara" not in text and "Oosterhuis" not in text.replace(query, "")
        nobody = listed(client, zoek="Zzyzx")
        assert text.replace(query, "Q") == nobody.replace("Zzyzx", "Q")
    assert AccessLogRecord.objects.filter(client_id=str(theirs.pk)).count() == before
    # And not by the other way in: their own list does not show ours.
    assert "Smit" not in listed(client_for(other_professional), zoek="Smit")


def test_sorting(professional, client_for):
    register(professional, given_names="Anna", family_name="Zwart", birth_date=date(2010, 1, 1))
    register(professional, given_names="Bram", family_name="Aalders", birth_date=date(2016, 1, 1))
    register(professional, given_names="Cor", family_name="Mulder", birth_date=date(2013, 1, 1))
    client = client_for(professional)

    def order(**params) -> list[str]:
        text = listed(client, **params)
        return sorted(("Zwart", "Aalders", "Mulder"), key=text.index)

    assert order() == ["Aalders", "Mulder", "Zwart"]
    assert order(sorteer="geboortedatum") == ["Zwart", "Mulder", "Aalders"]
    assert order(sorteer="vastgelegd") == ["Mulder", "Aalders", "Zwart"]  # newest first
    assert order(sorteer="onzin") == ["Aalders", "Mulder", "Zwart"]


def test_only_for_care_roles(privacy_officer, client_for):
    assert client_for(privacy_officer).get(reverse("persons")).status_code == 403


def test_queries_do_not_grow_with_the_list(professional, client_for):
    client = client_for(professional)
    client.get(reverse("persons"))  # the session and the language are settled

    def count(**params) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("persons"), params).status_code == 200
        return len(captured)

    for i in range(10):
        register(professional, given_names=f"Eerst{i}", family_name="Visser")
    few = count(), count(zoek="Visser"), count(sorteer="vastgelegd")
    for i in range(10):
        register(professional, given_names=f"Later{i}", family_name="Visser")
    assert (count(), count(zoek="Visser"), count(sorteer="vastgelegd")) == few


def test_household_register_searches_when_the_list_is_cut(professional, other_professional,
                                                          client_for, monkeypatch):
    from jeugdketen.registry.views import households

    monkeypatch.setattr(households, "MAX_CANDIDATES", 2)
    for given in ("Anna", "Bram", "Cor"):
        register(professional, given_names=given, family_name="Aalders")
    register(other_professional, given_names="Dirk", family_name="Aalders")
    client = client_for(professional)
    first = visible_text(client.get(reverse("register_household")).content)
    assert "Aalders, Anna" in first and "Aalders, Cor" not in first
    assert "Zoek op naam, BSN of geboortedatum" in first
    found = visible_text(client.get(reverse("register_household"), {"zoek": "cor"}).content)
    assert "Aalders, Cor" in found and "Aalders, Anna" not in found
    assert "Dirk" not in visible_text(
        client.get(reverse("register_household"), {"zoek": "dirk"}).content)
