"""Failed logins: counted per username AND client address, with a cool-off that grows.

Nobody can lock a colleague out from another address: failures from address A for user X
only delay further attempts for X from A. Guessing stays impractical: after
`AXES_FAILURE_LIMIT` failures a first cool-off (`LOCKOUT_FIRST_COOLOFF`) starts, and every
further failure after it doubles the wait, up to `LOCKOUT_MAX_COOLOFF`. Attempts during a
cool-off are refused without checking the password and are not counted. Failures are
forgotten `AXES_COOLOFF_TIME` (twice the longest cool-off) after the last one, or when a
login from that address succeeds completely: the password and the second factor (`reset`,
called by the login pages; not at the password alone, so that someone with a stolen
password cannot wipe the count of wrong activation codes).

django-axes stores the attempts and hooks into the login; this module decides, from the
count and the time of the last failure, whether the pair is cooling off. A wrong
activation code at the first login counts as a failed login too (`record_failure`).

The client address is REMOTE_ADDR, unless JEUGDKETEN_CLIENT_IP_HEADER names the header
in which the TLS proxy passes it on: that header is believed only on requests that come
from a trusted proxy (FORWARDED_ALLOW_IPS), so a client cannot choose its own address.
"""

from __future__ import annotations

import ipaddress
import os
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.db.models import Max, Sum
from django.http import HttpRequest
from django.utils import timezone

IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@cache
def _trusted_proxies(value: str) -> tuple[IpNetwork, ...] | None:
    """The proxies from FORWARDED_ALLOW_IPS (addresses or networks); None means any."""
    networks = []
    for item in value.split(","):
        item = item.strip()
        if item == "*":
            return None
        if item:
            networks.append(ipaddress.ip_network(item, strict=False))
    return tuple(networks)


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or the configured proxy header on a request from
    a trusted proxy. With X-Forwarded-For the right-most entry counts: the address the
    proxy itself saw (entries further left come from the client and prove nothing)."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    header = os.environ.get("JEUGDKETEN_CLIENT_IP_HEADER", "").strip()
    if not header:
        return remote
    trusted = _trusted_proxies(os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"))
    remote_ip = _valid_ip(remote)
    if trusted is not None and (remote_ip is None or not any(
            ipaddress.ip_address(remote_ip) in net for net in trusted)):
        return remote
    value = request.META.get("HTTP_" + header.upper().replace("-", "_"), "") or ""
    forwarded = [part for part in value.split(",") if part.strip()]
    if not forwarded:
        return remote
    return _valid_ip(forwarded[-1]) or remote


def cool_off(failures: int, limit: int) -> timedelta:
    """The wait after `failures` failures: none below the limit, then the first cool-off,
    doubling with every further failure, at most the longest cool-off."""
    if failures < limit:
        return timedelta(0)
    first: timedelta = settings.LOCKOUT_FIRST_COOLOFF
    longest: timedelta = settings.LOCKOUT_MAX_COOLOFF
    doublings = failures - limit
    if doublings >= 40:
        return longest
    factor: int = 2 ** doublings  # doublings >= 0: an int (typeshed says Any for int ** int)
    return min(first * factor, longest)


def _attempts(request: HttpRequest,
              credentials: dict[str, Any] | None) -> tuple[int, datetime | None]:
    """(failures, time of the last failure) for this username from this address, within
    the time failures are remembered."""
    username = get_client_username(request, credentials)
    remembered = timezone.now() - settings.AXES_COOLOFF_TIME
    row = AccessAttempt.objects.filter(
        username=username, ip_address=request.axes_ip_address,  # type: ignore[attr-defined]
        attempt_time__gte=remembered,
    ).aggregate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
    last: datetime | None = row["last"]
    return int(row["failures"] or 0), last


def remaining(request: HttpRequest, credentials: dict[str, Any] | None = None) -> timedelta:
    """How long this username must still wait at this address (zero: not cooling off)."""
    AxesProxyHandler.update_request(request)
    failures, last = _attempts(request, credentials)
    wait = cool_off(failures, get_failure_limit(request, credentials))
    if not wait or last is None:
        return timedelta(0)
    return max(timedelta(0), last + wait - timezone.now())


class GrowingCoolOffHandler(AxesDatabaseHandler):  # type: ignore[misc]  # axes has no type hints
    """axes' database handler, locked only while the pair's growing cool-off lasts."""

    def is_locked(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> bool:
        if not getattr(settings, "AXES_LOCK_OUT_AT_FAILURE", True):
            return False
        return remaining(request, credentials) > timedelta(0)


def is_locked(request: HttpRequest, username: str) -> bool:
    return not AxesProxyHandler.is_allowed(request, {"username": username})


def record_failure(request: HttpRequest, username: str) -> None:
    """Count a failed step of the login (a wrong activation code) like a wrong password."""
    user_login_failed.send(sender=__name__, credentials={"username": username},
                           request=request)


def reset(request: HttpRequest, username: str) -> None:
    """Forget the failures of this username from this address (the login succeeded)."""
    AxesProxyHandler.update_request(request)
    AxesProxyHandler.reset_attempts(ip_address=request.axes_ip_address,  # type: ignore[attr-defined]
                                    username=username)
