"""Forms of the coordinator's family page. They parse what was typed; the actions
(plans.actions, analysis.actions, access.actions) check the rules and ask the policy.

Each form has its own prefix: one page holds many forms, and ids must stay unique."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from jeugdketen.access.models import DataCategory, LegalBasisKind
from jeugdketen.plans.models import ApprovalHow, CloseReason, Concern
from jeugdketen.ui.forms import (
    DATE_FORMATS,
    DATE_INVALID,
    WIDGET_CLASSES,
    DateInput,
    UtrechtForm,
)

Choices = list[tuple[Any, Any]]

CHECKBOX_CLASSES = ("utrecht-checkbox utrecht-checkbox--html-input utrecht-checkbox--custom "
                    "utrecht-form-field__input")
GOAL_SCORES = (-2, -1, 0, 1, 2)
LEVEL_FIELDS = {"-2": "levels_m2", "-1": "levels_m1", "0": "levels_0", "1": "levels_p1",
                "2": "levels_p2"}
LEVEL_LABELS = {
    "-2": _("-2: veel minder dan verwacht"),
    "-1": _("-1: minder dan verwacht"),
    "0": _("0: het verwachte resultaat"),
    "1": _("+1: meer dan verwacht"),
    "2": _("+2: veel meer dan verwacht"),
}
CATEGORY_LABELS = {
    DataCategory.BASE_DATA: _("basisgegevens"),
    DataCategory.ANALYSIS: _("analyse"),
    DataCategory.PLAN: _("plan"),
    DataCategory.EVALUATIONS: _("evaluaties"),
}


def _esc(value: Any) -> str:
    """conditional_escape without its lazy-string wrapper (called thousands of times)."""
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return html.escape(str(value))


def _attrs(attrs: dict[str, Any]) -> str:
    """django/forms/widgets/attrs.html in Python."""
    return "".join(f" {_esc(name)}" if value is True
                   else f' {_esc(name)}="{html.escape(str(value))}"'
                   for name, value in attrs.items() if value is not False)


def _input(widget: dict[str, Any]) -> str:
    """django/forms/widgets/input.html (text, number, email, date, hidden)."""
    value = widget["value"]
    shown = f' value="{html.escape(str(value))}"' if value is not None else ""
    return (f'<input type="{_esc(widget["type"])}" '
            f'name="{_esc(widget["name"])}"{shown}{_attrs(widget["attrs"])}>')


def _textarea(widget: dict[str, Any]) -> str:
    """django/forms/widgets/textarea.html."""
    value = widget["value"]
    text = _esc(localize(value)) if value else ""
    return (f'<textarea name="{_esc(widget["name"])}"'
            f'{_attrs(widget["attrs"])}>\n{text}</textarea>')


def _select_widget(widget: dict[str, Any]) -> str:
    """django/forms/widgets/select.html with select_option.html per option."""
    parts = [f'<select name="{_esc(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_esc(localize(group_name))}">')
        for option in options:
            parts.append(f'\n  <option value="{html.escape(str(option["value"]))}"'
                         f'{_attrs(option["attrs"])}>'
                         f'{_esc(localize(option["label"]))}</option>\n')
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _input_option(widget: dict[str, Any]) -> str:
    """django/forms/widgets/input_option.html: one checkbox or radio button of a group
    (as BoundWidget.tag renders it), with input.html's line end before its label."""
    tag = _input(widget)
    if not widget.get("wrap_label"):
        return tag
    id_ = widget["attrs"].get("id")
    label_for = f' for="{_esc(id_)}"' if id_ else ""
    return f"<label{label_for}>{tag}\n {_esc(localize(widget['label']))}</label>"


FAST_WIDGETS: dict[str, Callable[[dict[str, Any]], str]] = {
    **{f"django/forms/widgets/{kind}.html": _input
       for kind in ("text", "number", "email", "date", "hidden")},
    "django/forms/widgets/textarea.html": _textarea,
    "django/forms/widgets/select.html": _select_widget,
    "django/forms/widgets/checkbox_option.html": _input_option,
    "django/forms/widgets/radio_option.html": _input_option,
}


