"""The only functions that change the reference index.

Each action checks the access policy, writes, logs (NEN 7513) and emits chain events in
one transaction. Registering a signal serialises per youth, per parent and per address
(PostgreSQL advisory locks, SQLite's database lock), so two organisations registering at
the same moment produce exactly one match with everyone notified.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import connection, transaction
from django.db.models import F, Prefetch, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jeugdketen import inbox as inbox_app
from jeugdketen.access import audit
from jeugdketen.access.policy import (
    AccessPoint,
    Action,
    Actor,
    Data,
    Decision,
    Ground,
    Target,
    decide,
)
from jeugdketen.chainlog.actions import TABLE as EVENT_TABLE
from jeugdketen.chainlog.actions import emit, emit_many, event_row
from jeugdketen.chainlog.vocabulary import Activity
from jeugdketen.core import prepared
from jeugdketen.core.errors import FieldError, Refusal
from jeugdketen.core.workdays import add_working_days, working_days_between
from jeugdketen.referral_index import selectors
from jeugdketen.referral_index.models import (
    ARCHIVE_YEARS,
    LAST_AGE,
    MAX_DURATION_DAYS,
    EndReason,
    Match,
    MatchKind,
    MatchStatus,
    Message,
    Signal,
    SignalStatus,
)
from jeugdketen.registry.models import Kinship, Municipality, Person, Professional, Registration


def birthday(person: Person, age: int) -> date:
    born = person.birth_date
    try:
        return born.replace(year=born.year + age)
    except ValueError:  # 29 February
        return date(born.year + age, 3, 1)


def _lock_digest(key: str) -> int:
    """The advisory lock of a key (selectors.youth_for_signal computes the same in SQL)."""
    return int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big", signed=True)


def _lock_keys(person: Person, parents: list[str]) -> list[str]:
    return [f"person:{person.pk}", *(f"parent:{p}" for p in parents),
            f"address:{_address_key(person)}"]


def _lock(keys: Iterable[str]) -> None:
    """Serialise concurrent registrations that could match each other."""
    if connection.vendor != "postgresql":
        return  # SQLite: BEGIN IMMEDIATE already serialises writers
    digests = [_lock_digest(key) for key in sorted(set(keys))]
    with connection.cursor() as cursor:
        # One round trip; the locks are taken in the array's order (the keys' sorted order).
        cursor.execute("SELECT count(pg_advisory_xact_lock(k)) FROM unnest(%s::bigint[]) AS k",
                       [digests])


def _hood(person: Person) -> str:
    """Index events carry the neighbourhood, never a person key: the law destroys index data
    (after the archive term, at 23, after death), and the append-only chain event log must
    not keep a link to the youth after that."""
    return person.neighbourhood_id or ""


def live_signals(today: date) -> Any:
    """Signals that count today: active, not past their duration, the youth not yet 23 and
    alive. Retention ends the others at night; until then they never match either."""
    return Signal.objects.filter(
        status=SignalStatus.ACTIVE, expires_on__gt=today,
        person__birth_date__gt=_years_before(today, LAST_AGE),
        person__date_of_death__isnull=True)


def _parents(person: Person) -> list[str]:
    """The youth's parents according to the BRP (their BSNs); a youth without a BSN has
    none the index can use."""
    if not person.verified:
        return []
    return sorted(Kinship.objects.filter(child=person, is_parent=True)
                  .values_list("relative_bsn", flat=True))


def _key(kind: str, value: str) -> str:
    """A match key that names no BSN: the index's data is destroyed by law, a key must not
    outlive it as a readable identifier."""
    return f"{kind}:{hashlib.sha256(value.encode()).hexdigest()[:32]}"


def _address_key(person: Person) -> str:
    """Only an address verified in the BRP matches: an address a professional typed for a
    youth without a BSN could be anyone's (issue 8, finding 3)."""
    if not person.verified or not person.postcode or not person.house_number:
        return ""
    return (f"{person.postcode}-{person.house_number}-{person.house_letter}-"
            f"{person.house_number_addition}")


def _signal_target(signal: Signal) -> Target:
    return Target(Data.SIGNAL, person=signal.person, object_id=str(signal.pk), record=signal)


@dataclass
class Registered:
    signal: Signal
    created: bool
    matches: list[Match] = field(default_factory=list)

    def match_id(self, actor: Actor) -> int | None:
        """The match id GET /signals gives for this signal (see match_ids). A new signal
        is in exactly the open matches registering it made or joined: no query for it."""
        if not self.created:
            return match_ids(actor, [self.signal]).get(self.signal.pk)
        prof = actor.professional
        if prof is None or self.signal.contact_id != prof.pk or not self.matches:
            return None
        return min(self.matches, key=lambda m: (KIND_ORDER.get(m.kind, 9), m.pk)).pk


