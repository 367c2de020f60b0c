"""The front door's one visible queue (issue 11, ADR 0010 "The queue").

Every open report of a municipality (received, triaged, intake planned, intake held) with
its step, urgency, neighbourhood, days in the step and in total, the norm of the step,
the overdue flags (past the norm: `1x`; past three times the norm: `3x`) and the date the
next step is expected. One statement reads a page of the queue: the open reports of the
municipality with `row_number()` over their step (the most urgent first, then the oldest)
as their place in line, the filters applied outside that window (a filter never moves a
report's place), ordered by a whitelisted column and paged (50). A second small statement
reads the intake capacity when the page holds reports waiting for an intake meeting, a
third the municipality's norms. Due dates are stored by the actions, so the overdue filter
is a range on a column, not arithmetic per row.

Listing counts as reading: one `authorize_many` READ of `CARE_REPORT` per listed report
(the access log names the child of a report about a person). Nobody but whom the policy
lets read the municipality's reports (its front-door team) sees the queue: anyone else is
denied before anything is read, and that attempt is logged. No content of a report is
read: no question, no names, no contact details.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import connection
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from jeugdketen.access import audit
from jeugdketen.access.policy import Action, Actor, Data, Decision, Target, decide
from jeugdketen.core.errors import Refusal
from jeugdketen.intake import norms
from jeugdketen.intake.models import (
    OPEN_STEPS,
    URGENCY_RANK,
    CareReport,
    IntakeCapacity,
    IntakeMeeting,
    Norm,
    Step,
    Urgency,
)
from jeugdketen.registry.models import Neighbourhood, Organisation, Person

PER_PAGE = 50
MAX_PAGE = 100_000  # far beyond any queue; larger numbers would overflow the SQL offset
# How far ahead the capacity is looked at for the expected intake date.
CAPACITY_WEEKS = 26
# Overdue filter values: past the norm (three times over included), past three times the
# norm, not (yet) past the norm.
OVERDUE = ("1x", "3x", "no")

# The orders a caller may ask for (a leading "-" reverses one): the key -> the columns of
# the statement's select. Ties go oldest first, then by id.
ORDERS: dict[str, str] = {
    "received_at": "received_at",
    "step": "step_rank",
    "urgency": "urgency_rank",
    "neighbourhood": "neighbourhood_code",
    "step_since": "step_since",
    "step_due_on": "step_due_on",
}

# The report's columns the queue reads: never any of its content.
FIELDS = ("id", "municipality_id", "person_id", "household_id", "neighbourhood_code",
          "reference", "urgency", "received_at", "step", "step_since", "step_due_on",
          "step_overdue3_on")


@dataclass(frozen=True)
class QueueRow:
    """One open report in the queue (no content: codes, dates and counts)."""

    report: CareReport  # only the columns in FIELDS are loaded
    neighbourhood_name: str
    ahead: int  # reports before it in line in its step
    days_in_step: int
    days_total: int
    norm_days: int | None
    norm_working: bool
    overdue: str  # "", "1x" or "3x"
    expected_next_on: date | None
    meeting_starts_at: datetime | None

    @property
    def id(self) -> str:
        return str(self.report.pk)

    @property
    def step(self) -> str:
        return self.report.step

    @property
    def urgency(self) -> str:
        return self.report.urgency

    def as_dict(self) -> dict[str, Any]:
        """The API's row (GET /api/v1/queue)."""
        report = self.report
        return {"id": report.pk, "step": report.step, "urgency": report.urgency,
                "neighbourhood": report.neighbourhood_code or None,
                "received_at": report.received_at, "days_in_step": self.days_in_step,
                "days_total": self.days_total, "norm_days": self.norm_days,
                "norm_working": self.norm_working, "overdue": self.overdue or None,
                "ahead": self.ahead, "expected_next_on": self.expected_next_on}


@dataclass(frozen=True)
class Queue:
    rows: list[QueueRow]
    total: int
    page: int
    per_page: int
    order: str

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))


# --- input -------------------------------------------------------------------------------