class FastWidgets(DjangoTemplates):
    """Django's form renderer, with the common widgets written in Python instead of
    through their templates: the same markup (django/forms/widgets/*.html; the tests
    compare the two), at a fraction of the cost. The family page holds a dozen forms, one
    with a select of a hundred professionals, and a form page has four score selects per
    life domain; there Django's template per widget and per option is what costs.
    Anything else (a whole group of radio buttons or checkboxes, the form's own templates)
    goes through the templates as usual."""

    def render(self, template_name: str, context: dict[str, Any], request: Any = None
               ) -> str:
        fast = FAST_WIDGETS.get(template_name)
        if fast is None:
            return str(super().render(template_name, context, request))
        return fast(context["widget"])


FAST_WIDGETS_RENDERER = FastWidgets()


class PlanForm(UtrechtForm):
    """A form of the family plan: Utrecht classes, widgets rendered by FastWidgets."""

    default_renderer = FAST_WIDGETS_RENDERER


def score_text(score: int) -> str:
    return f"+{score}" if score > 0 else str(score)


def date_field(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DateField:
    return forms.DateField(label=label, required=required, input_formats=DATE_FORMATS,
                           help_text=help_text, widget=DateInput(),
                           error_messages={"invalid": DATE_INVALID,
                                           "required": _("Vul een datum in.")})


def _select(form: forms.Form, name: str, choices: Choices, *, blank: Any = None) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = ([("", blank)] if blank is not None else []) + list(choices)


def style_added_fields(form: forms.Form) -> None:
    """The Utrecht classes for fields added after the form was made (UtrechtForm styles
    the declared ones)."""
    for bound_field in form.fields.values():
        widget = bound_field.widget
        if widget.attrs.get("class", "").startswith("utrecht-"):
            continue
        for widget_type, classes in WIDGET_CLASSES:
            if isinstance(widget, widget_type):
                widget.attrs["class"] = f"{classes} {widget.attrs.get('class', '')}".strip()
                break


def _checkboxes(form: forms.Form, name: str, choices: Choices) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.MultipleChoiceField)
    field.choices = choices
    field.widget.attrs["class"] = CHECKBOX_CLASSES


def parse_euros(value: str) -> Decimal:
    """'250', '99,50', '1.250,00', '€ 1250.5' -> Decimal. Raises ValidationError."""
    text = (value or "").replace("€", "").replace(" ", "").replace("\u00a0", "").strip()
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"\d{1,3}(\.\d{3})+", text):
        text = text.replace(".", "")  # 1.250 is twelve hundred and fifty euros
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise forms.ValidationError(_("Vul een bedrag in euro's in, zoals 250 of 99,50."),
                                    code="amount") from None
    if not amount.is_finite():
        raise forms.ValidationError(_("Vul een bedrag in euro's in, zoals 250 of 99,50."),
                                    code="amount")
    return amount


class EuroField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal",
                                                           "class": "jk-input-money"}))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> Any:
        text = super().clean(value)
        if text in (None, ""):
            return None
        return parse_euros(text)


# --- starting and handing over ----------------------------------------------------------


