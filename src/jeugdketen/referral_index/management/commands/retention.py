from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from jeugdketen.access.actions import system_actor
from jeugdketen.referral_index import actions


class Command(BaseCommand):
    help = (
        "Retention of the reference index (run every night): ends signals whose duration "
        "passed, on the 23rd birthday and after death; archives ended signals; destroys "
        "archived signals after 5 years and all index data at 23 or after death. Prints "
        "{ended, archived, destroyed} as JSON. `--dry-run --as-of YYYY-MM-DD` shows what "
        "would happen on that date and changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--as-of", help="a date (YYYY-MM-DD); only with --dry-run")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["as_of"] and not opts["dry_run"]:
            raise CommandError("--as-of is only allowed with --dry-run: retention runs on today")
        try:
            as_of = date.fromisoformat(opts["as_of"]) if opts["as_of"] else timezone.localdate()
        except ValueError:
            raise CommandError("--as-of must be a date as YYYY-MM-DD") from None
        plan = actions.retention_plan(as_of)
        if opts["dry_run"]:
            summary = plan.summary() | {"dry_run": True, "as_of": as_of.isoformat()}
        else:
            summary = actions.apply_retention(system_actor("jeugdketen retention"), plan)
        self.stdout.write(json.dumps(summary))
