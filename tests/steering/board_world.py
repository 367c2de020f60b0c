"""A hand-made insight store for the board's tests: municipality GM9911 (Telstad) with one
neighbourhood, care reports over a few weeks, plans closed in known months."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from tests.insight import handmade

GM, WK, BU = "GM9911", "WK991101", "BU99110101"
OTHER_GM = "GM9912"
FIRST_DAY = date(2025, 1, 6)  # the store's first event


def areas(con: Any) -> None:
    handmade.area(con, BU, WK, GM, ("Oude Haven", "Noord", "Telstad"))
    handmade.area(con, "BU99120101", "WK991201", OTHER_GM, ("Molenbuurt", "Zuid", "Andersdorp"))


def reports(con: Any, monday: date, count: int, prefix: str, *, hood: str = BU) -> None:
    """`count` care reports received on `monday` (no further step: open at first contact)."""
    for i in range(count):
        handmade.add(con, "care_report.received", f"{prefix}{i}", monday, neighbourhood=hood,
                     household=f"h-{prefix}{i}", reporter="professional", urgency="regular")


def closed_plans(con: Any, start: date, closed: date, count: int, *, helped: int,
                 prefix: str, hood: str = BU) -> None:
    """`count` trajectories: a report on `start`, a plan a week later, closed on `closed`;
    the first `helped` can continue without help."""
    for i in range(count):
        key = f"{prefix}{i}"
        household = f"h-{key}"
        handmade.add(con, "care_report.received", key, start, household=household,
                     neighbourhood=hood, reporter="professional", urgency="regular")
        handmade.add(con, "plan.started", key, start + timedelta(days=7), household=household,
                     neighbourhood=hood, organisation_id=7, origin="care_report",
                     coordinator_organisation_id=7)
        handmade.add(con, "plan.closed", key, closed, household=household, neighbourhood=hood,
                     organisation_id=7, reason_code="01", can_continue_without_help=i < helped,
                     satisfaction=8, final_t_score=55, budget_eur=1000, costs_spent_eur=800)


def fill(con: Any) -> None:
    """Reports: 12 in the week of 2026-09-07, 3 in the week of 2026-09-14, 15 in the week of
    2026-09-21 (and 20 in the other municipality). Plans closed (each reported six weeks
    before, started a week after the report): 25 on 2026-06-08 (12 helped), 30 on
    2026-07-06 (15 helped), 4 on 2026-08-03 (1 helped). The store's first event: a report
    in the other municipality on 2025-01-06 (insight offers twelve-month periods ending from
    December 2025 on; a published store, tests.insight.test_pages.publish, begins on
    2024-12-02)."""
    from jeugdketen.insight import derive

    areas(con)
    con.execute("INSERT INTO organisations VALUES (7, 'Jeugdhulp Telstad', "
                "'youth_care_provider', 'GM9911')")
    reports(con, date(2026, 9, 7), 12, "a")
    reports(con, date(2026, 9, 14), 3, "b")
    reports(con, date(2026, 9, 21), 15, "c")
    reports(con, date(2026, 9, 21), 20, "z", hood="BU99120101")
    reports(con, FIRST_DAY, 1, "y", hood="BU99120101")
    closed_plans(con, date(2026, 4, 27), date(2026, 6, 8), 25, helped=12, prefix="o")
    closed_plans(con, date(2026, 5, 25), date(2026, 7, 6), 30, helped=15, prefix="p")
    closed_plans(con, date(2026, 6, 22), date(2026, 8, 3), 4, helped=1, prefix="q")
    derive.derive_all(con)