def _check(step: str | None, urgency: str | None, overdue: str | None, order: str,
           page: int) -> None:
    if step and step not in OPEN_STEPS:
        raise Refusal("choice", _("Kies een stap van een open melding."), field="step")
    if urgency and urgency not in Urgency.values:
        raise Refusal("choice", _("Kies crisis, spoed of regulier."), field="urgency")
    if overdue and overdue not in OVERDUE:
        raise Refusal("choice", _("Kies 1x, 3x of no."), field="overdue")
    if order.removeprefix("-") not in ORDERS:
        raise Refusal("choice", _("Sorteer op een kolom van de wachtrij."), field="order")
    if not isinstance(page, int) or not 1 <= page <= MAX_PAGE:
        raise Refusal("range", _("Een pagina is 1 of meer (hoogstens %(n)s).")
                      % {"n": MAX_PAGE}, field="page")


def may_see_queue(actor: Actor, municipality_code: str) -> Decision:
    """The policy's answer to reading the reports of this municipality, asked about a
    report of it that is nobody's yet (no person, no reporter, no invitation): only a
    ground for every report of the municipality (the front door's) is left. Not logged."""
    probe = CareReport(id=None, municipality_id=municipality_code)
    return decide(actor, Action.READ, Target(Data.CARE_REPORT, report=probe))


# --- the statement -----------------------------------------------------------------------


def _table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _column(model: type[Model], attname: str) -> str:
    field = next(f for f in model._meta.concrete_fields if f.attname == attname)
    return connection.ops.quote_name(field.column)


def _case(column: str, ranks: dict[str, int]) -> str:
    # Only codes of the models' choices are put into the statement.
    whens = " ".join(f"WHEN '{code}' THEN {rank}" for code, rank in ranks.items())
    return f"CASE {column} {whens} ELSE {len(ranks)} END"


STEP_RANK = {str(step): i for i, step in enumerate(OPEN_STEPS)}
_SQL: dict[tuple[str, ...], str] = {}


def _sql(filters: tuple[str, ...], order: str, one_step: bool = False) -> str:
    """The page's statement: `filters` on the numbered reports (`q`), `one_step` a step
    filter inside the window (a step's reports are numbered among themselves, so it
    moves no place, and the database numbers only that step's)."""
    key = (connection.vendor, order, str(one_step), *filters)
    found = _SQL.get(key)
    if found is not None:
        return found
    cols = ", ".join(f"r.{_column(CareReport, name)} AS {name}" for name in FIELDS)
    urgency_rank = _case("r.urgency", {str(k): v for k, v in URGENCY_RANK.items()})
    steps = ", ".join("%s" for _ in OPEN_STEPS)
    meeting, report_col = _table(IntakeMeeting), _column(IntakeMeeting, "report_id")
    column = ORDERS[order.removeprefix("-")]
    step_rank = _case("r.step", STEP_RANK)
    direction = " DESC" if order.startswith("-") else ""
    nulls = " NULLS LAST" if connection.vendor == "postgresql" else ""
    where = " AND ".join(filters) or "1 = 1"
    # Only table names, column names, choice codes and placeholders are put into the
    # statement (S608); the order is one of ORDERS. The window numbers every open report
    # of the municipality (partitioned by the step's rank: integers sort faster than
    # collated text); the filters, the order and the page come after it; the
    # neighbourhood's name and the meeting are looked up for the page's rows only.
    sql = (
        "SELECT p.*, n.name, CASE WHEN p.step = %s THEN (SELECT min(m.starts_at) "  # noqa: S608
        f"FROM {meeting} m WHERE m.{report_col} = p.id AND m.held_at IS NULL) END "
        "FROM (SELECT q.*, count(*) OVER () AS jk_total "
        f"FROM (SELECT {cols}, {urgency_rank} AS urgency_rank, {step_rank} AS step_rank, "
        f"row_number() OVER (PARTITION BY {step_rank} ORDER BY {urgency_rank}, "
        f"r.received_at, r.id) AS jk_place FROM {_table(CareReport)} r "
        f"WHERE r.municipality_id = %s AND r.step IN ({steps})"
        f"{' AND r.step = %s' if one_step else ''}) q "
        f"WHERE {where} ORDER BY q.{column}{direction}{nulls}, q.received_at, q.id "
        "LIMIT %s OFFSET %s) p "
        f"LEFT JOIN {_table(Neighbourhood)} n ON n.code = p.neighbourhood_code "
        f"ORDER BY p.{column}{direction}{nulls}, p.received_at, p.id")
    _SQL[key] = sql
    return sql


