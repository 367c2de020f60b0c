"""The client registry: entered once, without revealing who is known; validation of BSN
and postcode; households and derived siblings; correction proposals; chain events."""

from __future__ import annotations

import json
from datetime import date
from unittest import mock

import pytest
from django.core.exceptions import ValidationError

from jeugdketen.access import audit
from jeugdketen.access.models import AccessLogRecord
from jeugdketen.chainlog.models import ChainEvent
from jeugdketen.registry import actions
from jeugdketen.registry.models import CorrectionProposal, Person, Registration

from . import factories as f
from .conftest import person_payload


def entered(**kw) -> actions.PersonInput:
    data = {"bsn": f.synthetic_bsn(), "given_names": "Daan", "family_name": "Visser",
            "birth_date": date(2013, 11, 2), "sex": "M"} | kw
    return actions.PersonInput(**data)


def codes(exc: ValidationError) -> dict[str, str]:
    return {name: errors[0].code for name, errors in exc.error_dict.items()}


# --- registering -----------------------------------------------------------------------


def test_register_a_person(professional, postcode_address):
    actor = f.professional_actor(professional)
    result = actions.register_person(actor, entered(postcode="9901 ab", house_number=12))
    person = Person.objects.get(pk=result.person.pk)
    assert (person.given_names, person.family_name, person.sex) == ("Daan", "Visser", "M")
    assert person.postcode == "9901AB"
    assert person.neighbourhood_id == postcode_address.neighbourhood_id
    assert not person.neighbourhood_unknown
    assert Registration.objects.filter(person=person, professional=professional).exists()
    assert person.system_id is None


def test_a_person_without_bsn_gets_a_platform_identifier(professional):
    result = actions.register_person(f.professional_actor(professional), entered(bsn=""))
    assert result.person.bsn is None
    assert result.person.system_id.startswith("JK") and len(result.person.system_id) == 12


def test_the_same_bsn_again_attaches_and_proposes_a_correction(professional, other_professional):
    bsn = f.synthetic_bsn()
    first = actions.register_person(f.professional_actor(professional),
                                    entered(bsn=bsn, given_names="Daan"))
    second = actions.register_person(
        f.professional_actor(other_professional),
        entered(bsn=bsn, given_names="Dan", birth_date=date(2013, 11, 3)))
    assert second.person.pk == first.person.pk
    assert Person.objects.filter(bsn=bsn).count() == 1
    person = Person.objects.get(bsn=bsn)
    assert person.given_names == "Daan" and person.birth_date == date(2013, 11, 2)  # no overwrite
    assert Registration.objects.filter(person=person).count() == 2
    proposal = CorrectionProposal.objects.get(person=person)
    assert proposal.status == "open" and proposal.proposed_by == other_professional
    assert proposal.changes == {
        "given_names": {"current": "Daan", "proposed": "Dan"},
        "birth_date": {"current": "2013-11-02", "proposed": "2013-11-03"},
    }
    # The second professional's answer repeats what they entered, not what was known.
    assert second.entered["given_names"] == "Dan"


def test_the_same_data_again_makes_no_proposal(professional, other_professional):
    data = entered()
    actions.register_person(f.professional_actor(professional), data)
    actions.register_person(f.professional_actor(other_professional), data)
    assert CorrectionProposal.objects.count() == 0


def test_registering_twice_by_the_same_professional_is_harmless(professional):
    actor = f.professional_actor(professional)
    data = entered()
    a = actions.register_person(actor, data)
    b = actions.register_person(actor, data)
    assert a.person.pk == b.person.pk
    assert Registration.objects.filter(person=a.person).count() == 1


def test_eight_digit_bsn_gets_its_leading_zero(professional, other_professional):
    # 8-digit numbers cannot lie in the synthetic 9999 range; this one exists only here.
    eight = "10000021"  # as 010000021: 8*1 + 2*2 - 1*1 = 11
    assert f.passes_elfproef("0" + eight)
    a = actions.register_person(f.professional_actor(professional), entered(bsn=eight))
    assert a.person.bsn == "010000021"
    b = actions.register_person(f.professional_actor(other_professional),
                                entered(bsn="010000021"))
    assert b.person.pk == a.person.pk