@audit.write_path
def register_signal(
    actor: Actor, person_id: Any, *, duration_days: int | None = None,
    contact_phone: str = "", contact_email: str = "", today: date | None = None,
) -> Registered:
    today = today or timezone.localdate()
    if actor.professional is not None and not actor.professional.organisation.may_signal:
        # Checked before the youth is looked up: the answer says nothing about any record.
        raise audit.AccessDenied(
            actor, Action.CREATE, Target(Data.SIGNAL, object_id=str(person_id)[:64]),
            Decision.deny("the organisation is not authorised to register signals"),
            rule="organisation_may_not_signal",
            message=_("Uw organisatie is niet meldingsbevoegd voor de verwijsindex."))
    # The youth with their municipality, whether this professional registered them (the
    # policy's ground for a signal) and their parents in the BRP: one statement, which on
    # PostgreSQL also takes the registration's locks (person, parents, address: _lock).
    prof = actor.professional
    locked = connection.vendor == "postgresql"
    try:
        found = selectors.youth_for_signal(person_id, prof.pk if prof is not None else None,
                                           lock=locked)
    except (ValueError, TypeError, ValidationError):
        found = None
    if found is None:  # an unknown or malformed id looks like a forbidden one
        raise audit.AccessDenied(actor, Action.CREATE, Target(
            Data.SIGNAL, object_id=str(person_id)[:64]), Decision.deny("no such record"))
    person, registered, parents = found
    if prof is not None:
        # Handed to the policy (access.policy.facts reads it): no statement of its own.
        person.jk_registered_for, person.jk_registered = prof.pk, registered  # type: ignore[attr-defined]
    target = Target(Data.SIGNAL, person=person)
    decision = decide(actor, Action.CREATE, target)
    if not decision.allowed:
        raise audit.AccessDenied(actor, Action.CREATE, target, decision)
    assert prof is not None
    duration = MAX_DURATION_DAYS if duration_days is None else int(duration_days)
    errors: list[FieldError] = []
    if not 1 <= duration <= MAX_DURATION_DAYS:
        errors.append(FieldError("duration_days", "duration_range", _(
            "De looptijd is 1 tot en met 730 dagen (ten hoogste 2 jaar).")))
    if contact_email:
        try:
            validate_email(contact_email)
        except ValidationError:
            errors.append(FieldError("contact_email", "email", _("Geen geldig e-mailadres.")))
    if contact_phone and not re.fullmatch(r"[0-9+ ()-]{6,20}", contact_phone):
        errors.append(FieldError("contact_phone", "phone_format", _(
            "Een telefoonnummer bestaat uit cijfers, spaties en + ( ) -.")))
    if errors:
        raise Refusal.invalid(errors)
    if person.date_of_death is not None:
        raise Refusal("deceased", _("Op een overleden jongere kan geen signaal worden afgegeven."),
                      field="person_id")
    if today >= birthday(person, LAST_AGE):
        raise Refusal("age_limit", _(
            "De verwijsindex is voor jongeren tot hun 23ste verjaardag."), field="person_id")
    municipality = _municipality_of_person(person, prof)
    minimum = municipality.min_signal_days
    if duration < minimum:
        raise Refusal.invalid([FieldError("duration_days", "duration_minimum", _(
            "De looptijd is ten minste %(n)s dagen (de keuze van de gemeente): een signaal "
            "is geen zoekvraag. Trek een signaal dat ten onrechte is afgegeven in.")
            % {"n": minimum})])
    address = _address_key(person)
    if not locked:
        _lock(_lock_keys(person, parents))
    # One statement after the locks: the youth's active signals (this organisation's, one
    # at most, and whether another organisation has a live one: a client match) and who
    # else could match (relatives with a live signal of another organisation).
    own = prof.organisation_id
    by_address = bool(address) and (municipality is None or municipality.address_match)
    on_youth, relatives = selectors.signals_and_relatives(person, own, today, parents, by_address)
    existing = next((s for s in on_youth if s.organisation_id == own), None)
    if existing is not None:
        # One active signal per organisation: return it; the duration may be extended.
        audit.append([audit.entry(actor, Action.READ, _signal_target(existing), decision)])
        return Registered(existing, created=False, matches=list(
            existing.matches.exclude(status=MatchStatus.CLOSED)))
    # live_signals(today) for the youth's own signals (`on_youth` is already active and
    # unexpired): the youth is under 23 and alive.
    alive = (person.date_of_death is None
             and person.birth_date > _years_before(today, LAST_AGE))
    client = alive and any(s.organisation_id != own and s.expires_on > today for s in on_youth)
    signal = Signal(
        person=person, organisation=prof.organisation, contact=prof,
        contact_phone=(contact_phone or prof.phone)[:20], contact_email=contact_email or prof.email,
        registered_on=today, duration_days=duration,
        expires_on=min(today + timedelta(days=duration), birthday(person, LAST_AGE)))
    # Nobody to match (three registrations in four): the access log has one record, and
    # its chain head is locked in the signal's INSERT (one round trip less).
    quiet = not client and not relatives
    event: dict[str, Any] = {
        "activity": Activity.SIGNAL_REGISTERED, "neighbourhood_code": _hood(person),
        "organisation_id": prof.organisation_id, "attributes": {"duration_days": duration}}
    head, carried = _insert_signal(signal, head_for=1 if quiet else 0, event=event)
    # The policy allowed the signal on the ground that this professional registered the
    # youth: a match message may name them to this professional (no second query).
    person.jk_registered_for, person.jk_registered = prof.pk, True  # type: ignore[attr-defined]
    entries = [audit.entry(actor, Action.CREATE, _signal_target(signal), decision)]
    events: list[dict[str, Any]] = [] if carried else [event]
    matches = [] if quiet else _find_matches(signal, today, relatives, client, entries, events)
    # The access log and the chain events of the whole registration in one write each.
    audit.append(entries, head=head if len(entries) == 1 else None)
    if len(events) == 1:
        emit(**events[0])  # one raw INSERT
    else:
        emit_many(events)
    return Registered(signal, created=True, matches=matches)


_SIGNAL_INSERT: dict[str, str] = {}  # per database vendor


def _insert_signal(signal: Signal, *, event: dict[str, Any], head_for: int = 0
                   ) -> tuple[Any, bool]:
    """INSERT the new signal, written out (Model.save's query building cost more CPU than
    the statement, issue 10), and on PostgreSQL its chain `event` (chainlog.actions.emit's
    keyword arguments) in the same statement: one round trip less. With `head_for` on
    PostgreSQL, the same statement also locks a free access-log chain head for that many
    records (audit.free_head_sql). Returns (that head's row for audit.append(...,
    head=row) or None, whether the event was written: on SQLite the caller emits it with
    the registration's other events)."""
    fields = [f for f in Signal._meta.concrete_fields if not f.primary_key]
    values = [f.get_db_prep_save(f.pre_save(signal, True), connection) for f in fields]
    insert = _SIGNAL_INSERT.get(connection.vendor)
    if insert is None:
        qn = connection.ops.quote_name
        insert = _SIGNAL_INSERT[connection.vendor] = (
            f"INSERT INTO {qn(Signal._meta.db_table)} "  # noqa: S608 (names and placeholders)
            f"({', '.join(qn(f.column) for f in fields)}) "
            f"VALUES ({', '.join(['%s'] * len(fields))})")
    head = None
    if connection.vendor != "postgresql":
        with prepared.cursor() as cursor:
            cursor.execute(insert, values)
            signal.pk = cursor.lastrowid
        signal._state.adding, signal._state.db = False, connection.alias
        return head, False
    columns, placeholders, event_params = event_row(**event)
    with_event = (f"ins AS ({insert} RETURNING id), e AS (INSERT INTO {EVENT_TABLE} "  # noqa: S608
                  f"({columns}) SELECT {placeholders} FROM ins)")
    free = audit.free_head_sql(head_for) if head_for else None
    with prepared.cursor() as cursor:  # every signal: planned once per connection
        if free is not None:
            head_sql, head_params = free
            cursor.execute(f"WITH head AS ({head_sql}), {with_event} "  # noqa: S608
                           "SELECT ins.id, head.* FROM ins LEFT JOIN head ON TRUE",
                           [*head_params, *values, *event_params])
            row = cursor.fetchone()
            signal.pk, head = row[0], row[1:]
        else:
            cursor.execute(f"WITH {with_event} SELECT id FROM ins", [*values, *event_params])  # noqa: S608
            signal.pk = cursor.fetchone()[0]
    signal._state.adding, signal._state.db = False, connection.alias
    return head, True


