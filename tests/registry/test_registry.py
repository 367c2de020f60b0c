"""The client registry: entered once, without revealing who is known; validation of BSN
and postcode; households and derived siblings; correction proposals; chain events."""

from __future__ import annotations

import json
from datetime import date
from unittest import mock

import pytest

from jeugdketen.access import audit
from jeugdketen.access.models import AccessLogRecord
from jeugdketen.chainlog.models import ChainEvent
from jeugdketen.core.errors import Refusal
from jeugdketen.registry import actions, selectors
from jeugdketen.registry.models import (
    CorrectionProposal,
    HouseholdMember,
    Kinship,
    Person,
    Registration,
)
from tests import factories as f
from tests.brp import forget as brp_forget
from tests.brp import in_brp
from tests.conftest import person_payload


def entered(*, brp: bool = True, **kw) -> actions.PersonInput:
    """What a professional types; with `brp` the BRP knows the person exactly so."""
    data = {"bsn": f.synthetic_bsn(), "given_names": "Daan", "family_name": "Visser",
            "birth_date": date(2013, 11, 2), "sex": "M"} | kw
    if brp and data["bsn"]:
        in_brp(bsn=data["bsn"], given_names=data["given_names"],
               family_name=data["family_name"], birth_date=data["birth_date"], sex=data["sex"],
               postcode=(data.get("postcode") or "").replace(" ", "").upper(),
               house_number=data.get("house_number"))
    return actions.PersonInput(**data)


def codes(exc: Refusal) -> dict[str, str]:
    """The first rule each field broke."""
    found: dict[str, str] = {}
    for error in exc.errors:
        found.setdefault(error.field, error.rule)
    return found


# --- registering -----------------------------------------------------------------------


def test_register_a_person(professional, postcode_address):
    actor = f.professional_actor(professional)
    result = actions.register_person(actor, entered(postcode="9901 ab", house_number=12))
    person = Person.objects.get(pk=result.person.pk)
    assert (person.given_names, person.family_name, person.sex) == ("Daan", "Visser", "M")
    assert person.postcode == "9901AB"
    assert person.neighbourhood_id == postcode_address.neighbourhood_id
    assert not person.neighbourhood_unknown
    assert person.verified
    assert Registration.objects.filter(person=person, professional=professional).exists()
    assert person.system_id is None


def test_a_person_without_bsn_gets_a_platform_identifier(professional):
    result = actions.register_person(f.professional_actor(professional), entered(bsn=""))
    assert result.person.bsn is None
    assert result.person.system_id.startswith("JK") and len(result.person.system_id) == 12
    assert not result.person.verified  # as entered: grants nobody anything


def test_base_data_are_the_brps(professional, postcode_address):
    """What the platform keeps is what the BRP says (name, sex, address with letter and
    addition), not what was typed; the difference is reported back to the BRP."""
    bsn = f.synthetic_bsn()
    in_brp(bsn=bsn, given_names="Şükrü Łukasz", family_name="Yılmaz-Nguyễn",
           birth_date=date(2012, 5, 1), sex="M", postcode="9901AB", house_number=70,
           house_letter="A", addition="2", street="Havenkade", place="Testdam")
    result = actions.register_person(f.professional_actor(professional), actions.PersonInput(
        bsn=bsn, given_names="Sukru", family_name="yilmaz - nguyen",
        birth_date=date(2012, 5, 1), sex="O", postcode="9901AB", house_number=70))
    person = Person.objects.get(pk=result.person.pk)
    assert (person.given_names, person.family_name, person.sex) == (
        "Şükrü Łukasz", "Yılmaz-Nguyễn", "M")
    assert (person.postcode, person.house_number, person.house_letter,
            person.house_number_addition, person.house) == ("9901AB", 70, "A", "2", "70A-2")
    proposal = CorrectionProposal.objects.get(person=person)
    assert set(proposal.changes) == {"given_names", "sex", "house_letter",
                                     "house_number_addition"}


