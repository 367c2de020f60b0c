"""Attack review of issue 9's new routes ("Daily use"): each probe is what an ordinary
account of some role would try against the matrix's world (tests/matrix/world.py), and
checks that the answer reveals nothing about people the caller has no ground for, that ids
of another municipality or organisation do not work, that administrators cannot raise
themselves, that no GET changes anything and that odd filter values never answer 500.

Actors (see world.py): `prof` coordinates family A's plan and holds a signal on Quintijn
(C); `teach` holds the other signal of the match and is in the plan's team; `out` works at a
youth-care provider with no tie to anyone; `coord`, `priv`, `anal`, `fadm`, `padm` are the
municipal roles of Matrixdam (A); `cit` is family A's mother, `ocit` family B's; `prof_b`
works in Anderdam (B).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from jeugdketen.access.audit import AccessDenied
from jeugdketen.access.models import ApiToken
from jeugdketen.guide.models import AidVersion
from jeugdketen.plans.models import ProductCode
from jeugdketen.referral_index.models import Message
from jeugdketen.registry import actions as registry_actions
from jeugdketen.registry.models import Organisation, Professional
from tests.conftest import ApiClient, token_for
from tests.factories import professional_actor
from tests.matrix.world import World, _verified_session, admin_aid_text, build


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[World]:
    with django_db_blocker.unblock(), transaction.atomic():
        built = build()
        for key in ("colleague", "prof_b"):  # two more logins the probes need
            user = built.professionals[key].user
            built.sessions[key] = _verified_session(user)
            built.tokens[key] = token_for(user)
        yield built
        transaction.set_rollback(True)


@pytest.fixture
def w(world: World, db, settings) -> World:
    settings.DEMO = False
    return world


def text(response: Any) -> str:
    return response.content.decode()


def names(w: World, *keys: str) -> list[str]:
    """Given and family names of the world's persons `keys` (what must not be shown)."""
    return [word for key in keys for word in (w.persons[key].person.given_names,
                                              w.persons[key].person.family_name)]


def shown(response: Any, *searched: str) -> str:
    """The answer's text without the text searched (which it may echo in its search box)."""
    body = text(response)
    for word in searched:
        body = body.replace(word, "*")
    return body


def same_answer(a: Any, b: Any, *searched: str) -> bool:
    """Two answers are alike apart from the text searched and the CSRF token."""
    def plain(response: Any) -> str:
        body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text(response))
        body = re.sub(r'name="csrf-token" content="[^"]*"', "", body)
        for word in searched:
            body = body.replace(word, "*")
        return body
    return a.status_code == b.status_code and plain(a) == plain(b)


# --- /personen/: search by name, BSN, birth date ---------------------------------------


@pytest.mark.parametrize("actor", ["out", "coord", "priv", "anal", "fadm", "padm", "prof_b"])
def test_the_persons_search_finds_no_one_without_a_registration(w, actor):
    """Searching family A by name, BSN or birth date as anyone who did not register them:
    the answer is the same as for a name, BSN or date nobody has."""
    child = w.persons["C"].person
    for known, unknown in ((child.family_name, "Zzyzxbergen"), (child.bsn, "999999990"),
                           (child.birth_date.strftime("%d-%m-%Y"), "01-01-1901")):
        client = w.web(actor)
        hit = client.get(reverse("persons"), {"zoek": known})
        miss = client.get(reverse("persons"), {"zoek": unknown})
        if hit.status_code == 200:
            for word in names(w, "P", "C", "S"):
                assert word not in shown(hit, known)
        assert same_answer(hit, miss, known, unknown), (actor, known)


def test_the_persons_search_finds_the_own_registrations(w):
    hit = w.web("prof").get(reverse("persons"), {"zoek": "Quintijn"})
    assert hit.status_code == 200
    assert "Quintijn" in text(hit)
    assert "Egbertus" not in text(hit)  # registered by the police officer


@pytest.mark.parametrize("search", ["%", "_", "\\", "' OR 1=1 --", "a" * 5000, "\x00",
                                    "31-02-2020", "9999-99-99", "<script>x</script>"])
def test_the_persons_search_takes_any_text(w, search):
    response = w.web("prof").get(reverse("persons"), {"zoek": search, "sorteer": "';--",
                                                      "pagina": "-3"})
    assert response.status_code in (200, 400)
    assert "<script>x</script>" not in text(response)
    if search in ("%", "_"):  # a wildcard is a character, never "everyone"
        assert "Quintijn" not in text(response)


# --- the pickers ----------------------------------------------------------------------


@pytest.mark.parametrize("actor", ["out", "prof_b", "colleague"])
def test_the_youth_picker_offers_no_one_else_s_youth(w, actor):
    """Neither by search nor by naming the child's id (?person=) does the picker show a
    youth the professional did not register; the answer is that for an unknown id."""
    client = w.web(actor)
    chosen = client.get(reverse("pick_youth"), {"person": str(w.ids["C"])})
    unknown = client.get(reverse("pick_youth"), {"person": str(uuid.uuid4())})
    searched = client.get(reverse("pick_youth"), {"zoek": "Vlierhoven"})
    for response in (chosen, searched):
        for word in names(w, "C", "S"):
            assert word not in shown(response, "Vlierhoven")
    assert same_answer(chosen, unknown, str(w.ids["C"]))
    assert not same_answer(w.web("prof").get(reverse("pick_youth"), {"zoek": "Vlierhoven"}),
                           searched)


