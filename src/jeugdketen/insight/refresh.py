"""`jeugdketen insight refresh`: bring the insight store up to date with the chain event log.

1. copy the events not yet copied (by id, in chunks: a temporary CSV read by DuckDB's
   read_csv, one transaction per chunk, so an interrupted run leaves a consistent store and
   the next run goes on where it stopped);
2. replace the reference tables (areas, organisations, norms) with the registry's and the
   front door's current ones;
3. derive the trajectories the new events touched (all of them on the first run);
4. publish: copy the work file over the snapshot the pages read, in one atomic step.

Safe to run every few minutes: a second run at the same time waits for the first (or, with
wait=False, stops with a clear message), and a run with nothing new changes nothing.
"""

from __future__ import annotations

import csv
import fcntl
import json
import os
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from jeugdketen.insight import derive, store

CHUNK = 50_000
RECHECK_IDS = 100_000
AMSTERDAM = ZoneInfo("Europe/Amsterdam")

_EVENT_COLUMNS = ("id", "at", "activity", "trajectory_key", "person_key", "household_key",
                  "organisation_id", "neighbourhood_code", "attributes")
# read_csv reads an empty field as NULL; the store's text columns hold '' for "none".
_EVENT_SELECT = """
SELECT id, happened_at, day, activity, coalesce(trajectory_key, '') AS trajectory_key,
       coalesce(person_key, '') AS person_key, coalesce(household_key, '') AS household_key,
       organisation_id, coalesce(neighbourhood_code, '') AS neighbourhood_code,
       attributes::JSON AS attributes
FROM read_csv(?, header = false, auto_detect = false, columns = {
    'id': 'BIGINT', 'happened_at': 'TIMESTAMP', 'day': 'DATE', 'activity': 'VARCHAR',
    'trajectory_key': 'VARCHAR', 'person_key': 'VARCHAR', 'household_key': 'VARCHAR',
    'organisation_id': 'BIGINT', 'neighbourhood_code': 'VARCHAR', 'attributes': 'VARCHAR'})
"""

_REFERENCE = {
    "areas": "{'neighbourhood_code': 'VARCHAR', 'neighbourhood_name': 'VARCHAR', "
             "'district_code': 'VARCHAR', 'district_name': 'VARCHAR', "
             "'municipality_code': 'VARCHAR', 'municipality_name': 'VARCHAR'}",
    "organisations": "{'id': 'BIGINT', 'name': 'VARCHAR', 'kind': 'VARCHAR', "
                     "'municipality_code': 'VARCHAR'}",
    "norms": "{'municipality_code': 'VARCHAR', 'step': 'VARCHAR', 'urgency': 'VARCHAR', "
             "'days': 'INTEGER', 'working': 'BOOLEAN'}",
}


@dataclass(frozen=True)
class Result:
    copied: int  # events copied in this run
    last_id: int  # the last chain event id in the store
    trajectories: int  # trajectories derived in this run
    seconds: float

    def as_dict(self) -> dict[str, Any]:
        return {"copied": self.copied, "last_id": self.last_id,
                "trajectories": self.trajectories, "seconds": round(self.seconds, 2)}


class Busy(Exception):
    """Another refresh holds the store (only with wait=False)."""


@contextmanager
def _locked(wait: bool, out: TextIO | None) -> Iterator[None]:
    """One refresh at a time, across processes (an advisory lock on a file next to the
    store, released by the system if the process dies)."""
    with store.lock_path().open("a") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not wait:
                raise Busy("another `jeugdketen insight refresh` is running; "
                           "this one did nothing (the next run copies what is new)") from None
            if out is not None:
                out.write("another refresh is running: waiting for it to finish\n")
                out.flush()
            fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def refresh(out: TextIO | None = None, *, wait: bool = True) -> Result:
    """Bring the store up to date and publish it (see the module's text). `out` receives
    progress lines on long runs."""
    start = time.monotonic()
    with _locked(wait, out):
        con = store.connect_for_write()
        try:
            first = store.get_meta(con, "last_id") is None
            copied = _copy_events(con, out)
            changed = _replace_reference(con)
            if first:
                con.execute("DELETE FROM pending_keys")
                derived = derive.derive_all(con)
            else:
                derived = _derive_pending(con)
                if changed:
                    _reassign_areas(con)
            last_id = int(store.get_meta(con, "last_id") or 0)
            publish = (first or copied or changed or derived
                       or not store.published_path().exists())
            if publish:
                store.set_meta(con, "refreshed_at", datetime.now(UTC).isoformat())
            con.execute("CHECKPOINT")
        finally:
            con.close()
        if publish:
            store.publish()
    return Result(copied, last_id, derived, time.monotonic() - start)


