"""Attacks on the job-satisfaction survey's anonymity as ordinary users (issue 13).

- The analyst watches the count of answers so far (the closing page shows it) and moves a
  team to another neighbourhood right after the twelfth answer: the thirteenth is then the
  only answer with that neighbourhood. Neither the neighbourhood nor the team minus the
  first neighbourhood may give it away (the atoms are in the suppression's equations).
- Before closing nothing of an answer is anywhere: the state is a count, the figures
  nothing, the chain log nothing; after closing the answers are in the log without an
  actor, all at one moment, in an order that is not the order of answering.
- Writes by roles that may not: closing by a coordinator, a professional, another
  municipality's analyst; answering after closing or twice.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from jeugdketen.access.audit import AccessDenied
from jeugdketen.access.models import AccessLogRecord
from jeugdketen.access.policy import Data
from jeugdketen.chainlog.models import ChainEvent
from jeugdketen.core.errors import Refusal
from jeugdketen.insight import refresh
from jeugdketen.registry.models import Professional
from jeugdketen.steering import survey, time_actions
from jeugdketen.steering.models import SurveyAnswer, SurveyResponse
from tests import factories as f


def me(prof: Professional) -> Any:
    return f.professional_actor(prof)


def scores(value: int) -> dict[str, int]:
    return {i.key: value for i in survey.ITEMS}


class Town:
    def __init__(self) -> None:
        self.town = f.MunicipalityFactory(code="GM9941", name="Enquêtestad")
        district = f.DistrictFactory(municipality=self.town, code="WK994101", name="West")
        self.a = f.NeighbourhoodFactory(district=district, code="BU99410101", name="Akker")
        self.b = f.NeighbourhoodFactory(district=district, code="BU99410102", name="Beemd")
        org = f.OrganisationFactory
        gemeente = org(name="Gemeente Enquêtestad", kind="municipality", municipality=self.town)
        self.team = org(name="Wijkteam West", kind="neighbourhood_team", municipality=self.town)
        pro = f.ProfessionalFactory
        self.analyst = pro(organisation=gemeente, roles=["municipal_analyst"])
        self.coordinator = pro(organisation=gemeente, roles=["coordinator"])
        self.members = [pro(organisation=self.team, roles=["professional"]) for _ in range(13)]
        other = f.MunicipalityFactory(code="GM9942", name="Anderstad")
        self.analyst_b = pro(organisation=org(name="Gemeente Anderstad", kind="municipality",
                                              municipality=other), roles=["municipal_analyst"])
        time_actions.set_team_areas(me(self.analyst), self.team.pk, [self.a.pk])


@pytest.fixture
def town(db) -> Town:
    return Town()


def shown(found: list[Any]) -> dict[str, Any]:
    return {g.group: g for g in found if not g.suppressed}


def test_moving_the_team_after_the_twelfth_answer_does_not_single_out_the_thirteenth(
        town, insight_dir):
    year = timezone.localdate().year
    for prof in town.members[:12]:
        time_actions.answer_survey(me(prof), scores=scores(4), overall=8)
    state = time_actions.survey_state(me(town.analyst))
    assert state["years"][0] == {"year": year, "closing": None, "answers": 12}
    # The analyst saw the count reach 12 and moves the team to Beemd only.
    time_actions.set_team_areas(me(town.analyst), town.team.pk, [town.b.pk])
    time_actions.answer_survey(me(town.members[12]), scores=scores(1), overall=1)
    assert time_actions.survey_state(me(town.analyst))["years"][0]["answers"] == 13
    time_actions.close_survey(me(town.analyst), year)
    refresh.refresh()
    teams = shown(time_actions.figures(me(town.analyst), Data.SURVEY, by="team").survey)
    hoods = shown(time_actions.figures(me(town.analyst), Data.SURVEY,
                                       by="neighbourhood").survey)
    team = str(town.team.pk)
    # Beemd holds one answer: hidden. Akker holds 12: the team (13) or the municipality
    # (13) minus Akker (12) would give the thirteenth, so one side of each is hidden.
    assert town.b.pk not in hoods
    assert not (town.a.pk in hoods and team in teams)
    assert not (town.a.pk in hoods and "" in hoods)
    assert not (town.a.pk in hoods and "" in teams)
    # Whatever is shown counts all 13 together (nothing of the one alone).
    for g in [*teams.values(), *hoods.values()]:
        assert g.respondents == 13
        assert g.overall == pytest.approx((12 * 8 + 1) / 13)


def test_before_closing_nothing_of_an_answer_is_anywhere(town, insight_dir, client_for,
                                                         settings):
    from tests.pages import for_pages

    for_pages(settings)
    for prof in town.members:
        time_actions.answer_survey(me(prof), scores=scores(2), overall=3)
    assert not ChainEvent.objects.filter(activity__startswith="survey").exists()
    refresh.refresh()
    found = time_actions.figures(me(town.analyst), Data.SURVEY, by="team")
    assert found.survey == []
    # The closing page shows the count only; the respondent's page nothing of the answer.
    page = client_for(town.analyst).get("/sturing/werkplezier/").content.decode()
    assert "13" in page
    mine = client_for(town.members[0]).get("/sturing/werkplezier/")
    assert mine.status_code == 200
    # The access log of an answer names the respondent (the flag) and carries no scores.
    for record in AccessLogRecord.objects.filter(data="survey", action="create"):
        assert record.object_id in {str(p.pk) for p in town.members}
        assert "3" not in (getattr(record, "reason", "") or "")


def test_after_closing_the_log_has_no_actor_one_moment_and_not_the_order_of_answering(
        town):
    year = timezone.localdate().year
    # Each answer's overall score is its position in the order of answering.
    for position, prof in enumerate(town.members[:11]):
        time_actions.answer_survey(me(prof), scores=scores(3), overall=position)
    # The stored rows have random keys, not a sequence.
    keys = list(SurveyAnswer.objects.values_list("id", flat=True))
    assert all(isinstance(k, uuid.UUID) and k.version == 4 for k in keys)
    orders = set()
    for attempt in range(6):  # a shuffle keeps the order once in 11! (≈ 4e7)
        with pytest.raises(RuntimeError, match="roll back"), transaction.atomic():
            time_actions.close_survey(me(town.analyst), year)
            events = list(ChainEvent.objects.filter(activity="survey.answer").order_by("id"))
            assert len(events) == 11 and {e.at for e in events} == {events[0].at}
            assert {(e.person_key, e.household_key, e.trajectory_key)
                    for e in events} == {("", "", "")}
            orders.add(tuple(e.attributes["overall"] for e in events))
            raise RuntimeError(f"roll back the closing {attempt}")
    assert tuple(range(11)) not in orders and len(orders) > 1


def test_who_may_not_close_or_answer(town):
    year = timezone.localdate().year
    time_actions.answer_survey(me(town.members[0]), scores=scores(5), overall=10)
    for who in (town.coordinator, town.members[1]):
        with pytest.raises(AccessDenied):
            time_actions.close_survey(me(who), year)
    # Another municipality's analyst closes their own municipality's year, never ours.
    closed = time_actions.close_survey(me(town.analyst_b), year)
    assert (closed.municipality_id, closed.answers) == ("GM9942", 0)
    assert time_actions.survey_is_open(me(town.members[1]))
    # The analyst has no survey to answer (no care role).
    with pytest.raises(AccessDenied):
        time_actions.answer_survey(me(town.analyst), scores=scores(5), overall=10)
    with pytest.raises(Refusal) as twice:
        time_actions.answer_survey(me(town.members[0]), scores=scores(1), overall=0)
    assert twice.value.rule == "already_answered"
    time_actions.close_survey(me(town.analyst), year)
    with pytest.raises(Refusal) as late:
        time_actions.answer_survey(me(town.members[1]), scores=scores(1), overall=0)
    assert late.value.rule == "survey_closed"
    assert SurveyResponse.objects.count() == SurveyAnswer.objects.count() == 1
