"""Automatic anchoring (issue 8, finding 9): the writers anchor the chain heads by
themselves after their commit when the last anchor is AUDIT_ANCHOR_RECORDS records or
AUDIT_ANCHOR_SECONDS seconds behind, one process at a time, and the anchor chain never
forks. Records and anchors from before hash version 2 still verify."""

from __future__ import annotations

import threading
from datetime import timedelta
from unittest import mock

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jeugdketen.access import audit
from jeugdketen.access.audit import records
from jeugdketen.access.models import AccessLogRecord, AuditAnchor
from jeugdketen.access.policy import Action, Actor, Data, Decision, Target
from tests.registry.test_concurrency_pg import in_threads

ACTOR = Actor(operator=True)
ALLOWED = Decision(True, "retention", "platform_admin")


def write(n: int = 1) -> None:
    with transaction.atomic():
        audit.append(audit.entry(ACTOR, Action.READ, Target(Data.SIGNAL, object_id=str(i)),
                                 ALLOWED) for i in range(n))


@pytest.fixture
def commit(db, django_capture_on_commit_callbacks):
    """write() as its own committed transaction: the after-commit anchoring runs."""

    def run(n: int = 1) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            write(n)

    return run


def anchors() -> int:
    return AuditAnchor.objects.count()


def test_writers_anchor_when_the_last_anchor_is_n_records_behind(settings, commit):
    settings.AUDIT_ANCHOR_RECORDS = 5
    settings.AUDIT_ANCHOR_SECONDS = 3600
    commit()  # no anchor yet: the first write anchors
    assert anchors() == 1
    for _ in range(4):
        commit()
    assert anchors() == 1  # four records behind
    commit()
    assert anchors() == 2
    last = AuditAnchor.objects.order_by("-id").first()
    assert last.records == AccessLogRecord.objects.count()
    commit(12)  # one transaction of 12 records: one anchor after it, covering them all
    assert anchors() == 3
    assert AuditAnchor.objects.order_by("-id").first().records == AccessLogRecord.objects.count()
    result = audit.verify()
    assert result.ok and result.unanchored == 0


def test_writers_anchor_when_the_last_anchor_is_t_seconds_old(settings, commit):
    settings.AUDIT_ANCHOR_RECORDS = 10**9
    settings.AUDIT_ANCHOR_SECONDS = 60
    commit()
    commit()
    assert anchors() == 1
    later = timezone.now() + timedelta(seconds=61)
    with mock.patch.object(timezone, "now", return_value=later):
        commit()
    assert anchors() == 2
    assert AuditAnchor.objects.order_by("-id").first().at == later
    assert audit.verify().ok


def test_a_write_that_is_not_due_asks_nothing_about_anchors(settings, commit):
    """The hot path: lock a head and reserve ids, then the records and the head. Whether an
    anchor is due follows from what the process learnt at its last anchoring."""
    settings.AUDIT_ANCHOR_RECORDS = 1000
    commit()
    with CaptureQueriesContext(connection) as queries:
        commit()
    log_statements = [q["sql"] for q in queries.captured_queries if "access_" in q["sql"]]
    assert not any("auditanchor" in sql for sql in log_statements)
    assert len(log_statements) == (2 if connection.vendor == "postgresql" else 3)
    assert anchors() == 1


def test_another_process_that_anchored_lately_is_noticed_and_not_repeated(settings, commit):
    settings.AUDIT_ANCHOR_RECORDS = 5
    settings.AUDIT_ANCHOR_SECONDS = 3600
    commit()
    assert anchors() == 1
    audit.forget_anchor_state()  # as a second process, which has not seen that anchor
    commit()  # it looks: one record behind a fresh anchor, so none is due
    assert anchors() == 1
    for _ in range(3):
        commit()
    assert anchors() == 1  # and it now counts from what it saw: four behind
    commit()
    assert anchors() == 2


def test_no_anchor_is_written_inside_the_writers_transaction(settings, db):
    """The anchor comes after the commit; a rolled-back write leaves none."""
    settings.AUDIT_ANCHOR_RECORDS = 1
    before = anchors()
    write()
    assert anchors() == before  # the test's transaction never commits


def test_nothing_new_means_no_new_anchor(settings, commit):
    settings.AUDIT_ANCHOR_RECORDS = 1
    commit()
    assert audit.anchor_if_due() is None
    # `jeugdketen audit anchor` anchors anyway: a fresh root to publish.
    assert audit.anchor().prev_root == AuditAnchor.objects.order_by("id")[0].root


def test_the_anchor_chain_cannot_fork(commit):
    """Two anchors with the same predecessor: the database refuses the second."""
    commit()
    first = AuditAnchor.objects.order_by("-id").first()
    second = audit.anchor()
    fork = AuditAnchor(version=2, at=timezone.now(), heads=second.heads, records=second.records,
                       prev_root=first.root)
    fork.root = audit.anchor_root(fork)
    with pytest.raises(IntegrityError), transaction.atomic():
        fork.save()


