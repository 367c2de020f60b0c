"""Issue 12 (Insight): the demo `make run` loads (`jeugdketen demo`, default size) shows, in
its chain event log over the last twelve months and above the publication threshold of
10, the differences the insight pages are to make visible:

- neighbourhoods with joint intakes (year two) reach help sooner than the others;
- Vogelwijk about 90% help that helps, Havenkwartier about 60%;
- one youth-care provider (Jeugdhulp De Brug) with clearly more dropout (CBS 03/04);
- some plans still open, and households with a new report within six months of a close.

The figures are computed here by hand from the chain events (tests/demo/figures.py), so
the differences cannot silently disappear from the demo."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from jeugdketen.chainlog.models import ChainEvent
from jeugdketen.demo import closing
from jeugdketen.plans.models import Plan
from jeugdketen.registry.models import Neighbourhood, Organisation

from . import figures as f

THRESHOLD = 10


def test_the_demo_shows_the_differences_insight_is_about(db):
    call_command("demo", stdout=StringIO(), stderr=StringIO())  # as `make run` loads it
    rows = ChainEvent.objects.exclude(trajectory_key="").values_list(
        "at", "activity", "trajectory_key", "household_key", "neighbourhood_code",
        "attributes")
    ts = f.trajectories(rows)
    since = timezone.now() - timedelta(days=365)
    names = dict(Neighbourhood.objects.values_list("code", "name"))
    assert names[closing.HELPS_WELL] == "Vogelwijk"
    assert names[closing.HELPS_POORLY] == "Havenkwartier"
    assert closing.HELPS_WELL in closing.JOINT_NEIGHBOURHOODS
    assert closing.HELPS_POORLY not in closing.JOINT_NEIGHBOURHOODS

    # Help that helps: about 90% in Vogelwijk, about 60% in Havenkwartier, each on 20 or
    # more closed plans; the others in between.
    helped = {area: v for area, v in f.helped(ts, since).items() if len(v) >= THRESHOLD}
    well, poorly = helped[closing.HELPS_WELL], helped[closing.HELPS_POORLY]
    assert len(well) >= 20 and len(poorly) >= 20
    assert 0.85 <= f.share(well) <= 0.95, f.share(well)
    assert 0.55 <= f.share(poorly) <= 0.66, f.share(poorly)
    assert sum(poorly) >= THRESHOLD and sum(well) >= THRESHOLD
    others = [f.share(v) for area, v in helped.items()
              if area not in (closing.HELPS_WELL, closing.HELPS_POORLY)]
    assert len(others) >= 4
    assert all(f.share(poorly) < share < f.share(well) for share in others), others

    # Dropout: Jeugdhulp De Brug ends clearly more plans early one-sidedly than any other
    # provider with enough closed plans.
    brug = Organisation.objects.get(name=closing.DROPOUT_PROVIDER)
    assert brug.kind == "youth_care_provider"
    dropout = {p: v for p, v in f.dropout(ts, since).items() if len(v) >= THRESHOLD}
    theirs = dropout.pop(brug.pk)
    assert len(theirs) >= 15 and f.share(theirs) >= 0.25, (len(theirs), f.share(theirs))
    assert len(dropout) >= 3
    assert all(f.share(v) <= f.share(theirs) / 2 for v in dropout.values())

    # Time to help: every neighbourhood with joint intakes faster (median) than every one
    # without, each on at least 10 trajectories.
    days = f.days_to_help(ts, since)
    joint = [f.median(days[a]) for a in closing.JOINT_NEIGHBOURHOODS]
    single = [f.median(v) for a, v in days.items()
              if a and a not in closing.JOINT_NEIGHBOURHOODS]
    assert all(len(days[a]) >= THRESHOLD for a in names)
    assert len(single) == 4 and max(joint) < min(single), (joint, single)
    assert f.median([d for a in closing.JOINT_NEIGHBOURHOODS for d in days[a]]) * 2 < f.median(
        [d for a, v in days.items() if a and a not in closing.JOINT_NEIGHBOURHOODS for d in v])

    # Some trajectories from the front door still open; a few households back within six
    # months of a close.
    assert Plan.objects.filter(origin="care_report", status="open").count() >= 10
    assert Plan.objects.filter(origin="care_report", status="closed").count() >= 100
    assert 3 <= f.repeats(ts) <= 20
