"""The base form of the web UI and the forms every part shares. They parse what the user typed; the actions check the rules and
the policy. Every widget gets its NL Design System (Utrecht) classes here."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

WIDGET_CLASSES: list[tuple[type[forms.Widget], str]] = [
    (forms.RadioSelect, "utrecht-radio-button utrecht-radio-button--html-input utrecht-form-field__input"),
    (forms.CheckboxInput, "utrecht-checkbox utrecht-checkbox--html-input utrecht-checkbox--custom utrecht-form-field__input"),
    (forms.Textarea, "utrecht-textarea utrecht-textarea--html-textarea"),
    (forms.Select, "utrecht-select utrecht-select--html-select"),
    (forms.widgets.Input, "utrecht-textbox utrecht-textbox--html-input"),
]


class UtrechtForm(forms.Form):
    """Adds the Utrecht component classes to each widget. No HTML `required`: the
    browser would mark untouched fields as invalid (red) and show its own messages;
    the server checks, and the labels say which fields are optional."""

    use_required_attribute = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self)


def style_widgets(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        for widget_type, classes in WIDGET_CLASSES:
            if isinstance(field.widget, widget_type):
                existing = field.widget.attrs.get("class", "")
                field.widget.attrs["class"] = f"{classes} {existing}".strip()
                break


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"]
DATE_INVALID = _("Vul een datum in als dag-maand-jaar, bijvoorbeeld 17-03-2015.")


class LoginForm(AuthenticationForm):
    use_required_attribute = False
    error_messages = {
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


class PeriodForm(UtrechtForm):
    start = forms.DateField(label=_("Van"), required=False, input_formats=DATE_FORMATS,
                            error_messages={"invalid": DATE_INVALID}, widget=DateInput())
    end = forms.DateField(label=_("Tot en met"), required=False, input_formats=DATE_FORMATS,
                          error_messages={"invalid": DATE_INVALID}, widget=DateInput())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start: date | None = data.get("start")
        end: date | None = data.get("end")
        if start and end and end < start:
            self.add_error("end", _("De einddatum ligt voor de begindatum."))
        return data


class ReviewForm(UtrechtForm):
    justified = forms.TypedChoiceField(
        label=_("Was de noodtoegang terecht?"),
        choices=[("ja", _("Ja, terecht")), ("nee", _("Nee, niet terecht"))],
        coerce=lambda v: v == "ja",
        error_messages={"required": _("Kies ja of nee.")},
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Toelichting"), required=False, max_length=2000,
        help_text=_("Bijvoorbeeld: besproken met de medewerker."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, record_id: int | str = "", **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"id_r{record_id}_%s")
        super().__init__(*args, **kwargs)