@pytest.mark.parametrize("written", ["de Vries", "Vries", "DE VRIES", "de  vries"])
def test_the_family_name_may_be_written_with_or_without_its_prefix(professional, written):
    bsn = f.synthetic_bsn()
    in_brp(bsn=bsn, given_names="Sanne", family_name="de Vries", birth_date=date(2014, 3, 9))
    result = actions.register_person(f.professional_actor(professional), actions.PersonInput(
        bsn=bsn, given_names="Sanne", family_name=written, birth_date=date(2014, 3, 9), sex="V"))
    assert result.person.family_name == "de Vries"


def test_a_mismatch_and_an_unknown_bsn_get_one_answer_naming_the_fields(professional):
    """BSN, birth date and family name must agree with the BRP. Unknown, a wrong birth date
    and a wrong family name give the same 422 on the same three fields: no BRP value and no
    hint which of them differs. Nothing is written."""
    actor = f.professional_actor(professional)
    bsn = f.synthetic_bsn()
    in_brp(bsn=bsn, given_names="Daan", family_name="Visser", birth_date=date(2013, 11, 2))
    unknown = f.synthetic_bsn()
    brp_forget(unknown)
    answers = []
    for probe in ({"bsn": unknown}, {"bsn": bsn, "birth_date": date(2013, 11, 3)},
                  {"bsn": bsn, "family_name": "Vissers"}, {"bsn": bsn, "family_name": "Daan"}):
        with pytest.raises(Refusal) as info:
            actions.register_person(actor, entered(brp=False, **probe))
        found: dict[str, list[tuple[str, str]]] = {}
        for e in info.value.errors:
            found.setdefault(e.field, []).append((e.rule, e.message))
        answers.append(found)
    assert all(a == answers[0] for a in answers)
    assert set(answers[0]) == {"bsn", "birth_date", "family_name"}
    assert answers[0]["bsn"][0][0] == "brp_mismatch"
    assert "BRP" in answers[0]["bsn"][0][1] and "Visser" not in str(answers)
    assert Person.objects.count() == 0 and Registration.objects.count() == 0


def test_the_brp_out_of_reach_refuses_with_503_and_writes_nothing(professional, settings):
    import socket

    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    settings.BRP_URL = f"http://127.0.0.1:{port}/haalcentraal/api/brp"
    with pytest.raises(Refusal) as info:
        actions.register_person(f.professional_actor(professional), entered())
    assert (info.value.status, info.value.rule) == (503, "brp_unavailable")
    assert Person.objects.count() == 0 and AccessLogRecord.objects.filter(
        outcome="allowed").count() == 0


def test_a_slow_brp_times_out_with_503(professional, settings):
    """A BRP that accepts the connection but does not answer: the request gives up after
    JEUGDKETEN_BRP_TIMEOUT seconds."""
    import socket
    import time

    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        settings.BRP_URL = f"http://127.0.0.1:{silent.getsockname()[1]}/haalcentraal/api/brp"
        settings.BRP_TIMEOUT = 0.3
        started = time.monotonic()
        with pytest.raises(Refusal) as info:
            actions.register_person(f.professional_actor(professional), entered())
        assert time.monotonic() - started < 5
    assert info.value.status == 503
    assert Person.objects.count() == 0


def test_the_same_bsn_again_attaches_without_revealing_anything(professional, other_professional):
    bsn = f.synthetic_bsn()
    first = actions.register_person(f.professional_actor(professional), entered(bsn=bsn))
    second = actions.register_person(f.professional_actor(other_professional),
                                     entered(bsn=bsn, brp=False))
    assert second.person.pk == first.person.pk
    assert Person.objects.filter(bsn=bsn).count() == 1
    assert Registration.objects.filter(person=first.person).count() == 2
    assert CorrectionProposal.objects.count() == 0


def test_registering_twice_by_the_same_professional_is_harmless(professional):
    actor = f.professional_actor(professional)
    data = entered()
    a = actions.register_person(actor, data)
    b = actions.register_person(actor, data)
    assert a.person.pk == b.person.pk
    assert Registration.objects.filter(person=a.person).count() == 1


