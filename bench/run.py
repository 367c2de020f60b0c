"""Benchmarks on PostgreSQL: `make bench` (= `.venv/bin/python -m bench.run`).

    python -m bench.run [--persons 1000000 --access-log 10000000 --seconds 20 --clients 32]
    python -m bench.run --quick          # small scale smoke run, a few minutes

1. A dedicated database (default jeugdketen_bench, jeugdketen_bench_quick for --quick) is
   created and migrated if needed, and filled through the bulk path
   (`jeugdketen demo --scale N --access-log M`) unless it already holds that scale.
2. `jeugdketen serve` (gunicorn, sync workers, DEBUG off) on 127.0.0.1; wrk drives
   `--clients` concurrent connections for `--seconds` per endpoint against that one server:
   the baseline GET /api/v1/neighbourhoods/{code}, GET /api/v1/persons/{id} (bearer token
   of a professional, over the persons it registered) and POST /api/v1/persons (new
   persons without BSN mixed with re-registrations of known BSNs).
3. Access-log write throughput: 32 writer processes vs 1 (bench/writer.py), with the
   configured shards and with JEUGDKETEN_AUDIT_SHARDS=1.
4. `jeugdketen audit verify --json` over the whole log.
5. Reference index (issue 3, `--signals`, default 200,000): before the HTTP part the bulk
   signals are brought to (or restored to) their bulk state by
   src/jeugdketen/demo/bulk_referral.py, the match-rate check registers planted pairs
   through the real action (found must equal planted), and POST /api/v1/signals joins the
   HTTP rounds (each request a different youth of the professional's pool); last,
   `jeugdketen retention` (two-years-ahead dry run, the real run, a rerun), after which
   the bulk loader restores the index. Between HTTP rounds the script waits until the
   server has no query running (a slow endpoint's backlog must not run into the next).
6. The family page (issue 4, bench/family.py; `--family-only` runs just this part): the
   benchmark household is added once (5 members, 20 goals, 60 actions, 24 evaluations,
   500 access-log records), SQL statements per read are counted in-process, and the page
   and GET /api/v1/plans/{id} are measured through gunicorn with 1 and `--clients`
   connections next to the baseline.
7. The front door (issue 11, bench/intake_queue.py; `--queue-only` runs just this part,
   `--no-queue` skips it): `--queue-reports` (20,000) open reports in the benchmark
   municipality's queue (added once), the queue's SQL statements in-process, the queue page
   and GET /api/v1/queue through gunicorn with one connection (p95), then on the same
   server POST /api/v1/care-reports with `--clients` connections next to the baseline
   (each request a report about a different person the benchmark professional
   registered); the reports it made are deleted afterwards, so the queue stays as it was.

Raw results go to bench/results/*.json (git-ignored); the report to docs/performance.md.
Every load loop is bounded in time and stops by itself; only loopback traffic is used.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DOC = ROOT / "docs" / "performance.md"
BIN = Path(sys.executable).parent
CLI = str(BIN / "jeugdketen")
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
# Issue 10: reads 0.6x, writes 0.4x, signals 0.35x the baseline; no access-log writer waits
# for a chain-head lock (the old 1.5x ratio of 32 to 1 writers measured CPU on 2 cores and is
# retired); `audit verify` 150,000 records/s.
TARGETS = {"read_ratio": 0.6, "write_ratio": 0.4, "p99_ms": 50.0, "head_lock_waits": 0,
           "signal_ratio": 0.35, "retention_s": 60.0, "verify_rps": 150_000}


def log(msg: str) -> None:
    print(f"[bench {datetime.now(UTC):%H:%M:%S}Z] {msg}", file=sys.stderr, flush=True)


def run_cli(args: list[str], env: dict[str, str], timeout: float, **kw: Any) -> subprocess.CompletedProcess:
    return subprocess.run([CLI, *args], env=env, timeout=timeout, check=True, text=True, **kw)


# --- database ------------------------------------------------------------------------


def ensure_database(name: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            log(f"creating database {name}")
            conn.execute(f'CREATE DATABASE "{name}"')


def scale_present(env: dict[str, str]) -> tuple[int, int]:
    import psycopg

    with psycopg.connect(env["DATABASE_URL"]) as conn:
        persons = conn.execute("SELECT count(*) FROM registry_person").fetchone()[0]
        records = conn.execute("SELECT coalesce(sum(last_seq), 0) FROM access_accesslogshard"
                               ).fetchone()[0]
    return int(persons), int(records)


def prepare(args: argparse.Namespace, env: dict[str, str]) -> dict[str, Any]:
    ensure_database(args.db)
    run_cli(["migrate", "--no-input", "-v0", "--skip-checks"], env, 600)
    persons, records = scale_present(env)
    build_file = RESULTS / f"build-{args.db}.json"
    info: dict[str, Any] = {"persons_before": persons, "records_before": records}
    if persons >= args.persons and records >= args.access_log:
        log(f"reusing {args.db}: {persons} persons, {records} access-log records")
        info["reused"] = True
        from jeugdketen.brp.standin.store import Store

        # Empty also when a stand-in started before it was filled (an empty table).
        if not Store(env["JEUGDKETEN_BRP_STANDIN_DB"]).count():
            # The stand-in's population lives beside the results of the checkout that built
            # the database; another checkout refills it from the database, or every known
            # BSN would be a BRP mismatch (and block the benchmark professional for a day).
            log("refilling the BRP stand-in from the database")
            run_cli(["shell", "-c", "from jeugdketen.demo.bulk_registry import into_brp; "
                     "print(into_brp(), 'persons in the BRP stand-in')"], env, 3600)
    else:
        log(f"building {args.persons} persons / {args.access_log} records in {args.db} "
            "(resumes what exists)")
        start = time.monotonic()
        run_cli(["demo", "--skip-checks", "--scale", str(args.persons),
                 "--access-log", str(args.access_log), "--seed", str(args.seed)], env, 4 * 3600)
        seconds = time.monotonic() - start
        build_file.write_text(json.dumps({
            "persons": args.persons, "access_log": args.access_log, "seconds": round(seconds),
            "persons_before": persons, "records_before": records,
            "date": datetime.now(UTC).isoformat(timespec="seconds")}, indent=1))
        info["reused"] = False
    if build_file.exists():
        info["build"] = json.loads(build_file.read_text())
    info["persons"], info["records"] = scale_present(env)
    return info


def fixtures(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    """In-process (Django): the benchmark professional's token and the request data."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jeugdketen.config.settings")
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count

    from jeugdketen.access.actions import issue_token, system_actor
    from jeugdketen.registry.models import Neighbourhood, Person, PostcodeAddress, Professional

    prof = (Professional.objects.filter(roles__contains=["professional"])
            .annotate(n=Count("registrations")).order_by("-n", "pk")
            .select_related("user", "organisation").first())
    assert prof is not None, "no professionals: did the bulk build run?"
    token = issue_token(system_actor("bench"), prof.user, days=2)
    rng = random.Random(args.seed)
    with connection.cursor() as cursor:
        cursor.execute("SELECT person_id::text FROM registry_registration "
                       "WHERE professional_id = %s", [prof.pk])
        mine = [r[0] for r in cursor.fetchall()]
    rng.shuffle(mine)
    mine = mine[:20000]
    hoods = list(Neighbourhood.objects.values_list("code", flat=True))
    addresses = list(PostcodeAddress.objects.order_by("?").values_list(
        "postcode", "house_number")[:2000])
    known = list(Person.objects.filter(bsn__isnull=False).order_by("?")[:2000])
    bodies = []
    for i in range(4000):
        if i % 5 == 0 and known:  # a re-registration of a known BSN, same base data
            p = known[rng.randrange(len(known))]
            body = {"bsn": p.bsn, "given_names": p.given_names, "family_name": p.family_name,
                    "birth_date": p.birth_date.isoformat(), "sex": p.sex,
                    "postcode": p.postcode or None, "house_number": p.house_number}
        else:  # a new person without a BSN (gets a system_id)
            postcode, number = addresses[rng.randrange(len(addresses))]
            body = {"given_names": rng.choice(["Sem", "Noor", "Liam", "Yara", "Finn", "Mila"]),
                    "family_name": rng.choice(["Bench", "de Vries", "Jansen", "Kaya"]),
                    "birth_date": f"{rng.randrange(2005, 2025)}-0{rng.randrange(1, 10)}-1{rng.randrange(0, 10)}",
                    "sex": rng.choice("MV"), "postcode": postcode, "house_number": number}
        bodies.append(json.dumps(body, separators=(",", ":")))
    (work / "hoods.txt").write_text("\n".join(hoods) + "\n")
    (work / "persons.txt").write_text("\n".join(mine) + "\n")
    (work / "bodies.txt").write_text("\n".join(bodies) + "\n")
    connection.close()
    return {"professional_id": prof.pk, "professional": prof.user.username,
            "organisation": prof.organisation.name, "registered": len(mine), "token": token,
            "person_sample": mine[:64]}


