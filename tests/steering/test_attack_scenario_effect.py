"""Attacks on an improvement action's expected effect from a scenario run (issue 13), as
ordinary users of each role: only the municipality's analyst and coordinator attach a run;
a run of another municipality, a validation, a run not done, an id that does not exist and
values of the wrong type are each a 422 naming `scenario` (never a 500), and a run of
elsewhere answers exactly as one that does not exist."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from jeugdketen.chainlog.models import ChainEvent
from jeugdketen.steering.models import ImprovementAction
from tests.insight.test_pages import client
from tests.steering.test_board_scenario_effect import ACTIONS, body, make_run, send

WRITERS = {"analyst", "coordinator"}


def everyone(iw: Any) -> dict[str, Any]:
    return {**iw.allowed, **iw.denied, "other-analyst": iw.analyst_b,
            "other-front-door": iw.front_door_b}


@pytest.fixture(autouse=True)
def _pages(settings):
    from tests.pages import for_pages

    for_pages(settings)


ROLES = ["analyst", "coordinator", "front-door", "professional", "provider-coordinator",
         "provider-analyst", "team-coordinator", "privacy-officer", "functional-admin",
         "platform-admin", "no-role", "other-analyst", "other-front-door"]


@pytest.mark.parametrize("who", ROLES)
def test_only_the_boards_writers_attach_a_run(iw, board_store, api_client_for, who):
    run = make_run(iw.analyst)
    made = api_client_for(iw.analyst).post(ACTIONS, body(
        iw, expected_direction="down", expected_amount=1)).json()["id"]
    user = everyone(iw)[who]
    api = api_client_for(user)
    created = api.post(ACTIONS, body(iw, what="Van een ander", scenario=run.pk))
    patched = send(api, "patch", f"{ACTIONS}/{made}", {"scenario": run.pk})
    page = client(user).post("/sturing/bord/acties/nieuw/", {
        "what": "Via de pagina", "owner": f"o{iw.provider.pk}",
        "start": timezone.localdate().isoformat(), "due": timezone.localdate().isoformat(),
        "kpi": "time_to_help", "scenario": str(run.pk), "expected_direction": "down"})
    if who in WRITERS:
        assert created.status_code == 201, created.content
        assert patched.status_code == 200 and patched.json()["scenario"] == run.pk
        assert page.status_code == 302
        assert ImprovementAction.objects.filter(scenario=run).count() == 3
    else:
        assert created.status_code in (403, 404), (who, created.status_code)
        assert patched.status_code in (403, 404), (who, patched.status_code)
        # 403 (no board), or the form refusing the run: not one of their own (422).
        assert page.status_code in (403, 422), (who, page.status_code)
        assert ImprovementAction.objects.filter(scenario__isnull=False).count() == 0
        assert ImprovementAction.objects.count() == 1
        for got in (created, patched):
            assert b"scenario_effect" not in got.content and b"-3.2" not in got.content
        # The board does not open the form with the run for them.
        shown = client(user).get(f"/sturing/bord/?scenario={run.pk}")
        assert f'value="{run.pk}"'.encode() not in shown.content


@pytest.mark.parametrize("who", ROLES)
def test_the_simulation_pages_button_only_for_writers(iw, board_store, who):
    run = make_run(iw.analyst)
    got = client(everyone(iw)[who]).get(f"/sturing/simulatie/?berekening={run.pk}")
    has = b"Gebruik als verwacht effect bij een verbeteractie" in got.content
    assert has == (who in WRITERS), (who, got.status_code)


def _odd_runs(iw: Any) -> dict[str, Any]:
    """Every run id that is not a finished scenario run of Telstad, by name."""
    return {
        "elsewhere": make_run(iw.analyst_b).pk,
        "validation": make_run(iw.analyst, kind="validation").pk,
        "running": make_run(iw.analyst, status="running").pk,
        "failed": make_run(iw.analyst, status="failed").pk,
    }


ODD_VALUES: list[Any] = [
    pytest.param(True, id="true"), pytest.param(False, id="false"),
    pytest.param("1.5", id="text-fraction"), pytest.param(1.5, id="fraction"),
    pytest.param(1.0, id="float-one"), pytest.param("\x00", id="nul"),
    pytest.param("1\x00", id="one-nul"), pytest.param(0, id="zero"),
    pytest.param(-1, id="minus-one"), pytest.param("-1", id="text-minus-one"),
    pytest.param(2**31, id="2**31"), pytest.param(2**63, id="2**63"),
    pytest.param(10**40, id="10**40"), pytest.param("9" * 5000, id="long-digits"),
    pytest.param("\u0661", id="arabic-digit"), pytest.param("x", id="text"),
    pytest.param([1], id="list"), pytest.param({"id": 1}, id="object"),
    pytest.param("1e3", id="exponent"),
]


@pytest.mark.parametrize("value", ODD_VALUES)
def test_odd_values_are_a_422_naming_scenario(iw, board_store, api_client_for, value):
    make_run(iw.analyst)  # run 1 exists and is a finished scenario of Telstad
    api = api_client_for(iw.analyst)
    made = api.post(ACTIONS, body(iw, expected_direction="down", expected_amount=1)).json()
    for got in (api.post(ACTIONS, body(iw, scenario=value)),
                send(api, "patch", f"{ACTIONS}/{made['id']}", {"scenario": value})):
        assert got.status_code == 422, (value, got.status_code, got.content[:300])
        assert [e["field"] for e in got.json()["errors"]] == ["scenario"], got.json()
    assert ImprovementAction.objects.count() == 1
    assert ImprovementAction.objects.get().scenario_id is None
    assert not ChainEvent.objects.filter(activity="steering.action_updated").exists()


def test_runs_that_are_not_a_finished_scenario_of_the_municipality(iw, board_store,
                                                                   api_client_for):
    odd = _odd_runs(iw)
    none = max(odd.values()) + 1000
    api = api_client_for(iw.coordinator)
    made = api.post(ACTIONS, body(iw, expected_direction="down", expected_amount=1)).json()
    answers = {}
    for name, run_id in [*odd.items(), ("none", none)]:
        posted = api.post(ACTIONS, body(iw, scenario=run_id))
        patched = send(api, "patch", f"{ACTIONS}/{made['id']}", {"scenario": run_id})
        for got in (posted, patched):
            assert got.status_code == 422, (name, got.status_code)
            assert [e["field"] for e in got.json()["errors"]] == ["scenario"]
        answers[name] = (posted.json()["errors"], patched.json()["errors"])
    # Another municipality's run answers exactly as one that does not exist (and as a
    # validation, a run not done): nothing is told about other municipalities' runs.
    assert len({repr(a) for a in answers.values()}) == 1, answers
    assert ImprovementAction.objects.count() == 1
    # The page's form answers alike: the same message on the field, no run named.
    page = client(iw.coordinator).post("/sturing/bord/acties/nieuw/", {
        "what": "Via de pagina", "owner": f"o{iw.provider.pk}",
        "start": timezone.localdate().isoformat(), "due": timezone.localdate().isoformat(),
        "kpi": "time_to_help", "scenario": str(odd["elsewhere"])})
    assert page.status_code == 422
    assert "Kies een doorgerekend scenario van deze gemeente." in page.content.decode()


def test_another_municipality_attaches_its_own_run_only_to_its_own(iw, board_store,
                                                                   api_client_for):
    """Andersdorp's analyst with Andersdorp's finished run: not on Telstad's action (it
    is not theirs: 403 as an unknown action), not in a new action of Telstad (404)."""
    theirs = make_run(iw.analyst_b)
    made = api_client_for(iw.analyst).post(ACTIONS, body(
        iw, expected_direction="down", expected_amount=1)).json()["id"]
    api = api_client_for(iw.analyst_b)
    patched = send(api, "patch", f"{ACTIONS}/{made}", {"scenario": theirs.pk})
    assert patched.status_code == 403
    assert api.post(ACTIONS, body(iw, scenario=theirs.pk)).status_code == 404
    assert ImprovementAction.objects.get().scenario_id is None


def test_a_stale_choice_on_the_form_is_refused_not_a_500(iw, board_store):
    """The run chosen on the page was deleted (or rerun) before the form was sent."""
    run = make_run(iw.analyst)
    run_id = run.pk
    run.delete()
    page = client(iw.analyst).post("/sturing/bord/acties/nieuw/", {
        "what": "Via de pagina", "owner": f"o{iw.provider.pk}",
        "start": timezone.localdate().isoformat(), "due": timezone.localdate().isoformat(),
        "kpi": "time_to_help", "scenario": str(run_id)})
    assert page.status_code == 422
    assert not ImprovementAction.objects.exists()