def test_records_and_anchors_from_before_version_2_still_verify(settings, commit):
    """Written before migration 0006: no hash version (hashed without the id), anchors of
    the old kind. They verify as before, and the chain goes on with version 2."""
    settings.AUDIT_SHARDS = 1
    assert not AccessLogRecord.objects.exists() and not AuditAnchor.objects.exists()
    prev, old = audit.GENESIS, []
    with connection.cursor() as cursor:
        for seq in range(1, 4):
            values = audit.entry(ACTOR, Action.READ, Target(Data.SIGNAL, object_id="old"),
                                 ALLOWED)
            values.update(id=1000 + seq, hash_version=None, shard=0, seq=seq, prev_hash=prev)
            values["hash"] = prev = audit.record_hash(values)
            cursor.execute(
                f"INSERT INTO access_accesslogrecord ({', '.join(audit.COLUMNS)}) VALUES "
                f"({', '.join(['%s'] * len(audit.COLUMNS))})", [values[c] for c in audit.COLUMNS])
            old.append(values)
        cursor.execute("UPDATE access_accesslogshard SET last_seq = 3, last_hash = %s "
                       "WHERE shard = 0", [prev])
    heads = {str(s): [0, audit.GENESIS] for s in range(64)} | {"0": [3, prev]}
    AuditAnchor.objects.create(heads=heads, prev_root=audit.GENESIS,
                               root=audit.roots_from_heads(heads, audit.GENESIS))
    assert audit.verify().ok
    commit()  # a version-2 record on the same chain, and an anchor of version 2
    newest = AccessLogRecord.objects.get(shard=0, seq=4)
    assert newest.hash_version == 2 and newest.prev_hash == prev
    assert [a.version for a in AuditAnchor.objects.order_by("id")] == [None, 2]
    assert audit.verify().ok
    # The old hash leaves the id out, the new one covers it.
    moved = {**old[0], "id": 4242}
    assert audit.record_hash(moved) == old[0]["hash"]
    newest_values = {name: getattr(newest, name) for name in AccessLogRecord.HASHED_FIELDS}
    assert audit.record_hash({**newest_values, "id": 4242}) != newest.hash


# --- PostgreSQL: concurrent processes -------------------------------------------------------


@pytest.mark.postgres
def test_a_writer_never_waits_for_another_process_that_is_anchoring(pg, db, settings):
    """Another session holds the anchor lock: the writer's anchoring gives up at once."""
    import psycopg

    settings.AUDIT_ANCHOR_RECORDS = 1
    params = connection.get_connection_params()
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with psycopg.connect(**{k: v for k, v in params.items() if k != "cursor_factory"},
                             autocommit=True) as other:
            other.execute("SELECT pg_advisory_lock(%s, %s)", list(audit.ANCHOR_LOCK))
            held.set()
            release.wait(timeout=30)
            # Unlocked before the thread ends: closing the connection returns before the
            # server has ended the session (and let go of its locks), and the anchoring
            # below could still find the lock held (seen once in CI).
            other.execute("SELECT pg_advisory_unlock(%s, %s)", list(audit.ANCHOR_LOCK))

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert held.wait(timeout=30)
        write()
        before = anchors()
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '2s'")
        assert audit.anchor_if_due() is None  # did not wait (that would time out and raise)
        assert anchors() == before
    finally:
        release.set()
        holder.join(timeout=30)
    assert audit.anchor_if_due() is not None


@pytest.mark.postgres
def test_concurrent_writers_anchor_without_forking_the_chain(committed, settings):
    settings.AUDIT_ANCHOR_RECORDS = 3

    def many(i: int) -> int:
        for _ in range(15):
            write()
        return 15

    assert sum(in_threads(8, many)) == 120
    made = list(AuditAnchor.objects.order_by("id"))
    # Anchored often, by whichever writer got the lock (the others went on: what they
    # wrote meanwhile is in the next anchor).
    assert len(made) >= 5
    assert len({a.prev_root for a in made}) == len(made)  # one chain, no fork
    result = audit.verify(roots=[made[0].root, made[-1].root])
    assert result.ok, str(result.first_break)
    write()  # the next write catches up: less than N behind afterwards, give or take
    # what the other writers had in flight when the state was last learnt (their records
    # were not yet in the heads read, and their ids lie below the mark): one each here.
    result = audit.verify()
    assert result.ok and result.unanchored < 3 + 7


# --- the hashed payload ------------------------------------------------------------------------


TRICKY = ["Şükrü Łukasz Yılmaz-Nguyễn", 'a "quoted" back\\slash', "tab\tnew\nline\r\x01\x1f",
          "\u2028\u2029 😀 \x7f", "", None, True, False, 0, -7, 2**62]


def test_the_payload_encoder_is_plain_compact_json():
    import json

    for value in [TRICKY, tuple(TRICKY), *([v] for v in TRICKY)]:
        assert records._dumps(value) == json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    with pytest.raises(TypeError):
        records._dumps([object()])


def test_hashes_of_records_from_before_version_2_are_computed_as_they_were():
    """The formula of the old `record_hash`, written out: records in the log keep verifying."""
    import hashlib
    import json
    from datetime import UTC, datetime

    at = datetime(2026, 11, 22, 17, 26, 0, 123456, tzinfo=UTC)
    values = dict(zip(AccessLogRecord.HASHED_FIELDS_V1, [
        3, 17, "ab" * 32, at, "client", 9, "user", "", "professional", 4, TRICKY[0], "::1",
        TRICKY[2], "session", None, "read", "base_data", "x", "base_data", "registration",
        False, TRICKY[1], "allowed"], strict=True))
    parts = [at.isoformat(timespec="microseconds") if isinstance(v, datetime) else v
             for v in values.values()]
    old = hashlib.sha256(json.dumps(parts, separators=(",", ":"), ensure_ascii=False)
                         .encode()).hexdigest()
    assert audit.record_hash({**values, "id": 99, "hash_version": None}) == old
    assert audit.record_hash({**values, "id": 99, "hash_version": 2}) != old
