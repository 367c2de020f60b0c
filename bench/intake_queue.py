"""The front door's benchmark (issue 11): with 20,000 open reports in one municipality's
queue, the queue page and GET /api/v1/queue answer one client within 150 ms at p95, and
POST /api/v1/care-reports keeps at least 0.35x the baseline's requests/s at 32 clients.

1. Data (once; found again on a rerun): in the benchmark municipality a front-door team
   (`bench.voordeur`, role front_door) and three organisations with intake slots (through
   the actions), and `--queue-reports` open reports written in bulk (synthetic: no names,
   a fixed question), about persons of the municipality, spread over the open steps
   (received, triaged, intake planned with a meeting, intake held), the urgencies and the
   last 120 days, with the due dates the actions would have stored.
2. In-process (Django's test client, the full middleware stack): the SQL statements and
   the wall time of `intake.queue.queue`, GET /api/v1/queue and the page
   GET /voordeur/wachtrij/, over a mix of pages, filters and orders.
3. HTTP through gunicorn (`jeugdketen serve`), wrk with one connection: the baseline
   GET /api/v1/neighbourhoods/{code}, GET /api/v1/queue and the queue page, each request
   a different page, filter or order of the mix.
4. After the queue, against the same server: the baseline and POST /api/v1/care-reports
   with `--clients` connections, in interleaved rounds (medians; the ratio to the
   baseline). Each request is a report by the benchmark professional (the one with the
   most registrations, as for the persons API in bench.run) about a different person it
   registered (the policy lets a professional report only about a person it has a ground
   for), with a valid body: question, life domains, urgency, unsafe false, consent,
   contact phone. These reports land in the same municipality's queue, so they are
   measured after the queue and deleted afterwards (and before the queue, should an
   interrupted run have left some): `cleanup()` deletes only reports with the
   benchmark's own question, by a professional, still in step `received` and never
   triaged. Their access-log records and chain events stay (append-only logs).

`python -m bench.intake_queue` (DATABASE_URL set, the database migrated) runs steps 1
and 2 alone and prints the result; bench.run calls `run(args, env, work)` for all four
(`python -m bench.run --queue-only` on the prepared benchmark database).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

TARGET_P95_MS = 150.0  # issue 11: one client
TARGET_REPORT_RATIO = 0.35  # issue 11: POST /api/v1/care-reports / baseline at 32 clients
OPEN_REPORTS = 20_000
MUNICIPALITY = "GM9999"
USERNAME = "bench.voordeur"
TEAM = "Wijkteam Voordeur Benchmark"
PROVIDERS = (("Jeugdhulp Benchmark", "youth_care_provider", 40),
             ("GGZ Benchmark", "mental_health_care", 20))
QUESTION = "Synthetische melding voor de benchmark van de wachtrij."
# The question of every report POST /api/v1/care-reports makes in the benchmark: how
# `cleanup` knows them (the bulk reports above have another).
REPORT_QUESTION = "Synthetische melding van de benchmark van POST /api/v1/care-reports."
# The requests of the mix: pages, filters and orders (a query string of GET /api/v1/queue;
# the page takes the same with its Dutch names, see PAGE_NAMES).
MIX = ["", "page=2", "page=40", "page=200", "step=triaged", "step=received&overdue=1x",
       "overdue=3x", "urgency=crisis", "order=-received_at", "order=urgency&page=3",
       "order=step_due_on", "step=intake_planned", "step=intake_held&order=-step_since",
       "overdue=no&page=5"]
PAGE_NAMES = {"page": "pagina", "step": "stap", "urgency": "urgentie", "overdue": "te_laat",
              "order": "sorteer"}
PAGE_ORDERS = {"received_at": "ontvangen", "urgency": "urgentie", "step_due_on": "termijn",
               "step_since": "in_stap", "step": "stap"}


def log(msg: str) -> None:
    print(f"[bench {datetime.now(UTC):%H:%M:%S}Z] {msg}", file=sys.stderr, flush=True)


def page_query(api_query: str) -> str:
    """The page's query string for an API query string of the mix."""
    parts = []
    for pair in filter(None, api_query.split("&")):
        key, value = pair.split("=")
        if key == "order":
            value = ("-" if value.startswith("-") else "") + PAGE_ORDERS[value.lstrip("-")]
        parts.append(f"{PAGE_NAMES[key]}={value}")
    return "&".join(parts)


