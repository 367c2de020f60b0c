"""The NEN 7513 access log: append, authorize, anchor, verify.

Hash chains: the log is split over `AUDIT_SHARDS` chains. A writer locks one free chain
head (PostgreSQL: FOR UPDATE SKIP LOCKED), so 32 concurrent writers extend up to 32
chains at once instead of queueing for one. When every head is taken a writer waits for
shard 0; the holder of shard 0 never waits for another head, so writers never deadlock.

Each record's hash covers every stored field (its id included, reserved before the
insert) and the previous hash of its chain. Anchors hold every chain head and are chained
themselves; the writers take one after their commit whenever the last anchor is
AUDIT_ANCHOR_RECORDS records or AUDIT_ANCHOR_SECONDS seconds behind (one process at a
time, the others go on without waiting). An anchor's root hash, published outside the
platform, lets `verify(roots=...)` prove that nothing before it was rewritten or removed.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import hashlib
import json
import json.encoder as json_encoder
import multiprocessing
import os
import random
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, ParamSpec, TypeVar

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import IntegrityError, connection, connections, models, transaction
from django.utils import timezone

from jeugdketen.access.models import AccessLogRecord, AccessLogShard, AuditAnchor, Outcome
from jeugdketen.access.policy import Action, Actor, Data, Decision, Target, decide
from jeugdketen.core.errors import Refusal

GENESIS = "0" * 64
MAX_SHARDS = 64  # the chain heads made by migration access 0003
P = ParamSpec("P")
R = TypeVar("R")
M = TypeVar("M", bound=models.Model)


class AccessDenied(Exception):
    """The policy said no. The denied attempt is logged when the action's work is undone."""

    def __init__(self, actor: Actor, action: Action, target: Target, decision: Decision,
                 *, rule: str = "", message: str = ""):
        super().__init__(decision.reason)
        self.actor = actor
        self.action = action
        self.target = target
        self.decision = decision
        self.logged = False
        # A rule the caller may be told (it says nothing about any record), e.g.
        # "organisation_may_not_signal".
        self.rule = rule
        self.message = message


def _iso(at: datetime) -> str:
    if at.tzinfo is None:  # SQLite through a raw cursor: stored in UTC, read back naive
        at = at.replace(tzinfo=UTC)
    return at.astimezone(UTC).isoformat(timespec="microseconds")


HASH_VERSION = 2
def _unencodable(value: Any) -> Any:
    raise TypeError(f"{type(value).__name__} is not part of a hashed record")


def _json_encoder() -> Callable[[Any], str]:
    """The hashed payload: compact JSON with non-ASCII as is (json.dumps(value,
    separators=(",", ":"), ensure_ascii=False)). `audit verify` encodes every record, so
    this calls the json module's C encoder directly where there is one: the same output
    (a test holds them equal), about 0.7 µs less per record."""
    plain = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode
    make = getattr(json_encoder, "c_make_encoder", None)
    quote = getattr(json_encoder, "c_encode_basestring", None)
    if make is None or quote is None:
        return plain
    encode = make(None, _unencodable, quote, None, ":", ",", False, False, True)
    return lambda value: "".join(encode(value, 0))


_dumps = _json_encoder()
_AT_V2 = AccessLogRecord.HASHED_FIELDS.index("at")
_V1_FROM = len(AccessLogRecord.HASHED_FIELDS) - len(AccessLogRecord.HASHED_FIELDS_V1)


def _digest(parts: Sequence[Any]) -> str:
    """parts: the values of HASHED_FIELDS in order, `at` as its text (_iso)."""
    version = parts[1]
    if version is None:  # hash_version empty: a record from before version 2, no id
        parts = parts[_V1_FROM:]
    elif version != HASH_VERSION:
        return "unknown hash version"
    return hashlib.sha256(_dumps(parts).encode()).hexdigest()


def record_hash(values: dict[str, Any]) -> str:
    """The hash of one record: sha256 over the JSON list of its HASHED_FIELDS (every stored
    field but the hash itself, `prev_hash` included, which chains it; `at` as ISO 8601 in
    UTC with microseconds). A record without a hash version is hashed as before version 2:
    HASHED_FIELDS_V1, without the id."""
    parts: list[Any] = [values.get(name) for name in AccessLogRecord.HASHED_FIELDS]
    parts[_AT_V2] = _iso(parts[_AT_V2])
    return _digest(parts)


SHARD_TABLE = AccessLogShard._meta.db_table
RECORD_TABLE = AccessLogRecord._meta.db_table
ANCHOR_TABLE = AuditAnchor._meta.db_table
COLUMNS = (*AccessLogRecord.HASHED_FIELDS, "hash")
INSERT_CHUNK = 500


def _pg_sequence(cursor: Any) -> str:
    """The name of the record id's sequence, looked up once per connection."""
    name = getattr(connection, "_jk_log_sequence", None)
    if name is None:
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [RECORD_TABLE])
        name = str(cursor.fetchone()[0])
        connection._jk_log_sequence = name  # type: ignore[attr-defined]
    return name


