"""Every list page asks a constant number of queries: the same for N rows as for 2N.

Each test builds N rows the caller may see, warms the page up (session, translations),
counts the queries, doubles the rows, counts again and asserts the counts are equal, and
that the page does list the new rows (a count over a page that lists nothing proves
nothing). The pages already covered elsewhere (persons, signals, matches, overdue, my
plans, guide sessions, the access overview, the admin organisation lists, Mijn werk of
the coordinator and the privacy officer) are not repeated here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jeugdketen.access import actions as access_actions
from jeugdketen.referral_index.models import Match, Message, MessageKind
from jeugdketen.registry import actions as registry_actions
from tests import factories as f
from tests.conftest import token_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.REQUIRE_2FA = False
    settings.DEMO = False


def login(who: Any) -> Client:
    client = Client(HTTP_USER_AGENT="pytest-list-queries")
    client.force_login(getattr(who, "user", who))
    client.cookies["django_language"] = "nl"
    return client


def count(call: Callable[[], Any]) -> tuple[int, Any]:
    with CaptureQueriesContext(connection) as captured:
        response = call()
    assert response.status_code == 200, response.content[:500]
    return len(captured), response


def constant(call: Callable[[], Any], grow: Callable[[int], None], *, n: int = 3,
             listed: Callable[[Any, int], None] | None = None) -> None:
    """N rows, warm up, count; 2N rows, count again: equal. `listed(response, total)`
    checks the page shows all `total` rows."""
    grow(n)
    call()
    few, response = count(call)
    if listed is not None:
        listed(response, n)
    grow(n)
    many, response = count(call)
    if listed is not None:
        listed(response, 2 * n)
    assert many == few, f"{few} queries for {n} rows, {many} for {2 * n}"


def text(response: Any) -> str:
    return response.content.decode()


# --- the inbox -----------------------------------------------------------------------------


def test_inbox(professional):
    other = f.ProfessionalFactory()

    def grow(n: int) -> None:
        for i in range(n):
            match = Match.objects.create(kind="client", subject_key=f"client:q{i}{timezone.now()}",
                                         coordinator_due=timezone.localdate())
            Message.objects.create(recipient=professional, kind=MessageKind.INDEX,
                                   subject=f"Onderwerp-match-{match.pk}", body="b", match=match)
            Message.objects.create(recipient=professional, kind=MessageKind.TEAM_LEFT,
                                   subject="Onderwerp-team", body="b")
            Message.objects.create(recipient=other, kind=MessageKind.INDEX,
                                   subject="Onderwerp-vreemd", body="b")

    def listed(response: Any, total: int) -> None:
        page = text(response)
        assert page.count("Onderwerp-match-") == total and "Onderwerp-vreemd" not in page

    client = login(professional)
    constant(lambda: client.get("/verwijsindex/berichten/"), grow, listed=listed)


# --- API tokens ----------------------------------------------------------------------------


def test_tokens(professional):
    def grow(n: int) -> None:
        for _ in range(n):
            token_for(professional.user)

    def listed(response: Any, total: int) -> None:
        assert text(response).count("<tr") - 1 >= total

    client = login(professional)
    constant(lambda: client.get("/tokens/"), grow, listed=listed)


# --- corrections (functional administrator) ------------------------------------------------


def _grow_corrections(professional: Any, neighbourhood: Any) -> Callable[[int], None]:
    elsewhere = f.NeighbourhoodFactory(district=f.DistrictFactory(
        municipality=f.MunicipalityFactory(code="GM9977", name="Elders")))

    def grow(n: int) -> None:
        for i in range(n):
            person = f.PersonFactory(neighbourhood=neighbourhood, family_name=f"Correctie{i}")
            f.RegistrationFactory(person=person, professional=professional)
            f.CorrectionProposalFactory(person=person, proposed_by=professional)
            # Entered here, living elsewhere: another municipality's report, never listed.
            stranger = f.PersonFactory(neighbourhood=elsewhere, family_name="Buitenstaander")
            f.CorrectionProposalFactory(person=stranger, proposed_by=professional)

    return grow


def test_corrections(functional_admin, professional, neighbourhood):
    grow = _grow_corrections(professional, neighbourhood)

    def listed(response: Any, total: int) -> None:
        page = text(response)
        assert page.count("Correctie") >= total and "Buitenstaander" not in page

    client = login(functional_admin)
    constant(lambda: client.get("/beheer/correcties/"), grow, listed=listed)


# --- the privacy officer's review list of emergency accesses -------------------------------


REASON = "Kind niet opgehaald op school, ouders onbereikbaar."


def _emergency_reads(professional: Any, reader: Any, officer: Any, neighbourhood: Any,
                     n: int, *, review: bool) -> None:
    from jeugdketen.access.models import AccessLogRecord

    for _ in range(n):
        person = f.PersonFactory(neighbourhood=neighbourhood)
        f.RegistrationFactory(person=person, professional=professional)
        registry_actions.read_person(f.professional_actor(reader, emergency_reason=REASON),
                                     person.pk)
        if review:
            record = AccessLogRecord.objects.filter(emergency=True).order_by("-pk").first()
            assert record is not None
            access_actions.review_break_glass(f.professional_actor(officer), record.pk,
                                              justified=True, note="terecht")


@pytest.mark.parametrize("show_all", [False, True])
def test_review_list(show_all, professional, other_professional, privacy_officer,
                     neighbourhood):
    def grow(n: int) -> None:
        _emergency_reads(professional, other_professional, privacy_officer, neighbourhood, n,
                         review=False)
        if show_all:
            _emergency_reads(professional, other_professional, privacy_officer,
                             neighbourhood, n, review=True)

    client = login(privacy_officer)
    url = "/privacy/noodtoegang/" + ("?toon=alle" if show_all else "")

    def listed(response: Any, total: int) -> None:
        assert text(response).count(REASON) == total * (2 if show_all else 1)

    constant(lambda: client.get(url), grow, listed=listed)


# --- platform administration: one professional's codes and tokens --------------------------


def test_admin_professional_codes_and_tokens(platform_admin, professional):
    admin = f.professional_actor(platform_admin)

    def grow(n: int) -> None:
        for _ in range(n):
            access_actions.issue_activation_code_for_professional(admin, professional.pk)
            token_for(professional.user)

    client = login(platform_admin)
    constant(lambda: client.get(f"/beheer/medewerkers/{professional.pk}/"), grow)


# --- functional administration: the municipality's product codes ---------------------------


def test_product_codes(functional_admin, municipality):
    from jeugdketen.plans import actions as plan_actions

    admin = f.professional_actor(functional_admin)
    made: list[str] = []

    def grow(n: int) -> None:
        for _ in range(n):
            code = f"PC{len(made):03d}"
            plan_actions.add_product_code(admin, municipality.code, code=code,
                                          label=f"Product {code}")
            made.append(code)

    def listed(response: Any, total: int) -> None:
        page = text(response)
        assert all(f"Product {code}" in page for code in made[:total])

    client = login(functional_admin)
    constant(lambda: client.get("/beheer/gemeente/"), grow, listed=listed)


# --- API list endpoints ------------------------------------------------------------------


def test_api_access_log(api_client_for, professional, other_professional, privacy_officer,
                        neighbourhood):
    person = f.PersonFactory(neighbourhood=neighbourhood)
    f.RegistrationFactory(person=person, professional=professional)
    api = api_client_for(privacy_officer)

    def grow(n: int) -> None:
        for _ in range(n):
            registry_actions.read_person(f.professional_actor(professional), person.pk)
            registry_actions.read_person(
                f.professional_actor(other_professional, emergency_reason=REASON), person.pk)

    constant(lambda: api.get(f"/persons/{person.pk}/access-log"), grow)


def test_api_municipalities(api_client_for, professional):
    api = api_client_for(professional)

    def grow(n: int) -> None:
        for _ in range(n):
            f.MunicipalityFactory()

    constant(lambda: api.get("/municipalities"), grow)


# --- family plans: the plan page's team and concerns, its versions, the family's list -----


def _plan_world(neighbourhood: Any) -> tuple[Any, Any, Any]:
    """A coordinator, a family (a parent and a child of 8) and its plan."""
    from jeugdketen.plans import actions as plan_actions

    team = f.OrganisationFactory(name="Wijkteam Oost", municipality=neighbourhood.district
                                 .municipality, may_coordinate=True)
    coordinator = f.ProfessionalFactory(organisation=team, roles=["coordinator"])
    parent = f.PersonFactory(birth_date=f.birth_date_for_age(40), given_names="Ouder",
                             family_name="Plan", neighbourhood=neighbourhood)
    child = f.PersonFactory(birth_date=f.birth_date_for_age(8), given_names="Kind",
                            family_name="Plan", neighbourhood=neighbourhood)
    household = f.make_household(parents=[parent], children=[child])
    for person in (parent, child):
        f.RegistrationFactory(person=person, professional=coordinator)
    plan = plan_actions.start_plan(f.professional_actor(coordinator), household.pk,
                                   coordinator.pk, consent_given_by=[parent.pk])
    return coordinator, parent, plan


def _grow_plan(coordinator: Any, plan: Any, n: int) -> None:
    from datetime import timedelta

    from jeugdketen.plans import actions as plan_actions

    actor = f.professional_actor(coordinator)
    for i in range(n):
        member = plan_actions.add_team_member(
            actor, plan.pk, role=f"Helpt-{plan.team.count()}",
            related=plan_actions.RelatedInput(f"Buur {i}", "buurman", "0612345678"))
        plan_actions.add_concern(actor, plan.pk, text=f"Zorg {i}", priority=i + 1)
        plan_actions.add_action(actor, plan.pk, description=f"Ophalen {i}",
                                organisation_id=coordinator.organisation_id,
                                due_on=timezone.localdate() + timedelta(days=7),
                                performer_related_id=member.related_person_id)
        plan_actions.save_version(actor, plan.pk)


def test_plan_page_team_concerns_and_actions(neighbourhood):
    coordinator, _parent, plan = _plan_world(neighbourhood)
    client = login(coordinator)

    def listed(response: Any, total: int) -> None:
        assert text(response).count("Helpt-") >= total

    constant(lambda: client.get(f"/plannen/{plan.pk}/"),
             lambda n: _grow_plan(coordinator, plan, n), listed=listed)


def test_plan_versions(neighbourhood):
    coordinator, _parent, plan = _plan_world(neighbourhood)
    client = login(coordinator)
    constant(lambda: client.get(f"/plannen/{plan.pk}/versies/"),
             lambda n: _grow_plan(coordinator, plan, n))


def test_family_plan_page_and_list(neighbourhood):
    from jeugdketen.plans import actions as plan_actions

    coordinator, parent, plan = _plan_world(neighbourhood)
    client = login(f.UserFactory(person=parent))  # the parent, logged in with DigiD
    constant(lambda: client.get(f"/gezin/{plan.pk}/"),
             lambda n: _grow_plan(coordinator, plan, n))

    plans = [plan]

    def more_plans(n: int) -> None:
        actor = f.professional_actor(coordinator)
        for _ in range(n):
            plan_actions.close_plan(actor, plans[-1].pk, reason_code="01",
                                    can_continue_without_help=True, satisfaction=8)
            plans.append(plan_actions.start_plan(actor, plans[-1].household_id,
                                                 coordinator.pk,
                                                 consent_given_by=[parent.pk]))

    constant(lambda: client.get("/gezin/"), more_plans)
    constant(lambda: client.get("/"), more_plans)  # Mijn werk of the family


# --- Mijn werk for the other roles --------------------------------------------------------


def test_my_work_of_the_functional_admin(functional_admin, professional, neighbourhood):
    def listed(response: Any, total: int) -> None:
        assert f"{total} terugmeldingen aan de BRP beoordelen" in text(response)

    client = login(functional_admin)
    constant(lambda: client.get("/"), _grow_corrections(professional, neighbourhood),
             listed=listed)


def test_my_work_of_a_professional(neighbourhood):
    from datetime import timedelta

    from jeugdketen.plans.models import PlanAction

    coordinator, _parent, plan = _plan_world(neighbourhood)
    _grow_plan(coordinator, plan, 1)
    teacher = f.ProfessionalFactory(roles=["professional"])

    def grow(n: int) -> None:
        for _ in range(n):
            Message.objects.create(recipient=teacher, kind=MessageKind.TEAM_JOINED,
                                   subject="Nieuw", body="Welkom-in-het-team")
        # The coordinator's own actions past their date (one item per plan, a count).
        PlanAction.objects.filter(plan=plan).update(
            due_on=timezone.localdate() - timedelta(days=3))
        _grow_plan(coordinator, plan, n)
        PlanAction.objects.filter(plan=plan).update(
            due_on=timezone.localdate() - timedelta(days=3))

    def listed(response: Any, total: int) -> None:
        assert text(response).count("Welkom-in-het-team") == total

    client = login(teacher)
    constant(lambda: client.get("/"), grow, listed=listed)
    coordinating = login(coordinator)
    constant(lambda: coordinating.get("/"), grow)


# --- the decision aids' history (functional administrator) --------------------------------


def test_guide_admin_history(functional_admin):
    from pathlib import Path

    from jeugdketen.guide import actions as guide_actions
    from jeugdketen.guide import loader

    builtin = loader.get("meldcode")
    assert builtin is not None
    raw = (Path(loader.BUILTIN_DIR) / "meldcode.yaml").read_text(encoding="utf-8")
    admin = f.professional_actor(functional_admin)
    uploaded: list[str] = []

    def grow(n: int) -> None:
        for _ in range(n):
            number = f"2031.{len(uploaded) + 1}"
            guide_actions.upload_version(admin, raw.replace(
                f'version: "{builtin.version}"', f'version: "{number}"', 1).encode())
            uploaded.append(number)

    def listed(response: Any, total: int) -> None:
        assert all(number in text(response) for number in uploaded[:total])

    client = login(functional_admin)
    constant(lambda: client.get("/signaalgids/beheer/"), grow, listed=listed)

