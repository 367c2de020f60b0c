"""The board's series on a hand-made store with known answers (steering.series)."""

from __future__ import annotations

from datetime import date

import pytest

from jeugdketen.insight.suppression import rounded
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


def test_rounded():
    assert [rounded(v, 10) for v in (0, 1, 9, 10, 14, 15, 24, 25)] == [
        0, None, None, 10, 10, 20, 20, 30]


def test_weeks():
    assert series.week_monday("2026-W39") == date(2026, 9, 21)
    assert series.week_monday("2026-W54") is None
    assert series.week_monday("2026-39") is None
    assert series.last_complete_week(date(2026, 9, 28)) == date(2026, 9, 21)
    assert series.last_complete_week(date(2026, 9, 27)) == date(2026, 9, 14)


def test_weekly_flows_rounded_like_the_stocks(settings, con):
    found = by_key(series.weekly(con, w.GM, date(2026, 9, 21), T, weeks=4))
    s = found["new_reports"]
    assert s.labels == ["2026-W36", "2026-W37", "2026-W38", "2026-W39"]
    # 0, 12, 3, 15: 0 stays 0, 3 is below the threshold (a gap), the others rounded to a
    # multiple of it (half up), as insight.suppression.rounded.
    assert s.values == [0, 10, None, 20]
    # The other municipality's twenty are not Telstad's.
    assert found["plans_closed"].values == [0, 0, 0, 0]
    assert found["new_reports"].chart is not None


def test_every_weekly_flow_is_rounded(settings, con):
    # Every value of every weekly flow is 0, hidden or a multiple of T (a week's exact
    # count beside insight's twelve-month totals could give a hidden week away).
    for key in series.FLOW_LABELS:
        found = by_key(series.weekly(con, w.GM, date(2026, 9, 21), T))[key]
        assert all(v is None or v % T == 0 for v in found.values), (key, found.values)
        assert found.chart is not None and found.chart.rule == "xmr"


def test_open_work_is_a_stock_rounded_to_the_threshold(settings, con):
    found = by_key(series.weekly(con, w.GM, date(2026, 9, 21), T, weeks=4))
    # Open at first contact on each Sunday: 0, 12, 15, 30 -> 0, 10, 20, 30.
    assert found["open_first_contact"].values == [0, 10, 20, 30]
    assert found["open_total"].values == [0, 10, 20, 30]
    assert found["open_help_started"].values == [0, 0, 0, 0]


def test_monthly_kpis_are_insights_twelve_month_figures(settings, con):
    found = by_key(series.monthly(con, w.GM, date(2026, 9, 27), T, 182))
    helps = found["help_that_helps"]
    assert helps.labels[0] == "2025-09" and helps.labels[-1] == "2026-08"
    at = dict(zip(helps.labels, zip(helps.values, helps.ns, strict=True), strict=True))
    # Insight offers periods ending from December 2025 (the store's first event is in
    # January 2025): before that nothing, not even n.
    assert at["2025-09"] == at["2025-11"] == (None, None)
    assert at["2025-12"] == (None, 0) and at["2026-05"] == (None, 0)
    # The twelve months up to June: 25 closed, 12 helped; up to July 55 and 27; up to
    # August 59 and 28 (August's four are inside a total, as insight publishes it).
    # Insight rounds n and count of a twelve-month figure to a multiple of T (half up,
    # insight.suppression.rounded) and takes the value from the rounded counts: June
    # 10 of 30, July 30 of 60, August 30 of 60. July and August are the same figure:
    # August's 4 plans (1 helped) cannot be read as their difference.
    assert [rounded(x, T) for x in (25, 12, 55, 27, 59, 28)] == [30, 10, 60, 30, 60, 30]
    assert at["2026-06"] == (pytest.approx(10 / 30), 30)
    assert at["2026-07"] == (pytest.approx(30 / 60), 60)
    assert at["2026-08"] == (pytest.approx(30 / 60), 60)
    days = found["time_to_help"]
    dat = dict(zip(days.labels, zip(days.values, days.ns, strict=True), strict=True))
    # Time to help that helps: 7 days (report to plan) for every one helped; the median
    # stays exact, n is the number helped rounded: 12 -> 10, 28 -> 30.
    assert dat["2026-06"] == (7, rounded(12, T)) == (7, 10)
    assert dat["2026-08"] == (7, rounded(28, T)) == (7, 30)
    # Run charts: the median, no limits, no signals.
    for s in (helps, days):
        assert s.chart is not None and s.chart.rule == "run"
        assert s.chart.upper is None and s.chart.lower is None and s.chart.signals == []
    # The median of the three (1/3, 1/2, 1/2).
    assert helps.chart.centre == pytest.approx(30 / 60)


def test_monthly_kpis_hidden_where_insight_hides(settings, con):
    # The board of the last week of August: up to July. With a threshold of 30 the
    # twelve months up to June (25) are hidden, up to July (55, 27 helped: 27 < 30)
    # hidden too; nothing leaks as n.
    found = by_key(series.monthly(con, w.GM, date(2026, 8, 30), 30, 182))
    helps = found["help_that_helps"]
    assert helps.labels[-1] == "2026-07"
    assert helps.values[-2:] == [None, None] and helps.ns[-2:] == [None, None]


def test_bottlenecks_most_costly_first(settings, con):
    found = series.bottlenecks(con, w.GM, date(2026, 9, 27), T, 182)
    assert found, "the plans' steps are shown"
    costs = [b.cost for b in found]
    assert costs == sorted(costs, reverse=True)
    assert all(b.cost == b.wait_p50 * b.reached for b in found)


def test_other_kpis_none_says_no_data_yet(settings, con):
    found = series.other_kpis(con, w.GM, date(2026, 9, 27), T, 182)
    assert set(found) == {"time_on_help", "job_satisfaction"}


def test_a_run_chart_has_its_median_and_no_limits():
    from jeugdketen.steering import xmr

    found = xmr.run([0.4, None, 0.5, 0.9, 0.45])
    assert found.rule == "run" and found.centre == pytest.approx(0.475)
    assert (found.upper, found.lower, found.mr_bar, found.signals) == (None, None, None, [])
    assert [p.signals for p in found.points] == [()] * 5
    assert xmr.run([None, None]).centre is None
    # The same values on an XmR chart would have limits (and the rule says which).
    assert xmr.chart([0.4, 0.42, 0.5, 0.9, 0.45, 0.44]).as_dict()["rule"] == "xmr"


def test_the_monthly_charts_say_they_are_twelve_month_figures(settings, con):
    from jeugdketen.steering import charts

    found = by_key(series.monthly(con, w.GM, date(2026, 9, 27), T, 182))
    svg = str(charts.run_chart(found["help_that_helps"].as_dict(), threshold=T))
    assert "twaalf maanden tot en met de maand" in svg
    # The median of June 10/30, July 30/60 and August 30/60 (rounded counts).
    assert "mediaan 50%" in svg and "bovengrens" not in svg and "ondergrens" not in svg
    assert "Geen grenzen of signalen" in svg and "signaal (" not in svg
    weekly = str(charts.run_chart(by_key(series.weekly(con, w.GM, date(2026, 9, 21), T))[
        "open_total"].as_dict(), threshold=T))
    assert "mediaan" not in weekly