def test_a_bsn_in_other_digits_is_not_a_second_person(professional):
    bsn = f.synthetic_bsn()
    actions.register_person(f.professional_actor(professional), entered(bsn=bsn))
    fullwidth = bsn.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    with pytest.raises(ValidationError) as info:
        actions.register_person(f.professional_actor(professional), entered(bsn=fullwidth))
    assert codes(info.value) == {"bsn": "bsn_format"}
    assert Person.objects.count() == 1


def test_unknown_wellformed_postcode_is_accepted_and_flagged(professional, postcode_address):
    result = actions.register_person(f.professional_actor(professional),
                                     entered(postcode="9999ZZ", house_number=1))
    assert result.neighbourhood_unknown and result.neighbourhood_code is None
    assert result.person.neighbourhood_id is None and result.person.neighbourhood_unknown
    # A known postcode with an unknown house number is just as unknown.
    other = actions.register_person(f.professional_actor(professional),
                                    entered(postcode="9901AB", house_number=999))
    assert other.neighbourhood_unknown


@pytest.mark.parametrize("postcode", ["0123AB", "12345", "1234", "1234 A", "1234SA", "1234 ss",
                                      "AB1234", "1234-AB", "１２３４AB"])
def test_malformed_postcodes_are_refused(professional, postcode):
    with pytest.raises(ValidationError) as info:
        actions.register_person(f.professional_actor(professional),
                                entered(postcode=postcode, house_number=1))
    assert codes(info.value) == {"postcode": "postcode_format"}


def test_every_invalid_field_is_reported_at_once(professional):
    with pytest.raises(ValidationError) as info:
        actions.register_person(f.professional_actor(professional), actions.PersonInput(
            bsn=f.invalid_bsn(), given_names=" ", family_name="", birth_date=date(2999, 1, 1),
            sex="X", postcode="9901AB", house_number=None))
    assert codes(info.value) == {
        "bsn": "elfproef", "given_names": "required", "family_name": "required",
        "birth_date": "not_in_future", "sex": "brp_sex_code",
        "house_number": "required_with_postcode",
    }
    assert Person.objects.count() == 0


# --- via the API: the same answer whether or not the BSN was known ---------------------


def test_api_same_bsn_twice_gives_the_same_status_shape_and_id(
        api_client_for, professional, other_professional, postcode_address):
    bsn = f.synthetic_bsn()
    first = api_client_for(professional).post(
        "/persons", person_payload(bsn=bsn, given_names="Sanne", family_name="de Vries"))
    second = api_client_for(other_professional).post(
        "/persons", person_payload(bsn=bsn, given_names="Susanne", family_name="Vries"))
    assert first.status_code == second.status_code == 201
    assert first["Content-Type"] == second["Content-Type"]
    a, b = first.json(), second.json()
    assert a.keys() == b.keys()
    assert a["id"] == b["id"]
    assert {k: type(v) for k, v in a.items()} == {k: type(v) for k, v in b.items()}
    # Nothing of the known data leaks into the second answer.
    assert (b["given_names"], b["family_name"]) == ("Susanne", "Vries")
    assert "Sanne" not in second.content.decode() and "de Vries" not in second.content.decode()
    person = Person.objects.get(pk=a["id"])
    assert (person.given_names, person.family_name) == ("Sanne", "de Vries")
    proposal = CorrectionProposal.objects.get(person=person)
    assert set(proposal.changes) == {"given_names", "family_name"}


def test_api_known_and_new_bsn_answers_are_indistinguishable(
        api_client_for, professional, other_professional, postcode_address):
    known = f.synthetic_bsn()
    api_client_for(professional).post("/persons", person_payload(bsn=known, given_names="Eerste"))
    client = api_client_for(other_professional)
    answer_known = client.post("/persons", person_payload(bsn=known)).json()
    answer_new = client.post("/persons", person_payload(bsn=f.synthetic_bsn())).json()
    for answer in (answer_known, answer_new):
        answer.pop("id")
        answer.pop("bsn")
    assert answer_known == answer_new


