"""The form of a new integral analysis of one member (on a page of its own, from the
family page): per life domain for their age two scores and two texts, for a child the
stress judgement."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jeugdketen.analysis.actions import ScoreInput, StressInput
from jeugdketen.analysis.domains import LEVELS, Stress
from jeugdketen.plans.forms import Choices, PlanForm, date_field, style_added_fields


def _domain_score_choices() -> Choices:
    return [("", _("Geen score"))] + [(level, f"{level}: {label}")
                                      for level, label in LEVELS.items()]


class AnalysisForm(PlanForm):
    """One member's analysis: per domain for their age the professional's and the
    family's score, strengths and concerns; for a child the stress judgement."""

    made_on = date_field(_("Datum van de analyse"))

    def __init__(self, *args: Any, domains: dict[str, Any], child: bool, key: str,
                 **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"an{key}")
        super().__init__(*args, **kwargs)
        self.domains = domains
        self.child = child
        score_choices = _domain_score_choices()
        for key in domains:
            self.fields[f"{key}__professional_score"] = forms.TypedChoiceField(
                label=_("Score van de professional"), required=False, coerce=int,
                empty_value=None, choices=score_choices)
            self.fields[f"{key}__family_score"] = forms.TypedChoiceField(
                label=_("Score van het gezin zelf"), required=False, coerce=int,
                empty_value=None, choices=score_choices)
            self.fields[f"{key}__strengths"] = forms.CharField(
                label=_("Wat gaat goed (krachten)"), required=False, max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}))
            self.fields[f"{key}__concerns"] = forms.CharField(
                label=_("Zorgen"), required=False, max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}))
        if child:
            self.fields["stress_level"] = forms.ChoiceField(
                label=_("Stress bij dit kind"), required=False,
                choices=[("", _("Niet beoordeeld")), *list(Stress.LABELS.items())])
            self.fields["stress_note"] = forms.CharField(
                label=_("Toelichting op de stress"), required=False, max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}))
        style_added_fields(self)

    def groups(self) -> list[dict[str, Any]]:
        """Per domain its label and its four fields, for a fieldset each."""
        return [{"key": key, "label": label,
                 "fields": [self[f"{key}__{part}"] for part in
                            ("professional_score", "family_score", "strengths", "concerns")]}
                for key, label in self.domains.items()]

    def score_inputs(self, person_id: Any) -> list[Any]:
        """One ScoreInput per domain, in the order of the domains (so an error at
        scores[i] names the i-th domain)."""
        data = self.cleaned_data
        return [ScoreInput(person_id=person_id, domain=key,
                           professional_score=data.get(f"{key}__professional_score"),
                           family_score=data.get(f"{key}__family_score"),
                           strengths=data.get(f"{key}__strengths", ""),
                           concerns=data.get(f"{key}__concerns", ""))
                for key in self.domains]

    def stress_inputs(self, person_id: Any) -> list[Any]:
        if not self.child or not self.cleaned_data.get("stress_level"):
            return []
        return [StressInput(person_id=person_id, level=self.cleaned_data["stress_level"],
                            note=self.cleaned_data.get("stress_note", ""))]

    def error_field(self, api_field: str) -> str | None:
        """The form field for an action's field name: scores[3].family_score -> the fourth
        domain's family score; stress[0].level -> stress_level."""
        match = re.fullmatch(r"scores\[(\d+)\]\.(\w+)", api_field)
        keys = list(self.domains)
        if match and int(match.group(1)) < len(keys):
            part = match.group(2)
            name = f"{keys[int(match.group(1))]}__{part}"
            if name in self.fields:
                return name
            return f"{keys[int(match.group(1))]}__professional_score"
        if api_field.startswith("stress[") and self.child:
            return "stress_note" if api_field.endswith(".note") else "stress_level"
        if api_field == "made_on":
            return "made_on"
        return None
