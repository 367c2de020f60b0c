"""The only functions that change the client registry.

Each action checks the access policy, writes, appends the access log record and emits the
chain event in one transaction (see jeugdketen.access.audit.write_path).
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NoReturn

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jeugdketen.access import audit
from jeugdketen.access.policy import Action, Actor, Data, Decision, Target, decide
from jeugdketen.brp import client as brp
from jeugdketen.brp.persoon import BrpPerson
from jeugdketen.chainlog.actions import emit
from jeugdketen.chainlog.vocabulary import Activity
from jeugdketen.registry import validators
from jeugdketen.registry.models import (
    CorrectionProposal,
    CorrectionStatus,
    District,
    Household,
    HouseholdMember,
    Kinship,
    Municipality,
    Neighbourhood,
    Organisation,
    OrganisationKind,
    Person,
    PostcodeAddress,
    Professional,
    Registration,
    Relation,
    Role,
    Sex,
)
from jeugdketen.core.errors import Refusal

# Base data a professional enters; for a person with a BSN the BRP's values are kept and a
# difference is reported back to the BRP (CorrectionProposal), never written over them.
REPORTED_FIELDS = ("given_names", "sex", "postcode", "house_number", "house_letter",
                   "house_number_addition")
# The fields whose agreement with the BRP proves that the professional knows the person.
VERIFIED_FIELDS = ("bsn", "birth_date", "family_name")
MAX_MEMBERS = 20


def _invalid(errors: dict[str, ValidationError]) -> None:
    if errors:
        raise ValidationError({k: [v] for k, v in errors.items()})


def _required(value: Any, name: str, errors: dict[str, ValidationError]) -> None:
    if value in (None, ""):
        errors[name] = ValidationError(_("Dit veld is verplicht."), code="required")


def _no_nul(value: Any, name: str, errors: dict[str, ValidationError]) -> None:
    # PostgreSQL cannot store NUL characters: refuse them as input, never fail with a 500.
    if isinstance(value, str) and "\x00" in value:
        errors[name] = ValidationError(_("Het teken NUL (0x00) is niet toegestaan."),
                                       code="null_characters_not_allowed")


@dataclass
class PersonInput:
    given_names: str
    family_name: str
    birth_date: date | None
    sex: str
    bsn: str = ""
    postcode: str = ""
    house_number: int | None = None
    house_letter: str = ""
    house_number_addition: str = ""

    def clean(self) -> dict[str, Any]:
        """Validate every field and return the normalised values (all errors at once)."""
        errors: dict[str, ValidationError] = {}
        out: dict[str, Any] = {}
        if self.bsn:
            try:
                out["bsn"] = validators.normalise_bsn(self.bsn)
            except ValidationError as exc:
                errors["bsn"] = exc
        for name in ("given_names", "family_name"):
            value = (getattr(self, name) or "").strip()
            _required(value, name, errors)
            if len(value) > 200:
                errors[name] = ValidationError(_("Ten hoogste 200 tekens."), code="max_length")
            _no_nul(value, name, errors)
            out[name] = value
        _required(self.birth_date, "birth_date", errors)
        if self.birth_date:
            if self.birth_date > timezone.localdate():
                errors["birth_date"] = ValidationError(
                    _("Een geboortedatum ligt niet in de toekomst."), code="not_in_future")
            elif self.birth_date.year < 1900:
                errors["birth_date"] = ValidationError(
                    _("Een geboortedatum ligt na 1900."), code="after_1900")
        out["birth_date"] = self.birth_date
        if self.sex not in Sex.values:
            errors["sex"] = ValidationError(
                _("Geslacht is een BRP-code: M, V of O."), code="brp_sex_code")
        out["sex"] = self.sex
        out["postcode"] = ""
        out["house_number"] = None
        if self.postcode:
            try:
                out["postcode"] = validators.normalise_postcode(self.postcode)
            except ValidationError as exc:
                errors["postcode"] = exc
            if self.house_number is None:
                errors["house_number"] = ValidationError(
                    _("Bij een postcode hoort een huisnummer."), code="required_with_postcode")
        if self.house_number is not None:
            try:
                out["house_number"] = validators.validate_house_number(self.house_number)
            except ValidationError as exc:
                errors["house_number"] = exc
        for name, check in (("house_letter", validators.normalise_house_letter),
                            ("house_number_addition", validators.normalise_house_number_addition)):
            try:
                out[name] = check(getattr(self, name) or "")
            except ValidationError as exc:
                errors[name] = exc
            if out.get(name) and out["house_number"] is None:
                errors[name] = ValidationError(
                    _("Hoort bij een huisnummer."), code="required_with_house_number")
        _invalid(errors)
        return out


def neighbourhood_for(postcode: str, house_number: int | None) -> tuple[str | None, bool]:
    """(neighbourhood code or None, unknown flag). A well-formed postcode the table does
    not know is accepted with the neighbourhood left empty and flagged: new streets exist."""
    if not postcode or house_number is None:
        return None, False
    from django.db import connection

    with connection.cursor() as cursor:  # one indexed lookup on every registration: raw SQL
        cursor.execute(
            f"SELECT neighbourhood_id FROM {PostcodeAddress._meta.db_table} "  # noqa: S608
            "WHERE postcode = %s AND house_number = %s", [postcode, house_number])
        row = cursor.fetchone()
    code = row[0] if row else None
    return code, code is None


@dataclass
class Registered:
    """What a registration answers: the person, as the BRP knows them (or as entered, for a
    youth without a BSN). The answer is the same whether or not the chain knew the person."""

    person: Person


def _new_system_id() -> str:
    return "JK" + "".join(secrets.choice("0123456789") for _ in range(10))


def _folded(name: str) -> str:
    """A family name compared the way people write it: case, accents, spaces and hyphens
    do not count ("Nguyễn" is "nguyen", "Yilmaz - Kaya" is "yilmaz-kaya")."""
    decomposed = unicodedata.normalize("NFKD", name.replace("ı", "i"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return re.sub(r"\s*-\s*", "-", re.sub(r"\s+", " ", plain)).strip()


def _agrees(values: dict[str, Any], found: BrpPerson | None) -> bool:
    """Do BSN, birth date and family name agree with the BRP? The family name may be
    written with or without its prefix ("de Vries" or "Vries")."""
    if found is None or values["birth_date"] is None:
        return False
    names = {_folded(found.family_name), _folded(found.surname)}
    return found.birth.agrees_with(values["birth_date"]) and _folded(values["family_name"]) in names


def brp_mismatch() -> ValidationError:
    """One answer for a BSN the BRP does not know and for any disagreement: it names the
    fields to check and reveals no BRP value (nor which of the three differs)."""
    message = _("BSN, geboortedatum en achternaam komen niet overeen met de BRP.")
    return ValidationError({name: [ValidationError(message, code="brp_mismatch")]
                            for name in VERIFIED_FIELDS})


def brp_unavailable() -> Refusal:
    return Refusal("brp_unavailable", _(
        "De BRP is nu niet bereikbaar. Er is niets vastgelegd; probeer het over een paar "
        "minuten opnieuw."), status=503)


@audit.write_path
def _deny(actor: Actor, action: Action, target: Target, decision: Decision) -> NoReturn:
    """Log a denial that was decided before any transaction (see register_person)."""
    raise audit.AccessDenied(actor, action, target, decision)


@audit.write_path
def _refuse(actor: Actor, decision: Decision, refusal: Exception) -> NoReturn:
    """Log an allowed registration attempt that the BRP check refused (the write path
    records it as `refused` with the rule), then refuse it."""
    audit.append([audit.entry(actor, Action.CREATE, Target(Data.BASE_DATA), decision)])
    raise refusal


MISMATCH_REASON = "invalid birth_date: brp_mismatch; bsn: brp_mismatch; family_name: brp_mismatch"


def mismatches_today(actor: Actor) -> int:
    """How often this user's registrations disagreed with the BRP in the last 24 hours (the
    access log's refused attempts; they name no person)."""
    from datetime import timedelta

    from jeugdketen.access.models import AccessLogRecord

    return AccessLogRecord.objects.filter(
        client_id="", at__gte=timezone.now() - timedelta(hours=24),
        user_id=getattr(actor.user, "pk", None), object_type=Data.BASE_DATA,
        outcome="refused", reason=MISMATCH_REASON).count()


