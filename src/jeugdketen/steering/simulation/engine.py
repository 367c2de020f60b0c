"""The what-if simulation's engine (issue 13): a discrete-event simulation of the front
door with SimPy. Pure: no Django, no database; calibration.py fills a `Model` from the
insight store, scenarios.py changes it.

Time is in days from the period's first day (a Monday, 00:00); a step's day is the whole
day it falls on (`floor`), and a wait is the whole days between two steps' days, as the
value stream counts them (docs/insight.md).

A report arrives (Poisson per week per urgency), is triaged
after an observed triage time, then goes to intake, straight to help, or out (advice,
closed). An intake needs 1, 2 or 3 disciplines, the organisations "1", "2", "3" (the
first, second and third organisation a family sees in today's sequential way of
working). Each organisation has a calendar of intake slots per week, spread over the
working days. Sequential: plan, wait for a slot of organisation 1, hold it, plan the
next, wait for a slot of organisation 2, ... Joint: plan one meeting on the first day
every discipline has a free slot. The earliest day a meeting can be booked is the
planning day plus the organisation's lead (observed: its standing list of bookings,
worked off at its pace, so with more slots it is worked off sooner). After the (last)
intake, help starts after an observed time, or not at all.
"""

from __future__ import annotations

import math
import random
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import simpy

URGENCIES = ("crisis", "urgent", "regular")
ORGANISATIONS = ("1", "2", "3")
STEPS = ("triage", "intake", "further_intakes", "help", "time_to_help")
WORKING_DAYS = 5


@dataclass(frozen=True)
class Model:
    """The chain's parameters (calibrated, then changed by a scenario). Day lists are
    empirical distributions (whole days); shares are 0-1."""

    weeks: int
    arrivals: dict[str, float]                      # reports per week, per urgency
    triage_days: dict[str, list[int]]               # receipt -> triage, per urgency
    p_intake: dict[str, float]                      # share triaged to an intake, per urgency
    p_direct: dict[str, float]                      # share to help without an intake
    direct_help_days: list[int]                     # triage -> help, without an intake
    disciplines: dict[int, float]                   # share needing 1, 2, 3 disciplines
    p_joint: float                                  # share of joint intakes (the present)
    planning_days: list[int]                        # decision -> intake planned
    lead_days: dict[str, list[int]]                 # planned -> earliest slot, per organisation
    joint_lead_days: list[int]                      # planned -> earliest slot, joint meeting
    slots: dict[str, float]                         # intake slots per week, per organisation
    p_help_after_intake: float                      # after single intakes (or any, see below)
    help_days: list[int]                            # last intake -> help
    # After a joint intake, when calibrated apart; None: joint intakes take the above.
    p_help_after_joint: float | None = None
    help_days_joint: list[int] = field(default_factory=list)
    lead_scale: dict[str, float] = field(default_factory=dict)  # calibrated slots / scenario slots
    arrivals_factor: float = 1.0
    way: str = "present"                            # present, joint, sequential
    horizon_weeks: int | None = None                # observe until (default: weeks + 26)


@dataclass
class Report:
    arrived: float
    urgency: str
    triaged: float | None = None
    intakes: list[float] = field(default_factory=list)
    joint: bool | None = None
    disciplines: int = 0
    queued: list[tuple[str, int]] = field(default_factory=list)  # (organisation or "joint", days)
    help: float | None = None
    out: float | None = None                         # left without help (advice, closed)


class Calendar:
    """An organisation's intake slots: `per_week` spread over the working days (a week of
    7.4 slots has days of 1 and 2), each booked at most once."""

    def __init__(self, per_week: float) -> None:
        self.per_week = max(0.0, per_week)
        self.used: dict[int, int] = {}

    def capacity(self, day: int) -> int:
        week, weekday = divmod(day, 7)
        if weekday >= WORKING_DAYS or self.per_week <= 0:
            return 0
        n = week * WORKING_DAYS + weekday
        per_day = self.per_week / WORKING_DAYS
        return math.floor((n + 1) * per_day + 1e-9) - math.floor(n * per_day + 1e-9)

    def free(self, day: int) -> bool:
        return self.used.get(day, 0) < self.capacity(day)

    def take(self, day: int) -> None:
        self.used[day] = self.used.get(day, 0) + 1


