"""The value stream: from first contact to evaluation and close, per step the trajectories
that reached it, the wait before it and the time in it, handovers, work in progress now
and per week, the bottleneck; and the directly-follows graph of the chain events.

Pure functions over a DuckDB connection holding the insight store (insight.schema).
docs/insight.md ("Value stream") gives each definition in words with its SQL; in short:

- The scope's trajectories: of the area (`trajectories.<level>_code`), first contact
  before the period's end, not closed before the period's start (open at some moment of
  the period). A day is the day in the Netherlands; a wait is whole calendar days.
- A step is reached on the day of its moment in `trajectories` (the first evaluation: the
  first `evaluation.recorded` of the trajectory). Steps are in the fixed order of
  `STEPS`; a trajectory may skip steps (a match has no triage), so the wait before a step
  counts from the previous step the trajectory reached. What happens after `today` is not
  yet known.
- Counts below the threshold are suppressed (value None, suppressed True); the work in
  progress per step with its total goes through insight.suppression (primary and
  secondary suppression on margins).
- The flow counts not suppressed over the municipality's areas as one system (the work
  in progress per week, the handovers and changes of organisation, the edges of the
  directly-follows graph) are rounded to a multiple of 10 (insight.suppression.rounded,
  `rounded_to` in their answers): two weeks, or an area and its parts, subtracted never
  give a small count exactly. The counts that are suppressed over the areas (the
  trajectories, the steps reached, the work in progress now, the handover share) are
  rounded too once shown, as every count of a twelve-month period is: two periods a month
  apart share eleven months (docs/insight.md, "Rounded period counts").
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Any

from django.utils.translation import gettext_lazy as _

from jeugdketen.insight import kpis, stats, suppression
from jeugdketen.insight.figures import Rate, Spread
from jeugdketen.insight.scope import Scope
from jeugdketen.insight.suppression import rounded

# The steps in order: (key, the trajectories' column or the evaluation).
STEPS: tuple[str, ...] = (
    "first_contact", "triage", "intake_planned", "intake_held", "help_started",
    "first_evaluation", "closed",
)
STEP_LABELS: dict[str, Any] = {
    "first_contact": _("Eerste contact"),
    "triage": _("Triage"),
    "intake_planned": _("Intake gepland"),
    "intake_held": _("Intake gehouden"),
    "help_started": _("Hulp gestart"),
    "first_evaluation": _("Eerste evaluatie"),
    "closed": _("Afgesloten"),
}
_COLUMNS = {
    "first_contact": "first_contact_at", "triage": "triaged_at",
    "intake_planned": "intake_planned_at", "intake_held": "intake_held_at",
    "help_started": "help_started_at", "closed": "closed_at",
}
CLOSED_POS = len(STEPS)  # positions are 1-based


def local_day(column: str) -> str:
    """SQL: the day in the Netherlands of a UTC timestamp column (as `events.day`)."""
    return f"CAST(({column} AT TIME ZONE 'UTC') AT TIME ZONE 'Europe/Amsterdam' AS DATE)"


def check(scope: Scope, threshold: int) -> None:
    """Refuse a scope or threshold no figure can be computed for, naming the field (as the
    KPIs do)."""
    kpis.check(scope, threshold, "area", ("area",))


def iso_week(day: date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def weeks(scope: Scope) -> list[tuple[str, date]]:
    """Every ISO week that overlaps the period and has begun by `today`, with the day its
    state is counted on: the week's Sunday, or the period's last day, or today, whichever
    comes first."""
    last = min(scope.end - timedelta(days=1), scope.today)
    monday = scope.start - timedelta(days=scope.start.weekday())
    out = []
    while monday <= last:
        out.append((iso_week(monday), min(monday + timedelta(days=6), last)))
        monday += timedelta(days=7)
    return out


def protect(cells: dict[Any, int], lines: list[list[Any]], threshold: int
            ) -> dict[Any, int | None]:
    """Primary and secondary suppression of a table with margins (insight.suppression):
    `cells` every count (inner cells and totals), `lines` each group of cells whose last
    one is the sum of the others (a row with its total, a column with its total). Returns
    every cell's count, None where hidden: no count from 1 to threshold - 1, and no hidden
    cell that the totals and the cells shown would give away."""
    equations = [(line[-1], line[:-1]) for line in lines]
    hidden = suppression.suppress(cells, equations, cells, threshold)
    return {k: None if k in hidden else v for k, v in cells.items()}


@dataclass(frozen=True)
class StepFigure:
    key: str  # one of STEPS
    reached: int | None  # trajectories that reached the step in the period
    wait: Spread  # days from the previous step reached (none for first contact)
    time_in_step: Spread  # days to the next step, of those that left it in the period
    wip_now: int | None  # open trajectories in this step at `today`
    suppressed: bool = False  # `reached` is below the threshold

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "wait": self.wait.as_dict(),
                "time_in_step": self.time_in_step.as_dict()}


@dataclass(frozen=True)
class WipWeek:
    week: str  # ISO week, "2026-W02"
    on: date  # the day the state is counted on (the end of the week in the period)
    counts: dict[str, int | None]  # per step key (not closed); None when suppressed
    total: int | None
    rounded_to: int  # the counts shown are rounded to a multiple of this (suppression.step)

    def as_dict(self) -> dict[str, Any]:
        return {"week": self.week, "on": self.on.isoformat(), "counts": dict(self.counts),
                "total": self.total, "rounded_to": self.rounded_to,
                "suppressed": [k for k, v in self.counts.items() if v is None]
                + (["total"] if self.total is None else [])}


@dataclass(frozen=True)
class Handovers:
    handovers: int | None  # plan.handed_over events in the period
    trajectories_with_handover: int | None
    trajectories_with_plan: int | None  # the scope's trajectories with a plan by the end
    share: Rate  # with a handover / with a plan, its 95% interval (Wilson)
    organisation_changes: int | None  # see docs: consecutive events, another organisation
    trajectories_with_organisation_change: int | None
    rounded_to: int  # handovers and the two organisation-change counts are rounded to it

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "share": self.share.as_dict()}


@dataclass(frozen=True)
class ValueStream:
    area: str
    start: date
    end: date
    today: date
    threshold: int
    trajectories: int | None  # the scope's trajectories (open at some moment of the period)
    steps: list[StepFigure]
    wip_total_now: int | None
    weeks: list[WipWeek]
    handovers: Handovers
    bottleneck: str | None  # the step with the largest median wait x volume
    bottleneck_score: float | None  # p50 wait (days) x trajectories reaching the step
    suppressed: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {"area": self.area, "start": self.start.isoformat(),
                "end": self.end.isoformat(), "today": self.today.isoformat(),
                "threshold": self.threshold, "trajectories": self.trajectories,
                "suppressed": self.suppressed,
                "steps": [s.as_dict() for s in self.steps], "wip_total_now": self.wip_total_now,
                "weeks": [w.as_dict() for w in self.weeks],
                "handovers": self.handovers.as_dict(), "bottleneck": self.bottleneck,
                "bottleneck_score": self.bottleneck_score}


@dataclass(frozen=True)
class Edge:
    source: str  # activity
    target: str  # the activity that directly followed it in the same trajectory
    trajectories: int  # trajectories with this pair in the period (at least the threshold)
    occurrences: int  # times the pair occurred in the period
    median_days: float  # calendar days between the two events (median of occurrences)
    rounded_to: int  # trajectories and occurrences are rounded to a multiple of this

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


# The scope's area's trajectories with their steps reached by `today`, one row per step:
# (trajectory_key, pos, d = the day reached), pos 1..7 in the order of STEPS.
def _reached_sql(scope: Scope) -> str:
    cols = "".join(
        f" UNION ALL SELECT trajectory_key, {STEPS.index(step) + 1} AS pos, {col} AS moment"  # noqa: S608
        " FROM t"
        for step, col in _COLUMNS.items() if step != "first_contact")
    return f"""
    t AS (
        SELECT trajectory_key, first_contact_at, triaged_at, intake_planned_at,
               intake_held_at, help_started_at, closed_at, plan_started_at
        FROM trajectories WHERE {scope.column} = $area
    ),
    evaluation AS (
        SELECT e.trajectory_key, min(e.happened_at) AS moment
        FROM events e JOIN t USING (trajectory_key)
        WHERE e.activity = 'evaluation.recorded' GROUP BY 1
    ),
    step_at AS (
        SELECT trajectory_key, 1 AS pos, first_contact_at AS moment FROM t{cols}
        UNION ALL SELECT trajectory_key, {STEPS.index("first_evaluation") + 1}, moment
        FROM evaluation
    ),
    reached AS (
        SELECT trajectory_key, pos, {local_day("moment")} AS d FROM step_at
        WHERE moment IS NOT NULL AND {local_day("moment")} <= $today
    ),
    seq AS (
        SELECT trajectory_key, pos, d,
               lag(d) OVER w AS prev_d, lead(d) OVER w AS next_d
        FROM reached WINDOW w AS (PARTITION BY trajectory_key ORDER BY pos)
    ),
    scope_t AS (
        SELECT trajectory_key FROM t
        WHERE {local_day("first_contact_at")} < $end
          AND (closed_at IS NULL OR {local_day("closed_at")} >= $start)
    )"""  # noqa: S608 (constant names only; values are parameters)


def _params(scope: Scope, **more: Any) -> dict[str, Any]:
    return {"area": scope.area, "start": scope.start, "end": scope.end, "today": scope.today,
            **more}


def _spread(key: str, group: str, n: int, p50: float | None, p90: float | None,
            threshold: int, *, hidden: bool = False) -> Spread:
    if hidden or 0 < n < threshold:
        return Spread(key=key, group=group, label="", n=None, p50=None, p90=None,
                      suppressed=True)
    return Spread(key=key, group=group, label="", n=rounded(n, threshold),
                  p50=stats.whole_days(p50), p90=stats.whole_days(p90),
                  rounded_to=suppression.step(threshold))


def value_stream(con: Any, scope: Scope, *, threshold: int) -> ValueStream:
    check(scope, threshold)
    with_ = "WITH " + _reached_sql(scope).strip()
    params = _params(scope)

    # Per step: reached in the period, the wait before it, the time in it.
    per_step = {row[0]: row[1:] for row in con.execute(f"""{with_}
        SELECT s.pos,
               count(*) FILTER (WHERE s.d >= $start AND s.d < $end) AS reached,
               count(s.prev_d) FILTER (WHERE s.d >= $start AND s.d < $end) AS waits,
               quantile_cont(CAST(s.d - s.prev_d AS DOUBLE), 0.5)
                   FILTER (WHERE s.d >= $start AND s.d < $end) AS wait_p50,
               quantile_cont(CAST(s.d - s.prev_d AS DOUBLE), 0.9)
                   FILTER (WHERE s.d >= $start AND s.d < $end) AS wait_p90,
               count(s.next_d) FILTER (WHERE s.next_d >= $start AND s.next_d < $end) AS left_,
               quantile_cont(CAST(s.next_d - s.d AS DOUBLE), 0.5)
                   FILTER (WHERE s.next_d >= $start AND s.next_d < $end) AS in_p50,
               quantile_cont(CAST(s.next_d - s.d AS DOUBLE), 0.9)
                   FILTER (WHERE s.next_d >= $start AND s.next_d < $end) AS in_p90
        FROM seq s JOIN scope_t USING (trajectory_key)
        GROUP BY s.pos""", params).fetchall()}  # noqa: S608
    total = con.execute(f"{with_} SELECT count(*) FROM scope_t", params).fetchone()[0]  # noqa: S608

    # Work in progress: per week (and today), the open trajectories per their last step.
    week_list = weeks(scope)
    days = sorted({on for _w, on in week_list} | {scope.today})
    wip_rows = con.execute(f"""{with_},
        days AS (SELECT unnest($days::DATE[]) AS on_day),
        last_step AS (
            SELECT days.on_day, r.trajectory_key, max(r.pos) AS pos
            FROM days JOIN reached r ON r.d <= days.on_day
            GROUP BY ALL
        )
        SELECT on_day, pos, count(*) FROM last_step WHERE pos < {CLOSED_POS}
        GROUP BY ALL""", {**params, "days": days}).fetchall()  # noqa: S608
    wip: dict[date, dict[str, int]] = {d: dict.fromkeys(STEPS[:-1], 0) for d in days}
    for on_day, pos, n in wip_rows:
        wip[on_day][STEPS[pos - 1]] = n

    # The scope's trajectories, steps reached and work in progress now are suppressed over
    # the municipality's areas as one system (no answer minus another gives a hidden one);
    # an area with too few trajectories shows none of its counts, not even a 0.
    counted = _handover_counts(con, with_, params)
    system = _area_counts(con, scope)
    if system is None:
        system = _Counts(scope.area, {scope.area: _row(
            total, {STEPS[pos - 1]: v[0] for pos, v in per_step.items()},
            wip[scope.today], plans=counted[2], handed=counted[1])}, {})
    hidden = _hidden(system, threshold)
    few = suppression.is_small(total, threshold)

    def shown(column: str, value: int) -> int | None:
        # Rounded as well: the same area a month later shares eleven of the twelve months
        # (docs/insight.md, "Rounded period counts").
        return None if few or (scope.area, column) in hidden else rounded(value, threshold)

    # Each week's row (the steps and their total) is a table of its own, its counts shown
    # rounded to a multiple of 10: a week's stock minus the week before's is what came in and
    # left, and the area's minus its parts' the trajectories of a hidden one.
    shown_wip: dict[tuple[date, str], int | None] = {}
    for _w, d in week_list:
        row = {**wip[d], "total": sum(wip[d].values())}
        shown_wip.update({(d, k): None if few else rounded(v, threshold)
                          for k, v in protect(row, [list(row)], threshold).items()})
    week_figures = [
        WipWeek(week=w, on=on, counts={k: shown_wip[(on, k)] for k in STEPS[:-1]},
                total=shown_wip[(on, "total")], rounded_to=suppression.step(threshold))
        for w, on in week_list]
    now = {k: shown(f"wip:{k}", v) for k, v in
           {**wip[scope.today], "total": sum(wip[scope.today].values())}.items()}

    steps = []
    for pos, key in enumerate(STEPS, start=1):
        reached, waits, w50, w90, left, i50, i90 = per_step.get(
            pos, (0, 0, None, None, 0, None, None))
        step_shown = shown(f"reached:{key}", reached)
        steps.append(StepFigure(
            key=key, reached=step_shown, suppressed=step_shown is None,
            wait=_spread("wait_days", key, 0 if few else waits, w50, w90, threshold,
                         hidden=few),
            time_in_step=_spread("time_in_step_days", key, left, i50, i90, threshold,
                                 hidden=few),
            wip_now=now.get(key) if key != "closed" else None))

    candidates = [(s.wait.p50 * s.reached, s.key) for s in steps
                  if s.reached and s.wait.p50 is not None and not s.wait.suppressed]
    score, bottleneck = max(candidates, default=(None, None))
    return ValueStream(
        area=scope.area, start=scope.start, end=scope.end, today=scope.today,
        threshold=threshold, trajectories=shown("trajectories", total), suppressed=few,
        steps=steps, wip_total_now=now["total"], weeks=week_figures,
        handovers=_handovers(con, with_, params, threshold, counted,
                             share_hidden=few or (scope.area, "plans") in hidden,
                             hide_all=few),
        bottleneck=bottleneck if score else None, bottleneck_score=score if score else None)


def _handover_counts(con: Any, with_: str, params: dict[str, Any]) -> tuple[int, int, int]:
    """(handovers, trajectories with a handover, trajectories with a plan) of the scope."""
    found: tuple[int, int, int] = con.execute(f"""{with_}
        SELECT
          (SELECT count(*) FROM events e JOIN scope_t USING (trajectory_key)
           WHERE e.activity = 'plan.handed_over' AND e.day >= $start AND e.day < $end
             AND e.day <= $today),
          (SELECT count(DISTINCT e.trajectory_key) FROM events e JOIN scope_t USING (trajectory_key)
           WHERE e.activity = 'plan.handed_over' AND e.day >= $start AND e.day < $end
             AND e.day <= $today),
          (SELECT count(*) FROM t JOIN scope_t USING (trajectory_key)
           WHERE t.plan_started_at IS NOT NULL AND {local_day("t.plan_started_at")} < $end
             AND {local_day("t.plan_started_at")} <= $today)""", params).fetchone()  # noqa: S608
    return found


def _handovers(con: Any, with_: str, params: dict[str, Any], threshold: int,
               counted: tuple[int, int, int], *, share_hidden: bool,
               hide_all: bool = False) -> Handovers:
    """The handovers of the scope's trajectories; none shown (`hide_all`) when the value
    stream itself is hidden (a 0 would tell something of every one of those few). The
    handovers and the changes of organisation are rounded to a multiple of 10; the share
    (with a plan, with a handover and the rest, one unit) is suppressed over the
    municipality's areas as one system (`share_hidden`); shown, its counts are rounded
    and its value computed from them (kpis.rate)."""
    handovers, with_handover, with_plan = counted
    changes, with_change = con.execute(f"""{with_},
        acted AS (
            SELECT e.trajectory_key, e.day, e.organisation_id,
                   lag(e.organisation_id) OVER (PARTITION BY e.trajectory_key
                                                ORDER BY e.happened_at, e.id) AS before
            FROM events e JOIN scope_t USING (trajectory_key)
            WHERE e.organisation_id IS NOT NULL AND e.day <= $today
        )
        SELECT count(*), count(DISTINCT trajectory_key) FROM acted
        WHERE before IS NOT NULL AND before <> organisation_id
          AND day >= $start AND day < $end""", params).fetchone()  # noqa: S608
    shown = {k: None if hide_all else rounded(v, threshold) for k, v in {
        "handovers": handovers, "changes": changes, "with_change": with_change}.items()}
    share = kpis.rate("handover_share", "", "", with_plan, with_handover,
                      suppressed=hide_all or share_hidden, provisional=False,
                      threshold=threshold)
    return Handovers(
        handovers=shown["handovers"], trajectories_with_handover=share.count,
        trajectories_with_plan=share.n, share=share,
        organisation_changes=shown["changes"],
        trajectories_with_organisation_change=shown["with_change"], rounded_to=suppression.step(threshold))


@dataclass(frozen=True)
class _Counts:
    """The value stream's counts for every area of the scope's municipality: `rows` area
    code -> column ("trajectories", "reached:<step>", "wip:<step>", "wip:total", and the
    handover share's "plans", "handed", "not_handed") -> count;
    `parents` each district's and neighbourhood's parent; `area` the scope's own."""
    area: str
    rows: dict[str, dict[str, float]]
    parents: dict[str, str]


def _row(trajectories: int, reached: dict[str, int], wip: dict[str, int], *, plans: int,
         handed: int) -> dict[str, float]:
    return {"trajectories": trajectories,
            **{f"reached:{k}": reached.get(k, 0) for k in STEPS},
            **{f"wip:{k}": wip.get(k, 0) for k in STEPS[:-1]},
            "wip:total": sum(wip.get(k, 0) for k in STEPS[:-1]),
            # the handover share: with a plan = with a handover + the rest, one unit
            "plans": plans, "handed": handed, "not_handed": plans - handed}


def _hidden(system: _Counts, threshold: int) -> set[tuple[str, str]]:
    """The hidden (area, column) cells: small counts, every count of an area with too few
    trajectories, and what would give them away (insight.suppression.areas; the work in
    progress per step adds up to its total)."""
    columns = list(next(iter(system.rows.values())))

    def few(at: int) -> set[tuple[str, str]]:
        return {(a, c) for a, row in system.rows.items()
                if suppression.is_small(row["trajectories"], at) for c in columns}

    return suppression.areas(system.rows, system.parents, threshold=threshold,
                             counts=columns,
                             splits=(("wip:total", [f"wip:{k}" for k in STEPS[:-1]]),
                                     ("plans", ["handed", "not_handed"])),
                             units=(("plans", "handed", "not_handed"),), hidden=few)


def _area_counts(con: Any, scope: Scope) -> _Counts | None:
    """The value stream's counts of every area of the scope's municipality (the store's
    `areas`), by the same definitions as `value_stream`; None when the scope's area is not
    in `areas`."""
    found = con.execute(kpis.MUNICIPALITY_OF.format(scope_column=scope.column),
                        {"area": scope.area}).fetchone()
    if found is None:
        return None
    town = Scope(found[0], scope.start, scope.end, scope.today, scope.follow_up_days)
    pairs = con.execute(kpis.AREAS_OF, {"area": town.area}).fetchall()
    parents = {**{district: town.area for district, _hood in pairs},
               **{hood: district for district, hood in pairs}}
    with_ = "WITH " + _reached_sql(town).strip() + """,
    area_of AS (
        SELECT trajectory_key, municipality_code AS area FROM trajectories
        WHERE municipality_code = $area
        UNION ALL SELECT trajectory_key, district_code FROM trajectories
        WHERE municipality_code = $area AND district_code IS NOT NULL
        UNION ALL SELECT trajectory_key, neighbourhood_code FROM trajectories
        WHERE municipality_code = $area AND neighbourhood_code <> ''
    )"""  # noqa: S608 (constant names only; values are parameters)
    params = _params(town)
    trajectories = dict(con.execute(f"""{with_}
        SELECT area, count(*) FROM scope_t JOIN area_of USING (trajectory_key)
        GROUP BY area""", params).fetchall())  # noqa: S608
    reached: dict[str, dict[str, int]] = {}
    for area, pos, n in con.execute(f"""{with_}
        SELECT area, s.pos, count(*) FROM seq s JOIN scope_t USING (trajectory_key)
        JOIN area_of USING (trajectory_key)
        WHERE s.d >= $start AND s.d < $end GROUP BY ALL""", params).fetchall():  # noqa: S608
        reached.setdefault(area, {})[STEPS[pos - 1]] = n
    wip: dict[str, dict[str, int]] = {}
    for area, pos, n in con.execute(f"""{with_},
        last_step AS (SELECT trajectory_key, max(pos) AS pos FROM reached GROUP BY 1)
        SELECT area, pos, count(*) FROM last_step JOIN area_of USING (trajectory_key)
        WHERE pos < {CLOSED_POS} GROUP BY ALL""", params).fetchall():  # noqa: S608
        wip.setdefault(area, {})[STEPS[pos - 1]] = n
    shares = {area: (plans, handed) for area, plans, handed in con.execute(f"""{with_},
        handed AS (
            SELECT DISTINCT e.trajectory_key FROM events e JOIN scope_t USING (trajectory_key)
            WHERE e.activity = 'plan.handed_over' AND e.day >= $start AND e.day < $end
              AND e.day <= $today
        )
        SELECT area,
               count(*) FILTER (WHERE t.plan_started_at IS NOT NULL
                                  AND {local_day("t.plan_started_at")} < $end
                                  AND {local_day("t.plan_started_at")} <= $today),
               count(handed.trajectory_key)
        FROM scope_t JOIN t USING (trajectory_key) JOIN area_of USING (trajectory_key)
        LEFT JOIN handed USING (trajectory_key)
        GROUP BY area""", params).fetchall()}  # noqa: S608
    codes = [town.area, *parents]
    rows = {a: _row(trajectories.get(a, 0), reached.get(a, {}), wip.get(a, {}),
                    plans=shares.get(a, (0, 0))[0], handed=shares.get(a, (0, 0))[1])
            for a in codes}
    return _Counts(scope.area, rows, parents)


def directly_follows(con: Any, scope: Scope, *, threshold: int) -> list[Edge]:
    """The directly-follows graph: for each pair of activities (a, b) where b is the next
    event after a in the same trajectory (ordered by time, then id), the trajectories in
    which it occurred with b in the period, how often, and the median calendar days
    between a and b. Edges of fewer trajectories than the threshold are left out; the
    counts of the others are rounded to a multiple of 10 (the median days are not)."""
    check(scope, threshold)
    rows = con.execute(f"""
        WITH scope_t AS (
            SELECT trajectory_key FROM trajectories
            WHERE {scope.column} = $area
              AND {local_day("first_contact_at")} < $end
              AND (closed_at IS NULL OR {local_day("closed_at")} >= $start)
        ),
        ordered AS (
            SELECT e.trajectory_key, e.activity, e.day,
                   lag(e.activity) OVER w AS prev_activity, lag(e.day) OVER w AS prev_day
            FROM events e JOIN scope_t USING (trajectory_key)
            WHERE e.trajectory_key <> '' AND e.day <= $today
            WINDOW w AS (PARTITION BY e.trajectory_key ORDER BY e.happened_at, e.id)
        )
        SELECT prev_activity, activity, count(DISTINCT trajectory_key), count(*),
               quantile_cont(CAST(day - prev_day AS DOUBLE), 0.5)
        FROM ordered
        WHERE prev_activity IS NOT NULL AND day >= $start AND day < $end
        GROUP BY ALL
        HAVING count(DISTINCT trajectory_key) >= $threshold
        ORDER BY 3 DESC, 1, 2""", _params(scope, threshold=threshold)).fetchall()  # noqa: S608
    edges = [Edge(source=a, target=b, trajectories=_at_least(rounded(n, threshold)),
                  occurrences=_at_least(rounded(k, threshold)),
                  median_days=stats.whole_days(m),
                  rounded_to=suppression.step(threshold))
             for a, b, n, k, m in rows]
    # In the order of the rounded counts (then the names): the exact order would tell
    # which of two edges shown alike is the larger.
    return sorted(edges, key=lambda e: (-e.trajectories, e.source, e.target))


def _at_least(value: int | None) -> int:
    """A rounded count known to be at least the threshold (never hidden)."""
    if value is None:  # pragma: no cover (the query keeps only counts >= the threshold)
        raise ValueError("a count below the threshold")
    return value
