"""Web middleware.

SecondFactorMiddleware: every account that can see personal data must have passed a TOTP
check in this session before it reaches any page but login and set-up. It also keeps the
web pages Dutch unless the user chose English with the language switch (see
`dutch_unless_chosen`): a browser's Accept-Language alone does not switch the language.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation

OPEN_PATHS = ("/login", "/logout", "/2fa/", "/static/", "/api/", "/taal", "/i18n/")


def dutch_unless_chosen(request: HttpRequest) -> None:
    """Dutch by default: LocaleMiddleware also follows the browser's Accept-Language;
    for the web pages only the language cookie (set by the language switch) counts.
    The JSON API keeps Django's normal negotiation."""
    if request.path.startswith("/api/"):
        return
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    available = {code for code, _name in settings.LANGUAGES}
    language = chosen if chosen in available else settings.LANGUAGE_CODE
    if getattr(request, "LANGUAGE_CODE", None) != language:
        translation.activate(language)
        request.LANGUAGE_CODE = language


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        dutch_unless_chosen(request)
        user = request.user
        if (
            settings.REQUIRE_2FA
            and user.is_authenticated
            and not user.is_verified()  # type: ignore[attr-defined]
            and not request.path.startswith(OPEN_PATHS)
        ):
            url = reverse("two_factor")
            if request.method == "GET" and request.path != reverse("home"):
                url += "?" + urlencode({"next": request.get_full_path()})
            return redirect(url)
        return self.get_response(request)
