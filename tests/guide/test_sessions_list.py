"""My decision aids: searched by the child's name, BSN or birth date (only among the
sessions the professional may see), paged; each session and each child named is logged
as read, in a number of queries that does not grow with the list."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jeugdketen.access.models import AccessLogRecord
from jeugdketen.guide import actions
from tests import factories as f

from .conftest import register
from .test_web import visible_text

pytestmark = pytest.mark.django_db
ANSWERS = {"steps": [], "suspicion": "no"}


def session_about(professional, person=None) -> None:
    actions.complete_session(f.professional_actor(professional), "meldcode", ANSWERS,
                             person.pk if person else None)


def test_search_and_logging(client_for, professional, outsider):
    noor = register(professional, given_names="Noor", family_name="van Dijk",
                    birth_date=date(2014, 3, 17))
    sem = register(professional, given_names="Sem", family_name="Aalders")
    theirs = register(outsider, given_names="Yara", family_name="Oosterhuis")
    for person in (noor, sem):
        session_about(professional, person)
    session_about(outsider, theirs)
    client = client_for(professional)
    url = reverse("guide_sessions")
    both = visible_text(client.get(url).content)
    assert "Noor van Dijk" in both and "Sem Aalders" in both and "Yara" not in both
    found = visible_text(client.get(url, {"zoek": "dijk"}).content)
    assert "Noor van Dijk" in found and "Sem Aalders" not in found
    assert "Noor van Dijk" in visible_text(client.get(url, {"zoek": noor.bsn}).content)
    assert "Noor van Dijk" in visible_text(client.get(url, {"zoek": "17-03-2014"}).content)
    nobody = visible_text(client.get(url, {"zoek": "Oosterhuis"}).content)
    assert "Geen ingevulde beslishulp gevonden" in nobody and "Yara" not in nobody
    before = AccessLogRecord.objects.filter(client_id=str(noor.pk)).count()
    client.get(url, {"zoek": "dijk"})
    # The session and the child's base data, each logged once.
    assert set(AccessLogRecord.objects.filter(client_id=str(noor.pk)).order_by("-at", "-seq")
               .values_list("object_type", flat=True)[:2]) == {"guide_session", "base_data"}
    assert AccessLogRecord.objects.filter(client_id=str(noor.pk)).count() - before == 2


def test_queries_do_not_grow_with_the_list(client_for, professional):
    client = client_for(professional)
    url = reverse("guide_sessions")
    client.get(url)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    for i in range(3):
        session_about(professional, register(professional, given_names=f"Eerst{i}"))
    session_about(professional)
    few = count()
    for i in range(3):
        session_about(professional, register(professional, given_names=f"Later{i}"))
    session_about(professional)
    assert count() == few
