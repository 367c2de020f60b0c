"""The four neighbourhood KPIs of seed 004 (docs/insight.md, "The four KPIs"), each a DuckDB
query over the insight store's `trajectories`, per group (one area level below the scope's,
or per provider) plus the scope total (group ""), suppressed before they leave here.

- help that helps: of the trajectories whose plan closed in the period, the share that
  could continue without help and had no new trajectory of the household (a new report or
  plan) within the follow-up period after the close; provisional while that period runs;
- time to help that helps: days from first contact to the start of help in those
  trajectories, median, p90 and the share within 28 days;
- time on help vs accountability, job satisfaction (issue 13): from the weekly time answers
  and the closed yearly surveys in the store's `events` (insight.effort).

A figure per provider is always over the whole municipality the scope's area lies in
(`provider_scope`): a provider table of a district minus the one of its neighbourhood
would otherwise give the plans of the rest of the district per provider, a hidden
neighbourhood's among them.

What is not known on `scope.today` is not counted: a plan closed after today is still open
(censored), a new trajectory after today has not happened yet.

The SQL constants below are the definitions (DEFINITION_VERSION); `{scope_column}` and
`{group_column}` are filled only with the fixed column names of AREA_COLUMNS/GROUP_COLUMNS
(never input); every value is a parameter.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

from django.utils.translation import gettext as _

from jeugdketen.core.errors import FieldError, Refusal
from jeugdketen.insight import effort, stats, suppression
from jeugdketen.insight.figures import Rate, Spread
from jeugdketen.insight.scope import Scope

DEFINITION_VERSION = 1
WITHIN_DAYS = 28  # time to help: the share within 4 weeks

AREA_COLUMNS = {"municipality": "municipality_code", "district": "district_code",
                "neighbourhood": "neighbourhood_code"}
BELOW = {"municipality": "district", "district": "neighbourhood", "neighbourhood": None}
OTHER_PROVIDERS = "other"  # the group of the providers whose figures are hidden, unnamed
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

# Look-ups of the areas' codes (reference data, no definition).
MUNICIPALITY_OF = """
SELECT municipality_code FROM areas WHERE {scope_column} = $area LIMIT 1"""

# The same from the trajectories, for an area no longer in `areas` (not a definition).
MUNICIPALITY_OF_TRAJECTORIES = """
SELECT municipality_code FROM trajectories
WHERE {scope_column} = $area AND municipality_code <> '' LIMIT 1"""

AREAS_OF = """
SELECT DISTINCT district_code, neighbourhood_code FROM areas
WHERE municipality_code = $area ORDER BY 1, 2"""


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


def scope_name(con: Any, scope: Scope) -> str:
    """The name of the scope's area (its code when the store does not know it)."""
    row = con.execute(SCOPE_NAME_SQL.format(name_column=scope.level + "_name",
                                            scope_column=AREA_COLUMNS[scope.level]),
                      {"area": scope.area}).fetchone()
    return str(row[0]) if row else scope.area


def provider_scope(con: Any, scope: Scope) -> Scope:
    """The scope of a figure per provider: the same period over the whole municipality
    the scope's area lies in, whatever area was asked for, so the provider tables of a
    district and of its neighbourhoods are the same table and nothing is left when one
    is subtracted from the other. An area the store knows neither in `areas` nor in the
    trajectories has no plans to show: its own scope (an empty table)."""
    if scope.level == "municipality":
        return scope
    for template in (MUNICIPALITY_OF, MUNICIPALITY_OF_TRAJECTORIES):
        found = con.execute(template.format(scope_column=AREA_COLUMNS[scope.level]),
                            {"area": scope.area}).fetchone()
        if found is not None:
            return replace(scope, area=str(found[0]))
    return scope


def grouping(con: Any, scope: Scope, by: str) -> Grouping:
    """The groups of a figure: "area" one level below the scope (a neighbourhood scope has
    only its total), "neighbourhood" every neighbourhood in the scope, "provider" every
    provider of the scope's plans closed in the period (give it `provider_scope`)."""
    level = scope.level
    scope_column = AREA_COLUMNS[level]
    total_label = scope_name(con, scope)
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


@dataclass(frozen=True)
class Areas:
    """One definition's rows for every area of the scope's municipality (the municipality,
    its districts and their neighbourhoods: the store's `areas`), to suppress a figure
    over the whole hierarchy at once: `rows` area code -> the definition's row, `parents`
    each district's and neighbourhood's parent; `area` the scope's own area."""
    area: str
    rows: dict[str, dict[str, Any]]
    parents: dict[str, str]


