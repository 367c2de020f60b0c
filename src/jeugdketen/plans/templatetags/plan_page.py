"""Template helpers of the coordinator's family page: euro amounts, category
labels, the T-score change in words; and the rows of its big tables and lists, written in
Python.

The family page holds tens of goals and actions and hundreds of scores. Through the
template engine every row costs some 30 microseconds (each variable is looked up,
localised and escaped on its own); the same markup written here costs a tenth of that.
The view hands over ready-made texts (plans.views.page.family_context); every text is escaped
here (`_h`), nothing typed by a user is marked safe. Labels are the same translated strings
the template used."""

from __future__ import annotations

import html
import re
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django import template
from django.template import defaultfilters
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from jeugdketen.access.models import LegalBasisKind
from jeugdketen.plans.forms import CATEGORY_LABELS
from jeugdketen.ui.templatetags import jk

register = template.Library()


def _h(value: Any) -> str:
    """Escaped, as {{ value }} would be (a SafeString stays as it is)."""
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return html.escape(str(value))


def _safe(parts: list[str]) -> SafeString:
    return mark_safe("".join(parts))  # noqa: S308  every text in the parts went through _h


TH_ROW = '<th class="utrecht-table__header-cell" scope="row">'
DD = '<dd class="utrecht-data-list__item-value utrecht-data-list__item-value--html-dd">'
STALE = '<strong class="utrecht-status-badge utrecht-status-badge--warning">{}</strong>'


def _td(label: str, text: str, extra: str = "") -> str:
    """A table cell with its column's name for the stacked view on a phone (on a line of
    its own, as in a template: a page's text then keeps the cells apart)."""
    return f'\n<td class="utrecht-table__cell{extra}" data-label="{label}">{text}</td>'


# The row kit, for the tags of the apps above plans (the analysis writes its rows with it).
escaped = _h
joined = _safe
cell = _td


def _item(key: str, value: str) -> str:
    return (f'\n<div class="utrecht-data-list__item"><dt class="utrecht-data-list__item-key">'
            f"{key}</dt>{DD}{value}</dd></div>")


def _errors(ctx: dict[str, Any], classes: str) -> str:
    if not ctx["errors"]:
        return ""
    fault = _h(_("Fout:"))
    lines = "".join(f'<p class="jk-error-line"><span class="jk-visually-hidden">{fault} </span>'
                    f"{_h(e)}</p>" for e in ctx["errors"])
    return f'<div class="{classes}" id="{_h(ctx["error_id"])}">{lines}</div>'


def _hint(ctx: dict[str, Any], classes: str) -> str:
    help_text = ctx["field"].help_text
    return (f'<div class="{classes}" id="{_h(ctx["hint_id"])}">{_h(help_text)}</div>'
            if help_text else "")


@register.simple_tag
def plan_field(bf: Any) -> SafeString:
    """{% field bf %} (jeugdketen.ui: ui/includes/field.html) written in Python: the same
    context from jk.field, the same markup (tests/plans/test_plan_page_helpers.py compares
    the two for every field of the plan forms). A form page can hold a hundred fields."""
    ctx = jk.field(bf)
    field = ctx["field"]
    invalid = bool(ctx["errors"])
    not_required = _h(_("niet verplicht"))
    optional = (f' <span class="jk-optional">({not_required})</span>'
                if ctx["optional"] else "")
    if ctx["kind"] == "radio":
        described = (f' aria-describedby="{_h(ctx["describedby"])}"'
                     if ctx["describedby"] else "")
        choices = "".join(
            '\n    <div class="utrecht-form-field utrecht-form-field--radio">\n'
            '      <div class="utrecht-form-field__label">\n'
            f'        <label class="utrecht-form-label utrecht-form-label--radio" '
            f'for="{_h(radio.id_for_label)}">{_h(radio.tag())} {_h(radio.choice_label)}</label>\n'
            '      </div>\n    </div>\n  '
            for radio in field)
        return _safe([
            '\n<fieldset class="utrecht-form-fieldset utrecht-form-fieldset--html-fieldset'
            f'{" utrecht-form-fieldset--invalid" if invalid else ""}"{described}>\n'
            '  <legend class="utrecht-form-fieldset__legend utrecht-form-fieldset__legend--html-'
            f'legend">{_h(field.label)}{optional}</legend>\n'
            f'  {_hint(ctx, "utrecht-form-field-description")}\n'
            f'  {_errors(ctx, "utrecht-form-field-error-message")}\n'
            f'  <div class="jk-choices">\n  {choices}\n  </div>\n</fieldset>\n\n'])
    hint = _hint(ctx, "utrecht-form-field__description utrecht-form-field-description")
    errors = _errors(ctx, "utrecht-form-field__error-message utrecht-form-field-error-message")
    if ctx["kind"] == "checkbox":
        return _safe([
            '\n<div class="utrecht-form-field utrecht-form-field--checkbox'
            f'{" utrecht-form-field--invalid" if invalid else ""}">\n'
            '  <div class="utrecht-form-field__label">\n'
            '    <label class="utrecht-form-label utrecht-form-label--checkbox" '
            f'for="{_h(field.id_for_label)}">{_h(ctx["input"])} {_h(field.label)}</label>\n'
            f'  </div>\n  {hint}\n  {errors}\n</div>\n\n'])
    return _safe([
        f'\n<div class="utrecht-form-field{" utrecht-form-field--invalid" if invalid else ""}">'
        '\n  <div class="utrecht-form-field__label">\n'
        f'    <label class="utrecht-form-label" for="{_h(field.id_for_label)}">'
        f'{_h(field.label)}{optional}</label>\n'
        f'  </div>\n  {hint}\n  {errors}\n'
        f'  <div class="utrecht-form-field__input">{_h(ctx["input"])}</div>\n</div>\n\n'])


