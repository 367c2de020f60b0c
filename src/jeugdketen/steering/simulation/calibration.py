"""Calibrating the simulation on the insight store ONLY (insight.store.reader(): the
`trajectories` and `events` tables), for a municipality's care reports received in a
period. Everything is a count or an empirical distribution of whole days (days in the
Netherlands, as the value stream counts them); no person leaves this module.

- arrivals: care reports received per week, per urgency;
- triage: the days from receipt to triage, per urgency; the share triaged to an intake,
  and to help without one (per urgency; the pooled figure when an urgency has fewer than
  MIN_GROUP reports);
- intakes, from the `intake.planned` and `intake.held` events (each held meeting paired
  with the earliest planned one not yet held): a single intake's position in the family's
  sequence is its organisation ("1", "2", "3"); the days from deciding (triage, or the
  previous intake) to planning; the days from planning to the meeting per organisation,
  and for a joint meeting; the share of joint meetings among reports needing more than
  one discipline; the disciplines a report needed (a joint meeting's `disciplines`, or
  the number of single intakes held);
- intake slots per organisation: the 90th percentile of the intakes it held per week in
  the period (a joint meeting uses a slot of every discipline at it): in its busier
  weeks an organisation shows what it can hold. An estimate: the events do not name the
  organisation holding an intake, so organisation "2" is whoever a family sees second;
- help: the days from the last intake to help, and the share helped: the Kaplan-Meier
  estimate over every intake of the period, the ones not helped by today right-censored
  at their days followed so far (`_after_intake`).

Every other distribution of days takes only the steps begun SETTLE_DAYS or more before
today (when there are MIN_GROUP of them): one begun lately is seen only when it was short.
Help after the intakes does not: its waits are of two kinds (help on the intake's own day,
a plan; weeks later, a referral) whose mix changes over the year (a busy spell of plans),
and the older intakes alone gave the whole year the older months' mix (issue 13: on the
demo the help step's p90 came out 22 days against 39 observed).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from jeugdketen.insight.scope import Scope
from jeugdketen.insight.value_stream import local_day
from jeugdketen.steering.simulation.engine import (
    ORGANISATIONS,
    STEPS,
    URGENCIES,
    Model,
    quantile,
)

MIN_GROUP = 10
SETTLE_DAYS = 120


@dataclass(frozen=True)
class HelpApart:
    """Help after the last intake, after single intakes and after a joint one apart: each
    the share helped and the days to it (_after_intake)."""

    single_share: float
    single_days: list[int]
    joint_share: float
    joint_days: list[int]


@dataclass(frozen=True)
class Observed:
    """What the store shows for the period: the calibrated model, the observed waits per
    step (whole days: n, p50, p90) and the waiting list per week."""

    model: Model
    waits: dict[str, dict[str, Any]]
    start: date                       # the Monday of the period's first week
    reports: int
    # The counts behind the model's shares, for showing them from rounded counts
    # (run.describe): per urgency [triaged, to an intake, to help directly]; reports per
    # number of disciplines (1, 2, 3); [needing more than one, of which joint].
    routed: dict[str, list[int]] = field(default_factory=dict)
    mix: dict[int, int] = field(default_factory=dict)
    joint_multi: list[int] = field(default_factory=lambda: [0, 0])
    followed: int = 0  # reports with an intake held (behind the share helped after one)
    followed_joint: int = 0  # of which after a joint intake
    # Help after single and after joint intakes apart (when each has MIN_GROUP reports);
    # published.model takes it when both counts are shown.
    help_apart: HelpApart | None = None
    # The triage days of each urgency's own reports, and of all (published.model takes an
    # urgency's own when its count is shown).
    triage_own: dict[str, list[int]] = field(default_factory=dict)
    triage_pooled: list[int] = field(default_factory=list)
    # the intakes each organisation held per week of the period (behind its slots)
    intakes_weekly: dict[str, list[int]] = field(default_factory=dict)
    # the single intakes' leads of all organisations (a joint meeting's when its count is
    # hidden: published.model)
    single_leads: list[int] = field(default_factory=list)
    # published.model's models, per threshold (made once: each takes a simulation)
    published: dict[int, Model] = field(default_factory=dict, init=False, compare=False,
                                        repr=False)
    received: dict[str, int] = field(default_factory=dict)  # reports per urgency


def _day(value: Any) -> int | None:
    return None if value is None else value.toordinal()


def _span(a: int | None, b: int | None) -> int | None:
    return None if a is None or b is None else b - a


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def _fetch(con: Any, scope: Scope, start: date) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    column = scope.column  # municipality_code, district_code or neighbourhood_code
    rows = con.execute(f"""
        SELECT trajectory_key, coalesce(urgency, 'regular'),
               {local_day('first_contact_at')}, {local_day('triaged_at')},
               {local_day('help_started_at')}
        FROM trajectories
        WHERE origin = 'care_report' AND {column} = ?
          AND {local_day('first_contact_at')} >= ? AND {local_day('first_contact_at')} < ?
        ORDER BY trajectory_key""", [scope.area, start, scope.end]).fetchall()  # noqa: S608 (column from Scope)
    events = con.execute(f"""
        SELECT e.trajectory_key, e.activity, e.day,
               coalesce(TRY_CAST(e.attributes->>'joint' AS BOOLEAN), false),
               TRY_CAST(e.attributes->>'disciplines' AS INTEGER)
        FROM events e
        JOIN trajectories t USING (trajectory_key)
        WHERE t.origin = 'care_report' AND t.{column} = ?
          AND {local_day('t.first_contact_at')} >= ? AND {local_day('t.first_contact_at')} < ?
          AND e.activity IN ('intake.planned', 'intake.held') AND e.day <= ?
        ORDER BY e.trajectory_key, e.happened_at, e.id""",  # noqa: S608
                         [scope.area, start, scope.end, scope.today]).fetchall()
    return rows, events


@dataclass
class _Intakes:
    """A report's intakes as seen on the scope's today (its events up to that day): the
    trajectory's own columns count every event the store has, later ones too, and a run a
    day would then see a month-old period's counts move (attack round 5, R5-3)."""

    planned: int = 0
    held: int = 0
    joint: bool = False
    disciplines: int = 0
    first: int | None = None  # the day of the first intake held
    last: int | None = None   # the day of the last


