"""The only functions that change the client registry.

Each action checks the access policy, writes, appends the access log record and emits the
chain event in one transaction (see jeugdketen.access.audit.write_path).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jeugdketen.access import audit
from jeugdketen.access.policy import Action, Actor, Data, Decision, Target, decide
from jeugdketen.chainlog.actions import emit
from jeugdketen.chainlog.vocabulary import Activity
from jeugdketen.registry import validators
from jeugdketen.registry.models import (
    CorrectionProposal,
    CorrectionStatus,
    District,
    Household,
    HouseholdMember,
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

BASE_FIELDS = ("given_names", "family_name", "birth_date", "sex", "postcode", "house_number")


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
    """What a registration answers: the person's id and the data as this professional
    entered it, whether or not the person was known (the answer must not tell)."""

    person: Person
    entered: dict[str, Any] = field(default_factory=dict)
    neighbourhood_code: str | None = None
    neighbourhood_unknown: bool = False


def _new_system_id() -> str:
    return "JK" + "".join(secrets.choice("0123456789") for _ in range(10))


@audit.write_path
def register_person(actor: Actor, data: PersonInput) -> Registered:
    decision = decide(actor, Action.CREATE, Target(Data.BASE_DATA))
    if not decision.allowed:
        raise audit.AccessDenied(actor, Action.CREATE, Target(Data.BASE_DATA), decision)
    values = data.clean()
    code, unknown = neighbourhood_for(values["postcode"], values["house_number"])
    now = timezone.now()
    defaults = {k: values[k] for k in BASE_FIELDS} | {
        "neighbourhood_id": code, "neighbourhood_unknown": unknown,
        "created_at": now, "updated_at": now,
    }
    if values.get("bsn"):
        # The unique constraint decides between two simultaneous registrations: insert, or
        # do nothing when the BSN exists (ON CONFLICT DO NOTHING, no savepoint), then read.
        candidate = Person(bsn=values["bsn"], **defaults)
        Person.objects.bulk_create([candidate], ignore_conflicts=True)
        person = Person.objects.get(bsn=values["bsn"])
        created = person.pk == candidate.pk
    else:
        created = True
        while True:
            try:
                with transaction.atomic():
                    person = Person.objects.create(system_id=_new_system_id(), **defaults)
                break
            except IntegrityError:  # pragma: no cover - a collision in 10^10
                continue
    assert actor.professional is not None
    entered_view = {k: _plain(values[k]) for k in BASE_FIELDS} | {
        "neighbourhood_code": code, "neighbourhood_unknown": unknown}
    Registration.objects.bulk_create([Registration(
        person=person, professional=actor.professional,
        organisation_id=actor.professional.organisation_id, entered=entered_view)],
        update_conflicts=True, unique_fields=["person", "professional"], update_fields=["entered"])
    target = Target(Data.BASE_DATA, person=person)
    audit.append([audit.entry(actor, Action.CREATE, target, decision)])
    org = actor.professional.organisation_id
    if created:
        emit(Activity.PERSON_REGISTERED, person=person, organisation_id=org)
    else:
        emit(Activity.PERSON_REREGISTERED, person=person, organisation_id=org)
        changes = {
            name: {"current": _plain(getattr(person, name)), "proposed": _plain(values[name])}
            for name in BASE_FIELDS
            if values[name] not in ("", None) and getattr(person, name) != values[name]
        }
        if changes:
            CorrectionProposal.objects.create(
                person=person, proposed_by=actor.professional, changes=changes)
            emit(Activity.CORRECTION_PROPOSED, person=person, organisation_id=org,
                 attributes={"fields": sorted(changes)})
    entered = {k: values[k] for k in ("bsn", *BASE_FIELDS) if k in values}
    return Registered(person, entered, code, unknown)


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


PERSON_SQL = (
    "SELECT p.*, (SELECT r.entered FROM registry_registration r WHERE r.person_id = p.id "
    "AND r.professional_id = %s) AS jk_entered FROM registry_person p WHERE p.id = %s"
)


def as_entered(person: Person, entered: Any) -> Person:
    """The person as this professional entered them (see Registration.entered). An
    in-memory view for display; never saved."""
    if isinstance(entered, str):
        import json

        entered = json.loads(entered)
    if not entered:
        return person
    for name in ("given_names", "family_name", "sex", "postcode", "house_number"):
        setattr(person, name, entered.get(name) or ("" if name != "house_number" else None))
    person.birth_date = date.fromisoformat(entered["birth_date"])
    person.neighbourhood_id = entered.get("neighbourhood_code")
    person.neighbourhood_unknown = bool(entered.get("neighbourhood_unknown"))
    person.date_of_death = None  # not something the professional entered
    person.jk_as_entered = True  # type: ignore[attr-defined]
    return person


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
    person.jk_registered = person.jk_entered is not None  # type: ignore[attr-defined]
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
    if decision.ground == "registration":
        as_entered(person, getattr(person, "jk_entered", None))
    if decision.emergency:
        emit(Activity.EMERGENCY_ACCESS, person=person,
             organisation_id=actor.professional.organisation_id if actor.professional else None)
    return person


@audit.write_path
def list_registered(actor: Actor, *, limit: int = 25, offset: int = 0) -> list[Person]:
    """The persons this professional registered. Listing counts as reading each one."""
    if actor.professional is None:
        return []
    persons = list(
        Person.objects.filter(registrations__professional=actor.professional)
        .select_related("neighbourhood")
        .order_by("family_name", "given_names", "id")[offset : offset + limit]
    )
    entered = dict(Registration.objects.filter(
        professional=actor.professional, person__in=persons).values_list("person_id", "entered"))
    allowed = audit.authorize_many(
        actor, Action.READ, [Target(Data.BASE_DATA, person=p) for p in persons]
    )
    return [as_entered(t.person, entered.get(t.person.pk)) for t in allowed if t.person is not None]


@dataclass
class MemberInput:
    person_id: Any
    relation: str


@audit.write_path
def register_household(actor: Actor, members: list[MemberInput]) -> Household:
    errors: dict[str, ValidationError] = {}
    if not members:
        errors["members"] = ValidationError(_("Een huishouden heeft ten minste één lid."),
                                            code="min_items")
    persons: list[Person] = []
    seen: set[str] = set()
    unknown = False
    for i, member in enumerate(members):
        if member.relation not in Relation.values:
            errors[f"members[{i}].relation"] = ValidationError(
                _("Relatie is parent, carer of child."), code="relation_choice")
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
    _invalid(errors)
    target = Target(Data.HOUSEHOLD, members=tuple(persons))
    decision = decide(actor, Action.CREATE, target)
    if unknown:
        decision = Decision.deny("a household needs a ground for every member")
    if not decision.allowed:
        raise audit.AccessDenied(actor, Action.CREATE, target, decision)
    household = Household.objects.create(created_by=actor.professional)
    HouseholdMember.objects.bulk_create(
        HouseholdMember(household=household, person=p, relation=m.relation)
        for p, m in zip(persons, members, strict=True)
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
                     "children": sum(m.relation == "child" for m in members)})
    return household


def households_of(person: Person) -> list[Household]:
    return list(Household.objects.filter(members__person=person).distinct())


def siblings_of(person: Person) -> list[Person]:
    """Siblings are derived: children who share at least one parent in the registry."""
    parents = HouseholdMember.objects.filter(
        household__members__person=person, household__members__relation="child",
        relation="parent",
    ).values("person")
    return list(
        Person.objects.filter(
            memberships__relation="child",
            memberships__household__members__person__in=parents,
            memberships__household__members__relation="parent",
        ).exclude(pk=person.pk).distinct()
    )


@audit.write_path
def decide_correction(actor: Actor, proposal_id: int, *, accept: bool) -> CorrectionProposal:
    proposal = CorrectionProposal.objects.select_for_update().select_related("person").get(
        pk=proposal_id)
    person = proposal.person
    target = Target(Data.CORRECTION, person=person, object_id=str(proposal.pk))
    audit.authorize(actor, Action.UPDATE, target)
    if proposal.status != CorrectionStatus.OPEN:
        raise ValidationError({"status": [ValidationError(
            _("Dit voorstel is al beoordeeld."), code="already_decided")]})
    if accept:
        for name, change in proposal.changes.items():
            value = change["proposed"]
            setattr(person, name, date.fromisoformat(value) if name == "birth_date" else value)
        person.neighbourhood_id, person.neighbourhood_unknown = neighbourhood_for(
            person.postcode, person.house_number)
        person.updated_at = timezone.now()
        person.save()
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
                                                 record={"municipality_id": municipality_code}))
    errors: dict[str, ValidationError] = {}
    name = (name or "").strip()
    _required(name, "name", errors)
    _no_nul(name, "name", errors)
    if kind not in OrganisationKind.values:
        errors["kind"] = ValidationError(
            _("Soort is een van: %(kinds)s.") % {"kinds": ", ".join(OrganisationKind.values)},
            code="organisation_kind")
    try:
        validators.validate_municipality_code(municipality_code)
        if not Municipality.objects.filter(code=municipality_code).exists():
            errors["municipality_code"] = ValidationError(
                _("Deze gemeente is niet bekend in het platform."), code="unknown_municipality")
    except ValidationError as exc:
        errors["municipality_code"] = exc
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


@audit.write_path
def list_open_corrections(actor: Actor, *, limit: int = 50) -> list[CorrectionProposal]:
    """Open correction proposals for the functional administrator. Listing counts as
    reading the base data of each person listed."""
    proposals = list(
        CorrectionProposal.objects.filter(status=CorrectionStatus.OPEN)
        .select_related("person", "proposed_by__organisation")
        .order_by("created_at")[:limit]
    )
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


@audit.write_path
def configure_municipality(actor: Actor, code: str, *, address_match: bool | None = None,
                           coordinator_days: int | None = None) -> Municipality:
    """A municipality's own choices for the reference index: whether same-address signals
    match, and how many working days the involved have to agree on a coordinator."""
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
    if address_match is not None:
        municipality.address_match = address_match
    if coordinator_days is not None:
        municipality.coordinator_days = coordinator_days
    municipality.save(update_fields=["address_match", "coordinator_days"])
    return municipality
