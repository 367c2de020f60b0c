"""The chain event log as OCEL 2.0 JSON (object-centric event log).

Object types: `trajectory` (the trajectory key), `household` (the household key) and
`organisation` (every organisation of the registry, with its name and kind). Every chain
event is an OCEL event (id "e<id>", type the activity, time in UTC) with its attributes
(codes and counts only; OCEL's JSON holds every value as text, its type is declared in
`eventTypes`) and relationships: to its trajectory (qualifier `trajectory`), household
(`household`), the organisation that acted (`acted`) and the organisations its attributes
name (`coordinator_organisation_id` -> `coordinator`, `to_organisation_id` -> `to`, ...).
A trajectory object relates to its household (`household`). The person key is not
exported.

Streamed: events are written as they come from a server-side iterator (by id), then the
objects (distinct keys, also iterated), then the event types collected on the way (a
handful per activity). Written as NAME.part and renamed when complete."""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from jeugdketen.chainlog.models import ChainEvent

OBJECT_TYPES = [
    {"name": "trajectory", "attributes": []},
    {"name": "household", "attributes": []},
    {"name": "organisation", "attributes": [{"name": "name", "type": "string"},
                                            {"name": "kind", "type": "string"}]},
]
FIELDS = ("id", "at", "activity", "trajectory_key", "household_key", "organisation_id",
          "neighbourhood_code", "attributes")
ORGANISATION_SUFFIX = "_organisation_id"


def trajectory_id(key: str) -> str:
    return f"trajectory:{key}"


def household_id(key: str) -> str:
    return f"household:{key}"


def organisation_id(pk: int) -> str:
    return f"organisation:{pk}"


def _time(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="milliseconds")


def value_and_type(value: Any) -> tuple[str, str]:
    """OCEL 2.0 JSON: a value as text with its declared type."""
    if isinstance(value, bool):
        return ("true" if value else "false"), "boolean"
    if isinstance(value, int):
        return str(value), "integer"
    if isinstance(value, float):
        return repr(value), "float"
    if isinstance(value, str):
        return value, "string"
    return json.dumps(value, sort_keys=True, ensure_ascii=False), "string"


def _organisations() -> list[tuple[int, str, str, datetime]]:
    from jeugdketen.registry.models import Organisation

    return list(Organisation.objects.order_by("id").values_list("id", "name", "kind", "created_at"))


def event(row: tuple[Any, ...], known: set[int], types: dict[str, dict[str, str]]
          ) -> dict[str, Any]:
    """One OCEL event; records the attribute types of its activity in `types`."""
    pk, at, activity, trajectory, household, acted, neighbourhood, attributes = row
    attributes = dict(attributes or {})
    if neighbourhood:
        attributes["neighbourhood_code"] = neighbourhood
    seen = types.setdefault(activity, {})
    values = []
    for name in sorted(attributes):
        if attributes[name] is None:
            continue
        text, kind = value_and_type(attributes[name])
        seen[name] = kind if seen.get(name, kind) == kind else "string"
        values.append({"name": name, "value": text})
    relationships: list[dict[str, str]] = []
    pairs: set[tuple[str, str]] = set()

    def relate(object_id: str, qualifier: str) -> None:
        if (object_id, qualifier) not in pairs:
            pairs.add((object_id, qualifier))
            relationships.append({"objectId": object_id, "qualifier": qualifier})

    if trajectory:
        relate(trajectory_id(trajectory), "trajectory")
    if household:
        relate(household_id(household), "household")
    if acted is not None and acted in known:
        relate(organisation_id(acted), "acted")
    for name in sorted(attributes):
        named = attributes[name]
        if (name.endswith(ORGANISATION_SUFFIX) and isinstance(named, int)
                and not isinstance(named, bool) and named in known):
            relate(organisation_id(named), name.removesuffix(ORGANISATION_SUFFIX) or "organisation")
    return {"id": f"e{pk}", "type": activity, "time": _time(at), "attributes": values,
            "relationships": relationships}


def objects(organisations: list[tuple[int, str, str, datetime]]) -> Iterator[dict[str, Any]]:
    for pk, name, kind, created in organisations:
        yield {"id": organisation_id(pk), "type": "organisation",
               "attributes": [{"name": "name", "value": name, "time": _time(created)},
                              {"name": "kind", "value": kind, "time": _time(created)}]}
    pairs = (ChainEvent.objects.exclude(trajectory_key="")
             .values_list("trajectory_key", "household_key").distinct()
             .order_by("trajectory_key", "household_key").iterator(chunk_size=5000))
    current: dict[str, Any] | None = None
    for key, household in pairs:
        if current is None or current["id"] != trajectory_id(key):
            if current is not None:
                yield current
            current = {"id": trajectory_id(key), "type": "trajectory", "attributes": [],
                       "relationships": []}
        if household:
            current["relationships"].append({"objectId": household_id(household),
                                             "qualifier": "household"})
    if current is not None:
        yield current
    households = (ChainEvent.objects.exclude(household_key="")
                  .values_list("household_key", flat=True).distinct()
                  .order_by("household_key").iterator(chunk_size=5000))
    for household in households:
        yield {"id": household_id(household), "type": "household", "attributes": []}


def write(path: Path, *, out: TextIO = sys.stderr) -> int:
    """Write the OCEL 2.0 JSON file; returns the number of events in it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(path.name + ".part")
    organisations = _organisations()
    known = {pk for pk, *_ in organisations}
    types: dict[str, dict[str, str]] = {}
    total = ChainEvent.objects.count()
    rows = ChainEvent.objects.order_by("id").values_list(*FIELDS).iterator(chunk_size=5000)
    written = 0
    start = time.monotonic()
    with part.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write('{"objectTypes": ' + json.dumps(OBJECT_TYPES) + ',\n"events": [\n')
        for row in rows:
            fh.write((",\n" if written else "") + json.dumps(event(row, known, types),
                                                             ensure_ascii=False))
            written += 1
            if written % 100000 == 0:
                elapsed = time.monotonic() - start
                out.write(f"\rOCEL: {written}/{total} events, about "
                          f"{elapsed / written * (total - written):.0f} s left  ")
                out.flush()
        fh.write('\n],\n"objects": [\n')
        for n, obj in enumerate(objects(organisations)):
            fh.write((",\n" if n else "") + json.dumps(obj, ensure_ascii=False))
        event_types = [{"name": activity, "attributes": [{"name": name, "type": kind}
                                                         for name, kind in sorted(seen.items())]}
                       for activity, seen in sorted(types.items())]
        fh.write('\n],\n"eventTypes": ' + json.dumps(event_types) + "}\n")
    os.replace(part, path)
    return written
