"""Attack review of issue 11's new routes (the front door): each probe is what an ordinary
account of some role would try against the matrix's world (tests/matrix/world.py, with a
few more accounts below) on every new page and API operation: the answer shows nothing of
a report (its question, the outcome's understood question, the reporter's phone) and names
nobody of the family to whoever has no ground, ids of others answer as unknown ones do,
the public form reads nothing back, and no content reaches the chain events or the
reference index.

The attackers, beside the matrix's actors (`door` is Matrixdam's front door; `out` works
at the youth-care provider invited with the family's consent; `teach` reported):
- `door_b`: the front door of the other municipality (Anderdam's neighbourhood team);
- `school_door`: the role `front_door` at a school (not a front-door organisation);
- `ggz`: a professional of a mental-health provider invited to the intake without the
  family's consent;
- `police`: the police officer whose organisation declined its invitation (even with the
  family's consent `intake`);
- `harm`: a housemate of family A (an adult at the same address, no custody);
- `tess`: Quintijn's sister of 14 (12-15: her parent sees her report, she does not);
- `bram`: Quintijn's brother of 17 (from 16: his own report is his, not his mother's);
- `anon`: nobody.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone

from jeugdketen.chainlog.models import ChainEvent
from jeugdketen.intake.actions import meetings, reports
from jeugdketen.intake.models import CareReport
from jeugdketen.referral_index.models import Match, Message, Signal
from jeugdketen.registry import actions as registry
from tests import factories as f
from tests.brp import in_brp
from tests.conftest import token_for
from tests.matrix.world import (
    QUESTION,
    QUESTION_NEW,
    TEACHER_PHONE,
    UNDERSTOOD,
    World,
    _verified_session,
    build,
    intake_consent,
)

API = "/api/v1"
# Words of the reports' content (world.py) and of the reports made below.
CONTENT = ["Vliegerweek", "Fietsenstalling", "Zwembadbandje", TEACHER_PHONE,
           "Tuinhekincident", "Knikkerbaan"]
TESS_QUESTION = "Tess zit na het Tuinhekincident veel op haar kamer."
BRAM_QUESTION = "Ik wil hulp bij de Knikkerbaan-ruzie thuis."


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[World]:
    with django_db_blocker.unblock(), transaction.atomic():
        built = build()
        _attackers(built)
        yield built
        transaction.set_rollback(True)


@pytest.fixture
def w(world: World, db, settings) -> World:
    from jeugdketen.intake import throttle

    settings.DEMO = False
    throttle._cache().clear()
    return world


def _login(w: World, key: str, user: Any) -> None:
    w.sessions[key] = _verified_session(user)
    w.tokens[key] = token_for(user)


def _attackers(w: World) -> None:
    from jeugdketen.registry.models import Organisation, Person

    act = f.professional_actor
    pros = w.professionals
    town_a = Organisation.objects.get(pk=w.ids["town"]).municipality
    team_b = Organisation.objects.get(pk=w.ids["team_b"])
    school = Organisation.objects.get(pk=w.ids["school"])
    police = Organisation.objects.get(pk=w.ids["police"])
    ggz_org = f.OrganisationFactory(name="GGZ Matrixdam", kind="mental_health_care",
                                    municipality=town_a, may_signal=True)

    def pro(key: str, organisation: Any, roles: list[str], name: str) -> None:
        pros[key] = f.ProfessionalFactory(organisation=organisation, roles=roles,
                                          full_name=name,
                                          user=f.UserFactory(username=f"attack.{key}"))
        _login(w, key, pros[key].user)

    pro("door_b", team_b, ["front_door"], "Dirk Anderdeur")
    pro("school_door", school, ["front_door", "professional"], "Sietske Schooldeur")
    pro("ggz", ggz_org, ["professional"], "Gijs Ggz")
    _login(w, "police", pros["police"].user)
    _login(w, "colleague", pros["colleague"].user)
    # The police declined (world.py); with the family's consent, the decline still ends it.
    mother, child = Person.objects.get(pk=w.ids["P"]), Person.objects.get(pk=w.ids["C"])
    intake_consent(pros["door"], child, police, mother)
    # A second meeting for the teacher's report: the mental-health provider and the school
    # (the reporter's organisation), both without the family's consent.
    now = timezone.now()
    second = meetings.plan_intake(
        act(pros["door"]), w.ids["report"], organisation_ids=[ggz_org.pk, school.pk],
        starts_at=now + timedelta(days=3), ends_at=now + timedelta(days=3, hours=1),
        location="Praktijk Ggz, kamer 4")
    w.ids.update({"ggz_org": ggz_org.pk, "second_meeting": second.pk})

    # Family A grows: a housemate without custody, a sister of 14, a brother of 17.
    prof = act(pros["prof"])
    bsn_p = mother.bsn
    where = {"postcode": "9951AB", "house_number": 12}

    def person(key: str, given: str, born: date, sex: str, parents: tuple[str, ...]) -> Any:
        bsn = f.synthetic_bsn()
        in_brp(bsn=bsn, given_names=given, family_name="Vlierhoven", birth_date=born,
               sex=sex, postcode="9951AB", house_number=12, parents=list(parents),
               custody=list(parents))
        found = registry.register_person(prof, registry.PersonInput(
            bsn=bsn, given_names=given, family_name="Vlierhoven", birth_date=born, sex=sex,
            **where)).person
        user = f.UserFactory(person=found, username=f"attack.{key}")
        _login(w, key, user)
        w.ids[key] = found.pk
        return found, user

    harm, _ = person("harm", "Harmen", date(1980, 6, 1), "M", ())
    tess, _ = person("tess", "Tess", f.birth_date_for_age(14, days_after_birthday=30), "V",
                     (bsn_p,))
    bram, bram_user = person("bram", "Bram", f.birth_date_for_age(17, days_after_birthday=30),
                             "M", (bsn_p,))
    registry.register_household(prof, [registry.MemberInput(p.pk) for p in (
        mother, child, Person.objects.get(pk=w.ids["S"]), harm, tess, bram)])
    from django.contrib.auth import get_user_model

    cit = f.citizen_actor(mother, user=get_user_model().objects.get(username="matrix.cit"))
    content = {"life_domains": ["emotional_support"], "unsafe": False,
               "consent_to_share": True}
    w.ids["report_tess"] = reports.report(cit, person_id=tess.pk, question=TESS_QUESTION,
                                          urgency="regular", **content).pk
    w.ids["report_bram"] = reports.report(f.citizen_actor(bram, user=bram_user),
                                          person_id=bram.pk, question=BRAM_QUESTION,
                                          urgency="regular", **content).pk


# --- calling ------------------------------------------------------------------------------


def web(w: World, actor: str) -> Client:
    return w.web(actor)


def api(w: World, actor: str, method: str, path: str, body: Any = None) -> Any:
    client = Client()
    headers = {"Authorization": f"Bearer {w.tokens[actor]}"} if actor in w.tokens else {}
    if method == "GET":
        return client.get(API + path, headers=headers)
    return client.post(API + path, data=json.dumps(body or {}, default=str),
                       content_type="application/json", headers=headers)


def text(response: Any) -> str:
    return response.content.decode(errors="replace")


def family_words(w: World) -> list[str]:
    """What identifies family A (given names, BSNs, birth dates as shown)."""
    out = []
    for key in "PCS":
        out += [word for word in w.persons[key].words if word
                and word != w.persons[key].person.family_name]
    return out


def reveals(w: World, response: Any, *, names: bool = True) -> list[str]:
    body = text(response)
    found = [word for word in CONTENT if word in body]
    if names:
        found += [word for word in family_words(w) if word in body]
    return found


def web_probes(w: World, report: str = "report", meeting: str = "meeting", *,
               ids: tuple[Any, Any] | None = None
               ) -> list[tuple[str, str, dict[str, Any] | None]]:
    """Every new page, about a report and a meeting of family A (or the ids given)."""
    r, m = ids or (w.ids[report], w.ids[meeting])
    return [
        ("GET", f"/zorgmeldingen/{r}/", None),
        ("GET", f"/zorgmeldingen/{r}/triage/", None),
        ("POST", f"/zorgmeldingen/{r}/triage/", {"decision": "advice"}),
        ("GET", f"/zorgmeldingen/{r}/intake/", None),
        ("POST", f"/zorgmeldingen/{r}/intake/", {
            "organisation_ids": [str(w.ids["care"])], "starts_at": "2030-01-07 10:00",
            "ends_at": "2030-01-07 11:00", "location": "Elders"}),
        ("GET", f"/zorgmeldingen/{r}/hulp-gestart/", None),
        ("POST", f"/zorgmeldingen/{r}/hulp-gestart/", {"on": "01-01-2030"}),
        ("GET", f"/intakes/{m}/uitnodiging/", None),
        ("POST", f"/intakes/{m}/vervangen/", {}),
        ("GET", f"/intakes/{m}/uitkomst/", None),
        ("POST", f"/intakes/{m}/uitkomst/", {"decision": "advice",
                                            "participant_ids": [str(w.ids["prof"])]}),
    ]


def api_probes(w: World, report: str = "report", meeting: str = "meeting", *,
               ids: tuple[Any, Any] | None = None
               ) -> list[tuple[str, str, dict[str, Any] | None]]:
    r, m = ids or (w.ids[report], w.ids[meeting])
    return [
        ("GET", f"/care-reports/{r}", None),
        ("POST", f"/care-reports/{r}/triage", {"decision": "advice"}),
        ("POST", f"/care-reports/{r}/intakes", {
            "organisation_ids": [w.ids["care"]], "starts_at": "2030-01-07T10:00:00+01:00",
            "ends_at": "2030-01-07T11:00:00+01:00", "location": "Elders"}),
        ("POST", f"/intakes/{m}/invitations/{w.ids['care']}/answer", {"accept": False,
                                                                      "reason": "Nee"}),
        ("POST", f"/intakes/{m}/outcome", {"participants": [w.ids["prof"]],
                                           "decision": "advice"}),
    ]


DENIED_WEB = (302, 403, 404, 405)


def assert_denied_everywhere(w: World, actor: str, *, report: str = "report",
                             meeting: str = "meeting", names: bool = True,
                             except_web: tuple[str, ...] = ()) -> None:
    for method, url, body in web_probes(w, report, meeting):
        if f"{method} {url}" in except_web:
            continue
        client = web(w, actor)
        response = client.get(url) if method == "GET" else client.post(url, body or {})
        assert response.status_code in DENIED_WEB, (actor, method, url, response.status_code)
        if response.status_code == 302:  # only ever to the login page
            assert response["Location"].startswith("/login/"), (actor, url, response["Location"])
        assert not reveals(w, response, names=names), (actor, method, url,
                                                       reveals(w, response, names=names))
    for method, path, body in api_probes(w, report, meeting):
        response = api(w, actor, method, path, body)
        # 404 only for an invited organisation naming another one's invitation.
        assert response.status_code in (401, 403, 404), (
            actor, method, path, response.status_code, response.content[:300])
        assert response["Content-Type"] == "application/problem+json"
        assert not reveals(w, response), (actor, method, path, reveals(w, response))


# --- every new route, per attacker ----------------------------------------------------


@pytest.mark.parametrize("report", ["report", "report_new", "report_held"])
def test_the_other_municipality_s_front_door_gets_nothing(w, report):
    meeting = "meeting_held" if report == "report_held" else "meeting"
    assert_denied_everywhere(w, "door_b", report=report, meeting=meeting)
    queue = api(w, "door_b", "GET", f"/queue?municipality={w.ids['municipality']}")
    assert queue.status_code == 403
    page = web(w, "door_b").get("/voordeur/wachtrij/")
    assert str(w.ids["report"]) not in text(page)


def test_the_other_municipality_s_front_door_works_on_its_own(w):
    """Not vacuous: the same account reads its own municipality's report and queue."""
    own = api(w, "door_b", "GET", f"/care-reports/{w.ids['report_b']}")
    assert own.status_code == 200
    queue = api(w, "door_b", "GET", "/queue")
    assert queue.status_code == 200
    assert [row["id"] for row in queue.json()] == [str(w.ids["report_b"])]


