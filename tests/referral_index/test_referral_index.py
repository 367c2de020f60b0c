"""The reference index (issue 3): signals hold only what the law allows, matches are found
at once and tell only contact details, coordinators are agreed, retention follows the law,
and the index cannot be searched."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from jeugdketen.access.audit import AccessDenied
from jeugdketen.access.models import AccessLogRecord
from jeugdketen.access.policy import Action, Data, Target, decide
from jeugdketen.chainlog.models import ChainEvent
from jeugdketen.core.errors import Refusal
from jeugdketen.referral_index import actions
from jeugdketen.referral_index.models import Match, Message, Signal
from jeugdketen.registry.models import Registration
from tests import factories as f

TODAY = date(2026, 11, 23)  # a Monday


def youth(age: int = 10, **kw):
    return f.PersonFactory(birth_date=f.birth_date_for_age(age), **kw)


def signaller(kind: str = "neighbourhood_team", *, may_coordinate: bool = True, **kw):
    org = f.OrganisationFactory(kind=kind, may_signal=True, may_coordinate=may_coordinate, **kw)
    return f.ProfessionalFactory(organisation=org, roles=["professional"])


def register(prof, person, **kw):
    Registration.objects.get_or_create(person=person, professional=prof,
                                       defaults={"organisation": prof.organisation})
    return actions.register_signal(f.professional_actor(prof), person.pk, **kw)


def test_a_signal_holds_nothing_about_the_problem():
    fields = {field.name for field in Signal._meta.get_fields()} - {"matches"}
    assert fields == {"id", "person", "organisation", "contact", "contact_phone",
                      "contact_email", "registered_on", "duration_days", "expires_on",
                      "status", "ended_on", "end_reason", "archived_on", "created_at"}


def test_register_defaults_and_logs(db):
    prof, kid = signaller(), youth(neighbourhood=f.NeighbourhoodFactory())
    result = register(prof, kid)
    s = result.signal
    assert result.created and s.duration_days == 730 and s.status == "active"
    assert (s.contact == prof and s.contact_email == prof.user.email) or s.contact_email
    assert AccessLogRecord.objects.filter(object_type="signal", action="create").count() == 1
    event = ChainEvent.objects.get(activity="signal.registered")
    assert event.person_key == ""  # index events never carry a person key
    assert event.attributes == {"duration_days": 730}
    assert event.organisation_id == prof.organisation_id
    assert event.neighbourhood_code == kid.neighbourhood_id and event.neighbourhood_code


@pytest.mark.parametrize("days", [0, 731, -5])
def test_duration_out_of_range(db, days):
    with pytest.raises(Refusal) as info:
        register(signaller(), youth(), duration_days=days)
    assert next(e.rule for e in info.value.errors if e.field == "duration_days") == "duration_range"


def test_refusals_age_death_and_flag(db):
    prof = signaller()
    with pytest.raises(Refusal) as info:
        register(prof, youth(23))
    assert info.value.rule == "age_limit"
    with pytest.raises(Refusal) as info:
        register(prof, youth(8, date_of_death=date(2026, 1, 1)))
    assert info.value.rule == "deceased"
    school_police = f.ProfessionalFactory(
        organisation=f.OrganisationFactory(kind="municipality", may_signal=False))
    before = AccessLogRecord.objects.filter(outcome="denied").count()
    with pytest.raises(AccessDenied) as denied:
        register(school_police, youth())
    assert denied.value.rule == "organisation_may_not_signal"
    assert AccessLogRecord.objects.filter(outcome="denied").count() == before + 1


def test_22_year_old_signal_ends_at_23rd_birthday(db):
    kid = f.PersonFactory(birth_date=f.birth_date_for_age(23, days_after_birthday=-30))
    s = register(signaller(), kid).signal
    assert s.expires_on == actions.birthday(kid, 23)


def test_second_active_signal_of_same_organisation_returns_existing(db):
    prof, kid = signaller(), youth()
    first = register(prof, kid).signal
    again = register(prof, kid)
    assert not again.created and again.signal.pk == first.pk
    assert Signal.objects.count() == 1
    extended = actions.extend_signal(f.professional_actor(prof), first.pk, duration_days=100)
    assert extended.expires_on == first.registered_on + timedelta(days=100)


def test_api_second_signal_is_409_with_existing(api_client_for):
    prof, kid = signaller(), youth()
    Registration.objects.create(person=kid, professional=prof, organisation=prof.organisation)
    api = api_client_for(prof)
    first = api.post("/signals", {"person_id": str(kid.pk), "duration_days": 200})
    assert first.status_code == 201, first.content
    body = first.json()
    assert body["status"] == "active" and body["match_id"] is None
    second = api.post("/signals", {"person_id": str(kid.pk)})
    assert second.status_code == 409
    assert second["Content-Type"] == "application/problem+json"
    problem = second.json()
    assert problem["errors"][0]["rule"] == "active_signal_exists"
    assert problem["existing"]["id"] == body["id"]
    bad = api.post("/signals", {"person_id": str(kid.pk), "duration_days": 800})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "duration_days"


def test_client_match_tells_each_the_others_contact_details_only(db, django_capture_on_commit_callbacks):
    kid = youth(given_names="Geheimnaam", family_name="Zichtbaarniet")
    a, b = signaller("school", may_coordinate=False), signaller()
    register(a, kid)
    with django_capture_on_commit_callbacks(execute=True):
        result = register(b, kid)
    assert len(result.matches) == 1
    match = result.matches[0]
    assert match.kind == "client" and match.status == "open"
    assert match.coordinator_due == actions.add_working_days(timezone.localdate(), 10)
    for me, other in ((a, b), (b, a)):
        message = Message.objects.get(recipient=me)
        assert other.full_name in message.body and other.organisation.name in message.body
        assert me.full_name not in message.body
        # Each hears whom their own signal is about (they registered the youth), and no
        # BSN or key; the subject names nobody.
        assert f"Geheimnaam Zichtbaarniet, geboren {kid.birth_date:%d-%m-%Y}" in message.body
        for secret in (kid.bsn or "-", str(kid.pk)):
            assert secret not in message.body
        assert "Geheimnaam" not in message.subject
    assert sorted(m.to[0] for m in mail.outbox) == sorted([a.email, b.email])
    for m in mail.outbox:
        assert "Geheimnaam Zichtbaarniet" in m.body and (kid.bsn or "-") not in m.body
    # Naming the youth is a read of base data, on the ground of the registration, logged.
    for me in (a, b):
        assert AccessLogRecord.objects.filter(
            user_id=me.user_id, data="base_data", action="read", client_id=str(kid.pk),
            ground="registration", outcome="allowed").exists()
    assert ChainEvent.objects.filter(activity="match.created").count() == 1


def test_third_organisation_joins_the_same_match(db):
    kid = youth()
    a, b, c = signaller(), signaller(), signaller()
    register(a, kid)
    register(b, kid)
    result = register(c, kid)
    assert Match.objects.count() == 1 and result.matches[0].signals.count() == 3
    assert Message.objects.filter(recipient=c).count() == 1
    assert Message.objects.filter(recipient=a).count() == 2  # the match, then the newcomer


def test_family_match_on_sibling_sharing_a_parent(db):
    mum = youth(40)
    anna, bram = youth(8), youth(12)
    f.make_household(parents=[mum], children=[anna])
    f.make_household(parents=[mum], children=[bram])  # a half-brother elsewhere
    register(signaller(), anna)
    result = register(signaller(), bram)
    assert [m.kind for m in result.matches] == ["family"]


def test_address_match_and_switching_it_off(db):
    a_kid, b_kid = youth(postcode="9990AA", house_number=7), youth(postcode="9990AA", house_number=7)
    register(signaller(), a_kid)
    assert [m.kind for m in register(signaller(), b_kid).matches] == ["address"]
    c_kid, d_kid = youth(postcode="9990AB", house_number=1), youth(postcode="9990AB", house_number=1)
    municipality = c_kid.neighbourhood.district.municipality if c_kid.neighbourhood else None
    org1 = f.OrganisationFactory(may_signal=True)
    org1.municipality.address_match = False
    org1.municipality.save()
    p1 = f.ProfessionalFactory(organisation=org1)
    p2 = f.ProfessionalFactory(organisation=f.OrganisationFactory(municipality=org1.municipality, may_signal=True))
    assert municipality is None or municipality == org1.municipality
    register(p1, c_kid)
    assert register(p2, d_kid).matches == []


def test_same_organisation_never_matches_itself(db):
    mum, kid1, kid2 = youth(40), youth(5), youth(7)
    f.make_household(parents=[mum], children=[kid1, kid2])
    org = f.OrganisationFactory(may_signal=True)
    p1, p2 = f.ProfessionalFactory(organisation=org), f.ProfessionalFactory(organisation=org)
    register(p1, kid1)
    assert register(p2, kid2).matches == []


def test_withdrawn_signal_never_matches_again(db):
    kid = youth()
    a, b, c = signaller(), signaller(), signaller()
    sa = register(a, kid).signal
    register(b, kid)
    actions.withdraw_signal(f.professional_actor(a), sa.pk, reason="risk_gone")
    match = Match.objects.get()
    assert match.status == "closed"
    result = register(c, kid)  # b and c match; a does not come back
    new = result.matches[0]
    assert new.pk != match.pk
    assert {s.organisation_id for s in new.signals.all()} == {b.organisation_id, c.organisation_id}
    with pytest.raises(AccessDenied):  # withdrawn: no longer its organisation's active signal
        actions.withdraw_signal(f.professional_actor(a), sa.pk, reason="risk_gone")


def test_withdraw_reason_validated_and_other_org_denied(db):
    prof, kid = signaller(), youth()
    s = register(prof, kid).signal
    with pytest.raises(Refusal):
        actions.withdraw_signal(f.professional_actor(prof), s.pk, reason="bored")
    with pytest.raises(AccessDenied):
        actions.withdraw_signal(f.professional_actor(signaller()), s.pk, reason="unjustified")
    assert AccessLogRecord.objects.filter(object_type="signal", outcome="denied").exists()


def test_signal_gives_no_new_access_to_other_data(db):
    mum, anna, bram = youth(40), youth(8), youth(11)
    f.make_household(parents=[mum], children=[anna, bram])
    a, b = signaller(), signaller()
    register(a, anna)
    register(b, bram)  # family match
    actor_b = f.professional_actor(b)
    for person in (anna, mum):
        assert not decide(actor_b, Action.READ, Target(Data.BASE_DATA, person=person)).allowed
    assert decide(actor_b, Action.READ, Target(Data.BASE_DATA, person=bram)).allowed


def test_coordinator_agreement(db):
    kid = youth()
    school = signaller("school", may_coordinate=False)
    team = signaller()
    register(school, kid)
    match = register(team, kid).matches[0]
    with pytest.raises(Refusal) as info:  # a school may not coordinate
        actions.propose_coordinator(f.professional_actor(team), match.pk, school.pk)
    assert info.value.rule == "organisation_may_not_coordinate"
    with pytest.raises(Refusal) as info:
        actions.propose_coordinator(f.professional_actor(team), match.pk, signaller().pk)
    assert info.value.rule == "not_involved"
    actions.propose_coordinator(f.professional_actor(team), match.pk, team.pk)
    with pytest.raises(Refusal) as info:
        actions.accept_coordinator(f.professional_actor(team), match.pk)
    assert info.value.rule == "accept_by_other"
    agreed = actions.accept_coordinator(f.professional_actor(school), match.pk, signals_aligned=True)
    assert (agreed.status, agreed.coordinator, agreed.signals_aligned) == ("coordinated", team, True)
    assert ChainEvent.objects.filter(activity="coordinator.agreed").count() == 1
    with pytest.raises(AccessDenied):  # an outsider cannot even see it
        actions.read_match(f.professional_actor(signaller()), match.pk)


def test_overdue_match_alerts_and_municipality_appoints(db):
    kid = youth()
    a, b = signaller(), signaller()
    register(a, kid)
    match = register(b, kid).matches[0]
    gm_org = f.OrganisationFactory(kind="municipality", may_signal=False,
                                   municipality=match.municipality or a.organisation.municipality)
    match.municipality = gm_org.municipality
    match.save()
    gm = f.ProfessionalFactory(organisation=gm_org, roles=["coordinator"])
    with pytest.raises(AccessDenied):  # in time: not the municipality's business yet
        actions.read_match(f.professional_actor(gm), match.pk)
    later = match.coordinator_due + timedelta(days=1)
    assert actions.alert_overdue(later) == 1
    assert actions.alert_overdue(later) == 0  # once
    assert Message.objects.filter(recipient=gm).count() == 1
    Match.objects.filter(pk=match.pk).update(coordinator_due=timezone.localdate() - timedelta(days=1))
    assert [m.pk for m in actions.my_matches(f.professional_actor(gm))] == [match.pk]
    # Overdue or not, the involved agree among themselves: none of them appoints (not
    # themselves, not the other), and the refusal is logged as denied.
    for involved, chosen in ((a, a), (b, a)):
        with pytest.raises(AccessDenied):
            actions.appoint_coordinator(f.professional_actor(involved), match.pk, chosen.pk)
        assert AccessLogRecord.objects.filter(
            user_id=involved.user_id, data="appointment", outcome="denied").exists()
    assert Match.objects.get(pk=match.pk).coordinator is None
    done = actions.appoint_coordinator(f.professional_actor(gm), match.pk, b.pk)
    assert done.coordinator == b and done.appointed_by_municipality


# --- retention ------------------------------------------------------------------------


def retention(*args: str) -> dict:
    out = StringIO()
    call_command("retention", *args, stdout=out)
    return json.loads(out.getvalue())


def test_retention_lifecycle(db):
    prof = signaller()
    short = register(prof, youth(), duration_days=90).signal
    dies = youth()
    dying = register(prof, dies).signal
    withdrawn = register(prof, youth()).signal
    actions.withdraw_signal(f.professional_actor(prof), withdrawn.pk, reason="unjustified")
    keeps = register(prof, youth()).signal
    Signal.objects.filter(pk=short.pk).update(expires_on=timezone.localdate())
    type(dies).objects.filter(pk=dies.pk).update(date_of_death=timezone.localdate())
    before = Signal.objects.count()

    future = (timezone.localdate() + timedelta(days=5 * 366 + 2)).isoformat()
    preview = retention("--dry-run", "--as-of", future)
    assert preview["dry_run"] and Signal.objects.count() == before  # nothing changed

    summary = retention()
    assert summary == {"ended": 2, "archived": 3, "destroyed": 1}  # the deceased youth's
    statuses = dict(Signal.objects.values_list("pk", "status"))
    assert statuses == {short.pk: "archived", withdrawn.pk: "archived", keeps.pk: "active"}
    assert dying.pk not in statuses
    assert retention() == {"ended": 0, "archived": 0, "destroyed": 0}  # idempotent
    assert AccessLogRecord.objects.filter(object_type="signal", ground="retention").count() == 6
    assert ChainEvent.objects.filter(activity="signal.destroyed").count() == 1


def test_retention_destroys_archive_after_five_years_and_at_23(db):
    prof = signaller()
    old = register(prof, youth()).signal
    Signal.objects.filter(pk=old.pk).update(
        status="archived", ended_on=timezone.localdate() - timedelta(days=5 * 366),
        archived_on=timezone.localdate() - timedelta(days=5 * 366 - 3))
    nearly = f.PersonFactory(birth_date=f.birth_date_for_age(23, days_after_birthday=-1))
    young = register(prof, nearly).signal
    plan = actions.retention_plan(timezone.localdate())
    assert [s.pk for s in plan.destroy] == [old.pk]
    plan = actions.retention_plan(timezone.localdate() + timedelta(days=1))
    assert {s.pk for s in plan.destroy} == {old.pk, young.pk}
    assert [(s.pk, r) for s, r in plan.end] == [(young.pk, "age_23")]


def test_as_of_needs_dry_run(db):
    with pytest.raises(CommandError, match="dry-run"):
        call_command("retention", "--as-of", "2030-01-01")


# --- the index cannot be searched -----------------------------------------------------


def test_no_api_route_reveals_signals_to_a_professional_without_one(db, api_client_for, client):
    """Walk every API route as a professional who entered the youth but has no signal:
    nothing tells them which signals exist."""
    kid = youth()
    a, b = signaller(), signaller()
    sa = register(a, kid).signal
    match = register(b, kid).matches[0]
    outsider = signaller()
    Registration.objects.create(person=kid, professional=outsider, organisation=outsider.organisation)
    api = api_client_for(outsider)
    secrets = [a.full_name, b.full_name, a.organisation.name, b.organisation.name,
               sa.contact_email, b.email]
    spec = client.get("/api/v1/openapi.json").json()
    values = {"person_id": str(kid.pk), "signal_id": str(sa.pk), "match_id": str(match.pk),
              "slug": "meldcode", "code": "BU00000000"}
    walked = 0
    for path, methods in spec["paths"].items():
        url = re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), "1"), path)
        url = url.removeprefix("/api/v1")
        for method in methods:
            if method == "get":
                response = api.get(url)
            elif method == "post":
                response = api.post(url, {})
            else:
                continue
            walked += 1
            text = response.content.decode()
            for secret in secrets:
                assert secret not in text, f"{method.upper()} {url} reveals {secret!r}"
    assert walked >= 15
    assert api.get("/signals").json() == []
    assert api.get("/matches").json() == []


# --- letter and rights ------------------------------------------------------------------


@pytest.mark.parametrize(("age", "who", "opening"), [
    (8, "parents", "Aan de ouders of verzorgers van"),
    (13, "youth_and_parents", "en zijn of haar ouders"),
    (17, "youth", "Aan "),
])
def test_information_letter_is_addressed_by_age(db, age, who, opening):
    from jeugdketen.referral_index.documents import letter_recipients
    from jeugdketen.ui.pdf import pdf

    prof, kid = signaller(), youth(age)
    s = register(prof, kid).signal
    letter = actions.information_letter(f.professional_actor(prof), s.pk)
    assert letter_recipients(s) == who
    assert opening in letter.addressee[0] and kid.given_names in letter.addressee[0]
    text = " ".join(p for section in letter.sections for p in section.paragraphs)
    for must in ("burgerservicenummer", "niet in waarom", "Niemand kan in de Verwijsindex",
                 "inzien", "verbeteren", "kopie", "bezwaar", prof.full_name):
        assert must in text
    assert AccessLogRecord.objects.filter(object_type="signal", action="print").count() == 1
    data = pdf(letter)
    assert data.startswith(b"%PDF") and len(data) > 1000
    with pytest.raises(AccessDenied):  # another organisation cannot print it
        actions.information_letter(f.professional_actor(signaller()), s.pk)


def test_rights_report_and_requests(db, api_client_for):
    from jeugdketen.referral_index.documents import rights_report
    from jeugdketen.ui.pdf import pdf

    kid = youth()
    a, b = signaller(), signaller()
    privacy_officer = f.ProfessionalFactory(roles=["privacy_officer"], organisation=f.OrganisationFactory(
        kind="municipality", may_signal=False, municipality=a.organisation.municipality))
    sa = register(a, kid).signal
    register(b, kid)
    actions.withdraw_signal(f.professional_actor(a), sa.pk, reason="risk_gone")
    api = api_client_for(privacy_officer)
    created = api.post(f"/persons/{kid.pk}/rights-requests",
                       {"kind": "objection", "requested_by": "moeder", "received_on": "2026-11-01"})
    assert created.status_code == 201, created.content
    assert created.json()["due_on"] == "2026-11-29"
    report = api.get(f"/persons/{kid.pk}/rights-report").json()
    assert report["purpose"]
    assert sorted(s["status"] for s in report["signals"]) == ["active", "ended"]
    assert {o["organisation"] for o in report["sources"]} == {a.organisation.name, b.organisation.name}
    assert any(r["organisation"] == a.organisation.name for r in report["received"])
    assert report["requests"][0]["kind"] == "objection"
    answered = api.post(f"/rights-requests/{report['requests'][0]['id']}/answer",
                        {"granted": False, "outcome": "Melding is terecht; uitleg gegeven."})
    assert answered.status_code == 200 and answered.json()["answered_on"]
    assert pdf(rights_report(report)).startswith(b"%PDF")
    # Only the privacy officer: the professional who signalled gets a 403.
    assert api_client_for(a).get(f"/persons/{kid.pk}/rights-report").status_code == 403
    bad = api.post(f"/persons/{kid.pk}/rights-requests", {"kind": "delete-all", "requested_by": "x"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "kind"


def test_municipality_switches_address_match_off_via_api(api_client_for, platform_admin, professional):
    municipality = professional.organisation.municipality
    api = api_client_for(platform_admin)
    response = api.client.patch(f"/api/v1/municipalities/{municipality.code}",
                                data='{"address_match": false, "coordinator_days": 5}',
                                content_type="application/json",
                                headers={"Authorization": f"Bearer {api.token}"})
    assert response.status_code == 200, response.content
    municipality.refresh_from_db()
    assert (municipality.address_match, municipality.coordinator_days) == (False, 5)
    denied = api_client_for(professional).client.patch(
        f"/api/v1/municipalities/{municipality.code}", data='{"address_match": true}',
        content_type="application/json",
        headers={"Authorization": f"Bearer {api_client_for(professional).token}"})
    assert denied.status_code == 403
    bad = api.client.patch(f"/api/v1/municipalities/{municipality.code}",
                           data='{"coordinator_days": 0}', content_type="application/json",
                           headers={"Authorization": f"Bearer {api.token}"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "coordinator_days"


def test_privacy_officer_of_another_municipality_gets_nothing(db, api_client_for):
    kid = youth()
    a = signaller()
    register(a, kid)
    elsewhere = f.ProfessionalFactory(roles=["privacy_officer"])  # its own municipality
    api = api_client_for(elsewhere)
    assert api.get(f"/persons/{kid.pk}/rights-report").status_code == 403
    assert api.get(f"/persons/{kid.pk}/access-log").status_code == 403


def test_a_signal_past_its_duration_never_matches_even_before_retention(db):
    kid = youth()
    a, b = signaller(), signaller()
    old = register(a, kid, duration_days=90).signal
    Signal.objects.filter(pk=old.pk).update(expires_on=timezone.localdate() - timedelta(days=1))
    assert register(b, kid).matches == []
    with pytest.raises((AccessDenied, Refusal)):
        actions.extend_signal(f.professional_actor(a), old.pk, duration_days=300)


def test_existing_signal_answer_names_a_match_only_to_someone_involved(api_client_for):
    kid = youth()
    a, b = signaller(), signaller()
    register(a, kid)
    match = register(b, kid).matches[0]
    colleague = f.ProfessionalFactory(organisation=a.organisation)
    Registration.objects.create(person=kid, professional=colleague, organisation=a.organisation)
    answer = api_client_for(colleague).post("/signals", {"person_id": str(kid.pk)})
    assert answer.status_code == 409 and answer.json()["existing"]["match_id"] is None
    mine = api_client_for(a).post("/signals", {"person_id": str(kid.pk)})
    assert mine.json()["existing"]["match_id"] == match.pk


@pytest.mark.parametrize(("field", "value"), [("contact_email", "not-an-email <script>"),
                                              ("contact_phone", "06\x0012345"),
                                              ("contact_email", "a\x00@b.nl")])
def test_signal_contact_details_are_validated(api_client_for, field, value):
    prof, kid = signaller(), youth()
    Registration.objects.create(person=kid, professional=prof, organisation=prof.organisation)
    response = api_client_for(prof).post("/signals", {"person_id": str(kid.pk), field: value})
    assert response.status_code == 422, response.content
    assert response.json()["errors"][0]["field"] == field


def test_access_log_period_out_of_range_is_no_500(api_client_for):
    kid = youth()
    a = signaller()
    register(a, kid)
    officer = f.ProfessionalFactory(roles=["privacy_officer"], organisation=f.OrganisationFactory(
        kind="municipality", municipality=a.organisation.municipality))
    api = api_client_for(officer)
    for query in ("start=0001-01-01", "end=9999-12-31", "start=0001-01-01&end=9999-12-31"):
        assert api.get(f"/persons/{kid.pk}/access-log?{query}").status_code == 200


def test_index_chain_events_carry_no_person_key(db):
    """The law destroys index data; the append-only chain event log must not keep a link."""
    prof, kid = signaller(), youth()
    s = register(prof, kid).signal
    register(signaller(), kid)
    actions.withdraw_signal(f.professional_actor(prof), s.pk, reason="risk_gone")
    index_events = ChainEvent.objects.filter(activity__regex=r"^(signal|match|coordinator|rights)\.")
    assert index_events.count() >= 4
    assert set(index_events.values_list("person_key", flat=True)) == {""}


def test_parent_does_not_see_decision_aid_sessions_in_the_access_overview(db):
    from django.db import transaction

    from jeugdketen.access.actions import read_access_log
    from jeugdketen.access.audit import append, entry
    from jeugdketen.access.policy import Action, Data, Decision, Target

    mum, kid = youth(40), youth(8)
    f.make_household(parents=[mum], children=[kid])
    prof = signaller()
    register(prof, kid)
    with transaction.atomic():
        append([entry(f.professional_actor(prof), Action.CREATE,
                      Target(Data.GUIDE_SESSION, person=kid, object_id="s1"),
                      Decision(True, "own_organisation", "professional"))])
    seen = read_access_log(f.citizen_actor(mum), kid.pk)
    assert {r.object_type for r in seen} >= {"signal"}
    assert "guide_session" not in {r.object_type for r in seen}


# --- issue 8, finding 3: the index cannot be searched, and trying shows --------------


def test_an_address_typed_for_a_youth_without_a_bsn_never_matches(db):
    """Only addresses verified in the BRP match: registering a made-up youth at a target's
    address (no BSN, so nothing verified) used to reveal whether others had signalled there."""
    target = youth(postcode="9901AB", house_number=12)
    register(signaller(), target)
    made_up = youth(bsn=None, system_id="JK0000000001", postcode="9901AB", house_number=12)
    assert register(signaller(), made_up).matches == []


def test_an_address_match_needs_the_whole_address(db):
    """12 and 12A are different homes."""
    register(signaller(), youth(postcode="9901AB", house_number=12))
    assert register(signaller(), youth(postcode="9901AB", house_number=12,
                                       house_letter="A")).matches == []
    assert [m.kind for m in register(signaller(), youth(
        postcode="9901AB", house_number=12)).matches] == ["address"]


def test_a_family_match_needs_parents_in_the_brp_not_a_typed_household(db):
    mum = f.PersonFactory(birth_date=f.birth_date_for_age(40))
    anna, bram = youth(), youth()
    f.make_household(parents=[mum], children=[anna, bram], brp=False)  # typed, not BRP
    register(signaller(), anna)
    assert register(signaller(), bram).matches == []
    f.kinship(anna, mum)
    f.kinship(bram, mum)
    other = signaller()
    assert sorted(m.kind for m in register(other, bram).matches) == ["client", "family"]


def test_every_youth_in_a_match_sees_it_in_their_access_overview(db):
    """Each youth in a match gets an access-log record naming the organisation whose signal
    made it, so the family and the privacy officer see the index being used on them."""
    mum = f.PersonFactory(birth_date=f.birth_date_for_age(40))
    anna, bram = youth(), youth()
    f.make_household(parents=[mum], children=[anna, bram])
    first, second = signaller(), signaller()
    register(first, anna)
    match = register(second, bram).matches[0]
    for kid in (anna, bram):
        record = AccessLogRecord.objects.get(client_id=str(kid.pk), object_type="match")
        assert (record.action, record.object_id, record.organisation_id, record.ground) == (
            "create", str(match.pk), second.organisation_id, "match")


def test_a_signal_lasts_at_least_the_municipalitys_minimum(db):
    prof = signaller()
    kid = youth()
    with pytest.raises(Refusal) as info:
        register(prof, kid, duration_days=1)
    assert next(e.rule for e in info.value.errors if e.field == "duration_days") == "duration_minimum"
    municipality = prof.organisation.municipality
    municipality.min_signal_days = 30
    municipality.save()
    assert register(prof, kid, duration_days=30).signal.duration_days == 30
    with pytest.raises(Refusal) as info:
        actions.extend_signal(f.professional_actor(prof), Signal.objects.get().pk,
                              duration_days=10)
    assert next(e.rule for e in info.value.errors if e.field == "duration_days") == "duration_minimum"


def test_the_api_refuses_a_short_signal_naming_the_field(api_client_for):
    prof = signaller()
    kid = youth()
    Registration.objects.create(person=kid, professional=prof, organisation=prof.organisation)
    response = api_client_for(prof).post("/signals", {"person_id": str(kid.pk),
                                                      "duration_days": 1})
    assert response.status_code == 422
    assert response.json()["errors"][0] == {
        "field": "duration_days", "rule": "duration_minimum",
        "message": response.json()["errors"][0]["message"]}


def _privacy_officer_of(prof):
    return f.ProfessionalFactory(organisation=f.OrganisationFactory(
        municipality=prof.organisation.municipality, kind="municipality"),
        roles=["privacy_officer"])


def test_withdrawing_as_unjustified_after_a_match_alerts_the_privacy_officer(db):
    """Register a signal, read the match, withdraw as 'unjustified': the search the review
    found. The privacy officer now hears of it (and the chain event log counts it)."""
    kid = youth()
    searcher, other = signaller(), signaller()
    register(other, kid)
    officer = _privacy_officer_of(searcher)
    signal = register(searcher, kid).signal
    actions.withdraw_signal(f.professional_actor(searcher), signal.pk, reason="unjustified")
    [message] = Message.objects.filter(recipient=officer)
    assert searcher.full_name in message.body and "ten onrechte" in message.body
    assert kid.given_names not in message.body and kid.family_name not in message.body
    assert ChainEvent.objects.filter(activity="index.use_alerted").count() == 1
    # Withdrawing a signal that never matched, because the risk is gone, alerts nobody.
    lone = register(searcher, youth()).signal
    actions.withdraw_signal(f.professional_actor(searcher), lone.pk, reason="risk_gone")
    assert Message.objects.filter(recipient=officer).count() == 1


def test_many_quick_withdrawals_alert_the_privacy_officer(db, settings):
    settings.INDEX_WATCH_WITHDRAWALS = 3
    prof = signaller()
    officer = _privacy_officer_of(prof)
    for _ in range(3):
        signal = register(prof, youth()).signal
        actions.withdraw_signal(f.professional_actor(prof), signal.pk, reason="risk_gone")
    [message] = Message.objects.filter(recipient=officer)
    assert "3 signalen zijn binnen 14 dagen" in message.body
