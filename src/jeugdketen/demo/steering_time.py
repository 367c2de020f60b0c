"""Demo history of time and satisfaction (issue 13): the neighbourhoods each neighbourhood
team works in, a year of weekly time answers and two yearly job-satisfaction surveys (the
two years before this one, each closed on 1 December), all through steering.time_actions.
A week's answers are given on the Monday after it, and the week is closed (its answers
enter the chain log, shuffled, at one moment) when its question closes, the Monday after
that at midnight, as `jeugdketen steering ask-time` would on that day.
Synthetic and deterministic for a seed: every professional with a care role answers most
weeks; a team's share of time on help has its own level and creeps up over the year; the
survey's scores are a little better in the second year. The week just ended is left
unanswered, so a demo login finds the question on the start page. The demo's teams are
small (about five professionals), below any publication threshold, so each neighbourhood
team is first topped up to `team_size` professionals (registry.actions.create_professional,
no password): then the figures per team and neighbourhood show.

Not hooked into `jeugdketen demo` (the lead does that): call
`jeugdketen.demo.steering_time.load()` after the registry's demo is built.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from jeugdketen.access.policy import AccessPoint, Actor
from jeugdketen.access.selectors import system_actor
from jeugdketen.registry import actions as registry_actions
from jeugdketen.registry.models import Municipality, Neighbourhood, Organisation, Professional
from jeugdketen.steering import survey, time_actions
from jeugdketen.steering.models import SurveyClosing

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
WEEKS = 52
ANSWER_RATE = 0.85  # the share of weeks a professional answers
SURVEY_RATE = 0.8  # the share of professionals who fill in a year's survey


@dataclass(frozen=True)
class Loaded:
    teams: int  # teams given neighbourhoods
    time_answers: int
    survey_answers: int
    surveys_closed: int
    weeks_closed: int = 0


def _actor(prof: Professional) -> Actor:
    return Actor(user=prof.user, professional=prof,
                 access_point=AccessPoint(channel="command", user_agent="jeugdketen demo"))


def _areas(municipality: Municipality, analyst: Professional) -> int:
    """Each neighbourhood team gets the neighbourhoods of the district named in its name,
    else (no such district) its share of the municipality's neighbourhoods in turn."""
    teams = list(Organisation.objects.filter(municipality=municipality,
                                             kind="neighbourhood_team").order_by("pk"))
    hoods = list(Neighbourhood.objects.filter(district__municipality=municipality)
                 .select_related("district").order_by("code"))
    if not teams or not hoods:
        return 0
    for i, team in enumerate(teams):
        named = [h.code for h in hoods if h.district.name and h.district.name in team.name]
        codes = named or [h.code for j, h in enumerate(hoods) if j % len(teams) == i]
        time_actions.set_team_areas(_actor(analyst), team.pk, codes)
    return len(teams)


def _top_up(municipality: Municipality, team_size: int) -> int:
    """Each neighbourhood team of the municipality to `team_size` care professionals."""
    made = 0
    system = system_actor("jeugdketen demo")
    for team in Organisation.objects.filter(municipality=municipality, active=True,
                                            kind="neighbourhood_team").order_by("pk"):
        have = [p for p in Professional.objects.filter(organisation=team)
                if time_actions.asks(p)]
        for i in range(len(have), team_size):
            username = f"demo.team{team.pk}.{i}"
            if Professional.objects.filter(user__username=username).exists():
                continue
            registry_actions.create_professional(
                system, organisation_id=team.pk, username=username,
                full_name=f"{team.name} {i + 1}", email=f"{username}@voorbeeldstad.example",
                roles=["professional"], password=None)
            made += 1
    return made


def _at(day: date, minutes: int) -> datetime:
    return datetime.combine(day, time(9, 0), AMSTERDAM) + timedelta(minutes=minutes)


def _closes(week: date) -> datetime:
    """The moment a week's question closes: midnight at the end of the week after it."""
    return datetime.combine(week + timedelta(days=14), time(0, 0), AMSTERDAM)


Planned = tuple[Professional, int, int, datetime]  # who, hours on help, on accountability, when


def load(*, seed: int = 2026, today: date | None = None, team_size: int = 14) -> Loaded:
    """Build the history for every municipality with a municipal analyst (the one who sets
    the teams' neighbourhoods and closes the surveys); `team_size` 0 adds nobody."""
    today = today or timezone.localdate()
    rng = random.Random(seed)
    teams = answers = surveyed = closed = 0
    # Every municipality's answers, per week: given week by week after the loop, each week
    # closed before the next week's are given (the weeks close for all municipalities).
    planned: dict[date, list[Planned]] = {}
    for municipality in Municipality.objects.order_by("code"):
        analyst = _analyst(municipality)
        if analyst is None:
            continue
        if SurveyClosing.objects.filter(municipality=municipality,
                                        year=today.year - 1).exists():
            continue  # loaded before (its last step): a rerun adds nothing
        teams += _areas(municipality, analyst)
        if team_size:
            _top_up(municipality, team_size)
        staff = [p for p in Professional.objects.filter(
            organisation__municipality=municipality, organisation__active=True,
            user__is_active=True).select_related("organisation", "user").order_by("pk")
            if time_actions.asks(p)]
        if not staff:
            continue
        level = {org: 0.5 + 0.25 * rng.random() for org in {p.organisation_id for p in staff}}
        first = time_actions.open_week(today) - timedelta(weeks=WEEKS)
        for week in range(WEEKS):
            monday = first + timedelta(weeks=week)
            answer_day = monday + timedelta(days=7)  # the Monday after: the week just ended
            for n, prof in enumerate(staff):
                if rng.random() > ANSWER_RATE:
                    continue
                hours = rng.randint(16, 36)
                share = min(0.95, level[prof.organisation_id] + 0.1 * week / WEEKS
                            + rng.uniform(-0.1, 0.1))
                helped = round(hours * share)
                planned.setdefault(monday, []).append(
                    (prof, helped, hours - helped, _at(answer_day, n)))
        for offset, year in enumerate((today.year - 2, today.year - 1)):
            for prof in staff:
                if rng.random() > SURVEY_RATE:
                    continue
                base = level[prof.organisation_id] * 5 + 0.3 * offset
                scores = {item.key: max(1, min(5, round(base + rng.uniform(-1.2, 1.2))))
                          for item in survey.ITEMS}
                overall = max(0, min(10, round(base * 2 + 0.5 + rng.uniform(-1.5, 1.5))))
                time_actions.answer_survey(_actor(prof), scores=scores, overall=overall,
                                           today=date(year, 11, 1))
                surveyed += 1
            time_actions.close_survey(_actor(analyst), year,
                                      at=_at(date(year, 12, 1), 60))
            closed += 1
    system = system_actor("jeugdketen demo")
    weeks_closed = 0
    for monday in sorted(planned):
        if time_actions.week_is_closed(monday):
            continue  # closed in an earlier load (of other municipalities): no answers now
        for prof, helped, accounted, at in planned[monday]:
            time_actions.answer_time(_actor(prof), help_hours=helped,
                                     accountability_hours=accounted, at=at)
            answers += 1
        weeks_closed += len(time_actions.close_time_weeks(system, at=_closes(monday)))
    return Loaded(teams, answers, surveyed, closed, weeks_closed)


def _analyst(municipality: Municipality) -> Professional | None:
    for prof in Professional.objects.filter(
            organisation__municipality=municipality,
            organisation__kind="municipality").order_by("pk"):
        if "municipal_analyst" in prof.roles:
            return prof
    return None
