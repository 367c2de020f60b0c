"""Time on help vs accountability, and job satisfaction (seed 004's third and fourth KPI;
issue 13): DuckDB queries over the insight store's `events` only (docs/insight.md, "Time
on help and job satisfaction"), suppressed before they leave here.

- Time on help: the weekly answers (`time.answered`: one team's answers of one ISO week,
  the number of respondents and their summed hours on families and on accountability, the
  team and its neighbourhoods, no person key; entered in the log when the week closes: all
  of a week's at once, at the closing moment, the teams shuffled, no actor). An event
  without `respondents` (a log from before the answers were summed per team: one event per
  answer) counts as one respondent, so the same answers give the same figures either way.
  Per group and week the answers are the respondents of that week (one answer per
  professional per week), so a week is a table of its own: respondents, hours on help and
  hours on accountability per area, suppressed over the areas' hierarchy (a week of a
  group with fewer respondents than the threshold is hidden, and so is any week that
  would let it be worked out). A group's figure is the share of hours on help over its
  shown weeks in the period; hidden when no week is shown.
- Job satisfaction: the answers of the closed yearly surveys (`survey.answer`, entered in
  the log when the municipality closes the year's survey: all at the closing moment,
  shuffled, no actor). Per group and survey year: the respondents and the mean of each
  scale (variety, autonomy, collegial support: 1-5) and of the overall score (0-10), the
  year's table suppressed over the areas' hierarchy. Every year closed before the period's
  end is given: the trend year on year.

Teams are organisations (`team` the organisation id); an answer counts in every
neighbourhood its team worked in when it entered the log (a time answer: when its week
closed; a survey answer: when it was given) (once in a district or the
municipality), and in the team's municipality even when the team has no neighbourhoods.
The queries group the answers by period, team and neighbourhoods (an "atom"): every
team's and area's figure is the sum of its atoms, and one table of them all is
suppressed at once (insight.suppression.suppress), so no figure shown minus another gives
a hidden one away (teams that share neighbourhoods included). Every value is a parameter.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from jeugdketen.insight import suppression

DEFINITION_VERSION = 2  # 2: only complete weeks count in time on help

# The answers of a municipality grouped by what a reader could single out: the team and
# the neighbourhoods it worked in, as the answer carries them (an "atom"); every team's and
# area's figure is a sum of atoms, so one table of atoms, teams and areas is suppressed at
# once.
TIME_ON_HELP_SQL = """
WITH answered AS (
    SELECT CAST(organisation_id AS VARCHAR) AS team,
           CAST(attributes->>'week' AS DATE) AS week,
           coalesce(CAST(attributes->>'respondents' AS INTEGER), 1) AS respondents,
           CAST(attributes->>'help_hours' AS DOUBLE) AS help_hours,
           CAST(attributes->>'accountability_hours' AS DOUBLE) AS accountability_hours,
           array_to_string(list_sort(CAST(attributes->'neighbourhoods' AS VARCHAR[])), ',')
               AS neighbourhoods
    FROM events
    WHERE activity = 'time.answered' AND attributes->>'municipality' = $municipality
)
SELECT week AS period, team, neighbourhoods,
       CAST(sum(respondents) AS BIGINT) AS respondents,
       sum(help_hours) AS help_hours, sum(accountability_hours) AS accountability_hours
FROM answered
WHERE week >= $start AND week < $end AND week <= $complete
GROUP BY week, team, neighbourhoods
ORDER BY week, team, neighbourhoods"""

# The answers of the surveys closed before the period's end, per year and atom: the
# respondents and the sums of their scale means and overall scores (divided by the
# respondents when shown).
JOB_SATISFACTION_SQL = """
WITH answered AS (
    SELECT CAST(organisation_id AS VARCHAR) AS team, day,
           CAST(attributes->>'year' AS INTEGER) AS year,
           CAST(attributes->>'variety' AS DOUBLE) AS variety,
           CAST(attributes->>'autonomy' AS DOUBLE) AS autonomy,
           CAST(attributes->>'support' AS DOUBLE) AS support,
           CAST(attributes->>'overall' AS DOUBLE) AS overall,
           array_to_string(list_sort(CAST(attributes->'neighbourhoods' AS VARCHAR[])), ',')
               AS neighbourhoods
    FROM events
    WHERE activity = 'survey.answer' AND attributes->>'municipality' = $municipality
)
SELECT year AS period, team, neighbourhoods, count(*) AS respondents,
       sum(variety) AS variety, sum(autonomy) AS autonomy,
       sum(support) AS support, sum(overall) AS overall