def _intakes_seen(events: list[tuple[Any, ...]]) -> dict[str, _Intakes]:
    seen: dict[str, _Intakes] = defaultdict(_Intakes)
    for key, activity, day, joint, disciplines in events:
        found = seen[key]
        if activity == "intake.planned":
            found.planned += 1
            continue
        found.held += 1
        found.first = day.toordinal() if found.first is None else found.first
        found.last = day.toordinal()
        if joint:
            found.joint = True
            found.disciplines = max(found.disciplines, int(disciplines or 1))
    return seen


def calibrate(con: Any, scope: Scope) -> Observed:
    """The model and the observed waits of the scope's area and period (a municipality:
    the scope's area may be any insight area code). The period is taken in whole weeks
    from the Monday of its first day."""
    start = scope.start - timedelta(days=scope.start.weekday())
    weeks = max(1, math.ceil((scope.end - start).days / 7))
    today = scope.today.toordinal()
    rows, events = _fetch(con, scope, start)
    origin = start.toordinal()

    def seen(d: int | None) -> int | None:
        return d if d is not None and d <= today else None

    weekly: dict[str, list[int]] = {u: [0] * weeks for u in URGENCIES}
    triage: dict[str, list[tuple[int, int]]] = defaultdict(list)
    routed: dict[str, list[int]] = {u: [0, 0, 0] for u in URGENCIES}  # triaged, intake, direct
    direct_help: list[tuple[int, int]] = []
    followed: list[tuple[int, bool, bool]] = []  # after the last intake: (days, helped, joint)
    mix: dict[int, int] = defaultdict(int)
    joint_multi = [0, 0]  # reports needing > 1 discipline, of which joint
    waits: dict[str, list[int]] = {s: [] for s in STEPS}
    intakes = _intakes_seen(events)
    for (key, urgency, d0, dt, help_) in rows:
        urgency = urgency if urgency in URGENCIES else "regular"
        r, t = _day(d0), seen(_day(dt))
        its = intakes.get(key) or _Intakes()
        planned, held, joint, disciplines = its.planned, its.held, its.joint, its.disciplines
        first, last, h = its.first, its.last, seen(_day(help_))
        assert r is not None
        week = (r - origin) // 7
        if 0 <= week < weeks:
            weekly[urgency][week] += 1
        if t is not None:
            triage[urgency].append((r, t - r))
            routed[urgency][0] += 1
            if planned:
                routed[urgency][1] += 1
            elif h is not None:
                routed[urgency][2] += 1
                direct_help.append((t, h - t))
        if first is not None and last is not None:
            k = max(1, min(3, int(disciplines or 1) if joint else int(held or 1)))
            mix[k] += 1
            if k > 1:
                joint_multi[0] += 1
                joint_multi[1] += 1 if joint else 0
            followed.append((h - last, True, bool(joint)) if h is not None
                            else (today - last, False, bool(joint)))
        for step, a, b in (("triage", r, t), ("intake", t, first),
                           ("further_intakes", first if (held or 0) > 1 else None,
                            last if (held or 0) > 1 else None),
                           ("help", last, h if first is not None else None),
                           ("time_to_help", r, h)):
            span = _span(a, b)
            if span is not None:
                waits[step].append(span)

    planning, leads, joint_leads, slots_weekly, single_leads = _intakes(
        events, rows, origin, weeks, today)
    triaged_all = sum(v[0] for v in routed.values())
    pooled_intake = _share(sum(v[1] for v in routed.values()), triaged_all)
    pooled_direct = _share(sum(v[2] for v in routed.values()), triaged_all)
    pooled_triage = _settled([p for u in URGENCIES for p in triage[u]], today)
    p_help, help_days = _after_intake([(d, helped) for d, helped, _j in followed])
    # Help after a joint intake apart from help after single ones, when each has MIN_GROUP
    # reports: at a joint intake the plan is often made at the table, after single ones a
    # family is more often referred on. On the demo the p90 of report to help was 28 days
    # along a joint intake and 114 along two single ones; one distribution of help after
    # the intake for both gave 51 and 96.
    joint_followed = [(d, helped) for d, helped, j in followed if j]
    single_followed = [(d, helped) for d, helped, j in followed if not j]
    apart = (HelpApart(*_after_intake(single_followed), *_after_intake(joint_followed))
             if len(joint_followed) >= MIN_GROUP and len(single_followed) >= MIN_GROUP
             else None)
    triage_days = {u: _settled(triage[u], today) for u in URGENCIES}
    total_mix = sum(mix.values())
    model = Model(
        weeks=weeks,
        arrivals={u: sum(weekly[u]) / weeks for u in URGENCIES},
        triage_days={u: (triage_days[u] if len(triage[u]) >= MIN_GROUP else pooled_triage)
                     for u in URGENCIES},
        p_intake={u: (_share(v[1], v[0]) if v[0] >= MIN_GROUP else pooled_intake)
                  for u, v in routed.items()},
        p_direct={u: (_share(v[2], v[0]) if v[0] >= MIN_GROUP else pooled_direct)
                  for u, v in routed.items()},
        direct_help_days=_settled(direct_help, today),
        disciplines=({k: mix.get(k, 0) / total_mix for k in (1, 2, 3)} if total_mix
                     else {1: 1.0, 2: 0.0, 3: 0.0}),
        p_joint=_share(joint_multi[1], joint_multi[0]),
        planning_days=planning,
        lead_days=leads,
        joint_lead_days=joint_leads,
        slots={org: _busy_week(slots_weekly[org]) for org in ORGANISATIONS},
        p_help_after_intake=p_help,
        help_days=help_days,
        horizon_weeks=max(1, math.ceil((today + 1 - origin) / 7)),
    )
    shown = {s: {"n": len(v), "p50": quantile([float(x) for x in v], 0.5),
                 "p90": quantile([float(x) for x in v], 0.9)} for s, v in waits.items()}
    return Observed(model=model, waits=shown, start=start, reports=len(rows),
                    routed={u: list(v) for u, v in routed.items()},
                    mix={k: mix.get(k, 0) for k in (1, 2, 3)}, joint_multi=list(joint_multi),
                    followed=len(followed), followed_joint=len(joint_followed),
                    help_apart=apart, received={u: sum(weekly[u]) for u in URGENCIES},
                    triage_own=triage_days, triage_pooled=pooled_triage,
                    intakes_weekly={org: list(slots_weekly[org]) for org in ORGANISATIONS},
                    single_leads=list(single_leads))