def _find_matches(signal: Signal, today: date, relatives: list[tuple[Any, str]], client: bool,
                  entries: list[dict[str, Any]], events: list[dict[str, Any]]) -> list[Match]:
    """Client, family and address matches of a new signal, in a few set-based statements
    (issue 10): `client` says whether another organisation has a live signal on the youth
    and `relatives` who else could match, only relatives with such a signal (the caller
    looked: selectors.signals_and_relatives); the live signals of all of them (one, only
    when there are any: most youth match nothing), the matches with those keys, locked (one), the members of the ones
    that exist (one), the new matches and their members (two), the messages (one). The
    access-log entries and chain events go to `entries` and `events`, which the caller
    writes in one go."""
    person = signal.person
    municipality = _municipality(signal)
    address = _address_key(person)
    # Siblings sharing at least one parent in the BRP (with the parent they share) and
    # other youth at the same BRP address.
    shared: dict[Any, str] = {}
    at_address: set[Any] = set()
    for pid, parent in relatives:
        if parent:
            shared[pid] = min(shared.get(pid, parent), parent)
        else:
            at_address.add(pid)
    # live_signals(today) of other organisations, written out (selectors.candidates).
    candidates = selectors.candidates(
        [*([person.pk] if client else []), *shared, *at_address], signal.organisation_id,
        today, _years_before(today, LAST_AGE))
    for s in candidates:
        _hint_registered(s)
    same = [s for s in candidates if s.person_id == person.pk]
    siblings = [s for s in candidates if s.person_id in shared]
    near = [s for s in candidates if s.person_id in at_address]
    wanted: list[tuple[str, str, list[Signal]]] = []
    if same:  # client match: another organisation signals the same youth
        wanted.append((MatchKind.CLIENT, f"client:{person.pk}", same))
    if siblings:  # family match: a signal on a sibling sharing a parent
        key = min(shared[s.person_id] for s in siblings)
        wanted.append((MatchKind.FAMILY, _key("family", key), siblings))
    if near:  # address match (the municipality may switch it off)
        wanted.append((MatchKind.ADDRESS, _key("address", address), near))
    if not wanted:
        return []
    # Locked: a match that is closing at this moment (retention ended one of its two
    # signals) is found closed after the wait, and a new one is made.
    existing = {(m.kind, m.subject_key): m for m in selectors.open_matches_locked(
        [(kind, key) for kind, key, _others in wanted])}
    members = selectors.members([m.pk for m in existing.values()])
    for signals in members.values():
        for s in signals:
            _hint_registered(s)
    plan: list[tuple[Match, list[Signal], list[Signal]]] = []  # match, newcomers, members
    related: set[Any] = {person.pk}
    for kind, key, others in wanted:
        match = existing.get((kind, key))
        if kind == MatchKind.ADDRESS:
            # Youth already in this signal's client or family match are not matched again
            # on their address.
            others = [s for s in others if s.person_id not in related]
            if not others:
                continue
        if match is None:
            match = Match(kind=kind, subject_key=key, municipality=municipality,
                          coordinator_due=add_working_days(
                              today, municipality.coordinator_days if municipality else 10))
            newcomers, old = [signal, *others], []
        else:
            old = members.get(match.pk, [])
            known = {s.pk for s in old}
            newcomers = [s for s in [signal, *others] if s.pk not in known]
        related.update(s.person_id for s in [*old, *newcomers])
        plan.append((match, newcomers, old))
    created = [m for m, _n, _o in plan if m.pk is None]
    new = {id(m) for m in created}
    if created:
        Match.objects.bulk_create(created)
    links = [Match.signals.through(match_id=m.pk, signal_id=s.pk)
             for m, newcomers, _o in plan for s in newcomers]
    if links:
        Match.signals.through.objects.bulk_create(links, ignore_conflicts=True)
    notes: list[inbox_app.Note] = []
    outbox: list[tuple[str, str, str]] = []
    for match, newcomers, old in plan:
        if id(match) in new:
            events.append({"activity": Activity.MATCH_CREATED,
                           "neighbourhood_code": _hood(person),
                           "organisation_id": signal.organisation_id,
                           "attributes": {"kind": match.kind, "signals": len(newcomers)}})
        else:
            events.append({"activity": Activity.MATCH_JOINED,
                           "neighbourhood_code": _hood(person),
                           "organisation_id": signal.organisation_id,
                           "attributes": {"kind": match.kind}})
        everyone = sorted([*old, *newcomers], key=lambda s: s.pk)
        entries.extend(_match_entries(match, signal, everyone))
        _messages(match, newcomers, everyone, entries, notes, outbox)
    inbox_app.deliver(notes)  # all of them in one INSERT
    if outbox:
        transaction.on_commit(lambda: _send(outbox))
    return [m for m, _n, _o in plan]


def _hint_registered(s: Signal) -> None:
    """Hand the loaded answers to the policy (access.policy.facts reads them): whether the
    contact registered the youth, coordinates a plan of the youth's household, is on the
    team of one."""
    s.person.jk_registered_for = s.contact_id  # type: ignore[attr-defined]
    s.person.jk_registered = bool(s.jk_registered)  # type: ignore[attr-defined]
    s.person.jk_plans_for = s.contact_id  # type: ignore[attr-defined]
    s.person.jk_coordinates = bool(s.jk_coordinates)  # type: ignore[attr-defined]
    s.person.jk_on_a_team = bool(s.jk_on_a_team)  # type: ignore[attr-defined]


def _municipality(signal: Signal) -> Any:
    return _municipality_of_person(signal.person, signal.contact)


def _municipality_of_person(person: Person, professional: Professional) -> Municipality:
    """The youth's municipality (by the neighbourhood of their address), else the
    registering organisation's."""
    hood = person.neighbourhood
    return hood.district.municipality if hood is not None else professional.organisation.municipality


def _match_entries(match: Match, signal: Signal, everyone: list[Signal]) -> list[dict[str, Any]]:
    """Every youth in the match gets an access-log record, which the family and the privacy
    officer see: this organisation registered a signal and a match was made. Nobody can use
    the index to look for a youth without it showing in that youth's overview."""
    youth = {s.person_id: s.person for s in everyone}
    actor = _system_actor(signal.contact)
    decision = Decision(True, Ground.MATCH, "professional")
    return [audit.entry(actor, Action.CREATE, Target(
        Data.MATCH, person=person, object_id=str(match.pk)), decision)
        for person in youth.values()]


def _contact_line(s: Signal) -> str:
    return f"- {s.contact.full_name}, {s.contact.organisation.name}, {s.contact_phone}, {s.contact_email}"


def _system_actor(prof: Professional) -> Actor:
    return Actor(user=prof.user, professional=prof,
                 access_point=AccessPoint(channel="system", user_agent="verwijsindex"))


def _about(signal: Signal, entries: list[dict[str, Any]]) -> str:
    """Whom the match is about, for the professional who signalled this youth (they
    registered them, so they hold the base data): policy checked and logged as a read of
    base data (the entry goes to `entries`); empty when the policy gives no ground (then
    the message names nobody)."""
    prof, person = signal.contact, signal.person
    actor = _system_actor(prof)
    target = Target(Data.BASE_DATA, person=person, object_id=str(person.pk))
    decision = decide(actor, Action.READ, target)
    if not decision.allowed:
        return ""
    entries.append(audit.entry(actor, Action.READ, target, decision))
    return _("Uw signaal over: %(name)s, geboren %(born)s.") % {
        "name": f"{person.given_names} {person.family_name}",
        "born": f"{person.birth_date:%d-%m-%Y}"}


def _about_line(signal: Signal) -> str:
    entries: list[dict[str, Any]] = []
    about = _about(signal, entries)
    audit.append(entries)
    return about


def _messages(match: Match, newcomers: list[Signal], everyone: list[Signal],
              entries: list[dict[str, Any]], notes: list[inbox_app.Note],
              outbox: list[tuple[str, str, str]]) -> None:
    """Every involved professional hears, at once, the other professionals' contact details
    and whom their own signal is about, nothing else. A newcomer hears of everyone; the
    others hear of the newcomers."""
    everyone = [s for s in everyone if s.status == SignalStatus.ACTIVE]
    new_ids = {s.pk for s in newcomers}
    for s in everyone:
        others = [o for o in everyone if o.pk != s.pk and (s.pk in new_ids or o.pk in new_ids)]
        if not others:
            continue
        subject = _("Match in de verwijsindex")
        about = _about(s, entries)
        body = "\n".join([
            _("Er is een match op een van uw signalen in de verwijsindex. "
              "Neem contact op met elkaar en spreek af wie de regie neemt."),
            *([about] if about else []),
            "", _("Betrokken professionals:"), *(_contact_line(o) for o in others),
        ])
        notes.append(inbox_app.Note(s.contact, subject, body, match=match))
        outbox.append((s.contact.email, subject, body))


