"""The KPIs on hand-made stores with known answers: trajectories written straight into the
store (`trajectory` below), and a log of events derived by insight.derive."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest

from jeugdketen.core.errors import Refusal
from jeugdketen.insight import costs, derive, kpis, stats
from jeugdketen.insight.scope import Scope

from . import handmade

# GM0001 Stad: district WK000101 Noord (neighbourhoods A and B), WK000102 Zuid (C).
AREAS = {"BU00010101": ("A-buurt", "WK000101", "Noord"),
         "BU00010102": ("B-buurt", "WK000101", "Noord"),
         "BU00010201": ("C-buurt", "WK000102", "Zuid")}
A, B, C = AREAS
PERIOD = (date(2026, 1, 1), date(2026, 7, 1))
LATER = date(2027, 6, 1)  # every follow-up over


def make_store() -> Any:
    con = handmade.store()
    for code, (name, district, district_name) in AREAS.items():
        handmade.area(con, code, district, "GM0001", (name, district_name, "Stad"))
    con.execute("INSERT INTO organisations VALUES (5, 'Jeugdhulp Oost', 'provider', 'GM0001'),"
                " (7, 'Gezinshuis West', 'provider', 'GM0001')")
    return con


@pytest.fixture
def con() -> Any:
    connection = make_store()
    yield connection
    connection.close()


def day(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value if "T" in value
                                                             else value + "T12:00")


def trajectory(con: Any, key: str, *, neighbourhood: str = A, household: str | None = None,
               first: str = "2026-01-05", help_started: str | None = "2026-01-20",
               plan: bool = True, closed: str | None = "2026-03-01", reason: str = "01",
               can_continue: bool | None = True, satisfaction: float | None = None,
               t_score: float | None = None, budget: float = 0, spent: float = 0,
               provider: int | None = None, next_at: str | None = None) -> None:
    """One row of `trajectories`, its dates ISO (noon UTC unless a time is given); `next_at`
    is the household's next trajectory, begun after this one closed (its return)."""
    district = AREAS[neighbourhood][1] if neighbourhood in AREAS else None
    con.execute(
        "INSERT INTO trajectories VALUES (?, ?, 'direct', NULL, NULL, ?, ?, ?, ?, NULL, NULL,"
        " NULL, 0, NULL, NULL, 0, NULL, NULL, NULL, ?, ?, ?, 0, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [key, household or f"h-{key}", neighbourhood, district,
         "GM0001" if district else None, day(first), day(help_started),
         day(help_started) if plan else None, provider, day(closed), reason if closed else None,
         can_continue if closed else None, satisfaction, t_score, budget, spent,
         day(closed or first), day(next_at), day(next_at)])


def scope(area: str = "WK000101", today: date = LATER, period: tuple[date, date] = PERIOD,
          follow_up_days: int = 182) -> Scope:
    return Scope(area, period[0], period[1], today, follow_up_days)


def by_group(figures: list[Any]) -> dict[str, Any]:
    return {f.group: f for f in figures}


def known_district(con: Any) -> None:
    """Noord in the first half of 2026: A 5 closed plans of which 2 help, B 1 of 1."""
    trajectory(con, "helped")
    trajectory(con, "cannot-continue", can_continue=False)
    trajectory(con, "repeat", next_at="2026-06-01")  # 92 days after the close: not helping
    trajectory(con, "late-repeat", next_at="2026-09-01")  # 184 days after: still helping
    trajectory(con, "open", closed=None)  # censored: not counted
    trajectory(con, "before", first="2025-10-01", help_started="2025-10-02", closed="2025-12-31")
    trajectory(con, "no-plan", plan=False, help_started=None)  # a report closed: no plan
    trajectory(con, "unanswered", can_continue=None)  # closed, not answered: not helping
    trajectory(con, "b-helped", neighbourhood=B)
    trajectory(con, "b-after", neighbourhood=B, closed="2026-07-01T00:00")  # period's end
    trajectory(con, "c-helped", neighbourhood=C)  # another district