def test_the_role_at_an_organisation_that_is_no_front_door_gives_nothing(w):
    assert_denied_everywhere(w, "school_door", names=False,
                             except_web=(f"GET /zorgmeldingen/{w.ids['report']}/",
                                         f"GET /intakes/{w.ids['meeting']}/uitnodiging/"))
    # The school is invited to the second meeting without consent: date and place only.
    page = web(w, "school_door").get(f"/zorgmeldingen/{w.ids['report']}/")
    assert page.status_code == 200
    assert not [word for word in CONTENT if word in text(page)]
    assert api(w, "school_door", "GET", "/queue").status_code == 403


def test_an_invited_organisation_without_consent_sees_the_date_and_place_only(w):
    page = web(w, "ggz").get(f"/zorgmeldingen/{w.ids['report']}/")
    assert page.status_code == 200
    assert "Praktijk Ggz" in text(page)
    assert not reveals(w, page), reveals(w, page)
    invitation = web(w, "ggz").get(f"/intakes/{w.ids['second_meeting']}/uitnodiging/")
    assert invitation.status_code == 200
    assert "Praktijk Ggz" in text(invitation)
    assert not reveals(w, invitation), reveals(w, invitation)
    assert_denied_everywhere(w, "ggz", meeting="second_meeting", except_web=(
        f"GET /zorgmeldingen/{w.ids['report']}/",
        f"GET /intakes/{w.ids['second_meeting']}/uitnodiging/"))
    # It answers its own invitation, and still reads nothing of the report.
    answer = api(w, "ggz", "POST", f"/intakes/{w.ids['second_meeting']}/invitations/"
                 f"{w.ids['ggz_org']}/answer", {"accept": True})
    assert answer.status_code == 200
    assert api(w, "ggz", "GET", f"/care-reports/{w.ids['report']}").status_code == 403