def test_re_registering_refreshes_the_brp_facts(professional, other_professional):
    """The platform's copy follows the BRP: a move and a death reach it on the next
    registration (and every night through `jeugdketen brp refresh`)."""
    data = entered()
    first = actions.register_person(f.professional_actor(professional), data).person
    in_brp(bsn=data.bsn, given_names="Daan", family_name="Visser", birth_date=data.birth_date,
           sex="M", postcode="9901AB", house_number=14, died=date(2026, 1, 2))
    actions.register_person(f.professional_actor(other_professional), data)
    first.refresh_from_db()
    assert (first.postcode, first.house_number, first.date_of_death) == (
        "9901AB", 14, date(2026, 1, 2))


def test_parents_and_custody_come_from_the_brp(professional):
    mother, father, kid = f.synthetic_bsn(), f.synthetic_bsn(), f.synthetic_bsn()
    in_brp(bsn=kid, given_names="Mees", family_name="Visser", birth_date=date(2016, 1, 1),
           parents=[mother, father], custody=[mother])
    person = actions.register_person(f.professional_actor(professional), actions.PersonInput(
        bsn=kid, given_names="Mees", family_name="Visser", birth_date=date(2016, 1, 1),
        sex="M")).person
    facts = {(k.relative_bsn, k.is_parent, k.has_custody, k.custody_type)
             for k in Kinship.objects.filter(child=person)}
    assert facts == {(mother, True, True, "EenhoofdigOuderlijkGezag"),
                     (father, True, False, "")}


def test_eight_digit_bsn_gets_its_leading_zero(professional):
    eight = "10000021"  # as 010000021: 8*1 + 2*2 - 1*1 = 11 (never a synthetic number)
    assert f.passes_elfproef("0" + eight)
    with pytest.raises(Refusal) as info:
        actions.register_person(f.professional_actor(professional), entered(bsn=eight, brp=False))
    assert codes(info.value)["bsn"] == "brp_mismatch"  # asked as 010000021; not in the BRP
    assert actions.PersonInput(given_names="a", family_name="b", birth_date=date(2010, 1, 1),
                               sex="M", bsn=eight).clean()["bsn"] == "010000021"


def test_a_bsn_in_other_digits_is_not_a_second_person(professional):
    bsn = f.synthetic_bsn()
    actions.register_person(f.professional_actor(professional), entered(bsn=bsn))
    fullwidth = bsn.translate(str.maketrans("0123456789", "０１２３４５６７８９"))  # noqa: RUF001 - fullwidth digits on purpose
    with pytest.raises(Refusal) as info:
        actions.register_person(f.professional_actor(professional),
                                entered(bsn=fullwidth, brp=False))
    assert codes(info.value) == {"bsn": "bsn_format"}
    assert Person.objects.count() == 1


def test_unknown_wellformed_postcode_is_accepted_and_flagged(professional, postcode_address):
    result = actions.register_person(f.professional_actor(professional),
                                     entered(postcode="9999ZZ", house_number=1))
    assert result.person.neighbourhood_id is None and result.person.neighbourhood_unknown
    # A known postcode with an unknown house number is just as unknown.
    other = actions.register_person(f.professional_actor(professional),
                                    entered(postcode="9901AB", house_number=999))
    assert other.person.neighbourhood_unknown


@pytest.mark.parametrize("postcode", ["0123AB", "12345", "1234", "1234 A", "1234SA", "1234 ss",
                                      "AB1234", "1234-AB", "１２３４AB"])  # noqa: RUF001 - fullwidth digits on purpose
def test_malformed_postcodes_are_refused(professional, postcode):
    with pytest.raises(Refusal) as info:
        actions.register_person(f.professional_actor(professional),
                                entered(postcode=postcode, house_number=1, brp=False))
    assert codes(info.value) == {"postcode": "postcode_format"}


