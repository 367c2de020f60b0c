"""The written statements of a person's read and registration (issue 10, speed; the
cheaper pass of 2026-12-07) answer exactly what the ORM did: the person read without a raw
queryset is the person the ORM reads, a re-registration of a known BSN with a BRP address
looks its neighbourhood up once (it did three times), the BRP facts' UPDATE and the
kinship's comparison leave the rows as save() and the ORM did. Counts exclude
savepoints (the test's transaction) and are over the API with the token look-up."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jeugdketen.access import audit
from jeugdketen.access.models import AccessLogRecord
from jeugdketen.chainlog.models import ChainEvent
from jeugdketen.registry.actions import persons as person_actions
from jeugdketen.registry.actions import refresh
from jeugdketen.registry.models import Kinship, Person, Registration
from tests import factories as f
from tests.brp import in_brp
from tests.registry.test_person_queries import expected, statements

# token, mismatches today, person inserted or locked, the neighbourhood of the BRP address
# (once), BRP facts (update, kinship), registration (+ head), log, chain event (SQLite:
# the log in three: head, records, head's update)
POST_BSN_ADDRESS = {"postgresql": 9, "sqlite": 11}


def _reregister(api_client, body):
    logged, events = AccessLogRecord.objects.count(), ChainEvent.objects.count()
    with CaptureQueriesContext(connection) as captured:
        response = api_client.post("/persons", body)
    assert response.status_code == 201, response.content
    assert AccessLogRecord.objects.count() == logged + 1
    assert ChainEvent.objects.count() == events + 1
    return response.json(), statements(captured)


def test_a_known_bsn_with_an_address_looks_the_neighbourhood_up_once(
        api_client, professional, postcode_address):
    bsn = f.synthetic_bsn()
    in_brp(bsn=bsn, given_names="Daan", family_name="Visser", birth_date=date(2013, 11, 2),
           sex="M", postcode=postcode_address.postcode,
           house_number=postcode_address.house_number, parents=[f.synthetic_bsn()])
    body = {"bsn": bsn, "given_names": "Daan", "family_name": "Visser",
            "birth_date": "2013-11-02", "sex": "M", "postcode": postcode_address.postcode,
            "house_number": postcode_address.house_number}
    first, _ = _reregister(api_client, body)
    again, sql = _reregister(api_client, body)
    assert len(sql) == expected(POST_BSN_ADDRESS), (len(sql), "\n".join(sql))
    assert sum("registry_postcodeaddress" in s for s in sql) == 1
    assert again == first
    assert first["neighbourhood_code"] == postcode_address.neighbourhood_id
    assert first["brp_verified"] is True
    event = ChainEvent.objects.order_by("-id").first()
    assert (event.activity, event.neighbourhood_code, event.organisation_id) == (
        "person.reregistered", postcode_address.neighbourhood_id, professional.organisation_id)
    assert event.person_key == str(Person.objects.get(pk=first["id"]).pseudonym)
    record = AccessLogRecord.objects.order_by("-id").first()
    assert (record.action, record.outcome, record.client_id) == ("create", "allowed",
                                                                  first["id"])
    assert audit.verify().ok


def test_the_read_person_is_the_orm_person(api_client, professional, postcode_address):
    person = f.PersonFactory(postcode=postcode_address.postcode,
                             house_number=postcode_address.house_number,
                             neighbourhood=postcode_address.neighbourhood,
                             date_of_death=date(2024, 5, 6))
    Registration.objects.create(person=person, professional=professional,
                                organisation=professional.organisation)
    from jeugdketen.access.selectors import actor_for_user

    actor = actor_for_user(professional.user)
    read = person_actions.read_person(actor, str(person.pk))
    orm = Person.objects.get(pk=person.pk)
    for field in Person._meta.concrete_fields:
        assert getattr(read, field.attname) == getattr(orm, field.attname), field.attname
        assert type(getattr(read, field.attname)) is type(getattr(orm, field.attname))
    assert read._state.adding is False and read._state.db == orm._state.db
    assert read.jk_registered is True


def test_an_unregistered_person_is_denied_and_logged(api_client, professional):
    person = f.PersonFactory()
    response = api_client.get(f"/persons/{person.pk}")
    assert response.status_code == 403
    record = AccessLogRecord.objects.order_by("-id").first()
    assert (record.outcome, record.client_id) == ("denied", str(person.pk))


@pytest.mark.parametrize("person_id", ["not-a-uuid", "00000000-0000-0000-0000-000000000000"])
def test_an_unknown_or_malformed_id_is_denied_and_logged(api_client, person_id):
    response = api_client.get(f"/persons/{person_id}")
    assert response.status_code == 403
    record = AccessLogRecord.objects.order_by("-id").first()
    assert (record.outcome, record.object_id, record.reason) == (
        "denied", person_id, "no such person")


def test_insert_or_lock_returns_the_stored_row_as_the_orm_reads_it(db):
    existing = f.PersonFactory(bsn=f.synthetic_bsn())
    candidate = Person(bsn=existing.bsn, given_names="X", family_name="Y",
                       birth_date=date(2010, 1, 1), sex="O")
    from django.db import transaction

    with transaction.atomic():
        locked = person_actions._insert_or_lock(candidate)
    orm = Person.objects.get(pk=existing.pk)
    assert locked.pk == existing.pk != candidate.pk
    for field in Person._meta.concrete_fields:
        assert getattr(locked, field.attname) == getattr(orm, field.attname), field.attname
        assert type(getattr(locked, field.attname)) is type(getattr(orm, field.attname))


def _brp_person(bsn, **kw):
    from jeugdketen.brp.persoon import parse

    return parse(in_brp(bsn=bsn, given_names="Sam", family_name="Kok",
                                     birth_date=date(2012, 3, 4), **kw))


def test_kinship_stored_as_the_orm_did_and_unchanged_kept(db):
    person = f.PersonFactory(bsn=f.synthetic_bsn())
    mother, father = f.synthetic_bsn(), f.synthetic_bsn()
    found = _brp_person(person.bsn, parents=[mother, father], custody=[mother])
    assert refresh._store_kinship(person, found) is True
    rows = set(Kinship.objects.filter(child=person).values_list(
        "relative_bsn", "is_parent", "has_custody", "custody_type"))
    relation, holders = found.custody_holders()
    assert holders == (mother,)
    assert rows == {(mother, True, True, relation.kind if relation else ""),
                    (father, True, False, "")}
    ids = set(Kinship.objects.filter(child=person).values_list("id", flat=True))
    assert refresh._store_kinship(person, found) is False  # the same facts: untouched
    assert set(Kinship.objects.filter(child=person).values_list("id", flat=True)) == ids
    guardian = f.synthetic_bsn()
    changed = _brp_person(person.bsn, parents=[mother], custody=[guardian],
                          custody_type="Voogdij")
    assert refresh._store_kinship(person, changed) is True
    assert set(Kinship.objects.filter(child=person).values_list(
        "relative_bsn", "is_parent", "has_custody")) == {(mother, True, False),
                                                         (guardian, False, True)}


def test_apply_brp_writes_what_save_wrote(db, postcode_address):
    person = f.PersonFactory(bsn=f.synthetic_bsn(), given_names="Oud")
    found = _brp_person(person.bsn, sex="V", postcode=postcode_address.postcode,
                        house_number=postcode_address.house_number)
    from django.db import transaction
    from django.utils import timezone

    now = timezone.now()
    with transaction.atomic():
        changed = refresh.apply_brp(Person.objects.get(pk=person.pk), found, now)
    assert {"given_names", "family_name", "postcode", "neighbourhood_id"} <= set(changed)
    stored = Person.objects.get(pk=person.pk)
    assert (stored.given_names, stored.family_name, stored.sex, stored.postcode,
            stored.neighbourhood_id, stored.brp_verified_at, stored.updated_at) == (
        "Sam", "Kok", "V", postcode_address.postcode, postcode_address.neighbourhood_id,
        now, now)
    assert stored.created_at == person.created_at and stored.pseudonym == person.pseudonym


def test_apply_brp_of_a_person_gone_meanwhile_saves_as_before(db):
    person = f.PersonFactory(bsn=f.synthetic_bsn())
    found = _brp_person(person.bsn)
    from django.db import transaction
    from django.utils import timezone

    copy = Person.objects.get(pk=person.pk)
    Person.objects.filter(pk=person.pk).delete()
    with transaction.atomic():
        refresh.apply_brp(copy, found, timezone.now())
    assert Person.objects.filter(pk=person.pk, family_name="Kok").exists()  # save() inserted