def register_person(actor: Actor, data: PersonInput) -> Registered:
    """Enter a person once. A person with a BSN is verified in the BRP first (outside the
    transaction: a slow BRP must not hold the database's write lock): BSN, birth date and
    family name must agree, and the BRP's base data, address, parents and custody are what
    the platform keeps. Without a BSN the entered data are kept, and grant nothing.

    Guessing is stopped: whoever gets BSN, birth date and family name wrong
    JEUGDKETEN_BRP_MISMATCHES_PER_DAY times in 24 hours registers no one with a BSN until
    the day has passed, and the municipality's privacy officers are told."""
    target = Target(Data.BASE_DATA)
    decision = decide(actor, Action.CREATE, target)
    if not decision.allowed:
        _deny(actor, Action.CREATE, target, decision)
    values = data.clean()
    found: BrpPerson | None = None
    if values.get("bsn"):
        if mismatches_today(actor) >= settings.BRP_MISMATCHES_PER_DAY:
            _refuse(actor, decision, Refusal("brp_mismatch_limit", _(
                "U heeft vandaag te vaak gegevens ingevuld die niet overeenkomen met de BRP. "
                "Registreren met een BSN kan weer na 24 uur; neem bij vragen contact op met de "
                "privacyfunctionaris."), status=429, field="bsn"))
        try:
            found = brp.person(values["bsn"])
        except brp.BrpUnavailable:
            _refuse(actor, decision, brp_unavailable())
        if not _agrees(values, found):
            if mismatches_today(actor) + 1 == settings.BRP_MISMATCHES_PER_DAY:
                _alert_guessing(actor)
            _refuse(actor, decision, brp_mismatch())
    return _register(actor, values, found)


@transaction.atomic
def _alert_guessing(actor: Actor) -> None:
    """Tell the privacy officers of the professional's municipality (a message, no person)."""
    from jeugdketen.referral_index.models import Message

    prof = actor.professional
    if prof is None:
        return
    officers = [p for p in Professional.objects.filter(
        organisation__municipality_id=prof.organisation.municipality_id)
        if "privacy_officer" in p.roles]
    for officer in officers:
        Message.objects.create(recipient=officer, subject=_("Registratie: let op"), body=_(
            "%(name)s (%(org)s) vulde vandaag %(n)s keer een BSN in met een geboortedatum of "
            "achternaam die niet overeenkomt met de BRP. Registreren met een BSN is voor deze "
            "professional 24 uur geblokkeerd. Bekijk het toegangslog.") % {
            "name": prof.full_name, "org": prof.organisation.name,
            "n": settings.BRP_MISMATCHES_PER_DAY})


def _brp_values(found: BrpPerson) -> dict[str, Any]:
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


def apply_brp(person: Person, found: BrpPerson, now: Any) -> list[str]:
    """Bring a person's kept BRP facts up to date; returns the fields that changed. Part of
    the calling action's transaction."""
    changed = [name for name, value in _brp_values(found).items()
               if getattr(person, name) != value]
    for name, value in _brp_values(found).items():
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


@audit.write_path
def _register(actor: Actor, values: dict[str, Any], found: BrpPerson | None) -> Registered:
    decision = decide(actor, Action.CREATE, Target(Data.BASE_DATA))
    now = timezone.now()
    if found is not None:
        # The unique constraint decides between two simultaneous registrations: insert, or
        # do nothing when the BSN exists (ON CONFLICT DO NOTHING, no savepoint), then read.
        candidate = Person(bsn=found.bsn, created_at=now, **_brp_values(found))
        Person.objects.bulk_create([candidate], ignore_conflicts=True)
        person = Person.objects.select_for_update().get(bsn=found.bsn)
        created = person.pk == candidate.pk
        apply_brp(person, found, now)
    else:
        created = True
        code, unknown = neighbourhood_for(values["postcode"], values["house_number"])
        entered = {k: values[k] for k in ("given_names", "family_name", "birth_date", "sex",
                                          "postcode", "house_number", "house_letter",
                                          "house_number_addition")}
        while True:
            try:
                with transaction.atomic():
                    person = Person.objects.create(
                        system_id=_new_system_id(), neighbourhood_id=code,
                        neighbourhood_unknown=unknown, created_at=now, updated_at=now, **entered)
                break
            except IntegrityError:  # pragma: no cover - a collision in 10^10
                continue
    assert actor.professional is not None
    org = actor.professional.organisation_id
    Registration.objects.bulk_create([Registration(
        person=person, professional=actor.professional, organisation_id=org)],
        ignore_conflicts=True)
    audit.append([audit.entry(actor, Action.CREATE, Target(Data.BASE_DATA, person=person),
                              decision)])
    emit(Activity.PERSON_REGISTERED if created else Activity.PERSON_REREGISTERED,
         person=person, organisation_id=org)
    if found is not None:
        _report_back(actor, person, values)
    return Registered(person)


def _report_back(actor: Actor, person: Person, values: dict[str, Any]) -> None:
    """Entered data that differ from the BRP's become a report back to the BRP for the
    municipality's functional administrator (who passes it on or rejects it)."""
    assert actor.professional is not None
    entered_address = values["postcode"] not in ("", None)
    changes = {
        name: {"current": getattr(person, name), "proposed": values[name]}
        for name in REPORTED_FIELDS
        if (name in ("given_names", "sex") or entered_address)
        and values[name] not in (None,) and getattr(person, name) != values[name]
    }
    if changes:
        CorrectionProposal.objects.create(person=person, proposed_by=actor.professional,
                                          changes=changes)
        emit(Activity.CORRECTION_PROPOSED, person=person,
             organisation_id=actor.professional.organisation_id,
             attributes={"fields": sorted(changes)})


