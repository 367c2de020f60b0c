"""The demo data (`jeugdketen demo`), made through the actions: it loads, the access log
verifies, and a rerun adds nothing."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from jeugdketen.access import audit
from jeugdketen.referral_index.models import Match, Signal
from jeugdketen.registry.models import Household, Person


def test_demo_loads_through_the_actions_and_reruns_without_duplicates(db):
    out = StringIO()
    call_command("demo", households=30, professionals=30, stdout=out, stderr=StringIO())
    assert "demo.professional" in out.getvalue() and "demo.ouder" in out.getvalue()
    counts = (Person.objects.count(), Household.objects.count(), Signal.objects.count(),
              Match.objects.count())
    assert counts[1] == 30 and counts[2] > 0 and counts[3] > 0
    assert audit.verify().ok
    call_command("demo", households=30, professionals=30, stdout=StringIO(), stderr=StringIO())
    assert (Person.objects.count(), Household.objects.count(), Signal.objects.count(),
            Match.objects.count()) == counts
