"""XmR charts (process behaviour charts, Wheeler): natural process limits of a series and
the two signals the board marks (docs/steering.md, "The board"). Pure functions over plain
numbers; a point is None when it is hidden (a count below the threshold): a gap.

- The baseline: the first `baseline` positions of the series (default: all of them).
- The centre line: the mean of the baseline's visible points.
- The moving ranges: |x[i] - x[i-1]| for two ADJACENT visible points of the baseline only.
  A gap breaks the moving range: the point after a hidden one has no moving range (the
  two values either side of the gap are not consecutive measurements).
- mR-bar: the mean of those moving ranges; the limits: centre +- 2.66 x mR-bar, the lower
  one not below 0 for counts (`non_negative`).
- No limits (and no signals) with fewer than MIN_POINTS visible baseline points or
  without a single moving range: too little to tell a signal from noise.
- Signals, only these two (so the meeting does not chase noise):
  * "outside": a point above the upper or below the lower limit (strictly);
  * "run": eight or more consecutive points on one side of the centre line. A point on
    the centre line ends a run, and so does a gap: a hidden week's side is not known,
    so the points before and after it are not consecutive.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

SCALE = 2.66  # 3 / d2 with d2 = 1.128 for moving ranges of two
RUN = 8  # points in a row on one side of the centre line
MIN_POINTS = 5  # visible baseline points needed for limits

OUTSIDE = "outside"
RUN_RULE = "run"


@dataclass(frozen=True)
class Point:
    value: float | None  # None: hidden (a gap)
    moving_range: float | None  # None for the first point and after a gap
    signals: tuple[str, ...] = ()  # OUTSIDE and/or RUN_RULE


@dataclass(frozen=True)
class Chart:
    points: list[Point]
    centre: float | None
    mr_bar: float | None
    upper: float | None
    lower: float | None
    baseline: int  # positions used for the limits
    signals: list[str] = field(default_factory=list)  # the rules that fired, in order
    rule: str = "xmr"  # "xmr", or "run": a run chart, the centre is the median, no limits

    def as_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "centre": self.centre, "mr_bar": self.mr_bar, "upper": self.upper,
                "lower": self.lower, "baseline": self.baseline, "signals": list(self.signals),
                "points": [{"value": p.value, "moving_range": p.moving_range,
                            "signals": list(p.signals)} for p in self.points]}


def moving_ranges(values: Sequence[float | None]) -> list[float | None]:
    """Per position the absolute difference with the position before, when both are
    visible; None for the first position, a gap and the point after a gap."""
    out: list[float | None] = [None]
    for before, now in pairwise(values):
        out.append(None if before is None or now is None else abs(now - before))
    return out[: len(values)]


def limits(values: Sequence[float | None], *, baseline: int | None = None,
           non_negative: bool = True) -> tuple[float, float, float, float] | None:
    """(centre, mR-bar, lower, upper) from the first `baseline` positions; None when they
    hold fewer than MIN_POINTS visible points or no moving range."""
    base = list(values[: len(values) if baseline is None else baseline])
    seen = [v for v in base if v is not None]
    ranges = [r for r in moving_ranges(base) if r is not None]
    if len(seen) < MIN_POINTS or not ranges:
        return None
    centre = sum(seen) / len(seen)
    mr_bar = sum(ranges) / len(ranges)
    lower = centre - SCALE * mr_bar
    if non_negative:
        lower = max(lower, 0.0)
    return centre, mr_bar, lower, centre + SCALE * mr_bar


def runs(values: Sequence[float | None], centre: float, length: int = RUN) -> set[int]:
    """The positions in a run of at least `length` consecutive visible points strictly on
    one side of `centre` (a point on the line or a gap ends a run)."""
    found: set[int] = set()
    start, side = 0, 0
    for i, v in enumerate([*values, None]):
        now = 0 if v is None or v == centre else (1 if v > centre else -1)
        if now != side or now == 0:
            if side != 0 and i - start >= length:
                found.update(range(start, i))
            start, side = i, now
    return found


def chart(values: Sequence[float | None], *, baseline: int | None = None,
          non_negative: bool = True) -> Chart:
    """The XmR chart of a series: limits from the baseline, signals marked on every point."""
    mrs = moving_ranges(values)
    found = limits(values, baseline=baseline, non_negative=non_negative)
    used = len(values) if baseline is None else min(baseline, len(values))
    if found is None:
        return Chart([Point(v, r) for v, r in zip(values, mrs, strict=True)],
                     None, None, None, None, used)
    centre, mr_bar, lower, upper = found
    in_run = runs(values, centre)
    points, fired = [], []
    for i, (v, r) in enumerate(zip(values, mrs, strict=True)):
        signals = []
        if v is not None and (v > upper or v < lower):
            signals.append(OUTSIDE)
        if i in in_run:
            signals.append(RUN_RULE)
        fired += [s for s in signals if s not in fired]
        points.append(Point(v, r, tuple(signals)))
    return Chart(points, centre, mr_bar, upper, lower, used, fired)


def median(values: Sequence[float | None]) -> float | None:
    seen = sorted(v for v in values if v is not None)
    if not seen:
        return None
    middle = len(seen) // 2
    return seen[middle] if len(seen) % 2 else (seen[middle - 1] + seen[middle]) / 2


def run(values: Sequence[float | None]) -> Chart:
    """A run chart: the median of the visible points as the centre line, no limits, no
    moving ranges and no signals."""
    return Chart([Point(v, None) for v in values], median(values), None, None, None,
                 len(values), rule="run")
