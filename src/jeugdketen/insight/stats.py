"""Fair comparison: a rate's 95% interval (Wilson) and funnel plots (rate against n, with
control limits around the overall rate), so a small neighbourhood is not called bad by
chance. Pure functions; quantiles are computed in SQL (DuckDB's quantile_cont).

Method (docs/insight.md, "Comparing fairly"):
- Wilson score interval for count successes of n, z = 1.959964 (95%). Unlike count/n +-
  1.96 sd, it stays within 0..1 and is honest for small n and for rates near 0% or 100%.
- Funnel limits (Spiegelhalter 2005, normal approximation): around the overall rate p, for
  a group of size n, p +- z * sqrt(p (1 - p) / n), z = 1.959964 (95%) and 3.090232
  (99.8%), clipped to 0..1. A group outside the 95% limits differs by more than chance
  alone would give 1 time in 20; outside the 99.8% limits, 1 time in 500.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, overload

from jeugdketen.insight.figures import Rate

DEFINITION_VERSION = 1

Z95 = 1.959963984540054
Z998 = 3.090232306167813
CURVE_POINTS = 40  # the number of n at which the limit curves are given


@overload
def whole_days(value: float) -> float: ...
@overload
def whole_days(value: None) -> None: ...
def whole_days(value: float | None) -> float | None:
    """A quantile of days as published: whole days, half up. The decimals of an
    interpolated quantile (quantile_cont) are frac(q (n - 1)) when neighbouring days are a
    day apart, so they would give the n behind a rounded n back (attack round 3, R3-2)."""
    return None if value is None else float(math.floor(value + 0.5))


def wilson(count: int, n: int, z: float = Z95) -> tuple[float, float] | None:
    """The Wilson score interval of count successes in n trials; None when n is 0."""
    if n < 0 or count < 0 or count > n:
        raise ValueError(f"wilson: count {count} of n {n}")
    if n == 0:
        return None
    p = count / n
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z / (1 + z2 / n) * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    return max(0.0, centre - half), min(1.0, centre + half)


def limits(p: float, n: int) -> dict[str, float]:
    """The funnel's control limits around the overall rate p for a group of size n."""
    if n <= 0:
        raise ValueError(f"limits: n {n}")
    sd = math.sqrt(p * (1 - p) / n)
    return {
        "n": n,
        "low95": max(0.0, p - Z95 * sd), "high95": min(1.0, p + Z95 * sd),
        "low998": max(0.0, p - Z998 * sd), "high998": min(1.0, p + Z998 * sd),
    }


def position(value: float, bounds: dict[str, float]) -> str:
    """Where a group's rate lies: within, high95/low95 (outside the 95% limits, inside
    the 99.8%) or high998/low998 (outside the 99.8%)."""
    if value > bounds["high998"]:
        return "high998"
    if value < bounds["low998"]:
        return "low998"
    if value > bounds["high95"]:
        return "high95"
    if value < bounds["low95"]:
        return "low95"
    return "within"


def curve_ns(low: int, high: int, points: int = CURVE_POINTS) -> list[int]:
    """Whole numbers from low to high, spaced evenly on a log scale (the funnel narrows
    fast at small n), each once."""
    low, high = max(1, low), max(1, high)
    if high <= low:
        return [low]
    ratio = (high / low) ** (1 / (points - 1))
    return sorted({min(high, round(low * ratio**i)) for i in range(points)} | {high})


def funnel(rates: Sequence[Rate]) -> dict[str, Any]:
    """A funnel plot's data from one figure's rates (one list of Rate, as kpis/outcomes
    give): `overall` (the scope total's rate, group "", or when that is not shown the
    pooled rate of the groups shown), `points` (each shown group: n, value, group, label,
    count and its `position` against the limits at its n) and `limits` (the curves: n,
    low95, high95, low998, high998 from the smallest n shown to 1.1 x the largest).
    Suppressed groups and groups with n 0 are not points; no points gives no limits."""
    shown = [r for r in rates if r.group != "" and not r.suppressed and r.n and r.value is not None
             and r.count is not None]
    total = next((r for r in rates if r.group == "" and not r.suppressed and r.n
                  and r.value is not None), None)
    if total is not None and total.value is not None:
        overall: float | None = total.value
    elif shown:
        overall = sum(r.count or 0 for r in shown) / sum(r.n or 0 for r in shown)
    else:
        overall = None
    if overall is None or not shown:
        return {"overall": overall, "points": [], "limits": []}
    points = []
    for r in shown:
        assert r.n is not None and r.value is not None
        points.append({"group": r.group, "label": r.label, "n": r.n, "count": r.count,
                       "value": r.value, "position": position(r.value, limits(overall, r.n))})
    ns = [r.n for r in shown if r.n is not None]
    curve = [limits(overall, n) for n in curve_ns(min(ns), -(-max(ns) * 11 // 10))]
    return {"overall": overall, "points": points, "limits": curve}