PERSON_SQL = (
    "SELECT p.*, EXISTS (SELECT 1 FROM registry_registration r WHERE r.person_id = p.id "
    "AND r.professional_id = %s) AS jk_registered FROM registry_person p WHERE p.id = %s"
)


def _person_with_ground(actor: Actor, person_id: Any) -> Person:
    """The person, with whether this professional registered them (the registration
    ground), in one raw query: every read of personal data runs this."""
    from django.db import connection

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


@audit.write_path
def read_person(actor: Actor, person_id: Any, *, action: Action = Action.READ) -> Person:
    """Read a person's base data (or print it). Denied without a ground; logged either way."""
    try:
        person = _person_with_ground(actor, person_id)
    except (Person.DoesNotExist, ValueError, ValidationError):
        # Unknown and forbidden look the same from outside.
        target = Target(Data.BASE_DATA, object_id=str(person_id)[:64])
        raise audit.AccessDenied(actor, action, target, Decision.deny("no such person")) from None
    target = Target(Data.BASE_DATA, person=person)
    decision = audit.authorize(actor, action, target)
    if decision.emergency:
        emit(Activity.EMERGENCY_ACCESS, person=person,
             organisation_id=actor.professional.organisation_id if actor.professional else None)
    return person


def registered_by(professional: Professional | None, where: Any = None) -> Any:
    """The persons this professional registered (their registration ground), narrowed by
    `where` (a Q of a search), each with when this professional registered them. Only a
    query: nothing is read until the list is read through list_registered. A search never
    reaches beyond the professional's own registrations, so neither its result nor its
    count says anything about anyone else."""
    from django.db.models import OuterRef, Subquery

    if professional is None:
        return Person.objects.none()
    persons = Person.objects.filter(registrations__professional=professional)
    if where is not None:
        persons = persons.filter(where)
    registered_at = Registration.objects.filter(
        person=OuterRef("pk"), professional=professional).values("created_at")[:1]
    return persons.annotate(jk_registered_at=Subquery(registered_at))


REGISTERED_ORDER = ("family_name", "given_names", "id")


@audit.write_path
def list_registered(actor: Actor, *, limit: int = 25, offset: int = 0, where: Any = None,
                    order: tuple[str, ...] = REGISTERED_ORDER) -> list[Person]:
    """The persons this professional registered (narrowed by a search `where`, in `order`).
    Listing counts as reading each one."""
    if actor.professional is None:
        return []
    persons = list(
        registered_by(actor.professional, where)
        .select_related("neighbourhood")
        .order_by(*order)[offset : offset + limit]
    )
    for person in persons:  # the ground is known from the query: no query per person
        person.jk_registered = True  # type: ignore[attr-defined]
        person.jk_registered_for = actor.professional.pk  # type: ignore[attr-defined]
    allowed = audit.authorize_many(
        actor, Action.READ, [Target(Data.BASE_DATA, person=p) for p in persons]
    )
    return [t.person for t in allowed if t.person is not None]


@audit.write_path
def read_listed(actor: Actor, persons: list[Person]) -> list[Person]:
    """Persons already loaded with other records of a list (the child a decision aid is
    about), read: each counts as read and is logged, all at once; those the actor has no
    ground for are left out (and logged as denied)."""
    allowed = audit.authorize_many(
        actor, Action.READ, [Target(Data.BASE_DATA, person=p) for p in persons])
    return [t.person for t in allowed if t.person is not None]


@dataclass
class MemberInput:
    person_id: Any
    relation: str = ""  # empty: as the BRP says; for a youth without a BSN: as entered


def _relations(persons: list[Person], stated: list[str]
               ) -> tuple[list[tuple[str, bool]], dict[str, ValidationError]]:
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
    errors: dict[str, ValidationError] = {}
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
            errors[f"members[{i}].person_id"] = ValidationError(_(
                "Volgens de BRP is deze persoon geen ouder, gezaghebbende, kind of huisgenoot "
                "van een ander lid van dit huishouden."), code="brp_no_tie")
            relation = ""
        if confirmed and wanted and relation and wanted != relation:
            errors[f"members[{i}].relation"] = ValidationError(
                _("Deze relatie komt niet overeen met de BRP."), code="brp_mismatch")
        out.append((relation, confirmed))
    return out, errors


@audit.write_path
def register_household(actor: Actor, members: list[MemberInput]) -> Household:
    """A household of persons the professional entered. Who is parent, carer, child or
    housemate is the BRP's to say: a professional cannot make anybody a parent or carer."""
    errors: dict[str, ValidationError] = {}
    if not members:
        errors["members"] = ValidationError(_("Een huishouden heeft ten minste één lid."),
                                            code="min_items")
    elif len(members) > MAX_MEMBERS:
        errors["members"] = ValidationError(
            _("Een huishouden heeft ten hoogste %(n)s leden.") % {"n": MAX_MEMBERS},
            code="max_items")
    _invalid(errors)
    persons: list[Person] = []
    stated: list[str] = []
    seen: set[str] = set()
    unknown = False
    for i, member in enumerate(members):
        if member.relation and member.relation not in Relation.values:
            errors[f"members[{i}].relation"] = ValidationError(
                _("Relatie is parent, carer, child of housemate."), code="relation_choice")
        try:
            person = Person.objects.select_related("neighbourhood").get(pk=member.person_id)
        except (Person.DoesNotExist, ValueError, ValidationError):
            # An unknown id is refused like a person without a ground (403, logged), so the
            # answer never tells which ids exist.
            unknown = True
            continue
        if str(person.pk) in seen:
            errors[f"members[{i}].person_id"] = ValidationError(
                _("Deze persoon staat al in het huishouden."), code="duplicate_member")
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
    _invalid(errors)
    # Judged only now, after the policy: the answer says nothing about persons the
    # professional did not enter.
    relations, errors = _relations(persons, stated)
    _invalid(errors)
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


def households_of(person: Person) -> list[Household]:
    return list(Household.objects.filter(members__person=person).distinct())


def siblings_of(person: Person) -> list[Person]:
    """Siblings are derived from the BRP: children who share at least one parent."""
    if not person.bsn:
        return []
    parents = Kinship.objects.filter(child=person, is_parent=True).values("relative_bsn")
    return list(Person.objects.filter(kin__relative_bsn__in=parents, kin__is_parent=True)
                .exclude(pk=person.pk).distinct())