# --- events -------------------------------------------------------------------------------


def _copy_events(con: Any, out: TextIO | None) -> int:
    from jeugdketen.chainlog.models import ChainEvent

    last = began_at = int(store.get_meta(con, "last_id") or 0)
    copied = _copy_late(con, last)
    total = ChainEvent.objects.filter(id__gt=last).count()
    began = time.monotonic()
    while True:
        rows = list(ChainEvent.objects.filter(id__gt=last).order_by("id")
                    .values_list(*_EVENT_COLUMNS)[:CHUNK])
        if not rows:
            break
        last = rows[-1][0]
        _insert_events(con, rows, last_id=last)
        copied += len(rows)
        if out is not None and total > CHUNK:
            elapsed = time.monotonic() - began
            left = elapsed / copied * max(0, total - copied) if copied else 0.0
            out.write(f"copied {copied}/{total} events, about {left:.0f} s left\n")
            out.flush()
    store.set_meta(con, "last_id", str(last))
    store.set_meta(con, "recheck_from", str(began_at))
    return copied


def _copy_late(con: Any, last: int) -> int:
    """Events below the last copied id that were not there when it was copied: on
    PostgreSQL an id is taken when a transaction inserts and seen when it commits, so a
    slower transaction can commit a lower id after a higher one was copied. Such an id lies
    just below the last id a run copied (a transaction takes its id shortly before it
    commits), so each run looks again at the ids since the start of the previous run, at
    most RECHECK_IDS of them, and copies what it missed."""
    from jeugdketen.chainlog.models import ChainEvent

    since = max(int(store.get_meta(con, "recheck_from") or last), last - RECHECK_IDS)
    if since >= last:
        return 0
    have = {i for (i,) in con.execute(
        "SELECT id FROM events WHERE id > ? AND id <= ?", [since, last]).fetchall()}
    missing = [i for i in ChainEvent.objects.filter(id__gt=since, id__lte=last)
               .values_list("id", flat=True) if i not in have]
    for i in range(0, len(missing), 1000):
        rows = list(ChainEvent.objects.filter(id__in=missing[i:i + 1000]).order_by("id")
                    .values_list(*_EVENT_COLUMNS))
        _insert_events(con, rows, last_id=None)
    return len(missing)


def _event_row(row: Sequence[Any]) -> list[Any]:
    event_id, at, activity, trajectory, person, household, organisation, hood, attrs = row
    utc = at.astimezone(UTC)
    return [event_id, utc.replace(tzinfo=None).isoformat(sep=" "),
            utc.astimezone(AMSTERDAM).date().isoformat(), activity, trajectory, person,
            household, organisation, hood, json.dumps(attrs)]


def _insert_events(con: Any, rows: Sequence[Sequence[Any]], *, last_id: int | None) -> None:
    """One chunk in one transaction: the events, their keys to derive, the last id."""
    with _csv(_event_row(r) for r in rows) as path:
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute("CREATE OR REPLACE TEMP TABLE _batch AS " + _EVENT_SELECT, [path])
            con.execute("INSERT INTO events SELECT * FROM _batch "
                        "WHERE id NOT IN (SELECT id FROM events WHERE id >= "
                        "(SELECT min(id) FROM _batch))")
            con.execute("INSERT INTO pending_keys SELECT DISTINCT trajectory_key FROM _batch "
                        "WHERE trajectory_key <> ''")
            if last_id is not None:
                store.set_meta(con, "last_id", str(last_id))
            con.execute("DROP TABLE _batch")
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise


@contextmanager
def _csv(rows: Any) -> Iterator[str]:
    """The rows in a temporary CSV file next to the store (removed afterwards)."""
    fd, name = tempfile.mkstemp(prefix=".chunk-", suffix=".csv", dir=store.directory())
    try:
        with os.fdopen(fd, "w", newline="", encoding="utf-8") as fh:
            csv.writer(fh).writerows(rows)
        yield name
    finally:
        Path(name).unlink(missing_ok=True)


