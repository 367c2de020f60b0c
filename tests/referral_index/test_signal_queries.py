"""Registering a signal costs a fixed, small number of SQL statements (issue 10, speed):
match detection finds the candidates and writes the matches, their members, the messages,
the access log and the chain events in a few set-based statements, however many signals
and professionals a match holds. The behaviour itself is tested in
tests/test_referral_index*.py and tests/test_index_concurrency_pg.py."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from jeugdketen.access.models import AccessLogRecord
from jeugdketen.chainlog.models import ChainEvent
from jeugdketen.referral_index import actions, selectors
from jeugdketen.referral_index.models import Match, Message
from jeugdketen.registry.models import Registration
from tests import factories as f

# Statements per registration, savepoints not counted. PostgreSQL takes the advisory locks
# in the youth's statement and writes the access log in one; SQLite needs no advisory lock
# and writes the access log in three.
# The youth, their municipality, the policy's "registered" fact and their parents in one
# statement (referral_index.selectors); after the locks one for the youth's active signals
# (this organisation's, and whether another's could make a client match) and the relatives
# with a live signal of another organisation; the candidates' signals only when the youth or
# a relative has one. Without anyone to match, the signal's INSERT also locks the access
# log's chain head on PostgreSQL (one statement less). On PostgreSQL the signal's INSERT
# also writes the registration's chain event; on SQLite it goes with the match's events.
PG = connection.vendor == "postgresql"
NO_MATCH = 4 if PG else 7  # youth (+locks), signals+relatives, insert, log (1-3), event (SQLite)
# + candidates' signals, matches (locked), insert match, members, messages, and the log's
# head locked by itself (PostgreSQL)
NEW_MATCH = 11 if PG else 12
JOIN_MATCH = NEW_MATCH + 1  # + the members of the existing match
# A youth without parents in the BRP and without a BRP address (no relatives): a client
# match only.
JOIN_CLIENT_MATCH = 11 if PG else 12


def youth(age: int = 10, **kw):
    return f.PersonFactory(birth_date=f.birth_date_for_age(age), **kw)


def signaller():
    org = f.OrganisationFactory(kind="neighbourhood_team", may_signal=True, may_coordinate=True)
    return f.ProfessionalFactory(organisation=org, roles=["professional"])


def register(prof, person):
    Registration.objects.get_or_create(person=person, professional=prof,
                                       defaults={"organisation": prof.organisation})
    actor = f.professional_actor(prof)
    with CaptureQueriesContext(connection) as captured:
        result = actions.register_signal(actor, person.pk)
    statements = [q["sql"] for q in captured.captured_queries
                  if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
                  and "pg_get_serial_sequence" not in q["sql"]]  # once per connection
    return result, statements


def family():
    mum = youth(40)
    anna, bram = youth(8), youth(12)
    f.make_household(parents=[mum], children=[anna])
    f.make_household(parents=[mum], children=[bram])
    return anna, bram


def test_a_signal_without_a_match(db):
    anna, _bram = family()
    result, statements = register(signaller(), anna)
    assert result.created and result.matches == []
    assert len(statements) == NO_MATCH, (len(statements), "\n".join(statements))


def test_a_signal_that_makes_a_family_match(db):
    anna, bram = family()
    register(signaller(), anna)
    result, statements = register(signaller(), bram)
    assert [m.kind for m in result.matches] == ["family"]
    assert len(statements) == NEW_MATCH, (len(statements), "\n".join(statements))
    # The registrations' events (with the signal's INSERT on PostgreSQL) before the match's.
    assert list(ChainEvent.objects.order_by("id").values_list("activity", flat=True)) == [
        "signal.registered", "signal.registered", "match.created"]


def test_a_signal_that_makes_a_client_and_joins_a_family_match(
        db, django_capture_on_commit_callbacks):
    anna, bram = family()
    register(signaller(), anna)
    register(signaller(), bram)  # family match with anna
    with django_capture_on_commit_callbacks(execute=True):
        result, statements = register(signaller(), bram)
    assert sorted(m.kind for m in result.matches) == ["client", "family"]
    assert len(statements) == JOIN_MATCH, (len(statements), "\n".join(statements))
    # What those statements wrote: a new client match, the family match joined; a message
    # and a mail for each professional who hears of someone new (client: both; family:
    # the newcomer of both others, the others of the newcomer), as before.
    assert Match.objects.count() == 2
    assert Message.objects.count() == 2 + 5 and len(mail.outbox) == 5
    assert ChainEvent.objects.filter(activity="match.created").count() == 2
    assert ChainEvent.objects.filter(activity="match.joined").count() == 1


def test_the_count_does_not_grow_with_the_match(db):
    """A fifth organisation joining a client match of four: one statement more than
    making a match (the members of the existing one), whatever its size."""
    kid = youth()
    for _ in range(4):
        register(signaller(), kid)
    before = AccessLogRecord.objects.count()
    result, statements = register(signaller(), kid)
    assert [m.kind for m in result.matches] == ["client"] and result.matches[0].signals.count() == 5
    assert len(statements) == JOIN_CLIENT_MATCH, (len(statements), "\n".join(statements))
    # The signal, the match for the youth, and a read of base data for each of the five
    # professionals who get a message (the newcomer hears of all, the others of it).
    assert AccessLogRecord.objects.count() - before == 1 + 1 + 5


@pytest.mark.parametrize("address", [True, False])
def test_the_locks_taken_with_the_youth_are_the_registrations_keys(db, address):
    """On PostgreSQL the youth's statement takes the registration's advisory locks itself
    (in SQL); they must be the very locks a withdrawal takes (actions._lock, in Python), or
    the two would not serialise. Two parents, and a BRP address or none."""
    if not PG:
        pytest.skip("advisory locks: PostgreSQL only")
    mum, dad = youth(40), youth(41)
    kid = youth(9, **({"postcode": "3511AB", "house_number": 12, "house_letter": "a",
                       "house_number_addition": "2"} if address else {}))
    f.make_household(parents=[mum, dad], children=[kid])
    parents = sorted([mum.bsn, dad.bsn])
    expected = {actions._lock_digest(k) for k in actions._lock_keys(kid, parents)}
    assert len(expected) == 4 and (address == (actions._address_key(kid) != ""))
    with transaction.atomic(), connection.cursor() as cursor:
        person, _registered, found_parents = selectors.youth_for_signal(kid.pk, None, lock=True)
        assert person == kid and found_parents == parents
        cursor.execute("SELECT classid::bigint, objid::bigint FROM pg_locks WHERE "
                       "locktype = 'advisory' AND pid = pg_backend_pid()")
        taken = {(hi << 32 | lo) - (1 << 64) if hi >= 1 << 31 else hi << 32 | lo
                 for hi, lo in cursor.fetchall()}
    assert taken == expected
