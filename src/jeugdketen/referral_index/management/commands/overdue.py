from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand

from jeugdketen.referral_index import actions


class Command(BaseCommand):
    help = ("Alert the municipality's coordinators about matches where no coordinator was "
            "agreed in time (run every night). Prints {alerted} as JSON.")

    def handle(self, *args: Any, **opts: Any) -> None:
        self.stdout.write(json.dumps({"alerted": actions.alert_overdue()}))
