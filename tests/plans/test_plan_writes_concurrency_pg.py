"""Every write to a family plan, sent eight times at the same moment on PostgreSQL (issue 8,
finding 6: eight parallel "action done" gave four 200s and four chain events).

A change of state happens exactly once, with exactly one chain event; the other requests
get a clear answer (409 naming the rule, or the policy's 403 where the change took the
ground away), never a 500. Additions (a goal, a concern, ...) each happen, every one
counted, and the plan's revision moves once per change: no write is lost.

Real threads with their own connections (tests/parallel.py); PostgreSQL only, like
tests/registry/test_concurrency_pg.py.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from jeugdketen.access.audit import AccessDenied
from jeugdketen.access.models import Consent
from jeugdketen.analysis.models import Analysis
from jeugdketen.chainlog.models import ChainEvent
from jeugdketen.plans import actions
from jeugdketen.plans.models import (
    DEFAULT_PRODUCT_CODE,
    Comment,
    Concern,
    Evaluation,
    Goal,
    Handover,
    Origin,
    Plan,
    PlanAction,
    PlanVersion,
    ProductCode,
    TeamMember,
)
from tests import factories as f
from tests.parallel import N, call_at_once, events, one_wins, post_at_once, statuses
from tests.registry.test_concurrency_pg import committed, pg  # noqa: F401 - fixtures

from .conftest import LEVELS

pytestmark = pytest.mark.postgres


@pytest.fixture
def plan(committed, family):  # noqa: F811
    """An open plan of the family, written straight to the database (how a plan may start
    is another matter), with the single product code a flush removed."""
    ProductCode.objects.get_or_create(code=DEFAULT_PRODUCT_CODE, municipality=None,
                                      defaults={"label": "Jeugdhulp"})
    return Plan.objects.create(
        household=family.household, coordinator=family.coordinator,
        main_organisation=family.team_org, origin=Origin.DIRECT,
        started_on=timezone.localdate() - timedelta(days=30))


def revision(plan: Plan) -> int:
    return Plan.objects.values_list("revision", flat=True).get(pk=plan.pk)


def of_plan(plan: Plan) -> dict[str, str]:
    return {"trajectory_key": str(plan.pk)}


def school_joins_on_consent(family) -> None:
    """The family's consent for the school, for every member, given for the family's open
    plan (written straight away)."""
    plan = Plan.objects.get(household=family.household, status="open")
    for person in family.members:
        consent = Consent.objects.create(
            person=person, plan=plan, organisation=family.school, valid_from=timezone.localdate(),
            categories=["base_data", "analysis", "plan", "evaluations"],
            recorded_by=family.coordinator.user)
        consent.given_by.set([family.parent])


def _action(plan, family) -> PlanAction:
    return actions.add_action(family.actor, plan.pk, description="Huiswerkbegeleiding",
                              organisation_id=family.team_org.pk,
                              due_on=timezone.localdate() + timedelta(days=14),
                              performer_professional_id=family.coordinator.pk,
                              budget_eur="250")


def _goal(plan, family) -> Goal:
    return actions.add_goal(family.actor, plan.pk, title="Noor gaat naar school",
                            person_ids=[family.child.pk], levels=LEVELS)


# --- changes of state: exactly once ------------------------------------------------------


def test_an_action_is_done_once_and_its_costs_counted_once(plan, family):
    """The finding itself: eight parallel POST .../done."""
    item = _action(plan, family)
    before = revision(plan)

    results = post_at_once(family.coordinator, f"/plans/{plan.pk}/actions/{item.pk}/done",
                           {"spent_eur": "240.00"})

    one_wins(results, 200, 409, "action_done")
    assert events("plan_action.done", **of_plan(plan)) == 1
    item.refresh_from_db()
    assert item.done_on == timezone.localdate() and str(item.spent_eur) == "240.00"
    assert revision(plan) == before + 1


def test_a_team_member_leaves_once(plan, family):
    school_joins_on_consent(family)
    member = actions.add_team_member(family.actor, plan.pk, role="intern begeleider",
                                     professional_id=family.teacher.pk)
    before = revision(plan)

    results = call_at_once(lambda: actions.remove_team_member(family.actor, member.pk))

    # Leaving is idempotent: every request sees the member gone; one of them did it.
    assert all(isinstance(r, TeamMember) and r.left_at is not None for r in results), results
    assert events("team.left", **of_plan(plan)) == 1
    member.refresh_from_db()
    assert member.left_at is not None
    assert revision(plan) == before + 1


def test_a_concern_is_removed_once(plan, family):
    concern = actions.add_concern(family.actor, plan.pk, text="Schulden", priority=1)
    before = revision(plan)

    results = call_at_once(lambda: actions.remove_concern(family.actor, concern.pk))

    # A request that read the concern before the first removal committed waits for the
    # plan's lock and then finds it gone: it changes nothing and answers None. A request
    # that starts after that commit (a slow thread on a busy machine) finds no concern and
    # gets what a second removal one after the other gets: a denial, as for a record that
    # does not exist. Either way exactly one removal happened (below).
    assert set(results) <= {None, ("denied",)} and None in results, results
    assert not Concern.objects.filter(pk=concern.pk).exists()
    assert events("plan.updated", attributes__part="concern_removed", **of_plan(plan)) == 1
    assert revision(plan) == before + 1
    with pytest.raises(AccessDenied):  # the answer of a removal after the fact
        actions.remove_concern(family.actor, concern.pk)


def test_a_professional_joins_the_team_once(plan, family):
    school_joins_on_consent(family)

    results = post_at_once(family.coordinator, f"/plans/{plan.pk}/team",
                           {"professional_id": family.teacher.pk, "role": "intern begeleider"})

    one_wins(results, 201, 409, "already_in_team")
    assert TeamMember.objects.filter(plan=plan, professional=family.teacher).count() == 1
    assert events("team.joined", **of_plan(plan)) == 1


def test_a_version_is_saved_once(plan, family):
    _goal(plan, family)

    results = post_at_once(family.coordinator, f"/plans/{plan.pk}/versions")

    # Saving what is already saved answers the same version (idempotent).
    assert results == [(201, {"number": 1})] * N
    assert PlanVersion.objects.filter(plan=plan).count() == 1
    assert events("plan.version_saved", **of_plan(plan)) == 1


def test_a_version_is_approved_once(plan, family):
    _goal(plan, family)
    actions.save_version(family.actor, plan.pk)

    results = post_at_once(family.coordinator, f"/plans/{plan.pk}/versions/1/approve",
                           {"how": "in_person"})

    one_wins(results, 200, 409, "already_approved")
    assert events("plan.approved", **of_plan(plan)) == 1


def test_a_plan_is_closed_once(plan, family):
    _action(plan, family)

    results = post_at_once(family.coordinator, f"/plans/{plan.pk}/close", {
        "reason_code": "01", "can_continue_without_help": True, "satisfaction": 8})

    # The first closes it; a closed plan is not changed: the policy refuses the others
    # (and logs them as denied).
    one_wins(results, 200, 403)
    assert events("plan.closed", **of_plan(plan)) == 1
    plan.refresh_from_db()
    assert plan.status == "closed"


def test_a_plan_is_handed_over_once(plan, family):
    successor = f.ProfessionalFactory(organisation=family.team_org, roles=["coordinator"])

    results = call_at_once(lambda: actions.hand_over(
        family.actor, plan.pk, to_professional_id=successor.pk, on=None,
        reason="Rita gaat met verlof; Sam neemt het over."))

    # The first hands over; the old coordinator then has no ground left for the others.
    assert sorted(map(str, results)).count("('denied',)") == N - 1, results
    assert Handover.objects.filter(plan=plan).count() == 1
    assert events("plan.handed_over", **of_plan(plan)) == 1
    plan.refresh_from_db()
    assert plan.coordinator_id == successor.pk


def test_a_product_code_is_added_once(committed, family):  # noqa: F811
    admin = f.ProfessionalFactory(organisation=family.team_org, roles=["functional_admin"])
    municipality = family.team_org.municipality

    results = post_at_once(admin, f"/municipalities/{municipality.code}/product-codes",
                           {"code": "ambulant", "label": "Ambulante jeugdhulp"})

    one_wins(results, 201, 409, "product_code_exists")
    assert ProductCode.objects.filter(code="ambulant").count() == 1
    assert events("product_code.added") == 1


# --- additions: every one happens, none is lost ----------------------------------------


def test_parallel_goals_actions_and_evaluations_are_all_kept(plan, family):
    before = revision(plan)
    goal_body = {"title": "Noor gaat naar school", "person_ids": [str(family.child.pk)],
                 "levels": LEVELS}
    assert statuses(post_at_once(family.coordinator, f"/plans/{plan.pk}/goals",
                                 goal_body)) == [201] * N
    action_body = {"description": "Huiswerkbegeleiding", "organisation_id": family.team_org.pk,
                   "due_on": (timezone.localdate() + timedelta(days=7)).isoformat(),
                   "performer": {"professional_id": family.coordinator.pk},
                   "budget_eur": "100.00"}
    assert statuses(post_at_once(family.coordinator, f"/plans/{plan.pk}/actions",
                                 action_body)) == [201] * N
    scores = [{"goal_id": g.pk, "score": 0} for g in Goal.objects.filter(plan=plan)]
    assert statuses(post_at_once(family.coordinator, f"/plans/{plan.pk}/evaluations", {
        "date": timezone.localdate().isoformat(), "scores": scores})) == [201] * N

    assert Goal.objects.filter(plan=plan).count() == N
    assert PlanAction.objects.filter(plan=plan).count() == N
    assert Evaluation.objects.filter(plan=plan).count() == N
    for activity in ("goal.set", "plan_action.planned", "evaluation.recorded"):
        assert events(activity, **of_plan(plan)) == N, activity
    assert revision(plan) == before + 3 * N


def test_parallel_concerns_network_members_and_comments_are_all_kept(plan, family):
    before = revision(plan)
    call_at_once(lambda: actions.add_concern(family.actor, plan.pk, text="Schulden",
                                             priority=2))
    assert statuses(post_at_once(family.coordinator, f"/plans/{plan.pk}/team", {
        "role": "haalt Noor op", "related_person": {"name": "Oma Fien",
                                                     "relation": "grootmoeder"}})) == [201] * N
    call_at_once(lambda: actions.add_comment(family.actor, plan.pk, text="Afspraak dinsdag"))

    assert Concern.objects.filter(plan=plan).count() == N
    assert TeamMember.objects.filter(plan=plan, related_person__isnull=False).count() == N
    assert Comment.objects.filter(plan=plan).count() == N
    assert events("plan.updated", attributes__part="concern", **of_plan(plan)) == N
    assert events("team.joined", **of_plan(plan)) == N
    assert events("plan.commented", **of_plan(plan)) == N
    assert revision(plan) == before + 2 * N  # a comment does not change the plan itself


def test_parallel_analyses_are_all_kept_and_numbered(plan, family):
    body = {"made_on": timezone.localdate().isoformat(),
            "scores": [{"person_id": str(family.parent.pk), "domain": "finances",
                        "professional_score": 2, "family_score": 3}]}

    assert statuses(post_at_once(family.coordinator, f"/plans/{plan.pk}/analyses",
                                 body)) == [201] * N

    assert Analysis.objects.filter(plan=plan).count() == N
    numbers = sorted(e.attributes["number"] for e in ChainEvent.objects.filter(
        activity="analysis.recorded", **of_plan(plan)))
    assert numbers == list(range(1, N + 1))  # counted under the plan's lock: 1..N, no twins