def test_an_invited_organisation_reads_nothing_after_declining(w):
    """The police declined (with the family's consent for it): no report, no meeting."""
    assert_denied_everywhere(w, "police", names=False)


def test_declining_ends_the_reading_of_an_organisation_with_consent(w):
    assert api(w, "out", "GET", f"/care-reports/{w.ids['report']}").status_code == 200
    for meeting in ("meeting", "meeting_single"):  # both its invitations for the report
        declined = api(w, "out", "POST", f"/intakes/{w.ids[meeting]}/invitations/"
                       f"{w.ids['care']}/answer", {"accept": False, "reason": "Vol"})
        assert declined.status_code == 200
    assert api(w, "out", "GET", f"/care-reports/{w.ids['report']}").status_code == 403
    page = web(w, "out").get(f"/zorgmeldingen/{w.ids['report']}/")
    assert page.status_code == 403
    assert not reveals(w, page)


def test_the_reporter_sees_the_status_only(w):
    status = api(w, "teach", "GET", f"/care-reports/{w.ids['report']}")
    assert status.status_code == 200
    assert status.json()["projection"] == "status"
    assert status.json()["report"] is None
    page = web(w, "teach").get(f"/zorgmeldingen/{w.ids['report']}/")
    assert page.status_code == 200
    assert not [word for word in CONTENT if word in text(page)]
    for method, url, body in web_probes(w)[1:]:
        if "/uitnodiging/" in url:
            continue
        client = web(w, "teach")
        response = client.get(url) if method == "GET" else client.post(url, body or {})
        assert response.status_code in DENIED_WEB, (method, url, response.status_code)
        assert not [word for word in CONTENT if word in text(response)], (method, url)
    for method, path, body in api_probes(w)[1:]:
        assert api(w, "teach", method, path, body).status_code == 403, (method, path)


