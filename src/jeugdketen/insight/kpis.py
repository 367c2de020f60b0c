"""The four neighbourhood KPIs of seed 004 (docs/insight.md, "The four KPIs"), each a DuckDB
query over the insight store's `trajectories`, per group (one area level below the scope's,
or per provider) plus the scope total (group ""), suppressed before they leave here.

- help that helps: of the trajectories whose plan closed in the period, the share that
  could continue without help and had no new trajectory of the household (a new report or
  plan) within the follow-up period after the close; provisional while that period runs;
- time to help that helps: days from first contact to the start of help in those
  trajectories, median, p90 and the share within 28 days;
- time on help vs accountability, job satisfaction: no data source until issue 13 (None).

What is not known on `scope.today` is not counted: a plan closed after today is still open
(censored), a new trajectory after today has not happened yet.

The SQL constants below are the definitions (DEFINITION_VERSION); `{scope_column}` and
`{group_column}` are filled only with the fixed column names of AREA_COLUMNS/GROUP_COLUMNS
(never input); every value is a parameter.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.utils.translation import gettext as _

from jeugdketen.core.errors import FieldError, Refusal
from jeugdketen.insight import stats, suppression
from jeugdketen.insight.figures import Rate, Spread
from jeugdketen.insight.scope import Scope

DEFINITION_VERSION = 1
WITHIN_DAYS = 28  # time to help: the share within 4 weeks

AREA_COLUMNS = {"municipality": "municipality_code", "district": "district_code",
                "neighbourhood": "neighbourhood_code"}
BELOW = {"municipality": "district", "district": "neighbourhood", "neighbourhood": None}
GROUP_COLUMNS = {**{level: AREA_COLUMNS[level] for level in AREA_COLUMNS},
                 "provider": "CAST(provider_id AS VARCHAR)"}

# The trajectories whose plan closed in the period and known on today, with what the KPIs
# ask of each: `helped` (help that helps) and `provisional` (the follow-up not yet over).
CLOSED_PLANS_SQL = """
WITH closed AS (
    SELECT {group_column} AS grp,
           first_contact_at, help_started_at, close_reason, satisfaction, final_t_score,
           can_continue_without_help, budget_eur, spent_eur,
           coalesce(returned_at <= closed_at + to_days(CAST($follow_up_days AS INTEGER))
                    AND returned_at < $known_until, false) AS repeated,
           coalesce(can_continue_without_help, false) AND NOT repeated AS helped,
           closed_at + to_days(CAST($follow_up_days AS INTEGER)) > $today AS provisional
    FROM trajectories
    WHERE {scope_column} = $area
      AND plan_started_at IS NOT NULL
      AND closed_at >= $start AND closed_at < $end
      AND closed_at < $known_until
)"""

HELP_THAT_HELPS_SQL = CLOSED_PLANS_SQL + """
SELECT grp, GROUPING(grp) = 1 AS is_total,
       count(*) AS n,
       count(*) FILTER (WHERE helped) AS count,
       bool_or(provisional) AS provisional
FROM closed
GROUP BY GROUPING SETS ((grp), ())"""

# Constants joined, no input in them (S608: a false alarm on the concatenation).
TIME_TO_HELP_SQL = CLOSED_PLANS_SQL + """
, waited AS (
    SELECT grp, provisional,
           date_diff('day', CAST(first_contact_at AS DATE), CAST(help_started_at AS DATE)) AS days
    FROM closed
    WHERE helped AND help_started_at IS NOT NULL
)
SELECT grp, GROUPING(grp) = 1 AS is_total,
       count(*) AS n,
       quantile_cont(days, 0.5) AS p50,
       quantile_cont(days, 0.9) AS p90,
       count(*) FILTER (WHERE days <= $within_days) AS within,
       bool_or(provisional) AS provisional
FROM waited
GROUP BY GROUPING SETS ((grp), ())"""  # noqa: S608

AREA_NAMES_SQL = """
SELECT DISTINCT {group_column} AS code, {name_column} AS name
FROM areas WHERE {scope_column} = $area ORDER BY code"""

SCOPE_NAME_SQL = """
SELECT {name_column} FROM areas WHERE {scope_column} = $area LIMIT 1"""

PROVIDER_NAMES_SQL = CLOSED_PLANS_SQL + """
SELECT DISTINCT closed.grp AS code, coalesce(o.name, '') AS name
FROM closed LEFT JOIN organisations o ON CAST(o.id AS VARCHAR) = closed.grp
WHERE closed.grp IS NOT NULL ORDER BY name, code"""


@dataclass(frozen=True)
class Grouping:
    """What a figure is per: the store column (`column`) and the groups it lists in order
    (code, name), plus the scope total's name."""
    by: str
    column: str
    groups: list[tuple[str, str]]
    total_label: str


