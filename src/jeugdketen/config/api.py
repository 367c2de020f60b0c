"""The JSON API under /api/v1/: bearer tokens, RFC 9457 problem details for every error,
and an OpenAPI document that lists every operation's error answers (`ProblemApi`)."""

from __future__ import annotations

import logging
from typing import Any, cast

from django.core.exceptions import RequestDataTooBig
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer

from jeugdketen.access.actions import actor_for_user, user_for_token
from jeugdketen.access.audit import AccessDenied
from jeugdketen.access.lockout import client_address
from jeugdketen.access.policy import AccessPoint
from jeugdketen.access.requests import ActorRequest
from jeugdketen.config import errors as error_answers
from jeugdketen.core.errors import Refusal

log = logging.getLogger(__name__)
PROBLEM = error_answers.PROBLEM


def client_ip(request: HttpRequest) -> str:
    return client_address(request)  # REMOTE_ADDR, or the trusted proxy's header


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = user_for_token(token)
        if found is None:
            return None
        user, api_token = found
        point = AccessPoint(
            ip=client_ip(request), user_agent=request.META.get("HTTP_USER_AGENT", ""),
            channel="api-token", token_id=api_token.pk,
        )
        reason = request.headers.get("Jeugdketen-Emergency-Reason", "")
        # From here on the request is an ActorRequest: every endpoint reads its `actor`.
        cast(ActorRequest, request).actor = actor_for_user(user, point, emergency_reason=reason)
        return user


PROBLEM_SCHEMAS: dict[str, Any] = {
    "Problem": {
        "title": "Problem",
        "description": "RFC 9457 problem details. `errors` names each field and the rule it "
                       "broke; some problems add members (`existing`, `max_body_bytes`, "
                       "`retry_after_seconds`).",
        "type": "object",
        "required": ["type", "title", "status"],
        "properties": {
            "type": {"type": "string", "description": "urn:jeugdketen:problem:<kind>"},
            "title": {"type": "string"},
            "status": {"type": "integer"},
            "instance": {"type": "string"},
            "detail": {"type": "string"},
            "errors": {"type": "array", "items": {"$ref": "#/components/schemas/ProblemError"}},
        },
        "additionalProperties": True,
    },
    "ProblemError": {
        "title": "ProblemError",
        "type": "object",
        "required": ["field", "rule", "message"],
        "properties": {
            "field": {"type": "string"},
            "rule": {"type": "string"},
            "message": {"type": "string"},
        },
    },
}

ERROR_TEXTS = {
    "400": "The body is not valid JSON.",
    "401": "No valid token: send `Authorization: Bearer <token>`.",
    "403": "No ground under the access policy (logged), or refused by a rule. No personal "
           "data, and no hint whether the record exists.",
    "404": "Nothing at this path (for example an id that is not a number or UUID).",
    "409": "Refused by the current state (a duplicate, already done, changed meanwhile).",
    "413": "The body is larger than the limit (JEUGDKETEN_MAX_BODY_BYTES).",
    "422": "Invalid input: each field with the rule it broke.",
    "500": "Something went wrong on our side (logged); the body holds no detail of it.",
    "503": "The database is busy with other changes: nothing was saved; try again after "
           "Retry-After seconds.",
}
WRITE_METHODS = frozenset({"post", "put", "patch", "delete"})


def error_statuses(method: str, operation: dict[str, Any]) -> list[str]:
    """The error answers an operation can give, derived from what it is: authenticated
    (401, 403, and 503 because even a denied read writes an access-log record), path
    parameters (404), a write (409, 413), a body (400) and any input (422); every one can
    fail on our side (500)."""
    authenticated = bool(operation.get("security"))
    has_body = "requestBody" in operation
    params = operation.get("parameters", [])
    statuses = []
    if has_body:
        statuses.append("400")
    if authenticated:
        statuses += ["401", "403"]
    if any(p.get("in") == "path" for p in params):
        statuses.append("404")
    if authenticated and method in WRITE_METHODS:
        statuses.append("409")
    if method in WRITE_METHODS:
        statuses.append("413")
    if has_body or params:
        statuses.append("422")
    statuses.append("500")
    if authenticated or method in WRITE_METHODS:
        statuses.append("503")
    return statuses


def error_response(status: str) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": ERROR_TEXTS[status],
        "content": {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }
    if status == "401":
        response["headers"] = {"WWW-Authenticate": {"schema": {"type": "string"}}}
    if status == "503":
        response["headers"] = {"Retry-After": {
            "description": "seconds", "schema": {"type": "integer"}}}
    return response


class ProblemApi(NinjaAPI):
    """NinjaAPI whose OpenAPI document lists, for every operation, its error answers as
    problem details: done here once, not in each endpoint's decorator."""

    def get_openapi_schema(self, *, path_prefix: str | None = None,
                           path_params: dict[str, Any] | None = None) -> Any:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema.setdefault("components", {}).setdefault("schemas", {}).update(PROBLEM_SCHEMAS)
        for operations in schema.get("paths", {}).values():
            for method, operation in operations.items():
                responses = operation.setdefault("responses", {})
                for status in error_statuses(method, operation):
                    responses.setdefault(status, error_response(status))
        return schema