def test_the_reporter_invited_without_consent_sees_no_content_on_the_invitation(w):
    page = web(w, "teach").get(f"/intakes/{w.ids['second_meeting']}/uitnodiging/")
    assert page.status_code == 200
    assert "Praktijk Ggz" in text(page)
    assert not [word for word in CONTENT if word in text(page)]


@pytest.mark.parametrize("actor", ["harm", "tess"])
def test_a_housemate_and_a_youth_of_12_to_15_see_no_report(w, actor):
    for report in ("report", "report_new", "report_tess"):
        assert_denied_everywhere(w, actor, report=report, names=False)
    own = web(w, actor).get("/gezin/meldingen/")
    assert own.status_code == 200
    assert not [word for word in CONTENT if word in text(own)]
    assert "Quintijn" not in text(own) and "Ysolde" not in text(own)


def test_from_16_the_report_is_the_youths_own_not_the_parents(w):
    own = api(w, "bram", "GET", f"/care-reports/{w.ids['report_bram']}")
    assert own.status_code == 200
    assert own.json()["report"]["question"] == BRAM_QUESTION
    listed = web(w, "bram").get("/gezin/meldingen/")
    assert listed.status_code == 200
    assert "Loopt nog" in text(listed)
    parent = api(w, "cit", "GET", f"/care-reports/{w.ids['report_bram']}")
    assert parent.status_code == 403
    assert "Knikkerbaan" not in text(parent)
    # The parent does see the report about the sister of 14 (custody, under 16).
    assert api(w, "cit", "GET", f"/care-reports/{w.ids['report_tess']}").status_code == 200