@pytest.mark.parametrize(("letter", "addition"), [("A", ""), ("", "2"), ("b", "bis"), ("", "12A")])
def test_a_house_letter_and_addition_are_accepted_for_a_youth_without_bsn(professional, letter,
                                                                          addition):
    result = actions.register_person(f.professional_actor(professional), entered(
        bsn="", postcode="9901AB", house_number=70, house_letter=letter,
        house_number_addition=addition))
    person = Person.objects.get(pk=result.person.pk)
    assert (person.house_letter, person.house_number_addition) == (letter.upper(), addition)


@pytest.mark.parametrize(("field", "value", "rule"), [
    ("house_letter", "AB", "house_letter_format"), ("house_letter", "1", "house_letter_format"),
    ("house_number_addition", "12345", "house_number_addition_format"),
    ("house_number_addition", "a-b", "house_number_addition_format")])
def test_a_malformed_house_letter_or_addition_is_refused(professional, field, value, rule):
    with pytest.raises(Refusal) as info:
        actions.register_person(f.professional_actor(professional), entered(
            bsn="", postcode="9901AB", house_number=70, **{field: value}))
    assert codes(info.value) == {field: rule}


def test_every_invalid_field_is_reported_at_once(professional):
    with pytest.raises(Refusal) as info:
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
        "/persons", person_payload(bsn=bsn, given_names="Susanne", family_name="Vries",
                                   in_brp=False))
    assert first.status_code == second.status_code == 201
    assert first["Content-Type"] == second["Content-Type"]
    a, b = first.json(), second.json()
    assert a == b  # the BRP's data, whoever asks and whether or not the chain knew them
    person = Person.objects.get(pk=a["id"])
    assert (person.given_names, person.family_name) == ("Sanne", "de Vries")
    proposal = CorrectionProposal.objects.get(person=person)
    assert set(proposal.changes) == {"given_names"}


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


def test_api_a_mismatch_is_a_422_naming_three_fields(api_client):
    payload = person_payload()
    response = api_client.post("/persons", {**payload, "birth_date": "2014-03-10"})
    assert response.status_code == 422
    assert problem_errors(response) == {"bsn": "brp_mismatch", "birth_date": "brp_mismatch",
                                        "family_name": "brp_mismatch"}
    assert "2014-03-09" not in response.content.decode()
    assert Person.objects.count() == 0


def test_api_the_brp_out_of_reach_is_a_503_problem(api_client, settings):
    settings.BRP_URL = "http://127.0.0.1:9/haalcentraal/api/brp"
    response = api_client.post("/persons", person_payload())
    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"][0]["rule"] == "brp_unavailable"
    assert Person.objects.count() == 0


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
    response = api_client.post("/persons", person_payload(postcode="0123 AB", in_brp=False))
    assert response.status_code == 422
    assert problem_errors(response) == {"postcode": "postcode_format"}
    assert Person.objects.count() == 0


def test_api_invalid_bsn_is_a_422_naming_bsn_and_the_eleven_test(api_client):
    response = api_client.post("/persons", person_payload(bsn=f.invalid_bsn(), in_brp=False))
    assert response.status_code == 422
    assert problem_errors(response) == {"bsn": "elfproef"}
    [error] = response.json()["errors"]
    assert "elfproef" in error["message"]
    response = api_client.post("/persons", person_payload(bsn="99990001A", in_brp=False))
    assert problem_errors(response) == {"bsn": "bsn_format"}


# --- households ------------------------------------------------------------------------