# --- HTTP load with wrk --------------------------------------------------------------

LUA = r"""
local items = {}
for line in io.lines("%(file)s") do if #line > 0 then items[#items + 1] = line end end
local method, prefix = "%(method)s", "%(prefix)s"
local headers = {["Authorization"] = "%(auth)s", ["Content-Type"] = "application/json",
                 ["Accept"] = "application/json"}
if headers["Authorization"] == "" then headers["Authorization"] = nil end
local seeded = false
request = function()
  if not seeded then math.randomseed(os.time() * 1000 + (tonumber(tostring({}):sub(-8), 16) or 0)); seeded = true end
  local item = items[math.random(#items)]
  if method == "GET" then return wrk.format("GET", prefix .. item, headers) end
  return wrk.format("POST", prefix, headers, item)
end
done = function(s, latency, requests)
  io.write(string.format(
    'WRKJSON {"requests": %%d, "duration_us": %%d, "connect_errors": %%d, "read_errors": %%d, ' ..
    '"write_errors": %%d, "status_errors": %%d, "timeouts": %%d, "p50_us": %%d, ' ..
    '"p90_us": %%d, "p99_us": %%d, "max_us": %%d, "mean_us": %%.1f}\n',
    s.requests, s.duration, s.errors.connect, s.errors.read, s.errors.write, s.errors.status,
    s.errors.timeout, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, latency.mean))
end
"""


SIGNAL_LUA = r"""
-- POST /api/v1/signals: every request a different youth (thread t of n takes items
-- offset + t, offset + t + n, ...), so no request hits the 409 path of an existing signal.
local items = {}
for line in io.lines("%(file)s") do if #line > 0 then items[#items + 1] = line end end
local offset, nthreads = %(offset)d, %(threads)d
local headers = {["Authorization"] = "%(auth)s", ["Content-Type"] = "application/json",
                 ["Accept"] = "application/json"}
local threads = {}
tid, counter, created, conflicts, others, matched = 0, 0, 0, 0, 0, 0
setup = function(thread) thread:set("tid", #threads); table.insert(threads, thread) end
request = function()
  local i = offset + tid + counter * nthreads
  counter = counter + 1
  return wrk.format("POST", "/api/v1/signals", headers, items[(i %% #items) + 1])
end
response = function(status, hdrs, body)
  if status == 201 then
    created = created + 1
    if string.find(body, '"match_id": *%%d') then matched = matched + 1 end
  elseif status == 409 then conflicts = conflicts + 1
  else others = others + 1 end
end
done = function(s, latency, requests)
  local used, c, k, o, m = 0, 0, 0, 0, 0
  for _, t in ipairs(threads) do
    used = math.max(used, t:get("counter")); c = c + t:get("created")
    k = k + t:get("conflicts"); o = o + t:get("others"); m = m + t:get("matched")
  end
  io.write(string.format(
    'WRKJSON {"requests": %%d, "duration_us": %%d, "connect_errors": %%d, "read_errors": %%d, ' ..
    '"write_errors": %%d, "status_errors": %%d, "timeouts": %%d, "p50_us": %%d, ' ..
    '"p90_us": %%d, "p99_us": %%d, "max_us": %%d, "mean_us": %%.1f, "next_offset": %%d, ' ..
    '"created": %%d, "conflicts": %%d, "other_status": %%d, "matched": %%d}\n',
    s.requests, s.duration, s.errors.connect, s.errors.read, s.errors.write, s.errors.status,
    s.errors.timeout, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, latency.mean, offset + (used + 1) * nthreads, c, k, o, m))
end
"""


def wrk(url: str, script: Path, seconds: float, clients: int, timeout: int = 10
        ) -> dict[str, Any]:
    threads = min(2, clients)
    cmd = ["wrk", "-t", str(threads), "-c", str(clients), "-d", f"{seconds:.0f}s",
           "--timeout", f"{timeout}s", "-s", str(script), url]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60 + timeout,
                         check=True)
    line = next(x for x in out.stdout.splitlines() if x.startswith("WRKJSON "))
    raw = json.loads(line[len("WRKJSON "):])
    secs = raw["duration_us"] / 1e6
    errors = sum(raw[k] for k in ("connect_errors", "read_errors", "write_errors",
                                  "status_errors", "timeouts"))
    return {"requests": raw["requests"], "seconds": round(secs, 2),
            "rps": round(raw["requests"] / secs, 1), "p50_ms": raw["p50_us"] / 1000,
            "p90_ms": raw["p90_us"] / 1000, "p99_ms": raw["p99_us"] / 1000,
            "max_ms": raw["max_us"] / 1000, "mean_ms": round(raw["mean_us"] / 1000, 2),
            "errors": errors, "raw": raw}


def http(method: str, url: str, token: str = "", body: str | None = None) -> tuple[int, str]:
    req = urllib.request.Request(url,  # noqa: S310 (http://127.0.0.1 only)
                                 method=method, data=body.encode() if body else None)
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:  # noqa: S310 (http://127.0.0.1 only)
            return resp.status, resp.read(400).decode(errors="replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(400).decode(errors="replace")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    def __init__(self, env: dict[str, str], workers: int, logfile: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = logfile.open("w")
        self.proc = subprocess.Popen(
            [CLI, "serve", "--host", "127.0.0.1", "--port", str(self.port),
             "--workers", str(workers)],
            env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)

    def wait(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("the server stopped; see its log")
            try:
                status, _ = http("GET", f"{self.url}/api/v1/neighbourhoods/BU99990101")
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        raise RuntimeError("the server did not come up in time")

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)  # the group of the server we started
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        self.log.close()


def drain(env: dict[str, str], limit: float = 60) -> float:
    """Wait until no query of the server runs any more (the backlog a round left behind)."""
    import psycopg

    start = time.monotonic()
    with psycopg.connect(env["DATABASE_URL"], autocommit=True) as conn:
        while time.monotonic() - start < limit:
            busy = conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND backend_type = 'client backend' "
                "AND state = 'active'").fetchone()[0]
            if not busy:
                break
            time.sleep(0.2)
    return round(time.monotonic() - start, 1)


