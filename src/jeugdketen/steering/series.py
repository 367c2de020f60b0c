"""The board's numbers (issue 13): per municipality, this week's numbers with their trend,
read from the insight store (a DuckDB connection, insight.store.reader()) and never from
another app's tables. docs/steering.md ("The board") gives each definition with its SQL.

- Weekly counts (ISO weeks, Monday to Sunday, days in the Netherlands), the last WEEKS
  weeks up to the board's week: new care reports (first contact of a trajectory that
  began as a care report), plans closed, help started. A week is complete when its
  Sunday has passed: the board only shows complete weeks, so a week's count never moves.
- Stocks at the end of each week (its Sunday): open work per step of the value stream
  (insight.value_stream.STEPS, the last step reached by that day; closed trajectories
  are not open) and the front door's items waiting past the norm (insight.waiting: past
  the norm plus past three times the norm).
- The KPIs at each of the last twelve month-ends up to the board's week: help that helps
  (share) and time to help that helps (median days), each the figure insight publishes
  for the twelve months ending that month (insight.kpis's scope total over
  insight.actions.window_start .. the month's end, seen at the end of the last month, as
  insight's page sees them), hidden where insight hides it or does not offer the period.
  The board publishes nothing insight does not: a per-month figure would, beside
  insight's sliding twelve-month totals, give away a month insight hides (their
  difference is x(M) - x(M-12)). Run charts (the median), no XmR limits: the periods
  overlap.
- Suppression with the municipality's threshold T: counts per week (flows) and stocks are
  hidden from 1 to T - 1 and otherwise rounded to a multiple of T
  (insight.suppression.rounded: 26 exact weeks beside insight's twelve-month totals could
  be summed to give a hidden week away).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from django.utils.translation import gettext_lazy as _

from jeugdketen.insight import actions, kpis, store, suppression, value_stream, waiting
from jeugdketen.insight.scope import Scope
from jeugdketen.steering import xmr

DEFINITION_VERSION = 1
WEEKS = 26  # the weekly charts: half a year up to the board's week
MONTHS = 12  # the monthly KPIs: the last twelve whole months


# --- the periods ----------------------------------------------------------------------------


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def iso_week(day: date) -> str:
    return value_stream.iso_week(day)


def week_monday(week: str) -> date | None:
    """The Monday of an ISO week "2026-W48"; None when it is not one."""
    try:
        year, number = week.split("-W")
        if len(year) != 4 or len(number) != 2:
            return None
        return date.fromisocalendar(int(year), int(number), 1)
    except (ValueError, AttributeError):
        return None


def last_complete_week(today: date) -> date:
    """The Monday of the last ISO week whose Sunday has passed."""
    return monday_of(today) - timedelta(days=7)


def month_start(day: date) -> date:
    return day.replace(day=1)


def months_before(first_of_next: date, count: int) -> list[date]:
    """The first days of the `count` months before the month starting `first_of_next`."""
    out = []
    day = first_of_next
    for _i in range(count):
        day = (day - timedelta(days=1)).replace(day=1)
        out.append(day)
    return out[::-1]


# --- the SQL (docs/steering.md) -------------------------------------------------------------

LOCAL = value_stream.local_day

# Per week (its Monday) of the window: new care reports, plans closed, help started.
WEEKLY_FLOWS_SQL = f"""
WITH t AS (
    SELECT origin, plan_started_at,
           {LOCAL("first_contact_at")} AS first_day,
           {LOCAL("help_started_at")} AS help_day,
           {LOCAL("closed_at")} AS closed_day
    FROM trajectories WHERE municipality_code = $municipality
)
SELECT 'new_reports' AS key, date_trunc('week', first_day) AS monday, count(*) AS n
FROM t WHERE origin = 'care_report' AND first_day BETWEEN $first AND $last GROUP BY ALL
UNION ALL
SELECT 'plans_closed', date_trunc('week', closed_day), count(*)
FROM t WHERE plan_started_at IS NOT NULL AND closed_day BETWEEN $first AND $last GROUP BY ALL
UNION ALL
SELECT 'help_started', date_trunc('week', help_day), count(*)
FROM t WHERE help_day BETWEEN $first AND $last GROUP BY ALL"""  # noqa: S608 (constants)

# At the end of each week (its Sunday): the open trajectories per the last step of the
# value stream they reached by that day (not closed by then).
OPEN_WORK_SQL = f"""
WITH t AS (
    SELECT trajectory_key,
           {LOCAL("first_contact_at")} AS first_contact, {LOCAL("triaged_at")} AS triage,
           {LOCAL("intake_planned_at")} AS intake_planned,
           {LOCAL("intake_held_at")} AS intake_held,
           {LOCAL("help_started_at")} AS help_started, {LOCAL("closed_at")} AS closed
    FROM trajectories WHERE municipality_code = $municipality
      AND {LOCAL("first_contact_at")} <= $last
      AND (closed_at IS NULL OR {LOCAL("closed_at")} >= $first)
),
evaluation AS (
    SELECT e.trajectory_key, min(e.day) AS first_evaluation
    FROM events e JOIN t USING (trajectory_key)
    WHERE e.activity = 'evaluation.recorded' GROUP BY 1
),
days AS (SELECT unnest($days::DATE[]) AS on_day)
SELECT on_day,
       CASE WHEN first_evaluation <= on_day THEN 'first_evaluation'
            WHEN help_started <= on_day THEN 'help_started'
            WHEN intake_held <= on_day THEN 'intake_held'
            WHEN intake_planned <= on_day THEN 'intake_planned'
            WHEN triage <= on_day THEN 'triage'
            ELSE 'first_contact' END AS step,
       count(*) AS n
