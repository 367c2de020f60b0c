"""Validation of Dutch identifiers: BSN (eleven test), postcode, CBS area codes.

Each check returns a normalised value or raises ValidationError with a code and a message
that names the rule, so the API and the forms can tell the user what was wrong.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

BSN_RULE = "elfproef"


def bsn_checksum(digits: str) -> int:
    """9*d1 + 8*d2 + ... + 2*d8 - 1*d9 for a 9-digit string."""
    weights = (9, 8, 7, 6, 5, 4, 3, 2, -1)
    return sum(w * int(d) for w, d in zip(weights, digits, strict=True))


def is_valid_bsn(value: str) -> bool:
    if not re.fullmatch(r"[0-9]{8,9}", value):
        return False
    digits = value.zfill(9)
    total = bsn_checksum(digits)
    return total != 0 and total % 11 == 0


def normalise_bsn(value: str) -> str:
    """Strip spaces and dots, add the leading zero to an 8-digit number, check the eleven test."""
    raw = re.sub(r"[\s.]", "", str(value))
    # [0-9], not \d: \d also matches other scripts' digits, which would store one BSN
    # under a second spelling and slip past the unique constraint.
    if not re.fullmatch(r"[0-9]{8,9}", raw):
        raise ValidationError(
            _("Een BSN bestaat uit 9 cijfers (8 cijfers krijgen een voorloopnul)."), code="bsn_format"
        )
    if not is_valid_bsn(raw):
        raise ValidationError(
            _("Dit BSN voldoet niet aan de elfproef."), code=BSN_RULE
        )
    return raw.zfill(9)


_POSTCODE = re.compile(r"^([1-9][0-9]{3})\s?([A-Za-z]{2})$")


def normalise_postcode(value: str) -> str:
    """'1234 ab' -> '1234AB'. The letter pairs SA, SD and SS are not issued."""
    match = _POSTCODE.match(value.strip())
    if not match or match.group(2).upper() in {"SA", "SD", "SS"}:
        raise ValidationError(
            _("Een postcode is 4 cijfers (niet beginnend met 0) en 2 letters, zoals 1234 AB."),
            code="postcode_format",
        )
    return match.group(1) + match.group(2).upper()


def validate_house_number(value: int) -> int:
    if not 1 <= int(value) <= 99999:
        raise ValidationError(_("Een huisnummer ligt tussen 1 en 99999."), code="house_number_range")
    return int(value)


def normalise_house_letter(value: str) -> str:
    """One letter after the house number (70A): the BRP's huisletter."""
    value = (value or "").strip().upper()
    if value and not re.fullmatch(r"[A-Z]", value):
        raise ValidationError(_("Een huisletter is één letter, zoals de A in 70A."),
                              code="house_letter_format")
    return value


def normalise_house_number_addition(value: str) -> str:
    """Up to four letters or digits after the house number (12-2, 7 bis): the BRP's
    huisnummertoevoeging."""
    value = (value or "").strip()
    if value and not re.fullmatch(r"[A-Za-z0-9]{1,4}", value):
        raise ValidationError(_("Een toevoeging is ten hoogste 4 letters of cijfers, zoals de 2 "
                                "in 12-2."), code="house_number_addition_format")
    return value


HOUSE = re.compile(r"^(\d{1,5})(?!\d)\s*([A-Za-z])?(?:\s*[-/]?\s*([A-Za-z0-9]{1,4}))?$")


def split_house_number(value: str) -> tuple[int | None, str, str]:
    """A house number as people write it, in the BRP's three parts (huisnummer, huisletter,
    huisnummertoevoeging): 70 -> (70, "", ""), 70A -> (70, "A", ""), 12-2 -> (12, "", "2"),
    12 bis -> (12, "", "bis"), 7 B-1 -> (7, "B", "1"). Empty gives (None, "", "")."""
    text = " ".join((value or "").split())
    if not text:
        return None, "", ""
    if text.isdigit():
        return validate_house_number(int(text)), "", ""
    match = HOUSE.fullmatch(text)
    if match is None:
        raise ValidationError(
            _("Vul een huisnummer in zoals 12, 70A of 12-2."), code="house_number_format")
    number, letter, addition = match.groups()
    if letter and addition and addition.isalpha() \
            and letter + addition == text[len(number):].replace(" ", ""):
        letter, addition = "", letter + addition  # "12 bis": one word, an addition
    return (validate_house_number(int(number)), normalise_house_letter(letter or ""),
            normalise_house_number_addition(addition or ""))


def validate_municipality_code(value: str) -> str:
    if not re.fullmatch(r"GM\d{4}", value):
        raise ValidationError(
            _("Een gemeentecode is GM gevolgd door 4 cijfers (CBS), zoals GM0363."),
            code="municipality_code_format",
        )
    return value


def cbs_code(prefix: str, value: str, width: int) -> str:
    """CBS files write area codes as bare numbers ('36300'); the platform as 'WK036300'."""
    value = value.strip()
    if value.upper().startswith(prefix):
        value = value[len(prefix):]
    if not value.isdigit() or len(value) > width:
        raise ValidationError(
            _("Ongeldige CBS-code %(value)r.") % {"value": value}, code="cbs_code"
        )
    return prefix + value.zfill(width)
