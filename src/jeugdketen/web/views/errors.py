"""The 403, 404 and 500 pages."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "ui/403.html", {"logged": False}, status=403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "web/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors: the database may be the reason for the error.
    return HttpResponseServerError(loader.get_template("web/500.html").render({}))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form that could not be checked (CSRF): usually a page left open too long.
    Set CSRF_FAILURE_VIEW = "jeugdketen.web.views.csrf_failure" to use it."""
    return render(request, "web/csrf_failure.html", status=403)