# --- 1. the data -----------------------------------------------------------------------------


def ensure(count: int = OPEN_REPORTS, municipality_code: str = MUNICIPALITY,
           seed: int = 2026) -> dict[str, Any]:
    """The front-door team, the capacity and `count` open reports: made once."""
    from django.db import transaction
    from django.utils import timezone

    from jeugdketen.access.actions import system_actor
    from jeugdketen.access.policy import AccessPoint, Actor
    from jeugdketen.intake import norms
    from jeugdketen.intake.actions.settings import set_capacity
    from jeugdketen.intake.models import (
        OPEN_STEPS,
        CareReport,
        IntakeMeeting,
        ReporterKind,
        Step,
        Urgency,
    )
    from jeugdketen.intake.queue import monday_of
    from jeugdketen.registry import actions as registry
    from jeugdketen.registry.models import Organisation, Person, Professional

    system = system_actor("jeugdketen benchmark")

    def organisation(name: str, kind: str) -> Organisation:
        found = Organisation.objects.filter(municipality_id=municipality_code,
                                            name=name).first()
        return found or registry.create_organisation(
            system, name=name, kind=kind, municipality_code=municipality_code,
            may_coordinate=True)

    team = organisation(TEAM, "neighbourhood_team")
    prof = Professional.objects.select_related("organisation", "user").filter(
        user__username=USERNAME).first()
    if prof is None:
        registry.create_professional(
            system, organisation_id=team.pk, username=USERNAME, full_name="Vera Voordeur",
            email=f"{USERNAME}@voorbeeldstad.example", phone="0612345678",
            roles=["front_door"], password=None)
        prof = Professional.objects.select_related("organisation", "user").get(
            user__username=USERNAME)
    actor = Actor(user=prof.user, professional=prof,
                  access_point=AccessPoint(channel="command", user_agent="benchmark"))
    today = timezone.localdate()
    for name, kind, slots in PROVIDERS:
        set_capacity(actor, organisation(name, kind).pk, week_start=monday_of(today),
                     slots=slots)
    open_now = CareReport.objects.filter(municipality_id=municipality_code,
                                         step__in=OPEN_STEPS).count()
    made = max(0, count - open_now)
    started = time.monotonic()
    if made:
        rng = random.Random(seed)
        persons = list(Person.objects.filter(
            neighbourhood__district__municipality_id=municipality_code)
            .values_list("id", "neighbourhood_id")[:count])
        if not persons:
            raise RuntimeError(f"no persons in {municipality_code}: build the database first")
        steps = [Step.RECEIVED] * 20 + [Step.TRIAGED] * 40 + [Step.INTAKE_PLANNED] * 15 \
            + [Step.INTAKE_HELD] * 25
        urgencies = [Urgency.CRISIS] * 5 + [Urgency.URGENT] * 25 + [Urgency.REGULAR] * 70
        now = timezone.now()
        reports, meetings = [], []
        for i in range(made):
            person_id, hood = persons[i % len(persons)]
            step, urgency = rng.choice(steps), rng.choice(urgencies)
            received = now - timedelta(days=rng.randint(0, 120), minutes=rng.randint(0, 1440))
            received_on = timezone.localdate(received)
            since = received_on if step == Step.RECEIVED else min(
                today, received_on + timedelta(days=rng.randint(0, 30)))
            start = since if step == Step.INTAKE_HELD else received_on
            rule = norms.default_rule(step, urgency)
            report = CareReport(
                id=uuid.uuid4(), trajectory_key=uuid.uuid4(),
                municipality_id=municipality_code, person_id=person_id,
                neighbourhood_code=hood or "", reporter_kind=ReporterKind.PROFESSIONAL,
                reported_by=prof, urgency=urgency, received_at=received, step=step,
                step_since=since, step_due_on=norms.due_on(rule, start),
                step_overdue3_on=norms.due_on(rule, start, norms.OVERDUE_FACTOR),
                question=QUESTION, life_domains=["schooling"], consent_to_share=True)
            report.reference = f"ZB{i:08d}"[:10]
            reports.append(report)
            if step == Step.INTAKE_PLANNED:
                starts = now + timedelta(days=rng.randint(1, 28))
                meetings.append(IntakeMeeting(report_id=report.id, starts_at=starts,
                                              ends_at=starts + timedelta(hours=1),
                                              location="Wijkcentrum", planned_by=prof))
        with transaction.atomic():
            CareReport.objects.bulk_create(reports, batch_size=2000)
            IntakeMeeting.objects.bulk_create(meetings, batch_size=2000)
    open_after = CareReport.objects.filter(municipality_id=municipality_code,
                                           step__in=OPEN_STEPS).count()
    log(f"queue: {open_after} open reports in {municipality_code} ({made} made in "
        f"{time.monotonic() - started:.1f} s)")
    return {"open_reports": open_after, "made": made, "front_door": USERNAME,
            "municipality": municipality_code}