def test_the_youth_picker_offers_the_own_youth_but_never_adults(w):
    response = w.web("prof").get(reverse("pick_youth"), {"zoek": "Vlierhoven"})
    assert response.status_code == 200
    assert "Quintijn" in text(response) and "Ysolde" in text(response)
    assert "Zwaantje" not in text(response)  # the mother is 40
    chosen = w.web("prof").get(reverse("pick_youth"), {"person": str(w.ids["P"])})
    assert "Zwaantje" not in text(chosen)


@pytest.mark.parametrize("actor", ["priv", "anal", "fadm", "padm", "cit", "ocit"])
def test_the_youth_picker_is_for_care_only(w, actor):
    response = w.web(actor).get(reverse("pick_youth"), {"zoek": "Quintijn"})
    assert response.status_code in (302, 403)
    assert "Quintijn" not in shown(response, "zoek=Quintijn")


@pytest.mark.parametrize("actor", ["teach", "out", "coord", "colleague", "prof_b"])
def test_the_team_picker_answers_alike_for_a_plan_one_may_not_change(w, actor):
    """The plan's team picker for whoever may not change the team: the same 403 as for a
    plan that does not exist, so plan ids tell nothing."""
    client = w.web(actor)
    unknown = uuid.uuid4()
    real = client.get(reverse("pick_team", args=[w.ids["plan"]]), {"team_zoek": ""})
    none = client.get(reverse("pick_team", args=[unknown]), {"team_zoek": ""})
    assert real.status_code == 403
    assert same_answer(real, none, str(w.ids["plan"]), str(unknown))
    if actor != "teach":  # the teacher sees her own name in the header
        assert "Ina Intern" not in text(real)


def test_the_team_picker_offers_only_the_plan_s_municipality(w):
    client = w.web("prof")
    own = client.get(reverse("pick_team", args=[w.ids["plan"]]), {"team_zoek": ""})
    assert own.status_code == 200
    assert "Bram Anderdam" not in text(own)  # another municipality
    assert "Ina Intern" not in text(own)  # already in the team
    other = client.get(reverse("pick_team", args=[w.ids["plan_b"]]), {"team_zoek": ""})
    assert other.status_code == 403
    chosen = client.get(reverse("pick_team", args=[w.ids["plan"]]),
                        {"tp-professional_id": str(w.ids["prof_b"])})
    assert "Bram Anderdam" not in text(chosen)
    for odd in ("99999999999999999999", "-1", "1e3", "<b>"):
        assert client.get(reverse("pick_team", args=[w.ids["plan"]]),
                          {"tp-professional_id": odd}).status_code == 200


# --- the decision aids with ?person= --------------------------------------------------


@pytest.mark.parametrize("actor", ["out", "prof_b", "colleague"])
def test_a_decision_aid_about_a_child_without_ground_names_no_one(w, actor):
    client = w.web(actor)
    for url in (reverse("guide_index"), reverse("guide_step", args=["meldcode"])):
        real = client.get(url, {"person": str(w.ids["C"])})
        none = client.get(url, {"person": str(uuid.uuid4())})
        for word in names(w, "C"):
            assert word not in text(real)
        assert real.status_code == none.status_code == 403


# --- messages ---------------------------------------------------------------------------


@pytest.mark.parametrize("actor", ["teach", "colleague", "out", "coord", "priv", "padm",
                                   "prof_b"])
def test_another_s_message_is_as_unknown_and_stays_unread(w, actor):
    message = Message.objects.get(pk=w.ids["message"])
    client = w.web(actor)
    theirs = client.get(reverse("inbox_message", args=[message.pk]))
    none = client.get(reverse("inbox_message", args=[999_999_999]))
    assert theirs.status_code == none.status_code == 404
    # Marking it read through the inbox's form does nothing either.
    client.post(reverse("inbox"), {"read": str(message.pk)})
    message.refresh_from_db()
    assert message.read_at is None
    assert reverse("inbox_message", args=[message.pk]) not in text(
        client.get(reverse("inbox")))


def test_the_own_message_opens(w):
    message = Message.objects.get(pk=w.ids["message"])
    response = w.web("prof").get(reverse("inbox_message", args=[message.pk]))
    assert response.status_code == 200


# --- matches and the overdue list ------------------------------------------------------


@pytest.mark.parametrize("actor", ["out", "colleague", "coord", "prof_b"])
def test_the_matches_page_names_the_youth_to_the_involved_only(w, actor):
    response = w.web(actor).get(reverse("my_matches"))
    for word in names(w, "C"):
        assert word not in text(response)


def test_the_involved_see_the_youth_of_their_match(w):
    assert "Quintijn" in text(w.web("prof").get(reverse("my_matches")))