def http_benchmarks(args: argparse.Namespace, env: dict[str, str], fx: dict[str, Any],
                    work: Path) -> dict[str, Any]:
    server = Server(env, args.workers, RESULTS / "server.log")
    results: dict[str, Any] = {"workers": args.workers, "clients": args.clients,
                               "seconds": args.seconds, "rounds": args.rounds}
    try:
        server.wait()
        token = fx["token"]
        # Smoke-check each request type once, so errors are seen, not just counted.
        checks = {
            "baseline": http("GET", f"{server.url}/api/v1/neighbourhoods/BU99990101"),
            "read": http("GET", f"{server.url}/api/v1/persons/{fx['person_sample'][0]}", token),
            "write": http("POST", f"{server.url}/api/v1/persons", token,
                          (work / "bodies.txt").read_text().splitlines()[1]),
        }
        signal_bodies = (work / "signals.txt").read_text().splitlines() \
            if (work / "signals.txt").exists() else []
        if signal_bodies:  # the first pool youth; the load starts after it
            checks["signal"] = http("POST", f"{server.url}/api/v1/signals", token, signal_bodies[0])
        for name, (status, body) in checks.items():
            log(f"check {name}: HTTP {status}")
            if status >= 400:
                raise RuntimeError(f"{name} request failed: HTTP {status}: {body}")
        scenarios = {
            "baseline": ("GET", "/api/v1/neighbourhoods/", "", work / "hoods.txt"),
            "read": ("GET", "/api/v1/persons/", f"Bearer {token}", work / "persons.txt"),
            "write": ("POST", "/api/v1/persons", f"Bearer {token}", work / "bodies.txt"),
        }
        scripts = {}
        for name, (method, prefix, auth, file) in scenarios.items():
            script = work / f"{name}.lua"
            script.write_text(LUA % {"file": file, "method": method, "prefix": prefix,
                                     "auth": auth})
            scripts[name] = script
        offset = [1]

        def signal_script() -> Path:
            script = work / "signal.lua"
            script.write_text(SIGNAL_LUA % {"file": work / "signals.txt", "offset": offset[0],
                                            "threads": min(2, args.clients),
                                            "auth": f"Bearer {token}"})
            return script

        def run(name: str, seconds: float) -> dict[str, Any]:
            if name != "signal":
                r = wrk(server.url, scripts[name], seconds, args.clients)
                r["drain_s"] = drain(env)
                return r
            r = wrk(server.url, signal_script(), seconds, args.clients)
            # wrk stops sending, but the server still works off the requests it accepted;
            # without waiting, a slow endpoint's backlog runs into the next one's round.
            r["drain_s"] = drain(env)
            # Requests still in flight when wrk stopped may have been served: leave a gap.
            offset[0] = r["raw"]["next_offset"] + 2 * args.clients
            r["pool_used"] = offset[0]
            if offset[0] > len(signal_bodies):
                log(f"signal pool exhausted ({offset[0]} > {len(signal_bodies)}): 409s follow")
            return r

        if signal_bodies:
            scenarios["signal"] = ("POST", "/api/v1/signals", f"Bearer {token}",
                                   work / "signals.txt")
        for name in scenarios:  # warm-up: connections, caches, first imports
            run(name, args.warmup)
        # Rounds, interleaved: a disturbance on the (shared) machine hits every endpoint
        # alike instead of one; each endpoint's figures are the medians over the rounds.
        rounds: dict[str, list[dict[str, Any]]] = {name: [] for name in scenarios}
        per_round = args.seconds / args.rounds
        for i in range(args.rounds):
            for name in scenarios:
                r = run(name, per_round)
                r["loadavg_1m"] = os.getloadavg()[0]
                rounds[name].append(r)
                log(f"round {i + 1}/{args.rounds} {name}: {r['rps']} req/s, p50 {r['p50_ms']} ms, "
                    f"p99 {r['p99_ms']} ms, errors {r['errors']}")
        for name, runs in rounds.items():
            results[name] = {
                "rps": statistics.median(r["rps"] for r in runs),
                "p50_ms": statistics.median(r["p50_ms"] for r in runs),
                "p99_ms": statistics.median(r["p99_ms"] for r in runs),
                "rps_min": min(r["rps"] for r in runs), "rps_max": max(r["rps"] for r in runs),
                "requests": sum(r["requests"] for r in runs),
                "errors": sum(r["errors"] for r in runs), "rounds": runs,
            }
            if name == "signal":
                for key in ("created", "conflicts", "other_status", "matched"):
                    results[name][key] = sum(r["raw"][key] for r in runs)
                results[name]["pool"] = len(signal_bodies)
                results[name]["pool_used"] = offset[0]
    finally:
        server.stop()
    base = results["baseline"]["rps"]
    for name in ("read", "write", "signal"):
        if name in results:
            results[name]["ratio"] = round(results[name]["rps"] / base, 3) if base else 0.0
    return results


# --- access-log writers --------------------------------------------------------------


def writers(env: dict[str, str], count: int, seconds: float, fx: dict[str, Any],
            shards: int | None) -> dict[str, Any]:
    env = dict(env)
    if shards is not None:
        env["JEUGDKETEN_AUDIT_SHARDS"] = str(shards)
    persons = ",".join(fx["person_sample"])
    procs = []
    for _ in range(count):
        procs.append(subprocess.Popen(
            [sys.executable, "-m", "bench.writer", "--seconds", str(seconds),
             "--professional", str(fx["professional_id"]), "--persons", persons],
            env=env, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True))
    try:
        for p in procs:  # every writer connected and ready
            assert p.stdout is not None
            if p.stdout.readline().strip() != "ready":
                raise RuntimeError("a writer did not start")
        for p in procs:  # go
            assert p.stdin is not None
            p.stdin.write("go\n")
            p.stdin.flush()
        waits = sample_waits(env, procs, seconds)
        total = 0
        for p in procs:
            out, _ = p.communicate(timeout=seconds + 120)
            total += json.loads(out.strip().splitlines()[-1])["records"]
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
    return {"writers": count, "records": total, "seconds": seconds,
            "records_per_s": round(total / seconds, 1), **waits,
            "shards": shards or int(env.get("JEUGDKETEN_AUDIT_SHARDS", "32"))}


