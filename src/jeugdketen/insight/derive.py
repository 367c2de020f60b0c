"""The `trajectories` table, derived from `events` in SQL: one row per trajectory, so every
figure reads the same facts (the columns are defined in insight/schema.py and docs/insight.md).

A trajectory is a trajectory key with a `care_report.received` or a `plan.started` event;
events without a key are no trajectory. Where an event happens more than once, "first" and
"last" order by (happened_at, id). `derive_all` rebuilds the table; `derive_touched`
rebuilds the rows of some keys, and `next_in_household_at` and `returned_at` of every
trajectory of their households (old and new), so an incremental refresh gives the same table as a full one.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

# One row per key: the facts of each kind of event, first or last by (happened_at, id).
# `{scope}` narrows the events to the keys in the temporary table _touched (or to none).
FACTS_SQL = """
SELECT
    trajectory_key,
    coalesce(arg_max(household_key, (happened_at, id)) FILTER (WHERE household_key <> ''), '')
        AS household_key,
    coalesce(arg_max(neighbourhood_code, (happened_at, id))
             FILTER (WHERE neighbourhood_code <> ''), '') AS neighbourhood_code,
    min(happened_at) FILTER (WHERE activity = 'care_report.received') AS received_at,
    arg_min(attributes, (happened_at, id)) FILTER (WHERE activity = 'care_report.received')
        AS received,
    min(happened_at) FILTER (WHERE activity = 'plan.started') AS started_at,
    arg_min(attributes, (happened_at, id)) FILTER (WHERE activity = 'plan.started') AS started,
    min(happened_at) FILTER (WHERE activity = 'care_report.triaged') AS triaged_at,
    arg_min(attributes, (happened_at, id)) FILTER (WHERE activity = 'care_report.triaged')
        AS triaged,
    min(happened_at) FILTER (WHERE activity = 'intake.planned') AS intake_planned_at,
    count(*) FILTER (WHERE activity = 'intake.planned') AS intakes_planned,
    min(happened_at) FILTER (WHERE activity = 'intake.held') AS intake_held_at,
    max(happened_at) FILTER (WHERE activity = 'intake.held') AS intake_last_held_at,
    count(*) FILTER (WHERE activity = 'intake.held') AS intakes_held,
    bool_or(coalesce(TRY_CAST(attributes->>'joint' AS BOOLEAN), false))
        FILTER (WHERE activity = 'intake.held') AS joint_intake,
    max(TRY_CAST(attributes->>'disciplines' AS INTEGER))
        FILTER (WHERE activity = 'intake.held') AS disciplines,
    arg_max(attributes->>'decision', (happened_at, id)) FILTER (WHERE activity = 'intake.decided')
        AS intake_decision,
    min(happened_at) FILTER (WHERE activity = 'care_report.help_started') AS help_recorded_at,
    arg_min(TRY_CAST(attributes->>'days_since_report' AS INTEGER), (happened_at, id))
        FILTER (WHERE activity = 'care_report.help_started') AS help_days,
    arg_max(TRY_CAST(attributes->>'to_organisation_id' AS BIGINT), (happened_at, id))
        FILTER (WHERE activity = 'plan.handed_over') AS handed_to,
    count(*) FILTER (WHERE activity = 'plan.handed_over') AS handovers,
    count(*) FILTER (WHERE activity = 'evaluation.recorded') AS evaluations,
    max(happened_at) FILTER (WHERE activity = 'plan.closed') AS plan_closed_at,
    arg_max(attributes, (happened_at, id)) FILTER (WHERE activity = 'plan.closed') AS closed,
    max(happened_at) FILTER (WHERE activity = 'care_report.closed') AS report_closed_at,
    arg_max(attributes->>'reason', (happened_at, id))
        FILTER (WHERE activity = 'care_report.closed') AS report_close_reason,
    sum(TRY_CAST(attributes->>'budget_eur' AS DOUBLE))
        FILTER (WHERE activity = 'plan_action.planned') AS planned_eur,
    sum(TRY_CAST(attributes->>'spent_eur' AS DOUBLE))
        FILTER (WHERE activity = 'plan_action.done') AS done_eur,
    max(happened_at) AS last_event_at
