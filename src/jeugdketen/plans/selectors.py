"""Reads of plans for the plan actions, the pages and other apps (analysis, the reference
index, the web shell): looking a plan up for an action, its members, the policy's target,
and the ids and choices the pages offer. Nothing here writes; whatever is shown of a family
is read through the logged reads in plans.actions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q

from jeugdketen.access import audit
from jeugdketen.access.policy import Action, Actor, Data, Target, decide
from jeugdketen.plans.models import Plan, PlanStatus, ProductCode, TeamMember
from jeugdketen.registry.models import (
    Household,
    HouseholdMember,
    Organisation,
    Person,
    Professional,
)


def members_of(household: Household) -> tuple[Person, ...]:
    """The household's members, oldest first."""
    return tuple(Person.objects.filter(memberships__household=household)
                 .select_related("neighbourhood").order_by("birth_date", "id"))


def target(plan: Plan, members: tuple[Person, ...], data: Data = Data.PLAN,
           person: Person | None = None) -> Target:
    """What the access policy is asked about: `data` of this plan (for one `person`)."""
    return Target(data, person=person, household=plan.household, members=members,
                  object_id=str(plan.pk), record=plan)


def plan_for(actor: Actor, plan_id: Any, action: Action, data: Data = Data.PLAN, *,
             lock: bool = False) -> tuple[Plan, tuple[Person, ...]]:
    """The plan an action is about, with the members of its household; an unknown id is
    refused (and logged) as a forbidden one. With `lock`, the plan row is locked for the
    change (SELECT ... FOR UPDATE)."""
    qs = Plan.objects.select_related("household", "coordinator__organisation",
                                     "main_organisation")
    if lock:
        qs = qs.select_for_update(of=("self",))
    plan = audit.get_or_deny(actor, action, data, qs, plan_id, "plan")
    return plan, members_of(plan.household)


def professional_of(actor: Actor) -> Professional:
    """The professional behind an actor the policy let change a plan (the coordinator)."""
    if actor.professional is None:
        raise TypeError("only a professional changes a plan")
    return actor.professional


def team_professionals(plan: Plan) -> set[int]:
    return set(TeamMember.objects.filter(plan=plan, left_at__isnull=True,
                                         professional__isnull=False)
               .values_list("professional_id", flat=True))


def product_codes(plan: Plan) -> list[ProductCode]:
    municipality = plan.main_organisation.municipality_id
    return list(ProductCode.objects.filter(Q(municipality__isnull=True)
                                           | Q(municipality_id=municipality), active=True)
                .order_by("code"))


def plans_to_join(actor: Actor, person: Person) -> list[Plan]:
    """The open plans of the person's households that the actor may join themselves (asks
    the policy only; a plan is named only to someone who may join it)."""
    found = []
    for plan in (Plan.objects.filter(household__members__person=person, status=PlanStatus.OPEN)
                 .select_related("household", "coordinator__organisation").distinct()):
        if decide(actor, Action.CREATE, target(plan, members_of(plan.household),
                                               Data.TEAM)).allowed:
            found.append(plan)
    return found


# A plan is evaluated at least this often: after this many days without an evaluation (or
# since the start) the coordinator's worklist says the evaluation is due.
EVALUATION_INTERVAL_DAYS = 91


def evaluation_due_on(plan: Plan, last_evaluation: date | None) -> date:
    """The day the plan is due for an evaluation, after the last one (or its start)."""
    return (last_evaluation or plan.started_on) + timedelta(days=EVALUATION_INTERVAL_DAYS)


def plans_of_query(actor: Actor, where: Any = None) -> Any:
    """The plans this professional coordinates or is in the team of, narrowed by a search
    `where` (a Q on the plan): a query only, for counting a page of plans_of."""
    prof = actor.professional
    if prof is None:
        return Plan.objects.none()
    qs = Plan.objects.filter(Q(coordinator=prof) | Q(team__professional=prof,
                                                      team__left_at__isnull=True))
    if where is not None:
        qs = qs.filter(pk__in=Plan.objects.filter(where).values("pk"))
    return qs.distinct()


# --- for the coordinator's pages --------------------------------------------------------
# Lookups that find ids and choices for the web pages. Nothing here is a client's personal
# data; whatever the pages then show of a family is read through plans.actions (logged).

CARE_ROLE_NAMES = ("professional", "coordinator")