@register.simple_tag(takes_context=True)
def light_form(context: Any, form: Any, url: str, submit: str) -> SafeString:
    """plans/parts/form.html written in Python (the family page holds up to nine light
    forms): the form that posts to `url`, its CSRF token, the summary of its errors, its
    hidden fields, each visible field as {% plan_field %} writes it, and the button
    `submit`. The same markup as the template (tests/plans/test_plan_page_helpers.py
    compares the two for every light form, with and without errors)."""
    token = context.get("csrf_token")
    csrf = ("" if not token or token == "NOTPROVIDED" else
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{_h(token)}">')
    summary = "\n"  # what ui/includes/error_summary.html writes for a form without errors
    if form.errors:  # only a form sent back has errors to sum up
        summary = str(get_template("ui/includes/error_summary.html").render(
            jk.error_summary(form)))
    return _safe([
        f'<form method="post" action="{_h(url)}" class="jk-form" novalidate>\n  {csrf}\n'
        f'  {summary}\n  {"".join(_h(hidden) for hidden in form.hidden_fields())}\n'
        f'  {"".join(plan_field(bf) for bf in form.visible_fields())}\n'
        '  <button class="utrecht-button utrecht-button--primary-action" type="submit">'
        f"{_h(submit)}</button>\n</form>\n"])


@register.simple_tag
def goal_cards(goals: list[dict[str, Any]], evaluations_hidden: bool, main_organisation: str
               ) -> SafeString:
    """Each goal: for whom, weight, who is responsible, the latest score and its course,
    and the five levels in words with the current one marked."""
    for_, weight, responsible, latest, not_yet, history, levels, current = (
        _h(_("Voor")), _h(_("Gewicht")), _h(_("Verantwoordelijk")), _h(_("Laatste score")),
        _h(_("nog niet geëvalueerd")), _h(_("Verloop")), _h(_("De vijf niveaus")),
        _h(_("huidige score")))
    main_contractor = _h(_("hoofdaannemer"))
    main = f"{_h(main_organisation)} ({main_contractor})"
    parts = []
    for g in goals:
        goal = g["goal"]
        parts.append(
            f'<article class="jk-card" aria-labelledby="doel-{goal.pk}">\n'
            f'<h3 class="utrecht-heading-3" id="doel-{goal.pk}">{_h(goal.title)}</h3>\n'
            f'<dl class="utrecht-data-list">{_item(for_, _h(g["persons"]))}'
            f'{_item(weight, _h(goal.weight))}'
            f'{_item(responsible, _h(g["organisation"]) if g["organisation"] else main)}')
        if not evaluations_hidden:
            shown = (f'<strong>{_h(g["latest"])}</strong> ({_h(g["latest_on"])})'
                     if g["latest"] is not None else not_yet)
            parts.append(_item(latest, shown))
            if g["history"]:
                parts.append(_item(history, _h(g["history"])))
        parts.append(f'</dl>\n<ul class="jk-levels" aria-label="{levels}">')
        for level in g["levels"]:
            marked = level["current"]
            parts.append(
                f'\n<li class="jk-levels__item{" jk-levels__item--current" if marked else ""}">'
                f'<strong>{_h(level["score"])}</strong>: {_h(level["text"])}'
                f'{f" <strong>({current})</strong>" if marked else ""}</li>')
        parts.append("</ul>\n</article>\n")
    return _safe(parts)


@register.simple_tag
def evaluation_rows(rows: list[dict[str, Any]]) -> SafeString:
    """Each evaluation: its date, the plan's T-score, the change since the one before,
    who recorded it and the note."""
    t_label, change, by, note = (_h(_("T-score")), _h(_("Verandering")), _h(_("Door")),
                                 _h(_("Toelichting")))
    final_evaluation = _h(_("eindevaluatie"))
    final = f" ({final_evaluation})"
    return _safe([
        f'<tr class="utrecht-table__row">{TH_ROW}{_h(e["on"])}{final if e["final"] else ""}'
        f'</th>{_td(t_label, _h(e["t_score"]), " utrecht-table__cell--numeric-data")}'
        f'{_td(change, _h(e["change"]))}{_td(by, _h(e["by"]))}'
        f'{_td(note, _h(e["note"] or "–"))}</tr>\n'
        for e in rows])


def _short(text: str, length: int) -> str:
    """Truncator(text).chars(length): a short plain-ASCII text as it is (what Truncator
    returns for it), any other through Truncator."""
    if len(text) <= length and text.isascii():
        return text
    return str(Truncator(text).chars(length))


@register.simple_tag
def action_rows(rows: list[dict[str, Any]]) -> SafeString:
    """Each action: what (and for which goal), who, which organisation, by when, budget,
    product code, and where it stands; an open one links to the page that marks it done."""
    who, org, due, budget, code, state = (
        _h(_("Wie")), _h(_("Organisatie")), _h(_("Uiterlijk")), _h(_("Budget")),
        _h(_("Productcode")), _h(_("Stand")))
    late, open_, finish = _h(_("Open, te laat")), _h(_("Open")), _h(_("Afronden"))
    for_goal = _("Doel: %(goal)s")
    parts = []
    for a in rows:
        goal = ""
        if a["goal"]:
            goal = ('<br><span class="utrecht-paragraph--small jk-muted">'
                    f'{_h(for_goal % {"goal": a["goal"]})}</span>')

        stand = (_h(a["done"]) if a["done"] else f"<strong>{late}</strong>" if a["overdue"]
                 else open_)
        if a["done_url"]:
            stand += (f'<br><a class="utrecht-link utrecht-link--html-a" '
                      f'href="{_h(a["done_url"])}">{finish}<span class="jk-visually-hidden">: '
                      f'{_h(_short(a["description"], 40))}</span></a>')
        parts.append(
            f'<tr class="utrecht-table__row" id="actie-{a["pk"]}">{TH_ROW}'
            f'{_h(a["description"])}{goal}</th>{_td(who, _h(a["who"]))}'
            f'{_td(org, _h(a["organisation"]))}{_td(due, _h(a["due"]))}'
            f'{_td(budget, _h(a["budget"]), " utrecht-table__cell--numeric-data")}'
            f'{_td(code, _h(a["product_code"]))}{_td(state, stand)}</tr>\n')
    return _safe(parts)



def _date(value: Any, fmt: str = "j-n-Y") -> str:
    """{{ value|date:fmt }}: a moment in the current time zone, as the template shows it."""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return _h(defaultfilters.date(value, fmt))


@register.simple_tag(takes_context=True)
def post_button(context: Any, url: str, label: str, what: str = "") -> SafeString:
    """A small form with one button that posts to `url` (remove, withdraw); `what` names
    the item for a screen reader."""
    return _safe([inline_button(context, url, label, what)])


def inline_button(context: Any, url: str, label: str, what: str) -> str:
    """The markup of post_button, for the row tags that write it in Python."""
    named = f'<span class="jk-visually-hidden">: {_h(what)}</span>' if what else ""
    token = _h(context.get("csrf_token", ""))
    return (f'<form method="post" action="{_h(url)}" class="jk-inline-form">\n'
            f'  <input type="hidden" name="csrfmiddlewaretoken" value="{token}">\n'
            '  <button class="utrecht-button utrecht-button--secondary-action jk-button--small" '
            f'type="submit">{_h(label)}{named}</button>\n</form>\n')


@register.simple_tag(takes_context=True)
def consent_rows(context: Any, consents: list[Any]) -> SafeString:
    """The consents of one member: organisation, data, from, until, given by and where it
    stands; one still in force can be withdrawn by whoever may change the plan."""
    data, from_, until, given, state = (_h(_("Gegevens")), _h(_("Van")), _h(_("Tot en met")),
                                        _h(_("Gegeven door")), _h(_("Stand")))
    until_withdrawn, withdraw = _h(_("tot intrekking")), _("Intrekken")
    today, plan_id, can_edit = context["today"], context["plan"].pk, context["can_edit"]
    parts = []
    for consent in consents:
        stand = _h(consent_state(consent, today))
        if consent.withdrawn_at:
            stand += f" ({_date(consent.withdrawn_at)})"
        elif can_edit:
            url = reverse("plan_item_form", args=[plan_id, "toestemming-intrekken", consent.pk])
            stand += "\n" + inline_button(context, f"{url}#toestemming", withdraw,
                                          consent.organisation.name)
        parts.append(
            f'<tr class="utrecht-table__row">\n{TH_ROW}{_h(consent.organisation.name)}</th>'
            f'{_td(data, _h(categories_label(consent.categories)))}'
            f'{_td(from_, _date(consent.valid_from))}'
            f'{_td(until, _date(consent.valid_until) if consent.valid_until else until_withdrawn)}'
            f'{_td(given, ", ".join(_h(g) for g in consent.given_by.all()))}'
            f'{_td(state, stand)}\n</tr>\n')
    return _safe(parts)


@register.simple_tag(takes_context=True)
def legal_basis_rows(context: Any, bases: list[Any]) -> SafeString:
    """The legal bases for one member: kind, organisation, reference, from, until, stand."""
    org, ref, from_, until, state = (_h(_("Organisatie")), _h(_("Kenmerk")), _h(_("Van")),
                                     _h(_("Tot en met")), _h(_("Stand")))
    today = context["today"]
    return _safe([
        f'<tr class="utrecht-table__row">\n{TH_ROW}{_h(legal_basis_label(basis.kind))}</th>'
        f'{_td(org, _h(basis.organisation.name))}{_td(ref, _h(basis.reference))}'
        f'{_td(from_, _date(basis.valid_from))}{_td(until, _date(basis.valid_until))}'
        f'{_td(state, _h(basis_state(basis, today)))}\n</tr>\n'
        for basis in bases])


@register.filter
def euro(value: Any) -> str:
    """The platform's one money format (jk.money): '€ 1.234,50'; English '€1,234.50'."""
    return jk.money(value)

ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
AMOUNT = re.compile(r"€\s?(-?\d+(?:\.\d{1,2})?)(?![\d,.]*\d)")


@register.filter
def plain_line(line: str) -> str:
    """A line of a saved version of the plan as people read it: its dates as dates and its
    amounts in euros (a saved version keeps them as 2025-03-17 and € 250.00). The family's
    page and the coordinator's version comparison both show lines through this."""

    def as_date(found: re.Match[str]) -> str:
        try:
            return date_format(date(*map(int, found.groups())), "DATE_FORMAT")
        except ValueError:
            return found.group(0)

    def as_money(found: re.Match[str]) -> str:
        return jk.money(found.group(1))

    return AMOUNT.sub(as_money, ISO_DATE.sub(as_date, str(line)))


@register.filter
def categories_label(categories: Any) -> str:
    labels = {str(k): v for k, v in CATEGORY_LABELS.items()}
    return ", ".join(str(labels.get(str(c), c)) for c in categories or [])

@register.filter
def legal_basis_label(kind: str) -> str:
    try:
        return str(LegalBasisKind(kind).label)
    except ValueError:
        return kind

TENTH = Decimal("0.1")


def _tenth(value: Any) -> Decimal:
    return Decimal(str(value)).quantize(TENTH, rounding=ROUND_HALF_UP)


def t_delta(new: Any, old: Any) -> Decimal | None:
    """The change of the T-score between two evaluations: the difference of the two
    scores as they are shown (one decimal), so the coordinator's page and the family's
    say the same and the numbers on the page add up."""
    if new is None or old is None:
        return None
    return _tenth(new) - _tenth(old)


@register.filter
def t_score(value: Any) -> str:
    """A T-score with one decimal: '48,3' (English '48.3')."""
    return "–" if value is None else number_format(_tenth(value), 1)


@register.filter
def t_signed(delta: Any) -> str:
    """A change of the T-score as a signed number: '+10,9', '−2,0', '0,0'."""
    if delta is None:
        return "–"
    amount = _tenth(delta)
    shown = number_format(abs(amount), 1)
    return f"+{shown}" if amount > 0 else f"−{shown}" if amount < 0 else shown


@register.filter
def t_change(delta: Any) -> str:
    """The change of the T-score since the evaluation before (t_delta), in words and
    numbers."""
    if delta is None:
        return _("eerste evaluatie")
    amount = _tenth(delta)
    if amount == 0:
        return _("gelijk")
    shown = number_format(abs(amount), 1)
    if amount > 0:
        return _("hoger (+%(n)s)") % {"n": shown}
    return _("lager (−%(n)s)") % {"n": shown}

@register.filter
def consent_state(consent: Any, today: Any) -> str:
    if consent.withdrawn_at is not None:
        return _("ingetrokken")
    if consent.valid_until is not None and consent.valid_until < today:
        return _("verlopen")
    if consent.valid_from > today:
        return _("gaat nog in")
    return _("geldig")

@register.filter
def basis_state(basis: Any, today: Any) -> str:
    if basis.ended_at is not None:
        return _("beëindigd")
    if basis.valid_until < today:
        return _("verlopen")
    if basis.valid_from > today:
        return _("gaat nog in")
    return _("geldig")

@register.filter
def get(mapping: Any, key: Any) -> Any:
    try:
        return mapping.get(key)
    except AttributeError:
        return None
