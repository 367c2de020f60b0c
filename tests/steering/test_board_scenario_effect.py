"""An improvement action's expected effect taken from a finished scenario run (issue 13:
"the board can attach a scenario result to an improvement action as its expected
effect"): through the action (policy, access log, chain event), the API (POST, PATCH set
and clear, GET), the board's form and the simulation page's button, and the frozen copy
that stays when the run is deleted."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from jeugdketen.access.models import AccessLogRecord
from jeugdketen.chainlog.models import ChainEvent
from jeugdketen.core.errors import Refusal
from jeugdketen.steering import board_actions
from jeugdketen.steering.models import ImprovementAction, SimulationRun
from tests import factories as f
from tests.insight.test_pages import client

ACTIONS = "/steering/actions"
BOARD_PAGE = "/sturing/bord/"
SIM_PAGE = "/sturing/simulatie/"


def interval(mean: float, half: float) -> dict[str, float]:
    return {"mean": mean, "low": mean - half, "high": mean + half}


def result(change: float = -3.2) -> dict[str, Any]:
    """A scenario run's result as runner.simulate leaves it (the parts used here)."""
    waits = {s: {"p50": interval(5, 1), "p90": interval(9, 1)}
             for s in ("triage", "intake", "further_intakes", "help", "time_to_help")}
    return {
        "scenario": {"way": "joint"},
        "baseline": {"replications": 3, "time_to_help": {"p50": interval(20.0, 1.5),
                                                          "p90": interval(40.0, 3)},
                     "waits": waits, "waiting_list": [interval(30, 2)] * 4},
        "result": {"replications": 3, "time_to_help": {"p50": interval(20.0 + change, 1.4),
                                                       "p90": interval(38.0, 3)},
                   "waits": waits, "waiting_list": [interval(25, 2)] * 4,
                   "difference": {"time_to_help": {"p50": interval(change, 0.9),
                                                   "p90": interval(-2.0, 1.0)}}},
        "threshold": 10,  # the threshold it was made at (simulation_actions.execute)
    }


def make_run(by: Any, *, kind: str = "scenario", status: str = "done", change: float = -3.2,
             scenario: dict[str, Any] | None = None) -> SimulationRun:
    """A run as simulation_actions leaves it (made directly: the engine is tested apart)."""
    today = timezone.localdate()
    return SimulationRun.objects.create(
        municipality_id=by.organisation.municipality_id, kind=kind,
        scenario=scenario or {"way": "joint", "slots": {}, "arrivals_pct": 0.0, "weeks": 4,
                              "replications": 3, "seed": 1},
        seed=1, replications=3, period_start=today - timedelta(days=365),
        period_end=today - timedelta(days=1), requested_by=by,
        finished_at=timezone.now() if status == "done" else None, status=status,
        result=result(change) if status == "done" else {})


def body(iw: Any, **over: Any) -> dict[str, Any]:
    today = timezone.localdate()
    return {"municipality": "GM9911", "what": "Eén gezamenlijke intake voor elk gezin",
            "owner_organisation": iw.provider.pk, "start": today.isoformat(),
            "due": (today + timedelta(days=28)).isoformat(), "kpi": "time_to_help",
            **over}


def send(api: Any, method: str, path: str, data: Any) -> Any:
    from tests.conftest import API

    return getattr(api.client, method)(API + path, data=json.dumps(data),
                                       content_type="application/json",
                                       headers=api._headers(None))


@pytest.fixture(autouse=True)
def _pages(settings):
    from tests.pages import for_pages

    for_pages(settings)


def test_the_action_takes_its_expectation_from_the_run(iw, board_store):
    run = make_run(iw.analyst)
    action = board_actions.create_action(
        f.professional_actor(iw.coordinator), "GM9911", scenario=str(run.pk),
        expected_direction="up", expected_amount=99, expected_text="Uit de simulatie",
        **{k: v for k, v in body(iw).items() if k != "municipality"})
    assert action.scenario_id == run.pk
    assert (action.expected_direction, action.expected_amount) == ("down", 3.2)
    effect = action.scenario_effect
    assert effect["measure"] == "time_to_help.p50" and effect["unit"] == "days"
    assert effect["change"] == pytest.approx({"mean": -3.2, "low": -4.1, "high": -2.3})
    assert effect["present"] == 20.0 and effect["scenario"] == pytest.approx(16.8)
    assert effect["scenario_asked"]["way"] == "joint" and effect["run"] == run.pk
    event = ChainEvent.objects.get(activity="steering.action_created")
    assert event.attributes["scenario_run"] == run.pk
    # The run's numbers were read: logged as a read of the simulation, the run as object.
    assert AccessLogRecord.objects.filter(data="simulation", action="read",
                                          object_id=str(run.pk), outcome="allowed").exists()


