"""The insight store: two DuckDB files in settings.INSIGHT_DIR.

- `work.duckdb`: written only by `jeugdketen insight refresh` (one writer, under a lock);
- `published.duckdb`: a copy of the work file that refresh swaps in whole (copied to a
  temporary file, then `os.replace`d), so a reader never meets the writer's lock and never
  sees half a refresh. Readers open it read-only and reopen it when it has been replaced.

The tables are insight/schema.py's. The schema version is kept in `meta`; a work file of
another version is emptied and built again from the chain event log on the next refresh.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from django.conf import settings

from jeugdketen.insight import schema

WORK = "work.duckdb"
PUBLISHED = "published.duckdb"
LOCK = "refresh.lock"

# The refresh's own table: trajectory keys of copied events not yet derived (empty after
# every complete refresh).
PENDING = "CREATE TABLE IF NOT EXISTS pending_keys (trajectory_key VARCHAR NOT NULL)"

# Every table; all dropped when the schema version changes.
_TABLES = ("events", "areas", "organisations", "norms", "trajectories", "meta", "pending_keys")


def directory() -> Path:
    path = Path(settings.INSIGHT_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def work_path() -> Path:
    return directory() / WORK


def published_path() -> Path:
    return directory() / PUBLISHED


def lock_path() -> Path:
    return directory() / LOCK


def ensure_schema(con: Any) -> bool:
    """Create the tables; when the store holds another schema version, drop everything
    first (the next refresh copies the whole log again). Returns True when it (re)built."""
    version = None
    has_meta = con.execute("SELECT count(*) FROM information_schema.tables "
                           "WHERE table_name = 'meta' AND table_schema = 'main'").fetchone()[0]
    if has_meta:
        row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        version = row[0] if row else None
    rebuilt = version != str(schema.SCHEMA_VERSION)
    if rebuilt:
        for table in _TABLES:
            con.execute(f"DROP TABLE IF EXISTS {table}")
        schema.create(con)
        set_meta(con, "schema_version", str(schema.SCHEMA_VERSION))
    con.execute(PENDING)
    return rebuilt


def get_meta(con: Any, key: str) -> str | None:
    row = con.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
    return None if row is None else str(row[0])


def set_meta(con: Any, key: str, value: str) -> None:
    con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, value])


def connect_for_write() -> Any:
    """A connection to the work file, with the current schema (the refresh's; one writer)."""
    import duckdb

    con = duckdb.connect(str(work_path()))
    ensure_schema(con)
    return con


def publish() -> Path:
    """Copy the work file (closed by the caller, so it is complete on disk) over the
    published snapshot in one atomic step."""
    target = published_path()
    fd, tmp = tempfile.mkstemp(prefix=".published-", suffix=".duckdb", dir=target.parent)
    os.close(fd)
    try:
        shutil.copyfile(work_path(), tmp)
        shutil.copymode(work_path(), tmp)  # readable as the work file is, not mkstemp's 0600
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


class _Reader(threading.local):
    con: Any = None
    stamp: tuple[str, int, int, int] | None = None


_reader = _Reader()


def _stamp(path: Path) -> tuple[str, int, int, int]:
    """Which file is at `path` now (a replaced snapshot is another inode); 0s when none."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return (str(path), 0, 0, 0)
    return (str(path), st.st_ino, st.st_mtime_ns, st.st_size)


def snapshot() -> tuple[str, int, int, int]:
    """Which published snapshot is there now: figures computed on one stay true until the
    next refresh publishes another."""
    return _stamp(published_path())


def reader() -> Any:
    """A read-only connection to the published snapshot, one per thread (do not close it):
    reopened when refresh has published a new snapshot. Before the first refresh (or when
    the snapshot has another schema version) an empty in-memory store, so every figure
    runs and finds nothing."""
    import duckdb

    path = published_path()
    stamp = _stamp(path)
    if _reader.con is not None and stamp == _reader.stamp:
        return _reader.con
    if _reader.con is not None:
        _reader.con.close()
        _reader.con = None
    # Each thread gets its own in-memory database with the snapshot attached read-only:
    # duckdb.connect(path) would share one cached instance per path in the process, which
    # keeps the replaced file open for every thread.
    con = duckdb.connect()
    version = None
    if stamp[1]:
        quoted = str(path).replace("'", "''")  # our own path; ATTACH takes no parameter
        try:
            con.execute(f"ATTACH '{quoted}' AS snapshot (READ_ONLY)")
            con.execute("USE snapshot")
            version = get_meta(con, "schema_version")
        except duckdb.Error:
            version = None
        if version != str(schema.SCHEMA_VERSION):
            con.close()
            con = duckdb.connect()
    if version != str(schema.SCHEMA_VERSION):
        schema.create(con)
    _reader.con, _reader.stamp = con, stamp
    return con


def is_empty() -> bool:
    """True until a refresh has published at least one event."""
    return bool(reader().execute("SELECT NOT EXISTS (SELECT 1 FROM events)").fetchone()[0])


def first_day(con: Any = None) -> date | None:
    """The (Dutch) day of the first event in the published snapshot (or in the store `con`
    is a connection to); None when empty."""
    value = (con or reader()).execute("SELECT min(day) FROM events").fetchone()[0]
    return value if isinstance(value, date) else None


def refreshed_at() -> datetime | None:
    """When the published snapshot was made (UTC), None before the first refresh."""
    value = get_meta(reader(), "refreshed_at")
    return datetime.fromisoformat(value).astimezone(UTC) if value else None


def forget_reader() -> None:
    """Close this thread's reader (tests that point INSIGHT_DIR elsewhere)."""
    if _reader.con is not None:
        _reader.con.close()
    _reader.con, _reader.stamp = None, None
