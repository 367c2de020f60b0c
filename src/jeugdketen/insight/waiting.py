"""Waiting lists: the open items of the front door per step and organisation, their age
against the municipality's norms (within the norm, past the norm, past three times the
norm), now and at the end of every ISO week of the period.

Pure functions over a DuckDB connection holding the insight store (insight.schema);
docs/insight.md ("Waiting lists") gives each definition in words with its SQL:

- A trajectory of the scope's area (`trajectories.<level>_code`) waits in a front-door
  step on a day when its last front-door event by that day (`care_report.received`,
  `care_report.triaged`, `intake.planned`, `intake.held`) put it there and no exit
  (`plan.started`, `care_report.help_started`, `care_report.closed`, `plan.closed`)
  happened by that day. Its organisation is the one of the event that entered the step.
- Its norm (table `norms`, per municipality, step and urgency; as intake.norms): received
  is measured by the triage norm from the receipt; triaged and intake planned by the
  intake norm from the receipt; intake held by the help norm from the (last) intake held.
  Working days are Monday to Friday (public holidays are not counted out, as the front
  door's own deadlines, core.workdays). A step is past its norm once its due day (the
  norm's days after the start) has passed, past three times the norm once the due day of
  three times the days has passed: the same dates the front door's queue shows.
- An organisation's row is listed only when its count is shown: the organisations whose
  count is hidden are one row, "Andere organisaties", shown only as far as the step's
  row and the organisations listed already give it.
- The three classes are exclusive: within, past the norm (but not three times), past
  three times the norm; `no_norm` counts items whose municipality has no norm row.
- Every count shown is rounded to a multiple of 10 (insight.suppression.rounded; the
  answer's `rounded_to`): a week's list minus the week before's, or an area's minus its
  parts', never gives a small count exactly. The rounded cells of a row need not add up.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from jeugdketen.insight import suppression
from jeugdketen.insight.scope import Scope
from jeugdketen.insight.suppression import is_small, rounded
from jeugdketen.insight.value_stream import check, protect, weeks

FRONT_DOOR_STEPS: tuple[str, ...] = ("received", "triaged", "intake_planned", "intake_held")
STATUSES: tuple[str, ...] = ("within", "past_norm", "past_3x", "no_norm")
_ENTERS = {
    "care_report.received": "received", "care_report.triaged": "triaged",
    "intake.planned": "intake_planned", "intake.held": "intake_held",
}
_EXITS = ("plan.started", "care_report.help_started", "care_report.closed", "plan.closed")
# The norm a step is measured by (intake.norms.NORM_STEP).
_NORM_STEP = {"received": "received", "triaged": "triaged", "intake_planned": "triaged",
              "intake_held": "intake_held"}
NO_ORGANISATION = "none"  # the group of items entered by the family or the public
OTHER_ORGANISATIONS = "other"  # the organisations whose count is hidden, unnamed


def _weekdays_before(day: str) -> str:
    """SQL: the weekdays from Monday 1900-01-01 up to the day before `day`."""
    n = f"({day} - DATE '1900-01-01')"
    return f"(5 * ({n} // 7) + least({n} % 7, 5))"


def working_days_between(start: str, end: str) -> str:
    """SQL: working days (Monday to Friday) after `start` up to and including `end`, as
    core.workdays.working_days_between."""
    return f"({_weekdays_before(f'({end} + 1)')} - {_weekdays_before(f'({start} + 1)')})"


def past(start: str, day: str, days: str, working: str) -> str:
    """SQL: is `day` after the due day of a norm of `days` (working or calendar days)
    counted from `start` (intake.norms.due_on)? With working days the due day is the
    `days`-th weekday after the start (the start itself for 0), so a weekend day that
    follows it with no further weekday in between is past it too."""
    wd = working_days_between(start, day)
    return (f"(CASE WHEN {working} THEN {wd} > {days} OR ({wd} = {days} AND {day} > {start}"
            f" AND isodow({day}) >= 6) ELSE ({day} - {start}) > {days} END)")


@dataclass(frozen=True)
class WaitingRow:
    step: str  # a front-door step, or "total"
    group: str  # "" all organisations; else the organisation's id (NO_ORGANISATION: none)
    label: str  # the organisation's name ("" for all)
    total: int | None  # None: suppressed
    within: int | None
    past_norm: int | None
    past_3x: int | None
    no_norm: int | None

    @property
    def suppressed(self) -> list[str]:
        return [k for k in ("total", *STATUSES) if getattr(self, k) is None]

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "suppressed": self.suppressed}


@dataclass(frozen=True)
class WaitingWeek:
    week: str  # ISO week
    on: date  # the day the state is counted on (the end of the week in the period)
    rows: list[WaitingRow]  # per step, and "total"
    by_organisation: list[WaitingRow]  # per step and organisation

    def as_dict(self) -> dict[str, Any]:
        return {"week": self.week, "on": self.on.isoformat(),
                "rows": [r.as_dict() for r in self.rows],
                "by_organisation": [r.as_dict() for r in self.by_organisation]}


@dataclass(frozen=True)
class Waiting:
    area: str
    today: date
    threshold: int
    now: list[WaitingRow]  # per step and "total", all organisations
    by_organisation: list[WaitingRow]  # per step and organisation
    weeks: list[WaitingWeek]
    rounded_to: int  # every count shown is rounded to a multiple of this (suppression.step)

    def as_dict(self) -> dict[str, Any]:
        return {"area": self.area, "today": self.today.isoformat(),
                "threshold": self.threshold, "rounded_to": self.rounded_to,
                "now": [r.as_dict() for r in self.now],
                "by_organisation": [r.as_dict() for r in self.by_organisation],
                "weeks": [w.as_dict() for w in self.weeks]}


def _states(con: Any, scope: Scope, days: list[date]) -> list[tuple[Any, ...]]:
    """(on_day, step, organisation_id, organisation name, status) of every item waiting at
    the end of each day."""
    enters = ", ".join(f"'{a}'" for a in _ENTERS)
    exits = ", ".join(f"'{a}'" for a in _EXITS)
    entered_step = "CASE s.activity " + " ".join(
        f"WHEN '{a}' THEN '{step}'" for a, step in _ENTERS.items()) + " END"
    norm_step = "CASE w.step " + " ".join(
        f"WHEN '{step}' THEN '{n}'" for step, n in _NORM_STEP.items()) + " END"
    return list(con.execute(f"""
        WITH t AS (
            SELECT trajectory_key, municipality_code, coalesce(urgency, 'regular') AS urgency
            FROM trajectories WHERE {scope.column} = $area
        ),
        fd AS (
            SELECT e.trajectory_key, e.id, e.happened_at, e.day, e.activity, e.organisation_id
            FROM events e JOIN t USING (trajectory_key)
            WHERE e.activity IN ({enters}, {exits})
        ),
        days AS (SELECT unnest($days::DATE[]) AS on_day),
        received AS (
            SELECT trajectory_key, min(day) AS received FROM fd
            WHERE activity = 'care_report.received' GROUP BY 1
        ),
        ranked AS (
            SELECT days.on_day, fd.trajectory_key, fd.activity, fd.day, fd.organisation_id,
                   row_number() OVER (PARTITION BY days.on_day, fd.trajectory_key
                                      ORDER BY fd.happened_at DESC, fd.id DESC) AS rank
            FROM days JOIN fd ON fd.day <= days.on_day
            WHERE fd.activity IN ({enters})
        ),
        gone AS (
            SELECT DISTINCT days.on_day, fd.trajectory_key
            FROM days JOIN fd ON fd.day <= days.on_day WHERE fd.activity IN ({exits})
        ),
        w AS (
            -- the event that entered the step: the last front-door event (by time, then id)
            SELECT s.on_day, s.trajectory_key, r.received, {entered_step} AS step,
                   s.organisation_id, s.day AS entered
            FROM ranked s JOIN received r USING (trajectory_key)
            WHERE s.rank = 1 AND NOT EXISTS (
                SELECT 1 FROM gone g
                WHERE g.on_day = s.on_day AND g.trajectory_key = s.trajectory_key)
        ),
        measured AS (
            SELECT w.on_day, w.step, w.organisation_id, n.days, n.working,
                   CASE WHEN w.step = 'intake_held' THEN w.entered ELSE w.received END
                       AS since
            FROM w JOIN t USING (trajectory_key)
            LEFT JOIN norms n ON n.municipality_code = t.municipality_code
                AND n.step = {norm_step} AND n.urgency = t.urgency
        )
        SELECT m.on_day, m.step, m.organisation_id, o.name,
               CASE WHEN m.days IS NULL THEN 'no_norm'
                    WHEN {past("m.since", "m.on_day", "3 * m.days", "m.working")} THEN 'past_3x'
                    WHEN {past("m.since", "m.on_day", "m.days", "m.working")} THEN 'past_norm'
                    ELSE 'within' END AS status
        FROM measured m LEFT JOIN organisations o ON o.id = m.organisation_id
        """, {"area": scope.area, "days": days}).fetchall())  # noqa: S608 (constant names only)


def waiting(con: Any, scope: Scope, *, threshold: int) -> Waiting:
    check(scope, threshold)
    week_list = weeks(scope)
    days = sorted({on for _w, on in week_list} | {scope.today})
    per_day: dict[date, list[tuple[Any, ...]]] = {d: [] for d in days}
    for state in _states(con, scope, days):
        per_day[state[0]].append(state[1:])
    tables = {d: _table(per_day[d], threshold) for d in days}
    return Waiting(
        area=scope.area, today=scope.today, threshold=threshold,
        now=tables[scope.today][0], by_organisation=tables[scope.today][1],
        weeks=[WaitingWeek(week=w, on=on, rows=tables[on][0], by_organisation=tables[on][1])
               for w, on in week_list], rounded_to=suppression.step(threshold))


def _table(items: list[tuple[Any, ...]], threshold: int
           ) -> tuple[list[WaitingRow], list[WaitingRow]]:
    """One day's items (step, organisation id, name, status) as rows per step (and the
    total) and per step and organisation, suppressed as one table: step x status with both
    margins, and per step the organisations' cells adding up to the step's; every count
    shown then rounded to a multiple of 10."""
    columns = (*STATUSES, "total")
    rows = (*FRONT_DOOR_STEPS, "total")
    cells: dict[Any, int] = {(s, c): 0 for s in rows for c in columns}
    names: dict[tuple[str, str], str] = {}  # (step, group) -> the organisation's name
    for step, organisation_id, name, status in items:
        group = NO_ORGANISATION if organisation_id is None else str(organisation_id)
        names[(step, group)] = name or ""
        for c in (status, "total"):
            for s in (step, "total"):
                cells[(s, c)] += 1
            cells[(step, group, c)] = cells.get((step, group, c), 0) + 1
    # Per step the organisations with an item in it (the others have nothing to show).
    groups = {step: sorted(g for s, g in names if s == step) for step in FRONT_DOOR_STEPS}
    for step, group in names:
        for c in columns:
            cells.setdefault((step, group, c), 0)

    lines: list[list[Any]] = [[(s, c) for c in columns] for s in rows]
    lines += [[(s, c) for s in rows] for c in columns]
    for step in FRONT_DOOR_STEPS:
        lines += [[(step, g, c) for c in columns] for g in groups[step]]
        if groups[step]:
            lines += [[*((step, g, c) for g in groups[step]), (step, c)] for c in columns]
    shown = protect(cells, lines, threshold)

    def row(step: str, group: str = "") -> WaitingRow:
        at = (step, group) if group else (step,)
        return WaitingRow(step=step, group=group, label=names.get((step, group), ""),
                          **{c: rounded(shown[(*at, c)], threshold) for c in columns})

    def others(step: str, listed: list[str]) -> list[WaitingRow]:
        """The organisations whose count is hidden, as one unnamed row (a name beside a
        hidden count would tell that a few wait there): each cell the step's minus the
        organisations listed, so nothing the step's row and theirs do not already give;
        shown only when those are shown and it is not small, the row only with its
        total."""
        values: dict[str, int | None] = {}
        for c in columns:
            parts = [shown[(step, g, c)] for g in listed]
            whole = shown[(step, c)]
            rest = (None if whole is None or any(p is None for p in parts)
                    else whole - sum(p for p in parts if p is not None))
            values[c] = None if rest is None or is_small(rest, threshold) else rounded(
                rest, threshold)
        if values["total"] is None:
            return []
        return [WaitingRow(step=step, group=OTHER_ORGANISATIONS,
                           label=str(_("Andere organisaties")), **values)]

    by_organisation = []
    for s in FRONT_DOOR_STEPS:
        listed = [g for g in groups[s] if shown[(s, g, "total")] is not None]
        by_organisation += [row(s, g) for g in listed]
        if len(listed) < len(groups[s]):
            by_organisation += others(s, listed)
    return [row(s) for s in rows], by_organisation
