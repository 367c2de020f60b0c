"""One family, one plan (issue 4): starting a plan, the plan, its care team, approvals,
comments, analyses and evaluations. Pure: every look-up goes through `facts`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from jeugdketen.access.policy.base import (
    CARE_ROLES,
    CATEGORY_OF,
    FRONT_DOOR_ROLE,
    PARENT_SEES_UNTIL_AGE,
    Actor,
    Decision,
    first_role,
)
from jeugdketen.access.policy.target import FamilyConsent, IntakeStart, Target
from jeugdketen.core.vocabulary import Action, Data, Ground

from .common import Rule, citizen_ground, front_door_of, ground_for_all

if TYPE_CHECKING:
    from jeugdketen.access.policy.facts import Facts
    from jeugdketen.registry.models import Person


def joins_on(facts: Facts, organisation_id: int, members: tuple[Person, ...], plan_id: Any,
             *, legal_bases: bool = True) -> Ground | None:
    """The ground an organisation has to be in a plan's care team: consent given for this
    plan, or a legal basis, for every member of the household (see
    `policy.joins_on_ground`)."""
    ids = [str(m.pk) for m in members]
    return ground_for_all(facts.care_grounds(organisation_id, ids, "plan", plan_id,
                                             legal_bases=legal_bases), ids)


def family_member(actor: Actor, target: Target, facts: Facts) -> bool:
    """A parent, custody holder or child of the household (verified in the BRP), from 16,
    co-owns the family's plan, for as long as the BRP still ties them to another member
    (a parent, a custody holder, a child): a guardianship that ended ends it too."""
    me = actor.person
    if (me is None or not me.bsn or target.household is None
            or me.age_on(facts.today) < PARENT_SEES_UNTIL_AGE
            or not any(m.pk == me.pk for m in target.members)):
        return False
    return facts.family_tie(me, target.household, target.members)


def start(actor: Actor, action: Action, target: Target, facts: Facts) -> Decision:
    """Starting a trajectory needs the agreed coordinator of a match about a member, the
    family's consent recorded with the start, or the intake decision of the front door (of
    the report's municipality, with the family's consent recorded with it). Merely having
    entered the family is not enough."""
    care_role = first_role(actor, CARE_ROLES)
    prof = actor.professional
    begin = target.start
    if isinstance(begin, IntakeStart):
        if (begin.given_by and target.members
                and front_door_of(actor, facts.report_municipality(begin.report_id), facts)):
            return Decision(True, Ground.FRONT_DOOR, FRONT_DOOR_ROLE)
        return Decision.deny("a plan from an intake is started by the front door of the "
                             "report's municipality, with the family's consent")
    if isinstance(begin, FamilyConsent):
        if (care_role and begin.given_by and target.members
                and all(facts.registered(m) for m in target.members)):
            return Decision(True, Ground.CONSENT, care_role)
        return Decision.deny("a plan on the family's consent is started by a professional who "
                             "entered every member")
    if begin is not None:  # a match
        # A match is never hung on a plan by someone outside it (its existence is not
        # theirs to learn), and only an agreed (coordinated) match counts, for the household
        # of a youth the coordinator signalled themselves: an address match never makes
        # anyone the coordinator of the neighbours' family.
        if (care_role and prof is not None and begin.coordinator_id == prof.pk
                and begin.status == "coordinated"
                and facts.signalled_member(begin, target.members)):
            return Decision(True, Ground.MATCH, care_role)
        return Decision.deny("a plan is started from a match by its agreed coordinator")
    return Decision.deny("a plan starts from a match's agreed coordinator, with the "
                         "family's consent or from the front door's intake")


def plan_data(actor: Actor, action: Action, target: Target, facts: Facts) -> Decision:
    data = target.data
    if data is Data.PLAN and action is Action.CREATE:
        return start(actor, action, target, facts)
    care_role = first_role(actor, CARE_ROLES)
    plan = target.plan
    prof = actor.professional
    if plan is None:
        return Decision.deny("no plan")
    coordinator = care_role and prof is not None and plan.coordinator_id == prof.pk
    writes = action in (Action.CREATE, Action.UPDATE, Action.DELETE)
    if coordinator:
        if writes and not plan.is_open:
            return Decision.deny("a closed plan is not changed")
        if action is not Action.DELETE and action is not Action.EXPORT:
            return Decision(True, Ground.PLAN_COORDINATOR, care_role)
    if data is Data.ANALYSIS:
        person = target.person
        if action in (Action.READ, Action.PRINT) and person is not None:
            citizen = citizen_ground(actor, person, facts)
            if citizen is not None:
                return Decision(True, citizen, "citizen")
            if care_role and prof is not None and facts.on_team(plan):
                ground = facts.care_grounds(prof.organisation_id, [person.pk], "analysis",
                                            plan.pk).get(str(person.pk))
                if ground is not None:
                    return Decision(True, ground, care_role)
        return Decision.deny("an analysis is seen by the coordinator, the person (or parent) "
                             "and team members with consent")
    if (data is Data.TEAM and action is Action.CREATE and care_role and prof is not None
            and plan.is_open and not facts.on_team(plan)):
        # Joining the care team oneself: on one's organisation's consent for this plan, or
        # its legal basis, for every member.
        ground = joins_on(facts, prof.organisation_id, target.members, plan.pk)
        if ground is not None:
            return Decision(True, ground, care_role)
        return Decision.deny("no consent for this plan or legal basis for every member")
    if family_member(actor, target, facts):
        if action in (Action.READ, Action.PRINT) and data in (Data.PLAN, Data.EVALUATION,
                                                                Data.TEAM):
            return Decision(True, Ground.FAMILY, "citizen")
        if data in (Data.APPROVAL, Data.COMMENT) and action is Action.CREATE and plan.is_open:
            return Decision(True, Ground.FAMILY, "citizen")
    if care_role and prof is not None and facts.on_team(plan):
        reading = action in (Action.READ, Action.PRINT) and data in (
            Data.PLAN, Data.EVALUATION, Data.TEAM)
        commenting = data is Data.COMMENT and action is Action.CREATE and plan.is_open
        if reading or commenting:
            ids = [str(m.pk) for m in target.members]
            ground = ground_for_all(
                facts.care_grounds(prof.organisation_id, ids, CATEGORY_OF[data], plan.pk), ids)
            if ground is not None:
                return Decision(True, ground, care_role)
            return Decision.deny(f"no consent or legal basis for '{CATEGORY_OF[data]}' "
                                 "for every member of the household")
    return Decision.deny("the plan is the family's: its coordinator, its care team with "
                         "consent and the family itself")


RULES: dict[Data, Rule] = {
    Data.PLAN: plan_data,
    Data.TEAM: plan_data,
    Data.APPROVAL: plan_data,
    Data.COMMENT: plan_data,
    Data.ANALYSIS: plan_data,
    Data.EVALUATION: plan_data,
}
