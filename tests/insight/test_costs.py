"""Costs per group on a hand-made store with known answers."""

from __future__ import annotations

from typing import Any

import pytest

from jeugdketen.insight import costs, derive

from .handmade import add
from .test_kpis import A, B, by_group, make_store, scope, trajectory


@pytest.fixture
def con() -> Any:
    connection = make_store()
    yield connection
    connection.close()


def test_costs_known_answers(con: Any) -> None:
    trajectory(con, "a1", budget=1000, spent=800)
    trajectory(con, "a2", budget=2000, spent=2200, can_continue=False)
    trajectory(con, "a3", budget=600, spent=300)
    trajectory(con, "a-open", closed=None, budget=5000, spent=100)  # not closed: not counted
    trajectory(con, "b1", neighbourhood=B, budget=100, spent=0, can_continue=False)
    got = by_group(costs.costs(con, scope(), threshold=1))
    a = got[A]
    assert (a.n, a.helped) == (3, 2)
    assert a.budget_per_trajectory == pytest.approx(1200)
    assert a.spent_per_trajectory == pytest.approx(1100)
    # everything spent, per result: 3300 / 2 = 1650, published to two significant figures
    assert a.spent_per_helped == pytest.approx(1700)
    assert a.spent_on_helped == pytest.approx(550)  # the average of those that helped
    b = got[B]
    assert (b.n, b.helped, b.spent_per_helped, b.spent_on_helped) == (1, 0, None, None)
    # 3700 / 4 = 925, two significant figures half up
    assert got[""].n == 4 and got[""].budget_per_trajectory == pytest.approx(930)
    assert got[A].as_dict()["key"] == "costs"


def test_costs_suppressed_with_the_number_of_trajectories(con: Any) -> None:
    for i in range(12):
        trajectory(con, f"a{i}", budget=100, spent=100)
    for i in range(12):
        trajectory(con, f"an{i}", budget=100, spent=100, can_continue=False)
    for i in range(9):
        trajectory(con, f"b{i}", neighbourhood=B, budget=50, spent=50)
    got = by_group(costs.costs(con, scope(), threshold=10))
    assert got[B].suppressed and got[B].spent_per_trajectory is None
    # A next to the total would give B's sums back: hidden too.
    assert got[A].suppressed
    # 33 plans, 24 of them helped: shown rounded to the threshold
    assert not got[""].suppressed and (got[""].n, got[""].helped) == (30, 20)
    assert got[""].rounded_to == 10
    for i in range(9, 10):
        trajectory(con, f"b{i}", neighbourhood=B, budget=50, spent=50)
    for i in range(10):
        trajectory(con, f"bn{i}", neighbourhood=B, budget=50, spent=50, can_continue=False)
    got = by_group(costs.costs(con, scope(), threshold=10))
    assert not any(r.suppressed for r in got.values())
    assert got[B].budget_per_trajectory == pytest.approx(50)


def test_costs_from_events(con: Any) -> None:
    """Budget and spending as plan.closed reports them (derive reads them), per area."""
    add(con, "plan.started", "p1", "2026-01-05", household="h1", neighbourhood=A,
        origin="direct", coordinator_organisation_id=5)
    add(con, "plan_action.planned", "p1", "2026-01-06", household="h1", neighbourhood=A,
        budget_eur="400.00")
    add(con, "plan.closed", "p1", "2026-03-01", household="h1", neighbourhood=A,
        reason_code="01", can_continue_without_help=True, budget_eur="400.00",
        costs_spent_eur="350.50")
    add(con, "plan.started", "p2", "2026-01-05", household="h2", neighbourhood=A,
        origin="direct", coordinator_organisation_id=5)
    add(con, "plan.closed", "p2", "2026-03-01", household="h2", neighbourhood=A,
        reason_code="02", can_continue_without_help=False, budget_eur="1000.00",
        costs_spent_eur="649.50")
    derive.derive_all(con)
    row = by_group(costs.costs(con, scope(), threshold=1))[A]
    assert (row.n, row.helped) == (2, 1)
    assert row.budget_per_trajectory == pytest.approx(700)
    assert row.spent_per_trajectory == pytest.approx(500)
    assert row.spent_per_helped == pytest.approx(1000)
    assert row.spent_on_helped == pytest.approx(350)  # 350.50, to two significant figures


@pytest.mark.parametrize(("total", "count", "shown"), [
    (12345, 1, 12000), (1650, 1, 1700), (1649.99, 1, 1600), (925, 1, 930), (95, 1, 95),
    (99.5, 1, 100), (0.125, 1, 0.13), (0, 3, 0), (700, 0, None), (10_000_000, 3, 3_300_000)])
def test_an_average_is_published_to_two_significant_figures(total: float, count: int,
                                                            shown: float | None) -> None:
    assert costs.mean(total, count) == (None if shown is None else pytest.approx(shown))


def test_the_averages_do_not_give_the_exact_share_that_helped(con: Any) -> None:
    """spent per trajectory / spent per trajectory that helped is helped / n exactly when
    the averages are exact; published to two significant figures it is not: 23 plans, 11
    helped, rounded to 20 and 10, and the ratio of the averages is not 11/23."""
    for i in range(11):
        trajectory(con, f"a{i}", budget=1234, spent=1234)
    for i in range(12):
        trajectory(con, f"an{i}", budget=1234, spent=1234, can_continue=False)
    total = by_group(costs.costs(con, scope(), threshold=10))[""]
    assert (total.n, total.helped) == (20, 10)
    assert total.spent_per_trajectory is not None and total.spent_per_helped is not None
    assert total.spent_per_trajectory / total.spent_per_helped != pytest.approx(11 / 23)
