"""The insight pages' forms: the scope (area and period) and the publication settings.
They parse what the user typed; insight.actions checks the rules and the policy."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from jeugdketen.insight.selectors import Area
from jeugdketen.ui.forms import UtrechtForm

LEVEL_PREFIX = {"municipality": "", "district": "", "neighbourhood": "– "}


class ScopeForm(UtrechtForm):
    """Which area (of the own municipality) and which period: twelve whole months that
    have ended, named by their last day (GET names gebied, tot; decision 0011)."""

    gebied = forms.ChoiceField(label=_("Gebied"), error_messages={
        "invalid_choice": _("Kies een gebied uit de lijst.")})
    tot = forms.ChoiceField(
        label=_("Periode"), required=False,
        help_text=_("Altijd twaalf hele maanden, zodat cijfers van verschillende perioden "
                    "niet van elkaar af te trekken zijn tot één gezin."),
        error_messages={"invalid_choice": _("Kies een periode uit de lijst.")})

    def __init__(self, *args: Any, areas: list[Area], ends: list[date], **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["gebied"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(a.code, LEVEL_PREFIX[a.level] + a.name) for a in areas]
        period = self.fields["tot"]
        assert isinstance(period, forms.ChoiceField)
        period.choices = [(end.isoformat(), period_label(end)) for end in ends]

    @staticmethod
    def error_field(name: str) -> str:
        """An action's field as this form names it."""
        return {"area": "gebied", "from": "tot", "to": "tot"}.get(name, name)


def period_label(end: date) -> str:
    """'december 2025 tot en met november 2026' for the window ending on `end`."""
    from jeugdketen.insight.actions import window_start

    return _("%(first)s tot en met %(last)s") % {
        "first": date_format(window_start(end), "F Y"), "last": date_format(end, "F Y")}


class PublicationForm(UtrechtForm):
    """The numbers as typed; insight.actions.set_publication checks them (10 to 100 in
    tens; 90, 182, 365 or 730 days) and refuses naming the field."""

    threshold = forms.IntegerField(
        label=_("Kleinste aantal dat getoond wordt"),
        help_text=_("Een aantal kleiner dan dit wordt nooit getoond, ook niet in de API of "
                    "een grafiek. Van 10 tot en met 100, in stappen van 10."))
    # A number like the threshold, offered as the allowed choices; the action refuses any
    # other (a sweep day by day would pin a count: docs/insight.md).
    follow_up_days = forms.IntegerField(
        label=_("Nazorgperiode"), widget=forms.Select(choices=[
            (90, _("90 dagen (3 maanden)")), (182, _("182 dagen (6 maanden)")),
            (365, _("365 dagen (1 jaar)")), (730, _("730 dagen (2 jaar)"))]),
        help_text=_("Hulp die helpt: zo lang na het afsluiten komt er geen nieuwe melding of "
                    "plan voor het huishouden."))
