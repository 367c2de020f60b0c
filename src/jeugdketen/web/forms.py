"""Forms of the web UI. They parse what the user typed; the actions check the rules and
the policy. Every widget gets its NL Design System (Utrecht) classes here."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jeugdketen.access.policy import MIN_EMERGENCY_REASON
from jeugdketen.core.vocabulary import Relation, Sex
from jeugdketen.registry import validators

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


def clean_bsn(value: str) -> str:
    """The eleven test and the leading zero, with the registry's own messages."""
    try:
        return validators.normalise_bsn(value)
    except forms.ValidationError as exc:
        raise forms.ValidationError(exc.messages[0], code=exc.code) from None


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


class PersonForm(UtrechtForm):
    bsn = forms.CharField(
        label=_("BSN (burgerservicenummer)"),
        required=False,
        max_length=12,
        help_text=_(
            "Heeft het kind of de jongere (nog) geen BSN, bijvoorbeeld na een "
            "recente verhuizing uit het buitenland? Laat dit veld dan leeg. Het platform "
            "maakt dan zelf een nummer aan."
        ),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off",
                                      "class": "jk-input-bsn"}),
    )
    given_names = forms.CharField(
        label=_("Voornamen"), max_length=200,
        help_text=_("Alle voornamen, zoals in het paspoort."),
        error_messages={"required": _("Vul de voornamen in.")},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    family_name = forms.CharField(
        label=_("Achternaam"), max_length=200,
        help_text=_("Met tussenvoegsel, bijvoorbeeld: de Vries."),
        error_messages={"required": _("Vul de achternaam in.")},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    birth_date = forms.DateField(
        label=_("Geboortedatum"), input_formats=DATE_FORMATS,
        error_messages={"required": _("Vul de geboortedatum in."), "invalid": DATE_INVALID},
        widget=DateInput(attrs={"autocomplete": "off"}),
    )
    sex = forms.ChoiceField(
        label=_("Geslacht"),
        choices=Sex.choices,
        help_text=_("Zoals in de Basisregistratie Personen (BRP)."),
        error_messages={"required": _("Kies een geslacht.")},
        widget=forms.RadioSelect,
    )
    postcode = forms.CharField(
        label=_("Postcode"), required=False, max_length=7,
        help_text=_("Bijvoorbeeld 9999 AB."),
        widget=forms.TextInput(attrs={"autocomplete": "off",
                                      "class": "utrecht-textbox--postal-code-nl-size"}),
    )
    house_number = forms.CharField(
        label=_("Huisnummer"), required=False, max_length=20,
        help_text=_("Met een letter of toevoeging als die er is, bijvoorbeeld 12, 70A of 12-2. "
                    "U mag de letter en de toevoeging ook hieronder apart invullen."),
        widget=forms.TextInput(attrs={"autocomplete": "off",
                                      "class": "utrecht-textbox--house-number-size"}),
    )
    house_letter = forms.CharField(
        label=_("Huisletter"), required=False, max_length=1,
        help_text=_("Bijvoorbeeld de A van 70A."),
        widget=forms.TextInput(attrs={"autocomplete": "off",
                                      "class": "utrecht-textbox--house-number-size"}),
    )
    house_number_addition = forms.CharField(
        label=_("Toevoeging"), required=False, max_length=4,
        help_text=_("Bijvoorbeeld de 2 van 12-2."),
        widget=forms.TextInput(attrs={"autocomplete": "off",
                                      "class": "utrecht-textbox--house-number-size"}),
    )


    def clean_house_number(self) -> int | None:
        """70A and 12-2 typed in one field: the number here, the letter and the addition
        go to their own fields in clean() (as the BRP keeps them)."""
        try:
            number, letter, addition = validators.split_house_number(
                self.cleaned_data.get("house_number") or "")
        except forms.ValidationError as exc:
            raise forms.ValidationError(exc.messages[0], code=exc.code) from None
        self._typed_house_parts = (letter, addition)
        return number

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        letter, addition = getattr(self, "_typed_house_parts", ("", ""))
        for name, typed in (("house_letter", letter), ("house_number_addition", addition)):
            if not typed:
                continue
            apart = (data.get(name) or "").strip()
            if apart and apart.upper() != typed.upper():
                self.add_error(name, gettext(
                    "Dit verschilt van wat bij het huisnummer staat (%(typed)s). Vul het op "
                    "één plek in.") % {"typed": typed})
            elif name in data or name not in self.errors:
                data[name] = typed
        return data


class EmergencyForm(UtrechtForm):
    bsn = forms.CharField(
        label=_("BSN van de persoon"), max_length=12,
        error_messages={"required": _("Vul het BSN in.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off",
                                      "class": "jk-input-bsn"}),
    )
    reason = forms.CharField(
        label=_("Reden voor noodtoegang"),
        min_length=MIN_EMERGENCY_REASON,
        max_length=2000,
        error_messages={
            "required": _("Schrijf de reden op. Zonder reden geeft het platform geen "
                          "noodtoegang."),
            "min_length": _("Schrijf een reden van ten minste %(limit_value)d tekens. "
                            "U heeft nu %(show_value)d tekens."),
        },
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].help_text = gettext(
            "Schrijf op waarom u deze gegevens nu nodig heeft en waarom het niet kan wachten. "
            "Ten minste %(min)d tekens. De privacyfunctionaris leest deze reden."
        ) % {"min": MIN_EMERGENCY_REASON}

    def clean_bsn(self) -> str:
        return clean_bsn(self.cleaned_data["bsn"])

    def clean_reason(self) -> str:
        return self.cleaned_data["reason"].strip()


class BsnForm(UtrechtForm):
    bsn = forms.CharField(
        label=_("BSN van de persoon"), max_length=12,
        error_messages={"required": _("Vul het BSN in.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off",
                                      "class": "jk-input-bsn"}),
    )

    def clean_bsn(self) -> str:
        return clean_bsn(self.cleaned_data["bsn"])


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


RELATION_CHOICES = Relation.choices
