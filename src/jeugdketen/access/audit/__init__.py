"""The NEN 7513 access log: append, authorize, anchor, verify.

One module per concern: the record and its hash (`records`), appending to the hash chains
and the one append for the reads of a page (`chain`), anchoring the chain heads
(`anchors`), asking the policy and logging its answer (`decisions`), the write path
wrapper of every action (`wrapper`), and `audit verify` (`verification`). This package is
the log's public surface: callers write `from jeugdketen.access import audit` and
`audit.authorize(...)`, `@audit.write_path`, `audit.append(...)`.

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

from jeugdketen.access.audit.anchors import (
    ANCHOR_LOCK,
    anchor,
    anchor_if_due,
    anchor_root,
    forget_anchor_state,
    roots_from_heads,
)
from jeugdketen.access.audit.chain import (
    INSERT_CHUNK,
    append,
    append_parts,
    deferred,
    free_head_sql,
    reserve_ids,
)
from jeugdketen.access.audit.decisions import (
    AccessDenied,
    authorize,
    authorize_many,
    get_or_deny,
    if_allowed,
)
from jeugdketen.access.audit.records import (
    ANCHOR_TABLE,
    COLUMNS,
    GENESIS,
    HASH_VERSION,
    MAX_SHARDS,
    RECORD_TABLE,
    SHARD_TABLE,
    entry,
    record_hash,
)
from jeugdketen.access.audit.verification import (
    NO_HEAD,
    PAGE,
    Break,
    VerifyResult,
    verify,
)
from jeugdketen.access.audit.wrapper import (
    REFUSALS,
    refusal_reason,
    require_action,
    write_path,
)

__all__ = [
    "ANCHOR_LOCK",
    "ANCHOR_TABLE",
    "COLUMNS",
    "GENESIS",
    "HASH_VERSION",
    "INSERT_CHUNK",
    "MAX_SHARDS",
    "NO_HEAD",
    "PAGE",
    "RECORD_TABLE",
    "REFUSALS",
    "SHARD_TABLE",
    "AccessDenied",
    "Break",
    "VerifyResult",
    "anchor",
    "anchor_if_due",
    "anchor_root",
    "append",
    "append_parts",
    "authorize",
    "authorize_many",
    "deferred",
    "entry",
    "forget_anchor_state",
    "free_head_sql",
    "get_or_deny",
    "if_allowed",
    "record_hash",
    "refusal_reason",
    "require_action",
    "reserve_ids",
    "roots_from_heads",
    "verify",
    "write_path",
]
