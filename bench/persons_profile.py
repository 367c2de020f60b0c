"""GET /api/v1/persons/{id} and POST /api/v1/persons, one request at a time, two versions
of the code interleaved, with the baseline's CPU in the same processes.

    .venv/bin/python -m bench.persons_profile \\
        --database-url postgres://postgres@127.0.0.1:5432/jk_persons_speed \\
        --a /work/main/src --b src --rounds 6 --n 60 [--endpoint read|write|both]
        [--cprofile a|b]

As bench/care_reports_profile.py (for a machine shared with other work, where requests/s
mean little): each round runs a fresh process per version (`--a`, `--b`: the `src`
folders of two checkouts, alternating which goes first). A process makes `--n` requests of
each endpoint through Django's test client (the full middleware stack, DEBUG off, the
bearer token of the benchmark professional: the one with the most registrations), after a
warm-up of 3 each, then `--n` baseline reads (GET /api/v1/neighbourhoods/{code}). Per
request it records the SQL statements (savepoints counted apart), the wall time and the
process CPU time; per endpoint the PostgreSQL server's CPU for the connection (a server
on this machine), per request on average. The requests are bench/run.py's: reads of
persons the professional registered; registrations of which 4 in 5 are new persons without a BSN at a known
address and 1 in 5 re-registrations of a known BSN with the same base data, verified
against the BRP stand-in, which this script starts in its own process (its population
from `--brp-db`, filled by `jeugdketen demo` when run with the same
JEUGDKETEN_BRP_STANDIN_DB; missing persons are copied in from the database first, as
bench/run.py does). The registrations stay in the database (new persons named "Bench").
`--cprofile a|b` prints where that version's CPU goes (cProfile with process time as its
clock, so waiting for PostgreSQL does not count), per endpoint, from an extra process
before the rounds (not counted in them).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.inprocess import ROOT, BackendCpu, pct, profile_text

WARMUP = 3
ENDPOINTS = {"read": "GET /api/v1/persons/{id}", "write": "POST /api/v1/persons"}


def _requests(prof: Any, n: int, offset: int, seed: int) -> tuple[list[str], list[str]]:
    """bench/run.py's fixtures, a slice of them: the persons to read and the bodies to post."""
    from django.db import connection

    from jeugdketen.registry.models import Person, PostcodeAddress

    with connection.cursor() as cursor:
        cursor.execute("SELECT CAST(person_id AS TEXT) FROM registry_registration "
                       "WHERE professional_id = %s ORDER BY person_id", [prof.pk])
        mine = [r[0] for r in cursor.fetchall()]
    rng = random.Random(seed + offset)
    reads = [mine[(offset + i) % len(mine)] for i in range(WARMUP + n)]
    addresses = list(PostcodeAddress.objects.order_by("postcode", "house_number")
                     .values_list("postcode", "house_number")[:2000])
    known = list(Person.objects.filter(bsn__isnull=False).order_by("bsn")[:2000])
    bodies = []
    for i in range(WARMUP + n):
        if (offset + i) % 5 == 0 and known:  # a re-registration of a known BSN, same data
            p = known[rng.randrange(len(known))]
            body = {"bsn": p.bsn, "given_names": p.given_names, "family_name": p.family_name,
                    "birth_date": p.birth_date.isoformat(), "sex": p.sex,
                    "postcode": p.postcode or None, "house_number": p.house_number}
        else:  # a new person without a BSN (gets a system_id)
            postcode, number = addresses[rng.randrange(len(addresses))]
            body = {"given_names": rng.choice(["Sem", "Noor", "Liam", "Yara", "Finn", "Mila"]),
                    "family_name": rng.choice(["Bench", "de Vries", "Jansen", "Kaya"]),
                    "birth_date": f"{rng.randrange(2005, 2025)}-0{rng.randrange(1, 10)}-"
                                  f"1{rng.randrange(0, 10)}",
                    "sex": rng.choice("MV"), "postcode": postcode, "house_number": number}
        bodies.append(json.dumps(body, separators=(",", ":")))
    return reads, bodies