FROM answered
WHERE day < $end
GROUP BY year, team, neighbourhoods
ORDER BY year, team, neighbourhoods"""

TEAM_NAMES_SQL = """
SELECT CAST(id AS VARCHAR) AS code, name FROM organisations
WHERE municipality_code = $area ORDER BY name, id"""

COUNT = "respondents"

# A week's answers come in during the week after it (steering.time_actions.answer_time asks
# about the ISO week just ended), so a week is complete from its Monday + 14 days on. Only
# weeks complete when the store was refreshed count (a day's margin for an answer written
# around midnight): otherwise a figure read before and after a refresh that added one late
# answer would differ by exactly that one person's hours (tests/steering/test_attack_time.py).
# Since a week's answers enter the log together when it closes (time_actions.
# close_time_weeks, from its Monday + 14 days on), a week is in the store whole or not at
# all; the rule stays for what the log holds from before (each answer emitted as it was
# given, the week in progress at the upgrade only partly) and so that no figure depends on
# the closing having run on time. It hides nothing the closing has let in a day longer.
COMPLETE_AFTER_DAYS = 15
TIME_COLUMNS = (COUNT, "help_hours", "accountability_hours")
SURVEY_SCALES = ("variety", "autonomy", "support", "overall")


@dataclass(frozen=True)
class TimeShare:
    """The share of hours on help of a group over the period (its shown weeks)."""

    key: str  # "time_on_help"
    group: str  # area code or team id; "" the scope's total
    label: str
    weeks: int | None  # weeks shown (each with at least the threshold of respondents)
    respondents: float | None  # the mean respondents of a shown week
    help_hours: float | None  # hours on help per respondent per week
    accountability_hours: float | None
    value: float | None  # help / (help + accountability), 0..1
    suppressed: bool = False

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Satisfaction:
    """The job-satisfaction scores of a group in one survey year."""

    key: str  # "job_satisfaction"
    group: str
    label: str
    year: int
    respondents: int | None
    variety: float | None  # the scales' means, 1..5
    autonomy: float | None
    support: float | None
    overall: float | None  # 0..10
    suppressed: bool = False

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


Table = dict[str, dict[str, float]]


def atoms(con: Any, template: str, municipality: str, params: dict[str, Any],
          columns: Sequence[str]) -> dict[Any, dict[tuple[str, str], dict[str, float]]]:
    """A definition's rows: period (week or year) -> (team, neighbourhoods) -> column ->
    number."""
    cursor = con.execute(template, {**params, "municipality": municipality})
    names = [d[0] for d in cursor.description]
    out: dict[Any, dict[tuple[str, str], dict[str, float]]] = {}
    for row in cursor.fetchall():
        found = dict(zip(names, row, strict=True))
        out.setdefault(found["period"], {})[(str(found["team"]), found["neighbourhoods"] or "")] = {
            c: float(found[c] or 0) for c in columns}
    return out


def period_table(found: Mapping[tuple[str, str], Mapping[str, float]], municipality: str,
                 parents: Mapping[str, str], columns: Sequence[str], threshold: int
                 ) -> tuple[Table, set[str]]:
    """One period's figures of every team and area (the municipality, its districts and
    neighbourhoods), each the sum of the atoms in it, and the ones hidden: small counts
    of respondents, and whatever would let one be worked out from the others (the atoms
    are in the equations but never shown)."""
    members: dict[str, list[str]] = {municipality: []}
    for code in parents:
        members[code] = []
    cells: dict[tuple[str, str], float] = {}
    for (team, hoods), row in found.items():
        atom = f"\x00{team}|{hoods}"
        for c in columns:
            cells[(atom, c)] = row[c]
        places = {municipality, f"team:{team}"}
        for hood in filter(None, hoods.split(",")):
            while hood in parents:
                places.add(hood)
                hood = parents[hood]
        for place in places:
            members.setdefault(place, []).append(atom)
    table: Table = {}
    equations: list[tuple[tuple[str, str], Sequence[tuple[str, str]]]] = []
    for place, inside in members.items():
        table[place] = {c: sum(cells[(a, c)] for a in inside) for c in columns}
        cells[(place, COUNT)] = table[place][COUNT]
        equations.append(((place, COUNT), [(a, COUNT) for a in inside]))
    # Only the counts are in the system: every other column has the same equations and is
    # shown or hidden with its count (one unit), so the cells that keep a count from being
    # worked out keep the hours (or scores) beside it from it too; a third of the cells.
    counted = {k: v for k, v in cells.items() if k[1] == COUNT}
    hidden = suppression.suppress(counted, equations, list(counted), threshold)
    return table, {g for g, _c in hidden if not g.startswith("\x00")}


def area_parents(con: Any, municipality: str) -> dict[str, str]:
    """Each district's and neighbourhood's parent in the municipality (the store's areas)."""
    pairs = con.execute("SELECT DISTINCT district_code, neighbourhood_code FROM areas "
                        "WHERE municipality_code = $area", {"area": municipality}).fetchall()
    return {**{d: municipality for d, _n in pairs}, **{n: d for d, n in pairs}}


def municipality_of(con: Any, area: str) -> str | None:
    if area.startswith("GM"):
        return area
    column = "district_code" if area.startswith("WK") else "neighbourhood_code"
    found = con.execute(f"SELECT municipality_code FROM areas WHERE {column} = $area "  # noqa: S608 (fixed column)
                        "LIMIT 1", {"area": area}).fetchone()
    return None if found is None else str(found[0])


def team_names(con: Any, municipality: str) -> list[tuple[str, str]]:
    return [(str(c), str(n)) for c, n in con.execute(TEAM_NAMES_SQL,
                                                    {"area": municipality}).fetchall()]


def _tables(con: Any, template: str, municipality: str, params: dict[str, Any],
            columns: Sequence[str], threshold: int) -> dict[Any, tuple[Table, set[str]]]:
    """Per period (week or year): every team's ("team:<id>") and area's row and the
    hidden ones."""
    parents = area_parents(con, municipality)
    return {period: period_table(found, municipality, parents, columns, threshold)
            for period, found in atoms(con, template, municipality, params, columns).items()}


def complete_weeks_until(con: Any) -> date:
    """The last Monday of a week whose answers were all in when the store was refreshed
    (its `refreshed_at`, UTC: never later than the local date here). A store without it
    (hand-made in tests; the empty store before the first refresh) has every week."""
    row = con.execute("SELECT value FROM meta WHERE key = 'refreshed_at'").fetchone()
    if row is None or not row[0]:
        return date.max
    refreshed = datetime.fromisoformat(str(row[0])).astimezone(UTC).date()
    return refreshed - timedelta(days=COMPLETE_AFTER_DAYS)


def time_on_help(con: Any, area: str, start: date, end: date, *, threshold: int,
                 groups: Sequence[tuple[str, str]], total_label: str, by_team: bool = False
                 ) -> list[TimeShare]:
    """The share of time on help for the scope's total (`area`) and each of `groups`
    (area codes, or team ids with by_team), over the weeks that begin in [start, end) and
    were complete when the store was refreshed (no late answer changes a week shown)."""
    municipality = municipality_of(con, area)
    tables = ({} if municipality is None else
              _tables(con, TIME_ON_HELP_SQL, municipality,
                      {"start": start, "end": end, "complete": complete_weeks_until(con)},
                      TIME_COLUMNS, threshold))
    out = []
    for code, label in [("", total_label), *groups]:
        name = area if code == "" else f"team:{code}" if by_team else code
        weeks = [rows[name] for rows, hidden in tables.values()
                 if name in rows and name not in hidden and rows[name]["respondents"] > 0]
        if not weeks:
            out.append(TimeShare("time_on_help", code, label, None, None, None, None, None,
                                 suppressed=True))
            continue
        respondents = sum(w["respondents"] for w in weeks)
        helped = sum(w["help_hours"] for w in weeks)
        accounted = sum(w["accountability_hours"] for w in weeks)
        out.append(TimeShare(
            "time_on_help", code, label, len(weeks), respondents / len(weeks),
            helped / respondents, accounted / respondents,
            helped / (helped + accounted) if helped + accounted else None))
    return out


def job_satisfaction(con: Any, area: str, end: date, *, threshold: int,
                     groups: Sequence[tuple[str, str]], total_label: str,
                     by_team: bool = False) -> list[Satisfaction]:
    """The survey years closed before `end`, each for the scope's total and each group;
    a group hidden in a year is given as suppressed (no numbers)."""
    municipality = municipality_of(con, area)
    tables = ({} if municipality is None else
              _tables(con, JOB_SATISFACTION_SQL, municipality, {"end": end},
                      ("respondents", *SURVEY_SCALES), threshold))
    out = []
    for year in sorted(tables):
        rows, hidden = tables[year]
        for code, label in [("", total_label), *groups]:
            name = area if code == "" else f"team:{code}" if by_team else code
            row = rows.get(name)
            if row is None or name in hidden or row["respondents"] == 0:
                out.append(Satisfaction("job_satisfaction", code, label, int(year), None,
                                        None, None, None, None, suppressed=True))
                continue
            n = row["respondents"]
            out.append(Satisfaction("job_satisfaction", code, label, int(year), int(n),
                                    row["variety"] / n, row["autonomy"] / n,
                                    row["support"] / n, row["overall"] / n))
    return out