def areas(con: Any, scope: Scope, template: str, extra: dict[str, Any] | None = None
          ) -> Areas | None:
    """Run a definition for every area of the scope's municipality; None when the scope's
    area is not in the store's `areas` (then the figure is suppressed on its own)."""
    found = con.execute(MUNICIPALITY_OF.format(scope_column=AREA_COLUMNS[scope.level]),
                        {"area": scope.area}).fetchone()
    if found is None:
        return None
    town = replace(scope, area=found[0])
    pairs = con.execute(AREAS_OF, {"area": town.area}).fetchall()
    parents = {**{district: town.area for district, _hood in pairs},
               **{hood: district for district, hood in pairs}}
    rows: dict[str, dict[str, Any]] = {}
    for level, codes in (("district", {d for d, _h in pairs}), ("neighbourhood",
                                                                {h for _d, h in pairs})):
        grouped = Grouping(level, AREA_COLUMNS[level], [(c, c) for c in sorted(codes)], "")
        per_area, total = per_group(con, template, town, grouped, extra)
        rows.update(per_area)
        rows[town.area] = total
    return Areas(scope.area, rows, parents)


def from_system(system: Areas | None, groups: Grouping
                ) -> tuple[dict[str, dict[str, Any]], dict[str, Any]] | None:
    """A figure's groups and total read from its rows over the municipality's areas (the
    same definition, per area), instead of running it again: for groups that are areas
    only; None otherwise (then per_group runs it)."""
    if system is None or groups.by == "provider" or system.area not in system.rows:
        return None
    found = system.rows
    names = next(iter(found.values())).keys() if found else ()
    empty: dict[str, Any] = dict.fromkeys(names)
    return ({code: found.get(code, empty) for code, _label in groups.groups},
            found[system.area])


def hidden_cells(system: Areas | None, groups: Grouping, rows: dict[str, dict[str, Any]],
                 total: dict[str, Any], columns: Callable[[dict[str, Any]], dict[str, float]],
                 *, threshold: int, counts: Sequence[str],
                 splits: Sequence[tuple[str, Sequence[str]]],
                 units: Sequence[Sequence[str]]) -> set[tuple[str, str]]:
    """The hidden (group, column) cells of a figure ("" the scope total). Suppressed over
    the areas' hierarchy (`system`) when there is one: a cell hidden anywhere in it is
    hidden in every answer that shows it, so no answer minus another gives it away; the
    provider groups (no hierarchy) are then suppressed within the scope's total, with that
    total hidden when it is hidden among the areas."""
    table = {g: columns(r) for g, r in rows.items()}
    whole = columns(total)
    if system is None:
        return suppression.groups(table, whole, threshold=threshold, counts=counts,
                                  splits=splits, units=units)
    cells = {a: columns(r) for a, r in system.rows.items()}

    def among_areas(at: int) -> set[tuple[str, str]]:
        return suppression.areas(cells, system.parents, threshold=at, counts=counts,
                                 splits=splits, units=units)

    found = among_areas(threshold)
    top = {("", c) for a, c in found if a == system.area}
    if groups.by == "provider":
        return suppression.groups(
            table, whole, threshold=threshold, counts=counts, splits=splits, units=units,
            hidden=lambda at: {("", c) for a, c in among_areas(at) if a == system.area})
    return top | {(a, c) for a, c in found if a in table}


def named(groups: Grouping, hidden: set[tuple[str, str]], column: str
          ) -> tuple[list[tuple[str, str]], bool]:
    """The groups listed by name, and whether some are merged unnamed: a provider whose
    figure is hidden is not named (its name beside a hidden count would tell that a few
    of the area's families had its help); the hidden ones are one row, "Andere
    aanbieders", hidden."""
    if groups.by != "provider":
        return groups.groups, False
    shown = [(c, lb) for c, lb in groups.groups if (c, column) not in hidden]
    return shown, len(shown) < len(groups.groups)


def counts(row: dict[str, Any], *names: str) -> dict[str, int]:
    return {name: int(row[name] or 0) for name in names}