def _family(actor, *, children: int = 1, address: tuple[str, int] = ("9901AB", 12)):
    """A BRP family (two parents with joint custody, children at their address), entered."""
    mother, father = f.synthetic_bsn(), f.synthetic_bsn()
    kids = [f.synthetic_bsn() for _ in range(children)]
    postcode, number = address
    for bsn, name, born in ((mother, "Ilse", date(1985, 1, 1)), (father, "Erik", date(1984, 1, 1))):
        in_brp(bsn=bsn, given_names=name, family_name="Visser", birth_date=born,
               postcode=postcode, house_number=number, children=kids)
    for i, kid in enumerate(kids):
        in_brp(bsn=kid, given_names=f"Kind{i}", family_name="Visser",
               birth_date=date(2015, 1, 1 + i), postcode=postcode, house_number=number,
               parents=[mother, father], custody=[mother, father])

    def register(bsn, name, born):
        return actions.register_person(actor, actions.PersonInput(
            bsn=bsn, given_names=name, family_name="Visser", birth_date=born, sex="O")).person

    return (register(mother, "Ilse", date(1985, 1, 1)), register(father, "Erik", date(1984, 1, 1)),
            [register(k, f"Kind{i}", date(2015, 1, 1 + i)) for i, k in enumerate(kids)])


def test_register_a_household(professional):
    actor = f.professional_actor(professional)
    mother, _father, [kid] = _family(actor)
    household = actions.register_household(actor, [
        actions.MemberInput(str(mother.pk), "parent"), actions.MemberInput(kid.pk, "child")])
    assert {(m.person_id, m.relation, m.brp_verified) for m in household.members.all()} == {
        (mother.pk, "parent", True), (kid.pk, "child", True)}
    assert household.created_by == professional
    event = ChainEvent.objects.get(activity="household.registered")
    assert event.household_key == str(household.pk)
    assert event.attributes == {"members": 2, "children": 1}


def test_relations_are_the_brps_to_say(professional):
    """Left out, the relation comes from the BRP; stated, it must agree: a professional
    cannot make anybody a parent or carer."""
    actor = f.professional_actor(professional)
    mother, father, [kid] = _family(actor)
    household = actions.register_household(actor, [
        actions.MemberInput(kid.pk), actions.MemberInput(father.pk)])
    assert {m.person_id: m.relation for m in household.members.all()} == {
        kid.pk: "child", father.pk: "parent"}
    with pytest.raises(Refusal) as info:
        actions.register_household(actor, [actions.MemberInput(kid.pk, "parent"),
                                           actions.MemberInput(mother.pk, "child")])
    assert codes(info.value) == {"members[0].relation": "brp_mismatch",
                                 "members[1].relation": "brp_mismatch"}


def test_a_stranger_cannot_be_put_in_a_household(professional):
    """Finding 2 of issue 8: an unrelated adult made 'parent' of a child through a household.
    Without a tie in the BRP (parent, custody, same address) the household is refused."""
    actor = f.professional_actor(professional)
    _mother, _father, [kid] = _family(actor)
    stranger = actions.register_person(actor, entered(postcode="9901AB", house_number=99)).person
    for relation in ("parent", "carer", ""):
        with pytest.raises(Refusal) as info:
            actions.register_household(actor, [actions.MemberInput(stranger.pk, relation),
                                               actions.MemberInput(kid.pk, "child")])
        assert codes(info.value)["members[0].person_id"] == "brp_no_tie"
    assert HouseholdMember.objects.filter(person=stranger).count() == 0


def test_a_housemate_at_the_same_brp_address_is_a_housemate(professional):
    actor = f.professional_actor(professional)
    mother, _father, [kid] = _family(actor, address=("9901AB", 30))
    partner = actions.register_person(actor, entered(postcode="9901AB", house_number=30)).person
    household = actions.register_household(actor, [
        actions.MemberInput(mother.pk), actions.MemberInput(kid.pk),
        actions.MemberInput(partner.pk)])
    assert {m.person_id: m.relation for m in household.members.all()}[partner.pk] == "housemate"
    with pytest.raises(Refusal):
        actions.register_household(actor, [actions.MemberInput(partner.pk, "parent"),
                                           actions.MemberInput(kid.pk)])


def test_a_youth_without_bsn_is_placed_as_entered_and_unverified(professional):
    actor = f.professional_actor(professional)
    mother, _father, _kids = _family(actor)
    youth = actions.register_person(actor, entered(bsn="")).person
    household = actions.register_household(actor, [
        actions.MemberInput(mother.pk), actions.MemberInput(youth.pk, "child")])
    member = household.members.get(person=youth)
    assert (member.relation, member.brp_verified) == ("child", False)
    # The mother's tie to this child is hers to claim, not the BRP's: unconfirmed.
    mother_member = household.members.get(person=mother)
    assert (mother_member.relation, mother_member.brp_verified) == ("housemate", False)


