"""The NEN 7513 access log: written by every action in the action's own transaction,
append-only (ORM and database trigger), hash-chained and tamper-evident, anchored."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from unittest import mock

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from jeugdketen.access import actions as access_actions
from jeugdketen.access import audit
from jeugdketen.access.models import AccessLogRecord, AccessLogShard, AuditAnchor
from jeugdketen.access.policy import Action, Actor, Data, Decision, Target
from jeugdketen.chainlog.models import ChainEvent
from jeugdketen.core.append_only import AppendOnlyError
from jeugdketen.registry import actions
from jeugdketen.registry.actions import persons as person_actions
from jeugdketen.registry.models import Household, Person
from tests import brp
from tests import factories as f

APPEND_ONLY_TABLES = ("access_accesslogrecord", "chainlog_chainevent", "access_auditanchor")
REASON = "Acute zorg nodig, ouders onbereikbaar"


def new_records(since: int) -> list[AccessLogRecord]:
    return list(AccessLogRecord.objects.filter(id__gt=since).order_by("id"))


def last_id() -> int:
    return AccessLogRecord.objects.order_by("-id").values_list("id", flat=True).first() or 0


def register(actor: Actor, **kw) -> Person:
    data = {"bsn": f.synthetic_bsn(), "given_names": "Noor", "family_name": "Bakker",
            "birth_date": date(2015, 6, 1), "sex": "V"} | kw
    return actions.register_person(actor, actions.PersonInput(**brp.known(data))).person


@pytest.fixture
def prof_actor(professional):
    return f.professional_actor(professional, ip="198.51.100.7", user_agent="Firefox/128")


@pytest.fixture
def registered_person(prof_actor):
    return register(prof_actor)


# --- every action writes its record ----------------------------------------------------


def test_registering_writes_a_complete_create_record(prof_actor, professional):
    before = last_id()
    person = register(prof_actor)
    [rec] = new_records(before)
    assert rec.client_id == str(person.pk)
    assert rec.action == "create" and rec.data == "base_data" and rec.object_type == "base_data"
    assert rec.object_id == str(person.pk)
    assert rec.ground == "registration" and rec.outcome == "allowed" and not rec.emergency
    assert rec.user_id == professional.user.pk and rec.username == professional.user.username
    assert rec.role == "professional"
    assert rec.organisation_id == professional.organisation_id
    assert rec.organisation_name == professional.organisation.name
    assert (rec.ip, rec.user_agent, rec.channel) == ("198.51.100.7", "Firefox/128", "session")
    assert rec.reason == ""
    assert rec.at is not None and rec.seq >= 1 and len(rec.hash) == 64


@pytest.mark.parametrize("action", [Action.READ, Action.PRINT])
def test_reading_and_printing_are_logged(prof_actor, registered_person, action):
    before = last_id()
    actions.read_person(prof_actor, registered_person.pk, action=action)
    [rec] = new_records(before)
    assert (rec.action, rec.client_id, rec.ground, rec.outcome) == (
        action.value, str(registered_person.pk), "registration", "allowed")


def test_denied_read_leaves_a_denied_record_although_the_action_raised(
        other_professional, registered_person):
    actor = f.professional_actor(other_professional)
    before = last_id()
    with pytest.raises(audit.AccessDenied):
        actions.read_person(actor, registered_person.pk)
    [rec] = new_records(before)
    assert rec.outcome == "denied"
    assert rec.client_id == str(registered_person.pk)
    assert rec.action == "read" and rec.ground == "" and rec.reason
    assert rec.username == other_professional.user.username and rec.role == "professional"


def test_denied_read_of_an_unknown_id_is_logged_without_a_client(professional):
    actor = f.professional_actor(professional)
    before = last_id()
    with pytest.raises(audit.AccessDenied):
        actions.read_person(actor, "00000000-0000-4000-8000-000000000000")
    [rec] = new_records(before)
    assert rec.outcome == "denied" and rec.client_id == ""
    assert rec.object_id == "00000000-0000-4000-8000-000000000000"


def test_denied_registration_creates_nothing_but_its_record(analyst):
    actor = f.professional_actor(analyst)
    before, persons, events = last_id(), Person.objects.count(), ChainEvent.objects.count()
    with pytest.raises(audit.AccessDenied):
        register(actor)
    assert Person.objects.count() == persons and ChainEvent.objects.count() == events
    [rec] = new_records(before)
    assert (rec.action, rec.outcome, rec.role) == ("create", "denied", "municipal_analyst")


def test_denied_household_undoes_its_work_and_logs_each_member(prof_actor, registered_person):
    stranger = f.PersonFactory()  # not registered by this professional
    before, households = last_id(), Household.objects.count()
    with pytest.raises(audit.AccessDenied):
        actions.register_household(prof_actor, [
            actions.MemberInput(registered_person.pk, "parent"),
            actions.MemberInput(stranger.pk, "child"),
        ])
    assert Household.objects.count() == households
    recs = new_records(before)
    assert {r.outcome for r in recs} == {"denied"}
    assert all(r.action == "create" and r.data == "household" for r in recs)
    # NEN 7513: which client. Each person the attempt was about sees it in their overview.
    assert sorted(r.client_id for r in recs) == sorted([str(registered_person.pk),
                                                       str(stranger.pk)])


def test_household_registration_logs_one_record_per_member(prof_actor):
    a, b = register(prof_actor), register(prof_actor, bsn=f.synthetic_bsn())
    f.kinship(b, a)  # the BRP says a is b's parent
    before = last_id()
    household = actions.register_household(prof_actor, [
        actions.MemberInput(a.pk, "parent"), actions.MemberInput(b.pk, "child")])
    recs = new_records(before)
    assert sorted(r.client_id for r in recs) == sorted([str(a.pk), str(b.pk)])
    assert {(r.action, r.data, r.object_id, r.outcome) for r in recs} == {
        ("create", "household", str(household.pk), "allowed")}


def test_emergency_read_is_flagged_and_reviewed_by_the_privacy_officer(
        other_professional, registered_person, privacy_officer):
    actor = f.professional_actor(other_professional, emergency_reason=REASON)
    before = last_id()
    actions.read_person(actor, registered_person.pk)
    [rec] = new_records(before)
    assert (rec.ground, rec.emergency, rec.reason, rec.outcome) == (
        "emergency", True, REASON, "allowed")
    assert ChainEvent.objects.filter(activity="access.emergency",
                                     person_key=str(registered_person.pseudonym)).count() == 1

    officer = f.professional_actor(privacy_officer)
    before = last_id()
    uses = access_actions.break_glass_uses(officer)
    assert rec.pk in [u.pk for u in uses]
    [list_rec] = new_records(before)
    assert (list_rec.action, list_rec.data, list_rec.ground) == (
        "read", "break_glass", "privacy_supervision")

    before = last_id()
    review = access_actions.review_break_glass(officer, rec.pk, justified=True, note=" ok ")
    assert review.justified and review.note == "ok"
    [review_rec] = new_records(before)
    assert (review_rec.action, review_rec.data) == ("update", "break_glass")
    assert rec.pk not in [u.pk for u in access_actions.break_glass_uses(officer)]


def test_break_glass_review_list_is_denied_to_others(professional):
    before = last_id()
    with pytest.raises(audit.AccessDenied):
        access_actions.break_glass_uses(f.professional_actor(professional))
    [rec] = new_records(before)
    assert (rec.data, rec.outcome) == ("break_glass", "denied")


def test_listing_persons_counts_as_reading_each_one(prof_actor):
    persons = [register(prof_actor, bsn=f.synthetic_bsn()) for _ in range(3)]
    before = last_id()
    listed = actions.list_registered(prof_actor)
    assert sorted(str(p.pk) for p in listed) == sorted(str(p.pk) for p in persons)
    recs = new_records(before)
    assert sorted(r.client_id for r in recs) == sorted(str(p.pk) for p in persons)
    assert {(r.action, r.data, r.ground, r.outcome) for r in recs} == {
        ("read", "base_data", "registration", "allowed")}

    before = last_id()
    page = actions.list_registered(prof_actor, limit=2)
    assert len(page) == 2
    assert sorted(r.client_id for r in new_records(before)) == sorted(str(p.pk) for p in page)


def test_listing_open_corrections_counts_as_reading_each(functional_admin, neighbourhood):
    proposals = [f.CorrectionProposalFactory(person=f.PersonFactory(neighbourhood=neighbourhood))
                 for _ in range(2)]
    f.CorrectionProposalFactory()  # of a person elsewhere: not listed, not even as a denial
    before = last_id()
    listed = actions.list_open_corrections(f.professional_actor(functional_admin))
    assert {p.pk for p in listed} == {p.pk for p in proposals}
    recs = new_records(before)
    assert sorted(r.client_id for r in recs) == sorted(str(p.person_id) for p in proposals)
    assert {(r.action, r.data, r.ground) for r in recs} == {("read", "correction",
                                                               "data_management")}


def test_correction_decision_is_logged(functional_admin, neighbourhood):
    proposal = f.CorrectionProposalFactory(person=f.PersonFactory(neighbourhood=neighbourhood))
    before = last_id()
    actions.decide_correction(f.professional_actor(functional_admin), proposal.pk, accept=False)
    [rec] = new_records(before)
    assert (rec.action, rec.data, rec.ground, rec.client_id, rec.object_id) == (
        "update", "correction", "data_management", str(proposal.person_id), str(proposal.pk))


def test_administration_is_logged_allowed_and_denied(platform_admin, professional, municipality):
    admin = f.professional_actor(platform_admin)
    before = last_id()
    actions.create_organisation(admin, name="Basisschool De Linde", kind="school",
                                municipality_code=municipality.code)
    [rec] = new_records(before)
    assert (rec.action, rec.data, rec.ground, rec.outcome) == (
        "create", "organisation", "administration", "allowed")

    before = last_id()
    with pytest.raises(audit.AccessDenied):
        actions.create_organisation(f.professional_actor(professional), name="X",
                                    kind="school", municipality_code=municipality.code)
    [rec] = new_records(before)
    assert (rec.data, rec.outcome) == ("organisation", "denied")


def test_issuing_a_token_for_someone_else_is_logged(platform_admin, professional):
    before = last_id()
    access_actions.issue_token(f.professional_actor(platform_admin), professional.user)
    [rec] = new_records(before)
    assert (rec.action, rec.data, rec.object_id, rec.outcome) == (
        "update", "professional", str(professional.user.pk), "allowed")

    before = last_id()
    with pytest.raises(audit.AccessDenied):
        access_actions.issue_token(f.professional_actor(professional), platform_admin.user)
    [rec] = new_records(before)
    assert rec.outcome == "denied"


# --- the same transaction --------------------------------------------------------------


def test_record_event_and_change_commit_or_roll_back_together(prof_actor):
    """When the action fails after its access log record and chain event were written,
    neither survives: they are in the action's transaction."""
    from jeugdketen.chainlog.actions import emit as real_emit

    def emit_then_fail(*args, **kwargs):
        real_emit(*args, **kwargs)
        assert ChainEvent.objects.count() == events + 1  # written, inside the transaction
        raise RuntimeError("disk full")

    before, persons, events = last_id(), Person.objects.count(), ChainEvent.objects.count()
    with mock.patch.object(person_actions, "emit", emit_then_fail), pytest.raises(RuntimeError):
        register(prof_actor)
    assert new_records(before) == []
    assert Person.objects.count() == persons
    assert ChainEvent.objects.count() == events


