"""Issue 9, "Demo data that tells a true story": matches dated when they were made, with
deadlines that fit; strengths and concerns that agree with the scores; no two persons or
professionals with the same name; BRP addresses with street, number, postcode and place."""

from __future__ import annotations

from collections import Counter
from io import StringIO

from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from jeugdketen.analysis.models import DomainScore
from jeugdketen.brp.standin.store import Store
from jeugdketen.referral_index.models import Match, MatchStatus, Message
from jeugdketen.registry.models import Person, Professional


def test_the_demo_tells_a_true_story(db):
    call_command("demo", households=60, professionals=40, stdout=StringIO(), stderr=StringIO())
    today = timezone.localdate()

    # Matches are dated when they were made, over the past months, not all today.
    matches = list(Match.objects.all())
    assert len(matches) >= 3
    made = {timezone.localtime(m.created_at).date() for m in matches}
    assert len(made) >= 3 and min(made) < today
    for m in matches:
        created = timezone.localtime(m.created_at).date()
        assert created <= m.coordinator_due, m.pk
        if m.status == MatchStatus.COORDINATED and not m.appointed_by_municipality:
            assert m.proposed_at is not None and m.agreed_at is not None
            assert m.created_at <= m.proposed_at <= m.agreed_at, m.pk
            assert timezone.localtime(m.agreed_at).date() <= m.coordinator_due, m.pk
    # Some are still within their deadline, some are overdue for the municipality, and
    # most older ones were settled in time.
    open_ = [m for m in matches if m.status == MatchStatus.OPEN]
    assert any(m.coordinator_due >= today for m in open_)
    assert any(m.coordinator_due < today for m in open_)
    assert any(m.status == MatchStatus.COORDINATED for m in matches)
    # The messages about a match are dated with it, not all today.
    dates = {timezone.localtime(msg.created_at).date()
             for msg in Message.objects.filter(match__isnull=False)}
    assert len(dates) >= 3

    # Strengths only where the score is good, concerns only where it is poor.
    scores = DomainScore.objects.filter(professional_score__isnull=False)
    assert scores.exclude(strengths="").exists() and scores.exclude(concerns="").exists()
    assert not scores.exclude(strengths="").filter(professional_score__lte=3).exists()
    assert not scores.exclude(concerns="").filter(professional_score__gte=3).exists()

    # No two persons, and no two professionals, share a name.
    names = Counter(Person.objects.values_list("given_names", "family_name"))
    assert [n for n, c in names.items() if c > 1] == []
    staff = Counter(Professional.objects.values_list("full_name", flat=True))
    assert [n for n, c in staff.items() if c > 1] == []

    # The BRP knows every demo person's address in full.
    bsns = list(Person.objects.exclude(bsn=None).values_list("bsn", flat=True))
    records = Store(settings.BRP_STANDIN_DB).by_bsn(bsns)
    assert len(records) == len(bsns)
    for record in records:
        adres = record["verblijfplaats"]["verblijfadres"]
        assert adres["officieleStraatnaam"] and adres["woonplaats"], record["burgerservicenummer"]
        assert adres["postcode"] and adres["huisnummer"]
    assert any(r["verblijfplaats"]["verblijfadres"].get("huisnummertoevoeging") for r in records)
    assert any(r["verblijfplaats"]["verblijfadres"].get("huisletter") for r in records)
