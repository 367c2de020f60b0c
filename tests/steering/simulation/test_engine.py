"""The simulation engine against closed-form answers and hand cases: an M/M/1 and an M/M/c
queue reproduce Erlang C's mean wait; a seed gives the same run; joint intakes wait less
than sequential ones on the same calendars; the calendar spreads a week's slots."""

from __future__ import annotations

import dataclasses

import pytest

from jeugdketen.steering.simulation import engine
from jeugdketen.steering.simulation.engine import Calendar, Report, first_free
from tests.steering.simulation.model_store import small_model


@pytest.mark.parametrize(("servers", "arrival_rate", "service_rate"),
                         [(1, 0.7, 1.0), (3, 2.4, 1.0), (5, 4.0, 1.0)])
def test_mmc_queue_reproduces_erlang_c(servers, arrival_rate, service_rate):
    known = engine.erlang_c_wait(arrival_rate, service_rate, servers)
    runs = engine.replicate(
        lambda _model, seed: engine.queue_waits(arrival_rate, service_rate, servers, 20_000,
                                                seed), None, engine.seeds_for(7, 8))
    estimate = engine.interval([r["mean_wait"] for r in runs])
    assert estimate["mean"] == pytest.approx(known, rel=0.08)
    # and the 95% interval over replications holds the known answer
    assert estimate["low"] <= known <= estimate["high"]


def test_erlang_c_by_hand():
    # M/M/1: Wq = rho / (mu - lambda) = 0.5 / 0.5 = 1; M/M/2, a = 1: P(wait) = 1/3, Wq = 1/3
    assert engine.erlang_c_wait(0.5, 1.0, 1) == pytest.approx(1.0)
    assert engine.erlang_c_wait(1.0, 1.0, 2) == pytest.approx(1 / 3)
    with pytest.raises(ValueError, match="not stable"):
        engine.erlang_c_wait(2.0, 1.0, 2)


def test_a_seed_gives_the_same_run_and_another_seed_another():
    model = small_model(weeks=20)
    a, b = engine.run_one(model, 5), engine.run_one(model, 5)
    assert a == b
    assert engine.run_one(model, 6) != a


def test_parallel_replications_equal_the_serial_ones():
    model = small_model(weeks=8)
    seeds = engine.seeds_for(3, 4)
    assert (engine.replicate(engine.run_one, model, seeds, workers=2)
            == engine.replicate(engine.run_one, model, seeds, workers=1))


def test_calendar_spreads_a_weeks_slots_over_the_working_days():
    c = Calendar(7)
    assert [c.capacity(d) for d in range(7)] == [1, 1, 2, 1, 2, 0, 0]
    assert sum(c.capacity(d) for d in range(70)) == 70
    assert [Calendar(0.5).capacity(d) for d in range(14)].count(1) == 1


def test_joint_books_the_first_common_free_day():
    a, b = Calendar(5), Calendar(5)  # one slot a working day
    a.take(0)
    b.take(1)
    assert first_free([a, b], 0, 100) == 2
    assert first_free([a], 0, 100) == 1
    assert first_free([Calendar(0)], 0, 50) is None


def test_joint_intakes_wait_less_than_sequential_ones_hand_case():
    """Every report needs two disciplines, each organisation has the same calendar with
    room to spare, each organisation's lead is 14 days, planning takes 1: sequentially a
    family waits for two bookings one after the other, jointly for one."""
    model = dataclasses.replace(
        small_model(weeks=26), disciplines={2: 1.0}, p_intake=dict.fromkeys(engine.URGENCIES, 1.0),
        lead_days={"1": [14], "2": [14], "3": [14]}, joint_lead_days=[14], planning_days=[1],
        slots={"1": 20.0, "2": 20.0, "3": 20.0}, p_help_after_intake=1.0, help_days=[0])
    joint = engine.run_one(dataclasses.replace(model, way="joint"), 1)
    sequential = engine.run_one(dataclasses.replace(model, way="sequential"), 1)
    # A booking lands on the first working day from planning + 15 days: 15 to 17 days.
    assert 15 <= joint["waits"]["intake"]["p50"] <= 17
    assert sequential["waits"]["further_intakes"]["p50"] >= 15
    assert joint["waits"]["further_intakes"]["n"] == 0
    gain = (sequential["waits"]["time_to_help"]["p50"] - joint["waits"]["time_to_help"]["p50"])
    assert gain >= 15