def test_a_failing_log_write_undoes_the_change(prof_actor):
    def append_fails(entries, **kwargs):
        raise DatabaseError("log unavailable")

    persons = Person.objects.count()
    with mock.patch.object(audit, "append", append_fails), pytest.raises(DatabaseError):
        register(prof_actor)
    assert Person.objects.count() == persons


def test_records_are_only_appended_inside_a_transaction(prof_actor):
    """append() refuses to run outside the action's transaction (checked by pretending the
    connection is in autocommit)."""
    entry = audit.entry(prof_actor, Action.READ, Target(Data.BREAK_GLASS), Decision(True))
    with mock.patch.object(type(connection), "in_atomic_block", False, create=True), \
            pytest.raises(RuntimeError, match="transaction"):
        audit.append([entry])


# --- reading the log -------------------------------------------------------------------


def test_reading_the_access_log_is_itself_logged(prof_actor, registered_person, privacy_officer):
    actions.read_person(prof_actor, registered_person.pk)
    officer = f.professional_actor(privacy_officer)
    before = last_id()
    records = access_actions.read_access_log(officer, registered_person.pk)
    [rec] = new_records(before)
    assert (rec.action, rec.data, rec.ground, rec.client_id, rec.username) == (
        "read", "access_log", "privacy_supervision", str(registered_person.pk),
        privacy_officer.user.username)
    # The overview holds the registration, the read, and this very look at the log.
    assert [r.action for r in records][-2:] == ["read", "create"]
    assert records[0].pk == rec.pk
    assert {r.client_id for r in records} == {str(registered_person.pk)}