@pytest.mark.parametrize("query", [
    {"wijk": "' OR 1=1 --"}, {"wijk": "<script>"}, {"wijk": "x" * 5000},
    {"organisatie": "-1"}, {"organisatie": "9" * 40}, {"organisatie": "abc"},
    {"pagina": "99999999999999999999"}, {"pagina": "-1"}, {"pagina": "x"},
    {"wijk": "BU99510101", "organisatie": "1"}])
def test_the_overdue_list_takes_any_filter_and_names_no_youth(w, query):
    response = w.web("coord").get(reverse("overdue_matches"), query)
    assert response.status_code == 200
    assert "<script>" not in text(response)
    for word in names(w, "C"):
        assert word not in text(response)


@pytest.mark.parametrize("actor", ["prof", "teach", "out", "priv", "anal", "fadm", "cit"])
def test_the_overdue_list_is_the_coordinator_s(w, actor):
    response = w.web(actor).get(reverse("overdue_matches"))
    assert response.status_code in (302, 403)


def test_the_api_names_the_youth_to_the_involved_only(w):
    involved = ApiClient(w.tokens["prof"]).get("/matches").json()
    assert any(m["youth"] for m in involved)
    for actor in ("colleague", "out", "coord", "prof_b"):
        answer = ApiClient(w.tokens[actor]).get("/matches")
        if answer.status_code == 200:
            assert all(m["youth"] is None for m in answer.json()), actor
            assert "Quintijn" not in text(answer)
    # One match by id: not for the uninvolved colleague, like an unknown id.
    colleague = ApiClient(w.tokens["colleague"])
    real = colleague.get(f"/matches/{w.ids['match']}")
    none = colleague.get("/matches/999999999")
    assert "Quintijn" not in text(real)
    assert real.status_code == none.status_code


def test_a_colleague_sees_no_match_id_on_the_organisation_s_signals(w):
    """GET /api/v1/signals lists the organisation's signals; the match id only for the
    caller's own signal (a colleague is not in the match)."""
    own = ApiClient(w.tokens["prof"]).get("/signals").json()
    theirs = ApiClient(w.tokens["colleague"]).get("/signals").json()
    assert [s["match_id"] for s in own if s["id"] == w.ids["signal"]] == [w.ids["match"]]
    assert [s["match_id"] for s in theirs if s["id"] == w.ids["signal"]] in ([], [None])


# --- access overview filters --------------------------------------------------------------


@pytest.mark.parametrize("query", [
    {"start": "2020-13-45"}, {"end": "x"}, {"organisation": "abc"},
    {"organisation": "9" * 40}, {"zonder_gezin": "<script>"}, {"pagina": "-5"},
    {"start": "2030-01-01", "end": "2000-01-01"}])
def test_the_access_overview_takes_any_filter(w, query):
    response = w.web("cit").get(reverse("access_log", args=[w.ids["P"]]), query)
    assert response.status_code in (200, 400)
    assert "<script>" not in text(response)


@pytest.mark.parametrize("actor", ["ocit", "out", "teach", "anal"])
def test_another_s_access_overview_answers_like_an_unknown_person(w, actor):
    client = w.web(actor)
    real = client.get(reverse("access_log", args=[w.ids["C"]]), {"organisation": "1"})
    none = client.get(reverse("access_log", args=[uuid.uuid4()]), {"organisation": "1"})
    assert real.status_code == none.status_code
    assert real.status_code in (403, 404)
    for word in names(w, "C"):
        assert word not in text(real)


# --- plan PDF and information letter ---------------------------------------------------


@pytest.mark.parametrize("actor", ["out", "colleague", "coord", "priv", "anal", "prof_b",
                                   "ocit"])
def test_the_plan_pdf_is_not_for_those_without_ground(w, actor):
    client = w.web(actor)
    real = client.get(reverse("plan_pdf", args=[w.ids["plan"]]))
    none = client.get(reverse("plan_pdf", args=[uuid.uuid4()]))
    assert real.status_code == none.status_code
    assert real.status_code in (403, 404)
    assert real["Content-Type"].startswith("text/html")


def test_the_plan_pdf_of_another_municipality_is_not_the_coordinator_s(w):
    response = w.web("prof").get(reverse("plan_pdf", args=[w.ids["plan_b"]]))
    assert response.status_code in (403, 404)


@pytest.mark.parametrize("actor", ["teach", "out", "coord", "priv", "prof_b"])
def test_the_information_letter_is_the_signal_s_organisation_s(w, actor):
    """The letter (with the BRP's current address) is printed by the organisation that
    registered the signal; the other party in the match (teach) and anyone else get the
    answer of an unknown signal."""
    client = w.web(actor)
    for name in ("signal_letter", "signal_letter_pdf"):
        real = client.get(reverse(name, args=[w.ids["signal"]]))
        none = client.get(reverse(name, args=[999_999_999]))
        assert real.status_code in (403, 404), (actor, name)
        assert real.status_code == none.status_code
        assert "9951" not in text(real)  # the BRP postcode


@pytest.mark.parametrize("actor", ["prof", "colleague"])
def test_the_own_organisation_s_information_letter_shows_the_address(w, actor):
    """By design the signal is the organisation's (policy `_signal`: own organisation):
    a colleague may send the letter when the contact is away."""
    response = w.web(actor).get(reverse("signal_letter", args=[w.ids["signal"]]))
    assert response.status_code == 200
    assert "9951" in text(response)


