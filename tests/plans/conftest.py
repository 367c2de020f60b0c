"""A family for the plan tests: a parent (40), a child (8) and a youth (14) in one
household, entered by a coordinator of a neighbourhood team that may coordinate; and a
school whose professional may join the team once the family consents."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from jeugdketen.access.policy import Actor
from jeugdketen.registry.models import Household, Organisation, Person, Professional
from tests import factories as f


@dataclass
class Family:
    household: Household
    parent: Person
    child: Person
    youth: Person
    team_org: Organisation
    coordinator: Professional
    school: Organisation
    teacher: Professional

    @property
    def members(self) -> list[Person]:
        return [self.parent, self.child, self.youth]

    @property
    def actor(self) -> Actor:
        return f.professional_actor(self.coordinator)

    @property
    def teacher_actor(self) -> Actor:
        return f.professional_actor(self.teacher)


@pytest.fixture
def family(municipality, neighbourhood) -> Family:
    team_org = f.OrganisationFactory(name="Wijkteam Oost", municipality=municipality,
                                     may_coordinate=True)
    coordinator = f.ProfessionalFactory(organisation=team_org, roles=["coordinator"],
                                        full_name="Rita Regie")
    school = f.OrganisationFactory(name="Basisschool De Linde", kind="school",
                                   municipality=municipality)
    teacher = f.ProfessionalFactory(organisation=school, roles=["professional"],
                                    full_name="Ilse Intern")
    parent = f.PersonFactory(birth_date=f.birth_date_for_age(40), given_names="Mariam",
                             family_name="Bakker", neighbourhood=neighbourhood)
    child = f.PersonFactory(birth_date=f.birth_date_for_age(8), given_names="Noor",
                            family_name="Bakker", neighbourhood=neighbourhood)
    youth = f.PersonFactory(birth_date=f.birth_date_for_age(14), given_names="Daan",
                            family_name="Bakker", neighbourhood=neighbourhood)
    household = f.make_household(parents=[parent], children=[child, youth])
    for person in (parent, child, youth):
        f.RegistrationFactory(person=person, professional=coordinator)
    return Family(household, parent, child, youth, team_org, coordinator, school, teacher)


LEVELS = {"-2": "Gaat niet meer naar school", "-1": "1 dag per week",
          "0": "3 dagen per week", "1": "4 dagen per week", "2": "Elke dag"}


@pytest.fixture
def plan(family):
    """The coordinator starts the plan on the family's consent (the parent, and the youth of
    14 together with the parent)."""
    from jeugdketen.plans import actions

    return actions.start_plan(family.actor, family.household.pk, family.coordinator.pk,
                              consent_given_by=[family.parent.pk, family.youth.pk])


def consent_all(family: Family, organisation: Organisation,
                categories: tuple[str, ...] = ("base_data", "analysis", "plan", "evaluations"),
                ) -> list[Any]:
    """The family consents, each member as the law says: the parent alone, the parent for
    the child under 12, the youth of 14 together with the parent."""
    from jeugdketen.access.actions import give_consent
    from jeugdketen.plans.models import Plan

    plan = Plan.objects.get(household=family.household, status="open")
    givers = {family.parent.pk: [family.parent.pk], family.child.pk: [family.parent.pk],
              family.youth.pk: [family.youth.pk, family.parent.pk]}
    return [give_consent(family.actor, person.pk, plan_id=plan.pk, given_by=givers[person.pk],
                         organisation_id=organisation.pk, categories=list(categories))
            for person in family.members]


def coordinated_match_about(person: Person, coordinator: Professional) -> Any:
    """A match in the reference index about `person`, with `coordinator` as its agreed
    coordinator (status coordinated): the other way to start a plan."""
    from datetime import timedelta

    from django.utils import timezone

    from jeugdketen.referral_index.models import Match, Signal

    today = timezone.localdate()
    match = Match.objects.create(kind="client", subject_key=f"client:{person.pk}",
                                 status="coordinated", coordinator=coordinator,
                                 coordinator_due=today + timedelta(days=5))
    for org, contact in ((f.OrganisationFactory(), None), (coordinator.organisation, coordinator)):
        contact = contact or f.ProfessionalFactory(organisation=org)
        match.signals.add(Signal.objects.create(
            person=person, organisation=org, contact=contact, contact_phone="0612345678",
            contact_email="c@example.org", registered_on=today, duration_days=365,
            expires_on=today + timedelta(days=365), status="active"))
    return match


def rule_of(response: Any) -> str:
    return response.json()["errors"][0]["rule"]


def field_of(response: Any) -> str:
    return response.json()["errors"][0]["field"]