@audit.write_path
def decide_correction(actor: Actor, proposal_id: int, *, accept: bool) -> CorrectionProposal:
    """The functional administrator passes a report back on to the BRP (accept) or rejects
    it. The platform's copy stays the BRP's: it changes when the BRP does."""
    proposal = audit.get_or_deny(actor, Action.UPDATE, Data.CORRECTION,
                                 CorrectionProposal.objects.select_for_update()
                                 .select_related("person"), proposal_id, "correction")
    person = proposal.person
    target = Target(Data.CORRECTION, person=person, object_id=str(proposal.pk))
    audit.authorize(actor, Action.UPDATE, target)
    if proposal.status != CorrectionStatus.OPEN:
        raise ValidationError({"status": [ValidationError(
            _("Dit voorstel is al beoordeeld."), code="already_decided")]})
    proposal.status = CorrectionStatus.ACCEPTED if accept else CorrectionStatus.REJECTED
    proposal.decided_by = actor.professional
    proposal.decided_at = timezone.now()
    proposal.save()
    emit(Activity.CORRECTION_DECIDED, person=person,
         attributes={"accepted": accept, "fields": sorted(proposal.changes)})
    return proposal


# --- organisations and professionals --------------------------------------------------


@audit.write_path
def create_organisation(
    actor: Actor, *, name: str, kind: str, municipality_code: str,
    may_signal: bool = False, may_coordinate: bool = False,
) -> Organisation:
    audit.authorize(actor, Action.CREATE, Target(Data.ORGANISATION, object_id=(name or "")[:64],
                                                 record={"municipality_id": municipality_code,
                                                         "new_kind": kind}))
    errors: dict[str, ValidationError] = {}
    name = (name or "").strip()
    _required(name, "name", errors)
    _no_nul(name, "name", errors)
    _kind_and_municipality(kind, municipality_code, errors, current="")
    if (name and "name" not in errors and "municipality_code" not in errors
            and Organisation.objects.filter(municipality_id=municipality_code, name=name).exists()):
        errors["name"] = ValidationError(
            _("Deze organisatie bestaat al in deze gemeente."), code="unique")
    _invalid(errors)
    try:
        with transaction.atomic():
            org = Organisation.objects.create(
                name=name, kind=kind, municipality_id=municipality_code,
                may_signal=may_signal, may_coordinate=may_coordinate)
    except IntegrityError:
        raise ValidationError({"name": [ValidationError(
            _("Deze organisatie bestaat al in deze gemeente."), code="unique")]}) from None
    emit(Activity.ORGANISATION_CREATED, organisation_id=org.pk,
         attributes={"kind": kind, "municipality": municipality_code})
    return org


@audit.write_path
def create_professional(
    actor: Actor, *, organisation_id: int, username: str, full_name: str, email: str,
    phone: str = "", roles: list[str], password: str | None = None,
    with_token: bool = False,
) -> Professional:
    """A professional with a login. `with_token=True` also issues their first API token in
    the same transaction, on the same decision (the raw value is on `.api_token`, shown
    once): one request, one outcome, never an account without its token or the reverse."""
    municipality = (Organisation.objects.filter(pk=organisation_id)
                    .values_list("municipality_id", flat=True).first()
                    if isinstance(organisation_id, int) else None)
    audit.authorize(actor, Action.CREATE, Target(
        Data.PROFESSIONAL, object_id=(username or "")[:64],
        record={"municipality_id": municipality, "roles": list(roles or [])}))
    from django.core.validators import validate_email

    user_model = get_user_model()
    errors: dict[str, ValidationError] = {}
    username = (username or "").strip()
    _required(username, "username", errors)
    _required((full_name or "").strip(), "full_name", errors)
    for field_name, value in (("username", username), ("full_name", full_name),
                              ("phone", phone)):
        _no_nul(value, field_name, errors)
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = ValidationError(_("Geen geldig e-mailadres."), code="email")
    bad = [r for r in roles if r not in Role.values]
    if not roles or bad:
        errors["roles"] = ValidationError(
            _("Rollen zijn een of meer van: %(roles)s.") % {"roles": ", ".join(Role.values)},
            code="role_choice")
    if not Organisation.objects.filter(pk=organisation_id).exists():
        errors["organisation_id"] = ValidationError(_("Onbekende organisatie."),
                                                    code="unknown_organisation")
    elif not Organisation.objects.filter(pk=organisation_id, active=True).exists():
        errors["organisation_id"] = ValidationError(
            _("Deze organisatie is uitgezet: zet haar eerst weer aan."),
            code="organisation_inactive")
    if (username and "username" not in errors
            and user_model.objects.filter(username=username).exists()):
        errors["username"] = ValidationError(_("Deze gebruikersnaam is al in gebruik."),
                                             code="unique")
    _invalid(errors)
    try:
        with transaction.atomic():
            user = user_model.objects.create_user(username=username, email=email,
                                                  password=password)
    except IntegrityError:
        raise ValidationError({"username": [ValidationError(
            _("Deze gebruikersnaam is al in gebruik."), code="unique")]}) from None
    prof = Professional.objects.create(
        user=user, organisation_id=organisation_id, full_name=full_name.strip(),
        email=email, phone=phone, roles=sorted(set(roles)))
    emit(Activity.PROFESSIONAL_CREATED, organisation_id=organisation_id,
         attributes={"roles": prof.roles})
    if with_token:
        from datetime import timedelta

        from django.conf import settings

        from jeugdketen.access.models import ApiToken, hash_token

        raw = ApiToken.generate()
        ApiToken.objects.create(
            user=user, prefix=raw[3:11], digest=hash_token(raw),
            expires_at=timezone.now() + timedelta(days=settings.API_TOKEN_DAYS))
        prof.api_token = raw  # type: ignore[attr-defined]
    return prof


def _organisation_record(organisation: Organisation) -> dict[str, Any]:
    return {"municipality_id": organisation.municipality_id}


def _kind_and_municipality(kind: str, municipality_code: str,
                           errors: dict[str, ValidationError], current: str) -> None:
    if kind not in OrganisationKind.values:
        errors["kind"] = ValidationError(
            _("Soort is een van: %(kinds)s.") % {"kinds": ", ".join(OrganisationKind.values)},
            code="organisation_kind")
    try:
        validators.validate_municipality_code(municipality_code)
        place = Municipality.objects.filter(code=municipality_code).first()
        if place is None:
            errors["municipality_code"] = ValidationError(
                _("Deze gemeente is niet bekend in het platform."), code="unknown_municipality")
        elif place.ended_on is not None and municipality_code != current:
            errors["municipality_code"] = ValidationError(
                _("Deze gemeente bestaat niet meer sinds %(day)s (gemeentelijke herindeling).")
                % {"day": place.ended_on.strftime("%d-%m-%Y")}, code="ended_municipality")
    except ValidationError as exc:
        errors["municipality_code"] = exc


