"""Error answers that do not come from one view: a body over the size limit (413), a busy
database (503), and unknown paths, wrong methods and server errors under /api/v1/; and the
API's answer to a refusal (`refusal_body`, through core.errors' one mapper).

Under /api/v1/ every error is RFC 9457 problem details (application/problem+json); the
web pages get a readable page. These answers never touch the database: the database may
be the reason for them.
"""

from __future__ import annotations

import json
import logging
import sys
from http import HTTPStatus
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils.cache import add_never_cache_headers

from jeugdketen.core.errors import Refusal, problem_details

log = logging.getLogger(__name__)

API_PREFIX = "/api/v1/"
PROBLEM = "application/problem+json"

# PostgreSQL: lock_not_available (lock_timeout), serialization_failure, deadlock_detected.
BUSY_SQLSTATES = frozenset({"55P03", "40001", "40P01"})
SQLITE_BUSY = ("database is locked", "database table is locked")


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def _busy(exc: BaseException) -> bool:
    if not isinstance(exc, OperationalError):
        return False
    if getattr(exc.__cause__, "sqlstate", None) in BUSY_SQLSTATES:
        return True
    text = str(exc).lower()
    return any(phrase in text for phrase in SQLITE_BUSY)


def database_busy(exc: BaseException | None) -> bool:
    """Did the database refuse because another writer holds a lock (SQLite's busy timeout,
    PostgreSQL's lock_timeout, a serialization failure or a deadlock)? Then the request
    may simply be tried again. Looks through the exceptions this one was raised from: the
    session middleware, for one, turns a locked database into SessionInterrupted (400)."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        if _busy(exc):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


def problem_body(request: HttpRequest, status: int, title: str, detail: str = "",
                 kind: str = "", extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """An RFC 9457 problem: `type` names the rule (or the status), `instance` the path."""
    body: dict[str, Any] = {
        "type": f"urn:jeugdketen:problem:{kind or status}",
        "title": title,
        "status": status,
        "instance": request.path,
    }
    if detail:
        body["detail"] = detail
    body.update(extra or {})
    return body


def refusal_body(request: HttpRequest, exc: Refusal) -> dict[str, Any]:
    """The problem details of a refusal (core.errors.problem_details, the one mapper), with
    the request's path as `instance`: a rule's status and type, or 422 "Invalid input"
    listing every field."""
    details = problem_details(exc)
    body = {key: details.pop(key) for key in ("type", "title", "status")}
    body["instance"] = request.path
    body.update(details)
    return body


def problem_response(request: HttpRequest, status: int, title: str, detail: str = "",
                     kind: str = "", extra: dict[str, Any] | None = None) -> HttpResponse:
    body = problem_body(request, status, title, detail, kind, extra)
    response = HttpResponse(json.dumps(body, cls=DjangoJSONEncoder), status=status,
                            content_type=PROBLEM)
    response["Cache-Control"] = "no-store"
    return response


def _page(template: str, status: int) -> HttpResponse:
    # Rendered without a request: no context processors, so no database query.
    response = HttpResponse(loader.get_template(template).render({}), status=status)
    add_never_cache_headers(response)
    return response


def too_large(request: HttpRequest) -> HttpResponse:
    limit = settings.MAX_BODY_BYTES
    if is_api(request):
        return problem_response(
            request, 413, "Request body too large",
            f"The request body is larger than the limit of {limit} bytes.",
            kind="body_too_large", extra={"max_body_bytes": limit})
    response = HttpResponse(
        loader.get_template("web/413.html").render({"max_body_bytes": limit}), status=413)
    add_never_cache_headers(response)
    return response


def busy(request: HttpRequest) -> HttpResponse:
    """503 with Retry-After: another writer holds the database lock for too long."""
    log.warning("database busy: %s %s answered 503", request.method, request.path)
    retry = settings.BUSY_RETRY_AFTER_SECONDS
    if is_api(request):
        response = problem_response(
            request, 503, "Busy, try again",
            f"The database is busy with other changes. Nothing was saved; send the request "
            f"again in {retry} seconds.", kind="database_busy",
            extra={"retry_after_seconds": retry})
    else:
        response = _page("web/503.html", 503)
    response["Retry-After"] = str(retry)
    return response


def as_problem(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """An error answer under /api/v1/ that is not problem details yet (Django's 404 for an
    unknown path, ninja's 405, a 400 from Django) made into problem details, keeping the
    status and the headers that matter (Allow, Retry-After, WWW-Authenticate)."""
    status = response.status_code
    try:
        title = HTTPStatus(status).phrase
    except ValueError:
        title = "Error"
    detail = ""
    if status == 404:
        detail = "There is no API operation at this path."
    elif status == 405:
        allowed = response.get("Allow", "")
        detail = f"This path does not accept {request.method}. Allowed: {allowed}."
    new = problem_response(request, status, title, detail)
    for header in ("Allow", "Retry-After", "WWW-Authenticate"):
        if header in response:
            new[header] = response[header]
    return new


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler404: problem details under /api/v1/, else the web page."""
    if is_api(request):
        return as_problem(request, HttpResponse(status=404))
    from jeugdketen.web.views import not_found as web_not_found

    return web_not_found(request, exception)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler400. Saving the session of a web page while another writer holds the lock
    raises SessionInterrupted (a 400 that would tell the user they were logged out): that
    is a busy database, 503."""
    if database_busy(exception or sys.exc_info()[1]):
        return busy(request)
    if is_api(request):
        return as_problem(request, HttpResponse(status=400))
    from django.views.defaults import bad_request as default_bad_request

    return default_bad_request(request, exception or Exception())


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500, for errors no view caught (also those raised in middleware, such as
    saving the session): a busy database is a 503, not a 500."""
    exc = sys.exc_info()[1]
    if database_busy(exc):
        return busy(request)
    if is_api(request):
        return problem_response(request, 500, "Internal error",
                                "Something went wrong on our side.", kind="internal")
    from jeugdketen.web.views import server_error as web_server_error

    response = web_server_error(request)
    add_never_cache_headers(response)
    return response