class StartForm(PlanForm):
    """From a match: its agreed coordinator names the plan's coordinator. On the family's
    consent: the professional records who gave it and coordinates the plan themselves."""

    coordinator_id = forms.TypedChoiceField(
        label=_("Regisseur"), coerce=int,
        help_text=_("Een professional van een organisatie die regie mag voeren."),
        error_messages={"required": _("Kies de regisseur."),
                        "invalid_choice": _("Kies een regisseur uit de lijst.")})
    given_by_person_ids = forms.MultipleChoiceField(
        label=_("Wie geeft toestemming voor het plan"), widget=forms.CheckboxSelectMultiple,
        help_text=_("Het gezin geeft uw organisatie toestemming om een gezinsplan te starten "
                    "en de basisgegevens, de analyse, het plan en de evaluaties te delen. "
                    "Vanaf 16 jaar de persoon zelf; onder 12 jaar een ouder met gezag; van 12 "
                    "tot 16 jaar de jongere en een ouder met gezag samen (volgens de BRP)."),
        error_messages={"required": _("Kies wie de toestemming geeft.")})

    def __init__(self, *args: Any, candidates: Choices, givers: Choices | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if givers is None:
            del self.fields["given_by_person_ids"]
            _select(self, "coordinator_id", candidates, blank=_("Kies een regisseur"))
        else:
            del self.fields["coordinator_id"]
            _checkboxes(self, "given_by_person_ids", givers)


class HandoverForm(PlanForm):
    to_professional_id = forms.TypedChoiceField(
        label=_("Nieuwe regisseur"), coerce=int,
        error_messages={"required": _("Kies de nieuwe regisseur.")})
    on = date_field(_("Datum van de overdracht"), required=False,
               help_text=_("Leeg: vandaag."))
    reason = forms.CharField(
        label=_("Reden"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Het gezin leest deze reden. Minstens 10 tekens."),
        error_messages={"required": _("Schrijf de reden voor het gezin op.")})

    def __init__(self, *args: Any, candidates: Choices, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "ho")
        super().__init__(*args, **kwargs)
        _select(self, "to_professional_id", candidates, blank=_("Kies een regisseur"))


# --- the plan's sections ------------------------------------------------------------


class SectionsForm(PlanForm):
    revision = forms.IntegerField(widget=forms.HiddenInput)
    goes_well = forms.CharField(label=_("Wat gaat goed"), required=False, max_length=5000,
                                widget=forms.Textarea(attrs={"rows": 4}))
    own_strength = forms.CharField(
        label=_("Wat doen het gezin en het netwerk zelf"), required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}))
    support_needed = forms.CharField(
        label=_("Waar is ondersteuning nodig"), required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "sec")
        super().__init__(*args, **kwargs)


class ConcernForm(PlanForm):
    text = forms.CharField(label=_("Zorg"), max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 2}),
                           error_messages={"required": _("Beschrijf de zorg.")})
    priority = forms.TypedChoiceField(label=_("Prioriteit"), coerce=int,
                                      choices=Concern.Priority.choices,
                                      initial=Concern.Priority.MEDIUM)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "con")
        super().__init__(*args, **kwargs)


# --- goals and actions ------------------------------------------------------------------


class GoalForm(PlanForm):
    title = forms.CharField(
        label=_("Resultaat"), max_length=300,
        help_text=_("Schrijf een resultaat, geen product. Bijvoorbeeld: woont veilig thuis en "
                    "gaat minstens 3 dagen per week naar school."),
        error_messages={"required": _("Beschrijf het resultaat.")})
    person_ids = forms.MultipleChoiceField(
        label=_("Voor wie"), widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Kies voor wie dit doel is.")})
    weight = forms.IntegerField(
        label=_("Gewicht"), min_value=1, max_value=10, initial=1,
        help_text=_("1 tot 10. Een zwaarder doel telt zwaarder mee in de T-score."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "jk-input-short"}),
        error_messages={"invalid": _("Een geheel getal van 1 tot 10."),
                        "min_value": _("Een geheel getal van 1 tot 10."),
                        "max_value": _("Een geheel getal van 1 tot 10.")})
    levels_m2 = forms.CharField(label=LEVEL_LABELS["-2"], max_length=500)
    levels_m1 = forms.CharField(label=LEVEL_LABELS["-1"], max_length=500)
    levels_0 = forms.CharField(label=LEVEL_LABELS["0"], max_length=500)
    levels_p1 = forms.CharField(label=LEVEL_LABELS["1"], max_length=500)
    levels_p2 = forms.CharField(label=LEVEL_LABELS["2"], max_length=500)
    organisation_id = forms.TypedChoiceField(
        label=_("Verantwoordelijke organisatie"), coerce=int, required=False,
        empty_value=None)

    def __init__(self, *args: Any, members: Choices, organisations: Choices,
                 **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "goal")
        super().__init__(*args, **kwargs)
        _checkboxes(self, "person_ids", members)
        _select(self, "organisation_id", organisations, blank=_("De hoofdaannemer"))
        for key, name in LEVEL_FIELDS.items():
            self.fields[name].error_messages["required"] = _(
                "Beschrijf niveau %(level)s in woorden.") % {"level": score_text(int(key))}

    def levels(self) -> dict[str, str]:
        return {key: self.cleaned_data[name] for key, name in LEVEL_FIELDS.items()}


PERFORMER_FIELDS = ("performer", "performer.professional_id", "performer.related_person_id")


