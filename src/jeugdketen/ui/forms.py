"""The base form of the web UI and the form parts every page shares (dates, a period).
They parse what the user typed; the actions check the rules and the policy. Every widget
gets its NL Design System (Utrecht) classes here."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

WIDGET_CLASSES: list[tuple[type[forms.Widget], str]] = [
    (forms.RadioSelect, "utrecht-radio-button utrecht-radio-button--html-input utrecht-form-field__input"),
    (forms.CheckboxInput, "utrecht-checkbox utrecht-checkbox--html-input utrecht-checkbox--custom utrecht-form-field__input"),
    (forms.Textarea, "utrecht-textarea utrecht-textarea--html-textarea"),
    (forms.Select, "utrecht-select utrecht-select--html-select"),
    (forms.widgets.Input, "utrecht-textbox utrecht-textbox--html-input"),
]


class UtrechtForm(forms.Form):
    """Adds the Utrecht component classes to each widget. No HTML `required`: the
    browser would mark untouched fields as invalid (red) and show its own messages;
    the server checks, and the labels say which fields are optional."""

    use_required_attribute = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self)


def style_widgets(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        for widget_type, classes in WIDGET_CLASSES:
            if isinstance(field.widget, widget_type):
                existing = field.widget.attrs.get("class", "")
                field.widget.attrs["class"] = f"{classes} {existing}".strip()
                break


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"]
DATE_INVALID = _("Vul een datum in als dag-maand-jaar, bijvoorbeeld 17-03-2015.")


class PeriodForm(UtrechtForm):
    start = forms.DateField(label=_("Van"), required=False, input_formats=DATE_FORMATS,
                            error_messages={"invalid": DATE_INVALID}, widget=DateInput())
    end = forms.DateField(label=_("Tot en met"), required=False, input_formats=DATE_FORMATS,
                          error_messages={"invalid": DATE_INVALID}, widget=DateInput())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start: date | None = data.get("start")
        end: date | None = data.get("end")
        if start and end and end < start:
            self.add_error("end", _("De einddatum ligt voor de begindatum."))
        return data