def test_nobody_logged_in_gets_a_report_or_a_meeting(w):
    assert_denied_everywhere(w, "anon")
    for path in ("/queue", f"/care-reports/{w.ids['report']}"):
        assert api(w, "anon", "GET", path).status_code == 401
    for url in ("/voordeur/wachtrij/", "/voordeur/capaciteit/", "/voordeur/normen/",
                "/gezin/meldingen/", "/zorgmeldingen/nieuw/"):
        response = Client().get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/")


# --- ids of others answer as unknown ones ---------------------------------------------


def _same(a: Any, b: Any, *ids: str) -> bool:
    def plain(response: Any) -> str:
        body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text(response))
        body = re.sub(r'name="csrf-token" content="[^"]*"', "", body)
        for value in sorted(ids, key=len, reverse=True):  # a long id holds a short one
            body = body.replace(value, "*")
        return body
    return a.status_code == b.status_code and plain(a) == plain(b)


@pytest.mark.parametrize("actor", ["door_b", "ggz", "police", "coord", "priv", "harm", "tess",
                                   "ocit"])
def test_the_ids_of_others_answer_like_unknown_ones(w, actor):
    report, meeting = str(w.ids["report_new"]), str(w.ids["meeting_held"])
    fake = (str(uuid.uuid4()), "987654321")
    pairs = zip(web_probes(w, "report_new", "meeting_held"), web_probes(w, ids=fake),
                strict=True)
    for (method, url, body), (_same_method, other, _same_body) in pairs:
        client = web(w, actor)
        one = client.get(url) if method == "GET" else client.post(url, body or {})
        two = client.get(other) if method == "GET" else client.post(other, body or {})
        assert _same(one, two, report, meeting, *fake), (
            actor, method, url, one.status_code, two.status_code)
    pairs = zip(api_probes(w, "report_new", "meeting_held"), api_probes(w, ids=fake),
                strict=True)
    for (method, path, body), (_same_method, other, _same_body) in pairs:
        one, two = api(w, actor, method, path, body), api(w, actor, method, other, body)
        assert _same(one, two, report, meeting, *fake), (
            actor, method, path, one.content[:200], two.content[:200])


# --- the public form: hand in, read nothing back -------------------------------------


PUBLIC = {"given_name": "Keesje", "family_name": "Buurkindje", "municipality": "GM9951",
          "question": "Ik hoor elke nacht het Tuinhekincident bij de buren.",
          "life_domains": ["domestic_relations"], "urgency": "urgent",
          "reporter_name": "Betje Buurvrouw", "contact_email": "buur@example.test"}


def test_the_public_form_reads_nothing_back(w):
    visitor = Client()
    made = visitor.post("/melden/", PUBLIC)
    assert made.status_code == 302 and made["Location"] == "/melden/ontvangen/"
    report = CareReport.objects.get(given_name="Keesje")
    assert report.reported_by_id is None and report.reporter_kind == "public"
    confirmation = visitor.get("/melden/ontvangen/")
    assert confirmation.status_code == 200
    assert report.reference in text(confirmation)
    assert "Tuinhekincident" not in text(confirmation)
    assert "Keesje" not in text(confirmation) and "Betje" not in text(confirmation)
    # Once, in this browser only.
    assert visitor.get("/melden/ontvangen/").status_code == 302
    assert report.reference not in text(Client().get("/melden/ontvangen/", follow=True))
    # No id and no reference leads anywhere for the public.
    for url in (f"/zorgmeldingen/{report.pk}/", f"/zorgmeldingen/{report.reference}/"):
        response = visitor.get(url)
        assert response.status_code in (302, 404)
        assert "Tuinhekincident" not in text(response)
    for path in (f"/care-reports/{report.pk}", f"/public/care-reports/{report.reference}",
                 f"/public/care-reports/{report.pk}", "/public/care-reports"):
        response = visitor.get(API + path)
        assert response.status_code in (401, 404, 405), (path, response.status_code)
        assert "Tuinhekincident" not in text(response)


