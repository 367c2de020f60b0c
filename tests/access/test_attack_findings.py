"""Regression tests for the adversarial review of the BRP rework (issue 8, "find what is
still open"). Each test names its finding and severity and fails on today's code; they are
marked xfail(strict=True) until the fix lands (then remove the mark).

The attacks were run as ordinary users of each role against a fresh demo; these tests pin
what they found, with the smallest world that shows it.
"""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jeugdketen.access import actions as access
from jeugdketen.access.audit import AccessDenied
from jeugdketen.access.policy import Action, Data, Target, decide
from jeugdketen.chainlog.models import ChainEvent
from jeugdketen.core.errors import Refusal
from jeugdketen.plans import actions as plans
from jeugdketen.plans import selectors as plan_selectors
from jeugdketen.referral_index import actions as index
from jeugdketen.referral_index.models import Message
from jeugdketen.registry import actions as registry
from jeugdketen.registry.models import CorrectionProposal, Registration
from tests import factories as f
from tests.brp import in_brp
from tests.conftest import ApiClient

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.REQUIRE_2FA = False
    settings.DEMO = False


def logged_in(who: Any) -> Client:
    client = Client(HTTP_USER_AGENT="pytest-attack")
    client.force_login(getattr(who, "user", who))
    client.cookies["django_language"] = "nl"
    return client


def enter(prof: Any, **kw: Any) -> Any:
    """Register a person through the action, as the BRP knows them (BSN, birth date and
    family name agree): what a professional who knows the family can do."""
    data = {"bsn": f.synthetic_bsn(), "given_names": "Noor", "family_name": "Bakker",
            "birth_date": date(2015, 6, 1), "sex": "V"} | kw
    in_brp(bsn=data["bsn"], given_names=data["given_names"], family_name=data["family_name"],
           birth_date=data["birth_date"], sex=data["sex"], postcode=data.get("postcode", ""),
           house_number=data.get("house_number"))
    return registry.register_person(f.professional_actor(prof),
                                    registry.PersonInput(**data)).person


@pytest.fixture
def elsewhere() -> dict[str, Any]:
    """A second municipality with a school, a privacy officer and a functional admin."""
    other = f.MunicipalityFactory(code="GM9902", name="Anderstad")
    school = f.OrganisationFactory(name="School Anderstad", kind="school", municipality=other)
    office = f.OrganisationFactory(name="Gemeente Anderstad", kind="municipality",
                                   municipality=other)
    return {
        "municipality": other,
        "professional": f.ProfessionalFactory(organisation=school, roles=["professional"]),
        "privacy_officer": f.ProfessionalFactory(organisation=office, roles=["privacy_officer"]),
        "functional_admin": f.ProfessionalFactory(organisation=office,
                                                  roles=["functional_admin"]),
    }


@pytest.fixture
def resident(professional, postcode_address) -> Any:
    """A child living in Testdam (BRP address in the postcode table), entered by a Testdam
    professional."""
    return enter(professional, given_names="Sanne", family_name="de Vries",
                 postcode="9901AB", house_number=12)


# --- finding 1 (high): the privacy officer's BSN look-ups tell whether a BSN is known ----


@pytest.mark.parametrize("url", ["access_overview", "rights"])
def test_a_privacy_officer_cannot_probe_bsns_of_another_municipality(url, resident, elsewhere):
    """High. POST /toegang/ and POST /verwijsindex/rechten/ with a BSN: a BSN known anywhere
    in the chain answers 302 to /toegang/<person id>/ (then 403), an unknown one 200 "niemand
    gevonden". A privacy officer of another municipality learns who is known in the chain
    (issue 8, finding 5 named exactly this redirect) and the person's id. Both must answer
    alike, without the id."""
    client = logged_in(elsewhere["privacy_officer"])
    known = client.post(reverse(url), {"bsn": resident.bsn})
    unknown = client.post(reverse(url), {"bsn": f.synthetic_bsn()})
    assert str(resident.pk) not in known.get("Location", "")
    assert str(resident.pk) not in known.content.decode()
    assert known.status_code == unknown.status_code == 200


# --- finding 2 (high): entering a person pulls them into another municipality's scope ---


