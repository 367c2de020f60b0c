"""POST /api/v1/care-reports, one request at a time, two versions of the code interleaved.

    .venv/bin/python -m bench.care_reports_profile \\
        --database-url postgres://postgres:postgres@127.0.0.1:5432/jk_care_speed \\
        --a /work/main/src --b src --rounds 8 --n 40 [--cprofile b]

For a machine shared with other work, where requests/s mean little: each round runs a
fresh process per version (`--a`, `--b`: the `src` folders of two checkouts, in
alternating order), which posts `--n` care reports through Django's test client (the full
middleware stack, DEBUG off) after a warm-up of 3, each about another person the
benchmark professional (the one with the most registrations) registered. Per request it
records the SQL statements a cursor runs (BEGIN and COMMIT not counted; savepoints counted
apart), the wall time and the process CPU time, and per round the PostgreSQL server's CPU
for the connection (a server on this machine); the medians and p95 over all rounds are printed per version, with the ratio. The
database needs persons and professionals (`jeugdketen demo --scale 5000` builds them);
the reports stay (their question says they are the benchmark's, see
bench/intake_queue.py's cleanup). `--cprofile a|b` prints where one version's time goes.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.inprocess import ROOT, BackendCpu, pct, profile_text, worker_env

QUESTION = "Synthetische melding van de benchmark van POST /api/v1/care-reports."
WARMUP = 3


def worker(n: int, offset: int, cprofile: bool, baseline: bool = False) -> dict[str, Any]:
    """In the version's own process: `n` reports, their statements, wall and CPU ms (and
    with `baseline`, after them, `n` baseline reads, GET /api/v1/neighbourhoods/{code})."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jeugdketen.config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.db.models import Count
    from django.test import Client

    from jeugdketen.access.actions import issue_token, system_actor
    from jeugdketen.registry.models import Neighbourhood, Professional, Registration

    prof = (Professional.objects.filter(roles__contains=["professional"])
            .annotate(n=Count("registrations")).order_by("-n", "pk")
            .select_related("user").first()) if connection.vendor == "postgresql" else None
    if prof is None:  # SQLite has no JSON `contains` on lists
        counted = (Registration.objects.values("professional_id").annotate(n=Count("id"))
                   .order_by("-n", "professional_id"))
        for row in counted:
            candidate = Professional.objects.select_related("user").get(
                pk=row["professional_id"])
            if "professional" in candidate.roles:
                prof = candidate
                break
    if prof is None:
        raise SystemExit("no professional with registrations: build the database first")
    token = issue_token(system_actor("bench"), prof.user, days=1)
    persons = sorted(str(p) for p in Registration.objects.filter(professional=prof)
                     .values_list("person_id", flat=True).distinct())
    bodies = []
    for i in range(WARMUP + n):
        bodies.append(json.dumps({
            "person_id": persons[(offset + i) % len(persons)], "question": QUESTION,
            "life_domains": ["schooling", "finances"][: 1 + i % 2],
            "urgency": ("regular", "urgent", "crisis")[i % 3], "unsafe": False,
            "consent_to_share": True, "contact_phone": "0612345678",
            "desired_result": "Rust in het gezin." if i % 2 else ""}))
    settings.ALLOWED_HOSTS = ["*"]
    client = Client()
    header = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    profiler = None
    samples = []
    backend = BackendCpu(connection)
    for i, body in enumerate(bodies):
        if i == WARMUP:
            backend.start()
        if i == WARMUP and cprofile:
            import cProfile

            profiler = cProfile.Profile(time.process_time)  # CPU, not waiting
            profiler.enable()
        sql: list[str] = []
        with connection.execute_wrapper(_Counted(sql)):  # not a debug cursor: no cost
            cpu0, wall0 = time.process_time(), time.perf_counter()
            response = client.post("/api/v1/care-reports", body,
                                   content_type="application/json", **header)
            wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
        if response.status_code != 201:
            raise SystemExit(f"HTTP {response.status_code}: {response.content[:300]!r}")
        if i >= WARMUP:
            savepoints = sum(s.startswith(("SAVEPOINT", "RELEASE SAVEPOINT")) for s in sql)
            samples.append({"wall_ms": wall * 1000, "cpu_ms": cpu * 1000,
                            "statements": len(sql) - savepoints, "savepoints": savepoints})
    out: dict[str, Any] = {"vendor": connection.vendor, "samples": samples,
                           "backend_cpu_ms": backend.stop(n)}
    if baseline:
        codes = list(Neighbourhood.objects.values_list("code", flat=True)[:50])
        reads = []
        for i in range(WARMUP + n):
            if i == WARMUP:
                backend.start()
            cpu0, wall0 = time.process_time(), time.perf_counter()
            response = client.get(f"/api/v1/neighbourhoods/{codes[i % len(codes)]}", **header)
            wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
            if response.status_code != 200:
                raise SystemExit(f"baseline HTTP {response.status_code}")
            if i >= WARMUP:
                reads.append({"wall_ms": wall * 1000, "cpu_ms": cpu * 1000})
        out["baseline"] = reads
        out["baseline_backend_cpu_ms"] = backend.stop(n)
    if profiler is not None:
        out["profile"] = profile_text(profiler)
    return out