def _send(outbox: list[tuple[str, str, str]]) -> None:
    for address, subject, body in outbox:
        send_mail(subject, body + "\n\n" + _("Bekijk de match in Jeugdketen."),
                  settings.DEFAULT_FROM_EMAIL, [address], fail_silently=True)


# --- withdraw and extend --------------------------------------------------------------


def _lock_youth_of(signal_id: Any) -> None:
    """The locks a registration on the signal's youth takes (youth, parents, address), taken
    before the signal itself: a withdrawal and a registration that could match it then
    happen one after the other (in either order a match has its live signals), and never
    wait for each other's rows (no deadlock)."""
    person = Person.objects.filter(signals__pk=_int(signal_id)).first()
    if person is not None:  # else the policy refuses it next
        _lock(_lock_keys(person, _parents(person)))


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


def _own_signal(actor: Actor, signal_id: Any, action: Action) -> Signal:
    signal = audit.get_or_deny(actor, action, Data.SIGNAL,
                         Signal.objects.select_for_update().select_related("person"), signal_id)
    audit.authorize(actor, action, _signal_target(signal))
    return signal


@audit.write_path
def withdraw_signal(actor: Actor, signal_id: Any, *, reason: str, today: date | None = None) -> Signal:
    if reason not in (EndReason.UNJUSTIFIED, EndReason.RISK_GONE):
        raise Refusal.invalid([FieldError("reason", "withdraw_reason", _(
            "Reden is 'unjustified' (ten onrechte) of 'risk_gone' (risico is weg)."))])
    _lock_youth_of(signal_id)
    signal = _own_signal(actor, signal_id, Action.UPDATE)
    today = today or timezone.localdate()
    matched = signal.matches.exists()
    _end([signal], reason, today)
    emit(Activity.SIGNAL_WITHDRAWN, neighbourhood_code=_hood(signal.person), organisation_id=signal.organisation_id,
         attributes={"reason": reason})
    _watch_withdrawal(actor, signal, reason, matched, today)
    return signal


def _watch_withdrawal(actor: Actor, signal: Signal, reason: str, matched: bool,
                      today: date) -> None:
    """Tell the privacy officers of the municipality when a withdrawal looks like using the
    index to search: a signal withdrawn soon after it matched (whatever the reason given),
    or as unjustified after a match, or a professional who withdraws many signals soon after
    registering them (every one from the threshold on)."""
    prof = actor.professional
    assert prof is not None
    since = today - timedelta(days=settings.INDEX_WATCH_DAYS)
    quick = Signal.objects.filter(
        contact=prof, status__in=(SignalStatus.ENDED, SignalStatus.ARCHIVED),
        end_reason__in=(EndReason.UNJUSTIFIED, EndReason.RISK_GONE), ended_on__gte=since,
        ended_on__lte=F("registered_on") + timedelta(days=settings.INDEX_WATCH_DAYS)).count()
    reasons = []
    if reason == EndReason.UNJUSTIFIED and matched:
        reasons.append(_("een signaal is als ten onrechte ingetrokken nadat het een match gaf"))
    elif matched and (today - signal.registered_on).days <= settings.INDEX_WATCH_DAYS:
        reasons.append(_("een signaal is kort na een match weer ingetrokken"))
    if quick >= settings.INDEX_WATCH_WITHDRAWALS:
        reasons.append(_("%(n)s signalen zijn binnen %(days)s dagen na het afgeven weer "
                         "ingetrokken") % {"n": quick, "days": settings.INDEX_WATCH_DAYS})
    if not reasons:
        return
    municipality = _municipality_of_person(signal.person, prof)
    officers = [p for p in Professional.objects.filter(organisation__municipality=municipality)
                if "privacy_officer" in p.roles]
    body = "\n".join([
        _("Mogelijk gebruik van de verwijsindex om te zoeken door %(name)s (%(org)s):")
        % {"name": prof.full_name, "org": prof.organisation.name},
        *(f"- {r}" for r in reasons), "",
        _("Signaal %(id)s. Bekijk de signalen en het toegangslog van deze professional.")
        % {"id": signal.pk}])
    inbox_app.deliver(inbox_app.Note(officer, _("Verwijsindex: let op"), body) for officer in officers)
    emit(Activity.INDEX_USE_ALERTED, organisation_id=prof.organisation_id,
         attributes={"matched_unjustified": reason == EndReason.UNJUSTIFIED and matched,
                     "quick_withdrawals": quick})


@audit.write_path
def extend_signal(actor: Actor, signal_id: Any, *, duration_days: int) -> Signal:
    signal = _own_signal(actor, signal_id, Action.UPDATE)
    if not live_signals(timezone.localdate()).filter(pk=signal.pk).exists():
        raise Refusal("signal_ended", _("Dit signaal is verlopen en kan niet meer worden verlengd."),
                      status=409)
    if not 1 <= int(duration_days) <= MAX_DURATION_DAYS:
        raise Refusal.invalid([FieldError("duration_days", "duration_range", _(
            "De looptijd is 1 tot en met 730 dagen (ten hoogste 2 jaar)."))])
    minimum = _municipality(signal).min_signal_days
    if int(duration_days) < minimum:
        raise Refusal.invalid([FieldError("duration_days", "duration_minimum", _(
            "De looptijd is ten minste %(n)s dagen (de keuze van de gemeente).")
            % {"n": minimum})])
    if int(duration_days) == signal.duration_days:
        return signal  # already so (a repeated request): nothing changes, nothing to count
    signal.duration_days = int(duration_days)
    signal.expires_on = min(signal.registered_on + timedelta(days=signal.duration_days),
                            birthday(signal.person, LAST_AGE))
    signal.save(update_fields=["duration_days", "expires_on"])
    emit(Activity.SIGNAL_EXTENDED, neighbourhood_code=_hood(signal.person), organisation_id=signal.organisation_id,
         attributes={"duration_days": signal.duration_days})
    return signal


def _end(signals: list[Signal], reason: str, today: date) -> None:
    ids = [s.pk for s in signals]
    Signal.objects.filter(pk__in=ids).update(status=SignalStatus.ENDED, ended_on=today, end_reason=reason)
    for s in signals:
        s.status, s.ended_on, s.end_reason = SignalStatus.ENDED, today, reason
    # A match needs two active signals; with fewer it closes (an ended signal never matches).
    # The matches are locked before their signals are counted: two signals of one match
    # ending at the same moment would otherwise each still count the other as active.
    for match in Match.objects.select_for_update(no_key=True).filter(
            pk__in=Match.objects.filter(signals__in=ids).values("pk")
    ).exclude(status=MatchStatus.CLOSED).order_by("pk"):
        if match.signals.filter(status=SignalStatus.ACTIVE).count() < 2:
            match.status = MatchStatus.CLOSED
            match.save(update_fields=["status"])


# --- reads ----------------------------------------------------------------------------


@audit.write_path
def own_signals_query(actor: Actor, where: Any = None) -> Any:
    """The caller's own organisation's active signals, narrowed by a search `where` (a Q on
    the signal, e.g. on person__...): a query only, for counting a page of own_signals."""
    if actor.professional is None:
        return Signal.objects.none()
    signals = Signal.objects.filter(organisation_id=actor.professional.organisation_id,
                                    status=SignalStatus.ACTIVE,
                                    expires_on__gt=timezone.localdate())
    return signals if where is None else signals.filter(where)


