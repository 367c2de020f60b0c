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

    # Help that helps: about 90% in Vogelwijk, about 60% in Havenkwartier, each on about
    # 20 or more closed plans; the others (70-80%) in between.
    helped = {area: v for area, v in f.helped(ts, since).items() if len(v) >= THRESHOLD}
    well, poorly = helped[closing.HELPS_WELL], helped[closing.HELPS_POORLY]
    assert len(well) >= 18 and len(poorly) >= 18, (len(well), len(poorly))
    assert 0.85 <= f.share(well) <= 0.95, f.share(well)
    assert 0.55 <= f.share(poorly) <= 0.66, f.share(poorly)
    assert sum(poorly) >= THRESHOLD and sum(well) >= THRESHOLD
    others = [f.share(v) for area, v in helped.items()
              if area not in (closing.HELPS_WELL, closing.HELPS_POORLY)]
    assert len(others) >= 4
    assert all(f.share(poorly) - 0.05 <= x <= f.share(well) for x in others), others

    # Dropout: Jeugdhulp De Brug ends clearly more plans early one-sidedly than any other
    # provider with enough closed plans.
    brug = Organisation.objects.get(name=closing.DROPOUT_PROVIDER)
    assert brug.kind == "youth_care_provider"
    dropout = {p: v for p, v in f.dropout(ts, since).items() if len(v) >= THRESHOLD}
    theirs = dropout.pop(brug.pk)
    assert len(theirs) >= 15 and f.share(theirs) >= 0.25, (len(theirs), f.share(theirs))
    assert len(dropout) >= 3
    assert all(f.share(v) <= f.share(theirs) / 2 for v in dropout.values())

    # Time to help: the neighbourhoods with joint intakes less than half the median days
    # of the others, each faster than the others together (and they slower than the
    # joint ones together), each on at least 10 trajectories.
    days = f.days_to_help(ts, since)
    assert all(len(days[a]) >= THRESHOLD for a in names)
    joint = {a: f.median(v) for a, v in days.items() if a in closing.JOINT_NEIGHBOURHOODS}
    single = {a: f.median(v) for a, v in days.items()
              if a and a not in closing.JOINT_NEIGHBOURHOODS}
    assert len(joint) == len(single) == 4
    joint_all = f.median([d for a in joint for d in days[a]])
    single_all = f.median([d for a in single for d in days[a]])
    assert joint_all * 2 < single_all, (joint_all, single_all)
    assert all(m < single_all for m in joint.values()), (joint, single_all)
    assert all(m > joint_all for m in single.values()), (single, joint_all)
    # Among the plans that helped, closed in the year, too: Vogelwijk against Havenkwartier.
    waited: dict[str, list[float]] = {closing.HELPS_WELL: [], closing.HELPS_POORLY: []}
    for t in ts.values():
        if (t.neighbourhood in waited and t.closed is not None and t.closed > since
                and t.help_started is not None and t.first_contact is not None
                and t.close.get("can_continue_without_help")):
            waited[t.neighbourhood].append((t.help_started - t.first_contact).days)
    assert len(waited[closing.HELPS_WELL]) >= THRESHOLD
    assert len(waited[closing.HELPS_POORLY]) >= THRESHOLD
    assert f.median(waited[closing.HELPS_WELL]) * 2 < f.median(waited[closing.HELPS_POORLY])

    # Some trajectories from the front door still open; a few households back within six
    # months of a close.
    assert Plan.objects.filter(origin="care_report", status="open").count() >= 10
    assert Plan.objects.filter(origin="care_report", status="closed").count() >= 100
    assert 3 <= f.repeats(ts) <= 20