def sample_waits(env: dict[str, str], procs: list[subprocess.Popen], seconds: float
                 ) -> dict[str, float]:
    """While the writers run, every 0.1 s: how many of their PostgreSQL backends wait for a
    lock on a chain head (wait event type Lock while running a statement on the chain-head
    table: the head's row lock or its transaction), on average and at most; how many wait
    for any lock; and how many sit idle in their transaction waiting for their own client
    (Python, i.e. CPU)."""
    import psycopg

    lock = head = head_max = head_samples = client = samples = 0
    deadline = time.monotonic() + seconds + 5
    with psycopg.connect(env["DATABASE_URL"], autocommit=True) as conn:
        while time.monotonic() < deadline and any(p.poll() is None for p in procs):
            rows = conn.execute(
                "SELECT wait_event_type, state, query ILIKE %s FROM pg_stat_activity "
                "WHERE datname = current_database() AND backend_type = 'client backend' "
                "AND pid <> pg_backend_pid() AND state <> 'idle'",
                ["%access_accesslogshard%"]).fetchall()
            lock += sum(1 for w, _s, _q in rows if w == "Lock")
            waiting = sum(1 for w, _s, on_head in rows if w == "Lock" and on_head)
            head += waiting
            head_max = max(head_max, waiting)
            head_samples += 1 if waiting else 0
            client += sum(1 for w, st, _q in rows if w == "Client" and st.startswith("idle in"))
            samples += 1
            time.sleep(0.1)
    return {"lock_waiting_backends": round(lock / max(samples, 1), 2),
            "head_lock_waiting_backends": round(head / max(samples, 1), 2),
            "head_lock_waiting_max": head_max, "head_lock_samples": head_samples,
            "samples": samples,
            "client_waiting_backends": round(client / max(samples, 1), 1)}


