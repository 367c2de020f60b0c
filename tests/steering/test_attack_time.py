"""Attacks on the time question's figures and answers as ordinary users (issue 13).

- Differencing snapshots: the analyst reads the team's figure, one professional answers the
  week late (the question about a week stays open the whole week after it), the store is
  refreshed, the analyst reads again. Before the fix the two reads differed by exactly
  that one answer (mean respondents x weeks gives the count, x hours per respondent the
  sum of hours). Now a week's answers enter the chain log only together, when the week
  closes (steering.time_actions.close_time_weeks), and a week counts only once its answers
  are all in when the store was refreshed (insight.effort.COMPLETE_AFTER_DAYS), so a late
  answer never changes a figure.
- Joining the chain log to the access log (the operator holds both): the access log names
  who answered when; the chain log's `time.answered` events carry no moment or order of
  answering (all at the week's closing moment, shuffled), so neither joins them; and no
  event holds one professional's hours (one per team and week: respondents and sums).
- Nobody reads another's answers: `mine=1` has no id to change; the figures' scope is the
  caller's own municipality whatever is asked.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.db import transaction

from jeugdketen.access.models import AccessLogRecord
from jeugdketen.access.policy import Actor, Data
from jeugdketen.chainlog.actions import emit
from jeugdketen.chainlog.models import ChainEvent
from jeugdketen.chainlog.vocabulary import Activity
from jeugdketen.insight import effort, refresh
from jeugdketen.registry.models import Professional
from jeugdketen.steering import time_actions
from tests import factories as f

WEEK = date(2025, 11, 17)  # a Monday; its question is open 24..30 November 2025
OPERATOR = Actor(operator=True)


def noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


class Town:
    def __init__(self) -> None:
        self.town = f.MunicipalityFactory(code="GM9931", name="Aanvalstad")
        district = f.DistrictFactory(municipality=self.town, code="WK993101", name="Oost")
        self.hood = f.NeighbourhoodFactory(district=district, code="BU99310101", name="Kade")
        org = f.OrganisationFactory
        gemeente = org(name="Gemeente Aanvalstad", kind="municipality", municipality=self.town)
        self.team = org(name="Wijkteam Kade", kind="neighbourhood_team", municipality=self.town)
        pro = f.ProfessionalFactory
        self.analyst = pro(organisation=gemeente, roles=["municipal_analyst"])
        self.coordinator = pro(organisation=gemeente, roles=["coordinator"])
        self.members = [pro(organisation=self.team, roles=["professional"]) for _ in range(13)]
        other = f.MunicipalityFactory(code="GM9932", name="Buurstad")
        self.analyst_b = pro(organisation=org(name="Gemeente Buurstad", kind="municipality",
                                              municipality=other), roles=["municipal_analyst"])
        time_actions.set_team_areas(me(self.analyst), self.team.pk, [self.hood.pk])


def me(prof: Professional) -> Any:
    return f.professional_actor(prof)


@pytest.fixture
def town(db) -> Town:
    return Town()


def refreshed_on(day: date, monkeypatch: pytest.MonkeyPatch) -> None:
    """A refresh as if run at noon on `day` (only its `refreshed_at` stamp is dated). An
    event of another municipality first: a refresh that copies nothing publishes nothing."""
    import jeugdketen.insight.refresh as module

    with transaction.atomic():
        emit(Activity.TEAM_AREAS_SET, attributes={"municipality": "GM9932",
                                                  "neighbourhoods": []})

    class Clock(datetime):
        @classmethod
        def now(cls, tz: Any = None) -> datetime:
            return noon(day)

    monkeypatch.setattr(module, "datetime", Clock)
    refresh.refresh()
    monkeypatch.undo()


def totals(found: time_actions.Figures, group: str) -> tuple[float, float, float]:
    """What a reader works out from one group's published figure: respondents, hours on
    help and on accountability, summed over the counted weeks."""
    g = next(x for x in found.time if x.group == group)
    assert not g.suppressed
    n = g.respondents * g.weeks
    return n, g.help_hours * n, g.accountability_hours * n


def test_a_late_answer_read_before_and_after_a_refresh_gives_nobodys_hours(
        town, insight_dir, monkeypatch):
    # Twelve answer on Monday, the thirteenth on Saturday (their week's question is open).
    for prof in town.members[:12]:
        time_actions.answer_time(me(prof), help_hours=30, accountability_hours=10,
                                 at=noon(WEEK + timedelta(days=7)))
    read_on = date(2025, 12, 2)  # the window ends 30 November: WEEK is in it
    refreshed_on(WEEK + timedelta(days=10), monkeypatch)
    before = time_actions.figures(me(town.analyst), Data.TIME_ANSWER, today=read_on)
    time_actions.answer_time(me(town.members[12]), help_hours=3, accountability_hours=37,
                             at=noon(WEEK + timedelta(days=12)))
    refreshed_on(WEEK + timedelta(days=13), monkeypatch)
    after = time_actions.figures(me(town.analyst), Data.TIME_ANSWER, today=read_on)
    # While the week is open for answers it counts nowhere (none of it is in the log).
    for found in (before, after):
        assert all(g.suppressed for g in found.time)
    assert not ChainEvent.objects.filter(activity="time.answered").exists()
    time_actions.close_time_weeks(OPERATOR, at=noon(WEEK + timedelta(days=14)))
    # Once complete (refreshed 15 days after its Monday) it counts with all 13 answers, and
    # stays the same on every later refresh.
    refreshed_on(WEEK + timedelta(days=effort.COMPLETE_AFTER_DAYS), monkeypatch)
    complete = time_actions.figures(me(town.analyst), Data.TIME_ANSWER, today=read_on)
    n, helped, accounted = totals(complete, str(town.team.pk))
    assert (n, helped, accounted) == (13, pytest.approx(363), pytest.approx(157))
    refreshed_on(WEEK + timedelta(days=40), monkeypatch)
    again = time_actions.figures(me(town.analyst), Data.TIME_ANSWER, today=read_on)
    assert [g.as_dict() for g in again.time] == [g.as_dict() for g in complete.time]


def test_the_week_counts_only_when_its_answers_are_all_in(town, insight_dir, monkeypatch):
    for prof in town.members:
        time_actions.answer_time(me(prof), help_hours=30, accountability_hours=10,
                                 at=noon(WEEK + timedelta(days=7)))
    time_actions.close_time_weeks(OPERATOR, at=noon(WEEK + timedelta(days=14)))
    refreshed_on(WEEK + timedelta(days=effort.COMPLETE_AFTER_DAYS - 1), monkeypatch)
    early = time_actions.figures(me(town.analyst), Data.TIME_ANSWER, today=date(2025, 12, 2))
    assert all(g.suppressed for g in early.time)
    refreshed_on(WEEK + timedelta(days=effort.COMPLETE_AFTER_DAYS), monkeypatch)
    time_actions._CACHE.clear()
    on_time = time_actions.figures(me(town.analyst), Data.TIME_ANSWER,
                                   today=date(2025, 12, 2))
    assert totals(on_time, "")[0] == 13


def test_no_one_reads_another_professionals_hours(town, insight_dir, api_client_for,
                                                 client_for, settings):
    from tests.pages import for_pages

    for_pages(settings)
    victim, attacker = town.members[0], town.members[1]
    time_actions.answer_time(me(victim), help_hours=11, accountability_hours=29,
                             at=noon(WEEK + timedelta(days=7)))
    api = api_client_for(attacker)
    # mine=1 is the caller's own, whatever else is in the query string.
    for query in ("?mine=1", f"?mine=1&professional={victim.pk}", f"?mine=1&id={victim.pk}",
                  f"?mine=1&user={victim.user_id}"):
        got = api.get("/steering/time" + query)
        assert got.status_code == 200 and got.json() == {"answers": []}
    # The page of the own answers shows none of the victim's.
    page = client_for(attacker).get("/sturing/tijd/")
    assert page.status_code == 200 and ">29<" not in page.content.decode()
    # A professional never gets the figures; nor does another municipality's analyst get
    # this municipality's (the scope is the caller's own municipality, not a parameter).
    assert api.get("/steering/time").status_code == 403
    other = api_client_for(town.analyst_b).get("/steering/time?municipality=GM9931")
    assert other.status_code == 200 and other.json()["municipality"] == "GM9932"
    # The analyst has no `mine` (no care role); the coordinator only their own (none).
    assert api_client_for(town.analyst).get("/steering/time?mine=1").status_code == 403
    coordinator = api_client_for(town.coordinator).get("/steering/time?mine=1")
    assert coordinator.status_code == 200 and coordinator.json() == {"answers": []}
    # The chain event (once the week is closed) has no person key and its attributes no
    # person.
    time_actions.close_time_weeks(OPERATOR)
    event = ChainEvent.objects.get(activity="time.answered")
    assert (event.person_key, event.household_key, event.trajectory_key) == ("", "", "")
    assert set(event.attributes) == {"week", "respondents", "help_hours",
                                     "accountability_hours", "municipality", "neighbourhoods"}
    # The only access-log records naming the victim's answers are their own.
    naming = AccessLogRecord.objects.filter(object_id=str(victim.pk), data="time_answer",
                                            outcome="allowed")
    assert {r.action for r in naming} == {"create"}


def test_the_chain_log_and_the_access_log_do_not_join_to_a_persons_hours(town):
    """The operator's join: the k-th access-log record of an answer (by time) against the
    k-th `time.answered` (by id), or each event against the record nearest its moment.
    Before the fix each answer was emitted as it was given, so both gave every
    professional's hours. Then the week's answers were emitted at its closing, one moment
    for all, in an order of their own, but still one event per answer. Now the team's
    answers of the week are one event, their number and summed hours: there is no
    event of one professional to join a record to."""
    answers = {}
    for hours, prof in enumerate(town.members):  # 13 answers, each with its own hours
        time_actions.answer_time(me(prof), help_hours=hours, accountability_hours=1,
                                 at=noon(WEEK + timedelta(days=7)) + timedelta(minutes=hours))
        answers[prof.pk] = hours
    # Nothing to join while the week is open: no event at all.
    assert not ChainEvent.objects.filter(activity="time.answered").exists()
    time_actions.close_time_weeks(OPERATOR)
    records = sorted(AccessLogRecord.objects.filter(data="time_answer", action="create"),
                     key=lambda r: (r.at, r.pk))
    events = list(ChainEvent.objects.filter(activity="time.answered").order_by("id"))
    # By order: one event for the 13 records, holding their sum (0 + 1 + ... + 12 = 78,
    # no one's hours).
    assert len(records) == 13 and len(events) == 1
    assert (events[0].attributes["respondents"], events[0].attributes["help_hours"],
            events[0].attributes["accountability_hours"]) == (13, sum(answers.values()), 13)
    assert events[0].attributes["help_hours"] not in answers.values()
    # By moment: every event has the one closing moment, after every answer was written.
    assert len({e.at for e in events}) == 1
    assert events[0].at > max(r.at for r in records)
    # The closing's own record names the week, not a professional.
    closing = AccessLogRecord.objects.get(data="time_answer", action="update")
    assert closing.object_id == time_actions.week_label(WEEK)
