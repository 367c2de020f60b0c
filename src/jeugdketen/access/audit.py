"""The NEN 7513 access log: append, authorize, verify, anchor.

Hash chains: the log is split over `AUDIT_SHARDS` chains. A writer locks one free chain
head (PostgreSQL: FOR UPDATE SKIP LOCKED), so 32 concurrent writers extend up to 32
chains at once instead of queueing for one. When every head is taken a writer waits for
shard 0; the holder of shard 0 never waits for another head, so writers never deadlock.
Each record's hash covers its fields and the previous hash of its chain; the heads are
anchored together by `anchor()` into a chained root hash that can be published.
"""

from __future__ import annotations

import contextvars
import functools
import hashlib
import json
import random
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, ParamSpec, TypeVar

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from jeugdketen.access.models import AccessLogRecord, AccessLogShard, AuditAnchor
from jeugdketen.access.policy import Action, Actor, Data, Decision, Target, decide

GENESIS = "0" * 64
MAX_SHARDS = 64  # the chain heads made by migration access 0003
P = ParamSpec("P")
R = TypeVar("R")


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
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def record_hash(values: dict[str, Any]) -> str:
    parts = []
    for name in AccessLogRecord.HASHED_FIELDS:
        value = values[name]
        parts.append(_iso(value) if isinstance(value, datetime) else value)
    payload = json.dumps(parts, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


SHARD_TABLE = AccessLogShard._meta.db_table
RECORD_TABLE = AccessLogRecord._meta.db_table
COLUMNS = (*AccessLogRecord.HASHED_FIELDS, "hash")
INSERT_CHUNK = 500


def _lock_head(cursor: Any) -> tuple[int, int, str]:
    """Lock one free chain head and return (shard, last_seq, last_hash). Raw SQL: this
    runs for every read of personal data, so it is kept to one round trip."""
    shards = settings.AUDIT_SHARDS
    if connection.features.has_select_for_update_skip_locked:
        cursor.execute(
            f"SELECT shard, last_seq, last_hash FROM {SHARD_TABLE} WHERE shard < %s "  # noqa: S608
            "ORDER BY random() LIMIT 1 FOR UPDATE SKIP LOCKED", [shards])
        row = cursor.fetchone()
        if row is None:  # every chain is being extended: wait for shard 0 (see module doc)
            cursor.execute(f"SELECT shard, last_seq, last_hash FROM {SHARD_TABLE} "  # noqa: S608
                           "WHERE shard = 0 FOR UPDATE")
            row = cursor.fetchone()
        return int(row[0]), int(row[1]), str(row[2])
    # SQLite: writers are already serialised by the database lock.
    cursor.execute(f"SELECT shard, last_seq, last_hash FROM {SHARD_TABLE} WHERE shard = %s",  # noqa: S608
                   [random.randrange(shards)])
    row = cursor.fetchone()
    return int(row[0]), int(row[1]), str(row[2])


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


def append(entries: Iterable[dict[str, Any]]) -> int:
    """Chain and write records; must run inside the action's transaction. Returns how many
    were written. On PostgreSQL the records and the new chain head go in one statement."""
    entries = list(entries)
    if not entries:
        return 0
    if not connection.in_atomic_block:
        raise RuntimeError("access log records are written inside the action's transaction")
    with connection.cursor() as cursor:
        shard, seq, prev = _lock_head(cursor)
        params: list[Any] = []
        for values in entries:
            seq += 1
            values = {**values, "shard": shard, "seq": seq, "prev_hash": prev}
            prev = record_hash(values)
            values["hash"] = prev
            params.extend(values[c] for c in COLUMNS)
        width = len(COLUMNS)
        one = "(" + ", ".join(["%s"] * width) + ")"
        head = f"INSERT INTO {RECORD_TABLE} ({', '.join(COLUMNS)}) VALUES "  # noqa: S608
        update = f"UPDATE {SHARD_TABLE} SET last_seq = %s, last_hash = %s WHERE shard = %s"  # noqa: S608
        # Chunks stay under the databases' limits on bind parameters per statement.
        chunks = [params[i:i + INSERT_CHUNK * width]
                  for i in range(0, len(params), INSERT_CHUNK * width)]
        for chunk in chunks[:-1]:
            cursor.execute(head + ", ".join([one] * (len(chunk) // width)), chunk)
        last = chunks[-1]
        insert = head + ", ".join([one] * (len(last) // width))
        if connection.vendor == "postgresql":
            cursor.execute(f"WITH written AS ({insert}) {update}", [*last, seq, prev, shard])
        else:
            cursor.execute(insert, last)
            cursor.execute(update, [seq, prev, shard])
    return len(entries)


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


def get_or_deny(actor: Actor, action: Action, data: Data, queryset: Any, pk: Any,
                what: str = "record") -> Any:
    """The record, or AccessDenied as for a forbidden one: an unknown or malformed id and a
    record without a ground look the same from outside (and both are logged as denied)."""
    from django.core.exceptions import ValidationError

    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError, ValidationError):
        raise AccessDenied(actor, action, Target(data, object_id=str(pk)[:64]),
                           Decision.deny(f"no such {what}")) from None


def write_path(fn: Callable[P, R]) -> Callable[P, R]:
    """Wraps an action: one transaction for the change, its access log record and its chain
    event. A denied attempt rolls back any partial work, then is logged in its own
    transaction, then re-raised."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        depth = _DEPTH.get()
        token = _DEPTH.set(depth + 1)
        try:
            with transaction.atomic():
                return fn(*args, **kwargs)
        except AccessDenied as denied:
            if not denied.logged:
                with transaction.atomic():
                    append([entry(denied.actor, denied.action, t, denied.decision)
                            for t in _per_person(denied.target)])
                # Inside another action the record is part of that action's transaction: if
                # the denial propagates, that action rolls back (taking the record with it)
                # and logs it again; if it catches the denial, the record stays. Only the
                # outermost action's record is final.
                denied.logged = depth == 0
            raise
        finally:
            _DEPTH.reset(token)

    return wrapper


_DEPTH: contextvars.ContextVar[int] = contextvars.ContextVar("write_path_depth", default=0)


# --- verification -------------------------------------------------------------------


@dataclass
class Break:
    shard: int
    seq: int
    record_id: int | None
    problem: str

    def __str__(self) -> str:
        where = f"record id {self.record_id}" if self.record_id else "chain head"
        return f"shard {self.shard}, seq {self.seq} ({where}): {self.problem}"


@dataclass
class VerifyResult:
    checked: int
    shards: int
    first_break: Break | None
    root: str

    @property
    def ok(self) -> bool:
        return self.first_break is None


def _rows(shard: int, chunk: int = 20000) -> Iterator[dict[str, Any]]:
    fields = ("id", "hash", *AccessLogRecord.HASHED_FIELDS)
    qs = AccessLogRecord.objects.filter(shard=shard).order_by("seq").values(*fields)
    return qs.iterator(chunk_size=chunk)


def roots_from_heads(heads: dict[str, list[Any]], prev_root: str) -> str:
    payload = json.dumps([prev_root, sorted(heads.items())], separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()


def verify(progress: Callable[[int], None] | None = None) -> VerifyResult:
    """Walk every chain from its start; report the first record that does not fit."""
    heads = {h.shard: h for h in AccessLogShard.objects.all()}
    anchors = list(AuditAnchor.objects.order_by("id"))
    anchored: dict[tuple[int, int], str] = {}
    anchored_upto: dict[int, int] = {}  # per shard: the highest seq an anchor has seen
    for anchor in anchors:
        for shard, (seq, digest) in anchor.heads.items():
            if seq:
                anchored[(int(shard), int(seq))] = digest
                anchored_upto[int(shard)] = max(anchored_upto.get(int(shard), 0), int(seq))
    record_shards = set(AccessLogRecord.objects.values_list("shard", flat=True).distinct())
    anchored_shards = {int(shard) for anchor in anchors for shard in anchor.heads}
    checked = 0
    first: Break | None = None
    # Every chain the migration made, every chain an anchor saw and every chain with
    # records: a chain removed together with its head row is still noticed.
    for shard in sorted(set(range(MAX_SHARDS)) | set(heads) | record_shards | anchored_shards):
        expected_seq, prev = 0, GENESIS
        for row in _rows(shard):
            expected_seq += 1  # noqa: SIM113 - also read after the loop
            problem = None
            if row["seq"] != expected_seq:
                problem = f"expected seq {expected_seq}: a record was removed"
            elif row["prev_hash"] != prev:
                problem = "previous hash does not match: a record was removed or changed"
            elif record_hash(row) != row["hash"]:
                problem = "content does not match its hash: the record was changed"
            elif anchored.get((shard, row["seq"]), row["hash"]) != row["hash"]:
                problem = "hash differs from the anchored hash: the chain was rewritten"
            if problem:
                first = first or Break(shard, row["seq"], row["id"], problem)
                break
            prev = row["hash"]
            checked += 1
            if progress and checked % 50000 == 0:
                progress(checked)
        else:
            head = heads.get(shard)
            if head is None or head.last_seq != expected_seq or head.last_hash != prev:
                first = first or Break(
                    shard, expected_seq + 1, None,
                    "chain head does not match the last record: records were removed at the end",
                )
            elif anchored_upto.get(shard, 0) > expected_seq:
                # The tail was cut off and the head rewound to match: only an anchor shows it.
                first = first or Break(
                    shard, expected_seq + 1, None,
                    f"the chain ends before anchored seq {anchored_upto[shard]}: "
                    "records were removed at the end",
                )
        if first:
            break
    prev_root = GENESIS
    if first is None:
        for anchor in anchors:
            if anchor.prev_root != prev_root or roots_from_heads(anchor.heads, prev_root) != anchor.root:
                first = Break(-1, anchor.pk, None, "anchor chain broken")
                break
            prev_root = anchor.root
    current = {str(s): [h.last_seq, h.last_hash] for s, h in sorted(heads.items())}
    return VerifyResult(checked, len(heads), first, roots_from_heads(current, prev_root))


@transaction.atomic
def anchor() -> AuditAnchor:
    """Anchor all chain heads together (run nightly; publish the root hash elsewhere)."""
    last = AuditAnchor.objects.order_by("-id").first()
    prev_root = last.root if last else GENESIS
    heads = {
        str(h.shard): [h.last_seq, h.last_hash]
        # One SELECT is one consistent snapshot: no need to stop the writers.
        for h in AccessLogShard.objects.order_by("shard")
    }
    return AuditAnchor.objects.create(
        heads=heads, prev_root=prev_root, root=roots_from_heads(heads, prev_root)
    )
