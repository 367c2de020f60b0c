"""The machinery of the authorisation matrix: which routes exist (read from the code, so a
new route without a row fails), the expectation tables, the calls and the judging of an
answer. The expectations themselves are in test_api_matrix.py and test_web_matrix.py.

Cell syntax of the tables (one column per actor of world.ACTORS):
  Y    allowed: 2xx, or a redirect that ends on a page (2xx) of the same actor; a web POST
       that saves redirects (post-redirect-get) unless its spec says otherwise;
  -    denied: 403 (the API: problem details), for no one 401 (API) or a redirect to the
       login page (web); the answer names none of the world's persons;
  F    web only: the form comes back (200) with an error, nothing is saved: the form only
       offers the actor's own records, so someone else's id is not even a choice;
  nnn  the policy allows it, a rule of the domain then refuses it with this status (or,
       for 404: the record is someone else's and answers as an unknown one would).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from .world import ACTORS, World

API = "/api/v1"
PROBLEM = "application/problem+json"
UNKNOWN_UUID = "00000000-0000-4000-8000-00000000beef"
UNKNOWN_INT = "987654321"
# Path parameters that are ids of records (replaced by unknown ones in the unknown-id test);
# the others (a municipality code, an aid's slug, a form's name) are not.
ID_PARAMS = {"person_id", "consent_id", "professional_id", "signal_id", "match_id",
             "request_id", "plan_id", "action_id", "household_id", "record_id", "proposal_id",
             "token_id", "session_id", "item_id", "report_id", "meeting_id"}
# Whose personal data each actor may see in an answer it is allowed (P, C, S: family A; Q, R:
# family B; E: the stranger only the break-the-glass route shows). From the rules: the
# family's professional, the team member with consent for every member and the custody
# holder see family A; the privacy officer and the functional administrator (open report
# back to the BRP) see the child their task is about; nobody else sees anybody.
VISIBLE = {"prof": "PCS", "teach": "PCS", "out": "", "coord": "", "priv": "C", "anal": "",
           "fadm": "C", "padm": "", "door": "", "cit": "PCS", "ocit": "QR", "anon": ""}
CHECKED = "PCSQRE"


# --- the routes, read from the code -------------------------------------------------------


def api_operations(api: Any = None) -> set[str]:
    """Every operation of the JSON API: 'METHOD /path' from its OpenAPI document."""
    if api is None:
        from jeugdketen.config.api import api

    schema = api.get_openapi_schema(path_prefix="")
    return {f"{method.upper()} {path}" for path, ops in schema["paths"].items()
            for method in ops}


def _walk(resolver: URLResolver | None = None, prefix: str = "") -> Iterator[str]:
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def _as_openapi(pattern: str) -> str:
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", pattern[len("api/v1/"):])


PLAN_FORM = re.compile(r"^(/plannen/<uuid:plan_id>)/([a-z-]+)/(?:<int:item_id>/)?$")


def plan_forms() -> set[str]:
    from jeugdketen.plans import views as plan_views

    return {*plan_views.HANDLERS, *plan_views.FORM_PAGES}


def route_key(route: str) -> str:
    """A table row's route as web_routes() names it: a form of the plan page (with or
    without an item id) is `/plannen/<uuid:plan_id>/<form NAME>`."""
    found = PLAN_FORM.match(route)
    if found and found.group(2) in plan_forms():
        return f"{found.group(1)}/<form {found.group(2)}>"
    return route


PLAN_FORM_ROUTE = re.compile(r"^(plannen/<uuid:plan_id>)/<form-([a-z-]+):form>/(?:<int:item_id>/)?$")


def web_routes() -> set[str]:
    """Every web URL pattern (static files and the API's operations left out: the API table
    has those), with the plan page's forms one by one: each form is a route of its own
    (`<form-doel:form>` in plans/urls.py), and every form plans.views registers (HANDLERS
    and FORM_PAGES) is one, so a new form needs its own row."""
    operations = {op.split(" ", 1)[1] for op in api_operations()}
    found = set()
    for pattern in _walk():
        if pattern.startswith(("static/", "media/")):
            continue
        if pattern.startswith("api/v1/") and _as_openapi(pattern) in operations:
            continue
        if "<slug:form>" in pattern:  # any other form: not found (every form is below)
            continue
        form = PLAN_FORM_ROUTE.match(pattern)
        if form:
            found.add(f"/{form.group(1)}/<form {form.group(2)}>")
            continue
        found.add("/" + pattern)
    return found | {f"/plannen/<uuid:plan_id>/<form {slug}>" for slug in plan_forms()}


def uncovered(routes: set[str], covered: set[str]) -> list[str]:
    """What the tables must say, and the routes they name that do not exist."""
    problems = [f"no row for {route}" for route in sorted(routes - covered)]
    return problems + [f"a row for {route}, which does not exist"
                       for route in sorted(covered - routes)]


# --- the tables ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    label: str  # "METHOD route [variant]"
    method: str
    route: str
    cells: dict[str, str]


def parse(table: str) -> dict[str, Row]:
    rows: dict[str, Row] = {}
    for line in table.strip().splitlines():
        if line.lstrip().startswith("#"):  # a comment line (naming a part of the table)
            continue
        parts = [p.strip() for p in line.split("|")]
        if parts[0].startswith("route") or not parts[0]:
            assert parts[1:] == list(ACTORS) or not parts[0], parts
            continue
        label = parts[0]
        method, route = label.split()[:2]
        cells = dict(zip(ACTORS, parts[1:], strict=True))
        for actor, cell in cells.items():
            assert cell in ("Y", "-", "F") or cell.isdigit(), (label, actor, cell)
        assert label not in rows, label
        rows[label] = Row(label, method, route, cells)
    return rows


@dataclass
class Spec:
    """How to call a row: ids for the path (`param: world id key`, or a value), a query
    string, the body, what a web POST answers when it worked, whether the unknown-id test
    applies (and what it answers), persons this answer may show beyond VISIBLE (to every
    actor, or to one), and whether the form shows the typed values again."""

    ids: dict[str, Any] = field(default_factory=dict)
    query: str = ""
    body: Callable[[World], Any] | None = None
    post_ok: str = "redirect"  # "redirect", "200" or "any"
    unknown: int | None = 403
    shows: str = ""
    # Persons this answer may show to one actor only (the front door sees the family its
    # report is about; an invited organisation with consent the child): {actor: keys}.
    shows_for: dict[str, str] = field(default_factory=dict)
    # The form shows again what the caller typed (a BSN): that reveals nothing, so those
    # values are left out of the leak check (and nothing else of the person).
    echoes: bool = False


def unknown_cases(labels: list[str], disagreements: dict[str, str]) -> list[Any]:
    assert set(disagreements) <= set(labels), set(disagreements) - set(labels)
    return [pytest.param(label, id=label, marks=[pytest.mark.xfail(
        strict=True, reason=disagreements[label])] if label in disagreements else [])
        for label in labels]


def cases(rows: dict[str, Row], disagreements: dict[tuple[str, str], str]) -> list[Any]:
    """One pytest case per row and actor; a case where the code disagrees with the rules
    is a strict xfail naming why (so a fix turns it into a failure to be moved here)."""
    out = []
    for label, row in rows.items():
        for actor in ACTORS:
            reason = disagreements.get((label, actor))
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            out.append(pytest.param(label, actor, id=f"{label} as {actor}", marks=marks))
    unknown = set(disagreements) - {(label, actor) for label in rows for actor in ACTORS}
    assert not unknown, f"disagreements about cases that do not exist: {unknown}"
    return out


def fill(route: str, values: dict[str, Any]) -> str:
    def one(m: re.Match[str]) -> str:
        name = m.group(1) or m.group(2)
        return str(values[name])

    return re.sub(r"\{(\w+)\}|<(?:\w+:)?(\w+)>", one, route)


def path_values(w: World, spec: Spec, defaults: dict[str, str], *, unknown: bool = False
                ) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, key in {**defaults, **spec.ids}.items():
        values[name] = w.ids.get(key, key) if isinstance(key, str) else key
        if unknown and name in ID_PARAMS:
            values[name] = UNKNOWN_INT if isinstance(values[name], int) else UNKNOWN_UUID
    return values


# --- calling and judging -------------------------------------------------------------------


def call_api(w: World, actor: str, method: str, path: str, body: Any) -> HttpResponse:
    client = Client()
    headers = {"Authorization": f"Bearer {w.tokens[actor]}"} if actor in w.tokens else {}
    data = json.dumps(body, default=str) if body is not None else ""
    send = getattr(client, method.lower())
    if method == "GET":
        return send(API + path, headers=headers)
    return send(API + path, data=data, content_type="application/json", headers=headers)


def _is_login_redirect(response: HttpResponse) -> bool:
    return response.status_code in (301, 302) and response["Location"].startswith(
        "/login/?next=")


@dataclass
class WebAnswer:
    first: HttpResponse
    final: HttpResponse  # after following redirects (GET, the same actor)
    chain: list[str]


def call_web(w: World, actor: str, method: str, url: str, data: Any) -> WebAnswer:
    client = w.web(actor)
    first = client.get(url) if method == "GET" else client.post(url, data or {})
    final, chain = first, []
    for _hop in range(5):
        if final.status_code not in (301, 302, 303) or _is_login_redirect(final):
            break
        location = final["Location"].split("#", 1)[0]
        chain.append(location)
        final = client.get(location)
    return WebAnswer(first, final, chain)


def text_of(response: HttpResponse) -> str:
    if response.get("Content-Type", "").startswith("application/pdf"):
        return ""  # compressed: the PDF routes are checked for their status only
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def leaks(w: World, text: str, may_see: str, actor: str = "") -> list[str]:
    """The words of persons the answer may not show that it does show (a word shared with
    someone it may show, like a family name, does not count), and the world's secrets the
    actor may not see (`actor` empty: a denial, which shows none)."""
    allowed = {word for key in may_see for word in w.persons[key].words if word}
    found = [f"secret:{word}" for word, seers in w.secrets.items()
             if word in text and actor not in seers.split()]
    for key in CHECKED:
        if key in may_see:
            continue
        for word in w.persons[key].words:
            if word and word not in allowed and word in text:
                found.append(f"{key}:{word}")
    return found


def expected_api(cell: str, actor: str, public: bool) -> str:
    if cell == "Y":
        return "2xx"
    if cell == "-":
        return "401" if actor == "anon" and not public else "403"
    return cell


def api_class(response: HttpResponse) -> str:
    status = response.status_code
    return "2xx" if 200 <= status < 300 else str(status)


def web_class(answer: WebAnswer, method: str, post_ok: str) -> str:
    """'Y', '-', 'login', 'F' or the status: what the web answer amounts to."""
    first, final = answer.first, answer.final
    status = first.status_code
    if _is_login_redirect(first):
        return "login"
    if status == 403:
        return "-"
    if status in (301, 302, 303):
        if _is_login_redirect(final):
            return "login"
        if not 200 <= final.status_code < 300:
            return f"redirect to {final.status_code}"
        if method == "POST" and post_ok == "200":
            return f"redirect (expected 200) to {answer.chain}"
        return "Y"
    if 200 <= status < 300:
        if method == "POST" and post_ok == "redirect":
            return "F"
        return "Y"
    return str(status)


def expected_web(cell: str, actor: str) -> str:
    if cell == "-":
        return "login" if actor == "anon" else "-"
    return cell
