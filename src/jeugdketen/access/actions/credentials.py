"""An account's credentials as a whole: the administrator's view of its activation codes
and API tokens, and revoking all of them when an account or an organisation is switched
off (on that action's decision)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet

from jeugdketen.access import audit
from jeugdketen.access.models import ActivationCode, ApiToken, User
from jeugdketen.access.policy import Action, Actor, Data, Target
from jeugdketen.access.selectors import account_record


@audit.write_path
def credentials_of(actor: Actor, professional_id: Any
                   ) -> tuple[Any, list[ActivationCode], list[ApiToken]]:
    """A professional's activation codes and API tokens (dates and state only; the raw
    values are never stored), for an administrator who manages the account. An unknown id
    is refused like an account the actor may not manage."""
    from jeugdketen.registry.models import Professional

    professional = audit.get_or_deny(actor, Action.READ, Data.PROFESSIONAL,
                                     Professional.objects.select_related("user", "organisation"),
                                     professional_id, "professional")
    record, _professional = account_record(professional.user)
    audit.authorize(actor, Action.READ, Target(
        Data.PROFESSIONAL, object_id=str(professional.user_id), record=record))
    codes = list(ActivationCode.objects.filter(user=professional.user)
                 .select_related("issued_by").order_by("-issued_at", "-id")[:20])
    tokens = list(ApiToken.objects.filter(user=professional.user).order_by("-created_at")[:50])
    return professional, codes, tokens


def revoke_credentials(users: User | QuerySet[User], *, at: datetime) -> None:
    """Revoke every API token and every open activation code of these users (one account,
    or the accounts of an organisation), as of `at`, on the decision of the action that
    calls this (switching an account or an organisation off), in its transaction; it writes
    no log record and no chain event of its own."""
    audit.require_action("revoke_credentials")
    of = Q(user=users) if isinstance(users, User) else Q(user__in=users)
    ApiToken.objects.filter(of, revoked_at__isnull=True).update(revoked_at=at)
    ActivationCode.objects.filter(of, used_at__isnull=True,
                                  revoked_at__isnull=True).update(revoked_at=at)
