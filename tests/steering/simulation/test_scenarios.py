"""Scenarios: checked with errors naming the field, and what they change in the model."""

from __future__ import annotations

import pytest

from jeugdketen.steering.simulation.scenarios import Scenario, ScenarioError, apply
from tests.steering.simulation.model_store import small_model


def test_defaults_and_round_trip():
    s = Scenario.from_data({})
    assert (s.way, s.slots, s.arrivals_pct, s.weeks, s.replications, s.seed) == (
        "present", {}, 0.0, 52, 30, 1)
    again = Scenario.from_data(Scenario(way="joint", slots={"2": 3}, arrivals_pct=10).as_data())
    assert again == Scenario(way="joint", slots={"2": 3}, arrivals_pct=10.0)


@pytest.mark.parametrize(("data", "field"), [
    ([], "scenario"), ({"way": "both"}, "way"), ({"way": 3}, "way"),
    ({"weeks": True}, "weeks"), ({"weeks": 261}, "weeks"), ({"replications": 0}, "replications"),
    ({"arrivals_pct": "10"}, "arrivals_pct"), ({"arrivals_pct": float("nan")}, "arrivals_pct"),
    ({"slots": [1]}, "slots"), ({"slots": {"1": 1.5}}, "slots.1"), ({"slots": {"x": 1}}, "slots.x"),
    ({"seed": 2 ** 31}, "seed"), ({"colour": 1}, "colour"),
])
def test_a_bad_field_is_named(data, field):
    with pytest.raises(ScenarioError) as caught:
        Scenario.from_data(data)
    assert caught.value.field == field


def test_apply_changes_slots_lead_arrivals_and_horizon():
    model = small_model(weeks=52, per_week=10)  # slots 8, 4, 2
    changed = apply(model, Scenario(way="joint", slots={"1": 2, "3": -1}, arrivals_pct=-20,
                                    weeks=10))
    assert changed.slots == {"1": 10.0, "2": 4.0, "3": 1.0}
    assert changed.lead_scale == {"1": 0.8, "3": 2.0}  # the list worked off at the new pace
    assert changed.arrivals_factor == pytest.approx(0.8)
    assert (changed.way, changed.weeks, changed.horizon_weeks) == ("joint", 10, 36)
    assert model.slots == {"1": 8.0, "2": 4.0, "3": 2.0}  # the calibrated model untouched


def test_no_slots_for_a_needed_organisation_is_refused():
    with pytest.raises(ScenarioError) as caught:
        apply(small_model(), Scenario(slots={"3": -3}))  # 2.4 a week now
    assert caught.value.field == "slots.3"
