from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from jeugdketen.access.actions import system_actor
from jeugdketen.intake.actions import retention


class Command(BaseCommand):
    help = (
        "The front door's nightly work. `intake retention`: erases the content of care "
        "reports closed without a plan 12 months ago or longer (their steps and dates "
        "stay); prints {erased} as JSON. `--dry-run --as-of YYYY-MM-DD` counts what would "
        "be erased on that date and changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["retention"])
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--as-of", help="a date (YYYY-MM-DD); only with --dry-run")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["as_of"] and not opts["dry_run"]:
            raise CommandError("--as-of is only allowed with --dry-run: retention runs on today")
        try:
            as_of = date.fromisoformat(opts["as_of"]) if opts["as_of"] else timezone.localdate()
        except ValueError:
            raise CommandError("--as-of must be a date as YYYY-MM-DD") from None
        erased = retention.erase_closed(system_actor("jeugdketen intake retention"),
                                        today=as_of, dry_run=opts["dry_run"])
        summary: dict[str, Any] = {"erased": erased}
        if opts["dry_run"]:
            summary |= {"dry_run": True, "as_of": as_of.isoformat()}
        self.stdout.write(json.dumps(summary))
