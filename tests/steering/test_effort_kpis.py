"""The two effort KPIs (insight.kpis.time_on_help, job_satisfaction) on hand-made stores:
`time.answered` and `survey.answer` events written straight into the store's `events`.

`time.answered` in both forms a log can hold: one event per team and week with the number
of respondents and their summed hours (what the weeks' closing emits), and one event per
answer without `respondents` (a log from before that): every time-on-help test runs on
both, and the same answers give the same figures in either form, or mixed."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

import pytest

from jeugdketen.core.errors import Refusal
from jeugdketen.insight import kpis
from jeugdketen.insight.scope import Scope
from tests.insight import handmade

# GM0001 Stad: district WK000101 Noord (A, B), WK000102 Zuid (C).
AREAS = {"BU00010101": ("A-buurt", "WK000101", "Noord"),
         "BU00010102": ("B-buurt", "WK000101", "Noord"),
         "BU00010201": ("C-buurt", "WK000102", "Zuid")}
A, B, C = AREAS
TEAM_A, TEAM_BC, TEAM_NONE = 5, 7, 9


@pytest.fixture
def con() -> Any:
    connection = handmade.store()
    for code, (name, district, district_name) in AREAS.items():
        handmade.area(connection, code, district, "GM0001", (name, district_name, "Stad"))
    connection.execute("INSERT INTO organisations VALUES (5, 'Wijkteam Noord', "
                       "'neighbourhood_team', 'GM0001'), (7, 'Wijkteam Zuid', "
                       "'neighbourhood_team', 'GM0001'), (9, 'School', 'school', 'GM0001')")
    yield connection
    connection.close()


PER_TEAM, PER_ANSWER = "per team", "per answer"
LOG = {"form": PER_TEAM}  # how `answer` writes the events (the fixture `time_log` sets it)


@pytest.fixture(params=[PER_TEAM, PER_ANSWER])
def time_log(request: Any, monkeypatch: Any) -> str:
    monkeypatch.setitem(LOG, "form", request.param)
    return str(request.param)


def closed(week: str) -> date:
    """The moment the week's answers enter the log (any day after the week: no figure
    reads it)."""
    return date.fromisoformat(week) + (date(2026, 1, 8) - date(2026, 1, 1))


def answer(con: Any, team: int, hoods: list[str], week: str, help_hours: int,
           accountability_hours: int, n: int = 1, form: str | None = None) -> None:
    """`n` answers of a team for a week, each with these hours: one event with their
    number and sums (PER_TEAM, as the closing emits a team's week), or an event each
    (PER_ANSWER, a log from before)."""
    if (form or LOG["form"]) == PER_TEAM:
        handmade.add(con, "time.answered", "", closed(week), organisation_id=team,
                     neighbourhood="", week=week, respondents=n, help_hours=help_hours * n,
                     accountability_hours=accountability_hours * n, municipality="GM0001",
                     neighbourhoods=hoods)
        return
    for _ in range(n):
        handmade.add(con, "time.answered", "", closed(week), organisation_id=team,
                     neighbourhood="", week=week, help_hours=help_hours,
                     accountability_hours=accountability_hours, municipality="GM0001",
                     neighbourhoods=hoods)


def scope(area: str = "GM0001") -> Scope:
    return Scope(area, date(2026, 1, 1), date(2027, 1, 1), date(2027, 1, 1))


def by_group(figures: list[Any]) -> dict[str, Any]:
    return {f.group: f for f in figures}


@pytest.mark.usefixtures("time_log")
def test_time_on_help_per_area_with_small_weeks_hidden(con: Any) -> None:
    # Week 1: 12 in team Noord (A), 12 in team Zuid (B and C).
    answer(con, TEAM_A, [A], "2026-01-05", 30, 10, n=12)
    answer(con, TEAM_BC, [B, C], "2026-01-05", 20, 20, n=12)
    # Week 2: only 3 answered in Zuid: that week is hidden for B, C, Zuid; and with it
    # enough around them that it cannot be worked out.
    answer(con, TEAM_BC, [B, C], "2026-01-12", 0, 40, n=3)
    answer(con, TEAM_A, [A], "2026-01-12", 40, 0, n=12)
    got = by_group(kpis.time_on_help(con, scope(), threshold=10, by="neighbourhood"))
    assert got[B].weeks == 1 and got[B].value == pytest.approx(0.5)
    assert got[C].weeks == 1 and got[C].respondents == 12
    assert got[B].help_hours == pytest.approx(20) and got[B].accountability_hours == 20
    # Week 2 of the municipality (15) minus A's (12) would give Zuid's 3: one of the two
    # is hidden that week.
    assert got[A].weeks + got[""].weeks == 3
    if got[A].weeks == 2:
        assert got[A].value == pytest.approx((360 + 480) / (480 + 480))
        assert got[""].value == pytest.approx((360 + 240) / (480 + 480))
    else:
        assert got[A].value == pytest.approx(0.75)
        assert got[""].respondents == pytest.approx((24 + 15) / 2)


@pytest.mark.usefixtures("time_log")
def test_time_on_help_hides_a_group_below_the_threshold(con: Any) -> None:
    answer(con, TEAM_A, [A], "2026-01-05", 30, 10, n=9)
    answer(con, TEAM_BC, [C], "2026-01-05", 30, 10, n=9)
    got = by_group(kpis.time_on_help(con, scope(), threshold=10, by="neighbourhood"))
    assert got[A].suppressed and got[A].value is None and got[A].respondents is None
    assert got[C].suppressed
    assert not got[""].suppressed and got[""].respondents == 18
    districts = by_group(kpis.time_on_help(con, scope(), threshold=10))
    assert districts["WK000101"].suppressed and districts["WK000102"].suppressed


@pytest.mark.usefixtures("time_log")
def test_time_on_help_per_team_and_without_neighbourhoods(con: Any) -> None:
    answer(con, TEAM_A, [A], "2026-01-05", 30, 10, n=10)
    answer(con, TEAM_NONE, [], "2026-01-05", 10, 30, n=10)
    answer(con, TEAM_BC, [B], "2026-01-05", 10, 30, n=2)
    teams = by_group(kpis.time_on_help(con, scope(), threshold=10, by="team"))
    assert teams[str(TEAM_BC)].suppressed and teams[str(TEAM_BC)].value is None
    # The total minus the two other teams would give team Zuid: one of them is hidden too.
    assert sum(1 for t in teams.values() if t.suppressed) >= 2
    shown = [t for t in teams.values() if not t.suppressed]
    assert shown and all(t.value in (0.75, 0.25, pytest.approx(420 / 880)) for t in shown)
    hoods = by_group(kpis.time_on_help(con, scope(), threshold=10, by="neighbourhood"))
    assert hoods[B].suppressed
    # The same table for teams and areas: what one hides, the other does not show.
    assert not (hoods[A].suppressed ^ teams[str(TEAM_A)].suppressed)
    assert not (hoods[""].suppressed ^ teams[""].suppressed)


@pytest.mark.usefixtures("time_log")
def test_time_on_help_counts_only_the_weeks_of_the_period(con: Any) -> None:
    answer(con, TEAM_A, [A], "2025-12-29", 0, 40, n=10)  # the week before the period
    answer(con, TEAM_A, [A], "2026-01-05", 40, 0, n=10)
    got = by_group(kpis.time_on_help(con, scope("BU00010101"), threshold=10))
    assert got[""].weeks == 1 and got[""].value == 1.0


def test_by_team_only_for_a_municipality(con: Any) -> None:
    with pytest.raises(Refusal) as refused:
        kpis.time_on_help(con, scope("WK000101"), threshold=10, by="team")
    assert refused.value.errors[0].field == "by"


# A municipality's answers over six weeks: per team and week, each answer with its own
# hours (a team of one, a small team, teams that share neighbourhoods, one without).
ANSWERS = [
    (TEAM_A, [A], "2026-01-05", [(30, 10)] * 6 + [(25, 15), (40, 0), (12, 28), (33, 7)]),
    (TEAM_BC, [B, C], "2026-01-05", [(20, 20), (10, 30), (0, 40), (22, 18)] * 3),
    (TEAM_NONE, [], "2026-01-05", [(5, 35)]),
    (TEAM_A, [A], "2026-01-12", [(h, 40 - h) for h in range(11)]),
    (TEAM_BC, [B, C], "2026-01-12", [(17, 3), (9, 31), (40, 0)]),
    (TEAM_A, [A], "2026-01-19", [(h, 2 * h % 41) for h in range(3, 40, 3)]),
    (TEAM_BC, [B, C], "2026-01-19", [(28, 12)] * 11),
    (TEAM_NONE, [], "2026-01-19", [(30, 10)] * 10),
    (TEAM_A, [A], "2026-01-26", [(36, 4)]),
    (TEAM_BC, [C], "2026-01-26", [(8, 32)] * 14),
    (TEAM_A, [A], "2026-02-02", [(h % 40, 40 - h % 40) for h in range(7, 150, 13)]),
    (TEAM_BC, [B, C], "2026-02-02", [(1, 2), (3, 4), (5, 6), (7, 8), (9, 10)] * 2),
]


def write(con: Any, forms: itertools.cycle[str]) -> None:
    """ANSWERS into the store, each team's week in the next of `forms`: PER_TEAM one event
    with the respondents and the summed hours (as `close_time_weeks` makes it), PER_ANSWER
    one event per answer without `respondents` (as the log held them before)."""
    for team, hoods, week, hours in ANSWERS:
        if next(forms) == PER_TEAM:
            handmade.add(con, "time.answered", "", closed(week), organisation_id=team,
                         neighbourhood="", week=week, respondents=len(hours),
                         help_hours=sum(h for h, _a in hours),
                         accountability_hours=sum(a for _h, a in hours),
                         municipality="GM0001", neighbourhoods=hoods)
        else:
            for helped, accounted in hours:
                answer(con, team, hoods, week, helped, accounted, form=PER_ANSWER)


@pytest.mark.parametrize("forms", [[PER_TEAM], [PER_TEAM, PER_ANSWER], [PER_ANSWER, PER_TEAM]])
def test_the_same_answers_give_the_same_figures_per_answer_or_per_team(forms: list[str]
                                                                        ) -> None:
    """The weeks' closing once emitted an event per answer and now one per team and week
    (respondents, summed hours); a log holds the old ones still. The same answers give the
    same time on help from a log of old events only, of new events only, or of both (the
    team-weeks alternating between the two): every scope, grouping and threshold."""
    stores = {}
    for name, cycle in (("old", [PER_ANSWER]), ("new", forms)):
        con = handmade.store()
        for code, (hood, district, district_name) in AREAS.items():
            handmade.area(con, code, district, "GM0001", (hood, district_name, "Stad"))
        con.execute("INSERT INTO organisations VALUES (5, 'Wijkteam Noord', "
                    "'neighbourhood_team', 'GM0001'), (7, 'Wijkteam Zuid', "
                    "'neighbourhood_team', 'GM0001'), (9, 'School', 'school', 'GM0001')")
        write(con, itertools.cycle(cycle))
        stores[name] = con
    count = "SELECT count(*) FROM events WHERE activity = 'time.answered'"
    assert stores["old"].execute(count).fetchone()[0] == sum(len(a[3]) for a in ANSWERS)
    if forms == [PER_TEAM]:
        assert stores["new"].execute(count).fetchone()[0] == len(ANSWERS)
    shown = 0
    for area, by in (("GM0001", "area"), ("GM0001", "neighbourhood"), ("GM0001", "team"),
                     ("WK000101", "area"), ("WK000102", "neighbourhood"), (A, "area")):
        for threshold in (1, 5, 10, 12):
            old = kpis.time_on_help(stores["old"], scope(area), threshold=threshold, by=by)
            new = kpis.time_on_help(stores["new"], scope(area), threshold=threshold, by=by)
            assert new == old, (area, by, threshold)
            shown += sum(1 for g in old if not g.suppressed)
    # Something to compare: groups shown, with their respondents and hours.
    assert shown >= 20
    for con in stores.values():
        con.close()


def survey_answer(con: Any, team: int, hoods: list[str], year: int, scales: tuple[float, ...],
                  overall: int, n: int, closed: str) -> None:
    for _ in range(n):
        handmade.add(con, "survey.answer", "", closed, organisation_id=team, neighbourhood="",
                     year=year, version="jk-werkplezier-1", municipality="GM0001",
                     neighbourhoods=hoods, variety=scales[0], autonomy=scales[1],
                     support=scales[2], overall=overall, scores={})


def test_job_satisfaction_per_year_with_small_groups_hidden(con: Any) -> None:
    survey_answer(con, TEAM_A, [A], 2025, (3.0, 4.0, 5.0), 7, 10, "2025-12-01")
    survey_answer(con, TEAM_A, [A], 2026, (4.0, 4.0, 4.0), 8, 11, "2026-11-30")
    survey_answer(con, TEAM_BC, [B], 2026, (2.0, 2.0, 2.0), 5, 4, "2026-11-30")
    got = kpis.job_satisfaction(con, scope(), threshold=10, by="neighbourhood")
    years = {(f.year, f.group): f for f in got}
    assert years[(2025, A)].overall == 7 and years[(2025, A)].variety == 3.0
    assert years[(2026, B)].suppressed and years[(2026, B)].overall is None
    # The municipality's 15 minus A's 11 would give B: one of the two is hidden with it.
    assert years[(2026, "")].suppressed != years[(2026, A)].suppressed
    if years[(2026, A)].suppressed:
        assert years[(2026, "")].respondents == 15
        assert years[(2026, "")].overall == pytest.approx((11 * 8 + 4 * 5) / 15)
    else:
        assert years[(2026, A)].respondents == 11 and years[(2026, A)].support == 4.0
    # A survey closed after the period's end is not there yet.
    early = Scope("GM0001", date(2025, 1, 1), date(2026, 1, 1), date(2026, 1, 1))
    assert {f.year for f in kpis.job_satisfaction(con, early, threshold=10)} == {2025}


def test_no_answers_no_figures(con: Any) -> None:
    got = kpis.time_on_help(con, scope(), threshold=10)
    assert all(f.suppressed for f in got) and len(got) == 3  # the total and two districts
    assert kpis.job_satisfaction(con, scope(), threshold=10) == []