@audit.write_path
def own_signals(actor: Actor, *, where: Any = None,
                order: tuple[str, ...] = ("-registered_on", "-id"),
                limit: int | None = None, offset: int = 0) -> list[Signal]:
    """The caller's own organisation's active signals (listing counts as reading each)."""
    if actor.professional is None:
        return []
    found = own_signals_query(actor, where).select_related("person", "contact").order_by(*order)
    signals = list(found[offset:] if limit is None else found[offset:offset + limit])
    allowed = audit.authorize_many(actor, Action.READ, [_signal_target(s) for s in signals])
    return [t.signal for t in allowed if t.signal is not None]


@audit.write_path
def read_signal(actor: Actor, signal_id: Any) -> Signal:
    signal = audit.get_or_deny(actor, Action.READ, Data.SIGNAL,
                         Signal.objects.select_related("person", "contact__organisation"), signal_id)
    audit.authorize(actor, Action.READ, _signal_target(signal))
    return signal


KIND_ORDER: dict[str, int] = {MatchKind.CLIENT: 0, MatchKind.FAMILY: 1, MatchKind.ADDRESS: 2}


def match_ids(actor: Actor, signals: list[Signal]) -> dict[int, int]:
    """Per signal of the caller's own (they are its contact): the open match it is in, the
    same one registering it answered (client before family before address). A colleague of
    the same organisation is not involved in that match and hears of no match. One query."""
    prof = actor.professional
    mine = [s.pk for s in signals if prof is not None and s.contact_id == prof.pk]
    if not mine:
        return {}
    rows = (Match.signals.through.objects.filter(signal_id__in=mine)
            .exclude(match__status=MatchStatus.CLOSED)
            .values_list("signal_id", "match_id", "match__kind"))
    found: dict[int, int] = {}
    for signal_id, match_id, _kind in sorted(rows, key=lambda r: (KIND_ORDER.get(r[2], 9), r[1])):
        found.setdefault(signal_id, match_id)
    return found


def _match_target(match: Match) -> Target:
    return Target(Data.MATCH, object_id=str(match.pk), record=match)


def _with_signals(qs: Any) -> Any:
    """Matches with what a card shows, in a fixed number of queries whatever their number:
    the coordinators, and the active signals (contact, organisation, youth, neighbourhood)."""
    active = (Signal.objects.filter(status=SignalStatus.ACTIVE)
              .select_related("contact__organisation", "person__neighbourhood")
              .order_by("registered_on", "id"))
    return qs.select_related(
        "coordinator__organisation", "proposed_coordinator__organisation", "proposed_by",
    ).prefetch_related(Prefetch("signals", queryset=active, to_attr="jk_active"))


def _mark_involved(actor: Actor, matches: list[Match]) -> None:
    """Tell the policy, from the loaded signals, whether the actor is involved in each match
    (their own active signal in it), so that deciding on a list costs no query per match."""
    prof = actor.professional
    today = timezone.localdate()
    for match in matches:
        match.jk_involved_for = prof.pk if prof else None  # type: ignore[attr-defined]
        match.jk_involved = prof is not None and any(  # type: ignore[attr-defined]
            s.contact_id == prof.pk and s.expires_on > today for s in match_contacts(match))


def _read_matches(actor: Actor, matches: list[Match]) -> list[Match]:
    """Of these matches, the ones the policy lets the actor read, each logged as read."""
    _mark_involved(actor, matches)
    rows, allowed = [], []
    for match in matches:
        decision = decide(actor, Action.READ, _match_target(match))
        if decision.allowed:
            allowed.append(match)
            rows.append(audit.entry(actor, Action.READ, _match_target(match), decision))
    audit.append(rows)
    return allowed


def oversees(actor: Actor) -> bool:
    prof = actor.professional
    return (prof is not None and "coordinator" in actor.roles
            and prof.organisation.kind == "municipality")


@audit.write_path
def my_matches(actor: Actor) -> list[Match]:
    """The matches the caller is involved in (through their own active signal), plus for the
    municipality's coordinator the overdue ones. Contact data only."""
    if actor.professional is None:
        return []
    mine = Q(signals__contact=actor.professional, signals__status=SignalStatus.ACTIVE)
    qs = Match.objects.exclude(status=MatchStatus.CLOSED)
    if oversees(actor):
        qs = qs.filter(mine | Q(status=MatchStatus.OPEN, coordinator_due__lt=timezone.localdate(),
                                municipality_id=actor.professional.organisation.municipality_id))
    else:
        qs = qs.filter(mine)
    ids = qs.values("pk")
    return _read_matches(actor, list(_with_signals(Match.objects.filter(pk__in=ids))
                                     .order_by("-created_at", "-id")))


@dataclass
class Overdue:
    """One page of the municipality's overdue matches, most overdue first, and what the
    list can be filtered on (the neighbourhoods and organisations of all of them)."""

    matches: list[Match]
    total: int
    page: int
    pages: int
    neighbourhoods: list[tuple[str, str]]
    organisations: list[tuple[int, str]]


OVERDUE_PER_PAGE = 25


@audit.write_path
def overdue_matches(actor: Actor, *, neighbourhood: str = "", organisation: int | None = None,
                    page: int = 1, per_page: int = OVERDUE_PER_PAGE) -> Overdue:
    """For the municipality's coordinator: the matches of their municipality without an
    agreed coordinator past the deadline, the longest overdue first. Only the page shown is
    read (and logged); the filters offer what the overdue matches hold."""
    if not oversees(actor):
        raise audit.AccessDenied(actor, Action.READ, Target(Data.MATCH),
                                 Decision.deny("the overdue list is the municipality's coordinator's"))
    assert actor.professional is not None
    overdue = Match.objects.filter(
        status=MatchStatus.OPEN, coordinator_due__lt=timezone.localdate(),
        municipality_id=actor.professional.organisation.municipality_id)
    active = Q(signals__status=SignalStatus.ACTIVE)
    hoods = sorted({(code, name or code) for code, name in overdue.filter(active).exclude(
        signals__person__neighbourhood__isnull=True).values_list(
        "signals__person__neighbourhood_id", "signals__person__neighbourhood__name")},
        key=lambda h: (h[1], h[0]))
    orgs = sorted(set(overdue.filter(active).values_list(
        "signals__organisation_id", "signals__organisation__name")), key=lambda o: (o[1], o[0]))
    chosen = overdue
    if neighbourhood:
        chosen = chosen.filter(pk__in=overdue.filter(
            active, signals__person__neighbourhood_id=neighbourhood).values("pk"))
    if organisation is not None:
        chosen = chosen.filter(pk__in=overdue.filter(
            active, signals__organisation_id=organisation).values("pk"))
    total = chosen.count()
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    rows = list(_with_signals(chosen).order_by("coordinator_due", "created_at", "id")
                [(page - 1) * per_page:page * per_page])
    return Overdue(_read_matches(actor, rows), total, page, pages, hoods, orgs)


@audit.write_path
def read_match(actor: Actor, match_id: Any) -> Match:
    match: Match = audit.get_or_deny(actor, Action.READ, Data.MATCH,
                              _with_signals(Match.objects), match_id)
    audit.authorize(actor, Action.READ, _match_target(match))
    return match