def test_help_after_a_joint_intake_is_drawn_from_its_own_figures():
    """Calibrated apart, a joint intake's help comes from the joint figures (all helped, on
    the day) and single intakes' from the others (none helped)."""
    model = dataclasses.replace(
        small_model(weeks=26), disciplines={2: 1.0}, p_intake=dict.fromkeys(engine.URGENCIES, 1.0),
        p_direct=dict.fromkeys(engine.URGENCIES, 0.0), slots={"1": 20.0, "2": 20.0, "3": 20.0},
        p_help_after_intake=0.0, help_days=[30], p_help_after_joint=1.0, help_days_joint=[0])
    joint = engine.simulate(dataclasses.replace(model, way="joint"), 1)
    sequential = engine.simulate(dataclasses.replace(model, way="sequential"), 1)
    held = [r for r in joint if r.intakes]
    assert held and all(r.help == r.intakes[-1] for r in held)
    assert [r for r in sequential if r.intakes] and not any(r.help for r in sequential)
    # Not calibrated apart (None): a joint intake takes the single intakes' figures.
    plain = engine.simulate(dataclasses.replace(model, way="joint", p_help_after_joint=None), 1)
    assert not any(r.help for r in plain)


def test_fewer_slots_mean_longer_waits_and_a_longer_list():
    model = small_model(weeks=26)
    tight = dataclasses.replace(model, slots={"1": 3.0, "2": 2.0, "3": 1.0})
    free, full = engine.run_one(model, 2), engine.run_one(tight, 2)
    assert full["waits"]["intake"]["p50"] > free["waits"]["intake"]["p50"] + 5
    assert full["waiting_list"][-1] > free["waiting_list"][-1]


def test_waits_are_whole_days_between_the_steps_days():
    r = Report(arrived=0.9, urgency="regular", triaged=1.1, intakes=[5.5, 9.5], help=12.5)
    waits = engine.step_waits([r])
    assert waits == {"triage": [1], "intake": [4], "further_intakes": [4], "help": [3],
                     "time_to_help": [12]}
    assert engine.waiting_list([r, Report(arrived=3.0, urgency="crisis", triaged=4.0,
                                          out=4.0)], 2) == [1, 0]


def test_quantile_and_interval():
    assert engine.quantile([1, 2, 3, 4], 0.5) == 2.5
    assert engine.quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9) == pytest.approx(9.1)
    assert engine.quantile([], 0.5) is None
    i = engine.interval([1.0, 2.0, 3.0])
    assert i["mean"] == 2.0
    assert i["high"] - i["mean"] == pytest.approx(4.303 * 1.0 / 3 ** 0.5, rel=1e-3)


def test_the_difference_is_paired_over_the_same_seeds():
    model = small_model(weeks=26)
    seeds = engine.seeds_for(1, 5)
    base = [engine.run_one(model, s) for s in seeds]
    joint = [engine.run_one(dataclasses.replace(model, way="joint"), s) for s in seeds]
    agg = engine.aggregate(joint, base)
    diffs = [j["waits"]["time_to_help"]["p90"] - b["waits"]["time_to_help"]["p90"]
             for j, b in zip(joint, base, strict=True)]
    assert agg["difference"]["time_to_help"]["p90"]["mean"] == pytest.approx(
        sum(diffs) / len(diffs))
    assert agg["difference"]["time_to_help"]["p90"]["high"] < 0  # joint: shorter
    assert len(agg["waiting_list"]) == 26
