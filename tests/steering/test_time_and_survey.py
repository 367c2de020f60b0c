"""Time and satisfaction (issue 13): the weekly time question and the yearly survey through
their actions, the pages and the API. The anonymity of the survey by construction, a
second answer refused, the reminder at most once, small groups suppressed, and the policy
allowed and denied per role."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pytest
from django.db import models
from django.utils import timezone

from jeugdketen.access.audit import AccessDenied
from jeugdketen.access.models import AccessLogRecord
from jeugdketen.access.policy import Action, Actor, Data, Scope, Target
from jeugdketen.access.policy.rules import steering_time as rules
from jeugdketen.chainlog.models import ChainEvent
from jeugdketen.core.errors import Refusal
from jeugdketen.insight import refresh
from jeugdketen.registry.models import Professional
from jeugdketen.steering import survey, time_actions
from jeugdketen.steering.models import (
    SurveyAnswer,
    SurveyResponse,
    TimeAnswer,
    TimeQuestionSent,
    TimeWeekClosing,
)
from tests import factories as f

# --- the policy without a database -------------------------------------------------------


@dataclass
class Facts:
    municipality: str | None
    kind: str

    def actor_municipality(self) -> str | None:
        return self.municipality

    def actor_organisation_kind(self) -> str:
        return self.kind


def actor(*roles: str, pk: int = 1) -> Actor:
    return Actor(professional=Professional(pk=pk, roles=list(roles)))


def own(data: Data, pk: int = 1) -> Target:
    return Target(data, object_id=str(pk))


def figures(data: Data, municipality: str = "GM0363") -> Target:
    return Target(data, object_id=municipality, scope=Scope(municipality_id=municipality))


TOWN = Facts("GM0363", "municipality")
TEAM = Facts("GM0363", "neighbourhood_team")


@pytest.mark.parametrize("roles", [("professional",), ("coordinator",),
                                   ("professional", "front_door")])
def test_a_professional_answers_and_reads_only_their_own_time(roles):
    for action in Action:
        decision = rules.time_answer(actor(*roles), action, own(Data.TIME_ANSWER), TEAM)
        assert decision.allowed == (action in (Action.CREATE, Action.READ))
        if decision.allowed:
            assert decision.ground == "self"
    # Someone else's answers: never, whatever the role.
    assert not rules.time_answer(actor(*roles), Action.READ, own(Data.TIME_ANSWER, pk=2),
                                 TEAM).allowed
    # The figures: not for a professional of a team.
    assert not rules.time_answer(actor(*roles), Action.READ, figures(Data.TIME_ANSWER),
                                 TEAM).allowed


@pytest.mark.parametrize("roles", [("municipal_analyst",), ("privacy_officer",),
                                   ("functional_admin",), ("platform_admin",), ("front_door",),
                                   ()])
def test_no_one_without_a_care_role_answers_or_reads_a_time_answer(roles):
    for action in Action:
        assert not rules.time_answer(actor(*roles), action, own(Data.TIME_ANSWER), TOWN).allowed
        assert not rules.survey(actor(*roles), action, own(Data.SURVEY), TOWN).allowed
    assert not rules.time_answer(Actor(operator=True), Action.READ, own(Data.TIME_ANSWER),
                                 TOWN).allowed


@pytest.mark.parametrize(("roles", "facts", "reads", "closes"), [
    (("municipal_analyst",), TOWN, True, True),
    (("coordinator",), TOWN, True, False),
    (("coordinator",), TEAM, False, False),  # a team's coordinator: not the municipality
    (("municipal_analyst",), Facts("GM0599", "municipality"), False, False),  # another town
    (("front_door",), TOWN, False, False),
    (("privacy_officer",), TOWN, False, False),
    (("professional",), TOWN, False, False),
])
def test_the_figures_are_the_municipalitys_analyst_and_coordinator(roles, facts, reads, closes):
    for data, rule in ((Data.TIME_ANSWER, rules.time_answer), (Data.SURVEY, rules.survey),
                       (Data.TEAM_AREAS, rules.team_areas)):
        assert rule(actor(*roles), Action.READ, figures(data), facts).allowed == reads
        for action in (Action.CREATE, Action.DELETE, Action.EXPORT, Action.PRINT):
            assert not rule(actor(*roles), action, figures(data), facts).allowed
    assert rules.survey(actor(*roles), Action.UPDATE, figures(Data.SURVEY), facts).allowed == closes
    assert rules.team_areas(actor(*roles), Action.UPDATE, figures(Data.TEAM_AREAS),
                            facts).allowed == closes
    assert not rules.time_answer(actor(*roles), Action.UPDATE, figures(Data.TIME_ANSWER),
                                 facts).allowed


# --- a world -----------------------------------------------------------------------------


class World:
    def __init__(self) -> None:
        self.town = f.MunicipalityFactory(code="GM9921", name="Werkstad")
        district = f.DistrictFactory(municipality=self.town, code="WK992101", name="Noord")
        self.hood = f.NeighbourhoodFactory(district=district, code="BU99210101", name="Haven")
        self.hood2 = f.NeighbourhoodFactory(district=district, code="BU99210102", name="Dijk")
        org = f.OrganisationFactory
        self.gemeente = org(name="Gemeente Werkstad", kind="municipality", municipality=self.town)
        self.team = org(name="Wijkteam Haven", kind="neighbourhood_team", municipality=self.town)
        self.small = org(name="Wijkteam Dijk", kind="neighbourhood_team", municipality=self.town)
        pro = f.ProfessionalFactory
        self.analyst = pro(organisation=self.gemeente, roles=["municipal_analyst"])
        self.coordinator = pro(organisation=self.gemeente, roles=["coordinator"])
        self.members = [pro(organisation=self.team, roles=["professional"],
                            email=f"p{i}@example.org") for i in range(12)]
        self.few = [pro(organisation=self.small, roles=["professional"]) for _ in range(3)]
        other = f.MunicipalityFactory(code="GM9922", name="Elders")
        self.analyst_b = pro(organisation=org(name="Gemeente Elders", kind="municipality",
                                              municipality=other), roles=["municipal_analyst"])
        time_actions.set_team_areas(f.professional_actor(self.analyst), self.team.pk,
                                    [self.hood.pk])
        time_actions.set_team_areas(f.professional_actor(self.analyst), self.small.pk,
                                    [self.hood2.pk])


@pytest.fixture
def w(db) -> World:
    return World()


def me(prof: Professional) -> Actor:
    return f.professional_actor(prof)


# --- the time question -------------------------------------------------------------------


OPERATOR = Actor(operator=True)
AMSTERDAM = timezone.get_default_timezone()


def local(day: date, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute, second), AMSTERDAM)


def past_week() -> date:
    """A week four weeks back: answered and closed in the past (no `at` in the future)."""
    return time_actions.monday(timezone.localdate()) - timedelta(days=28)


def test_an_answer_is_stored_logged_and_in_the_chain_log_only_when_its_week_closes(w):
    prof = w.members[0]
    answer = time_actions.answer_time(me(prof), help_hours=24, accountability_hours=8)
    week = time_actions.open_week(timezone.localdate())
    assert (answer.week, answer.help_hours, answer.accountability_hours) == (week, 24, 8)
    log = AccessLogRecord.objects.get(data="time_answer", action="create")
    assert (log.object_id, log.ground, log.outcome, log.client_id) == (
        str(prof.pk), "self", "allowed", "")
    assert time_actions.time_question_week(me(prof)) is None  # no question twice
    # Nothing in the chain log while the week's question is open; nothing to close.
    assert not ChainEvent.objects.filter(activity__startswith="time.").exists()
    assert time_actions.close_time_weeks(OPERATOR) == []
    # A week whose answering has ended: its answers enter the log when it is closed.
    old = past_week()
    time_actions.answer_time(me(prof), help_hours=20, accountability_hours=10,
                             at=local(old + timedelta(days=8), 10))
    assert not ChainEvent.objects.filter(activity__startswith="time.").exists()
    [closing] = time_actions.close_time_weeks(OPERATOR)
    assert (closing.week, closing.answers) == (old, 1)
    event = ChainEvent.objects.get(activity="time.answered")
    assert (event.person_key, event.household_key, event.trajectory_key) == ("", "", "")
    assert event.organisation_id == w.team.pk and event.at == closing.closed_at
    # One event for the team's week: its one respondent and the (summed) hours.
    assert event.attributes == {"week": old.isoformat(), "respondents": 1, "help_hours": 20,
                                "accountability_hours": 10, "municipality": "GM9921",
                                "neighbourhoods": ["BU99210101"]}
    closed = ChainEvent.objects.get(activity="time.week_closed")
    assert closed.attributes == {"week": old.isoformat(), "answers": 1}
    assert (closed.at, closed.organisation_id, closed.person_key) == (closing.closed_at,
                                                                      None, "")
    # The access log: the platform closed the week (one record naming the week, none
    # naming a professional).
    record = AccessLogRecord.objects.get(data="time_answer", action="update")
    assert (record.object_id, record.username, record.role, record.ground, record.outcome,
            record.organisation_id) == (time_actions.week_label(old), "operator",
                                        "platform_admin", "administration", "allowed", None)
    # This week's answer is still not in the log (its week is open).
    assert ChainEvent.objects.filter(activity="time.answered").count() == 1


def test_a_second_answer_in_the_week_is_refused_and_logged(w):
    prof = w.members[0]
    time_actions.answer_time(me(prof), help_hours=24, accountability_hours=8)
    with pytest.raises(Refusal) as refused:
        time_actions.answer_time(me(prof), help_hours=30, accountability_hours=2)
    assert (refused.value.rule, refused.value.status) == ("already_answered", 409)
    assert TimeAnswer.objects.get().help_hours == 24
    assert not ChainEvent.objects.filter(activity="time.answered").exists()
    assert AccessLogRecord.objects.filter(data="time_answer", outcome="refused").count() == 1


@pytest.mark.parametrize(("help_hours", "accountability_hours", "fields"), [
    (81, 0, {("help_hours", "range")}),
    (-1, 5, {("help_hours", "range")}),
    ("veel", 5, {("help_hours", "integer")}),
    (5, 2.5, {("accountability_hours", "integer")}),
    (True, 5, {("help_hours", "integer")}),
    (50, 31, {("accountability_hours", "week_total")}),
    (None, None, {("help_hours", "integer"), ("accountability_hours", "integer")}),
])
def test_bad_hours_are_refused_naming_the_field(w, help_hours, accountability_hours, fields):
    with pytest.raises(Refusal) as refused:
        time_actions.answer_time(me(w.members[0]), help_hours=help_hours,
                                 accountability_hours=accountability_hours)
    assert {(e.field, e.rule) for e in refused.value.errors} == fields
    assert not TimeAnswer.objects.exists()
    time_actions.answer_time(me(w.members[0]), help_hours=40, accountability_hours=40)  # 80 ok


def test_only_care_roles_answer_and_only_the_own_answers_are_read(w):
    with pytest.raises(AccessDenied):
        time_actions.answer_time(me(w.analyst), help_hours=1, accountability_hours=1)
    assert AccessLogRecord.objects.filter(data="time_answer", outcome="denied").count() == 1
    time_actions.answer_time(me(w.members[0]), help_hours=20, accountability_hours=10)
    assert [a.help_hours for a in time_actions.own_time_answers(me(w.members[0]))] == [20]
    assert time_actions.own_time_answers(me(w.members[1])) == []  # nobody else's
    assert time_actions.time_question_week(me(w.analyst)) is None


def test_a_week_closes_when_the_week_after_it_has_ended_and_only_once(w):
    week = past_week()
    for prof in w.members[:3]:
        time_actions.answer_time(me(prof), help_hours=10, accountability_hours=10,
                                 at=local(week + timedelta(days=7), 9))
    # The last moment of the answering week: still open.
    assert time_actions.close_time_weeks(OPERATOR,
                                         at=local(week + timedelta(days=13), 23, 59, 59)) == []
    time_actions.answer_time(me(w.members[3]), help_hours=10, accountability_hours=10,
                             at=local(week + timedelta(days=13), 23, 59, 59))
    assert not ChainEvent.objects.filter(activity__startswith="time.").exists()
    # Midnight: closed, with all four answers, all at that moment.
    at = local(week + timedelta(days=14))
    [closing] = time_actions.close_time_weeks(OPERATOR, at=at)
    assert (closing.week, closing.answers, closing.closed_at) == (week, 4, at)
    assert set(ChainEvent.objects.filter(activity__startswith="time.")
               .values_list("at", flat=True)) == {at}
    # Closing again (later, or the same moment) emits nothing twice.
    assert time_actions.close_time_weeks(OPERATOR) == []
    assert time_actions.close_time_weeks(OPERATOR, at=at) == []
    # The four answers are of one team: one event, with four respondents and their sums.
    [event] = ChainEvent.objects.filter(activity="time.answered")
    assert (event.attributes["respondents"], event.attributes["help_hours"],
            event.attributes["accountability_hours"]) == (4, 4 * 10, 4 * 10)
    assert ChainEvent.objects.filter(activity="time.week_closed").count() == 1
    assert TimeWeekClosing.objects.count() == 1
    assert AccessLogRecord.objects.filter(data="time_answer", action="update").count() == 1
    # Only the operator closes a week.
    with pytest.raises(AccessDenied):
        time_actions.close_time_weeks(me(w.analyst))


def test_each_week_closes_at_its_own_moment_and_an_old_week_with_it(w):
    first = past_week() - timedelta(days=14)
    second = first + timedelta(days=7)
    for week, prof in ((first, w.members[0]), (first, w.members[1]), (second, w.members[0])):
        time_actions.answer_time(me(prof), help_hours=5, accountability_hours=5,
                                 at=local(week + timedelta(days=8), 12))
    closed = time_actions.close_time_weeks(OPERATOR, at=local(first + timedelta(days=14), 6))
    assert [(c.week, c.answers) for c in closed] == [(first, 2)]
    closed = time_actions.close_time_weeks(OPERATOR, at=local(second + timedelta(days=14), 6))
    assert [(c.week, c.answers) for c in closed] == [(second, 1)]
    moments: dict[str, set[datetime]] = {}
    for event in ChainEvent.objects.filter(activity="time.answered"):
        moments.setdefault(event.attributes["week"], set()).add(event.at)
    assert moments == {first.isoformat(): {local(first + timedelta(days=14), 6)},
                       second.isoformat(): {local(second + timedelta(days=14), 6)}}


def answer_in_order(w: World, week: date) -> list[tuple[int, int]]:
    """Every care professional of the world, and those of twelve more teams of one, answers
    `week`, one after the other, each with other hours: per team, in the order of its
    first answer, (team, the team's summed hours on help). Fifteen teams."""
    extra = [f.ProfessionalFactory(organisation=f.OrganisationFactory(
        name=f"Team {i}", kind="neighbourhood_team", municipality=w.town),
        roles=["professional"]) for i in range(12)]
    order: dict[int, int] = {}
    for i, prof in enumerate([*w.members, *w.few, w.coordinator, *extra]):
        time_actions.answer_time(me(prof), help_hours=i, accountability_hours=40 - i,
                                 at=local(week + timedelta(days=7), 9, i))
        order[prof.organisation_id] = order.get(prof.organisation_id, 0) + i
    return list(order.items())


def logged_order() -> list[tuple[int, int]]:
    return [(e.organisation_id, e.attributes["help_hours"]) for e in
            ChainEvent.objects.filter(activity="time.answered").order_by("id")]


def test_the_logs_order_is_not_the_order_of_answering(w):
    order = answer_in_order(w, past_week())
    time_actions.close_time_weeks(OPERATOR)
    got = logged_order()
    assert sorted(got) == sorted(order)  # one event per team
    # Fifteen teams: the order of answering (or of the teams' ids) comes back by chance
    # once in 15! (1e12) runs.
    assert got != order
    assert got != sorted(order)


def test_the_logs_order_is_the_shuffles(w, monkeypatch):
    """The order in the log is what the shuffle made it, nothing else (so the test above
    would see an unshuffled log): the teams reversed by a stand-in, the log is reversed."""
    order = answer_in_order(w, past_week())
    first = {team: rank for rank, (team, _hours) in enumerate(order)}
    shuffled: list[int] = []

    def reverse(teams: list[int]) -> None:
        teams.sort(key=first.__getitem__, reverse=True)
        shuffled.append(len(teams))

    monkeypatch.setattr(time_actions, "_shuffle", reverse)
    time_actions.close_time_weeks(OPERATOR)
    assert shuffled == [len(order)]
    assert logged_order() == order[::-1]


def numbers(value: object) -> list[object]:
    """Every number in a JSON value (an event's attributes), however deep."""
    if isinstance(value, dict):
        return [n for v in value.values() for n in numbers(v)]
    if isinstance(value, list):
        return [n for v in value for n in numbers(v)]
    return [value] if isinstance(value, int | float) and not isinstance(value, bool) else []


def test_a_teams_week_is_one_event_with_no_ones_hours(w):
    """Issue 13: time figures are never per person to anyone but the person, the holder of
    the chain log's export included. Two professionals of one team answer: the log gets
    one `time.answered` for the team's week, with two respondents and the summed hours,
    and neither professional's own hours anywhere in its events' attributes."""
    week = past_week()
    own = {w.members[0]: (23, 7), w.members[1]: (19, 11)}  # no value equal to a sum
    for prof, (helped, accounted) in own.items():
        time_actions.answer_time(me(prof), help_hours=helped, accountability_hours=accounted,
                                 at=local(week + timedelta(days=8), 10))
    [closing] = time_actions.close_time_weeks(OPERATOR)
    assert closing.answers == 2
    [event] = ChainEvent.objects.filter(activity="time.answered")
    assert event.organisation_id == w.team.pk and event.person_key == ""
    assert event.attributes == {"week": week.isoformat(), "respondents": 2,
                                "help_hours": 23 + 19, "accountability_hours": 7 + 11,
                                "municipality": "GM9921", "neighbourhoods": ["BU99210101"]}
    assert ChainEvent.objects.get(activity="time.week_closed").attributes["answers"] == 2
    # The sums are whole numbers in the log, exactly (no float, no string).
    assert type(event.attributes["help_hours"]) is int
    everything = [n for e in ChainEvent.objects.all() for n in numbers(e.attributes)]
    assert not {h for hours in own.values() for h in hours} & set(everything)


def test_an_answer_for_a_closed_week_is_refused(w, mailoutbox,
                                                django_capture_on_commit_callbacks):
    """It cannot happen by the calendar (a week closes only after its answering week),
    but a closed week takes no answer: e.g. the week in progress when the closing came
    in (migration 0002 closes every week that has answers)."""
    week = time_actions.open_week(timezone.localdate())
    TimeWeekClosing.objects.create(week=week, closed_at=timezone.now(), answers=0)
    assert time_actions.time_question_week(me(w.members[0])) is None
    with pytest.raises(Refusal) as refused:
        time_actions.answer_time(me(w.members[0]), help_hours=10, accountability_hours=10)
    assert (refused.value.rule, refused.value.status) == ("week_closed", 409)
    assert time_actions.week_label(week) in refused.value.message
    assert not TimeAnswer.objects.exists()
    assert AccessLogRecord.objects.filter(data="time_answer", action="create",
                                          outcome="refused").count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        sent = time_actions.send_time_questions(OPERATOR, base_url="https://jk.example")
    assert (sent.questions, sent.reminders) == (0, 0) and not mailoutbox


def test_the_migration_closes_the_weeks_answered_before_it(w):
    """Before 0002 every answer was in the log when given: the migration closes each week
    that has answers, so no closing emits them again."""
    from importlib import import_module

    from django.apps import apps

    migration = import_module("jeugdketen.steering.migrations.0003_time_week_closing")
    week = past_week()
    for prof in w.members[:2]:
        time_actions.answer_time(me(prof), help_hours=1, accountability_hours=1,
                                 at=local(week + timedelta(days=8)))
    time_actions.answer_time(me(w.members[0]), help_hours=1, accountability_hours=1)
    migration.close_the_weeks_answered_before(apps, None)
    assert sorted(TimeWeekClosing.objects.values_list("week", "answers")) == [
        (week, 2), (time_actions.open_week(timezone.localdate()), 1)]
    assert time_actions.close_time_weeks(OPERATOR) == []
    assert not ChainEvent.objects.filter(activity="time.answered").exists()


def test_the_question_is_mailed_once_and_reminded_at_most_once(w, mailoutbox,
                                                               django_capture_on_commit_callbacks):
    operator = Actor(operator=True)
    today = timezone.localdate()
    time_actions.answer_time(me(w.members[0]), help_hours=20, accountability_hours=10)
    with django_capture_on_commit_callbacks(execute=True):
        sent = time_actions.send_time_questions(operator, base_url="https://jk.example/",
                                                today=today)
    # Every care role but the one who answered: the team members, Dijk's and the
    # municipality's coordinator (the analyst has no care role).
    asked = len(w.members) - 1 + len(w.few) + 1
    assert (sent.questions, sent.reminders) == (asked, 0)
    assert len(mailoutbox) == asked
    mail = mailoutbox[0]
    assert "https://jk.example/sturing/tijd/" in mail.body
    assert time_actions.week_label(sent.week) in mail.subject
    assert w.members[0].email not in {m.to[0] for m in mailoutbox}  # answered: not asked
    # A second run the same day sends nothing (idempotent).
    with django_capture_on_commit_callbacks(execute=True):
        again = time_actions.send_time_questions(operator, base_url="https://jk.example",
                                                 today=today)
    assert (again.questions, again.reminders) == (0, 0) and len(mailoutbox) == asked
    # Two days later: one reminder to who still has not answered, once.
    time_actions.answer_time(me(w.members[1]), help_hours=20, accountability_hours=10)
    TimeQuestionSent.objects.update(sent_at=timezone.now() - timedelta(days=2))
    for _run in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            later = time_actions.send_time_questions(operator, base_url="https://jk.example",
                                                     today=today)
        if _run == 0:
            assert (later.questions, later.reminders) == (0, asked - 1)
        else:
            assert (later.questions, later.reminders) == (0, 0)
    assert TimeQuestionSent.objects.filter(kind="reminder").count() == asked - 1
    assert len(mailoutbox) == asked + asked - 1
    with pytest.raises(AccessDenied):
        time_actions.send_time_questions(me(w.analyst), base_url="x")


# --- the survey --------------------------------------------------------------------------


def scores(value: int = 4) -> dict[str, int]:
    return {item.key: value for item in survey.ITEMS}


def test_the_survey_answer_has_no_path_to_a_person():
    """By construction: no foreign key, column or ordering from an answer to a person, a
    professional, a user, a response flag or a time."""
    fields = SurveyAnswer._meta.get_fields()
    related = {fl.related_model for fl in fields if fl.is_relation}
    assert related <= {f.OrganisationFactory._meta.model, f.MunicipalityFactory._meta.model}
    assert not any(isinstance(fl, models.DateField | models.DateTimeField | models.TimeField)
                   for fl in fields)
    assert isinstance(SurveyAnswer._meta.pk, models.UUIDField)  # random, not a sequence
    assert not SurveyAnswer._meta.ordering and not SurveyAnswer._meta.get_latest_by
    assert {fl.name for fl in SurveyAnswer._meta.concrete_fields} == {
        "id", "organisation", "municipality", "neighbourhoods", "year", "version", "scores",
        "overall"}
    # The flag: the professional and the year, nothing of the answer, no time.
    assert {fl.name for fl in SurveyResponse._meta.concrete_fields} == {
        "id", "professional", "year"}
    assert not any(fl.is_relation and fl.related_model is SurveyAnswer
                   for fl in SurveyResponse._meta.get_fields())


def test_answering_the_survey_writes_the_flag_and_the_answer_unlinked(w):
    prof = w.members[0]
    time_actions.answer_survey(me(prof), scores=scores(5) | {"autonomy_1": 2}, overall=8)
    answer = SurveyAnswer.objects.get()
    flag = SurveyResponse.objects.get()
    assert (flag.professional_id, flag.year) == (prof.pk, timezone.localdate().year)
    assert (answer.organisation_id, answer.neighbourhoods, answer.version, answer.overall) == (
        w.team.pk, ["BU99210101"], "jk-werkplezier-1", 8)
    assert str(answer.pk) != str(flag.pk)
    # The access log's record of the flag does not carry the answer.
    record = AccessLogRecord.objects.get(data="survey", action="create")
    text = json.dumps({fl.name: str(getattr(record, fl.name))
                       for fl in AccessLogRecord._meta.concrete_fields})
    assert record.object_id == str(prof.pk)
    # (Not the bare score: a record's own numbers, its id or chain position, may be 8.)
    assert str(answer.pk) not in text and "autonomy" not in text and "overall" not in text
    # Nothing in the chain log until the survey is closed.
    assert not ChainEvent.objects.filter(activity__startswith="survey.").exists()
    assert not time_actions.survey_is_open(me(prof))


def test_a_second_survey_answer_is_refused(w):
    prof = w.members[0]
    time_actions.answer_survey(me(prof), scores=scores(), overall=7)
    with pytest.raises(Refusal) as refused:
        time_actions.answer_survey(me(prof), scores=scores(), overall=9)
    assert refused.value.rule == "already_answered"
    assert SurveyAnswer.objects.count() == 1 and SurveyResponse.objects.count() == 1


def test_bad_survey_input_names_the_fields(w):
    bad = scores() | {"variety_1": 6, "support_2": 0}
    with pytest.raises(Refusal) as refused:
        time_actions.answer_survey(me(w.members[0]), scores={**bad, "x": 3}, overall=11)
    assert {e.field for e in refused.value.errors} == {"variety_1", "support_2", "overall",
                                                       "scores"}
    with pytest.raises(Refusal):
        time_actions.answer_survey(me(w.members[0]), scores="alles goed", overall=5)
    assert not SurveyResponse.objects.exists()
    with pytest.raises(AccessDenied):
        time_actions.answer_survey(me(w.analyst), scores=scores(), overall=5)


def test_closing_puts_the_answers_in_the_log_at_one_moment_without_an_actor(w):
    for i, prof in enumerate(w.members):
        time_actions.answer_survey(me(prof), scores=scores(1 + i % 5), overall=i % 11)
    year = timezone.localdate().year
    with pytest.raises(AccessDenied):
        time_actions.close_survey(me(w.coordinator), year)
    closing = time_actions.close_survey(me(w.analyst), year)
    events = list(ChainEvent.objects.filter(activity="survey.answer"))
    assert len(events) == closing.answers == len(w.members)
    assert {e.at for e in events} == {closing.closed_at}
    assert {(e.person_key, e.household_key, e.organisation_id) for e in events} == {
        ("", "", w.team.pk)}
    assert sorted(e.attributes["overall"] for e in events) == sorted(
        i % 11 for i in range(len(w.members)))
    closed = ChainEvent.objects.get(activity="survey.closed")
    assert closed.attributes == {"municipality": "GM9921", "year": year, "answers": 12,
                                 "version": "jk-werkplezier-1"}
    with pytest.raises(Refusal):
        time_actions.close_survey(me(w.analyst), year)
    assert not time_actions.survey_is_open(me(w.few[0]))
    with pytest.raises(Refusal) as refused:
        time_actions.answer_survey(me(w.few[0]), scores=scores(), overall=5)
    assert refused.value.rule == "survey_closed"
    with pytest.raises(Refusal) as future:
        time_actions.close_survey(me(w.analyst), year + 1)
    assert future.value.errors[0].field == "year"


# --- the figures from the store ----------------------------------------------------------


def test_the_figures_come_from_the_store_and_hide_small_teams(w, insight_dir):
    """A refresh copies the events (they have no trajectory), the figures per team and
    neighbourhood show the team of 12 and hide the team of 3."""
    # A week whose answers are all in (a week counts from 15 days after its Monday on:
    # insight.effort.COMPLETE_AFTER_DAYS, tests/steering/test_attack_time.py).
    weeks_ago = timezone.now() - timedelta(days=21)
    for prof in w.members:
        time_actions.answer_time(me(prof), help_hours=30, accountability_hours=10,
                                 at=weeks_ago)
        time_actions.answer_survey(me(prof), scores=scores(4), overall=8)
    for prof in w.few:
        time_actions.answer_time(me(prof), help_hours=5, accountability_hours=35,
                                 at=weeks_ago)
        time_actions.answer_survey(me(prof), scores=scores(1), overall=2)
    year = timezone.localdate().year
    time_actions.close_survey(me(w.analyst), year)
    time_actions.close_time_weeks(OPERATOR)  # its answers enter the chain log
    refresh.refresh()
    today = timezone.localdate()
    later = date(today.year + (today.month == 12), today.month % 12 + 1, 15)  # a month on
    found = time_actions.figures(me(w.analyst), Data.TIME_ANSWER, by="team", today=later)
    teams = {g.label: g for g in found.time}
    assert teams["Wijkteam Dijk"].suppressed and teams["Wijkteam Dijk"].value is None
    # The whole municipality minus Haven would give Dijk: exactly one of the two is shown.
    haven, total = teams["Wijkteam Haven"], next(g for g in found.time if g.group == "")
    assert haven.suppressed != total.suppressed
    if haven.suppressed:
        assert (total.value, total.respondents) == (pytest.approx(375 / 600), 15)
    else:
        assert (haven.value, haven.respondents) == (pytest.approx(0.75), 12)
    hoods = {g.group: g for g in time_actions.figures(
        me(w.coordinator), Data.TIME_ANSWER, by="neighbourhood", today=later).time}
    assert hoods["BU99210102"].suppressed
    surveyed = time_actions.figures(me(w.analyst), Data.SURVEY, by="team")
    haven = next(s for s in surveyed.survey if s.label == "Wijkteam Haven")
    assert next(s for s in surveyed.survey if s.label == "Wijkteam Dijk").suppressed
    whole = next(s for s in surveyed.survey if s.group == "")
    assert whole.suppressed != haven.suppressed
    if haven.suppressed:
        assert (whole.year, whole.respondents) == (year, 15)
        assert whole.overall == pytest.approx((12 * 8 + 3 * 2) / 15)
    else:
        assert (haven.year, haven.respondents, haven.overall, haven.variety) == (year, 12, 8, 4)
    reads = AccessLogRecord.objects.filter(data__in=["time_answer", "survey"], action="read",
                                           outcome="allowed", object_id="GM9921")
    assert reads.count() == 3
    for who in (w.members[0], w.few[0]):
        with pytest.raises(AccessDenied):
            time_actions.figures(me(who), Data.TIME_ANSWER)
    # Another municipality's analyst reads only their own municipality: nothing of these.
    elsewhere = time_actions.figures(me(w.analyst_b), Data.TIME_ANSWER, today=later)
    assert elsewhere.municipality == "GM9922"
    assert all(g.suppressed for g in elsewhere.time)
    with pytest.raises(Refusal):
        time_actions.figures(me(w.analyst), Data.SURVEY, by="persoon")


def test_the_command_closes_the_ended_weeks_asks_and_prints_what_it_did(
        w, mailoutbox, capsys, django_capture_on_commit_callbacks):
    from django.core.management import call_command

    week = past_week()
    for prof in w.members[:2]:
        time_actions.answer_time(me(prof), help_hours=3, accountability_hours=4,
                                 at=local(week + timedelta(days=9)))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("steering", "ask-time", "--base-url", "https://jk.example")
    first = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert first["closed"] == {time_actions.week_label(week): 2}
    assert first["questions"] == len(mailoutbox) > 0 and first["reminders"] == 0
    # The two answers of one team: one event with both.
    [event] = ChainEvent.objects.filter(activity="time.answered")
    assert (event.attributes["respondents"], event.attributes["help_hours"]) == (2, 2 * 3)
    record = AccessLogRecord.objects.get(data="time_answer", action="update")
    assert (record.channel, record.user_agent) == ("command", "jeugdketen steering ask-time")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("steering", "ask-time", "--base-url", "https://jk.example")
    again = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert (again["closed"], again["questions"], again["reminders"]) == ({}, 0, 0)
    assert ChainEvent.objects.filter(activity="time.answered").count() == 1  # not again
    assert all("https://jk.example/sturing/tijd/" in m.body for m in mailoutbox)
