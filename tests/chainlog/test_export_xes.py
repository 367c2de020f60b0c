"""`jeugdketen events export --format xes`: the XES file is valid against the IEEE 1849-2016
schema (xmlschema, a test-only dependency) and read back by a reader of this test's own
(xml.etree, nothing from the exporter) with the hand-made log's known traces."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import xmlschema
from django.core.management import call_command

from jeugdketen.chainlog import xes
from jeugdketen.chainlog.export import export
from jeugdketen.chainlog.models import ChainEvent

from .handmade import PERSON_KEY, make_log

XSD = Path(__file__).with_name("xes-ieee-1849-2016.xsd")
TYPES = {"string": str, "int": int, "float": float, "boolean": lambda v: v == "true",
         "date": str, "id": str}


def read_xes(path: Path) -> dict[str, Any]:
    """A minimal XES reader: the log's extensions, globals and classifiers, and per trace
    its attributes and its events' attributes as {key: (type, value)}."""
    root = ET.parse(path).getroot()
    assert root.tag == "log"

    def attributes(element: ET.Element) -> dict[str, tuple[str, Any]]:
        found: dict[str, tuple[str, Any]] = {}
        for child in element:
            if child.tag in TYPES:
                assert child.get("key") not in found, f"duplicate key {child.get('key')}"
                found[child.get("key")] = (child.tag, TYPES[child.tag](child.get("value")))
        return found

    return {
        "version": root.get("xes.version"),
        "extensions": {e.get("prefix"): (e.get("name"), e.get("uri"))
                       for e in root.findall("extension")},
        "globals": {g.get("scope"): attributes(g) for g in root.findall("global")},
        "classifiers": {c.get("name"): c.get("keys") for c in root.findall("classifier")},
        "log": attributes(root),
        "traces": [{"attributes": attributes(t), "events": [attributes(e) for e in t.findall("event")]}
                   for t in root.findall("trace")],
        "loose_events": root.findall("event"),
    }


def traces_by_name(log: dict[str, Any]) -> dict[str, list[dict[str, tuple[str, Any]]]]:
    return {t["attributes"]["concept:name"][1]: t["events"] for t in log["traces"]}


@pytest.fixture
def exported(db, tmp_path: Path) -> tuple[Path, Any]:
    assert not ChainEvent.objects.exists()
    log = make_log()
    written = export(tmp_path, formats="xes", out=io.StringIO())
    assert written == [(tmp_path / "chain_events.xes", 6)]  # six events have a trajectory
    return tmp_path / "chain_events.xes", log


def test_the_file_is_valid_against_the_xes_schema(exported):
    path, _ = exported
    xmlschema.XMLSchema(XSD).validate(str(path))


def test_the_log_declares_the_standard_extensions_globals_and_classifiers(exported):
    log = read_xes(exported[0])
    assert log["version"] == "2.0"
    assert {p: name for p, (name, _) in log["extensions"].items()} == {
        "concept": "Concept", "time": "Time", "lifecycle": "Lifecycle", "org": "Organizational"}
    assert all(uri == f"http://www.xes-standard.org/{p}.xesext"
               for p, (_, uri) in log["extensions"].items())
    assert set(log["globals"]["trace"]) == {"concept:name"}
    assert set(log["globals"]["event"]) == {"concept:name", "time:timestamp",
                                            "lifecycle:transition"}
    assert log["classifiers"]["Activity"] == "concept:name"
    assert log["log"]["concept:name"] == ("string", "Jeugdketen chain event log")


def test_one_trace_per_trajectory_in_the_order_things_happened(exported):
    log = read_xes(exported[0])
    traces = traces_by_name(log)
    assert list(traces) == ["t1", "t2"]
    assert [e["concept:name"][1] for e in traces["t1"]] == [
        "care_report.received", "care_report.triaged", "intake.planned", "plan.started"]
    assert [e["concept:name"][1] for e in traces["t2"]] == ["plan.started", "plan.closed"]
    # Events without a trajectory key are in no trace, and not loose in the log either.
    assert log["loose_events"] == []
    names = [e["concept:name"][1] for events in traces.values() for e in events]
    assert "person.registered" not in names