@audit.write_path
def update_organisation(
    actor: Actor, organisation_id: Any, *, name: str, kind: str, municipality_code: str,
    may_signal: bool, may_coordinate: bool,
) -> Organisation:
    """Change an organisation's name, kind, municipality and what it may do in the
    reference index. A functional administrator changes only their own municipality's
    organisations and cannot move one to another municipality (both are checked)."""
    organisation = audit.get_or_deny(actor, Action.UPDATE, Data.ORGANISATION,
                                     Organisation.objects.select_for_update(),
                                     organisation_id, "organisation")
    audit.authorize(actor, Action.UPDATE, Target(
        Data.ORGANISATION, object_id=str(organisation.pk),
        record=_organisation_record(organisation)))
    if municipality_code != organisation.municipality_id:
        audit.authorize(actor, Action.UPDATE, Target(
            Data.ORGANISATION, object_id=str(organisation.pk),
            record={"municipality_id": municipality_code}))
    if kind != organisation.kind:
        audit.authorize(actor, Action.UPDATE, Target(
            Data.ORGANISATION, object_id=str(organisation.pk),
            record={"municipality_id": organisation.municipality_id, "new_kind": kind,
                    "kind_change": True}))
    errors: dict[str, ValidationError] = {}
    name = (name or "").strip()
    _required(name, "name", errors)
    _no_nul(name, "name", errors)
    _kind_and_municipality(kind, municipality_code, errors, organisation.municipality_id)
    if (name and not errors and Organisation.objects.filter(
            municipality_id=municipality_code, name=name).exclude(pk=organisation.pk).exists()):
        errors["name"] = ValidationError(
            _("Deze organisatie bestaat al in deze gemeente."), code="unique")
    _invalid(errors)
    values = {"name": name, "kind": kind, "municipality_id": municipality_code,
              "may_signal": bool(may_signal), "may_coordinate": bool(may_coordinate)}
    changed = sorted(k.replace("_id", "") for k, v in values.items()
                     if getattr(organisation, k) != v)
    for key, value in values.items():
        setattr(organisation, key, value)
    try:
        with transaction.atomic():
            organisation.save()
    except IntegrityError:
        raise ValidationError({"name": [ValidationError(
            _("Deze organisatie bestaat al in deze gemeente."), code="unique")]}) from None
    if changed:
        emit(Activity.ORGANISATION_UPDATED, organisation_id=organisation.pk,
             attributes={"fields": changed, "kind": kind, "municipality": municipality_code})
    return organisation


@audit.write_path
def set_organisation_active(actor: Actor, organisation_id: Any, *, active: bool
                            ) -> Organisation:
    """Deactivate an organisation (its records stay): every account of it is switched off
    and its API tokens and open activation codes are revoked, so nobody acts for it any
    more. Reactivating it switches no account back on: that is done per professional."""
    from jeugdketen.access.models import ActivationCode, ApiToken

    organisation = audit.get_or_deny(actor, Action.UPDATE, Data.ORGANISATION,
                                     Organisation.objects.select_for_update(),
                                     organisation_id, "organisation")
    record = _organisation_record(organisation)
    if not active:
        # Switching it off switches off its accounts: as for switching off one account, a
        # functional administrator may not do it to a privileged one (the policy checks).
        record["roles"] = sorted({role for roles in Professional.objects.filter(
            organisation=organisation, user__is_active=True).values_list("roles", flat=True)
            for role in roles})
    audit.authorize(actor, Action.UPDATE, Target(
        Data.ORGANISATION, object_id=str(organisation.pk), record=record))
    if organisation.active == active:
        return organisation
    if not active and actor.professional is not None \
            and actor.professional.organisation_id == organisation.pk:
        raise Refusal("own_organisation", _(
            "U kunt uw eigen organisatie niet uitzetten."), status=409, field="active")
    now = timezone.now()
    organisation.active = active
    organisation.deactivated_at = None if active else now
    organisation.save(update_fields=["active", "deactivated_at"])
    switched_off = 0
    if not active:
        users = get_user_model().objects.filter(professional__organisation=organisation)
        switched_off = users.filter(is_active=True).update(is_active=False)
        ApiToken.objects.filter(user__in=users, revoked_at__isnull=True).update(revoked_at=now)
        ActivationCode.objects.filter(user__in=users, used_at__isnull=True,
                                      revoked_at__isnull=True).update(revoked_at=now)
    emit(Activity.ORGANISATION_ACTIVE_CHANGED, organisation_id=organisation.pk,
         attributes={"active": active, "accounts_switched_off": switched_off})
    return organisation


def _professional_record(professional: Professional, roles: list[str] | None = None
                         ) -> dict[str, Any]:
    every = set(professional.roles) | set(roles or [])
    return {"municipality_id": professional.organisation.municipality_id,
            "roles": sorted(every)}


@audit.write_path
def update_professional(
    actor: Actor, professional_id: Any, *, full_name: str, email: str, phone: str = "",
    roles: list[str],
) -> Professional:
    """Change a professional's name, contact details and roles. A functional administrator
    neither gives nor takes a privileged role (the old and the new roles are checked)."""
    from django.core.validators import validate_email

    professional = audit.get_or_deny(
        actor, Action.UPDATE, Data.PROFESSIONAL,
        Professional.objects.select_for_update(of=("self",)).select_related("organisation"),
        professional_id, "professional")
    decision = audit.authorize(actor, Action.UPDATE, Target(
        Data.PROFESSIONAL, object_id=str(professional.user_id),
        record=_professional_record(professional, list(roles or []))))
    errors: dict[str, ValidationError] = {}
    full_name = (full_name or "").strip()
    _required(full_name, "full_name", errors)
    for field_name, value in (("full_name", full_name), ("phone", phone)):
        _no_nul(value, field_name, errors)
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = ValidationError(_("Geen geldig e-mailadres."), code="email")
    bad = [r for r in roles or [] if r not in Role.values]
    if not roles or bad:
        errors["roles"] = ValidationError(
            _("Rollen zijn een of meer van: %(roles)s.") % {"roles": ", ".join(Role.values)},
            code="role_choice")
    _invalid(errors)
    new_roles = sorted(set(roles))
    if (actor.professional is not None and actor.professional.pk == professional.pk
            and decision.role not in new_roles):
        raise ValidationError({"roles": [ValidationError(
            _("U kunt uw eigen beheerrol niet afnemen."), code="own_role")]})
    old_roles = list(professional.roles)
    professional.full_name, professional.email = full_name, email
    professional.phone, professional.roles = phone or "", new_roles
    professional.save(update_fields=["full_name", "email", "phone", "roles"])
    if old_roles != new_roles:
        emit(Activity.PROFESSIONAL_UPDATED, organisation_id=professional.organisation_id,
             attributes={"roles": new_roles, "roles_before": old_roles})
    return professional


