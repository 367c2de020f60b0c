"""`jeugdketen brp refresh`: ask the BRP again for every person with a BSN and bring the
platform's copy of their facts (address, death, parents, custody) up to date. Schedule it
every night (README, docs/operations.md)."""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jeugdketen.access.actions import system_actor
from jeugdketen.brp.client import BrpUnavailable
from jeugdketen.registry.actions import refresh_from_brp


class Command(BaseCommand):
    help = "refresh: bring every person's BRP facts up to date (prints {checked, changed, unknown})."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["refresh"])

    def handle(self, *args: Any, **opts: Any) -> None:
        def progress(done: int) -> None:
            if done % 1000 == 0:
                sys.stderr.write(f"\rBRP refresh: {done} persons checked   ")

        try:
            result = refresh_from_brp(system_actor("jeugdketen brp refresh"), progress=progress)
        except BrpUnavailable as exc:
            raise CommandError(f"The BRP cannot be reached: {exc}. Nothing more was changed; "
                               "run the refresh again later.") from None
        self.stdout.write(json.dumps({"checked": result.checked, "changed": result.changed,
                                      "unknown": result.unknown}))