def without_queue(model: Model, seed: int = 1) -> Model:
    """The observed days from planning to a meeting hold both the lead and the wait for
    a free slot; the model adds the slot wait itself. One step of correction: simulate the
    period once and take each organisation's mean slot wait off its observed days (never
    below 0)."""
    import dataclasses

    from jeugdketen.steering.simulation.engine import queue_days, simulate

    queued = queue_days(simulate(model, seed))

    def less(days: list[int], who: str) -> list[int]:
        off = round(queued.get(who, 0.0))
        return [max(0, d - off) for d in days] if off else days

    return dataclasses.replace(
        model, lead_days={o: less(v, o) for o, v in model.lead_days.items()},
        joint_lead_days=less(model.joint_lead_days, "joint"))


def _intakes(events: list[tuple[Any, ...]], rows: list[tuple[Any, ...]], origin: int,
             weeks: int, today: int
             ) -> tuple[list[int], dict[str, list[int]], list[int], dict[str, list[int]],
                  list[int]]:
    """From the intake events: planning days, lead per organisation and joint, and the
    intakes each organisation held per week."""
    triaged = {row[0]: _day(row[3]) for row in rows}
    planning: list[tuple[int, int]] = []
    leads: dict[str, list[tuple[int, int]]] = {o: [] for o in ORGANISATIONS}
    joint_leads: list[tuple[int, int]] = []
    per_week: dict[str, list[int]] = {o: [0] * weeks for o in ORGANISATIONS}
    by_key: dict[str, list[tuple[str, int, bool, int]]] = defaultdict(list)
    for key, activity, day, joint, disciplines in events:
        by_key[key].append((activity, day.toordinal(), bool(joint), int(disciplines or 1)))
    for key, items in by_key.items():
        waiting: list[tuple[int, bool]] = []
        decided = triaged.get(key)
        position = 0
        for activity, day, joint, needed in items:
            if activity == "intake.planned":
                if decided is not None and not waiting:
                    planning.append((decided, max(0, day - decided)))
                waiting.append((day, joint))
                continue
            planned = waiting.pop(0)[0] if waiting else None
            week = (day - origin) // 7
            if joint:
                if planned is not None:
                    joint_leads.append((planned, day - planned))
                used = ORGANISATIONS[:max(1, min(3, needed))]
            else:
                org = ORGANISATIONS[min(position, len(ORGANISATIONS) - 1)]
                position += 1
                if planned is not None:
                    leads[org].append((planned, day - planned))
                used = (org,)
            if 0 <= week < weeks and day <= today:
                for org in used:
                    per_week[org][week] += 1
            decided = day
    # Joint meetings' leads stand in for an organisation with no single intake, and the
    # other way round.
    own = {org: _settled(leads[org], today) for org in ORGANISATIONS}
    joint = _settled(joint_leads, today)
    single = _settled([p for org in ORGANISATIONS for p in leads[org]], today)
    fallback = single or joint
    return (_settled(planning, today), {org: own[org] or list(fallback) for org in ORGANISATIONS},
            joint or fallback, per_week, single)


