"""The board publishes nothing insight does not (ADR 0012, "The board's KPIs are
insight's twelve-month figures"). Insight publishes help that helps and time to help that
helps only over twelve whole months ending at a month's end: two consecutive periods give
x(M) - x(M-12) for any month M. A per-month figure on the board (a point of its chart, or
an improvement action's measured effect over a month) would, beside them, give away a
month insight hides: board_world's August (4 plans closed, 1 helped) came out of the
measured effect of an action over June with July's figure and the twelve months' total.

So every monthly KPI the board shows (each point of its charts, each measured effect) is,
value and n, the figure insight's reading gives for the twelve months ending that month,
seen on the day insight's page would have shown it; hidden where insight hides it."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from jeugdketen.insight import actions, kpis, store
from jeugdketen.insight.models import PublicationSettings
from jeugdketen.insight.suppression import rounded
from jeugdketen.steering import board, board_actions
from tests import factories as f


def insight_figure(actor: Any, end: date, seen: date) -> dict[str, tuple[Any, Any]]:
    """What insight's page and API (GET /insight/kpis?to=end) showed on the day after
    `seen`: the municipality's total of help that helps and time to help that helps."""
    reading = actions.read_insight(actor, "GM9911", end=end.isoformat(),
                                   today=seen + timedelta(days=1))
    con = store.reader()
    helps = kpis.help_that_helps(con, reading.scope, threshold=reading.threshold)[0]
    times = kpis.time_to_help(con, reading.scope, threshold=reading.threshold)[0]
    return {"help_that_helps": (None, None) if helps.suppressed else (helps.value, helps.n),
            "time_to_help": (None, None) if times.suppressed else (times.p50, times.n)}


def month_end(label: str) -> date:
    return actions.month_end(date.fromisoformat(f"{label}-01"))


@pytest.mark.parametrize(("threshold", "week"), [(10, "2026-W39"), (26, "2026-W45"),
                                                 (30, "2026-W35")])
def test_every_monthly_point_of_the_board_is_insights_figure(iw, board_store, threshold,
                                                             week):
    PublicationSettings.objects.update_or_create(
        municipality_id="GM9911", defaults={"threshold": threshold, "follow_up_days": 182})
    analyst = f.professional_actor(iw.analyst)
    shown = board_actions.read_board(analyst, "GM9911", week=week, today=date(2026, 12, 7))
    seen = month_end(shown.board.get("help_that_helps").labels[-1])
    offered = actions.period_ends(seen + timedelta(days=1), store.first_day())
    for key in ("help_that_helps", "time_to_help"):
        found = shown.board.get(key)
        assert found is not None and found.chart is not None and found.chart.rule == "run"
        for label, value, n in zip(found.labels, found.values, found.ns, strict=True):
            end = month_end(label)
            if end not in offered:  # insight does not offer the period: nothing at all
                assert (value, n) == (None, None), (key, label)
                continue
            published = insight_figure(analyst, end, seen)[key]
            assert (value, n) == (pytest.approx(published[0]) if published[0] is not None
                                  else None, published[1]), (key, label, threshold)


@pytest.mark.parametrize("threshold", [10, 30])
def test_a_measured_effect_is_insights_figures(iw, board_store, threshold):
    """Actions over any one month (June, July and August among them): before and after
    are insight's figures for the twelve months up to the month before the start and up
    to the due date's month, never one month on its own."""
    PublicationSettings.objects.update_or_create(
        municipality_id="GM9911", defaults={"threshold": threshold, "follow_up_days": 182})
    analyst = f.professional_actor(iw.analyst)
    today = date(2026, 10, 5)
    seen = actions.latest_end(today)
    for month in (1, 6, 7, 8, 9):
        first = date(2026, month, 1)
        for kpi in ("help_that_helps", "time_to_help"):
            effect = board.measure(store.reader(), "GM9911", kpi, first, first, today,
                                   threshold, 182, expected="up")
            before_end = first - timedelta(days=1)
            after_end = actions.month_end(first)
            for part, end in (("before", before_end), ("after", after_end)):
                value, n = insight_figure(analyst, end, seen)[kpi]
                got = effect[part]
                assert got["to"] == end.strftime("%Y-%m")
                assert got["from"] == actions.window_start(end).strftime("%Y-%m")
                assert got["n"] == n, (kpi, month, part)
                assert got["mean"] == (pytest.approx(value) if value is not None else None)


def test_august_alone_cannot_be_measured(iw, board_store):
    """The old finding: an action over August alone measured August's 1 of 4. Now its
    after is the twelve months up to August (28 of 59), and the month itself is nowhere.
    Since insight rounds a twelve-month figure's n and count to a multiple of T (half up,
    insight.suppression.rounded), before (up to July: 27 of 55) and after are even the
    same published figure, 30 of 60: after minus before is 0, not August's 1 of 4."""
    analyst = f.professional_actor(iw.analyst)
    effect = board.measure(store.reader(), "GM9911", "help_that_helps", date(2026, 8, 1),
                           date(2026, 8, 1), date(2026, 10, 5), 10, 182)
    assert [rounded(x, 10) for x in (28, 59, 27, 55)] == [30, 60, 30, 60]
    assert effect["after"]["n"] == 60 and effect["after"]["mean"] == pytest.approx(30 / 60)
    assert effect["before"]["n"] == 60 and effect["before"]["mean"] == pytest.approx(30 / 60)
    # The attacker's subtraction: n and count (mean times n) of after minus before differ
    # by 0 or by at least T, never by a number from 1 to T - 1 (here: by nothing at all).
    counts = {part: round(effect[part]["mean"] * effect[part]["n"])
              for part in ("before", "after")}
    n_gap = effect["after"]["n"] - effect["before"]["n"]
    count_gap = counts["after"] - counts["before"]
    assert (n_gap, count_gap) == (0, 0)
    assert not 0 < abs(n_gap) < 10 and not 0 < abs(count_gap) < 10
    shown = board_actions.read_board(analyst, "GM9911", week="2026-W39",
                                     today=date(2026, 10, 5))
    for key in ("help_that_helps", "time_to_help"):
        ns = shown.board.get(key).ns
        assert 4 not in ns and 1 not in ns
        assert all(n is None or n % 10 == 0 for n in ns), (key, ns)


def test_the_other_kpis_and_bottlenecks_are_over_insights_own_period(iw, board_store):
    """Time on help, job satisfaction and the bottlenecks are insight's figures over the
    latest twelve-month period: the board's scope is the one insight's reading gives."""
    from jeugdketen.insight import selectors
    from jeugdketen.steering import series

    analyst = f.professional_actor(iw.analyst)
    _threshold, follow_up = selectors.publication_for("GM9911")
    for week, sunday in (("2026-W39", date(2026, 9, 27)), ("2026-W44", date(2026, 11, 1))):
        scope = series.kpi_scope("GM9911", sunday, follow_up)
        seen = scope.end - timedelta(days=1)
        reading = actions.read_insight(analyst, "GM9911", end=seen.isoformat(),
                                       today=seen + timedelta(days=1))
        assert scope == reading.scope, week
        shown = board_actions.read_board(analyst, "GM9911", week=week, today=date(2026, 12, 7))
        assert shown.board.kpi_start == reading.scope.start
        assert shown.board.get("help_that_helps").labels[-1] == seen.strftime("%Y-%m")
