"""Anchors: every chain head, its time and record count and the root of the anchor before
it, under a root hash of their own. The writers take one after their commit whenever the
last anchor is AUDIT_ANCHOR_RECORDS records or AUDIT_ANCHOR_SECONDS seconds behind (one
process at a time, the others go on without waiting). An anchor's root, published
outside the platform, lets `verify(roots=...)` prove that nothing before it was
rewritten or removed."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from jeugdketen.access.audit.records import GENESIS, _dumps, _iso
from jeugdketen.access.models import AccessLogShard, AuditAnchor

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
            # is anchoring now. What it anchors may miss what was committed after it read
            # the heads (this writer's own records among them), so nothing is learnt here:
            # the next write looks again.
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)" if wait else
                               "SELECT pg_try_advisory_xact_lock(%s, %s)", list(ANCHOR_LOCK))
                if not wait and not cursor.fetchone()[0]:
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
