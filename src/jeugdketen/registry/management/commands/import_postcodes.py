from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jeugdketen.registry.actions import import_postcodes


class Command(BaseCommand):
    help = ("Import CBS's postcode-house-number-neighbourhood table (pc6hnr CSV layout: "
            "PC6;Huisnummer;BuurtJJJJ;WijkJJJJ;GemeenteJJJJ).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("csv_file")
        parser.add_argument("--encoding", default="utf-8-sig")

    def handle(self, *args: Any, **opts: Any) -> None:
        path = Path(opts["csv_file"])
        if not path.exists():
            raise CommandError(f"{path}: no such file")
        with path.open(encoding=opts["encoding"], newline="") as fh:
            result = import_postcodes(fh)
        self.stdout.write(
            f"{result.rows} rows: {result.created} new, {result.updated} updated, "
            f"{result.new_areas} new neighbourhoods, {len(result.errors)} refused.")
        for error in result.errors[:20]:
            self.stderr.write(error)
        if result.errors and result.created + result.updated == 0:
            raise CommandError("no row could be imported")
