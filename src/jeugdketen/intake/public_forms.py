"""Forms of the front door for people outside the professions: the public form at /melden
(no login) and the family's own report in their view. They only parse what was typed;
the actions (intake.actions.public.report_public, intake.actions.reports.report) check
the rules and ask the access policy, and their refusals land on the field they name."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jeugdketen.intake.models import Urgency
from jeugdketen.registry import validators
from jeugdketen.registry.models import Municipality, Neighbourhood
from jeugdketen.registry.selectors import neighbourhood_for
from jeugdketen.ui.forms import DATE_FORMATS, DATE_INVALID, DateInput, UtrechtForm

MAX_QUESTION = 4000
HOUSEHOLD = "huishouden:"  # the family form's value for a whole household
MAX_RESULT = 2000

# Urgency said plainly, for someone who has never heard of a triage norm.
URGENCY_WORDS = {
    Urgency.CRISIS: _("Vandaag: het kan niet wachten"),
    Urgency.URGENT: _("Binnen een paar dagen"),
    Urgency.REGULAR: _("Het kan een paar weken wachten"),
}

# Refusals of the actions name the fields of the API; the forms here use the same names,
# except where the form asks differently.
FIELD_OF_REFUSAL = {
    "municipality_code": "municipality",
    "person_id": "person",
    "household_id": "person",
}


def life_domain_choices() -> list[tuple[str, Any]]:
    """The life domains of the analysis, as the actions check them."""
    from jeugdketen.analysis.domains import ALL_DOMAINS

    return list(ALL_DOMAINS.items())


def municipality_from_address(postcode: str, house_number: int | None) -> str | None:
    """The municipality of a postcode and house number, from CBS's postcode table (the
    registry's); None when the table does not know the address."""
    code, _unknown = neighbourhood_for(postcode, house_number)
    if code is None:
        return None
    return (Neighbourhood.objects.filter(pk=code)
            .values_list("district__municipality_id", flat=True).first())


def _checkboxes() -> forms.CheckboxSelectMultiple:
    return forms.CheckboxSelectMultiple(attrs={
        "class": "utrecht-checkbox utrecht-checkbox--html-input utrecht-form-field__input"})


