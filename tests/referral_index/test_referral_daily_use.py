"""Issue 9, the reference index in daily use:

- a match names the youth to the involved professional only (the youth of their own
  signal, whose base data they hold because they registered them): on the matches page,
  in the inbox message and e-mail, and as `youth` in GET /api/v1/matches; not to the
  municipality's coordinator who oversees an overdue match (unless the policy gives them a
  ground of their own), not to another professional, not to the privacy officer; reading
  it is logged as a read of base data;
- cards show the neighbourhood and the deadline;
- the municipality's coordinator's overdue list: most overdue first, filtered by
  neighbourhood and organisation, 25 a page;
- GET /signals gives the same match_id as POST /signals did;
- the matches list, the overdue list and the signals list are read in a number of queries
  that does not grow with the rows.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jeugdketen.access.models import AccessLogRecord
from jeugdketen.referral_index import actions
from jeugdketen.referral_index.models import Match, Message
from jeugdketen.registry.models import Registration
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.REQUIRE_2FA = False


def town_and_hood(name: str = "Zonnewijk") -> tuple[Any, Any]:
    hood = f.NeighbourhoodFactory(name=name)
    return hood.district.municipality, hood


def signaller(municipality: Any, name: str = "") -> Any:
    org = f.OrganisationFactory(municipality=municipality, may_signal=True, may_coordinate=True,
                                **({"name": name} if name else {}))
    return f.ProfessionalFactory(organisation=org, roles=["professional"])


def youth(hood: Any, age: int = 10, **kw: Any) -> Any:
    return f.PersonFactory(birth_date=f.birth_date_for_age(age), neighbourhood=hood, **kw)


def register(prof: Any, person: Any) -> Any:
    Registration.objects.get_or_create(person=person, professional=prof,
                                       defaults={"organisation": prof.organisation})
    return actions.register_signal(f.professional_actor(prof), person.pk)


def town_coordinator(municipality: Any) -> Any:
    org = f.OrganisationFactory(kind="municipality", municipality=municipality, may_signal=False)
    return f.ProfessionalFactory(organisation=org, roles=["coordinator"])


def town_privacy_officer(municipality: Any) -> Any:
    org = f.OrganisationFactory(kind="municipality", municipality=municipality, may_signal=False)
    return f.ProfessionalFactory(organisation=org, roles=["privacy_officer"])


def overdue(match: Any, days: int = 3) -> None:
    Match.objects.filter(pk=match.pk).update(
        coordinator_due=timezone.localdate() - timedelta(days=days))


def login(prof: Any) -> Client:
    client = Client()
    client.force_login(prof.user)
    client.cookies["django_language"] = "nl"
    return client


def base_data_reads(prof: Any, person: Any) -> int:
    return AccessLogRecord.objects.filter(
        user_id=prof.user_id, data="base_data", action="read", client_id=str(person.pk),
        outcome="allowed").count()


@pytest.fixture
def client_match() -> dict[str, Any]:
    town, hood = town_and_hood()
    a, b = signaller(town, "School De Linde"), signaller(town, "Wijkteam Zonnewijk")
    kid = youth(hood, given_names="Teuntje", family_name="Vossenberg")
    register(a, kid)
    match = register(b, kid).matches[0]
    return {"town": town, "hood": hood, "a": a, "b": b, "kid": kid, "match": match}


# --- the youth, to the involved only --------------------------------------------------------


def test_the_involved_get_the_youth_of_their_own_signal_in_the_api(client_match, api_client_for):
    kid, match = client_match["kid"], client_match["match"]
    for prof in (client_match["a"], client_match["b"]):
        before = base_data_reads(prof, kid)
        listed = api_client_for(prof).get("/matches")
        assert listed.status_code == 200
        [row] = listed.json()
        assert row["id"] == match.pk
        assert row["youth"] == {"person_id": str(kid.pk), "name": "Teuntje Vossenberg",
                                "birth_date": kid.birth_date.isoformat()}
        assert row["neighbourhood"] == {"code": client_match["hood"].code, "name": "Zonnewijk"}
        assert row["coordinator_due"] == match.coordinator_due.isoformat()
        one = api_client_for(prof).get(f"/matches/{match.pk}").json()
        assert one["youth"]["person_id"] == str(kid.pk)
        # Each answer that named the youth is logged as a read of base data (registration).
        assert base_data_reads(prof, kid) == before + 2
        assert AccessLogRecord.objects.filter(
            user_id=prof.user_id, data="base_data", client_id=str(kid.pk)).latest(
            "id").ground == "registration"


def test_the_overseeing_coordinator_gets_no_youth_without_a_ground(client_match, api_client_for):
    kid, match = client_match["kid"], client_match["match"]
    coordinator = town_coordinator(client_match["town"])
    overdue(match)
    api = api_client_for(coordinator)
    [row] = api.get("/matches").json()
    assert row["id"] == match.pk and row["youth"] is None
    assert row["neighbourhood"]["name"] == "Zonnewijk"  # what the coordinator needs
    body = api.get(f"/matches/{match.pk}")
    assert body.status_code == 200 and body.json()["youth"] is None
    for text in ("Teuntje", "Vossenberg", str(kid.pk), kid.bsn):
        assert text not in body.content.decode()
    assert base_data_reads(coordinator, kid) == 0
    # A ground the policy gives of its own (here: they registered the youth) shows it.
    Registration.objects.create(person=kid, professional=coordinator,
                                organisation=coordinator.organisation)
    assert api.get(f"/matches/{match.pk}").json()["youth"]["name"] == "Teuntje Vossenberg"
    assert base_data_reads(coordinator, kid) == 1


def test_others_never_see_the_match_nor_the_youth(client_match, api_client_for):
    kid, match = client_match["kid"], client_match["match"]
    stranger = signaller(client_match["town"])
    Registration.objects.create(person=kid, professional=stranger,
                                organisation=stranger.organisation)  # holds the base data
    officer = town_privacy_officer(client_match["town"])
    coordinator = town_coordinator(client_match["town"])  # in time: not theirs yet
    for prof in (stranger, officer, coordinator):
        api = api_client_for(prof)
        assert api.get("/matches").json() == []
        denied = api.get(f"/matches/{match.pk}")
        assert denied.status_code == 403
        assert denied["Content-Type"] == "application/problem+json"
        assert "Teuntje" not in denied.content.decode()
        page = login(prof).get("/verwijsindex/matches/")
        assert page.status_code in (200, 403) and "Teuntje" not in page.content.decode()


def test_a_family_match_names_to_each_only_their_own_youth(api_client_for,
                                                           django_capture_on_commit_callbacks):
    town, hood = town_and_hood()
    mum = youth(hood, 40)
    anna = youth(hood, 8, given_names="Anna", family_name="Eikelboom")
    bram = youth(hood, 12, given_names="Bram", family_name="Beukenoot")
    f.make_household(parents=[mum], children=[anna])
    f.make_household(parents=[mum], children=[bram])
    a, b = signaller(town), signaller(town)
    register(a, anna)
    with django_capture_on_commit_callbacks(execute=True):
        match = register(b, bram).matches[0]
    assert match.kind == "family"
    for prof, own, other in ((a, anna, bram), (b, bram, anna)):
        [row] = api_client_for(prof).get("/matches").json()
        assert row["youth"]["person_id"] == str(own.pk)
        page = login(prof).get("/verwijsindex/matches/").content.decode()
        message = Message.objects.get(recipient=prof, match=match)
        for text in (page, message.body, row.__repr__()):
            assert own.given_names in text and other.given_names not in text
            assert other.family_name not in text
        assert base_data_reads(prof, other) == 0
    for sent in mail.outbox:
        assert ("Anna" in sent.body) != ("Bram" in sent.body)


def test_the_coordinator_messages_name_the_recipients_own_youth(client_match):
    a, b, kid, match = (client_match[k] for k in ("a", "b", "kid", "match"))
    actions.propose_coordinator(f.professional_actor(a), match.pk, b.pk)
    actions.accept_coordinator(f.professional_actor(b), match.pk)
    for prof in (a, b):
        for subject in ("Voorstel regievoerder", "Regievoerder afgesproken"):
            body = Message.objects.get(recipient=prof, subject=subject).body
            assert "Teuntje Vossenberg" in body and kid.bsn not in body


def test_the_matches_page_shows_youth_neighbourhood_and_deadline(client_match):
    match = client_match["match"]
    page = login(client_match["a"]).get("/verwijsindex/matches/").content.decode()
    assert "Teuntje Vossenberg" in page and "Zonnewijk" in page
    assert "Regievoerder afspreken vóór" in page
    coordinator = town_coordinator(client_match["town"])
    overdue(match)
    seen = login(coordinator).get("/verwijsindex/matches/").content.decode()
    assert f'id="match-{match.pk}"' in seen and "Zonnewijk" in seen
    assert "Teuntje" not in seen and "Vossenberg" not in seen
    assert "/verwijsindex/matches/termijn-verlopen/" in seen
    english = login(client_match["a"])
    english.cookies["django_language"] = "en"
    page = english.get("/verwijsindex/matches/").content.decode()
    assert "Your signal is about" in page and "Agree on a coordinator before" in page


# --- the overdue list --------------------------------------------------------------------


def overdue_world(count_per_hood: int = 2) -> dict[str, Any]:
    town, north = town_and_hood("Noorderhof")
    south = f.NeighbourhoodFactory(name="Zuiderpark", district=north.district)
    school, team, care = (signaller(town, n) for n in ("School Noord", "Wijkteam", "Jeugdzorg"))
    made = []
    for i in range(count_per_hood):
        for hood, first, second, days in ((north, school, team, 2 + i * 2),
                                          (south, team, care, 3 + i * 2)):
            kid = youth(hood, given_names=f"Geheim{hood.name}{i}")
            register(first, kid)
            match = register(second, kid).matches[0]
            overdue(match, days)
            made.append((match, hood, days))
    elsewhere_town, elsewhere_hood = town_and_hood("Elders")
    x, y = signaller(elsewhere_town), signaller(elsewhere_town)
    kid = youth(elsewhere_hood)
    register(x, kid)
    overdue(register(y, kid).matches[0], 50)  # another municipality's: never listed
    return {"town": town, "north": north, "south": south, "school": school, "team": team,
            "care": care, "made": made, "coordinator": town_coordinator(town)}


def test_the_overdue_list_is_most_overdue_first_and_filters(db):
    w = overdue_world()
    client = login(w["coordinator"])
    page = client.get("/verwijsindex/matches/termijn-verlopen/")
    assert page.status_code == 200
    body = page.content.decode()
    expected = [m.pk for m, _hood, _days in sorted(w["made"], key=lambda r: -r[2])]
    shown = [int(pk) for pk in re.findall(r"#match-(\d+)", body)]
    assert shown == expected
    assert "Geheim" not in body  # no youth on the list
    assert "Noorderhof" in body and "Zuiderpark" in body
    north = client.get("/verwijsindex/matches/termijn-verlopen/",
                       {"wijk": w["north"].code}).content.decode()
    assert [int(pk) for pk in re.findall(r"#match-(\d+)", north)] == [
        m.pk for m, hood, _d in sorted(w["made"], key=lambda r: -r[2]) if hood == w["north"]]
    care = client.get("/verwijsindex/matches/termijn-verlopen/",
                      {"organisatie": w["care"].organisation_id}).content.decode()
    assert [int(pk) for pk in re.findall(r"#match-(\d+)", care)] == [
        m.pk for m, hood, _d in sorted(w["made"], key=lambda r: -r[2]) if hood == w["south"]]
    nothing = client.get("/verwijsindex/matches/termijn-verlopen/",
                         {"wijk": "BU000\x0000", "organisatie": "abc"})
    assert nothing.status_code == 200
    assert "Geen matches zonder regievoerder met dit filter" in nothing.content.decode()


def test_the_overdue_list_pages_by_25(db):
    w = overdue_world(count_per_hood=14)  # 28 matches
    listing = actions.overdue_matches(f.professional_actor(w["coordinator"]))
    assert (listing.total, listing.pages, len(listing.matches)) == (28, 2, 25)
    second = actions.overdue_matches(f.professional_actor(w["coordinator"]), page=2)
    assert len(second.matches) == 3
    dues = [m.coordinator_due for m in listing.matches + second.matches]
    assert dues == sorted(dues)
    page = login(w["coordinator"]).get("/verwijsindex/matches/termijn-verlopen/",
                                       {"pagina": "2"}).content.decode()
    assert "Pagina 2 van 2" in page and 'rel="prev"' in page


def test_the_overdue_list_is_the_municipal_coordinators_only(db):
    w = overdue_world(1)
    for prof in (w["school"], town_privacy_officer(w["town"])):
        assert login(prof).get("/verwijsindex/matches/termijn-verlopen/").status_code == 403
    # A coordinator of a care organisation (not the municipality): refused, and logged.
    care_coordinator = f.ProfessionalFactory(organisation=w["team"].organisation,
                                             roles=["coordinator"])
    answer = login(care_coordinator).get("/verwijsindex/matches/termijn-verlopen/")
    assert answer.status_code == 403 and "Geheim" not in answer.content.decode()
    assert AccessLogRecord.objects.filter(user_id=care_coordinator.user_id, data="match",
                                          outcome="denied").exists()


# --- match_id on GET /signals --------------------------------------------------------------


def test_get_signals_gives_the_match_id_post_gave(api_client_for):
    town, hood = town_and_hood()
    a, b = signaller(town), signaller(town)
    kid = youth(hood)
    for prof in (a, b):
        Registration.objects.create(person=kid, professional=prof, organisation=prof.organisation)
    first = api_client_for(a).post("/signals", {"person_id": str(kid.pk)})
    assert first.json()["match_id"] is None
    second = api_client_for(b).post("/signals", {"person_id": str(kid.pk)})
    match_id = second.json()["match_id"]
    assert match_id is not None
    for prof in (a, b):
        [row] = api_client_for(prof).get("/signals").json()
        assert row["match_id"] == match_id
        page = login(prof).get("/verwijsindex/signalen/").content.decode()
        assert f"/verwijsindex/matches/#match-{match_id}" in page
        detail = login(prof).get(f"/verwijsindex/signalen/{row['id']}/").content.decode()
        assert f"/verwijsindex/matches/#match-{match_id}" in detail
    # A colleague of the same organisation lists the signal, but is not in the match.
    colleague = f.ProfessionalFactory(organisation=a.organisation, roles=["professional"])
    [row] = api_client_for(colleague).get("/signals").json()
    assert row["match_id"] is None
    assert "#match-" not in login(colleague).get("/verwijsindex/signalen/").content.decode()
    detail = login(colleague).get(f"/verwijsindex/signalen/{row['id']}/")
    assert detail.status_code == 200 and "#match-" not in detail.content.decode()


# --- query counts ------------------------------------------------------------------------


def queries(call: Any) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = call()
    assert response.status_code == 200, response.content[:500]
    return len(captured)


def _grow(prof: Any, town: Any, hood: Any, count: int) -> None:
    """`count` more open matches of `prof` (each with another organisation), and as many
    of `prof`'s own signals without a match."""
    for _i in range(count):
        kid = youth(hood)
        register(prof, kid)
        register(signaller(town), kid)
        register(prof, youth(hood))