def match_contacts(match: Match) -> list[Signal]:
    """The match's active signals, oldest first (loaded with the match where it was)."""
    loaded = getattr(match, "jk_active", None)
    if loaded is not None:
        return list(loaded)
    return list(match.signals.filter(status=SignalStatus.ACTIVE)
                .select_related("contact__organisation", "person__neighbourhood")
                .order_by("registered_on", "id"))


def neighbourhood_of(match: Match) -> Any:
    """The neighbourhood of the match's youth (the first signal's with one known): what the
    municipality's coordinator needs to settle it, and what chain events carry anyway."""
    return next((s.person.neighbourhood for s in match_contacts(match)
                 if s.person.neighbourhood_id), None)


@dataclass(frozen=True)
class Youth:
    person_id: Any
    name: str
    birth_date: date


def _youth(person: Person) -> Youth:
    return Youth(person.pk, f"{person.given_names} {person.family_name}", person.birth_date)


@audit.write_path
def youth_of_matches(actor: Actor, matches: list[Match]) -> dict[int, Youth]:
    """Whom each match is about, for whoever already holds that youth's base data: the
    involved professional sees the youth of their own signal (they registered them); anyone
    else only a youth for whom the policy gives them a ground of its own (never the match
    itself). Each youth shown is logged as a read of base data. Matches without a youth the
    actor may see are left out. Queries: a fixed number, plus the policy's own questions
    for youth the actor has a plan with."""
    from jeugdketen.plans.models import Plan

    prof = actor.professional
    if prof is None or not matches:
        return {}
    candidates: dict[int, list[Person]] = {}
    for match in matches:
        signals = match_contacts(match)
        own = [s.person for s in signals if s.contact_id == prof.pk]
        candidates[match.pk] = own or [s.person for s in signals]
    persons = {p.pk: p for found in candidates.values() for p in found}
    registered = set(Registration.objects.filter(
        professional=prof, person_id__in=list(persons)).values_list("person_id", flat=True))
    # Only a plan of the person's household can give a ground besides a registration: the
    # policy is asked only about youth with such a plan where the actor takes part.
    with_plan = set(Plan.objects.filter(household__members__person_id__in=list(persons)).filter(
        Q(coordinator=prof) | Q(team__professional=prof, team__left_at__isnull=True))
        .values_list("household__members__person_id", flat=True))
    decisions: dict[Any, Decision] = {}
    for pk, person in persons.items():
        person.jk_registered_for = prof.pk  # type: ignore[attr-defined]
        person.jk_registered = pk in registered  # type: ignore[attr-defined]
        if pk in registered or pk in with_plan:
            decisions[pk] = decide(actor, Action.READ, Target(Data.BASE_DATA, person=person))
    found: dict[int, Youth] = {}
    rows = []
    for match in matches:
        for person in candidates[match.pk]:
            decision = decisions.get(person.pk)
            if decision is not None and decision.allowed:
                found[match.pk] = _youth(person)
                rows.append(audit.entry(actor, Action.READ, Target(
                    Data.BASE_DATA, person=person, object_id=str(person.pk)), decision))
                break
    audit.append(rows)
    return found


# --- coordinator --------------------------------------------------------------------------


def _match_for_update(actor: Actor, match_id: Any, data: Data = Data.MATCH) -> Match:
    match = audit.get_or_deny(actor, Action.UPDATE, data,
                         Match.objects.select_for_update(), match_id)
    audit.authorize(actor, Action.UPDATE, replace(_match_target(match), data=data))
    return match


def _candidate(match: Match, professional_id: Any) -> Professional:
    involved = {s.contact_id: s.contact for s in match_contacts(match)}
    try:
        candidate = involved[int(professional_id)]
    except (KeyError, ValueError, TypeError):
        raise Refusal("not_involved", _(
            "De regievoerder is een van de betrokken professionals."), field="professional_id") from None
    if not candidate.organisation.may_coordinate:
        raise Refusal("organisation_may_not_coordinate", _(
            "De organisatie van deze professional mag geen regie voeren."), field="professional_id")
    return candidate


def _tell_all(match: Match, subject: str, body: str) -> None:
    notes = []
    for s in match_contacts(match):
        about = _about_line(s)
        notes.append(inbox_app.Note(s.contact, subject, f"{body}\n{about}" if about else body,
                                match=match))
    inbox_app.deliver(notes)


@audit.write_path
def propose_coordinator(actor: Actor, match_id: Any, professional_id: Any) -> Match:
    match = _match_for_update(actor, match_id)
    if match.status != MatchStatus.OPEN:
        raise Refusal("already_coordinated", _("Voor deze match is de regievoerder al afgesproken."),
                      status=409)
    candidate = _candidate(match, professional_id)
    if match.proposed_coordinator_id == candidate.pk:
        raise Refusal("already_proposed", _(
            "Deze professional is al voorgesteld als regievoerder. Een andere betrokkene kan "
            "het voorstel accepteren."), status=409, field="professional_id")
    match.proposed_coordinator, match.proposed_by = candidate, actor.professional
    match.proposed_at = timezone.now()
    match.save(update_fields=["proposed_coordinator", "proposed_by", "proposed_at"])
    assert actor.professional is not None
    _tell_all(match, _("Voorstel regievoerder"), _(
        "%(who)s stelt voor dat %(candidate)s (%(org)s) de regie neemt. Een andere betrokkene "
        "kan dit accepteren.") % {"who": actor.professional.full_name,
                                  "candidate": candidate.full_name, "org": candidate.organisation.name})
    emit(Activity.COORDINATOR_PROPOSED, organisation_id=actor.professional.organisation_id,
         attributes={"kind": match.kind})
    return match


@audit.write_path
def accept_coordinator(actor: Actor, match_id: Any, *, signals_aligned: bool = True) -> Match:
    match = _match_for_update(actor, match_id)
    if match.status != MatchStatus.OPEN:
        raise Refusal("already_coordinated", _("Voor deze match is de regievoerder al afgesproken."),
                      status=409)
    if match.proposed_coordinator is None:
        raise Refusal("nothing_proposed", _("Er is nog geen regievoerder voorgesteld."), status=409)
    if actor.professional is not None and match.proposed_by_id == actor.professional.pk:
        raise Refusal("accept_by_other", _(
            "Een andere betrokken professional accepteert het voorstel."), status=409)
    return _settle(match, match.proposed_coordinator, signals_aligned, appointed=False)


@audit.write_path
def appoint_coordinator(actor: Actor, match_id: Any, professional_id: Any) -> Match:
    """The municipality's coordinator settles an overdue match (never one of the involved:
    they agree among themselves)."""
    match = _match_for_update(actor, match_id, Data.APPOINTMENT)
    if not match.coordinator_overdue():
        raise Refusal("not_overdue", _("De betrokkenen hebben nog tijd om zelf af te spreken."),
                      status=409)
    return _settle(match, _candidate(match, professional_id), None, appointed=True)


def _settle(match: Match, coordinator: Professional, aligned: bool | None, *, appointed: bool) -> Match:
    match.coordinator, match.status = coordinator, MatchStatus.COORDINATED
    match.agreed_at, match.signals_aligned = timezone.now(), aligned
    match.appointed_by_municipality = appointed
    match.save()
    _tell_all(match, _("Regievoerder afgesproken"), _(
        "%(name)s (%(org)s, %(phone)s, %(email)s) voert de regie.") % {
        "name": coordinator.full_name, "org": coordinator.organisation.name,
        "phone": coordinator.phone, "email": coordinator.email})
    working_days = working_days_between(match.created_at.date(), timezone.localdate())
    emit(Activity.COORDINATOR_APPOINTED if appointed else Activity.COORDINATOR_AGREED,
         organisation_id=coordinator.organisation_id,
         attributes={"kind": match.kind, "working_days": working_days, "aligned": aligned})
    return match


