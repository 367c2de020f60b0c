"""The insight benchmark (issue 12): 10 million chain events (2.5 million trajectories, in
neighbourhoods all over the country).

    python -m bench.insight [--trajectories 2500000] [--new-events 100000] [--rounds 5]

1. A PostgreSQL database of its own (default jeugdketen_bench_insight), migrated, with the
   country's areas: 342 municipalities, 3,300 districts and 14,000 neighbourhoods
   (synthetic CBS-shaped codes; a refresh copies the areas from the registry, so they live
   there), and an analyst of the largest municipality for the page.
2. The store (a directory of its own under bench/results/): `--trajectories` synthetic
   trajectories written straight into its events table in DuckDB (care reports with
   triage, intakes, plans with goals, evaluations and closes, advice closes; two years;
   about four events each), then `derive_all` and a publish, as a full refresh would leave
   it; the store's last copied id is the last synthetic event.
3. Refresh: `--new-events` new chain events in PostgreSQL (new reports and the next events
   of existing trajectories), then `insight.refresh.refresh()` copies them, re-derives the
   trajectories they touch and publishes. Target: under 10 s.
4. Each KPI per area, side by side with the same figure written by hand in DuckDB over the
   raw events: help that helps and time to help for the largest municipality (per
   district) and for its largest district (per neighbourhood). Cold = a new connection to
   the published file, first query; warm = the median of `--rounds` repeats. Targets:
   cold within 1.5x of the hand-written query's cold, warm under 100 ms.
5. The dashboard page (GET /inzicht/ for the municipality and the last 12 months)
   in-process through Django's test client with the full middleware stack, as the
   analyst: p95 server time over `--page-requests`. Target: at most 300 ms. The figures
   are kept per published snapshot (insight.views.cached_sections), so the first view
   after a refresh computes them and is reported on its own.

The results print as JSON and, with --write-doc, go to docs/performance.md under
"## Insight (issue 12)".
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
MUNICIPALITIES, DISTRICTS, NEIGHBOURHOODS = 342, 3300, 14000
START = date(2024, 12, 1)
DAYS = 730
END = START + timedelta(days=DAYS)  # the synthetic history ends here
ANALYST = "bench.analist"
TARGET_REFRESH_S = 10.0
TARGET_COLD_RATIO = 1.5
TARGET_WARM_MS = 100.0
TARGET_PAGE_P95_MS = 300.0


def log(msg: str) -> None:
    print(f"[bench insight {datetime.now(UTC):%H:%M:%S}Z] {msg}", file=sys.stderr, flush=True)


# --- 1. the database ---------------------------------------------------------------------


def setup_django(db: str, store_dir: Path) -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db]).fetchone():
            log(f"creating database {db}")
            conn.execute(f'CREATE DATABASE "{db}"')
    os.environ["DATABASE_URL"] = f"{PG}/{db}"
    os.environ["JEUGDKETEN_INSIGHT_DIR"] = str(store_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jeugdketen.config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def municipality_code(n: int) -> str:
    return f"GM{n + 5000:04d}"  # GM5000-GM5341: no real municipality's code


def ensure_areas() -> None:
    """The synthetic country in the registry (once)."""
    from jeugdketen.registry.models import District, Municipality, Neighbourhood

    if Neighbourhood.objects.filter(code__startswith="BU9").count() >= NEIGHBOURHOODS:
        return
    log("writing the country's areas into the registry")
    Municipality.objects.bulk_create(
        [Municipality(code=municipality_code(m), name=f"Benchgemeente {m}")
         for m in range(MUNICIPALITIES)],
        ignore_conflicts=True)
    District.objects.bulk_create(
        [District(code=f"WK9{d:05d}", name=f"Benchwijk {d}",
                  municipality_id=municipality_code(d % MUNICIPALITIES))
         for d in range(DISTRICTS)],
        ignore_conflicts=True, batch_size=2000)
    Neighbourhood.objects.bulk_create(
        [Neighbourhood(code=f"BU9{n:07d}", name=f"Benchbuurt {n}",
                       district_id=f"WK9{n % DISTRICTS:05d}") for n in range(NEIGHBOURHOODS)],
        ignore_conflicts=True, batch_size=2000)


def biggest_areas(con: Any) -> tuple[str, str]:
    """The municipality with the most trajectories, and its district with the most."""
    municipality = con.execute(
        "SELECT municipality_code FROM trajectories GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1"
    ).fetchone()[0]
    district = con.execute(
        "SELECT district_code FROM trajectories WHERE municipality_code = ? GROUP BY 1 "
        "ORDER BY count(*) DESC, 1 LIMIT 1", [municipality]).fetchone()[0]
    return str(municipality), str(district)


# --- 2. the store ------------------------------------------------------------------------

# Per trajectory kind (i % 10): 0-3 a care report to a joint or single intake and a plan,
# 4-6 a plan started directly with a goal and an evaluation, 7-9 a report closed with
# advice. 85 in 100 plans are closed; reasons, satisfaction and outcomes vary with r. The
# front door of the municipality acts on reports and intakes, one of its 40 providers on
# the plan.
_STEPS = [
    ("kind < 4 OR kind >= 7", "care_report.received", "0",
     "'{\"reporter\":\"professional\",\"urgency\":\"' || CASE WHEN r < 5 THEN 'crisis' "
     "WHEN r < 25 THEN 'urgent' ELSE 'regular' END || '\",\"unsafe\":false,\"life_domains\":2}'"),
    ("kind < 4 OR kind >= 7", "care_report.triaged", "1 + r % 5",
     "'{\"decision\":\"' || CASE WHEN kind < 4 THEN 'joint_intake' ELSE 'advice' END "
     "|| '\",\"working_days\":1}'"),
    ("kind < 4", "intake.held", "10 + r % 25",
     "'{\"joint\":' || CASE WHEN r % 2 = 0 THEN 'true' ELSE 'false' END "
     "|| ',\"disciplines\":2,\"days_since_report\":20}'"),
    ("kind < 7", "plan.started", "CASE WHEN kind < 4 THEN 36 + r % 30 ELSE 0 END",
     "'{\"origin\":\"' || CASE WHEN kind < 4 THEN 'care_report' ELSE 'direct' END "
     "|| '\",\"household_size\":3,\"started_by\":\"coordinator\","
     "\"coordinator_organisation_id\":' || org || '}'"),
    ("kind >= 4 AND kind < 7", "goal.set", "1", "'{\"weight\":5,\"persons\":1}'"),
    ("kind < 4", "plan_action.planned", "40 + r % 30",
     "'{\"budget_eur\":\"750.00\",\"product_code\":\"45A48\",\"informal\":false}'"),
    ("kind >= 4 AND kind < 7", "evaluation.recorded", "60",
     "'{\"t_score\":50,\"goals\":1,\"final\":false,\"day\":60}'"),
    ("kind < 7 AND r < 85", "plan.closed", "150 + r",
     "'{\"reason_code\":\"' || CASE WHEN r < 8 THEN '03' WHEN r < 12 THEN '04' ELSE '01' END "
     "|| '\",\"can_continue_without_help\":' || CASE WHEN r % 4 = 0 THEN 'false' ELSE 'true' END "
     "|| ',\"satisfaction\":' || (5 + r % 6) || ',\"final_t_score\":' || (40 + r % 25) "
     "|| ',\"costs_spent_eur\":\"1200.00\",\"budget_eur\":\"1500.00\",\"days_open\":150}'"),
    ("kind >= 7", "care_report.closed", "1 + r % 5", "'{\"reason\":\"advice\"}'"),
]


def build_store(trajectories: int) -> dict[str, Any]:
    """The synthetic log straight into the work file, derived and published."""
    from jeugdketen.insight import derive, store
    from jeugdketen.insight.refresh import refresh

    con = store.connect_for_write()
    have = con.execute("SELECT count(*) FROM events").fetchone()[0]
    con.close()
    if have:
        log(f"the store holds {have:,} events already")
        return {"events": have, "built_s": None}
    refresh()  # the schema, the areas, organisations and norms from the registry
    con = store.connect_for_write()
    began = time.monotonic()
    households = int(trajectories * 0.8)
    con.execute(f"""
        CREATE TEMP TABLE tj AS
        SELECT i, i % 10 AS kind,
               TIMESTAMP '{START} 08:00:00' + to_days(CAST(hash(i) % {DAYS} AS INTEGER))
                 + to_minutes(CAST(hash(i * 7) % 480 AS INTEGER)) AS t0,
               printf('BU9%07d', hash(i * 3) % {NEIGHBOURHOODS}) AS nb,
               -- the municipality's front door acts on reports and intakes; one of its 40
               -- providers coordinates the plan
               100000 + (hash(i * 3) % {NEIGHBOURHOODS}) % {DISTRICTS} % {MUNICIPALITIES}
                   AS door,
               'h' || CAST(i % {households} AS VARCHAR) AS hh,
               'k' || CAST(i AS VARCHAR) AS tk,
               1 + ((hash(i * 3) % {NEIGHBOURHOODS}) % {DISTRICTS} % {MUNICIPALITIES}) * 40
                   + CAST(hash(i * 5) % 40 AS BIGINT) AS org,
               CAST(hash(i * 11) % 100 AS INTEGER) AS r
        FROM range({trajectories}) x(i)""")  # noqa: S608 (constants and numbers only)
    con.execute("CREATE TEMP TABLE ev (happened_at TIMESTAMP, activity VARCHAR, "
                "trajectory_key VARCHAR, household_key VARCHAR, organisation_id BIGINT, "
                "neighbourhood_code VARCHAR, attributes VARCHAR)")
    for where, activity, offset, attributes in _STEPS:
        moment = f"t0 + to_days(CAST({offset} AS INTEGER))"
        actor = "org" if activity.startswith(("plan", "goal", "evaluation")) else "door"
        con.execute(f"INSERT INTO ev SELECT {moment}, '{activity}', tk, hh, {actor}, nb, "  # noqa: S608
                    f"{attributes} FROM tj WHERE ({where}) AND {moment} < TIMESTAMP '{END}'")
    con.execute("""
        INSERT INTO events
        SELECT row_number() OVER (ORDER BY happened_at), happened_at,
               CAST(timezone('Europe/Amsterdam', timezone('UTC', happened_at)) AS DATE),
               activity, trajectory_key, '', household_key, organisation_id,
               neighbourhood_code, CAST(attributes AS JSON)
        FROM ev""")
    con.execute("DROP TABLE ev")
    con.execute("DROP TABLE tj")
    events = con.execute("SELECT count(*), max(id) FROM events").fetchone()
    written = time.monotonic() - began
    began = time.monotonic()
    derive.derive_all(con)
    derived = time.monotonic() - began
    store.set_meta(con, "last_id", str(events[1]))
    store.set_meta(con, "recheck_from", str(events[1]))
    con.execute("CHECKPOINT")
    con.close()
    store.publish()
    log(f"store: {events[0]:,} events written in {written:.1f} s, derived in {derived:.1f} s")
    return {"events": int(events[0]), "written_s": round(written, 1),
            "derive_all_s": round(derived, 1)}


# --- 3. refresh --------------------------------------------------------------------------


def add_new_events(count: int) -> dict[str, Any]:
    """`count` new chain events in PostgreSQL, after the store's last id: a third new care
    reports, the rest the next events of existing trajectories (evaluations, closes)."""
    from django.db import connection

    from jeugdketen.insight import store

    con = store.connect_for_write()
    last = int(store.get_meta(con, "last_id") or 0)
    trajectories = con.execute("SELECT count(*) FROM trajectories").fetchone()[0]
    con.close()
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM chainlog_chainevent")
        if cursor.fetchone()[0] > last:
            raise SystemExit("the database holds events after the store's: rebuild the store "
                             "(delete its directory) for a clean measurement")
        cursor.execute("SELECT setval(pg_get_serial_sequence('chainlog_chainevent', 'id'), %s)",
                       [last])
        cursor.execute("""
            INSERT INTO chainlog_chainevent (at, activity, trajectory_key, person_key,
                household_key, organisation_id, neighbourhood_code, attributes)
            SELECT now() - (%(count)s - g) * interval '1 second',
                   CASE WHEN g %% 3 = 0 THEN 'care_report.received'
                        WHEN g %% 3 = 1 THEN 'evaluation.recorded' ELSE 'plan.closed' END,
                   CASE WHEN g %% 3 = 0 THEN 'n' || g
                        ELSE 'k' || ((g * 7919) %% %(trajectories)s) END,
                   '', 'h' || ((g * 104729) %% %(households)s), 7,
                   'BU9' || lpad(((g * 31) %% %(hoods)s)::text, 7, '0'),
                   CASE WHEN g %% 3 = 0
                        THEN '{"reporter": "family", "urgency": "regular", "unsafe": false}'
                        WHEN g %% 3 = 1 THEN '{"t_score": 52, "final": false}'
                        ELSE '{"reason_code": "01", "can_continue_without_help": true}'
                   END::jsonb
            FROM generate_series(1::bigint, %(count)s) g""",
                       {"count": count, "trajectories": trajectories,
                        "households": int(trajectories * 0.8), "hoods": NEIGHBOURHOODS})
    return {"new_events": count}


def time_refresh() -> dict[str, Any]:
    from jeugdketen.insight import store
    from jeugdketen.insight.refresh import refresh

    store.forget_reader()
    began = time.monotonic()
    result = refresh()
    took = time.monotonic() - began
    log(f"refresh: {result.as_dict()} in {took:.2f} s")
    return {"seconds": round(took, 2), **result.as_dict(), "met": took < TARGET_REFRESH_S}


# --- 4. the KPIs -------------------------------------------------------------------------

# The same figures written by hand over the raw events: each trajectory's facts from its
# events, then the closes of the period with their households' returns.
_HAND_TRAJECTORIES = """
WITH t AS (
    SELECT trajectory_key,
           arg_max(household_key, id) FILTER (WHERE household_key <> '') AS hh,
           arg_max(neighbourhood_code, id) FILTER (WHERE neighbourhood_code <> '') AS nb,
           min(happened_at) FILTER (WHERE activity IN ('care_report.received', 'plan.started'))
               AS first_at,
           min(happened_at) FILTER (WHERE activity = 'plan.started') AS plan_at,
           max(happened_at) FILTER (WHERE activity = 'plan.closed') AS closed_at,
           arg_max(attributes->>'can_continue_without_help', id)
               FILTER (WHERE activity = 'plan.closed') AS ok
    FROM events WHERE trajectory_key <> ''
    GROUP BY trajectory_key
),
c AS (
    SELECT t.*, a.{group_column} AS grp
    FROM t JOIN areas a ON a.neighbourhood_code = t.nb
    WHERE a.{scope_column} = $area AND t.plan_at IS NOT NULL AND t.first_at IS NOT NULL
      AND t.closed_at >= $start AND t.closed_at < $end
),
r AS (
    SELECT c.trajectory_key,
           bool_or(n.first_at > c.closed_at
                   AND n.first_at <= c.closed_at + to_days(182)) AS returned
    FROM c LEFT JOIN t n ON n.hh = c.hh AND c.hh IS NOT NULL
    GROUP BY c.trajectory_key
),
h AS (
    SELECT c.grp, c.first_at, c.plan_at,
           coalesce(c.ok = 'true', false) AND NOT coalesce(r.returned, false) AS helped
    FROM c JOIN r USING (trajectory_key)
)
"""
HAND_HELP_THAT_HELPS = _HAND_TRAJECTORIES + """
SELECT grp, count(*) AS n, count(*) FILTER (WHERE helped) AS helped
FROM h GROUP BY ROLLUP (grp)"""
HAND_TIME_TO_HELP = _HAND_TRAJECTORIES + """
SELECT grp, count(*) AS n,
       quantile_cont(date_diff('day', CAST(first_at AS DATE), CAST(plan_at AS DATE)), 0.5),
       quantile_cont(date_diff('day', CAST(first_at AS DATE), CAST(plan_at AS DATE)), 0.9)
