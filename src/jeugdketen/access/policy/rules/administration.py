"""Administration: organisations and professionals (accounts), and the decision aids.
Pure: every look-up goes through `facts`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from jeugdketen.access.policy.base import (
    ADMIN_ROLES,
    PRIVILEGED_ROLES,
    STATUTORY_KINDS,
    Actor,
    Decision,
    first_role,
)
from jeugdketen.access.policy.target import Scope, Target
from jeugdketen.core.vocabulary import Action, Data, Ground

from .common import Rule

if TYPE_CHECKING:
    from jeugdketen.access.policy.facts import Facts


def organisations_and_professionals(actor: Actor, action: Action, target: Target,
                                    facts: Facts) -> Decision:
    if action not in (Action.CREATE, Action.READ, Action.UPDATE) \
            or not first_role(actor, ADMIN_ROLES):
        return Decision.deny("organisations and professionals are managed by administrators")
    if "platform_admin" in actor.roles:
        return Decision(True, Ground.ADMINISTRATION, "platform_admin")
    # A functional administrator: only within their own municipality, and never handing
    # out the privileged roles (or a token for someone else, which skips 2FA).
    # Nor changing what an organisation is, or setting up one that holds statutory
    # grounds (Veilig Thuis, a certified institution): a kind decides which legal
    # bases it can record, so a school turned Veilig Thuis could join any family's plan.
    scope = target.scope or Scope()
    own = facts.actor_municipality()
    if (own is not None and scope.municipality_id == own
            and not PRIVILEGED_ROLES & set(scope.roles)
            and not scope.kind_change
            and scope.new_kind not in STATUTORY_KINDS):
        return Decision(True, Ground.ADMINISTRATION, "functional_admin")
    return Decision.deny("a functional administrator manages their own municipality only, "
                         "without privileged roles, changes of kind or statutory kinds")


def decision_aid(actor: Actor, action: Action, target: Target, facts: Facts) -> Decision:
    if action in (Action.CREATE, Action.READ, Action.UPDATE) \
            and "functional_admin" in actor.roles:
        return Decision(True, Ground.ADMINISTRATION, "functional_admin")
    return Decision.deny("the decision aids are adapted by a functional administrator")


RULES: dict[Data, Rule] = {
    Data.ORGANISATION: organisations_and_professionals,
    Data.PROFESSIONAL: organisations_and_professionals,
    Data.DECISION_AID: decision_aid,
}