# --- administration ----------------------------------------------------------------------


def test_a_functional_admin_cannot_read_or_edit_another_municipality_s_organisation(w):
    client = w.web("fadm")
    team_b = Organisation.objects.get(pk=w.ids["team_b"])
    page = client.get(reverse("admin_organisation", args=[team_b.pk]))
    assert page.status_code in (403, 404)
    assert "Bram Anderdam" not in text(page)
    client.post(reverse("admin_organisation", args=[team_b.pk]), {
        "save": "1", "org-name": "Overgenomen", "org-kind": "neighbourhood_team",
        "org-municipality_code": w.ids["municipality"], "org-may_signal": "on"})
    client.post(reverse("admin_organisation", args=[team_b.pk]), {
        "add": "1", "new-username": "indringer", "new-full_name": "Indringer",
        "new-email": "i@example.org", "new-roles": ["professional"]})
    client.post(reverse("admin_organisation_active", args=[team_b.pk]), {"active": "0"})
    team_b.refresh_from_db()
    assert team_b.name == "Wijkteam Anderdam"
    assert team_b.municipality_id == w.ids["municipality_b"]
    assert team_b.active
    assert not Professional.objects.filter(full_name="Indringer").exists()
    listing = client.get(reverse("admin_organisations"), {"q": "Anderdam"})
    assert "Wijkteam Anderdam" not in text(listing)


def test_a_functional_admin_cannot_move_an_own_organisation_to_another_municipality(w):
    client = w.web("fadm")
    school = Organisation.objects.get(pk=w.ids["school"])
    client.post(reverse("admin_organisation", args=[school.pk]), {
        "save": "1", "org-name": school.name, "org-kind": school.kind,
        "org-municipality_code": w.ids["municipality_b"], "org-may_signal": "on",
        "org-may_coordinate": "on"})
    school.refresh_from_db()
    assert school.municipality_id == w.ids["municipality"]


@pytest.mark.parametrize("role", ["platform_admin", "privacy_officer", "functional_admin"])
def test_a_functional_admin_gives_no_one_a_privileged_role(w, role):
    """Not to themselves, not to a colleague and not to a new account (the coordinator
    and analyst roles are not privileged: those a functional admin may give)."""
    client = w.web("fadm")
    me = w.professionals["fadm"]
    for target in (me, w.professionals["teach"]):
        before = list(Professional.objects.get(pk=target.pk).roles)
        client.post(reverse("admin_professional", args=[target.pk]), {
            "pro-full_name": target.full_name, "pro-email": "x@example.org",
            "pro-roles": [*before, role]})
        assert role not in Professional.objects.get(pk=target.pk).roles or role in before
    client.post(reverse("admin_organisation", args=[w.ids["town"]]), {
        "add": "1", "new-username": f"nieuw.{role}", "new-full_name": "Nieuwe Beheerder",
        "new-email": "n@example.org", "new-roles": [role]})
    created = Professional.objects.filter(user__username=f"nieuw.{role}").first()
    assert created is None or role not in created.roles


def test_a_functional_admin_neither_takes_a_privileged_role_nor_switches_its_holder_off(w):
    """The privacy officer and the platform administrator of the own municipality: their
    roles stay and their accounts stay on (a functional admin would otherwise silence the
    one who supervises them)."""
    client = w.web("fadm")
    for key, role in (("priv", "privacy_officer"), ("padm", "platform_admin")):
        holder = w.professionals[key]
        codes = holder.user.activation_codes.count()
        client.post(reverse("admin_professional", args=[holder.pk]), {
            "pro-full_name": holder.full_name, "pro-email": "x@example.org",
            "pro-roles": ["professional"]})
        client.post(reverse("admin_professional_active", args=[holder.pk]), {"active": "0"})
        client.post(reverse("admin_activation_code", args=[holder.pk]))
        holder = Professional.objects.select_related("user").get(pk=holder.pk)
        assert holder.roles == [role]
        assert holder.user.is_active, key
        assert holder.user.activation_codes.count() == codes


def test_a_functional_admin_may_make_a_colleague_coordinator(w):
    teacher = w.professionals["teach"]
    response = w.web("fadm").post(reverse("admin_professional", args=[teacher.pk]), {
        "pro-full_name": teacher.full_name, "pro-email": "x@example.org",
        "pro-roles": ["professional", "coordinator"]})
    assert response.status_code == 302
    assert Professional.objects.get(pk=teacher.pk).roles == ["coordinator", "professional"]


