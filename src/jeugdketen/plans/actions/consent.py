"""The family's consent recorded with the plan: who can give it for whom, and recording it
for several members at once."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from jeugdketen.access import audit
from jeugdketen.access.policy import Action, Actor, Data, Target, decide
from jeugdketen.core.errors import Refusal
from jeugdketen.plans.selectors import plan_for
from jeugdketen.registry.models import Person


def givers_for(persons: tuple[Person, ...] | list[Person], members: tuple[Person, ...],
               givers: set[str], today: date) -> dict[str, list[str]]:
    """For each of `persons`, those of the givers (members of the household) who can give
    consent for them: the person and the custody holders the BRP names. Whether that is
    enough (alone from 16, a custody holder under 12, both from 12 to 15) the law decides,
    in check_givers; all or nothing."""
    from jeugdketen.access.actions import (
        CONSENT_ALONE_FROM,
        CONSENT_TOGETHER_FROM,
        check_givers,
        custody_holders_of,
    )

    if not givers or not givers <= {str(m.pk) for m in members}:
        raise Refusal("consent_givers", _("Kies wie de toestemming geeft: leden van dit "
                                          "huishouden."), field="given_by_person_ids")
    out: dict[str, list[str]] = {}
    for person in persons:
        pid = str(person.pk)
        age = person.age_on(today)
        if age >= CONSENT_ALONE_FROM:
            own = givers & {pid}  # from 16 the person alone, whoever else consents
        elif age >= CONSENT_TOGETHER_FROM:
            own = givers & (custody_holders_of(person) | {pid})
        else:
            own = givers & custody_holders_of(person)  # under 12 the custody holders
        try:
            check_givers(person, own, today)
        except Refusal as exc:
            raise Refusal(exc.rule, f"{person}: {exc.message}", status=exc.status,
                          field=exc.field) from None
        out[pid] = sorted(own)
    return out


@audit.write_path
def record_consents(actor: Actor, plan_id: Any, *, person_ids: list[Any], given_by: list[Any],
                    organisation_id: Any, categories: list[str],
                    valid_until: date | None = None) -> list[Any]:
    """The coordinator records the family's consent, for this plan, for several members at
    once: one consent per person (access.actions.give_consent), all of them or none; each
    given by those who can give it for that person (see givers_for)."""
    from jeugdketen.access.actions import give_consent

    plan, members = plan_for(actor, plan_id, Action.UPDATE)
    by_id = {str(m.pk): m for m in members}
    wanted = list(dict.fromkeys(str(p) for p in person_ids or []))
    if not wanted or any(p not in by_id for p in wanted):
        raise Refusal("consent_persons", _("Kies voor wie de toestemming geldt: een of meer "
                                           "leden van dit huishouden."), field="person_ids")
    # The policy first, for every person: nothing is written when one of them is refused.
    for pid in wanted:
        consent_target = Target(Data.CONSENT, person=by_id[pid], members=members, record=plan)
        decision = decide(actor, Action.CREATE, consent_target)
        if not decision.allowed:
            raise audit.AccessDenied(actor, Action.CREATE, consent_target, decision)
    givers_of = givers_for([by_id[p] for p in wanted], members,
                           {str(g) for g in given_by or []}, timezone.localdate())
    return [give_consent(actor, pid, plan_id=plan.pk, given_by=givers_of[pid],
                         organisation_id=organisation_id, categories=categories,
                         valid_until=valid_until) for pid in wanted]
