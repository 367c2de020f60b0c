"""The measured effect of an improvement action (steering.board.measure) by hand: the
KPI's mean over the periods from the start to the due date against as many periods before
the start, hidden periods left out of the mean and of n; "too_early" until the due date's
week (month) is complete."""

from __future__ import annotations

from datetime import date

import pytest

from jeugdketen.steering import board
from tests.insight import handmade
from tests.steering import board_world as w


@pytest.fixture
def con():
    from jeugdketen.insight import derive

    c = handmade.store()
    w.fill(c)
    for monday, count, prefix in ((date(2026, 10, 5), 10, "d"), (date(2026, 10, 12), 12, "e"),
                                  (date(2026, 10, 19), 20, "g")):
        w.reports(c, monday, count, prefix)
    derive.derive_all(c)
    yield c
    c.close()


def test_weekly_effect_by_hand(settings, con):
    found = board.measure(con, w.GM, "new_reports", date(2026, 10, 7), date(2026, 10, 25),
                          date(2026, 10, 26), 10, 182, expected="up")
    assert found["before"] == {"from": "2026-W38", "to": "2026-W40", "mean": 7.5, "n": 2}
    assert found["after"] == {"from": "2026-W41", "to": "2026-W43", "mean": 14, "n": 3}
    assert found["change"] == 6.5 and found["as_expected"] is True


def test_too_early_until_the_due_week_is_complete(settings, con):
    found = board.measure(con, w.GM, "new_reports", date(2026, 10, 5), date(2026, 10, 25),
                          date(2026, 10, 25), 10, 182)
    assert found == {"kpi": "new_reports", "status": "too_early"}


def test_monthly_effect_by_hand(settings, con):
    # Help that helps per month: June 12/25, July 15/30, August 1/4. Start July, due
    # August: two months after, two before (May: none closed; June). Over these four
    # months August is hidden (4 < 10) and June with it (the smallest other: the four
    # months' total would give August away), so nothing is left before the start.
    found = board.measure(con, w.GM, "help_that_helps", date(2026, 7, 1), date(2026, 8, 20),
                          date(2026, 9, 1), 10, 182, expected="up")
    assert found["period"] == "month"
    assert found["before"]["from"] == "2026-05" and found["after"]["to"] == "2026-08"
    assert found["before"] == {"from": "2026-05", "to": "2026-06", "mean": None, "n": 0}
    assert found["after"] == {"from": "2026-07", "to": "2026-08", "mean": 0.5, "n": 1}
    assert found["change"] is None and found["as_expected"] is None
    assert board.measure(con, w.GM, "help_that_helps", date(2026, 7, 1), date(2026, 8, 20),
                         date(2026, 8, 31), 10, 182)["status"] == "too_early"
