"""The registry: a person's base data, correction proposals (reports back to the BRP) and
households. Pure: every look-up goes through `facts`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from jeugdketen.access.policy.base import (
    CARE_ROLES,
    MIN_EMERGENCY_REASON,
    Actor,
    Decision,
    first_role,
)
from jeugdketen.access.policy.target import Target
from jeugdketen.core.vocabulary import Action, Data, Ground

from .common import (
    Rule,
    citizen_ground,
    manages_data,
    plan_ground_for_household,
    plan_ground_for_person,
)

if TYPE_CHECKING:
    from jeugdketen.access.policy.facts import Facts


def base_data(actor: Actor, action: Action, target: Target, facts: Facts) -> Decision:
    care_role = first_role(actor, CARE_ROLES)
    person = target.person
    if action is Action.CREATE:
        if care_role:
            return Decision(True, Ground.REGISTRATION, care_role)
        return Decision.deny("only professionals and coordinators register persons")
    if person is None:
        return Decision.deny("no person")
    if action in (Action.READ, Action.PRINT):
        citizen = citizen_ground(actor, person, facts)
        if citizen is not None:
            return Decision(True, citizen, "citizen")
        if care_role and facts.registered(person):
            return Decision(True, Ground.REGISTRATION, care_role)
        if care_role:
            plan_ground = plan_ground_for_person(actor, person, "base_data", facts)
            if plan_ground is not None:
                return Decision(True, plan_ground, care_role)
        # A written reason: whitespace around it (or instead of it) does not count.
        reason = (actor.emergency_reason or "").strip()
        if care_role and len(reason) >= MIN_EMERGENCY_REASON:
            return Decision(True, Ground.EMERGENCY, care_role, emergency=True, reason=reason)
        if manages_data(actor, person, facts):
            return Decision(True, Ground.DATA_MANAGEMENT, "functional_admin")
        return Decision.deny("no ground to read this person's base data")
    if action is Action.UPDATE:
        if actor.operator:
            return Decision(True, Ground.BRP, "platform_admin")
        if care_role and facts.registered(person):
            return Decision(True, Ground.REGISTRATION, care_role)
        return Decision.deny("only a professional who registered the person proposes a correction")
    return Decision.deny(f"{action} of base data is not allowed")


def correction(actor: Actor, action: Action, target: Target, facts: Facts) -> Decision:
    person = target.person
    if (action in (Action.READ, Action.UPDATE) and person is not None
            and manages_data(actor, person, facts, open_only=False)):
        return Decision(True, Ground.DATA_MANAGEMENT, "functional_admin")
    return Decision.deny("correction proposals are decided by a functional administrator "
                         "of the person's municipality")


def household(actor: Actor, action: Action, target: Target, facts: Facts) -> Decision:
    care_role = first_role(actor, CARE_ROLES)
    members = target.members
    if action in (Action.CREATE, Action.READ):
        if care_role and members and all(facts.registered(m) for m in members):
            return Decision(True, Ground.REGISTRATION, care_role)
        if action is Action.READ and care_role and target.household is not None:
            plan_ground = plan_ground_for_household(actor, target.household, members, facts)
            if plan_ground is not None:
                return Decision(True, plan_ground, care_role)
        if action is Action.READ and actor.person is not None and any(
            m.pk == actor.person.pk for m in members
        ):
            return Decision(True, Ground.SELF, "citizen")
        return Decision.deny("a household needs a ground for every member")
    return Decision.deny(f"{action} of a household is not allowed")


RULES: dict[Data, Rule] = {
    Data.BASE_DATA: base_data,
    Data.CORRECTION: correction,
    Data.HOUSEHOLD: household,
}