def test_an_increase_is_up_and_typed_values_still_work(iw, board_store):
    run = make_run(iw.analyst, change=2.04)
    actor = f.professional_actor(iw.analyst)
    up = board_actions.create_action(actor, "GM9911", scenario=run.pk, **{
        k: v for k, v in body(iw).items() if k != "municipality"})
    assert (up.expected_direction, up.expected_amount) == ("up", 2.0)
    typed = board_actions.create_action(actor, "GM9911", expected_direction="down",
                                        expected_amount=4, **{
                                            k: v for k, v in body(iw).items()
                                            if k != "municipality"})
    assert typed.scenario_id is None and typed.scenario_effect is None
    assert typed.expected_amount == 4
    # Without a scenario the direction is still required.
    with pytest.raises(Refusal) as refused:
        board_actions.create_action(actor, "GM9911", **{
            k: v for k, v in body(iw).items() if k != "municipality"})
    assert {e.field for e in refused.value.errors} >= {"expected_direction"}


def test_a_kpi_the_simulation_does_not_predict_is_refused(iw, board_store, api_client_for):
    run = make_run(iw.analyst)
    got = api_client_for(iw.analyst).post(ACTIONS, body(iw, kpi="past_norm",
                                                        scenario=run.pk))
    assert got.status_code == 422
    errors = got.json()["errors"]
    assert [(e["field"], e["rule"]) for e in errors] == [("scenario", "scenario_kpi")]
    assert "tijd tot hulp" in errors[0]["message"]
    assert not ImprovementAction.objects.exists()


def test_the_api_posts_patches_clears_and_lists_it(iw, board_store, api_client_for):
    run = make_run(iw.analyst)
    other = make_run(iw.analyst, change=-1.0)
    api = api_client_for(iw.coordinator)
    made = api.post(ACTIONS, body(iw, scenario=run.pk))
    assert made.status_code == 201, made.content
    data = made.json()
    assert data["scenario"] == run.pk and data["expected_direction"] == "down"
    assert data["scenario_effect"]["change"]["mean"] == pytest.approx(-3.2)
    # PATCH without `scenario` leaves it; with another run takes that one's numbers.
    same = send(api, "patch", f"{ACTIONS}/{data['id']}", {"status": "doing"})
    assert same.status_code == 200 and same.json()["scenario"] == run.pk
    moved = send(api, "patch", f"{ACTIONS}/{data['id']}", {"scenario": other.pk})
    assert moved.status_code == 200, moved.content
    assert moved.json()["scenario"] == other.pk and moved.json()["expected_amount"] == 1.0
    # Null clears it: the direction and number stay, as typed values.
    cleared = send(api, "patch", f"{ACTIONS}/{data['id']}", {"scenario": None})
    assert cleared.status_code == 200
    assert cleared.json()["scenario"] is None and cleared.json()["scenario_effect"] is None
    assert cleared.json()["expected_amount"] == 1.0
    listed = api.get(ACTIONS).json()
    assert [a["scenario"] for a in listed] == [None]
    events = ChainEvent.objects.filter(activity="steering.action_updated").order_by("pk")
    assert [e.attributes["fields"] for e in events] == [["status"], ["scenario"],
                                                        ["scenario"]]
    assert [e.attributes.get("scenario_run") for e in events] == [None, other.pk, None]


def test_a_final_or_measured_action_keeps_its_expectation(iw, board_store, api_client_for):
    run = make_run(iw.analyst)
    api = api_client_for(iw.analyst)
    made = api.post(ACTIONS, body(iw, expected_direction="down", expected_amount=2)).json()
    send(api, "patch", f"{ACTIONS}/{made['id']}", {"status": "dropped"})
    got = send(api, "patch", f"{ACTIONS}/{made['id']}", {"scenario": run.pk})
    assert got.status_code == 422
    assert [(e["field"], e["rule"]) for e in got.json()["errors"]] == [
        ("scenario", "action_final")]


