"""Twelve-month periods a month apart share eleven months: exact counts subtracted would
give the month coming in minus the month going out, a small month exactly (the finding of
tests/steering/test_attack_round2.py). Every count of a period is therefore published
rounded to the threshold, and every value computed from the rounded counts
(docs/insight.md, "Rounded period counts")."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jeugdketen.insight import costs, kpis, outcomes, stats

from .test_kpis import A, B, make_store, scope, trajectory

T = 10


@pytest.fixture
def con() -> Any:
    connection = make_store()
    yield connection
    connection.close()

MONTHS = [date(2025 + (m >= 12), m % 12 + 1, 1) for m in range(24)]  # Jan 2025 .. Dec 2026


def periods() -> list[tuple[date, date]]:
    """Every twelve-month period ending at a month's end in 2026, as insight offers them."""
    return [(MONTHS[i + 1], MONTHS[i + 13] if i + 13 < 24 else date(2027, 1, 1))
            for i in range(11)]


def published(store: Any, period: tuple[date, date]) -> list[int | None]:
    """Every count insight publishes for the district in the period, in a fixed order."""
    s = scope(period=period, today=date(2028, 1, 1))
    found: list[int | None] = []
    for r in kpis.help_that_helps(store, s, threshold=T):
        found += [r.n, r.count]
    found += [t.n for t in kpis.time_to_help(store, s, threshold=T)]
    found += [x for c in costs.costs(store, s, threshold=T) for x in (c.n, c.helped)]
    for rates in outcomes.indicators(store, s, threshold=T).values():
        found += [x for r in rates for x in (r.n, r.count)]
    return found


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6), st.integers(0, 3)),
                min_size=24, max_size=24))
def test_two_periods_a_month_apart_never_differ_by_a_small_count(months: list[Any]) -> None:
    store = make_store()
    try:
        for m, (helped, not_helped, in_b) in zip(MONTHS, months, strict=True):
            closed = m.replace(day=15).isoformat()
            for i in range(helped):
                trajectory(store, f"{m}-h{i}", first=(m.replace(day=2)).isoformat(),
                           help_started=m.replace(day=5).isoformat(), closed=closed)
            for i in range(not_helped):
                trajectory(store, f"{m}-n{i}", first=(m.replace(day=2)).isoformat(),
                           help_started=m.replace(day=5).isoformat(), closed=closed,
                           can_continue=False)
            for i in range(in_b):
                trajectory(store, f"{m}-b{i}", neighbourhood=B, first=m.replace(day=2).isoformat(),
                           help_started=m.replace(day=5).isoformat(), closed=closed)
        reads = [published(store, p) for p in periods()]
    finally:
        store.close()
    for before, after in itertools.pairwise(reads):
        assert len(before) == len(after)
        for x, y in zip(before, after, strict=True):
            assert x is None or (x % T == 0 and (y is None or not 0 < abs(y - x) < T)), (x, y)


def test_the_value_and_interval_come_from_the_rounded_counts(con: Any) -> None:
    """23 plans, 11 helped: 20 and 10 are shown, and 0.5 with Wilson(10, 20), not 11/23:
    the exact rate with the rounded n would give the exact counts back."""
    for i in range(23):
        trajectory(con, f"a{i}", neighbourhood=A, can_continue=i < 11)
    total = kpis.help_that_helps(con, scope(), threshold=T)[0]
    assert (total.n, total.count, total.value, total.rounded_to) == (20, 10, 0.5, T)
    assert (total.low, total.high) == stats.wilson(10, 20)
    times = kpis.time_to_help(con, scope(), threshold=T)[0]
    assert (times.n, times.rounded_to) == (10, T)  # 11 helped, rounded