FROM days JOIN t ON t.first_contact <= on_day AND (t.closed IS NULL OR t.closed > on_day)
LEFT JOIN evaluation USING (trajectory_key)
GROUP BY ALL"""  # noqa: S608 (constants)



# --- the shapes -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    kind: str  # "flow" (a count per week), "stock" (rounded), "share" (0..1), "days"
    period: str  # "week" or "month"
    labels: list[str]  # the periods, oldest first ("2026-W48", "2026-11")
    values: list[float | None]  # None: hidden
    ns: list[int | None] = field(default_factory=list)  # the n of a share or days
    chart: xmr.Chart | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "label": str(self.label), "kind": self.kind,
                "period": self.period,
                "points": [{"period": p, "value": v, **({"n": n} if self.ns else {})}
                           for p, v, n in zip(self.labels, self.values,
                                              self.ns or [None] * len(self.values),
                                              strict=True)],
                "xmr": self.chart.as_dict() if self.chart is not None else None}


def run_only(series: Series) -> Series:
    """A run chart: the points and their median, no XmR limits nor signals (steering.xmr.run)."""
    return replace(series, chart=xmr.run(series.values))


def with_chart(series: Series) -> Series:
    non_negative = series.kind in ("flow", "stock", "days")
    return replace(series, chart=xmr.chart(series.values, non_negative=non_negative))


@dataclass(frozen=True)
class Bottleneck:
    step: str
    label: str
    reached: int
    wait_p50: float
    wait_p90: float | None
    cost: float  # median wait (days) x trajectories reaching the step

    def as_dict(self) -> dict[str, Any]:
        return {"step": self.step, "label": str(self.label), "reached": self.reached,
                "wait_p50": self.wait_p50, "wait_p90": self.wait_p90, "cost": self.cost}


FLOW_LABELS: dict[str, Any] = {
    "new_reports": _("Nieuwe zorgmeldingen per week"),
    "plans_closed": _("Plannen afgesloten per week"),
    "help_started": _("Hulp gestart per week"),
}
OPEN_STEPS = value_stream.STEPS[:-1]  # every step but closed


def open_label(step: str) -> str:
    return str(_("Open werk: %(step)s") % {"step": value_stream.STEP_LABELS[step]})


PAST_NORM_LABEL = _("Wachtend over de norm (voordeur)")
HELPS_LABEL = _("Hulp die helpt, twaalf maanden tot en met de maand")
TIME_LABEL = _("Tijd tot hulp die helpt (mediaan, dagen), twaalf maanden tot en met de maand")
MONTHLY = ("help_that_helps", "time_to_help")


def series_labels() -> dict[str, str]:
    """Every series key of the board with its label: the KPIs an action can aim at."""
    return {**{k: str(v) for k, v in FLOW_LABELS.items()},
            **{f"open_{s}": open_label(s) for s in OPEN_STEPS},
            "open_total": str(_("Open werk: alle stappen")),
            "past_norm": str(PAST_NORM_LABEL),
            "help_that_helps": str(HELPS_LABEL), "time_to_help": str(TIME_LABEL)}




# --- the figures ----------------------------------------------------------------------------


def weekly(con: Any, municipality: str, last_monday: date, threshold: int,
           weeks: int = WEEKS) -> list[Series]:
    """The weekly series of the `weeks` ISO weeks up to the one starting `last_monday`."""
    mondays = [last_monday - timedelta(days=7 * i) for i in range(weeks - 1, -1, -1)]
    sundays = [m + timedelta(days=6) for m in mondays]
    labels = [iso_week(m) for m in mondays]
    first, last = mondays[0], sundays[-1]
    params = {"municipality": municipality, "first": first, "last": last}
    flows: dict[str, dict[date, int]] = {k: {} for k in FLOW_LABELS}
    for key, monday, n in con.execute(WEEKLY_FLOWS_SQL, params).fetchall():
        day = monday.date() if hasattr(monday, "date") else monday
        flows[key][day] = int(n)
    out = [Series(key, str(label), "flow", "week", labels,
                  [suppression.rounded(flows[key].get(m, 0), threshold) for m in mondays])
           for key, label in FLOW_LABELS.items()]

    open_counts: dict[date, dict[str, int]] = {d: {} for d in sundays}
    for on_day, step, n in con.execute(OPEN_WORK_SQL, {**params, "days": sundays}).fetchall():
        open_counts[on_day][step] = int(n)
    out.append(Series("open_total", str(_("Open werk: alle stappen")), "stock", "week", labels,
                      [suppression.rounded(sum(open_counts[d].values()), threshold) for d in sundays]))
    out += [Series(f"open_{step}", open_label(step), "stock", "week", labels,
                   [suppression.rounded(open_counts[d].get(step, 0), threshold) for d in sundays])
            for step in OPEN_STEPS]

    # The front door's waiting lists (insight.waiting), at the end of each week: the
    # total row's past the norm and past three times the norm, already suppressed there.
    found = waiting.waiting(con, Scope(area=municipality, start=first,
                                       end=last + timedelta(days=1), today=last),
                            threshold=threshold)
    past: dict[str, int | None] = {}
    for week in found.weeks:
        total = next(r for r in week.rows if r.step == "total")
        if total.past_norm is None or total.past_3x is None:
            past[week.week] = None
        else:
            past[week.week] = suppression.rounded(total.past_norm + total.past_3x, threshold)
    out.append(Series("past_norm", str(PAST_NORM_LABEL), "stock", "week", labels,
                      [past.get(w) for w in labels]))
    return [with_chart(s) for s in out]


def kpi_scope(municipality: str, board_sunday: date, follow_up_days: int,
              months_count: int = MONTHS) -> Scope:
    """The twelve (`months_count`) whole months ended by the board's week, seen at the
    last one's end."""
    first_of_next = month_start(board_sunday + timedelta(days=1))
    months = months_before(first_of_next, months_count)
    end_of_last = first_of_next - timedelta(days=1)
    return Scope(area=municipality, start=months[0], end=first_of_next, today=end_of_last,
                 follow_up_days=follow_up_days)


