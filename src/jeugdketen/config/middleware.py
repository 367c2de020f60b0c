"""Request limits and response rules for every request (listed last in MIDDLEWARE).

BodyLimitMiddleware: a body over JEUGDKETEN_MAX_BODY_BYTES is answered 413 before anything
reads it (CSRF reads a form in process_view, which runs after every middleware's
__call__), so an oversized body never reaches a view or a transaction.

ResponseRulesMiddleware:
- nothing with personal data is cached: every /api/v1/ answer carries
  `Cache-Control: no-store`, and every web page without a Cache-Control of its own gets
  Django's never-cache headers (which include no-store);
- every error under /api/v1/ is problem details, also the ones that do not come from an
  endpoint (an unknown path, a wrong method);
- a view that fails because the database is busy answers 503 with Retry-After.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

from jeugdketen.config import errors


class BodyLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_BODY_BYTES:
            return errors.too_large(request)
        return self.get_response(request)


class ResponseRulesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if errors.is_api(request):
            if (response.status_code >= 400
                    and not response.get("Content-Type", "").startswith(errors.PROBLEM)):
                response = errors.as_problem(request, response)
            response["Cache-Control"] = "no-store"
        elif not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        return response

    def process_exception(self, request: HttpRequest,
                          exception: Exception) -> HttpResponse | None:
        if errors.database_busy(exception):
            return errors.busy(request)
        return None