def test_api_eight_digit_bsn_is_normalised(api_client):
    response = api_client.post("/persons", person_payload(bsn="10000021"))
    assert response.status_code == 201
    assert response.json()["bsn"] == "010000021"
    assert Person.objects.get(pk=response.json()["id"]).bsn == "010000021"


def test_api_unknown_postcode_is_accepted_with_neighbourhood_unknown(api_client,
                                                                      postcode_address):
    response = api_client.post("/persons", person_payload(postcode="9999 zz", house_number=3))
    assert response.status_code == 201
    body = response.json()
    assert body["neighbourhood_unknown"] is True and body["neighbourhood_code"] is None
    assert body["postcode"] == "9999ZZ"
    known = api_client.post("/persons", person_payload()).json()
    assert known["neighbourhood_code"] == postcode_address.neighbourhood_id
    assert known["neighbourhood_unknown"] is False


def problem_errors(response) -> dict[str, str]:
    assert response["Content-Type"] == "application/problem+json"
    return {e["field"]: e["rule"] for e in response.json()["errors"]}


def test_api_malformed_postcode_is_a_422_naming_postcode(api_client):
    response = api_client.post("/persons", person_payload(postcode="0123 AB"))
    assert response.status_code == 422
    assert problem_errors(response) == {"postcode": "postcode_format"}
    assert Person.objects.count() == 0


def test_api_invalid_bsn_is_a_422_naming_bsn_and_the_eleven_test(api_client):
    response = api_client.post("/persons", person_payload(bsn=f.invalid_bsn()))
    assert response.status_code == 422
    assert problem_errors(response) == {"bsn": "elfproef"}
    [error] = response.json()["errors"]
    assert "elfproef" in error["message"]
    response = api_client.post("/persons", person_payload(bsn="99990001A"))
    assert problem_errors(response) == {"bsn": "bsn_format"}


# --- households ------------------------------------------------------------------------


def test_register_a_household(professional):
    actor = f.professional_actor(professional)
    mother = actions.register_person(actor, entered(given_names="Ilse")).person
    kid = actions.register_person(actor, entered(given_names="Mees")).person
    household = actions.register_household(actor, [
        actions.MemberInput(str(mother.pk), "parent"), actions.MemberInput(kid.pk, "child")])
    assert {(m.person_id, m.relation) for m in household.members.all()} == {
        (mother.pk, "parent"), (kid.pk, "child")}
    assert household.created_by == professional
    event = ChainEvent.objects.get(activity="household.registered")
    assert event.household_key == str(household.pk)
    assert event.attributes == {"members": 2, "children": 1}


def test_household_input_errors(professional):
    actor = f.professional_actor(professional)
    p = actions.register_person(actor, entered()).person
    with pytest.raises(ValidationError) as info:
        actions.register_household(actor, [
            actions.MemberInput(p.pk, "aunt"), actions.MemberInput(p.pk, "child")])
    assert codes(info.value) == {
        "members[0].relation": "relation_choice", "members[1].person_id": "duplicate_member"}
    with pytest.raises(ValidationError) as info:
        actions.register_household(actor, [])
    assert codes(info.value) == {"members": "min_items"}


def test_household_with_unknown_or_forbidden_member_is_refused_alike(professional, other_professional):
    """An unknown id and a person without a ground give the same denial: no answer tells
    which ids exist. Both attempts are logged as denied."""
    from jeugdketen.access.audit import AccessDenied
    from jeugdketen.access.models import AccessLogRecord

    actor = f.professional_actor(professional)
    mine = actions.register_person(actor, entered()).person
    theirs = actions.register_person(f.professional_actor(other_professional), entered()).person
    refusals = []
    for stranger in ("6f1c2a7e-0000-4000-8000-000000000000", "not-a-uuid", theirs.pk):
        with pytest.raises(AccessDenied) as info:
            actions.register_household(actor, [
                actions.MemberInput(mine.pk, "parent"), actions.MemberInput(stranger, "child")])
        refusals.append((type(info.value), str(info.value)))
    assert len(set(refusals)) == 1
    denied = AccessLogRecord.objects.filter(
        outcome="denied", object_type="household", username=professional.user.username)
    assert denied.count() >= 3


