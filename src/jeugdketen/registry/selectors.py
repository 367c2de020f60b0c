"""Reads of the client registry that are not logged themselves: queries and look-ups the
registry's actions and the pages (of every app) build on. Reading a person's base data is
an action (jeugdketen.registry.actions.read_person): it is logged.

None of these results is shown on a page as such: they find an id or a set of records
that the page then reads through an action (which checks the policy and writes the
access log), or they count the viewer's own work, or they ask the policy a pure question
(`may_read`). Keep it that way; see the web section of docs/architecture.md."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from jeugdketen.access.policy import Action, Actor, Data, Target, decide
from jeugdketen.core import prepared
from jeugdketen.registry import validators
from jeugdketen.registry.models import (
    Household,
    HouseholdMember,
    Kinship,
    Person,
    PostcodeAddress,
    Professional,
    Registration,
)


def neighbourhood_for(postcode: str, house_number: int | None) -> tuple[str | None, bool]:
    """(neighbourhood code or None, unknown flag). A well-formed postcode the table does
    not know is accepted with the neighbourhood left empty and flagged: new streets exist."""
    if not postcode or house_number is None:
        return None, False
    with prepared.cursor() as cursor:  # one indexed lookup on every registration: raw SQL
        cursor.execute(
            f"SELECT neighbourhood_id FROM {PostcodeAddress._meta.db_table} "  # noqa: S608
            "WHERE postcode = %s AND house_number = %s", [postcode, house_number])
        row = cursor.fetchone()
    code = row[0] if row else None
    return code, code is None


MISMATCH_REASON = "invalid birth_date: brp_mismatch; bsn: brp_mismatch; family_name: brp_mismatch"


def mismatches_today(actor: Actor) -> int:
    """How often this user's registrations disagreed with the BRP in the last 24 hours (the
    access log's refused attempts; they name no person)."""
    from jeugdketen.access.models import AccessLogRecord

    user_id = getattr(actor.user, "pk", None)
    since = connection.ops.adapt_datetimefield_value(timezone.now() - timedelta(hours=24))
    # Before every registration with a BSN: one written count, no query building.
    with prepared.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM {AccessLogRecord._meta.db_table} "  # noqa: S608
            "WHERE client_id = '' AND at >= %s AND "
            + ("user_id IS NULL" if user_id is None else "user_id = %s")
            + " AND object_type = %s AND outcome = 'refused' AND reason = %s",
            [since, *([] if user_id is None else [user_id]), str(Data.BASE_DATA),
             MISMATCH_REASON])
        return int(cursor.fetchone()[0])


PERSON_SQL = (
    "SELECT p.*, EXISTS (SELECT 1 FROM registry_registration r WHERE r.person_id = p.id "
    "AND r.professional_id = %s) AS jk_registered FROM registry_person p WHERE p.id = %s"
)


def person_with_ground(actor: Actor, person_id: Any) -> Person:
    """The person, with whether this professional registered them (the registration
    ground), in one raw query: every read of personal data runs this."""
    pk = Person._meta.pk.get_db_prep_value(Person._meta.pk.to_python(person_id), connection)
    if actor.professional is None:
        return Person.objects.get(pk=pk)
    found = list(Person.objects.raw(PERSON_SQL, [actor.professional.pk, pk]))
    if not found:
        raise Person.DoesNotExist
    person = found[0]
    person.jk_registered = bool(person.jk_registered)  # type: ignore[attr-defined]
    person.jk_registered_for = actor.professional.pk  # type: ignore[attr-defined]
    return person


def registered_by(professional: Professional | None, where: Any = None) -> Any:
    """The persons this professional registered (their registration ground), narrowed by
    `where` (a Q of a search), each with when this professional registered them. Only a
    query: nothing is read until the list is read through list_registered. A search never
    reaches beyond the professional's own registrations, so neither its result nor its
    count says anything about anyone else."""
    if professional is None:
        return Person.objects.none()
    persons = Person.objects.filter(registrations__professional=professional)
    if where is not None:
        persons = persons.filter(where)
    registered_at = Registration.objects.filter(
        person=OuterRef("pk"), professional=professional).values("created_at")[:1]
    return persons.annotate(jk_registered_at=Subquery(registered_at))


def households_of(person: Person) -> list[Household]:
    return list(Household.objects.filter(members__person=person).distinct())


def siblings_of(person: Person) -> list[Person]:
    """Siblings are derived from the BRP: children who share at least one parent."""
    if not person.bsn:
        return []
    parents = Kinship.objects.filter(child=person, is_parent=True).values("relative_bsn")
    return list(Person.objects.filter(kin__relative_bsn__in=parents, kin__is_parent=True)
                .exclude(pk=person.pk).distinct())


def administered_municipality(actor: Actor) -> str | None:
    """The municipality an administrator's lists are limited to: a functional
    administrator's own; None (every municipality) for a platform administrator."""
    if "platform_admin" in actor.roles or actor.professional is None:
        return None
    return actor.professional.organisation.municipality_id


# --- look-ups for the pages -------------------------------------------------------------


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
    Always applied within what the viewer may see (registry.selectors.registered_by); with
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
                day = datetime.strptime(word, fmt).date()  # noqa: DTZ007 - a calendar day
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
