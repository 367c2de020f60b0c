"""The family's own view: a parent and a youth from 16 see the family's plan in plain
language, approve the newest version, comment, give and withdraw consent; a child under
16 and other families do not get in. Logged in as citizens with a verified second factor
(the SecondFactorMiddleware is on)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from jeugdketen.access.actions import give_consent
from jeugdketen.access.audit import AccessDenied
from jeugdketen.access.models import AccessLogRecord, Consent
from jeugdketen.access.policy import Action, Data, decide
from jeugdketen.chainlog.models import ChainEvent
from jeugdketen.plans import actions, selectors
from jeugdketen.plans.models import ApprovalHow, Comment, PlanVersion
from tests import factories as f

from .conftest import LEVELS

pytestmark = pytest.mark.django_db

HANDOVER_REASON = "Rita gaat met verlof; Karim neemt het plan over."


@pytest.fixture(autouse=True)
def family_urls(settings):
    """The real second factor: every login below has passed it."""
    settings.REQUIRE_2FA = True
    settings.DEMO = False


def login(user) -> Client:
    """A session as after username, password and a correct TOTP code."""
    client = Client(HTTP_USER_AGENT="pytest-family")
    client.force_login(user)
    device = TOTPDevice.objects.create(user=user, name="Jeugdketen", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    client.cookies["django_language"] = "nl"
    return client


def text_of(response) -> str:
    body = response.content.decode()
    body = re.sub(r"<[^>]+>", " ", body)
    return re.sub(r"\s+", " ", body).replace("&#x27;", "'").replace("&quot;", '"')


@pytest.fixture
def older(family):
    """A youth of 17 in the same household: sees the plan, decides on their own consent."""
    person = f.PersonFactory(birth_date=f.birth_date_for_age(17), given_names="Sam",
                             family_name="Bakker")
    f.HouseholdMemberFactory(household=family.household, person=person, relation="child")
    f.kinship(person, family.parent)
    f.RegistrationFactory(person=person, professional=family.coordinator)
    return person


@pytest.fixture
def plan(family, older):
    """Started on the family's consent: the parent, the youth of 14 with the parent, and Sam
    (17) for himself."""
    return actions.start_plan(family.actor, family.household.pk, family.coordinator.pk,
                              consent_given_by=[family.parent.pk, family.youth.pk, older.pk])


@pytest.fixture
def users(family, older):
    return {"parent": f.UserFactory(person=family.parent),
            "older": f.UserFactory(person=older),
            "youth": f.UserFactory(person=family.youth)}


def consent_for_school(family, older, plan) -> None:
    """The coordinator records the family's consent for the school in this plan, each as the
    law says."""
    givers = {family.parent.pk: [family.parent.pk], family.child.pk: [family.parent.pk],
              family.youth.pk: [family.youth.pk, family.parent.pk], older.pk: [older.pk]}
    for person_id, given_by in givers.items():
        give_consent(family.actor, person_id, plan_id=plan.pk, given_by=given_by,
                     organisation_id=family.school.pk,
                     categories=["base_data", "plan", "evaluations"])


@pytest.fixture
def full_plan(family, older, plan):
    """A plan with its sections, a concern, a goal, the grandmother and the teacher in the
    team, an action, a version approved in a conversation, two evaluations, a handover,
    and a newer version waiting for the family."""
    coordinator = family.actor
    actions.update_sections(coordinator, plan.pk, revision=plan.revision,
                            goes_well="Mariam zorgt elke dag voor een warme maaltijd.",
                            own_strength="Oma Joke haalt Noor op dinsdag uit school.",
                            support_needed="Hulp bij het overzicht over de rekeningen.")
    actions.add_concern(coordinator, plan.pk, text="Daan gaat vaak niet naar school.",
                        priority=1)
    goal = actions.add_goal(coordinator, plan.pk, title="Daan gaat minstens 3 dagen per week "
                            "naar school", person_ids=[family.youth.pk], levels=LEVELS)
    grandmother = actions.add_team_member(
        coordinator, plan.pk, role="Haalt Noor op dinsdag uit school",
        related=actions.RelatedInput(name="Oma Joke", relation="grootmoeder",
                                     phone="0612345678"))
    consent_for_school(family, older, plan)
    actions.add_team_member(coordinator, plan.pk, professional_id=family.teacher.pk,
                            role="Intern begeleider")
    actions.add_action(coordinator, plan.pk, description="Daan elke ochtend wekken",
                       organisation_id=family.team_org.pk, due_on=timezone.localdate()
                       + timedelta(days=14),
                       performer_related_id=grandmother.related_person_id)
    first = actions.save_version(coordinator, plan.pk)
    actions.approve_version(coordinator, plan.pk, number=first.number, how=ApprovalHow.IN_PERSON)
    today = timezone.localdate()
    actions.record_evaluation(coordinator, plan.pk, on=today, scores=[(goal.pk, -1)])
    actions.record_evaluation(coordinator, plan.pk, on=today, scores=[(goal.pk, 1)])
    successor = f.ProfessionalFactory(organisation=family.team_org, roles=["coordinator"],
                                      full_name="Karim Kader")
    actions.hand_over(coordinator, plan.pk, to_professional_id=successor.pk, on=today,
                      reason=HANDOVER_REASON)
    new = f.professional_actor(successor)
    actions.add_goal(new, plan.pk, title="Mariam heeft overzicht over de rekeningen",
                     person_ids=[family.parent.pk], levels=LEVELS)
    actions.save_version(new, plan.pk)
    plan.refresh_from_db()
    plan.goal = goal  # type: ignore[attr-defined]
    plan.successor = successor  # type: ignore[attr-defined]
    return plan


def plan_url(plan) -> str:
    return reverse("family_plan", kwargs={"plan_id": plan.pk})


def post_url(name: str, plan, **kwargs) -> str:
    return reverse(name, kwargs={"plan_id": plan.pk, **kwargs})


# --- seeing the plan ------------------------------------------------------------------------


def test_parent_sees_the_plan_in_plain_language(family, users, full_plan):
    client = login(users["parent"])
    listing = client.get(reverse("family_plans"))
    assert listing.status_code == 200
    assert plan_url(full_plan) in listing.content.decode()

    response = client.get(plan_url(full_plan))
    assert response.status_code == 200
    body = response.content.decode()
    text = text_of(response)
    for heading in ("Wat goed gaat", "Waar we ons zorgen over maken",
                    "Wat u en uw netwerk zelf doen", "Waar u hulp bij krijgt"):
        assert heading in text
    assert "Mariam zorgt elke dag voor een warme maaltijd." in text
    assert "Daan gaat vaak niet naar school." in text and "Hoe belangrijk: hoog" in text
    # The team: the coordinator first, then the professionals with their organisation,
    # then the family's own network.
    karim = text.index("Karim Kader")
    teacher = text.index("Ilse Intern van Basisschool De Linde: Intern begeleider")
    grandmother = text.index("Oma Joke (grootmoeder): Haalt Noor op dinsdag uit school")
    assert karim < teacher < grandmother
    # The handover, with its date and reason.
    assert "Rita Regie droeg het plan over aan Karim Kader." in text
    assert HANDOVER_REASON in text
    # The goal: five levels in words, the latest score as words (and where it stands).
    assert "Zoals afgesproken: 3 dagen per week" in text
    assert "-2 Veel minder dan afgesproken: Gaat niet meer naar school" in text
    assert "Beter dan afgesproken. 4 dagen per week" in text
    assert "+1 Beter dan afgesproken: 4 dagen per week Hier staat u nu" in text
    # Evaluations: the T-score explained, each with its meaning and the trend.
    assert "50 betekent: het gaat zoals afgesproken" in text
    assert "Minder goed dan afgesproken" in text and "Beter dan de vorige keer (+20,0)" in text
    assert "Het gaat beter: de T-score ging van 40,0 naar 60,0." in text
    # Who does what, in words, without budget codes.
    assert "Daan elke ochtend wekken" in text and "Oma Joke (grootmoeder)" in text
    assert f'href="{reverse("access_overview")}"' in body
    # No inline script or style (the CSP forbids them).
    assert " style=" not in body and "<script>" not in body


def test_reading_the_plan_is_logged_for_every_member_on_the_family_ground(
        family, older, users, full_plan):
    before = AccessLogRecord.objects.count()
    login(users["parent"]).get(plan_url(full_plan))
    reads = AccessLogRecord.objects.filter(user_id=users["parent"].pk, data="plan",
                                           action="read", outcome="allowed")
    assert {r.client_id for r in reads} == {str(p.pk) for p in [*family.members, older]}
    assert {r.ground for r in reads} == {"family"}
    assert AccessLogRecord.objects.count() > before


def test_youth_from_16_sees_the_plan_and_only_their_own_consent(family, older, users,
                                                                full_plan):
    client = login(users["older"])
    assert plan_url(full_plan) in client.get(reverse("family_plans")).content.decode()
    response = client.get(plan_url(full_plan))
    assert response.status_code == 200
    text = text_of(response)
    assert "Wat goed gaat" in text and "Daan gaat minstens 3 dagen per week naar school" in text
    assert "Sam Bakker (uzelf)" in text
    # The parent's and the children's consents are not shown to the youth.
    assert "De toestemming van" in text and "ziet u hier niet" in text
    body = response.content.decode()
    assert f'<option value="{older.pk}"' in body
    assert f'<option value="{family.parent.pk}"' not in body
    assert f'<option value="{family.child.pk}"' not in body


def test_child_under_16_does_not_see_the_plan(family, users, full_plan):
    client = login(users["youth"])
    listing = client.get(reverse("family_plans"))
    assert listing.status_code == 200
    assert plan_url(full_plan) not in listing.content.decode()
    assert "Vanaf 16 jaar ziet u het plan van uw gezin hier zelf." in text_of(listing)
    response = client.get(plan_url(full_plan))
    assert response.status_code == 403
    assert "Wat goed gaat" not in response.content.decode()
    assert AccessLogRecord.objects.filter(user_id=users["youth"].pk, data="plan",
                                          outcome="denied").exists()


def test_another_family_gets_403_and_writes_nothing(family, full_plan, municipality):
    stranger = f.PersonFactory(birth_date=f.birth_date_for_age(35))
    f.make_household(parents=[stranger], children=[f.PersonFactory()])
    client = login(f.UserFactory(person=stranger))
    assert plan_url(full_plan) not in client.get(reverse("family_plans")).content.decode()
    assert client.get(plan_url(full_plan)).status_code == 403
    latest = full_plan.versions.order_by("-number").first()
    assert client.post(post_url("family_approve", full_plan),
                       {"akkoord-number": latest.number, "akkoord-agree": "on"}
                       ).status_code == 403
    assert client.post(post_url("family_comment", full_plan),
                       {"reactie-text": "Hallo"}).status_code == 403
    consent = Consent.objects.filter(person=family.child).first()
    assert client.post(post_url("family_consent_withdraw", full_plan,
                                consent_id=consent.pk)).status_code == 403
    latest.refresh_from_db()
    consent.refresh_from_db()
    assert latest.approved_at is None and consent.withdrawn_at is None
    assert not Comment.objects.exists()


def test_an_unknown_plan_is_403_not_500(users):
    client = login(users["parent"])
    url = reverse("family_plan", kwargs={"plan_id": "00000000-0000-4000-8000-000000000000"})
    assert client.get(url).status_code == 403


def test_professionals_and_unverified_sessions_do_not_get_the_family_view(family, users,
                                                                          full_plan):
    coordinator = Client()
    coordinator.force_login(family.coordinator.user)
    session = coordinator.session
    device = TOTPDevice.objects.create(user=family.coordinator.user, confirmed=True)
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    assert coordinator.get(reverse("family_plans")).status_code == 403
    # Password only, no second factor yet: sent to the code page first.
    unverified = Client()
    unverified.force_login(users["parent"])
    response = unverified.get(plan_url(full_plan))
    assert response.status_code == 302 and response.url.startswith(reverse("two_factor"))


# --- approving a version --------------------------------------------------------------------


def test_parent_approves_the_newest_version_and_sees_what_changed(family, users, full_plan):
    client = login(users["parent"])
    page = text_of(client.get(plan_url(full_plan)))
    assert "Wat is er veranderd?" in page
    assert "Dit is veranderd sinds versie 1" in page
    changed = page[page.index("Wat is er veranderd?"):page.index("Lees de hele versie 2")]
    assert "Erbij: Mariam heeft overzicht over de rekeningen" in changed
    assert "Karim Kader" in changed  # the coordinator changed too
    assert "Daan gaat minstens 3 dagen" not in changed.split("Erbij:")[-1]

    # Not ticked: the error names the field, nothing is approved.
    refused = client.post(post_url("family_approve", full_plan), {"akkoord-number": 2})
    assert refused.status_code == 200
    body = refused.content.decode()
    assert 'id="id_akkoord-agree_error"' in body
    assert "Zet een vinkje als u akkoord gaat met het plan." in body
    assert 'href="#id_akkoord-agree"' in body  # the error summary links to the field
    assert PlanVersion.objects.get(plan=full_plan, number=2).approved_at is None

    done = client.post(post_url("family_approve", full_plan),
                       {"akkoord-number": 2, "akkoord-agree": "on"})
    assert done.status_code == 302 and done.url.endswith("#h-versions")
    version = PlanVersion.objects.get(plan=full_plan, number=2)
    assert version.approved_how == ApprovalHow.FAMILY_VIEW
    assert version.approved_by == users["parent"]
    assert version.approved_by_name == "Mariam Bakker"
    event = ChainEvent.objects.filter(activity="plan.approved").order_by("-at").first()
    assert event.attributes["how"] == "family_view" and event.attributes["number"] == 2

    after = client.get(plan_url(full_plan))
    text = text_of(after)
    assert "Dank u. U heeft versie 2 van het plan goedgekeurd." in text
    assert "in de eigen omgeving van het gezin" in text and "Door Mariam Bakker." in text
    assert post_url("family_approve", full_plan) not in after.content.decode()
    # Approving it again: a clear message, not an error page.
    again = client.post(post_url("family_approve", full_plan),
                        {"akkoord-number": 2, "akkoord-agree": "on"})
    assert again.status_code == 200
    assert "Deze versie is al goedgekeurd." in text_of(again)


def test_only_the_newest_version_can_be_approved(family, users, full_plan):
    client = login(users["parent"])
    response = client.post(post_url("family_approve", full_plan),
                           {"akkoord-number": 1, "akkoord-agree": "on"})
    assert response.status_code == 200
    assert "Alleen de nieuwste versie kan worden goedgekeurd." in text_of(response)
    assert not PlanVersion.objects.filter(plan=full_plan, number=2,
                                          approved_at__isnull=False).exists()


def test_without_a_saved_version_there_is_nothing_to_approve(family, users, plan):
    response = login(users["parent"]).get(plan_url(plan))
    assert response.status_code == 200
    assert "nog geen versie van het plan klaargezet" in text_of(response)
    assert post_url("family_approve", plan) not in response.content.decode()


def test_first_version_is_shown_whole(family, users, plan):
    actions.add_goal(family.actor, plan.pk, title="Noor slaapt in haar eigen bed",
                     person_ids=[family.child.pk], levels=LEVELS)
    actions.save_version(family.actor, plan.pk)
    text = text_of(login(users["parent"]).get(plan_url(plan)))
    assert "Dit is de eerste versie die u goedkeurt." in text
    whole = text[text.index("Lees de hele versie 1"):]
    assert "Noor slaapt in haar eigen bed" in whole


# --- comments -------------------------------------------------------------------------------


def test_parent_comments(family, users, full_plan):
    client = login(users["parent"])
    empty = client.post(post_url("family_comment", full_plan), {"reactie-text": "   "})
    assert empty.status_code == 200
    body = empty.content.decode()
    assert 'id="id_reactie-text_error"' in body and "Schrijf eerst uw reactie." in body
    too_long = client.post(post_url("family_comment", full_plan), {"reactie-text": "x" * 2001})
    assert "Uw reactie is te lang: hoogstens 2000 tekens." in too_long.content.decode()
    # What was typed is kept.
    assert "x" * 2001 in too_long.content.decode()
    assert not Comment.objects.exists()

    done = client.post(post_url("family_comment", full_plan),
                       {"reactie-text": "Dinsdag kan oma niet, woensdag wel."})
    assert done.status_code == 302
    comment = Comment.objects.get()
    assert comment.by_family and comment.author_name == "Mariam Bakker"
    assert comment.author == users["parent"]
    assert "Dinsdag kan oma niet, woensdag wel." in text_of(client.get(plan_url(full_plan)))


def test_a_closed_plan_takes_no_approval_or_comment(family, users, full_plan):
    actions.close_plan(f.professional_actor(full_plan.successor), full_plan.pk,
                       reason_code="01", can_continue_without_help=True, satisfaction=8)
    client = login(users["parent"])
    response = client.get(plan_url(full_plan))
    body = response.content.decode()
    assert "Dit plan is afgesloten op" in text_of(response)
    assert post_url("family_comment", full_plan) not in body
    assert post_url("family_approve", full_plan) not in body
    assert client.post(post_url("family_comment", full_plan),
                       {"reactie-text": "Nog een vraag"}).status_code == 403
    assert not Comment.objects.exists()


# --- consent --------------------------------------------------------------------------------


def test_parent_gives_consent_for_a_child_under_12_and_withdraws_it(family, users, full_plan,
                                                                     municipality):
    sports = f.OrganisationFactory(name="Sportvereniging Vooruit", kind="youth_care_provider",
                                   municipality=municipality)
    client = login(users["parent"])
    page = client.get(plan_url(full_plan)).content.decode()
    assert f'<option value="{family.child.pk}"' in page
    assert f'<option value="{family.parent.pk}"' in page
    assert f'<option value="{sports.pk}"' in page

    response = client.post(post_url("family_consent_give", full_plan), {
        "toestemming-person": str(family.child.pk), "toestemming-organisation": sports.pk,
        "toestemming-categories": ["plan", "evaluations"]})
    assert response.status_code == 302 and response.url.endswith("#h-consent")
    consent = Consent.objects.get(organisation=sports)
    assert consent.person == family.child
    assert set(consent.given_by.all()) == {family.parent}
    assert consent.categories == ["plan", "evaluations"] and consent.valid_until is None
    assert consent.recorded_by == users["parent"]
    assert ChainEvent.objects.filter(activity="consent.given",
                                     organisation_id=sports.pk).exists()
    text = text_of(client.get(plan_url(full_plan)))
    assert "Uw toestemming is vastgelegd. Sportvereniging Vooruit mag nu deze gegevens van " \
           "Noor Bakker zien." in text
    row = text[text.index("Toestemming voor de gegevens van Noor Bakker"):]
    assert "Sportvereniging Vooruit" in row and "Geldt nu" in row

    withdrawn = client.post(post_url("family_consent_withdraw", full_plan,
                                     consent_id=consent.pk))
    assert withdrawn.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None and consent.withdrawn_by == users["parent"]
    text = text_of(client.get(plan_url(full_plan)))
    assert "De toestemming is ingetrokken." in text and "Ingetrokken" in text


def test_withdrawing_consent_shuts_the_school_out_at_once(family, users, full_plan):
    """The school joined the team on the family's consent; the parent withdraws the
    child's consent in the family view; the teacher's next read is denied."""
    teacher = family.teacher_actor
    members = selectors.members_of(full_plan.household)
    assert decide(teacher, Action.READ, selectors.target(full_plan, members)).allowed
    consent = Consent.objects.get(person=family.child, organisation=family.school)
    response = login(users["parent"]).post(post_url("family_consent_withdraw", full_plan,
                                                    consent_id=consent.pk))
    assert response.status_code == 302
    assert not decide(teacher, Action.READ, selectors.target(full_plan, members)).allowed
    with pytest.raises(AccessDenied):
        actions.read_plan(teacher, full_plan.pk)
    assert AccessLogRecord.objects.filter(user_id=family.teacher.user_id, data=Data.PLAN,
                                          outcome="denied").exists()


def test_parent_cannot_give_consent_alone_for_a_child_of_12_to_15(family, users, full_plan):
    client = login(users["parent"])
    page = client.get(plan_url(full_plan))
    # Not offered; the page says how it works instead.
    assert f'<option value="{family.youth.pk}"' not in page.content.decode()
    assert "Daan Bakker en een ouder geven samen toestemming." in text_of(page)
    before = Consent.objects.count()
    response = client.post(post_url("family_consent_give", full_plan), {
        "toestemming-person": str(family.youth.pk),
        "toestemming-organisation": family.school.pk, "toestemming-categories": ["plan"]})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="id_toestemming-person_error"' in body
    text = text_of(response)
    assert "Van 12 tot 16 jaar geven de jongere en een ouder samen toestemming." in text
    assert "vraag uw regisseur" in text
    assert Consent.objects.count() == before


def test_youth_from_16_gives_consent_for_themselves(family, older, users, full_plan,
                                                    municipality):
    sports = f.OrganisationFactory(name="Sportvereniging Vooruit", kind="youth_care_provider",
                                   municipality=municipality)
    until = timezone.localdate() + timedelta(days=180)
    response = login(users["older"]).post(post_url("family_consent_give", full_plan), {
        "toestemming-person": str(older.pk), "toestemming-organisation": sports.pk,
        "toestemming-categories": ["base_data"],
        "toestemming-valid_until": until.strftime("%d-%m-%Y")})
    assert response.status_code == 302
    consent = Consent.objects.get(organisation=sports)
    assert consent.person == older and set(consent.given_by.all()) == {older}
    assert consent.valid_until == until


def test_a_youth_cannot_give_consent_for_a_sibling(family, older, users, full_plan):
    """The policy's answer: a youth of 17 has no ground for a sibling's consent."""
    response = login(users["older"]).post(post_url("family_consent_give", full_plan), {
        "toestemming-person": str(family.child.pk),
        "toestemming-organisation": family.school.pk, "toestemming-categories": ["plan"]})
    assert response.status_code == 403
    assert not Consent.objects.filter(person=family.child, recorded_by=users["older"]).exists()


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"toestemming-categories": ["plan"], "toestemming-organisation": "SCHOOL"},
     "person", "Kies voor wie u toestemming geeft."),
    ({"toestemming-person": "iemand", "toestemming-categories": ["plan"],
      "toestemming-organisation": "SCHOOL"}, "person", "Kies iemand uit de lijst."),
    ({"toestemming-person": "CHILD", "toestemming-categories": ["plan"]},
     "organisation", "Kies een organisatie."),
    ({"toestemming-person": "CHILD", "toestemming-categories": ["plan"],
      "toestemming-organisation": "999999"}, "organisation", "Deze organisatie bestaat niet."),
    ({"toestemming-person": "CHILD", "toestemming-organisation": "SCHOOL"},
     "categories", "Kies welke gegevens de organisatie mag zien."),
    ({"toestemming-person": "CHILD", "toestemming-organisation": "SCHOOL",
      "toestemming-categories": ["medical"]}, "categories", "Kies uit de gegevens in de lijst."),
    ({"toestemming-person": "CHILD", "toestemming-organisation": "SCHOOL",
      "toestemming-categories": ["plan"], "toestemming-valid_until": "31-02-2030"},
     "valid_until", "Vul een datum in als dag-maand-jaar"),
    ({"toestemming-person": "CHILD", "toestemming-organisation": "SCHOOL",
      "toestemming-categories": ["plan"], "toestemming-valid_until": "01-01-2000"},
     "valid_until", "De einddatum ligt vóór de begindatum."),
])
def test_consent_errors_name_the_field(family, users, full_plan, data, field, message):
    values = {"SCHOOL": str(family.school.pk), "CHILD": str(family.child.pk)}
    data = {k: ([values.get(x, x) for x in v] if isinstance(v, list) else values.get(v, v))
            for k, v in data.items()}
    before = Consent.objects.count()
    response = login(users["parent"]).post(post_url("family_consent_give", full_plan), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert f'id="id_toestemming-{field}_error"' in body
    error = body[body.index(f'id="id_toestemming-{field}_error"'):]
    assert message in error[:600]
    assert Consent.objects.count() == before


def test_consents_and_legal_bases_are_shown_per_member(family, older, users, full_plan,
                                                       municipality):
    from jeugdketen.access.actions import record_legal_basis

    protection = f.OrganisationFactory(name="Gecertificeerde Instelling Noord", kind="certified_institution",
                                       municipality=municipality)
    guardian = f.ProfessionalFactory(organisation=protection, roles=["professional"])
    f.RegistrationFactory(person=family.child, professional=guardian)
    until = timezone.localdate() + timedelta(days=365)
    record_legal_basis(f.professional_actor(guardian), family.child.pk,
                       organisation_id=protection.pk, kind="child_protection",
                       reference="OTS-2025-0042", valid_until=until)
    text = text_of(login(users["parent"]).get(plan_url(full_plan)))
    child = text[text.index("Wettelijke grondslag voor de gegevens van Noor Bakker"):]
    assert "Gecertificeerde Instelling Noord" in child
    assert "kinderbeschermingsmaatregel" in child and "OTS-2025-0042" in child
    # The school's consent for the parent, the child and the youth of 14 (the parent sees
    # those under 16); the youth of 17's own consent is not shown to the parent.
    for name in ("Mariam Bakker", "Noor Bakker", "Daan Bakker"):
        assert f"Toestemming voor de gegevens van {name}" in text
    assert "Toestemming voor de gegevens van Sam Bakker" not in text
    assert "De toestemming van Sam Bakker ziet u hier niet." in text
