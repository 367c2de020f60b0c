"""One intake meeting with the right specialists at once: the front-door team plans it and
invites one professional of each organisation the question needs, the organisations
accept or decline (a declined discipline can be replaced), and the meeting records its
outcome: the family plan with the goals and team carried over, advice, or a referral.

An invited organisation reads the report only with the family's consent (category
`intake`, per person and organisation, for no plan) or a legal basis: the front door
records the consent the family gave it with the planning (or the replacement) of the
invitations; the family may also give it in its own view. The report's `consent_to_share`
is what the reporter said and gives nobody a ground."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jeugdketen.access import audit
from jeugdketen.access.policy import Action, Actor, Data, Decision, Ground
from jeugdketen.chainlog.actions import moment
from jeugdketen.chainlog.vocabulary import Activity
from jeugdketen.core.errors import Refusal
from jeugdketen.intake.actions import _common as c
from jeugdketen.intake.actions.reports import closed
from jeugdketen.intake.actions.triage import start_plan_for
from jeugdketen.intake.models import (
    CareReport,
    CloseReason,
    IntakeMeeting,
    Invitation,
    InvitationStatus,
    Outcome,
    OutcomeDecision,
    OutcomeGoal,
    Step,
)
from jeugdketen.plans.models import GOAL_LEVELS
from jeugdketen.registry.models import Organisation, OrganisationKind, Person, Professional

OPEN = (InvitationStatus.INVITED, InvitationStatus.ACCEPTED)


def _organisations(value: Any, field_name: str) -> list[Organisation]:
    wanted = c.int_ids(c.ids(value, field_name), field_name)
    found = {o.pk: o for o in Organisation.objects.filter(pk__in=wanted)}
    if len(found) != len(wanted):
        raise Refusal("unknown_organisation", _("Deze organisatie bestaat niet."),
                      field=field_name)
    return [found[pk] for pk in wanted]


def _meeting(actor: Actor, meeting_id: Any, action: Action) -> tuple[IntakeMeeting, CareReport]:
    """The meeting (its report locked for the change) an action is about."""
    meeting = audit.get_or_deny(actor, action, Data.INTAKE, IntakeMeeting.objects, meeting_id,
                                "intake meeting")
    report = c.report_for(actor, meeting.report_id, action, Data.INTAKE, lock=True)
    return IntakeMeeting.objects.select_for_update().get(pk=meeting.pk), report


def _not_held(meeting: IntakeMeeting, field_name: str) -> None:
    if meeting.held_at is not None:
        raise Refusal("intake_held", _("Deze intake is al gehouden."), status=409,
                      field=field_name)


def _may_hold(meeting: IntakeMeeting, report: CareReport, now: datetime,
              field_name: str) -> None:
    """A meeting is held once, of a report waiting for its intake, once it has begun."""
    _not_held(meeting, field_name)
    if report.step != Step.INTAKE_PLANNED:
        raise Refusal("not_planned", _("Voor deze melding staat geen intake gepland."),
                      status=409, field=field_name)
    if meeting.starts_at > now:
        raise Refusal("intake_not_started", _("De intake is nog niet begonnen."), status=409,
                      field=field_name)


def _held(meeting: IntakeMeeting, report: CareReport, actor: Actor, now: datetime, *,
          disciplines: int) -> None:
    """The meeting held now, and its chain event (`intake.held`, with its start and end)."""
    meeting.held_at = now
    meeting.save(update_fields=["held_at"])
    received_on = timezone.localdate(report.received_at)
    c.emit_report_event(Activity.INTAKE_HELD, report, actor, now, joint=meeting.joint,
                        disciplines=disciplines,
                        days_since_report=(timezone.localdate(now) - received_on).days,
                        starts_at=meeting.starts_at.isoformat(),
                        ends_at=meeting.ends_at.isoformat())


def _intake_givers(report: CareReport, consent_given_by: Any, today: date
                   ) -> list[tuple[Person, list[str]]]:
    """For each person the report is about (its person, or every member of its household),
    those of the givers who may give the family's consent for them: the person from 12,
    the custody holders the BRP names under 16. Whether that is enough (alone from 16, a
    custody holder under 12, both from 12 to 15) check_givers decides, in give_consent.
    Every giver gives it for someone; every person gets some giver."""
    from jeugdketen.access.actions import (
        CONSENT_ALONE_FROM,
        CONSENT_TOGETHER_FROM,
        custody_holders_of,
    )

    field = "consent_given_by"
    givers = set(c.ids(consent_given_by, field))
    subjects: list[Person] = ([report.person] if report.person is not None
                              else list(c.members_of(c.household_of(report))))
    if not subjects:
        raise Refusal("not_identified", _(
            "Leg eerst vast over wie de melding gaat."), status=409, field="person_id")
    out: list[tuple[Person, list[str]]] = []
    used: set[str] = set()
    for person in subjects:
        pid = str(person.pk)
        age = person.age_on(today)
        may = ({pid} if age >= CONSENT_ALONE_FROM
               else custody_holders_of(person) | ({pid} if age >= CONSENT_TOGETHER_FROM
                                                  else set()))
        own = sorted(givers & may)
        if not own:
            raise Refusal("consent_givers_missing", _(
                "%(name)s: kies wie de toestemming voor de intake geeft (de persoon zelf "
                "vanaf 16 jaar, een ouder met gezag onder 16 jaar).") % {"name": person},
                field=field)
        used.update(own)
        out.append((person, own))
    if givers - used:
        raise Refusal("consent_givers", _(
            "Kies wie de toestemming geeft: de persoon zelf vanaf 12 jaar of een ouder met "
            "gezag, van de personen over wie de melding gaat."), field=field)
    return out


def _record_intake_consent(actor: Actor, givers: list[tuple[Person, list[str]]],
                           organisations: Sequence[Organisation], now: datetime) -> None:
    """The family's consent (category `intake`, for no plan) for each organisation, for each
    person the report is about, through give_consent (which checks the givers against the
    BRP). A consent in force for the same person and organisation is not given twice (one
    withdrawal withdraws it)."""
    from jeugdketen.access.actions import give_consent
    from jeugdketen.access.models import Consent

    today = timezone.localdate(now)
    existing = {(str(p), o) for p, o, cats, until in Consent.objects.filter(
        person_id__in=[p.pk for p, _own in givers],
        organisation_id__in=[o.pk for o in organisations], plan__isnull=True,
        withdrawn_at__isnull=True, valid_from__lte=today).values_list(
            "person_id", "organisation_id", "categories", "valid_until")
        if cats == ["intake"] and (until is None or until >= today)}
    for organisation in organisations:
        for person, own in givers:
            if (str(person.pk), organisation.pk) in existing:
                continue
            try:
                give_consent(actor, person.pk, plan_id=None, given_by=own,
                             organisation_id=organisation.pk, categories=["intake"], at=now)
            except Refusal as refused:
                if refused.field != "given_by_person_ids":  # give_consent's name for givers
                    raise
                raise Refusal(refused.rule, f"{person}: {refused.message}",
                              status=refused.status, field="consent_given_by") from None


def _front_door_only(decision: Decision, field_name: str) -> None:
    if decision.ground != Ground.FRONT_DOOR:
        raise Refusal("front_door_only", _("Dit doet het team van de voordeur."), status=403,
                      field=field_name)


@audit.write_path
def plan_intake(actor: Actor, report_id: Any, *, organisation_ids: Sequence[Any],
                starts_at: datetime, ends_at: datetime, location: str, joint: bool = True,
                consent_given_by: Sequence[Any] = (), at: datetime | None = None
                ) -> IntakeMeeting:
    """Plan the intake of a triaged report and invite each chosen organisation (one
    professional of each). `joint` False records today's single-organisation intake (one
    organisation), for the comparison of both ways of working. A report may get a second
    meeting when a declined discipline could not be replaced. `consent_given_by` (person
    ids): the family told the front door it consents; its consent (category `intake`) is
    recorded for each person the report is about and each invited organisation, in this
    transaction, so they read the report before the meeting."""
    now = moment(at)
    report = c.report_for(actor, report_id, Action.CREATE, Data.INTAKE, lock=True)
    audit.authorize(actor, Action.CREATE, c.report_target(report, Data.INTAKE))
    organisations = _organisations(organisation_ids, "organisation_ids")
    joint = c.flag(joint, "joint")
    if not joint and len(organisations) != 1:
        raise Refusal("single_intake", _(
            "Een intake van één organisatie heeft één organisatie."), field="organisation_ids")
    starts_at = c.moment_field(starts_at, "starts_at")
    ends_at = c.moment_field(ends_at, "ends_at")
    if ends_at <= starts_at:
        raise Refusal("ends_before_start", _("De intake eindigt na het begin."),
                      field="ends_at")
    location = c.text(location, "location", limit=500)
    if report.step not in (Step.TRIAGED, Step.INTAKE_PLANNED):
        raise Refusal("not_for_intake", _(
            "Een intake wordt gepland voor een melding die naar de intake is getrieerd."),
            status=409, field="report_id")
    givers = (_intake_givers(report, consent_given_by, timezone.localdate(now))
              if consent_given_by else [])
    meeting = IntakeMeeting.objects.create(
        report=report, joint=joint, starts_at=starts_at, ends_at=ends_at, location=location,
        planned_by=c.professional_of(actor), planned_at=now)
    Invitation.objects.bulk_create([
        Invitation(meeting=meeting, organisation=o, status=InvitationStatus.INVITED)
        for o in organisations])
    if report.step != Step.INTAKE_PLANNED:
        report.save(update_fields=c.move(report, Step.INTAKE_PLANNED, now))
    c.emit_report_event(Activity.INTAKE_PLANNED, report, actor, now,
                        organisations=len(organisations), joint=joint)
    if givers:
        _record_intake_consent(actor, givers, organisations, now)
    return meeting


@audit.write_path
def answer_invitation(actor: Actor, meeting_id: Any, organisation_id: Any, *, accept: bool,
                      reason: str = "", professional_id: Any = None,
                      at: datetime | None = None) -> Invitation:
    """An invited organisation accepts (naming who comes: default the one who answers) or
    declines with a reason. The front-door team may record an answer given to it."""
    now = moment(at)
    meeting, report = _meeting(actor, meeting_id, Action.UPDATE)
    decision = audit.authorize(actor, Action.UPDATE, c.report_target(report, Data.INTAKE))
    me = actor.professional
    invitation = Invitation.objects.filter(
        meeting=meeting, organisation_id=c.int_ids([organisation_id], "organisation_id")[0],
    ).exclude(status=InvitationStatus.REPLACED).select_for_update().first()
    if invitation is None:
        raise Refusal("not_invited", _("Deze organisatie is niet uitgenodigd."), status=404,
                      field="organisation_id")
    if decision.ground != Ground.FRONT_DOOR and (
            me is None or me.organisation_id != invitation.organisation_id):
        raise Refusal("not_your_invitation", _(
            "U beantwoordt alleen de uitnodiging van uw eigen organisatie."), status=403,
            field="organisation_id")
    _not_held(meeting, "accept")
    if invitation.status != InvitationStatus.INVITED:
        raise Refusal("already_answered", _("Deze uitnodiging is al beantwoord."),
                      status=409, field="accept")
    if c.flag(accept, "accept"):
        if professional_id in (None, ""):
            if me is None or me.organisation_id != invitation.organisation_id:
                raise Refusal("required", _("Kies wie er komt."), field="professional_id")
            professional_id = me.pk
        who = Professional.objects.filter(pk=c.int_ids([professional_id], "professional_id")[0],
                                          organisation_id=invitation.organisation_id).first()
        if who is None:
            raise Refusal("professional_not_of_organisation", _(
                "Kies iemand van de uitgenodigde organisatie."), field="professional_id")
        invitation.status, invitation.professional, invitation.reason = (
            InvitationStatus.ACCEPTED, who, c.text(reason, "reason", required=False))
    else:
        invitation.status = InvitationStatus.DECLINED
        invitation.reason = c.text(reason, "reason")
    invitation.answered_at = now
    invitation.save(update_fields=["status", "professional", "reason", "answered_at"])
    return invitation


@audit.write_path
def replace_invitation(actor: Actor, meeting_id: Any, organisation_id: Any, *,
                       by_organisation_id: Any, consent_given_by: Sequence[Any] = (),
                       at: datetime | None = None) -> Invitation:
    """The front-door team replaces a declined discipline: another organisation is invited
    to the same meeting. Returns the new invitation. `consent_given_by` as for plan_intake:
    the family's consent for the new organisation, recorded with it."""
    now = moment(at)
    meeting, report = _meeting(actor, meeting_id, Action.UPDATE)
    decision = audit.authorize(actor, Action.UPDATE, c.report_target(report, Data.INTAKE))
    _front_door_only(decision, "organisation_id")
    _not_held(meeting, "by_organisation_id")
    old = Invitation.objects.filter(
        meeting=meeting, organisation_id=c.int_ids([organisation_id], "organisation_id")[0],
        status=InvitationStatus.DECLINED).select_for_update().first()
    if old is None:
        raise Refusal("not_declined", _("Alleen een afgeslagen uitnodiging wordt vervangen."),
                      status=409, field="organisation_id")
    by = _organisations([by_organisation_id], "by_organisation_id")[0]
    if Invitation.objects.filter(meeting=meeting, organisation=by).exclude(
            status=InvitationStatus.REPLACED).exists():
        raise Refusal("already_invited", _("Deze organisatie is al uitgenodigd."), status=409,
                      field="by_organisation_id")
    givers = (_intake_givers(report, consent_given_by, timezone.localdate(now))
              if consent_given_by else [])
    old.status, old.answered_at = InvitationStatus.REPLACED, old.answered_at or now
    old.save(update_fields=["status", "answered_at"])
    new = Invitation.objects.create(meeting=meeting, organisation=by,
                                    status=InvitationStatus.INVITED)
    if givers:
        _record_intake_consent(actor, givers, [by], now)
    return new


