"""Hand-made event logs straight into an insight store (a DuckDB connection), for tests
with known answers: add(con, "plan.started", "t1", "2026-01-05", origin="direct", ...)."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from jeugdketen.insight import schema

_ids = iter(range(1, 10**9))


def store(con: Any = None) -> Any:
    import duckdb

    con = con or duckdb.connect()
    schema.create(con)
    return con


def add(con: Any, activity: str, trajectory_key: str, when: str | date | datetime, *,
        household: str = "", person: str = "", organisation_id: int | None = None,
        neighbourhood: str = "BU00000001", **attributes: Any) -> int:
    """One event; `when` an ISO date (noon UTC) or datetime (UTC). Returns its id."""
    at = (datetime.fromisoformat(f"{when}T12:00:00") if isinstance(when, str) and len(when) == 10
          else datetime.fromisoformat(when) if isinstance(when, str)
          else datetime(when.year, when.month, when.day, 12)  # noqa: DTZ001 (the store is naive UTC)
          if not isinstance(when, datetime)
          else when)
    event_id = next(_ids)
    con.execute("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [event_id, at, at.date(), activity, trajectory_key, person, household,
                 organisation_id, neighbourhood, json.dumps(attributes)])
    return event_id


def area(con: Any, neighbourhood: str = "BU00000001", district: str = "WK000000",
         municipality: str = "GM0000", names: tuple[str, str, str] = ("Buurt", "Wijk", "Gemeente")
         ) -> None:
    con.execute("INSERT INTO areas VALUES (?, ?, ?, ?, ?, ?)",
                [neighbourhood, names[0], district, names[1], municipality, names[2]])
