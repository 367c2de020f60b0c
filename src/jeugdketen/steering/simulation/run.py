"""Validation and scenario runs on a calibrated model: aggregates only (the result JSON
of a SimulationRun)."""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import time
from typing import Any

from django.conf import settings

from jeugdketen.insight import stats, suppression
from jeugdketen.steering.simulation import engine, published
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


def stream_seed(seed: int) -> int:
    """The seed the engine runs on: the analyst's seed mixed with the deployment's secret
    (settings.SIMULATION_KEY). The same seed gives the same run, but whoever knows only the
    public code and their seed cannot replay a run's draws offline and read back what the
    model holds (attack round 4, R4-1: which report a draw picked, and so how many there
    were). All 256 bits of the HMAC: a stream cut to 31 bits could be found by trying
    every value against a few runs' numbers of reports (attack round 5, R5-1)."""
    digest = hmac.new(str(settings.SIMULATION_KEY).encode(),
                      f"jeugdketen-simulation:{seed}".encode(), hashlib.sha256).digest()
    return int.from_bytes(digest, "big")


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
    observed for fewer than `threshold` reports is not shown and not judged. The model
    runs on the published counts (published.model)."""
    model = published.model(observed, threshold)
    n = workers if workers is not None else workers_for(model, replications)
    runs = engine.replicate(engine.run_one, model,
                            engine.seeds_for(stream_seed(seed), replications), n)
    agg = engine.aggregate(runs)
    steps = []
    for step in engine.STEPS:
        seen = observed.waits[step]
        shown = seen["n"] >= threshold
        # A step seen fewer than `threshold` times is not shown, nor how often it was seen;
        # how often, rounded to a multiple of 10 (describe).
        row: dict[str, Any] = {"step": step, "n": (suppression.rounded(seen["n"], threshold)
                                                   if shown or not seen["n"] else None),
                               "shown": shown}
        for q in ("p50", "p90"):
            sim = agg["waits"][step][q]["mean"]
            # whole days, as insight publishes quantiles (stats.whole_days)
            obs = stats.whole_days(seen[q]) if row["shown"] else None
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


def describe(observed: Observed, threshold: int) -> dict[str, Any]:
    """The calibrated model in numbers (what the page, the API and the command show),
    every figure from counts of the twelve-month period rounded to a multiple of 10
    (insight.suppression.rounded), as insight publishes its counts: a run made a month
    later is calibrated on a period that shares eleven months, and exact counts (arrivals
    per week x weeks, a share's part and whole) subtracted would give a small month. An
    urgency with fewer than `threshold` reports shows neither its arrivals nor its intake
    share (None); a share whose part or whole is hidden is None. The model runs on the
    same rounded counts (published.model). The intake slots are the model's (a week's own
    count at the p90 of the weekly intakes, 0 when hidden); help after an intake the
    share the model runs on (a Kaplan-Meier estimate's count of helped, rounded, over the
    rounded reports with an intake), shown when at least the threshold of reports had an
    intake."""
    model = published.model(observed, threshold)
    apart = published.apart(observed, threshold)

    def count(value: int) -> int | None:
        return suppression.rounded(value, threshold)

    def share(part: int, whole: int, digits: int = 3) -> float | None:
        shown_part, shown_whole = count(part), count(whole)
        if shown_part is None or shown_whole is None:
            return None
        return round(shown_part / shown_whole, digits) if shown_whole else 0.0

    arrivals = {u: count(observed.received.get(u, 0)) for u in model.arrivals}
    triaged_all = sum(v[0] for v in observed.routed.values())
    intake_all = sum(v[1] for v in observed.routed.values())
    pooled = share(intake_all, triaged_all)
    intake_share: dict[str, float | None] = {}
    for u in model.p_intake:
        triaged, to_intake = (observed.routed.get(u) or [0, 0, 0])[:2]
        if arrivals.get(u) is None:
            intake_share[u] = None
        else:
            # its own share when its triaged count is shown, as the model (published)
            intake_share[u] = share(to_intake, triaged) if count(triaged) else pooled
    mixed = sum(observed.mix.values())
    return {
        "weeks": model.weeks,
        "arrivals_per_week": {u: None if n is None else round(n / model.weeks, 2)
                              for u, n in arrivals.items()},
        "slots_per_week": {o: round(v, 2) for o, v in model.slots.items()},
        "disciplines": ({str(k): share(observed.mix.get(k, 0), mixed) for k in (1, 2, 3)}
                        if mixed else {"1": 1.0, "2": 0.0, "3": 0.0}),
        "joint_share": share(observed.joint_multi[1], observed.joint_multi[0]),
        "intake_share": intake_share,
        # shown only for at least the threshold of reports with an intake: all of a few
        # families helped would be a 0 beside a small count (attack round 3, R3-3)
        # helped after single intakes when the model takes joint ones apart, else after any
        "help_after_intake_share": (
            None if not count(observed.followed - (observed.followed_joint if apart else 0))
            else round(model.p_help_after_intake, 2)),
        "help_after_joint_intake_share": (
            round(model.p_help_after_joint, 2) if apart and model.p_help_after_joint is not None
            else None),
        "rounded_to": suppression.step(threshold),
    }


def simulate(observed: Observed, scenario: Scenario, *, workers: int | None = None,
             threshold: int = 10) -> dict[str, Any]:
    """The scenario and the present (its baseline) with the same seeds, and their
    difference: aggregates only."""
    began = time.monotonic()
    scenario.check()
    calibrated = published.model(observed, threshold)
    model = apply(calibrated, scenario)
    present = apply(calibrated, scenario.present())
    seeds = engine.seeds_for(stream_seed(scenario.seed), scenario.replications)
    n = workers if workers is not None else workers_for(model, scenario.replications)
    baseline_runs = engine.replicate(engine.run_one, present, seeds, n)
    runs = (baseline_runs if dataclasses.replace(model) == present
            else engine.replicate(engine.run_one, model, seeds, n))
    return {
        "scenario": scenario.as_data(),
        "calibration": describe(observed, threshold),
        "baseline": engine.aggregate(baseline_runs),
        "result": engine.aggregate(runs, baseline_runs),
        "workers": n,
        "seconds": round(time.monotonic() - began, 2),
    }