# --- 2. in-process -------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def inprocess(runs: int = 3) -> dict[str, Any]:
    """Statements and wall time of the selector, the API and the page over the mix (each
    request of the mix `runs` times), and a token and web session for the HTTP part."""
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from jeugdketen.access.actions import issue_token, system_actor
    from jeugdketen.access.policy import AccessPoint, Actor
    from jeugdketen.intake.queue import queue
    from jeugdketen.registry.models import Professional

    settings.ALLOWED_HOSTS = ["*"]
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    prof = Professional.objects.select_related("organisation", "user").get(
        user__username=USERNAME)
    user = prof.user
    token = issue_token(system_actor("bench"), user, days=2)
    from bench.family import logged_in

    client = logged_in(user)
    session = client.session
    cookie = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"

    def selector(query: str) -> Any:
        actor = Actor(user=user, professional=prof,
                      access_point=AccessPoint(channel="session", user_agent="benchmark"))
        kw: dict[str, Any] = {}
        for pair in filter(None, query.split("&")):
            key, value = pair.split("=")
            kw[key] = int(value) if key == "page" else value
        return queue(actor, prof.organisation.municipality_id, **kw)

    def api(query: str) -> Any:
        return client.get(f"/api/v1/queue?{query}", HTTP_AUTHORIZATION=f"Bearer {token}")

    def page(query: str) -> Any:
        return client.get(f"/voordeur/wachtrij/?{page_query(query)}")

    out: dict[str, Any] = {}
    for name, call in (("selector", selector), ("api", api), ("page", page)):
        call("")  # warm: imports, templates
        counts, times = [], []
        for _ in range(runs):
            for query in MIX:
                with CaptureQueriesContext(connection) as captured:
                    t0 = time.perf_counter()
                    result = call(query)
                    times.append((time.perf_counter() - t0) * 1000)
                if getattr(result, "status_code", 200) != 200:
                    raise RuntimeError(f"{name} {query}: HTTP {result.status_code}")
                counts.append(len(captured))
        out[name] = {"queries_min": min(counts), "queries_max": max(counts),
                     "p50_ms": round(statistics.median(times), 1),
                     "p95_ms": round(percentile(times, 95), 1), "runs": len(times)}
        log(f"queue in-process {name}: {out[name]}")
    connection.close()
    return {"inprocess": out, "token": token, "cookie": cookie}


# --- 3. and 4. HTTP --------------------------------------------------------------------------

