"""Property tests of the eleven test (registry/validators.py), with hypothesis.

The expectations come from domain.md section 5: 9 digits, 8 digits get a leading zero,
9*d1 + 8*d2 + ... + 2*d8 - 1*d9 divisible by 11 and not 0. The checksum used to build
valid numbers lives in tests/factories.py, written independently of the validator.
"""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from hypothesis import assume, example, given
from hypothesis import strategies as st

from jeugdketen.registry.validators import BSN_RULE, is_valid_bsn, normalise_bsn
from tests.factories import SYNTHETIC_BSNS, check_digit, passes_elfproef

valid_bsns = st.sampled_from(SYNTHETIC_BSNS)


def rejected_with(value: str) -> str:
    with pytest.raises(ValidationError) as info:
        normalise_bsn(value)
    return info.value.code


def test_the_rule_is_called_elfproef():
    assert BSN_RULE == "elfproef"


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        # 9*9 + 8*9 + 7*9 + 6*9 + 2*1 - 8 = 264 = 11 * 24
        ("999900018", True),
        # 9*(9+8+7+6+5+4+3+2) - 0 = 396 = 11 * 36
        ("999999990", True),
        # 272 - 9 = 263, not divisible by 11
        ("999900019", False),
        # 8 digits, read as 099990001: 8*9 + 7*9 + 6*9 + 5*9 - 1 = 233, not divisible
        ("99990001", False),
    ],
)
def test_hand_computed_examples(value, valid):
    assert is_valid_bsn(value) is valid
    if valid:
        assert normalise_bsn(value) == value.zfill(9)
    else:
        assert rejected_with(value) == "elfproef"


def test_every_number_in_the_test_range_is_judged_by_the_eleven_test():
    """Exhaustive over the whole synthetic range: accepted exactly when the independent
    checksum says so."""
    mismatches = [
        n for n in range(999_900_000, 1_000_000_000)
        if is_valid_bsn(str(n)) is not passes_elfproef(str(n))
    ]
    assert mismatches == []
    assert sum(1 for _ in SYNTHETIC_BSNS) > 9000


@given(valid_bsns)
def test_valid_numbers_are_accepted_unchanged(bsn):
    assert is_valid_bsn(bsn)
    assert normalise_bsn(bsn) == bsn


@given(valid_bsns, st.integers(0, 8), st.integers(1, 9))
def test_any_single_digit_change_is_rejected_by_the_eleven_test(bsn, position, delta):
    digits = list(bsn)
    digits[position] = str((int(digits[position]) + delta) % 10)
    changed = "".join(digits)
    assert changed != bsn
    assert not is_valid_bsn(changed)
    assert rejected_with(changed) == "elfproef"


@given(valid_bsns, st.integers(0, 7))
def test_swapping_two_different_adjacent_digits_is_rejected(bsn, position):
    assume(bsn[position] != bsn[position + 1])
    digits = list(bsn)
    digits[position], digits[position + 1] = digits[position + 1], digits[position]
    assert rejected_with("".join(digits)) == "elfproef"


@given(st.from_regex(r"[0-9]{8}", fullmatch=True))
def test_eight_digits_are_judged_with_a_leading_zero(eight):
    assert is_valid_bsn(eight) is is_valid_bsn("0" + eight)
    if passes_elfproef("0" + eight):
        assert normalise_bsn(eight) == "0" + eight
    else:
        assert rejected_with(eight) == "elfproef"


@given(st.from_regex(r"[0-9]{7}", fullmatch=True))
def test_valid_eight_digit_numbers_get_a_leading_zero(seven):
    # Never stored anywhere: only the pure validator sees these numbers.
    digit = check_digit("0" + seven)
    assume(digit is not None)
    eight = seven + str(digit)
    assume(passes_elfproef("0" + eight))  # a checksum of 0 is not a BSN
    assert normalise_bsn(eight) == "0" + eight
    assert len(normalise_bsn(eight)) == 9


@given(valid_bsns, st.sampled_from([" ", ".", "  ", ". "]))
def test_spaces_and_dots_between_digits_are_ignored(bsn, sep):
    formatted = sep.join([bsn[:4], bsn[4:6], bsn[6:]])
    assert normalise_bsn(formatted) == bsn
    assert normalise_bsn(f" {bsn} ") == bsn


@pytest.mark.parametrize("zeros", ["000000000", "00000000", "0000.00.000"])
def test_all_zero_is_rejected(zeros):
    assert not is_valid_bsn(zeros.replace(".", ""))
    assert rejected_with(zeros) == "elfproef"


@pytest.mark.parametrize("value", ["", "1", "1234567", "9999000180", "99990001899"])
def test_wrong_length_is_a_format_error(value):
    assert not is_valid_bsn(value)
    assert rejected_with(value) == "bsn_format"


NOT_ALLOWED = st.characters(
    blacklist_categories=("Cs",),
).filter(lambda c: not (c in "0123456789." or c.isspace()))


@given(valid_bsns, st.integers(0, 9), NOT_ALLOWED)
@example("999900018", 4, "a")
@example("999900018", 0, "-")
@example("999900018", 9, "x")
def test_a_non_digit_anywhere_is_a_format_error(bsn, position, char):
    value = bsn[:position] + char + bsn[position:]
    assert not is_valid_bsn(value)
    assert rejected_with(value) == "bsn_format"


@pytest.mark.parametrize(
    "value",
    [
        "９９９９０００１８",  # fullwidth digits  # noqa: RUF001 - fullwidth digits on purpose
        "٩٩٩٩٠٠٠١٨",  # Arabic-Indic digits
        "९९९९०००१८",  # Devanagari digits
        "99990001８",  # one fullwidth digit  # noqa: RUF001 - fullwidth digits on purpose
        "¹²³⁴⁵⁶⁷⁸⁹",  # superscripts
    ],
)
def test_non_ascii_digits_are_a_format_error(value):
    """A BSN is written in the digits 0-9. Accepting other scripts' digits would store
    the same number under a second spelling and defeat the unique constraint."""
    assert not is_valid_bsn(value)
    assert rejected_with(value) == "bsn_format"


@given(st.text(max_size=15))
@example("999900018")
@example("9999 00 018")
def test_normalised_value_is_always_nine_ascii_digits_passing_the_test(text):
    try:
        out = normalise_bsn(text)
    except ValidationError as exc:
        assert exc.code in {"bsn_format", "elfproef"}
        return
    assert re.fullmatch(r"[0-9]{9}", out)
    assert passes_elfproef(out)
