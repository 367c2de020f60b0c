"""`jeugdketen load_municipalities FILE`: bring the municipalities up to CBS's list for a new
year (docs/operations.md, "Reference data")."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from jeugdketen.core.errors import Refusal
from jeugdketen.registry.actions import load_municipalities


class Command(BaseCommand):
    help = ("Load CBS's list of municipalities for a year (the 'Gemeenten alfabetisch' file "
            "as CSV: columns GemeentecodeGM or Gemeentecode, and Gemeentenaam). Adds new "
            "municipalities, takes over new names, and marks a listed municipality the list "
            "no longer has as ended (its rows stay).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("csv_file")
        parser.add_argument("--encoding", default="utf-8-sig")
        parser.add_argument("--ended-on", type=date.fromisoformat, default=None,
                            help="the day dissolved municipalities ended (YYYY-MM-DD; "
                                 "default: 1 January of this year)")

    def handle(self, *args: Any, **opts: Any) -> None:
        path = Path(opts["csv_file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        on = opts["ended_on"] or date(timezone.localdate().year, 1, 1)
        try:
            with path.open(encoding=opts["encoding"], newline="") as fh:
                result = load_municipalities(fh, on=on)
        except UnicodeDecodeError as exc:
            raise CommandError(f"{path}: not {opts['encoding']} text ({exc.reason}); "
                               "try --encoding cp1252") from None
        except Refusal as exc:
            raise CommandError(f"{path}: nothing loaded:\n" + "\n".join(exc.messages)) from None
        self.stdout.write(
            f"{len(result.created)} new, {len(result.renamed)} renamed, {len(result.ended)} "
            f"ended on {on.isoformat()}, {len(result.reopened)} listed again, "
            f"{result.unchanged} unchanged.")
        for label, rows in (("new", result.created), ("renamed", result.renamed),
                            ("ended", result.ended), ("listed again", result.reopened)):
            for row in rows:
                self.stdout.write(f"  {label}: {row}")