# PostgreSQL: lock a free head (or, when every head is taken, wait for shard 0: see the
# module doc) and reserve the ids from the table's own sequence (an init plan: evaluated
# once per statement), so the hash can cover them.
_PG_IDS = "ARRAY(SELECT nextval(%s::regclass) FROM generate_series(1, %s))"
_PG_FREE_HEAD = (f"SELECT shard, last_seq, last_hash, {_PG_IDS} FROM {SHARD_TABLE} "  # noqa: S608
                 "WHERE shard < %s ORDER BY random() LIMIT 1 FOR UPDATE SKIP LOCKED")
_PG_HEAD_0 = (f"SELECT shard, last_seq, last_hash, {_PG_IDS} FROM {SHARD_TABLE} "  # noqa: S608
              "WHERE shard = 0 FOR UPDATE")
# SQLite: writers are serialised by the database lock (BEGIN IMMEDIATE), so the next ids
# follow the highest id ever handed out (AUTOINCREMENT).
_SQLITE_LAST_ID = (
    "max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = %s), 0), "  # noqa: S608
    f"coalesce((SELECT max(id) FROM {RECORD_TABLE}), 0))")
_SQLITE_HEAD = (f"SELECT shard, last_seq, last_hash, {_SQLITE_LAST_ID} "  # noqa: S608
                f"FROM {SHARD_TABLE} WHERE shard = %s")


def _lock_head(cursor: Any, count: int) -> tuple[int, int, str, list[int]]:
    """Lock one free chain head and reserve `count` record ids: (shard, last_seq, last_hash,
    ids). Raw SQL in one round trip: this runs for every read of personal data."""
    shards = settings.AUDIT_SHARDS
    if connection.features.has_select_for_update_skip_locked:
        sequence = _pg_sequence(cursor)
        cursor.execute(_PG_FREE_HEAD, [sequence, count, shards])
        row = cursor.fetchone()
        if row is None:
            cursor.execute(_PG_HEAD_0, [sequence, count])
            row = cursor.fetchone()
        ids = sorted(int(i) for i in row[3])
    else:
        cursor.execute(_SQLITE_HEAD, [RECORD_TABLE, random.randrange(shards)])
        row = cursor.fetchone()
        ids = list(range(int(row[3]) + 1, int(row[3]) + count + 1))
    return int(row[0]), int(row[1]), str(row[2]), ids


def free_head_sql(count: int) -> tuple[str, list[Any]] | None:
    """PostgreSQL: the sub-select that locks a free chain head and reserves `count` ids
    (columns shard, last_seq, last_hash, ids), for an action that folds it into its own
    first statement and passes the row to append(..., head=row): one round trip less.
    None on SQLite (its writers are serialised; append locks the head itself)."""
    if not connection.features.has_select_for_update_skip_locked:
        return None
    with connection.cursor() as cursor:
        sequence = _pg_sequence(cursor)
    return _PG_FREE_HEAD, [sequence, count, settings.AUDIT_SHARDS]


def reserve_ids(count: int) -> list[int]:
    """Ids for records written outside append (the bulk loader), so that their hash can
    cover the id: from the table's sequence on PostgreSQL; on SQLite, inside the caller's
    transaction, which holds the database's write lock, after the highest id handed out."""
    if not connection.in_atomic_block:
        raise RuntimeError("reserve record ids inside the transaction that writes them")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(%s::regclass) FROM generate_series(1, %s)",
                           [_pg_sequence(cursor), count])
            return sorted(int(r[0]) for r in cursor.fetchall())
        cursor.execute(f"SELECT {_SQLITE_LAST_ID}", [RECORD_TABLE])
        first = int(cursor.fetchone()[0]) + 1
        return list(range(first, first + count))


def entry(
    actor: Actor,
    action: Action | str,
    target: Target,
    decision: Decision,
    *,
    at: datetime | None = None,
) -> dict[str, Any]:
    """The fields of one record, before it is chained."""
    prof = actor.professional
    ap = actor.access_point
    return _fit({
        "at": at or timezone.now(),
        "client_id": target.client_id,
        "user_id": getattr(actor.user, "pk", None),
        "username": actor.username,
        "on_behalf_of": actor.on_behalf_of,
        "role": decision.role or ",".join(actor.roles),
        "organisation_id": prof.organisation_id if prof is not None else None,
        "organisation_name": prof.organisation.name if prof is not None else "",
        "ip": ap.ip or "",
        "user_agent": (ap.user_agent or "")[:300],
        "channel": ap.channel,
        "token_id": ap.token_id,
        "action": str(action),
        "object_type": str(target.data),
        "object_id": target.object_id or target.client_id,
        "data": str(target.data),
        "ground": str(decision.ground),
        "emergency": decision.emergency,
        "reason": decision.reason if (decision.emergency or not decision.allowed) else "",
        "outcome": "allowed" if decision.allowed else "denied",
    })


_LIMITS = {f.name: f.max_length for f in AccessLogRecord._meta.concrete_fields
           if getattr(f, "max_length", None)}


