"""Which parts of the web UI a logged-in user sees. The access policy still decides every
read and write; this only keeps menus and pages to what can work for the user's role."""

from __future__ import annotations

from typing import Any

CARE_ROLES = ("professional", "coordinator")


def roles_of(user: Any) -> tuple[str, ...]:
    if not getattr(user, "is_authenticated", False):
        return ()
    professional = getattr(user, "professional", None)
    roles: tuple[str, ...] = tuple(professional.roles) if professional is not None else ()
    if not roles and getattr(user, "is_superuser", False):
        roles = ("platform_admin",)
    return roles


def has_professional(user: Any) -> bool:
    # RelatedObjectDoesNotExist is an AttributeError: getattr's default covers it.
    return bool(getattr(user, "is_authenticated", False)) and (
        getattr(user, "professional", None) is not None)


def is_citizen(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "person_id", None))


def is_front_door(user: Any) -> bool:
    return "front_door" in roles_of(user)


def can_care(user: Any) -> bool:
    return any(r in CARE_ROLES for r in roles_of(user))


def can_review(user: Any) -> bool:
    return "privacy_officer" in roles_of(user)


def can_correct(user: Any) -> bool:
    return "functional_admin" in roles_of(user)


def can_have_tokens(user: Any) -> bool:
    return has_professional(user) or "platform_admin" in roles_of(user)


def can_see_access_overview(user: Any) -> bool:
    return is_citizen(user) or can_review(user)


def can_signal(user: Any) -> bool:
    """A care role at an organisation authorised to register signals in the reference index
    (a municipality's coordinator is not: the button is not shown to them)."""
    professional = getattr(user, "professional", None) if has_professional(user) else None
    return can_care(user) and professional is not None and bool(
        professional.organisation.may_signal)


def can_coordinate(user: Any) -> bool:
    """A care role at an organisation that may coordinate a family plan."""
    professional = getattr(user, "professional", None) if has_professional(user) else None
    return can_care(user) and professional is not None and bool(
        professional.organisation.may_coordinate)
