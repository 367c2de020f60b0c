"""The field checks the registry's actions share: each collects a FieldError under the
field's name, and `raise_invalid` refuses the input with all of them at once."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from jeugdketen.core.errors import FieldError, Refusal

Errors = dict[str, FieldError]


def add(errors: Errors, name: str, rule: str, message: str) -> None:
    errors[name] = FieldError(name, rule, message)


def raise_invalid(errors: Errors) -> None:
    if errors:
        raise Refusal.invalid(errors)


def invalid(name: str, rule: str, message: str) -> Refusal:
    """Invalid input in one field."""
    return Refusal.invalid([FieldError(name, rule, message)])


def required(value: Any, name: str, errors: Errors) -> None:
    if value in (None, ""):
        add(errors, name, "required", _("Dit veld is verplicht."))


def no_nul(value: Any, name: str, errors: Errors) -> None:
    # PostgreSQL cannot store NUL characters: refuse them as input, never fail with a 500.
    if isinstance(value, str) and "\x00" in value:
        add(errors, name, "null_characters_not_allowed",
            _("Het teken NUL (0x00) is niet toegestaan."))
