"""Validation and scenario runs on a calibrated model: aggregates only (the result JSON
of a SimulationRun)."""

from __future__ import annotations

import dataclasses
import time
from typing import Any

from jeugdketen.steering.simulation import engine
from jeugdketen.steering.simulation.calibration import Observed
from jeugdketen.steering.simulation.scenarios import Scenario, apply

# A simulated wait passes when within this of the observed: 2 days or 15% of the observed,
# whichever is more (a day is the unit waits are counted in; 15% for the longer waits).
TOLERANCE_DAYS = 2.0
TOLERANCE_SHARE = 0.15
# ... or when the observed value lies within the spread of the replications (their 2.5th
# to 97.5th percentile): the observed period is one draw of a noisy process too, and a
# median between two groups (help straight after triage, help after weeks of intakes) moves
# by weeks from one draw to the next.
SPREAD = (0.025, 0.975)
# Replications run in two processes from this much work on (reports x replications);
# below it spawning them costs more than it gains (bench/simulation.py measures both).
PARALLEL_FROM = 20_000
WORKERS = 2


def tolerance(observed: float) -> float:
    return max(TOLERANCE_DAYS, TOLERANCE_SHARE * abs(observed))


def workers_for(model: engine.Model, replications: int) -> int:
    reports = sum(model.arrivals.values()) * model.arrivals_factor * model.weeks
    return WORKERS if reports * replications >= PARALLEL_FROM else 1


def validate(observed: Observed, *, replications: int = 30, seed: int = 1,
             threshold: int = 10, workers: int | None = None) -> dict[str, Any]:
    """Simulate the observed period with the calibrated model (today's way of working)
    and compare each step's simulated median and p90 wait (the mean over replications)
    with the observed: within the tolerance, or within the replications' spread. A step
    observed for fewer than `threshold` reports is not shown and not judged."""
    model = observed.model
    n = workers if workers is not None else workers_for(model, replications)
    runs = engine.replicate(engine.run_one, model, engine.seeds_for(seed, replications), n)
    agg = engine.aggregate(runs)
    steps = []
    for step in engine.STEPS:
        seen = observed.waits[step]
        shown = seen["n"] >= threshold
        # A step seen fewer than `threshold` times is not shown, nor how often it was seen.
        row: dict[str, Any] = {"step": step, "n": seen["n"] if shown or not seen["n"] else None,
                               "shown": shown}
        for q in ("p50", "p90"):
            sim = agg["waits"][step][q]["mean"]
            obs = seen[q] if row["shown"] else None
            each = [float(v) for r in runs if (v := r["waits"][step][q]) is not None]
            low, high = engine.quantile(each, SPREAD[0]), engine.quantile(each, SPREAD[1])
            ok = None if obs is None or sim is None else (
                abs(sim - obs) <= tolerance(obs)
                or (low is not None and high is not None and low <= obs <= high))
            row[q] = {"observed": obs, "simulated": sim, "tolerance": (
                None if obs is None else tolerance(obs)), "spread": [low, high], "passed": ok}
        judged = [row[q]["passed"] for q in ("p50", "p90") if row[q]["passed"] is not None]
        row["passed"] = all(judged) if judged else None
        steps.append(row)
    judged_steps = [s["passed"] for s in steps if s["passed"] is not None]
    return {"steps": steps, "passed": bool(judged_steps) and all(judged_steps),
            "replications": replications, "seed": seed,
            "tolerance": {"days": TOLERANCE_DAYS, "share": TOLERANCE_SHARE,
                          "spread": list(SPREAD)}}


def describe(model: engine.Model, threshold: int) -> dict[str, Any]:
    """The calibrated model in numbers (what the page and the command show). An urgency
    with fewer than `threshold` reports in the period (arrivals per week x weeks) shows
    neither its arrivals nor its intake share (None): no count below the threshold."""
    few = {u for u, v in model.arrivals.items() if 0 < round(v * model.weeks) < threshold}
    return {
        "weeks": model.weeks,
        "arrivals_per_week": {u: None if u in few else round(v, 2)
                              for u, v in model.arrivals.items()},
        "slots_per_week": {o: round(v, 2) for o, v in model.slots.items()},
        "disciplines": {str(k): round(v, 3) for k, v in model.disciplines.items()},
        "joint_share": round(model.p_joint, 3),
        "intake_share": {u: None if u in few else round(v, 3)
                         for u, v in model.p_intake.items()},
        "help_after_intake_share": round(model.p_help_after_intake, 3),
    }


def simulate(observed: Observed, scenario: Scenario, *, workers: int | None = None,
             threshold: int = 10) -> dict[str, Any]:
    """The scenario and the present (its baseline) with the same seeds, and their
    difference: aggregates only."""
    began = time.monotonic()
    scenario.check()
    model = apply(observed.model, scenario)
    present = apply(observed.model, scenario.present())
    seeds = engine.seeds_for(scenario.seed, scenario.replications)
    n = workers if workers is not None else workers_for(model, scenario.replications)
    baseline_runs = engine.replicate(engine.run_one, present, seeds, n)
    runs = (baseline_runs if dataclasses.replace(model) == present
            else engine.replicate(engine.run_one, model, seeds, n))
    return {
        "scenario": scenario.as_data(),
        "calibration": describe(observed.model, threshold),
        "baseline": engine.aggregate(baseline_runs),
        "result": engine.aggregate(runs, baseline_runs),
        "workers": n,
        "seconds": round(time.monotonic() - began, 2),
    }
