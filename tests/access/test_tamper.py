"""Tampering with the NEN 7513 access log behind the platform's back is detected (issue 8,
finding 9: the review's 19 kinds, and more).

The attacker has database rights: switches the append-only triggers off and edits records,
chain heads and anchors with raw SQL, recomputing hashes where that helps them. The log
they attack is as the platform leaves it: written by the actions in two chains, anchored
by the writers themselves after each commit. Each case must make `audit.verify` fail; the
few that only a root published outside the platform can show are verified with it. All
of it is rolled back afterwards (and the log verifies again)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from jeugdketen.access import audit
from jeugdketen.access.models import AccessLogRecord, AccessLogShard, AuditAnchor
from jeugdketen.registry import actions
from tests import brp
from tests import factories as f

RECORDS, ANCHORS, HEADS = "access_accesslogrecord", "access_auditanchor", "access_accesslogshard"
COLUMNS = audit.COLUMNS  # every stored field of a record, the hash last


# --- the attacker ------------------------------------------------------------------------


def _switch_off_triggers(cursor: Any, table: str) -> None:
    if connection.vendor == "postgresql":
        cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER ALL")
        return
    cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                   [table])
    for (name,) in cursor.fetchall():
        cursor.execute(f'DROP TRIGGER "{name}"')


@contextmanager
def attacker() -> Iterator[Any]:
    """Raw SQL with the append-only triggers off; everything is rolled back afterwards."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for table in (RECORDS, ANCHORS, HEADS):
                _switch_off_triggers(cursor, table)
            yield cursor
        transaction.set_rollback(True)


def values_of(record: AccessLogRecord) -> dict[str, Any]:
    return {name: getattr(record, name) for name in COLUMNS}


def insert(sql: Any, values: dict[str, Any]) -> None:
    sql.execute(f"INSERT INTO {RECORDS} ({', '.join(COLUMNS)}) "
                f"VALUES ({', '.join(['%s'] * len(COLUMNS))})", [values[c] for c in COLUMNS])


def set_head(sql: Any, shard: int, seq: int, digest: str) -> None:
    sql.execute(f"UPDATE {HEADS} SET last_seq = %s, last_hash = %s WHERE shard = %s",
                [seq, digest, shard])


def rewrite_chain(sql: Any, shard: int, chain: list[dict[str, Any]]) -> None:
    """Replace a chain by `chain`, renumbered from seq 1 and with every hash recomputed
    (the attacker knows the hash function), and move its head to match."""
    sql.execute(f"DELETE FROM {RECORDS} WHERE shard = %s", [shard])
    prev = audit.GENESIS
    for seq, values in enumerate(chain, start=1):
        values = {**values, "shard": shard, "seq": seq, "prev_hash": prev}
        values["hash"] = prev = audit.record_hash(values)
        insert(sql, values)
    set_head(sql, shard, len(chain), prev)


def set_anchor(sql: Any, anchor_id: int, **changes: Any) -> None:
    for name, value in changes.items():
        if name == "heads":
            cast = "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"
            sql.execute(f"UPDATE {ANCHORS} SET heads = {cast} WHERE id = %s",
                        [json.dumps(value), anchor_id])
        else:
            sql.execute(f"UPDATE {ANCHORS} SET {name} = %s WHERE id = %s",
                        [value, anchor_id])


def recompute_anchors(sql: Any, anchors: list[AuditAnchor]) -> None:
    """Give every anchor a root (and prev_root) that fits its (changed) content."""
    prev = audit.GENESIS
    for anchor in anchors:
        anchor.prev_root = prev
        anchor.root = prev = audit.anchor_root(anchor)
        set_anchor(sql, anchor.pk, heads=anchor.heads, prev_root=anchor.prev_root,
                   root=anchor.root)


def swap_ids(sql: Any, a: AccessLogRecord, b: AccessLogRecord) -> None:
    spare = AccessLogRecord.objects.order_by("-id").values_list("id", flat=True)[0] + 1000
    for old, new in ((a.pk, spare), (b.pk, a.pk), (spare, b.pk)):
        sql.execute(f"UPDATE {RECORDS} SET id = %s WHERE id = %s", [new, old])


