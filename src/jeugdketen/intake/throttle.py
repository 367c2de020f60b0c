"""How many public care reports one client address may make: a fixed-window counter in
the Django cache, per hour and per day (ADR 0010, "Public form, throttling").

django-axes stays for logins only (it counts failed logins per username and address); the
public form and `POST /api/v1/public/care-reports` count here, per client address as
`access.lockout.client_address` gives it (trusted-proxy aware, so a client cannot pick its
own). A report takes a place in both windows before it is made (`take`), so two reports
sent at the same moment cannot both slip past the limit; a submission that makes no
report (bad input, a refusal) gives its place back (`give_back`). A refused attempt
counts for nothing.

The limits come from the settings `INTAKE_PUBLIC_REPORTS_PER_HOUR` and
`INTAKE_PUBLIC_REPORTS_PER_DAY`, with the defaults of this module; the cache is the alias
`INTAKE_THROTTLE_CACHE` names (default "default"). The cache key holds a hash of the
address, not the address. With more than one worker process the counts are shared only
if that cache is (a database or Redis cache, not the per-process memory cache).
"""

from __future__ import annotations

import contextlib
import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import BaseCache, caches

PER_HOUR = 5
PER_DAY = 20
HOUR, DAY = 3600, 86400
PREFIX = "jk:intake:public"


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int = 0  # seconds until a report is possible again (when not allowed)
    at: float = 0.0  # the moment counted (to give the place back in the same windows)


def _cache() -> BaseCache:
    return caches[str(getattr(settings, "INTAKE_THROTTLE_CACHE", "default"))]


def limits() -> tuple[tuple[int, int], ...]:
    """(window in seconds, reports allowed in it), from the settings."""
    return ((HOUR, int(getattr(settings, "INTAKE_PUBLIC_REPORTS_PER_HOUR", PER_HOUR))),
            (DAY, int(getattr(settings, "INTAKE_PUBLIC_REPORTS_PER_DAY", PER_DAY))))


def _key(address: str, window: int, now: float) -> str:
    digest = hashlib.sha256((address or "unknown").encode()).hexdigest()[:32]
    return f"{PREFIX}:{window}:{int(now // window)}:{digest}"


def _left(window: int, now: float) -> int:
    """Seconds until the current window ends."""
    return max(1, int(window - now % window))


def _count(key: str, window: int, now: float) -> int:
    """Count one in the window; the new count."""
    cache = _cache()
    cache.add(key, 0, timeout=_left(window, now) + 1)
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=_left(window, now) + 1)
        return 1


def _uncount(key: str) -> None:
    with contextlib.suppress(ValueError):  # the window ended meanwhile: nothing to give back
        _cache().decr(key)


def check(address: str, *, now: float | None = None) -> Verdict:
    """May this address make another report now? Counts nothing (for showing the form)."""
    now = time.time() if now is None else now
    for window, limit in limits():
        if int(_cache().get(_key(address, window, now), 0)) >= limit:
            return Verdict(False, _left(window, now), now)
    return Verdict(True, 0, now)


def take(address: str, *, now: float | None = None) -> Verdict:
    """Take a place for one report in every window; refused (and nothing counted) when a
    window is full."""
    now = time.time() if now is None else now
    taken: list[str] = []
    for window, limit in limits():
        key = _key(address, window, now)
        taken.append(key)
        if _count(key, window, now) > limit:
            for done in taken:
                _uncount(done)
            return Verdict(False, _left(window, now), now)
    return Verdict(True, 0, now)


def give_back(address: str, taken: Verdict) -> None:
    """The place `take` gave made no report (bad input, a refusal): it does not count."""
    if not taken.allowed:
        return
    for window, _limit in limits():
        _uncount(_key(address, window, taken.at))
