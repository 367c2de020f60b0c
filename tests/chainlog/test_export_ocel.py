"""`jeugdketen events export --format ocel`: OCEL 2.0 JSON, valid against the OCEL 2.0 JSON
schema (jsonschema-rs), with the hand-made log's objects and relationships."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
from django.core.management import call_command

from jeugdketen.chainlog import ocel
from jeugdketen.chainlog.export import export
from jeugdketen.chainlog.models import ChainEvent

from .handmade import PERSON_KEY, make_log

SCHEMA = json.loads(Path(__file__).with_name("ocel-2.0-schema.json").read_text())


@pytest.fixture
def exported(db, tmp_path: Path) -> tuple[dict[str, Any], Any, Path]:
    assert not ChainEvent.objects.exists()
    made = make_log()
    written = export(tmp_path, formats="ocel", out=io.StringIO())
    path = tmp_path / "chain_events.ocel.json"
    assert written == [(path, 7)]  # every event, with or without a trajectory
    return json.loads(path.read_text(encoding="utf-8")), made, path


def test_the_file_is_valid_ocel_2(exported):
    data, _, _ = exported
    validator = jsonschema_rs.Draft7Validator(SCHEMA, validate_formats=True)
    errors = [str(e) for e in validator.iter_errors(data)]
    assert errors == []


def test_object_types_and_objects(exported):
    data, made, _ = exported
    assert [t["name"] for t in data["objectTypes"]] == ["trajectory", "household", "organisation"]
    objects = {o["id"]: o for o in data["objects"]}
    assert set(objects) == {"trajectory:t1", "trajectory:t2", "household:h7",
                            f"organisation:{made.team.pk}", f"organisation:{made.provider.pk}"}
    assert objects["trajectory:t1"]["relationships"] == [
        {"objectId": "household:h7", "qualifier": "household"}]
    team = objects[f"organisation:{made.team.pk}"]
    assert team["type"] == "organisation"
    assert {a["name"]: a["value"] for a in team["attributes"]} == {
        "name": 'Wijkteam "Noord" & <Zuid>', "kind": "neighbourhood_team"}


def test_events_relate_to_their_trajectory_household_and_organisations(exported):
    data, made, _ = exported
    events = {e["id"]: e for e in data["events"]}
    assert len(events) == 7
    started = events[f"e{made.ids['t2.started']}"]
    assert started["type"] == "plan.started"
    assert started["time"] == "2026-01-04T09:00:00.000+00:00"
    provider = f"organisation:{made.provider.pk}"
    assert started["relationships"] == [
        {"objectId": "trajectory:t2", "qualifier": "trajectory"},
        {"objectId": "household:h7", "qualifier": "household"},
        {"objectId": provider, "qualifier": "acted"},
        {"objectId": provider, "qualifier": "coordinator"},
    ]
    received = events[f"e{made.ids['t1.received']}"]
    assert received["relationships"] == [{"objectId": "trajectory:t1", "qualifier": "trajectory"}]
    values = {a["name"]: a["value"] for a in received["attributes"]}
    assert values == {"reporter": "public", "urgency": "crisis", "unsafe": "false",
                      "life_domains": "2", "neighbourhood_code": "BU09990101"}
    # An event without a trajectory is an event too, related to what it names.
    person = events[f"e{made.ids['person']}"]
    assert person["relationships"] == [{"objectId": f"organisation:{made.team.pk}",
                                        "qualifier": "acted"}]


def test_event_types_declare_each_attribute_type(exported):
    data, _, _ = exported
    types = {t["name"]: {a["name"]: a["type"] for a in t["attributes"]} for t in data["eventTypes"]}
    assert types["plan.closed"] == {
        "budget_eur": "string", "can_continue_without_help": "boolean", "costs_spent_eur": "string",
        "days_open": "integer", "final_t_score": "float", "neighbourhood_code": "string",
        "origin": "string", "reason_code": "string", "satisfaction": "integer"}
    assert types["care_report.received"]["unsafe"] == "boolean"
    assert "comment" not in types["care_report.received"]  # only null: nothing to declare


def test_an_attribute_with_two_types_is_declared_as_text():
    types: dict[str, dict[str, str]] = {}
    ocel.event((1, _at(), "plan.closed", "t", "", None, "", {"satisfaction": 8}), set(), types)
    assert types["plan.closed"]["satisfaction"] == "integer"
    ocel.event((2, _at(), "plan.closed", "t", "", None, "", {"satisfaction": 7.5}), set(), types)
    assert types["plan.closed"]["satisfaction"] == "string"


def _at():
    from datetime import UTC, datetime

    return datetime(2026, 1, 1, tzinfo=UTC)


def test_no_person_key_in_the_file(exported):
    assert PERSON_KEY not in exported[2].read_text(encoding="utf-8")


def test_interrupting_leaves_only_a_part_file(db, tmp_path, monkeypatch):
    make_log()
    real = ocel.event

    def interrupted(row, known, types):
        if row[0] % 2 == 0:
            raise KeyboardInterrupt
        return real(row, known, types)

    monkeypatch.setattr(ocel, "event", interrupted)
    with pytest.raises(KeyboardInterrupt):
        export(tmp_path, formats="ocel", out=io.StringIO())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["chain_events.ocel.json.part"]


def test_the_command_writes_ocel(db, tmp_path):
    make_log()
    out = io.StringIO()
    call_command("events", "export", "--format", "ocel", "--out", str(tmp_path), stdout=out,
                 stderr=io.StringIO())
    assert out.getvalue().strip() == f"{tmp_path / 'chain_events.ocel.json'}: 7 events"
    assert json.loads((tmp_path / "chain_events.ocel.json").read_text())["events"]
