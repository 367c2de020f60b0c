"""The outcome indicators on a hand-made store with known answers."""

from __future__ import annotations

from typing import Any

import pytest

from jeugdketen.core.errors import Refusal
from jeugdketen.insight import derive, outcomes

from .handmade import add
from .test_kpis import LATER, A, B, C, by_group, make_store, scope, trajectory


@pytest.fixture
def con() -> Any:
    connection = make_store()
    yield connection
    connection.close()


def known(con: Any) -> None:
    trajectory(con, "r01", reason="01", satisfaction=9, t_score=55, provider=5)
    trajectory(con, "r02", reason="02", satisfaction=7, t_score=50, provider=5,
               can_continue=False)
    trajectory(con, "r03", reason="03", satisfaction=6.5, t_score=49.9, provider=7,
               can_continue=None, next_at="2026-04-01")  # repeat within the follow-up
    trajectory(con, "r04", reason="04", provider=7, can_continue=False)
    trajectory(con, "r05", reason="05", neighbourhood=B, satisfaction=3, provider=5)
    trajectory(con, "open", closed=None, provider=7)
    trajectory(con, "c", neighbourhood=C, reason="03", provider=7)


def test_indicators_by_neighbourhood(con: Any) -> None:
    known(con)
    result = outcomes.indicators(con, scope("GM0001"), threshold=1, by="neighbourhood")
    assert list(result) == ["dropout", "satisfied", "can_continue", "no_repeat",
                            "goals_attained"]
    # Every neighbourhood of the municipality, not its districts.
    assert [r.group for r in result["dropout"]] == ["", A, B, C]

    def nc(key: str) -> dict[str, tuple[int | None, int | None]]:
        return {g: (r.n, r.count) for g, r in by_group(result[key]).items()}

    assert nc("dropout") == {"": (6, 3), A: (4, 2), B: (1, 0), C: (1, 1)}
    assert nc("satisfied") == {"": (4, 2), A: (3, 2), B: (1, 0), C: (0, 0)}
    assert nc("can_continue") == {"": (5, 3), A: (3, 1), B: (1, 1), C: (1, 1)}
    assert nc("no_repeat") == {"": (6, 5), A: (4, 3), B: (1, 1), C: (1, 1)}
    assert nc("goals_attained") == {"": (3, 2), A: (3, 2), B: (0, 0), C: (0, 0)}
    assert by_group(result["satisfied"])[C].value is None  # nobody answered
    assert not any(r.provisional for rates in result.values() for r in rates)


def test_indicators_by_provider_and_provisional(con: Any) -> None:
    known(con)
    today = LATER.replace(year=2026, month=7, day=15)
    result = outcomes.indicators(con, scope("WK000101", today=today), threshold=1,
                                 by="provider")
    dropout = by_group(result["dropout"])
    # Asked for district Noord, answered over the whole municipality Stad (C's plan too):
    # a provider table is the municipality's whatever area is asked for.
    assert {g: (r.label, r.n, r.count) for g, r in dropout.items()} == {
        "": ("Stad", 6, 3), "5": ("Jeugdhulp Oost", 3, 0), "7": ("Gezinshuis West", 3, 3)}
    assert all(r.provisional for r in result["no_repeat"])
    assert not any(r.provisional for r in result["dropout"])


def test_each_indicator_suppressed_on_its_own(con: Any) -> None:
    for i in range(20):
        trajectory(con, f"a{i}", reason="03" if i < 10 else "01",
                   satisfaction=8 if i < 12 else None)
        trajectory(con, f"b{i}", neighbourhood=B, reason="03" if i < 9 else "01")
    result = outcomes.indicators(con, scope(), threshold=10, by="neighbourhood")
    dropout = by_group(result["dropout"])
    assert dropout[B].suppressed and dropout[A].suppressed  # B's 9, and A with it
    assert (dropout[""].n, dropout[""].count) == (40, 20)  # 19 dropouts, rounded
    satisfied = by_group(result["satisfied"])
    # 12 of 12, rounded to 10 of 10
    assert (satisfied[A].n, satisfied[A].count) == (10, 10) and not satisfied[B].suppressed
    assert satisfied[B].n == 0


def test_by_must_be_provider_or_neighbourhood(con: Any) -> None:
    with pytest.raises(Refusal) as refused:
        outcomes.indicators(con, scope(), threshold=10, by="area")
    assert refused.value.field == "by"


def test_indicators_from_events(con: Any) -> None:
    """From a hand-made log through insight.derive: a plan handed over and then ended by
    the client (dropout for the provider after the handover), a plan closed as planned with
    its outcome items, and one still open (not counted)."""
    add(con, "plan.started", "p1", "2026-01-05", household="h1", neighbourhood=A,
        origin="direct", coordinator_organisation_id=5)
    add(con, "plan.handed_over", "p1", "2026-02-01", household="h1", neighbourhood=A,
        to_organisation_id=7)
    add(con, "plan.closed", "p1", "2026-03-01", household="h1", neighbourhood=A,
        reason_code="03", can_continue_without_help=False, satisfaction=4,
        final_t_score=None)
    add(con, "plan.started", "p2", "2026-01-05", household="h2", neighbourhood=B,
        origin="direct", coordinator_organisation_id=5)
    add(con, "plan.closed", "p2", "2026-04-01", household="h2", neighbourhood=B,
        reason_code="01", can_continue_without_help=True, satisfaction=8,
        final_t_score=56)
    add(con, "plan.started", "p3", "2026-02-05", household="h3", neighbourhood=B,
        origin="direct", coordinator_organisation_id=7)
    derive.derive_all(con)
    result = outcomes.indicators(con, scope(), threshold=1, by="provider")
    summary = {key: {r.group: (r.n, r.count) for r in rates} for key, rates in result.items()}
    assert summary == {
        "dropout": {"": (2, 1), "7": (1, 1), "5": (1, 0)},
        "satisfied": {"": (2, 1), "7": (1, 0), "5": (1, 1)},
        "can_continue": {"": (2, 1), "7": (1, 0), "5": (1, 1)},
        "no_repeat": {"": (2, 2), "7": (1, 1), "5": (1, 1)},
        "goals_attained": {"": (1, 1), "7": (0, 0), "5": (1, 1)},
    }
