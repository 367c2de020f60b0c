"""`jeugdketen brp-standin load FILE.json [--replace]` and `jeugdketen brp-standin serve`: the
BRP stand-in's population and server (synthetic persons only; see jeugdketen.brp.standin)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from jeugdketen.brp.standin.store import PopulationError, Store, load_file


class Command(BaseCommand):
    help = ("The BRP stand-in: `load FILE.json` adds persons in the BRP API's Persoon shape "
            "(a JSON list; --replace keeps only these); `serve` answers POST /personen.")
    # The stand-in serves anywhere; it is the platform that refuses it in production.
    requires_system_checks: list[str] = []  # noqa: RUF012 - Django's attribute, never mutated

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True)
        load = sub.add_parser("load", help="load a population (JSON list of Persoon)")
        load.add_argument("file")
        load.add_argument("--replace", action="store_true", help="remove everyone else")
        load.add_argument("--db", default=None)
        serve = sub.add_parser("serve", help="serve POST /personen over HTTP")
        serve.add_argument("--host", default="127.0.0.1")
        serve.add_argument("--port", type=int, default=None)
        serve.add_argument("--db", default=None)
        serve.add_argument("--api-key", default="")

    def handle(self, *args: Any, **opts: Any) -> None:
        db = opts["db"] or settings.BRP_STANDIN_DB
        if opts["what"] == "load":
            try:
                count = load_file(Store(db), opts["file"], replace=opts["replace"])
            except (OSError, PopulationError) as exc:
                raise CommandError(str(exc)) from None
            self.stdout.write(f"{count} persons loaded into the BRP stand-in ({db}).")
            return
        from jeugdketen.brp.standin.server import serve

        serve(opts["host"], opts["port"] or settings.BRP_STANDIN_PORT, db, api_key=opts["api_key"])
