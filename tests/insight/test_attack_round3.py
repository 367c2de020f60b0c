"""Attacks round 3 on the rounded period counts (branch round-periods: every count of a
twelve-month period rounded to a multiple of the threshold T, docs/insight.md "Rounded
period counts"), as the municipality's ordinary readers of figures: its analyst (who also
sets T, 10 to 100), its coordinator and its front door.

Finding R3-1, the threshold as a ruler: the rounding's base is T, and T is the analyst's
to change. One count rounded to 10, 11, 12, ... lies in a different interval each time;
the intervals intersect to one value, and the first T at which the count is hidden is the
count plus one. Every count from 10 to 100 was pinned exactly, so two twelve-month
periods a month apart gave the small month again (round 2's finding). Fixed: counts are
rounded to multiples of 10 whatever T is, and T is set in tens, so every setting shows a
count the same way or hides it on the same grid (the tests below now hold).

Finding R3-2, the decimals of an exact quantile: the time to help's p50 and p90 are exact
(quantile_cont, interpolated). The fraction of p90 is frac(0.9 (n - 1)) times the gap
between two neighbouring days, so with neighbouring days a day apart (any busy group) it
gives n modulo 10, and with the rounded n the exact n: at one T, one read per period, by
any reader of figures.

Fixed: p50 and p90 are published as whole days (insight.stats.whole_days), here, in the
value stream and the simulation's observed waits; the test below now holds. What holds is
kept as regression tests.

Found after round 3, the follow-up period as a ruler: the analyst could set the follow-up
of help that helps to any day from 90 to 730. Read day by day, a rounded count steps from
one multiple of 10 to the next at the day one more family's return falls inside the
period, and where returns come one a day that step pins the count on both sides. Fixed:
only 90, 182, 365 or 730 days may be chosen (the last test below)."""

from __future__ import annotations

import itertools
import math
from datetime import date, timedelta
from typing import Any

import pytest

from jeugdketen.insight import kpis
from jeugdketen.insight.scope import Scope
from jeugdketen.insight.selectors import publication_for
from jeugdketen.insight.suppression import rounded
from tests import factories as f
from tests.insight.test_pages import publish

from .test_kpis import A, make_store, trajectory

T = 10
# What the analyst may set (insight.actions.set_publication): 10 to 100 in tens (was any
# whole number, R3-1).
THRESHOLDS = range(10, 101, 10)

@pytest.fixture(autouse=True)
def _pages(settings):
    from tests.pages import for_pages

    for_pages(settings)


def candidates(reads: dict[int, int | None], upto: int = 1000, *,
               hidden_is_small: bool = False) -> list[int]:
    """The counts consistent with every shown rounding (threshold -> rounded value); with
    `hidden_is_small` a hidden read counts too (a count rounded on its own, no partner
    hidden beside it, is hidden only when it is from 1 to T - 1)."""
    return [x for x in range(upto)
            if all(rounded(x, t) == v for t, v in reads.items()
                   if v is not None or hidden_is_small)]


# --- R3-1: rounding to the analyst's threshold -----------------------------------------------


def test_a_count_read_at_every_allowed_threshold_stays_a_range():
    pinned = [x for x in range(10, 101)
              if candidates({t: rounded(x, t) for t in THRESHOLDS},
                            hidden_is_small=True) == [x]]
    assert pinned == [], f"{len(pinned)} of 91 counts pinned exactly, e.g. {pinned[:5]}"


def set_threshold(iw: Any, threshold: int) -> bool:
    """The analyst's ordinary settings change; False when the setting is refused."""
    from jeugdketen.core.errors import Refusal
    from jeugdketen.insight import actions

    _old, follow_up = publication_for("GM9911")
    try:
        actions.set_publication(f.professional_actor(iw.analyst), "GM9911",
                                threshold=threshold, follow_up_days=follow_up)
    except Refusal:
        return False
    return True


def test_two_periods_read_at_several_thresholds_do_not_give_a_small_month(
        iw, insight_dir, api_client_for):
    from tests.steering import board_world

    publish(insight_dir, board_world.fill)
    api = api_client_for(iw.coordinator)
    n: dict[str, dict[int, int | None]] = {"2026-07-31": {}, "2026-08-31": {}}
    helped: dict[str, dict[int, int | None]] = {"2026-07-31": {}, "2026-08-31": {}}
    for threshold in range(10, 21):
        if not set_threshold(iw, threshold):
            continue  # a setting refused (a fix may allow only some): nothing to read
        for to in n:
            got = api.get(f"/insight/kpis?area=GM9911&to={to}")
            assert got.status_code == 200, got.content[:300]
            assert got.json()["threshold"] == threshold
            total = got.json()["help_that_helps"][0]
            n[to][threshold], helped[to][threshold] = total["n"], total["count"]
    july, august = candidates(n["2026-07-31"]), candidates(n["2026-08-31"])
    july_h, august_h = candidates(helped["2026-07-31"]), candidates(helped["2026-08-31"])
    pinned = [a[0] - b[0] for a, b in ((august, july), (august_h, july_h))
              if len(a) == len(b) == 1]
    assert not any(0 < d < T for d in pinned), (july, august, july_h, august_h)


def test_at_one_threshold_the_two_periods_differ_by_zero_or_at_least_t(
        iw, insight_dir, api_client_for):
    """What rounding does hold, kept: at the one threshold set, the same two periods
    (55 and 59 plans, 27 and 28 helped) read as 60 of 60 and 30 of 30, the same figure."""
    from tests.steering import board_world

    publish(insight_dir, board_world.fill)
    api = api_client_for(iw.front_door)
    shown = [api.get(f"/insight/kpis?area=GM9911&to={to}").json()["help_that_helps"][0]
             for to in ("2026-07-31", "2026-08-31")]
    assert [(r["n"], r["count"]) for r in shown] == [
        (rounded(55, T), rounded(27, T)), (rounded(59, T), rounded(28, T))] == [(60, 30)] * 2