def _goals(goals: Any, members: tuple[Person, ...]) -> list[dict[str, Any]]:
    """The result goals the meeting named, each with the five levels in words (the plan's
    goals are complete: nothing typed twice)."""
    if not isinstance(goals, list | tuple):
        raise Refusal("goals", _("Geef de doelen als lijst."), field="goals")
    member_ids = {str(m.pk) for m in members}
    out = []
    for i, goal in enumerate(goals):
        field = f"goals[{i}]"
        if not isinstance(goal, Mapping):
            raise Refusal("goal", _("Een doel heeft een titel, voor wie het is en vijf "
                                    "niveaus."), field=field)
        title = c.text(goal.get("title"), f"{field}.title", limit=300)
        persons = c.ids(goal.get("person_ids"), f"{field}.person_ids")
        if not set(persons) <= member_ids:
            raise Refusal("goal_persons", _(
                "Een doel is voor een of meer leden van dit huishouden."),
                field=f"{field}.person_ids")
        levels = goal.get("levels")
        if not isinstance(levels, Mapping) or set(map(str, levels)) != set(GOAL_LEVELS):
            raise Refusal("goal_levels", _(
                "Beschrijf alle vijf niveaus: -2, -1, 0 (het verwachte resultaat), 1 en 2."),
                field=f"{field}.levels")
        words = {k: c.text(levels.get(k, levels.get(int(k))), f"{field}.levels.{k}",
                           limit=500) for k in GOAL_LEVELS}
        out.append({"title": title, "person_ids": persons, "levels": words})
    return out