# --- the log under attack ----------------------------------------------------------------


@dataclass
class Log:
    chains: dict[int, list[AccessLogRecord]]
    anchors: list[AuditAnchor]
    published: str  # the last anchor's root, published outside the platform

    @property
    def victim(self) -> AccessLogRecord:
        return self.chains[0][2]  # a record in the middle of chain 0


@pytest.fixture
def log(settings, professional, django_capture_on_commit_callbacks) -> Log:
    """Reads and registrations through the actions, spread over two chains; the writers
    anchor after every commit (AUDIT_ANCHOR_RECORDS=1), as they do in production when
    the last anchor is far enough behind."""
    settings.AUDIT_SHARDS = 2
    settings.AUDIT_ANCHOR_RECORDS = 1
    actor = f.professional_actor(professional, ip="198.51.100.7", user_agent="Firefox/128")

    def commit(work: Callable[[], Any]) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return work()

    person = commit(lambda: actions.register_person(actor, actions.PersonInput(**brp.known({
        "bsn": f.synthetic_bsn(), "given_names": "Noor", "family_name": "Bakker",
        "birth_date": date(2015, 6, 1), "sex": "V"}))).person)
    for _ in range(100):  # bounded: both chains get at least five records
        counts = [AccessLogRecord.objects.filter(shard=s).count() for s in (0, 1)]
        if min(counts) >= 5:
            break
        commit(lambda: actions.read_person(actor, person.pk))
    chains = {s: list(AccessLogRecord.objects.filter(shard=s).order_by("seq")) for s in (0, 1)}
    assert min(len(c) for c in chains.values()) >= 5
    anchors = list(AuditAnchor.objects.order_by("id"))
    last = anchors[-1]
    assert len(anchors) >= 5 and last.version == 2
    assert all(last.heads[str(s)] == [c[-1].seq, c[-1].hash] for s, c in chains.items())
    result = audit.verify(roots=[last.root, anchors[0].root])
    assert result.ok and result.unanchored == 0, result.first_break
    return Log(chains, anchors, last.root)


def assert_detected(log: Log, *, root: bool = False) -> audit.Break:
    result = audit.verify(roots=[log.published] if root else [])
    assert not result.ok, "tampering went unnoticed"
    assert result.first_break is not None
    return result.first_break


# --- every stored field of a record --------------------------------------------------------


def other_value(name: str, value: Any) -> Any:
    if name == "id":
        return AccessLogRecord.objects.order_by("-id").values_list("id", flat=True)[0] + 1000
    if name == "shard":
        return 5  # moved to a chain it never belonged to
    if name == "seq":
        return value + 1000
    if name == "hash_version":
        return None  # claims to be a record from before version 2
    if name == "at":
        return value + timedelta(seconds=1)
    if isinstance(value, bool):
        return not value
    if value is None or isinstance(value, int):
        return (value or 0) + 7
    if name in ("hash", "prev_hash"):
        return "f" * 64
    return "x" if value != "x" else "y"


def test_the_hash_covers_every_stored_field():
    stored = {f.column for f in AccessLogRecord._meta.concrete_fields}
    assert set(AccessLogRecord.HASHED_FIELDS) | {"hash"} == stored
    assert set(COLUMNS) == stored


@pytest.mark.parametrize("name", list(COLUMNS))
def test_a_changed_value_of_any_stored_field_is_found(log, name):
    victim = log.victim
    value = other_value(name, getattr(victim, name))
    with attacker() as sql:
        sql.execute(f"UPDATE {RECORDS} SET {name} = %s WHERE id = %s", [value, victim.pk])
        brk = assert_detected(log)
        assert brk.shard in (0, 5)
    assert audit.verify().ok


@pytest.mark.parametrize("name", [c for c in COLUMNS if c not in ("hash", "prev_hash")])
def test_a_changed_value_with_its_hash_recomputed_is_found(log, name):
    """The record fits its own hash again; the next record's link (or the anchor) breaks."""
    victim = log.victim
    values = values_of(victim)
    values[name] = other_value(name, values[name])
    values["hash"] = audit.record_hash(values)
    with attacker() as sql:
        sql.execute(f"DELETE FROM {RECORDS} WHERE id = %s", [victim.pk])
        insert(sql, values)
        assert_detected(log)


