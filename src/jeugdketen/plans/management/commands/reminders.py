from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand

from jeugdketen.plans import actions


class Command(BaseCommand):
    help = ("Tell coordinators about open plans whose evaluation is due (once per evaluation; "
            "run every night). Prints {reminded} as JSON.")

    def handle(self, *args: Any, **opts: Any) -> None:
        self.stdout.write(json.dumps({"reminded": actions.remind_evaluations()}))
