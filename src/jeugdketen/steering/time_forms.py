"""The forms of time and satisfaction: they parse what was typed; steering.time_actions
checks the rules (hours 0..80, at most 80 together; scores 1..5 and 0..10) and the policy."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jeugdketen.steering import survey
from jeugdketen.ui.forms import UtrechtForm

WHOLE_HOURS = {"invalid": _("Vul een heel aantal uren in."),
               "required": _("Vul een aantal uren in (0 mag).")}


class TimeForm(UtrechtForm):
    help_hours = forms.IntegerField(
        label=_("Uren voor gezinnen"),
        help_text=_("Contact met gezinnen, reizen, en overleg met anderen over een gezin."),
        error_messages=WHOLE_HOURS, widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    accountability_hours = forms.IntegerField(
        label=_("Uren voor verantwoording"),
        help_text=_("Registratie, rapportages, facturen en andere verantwoording."),
        error_messages=WHOLE_HOURS, widget=forms.NumberInput(attrs={"inputmode": "numeric"}))


class SurveyForm(UtrechtForm):
    """One radio group per statement and one for the overall score."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for item in survey.ITEMS:
            self.fields[item.key] = forms.TypedChoiceField(
                label=str(item.text), choices=survey.AGREE_CHOICES, coerce=int,
                widget=forms.RadioSelect, error_messages={
                    "required": _("Kies een antwoord bij deze stelling.")})
        self.fields["overall"] = forms.TypedChoiceField(
            label=str(survey.OVERALL_TEXT), coerce=int, widget=forms.RadioSelect,
            choices=[(n, str(n)) for n in range(survey.OVERALL_MIN, survey.OVERALL_MAX + 1)],
            error_messages={"required": _("Kies een cijfer van 0 tot en met 10.")})
        from jeugdketen.ui.forms import style_widgets

        style_widgets(self)

    def scores(self) -> dict[str, int]:
        return {i.key: self.cleaned_data[i.key] for i in survey.ITEMS}

    def scales(self) -> list[tuple[Any, list[Any]]]:
        """The bound fields per scale, in order, for the page."""
        return [(label, [self[i.key] for i in survey.ITEMS if i.scale == scale])
                for scale, label in survey.SCALES.items()]


class CloseSurveyForm(UtrechtForm):
    year = forms.IntegerField(widget=forms.HiddenInput, error_messages={
        "invalid": _("Kies een jaar."), "required": _("Kies een jaar.")})


class TeamAreasForm(UtrechtForm):
    team = forms.TypedChoiceField(label=_("Team"), coerce=int, error_messages={
        "invalid_choice": _("Kies een team uit de lijst."), "required": _("Kies een team.")})
    neighbourhoods = forms.MultipleChoiceField(
        label=_("Buurten waar het team werkt"), required=False,
        widget=forms.CheckboxSelectMultiple, error_messages={
            "invalid_choice": _("Kies buurten uit de lijst.")})

    def __init__(self, *args: Any, teams: list[tuple[int, str]],
                 hoods: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        team = self.fields["team"]
        assert isinstance(team, forms.TypedChoiceField)
        team.choices = teams
        places = self.fields["neighbourhoods"]
        assert isinstance(places, forms.MultipleChoiceField)
        places.choices = hoods
