"""Every write to the reference index, sent several times at the same moment on PostgreSQL
(issue 8, finding 6): a change happens exactly once with exactly one chain event, the
others get a clear answer (409 naming the rule, or the policy's 403 where the change took
the ground away), never a 500; and two signals of one match ending at the same moment
close the match. Real threads with their own connections (tests/parallel.py).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from jeugdketen.access.actions import system_actor
from jeugdketen.referral_index import actions
from jeugdketen.referral_index.models import Match, Message, RightsRequest, Signal
from jeugdketen.registry.models import Registration
from tests import factories as f
from tests.parallel import N, events, one_wins, post_at_once, statuses
from tests.registry.test_concurrency_pg import committed, in_threads, pg  # noqa: F401 - fixtures

pytestmark = pytest.mark.postgres

ROUNDS = 5


def youth(age: int = 10):
    return f.PersonFactory(birth_date=f.birth_date_for_age(age))


def signaller(municipality=None, *, may_coordinate: bool = True):
    org = f.OrganisationFactory(may_signal=True, may_coordinate=may_coordinate,
                                **({"municipality": municipality} if municipality else {}))
    return f.ProfessionalFactory(organisation=org, roles=["professional"])


def signal(prof, person) -> Signal:
    Registration.objects.get_or_create(person=person, professional=prof,
                                       defaults={"organisation": prof.organisation})
    return actions.register_signal(f.professional_actor(prof), person.pk).signal


def matched(*profs, person=None) -> tuple[Match, list[Signal]]:
    """A client match: each professional's organisation signals the same youth."""
    person = person or youth()
    signals = [signal(p, person) for p in profs]
    return Match.objects.get(signals=signals[0]), signals


def test_a_signal_is_registered_once(committed):  # noqa: F811
    prof, kid = signaller(), youth()
    Registration.objects.create(person=kid, professional=prof, organisation=prof.organisation)

    results = post_at_once(prof, "/signals", {"person_id": str(kid.pk)})

    one_wins(results, 201, 409, "active_signal_exists")
    assert Signal.objects.filter(person=kid).count() == 1
    assert events("signal.registered") == 1


def test_a_signal_is_withdrawn_once(committed):  # noqa: F811
    prof = signaller()
    own = signal(prof, youth())

    results = post_at_once(prof, f"/signals/{own.pk}/withdraw", {"reason": "risk_gone"})

    # Withdrawn, the signal is no longer the organisation's to change: the policy refuses.
    one_wins(results, 200, 403)
    assert events("signal.withdrawn") == 1


def test_a_signal_is_extended_once(committed):  # noqa: F811
    prof = signaller()
    own = signal(prof, youth())

    results = post_at_once(prof, f"/signals/{own.pk}/extend", {"duration_days": 365})

    # Asking for the duration it already has changes nothing: the same answer, no event.
    assert statuses(results) == [200] * N
    assert {body["duration_days"] for _s, body in results} == {365}
    assert events("signal.extended") == 1


def test_two_signals_of_a_match_ending_together_close_it(committed):  # noqa: F811
    """Three siblings signalled by three organisations: one family match. Two withdraw at
    the same moment. Each used to count the other's signal as still active (neither had
    committed), so the match stayed open with one signal left."""
    for _ in range(ROUNDS):
        profs = [signaller() for _ in range(3)]
        kids = [youth(age) for age in (6, 9, 12)]
        f.make_household(parents=[youth(41)], children=kids)
        signals = [signal(prof, kid) for prof, kid in zip(profs, kids, strict=True)]
        match = Match.objects.get(kind="family", signals=signals[0])
        assert match.signals.count() == 3

        in_threads(2, lambda i, profs=profs, signals=signals: actions.withdraw_signal(
            f.professional_actor(profs[i]), signals[i].pk, reason="risk_gone"))

        match.refresh_from_db()
        assert match.status == "closed"
        assert Signal.objects.filter(pk=signals[2].pk, status="active").exists()


def _open_matches_hold_two_live_signals() -> None:
    for match in Match.objects.exclude(status="closed"):
        assert match.signals.filter(status="active").count() >= 2, match


