"""The write path of the decision aids: the policy decides (own organisation allowed, any
other denied and logged), the answers stay in the organisation's own record, and the
chain event log learns the outcome only."""

from __future__ import annotations

import json

import pytest

from jeugdketen.access.audit import AccessDenied
from jeugdketen.access.models import AccessLogRecord
from jeugdketen.chainlog.models import ChainEvent
from jeugdketen.core.errors import Refusal
from jeugdketen.guide import actions, loader
from jeugdketen.guide.models import GuideSession
from tests import factories as f

from .conftest import GOOD_MELDCODE, register

SIGNAL = {"health": ["unexplained_injuries", "addiction"], "social": ["crime_victim"],
          "real_threat": "yes"}


def last_log_id() -> int:
    return AccessLogRecord.objects.order_by("-id").values_list("id", flat=True).first() or 0


def logs_since(since: int, **filters) -> list[AccessLogRecord]:
    return list(AccessLogRecord.objects.filter(id__gt=since, **filters).order_by("id"))


@pytest.fixture
def actor(professional):
    return f.professional_actor(professional)


def test_a_completed_session_is_stored_in_the_own_organisation(actor, professional, youth):
    done = actions.complete_session(actor, "meldrichtlijn", SIGNAL, youth.pk)
    session = GuideSession.objects.get(pk=done.session.pk)
    assert session.organisation_id == professional.organisation_id
    assert session.professional_id == professional.pk
    assert session.person_id == youth.pk
    assert (session.slug, session.version) == ("meldrichtlijn", loader.get("meldrichtlijn").version)
    assert session.outcome == "signal_warranted"
    assert session.answers["health"] == ["unexplained_injuries", "addiction"]
    assert session.answers["material"] == []  # a life area left out: nothing ticked
    assert session.statutory_risks == ["a", "b", "k"]
    assert done.advice("nl")["next"] == "register_signal"


def test_completing_writes_one_access_log_record_naming_the_client(actor, youth):
    since = last_log_id()
    done = actions.complete_session(actor, "meldcode", GOOD_MELDCODE, youth.pk)
    records = logs_since(since)
    assert [(r.action, r.data, r.outcome, r.ground) for r in records] == [
        ("create", "guide_session", "allowed", "own_organisation")]
    assert records[0].client_id == str(youth.pk)
    assert records[0].object_id == str(done.session.pk)


def test_the_chain_event_carries_the_outcome_and_never_the_answers(actor, youth):
    before = set(ChainEvent.objects.values_list("id", flat=True))
    actions.complete_session(actor, "meldrichtlijn", SIGNAL, youth.pk)
    actions.complete_session(actor, "meldcode", GOOD_MELDCODE)
    events = list(ChainEvent.objects.exclude(id__in=before).order_by("id"))
    assert [e.activity for e in events] == ["guide.completed", "guide.completed"]
    version = loader.get("meldrichtlijn").version
    assert events[0].attributes == {"slug": "meldrichtlijn", "version": version,
                                    "outcome": "signal_warranted"}
    assert events[1].attributes["outcome"] == "organise_help_and_monitor"
    # No answer, question id or risk in any event, and no person key either.
    text = json.dumps([{**e.attributes, "person_key": e.person_key} for e in events])
    for word in ("unexplained_injuries", "addiction", "crime_victim", "real_threat",
                 "map_signals", "lasting_safety", "statutory", str(youth.pseudonym)):
        assert word not in text
    assert all(e.person_key == "" for e in events)
    assert events[0].neighbourhood_code == youth.neighbourhood_id


def test_invalid_answers_store_nothing_and_name_the_question(actor, youth):
    since = last_log_id()
    events = ChainEvent.objects.count()
    with pytest.raises(Refusal) as caught:
        actions.complete_session(actor, "meldcode", {"suspicion": "yes", "unsafe": "perhaps"},
                                 youth.pk)
    assert next(e.rule for e in caught.value.errors if e.field == "answers.unsafe") == "yes_or_no"
    assert not GuideSession.objects.exists()
    assert ChainEvent.objects.count() == events
    assert logs_since(since) == []


def test_an_unknown_aid_is_refused_with_404(actor):
    with pytest.raises(Refusal) as caught:
        actions.complete_session(actor, "bestaat-niet", {})
    assert (caught.value.status, caught.value.rule) == (404, "unknown_guide")


