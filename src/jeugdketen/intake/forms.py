"""The forms of the front door's pages: a professional's care report, the triage, the
intake planning, the answer to an invitation and the meeting's outcome. They parse what the
user typed; the actions (intake.actions) check the rules and the policy, and their
refusals land on the field they name (ui.pages.submit with the field maps below)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jeugdketen.analysis.domains import ADULT_DOMAINS, ALL_DOMAINS, CHILD_DOMAINS
from jeugdketen.intake.models import OutcomeDecision, TriageDecision, Urgency
from jeugdketen.plans.forms import (
    CHECKBOX_CLASSES,
    LEVEL_FIELDS,
    LEVEL_LABELS,
    style_added_fields,
)
from jeugdketen.ui.forms import DATE_FORMATS, DATE_INVALID, DateInput, UtrechtForm

Choices = Sequence[tuple[Any, Any]]

# The life domains a reporter chooses from: the child's first, then the household's.
DOMAIN_CHOICES = [*CHILD_DOMAINS.items(), *ADULT_DOMAINS.items()]
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M"]
DATETIME_INVALID = _("Vul een datum en tijd in, bijvoorbeeld 17-03-2027 09:30.")
# The goals the outcome form offers at once (more can be added to the plan later).
GOAL_SLOTS = 3


def _checkboxes(form: forms.Form, name: str, choices: Choices) -> None:
    """A list of checkboxes (a fieldset with a legend, like radio buttons) with the
    checkbox classes of the NL Design System."""
    field = form.fields[name]
    assert isinstance(field, forms.MultipleChoiceField)
    field.choices = list(choices)
    field.widget.attrs["class"] = CHECKBOX_CLASSES


def _select(form: forms.Form, name: str, choices: Choices, blank: Any) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = [("", blank), *choices]


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


def _moment(label: Any) -> forms.DateTimeField:
    return forms.DateTimeField(label=label, input_formats=DATETIME_FORMATS,
                               widget=DateTimeInput(),
                               error_messages={"invalid": DATETIME_INVALID,
                                               "required": DATETIME_INVALID})


class ReportForm(UtrechtForm):
    question = forms.CharField(
        label=_("Wat is uw zorg of vraag?"), max_length=5000, widget=forms.Textarea(
            attrs={"rows": 5}),
        help_text=_("In uw eigen woorden: wat ziet of hoort u, en sinds wanneer?"),
        error_messages={"required": _("Beschrijf uw zorg of vraag.")})
    life_domains = forms.MultipleChoiceField(
        label=_("Welke leefgebieden gaat het om?"), widget=forms.CheckboxSelectMultiple,
        choices=DOMAIN_CHOICES,
        error_messages={"required": _("Kies een of meer leefgebieden.")})
    urgency = forms.ChoiceField(
        label=_("Hoe dringend is het?"), widget=forms.RadioSelect, choices=Urgency.choices,
        error_messages={"required": _("Kies hoe dringend het is.")})
    unsafe = forms.BooleanField(
        label=_("Er is acute of structurele onveiligheid"), required=False,
        help_text=_("Bijvoorbeeld huiselijk geweld of kindermishandeling."))
    desired_result = forms.CharField(
        label=_("Welk resultaat wil het gezin?"), max_length=5000, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Een resultaat, geen product: bijvoorbeeld 'Noor gaat weer graag naar "
                    "school'."))
    consent_to_share = forms.BooleanField(
        label=_("Het gezin weet van deze melding en vindt het goed dat het intaketeam "
                "haar leest"), required=False)
    contact_phone = forms.CharField(label=_("Uw telefoonnummer"), max_length=20,
                                    required=False)
    contact_email = forms.EmailField(
        label=_("Uw e-mailadres"), max_length=254, required=False,
        error_messages={"invalid": _("Geen geldig e-mailadres.")})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _checkboxes(self, "life_domains", DOMAIN_CHOICES)


def domain_labels(keys: Sequence[str]) -> list[str]:
    """The names of a report's life domains, in the order given."""
    return [str(ALL_DOMAINS[k]) for k in keys if k in ALL_DOMAINS]


def report_fields(name: str) -> str:
    """An action's field -> the report form's: a single life domain is the list."""
    return "life_domains" if name.startswith("life_domains") else name