def test_a_registration_and_a_withdrawal_at_once_leave_no_match_half_open(committed):  # noqa: F811
    """One organisation withdraws while another registers a signal that matches it. On the
    same youth this could deadlock (a 500); on a sibling the match could close with two live
    signals in it, or stay open with one."""
    for _ in range(ROUNDS):
        # The same youth, no match yet: either the registration sees the withdrawal (no
        # match), or the withdrawal closes the match the registration made.
        leaving, arriving = signaller(), signaller()
        kid = youth()
        own = signal(leaving, kid)
        Registration.objects.create(person=kid, professional=arriving,
                                    organisation=arriving.organisation)
        work = [lambda: actions.withdraw_signal(f.professional_actor(leaving), own.pk,
                                                reason="risk_gone"),
                lambda: actions.register_signal(f.professional_actor(arriving), kid.pk)]
        in_threads(2, lambda i, work=work: work[i]())
        assert not Match.objects.filter(signals__person=kid).exclude(status="closed").exists()

        # Siblings in a family match; a third sibling's signal arrives as one leaves: the
        # two live signals end up together in an open match.
        profs = [signaller() for _ in range(3)]
        kids = [youth(age) for age in (6, 9, 12)]
        f.make_household(parents=[youth(41)], children=kids)
        first = [signal(prof, kid) for prof, kid in zip(profs[:2], kids[:2], strict=True)]
        Registration.objects.create(person=kids[2], professional=profs[2],
                                    organisation=profs[2].organisation)
        work = [lambda first=first, profs=profs: actions.withdraw_signal(
                    f.professional_actor(profs[0]), first[0].pk, reason="risk_gone"),
                lambda profs=profs, kids=kids: actions.register_signal(
                    f.professional_actor(profs[2]), kids[2].pk)]
        in_threads(2, lambda i, work=work: work[i]())
        live = set(Signal.objects.filter(person__in=kids, status="active"))
        assert len(live) == 2
        together = Match.objects.filter(kind="family", signals__person__in=kids).exclude(
            status="closed").distinct()
        assert together.count() == 1
        assert live <= set(together.get().signals.all())
        _open_matches_hold_two_live_signals()


def test_a_registration_during_the_retention_run_leaves_no_match_half_open(committed):  # noqa: F811
    """Retention ends a sibling's expired signal (closing its match) while a third
    sibling's signal arrives and joins that match: the two live signals end up together
    in an open match (the match is locked; a closed one is not joined)."""
    for _ in range(ROUNDS):
        profs = [signaller() for _ in range(3)]
        kids = [youth(age) for age in (6, 9, 12)]
        f.make_household(parents=[youth(41)], children=kids)
        first = [signal(prof, kid) for prof, kid in zip(profs[:2], kids[:2], strict=True)]
        Signal.objects.filter(pk=first[0].pk).update(expires_on=timezone.localdate())
        Registration.objects.create(person=kids[2], professional=profs[2],
                                    organisation=profs[2].organisation)
        work = [lambda: actions.apply_retention(system_actor("jeugdketen retention"),
                                                actions.retention_plan(timezone.localdate())),
                lambda profs=profs, kids=kids: actions.register_signal(
                    f.professional_actor(profs[2]), kids[2].pk)]
        in_threads(2, lambda i, work=work: work[i]())
        live = set(Signal.objects.filter(person__in=kids, status="active"))
        assert len(live) == 2
        together = Match.objects.filter(kind="family", signals__person__in=kids).exclude(
            status="closed").distinct()
        assert together.count() == 1
        assert live <= set(together.get().signals.all())
        _open_matches_hold_two_live_signals()


def test_a_coordinator_is_proposed_once(committed):  # noqa: F811
    team, school = signaller(), signaller(may_coordinate=False)
    match, _signals = matched(school, team)
    Message.objects.all().delete()

    results = post_at_once(team, f"/matches/{match.pk}/coordinator",
                           {"professional_id": team.pk})

    one_wins(results, 200, 409, "already_proposed")
    assert events("coordinator.proposed") == 1
    assert Message.objects.filter(match=match).count() == 2  # each involved told once


