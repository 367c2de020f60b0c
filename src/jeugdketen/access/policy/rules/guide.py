"""The guide: decision-aid sessions stay in the professional's own organisation.
Pure: every look-up goes through `facts`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from jeugdketen.access.policy.base import CARE_ROLES, Actor, Decision, first_role
from jeugdketen.access.policy.target import Target
from jeugdketen.core.vocabulary import Action, Data, Ground

from .common import Rule

if TYPE_CHECKING:
    from jeugdketen.access.policy.facts import Facts


def guide_session(actor: Actor, action: Action, target: Target, facts: Facts) -> Decision:
    care_role = first_role(actor, CARE_ROLES)
    own_session = actor.professional is not None and (
        target.session is None
        or target.session.organisation_id == actor.professional.organisation_id)
    if care_role and action in (Action.CREATE, Action.READ, Action.PRINT) and own_session:
        if target.person is not None and not facts.registered(target.person):
            return Decision.deny("a decision aid about a person needs a ground for that person")
        return Decision(True, Ground.OWN_ORGANISATION, care_role)
    return Decision.deny("decision-aid answers stay in the professional's own organisation")


RULES: dict[Data, Rule] = {Data.GUIDE_SESSION: guide_session}
