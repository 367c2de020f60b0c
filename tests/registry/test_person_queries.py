"""Reading and registering a person cost a fixed, small number of SQL statements (issue 10,
speed): on PostgreSQL the read of the person folds in the lock of an access-log chain head,
and a registration without a BSN writes the person (the neighbourhood of the postcode
looked up inside the INSERT), the registration and that lock in one statement. The
behaviour itself is tested in tests/registry/test_registry.py and the API tests."""

from __future__ import annotations

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext

from jeugdketen.access.models import AccessLogRecord
from jeugdketen.chainlog.models import ChainEvent
from jeugdketen.registry.models import Person, Registration
from tests import factories as f
from tests.brp import in_brp
from tests.conftest import is_postgres

# Statements per request, savepoints not counted (the test's own transaction turns the
# action's BEGIN/COMMIT into them), through the API (the token lookup included).
# PostgreSQL: the access log is one statement after the head lock folded into the read
# or the INSERT; SQLite locks the head and writes the log and the head in three.
GET = {"postgresql": 3, "sqlite": 5}  # token, person (+ head), log (lock, insert, head)
# token, person (+ neighbourhood, registration, head), log, chain event
POST_NEW = {"postgresql": 4, "sqlite": 7}
# token, mismatches today, person inserted or locked, BRP facts (update, kinship),
# registration (+ head), log, chain event
POST_BSN = {"postgresql": 8, "sqlite": 10}


def statements(captured: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in captured.captured_queries
            if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
            and "pg_get_serial_sequence" not in q["sql"]]  # once per connection


def expected(counts: dict[str, int]) -> int:
    return counts["postgresql" if is_postgres() else "sqlite"]


def post(api_client, body):
    logged, events = AccessLogRecord.objects.count(), ChainEvent.objects.count()
    with CaptureQueriesContext(connection) as captured:
        response = api_client.post("/persons", body)
    assert response.status_code == 201, response.content
    assert AccessLogRecord.objects.count() == logged + 1
    assert ChainEvent.objects.count() == events + 1
    return response.json(), statements(captured)


def test_registering_a_person_without_a_bsn(api_client, professional, postcode_address):
    body, sql = post(api_client, {"given_names": "Noor", "family_name": "Kaya",
                                  "birth_date": "2015-01-02", "sex": "V",
                                  "postcode": postcode_address.postcode,
                                  "house_number": postcode_address.house_number})
    assert len(sql) == expected(POST_NEW), (len(sql), "\n".join(sql))
    assert body["neighbourhood_code"] == postcode_address.neighbourhood_id
    assert body["neighbourhood_unknown"] is False and body["system_id"]
    person = Person.objects.get(pk=body["id"])
    assert person.neighbourhood_id == postcode_address.neighbourhood_id
    assert Registration.objects.filter(person=person, professional=professional).exists()


def test_registering_a_person_at_an_unknown_address(api_client, professional, postcode_address):
    body, sql = post(api_client, {"given_names": "Noor", "family_name": "Kaya",
                                  "birth_date": "2015-01-02", "sex": "V",
                                  "postcode": "9999ZZ", "house_number": 1})
    assert len(sql) == expected(POST_NEW), (len(sql), "\n".join(sql))
    assert body["neighbourhood_code"] is None and body["neighbourhood_unknown"] is True
    assert Person.objects.get(pk=body["id"]).neighbourhood_unknown


def test_registering_a_person_with_a_bsn_and_again(api_client, professional):
    bsn = f.synthetic_bsn()
    in_brp(bsn=bsn, given_names="Daan", family_name="Visser", birth_date=date(2013, 11, 2),
           sex="M")
    entered = {"bsn": bsn, "given_names": "Daan", "family_name": "Visser",
               "birth_date": "2013-11-02", "sex": "M"}
    first, sql = post(api_client, entered)
    assert len(sql) == expected(POST_BSN), (len(sql), "\n".join(sql))
    again, sql = post(api_client, entered)
    assert len(sql) == expected(POST_BSN), (len(sql), "\n".join(sql))
    assert again == first
    assert list(ChainEvent.objects.order_by("id").values_list("activity", flat=True))[-2:] == [
        "person.registered", "person.reregistered"]


def test_reading_a_person(api_client, professional):
    person = f.PersonFactory()
    Registration.objects.create(person=person, professional=professional,
                                organisation=professional.organisation)
    logged = AccessLogRecord.objects.count()
    with CaptureQueriesContext(connection) as captured:
        response = api_client.get(f"/persons/{person.pk}")
    assert response.status_code == 200
    sql = statements(captured)
    assert len(sql) == expected(GET), (len(sql), "\n".join(sql))
    assert AccessLogRecord.objects.count() == logged + 1
    record = AccessLogRecord.objects.order_by("-id").first()
    assert (record.outcome, record.action, record.client_id) == (
        "allowed", "read", str(person.pk))