def _count_sql(filters: tuple[str, ...]) -> str:
    """How many open reports the filters leave (for a page past the last)."""
    steps = ", ".join("%s" for _ in OPEN_STEPS)
    where = "".join(f" AND {f}" for f in filters)
    # Only the table name, the filters above and placeholders (S608).
    return (f"SELECT count(*) FROM {_table(CareReport)} q "  # noqa: S608
            f"WHERE q.municipality_id = %s AND q.step IN ({steps}){where}")


def _converters(model: type[Model], names: tuple[str, ...]) -> list[tuple[Any, list[Any]]]:
    """The ORM's converters for these columns (as a queryset applies them)."""
    out = []
    for name in names:
        field = next(f for f in model._meta.concrete_fields if f.attname == name)
        col = field.get_col(model._meta.db_table)
        out.append((col, connection.ops.get_db_converters(col)
                    + col.get_db_converters(connection)))
    return out


def _convert(value: Any, col: Any, funcs: list[Any]) -> Any:
    for func in funcs:
        value = func(value, col, connection)
    return value


def _report(row: tuple[Any, ...], converters: list[tuple[Any, list[Any]]]) -> CareReport:
    values = [_convert(v, col, funcs) for v, (col, funcs) in zip(row, converters, strict=False)]
    report: CareReport = CareReport.from_db(connection.alias, list(FIELDS), values)
    return report


# --- capacity and norms --------------------------------------------------------------------


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weekly_slots(municipality_code: str, today: date,
                 weeks: int = CAPACITY_WEEKS) -> list[int]:
    """The intake slots of the municipality's active organisations in each of the next
    `weeks` weeks (this week first): per organisation the row of that week, else its
    latest earlier row. One statement."""
    monday = monday_of(today)
    end = monday + timedelta(weeks=weeks)
    cap, org = _table(IntakeCapacity), _table(Organisation)
    org_col, week = _column(IntakeCapacity, "organisation_id"), _column(IntakeCapacity,
                                                                       "week_start")
    # Only table and column names and placeholders are put into the statement (S608).
    sql = (f"SELECT c.{org_col}, c.{week}, c.slots FROM {cap} c "  # noqa: S608
           f"JOIN {org} o ON o.id = c.{org_col} WHERE o.municipality_id = %s AND o.active "
           f"AND c.{week} < %s AND (c.{week} >= %s OR c.{week} = (SELECT max(c2.{week}) "
           f"FROM {cap} c2 WHERE c2.{org_col} = c.{org_col} AND c2.{week} < %s))")
    converters = _converters(IntakeCapacity, ("organisation_id", "week_start", "slots"))
    rows: dict[int, list[tuple[date, int]]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, [municipality_code, end, monday, monday])
        for raw in cursor.fetchall():
            org_id, start, slots = (_convert(v, c, f) for v, (c, f) in zip(raw, converters,
                                                                           strict=True))
            rows.setdefault(org_id, []).append((start, slots))
    totals = [0] * weeks
    for found in rows.values():
        found.sort()
        for i in range(weeks):
            week_start = monday + timedelta(weeks=i)
            current = [slots for start, slots in found if start <= week_start]
            totals[i] += current[-1] if current else 0
    return totals


def expected_week(place: int, slots: list[int], today: date) -> date | None:
    """The day the `place`-th report waiting for an intake gets one: the Monday of the
    first week whose cumulative slots reach its place (this week: today); None when the
    capacity of the coming weeks does not reach it."""
    total = 0
    monday = monday_of(today)
    for i, week in enumerate(slots):
        total += week
        if total >= place:
            return today if i == 0 else monday + timedelta(weeks=i)
    return None


def norm_rules(municipality_code: str) -> dict[tuple[str, str], norms.Rule]:
    """The municipality's own norm rows (one statement), keyed as norms.DEFAULTS."""
    return {(n.step, n.urgency): norms.Rule(n.days, n.working)
            for n in Norm.objects.filter(municipality_id=municipality_code)}


def rule_of(own: dict[tuple[str, str], norms.Rule], step: str, urgency: str) -> norms.Rule:
    """As norms.rule_for, over rows read once: own row for the urgency, own row for every
    urgency, else the default."""
    norm_step = norms.NORM_STEP[step]
    return (own.get((norm_step, urgency)) or own.get((norm_step, ""))
            or norms.default_rule(step, urgency))