def open_plan_of(household_id: Any) -> Plan | None:
    """The household's open plan (at most one), or None."""
    try:
        return (Plan.objects.filter(household_id=household_id, status=PlanStatus.OPEN)
                .select_related("household").first())
    except (ValueError, TypeError, ValidationError):
        return None


def match_for_policy(match_id: Any) -> Any:
    """A match to ask the policy about (never shown), or None."""
    from jeugdketen.referral_index.models import Match

    try:
        return Match.objects.filter(pk=int(match_id)).first()
    except (ValueError, TypeError):
        return None


def professionals_in(municipality_id: Any, *, coordinating: bool = False,
                     limit: int = 1000) -> list[Professional]:
    """Care professionals of the organisations of a municipality (for a team or a
    coordinator to choose from); with `coordinating`, only of organisations that may
    coordinate."""
    qs = Professional.objects.filter(organisation__municipality_id=municipality_id)
    if coordinating:
        qs = qs.filter(organisation__may_coordinate=True)
    found = qs.select_related("organisation").order_by("organisation__name", "full_name", "pk")
    return [p for p in found[:limit] if any(r in CARE_ROLE_NAMES for r in p.roles)]


def organisations_in(municipality_id: Any) -> list[Organisation]:
    return list(Organisation.objects.filter(municipality_id=municipality_id).order_by("name"))


@dataclass
class HouseholdPlan:
    """What the household page offers: the open plan, if the actor may open it, and
    whether the actor may start one."""

    open_plan_id: Any = None
    may_read: bool = False
    may_start: bool = False


def household_plan(actor: Actor, household_id: Any, members: tuple[Person, ...]
                   ) -> HouseholdPlan:
    """Asks the policy only: nothing is read for display here. An open plan is mentioned
    only to someone who may read it; a professional who could start one is offered the
    start on the family's consent."""
    from jeugdketen.access.policy import FamilyConsent

    plan = open_plan_of(household_id)
    if plan is not None:
        if decide(actor, Action.READ, target(plan, members)).allowed:
            return HouseholdPlan(open_plan_id=plan.pk, may_read=True)
        return HouseholdPlan()
    may_start = decide(actor, Action.CREATE, Target(
        Data.PLAN, household=Household(pk=household_id), members=members,
        object_id=str(household_id), record=FamilyConsent(("?",)))).allowed
    return HouseholdPlan(may_start=may_start)


@dataclass
class MatchHousehold:
    household_id: Any
    size: int
    open_plan_id: Any = None
    may_read: bool = False


def households_for_match(actor: Actor, match: Any) -> list[MatchHousehold]:
    """For the agreed coordinator of a match: the households of the youth in the match's
    signals, for which the policy lets the actor start a plan from this match."""
    from jeugdketen.referral_index.models import MatchStatus

    prof = actor.professional
    if prof is None or match.status != MatchStatus.COORDINATED or match.coordinator_id != prof.pk:
        return []
    rows = list(HouseholdMember.objects.filter(
        household__members__person__in=match.signals.values("person_id"))
        .select_related("person").distinct().order_by("household_id", "person__birth_date"))
    by_household: dict[Any, list[Person]] = {}
    for row in rows:
        by_household.setdefault(row.household_id, []).append(row.person)
    open_plans = {p.household_id: p for p in Plan.objects.filter(
        household_id__in=list(by_household), status=PlanStatus.OPEN)}
    found = []
    for household_id, persons in by_household.items():
        members = tuple(persons)
        if not decide(actor, Action.CREATE, Target(
                Data.PLAN, household=Household(pk=household_id), members=members,
                object_id=str(household_id), record=match)).allowed:
            continue
        plan = open_plans.get(household_id)
        found.append(MatchHousehold(
            household_id, len(members), plan.pk if plan else None,
            plan is not None and decide(actor, Action.READ, target(plan, members)).allowed))
    return found


def waiting_versions(plans: list[Any]) -> dict[Any, Any]:
    """Per open plan: its newest version when that still waits for approval."""
    from jeugdketen.plans.models import PlanVersion

    open_ids = [p.pk for p in plans if p.is_open]
    newest: dict[Any, Any] = {}
    for version in PlanVersion.objects.filter(plan_id__in=open_ids).order_by("plan_id", "number"):
        newest[version.plan_id] = version
    return {pid: v for pid, v in newest.items() if v.approved_at is None}