class ActionForm(PlanForm):
    description = forms.CharField(label=_("Wat"), max_length=1000,
                                  widget=forms.Textarea(attrs={"rows": 2}),
                                  error_messages={"required": _("Beschrijf wat er gebeurt.")})
    performer = forms.ChoiceField(
        label=_("Wie doet het"),
        help_text=_("Een professional uit het team, of iemand uit het netwerk van het gezin."),
        error_messages={"required": _("Kies wie het doet.")})
    organisation_id = forms.TypedChoiceField(
        label=_("Verantwoordelijke organisatie"), coerce=int,
        error_messages={"required": _("Kies de verantwoordelijke organisatie.")})
    due_on = date_field(_("Uiterlijk op"))
    budget_eur = EuroField(label=_("Budget in euro"), required=False,
                           help_text=_("Bijvoorbeeld 250 of 99,50. Leeg: geen kosten."))
    product_code = forms.ChoiceField(
        label=_("Productcode"), required=False,
        help_text=_("Waaruit de actie betaald wordt. Leeg bij een actie van het netwerk van "
                    "het gezin, of als er geen kosten zijn."))
    goal_id = forms.TypedChoiceField(label=_("Bij doel"), coerce=int, required=False,
                                     empty_value=None)

    def __init__(self, *args: Any, performers: Choices, organisations: Choices,
                 product_codes: Choices, goals: Choices, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "act")
        super().__init__(*args, **kwargs)
        _select(self, "performer", performers, blank=_("Kies wie het doet"))
        _select(self, "organisation_id", organisations)
        _select(self, "product_code", product_codes, blank=_("Geen productcode"))
        _select(self, "goal_id", goals, blank=_("Geen bepaald doel"))

    def performer_ids(self) -> tuple[str | None, str | None]:
        kind, _sep, pk = self.cleaned_data["performer"].partition(":")
        return (pk, None) if kind == "p" else (None, pk)


class DoneForm(PlanForm):
    done_on = date_field(_("Afgerond op"), required=False, help_text=_("Leeg: vandaag."))
    spent_eur = EuroField(label=_("Werkelijk uitgegeven in euro"), required=False,
                          help_text=_("Leeg: geen kosten."))

    def __init__(self, *args: Any, item_id: int, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"done{item_id}")
        super().__init__(*args, **kwargs)


# --- the team ---------------------------------------------------------------------------