# --- the inbox ------------------------------------------------------------------------------


def inbox(professional: Professional) -> list[Message]:
    """A professional's own messages (contact data of colleagues; no client data)."""
    return list(professional.messages.all()[:200])


def mark_read(professional: Professional, message_id: int) -> None:
    inbox_app.mark_read(professional, message_id)


# --- overdue coordinator agreements ---------------------------------------------------------


@transaction.atomic
def alert_overdue(today: date | None = None) -> int:
    """Alert the municipality's coordinators about matches without a coordinator in time."""
    today = today or timezone.localdate()
    overdue = list(Match.objects.select_for_update().filter(
        status=MatchStatus.OPEN, coordinator_due__lt=today, overdue_alerted_at__isnull=True))
    for match in overdue:
        coordinators = [
            p for p in Professional.objects.filter(
                organisation__kind="municipality", organisation__municipality=match.municipality)
            if "coordinator" in p.roles]
        hood = neighbourhood_of(match)
        # The neighbourhood and the deadline (never the youth): what the coordinator needs
        # to find the match on the overdue list.
        where = _("Wijk: %(hood)s. Termijn: %(due)s.") % {
            "hood": (hood.name or hood.code) if hood else _("onbekend"),
            "due": f"{match.coordinator_due:%d-%m-%Y}"}
        body = (_("Bij een match in de verwijsindex is binnen de termijn geen regievoerder "
                  "afgesproken. U kunt er een aanwijzen.") + "\n" + where)
        inbox_app.deliver(inbox_app.Note(prof, _("Geen regievoerder afgesproken"), body, match=match)
                      for prof in coordinators)
        match.overdue_alerted_at = timezone.now()
        match.save(update_fields=["overdue_alerted_at"])
        emit(Activity.COORDINATOR_OVERDUE, attributes={"kind": match.kind})
    return len(overdue)


# --- retention ------------------------------------------------------------------------------


@dataclass
class RetentionPlan:
    as_of: date
    end: list[tuple[Signal, str]] = field(default_factory=list)
    archive: list[Signal] = field(default_factory=list)
    destroy: list[Signal] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        return {"ended": len(self.end), "archived": len(self.archive),
                "destroyed": len(self.destroy)}


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def retention_plan(as_of: date) -> RetentionPlan:
    """What the law requires on `as_of`: end (duration passed, 23rd birthday, death),
    archive every ended signal, destroy archived signals after 5 years and all index data
    of a youth at 23 or after death. Reads only."""
    plan = RetentionPlan(as_of)
    cutoff_23 = _years_before(as_of, LAST_AGE)
    gone = Q(person__birth_date__lte=cutoff_23) | Q(person__date_of_death__lte=as_of)
    ending = Signal.objects.filter(status=SignalStatus.ACTIVE).filter(
        Q(expires_on__lte=as_of) | gone).select_related("person")
    for s in ending.iterator(chunk_size=5000):
        if s.person.date_of_death is not None and s.person.date_of_death <= as_of:
            reason = EndReason.DEATH
        elif s.person.birth_date <= cutoff_23:
            reason = EndReason.AGE
        else:
            reason = EndReason.EXPIRED
        plan.end.append((s, reason))
    ending_ids = {s.pk for s, _r in plan.end}
    plan.archive = [s for s, _r in plan.end] + list(
        Signal.objects.filter(status=SignalStatus.ENDED).exclude(pk__in=ending_ids)
        .select_related("person"))
    destroy = Signal.objects.filter(
        # The archive term runs from the day the signal ended.
        Q(status=SignalStatus.ARCHIVED, ended_on__lte=_years_before(as_of, ARCHIVE_YEARS)) | gone
    ).select_related("person")
    plan.destroy = list(destroy)
    gone_ids = {s.pk for s in plan.destroy}
    # Signals ended now for a youth who is 23 or has died are destroyed, not kept.
    plan.destroy += [s for s in plan.archive if s.pk not in gone_ids and (
        s.person.birth_date <= cutoff_23 or (s.person.date_of_death or date.max) <= as_of)]
    return plan


def apply_retention(actor: Actor, plan: RetentionPlan, *, batch: int = 5000) -> dict[str, Any]:
    """Carry out a plan in batches (each one transaction: change, access log, chain events).
    Safe to run every night and to rerun: a second run finds nothing left to do."""
    from jeugdketen.chainlog.actions import emit_many

    def logged(signals: list[Signal], action: Action, activity: Activity,
               attrs: dict[Signal, dict[str, Any]] | None = None) -> None:
        rows, events = [], []
        for s in signals:
            target = _signal_target(s)
            decision = decide(actor, action, target)
            if not decision.allowed:  # pragma: no cover - the operator always may
                raise audit.AccessDenied(actor, action, target, decision)
            rows.append(audit.entry(actor, action, target, decision))
            events.append({"activity": activity, "neighbourhood_code": _hood(s.person),
                           "organisation_id": s.organisation_id,
                           "attributes": (attrs or {}).get(s, {})})
        audit.append(rows)
        emit_many(events)

    def still(signals: list[Signal], **state: Any) -> list[Signal]:
        """Of these signals, those still as the plan found them, locked (in id order): a
        run at the same moment (or a withdrawal) waits, and then finds them done."""
        found = set(Signal.objects.select_for_update().filter(
            pk__in=[s.pk for s in signals], **state).order_by("pk").values_list("pk", flat=True))
        return [s for s in signals if s.pk in found]

    today = plan.as_of
    done = {"ended": 0, "archived": 0, "destroyed": 0}
    for i in range(0, len(plan.end), batch):
        with transaction.atomic():
            kept = {s.pk for s in still([s for s, _r in plan.end[i:i + batch]],
                                        status=SignalStatus.ACTIVE)}
            ending = [(s, r) for s, r in plan.end[i:i + batch] if s.pk in kept]
            for reason in {r for _s, r in ending}:
                _end([s for s, r in ending if r == reason], reason, today)
            logged([s for s, _r in ending], Action.UPDATE, Activity.SIGNAL_ENDED,
                   {s: {"reason": r} for s, r in ending})
            done["ended"] += len(ending)
    for i in range(0, len(plan.archive), batch):
        with transaction.atomic():
            archiving = still(plan.archive[i:i + batch], status=SignalStatus.ENDED)
            Signal.objects.filter(pk__in=[s.pk for s in archiving]).update(
                status=SignalStatus.ARCHIVED, archived_on=today)
            logged(archiving, Action.UPDATE, Activity.SIGNAL_ARCHIVED)
            done["archived"] += len(archiving)
    unique = list({s.pk: s for s in plan.destroy}.values())
    for i in range(0, len(unique), batch):
        with transaction.atomic():
            destroying = still(unique[i:i + batch])
            logged(destroying, Action.DELETE, Activity.SIGNAL_DESTROYED)
            ids = [s.pk for s in destroying]
            touched = list(Match.objects.select_for_update(no_key=True).filter(
                pk__in=Match.objects.filter(signals__in=ids).values("pk")).order_by("pk"))
            Signal.objects.filter(pk__in=ids).delete()
            for match in touched:
                if not match.signals.exists():
                    match.delete()
                elif match.signals.filter(status=SignalStatus.ACTIVE).count() < 2 \
                        and match.status != MatchStatus.CLOSED:
                    match.status = MatchStatus.CLOSED
                    match.save(update_fields=["status"])
            done["destroyed"] += len(destroying)
    return done