def test_siblings_are_derived_from_shared_parents(db):
    mother, father, new_partner = f.PersonFactory(), f.PersonFactory(), f.PersonFactory()
    anna, bram = f.PersonFactory(), f.PersonFactory()
    half_sister = f.PersonFactory()  # shares the mother, lives in another household
    neighbour_kid, neighbour_parent = f.PersonFactory(), f.PersonFactory()
    f.make_household(parents=[mother, father], children=[anna, bram])
    f.make_household(parents=[mother, new_partner], children=[half_sister])
    f.make_household(parents=[neighbour_parent], children=[neighbour_kid])
    foster = f.PersonFactory()
    f.make_household(carers=[father], children=[foster])  # a carer is not a parent

    def ids(people):
        return sorted(str(p.pk) for p in people)

    assert ids(actions.siblings_of(anna)) == ids([bram, half_sister])
    assert ids(actions.siblings_of(half_sister)) == ids([anna, bram])
    assert actions.siblings_of(neighbour_kid) == []
    assert actions.siblings_of(mother) == []  # parents are nobody's sibling here
    assert actions.siblings_of(foster) == []


# --- correction proposals --------------------------------------------------------------


@pytest.fixture
def proposal(professional, other_professional, postcode_address):
    bsn = f.synthetic_bsn()
    actions.register_person(f.professional_actor(professional), entered(bsn=bsn))
    actions.register_person(
        f.professional_actor(other_professional),
        entered(bsn=bsn, family_name="Vissers", postcode="9901AB", house_number=12))
    return CorrectionProposal.objects.get(person__bsn=bsn)


def test_a_functional_admin_accepts_a_correction(proposal, functional_admin, postcode_address):
    decided = actions.decide_correction(f.professional_actor(functional_admin), proposal.pk,
                                        accept=True)
    assert decided.status == "accepted" and decided.decided_by == functional_admin
    assert decided.decided_at is not None
    person = Person.objects.get(pk=proposal.person_id)
    assert person.family_name == "Vissers" and person.postcode == "9901AB"
    # The neighbourhood follows the accepted address.
    assert person.neighbourhood_id == postcode_address.neighbourhood_id
    event = ChainEvent.objects.get(activity="correction.decided")
    assert event.attributes == {"accepted": True,
                                "fields": ["family_name", "house_number", "postcode"]}


def test_a_functional_admin_rejects_a_correction(proposal, functional_admin):
    actions.decide_correction(f.professional_actor(functional_admin), proposal.pk, accept=False)
    proposal.refresh_from_db()
    assert proposal.status == "rejected"
    assert Person.objects.get(pk=proposal.person_id).family_name == "Visser"


def test_a_decided_correction_cannot_be_decided_again(proposal, functional_admin):
    admin = f.professional_actor(functional_admin)
    actions.decide_correction(admin, proposal.pk, accept=False)
    with pytest.raises((ValidationError, audit.AccessDenied)):
        actions.decide_correction(admin, proposal.pk, accept=True)
    assert Person.objects.get(pk=proposal.person_id).family_name == "Visser"


@pytest.mark.parametrize("role", ["professional", "coordinator", "platform_admin",
                                  "privacy_officer", "municipal_analyst"])
def test_only_a_functional_admin_decides(proposal, make_professional, role):
    with pytest.raises(audit.AccessDenied):
        actions.decide_correction(f.professional_actor(make_professional(role)), proposal.pk,
                                  accept=True)
    proposal.refresh_from_db()
    assert proposal.status == "open"
    assert Person.objects.get(pk=proposal.person_id).family_name == "Visser"