# --- R3-2: the decimals of an exact p90 -------------------------------------------------------


def n_from_quantiles(shown_n: int, threshold: int, p50: float, p90: float) -> list[int]:
    """The group sizes n that round to `shown_n` and whose interpolated median and p90
    (quantile_cont over whole days) have the fractions shown, when neighbouring days are
    the same or a day apart: the fraction of the q-quantile is then 0 or frac(q (n - 1))."""
    def fits(n: int, q: float, value: float) -> bool:
        seen = value - math.floor(value)
        own = q * (n - 1) - math.floor(q * (n - 1))
        return math.isclose(seen, 0, abs_tol=1e-9) or math.isclose(seen, own, abs_tol=1e-9)

    return [n for n in range(1, 1000) if rounded(n, threshold) == shown_n
            and fits(n, 0.5, p50) and fits(n, 0.9, p90)]


def test_the_quantiles_decimals_do_not_give_the_rounded_n_back():
    con = make_store()
    try:
        # 23 families helped, closed in March 2026, waited 1..23 days (a day apart); one
        # more helped, closed in July 2026, waited 24 days. Nothing closed in July 2025.
        first = date(2026, 2, 1)
        for days in range(1, 24):
            trajectory(con, f"m{days}", neighbourhood=A, first=first.isoformat(),
                       help_started=(first + timedelta(days=days)).isoformat(),
                       closed="2026-03-15")
        trajectory(con, "july", neighbourhood=A, first="2026-06-01",
                   help_started=(date(2026, 6, 1) + timedelta(days=24)).isoformat(),
                   closed="2026-07-15")
        shown = []
        for start, end in ((date(2025, 7, 1), date(2026, 7, 1)),
                           (date(2025, 8, 1), date(2026, 8, 1))):
            total = kpis.time_to_help(con, Scope("GM0001", start, end, date(2027, 6, 1), 182),
                                      threshold=T)[0]
            assert not total.suppressed and total.n == 20
            shown.append(n_from_quantiles(total.n, T, total.p50, total.p90))
    finally:
        con.close()
    june, july = shown
    assert not (len(june) == len(july) == 1 and 0 < july[0] - june[0] < T), (june, july)



# --- The follow-up period as a ruler (found after round 3) -------------------------------------


def allowed_follow_ups(iw: Any) -> list[int]:
    """The follow-up periods the analyst's settings accept, tried day by day."""
    from jeugdketen.core.errors import Refusal
    from jeugdketen.insight import actions

    who = f.professional_actor(iw.analyst)
    allowed = []
    for days in range(90, 731):
        try:
            actions.set_publication(who, "GM9911", threshold=T, follow_up_days=days)
        except Refusal:
            continue
        allowed.append(days)
    return allowed


def pinned_by_sweep(shown: dict[int, int | None], upto: int = 200) -> dict[int, int]:
    """The counts of help that helps an attacker pins from the rounded counts read at
    each follow-up period (days -> shown), knowing that families return at most one a day:
    between two periods d1 < d2 the count falls by 0 to d2 - d1. Each period's candidates
    are narrowed by its neighbours' (a chain of difference constraints, so passes forward
    and back give exactly the counts that fit every read)."""
    days = sorted(shown)
    fits = {d: {x for x in range(upto) if rounded(x, T) == shown[d]} for d in days}
    for order in (days, days[::-1]):
        for before, after in itertools.pairwise(order):
            gap = abs(after - before)
            if after > before:  # later period: the same count or up to `gap` fewer
                fits[after] = {x for x in fits[after] if any(0 <= y - x <= gap
                                                             for y in fits[before])}
            else:
                fits[after] = {x for x in fits[after] if any(0 <= x - y <= gap
                                                             for y in fits[before])}
    return {d: next(iter(fits[d])) for d in days if len(fits[d]) == 1}


def test_sweeping_the_follow_up_period_pins_no_count(iw):
    """In one neighbourhood, plans closed on 1 March 2026: 30 families helped who never
    return, 20 not helped, and 30 helped whose family i returns 100 + i days after the
    close, one a day. Were every period from 90 to 730 days allowed, the analyst would read
    help that helps at each: 55 (shown 60) at 104 days and 54 (shown 50) at 105, and that
    one-day step pins both exactly. Only the fixed periods are allowed, and their rounded
    counts pin nothing."""
    con = make_store()
    try:
        close = date(2026, 3, 1)
        for i in range(30):
            trajectory(con, f"stays{i}", closed=close.isoformat())
            trajectory(con, f"returns{i}", closed=close.isoformat(),
                       next_at=(close + timedelta(days=100 + i)).isoformat())
        for i in range(20):
            trajectory(con, f"not{i}", closed=close.isoformat(), can_continue=False)

        def shown_at(days: int) -> int | None:
            figure = kpis.help_that_helps(
                con, Scope(A, date(2026, 1, 1), date(2026, 7, 1), date(2028, 6, 1), days),
                threshold=T)[0]
            return None if figure.suppressed else figure.count

        # The check has teeth: day by day, it pins.
        assert pinned_by_sweep({d: shown_at(d) for d in range(100, 110)}) == {104: 55, 105: 54}
        allowed = allowed_follow_ups(iw)
        assert len(allowed) >= 2, allowed
        assert pinned_by_sweep({d: shown_at(d) for d in allowed}) == {}
    finally:
        con.close()