def writer_benchmarks(args: argparse.Namespace, env: dict[str, str],
                      fx: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for shards in (None, 1):
        label = "sharded" if shards is None else "one_chain"
        one = writers(env, 1, args.writer_seconds, fx, shards)
        many = writers(env, args.clients, args.writer_seconds, fx, shards)
        ratio = round(many["records_per_s"] / one["records_per_s"], 2) if one["records_per_s"] else 0
        out[label] = {"one": one, "many": many, "ratio": ratio}
        log(f"writers {label} ({one['shards']} shards): 1 -> {one['records_per_s']}/s, "
            f"{args.clients} -> {many['records_per_s']}/s, ratio {ratio}")
    return out


def verify(env: dict[str, str]) -> dict[str, Any]:
    log("audit verify over the whole log")
    out = run_cli(["audit", "verify", "--json", "--skip-checks"], env, 7200,
                  capture_output=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


# --- reference index (issue 3) ---------------------------------------------------------


def signal_fixtures(args: argparse.Namespace, work: Path, fx: dict[str, Any]) -> dict[str, Any]:
    """In-process: the bulk signals (restored to their bulk state), the match-rate check,
    and the request bodies for POST /api/v1/signals (youth of the API pool)."""
    from jeugdketen.demo import bulk_referral as signals_bulk

    log(f"reference index: {args.signals} bulk signals (restores the bulk state)")
    info = signals_bulk.load(signals=args.signals, seed=args.seed, due=args.due)
    pool = info.pop("api_pool")
    if info["api_professional"] != fx["professional_id"]:
        raise RuntimeError("the signal pool belongs to another professional than the token's")
    log(f"signals: {info['active']} active, {info['due_today']} due today, "
        f"{info['rows_loaded']} rows (re)loaded in {info['seconds']} s")
    rng = random.Random(args.seed)
    bodies = []
    for pid, _kind in pool:
        body: dict[str, Any] = {"person_id": pid}
        if rng.random() < 0.2:
            body["duration_days"] = rng.choice([90, 180, 365])
        bodies.append(json.dumps(body, separators=(",", ":")))
    (work / "signals.txt").write_text("\n".join(bodies) + "\n")
    check: dict[str, Any] = {}
    if not args.http_only:
        log(f"match-rate check: {args.check_pairs} pairs through actions.register_signal")
        check = signals_bulk.match_check(pairs=args.check_pairs, seed=args.seed)
        log(f"match check: planted {check['planted']}, found {check['found']}, "
            f"ok {check['ok']}, {check['seconds']} s")
    from django.db import connection

    connection.close()
    return {"load": info, "match_check": check} if check else {"load": info}


def retention_benchmarks(args: argparse.Namespace, env: dict[str, str]) -> dict[str, Any]:
    """`jeugdketen retention` over the whole index: first the two-years-ahead dry run (changes
    nothing), then the real run, then a rerun (idempotent: nothing left); last the bulk
    loader restores the index (the next run would do that anyway)."""
    import psycopg

    def count() -> dict[str, int]:
        with psycopg.connect(env["DATABASE_URL"]) as conn:
            rows = conn.execute("SELECT status, count(*) FROM referral_index_signal GROUP BY 1"
                                ).fetchall()
        return {k: int(v) for k, v in rows}

    out: dict[str, Any] = {"before": count()}
    ahead = datetime.now(UTC).date().replace(year=datetime.now(UTC).year + 2)
    for label, extra in (("dry_run_2y", ["--dry-run", "--as-of", ahead.isoformat()]),
                         ("run", []), ("rerun", [])):
        log(f"retention {label}")
        start = time.monotonic()
        res = run_cli(["retention", "--skip-checks", *extra], env, 1800, capture_output=True)
        out[label] = {"seconds": round(time.monotonic() - start, 2),
                      "summary": json.loads(res.stdout.strip().splitlines()[-1])}
        log(f"retention {label}: {out[label]}")
    out["after"] = count()
    start = time.monotonic()
    res = subprocess.run([sys.executable, "-m", "jeugdketen.demo.bulk_referral", "--signals",
                          str(args.signals), "--seed", str(args.seed), "--due", str(args.due)],
                         env=env, cwd=ROOT, capture_output=True, text=True, timeout=3600,
                         check=True)
    restored = json.loads(res.stdout.strip().splitlines()[-1])
    out["restore"] = {"seconds": round(time.monotonic() - start, 1),
                      "rows_loaded": restored["rows_loaded"], "removed": restored["removed"],
                      "active": restored["active"]}
    log(f"restored the bulk index: {out['restore']}")
    return out


# --- machine and report --------------------------------------------------------------


def machine(env: dict[str, str]) -> dict[str, Any]:
    import psycopg

    mem = 0
    with open("/proc/meminfo") as fh:
        for line in fh:
            if line.startswith("MemTotal:"):
                mem = int(line.split()[1]) // 1024
    cpu = ""
    with open("/proc/cpuinfo") as fh:
        for line in fh:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with psycopg.connect(env["DATABASE_URL"]) as conn:
        version = conn.execute("SHOW server_version").fetchone()[0]
        settings = {k: conn.execute(f"SHOW {k}").fetchone()[0] for k in (
            "shared_buffers", "synchronous_commit", "max_connections", "work_mem")}
        size = conn.execute("SELECT pg_size_pretty(pg_database_size(current_database()))"
                            ).fetchone()[0]
    wrk_v = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split("\n")[0]
    return {"cores": os.cpu_count(), "cpu": cpu, "memory_mb": mem, "postgresql": version,
            "pg_settings": settings, "database_size": size, "python": platform.python_version(),
            "os": platform.platform(), "wrk": wrk_v.strip()}


def yes(ok: bool) -> str:
    return "met" if ok else "**missed**"


def index_report(index: dict[str, Any], h: dict[str, Any]) -> str:
    ld, mc, ret, sg = index["load"], index.get("match_check", {}), index.get("retention", {}), \
        h.get("signal", {})
    kinds = ld.get("api_pool_kinds", {})
    pool_share = (f"{kinds.get('client', 0):,} youth already signalled by another "
                  f"organisation (client match), {kinds.get('family', 0):,} with a sibling "
                  f"signalled by another organisation (family match), "
                  f"{kinds.get('none', 0):,} without") if kinds else ""
    text = f"""
### Reference index (issue 3)

Data: {ld['active']:,} active signals in the index ({ld['signals']:,} bulk-loaded by
src/jeugdketen/demo/bulk_referral.py with COPY, {ld['due_today']:,} of them past their expiry
date, so the nightly retention must end and archive them today). Planted among the bulk
signals: {ld['planted'].get('client_pairs', 0):,} youth with signals of two organisations and
{ld['planted'].get('sibling_pairs', 0):,} sibling pairs signalled by two organisations (no
Match rows: old data). Restoring the bulk state at the start of this run took
{ld['seconds']} s ({ld['rows_loaded']:,} rows (re)loaded).
"""
    if sg:
        created = sg.get("created", 0)
        text += f"""
**POST /api/v1/signals** (in the table above): every request registers a signal on a
different youth that the token's professional entered and on whom its organisation has no
active signal (pool of {sg.get('pool', 0):,} youth: {pool_share}; {sg.get('pool_used', 0):,} used).
Each request runs the real action: policy, advisory locks per youth/parent/address, the
insert, access log, chain event, and match detection (client, family, address), and on a
match the Match, messages to both professionals and the e-mails (console backend, into the
server log). Over all rounds: {created:,} created (201), of which {sg.get('matched', 0):,}
({100 * sg.get('matched', 0) / max(created, 1):.0f}%) formed a match; {sg.get('conflicts', 0)} 409
(existing signal) and {sg.get('other_status', 0)} other statuses.
"""
    if mc:
        text += f"""
**Match rate.** A separate set of youth ({mc['threads']} threads): the first signal of each
pair bulk-loaded, the second registered through `actions.register_signal` (the real action
with its locks). Planted: {mc['planted']['client']:,} client and {mc['planted']['family']:,}
family matches, plus {mc['singles']} single signals that must match nothing. Found:
**{mc['found']['client']:,} client, {mc['found']['family']:,} family, {mc['found']['address']}
address**; exactly the planted pair in {sum(mc['exact_pairs'].values()):,} matches;
{mc['unexpected_matches']} unexpected; singles with a match: {mc['singles_with_match']};
messages {mc['messages']:,} (expected {mc['messages_expected']:,}); errors {mc['errors']}.
{mc['registered']:,} registrations in {mc['seconds']} s ({mc['ms_per_registration']} ms each
per thread). Result: **{'found = planted' if mc['ok'] else 'MISMATCH'}**.
"""
    if ret:
        d, r, rr = ret["dry_run_2y"], ret["run"], ret["rerun"]
        text += f"""
**`jeugdketen retention`** over the whole index ({', '.join(f'{v:,} {k}' for k, v in sorted(ret['before'].items()))}):

| Run | Wall time | Summary |
|---|---:|---|
| `--dry-run --as-of` two years ahead (changes nothing) | {d['seconds']:.1f} s | `{json.dumps(d['summary'])}` |
| the nightly run (today) | **{r['seconds']:.1f} s** | `{json.dumps(r['summary'])}` |
| again at once (idempotent) | {rr['seconds']:.1f} s | `{json.dumps(rr['summary'])}` |

Wall time of the whole command (process start, Django setup, the plan, the batches of
5,000 with access log and chain events). Afterwards the bulk loader restored the index in
{ret['restore']['seconds']} s (it deleted the {ret['restore']['removed'].get('signals', 0):,} signals
that were no longer bulk state and re-copied the batches they came from, {ret['restore']['rows_loaded']:,}
rows, with `ON CONFLICT DO NOTHING`), so the benchmark can be repeated.
"""
    return text


def report(res: dict[str, Any], args: argparse.Namespace) -> str:
    m, h, w, v, data = res["machine"], res["http"], res["writers"], res["verify"], res["data"]
    b, r, wr = h["baseline"], h["read"], h["write"]
    t = TARGETS
    rows = [
        ("Baseline: GET /api/v1/neighbourhoods/{code}", b, "1.00"),
        ("Read: GET /api/v1/persons/{id}", r, f"{r['ratio']:.2f}"),
        ("Write: POST /api/v1/persons", wr, f"{wr['ratio']:.2f}"),
    ]
    sg = h.get("signal")
    if sg:
        rows.append(("Signal: POST /api/v1/signals (match detection)", sg, f"{sg['ratio']:.3f}"))
    table = "\n".join(
        f"| {name} | {x['rps']:.0f} | {x['p50_ms']:.1f} | {x['p99_ms']:.1f} | {ratio} | "
        f"{x['requests']} | {x['errors']} |" for name, x, ratio in rows)
    sh, one = w["sharded"], w["one_chain"]
    build = data.get("build") or {}
    build_line = (f"{build.get('seconds', '?')} s for {build.get('persons'):,} persons and "
                  f"{build.get('access_log'):,} access-log records ({build.get('date', '')})"
                  if build else "not recorded")
    if build.get("persons_seconds"):
        build_line += (f": persons, households, registrations and chain events "
                       f"{build['persons_seconds']} s; access log {build['access_log_seconds']} s,"
                       f" of which {build['index_rebuild_seconds']} s rebuilding its "
                       f"secondary indexes")
    if build.get("note"):
        build_line += f" ({build['note']})"
    targets = [
        ("Reads >= 0.6x baseline", f"{r['ratio']:.2f}x", r["ratio"] >= t["read_ratio"]),
        ("Writes >= 0.4x baseline", f"{wr['ratio']:.2f}x", wr["ratio"] >= t["write_ratio"]),
        ("p99 <= 50 ms (baseline)", f"{b['p99_ms']:.1f} ms", b["p99_ms"] <= t["p99_ms"]),
        ("p99 <= 50 ms (reads)", f"{r['p99_ms']:.1f} ms", r["p99_ms"] <= t["p99_ms"]),
        ("p99 <= 50 ms (writes)", f"{wr['p99_ms']:.1f} ms", wr["p99_ms"] <= t["p99_ms"]),
        (f"{args.clients} access-log writers: 0 backends waiting for a chain-head lock "
         f"(most in any of {sh['many'].get('samples', '?')} samples)",
         str(sh["many"].get("head_lock_waiting_max", "?")),
         sh["many"].get("head_lock_waiting_max", 1) <= t["head_lock_waits"]),
        ("`audit verify` >= 150,000 records/s", f"{v.get('records_per_second', 0):,}/s",
         v.get("records_per_second", 0) >= t["verify_rps"]),
    ]
    index = res.get("index") or {}
    ret = index.get("retention") or {}
    mc = index.get("match_check") or {}
    if sg:
        targets += [
            ("Signals (POST /api/v1/signals) >= 0.35x baseline", f"{sg['ratio']:.3f}x",
             sg["ratio"] >= t["signal_ratio"]),
            ("p99 <= 50 ms (signals)", f"{sg['p99_ms']:.1f} ms", sg["p99_ms"] <= t["p99_ms"]),
        ]
    if ret.get("run"):
        targets.append((f"`jeugdketen retention` over {sum(ret['before'].values()):,} signals "
                        "< 60 s", f"{ret['run']['seconds']:.1f} s",
                        ret["run"]["seconds"] < t["retention_s"]))
    if mc:
        targets.append(("Match rate: matches found = matches generated",
                        f"{sum(mc['found'].values())} / {sum(mc['planted'].values())}", mc["ok"]))
    index_section = index_report(index, h) if index else ""
    family_section = ""
    queue_section = ""
    if res.get("queue"):
        from bench import intake_queue

        queue_section = "\n" + intake_queue.report(res["queue"])
        targets += intake_queue.targets(res["queue"])
    if res.get("family"):
        from bench import family

        family_section = "\n" + family.report(res["family"], args.clients, data, res["date"])
        page_p95 = res["family"]["http"]["c1"]["page"]["p95_ms"]
        ip = res["family"]["inprocess"]["page"]
        targets += [
            (f"Family page p95 <= {family.TARGET_P95_MS:.0f} ms (one user at a time)",
             f"{page_p95:.1f} ms", page_p95 <= family.TARGET_P95_MS),
            ("Family page: SQL statements constant", f"{ip['queries_min']}",
             ip["queries_min"] == ip["queries_max"]),
        ]
    target_rows = "\n".join(f"| {a} | {b_} | {yes(ok)} |" for a, b_, ok in targets)
    scale_note = ""
    if res.get("http_from"):
        scale_note = (f"\n> The HTTP figures come from bench/results/{res['http_from']}, an "
                      "`--http-only` run right after, on the same data: in this run's own HTTP "
                      "part a slow endpoint's backlog ran into the next round (fixed since: "
                      "the script now waits until the server is idle between rounds).\n")
    if args.quick:
        scale_note = ("\n> This is a `--quick` smoke run at small scale; the numbers are not "
                      "the national-scale result.\n")
    runs = []
    for f in sorted(RESULTS.glob("full-*.json")) if not args.quick else []:
        try:
            x = json.loads(f.read_text())
            xh = x["http"]
            loads = [rd["loadavg_1m"] for k in ("baseline", "read", "write")
                     for rd in xh[k].get("rounds", []) if "loadavg_1m" in rd]
            runs.append(
                f"| {f.name} | {xh['baseline']['rps']:.0f} | {xh['read']['rps']:.0f} "
                f"({xh['read']['ratio']:.2f}x) | {xh['write']['rps']:.0f} "
                f"({xh['write']['ratio']:.2f}x) | {xh['read']['p99_ms']:.0f} / "
                f"{xh['write']['p99_ms']:.0f} | {x['writers']['sharded']['ratio']:.2f}x | "
                f"{x['writers']['one_chain']['ratio']:.2f}x | "
                f"{(min(loads) if loads else 0):.1f}-{(max(loads) if loads else 0):.1f} |")
        except (KeyError, ValueError, TypeError):
            continue
    runs_table = ""
    if len(runs) > 1:
        runs_table = (
            "\n### Every full run\n\nThe same benchmark, repeated. The machine was shared "
            "with other work; the 1-minute load average during the HTTP rounds shows how "
            "disturbed each run was (about 4 is this benchmark's own load; the 1-minute "
            "average lags, so it is only a rough guide). The tables above are from "
            f"{res['file']}.\n\n"
            "| Run | Baseline req/s | Read req/s | Write req/s | p99 read / write ms | "
            "Writers 32 shards | Writers 1 shard | Load average |\n"
            "|---|---:|---:|---:|---:|---:|---:|---:|\n" + "\n".join(runs) + "\n")
    analysis = (Path(args.analysis).read_text() if args.analysis and Path(args.analysis).exists()
                else "")
    return f"""# Performance

Measured by `make bench` (`.venv/bin/python -m bench.run`) on {res['date']}. This file is
written by the benchmark script; numbers come from bench/results/{res['file']}.
{scale_note}
## Scale

- {data['persons']:,} persons (requested {args.persons:,}) and {data['records']:,} access-log
  records in {res['shards']} hash chains (requested {args.access_log:,}), database
  `{args.db}` ({m['database_size']}).
- Built with the bulk path `jeugdketen demo --scale {args.persons} --access-log {args.access_log}`
  (src/jeugdketen/demo/bulk_registry.py, PostgreSQL COPY): {build_line}.
  {'The database already held this scale and was reused.' if data.get('reused') else ''}
- Identifiers: BSNs only from the test range 999900000-999999999 that pass the eleven test.
  That range holds about 9,000 valid numbers, so beyond those persons carry a `system_id`
  ("JK" + 10 digits, the identifier for youth without a BSN) instead: at 1 million
  persons about 8,000 have a test BSN and the rest a system_id.

### The bulk path

`jeugdketen demo --scale N --access-log M [--seed S]` (src/jeugdketen/demo/bulk_registry.py):

- first the small demo through the platform's actions (GM9999 areas, postcode table, 25
  organisations, 120 professionals, 20 households), then N persons in households at
  synthetic addresses (postcodes 9900AA-9989ZZ added to the postcode table; about 2% at
  the unknown but well-formed 9998ZZ), each household entered by one professional:
  households, members, registrations and the `person.registered` /
  `household.registered` chain events;
- then M access-log records (reads and registrations by professionals of persons they
  registered, about 2% denied, 0.2% break-the-glass), chained per shard with
  `audit.record_hash` over the same fields as `audit.append`, the chain heads moved
  along in the same transaction, so `jeugdketen audit verify` passes;
- PostgreSQL: COPY through psycopg 3 (`cursor.copy`) on Django's connection; registry
  rows via a temporary table and `INSERT ... ON CONFLICT DO NOTHING`. SQLite: batched
  `bulk_create` (small scales only);
- batches of 20,000 persons / 50,000 records, each its own transaction; memory stays
  bounded; progress with an estimate of the time left on stderr;
- interrupt and rerun: the data comes from one seeded stream, so a rerun skips complete
  batches and fills in the rest without duplicates; the access log resumes from each
  chain head up to its share of M;
- above 1 million new access-log records the log's four secondary indexes are dropped
  and then recreated with the exact definitions Django's schema editor gives for the
  model (a rerun recreates any that are missing); primary key and the unique
  (shard, seq) constraint stay. The index definitions of a bulk-built database were
  checked to be identical to a freshly migrated one.

## Machine

{m['cores']} cores ({m['cpu']}), {m['memory_mb'] // 1024} GB memory, {m['os']}.
PostgreSQL {m['postgresql']} on the same machine (shared_buffers {m['pg_settings']['shared_buffers']},
synchronous_commit {m['pg_settings']['synchronous_commit']}, max_connections
{m['pg_settings']['max_connections']}: the packaged defaults). Python {m['python']}, {m['wrk']}.
Server, database and load generator share the same 2 cores, so every number below includes
the load generator's own CPU use.

## Method

- One `jeugdketen serve` (gunicorn, **{h['workers']} sync workers**, DEBUG off) on
  127.0.0.1; all three endpoints are measured against this same server in the same run.
  {h['workers']} workers: with 2 cores, PostgreSQL and the load generator on the same machine,
  more sync workers only add context switches; fewer leave a core idle while a worker
  waits for PostgreSQL (see "Worker count" below).
- Load: `wrk` (C, 2 threads) with {h['clients']} concurrent connections for {h['seconds']} s
  per endpoint, after a {args.warmup} s warm-up of each. Latencies are wrk's percentiles over
  every request.
  - Baseline: GET /api/v1/neighbourhoods/{{code}}: one indexed SELECT, no authentication,
    no access-log write.
  - Read: GET /api/v1/persons/{{id}} with the bearer token of professional
    `{res['fixtures']['professional']}` ({res['fixtures']['organisation']}), over
    {res['fixtures']['registered']:,} different persons it registered: token lookup, the
    policy (registration ground), the read and one access-log record (chain head lock,
    INSERT, head UPDATE) in one transaction.
  - Write: POST /api/v1/persons: 4 of 5 new persons without a BSN (a system_id is
    generated), 1 of 5 re-registrations of a known BSN with the same base data; each
    writes the person or registration, an access-log record and a chain event.
- Access-log writers: separate processes (bench/writer.py), each running transactions
  that append one record via `jeugdketen.access.audit.append` inside
  `transaction.atomic`, all started together for {args.writer_seconds} s: 1 writer, then
  {args.clients} writers; the same again with `JEUGDKETEN_AUDIT_SHARDS=1` (one chain).
- Verify: `jeugdketen audit verify --json` over the whole log.

## Results

| Endpoint | Requests/s | p50 ms | p99 ms | x baseline | Requests | Errors |
|---|---:|---:|---:|---:|---:|---:|
{table}

Medians of {h.get('rounds', 1)} interleaved rounds; requests/s ranged over the rounds:
baseline {b.get('rps_min', b['rps']):.0f}-{b.get('rps_max', b['rps']):.0f}, read
{r.get('rps_min', r['rps']):.0f}-{r.get('rps_max', r['rps']):.0f}, write
{wr.get('rps_min', wr['rps']):.0f}-{wr.get('rps_max', wr['rps']):.0f}.

| Access-log writers | 1 writer | {args.clients} writers | Ratio (information only: CPU on 2 cores) | {args.clients} writers: backends waiting for a chain-head lock, mean / most | ... waiting for their (Python) client |
|---|---:|---:|---:|---:|---:|
| {sh['one']['shards']} shards (default) | {sh['one']['records_per_s']:.0f} records/s | {sh['many']['records_per_s']:.0f} records/s | {sh['ratio']:.2f}x | {sh['many'].get('head_lock_waiting_backends', '-')} / {sh['many'].get('head_lock_waiting_max', '-')} | {sh['many'].get('client_waiting_backends', '-')} |
| 1 shard (JEUGDKETEN_AUDIT_SHARDS=1) | {one['one']['records_per_s']:.0f} records/s | {one['many']['records_per_s']:.0f} records/s | {one['ratio']:.2f}x | {one['many'].get('head_lock_waiting_backends', '-')} / {one['many'].get('head_lock_waiting_max', '-')} | {one['many'].get('client_waiting_backends', '-')} |

(Backends: the average number of the writers' PostgreSQL sessions, sampled every 0.1 s,
that wait for a row lock on a chain head, or sit idle in their transaction waiting for
the writer process to send the next statement.)

`jeugdketen audit verify`: {v['records']:,} records in {v['chains']} chain heads ({res['shards']} in use) in
{v['seconds']} s = **{v['records_per_second']:,} records/s** (ok: {v['ok']}).
{index_section}{runs_table}{family_section}{queue_section}
## Targets

| Target | Measured | |
|---|---:|---|
{target_rows}

{analysis}

## Reproduce

```sh
apt-get install -y wrk            # the load generator (C, light on the CPU)
make bench                        # = .venv/bin/python -m bench.run (full scale)
.venv/bin/python -m bench.run --quick                 # smoke run, a few minutes
.venv/bin/python -m bench.run --queue-only            # the front door alone (issue 11)
.venv/bin/python -m bench.run --persons 1000000 --access-log 10000000 \\
    --seconds 20 --clients 32 --workers {h['workers']}
```

PostgreSQL at 127.0.0.1:5432 (user postgres; `BENCH_PG` overrides the server URL without
database name). The database is created and built on first use (resumable: interrupt and
rerun) and reused afterwards. Raw results: bench/results/*.json (git-ignored); the
server's log of the last run: bench/results/server.log.
"""


def family_only(args: argparse.Namespace, env: dict[str, str], data: dict[str, Any],
                started: float) -> None:
    """`--family-only`: the family-page benchmark alone, on the prepared database."""
    from bench import family

    with tempfile.TemporaryDirectory(prefix="jk-bench-") as tmp:
        res: dict[str, Any] = {"date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
                               "args": dict(vars(args)), "data": data, "machine": machine(env),
                               "family": family.run(args, env, Path(tmp))}
    res["total_seconds"] = round(time.monotonic() - started)
    name = f"family-w{args.workers}-{datetime.now(UTC):%Y%m%d-%H%M%S}.json"
    res["file"] = name
    (RESULTS / name).write_text(json.dumps(res, indent=1, default=str))
    log(f"raw results: bench/results/{name}")
    section = family.report(res["family"], args.clients, data, res["date"])
    (RESULTS / "family.md").write_text(section)
    if not args.no_report and not args.quick:
        family.write_section(DOC, section)
        log(f"report: {DOC.relative_to(ROOT)} (the family-page section)")


def queue_only(args: argparse.Namespace, env: dict[str, str], data: dict[str, Any],
               started: float) -> None:
    """`--queue-only`: the front door's benchmark alone (bench/intake_queue.py), on the
    prepared database."""
    from bench import intake_queue

    with tempfile.TemporaryDirectory(prefix="jk-bench-") as tmp:
        res: dict[str, Any] = {"date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
                               "args": dict(vars(args)), "data": data, "machine": machine(env),
                               "queue": intake_queue.run(args, env, Path(tmp))}
    res["total_seconds"] = round(time.monotonic() - started)
    kind = "queue-quick" if args.quick else "queue"
    name = f"{kind}-w{args.workers}-{datetime.now(UTC):%Y%m%d-%H%M%S}.json"
    res["file"] = name
    (RESULTS / name).write_text(json.dumps(res, indent=1, default=str))
    log(f"raw results: bench/results/{name}")
    q = res["queue"]
    scale = (f"Measured {res['date']} on `{args.db}` ({data['persons']:,} persons, "
             f"{data['records']:,} access-log records; bench/results/{name}).\n\n")
    section = intake_queue.report(q).replace(
        "<!-- intake-queue: written by bench/intake_queue.py -->\n",
        "<!-- intake-queue: written by bench/intake_queue.py -->\n" + scale, 1)
    (RESULTS / "queue.md").write_text(section)
    for label, measured, ok in intake_queue.targets(q):
        log(f"target {label}: {measured} ({yes(ok)})")
    if not args.no_report and not args.quick:
        intake_queue.write_section(DOC, section)
        log(f"report: {DOC.relative_to(ROOT)} (the front door's section)")
    else:
        log("report: bench/results/queue.md (docs/performance.md untouched)")


def main() -> None:
    sys.path.insert(0, str(ROOT / "src"))  # this checkout's code (see PYTHONPATH below)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--access-log", type=int, default=10_000_000)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--warmup", type=float, default=3)
    parser.add_argument("--rounds", type=int, default=4,
                        help="interleaved rounds per endpoint (medians are reported)")
    parser.add_argument("--writer-seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--signals", type=int, default=200_000,
                        help="bulk active signals in the reference index")
    parser.add_argument("--due", type=float, default=0.05,
                        help="share of the bulk signals retention must end today")
    parser.add_argument("--check-pairs", type=int, default=2_000,
                        help="planted match pairs for the match-rate check")
    parser.add_argument("--db", default="")
    parser.add_argument("--quick", action="store_true", help="small scale smoke run")
    parser.add_argument("--no-report", action="store_true",
                        help="do not rewrite docs/performance.md")
    parser.add_argument("--analysis", default=str(ROOT / "bench" / "analysis.md"),
                        help="markdown inserted after the targets (findings, causes)")
    parser.add_argument("--http-only", action="store_true",
                        help="only the HTTP part (e.g. to compare --workers); no report")
    parser.add_argument("--report-only", default="",
                        help="rewrite docs/performance.md from a results JSON, measure nothing")
    parser.add_argument("--family-only", action="store_true",
                        help="only the family-page benchmark (bench/family.py); its section of "
                             "docs/performance.md is replaced")
    parser.add_argument("--no-family", action="store_true", help="skip the family page")
    parser.add_argument("--prepare-only", action="store_true",
                        help="only build (or resume) the benchmark database, then stop")
    parser.add_argument("--family-seconds", type=float, default=40,
                        help="family page: wrk seconds per endpoint and concurrency")
    parser.add_argument("--family-inprocess", type=int, default=30,
                        help="family page: in-process reads counted and timed per endpoint")
    parser.add_argument("--queue-only", action="store_true",
                        help="only the front door's benchmark (bench/intake_queue.py): the "
                             "queue and POST /api/v1/care-reports; its section of "
                             "docs/performance.md is replaced")
    parser.add_argument("--no-queue", action="store_true",
                        help="skip the front door's benchmark")
    parser.add_argument("--queue-reports", type=int, default=20_000,
                        help="front door: open reports in the benchmark municipality's queue")
    parser.add_argument("--queue-seconds", type=float, default=30,
                        help="front door: wrk seconds per endpoint (split over the rounds), "
                             "for the queue and for the care reports")
    args = parser.parse_args()
    if args.report_only:
        res = json.loads(Path(args.report_only).read_text())
        for key, value in res["args"].items():
            if key not in ("report_only", "analysis"):
                setattr(args, key, value)
        DOC.write_text(report(res, args))
        log(f"report: {DOC.relative_to(ROOT)}")
        return
    if args.quick:
        args.persons, args.access_log = min(args.persons, 20_000), min(args.access_log, 200_000)
        args.seconds, args.warmup, args.writer_seconds = min(args.seconds, 8), 2, 5
        args.signals, args.check_pairs = min(args.signals, 4_000), min(args.check_pairs, 200)
        args.queue_reports = min(args.queue_reports, 2_000)
        args.queue_seconds = min(args.queue_seconds, 8)
    args.db = args.db or ("jeugdketen_bench_quick" if args.quick else "jeugdketen_bench")
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install -y wrk")
    RESULTS.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "JEUGDKETEN_AUDIT_SHARDS")}
    env["DATABASE_URL"] = f"{PG}/{args.db}"
    os.environ["DATABASE_URL"] = env["DATABASE_URL"]
    os.environ.pop("JEUGDKETEN_AUDIT_SHARDS", None)
    # This checkout's code, also in a worktree whose virtualenv was installed from another
    # checkout (an editable install would otherwise win for the server and the commands).
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), str(ROOT)])
    # Synthetic data, so the BRP stand-in answers the platform (with the BRP's contract, over
    # HTTP, in its own process): that needs demo mode (production settings refuse the
    # stand-in). Its population lives beside the results, one per benchmark database.
    env.pop("JEUGDKETEN_BRP_URL", None)
    env["JEUGDKETEN_DEMO"] = "true"
    env["JEUGDKETEN_BRP_STANDIN_DB"] = str(RESULTS / f"brp-standin-{args.db}.sqlite3")
    env["JEUGDKETEN_BRP_STANDIN_PORT"] = str(free_port())
    for name in ("JEUGDKETEN_DEMO", "JEUGDKETEN_BRP_STANDIN_DB", "JEUGDKETEN_BRP_STANDIN_PORT"):
        os.environ[name] = env[name]
    from jeugdketen.brp.standin import process

    # One stand-in for the whole run: the bulk build, the in-process fixtures and every
    # server started below find it answering and use it.
    standin = process.start(port=int(env["JEUGDKETEN_BRP_STANDIN_PORT"]),
                            db=env["JEUGDKETEN_BRP_STANDIN_DB"])
    try:
        run_all(args, env)
    finally:
        process.stop(standin)