REPORT_LUA = r"""
-- POST /api/v1/care-reports: every request about a different person (thread t of n takes
-- the bodies offset + t, offset + t + n, ...).
local items = {}
for line in io.lines("%(file)s") do if #line > 0 then items[#items + 1] = line end end
local offset, nthreads = %(offset)d, %(threads)d
local headers = {["Authorization"] = "%(auth)s", ["Content-Type"] = "application/json",
                 ["Accept"] = "application/json"}
local threads = {}
tid, counter, created, others = 0, 0, 0, 0
setup = function(thread) thread:set("tid", #threads); table.insert(threads, thread) end
request = function()
  local i = offset + tid + counter * nthreads
  counter = counter + 1
  return wrk.format("POST", "/api/v1/care-reports", headers, items[(i %% #items) + 1])
end
response = function(status, hdrs, body)
  if status == 201 then created = created + 1 else others = others + 1 end
end
done = function(s, latency, requests)
  local used, c, o = 0, 0, 0
  for _, t in ipairs(threads) do
    used = math.max(used, t:get("counter")); c = c + t:get("created"); o = o + t:get("others")
  end
  io.write(string.format(
    'WRKJSON {"requests": %%d, "duration_us": %%d, "connect_errors": %%d, "read_errors": %%d, ' ..
    '"write_errors": %%d, "status_errors": %%d, "timeouts": %%d, "p50_us": %%d, ' ..
    '"p90_us": %%d, "p95_us": %%d, "p99_us": %%d, "max_us": %%d, "mean_us": %%.1f, ' ..
    '"next_offset": %%d, "created": %%d, "other_status": %%d}\n',
    s.requests, s.duration, s.errors.connect, s.errors.read, s.errors.write, s.errors.status,
    s.errors.timeout, latency:percentile(50), latency:percentile(90), latency:percentile(95),
    latency:percentile(99), latency.max, latency.mean, offset + (used + 1) * nthreads, c, o))
end
"""


def reporter(args: argparse.Namespace, work: Path, runs: int = 20) -> dict[str, Any]:
    """In-process: the benchmark professional (most registrations, as bench.run's persons
    API), its token, one valid care-report body per person it registered (shuffled), and
    the SQL statements and wall time of `runs` reports through Django's test client (the
    last bodies of the pool: the HTTP rounds start at the first)."""
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from jeugdketen.access.actions import issue_token, system_actor
    from jeugdketen.analysis.domains import ALL_DOMAINS
    from jeugdketen.registry.models import Neighbourhood, Professional, Registration

    prof = (Professional.objects.filter(roles__contains=["professional"])
            .annotate(n=Count("registrations")).order_by("-n", "pk")
            .select_related("user", "organisation").first())
    if prof is None:
        raise RuntimeError("no professionals: did the bulk build run?")
    token = issue_token(system_actor("bench"), prof.user, days=2)
    persons = sorted({str(p) for p in Registration.objects.filter(professional=prof)
                      .values_list("person_id", flat=True)})
    rng = random.Random(getattr(args, "seed", 2026))
    rng.shuffle(persons)
    domains = sorted(ALL_DOMAINS)
    urgencies = ["crisis"] * 5 + ["urgent"] * 25 + ["regular"] * 70
    bodies = []
    for pid in persons:
        body: dict[str, Any] = {
            "person_id": pid, "question": REPORT_QUESTION,
            "life_domains": rng.sample(domains, rng.randint(1, 3)),
            "urgency": rng.choice(urgencies), "unsafe": False,
            "consent_to_share": rng.random() < 0.9, "contact_phone": "0612345678"}
        if rng.random() < 0.5:
            body["desired_result"] = "Rust in het gezin en weer naar school."
        bodies.append(json.dumps(body, separators=(",", ":")))
    (work / "report-bodies.txt").write_text("\n".join(bodies) + "\n")
    hoods = list(Neighbourhood.objects.values_list("code", flat=True))
    (work / "report-hoods.txt").write_text("\n".join(hoods) + "\n")
    client = Client()
    counts, times = [], []
    for i, body_ in enumerate(bodies[-(runs + 1):]):
        with CaptureQueriesContext(connection) as captured:
            t0 = time.perf_counter()
            response = client.post("/api/v1/care-reports", body_,
                                   content_type="application/json",
                                   HTTP_AUTHORIZATION=f"Bearer {token}")
            elapsed = (time.perf_counter() - t0) * 1000
        if response.status_code != 201:
            raise RuntimeError(f"POST /api/v1/care-reports: HTTP {response.status_code}: "
                               f"{response.content[:400]!r}")
        if i:  # the first warms up (imports)
            counts.append(len(captured))
            times.append(elapsed)
    inprocess_ = {"queries_min": min(counts), "queries_max": max(counts),
                  "p50_ms": round(statistics.median(times), 1),
                  "p95_ms": round(percentile(times, 95), 1), "runs": len(times)}
    connection.close()
    log(f"care reports: professional {prof.user.username}, {len(bodies)} persons it "
        f"registered; in-process {inprocess_}")
    return {"token": token, "professional": prof.user.username,
            "organisation": prof.organisation.name, "pool": len(bodies),
            "inprocess": inprocess_}


