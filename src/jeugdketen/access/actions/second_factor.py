"""The second factor at login: the code of the user's linked authenticator app."""

from __future__ import annotations

from typing import Any

from jeugdketen.access import audit
from jeugdketen.access.policy import Actor


@audit.write_path
def verify_second_factor(actor: Actor, device_id: Any, token: str) -> tuple[Any, bool]:
    """A login's second step: the code the user's linked authenticator app shows. Returns
    (device, allowed): the device when the code is right (the caller logs the session in
    with it), else None; allowed is False while too many wrong codes make the user wait.
    The device's throttling state and last used code are written under its row lock, so
    two requests cannot use one code twice. Like every login step it writes no access-log
    record (no person's data is read); a wrong code only counts towards the throttle. The
    linking itself is `start_enrolment` and `enrol_authenticator`, which are logged."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = actor.user
    device = (TOTPDevice.objects.select_for_update()
              .filter(pk=device_id, user=user, confirmed=True).first()
              if user is not None and user.is_authenticated else None)
    if device is None:
        return None, True
    allowed, _info = device.verify_is_allowed()
    return (device if allowed and device.verify_token(token) else None), allowed