def period_end_labels(ends: list[date]) -> list[str]:
    return [e.strftime("%Y-%m") for e in ends]


def kpi_ends(board_sunday: date, months_count: int = MONTHS) -> list[date]:
    """The last days of the `months_count` months ended by the board's week, oldest first:
    the ends of the twelve-month periods the board shows a KPI for."""
    first_of_next = month_start(board_sunday + timedelta(days=1))
    return [actions.month_end(m) for m in months_before(first_of_next, months_count)]


@dataclass(frozen=True)
class Published:
    """A monthly KPI as insight publishes it for one twelve-month period: the scope
    total's value and n (value None: hidden, no figure or n 0; n None: hidden or not
    published at all)."""

    end: date
    value: float | None
    n: int | None


def published(con: Any, municipality: str, end: date, seen: date, threshold: int,
              follow_up_days: int, first_data: date | None) -> dict[str, Published]:
    """Help that helps and time to help that helps over the twelve months ending `end`
    (insight.actions.window_start), seen on `seen` (the last day of the last month that has
    ended, as insight's page sees every period it offers): insight.kpis's scope totals,
    suppressed there. A period insight does not offer (insight.actions.period_ends: before
    the first whole twelve months with data) is hidden."""
    if end not in actions.period_ends(seen + timedelta(days=1), first_data):
        return {k: Published(end, None, None) for k in MONTHLY}
    scope = Scope(area=municipality, start=actions.window_start(end),
                  end=end + timedelta(days=1), today=seen, follow_up_days=follow_up_days)
    helps = kpis.help_that_helps(con, scope, threshold=threshold)[0]
    times = kpis.time_to_help(con, scope, threshold=threshold)[0]
    return {"help_that_helps": Published(end, None if helps.suppressed else helps.value,
                                         None if helps.suppressed else helps.n),
            "time_to_help": Published(end, None if times.suppressed else times.p50,
                                      None if times.suppressed else times.n)}


