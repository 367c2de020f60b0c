"""The access overview in pages of 50, filtered by period and organisation, with a box to
hide the family's own views; its queries do not grow with the records; and its filter
offers no organisation that has not touched this person's data."""

from __future__ import annotations

import re

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jeugdketen.access import audit
from jeugdketen.access.models import AccessLogRecord
from jeugdketen.access.policy import Action, Data, Decision, Ground, Target
from tests import factories as f
from tests.pages import family_of, visible_text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_settings")]


@pytest.fixture
def family(professional):
    """The household of tests/pages.py (a parent and two children), not the plan tests'
    family that tests/access/conftest.py offers."""
    return family_of(professional)

ROW = re.compile(r'<tr class="utrecht-table__row">\s*<td')


def reads_by(professional, person, count: int) -> None:
    """`count` records of `professional` reading `person`'s base data (as read_person
    writes them)."""
    actor = f.professional_actor(professional)
    target = Target(Data.BASE_DATA, person=person)
    decision = Decision(True, Ground.REGISTRATION, "professional")
    with transaction.atomic():
        audit.append([audit.entry(actor, Action.READ, target, decision) for _ in range(count)])


def rows(response) -> int:
    return len(ROW.findall(response.content.decode()))


@pytest.fixture
def school(municipality):
    return f.ProfessionalFactory(organisation=f.OrganisationFactory(
        name="Basisschool Het Anker", municipality=municipality), roles=["professional"])


@pytest.fixture
def stranger_org(municipality):
    """An organisation that never touched the family's data."""
    return f.OrganisationFactory(name="Sportclub Nergens", municipality=municipality)


def test_fifty_a_page_newest_first(citizen_user, family, professional, school, client_for):
    parent = family["parent"]
    reads_by(school, parent, 70)
    client = client_for(citizen_user)
    first = client.get(reverse("access_overview"))
    total = AccessLogRecord.objects.filter(client_id=str(parent.pk)).exclude(
        object_type="guide_session").count()
    pages = -(-total // 50)
    assert rows(first) == 50
    text = visible_text(first.content)
    assert f"Pagina 1 van {pages}" in text and f"{total} regels" in text
    assert 'rel="next" href="?pagina=2"' in first.content.decode()
    last = client.get(reverse("access_overview"), {"pagina": pages})
    # The overview's own reading is logged too: one record more since the first page.
    assert rows(last) == total + 1 - 50 * (pages - 1)
    beyond = client.get(reverse("access_overview"), {"pagina": 999})
    assert f"Pagina {pages} van {pages}" in visible_text(beyond.content)


def test_filter_by_organisation_offers_only_organisations_in_the_records(
        citizen_user, family, professional, school, stranger_org, client_for):
    parent = family["parent"]
    reads_by(school, parent, 3)
    client = client_for(citizen_user)
    page = client.get(reverse("access_overview"))
    body = page.content.decode()
    assert "Basisschool Het Anker" in body and professional.organisation.name in body
    assert "Sportclub Nergens" not in body  # not offered: it never saw this person's data
    only_school = client.get(reverse("access_overview"),
                             {"organisation": school.organisation.pk})
    assert rows(only_school) == 3
    text = visible_text(only_school.content)
    assert text.count("Basisschool Het Anker") >= 3
    # Asking for an organisation not offered shows nothing (and tells nothing).
    other = client.get(reverse("access_overview"), {"organisation": stranger_org.pk})
    assert rows(other) == 0
    assert "In deze periode heeft niemand deze gegevens bekeken of gewijzigd." in visible_text(
        other.content)


def test_hide_the_familys_own_views(citizen_user, family, client_for):
    client = client_for(citizen_user)
    for _ in range(3):
        client.get(reverse("access_overview"))  # each read of the overview is logged
    own = "Geen organisatie: een burger"
    assert own in visible_text(client.get(reverse("access_overview")).content)
    hidden = client.get(reverse("access_overview"), {"zonder_gezin": "on"})
    text = visible_text(hidden.content)
    assert own not in text
    assert "Deze organisatie heeft de persoon zelf ingeschreven." in text  # the professional's
    box = re.search(r'<input[^>]*name="zonder_gezin"[^>]*>', hidden.content.decode())
    assert box is not None and "checked" in box.group(0)


def test_the_privacy_officer_pages_and_filters_too(privacy_officer, family, school,
                                                   client_for):
    parent = family["parent"]
    reads_by(school, parent, 60)
    client = client_for(privacy_officer)
    url = reverse("access_log", args=[parent.pk])
    page = client.get(url)
    assert page.status_code == 200 and rows(page) == 50
    assert rows(client.get(url, {"organisation": school.organisation.pk})) == 50
    assert rows(client.get(url, {"organisation": school.organisation.pk, "pagina": 2})) == 10


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("who", ["citizen", "privacy_officer"])
def test_queries_stay_the_same_when_the_records_double(who, citizen_user, privacy_officer,
                                                       family, school, municipality,
                                                       client_for):
    parent = family["parent"]
    if who == "citizen":
        client, url = client_for(citizen_user), reverse("access_overview")
    else:
        client, url = client_for(privacy_officer), reverse("access_log", args=[parent.pk])
    others = [f.ProfessionalFactory(organisation=f.OrganisationFactory(municipality=municipality),
                                    roles=["professional"]) for _ in range(4)]
    for professional in [school, *others[:2]]:
        reads_by(professional, parent, 30)
    client.get(url)  # warm up (session, language)
    before = count_queries(client, url)
    for professional in [school, *others]:
        reads_by(professional, parent, 30)
    assert count_queries(client, url) == before