def test_help_that_helps_known_answers(con: Any) -> None:
    known_district(con)
    rates = kpis.help_that_helps(con, scope(), threshold=1)
    assert [(r.group, r.label) for r in rates] == [("", "Noord"), (A, "A-buurt"), (B, "B-buurt")]
    got = by_group(rates)
    assert (got[""].n, got[""].count, got[""].value) == (6, 3, 0.5)
    assert (got[A].n, got[A].count) == (5, 2)
    assert (got[B].n, got[B].count, got[B].value) == (1, 1, 1.0)
    assert (got[A].low, got[A].high) == pytest.approx(stats.wilson(2, 5))
    assert not any(r.provisional or r.suppressed for r in rates)


def test_follow_up_boundary_is_inclusive(con: Any) -> None:
    trajectory(con, "on-the-day", closed="2026-03-01", next_at="2026-08-30")  # day 182
    trajectory(con, "day-after", closed="2026-03-01", next_at="2026-08-31")  # day 183
    got = by_group(kpis.help_that_helps(con, scope(), threshold=1))
    assert (got[A].n, got[A].count) == (2, 1)


def test_provisional_and_censored_on_today(con: Any) -> None:
    trajectory(con, "early", closed="2026-01-10")  # follow-up ends 2026-07-11
    trajectory(con, "late", neighbourhood=B, closed="2026-06-20")  # ends 2026-12-19
    trajectory(con, "future-repeat", neighbourhood=B, closed="2026-02-01",
               next_at="2026-07-20")  # after today: not known yet
    trajectory(con, "closed-after-today", neighbourhood=B, closed="2026-06-25")
    today = date(2026, 7, 15)
    got = by_group(kpis.help_that_helps(con, scope(today=today), threshold=1))
    assert not got[A].provisional and got[B].provisional and got[""].provisional
    assert (got[B].n, got[B].count) == (3, 3)  # closed-after-today is in; its repeat unknown
    today = date(2026, 6, 22)
    got = by_group(kpis.help_that_helps(con, scope(today=today), threshold=1))
    assert (got[B].n, got[B].count) == (2, 2)  # closed-after-today still open on 22 June
    got = by_group(kpis.help_that_helps(con, scope(today=LATER), threshold=1))
    assert (got[B].n, got[B].count) == (3, 2) and not got[B].provisional


def test_levels_municipality_and_neighbourhood(con: Any) -> None:
    known_district(con)
    rates = kpis.help_that_helps(con, scope("GM0001"), threshold=1)
    assert [(r.group, r.label, r.n, r.count) for r in rates] == [
        ("", "Stad", 7, 4), ("WK000101", "Noord", 6, 3), ("WK000102", "Zuid", 1, 1)]
    rates = kpis.help_that_helps(con, scope(A), threshold=1)
    assert [(r.group, r.label, r.n, r.count) for r in rates] == [("", "A-buurt", 5, 2)]


def test_an_area_without_plans_is_listed_with_n_zero(con: Any) -> None:
    trajectory(con, "a1")
    got = by_group(kpis.help_that_helps(con, scope(), threshold=1))
    assert (got[B].n, got[B].count, got[B].value, got[B].suppressed) == (0, 0, None, False)