def first_free(calendars: Sequence[Calendar], earliest: int, limit: int) -> int | None:
    """The first day from `earliest` on which every calendar has a free slot (one
    calendar: its first free slot; several: the first common free moment), booked in
    each; None before `limit`."""
    day = earliest
    while day < limit:
        if all(c.free(day) for c in calendars):
            for c in calendars:
                c.take(day)
            return day
        day += 1
    return None


def _pick(rng: random.Random, values: Sequence[int], default: int = 0) -> int:
    return values[rng.randrange(len(values))] if values else default


def _poisson(rng: random.Random, mean: float) -> int:
    """Knuth's method for small means, a normal approximation above 50 (rounded, >= 0)."""
    if mean <= 0:
        return 0
    if mean > 50:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _scaled(days: int, scale: float) -> int:
    return max(0, round(days * scale))


def simulate(model: Model, seed: int) -> list[Report]:
    """One replication: every report that arrived in the model's weeks, with the moments
    it reached each step (None when not reached within the horizon)."""
    rng = random.Random(seed)
    env = simpy.Environment()
    horizon = 7 * (model.horizon_weeks if model.horizon_weeks is not None else model.weeks + 26)
    calendars = {org: Calendar(model.slots.get(org, 0.0)) for org in ORGANISATIONS}
    reports: list[Report] = []
    disciplines = sorted(model.disciplines)
    weights = [model.disciplines[k] for k in disciplines]

    def book(orgs: Sequence[str], earliest: int) -> int | None:
        return first_free([calendars[o] for o in orgs], earliest, horizon)

    def lead(rng: random.Random, org: str) -> int:
        return _scaled(_pick(rng, model.lead_days.get(org, ())), model.lead_scale.get(org, 1.0))

    def wait_until(day: float) -> Any:
        return env.timeout(max(0.0, day - env.now))

    def within(t: float) -> float | None:
        return t if t < horizon else None

    def front_door(report: Report, rng: random.Random) -> None:
        """Triage and the route need no shared state: computed at once. Only a report
        going to an intake becomes a process, since its bookings must happen in the order
        of their moments (the calendars are shared)."""
        report.triaged = within(report.arrived
                                + _pick(rng, model.triage_days.get(report.urgency, ())))
        if report.triaged is None:
            return
        r = rng.random()
        p_intake = model.p_intake.get(report.urgency, 0.0)
        if r >= p_intake:
            if r < p_intake + model.p_direct.get(report.urgency, 0.0):
                report.help = within(report.triaged + _pick(rng, model.direct_help_days))
            else:
                report.out = report.triaged
            return
        k = rng.choices(disciplines, weights)[0] if disciplines else 1
        joint = (model.way == "joint" or (model.way == "present" and k > 1
                                          and rng.random() < model.p_joint))
        report.joint = joint if k > 1 else False
        report.disciplines = k
        env.process(intakes(report, rng, ORGANISATIONS[:k], joint and k > 1))

    def intakes(report: Report, rng: random.Random, orgs: Sequence[str], joint: bool) -> Any:
        assert report.triaged is not None
        planned = report.triaged + _pick(rng, model.planning_days)
        if joint:
            yield wait_until(planned)
            scale = max(model.lead_scale.get(o, 1.0) for o in orgs)
            earliest = math.floor(env.now) + _scaled(_pick(rng, model.joint_lead_days), scale)
            day = book(orgs, earliest)
            if day is None:
                return
            report.queued.append(("joint", day - earliest))
            report.intakes.append(day + 0.5)
        else:
            for org in orgs:
                yield wait_until(planned)
                earliest = math.floor(env.now) + lead(rng, org)
                day = book([org], earliest)
                if day is None:
                    return
                report.queued.append((org, day - earliest))
                report.intakes.append(day + 0.5)
                planned = day + 0.5 + _pick(rng, model.planning_days)
        last = report.intakes[-1]
        share, days = ((model.p_help_after_joint, model.help_days_joint)
                       if joint and model.p_help_after_joint is not None
                       else (model.p_help_after_intake, model.help_days))
        if rng.random() < share:
            report.help = within(last + _pick(rng, days))
        else:
            report.out = last

    for week in range(model.weeks):
        for urgency in URGENCIES:
            n = _poisson(rng, model.arrivals.get(urgency, 0.0) * model.arrivals_factor)
            for _ in range(n):
                report = Report(arrived=7 * week + rng.random() * 7, urgency=urgency)
                # Each report its own stream: a scenario that changes one report's path
                # leaves the others' draws alone (common random numbers).
                own = random.Random((seed << 32) + len(reports))
                reports.append(report)
                front_door(report, own)

    env.run(until=horizon)
    return reports


