"""The forms of the login: password, the authenticator app's code, the activation code."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from jeugdketen.ui.forms import UtrechtForm, style_widgets


class LoginForm(AuthenticationForm):
    use_required_attribute = False
    error_messages = {  # noqa: RUF012 - Django's attribute, never mutated
        "invalid_login": _(
            "De gebruikersnaam of het wachtwoord klopt niet. Let op hoofdletters en kleine "
            "letters. Na een paar foute pogingen moet u even wachten, en na elke volgende "
            "foute poging langer."
        ),
        "inactive": _("Dit account is niet actief. Neem contact op met uw beheerder."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Gebruikersnaam")
        self.fields["password"].label = _("Wachtwoord")
        self.fields["username"].error_messages["required"] = _("Vul uw gebruikersnaam in.")
        self.fields["password"].error_messages["required"] = _("Vul uw wachtwoord in.")
        self.fields["username"].widget.attrs.update(
            {"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"})
        self.fields["password"].widget.attrs["autocomplete"] = "current-password"
        self.fields["username"].widget.attrs.pop("autofocus", None)
        style_widgets(self)


class CodeForm(UtrechtForm):
    code = forms.RegexField(
        label=_("Code van 6 cijfers"),
        regex=r"^\s*\d{3}\s?\d{3}\s*$",
        max_length=8,
        help_text=_("De code in de app verandert elke 30 seconden."),
        error_messages={
            "required": _("Vul de code van 6 cijfers in."),
            "invalid": _("Een code bestaat uit 6 cijfers."),
        },
        widget=forms.TextInput(attrs={
            "inputmode": "numeric", "autocomplete": "one-time-code", "size": "8",
            "class": "jk-input-code",
        }),
    )

    def clean_code(self) -> str:
        return "".join(self.cleaned_data["code"].split())


class ActivationForm(UtrechtForm):
    activation_code = forms.CharField(
        label=_("Activeringscode"),
        max_length=40,
        help_text=_("16 letters en cijfers, bijvoorbeeld ABCD-EFGH-JKMN-PQRS. De streepjes "
                    "mag u weglaten."),
        error_messages={"required": _("Vul de activeringscode in.")},
        widget=forms.TextInput(attrs={
            "autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false",
            "class": "jk-input-activation",
        }),
    )

    def clean_activation_code(self) -> str:
        from jeugdketen.access.actions import normalise_activation_code

        code = normalise_activation_code(self.cleaned_data["activation_code"])
        if not code:
            raise forms.ValidationError(
                _("Een activeringscode bestaat uit 16 letters en cijfers. Typ de code "
                  "over zoals u die van uw beheerder kreeg."), code="activation_format")
        return code