@pytest.fixture
def correction(resident, professional) -> CorrectionProposal:
    """A report back to the BRP on the Testdam child, made by a Testdam professional."""
    return f.CorrectionProposalFactory(person=resident, proposed_by=professional)


def test_a_registration_elsewhere_does_not_hand_corrections_to_that_municipality(
        resident, correction, elsewhere):
    """High (a way round issue 8, finding 4). Any professional of Anderstad who knows BSN,
    birth date and family name of a Testdam child registers her; `_person_municipalities`
    then counts Anderstad as hers, although her BRP address is in Testdam. Anderstad's
    functional admin sees Testdam's open report back to the BRP (name, proposer's
    organisation, e.g. a child-protection institution) and can pass it on or reject it."""
    enter(elsewhere["professional"], bsn=resident.bsn, given_names="Sanne",
          family_name="de Vries", birth_date=resident.birth_date, postcode="9901AB",
          house_number=12)
    admin = f.professional_actor(elsewhere["functional_admin"])
    assert registry.list_open_corrections(admin) == []
    with pytest.raises(AccessDenied):
        registry.decide_correction(admin, correction.pk, accept=False)
    correction.refresh_from_db()
    assert correction.status == "open"


def test_a_registration_elsewhere_does_not_hand_the_access_log_to_that_municipality(
        resident, elsewhere):
    """High. The same registration gives Anderstad's privacy officer Testdam's child: the
    whole access log (every organisation's reads, legal bases, plans) and the reference
    index rights report (every signal, with organisation and contact)."""
    enter(elsewhere["professional"], bsn=resident.bsn, given_names="Sanne",
          family_name="de Vries", birth_date=resident.birth_date, postcode="9901AB",
          house_number=12)
    officer = f.professional_actor(elsewhere["privacy_officer"])
    for data in (Data.ACCESS_LOG, Data.RIGHTS_REQUEST):
        assert not decide(officer, Action.READ, Target(data, person=resident)).allowed, data
    api = ApiClient(access.issue_token(officer, elsewhere["privacy_officer"].user))
    assert api.get(f"/persons/{resident.pk}/access-log").status_code == 403
    assert api.get(f"/persons/{resident.pk}/rights-report").status_code == 403


# --- finding 3 (critical): a coordinator learns other organisations' legal bases --------


@pytest.fixture
def consent_plan(municipality, neighbourhood) -> dict[str, Any]:
    """A parent and a child of 8 (BRP: parent with custody), entered by a neighbourhood-team
    coordinator who starts a plan on the family's (stated) consent. Any professional who
    knows the family's BSNs, birth dates and family name can get this far, also one of
    another municipality."""
    team = f.OrganisationFactory(name="Wijkteam Oost", municipality=municipality,
                                 may_coordinate=True)
    coordinator = f.ProfessionalFactory(organisation=team, roles=["coordinator"])
    parent = f.PersonFactory(birth_date=f.birth_date_for_age(40), neighbourhood=neighbourhood)
    child = f.PersonFactory(birth_date=f.birth_date_for_age(8), neighbourhood=neighbourhood)
    household = f.make_household(parents=[parent], children=[child])
    for person in (parent, child):
        f.RegistrationFactory(person=person, professional=coordinator)
    actor = f.professional_actor(coordinator)
    plan = plans.start_plan(actor, household.pk, coordinator.pk,
                            consent_given_by=[parent.pk])
    return {"plan": plan, "parent": parent, "child": child, "actor": actor,
            "coordinator": coordinator}


def institution(municipality: Any, name: str) -> Any:
    org = f.OrganisationFactory(name=name, kind="certified_institution",
                                municipality=municipality, may_coordinate=True)
    return f.ProfessionalFactory(organisation=org, roles=["professional"])


def try_to_join(world: dict[str, Any], worker: Any) -> str:
    """The coordinator records the family's consent for the worker's organisation for the
    parent only, then adds the worker to the team; returns what the answer says."""
    access.give_consent(world["actor"], world["parent"].pk, plan_id=world["plan"].pk,
                        given_by=[world["parent"].pk],
                        organisation_id=worker.organisation_id, categories=["plan"])
    try:
        plans.add_team_member(world["actor"], world["plan"].pk, role="jeugdbeschermer",
                              professional_id=worker.pk)
    except Refusal as exc:
        return exc.rule
    return "joined"