def test_household_input_errors(professional):
    actor = f.professional_actor(professional)
    p = actions.register_person(actor, entered()).person
    with pytest.raises(Refusal) as info:
        actions.register_household(actor, [
            actions.MemberInput(p.pk, "aunt"), actions.MemberInput(p.pk, "child")])
    assert codes(info.value) == {
        "members[0].relation": "relation_choice", "members[1].person_id": "duplicate_member"}
    with pytest.raises(Refusal) as info:
        actions.register_household(actor, [])
    assert codes(info.value) == {"members": "min_items"}
    with pytest.raises(Refusal) as info:
        actions.register_household(actor, [actions.MemberInput(p.pk)] * 21)
    assert codes(info.value) == {"members": "max_items"}


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


def test_siblings_are_derived_from_shared_parents_in_the_brp(db):
    mother, father, new_partner = f.PersonFactory(), f.PersonFactory(), f.PersonFactory()
    anna, bram = f.PersonFactory(), f.PersonFactory()
    half_sister = f.PersonFactory()  # shares the mother, lives in another household
    neighbour_kid, neighbour_parent = f.PersonFactory(), f.PersonFactory()
    f.make_household(parents=[mother, father], children=[anna, bram])
    f.make_household(parents=[mother, new_partner], children=[half_sister])
    f.make_household(parents=[neighbour_parent], children=[neighbour_kid])
    foster = f.PersonFactory()
    f.make_household(carers=[father], children=[foster])  # custody, not a parent
    unverified = f.PersonFactory()
    f.make_household(parents=[mother], children=[unverified], brp=False)  # typed, not BRP

    def ids(people):
        return sorted(str(p.pk) for p in people)

    assert ids(selectors.siblings_of(anna)) == ids([bram, half_sister])
    assert ids(selectors.siblings_of(half_sister)) == ids([anna, bram])
    assert selectors.siblings_of(neighbour_kid) == []
    assert selectors.siblings_of(mother) == []  # parents are nobody's sibling here
    assert selectors.siblings_of(foster) == []
    assert selectors.siblings_of(unverified) == []


# --- correction proposals --------------------------------------------------------------


@pytest.fixture
def proposal(professional, other_professional, postcode_address):
    """A report back to the BRP: the second professional typed another given name and
    another address than the BRP has."""
    bsn = f.synthetic_bsn()
    actions.register_person(f.professional_actor(professional), entered(bsn=bsn))
    actions.register_person(
        f.professional_actor(other_professional),
        entered(bsn=bsn, given_names="Dani", postcode="9901AB", house_number=12, brp=False))
    return CorrectionProposal.objects.get(person__bsn=bsn)


def test_a_functional_admin_passes_a_report_on_to_the_brp(proposal, functional_admin):
    """Accepting passes the report on; the platform's copy stays the BRP's."""
    decided = actions.decide_correction(f.professional_actor(functional_admin), proposal.pk,
                                        accept=True)
    assert decided.status == "accepted" and decided.decided_by == functional_admin
    assert decided.decided_at is not None
    person = Person.objects.get(pk=proposal.person_id)
    assert person.given_names == "Daan" and person.postcode == ""  # the BRP's, unchanged
    event = ChainEvent.objects.get(activity="correction.decided")
    assert event.attributes == {"accepted": True,
                                "fields": ["given_names", "house_number", "postcode"]}


def test_a_functional_admin_rejects_a_correction(proposal, functional_admin):
    actions.decide_correction(f.professional_actor(functional_admin), proposal.pk, accept=False)
    proposal.refresh_from_db()
    assert proposal.status == "rejected"


