"""The chain event log as IEEE XES (1849-2016): one trace per trajectory key, the events of
a trajectory in the order they happened. Events without a trajectory key belong to no
trace and are left out.

Streamed: the events come from one query ordered by (trajectory_key, at, id) through a
server-side iterator and are written as they come, so the log never sits in memory. The
file is written as NAME.part and renamed when complete: an interrupted export leaves only
the .part file.

Per event: `concept:name` the activity, `time:timestamp` (UTC, ISO 8601 with its zone),
`lifecycle:transition` "complete" (the log records what happened, not what started),
`org:resource` the organisation that acted ("name (id)"; absent when a family member or
the public acted), `event_id` and `neighbourhood_code`, then the event's attributes (codes
and counts only, docs/chain-events.md) under their own names. The person key is not
exported."""

from __future__ import annotations

import json
import os
import re
import sys
import time
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO
from xml.sax.saxutils import quoteattr

from jeugdketen.chainlog.models import ChainEvent

XES_VERSION = "2.0"  # IEEE 1849-2016 standardised XES 2.0
EXTENSIONS = (
    ("Concept", "concept", "http://www.xes-standard.org/concept.xesext"),
    ("Time", "time", "http://www.xes-standard.org/time.xesext"),
    ("Lifecycle", "lifecycle", "http://www.xes-standard.org/lifecycle.xesext"),
    ("Organizational", "org", "http://www.xes-standard.org/org.xesext"),
)
# Attributes of our own on every event, before the chain event's attributes.
OWN_KEYS = {"event_id", "neighbourhood_code"}
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.:\-]*")  # xs:Name
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
FIELDS = ("id", "at", "activity", "trajectory_key", "organisation_id", "neighbourhood_code",
          "attributes")


def timestamp(at: datetime) -> str:
    """xs:dateTime in UTC with its zone, to the millisecond."""
    return at.astimezone(UTC).isoformat(timespec="milliseconds")


def organisation_names() -> dict[int, str]:
    """Every organisation's name by id (reference data, a few thousand rows at most)."""
    from jeugdketen.registry.models import Organisation

    return dict(Organisation.objects.values_list("id", "name"))


def resource(organisation_id: int | None, names: dict[int, str]) -> str | None:
    """org:resource: the organisation's name with its id (names are unique only within a
    municipality), its id alone when the name is unknown, None when no organisation acted."""
    if organisation_id is None:
        return None
    name = names.get(organisation_id)
    return f"{name} ({organisation_id})" if name else str(organisation_id)


def _text(value: str) -> str:
    return quoteattr(_NOT_XML.sub("\ufffd", value))


def attribute(key: str, value: Any) -> str | None:
    """One XES attribute element; None for a null value (XES has no null). Lists and
    objects are written as their JSON text (a string attribute)."""
    if value is None:
        return None
    if not _NAME.fullmatch(key):
        key = re.sub(r"[^A-Za-z0-9_.:\-]", "_", key)
        if not _NAME.fullmatch(key):
            key = f"_{key}"
    if isinstance(value, bool):
        return f'<boolean key="{key}" value="{"true" if value else "false"}"/>'
    if isinstance(value, int):
        return f'<int key="{key}" value="{value}"/>'
    if isinstance(value, float):
        return f'<float key="{key}" value="{value!r}"/>'
    if isinstance(value, datetime):
        return f'<date key="{key}" value="{timestamp(value)}"/>'
    if not isinstance(value, str):
        value = json.dumps(value, sort_keys=True, ensure_ascii=False)
    return f"<string key=\"{key}\" value={_text(value)}/>"


def header() -> str:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<log xes.version="{XES_VERSION}">']
    lines += [f'  <extension name="{name}" prefix="{prefix}" uri="{uri}"/>'
              for name, prefix, uri in EXTENSIONS]
    # Globals: what every trace and every event has (the values are the defaults XES asks).
    lines += [
        '  <global scope="trace">',
        '    <string key="concept:name" value="__INVALID__"/>',
        "  </global>",
        '  <global scope="event">',
        '    <string key="concept:name" value="__INVALID__"/>',
        '    <date key="time:timestamp" value="1970-01-01T00:00:00.000+00:00"/>',
        '    <string key="lifecycle:transition" value="complete"/>',
        "  </global>",
        '  <classifier name="Activity" keys="concept:name"/>',
        '  <classifier name="Activity_and_transition" keys="concept:name lifecycle:transition"/>',
        '  <string key="concept:name" value="Jeugdketen chain event log"/>',
        '  <string key="lifecycle:model" value="standard"/>',
    ]
    return "\n".join(lines) + "\n"


def event_xml(row: tuple[Any, ...], names: dict[int, str]) -> str:
    event_id, at, activity, _key, organisation_id, neighbourhood, attributes = row
    parts = [
        attribute("concept:name", activity),
        attribute("time:timestamp", at),
        attribute("lifecycle:transition", "complete"),
        attribute("org:resource", resource(organisation_id, names)),
        attribute("event_id", event_id),
        attribute("neighbourhood_code", neighbourhood or None),
    ]
    for key in sorted(attributes or {}):
        if key not in OWN_KEYS and ":" not in key:
            parts.append(attribute(key, attributes[key]))
    return "    <event>" + "".join(p for p in parts if p) + "</event>\n"


def chunks(rows: Iterable[tuple[Any, ...]], names: dict[int, str]) -> Iterator[tuple[str, int]]:
    """The XES body from rows ordered by (trajectory_key, at, id): (text, events in it)."""
    current: str | None = None
    for row in rows:
        key = row[3]
        text = ""
        if key != current:
            if current is not None:
                text += "  </trace>\n"
            text += f"  <trace>{attribute('concept:name', key)}\n"
            current = key
        yield text + event_xml(row, names), 1
    if current is not None:
        yield "  </trace>\n", 0


def write(path: Path, *, out: TextIO = sys.stderr) -> int:
    """Write the XES file; returns the number of events in it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(path.name + ".part")
    names = organisation_names()
    events = ChainEvent.objects.exclude(trajectory_key="")
    total = events.count()
    rows = (events.order_by("trajectory_key", "at", "id").values_list(*FIELDS)
            .iterator(chunk_size=5000))
    written = 0
    start = time.monotonic()
    with part.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write(header())
        for text, n in chunks(rows, names):
            fh.write(text)
            written += n
            if n and written % 100000 == 0:
                elapsed = time.monotonic() - start
                out.write(f"\rXES: {written}/{total} events, about "
                          f"{elapsed / written * (total - written):.0f} s left  ")
                out.flush()
        fh.write("</log>\n")
    os.replace(part, path)
    return written
