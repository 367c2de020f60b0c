"""Working days (core/workdays.py): Monday to Friday, shared by the reference index and the
front door."""

from __future__ import annotations

from datetime import date

import pytest

from jeugdketen.core.workdays import add_working_days, working_days_between
from jeugdketen.referral_index import actions as referral_actions

FRIDAY = date(2026, 11, 27)
MONDAY = date(2026, 11, 30)


@pytest.mark.parametrize(("start", "days", "expected"), [
    (MONDAY, 0, MONDAY),
    (MONDAY, 1, date(2026, 12, 1)),
    (MONDAY, 5, date(2026, 12, 7)),
    (FRIDAY, 1, MONDAY),
    (date(2026, 11, 28), 1, MONDAY),  # a Saturday
    (FRIDAY, 10, date(2026, 12, 11)),
])
def test_add_working_days_skips_weekends(start, days, expected):
    assert add_working_days(start, days) == expected


@pytest.mark.parametrize(("start", "end", "expected"), [
    (MONDAY, MONDAY, 0),
    (FRIDAY, MONDAY, 1),
    (FRIDAY, date(2026, 11, 29), 0),  # only the weekend after Friday
    (MONDAY, date(2026, 12, 7), 5),
])
def test_working_days_between_counts_weekdays_after_the_start(start, end, expected):
    assert working_days_between(start, end) == expected


def test_the_two_agree():
    for days in range(0, 25):
        assert working_days_between(FRIDAY, add_working_days(FRIDAY, days)) == days


def test_the_reference_index_uses_the_same_functions():
    assert referral_actions.add_working_days is add_working_days
    assert referral_actions.working_days_between is working_days_between