def test_a_functional_admin_cannot_touch_another_municipality_s_accounts(w):
    client = w.web("fadm")
    other = Professional.objects.get(pk=w.ids["prof_b"])
    page = client.get(reverse("admin_professional", args=[other.pk]))
    assert page.status_code in (403, 404)
    client.post(reverse("admin_professional", args=[other.pk]), {
        "pro-full_name": "Gekaapt", "pro-email": "x@example.org", "pro-roles": ["professional"]})
    client.post(reverse("admin_professional_active", args=[other.pk]), {"active": "0"})
    code = client.post(reverse("admin_activation_code", args=[other.pk]))
    other.refresh_from_db()
    other.user.refresh_from_db()
    assert other.full_name == "Bram Anderdam"
    assert other.user.is_active
    assert not re.search(r"[A-Z0-9]{4}-[A-Z0-9]{4}", text(code))
    token = ApiToken.objects.filter(user=other.user).latest("id")
    client.post(reverse("admin_revoke_token", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_functional_admin_cannot_change_another_municipality_s_settings(w):
    client = w.web("fadm")
    b = w.ids["municipality_b"]
    page = client.get(reverse("admin_municipality"), {"gemeente": b})
    assert page.status_code in (403, 404)
    client.post(reverse("admin_municipality"), {
        "gemeente": b, "save": "1", "set-address_match": "on", "set-coordinator_days": "1",
        "set-min_signal_days": "1"})
    client.post(reverse("admin_municipality"), {
        "gemeente": b, "add": "1", "pc-code": "kaping", "pc-label": "Kaping"})
    assert not ProductCode.objects.filter(code="kaping").exists()
    from jeugdketen.registry.models import Municipality
    assert Municipality.objects.get(code=b).coordinator_days != 1
    own = ProductCode.objects.get(pk=w.ids["product_code"])
    client.post(reverse("admin_product_code", args=[own.pk]),
                {"gemeente": b, "active": "0"})
    own.refresh_from_db()
    assert own.active


@pytest.mark.parametrize("name,args", [
    ("admin_organisation_active", "town"), ("admin_professional_active", "teach"),
    ("admin_activation_code", "teach"), ("admin_revoke_token", "prof_token"),
    ("guide_admin_activate", "aid_version")])
def test_no_get_changes_anything(w, name, args):
    """A link (GET) to an administrator's action never does it (no CSRF by a link)."""
    actor = "padm" if name != "guide_admin_activate" else "fadm"
    before = (Organisation.objects.get(pk=w.ids["town"]).active,
              Professional.objects.get(pk=w.ids["teach"]).user.is_active,
              ApiToken.objects.get(pk=w.ids["prof_token"]).revoked_at,
              AidVersion.objects.get(pk=w.ids["aid_version"]).activated_at)
    response = w.web(actor).get(reverse(name, args=[w.ids[args]]), {"active": "0"})
    assert response.status_code in (302, 405)
    after = (Organisation.objects.get(pk=w.ids["town"]).active,
             Professional.objects.get(pk=w.ids["teach"]).user.is_active,
             ApiToken.objects.get(pk=w.ids["prof_token"]).revoked_at,
             AidVersion.objects.get(pk=w.ids["aid_version"]).activated_at)
    assert before == after


def test_an_administrator_s_post_needs_the_csrf_token(w):
    client = Client(enforce_csrf_checks=True, HTTP_USER_AGENT="attack")
    from django.conf import settings
    client.cookies[settings.SESSION_COOKIE_NAME] = w.sessions["padm"]
    response = client.post(reverse("admin_organisation_active", args=[w.ids["town"]]),
                           {"active": "0"})
    assert response.status_code == 403
    assert Organisation.objects.get(pk=w.ids["town"]).active


def test_organisation_names_are_escaped(w):
    """A functional admin names an organisation like a script: every page that shows the
    name writes it as text."""
    evil = '<script>alert(1)</script><img src=x onerror=alert(2)>'
    Organisation.objects.filter(pk=w.ids["school"]).update(name=evil)
    pages = [w.web("padm").get(reverse("admin_organisations")),
             w.web("padm").get(reverse("admin_organisation", args=[w.ids["school"]])),
             w.web("prof").get(reverse("pick_team", args=[w.ids["plan"]])),
             w.web("prof").get(reverse("my_matches")),
             w.web("coord").get(reverse("overdue_matches"))]
    for response in pages:
        assert response.status_code == 200
        assert "<script>alert(1)" not in text(response)
        assert "<img src=x" not in text(response)


@pytest.mark.parametrize("actor", ["prof", "coord", "priv", "padm", "cit"])
def test_only_a_functional_admin_adapts_decision_aids(w, actor):
    client = w.web(actor)
    version = AidVersion.objects.get(pk=w.ids["aid_version"])
    assert client.get(reverse("guide_admin")).status_code in (302, 403)
    assert client.get(reverse("guide_admin_version", args=[version.pk])).status_code in (
        302, 403)
    client.post(reverse("guide_admin_activate", args=[version.pk]))
    client.post(reverse("guide_admin"), {"text": admin_aid_text("9999.7").decode()})
    version.refresh_from_db()
    assert version.activated_at is None
    assert not AidVersion.objects.filter(version="9999.7").exists()


def test_a_decision_aid_with_script_text_is_shown_as_text(w):
    raw = admin_aid_text("9999.8").decode()
    title = re.search(r'^title:\s*(.+)$', raw, re.M)
    assert title is not None
    raw = raw.replace(title.group(0), 'title: "<script>alert(3)</script>"', 1)
    client = w.web("fadm")
    uploaded = client.post(reverse("guide_admin"), {"text": raw})
    version = AidVersion.objects.filter(version="9999.8").first()
    pages = [uploaded]
    if version is not None:
        pages.append(client.get(reverse("guide_admin_version", args=[version.pk])))
        pages.append(client.get(reverse("guide_admin")))
    for response in pages:
        assert "<script>alert(3)" not in text(response)


@pytest.mark.parametrize("raw", [
    "a: &x [1,2,3]\nb: *x\n",
    "slug: meldcode\n" + "x: " + "[" * 5000 + "]" * 5000 + "\n",
    "slug: !!python/object/apply:os.system ['true']\n",
    "\x00\x01\x02",
    "slug: meldcode\nversion: 1\n" + "k: v\n" * 20000])
def test_a_hostile_decision_aid_upload_is_refused_without_500(w, raw):
    count = AidVersion.objects.count()
    response = w.web("fadm").post(reverse("guide_admin"), {"text": raw})
    assert response.status_code in (200, 422)
    assert AidVersion.objects.count() == count


def test_deep_nesting_is_a_problem_named_not_a_crash():
    """Finding (medium): 5000 nested `[` in an uploaded aid exhausted Python's stack while
    the YAML was read; the upload answered 500. Now the loader names the problem."""
    from jeugdketen.guide import loader

    raw = ("slug: meldcode\nx: " + "[" * 5000 + "]" * 5000 + "\n").encode()
    aid, problems = loader.read_bytes(raw, "upload")
    assert aid is None
    assert any("nested more than" in p.message for p in problems)
    # The built-in aids are nested far less deep than the limit.
    for path in sorted(loader.BUILTIN_DIR.glob("*.yaml")):
        assert loader.read(path)[0] is not None, path


# --- more: the family's PDF, the start page, odd admin queries ------------------------


@pytest.mark.parametrize("actor,plan", [("ocit", "plan"), ("cit", "plan_b"), ("prof", "plan"),
                                        ("out", "plan")])
def test_the_family_pdf_is_the_family_s_own(w, actor, plan):
    client = w.web(actor)
    real = client.get(reverse("family_plan_pdf", args=[w.ids[plan]]))
    none = client.get(reverse("family_plan_pdf", args=[uuid.uuid4()]))
    assert real.status_code in (302, 403, 404)
    assert real.status_code == none.status_code
    assert not real["Content-Type"].startswith("application/pdf")


def test_the_family_and_the_team_get_their_pdf(w):
    own = w.web("cit").get(reverse("family_plan_pdf", args=[w.ids["plan"]]))
    team = w.web("teach").get(reverse("plan_pdf", args=[w.ids["plan"]]))
    assert own.status_code == team.status_code == 200
    assert own["Content-Type"] == team["Content-Type"] == "application/pdf"


@pytest.mark.parametrize("actor", ["out", "colleague", "coord", "priv", "anal", "fadm",
                                   "padm", "prof_b", "ocit"])
def test_the_start_page_names_no_one_without_a_ground(w, actor):
    """Mijn werk: the worklist, the unread count and the overdue item of the municipal
    coordinator name neither family A's children nor their birth dates."""
    response = w.web(actor).get(reverse("home"))
    assert response.status_code == 200
    for word in [*names(w, "C", "S"), *w.persons["C"].words[2:]]:
        if word:
            assert word not in text(response), (actor, word)


@pytest.mark.parametrize("query", [{"q": "%"}, {"q": "_"}, {"q": "a\x00b"}, {"q": "' OR 1=1"},
                                   {"q": "x" * 3000}, {"pagina": "99999999999999"},
                                   {"pagina": "-2"}, {"pagina": "x"}])
def test_the_organisations_list_takes_any_query_and_stays_in_the_municipality(w, query):
    response = w.web("fadm").get(reverse("admin_organisations"), query)
    assert response.status_code == 200
    assert "Wijkteam Anderdam" not in text(response)


@pytest.mark.parametrize("actor", ["cit", "ocit", "anon"])
def test_citizens_have_no_matches_or_signals_in_the_api(w, actor):
    client = ApiClient(w.tokens.get(actor))
    for path in ("/matches", "/signals", f"/matches/{w.ids['match']}"):
        response = client.get(path)
        if response.status_code == 200:  # the list of one's own matches: none
            assert response.json() == [], (actor, path)
        else:
            assert response.status_code in (401, 403, 404), (actor, path)


@pytest.mark.parametrize("actor", ["prof", "teach", "coord", "priv", "anal", "cit"])
def test_no_one_but_an_administrator_reaches_the_municipality_settings(w, actor):
    response = w.web(actor).get(reverse("admin_municipality"),
                                {"gemeente": w.ids["municipality"]})
    assert response.status_code in (302, 403)
    assert "matrix-zorg" not in text(response)


def test_a_functional_admin_creates_no_organisation_in_another_municipality(w):
    w.web("fadm").post(reverse("admin_organisations"), {
        "org-name": "Stiekem Anderdam", "org-kind": "school",
        "org-municipality_code": w.ids["municipality_b"], "org-may_signal": "on"})
    assert not Organisation.objects.filter(name="Stiekem Anderdam").exists()


def test_a_functional_admin_cannot_revoke_another_municipality_s_activation_code(w):
    from jeugdketen.access import actions as access
    from tests.factories import professional_actor

    other = w.professionals["prof_b"]
    _raw, code = access.issue_activation_code(professional_actor(w.professionals["padm"]),
                                              other.user)
    response = w.web("fadm").post(reverse("admin_revoke_code", args=[code.pk]))
    assert response.status_code == 403
    code.refresh_from_db()
    assert code.revoked_at is None


def test_professional_names_are_escaped(w):
    """A functional admin names a colleague like a script: the team picker, the matches and
    the messages write it as text."""
    evil = '<script>alert(4)</script>'
    Professional.objects.filter(pk=w.ids["teach"]).update(full_name=evil)
    Professional.objects.filter(pk=w.ids["colleague"]).update(full_name=evil + "x")
    pages = [w.web("prof").get(reverse("pick_team", args=[w.ids["plan"]])),
             w.web("prof").get(reverse("my_matches")),
             w.web("prof").get(reverse("inbox")),
             w.web("padm").get(reverse("admin_organisation", args=[w.ids["school"]]))]
    for response in pages:
        assert response.status_code == 200
        assert "<script>alert(4)" not in text(response)
    assert "&lt;script&gt;alert(4)" in text(pages[1])


def test_a_child_under_16_with_a_login_sees_no_family_plan(w):
    """A login of an eight-year-old (BRP-verified member of the household): the family's
    plan, its PDF and the youth-only pages answer like an unknown plan."""
    from django.conf import settings

    from tests.factories import UserFactory

    user = UserFactory(person=w.persons["C"].person, username="attack.kind")
    client = Client(HTTP_USER_AGENT="attack")
    client.cookies[settings.SESSION_COOKIE_NAME] = _verified_session(user)
    for name in ("family_plan", "family_plan_pdf"):
        real = client.get(reverse(name, args=[w.ids["plan"]]))
        none = client.get(reverse(name, args=[uuid.uuid4()]))
        assert real.status_code == none.status_code, name
        assert real.status_code in (403, 404), name
        assert "Zwaantje" not in text(real)


@pytest.mark.parametrize("actor", ["colleague", "out", "prof_b"])
def test_my_decision_aids_search_tells_nothing_about_a_child_without_ground(w, actor):
    """The colleague's organisation holds prof's completed aid about Quintijn, but the
    colleague has no ground for Quintijn: searching his BSN, name or birth date answers
    as for someone nobody has."""
    child = w.persons["C"].person
    client = w.web(actor)
    for known, unknown in ((child.bsn, "999999990"), (child.given_names, "Zzyzx"),
                           (child.birth_date.strftime("%d-%m-%Y"), "01-01-1901")):
        hit = client.get(reverse("guide_sessions"), {"zoek": known})
        miss = client.get(reverse("guide_sessions"), {"zoek": unknown})
        assert same_answer(hit, miss, known, unknown), (actor, known)
        for word in names(w, "C"):
            assert word not in shown(hit, known)


def test_the_team_s_pdf_leaves_out_a_member_whose_consent_was_withdrawn(w):
    """The coordinator records that the school's consent for the sister is withdrawn: the
    teacher's PDF of the plan is refused: the team sees a plan only with consent for every
    member, so the PDF never names a member without one."""
    from jeugdketen.access import actions as access
    from jeugdketen.access.models import Consent
    from tests.factories import professional_actor

    consent = Consent.objects.get(plan_id=w.ids["plan"], organisation_id=w.ids["school"],
                                  person_id=w.ids["S"])
    access.withdraw_consent(professional_actor(w.professionals["prof"]), consent.pk)
    before = w.web("teach").get(reverse("plan_pdf", args=[w.ids["plan"]]))
    # Today the whole plan is refused to the team member (consent for every member).
    assert before.status_code == 403
    assert "Ysolde" not in text(before)


@pytest.mark.parametrize("fmt", ["rights_report", "rights_report_pdf", "rights_report_json"])
def test_a_privacy_officer_of_another_municipality_gets_no_rights_report(w, fmt):
    from django.conf import settings

    from tests.factories import ProfessionalFactory

    other = ProfessionalFactory(organisation_id=w.ids["team_b"], roles=["privacy_officer"])
    client = Client(HTTP_USER_AGENT="attack")
    client.cookies[settings.SESSION_COOKIE_NAME] = _verified_session(other.user)
    real = client.get(reverse(fmt, args=[w.ids["C"]]))
    none = client.get(reverse(fmt, args=[uuid.uuid4()]))
    assert real.status_code == none.status_code == 403
    assert "Quintijn" not in text(real)
    own = w.web("priv").get(reverse(fmt, args=[w.ids["C"]]))
    assert own.status_code == 200


@pytest.mark.parametrize("actor", ["prof", "priv", "padm"])
def test_only_a_functional_admin_restores_a_built_in_aid(w, actor):
    from jeugdketen.guide import actions as guide
    from tests.factories import professional_actor

    fadm = professional_actor(w.professionals["fadm"])
    guide.activate_version(fadm, w.ids["aid_version"])
    w.web(actor).post(reverse("guide_admin_restore", args=["meldcode"]))
    w.web("fadm").get(reverse("guide_admin_restore", args=["meldcode"]))  # a GET: nothing
    assert AidVersion.objects.get(pk=w.ids["aid_version"]).active


def test_a_functional_admin_cannot_silence_privileged_accounts_through_their_organisation(w):
    """Switching off the municipality's own organisation would switch off the privacy
    officer's and the platform administrator's accounts with it; revoking their tokens
    one by one is refused like switching them off."""
    client = w.web("fadm")
    for key in ("priv", "padm"):
        holder = w.professionals[key]
        token = ApiToken.objects.filter(user=holder.user).latest("id")
        client.post(reverse("admin_revoke_token", args=[token.pk]))
        token.refresh_from_db()
        assert token.revoked_at is None, key
    client.post(reverse("admin_organisation_active", args=[w.ids["town"]]), {"active": "0"})
    for key in ("priv", "padm"):
        user = Professional.objects.select_related("user").get(pk=w.professionals[key].pk).user
        assert user.is_active, key


@pytest.mark.parametrize("role", ["privacy_officer", "functional_admin", "platform_admin"])
def test_a_functional_admin_cannot_switch_off_an_organisation_with_a_privileged_account(
        w, role):
    """Finding (high): a functional admin may not switch off a privileged account
    (set_professional_active refuses), but switching off the organisation it works for
    did exactly that: the account was switched off and its tokens revoked. Now refused as
    switching off the account itself; an organisation without one still can be."""
    from tests.factories import ProfessionalFactory

    holder = ProfessionalFactory(organisation_id=w.ids["school"], roles=[role])
    token = token_for(holder.user)
    client = w.web("fadm")
    client.post(reverse("admin_organisation_active", args=[w.ids["school"]]), {"active": "0"})
    holder.user.refresh_from_db()
    assert holder.user.is_active
    assert ApiToken.objects.get(user=holder.user).revoked_at is None
    assert Organisation.objects.get(pk=w.ids["school"]).active
    assert token


def test_a_functional_admin_switches_off_an_organisation_without_privileged_accounts(w):
    client = w.web("fadm")
    client.post(reverse("admin_organisation_active", args=[w.ids["school"]]), {"active": "0"})
    assert not Organisation.objects.get(pk=w.ids["school"]).active
    assert not Professional.objects.get(pk=w.ids["teach"]).user.is_active


def test_a_functional_admin_cannot_revoke_a_privileged_account_s_activation_code(w):
    from jeugdketen.access import actions as access
    from tests.factories import professional_actor

    holder = w.professionals["priv"]
    _raw, code = access.issue_activation_code(professional_actor(w.professionals["padm"]),
                                              holder.user)
    w.web("fadm").post(reverse("admin_revoke_code", args=[code.pk]))
    code.refresh_from_db()
    assert code.revoked_at is None
    w.web("padm").post(reverse("admin_revoke_code", args=[code.pk]))
    code.refresh_from_db()
    assert code.revoked_at is not None


@pytest.mark.parametrize("kind", ["veilig_thuis", "certified_institution", "youth_care_provider"])
def test_a_functional_admin_does_not_change_what_an_organisation_is(w, kind):
    """A school turned Veilig Thuis could record a legal basis for every child its staff
    entered and so join any family's plan: the form does not offer it, the action refuses
    it, and the platform administrator still can."""
    school = Organisation.objects.get(pk=w.ids["school"])
    form = {"save": "1", "org-name": school.name, "org-kind": kind,
            "org-municipality_code": school.municipality_id, "org-may_signal": "on",
            "org-may_coordinate": "on"}
    response = w.web("fadm").post(reverse("admin_organisation", args=[school.pk]), form)
    assert response.status_code == 422  # not a choice the form offers: named at the field
    school.refresh_from_db()
    assert school.kind != kind
    with pytest.raises(AccessDenied):
        registry_actions.update_organisation(
            professional_actor(w.professionals["fadm"]), school.pk, name=school.name, kind=kind,
            municipality_code=school.municipality_id, may_signal=True, may_coordinate=True)
    school.refresh_from_db()
    assert school.kind != kind
    registry_actions.update_organisation(
        professional_actor(w.professionals["padm"]), school.pk, name=school.name, kind=kind,
        municipality_code=school.municipality_id, may_signal=True, may_coordinate=True)
    school.refresh_from_db()
    assert school.kind == kind


@pytest.mark.parametrize(("kind", "allowed"), [("veilig_thuis", False),
                                               ("certified_institution", False),
                                               ("youth_care_provider", True), ("school", True)])
def test_a_functional_admin_sets_up_no_organisation_of_a_statutory_kind(w, kind, allowed):
    name = f"Nieuw {kind}"
    w.web("fadm").post(reverse("admin_organisations"), {
        "org-name": name, "org-kind": kind, "org-municipality_code": w.ids["municipality"]})
    assert Organisation.objects.filter(name=name).exists() is allowed
    if not allowed:
        with pytest.raises(AccessDenied):
            registry_actions.create_organisation(
                professional_actor(w.professionals["fadm"]), name=name, kind=kind,
                municipality_code=w.ids["municipality"])