api = ProblemApi(
    title="Jeugdketen API",
    version="1",
    description=(
        "The JSON API of Jeugdketen. Authenticate with `Authorization: Bearer <token>`. "
        "Errors are RFC 9457 problem details (application/problem+json); invalid input "
        "lists every field with the rule it broke."
    ),
    urls_namespace="api",
    auth=BearerToken(),
)


def problem(request: HttpRequest, status: int, title: str, detail: str = "",
            errors: list[dict[str, str]] | None = None, kind: str = "",
            extra: dict[str, Any] | None = None) -> HttpResponse:
    body = error_answers.problem_body(request, status, title, detail, kind, extra)
    if errors is not None:
        body["errors"] = errors
    response = api.create_response(request, body, status=status)
    response["Content-Type"] = PROBLEM
    return response


def _field(loc: Any) -> str:
    parts = [str(p) for p in loc if p not in ("body", "payload", "data", "query", "path")]
    out = ""
    for p in parts:
        out += f"[{p}]" if p.isdigit() else (f".{p}" if out else p)
    return out or "body"


@api.exception_handler(NinjaValidationError)
def on_schema_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = [
        {"field": _field(e.get("loc", ())), "rule": str(e.get("type", "invalid")),
         "message": str(e.get("msg", ""))}
        for e in exc.errors
    ]
    return problem(request, 422, "Invalid input", "One or more fields are invalid.", errors,
                   kind="invalid-input")


def refused(request: HttpRequest, exc: Refusal) -> HttpResponse:
    """A refusal as problem details (config.errors.refusal_body: the one mapper). Only a
    Refusal: no action lets Django's ValidationError out (each turns what a validator raises
    into its refusal), and neither ninja nor Django raises one into an endpoint by itself,
    so there is no handler for it. Should one escape all the same, it is a bug: answered
    like any unforeseen error (500 "internal", logged), which the API fuzz test reports."""
    body = error_answers.refusal_body(request, exc)
    response = api.create_response(request, body, status=body["status"])
    response["Content-Type"] = PROBLEM
    return response


@api.exception_handler(AccessDenied)
def on_denied(request: HttpRequest, exc: AccessDenied) -> HttpResponse:
    # No personal data and no hint whether the record exists.
    if exc.rule:
        return problem(request, 403, "Forbidden", exc.message,
                       [{"field": "body", "rule": exc.rule, "message": exc.message}], kind=exc.rule)
    return problem(request, 403, "Forbidden",
                   "You have no ground to do this. The attempt has been logged.", kind="forbidden")


@api.exception_handler(Refusal)
def on_refusal(request: HttpRequest, exc: Refusal) -> HttpResponse:
    return refused(request, exc)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = problem(request, 401, "Unauthorized",
                       "Send a valid, unexpired API token as 'Authorization: Bearer <token>'.",
                       kind="unauthorized")
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return problem(request, exc.status_code, str(exc.message), kind=str(exc.status_code))


@api.exception_handler(RequestDataTooBig)
def on_too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return error_answers.too_large(request)


@api.exception_handler(OperationalError)
def on_database_error(request: HttpRequest, exc: OperationalError) -> HttpResponse:
    if error_answers.database_busy(exc):
        return error_answers.busy(request)
    return on_unexpected(request, exc)


@api.exception_handler(Exception)
def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    log.exception("unexpected API error")
    return problem(request, 500, "Internal error", "Something went wrong on our side.",
                   kind="internal")


from jeugdketen.access.api import router as access_router  # noqa: E402
from jeugdketen.analysis.api import router as analysis_router  # noqa: E402
from jeugdketen.guide.api import router as guide_router  # noqa: E402
from jeugdketen.intake.api import router as intake_router  # noqa: E402
from jeugdketen.plans.api import router as plans_router  # noqa: E402
from jeugdketen.referral_index.api import router as referral_index_router  # noqa: E402
from jeugdketen.registry.api import router as registry_router  # noqa: E402

api.add_router("", registry_router)
api.add_router("", access_router)
api.add_router("", referral_index_router)
api.add_router("", guide_router)
api.add_router("", plans_router)
api.add_router("", analysis_router)
api.add_router("", intake_router)
api.add_router("", "jeugdketen.intake.public_api.router")
api.add_router("", "jeugdketen.intake.queue_api.router")  # the front door's queue (issue 11)
api.add_router("", "jeugdketen.insight.api.router")  # insight: figures per area (issue 12)
api.add_router("", "jeugdketen.steering.time_api.router")  # steering: time and satisfaction
api.add_router("", "jeugdketen.steering.simulation_api.router")  # steering: what-if simulation (issue 13)
api.add_router("", "jeugdketen.steering.board_api.router")  # the chain board (issue 13)
