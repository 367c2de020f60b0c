"""Context for every template: demo and two-factor banners, the user's roles and the
navigation that fits them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jeugdketen.ui import roles as r

# (url name, label, who sees it, url names that mark it current)
NAVIGATION: list[tuple[str, Any, Callable[[Any], bool], tuple[str, ...]]] = [
    ("home", _("Mijn werk"), lambda u: True, ("home",)),
    ("persons", _("Personen"), r.can_care, ("persons", "register_person", "person")),
    ("register_household", _("Huishouden vastleggen"), r.can_care,
     ("register_household", "household")),
    ("emergency", _("Noodtoegang"), r.can_care, ("emergency",)),
    ("review_list", _("Noodtoegang beoordelen"), r.can_review, ("review_list",)),
    ("access_overview", _("Toegangsoverzicht"), r.can_see_access_overview,
     ("access_overview", "access_log")),
    ("corrections", _("Terugmeldingen"), r.can_correct, ("corrections",)),
    ("tokens", _("API-tokens"), r.can_have_tokens, ("tokens",)),
]


# url name -> how many things wait there for the user (shown as a number after the label).
COUNTS: dict[str, Callable[[Any], int]] = {}


def register_navigation(url_name: str, label: Any, visible: Callable[[Any], bool],
                        marks: tuple[str, ...] = (),
                        count: Callable[[Any], int] | None = None) -> None:
    """For other apps (call it from AppConfig.ready()): add a main-menu item, shown to
    users for whom `visible(user)` is true, before "API-tokens". `marks` are the url names
    that make the item current (default: url_name); `count(user)`, if given, is the number
    shown after the label (unread messages, say; 0 shows nothing)."""
    if count is not None:
        COUNTS[url_name] = count
    if any(item[0] == url_name for item in NAVIGATION):
        return
    NAVIGATION.insert(len(NAVIGATION) - 1, (url_name, label, visible, marks or (url_name,)))


def _user(request: HttpRequest) -> Any:
    # Error pages can render before the authentication middleware ran.
    return getattr(request, "user", None) or AnonymousUser()


def navigation(request: HttpRequest) -> list[dict[str, Any]]:
    user = _user(request)
    if not user.is_authenticated:
        return []
    if settings.REQUIRE_2FA and not getattr(user, "is_verified", lambda: False)():
        return []
    match = getattr(request, "resolver_match", None)
    current = match.url_name if match else ""
    return [
        {"url": reverse(name), "label": label, "current": current in marks,
         "count": COUNTS[name](user) if name in COUNTS else 0}
        for name, label, visible, marks in NAVIGATION
        if visible(user)
    ]


def platform(request: HttpRequest) -> dict[str, Any]:
    user = _user(request)
    professional = getattr(user, "professional", None) if user.is_authenticated else None
    return {
        "DEMO": settings.DEMO,
        "TWO_FACTOR_OFF": not settings.REQUIRE_2FA,
        "current_professional": professional,
        "current_roles": r.roles_of(user),
        "is_citizen": r.is_citizen(user),
        # Buttons only for what the role can do (the policy still decides every request).
        "user_can_signal": r.can_signal(user),
        "nav_items": navigation(request),
    }