def test_each_event_has_its_time_lifecycle_resource_and_codes(exported):
    _, made = exported
    traces = traces_by_name(read_xes(exported[0]))
    received, triaged, _, started = traces["t1"]
    assert received["time:timestamp"] == ("date", "2026-01-05T08:15:00.000+00:00")
    assert started["time:timestamp"] == ("date", "2026-01-10T15:30:00.000+00:00")
    assert {e["lifecycle:transition"] for es in traces.values() for e in es} == {
        ("string", "complete")}
    # The public reported: no organisation acted.
    assert "org:resource" not in received
    assert triaged["org:resource"] == ("string", f'Wijkteam "Noord" & <Zuid> ({made.team.pk})')
    assert received["event_id"] == ("int", made.ids["t1.received"])
    assert received["neighbourhood_code"] == ("string", "BU09990101")
    # The attributes with their types; a null one is left out.
    assert received["unsafe"] == ("boolean", False)
    assert received["life_domains"] == ("int", 2)
    assert received["urgency"] == ("string", "crisis")
    assert "comment" not in received
    closed = traces["t2"][1]
    assert closed["final_t_score"] == ("float", 52.5)
    assert closed["satisfaction"] == ("int", 8)
    assert closed["can_continue_without_help"] == ("boolean", True)
    assert closed["costs_spent_eur"] == ("string", "100.00")
    assert closed["reason_code"] == ("string", "01")


def test_no_person_key_in_the_file(exported):
    assert PERSON_KEY not in exported[0].read_text(encoding="utf-8")


def test_traces_are_written_while_the_rows_are_read():
    """Streaming: the writer asks for the next row only when it writes the next event."""
    taken = []

    def rows():
        for n, key in enumerate(["a", "a", "b"]):
            taken.append(n)
            yield (n, xes_at(), "plan.started", key, None, "", {})

    body = xes.chunks(rows(), {})
    first, _ = next(body)
    assert taken == [0] and "<trace>" in first
    rest = "".join(text for text, _ in body)
    assert taken == [0, 1, 2]
    assert (first + rest).count("<trace>") == 2 and (first + rest).count("</trace>") == 2


def xes_at():
    from datetime import UTC, datetime

    return datetime(2026, 1, 1, tzinfo=UTC)


def test_interrupting_leaves_only_a_part_file(db, tmp_path, monkeypatch):
    make_log()
    real = xes.event_xml
    calls = []

    def interrupted(row, names):
        calls.append(row)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(row, names)

    monkeypatch.setattr(xes, "event_xml", interrupted)
    with pytest.raises(KeyboardInterrupt):
        export(tmp_path, formats="xes", out=io.StringIO())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["chain_events.xes.part"]
    # A rerun writes it again from the start.
    monkeypatch.setattr(xes, "event_xml", real)
    export(tmp_path, formats="xes", out=io.StringIO())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["chain_events.xes"]
    xmlschema.XMLSchema(XSD).validate(str(tmp_path / "chain_events.xes"))


def test_the_command_writes_xes(db, tmp_path):
    make_log()
    out = io.StringIO()
    call_command("events", "export", "--format", "xes", "--out", str(tmp_path), stdout=out,
                 stderr=io.StringIO())
    assert out.getvalue().strip() == f"{tmp_path / 'chain_events.xes'}: 6 events"
    assert list(traces_by_name(read_xes(tmp_path / "chain_events.xes"))) == ["t1", "t2"]


def test_an_empty_log_is_a_valid_log_without_traces(db, tmp_path):
    export(tmp_path, formats="xes", out=io.StringIO())
    xmlschema.XMLSchema(XSD).validate(str(tmp_path / "chain_events.xes"))
    assert read_xes(tmp_path / "chain_events.xes")["traces"] == []
