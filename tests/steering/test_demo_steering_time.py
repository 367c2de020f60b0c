"""The demo history of time and satisfaction (demo/steering_time.py): made through the
actions, deterministic for a seed, and the insight store shows it after a refresh."""

from __future__ import annotations

from django.utils import timezone

from jeugdketen.access.policy import Data
from jeugdketen.chainlog.models import ChainEvent
from jeugdketen.demo import steering_time
from jeugdketen.insight import refresh
from jeugdketen.steering import time_actions
from jeugdketen.steering.models import SurveyAnswer, SurveyClosing, TeamArea, TimeAnswer
from tests.steering.test_time_and_survey import World, me


def test_a_year_of_answers_and_two_closed_surveys(db, insight_dir):
    w = World()
    today = timezone.localdate()
    loaded = steering_time.load(seed=7, today=today, team_size=0)
    assert loaded.teams == 2 and loaded.surveys_closed == 2
    assert TeamArea.objects.filter(organisation=w.team).exists()
    care = len(w.members) + len(w.few) + 1  # and the municipality's coordinator
    assert 0.7 * 52 * care < loaded.time_answers == TimeAnswer.objects.count() <= 52 * care
    assert ChainEvent.objects.filter(activity="time.answered").count() == loaded.time_answers
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
    second = steering_time.load(seed=3)
    assert first == second
    assert answers == list(TimeAnswer.objects.order_by("professional_id", "week").values_list(
        "help_hours", "accountability_hours"))
