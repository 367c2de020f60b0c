"""Front-door endpoints of the JSON API (issue 11, decision 0010): care reports, reading a
report in the projection the caller's ground allows, the triage, the joint intake, the
invitations' answers and the intake's outcome. Every call goes through intake.actions or
intake.selectors, which ask the access policy and log.

Not here: the queue (`GET /queue`) and the public form (`POST /public/care-reports`,
without a token), which have routers of their own."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any, Literal, TypeVar
from uuid import UUID

from django.utils import timezone
from ninja import Field, Router, Schema, Status

from jeugdketen.access.policy import Ground
from jeugdketen.access.requests import ActorRequest
from jeugdketen.core.errors import FieldError, Refusal
from jeugdketen.intake import selectors
from jeugdketen.intake.actions import meetings, reports, triage
from jeugdketen.intake.models import CareReport, IntakeMeeting, Outcome, ReporterKind

router = Router(tags=["front door"])

Urgency = Literal["crisis", "urgent", "regular"]
TEXT = 5000
# One household's persons, as POST /households takes members; organisations and
# professionals at one meeting.
PERSONS = 20
AT_THE_TABLE = 20
T = TypeVar("T")


def _named_as_sent(call: Callable[[], T], names: Mapping[str, str]) -> T:
    """Call an action; a refusal that names the action's parameter (`participant_ids`)
    names the field the caller sent (`participants`) instead, also inside a path
    (`participant_ids[2]`)."""
    try:
        return call()
    except Refusal as refused:
        def rename(field: str) -> str:
            for ours, theirs in names.items():
                if field == ours or field.startswith((ours + "[", ours + ".")):
                    return theirs + field[len(ours):]
            return field

        if not any(rename(e.field) != e.field for e in refused.errors):
            raise
        errors = [FieldError(rename(e.field), e.rule, e.message) for e in refused.errors]
        raise Refusal(refused.rule, refused.message, status=refused.status,
                      field=rename(refused.field), existing=refused.existing,
                      errors=errors) from None


def _aware(moment: datetime) -> datetime:
    """A date and time without an offset is the platform's time (Europe/Amsterdam)."""
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


# --- reports ----------------------------------------------------------------------------


class CareReportIn(Schema):
    person_id: UUID | None = Field(None, description="About a registered person, or ...")
    household_id: UUID | None = Field(None, description="... about a registered household: "
                                                        "exactly one of the two.")
    question: str = Field(min_length=1, max_length=TEXT,
                          description="The question, in the reporter's own words.")
    life_domains: list[str] = Field(
        min_length=1, max_length=19,
        description="The life domains concerned: keys of the integral analysis' domains "
                    "(`finances` ... `schooling`).")
    urgency: Urgency
    unsafe: bool = Field(description="Acute or structural unsafety: follow the Meldcode "
                                     "(Veilig Thuis 0800-2000).")
    desired_result: str = Field("", max_length=TEXT,
                                description="The result the family wants.")
    consent_to_share: bool = Field(description="The family agrees to share the report with "
                                               "the intake team.")
    contact_phone: str = Field("", max_length=20)
    contact_email: str = Field("", max_length=254)


class CareReportCreated(Schema):
    id: UUID
    status: Literal["received"]
    received_at: datetime
    triage_due_on: date


@router.post("/care-reports", response={201: CareReportCreated})
def report(request: ActorRequest, payload: CareReportIn) -> Status[dict[str, Any]]:
    """A care report ("zorgmelding") about a registered person or household, by a
    professional (who then reads only its status) or by the family itself. It goes to the
    front door of the municipality where the child lives, which triages it by
    `triage_due_on` (the norm for its urgency)."""
    created = reports.report(
        request.actor, person_id=payload.person_id, household_id=payload.household_id,
        question=payload.question, life_domains=payload.life_domains,
        urgency=payload.urgency, unsafe=payload.unsafe,
        desired_result=payload.desired_result, consent_to_share=payload.consent_to_share,
        contact_phone=payload.contact_phone, contact_email=payload.contact_email)
    return Status(201, {"id": created.pk, "status": "received",
                        "received_at": created.received_at,
                        "triage_due_on": created.step_due_on})


