"""The only functions that change access data: API tokens, activation codes and the
enrolment of authenticator apps, break-the-glass reviews, consent and legal bases; and the
logged reads of the access log itself (reading the log is logged too)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from jeugdketen.access import audit
from jeugdketen.access.models import (
    AccessLogRecord,
    ActivationCode,
    ApiToken,
    BreakGlassReview,
    Consent,
    DataCategory,
    LegalBasis,
    LegalBasisKind,
    User,
    hash_token,
)
from jeugdketen.access.policy import (
    AccessPoint,
    Action,
    Actor,
    Data,
    Decision,
    Ground,
    Target,
    decide,
    has_person_ground,
    may_hold,
)
from jeugdketen.chainlog.actions import emit, moment
from jeugdketen.chainlog.vocabulary import Activity
from jeugdketen.core.errors import Refusal


def actor_for_user(user: User, access_point: AccessPoint | None = None,
                   emergency_reason: str = "") -> Actor:
    """The actor a logged-in user (or token holder) acts as."""
    from jeugdketen.registry.models import Professional

    professional = None
    if user.is_authenticated:
        if "professional" in user._state.fields_cache:  # loaded with the token (one query)
            professional = user._state.fields_cache["professional"]
        else:
            professional = (Professional.objects.select_related("organisation")
                            .filter(user=user).first())
    person = user.person if getattr(user, "person_id", None) else None
    return Actor(user=user, professional=professional, person=person,
                 access_point=access_point or AccessPoint(), emergency_reason=emergency_reason)


def system_actor(command: str) -> Actor:
    return Actor(access_point=AccessPoint(channel="command", user_agent=command), operator=True)


@audit.write_path
def issue_token(actor: Actor, user: User, *, days: int | None = None) -> str:
    """A fresh API token for `user`; the raw value is returned once and stored hashed."""
    if actor.user is None or actor.user.pk != user.pk:
        audit.authorize(actor, Action.UPDATE, Target(Data.PROFESSIONAL, object_id=str(user.pk)))
    return create_token(user, days=days)


def _inside_an_action(what: str) -> None:
    if not audit.in_action():
        raise RuntimeError(f"{what} runs inside an action, on that action's decision")


def create_token(user: User, *, days: int | None = None) -> str:
    """A fresh API token for `user`, on the decision of the action that calls this (e.g.
    registry's create_professional, which issues the first token with the account), in its
    transaction; it writes no log record of its own. The raw value is returned once and
    stored hashed."""
    _inside_an_action("create_token")
    raw = ApiToken.generate()
    ApiToken.objects.create(
        user=user, prefix=raw[3:11], digest=hash_token(raw),
        expires_at=timezone.now() + timedelta(days=days or settings.API_TOKEN_DAYS),
    )
    return raw


def revoke_credentials(users: User | QuerySet[User], *, at: datetime) -> None:
    """Revoke every API token and every open activation code of these users (one account,
    or the accounts of an organisation), as of `at`, on the decision of the action that
    calls this (switching an account or an organisation off), in its transaction; it writes
    no log record and no chain event of its own."""
    _inside_an_action("revoke_credentials")
    of = Q(user=users) if isinstance(users, User) else Q(user__in=users)
    ApiToken.objects.filter(of, revoked_at__isnull=True).update(revoked_at=at)
    ActivationCode.objects.filter(of, used_at__isnull=True,
                                  revoked_at__isnull=True).update(revoked_at=at)


@audit.write_path
def revoke_token(actor: Actor, token_id: int) -> ApiToken:
    """The holder revokes their own token; an administrator one of an account they manage
    (the administration rules: a functional administrator within their own municipality,
    never of a privileged account)."""
    token: ApiToken = audit.get_or_deny(
        actor, Action.UPDATE, Data.PROFESSIONAL,
        ApiToken.objects.select_for_update(of=("self",)).select_related("user"),
        token_id, "API token")
    by = "self"
    record, professional = _account_record(token.user)
    if actor.user is None or actor.user.pk != token.user_id:
        by = audit.authorize(actor, Action.UPDATE, Target(
            Data.PROFESSIONAL, object_id=str(token.user_id), record=record)).role
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        emit(Activity.API_TOKEN_REVOKED,
             organisation_id=professional.organisation_id if professional is not None else None,
             attributes={"by": by})
    return token


TOKEN_SQL = """
SELECT t.id, u.id, u.username, u.is_active, u.is_superuser, u.is_staff, u.person_id,
       p.id, p.full_name, p.email, p.phone, p.roles, p.organisation_id,
       o.name, o.kind, o.municipality_id, o.may_signal, o.may_coordinate
FROM access_apitoken t
JOIN access_user u ON u.id = t.user_id
LEFT JOIN registry_professional p ON p.user_id = u.id
LEFT JOIN registry_organisation o ON o.id = p.organisation_id
WHERE t.digest = %s AND t.revoked_at IS NULL AND t.expires_at > %s
"""


def _from_row(model: Any, db: str, values: dict[str, Any]) -> Any:
    """A model instance from some of its columns (from_db wants them in field order); the
    other fields load on demand."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname in values]
    return model.from_db(db, names, [values[n] for n in names])


def user_for_token(raw: str) -> tuple[User, ApiToken] | None:
    """The active token's user (with professional and organisation), or None (unknown,
    revoked, expired, inactive). Runs on every API request: one raw query, no ORM
    query building; the objects are made with from_db, other fields load on demand."""
    import json

    from django.db import connection

    from jeugdketen.registry.models import Organisation, Professional

    if not raw.startswith(ApiToken.PREFIX):
        return None
    with connection.cursor() as cursor:
        cursor.execute(TOKEN_SQL, [hash_token(raw), timezone.now()])
        row = cursor.fetchone()
    if row is None or not row[3]:
        return None
    db = connection.alias
    token = _from_row(ApiToken, db, {"id": row[0], "user_id": row[1]})
    user = _from_row(User, db, {"id": row[1], "username": row[2], "is_active": bool(row[3]),
                                "is_superuser": bool(row[4]), "is_staff": bool(row[5]),
                                "person_id": row[6]})
    professional = None
    if row[7] is not None:
        roles = json.loads(row[11]) if isinstance(row[11], str) else row[11]
        professional = _from_row(Professional, db, {
            "id": row[7], "user_id": row[1], "full_name": row[8], "email": row[9],
            "phone": row[10], "roles": roles, "organisation_id": row[12]})
        organisation = _from_row(Organisation, db, {
            "id": row[12], "name": row[13], "kind": row[14], "municipality_id": row[15],
            "may_signal": bool(row[16]), "may_coordinate": bool(row[17])})
        professional._state.fields_cache["organisation"] = organisation
        professional._state.fields_cache["user"] = user
    user._state.fields_cache["professional"] = professional
    token._state.fields_cache["user"] = user
    return user, token


def _period(qs: QuerySet[AccessLogRecord], start: date | None,
            end: date | None) -> QuerySet[AccessLogRecord]:
    tz = timezone.get_current_timezone()
    # Dates outside the years the platform can hold data for mean "no bound".
    start = start if start and 1900 <= start.year <= 2200 else None
    end = end if end and 1900 <= end.year <= 2200 else None
    if start:
        qs = qs.filter(at__gte=datetime.combine(start, time.min, tzinfo=tz))
    if end:
        qs = qs.filter(at__lt=datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz))
    return qs


