"""The life domains of the integral analysis (Zorgroutekaart): the self-reliance matrix
(ZRM 2017) with its five levels, the child domains of the household variant, and the
stress judgement per child (domain.md section 3)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

STALE_AFTER_DAYS = 30  # ZRM: information older than 30 days is not used
ADULT_FROM_AGE = 18

LEVELS = {
    1: _("acute problematiek"),
    2: _("niet zelfredzaam"),
    3: _("beperkt zelfredzaam"),
    4: _("voldoende zelfredzaam"),
    5: _("volledig zelfredzaam"),
}

ADULT_DOMAINS = {
    "finances": _("Financiën"),
    "work_education": _("Werk en opleiding"),
    "use_of_time": _("Tijdsbesteding"),
    "housing": _("Huisvesting"),
    "domestic_relations": _("Huiselijke relaties"),
    "mental_health": _("Geestelijke gezondheid"),
    "physical_health": _("Lichamelijke gezondheid"),
    "substance_use": _("Middelengebruik"),
    "basic_adl": _("Basale ADL"),
    "instrumental_adl": _("Instrumentele ADL"),
    "social_network": _("Sociaal netwerk"),
    "social_participation": _("Maatschappelijke participatie"),
    "justice": _("Justitie"),
}

CHILD_DOMAINS = {
    "family_structure": _("Gezinsopbouw"),
    "physical_care": _("Lichamelijke verzorging"),
    "emotional_support": _("Emotionele steun"),
    "socialisation": _("Opvoeding en socialisatie"),
    "childcare": _("Kinderopvang"),
    "schooling": _("Onderwijs"),
}

ALL_DOMAINS = {**ADULT_DOMAINS, **CHILD_DOMAINS}


class Stress:
    POSITIVE = "positive"
    TOLERABLE = "tolerable"
    TOXIC = "toxic"
    LABELS: ClassVar[dict[str, str | Promise]] = {
        POSITIVE: _("positieve stress"),
        TOLERABLE: _("toelaatbare stress"),
        TOXIC: _("toxische stress"),
    }


def domains_for(age: int) -> Mapping[str, object]:
    """Adults are scored on the 13 ZRM domains, children on the child domains."""
    return ADULT_DOMAINS if age >= ADULT_FROM_AGE else CHILD_DOMAINS
