"""A front door for the intake tests: the municipality Testdam (GM9901) with its
neighbourhood team, whose front-door professional triages and plans intakes and whose
coordinator may lead a plan; a family (a parent of 40 with custody of a child of 8 and a
youth of 14, in the BRP stand-in and in the registry) in the neighbourhood Oude Haven; a
teacher who reports; and two other organisations (youth care, mental health care) with a
professional each, to invite to a joint intake."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property
from typing import Any

import pytest
from django.utils import timezone

from jeugdketen.access.policy import Actor
from jeugdketen.registry.models import (
    Household,
    Municipality,
    Organisation,
    Person,
    Professional,
)
from tests import factories as f
from tests.brp import person_in_brp

LEVELS = {"-2": "Gaat niet meer naar school", "-1": "1 dag per week",
          "0": "3 dagen per week", "1": "4 dagen per week", "2": "Elke dag"}


@dataclass
class FrontDoor:
    municipality: Municipality
    team_org: Organisation
    front_door: Professional
    coordinator: Professional
    school: Organisation
    teacher: Professional
    youth_care: Organisation
    youth_worker: Professional
    mental_health: Organisation
    therapist: Professional
    household: Household
    parent: Person
    child: Person
    youth: Person

    @property
    def members(self) -> list[Person]:
        return [self.parent, self.child, self.youth]

    @property
    def actor(self) -> Actor:
        """The front-door team."""
        return f.professional_actor(self.front_door)

    @property
    def teacher_actor(self) -> Actor:
        return f.professional_actor(self.teacher)

    @cached_property
    def parent_actor(self) -> Actor:
        """The parent, logged in for their own person (one account)."""
        return f.citizen_actor(self.parent)

    def actor_of(self, professional: Professional) -> Actor:
        return f.professional_actor(professional)

    def intake_consent(self, organisation: Organisation) -> None:
        """The family's consent (category `intake`, for no plan) for an organisation to see
        the report before the intake: the parent for themselves and the child, the youth
        of 14 with the parent. Written as the consent model holds it (test set-up)."""
        from jeugdketen.access.models import Consent

        givers = {self.parent.pk: [self.parent], self.child.pk: [self.parent],
                  self.youth.pk: [self.youth, self.parent]}
        for person in self.members:
            consent = Consent.objects.create(
                person=person, plan=None, organisation=organisation, categories=["intake"],
                valid_from=timezone.localdate(), recorded_by=self.front_door.user)
            consent.given_by.set(givers[person.pk])


@pytest.fixture
def door(municipality, neighbourhood) -> FrontDoor:
    team_org = f.OrganisationFactory(name="Wijkteam Oude Haven", municipality=municipality,
                                     kind="neighbourhood_team", may_coordinate=True)
    front_door = f.ProfessionalFactory(organisation=team_org, roles=["front_door"],
                                       full_name="Fenna de Wit")
    coordinator = f.ProfessionalFactory(organisation=team_org, roles=["coordinator"],
                                        full_name="Rita Regie")
    school = f.OrganisationFactory(name="Basisschool De Linde", kind="school",
                                   municipality=municipality)
    teacher = f.ProfessionalFactory(organisation=school, roles=["professional"],
                                    full_name="Ilse Intern")
    youth_care = f.OrganisationFactory(name="Jeugdhulp Noord", kind="youth_care_provider",
                                       municipality=municipality, may_coordinate=True)
    youth_worker = f.ProfessionalFactory(organisation=youth_care, roles=["professional"],
                                         full_name="Joost Jeugdhulp")
    mental_health = f.OrganisationFactory(name="GGZ Oost", kind="mental_health_care",
                                          municipality=municipality)
    therapist = f.ProfessionalFactory(organisation=mental_health, roles=["professional"],
                                      full_name="Gerda Ggz")
    parent = f.PersonFactory(birth_date=f.birth_date_for_age(40), given_names="Mariam",
                             family_name="Bakker", neighbourhood=neighbourhood,
                             postcode="9901AB", house_number=12)
    child = f.PersonFactory(birth_date=f.birth_date_for_age(8), given_names="Noor",
                            family_name="Bakker", neighbourhood=neighbourhood,
                            postcode="9901AB", house_number=12)
    youth = f.PersonFactory(birth_date=f.birth_date_for_age(14), given_names="Daan",
                            family_name="Bakker", neighbourhood=neighbourhood,
                            postcode="9901AB", house_number=12)
    household = f.make_household(parents=[parent], children=[child, youth])
    person_in_brp(parent, children=[child.bsn, youth.bsn])
    for kid in (child, youth):
        person_in_brp(kid, parents=[parent.bsn], custody=[parent.bsn])
    for person in (parent, child, youth):  # the teacher entered the family too
        f.RegistrationFactory(person=person, professional=front_door)
        f.RegistrationFactory(person=person, professional=teacher)
    return FrontDoor(municipality, team_org, front_door, coordinator, school, teacher,
                     youth_care, youth_worker, mental_health, therapist, household, parent,
                     child, youth)


def report_input(**overrides: Any) -> dict[str, Any]:
    """A complete professional's report (person or household to add)."""
    return {"question": "Noor komt vaak niet op school en lijkt bang thuis.",
            "life_domains": ["schooling", "emotional_support"], "urgency": "regular",
            "unsafe": False, "desired_result": "Dat Noor weer graag naar school gaat.",
            "consent_to_share": True, "contact_phone": "0612345678",
            "contact_email": "ilse@example.test"} | overrides


def public_input(**overrides: Any) -> dict[str, Any]:
    return {"municipality_code": "GM9901", "given_name": "Noor", "family_name": "Bakker",
            "postcode": "9901 AB", "house_number": "12",
            "question": "Ik hoor vaak geschreeuw bij de buren.",
            "life_domains": ["domestic_relations"], "urgency": "urgent", "unsafe": False,
            "reporter_name": "Buurvrouw", "reporter_relation": "buurvrouw",
            "contact_email": "buur@example.test"} | overrides


def an_hour_ago() -> datetime:
    return timezone.now() - timedelta(hours=1)


def goal(person: Person, **overrides: Any) -> dict[str, Any]:
    return {"title": "Noor gaat minstens drie dagen per week naar school",
            "person_ids": [person.pk], "levels": dict(LEVELS)} | overrides