@audit.write_path
def set_professional_active(actor: Actor, professional_id: Any, *, active: bool
                            ) -> Professional:
    """Switch a professional's account off (their API tokens and open activation codes
    are revoked at once) or on again (in an active organisation; they log in with their
    password and authenticator, or get a new activation code)."""
    from jeugdketen.access.models import ActivationCode, ApiToken

    professional = audit.get_or_deny(
        actor, Action.UPDATE, Data.PROFESSIONAL,
        Professional.objects.select_related("organisation", "user"),
        professional_id, "professional")
    audit.authorize(actor, Action.UPDATE, Target(
        Data.PROFESSIONAL, object_id=str(professional.user_id),
        record=_professional_record(professional)))
    user = get_user_model().objects.select_for_update().get(pk=professional.user_id)
    if user.is_active == active:
        return professional
    if not active and actor.user is not None and actor.user.pk == user.pk:
        raise Refusal("own_account", _("U kunt uw eigen account niet uitzetten."),
                      status=409, field="active")
    if active and not professional.organisation.active:
        raise Refusal("organisation_inactive", _(
            "De organisatie is uitgezet: zet haar eerst weer aan."), status=409,
            field="active")
    user.is_active = active
    user.save(update_fields=["is_active"])
    if not active:
        now = timezone.now()
        ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)
        ActivationCode.objects.filter(user=user, used_at__isnull=True,
                                      revoked_at__isnull=True).update(revoked_at=now)
    emit(Activity.PROFESSIONAL_ACTIVE_CHANGED, organisation_id=professional.organisation_id,
         attributes={"active": active})
    professional.user = user
    return professional


def administered_municipality(actor: Actor) -> str | None:
    """The municipality an administrator's lists are limited to: a functional
    administrator's own; None (every municipality) for a platform administrator."""
    if "platform_admin" in actor.roles or actor.professional is None:
        return None
    return actor.professional.organisation.municipality_id


@audit.write_path
def list_organisations(actor: Actor, *, query: str = "", limit: int = 25, offset: int = 0
                       ) -> tuple[list[Organisation], int]:
    """Organisations for their administrators (a functional administrator's own
    municipality only), searched by name, municipality name or code, with their number of
    professionals. No personal data of clients."""
    from django.db.models import Count, Q

    own = administered_municipality(actor)
    audit.authorize(actor, Action.READ, Target(Data.ORGANISATION,
                                               record={"municipality_id": own}))
    qs = Organisation.objects.select_related("municipality").annotate(
        staff=Count("professionals"))
    if own is not None:
        qs = qs.filter(municipality_id=own)
    query = (query or "").strip()[:100]
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(municipality__name__icontains=query)
                       | Q(municipality__code__iexact=query))
    total = qs.count()
    return list(qs.order_by("-active", "name", "pk")[offset:offset + limit]), total


@audit.write_path
def read_organisation(actor: Actor, organisation_id: Any
                      ) -> tuple[Organisation, list[Professional]]:
    """An organisation and its professionals (names, roles, whether the account is on),
    for an administrator who manages it."""
    organisation = audit.get_or_deny(actor, Action.READ, Data.ORGANISATION,
                                     Organisation.objects.select_related("municipality"),
                                     organisation_id, "organisation")
    audit.authorize(actor, Action.READ, Target(
        Data.ORGANISATION, object_id=str(organisation.pk),
        record=_organisation_record(organisation)))
    staff = list(organisation.professionals.select_related("user").order_by("full_name", "pk"))
    return organisation, staff


@audit.write_path
def list_open_corrections(actor: Actor, *, limit: int = 50) -> list[CorrectionProposal]:
    """Open reports back to the BRP of the functional administrator's own municipality
    (the persons who live there, or were entered by its organisations). Listing counts as
    reading the base data of each person listed."""
    from django.db.models import Q

    own = (actor.professional.organisation.municipality_id
           if actor.professional is not None else None)
    proposals = list(
        CorrectionProposal.objects.filter(status=CorrectionStatus.OPEN)
        .filter(Q(person__neighbourhood__district__municipality_id=own)
                | Q(person__neighbourhood__isnull=True,
                    person__registrations__organisation__municipality_id=own)).distinct()
        .select_related("person__neighbourhood__district", "proposed_by__organisation")
        .order_by("created_at")[:limit]
    )
    # What the policy asks of each person, loaded for the whole list at once: where they
    # belong, and that they have an open proposal (this one).
    unplaced: dict[Any, set[str]] = {p.person_id: set() for p in proposals
                                     if p.person.neighbourhood_id is None}
    for person_id, municipality_id in (Registration.objects.filter(person_id__in=unplaced)
                                       .values_list("person_id",
                                                    "organisation__municipality_id")):
        unplaced[person_id].add(municipality_id)
    for p in proposals:
        p.person.jk_municipalities = (  # type: ignore[attr-defined]
            unplaced[p.person_id] if p.person.neighbourhood is None
            else {p.person.neighbourhood.district.municipality_id})
        p.person.jk_open_correction = p.person.jk_correction = True  # type: ignore[attr-defined]
    allowed = audit.authorize_many(
        actor, Action.READ,
        [Target(Data.CORRECTION, person=p.person, object_id=str(p.pk)) for p in proposals],
    )
    ids = {t.object_id for t in allowed}
    return [p for p in proposals if str(p.pk) in ids]


# --- reference data: areas and the postcode table (no personal data) ------------------


@transaction.atomic
def ensure_area(
    *, municipality: tuple[str, str], district: tuple[str, str], neighbourhood: tuple[str, str]
) -> Neighbourhood:
    """Create or rename a municipality, district and neighbourhood (code, name) in one go."""
    m_code = validators.validate_municipality_code(municipality[0])
    m, _c = Municipality.objects.update_or_create(code=m_code, defaults={"name": municipality[1]})
    d_code = validators.cbs_code("WK", district[0], 6)
    d, _c = District.objects.update_or_create(
        code=d_code, defaults={"name": district[1], "municipality": m})
    n_code = validators.cbs_code("BU", neighbourhood[0], 8)
    n, _c = Neighbourhood.objects.update_or_create(
        code=n_code, defaults={"name": neighbourhood[1], "district": d})
    return n


@dataclass
class PostcodeImport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    new_areas: int = 0
    errors: list[str] = field(default_factory=list)


def _column(header: list[str], prefix: str) -> int:
    for i, name in enumerate(header):
        if name.strip().strip('"').lower().startswith(prefix.lower()):
            return i
    raise ValidationError(
        _("Kolom %(name)s ontbreekt in de kop.") % {"name": prefix}, code="cbs_layout")