def test_the_frozen_copy_stays_when_the_run_is_deleted(iw, board_store):
    run = make_run(iw.analyst)
    action = board_actions.create_action(f.professional_actor(iw.analyst), "GM9911",
                                         scenario=run.pk, **{
                                             k: v for k, v in body(iw).items()
                                             if k != "municipality"})
    run.delete()
    action.refresh_from_db()
    assert action.scenario_id is None
    assert action.scenario_effect["change"]["mean"] == pytest.approx(-3.2)
    body_ = client(iw.analyst).get(BOARD_PAGE).content.decode()
    assert "Verwacht effect volgens scenario gezamenlijke intake" in body_
    assert "?berekening=" not in body_  # no link to a run that is gone


def test_the_board_shows_the_expectation_with_its_interval_and_link(iw, board_store):
    run = make_run(iw.analyst)
    board_actions.create_action(f.professional_actor(iw.analyst), "GM9911", scenario=run.pk,
                                **{k: v for k, v in body(iw).items() if k != "municipality"})
    page = client(iw.analyst).get(BOARD_PAGE).content.decode()
    assert ("Verwacht effect volgens scenario gezamenlijke intake; 4 weken, 3 herhalingen: "
            "de mediane tijd tot hulp -3,2 dagen (95%-interval -4,1 tot -2,3)"
            ) in page
    assert f'href="/sturing/simulatie/?berekening={run.pk}"' in page
    # The front door reads the board, not the simulation: the expectation without the link.
    door = client(iw.front_door).get(BOARD_PAGE).content.decode()
    assert "Verwacht effect volgens scenario" in door and "?berekening=" not in door


def test_the_form_offers_the_finished_scenario_runs_only(iw, board_store):
    done = make_run(iw.analyst)
    make_run(iw.analyst, status="running")
    make_run(iw.analyst, kind="validation")
    make_run(iw.analyst_b)
    page = client(iw.coordinator).get(BOARD_PAGE).content.decode()
    options = page[page.index('id="id_scenario"'):]
    options = options[:options.index("</select>")]
    assert options.count("<option") == 2  # none, and the one finished scenario run
    assert f'value="{done.pk}"' in options and "doorgerekend op" in options
    assert "gezamenlijke intake" in options


def test_the_simulation_pages_button_opens_the_form_with_the_run(iw, board_store):
    run = make_run(iw.analyst)
    sim = client(iw.analyst).get(f"{SIM_PAGE}?berekening={run.pk}").content.decode()
    assert "Gebruik als verwacht effect bij een verbeteractie" in sim
    assert f'href="/sturing/bord/?scenario={run.pk}#nieuwe-actie"' in sim
    c = client(iw.coordinator)
    page = c.get(f"{BOARD_PAGE}?scenario={run.pk}").content.decode()
    assert 'id="nieuwe-actie" open' in page
    assert f'<option value="{run.pk}" selected>' in page
    assert '<option value="time_to_help" selected>' in page
    # The form as the browser sends it: the direction select has a value, no number.
    response = c.post("/sturing/bord/acties/nieuw/", {
        "what": "Eén gezamenlijke intake", "step": "", "owner": f"o{iw.provider.pk}",
        "start": timezone.localdate().isoformat(),
        "due": (timezone.localdate() + timedelta(days=35)).isoformat(),
        "kpi": "time_to_help", "scenario": str(run.pk), "expected_direction": "up",
        "expected_amount": "", "expected_text": ""})
    assert response.status_code == 302, response.content.decode()[-3000:]
    action = ImprovementAction.objects.get()
    assert (action.scenario_id, action.expected_direction) == (run.pk, "down")
    # Another municipality's run, asked for on the board, preselects nothing.
    elsewhere = make_run(iw.analyst_b)
    page = c.get(f"{BOARD_PAGE}?scenario={elsewhere.pk}").content.decode()
    assert f'value="{elsewhere.pk}"' not in page and 'id="nieuwe-actie" open' not in page


