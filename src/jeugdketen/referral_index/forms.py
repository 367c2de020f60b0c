"""Forms of the reference-index pages (parsing only; the actions check the rules)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jeugdketen.ui.forms import UtrechtForm

DURATIONS = [
    (730, _("2 jaar (het maximum)")),
    (365, _("1 jaar")),
    (182, _("6 maanden")),
    (91, _("3 maanden")),
]


class SignalForm(UtrechtForm):
    person = forms.ChoiceField(
        label=_("Jongere"), widget=forms.RadioSelect,
        help_text=_("Zoek op naam, BSN of geboortedatum. U vindt alleen jongeren die u zelf "
                    "hebt vastgelegd. Staat de jongere er niet bij? Leg hem of haar eerst vast."),
        error_messages={"required": _("Kies een jongere."),
                        "invalid_choice": _("Kies een jongere uit de lijst.")})
    duration_days = forms.TypedChoiceField(
        label=_("Hoe lang blijft het signaal staan?"), choices=DURATIONS, coerce=int,
        initial=730, widget=forms.RadioSelect)
    contact_phone = forms.CharField(label=_("Uw telefoonnummer"), max_length=20)
    contact_email = forms.EmailField(label=_("Uw e-mailadres"))

    def __init__(self, *args: Any, persons: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = persons


class WithdrawForm(UtrechtForm):
    reason = forms.ChoiceField(label=_("Waarom trekt u het signaal in?"), widget=forms.RadioSelect,
                               choices=[("risk_gone", _("Het risico is weg")),
                                        ("unjustified", _("Het signaal was niet terecht"))])


class ExtendForm(UtrechtForm):
    duration_days = forms.TypedChoiceField(label=_("Nieuwe looptijd vanaf de meldingsdatum"),
                                           choices=DURATIONS, coerce=int)


class ProposeForm(UtrechtForm):
    professional_id = forms.TypedChoiceField(label=_("Wie voert de regie?"), coerce=int)

    def __init__(self, *args: Any, candidates: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["professional_id"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = candidates


class LookupForm(UtrechtForm):
    bsn = forms.CharField(label=_("BSN van de jongere"), max_length=11)

    def clean_bsn(self) -> str:
        from jeugdketen.registry.forms import clean_bsn

        return clean_bsn(self.cleaned_data["bsn"])


class RightsRequestForm(UtrechtForm):
    kind = forms.ChoiceField(label=_("Soort verzoek"), choices=[
        ("inspection", _("Inzage")), ("correction", _("Correctie")), ("copy", _("Kopie")),
        ("objection", _("Bezwaar"))])
    requested_by = forms.CharField(label=_("Aangevraagd door"), max_length=200,
                                   help_text=_("Bijvoorbeeld: de jongere, de moeder, beide ouders."))
    received_on = forms.DateField(label=_("Ontvangen op"),
                                  widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


class AnswerForm(UtrechtForm):
    granted = forms.TypedChoiceField(label=_("Besluit"), widget=forms.RadioSelect,
                                     coerce=lambda v: v == "yes",
                                     choices=[("yes", _("Toegewezen")), ("no", _("Afgewezen"))])
    outcome = forms.CharField(label=_("Uitkomst en uitleg"), widget=forms.Textarea(attrs={"rows": 3}))
