"""The insight figures (issue 12, v1 definitions) computed by hand from the chain event
log's rows, independent of the insight app, to check the demo shows its differences.

- help that helps: of the plans closed in the period, the share whose plan.closed says
  can_continue_without_help and whose household has no new trajectory (care report or
  plan) starting within 182 days after the close;
- time to help: days from first contact (care_report.received, or plan.started) to the
  start of help (plan.started, or care_report.help_started after a referral);
- dropout: plans closed with CBS reason 03 or 04;
- a plan's provider is its coordinator's organisation (after the last handover), its
  neighbourhood the latest its events carry.
"""

from __future__ import annotations

import json
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

FOLLOW_UP = timedelta(days=182)
Row = tuple[datetime, str, str, str, str, Any]  # at, activity, key, household, hood, attributes


@dataclass
class Trajectory:
    key: str
    household: str = ""
    neighbourhood: str = ""
    first_contact: datetime | None = None
    help_started: datetime | None = None
    provider: int | None = None
    closed: datetime | None = None
    close: dict[str, Any] = field(default_factory=dict)


def trajectories(rows: Iterable[Row]) -> dict[str, Trajectory]:
    """One per trajectory key that has a care_report.received or plan.started."""
    out: dict[str, Trajectory] = {}
    for at, activity, key, household, hood, attributes in sorted(rows, key=lambda r: r[0]):
        if not key:
            continue
        attrs = json.loads(attributes) if isinstance(attributes, str) else attributes
        t = out.get(key)
        if t is None:
            if activity not in ("care_report.received", "plan.started"):
                continue
            t = out[key] = Trajectory(key, first_contact=at)
        t.household = household or t.household
        t.neighbourhood = hood or t.neighbourhood
        if activity == "plan.started":
            t.help_started = t.help_started or at
            t.provider = attrs.get("coordinator_organisation_id")
        elif activity == "care_report.help_started":
            t.help_started = t.help_started or at
        elif activity == "plan.handed_over":
            t.provider = attrs.get("to_organisation_id")
        elif activity == "plan.closed":
            t.closed, t.close = at, attrs
    return out


def _starts(ts: dict[str, Trajectory]) -> dict[str, list[datetime]]:
    starts: dict[str, list[datetime]] = defaultdict(list)
    for t in ts.values():
        if t.household and t.first_contact is not None:
            starts[t.household].append(t.first_contact)
    return starts


def _within(moment: datetime | None, since: datetime, until: datetime | None) -> bool:
    """After `since` and (when given) before `until`."""
    return moment is not None and moment > since and (until is None or moment < until)


def helped(ts: dict[str, Trajectory], since: datetime, until: datetime | None = None
           ) -> dict[str, list[bool]]:
    """Per neighbourhood, for each plan closed since `since` (and before `until`): did the
    help help?"""
    starts = _starts(ts)
    out: dict[str, list[bool]] = defaultdict(list)
    for t in ts.values():
        if t.closed is None or not _within(t.closed, since, until) or t.help_started is None:
            continue
        closed = t.closed
        again = any(closed < s <= closed + FOLLOW_UP for s in starts.get(t.household, []))
        out[t.neighbourhood].append(bool(t.close.get("can_continue_without_help")) and not again)
    return out


def repeats(ts: dict[str, Trajectory]) -> int:
    """Closed plans whose household had a new trajectory within 182 days of the close."""
    starts = _starts(ts)
    return sum(1 for t in ts.values() if t.closed is not None and any(
        t.closed < s <= t.closed + FOLLOW_UP for s in starts.get(t.household, [])))


def dropout(ts: dict[str, Trajectory], since: datetime, until: datetime | None = None
            ) -> dict[int | None, list[bool]]:
    """Per provider, for each plan closed since `since` (and before `until`): ended early
    one-sidedly?"""
    out: dict[int | None, list[bool]] = defaultdict(list)
    for t in ts.values():
        if _within(t.closed, since, until):
            out[t.provider].append(t.close.get("reason_code") in ("03", "04"))
    return out


def days_to_help(ts: dict[str, Trajectory], since: datetime, until: datetime | None = None
                 ) -> dict[str, list[float]]:
    """Per neighbourhood, days from first contact to help for help started since `since`
    (and before `until`)."""
    out: dict[str, list[float]] = defaultdict(list)
    for t in ts.values():
        if t.help_started is not None and _within(t.help_started, since, until) and t.first_contact:
            out[t.neighbourhood].append((t.help_started - t.first_contact).total_seconds() / 86400)
    return out


def median(values: list[float]) -> float:
    return float(statistics.median(values))


def share(values: list[bool]) -> float:
    return sum(values) / len(values)
