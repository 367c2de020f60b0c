"""The weeks' closing at the same moment as another closing, or as an answer being written,
on PostgreSQL (real threads with their own connections: tests/registry/test_concurrency_pg).
A week's answers are emitted exactly once (one event per team: the number of answers and
their summed hours), with every answer of the week: a closing waits
for an answer being written (the week's advisory lock, shared by answers), and an answer
begun during a closing finds the week closed (refused, never lost)."""

from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from jeugdketen.access.models import AccessLogRecord
from jeugdketen.access.policy import Actor
from jeugdketen.chainlog.models import ChainEvent
from jeugdketen.core.errors import Refusal
from jeugdketen.steering import time_actions
from jeugdketen.steering.models import TimeAnswer, TimeWeekClosing
from tests import factories as f
from tests.parallel import N
from tests.registry.test_concurrency_pg import committed, in_threads, pg  # noqa: F401 - fixtures

pytestmark = pytest.mark.postgres

OPERATOR = Actor(operator=True)


def a_past_week() -> tuple[Any, datetime]:
    """A week whose question has closed, and a moment in its answering week."""
    week = time_actions.monday(timezone.localdate()) - timedelta(days=28)
    return week, datetime.combine(week + timedelta(days=10), datetime.min.time(),
                                  timezone.get_default_timezone())


def team(size: int) -> list[Any]:
    org = f.OrganisationFactory(kind="neighbourhood_team")
    return [f.ProfessionalFactory(organisation=org, roles=["professional"])
            for _ in range(size)]


def test_closings_at_the_same_moment_emit_a_week_once(committed):  # noqa: F811
    week, at = a_past_week()
    for i, prof in enumerate(team(5)):
        time_actions.answer_time(f.professional_actor(prof), help_hours=i,
                                 accountability_hours=10, at=at + timedelta(minutes=i))

    results = in_threads(N, lambda _i: time_actions.close_time_weeks(OPERATOR))

    assert sorted(len(r) for r in results) == [0] * (N - 1) + [1]
    closing = TimeWeekClosing.objects.get()
    assert (closing.week, closing.answers) == (week, 5)
    # The five answers of one team: one event with all five (help 0 + 1 + 2 + 3 + 4).
    [event] = ChainEvent.objects.filter(activity="time.answered")
    assert (event.attributes["respondents"], event.attributes["help_hours"],
            event.attributes["accountability_hours"]) == (5, 10, 5 * 10)
    assert ChainEvent.objects.filter(activity="time.week_closed").count() == 1
    assert AccessLogRecord.objects.filter(data="time_answer", action="update").count() == 1


def test_a_closing_waits_for_an_answer_being_written(committed):  # noqa: F811
    """The answer's transaction is open (its row written, not committed) when the closing
    starts: the closing waits for it and emits it with the others."""
    week, at = a_past_week()
    first, late = team(2)
    time_actions.answer_time(f.professional_actor(first), help_hours=1,
                             accountability_hours=1, at=at)
    written = threading.Event()

    def work(i: int) -> Any:
        if i == 0:
            with transaction.atomic():
                time_actions.answer_time(f.professional_actor(late), help_hours=2,
                                         accountability_hours=2, at=at + timedelta(hours=1))
                written.set()
                time.sleep(1.0)  # the closing has started meanwhile
            return "answered"
        assert written.wait(timeout=30)
        return time_actions.close_time_weeks(OPERATOR)

    _answered, closed = in_threads(2, work)

    assert [(c.week, c.answers) for c in closed] == [(week, 2)]
    # Both answers (one team) in the week's one event: 1 + 2 hours each way.
    [event] = ChainEvent.objects.filter(activity="time.answered")
    assert (event.attributes["respondents"], event.attributes["help_hours"],
            event.attributes["accountability_hours"]) == (2, 1 + 2, 1 + 2)


def test_an_answer_during_a_closing_is_refused_not_lost(committed):  # noqa: F811
    """The closing's transaction is open when an answer for the week comes: the answer
    waits, then finds the week closed."""
    week, at = a_past_week()
    first, late = team(2)
    time_actions.answer_time(f.professional_actor(first), help_hours=1,
                             accountability_hours=1, at=at)
    closing = threading.Event()

    def work(i: int) -> Any:
        if i == 0:
            with transaction.atomic():
                closed = time_actions.close_time_weeks(OPERATOR)
                closing.set()
                time.sleep(1.0)  # the answer has started meanwhile
            return closed
        assert closing.wait(timeout=30)
        try:
            time_actions.answer_time(f.professional_actor(late), help_hours=2,
                                     accountability_hours=2, at=at + timedelta(hours=1))
        except Refusal as refused:
            return refused.rule
        return "answered"

    closed, answered = in_threads(2, work)

    assert [(c.week, c.answers) for c in closed] == [(week, 1)]
    assert answered == "week_closed"
    assert TimeAnswer.objects.filter(week=week).count() == 1
    [event] = ChainEvent.objects.filter(activity="time.answered")
    assert (event.attributes["respondents"], event.attributes["help_hours"]) == (1, 1)
