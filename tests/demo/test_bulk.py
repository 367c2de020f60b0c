"""The documented bulk path (`jeugdketen demo --scale N --access-log M`), at a small scale:
valid hash chains, no duplicates on a rerun, synthetic identifiers only."""

from __future__ import annotations

from io import StringIO

import pytest

from jeugdketen.access import audit
from jeugdketen.access.models import AccessLogRecord
from jeugdketen.demo import bulk_registry as bulk
from jeugdketen.registry.models import Person
from jeugdketen.registry.validators import is_valid_bsn


@pytest.mark.django_db(transaction=False)
def test_bulk_build_is_valid_and_rerunnable():
    bulk.build(persons=300, access_log_records=2000, seed=7, out=StringIO())
    persons, records = Person.objects.count(), AccessLogRecord.objects.count()
    assert persons >= 300 and records >= 2000
    assert audit.verify().ok
    bsns = list(Person.objects.exclude(bsn__isnull=True).values_list("bsn", flat=True))
    assert bsns and all(b.startswith("9999") and is_valid_bsn(b) for b in bsns)
    # Every person with a BSN is in the BRP stand-in as the registry keeps them, so that
    # re-registering them (the POST /persons benchmark) is verified like anyone's.
    from jeugdketen.brp import client

    sample = Person.objects.exclude(bsn__isnull=True).order_by("bsn")[:20]
    found = client.persons(p.bsn for p in sample)
    assert all(found[p.bsn].birth.complete == p.birth_date for p in sample)
    bulk.build(persons=300, access_log_records=2000, seed=7, out=StringIO())
    assert (Person.objects.count(), AccessLogRecord.objects.count()) == (persons, records)
    assert audit.verify().ok
