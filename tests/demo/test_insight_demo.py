"""Issue 12 (Insight): the demo `make run` loads (`jeugdketen demo`, default size) shows, in
its chain event log over the last twelve whole months (the period the insight pages open
with) and above the publication threshold of 10, the differences the insight pages are to
make visible:

- neighbourhoods with joint intakes (year two) reach help sooner than the others;
- help that helps: Vogelwijk about 90% (88-92%; Molenpark 100%), Havenkwartier about 60%
  (57-63%; Binnenstad 100%), each with 10 or more helped and not helped, so the pages
  show them (and the district pages do: checked on the page itself);
- one youth-care provider (Jeugdhulp De Brug) with clearly more dropout (CBS 03/04);
- some plans still open, and households with a new report within six months of a close.

The figures are computed here by hand from the chain events (tests/demo/figures.py), so
the differences cannot silently disappear from the demo. Insight publishes a twelve-month
rate from its counts rounded to the threshold (insight.suppression.rounded: n and count
to a multiple of 10, the share from those), so the store and the pages are checked against
the hand-made counts rounded the same way."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import datetime, time
from pathlib import Path
from typing import Any

from django.utils import timezone

from jeugdketen.access.models import User
from jeugdketen.chainlog.models import ChainEvent
from jeugdketen.demo import closing
from jeugdketen.demo.registry import NEIGHBOURHOODS
from jeugdketen.insight.suppression import rounded
from jeugdketen.plans.models import Plan
from jeugdketen.registry.models import Neighbourhood, Organisation

from . import figures as f

THRESHOLD = 10


def published(values: list[bool]) -> tuple[int, int, float]:
    """A rate as insight publishes it from the hand-made values: n and count rounded to the
    threshold (half up: 112 -> 110, 15 -> 20), the share from those rounded counts."""
    n, count = rounded(len(values), THRESHOLD), rounded(sum(values), THRESHOLD)
    assert n and count is not None, (len(values), sum(values))  # shown: not below it
    return n, count, count / n


def check_the_demo_shows_the_differences_insight_is_about(settings: Any, tmp_path: Path) -> None:
    """Called by tests/demo/test_full_demo.py on the demo as `make run` loads it."""
    rows = ChainEvent.objects.exclude(trajectory_key="").values_list(
        "at", "activity", "trajectory_key", "household_key", "neighbourhood_code",
        "attributes")
    ts = f.trajectories(rows)
    # The last twelve whole months: from the first of this month a year back up to the
    # first of this month.
    first = timezone.localdate().replace(day=1)
    tz = timezone.get_current_timezone()
    since = datetime.combine(first.replace(year=first.year - 1), time.min, tzinfo=tz)
    until = datetime.combine(first, time.min, tzinfo=tz)
    names = dict(Neighbourhood.objects.values_list("code", "name"))
    assert names[closing.HELPS_WELL] == "Vogelwijk"
    assert names[closing.HELPS_POORLY] == "Havenkwartier"
    assert closing.HELPS_WELL in closing.JOINT_NEIGHBOURHOODS
    assert closing.HELPS_POORLY not in closing.JOINT_NEIGHBOURHOODS

    # Help that helps, per district's two neighbourhoods (a district shows its two only
    # together, and a rate only with 10 or more helped and 10 or more not, or none not):
    # Vogelwijk about 90% against Molenpark 100%, Havenkwartier about 60% against
    # Binnenstad 100%.
    helped = f.helped(ts, since, until)
    well, poorly = helped[closing.HELPS_WELL], helped[closing.HELPS_POORLY]
    assert 0.88 <= f.share(well) <= 0.92, (len(well), sum(well), f.share(well))
    assert 0.57 <= f.share(poorly) <= 0.63, (len(poorly), sum(poorly), f.share(poorly))
    for shown in (well, poorly):
        assert sum(shown) >= THRESHOLD and len(shown) - sum(shown) >= THRESHOLD
    for area, share in closing.HELPED.items():
        if share == 1.0:
            assert len(helped[area]) >= THRESHOLD and all(helped[area]), names[area]

    # Dropout: Jeugdhulp De Brug ends a third or more of its plans early one-sidedly (10
    # or more), the other providers none.
    brug = Organisation.objects.get(name=closing.DROPOUT_PROVIDER)
    assert brug.kind == "youth_care_provider"
    dropout = {p: v for p, v in f.dropout(ts, since, until).items() if len(v) >= THRESHOLD}
    theirs = dropout.pop(brug.pk)
    assert len(theirs) >= 20 and f.share(theirs) >= 0.3, (len(theirs), f.share(theirs))
    assert sum(theirs) >= THRESHOLD and len(theirs) - sum(theirs) >= THRESHOLD
    assert len(dropout) >= 3
    assert not any(any(v) for v in dropout.values())

    # Time to help: the neighbourhoods with joint intakes less than half the median days
    # of the others, each faster than the others together (and they slower than the
    # joint ones together).
    days = {a: v for a, v in f.days_to_help(ts, since, until).items()
            if a and len(v) >= THRESHOLD}
    joint = {a: f.median(v) for a, v in days.items() if a in closing.JOINT_NEIGHBOURHOODS}
    single = {a: f.median(v) for a, v in days.items() if a not in closing.JOINT_NEIGHBOURHOODS}
    assert len(joint) >= 3 and len(single) >= 3
    joint_all = f.median([d for a in joint for d in days[a]])
    single_all = f.median([d for a in single for d in days[a]])
    assert joint_all * 2 < single_all, (joint_all, single_all)
    assert all(m < single_all for m in joint.values()), (joint, single_all)
    assert all(m > joint_all for m in single.values()), (single, joint_all)
    # Among the plans that helped, closed in the year, too: in each district the joint
    # neighbourhood against the other.
    waited: dict[str, list[float]] = defaultdict(list)
    for t in ts.values():
        if (t.closed is not None and since < t.closed < until and t.help_started is not None
                and t.first_contact is not None and t.close.get("can_continue_without_help")):
            waited[t.neighbourhood].append((t.help_started - t.first_contact).days)
    for fast, slow in ((closing.HELPS_WELL, f"BU{NEIGHBOURHOODS[3][0]}"),
                       (f"BU{NEIGHBOURHOODS[0][0]}", closing.HELPS_POORLY)):
        assert len(waited[fast]) >= THRESHOLD and len(waited[slow]) >= THRESHOLD
        assert f.median(waited[fast]) < f.median(waited[slow]), (names[fast], names[slow])

    # Some trajectories from the front door still open; a few households back within six
    # months of a close.
    assert Plan.objects.filter(origin="care_report", status="open").count() >= 10
    assert Plan.objects.filter(origin="care_report", status="closed").count() >= 100
    assert 3 <= f.repeats(ts) <= 20

    # And the insight store shows them, above the threshold, over the last twelve whole
    # months (the dashboard's default period), and so do the pages.
    settings.REQUIRE_2FA = False  # the pages are checked, not the login
    _the_pages_show_them(settings, tmp_path, names, {
        closing.HELPS_WELL: well, closing.HELPS_POORLY: poorly,
        **{area: helped[area] for area, share in closing.HELPED.items() if share == 1.0}},
        theirs)


def _the_pages_show_them(settings: Any, tmp_path: Path, names: dict[str, str],
                         by_hand: dict[str, list[bool]], brug: list[bool]) -> None:
    from jeugdketen.insight import kpis, outcomes, refresh, store
    from jeugdketen.insight.scope import Scope

    settings.INSIGHT_DIR = tmp_path / "insight"
    store.forget_reader()
    try:
        refresh.refresh()
        con = store.reader()
        today = timezone.localdate()
        end = today.replace(day=1)
        start = end.replace(year=end.year - 1)
        molenpark, binnenstad = f"BU{NEIGHBOURHOODS[3][0]}", f"BU{NEIGHBOURHOODS[0][0]}"
        for district, fast, slow in (("WK999902", closing.HELPS_WELL, molenpark),
                                     ("WK999901", binnenstad, closing.HELPS_POORLY)):
            scope = Scope(district, start, end, today)
            rates = {r.group: r for r in kpis.help_that_helps(con, scope, threshold=THRESHOLD)}
            waits = {r.group: r for r in kpis.time_to_help(con, scope, threshold=THRESHOLD)}
            for area in (fast, slow):
                assert not rates[area].suppressed and not waits[area].suppressed, names[area]
            assert waits[fast].p50 < waits[slow].p50, (names[fast], names[slow])
        well = kpis.help_that_helps(con, Scope("WK999902", start, end, today),
                                    threshold=THRESHOLD)
        poorly = kpis.help_that_helps(con, Scope("WK999901", start, end, today),
                                      threshold=THRESHOLD)
        value = {r.group: r.value for r in [*well, *poorly]}
        assert value[molenpark] == value[binnenstad] == 1.0
        # The share by hand is about 60% and 90% (above); published, it is the share of
        # the rounded counts (published()), e.g. 101 of 112 -> 100 of 110, 91%.
        rows = {r.group: r for r in [*well, *poorly]}
        for area in (closing.HELPS_WELL, closing.HELPS_POORLY, molenpark, binnenstad):
            row = rows[area]
            assert (row.n, row.count, row.value) == published(by_hand[area]), (
                names[area], len(by_hand[area]), sum(by_hand[area]), row)
            assert row.rounded_to == THRESHOLD
        dropout = outcomes.indicators(con, Scope("GM9999", start, end, today),
                                      threshold=THRESHOLD, by="provider")["dropout"]
        shown = {r.label: r for r in dropout if r.group and not r.suppressed}
        theirs = shown.pop(closing.DROPOUT_PROVIDER)
        # De Brug's dropout as published: its counts by hand (a third or more, above)
        # rounded to the threshold, the share from those.
        assert (theirs.n, theirs.count, theirs.value) == published(brug), (
            len(brug), sum(brug), theirs)
        assert (theirs.value or 0) > 0, theirs
        assert len(shown) >= 3 and {r.value for r in shown.values()} == {0.0}, shown
        _the_dashboard_shows_them(names, by_hand)
    finally:
        store.forget_reader()


def _text(body: bytes) -> str:
    html = body.decode()
    main = html[html.index("<main"):html.index("</main>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


def _the_dashboard_shows_them(names: dict[str, str], by_hand: dict[str, list[bool]]) -> None:
    """/inzicht/ as the municipality's analyst (demo.analist) sees it: the municipality's
    districts, and each district's page its two neighbourhoods' help that helps, the
    share and n as computed by hand and published (rounded to the threshold: published()),
    none hidden (a district shows its two only together)."""
    from django.test import Client

    c = Client(HTTP_USER_AGENT="pytest-demo")
    c.force_login(User.objects.get(username="demo.analist"))
    c.cookies["django_language"] = "nl"
    response = c.get("/inzicht/")
    assert response.status_code == 200
    table = _help_table(_text(response.content))
    for district in ("Centrum", "Noord"):
        assert re.search(rf"{district} \d+% \d+–\d+% \d+ ", table), (district, table)
    for district, areas in (("WK999902", (closing.HELPS_WELL, f"BU{NEIGHBOURHOODS[3][0]}")),
                            ("WK999901", (closing.HELPS_POORLY, f"BU{NEIGHBOURHOODS[0][0]}"))):
        response = c.get(f"/inzicht/?gebied={district}")
        assert response.status_code == 200
        table = _help_table(_text(response.content))
        for area in areas:
            shown = re.search(rf"{names[area]} (\d+)% \d+–\d+% (\d+) ", table)
            assert shown is not None, (names[area], table)
            n, _count, share = published(by_hand[area])
            assert int(shown[1]) == round(100 * share), (names[area], shown[0])
            assert int(shown[2]) == n, (names[area], shown[0])


def _help_table(text: str) -> str:
    """The table of help that helps per area (after its chart, before time to help)."""
    start = text.index("Hulp die helpt per gebied Gebied Aandeel")
    return text[start:text.index("Tijd tot hulp die helpt", start)]
