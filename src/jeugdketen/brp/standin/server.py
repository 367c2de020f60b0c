"""The stand-in's HTTP server: `POST {base}/personen` as the BRP API v2 defines it, for the
query types the platform uses (RaadpleegMetBurgerservicenummer, ZoekMetPostcodeEnHuisnummer),
with the API's validation and its problem-details errors (`invalidParams`), the `fields`
filter, and optionally an API key (`X-API-KEY`) like the BRP's test environment.

Standard library only, so it starts in a fraction of a second: `python -m
jeugdketen.brp.standin --port 8089 --db var/brp-standin.sqlite3`.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from zoneinfo import ZoneInfo

from jeugdketen.brp.standin.store import Store

# The BRP counts ages by the date in the Netherlands.
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
BASE_PATH = "/haalcentraal/api/brp"
MAX_BODY = 64 * 1024
# The Persoon's properties, and those the API always adds (they may not be asked for).
PERSOON = {
    "aNummer", "burgerservicenummer", "datumEersteInschrijvingGBA", "geslacht",
    "uitsluitingKiesrecht", "europeesKiesrecht", "leeftijd", "naam", "nationaliteiten",
    "geboorte", "overlijden", "verblijfplaats", "immigratie", "gemeenteVanInschrijving",
    "datumInschrijvingInGemeente", "adressering", "indicatieCurateleRegister",
    "indicatieGezagMinderjarige", "gezag", "verblijfstitel", "kinderen", "ouders", "partners",
}
PERSOON_BEPERKT = {"burgerservicenummer", "geboorte", "geslacht", "leeftijd", "naam",
                   "adressering"}
AUTOMATIC = {"inOnderzoek", "geheimhoudingPersoonsgegevens", "opschortingBijhouding", "rni",
             "verificatie"}
BSN = re.compile(r"^[0-9]{9}$")
POSTCODE = re.compile(r"^[1-9][0-9]{3}[ ]?[A-Za-z]{2}$")
FIELD = re.compile(r"^[a-zA-Z0-9\._]{1,200}$")


class Problem(Exception):
    def __init__(self, status: int, title: str, code: str, params: list[dict[str, str]] | None = None):
        super().__init__(title)
        self.status, self.title, self.code, self.params = status, title, code, params or []


def _param(name: str, code: str, reason: str) -> dict[str, str]:
    return {"type": f"https://www.vng.nl/realisatie/api/validaties/{code}", "name": name,
            "code": code, "reason": reason}


def _copy(source: Any, target: dict[str, Any], parts: list[str]) -> None:
    head, rest = parts[0], parts[1:]
    if not isinstance(source, dict) or head not in source:
        return
    value = source[head]
    if not rest:
        target[head] = value
    elif isinstance(value, list):
        items = target.setdefault(head, [{} for _ in value])
        for item, out in zip(value, items, strict=False):
            _copy(item, out, rest)
    elif isinstance(value, dict):
        _copy(value, target.setdefault(head, {}), rest)


def _age(persoon: dict[str, Any], today: date) -> int | None:
    raw = ((persoon.get("geboorte") or {}).get("datum") or {})
    if raw.get("type") != "Datum":
        return None
    born = date.fromisoformat(raw["datum"])
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def select(persoon: dict[str, Any], fields: list[str]) -> dict[str, Any]:
    """The `fields` filter: only the asked paths, plus the fields the API always adds."""
    out: dict[str, Any] = {}
    for path in fields:
        if path == "leeftijd":
            age = _age(persoon, datetime.now(AMSTERDAM).date())
            if age is not None:
                out["leeftijd"] = age
            continue
        _copy(persoon, out, path.split("."))
    for name in AUTOMATIC:
        if name in persoon:
            out[name] = persoon[name]
    return out


def _fields(body: dict[str, Any], allowed: set[str]) -> list[str]:
    fields = body.get("fields")
    if not isinstance(fields, list) or not fields:
        raise Problem(400, "Ten minste één parameter moet worden opgegeven.", "paramsRequired",
                      [_param("fields", "required", "Parameter is verplicht.")])
    if len(fields) > 130:
        raise Problem(400, "Een of meerdere parameters zijn niet correct.", "paramsValidation",
                      [_param("fields", "maxItems", "Array bevat meer dan 130 items.")])
    bad = []
    for i, path in enumerate(fields):
        if not isinstance(path, str) or not FIELD.match(path):
            bad.append(_param(f"fields[{i}]", "pattern",
                              "Waarde voldoet niet aan patroon ^[a-zA-Z0-9\\._]{1,200}$."))
        elif path.split(".")[0] not in allowed:
            bad.append(_param(f"fields[{i}]", "fields",
                              "Parameter bevat een niet toegestane veldnaam."))
    if bad:
        raise Problem(400, "Een of meerdere parameters zijn niet correct.", "paramsValidation", bad)
    return fields


def answer(store: Store, body: Any) -> dict[str, Any]:
    """The answer to one query, or a Problem."""
    if not isinstance(body, dict):
        raise Problem(400, "Een of meerdere parameters zijn niet correct.", "paramsValidation")
    kind = body.get("type")
    if kind == "RaadpleegMetBurgerservicenummer":
        fields = _fields(body, PERSOON)
        bsns = body.get("burgerservicenummer")
        if not isinstance(bsns, list) or not bsns:
            raise Problem(400, "Ten minste één parameter moet worden opgegeven.", "paramsRequired",
                          [_param("burgerservicenummer", "required", "Parameter is verplicht.")])
        bad = [_param(f"burgerservicenummer[{i}]", "pattern",
                      "Waarde voldoet niet aan patroon ^[0-9]{9}$.")
               for i, b in enumerate(bsns) if not isinstance(b, str) or not BSN.match(b)]
        if len(bsns) > 20:
            bad.append(_param("burgerservicenummer", "maxItems", "Array bevat meer dan 20 items."))
        if bad:
            raise Problem(400, "Een of meerdere parameters zijn niet correct.", "paramsValidation", bad)
        found = store.by_bsn(bsns)
    elif kind == "ZoekMetPostcodeEnHuisnummer":
        fields = _fields(body, PERSOON_BEPERKT)
        postcode, number = body.get("postcode"), body.get("huisnummer")
        bad = []
        if not isinstance(postcode, str) or not POSTCODE.match(postcode):
            bad.append(_param("postcode", "pattern", "Waarde is geen geldige postcode."))
        if not isinstance(number, int) or isinstance(number, bool) or not 1 <= number <= 99999:
            bad.append(_param("huisnummer", "integer", "Waarde is geen geldig getal."))
        if bad:
            raise Problem(400, "Een of meerdere parameters zijn niet correct.", "paramsValidation", bad)
        assert isinstance(postcode, str) and isinstance(number, int)
        found = store.by_address(postcode.replace(" ", "").upper(), number,
                                 deceased=body.get("inclusiefOverledenPersonen") is True)
        letter = str(body.get("huisletter") or "").upper()
        addition = str(body.get("huisnummertoevoeging") or "")
        found = [p for p in found
                 if (not letter or _address_part(p, "huisletter").upper() == letter)
                 and (not addition or _address_part(p, "huisnummertoevoeging") == addition)]
    else:
        raise Problem(400, "Een of meerdere parameters zijn niet correct.", "paramsValidation",
                      [_param("type", "value", "Waarde is geen geldige zoek type.")])
    return {"type": kind, "personen": [select(p, fields) for p in found]}


def _address_part(persoon: dict[str, Any], name: str) -> str:
    return str(((persoon.get("verblijfplaats") or {}).get("verblijfadres") or {}).get(name) or "")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: the platform reuses its connection
    # Headers and body go out as two writes: without TCP_NODELAY the client's delayed ACK
    # holds the body back about 40 ms on every answer.
    disable_nagle_algorithm = True
    server: StandinServer

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.verbose:
            super().log_message(format, *args)

    def _send(self, status: int, body: dict[str, Any], content_type: str) -> None:
        data = json.dumps(body, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _problem(self, problem: Problem) -> None:
        body: dict[str, Any] = {
            "type": f"https://datatracker.ietf.org/doc/html/rfc7231#section-6.5.{problem.status - 399}"
            if 400 <= problem.status < 500 else "https://datatracker.ietf.org/doc/html/rfc7231",
            "title": problem.title, "status": problem.status,
            "detail": HTTPStatus(problem.status).description, "instance": self.path,
            "code": problem.code,
        }
        if problem.params:
            body["invalidParams"] = problem.params
        self._send(problem.status, body, "application/problem+json")

    def _not_allowed(self) -> None:
        self._problem(Problem(405, "Gebruikte bevragingsmethode is niet toegestaan.",
                              "methodNotAllowed"))

    do_GET = do_PUT = do_PATCH = do_DELETE = _not_allowed  # noqa: N815

    def do_POST(self) -> None:
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > MAX_BODY:
            self.close_connection = True
            self._problem(Problem(400, "De vraag is te groot.", "paramsValidation"))
            return
        raw = self.rfile.read(length)
        try:
            if self.path.split("?")[0] != self.server.base_path + "/personen":
                raise Problem(404, "Opgevraagde resource bestaat niet.", "notFound")
            key = self.server.api_key
            if key and self.headers.get("X-API-KEY") != key:
                raise Problem(401, "Niet correct geauthenticeerd.", "authentication")
            if not (self.headers.get("Content-Type") or "").startswith("application/json"):
                raise Problem(415, "Media Type wordt niet ondersteund.", "unsupportedMediaType")
            try:
                body = json.loads(raw or b"null")
            except ValueError:
                raise Problem(400, "De foutieve parameter(s) zijn: body.", "paramsValidation") from None
            self._send(200, answer(self.server.store, body), "application/json; charset=utf-8")
        except Problem as problem:
            self._problem(problem)


class StandinServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # many platform workers may connect at once

    def __init__(self, address: tuple[str, int], store: Store, *, api_key: str = "",
                 base_path: str = BASE_PATH, verbose: bool = False):
        super().__init__(address, Handler)
        self.store, self.api_key, self.base_path, self.verbose = store, api_key, base_path, verbose


def serve(host: str, port: int, db: str, *, api_key: str = "", verbose: bool = False) -> None:
    server = StandinServer((host, port), Store(db), api_key=api_key, verbose=verbose)
    print(f"BRP stand-in at http://{host}:{server.server_address[1]}{BASE_PATH} "
          f"({server.store.count()} persons in {db})", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
