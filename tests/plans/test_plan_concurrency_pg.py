"""Real concurrency on PostgreSQL for the family plan: "one family, one plan" holds when
two professionals start a plan for the same household at the same moment, and two tabs
saving the plan's sections from the same revision never lose a write silently.

Like tests/registry/test_concurrency_pg.py (whose `pg`/`committed` fixtures and thread helper these
use): committed data, real threads with their own connections, PostgreSQL only.
"""

from __future__ import annotations

import pytest
from django.utils import timezone

from jeugdketen.access.models import AccessLogRecord
from jeugdketen.chainlog.models import ChainEvent
from jeugdketen.core.errors import Refusal
from jeugdketen.plans import actions
from jeugdketen.plans.models import Plan
from tests import factories as f
from tests.registry.test_concurrency_pg import committed, in_threads, pg  # noqa: F401 - fixtures

pytestmark = pytest.mark.postgres

ROUNDS = 5


def _family(organisation):
    """A household of three entered by two coordinators of a team that may coordinate."""
    organisation.may_coordinate = True
    organisation.save(update_fields=["may_coordinate"])
    coordinators = [f.ProfessionalFactory(organisation=organisation, roles=["coordinator"])
                    for _ in range(2)]
    parent = f.PersonFactory(birth_date=f.birth_date_for_age(41))
    kids = [f.PersonFactory(birth_date=f.birth_date_for_age(age)) for age in (7, 13)]
    household = f.make_household(parents=[parent], children=kids)
    for person in (parent, *kids):
        for coordinator in coordinators:
            f.RegistrationFactory(person=person, professional=coordinator)
    return household, coordinators


def _givers(household):
    """The family's consent: the parent, and the child of 13 together with the parent."""
    from jeugdketen.registry.models import Person

    return [str(p.pk) for p in Person.objects.filter(memberships__household=household)
            if p.age_on(timezone.localdate()) >= 12]


def test_simultaneous_starts_give_exactly_one_plan(committed):  # noqa: F811
    for _ in range(ROUNDS):
        household, coordinators = _family(committed)
        givers = _givers(household)

        def start(i: int, household=household, coordinators=coordinators):
            try:
                plan = actions.start_plan(f.professional_actor(coordinators[i]), household.pk,
                                          coordinators[i].pk, consent_given_by=givers)
            except Refusal as refused:
                return ("refused", refused.rule, refused.status, refused.field,
                        refused.existing.get("id"))
            return ("started", str(plan.pk))

        results = in_threads(2, start)

        plans = list(Plan.objects.filter(household=household))
        assert len(plans) == 1, results
        the_plan = str(plans[0].pk)
        assert sorted(r[0] for r in results) == ["refused", "started"], results
        assert ("started", the_plan) in results
        # The other one gets the API's 409; the open plan is named only to someone who may
        # read it, which the other coordinator may not.
        assert ("refused", "open_plan_exists", 409, "household_id", None) in results
        # One trajectory in the chain event log, one start in the access log per member,
        # and the refused attempt logged as refused for each member (issue 8, finding 9).
        assert ChainEvent.objects.filter(activity="plan.started",
                                         trajectory_key=the_plan).count() == 1
        logged = AccessLogRecord.objects.filter(data="plan", action="create",
                                                object_id=str(household.pk))
        assert logged.filter(outcome="allowed").count() == 3
        assert logged.filter(outcome="refused", reason="open_plan_exists").count() == 3


def test_two_tabs_saving_the_same_revision_lose_nothing_silently(committed):  # noqa: F811
    household, coordinators = _family(committed)
    coordinator = coordinators[0]
    plan = actions.start_plan(f.professional_actor(coordinator), household.pk, coordinator.pk,
                              consent_given_by=_givers(household))
    for round_ in range(ROUNDS):
        plan.refresh_from_db()
        revision = plan.revision

        def save(i: int, revision=revision, round_=round_):
            try:
                actions.update_sections(
                    f.professional_actor(coordinator), plan.pk, revision=revision,
                    goes_well=f"ronde {round_}, tabblad {i}", own_strength=f"netwerk {i}",
                    support_needed=f"hulp {i}")
            except Refusal as refused:
                return (refused.rule, refused.status, refused.field)
            return "saved"

        results = in_threads(2, save)

        assert sorted(results, key=str) == sorted(
            ["saved", ("plan_changed", 409, "revision")], key=str), results
        winner = results.index("saved")
        plan.refresh_from_db()
        # The winner's text is there in full (no mix of both tabs), the revision moved once.
        assert (plan.goes_well, plan.own_strength, plan.support_needed) == (
            f"ronde {round_}, tabblad {winner}", f"netwerk {winner}", f"hulp {winner}")
        assert plan.revision == revision + 1
    assert ChainEvent.objects.filter(activity="plan.updated",
                                     trajectory_key=str(plan.pk)).count() == ROUNDS