def import_postcodes(lines: Any, *, batch: int = 5000) -> PostcodeImport:
    """Import CBS's postcode-house-number-neighbourhood table (pc6hnr layout:
    `PC6;Huisnummer;BuurtJJJJ;WijkJJJJ;GemeenteJJJJ`, ';'-separated, codes as bare numbers
    or with their BU/WK/GM prefix). Re-running replaces rows; unknown areas are created
    with their code as name."""
    import csv

    reader = csv.reader(lines, delimiter=";")
    header = next(reader)
    cols = [_column(header, p) for p in ("PC6", "Huisnummer", "Buurt", "Wijk", "Gemeente")]
    result = PostcodeImport()
    known = set(Neighbourhood.objects.values_list("code", flat=True))
    pending: list[PostcodeAddress] = []

    def flush() -> None:
        with transaction.atomic():
            before = PostcodeAddress.objects.count()
            PostcodeAddress.objects.bulk_create(
                pending, update_conflicts=True, unique_fields=["postcode", "house_number"],
                update_fields=["neighbourhood"])
            added = PostcodeAddress.objects.count() - before
        result.created += added
        result.updated += len(pending) - added
        pending.clear()

    for lineno, row in enumerate(reader, start=2):
        result.rows += 1
        try:
            pc, nr, bu, wk, gm = (row[i].strip().strip('"') for i in cols)
            postcode = validators.normalise_postcode(pc)
            number = validators.validate_house_number(int(nr))
            bu_code = validators.cbs_code("BU", bu, 8)
            if bu_code not in known:
                ensure_area(municipality=(validators.cbs_code("GM", gm, 4),) * 2,
                            district=(wk, validators.cbs_code("WK", wk, 6)),
                            neighbourhood=(bu, bu_code))
                known.add(bu_code)
                result.new_areas += 1
        except (ValidationError, ValueError, IndexError) as exc:
            msg = exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
            result.errors.append(f"line {lineno}: {msg}")
            continue
        pending.append(PostcodeAddress(postcode=postcode, house_number=number,
                                       neighbourhood_id=bu_code))
        if len(pending) >= batch:
            flush()
    if pending:
        flush()
    return result


# --- reference data: CBS's municipalities and areas -----------------------------------

MUNICIPALITY_LIST = "data/gemeenten-2026.csv"  # CBS, Gemeentelijke indeling op 1 januari 2026


def _csv_rows(lines: Any) -> tuple[list[str], Any]:
    """The header and the rows of a CBS CSV file, whichever separator it uses (StatLine
    downloads use ';', files written by cbsodata/pandas ',')."""
    import csv

    rows = iter(lines)
    first = next(rows, "")
    delimiter = max(";,\t", key=first.count)
    header = next(csv.reader([first], delimiter=delimiter), [])
    return header, csv.reader(rows, delimiter=delimiter)


def _header_key(name: str) -> str:
    """A column name without quotes, case, spaces, underscores and CBS's trailing number
    (`Codering_3`, `Codering_4` and `Codering` are one column)."""
    return re.sub(r"[\s_\"]+|\d+$", "", name.strip().strip('"').rstrip("0123456789")).lower()


def _find_columns(header: list[str], wanted: dict[str, tuple[str, ...]]) -> dict[str, int]:
    keys = [_header_key(h) for h in header]
    found: dict[str, int] = {}
    for what, aliases in wanted.items():
        for alias in aliases:
            if _header_key(alias) in keys:
                found[what] = keys.index(_header_key(alias))
                break
        else:
            raise ValidationError(
                _("Regel 1: kolom %(name)s ontbreekt in de kop (gevonden: %(found)s).")
                % {"name": aliases[0], "found": ", ".join(h.strip() for h in header)},
                code="cbs_layout")
    return found


@dataclass
class MunicipalityLoad:
    created: list[str] = field(default_factory=list)
    renamed: list[str] = field(default_factory=list)  # "GM0000: old -> new"
    ended: list[str] = field(default_factory=list)
    reopened: list[str] = field(default_factory=list)
    unchanged: int = 0


def read_municipalities(lines: Any) -> list[tuple[str, str]]:
    """(code, name) from CBS's list of municipalities: the CSV of "Gemeenten alfabetisch"
    (columns GemeentecodeGM or Gemeentecode, and Gemeentenaam; others are ignored). Every
    error names its line and column; a file with errors loads nothing."""
    header, reader = _csv_rows(lines)
    keys = [_header_key(h) for h in header]
    code_alias = "GemeentecodeGM" if "gemeentecodegm" in keys else "Gemeentecode"
    cols = _find_columns(header, {"code": (code_alias,), "name": ("Gemeentenaam",)})
    found: dict[str, str] = {}
    errors: list[str] = []
    for lineno, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        try:
            raw_code, name = (row[cols[c]].strip() for c in ("code", "name"))
        except IndexError:
            errors.append(_("Regel %(line)d: te weinig kolommen.") % {"line": lineno})
            continue
        try:
            code = validators.validate_municipality_code(validators.cbs_code("GM", raw_code, 4))
        except ValidationError as exc:
            errors.append(_("Regel %(line)d, kolom %(column)s: %(error)s") % {
                "line": lineno, "column": header[cols["code"]].strip(), "error": exc.messages[0]})
            continue
        if not name or len(name) > 100:
            errors.append(_("Regel %(line)d, kolom %(column)s: een naam van 1 tot 100 tekens.")
                          % {"line": lineno, "column": header[cols["name"]].strip()})
        elif code in found:
            errors.append(_("Regel %(line)d, kolom %(column)s: %(code)s staat al eerder in "
                            "het bestand.") % {"line": lineno, "column": header[cols["code"]].strip(),
                                               "code": code})
        else:
            found[code] = name
    if errors:
        raise ValidationError(errors, code="cbs_layout")
    if not found:
        raise ValidationError(_("Het bestand noemt geen enkele gemeente."), code="cbs_layout")
    return sorted(found.items())


@transaction.atomic
def load_municipalities(lines: Any, *, on: date) -> MunicipalityLoad:
    """Bring the municipalities up to CBS's list for a new year: new codes are added, a
    changed name is taken over, and a listed municipality the list no longer has is marked
    as ended on `on` (never deleted: organisations, districts and history refer to it).
    Running it again with the same list changes nothing."""
    wanted = dict(read_municipalities(lines))
    result = MunicipalityLoad()
    existing = {m.code: m for m in Municipality.objects.select_for_update()}
    for code, name in wanted.items():
        m = existing.get(code)
        if m is None:
            Municipality.objects.create(code=code, name=name, listed=True)
            result.created.append(f"{code} {name}")
            continue
        changed = []
        if m.name != name:
            result.renamed.append(f"{code}: {m.name} -> {name}")
            m.name = name
            changed.append("name")
        if m.ended_on is not None:
            result.reopened.append(f"{code} {name}")
            m.ended_on = None
            changed.append("ended_on")
        if not m.listed:
            m.listed = True
            changed.append("listed")
        if changed:
            m.save(update_fields=changed)
        else:
            result.unchanged += 1
    for code, m in sorted(existing.items()):
        if code not in wanted and m.listed and m.ended_on is None:
            m.ended_on = on
            m.save(update_fields=["ended_on"])
            result.ended.append(f"{code} {m.name}")
    return result


