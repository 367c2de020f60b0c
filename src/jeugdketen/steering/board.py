"""The chain board of a municipality for a week (issue 13): every series of steering.series
with its XmR chart, the bottlenecks and the two KPIs insight has no data for yet;
computed once per insight snapshot (figures only change when a refresh publishes a new
one), and the measured effect of an improvement action. Pure reads of the insight store:
the actions (steering.board_actions) ask the policy and log.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.utils.translation import get_language

from jeugdketen.insight import actions, store
from jeugdketen.steering import series as s


@dataclass(frozen=True)
class Board:
    municipality: str
    municipality_name: str
    monday: date  # the board's ISO week
    threshold: int
    follow_up_days: int
    series: list[s.Series]
    bottlenecks: list[s.Bottleneck]
    others: dict[str, Any]  # time_on_help, job_satisfaction: None = no data yet
    kpi_start: date  # the latest twelve-month period (bottlenecks, other KPIs, last KPI point)
    kpi_end: date  # the last day

    @property
    def week(self) -> str:
        return s.iso_week(self.monday)

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    def get(self, key: str) -> s.Series | None:
        return next((x for x in self.series if x.key == key), None)

    def aggregates(self) -> dict[str, Any]:
        """The board's numbers as JSON (the API's answer and the minutes' frozen
        snapshot): aggregates only, every hidden count null."""
        return {"municipality": self.municipality, "municipality_name": self.municipality_name,
                "week": self.week, "monday": self.monday.isoformat(),
                "sunday": self.sunday.isoformat(), "threshold": self.threshold,
                "kpi_period": {"from": self.kpi_start.isoformat(),
                               "to": self.kpi_end.isoformat()},
                "series": [x.as_dict() for x in self.series],
                "bottlenecks": [b.as_dict() for b in self.bottlenecks],
                "time_on_help": self.others.get("time_on_help"),
                "job_satisfaction": self.others.get("job_satisfaction"),
                "definition_version": s.DEFINITION_VERSION}


def compute(con: Any, municipality: str, name: str, monday: date, threshold: int,
            follow_up_days: int, *, figures: s.Figures | None = None) -> Board:
    sunday = monday + timedelta(days=6)
    scope = s.kpi_scope(municipality, sunday, follow_up_days)
    found = [*s.weekly(con, municipality, monday, threshold),
             *s.monthly(con, municipality, sunday, threshold, follow_up_days,
                        figures=figures)]
    return Board(municipality, name, monday, threshold, follow_up_days, found,
                 s.bottlenecks(con, municipality, sunday, threshold, follow_up_days),
                 s.other_kpis(con, municipality, sunday, threshold, follow_up_days),
                 scope.start, scope.end - timedelta(days=1))


# The boards asked for lately, per snapshot (as insight's dashboard sections): per process,
# bounded.
_CACHE: OrderedDict[tuple[Any, ...], Board] = OrderedDict()
_CACHE_SIZE = 32
_LOCK = threading.Lock()


def cached(municipality: str, name: str, monday: date, threshold: int,
           follow_up_days: int) -> Board:
    key = (store.snapshot(), municipality, monday, threshold, follow_up_days, get_language())
    with _LOCK:
        found = _CACHE.get(key)
        if found is not None:
            _CACHE.move_to_end(key)
            return found
    made = compute(store.reader(), municipality, name, monday, threshold, follow_up_days,
                   figures=published_kept)
    with _LOCK:
        _CACHE[key] = made
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return made


def forget() -> None:
    with _LOCK:
        _CACHE.clear()
        _MEASURED.clear()
        _PUBLISHED.clear()


# Insight's twelve-month figures of a period seen on a day (series.published), per
# snapshot: the boards of a month's weeks and the measured effects ask for the same ones.
_PUBLISHED: OrderedDict[tuple[Any, ...], dict[str, s.Published]] = OrderedDict()
_PUBLISHED_SIZE = 512


def published_kept(con: Any, municipality: str, end: date, seen: date, threshold: int,
                   follow_up_days: int, first_data: date | None) -> dict[str, s.Published]:
    """series.published on the published snapshot (`con` is store.reader()), kept."""
    key = (store.snapshot(), municipality, end, seen, threshold, follow_up_days, first_data)
    with _LOCK:
        found = _PUBLISHED.get(key)
        if found is not None:
            _PUBLISHED.move_to_end(key)
            return found
    made = s.published(con, municipality, end, seen, threshold, follow_up_days, first_data)
    with _LOCK:
        _PUBLISHED[key] = made
        while len(_PUBLISHED) > _PUBLISHED_SIZE:
            _PUBLISHED.popitem(last=False)
    return made


_MEASURED: OrderedDict[tuple[Any, ...], dict[str, Any]] = OrderedDict()
_MEASURED_SIZE = 256


def cached_measure(municipality: str, kpi: str, start: date, due: date, today: date,
                   threshold: int, follow_up_days: int, *, expected: str = ""
                   ) -> dict[str, Any]:
    """measure(), once per snapshot and question (the board page shows every action's)."""
    key = (store.snapshot(), municipality, kpi, start, due, today, threshold, follow_up_days,
           expected)
    with _LOCK:
        found = _MEASURED.get(key)
        if found is not None:
            _MEASURED.move_to_end(key)
            return dict(found)
    made = measure(store.reader(), municipality, kpi, start, due, today, threshold,
                   follow_up_days, expected=expected, figures=published_kept)
    with _LOCK:
        _MEASURED[key] = made
        while len(_MEASURED) > _MEASURED_SIZE:
            _MEASURED.popitem(last=False)
    return dict(made)


# --- the measured effect of an improvement action ---------------------------------------------

MAX_PERIODS = 26  # a weekly KPI: at most this many weeks after, and as many before


def _mean(values: list[float | None]) -> tuple[float | None, int]:
    seen = [v for v in values if v is not None]
    return (sum(seen) / len(seen) if seen else None), len(seen)


def measurable(kpi: str, due: date, today: date) -> bool:
    """Is the due date's period (week, or month for a monthly KPI) complete on `today`?"""
    if kpi in s.MONTHLY:
        return s.month_start(today) > s.month_start(due)
    return s.last_complete_week(today) >= s.monday_of(due)


def measure(con: Any, municipality: str, kpi: str, start: date, due: date, today: date,
            threshold: int, follow_up_days: int, *, expected: str = "",
            figures: s.Figures | None = None) -> dict[str, Any]:
    """A weekly KPI: its mean over the weeks from the action's start up to its due date,
    against its mean over as many weeks just before the start (at most MAX_PERIODS each),
    each with n (the weeks shown: hidden ones are left out). A monthly KPI (help that
    helps, time to help that helps): the twelve-month figure insight publishes for the
    last month ended before the start, against the one for the due date's month (both
    seen at the end of the last month ended by `today`, as insight's page sees them),
    each with its n; a figure insight hides stays hidden (mean and n None). "too_early"
    until the due date's week (month) is complete."""
    if not measurable(kpi, due, today):
        return {"kpi": kpi, "status": "too_early"}
    if kpi in s.MONTHLY:
        return _measure_monthly(con, municipality, kpi, start, due, today, threshold,
                                follow_up_days, expected, figures or s.published)
    first_after = s.monday_of(start)
    last_after = s.monday_of(due)
    count = min((last_after - first_after).days // 7 + 1, MAX_PERIODS)
    found = next(x for x in s.weekly(con, municipality, last_after, threshold,
                                     weeks=2 * count) if x.key == kpi)
    before_values, after_values = found.values[:count], found.values[count:]
    before, n_before = _mean(before_values)
    after, n_after = _mean(after_values)
    return _effect(kpi, found.period,
                   {"from": found.labels[0], "to": found.labels[count - 1],
                    "mean": before, "n": n_before},
                   {"from": found.labels[count], "to": found.labels[-1],
                    "mean": after, "n": n_after}, expected)


def _measure_monthly(con: Any, municipality: str, kpi: str, start: date, due: date,
                     today: date, threshold: int, follow_up_days: int, expected: str,
                     figures: s.Figures) -> dict[str, Any]:
    seen = actions.latest_end(today)
    first_data = store.first_day(con)

    def figure(end: date) -> dict[str, Any]:
        found = figures(con, municipality, end, seen, threshold, follow_up_days,
                        first_data)[kpi]
        return {"from": actions.window_start(end).strftime("%Y-%m"),
                "to": end.strftime("%Y-%m"), "mean": found.value, "n": found.n}

    return _effect(kpi, "month", figure(s.month_start(start) - timedelta(days=1)),
                   figure(actions.month_end(due)), expected)


def _effect(kpi: str, period: str, before: dict[str, Any], after: dict[str, Any],
            expected: str) -> dict[str, Any]:
    change = (None if before["mean"] is None or after["mean"] is None
              else after["mean"] - before["mean"])
    as_expected = None
    if change is not None and expected in ("up", "down"):
        as_expected = change > 0 if expected == "up" else change < 0
    return {"kpi": kpi, "status": "measured", "period": period, "before": before,
            "after": after, "change": change, "as_expected": as_expected}
