"""The child picker of the signal form: living youth under 23 whom this professional
registered (see ui.pickers for how pickers work)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q
from django.utils import timezone

from jeugdketen.access.policy import Actor
from jeugdketen.registry.actions import list_registered
from jeugdketen.registry.selectors import person_search, registered_by
from jeugdketen.ui.pickers import PICKER_LIMIT, Picked, as_uuid

YOUTH_UNTIL_AGE = 23  # the reference index holds signals on youth under 23


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
    if as_uuid(chosen):
        found = list_registered(actor, limit=1, where=base & Q(pk=as_uuid(chosen)))
        if found:
            base &= ~Q(pk=found[0].pk)  # listed (and logged) once
    where = person_search(search)
    where = base if where is None else base & where
    rows = list_registered(actor, limit=PICKER_LIMIT, where=where)
    # Whether there are more (not read, so not logged): one more query, never more.
    more = len(rows) == PICKER_LIMIT and registered_by(
        actor.professional, where).order_by()[PICKER_LIMIT:PICKER_LIMIT + 1].exists()
    return Picked([(str(p.pk), youth_label(p)) for p in found + rows], more, search)