class CareReportTriageOut(Schema):
    decision: str
    urgency_before: str
    urgency_after: str
    working_days: int
    at: datetime


class IntakeGoalOut(Schema):
    title: str
    person_ids: list[UUID]
    levels: dict[str, str]


class IntakeOutcomeOut(Schema):
    decision: str
    question_understood: str
    participant_ids: list[int]
    family_present_ids: list[UUID]
    goals: list[IntakeGoalOut]
    coordinator_id: int | None
    main_organisation_id: int | None
    referral_result: str
    recorded_at: datetime


class IntakeInvitationOut(Schema):
    organisation_id: int
    status: str


class IntakeMeetingOut(Schema):
    id: int
    joint: bool
    starts_at: datetime
    ends_at: datetime
    location: str
    held_at: datetime | None
    invitations: list[IntakeInvitationOut]
    outcome: IntakeOutcomeOut | None


class CareReportContentOut(Schema):
    reference: str
    reporter_kind: str
    municipality_code: str
    person_id: UUID | None
    household_id: UUID | None
    neighbourhood_code: str
    urgency: str
    unsafe: bool
    question: str
    life_domains: list[str]
    desired_result: str
    consent_to_share: bool
    contact_phone: str
    contact_email: str
    given_name: str
    family_name: str
    birth_date: date | None
    postcode: str
    house_number: str
    reporter_name: str
    reporter_relation: str
    content_erased_at: datetime | None
    plan_id: UUID | None
    triage: CareReportTriageOut | None
    intakes: list[IntakeMeetingOut]


class CareReportOut(Schema):
    id: UUID
    projection: Literal["status", "family", "full"] = Field(description=(
        "`status` for the professional who reported: where the report stands, nothing of "
        "its content (`report` is null). `full` for the front-door team and an invited "
        "organisation with the family's consent (category `intake`) or a legal basis. "
        "`family` for the family: the content without who reported it (`reporter_name`, "
        "`reporter_relation`, `contact_phone`, `contact_email` empty), unless the family "
        "reported it itself."))
    status: str = Field(description="The step: received, triaged, intake_planned, "
                                    "intake_held, help_started, closed.")
    received_at: datetime
    step_since: date
    next_step: str
    next_step_by: date | None
    overdue: bool
    closed_at: datetime | None
    close_reason: str
    report: CareReportContentOut | None


# Who may read what of a report, by the ground the policy gave (deny by default: a ground
# not named here reads the status only).
FULL_GROUNDS = frozenset({Ground.FRONT_DOOR, Ground.INTAKE_INVITATION, Ground.LEGAL_BASIS})
FAMILY_GROUNDS = frozenset({Ground.SELF, Ground.PARENT, Ground.FAMILY})
# Who reported (a neighbour, a teacher) and how to reach them: not for the family, whose
# right to see its data does not reach the reporter's (AVG article 15(4)).
REPORTER_FIELDS = ("reporter_name", "reporter_relation", "contact_phone", "contact_email")


def projection_for(ground: str) -> Literal["status", "family", "full"]:
    if ground in FULL_GROUNDS:
        return "full"
    if ground in FAMILY_GROUNDS:
        return "family"
    return "status"


def _outcome_out(outcome: Outcome) -> dict[str, Any]:
    return {
        "decision": outcome.decision, "question_understood": outcome.question_understood,
        "participant_ids": [p.pk for p in outcome.participants.all()],
        "family_present_ids": [p.pk for p in outcome.family_present.all()],
        "goals": [{"title": g.title, "person_ids": [p.pk for p in g.persons.all()],
                   "levels": g.levels} for g in outcome.goals.all()],
        "coordinator_id": outcome.coordinator_id,
        "main_organisation_id": outcome.main_organisation_id,
        "referral_result": outcome.referral_result, "recorded_at": outcome.recorded_at,
    }


