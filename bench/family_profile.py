"""The coordinator's family page, one request at a time, two versions of the code
interleaved (the CPU a page costs, on a machine shared with other work).

    .venv/bin/python -m bench.family_profile \\
        --database-url postgres://postgres@127.0.0.1:5432/jk_family_speed \\
        --a /work/main/src --b src --rounds 6 --n 30 [--cprofile b] [--same-html]

The database needs the benchmark household (src/jeugdketen/demo/bench_family.py): build a
demo (`jeugdketen demo --scale 5000 --access-log 50000 --seed 2026`), then run this once
with `--ensure` (it adds the household through the actions, as bench/family.py does).
Each round runs a fresh process per version (`--a`, `--b`: the `src` folders of two
checkouts, in alternating order), which signs the coordinator `bench.regisseur` in (a
session past the second factor, as bench/family.py does), warms up with 3 pages, then asks
GET /plannen/{id}/ `--n` times through Django's test client (the full middleware stack,
DEBUG off). Per page: the SQL statements (BEGIN/COMMIT and savepoints counted apart), the
wall time and the process CPU time (which waiting for PostgreSQL or a core does not count).
Medians and p95 over all rounds per version, with the ratio. `--cprofile a|b` prints where
one version's time goes (CPU time); `--same-html` compares the two versions' pages (the
CSRF tokens taken out).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.inprocess import ROOT, pct, profile_text, worker_env

WARMUP = 3
CSRF = re.compile(r'((?:name="csrfmiddlewaretoken" value|name="csrf-token" content)=")[^"]*(")')


def worker(n: int, cprofile: bool, ensure: bool, html_out: str) -> dict[str, Any]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jeugdketen.config.settings")
    standin = None
    if ensure:  # registering the household asks the BRP: a stand-in of our own for it
        import socket

        from jeugdketen.brp.standin import process

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        os.environ["JEUGDKETEN_BRP_STANDIN_PORT"] = str(port)
        os.environ.pop("JEUGDKETEN_BRP_URL", None)
        db = os.environ.get("JEUGDKETEN_BRP_STANDIN_DB") or str(ROOT / "var/brp-standin.sqlite3")
        standin = process.start(port=port, db=db)
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from bench.family import MUNICIPALITY, logged_in
    from jeugdketen.demo import bench_family

    settings.ALLOWED_HOSTS = ["*"]
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    try:
        fam = (bench_family.ensure(municipality_code=MUNICIPALITY) if ensure
               else bench_family.find())
    finally:
        if standin is not None:
            process.stop(standin)
    if fam is None:
        raise SystemExit("no benchmark household: run once with --ensure")
    client = logged_in(fam.coordinator.user)
    path = reverse("plan", args=[fam.plan.pk])
    profiler = None
    samples = []
    body = b""
    for i in range(WARMUP + n):
        if i == WARMUP and cprofile:
            import cProfile

            profiler = cProfile.Profile(time.process_time)  # CPU, not waiting
            profiler.enable()
        with CaptureQueriesContext(connection) as captured:
            cpu0, wall0 = time.process_time(), time.perf_counter()
            response = client.get(path)
            wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
        if response.status_code != 200:
            raise SystemExit(f"HTTP {response.status_code}: {response.content[:300]!r}")
        body = response.content
        if i >= WARMUP:
            sql = [q["sql"] for q in captured.captured_queries]
            other = sum(s.startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "BEGIN", "COMMIT"))
                        for s in sql)
            samples.append({"wall_ms": wall * 1000, "cpu_ms": cpu * 1000,
                            "statements": len(sql) - other, "transaction": other})
    out: dict[str, Any] = {"vendor": connection.vendor, "samples": samples,
                           "bytes": len(body)}
    if html_out:
        Path(html_out).write_bytes(CSRF.sub(rb"\1-\2".decode(), body.decode()).encode())
    if profiler is not None:
        out["profile"] = profile_text(profiler, sort="cumulative", lines=60)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--a", default="", help="src folder of version A (e.g. main's)")
    parser.add_argument("--b", default=str(ROOT / "src"), help="src folder of version B")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--n", type=int, default=30)
    parser.add_argument("--cprofile", choices=["", "a", "b"], default="")
    parser.add_argument("--ensure", action="store_true",
                        help="add the benchmark household when it is missing")
    parser.add_argument("--same-html", action="store_true",
                        help="compare the pages of the two versions (CSRF tokens out)")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--html-out", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.n, bool(args.cprofile), args.ensure, args.html_out)))
        return
    versions = {k: str(Path(v).resolve()) for k, v in {"a": args.a, "b": args.b}.items() if v}
    results: dict[str, list[dict[str, Any]]] = {k: [] for k in versions}
    profiles: dict[str, str] = {}
    loads: list[float] = []
    vendor = ""
    pages = Path(tempfile.mkdtemp(prefix="family-page-"))  # the pages, for --same-html
    for r in range(args.rounds):
        order = list(versions) if r % 2 == 0 else list(reversed(versions))
        for k in order:
            env = worker_env(versions[k], args.database_url)
            cmd = [sys.executable, "-m", "bench.family_profile", "--worker", "--n", str(args.n)]
            if args.cprofile == k and r == 0:
                cmd += ["--cprofile", k]
            if args.ensure and r == 0:
                cmd += ["--ensure"]
            if args.same_html and r == 0:
                cmd += ["--html-out", str(pages / f"{k}.html")]
            loads.append(os.getloadavg()[0])
            done = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True,
                                  check=False)
            if done.returncode:
                raise SystemExit(f"{k}: {done.stderr[-3000:]}")
            out = json.loads(done.stdout.strip().splitlines()[-1])
            vendor = out["vendor"]
            results[k].extend(out["samples"])
            if "profile" in out:
                profiles[k] = out["profile"]
            print(f"round {r + 1}/{args.rounds} {k}: cpu p50 "
                  f"{statistics.median(s['cpu_ms'] for s in out['samples']):.2f} ms, "
                  f"{out['bytes']} bytes, load {loads[-1]:.1f}", file=sys.stderr)
    summary: dict[str, Any] = {"vendor": vendor, "rounds": args.rounds, "n": args.n,
                               "loadavg_1m": [round(min(loads), 1), round(max(loads), 1)]}
    for k, samples in results.items():
        cpu = [s["cpu_ms"] for s in samples]
        wall = [s["wall_ms"] for s in samples]
        summary[k] = {"src": versions[k], "pages": len(samples),
                      "statements": sorted({s["statements"] for s in samples}),
                      "transaction": sorted({s["transaction"] for s in samples}),
                      "cpu_p50_ms": round(statistics.median(cpu), 2),
                      "cpu_p95_ms": round(pct(cpu, 95), 2),
                      "wall_p50_ms": round(statistics.median(wall), 2),
                      "wall_p95_ms": round(pct(wall, 95), 2)}
    if "a" in summary and "b" in summary:
        summary["b_over_a_cpu_p50"] = round(summary["b"]["cpu_p50_ms"]
                                            / summary["a"]["cpu_p50_ms"], 3)
    if args.same_html and len(versions) == 2:
        summary["same_html"] = (pages / "a.html").read_text() == (pages / "b.html").read_text()
        summary["pages_dir"] = str(pages)
    for k, text in profiles.items():
        print(f"--- cProfile of {k} ---\n{text}", file=sys.stderr)
    print(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main()