def test_a_decided_correction_cannot_be_decided_again(proposal, functional_admin):
    admin = f.professional_actor(functional_admin)
    actions.decide_correction(admin, proposal.pk, accept=False)
    with pytest.raises((Refusal, audit.AccessDenied)):
        actions.decide_correction(admin, proposal.pk, accept=True)
    proposal.refresh_from_db()
    assert proposal.status == "rejected"


@pytest.mark.parametrize("role", ["professional", "coordinator", "platform_admin",
                                  "privacy_officer", "municipal_analyst"])
def test_only_a_functional_admin_decides(proposal, make_professional, role):
    with pytest.raises(audit.AccessDenied):
        actions.decide_correction(f.professional_actor(make_professional(role)), proposal.pk,
                                  accept=True)
    proposal.refresh_from_db()
    assert proposal.status == "open"


def test_a_functional_admin_of_another_municipality_neither_sees_nor_decides(proposal):
    """Finding 4 of issue 8: a functional administrator of one municipality read and decided
    another municipality's correction proposals (names, birth dates)."""
    elsewhere = f.OrganisationFactory(municipality=f.MunicipalityFactory(code="GM9977"))
    admin = f.professional_actor(f.ProfessionalFactory(organisation=elsewhere,
                                                       roles=["functional_admin"]))
    assert actions.list_open_corrections(admin) == []
    with pytest.raises(audit.AccessDenied):
        actions.decide_correction(admin, proposal.pk, accept=True)
    with pytest.raises(audit.AccessDenied):
        actions.read_person(admin, proposal.person_id)
    proposal.refresh_from_db()
    assert proposal.status == "open"


def test_an_unknown_proposal_id_is_refused_like_a_forbidden_one(functional_admin):
    admin = f.professional_actor(functional_admin)
    with pytest.raises(audit.AccessDenied):
        actions.decide_correction(admin, 987654, accept=True)


# --- chain events ----------------------------------------------------------------------


def test_chain_events_carry_a_pseudonym_never_the_bsn(professional, other_professional,
                                                      postcode_address):
    bsn = f.synthetic_bsn()
    first = actions.register_person(
        f.professional_actor(professional),
        entered(bsn=bsn, postcode="9901AB", house_number=12)).person
    actions.register_person(f.professional_actor(other_professional),
                            entered(bsn=bsn, given_names="Other", brp=False))
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
    with mock.patch.object(CorrectionProposal.objects, "create",
                           side_effect=RuntimeError("boom")), pytest.raises(RuntimeError):
        actions.register_person(f.professional_actor(other),
                                entered(bsn=bsn, given_names="X", brp=False))
    assert ChainEvent.objects.count() == events
    assert AccessLogRecord.objects.count() == records
    assert not Registration.objects.filter(professional=other).exists()


def test_chain_events_refuse_personal_attributes(db):
    from django.db import transaction

    from jeugdketen.chainlog.actions import emit
    from jeugdketen.chainlog.vocabulary import Activity

    with transaction.atomic(), pytest.raises(ValueError, match="bsn"):
        emit(Activity.PERSON_REGISTERED, attributes={"bsn": "999900018"})


def test_reading_back_a_known_bsn_shows_the_brps_data_to_anyone_who_proved_it(
        api_client_for, professional, other_professional):
    """Review finding (issue 2): entering a known BSN must not hand over what the chain
    stored. Now base data are the BRP's, and only who proves BSN, birth date and family name
    registers: the read shows the BRP's data, the same as for someone the chain never knew."""
    first = person_payload(given_names="Nina", family_name="Nguyen", birth_date="2015-06-22")
    created = api_client_for(professional).post("/persons", first).json()
    api = api_client_for(other_professional)
    probe = {**first, "given_names": "X", "birth_date": "2016-01-01"}
    assert api.post("/persons", probe).status_code == 422
    assert api.get(f"/persons/{created['id']}").status_code == 403
    assert api.post("/persons", {**first, "given_names": "X"}).json()["id"] == created["id"]
    read = api.get(f"/persons/{created['id']}").json()
    assert (read["given_names"], read["family_name"], read["birth_date"]) == (
        "Nina", "Nguyen", "2015-06-22")


