from __future__ import annotations

import json
import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jeugdketen.access import audit
from jeugdketen.access.models import AccessLogRecord


class Command(BaseCommand):
    help = (
        "The NEN 7513 access log. `audit verify` walks every hash chain and exits non-zero "
        "naming the first broken record; `audit anchor` anchors all chain heads together "
        "(run nightly) and prints the root hash to publish elsewhere."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["verify", "anchor"])
        parser.add_argument("--json", action="store_true", help="print the result as JSON")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["what"] == "anchor":
            anchor = audit.anchor()
            self.stdout.write(f"Anchored {len(anchor.heads)} chains. Root hash: {anchor.root}")
            return
        total = AccessLogRecord.objects.count()
        start = time.monotonic()

        def progress(done: int) -> None:
            elapsed = time.monotonic() - start
            left = elapsed / done * (total - done) if done else 0
            sys.stderr.write(f"\rverified {done}/{total} records, about {left:.0f} s left   ")
            sys.stderr.flush()

        result = audit.verify(progress)
        seconds = time.monotonic() - start
        rate = result.checked / seconds if seconds else 0.0
        sys.stderr.write("\r" + " " * 70 + "\r")
        summary = {
            "ok": result.ok, "records": result.checked, "chains": result.shards,
            "seconds": round(seconds, 2), "records_per_second": round(rate),
            "root": result.root,
            "first_broken": str(result.first_break) if result.first_break else None,
        }
        if opts["json"]:
            self.stdout.write(json.dumps(summary))
        elif result.ok:
            self.stdout.write(
                f"OK: {result.checked} records in {result.shards} chains verified in "
                f"{seconds:.1f} s ({rate:.0f}/s). Root hash: {result.root}")
        if not result.ok:
            raise CommandError(f"Access log broken at {result.first_break}")
