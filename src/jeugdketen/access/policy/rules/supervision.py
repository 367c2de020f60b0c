"""Supervision: the access log (NEN 7513), break-the-glass review and rights requests, for
the privacy officer of the person's municipality (and the access log for the person).
Pure: every look-up goes through `facts`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from jeugdketen.access.policy.base import Actor, Decision
from jeugdketen.access.policy.target import Target
from jeugdketen.core.vocabulary import Action, Data, Ground

from .common import Rule, citizen_ground, supervises

if TYPE_CHECKING:
    from jeugdketen.access.policy.facts import Facts


def access_log(actor: Actor, action: Action, target: Target, facts: Facts) -> Decision:
    person = target.person
    if action in (Action.READ, Action.EXPORT, Action.PRINT) and person is not None:
        if supervises(actor, person, facts):
            return Decision(True, Ground.PRIVACY_SUPERVISION, "privacy_officer")
        citizen = citizen_ground(actor, person, facts)
        if citizen is not None and action is not Action.EXPORT:
            return Decision(True, citizen, "citizen")
    return Decision.deny("access logs are for the privacy officer and the person")


def break_glass(actor: Actor, action: Action, target: Target, facts: Facts) -> Decision:
    # The list is filtered to the officer's municipality by the action; one record
    # (target.scope) must come from an organisation of that municipality.
    scope = target.scope
    own = facts.actor_municipality()
    if (action in (Action.READ, Action.UPDATE) and "privacy_officer" in actor.roles
            and own is not None
            and (scope is None or scope.municipality_id == own)):
        return Decision(True, Ground.PRIVACY_SUPERVISION, "privacy_officer")
    return Decision.deny("break-the-glass review is for the privacy officer of the municipality")


def rights_request(actor: Actor, action: Action, target: Target, facts: Facts) -> Decision:
    if action in (Action.CREATE, Action.READ, Action.UPDATE, Action.EXPORT, Action.PRINT) \
            and supervises(actor, target.person, facts):
        return Decision(True, Ground.PRIVACY_SUPERVISION, "privacy_officer")
    return Decision.deny("rights requests are handled by the privacy officer")


RULES: dict[Data, Rule] = {
    Data.ACCESS_LOG: access_log,
    Data.BREAK_GLASS: break_glass,
    Data.RIGHTS_REQUEST: rights_request,
}