def check(scope: Scope, threshold: int, by: str, allowed: Sequence[str]) -> None:
    """Bad input answered as a refusal naming the field."""
    errors = []
    if scope.area[:2].upper() not in ("GM", "WK", "BU"):
        errors.append(FieldError("area", "insight-area", _("Onbekend gebied.")))
    if scope.end <= scope.start:
        errors.append(FieldError("to", "insight-period", _("De periode eindigt voor ze begint.")))
    if isinstance(threshold, bool) or not isinstance(threshold, int) or threshold < 1:
        errors.append(FieldError("threshold", "insight-threshold",
                                 _("De drempel is een geheel getal van minstens 1.")))
    if by not in allowed:
        errors.append(FieldError("by", "insight-by", _("Onbekende indeling.")))
    if errors:
        raise Refusal.invalid(errors)


def parameters(scope: Scope) -> dict[str, Any]:
    return {"area": scope.area, "start": scope.start, "end": scope.end, "today": scope.today,
            "known_until": scope.today + timedelta(days=1),
            "follow_up_days": scope.follow_up_days}


def sql(template: str, scope: Scope, column: str) -> str:
    """A definition with its (fixed) column names filled in."""
    return template.format(scope_column=AREA_COLUMNS[scope.level], group_column=column)


def grouping(con: Any, scope: Scope, by: str) -> Grouping:
    """The groups of a figure: "area" one level below the scope (a neighbourhood scope has
    only its total), "neighbourhood" every neighbourhood in the scope, "provider" every
    provider of the scope's plans closed in the period."""
    level = scope.level
    scope_column = AREA_COLUMNS[level]
    row = con.execute(SCOPE_NAME_SQL.format(name_column=level + "_name",
                                            scope_column=scope_column),
                      {"area": scope.area}).fetchone()
    total_label = row[0] if row else scope.area
    if by == "provider":
        column = GROUP_COLUMNS["provider"]
        rows = con.execute(sql(PROVIDER_NAMES_SQL, scope, column), parameters(scope)).fetchall()
        return Grouping(by, column, [(code, name or code) for code, name in rows], total_label)
    below = BELOW[level] if by == "area" else "neighbourhood"
    if below is None:
        return Grouping(by, AREA_COLUMNS[level], [], total_label)
    column = AREA_COLUMNS[below]
    rows = con.execute(AREA_NAMES_SQL.format(group_column=column, name_column=below + "_name",
                                             scope_column=scope_column),
                       {"area": scope.area}).fetchall()
    return Grouping(by, column, [(code, name) for code, name in rows], total_label)


def per_group(con: Any, template: str, scope: Scope, groups: Grouping,
              extra: dict[str, Any] | None = None) -> tuple[dict[str, dict[str, Any]],
                                                            dict[str, Any]]:
    """Run a definition: (the groups' rows, group code -> column -> value, every listed
    group present; the total's row). Rows of trajectories in no listed group are left out
    (they are in the total)."""
    cursor = con.execute(sql(template, scope, groups.column), {**parameters(scope),
                                                                **(extra or {})})
    names = [d[0] for d in cursor.description]
    found = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    total = next((r for r in found if r["is_total"]), None)
    by_code = {r["grp"]: r for r in found if not r["is_total"]}
    empty: dict[str, Any] = dict.fromkeys(names)
    rows = {code: by_code.get(code, empty) for code, _ in groups.groups}
    return rows, total or empty


def counts(row: dict[str, Any], *names: str) -> dict[str, int]:
    return {name: int(row[name] or 0) for name in names}


def rate(key: str, group: str, label: str, n: int, count: int, *, suppressed: bool,
         provisional: bool) -> Rate:
    """A rate with its Wilson interval; no numbers when suppressed, no value when n is 0."""
    if suppressed:  # not even provisional: it would tell a plan closed there recently
        return Rate(key, group, label, None, None, None, None, None, suppressed=True)
    interval = stats.wilson(count, n)
    if interval is None:
        return Rate(key, group, label, 0, 0, None, None, None, provisional=provisional)
    return Rate(key, group, label, n, count, count / n, interval[0], interval[1],
                provisional=provisional)


