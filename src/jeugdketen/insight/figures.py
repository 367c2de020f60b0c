"""The shapes every figure is answered in: a rate with its n and 95% interval, a spread of
durations, a count. `suppressed` means the figure is not shown (its value, n and interval
are None): a count below the publication threshold, or one that would let a suppressed
cell be recomputed from the totals (secondary suppression). `rounded_to`: the counts shown
(n, count) are rounded to a multiple of it (suppression.step) and the value and interval are
computed from those rounded counts (docs/insight.md, "Rounded period counts")."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Rate:
    key: str  # what is measured, e.g. "help_that_helps" (docs/insight.md)
    group: str  # the area code or provider id it is for; "" for the whole scope
    label: str  # the group's name
    n: int | None  # the denominator
    count: int | None  # the numerator
    value: float | None  # count / n, 0..1
    low: float | None  # 95% interval (Wilson)
    high: float | None
    suppressed: bool = False
    provisional: bool = False  # the follow-up period has not ended for all of them
    rounded_to: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Spread:
    key: str  # e.g. "time_to_help_days"
    group: str
    label: str
    n: int | None
    p50: float | None
    p90: float | None
    share_within: float | None = None  # e.g. the share within 28 days, when asked
    suppressed: bool = False
    provisional: bool = False
    rounded_to: int | None = None  # n (and the share's counts) rounded to a multiple of it

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Count:
    key: str
    group: str
    label: str
    value: int | None
    suppressed: bool = False

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)