def _intake_out(meeting: IntakeMeeting) -> dict[str, Any]:
    outcome = getattr(meeting, "outcome", None)
    return {
        "id": meeting.pk, "joint": meeting.joint, "starts_at": meeting.starts_at,
        "ends_at": meeting.ends_at, "location": meeting.location, "held_at": meeting.held_at,
        "invitations": [{"organisation_id": i.organisation_id, "status": i.status}
                        for i in meeting.invitations.all()],
        "outcome": _outcome_out(outcome) if outcome is not None else None,
    }


def _content_out(report: CareReport) -> dict[str, Any]:
    triaged = getattr(report, "triage", None)
    meetings_ = (report.meetings.select_related("outcome")
                 .prefetch_related("invitations", "outcome__participants",
                                   "outcome__family_present", "outcome__goals__persons"))
    return {
        "reference": report.reference, "reporter_kind": report.reporter_kind,
        "municipality_code": report.municipality_id, "person_id": report.person_id,
        "household_id": report.household_id, "neighbourhood_code": report.neighbourhood_code,
        "urgency": report.urgency, "unsafe": report.unsafe, "question": report.question,
        "life_domains": report.life_domains, "desired_result": report.desired_result,
        "consent_to_share": report.consent_to_share, "contact_phone": report.contact_phone,
        "contact_email": report.contact_email, "given_name": report.given_name,
        "family_name": report.family_name, "birth_date": report.birth_date,
        "postcode": report.postcode, "house_number": report.house_number,
        "reporter_name": report.reporter_name, "reporter_relation": report.reporter_relation,
        "content_erased_at": report.content_erased_at, "plan_id": report.plan_id,
        "triage": triaged and {
            "decision": triaged.decision, "urgency_before": triaged.urgency_before,
            "urgency_after": triaged.urgency_after, "working_days": triaged.working_days,
            "at": triaged.at},
        "intakes": [_intake_out(m) for m in meetings_],
    }


@router.get("/care-reports/{report_id}", response=CareReportOut)
def read_report(request: ActorRequest, report_id: UUID) -> dict[str, Any]:
    """A report in the projection the caller's ground allows: the reporting professional
    reads where it stands (`projection: "status"`, `report` null); the front-door team
    and an invited organisation with the family's consent or a legal basis read it whole;
    the family reads it without who reported it. Anyone else gets 403, as for an unknown
    id. The read is logged."""
    found, decision = selectors.report_for(request.actor, report_id)
    status = selectors.status_of(found)
    projection = projection_for(decision.ground)
    content = None
    if projection != "status":
        content = _content_out(found)
        if projection == "family" and found.reporter_kind != ReporterKind.FAMILY:
            content |= dict.fromkeys(REPORTER_FIELDS, "")
    return {
        "id": found.pk, "projection": projection,
        "status": status["step"], "received_at": status["received_at"],
        "step_since": status["step_since"], "next_step": str(status["next_step"]),
        "next_step_by": status["next_step_by"], "overdue": status["overdue"],
        "closed_at": status["closed_at"], "close_reason": status["close_reason"],
        "report": content,
    }


# --- triage -----------------------------------------------------------------------------


class CareReportTriageIn(Schema):
    decision: Literal["advice", "neighbourhood_team", "joint_intake", "veilig_thuis"]
    urgency: Urgency | None = Field(None, description="A changed urgency (else as reported).")
    coordinator_id: int | None = Field(None, description=(
        "With `neighbourhood_team`: the neighbourhood team's coordinator of the plan that "
        "starts at once."))
    consent_given_by_person_ids: list[UUID] = Field(
        default_factory=list, max_length=PERSONS,
        description="With `neighbourhood_team`: the members who gave the family's consent "
                    "for the plan (as for POST /plans).")


class CareReportTriageResult(Schema):
    id: UUID
    status: str
    decision: str
    urgency: str
    working_days: int
    plan_id: UUID | None


