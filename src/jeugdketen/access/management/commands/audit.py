from __future__ import annotations

import json
import os
import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Sum

from jeugdketen.access import audit
from jeugdketen.access.models import AccessLogShard


class Command(BaseCommand):
    help = (
        "The NEN 7513 access log. `audit verify` checks the anchor chain and walks every hash "
        "chain, and exits non-zero naming the first problem; with --root it also proves the "
        "log against root hashes published outside the platform. `audit anchor` anchors all "
        "chain heads now (the writers also do so by themselves) and prints the root hash to "
        "publish."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["verify", "anchor"])
        parser.add_argument("--json", action="store_true", help="print the result as JSON")
        parser.add_argument(
            "--root", action="append", default=[], metavar="HASH",
            help="a root hash published earlier (printed by `audit anchor`); the anchor chain "
                 "must contain it. May be given more than once.")
        parser.add_argument(
            "--workers", type=int, default=min(4, os.cpu_count() or 1),
            help="verify chains in this many parallel processes (default: the CPUs, at most 4)")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["what"] == "anchor":
            self.anchor(opts)
        else:
            self.verify(opts)

    def anchor(self, opts: dict[str, Any]) -> None:
        if opts["root"]:
            raise CommandError("--root belongs to `audit verify`")
        made = audit.anchor()
        if opts["json"]:
            self.stdout.write(json.dumps({"anchor": made.pk, "at": made.at.isoformat(),
                                          "records": made.records, "root": made.root}))
            return
        self.stdout.write(f"Anchored {len(made.heads)} chains ({made.records} records) at "
                          f"{made.at.isoformat()}, anchor {made.pk}. Root hash: {made.root}")

    def verify(self, opts: dict[str, Any]) -> None:
        roots = [r.strip().lower() for r in opts["root"]]
        for root in roots:
            if len(root) != 64 or any(c not in "0123456789abcdef" for c in root):
                raise CommandError(f"--root {root!r}: a root hash is 64 hexadecimal characters")
        total = AccessLogShard.objects.aggregate(n=Sum("last_seq"))["n"] or 0
        start = time.monotonic()

        def progress(done: int) -> None:
            elapsed = time.monotonic() - start
            left = elapsed / done * max(0, total - done) if done else 0
            sys.stderr.write(f"\rverified {done}/{total} records, about {left:.0f} s left   ")
            sys.stderr.flush()

        result = audit.verify(progress, roots=roots, workers=max(1, opts["workers"]))
        seconds = time.monotonic() - start
        rate = result.checked / seconds if seconds else 0.0
        sys.stderr.write("\r" + " " * 70 + "\r")
        summary = {
            "ok": result.ok, "records": result.checked, "chains": result.shards,
            "seconds": round(seconds, 2), "records_per_second": round(rate),
            "workers": opts["workers"], "anchors": result.anchors,
            "last_anchor_at": result.last_anchor_at.isoformat() if result.last_anchor_at else None,
            "root": result.root, "unanchored_records": result.unanchored,
            "published_roots_found": result.published,
            "first_broken": str(result.first_break) if result.first_break else None,
        }
        if opts["json"]:
            self.stdout.write(json.dumps(summary))
        elif result.ok:
            self.stdout.write(
                f"OK: {result.checked} records in {result.shards} chains verified in "
                f"{seconds:.1f} s ({rate:.0f}/s).")
            if result.anchors:
                self.stdout.write(
                    f"{result.anchors} anchors; the last at {summary['last_anchor_at']}, root "
                    f"hash {result.root}; {result.unanchored} records written since.")
            for root in result.published:
                self.stdout.write(f"The published root {root} is in the anchor chain.")
        if not result.ok:
            raise CommandError(f"Access log broken at {result.first_break}")
