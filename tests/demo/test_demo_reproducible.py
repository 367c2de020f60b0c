"""Issue 8, finding 10: the demo is the same on every run with the same seed (it was not:
which match got the fresh plan depended on random ids, and with it every count after).
Two runs in two fresh databases, each with its own BRP stand-in, give the same data."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

FINGERPRINT = """
import json, django
django.setup()
from django.db.models import Count
from jeugdketen.access.models import Consent, LegalBasis
from jeugdketen.plans.models import Plan
from jeugdketen.referral_index.models import Match, Signal
from jeugdketen.registry.models import CorrectionProposal, Household, Kinship, Person
print(json.dumps({
    "persons": sorted(Person.objects.exclude(bsn=None).values_list("bsn", "given_names")),
    "households": Household.objects.count(), "kinship": Kinship.objects.count(),
    "corrections": CorrectionProposal.objects.count(),
    "signals": sorted(Signal.objects.values_list("person__bsn", "organisation__name", "status")),
    "matches": sorted(Match.objects.values_list("kind", "status")),
    "plans": sorted(Plan.objects.values_list("household__members__person__bsn", "status",
                                             "origin").exclude(household__members__person__bsn=None)),
    "consents": sorted(Consent.objects.values_list("person__bsn", "organisation__name")),
    "consent_withdrawn": Consent.objects.filter(withdrawn_at__isnull=False).count(),
    "legal_bases": LegalBasis.objects.count(),
}, default=str))
"""


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _demo(tmp: Path) -> dict:
    tmp.mkdir()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp / 'demo.sqlite3'}",
           "JEUGDKETEN_VAR": str(tmp / "var"), "JEUGDKETEN_DEMO": "true",
           "JEUGDKETEN_BRP_STANDIN_PORT": str(_port()), "SECRET_KEY": "x" * 50,
           "DJANGO_SETTINGS_MODULE": "jeugdketen.config.settings"}
    env.pop("JEUGDKETEN_BRP_URL", None)
    env.pop("TEST_DATABASE_NAME", None)
    run = [sys.executable, "-m", "jeugdketen"]
    subprocess.run([*run, "migrate", "--no-input", "-v0"], env=env, check=True, cwd=tmp)
    subprocess.run([*run, "demo", "--households", "40", "--professionals", "30"], env=env,
                   check=True, cwd=tmp, capture_output=True)
    out = subprocess.run([sys.executable, "-c", FINGERPRINT], env=env, check=True, cwd=tmp,
                         capture_output=True, text=True).stdout
    return json.loads(out)


def test_the_demo_is_the_same_on_every_run(tmp_path):
    first = _demo(tmp_path / "a")
    second = _demo(tmp_path / "b")
    assert first["plans"] and first["signals"] and first["consents"]
    assert first == second
