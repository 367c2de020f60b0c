"""What the in-process profile scripts (bench/*_profile.py) share: a percentile of
samples, the text of a cProfile run, the environment of a worker process that imports
one version's source (A or B) against the same database, and the PostgreSQL server's CPU
for the worker's connection."""

from __future__ import annotations

import io
import os
import pstats
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def pct(values: list[float], p: float) -> float:
    """The p-th percentile of the values (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def profile_text(profiler: Any, *, sort: str = "tottime", lines: int = 40) -> str:
    """Stop the profiler and give its table: sorted by JK_PROFILE_SORT (else `sort`), the
    first JK_PROFILE_LINES (else `lines`) rows; JK_PROFILE_OUT, when set, gets the raw
    stats too."""
    profiler.disable()
    if os.environ.get("JK_PROFILE_OUT"):
        profiler.dump_stats(os.environ["JK_PROFILE_OUT"])
    text = io.StringIO()
    (pstats.Stats(profiler, stream=text)
     .sort_stats(os.environ.get("JK_PROFILE_SORT", sort))
     .print_stats(int(os.environ.get("JK_PROFILE_LINES", str(lines)))))
    return text.getvalue()


def worker_env(src: str, database_url: str) -> dict[str, str]:
    """A worker's environment: the version's `src` first on the path (then the repository,
    for `bench`), the demo's settings, the same database, no DEBUG."""
    env = {**os.environ, "DATABASE_URL": database_url,
           "PYTHONPATH": os.pathsep.join([src, str(ROOT)]), "JEUGDKETEN_DEMO": "true"}
    env.pop("DEBUG", None)
    return env


class BackendCpu:
    """The PostgreSQL server process's CPU for this connection (a server on this machine:
    /proc/<pid>/stat, in clock ticks), over a loop of requests: per request on average.
    None on SQLite, or when the connection changed during the loop."""

    def __init__(self, connection: Any) -> None:
        self.connection = connection
        self.pid: int | None = None
        self.ticks = 0

    def _read(self) -> tuple[int | None, int]:
        if self.connection.vendor != "postgresql":
            return None, 0
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = int(cursor.fetchone()[0])
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None, 0
        return pid, int(fields[11]) + int(fields[12])  # utime + stime

    def start(self) -> None:
        self.pid, self.ticks = self._read()

    def stop(self, n: int) -> float | None:
        pid, ticks = self._read()
        if pid is None or pid != self.pid:
            return None
        return round((ticks - self.ticks) * 1000 / os.sysconf("SC_CLK_TCK") / n, 3)