def test_the_public_endpoint_answers_the_reference_and_the_date_only(w):
    body = {"municipality_code": "GM9951", "given_name": "Keesje",
            "family_name": "Buurkindje", "question": PUBLIC["question"],
            "life_domains": ["domestic_relations"], "urgency": "urgent",
            "reporter_name": "Betje Buurvrouw", "contact_email": "buur@example.test"}
    response = api(w, "anon", "POST", "/public/care-reports", body)
    assert response.status_code == 201
    assert set(response.json()) == {"reference", "next_step_by"}
    # Logged in, a professional's public report is still the public's: not his to read.
    response = api(w, "prof", "POST", "/public/care-reports", body)
    assert response.status_code == 201
    made = CareReport.objects.filter(given_name="Keesje").order_by("-received_at").first()
    assert made is not None and made.reported_by_id is None
    assert api(w, "prof", "GET", f"/care-reports/{made.pk}").status_code == 403


def test_a_professional_on_the_public_form_is_the_public(w):
    made = web(w, "teach").post("/melden/", PUBLIC)
    assert made.status_code == 302
    report = CareReport.objects.get(given_name="Keesje")
    assert report.reported_by_id is None
    page = web(w, "teach").get(f"/zorgmeldingen/{report.pk}/")
    assert page.status_code == 403
    assert "Tuinhekincident" not in text(page)


# --- nothing of a report reaches the chain events or the reference index -------------


def _persons_words(w: World) -> list[str]:
    from jeugdketen.registry.models import Person

    words = []
    for person in Person.objects.filter(pk__in=[w.ids[k] for k in ("P", "C", "S", "harm",
                                                                      "tess", "bram")]):
        words += [person.given_names, person.family_name, person.bsn or "",
                  person.birth_date.isoformat()]
    return [word for word in words if word]


def test_no_content_or_name_reaches_the_chain_events_or_the_reference_index(w):
    Client().post("/melden/", PUBLIC)
    api(w, "anon", "POST", "/public/care-reports", {
        "municipality_code": "GM9951", "given_name": "Keesje", "family_name": "Buurkindje",
        "question": PUBLIC["question"], "life_domains": ["domestic_relations"],
        "urgency": "urgent", "contact_email": "buur@example.test"})
    forbidden = [*CONTENT, QUESTION, QUESTION_NEW, UNDERSTOOD, TESS_QUESTION, BRAM_QUESTION,
                 "Keesje", "Buurkindje", "Betje", "buur@example.test", "ina@example.test",
                 "Weer elke dag naar school", "Wijkcentrum De Matrixhoek", "Praktijk Ggz",
                 "Geen wijkagent beschikbaar", "Gaat met plezier naar school",
                 "Kan weer alleen thuis zijn", *_persons_words(w)]
    front_door = [e for e in ChainEvent.objects.all()
                  if e.activity.startswith(("care_report.", "intake."))]
    assert len(front_door) >= 10  # received, triaged, planned, held, decided ...
    for event in ChainEvent.objects.all():
        dumped = json.dumps({"attributes": event.attributes, "keys": [
            event.trajectory_key, event.person_key, event.household_key]},
            default=str, ensure_ascii=False)
        leaked = [word for word in forbidden if word in dumped]
        assert not leaked, (event.activity, leaked)
    for event in front_door:
        for value in event.attributes.values():
            assert isinstance(value, bool | int | float) or (
                isinstance(value, str) and re.fullmatch(r"[a-z0-9_:.+\-TZ]*", value)), (
                    event.activity, event.attributes)
    # The reference index knows no report: not a signal, a match or a message more, and
    # none of their texts holds a report's words.
    for model in (Signal, Match, Message):
        for row in model.objects.all():
            dumped = json.dumps({f.name: getattr(row, f.attname) for f in
                                 row._meta.concrete_fields}, default=str, ensure_ascii=False)
            leaked = [word for word in [*CONTENT, QUESTION, UNDERSTOOD, "Keesje"]
                      if word in dumped]
            assert not leaked, (model.__name__, leaked)


@pytest.mark.parametrize("actor", ["ggz", "police", "school_door", "door_b", "teach", "out"])
def test_the_list_of_invitations_shows_no_report(w, actor):
    """The organisation's list of invitations (when, where, answer): no content of a
    report and nobody's name, whoever opens it, consent or not."""
    page = web(w, actor).get("/intakes/uitnodigingen/")
    assert page.status_code == 200
    assert not reveals(w, page), (actor, reveals(w, page))
    if actor == "ggz":
        assert "Praktijk Ggz" in text(page)
    if actor == "door_b":
        assert "Matrixhoek" not in text(page) and "Praktijk Ggz" not in text(page)
