"""Consent and legal basis. Consent is given for a plan: recorded by that plan's coordinator
on the family's word, or given and withdrawn by the family in their own view; the
coordinator sees the consents of their own plan only. The front door's consent (category
`intake`, issue 11) is given for no plan, per person and organisation: by the family
itself, or recorded (and withdrawn) on the family's word by the front door of the
municipality of a care report about the person. A legal basis is recorded by the
organisation that holds it. The family sees all of theirs; the privacy officer supervises.
Pure: every look-up goes through `facts`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from jeugdketen.access.policy.base import (
    CARE_ROLES,
    FRONT_DOOR_ROLE,
    Actor,
    Decision,
    first_role,
)
from jeugdketen.access.policy.target import Target
from jeugdketen.core.vocabulary import Action, Data, Ground

from .common import Rule, citizen_ground, front_door_of, person_ground, supervises

if TYPE_CHECKING:
    from jeugdketen.access.policy.facts import Facts
    from jeugdketen.plans.models import Plan
    from jeugdketen.registry.models import Person


def _plan_of(target: Target, facts: Facts) -> Plan | None:
    """The plan a consent target is about: the plan itself, or a consent's plan."""
    if target.plan is not None:
        return target.plan
    return facts.plan_of_consent(target.consent) if target.consent is not None else None


def _intake_consent(target: Target) -> bool:
    """Is the target a consent of the front door (category `intake` only, for no plan)?"""
    record = target.consent
    return (target.plan is None and record is not None
            and getattr(record, "plan_id", None) is None
            and list(getattr(record, "categories", None) or []) == ["intake"])


def _front_door_for(actor: Actor, person: Person, facts: Facts, *, open_only: bool) -> bool:
    """The front door of the municipality of a care report about this person (or their
    household): open for recording a consent, any for recording its withdrawal."""
    if FRONT_DOOR_ROLE not in actor.roles or actor.professional is None:
        return False
    return any(front_door_of(actor, code, facts) for code in sorted(
        facts.person_report_municipalities(person, open_only=open_only)))


def consent(actor: Actor, action: Action, target: Target, facts: Facts) -> Decision:
    care_role = first_role(actor, CARE_ROLES)
    person = target.person
    prof = actor.professional
    if person is None:
        return Decision.deny("no person")
    plan = _plan_of(target, facts)
    member = plan is not None and any(m.pk == person.pk for m in target.members)
    coordinates = (bool(care_role) and prof is not None and plan is not None
                   and plan.coordinator_id == prof.pk and member)
    if action in (Action.READ, Action.PRINT):
        citizen = citizen_ground(actor, person, facts)
        if citizen is not None:
            return Decision(True, citizen, "citizen")
        if coordinates:
            return Decision(True, Ground.PLAN_COORDINATOR, care_role)
        if supervises(actor, person, facts):
            return Decision(True, Ground.PRIVACY_SUPERVISION, "privacy_officer")
        return Decision.deny("consent is seen by the family, the plan's coordinator and the "
                             "privacy officer")
    if action not in (Action.CREATE, Action.UPDATE):
        return Decision.deny(f"{action} of consent is not allowed")
    if target.data is Data.LEGAL_BASIS:
        basis = target.legal_basis
        if basis is None or not facts.may_hold(basis):
            return Decision.deny("this organisation cannot hold this legal basis")
        if (prof is not None and basis.organisation_id == prof.organisation_id
                and person_ground(actor, person, facts)):
            return Decision(True, Ground.OWN_ORGANISATION, care_role)
        return Decision.deny("a legal basis is recorded by a professional of the organisation "
                             "that holds it")
    citizen = citizen_ground(actor, person, facts)
    intake = _intake_consent(target)
    if action is Action.UPDATE:
        # Withdrawal: the family (the person from 16, a custody holder under 16) and the
        # coordinator of the plan it was given for; an intake consent the front door of a
        # report about the person too (on the family's word); nobody else.
        if citizen is not None:
            return Decision(True, citizen, "citizen")
        if coordinates:
            return Decision(True, Ground.PLAN_COORDINATOR, care_role)
        if intake and _front_door_for(actor, person, facts, open_only=False):
            return Decision(True, Ground.FRONT_DOOR, FRONT_DOOR_ROLE)
        return Decision.deny("consent is withdrawn by the family or the plan's coordinator")
    if intake:
        # The front door's consent (issue 11): the family gives it in their own view (who
        # must give it together is checked by the action), or the front door of an open
        # report about the person records what the family told it. Never the invited
        # organisation itself.
        if citizen is not None:
            return Decision(True, citizen, "citizen")
        if _front_door_for(actor, person, facts, open_only=True):
            return Decision(True, Ground.FRONT_DOOR, FRONT_DOOR_ROLE)
        return Decision.deny("intake consent is given by the family, or recorded by the front "
                             "door of an open care report about the person")
    if plan is None or not member:
        return Decision.deny("consent is given for a plan of the person's household")
    if coordinates:
        if not plan.is_open:
            return Decision.deny("a closed plan records no consent")
        return Decision(True, Ground.PLAN_COORDINATOR, care_role)
    # The front door records the consent the family gave at the intake (or the triage)
    # with the start of the plan from its report, and only then: once the start has moved
    # the report on (help started), the plan's own coordinator records consent (issue 11).
    if (plan.is_open and plan.origin == "care_report"
            and front_door_of(actor, facts.starting_report_municipality(plan), facts)):
        return Decision(True, Ground.FRONT_DOOR, FRONT_DOOR_ROLE)
    # The person from 16 and a custody holder for a child under 16 give it in their own
    # view (who must give it together is checked by the action).
    if citizen is not None:
        return Decision(True, citizen, "citizen")
    return Decision.deny("consent is given by the family, or recorded by the plan's coordinator")


RULES: dict[Data, Rule] = {
    Data.CONSENT: consent,
    Data.LEGAL_BASIS: consent,
}
