"""The insight store's tables (DuckDB), the contract every figure is written against.

The store is a copy of the chain event log (`events`, appended by id, never changed), the
area and organisation names and the front door's norms (reference data, replaced whole on
every refresh: no person in them), and `trajectories`: one row per trajectory, derived
from the events once so every figure reads the same facts (docs/insight.md defines each
column). Times are UTC (`TIMESTAMP`); `day` is the event's date in the Netherlands.
"""

from __future__ import annotations

from typing import Any

SCHEMA_VERSION = 2

EVENTS = """
CREATE TABLE IF NOT EXISTS events (
    id BIGINT PRIMARY KEY,
    happened_at TIMESTAMP NOT NULL,   -- UTC (the log's `at`; AT is a keyword in DuckDB)
    day DATE NOT NULL,                -- the date in Europe/Amsterdam
    activity VARCHAR NOT NULL,
    trajectory_key VARCHAR NOT NULL,  -- '' when none
    person_key VARCHAR NOT NULL,      -- the person's pseudonym, '' when none
    household_key VARCHAR NOT NULL,
    organisation_id BIGINT,
    neighbourhood_code VARCHAR NOT NULL,
    attributes JSON NOT NULL
)"""

AREAS = """
CREATE OR REPLACE TABLE areas (
    neighbourhood_code VARCHAR PRIMARY KEY,
    neighbourhood_name VARCHAR NOT NULL,
    district_code VARCHAR NOT NULL,
    district_name VARCHAR NOT NULL,
    municipality_code VARCHAR NOT NULL,
    municipality_name VARCHAR NOT NULL
)"""

ORGANISATIONS = """
CREATE OR REPLACE TABLE organisations (
    id BIGINT PRIMARY KEY,
    name VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    municipality_code VARCHAR NOT NULL
)"""

# The norm each municipality measures a front-door step by, fully expanded (its own norm,
# else the default of intake.norms): step received (the triage, from receipt), triaged
# (the intake held, from receipt), intake_held (help started, from the intake held).
NORMS = """
CREATE OR REPLACE TABLE norms (
    municipality_code VARCHAR NOT NULL,
    step VARCHAR NOT NULL,
    urgency VARCHAR NOT NULL,         -- crisis, urgent, regular
    days INTEGER NOT NULL,
    working BOOLEAN NOT NULL,         -- working days (else calendar days)
    PRIMARY KEY (municipality_code, step, urgency)
)"""

TRAJECTORIES = """
CREATE TABLE IF NOT EXISTS trajectories (
    trajectory_key VARCHAR PRIMARY KEY,
    household_key VARCHAR NOT NULL,      -- '' until known
    origin VARCHAR NOT NULL,             -- care_report, match, direct
    reporter VARCHAR,                    -- care reports: professional, family, public
    urgency VARCHAR,                     -- care reports: crisis, urgent, regular
    neighbourhood_code VARCHAR NOT NULL, -- the latest known ('' when unknown)
    district_code VARCHAR,
    municipality_code VARCHAR,
    first_contact_at TIMESTAMP NOT NULL,
    triaged_at TIMESTAMP,
    triage_decision VARCHAR,
    intake_planned_at TIMESTAMP,         -- the first intake planned
    intakes_planned INTEGER NOT NULL,
    intake_held_at TIMESTAMP,            -- the first intake held
    intake_last_held_at TIMESTAMP,       -- the last (sequential intakes: one per organisation)
    intakes_held INTEGER NOT NULL,
    joint_intake BOOLEAN,                -- an intake held jointly; NULL when none held
    disciplines INTEGER,                 -- organisations at the (largest) intake
    intake_decision VARCHAR,
    help_started_at TIMESTAMP,           -- the plan's start, or help started after a referral
    plan_started_at TIMESTAMP,
    provider_id BIGINT,                  -- the main contractor: coordinator's organisation, after the last handover
    handovers INTEGER NOT NULL,
    evaluations INTEGER NOT NULL,
    closed_at TIMESTAMP,                 -- the plan's close; without a plan, the report's
    close_reason VARCHAR,                -- plans: CBS '01'-'05'; reports: the report's reason
    can_continue_without_help BOOLEAN,
    satisfaction DOUBLE,                 -- 1-10
    final_t_score DOUBLE,
    budget_eur DOUBLE NOT NULL,
    spent_eur DOUBLE NOT NULL,
    last_event_at TIMESTAMP NOT NULL,
    next_in_household_at TIMESTAMP,      -- first contact of the household's next trajectory
    returned_at TIMESTAMP                -- first contact of the household's first trajectory begun after this one closed
)"""

META = """
CREATE TABLE IF NOT EXISTS meta (
    key VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
)"""


def create(con: Any) -> None:
    """Create every table (empty reference tables included) on a DuckDB connection."""
    for ddl in (EVENTS, AREAS, ORGANISATIONS, NORMS, TRAJECTORIES, META):
        con.execute(ddl)