FROM events
WHERE trajectory_key <> '' {scope}
GROUP BY trajectory_key
HAVING received_at IS NOT NULL OR started_at IS NOT NULL
"""

# The facts into the table's columns. A match's first contact is the match's creation
# (plan.started's attribute first_contact_at, ISO 8601); help after a referral started
# `days_since_report` days after the report (never later than it was recorded).
INSERT_SQL = """
INSERT INTO trajectories
WITH f AS (""" + FACTS_SQL + """)
SELECT
    f.trajectory_key,
    f.household_key,
    coalesce(f.started->>'origin', CASE WHEN f.received_at IS NOT NULL THEN 'care_report' END,
             'direct') AS origin,
    f.received->>'reporter' AS reporter,
    f.received->>'urgency' AS urgency,
    f.neighbourhood_code,
    a.district_code,
    a.municipality_code,
    coalesce(
        f.received_at,
        CASE WHEN f.started->>'origin' = 'match'
             THEN TRY_CAST(f.started->>'first_contact_at' AS TIMESTAMPTZ) AT TIME ZONE 'UTC'
        END,
        f.started_at) AS first_contact_at,
    f.triaged_at,
    f.triaged->>'decision' AS triage_decision,
    f.intake_planned_at,
    f.intakes_planned,
    f.intake_held_at,
    f.intake_last_held_at,
    f.intakes_held,
    f.joint_intake,
    f.disciplines,
    f.intake_decision,
    coalesce(f.started_at,
             least(f.help_recorded_at, f.received_at + to_days(f.help_days))) AS help_started_at,
    f.started_at AS plan_started_at,
    coalesce(f.handed_to, TRY_CAST(f.started->>'coordinator_organisation_id' AS BIGINT))
        AS provider_id,
    f.handovers,
    f.evaluations,
    CASE WHEN f.started_at IS NOT NULL THEN f.plan_closed_at ELSE f.report_closed_at END
        AS closed_at,
    CASE WHEN f.started_at IS NOT NULL THEN f.closed->>'reason_code' ELSE f.report_close_reason END
        AS close_reason,
    TRY_CAST(f.closed->>'can_continue_without_help' AS BOOLEAN) AS can_continue_without_help,
    TRY_CAST(f.closed->>'satisfaction' AS DOUBLE) AS satisfaction,
    TRY_CAST(f.closed->>'final_t_score' AS DOUBLE) AS final_t_score,
    coalesce(TRY_CAST(f.closed->>'budget_eur' AS DOUBLE), f.planned_eur, 0) AS budget_eur,
    coalesce(TRY_CAST(f.closed->>'costs_spent_eur' AS DOUBLE), f.done_eur, 0) AS spent_eur,
    f.last_event_at,
    NULL AS next_in_household_at,
    NULL AS returned_at
FROM f
LEFT JOIN areas a ON a.neighbourhood_code = f.neighbourhood_code
"""

_TOUCHED = "AND trajectory_key IN (SELECT trajectory_key FROM _touched)"

# The first contact of the household's next trajectory: the next later first contact among
# the household's trajectories (ties are not "next"). Households '' (not yet known) have none.
NEXT_SQL = """
UPDATE trajectories SET next_in_household_at = n.next_at
FROM (
    SELECT household_key, first_contact_at,
           lead(first_contact_at) OVER (PARTITION BY household_key ORDER BY first_contact_at)
               AS next_at
    FROM (SELECT DISTINCT household_key, first_contact_at FROM trajectories
          WHERE household_key <> '' {scope})
) n
WHERE trajectories.household_key = n.household_key
  AND trajectories.first_contact_at = n.first_contact_at
