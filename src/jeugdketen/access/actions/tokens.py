"""API tokens: issue one (the raw value once, stored hashed), revoke one; and a first token
made on the decision of another action (an account created with its token)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from jeugdketen.access import audit
from jeugdketen.access.models import ApiToken, User, hash_token
from jeugdketen.access.policy import Action, Actor, Data, Target
from jeugdketen.access.selectors import account_record
from jeugdketen.chainlog.actions import emit
from jeugdketen.chainlog.vocabulary import Activity


@audit.write_path
def issue_token(actor: Actor, user: User, *, days: int | None = None) -> str:
    """A fresh API token for `user`; the raw value is returned once and stored hashed."""
    if actor.user is None or actor.user.pk != user.pk:
        audit.authorize(actor, Action.UPDATE, Target(Data.PROFESSIONAL, object_id=str(user.pk)))
    return create_token(user, days=days)


def create_token(user: User, *, days: int | None = None) -> str:
    """A fresh API token for `user`, on the decision of the action that calls this (e.g.
    registry's create_professional, which issues the first token with the account), in its
    transaction; it writes no log record of its own. The raw value is returned once and
    stored hashed."""
    audit.require_action("create_token")
    raw = ApiToken.generate()
    ApiToken.objects.create(
        user=user, prefix=raw[3:11], digest=hash_token(raw),
        expires_at=timezone.now() + timedelta(days=days or settings.API_TOKEN_DAYS),
    )
    return raw


@audit.write_path
def revoke_token(actor: Actor, token_id: int) -> ApiToken:
    """The holder revokes their own token; an administrator one of an account they manage
    (the administration rules: a functional administrator within their own municipality,
    never of a privileged account)."""
    token: ApiToken = audit.get_or_deny(
        actor, Action.UPDATE, Data.PROFESSIONAL,
        ApiToken.objects.select_for_update(of=("self",)).select_related("user"),
        token_id, "API token")
    by = "self"
    record, professional = account_record(token.user)
    if actor.user is None or actor.user.pk != token.user_id:
        by = audit.authorize(actor, Action.UPDATE, Target(
            Data.PROFESSIONAL, object_id=str(token.user_id), record=record)).role
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        emit(Activity.API_TOKEN_REVOKED,
             organisation_id=professional.organisation_id if professional is not None else None,
             attributes={"by": by})
    return token
