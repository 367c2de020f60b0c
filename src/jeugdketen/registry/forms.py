"""Forms of the registry's pages (persons, households, emergency access) and the BSN
field every part asks for. They parse what the user typed; the actions check the rules
and the policy."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jeugdketen.access.policy import MIN_EMERGENCY_REASON
from jeugdketen.core.vocabulary import Relation, Sex
from jeugdketen.registry import validators
from jeugdketen.ui.forms import DATE_FORMATS, DATE_INVALID, DateInput, UtrechtForm


def clean_bsn(value: str) -> str:
    """The eleven test and the leading zero, with the registry's own messages."""
    try:
        return validators.normalise_bsn(value)
    except forms.ValidationError as exc:
        raise forms.ValidationError(exc.messages[0], code=exc.code) from None


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
        reason: str = self.cleaned_data["reason"]
        return reason.strip()


class BsnForm(UtrechtForm):
    bsn = forms.CharField(
        label=_("BSN van de persoon"), max_length=12,
        error_messages={"required": _("Vul het BSN in.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off",
                                      "class": "jk-input-bsn"}),
    )

    def clean_bsn(self) -> str:
        return clean_bsn(self.cleaned_data["bsn"])


RELATION_CHOICES = Relation.choices
