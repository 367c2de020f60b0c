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
        commands = parser.add_subparsers(dest="what", required=True, metavar="{refresh,bij}")
        run = commands.add_parser("refresh", help="bring the store up to date and publish it")
        run.add_argument("--no-wait", action="store_true",
                         help="stop (exit 1) when another refresh is running")
        bij = commands.add_parser("bij", help="the CBS Beleidsinformatie jeugd delivery of a "
                                  "year as CSV (pseudonymous; docs/insight.md)")
        bij.add_argument("--year", required=True, help="the year, YYYY")
        bij.add_argument("--municipality", default=None,
                         help="CBS code GMnnnn (default: every municipality)")
        bij.add_argument("--out", default=None,
                         help="the CSV file (default <var>/export/bij-YYYY[-GMnnnn].csv)")

    def handle(self, *args: Any, **opts: Any) -> None:
        handlers = {"refresh": self.refresh, "bij": self.bij}
        handlers[opts["what"]](**opts)

    def refresh(self, **opts: Any) -> None:
        try:
            result = refresh.refresh(out=sys.stderr, wait=not opts["no_wait"])
        except refresh.Busy as busy:
            raise CommandError(str(busy)) from None
        self.stdout.write(json.dumps(result.as_dict()))

    def bij(self, **opts: Any) -> None:
        from pathlib import Path

        from django.conf import settings

        from jeugdketen.core.errors import Refusal
        from jeugdketen.insight import bij, store

        municipality = opts["municipality"]
        name = f"bij-{opts['year']}{'-' + municipality if municipality else ''}.csv"
        out = Path(opts["out"] or Path(settings.INSIGHT_DIR).parent / "export" / name)
        try:
            rows = bij.write(store.reader(), opts["year"], municipality, out)
        except Refusal as refused:
            raise CommandError(refused.message) from None
        self.stdout.write(f"{out}: {rows} trajectories")
