"""Registering a person (verified in the BRP when they have a BSN) and reading a person's
base data: the logged reads are actions too (every read of personal data is logged)."""

from __future__ import annotations

import re
import secrets
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, NoReturn

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jeugdketen import inbox
from jeugdketen.access import audit
from jeugdketen.access.policy import Action, Actor, Data, Decision, Target, decide
from jeugdketen.brp import client as brp
from jeugdketen.brp.persoon import BrpPerson
from jeugdketen.chainlog.actions import emit
from jeugdketen.chainlog.vocabulary import Activity
from jeugdketen.core import prepared
from jeugdketen.core.errors import FieldError, Refusal, field_error
from jeugdketen.referral_index.models import MessageKind
from jeugdketen.registry import validators
from jeugdketen.registry.actions.checks import Errors, add, no_nul, raise_invalid, required
from jeugdketen.registry.actions.refresh import apply_brp, brp_values
from jeugdketen.registry.models import (
    CorrectionProposal,
    Person,
    PostcodeAddress,
    Professional,
    Registration,
    Sex,
)
from jeugdketen.registry.selectors import (
    mismatches_today,
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
    return _register(actor, values, found, decision)


@transaction.atomic
def _alert_guessing(actor: Actor) -> None:
    """Tell the privacy officers of the professional's municipality (a message, no person)."""
    prof = actor.professional
    if prof is None:
        return
    officers = [p for p in Professional.objects.filter(
        organisation__municipality_id=prof.organisation.municipality_id)
        if "privacy_officer" in p.roles]
    # The kind every message had before it went through the inbox (the model's default).
    inbox.send(officers, MessageKind.INDEX, _("Registratie: let op"), _(
        "%(name)s (%(org)s) vulde vandaag %(n)s keer een BSN in met een geboortedatum of "
        "achternaam die niet overeenkomt met de BRP. Registreren met een BSN is voor deze "
        "professional 24 uur geblokkeerd. Bekijk het toegangslog.") % {
        "name": prof.full_name, "org": prof.organisation.name,
        "n": settings.BRP_MISMATCHES_PER_DAY})


@audit.write_path
def _register(actor: Actor, values: dict[str, Any], found: BrpPerson | None,
              decision: Decision) -> Registered:
    """`decision`: register_person's (pure: a CREATE of base data depends on the roles)."""
    now = timezone.now()
    if found is not None:
        # The unique constraint decides between two simultaneous registrations: insert, or,
        # when the BSN exists, lock and read that person, in one statement (no savepoint).
        kept = brp_values(found)
        candidate = Person(bsn=found.bsn, created_at=now, **kept)
        person = _insert_or_lock(candidate)
        created = person.pk == candidate.pk
        apply_brp(person, found, now, kept)
    assert actor.professional is not None
    org = actor.professional.organisation_id
    if found is None:
        created = True
        entered = {k: values[k] for k in ("given_names", "family_name", "birth_date", "sex",
                                          "postcode", "house_number", "house_letter",
                                          "house_number_addition")}
        person, head = _insert_entered(actor.professional, entered, now)
    else:
        head = _register_and_lock_head(actor.professional, person)
    audit.append([audit.entry(actor, Action.CREATE, Target(Data.BASE_DATA, person=person),
                              decision)], head=head)
    emit(Activity.PERSON_REGISTERED if created else Activity.PERSON_REREGISTERED,
         person=person, organisation_id=org)
    if found is not None:
        _report_back(actor, person, values)
    return Registered(person)


PERSON_TABLE = Person._meta.db_table
REGISTERED_AT = Registration._meta.get_field("created_at")  # its default: the moment
# The person's columns in field order: rows become a Person through Model.from_db (no raw
# queryset, whose per-query column and converter resolution cost more than the statement).
PERSON_ATTNAMES = [f.attname for f in Person._meta.concrete_fields]
REGISTRATION_TABLE = Registration._meta.db_table
HOOD_SQL = (f"(SELECT neighbourhood_id FROM {PostcodeAddress._meta.db_table} "  # noqa: S608
            "WHERE postcode = %s AND house_number = %s)")


_INSERT_ENTERED: dict[tuple[str, bool, str | None], str] = {}


def _insert_entered_sql(hood: bool, head: str | None) -> str:
    """_insert_entered's statement, built once per shape (address or not, head or not)."""
    key = (connection.vendor, hood, head)
    sql = _INSERT_ENTERED.get(key)
    if sql is not None:
        return sql
    fields = Person._meta.concrete_fields
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    placeholders = []
    for field in fields:
        if hood and field.attname == "neighbourhood_id":
            placeholders.append(HOOD_SQL)
        elif hood and field.attname == "neighbourhood_unknown":
            placeholders.append(f"{HOOD_SQL} IS NULL")
        else:
            placeholders.append("%s")
    sql = (f"INSERT INTO {PERSON_TABLE} ({columns}) "  # noqa: S608
           f"VALUES ({', '.join(placeholders)}) ON CONFLICT (system_id) DO NOTHING "
           "RETURNING id, neighbourhood_id, neighbourhood_unknown")
    if head is not None:  # the registration and the head lock in the same statement
        sql = (f"WITH p AS ({sql}), "  # noqa: S608
               f"r AS (INSERT INTO {REGISTRATION_TABLE} (person_id, professional_id, "
               "organisation_id, created_at) SELECT id, %s, %s, %s FROM p), "
               f"h (shard, last_seq, last_hash, ids) AS ({head}) "
               "SELECT p.neighbourhood_id, p.neighbourhood_unknown, h.shard, h.last_seq, "
               "h.last_hash, h.ids FROM p LEFT JOIN h ON true")
    else:
        sql = sql.replace("RETURNING id, ", "RETURNING ")
    _INSERT_ENTERED[key] = sql
    return sql


def _insert_entered(professional: Professional, entered: dict[str, Any],
                    now: Any) -> tuple[Person, Any]:
    """A person without a BSN, as entered, and this professional's registration of them, in
    one statement on PostgreSQL (two on SQLite): the neighbourhood of the postcode is looked
    up inside the INSERT, a system_id already taken (a collision in 10^10) inserts nothing
    (ON CONFLICT DO NOTHING, no savepoint) and another is drawn. On PostgreSQL the same
    statement locks the access-log chain head for the registration's record: returns the
    person and that head (for audit.append(head=...); None on SQLite)."""
    fields = Person._meta.concrete_fields
    hood = bool(entered["postcode"]) and entered["house_number"] is not None
    head_sql = audit.free_head_sql(1)
    insert = _insert_entered_sql(hood, head_sql[0] if head_sql is not None else None)
    # psycopg adapts the values themselves (dates, UUIDs, aware datetimes), as Django's
    # PostgreSQL operations pass them; SQLite's need Django's conversion.
    native = connection.vendor == "postgresql"
    while True:
        person = Person(system_id=_new_system_id(), neighbourhood_id=None,
                        neighbourhood_unknown=False, created_at=now, updated_at=now, **entered)
        params: list[Any] = []
        for field in fields:
            if hood and field.attname in ("neighbourhood_id", "neighbourhood_unknown"):
                params += [entered["postcode"], entered["house_number"]]
            elif native:
                params.append(getattr(person, field.attname))
            else:
                params.append(field.get_db_prep_save(getattr(person, field.attname), connection))
        if head_sql is not None:
            params += [professional.pk, professional.organisation_id,
                       connection.ops.adapt_datetimefield_value(REGISTERED_AT.get_default()),
                       *head_sql[1]]
        with prepared.cursor() as cursor:  # one text per shape: planned once per connection
            cursor.execute(insert, params)
            row = cursor.fetchone()
        if row is not None:
            break
    person.neighbourhood_id, person.neighbourhood_unknown = row[0], bool(row[1])
    person._state.adding = False
    person._state.db = connection.alias
    if head_sql is None:
        Registration.objects.bulk_create(
            [Registration(person=person, professional=professional,
                          organisation_id=professional.organisation_id)],
            ignore_conflicts=True)
        return person, None
    return person, tuple(row[2:])


_INSERT_OR_LOCK: dict[str, str] = {}  # per database vendor


def _insert_or_lock(candidate: Person) -> Person:
    """INSERT the person, or, when their BSN is already there, lock and return that row
    (ON CONFLICT DO UPDATE of nothing that changes, RETURNING): one round trip."""
    fields = Person._meta.concrete_fields
    sql = _INSERT_OR_LOCK.get(connection.vendor)
    if sql is None:
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        sql = _INSERT_OR_LOCK[connection.vendor] = (
            f"INSERT INTO {PERSON_TABLE} ({columns}) "  # noqa: S608
            f"VALUES ({', '.join(['%s'] * len(fields))}) "
            "ON CONFLICT (bsn) DO UPDATE SET bsn = excluded.bsn "
            f"RETURNING {columns}")
    params = [f.get_db_prep_save(getattr(candidate, f.attname), connection) for f in fields]
    with prepared.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return Person.from_db(connection.alias, PERSON_ATTNAMES, _converted(row))


_CONVERTERS: dict[str, list[tuple[int, Any, Any]]] = {}  # per database vendor


def _converted(row: Sequence[Any]) -> list[Any]:
    """A person's row as a queryset reads it: the backend's and the fields' converters
    (SQLite keeps UUIDs, dates and datetimes as text; PostgreSQL needs none)."""
    converters = _CONVERTERS.get(connection.vendor)
    if converters is None:
        columns = [f.get_col(PERSON_TABLE) for f in Person._meta.concrete_fields]
        converters = _CONVERTERS[connection.vendor] = [
            (i, column, converter) for i, column in enumerate(columns)
            for converter in (connection.ops.get_db_converters(column)
                              + column.get_db_converters(connection))]
    values = list(row)
    for i, column, converter in converters:
        values[i] = converter(values[i], column, connection)
    return values


def _register_and_lock_head(professional: Professional, person: Person) -> Any:
    """This professional's registration of the person (kept when there is one) and, on
    PostgreSQL, a free access-log chain head locked for the record, in one statement.
    Returns the head for audit.append(head=...) (None on SQLite, where append locks it)."""
    head_sql = audit.free_head_sql(1)
    if head_sql is None:
        Registration.objects.bulk_create(
            [Registration(person=person, professional=professional,
                          organisation_id=professional.organisation_id)],
            ignore_conflicts=True)
        return None
    with prepared.cursor() as cursor:
        cursor.execute(
            f"WITH r AS (INSERT INTO {REGISTRATION_TABLE} (person_id, professional_id, "  # noqa: S608
            "organisation_id, created_at) VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING) "
            f"{head_sql[0]}",
            [person.pk, professional.pk, professional.organisation_id,
             connection.ops.adapt_datetimefield_value(REGISTERED_AT.get_default()),
             *head_sql[1]])
        return cursor.fetchone()


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
    head = None
    try:
        head_sql = audit.free_head_sql(1) if actor.professional is not None else None
        if head_sql is None:
            person = person_with_ground(actor, person_id)
        else:
            person, head = _person_and_head(actor, person_id, head_sql)
    except (Person.DoesNotExist, ValueError, ValidationError):
        # Unknown and forbidden look the same from outside.
        target = Target(Data.BASE_DATA, object_id=str(person_id)[:64])
        raise audit.AccessDenied(actor, action, target, Decision.deny("no such person")) from None
    target = Target(Data.BASE_DATA, person=person)
    decision = decide(actor, action, target)  # as audit.authorize, with the head locked above
    if not decision.allowed:
        raise audit.AccessDenied(actor, action, target, decision)
    audit.append([audit.entry(actor, action, target, decision)], head=head)
    if decision.emergency:
        emit(Activity.EMERGENCY_ACCESS, person=person,
             organisation_id=actor.professional.organisation_id if actor.professional else None)
    return person


_READ_SQL: dict[str, str] = {}  # per head sub-select (audit's own SQL)


def _read_sql(head: str) -> str:
    sql = _READ_SQL.get(head)
    if sql is None:
        columns = ", ".join(f"p.{connection.ops.quote_name(f.column)}"
                            for f in Person._meta.concrete_fields)
        sql = _READ_SQL[head] = (
            f"SELECT {columns}, EXISTS (SELECT 1 FROM {REGISTRATION_TABLE} r "  # noqa: S608
            "WHERE r.person_id = p.id AND r.professional_id = %s), h.shard, h.last_seq, "
            f"h.last_hash, h.ids FROM {PERSON_TABLE} p "
            f"LEFT JOIN LATERAL ({head}) AS h(shard, last_seq, last_hash, ids) ON true "
            "WHERE p.id = %s")
    return sql


def _person_and_head(actor: Actor, person_id: Any,
                     head_sql: tuple[str, list[Any]]) -> tuple[Person, tuple[Any, ...]]:
    """PostgreSQL: the person with the registration ground (selectors.person_with_ground)
    and a free access-log chain head locked for the read's record, in one round trip."""
    assert actor.professional is not None
    pk = Person._meta.pk.to_python(person_id)  # a malformed id: ValidationError
    sql, params = head_sql
    with prepared.cursor() as cursor:  # the same text for every read: planned once
        cursor.execute(_read_sql(sql), [actor.professional.pk, *params, pk])
        row = cursor.fetchone()
    if row is None:
        raise Person.DoesNotExist
    n = len(PERSON_ATTNAMES)
    person = Person.from_db(connection.alias, PERSON_ATTNAMES, row[:n])
    person.jk_registered = bool(row[n])  # type: ignore[attr-defined]
    person.jk_registered_for = actor.professional.pk  # type: ignore[attr-defined]
    return person, tuple(row[n + 1:])


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
        person.jk_registered = True
        person.jk_registered_for = actor.professional.pk
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