# --- chain events ----------------------------------------------------------------------


def test_chain_events_carry_a_pseudonym_never_the_bsn(professional, other_professional,
                                                      postcode_address):
    bsn = f.synthetic_bsn()
    first = actions.register_person(
        f.professional_actor(professional),
        entered(bsn=bsn, postcode="9901AB", house_number=12)).person
    actions.register_person(f.professional_actor(other_professional),
                            entered(bsn=bsn, given_names="Other"))
    events = list(ChainEvent.objects.order_by("id"))
    assert [e.activity for e in events] == [
        "person.registered", "person.reregistered", "correction.proposed"]
    for event in events:
        assert event.person_key == str(first.pseudonym)
        assert event.person_key not in (str(first.pk), bsn)
        dump = json.dumps({k: str(v) for k, v in vars(event).items() if not k.startswith("_")})
        for secret in (bsn, "Daan", "Visser", "Other", "9901AB", str(first.pk)):
            assert secret not in dump, f"{secret} leaked into {event.activity}"
    assert events[0].organisation_id == professional.organisation_id
    assert events[0].neighbourhood_code == postcode_address.neighbourhood_id
    assert events[2].attributes == {"fields": ["given_names"]}


def test_chain_event_is_in_the_same_transaction(professional):
    """If the action fails after emitting, the event is gone with the change."""
    bsn = f.synthetic_bsn()
    actions.register_person(f.professional_actor(professional), entered(bsn=bsn))
    events, records = ChainEvent.objects.count(), AccessLogRecord.objects.count()
    other = f.ProfessionalFactory()
    with mock.patch.object(actions.CorrectionProposal.objects, "create",
                           side_effect=RuntimeError("boom")), pytest.raises(RuntimeError):
        actions.register_person(f.professional_actor(other), entered(bsn=bsn, given_names="X"))
    assert ChainEvent.objects.count() == events
    assert AccessLogRecord.objects.count() == records
    assert not Registration.objects.filter(professional=other).exists()


def test_chain_events_refuse_personal_attributes(db):
    from django.db import transaction

    from jeugdketen.chainlog.actions import emit
    from jeugdketen.chainlog.vocabulary import Activity

    with transaction.atomic(), pytest.raises(ValueError, match="bsn"):
        emit(Activity.PERSON_REGISTERED, attributes={"bsn": "999900018"})


def test_reading_back_a_known_bsn_shows_only_what_you_entered(api_client_for, professional, other_professional):
    """Review finding: after entering a known BSN, the follow-up read must not hand over
    the stored identity. The registration ground shows the data as you entered it."""
    from .conftest import person_payload

    first = person_payload(given_names="Nina", family_name="Nguyen", birth_date="2015-06-22")
    created = api_client_for(professional).post("/persons", first).json()
    probe = {**first, "given_names": "X", "family_name": "Y", "birth_date": "2016-01-01",
             "postcode": None, "house_number": None}
    api = api_client_for(other_professional)
    answer = api.post("/persons", probe)
    assert answer.status_code == 201 and answer.json()["id"] == created["id"]
    read = api.get(f"/persons/{created['id']}").json()
    assert (read["given_names"], read["family_name"], read["birth_date"]) == ("X", "Y", "2016-01-01")
    assert read["postcode"] is None and read["neighbourhood_code"] is None
    # For an unknown BSN the read also returns exactly what was entered: no difference.
    fresh = {**probe, "bsn": f.synthetic_bsn()}
    new = api.post("/persons", fresh).json()
    again = api.get(f"/persons/{new['id']}").json()
    assert {k: v for k, v in again.items() if k not in ("id", "bsn")} == {
        k: v for k, v in read.items() if k not in ("id", "bsn")}
    # The first professional still sees the stored record as they entered it.
    assert api_client_for(professional).get(f"/persons/{created['id']}").json()["given_names"] == "Nina"
