"""The chain board's policy (access/policy/rules/steering_board.py), allowed and denied per
role: the municipality's analyst and coordinator (of the municipality itself) read and
write; its front door reads; nobody else, and nobody for another municipality."""

from __future__ import annotations

import pytest

from jeugdketen.access.policy import Action, Data, decide
from jeugdketen.steering.board_actions import target
from tests import factories as f

KINDS = (Data.STEERING_BOARD, Data.STEERING_ACTION, Data.STEERING_MINUTES)


def actor(iw, who):
    prof = {**iw.allowed, **iw.denied, "analyst-b": iw.analyst_b,
            "front-door-b": iw.front_door_b}[who]
    return f.professional_actor(prof)


def answers(iw, who, data, municipality="GM9911"):
    return {a.value: decide(actor(iw, who), a, target(data, municipality))
            for a in Action}


def allowed(found):
    return {a for a, d in found.items() if d.allowed}


@pytest.mark.parametrize("who", ["analyst", "coordinator"])
def test_the_analyst_and_the_coordinator_read_and_write(iw, who):
    assert allowed(answers(iw, who, Data.STEERING_BOARD)) == {"read"}
    for data in (Data.STEERING_ACTION, Data.STEERING_MINUTES):
        found = answers(iw, who, data)
        assert allowed(found) == {"read", "create", "update"}
        role = "municipal_analyst" if who == "analyst" else "coordinator"
        assert {(d.ground, d.role) for d in found.values() if d.allowed} == {("insight", role)}


def test_the_front_door_reads_only(iw):
    for data in KINDS:
        found = answers(iw, "front-door", data)
        assert allowed(found) == {"read"}
        assert found["read"].ground == "front_door" and found["read"].role == "front_door"


@pytest.mark.parametrize("who", ["professional", "provider-coordinator", "provider-analyst",
                                 "team-coordinator", "privacy-officer", "functional-admin",
                                 "platform-admin", "no-role"])
def test_every_other_role_gets_nothing(iw, who):
    for data in KINDS:
        found = answers(iw, who, data)
        assert allowed(found) == set(), (who, data)
        assert all(d.reason for d in found.values())


@pytest.mark.parametrize("who", ["analyst-b", "front-door-b"])
def test_another_municipality_gets_nothing(iw, who):
    for data in KINDS:
        assert allowed(answers(iw, who, data)) == set()
    # ... and its own board only.
    assert allowed(answers(iw, who, Data.STEERING_BOARD, "GM9912")) == {"read"}


def test_an_unknown_municipality_is_denied_to_everyone(iw):
    for who in ("analyst", "coordinator", "front-door"):
        for data in KINDS:
            assert allowed(answers(iw, who, data, None)) == set()


def test_nobody_deletes_exports_or_prints(iw):
    for who in ("analyst", "coordinator", "front-door"):
        for data in KINDS:
            found = answers(iw, who, data)
            assert not any(found[a].allowed for a in ("delete", "export", "print"))


def test_a_citizen_gets_nothing(iw):
    person = f.PersonFactory()
    citizen = f.citizen_actor(person)
    for data in KINDS:
        assert not any(decide(citizen, a, target(data, "GM9911")).allowed for a in Action)