# --- the information letter and the rights of youth and parents ----------------------------


@audit.write_path
def information_letter(actor: Actor, signal_id: Any) -> Any:
    """The letter to send on registration (printing it is logged)."""
    from jeugdketen.referral_index.documents import information_letter as build

    signal = audit.get_or_deny(actor, Action.PRINT, Data.SIGNAL,
                         Signal.objects.select_related("person", "contact", "organisation__municipality" ), signal_id)
    target = _signal_target(signal)
    decision = decide(actor, Action.READ, target)
    if not decision.allowed:
        raise audit.AccessDenied(actor, Action.PRINT, target, decision)
    # The address on the envelope is the BRP's current one (asked before anything is
    # written, so a slow BRP holds no write lock); without an answer, the kept one.
    address, answered = None, True
    if signal.person.bsn:
        from jeugdketen.brp import client as brp

        try:
            found = brp.person(signal.person.bsn)
        except brp.BrpUnavailable:
            answered = False
        else:
            address = found.address if found is not None else None
    audit.append([audit.entry(actor, Action.PRINT, target, decision)])
    municipality = _municipality(signal)
    # The letter goes to the family in Dutch, whatever language the professional reads.
    with translation.override("nl"):
        return build(signal, municipality.name if municipality else "", brp_address=address,
                     brp_answered=answered)


def _person_for_rights(actor: Actor, person_id: Any, action: Action) -> Person:
    person = audit.get_or_deny(actor, action, Data.RIGHTS_REQUEST,
                         Person.objects, person_id)
    audit.authorize(actor, action, Target(Data.RIGHTS_REQUEST, person=person))
    return person


@audit.write_path
def rights_report(actor: Actor, person_id: Any, *, action: Action = Action.READ) -> dict[str, Any]:
    """For the privacy officer: purpose, all signals (active and archived), who received
    which data and when, where the data came from, and the rights requests."""
    from jeugdketen.access.models import AccessLogRecord
    from jeugdketen.referral_index.documents import PURPOSE
    from jeugdketen.referral_index.models import RightsRequest

    person = _person_for_rights(actor, person_id, action)
    signals = list(Signal.objects.filter(person=person).select_related("organisation", "contact")
                   .order_by("registered_on", "id"))
    audit.authorize_many(actor, Action.EXPORT if action is Action.EXPORT else Action.READ,
                         [_signal_target(s) for s in signals])
    received = (AccessLogRecord.objects.filter(client_id=str(person.pk), outcome="allowed")
                .exclude(organisation_name="").order_by("at"))
    today = timezone.localdate()
    return {
        "person": {"id": str(person.pk), "name": f"{person.given_names} {person.family_name}",
                   "birth_date": person.birth_date.isoformat()},
        "made_on": today.isoformat(),
        "purpose": PURPOSE,
        "signals": [{"organisation": s.organisation.name, "contact_name": s.contact.full_name,
                     "contact_phone": s.contact_phone, "contact_email": s.contact_email,
                     "registered_on": s.registered_on.isoformat(),
                     "expires_on": s.expires_on.isoformat(), "status": s.status,
                     "end_reason": s.end_reason, "ended_on": _iso(s.ended_on),
                     "archived_on": _iso(s.archived_on)} for s in signals],
        "received": [{"at": r.at.isoformat(timespec="minutes"), "organisation": r.organisation_name,
                      "role": r.role, "action": r.action, "data": r.data, "ground": r.ground}
                     for r in received[:2000]],
        "sources": [{"organisation": reg.organisation.name, "since": reg.created_at.date().isoformat()}
                    for reg in Registration.objects.filter(person=person)
                    .select_related("organisation").order_by("created_at")],
        "requests": [{"id": q.pk, "kind": q.kind, "requested_by": q.requested_by,
                      "received_on": q.received_on.isoformat(), "due_on": q.due_on.isoformat(),
                      "overdue": q.answered_on is None and q.due_on < today,
                      "answered_on": _iso(q.answered_on), "granted": q.granted,
                      "outcome": q.outcome}
                     for q in RightsRequest.objects.filter(person=person).order_by("received_on")],
    }


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


RIGHTS_ANSWER_DAYS = 28  # four weeks


@audit.write_path
def record_rights_request(actor: Actor, person_id: Any, *, kind: str, requested_by: str,
                          received_on: date | None = None) -> Any:
    from jeugdketen.referral_index.models import RightsKind, RightsRequest

    person = _person_for_rights(actor, person_id, Action.CREATE)
    errors: list[FieldError] = []
    if kind not in RightsKind.values:
        errors.append(FieldError("kind", "rights_kind", _(
            "Soort is inspection, correction, copy of objection.")))
    if not (requested_by or "").strip():
        errors.append(FieldError("requested_by", "required", _("Dit veld is verplicht.")))
    elif "\x00" in requested_by:
        errors.append(FieldError("requested_by", "null_characters_not_allowed", _(
            "Het teken NUL (0x00) is niet toegestaan.")))
    received_on = received_on or timezone.localdate()
    if received_on > timezone.localdate():
        errors.append(FieldError("received_on", "not_in_future", _(
            "De ontvangstdatum ligt niet in de toekomst.")))
    if errors:
        raise Refusal.invalid(errors)
    request = RightsRequest.objects.create(
        person=person, kind=kind, requested_by=requested_by.strip()[:200], received_on=received_on,
        due_on=received_on + timedelta(days=RIGHTS_ANSWER_DAYS))
    emit(Activity.RIGHTS_REQUEST_RECEIVED, neighbourhood_code=_hood(person), attributes={"kind": kind})
    return request


@audit.write_path
def answer_rights_request(actor: Actor, request_id: Any, *, granted: bool, outcome: str,
                          answered_on: date | None = None) -> Any:
    from jeugdketen.referral_index.models import RightsRequest

    request = audit.get_or_deny(actor, Action.UPDATE, Data.RIGHTS_REQUEST,
                         RightsRequest.objects.select_for_update().select_related("person"), request_id)
    audit.authorize(actor, Action.UPDATE, Target(Data.RIGHTS_REQUEST, person=request.person,
                                                 object_id=str(request.pk)))
    if not (outcome or "").strip():
        raise Refusal.invalid([FieldError("outcome", "required", _("Beschrijf de uitkomst."))])
    if "\x00" in outcome:
        raise Refusal.invalid([FieldError("outcome", "null_characters_not_allowed", _(
            "Het teken NUL (0x00) is niet toegestaan."))])
    if request.answered_on is not None:
        raise Refusal("already_answered", _("Dit verzoek is al beantwoord."), status=409,
                      field="outcome")
    request.granted, request.outcome = granted, outcome.strip()
    request.answered_on = answered_on or timezone.localdate()
    request.handled_by = actor.professional
    request.save()
    emit(Activity.RIGHTS_REQUEST_ANSWERED, neighbourhood_code=_hood(request.person),
         attributes={"kind": request.kind, "granted": granted,
                     "days": (request.answered_on - request.received_on).days})
    return request
