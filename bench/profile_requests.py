"""Per-request cost, one request at a time: SQL statements, wall and process CPU time.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jeugdketen_bench \\
        .venv/bin/python -m bench.profile_requests [--n 200]

Runs in-process through Django's test client (the full middleware stack, DEBUG off) against
the benchmark database, after `bench.run` prepared it (the reference index in its bulk
state, the API pool registered). It registers signals on pool youth, so run it before a
benchmark run's signal load (which restores the index) or accept that the next run does.
The slowest statements of a signal registration are listed with their share of the time.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import time
from collections import Counter
from typing import Any


def pool_youth(connection: Any, prof: Any, n: int) -> list[str]:
    """Pool youth without a signal of this organisation (the newest registrations)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT r.person_id::text FROM registry_registration r WHERE r.professional_id = %s "
            "AND NOT EXISTS (SELECT 1 FROM referral_index_signal s WHERE s.person_id = "
            "r.person_id AND s.organisation_id = %s) AND EXISTS (SELECT 1 FROM "
            "registry_householdmember m WHERE m.person_id = r.person_id AND m.relation = "
            "'child') ORDER BY r.created_at DESC LIMIT %s",
            [prof.pk, prof.organisation_id, n])
        return [r[0] for r in cursor.fetchall()]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--cprofile", default="",
                        help="write a cProfile of the signal registrations to this file")
    parser.add_argument("--only", default="", help="comma-separated: baseline,read,signal")
    parser.add_argument("--restore", type=int, default=0, metavar="SIGNALS",
                        help="first bring the index to its bulk state with this many signals "
                             "(bench.run's --signals) and register on a random sample of the "
                             "API pool: the same youth, in the pool's mix of client, family "
                             "and no match, in every run (comparable before/after)")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jeugdketen.config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from jeugdketen.access.actions import issue_token, system_actor
    from jeugdketen.demo import bulk_referral as bulk
    from jeugdketen.registry.models import Neighbourhood, Registration

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.ALLOWED_HOSTS = ["*"]
    prof = bulk.bench_professional()
    token = issue_token(system_actor("bench"), prof.user, days=1)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    client = Client()
    rng = random.Random(args.seed)
    hoods = list(Neighbourhood.objects.values_list("code", flat=True))
    mine = [str(p) for p in Registration.objects.filter(professional=prof)
            .values_list("person_id", flat=True)[:5000]]
    if args.restore:
        info = bulk.load(signals=args.restore, seed=args.seed)
        pool = [str(pid) for pid, _kind in info["api_pool"]]
        random.Random(args.seed).shuffle(pool)
        pool = pool[:args.n]
    else:
        pool = pool_youth(connection, prof, args.n)
    with open("/proc/loadavg") as load:
        print(json.dumps({"pool": len(pool), "loadavg": load.read().split()[:3]}))

    def measure(name: str, call: Any, items: list[Any]) -> dict[str, Any]:
        wall, cpu, queries, statuses = [], [], [], Counter()
        slow: Counter[str] = Counter()
        matching: list[float] = []  # the CPU of the registrations that made or joined a match
        for item in items:
            with CaptureQueriesContext(connection) as ctx:
                w0, c0 = time.perf_counter(), time.process_time()
                resp = call(item)
                wall.append(time.perf_counter() - w0)
                cpu.append(time.process_time() - c0)
            statuses[resp.status_code] += 1
            if name == "signal" and resp.status_code == 201 and resp.json().get("match_id"):
                matching.append(cpu[-1])
            queries.append(len(ctx.captured_queries))
            for q in ctx.captured_queries:
                slow[" ".join(q["sql"].split())[:90]] += float(q["time"])
        total = sum(wall)
        return {"endpoint": name, "n": len(items), "statuses": dict(statuses),
                "queries_median": statistics.median(queries),
                "wall_ms_median": round(1000 * statistics.median(wall), 2),
                "wall_ms_mean": round(1000 * total / len(items), 2),
                "cpu_ms_median": round(1000 * statistics.median(cpu), 2),
                "cpu_ms_mean": round(1000 * sum(cpu) / len(items), 2),
                **({"matching": len(matching),
                    "cpu_ms_mean_matching": round(1000 * sum(matching) / len(matching), 2)}
                   if matching else {}),
                "slowest_sql": [(sql, round(100 * t / total, 1)) for sql, t in slow.most_common(4)]}

    only = set(filter(None, args.only.split(","))) or {"baseline", "read", "signal"}
    out = []
    if "baseline" in only:
        out.append(measure("baseline", lambda c: client.get(f"/api/v1/neighbourhoods/{c}"),
                           [rng.choice(hoods) for _ in range(args.n)]))
    if "read" in only:
        out.append(measure("read", lambda p: client.get(f"/api/v1/persons/{p}", **auth),
                           [rng.choice(mine) for _ in range(args.n)]))
    if "signal" in only:
        def signal(p: str) -> Any:
            return client.post("/api/v1/signals", json.dumps({"person_id": p}),
                               content_type="application/json", **auth)
        if args.cprofile:
            import cProfile
            profile = cProfile.Profile(time.process_time)  # CPU, not wall time
            profile.enable()
            out.append(measure("signal", signal, pool))
            profile.disable()
            profile.dump_stats(args.cprofile)
        else:
            out.append(measure("signal", signal, pool))
    for row in out:
        print(json.dumps(row))


if __name__ == "__main__":
    main()
