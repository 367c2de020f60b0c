"""What a figure is about: an area (a municipality, district or neighbourhood, with
everything in it) and a period of days, seen on a day (`today`: what is not yet known on
that day is open, censored or provisional)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

FOLLOW_UP_DAYS = 182  # help that helps: no new report or plan within about 6 months


@dataclass(frozen=True)
class Scope:
    area: str  # GMnnnn, WKnnnnnn or BUnnnnnnnn
    start: date  # the first day of the period
    end: date  # the day after the period's last day
    today: date
    follow_up_days: int = FOLLOW_UP_DAYS

    @property
    def level(self) -> str:
        """municipality, district or neighbourhood, from the code's prefix (CBS codes)."""
        prefix = self.area[:2].upper()
        return {"GM": "municipality", "WK": "district", "BU": "neighbourhood"}[prefix]

    @property
    def column(self) -> str:
        """The trajectories' column the area is matched on."""
        return f"{self.level}_code"
