"""Reads of the registry that pages and other apps use (public names; no private helper
of registry is imported from elsewhere).

None of these results is shown on a page as such: they find an id or a set of records
that the page then reads through an action (which checks the policy and writes the
access log), or they count the viewer's own work, or they ask the policy a pure question
(`may_read`). Keep it that way; see the web section of docs/architecture.md.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError

from jeugdketen.access.policy import Action, Actor, Data, Target, decide
from jeugdketen.registry import validators
from jeugdketen.registry.models import HouseholdMember, Person


def person_id_for_bsn(bsn: str) -> str | None:
    """The id of the person with this BSN, or None. Raises ValidationError for a BSN
    that is not well-formed (so the form can say what is wrong)."""
    value = validators.normalise_bsn(bsn)
    pk = Person.objects.filter(bsn=value).values_list("pk", flat=True).first()
    return str(pk) if pk else None


RELATION_ORDER = {"parent": 0, "carer": 1, "child": 2, "housemate": 3}


def custody_children(holder: Person) -> list[Person]:
    """The persons of whom `holder` holds custody according to the BRP (for the policy to
    decide on; never shown as such)."""
    from jeugdketen.registry.models import Kinship

    if not holder.bsn:
        return []
    held = Kinship.objects.filter(relative_bsn=holder.bsn, has_custody=True).values("child")
    return list(Person.objects.filter(pk__in=held).order_by("birth_date", "pk"))


def household_members(household_id: Any) -> list[HouseholdMember]:
    """The members of a household (parents, carers, then children by age), for the
    policy to decide which ones may be shown."""
    try:
        rows = list(
            HouseholdMember.objects.filter(household_id=household_id)
            .select_related("person").order_by("person__birth_date", "id")
        )
    except (ValueError, ValidationError):
        return []
    return sorted(rows, key=lambda m: RELATION_ORDER.get(m.relation, 9))



def person_for_policy(person_id: Any) -> Person | None:
    """A person to ask the policy about (never shown as such), or None."""
    try:
        return Person.objects.filter(pk=person_id).first()
    except (ValueError, ValidationError):
        return None


def open_correction_count(municipality_id: str | None) -> int:
    """Open reports back to the BRP of one municipality (its residents, or persons entered
    by its organisations): a number, no names."""
    from django.db.models import Q

    from jeugdketen.registry.models import CorrectionProposal, CorrectionStatus

    return CorrectionProposal.objects.filter(status=CorrectionStatus.OPEN).filter(
        Q(person__neighbourhood__district__municipality_id=municipality_id)
        | Q(person__neighbourhood__isnull=True,
            person__registrations__organisation__municipality_id=municipality_id)
    ).distinct().count()


def open_break_glass_count(municipality_id: str | None) -> int:
    """Unreviewed emergency accesses by organisations of one municipality (a number)."""
    from jeugdketen.access.models import AccessLogRecord
    from jeugdketen.registry.models import Organisation

    organisations = Organisation.objects.filter(municipality_id=municipality_id).values("pk")
    return AccessLogRecord.objects.filter(emergency=True, review__isnull=True,
                                          organisation_id__in=organisations).count()




def person_search(text: str, prefix: str = "") -> Any:
    """What a search box asks for, as a filter on persons: a BSN (9 digits, or 8 with the
    leading zero left off), a birth date (17-03-2015, 17/3/2015 or 2015-03-17), and name
    words (each must occur in the given names or the family name). None for an empty search.
    Always applied within what the viewer may see (registry.actions.registered_by); with
    `prefix` (such as "person__") on a relation to persons."""
    import re
    from datetime import datetime

    from django.db.models import Q

    where = Q()
    words = (text or "").split()
    if not words:
        return None
    for word in words[:8]:
        digits = re.sub(r"[.\s]", "", word)
        if re.fullmatch(r"\d{8,9}", digits):
            where &= Q(**{f"{prefix}bsn": digits.zfill(9)})
            continue
        day = None
        for fmt in ("%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d"):
            try:
                day = datetime.strptime(word, fmt).date()
            except ValueError:
                continue
            break
        if day is not None:
            where &= Q(**{f"{prefix}birth_date": day})
        else:
            where &= (Q(**{f"{prefix}given_names__icontains": word})
                      | Q(**{f"{prefix}family_name__icontains": word}))
    return where


def is_uuid(value: Any) -> bool:
    import uuid

    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def may_read(actor: Actor, person: Person) -> bool:
    """Ask the policy (a pure question, nothing is written) whether the actor may read
    this person's base data."""
    return decide(actor, Action.READ, Target(Data.BASE_DATA, person=person)).allowed


def visible_persons(actor: Actor, persons: Iterable[Person]) -> list[Person]:
    """Of these persons, the ones the actor may see, each read through the action (so
    every one shown is logged as read). Persons without a ground are left out without a
    trace on the page."""
    # Late: the registry's actions read through these selectors (no import cycle).
    from jeugdketen.registry.actions import read_person

    shown = []
    for person in persons:
        if may_read(actor, person):
            shown.append(read_person(actor, person.pk))
    return shown