# --- what a replication yields ----------------------------------------------------------


def days_between(a: float | None, b: float | None) -> int | None:
    if a is None or b is None:
        return None
    return math.floor(b) - math.floor(a)


def step_waits(reports: Sequence[Report]) -> dict[str, list[int]]:
    """The whole days each report waited before each step it reached (STEPS)."""
    out: dict[str, list[int]] = {s: [] for s in STEPS}
    for r in reports:
        pairs = (("triage", r.arrived, r.triaged),
                 ("intake", r.triaged, r.intakes[0] if r.intakes else None),
                 ("further_intakes", r.intakes[0] if len(r.intakes) > 1 else None,
                  r.intakes[-1] if len(r.intakes) > 1 else None),
                 ("help", r.intakes[-1] if r.intakes else None, r.help if r.intakes else None),
                 ("time_to_help", r.arrived, r.help))
        for step, a, b in pairs:
            d = days_between(a, b)
            if d is not None:
                out[step].append(d)
    return out


def waiting_list(reports: Sequence[Report], weeks: int) -> list[int]:
    """At the end of each week: the reports received and not yet helped or gone."""
    arrived = sorted(r.arrived for r in reports)
    ended = sorted(e for r in reports
                   if (e := r.help if r.help is not None else r.out) is not None)
    return [bisect_right(arrived, 7.0 * (w + 1)) - bisect_right(ended, 7.0 * (w + 1))
            for w in range(weeks)]


def quantile(values: Sequence[float], q: float) -> float | None:
    """Linear interpolation between the ordered values (DuckDB's quantile_cont)."""
    if not values:
        return None
    s = sorted(values)
    pos = (len(s) - 1) * q
    lo = math.floor(pos)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (pos - lo)


def summarise(reports: Sequence[Report], weeks: int) -> dict[str, Any]:
    """One replication's aggregates (no report in them)."""
    waits = step_waits(reports)
    return {
        "reports": len(reports),
        "waits": {s: {"n": len(v), "p50": quantile(v, 0.5), "p90": quantile(v, 0.9)}
                  for s, v in waits.items()},
        "waiting_list": waiting_list(reports, weeks),
    }


def queue_days(reports: Sequence[Report]) -> dict[str, float]:
    """The mean days a booking waited past its earliest day for a free slot, per
    organisation and for joint meetings (what the slots, not the lead, added)."""
    sums: dict[str, list[float]] = {}
    for r in reports:
        for who, days in r.queued:
            sums.setdefault(who, []).append(days)
    return {who: sum(v) / len(v) for who, v in sums.items()}


def run_one(model: Model, seed: int) -> dict[str, Any]:
    return summarise(simulate(model, seed), model.weeks)


# --- replications -----------------------------------------------------------------------

# Student's t, two-sided 95%, by degrees of freedom (1-30); 1.96 beyond.
_T95 = (12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179,
        2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064,
        2.060, 2.056, 2.052, 2.048, 2.045, 2.042)


def t95(df: int) -> float:
    return _T95[df - 1] if 1 <= df <= len(_T95) else 1.96


def interval(values: Sequence[float]) -> dict[str, float | None]:
    """The mean over replications and its 95% interval (Student's t)."""
    n = len(values)
    if n == 0:
        return {"mean": None, "low": None, "high": None}
    mean = sum(values) / n
    if n == 1:
        return {"mean": mean, "low": None, "high": None}
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1))
    half = t95(n - 1) * sd / math.sqrt(n)
    return {"mean": mean, "low": mean - half, "high": mean + half}


