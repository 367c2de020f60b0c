"""start_plan with its own id, goals and team (issue 11: an intake's outcome starts the plan
with everything the meeting agreed, nothing typed twice). The goals and team members are
written as add_goal and add_team_member write them, with the same chain events."""

from __future__ import annotations

import uuid

import pytest

from jeugdketen.access.models import Consent
from jeugdketen.chainlog.models import ChainEvent
from jeugdketen.core.errors import Refusal
from jeugdketen.plans import actions
from jeugdketen.plans.models import Goal, Plan, TeamMember
from tests.plans.conftest import LEVELS

pytestmark = pytest.mark.django_db


def _start(family, **kw):
    return actions.start_plan(family.actor, family.household.pk, family.coordinator.pk,
                              consent_given_by=[family.parent.pk, family.youth.pk], **kw)


def test_the_plan_gets_the_given_id_goals_and_team(family):
    key = uuid.uuid4()
    plan = _start(family, plan_id=key,
                  goals=[{"title": "Noor gaat drie dagen per week naar school",
                          "person_ids": [family.child.pk], "levels": LEVELS},
                         {"title": "Daan slaapt thuis", "person_ids": [str(family.youth.pk)],
                          "levels": LEVELS, "weight": 2}],
                  team=[{"professional_id": family.teacher.pk, "role": "intern begeleider"}])
    assert plan.pk == key
    assert Plan.objects.get(pk=key).household == family.household
    goals = {g.title: g for g in Goal.objects.filter(plan=plan)}
    assert set(goals) == {"Noor gaat drie dagen per week naar school", "Daan slaapt thuis"}
    assert goals["Daan slaapt thuis"].weight == 2
    assert list(goals["Daan slaapt thuis"].persons.all()) == [family.youth]
    assert goals["Daan slaapt thuis"].levels == LEVELS
    member = TeamMember.objects.get(plan=plan)
    assert (member.professional, member.role) == (family.teacher, "intern begeleider")
    # The family's consent for this plan holds for the team's organisation too.
    assert {c.organisation_id for c in Consent.objects.filter(plan=plan)} == {
        family.team_org.pk, family.school.pk}
    events = list(ChainEvent.objects.filter(trajectory_key=str(key)).order_by("id")
                  .values_list("activity", flat=True))
    assert events == ["plan.started", "team.joined", "goal.set", "goal.set"]


def test_without_goals_and_team_the_start_is_as_before(family):
    plan = _start(family)
    assert not Goal.objects.filter(plan=plan).exists()
    assert not TeamMember.objects.filter(plan=plan).exists()
    assert {c.organisation_id for c in Consent.objects.filter(plan=plan)} == {family.team_org.pk}


@pytest.mark.parametrize(("goal", "field"), [
    ({"title": "", "person_ids": "x", "levels": LEVELS}, "goals[0].title"),
    ({"title": "Naar school", "person_ids": [], "levels": LEVELS}, "goals[0].person_ids"),
    ({"title": "Naar school", "person_ids": None, "levels": LEVELS}, "goals[0].person_ids"),
    ({"title": "Naar school", "person_ids": "child", "levels": {"0": "3 dagen"}},
     "goals[0].levels"),
    ({"title": "Naar school", "person_ids": "child", "levels": LEVELS | {"1": ""}},
     "goals[0].levels.1"),
    ({"title": "Naar school", "person_ids": "child", "levels": LEVELS, "weight": 11},
     "goals[0].weight"),
    ("Naar school", "goals[0]"),
])
def test_a_bad_goal_refuses_the_whole_start_naming_its_field(family, goal, field):
    if isinstance(goal, dict) and goal.get("person_ids") == "child":
        goal = goal | {"person_ids": [family.child.pk]}
    with pytest.raises(Refusal) as refused:
        _start(family, goals=[goal])
    assert refused.value.field == field
    assert not Plan.objects.filter(household=family.household).exists()


def test_a_bad_team_member_refuses_the_whole_start_naming_its_field(family):
    with pytest.raises(Refusal) as refused:
        _start(family, team=[{"professional_id": 999999, "role": "begeleider"}])
    assert refused.value.field == "team[0].professional_id"
    with pytest.raises(Refusal) as refused:
        _start(family, team=[{"professional_id": family.coordinator.pk, "role": "regie"}])
    assert (refused.value.rule, refused.value.field) == ("already_in_team",
                                                         "team[0].professional_id")
    with pytest.raises(Refusal) as refused:
        _start(family, team=[{"professional_id": family.teacher.pk, "role": ""}])
    assert refused.value.field == "team[0].role"
    assert not Plan.objects.filter(household=family.household).exists()


def test_a_plan_id_is_used_once(family):
    key = uuid.uuid4()
    plan = _start(family, plan_id=key)
    Plan.objects.filter(pk=plan.pk).update(status="closed")  # closed: the family may start anew
    with pytest.raises(Refusal) as refused:
        _start(family, plan_id=key)
    assert (refused.value.rule, refused.value.status, refused.value.field) == (
        "plan_started", 409, "plan_id")
    with pytest.raises(Refusal) as refused:
        _start(family, plan_id="not-a-key")
    assert refused.value.field == "plan_id"


def test_an_intake_start_is_the_front_doors(family):
    """A start from a care report (IntakeStart) is the front door's: the coordinator of the
    family cannot start a plan by naming a report."""
    from jeugdketen.access.audit import AccessDenied
    from jeugdketen.access.policy import IntakeStart
    from jeugdketen.intake.actions import reports

    report = reports.report(family.actor, household_id=family.household.pk,
                            question="Het gaat niet goed thuis.", life_domains=["housing"],
                            urgency="regular", unsafe=False, consent_to_share=True)
    givers = (str(family.parent.pk), str(family.youth.pk))
    with pytest.raises(AccessDenied):
        actions.start_plan(family.actor, family.household.pk, family.coordinator.pk,
                           origin="care_report", plan_id=report.trajectory_key,
                           consent_given_by=list(givers),
                           intake=IntakeStart(str(report.pk), givers))
    assert not Plan.objects.exists()
