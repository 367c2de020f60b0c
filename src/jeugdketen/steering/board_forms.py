"""The board page's forms: the week, an improvement action, an action's status, the
minutes. They parse what the user typed; steering.board_actions checks the rules and the
policy and refuses naming the field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jeugdketen.insight import value_stream
from jeugdketen.registry.models import Organisation, Professional
from jeugdketen.steering.models import ActionStatus, Direction, ImprovementAction
from jeugdketen.ui.forms import UtrechtForm


class WeekForm(UtrechtForm):
    week = forms.ChoiceField(label=_("Week"), error_messages={
        "invalid_choice": _("Kies een week uit de lijst.")})

    def __init__(self, *args: Any, weeks: list[str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["week"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(w, w) for w in weeks]


class ActionForm(UtrechtForm):
    what = forms.CharField(label=_("Wat gaan we doen?"), max_length=500)
    step = forms.ChoiceField(label=_("Bij welke stap (knelpunt)?"), required=False)
    owner = forms.ChoiceField(label=_("Eigenaar"), help_text=_(
        "Een medewerker of een organisatie van de keten in deze gemeente."))
    start = forms.DateField(label=_("Start"), help_text=_("jjjj-mm-dd"))
    due = forms.DateField(label=_("Klaar op"), help_text=_("jjjj-mm-dd"))
    kpi = forms.ChoiceField(label=_("Welk cijfer moet bewegen?"))
    scenario = forms.ChoiceField(
        label=_("Verwacht effect volgens een scenario"), required=False,
        help_text=_("Een doorgerekend scenario van de simulatie: richting en getal komen dan "
                    "uit de uitkomst (alleen voor de tijd tot hulp). Kies geen scenario om "
                    "ze zelf in te vullen."),
        error_messages={"invalid_choice": _("Kies een doorgerekend scenario van deze "
                                            "gemeente.")})
    expected_direction = forms.ChoiceField(label=_("Richting"), choices=Direction.choices,
                                           required=False)
    expected_amount = forms.FloatField(label=_("Verwacht effect (getal)"), min_value=0,
                                       required=False)
    expected_text = forms.CharField(label=_("Toelichting op het verwachte effect"),
                                    max_length=500, required=False)

    def __init__(self, *args: Any, labels: dict[str, str], professionals: list[Professional],
                 organisations: list[Organisation],
                 scenarios: list[tuple[str, str]] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        kpi = self.fields["kpi"]
        step = self.fields["step"]
        owner = self.fields["owner"]
        scenario = self.fields["scenario"]
        assert isinstance(kpi, forms.ChoiceField) and isinstance(step, forms.ChoiceField)
        assert isinstance(owner, forms.ChoiceField)
        assert isinstance(scenario, forms.ChoiceField)
        scenario.choices = [("", _("Geen: ik vul het verwachte effect zelf in")),
                            *(scenarios or [])]
        kpi.choices = list(labels.items())
        step.choices = [("", _("Geen bepaalde stap")),
                        *((k, value_stream.STEP_LABELS[k]) for k in value_stream.STEPS)]
        owner.choices = [
            (_("Organisaties"), [(f"o{o.pk}", o.name) for o in organisations]),
            (_("Medewerkers"), [(f"p{p.pk}", f"{p.full_name} ({p.organisation.name})")
                                for p in professionals])]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("scenario"):  # typed: a direction and a number
            for name in ("expected_direction", "expected_amount"):
                if name not in self.errors and data.get(name) in (None, ""):
                    self.add_error(name, self.fields[name].error_messages["required"])
        return data

    @staticmethod
    def error_field(name: str) -> str:
        return {"owner_professional": "owner", "owner_organisation": "owner"}.get(name, name)

    def owner_ids(self) -> dict[str, Any]:
        value = str(self.cleaned_data.get("owner", ""))
        if value.startswith("p"):
            return {"owner_professional": value[1:]}
        return {"owner_organisation": value[1:]}


class StatusForm(UtrechtForm):
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)

    def __init__(self, *args: Any, action: ImprovementAction, **kwargs: Any):
        kwargs.setdefault("initial", {"status": action.status})
        kwargs.setdefault("prefix", f"actie-{action.pk}")
        super().__init__(*args, **kwargs)


class MinutesForm(UtrechtForm):
    held_on = forms.DateField(label=_("Datum van het overleg"), help_text=_("jjjj-mm-dd"))
    decisions = forms.CharField(label=_("Besluiten"), required=False, widget=forms.Textarea(
        attrs={"rows": 4}), help_text=_("Eén besluit per regel."))
    tasks = forms.CharField(label=_("Wie doet wat"), required=False, widget=forms.Textarea(
        attrs={"rows": 4}), help_text=_("Eén afspraak per regel."))
    actions = forms.MultipleChoiceField(label=_("Verbeteracties"), required=False,
                                        widget=forms.SelectMultiple(attrs={"size": 4}),
                                        help_text=_("Kies er geen, één of meer."))

    def __init__(self, *args: Any, actions: list[ImprovementAction], with_date: bool = True,
                 **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["actions"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(str(a.pk), a.what) for a in actions]
        if not with_date:
            del self.fields["held_on"]