def test_a_coordinator_is_agreed_once(committed):  # noqa: F811
    team, school = signaller(), signaller(may_coordinate=False)
    match, _signals = matched(school, team)
    actions.propose_coordinator(f.professional_actor(team), match.pk, team.pk)

    results = post_at_once(school, f"/matches/{match.pk}/coordinator/accept",
                           {"signals_aligned": True})

    one_wins(results, 200, 409, "already_coordinated")
    assert events("coordinator.agreed") == 1


def _overdue(match: Match):
    """The match past its term, and the coordinator of the municipality it belongs to."""
    municipality = match.municipality or f.MunicipalityFactory()
    Match.objects.filter(pk=match.pk).update(
        municipality=municipality, coordinator_due=timezone.localdate() - timedelta(days=1))
    town_hall = f.OrganisationFactory(kind="municipality", may_signal=False,
                                      municipality=municipality)
    return f.ProfessionalFactory(organisation=town_hall, roles=["coordinator"])


def test_an_overdue_match_is_alerted_once(committed):  # noqa: F811
    match, _signals = matched(signaller(), signaller())
    municipal = _overdue(match)

    alerted = in_threads(4, lambda _i: actions.alert_overdue())

    assert sorted(alerted) == [0, 0, 0, 1]
    assert events("coordinator.overdue") == 1
    assert Message.objects.filter(recipient=municipal).count() == 1


def test_an_overdue_match_gets_one_appointed_coordinator(committed):  # noqa: F811
    team, school = signaller(), signaller(may_coordinate=False)
    match, _signals = matched(school, team)
    municipal = _overdue(match)

    results = post_at_once(municipal, f"/matches/{match.pk}/coordinator/appoint",
                           {"professional_id": team.pk})

    # Once appointed, the match is no longer overdue: no more ground for the municipality.
    one_wins(results, 200, 403)
    assert events("coordinator.appointed") == 1


def test_a_message_is_read_once(committed):  # noqa: F811
    match, _signals = matched(signaller(), prof := signaller())
    message = Message.objects.get(recipient=prof, match=match)

    in_threads(N, lambda _i: actions.mark_read(prof, message.pk))

    message.refresh_from_db()
    first = message.read_at
    assert first is not None
    actions.mark_read(prof, message.pk)
    message.refresh_from_db()
    assert message.read_at == first  # the first reading stands


def test_parallel_retention_runs_end_and_archive_each_signal_once(committed):  # noqa: F811
    prof = signaller()
    expired = [signal(prof, youth()) for _ in range(3)]
    Signal.objects.filter(pk__in=[s.pk for s in expired]).update(
        expires_on=timezone.localdate())

    summaries = in_threads(4, lambda _i: actions.apply_retention(
        system_actor("jeugdketen retention"), actions.retention_plan(timezone.localdate())))

    assert sum(s["ended"] for s in summaries) == 3
    assert sum(s["archived"] for s in summaries) == 3
    assert events("signal.ended") == 3 and events("signal.archived") == 3
    assert set(Signal.objects.values_list("status", flat=True)) == {"archived"}


def test_a_rights_request_is_answered_once(committed):  # noqa: F811
    prof = signaller()
    kid = youth()
    signal(prof, kid)
    officer = f.ProfessionalFactory(roles=["privacy_officer"], organisation=f.OrganisationFactory(
        kind="municipality", may_signal=False, municipality=prof.organisation.municipality))
    assert statuses(post_at_once(officer, f"/persons/{kid.pk}/rights-requests", {
        "kind": "inspection", "requested_by": "moeder"})) == [201] * N  # each one kept
    assert events("rights.received") == N
    request = RightsRequest.objects.filter(person=kid).first()

    results = post_at_once(officer, f"/rights-requests/{request.pk}/answer",
                           {"granted": True, "outcome": "Inzage gegeven."})

    one_wins(results, 200, 409, "already_answered")
    assert events("rights.answered") == 1
