"""Pickers that search as you type: the candidates a form may offer, found only among
what the user may pick (never a search over persons or professionals without a ground).

Each picker is a plain part of a normal form: without JavaScript the search box submits a
GET and the page shows the candidates found; with htmx the same search asks the picker's
endpoint for only the list of candidates and swaps it in place."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Q
from django.utils import timezone

from jeugdketen.access.policy import Actor
from jeugdketen.registry.actions import list_registered
from jeugdketen.registry.selectors import registered_by
from jeugdketen.web import lookup

PICKER_LIMIT = 20
YOUTH_UNTIL_AGE = 23  # the reference index holds signals on youth under 23


@dataclass
class Picked:
    """The candidates found (at most PICKER_LIMIT, and `more` when there were more)."""

    options: list[tuple[str, str]] = field(default_factory=list)
    more: bool = False
    search: str = ""


def _youth_born_after(today: date) -> date:
    try:
        return today.replace(year=today.year - YOUTH_UNTIL_AGE)
    except ValueError:  # 29 February
        return today.replace(year=today.year - YOUTH_UNTIL_AGE, day=28)


def youth_label(person: Any) -> str:
    return f"{person.given_names} {person.family_name} ({person.birth_date:%d-%m-%Y})"


def youth(actor: Actor, search: str = "", *, chosen: str = "") -> Picked:
    """Living youth under 23 whom this professional registered (the only persons a signal
    may be about), matching the search; the chosen one always among them (if it is one of
    them). Each listed youth counts as read (list_registered logs them)."""
    today = timezone.localdate()
    base = Q(date_of_death__isnull=True, birth_date__gt=_youth_born_after(today))
    found = []
    if _uuid(chosen):
        found = list_registered(actor, limit=1, where=base & Q(pk=_uuid(chosen)))
        if found:
            base &= ~Q(pk=found[0].pk)  # listed (and logged) once
    where = lookup.person_search(search)
    where = base if where is None else base & where
    rows = list_registered(actor, limit=PICKER_LIMIT, where=where)
    # Whether there are more (not read, so not logged): one more query, never more.
    more = len(rows) == PICKER_LIMIT and registered_by(
        actor.professional, where).order_by()[PICKER_LIMIT:PICKER_LIMIT + 1].exists()
    return Picked([(str(p.pk), youth_label(p)) for p in found + rows], more, search)


def _uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None


def professional_search(text: str) -> Q | None:
    """Name words: each in the professional's name or their organisation's name."""
    words = (text or "").split()[:8]
    if not words:
        return None
    where = Q()
    for word in words:
        where &= Q(full_name__icontains=word) | Q(organisation__name__icontains=word)
    return where


def team(actor: Actor, plan_id: Any, search: str = "", *, chosen: str = "") -> Picked | None:
    """The team picker of a plan: professionals of the plan's municipality, not yet in the
    team, whose organisation holds consent given for this plan for every member of the
    household (whom the coordinator may add; consents are what the coordinator sees, a legal
    basis never shows: its holder joins itself), matching the search by name or
    organisation. None when the actor may not change the plan's team (or there is no such
    plan): the same answer either way."""
    from jeugdketen.access.policy import Action, Data, decide, joins_on_ground
    from jeugdketen.plans import actions as plan_actions
    from jeugdketen.plans.models import Plan, TeamMember
    from jeugdketen.registry.models import Professional

    pk = _uuid(plan_id)
    plan = (Plan.objects.select_related("household", "main_organisation")
            .filter(pk=pk).first() if pk else None)
    if plan is None:
        return None
    members = plan_actions.members_of(plan.household)
    if not decide(actor, Action.UPDATE, plan_actions.target(plan, members, Data.TEAM)).allowed:
        return None
    taken = {plan.coordinator_id, *TeamMember.objects.filter(
        plan=plan, left_at__isnull=True, professional__isnull=False)
        .values_list("professional_id", flat=True)}
    candidates = Professional.objects.filter(
        organisation__municipality_id=plan.main_organisation.municipality_id
    ).exclude(pk__in=taken)
    today = timezone.localdate()
    organisations = set(candidates.values_list("organisation_id", flat=True).distinct())
    allowed = [o for o in sorted(organisations) if joins_on_ground(
        Professional(organisation_id=o), members, plan, today, legal_bases=False) is not None]
    candidates = candidates.filter(organisation_id__in=allowed).select_related("organisation")
    where = professional_search(search)
    rows = [p for p in (candidates if where is None else candidates.filter(where))
            .order_by("full_name", "organisation__name", "pk")
            if any(role in plan_actions.CARE_ROLE_NAMES for role in p.roles)]
    chosen_id = int(chosen) if str(chosen).isdigit() and len(str(chosen)) < 12 else None
    first = [] if chosen_id is None else [
        p for p in candidates.filter(pk=chosen_id)
        if any(role in plan_actions.CARE_ROLE_NAMES for role in p.roles)]
    rest = [p for p in rows if p not in first]
    options = [(str(p.pk), f"{p.full_name} ({p.organisation.name})")
               for p in first + rest[:PICKER_LIMIT]]
    return Picked(options, len(rest) > PICKER_LIMIT, search)
