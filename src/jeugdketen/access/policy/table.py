"""The table: which rule decides which kind of data, and `decide` over it (deny by default).

Also the public questions other apps ask besides `decide` (`has_person_ground`,
`joins_on_ground`): each asks the same pure rules, over the database's facts.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from jeugdketen.core.vocabulary import Action, Data, Ground

from .base import Actor, Decision
from .facts import DatabaseFacts, Facts
from .rules import (
    administration,
    consent,
    guide,
    insight,
    intake,
    plans,
    referral_index,
    registry,
    steering_board,
    steering_sim,
    steering_time,
    supervision,
)
from .rules.common import Rule, person_ground
from .target import Target

if TYPE_CHECKING:
    from jeugdketen.registry.models import Person, Professional


def _join(*tables: dict[Data, Rule]) -> dict[Data, Rule]:
    joined: dict[Data, Rule] = {}
    for table in tables:
        twice = joined.keys() & table.keys()
        if twice:  # one kind of data, one rule: never two places that decide it
            raise ValueError(f"two rules for {sorted(twice)}")
        joined.update(table)
    return joined


# Every kind of data the policy decides, and its rule. A kind not in the table is denied.
RULES: dict[Data, Rule] = _join(
    registry.RULES,        # base data, correction proposals, households
    supervision.RULES,     # access log, break-the-glass review, rights requests
    administration.RULES,  # organisations, professionals, decision aids
    referral_index.RULES,  # signals, matches, appointments
    guide.RULES,           # decision-aid sessions
    plans.RULES,           # plan, team, approvals, comments, analyses, evaluations
    consent.RULES,         # consent, legal basis
    intake.RULES,          # care reports, intake meetings, the front door's settings
    insight.RULES,         # figures per area (no person), publication settings
    steering_sim.RULES,    # what-if simulation runs (aggregates, no person)
    steering_time.RULES,   # own time answers, the anonymous survey, teams' neighbourhoods
    steering_board.RULES,  # the chain board, its improvement actions and minutes (no person)
)


def decide(actor: Actor, action: Action, target: Target,
           facts: Facts | None = None) -> Decision:
    """Answer the one question. Deny by default: a kind of data without a rule is denied,
    and every rule is a list of explicit allows ending in a denial.

    `decide` is a pure question: it reads, never writes. Every answer is logged by
    `jeugdketen.access.audit.authorize`, which actions call. `facts` defaults to the
    database's, asked only as a rule needs them."""
    rule = RULES.get(target.data)
    if rule is None:
        return Decision.deny("unknown record kind")
    return rule(actor, action, target, facts if facts is not None else DatabaseFacts(actor))


def has_person_ground(actor: Actor, person: Person, today: date | None = None) -> bool:
    """Does a care professional have a ground for this person at all (they entered them, or
    a plan of the person's household gives them one)? Asked before anything else about
    the person is judged, so that no answer tells more than 'no ground'."""
    return person_ground(actor, person, DatabaseFacts(actor, today))


def joins_on_ground(professional: Professional, members: tuple[Person, ...], plan: Any,
                    today: date | None = None, *, legal_bases: bool = True) -> Ground | None:
    """May this professional be in a plan's care team? Only when their organisation holds
    consent given for this plan, or a legal basis, for every member of the household.

    The coordinator adds a professional on the consents of this plan only
    (`legal_bases=False`), which the coordinator sees: whether another organisation holds a
    legal basis must not show in the answer. A professional whose organisation holds a
    legal basis joins the team themselves (ground `legal_basis`)."""
    facts = DatabaseFacts(Actor(professional=professional), today)
    return plans.joins_on(facts, professional.organisation_id, members, plan.pk,
                          legal_bases=legal_bases)
