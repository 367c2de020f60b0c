"""The demo's simulation runs (demo/steering_sim.py), made through the actions: a
validation and two scenarios for an analyst whose municipality has reports; none for one
without (the refusal is not raised)."""

from __future__ import annotations

import time

from jeugdketen.chainlog.models import ChainEvent
from jeugdketen.demo import steering_sim
from jeugdketen.steering.models import SimulationRun


def test_load_makes_a_validation_and_two_scenarios_through_the_actions(iw, sim_store):
    began = time.monotonic()
    runs = steering_sim.load(replications=3, weeks=8)
    assert time.monotonic() - began < 60
    assert [(r.municipality_id, r.kind, r.status) for r in runs] == [
        ("GM9911", "validation", "done"), ("GM9911", "scenario", "done"),
        ("GM9911", "scenario", "done")]
    assert runs[1].scenario["way"] == "joint" and runs[2].scenario["slots"] == {"1": 2}
    assert all(r.requested_by_id == iw.analyst.pk for r in runs)
    assert ChainEvent.objects.filter(activity="simulation.run").count() == 3
    # Andersdorp's analyst: no reports in the store, so nothing (and nothing raised)
    assert not SimulationRun.objects.filter(municipality_id="GM9912").exists()