def _professionals(value: Any, field_name: str, *, required: bool = True) -> list[Professional]:
    wanted = c.int_ids(c.ids(value, field_name, required=required), field_name)
    found = {p.pk: p for p in Professional.objects.filter(pk__in=wanted)
             .select_related("organisation")}
    if len(found) != len(wanted):
        raise Refusal("unknown_professional", _("Deze professional bestaat niet."),
                      field=field_name)
    return [found[pk] for pk in wanted]


@audit.write_path
def hold_intake(actor: Actor, meeting_id: Any, *, participant_ids: Sequence[Any],
                family_present_ids: Sequence[Any] = (), question_understood: str = "",
                goals: Sequence[Mapping[str, Any]] = (), coordinator_id: Any = None,
                main_organisation_id: Any = None, decision: str, referral_result: str = "",
                consent_given_by: Sequence[Any] = (), at: datetime | None = None) -> Outcome:
    """Record the meeting's outcome: who took part, the question as understood together,
    the result goals and the decision. `plan` starts the family plan (origin care report,
    its id the report's trajectory key) with the goals and the team carried over: the
    professionals of the accepted invitations and the participants of those
    organisations, on the family's consent given at the meeting (`consent_given_by`);
    `advice` closes the report; `referral` (to specialised help, named by its result)
    waits for record_help_started."""
    now = moment(at)
    meeting, report = _meeting(actor, meeting_id, Action.UPDATE)
    # The outcome is the report's (care report data): the front-door team records it.
    audit.authorize(actor, Action.UPDATE, c.report_target(report))
    decision = c.choice(decision, OutcomeDecision, "decision", _(
        "Kies een besluit: gezinsplan, advies of verwijzing."))
    participants = _professionals(participant_ids, "participant_ids")
    household = c.household_of(report)
    members: tuple[Person, ...] = c.members_of(household)
    if not members and report.person is not None:
        members = (report.person,)
    present = c.ids(family_present_ids, "family_present_ids", required=False)
    if not set(present) <= {str(m.pk) for m in members}:
        raise Refusal("not_in_family", _("Kies leden van dit gezin."),
                      field="family_present_ids")
    understood = c.text(question_understood, "question_understood", required=False)
    goal_rows = _goals(goals, members)
    coordinator = None
    if coordinator_id not in (None, ""):
        coordinator = _professionals([coordinator_id], "coordinator_id")[0]
        if not coordinator.organisation.may_coordinate:
            raise Refusal("organisation_may_not_coordinate", _(
                "De regisseur komt van een organisatie die regie mag voeren."),
                field="coordinator_id")
    main = None
    if main_organisation_id not in (None, ""):
        main = _organisations([main_organisation_id], "main_organisation_id")[0]
    referral = c.text(referral_result, "referral_result",
                      required=decision == OutcomeDecision.REFERRAL, limit=1000)
    if decision == OutcomeDecision.PLAN:
        if coordinator is None:
            raise Refusal("required", _("Kies de regisseur."), field="coordinator_id")
        if not goal_rows:
            raise Refusal("required", _("Een gezinsplan begint met een of meer doelen."),
                          field="goals")
    _may_hold(meeting, report, now, "decision")
    accepted = list(meeting.invitations.filter(status=InvitationStatus.ACCEPTED)
                    .select_related("professional__organisation"))
    outcome = Outcome.objects.create(
        meeting=meeting, question_understood=understood, decision=decision,
        coordinator=coordinator,
        main_organisation=main or (coordinator.organisation if coordinator else None),
        referral_result=referral, recorded_by=c.professional_of(actor), recorded_at=now)
    outcome.participants.set(participants)
    outcome.family_present.set([m for m in members if str(m.pk) in present])
    for row in goal_rows:
        goal = OutcomeGoal.objects.create(outcome=outcome, title=row["title"],
                                          levels=row["levels"])
        goal.persons.set([m for m in members if str(m.pk) in row["person_ids"]])
    _held(meeting, report, actor, now, disciplines=len({i.organisation_id for i in accepted}))
    c.emit_report_event(Activity.INTAKE_DECIDED, report, actor, now, decision=decision)
    if decision == OutcomeDecision.ADVICE:
        closed(report, actor, now, CloseReason.ADVICE)
    elif decision == OutcomeDecision.REFERRAL:
        report.save(update_fields=c.move(report, Step.INTAKE_HELD, now))
    else:
        assert coordinator is not None
        start_plan_for(actor, report, coordinator.pk, consent_given_by, now,
                       goals=goal_rows, team=_team(accepted, participants, coordinator))
        fields = c.move(report, Step.HELP_STARTED, now)
        report.save(update_fields=[*fields, "plan"])
    return outcome