@router.post("/care-reports/{report_id}/triage", response=CareReportTriageResult)
def triage_report(request: ActorRequest, report_id: UUID, payload: CareReportTriageIn) -> dict[str, Any]:
    """The front-door team triages a received report, once: `advice` and `veilig_thuis`
    close it, `neighbourhood_team` starts the family plan with the team's coordinator,
    `joint_intake` sends it on to the intake planning. A second triage, also one at the
    same moment, is refused with 409 `already_triaged`."""
    done = _named_as_sent(lambda: triage.triage(
        request.actor, report_id, decision=payload.decision, urgency=payload.urgency,
        coordinator_id=payload.coordinator_id,
        consent_given_by=[str(p) for p in payload.consent_given_by_person_ids]),
        {"consent_given_by": "consent_given_by_person_ids"})
    found = done.report
    return {"id": found.pk, "status": found.step, "decision": done.decision,
            "urgency": done.urgency_after, "working_days": done.working_days,
            "plan_id": found.plan_id}


# --- the intake -------------------------------------------------------------------------


class IntakeMeetingIn(Schema):
    organisation_ids: list[int] = Field(min_length=1, max_length=AT_THE_TABLE, description=(
        "The organisations to invite (one professional of each)."))
    starts_at: datetime = Field(description="ISO 8601; without an offset, Dutch time.")
    ends_at: datetime
    location: str = Field(min_length=1, max_length=500, description="A place or a video link.")
    joint: bool = Field(True, description="False: one organisation's own intake (today's "
                                          "practice), recorded for comparison.")
    consent_given_by_person_ids: list[UUID] = Field(
        default_factory=list, max_length=PERSONS,
        description="The members who told the front door they consent (category `intake`): "
                    "recorded for every person the report is about and every invited "
                    "organisation, so they read the report (the person from 16, a custody "
                    "holder under 12, both from 12 to 15).")


class IntakeMeetingCreated(Schema):
    id: int
    invitations: list[IntakeInvitationOut]


@router.post("/care-reports/{report_id}/intakes", response={201: IntakeMeetingCreated})
def plan_intake(request: ActorRequest, report_id: UUID, payload: IntakeMeetingIn
                ) -> Status[dict[str, Any]]:
    """The front-door team plans the intake of a report triaged to a joint intake and
    invites each organisation the question needs; with the family's consent given to it
    (`consent_given_by_person_ids`) the invited organisations read the report."""
    meeting = _named_as_sent(lambda: meetings.plan_intake(
        request.actor, report_id, organisation_ids=payload.organisation_ids,
        starts_at=_aware(payload.starts_at), ends_at=_aware(payload.ends_at),
        location=payload.location, joint=payload.joint,
        consent_given_by=[str(p) for p in payload.consent_given_by_person_ids]),
        {"consent_given_by": "consent_given_by_person_ids"})
    return Status(201, {"id": meeting.pk, "invitations": [
        {"organisation_id": i.organisation_id, "status": i.status}
        for i in meeting.invitations.all()]})


class InvitationAnswerIn(Schema):
    accept: bool
    reason: str = Field("", max_length=TEXT, description="Required when declining.")
    professional_id: int | None = Field(None, description=(
        "Who comes (of the invited organisation); default the one who answers."))


class InvitationAnswerOut(Schema):
    organisation_id: int
    status: str
    professional_id: int | None
    answered_at: datetime | None


@router.post("/intakes/{meeting_id}/invitations/{organisation_id}/answer", response=InvitationAnswerOut)
def answer_invitation(request: ActorRequest, meeting_id: int, organisation_id: int,
                      payload: InvitationAnswerIn) -> dict[str, Any]:
    """An invited organisation accepts (naming who comes) or declines with a reason; the
    front-door team may record an answer given to it. 409 `already_answered`."""
    invitation = meetings.answer_invitation(
        request.actor, meeting_id, organisation_id, accept=payload.accept,
        reason=payload.reason, professional_id=payload.professional_id)
    return {"organisation_id": invitation.organisation_id, "status": invitation.status,
            "professional_id": invitation.professional_id,
            "answered_at": invitation.answered_at}