def rates(key: str, groups: Grouping, rows: dict[str, dict[str, Any]], total: dict[str, Any],
          n: str, count: str, threshold: int, provisional: str | None = None) -> list[Rate]:
    """One figure's rates per group and for the total, suppressed (a rate's n, count and
    n - count are one unit: counted, hidden together)."""
    table = {g: {"n": c[n], "count": c[count], "other": c[n] - c[count]}
             for g, c in ((g, counts(r, n, count)) for g, r in rows.items())}
    whole = counts(total, n, count)
    hidden = suppression.groups(
        table, {"n": whole[n], "count": whole[count], "other": whole[n] - whole[count]},
        threshold=threshold, counts=("n", "count", "other"),
        splits=(("n", ("count", "other")),), units=(("n", "count", "other"),))
    out = []
    for code, label, row in [("", groups.total_label, total),
                             *((c, lb, rows[c]) for c, lb in groups.groups)]:
        c = counts(row, n, count)
        out.append(rate(key, code, label, c[n], c[count], suppressed=(code, "n") in hidden,
                        provisional=bool(provisional and row.get(provisional))))
    return out


def help_that_helps(con: Any, scope: Scope, *, threshold: int, by: str = "area") -> list[Rate]:
    """Help that helps per group (by "area" or "provider"), the scope total first."""
    check(scope, threshold, by, ("area", "provider"))
    groups = grouping(con, scope, by)
    rows, total = per_group(con, HELP_THAT_HELPS_SQL, scope, groups)
    return rates("help_that_helps", groups, rows, total, "n", "count", threshold,
                 provisional="provisional")


def time_to_help(con: Any, scope: Scope, *, threshold: int, by: str = "area") -> list[Spread]:
    """Time to help that helps per group, the scope total first. Hidden with the group's
    help that helps (its n is nearly that rate's count); the share within 28 days is
    hidden on its own when those within or beyond are too few."""
    check(scope, threshold, by, ("area", "provider"))
    groups = grouping(con, scope, by)
    helps, helps_total = per_group(con, HELP_THAT_HELPS_SQL, scope, groups)
    rows, total = per_group(con, TIME_TO_HELP_SQL, scope, groups,
                            {"within_days": WITHIN_DAYS})

    def columns(h: dict[str, Any], t: dict[str, Any]) -> dict[str, int]:
        a, b = counts(h, "n", "count"), counts(t, "n", "within")
        return {"n": a["n"], "count": a["count"], "other": a["n"] - a["count"],
                "t_n": b["n"], "within": b["within"], "beyond": b["n"] - b["within"]}

    hidden = suppression.groups(
        {g: columns(helps[g], rows[g]) for g in rows}, columns(helps_total, total),
        threshold=threshold, counts=("n", "count", "other", "t_n", "within", "beyond"),
        splits=(("n", ("count", "other")), ("t_n", ("within", "beyond"))),
        units=(("n", "count", "other", "t_n"), ("within", "beyond")))
    out = []
    for code, label, row in [("", groups.total_label, total),
                             *((c, lb, rows[c]) for c, lb in groups.groups)]:
        provisional = bool(row.get("provisional"))
        n = int(row["n"] or 0)
        if (code, "t_n") in hidden:
            out.append(Spread("time_to_help_days", code, label, None, None, None, None,
                              suppressed=True))
            continue
        within = None if (code, "within") in hidden or n == 0 else int(row["within"]) / n
        out.append(Spread("time_to_help_days", code, label, n,
                          None if n == 0 else float(row["p50"]),
                          None if n == 0 else float(row["p90"]), within,
                          provisional=provisional))
    return out


def time_on_help(con: Any, scope: Scope, *, threshold: int, by: str = "area") -> None:
    """Time on help vs accountability: no data until the time registration (issue 13)."""
    check(scope, threshold, by, ("area",))
    return None


def job_satisfaction(con: Any, scope: Scope, *, threshold: int, by: str = "area") -> None:
    """Job satisfaction: no data until the yearly survey (issue 13)."""
    check(scope, threshold, by, ("area",))
    return None