@audit.write_path
def read_access_log(
    actor: Actor, person_id: Any, *, start: date | None = None, end: date | None = None,
    limit: int = 500, action: Action = Action.READ,
) -> list[AccessLogRecord]:
    """The NEN 7513 records about one person, newest first. Reading them is logged."""
    from jeugdketen.registry.models import Person

    person = audit.get_or_deny(actor, action, Data.ACCESS_LOG, Person.objects, person_id, "person")
    target = Target(Data.ACCESS_LOG, person=person)
    decision = audit.authorize(actor, action, target)
    qs = _period(AccessLogRecord.objects.filter(client_id=str(person.pk)), start, end)
    if decision.ground in ("self", "parent"):
        # A professional's decision-aid weighing (e.g. the Meldcode on child abuse) is not
        # shown to the family: it could warn a parent who is the risk (AVG art. 23).
        qs = qs.exclude(object_type="guide_session")
    return list(qs.order_by("-at", "-id")[:limit])


ACCESS_LOG_PAGE = 50


@dataclass
class AccessLogPage:
    """One page of a person's access overview, with what its filters can offer."""

    records: list[AccessLogRecord]
    number: int
    pages: int
    total: int
    organisations: list[tuple[int, str]]


@audit.write_path
def access_log_page(
    actor: Actor, person_id: Any, *, start: date | None = None, end: date | None = None,
    organisation_id: int | None = None, hide_family: bool = False, page: int = 1,
    per_page: int = ACCESS_LOG_PAGE,
) -> AccessLogPage:
    """One page (newest first) of the NEN 7513 records about one person, filtered by
    period and organisation, optionally without the family's own views (records by a
    citizen). The organisations offered as filter are those in the person's records.
    Reading it is logged, like read_access_log. Three queries, whatever the page."""
    from jeugdketen.registry.models import Person

    person = audit.get_or_deny(actor, Action.READ, Data.ACCESS_LOG, Person.objects, person_id,
                               "person")
    decision = audit.authorize(actor, Action.READ, Target(Data.ACCESS_LOG, person=person))
    base = AccessLogRecord.objects.filter(client_id=str(person.pk))
    if decision.ground in (Ground.SELF, Ground.PARENT):
        # As in read_access_log: a professional's decision-aid weighing is not shown to the
        # family (AVG art. 23).
        base = base.exclude(object_type="guide_session")
    qs = _period(base, start, end)
    if organisation_id is not None:
        qs = qs.filter(organisation_id=organisation_id)
    if hide_family:
        qs = qs.exclude(role="citizen")
    total = qs.count()
    pages = max(1, -(-total // per_page))
    number = min(max(1, page), pages)
    records = list(qs.order_by("-at", "-id")[(number - 1) * per_page:number * per_page])
    named = (base.exclude(organisation_id__isnull=True).values_list(
        "organisation_id", "organisation_name").distinct())
    organisations = sorted({(pk, name) for pk, name in named if name},
                           key=lambda o: (o[1].lower(), o[0]))
    return AccessLogPage(records, number, pages, total, organisations)


def team_access_lost(plan: Any, members: tuple[Any, ...], organisation_ids: set[int],
                     today: date | None = None) -> dict[int, date | None]:
    """The organisations of a plan's care team that no longer see the plan: they hold no
    consent given for this plan, nor a legal basis, for every member (the policy's rule,
    policy.joins_on_ground). For each: the day since when (the first member whose last
    consent or legal basis ended), or None if that is not known. Organisations that still
    see the plan are left out. Two queries; it shows no personal data, only that an
    organisation of the team has lost access and since when."""
    today = today or timezone.localdate()
    ids = {str(m.pk) for m in members}
    if not organisation_ids or not ids:
        return {}
    has: dict[int, set[str]] = {o: set() for o in organisation_ids}
    ended: dict[tuple[int, str], date] = {}

    def ends(org: int, person: str, day: date) -> None:
        key = (org, person)
        ended[key] = max(day, ended.get(key, day))

    for consent in Consent.objects.filter(plan_id=plan.pk, person_id__in=ids,
                                          organisation_id__in=organisation_ids):
        if "plan" not in consent.categories:
            continue
        person = str(consent.person_id)
        if consent.in_force(today):
            has[consent.organisation_id].add(person)
        elif consent.withdrawn_at is not None:
            ends(consent.organisation_id, person, timezone.localdate(consent.withdrawn_at))
        elif consent.valid_until is not None and consent.valid_until < today:
            ends(consent.organisation_id, person, consent.valid_until + timedelta(days=1))
    for basis in LegalBasis.objects.filter(person_id__in=ids,
                                           organisation_id__in=organisation_ids):
        person = str(basis.person_id)
        if basis.in_force(today):
            has[basis.organisation_id].add(person)
        elif basis.ended_at is not None:
            ends(basis.organisation_id, person, timezone.localdate(basis.ended_at))
        elif basis.valid_until < today:
            ends(basis.organisation_id, person, basis.valid_until + timedelta(days=1))
    lost: dict[int, date | None] = {}
    for org, persons in has.items():
        lacking = ids - persons
        if not lacking:
            continue
        days = [ended[(org, p)] for p in lacking if (org, p) in ended]
        lost[org] = min(days) if days else None
    return lost


@audit.write_path
def break_glass_uses(actor: Actor, *, only_open: bool = True, limit: int = 200
                     ) -> list[AccessLogRecord]:
    """The privacy officer's review list of the emergency accesses by organisations of
    their own municipality."""
    from jeugdketen.registry.models import Organisation

    audit.authorize(actor, Action.READ, Target(Data.BREAK_GLASS))
    own = actor.professional.organisation.municipality_id if actor.professional else None
    organisations = Organisation.objects.filter(municipality_id=own).values("pk")
    qs = AccessLogRecord.objects.filter(emergency=True, organisation_id__in=organisations
                                        ).select_related("review__reviewed_by")
    if only_open:
        qs = qs.filter(review__isnull=True)
    return list(qs.order_by("-at")[:limit])


@audit.write_path
def review_break_glass(actor: Actor, record_id: int, *, justified: bool, note: str = ""
                       ) -> BreakGlassReview:
    from jeugdketen.registry.models import Organisation

    # An unknown id and another municipality's record are refused alike (403).
    record = audit.get_or_deny(actor, Action.UPDATE, Data.BREAK_GLASS,
                               AccessLogRecord.objects.filter(emergency=True), record_id,
                               "emergency access")
    municipality = (Organisation.objects.filter(pk=record.organisation_id)
                    .values_list("municipality_id", flat=True).first()
                    if record.organisation_id is not None else None)
    audit.authorize(actor, Action.UPDATE, Target(Data.BREAK_GLASS, object_id=str(record_id),
                                                 record={"municipality_id": municipality}))
    review, created = BreakGlassReview.objects.get_or_create(
        record=record,
        defaults={"reviewed_by": actor.user, "justified": justified, "note": note.strip()},
    )
    if not created:  # reviewed by someone else meanwhile (or at this very moment)
        raise Refusal("already_reviewed", _("Dit gebruik is al beoordeeld."), status=409,
                      field="justified")
    return review


# --- consent and legal basis (issue 4) -------------------------------------------------

CONSENT_ALONE_FROM = 16  # the person gives consent alone from 16
CONSENT_TOGETHER_FROM = 12  # from 12 to 15: the youth and a parent together


def custody_holders_of(person: Any) -> set[str]:
    """The persons in the platform who hold custody of this person according to the BRP
    (their ids). Only they act for a child; a household a professional entered does not
    make anyone a parent."""
    from jeugdketen.registry.models import Kinship, Person

    if not person.bsn:
        return set()
    holders = Kinship.objects.filter(child=person, has_custody=True).values("relative_bsn")
    return {str(p) for p in Person.objects.filter(bsn__in=holders).values_list("pk", flat=True)}


def check_givers(person: Any, given_by: set[str], today: date) -> None:
    """Who gives consent (domain.md; WGBO/Jeugdwet): the person from 16, a custody holder
    under 12, the youth and a custody holder together from 12 to 15."""
    age = person.age_on(today)
    me = str(person.pk)
    parents = custody_holders_of(person)
    field = "given_by_person_ids"
    if age >= CONSENT_ALONE_FROM:
        if given_by != {me}:
            raise Refusal("consent_given_by_person", _(
                "Vanaf 16 jaar geeft de persoon zelf toestemming, alleen."), field=field)
        return
    if not given_by or not given_by - {me} <= parents:
        raise Refusal("consent_given_by_parent", _(
            "Onder 16 jaar geeft een ouder met gezag (volgens de BRP) toestemming."),
            field=field)
    if age >= CONSENT_TOGETHER_FROM:
        if me not in given_by or not given_by & parents:
            raise Refusal("consent_given_together", _(
                "Van 12 tot 16 jaar geven de jongere en een ouder samen toestemming."), field=field)
    elif me in given_by or not given_by & parents:
        raise Refusal("consent_given_by_parent", _(
            "Onder 12 jaar geeft een ouder met gezag (volgens de BRP) toestemming."), field=field)


def _consent_fields(categories: Any, valid_from: date, valid_until: date | None) -> list[str]:
    cats = list(dict.fromkeys(categories or []))
    known = {c.value for c in DataCategory}
    if not cats or any(c not in known for c in cats):
        raise Refusal("consent_categories", _(
            "Kies een of meer van: basisgegevens, analyse, plan, evaluaties."), field="categories")
    if valid_until is not None and valid_until < valid_from:
        raise Refusal("consent_period", _(
            "De einddatum ligt vóór de begindatum."), field="valid_until")
    return cats


def _plan_members(plan: Any) -> tuple[Any, ...]:
    from jeugdketen.registry.models import Person

    if plan is None:
        return ()
    return tuple(Person.objects.filter(memberships__household_id=plan.household_id))


@audit.write_path
def give_consent(actor: Actor, person_id: Any, *, plan_id: Any, given_by: Any,
                 organisation_id: Any, categories: Any, valid_from: date | None = None,
                 valid_until: date | None = None, at: datetime | None = None) -> Consent:
    """Consent of (or for) a member of a plan's household, for one organisation, in that
    plan. `at` (default now) is when the consent was given; only for loading history (see
    chainlog.actions.moment): the givers' ages count on that day."""
    from jeugdketen.plans.models import Plan
    from jeugdketen.registry.models import Organisation, Person

    now = moment(at)
    today = timezone.localdate(now)
    person = audit.get_or_deny(actor, Action.CREATE, Data.CONSENT, Person.objects, person_id,
                               "person")
    plan = audit.get_or_deny(actor, Action.CREATE, Data.CONSENT, Plan.objects, plan_id, "plan")
    target = Target(Data.CONSENT, person=person, members=_plan_members(plan), record=plan)
    decision = audit.authorize(actor, Action.CREATE, target)
    valid_from = valid_from or today
    cats = _consent_fields(categories, valid_from, valid_until)
    givers = {str(g) for g in (given_by or [])}
    if decision.role == "citizen":
        # In their own view a family member gives consent in their own name only.
        givers = {str(actor.person.pk)} if actor.person is not None else set()
    check_givers(person, givers, today)
    try:
        organisation = Organisation.objects.get(pk=organisation_id)
    except (Organisation.DoesNotExist, ValueError, TypeError):
        raise Refusal("unknown_organisation", _("Deze organisatie bestaat niet."),
                      field="organisation_id") from None
    consent = Consent.objects.create(
        person=person, plan=plan, organisation=organisation, categories=cats,
        valid_from=valid_from, valid_until=valid_until, recorded_by=actor.user, recorded_at=now)
    consent.given_by.set(list(Person.objects.filter(pk__in=givers)))
    emit(Activity.CONSENT_GIVEN, person=person, organisation_id=organisation.pk, at=now,
         attributes={"categories": cats, "recorded_by": decision.role,
                     "open_ended": valid_until is None})
    return consent


@audit.write_path
def withdraw_consent(actor: Actor, consent_id: Any, *, at: datetime | None = None) -> Consent:
    """Takes effect at once: the organisation's next request is denied (and logged so).
    `at` (default now): only for loading history (see chainlog.actions.moment)."""
    now = moment(at)
    consent: Consent = audit.get_or_deny(
        actor, Action.UPDATE, Data.CONSENT,
        Consent.objects.select_for_update(of=("self",)).select_related("person", "plan"),
        consent_id, "consent")
    decision = audit.authorize(actor, Action.UPDATE, Target(
        Data.CONSENT, person=consent.person, members=_plan_members(consent.plan),
        object_id=str(consent.pk), record=consent))
    if consent.withdrawn_at is None:
        consent.withdrawn_at = now
        consent.withdrawn_by = actor.user
        consent.save(update_fields=["withdrawn_at", "withdrawn_by"])
        emit(Activity.CONSENT_WITHDRAWN, person=consent.person,
             organisation_id=consent.organisation_id, at=now,
             attributes={"by": decision.role, "categories": consent.categories})
        _tell_coordinator_withdrawn(actor, consent, now)
    return consent


def _tell_coordinator_withdrawn(actor: Actor, consent: Consent, now: datetime) -> None:
    """The plan's coordinator hears of a withdrawn consent at once (in this transaction)."""
    from jeugdketen import inbox
    from jeugdketen.referral_index.models import MessageKind

    plan = consent.plan
    if plan is None:
        return
    family = ", ".join(str(m) for m in _plan_members(plan))
    inbox.send([plan.coordinator], MessageKind.CONSENT_WITHDRAWN, _("Toestemming ingetrokken"), _(
        "Gezin: %(family)s. De toestemming van %(person)s voor %(organisation)s is "
        "ingetrokken. Die organisatie ziet de gegevens niet meer.") % {
        "family": family, "person": str(consent.person),
        "organisation": consent.organisation.name}, plan=plan, at=now, skip=actor.professional)


@audit.write_path
def record_legal_basis(actor: Actor, person_id: Any, *, organisation_id: Any, kind: str,
                       reference: str, valid_until: date,
                       valid_from: date | None = None, at: datetime | None = None) -> LegalBasis:
    """`at` (default now): only for loading history (see chainlog.actions.moment)."""
    from jeugdketen.registry.models import Organisation, Person

    now = moment(at)
    today = timezone.localdate(now)
    person = audit.get_or_deny(actor, Action.CREATE, Data.LEGAL_BASIS, Person.objects,
                               person_id, "person")
    if not has_person_ground(actor, person, today):
        # Judged first: without a ground the answer is the one for an unknown id.
        raise audit.AccessDenied(actor, Action.CREATE, Target(Data.LEGAL_BASIS, person=person),
                                 Decision.deny("no ground for this person"))
    try:
        organisation = Organisation.objects.get(pk=organisation_id)
    except (Organisation.DoesNotExist, ValueError, TypeError):
        raise Refusal("unknown_organisation", _("Deze organisatie bestaat niet."),
                      field="organisation_id") from None
    if kind not in LegalBasisKind.values:
        raise Refusal("legal_basis_kind", _("Onbekende soort wettelijke grondslag."), field="kind")
    probe = LegalBasis(person=person, organisation=organisation, kind=kind)
    if not may_hold(probe):
        # Says nothing about the person: which organisations can hold which ground is law.
        raise Refusal("legal_basis_holder", _(
            "Deze organisatie kan deze wettelijke grondslag niet hebben (bijvoorbeeld: een "
            "kinderbeschermingsmaatregel ligt bij een gecertificeerde instelling)."),
            field="organisation_id")
    decision = audit.authorize(actor, Action.CREATE,
                               Target(Data.LEGAL_BASIS, person=person, record=probe))
    reference = (reference or "").strip()
    if not reference or len(reference) > 100:
        raise Refusal("legal_basis_reference", _(
            "Vul het kenmerk in (bijvoorbeeld het nummer van de beschikking), hoogstens 100 "
            "tekens."), field="reference")
    valid_from = valid_from or today
    if valid_until is None or valid_until < valid_from:
        raise Refusal("legal_basis_period", _(
            "Een wettelijke grondslag heeft een einddatum na de begindatum."), field="valid_until")
    basis = LegalBasis.objects.create(
        person=person, organisation=organisation, kind=kind, reference=reference,
        valid_from=valid_from, valid_until=valid_until, recorded_by=actor.user,
        recorded_at=now)
    emit(Activity.LEGAL_BASIS_RECORDED, person=person, organisation_id=organisation.pk, at=now,
         attributes={"kind": kind, "recorded_by": decision.role})
    return basis


@audit.write_path
def consents_for(actor: Actor, persons: list[Any], *, plan: Any = None
                 ) -> dict[str, dict[str, list[Any]]]:
    """Consents and legal bases of these persons, for those the actor may see them of:
    {person_id: {"consents": [...], "legal_bases": [...]}}. Each person read is logged.

    The family and the privacy officer see all of them. A plan's coordinator (`plan`) sees
    only the consents given for that plan, and only the legal bases of the organisations in
    the plan (the coordinator's own and the care team's): never the family's relationships
    with other organisations."""
    members = tuple(persons)
    decisions = [(p, decide(actor, Action.READ, Target(Data.CONSENT, person=p, members=members,
                                                       record=plan))) for p in persons]
    audit.append([audit.entry(actor, Action.READ, Target(Data.CONSENT, person=p, record=plan), d)
                  for p, d in decisions])
    whole = [p.pk for p, d in decisions if d.allowed and d.ground != "plan_coordinator"]
    of_plan = [p.pk for p, d in decisions if d.allowed and d.ground == "plan_coordinator"]
    out: dict[str, dict[str, list[Any]]] = {str(p): {"consents": [], "legal_bases": []}
                                            for p in [*whole, *of_plan]}
    consents = Consent.objects.filter(person_id__in=whole)
    bases = LegalBasis.objects.filter(person_id__in=whole)
    if of_plan and plan is not None:
        from jeugdketen.plans.models import TeamMember

        # The organisations in the plan: its main organisation and the active care team's
        # (a subquery of the legal-basis read, not a query of its own).
        in_plan = Q(organisation_id__in=TeamMember.objects.filter(
            plan=plan, professional__isnull=False, left_at__isnull=True)
            .values("professional__organisation_id"))
        if plan.main_organisation_id is not None:
            in_plan |= Q(organisation_id=plan.main_organisation_id)
        consents = consents | Consent.objects.filter(person_id__in=of_plan, plan=plan)
        bases = bases | LegalBasis.objects.filter(in_plan, person_id__in=of_plan)
    for consent in (consents.select_related("organisation").prefetch_related("given_by")
                    .order_by("-recorded_at")):
        out[str(consent.person_id)]["consents"].append(consent)
    for basis in bases.select_related("organisation").order_by("-recorded_at"):
        out[str(basis.person_id)]["legal_bases"].append(basis)
    return out


# --- two-factor enrolment with a one-time activation code (issue 8) -------------------

# Crockford's base32: no I, L, O or U, so a code read aloud or copied by hand survives;
# 16 characters are 80 random bits.
ACTIVATION_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
ACTIVATION_LENGTH = 16
_ACTIVATION_READ = str.maketrans({"O": "0", "I": "1", "L": "1", "-": None, " ": None})


def normalise_activation_code(raw: str) -> str:
    """The code as stored: upper case, without spaces or dashes, O read as 0, I and L as 1.
    Empty when it cannot be a code (wrong length or characters)."""
    code = "".join((raw or "").split()).upper().translate(_ACTIVATION_READ)
    if len(code) != ACTIVATION_LENGTH or any(c not in ACTIVATION_ALPHABET for c in code):
        return ""
    return code


def format_activation_code(code: str) -> str:
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def _account_record(user: User) -> tuple[dict[str, Any], Any]:
    """What the administration rules look at for an account (`Data.PROFESSIONAL`): the
    municipality of its organisation and its roles. A citizen or an operator-made platform
    administrator has no municipality: only a platform administrator may act for them."""
    from jeugdketen.registry.models import Professional

    professional = Professional.objects.select_related("organisation").filter(user=user).first()
    roles = list(professional.roles) if professional is not None else []
    if user.is_superuser:
        roles.append("platform_admin")
    if professional is None and user.person_id is not None:
        roles.append("citizen")
    municipality = professional.organisation.municipality_id if professional is not None else None
    return {"municipality_id": municipality, "roles": roles}, professional


@audit.write_path
def issue_activation_code(actor: Actor, user: User, *, days: int | None = None
                          ) -> tuple[str, ActivationCode]:
    """A fresh one-time activation code for `user` (the raw code is returned once and
    stored hashed). It revokes the user's open code; enrolling with it later replaces the
    user's authenticator app (a lost phone). Who: a platform administrator for anyone, a
    functional administrator for accounts of their own municipality without privileged
    roles (the `administration` rules of the policy)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = User.objects.select_for_update().get(pk=user.pk)  # one issuer at a time
    record, professional = _account_record(user)
    decision = audit.authorize(actor, Action.UPDATE, Target(
        Data.PROFESSIONAL, object_id=str(user.pk), record=record))
    if not user.is_active:
        raise Refusal("account_inactive", _(
            "Dit account is niet actief. Zet het eerst weer aan."), field="username")
    now = timezone.now()
    replaced = ActivationCode.objects.filter(
        user=user, used_at__isnull=True, revoked_at__isnull=True).update(revoked_at=now)
    raw = "".join(secrets.choice(ACTIVATION_ALPHABET) for _ in range(ACTIVATION_LENGTH))
    code = ActivationCode.objects.create(
        user=user, digest=hash_token(raw), issued_by=actor.user if actor.user else None,
        issued_at=now,
        expires_at=now + timedelta(days=days or settings.ACTIVATION_CODE_DAYS))
    emit(Activity.ACTIVATION_CODE_ISSUED,
         organisation_id=professional.organisation_id if professional is not None else None,
         attributes={"by": decision.role, "replaces_code": bool(replaced),
                     "resets_device": TOTPDevice.objects.filter(user=user, confirmed=True).exists()})
    return format_activation_code(raw), code


@audit.write_path
def issue_activation_code_for_professional(actor: Actor, professional_id: Any
                                           ) -> tuple[str, ActivationCode]:
    """As `issue_activation_code`, for the professional with this id (the API). An unknown
    id is refused exactly like a professional the actor may not manage."""
    from jeugdketen.registry.models import Professional

    professional = audit.get_or_deny(actor, Action.UPDATE, Data.PROFESSIONAL,
                                     Professional.objects.select_related("user"),
                                     professional_id, "professional")
    return issue_activation_code(actor, professional.user)


ACTIVATION_REFUSALS = {
    "activation_code_wrong": "wrong code",
    "activation_code_expired": "expired code",
    "activation_code_used": "code already used",
    "activation_code_revoked": "code replaced by a newer one",
}


def _activation_denied(actor: Actor, rule: str) -> audit.AccessDenied:
    """A refused activation step: logged as a denied update of the account (the reason
    says why), and `rule` tells the page which message to show."""
    user_id = str(getattr(actor.user, "pk", "") or "")
    return audit.AccessDenied(
        actor, Action.UPDATE, Target(Data.PROFESSIONAL, object_id=user_id),
        Decision.deny(f"activation: {ACTIVATION_REFUSALS[rule]}"), rule=rule)


def _check_usable(actor: Actor, code: ActivationCode | None) -> ActivationCode:
    if code is None:
        raise _activation_denied(actor, "activation_code_wrong")
    if code.used_at is not None:
        raise _activation_denied(actor, "activation_code_used")
    if code.revoked_at is not None:
        raise _activation_denied(actor, "activation_code_revoked")
    if code.expires_at <= timezone.now():
        raise _activation_denied(actor, "activation_code_expired")
    return code


@audit.write_path
def start_enrolment(actor: Actor, raw_code: str) -> tuple[ActivationCode, Any]:
    """The first step of linking an authenticator app: the user's own activation code.
    Returns the code and a new, unconfirmed TOTP device (its secret goes into the QR code);
    earlier unconfirmed devices are removed. A wrong, expired, used or replaced code is
    refused (AccessDenied with the rule) and logged; the page counts it as a failed login.
    A code of another user is simply wrong."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = actor.user
    if user is None or not user.is_authenticated:
        raise _activation_denied(actor, "activation_code_wrong")
    User.objects.select_for_update().filter(pk=user.pk).first()  # one step at a time per user
    code = normalise_activation_code(raw_code)
    found = (ActivationCode.objects.filter(user=user, digest=hash_token(code)).first()
             if code else None)
    found = _check_usable(actor, found)
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    device = TOTPDevice.objects.create(user=user, name="Jeugdketen", confirmed=False)
    return found, device


@audit.write_path
def enrol_authenticator(actor: Actor, code_id: Any, device_id: Any, token: str
                        ) -> tuple[Any, bool]:
    """The second step: the first code the app shows. Returns (device, throttled): the
    confirmed device, or None when the code is wrong (throttled: too many wrong codes, wait).
    On success the activation code is used up, every other device of the user is removed
    (a lost phone no longer works), and the enrolment is logged. A code that was used,
    replaced or expired meanwhile is refused like in `start_enrolment`."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = actor.user
    if user is None or not user.is_authenticated:
        raise _activation_denied(actor, "activation_code_wrong")
    # The user's row first, as in issue_activation_code and start_enrolment: one lock order.
    User.objects.select_for_update().filter(pk=user.pk).first()
    code = _check_usable(actor, ActivationCode.objects.select_for_update().filter(
        pk=code_id, user=user).first())
    device = TOTPDevice.objects.select_for_update().filter(
        pk=device_id, user=user, confirmed=False).first()
    if device is None:  # enrolled meanwhile in another session
        raise _activation_denied(actor, "activation_code_used")
    allowed, _info = device.verify_is_allowed()
    if not allowed:
        return None, True
    if not device.verify_token(token):  # the throttling state is kept (no rollback)
        return None, False
    others = TOTPDevice.objects.filter(user=user).exclude(pk=device.pk)
    replaced = others.filter(confirmed=True).exists()
    others.delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    code.used_at = timezone.now()
    code.save(update_fields=["used_at"])
    record, professional = _account_record(user)
    audit.append([audit.entry(
        actor, Action.UPDATE, Target(Data.PROFESSIONAL, object_id=str(user.pk)),
        Decision(True, Ground.SELF, ",".join(record["roles"])))])
    emit(Activity.AUTHENTICATOR_ENROLLED,
         organisation_id=professional.organisation_id if professional is not None else None,
         attributes={"replaced_device": replaced})
    return device, False


# --- the administrator's view of an account's credentials (issue 9) --------------------------


@audit.write_path
def credentials_of(actor: Actor, professional_id: Any
                   ) -> tuple[Any, list[ActivationCode], list[ApiToken]]:
    """A professional's activation codes and API tokens (dates and state only; the raw
    values are never stored), for an administrator who manages the account. An unknown id
    is refused like an account the actor may not manage."""
    from jeugdketen.registry.models import Professional

    professional = audit.get_or_deny(actor, Action.READ, Data.PROFESSIONAL,
                                     Professional.objects.select_related("user", "organisation"),
                                     professional_id, "professional")
    record, _professional = _account_record(professional.user)
    audit.authorize(actor, Action.READ, Target(
        Data.PROFESSIONAL, object_id=str(professional.user_id), record=record))
    codes = list(ActivationCode.objects.filter(user=professional.user)
                 .select_related("issued_by").order_by("-issued_at", "-id")[:20])
    tokens = list(ApiToken.objects.filter(user=professional.user).order_by("-created_at")[:50])
    return professional, codes, tokens


@audit.write_path
def revoke_activation_code(actor: Actor, code_id: Any) -> ActivationCode:
    """Revoke an open activation code (given to the wrong person, say). Who: as for issuing
    one. An unknown id is refused like a code of an account the actor may not manage."""
    code: ActivationCode = audit.get_or_deny(
        actor, Action.UPDATE, Data.PROFESSIONAL,
        ActivationCode.objects.select_for_update().select_related("user"), code_id, "activation code")
    record, professional = _account_record(code.user)
    audit.authorize(actor, Action.UPDATE, Target(
        Data.PROFESSIONAL, object_id=str(code.user_id), record=record))
    if code.used_at is None and code.revoked_at is None:
        code.revoked_at = timezone.now()
        code.save(update_fields=["revoked_at"])
        emit(Activity.ACTIVATION_CODE_REVOKED,
             organisation_id=professional.organisation_id if professional is not None else None)
    return code


# --- the second factor at login ----------------------------------------------------------------


@audit.write_path
def verify_second_factor(actor: Actor, device_id: Any, token: str) -> tuple[Any, bool]:
    """A login's second step: the code the user's linked authenticator app shows. Returns
    (device, allowed): the device when the code is right (the caller logs the session in
    with it), else None; allowed is False while too many wrong codes make the user wait.
    The device's throttling state and last used code are written under its row lock, so
    two requests cannot use one code twice. Like every login step it writes no access-log
    record (no person's data is read); a wrong code only counts towards the throttle. The
    linking itself is `start_enrolment` and `enrol_authenticator`, which are logged."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = actor.user
    device = (TOTPDevice.objects.select_for_update()
              .filter(pk=device_id, user=user, confirmed=True).first()
              if user is not None and user.is_authenticated else None)
    if device is None:
        return None, True
    allowed, _info = device.verify_is_allowed()
    return (device if allowed and device.verify_token(token) else None), allowed