# --- records removed, added, moved ---------------------------------------------------------


TAMPERING: dict[str, Callable[[Any, Log], None]] = {}


def case(fn: Callable[[Any, Log], None]) -> Callable[[Any, Log], None]:
    TAMPERING[fn.__name__] = fn
    return fn


@case
def removed_middle_record(sql: Any, log: Log) -> None:
    sql.execute(f"DELETE FROM {RECORDS} WHERE id = %s", [log.victim.pk])


@case
def removed_middle_record_rest_recomputed(sql: Any, log: Log) -> None:
    rewrite_chain(sql, 0, [values_of(r) for r in log.chains[0] if r.pk != log.victim.pk])


@case
def removed_last_record(sql: Any, log: Log) -> None:
    sql.execute(f"DELETE FROM {RECORDS} WHERE id = %s", [log.chains[0][-1].pk])


@case
def tail_cut_head_rewound_after_the_last_anchor(sql: Any, log: Log) -> None:
    """The anchors saw the records; then they were cut and the head rewound to match."""
    survivor = log.chains[0][-3]
    sql.execute(f"DELETE FROM {RECORDS} WHERE shard = 0 AND seq > %s", [survivor.seq])
    set_head(sql, 0, survivor.seq, survivor.hash)


@case
def tail_cut_head_rewound_before_the_last_anchor(sql: Any, log: Log) -> None:
    """Cut and rewound, and then an anchor is taken of the rewound chain (the next write)."""
    tail_cut_head_rewound_after_the_last_anchor(sql, log)
    audit.anchor()


@case
def tail_cut_and_regrown_before_the_last_anchor(sql: Any, log: Log) -> None:
    """Cut, rewound, and grown again past its old length by new (forged) records, all
    hashes right, and then anchored: the anchors disagree about the same seq."""
    chain = [values_of(r) for r in log.chains[0]]
    kept = chain[:-2]
    forged = [{**chain[-1], "id": chain[-1]["id"] + 1000 + i, "username": "mallory"}
              for i in range(3)]
    rewrite_chain(sql, 0, kept + forged)
    audit.anchor()


@case
def record_changed_and_whole_chain_recomputed(sql: Any, log: Log) -> None:
    chain = [values_of(r) for r in log.chains[0]]
    chain[0]["outcome"] = "denied"
    rewrite_chain(sql, 0, chain)


@case
def whole_chain_recomputed_then_anchored(sql: Any, log: Log) -> None:
    record_changed_and_whole_chain_recomputed(sql, log)
    audit.anchor()


@case
def chain_wiped_head_reset(sql: Any, log: Log) -> None:
    sql.execute(f"DELETE FROM {RECORDS} WHERE shard = 0")
    set_head(sql, 0, 0, audit.GENESIS)


@case
def chain_wiped_with_its_head_row(sql: Any, log: Log) -> None:
    sql.execute(f"DELETE FROM {RECORDS} WHERE shard = 0")
    sql.execute(f"DELETE FROM {HEADS} WHERE shard = 0")


@case
def ids_swapped_within_a_chain(sql: Any, log: Log) -> None:
    swap_ids(sql, log.chains[0][1], log.chains[0][3])


@case
def ids_swapped_across_chains(sql: Any, log: Log) -> None:
    swap_ids(sql, log.chains[0][1], log.chains[1][1])


@case
def record_inserted_in_the_middle(sql: Any, log: Log) -> None:
    """A forged record slipped in, everything after it renumbered and recomputed."""
    chain = [values_of(r) for r in log.chains[0]]
    forged = {**chain[1], "id": chain[-1]["id"] + 1000, "client_id": "forged"}
    rewrite_chain(sql, 0, [*chain[:2], forged, *chain[2:]])


@case
def record_added_after_the_head(sql: Any, log: Log) -> None:
    last = log.chains[0][-1]
    values = {**values_of(last), "id": last.pk + 1000, "seq": last.seq + 1,
              "prev_hash": last.hash}
    values["hash"] = audit.record_hash(values)
    insert(sql, values)


