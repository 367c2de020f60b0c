"""The platform's copy of BRP facts: applied when a person is registered, and refreshed
every night (`jeugdketen brp refresh`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.utils import timezone

from jeugdketen.access import audit
from jeugdketen.access.policy import Action, Actor, Data, Target, decide
from jeugdketen.brp import client as brp
from jeugdketen.brp.persoon import BrpPerson
from jeugdketen.registry.models import Kinship, Person
from jeugdketen.registry.selectors import neighbourhood_for


def brp_values(found: BrpPerson) -> dict[str, Any]:
    """The person's base data as the BRP gives them (what the platform keeps of them)."""
    address = found.address
    code, unknown = neighbourhood_for(address.postcode, address.house_number) if address else (None, False)
    return {
        "given_names": found.given_names[:200], "family_name": found.family_name[:200],
        "birth_date": found.birth.as_date(), "sex": found.sex,
        "date_of_death": found.date_of_death,
        "postcode": address.postcode if address else "",
        "house_number": address.house_number if address else None,
        "house_letter": address.house_letter[:1] if address else "",
        "house_number_addition": address.addition[:4] if address else "",
        "neighbourhood_id": code, "neighbourhood_unknown": unknown,
    }


KINSHIP_SQL = (f"SELECT relative_bsn, is_parent, has_custody, custody_type "  # noqa: S608
               f"FROM {Kinship._meta.db_table} WHERE child_id = %s")


def _store_kinship(person: Person, found: BrpPerson) -> bool:
    """Replace the person's parents and custody holders by the BRP's; True when they changed."""
    relation, holders = found.custody_holders()
    facts: dict[str, tuple[str, bool, bool, str]] = {}  # per BSN, in the order written
    for bsn in found.parent_bsns:
        facts[bsn] = (bsn, True, False, "")
    for bsn in holders:
        facts[bsn] = (bsn, facts[bsn][1] if bsn in facts else False, True,
                      relation.kind if relation else "")
    pk = Person._meta.pk.get_db_prep_value(person.pk, connection)
    with connection.cursor() as cursor:  # on every registration with a BSN: written SQL
        cursor.execute(KINSHIP_SQL, [pk])
        stored = {(b, bool(p), bool(c), t) for b, p, c, t in cursor.fetchall()}
    if set(facts.values()) == stored:
        return False
    Kinship.objects.filter(child=person).delete()
    Kinship.objects.bulk_create(
        Kinship(child=person, relative_bsn=bsn, is_parent=parent, has_custody=custody,
                custody_type=kind) for bsn, parent, custody, kind in facts.values())
    return True


_UPDATE: dict[str, str] = {}  # per database vendor


def _save(person: Person) -> None:
    """person.save() of a person read from the database (every column), as one written
    UPDATE; should the row be gone (the nightly refresh does not lock it), save() itself."""
    fields = [f for f in Person._meta.concrete_fields if not f.primary_key]
    sql = _UPDATE.get(connection.vendor)
    if sql is None:
        sql = _UPDATE[connection.vendor] = (
            f"UPDATE {Person._meta.db_table} SET "  # noqa: S608
            + ", ".join(f"{connection.ops.quote_name(f.column)} = %s" for f in fields)
            + f" WHERE {connection.ops.quote_name(Person._meta.pk.column)} = %s")
    params = [f.get_db_prep_save(f.pre_save(person, False), connection) for f in fields]
    params.append(Person._meta.pk.get_db_prep_value(person.pk, connection))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        updated = cursor.rowcount
    if not updated:
        person.save()


def apply_brp(person: Person, found: BrpPerson, now: Any,
              values: dict[str, Any] | None = None) -> list[str]:
    """Bring a person's kept BRP facts up to date; returns the fields that changed. Part of
    the calling action's transaction. `values`: brp_values(found), when the caller has
    them already (one look-up of the neighbourhood instead of another)."""
    if values is None:
        values = brp_values(found)
    changed = [name for name, value in values.items() if getattr(person, name) != value]
    for name, value in values.items():
        setattr(person, name, value)
    person.brp_verified_at = now
    person.updated_at = now
    _save(person)
    if _store_kinship(person, found):
        changed.append("kinship")
    return changed


@audit.write_path
def _apply_refresh(actor: Actor, persons: list[Person], found: dict[str, BrpPerson]) -> int:
    """Bring these persons' BRP facts up to date (one transaction, one access-log record per
    person whose facts changed). Returns how many changed."""
    now = timezone.now()
    entries = []
    for person in persons:
        fact = found.get(person.bsn or "")
        if fact is None:
            continue  # the BRP no longer answers for this BSN: kept as it was, for review
        target = Target(Data.BASE_DATA, person=person)
        decision = decide(actor, Action.UPDATE, target)
        if not decision.allowed:
            raise audit.AccessDenied(actor, Action.UPDATE, target, decision)
        if apply_brp(person, fact, now):
            entries.append(audit.entry(actor, Action.UPDATE, target, decision))
    audit.append(entries)
    return len(entries)


@dataclass
class Refreshed:
    checked: int = 0
    changed: int = 0
    unknown: int = 0


def refresh_from_brp(actor: Actor, *, batch: int = 20, progress: Any = None) -> Refreshed:
    """The nightly refresh (`jeugdketen brp refresh`): every person with a BSN is asked of the
    BRP again, in batches (the API takes 20 BSNs a request), outside any transaction; what
    changed (a move, a death, custody) is written per batch. The platform's copy of BRP facts
    is then at most a day old."""
    result = Refreshed()
    last: Any = None
    while True:
        qs = Person.objects.filter(bsn__isnull=False).order_by("pk")
        if last is not None:
            qs = qs.filter(pk__gt=last)
        persons = list(qs[:batch])
        if not persons:
            return result
        last = persons[-1].pk
        found = brp.persons(p.bsn for p in persons if p.bsn)
        result.checked += len(persons)
        result.unknown += sum(1 for p in persons if p.bsn not in found)
        result.changed += _apply_refresh(actor, persons, found)
        if progress:
            progress(result.checked)