class ReportFields(UtrechtForm):
    """What every report asks: the question in one's own words, the life domains, the
    urgency, unsafety, the result wanted and how to be contacted."""

    question = forms.CharField(
        label=_("Wat is er aan de hand? Vertel het in uw eigen woorden."),
        max_length=MAX_QUESTION,
        help_text=_("Schrijf wat u ziet of meemaakt en waar u zich zorgen over maakt. "
                    "Hoogstens 4000 tekens."),
        error_messages={"required": _("Schrijf wat er aan de hand is."),
                        "max_length": _("Uw tekst is te lang: hoogstens %(limit_value)d tekens. "
                                        "U heeft nu %(show_value)d tekens.")},
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    life_domains = forms.MultipleChoiceField(
        label=_("Waar gaat het over?"),
        help_text=_("Kies een of meer onderwerpen die passen."),
        error_messages={"required": _("Kies minstens één onderwerp."),
                        "invalid_choice": _("Kies uit de onderwerpen in de lijst.")},
        widget=_checkboxes(),
    )
    urgency = forms.ChoiceField(
        label=_("Hoe snel is hulp nodig?"),
        choices=list(URGENCY_WORDS.items()),
        error_messages={"required": _("Kies hoe snel hulp nodig is."),
                        "invalid_choice": _("Kies hoe snel hulp nodig is.")},
        widget=forms.RadioSelect,
    )
    unsafe = forms.BooleanField(
        label=_("Het is thuis niet veilig: er is geweld, mishandeling of verwaarlozing, nu of "
                "al langer."),
        required=False,
    )
    desired_result = forms.CharField(
        label=_("Wat zou er beter moeten gaan?"),
        required=False,
        max_length=MAX_RESULT,
        help_text=_("Wat wil het gezin bereiken? Bijvoorbeeld: weer elke dag naar school."),
        error_messages={"max_length": _("Uw tekst is te lang: hoogstens %(limit_value)d tekens. "
                                        "U heeft nu %(show_value)d tekens.")},
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    contact_phone = forms.CharField(
        label=_("Uw telefoonnummer"), required=False, max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        error_messages={"max_length": _("Een telefoonnummer is hoogstens 20 tekens.")},
    )
    contact_email = forms.EmailField(
        label=_("Uw e-mailadres"), required=False, max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("Vul een e-mailadres in zoals naam@voorbeeld.nl.")},
    )

    ORDER: tuple[str, ...] = ()  # the order of the fields (and of the error summary)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.order_fields(self.ORDER)
        self.fields["life_domains"].choices = life_domain_choices()  # type: ignore[attr-defined]


class PublicReportForm(ReportFields):
    """The public form: about whom (as the reporter knows them), where they live, and who
    reports. The front-door team finds the child in the BRP afterwards."""

    ORDER = ("given_name", "family_name", "birth_date", "postcode", "house_number",
             "municipality", "question", "life_domains", "urgency", "unsafe", "desired_result",
             "reporter_name", "reporter_relation", "contact_phone", "contact_email")

    given_name = forms.CharField(
        label=_("Voornaam van het kind of de jongere"), max_length=100,
        error_messages={"required": _("Vul de voornaam in."),
                        "max_length": _("Een voornaam is hoogstens 100 tekens.")},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    family_name = forms.CharField(
        label=_("Achternaam"), max_length=100,
        error_messages={"required": _("Vul de achternaam in."),
                        "max_length": _("Een achternaam is hoogstens 100 tekens.")},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    birth_date = forms.DateField(
        label=_("Geboortedatum"), required=False, input_formats=DATE_FORMATS,
        help_text=_("Als u die weet."),
        error_messages={"invalid": DATE_INVALID},
        widget=DateInput(attrs={"autocomplete": "off"}),
    )
    postcode = forms.CharField(
        label=_("Postcode"), required=False, max_length=7,
        help_text=_("Van het adres waar het kind woont, bijvoorbeeld 9999 AB."),
        widget=forms.TextInput(attrs={"autocomplete": "off",
                                      "class": "utrecht-textbox--postal-code-nl-size"}),
    )
    house_number = forms.CharField(
        label=_("Huisnummer"), required=False, max_length=10,
        help_text=_("Bijvoorbeeld 12, 70A of 12-2."),
        widget=forms.TextInput(attrs={"autocomplete": "off",
                                      "class": "utrecht-textbox--house-number-size"}),
    )
    municipality = forms.ChoiceField(
        label=_("Gemeente"), required=False,
        help_text=_("Waar woont het kind? Kent het platform de postcode en het huisnummer, "
                    "dan mag u dit leeg laten."),
        error_messages={"invalid_choice": _("Kies een gemeente uit de lijst.")},
        widget=forms.Select,
    )
    reporter_name = forms.CharField(
        label=_("Uw naam"), required=False, max_length=200,
        error_messages={"max_length": _("Een naam is hoogstens 200 tekens.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    reporter_relation = forms.CharField(
        label=_("Wie bent u voor het kind?"), required=False, max_length=100,
        help_text=_("Bijvoorbeeld buurvrouw, opa, trainer of de jongere zelf."),
        error_messages={"max_length": _("Dit is hoogstens 100 tekens.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        active = Municipality.objects.exclude(ended_on__lte=today).order_by("name")
        self.fields["municipality"].choices = [  # type: ignore[attr-defined]
            ("", _("Kies een gemeente")), *active.values_list("code", "name")]
        self.fields["contact_phone"].help_text = _(
            "Vul een telefoonnummer of een e-mailadres in (of allebei). Zo kan het team van "
            "de gemeente u bereiken als het een vraag heeft.")

    def clean_birth_date(self) -> Any:
        value = self.cleaned_data.get("birth_date")
        if value is not None and value > timezone.localdate():
            raise ValidationError(_("Een geboortedatum ligt niet in de toekomst."))
        return value

    def clean_postcode(self) -> str:
        value = (self.cleaned_data.get("postcode") or "").strip()
        return validators.normalise_postcode(value) if value else ""

    def clean_house_number(self) -> str:
        value = (self.cleaned_data.get("house_number") or "").strip()
        if value:
            validators.split_house_number(value)  # says what is wrong
        return " ".join(value.split())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        postcode, house = data.get("postcode"), data.get("house_number")
        if postcode and "house_number" in data and not house:
            self.add_error("house_number", _("Vul bij de postcode ook het huisnummer in."))
        if house and "postcode" in data and not postcode:
            self.add_error("postcode", _("Vul bij het huisnummer ook de postcode in."))
        if (not data.get("contact_phone") and not data.get("contact_email")
                and "contact_phone" not in self.errors and "contact_email" not in self.errors):
            self.add_error("contact_phone", _(
                "Vul een telefoonnummer of e-mailadres in, zodat het team u kan bereiken."))
        if not data.get("municipality") and "municipality" not in self.errors:
            found = None
            if postcode and house:
                number, _letter, _addition = validators.split_house_number(house)
                found = municipality_from_address(postcode, number)
            if found:
                data["municipality"] = found
            else:
                self.add_error("municipality", _(
                    "Kies de gemeente waar het kind woont. Het platform kent deze postcode "
                    "en dit huisnummer niet.") if postcode and house else _(
                    "Kies de gemeente waar het kind woont, of vul de postcode en het "
                    "huisnummer in."))
        return data


class FamilyReportForm(ReportFields):
    """A report by the family itself: about whom of those the family member may report
    about (themselves from 16, a child they hold custody of), offered by the page."""

    ORDER = ("person", "question", "life_domains", "urgency", "unsafe", "desired_result",
             "consent_to_share", "contact_phone", "contact_email")

    person = forms.CharField(
        label=_("Over wie gaat uw melding?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies over wie uw melding gaat.")},
    )
    consent_to_share = forms.BooleanField(
        label=_("Het team van de gemeente mag mijn melding delen met de hulpverleners die "
                "bij het eerste gesprek komen."),
        required=False,
        help_text=_("U kunt dit later altijd nog veranderen in het gesprek."),
    )

    def __init__(self, *args: Any, persons: list[tuple[str, str]] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].widget.choices = persons or []
        self.fields["contact_phone"].help_text = _(
            "Zo kan het team van de gemeente u bellen om een afspraak te maken.")

    def clean_person(self) -> str:
        """A person's id, or HOUSEHOLD and a household's id: one of those offered."""
        value = (self.cleaned_data.get("person") or "").strip()
        offered = {key for key, _label in self.fields["person"].widget.choices}
        kind, bare = ((HOUSEHOLD, value.removeprefix(HOUSEHOLD))
                      if value.startswith(HOUSEHOLD) else ("", value))
        try:
            value = kind + str(uuid.UUID(bare))
        except ValueError:
            raise ValidationError(_("Kies iemand uit de lijst.")) from None
        if value not in offered:
            raise ValidationError(_("Kies iemand uit de lijst."))
        return value
