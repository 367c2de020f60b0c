"""Real concurrency on PostgreSQL: simultaneous registrations of one BSN give one person,
and concurrent access-log writers keep every hash chain valid.

These tests need committed data visible to other connections, so they use
`transactional_db` (flushed with TRUNCATE on PostgreSQL, which the append-only triggers do
not block). They never run on SQLite: there the flush DELETEs rows and the triggers
refuse, and SQLite serialises writers anyway.

Outside CI they are skipped on SQLite. With CI=true a missing PostgreSQL is a failure:
.ci/run runs the suite on SQLite first and then on PostgreSQL, so in the SQLite pass these
tests are skipped only when PostgreSQL answers (CI_POSTGRES_URL, default the CI server on
127.0.0.1:5432) and will run in the PostgreSQL pass; otherwise they fail.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.db import connection, connections

from jeugdketen.access import audit
from jeugdketen.access.models import AccessLogRecord
from jeugdketen.registry import actions
from jeugdketen.registry.models import CorrectionProposal, Person, Registration
from tests import factories as f
from tests.brp import in_brp, known

pytestmark = pytest.mark.postgres

IN_CI = os.environ.get("CI", "").lower() == "true"
NEEDS_PG = ("needs PostgreSQL: run with DATABASE_URL=postgres://... (on SQLite writers are "
            "serialised and a transactional flush would hit the append-only triggers)")


def postgres_answers() -> str | None:
    """None when CI's PostgreSQL accepts a connection, else why not."""
    import psycopg

    url = os.environ.get("CI_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
    try:
        psycopg.connect(url, connect_timeout=5).close()
    except psycopg.Error as exc:
        return f"{url}: {exc}"
    return None


@pytest.fixture
def pg():
    """Listed before `transactional_db`, so nothing touches SQLite before the skip."""
    if connection.vendor != "postgresql":
        if IN_CI:
            problem = postgres_answers()
            if problem:
                pytest.fail(f"CI=true and PostgreSQL is missing ({problem}): {NEEDS_PG}")
            pytest.skip(f"SQLite pass of CI; these run in the PostgreSQL pass. {NEEDS_PG}")
        pytest.skip(NEEDS_PG)


@pytest.fixture
def committed(pg, transactional_db):
    """Committed data; a previous transactional test's flush removed the chain heads."""
    f.ensure_shards()
    return f.OrganisationFactory()


def in_threads(n: int, work: Callable[[int], Any]) -> list[Any]:
    """Run work(i) in n threads that start at the same moment; each closes its own
    database connection. Re-raises the first error of any thread."""
    barrier = threading.Barrier(n)
    results: list[Any] = [None] * n
    failures: list[BaseException] = []

    def run(i: int) -> None:
        try:
            connection.ensure_connection()  # connect before the start line
            barrier.wait(timeout=30)
            results[i] = work(i)
        except BaseException as exc:  # reported below, in the main thread
            failures.append(exc)
            barrier.abort()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a thread hung"
    if failures:
        raise failures[0]
    return results


@pytest.mark.parametrize(("threads", "rounds"), [(2, 5), (8, 3)])
def test_simultaneous_registrations_of_one_bsn_give_one_person(committed, threads, rounds):
    organisation = committed
    professionals = [f.ProfessionalFactory(organisation=organisation) for _ in range(threads)]
    for _ in range(rounds):
        bsn = f.synthetic_bsn()
        in_brp(bsn=bsn, given_names="Kind0", family_name="Jansen", birth_date=date(2016, 4, 1))

        def register(i: int, bsn: str = bsn) -> str:
            result = actions.register_person(
                f.professional_actor(professionals[i]),
                actions.PersonInput(bsn=bsn, given_names=f"Kind{i}", family_name="Jansen",
                                    birth_date=date(2016, 4, 1), sex="O"))
            return str(result.person.pk)

        ids = in_threads(threads, register)

        assert Person.objects.filter(bsn=bsn).count() == 1
        person = Person.objects.get(bsn=bsn)
        assert ids == [str(person.pk)] * threads
        assert Registration.objects.filter(person=person).count() == threads
        # The BRP's data; every other given name typed became a report back to the BRP.
        assert person.given_names == "Kind0"
        assert CorrectionProposal.objects.filter(person=person).count() == threads - 1
        assert AccessLogRecord.objects.filter(client_id=str(person.pk), action="create",
                                              outcome="allowed").count() == threads
    assert audit.verify().ok


def test_concurrent_access_log_writers_keep_every_chain_valid(committed):
    organisation = committed
    writers, reads = 8, 25
    professionals = [f.ProfessionalFactory(organisation=organisation) for _ in range(writers)]
    persons = []
    for prof in professionals:
        persons.append(actions.register_person(
            f.professional_actor(prof),
            actions.PersonInput(**known({"bsn": f.synthetic_bsn(), "given_names": "A",
                                         "family_name": "B", "birth_date": date(2012, 1, 1),
                                         "sex": "M"}))).person)
    before = AccessLogRecord.objects.count()

    def read_many(i: int) -> int:
        actor = f.professional_actor(professionals[i])
        for _ in range(reads):
            actions.read_person(actor, persons[i].pk)
        return reads

    assert sum(in_threads(writers, read_many)) == writers * reads

    assert AccessLogRecord.objects.count() == before + writers * reads
    result = audit.verify()
    assert result.ok, str(result.first_break)
    assert result.checked == AccessLogRecord.objects.count()
    # The writers spread over several chains instead of queueing for one.
    assert AccessLogRecord.objects.values("shard").distinct().count() > 1


@pytest.mark.parametrize("organisations", [2, 4])
def test_simultaneous_signals_make_exactly_one_match(committed, organisations):
    """Organisations signal the same youth at the same moment: one match, everyone told."""
    from jeugdketen.referral_index import actions as index
    from jeugdketen.referral_index.models import Match, Message

    kid = f.PersonFactory(birth_date=f.birth_date_for_age(9))
    profs = []
    for _ in range(organisations):
        org = f.OrganisationFactory(may_signal=True, may_coordinate=True)
        prof = f.ProfessionalFactory(organisation=org)
        Registration.objects.create(person=kid, professional=prof, organisation=org)
        profs.append(prof)

    in_threads(organisations,
               lambda i: index.register_signal(f.professional_actor(profs[i]), kid.pk))

    match = Match.objects.get()
    assert match.signals.count() == organisations
    for prof in profs:
        assert Message.objects.filter(recipient=prof, match=match).exists()
    assert audit.verify().ok


def test_simultaneous_signals_on_siblings_make_one_family_match(committed):
    from jeugdketen.referral_index import actions as index
    from jeugdketen.referral_index.models import Match

    mum = f.PersonFactory(birth_date=f.birth_date_for_age(41))
    kids = [f.PersonFactory(birth_date=f.birth_date_for_age(age)) for age in (6, 9)]
    f.make_household(parents=[mum], children=kids)
    profs = []
    for kid in kids:
        org = f.OrganisationFactory(may_signal=True)
        prof = f.ProfessionalFactory(organisation=org)
        Registration.objects.create(person=kid, professional=prof, organisation=org)
        profs.append(prof)

    in_threads(2, lambda i: index.register_signal(f.professional_actor(profs[i]), kids[i].pk))

    match = Match.objects.get()
    assert (match.kind, match.signals.count()) == ("family", 2)
