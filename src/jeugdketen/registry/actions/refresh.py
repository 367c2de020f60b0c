"""The platform's copy of BRP facts: applied when a person is registered, and refreshed
every night (`jeugdketen brp refresh`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

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


def _store_kinship(person: Person, found: BrpPerson) -> bool:
    """Replace the person's parents and custody holders by the BRP's; True when they changed."""
    relation, holders = found.custody_holders()
    rows: dict[str, Kinship] = {}
    for bsn in found.parent_bsns:
        rows[bsn] = Kinship(child=person, relative_bsn=bsn, is_parent=True)
    for bsn in holders:
        row = rows.setdefault(bsn, Kinship(child=person, relative_bsn=bsn))
        row.has_custody = True
        row.custody_type = relation.kind if relation else ""
    facts = {(r.relative_bsn, r.is_parent, r.has_custody, r.custody_type) for r in rows.values()}
    stored = set(Kinship.objects.filter(child=person).values_list(
        "relative_bsn", "is_parent", "has_custody", "custody_type"))
    if facts == stored:
        return False
    Kinship.objects.filter(child=person).delete()
    Kinship.objects.bulk_create(rows.values())
    return True


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
    person.save()
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
