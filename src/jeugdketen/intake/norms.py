"""The front door's norms (ADR 0010; domain.md section 7, the treeknormen).

A norm gives the days a step may take: the triage in working days per urgency, the later
steps in calendar days. A municipality may set its own (`Norm` rows); where it has none,
`DEFAULTS` apply. The actions store the due dates when a step starts, so a norm change
applies to steps that start after it.

Which norm a step is measured by, and from when (the caller passes `start`):
- `received`: the triage, from the report's receipt;
- `triaged` and `intake_planned`: the intake held, from the report's receipt (4 weeks);
- `intake_held`: help started, from the intake (10 weeks).
`help_started` and `closed` have no norm (`has_norm` is false).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any, NamedTuple

from jeugdketen.core.workdays import add_working_days
from jeugdketen.intake.models import Norm, Step, Urgency

# Overdue twice over: past three times the norm.
OVERDUE_FACTOR = 3


class Rule(NamedTuple):
    days: int
    working: bool


# (norm step, urgency; "" = every urgency) -> the default rule.
DEFAULTS: dict[tuple[str, str], Rule] = {
    (Step.RECEIVED, Urgency.CRISIS): Rule(0, True),  # the same day
    (Step.RECEIVED, Urgency.URGENT): Rule(2, True),
    (Step.RECEIVED, Urgency.REGULAR): Rule(5, True),
    (Step.TRIAGED, ""): Rule(28, False),  # the intake within 4 weeks of the report
    (Step.INTAKE_HELD, ""): Rule(70, False),  # help within 10 weeks of the intake
}

# The step whose norm measures a step (intake planned still waits for the intake held).
NORM_STEP: dict[str, str] = {
    Step.RECEIVED: Step.RECEIVED,
    Step.TRIAGED: Step.TRIAGED,
    Step.INTAKE_PLANNED: Step.TRIAGED,
    Step.INTAKE_HELD: Step.INTAKE_HELD,
}

# The steps a municipality can set a norm for.
NORM_STEPS: tuple[str, ...] = (Step.RECEIVED, Step.TRIAGED, Step.INTAKE_HELD)


def has_norm(step: str) -> bool:
    return step in NORM_STEP


def default_rule(step: str, urgency: str) -> Rule:
    norm_step = NORM_STEP[step]
    return DEFAULTS.get((norm_step, urgency)) or DEFAULTS[(norm_step, "")]


# A municipality's rows for one norm step, read by the caller with its own statement:
# (urgency, days, working) each.
NormRows = Iterable[tuple[str, int, bool]]


def rule_for(municipality: Any, step: str, urgency: str, rows: NormRows | None = None
             ) -> Rule:
    """The norm for `step` at `urgency` in a municipality (a `Municipality` or its code):
    its own row for the urgency, else its row for every urgency, else the default. `rows`:
    the municipality's rows for the step's norm step, when the caller read them with its
    own statement (in this transaction; see norm_rows_sql), instead of a query here."""
    if not has_norm(step):
        raise ValueError(f"step {step!r} has no norm")
    if rows is None:
        code = getattr(municipality, "pk", municipality)
        rows = [(n.urgency, n.days, n.working) for n in Norm.objects.filter(
            municipality_id=code, step=NORM_STEP[step], urgency__in=[urgency, ""])]
    found = {u: Rule(int(days), bool(working)) for u, days, working in rows
             if u in (urgency, "")}
    return found.get(urgency) or found.get("") or default_rule(step, urgency)


def norm_rows_sql(vendor: str, municipality_sql: str) -> str:
    """A scalar sub-select for a caller's own statement: the rows of the municipality
    `municipality_sql` (an SQL expression taking one parameter, the norm step) as a JSON
    array of [urgency, days, working]; decode with norm_rows."""
    table = Norm._meta.db_table
    if vendor == "postgresql":
        agg = "json_agg(json_build_array(urgency, days, working))"
    else:
        agg = "json_group_array(json_array(urgency, days, working))"
    return (f"(SELECT {agg} FROM {table} WHERE municipality_id = {municipality_sql} "  # noqa: S608
            "AND step = %s)")


def norm_rows(value: Any) -> list[tuple[str, int, bool]]:
    """The rows of norm_rows_sql's column (PostgreSQL: decoded JSON or NULL; SQLite:
    text)."""
    if value is None:
        return []
    if isinstance(value, str | bytes):
        value = json.loads(value)
    return [(str(u), int(d), bool(w)) for u, d, w in value]


def due_on(rule: Rule, start: date, factor: int = 1) -> date:
    days = rule.days * factor
    return add_working_days(start, days) if rule.working else start + timedelta(days=days)


def due_dates(municipality: Any, step: str, urgency: str, start: date,
              rows: NormRows | None = None) -> tuple[date, date]:
    """(due on, three-times-overdue on) of a step that starts counting at `start`: the
    report is overdue once `due on` has passed, and overdue three times over once the
    second date has passed. Raises ValueError for a step without a norm. `rows`: as
    rule_for takes them."""
    rule = rule_for(municipality, step, urgency, rows)
    return due_on(rule, start), due_on(rule, start, OVERDUE_FACTOR)