class IntakeGoalLevelsIn(Schema):
    minus_2: str = Field(alias="-2", min_length=1, max_length=500)
    minus_1: str = Field(alias="-1", min_length=1, max_length=500)
    zero: str = Field(alias="0", min_length=1, max_length=500)
    plus_1: str = Field(alias="1", min_length=1, max_length=500)
    plus_2: str = Field(alias="2", min_length=1, max_length=500)


class IntakeGoalIn(Schema):
    title: str = Field(min_length=1, max_length=300, description=(
        "A result, never a product: \"Noor goes to school at least three days a week\"."))
    person_ids: list[UUID] = Field(min_length=1, max_length=PERSONS)
    levels: IntakeGoalLevelsIn = Field(description="The five goal-attainment levels in words.")


class IntakeOutcomeIn(Schema):
    participants: list[int] = Field(min_length=1, max_length=AT_THE_TABLE, description=(
        "The professionals who took part."))
    family_present: list[UUID] = Field(default_factory=list, max_length=PERSONS)
    question_understood: str = Field("", max_length=TEXT)
    goals: list[IntakeGoalIn] = Field(default_factory=list, max_length=50)
    coordinator_id: int | None = Field(None, description="Required with `plan`.")
    main_organisation_id: int | None = None
    decision: Literal["plan", "advice", "referral"]
    referral_result: str = Field("", max_length=1000, description=(
        "With `referral`: the specialised help named by its result."))
    consent_given_by_person_ids: list[UUID] = Field(
        default_factory=list, max_length=PERSONS,
        description="With `plan`: the members who gave the family's consent for the plan.")


class IntakeOutcomeResult(Schema):
    plan_id: UUID | None


class IntakeHeldResult(Schema):
    id: int
    held_at: datetime


@router.post("/intakes/{meeting_id}/held", response=IntakeHeldResult)
def record_single_intake_held(request: ActorRequest, meeting_id: int) -> dict[str, Any]:
    """One organisation's own intake held, in today's way (one organisation after the
    other, `joint` false): the report waits for the next organisation's intake or for the
    outcome at the last one. 409 `joint_intake` for a joint meeting (its outcome records
    it), `intake_held` the second time, `intake_not_started` before it begins."""
    meeting = meetings.hold_single_intake(request.actor, meeting_id)
    return {"id": meeting.pk, "held_at": meeting.held_at}


@router.post("/intakes/{meeting_id}/outcome", response=IntakeOutcomeResult)
def record_outcome(request: ActorRequest, meeting_id: int, payload: IntakeOutcomeIn
                   ) -> dict[str, Any]:
    """The front-door team records what the meeting decided: `plan` starts the family plan
    (its id the report's trajectory key) with the goals and the team carried over,
    `advice` closes the report, `referral` waits for the help to start. 409
    `open_plan_exists` when the family has an open plan, `intake_held` the second time."""
    outcome = _named_as_sent(lambda: meetings.hold_intake(
        request.actor, meeting_id, participant_ids=payload.participants,
        family_present_ids=[str(p) for p in payload.family_present],
        question_understood=payload.question_understood,
        goals=[{"title": g.title, "person_ids": [str(p) for p in g.person_ids],
                "levels": g.levels.model_dump(by_alias=True)} for g in payload.goals],
        coordinator_id=payload.coordinator_id,
        main_organisation_id=payload.main_organisation_id, decision=payload.decision,
        referral_result=payload.referral_result,
        consent_given_by=[str(p) for p in payload.consent_given_by_person_ids]),
        {"participant_ids": "participants", "family_present_ids": "family_present",
         "consent_given_by": "consent_given_by_person_ids"})
    return {"plan_id": outcome.meeting.report.plan_id}
