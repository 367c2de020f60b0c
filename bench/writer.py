"""One access-log writer process for the concurrency benchmark (started by bench.run).

Prints "ready", waits for a line on stdin (the start signal, so every writer starts at the
same moment), then for `--seconds` runs transactions that each append `--per-tx` records
via jeugdketen.access.audit.append inside transaction.atomic, and prints a JSON line with
the number of records written. Bounded: it stops by itself after the given time.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, required=True)
    parser.add_argument("--per-tx", type=int, default=1)
    parser.add_argument("--professional", type=int, required=True)
    parser.add_argument("--persons", required=True, help="comma-separated person ids")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jeugdketen.config.settings")
    import django

    django.setup()
    from django.db import connection, transaction

    from jeugdketen.access import audit
    from jeugdketen.access.policy import AccessPoint, Action, Actor, Data, Decision, Target
    from jeugdketen.registry.models import Person, Professional

    prof = Professional.objects.select_related("organisation", "user").get(pk=args.professional)
    actor = Actor(user=prof.user, professional=prof,
                  access_point=AccessPoint(ip="127.0.0.1", user_agent="bench.writer",
                                           channel="command"))
    persons = list(Person.objects.filter(pk__in=args.persons.split(",")))
    decision = Decision(True, ground="registration", role="professional")
    connection.ensure_connection()
    print("ready", flush=True)
    sys.stdin.readline()
    deadline = time.monotonic() + args.seconds
    records = transactions = 0
    i = 0
    while time.monotonic() < deadline:
        with transaction.atomic():
            entries = []
            for _ in range(args.per_tx):
                person = persons[i % len(persons)]
                i += 1
                entries.append(audit.entry(actor, Action.READ,
                                           Target(Data.BASE_DATA, person=person), decision))
            audit.append(entries)
        records += args.per_tx
        transactions += 1
    print(json.dumps({"records": records, "transactions": transactions,
                      "seconds": args.seconds}), flush=True)


if __name__ == "__main__":
    main()
