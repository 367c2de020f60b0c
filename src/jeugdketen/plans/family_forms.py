"""Forms of the family's own view. They only parse what the family member typed; the
actions (plans.actions, access.actions) check the rules and ask the access policy."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jeugdketen.access.models import DataCategory
from jeugdketen.ui.forms import DATE_FORMATS, DATE_INVALID, DateInput, UtrechtForm

MAX_COMMENT = 2000

# The data categories of a consent, said plainly.
CATEGORY_LABELS = {
    DataCategory.BASE_DATA: _("Basisgegevens: naam, geboortedatum en adres"),
    DataCategory.ANALYSIS: _("Analyse: hoe het gaat op de verschillende levensgebieden"),
    DataCategory.PLAN: _("Plan: het gezinsplan met de doelen en afspraken"),
    DataCategory.EVALUATIONS: _("Evaluaties: hoe het met de doelen gaat"),
}

# Refusals of the actions name the field of the API; the forms here have their own names.
FIELD_OF_REFUSAL = {
    "number": "",  # the version: not latest, or approved already (the form as a whole)
    "text": "text",
    "given_by_person_ids": "person",
    "person_id": "person",
    "organisation_id": "organisation",
    "categories": "categories",
    "valid_until": "valid_until",
}


class ApproveForm(UtrechtForm):
    number = forms.IntegerField(label=_("Versie"), widget=forms.HiddenInput, min_value=1,
                                error_messages={"required": _("Er is geen versie gekozen."),
                                                "invalid": _("Er is geen versie gekozen."),
                                                "min_value": _("Er is geen versie gekozen.")})
    agree = forms.BooleanField(
        label=_("Ik heb deze versie van het plan gelezen en ik ga ermee akkoord."),
        error_messages={"required": _("Zet een vinkje als u akkoord gaat met het plan.")},
    )


class CommentForm(UtrechtForm):
    text = forms.CharField(
        label=_("Uw reactie"),
        max_length=MAX_COMMENT,
        help_text=_("Uw regisseur en het team lezen uw reactie. Hoogstens 2000 tekens."),
        error_messages={
            "required": _("Schrijf eerst uw reactie."),
            "max_length": _("Uw reactie is te lang: hoogstens %(limit_value)d tekens. "
                            "U heeft nu %(show_value)d tekens."),
        },
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ConsentForm(UtrechtForm):
    """Consent for one organisation. The lists offer the members the family member may give
    consent for alone and the organisations of the plan's municipality (`offer`). Whether
    this family member may give consent for the person chosen is the action's decision
    (the access policy and the rule of who gives consent), so its message is the rule's."""

    person = forms.CharField(
        label=_("Voor wie geeft u toestemming?"),
        widget=forms.Select,
        error_messages={"required": _("Kies voor wie u toestemming geeft.")},
    )
    organisation = forms.IntegerField(
        label=_("Welke organisatie mag de gegevens zien?"),
        widget=forms.Select,
        error_messages={"required": _("Kies een organisatie."),
                        "invalid": _("Kies een organisatie uit de lijst.")},
    )
    categories = forms.MultipleChoiceField(
        label=_("Welke gegevens mag de organisatie zien?"),
        choices=list(CATEGORY_LABELS.items()),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Kies welke gegevens de organisatie mag zien."),
                        "invalid_choice": _("Kies uit de gegevens in de lijst.")},
    )
    valid_until = forms.DateField(
        label=_("Tot wanneer?"),
        required=False,
        input_formats=DATE_FORMATS,
        help_text=_("Laat dit leeg als de toestemming geldt tot u haar intrekt. U kunt "
                    "toestemming altijd intrekken."),
        error_messages={"invalid": DATE_INVALID},
        widget=DateInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["categories"].widget.attrs["class"] = (
            "utrecht-checkbox utrecht-checkbox--html-input utrecht-form-field__input")

    def offer(self, persons: list[tuple[str, str]], organisations: list[tuple[int, str]]) -> None:
        self.fields["person"].widget.choices = [("", _("Kies een gezinslid")), *persons]
        self.fields["organisation"].widget.choices = [("", _("Kies een organisatie")),
                                                      *organisations]

    def clean_person(self) -> str:
        value = self.cleaned_data["person"].strip()
        try:
            return str(uuid.UUID(value))
        except ValueError:
            raise forms.ValidationError(_("Kies iemand uit de lijst.")) from None
