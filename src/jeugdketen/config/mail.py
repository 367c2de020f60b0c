"""Which e-mail backend the platform uses, and the one for a platform without a mail server.

Match e-mails name professionals and their contact details, so their bodies must never end
up in the server log of a real deployment:
- `JEUGDKETEN_SMTP_HOST` set: SMTP (with `JEUGDKETEN_SMTP_*`, see docs/operations.md);
- otherwise a demo or DEBUG run prints e-mails to the console (to try the platform);
- otherwise nothing is sent: `NotSentBackend` logs one warning per message without its
  recipients, subject or body. The message itself is still in the recipient's inbox in
  the platform ("Berichten").
`EMAIL_BACKEND` may name another Django backend explicitly, but the console and file
backends (which write bodies out) are refused outside a demo or DEBUG run.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.mail.backends.base import BaseEmailBackend

log = logging.getLogger(__name__)

SMTP = "django.core.mail.backends.smtp.EmailBackend"
CONSOLE = "django.core.mail.backends.console.EmailBackend"
NOT_SENT = "jeugdketen.config.mail.NotSentBackend"
WRITES_BODIES = {CONSOLE, "django.core.mail.backends.filebased.EmailBackend"}


def backend(environ: Mapping[str, str], *, demo: bool, debug: bool) -> str:
    explicit = environ.get("EMAIL_BACKEND", "")
    if explicit:
        if explicit in WRITES_BODIES and not (demo or debug):
            raise ImproperlyConfigured(
                f"EMAIL_BACKEND={explicit} writes e-mail bodies (with contact details) to the "
                "log or disk: only for a demo or DEBUG run. Set JEUGDKETEN_SMTP_HOST instead.")
        return explicit
    if environ.get("JEUGDKETEN_SMTP_HOST"):
        return SMTP
    if demo or debug:
        return CONSOLE
    return NOT_SENT


def smtp_security(environ: Mapping[str, str]) -> tuple[bool, bool]:
    """(EMAIL_USE_TLS, EMAIL_USE_SSL) from JEUGDKETEN_SMTP_SECURITY."""
    value = environ.get("JEUGDKETEN_SMTP_SECURITY", "starttls").lower()
    if value not in {"starttls", "ssl", "none"}:
        raise ImproperlyConfigured(
            f"JEUGDKETEN_SMTP_SECURITY must be starttls, ssl or none, not {value!r}")
    return value == "starttls", value == "ssl"


class NotSentBackend(BaseEmailBackend):
    """No mail server configured: send nothing, print nothing, and say so in the log
    without recipients, subject or body."""

    def send_messages(self, email_messages: Sequence[Any]) -> int:
        for _message in email_messages:
            log.warning("e-mail not sent: no mail server configured (set "
                        "JEUGDKETEN_SMTP_HOST); the message is in the recipient's inbox "
                        "in the platform")
        return 0
