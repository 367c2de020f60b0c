"""What every page shares: the actor for this request, the page decorator that turns a
denied access into the 403 page, and small helpers."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

from jeugdketen.access.actions import actor_for_user
from jeugdketen.access.audit import AccessDenied
from jeugdketen.access.lockout import client_address
from jeugdketen.access.policy import AccessPoint, Actor

ViewFunc = Callable[..., HttpResponse]


def access_point(request: HttpRequest) -> AccessPoint:
    return AccessPoint(
        ip=client_address(request),
        user_agent=(request.META.get("HTTP_USER_AGENT", "") or "")[:300],
        channel="session",
    )


def actor_for(request: HttpRequest, emergency_reason: str = "") -> Actor:
    """The one place where a web request becomes an actor for the actions."""
    if emergency_reason:
        return actor_for_user(request.user, access_point(request),  # type: ignore[arg-type]
                              emergency_reason=emergency_reason)
    cached = getattr(request, "_jk_actor", None)
    if cached is None:
        cached = actor_for_user(request.user, access_point(request))  # type: ignore[arg-type]
        request._jk_actor = cached  # type: ignore[attr-defined]
    return cached


def forbidden_response(request: HttpRequest, *, logged: bool) -> HttpResponse:
    response = render(request, "web/403.html", {"logged": logged}, status=403)
    add_never_cache_headers(response)
    return response


def page(allowed: Callable[[Any], bool] | None = None) -> Callable[[ViewFunc], ViewFunc]:
    """Decorate a page: login required, optional role check, AccessDenied -> 403 page,
    and no caching (pages show personal data)."""

    def decorator(view: ViewFunc) -> ViewFunc:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if allowed is not None and not allowed(request.user):
                return forbidden_response(request, logged=False)
            try:
                response = view(request, *args, **kwargs)
            except AccessDenied:
                return forbidden_response(request, logged=True)
            add_never_cache_headers(response)
            return response

        return wrapper

    return decorator


def add_action_errors(form: Form, error: ValidationError,
                      field_map: dict[str, str] | None = None) -> None:
    """Put an action's ValidationError on the form's fields (or the form as a whole)."""
    field_map = field_map or {}
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    for name, errors in error.error_dict.items():
        target = field_map.get(name, name)
        if target not in form.fields:
            target = None  # type: ignore[assignment]
        for err in errors:
            for message in err.messages if isinstance(err, ValidationError) else [str(err)]:
                form.add_error(target, message)


MAX_PAGE = 100_000  # far beyond any list; larger numbers would overflow the SQL offset


def page_number(request: HttpRequest, name: str = "pagina") -> int:
    """The page asked for: 1 when absent or not a number, never beyond MAX_PAGE."""
    try:
        return min(MAX_PAGE, max(1, int(request.GET.get(name, "1"))))
    except ValueError:
        return 1
