"""Steering, time and satisfaction (issue 13): the weekly time question, the yearly
job-satisfaction survey and the neighbourhoods a team works in.

- `TIME_ANSWER`: a professional's own answer (hours on help and on accountability of a
  week). Without a scope the target names the professional (`object_id` their id): only
  that professional, with a care role (professional or coordinator), answers (create) and
  reads their own answers (ground self); nobody else ever reads one, the municipality
  included. With a scope (the municipality) the target is the figures per team and area:
  read by the municipality's analyst and coordinator (of the municipality itself), as
  insight.
- `SURVEY`: the own response to the year's survey (create, object the professional: the
  answer itself is stored without them); the figures per team read by the municipality's
  analyst and coordinator; the analyst closes the year's survey (update).
- `TEAM_AREAS`: which neighbourhoods a team works in: the municipality's analyst reads
  and sets them (update), the coordinator reads them.
Not the front door (decided, docs/steering.md "Who reads the team figures"): it reads time
on help and job satisfaction per area, as the third and fourth KPI on the insight dashboard
and the board, like every KPI it needs for its queue; the figures per team (how a team of
colleagues spends its time and how it rates its work) are management information for the
municipality's analyst and coordinator, who steer the teams.
Pure: every look-up goes through `facts`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from jeugdketen.access.policy.base import CARE_ROLES, Actor, Decision
from jeugdketen.access.policy.target import Target
from jeugdketen.core.vocabulary import Action, Data, Ground, Role

from .common import Rule

if TYPE_CHECKING:
    from jeugdketen.access.policy.facts import Facts

MUNICIPALITY_KIND = "municipality"  # registry.OrganisationKind.MUNICIPALITY
ANALYST = Role.MUNICIPAL_ANALYST.value
COORDINATOR = Role.COORDINATOR.value


def _municipality_staff(actor: Actor, target: Target, facts: Facts,
                        roles: tuple[str, ...]) -> Decision | None:
    """Allowed (ground insight) for a professional of the municipality itself with one of
    `roles`, when the target's scope is their municipality; None otherwise."""
    scope = target.scope
    municipality = (scope.municipality_id or "") if scope is not None else ""
    if actor.professional is None or not municipality:
        return None
    if facts.actor_organisation_kind() != MUNICIPALITY_KIND:
        return None
    if facts.actor_municipality() != municipality:
        return None
    for role in roles:
        if role in actor.roles:
            return Decision(True, Ground.INSIGHT, role)
    return None


def _own(actor: Actor, target: Target) -> Decision | None:
    """The professional's own record (the target names them), with a care role."""
    prof = actor.professional
    if prof is None or target.scope is not None or target.object_id != str(prof.pk):
        return None
    role = next((r for r in CARE_ROLES if r in actor.roles), None)
    return Decision(True, Ground.SELF, role) if role is not None else None


def time_answer(actor: Actor, action: Action, target: Target, facts: Facts) -> Decision:
    if target.scope is not None:
        if action is Action.READ:
            found = _municipality_staff(actor, target, facts, (ANALYST, COORDINATOR))
            if found is not None:
                return found
        return Decision.deny("the time figures per team are the municipality's analyst's "
                             "and coordinator's, read only")
    if action in (Action.CREATE, Action.READ):
        found = _own(actor, target)
        if found is not None:
            return found
    return Decision.deny("a time answer is the professional's own: nobody else sees it")


def survey(actor: Actor, action: Action, target: Target, facts: Facts) -> Decision:
    if target.scope is not None:
        allowed = {Action.READ: (ANALYST, COORDINATOR), Action.UPDATE: (ANALYST,)}
        if action in allowed:
            found = _municipality_staff(actor, target, facts, allowed[action])
            if found is not None:
                return found
        return Decision.deny("the survey's figures are the municipality's analyst's and "
                             "coordinator's; only the analyst closes it")
    if action is Action.CREATE:
        found = _own(actor, target)
        if found is not None:
            return found
    return Decision.deny("a professional answers the survey only for themselves")


def team_areas(actor: Actor, action: Action, target: Target, facts: Facts) -> Decision:
    allowed = {Action.READ: (ANALYST, COORDINATOR), Action.UPDATE: (ANALYST,)}
    if action in allowed:
        found = _municipality_staff(actor, target, facts, allowed[action])
        if found is not None:
            return found
    return Decision.deny("a team's neighbourhoods are set by the municipal analyst")


RULES: dict[Data, Rule] = {
    Data.TIME_ANSWER: time_answer,
    Data.SURVEY: survey,
    Data.TEAM_AREAS: team_areas,
}
