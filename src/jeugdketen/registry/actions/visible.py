"""A logged read that pages share: of a list of persons, those the actor may see."""

from __future__ import annotations

from collections.abc import Iterable

from jeugdketen.access.policy import Actor
from jeugdketen.registry.actions.persons import read_person
from jeugdketen.registry.models import Person
from jeugdketen.registry.selectors import may_read


def visible_persons(actor: Actor, persons: Iterable[Person]) -> list[Person]:
    """Of these persons, the ones the actor may see, each read through the action (so
    every one shown is logged as read). Persons without a ground are left out without a
    trace on the page."""
    shown = []
    for person in persons:
        if may_read(actor, person):
            shown.append(read_person(actor, person.pk))
    return shown