def _busy_week(weekly: list[int]) -> float:
    """An organisation's intake slots per week: the 90th percentile of the intakes it held
    per week, a week's own count (nearest rank, no interpolation: an interpolated 0.9 over
    52 weeks said exactly 6 weeks had one, attack round 4, R4-6)."""
    ranked = sorted(weekly)
    return float(ranked[max(0, math.ceil(0.9 * len(ranked)) - 1)]) if ranked else 0.0


def _after_intake(followed: list[tuple[int, bool]], size: int = 1000
                  ) -> tuple[float, list[int]]:
    """The share helped after the last intake and the days to it, from every report of
    the period with an intake held: (days to help, True), or (days followed so far, False)
    when not helped by today. The Kaplan-Meier estimate (right-censored waits): a report
    followed for `d` days counts in the risk set of every day up to `d`, so a recent
    intake tells what it can (help on its own day, say) without taking the short waits
    only. Returns the share helped by the longest wait seen and `size` days spread over
    that distribution (its quantiles at (i + 0.5) / size), for the engine to draw from."""
    events: dict[int, int] = defaultdict(int)
    exits: dict[int, int] = defaultdict(int)  # helped or censored at day d
    for followed_days, helped in followed:
        exits[followed_days] += 1
        if helped:
            events[followed_days] += 1
    at_risk = len(followed)
    survival = 1.0
    steps: list[tuple[int, float]] = []  # (day, share helped by it)
    for day in sorted(exits):
        if events.get(day) and at_risk:
            survival *= 1 - events[day] / at_risk
            steps.append((day, 1 - survival))
        at_risk -= exits[day]
    if not steps or steps[-1][1] <= 0:
        return 0.0, []
    share = steps[-1][1]
    drawn: list[int] = []
    k = 0
    for i in range(size):
        q = (i + 0.5) / size * share
        while steps[k][1] < q:
            k += 1
        drawn.append(steps[k][0])
    return share, drawn


def _settled(pairs: list[tuple[int, int]], today: int) -> list[int]:
    """The durations (days) of (start day, days) pairs, of those started at least
    SETTLE_DAYS before today when there are MIN_GROUP of them: a step begun lately is
    observed only when it was short (the long ones have not ended yet), and the model
    would otherwise take that bias twice (the simulated period is cut at today as well)."""
    old = [d for start, d in pairs if start <= today - SETTLE_DAYS]
    return old if len(old) >= MIN_GROUP else [d for _start, d in pairs]