def cleanup() -> int:
    """Delete the reports POST /api/v1/care-reports made in the benchmark (and only those:
    the benchmark's question, a professional's, step `received`, never triaged), so the
    queue keeps its `--queue-reports` open reports for the next run."""
    from django.db import connection, transaction

    from jeugdketen.intake.models import CareReport, ReporterKind, Step

    with transaction.atomic():
        removed, _ = CareReport.objects.filter(
            question=REPORT_QUESTION, reporter_kind=ReporterKind.PROFESSIONAL,
            reported_by__isnull=False, step=Step.RECEIVED, triage__isnull=True,
            meetings__isnull=True).delete()
    connection.close()
    return removed


def queue_rounds(args: argparse.Namespace, env: dict[str, str], fx: dict[str, Any],
                 work: Path, server: Any) -> dict[str, Any]:
    """Step 3: one connection, the baseline, GET /api/v1/queue and the page."""
    from bench.family import LUA, settle
    from bench.run import drain, http, wrk

    (work / "queue-api.txt").write_text("\n".join(f"?{q}" for q in MIX) + "\n")
    (work / "queue-page.txt").write_text("\n".join(f"?{page_query(q)}" for q in MIX) + "\n")
    (work / "queue-hoods.txt").write_text("BU99990101\n")
    seconds = getattr(args, "queue_seconds", 30)
    out: dict[str, Any] = {"workers": args.workers, "rounds": args.rounds, "seconds": seconds}
    status, text = http("GET", f"{server.url}/api/v1/queue", fx["token"])
    if status != 200:
        raise RuntimeError(f"GET /api/v1/queue: HTTP {status}: {text}")
    scripts = {}
    for name, prefix, file, accept, auth, cookie in (
            ("baseline", "/api/v1/neighbourhoods/", "queue-hoods.txt",
             "application/json", "", ""),
            ("api", "/api/v1/queue", "queue-api.txt", "application/json",
             f"Bearer {fx['token']}", ""),
            ("page", "/voordeur/wachtrij/", "queue-page.txt", "text/html", "",
             fx["cookie"])):
        script = work / f"queue-{name}.lua"
        script.write_text(LUA % {"file": work / file, "prefix": prefix, "suffix": "",
                                 "accept": accept, "auth": auth, "cookie": cookie})
        scripts[name] = script
    for script in scripts.values():  # warm-up
        wrk(server.url, script, args.warmup, 1, timeout=60)
        drain(env)
        settle(server.url)
    rounds: dict[str, list[dict[str, Any]]] = {name: [] for name in scripts}
    for i in range(args.rounds):
        for name, script in scripts.items():
            r = wrk(server.url, script, seconds / args.rounds, 1, timeout=60)
            r["p95_ms"] = r["raw"]["p95_us"] / 1000
            r["drain_s"] = drain(env) + settle(server.url)
            rounds[name].append(r)
            log(f"queue round {i + 1}/{args.rounds} {name}: {r['rps']} req/s, "
                f"p50 {r['p50_ms']} ms, p95 {r['p95_ms']} ms, errors {r['errors']}")
    for name, runs in rounds.items():
        out[name] = {"rps": statistics.median(r["rps"] for r in runs),
                     "p50_ms": statistics.median(r["p50_ms"] for r in runs),
                     "p95_ms": statistics.median(r["p95_ms"] for r in runs),
                     "p95_ms_max": max(r["p95_ms"] for r in runs),
                     "requests": sum(r["requests"] for r in runs),
                     "errors": sum(r["errors"] for r in runs), "rounds": runs}
    return out


