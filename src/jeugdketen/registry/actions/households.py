"""Registering a household: who is parent, carer, child or housemate is the BRP's to say."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from jeugdketen.access import audit
from jeugdketen.access.policy import Action, Actor, Data, Decision, Target, decide
from jeugdketen.chainlog.actions import emit
from jeugdketen.chainlog.vocabulary import Activity
from jeugdketen.registry.actions.checks import Errors, add, raise_invalid
from jeugdketen.registry.models import Household, HouseholdMember, Kinship, Person, Relation

MAX_MEMBERS = 20


@dataclass
class MemberInput:
    person_id: Any
    relation: str = ""  # empty: as the BRP says; for a youth without a BSN: as entered


def _relations(persons: list[Person], stated: list[str]
               ) -> tuple[list[tuple[str, bool]], Errors]:
    """Each member's place in the household and whether the BRP confirms it: a parent or
    custody holder of a child member, a child of such a member, or a housemate at the same
    BRP address; a stated relation must agree. A member without a BSN keeps the relation as
    entered, and so does a member whose only possible tie is to such a person: unconfirmed,
    it grants nobody any right. Anyone else must be tied to another member in the BRP."""
    verified = [p for p in persons if p.verified and p.bsn]
    bsns = {p.bsn for p in verified}
    ties = list(Kinship.objects.filter(child__in=verified, relative_bsn__in=bsns)
                .values_list("child_id", "relative_bsn", "is_parent", "has_custody"))
    parent_of = {bsn for _c, bsn, is_parent, _h in ties if is_parent}
    custody_of = {bsn for _c, bsn, _p, custody in ties if custody}
    children = {child for child, _b, _p, _h in ties}
    addresses: dict[tuple[Any, ...], int] = {}
    for p in verified:
        if p.postcode and p.house_number:
            key = (p.postcode, p.house_number, p.house_letter, p.house_number_addition)
            addresses[key] = addresses.get(key, 0) + 1
    errors: Errors = {}
    out = []
    unconfirmed = any(not p.verified for p in persons)
    for i, (person, wanted) in enumerate(zip(persons, stated, strict=True)):
        confirmed = True
        if not person.verified:
            relation, confirmed = wanted or Relation.CHILD, False
        elif person.bsn in parent_of:
            relation = Relation.PARENT
        elif person.bsn in custody_of:
            relation = Relation.CARER
        elif person.pk in children:
            relation = Relation.CHILD
        elif addresses.get((person.postcode, person.house_number, person.house_letter,
                            person.house_number_addition), 0) > 1:
            relation = Relation.HOUSEMATE
        elif len(persons) == 1:
            relation = Relation.CHILD  # a youth on their own
        elif unconfirmed:
            relation, confirmed = wanted or Relation.HOUSEMATE, False
        else:
            add(errors, f"members[{i}].person_id", "brp_no_tie", _(
                "Volgens de BRP is deze persoon geen ouder, gezaghebbende, kind of huisgenoot "
                "van een ander lid van dit huishouden."))
            relation = ""
        if confirmed and wanted and relation and wanted != relation:
            add(errors, f"members[{i}].relation", "brp_mismatch",
                _("Deze relatie komt niet overeen met de BRP."))
        out.append((relation, confirmed))
    return out, errors


@audit.write_path
def register_household(actor: Actor, members: list[MemberInput]) -> Household:
    """A household of persons the professional entered. Who is parent, carer, child or
    housemate is the BRP's to say: a professional cannot make anybody a parent or carer."""
    errors: Errors = {}
    if not members:
        add(errors, "members", "min_items", _("Een huishouden heeft ten minste één lid."))
    elif len(members) > MAX_MEMBERS:
        add(errors, "members", "max_items",
            _("Een huishouden heeft ten hoogste %(n)s leden.") % {"n": MAX_MEMBERS})
    raise_invalid(errors)
    persons: list[Person] = []
    stated: list[str] = []
    seen: set[str] = set()
    unknown = False
    for i, member in enumerate(members):
        if member.relation and member.relation not in Relation.values:
            add(errors, f"members[{i}].relation", "relation_choice",
                _("Relatie is parent, carer, child of housemate."))
        try:
            person = Person.objects.select_related("neighbourhood").get(pk=member.person_id)
        except (Person.DoesNotExist, ValueError, ValidationError):
            # An unknown id is refused like a person without a ground (403, logged), so the
            # answer never tells which ids exist.
            unknown = True
            continue
        if str(person.pk) in seen:
            add(errors, f"members[{i}].person_id", "duplicate_member",
                _("Deze persoon staat al in het huishouden."))
        seen.add(str(person.pk))
        persons.append(person)
        stated.append(member.relation or "")
    # The policy first: whether an id exists must not show in a field error before it.
    distinct = tuple({p.pk: p for p in persons}.values())
    target = Target(Data.HOUSEHOLD, members=distinct)
    decision = decide(actor, Action.CREATE, target)
    if unknown:
        decision = Decision.deny("a household needs a ground for every member")
    if not decision.allowed:
        raise audit.AccessDenied(actor, Action.CREATE, target, decision)
    raise_invalid(errors)
    # Judged only now, after the policy: the answer says nothing about persons the
    # professional did not enter.
    relations, errors = _relations(persons, stated)
    raise_invalid(errors)
    household = Household.objects.create(created_by=actor.professional)
    HouseholdMember.objects.bulk_create(
        HouseholdMember(household=household, person=p, relation=r, brp_verified=confirmed)
        for p, (r, confirmed) in zip(persons, relations, strict=True)
    )
    audit.append(
        audit.entry(actor, Action.CREATE,
                    Target(Data.HOUSEHOLD, person=p, object_id=str(household.pk)), decision)
        for p in persons
    )
    emit(Activity.HOUSEHOLD_REGISTERED, household=household,
         organisation_id=actor.professional.organisation_id if actor.professional else None,
         neighbourhood_code=next((p.neighbourhood_id for p in persons if p.neighbourhood_id), ""),
         attributes={"members": len(persons),
                     "children": sum(r == Relation.CHILD for r, _c in relations)})
    return household
