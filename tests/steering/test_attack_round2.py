"""Attacks round 2 on issue 13 (steering): the scenario as an action's expected effect,
the board's published month figures, as ordinary users. Regression tests of what held and
of the one finding, now fixed: two consecutive twelve-month figures (insight's, shown by
the board for each month-end) differed by exactly a small month's plans (board_world's
August: 4 plans closed, 1 helped). Insight now rounds n and count of a twelve-month figure
to a multiple of T (insight.suppression.rounded), so two of them differ by 0 or by at
least T."""

from __future__ import annotations

import itertools
import re
from datetime import date, timedelta
from typing import Any

import pytest

from jeugdketen.steering.models import ImprovementAction
from tests.insight.test_pages import client
from tests.steering.test_attack_roles import ANSWERS, chain  # noqa: F401 - the fixture
from tests.steering.test_board_scenario_effect import ACTIONS, body, make_run

T = 10  # the board world's threshold (InsightWorld's municipality)
BOARD_WEEK = "2026-W39"


@pytest.fixture(autouse=True)
def _pages(settings):
    from tests.pages import for_pages

    for_pages(settings)


def _month_points(api: Any, key: str) -> list[dict[str, Any]]:
    got = api.get(f"/steering/board?week={BOARD_WEEK}")
    assert got.status_code == 200, got.content[:300]
    assert got.json()["threshold"] == T
    return next(s for s in got.json()["series"] if s["key"] == key)["points"]


@pytest.mark.parametrize("key", ["help_that_helps", "time_to_help"])
def test_consecutive_month_figures_do_not_give_a_month_below_t(iw, board_store,
                                                               api_client_for, key):
    """The fixed finding: up to July 55 (27 helped), up to August 59 (28 helped) gave
    August's 4 plans and its one family helped as a difference. Published rounded, both
    are 60 (30 helped)."""
    points = _month_points(api_client_for(iw.front_door), key)
    ns = [p["n"] for p in points]
    compared = 0
    for before, after in itertools.pairwise(ns):
        if before is None or after is None:
            continue
        assert not 0 < abs(after - before) < T, (key, ns)
        compared += 1
    assert compared > 0, (key, ns)


@pytest.mark.parametrize("key", ["help_that_helps", "time_to_help"])
def test_the_boards_month_points_carry_counts_rounded_to_t(iw, board_store, api_client_for,
                                                           key):
    """Every month point the board shows carries n as insight publishes it: a multiple of
    T (0 included), never a count from 1 to T - 1 nor an exact one; for help that helps
    the count behind the share (value times n) too."""
    points = _month_points(api_client_for(iw.front_door), key)
    shown = [p for p in points if p["n"] is not None]
    assert any(p["n"] > 0 for p in shown), (key, points)
    for p in shown:
        assert p["n"] % T == 0, (key, p)
        if key == "help_that_helps" and p["value"] is not None:
            count = p["value"] * p["n"]
            assert count == pytest.approx(round(count)) and round(count) % T == 0, (key, p)


def test_front_door_api_does_not_carry_the_runs_numbers(iw, board_store, api_client_for):
    run = make_run(iw.analyst)
    made = api_client_for(iw.analyst).post(ACTIONS, body(iw, scenario=run.pk))
    assert made.status_code == 201
    # The simulation itself is closed to the front door.
    assert api_client_for(iw.front_door).get(f"/simulations/{run.pk}").status_code == 403
    got = api_client_for(iw.front_door).get(ACTIONS)
    assert got.status_code == 200
    row = got.json()[0]
    assert row["scenario"] is None
    assert not {"seed", "present", "scenario_asked"} & set(row["scenario_effect"] or {})


def test_the_boards_month_figures_are_insights(iw, board_store, api_client_for):
    """Every month figure the board shows is insight's figure of the same twelve months
    (value and n), so the board adds no figure insight does not publish."""
    api = api_client_for(iw.front_door)
    board = {k: _month_points(api, k) for k in ("help_that_helps", "time_to_help")}
    checked = 0
    for h, t in zip(board["help_that_helps"], board["time_to_help"], strict=True):
        year, month = (int(x) for x in h["period"].split("-"))
        if h["value"] is None and t["value"] is None:
            continue
        end = date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
        start = date(year - 1 + (month == 12), month % 12 + 1, 1)
        got = api.get(f"/insight/kpis?area=GM9911&from={start}&to={end}")
        assert got.status_code == 200, got.content[:300]
        helps = got.json()["help_that_helps"][0]
        times = got.json()["time_to_help"][0]
        assert (h["value"], h["n"]) == (helps["value"], helps["n"]), h["period"]
        assert (t["value"], t["n"]) == (times["p50"], times["n"]), t["period"]
        checked += 1
    assert checked == 3