def report_rounds(args: argparse.Namespace, env: dict[str, str], rp: dict[str, Any],
                  work: Path, server: Any) -> dict[str, Any]:
    """Step 4: `--clients` connections, the baseline GET /api/v1/neighbourhoods/{code} and
    POST /api/v1/care-reports, interleaved rounds; medians and the ratio."""
    from bench.family import settle
    from bench.run import LUA, drain, http, wrk

    seconds = getattr(args, "queue_seconds", 30)
    threads = min(2, args.clients)
    out: dict[str, Any] = {"workers": args.workers, "clients": args.clients,
                           "rounds": args.rounds, "seconds": seconds,
                           "professional": rp["professional"],
                           "organisation": rp["organisation"], "pool": rp["pool"],
                           "inprocess": rp.get("inprocess")}
    bodies = (work / "report-bodies.txt").read_text().splitlines()
    if not bodies:
        raise RuntimeError("the benchmark professional registered nobody")
    status, text = http("POST", f"{server.url}/api/v1/care-reports", rp["token"], bodies[0])
    log(f"check care report: HTTP {status}")
    if status != 201:
        raise RuntimeError(f"POST /api/v1/care-reports: HTTP {status}: {text}")
    baseline = work / "report-baseline.lua"
    baseline.write_text(LUA % {"file": work / "report-hoods.txt", "method": "GET",
                               "prefix": "/api/v1/neighbourhoods/", "auth": ""})
    offset = [1]  # the first body went into the check
    wrapped = [False]

    def post(seconds_: float) -> dict[str, Any]:
        script = work / "report-post.lua"
        script.write_text(REPORT_LUA % {"file": work / "report-bodies.txt",
                                        "offset": offset[0], "threads": threads,
                                        "auth": f"Bearer {rp['token']}"})
        r = wrk(server.url, script, seconds_, args.clients)
        # Requests still in flight when wrk stopped may have been served: leave a gap.
        offset[0] = r["raw"]["next_offset"] + 2 * args.clients
        if offset[0] > len(bodies) and not wrapped[0]:
            wrapped[0] = True
            log(f"care-report pool used up ({offset[0]} > {len(bodies)}): from here on "
                "persons get a second report")
        r["p95_ms"] = r["raw"]["p95_us"] / 1000
        return r

    def get(seconds_: float) -> dict[str, Any]:
        return wrk(server.url, baseline, seconds_, args.clients)

    calls = {"baseline": get, "post": post}
    for call in calls.values():  # warm-up
        call(args.warmup)
        drain(env)
        settle(server.url)
    rounds: dict[str, list[dict[str, Any]]] = {name: [] for name in calls}
    for i in range(args.rounds):
        for name, call in calls.items():
            r = call(seconds / args.rounds)
            r["drain_s"] = drain(env) + settle(server.url)
            r["loadavg_1m"] = os.getloadavg()[0]
            rounds[name].append(r)
            log(f"care-report round {i + 1}/{args.rounds} {name} (c{args.clients}): "
                f"{r['rps']} req/s, p50 {r['p50_ms']} ms, p99 {r['p99_ms']} ms, "
                f"errors {r['errors']}")
    for name, runs in rounds.items():
        out[name] = {"rps": statistics.median(r["rps"] for r in runs),
                     "p50_ms": statistics.median(r["p50_ms"] for r in runs),
                     "p99_ms": statistics.median(r["p99_ms"] for r in runs),
                     "rps_min": min(r["rps"] for r in runs),
                     "rps_max": max(r["rps"] for r in runs),
                     "requests": sum(r["requests"] for r in runs),
                     "errors": sum(r["errors"] for r in runs), "rounds": runs}
    out["post"]["created"] = sum(r["raw"]["created"] for r in rounds["post"])
    out["post"]["other_status"] = sum(r["raw"]["other_status"] for r in rounds["post"])
    out["pool_used"] = offset[0]
    base = out["baseline"]["rps"]
    out["ratio"] = round(out["post"]["rps"] / base, 3) if base else 0.0
    return out


