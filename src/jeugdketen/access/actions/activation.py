"""Linking an authenticator app with a one-time activation code (issue 8): issuing and
revoking codes (the administration rules of the policy), and the two enrolment steps,
each refused step logged."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from jeugdketen.access import audit
from jeugdketen.access.models import ActivationCode, User, hash_token
from jeugdketen.access.policy import Action, Actor, Data, Decision, Ground, Target
from jeugdketen.access.selectors import account_record
from jeugdketen.chainlog.actions import emit
from jeugdketen.chainlog.vocabulary import Activity
from jeugdketen.core.errors import Refusal

# Crockford's base32: no I, L, O or U, so a code read aloud or copied by hand survives;
# 16 characters are 80 random bits.
ACTIVATION_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
ACTIVATION_LENGTH = 16
_ACTIVATION_READ = str.maketrans({"O": "0", "I": "1", "L": "1", "-": None, " ": None})


def normalise_activation_code(raw: str) -> str:
    """The code as stored: upper case, without spaces or dashes, O read as 0, I and L as 1.
    Empty when it cannot be a code (wrong length or characters)."""
    code = "".join((raw or "").split()).upper().translate(_ACTIVATION_READ)
    if len(code) != ACTIVATION_LENGTH or any(c not in ACTIVATION_ALPHABET for c in code):
        return ""
    return code


def format_activation_code(code: str) -> str:
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


@audit.write_path
def issue_activation_code(actor: Actor, user: User, *, days: int | None = None
                          ) -> tuple[str, ActivationCode]:
    """A fresh one-time activation code for `user` (the raw code is returned once and
    stored hashed). It revokes the user's open code; enrolling with it later replaces the
    user's authenticator app (a lost phone). Who: a platform administrator for anyone, a
    functional administrator for accounts of their own municipality without privileged
    roles (the `administration` rules of the policy)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = User.objects.select_for_update().get(pk=user.pk)  # one issuer at a time
    record, professional = account_record(user)
    decision = audit.authorize(actor, Action.UPDATE, Target(
        Data.PROFESSIONAL, object_id=str(user.pk), record=record))
    if not user.is_active:
        raise Refusal("account_inactive", _(
            "Dit account is niet actief. Zet het eerst weer aan."), field="username")
    now = timezone.now()
    replaced = ActivationCode.objects.filter(
        user=user, used_at__isnull=True, revoked_at__isnull=True).update(revoked_at=now)
    raw = "".join(secrets.choice(ACTIVATION_ALPHABET) for _ in range(ACTIVATION_LENGTH))
    code = ActivationCode.objects.create(
        user=user, digest=hash_token(raw), issued_by=actor.user if actor.user else None,
        issued_at=now,
        expires_at=now + timedelta(days=days or settings.ACTIVATION_CODE_DAYS))
    emit(Activity.ACTIVATION_CODE_ISSUED,
         organisation_id=professional.organisation_id if professional is not None else None,
         attributes={"by": decision.role, "replaces_code": bool(replaced),
                     "resets_device": TOTPDevice.objects.filter(user=user, confirmed=True).exists()})
    return format_activation_code(raw), code


@audit.write_path
def issue_activation_code_for_professional(actor: Actor, professional_id: Any
                                           ) -> tuple[str, ActivationCode]:
    """As `issue_activation_code`, for the professional with this id (the API). An unknown
    id is refused exactly like a professional the actor may not manage."""
    from jeugdketen.registry.models import Professional

    professional = audit.get_or_deny(actor, Action.UPDATE, Data.PROFESSIONAL,
                                     Professional.objects.select_related("user"),
                                     professional_id, "professional")
    return issue_activation_code(actor, professional.user)


@audit.write_path
def revoke_activation_code(actor: Actor, code_id: Any) -> ActivationCode:
    """Revoke an open activation code (given to the wrong person, say). Who: as for issuing
    one. An unknown id is refused like a code of an account the actor may not manage."""
    code: ActivationCode = audit.get_or_deny(
        actor, Action.UPDATE, Data.PROFESSIONAL,
        ActivationCode.objects.select_for_update().select_related("user"), code_id, "activation code")
    record, professional = account_record(code.user)
    audit.authorize(actor, Action.UPDATE, Target(
        Data.PROFESSIONAL, object_id=str(code.user_id), record=record))
    if code.used_at is None and code.revoked_at is None:
        code.revoked_at = timezone.now()
        code.save(update_fields=["revoked_at"])
        emit(Activity.ACTIVATION_CODE_REVOKED,
             organisation_id=professional.organisation_id if professional is not None else None)
    return code