def test_adding_a_team_member_does_not_reveal_a_legal_basis(consent_plan, municipality):
    """Critical. The coordinator of a plan started on the family's stated consent (nothing
    verifies it; in the demo a professional of another municipality did this for a real
    child that already had an open plan elsewhere) records consent for a certified
    institution for every member but the child, and adds one of its professionals: it joins
    (201) exactly when the institution holds a child-protection measure for the child, else
    403 `no_ground_to_join`. After the join the plan page lists the measure with its
    reference ("OTS 2026/2461" in the demo): the relationship with another organisation
    that issue 8, finding 1 closed, found again. The answer must not depend on a legal basis
    the coordinator cannot see."""
    guardian = institution(municipality, "Jeugdbescherming Zuid")
    f.RegistrationFactory(person=consent_plan["child"], professional=guardian)
    access.record_legal_basis(f.professional_actor(guardian), consent_plan["child"].pk,
                              organisation_id=guardian.organisation_id, kind="child_protection",
                              reference="OTS-2026-0042",
                              valid_until=timezone.localdate() + timedelta(days=365))
    without = institution(municipality, "Jeugdbescherming Oost")
    assert try_to_join(consent_plan, guardian) == try_to_join(consent_plan, without)


# --- finding 4 (high): a functional administrator gets a working token for anyone -------


def test_a_functional_admin_cannot_act_as_a_professional_they_create(
        api_client_for, functional_admin, municipality, neighbourhood):
    """High. A functional administrator (no care role, no ground for case content) creates a
    professional at Veilig Thuis of their municipality and gets its API token in the answer:
    through it, without that person and without a second factor, they read Veilig Thuis'
    signals (names of youth) and record a Veilig Thuis legal basis for any child they know.
    The policy says an administrator never hands out "a token for someone else, which skips
    2FA". (tests/registry/test_professional_creation.py asserts the token works and must change with
    the fix: hand the new professional an activation code, not the creator a token.)"""
    safe_home = f.OrganisationFactory(name="Veilig Thuis Testdam", kind="veilig_thuis",
                                      municipality=municipality)
    worker = f.ProfessionalFactory(organisation=safe_home, roles=["professional"])
    kid = enter(worker, given_names="Mees", family_name="Visser")
    index.register_signal(f.professional_actor(worker), kid.pk, duration_days=365)
    response = api_client_for(functional_admin).post("/professionals", {
        "organisation_id": safe_home.pk, "username": "sok.pop", "full_name": "Sok Pop",
        "email": "sok@example.test", "roles": ["professional", "coordinator"]})
    assert response.status_code == 201, response.content
    token = response.json().get("api_token")
    if token:
        assert ApiClient(token).get("/signals").status_code == 401


# --- finding 5 (medium): searching the index by "risk gone" raises no alert --------------


def test_a_withdrawal_right_after_a_match_is_alerted_whatever_the_reason(
        municipality, neighbourhood, settings):
    """Medium. Searching the index: register a signal (>= the minimum duration) on a youth,
    read the match's contacts, withdraw it the same day as `risk_gone` instead of
    `unjustified`. No message reaches the privacy officers and no `index.use_alerted` is
    emitted; only every INDEX_WATCH_WITHDRAWALS-th quick withdrawal alerts (two searches out
    of three go unnoticed). Reproduced in the demo: signal 105 on a youth with a school's
    signal, match 32 read, withdrawn with risk_gone, no alert."""
    officer_org = f.OrganisationFactory(kind="municipality", municipality=municipality)
    officer = f.ProfessionalFactory(organisation=officer_org, roles=["privacy_officer"])
    kid = f.PersonFactory(birth_date=f.birth_date_for_age(12), neighbourhood=neighbourhood)
    school = f.ProfessionalFactory(organisation=f.OrganisationFactory(
        kind="school", municipality=municipality, may_signal=True))
    searcher = f.ProfessionalFactory(organisation=f.OrganisationFactory(
        kind="youth_care_provider", municipality=municipality, may_signal=True))
    for prof in (school, searcher):
        Registration.objects.create(person=kid, professional=prof,
                                    organisation=prof.organisation)
    index.register_signal(f.professional_actor(school), kid.pk, duration_days=365)
    found = index.register_signal(f.professional_actor(searcher), kid.pk, duration_days=90)
    assert found.matches
    index.read_match(f.professional_actor(searcher), found.matches[0].pk)
    index.withdraw_signal(f.professional_actor(searcher), found.signal.pk, reason="risk_gone")
    assert Message.objects.filter(recipient=officer).exists()
    assert ChainEvent.objects.filter(activity="index.use_alerted").exists()


