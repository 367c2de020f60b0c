"""Rule pieces more than one domain uses: the citizen's ground, the privacy officer's and
the functional administrator's reach, and a care professional's ground through a plan.

Pure: every look-up goes through `facts`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeAlias

from jeugdketen.access.policy.base import (
    CARE_ROLES,
    FRONT_DOOR_KINDS,
    FRONT_DOOR_ROLE,
    PARENT_SEES_UNTIL_AGE,
    Actor,
    Decision,
    first_role,
)
from jeugdketen.access.policy.target import Target
from jeugdketen.core.vocabulary import Action, Ground

if TYPE_CHECKING:
    from jeugdketen.access.policy.facts import Facts
    from jeugdketen.registry.models import Household, Person

# A rule: a pure function of who asks, what they do, to what, and the facts.
Rule: TypeAlias = Callable[[Actor, Action, Target, "Facts"], Decision]


def citizen_ground(actor: Actor, person: Person, facts: Facts) -> Ground | None:
    """A person sees their own data; a custody holder in the BRP that of a child under 16."""
    if actor.person is None:
        return None
    if actor.person.pk == person.pk:
        return Ground.SELF
    if person.age_on(facts.today) >= PARENT_SEES_UNTIL_AGE:
        return None
    return Ground.PARENT if facts.holds_custody(actor.person, person) else None


def front_door_of(actor: Actor, municipality_id: str | None, facts: Facts) -> bool:
    """A professional with the role `front_door` in the municipality's own organisation or
    one of its neighbourhood teams (the front door, issue 11)."""
    if FRONT_DOOR_ROLE not in actor.roles or actor.professional is None or not municipality_id:
        return False
    if facts.actor_organisation_kind() not in FRONT_DOOR_KINDS:
        return False
    own = facts.actor_municipality()
    return own is not None and own == municipality_id


def supervises(actor: Actor, person: Person | None, facts: Facts) -> bool:
    """The privacy officer supervises the persons of their own municipality only."""
    if "privacy_officer" not in actor.roles or person is None:
        return False
    own = facts.actor_municipality()
    return own is not None and own in facts.person_municipalities(person)


def manages_data(actor: Actor, person: Person, facts: Facts, *, open_only: bool = True) -> bool:
    """A functional administrator handles the reports back to the BRP of the persons of
    their own municipality; a person's base data only while one is open."""
    if "functional_admin" not in actor.roles or person.pk is None:
        return False
    own = facts.actor_municipality()
    if own is None or own not in facts.person_municipalities(person):
        return False
    return facts.has_correction(person, open_only=open_only)


def ground_for_all(grounds: dict[str, Ground], person_ids: list[str]) -> Ground | None:
    """A ground for every person, or none: the plan holds data of every member."""
    if not person_ids or any(p not in grounds for p in person_ids):
        return None
    if any(grounds[p] is Ground.CONSENT for p in person_ids):
        return Ground.CONSENT
    return Ground.LEGAL_BASIS


def _team_ground(actor: Actor, plan_ids: Callable[[], Sequence[Any]], person_ids: list[str],
                 category: str, facts: Facts) -> Ground | None:
    """A care-team member's ground for these persons in one of these plans: their
    organisation's consent for that plan, or a legal basis."""
    prof = actor.professional
    if prof is None:
        return None
    for plan_id in plan_ids():
        ground = ground_for_all(facts.care_grounds(prof.organisation_id, person_ids, category,
                                                   plan_id), person_ids)
        if ground is not None:
            return ground
    return None


def plan_ground_for_person(actor: Actor, person: Person, category: str,
                           facts: Facts) -> Ground | None:
    """The coordinator of a plan of the person's household; or a member of its care team
    whose organisation holds a ground for this person and category in that plan."""
    if actor.professional is None or person.pk is None:
        return None
    if facts.coordinates_plan_of_person(person):
        return Ground.PLAN_COORDINATOR
    return _team_ground(actor, lambda: facts.team_plans_of_person(person), [str(person.pk)],
                        category, facts)


def plan_ground_for_household(actor: Actor, household: Household,
                              members: tuple[Person, ...], facts: Facts) -> Ground | None:
    if actor.professional is None:
        return None
    if facts.coordinates_plan_of_household(household):
        return Ground.PLAN_COORDINATOR
    return _team_ground(actor, lambda: facts.team_plans_of_household(household),
                        [str(m.pk) for m in members], "base_data", facts)


def person_ground(actor: Actor, person: Person, facts: Facts) -> bool:
    """Does a care professional have a ground for this person at all (they entered them, or
    a plan of the person's household gives them one)? Asked before anything else about
    the person is judged, so that no answer tells more than 'no ground'."""
    if not first_role(actor, CARE_ROLES):
        return False
    return facts.registered(person) or plan_ground_for_person(
        actor, person, "base_data", facts) is not None
