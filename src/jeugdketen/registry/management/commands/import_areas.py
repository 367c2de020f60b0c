"""`jeugdketen import_areas FILE`: the names and codes of CBS's districts and neighbourhoods
(docs/operations.md, "Reference data")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jeugdketen.core.errors import Refusal
from jeugdketen.registry.actions import import_areas


class Command(BaseCommand):
    help = ("Import district (wijk) and neighbourhood (buurt) names and codes from CBS's "
            "'Kerncijfers wijken en buurten' CSV (columns WijkenEnBuurten, Gemeentenaam_1, "
            "SoortRegio_2, Codering_3, or the labelled and kwb-JJJJ variants). Safe to run "
            "again; a file with errors changes nothing.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("csv_file")
        parser.add_argument("--encoding", default="utf-8-sig")

    def handle(self, *args: Any, **opts: Any) -> None:
        path = Path(opts["csv_file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            with path.open(encoding=opts["encoding"], newline="") as fh:
                result = import_areas(fh)
        except UnicodeDecodeError as exc:
            raise CommandError(f"{path}: not {opts['encoding']} text ({exc.reason}); "
                               "try --encoding cp1252") from None
        except Refusal as exc:
            shown = exc.messages[:50]
            more = len(exc.messages) - len(shown)
            raise CommandError(f"{path}: nothing imported:\n" + "\n".join(shown)
                               + (f"\n... and {more} more" if more > 0 else "")) from None
        self.stdout.write(
            f"{result.districts_created} new districts, {result.neighbourhoods_created} new "
            f"neighbourhoods, {result.renamed} renamed, {result.unchanged} unchanged, "
            f"{result.municipalities} municipalities added.")