# --- finding 6 (low): the household page shows another organisation's household ---------


def test_the_household_page_needs_a_ground_for_the_household(professional, other_professional,
                                                             postcode_address):
    """Low. A household entered by another professional, of whose members the viewer also
    entered two (knowing their BSNs): GET /huishoudens/<id>/ shows it (200, the two with
    their relation "Ouder"/"Kind") although the policy gives no ground for the household
    (not every member) and the person page leaves it out. Needs the household's id."""
    mother = enter(professional, given_names="Mira", family_name="Jansen",
                   birth_date=date(1985, 2, 3))
    kids = []
    for given, born in (("Lotte", date(2017, 1, 5)), ("Daan", date(2014, 3, 9))):
        bsn = f.synthetic_bsn()
        in_brp(bsn=bsn, given_names=given, family_name="Jansen", birth_date=born,
               parents=[mother.bsn], custody=[mother.bsn])
        kids.append(registry.register_person(f.professional_actor(professional),
                                             registry.PersonInput(
                                                 bsn=bsn, given_names=given,
                                                 family_name="Jansen", birth_date=born,
                                                 sex="V")).person)
    household = registry.register_household(f.professional_actor(professional), [
        registry.MemberInput(p.pk) for p in (mother, *kids)])
    for person in (mother, kids[0]):
        registry.register_person(f.professional_actor(other_professional), registry.PersonInput(
            bsn=person.bsn, given_names=person.given_names, family_name="Jansen",
            birth_date=person.birth_date, sex="V"))
    viewer = f.professional_actor(other_professional)
    everyone = (mother, *kids)
    assert not decide(viewer, Action.READ, Target(Data.HOUSEHOLD, household=household,
                                                  members=everyone)).allowed
    response = logged_in(other_professional).get(reverse("household", args=[household.pk]))
    assert response.status_code == 403


# --- finding 7 (medium): a household relation outlives the BRP fact it came from --------


def test_a_carer_whose_custody_ended_no_longer_co_owns_the_plan(professional, municipality):
    """Medium. A guardian (custody, not a parent) is a verified "carer" in the household and
    co-owns the family's plan (ground `family`). The BRP ends the guardianship; the nightly
    `jeugdketen brp refresh` updates the custody facts (Kinship) but not the household
    member (relation carer, brp_verified), so the former guardian keeps reading the plan,
    its team and evaluations, approving versions and commenting."""
    team = f.OrganisationFactory(municipality=municipality, may_coordinate=True)
    coordinator = f.ProfessionalFactory(organisation=team, roles=["coordinator"])
    guardian_bsn, kid_bsn = f.synthetic_bsn(), f.synthetic_bsn()
    in_brp(bsn=guardian_bsn, given_names="Gerda", family_name="Voogd",
           birth_date=date(1970, 1, 1), postcode="9901AB", house_number=3)
    in_brp(bsn=kid_bsn, given_names="Mees", family_name="Visser", birth_date=date(2016, 1, 1),
           custody=[guardian_bsn], custody_type="Voogdij", postcode="9901AB", house_number=3)
    actor = f.professional_actor(coordinator)
    guardian, kid = (registry.register_person(actor, registry.PersonInput(
        bsn=bsn, given_names=given, family_name=family, birth_date=born, sex="O")).person
        for bsn, given, family, born in ((guardian_bsn, "Gerda", "Voogd", date(1970, 1, 1)),
                                         (kid_bsn, "Mees", "Visser", date(2016, 1, 1))))
    household = registry.register_household(actor, [registry.MemberInput(guardian.pk),
                                                    registry.MemberInput(kid.pk)])
    assert {m.relation for m in household.members.all()} == {"carer", "child"}
    plan = plans.start_plan(actor, household.pk, coordinator.pk,
                            consent_given_by=[guardian.pk])
    former = f.citizen_actor(guardian)
    members = plan_selectors.members_of(household)
    assert decide(former, Action.READ, plan_selectors.target(plan, members)).allowed  # before
    in_brp(bsn=kid_bsn, given_names="Mees", family_name="Visser", birth_date=date(2016, 1, 1),
           custody=[], custody_type="TijdelijkGeenGezag", postcode="9901AB", house_number=3)
    call_command("brp", "refresh", stdout=StringIO(), stderr=StringIO())
    assert not access.custody_holders_of(kid)  # the BRP fact did change
    assert not decide(former, Action.READ, plan_selectors.target(plan, members)).allowed
    assert not decide(former, Action.CREATE, plan_selectors.target(plan, members, Data.APPROVAL)).allowed


