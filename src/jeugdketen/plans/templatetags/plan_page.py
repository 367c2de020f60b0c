"""Template helpers of the coordinator's family page: euro amounts, level and category
labels, the T-score change in words."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from jeugdketen.access.models import LegalBasisKind
from jeugdketen.analysis.domains import LEVELS
from jeugdketen.plans.forms import CATEGORY_LABELS

register = template.Library()

@register.filter
def euro(value: Any) -> str:
    """1234.5 -> '€ 1.234,50' (in Dutch; English: '€ 1,234.50')."""
    if value in (None, ""):
        return "–"
    return f"€ {number_format(Decimal(value), 2, force_grouping=True)}"

@register.filter
def level_label(score: Any) -> str:
    """A self-reliance score 1-5 with its words: '3 – beperkt zelfredzaam'."""
    if score in (None, ""):
        return "–"
    return f"{score} – {LEVELS.get(int(score), '')}"

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

@register.filter
def t_score(value: Any) -> str:
    return "–" if value is None else number_format(value, 1)

@register.filter
def t_change(delta: Any) -> str:
    """The change of the T-score since the evaluation before, in words and numbers."""
    if delta is None:
        return _("eerste evaluatie")
    if abs(delta) < 0.05:
        return _("gelijk")
    amount = number_format(abs(delta), 1)
    if delta > 0:
        return _("hoger (+%(n)s)") % {"n": amount}
    return _("lager (−%(n)s)") % {"n": amount}

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