def http_rounds(args: argparse.Namespace, env: dict[str, str], fx: dict[str, Any],
                work: Path, rp: dict[str, Any] | None = None) -> tuple[dict[str, Any],
                                                                       dict[str, Any] | None]:
    """Steps 3 and 4 against one server: the queue first (one connection), then, with a
    reporter `rp`, the care reports (`--clients` connections)."""
    from bench.run import RESULTS, Server

    server = Server(env, args.workers, RESULTS / "server-queue.log")
    try:
        server.wait()
        queue_out = queue_rounds(args, env, fx, work, server)
        reports_out = report_rounds(args, env, rp, work, server) if rp else None
    finally:
        server.stop()
    return queue_out, reports_out


def run(args: argparse.Namespace, env: dict[str, str], work: Path) -> dict[str, Any]:
    """For bench.run: the data, the in-process numbers, the queue's HTTP rounds and the
    care reports' (whose reports are deleted again at the end)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jeugdketen.config.settings")
    import django

    django.setup()
    left = cleanup()  # an interrupted run's reports would swell the queue
    if left:
        log(f"care reports: {left} reports of an earlier run deleted")
    data = ensure(getattr(args, "queue_reports", OPEN_REPORTS))
    fx = inprocess()
    rp = reporter(args, work)
    result: dict[str, Any] = {"data": data, "inprocess": fx["inprocess"]}
    try:
        result["http"], result["reports"] = http_rounds(args, env, fx, work, rp)
    finally:
        removed = cleanup()
        log(f"care reports: the {removed} reports of this run deleted")
    result["reports"]["deleted"] = removed
    result["reports"]["deleted_before"] = left
    result["met"] = all(result["http"][n]["p95_ms"] <= TARGET_P95_MS for n in ("api", "page"))
    result["reports_met"] = result["reports"]["ratio"] >= TARGET_REPORT_RATIO
    return result


def targets(res: dict[str, Any]) -> list[tuple[str, str, bool]]:
    """The section's targets (also in the targets table of the full report)."""
    h, rp = res["http"], res.get("reports")
    rows = [(f"GET /api/v1/queue p95 <= {TARGET_P95_MS:.0f} ms (one client, "
             f"{res['data']['open_reports']:,} open reports)", f"{h['api']['p95_ms']:.1f} ms",
             h["api"]["p95_ms"] <= TARGET_P95_MS),
            (f"Queue page p95 <= {TARGET_P95_MS:.0f} ms (one client)",
             f"{h['page']['p95_ms']:.1f} ms", h["page"]["p95_ms"] <= TARGET_P95_MS)]
    if rp:
        rows.append((f"POST /api/v1/care-reports >= {TARGET_REPORT_RATIO}x baseline "
                     f"({rp['clients']} clients)", f"{rp['ratio']:.3f}x",
                     rp["ratio"] >= TARGET_REPORT_RATIO))
    return rows


