"""`audit verify`: check the anchor chain, then walk every hash chain from its first record
up to its head (in parallel processes; on PostgreSQL the database hashes each chain in
one statement), and name the first broken record or anchor."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import connection, connections

from jeugdketen.access.audit.anchors import anchor_root
from jeugdketen.access.audit.records import (
    _AT_V2,
    _V1_FROM,
    COLUMNS,
    GENESIS,
    HASH_VERSION,
    MAX_SHARDS,
    RECORD_TABLE,
    SHARD_TABLE,
    _dumps,
    _iso,
)
from jeugdketen.access.models import AccessLogRecord, AccessLogShard, AuditAnchor


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