def test_by_provider_after_handover_from_events(con: Any) -> None:
    """A transferred plan counts for the provider after the handover; a reopened household
    (a new report two months after the close) does not help; an open plan is not counted."""
    add = handmade.add
    add(con, "care_report.received", "moved", "2026-01-02", household="h1", neighbourhood=A,
        reporter="family", urgency="regular")
    add(con, "plan.started", "moved", "2026-01-12", household="h1", neighbourhood=A,
        origin="care_report", coordinator_organisation_id=5)
    add(con, "plan.handed_over", "moved", "2026-02-01", household="h1", neighbourhood=A,
        to_organisation_id=7)
    add(con, "plan.closed", "moved", "2026-04-01", household="h1", neighbourhood=A,
        reason_code="01", can_continue_without_help=True, satisfaction=8)
    add(con, "plan.started", "stayed", "2026-01-05", household="h2", neighbourhood=B,
        origin="direct", coordinator_organisation_id=5)
    add(con, "plan.closed", "stayed", "2026-03-01", household="h2", neighbourhood=B,
        reason_code="01", can_continue_without_help=True)
    add(con, "care_report.received", "again", "2026-05-01", household="h2", neighbourhood=B)
    add(con, "plan.started", "open", "2026-02-01", household="h3", neighbourhood=B,
        origin="direct", coordinator_organisation_id=5)
    derive.derive_all(con)
    # per provider over the whole municipality (Stad), also when a district is asked for
    rates = kpis.help_that_helps(con, scope(), threshold=1, by="provider")
    assert [(r.group, r.label, r.n, r.count) for r in rates] == [
        ("", "Stad", 2, 1), ("7", "Gezinshuis West", 1, 1), ("5", "Jeugdhulp Oost", 1, 0)]
    spreads = by_group(kpis.time_to_help(con, scope(), threshold=1, by="provider"))
    assert (spreads["7"].n, spreads["7"].p50) == (1, 10.0)  # 2 Jan to 12 Jan
    assert (spreads["5"].n, spreads["5"].p50) == (0, None)


def test_time_to_help_known_answers(con: Any) -> None:
    start = date(2026, 1, 1)
    for i, days in enumerate((10, 20, 30, 40)):
        trajectory(con, f"h{i}", first=start.isoformat(),
                   help_started=(start + timedelta(days=days)).isoformat())
    trajectory(con, "not-helped", first="2026-01-01", help_started="2026-01-03",
               can_continue=False)
    trajectory(con, "b", neighbourhood=B, first="2026-01-01T23:30", help_started="2026-01-29")
    got = by_group(kpis.time_to_help(con, scope(), threshold=1))
    assert (got[A].n, got[A].p50, got[A].p90, got[A].share_within) == (4, 25.0, 37.0, 0.5)
    assert (got[B].n, got[B].p50, got[B].share_within) == (1, 28.0, 1.0)  # day 28 is within
    assert got[""].n == 5 and got[""].key == "time_to_help_days"


def test_threshold_minus_one_hides_threshold_shows(con: Any) -> None:
    def fill(prefix: str, neighbourhood: str, helped: int, not_helped: int) -> None:
        for i in range(helped):
            trajectory(con, f"{prefix}h{i}", neighbourhood=neighbourhood)
        for i in range(not_helped):
            trajectory(con, f"{prefix}n{i}", neighbourhood=neighbourhood, can_continue=False)

    fill("a", A, 10, 10)
    fill("b", B, 11, 9)  # 9 not helped: below the threshold
    got = by_group(kpis.help_that_helps(con, scope(), threshold=10))
    assert got[B].suppressed and (got[B].n, got[B].value, got[B].low) == (None, None, None)
    # A alone next to the total would give B back (40 - 20): hidden with it.
    assert got[A].suppressed
    # 40 plans, 21 helped: the count shown rounded to the threshold, the value from that
    assert (got[""].n, got[""].count, got[""].suppressed) == (40, 20, False)
    assert (got[""].value, got[""].rounded_to) == (0.5, 10)
    con.execute("DELETE FROM trajectories")
    fill("a", A, 10, 10)
    fill("b", B, 10, 10)
    got = by_group(kpis.help_that_helps(con, scope(), threshold=10))
    assert not any(r.suppressed for r in got.values())
    assert (got[B].n, got[B].count) == (20, 10)


