from __future__ import annotations

import getpass
import os
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from jeugdketen.access.actions import issue_activation_code, issue_token, system_actor


class Command(BaseCommand):
    help = (
        "Create a platform administrator (or give an existing one a new token). Prints a "
        "fresh API token as the last line. The password comes from JEUGDKETEN_ADMIN_PASSWORD "
        "or a prompt; without either the account can only use the API token. A new account "
        "with a password also gets a one-time activation code for its first web login."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument("--no-password", action="store_true")

    def handle(self, *args: Any, **opts: Any) -> None:
        user_model = get_user_model()
        username = opts["username"].strip()
        if not username:
            raise CommandError("USERNAME must not be empty")
        user = user_model.objects.filter(username=username).first()
        if user is None:
            password = os.environ.get("JEUGDKETEN_ADMIN_PASSWORD")
            if password is None and not opts["no_password"] and os.isatty(0):
                password = getpass.getpass("Password (empty: API token only): ") or None
            user = user_model.objects.create_user(
                username, email=opts["email"], password=password, is_superuser=True, is_staff=True)
            self.stdout.write(f"Created platform administrator {username}.")
            if user.has_usable_password():
                raw, code = issue_activation_code(system_actor("createadmin"), user)
                until = timezone.localtime(code.expires_at).strftime("%Y-%m-%d %H:%M")
                self.stdout.write(f"Activation code for the first web login (single use, "
                                  f"valid until {until}): {raw}")
        elif not user.is_superuser:
            raise CommandError(f"{username} exists and is not a platform administrator")
        token = issue_token(system_actor("createadmin"), user)
        self.stdout.write("API token (shown once):")
        self.stdout.write(token)