class ProfessionalMemberForm(PlanForm):
    professional_id = forms.TypedChoiceField(
        label=_("Professional"), coerce=int,
        help_text=_("Een professional sluit alleen aan als de organisatie toestemming of een "
                    "wettelijke grondslag heeft voor het plan van alle gezinsleden."),
        error_messages={"required": _("Kies een professional."),
                        "invalid_choice": _("Kies een professional uit de lijst.")})
    role = forms.CharField(label=_("Rol in het plan"), max_length=200,
                           help_text=_("Bijvoorbeeld: schoolmaatschappelijk werk."),
                           error_messages={"required": _("Beschrijf de rol.")})

    def __init__(self, *args: Any, professionals: Choices | Callable[[], Choices],
                 **kwargs: Any) -> None:
        """`professionals` may be a function: the choices are then read only when a sent
        form is checked (the page shows the team picker, not these choices)."""
        kwargs.setdefault("prefix", "tp")
        super().__init__(*args, **kwargs)
        if not callable(professionals):
            _select(self, "professional_id", professionals, blank=_("Kies een professional"))
            return
        read = professionals
        field = self.fields["professional_id"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = lambda: [("", _("Kies een professional")), *read()]


NETWORK_FIELDS = {"related_person.name": "name", "related_person.relation": "relation",
                  "related_person.phone": "phone", "related_person.email": "email"}


class NetworkMemberForm(PlanForm):
    name = forms.CharField(label=_("Naam"), max_length=200,
                           error_messages={"required": _("Vul de naam in.")})
    relation = forms.CharField(label=_("Relatie met het gezin"), max_length=100,
                               help_text=_("Bijvoorbeeld: oma, buurvrouw, voetbaltrainer."),
                               error_messages={"required": _("Vul de relatie in.")})
    phone = forms.CharField(label=_("Telefoon"), max_length=20, required=False,
                            widget=forms.TextInput(attrs={"inputmode": "tel",
                                                          "autocomplete": "off"}))
    email = forms.CharField(label=_("E-mailadres"), max_length=254, required=False,
                            widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    role = forms.CharField(label=_("Rol in het plan"), max_length=200,
                           help_text=_("Bijvoorbeeld: haalt de kinderen op woensdag uit school."),
                           error_messages={"required": _("Beschrijf de rol.")})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "tn")
        super().__init__(*args, **kwargs)


# --- evaluations, versions, comments, the close ------------------------------------------


def _goal_score_choices(levels: dict[str, str], blank: Any) -> Choices:
    return [("", blank)] + [(score, f"{score_text(score)}: {levels.get(str(score), '')}")
                            for score in GOAL_SCORES]


class EvaluationForm(PlanForm):
    date = date_field(_("Datum van de evaluatie"))
    note = forms.CharField(label=_("Toelichting"), required=False, max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, goals: list[Any], **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "ev")
        super().__init__(*args, **kwargs)
        self.goal_names = []
        for goal in goals:
            name = f"goal_{goal.pk}"
            self.fields[name] = forms.TypedChoiceField(
                label=goal.title, coerce=int, choices=_goal_score_choices(
                    goal.levels, _("Kies een score")),
                error_messages={"required": _("Geef dit doel een score.")})
            self.goal_names.append((goal.pk, name))
        style_added_fields(self)

    def goal_fields(self) -> list[forms.BoundField]:
        return [self[name] for _pk, name in self.goal_names]

    def head_fields(self) -> list[forms.BoundField]:
        """The fields before the scores per goal (the note comes after them)."""
        goal_fields = {name for _pk, name in self.goal_names}
        return [bf for bf in self.visible_fields()
                if bf.name not in goal_fields and bf.name != "note"]

    def scores(self) -> list[tuple[int, int]]:
        return [(pk, self.cleaned_data[name]) for pk, name in self.goal_names]


class ApprovalForm(PlanForm):
    number = forms.IntegerField(widget=forms.HiddenInput)
    how = forms.ChoiceField(
        label=_("Hoe gaf het gezin akkoord?"), widget=forms.RadioSelect,
        choices=[(ApprovalHow.IN_PERSON, ApprovalHow.IN_PERSON.label),
                 (ApprovalHow.PAPER, ApprovalHow.PAPER.label)],
        error_messages={"required": _("Kies hoe het gezin akkoord gaf.")})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "ap")
        super().__init__(*args, **kwargs)


class CommentForm(PlanForm):
    text = forms.CharField(label=_("Reactie"), max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("Het gezin en het team lezen mee. Hoogstens 2000 tekens."),
                           error_messages={"required": _("Schrijf eerst uw reactie.")})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "cm")
        super().__init__(*args, **kwargs)


YES_NO = [("yes", _("Ja")), ("no", _("Nee"))]


class CloseForm(PlanForm):
    reason_code = forms.ChoiceField(
        label=_("Reden van beëindiging (CBS)"),
        choices=[("", _("Kies een reden"))] + [(c.value, f"{c.value} – {c.label}")
                                               for c in CloseReason],
        error_messages={"required": _("Kies een reden van beëindiging.")})
    can_continue_without_help = forms.TypedChoiceField(
        label=_("Kan het gezin verder zonder hulp?"), widget=forms.RadioSelect,
        choices=YES_NO, coerce=lambda v: v == "yes",
        error_messages={"required": _("Kies ja of nee.")})
    satisfaction = forms.TypedChoiceField(
        label=_("Tevredenheid van het gezin over het nut van de hulp"), required=False,
        coerce=int, empty_value=None,
        choices=[("", _("Niet gevraagd"))] + [(i, str(i)) for i in range(1, 11)],
        help_text=_("Een cijfer van 1 tot 10, zoals het gezin het geeft."))
    on = date_field(_("Datum van afsluiten"), required=False, help_text=_("Leeg: vandaag."))
    note = forms.CharField(label=_("Toelichting bij de eindevaluatie"), required=False,
                           max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, goals: list[Any], **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "cl")
        super().__init__(*args, **kwargs)
        self.goal_names = []
        for goal in goals:
            name = f"final_{goal.pk}"
            self.fields[name] = forms.TypedChoiceField(
                label=goal.title, coerce=int, required=False, empty_value=None,
                choices=_goal_score_choices(goal.levels, _("Geen eindscore")))
            self.goal_names.append((goal.pk, name))
        style_added_fields(self)

    def goal_fields(self) -> list[forms.BoundField]:
        return [self[name] for _pk, name in self.goal_names]

    def head_fields(self) -> list[forms.BoundField]:
        """The fields before the scores per goal (the note comes after them)."""
        goal_fields = {name for _pk, name in self.goal_names}
        return [bf for bf in self.visible_fields()
                if bf.name not in goal_fields and bf.name != "note"]

    def final_scores(self) -> list[tuple[int, int]] | None:
        given = [(pk, self.cleaned_data[name]) for pk, name in self.goal_names
                 if self.cleaned_data.get(name) is not None]
        return given or None