class TriageForm(UtrechtForm):
    decision = forms.ChoiceField(
        label=_("Besluit"), widget=forms.RadioSelect, choices=TriageDecision.choices,
        error_messages={"required": _("Kies een besluit.")})
    urgency = forms.ChoiceField(label=_("Urgentie"), required=False)
    coordinator_id = forms.ChoiceField(
        label=_("Regisseur uit het wijkteam"), required=False,
        help_text=_("Alleen bij hulp door het wijkteam: het gezinsplan start met deze "
                    "regisseur."))
    consent_given_by = forms.MultipleChoiceField(
        label=_("Wie geeft toestemming voor het gezinsplan"), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Alleen bij hulp door het wijkteam."))

    def __init__(self, *args: Any, coordinators: Choices = (), members: Choices = (),
                 current_urgency: Any = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _select(self, "urgency", Urgency.choices,
                _("Niet wijzigen (%(current)s)") % {"current": current_urgency})
        _select(self, "coordinator_id", coordinators, _("Kies de regisseur"))
        _checkboxes(self, "consent_given_by", members)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == TriageDecision.NEIGHBOURHOOD_TEAM:
            if not data.get("coordinator_id"):
                self.add_error("coordinator_id", _("Kies de regisseur uit het wijkteam."))
            if not data.get("consent_given_by"):
                self.add_error("consent_given_by", _("Kies wie toestemming geeft."))
        return data


class PlanIntakeForm(UtrechtForm):
    organisation_ids = forms.MultipleChoiceField(
        label=_("Welke organisaties nodigt u uit?"), widget=forms.CheckboxSelectMultiple,
        help_text=_("Eén professional van elke organisatie die de vraag nodig heeft."),
        error_messages={"required": _("Kies een of meer organisaties.")})
    starts_at = _moment(_("Begin"))
    ends_at = _moment(_("Einde"))
    location = forms.CharField(
        label=_("Plaats of videolink"), max_length=500,
        error_messages={"required": _("Vul de plaats of de videolink in.")})
    joint = forms.BooleanField(
        label=_("Gezamenlijke intake: alle organisaties tegelijk met het gezin"),
        required=False, initial=True,
        help_text=_("Zet dit uit om de intake van één organisatie vast te leggen, zoals "
                    "die nu vaak gaat."))
    consent_given_by = forms.MultipleChoiceField(
        label=_("Wie gaf toestemming om de melding te delen met deze organisaties"),
        required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Vraag het gezin. Met toestemming lezen de organisaties de melding vóór "
                    "de intake; zonder toestemming zien ze alleen wanneer en waar die is."))

    def __init__(self, *args: Any, organisations: Choices = (), members: Choices = (),
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _checkboxes(self, "organisation_ids", organisations)
        _checkboxes(self, "consent_given_by", members)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("starts_at"), data.get("ends_at")
        if start and end and end <= start:
            self.add_error("ends_at", _("De intake eindigt na het begin."))
        return data


class ReplaceForm(UtrechtForm):
    """A declined invitation: another organisation is invited to the same meeting."""

    organisation_id = forms.IntegerField(widget=forms.HiddenInput)
    by_organisation_id = forms.ChoiceField(
        label=_("Vervangen door"),
        error_messages={"required": _("Kies de organisatie die u in plaats daarvan "
                                      "uitnodigt.")})

    def __init__(self, *args: Any, organisations: Choices = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _select(self, "by_organisation_id", organisations, _("Kies een organisatie"))


class HelpStartedForm(UtrechtForm):
    """After a referral: the day the specialised help started (the platform does not see
    the referred provider start)."""

    on = forms.DateField(label=_("Hulp gestart op"), input_formats=DATE_FORMATS,
                         widget=DateInput(),
                         error_messages={"invalid": DATE_INVALID, "required": DATE_INVALID})


class AnswerForm(UtrechtForm):
    accept = forms.ChoiceField(
        label=_("Komt uw organisatie?"), widget=forms.RadioSelect,
        choices=[("yes", _("Ja, wij komen")), ("no", _("Nee, wij komen niet"))],
        error_messages={"required": _("Kies ja of nee.")})
    reason = forms.CharField(
        label=_("Toelichting"), max_length=5000, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Verplicht als u niet komt: waarom niet? Dan kan de voordeur een andere "
                    "organisatie vragen."))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("accept") == "no" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Geef de reden waarom uw organisatie niet komt."))
        return data


def goal_field(slot: int, part: str) -> str:
    """The form's name of a part of a goal slot: goal0_title, goal0_persons,
    goal0_levels_m2."""
    return f"goal{slot}_{part}"


class OutcomeForm(UtrechtForm):
    participant_ids = forms.MultipleChoiceField(
        label=_("Wie deden mee?"), widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Kies wie er meededen.")})
    family_present_ids = forms.MultipleChoiceField(
        label=_("Wie van het gezin was erbij?"), widget=forms.CheckboxSelectMultiple,
        required=False)
    question_understood = forms.CharField(
        label=_("De vraag zoals we die samen begrijpen"), max_length=5000, required=False,
        widget=forms.Textarea(attrs={"rows": 4}))
    decision = forms.ChoiceField(
        label=_("Besluit"), widget=forms.RadioSelect, choices=OutcomeDecision.choices,
        error_messages={"required": _("Kies een besluit.")})
    coordinator_id = forms.ChoiceField(
        label=_("Regisseur"), required=False,
        help_text=_("Verplicht bij een gezinsplan: iemand van een organisatie die regie "
                    "mag voeren."))
    main_organisation_id = forms.ChoiceField(label=_("Hoofdaannemer"), required=False)
    referral_result = forms.CharField(
        label=_("Verwijzing: welk resultaat moet de specialistische hulp bereiken?"),
        max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Alleen bij een verwijzing. Een resultaat, geen product."))
    consent_given_by = forms.MultipleChoiceField(
        label=_("Wie geeft toestemming voor het gezinsplan"), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Alleen bij een gezinsplan."))

    def __init__(self, *args: Any, participants: Choices = (), members: Choices = (),
                 coordinators: Choices = (), organisations: Choices = (),
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for slot in range(GOAL_SLOTS):
            n = {"n": slot + 1}
            self.fields[goal_field(slot, "title")] = forms.CharField(
                label=_("Resultaat van doel %(n)s") % n, max_length=300, required=False,
                help_text=_("Een resultaat, geen product: bijvoorbeeld 'woont veilig thuis en "
                            "gaat minstens drie dagen per week naar school'."))
            self.fields[goal_field(slot, "persons")] = forms.MultipleChoiceField(
                label=_("Voor wie is doel %(n)s") % n, required=False,
                widget=forms.CheckboxSelectMultiple)
            for key, name in LEVEL_FIELDS.items():
                self.fields[goal_field(slot, name)] = forms.CharField(
                    label=_("Doel %(n)s, niveau %(level)s") % {**n, "level": LEVEL_LABELS[key]},
                    max_length=500, required=False)
        style_added_fields(self)
        for name in ("participant_ids",):
            _checkboxes(self, name, participants)
        for name in ("family_present_ids", "consent_given_by"):
            _checkboxes(self, name, members)
        for slot in range(GOAL_SLOTS):
            _checkboxes(self, goal_field(slot, "persons"), members)
        _select(self, "coordinator_id", coordinators, _("Kies de regisseur"))
        _select(self, "main_organisation_id", organisations,
                _("De organisatie van de regisseur"))

    def goal_slots(self) -> list[dict[str, Any]]:
        """The goal slots as bound fields, for the template."""
        return [{"number": slot + 1, "title": self[goal_field(slot, "title")],
                 "persons": self[goal_field(slot, "persons")],
                 "levels": [self[goal_field(slot, name)] for name in LEVEL_FIELDS.values()]}
                for slot in range(GOAL_SLOTS)]

    def clean(self) -> dict[str, Any]:
        """The goals filled in (a slot left empty is no goal), with the slot each came from
        (so a refusal about goals[i] lands on its slot)."""
        data = super().clean() or {}
        goals, slots = [], []
        for slot in range(GOAL_SLOTS):
            title = (data.get(goal_field(slot, "title")) or "").strip()
            persons = data.get(goal_field(slot, "persons")) or []
            levels = {key: (data.get(goal_field(slot, name)) or "").strip()
                      for key, name in LEVEL_FIELDS.items()}
            if not title and not persons and not any(levels.values()):
                continue
            if not title:
                self.add_error(goal_field(slot, "title"), _("Beschrijf het resultaat."))
            if not persons:
                self.add_error(goal_field(slot, "persons"), _("Kies voor wie dit doel is."))
            for key, name in LEVEL_FIELDS.items():
                if not levels[key]:
                    self.add_error(goal_field(slot, name), _(
                        "Beschrijf niveau %(level)s in woorden.") % {"level": key})
            goals.append({"title": title, "person_ids": list(persons), "levels": levels})
            slots.append(slot)
        data["goals"], data["goal_slots"] = goals, slots
        return data

    def field_map(self) -> Any:
        """An action's field (goals[1].levels.-2, goals[0].person_ids, ...) -> this form's."""
        slots: list[int] = (self.cleaned_data or {}).get("goal_slots", [])
        names = {f"levels.{key}": name for key, name in LEVEL_FIELDS.items()}
        names |= {"title": "title", "person_ids": "persons", "levels": "title"}

        def rename(name: str) -> str | None:
            found = re.fullmatch(r"goals\[(\d+)\](?:\.(.+))?", name)
            if found is None:
                return "goal0_title" if name == "goals" else name
            index = int(found.group(1))
            slot = slots[index] if index < len(slots) else 0
            return goal_field(slot, names.get(found.group(2) or "title", "title"))

        return rename
