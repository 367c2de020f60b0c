"""The chain board in the JSON API: GET /steering/board, GET and POST /steering/actions,
PATCH /steering/actions/{id}. Who may call them, what they answer (aggregates only, hidden
counts null), the problem details naming each field, another municipality answered as
an unknown one, and every call in the access log."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from jeugdketen.access.models import AccessLogRecord
from jeugdketen.chainlog.models import ChainEvent
from jeugdketen.steering.models import ImprovementAction
from tests.steering import board_world

BOARD = "/steering/board"
ACTIONS = "/steering/actions"


def fields(response) -> set[str]:
    return {e["field"] for e in response.json()["errors"]}


def patch(client, path: str, data: Any):
    from tests.conftest import API

    return client.client.patch(API + path, data=json.dumps(data),
                               content_type="application/json",
                               headers=client._headers(None))


def body(iw, **over: Any) -> dict[str, Any]:
    today = timezone.localdate()
    return {"municipality": "GM9911", "what": "Wachtlijst elke week samen doornemen",
            "owner_organisation": iw.provider.pk, "start": today.isoformat(),
            "due": (today + timedelta(days=28)).isoformat(), "kpi": "past_norm",
            "expected_direction": "down", "expected_amount": 10, **over}


@pytest.mark.parametrize("who", ["analyst", "coordinator", "front-door"])
def test_the_board_answers_the_allowed_roles_and_is_logged(iw, board_store, api_client_for,
                                                           who):
    response = api_client_for(iw.allowed[who]).get(f"{BOARD}?municipality=GM9911&week=2026-W39")
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["municipality"], data["week"], data["threshold"]) == ("GM9911", "2026-W39", 10)
    new = next(s for s in data["series"] if s["key"] == "new_reports")
    # 12, 3 and 15 reports: rounded to the threshold, the 3 hidden.
    assert [p["value"] for p in new["points"]][-3:] == [10, None, 20]
    assert set(new["xmr"]) >= {"centre", "upper", "lower", "signals", "points"}
    assert data["time_on_help"] is None and data["job_satisfaction"] is None
    reads = AccessLogRecord.objects.filter(data="steering_board", outcome="allowed")
    assert [(r.object_id, r.channel) for r in reads] == [("GM9911", "api-token")]


@pytest.mark.parametrize("who", ["professional", "provider-coordinator", "privacy-officer",
                                 "platform-admin", "no-role"])
def test_the_board_is_denied_to_other_roles(iw, board_store, api_client_for, who):
    response = api_client_for(iw.denied[who]).get(BOARD)
    assert response.status_code == 403
    assert AccessLogRecord.objects.filter(data="steering_board", outcome="denied").count() == 1


def test_another_municipality_answers_as_an_unknown_one(iw, board_store, api_client_for):
    c = api_client_for(iw.analyst)
    other = c.get(f"{BOARD}?municipality=GM9912")
    unknown = c.get(f"{BOARD}?municipality=GM0001")
    assert other.status_code == unknown.status_code == 404
    assert other.json()["errors"] == unknown.json()["errors"]
    assert fields(other) == {"municipality"}
    assert "Andersdorp" not in other.content.decode()
    assert AccessLogRecord.objects.filter(data="steering_board", object_id="GM9912").exists()


@pytest.mark.parametrize(("query", "field"), [
    ("municipality=Telstad", "municipality"), ("municipality=GM%00", "municipality"),
    ("week=2026-48", "week"), ("week=2999-W01", "week"), ("week=1999-W01", "week")])
def test_bad_input_names_the_field(iw, board_store, api_client_for, query, field):
    response = api_client_for(iw.analyst).get(f"{BOARD}?{query}")
    assert response.status_code == 422
    assert fields(response) == {field}


def test_an_action_is_created_listed_and_logged(iw, board_store, api_client_for):
    c = api_client_for(iw.coordinator)
    response = c.post(ACTIONS, body(iw))
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["owner_kind"], data["owner_name"], data["status"]) == (
        "organisation", "Jeugdhulp Telstad", "planned")
    assert data["measured"]["status"] == "too_early"
    listed = c.get(ACTIONS).json()
    assert [a["id"] for a in listed] == [data["id"]]
    event = ChainEvent.objects.get(activity="steering.action_created")
    assert set(event.attributes) == {"municipality", "action_id", "kpi", "step", "status",
                                     "start", "due", "owner_kind"}
    assert AccessLogRecord.objects.filter(data="steering_action", action="create",
                                          outcome="allowed").count() == 1


def test_a_bad_action_names_every_field(iw, board_store, api_client_for):
    response = api_client_for(iw.analyst).post(ACTIONS, {
        "what": "", "start": "gisteren", "due": "2026-13-01", "kpi": "geluk",
        "expected_direction": "sideways", "expected_amount": -3, "step": "nergens"})
    assert response.status_code == 422
    assert fields(response) == {"what", "start", "due", "kpi", "expected_direction",
                                "expected_amount", "step", "owner"}
    assert not ImprovementAction.objects.exists()


def test_an_owner_of_another_municipality_is_refused(iw, board_store, api_client_for):
    c = api_client_for(iw.analyst)
    response = c.post(ACTIONS, body(iw, owner_organisation=iw.town_b.pk))
    assert response.status_code == 422 and fields(response) == {"owner_organisation"}
    response = c.post(ACTIONS, body(iw, owner_organisation=None,
                                    owner_professional=iw.analyst_b.pk))
    assert response.status_code == 422 and fields(response) == {"owner_professional"}
    response = c.post(ACTIONS, body(iw, owner_professional=iw.coordinator.pk))
    assert response.status_code == 422 and fields(response) == {"owner"}  # two owners
    assert not ImprovementAction.objects.exists()


def test_the_front_door_and_another_municipality_cannot_create(iw, board_store,
                                                               api_client_for):
    assert api_client_for(iw.front_door).post(ACTIONS, body(iw)).status_code == 403
    response = api_client_for(iw.analyst_b).post(ACTIONS, body(iw))
    assert response.status_code == 404 and fields(response) == {"municipality"}
    assert not ImprovementAction.objects.exists()


def test_the_status_is_patched_and_final(iw, board_store, api_client_for):
    c = api_client_for(iw.analyst)
    action_id = c.post(ACTIONS, body(iw)).json()["id"]
    response = patch(c, f"{ACTIONS}/{action_id}", {"status": "doing"})
    assert response.status_code == 200 and response.json()["status"] == "doing"
    assert patch(c, f"{ACTIONS}/{action_id}", {"status": "klaar"}).status_code == 422
    assert patch(c, f"{ACTIONS}/{action_id}", {"status": "dropped"}).status_code == 200
    response = patch(c, f"{ACTIONS}/{action_id}", {"status": "doing"})
    assert response.status_code == 422 and response.json()["errors"][0]["rule"] == "status_final"
    response = patch(c, f"{ACTIONS}/{action_id}", {"measure": True})
    assert response.status_code == 422 and response.json()["errors"][0]["rule"] == "too_early"
    event = ChainEvent.objects.filter(activity="steering.action_updated").last()
    assert event.attributes == {"municipality": "GM9911", "action_id": action_id,
                                "status": "dropped", "fields": ["status"]}


def test_another_municipalitys_action_is_as_unknown(iw, board_store, api_client_for):
    action_id = api_client_for(iw.analyst).post(ACTIONS, body(iw)).json()["id"]
    other = patch(api_client_for(iw.analyst_b), f"{ACTIONS}/{action_id}", {"status": "done"})
    unknown = patch(api_client_for(iw.analyst_b), f"{ACTIONS}/999999", {"status": "done"})
    assert other.status_code == unknown.status_code == 403
    assert ImprovementAction.objects.get().status == "planned"
    assert api_client_for(iw.analyst_b).get(ACTIONS).json() == []  # its own: none


def test_the_measured_effect_after_the_due_date(iw, insight_dir, api_client_for):
    """New reports per week, rounded to the threshold: 15 (20) and 0 in the two weeks
    shown before the start (the week of 3 is hidden), 10, 12 (10) and 20 in the three
    weeks from the start to the due date: 10 (n 2) before, 13.3 (n 3) after; expected
    down, so not as expected."""
    from tests.insight.test_pages import publish

    def fill(con):
        board_world.fill(con)
        for monday, count, prefix in ((date(2026, 10, 5), 10, "d"), (date(2026, 10, 12), 12, "e"),
                                      (date(2026, 10, 19), 20, "g")):
            board_world.reports(con, monday, count, prefix)
        from jeugdketen.insight import derive
        derive.derive_all(con)

    publish(insight_dir, fill)
    c = api_client_for(iw.analyst)
    created = c.post(ACTIONS, body(iw, kpi="new_reports", start="2026-10-05",
                                   due="2026-10-25")).json()
    measured = created["measured"]
    assert measured["status"] == "measured" and not measured["frozen"]
    assert measured["before"] == {"from": "2026-W38", "to": "2026-W40", "mean": 10, "n": 2}
    assert measured["after"] == {"from": "2026-W41", "to": "2026-W43",
                                 "mean": pytest.approx(40 / 3), "n": 3}
    assert measured["change"] == pytest.approx(10 / 3) and measured["as_expected"] is False
    frozen = patch(c, f"{ACTIONS}/{created['id']}", {"measure": True}).json()["measured"]
    assert frozen["frozen"] and frozen["after"]["mean"] == pytest.approx(40 / 3)
    response = patch(c, f"{ACTIONS}/{created['id']}", {"measure": True})
    assert response.json()["errors"][0]["rule"] == "measured_already"