def worker(n: int, offset: int, endpoints: list[str], cprofile: bool,
           seed: int) -> dict[str, Any]:
    """In the version's own process: `n` requests per endpoint and `n` baseline reads."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jeugdketen.config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from jeugdketen.access.actions import issue_token, system_actor
    from jeugdketen.registry.models import Neighbourhood, Professional, Registration

    prof = None
    counted = (Registration.objects.values("professional_id").annotate(n=Count("id"))
               .order_by("-n", "professional_id"))
    for row in counted:  # as bench/run.py: the professional with the most registrations
        candidate = Professional.objects.select_related("user").get(pk=row["professional_id"])
        if "professional" in candidate.roles:
            prof = candidate
            break
    if prof is None:
        raise SystemExit("no professional with registrations: build the database first")
    token = issue_token(system_actor("bench"), prof.user, days=1)
    reads, bodies = _requests(prof, n, offset, seed)
    codes = list(Neighbourhood.objects.order_by("code").values_list("code", flat=True)[:50])
    settings.ALLOWED_HOSTS = ["*"]
    client = Client()
    header = {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    def call(endpoint: str, i: int) -> Any:
        if endpoint == "read":
            return client.get(f"/api/v1/persons/{reads[i]}", **header), 200
        if endpoint == "write":
            return client.post("/api/v1/persons", bodies[i], content_type="application/json",
                               **header), 201
        return client.get(f"/api/v1/neighbourhoods/{codes[i % len(codes)]}"), 200

    out: dict[str, Any] = {"vendor": connection.vendor, "profiles": {}, "backend_cpu_ms": {}}
    backend = BackendCpu(connection)
    for endpoint in [*endpoints, "baseline"]:
        profiler = None
        samples = []
        for i in range(WARMUP + n):
            if i == WARMUP:
                backend.start()
            if i == WARMUP and cprofile and endpoint != "baseline":
                import cProfile

                profiler = cProfile.Profile(time.process_time)  # CPU, not waiting
                profiler.enable()
            with CaptureQueriesContext(connection) as captured:
                cpu0, wall0 = time.process_time(), time.perf_counter()
                response, expected = call(endpoint, i)
                wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
            if response.status_code != expected:
                raise SystemExit(f"{endpoint} HTTP {response.status_code}: "
                                 f"{response.content[:300]!r}")
            if i >= WARMUP:
                sql = [q["sql"] for q in captured.captured_queries]
                savepoints = sum(s.startswith(("SAVEPOINT", "RELEASE SAVEPOINT")) for s in sql)
                samples.append({"wall_ms": wall * 1000, "cpu_ms": cpu * 1000,
                                "statements": len(sql) - savepoints, "savepoints": savepoints,
                                "brp": endpoint == "write" and '"bsn"' in bodies[i]})
        out[endpoint] = samples
        out["backend_cpu_ms"][endpoint] = backend.stop(n)
        if profiler is not None:
            out["profiles"][endpoint] = profile_text(profiler)
    return out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _fill_brp(env: dict[str, str]) -> None:
    """Every person with a BSN of the database into the stand-in (as bench/run.py does when
    it reuses a database), so a re-registration is a real one, not a BRP mismatch."""
    subprocess.run([sys.executable, "-c",
                    "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', "
                    "'jeugdketen.config.settings'); django.setup(); "
                    "from jeugdketen.demo.bulk_registry import into_brp; into_brp()"],
                   env=env, cwd=ROOT, check=True, capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--a", default="", help="src folder of version A (e.g. main's)")
    parser.add_argument("--b", default=str(ROOT / "src"), help="src folder of version B")
    parser.add_argument("--endpoint", choices=["read", "write", "both"], default="both")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--n", type=int, default=60)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--brp-db", default=os.environ.get("JEUGDKETEN_BRP_STANDIN_DB", ""),
                        help="the BRP stand-in's population (default: a file beside the "
                             "results, filled from the database)")
    parser.add_argument("--cprofile", choices=["", "a", "b"], default="")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--offset", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    endpoints = ["read", "write"] if args.endpoint == "both" else [args.endpoint]
    if args.worker:
        print(json.dumps(worker(args.n, args.offset, endpoints, bool(args.cprofile),
                                args.seed)))
        return
    versions = {k: str(Path(v).resolve()) for k, v in {"a": args.a, "b": args.b}.items() if v}
    brp_db = args.brp_db or str(ROOT / "bench" / "results" / "brp-standin-persons.sqlite3")
    Path(brp_db).parent.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    base_env = {**os.environ, "DATABASE_URL": args.database_url, "JEUGDKETEN_DEMO": "true",
                "JEUGDKETEN_BRP_STANDIN_DB": brp_db, "JEUGDKETEN_BRP_STANDIN_PORT": str(port),
                # Many re-registrations by one professional in a day are real ones here.
                "JEUGDKETEN_BRP_MISMATCHES_PER_DAY": "1000000"}
    for name in ("DEBUG", "JEUGDKETEN_BRP_URL", "JEUGDKETEN_AUDIT_SHARDS"):
        base_env.pop(name, None)
    standin = subprocess.Popen(
        [sys.executable, "-m", "jeugdketen.brp.standin", "--host", "127.0.0.1", "--port",
         str(port), "--db", brp_db], env={**base_env, "PYTHONPATH": str(ROOT / "src")},
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    results: dict[str, dict[str, list[dict[str, Any]]]] = {
        k: {e: [] for e in [*endpoints, "baseline"]} for k in versions}
    rounds: dict[str, list[dict[str, float]]] = {k: [] for k in versions}
    backends: dict[str, dict[str, list[float]]] = {
        k: {e: [] for e in [*endpoints, "baseline"]} for k in versions}
    profiles: dict[str, dict[str, str]] = {}
    vendor = ""
    try:
        time.sleep(1.0)
        _fill_brp({**base_env, "PYTHONPATH": str(ROOT / "src")})
        if args.cprofile:  # its own process first, not counted (cProfile's overhead)
            k = args.cprofile
            done = subprocess.run(
                [sys.executable, "-m", "bench.persons_profile", "--worker", "--n",
                 str(args.n), "--endpoint", args.endpoint, "--seed", str(args.seed),
                 "--offset", str(10**6), "--cprofile", k],
                env={**base_env, "PYTHONPATH": os.pathsep.join([versions[k], str(ROOT)])},
                cwd=ROOT, capture_output=True, text=True, check=False)
            if done.returncode:
                raise SystemExit(f"{k}: {done.stdout[-1000:]} {done.stderr[-2000:]}")
            profiles[k] = json.loads(done.stdout.strip().splitlines()[-1])["profiles"]
        for r in range(args.rounds):
            order = list(versions) if r % 2 == 0 else list(reversed(versions))
            for k in order:
                env = {**base_env, "PYTHONPATH": os.pathsep.join([versions[k], str(ROOT)])}
                cmd = [sys.executable, "-m", "bench.persons_profile", "--worker", "--n",
                       str(args.n), "--endpoint", args.endpoint, "--seed", str(args.seed),
                       "--offset", str((r * 2 + order.index(k)) * (args.n + WARMUP))]
                done = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True,
                                      check=False)
                if done.returncode:
                    raise SystemExit(f"{k}: {done.stdout[-1000:]} {done.stderr[-2000:]}")
                out = json.loads(done.stdout.strip().splitlines()[-1])
                vendor = out["vendor"]
                line = {}
                for e in [*endpoints, "baseline"]:
                    results[k][e].extend(out[e])
                    line[e] = statistics.median(s["cpu_ms"] for s in out[e])
                    if out["backend_cpu_ms"].get(e) is not None:
                        backends[k][e].append(out["backend_cpu_ms"][e])
                rounds[k].append(line)
                print(f"round {r + 1}/{args.rounds} {k}: cpu p50 "
                      + ", ".join(f"{e} {v:.2f} ms" for e, v in line.items()), file=sys.stderr)
    finally:
        standin.terminate()
        standin.wait(timeout=10)
    summary: dict[str, Any] = {"vendor": vendor, "rounds": args.rounds, "n": args.n}
    for k, per in results.items():
        if not per["baseline"]:  # --rounds 0: only the profile
            continue
        summary[k] = {"src": versions[k]}
        base = statistics.median(s["cpu_ms"] for s in per["baseline"])
        summary[k]["baseline_cpu_p50_ms"] = round(base, 3)
        summary[k]["baseline_cpu_mean_ms"] = round(
            statistics.fmean(s["cpu_ms"] for s in per["baseline"]), 3)
        if backends[k]["baseline"]:  # the server's CPU per request, median over the rounds
            summary[k]["baseline_backend_cpu_ms"] = round(
                statistics.median(backends[k]["baseline"]), 3)
        for e in endpoints:
            samples = per[e]
            cpu = [s["cpu_ms"] for s in samples]
            wall = [s["wall_ms"] for s in samples]
            row: dict[str, Any] = {
                "requests": len(samples),
                "statements": sorted({s["statements"] for s in samples}),
                "savepoints": sorted({s["savepoints"] for s in samples}),
                "cpu_p50_ms": round(statistics.median(cpu), 3),
                # the mean is what throughput follows (1 in 5 registrations costs twice)
                "cpu_mean_ms": round(statistics.fmean(cpu), 3),
                "cpu_p95_ms": round(pct(cpu, 95), 3),
                "wall_p50_ms": round(statistics.median(wall), 3),
                "baseline_over_cpu_p50": round(base / statistics.median(cpu), 3),
                # the ratio per round (baseline and endpoint in the same process), median
                "baseline_over_cpu_rounds": sorted(round(x["baseline"] / x[e], 3)
                                                   for x in rounds[k]),
            }
            if backends[k][e]:
                row["backend_cpu_ms"] = round(statistics.median(backends[k][e]), 3)
            if e == "write":
                for label, brp in (("new_without_bsn", False), ("reregistration_bsn", True)):
                    part = [s for s in samples if s["brp"] is brp]
                    if part:
                        row[label] = {
                            "requests": len(part),
                            "statements": sorted({s["statements"] for s in part}),
                            "cpu_p50_ms": round(statistics.median(s["cpu_ms"] for s in part), 3),
                            "cpu_mean_ms": round(statistics.fmean(s["cpu_ms"] for s in part),
                                                 3)}
            summary[k][e] = row
    if "a" in summary and "b" in summary:
        for e in endpoints:
            for stat in ("p50", "mean"):
                summary[f"b_over_a_cpu_{stat}_{e}"] = round(
                    summary["b"][e][f"cpu_{stat}_ms"] / summary["a"][e][f"cpu_{stat}_ms"], 3)
    for k, texts in profiles.items():
        for e, text in texts.items():
            print(f"--- cProfile of {k}, {ENDPOINTS[e]} ---\n{text}", file=sys.stderr)
    print(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main()