class _Counted:
    """An execute wrapper that keeps each statement's text (BEGIN and COMMIT are not
    statements a cursor runs, so they are not counted)."""

    def __init__(self, sql: list[str]) -> None:
        self.sql = sql

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.sql.append(sql)
        return execute(sql, params, many, context)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--a", default="", help="src folder of version A (e.g. main's)")
    parser.add_argument("--b", default=str(ROOT / "src"), help="src folder of version B")
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--n", type=int, default=40)
    parser.add_argument("--cprofile", choices=["", "a", "b"], default="")
    parser.add_argument("--baseline", action="store_true",
                        help="also time the baseline, GET /api/v1/neighbourhoods/{code}, in "
                             "the same processes (its CPU against a report's)")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--offset", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.n, args.offset, bool(args.cprofile), args.baseline)))
        return
    versions = {"a": args.a, "b": args.b}
    versions = {k: str(Path(v).resolve()) for k, v in versions.items() if v}
    results: dict[str, list[dict[str, Any]]] = {k: [] for k in versions}
    baselines: dict[str, list[dict[str, Any]]] = {k: [] for k in versions}
    backends: dict[str, list[float]] = {k: [] for k in versions}
    base_backends: dict[str, list[float]] = {k: [] for k in versions}
    profiles: dict[str, str] = {}
    vendor = ""
    for r in range(args.rounds):
        order = list(versions) if r % 2 == 0 else list(reversed(versions))
        for k in order:
            env = worker_env(versions[k], args.database_url)
            cmd = [sys.executable, "-m", "bench.care_reports_profile", "--worker",
                   "--n", str(args.n), "--offset", str((r * 2 + order.index(k)) * args.n)]
            if args.cprofile == k and r == 0:
                cmd += ["--cprofile", k]
            if args.baseline:
                cmd += ["--baseline"]
            done = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True,
                                  check=False)
            if done.returncode:
                raise SystemExit(f"{k}: {done.stderr[-2000:]}")
            out = json.loads(done.stdout.strip().splitlines()[-1])
            vendor = out["vendor"]
            results[k].extend(out["samples"])
            baselines[k].extend(out.get("baseline", []))
            if out.get("backend_cpu_ms") is not None:
                backends[k].append(out["backend_cpu_ms"])
            if out.get("baseline_backend_cpu_ms") is not None:
                base_backends[k].append(out["baseline_backend_cpu_ms"])
            if "profile" in out:
                profiles[k] = out["profile"]
            print(f"round {r + 1}/{args.rounds} {k}: cpu p50 "
                  f"{statistics.median(s['cpu_ms'] for s in out['samples']):.2f} ms",
                  file=sys.stderr)
    summary: dict[str, Any] = {"vendor": vendor, "rounds": args.rounds, "n": args.n}
    for k, samples in results.items():
        cpu = [s["cpu_ms"] for s in samples]
        wall = [s["wall_ms"] for s in samples]
        statements = sorted({s["statements"] for s in samples})
        savepoints = sorted({s["savepoints"] for s in samples})
        summary[k] = {"src": versions[k], "requests": len(samples),
                      "statements": statements, "savepoints": savepoints,
                      "cpu_p50_ms": round(statistics.median(cpu), 2),
                      "cpu_p95_ms": round(pct(cpu, 95), 2),
                      "wall_p50_ms": round(statistics.median(wall), 2),
                      "wall_p95_ms": round(pct(wall, 95), 2)}
        if backends[k]:  # the server's CPU per report, median over the rounds
            summary[k]["backend_cpu_ms"] = round(statistics.median(backends[k]), 3)
        if base_backends[k]:
            summary[k]["baseline_backend_cpu_ms"] = round(
                statistics.median(base_backends[k]), 3)
        if baselines[k]:
            base = statistics.median(s["cpu_ms"] for s in baselines[k])
            summary[k]["baseline_cpu_p50_ms"] = round(base, 2)
            summary[k]["baseline_over_report_cpu_p50"] = round(
                base / statistics.median(cpu), 3)
    if "a" in summary and "b" in summary:
        summary["b_over_a_cpu_p50"] = round(summary["b"]["cpu_p50_ms"]
                                            / summary["a"]["cpu_p50_ms"], 3)
        summary["b_over_a_wall_p50"] = round(summary["b"]["wall_p50_ms"]
                                             / summary["a"]["wall_p50_ms"], 3)
    for k, text in profiles.items():
        print(f"--- cProfile of {k} ---\n{text}", file=sys.stderr)
    print(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main()
