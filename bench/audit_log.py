"""Micro-benchmark of the access log's hot path and of `audit verify`, in one process.

    python -m bench.audit_log [--database-url URL] [--appends 2000] [--rounds 5]
                              [--per-tx 1] [--verify-records 200000] [--json]

A fresh database each run (PostgreSQL: the database in the URL is dropped and created
again, default postgres://postgres@127.0.0.1:5432/jk_audit_bench; SQLite: the file is
removed), migrated, and then:

1. append: `--rounds` rounds of `--appends` transactions, each `transaction.atomic()`
   around `audit.append()` of `--per-tx` prepared records (everything that runs on a read
   of personal data after the policy said yes, including any anchoring the append
   triggers after commit). Reported: the median over the rounds of microseconds per
   transaction, and the fastest and slowest round.
2. verify: the log is filled up to `--verify-records` records (appends of 500 records per
   transaction) and `audit.verify()` walks it, once per `--verify-workers` entry (parallel
   worker processes); reported: records per second. `--reuse` keeps the database of an
   earlier run, so a large log is built once.

Only loopback traffic; every loop is bounded by its counts.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/jk_audit_bench"


def fresh_database(url: str) -> None:
    parsed = urlparse(url)
    if parsed.scheme.startswith("postgres"):
        import psycopg

        name = parsed.path.lstrip("/")
        admin = parsed._replace(path="/postgres").geturl()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    else:
        path = Path(parsed.path)
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_AUDIT_URL", DEFAULT_URL))
    parser.add_argument("--appends", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--per-tx", type=int, default=1)
    parser.add_argument("--verify-records", type=int, default=200_000)
    parser.add_argument("--verify-workers", default="1",
                        help="comma-separated: verify once per number of worker processes")
    parser.add_argument("--reuse", action="store_true",
                        help="keep the database of an earlier run (only tops the log up)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    if not args.reuse:
        fresh_database(args.database_url)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jeugdketen.config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from jeugdketen.access import audit
    from jeugdketen.access.models import AccessLogRecord
    from jeugdketen.access.policy import Action, Actor, Data, Decision, Target

    call_command("migrate", verbosity=0, skip_checks=True)
    actor = Actor(operator=True)
    decision = Decision(True, "registration", "professional")

    def entries(n: int, start: int) -> list[dict[str, Any]]:
        return [audit.entry(actor, Action.READ, Target(Data.BASE_DATA, object_id=str(start + i)),
                            decision) for i in range(n)]

    def run_round(n: int) -> tuple[float, float]:
        batches = [entries(args.per_tx, i * args.per_tx) for i in range(n)]
        start, cpu = time.perf_counter(), time.process_time()
        for batch in batches:
            with transaction.atomic():
                audit.append(batch)
        return ((time.perf_counter() - start) / n * 1e6, (time.process_time() - cpu) / n * 1e6)

    run_round(200)  # warm-up: connection, statement caches
    rounds = [run_round(args.appends) for _ in range(args.rounds)]
    wall, cpu = [r[0] for r in rounds], [r[1] for r in rounds]
    out: dict[str, Any] = {
        "vendor": connection.vendor, "per_tx": args.per_tx, "appends": args.appends,
        "append_us_median": round(statistics.median(wall), 1),
        "append_us_min": round(min(wall), 1), "append_us_max": round(max(wall), 1),
        # CPU time of this process per transaction (on SQLite the database's work included;
        # on PostgreSQL the server's is not): less sensitive to other load on the machine.
        "append_cpu_us_median": round(statistics.median(cpu), 1),
        "anchors": _anchors(),
    }
    have = AccessLogRecord.objects.count()
    while have < args.verify_records:
        n = min(500, args.verify_records - have)
        with transaction.atomic():
            have += audit.append(entries(n, have))
    for workers in [int(w) for w in args.verify_workers.split(",")]:
        kwargs = {"workers": workers} if workers > 1 else {}  # (the old verify had none)
        start = time.perf_counter()
        result = audit.verify(**kwargs)
        seconds = time.perf_counter() - start
        key = "verify" if workers == 1 else f"verify_{workers}_workers"
        out.update({f"{key}_records": result.checked, f"{key}_ok": result.ok,
                    f"{key}_seconds": round(seconds, 2),
                    f"{key}_records_per_s": round(result.checked / seconds) if seconds else 0})
    if args.json:
        print(json.dumps(out))
    else:
        for key, value in out.items():
            print(f"{key}: {value}")
    sys.stdout.flush()


def _anchors() -> int:
    from jeugdketen.access.models import AuditAnchor

    return AuditAnchor.objects.count()


if __name__ == "__main__":
    main()
