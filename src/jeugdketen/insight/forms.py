"""The insight pages' forms: the scope (area and period) and the publication settings.
They parse what the user typed; insight.actions checks the rules and the policy."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jeugdketen.insight.selectors import Area
from jeugdketen.ui.forms import DATE_FORMATS, DATE_INVALID, DateInput, UtrechtForm

LEVEL_PREFIX = {"municipality": "", "district": "", "neighbourhood": "– "}


class ScopeForm(UtrechtForm):
    """Which area (of the own municipality) and which period (GET names gebied, van, tot;
    an empty date: the default period's)."""

    gebied = forms.ChoiceField(label=_("Gebied"), error_messages={
        "invalid_choice": _("Kies een gebied uit de lijst.")})
    van = forms.DateField(label=_("Van"), input_formats=DATE_FORMATS, required=False,
                          error_messages={"invalid": DATE_INVALID}, widget=DateInput())
    tot = forms.DateField(label=_("Tot en met"), input_formats=DATE_FORMATS, required=False,
                          error_messages={"invalid": DATE_INVALID}, widget=DateInput())

    def __init__(self, *args: Any, areas: list[Area], **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["gebied"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(a.code, LEVEL_PREFIX[a.level] + a.name) for a in areas]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start: date | None = data.get("van")
        end: date | None = data.get("tot")
        if start and end and end < start:
            self.add_error("tot", _("De einddatum ligt voor de begindatum."))
        return data

    @staticmethod
    def error_field(name: str) -> str:
        """An action's field as this form names it."""
        return {"area": "gebied", "from": "van", "to": "tot"}.get(name, name)


class PublicationForm(UtrechtForm):
    """The numbers as typed; insight.actions.set_publication checks their ranges (10 to
    100, 90 to 730) and refuses naming the field."""

    threshold = forms.IntegerField(
        label=_("Kleinste aantal dat getoond wordt"),
        help_text=_("Een aantal kleiner dan dit wordt nooit getoond, ook niet in de API of "
                    "een grafiek. Van 10 tot en met 100."))
    follow_up_days = forms.IntegerField(
        label=_("Nazorgperiode in dagen"),
        help_text=_("Hulp die helpt: zo lang na het afsluiten komt er geen nieuwe melding of "
                    "plan voor het huishouden. Van 90 tot en met 730 dagen."))
