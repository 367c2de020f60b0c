"""What every page shares: the actor for this request, the page decorator that turns a
denied access into the 403 page, the one way a page shows an action's refusal
(refusal_to_form, refusal_to_messages, refusal_or_not_found, submit), and small helpers."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

from jeugdketen.access.actions import actor_for_user
from jeugdketen.access.audit import AccessDenied
from jeugdketen.access.lockout import client_address
from jeugdketen.access.policy import AccessPoint, Actor
from jeugdketen.core.errors import FieldMap, Refusal, field_errors

ViewFunc = Callable[..., HttpResponse]
T = TypeVar("T")


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
    response = render(request, "ui/403.html", {"logged": logged}, status=403)
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


def refusal_to_form(form: Form, exc: Refusal, field_map: FieldMap | None = None, *,
                    besides_own: bool = False) -> None:
    """Put an action's refusal on the form: each message on the field it names (renamed by
    `field_map`, a mapping or a function; None or a field the form does not have: the form
    as a whole). The one mapper is core.errors.field_errors.

    `besides_own`: the form found problems of its own, and the action's checks complete
    them so the user sees every problem at once: a message goes only on a field that has no
    error yet; one for another field or for the form as a whole is left out."""
    for name, message in field_errors(exc, form.fields, field_map):
        if besides_own and (name is None or name in form.errors):
            continue
        form.add_error(name, message)


def refusal_to_messages(request: HttpRequest, exc: Refusal) -> None:
    """A refusal of an action without a form (a button): its messages as error messages
    on the next page."""
    for message in exc.messages:
        messages.error(request, str(message))


def refusal_or_not_found(request: HttpRequest, exc: Refusal) -> None:
    """A refused look-up of a record by its id (status 404: an unknown version, product
    code, ...) is the page's 404, like any unknown path; any other refusal is shown as
    error messages on the next page (refusal_to_messages). Call it in `except Refusal`."""
    if exc.status == 404:
        raise Http404 from None
    refusal_to_messages(request, exc)


def submit(request: HttpRequest, form: Form, action: Callable[[dict[str, Any]], T],
           field_map: FieldMap | None = None) -> T | None:
    """The shape of a page that changes something: bind the form, call the action, show a
    refusal, render. On a POST whose form is valid, `action(form.cleaned_data)` runs and its
    result is returned (the page then says so and redirects). A Refusal is put on the form
    (refusal_to_form) and None returned, as for a GET or an invalid form: the page renders
    the form again. AccessDenied passes through to the page decorator (403). The action
    must not return None when it succeeds."""
    if request.method != "POST" or not form.is_bound or not form.is_valid():
        return None
    try:
        return action(form.cleaned_data)
    except Refusal as exc:
        refusal_to_form(form, exc, field_map)
        return None


MAX_PAGE = 100_000  # far beyond any list; larger numbers would overflow the SQL offset


def page_number(request: HttpRequest, name: str = "pagina") -> int:
    """The page asked for: 1 when absent or not a number, never beyond MAX_PAGE."""
    try:
        return min(MAX_PAGE, max(1, int(request.GET.get(name, "1"))))
    except ValueError:
        return 1