def report(res: dict[str, Any]) -> str:
    """The queue's section of docs/performance.md."""
    ip, h, rp = res["inprocess"], res["http"], res.get("reports")

    def line(label: str, x: dict[str, Any]) -> str:
        return (f"| {label} | {x['rps']:.1f} | {x['p50_ms']:.1f} | {x['p95_ms']:.1f} | "
                f"{x['requests']} | {x['errors']} |")

    def statements(name: str) -> str:
        low, high = ip[name]["queries_min"], ip[name]["queries_max"]
        return str(low) if low == high else f"{low}-{high}"

    reports_part = ""
    if rp:
        b, p = rp["baseline"], rp["post"]
        used = (f"used {rp['pool_used']:,}" if rp["pool_used"] <= rp["pool"] else
                f"used up: {rp['pool_used']:,} requests, so some persons got a second report")
        rip = rp.get("inprocess") or {}
        statements_ = (f"{rip['queries_min']}" if rip.get("queries_min") == rip.get("queries_max")
                       else f"{rip.get('queries_min')}-{rip.get('queries_max')}")
        inproc = (f" In-process (Django's test client, {rip['runs']} reports one after the "
                  f"other): {statements_} SQL statements per report, p50 {rip['p50_ms']} ms, "
                  f"p95 {rip['p95_ms']} ms." if rip else "")
        reports_part = f"""
POST /api/v1/care-reports with {rp['clients']} connections next to the baseline, against the
same server after the queue rounds (medians of {rp['rounds']} interleaved rounds; requests/s
ranged over the rounds: baseline {b['rps_min']:.0f}-{b['rps_max']:.0f}, care reports
{p['rps_min']:.0f}-{p['rps_max']:.0f}). Each request is a report by `{rp['professional']}`
({rp['organisation']}) about a different person it registered (pool {rp['pool']:,},
{used}): the policy (a ground for the person), the report in step `received` with its
triage due date, its access-log records and the chain event `care_report.received`.
{p['created']:,} created (201), {p['other_status']} other statuses.{inproc}
These reports went into the same queue after it was measured, and were deleted
afterwards ({rp['deleted']:,}; only reports with the benchmark's own question, still
`received`): the queue keeps its {res['data']['open_reports']:,} for the next run.

| Endpoint ({rp['clients']} connections) | Requests/s | p50 ms | p99 ms | x baseline | Requests | Errors |
|---|---:|---:|---:|---:|---:|---:|
| Baseline: GET /api/v1/neighbourhoods/{{code}} | {b['rps']:.0f} | {b['p50_ms']:.1f} | {b['p99_ms']:.1f} | 1.000 | {b['requests']} | {b['errors']} |
| POST /api/v1/care-reports | {p['rps']:.0f} | {p['p50_ms']:.1f} | {p['p99_ms']:.1f} | {rp['ratio']:.3f} | {p['requests']} | {p['errors']} |
"""
    target_rows = "\n".join(f"| {a} | {m} | {'met' if ok else '**missed**'} |"
                            for a, m, ok in targets(res))
    return f"""## The front door's queue (issue 11)

<!-- intake-queue: written by bench/intake_queue.py -->
{res['data']['open_reports']:,} open reports in the queue of {res['data']['municipality']}
(bulk, spread over the open steps, urgencies and 120 days), read by its front-door team
over a mix of {len(MIX)} pages, filters and orders.

| Read (in-process) | Statements | p50 ms | p95 ms |
|---|---:|---:|---:|
| `intake.queue.queue` | {statements('selector')} | {ip['selector']['p50_ms']} | {ip['selector']['p95_ms']} |
| GET /api/v1/queue | {statements('api')} | {ip['api']['p50_ms']} | {ip['api']['p95_ms']} |
| GET /voordeur/wachtrij/ | {statements('page')} | {ip['page']['p50_ms']} | {ip['page']['p95_ms']} |

HTTP, one connection (gunicorn, {h['workers']} workers, medians of {h['rounds']} rounds):

| Endpoint | Requests/s | p50 ms | p95 ms | Requests | Errors |
|---|---:|---:|---:|---:|---:|
{line('Baseline: GET /api/v1/neighbourhoods/{code}', h['baseline'])}
{line('GET /api/v1/queue', h['api'])}
{line('Queue page GET /voordeur/wachtrij/', h['page'])}
{reports_part}
| Target | Measured | |
|---|---:|---|
{target_rows}
<!-- /intake-queue -->
"""


def write_section(doc: Path, section: str) -> None:
    """Put the queue's section into docs/performance.md (bench.family.write_section)."""
    from bench.family import write_section as write

    write(doc, section, heading="## The front door's queue (issue 11)",
          end_marker="<!-- /intake-queue -->")


def main() -> None:
    parser = argparse.ArgumentParser(description="the queue's data and in-process numbers")
    parser.add_argument("--queue-reports", type=int, default=OPEN_REPORTS)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jeugdketen.config.settings")
    import django

    django.setup()
    data = ensure(args.queue_reports)
    fx = inprocess(args.runs)
    print(json.dumps({"data": data, "inprocess": fx["inprocess"]}, indent=1))


if __name__ == "__main__":
    main()
