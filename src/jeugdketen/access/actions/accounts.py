"""Login accounts: making a professional's account and switching accounts on or off, on the
decision of the registry action that calls this (creating a professional, switching a
professional or an organisation off), in its transaction; no log record or chain event of
their own (the calling action writes those)."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from jeugdketen.access import audit
from jeugdketen.access.actions.credentials import revoke_credentials
from jeugdketen.access.models import User
from jeugdketen.core.errors import FieldError, Refusal


def create_account(*, username: str, email: str, password: str | None) -> User:
    """A new active account. A username taken at the same moment by another request is
    refused on the field `username` (the unique index decides, no duplicate)."""
    audit.require_action("create_account")
    try:
        with transaction.atomic():
            return User.objects.create_user(username=username, email=email, password=password)
    except IntegrityError:
        raise Refusal.invalid([FieldError(
            "username", "unique", _("Deze gebruikersnaam is al in gebruik."))]) from None


def switch_accounts(users: User | QuerySet[User], *, active: bool, at: datetime) -> int:
    """Switch one account, or the accounts of an organisation, on or off; switching off also
    revokes their API tokens and open activation codes as of `at`. Returns how many accounts
    changed."""
    audit.require_action("switch_accounts")
    if isinstance(users, User):
        changed = int(users.is_active != active)
        users.is_active = active
        users.save(update_fields=["is_active"])
    else:
        changed = users.filter(is_active=not active).update(is_active=active)
    if not active:
        revoke_credentials(users, at=at)
    return changed