def _team(accepted: list[Invitation], participants: list[Professional],
          coordinator: Professional) -> list[dict[str, Any]]:
    """The plan's care team from the meeting: who each accepting organisation sent and its
    participants (the front-door team's own people are not in it), each once, never the
    coordinator; their role is their organisation's kind."""
    organisations = {i.organisation_id for i in accepted}
    people = [i.professional for i in accepted if i.professional is not None]
    people += [p for p in participants if p.organisation_id in organisations]
    team: list[dict[str, Any]] = []
    seen = {coordinator.pk}
    for prof in people:
        if prof.pk in seen:
            continue
        seen.add(prof.pk)
        with translation.override(settings.LANGUAGE_CODE):  # stored text: in the platform's language
            kind = str(OrganisationKind(prof.organisation.kind).label)
        team.append({"professional_id": prof.pk, "role": kind})
    return team


@audit.write_path
def hold_single_intake(actor: Actor, meeting_id: Any, *, at: datetime | None = None
                       ) -> IntakeMeeting:
    """One organisation's own intake held, in today's way of working (one organisation
    after the other, `joint` false): recorded as held (`intake.held`, so the value stream
    counts every intake the family sat through), while the report waits for the next
    organisation's intake or for the outcome, which hold_intake records at the last one."""
    now = moment(at)
    meeting, report = _meeting(actor, meeting_id, Action.UPDATE)
    audit.authorize(actor, Action.UPDATE, c.report_target(report))
    if meeting.joint:
        raise Refusal("joint_intake", _(
            "Een gezamenlijke intake wordt vastgelegd met zijn uitkomst."), status=409,
            field="meeting_id")
    _may_hold(meeting, report, now, "meeting_id")
    accepted = meeting.invitations.filter(status=InvitationStatus.ACCEPTED)
    _held(meeting, report, actor, now,
          disciplines=accepted.values("organisation_id").distinct().count())
    return meeting