# --- reference tables ---------------------------------------------------------------------


def _reference_rows() -> dict[str, list[list[Any]]]:
    from jeugdketen.intake import norms
    from jeugdketen.intake.models import Norm, Urgency
    from jeugdketen.registry.models import Municipality, Neighbourhood, Organisation

    areas = [list(r) for r in Neighbourhood.objects.order_by("code").values_list(
        "code", "name", "district__code", "district__name", "district__municipality__code",
        "district__municipality__name")]
    organisations = [list(r) for r in Organisation.objects.order_by("id").values_list(
        "id", "name", "kind", "municipality_id")]
    own = {(m, s, u): norms.Rule(d, w) for m, s, u, d, w in Norm.objects.values_list(
        "municipality_id", "step", "urgency", "days", "working")}
    rows = []
    for code in Municipality.objects.order_by("code").values_list("code", flat=True):
        for step in norms.NORM_STEPS:
            for urgency in Urgency.values:
                rule = (own.get((code, step, urgency)) or own.get((code, step, ""))
                        or norms.default_rule(step, urgency))
                rows.append([code, step, urgency, rule.days, rule.working])
    return {"areas": areas, "organisations": organisations, "norms": rows}


def _replace_reference(con: Any) -> bool:
    """Replace the reference tables whole; True when the areas, organisations or norms
    differ from what the store held."""
    changed = False
    for table, rows in _reference_rows().items():
        with _csv(rows) as path:
            con.execute("BEGIN TRANSACTION")
            try:
                con.execute(f"CREATE OR REPLACE TEMP TABLE _new AS SELECT * FROM read_csv(?, "  # noqa: S608 (constant table names)
                            f"header = false, auto_detect = false, "
                            f"columns = {_REFERENCE[table]})", [path])
                differs = con.execute(
                    f"SELECT (SELECT count(*) FROM (SELECT * FROM _new EXCEPT ALL "  # noqa: S608
                    f"SELECT * FROM {table})) + (SELECT count(*) FROM (SELECT * FROM "
                    f"{table} EXCEPT ALL SELECT * FROM _new))").fetchone()[0]
                if differs:
                    con.execute(f"DELETE FROM {table}")  # noqa: S608
                    con.execute(f"INSERT INTO {table} SELECT * FROM _new")  # noqa: S608
                    changed = True
                con.execute("DROP TABLE _new")
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
    return changed


def _reassign_areas(con: Any) -> None:
    """After the areas changed (a neighbourhood moved to another district): every
    trajectory's district and municipality again from its neighbourhood."""
    con.execute("""
        UPDATE trajectories SET district_code = a.district_code,
                                municipality_code = a.municipality_code
        FROM (SELECT t.trajectory_key, n.district_code, n.municipality_code
              FROM trajectories t LEFT JOIN areas n USING (neighbourhood_code)) a
        WHERE trajectories.trajectory_key = a.trajectory_key
          AND (trajectories.district_code IS DISTINCT FROM a.district_code
               OR trajectories.municipality_code IS DISTINCT FROM a.municipality_code)""")


# --- trajectories -------------------------------------------------------------------------


def _derive_pending(con: Any) -> int:
    """Derive the keys the copied events touched; the pending keys go only once they are
    derived, so an interrupted run derives them next time."""
    if not con.execute("SELECT count(*) FROM pending_keys").fetchone()[0]:
        return 0
    con.execute("CREATE OR REPLACE TEMP TABLE _touched AS "
                "SELECT DISTINCT trajectory_key FROM pending_keys")
    try:
        derived = derive.derive_touched_table(con)
        con.execute("DELETE FROM pending_keys WHERE trajectory_key IN "
                    "(SELECT trajectory_key FROM _touched)")
    finally:
        con.execute("DROP TABLE IF EXISTS _touched")
    # The derived rows went to the end of the table: back in area order once they are a
    # tenth of it (derive.in_area_order).
    appended = int(store.get_meta(con, "appended") or 0) + derived
    total = con.execute("SELECT count(*) FROM trajectories").fetchone()[0]
    if appended > derive.REORDER_SHARE * total:
        con.execute("BEGIN TRANSACTION")
        try:
            derive.in_area_order(con)
            store.set_meta(con, "appended", "0")
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    else:
        store.set_meta(con, "appended", str(appended))
    return derived
