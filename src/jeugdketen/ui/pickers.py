"""Pickers that search as you type: the candidates a form may offer, found only among
what the user may pick (never a search over persons or professionals without a ground).

Each picker is a plain part of a normal form: without JavaScript the search box submits a
GET and the page shows the candidates found; with htmx the same search asks the picker's
endpoint for only the list of candidates and swaps it in place.

This is the generic part (the result, the limit, the search helpers); the pickers
themselves live with what they pick from: referral_index.pickers.youth and
plans.pickers.team."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

PICKER_LIMIT = 20


@dataclass
class Picked:
    """The candidates found (at most PICKER_LIMIT, and `more` when there were more)."""

    options: list[tuple[str, str]] = field(default_factory=list)
    more: bool = False
    search: str = ""


def as_uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None


def professional_search(text: str) -> Q | None:
    """Name words: each in the professional's name or their organisation's name."""
    words = (text or "").split()[:8]
    if not words:
        return None
    where = Q()
    for word in words:
        where &= Q(full_name__icontains=word) | Q(organisation__name__icontains=word)
    return where