def _csrf_free(html: bytes) -> str:
    text = html.decode()
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text)
    text = re.sub(r'"[A-Za-z0-9]{40,}"', '""', text)  # the page's CSRF tokens
    return re.sub(r'nonce="[^"]*"', "", text)


ODD_PRESELECT = ["%00", "1%00", "99999999999999999999999999999", "-1", "1.5", "true",
                 "%D9%A1", "x", "1&scenario=2", "%20", "[1]"]


@pytest.mark.parametrize("who", ["analyst", "coordinator"])
def test_preselect_of_elsewhere_answers_as_nothing(iw, board_store, who):
    """`?scenario=<id>` on the board: another municipality's finished run, a validation,
    a run not done and an id that does not exist all give the same page as no run asked
    for (nothing chosen, no run named); odd values never a 500."""
    user = iw.allowed[who]
    mine = make_run(iw.analyst)
    elsewhere = make_run(iw.analyst_b, scenario={"way": "joint", "slots": {"1": 7},
                                                 "arrivals_pct": 33.0, "weeks": 9,
                                                 "replications": 3, "seed": 1})
    validation = make_run(iw.analyst, kind="validation")
    running = make_run(iw.analyst, status="running")
    c = client(user)

    def page(run_id: int) -> str:
        got = c.get(f"/sturing/bord/?scenario={run_id}")
        assert got.status_code == 200
        return _csrf_free(got.content).replace(f"scenario={run_id}", "scenario=N")

    plain = page(elsewhere.pk + 1000)  # no such run
    for run_id in (elsewhere.pk, validation.pk, running.pk):
        assert page(run_id) == plain, run_id
    for odd in ODD_PRESELECT:
        got = c.get(f"/sturing/bord/?scenario={odd}")
        assert got.status_code == 200, odd
    chosen = c.get(f"/sturing/bord/?scenario={mine.pk}").content.decode()
    assert re.search(rf'<option value="{mine.pk}"[^>]*selected', chosen)
    # Andersdorp's run is never in Telstad's select.
    assert f'<option value="{elsewhere.pk}"' not in chosen


@pytest.mark.parametrize("who", ["front-door", "other-analyst", "other-front-door"])
def test_front_door_and_elsewhere_get_no_select_and_no_link(iw, board_store, api_client_for,
                                                            who):
    """The front door sees the action's expectation but no select and no link to the run;
    another municipality sees neither Telstad's run nor its action."""
    run = make_run(iw.analyst)
    made = api_client_for(iw.analyst).post(ACTIONS, body(iw, scenario=run.pk))
    assert made.status_code == 201
    users = {"front-door": iw.front_door, "other-analyst": iw.analyst_b,
             "other-front-door": iw.front_door_b}
    page = client(users[who]).get(f"/sturing/bord/?scenario={run.pk}")
    text = page.content.decode()
    assert f'<option value="{run.pk}"' not in text
    assert f"berekening={run.pk}" not in text
    assert ("Verwacht effect volgens scenario" in text) == (who == "front-door"), who


def test_scenario_effect_carries_no_count_of_people(iw, board_store, api_client_for):
    """The frozen copy holds days, the scenario asked, the run's settings and dates: no
    count of reports, families or plans (a count 1..T-1 could not slip in)."""
    run = make_run(iw.analyst)
    made = api_client_for(iw.analyst).post(ACTIONS, body(iw, scenario=run.pk)).json()
    effect = made["scenario_effect"]
    assert set(effect) == {"run", "kpi", "measure", "unit", "change", "present", "scenario",
                           "scenario_asked", "replications", "period_start",
                           "period_end", "finished_at"}
    assert effect["unit"] == "days"


@pytest.mark.parametrize("value", [True, "1.5", "\x00", 2**70, "\u0661\u0662", {"a": 1},
                                   "1e2", " 1 ", "+1", "0x1"])
def test_form_odd_scenario_values_are_a_422(iw, board_store, value):
    """The page's form (the select) with odd values: a 422 naming the field, never a 500."""
    from django.utils import timezone

    make_run(iw.analyst)
    today = timezone.localdate().isoformat()
    got = client(iw.analyst).post("/sturing/bord/acties/nieuw/", {
        "what": "Via de pagina", "owner": f"o{iw.provider.pk}", "start": today,
        "due": today, "kpi": "time_to_help", "scenario": value})
    assert got.status_code == 422, (value, got.status_code)
    assert not ImprovementAction.objects.exists()


