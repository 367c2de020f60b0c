from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from jeugdketen.chainlog.export import export


class Command(BaseCommand):
    help = "Export the chain event log as CSV and Parquet (`events export [--out DIR]`)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["export"])
        parser.add_argument("--out", default="var/export", help="directory (default var/export)")
        parser.add_argument("--format", choices=["csv", "parquet", "both"], default="both")

    def handle(self, *args: Any, **opts: Any) -> None:
        out = Path(opts["out"])
        written = export(out, formats=opts["format"], out=sys.stderr)
        for path, rows in written:
            self.stdout.write(f"{path}: {rows} events")
