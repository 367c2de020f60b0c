"""The BRP client: asks the government's BRP API ("Haal Centraal BRP bevragen", version 2,
`POST /personen`) for persons by BSN and for the residents of an address.

Configuration comes from settings (environment variables, docs/operations.md):
`BRP_URL` (the API's base URL, ending before `/personen`), `BRP_TIMEOUT` (seconds) and the
credentials a municipality is given: an API key (`X-API-KEY`), a client certificate for
mutual TLS, and/or OAuth 2.0 client credentials. Without `JEUGDKETEN_BRP_URL` the platform
talks to the BRP stand-in (`jeugdketen brp-standin`), over HTTP exactly as to the BRP.

Every failure to get an answer (no connection, a timeout, a 5xx, a refusal of the
platform's own credentials, a malformed answer) is a `BrpUnavailable`: the caller refuses
its action with 503 and writes nothing.
"""

from __future__ import annotations

import http.client
import json
import logging
import ssl
import threading
import time
import urllib.parse
from collections.abc import Iterable
from typing import Any

from django.conf import settings

from jeugdketen.brp.persoon import FIELDS, BrpPerson, parse

log = logging.getLogger(__name__)
MAX_BSNS_PER_REQUEST = 20  # the API's maxItems for burgerservicenummer


class BrpUnavailable(Exception):
    """The BRP could not be asked (or did not answer as its contract says)."""


_local = threading.local()
_token_lock = threading.Lock()
_token: dict[str, Any] = {}


def _ssl_context() -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=settings.BRP_CA_BUNDLE or None)
    if settings.BRP_CLIENT_CERT:
        context.load_cert_chain(settings.BRP_CLIENT_CERT, settings.BRP_CLIENT_KEY or None)
    return context


def _connection(url: urllib.parse.SplitResult) -> http.client.HTTPConnection:
    """One keep-alive connection per thread and base URL (a sync worker asks one at a time)."""
    key = (url.scheme, url.netloc)
    conn = getattr(_local, "conns", {}).get(key)
    if conn is None:
        timeout = settings.BRP_TIMEOUT
        if url.scheme == "https":
            conn = http.client.HTTPSConnection(url.netloc, timeout=timeout, context=_ssl_context())
        elif url.scheme == "http":
            conn = http.client.HTTPConnection(url.netloc, timeout=timeout)
        else:
            raise BrpUnavailable(f"BRP URL must be http(s), not {url.scheme!r}")
        _local.__dict__.setdefault("conns", {})[key] = conn
    return conn


def _drop(url: urllib.parse.SplitResult) -> None:
    conn = getattr(_local, "conns", {}).pop((url.scheme, url.netloc), None)
    if conn is not None:
        conn.close()


def _bearer() -> str:
    """An OAuth 2.0 access token (client credentials), when configured; cached until
    shortly before it expires."""
    if not settings.BRP_TOKEN_URL:
        return ""
    with _token_lock:
        if _token.get("value") and _token.get("expires", 0) > time.monotonic() + 30:
            return str(_token["value"])
        url = urllib.parse.urlsplit(settings.BRP_TOKEN_URL)
        body = urllib.parse.urlencode({
            "grant_type": "client_credentials", "client_id": settings.BRP_CLIENT_ID,
            "client_secret": settings.BRP_CLIENT_SECRET,
            **({"scope": settings.BRP_SCOPE} if settings.BRP_SCOPE else {}),
        })
        status, payload = _send(url, body.encode(), {
            "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"})
        if status != 200 or not isinstance(payload, dict) or not payload.get("access_token"):
            raise BrpUnavailable(f"the BRP token endpoint answered {status}")
        _token["value"] = payload["access_token"]
        _token["expires"] = time.monotonic() + float(payload.get("expires_in") or 300)
        return str(_token["value"])


def _send(url: urllib.parse.SplitResult, body: bytes, headers: dict[str, str]
          ) -> tuple[int, Any]:
    """POST once, retrying once on a keep-alive connection the server had closed."""
    path = url.path or "/"
    for attempt in (1, 2):
        conn = _connection(url)
        try:
            conn.request("POST", path, body=body, headers=headers)
            response = conn.getresponse()
            raw = response.read()
        except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as exc:
            _drop(url)
            if attempt == 2:
                raise BrpUnavailable(f"the BRP closed the connection: {exc}") from exc
            continue
        except (OSError, http.client.HTTPException) as exc:  # refused, timeout, TLS
            _drop(url)
            raise BrpUnavailable(f"the BRP cannot be reached: {exc}") from exc
        if response.getheader("Connection", "").lower() == "close":
            _drop(url)
        try:
            return response.status, json.loads(raw) if raw else None
        except ValueError:
            return response.status, None
    raise BrpUnavailable("unreachable")  # pragma: no cover - the loop returns or raises


def query(body: dict[str, Any]) -> list[dict[str, Any]]:
    """One `POST {BRP_URL}/personen`; the `personen` of the answer."""
    url = urllib.parse.urlsplit(settings.BRP_URL.rstrip("/") + "/personen")
    headers = {"Content-Type": "application/json; charset=utf-8", "Accept": "application/json"}
    if settings.BRP_API_KEY:
        headers["X-API-KEY"] = settings.BRP_API_KEY
    token = _bearer()
    if token:
        headers["Authorization"] = f"Bearer {token}"
    started = time.monotonic()
    status, payload = _send(url, json.dumps(body).encode(), headers)
    if status != 200:
        # The problem details say why; they name no person (the API's own errors are about
        # the request), so they may be logged for the operator.
        title = payload.get("title", "") if isinstance(payload, dict) else ""
        log.error("BRP answered %s to %s: %s", status, body.get("type"), title)
        raise BrpUnavailable(f"the BRP answered {status}")
    if not isinstance(payload, dict) or not isinstance(payload.get("personen"), list):
        raise BrpUnavailable("the BRP's answer has no list of personen")
    log.debug("BRP %s in %.1f ms", body.get("type"), (time.monotonic() - started) * 1000)
    return [p for p in payload["personen"] if isinstance(p, dict)]


def persons(bsns: Iterable[str]) -> dict[str, BrpPerson]:
    """The BRP's persons for these BSNs (RaadpleegMetBurgerservicenummer), by BSN. A BSN the
    BRP does not know is simply absent."""
    wanted = list(dict.fromkeys(bsns))
    found: dict[str, BrpPerson] = {}
    for i in range(0, len(wanted), MAX_BSNS_PER_REQUEST):
        for raw in query({"type": "RaadpleegMetBurgerservicenummer", "fields": list(FIELDS),
                          "burgerservicenummer": wanted[i:i + MAX_BSNS_PER_REQUEST]}):
            person = parse(raw)
            if person.bsn:
                found[person.bsn] = person
    return found


def person(bsn: str) -> BrpPerson | None:
    return persons([bsn]).get(bsn)