def test_the_matches_and_signals_lists_do_not_grow_in_queries(api_client_for):
    town, hood = town_and_hood()
    prof = signaller(town)
    api = api_client_for(prof)
    web = login(prof)
    routes = {"api matches": lambda: api.get("/matches"),
              "api signals": lambda: api.get("/signals"),
              "web matches": lambda: web.get("/verwijsindex/matches/"),
              "web signals": lambda: web.get("/verwijsindex/signalen/")}
    _grow(prof, town, hood, 3)
    for call in routes.values():
        call()  # warm up (session, translations)
    before = {name: queries(call) for name, call in routes.items()}
    _grow(prof, town, hood, 3)
    after = {name: queries(call) for name, call in routes.items()}
    assert len(api.get("/matches").json()) == 6 and len(api.get("/signals").json()) == 12
    assert after == before, (before, after)


def test_the_overdue_list_does_not_grow_in_queries(db):
    w = overdue_world(3)
    coordinator = w["coordinator"]
    web = login(coordinator)
    from tests.conftest import token_for

    api = Client(headers={"Authorization": f"Bearer {token_for(coordinator.user)}"})
    routes = {"overdue": lambda: web.get("/verwijsindex/matches/termijn-verlopen/"),
              "web matches": lambda: web.get("/verwijsindex/matches/"),
              "api matches": lambda: api.get("/api/v1/matches")}
    for call in routes.values():
        call()
    before = {name: queries(call) for name, call in routes.items()}
    more = overdue_world(3)  # another municipality: add to this one instead
    for match, _hood, _days in more["made"]:
        Match.objects.filter(pk=match.pk).update(municipality=w["town"])
    assert actions.overdue_matches(f.professional_actor(coordinator)).total == 12
    after = {name: queries(call) for name, call in routes.items()}
    assert after == before, (before, after)