# --- finding 8 (medium): an address match starts a plan for another family --------------


def test_an_address_match_does_not_start_a_plan_for_another_family(municipality):
    """Medium. Two unrelated families live at one BRP address (a shared house, a shelter).
    Their children match on the address. The coordinator agreed for the match (a school
    proposes, anyone involved accepts) may start a plan for the OTHER family's household
    (entered by the other organisation) and, as its coordinator, reads the base data of
    every member of that family, its parents included: access from co-residence, which the
    design says grants nothing. A plan from a match should cover the households of youth
    the coordinator has a ground for (client and family matches), not address neighbours."""
    def family(given: str) -> tuple[Any, Any, Any]:
        org = f.OrganisationFactory(municipality=municipality, may_signal=True,
                                    may_coordinate=True)
        prof = f.ProfessionalFactory(organisation=org, roles=["coordinator"])
        parent = f.PersonFactory(birth_date=f.birth_date_for_age(40), postcode="9901AB",
                                 house_number=7)
        child = f.PersonFactory(birth_date=f.birth_date_for_age(9), given_names=given,
                                postcode="9901AB", house_number=7)
        household = f.make_household(parents=[parent], children=[child])
        for person in (parent, child):
            f.RegistrationFactory(person=person, professional=prof)
        return prof, child, household

    ours, our_child, _our_home = family("Ali")
    theirs, their_child, their_home = family("Bo")
    first = index.register_signal(f.professional_actor(ours), our_child.pk, duration_days=365)
    second = index.register_signal(f.professional_actor(theirs), their_child.pk,
                                   duration_days=365)
    [match] = second.matches
    assert match.kind == "address" and first.signal in match.signals.all()
    index.propose_coordinator(f.professional_actor(theirs), match.pk, ours.pk)
    index.accept_coordinator(f.professional_actor(ours), match.pk)
    with pytest.raises(AccessDenied):
        plans.start_plan(f.professional_actor(ours), their_home.pk, ours.pk, match_id=match.pk)


# --- finding 9 (low): a huge page number is a 500 --------------------------------------


def test_a_huge_page_number_of_the_decision_aid_sessions_is_no_server_error(professional):
    """Low. GET /signaalgids/sessies/?pagina=99999999999999999999 answers 500
    (IntegrityError "datatype mismatch" on SQLite; the offset overflows a 64-bit integer):
    `page_number` has no upper bound, and the sessions list does not clamp it to the last
    page as the home page does."""
    response = logged_in(professional).get(reverse("guide_sessions"),
                                           {"pagina": "99999999999999999999"})
    assert response.status_code == 200


# --- finding 10 (low): the break-glass review tells which log records are emergencies ---


def test_the_break_glass_review_answers_alike_for_records_of_another_municipality(
        resident, elsewhere):
    """Low. POST /privacy/noodtoegang/<id>/ by a privacy officer of another municipality:
    an emergency access of a Testdam organisation answers 403, any other record id 404, so
    the sequential ids tell how often and when other municipalities broke the glass."""
    emergency = f.ProfessionalFactory(organisation=f.OrganisationFactory(
        municipality=resident.neighbourhood.district.municipality))
    registry.read_person(f.professional_actor(
        emergency, emergency_reason="Kind niet opgehaald, ouders onbereikbaar."), resident.pk)
    from jeugdketen.access.models import AccessLogRecord

    record = AccessLogRecord.objects.get(emergency=True)
    client = logged_in(elsewhere["privacy_officer"])
    theirs = client.post(reverse("review", args=[record.pk]), {"justified": "nee"})
    none = client.post(reverse("review", args=[record.pk + 10_000]), {"justified": "nee"})
    assert theirs.status_code == none.status_code