@case
def head_changed(sql: Any, log: Log) -> None:
    set_head(sql, 0, log.chains[0][-1].seq, "f" * 64)


@case
def head_rewound_records_kept(sql: Any, log: Log) -> None:
    survivor = log.chains[0][-2]
    set_head(sql, 0, survivor.seq, survivor.hash)


@case
def record_downgraded_to_the_old_hash_and_rest_recomputed(sql: Any, log: Log) -> None:
    """Version 2 hashes the id; a record posing as one from before version 2 is not."""
    chain = [values_of(r) for r in log.chains[0]]
    chain[2]["hash_version"] = None
    rewrite_chain(sql, 0, chain)


# --- anchors --------------------------------------------------------------------------------


@case
def anchor_heads_changed(sql: Any, log: Log) -> None:
    anchor = log.anchors[-3]
    set_anchor(sql, anchor.pk, heads={**anchor.heads, "0": [anchor.heads["0"][0], "f" * 64]})


@case
def anchor_heads_changed_and_roots_recomputed(sql: Any, log: Log) -> None:
    anchor = log.anchors[-3]
    anchor.heads = {**anchor.heads, "0": [anchor.heads["0"][0], "f" * 64]}
    recompute_anchors(sql, log.anchors)


@case
def anchor_of_an_empty_chain_given_a_hash_and_roots_recomputed(sql: Any, log: Log) -> None:
    anchor = log.anchors[0]
    anchor.heads = {**anchor.heads, "63": [0, "f" * 64]}  # chain 63 is never written here
    recompute_anchors(sql, log.anchors)


@case
def anchor_time_changed(sql: Any, log: Log) -> None:
    set_anchor(sql, log.anchors[-3].pk, at=log.anchors[-3].at - timedelta(days=1))


@case
def anchor_record_count_changed(sql: Any, log: Log) -> None:
    set_anchor(sql, log.anchors[-1].pk, records=log.anchors[-1].records - 1)


@case
def anchor_version_downgraded(sql: Any, log: Log) -> None:
    set_anchor(sql, log.anchors[-3].pk, version=None)


@case
def anchor_removed_from_the_middle(sql: Any, log: Log) -> None:
    sql.execute(f"DELETE FROM {ANCHORS} WHERE id = %s", [log.anchors[-3].pk])


@case
def anchors_reordered(sql: Any, log: Log) -> None:
    a, b = log.anchors[1].pk, log.anchors[-3].pk
    spare = log.anchors[-1].pk + 1000
    for old, new in ((a, spare), (b, a), (spare, b)):
        sql.execute(f"UPDATE {ANCHORS} SET id = %s WHERE id = %s", [new, old])


@pytest.mark.parametrize("name", sorted(TAMPERING))
def test_tampering_is_found(log, name):
    with attacker() as sql:
        TAMPERING[name](sql, log)
        assert_detected(log)
    assert audit.verify(roots=[log.published]).ok


# --- only a published root shows these -------------------------------------------------------


ROOT_ONLY: dict[str, Callable[[Any, Log], None]] = {}


def root_case(fn: Callable[[Any, Log], None]) -> Callable[[Any, Log], None]:
    ROOT_ONLY[fn.__name__] = fn
    return fn


@root_case
def everything_wiped_with_the_anchors(sql: Any, log: Log) -> None:
    sql.execute(f"DELETE FROM {RECORDS}")
    sql.execute(f"DELETE FROM {ANCHORS}")
    sql.execute(f"UPDATE {HEADS} SET last_seq = 0, last_hash = %s", [audit.GENESIS])


@root_case
def everything_rewritten_with_new_anchors(sql: Any, log: Log) -> None:
    """A consistent forged history: every chain recomputed, anchors rebuilt to fit."""
    for shard, chain in log.chains.items():
        values = [values_of(r) for r in chain]
        values[0]["username"] = "mallory"
        rewrite_chain(sql, shard, values)
    sql.execute(f"DELETE FROM {ANCHORS}")
    audit.anchor()