# --- the queue -----------------------------------------------------------------------------


def overdue_flag(report: CareReport, today: date) -> str:
    if report.step_overdue3_on is not None and report.step_overdue3_on < today:
        return "3x"
    if report.step_due_on is not None and report.step_due_on < today:
        return "1x"
    return ""


@audit.write_path
def queue(actor: Actor, municipality_code: str, *, step: str | None = None,
          urgency: str | None = None, overdue: str | None = None,
          order: str = "received_at", page: int = 1, per_page: int = PER_PAGE,
          today: date | None = None) -> Queue:
    """A page of the municipality's queue (see the module). Filters: `step` (an open
    step), `urgency`, `overdue` (`1x`: past the norm, `3x`: past three times the norm,
    `no`: not past it); `order` one of ORDERS, "-" first for the reverse (default: the
    oldest report first). Bad input is refused naming the field; a page past the last
    gives the last. Every listed report counts as read (logged)."""
    _check(step, urgency, overdue, order, page)
    code = str(municipality_code or "")[:10]
    decision = may_see_queue(actor, code)
    if not decision.allowed:
        raise audit.AccessDenied(actor, Action.READ,
                                 Target(Data.CARE_REPORT, object_id=f"queue:{code}"),
                                 decision)
    today = today or timezone.localdate()
    filters: list[str] = []
    params: list[Any] = [Step.INTAKE_PLANNED.value, code, *[str(s) for s in OPEN_STEPS]]
    if urgency:
        filters.append("q.urgency = %s")
    if overdue == "3x":
        filters.append("q.step_overdue3_on < %s")
    elif overdue == "1x":
        filters.append("q.step_due_on < %s")
    elif overdue == "no":
        filters.append("(q.step_due_on IS NULL OR q.step_due_on >= %s)")
    params += [v for v in (step, urgency) if v] + ([today] if overdue else [])
    sql = _sql(tuple(filters), order, one_step=bool(step))
    converters = _converters(CareReport, FIELDS)
    meeting_conv = _converters(IntakeMeeting, ("starts_at",))[0]
    number = page
    while True:
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, per_page, (number - 1) * per_page])
            raw = cursor.fetchall()
        if raw or number == 1:
            break
        # Past the last page: the last one (its number from a count).
        with connection.cursor() as cursor:
            cursor.execute(_count_sql(("q.step = %s",) * bool(step) + tuple(filters)),
                           params[1:])
            total = int(cursor.fetchone()[0])
        last = max(1, math.ceil(total / per_page))
        if last >= number:
            break
        number = last
    width = len(FIELDS)
    own = norm_rules(code) if raw else {}
    reports = [_report(r, converters) for r in raw]
    slots = (weekly_slots(code, today)
             if any(r.step == Step.TRIAGED for r in reports) else [])
    rows = []
    for values, report in zip(raw, reports, strict=True):
        place = int(values[width + 2])
        name = values[width + 4] or ""
        starts_at = _convert(values[width + 5], *meeting_conv)
        rule = rule_of(own, report.step, report.urgency)
        if report.step == Step.TRIAGED:
            expected = expected_week(place, slots, today)
        elif report.step == Step.INTAKE_PLANNED and starts_at is not None:
            expected = timezone.localdate(starts_at)
        else:
            expected = report.step_due_on
        rows.append(QueueRow(
            report=report, neighbourhood_name=name, ahead=place - 1,
            days_in_step=(today - report.step_since).days,
            days_total=(today - timezone.localdate(report.received_at)).days,
            norm_days=rule.days, norm_working=rule.working,
            overdue=overdue_flag(report, today), expected_next_on=expected,
            meeting_starts_at=starts_at))
    total = int(raw[0][width + 3]) if raw else 0
    audit.authorize_many(actor, Action.READ, [_target(r.report) for r in rows])
    return Queue(rows=rows, total=total, page=number, per_page=per_page, order=order)


def _target(report: CareReport) -> Target:
    """The READ of a listed report: about its child (a person only by id: the queue reads
    no one's details), the report as the record."""
    person = (Person.from_db(connection.alias, ["id"], [report.person_id])
              if report.person_id is not None else None)
    return Target(Data.CARE_REPORT, person=person, object_id=str(report.pk), report=report)
