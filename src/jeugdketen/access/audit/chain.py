"""Appending to the hash chains. The log is split over `AUDIT_SHARDS` chains. A writer
locks one free chain head (PostgreSQL: FOR UPDATE SKIP LOCKED) and reserves its records'
ids in the same statement, so 32 concurrent writers extend up to 32 chains at once
instead of queueing for one. When every head is taken a writer waits for shard 0; the
holder of shard 0 never waits for another head, so writers never deadlock. Also
`deferred`: the reads of one page written in one append."""

from __future__ import annotations

import contextlib
import contextvars
import random
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.conf import settings
from django.db import connection, transaction

from jeugdketen.access.audit.anchors import _anchor_after_commit, _anchor_due
from jeugdketen.access.audit.records import (
    COLUMNS,
    HASH_VERSION,
    RECORD_TABLE,
    SHARD_TABLE,
    record_hash,
)
from jeugdketen.core import prepared

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
    sequence = getattr(connection, "_jk_log_sequence", None)
    if sequence is None:  # once per connection
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


_WRITTEN: contextvars.ContextVar[list[dict[str, Any]] | None] = contextvars.ContextVar(
    "write_path_records", default=None)


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
    # Prepared on PostgreSQL: every read of personal data runs these, with one text per
    # number of records, so the server plans them once per connection.
    with prepared.cursor() as cursor:
        if head is not None and head[0] is not None:
            shard, seq, prev, ids = _head(head, len(entries))
        else:
            shard, seq, prev, ids = _lock_head(cursor, len(entries))
        params, seq, prev = _chained(entries, shard, seq, prev, ids)
        width = len(COLUMNS)
        # Chunks stay under the databases' limits on bind parameters per statement.
        chunks = [params[i:i + INSERT_CHUNK * width]
                  for i in range(0, len(params), INSERT_CHUNK * width)]
        for chunk in chunks[:-1]:
            cursor.execute(_insert_sql(len(chunk) // width), chunk)
        last = chunks[-1]
        insert = _insert_sql(len(last) // width)
        if connection.vendor == "postgresql":
            cursor.execute(f"WITH written AS ({insert}) {_UPDATE_HEAD}", [*last, seq, prev, shard])
        else:
            cursor.execute(insert, last)
            cursor.execute(_UPDATE_HEAD, [seq, prev, shard])
    _appended(entries, ids)
    return len(entries)


_UPDATE_HEAD = f"UPDATE {SHARD_TABLE} SET last_seq = %s, last_hash = %s WHERE shard = %s"  # noqa: S608


def _insert_sql(rows: int) -> str:
    one = "(" + ", ".join(["%s"] * len(COLUMNS)) + ")"
    return (f"INSERT INTO {RECORD_TABLE} ({', '.join(COLUMNS)}) VALUES "  # noqa: S608
            + ", ".join([one] * rows))


def _head(head: Sequence[Any], count: int) -> tuple[int, int, str, list[int]]:
    ids = sorted(int(i) for i in head[3])
    if len(ids) != count:
        raise ValueError("the head was locked for another number of records")
    return int(head[0]), int(head[1]), str(head[2]), ids


def _chained(entries: list[dict[str, Any]], shard: int, seq: int, prev: str,
             ids: list[int]) -> tuple[list[Any], int, str]:
    """The records' column values, each chained to the one before: (parameters, the new
    last_seq, the new last_hash)."""
    params: list[Any] = []
    for values, record_id in zip(entries, ids, strict=True):
        seq += 1
        values = {**values, "id": record_id, "hash_version": HASH_VERSION, "shard": shard,
                  "seq": seq, "prev_hash": prev}
        prev = record_hash(values)
        values["hash"] = prev
        params.extend(values[c] for c in COLUMNS)
    return params, seq, prev


def _appended(entries: list[dict[str, Any]], ids: list[int]) -> None:
    written = _WRITTEN.get()
    if written is not None:  # inside an action: its refusal would log these again
        written.extend(entries)
    if _anchor_due(ids[-1]):
        _anchor_after_commit(ids[-1])


def append_parts(entries: Iterable[dict[str, Any]], head: Sequence[Any] | None
                 ) -> tuple[str, list[Any]] | None:
    """PostgreSQL, for an action that writes its records in its own next statement (one
    round trip less): the records chained on `head` (a row of free_head_sql, locked in
    this transaction) as two CTEs, `jk_written AS (INSERT ...), jk_chained AS (UPDATE the
    head)`, and their parameters, for the action's `WITH` (it must run that statement
    exactly once). From here the records count as written (a refusal before the statement
    logs them as refused, as after append). None where append must write them itself
    (SQLite, no head, inside `deferred`, more than one chunk): call append(entries,
    head=head) then."""
    entries = list(entries)
    if (not entries or head is None or head[0] is None or connection.vendor != "postgresql"
            or _DEFERRED.get() is not None or len(entries) > INSERT_CHUNK):
        return None
    if not connection.in_atomic_block:
        raise RuntimeError("access log records are written inside the action's transaction")
    shard, seq, prev, ids = _head(head, len(entries))
    params, seq, prev = _chained(entries, shard, seq, prev, ids)
    _appended(entries, ids)
    return (f"jk_written AS ({_insert_sql(len(entries))}), jk_chained AS ({_UPDATE_HEAD})",
            [*params, seq, prev, shard])


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
