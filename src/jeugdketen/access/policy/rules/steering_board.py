"""The chain board (issue 13, steer-board): a municipality's short-cycle board (figures
without persons, read from the insight store), its improvement actions and the minutes of
its meetings. None of them holds a person of the chain's families.

The target names the municipality in its `scope` (`Scope.municipality_id`, found by the
caller in the registry; an unknown municipality has none) and the board, action or
minutes as `object_id`. Who:

- reads the board, its actions and its minutes: the same people as insight's figures,
  the municipality's analyst and coordinator (of the municipality itself, an
  organisation of kind municipality) and its front-door team (the municipality or one of
  its neighbourhood teams), each only for their own municipality;
- records and changes improvement actions and minutes (create, update): the analyst and
  the coordinator of the municipality itself. The front-door team owns actions and is in
  the meeting, but does not keep the board's record: one place writes it (decision
  documented in docs/steering.md, "The board").

Nobody else: not the privacy officer, not an administrator, not a provider or a
professional of another municipality; no delete, export or print (the minutes are
append-only once closed). Pure: every look-up goes through `facts`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from jeugdketen.access.policy.base import Actor, Decision
from jeugdketen.access.policy.target import Target
from jeugdketen.core.vocabulary import Action, Data, Ground, Role

from .common import Rule, front_door_of

if TYPE_CHECKING:
    from jeugdketen.access.policy.facts import Facts

MUNICIPALITY_KIND = "municipality"  # registry.OrganisationKind.MUNICIPALITY
WRITERS = (Role.MUNICIPAL_ANALYST.value, Role.COORDINATOR.value)


def _municipality(target: Target) -> str:
    scope = target.scope
    return (scope.municipality_id or "") if scope is not None else ""


def _own_staff(actor: Actor, municipality_id: str, facts: Facts) -> str | None:
    """The analyst or coordinator role of a professional of the municipality itself whose
    municipality is the target's (None when neither)."""
    if actor.professional is None or not municipality_id:
        return None
    if facts.actor_organisation_kind() != MUNICIPALITY_KIND:
        return None
    if facts.actor_municipality() != municipality_id:
        return None
    return next((role for role in WRITERS if role in actor.roles), None)


def _read(actor: Actor, municipality: str, facts: Facts) -> Decision | None:
    if front_door_of(actor, municipality, facts):
        return Decision(True, Ground.FRONT_DOOR, Role.FRONT_DOOR.value)
    role = _own_staff(actor, municipality, facts)
    if role is not None:
        return Decision(True, Ground.INSIGHT, role)
    return None


def board(actor: Actor, action: Action, target: Target, facts: Facts) -> Decision:
    """The board's figures: read only."""
    municipality = _municipality(target)
    if action is not Action.READ:
        return Decision.deny(f"{action} of the chain board is not allowed")
    if not municipality:
        return Decision.deny("no such municipality")
    return _read(actor, municipality, facts) or Decision.deny(
        "the chain board is the municipality's own: its analyst, its coordinator and its "
        "front door")


def record(actor: Actor, action: Action, target: Target, facts: Facts) -> Decision:
    """An improvement action or the minutes: read as the board; created and updated by
    the municipality's analyst and coordinator."""
    municipality = _municipality(target)
    if not municipality:
        return Decision.deny("no such municipality")
    if action is Action.READ:
        return _read(actor, municipality, facts) or Decision.deny(
            "the chain board is the municipality's own: its analyst, its coordinator and "
            "its front door")
    if action in (Action.CREATE, Action.UPDATE):
        role = _own_staff(actor, municipality, facts)
        if role is not None:
            return Decision(True, Ground.INSIGHT, role)
        return Decision.deny("the board's actions and minutes are kept by the municipality's "
                             "analyst and coordinator")
    return Decision.deny(f"{action} of the chain board's records is not allowed")


RULES: dict[Data, Rule] = {
    Data.STEERING_BOARD: board,
    Data.STEERING_ACTION: record,
    Data.STEERING_MINUTES: record,
}