def test_reading_the_access_log_without_ground_is_denied_and_logged(prof_actor,
                                                                     registered_person):
    before = last_id()
    with pytest.raises(audit.AccessDenied):
        access_actions.read_access_log(prof_actor, registered_person.pk)
    [rec] = new_records(before)
    assert (rec.data, rec.outcome, rec.client_id) == (
        "access_log", "denied", str(registered_person.pk))


def test_a_citizen_reads_their_own_overview_and_that_is_logged(prof_actor, registered_person):
    citizen = f.citizen_actor(registered_person)
    before = last_id()
    records = access_actions.read_access_log(citizen, registered_person.pk)
    [rec] = new_records(before)
    assert (rec.ground, rec.role, rec.client_id) == ("self", "citizen", str(registered_person.pk))
    assert any(r.action == "create" for r in records)


def test_access_log_period_filter(prof_actor, registered_person, privacy_officer):
    officer = f.professional_actor(privacy_officer)
    today = timezone.localdate()
    assert access_actions.read_access_log(officer, registered_person.pk,
                                          start=date(2000, 1, 1), end=date(2000, 12, 31)) == []
    assert access_actions.read_access_log(officer, registered_person.pk, start=today)


# --- append-only -----------------------------------------------------------------------


@pytest.fixture
def one_of_each(prof_actor):
    register(prof_actor)
    audit.anchor()
    return (AccessLogRecord.objects.order_by("id").last(), ChainEvent.objects.order_by("id").last(),
            AuditAnchor.objects.order_by("id").last())