@root_case
def last_anchors_removed_with_the_tail(sql: Any, log: Log) -> None:
    """The newest anchors and what only they saw, cut together."""
    keep = log.anchors[-4]
    sql.execute(f"DELETE FROM {ANCHORS} WHERE id > %s", [keep.pk])
    for shard in (0, 1):
        seq, digest = keep.heads[str(shard)]
        sql.execute(f"DELETE FROM {RECORDS} WHERE shard = %s AND seq > %s", [shard, seq])
        set_head(sql, shard, seq, digest)


@pytest.mark.parametrize("name", sorted(ROOT_ONLY))
def test_tampering_is_found_against_the_published_root(log, name):
    with attacker() as sql:
        ROOT_ONLY[name](sql, log)
        brk = assert_detected(log, root=True)
        assert log.published in brk.problem and "not in the anchor chain" in brk.problem
    assert audit.verify(roots=[log.published]).ok


# --- the command -----------------------------------------------------------------------------


def test_the_command_checks_a_published_root(log, capsys):
    call_command("audit", "anchor")
    root = capsys.readouterr().out.split("Root hash: ")[1].strip()
    assert root == AuditAnchor.objects.order_by("-id").first().root
    call_command("audit", "verify", "--root", root, "--root", log.published)
    out = capsys.readouterr().out
    assert out.startswith("OK: ") and f"The published root {root} is in the anchor chain." in out
    with pytest.raises(CommandError, match="not in the anchor chain"):
        call_command("audit", "verify", "--root", "ab" * 32)
    with pytest.raises(CommandError, match="64 hexadecimal"):
        call_command("audit", "verify", "--root", "not-a-hash")
    with attacker() as sql:
        everything_wiped_with_the_anchors(sql, log)
        call_command("audit", "verify", "--json")  # nothing left to contradict itself
        with pytest.raises(CommandError, match="not in the anchor chain"):
            call_command("audit", "verify", "--root", log.published)


def test_the_command_reports_as_json(log, capsys):
    call_command("audit", "verify", "--json", "--root", log.published)
    summary = json.loads(capsys.readouterr().out)
    assert summary["ok"] and summary["published_roots_found"] == [log.published]
    assert summary["records"] == AccessLogRecord.objects.count()
    assert summary["root"] == log.published and summary["unanchored_records"] == 0


def test_heads_are_never_behind_what_the_anchors_saw(log):
    """Sanity of the fixture: the heads are where the last anchor saw them."""
    heads = {str(h.shard): [h.last_seq, h.last_hash] for h in AccessLogShard.objects.all()}
    assert heads == log.anchors[-1].heads


# --- verifying in parallel processes ------------------------------------------------------------


@pytest.mark.postgres
def test_parallel_workers_verify_the_same_as_one_process(committed, settings):
    """Committed records (the workers have their own connections): the same count, and the
    same first break, as verifying in this process."""
    from jeugdketen.access.policy import Action, Actor, Data, Decision, Target

    settings.AUDIT_SHARDS = 8
    for i in range(40):
        with transaction.atomic():
            audit.append([audit.entry(Actor(operator=True), Action.READ,
                                      Target(Data.SIGNAL, object_id=str(i)),
                                      Decision(True, "retention", "platform_admin"))] * 3)
    total = AccessLogRecord.objects.count()
    assert AccessLogRecord.objects.values("shard").distinct().count() > 2
    one, four = audit.verify(workers=1), audit.verify(workers=4)
    assert one.ok and four.ok and one.checked == four.checked == total
    victim = AccessLogRecord.objects.filter(seq=2).order_by("-shard").first()
    with connection.cursor() as sql:
        sql.execute(f"ALTER TABLE {RECORDS} DISABLE TRIGGER ALL")
        sql.execute(f"UPDATE {RECORDS} SET username = 'mallory' WHERE id = %s", [victim.pk])
        sql.execute(f"ALTER TABLE {RECORDS} ENABLE TRIGGER ALL")
    one, four = audit.verify(workers=1), audit.verify(workers=4)
    assert not four.ok and str(four.first_break) == str(one.first_break)
    assert (four.first_break.shard, four.first_break.record_id) == (victim.shard, victim.pk)
