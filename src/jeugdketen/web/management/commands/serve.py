from __future__ import annotations

import os
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Serve the platform with gunicorn (WSGI, sync workers)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("JEUGDKETEN_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("JEUGDKETEN_PORT", "8000")))
        parser.add_argument("--workers", type=int,
                            default=int(os.environ.get("JEUGDKETEN_WORKERS", "0")) or None,
                            help="default: 2 x CPU cores + 1")
        parser.add_argument("--threads", type=int, default=int(os.environ.get("JEUGDKETEN_THREADS", "1")))

    def handle(self, *args: Any, **opts: Any) -> None:
        from jeugdketen.brp.checks import problems
        from jeugdketen.brp.standin.process import ensure_running

        for problem in problems():
            raise CommandError(f"{problem.msg} {problem.hint}")
        call_command("collectstatic", interactive=False, verbosity=0)
        workers = opts["workers"] or (2 * (os.cpu_count() or 1) + 1)
        argv = [
            "gunicorn", "jeugdketen.config.wsgi:application",
            "--bind", f"{opts['host']}:{opts['port']}",
            "--workers", str(workers), "--threads", str(opts["threads"]),
            "--access-logfile", "-", "--forwarded-allow-ips", os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
        ]
        self.stdout.write(f"Jeugdketen at http://{opts['host']}:{opts['port']}/ ({workers} workers)")
        # Without a real BRP (demo, development) the stand-in runs beside the platform, as
        # its own process, for as long as the platform is served.
        with ensure_running():
            _run(argv)


def _run(argv: list[str]) -> None:
    import sys

    from gunicorn.app.wsgiapp import run

    sys.argv = argv
    run()
