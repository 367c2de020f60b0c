"""Template helpers: form fields in NL Design System markup, and translated labels."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms, template
from django.forms import BoundField

from jeugdketen.core import vocabulary as v

register = template.Library()

INVALID = {
    "utrecht-textbox": "utrecht-textbox--invalid",
    "utrecht-textarea": "utrecht-textarea--invalid",
    "utrecht-select": "utrecht-select--invalid",
}


@register.inclusion_tag("ui/includes/field.html")
def field(bf: BoundField, extra_class: str = "", show_optional: bool = True) -> dict[str, Any]:
    """One form field: label, description, error message and input, tied together with
    aria-describedby (errors first) and aria-invalid."""
    widget = bf.field.widget
    base_id = bf.auto_id or f"id_{bf.html_name}"
    hint_id = f"{base_id}_hint" if bf.help_text else ""
    error_id = f"{base_id}_error" if bf.errors else ""
    describedby = " ".join(i for i in (error_id, hint_id) if i)
    kind = "input"
    if isinstance(widget, forms.RadioSelect):
        kind = "radio"
    elif isinstance(widget, forms.CheckboxInput):
        kind = "checkbox"
    ctx: dict[str, Any] = {
        "field": bf, "kind": kind, "hint_id": hint_id, "error_id": error_id,
        "describedby": describedby, "errors": list(bf.errors),
        "optional": show_optional and not bf.field.required and kind != "checkbox",
    }
    if kind != "radio":
        classes = widget.attrs.get("class", "").split()
        if bf.errors:
            classes += [INVALID[c] for c in classes if c in INVALID]
        if extra_class:
            classes.append(extra_class)
        attrs: dict[str, Any] = {"class": " ".join(classes)}
        if describedby:
            attrs["aria-describedby"] = describedby
        if bf.field.required:
            attrs["aria-required"] = "true"
        ctx["input"] = bf.as_widget(attrs=attrs)
    return ctx


@register.inclusion_tag("ui/includes/error_summary.html")
def error_summary(form: forms.BaseForm) -> dict[str, Any]:
    """The list of problems at the top of a form, each linking to its field."""
    items = []
    for name in form.fields:
        if name not in form.errors:
            continue
        bf = form[name]
        anchor = bf.auto_id or f"id_{name}"
        if isinstance(bf.field.widget, forms.RadioSelect):
            anchor = f"{anchor}_0"
        for message in form.errors[name]:
            items.append({"href": f"#{anchor}", "message": message, "label": bf.label})
    return {"form": form, "items": items, "non_field": form.non_field_errors()}


@register.filter
def ground_label(code: str) -> str:
    return v.label(v.Ground, code)


@register.filter
def viewer_ground(code: str) -> str:
    return v.viewer_text(code)


@register.filter
def action_label(code: str) -> str:
    return v.label(v.Action, code)


@register.filter
def data_label(code: str) -> str:
    return v.label(v.Data, code)


@register.filter
def role_label(code: str) -> str:
    return v.roles_label(code)


@register.filter
def outcome_label(code: str) -> str:
    return v.label(v.Outcome, code)


@register.filter
def sex_label(code: str) -> str:
    return v.label(v.Sex, code)


@register.filter
def relation_label(code: str) -> str:
    return v.label(v.Relation, code)


@register.filter
def channel_label(code: str) -> str:
    return v.label(v.Channel, code)


@register.filter
def field_label(code: str) -> str:
    return v.label(v.Field, code)


@register.filter
def family_text(code: str, vocabulary: str) -> str:
    """The family's plain-language text of a code: {{ record.ground|family_text:"ground" }}."""
    if vocabulary == "role":
        return v.roles_label(code, family=True)
    return v.family_text(v.VOCABULARIES[vocabulary], code)


@register.filter
def postcode(value: str) -> str:
    """'9999AB' -> '9999 AB'."""
    value = value or ""
    return f"{value[:4]} {value[4:]}" if len(value) == 6 else value


@register.simple_tag(takes_context=True)
def query(context: dict[str, Any], **changes: Any) -> str:
    """The current query string with some parameters changed (for paging links)."""
    request = context["request"]
    params = request.GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    encoded = urlencode(sorted(params.items()))
    return f"?{encoded}" if encoded else "?"


@register.filter
def minutes(value: Any) -> int:
    """A timedelta (or seconds) as whole minutes, rounded up."""
    seconds = value.total_seconds() if hasattr(value, "total_seconds") else float(value or 0)
    return max(1, int(-(-seconds // 60)))


@register.filter
def age(person: Any) -> int | None:
    from django.utils import timezone

    try:
        age_on: int | None = person.age_on(timezone.localdate())
        return age_on
    except (AttributeError, TypeError):
        return None


@register.simple_tag
def change_value(name: str, value: Any) -> str:
    """A value from a correction proposal, readable: a date, a sex label, a postcode."""
    from datetime import date

    from django.utils import formats

    if value in (None, ""):
        return "–"
    if name == "birth_date":
        try:
            return formats.date_format(date.fromisoformat(str(value)), "DATE_FORMAT")
        except ValueError:
            return str(value)
    if name == "sex":
        return v.label(v.Sex, value)
    if name == "postcode":
        return postcode(str(value))
    return str(value)


@register.filter
def money(value: Any) -> str:
    """The platform's one money format: '€ 1.234,56' in Dutch, '€1,234.56' in English."""
    from decimal import Decimal, InvalidOperation

    from django.utils.formats import number_format
    from django.utils.translation import get_language

    if value in (None, ""):
        return "–"
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    shown = number_format(amount, 2, force_grouping=True)
    if (get_language() or "nl").startswith("en"):
        return f"€{shown}"
    return f"€ {shown}"


def _moment(value: Any) -> Any:
    """A datetime, date or ISO string (as a JSON report keeps them) as a date or an aware
    datetime; None when it is none of these."""
    from datetime import date, datetime

    if isinstance(value, datetime | date):
        return value
    if not value:
        return None
    text = str(value)
    try:
        return date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text)
    except ValueError:
        return None


@register.filter
def local_datetime(value: Any) -> str:
    """A moment in Europe/Amsterdam time: '5 december 2026 23:56' (English '5 December
    2026 23:56'). Also takes ISO strings such as '2026-12-05T22:56+00:00'."""
    from datetime import datetime

    from django.utils import formats, timezone

    moment = _moment(value)
    if moment is None:
        return str(value or "–")
    if not isinstance(moment, datetime):
        return formats.date_format(moment, "DATE_FORMAT")
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return formats.date_format(moment, "DATETIME_FORMAT")


@register.filter
def local_date(value: Any) -> str:
    """A day: '5 december 2026' (English '5 December 2026'); takes ISO strings too."""
    from datetime import datetime

    from django.utils import formats, timezone

    moment = _moment(value)
    if moment is None:
        return str(value or "–")
    if isinstance(moment, datetime):
        moment = timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()
    return formats.date_format(moment, "DATE_FORMAT")