def test_the_orm_refuses_to_change_or_remove_append_only_rows(one_of_each):
    for row in one_of_each:
        model = type(row)
        attempts = [
            row.save,
            row.delete,
            lambda: model.objects.filter(pk=row.pk).update(at=row.at),
            lambda: model.objects.filter(pk=row.pk).delete(),
            lambda: model.objects.bulk_update([row], ["at"]),
            lambda: model.objects.all().delete(),
        ]
        for attempt in attempts:
            # Each in its own savepoint: a refusal inside Django's own atomic block
            # (bulk_update) marks the surrounding transaction for rollback.
            with pytest.raises(AppendOnlyError), transaction.atomic():
                attempt()
        assert model.objects.filter(pk=row.pk).exists()


def _raw_refused(sql: str, params: list) -> str:
    with pytest.raises(DatabaseError) as info, transaction.atomic(), connection.cursor() as c:
        c.execute(sql, params)
    return str(info.value)


@pytest.mark.parametrize("table", APPEND_ONLY_TABLES)
def test_the_database_refuses_raw_update_and_delete(one_of_each, table):
    row = next(r for r in one_of_each if r._meta.db_table == table)
    message = _raw_refused(f"UPDATE {table} SET at = at WHERE id = %s", [row.pk])
    assert "append-only" in message
    message = _raw_refused(f"DELETE FROM {table} WHERE id = %s", [row.pk])
    assert "append-only" in message
    # A statement without WHERE is refused as well (the trigger fires per row).
    assert "append-only" in _raw_refused(f"DELETE FROM {table}", [])
    assert type(row).objects.filter(pk=row.pk).exists()


