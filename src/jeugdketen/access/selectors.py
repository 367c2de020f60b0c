"""Reads of access data that log nothing: the actor a user acts as, the user of an API
token (every API request), the custody holders of a person (the BRP), what the
administration rules look at for an account, and which organisations of a plan's care
team lost access. Reads of personal data that are logged are actions (access.actions)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from jeugdketen.access.models import ApiToken, Consent, LegalBasis, User, hash_token
from jeugdketen.access.policy import AccessPoint, Actor
from jeugdketen.core import prepared


def actor_for_user(user: User, access_point: AccessPoint | None = None,
                   emergency_reason: str = "") -> Actor:
    """The actor a logged-in user (or token holder) acts as."""
    from jeugdketen.registry.models import Professional

    professional = None
    if user.is_authenticated:
        if "professional" in user._state.fields_cache:  # loaded with the token (one query)
            professional = user._state.fields_cache["professional"]
        else:
            professional = (Professional.objects.select_related("organisation")
                            .filter(user=user).first())
    person = user.person if getattr(user, "person_id", None) else None
    return Actor(user=user, professional=professional, person=person,
                 access_point=access_point or AccessPoint(), emergency_reason=emergency_reason)


def system_actor(command: str) -> Actor:
    return Actor(access_point=AccessPoint(channel="command", user_agent=command), operator=True)


TOKEN_SQL = """
SELECT t.id, u.id, u.username, u.is_active, u.is_superuser, u.is_staff, u.person_id,
       p.id, p.full_name, p.email, p.phone, p.roles, p.organisation_id,
       o.name, o.kind, o.municipality_id, o.may_signal, o.may_coordinate
FROM access_apitoken t
JOIN access_user u ON u.id = t.user_id
LEFT JOIN registry_professional p ON p.user_id = u.id
LEFT JOIN registry_organisation o ON o.id = p.organisation_id
WHERE t.digest = %s AND t.revoked_at IS NULL AND t.expires_at > %s
"""


def _from_row(model: Any, db: str, values: dict[str, Any]) -> Any:
    """A model instance from some of its columns (from_db wants them in field order); the
    other fields load on demand."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname in values]
    return model.from_db(db, names, [values[n] for n in names])


def user_for_token(raw: str) -> tuple[User, ApiToken] | None:
    """The active token's user (with professional and organisation), or None (unknown,
    revoked, expired, inactive). Runs on every API request: one raw query, no ORM
    query building; the objects are made with from_db, other fields load on demand."""
    import json

    from django.db import connection

    from jeugdketen.registry.models import Organisation, Professional

    if not raw.startswith(ApiToken.PREFIX):
        return None
    with prepared.cursor() as cursor:  # on every API request: planned once per connection
        cursor.execute(TOKEN_SQL, [hash_token(raw), timezone.now()])
        row = cursor.fetchone()
    if row is None or not row[3]:
        return None
    db = connection.alias
    token = _from_row(ApiToken, db, {"id": row[0], "user_id": row[1]})
    user = _from_row(User, db, {"id": row[1], "username": row[2], "is_active": bool(row[3]),
                                "is_superuser": bool(row[4]), "is_staff": bool(row[5]),
                                "person_id": row[6]})
    professional = None
    if row[7] is not None:
        roles = json.loads(row[11]) if isinstance(row[11], str) else row[11]
        professional = _from_row(Professional, db, {
            "id": row[7], "user_id": row[1], "full_name": row[8], "email": row[9],
            "phone": row[10], "roles": roles, "organisation_id": row[12]})
        organisation = _from_row(Organisation, db, {
            "id": row[12], "name": row[13], "kind": row[14], "municipality_id": row[15],
            "may_signal": bool(row[16]), "may_coordinate": bool(row[17])})
        professional._state.fields_cache["organisation"] = organisation
        professional._state.fields_cache["user"] = user
    user._state.fields_cache["professional"] = professional
    token._state.fields_cache["user"] = user
    return user, token


def custody_holders_of(person: Any) -> set[str]:
    """The persons in the platform who hold custody of this person according to the BRP
    (their ids). Only they act for a child; a household a professional entered does not
    make anyone a parent."""
    from jeugdketen.registry.models import Kinship, Person

    if not person.bsn:
        return set()
    holders = Kinship.objects.filter(child=person, has_custody=True).values("relative_bsn")
    return {str(p) for p in Person.objects.filter(bsn__in=holders).values_list("pk", flat=True)}


def account_record(user: User) -> tuple[dict[str, Any], Any]:
    """What the administration rules look at for an account (`Data.PROFESSIONAL`): the
    municipality of its organisation and its roles. A citizen or an operator-made platform
    administrator has no municipality: only a platform administrator may act for them."""
    from jeugdketen.registry.models import Professional

    professional = Professional.objects.select_related("organisation").filter(user=user).first()
    roles = list(professional.roles) if professional is not None else []
    if user.is_superuser:
        roles.append("platform_admin")
    if professional is None and user.person_id is not None:
        roles.append("citizen")
    municipality = professional.organisation.municipality_id if professional is not None else None
    return {"municipality_id": municipality, "roles": roles}, professional


def team_access_lost(plan: Any, members: tuple[Any, ...], organisation_ids: set[int],
                     today: date | None = None) -> dict[int, date | None]:
    """The organisations of a plan's care team that no longer see the plan: they hold no
    consent given for this plan, nor a legal basis, for every member (the policy's rule,
    policy.joins_on_ground). For each: the day since when (the first member whose last
    consent or legal basis ended), or None if that is not known. Organisations that still
    see the plan are left out. Two queries; it shows no personal data, only that an
    organisation of the team has lost access and since when."""
    today = today or timezone.localdate()
    ids = {str(m.pk) for m in members}
    if not organisation_ids or not ids:
        return {}
    has: dict[int, set[str]] = {o: set() for o in organisation_ids}
    ended: dict[tuple[int, str], date] = {}

    def ends(org: int, person: str, day: date) -> None:
        key = (org, person)
        ended[key] = max(day, ended.get(key, day))

    for consent in Consent.objects.filter(plan_id=plan.pk, person_id__in=ids,
                                          organisation_id__in=organisation_ids):
        if "plan" not in consent.categories:
            continue
        person = str(consent.person_id)
        if consent.in_force(today):
            has[consent.organisation_id].add(person)
        elif consent.withdrawn_at is not None:
            ends(consent.organisation_id, person, timezone.localdate(consent.withdrawn_at))
        elif consent.valid_until is not None and consent.valid_until < today:
            ends(consent.organisation_id, person, consent.valid_until + timedelta(days=1))
    for basis in LegalBasis.objects.filter(person_id__in=ids,
                                           organisation_id__in=organisation_ids):
        person = str(basis.person_id)
        if basis.in_force(today):
            has[basis.organisation_id].add(person)
        elif basis.ended_at is not None:
            ends(basis.organisation_id, person, timezone.localdate(basis.ended_at))
        elif basis.valid_until < today:
            ends(basis.organisation_id, person, basis.valid_until + timedelta(days=1))
    lost: dict[int, date | None] = {}
    for org, persons in has.items():
        lacking = ids - persons
        if not lacking:
            continue
        days = [ended[(org, p)] for p in lacking if (org, p) in ended]
        lost[org] = min(days) if days else None
    return lost