def test_a_list_marked_for_one_professional_decides_nothing_for_another(client_match):
    """The involvement loaded with a list of matches holds only for whom it was loaded:
    anyone else is asked about in the database."""
    from jeugdketen.access.policy import Action, Data, Target, decide

    match = Match.objects.get(pk=client_match["match"].pk)
    stranger = signaller(client_match["town"])
    match.jk_involved_for, match.jk_involved = client_match["a"].pk, True
    target = Target(Data.MATCH, object_id=str(match.pk), record=match)
    assert decide(f.professional_actor(client_match["a"]), Action.READ, target).allowed
    assert not decide(f.professional_actor(stranger), Action.READ, target).allowed
    match.jk_involved_for, match.jk_involved = stranger.pk, False
    assert not decide(f.professional_actor(stranger), Action.READ, target).allowed
    # Withdrawn: the list's own loading sees it (only active signals count).
    actions.withdraw_signal(f.professional_actor(client_match["a"]),
                            client_match["match"].signals.get(contact=client_match["a"]).pk,
                            reason="risk_gone")
    assert actions.my_matches(f.professional_actor(client_match["a"])) == []


def test_the_coordinator_answers_name_the_youth_to_the_involved_only(client_match, api_client_for):
    a, b, match = client_match["a"], client_match["b"], client_match["match"]
    proposed = api_client_for(a).post(f"/matches/{match.pk}/coordinator", {"professional_id": b.pk})
    assert proposed.status_code == 200 and proposed.json()["youth"]["name"] == "Teuntje Vossenberg"
    overdue(match)
    coordinator = town_coordinator(client_match["town"])
    appointed = api_client_for(coordinator).post(f"/matches/{match.pk}/coordinator/appoint",
                                                 {"professional_id": b.pk})
    assert appointed.status_code == 200, appointed.content
    assert appointed.json()["youth"] is None and "Teuntje" not in appointed.content.decode()


def test_the_overdue_alert_names_neighbourhood_and_deadline_not_the_youth(client_match):
    match = client_match["match"]
    coordinator = town_coordinator(client_match["town"])
    assert actions.alert_overdue(match.coordinator_due + timedelta(days=1)) == 1
    body = Message.objects.get(recipient=coordinator).body
    assert "Zonnewijk" in body and f"{match.coordinator_due:%d-%m-%Y}" in body
    assert "Teuntje" not in body and "Vossenberg" not in body


def test_mijn_werk_leads_the_municipal_coordinator_to_the_overdue_list(client_match):
    overdue(client_match["match"])
    coordinator = town_coordinator(client_match["town"])
    home = login(coordinator).get("/").content.decode()
    assert 'href="/verwijsindex/matches/termijn-verlopen/"' in home
    assert "Teuntje" not in home
