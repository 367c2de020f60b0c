"""The only functions that change (or read) decision-aid sessions.

complete_session checks the access policy, validates the answers against the aid, stores
the session in the professional's own organisation's record, appends the access-log
record and emits the chain event (slug, version and outcome only), in one transaction.
Reads are logged too.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from jeugdketen.access import audit
from jeugdketen.access.policy import Action, Actor, Data, Target, decide
from jeugdketen.chainlog.actions import emit
from jeugdketen.chainlog.vocabulary import Activity
from jeugdketen.core.errors import FieldError, Refusal
from jeugdketen.guide import engine, loader
from jeugdketen.guide.models import AidVersion, GuideSession
from jeugdketen.guide.schema import Aid
from jeugdketen.registry.models import Person


@dataclass
class Completed:
    session: GuideSession
    aid: Aid
    walk: engine.Walk

    def advice(self, language: str | None = None) -> dict[str, Any]:
        return engine.advice(self.aid, self.walk, language)


def aid_or_refuse(slug: str) -> Aid:
    aid = loader.in_use(slug)
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
        raise Refusal.invalid([FieldError("answers", "object", _(
            "Geef de antwoorden als een object: {vraag: antwoord}."))])
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
    return SessionPage([t.session for t in allowed if t.session is not None],
                       visible.distinct().count())


def advice_for(session: GuideSession, language: str | None = None) -> dict[str, Any] | None:
    """The advice for a stored session, from the aid's current file. None when the aid
    has changed since (another version) or is gone: the stored outcome still stands."""
    aid = loader.at_version(session.slug, session.version)
    if aid is None:
        return None
    walk = engine.walk(aid, session.answers)
    if walk.errors or walk.outcome is None or walk.outcome.id != session.outcome:
        return None
    return engine.advice(aid, walk, language)


# --- adapting the aids: versions uploaded by a functional administrator ---------------------


@dataclass
class Checked:
    """An uploaded text, checked: the aid, or the problems each with its line."""

    aid: Aid | None
    problems: list[tuple[int | None, Any]]


def check_upload(raw: bytes) -> Checked:
    """Validate an upload exactly as a file at start-up is validated (loader.read_bytes),
    with each problem's line in the text. Writes nothing."""
    aid, problems = loader.read_bytes(raw, "upload")
    text = raw.decode("utf-8", errors="replace")
    lined = [(loader.line_of(text, p), p) for p in problems]
    return Checked(aid, lined)



def _admin_target(object_id: str = "") -> Target:
    return Target(Data.DECISION_AID, object_id=object_id[:64])


@audit.write_path
def upload_version(actor: Actor, raw: bytes) -> AidVersion:
    """Store a valid version of an aid (not yet in use). Refused: an invalid text (422,
    with every problem and its line, `UploadInvalid`), a version number the aid already
    has (409)."""
    audit.authorize(actor, Action.CREATE, _admin_target())
    checked = check_upload(raw)
    if checked.aid is None:
        raise UploadInvalid(checked)
    aid = checked.aid
    builtin = loader.get(aid.slug)
    if (AidVersion.objects.filter(slug=aid.slug, version=aid.version).exists()
            or (builtin is not None and builtin.version == aid.version)):
        raise Refusal("version_exists", _(
            "Versie %(version)s van deze beslishulp bestaat al. Verhoog de versie in het "
            "bestand (version).") % {"version": aid.version}, status=409, field="version")
    assert actor.professional is not None
    try:
        with transaction.atomic():
            version = AidVersion.objects.create(
                slug=aid.slug, version=aid.version, source=raw.decode("utf-8"),
                uploaded_by=actor.professional)
    except IntegrityError:
        raise Refusal("version_exists", _("Deze versie bestaat al."), status=409,
                      field="version") from None
    emit(Activity.GUIDE_VERSION_UPLOADED, organisation_id=actor.professional.organisation_id,
         attributes={"slug": aid.slug, "version": aid.version})
    return version


class UploadInvalid(Refusal):
    """A refusal like any other (so the attempt is logged as refused), carrying every
    problem of the text with its line for the page."""

    def __init__(self, checked: Checked):
        super().__init__("aid_invalid", _("De beslishulp is niet geldig."), status=422,
                         field="file")
        self.checked = checked


@audit.write_path
def read_version(actor: Actor, version_id: Any) -> tuple[AidVersion, Aid]:
    """One uploaded version and its aid (for the preview). Unknown: 404."""
    audit.authorize(actor, Action.READ, _admin_target(str(version_id)))
    version = (AidVersion.objects.select_related("uploaded_by", "activated_by")
               .filter(pk=int(version_id)).first()
               if str(version_id).isdigit() else None)
    if version is None:
        raise Refusal("unknown_version", _("Deze versie bestaat niet."), status=404)
    aid, _problems = loader.read_bytes(version.source.encode("utf-8"), f"version {version.pk}",
                                       expected_slug=version.slug)
    if aid is None:
        raise Refusal("version_invalid", _(
            "Deze versie past niet meer bij het formaat van de beslishulpen."), status=409)
    return version, aid


@audit.write_path
def activate_version(actor: Actor, version_id: Any) -> AidVersion:
    """Put an uploaded version in use (professionals get it from their next step on); the
    version in use before is retired. Sessions keep the version they were answered with."""
    version, _aid = read_version(actor, version_id)
    audit.authorize(actor, Action.UPDATE, _admin_target(str(version.pk)))
    version = AidVersion.objects.select_for_update().get(pk=version.pk)
    if version.active:
        return version
    now = timezone.now()
    AidVersion.objects.filter(slug=version.slug, active=True).update(active=False,
                                                                      retired_at=now)
    version.active = True
    version.activated_by = actor.professional
    version.activated_at = now
    version.retired_at = None
    version.save(update_fields=["active", "activated_by", "activated_at", "retired_at"])
    emit(Activity.GUIDE_VERSION_ACTIVATED,
         organisation_id=actor.professional.organisation_id if actor.professional else None,
         attributes={"slug": version.slug, "version": version.version, "builtin": False})
    return version


@audit.write_path
def restore_builtin(actor: Actor, slug: str) -> Aid:
    """Take the built-in file's version of an aid back into use."""
    audit.authorize(actor, Action.UPDATE, _admin_target(slug))
    builtin = loader.get(slug)
    if builtin is None:
        raise Refusal("no_builtin", _("Deze beslishulp heeft geen ingebouwde versie."),
                      status=404, field="slug")
    retired = AidVersion.objects.select_for_update().filter(slug=slug, active=True).update(
        active=False, retired_at=timezone.now())
    if retired:
        emit(Activity.GUIDE_VERSION_ACTIVATED,
             organisation_id=actor.professional.organisation_id if actor.professional else None,
             attributes={"slug": slug, "version": builtin.version, "builtin": True})
    return builtin


@dataclass
class AidHistory:
    slug: str
    in_use: Aid | None
    builtin: Aid | None
    versions: list[AidVersion]


@audit.write_path
def aid_history(actor: Actor) -> list[AidHistory]:
    """Every aid: the version in use, the built-in one and the uploaded versions, newest
    first (who uploaded and activated them, when)."""
    audit.authorize(actor, Action.READ, _admin_target())
    versions = list(AidVersion.objects.select_related(
        "uploaded_by__organisation", "activated_by").order_by("slug", "-uploaded_at", "-id"))
    slugs = list(loader.catalogue().aids) + sorted(
        {v.slug for v in versions} - set(loader.catalogue().aids))
    return [AidHistory(slug, loader.in_use(slug), loader.get(slug),
                       [v for v in versions if v.slug == slug]) for slug in slugs]
