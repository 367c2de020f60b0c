"""The only functions that change access data: API tokens, break-the-glass reviews; and
the logged reads of the access log itself (reading the log is logged too)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from jeugdketen.access import audit
from jeugdketen.access.models import AccessLogRecord, ApiToken, BreakGlassReview, User, hash_token
from jeugdketen.access.policy import AccessPoint, Action, Actor, Data, Target


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


@audit.write_path
def issue_token(actor: Actor, user: User, *, days: int | None = None) -> str:
    """A fresh API token for `user`; the raw value is returned once and stored hashed."""
    if actor.user is None or actor.user.pk != user.pk:
        audit.authorize(actor, Action.UPDATE, Target(Data.PROFESSIONAL, object_id=str(user.pk)))
    raw = ApiToken.generate()
    ApiToken.objects.create(
        user=user, prefix=raw[3:11], digest=hash_token(raw),
        expires_at=timezone.now() + timedelta(days=days or settings.API_TOKEN_DAYS),
    )
    return raw


@audit.write_path
def revoke_token(actor: Actor, token_id: int) -> None:
    token = ApiToken.objects.select_for_update().get(pk=token_id)
    if actor.user is None or actor.user.pk != token.user_id:
        audit.authorize(actor, Action.UPDATE, Target(Data.PROFESSIONAL, object_id=str(token.user_id)))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


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
    with connection.cursor() as cursor:
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


def _period(qs: QuerySet[AccessLogRecord], start: date | None, end: date | None) -> QuerySet:
    tz = timezone.get_current_timezone()
    # Dates outside the years the platform can hold data for mean "no bound".
    start = start if start and 1900 <= start.year <= 2200 else None
    end = end if end and 1900 <= end.year <= 2200 else None
    if start:
        qs = qs.filter(at__gte=datetime.combine(start, time.min, tzinfo=tz))
    if end:
        qs = qs.filter(at__lt=datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz))
    return qs


@audit.write_path
def read_access_log(
    actor: Actor, person_id: Any, *, start: date | None = None, end: date | None = None,
    limit: int = 500, action: Action = Action.READ,
) -> list[AccessLogRecord]:
    """The NEN 7513 records about one person, newest first. Reading them is logged."""
    from jeugdketen.registry.models import Person

    person = audit.get_or_deny(actor, action, Data.ACCESS_LOG, Person.objects, person_id, "person")
    target = Target(Data.ACCESS_LOG, person=person)
    decision = audit.authorize(actor, action, target)
    qs = _period(AccessLogRecord.objects.filter(client_id=str(person.pk)), start, end)
    if decision.ground in ("self", "parent"):
        # A professional's decision-aid weighing (e.g. the Meldcode on child abuse) is not
        # shown to the family: it could warn a parent who is the risk (AVG art. 23).
        qs = qs.exclude(object_type="guide_session")
    return list(qs.order_by("-at", "-id")[:limit])


@audit.write_path
def break_glass_uses(actor: Actor, *, only_open: bool = True, limit: int = 200
                     ) -> list[AccessLogRecord]:
    """The privacy officer's review list of the emergency accesses by organisations of
    their own municipality."""
    from jeugdketen.registry.models import Organisation

    audit.authorize(actor, Action.READ, Target(Data.BREAK_GLASS))
    own = actor.professional.organisation.municipality_id if actor.professional else None
    organisations = Organisation.objects.filter(municipality_id=own).values("pk")
    qs = AccessLogRecord.objects.filter(emergency=True, organisation_id__in=organisations
                                        ).select_related("review")
    if only_open:
        qs = qs.filter(review__isnull=True)
    return list(qs.order_by("-at")[:limit])


@audit.write_path
def review_break_glass(actor: Actor, record_id: int, *, justified: bool, note: str = ""
                       ) -> BreakGlassReview:
    from jeugdketen.registry.models import Organisation

    record = AccessLogRecord.objects.get(pk=record_id, emergency=True)
    municipality = (Organisation.objects.filter(pk=record.organisation_id)
                    .values_list("municipality_id", flat=True).first()
                    if record.organisation_id is not None else None)
    audit.authorize(actor, Action.UPDATE, Target(Data.BREAK_GLASS, object_id=str(record_id),
                                                 record={"municipality_id": municipality}))
    review, _ = BreakGlassReview.objects.get_or_create(
        record=record,
        defaults={"reviewed_by": actor.user, "justified": justified, "note": note.strip()},
    )
    return review
