from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jeugdketen.insight import refresh


class Command(BaseCommand):
    help = (
        "The insight store. `insight refresh`: copies the new chain events into the store, "
        "replaces the areas, organisations and norms, derives the trajectories touched and "
        "publishes the snapshot the pages read; prints {copied, last_id, trajectories, "
        "seconds} as JSON, progress on stderr. Safe to run every few minutes: a second run "
        "waits for the first, or with --no-wait stops with a message."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="what", required=True, metavar="{refresh}")
        run = commands.add_parser("refresh", help="bring the store up to date and publish it")
        run.add_argument("--no-wait", action="store_true",
                         help="stop (exit 1) when another refresh is running")

    def handle(self, *args: Any, **opts: Any) -> None:
        handlers = {"refresh": self.refresh}
        handlers[opts["what"]](**opts)

    def refresh(self, **opts: Any) -> None:
        try:
            result = refresh.refresh(out=sys.stderr, wait=not opts["no_wait"])
        except refresh.Busy as busy:
            raise CommandError(str(busy)) from None
        self.stdout.write(json.dumps(result.as_dict()))
