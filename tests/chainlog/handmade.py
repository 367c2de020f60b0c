"""A hand-made chain event log for the export tests: two trajectories, a household, two
organisations (one with characters XML must escape) and an event without a trajectory."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from jeugdketen.chainlog.models import ChainEvent
from tests import factories as f

PERSON_KEY = "p-9f3c-pseudonym"  # on the events, never in an XES or OCEL export


@dataclass
class Log:
    team: Any  # organisation that triaged and started t1
    provider: Any  # organisation of t2
    ids: dict[str, int]


def at(day: str, hour: int = 12, minute: int = 0) -> datetime:
    return datetime.fromisoformat(f"{day}T{hour:02d}:{minute:02d}:00").replace(tzinfo=UTC)


def event(activity: str, key: str, when: datetime, *, organisation: Any = None,
          household: str = "", person: str = "", neighbourhood: str = "BU09990101",
          **attributes: Any) -> int:
    row = ChainEvent.objects.create(
        at=when, activity=activity, trajectory_key=key, person_key=person,
        household_key=household, organisation_id=organisation.pk if organisation else None,
        neighbourhood_code=neighbourhood, attributes=attributes)
    return int(row.pk)


def make_log() -> Log:
    team = f.OrganisationFactory(name='Wijkteam "Noord" & <Zuid>', kind="neighbourhood_team")
    provider = f.OrganisationFactory(name="Jeugdhulp Oost", kind="youth_care_provider")
    ids: dict[str, int] = {}
    ids["t1.triaged"] = event("care_report.triaged", "t1", at("2026-01-06", 10), organisation=team,
                              decision="joint_intake", working_days=1)
    # Same moment as the triage, a later id: after it in the trace.
    ids["t1.intake_planned"] = event("intake.planned", "t1", at("2026-01-06", 10),
                                     organisation=team, organisations=2, joint=True)
    ids["t2.started"] = event("plan.started", "t2", at("2026-01-04", 9), organisation=provider,
                              household="h7", origin="direct", household_size=3,
                              started_by="coordinator",
                              coordinator_organisation_id=provider.pk)
    ids["t1.started"] = event("plan.started", "t1", at("2026-01-10", 15, 30), organisation=team,
                              household="h7", origin="care_report", household_size=3,
                              started_by="front_door", coordinator_organisation_id=team.pk)
    ids["t2.closed"] = event("plan.closed", "t2", at("2026-03-01", 11), organisation=provider,
                             household="h7", reason_code="01", can_continue_without_help=True,
                             satisfaction=8, final_t_score=52.5, costs_spent_eur="100.00",
                             budget_eur="250.00", days_open=56, origin="direct")
    ids["person"] = event("person.registered", "", at("2026-01-02"), organisation=team,
                          person=PERSON_KEY)
    # Received first, recorded last (history loaded afterwards): first in its trace by time.
    ids["t1.received"] = event("care_report.received", "t1", at("2026-01-05", 8, 15),
                               person=PERSON_KEY, reporter="public", urgency="crisis",
                               unsafe=False, life_domains=2, comment=None)
    return Log(team=team, provider=provider, ids=ids)