@dataclass
class AreaImport:
    municipalities: int = 0
    districts_created: int = 0
    neighbourhoods_created: int = 0
    renamed: int = 0
    unchanged: int = 0


# The columns of CBS's "Kerncijfers wijken en buurten": the StatLine table as cbsodata or
# the OData feed writes it (WijkenEnBuurten, Gemeentenaam_1, SoortRegio_2, Codering_3; the
# number after the name may differ per year), StatLine's CSV download with labels
# ("Wijken en buurten", "Gemeentenaam", "Soort regio", "Codering"), or the kwb-JJJJ file
# (regio, gm_naam, recs, gwb_code_10).
AREA_COLUMNS = {
    "name": ("WijkenEnBuurten", "Wijken en buurten", "regio"),
    "municipality": ("Gemeentenaam", "gm_naam"),
    "kind": ("SoortRegio", "Soort regio", "recs"),
    "code": ("Codering", "gwb_code_10"),
}
AREA_KINDS = {"gemeente": "GM", "wijk": "WK", "buurt": "BU", "land": "NL"}


def import_areas(lines: Any) -> AreaImport:
    """Names and codes of CBS's districts (wijken) and neighbourhoods (buurten) from the
    "Kerncijfers wijken en buurten" CSV, so neighbourhoods carry names. Idempotent: a
    known area keeps its code and takes the file's name. A file with errors changes
    nothing; each error names its line and column."""
    header, reader = _csv_rows(lines)
    cols = _find_columns(header, AREA_COLUMNS)
    column = {what: header[i].strip().strip('"') for what, i in cols.items()}
    municipalities: dict[str, str] = {}
    districts: dict[str, tuple[str, str]] = {}  # code: (name, municipality code)
    hoods: dict[str, tuple[str, str]] = {}  # code: (name, district code)
    errors: list[str] = []

    def error(lineno: int, what: str, message: str) -> None:
        errors.append(_("Regel %(line)d, kolom %(column)s: %(error)s") % {
            "line": lineno, "column": column[what], "error": message})

    for lineno, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < len(header):
            errors.append(_("Regel %(line)d: %(found)d kolommen, de kop heeft er %(expected)d.")
                          % {"line": lineno, "found": len(row), "expected": len(header)})
            continue
        name, gm_name, kind, code = (row[cols[c]].strip() for c in ("name", "municipality",
                                                                       "kind", "code"))
        prefix = AREA_KINDS.get(kind.lower())
        if prefix is None:
            error(lineno, "kind", _("onbekende soort regio %(kind)r (Gemeente, Wijk of Buurt).")
                  % {"kind": kind})
            continue
        if prefix == "NL":
            continue  # the country as a whole
        width = {"GM": 4, "WK": 6, "BU": 8}[prefix]
        if not code.upper().startswith(prefix) or not re.fullmatch(rf"\d{{{width}}}", code[2:]):
            error(lineno, "code", _("een %(kind)s heeft een code als %(example)s, niet %(code)r.")
                  % {"kind": kind.lower(), "example": prefix + "0363" + "0" * (width - 4),
                     "code": code})
            continue
        code = code.upper()
        if not name or len(name) > 100:
            error(lineno, "name", _("een naam van 1 tot 100 tekens."))
            continue
        if prefix == "GM":
            municipalities[code] = name
        elif prefix == "WK":
            districts[code] = (name, "GM" + code[2:6])
            municipalities.setdefault("GM" + code[2:6], gm_name or "GM" + code[2:6])
        else:
            hoods[code] = (name, "WK" + code[2:8])
            municipalities.setdefault("GM" + code[2:6], gm_name or "GM" + code[2:6])
    for code, (_name, district) in sorted(hoods.items()):
        if district not in districts and not District.objects.filter(code=district).exists():
            errors.append(_("Buurt %(code)s: wijk %(district)s staat niet in het bestand en is "
                            "niet bekend.") % {"code": code, "district": district})
    if errors:
        raise ValidationError(errors, code="cbs_layout")

    result = AreaImport()
    with transaction.atomic():
        known = set(Municipality.objects.filter(code__in=municipalities)
                    .values_list("code", flat=True))
        for code in sorted(set(municipalities) - known):
            # A municipality CBS's list does not have yet: named as the file names it.
            Municipality.objects.create(code=code, name=municipalities[code])
            result.municipalities += 1
        for model, rows, parent in ((District, districts, "municipality_id"),
                                    (Neighbourhood, hoods, "district_id")):
            current = {o.code: o for o in model.objects.filter(code__in=rows)}  # type: ignore[attr-defined]
            for code, (name, parent_code) in sorted(rows.items()):
                found = current.get(code)
                if found is None:
                    model.objects.create(code=code, name=name, **{parent: parent_code})  # type: ignore[attr-defined]
                    if model is District:
                        result.districts_created += 1
                    else:
                        result.neighbourhoods_created += 1
                elif found.name != name or getattr(found, parent) != parent_code:
                    found.name = name
                    setattr(found, parent, parent_code)
                    found.save(update_fields=["name", parent.removesuffix("_id")])
                    result.renamed += 1
                else:
                    result.unchanged += 1
    return result


@audit.write_path
def configure_municipality(actor: Actor, code: str, *, address_match: bool | None = None,
                           coordinator_days: int | None = None,
                           min_signal_days: int | None = None) -> Municipality:
    """A municipality's own choices for the reference index: whether same-address signals
    match, how many working days the involved have to agree on a coordinator, and the
    shortest duration of a signal."""
    audit.authorize(actor, Action.UPDATE, Target(Data.ORGANISATION, object_id=code[:64],
                                                 record={"municipality_id": code}))
    try:
        municipality = Municipality.objects.select_for_update().get(code=code)
    except Municipality.DoesNotExist:
        raise ValidationError({"code": [ValidationError(
            _("Deze gemeente is niet bekend in het platform."), code="unknown_municipality")]}) from None
    if coordinator_days is not None and not 1 <= coordinator_days <= 60:
        raise ValidationError({"coordinator_days": [ValidationError(
            _("Kies 1 tot en met 60 werkdagen."), code="coordinator_days_range")]})
    if min_signal_days is not None and not 30 <= min_signal_days <= 730:
        raise ValidationError({"min_signal_days": [ValidationError(
            _("Kies 30 tot en met 730 dagen."), code="min_signal_days_range")]})
    wanted = {"address_match": address_match, "coordinator_days": coordinator_days,
              "min_signal_days": min_signal_days}
    changed = sorted(name for name, value in wanted.items()
                     if value is not None and getattr(municipality, name) != value)
    for name in changed:
        setattr(municipality, name, wanted[name])
    municipality.save(update_fields=["address_match", "coordinator_days", "min_signal_days"])
    if changed:
        emit(Activity.MUNICIPALITY_CONFIGURED, organisation_id=None,
             attributes={"municipality": municipality.code, "fields": changed})
    return municipality