ACTIVATION_REFUSALS = {
    "activation_code_wrong": "wrong code",
    "activation_code_expired": "expired code",
    "activation_code_used": "code already used",
    "activation_code_revoked": "code replaced by a newer one",
}


def _activation_denied(actor: Actor, rule: str) -> audit.AccessDenied:
    """A refused activation step: logged as a denied update of the account (the reason
    says why), and `rule` tells the page which message to show."""
    user_id = str(getattr(actor.user, "pk", "") or "")
    return audit.AccessDenied(
        actor, Action.UPDATE, Target(Data.PROFESSIONAL, object_id=user_id),
        Decision.deny(f"activation: {ACTIVATION_REFUSALS[rule]}"), rule=rule)


def _check_usable(actor: Actor, code: ActivationCode | None) -> ActivationCode:
    if code is None:
        raise _activation_denied(actor, "activation_code_wrong")
    if code.used_at is not None:
        raise _activation_denied(actor, "activation_code_used")
    if code.revoked_at is not None:
        raise _activation_denied(actor, "activation_code_revoked")
    if code.expires_at <= timezone.now():
        raise _activation_denied(actor, "activation_code_expired")
    return code


@audit.write_path
def start_enrolment(actor: Actor, raw_code: str) -> tuple[ActivationCode, Any]:
    """The first step of linking an authenticator app: the user's own activation code.
    Returns the code and a new, unconfirmed TOTP device (its secret goes into the QR code);
    earlier unconfirmed devices are removed. A wrong, expired, used or replaced code is
    refused (AccessDenied with the rule) and logged; the page counts it as a failed login.
    A code of another user is simply wrong."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = actor.user
    if user is None or not user.is_authenticated:
        raise _activation_denied(actor, "activation_code_wrong")
    User.objects.select_for_update().filter(pk=user.pk).first()  # one step at a time per user
    code = normalise_activation_code(raw_code)
    found = (ActivationCode.objects.filter(user=user, digest=hash_token(code)).first()
             if code else None)
    found = _check_usable(actor, found)
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    device = TOTPDevice.objects.create(user=user, name="Jeugdketen", confirmed=False)
    return found, device


@audit.write_path
def enrol_authenticator(actor: Actor, code_id: Any, device_id: Any, token: str
                        ) -> tuple[Any, bool]:
    """The second step: the first code the app shows. Returns (device, throttled): the
    confirmed device, or None when the code is wrong (throttled: too many wrong codes, wait).
    On success the activation code is used up, every other device of the user is removed
    (a lost phone no longer works), and the enrolment is logged. A code that was used,
    replaced or expired meanwhile is refused like in `start_enrolment`."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = actor.user
    if user is None or not user.is_authenticated:
        raise _activation_denied(actor, "activation_code_wrong")
    # The user's row first, as in issue_activation_code and start_enrolment: one lock order.
    User.objects.select_for_update().filter(pk=user.pk).first()
    code = _check_usable(actor, ActivationCode.objects.select_for_update().filter(
        pk=code_id, user=user).first())
    device = TOTPDevice.objects.select_for_update().filter(
        pk=device_id, user=user, confirmed=False).first()
    if device is None:  # enrolled meanwhile in another session
        raise _activation_denied(actor, "activation_code_used")
    allowed, _info = device.verify_is_allowed()
    if not allowed:
        return None, True
    if not device.verify_token(token):  # the throttling state is kept (no rollback)
        return None, False
    others = TOTPDevice.objects.filter(user=user).exclude(pk=device.pk)
    replaced = others.filter(confirmed=True).exists()
    others.delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    code.used_at = timezone.now()
    code.save(update_fields=["used_at"])
    record, professional = account_record(user)
    audit.append([audit.entry(
        actor, Action.UPDATE, Target(Data.PROFESSIONAL, object_id=str(user.pk)),
        Decision(True, Ground.SELF, ",".join(record["roles"])))])
    emit(Activity.AUTHENTICATOR_ENROLLED,
         organisation_id=professional.organisation_id if professional is not None else None,
         attributes={"replaced_device": replaced})
    return device, False