def test_another_organisation_cannot_read_the_session_and_the_attempt_is_logged(
        actor, outsider, youth):
    session = actions.complete_session(actor, "meldcode", GOOD_MELDCODE, youth.pk).session
    since = last_log_id()
    with pytest.raises(AccessDenied):
        actions.read_session(f.professional_actor(outsider), session.pk)
    denied = logs_since(since)
    assert [(r.action, r.data, r.outcome, r.username) for r in denied] == [
        ("read", "guide_session", "denied", outsider.user.username)]
    assert denied[0].client_id == str(youth.pk)
    assert denied[0].object_id == str(session.pk)


def test_the_own_organisation_reads_the_session_and_the_read_is_logged(actor, youth):
    session = actions.complete_session(actor, "meldcode", GOOD_MELDCODE, youth.pk).session
    since = last_log_id()
    assert actions.read_session(actor, session.pk).pk == session.pk
    assert [(r.action, r.outcome, r.ground, r.client_id) for r in logs_since(since)] == [
        ("read", "allowed", "own_organisation", str(youth.pk))]


def test_a_colleague_reads_a_session_without_a_person(actor, make_professional):
    session = actions.complete_session(actor, "meldcode", GOOD_MELDCODE).session
    colleague = f.professional_actor(make_professional("coordinator"))
    assert actions.read_session(colleague, session.pk).pk == session.pk


def test_a_colleague_without_a_ground_for_the_person_is_denied(actor, youth, make_professional):
    session = actions.complete_session(actor, "meldcode", GOOD_MELDCODE, youth.pk).session
    colleague = f.professional_actor(make_professional("professional"))
    since = last_log_id()
    with pytest.raises(AccessDenied):
        actions.read_session(colleague, session.pk)
    assert [r.outcome for r in logs_since(since)] == ["denied"]


def test_an_aid_about_a_person_the_professional_did_not_register_is_denied_and_logged(
        outsider, youth):
    since = last_log_id()
    with pytest.raises(AccessDenied):
        actions.complete_session(f.professional_actor(outsider), "meldrichtlijn", SIGNAL,
                                 youth.pk)
    assert not GuideSession.objects.exists()
    denied = logs_since(since)
    assert [(r.action, r.data, r.outcome, r.client_id) for r in denied] == [
        ("create", "guide_session", "denied", str(youth.pk))]


def test_an_unknown_person_is_denied_like_a_forbidden_one(actor):
    since = last_log_id()
    with pytest.raises(AccessDenied):
        actions.complete_session(actor, "meldcode", GOOD_MELDCODE,
                                 "00000000-0000-4000-8000-000000000000")
    assert [r.outcome for r in logs_since(since)] == ["denied"]


@pytest.mark.parametrize("role", ["privacy_officer", "municipal_analyst", "functional_admin"])
def test_roles_without_care_cannot_complete_an_aid(make_professional, role):
    since = last_log_id()
    with pytest.raises(AccessDenied):
        actions.complete_session(f.professional_actor(make_professional(role)), "meldcode",
                                 GOOD_MELDCODE)
    assert [(r.data, r.outcome) for r in logs_since(since)] == [("guide_session", "denied")]


def test_the_list_holds_only_the_own_organisations_visible_sessions_and_logs_each(
        actor, professional, outsider, youth):
    mine = actions.complete_session(actor, "meldrichtlijn", SIGNAL, youth.pk).session
    general = actions.complete_session(actor, "meldcode", GOOD_MELDCODE).session
    own_youth = register(outsider)
    theirs = actions.complete_session(f.professional_actor(outsider), "meldcode",
                                      GOOD_MELDCODE, own_youth.pk).session
    since = last_log_id()
    page = actions.list_sessions(actor)
    assert [s.pk for s in page.sessions] == [general.pk, mine.pk]
    assert page.total == 2
    logged = logs_since(since)
    assert sorted(r.object_id for r in logged) == sorted([str(mine.pk), str(general.pk)])
    assert all(r.action == "read" and r.outcome == "allowed" for r in logged)
    assert theirs.pk not in [s.pk for s in actions.list_sessions(
        f.professional_actor(professional)).sessions]
    assert [s.pk for s in actions.list_sessions(f.professional_actor(outsider)).sessions] == [
        theirs.pk]


def test_the_advice_of_a_stored_session_is_given_again_while_the_version_matches(actor, youth):
    session = actions.complete_session(actor, "meldrichtlijn", SIGNAL, youth.pk).session
    assert actions.advice_for(session, "en")["title"].startswith("Advice: register a signal")
    session.version = "1999.1"
    assert actions.advice_for(session, "en") is None

