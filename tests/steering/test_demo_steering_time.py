"""The demo history of time and satisfaction (demo/steering_time.py): made through the
actions, each week closed when its question closes, deterministic for a seed, and the
insight store shows it after a refresh: the same figures as the answers emitted one by one
as they were given (before weeks were closed, and before a week's answers were summed per
team) would give."""

from __future__ import annotations

from datetime import UTC, date, timedelta

from django.utils import timezone

from jeugdketen.access.policy import Data
from jeugdketen.chainlog.models import ChainEvent
from jeugdketen.demo import steering_time
from jeugdketen.insight import kpis, refresh, store
from jeugdketen.insight.scope import Scope
from jeugdketen.steering import time_actions
from jeugdketen.steering.models import (
    SurveyAnswer,
    SurveyClosing,
    TeamArea,
    TimeAnswer,
    TimeWeekClosing,
)
from tests import factories as f
from tests.insight import handmade
from tests.steering.test_time_and_survey import World, me


def test_a_year_of_answers_and_two_closed_surveys(db, insight_dir):
    w = World()
    today = timezone.localdate()
    loaded = steering_time.load(seed=7, today=today, team_size=0)
    assert loaded.teams == 2 and loaded.surveys_closed == 2
    assert TeamArea.objects.filter(organisation=w.team).exists()
    care = len(w.members) + len(w.few) + 1  # and the municipality's coordinator
    assert 0.7 * 52 * care < loaded.time_answers == TimeAnswer.objects.count() <= 52 * care
    # One event per team and week, its respondents the team's answers of the week.
    team_weeks = TimeAnswer.objects.values("organisation_id", "week").distinct().count()
    assert ChainEvent.objects.filter(activity="time.answered").count() == team_weeks
    assert sum(ChainEvent.objects.filter(activity="time.answered").values_list(
        "attributes__respondents", flat=True)) == loaded.time_answers
    # Every week closed at the moment its question closed, its answers all at that moment.
    closings = {c.week: c for c in TimeWeekClosing.objects.all()}
    assert loaded.weeks_closed == len(closings) == 52
    assert sum(c.answers for c in closings.values()) == loaded.time_answers
    moments: dict[str, set] = {}
    for week, at in ChainEvent.objects.filter(activity="time.answered").values_list(
            "attributes__week", "at"):
        moments.setdefault(week, set()).add(at)
    assert moments == {w.isoformat(): {c.closed_at} for w, c in closings.items()}
    assert all(c.closed_at == steering_time._closes(w) for w, c in closings.items())
    assert SurveyAnswer.objects.count() == loaded.survey_answers
    assert set(SurveyClosing.objects.values_list("year", flat=True)) == {
        today.year - 2, today.year - 1}
    # The week just ended is left for the demo login to answer.
    assert time_actions.time_question_week(me(w.members[0]), today) is not None
    refresh.refresh()
    found = time_actions.figures(me(w.analyst), Data.TIME_ANSWER, by="team")
    total = next(g for g in found.time if g.group == "")
    # Weeks with too few answers of a small world are hidden; the rest show.
    assert not total.suppressed and 0.4 < total.value < 0.95 and total.weeks >= 1
    years = {s.year for s in time_actions.figures(me(w.analyst), Data.SURVEY).survey}
    assert years == {today.year - 2, today.year - 1}


def test_the_demo_is_the_same_for_a_seed(db):
    w = World()
    first = steering_time.load(seed=3)
    # The teams topped up to 14 care professionals (through the registry's action).
    assert sum(1 for p in w.small.professionals.all() if time_actions.asks(p)) == 14
    answers = list(TimeAnswer.objects.order_by("professional_id", "week").values_list(
        "help_hours", "accountability_hours"))
    TimeAnswer.objects.all().delete()
    SurveyAnswer.objects.all().delete()
    from jeugdketen.steering.models import SurveyResponse

    SurveyResponse.objects.all().delete()
    SurveyClosing.objects.all().delete()
    TimeWeekClosing.objects.all().delete()
    second = steering_time.load(seed=3)
    assert first == second
    assert answers == list(TimeAnswer.objects.order_by("professional_id", "week").values_list(
        "help_hours", "accountability_hours"))


def test_closing_the_weeks_leaves_the_figures_as_they_were(db, insight_dir):
    """The closing changes when and in which order the answers enter the log, and sums a
    team's answers of a week into one event, nothing a figure reads: the demo's store
    gives the same time on help per area, neighbourhood and team as a store of the same
    answers emitted one by one as they were given (a log from before: one event per
    answer, no `respondents`)."""
    World()
    today = timezone.localdate()
    steering_time.load(seed=5, today=today, team_size=0)
    refresh.refresh()
    con = store.reader()
    given = handmade.store()
    for table in ("areas", "organisations", "meta"):
        rows = con.execute(f"SELECT * FROM {table}").fetchall()
        if rows:
            marks = ", ".join("?" * len(rows[0]))
            given.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)
    hoods = {o: time_actions.team_neighbourhoods(o) for o in
             TimeAnswer.objects.values_list("organisation_id", flat=True).distinct()}
    for a in TimeAnswer.objects.select_related("organisation").order_by("answered_at", "pk"):
        handmade.add(given, "time.answered", "", a.answered_at.astimezone(UTC).replace(
            tzinfo=None), organisation_id=a.organisation_id, neighbourhood="",
            week=a.week.isoformat(), help_hours=a.help_hours,
            accountability_hours=a.accountability_hours,
            municipality=a.organisation.municipality_id, neighbourhoods=hoods[a.organisation_id])
    scope = Scope("GM9921", today - timedelta(days=371), today + timedelta(days=1), today)
    shown = 0
    for threshold in (5, 10):
        for by in ("area", "neighbourhood", "team"):
            closed = kpis.time_on_help(con, scope, threshold=threshold, by=by)
            assert closed == kpis.time_on_help(given, scope, threshold=threshold, by=by)
            shown += sum(1 for g in closed if not g.suppressed)
    assert shown >= 4  # (the team of twelve and its area: a comparison of something)
    # The closing's events are all there (one per team and week, every answer counted in
    # one), and nothing else of the time question's.
    assert con.execute("SELECT count(*), sum(CAST(attributes->>'respondents' AS INTEGER)) "
                       "FROM events WHERE activity = 'time.answered'").fetchone() == (
        TimeAnswer.objects.values("organisation_id", "week").distinct().count(),
        TimeAnswer.objects.count())
    assert date.fromisoformat(str(con.execute(
        "SELECT max(CAST(attributes->>'week' AS DATE)) FROM events "
        "WHERE activity = 'time.week_closed'").fetchone()[0])) == (
            time_actions.last_closable_week(today))


def test_a_new_municipality_after_a_load_takes_no_answers_for_closed_weeks(db):
    """A second load for a municipality added later: the weeks are closed (for everyone),
    so its history has no time answers; nothing fails and nothing is emitted twice."""
    World()
    first = steering_time.load(seed=11, team_size=0)
    events = ChainEvent.objects.filter(activity="time.answered").count()
    town = f.MunicipalityFactory(code="GM9923", name="Later")
    gemeente = f.OrganisationFactory(name="Gemeente Later", kind="municipality",
                                     municipality=town)
    f.ProfessionalFactory(organisation=gemeente, roles=["municipal_analyst"])
    f.ProfessionalFactory(organisation=gemeente, roles=["coordinator"])
    second = steering_time.load(seed=11, team_size=0)
    assert (second.time_answers, second.weeks_closed, second.surveys_closed) == (0, 0, 2)
    assert ChainEvent.objects.filter(activity="time.answered").count() == events
    assert first.weeks_closed == 52
