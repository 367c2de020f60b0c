"""The what-if simulation (issue 13): runs of a municipality's front-door simulation,
calibrated on its insight figures (no person in a run: aggregates only).

The target's `scope` names the run's municipality. The municipal analyst of the
municipality itself (an organisation of kind municipality) starts runs and reads them;
its coordinator reads them. Nobody else: not the front door, not another municipality's
analyst, not an administrator. Pure: every look-up goes through `facts`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from jeugdketen.access.policy.base import Actor, Decision
from jeugdketen.access.policy.target import Target
from jeugdketen.core.vocabulary import Action, Data, Ground, Role

from .common import Rule

if TYPE_CHECKING:
    from jeugdketen.access.policy.facts import Facts

MUNICIPALITY_KIND = "municipality"  # registry.OrganisationKind.MUNICIPALITY
ANALYST = Role.MUNICIPAL_ANALYST.value
COORDINATOR = Role.COORDINATOR.value


def _own(actor: Actor, target: Target, facts: Facts) -> bool:
    municipality = (target.scope.municipality_id or "") if target.scope is not None else ""
    if actor.professional is None or not municipality:
        return False
    if facts.actor_organisation_kind() != MUNICIPALITY_KIND:
        return False
    return facts.actor_municipality() == municipality


def simulation(actor: Actor, action: Action, target: Target, facts: Facts) -> Decision:
    """Create: the municipality's analyst. Read: its analyst and its coordinator."""
    if action not in (Action.READ, Action.CREATE):
        return Decision.deny(f"{action} of a simulation run is not allowed")
    roles = (ANALYST,) if action is Action.CREATE else (ANALYST, COORDINATOR)
    for role in roles:
        if role in actor.roles and _own(actor, target, facts):
            return Decision(True, Ground.INSIGHT, role)
    return Decision.deny("simulation runs are the municipality's own: its analyst runs "
                         "them, its analyst and coordinator read them")


RULES: dict[Data, Rule] = {
    Data.SIMULATION: simulation,
}
