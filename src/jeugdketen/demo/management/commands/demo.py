from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from jeugdketen.demo import registry as demo


class Command(BaseCommand):
    help = (
        "Load the synthetic demo data (fictional municipality GM9999) through the platform's "
        "actions. --if-empty loads only into an empty database. --scale N builds N persons "
        "through the documented bulk path for benchmarks."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--households", type=int, default=1500)
        parser.add_argument("--professionals", type=int, default=120)
        parser.add_argument("--if-empty", action="store_true",
                            help="do nothing when demo data is already loaded")
        parser.add_argument("--scale", type=int, default=0,
                            help="bulk path: this many persons (e.g. 1000000) for benchmarks")
        parser.add_argument("--access-log", type=int, default=0,
                            help="with --scale: this many access-log records")

    def handle(self, *args: Any, **opts: Any) -> None:
        from jeugdketen.brp.standin.process import ensure_running

        # The demo's families live in the BRP stand-in; registration asks it over HTTP.
        with ensure_running():
            self.load(**opts)

    def load(self, **opts: Any) -> None:
        if opts["scale"]:
            from jeugdketen.demo import bulk_registry as bulk

            bulk.build(persons=opts["scale"], access_log_records=opts["access_log"],
                       seed=opts["seed"], out=sys.stderr)
            return
        if opts["if_empty"] and demo.is_loaded():
            self.stdout.write("Demo data is already loaded.")
            self.print_logins()
            return
        from jeugdketen.demo import referral as index_demo

        result = demo.build(seed=opts["seed"], households=opts["households"],
                            professionals=opts["professionals"])
        from django.test.utils import override_settings

        # The match e-mails of the demo's own history are not printed to the console.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            index = index_demo.build(seed=opts["seed"])
        from jeugdketen.demo import plans as plans_demo

        plans = plans_demo.build(seed=opts["seed"], households=opts["households"])
        from jeugdketen.demo import intake as intake_demo

        intake = intake_demo.build(seed=opts["seed"], households=opts["households"])
        from jeugdketen.demo import steering_time

        effort = steering_time.load(seed=opts["seed"])
        # The board's year of meetings and the simulation's runs read the insight store:
        # the board's builder refreshes it first.
        from jeugdketen.demo import steering_board, steering_sim

        board = steering_board.load()
        runs = steering_sim.load()
        self.stdout.write(
            f"Demo data: {result.organisations} organisations, {result.professionals} "
            f"professionals, {result.persons} persons, {result.households} households, "
            f"{index['signals']} signals, {index['matches']} matches, {plans['plans']} family "
            f"plans ({plans['open']} open, {plans['closed']} closed), {intake['reports']} care "
            f"reports ({intake['open']} open; {intake['plans']} plans started from them, "
            f"{intake['plans_closed']} since closed), {effort.time_answers} weekly time "
            f"answers, {effort.survey_answers} survey answers in {effort.surveys_closed} "
            f"closed surveys, {board.meetings} chain-board meetings with {board.actions} "
            f"improvement actions, {len(runs)} simulation runs.")
        self.print_logins()

    def print_logins(self) -> None:
        self.stdout.write(f"\nDEMO logins (password for all: {demo.DEMO_PASSWORD}):")
        for username, roles, _kind, name in demo.DEMO_LOGINS:
            self.stdout.write(f"  {username:<20} {', '.join(roles):<28} {name}")
        for username, what in demo.CITIZEN_LOGINS:
            label = "citizen (parent)" if what == "parent" else "citizen (youth, 16+)"
            self.stdout.write(f"  {username:<20} {label}")
