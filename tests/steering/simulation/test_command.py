"""`jeugdketen simulate`: the validation table and the scenario against the present;
bad arguments name the option."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command


def simulate(*args: str) -> str:
    out = StringIO()
    call_command("simulate", *args, stdout=out)
    return out.getvalue()


def test_the_command_prints_validation_and_scenario(iw, sim_store):
    text = simulate("--municipality", "GM9911", "--scenario", "joint", "--slots", "1=+2",
                    "--arrivals", "+10%", "--weeks", "8", "--replications", "3", "--validate")
    assert "validation (tolerance: 2 days or 15% of the observed" in text
    for step in ("triage", "intake", "further_intakes", "help", "time_to_help"):
        assert step in text
    assert "validation: passed" in text or "validation: NOT passed" in text
    assert "'way': 'joint'" in text and "'slots': {'1': 2}" in text
    assert "'arrivals_pct': 10.0" in text
    assert "p50" in text and "p90" in text and "3 replications in" in text


def test_the_same_seed_prints_the_same_result(iw, sim_store):
    args = ("--municipality", "GM9911", "--weeks", "6", "--replications", "2", "--seed", "4")
    first, second = simulate(*args), simulate(*args)
    strip = [line for line in first.splitlines() if "replications in" not in line]
    assert strip == [line for line in second.splitlines() if "replications in" not in line]


@pytest.mark.parametrize(("args", "option"), [
    (("--municipality", "Telstad"), "--municipality"),
    (("--municipality", "GM9911", "--slots", "4=+1"), "--slots"),
    (("--municipality", "GM9911", "--arrivals", "lots"), "--arrivals"),
    (("--municipality", "GM9911", "--weeks", "0"), "--weeks"),
    (("--municipality", "GM9911", "--replications", "999"), "--replications"),
])
def test_bad_arguments_name_the_option(iw, sim_store, args, option):
    with pytest.raises(CommandError, match=option):
        simulate(*args)


def test_a_municipality_without_reports_is_refused(iw, sim_store):
    with pytest.raises(CommandError, match="fewer than 10 care reports"):
        simulate("--municipality", "GM9912")