def test_a_mismatch_is_logged_as_a_refused_attempt_naming_nobody(professional):
    actor = f.professional_actor(professional)
    with pytest.raises(Refusal):
        actions.register_person(actor, entered(brp=False))
    [record] = AccessLogRecord.objects.filter(username=professional.user.username)
    assert (record.outcome, record.client_id, record.object_type) == ("refused", "", "base_data")
    assert record.reason == selectors.MISMATCH_REASON


def test_guessing_is_stopped_after_the_daily_limit(professional, privacy_officer, settings):
    """Issue 8: the BRP check must not become an oracle for birth dates. After the limit a
    user registers nobody with a BSN for 24 hours (even with the right data), the privacy
    officer is told once; a colleague is not affected."""
    from jeugdketen.referral_index.models import Message

    settings.BRP_MISMATCHES_PER_DAY = 3
    actor = f.professional_actor(professional)
    bsn = f.synthetic_bsn()
    in_brp(bsn=bsn, given_names="Daan", family_name="Visser", birth_date=date(2013, 11, 2))
    for day in (1, 2, 3):
        with pytest.raises(Refusal):
            actions.register_person(actor, entered(bsn=bsn, birth_date=date(2013, 1, day),
                                                   brp=False))
    with pytest.raises(Refusal) as info:
        actions.register_person(actor, entered(bsn=bsn, brp=False))  # right, but too late
    assert (info.value.rule, info.value.status) == ("brp_mismatch_limit", 429)
    assert Person.objects.count() == 0
    assert Message.objects.filter(recipient=privacy_officer).count() == 1
    # Sent through the inbox (jeugdketen.inbox.send): the message as it always was.
    message = Message.objects.get(recipient=privacy_officer)
    assert (message.kind, message.subject, message.plan, message.match) == (
        "index", "Registratie: let op", None, None)
    assert message.body.startswith(f"{professional.full_name} ({professional.organisation.name})"
                                   " vulde vandaag 3 keer een BSN in")
    assert message.read_at is None
    colleague = f.professional_actor(f.ProfessionalFactory(organisation=professional.organisation))
    assert actions.register_person(colleague, entered(bsn=bsn, brp=False)).person.bsn == bsn


def test_the_nightly_refresh_brings_brp_facts_up_to_date(professional):
    """A move and a custody change reach the platform through `jeugdketen brp refresh`; each
    changed person gets an access-log record on the ground `brp`; unchanged ones none."""
    from io import StringIO

    from django.core.management import call_command

    actor = f.professional_actor(professional)
    mother, kid = f.synthetic_bsn(), f.synthetic_bsn()
    in_brp(bsn=mother, given_names="Ilse", family_name="Visser", birth_date=date(1985, 1, 1))
    in_brp(bsn=kid, given_names="Mees", family_name="Visser", birth_date=date(2016, 1, 1),
           parents=[mother], custody=[mother], postcode="9901AB", house_number=1)
    for bsn, name, born in ((mother, "Ilse", date(1985, 1, 1)), (kid, "Mees", date(2016, 1, 1))):
        actions.register_person(actor, actions.PersonInput(
            bsn=bsn, given_names=name, family_name="Visser", birth_date=born, sex="O"))
    in_brp(bsn=kid, given_names="Mees", family_name="Visser", birth_date=date(2016, 1, 1),
           parents=[mother], custody=[], custody_type="Voogdij", postcode="9901AB",
           house_number=1)
    out = StringIO()
    call_command("brp", "refresh", stdout=out, stderr=StringIO())
    assert json.loads(out.getvalue()) == {"checked": 2, "changed": 1, "unknown": 0}
    person = Person.objects.get(bsn=kid)
    assert not Kinship.objects.filter(child=person, has_custody=True).exists()
    [record] = AccessLogRecord.objects.filter(ground="brp")
    assert (record.client_id, record.action) == (str(person.pk), "update")