def run_all(args: argparse.Namespace, env: dict[str, str]) -> None:
    started = time.monotonic()
    data = prepare(args, env)
    import jeugdketen

    log(f"code: {Path(jeugdketen.__file__).parent}")
    if args.prepare_only:
        log(f"prepared {args.db}: {data['persons']} persons, {data['records']} records")
        return
    if args.family_only:
        family_only(args, env, data, started)
        return
    if args.queue_only:
        queue_only(args, env, data, started)
        return
    with tempfile.TemporaryDirectory(prefix="jk-bench-") as tmp:
        work = Path(tmp)
        fx = fixtures(args, work)
        index = signal_fixtures(args, work, fx) if args.signals else {}
        res: dict[str, Any] = {"date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
                               "args": dict(vars(args)),
                               "data": data, "machine": machine(env),
                               "fixtures": {k: v for k, v in fx.items()
                                            if k not in ("token", "person_sample")}}
        from django.conf import settings

        res["shards"] = settings.AUDIT_SHARDS
        res["index"] = index
        res["http"] = http_benchmarks(args, env, fx, work)
        if not args.no_family:
            from bench import family

            res["family"] = family.run(args, env, work)
        if not args.no_queue:
            from bench import intake_queue

            res["queue"] = intake_queue.run(args, env, work)
        if args.http_only:
            args.no_report = True
        else:
            res["writers"] = writer_benchmarks(args, env, fx)
    if not args.http_only:
        res["verify"] = verify(env)
        if args.signals:  # last: it changes the index (and restores it afterwards)
            res["index"]["retention"] = retention_benchmarks(args, env)
    res["total_seconds"] = round(time.monotonic() - started)
    kind = "http" if args.http_only else "quick" if args.quick else "full"
    name = f"{kind}-w{args.workers}-{datetime.now(UTC):%Y%m%d-%H%M%S}.json"
    res["file"] = name
    (RESULTS / name).write_text(json.dumps(res, indent=1, default=str))
    log(f"raw results: bench/results/{name}")
    if not args.no_report:
        # A smoke run does not overwrite the national-scale report.
        doc = RESULTS / "performance-quick.md" if args.quick else DOC
        doc.parent.mkdir(parents=True, exist_ok=True)
        doc.write_text(report(res, args))
        log(f"report: {doc.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
