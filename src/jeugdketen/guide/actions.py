"""The only functions that change (or read) decision-aid sessions.

complete_session checks the access policy, validates the answers against the aid, stores
the session in the professional's own organisation's record, appends the access-log
record and emits the chain event (slug, version and outcome only), in one transaction.
Reads are logged too.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from jeugdketen.access import audit
from jeugdketen.access.policy import Action, Actor, Data, Target, decide
from jeugdketen.chainlog.actions import emit
from jeugdketen.chainlog.vocabulary import Activity
from jeugdketen.guide import engine, loader
from jeugdketen.guide.models import GuideSession
from jeugdketen.guide.schema import Aid
from jeugdketen.registry.models import Person
from jeugdketen.rules import Refusal


@dataclass
class Completed:
    session: GuideSession
    aid: Aid
    walk: engine.Walk

    def advice(self, language: str | None = None) -> dict[str, Any]:
        return engine.advice(self.aid, self.walk, language)


def aid_or_refuse(slug: str) -> Aid:
    aid = loader.get(slug)
    if aid is None:
        raise Refusal("unknown_guide", _("Deze beslishulp bestaat niet."), status=404,
                      field="slug")
    return aid


def _person(actor: Actor, action: Action, person_id: Any) -> Person:
    """The person a session is about. Unknown and forbidden look the same from outside."""
    return audit.get_or_deny(actor, action, Data.GUIDE_SESSION, Person.objects, person_id,
                             "person")


@audit.write_path
def may_start(actor: Actor, person_id: Any = None) -> Person | None:
    """May this actor fill in a decision aid (about this person)? A denied attempt is
    logged. Writes nothing else: the step-by-step form asks this before the first step."""
    person = _person(actor, Action.CREATE, person_id) if person_id not in (None, "") else None
    target = Target(Data.GUIDE_SESSION, person=person)
    decision = decide(actor, Action.CREATE, target)
    if not decision.allowed:
        raise audit.AccessDenied(actor, Action.CREATE, target, decision)
    return person


@audit.write_path
def complete_session(actor: Actor, slug: str, answers: dict[str, Any],
                     person_id: Any = None) -> Completed:
    aid = aid_or_refuse(slug)
    person = _person(actor, Action.CREATE, person_id) if person_id not in (None, "") else None
    target = Target(Data.GUIDE_SESSION, person=person)
    decision = decide(actor, Action.CREATE, target)
    if not decision.allowed:
        raise audit.AccessDenied(actor, Action.CREATE, target, decision)
    if not isinstance(answers, dict):
        raise ValidationError({"answers": [ValidationError(
            _("Geef de antwoorden als een object: {vraag: antwoord}."), code="object")]})
    walk = engine.complete(aid, answers)
    assert walk.outcome is not None and actor.professional is not None
    session = GuideSession.objects.create(
        organisation_id=actor.professional.organisation_id,
        professional=actor.professional,
        person=person,
        slug=aid.slug,
        version=aid.version,
        answers=walk.answers,
        outcome=walk.outcome.id,
        statutory_risks=sorted(walk.risk_codes),
    )
    logged = replace(target, object_id=str(session.pk), record=session)
    audit.append([audit.entry(actor, Action.CREATE, logged, decision)])
    # Outcome only: no answers, and no person key (the answers stay in the organisation's
    # own record; the neighbourhood is enough for the KPIs).
    emit(Activity.GUIDE_COMPLETED,
         organisation_id=actor.professional.organisation_id,
         neighbourhood_code=(person.neighbourhood_id or "") if person is not None else "",
         attributes={"slug": aid.slug, "version": aid.version, "outcome": walk.outcome.id})
    return Completed(session, aid, walk)


def _target(session: GuideSession) -> Target:
    return Target(Data.GUIDE_SESSION, person=session.person, object_id=str(session.pk),
                  record=session)


def _sessions() -> QuerySet[GuideSession]:
    return GuideSession.objects.select_related("person", "professional", "organisation")


@audit.write_path
def read_session(actor: Actor, session_id: Any, *, action: Action = Action.READ) -> GuideSession:
    session = audit.get_or_deny(actor, action, Data.GUIDE_SESSION, _sessions(), session_id,
                                "decision-aid session")
    audit.authorize(actor, action, _target(session))
    return session


@dataclass
class SessionPage:
    sessions: list[GuideSession]
    total: int


def _visible(actor: Actor) -> QuerySet[GuideSession]:
    """The organisation's sessions the policy lets this professional see: those without a
    person, and those about a person the professional registered."""
    assert actor.professional is not None
    return _sessions().filter(organisation_id=actor.professional.organisation_id).filter(
        Q(person__isnull=True) | Q(person__registrations__professional=actor.professional))


@audit.write_path
def list_sessions(actor: Actor, *, limit: int = 25, offset: int = 0,
                  where: Any = None) -> SessionPage:
    """The professional's organisation's sessions, newest first (narrowed by a search
    `where`, a Q on the session). Listing counts as reading each one listed: every one is
    in the access log."""
    if actor.professional is None:
        return SessionPage([], 0)
    audit_target = Target(Data.GUIDE_SESSION)
    decision = decide(actor, Action.READ, audit_target)
    if not decision.allowed:
        raise audit.AccessDenied(actor, Action.READ, audit_target, decision)
    visible = _visible(actor)
    if where is not None:
        visible = visible.filter(where)
    page = list(visible.distinct()[offset: offset + limit])
    for session in page:  # the person's ground is known from the query: no query per row
        if session.person is not None:
            session.person.jk_registered = True  # type: ignore[attr-defined]
            session.person.jk_registered_for = actor.professional.pk  # type: ignore[attr-defined]
    allowed = audit.authorize_many(actor, Action.READ, [_target(s) for s in page])
    return SessionPage([t.record for t in allowed], visible.distinct().count())


def advice_for(session: GuideSession, language: str | None = None) -> dict[str, Any] | None:
    """The advice for a stored session, from the aid's current file. None when the aid
    has changed since (another version) or is gone: the stored outcome still stands."""
    aid = loader.get(session.slug)
    if aid is None or aid.version != session.version:
        return None
    walk = engine.walk(aid, session.answers)
    if walk.errors or walk.outcome is None or walk.outcome.id != session.outcome:
        return None
    return engine.advice(aid, walk, language)
