"""GET and POST /api/v1/persons answer without validating the answer against PersonOut
again (registry/api.person_answer): the answer must still be exactly what PersonOut makes
of it, in every shape a person can have."""

from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jeugdketen.registry.api import PersonOut, person_out
from jeugdketen.registry.models import Person
from tests import factories as f


def validated(person: Person) -> str:
    """The answer as Ninja writes a validated PersonOut."""
    from jeugdketen.config.api import api

    dumped = PersonOut.model_validate(person_out(person)).model_dump()
    return json.dumps(dumped, cls=api.renderer.encoder_class)


@pytest.mark.django_db
@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(with_bsn=st.booleans(), address=st.booleans(), letter=st.sampled_from(["", "A"]),
       addition=st.sampled_from(["", "bis"]), dead=st.booleans(), unknown=st.booleans(),
       sex=st.sampled_from(["M", "V", "X", "O"]))
def test_the_answer_is_what_person_out_validated_would_be(
        neighbourhood, rf, with_bsn, address, letter, addition, dead, unknown, sex) -> None:
    from jeugdketen.registry.api import person_answer

    person = f.PersonFactory(
        bsn=f.synthetic_bsn() if with_bsn else None,
        system_id=None if with_bsn else f"JK-{f.synthetic_bsn()}",
        sex=sex, postcode="9901AA" if address else "",
        house_number=12 if address else None,
        house_letter=letter if address else "",
        house_number_addition=addition if address else "",
        neighbourhood=neighbourhood if address and not unknown else None,
        neighbourhood_unknown=unknown,
        date_of_death=date(2025, 1, 2) if dead else None,
    )
    person.refresh_from_db()  # as the actions read it: the database's types
    answer = person_answer(rf.get("/"), person, 200)
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/json; charset=utf-8"
    assert answer.content.decode() == validated(person)


@pytest.mark.django_db
def test_the_routes_answer_a_persons_base_data_as_before(api_client, professional) -> None:
    created = api_client.post("/persons", {"given_names": "Sem", "family_name": "Bench",
                                           "birth_date": "2015-03-04", "sex": "M"})
    assert created.status_code == 201
    assert set(created.json()) == set(PersonOut.model_fields)
    read = api_client.get(f"/persons/{created.json()['id']}")
    assert read.status_code == 200
    validated_route = api_client.get("/municipalities")  # an answer Ninja validates
    assert read["Content-Type"] == created["Content-Type"] == validated_route["Content-Type"]
    assert read.json() == created.json()
    person = Person.objects.get(pk=created.json()["id"])
    assert read.content.decode() == validated(person)
