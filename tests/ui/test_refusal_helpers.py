"""The one way a page shows an action's refusal (ui.pages, docs/decisions/0008): on the
form (refusal_to_form, submit), as messages (refusal_to_messages), or as not found
(refusal_or_not_found). They take a Refusal only: a Django ValidationError is not one."""

from __future__ import annotations

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import ValidationError
from django.http import Http404
from django.test import RequestFactory

from jeugdketen.core.errors import FieldError, Refusal
from jeugdketen.ui.pages import refusal_or_not_found, refusal_to_form, submit


class NameForm(forms.Form):
    name = forms.CharField(max_length=5)
    town = forms.CharField(required=False)


def request_for(method: str = "get", data: dict[str, str] | None = None):
    request = getattr(RequestFactory(), method)("/", data or {})
    request._messages = CookieStorage(request)
    return request


def shown(request) -> list[str]:
    return [str(m) for m in get_messages(request)]


def test_a_refused_look_up_is_not_found_and_any_other_refusal_a_message():
    request = request_for()
    with pytest.raises(Http404) as caught:
        try:
            raise Refusal("unknown_version", "Deze versie bestaat niet.", status=404)
        except Refusal as exc:
            refusal_or_not_found(request, exc)
    assert caught.value.__cause__ is None and caught.value.__suppress_context__
    assert shown(request) == []
    refusal_or_not_found(request, Refusal("version_invalid", "Past niet meer.", status=409))
    assert shown(request) == ["Past niet meer."]


def test_besides_own_completes_the_forms_errors_without_repeating_a_field():
    form = NameForm({"name": "too long", "town": "x"})
    assert not form.is_valid()
    exc = Refusal.invalid([FieldError("name", "required", "Verplicht."),
                           FieldError("town", "unknown_town", "Onbekend."),
                           FieldError("elsewhere", "rule", "Ergens anders."),
                           FieldError("", "rule", "Het geheel.")])
    refusal_to_form(form, exc, besides_own=True)
    assert form.errors["town"] == ["Onbekend."]
    assert "Verplicht." not in form.errors["name"] and len(form.errors["name"]) == 1
    assert form.non_field_errors() == []
    # Without it, every message is shown: at its field or on the form as a whole.
    form = NameForm({"name": "ok"})
    assert form.is_valid()
    refusal_to_form(form, exc)
    assert form.errors["name"] == ["Verplicht."] and form.errors["town"] == ["Onbekend."]
    assert form.non_field_errors() == ["Ergens anders.", "Het geheel."]


def test_submit_shows_a_refusal_on_the_form_and_lets_a_validation_error_through():
    def refuse(data):
        raise Refusal("town_closed", "Deze plaats is dicht.", status=409, field="town")

    form = NameForm({"name": "Ada", "town": "X"})
    assert submit(request_for("post", {"name": "Ada"}), form, refuse) is None
    assert form.errors == {"town": ["Deze plaats is dicht."]}
    form = NameForm({"name": "Ada", "town": "X"})
    assert submit(request_for("post", {"name": "Ada"}), form, lambda data: data["name"]) == "Ada"

    def escape(data):
        raise ValidationError("Ongeldig.", code="invalid")

    # Not a refusal: a bug at its source, never shown as if it were one.
    with pytest.raises(ValidationError):
        submit(request_for("post", {"name": "Ada"}), NameForm({"name": "Ada"}), escape)