Figures = Callable[[Any, str, date, date, int, int, date | None], dict[str, Published]]


def monthly(con: Any, municipality: str, board_sunday: date, threshold: int,
            follow_up_days: int, months_count: int = MONTHS, *,
            figures: Figures | None = None) -> list[Series]:
    """Help that helps and time to help that helps for each of the `months_count` months
    ended by the board's week: the figure insight publishes for the twelve months ending
    that month (published()), seen at the end of the last of them. Run charts without XmR
    limits: the twelve-month periods of consecutive months overlap by eleven months."""
    ends = kpi_ends(board_sunday, months_count)
    seen = ends[-1]
    first_data = store.first_day(con)
    figure = figures or published
    found = [figure(con, municipality, end, seen, threshold, follow_up_days, first_data)
             for end in ends]
    labels = period_end_labels(ends)
    return [run_only(Series(key, str(label), kind, "month", labels,
                            [f[key].value for f in found], [f[key].n for f in found]))
            for key, label, kind in (("help_that_helps", HELPS_LABEL, "share"),
                                     ("time_to_help", TIME_LABEL, "days"))]


def bottlenecks(con: Any, municipality: str, board_sunday: date, threshold: int,
                follow_up_days: int) -> list[Bottleneck]:
    """The steps of the value stream (insight.value_stream, over the same twelve months as
    the KPIs) by their cost, the median wait before the step times the trajectories that
    reached it, most costly first; only steps whose figures are shown."""
    stream = value_stream.value_stream(
        con, kpi_scope(municipality, board_sunday, follow_up_days), threshold=threshold)
    found = [Bottleneck(s.key, str(value_stream.STEP_LABELS[s.key]), s.reached,
                        float(s.wait.p50), s.wait.p90, float(s.wait.p50) * s.reached)
             for s in stream.steps
             if s.reached and s.wait.p50 is not None and not s.wait.suppressed
             and s.wait.p50 > 0]
    return sorted(found, key=lambda b: (-b.cost, b.step))


def other_kpis(con: Any, municipality: str, board_sunday: date, threshold: int,
               follow_up_days: int) -> dict[str, Any]:
    """Time on help and job satisfaction from insight.kpis over the KPIs' twelve months:
    the scope total's figure (time on help: the share of hours on help, n the weeks shown;
    job satisfaction: the overall score 0..10 of the latest survey year closed, n its
    respondents), None when insight has none or hides it ("nog geen gegevens")."""
    scope = kpi_scope(municipality, board_sunday, follow_up_days)
    out: dict[str, Any] = {"time_on_help": None, "job_satisfaction": None}
    shares: Any = kpis.time_on_help(con, scope, threshold=threshold)
    total = next((x for x in shares or [] if getattr(x, "group", None) == ""), None)
    if total is not None and not total.suppressed and total.value is not None:
        out["time_on_help"] = {"value": float(total.value), "n": total.weeks,
                               "unit": "share", "year": None}
    scores: Any = kpis.job_satisfaction(con, scope, threshold=threshold)
    totals = [x for x in scores or [] if getattr(x, "group", None) == ""
              and not x.suppressed and x.overall is not None]
    if totals:
        latest = max(totals, key=lambda x: x.year)
        out["job_satisfaction"] = {"value": float(latest.overall), "n": latest.respondents,
                                   "unit": "score", "year": latest.year}
    return out