def rate(key: str, group: str, label: str, n: int, count: int, *, suppressed: bool,
         provisional: bool, threshold: int) -> Rate:
    """A rate as published: no numbers when suppressed; else n and count rounded to a
    multiple of 10 (suppression.rounded), and the value and its Wilson
    interval computed from those rounded counts, so that neither gives the exact counts
    back (docs/insight.md, "Rounded period counts"); no value when n is 0."""
    shown_n, shown_count = (suppression.rounded(n, threshold),
                            suppression.rounded(count, threshold))
    if suppressed or shown_n is None or shown_count is None:
        # not even provisional: it would tell a plan closed there recently
        return Rate(key, group, label, None, None, None, None, None, suppressed=True)
    interval = stats.wilson(shown_count, shown_n)
    if interval is None:
        return Rate(key, group, label, 0, 0, None, None, None, provisional=provisional,
                    rounded_to=suppression.step(threshold))
    return Rate(key, group, label, shown_n, shown_count, shown_count / shown_n, interval[0],
                interval[1], provisional=provisional, rounded_to=suppression.step(threshold))


def rates(key: str, groups: Grouping, rows: dict[str, dict[str, Any]], total: dict[str, Any],
          n: str, count: str, threshold: int, provisional: str | None = None,
          system: Areas | None = None) -> list[Rate]:
    """One figure's rates per group and for the total, suppressed (a rate's n, count and
    n - count are one unit: counted, hidden together), over the areas' hierarchy
    `system` when given (`areas` of the same definition)."""
    def columns(row: dict[str, Any]) -> dict[str, float]:
        c = counts(row, n, count)
        return {"n": c[n], "count": c[count], "other": c[n] - c[count]}

    hidden = hidden_cells(system, groups, rows, total, columns, threshold=threshold,
                          counts=("n", "count", "other"),
                          splits=(("n", ("count", "other")),),
                          units=(("n", "count", "other"),))
    listed, merged = named(groups, hidden, "n")
    out = []
    for code, label, row in [("", groups.total_label, total),
                             *((c, lb, rows[c]) for c, lb in listed)]:
        c = counts(row, n, count)
        out.append(rate(key, code, label, c[n], c[count], suppressed=(code, "n") in hidden,
                        provisional=bool(provisional and row.get(provisional)),
                        threshold=threshold))
    if merged:
        out.append(rate(key, OTHER_PROVIDERS, _("Andere aanbieders"), 0, 0, suppressed=True,
                        provisional=False, threshold=threshold))
    return out


def help_that_helps(con: Any, scope: Scope, *, threshold: int, by: str = "area") -> list[Rate]:
    """Help that helps per group (by "area" or "provider": over the whole municipality,
    `provider_scope`), the scope total first."""
    check(scope, threshold, by, ("area", "provider"))
    if by == "provider":
        scope = provider_scope(con, scope)
    groups = grouping(con, scope, by)
    system = areas(con, scope, HELP_THAT_HELPS_SQL)
    rows, total = from_system(system, groups) or per_group(con, HELP_THAT_HELPS_SQL, scope,
                                                           groups)
    return rates("help_that_helps", groups, rows, total, "n", "count", threshold,
                 provisional="provisional", system=system)