FROM h WHERE helped GROUP BY ROLLUP (grp)"""

LEVEL_COLUMNS = {"GM": ("municipality_code", "district_code"),
                 "WK": ("district_code", "neighbourhood_code")}


def _timed(call: Any) -> float:
    began = time.perf_counter()
    call()
    return (time.perf_counter() - began) * 1000


def _fresh_connection() -> Any:
    import duckdb

    from jeugdketen.insight import store

    return duckdb.connect(str(store.published_path()), read_only=True)


def kpis(area: str, rounds: int) -> list[dict[str, Any]]:
    from jeugdketen.insight import kpis as k
    from jeugdketen.insight.scope import Scope

    scope = Scope(area, END - timedelta(days=365), END, END + timedelta(days=200))
    scope_column, group_column = LEVEL_COLUMNS[area[:2]]
    params = {"area": area, "start": datetime.combine(scope.start, datetime.min.time()),
              "end": datetime.combine(scope.end, datetime.min.time())}
    out = []
    for name, ours, hand in (
            ("help that helps", k.help_that_helps, HAND_HELP_THAT_HELPS),
            ("time to help", k.time_to_help, HAND_TIME_TO_HELP)):
        hand_sql = hand.format(scope_column=scope_column, group_column=group_column)

        def run_ours(con: Any, ours: Any = ours) -> None:
            ours(con, scope, threshold=10)

        def run_hand(con: Any, hand_sql: str = hand_sql) -> None:
            con.execute(hand_sql, params).fetchall()

        cold_ours, cold_hand, warm_ours, warm_hand = [], [], [], []
        for _ in range(rounds):  # interleaved: each round both, cold then warm
            con = _fresh_connection()
            cold_ours.append(_timed(lambda con=con: run_ours(con)))
            warm_ours.append(_timed(lambda con=con: run_ours(con)))
            con.close()
            con = _fresh_connection()
            cold_hand.append(_timed(lambda con=con: run_hand(con)))
            warm_hand.append(_timed(lambda con=con: run_hand(con)))
            con.close()
        row = {"kpi": name, "area": area,
               "cold_ms": round(statistics.median(cold_ours), 1),
               "hand_cold_ms": round(statistics.median(cold_hand), 1),
               "warm_ms": round(statistics.median(warm_ours), 1),
               "hand_warm_ms": round(statistics.median(warm_hand), 1)}
        row["cold_ratio"] = round(row["cold_ms"] / row["hand_cold_ms"], 3)
        row["met"] = (row["cold_ratio"] <= TARGET_COLD_RATIO
                      and row["warm_ms"] < TARGET_WARM_MS)
        log(f"{name} {area}: {row}")
        out.append(row)
    return out


# --- 5. the page -------------------------------------------------------------------------


def page(area: str, requests: int) -> dict[str, Any]:
    from django.conf import settings
    from django.contrib.auth import get_user_model

    from jeugdketen.core.vocabulary import Role
    from jeugdketen.registry.models import Organisation, Professional

    settings.ALLOWED_HOSTS = ["*"]
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    organisation, _ = Organisation.objects.get_or_create(
        name="Benchgemeente (analyse)", defaults={"kind": "municipality", "municipality_id": area})
    user = get_user_model().objects.filter(username=ANALYST).first()
    if user is None:
        user = get_user_model().objects.create_user(ANALYST, password="bench-not-a-secret")
        Professional.objects.create(user=user, organisation=organisation, full_name="Bench Analist",
                                    email="analist@bench.invalid",
                                    roles=[Role.MUNICIPAL_ANALYST.value])
    from bench.family import logged_in

    client = logged_in(user)
    url = f"/inzicht/?gebied={area}&tot={END - timedelta(days=1)}"  # the twelve months to END
    began = time.perf_counter()
    first = client.get(url)
    first_ms = (time.perf_counter() - began) * 1000
    if first.status_code != 200:
        raise SystemExit(f"the page answered {first.status_code}: {first.content[:500]!r}")
    times = [_timed(lambda: client.get(url)) for _ in range(requests)]
    times.sort()
    p95 = times[max(0, int(len(times) * 0.95) - 1)]
    row = {"url": url, "requests": requests, "first_ms": round(first_ms, 1),
           "p50_ms": round(statistics.median(times), 1),
           "p95_ms": round(p95, 1), "met": p95 <= TARGET_PAGE_P95_MS}
    log(f"page: {row}")
    return row


# --- report ------------------------------------------------------------------------------


def report(res: dict[str, Any]) -> str:
    def yes(ok: bool) -> str:
        return "met" if ok else "**missed**"

    r = res["refresh"]
    lines = [
        "## Insight (issue 12)", "",
        f"Run {res['when']} on {res['machine']}: `python -m bench.insight` "
        f"({res['store']['events']:,} chain events, {res['trajectories']:,} trajectories in "
        f"{NEIGHBOURHOODS:,} neighbourhoods of {MUNICIPALITIES} municipalities; "
        "bench/insight.py says how they are made).", "",
        "| measure | result | target | |", "|---|---|---|---|",
        f"| refresh of {res['new_events']:,} new events (copy, derive {r['trajectories']:,} "
        f"trajectories, publish) | {r['seconds']} s | < {TARGET_REFRESH_S:.0f} s | "
        f"{yes(r['met'])} |",
    ]
    for k in res["kpis"]:
        lines.append(
            f"| {k['kpi']}, {k['area']} per {'district' if k['area'][:2] == 'GM' else 'neighbourhood'}"
            f" | cold {k['cold_ms']} ms (by hand over the raw events {k['hand_cold_ms']} ms: "
            f"{k['cold_ratio']}x); warm {k['warm_ms']} ms (by hand {k['hand_warm_ms']} ms) | "
            f"cold <= {TARGET_COLD_RATIO}x, warm < {TARGET_WARM_MS:.0f} ms | {yes(k['met'])} |")
    if res.get("page"):
        p = res["page"]
        lines.append(f"| dashboard page, one client, server time, the municipality's default "
                     f"view | p50 {p['p50_ms']} ms, p95 {p['p95_ms']} ms | p95 <= "
                     f"{TARGET_PAGE_P95_MS:.0f} ms | {yes(p['met'])} |")
        lines.append(f"| the same page, first view after a refresh (the figures computed, "
                     f"not yet kept for the snapshot) | {p['first_ms']} ms | | |")
    if res["store"].get("derive_all_s") is not None:
        lines += ["", f"Building the store took {res['store']['written_s']} s for the events "
                  f"and {res['store']['derive_all_s']} s for `derive_all` (a full rebuild)."]
    lines += ["", "<!-- /insight -->", ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="jeugdketen_bench_insight")
    parser.add_argument("--trajectories", type=int, default=2_500_000)
    parser.add_argument("--new-events", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--page-requests", type=int, default=40)
    parser.add_argument("--no-page", action="store_true")
    parser.add_argument("--page-only", action="store_true",
                        help="only the page, on the store as it is")
    parser.add_argument("--write-doc", action="store_true")
    args = parser.parse_args()
    store_dir = ROOT / "bench" / "results" / f"insight-{args.db}-{args.trajectories}"
    setup_django(args.db, store_dir)
    ensure_areas()
    res: dict[str, Any] = {"when": f"{datetime.now(UTC):%Y-%m-%d %H:%M}Z",
                           "machine": f"{os.cpu_count()} cores",
                           "trajectories": args.trajectories, "new_events": args.new_events}
    if args.page_only:
        from jeugdketen.insight import store

        print(json.dumps(page(biggest_areas(store.reader())[0], args.page_requests), indent=1))
        return
    res["store"] = build_store(args.trajectories)
    add_new_events(args.new_events)
    res["refresh"] = time_refresh()
    from jeugdketen.insight import store

    municipality, district = biggest_areas(store.reader())
    res["kpis"] = kpis(municipality, args.rounds) + kpis(district, args.rounds)
    if not args.no_page:
        res["page"] = page(municipality, args.page_requests)
    print(json.dumps(res, indent=1))
    if args.write_doc:
        from bench.family import write_section

        write_section(ROOT / "docs" / "performance.md", report(res),
                      heading="## Insight (issue 12)", end_marker="<!-- /insight -->")


if __name__ == "__main__":
    main()
