"""The only functions that change access data: API tokens, break-the-glass reviews; and
the logged reads of the access log itself (reading the log is logged too)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone

from jeugdketen.access import audit
from jeugdketen.access.models import AccessLogRecord, ApiToken, BreakGlassReview, User, hash_token
from jeugdketen.access.policy import AccessPoint, Action, Actor, Data, Decision, Target


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


def user_for_token(raw: str) -> tuple[User, ApiToken] | None:
    """The active token's user, or None (unknown, revoked, expired)."""
    if not raw.startswith(ApiToken.PREFIX):
        return None
    found = list(
        ApiToken.objects.select_related("user__professional__organisation")
        .filter(digest=hash_token(raw), revoked_at__isnull=True, expires_at__gt=timezone.now())
        [:1]  # the digest is unique; no ORDER BY needed
    )
    token = found[0] if found else None
    if token is None or not token.user.is_active:
        return None
    return token.user, token


def _period(qs: QuerySet[AccessLogRecord], start: date | None, end: date | None) -> QuerySet:
    tz = timezone.get_current_timezone()
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

    try:
        person = Person.objects.get(pk=person_id)
    except (Person.DoesNotExist, ValueError, ValidationError):
        target = Target(Data.ACCESS_LOG, object_id=str(person_id)[:64])
        raise audit.AccessDenied(actor, action, target, Decision.deny("no such person")) from None
    target = Target(Data.ACCESS_LOG, person=person)
    audit.authorize(actor, action, target)
    qs = _period(AccessLogRecord.objects.filter(client_id=str(person.pk)), start, end)
    return list(qs.order_by("-at", "-id")[:limit])


@audit.write_path
def break_glass_uses(actor: Actor, *, only_open: bool = True, limit: int = 200
                     ) -> list[AccessLogRecord]:
    """The privacy officer's review list of every emergency access."""
    audit.authorize(actor, Action.READ, Target(Data.BREAK_GLASS))
    qs = AccessLogRecord.objects.filter(emergency=True).select_related("review")
    if only_open:
        qs = qs.filter(review__isnull=True)
    return list(qs.order_by("-at")[:limit])


@audit.write_path
def review_break_glass(actor: Actor, record_id: int, *, justified: bool, note: str = ""
                       ) -> BreakGlassReview:
    record = AccessLogRecord.objects.get(pk=record_id, emergency=True)
    audit.authorize(actor, Action.UPDATE, Target(Data.BREAK_GLASS, object_id=str(record_id)))
    review, _ = BreakGlassReview.objects.get_or_create(
        record=record,
        defaults={"reviewed_by": actor.user, "justified": justified, "note": note.strip()},
    )
    return review