def time_to_help(con: Any, scope: Scope, *, threshold: int, by: str = "area") -> list[Spread]:
    """Time to help that helps per group, the scope total first. Hidden with the group's
    help that helps (its n is nearly that rate's count); the share within 28 days is
    hidden on its own when those within or beyond are too few. Per provider over the whole municipality
    (`provider_scope`)."""
    check(scope, threshold, by, ("area", "provider"))
    if by == "provider":
        scope = provider_scope(con, scope)
    groups = grouping(con, scope, by)
    helps_areas = areas(con, scope, HELP_THAT_HELPS_SQL)
    times_areas = areas(con, scope, TIME_TO_HELP_SQL, {"within_days": WITHIN_DAYS})
    helps, helps_total = from_system(helps_areas, groups) or per_group(
        con, HELP_THAT_HELPS_SQL, scope, groups)
    rows, total = from_system(times_areas, groups) or per_group(
        con, TIME_TO_HELP_SQL, scope, groups, {"within_days": WITHIN_DAYS})

    def columns(h: dict[str, Any], t: dict[str, Any]) -> dict[str, float]:
        a, b = counts(h, "n", "count"), counts(t, "n", "within")
        return {"n": a["n"], "count": a["count"], "other": a["n"] - a["count"],
                "t_n": b["n"], "within": b["within"], "beyond": b["n"] - b["within"]}

    def joined(h: Areas, t: Areas) -> Areas:
        return Areas(h.area, {a: {**{f"h_{k}": v for k, v in h.rows[a].items()}, **t.rows[a]}
                              for a in h.rows}, h.parents)

    def both(row: dict[str, Any]) -> dict[str, float]:
        return columns({"n": row.get("h_n"), "count": row.get("h_count")}, row)

    system = (joined(helps_areas, times_areas)
              if helps_areas is not None and times_areas is not None else None)
    table = {g: {**{f"h_{k}": v for k, v in helps[g].items()}, **rows[g]} for g in rows}
    whole = {**{f"h_{k}": v for k, v in helps_total.items()}, **total}
    hidden = hidden_cells(
        system, groups, table, whole, both, threshold=threshold,
        counts=("n", "count", "other", "t_n", "within", "beyond"),
        splits=(("n", ("count", "other")), ("t_n", ("within", "beyond"))),
        units=(("n", "count", "other", "t_n"), ("within", "beyond")))
    listed, merged = named(groups, hidden, "t_n")
    out = []
    for code, label, row in [("", groups.total_label, total),
                             *((c, lb, rows[c]) for c, lb in listed)]:
        provisional = bool(row.get("provisional"))
        n = int(row["n"] or 0)
        # n and the share within are published from rounded counts (as a rate's).
        shown_n = suppression.rounded(n, threshold)
        if (code, "t_n") in hidden or shown_n is None:
            out.append(Spread("time_to_help_days", code, label, None, None, None, None,
                              suppressed=True))
            continue
        shown_within = (None if (code, "within") in hidden or n == 0
                        else suppression.rounded(int(row["within"]), threshold))
        within = (None if shown_within is None or shown_n == 0
                  else shown_within / shown_n)
        out.append(Spread("time_to_help_days", code, label, shown_n,
                          None if n == 0 else stats.whole_days(float(row["p50"])),
                          None if n == 0 else stats.whole_days(float(row["p90"])), within,
                          provisional=provisional, rounded_to=suppression.step(threshold)))
    if merged:
        out.append(Spread("time_to_help_days", OTHER_PROVIDERS, _("Andere aanbieders"), None,
                          None, None, None, suppressed=True))
    return out


def _effort_groups(con: Any, scope: Scope, by: str) -> tuple[list[tuple[str, str]], str]:
    """The groups of the two effort KPIs: "area" one level below the scope, "neighbourhood"
    every neighbourhood in it, "team" every organisation of the scope's municipality (a
    municipality scope only); and the total's label."""
    if by == "team":
        base = grouping(con, scope, "area")
        town = effort.municipality_of(con, scope.area)
        return (effort.team_names(con, town) if town else []), base.total_label
    found = grouping(con, scope, by)
    return found.groups, found.total_label


def time_on_help(con: Any, scope: Scope, *, threshold: int, by: str = "area"
                 ) -> list[effort.TimeShare]:
    """Time on help vs accountability per group (by "area", "neighbourhood" or "team"),
    the scope total first: the share of the hours on help over the weeks of the period
    whose respondents are not hidden (insight.effort)."""
    check(scope, threshold, by, ("area", "neighbourhood", "team"))
    if by == "team" and scope.level != "municipality":
        raise Refusal.invalid([FieldError("by", "insight-by", _(
            "Per team alleen voor een hele gemeente."))])
    groups, total_label = _effort_groups(con, scope, by)
    return effort.time_on_help(con, scope.area, scope.start, scope.end, threshold=threshold,
                               groups=groups, total_label=total_label, by_team=by == "team")


def job_satisfaction(con: Any, scope: Scope, *, threshold: int, by: str = "area"
                     ) -> list[effort.Satisfaction]:
    """Job satisfaction per group and survey year (every year closed before the period's
    end: the trend), the scope total first in each year (insight.effort)."""
    check(scope, threshold, by, ("area", "neighbourhood", "team"))
    if by == "team" and scope.level != "municipality":
        raise Refusal.invalid([FieldError("by", "insight-by", _(
            "Per team alleen voor een hele gemeente."))])
    groups, total_label = _effort_groups(con, scope, by)
    return effort.job_satisfaction(con, scope.area, scope.end, threshold=threshold,
                                   groups=groups, total_label=total_label,
                                   by_team=by == "team")