def _fit(values: dict[str, Any]) -> dict[str, Any]:
    """Free text from outside (a path id, a user agent, a reason) must not stop the record
    from being written: PostgreSQL refuses NUL characters and over-long values."""
    for name, value in values.items():
        if isinstance(value, str):
            value = value.replace("\x00", "\ufffd")
            limit = _LIMITS.get(name)
            values[name] = value[:limit] if limit else value
    return values


def append(entries: Iterable[dict[str, Any]], *, head: Sequence[Any] | None = None) -> int:
    """Chain and write records; must run inside the action's transaction. Returns how many
    were written. On PostgreSQL two round trips: lock a head and reserve the ids, then the
    records and the new chain head in one statement. `head` is the row of
    free_head_sql(number of entries) an action fetched itself in this transaction (None, or
    a row of NULLs when no head was free: append locks one as usual). When an anchor is
    due, one is taken after the commit (anchor_if_due)."""
    entries = list(entries)
    if not entries:
        return 0
    if not connection.in_atomic_block:
        raise RuntimeError("access log records are written inside the action's transaction")
    if _defer(entries):
        return len(entries)
    with connection.cursor() as cursor:
        if head is not None and head[0] is not None:
            shard, seq, prev = int(head[0]), int(head[1]), str(head[2])
            ids = sorted(int(i) for i in head[3])
            if len(ids) != len(entries):
                raise ValueError("the head was locked for another number of records")
        else:
            shard, seq, prev, ids = _lock_head(cursor, len(entries))
        params: list[Any] = []
        for values, record_id in zip(entries, ids, strict=True):
            seq += 1
            values = {**values, "id": record_id, "hash_version": HASH_VERSION, "shard": shard,
                      "seq": seq, "prev_hash": prev}
            prev = record_hash(values)
            values["hash"] = prev
            params.extend(values[c] for c in COLUMNS)
        width = len(COLUMNS)
        one = "(" + ", ".join(["%s"] * width) + ")"
        insert_head = f"INSERT INTO {RECORD_TABLE} ({', '.join(COLUMNS)}) VALUES "  # noqa: S608
        update = f"UPDATE {SHARD_TABLE} SET last_seq = %s, last_hash = %s WHERE shard = %s"  # noqa: S608
        # Chunks stay under the databases' limits on bind parameters per statement.
        chunks = [params[i:i + INSERT_CHUNK * width]
                  for i in range(0, len(params), INSERT_CHUNK * width)]
        for chunk in chunks[:-1]:
            cursor.execute(insert_head + ", ".join([one] * (len(chunk) // width)), chunk)
        last = chunks[-1]
        insert = insert_head + ", ".join([one] * (len(last) // width))
        if connection.vendor == "postgresql":
            cursor.execute(f"WITH written AS ({insert}) {update}", [*last, seq, prev, shard])
        else:
            cursor.execute(insert, last)
            cursor.execute(update, [seq, prev, shard])
    written = _WRITTEN.get()
    if written is not None:  # inside an action: its refusal would log these again
        written.extend(entries)
    if _anchor_due(ids[-1]):
        _anchor_after_commit(ids[-1])
    return len(entries)


# --- one write for the reads of a page ------------------------------------------------

_DEFERRED: contextvars.ContextVar[list[dict[str, Any]] | None] = contextvars.ContextVar(
    "audit_deferred_records", default=None)


@contextlib.contextmanager
def deferred() -> Iterator[None]:
    """Around the reads of one page (never around a change): the records the reads append
    are collected and written in one append when the block ends, however it ends (also on
    AccessDenied), before the page is returned. The same records, in the same order, as
    when each read writes its own; only their place in the chain differs (one shard, one
    run of ids). A read whose transaction rolls back takes its records out again
    (`write_path`), as a rollback would. Nested blocks write with the outermost."""
    if _DEFERRED.get() is not None:
        yield
        return
    pending: list[dict[str, Any]] = []
    token = _DEFERRED.set(pending)
    try:
        yield
    finally:
        _DEFERRED.reset(token)
        if pending:
            with transaction.atomic():
                append(pending)


def _defer(entries: list[dict[str, Any]]) -> bool:
    """Inside `deferred`: keep the records for its one append (and, inside an action, in
    the action's list, so that a refusal logs them again as it would)."""
    pending = _DEFERRED.get()
    if pending is None:
        return False
    pending.extend(entries)
    written = _WRITTEN.get()
    if written is not None:
        written.extend(entries)
    return True


def _forget_deferred(entries: list[dict[str, Any]]) -> None:
    pending = _DEFERRED.get()
    if pending and entries:
        gone = {id(values) for values in entries}
        pending[:] = [values for values in pending if id(values) not in gone]


# --- anchoring ------------------------------------------------------------------------


ANCHOR_LOCK = (7513, 1)  # PostgreSQL advisory lock key of the anchor chain (NEN 7513)


@dataclass
class _AnchorState:
    """What this process last learnt about the anchor chain (when it anchored or checked),
    so that deciding whether an anchor is due costs no query. Record ids are handed out in
    order across all processes, so how far the log has grown since then follows from the
    newest id this process reserved."""

    database: str
    anchor_at: datetime
    behind: int  # records the last anchor did not cover, at that moment
    id_mark: int  # the newest record id this process knew of at that moment


_ANCHOR_STATE: _AnchorState | None = None


def _anchor_due(newest_id: int) -> bool:
    state = _ANCHOR_STATE
    if state is None or state.database != connection.settings_dict["NAME"]:
        return True  # nothing known yet in this process: find out after the commit
    if state.behind + newest_id - state.id_mark >= settings.AUDIT_ANCHOR_RECORDS:
        return True
    return (timezone.now() - state.anchor_at).total_seconds() >= settings.AUDIT_ANCHOR_SECONDS


class _AnchorAfterCommit:
    ran = False

    def __init__(self, newest_id: int):
        self.newest_id = newest_id

    def __call__(self) -> None:
        self.ran = True
        anchor_if_due(self.newest_id)


def _anchor_after_commit(newest_id: int) -> None:
    """Anchor after the commit (once per transaction), so that the writer's own records
    are in the anchor and its transaction is not held up."""
    for pending in connection.run_on_commit:
        if isinstance(pending[1], _AnchorAfterCommit) and not pending[1].ran:
            pending[1].newest_id = max(pending[1].newest_id, newest_id)
            return
    transaction.on_commit(_AnchorAfterCommit(newest_id), robust=True)


def forget_anchor_state() -> None:
    """Make this process look at the anchor chain again at its next write (tests, or after
    the database was restored)."""
    global _ANCHOR_STATE
    _ANCHOR_STATE = None


def _learn(anchor_at: datetime, behind: int, id_mark: int) -> None:
    global _ANCHOR_STATE
    _ANCHOR_STATE = _AnchorState(connection.settings_dict["NAME"], anchor_at, behind, id_mark)


def anchor_root(anchor: AuditAnchor) -> str:
    """The root an anchor must carry, from its content."""
    if anchor.version is None:  # an anchor of the old kind
        return roots_from_heads(anchor.heads, anchor.prev_root)
    payload = _dumps([anchor.version, anchor.prev_root, _iso(anchor.at), anchor.records,
                      sorted(anchor.heads.items())])
    return hashlib.sha256(payload.encode()).hexdigest()


def roots_from_heads(heads: dict[str, list[Any]], prev_root: str) -> str:
    """The root of an anchor of the old kind (before version 2)."""
    payload = json.dumps([prev_root, sorted(heads.items())], separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()


def _take_anchor(*, wait: bool, only_if_due: bool, id_mark: int = 0) -> AuditAnchor | None:
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Serialised, so the chain never forks; the unique prev_root backs this up.
            # Writers only try the lock and go on when another process holds it: that one
            # is anchoring now (what they wrote meanwhile goes into the next anchor).
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)" if wait else
                               "SELECT pg_try_advisory_xact_lock(%s, %s)", list(ANCHOR_LOCK))
                if not wait and not cursor.fetchone()[0]:
                    _learn(timezone.now(), 0, id_mark)
                    return None
        # (SQLite: BEGIN IMMEDIATE already holds the database's write lock.)
        last = AuditAnchor.objects.order_by("-id").first()
        heads: dict[str, list[Any]] = {
            str(h.shard): [h.last_seq, h.last_hash]
            # One SELECT is one consistent snapshot: no need to stop the writers.
            for h in AccessLogShard.objects.order_by("shard")
        }
        records = sum(int(head[0]) for head in heads.values())
        now = timezone.now()
        if only_if_due and last is not None and last.version is not None:
            behind = records - (last.records or 0)
            if behind <= 0 or (behind < settings.AUDIT_ANCHOR_RECORDS and (
                    now - last.at).total_seconds() < settings.AUDIT_ANCHOR_SECONDS):
                _learn(last.at, max(behind, 0), id_mark)  # another process anchored lately
                return None
        made = AuditAnchor(version=2, at=now, heads=heads, records=records,
                           prev_root=last.root if last else GENESIS)
        made.root = anchor_root(made)
        made.save()
    _learn(made.at, 0, id_mark)
    return made


def anchor() -> AuditAnchor:
    """Anchor all chain heads now (`jeugdketen audit anchor`); waits for a writer that is
    anchoring at this moment. Returns the new anchor, whose root can be published."""
    made = _take_anchor(wait=True, only_if_due=False)
    assert made is not None
    return made


def anchor_if_due(id_mark: int = 0) -> AuditAnchor | None:
    """The writers' automatic anchoring, run after their commit: an anchor when the last
    one is AUDIT_ANCHOR_RECORDS records or AUDIT_ANCHOR_SECONDS seconds behind. Never waits
    for another process. `id_mark`: the newest record id the writer reserved."""
    try:
        return _take_anchor(wait=False, only_if_due=True, id_mark=id_mark)
    except IntegrityError:  # another process anchored first (only possible without the lock)
        return None


def authorize(actor: Actor, action: Action, target: Target) -> Decision:
    """Ask the policy, log an allowed answer now, raise AccessDenied on a denied one."""
    decision = if_allowed(actor, action, target)
    if not decision.allowed:
        raise AccessDenied(actor, action, target, decision)
    return decision


def if_allowed(actor: Actor, action: Action, target: Target) -> Decision:
    """For an optional part of a page (shown only where there is a ground): ask the policy
    once, log the access when allowed, and return the answer without raising."""
    decision = decide(actor, action, target)
    if decision.allowed:
        append([entry(actor, action, t, decision) for t in _per_person(target)])
    return decision


def authorize_many(actor: Actor, action: Action, targets: list[Target]) -> list[Target]:
    """For listings: each listed record counts as read. Returns the allowed targets; denied
    ones are logged as denied and left out."""
    allowed, rows = [], []
    for target in targets:
        decision = decide(actor, action, target)
        rows.append(entry(actor, action, target, decision))
        if decision.allowed:
            allowed.append(target)
    append(rows)
    return allowed


def _per_person(target: Target) -> list[Target]:
    """An access to several persons at once (a household, a family plan) is logged for each
    of them, so it names the client and shows in each person's access overview."""
    if target.person is None and target.members:
        return [replace(target, person=member) for member in target.members]
    return [target]


def get_or_deny(actor: Actor, action: Action, data: Data,
                queryset: models.QuerySet[M] | models.Manager[M], pk: Any,
                what: str = "record") -> M:
    """The record, or AccessDenied as for a forbidden one: an unknown or malformed id and a
    record without a ground look the same from outside (and both are logged as denied)."""
    try:
        return queryset.get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError, ValidationError):
        raise AccessDenied(actor, action, Target(data, object_id=str(pk)[:64]),
                           Decision.deny(f"no such {what}")) from None


def write_path(fn: Callable[P, R]) -> Callable[P, R]:
    """Wraps an action: one transaction for the change, its access log records and its
    chain event. Whatever stops it rolls all of that back; then

    - a denied attempt (AccessDenied) is logged in its own transaction and re-raised;
    - an attempt the policy allowed but a domain rule refused (Refusal, ValidationError)
      would leave no trace, so its records are written again in their own transaction,
      with the outcome `refused` and the rule as reason, and the refusal is re-raised.

    Inside another action, "its own transaction" is part of that action's transaction:
    when the exception propagates, the outer action rolls back (taking those records with
    it) and logs them again; when it catches it, they stay. Only the outermost action's
    records are final, and each attempt is logged once."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        depth = _DEPTH.get()
        token = _DEPTH.set(depth + 1)
        outer = _WRITTEN.get()
        written: list[dict[str, Any]] = []  # the records this action's transaction holds
        written_token = _WRITTEN.set(written)
        try:
            try:
                with transaction.atomic():
                    result = fn(*args, **kwargs)
            except BaseException:
                _forget_deferred(written)  # rolled back: as if never appended
                raise
            finally:
                _WRITTEN.reset(written_token)  # what is logged from here belongs to `outer`
            if outer is not None:
                outer.extend(written)
            return result
        except AccessDenied as denied:
            if not denied.logged:
                with transaction.atomic():
                    append([entry(denied.actor, denied.action, t, denied.decision)
                            for t in _per_person(denied.target)])
                denied.logged = depth == 0
            raise
        except REFUSALS as refusal:
            if written:
                reason = refusal_reason(refusal)
                with transaction.atomic():
                    append([_refused(values, reason) for values in written])
            raise
        finally:
            _DEPTH.reset(token)

    return wrapper


_DEPTH: contextvars.ContextVar[int] = contextvars.ContextVar("write_path_depth", default=0)


def in_action() -> bool:
    """Whether this runs inside an action (`write_path`): in its transaction, after its
    decision, with its log. For the few functions that change data on the decision of the
    action that calls them (access.actions.create_token, revoke_credentials)."""
    return _DEPTH.get() > 0
_WRITTEN: contextvars.ContextVar[list[dict[str, Any]] | None] = contextvars.ContextVar(
    "write_path_records", default=None)
# Raised after the permission check by a domain rule or a field rule: the policy allowed
# the attempt, the platform refused it.
REFUSALS = (Refusal,)


def refusal_reason(refusal: Exception) -> str:
    """The rule that refused an attempt, for the access log: the Refusal's reason (its rule,
    or for invalid input its fields and rules), or the fields and codes of a
    ValidationError (never the messages, which may quote input)."""
    if isinstance(refusal, Refusal):
        return refusal.reason
    assert isinstance(refusal, ValidationError)
    if hasattr(refusal, "error_dict"):
        fields = [f"{name}: {_codes(errors)}" for name, errors in sorted(refusal.error_dict.items())]
        return "invalid " + "; ".join(fields)
    return "invalid: " + _codes(refusal.error_list)


def _codes(errors: list[ValidationError]) -> str:
    return ", ".join(sorted({str(e.code or "invalid") for e in errors}))


def _refused(values: dict[str, Any], reason: str) -> dict[str, Any]:
    if values["outcome"] != Outcome.ALLOWED:
        return values  # a denied attempt stays what it was
    kept = values["reason"]  # an emergency access keeps its written reason
    return _fit({**values, "outcome": Outcome.REFUSED.value,
                 "reason": f"{reason}: {kept}" if kept else reason})


# --- verification -------------------------------------------------------------------


@dataclass
class Break:
    shard: int
    seq: int
    record_id: int | None
    problem: str
    anchor_id: int | None = None

    def __str__(self) -> str:
        if self.shard < 0:
            where = f"anchor id {self.anchor_id}" if self.anchor_id else "anchor chain"
            return f"{where}: {self.problem}"
        where = f"record id {self.record_id}" if self.record_id else "chain head"
        return f"shard {self.shard}, seq {self.seq} ({where}): {self.problem}"


@dataclass
class VerifyResult:
    checked: int
    shards: int
    first_break: Break | None
    root: str  # the last anchor's root: publish it elsewhere ("" when there is no anchor)
    anchors: int = 0
    last_anchor_at: datetime | None = None
    unanchored: int = 0  # records written after the last anchor
    published: list[str] = field(default_factory=list)  # published roots found in the chain

    @property
    def ok(self) -> bool:
        return self.first_break is None


@dataclass
class _AnchorChain:
    first_break: Break | None
    roots: set[str]
    anchored: dict[int, dict[int, str]]  # per chain: seq -> hash, as the anchors saw them
    upto: dict[int, int]  # per chain: the highest seq an anchor saw


def _anchor_problem(anchor: AuditAnchor, prev_root: str, newer_kind: bool,
                    anchored: dict[int, dict[int, str]], upto: dict[int, int]) -> str:
    if anchor.prev_root != prev_root:
        return ("its previous root is not the root of the anchor before it: an anchor was "
                "removed, inserted or reordered")
    if anchor.version is None and newer_kind:
        return "an anchor of the old kind after one of version 2: the anchor chain was rewritten"
    if anchor.version not in (None, 2):
        return f"unknown anchor version {anchor.version}: the anchor was changed"
    try:
        heads = {int(s): (int(h[0]), str(h[1])) for s, h in anchor.heads.items()}
        root = anchor_root(anchor)
    except (AttributeError, TypeError, ValueError, IndexError):
        return "its heads cannot be read: the anchor was changed"
    if root != anchor.root:
        return "its root does not match its content: the anchor was changed"
    if anchor.version is not None and anchor.records != sum(seq for seq, _h in heads.values()):
        return "its record count does not match its heads: the anchor was changed"
    for shard, seq in sorted(upto.items()):
        if shard not in heads:
            return (f"chain {shard} is missing from it, an earlier anchor saw it at seq {seq}: "
                    "the chain was removed")
    for shard, (seq, digest) in sorted(heads.items()):
        if seq == 0 and digest != GENESIS:
            return f"it saw chain {shard} empty but with a hash: the anchor was changed"
        if seq < upto.get(shard, 0):
            return (f"it saw chain {shard} at seq {seq}, an earlier anchor at seq "
                    f"{upto[shard]}: the chain was rewound")
        if anchored.get(shard, {}).get(seq, digest) != digest:
            return (f"it saw chain {shard} at seq {seq} with another hash than an earlier "
                    "anchor: the chain was rewound and rewritten")
    return ""


def _check_anchors(anchors: list[AuditAnchor]) -> _AnchorChain:
    chain = _AnchorChain(None, set(), {}, {})
    prev_root, newer_kind = GENESIS, False
    for anchor in anchors:
        problem = _anchor_problem(anchor, prev_root, newer_kind, chain.anchored, chain.upto)
        if problem:
            chain.first_break = Break(-1, 0, None, problem, anchor_id=anchor.pk)
            break
        for shard, (seq, digest) in anchor.heads.items():
            if seq:
                chain.anchored.setdefault(int(shard), {})[int(seq)] = str(digest)
            chain.upto[int(shard)] = int(seq)
        chain.roots.add(anchor.root)
        prev_root, newer_kind = anchor.root, newer_kind or anchor.version is not None
    return chain


@dataclass
class _ShardJob:
    shard: int
    head: tuple[int, str] | None  # (last_seq, last_hash) when verify started
    anchored: dict[int, str]
    anchored_upto: int


@dataclass
class _ShardResult:
    shard: int
    checked: int
    first_break: Break | None


PAGE = 20_000
# `at` as the text the hash covers, made by the database: on PostgreSQL exactly _iso's
# format; SQLite keeps the text it was given, which Python brings into that format.
_AT_TEXT = {"postgresql": "to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"+00:00\"')",
            "sqlite": "CAST(at AS TEXT)"}
_ID, _VERSION, _SEQ, _PREV = (COLUMNS.index(c) for c in ("id", "hash_version", "seq", "prev_hash"))
NO_HEAD = 2**62


def _select_chain() -> str:
    columns = [_AT_TEXT[connection.vendor] if c == "at" else c for c in COLUMNS]
    return (f"SELECT {', '.join(columns)} FROM {RECORD_TABLE} "  # noqa: S608
            "WHERE shard = %s AND seq > %s AND seq <= %s ORDER BY seq LIMIT %s")


def _at_as_text(row: tuple[Any, ...]) -> tuple[Any, ...]:
    fixed = list(row)
    fixed[_AT_V2] = _iso(datetime.fromisoformat(fixed[_AT_V2]))
    return tuple(fixed)


def _payload_sql() -> str:
    """The hashed payload (_dumps of HASHED_FIELDS, `at` as _iso's text) built by PostgreSQL:
    compact JSON; text as to_json quotes it (the same escapes as Python's json module with
    ensure_ascii=False), numbers as digits, booleans as true/false, NULL as null."""
    plain = {f.column for f in AccessLogRecord._meta.concrete_fields
             if f.get_internal_type() in ("AutoField", "BigAutoField", "BigIntegerField",
                                          "SmallIntegerField", "PositiveSmallIntegerField",
                                          "BooleanField")}

    def part(column: str) -> str:
        if column == "at":
            return f"to_json({_AT_TEXT['postgresql']})::text"
        if column in plain:
            return f"coalesce({column}::text, 'null')"
        return f"coalesce(to_json({column})::text, 'null')"

    return "'[' || concat_ws(',', " + ", ".join(map(part, AccessLogRecord.HASHED_FIELDS)) + ") || ']'"


# The table name and the payload come from the model; values are parameters. The hashes
# are checked below the window (so that only narrow rows are ordered for lag()).
_IN_DB = (
    "SELECT count(*), coalesce(min(seq), 0), coalesce(max(seq), 0), "  # noqa: S608
    "coalesce(bool_and(ok), true) FROM ("
    "SELECT seq, coalesce(content_ok "
    "AND prev_hash = coalesce(lag(hash) OVER (ORDER BY seq), %s), false) AS ok FROM ("
    "SELECT seq, prev_hash, hash, hash_version = %s "
    "AND hash = encode(sha256(convert_to({payload}, 'UTF8')), 'hex') AS content_ok "
    "FROM " + RECORD_TABLE + " WHERE shard = %s AND seq <= %s ORDER BY seq) AS record"
    ") AS chain"
)


def _verify_shard_in_db(job: _ShardJob) -> _ShardResult | None:
    """PostgreSQL's fast path: the database hashes every record of the chain and checks
    the links in one statement (C instead of a Python loop per record: `audit verify` at
    national scale). Returns None when anything is not exactly as an intact chain of
    version-2 records would be; the Python walk then finds and names the first problem, so
    the result never depends on which path ran."""
    upto = job.head[0] if job.head is not None else NO_HEAD
    with connection.cursor() as cursor:
        # Without JIT: compiling this wide expression costs about 0.5 s of CPU per chain,
        # a third of hashing 300,000 records (then the session's setting again).
        cursor.execute("SELECT current_setting('jit'), set_config('jit', 'off', false)")
        jit = cursor.fetchone()[0]
        try:
            cursor.execute(_IN_DB.format(payload=_payload_sql()),
                           [GENESIS, HASH_VERSION, job.shard, upto])
            count, first, last, ok = cursor.fetchone()
        finally:
            cursor.execute("SELECT set_config('jit', %s, false)", [jit])
        if not ok or (count and (first != 1 or last != count)):
            return None
        last_hash = GENESIS
        if count:
            cursor.execute(f"SELECT hash FROM {RECORD_TABLE} WHERE shard = %s AND seq = %s",  # noqa: S608
                           [job.shard, last])
            last_hash = cursor.fetchone()[0]
        if job.anchored:
            seqs = [seq for seq in job.anchored if seq <= last]
            cursor.execute(f"SELECT seq, hash FROM {RECORD_TABLE} "  # noqa: S608
                           "WHERE shard = %s AND seq = ANY(%s)", [job.shard, seqs])
            if any(job.anchored[seq] != digest for seq, digest in cursor.fetchall()):
                return None
        return _ShardResult(job.shard, int(count), _check_end(cursor, job, int(last), last_hash))


def _verify_shard(job: _ShardJob, tick: Callable[[int], None] | None = None) -> _ShardResult:
    """Walk one chain from its first record up to its head as read when verify started
    (later records belong to writers that came after). The hot loop of `audit verify`:
    rows as tuples, `at` as text from the database, one JSON encoding and hash per row."""
    if connection.vendor == "postgresql":
        fast = _verify_shard_in_db(job)
        if fast is not None:
            if tick:
                tick(fast.checked)
            return fast
    shard, anchored = job.shard, job.anchored
    upto = job.head[0] if job.head is not None else NO_HEAD
    expected, prev, newer_kind, checked = 0, GENESIS, False, 0
    select, fix = _select_chain(), connection.vendor != "postgresql"
    sha256, dumps, v1_from = hashlib.sha256, _dumps, _V1_FROM
    with connection.cursor() as cursor:
        after = 0
        while True:
            cursor.execute(select, [shard, after, upto, PAGE])
            rows = cursor.fetchall()
            if not rows:
                break
            for row in rows:
                if fix:
                    row = _at_as_text(row)
                expected += 1
                seq, digest, version = row[_SEQ], row[-1], row[_VERSION]
                if version == HASH_VERSION:
                    computed = sha256(dumps(row[:-1]).encode()).hexdigest()
                elif version is None and not newer_kind:
                    computed = sha256(dumps(row[v1_from:-1]).encode()).hexdigest()
                else:
                    computed = ""
                if seq == expected and row[_PREV] == prev and computed == digest and (
                        anchored.get(seq, digest) == digest):
                    newer_kind = newer_kind or version is not None
                    prev = digest
                    checked += 1
                    continue
                if seq != expected:
                    problem = f"expected seq {expected}: a record was removed"
                elif row[_PREV] != prev:
                    problem = "previous hash does not match: a record was removed or changed"
                elif version is None and newer_kind:
                    problem = ("a record of the old hash version after one of version 2: the "
                               "record was changed")
                elif computed != digest:
                    problem = "content does not match its hash: the record was changed"
                else:
                    problem = "hash differs from the anchored hash: the chain was rewritten"
                return _ShardResult(shard, checked, Break(shard, seq, row[_ID], problem))
            after = rows[-1][_SEQ]
            if tick:
                tick(len(rows))
        return _ShardResult(shard, checked, _check_end(cursor, job, expected, prev))


def _check_end(cursor: Any, job: _ShardJob, last_seq: int, last_hash: str) -> Break | None:
    shard = job.shard
    if job.head is None:
        return Break(shard, last_seq + 1, None, "the chain head is missing: the chain was removed")
    if job.head != (last_seq, last_hash):
        return Break(shard, last_seq + 1, None,
                     "chain head does not match the last record: records were removed at the end")
    if job.anchored_upto > last_seq:
        # The tail was cut off and the head rewound to match: only an anchor shows it.
        return Break(shard, last_seq + 1, None,
                     f"the chain ends before anchored seq {job.anchored_upto}: records were "
                     "removed at the end")
    # Records beyond the head: honest writers move the head in the same transaction, so a
    # record is never committed beyond the head (read the records first, then the head).
    cursor.execute(f"SELECT max(seq) FROM {RECORD_TABLE} WHERE shard = %s", [shard])  # noqa: S608
    beyond = cursor.fetchone()[0]
    cursor.execute(f"SELECT last_seq FROM {SHARD_TABLE} WHERE shard = %s", [shard])  # noqa: S608
    now = cursor.fetchone()
    if beyond is not None and (now is None or int(beyond) > int(now[0])):
        return Break(shard, last_seq + 1, None,
                     "records after the chain head: the head was rewound")
    return None


def _verify_in_worker(job: _ShardJob) -> _ShardResult:
    try:
        return _verify_shard(job)
    finally:
        connections.close_all()


def _verify_shards(jobs: list[_ShardJob], workers: int,
                   progress: Callable[[int], None] | None) -> list[_ShardResult]:
    done = 0

    def tick(n: int) -> None:
        nonlocal done
        done += n
        if progress:
            progress(done)

    # Parallel workers have their own connections and see only committed records, so an
    # open transaction (a test, a caller's atomic block) is verified in this process.
    if workers > 1 and len(jobs) > 1 and not connection.in_atomic_block and hasattr(os, "fork"):
        connections.close_all()  # never share a connection with the forked workers
        results = []
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for result in pool.imap_unordered(_verify_in_worker, jobs):
                results.append(result)
                tick(result.checked)
        return results
    return [_verify_shard(job, tick) for job in jobs]


def verify(progress: Callable[[int], None] | None = None, *, roots: Iterable[str] = (),
           workers: int = 1) -> VerifyResult:
    """Check the anchor chain and walk every hash chain from its start; report the first
    problem. `roots`: root hashes published outside the platform, each of which the anchor
    chain must contain. `workers` > 1 verifies chains in parallel processes."""
    # The anchors first, then the heads: a head is never behind an anchor read before it.
    anchors = list(AuditAnchor.objects.order_by("id"))
    heads = {h.shard: (h.last_seq, h.last_hash) for h in AccessLogShard.objects.all()}
    chain = _check_anchors(anchors)
    first = chain.first_break
    roots = list(roots)
    for published in roots:
        if published not in chain.roots:
            first = first or Break(-1, 0, None, f"the published root {published} is not in the "
                                   "anchor chain: anchors were removed or rewritten")
    # Every chain the migration made, every chain an anchor saw and every chain with
    # records: a chain removed together with its head row is still noticed.
    extra = set(AccessLogRecord.objects.filter(shard__gte=MAX_SHARDS)
                .values_list("shard", flat=True).distinct())
    shards = sorted(set(range(MAX_SHARDS)) | set(heads) | extra | set(chain.upto))
    jobs = [_ShardJob(s, heads.get(s), chain.anchored.get(s, {}), chain.upto.get(s, 0))
            for s in shards]
    results = sorted(_verify_shards(jobs, workers, progress), key=lambda r: r.shard)
    first = first or next((r.first_break for r in results if r.first_break), None)
    last = anchors[-1] if anchors else None
    records = sum(seq for seq, _h in heads.values())
    anchored = sum(int(h[0]) for h in last.heads.values()) if last else 0
    return VerifyResult(
        checked=sum(r.checked for r in results), shards=len(heads), first_break=first,
        root=last.root if last else "", anchors=len(anchors),
        last_anchor_at=last.at if last else None, unanchored=max(0, records - anchored),
        published=[r for r in roots if r in chain.roots])