# --- consent and legal basis --------------------------------------------------------


class ConsentForm(PlanForm):
    person_ids = forms.MultipleChoiceField(
        label=_("Voor wie geldt de toestemming"), widget=forms.CheckboxSelectMultiple,
        help_text=_("Per persoon wordt één toestemming vastgelegd."),
        error_messages={"required": _("Kies voor wie de toestemming geldt.")})
    given_by_person_ids = forms.MultipleChoiceField(
        label=_("Wie geeft de toestemming"), widget=forms.CheckboxSelectMultiple,
        help_text=_("Vanaf 16 jaar de persoon zelf; onder 12 jaar een ouder of verzorger; "
                    "van 12 tot 16 jaar de jongere en een ouder samen. Per persoon tellen de "
                    "persoon zelf en diens ouders of verzorgers."),
        error_messages={"required": _("Kies wie de toestemming geeft.")})
    organisation_id = forms.TypedChoiceField(
        label=_("Organisatie"), coerce=int,
        error_messages={"required": _("Kies de organisatie.")})
    categories = forms.MultipleChoiceField(
        label=_("Welke gegevens"), widget=forms.CheckboxSelectMultiple,
        choices=list(CATEGORY_LABELS.items()),
        error_messages={"required": _("Kies een of meer soorten gegevens.")})
    valid_until = date_field(_("Geldig tot en met"), required=False,
                        help_text=_("Leeg: tot de toestemming wordt ingetrokken."))

    def __init__(self, *args: Any, members: Choices, organisations: Choices,
                 **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "cs")
        super().__init__(*args, **kwargs)
        _checkboxes(self, "person_ids", members)
        _checkboxes(self, "given_by_person_ids", members)
        _checkboxes(self, "categories", list(CATEGORY_LABELS.items()))
        _select(self, "organisation_id", organisations, blank=_("Kies een organisatie"))


class LegalBasisForm(PlanForm):
    person_id = forms.ChoiceField(label=_("Voor wie"),
                                  error_messages={"required": _("Kies voor wie.")})
    organisation_id = forms.TypedChoiceField(
        label=_("Organisatie"), coerce=int,
        help_text=_("De organisatie die de grondslag heeft: bij een maatregel of "
                    "jeugdreclassering de gecertificeerde instelling, bij de wettelijke taak "
                    "van Veilig Thuis Veilig Thuis."),
        error_messages={"required": _("Kies de organisatie.")})
    kind = forms.ChoiceField(label=_("Soort grondslag"),
                             choices=[("", _("Kies de soort")), *list(LegalBasisKind.choices)],
                             error_messages={"required": _("Kies de soort grondslag.")})
    reference = forms.CharField(
        label=_("Kenmerk"), max_length=100,
        help_text=_("Bijvoorbeeld het nummer van de beschikking."),
        error_messages={"required": _("Vul het kenmerk in.")})
    valid_from = date_field(_("Geldig vanaf"), required=False, help_text=_("Leeg: vandaag."))
    valid_until = date_field(_("Geldig tot en met"))

    def __init__(self, *args: Any, members: Choices, organisations: Choices,
                 **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "lb")
        super().__init__(*args, **kwargs)
        _select(self, "person_id", members, blank=_("Kies een gezinslid"))
        _select(self, "organisation_id", organisations, blank=_("Kies een organisatie"))

