"""The referral index: signals, matches and the appointments in them.
Pure: every look-up goes through `facts`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from jeugdketen.access.policy.base import CARE_ROLES, Actor, Decision, first_role
from jeugdketen.access.policy.target import Target
from jeugdketen.core.vocabulary import Action, Data, Ground

from .common import Rule, supervises

if TYPE_CHECKING:
    from jeugdketen.access.policy.facts import Facts


def signal(actor: Actor, action: Action, target: Target, facts: Facts) -> Decision:
    care_role = first_role(actor, CARE_ROLES)
    prof = actor.professional
    record = target.signal
    if actor.operator and action in (Action.UPDATE, Action.DELETE) and record is not None:
        # The nightly retention run: the law ends, archives and destroys index data.
        return Decision(True, Ground.RETENTION, "platform_admin")
    if action is Action.CREATE:
        if not care_role or prof is None or target.person is None:
            return Decision.deny("only professionals register signals")
        if not facts.actor_may_signal():
            return Decision.deny("the organisation is not authorised to register signals")
        if not facts.registered(target.person):
            return Decision.deny("a signal needs the youth entered in the registry by you")
        return Decision(True, Ground.REGISTRATION, care_role)
    if action in (Action.READ, Action.UPDATE) and care_role and prof is not None \
            and record is not None and record.organisation_id == prof.organisation_id \
            and record.status == "active" and record.expires_on > facts.today:
        return Decision(True, Ground.OWN_ORGANISATION, care_role)
    if action in (Action.READ, Action.EXPORT, Action.PRINT) \
            and supervises(actor, target.person, facts):
        return Decision(True, Ground.PRIVACY_SUPERVISION, "privacy_officer")
    return Decision.deny("signals are seen by their own organisation and the privacy officer")


def match(actor: Actor, action: Action, target: Target, facts: Facts) -> Decision:
    care_role = first_role(actor, CARE_ROLES)
    record = target.match
    prof = actor.professional
    if record is None or prof is None or action not in (Action.READ, Action.UPDATE):
        return Decision.deny("matches are seen only by the professionals involved")
    if target.data is Data.APPOINTMENT and action is not Action.UPDATE:
        return Decision.deny("an appointment is made, not read")
    if target.data is Data.MATCH and care_role and facts.involved(record):
        return Decision(True, Ground.MATCH, care_role)
    if ("coordinator" in actor.roles and facts.actor_organisation_kind() == "municipality"
            and record.municipality_id == facts.actor_municipality()
            and record.coordinator_overdue(facts.today)):
        return Decision(True, Ground.MUNICIPAL_OVERSIGHT, "coordinator")
    return Decision.deny("matches are seen only by the professionals involved")


RULES: dict[Data, Rule] = {
    Data.SIGNAL: signal,
    Data.MATCH: match,
    Data.APPOINTMENT: match,
}