# --- (c) a closed week takes no answer, by any way in ----------------------------------------



@pytest.mark.parametrize("who", sorted(ANSWERS))
def test_a_closed_week_takes_no_answer_by_api_or_form(request, who, api_client_for,
                                                      client_for):
    """The week asked about is closed (a closing ran, e.g. after a clock change): the API
    answers 409 `week_closed` for every answering role, whatever the body (odd values, a
    list, a string), the form takes nothing, and no answer row or chain event appears."""
    from django.utils import timezone

    from jeugdketen.chainlog.models import ChainEvent
    from jeugdketen.steering import time_actions
    from jeugdketen.steering.models import TimeAnswer, TimeWeekClosing

    week = time_actions.open_week(timezone.localdate())
    TimeWeekClosing.objects.create(week=week, closed_at=timezone.now(), answers=0)
    user = request.getfixturevalue("chain").people[who]
    api = api_client_for(user)
    got = api.post("/steering/time", {"help_hours": 1, "accountability_hours": 1})
    assert got.status_code == 409, (who, got.status_code)
    assert "week_closed" in got.content.decode()
    for odd in ({"help_hours": "1", "accountability_hours": "2"},
                {"help_hours": 1, "accountability_hours": 1, "week": "2020-01-06"}):
        again = api.post("/steering/time", odd)
        assert again.status_code in (409, 422), (who, odd, again.status_code)
    page = client_for(user).post("/sturing/tijd/", {"help_hours": "1",
                                                    "accountability_hours": "1"})
    assert page.status_code < 500
    assert not TimeAnswer.objects.exists()
    assert not ChainEvent.objects.filter(activity="time.answered").exists()


# --- (a) a person's number through the run's frozen copy -----------------------------------

BSN = 111222333  # passes the eleven test


def test_no_person_number_reaches_an_action_via_the_seed(iw, board_store, api_client_for):
    import json

    from jeugdketen.registry.validators import is_valid_bsn
    from jeugdketen.steering.simulation.scenarios import Scenario, ScenarioError

    assert is_valid_bsn(str(BSN))
    try:
        wanted = Scenario.from_data({"way": "joint", "seed": BSN})
        wanted.check()
    except ScenarioError:
        return  # refused where the analyst types it
    run = make_run(iw.analyst, scenario=wanted.as_data())
    run.seed = wanted.seed
    run.save(update_fields=["seed"])
    made = api_client_for(iw.analyst).post(ACTIONS, body(iw, scenario=run.pk))
    if made.status_code == 422:
        return  # refused when attached
    assert made.status_code == 201
    shown = api_client_for(iw.front_door).get(ACTIONS).content.decode()
    assert str(BSN) not in shown
    assert str(BSN) not in json.dumps(ImprovementAction.objects.get().scenario_effect)


ODD_WEEKS = ["\u0662\u0660\u0662\u0666-W\u0663\u0669", "2026-W39\x00", "2026-W99", "2026-W00",
             "9" * 400 + "-W01", "0001-W01", "2026-W3\u0669", "-2026-W39", "2026W39",
             "2026-W39-1", "\U0001d7ee\U0001d7ec\U0001d7ee\U0001d7f2-W39", "true", "1.5"]


@pytest.mark.parametrize("week", ODD_WEEKS)
def test_odd_weeks_and_municipalities_are_never_a_500(iw, board_store, api_client_for, week):
    """The board's week and municipality in the API and on the page: a 200 (a week read
    as itself) or a 422/404 naming the field, never a 500."""
    from urllib.parse import quote

    api = api_client_for(iw.front_door)
    got = api.get(f"/steering/board?week={quote(week)}")
    assert got.status_code in (200, 422), (week, got.status_code)
    if got.status_code == 422:
        assert [e["field"] for e in got.json()["errors"]] == ["week"]
    page = client(iw.front_door).get(f"/sturing/bord/?week={quote(week)}")
    assert page.status_code in (200, 422), (week, page.status_code)
    for municipality in (week, "GM\u0669\u0669\u0661\u0661", "gm9912", "GM9912\x00"):
        for path in ("/steering/board", ACTIONS):
            odd = api.get(f"{path}?municipality={quote(municipality)}")
            assert odd.status_code in (404, 422), (municipality, path, odd.status_code)
            assert b"Andersdorp" not in odd.content
