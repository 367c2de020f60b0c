"""XmR limits and the two signal rules against hand-computed cases (steering.xmr)."""

from __future__ import annotations

import pytest

from jeugdketen.steering import xmr


def test_limits_by_hand():
    # Baseline 10, 12, 11, 13, 9: mean 55 / 5 = 11; moving ranges 2, 1, 2, 4: mean 2.25;
    # limits 11 +- 2.66 x 2.25 = 11 +- 5.985.
    chart = xmr.chart([10, 12, 11, 13, 9, 30], baseline=5)
    assert chart.centre == pytest.approx(11)
    assert chart.mr_bar == pytest.approx(2.25)
    assert chart.lower == pytest.approx(5.015)
    assert chart.upper == pytest.approx(16.985)
    assert [p.signals for p in chart.points] == [(), (), (), (), (), ("outside",)]
    assert chart.signals == ["outside"]
    assert [p.moving_range for p in chart.points] == [None, 2, 1, 2, 4, 21]


def test_a_point_below_the_lower_limit_is_a_signal():
    chart = xmr.chart([10, 12, 11, 13, 9, 5], baseline=5)
    assert chart.points[-1].signals == ("outside",)


def test_the_lower_limit_of_a_count_is_not_below_zero():
    # Baseline 4, 6 alternating: mean 5, every moving range 2: 5 - 5.32 = -0.32.
    values = [4, 6] * 5
    assert xmr.chart(values).lower == 0.0
    assert xmr.chart(values, non_negative=False).lower == pytest.approx(-0.32)
    assert xmr.chart(values).upper == pytest.approx(10.32)


def test_a_run_of_eight_on_one_side_is_a_signal():
    values = [6, 4] * 5 + [7] * 8  # eight above the centre 5, all within the limits
    chart = xmr.chart(values, baseline=10)
    assert chart.signals == ["run"]
    assert [i for i, p in enumerate(chart.points) if p.signals] == list(range(10, 18))
    assert all(p.signals == ("run",) for p in chart.points[10:])


def test_seven_in_a_row_is_no_signal():
    chart = xmr.chart([6, 4] * 5 + [7] * 7, baseline=10)
    assert chart.signals == []


def test_a_point_on_the_centre_line_ends_a_run():
    chart = xmr.chart([6, 4] * 5 + [7] * 4 + [5] + [7] * 4, baseline=10)
    assert chart.signals == []


def test_a_gap_ends_a_run():
    # Four above, a hidden week, four above: the hidden week's side is not known.
    chart = xmr.chart([6, 4] * 5 + [7] * 4 + [None] + [7] * 4, baseline=10)
    assert chart.signals == []
    assert chart.points[14].value is None and chart.points[14].signals == ()


def test_a_gap_breaks_the_moving_range():
    # 10, -, 12, 14, 9, 11: moving ranges only between neighbours both shown: 2, 5, 2.
    values = [10, None, 12, 14, 9, 11]
    assert xmr.moving_ranges(values) == [None, None, None, 2, 5, 2]
    chart = xmr.chart(values)
    assert chart.centre == pytest.approx(56 / 5)
    assert chart.mr_bar == pytest.approx(3)
    assert chart.upper == pytest.approx(11.2 + 7.98)
    assert chart.lower == pytest.approx(11.2 - 7.98)


def test_too_few_points_give_no_limits_and_no_signals():
    chart = xmr.chart([10, None, 12, 14, 9])  # four visible
    assert (chart.centre, chart.upper, chart.lower) == (None, None, None)
    assert chart.signals == [] and all(p.signals == () for p in chart.points)


def test_no_moving_range_gives_no_limits():
    assert xmr.limits([1, None, 2, None, 3, None, 4, None, 5]) is None


def test_both_rules_on_one_point_name_both():
    values = [6, 4] * 5 + [7] * 7 + [20]
    chart = xmr.chart(values, baseline=10)
    assert chart.points[-1].signals == ("outside", "run")
    assert chart.signals == ["run", "outside"]


def test_the_baseline_limits_the_points_used():
    # The later points do not move the limits: only the first five count.
    a = xmr.chart([10, 12, 11, 13, 9, 100, 200], baseline=5)
    assert a.centre == pytest.approx(11) and a.baseline == 5