def test_time_to_help_hidden_with_its_rate_and_share_on_its_own(con: Any) -> None:
    for i in range(12):  # A: 12 helped, 3 within 28 days
        trajectory(con, f"a{i}", first="2026-01-01",
                   help_started="2026-01-10" if i < 3 else "2026-03-01", closed="2026-04-01")
    for i in range(10):
        trajectory(con, f"an{i}", can_continue=False)
    for i in range(15):  # B: 15 helped of 15... 0 not helped is shown (a zero)
        trajectory(con, f"b{i}", neighbourhood=B, first="2026-01-01",
                   help_started="2026-01-10", closed="2026-02-01")
    rates = by_group(kpis.help_that_helps(con, scope(), threshold=10))
    # B: 15 of 15, shown rounded (half up) to 20 of 20
    assert not rates[A].suppressed and (rates[B].count, rates[B].n) == (20, 20)
    got = by_group(kpis.time_to_help(con, scope(), threshold=10))
    # A's 3 within 28 days is small: the shares of A and B are hidden, the medians shown
    # (exact); the n are rounded to the threshold (12 -> 10, 15 -> 20, 27 -> 30).
    assert (got[A].n, got[A].p50, got[A].share_within) == (10, 59.0, None)
    assert (got[B].n, got[B].p50, got[B].share_within) == (20, 9.0, None)
    assert (got[""].n, got[""].share_within) == (30, None)  # 9 beyond 28 days in all: small
    assert not any(s.suppressed for s in got.values())
    # When help that helps hides a group, its time to help goes with it.
    for i in range(5):
        trajectory(con, f"bn{i}", neighbourhood=B, can_continue=False)
    assert by_group(kpis.help_that_helps(con, scope(), threshold=10))[B].suppressed
    got = by_group(kpis.time_to_help(con, scope(), threshold=10))
    assert got[B].suppressed and got[B].p50 is None and got[A].suppressed


def test_no_time_answers_nor_surveys_yet(con: Any) -> None:
    """Issue 13 fills these two from `time.answered` and `survey.answer` events (tests in
    tests/steering/test_effort_kpis.py); without any, every group is hidden, no year."""
    assert all(s.suppressed for s in kpis.time_on_help(con, scope(), threshold=10))
    assert kpis.job_satisfaction(con, scope(), threshold=10) == []


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"by": "household"}, "by"),
    ({"threshold": 0}, "threshold"),
    ({"area": "XX0001"}, "area"),
    ({"period": (date(2026, 7, 1), date(2026, 1, 1))}, "to"),
])
def test_bad_input_names_the_field(con: Any, kwargs: dict[str, Any], field: str) -> None:
    area = kwargs.pop("area", "WK000101")
    period = kwargs.pop("period", PERIOD)
    with pytest.raises(Refusal) as refused:
        kpis.help_that_helps(con, scope(area, period=period), threshold=kwargs.pop(
            "threshold", 10), **kwargs)
    assert refused.value.field == field and refused.value.is_invalid_input


def test_area_code_is_a_parameter(con: Any) -> None:
    known_district(con)
    rates = kpis.help_that_helps(con, scope("WK' OR 1=1 --"), threshold=1)
    assert [(r.group, r.n) for r in rates] == [("", 0)]


def test_a_suppressed_rate_tells_nothing_not_even_provisional(con: Any) -> None:
    for i in range(3):
        trajectory(con, f"b{i}", neighbourhood=B, closed="2026-06-20")
    for i in range(20):
        trajectory(con, f"a{i}", closed="2026-01-10", can_continue=i < 10)
    got = by_group(kpis.help_that_helps(con, scope(today=date(2026, 7, 15)), threshold=10))
    assert got[B].suppressed and got[A].suppressed
    assert got[B].as_dict() == {"key": "help_that_helps", "group": B, "label": "B-buurt",
                                "n": None, "count": None, "value": None, "low": None,
                                "high": None, "suppressed": True, "provisional": False,
                                "rounded_to": None}
    # 23 plans, 13 helped: rounded to 20 and 10
    assert got[""].provisional and (got[""].n, got[""].count) == (20, 10)


