"""Reads of the client registry that are not logged themselves: queries and look-ups the
registry's actions and the pages build on. Reading a person's base data is an action
(jeugdketen.registry.actions.read_person): it is logged."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import connection
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from jeugdketen.access.policy import Actor, Data
from jeugdketen.registry.models import (
    Household,
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
    with connection.cursor() as cursor:  # one indexed lookup on every registration: raw SQL
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

    return AccessLogRecord.objects.filter(
        client_id="", at__gte=timezone.now() - timedelta(hours=24),
        user_id=getattr(actor.user, "pk", None), object_type=Data.BASE_DATA,
        outcome="refused", reason=MISMATCH_REASON).count()


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
