"""The Kiresuk-Sherman T-score against hand-computed cases (rho 0.3)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jeugdketen.plans.gas import t_score


def test_all_goals_as_expected_is_fifty():
    assert t_score([(0, 1), (0, 1), (0, 3)]) == 50.0


def test_one_goal_at_plus_one():
    # 50 + 10*1 / sqrt(0.7*1 + 0.3*1) = 60
    assert t_score([(1, 1)]) == 60.0


def test_three_equal_goals_by_hand():
    # scores 2, 1, -1, weights 1: sum wx = 2; sum w^2 = 3; (sum w)^2 = 9
    # denominator sqrt(0.7*3 + 0.3*9) = sqrt(4.8) = 2.19089; T = 50 + 20/2.19089 = 59.13
    assert t_score([(2, 1), (1, 1), (-1, 1)]) == 59.1


def test_unequal_weights_by_hand():
    # scores 1 (w 3), -2 (w 1), 0 (w 2): sum wx = 3 - 2 + 0 = 1
    # sum w^2 = 9 + 1 + 4 = 14; (sum w)^2 = 36; sqrt(0.7*14 + 0.3*36) = sqrt(20.6) = 4.5387
    # T = 50 + 10/4.5387 = 52.20
    assert t_score([(1, 3), (-2, 1), (0, 2)]) == 52.2


def test_weights_change_the_score():
    # The same scores, the heavy goal the one that went badly: below 50.
    # sum wx = -2*5 + 1*1 = -9; sum w^2 = 26; (sum w)^2 = 36; sqrt(18.2 + 10.8) = sqrt(29)
    assert t_score([(-2, 5), (1, 1)]) == round(50 - 90 / math.sqrt(29), 1) == 33.3


def test_all_at_best_two_goals():
    # 50 + 10*4 / sqrt(0.7*2 + 0.3*4) = 50 + 40/sqrt(2.6) = 74.81
    assert t_score([(2, 1), (2, 1)]) == 74.8


@pytest.mark.parametrize("bad", [[], [(3, 1)], [(-3, 1)], [(1, 0)]])
def test_refuses_what_is_not_a_scaled_goal(bad):
    with pytest.raises(ValueError):
        t_score(bad)


@given(st.lists(st.tuples(st.integers(-2, 2), st.integers(1, 10)), min_size=1, max_size=30))
def test_symmetry_and_range(pairs):
    t = t_score(pairs)
    mirrored = t_score([(-x, w) for x, w in pairs])
    assert abs((t - 50) + (mirrored - 50)) <= 0.11  # rounding of both to one decimal
    # At most 2 standard units per goal away, shrunk by the correlation.
    assert 50 - 10 * 2 / math.sqrt(0.7 / len(pairs) + 0.3) - 0.1 <= t
