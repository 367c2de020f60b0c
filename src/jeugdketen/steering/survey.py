"""The yearly job-satisfaction survey, instrument "jk-werkplezier-1" (docs/steering.md,
"Time and satisfaction"): three short scales after seed 004 (variety in the work,
professional autonomy, collegial support), each of a few statements on a five-point agree
scale, and an overall score from 0 to 10. Our own plain-language items, written for this
platform (no licensed instrument's items); a changed item is a new version."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from jeugdketen.steering.models import SURVEY_VERSION

VERSION = SURVEY_VERSION
AGREE_MIN, AGREE_MAX = 1, 5
OVERALL_MIN, OVERALL_MAX = 0, 10


@dataclass(frozen=True)
class Item:
    key: str
    scale: str
    text: Promise


SCALES: dict[str, Promise] = {
    "variety": _("Afwisseling"),
    "autonomy": _("Zelf beslissen"),
    "support": _("Steun van collega's"),
}

ITEMS: tuple[Item, ...] = (
    Item("variety_1", "variety", _("Mijn werk is afwisselend.")),
    Item("variety_2", "variety", _("Ik doe in mijn werk verschillende soorten taken.")),
    Item("variety_3", "variety", _("Ik leer in mijn werk nog steeds nieuwe dingen.")),
    Item("autonomy_1", "autonomy", _("Ik bepaal zelf hoe ik een gezin help.")),
    Item("autonomy_2", "autonomy", _("Ik kan mijn werkdag zelf indelen.")),
    Item("autonomy_3", "autonomy", _("Voor de meeste keuzes in mijn werk hoef ik geen "
                                     "toestemming te vragen.")),
    Item("autonomy_4", "autonomy", _("Regels en formulieren houden mij zelden tegen om te "
                                     "doen wat een gezin nodig heeft.")),
    Item("support_1", "support", _("Als ik vastloop, kan ik bij collega's terecht.")),
    Item("support_2", "support", _("Collega's denken met mij mee over moeilijke situaties.")),
    Item("support_3", "support", _("In mijn team helpen we elkaar als het druk is.")),
)

AGREE_CHOICES: tuple[tuple[int, Promise], ...] = (
    (1, _("Helemaal oneens")),
    (2, _("Oneens")),
    (3, _("Niet eens, niet oneens")),
    (4, _("Eens")),
    (5, _("Helemaal eens")),
)

OVERALL_TEXT = _("Welk cijfer geeft u uw werkplezier van het afgelopen jaar? (0 is heel "
                 "slecht, 10 is uitstekend)")


def scale_means(scores: dict[str, int]) -> dict[str, float]:
    """Each scale's mean of its items' scores (1..5), rounded to two decimals."""
    out = {}
    for scale in SCALES:
        values = [scores[i.key] for i in ITEMS if i.scale == scale]
        out[scale] = round(sum(values) / len(values), 2)
    return out
