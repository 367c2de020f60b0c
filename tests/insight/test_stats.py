"""Wilson intervals and funnel limits, against values worked out by hand (and published
tables: Newcombe 1998, table I)."""

from __future__ import annotations

import math

import pytest

from jeugdketen.insight import stats
from jeugdketen.insight.figures import Rate


def test_wilson_known_values():
    # Newcombe (1998), Statistics in Medicine 17, table I: 81/263 -> 0.2553 to 0.3662.
    low, high = stats.wilson(81, 263)
    assert low == pytest.approx(0.2553, abs=1e-4)
    assert high == pytest.approx(0.3662, abs=1e-4)
    # 15/148 -> 0.0624 to 0.1605; 0/20 -> 0 to 0.1611; 1/29 -> 0.0061 to 0.1718.
    assert stats.wilson(15, 148) == pytest.approx((0.0624, 0.1605), abs=1e-4)
    assert stats.wilson(0, 20) == pytest.approx((0.0, 0.1611), abs=1e-4)
    assert stats.wilson(1, 29) == pytest.approx((0.0061, 0.1718), abs=1e-4)


def test_wilson_symmetry_bounds_and_nothing():
    low, high = stats.wilson(3, 10)
    low2, high2 = stats.wilson(7, 10)
    assert low == pytest.approx(1 - high2) and high == pytest.approx(1 - low2)
    assert stats.wilson(10, 10)[1] == pytest.approx(1.0)
    assert stats.wilson(0, 10)[0] == 0.0
    assert stats.wilson(0, 0) is None
    with pytest.raises(ValueError, match="count 11 of n 10"):
        stats.wilson(11, 10)


def test_limits_normal_approximation():
    bounds = stats.limits(0.5, 100)
    sd = math.sqrt(0.25 / 100)
    assert bounds["low95"] == pytest.approx(0.5 - 1.959964 * sd, abs=1e-6)
    assert bounds["high998"] == pytest.approx(0.5 + 3.090232 * sd, abs=1e-6)
    # Clipped to 0..1 for small n.
    assert stats.limits(0.9, 4)["high95"] == 1.0
    assert stats.limits(0.1, 4)["low998"] == 0.0
    with pytest.raises(ValueError):
        stats.limits(0.5, 0)


def test_position():
    bounds = stats.limits(0.5, 100)  # 95%: 0.402..0.598, 99.8%: 0.345..0.655
    assert stats.position(0.5, bounds) == "within"
    assert stats.position(0.62, bounds) == "high95"
    assert stats.position(0.70, bounds) == "high998"
    assert stats.position(0.38, bounds) == "low95"
    assert stats.position(0.30, bounds) == "low998"


def rate(group, n, count, suppressed=False):
    if suppressed:
        return Rate("k", group, group or "Totaal", None, None, None, None, None, suppressed=True)
    return Rate("k", group, group or "Totaal", n, count, count / n, 0, 1)


def test_funnel_points_limits_and_overall():
    rates = [rate("", 400, 200), rate("a", 100, 50), rate("b", 100, 70), rate("c", 20, 2),
             rate("d", None, None, suppressed=True)]
    funnel = stats.funnel(rates)
    assert funnel["overall"] == 0.5  # the scope total's rate, not the mean of the groups
    assert [p["group"] for p in funnel["points"]] == ["a", "b", "c"]  # d suppressed
    positions = {p["group"]: p["position"] for p in funnel["points"]}
    assert positions == {"a": "within", "b": "high998", "c": "low998"}
    ns = [limit["n"] for limit in funnel["limits"]]
    assert ns[0] == 20 and ns[-1] == 110 and ns == sorted(set(ns))
    assert len(ns) <= stats.CURVE_POINTS + 1
    # The curves narrow as n grows.
    widths = [limit["high95"] - limit["low95"] for limit in funnel["limits"]]
    assert widths == sorted(widths, reverse=True)


def test_funnel_pooled_when_total_hidden_and_empty():
    funnel = stats.funnel([rate("", None, None, suppressed=True), rate("a", 10, 5),
                           rate("b", 30, 25)])
    assert funnel["overall"] == pytest.approx(30 / 40)
    assert stats.funnel([rate("", 50, 10)]) == {"overall": 0.2, "points": [], "limits": []}
    assert stats.funnel([]) == {"overall": None, "points": [], "limits": []}


def test_the_page_names_every_place_in_the_funnel() -> None:
    """Each position stats.position can give has its words on the page."""
    from jeugdketen.insight.views import POSITION_LABELS

    bounds = stats.limits(0.5, 100)
    places = {stats.position(v / 100, bounds) for v in range(101)}
    assert places == {"within", "high95", "low95", "high998", "low998"}
    assert places <= set(POSITION_LABELS)