# --- tamper evidence -------------------------------------------------------------------


def _disable_triggers(cursor, table: str) -> None:
    if connection.vendor == "postgresql":
        cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER ALL")
    else:
        cursor.execute(f"DROP TRIGGER {table}_no_update")
        cursor.execute(f"DROP TRIGGER {table}_no_delete")


@contextmanager
def attacker(*tables: str) -> Iterator:
    """Someone with DBA rights switches the append-only triggers off and edits rows behind
    the platform's back. Everything (triggers included) is rolled back afterwards."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for table in tables or ("access_accesslogrecord",):
                _disable_triggers(cursor, table)
            yield cursor
        transaction.set_rollback(True)


@pytest.fixture
def chain(settings, prof_actor, registered_person):
    """Five records more on one chain (one shard, so seqs follow each other)."""
    settings.AUDIT_SHARDS = 1
    for _ in range(5):
        actions.read_person(prof_actor, registered_person.pk)
    records = list(AccessLogRecord.objects.filter(shard=0).order_by("seq"))
    assert len(records) >= 5 and [r.seq for r in records] == list(range(1, len(records) + 1))
    assert audit.verify().ok
    return records


def names(brk: audit.Break, shard: int, seq: int) -> bool:
    return brk.shard == shard and re.search(rf"\bseq {seq}\b", str(brk)) is not None


def assert_triggers_back() -> None:
    rec = AccessLogRecord.objects.order_by("id").first()
    assert "append-only" in _raw_refused(
        "UPDATE access_accesslogrecord SET username = 'x' WHERE id = %s", [rec.pk])


def test_a_changed_field_is_found_and_named(chain):
    victim = chain[2]
    with attacker() as sql:
        sql.execute("UPDATE access_accesslogrecord SET username = 'mallory' WHERE id = %s",
                    [victim.pk])
        result = audit.verify()
        assert not result.ok
        brk = result.first_break
        assert (brk.shard, brk.seq, brk.record_id) == (victim.shard, victim.seq, victim.pk)
        assert "changed" in brk.problem
        assert names(brk, victim.shard, victim.seq)
    assert audit.verify().ok
    assert_triggers_back()


@pytest.mark.parametrize("column,value", [("outcome", "denied"), ("emergency", True),
                                          ("client_id", "someone-else"), ("ground", "consent")])
def test_every_hashed_field_is_protected(chain, column, value):
    victim = chain[1]
    with attacker() as sql:
        sql.execute(f"UPDATE access_accesslogrecord SET {column} = %s WHERE id = %s",
                    [value, victim.pk])
        brk = audit.verify().first_break
        assert brk is not None and (brk.shard, brk.seq) == (victim.shard, victim.seq)


def test_a_changed_record_with_a_recomputed_hash_breaks_the_next_link(chain):
    victim = chain[2]
    values = {name: getattr(victim, name) for name in AccessLogRecord.HASHED_FIELDS}
    values["outcome"] = "denied"
    with attacker() as sql:
        sql.execute("UPDATE access_accesslogrecord SET outcome = 'denied', hash = %s "
                    "WHERE id = %s", [audit.record_hash(values), victim.pk])
        brk = audit.verify().first_break
        assert brk is not None and brk.shard == victim.shard
        assert brk.seq == victim.seq + 1 and "previous hash" in brk.problem


def test_a_removed_middle_record_is_found_and_named(chain):
    victim = chain[2]
    with attacker() as sql:
        sql.execute("DELETE FROM access_accesslogrecord WHERE id = %s", [victim.pk])
        result = audit.verify()
        assert not result.ok
        assert names(result.first_break, victim.shard, victim.seq)
        assert "removed" in result.first_break.problem
    assert audit.verify().ok
    assert_triggers_back()


def test_a_removed_last_record_is_found_and_named(chain):
    victim = chain[-1]
    with attacker() as sql:
        sql.execute("DELETE FROM access_accesslogrecord WHERE id = %s", [victim.pk])
        result = audit.verify()
        assert not result.ok
        brk = result.first_break
        assert (brk.shard, brk.seq) == (victim.shard, victim.seq)
        assert names(brk, victim.shard, victim.seq) and "removed" in brk.problem
    assert audit.verify().ok
    assert_triggers_back()


def test_a_removed_tail_with_a_rewound_head_is_caught_by_the_anchor(chain):
    """Delete the last record and rewind the chain head to match: only an anchor taken
    before the deletion shows it."""
    audit.anchor()
    victim, survivor = chain[-1], chain[-2]
    with attacker() as sql:
        sql.execute("DELETE FROM access_accesslogrecord WHERE id = %s", [victim.pk])
        AccessLogShard.objects.filter(shard=victim.shard).update(
            last_seq=survivor.seq, last_hash=survivor.hash)
        brk = audit.verify().first_break
        assert brk is not None and brk.shard == victim.shard
        assert "anchor" in brk.problem


def test_a_tampered_record_is_named_among_many_shards(settings, prof_actor, registered_person):
    settings.AUDIT_SHARDS = 8
    for _ in range(24):
        actions.read_person(prof_actor, registered_person.pk)
    assert len(set(AccessLogRecord.objects.values_list("shard", flat=True))) > 1
    victim = AccessLogRecord.objects.filter(seq__gt=1).order_by("-shard", "seq").first()
    with attacker() as sql:
        sql.execute("UPDATE access_accesslogrecord SET action = 'print' WHERE id = %s",
                    [victim.pk])
        brk = audit.verify().first_break
        assert (brk.shard, brk.seq, brk.record_id) == (victim.shard, victim.seq, victim.pk)


def test_a_changed_chain_head_is_found(chain):
    AccessLogShard.objects.filter(shard=0).update(last_hash="f" * 64)
    brk = audit.verify().first_break
    assert brk is not None and brk.shard == 0 and "head" in brk.problem


# --- anchors ---------------------------------------------------------------------------


def test_anchor_chains_all_heads(chain, prof_actor, registered_person):
    first = audit.anchor()
    assert first.prev_root == audit.GENESIS
    assert first.heads["0"] == [chain[-1].seq, chain[-1].hash]
    assert set(first.heads) == {str(s) for s in range(64)}
    actions.read_person(prof_actor, registered_person.pk)
    second = audit.anchor()
    assert second.prev_root == first.root and second.root != first.root
    result = audit.verify()
    assert result.ok and result.checked == AccessLogRecord.objects.count()
    # The root to publish is the last anchor's; it covers its time and record count too.
    assert result.root == second.root == audit.anchor_root(second)
    assert (second.version, second.records) == (2, sum(h[0] for h in second.heads.values()))


def test_rewriting_an_anchored_chain_is_detected(chain):
    """An attacker rewrites a record and recomputes every later hash and the chain head:
    the chain is consistent again, but differs from what was anchored."""
    anchored = audit.anchor()
    victim = chain[1]
    with attacker() as sql:
        prev = victim.prev_hash
        for rec in chain[1:]:
            values = {name: getattr(rec, name) for name in AccessLogRecord.HASHED_FIELDS}
            values["prev_hash"] = prev
            if rec.pk == victim.pk:
                values["username"] = "mallory"
            digest = audit.record_hash(values)
            sql.execute("UPDATE access_accesslogrecord SET username = %s, prev_hash = %s, "
                        "hash = %s WHERE id = %s", [values["username"], prev, digest, rec.pk])
            prev = digest
        AccessLogShard.objects.filter(shard=0).update(last_hash=prev)
        brk = audit.verify().first_break
        assert brk is not None
        assert brk.shard == 0 and brk.seq == anchored.heads["0"][0]
        assert "anchored" in brk.problem
    assert audit.verify().ok


def test_a_tampered_anchor_is_detected(chain):
    audit.anchor()
    audit.anchor()
    first = AuditAnchor.objects.order_by("id").first()
    with attacker("access_auditanchor") as sql:
        sql.execute("UPDATE access_auditanchor SET root = %s WHERE id = %s", ["0" * 64, first.pk])
        brk = audit.verify().first_break
        assert brk is not None and "anchor" in brk.problem


def test_verify_is_ok_on_an_untouched_log(chain):
    result = audit.verify()
    assert result.ok and result.first_break is None
    assert result.checked == AccessLogRecord.objects.count()


def test_large_batches_are_written_in_chunks_and_stay_one_valid_chain(db):
    """Retention appends thousands of records at once: more than one INSERT fits."""
    from jeugdketen.access.policy import Action, Actor, Data, Decision, Target

    before = AccessLogRecord.objects.count()
    with transaction.atomic():
        written = audit.append(
            audit.entry(Actor(operator=True), Action.UPDATE,
                        Target(Data.SIGNAL, object_id=str(i)),
                        Decision(True, "retention", "platform_admin"))
            for i in range(1234))
    assert written == 1234
    assert AccessLogRecord.objects.count() == before + 1234
    assert len(set(AccessLogRecord.objects.values_list("shard", flat=True)[before:])) >= 1
    assert audit.verify().ok


def test_a_whole_chain_removed_with_its_head_is_detected(db, professional):
    """Review finding: delete every record of one chain AND its head row, behind the
    platform's back (triggers dropped): verify must still fail."""
    actor = f.professional_actor(professional)
    for _ in range(20):
        actions.register_person(actor, actions.PersonInput(**brp.known({
            "bsn": f.synthetic_bsn(), "given_names": "A", "family_name": "B",
            "birth_date": date(2012, 1, 1), "sex": "M"})))
    audit.anchor()
    shard = AccessLogRecord.objects.values_list("shard", flat=True).first()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE access_accesslogrecord DISABLE TRIGGER ALL")
            cursor.execute("ALTER TABLE access_accesslogshard DISABLE TRIGGER ALL")
        else:
            cursor.execute("DROP TRIGGER access_accesslogrecord_no_delete")
            cursor.execute("DROP TRIGGER access_accesslogshard_no_delete")
        cursor.execute("DELETE FROM access_accesslogrecord WHERE shard = %s", [shard])
        cursor.execute("DELETE FROM access_accesslogshard WHERE shard = %s", [shard])
    result = audit.verify()
    assert not result.ok and result.first_break.shard == shard


def test_chain_heads_cannot_be_deleted(db):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM access_accesslogshard WHERE shard = 3")


def test_a_denial_inside_another_action_is_logged_once(professional, actor_of):
    """An action calling another action: when the inner one is denied and the denial
    propagates, the outer transaction rolls back, and the denial is still logged, once."""
    from jeugdketen.access import audit as audit_module
    from jeugdketen.access.policy import Action, Data, Decision, Target

    actor = actor_of(professional)
    target = Target(Data.BASE_DATA, object_id="nested-denial")

    @audit_module.write_path
    def inner() -> None:
        raise audit_module.AccessDenied(actor, Action.READ, target, Decision.deny("no"))

    @audit_module.write_path
    def outer() -> None:
        inner()

    @audit_module.write_path
    def outer_that_carries_on() -> None:
        with contextlib.suppress(audit_module.AccessDenied):
            inner()

    with pytest.raises(audit_module.AccessDenied):
        outer()
    assert AccessLogRecord.objects.filter(object_id="nested-denial", outcome="denied").count() == 1
    outer_that_carries_on()
    assert AccessLogRecord.objects.filter(object_id="nested-denial", outcome="denied").count() == 2
