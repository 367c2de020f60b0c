"""Insight (issue 12): the chain's figures per area (a municipality, district or
neighbourhood), never a person, and the municipality's publication settings.

The target names the area (`object_id`) and the municipality it lies in (`scope`, a
`Scope` whose `municipality_id` the caller found in the registry; an unknown area has
none). Who reads the figures of an area: the municipal analyst and the coordinator of the
municipality itself (an organisation of kind municipality), and its front-door team (the
municipality or one of its neighbourhood teams), each only for an area of their own
municipality. Only the municipal analyst (of the municipality itself) reads and changes
the publication settings. Nobody else: not the privacy officer, not an administrator, not
a professional of another organisation. Pure: every look-up goes through `facts`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from jeugdketen.access.policy.base import Actor, Decision
from jeugdketen.access.policy.target import Target
from jeugdketen.core.vocabulary import Action, Data, Ground, Role

from .common import Rule, front_door_of

if TYPE_CHECKING:
    from jeugdketen.access.policy.facts import Facts

# The ground of the municipality's own staff (analyst, coordinator) for its figures.
OVERSIGHT = Ground.INSIGHT
MUNICIPALITY_KIND = "municipality"  # registry.OrganisationKind.MUNICIPALITY
ANALYST = Role.MUNICIPAL_ANALYST.value
COORDINATOR = Role.COORDINATOR.value


def _municipality(target: Target) -> str:
    scope = target.scope
    return (scope.municipality_id or "") if scope is not None else ""


def _of_the_municipality(actor: Actor, municipality_id: str, facts: Facts) -> bool:
    """A professional of the municipality itself (an organisation of kind municipality)
    whose municipality is the area's."""
    if actor.professional is None or not municipality_id:
        return False
    if facts.actor_organisation_kind() != MUNICIPALITY_KIND:
        return False
    own = facts.actor_municipality()
    return own is not None and own == municipality_id


def insight(actor: Actor, action: Action, target: Target, facts: Facts) -> Decision:
    """The figures of an area: read only."""
    municipality = _municipality(target)
    if action is not Action.READ:
        return Decision.deny(f"{action} of insight figures is not allowed")
    if not municipality:
        return Decision.deny("no such area")
    if front_door_of(actor, municipality, facts):
        return Decision(True, Ground.FRONT_DOOR, Role.FRONT_DOOR.value)
    for role in (ANALYST, COORDINATOR):
        if role in actor.roles and _of_the_municipality(actor, municipality, facts):
            return Decision(True, OVERSIGHT, role)
    return Decision.deny("insight figures are the municipality's own: its analyst, its "
                         "coordinator and its front door, for its own areas")


def insight_settings(actor: Actor, action: Action, target: Target, facts: Facts) -> Decision:
    """The municipality's publication settings: its analyst reads and changes them."""
    municipality = _municipality(target)
    if action not in (Action.READ, Action.UPDATE):
        return Decision.deny(f"{action} of the publication settings is not allowed")
    if ANALYST in actor.roles and _of_the_municipality(actor, municipality, facts):
        return Decision(True, OVERSIGHT, ANALYST)
    return Decision.deny("the publication settings are the municipal analyst's")


RULES: dict[Data, Rule] = {
    Data.INSIGHT: insight,
    Data.INSIGHT_SETTINGS: insight_settings,
}
