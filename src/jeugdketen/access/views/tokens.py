"""API tokens of the logged-in user: list, create (shown once), revoke."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from jeugdketen.access.actions import issue_token, revoke_token
from jeugdketen.access.models import ApiToken
from jeugdketen.ui import roles as r
from jeugdketen.ui.pages import actor_for, page


def _user_id(request: HttpRequest) -> int:
    return int(request.user.pk or 0)


def _own_tokens(request: HttpRequest) -> list[ApiToken]:
    # The user's own tokens (prefix and dates only): no personal data of clients.
    return list(ApiToken.objects.filter(user_id=_user_id(request)).order_by("-created_at"))


@page(r.can_have_tokens)
def tokens(request: HttpRequest) -> HttpResponse:
    new_token = ""
    if request.method == "POST":
        new_token = issue_token(actor_for(request), request.user)  # type: ignore[arg-type]
    return render(request, "access/tokens.html",
                  {"tokens": _own_tokens(request), "new_token": new_token})


@page(r.can_have_tokens)
def revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    if request.method != "POST":
        return redirect("tokens")
    if not ApiToken.objects.filter(pk=token_id, user_id=_user_id(request)).exists():
        raise Http404
    revoke_token(actor_for(request), token_id)
    messages.success(request, _("De token is ingetrokken. Koppelingen met deze token werken "
                                "niet meer."))
    return redirect("tokens")
