"""Benchmark of the what-if simulation (issue 13): a region's front door of 5,000 care
reports a year, 52 weeks, 30 replications, the scenario (joint intakes) with its baseline
(the present) as the page and the API run it: target under 30 s on this machine.
Measured in the same run: the serial path (1 process) and the parallel one (2), and one
replication alone.

    .venv/bin/python -m bench.simulation [--write]   # --write: into docs/performance.md

Pure engine: no database, no Django (the calibration is not in the timing; its model is
written out here with the shape a calibrated one has)."""

from __future__ import annotations

import argparse
import os
import platform
import re
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from jeugdketen.steering.simulation import engine  # noqa: E402
from jeugdketen.steering.simulation.calibration import Observed  # noqa: E402

REPORTS_A_YEAR = 5000
TARGET_S = 30.0


def region() -> engine.Model:
    per_week = REPORTS_A_YEAR / 52
    u = ("crisis", "urgent", "regular")
    return engine.Model(
        weeks=52, arrivals={"crisis": 0.05 * per_week, "urgent": 0.2 * per_week,
                            "regular": 0.75 * per_week},
        triage_days={k: [0, 1, 1, 2, 2, 3, 4, 5, 7] for k in u},
        p_intake=dict.fromkeys(u, 0.55), p_direct=dict.fromkeys(u, 0.3),
        direct_help_days=[0, 1, 2, 4, 7, 10], disciplines={1: 0.55, 2: 0.3, 3: 0.15},
        p_joint=0.3, planning_days=[1, 1, 2, 3],
        lead_days={"1": [7, 10, 14, 18, 21, 28], "2": [10, 14, 21, 28, 35],
                   "3": [14, 21, 28, 35]},
        joint_lead_days=[5, 7, 10, 14], slots={"1": 0.6 * per_week, "2": 0.3 * per_week,
                                               "3": 0.12 * per_week},
        p_help_after_intake=0.8, help_days=[0, 3, 7, 14, 21, 30, 45])


def main() -> None:
    from django.conf import settings

    if not settings.configured:
        settings.configure(USE_I18N=False)
    from jeugdketen.steering.simulation import run
    from jeugdketen.steering.simulation.scenarios import Scenario

    parser = argparse.ArgumentParser()
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    model = region()
    observed = Observed(model=model, waits={}, start=__import__("datetime").date(2026, 1, 5),
                        reports=REPORTS_A_YEAR)
    scenario = Scenario(way="joint", weeks=52, replications=30, seed=1)
    rows = []

    def cpu() -> float:
        own, children = (resource.getrusage(resource.RUSAGE_SELF),
                         resource.getrusage(resource.RUSAGE_CHILDREN))
        return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime

    began, used = time.perf_counter(), cpu()
    reports = len(engine.simulate(model, 1))
    rows.append(("one replication (present)", 1, 1, time.perf_counter() - began, cpu() - used))
    for workers in (1, 2):
        began, used = time.perf_counter(), cpu()
        result = run.simulate(observed, scenario, workers=workers)
        rows.append((f"scenario + baseline, {workers} process(es)", 60, workers,
                     time.perf_counter() - began, cpu() - used))
    p50 = result["result"]["time_to_help"]["p50"]
    base = result["baseline"]["time_to_help"]["p50"]
    load = os.getloadavg()[0]
    lines = [
        f"Region: {REPORTS_A_YEAR} care reports a year ({reports} in replication 1), 52 "
        f"weeks (+26 to follow the last), 30 replications of the scenario (joint intakes) "
        f"and 30 of its baseline (the present), as `run.simulate` does for the page and the "
        f"API; `python -m bench.simulation` on {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, load average {load:.1f} at the end.",
        "",
        "| run | replications | processes | seconds (wall) | CPU seconds |",
        "| --- | ---: | ---: | ---: | ---: |",
        *[f"| {name} | {n} | {w} | {s:.2f} | {c:.2f} |" for name, n, w, s, c in rows],
        "",
        f"Target: under {TARGET_S:.0f} s: **{'met' if min(r[3] for r in rows[1:]) < TARGET_S else 'missed'}** "
        f"(serial {rows[1][3]:.1f} s, parallel {rows[2][3]:.1f} s; the parallel path spawns "
        f"2 processes, which pays from about {run.PARALLEL_FROM:,} reports x replications). "
        f"Time to help p50: present {base['mean']:.1f} days, joint {p50['mean']:.1f} days. "
        f"The machine is shared with other work: wall time moves with the load, CPU "
        f"seconds much less; the baseline measured in the same run is the serial path "
        f"and one replication.",
    ]
    text = "\n".join(lines)
    print(text)
    if args.write:
        doc = ROOT / "docs" / "performance.md"
        body = doc.read_text()
        block = f"<!-- simulation -->\n{text}\n<!-- /simulation -->"
        if "<!-- simulation -->" in body:
            body = re.sub(r"<!-- simulation -->.*?<!-- /simulation -->", lambda _m: block, body,
                          flags=re.S)
        else:
            body = body.rstrip("\n") + "\n\n## Simulation (issue 13)\n\n" + block + "\n"
        doc.write_text(body)


if __name__ == "__main__":
    main()
