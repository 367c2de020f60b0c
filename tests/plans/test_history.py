"""Loading history (the demo): a plan that began in the past, recorded through the same
actions with `started_on` and `at`. The records and chain events carry that moment; the
access log keeps the real time of writing; without the keywords nothing changes."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from jeugdketen.access.actions import give_consent, withdraw_consent
from jeugdketen.access.models import AccessLogRecord
from jeugdketen.analysis.actions import ScoreInput, record_analysis
from jeugdketen.chainlog.actions import moment
from jeugdketen.chainlog.models import ChainEvent
from jeugdketen.core.errors import Refusal
from jeugdketen.plans import actions
from jeugdketen.plans.actions import RelatedInput

from .conftest import LEVELS

pytestmark = pytest.mark.django_db


def at(day, hour: int = 10):
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


def on_consent(family) -> dict:
    """The family's consent to start the plan: the parent, and the youth with the parent."""
    return {"consent_given_by": [family.parent.pk, family.youth.pk]}


def test_defaults_unchanged_started_today_and_events_now(family):
    before = timezone.now()
    plan = actions.start_plan(family.actor, family.household.pk, family.coordinator.pk,
                              **on_consent(family))
    assert plan.started_on == timezone.localdate()
    event = ChainEvent.objects.get(activity="plan.started")
    assert before <= event.at <= timezone.now()
    assert before <= plan.created_at <= timezone.now()


def test_a_trajectory_recorded_in_the_past(family):
    today = timezone.localdate()
    start = today - timedelta(days=400)
    plan = actions.start_plan(family.actor, family.household.pk, family.coordinator.pk,
                              started_on=start, at=at(start, 9), **on_consent(family))
    assert plan.started_on == start
    goal = actions.add_goal(family.actor, plan.pk, title="Daan gaat naar school",
                            person_ids=[family.youth.pk], levels=LEVELS, at=at(start, 11))
    member = actions.add_team_member(
        family.actor, plan.pk, role="haalt Noor op",
        related=RelatedInput(name="Oma Joke", relation="grootmoeder"), at=at(start, 12))
    # Consent given in the past: the youth was 14 - 1 = 13 then, so together with the parent.
    consents = [give_consent(family.actor, p.pk, plan_id=plan.pk, given_by=g,
                             organisation_id=family.school.pk, categories=["plan"],
                             at=at(start + timedelta(days=2)))
                for p, g in ((family.parent, [family.parent.pk]),
                             (family.child, [family.parent.pk]),
                             (family.youth, [family.youth.pk, family.parent.pk]))]
    assert {c.valid_from for c in consents} == {start + timedelta(days=2)}
    teacher = actions.add_team_member(family.actor, plan.pk, role="intern begeleider",
                                      professional_id=family.teacher.pk,
                                      at=at(start + timedelta(days=3)))
    analysis = record_analysis(family.actor, plan.pk, made_on=start + timedelta(days=5),
                               scores=[ScoreInput(family.parent.pk, "finances", 2, 3)],
                               at=at(start + timedelta(days=5)))
    evaluation = actions.record_evaluation(family.actor, plan.pk, on=start + timedelta(days=60),
                                           scores=[(goal.pk, -1)],
                                           at=at(start + timedelta(days=60)))
    version = actions.save_version(family.actor, plan.pk, at=at(start + timedelta(days=61)))
    approved = actions.approve_version(family.actor, plan.pk, number=version.number,
                                       how="paper", at=at(start + timedelta(days=62)))
    withdrawn = withdraw_consent(family.actor, consents[0].pk, at=at(start + timedelta(days=90)))
    actions.remove_team_member(family.actor, teacher.pk, at=at(start + timedelta(days=90), 11))
    closed = actions.close_plan(family.actor, plan.pk, reason_code="01",
                                can_continue_without_help=True, satisfaction=8,
                                final_scores=[(goal.pk, 1)], at=at(start + timedelta(days=200)))

    assert goal.created_at == at(start, 11)
    assert member.joined_at == at(start, 12) and member.related_person.created_at == at(start, 12)
    assert analysis.created_at == at(start + timedelta(days=5))
    assert evaluation.recorded_at == at(start + timedelta(days=60))
    assert version.created_at == at(start + timedelta(days=61))
    assert approved.approved_at == at(start + timedelta(days=62))
    assert withdrawn.withdrawn_at == at(start + timedelta(days=90))
    assert closed.closed_on == start + timedelta(days=200)
    events = ChainEvent.objects.filter(trajectory_key=str(plan.pk)).order_by("id")
    assert all(start <= timezone.localdate(e.at) <= start + timedelta(days=200) for e in events)
    first_of = {}
    for event in events:
        first_of.setdefault(event.activity, event.at)
    assert first_of["plan.started"] == at(start, 9)
    assert first_of["team.left"] == at(start + timedelta(days=90), 11)
    assert first_of["plan.closed"] == at(start + timedelta(days=200))
    assert ChainEvent.objects.get(activity="consent.withdrawn").at == at(start + timedelta(days=90))
    closing = ChainEvent.objects.get(activity="plan.closed")
    assert closing.attributes["days_open"] == 200
    # The access log tells the truth: written now, not in the past.
    recent = timezone.now() - timedelta(minutes=5)
    assert not AccessLogRecord.objects.filter(at__lt=recent).exists()


def test_no_future_and_no_start_after_today(family):
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(Refusal) as refused:
        actions.start_plan(family.actor, family.household.pk, family.coordinator.pk,
                           started_on=tomorrow, **on_consent(family))
    assert refused.value.field == "started_on"
    with pytest.raises(ValueError):
        moment(timezone.now() + timedelta(hours=1))
    with pytest.raises(ValueError):
        moment(datetime(2025, 1, 1, 10))  # noqa: DTZ001 - naive on purpose


def test_an_evaluation_cannot_lie_after_the_moment_it_was_recorded(family):
    start = timezone.localdate() - timedelta(days=100)
    plan = actions.start_plan(family.actor, family.household.pk, family.coordinator.pk,
                              started_on=start, at=at(start), **on_consent(family))
    goal = actions.add_goal(family.actor, plan.pk, title="Doel", person_ids=[family.child.pk],
                            levels=LEVELS, at=at(start))
    with pytest.raises(Refusal) as refused:
        actions.record_evaluation(family.actor, plan.pk, on=start + timedelta(days=20),
                                  scores=[(goal.pk, 0)], at=at(start + timedelta(days=10)))
    assert refused.value.field == "date"


def test_a_product_code_added_in_the_past(municipality, functional_admin):
    from tests import factories as f

    moment_ = at(timezone.localdate() - timedelta(days=700))
    actions.add_product_code(f.professional_actor(functional_admin), municipality.code,
                             code="ambulant", label="Ambulante jeugdhulp", at=moment_)
    assert ChainEvent.objects.get(activity="product_code.added").at == moment_