# --- finding 11 (low): a household with one id twice tells whether the id exists ---------


def test_a_household_of_someone_elses_person_twice_is_refused_like_an_unknown_id(
        api_client_for, other_professional, resident):
    """Low. POST /households with one person id twice: a person the caller has no ground for
    answers 422 `duplicate_member` (and no denied attempt is logged), an unknown id 403.
    POST /legal-bases likewise checks organisation, kind and holder before the policy (422
    `legal_basis_holder` for an existing person, 403 for an unknown id). Whether an id
    exists must not show before the policy has answered."""
    import uuid

    api = api_client_for(other_professional)
    known = api.post("/households", {"members": [{"person_id": str(resident.pk)}] * 2})
    unknown = api.post("/households", {"members": [{"person_id": str(uuid.uuid4())}] * 2})
    assert known.status_code == unknown.status_code == 403
    school = f.OrganisationFactory(kind="school")
    basis = {"organisation_id": school.pk, "kind": "veilig_thuis", "reference": "VT-1",
             "valid_until": (timezone.localdate() + timedelta(days=30)).isoformat()}
    known = api.post("/legal-bases", {"person_id": str(resident.pk), **basis})
    unknown = api.post("/legal-bases", {"person_id": str(uuid.uuid4()), **basis})
    assert known.status_code == unknown.status_code == 403


def test_the_holder_of_a_legal_basis_joins_the_team_itself(consent_plan, municipality,
                                                          api_client_for):
    """Finding 3, the other half: a certified institution with a measure for the child (and
    the parent's consent for this plan) joins the plan's team itself; one without is refused
    alike to an unknown plan. The coordinator then sees its legal basis."""
    guardian = institution(municipality, "Jeugdbescherming Zuid")
    f.RegistrationFactory(person=consent_plan["child"], professional=guardian)
    access.record_legal_basis(f.professional_actor(guardian), consent_plan["child"].pk,
                              organisation_id=guardian.organisation_id, kind="child_protection",
                              reference="OTS-2026-0042",
                              valid_until=timezone.localdate() + timedelta(days=365))
    access.give_consent(consent_plan["actor"], consent_plan["parent"].pk,
                        plan_id=consent_plan["plan"].pk, given_by=[consent_plan["parent"].pk],
                        organisation_id=guardian.organisation_id, categories=["plan"])
    without = institution(municipality, "Jeugdbescherming Oost")
    url = f"/plans/{consent_plan['plan'].pk}/join"
    refused = api_client_for(without).post(url, {"role": "jeugdbeschermer"})
    unknown = api_client_for(without).post("/plans/00000000-0000-4000-8000-000000000000/join",
                                           {"role": "jeugdbeschermer"})
    assert refused.status_code == unknown.status_code == 403
    assert refused.json()["type"] == unknown.json()["type"]
    assert plan_selectors.plans_to_join(f.professional_actor(without), consent_plan["child"]) == []
    assert plan_selectors.plans_to_join(f.professional_actor(guardian), consent_plan["child"]) == [
        consent_plan["plan"]]
    assert api_client_for(guardian).post(url, {"role": "jeugdbeschermer"}).status_code == 201
    # Once in, not twice; nor the coordinator, who leads the team already.
    again = api_client_for(guardian).post(url, {"role": "jeugdbeschermer"})
    assert (again.status_code, again.json()["type"]) == (
        409, "urn:jeugdketen:problem:already_in_team")
    coordinator = api_client_for(consent_plan["plan"].coordinator).post(url, {"role": "regie"})
    assert coordinator.status_code == 409
    assert plan_selectors.plans_to_join(f.professional_actor(guardian), consent_plan["child"]) == []
    seen = access.consents_for(consent_plan["actor"],
                               [consent_plan["parent"], consent_plan["child"]],
                               plan=consent_plan["plan"])
    [basis] = seen[str(consent_plan["child"].pk)]["legal_bases"]
    assert basis.organisation_id == guardian.organisation_id