"""


# The household came back: the first contact of the first of its trajectories begun after
# this one closed (a report or plan while this one was open is no return). Help that helps
# and "no repeat" read it.
RETURNED_SQL = """
UPDATE trajectories SET returned_at = r.returned_at
FROM (
    SELECT t.trajectory_key, min(n.first_contact_at) AS returned_at
    FROM trajectories t
    JOIN trajectories n ON n.household_key = t.household_key
                       AND n.first_contact_at > t.closed_at
    WHERE t.household_key <> '' AND t.closed_at IS NOT NULL {scope}
    GROUP BY t.trajectory_key
) r
WHERE trajectories.trajectory_key = r.trajectory_key
"""


# The table's order: by area. DuckDB keeps each column's smallest and largest value per
# group of rows and skips the groups a filter cannot match, so a municipality's figures
# read its own rows only (about ten times faster at national scale) while the rows lie in
# this order. A refresh appends the trajectories it derives at the end; `in_area_order`
# puts them back in order once they are a tenth of the table.
AREA_ORDER = "municipality_code, district_code, neighbourhood_code, trajectory_key"
REORDER_SHARE = 0.1


def in_area_order(con: Any) -> None:
    """Rewrite `trajectories` in area order (in the caller's transaction, if any)."""
    from jeugdketen.insight import schema

    con.execute(f"CREATE OR REPLACE TEMP TABLE _ordered AS "  # noqa: S608 (a constant)
                f"SELECT * FROM trajectories ORDER BY {AREA_ORDER}")
    con.execute("DROP TABLE trajectories")
    con.execute(schema.TRAJECTORIES)
    con.execute("INSERT INTO trajectories SELECT * FROM _ordered")
    con.execute("DROP TABLE _ordered")


def derive_all(con: Any) -> int:
    """Rebuild `trajectories` from every event, in area order; returns the number of
    trajectories."""
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("DELETE FROM trajectories")
        con.execute(INSERT_SQL.format(scope=""))
        con.execute(NEXT_SQL.format(scope=""))
        con.execute(RETURNED_SQL.format(scope=""))
        in_area_order(con)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return int(con.execute("SELECT count(*) FROM trajectories").fetchone()[0])


def derive_touched(con: Any, keys: Iterable[str]) -> int:
    """Rebuild the trajectories of `keys` (and the next trajectory of every trajectory in
    their households); returns the number of keys that are trajectories."""
    con.execute("CREATE OR REPLACE TEMP TABLE _touched (trajectory_key VARCHAR PRIMARY KEY)")
    con.execute("INSERT INTO _touched SELECT DISTINCT k FROM unnest(?::VARCHAR[]) AS u(k) "
                "WHERE k <> ''", [list(keys)])
    try:
        return derive_touched_table(con)
    finally:
        con.execute("DROP TABLE IF EXISTS _touched")


def derive_touched_table(con: Any) -> int:
    """derive_touched for the keys already in the temporary table _touched(trajectory_key)
    (refresh fills it in SQL, so a large batch never passes through Python)."""
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("CREATE OR REPLACE TEMP TABLE _households AS "
                    "SELECT DISTINCT household_key FROM trajectories WHERE household_key <> '' "
                    "AND trajectory_key IN (SELECT trajectory_key FROM _touched)")
        con.execute("DELETE FROM trajectories "
                    "WHERE trajectory_key IN (SELECT trajectory_key FROM _touched)")
        con.execute(INSERT_SQL.format(scope=_TOUCHED))
        con.execute("INSERT INTO _households "
                    "SELECT DISTINCT household_key FROM trajectories WHERE household_key <> '' "
                    "AND trajectory_key IN (SELECT trajectory_key FROM _touched)")
        con.execute(NEXT_SQL.format(
            scope="AND household_key IN (SELECT household_key FROM _households)"))
        con.execute("UPDATE trajectories SET returned_at = NULL "
                    "WHERE household_key IN (SELECT household_key FROM _households)")
        con.execute(RETURNED_SQL.format(
            scope="AND t.household_key IN (SELECT household_key FROM _households)"))
        count = con.execute("SELECT count(*) FROM trajectories "
                            "WHERE trajectory_key IN (SELECT trajectory_key FROM _touched)"
                            ).fetchone()[0]
        con.execute("DROP TABLE _households")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return int(count)
