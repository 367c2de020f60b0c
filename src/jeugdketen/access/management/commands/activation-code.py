"""`jeugdketen activation-code USERNAME`: the operator hands out a one-time activation code
(the first login, or a lost phone). The last output line is the code itself."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from jeugdketen.access.actions import issue_activation_code, system_actor
from jeugdketen.core.errors import Refusal


class Command(BaseCommand):
    help = (
        "Issue a one-time activation code with which USERNAME links an authenticator app "
        "(two-step verification) at the next login. It replaces the user's open code; once "
        "used, the user's previous app stops working. Prints the code as the last line."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--days", type=int, default=None,
                            help="days the code stays valid (default JEUGDKETEN_ACTIVATION_CODE_DAYS)")

    def handle(self, *args: Any, **opts: Any) -> None:
        days = opts["days"]
        if days is not None and not 1 <= days <= 90:
            raise CommandError("--days must be between 1 and 90")
        user = get_user_model().objects.filter(username=opts["username"].strip()).first()
        if user is None:
            raise CommandError(f"no account with username {opts['username']!r}")
        try:
            raw, code = issue_activation_code(system_actor("activation-code"), user, days=days)
        except Refusal as refusal:
            raise CommandError(str(refusal.message)) from None
        until = timezone.localtime(code.expires_at).strftime("%Y-%m-%d %H:%M")
        self.stdout.write(f"Activation code for {user.username} (single use, valid until "
                          f"{until}; shown once):")
        self.stdout.write(raw)
