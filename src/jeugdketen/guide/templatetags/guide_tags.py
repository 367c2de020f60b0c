"""Template helpers for the decision aids: a YAML text in the page's language."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

register = template.Library()


@register.filter
def local(text: Any) -> str:
    """A {nl, en} text from an aid's YAML, in the current language (Dutch first)."""
    if text is None:
        return ""
    return str(text.get(get_language()))
