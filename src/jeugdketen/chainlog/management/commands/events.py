from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from jeugdketen.chainlog.export import FORMATS, export


class Command(BaseCommand):
    help = ("Export the chain event log (`events export [--out DIR] [--format F]`): CSV and "
            "Parquet (both, the default), csv, parquet, xes (IEEE XES, one trace per "
            "trajectory) or ocel (OCEL 2.0 JSON).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["export"])
        parser.add_argument("--out", default="var/export", help="directory (default var/export)")
        parser.add_argument("--format", choices=FORMATS, default="both",
                            help="both (CSV and Parquet; default), csv, parquet, xes or ocel")

    def handle(self, *args: Any, **opts: Any) -> None:
        out = Path(opts["out"])
        written = export(out, formats=opts["format"], out=sys.stderr)
        for path, rows in written:
            self.stdout.write(f"{path}: {rows} events")
