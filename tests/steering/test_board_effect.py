"""The measured effect of an improvement action (steering.board.measure) by hand: a weekly
KPI's mean over the weeks from the start to the due date against as many weeks before the
start, hidden weeks left out of the mean and of n; a monthly KPI's twelve-month figure
(as insight publishes it) before the start against the one of the due date's month;
"too_early" until the due date's week (month) is complete."""

from __future__ import annotations

from datetime import date

import pytest

from jeugdketen.insight.suppression import rounded
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
    # New reports per week, rounded to the threshold: W38 3 (hidden), W39 15 -> 20,
    # W40 0; W41 10, W42 12 -> 10, W43 20.
    found = board.measure(con, w.GM, "new_reports", date(2026, 10, 7), date(2026, 10, 25),
                          date(2026, 10, 26), 10, 182, expected="up")
    assert found["before"] == {"from": "2026-W38", "to": "2026-W40", "mean": 10, "n": 2}
    assert found["after"] == {"from": "2026-W41", "to": "2026-W43",
                              "mean": pytest.approx(40 / 3), "n": 3}
    assert found["change"] == pytest.approx(10 / 3) and found["as_expected"] is True


def test_too_early_until_the_due_week_is_complete(settings, con):
    found = board.measure(con, w.GM, "new_reports", date(2026, 10, 5), date(2026, 10, 25),
                          date(2026, 10, 25), 10, 182)
    assert found == {"kpi": "new_reports", "status": "too_early"}


def test_monthly_effect_by_hand(settings, con):
    # Help that helps over twelve months: up to June 12 of 25, up to July 27 of 55, up to
    # August 28 of 59. Start in July, due in August: the twelve months up to June against
    # the twelve up to August, both seen at the end of August (today 1 September).
    # Insight publishes n and count rounded to a multiple of the threshold (half up,
    # insight.suppression.rounded), the value from the rounded counts: June 10 of 30,
    # August 30 of 60. The rounded figures go up (the exact ones went down a little).
    assert [rounded(x, 10) for x in (12, 25, 28, 59)] == [10, 30, 30, 60]
    found = board.measure(con, w.GM, "help_that_helps", date(2026, 7, 1), date(2026, 8, 20),
                          date(2026, 9, 1), 10, 182, expected="up")
    assert found["status"] == "measured" and found["period"] == "month"
    assert found["before"] == {"from": "2025-07", "to": "2026-06",
                               "mean": pytest.approx(10 / 30), "n": 30}
    assert found["after"] == {"from": "2025-09", "to": "2026-08",
                              "mean": pytest.approx(30 / 60), "n": 60}
    assert found["change"] == pytest.approx(30 / 60 - 10 / 30)
    assert found["as_expected"] is True
    assert set(found) == {"kpi", "status", "period", "before", "after", "change",
                          "as_expected"}
    # Expecting it to go down, the same change is not as expected.
    down = board.measure(con, w.GM, "help_that_helps", date(2026, 7, 1), date(2026, 8, 20),
                         date(2026, 9, 1), 10, 182, expected="down")
    assert down["change"] == pytest.approx(30 / 60 - 10 / 30) and down["as_expected"] is False
    assert board.measure(con, w.GM, "help_that_helps", date(2026, 7, 1), date(2026, 8, 20),
                         date(2026, 8, 31), 10, 182)["status"] == "too_early"


def test_monthly_effect_hidden_stays_hidden(settings, con):
    # Before the start: the twelve months up to December 2025 (offered, no plan closed:
    # n 0) and up to September 2025 (not offered by insight: no n at all).
    found = board.measure(con, w.GM, "time_to_help", date(2026, 1, 10), date(2026, 7, 2),
                          date(2026, 9, 1), 10, 182)
    assert found["before"] == {"from": "2025-01", "to": "2025-12", "mean": None, "n": 0}
    # Up to July 27 helped, published rounded to the threshold: rounded(27, 10) == 30.
    assert found["after"] == {"from": "2025-08", "to": "2026-07", "mean": 7,
                              "n": rounded(27, 10)} and rounded(27, 10) == 30
    assert found["change"] is None and found["as_expected"] is None
    early = board.measure(con, w.GM, "help_that_helps", date(2025, 10, 15),
                          date(2026, 6, 30), date(2026, 9, 1), 10, 182)
    assert early["before"] == {"from": "2024-10", "to": "2025-09", "mean": None, "n": None}
    # A threshold above the after period's count hides it, n and all.
    hidden = board.measure(con, w.GM, "help_that_helps", date(2026, 7, 1), date(2026, 7, 2),
                           date(2026, 9, 1), 30, 182)
    assert hidden["after"]["mean"] is None and hidden["after"]["n"] is None


def test_the_effect_in_words_names_twelve_month_figures_for_a_monthly_kpi(settings, con):
    from django.utils import translation

    from jeugdketen.steering.board_views import effect_text

    found = board.measure(con, w.GM, "help_that_helps", date(2026, 7, 1), date(2026, 8, 20),
                          date(2026, 9, 1), 10, 182, expected="up")
    down = board.measure(con, w.GM, "help_that_helps", date(2026, 7, 1), date(2026, 8, 20),
                         date(2026, 9, 1), 10, 182, expected="down")
    hidden = board.measure(con, w.GM, "help_that_helps", date(2026, 7, 1), date(2026, 7, 2),
                           date(2026, 9, 1), 30, 182)
    weekly = board.measure(con, w.GM, "new_reports", date(2026, 10, 7), date(2026, 10, 25),
                           date(2026, 10, 26), 10, 182, expected="up")
    with translation.override("nl"):
        # Insight's rounded twelve-month figures (test_monthly_effect_by_hand): up to June
        # 10 of 30 (33%), up to August 30 of 60 (50%): up.
        text = effect_text(found, "share")
        assert text == ("twaalfmaandcijfer 33% tot en met 2026-06 (n = 30) en 50% tot en "
                        "met 2026-08 (n = 60); de verwachte kant op")
        assert "niet de verwachte kant op" in effect_text(down, "share")
        assert effect_text(hidden, "share") == (
            "niet te meten: het twaalfmaandcijfer is verborgen (te weinig plannen)")
        assert "None" not in effect_text(hidden, "share")
        assert effect_text(weekly, "count").startswith("gemiddeld ")