def replicate(fn: Callable[[Any, int], dict[str, Any]], model: Any, seeds: Sequence[int],
              workers: int = 1) -> list[dict[str, Any]]:
    """`fn(model, seed)` for every seed, in seed order; in `workers` processes when more
    than one (spawned: nothing of the caller's process, its database connections
    included, is shared)."""
    if workers <= 1 or len(seeds) <= 1:
        return [fn(model, s) for s in seeds]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
        return list(pool.map(fn, [model] * len(seeds), seeds,
                             chunksize=max(1, len(seeds) // (workers * 2))))


def seeds_for(seed: int, replications: int) -> list[int]:
    """Replication i uses random.Random(seed + i)."""
    return [seed + i for i in range(replications)]


def aggregate(runs: Sequence[dict[str, Any]], baseline: Sequence[dict[str, Any]] | None = None
              ) -> dict[str, Any]:
    """Over replications: time to help p50/p90 with 95% intervals, waits per step (the
    mean over replications of each one's median and p90), the waiting list per week (mean,
    and its 95% interval), and, against the baseline's replications with the same seeds
    (common random numbers), the paired difference with its interval."""
    def values(rs: Sequence[dict[str, Any]], step: str, q: str) -> list[float]:
        return [float(v) for r in rs if (v := r["waits"][step][q]) is not None]

    weeks = len(runs[0]["waiting_list"]) if runs else 0
    out: dict[str, Any] = {
        "replications": len(runs),
        "reports": interval([float(r["reports"]) for r in runs]),
        "time_to_help": {q: interval(values(runs, "time_to_help", q)) for q in ("p50", "p90")},
        "waits": {s: {q: interval(values(runs, s, q)) for q in ("p50", "p90")} for s in STEPS},
        "waiting_list": [interval([float(r["waiting_list"][w]) for r in runs])
                         for w in range(weeks)],
    }
    if baseline is not None:
        diff: dict[str, Any] = {}
        for q in ("p50", "p90"):
            pairs = [float(a) - float(b) for r, br in zip(runs, baseline, strict=True)
                     if (a := r["waits"]["time_to_help"][q]) is not None
                     and (b := br["waits"]["time_to_help"][q]) is not None]
            diff[q] = interval(pairs)
        out["difference"] = {"time_to_help": diff}
    return out


# --- a plain queue (the closed-form check) ----------------------------------------------


def queue_waits(arrival_rate: float, service_rate: float, servers: int, customers: int,
                seed: int) -> dict[str, Any]:
    """An M/M/c queue in SimPy (a Resource of `servers`, FIFO): the wait in the queue of
    each customer after the first tenth (the warm-up). The tests compare its mean with
    Erlang C, so the SimPy setup and the replication statistics are checked against a
    known answer."""
    rng = random.Random(seed)
    env = simpy.Environment()
    desk = simpy.Resource(env, capacity=servers)
    waits: list[float] = []

    def customer() -> Any:
        arrived = env.now
        with desk.request() as turn:
            yield turn
            waits.append(env.now - arrived)
            yield env.timeout(rng.expovariate(service_rate))

    def source() -> Any:
        for _ in range(customers):
            env.process(customer())
            yield env.timeout(rng.expovariate(arrival_rate))

    env.process(source())
    env.run()
    kept = waits[customers // 10:]
    return {"mean_wait": sum(kept) / len(kept), "customers": len(kept)}


def erlang_c_wait(arrival_rate: float, service_rate: float, servers: int) -> float:
    """The mean wait in the queue of an M/M/c queue (Erlang C)."""
    a = arrival_rate / service_rate
    rho = a / servers
    if rho >= 1:
        raise ValueError("the queue is not stable (utilisation >= 1)")
    terms = sum(a ** k / math.factorial(k) for k in range(servers))
    top = a ** servers / (math.factorial(servers) * (1 - rho))
    p_wait = top / (terms + top)
    return p_wait / (servers * service_rate - arrival_rate)