def test_every_area_answers_from_one_hidden_set(con: Any) -> None:
    """Noord = A 24 + B 3 (C in Zuid 20): B hidden, and A with it, in every answer: the
    district's, A's own, and the municipality's per district; so Noord minus A (asked as
    two scopes) cannot give B."""
    for i in range(24):
        trajectory(con, f"a{i}", can_continue=i < 12)
    for i in range(3):
        trajectory(con, f"b{i}", neighbourhood=B)
    for i in range(20):
        trajectory(con, f"c{i}", neighbourhood=C, can_continue=i < 10)
    district = by_group(kpis.help_that_helps(con, scope(), threshold=10))
    alone = kpis.help_that_helps(con, scope(A), threshold=10)[0]
    assert district[B].suppressed and district[A].suppressed
    assert alone.suppressed and alone.n is None
    # Noord itself is shown: 27 plans, 15 helped, rounded to the threshold
    assert (district[""].n, district[""].count) == (30, 20)
    town = by_group(kpis.help_that_helps(con, scope("GM0001"), threshold=10))
    assert (town[""].n, town["WK000101"].n, town["WK000102"].n) == (50, 30, 20)  # 47, 27, 20
    costs_alone = costs.costs(con, scope(A), threshold=10)[0]
    assert costs_alone.suppressed and costs_alone.n is None


def test_a_provider_with_a_hidden_figure_is_not_named(con: Any) -> None:
    """Gezinshuis West closed 2 of Noord's plans: hidden, so not named, and the next
    smallest (De Brug, 20) hidden with it; the hidden providers are one row, "Andere
    aanbieders", hidden."""
    con.execute("INSERT INTO organisations VALUES (9, 'De Brug', 'provider', 'GM0001')")
    for i in range(24):
        trajectory(con, f"a{i}", provider=5, can_continue=i < 12)
    for i in range(20):
        trajectory(con, f"d{i}", provider=9, can_continue=i < 10)
    for i in range(2):
        trajectory(con, f"w{i}", provider=7)
    rates = kpis.help_that_helps(con, scope(), threshold=10, by="provider")
    assert [(r.group, r.label, r.n) for r in rates] == [  # the municipality's total
        ("", "Stad", 50), ("5", "Jeugdhulp Oost", 20),  # 46 and 24, rounded
        (kpis.OTHER_PROVIDERS, "Andere aanbieders", None)]
    assert rates[-1].suppressed
    for figures in (kpis.time_to_help(con, scope(), threshold=10, by="provider"),
                    costs.costs(con, scope(), threshold=10, by="provider")):
        assert "Gezinshuis West" not in repr(figures) and "De Brug" not in repr(figures)
        assert figures[-1].group == kpis.OTHER_PROVIDERS and figures[-1].suppressed


def test_provider_tables_are_over_the_municipality_the_area_lies_in(con: Any) -> None:
    """Whatever area is asked for, a figure per provider is the municipality's (docs
    "Provider tables: the whole municipality"): A-buurt's and Zuid's are the same table."""
    for i in range(12):
        trajectory(con, f"a{i}", provider=5, can_continue=i < 6)
    for i in range(3):
        trajectory(con, f"c{i}", neighbourhood=C, provider=7)
    trajectory(con, "gone", provider=7)
    con.execute("UPDATE trajectories SET neighbourhood_code = 'BU00019999', "
                "district_code = 'WK000199' WHERE trajectory_key = 'gone'")
    assert kpis.provider_scope(con, scope(A)).area == "GM0001"
    assert kpis.provider_scope(con, scope("WK000102")).area == "GM0001"
    assert kpis.provider_scope(con, scope("GM0001")) == scope("GM0001")
    # no longer in `areas`, still in the trajectories: their municipality
    assert kpis.provider_scope(con, scope("BU00019999")).area == "GM0001"
    # known nowhere: its own (empty) scope
    assert kpis.provider_scope(con, scope("BU00099999")).area == "BU00099999"
    tables = [(kpis.help_that_helps(con, scope(area), threshold=10, by="provider"),
               kpis.time_to_help(con, scope(area), threshold=10, by="provider"),
               costs.costs(con, scope(area), threshold=10, by="provider"))
              for area in (A, C, "WK000101", "WK000102", "GM0001")]
    assert all(t == tables[-1] for t in tables)
    helps = kpis.help_that_helps(con, scope(A), threshold=1, by="provider")
    assert [(r.group, r.label, r.n) for r in helps] == [  # the municipality's 16
        ("", "Stad", 16), ("7", "Gezinshuis West", 4), ("5", "Jeugdhulp Oost", 12)]
    assert kpis.help_that_helps(con, scope(A), threshold=1, by="area")[0].n == 12  # A's own
