"""Working days (Monday to Friday): pure date arithmetic for norms and deadlines.

The reference index' coordinator deadline and the front door's norms both count in
working days; both apps import them from here (they sit side by side and may not import
each other). Public holidays are not counted out: the norms say working days, the
platform counts weekdays.
"""

from __future__ import annotations

from datetime import date, timedelta


def working_days_between(start: date, end: date) -> int:
    """Working days (Monday to Friday) after `start` up to and including `end`."""
    return sum(1 for d in range(1, (end - start).days + 1)
               if (start + timedelta(days=d)).weekday() < 5)


def add_working_days(start: date, days: int) -> date:
    """The day `days` working days after `start` (`start` itself for 0)."""
    day = start
    while days > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day
