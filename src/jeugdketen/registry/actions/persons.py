"""Registering a person (verified in the BRP when they have a BSN) and reading a person's
base data: the logged reads are actions too (every read of personal data is logged)."""

from __future__ import annotations

import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Any, NoReturn

from django.conf import settings
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
from jeugdketen.core.errors import FieldError, Refusal, field_error
from jeugdketen.registry import validators
from jeugdketen.registry.actions.checks import Errors, add, no_nul, raise_invalid, required
from jeugdketen.registry.actions.refresh import apply_brp, brp_values
from jeugdketen.registry.models import (
    CorrectionProposal,
    Person,
    Professional,
    Registration,
    Sex,
)
from jeugdketen.registry.selectors import (
    mismatches_today,
    neighbourhood_for,
    person_with_ground,
    registered_by,
)

# Base data a professional enters; for a person with a BSN the BRP's values are kept and a
# difference is reported back to the BRP (CorrectionProposal), never written over them.
REPORTED_FIELDS = ("given_names", "sex", "postcode", "house_number", "house_letter",
                   "house_number_addition")
# The fields whose agreement with the BRP proves that the professional knows the person.
VERIFIED_FIELDS = ("bsn", "birth_date", "family_name")


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
        errors: Errors = {}
        out: dict[str, Any] = {}
        if self.bsn:
            try:
                out["bsn"] = validators.normalise_bsn(self.bsn)
            except ValidationError as exc:
                errors["bsn"] = field_error("bsn", exc)
        for name in ("given_names", "family_name"):
            value = (getattr(self, name) or "").strip()
            required(value, name, errors)
            if len(value) > 200:
                add(errors, name, "max_length", _("Ten hoogste 200 tekens."))
            no_nul(value, name, errors)
            out[name] = value
        required(self.birth_date, "birth_date", errors)
        if self.birth_date:
            if self.birth_date > timezone.localdate():
                add(errors, "birth_date", "not_in_future",
                    _("Een geboortedatum ligt niet in de toekomst."))
            elif self.birth_date.year < 1900:
                add(errors, "birth_date", "after_1900", _("Een geboortedatum ligt na 1900."))
        out["birth_date"] = self.birth_date
        if self.sex not in Sex.values:
            add(errors, "sex", "brp_sex_code", _("Geslacht is een BRP-code: M, V of O."))
        out["sex"] = self.sex
        out["postcode"] = ""
        out["house_number"] = None
        if self.postcode:
            try:
                out["postcode"] = validators.normalise_postcode(self.postcode)
            except ValidationError as exc:
                errors["postcode"] = field_error("postcode", exc)
            if self.house_number is None:
                add(errors, "house_number", "required_with_postcode",
                    _("Bij een postcode hoort een huisnummer."))
        if self.house_number is not None:
            try:
                out["house_number"] = validators.validate_house_number(self.house_number)
            except ValidationError as exc:
                errors["house_number"] = field_error("house_number", exc)
        for name, check in (("house_letter", validators.normalise_house_letter),
                            ("house_number_addition", validators.normalise_house_number_addition)):
            try:
                out[name] = check(getattr(self, name) or "")
            except ValidationError as exc:
                errors[name] = field_error(name, exc)
            if out.get(name) and out["house_number"] is None:
                add(errors, name, "required_with_house_number", _("Hoort bij een huisnummer."))
        raise_invalid(errors)
        return out


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


def brp_mismatch() -> Refusal:
    """One answer for a BSN the BRP does not know and for any disagreement: it names the
    fields to check and reveals no BRP value (nor which of the three differs)."""
    message = _("BSN, geboortedatum en achternaam komen niet overeen met de BRP.")
    return Refusal.invalid([FieldError(name, "brp_mismatch", message)
                            for name in VERIFIED_FIELDS])


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


@audit.write_path
def _register(actor: Actor, values: dict[str, Any], found: BrpPerson | None) -> Registered:
    decision = decide(actor, Action.CREATE, Target(Data.BASE_DATA))
    now = timezone.now()
    if found is not None:
        # The unique constraint decides between two simultaneous registrations: insert, or
        # do nothing when the BSN exists (ON CONFLICT DO NOTHING, no savepoint), then read.
        candidate = Person(bsn=found.bsn, created_at=now, **brp_values(found))
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


@audit.write_path
def read_person(actor: Actor, person_id: Any, *, action: Action = Action.READ) -> Person:
    """Read a person's base data (or print it). Denied without a ground; logged either way."""
    try:
        person = person_with_ground(actor, person_id)
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