def test_the_form_refuses_a_kpi_without_a_prediction_on_the_field(iw, board_store):
    run = make_run(iw.analyst)
    response = client(iw.analyst).post("/sturing/bord/acties/nieuw/", {
        "what": "Eén gezamenlijke intake", "step": "", "owner": f"o{iw.provider.pk}",
        "start": timezone.localdate().isoformat(),
        "due": (timezone.localdate() + timedelta(days=35)).isoformat(),
        "kpi": "past_norm", "scenario": str(run.pk), "expected_direction": "down",
        "expected_amount": "", "expected_text": ""})
    assert response.status_code == 422
    assert "Een scenario voorspelt alleen de tijd tot hulp" in response.content.decode()
    assert not ImprovementAction.objects.exists()


def test_the_button_is_for_the_boards_writers(iw, board_store):
    """The coordinator reads runs and writes the board: the button; nobody else reading
    the simulation page writes the board (the analyst and coordinator are both)."""
    run = make_run(iw.analyst)
    for who in (iw.analyst, iw.coordinator):
        sim = client(who).get(f"{SIM_PAGE}?berekening={run.pk}").content.decode()
        assert "Gebruik als verwacht effect" in sim


def test_a_real_run_is_attached(iw, sim_store_and_board):
    """A scenario computed by the simulation itself (not a hand-made result)."""
    from jeugdketen.steering import simulation_actions

    analyst = f.professional_actor(iw.analyst)
    run = simulation_actions.run_simulation(analyst, scenario={
        "way": "joint", "weeks": 8, "replications": 3}, background=False)
    assert run.status == "done"
    action = board_actions.create_action(analyst, "GM9911", scenario=run.pk, **{
        k: v for k, v in body(iw).items() if k != "municipality"})
    diff = run.result["result"]["difference"]["time_to_help"]["p50"]
    assert action.scenario_effect["change"]["mean"] == pytest.approx(diff["mean"])
    assert action.expected_amount == round(abs(diff["mean"]), 1)


@pytest.fixture
def sim_store_and_board(insight_dir, _telstad_file):
    import shutil

    from jeugdketen.insight import store

    insight_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(_telstad_file, insight_dir / store.PUBLISHED)
    return insight_dir


@pytest.fixture(scope="session")
def _telstad_file(tmp_path_factory):
    """Telstad's front door as tests/steering/simulation makes it (its fixture is of that
    folder's conftest)."""
    from jeugdketen.insight import store
    from tests.insight.test_pages import publish
    from tests.steering.simulation.conftest import telstad

    directory = tmp_path_factory.mktemp("telstad-board")
    publish(directory, telstad)
    return directory / store.PUBLISHED


def test_the_demo_attaches_the_joint_intake_scenario_once(iw, sim_store_and_board):
    """demo/steering_sim.load: after its runs, one improvement action takes its expected
    effect from the joint intake scenario, through the board's action; a rerun adds
    nothing."""
    from jeugdketen.demo import steering_sim

    runs = steering_sim.load(replications=3, weeks=8)
    joint = next(r for r in runs if r.scenario.get("way") == "joint")
    action = ImprovementAction.objects.get(scenario_effect__isnull=False)
    assert (action.scenario_id, action.kpi, action.what) == (
        joint.pk, "time_to_help", steering_sim.JOINT_ACTION)
    assert ChainEvent.objects.get(activity="steering.action_created").attributes[
        "scenario_run"] == joint.pk
    assert steering_sim.load(replications=3, weeks=8) == []
    assert ImprovementAction.objects.count() == 1


def test_the_demo_attaches_to_the_open_action_on_the_time_to_help(iw, sim_store_and_board):
    from jeugdketen.demo import steering_sim

    open_action = board_actions.create_action(
        f.professional_actor(iw.coordinator), "GM9911", expected_direction="down",
        expected_amount=5, **{k: v for k, v in body(iw).items() if k != "municipality"})
    steering_sim.load(replications=3, weeks=8)
    open_action.refresh_from_db()
    assert open_action.scenario_effect is not None
    assert ImprovementAction.objects.count() == 1
    assert ChainEvent.objects.get(activity="steering.action_updated").attributes[
        "fields"] == ["scenario"]
