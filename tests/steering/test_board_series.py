"""The board's series on a hand-made store with known answers (steering.series)."""

from __future__ import annotations

from datetime import date

import pytest

from jeugdketen.steering import series
from tests.insight import handmade
from tests.steering import board_world as w

T = 10


@pytest.fixture
def con():
    c = handmade.store()
    w.fill(c)
    yield c
    c.close()


def by_key(found):
    return {s.key: s for s in found}


def test_rounded_and_shown():
    assert [series.rounded(v, 10) for v in (0, 1, 9, 10, 14, 15, 24, 25)] == [
        0, None, None, 10, 10, 20, 20, 30]
    assert [series.shown(v, 10) for v in (0, 3, 10)] == [0, None, 10]


def test_weeks():
    assert series.week_monday("2026-W39") == date(2026, 9, 21)
    assert series.week_monday("2026-W54") is None
    assert series.week_monday("2026-39") is None
    assert series.last_complete_week(date(2026, 9, 28)) == date(2026, 9, 21)
    assert series.last_complete_week(date(2026, 9, 27)) == date(2026, 9, 14)


def test_weekly_new_reports_hidden_below_the_threshold(settings, con):
    found = by_key(series.weekly(con, w.GM, date(2026, 9, 21), T, weeks=4))
    s = found["new_reports"]
    assert s.labels == ["2026-W36", "2026-W37", "2026-W38", "2026-W39"]
    assert s.values == [0, 12, None, 15]  # 3 is below the threshold: a gap
    # The other municipality's twenty are not Telstad's.
    assert found["plans_closed"].values == [0, 0, 0, 0]


def test_open_work_is_a_stock_rounded_to_the_threshold(settings, con):
    found = by_key(series.weekly(con, w.GM, date(2026, 9, 21), T, weeks=4))
    # Open at first contact on each Sunday: 0, 12, 15, 30 -> 0, 10, 20, 30.
    assert found["open_first_contact"].values == [0, 10, 20, 30]
    assert found["open_total"].values == [0, 10, 20, 30]
    assert found["open_help_started"].values == [0, 0, 0, 0]


def test_monthly_kpis_per_month_of_the_close(settings, con):
    found = by_key(series.monthly(con, w.GM, date(2026, 9, 27), T, 182))
    helps = found["help_that_helps"]
    assert helps.labels[0] == "2025-09" and helps.labels[-1] == "2026-08"
    june, july, august = (helps.labels.index(m) for m in ("2026-06", "2026-07", "2026-08"))
    assert helps.values[july] == pytest.approx(15 / 30) and helps.ns[july] == 30
    # August: 4 plans closed, below the threshold: hidden; and June (the smallest other)
    # with it, since the twelve months' total (59, published by insight) would give
    # August away.
    assert helps.values[august] is None and helps.ns[august] is None
    assert helps.values[june] is None and helps.ns[june] is None
    assert helps.ns[0] == 0 and helps.values[0] is None
    days = found["time_to_help"]
    # Time to help that helps: 7 days (report to plan) for the 15 helped in July.
    assert days.values[july] == 7 and days.ns[july] == 15


def test_monthly_kpis_shown_when_safe(settings, con):
    found = by_key(series.monthly(con, w.GM, date(2026, 7, 26), T, 182))
    # The board of the last week of July: the months up to June; June's 25 shown.
    helps = found["help_that_helps"]
    assert helps.labels[-1] == "2026-06"
    assert helps.values[-1] == pytest.approx(12 / 25) and helps.ns[-1] == 25
    assert helps.values[:-1] == [None] * 11 and helps.ns[:-1] == [0] * 11


def test_bottlenecks_most_costly_first(settings, con):
    found = series.bottlenecks(con, w.GM, date(2026, 9, 27), T, 182)
    assert found, "the plans' steps are shown"
    costs = [b.cost for b in found]
    assert costs == sorted(costs, reverse=True)
    assert all(b.cost == b.wait_p50 * b.reached for b in found)


def test_other_kpis_none_says_no_data_yet(settings, con):
    found = series.other_kpis(con, w.GM, date(2026, 9, 27), T, 182)
    assert set(found) == {"time_on_help", "job_satisfaction"}
