"""The front door's pages for professionals: a care report (the form, and the report page
each reader sees as far as the policy lets them), its triage, the intake planning, the
answer to an invitation and the meeting's outcome.

Every read goes through intake.selectors (report_for logs the READ) or the policy
(audit.authorize / if_allowed); every write through intake.actions. A refusal lands on
the field it names (ui.pages.submit); an id in a URL is never trusted: an unknown one is
refused like a forbidden one (403), a malformed query parameter is a 404."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jeugdketen.access import audit
from jeugdketen.access.audit import AccessDenied
from jeugdketen.access.policy import Action, Actor, Data, Decision, Ground, decide
from jeugdketen.core.errors import Refusal
from jeugdketen.intake import norms, selectors
from jeugdketen.intake.actions import meetings, reports
from jeugdketen.intake.actions import triage as triage_actions
from jeugdketen.intake.forms import (
    AnswerForm,
    HelpStartedForm,
    OutcomeForm,
    PlanIntakeForm,
    ReplaceForm,
    ReportForm,
    TriageForm,
    domain_labels,
    report_fields,
)
from jeugdketen.intake.models import (
    CareReport,
    IntakeMeeting,
    Invitation,
    InvitationStatus,
    Outcome,
    OutcomeDecision,
    Step,
    Urgency,
)
from jeugdketen.plans import selectors as plan_selectors
from jeugdketen.registry.models import Household, OrganisationKind, Person
from jeugdketen.ui import roles as r
from jeugdketen.ui.pages import (
    actor_for,
    forbidden_response,
    page,
    refusal_or_not_found,
    submit,
)

# The grounds on which a reader sees the report's content (the others: its status only).
CONTENT_GROUNDS = (Ground.FRONT_DOOR, Ground.INTAKE_INVITATION, Ground.LEGAL_BASIS)
# A page's read that only logs (the page shows what it may): in a transaction of its own,
# as the access log asks (a denied attempt logged after the rollback).
_logged_if_allowed = audit.write_path(audit.if_allowed)
VEILIG_THUIS = "0800-2000"


def report_url(report_id: Any) -> str:
    return reverse("intake:report", kwargs={"report_id": report_id})


# --- choices ---------------------------------------------------------------------------


def _member_choices(members: Sequence[Person], today: date) -> list[tuple[str, str]]:
    return [(str(m.pk), _("%(name)s (%(age)s jaar)") % {"name": m, "age": m.age_on(today)})
            for m in members]


def _members(report: CareReport) -> tuple[Person, ...]:
    members = selectors.members_of(selectors.household_of(report))
    if not members and report.person is not None:
        return (report.person,)
    return members


def _team_coordinators(report: CareReport) -> list[tuple[str, str]]:
    return [(str(p.pk), f"{p.full_name} ({p.organisation.name})")
            for p in plan_selectors.professionals_in(report.municipality_id, coordinating=True)
            if p.organisation.kind == OrganisationKind.NEIGHBOURHOOD_TEAM]


def _coordinators(report: CareReport) -> list[tuple[str, str]]:
    return [(str(p.pk), f"{p.full_name} ({p.organisation.name})")
            for p in plan_selectors.professionals_in(report.municipality_id, coordinating=True)]


def _organisations(report: CareReport) -> list[tuple[str, str]]:
    return [(str(o.pk), o.name) for o in plan_selectors.organisations_in(report.municipality_id)
            if o.kind != OrganisationKind.MUNICIPALITY]


# --- the report and who may see what ---------------------------------------------------


def _front_door_report(actor: Actor, report_id: Any) -> CareReport:
    """The report, for the front-door team only (its READ logged); anyone else: 403."""
    report, decision = selectors.report_for(actor, report_id)
    if decision.ground != Ground.FRONT_DOOR:
        raise AccessDenied(actor, Action.UPDATE, selectors.report_target(report),
                           Decision.deny("only the front door triages and plans"))
    return report


def _subject_name(report: CareReport) -> str:
    if report.person is not None:
        return str(report.person)
    if report.household is not None:
        return ", ".join(str(m) for m in selectors.members_of(report.household))
    return " ".join(n for n in (report.given_name, report.family_name) if n)


def _timeline(report: CareReport, *, details: bool) -> list[dict[str, Any]]:
    """The steps so far with their dates; with `details` (a reader of the content) also
    the triage's decision, the meeting's time and the close's reason. Without: the steps
    and dates only (the reporter's and the family's status)."""
    rows: list[dict[str, Any]] = [{"label": Step.RECEIVED.label,
                                   "on": timezone.localtime(report.received_at)}]
    triage = getattr(report, "triage", None)  # none yet: the reverse one-to-one raises
    if triage is not None:
        rows.append({"label": Step.TRIAGED.label, "on": timezone.localtime(triage.at),
                     "detail": triage.get_decision_display() if details else ""})
    for meeting in report.meetings.all():
        rows.append({"label": Step.INTAKE_PLANNED.label,
                     "on": timezone.localtime(meeting.planned_at),
                     "detail": _("Intake op %(when)s") % {
                         "when": timezone.localtime(meeting.starts_at).strftime(
                             "%d-%m-%Y %H:%M")} if details else ""})
        if meeting.held_at is not None:
            rows.append({"label": Step.INTAKE_HELD.label,
                         "on": timezone.localtime(meeting.held_at)})
    if report.step == Step.HELP_STARTED:
        rows.append({"label": Step.HELP_STARTED.label, "on": report.step_since})
    if report.closed_at is not None:
        rows.append({"label": Step.CLOSED.label, "on": timezone.localtime(report.closed_at),
                     "detail": report.get_close_reason_display() if details else ""})
    return rows


def _norm(report: CareReport) -> dict[str, Any] | None:
    """The norm of the step the report is in: the days, working days or not, and the dates
    it is due and three times overdue."""
    if not norms.has_norm(report.step) or report.step_due_on is None:
        return None
    rule = norms.rule_for(report.municipality, report.step, report.urgency)
    return {"days": rule.days, "working": rule.working, "due_on": report.step_due_on,
            "overdue3_on": report.step_overdue3_on,
            "overdue": report.step_due_on < timezone.localdate()}


def _status_context(report: CareReport, *, details: bool = True) -> dict[str, Any]:
    status = selectors.status_of(report)
    next_step = status["next_step"]
    return {"status": status, "step_label": Step(report.step).label,
            "next_step_label": Step(next_step).label if next_step else "",
            "timeline": _timeline(report, details=details), "norm": _norm(report)}


# --- the report form -------------------------------------------------------------------


def _uuid_param(request: HttpRequest, name: str) -> str:
    value = request.GET.get(name, "")
    if not value:
        return ""
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise Http404 from None


def _subject(request: HttpRequest) -> tuple[Person | None, Household | None]:
    """Whom the new report is about: ?persoon=<id> or ?huishouden=<id> (exactly one; an
    unknown or malformed id: 404)."""
    person_id, household_id = _uuid_param(request, "persoon"), _uuid_param(request, "huishouden")
    if bool(person_id) == bool(household_id):
        raise Http404
    if person_id:
        person = Person.objects.filter(pk=person_id).first()
        if person is None:
            raise Http404
        return person, None
    household = Household.objects.filter(pk=household_id).first()
    if household is None:
        raise Http404
    return None, household


@page(r.can_care)
def report_new(request: HttpRequest) -> HttpResponse:
    """A professional's care report about a person or a household."""
    actor = actor_for(request)
    if not request.GET.get("persoon") and not request.GET.get("huishouden"):
        # From a decision aid without a person: first find whom the report is about.
        return render(request, "intake/report_choose.html")
    person, household = _subject(request)
    prof = actor.professional
    # Asked before anything of the subject is shown (the action asks again when it saves).
    draft = CareReport(person=person, household=household, reported_by=prof)
    if not decide(actor, Action.CREATE, selectors.report_target(draft)).allowed:
        return forbidden_response(request, logged=False)
    initial = {"contact_phone": prof.phone if prof else "",
               "contact_email": prof.email if prof else ""}
    form = ReportForm(request.POST if request.method == "POST" else None, initial=initial)
    done = submit(request, form, lambda data: reports.report(
        actor, person_id=person.pk if person else None,
        household_id=household.pk if household else None, question=data["question"],
        life_domains=data["life_domains"], urgency=data["urgency"], unsafe=data["unsafe"],
        desired_result=data["desired_result"], consent_to_share=data["consent_to_share"],
        contact_phone=data["contact_phone"], contact_email=data["contact_email"]),
        report_fields)
    if done is not None:
        messages.success(request, _("De melding is bij de voordeur. U ziet hier hoe ver het "
                                    "is; de inhoud leest alleen het team van de voordeur."))
        if done.unsafe:
            messages.warning(request, _(
                "U meldde onveiligheid. Volg de stappen van de Meldcode en bel bij twijfel "
                "Veilig Thuis: %(phone)s.") % {"phone": VEILIG_THUIS})
        return redirect(report_url(done.pk))
    subject = str(person) if person else ", ".join(
        str(m) for m in selectors.members_of(household))
    return render(request, "intake/report_form.html", {
        "form": form, "subject": subject, "veilig_thuis": VEILIG_THUIS,
        "unsafe_checked": bool(form.is_bound and form["unsafe"].value())})


# --- the report page -------------------------------------------------------------------


@page()
def report_page(request: HttpRequest, report_id: uuid.UUID) -> HttpResponse:
    """The report as its reader may see it: the front-door team everything and its next
    step's form; an invited organisation with the family's consent the content and its
    invitation, without consent the meeting's date and place only; the reporter and the
    family where it stands."""
    actor = actor_for(request)
    # An invited organisation without the family's consent asks for the meeting, not for
    # the report (so its access log holds no denied read of the report).
    found = CareReport.objects.select_related("municipality", "person", "household").filter(
        pk=report_id).first()
    if found is not None and not decide(actor, Action.READ,
                                        selectors.report_target(found)).allowed:
        invited = _invitations_only(request, actor, found)
        if invited is not None:
            return invited
    report, decision = selectors.report_for(actor, report_id)  # logged, allowed or denied
    content = decision.ground in CONTENT_GROUNDS
    context: dict[str, Any] = {"report": report, "ground": decision.ground,
                               **_status_context(report, details=content)}
    if not content:
        return render(request, "intake/report_status.html", context)
    context["subject"] = _subject_name(report)
    context["domains"] = domain_labels(report.life_domains)
    meetings_ = list(report.meetings.prefetch_related("invitations__organisation",
                                                      "invitations__professional"))
    context["meetings"] = meetings_
    if decision.ground == Ground.FRONT_DOOR:
        context["front_door"] = True
        if report.step == Step.RECEIVED:
            context["triage_form"] = _triage_form(report)
        if report.step in (Step.TRIAGED, Step.INTAKE_PLANNED):
            context["plan_form"] = PlanIntakeForm(
                organisations=_organisations(report),
                members=_member_choices(_members(report), timezone.localdate()))
        context["open_meetings"] = [m for m in meetings_ if m.held_at is None]
        _replace_forms(report, meetings_)
        if report.step == Step.INTAKE_HELD:  # referred: waiting for the help to start
            context["help_form"] = HelpStartedForm(initial={"on": timezone.localdate()})
            outcome = Outcome.objects.filter(meeting__report=report).order_by("-pk").first()
            context["referral_result"] = outcome.referral_result if outcome else ""
    else:
        context["own_invitations"] = _own_invitations(actor, meetings_)
    return render(request, "intake/report.html", context)


def _own_invitations(actor: Actor, meetings_: Sequence[IntakeMeeting]) -> list[Invitation]:
    prof = actor.professional
    if prof is None:
        return []
    return [i for m in meetings_ for i in m.invitations.all()
            if i.organisation_id == prof.organisation_id
            and i.status != InvitationStatus.REPLACED]


def _invitations_only(request: HttpRequest, actor: Actor, report: CareReport
                      ) -> HttpResponse | None:
    """An invited organisation without the family's consent: the meetings it is invited to,
    with their date and place (the policy's INTAKE read, logged). None for anyone else."""
    target = selectors.report_target(report, Data.INTAKE)
    if decide(actor, Action.READ, target).ground != Ground.INTAKE_INVITATION:
        return None
    _logged_if_allowed(actor, Action.READ, target)  # the read of date and place, logged
    meetings_ = list(report.meetings.prefetch_related("invitations__organisation"))
    return render(request, "intake/report_invited.html", {
        "report": report, "invitations": _own_invitations(actor, meetings_)})


# --- triage and intake planning ---------------------------------------------------------


def _triage_form(report: CareReport, data: Any = None) -> TriageForm:
    return TriageForm(data, coordinators=_team_coordinators(report),
                      members=_member_choices(_members(report), timezone.localdate()),
                      current_urgency=Urgency(report.urgency).label)


def _step_page(request: HttpRequest, report: CareReport, form: Any, *, title: str,
               submit_label: str, template: str) -> HttpResponse:
    return render(request, template, {
        "report": report, "form": form, "title": title, "submit": submit_label,
        "subject": _subject_name(report), "back_url": report_url(report.pk),
        **_status_context(report)})


@page()
def triage_page(request: HttpRequest, report_id: uuid.UUID) -> HttpResponse:
    actor = actor_for(request)
    report = _front_door_report(actor, report_id)
    if report.step != Step.RECEIVED:
        messages.info(request, _("Deze melding is al getrieerd."))
        return redirect(report_url(report.pk))
    form = _triage_form(report, request.POST if request.method == "POST" else None)
    done = submit(request, form, lambda data: triage_actions.triage(
        actor, report.pk, decision=data["decision"], urgency=data["urgency"] or None,
        coordinator_id=data["coordinator_id"] or None,
        consent_given_by=data["consent_given_by"]))
    if done is not None:
        messages.success(request, _("De melding is getrieerd: %(decision)s.") % {
            "decision": done.get_decision_display()})
        return redirect(report_url(report.pk))
    return _step_page(request, report, form, title=_("Melding triëren"),
                      submit_label=_("Triage vastleggen"), template="intake/triage.html")


@page()
def plan_intake_page(request: HttpRequest, report_id: uuid.UUID) -> HttpResponse:
    actor = actor_for(request)
    report = _front_door_report(actor, report_id)
    if report.step not in (Step.TRIAGED, Step.INTAKE_PLANNED):
        messages.info(request, _("Voor deze melding wordt nu geen intake gepland."))
        return redirect(report_url(report.pk))
    form = PlanIntakeForm(request.POST if request.method == "POST" else None,
                          organisations=_organisations(report),
                          members=_member_choices(_members(report), timezone.localdate()))
    done = submit(request, form, lambda data: meetings.plan_intake(
        actor, report.pk, organisation_ids=data["organisation_ids"],
        starts_at=data["starts_at"], ends_at=data["ends_at"], location=data["location"],
        joint=data["joint"], consent_given_by=data["consent_given_by"]))
    if done is not None:
        messages.success(request, _("De intake is gepland en de organisaties zijn "
                                    "uitgenodigd."))
        return redirect(report_url(report.pk))
    return _step_page(request, report, form, title=_("Intake plannen"),
                      submit_label=_("Intake plannen"), template="intake/plan_intake.html")


@page()
def help_started_page(request: HttpRequest, report_id: uuid.UUID) -> HttpResponse:
    """After a referral, the front-door team records the day the help started."""
    actor = actor_for(request)
    report = _front_door_report(actor, report_id)
    if report.step != Step.INTAKE_HELD:
        messages.info(request, _("Voor deze melding wacht geen verwijzing op de start van "
                                 "de hulp."))
        return redirect(report_url(report.pk))
    form = HelpStartedForm(request.POST if request.method == "POST" else None,
                           initial={"on": timezone.localdate()})
    done = submit(request, form, lambda data: reports.record_help_started(
        actor, report.pk, on=data["on"]))
    if done is not None:
        messages.success(request, _("Vastgelegd: de hulp is gestart."))
        return redirect(report_url(report.pk))
    return _step_page(request, report, form, title=_("Start van de hulp vastleggen"),
                      submit_label=_("Start van de hulp vastleggen"),
                      template="intake/step_page.html")


def _replace_forms(report: CareReport, meetings_: Sequence[IntakeMeeting]) -> None:
    """A form on each declined invitation of a meeting not yet held: invite another
    organisation instead (one not invited to that meeting)."""
    organisations = _organisations(report)
    for meeting in meetings_:
        invited = {i.organisation_id for i in meeting.invitations.all()
                   if i.status != InvitationStatus.REPLACED}
        for invitation in meeting.invitations.all():
            invitation.replace_form = (  # type: ignore[attr-defined]
                ReplaceForm(prefix=f"r{invitation.pk}",
                            initial={"organisation_id": invitation.organisation_id},
                            organisations=[o for o in organisations
                                           if int(o[0]) not in invited])
                if meeting.held_at is None and invitation.status == InvitationStatus.DECLINED
                else None)


@page()
def replace_page(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """Replace a declined invitation (a button-sized form on the report page: a refusal is
    said there as a message)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    actor = actor_for(request)
    meeting, _decision = _meeting(actor, meeting_id, Action.READ)
    report = _front_door_report(actor, meeting.report_id)
    prefix = next((k.split("-")[0] for k in request.POST if k.endswith("-organisation_id")),
                  "")
    form = ReplaceForm(request.POST, prefix=prefix or None,
                       organisations=_organisations(report))
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, str(message))
        return redirect(report_url(report.pk))
    try:
        done = meetings.replace_invitation(
            actor, meeting.pk, form.cleaned_data["organisation_id"],
            by_organisation_id=form.cleaned_data["by_organisation_id"])
    except Refusal as exc:
        refusal_or_not_found(request, exc)
    else:
        messages.success(request, _("%(name)s is in plaats daarvan uitgenodigd.") % {
            "name": done.organisation.name})
    return redirect(report_url(report.pk))


@page()
def held_page(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """One organisation's own intake held, in today's way (one organisation after the
    other): a button on the report page; the outcome is recorded at the last one."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    actor = actor_for(request)
    meeting, _decision = _meeting(actor, meeting_id, Action.READ)
    report = _front_door_report(actor, meeting.report_id)
    try:
        meetings.hold_single_intake(actor, meeting.pk)
    except Refusal as exc:
        refusal_or_not_found(request, exc)
    else:
        messages.success(request, _("Vastgelegd: deze intake is gehouden. Plan de intake van "
                                    "de volgende organisatie, of leg na de laatste de "
                                    "uitkomst vast."))
    return redirect(report_url(report.pk))


# --- the invitation and the outcome -----------------------------------------------------


@audit.write_path
def _meeting(actor: Actor, meeting_id: int, action: Action) -> tuple[IntakeMeeting, Decision]:
    """The meeting and the policy's answer about the meetings of its report (Data.INTAKE),
    logged; an unknown id is refused like a forbidden one."""
    meeting = audit.get_or_deny(actor, action, Data.INTAKE, IntakeMeeting.objects.select_related(
        "report__municipality", "report__person", "report__household"), meeting_id,
        "intake meeting")
    decision = audit.authorize(actor, action, selectors.report_target(meeting.report,
                                                                      Data.INTAKE))
    return meeting, decision


@page(r.can_care)
def answer_page(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """An invited organisation answers: it comes (the one who answers) or not, with the
    reason. It sees the report's content only with the family's consent."""
    actor = actor_for(request)
    meeting, _decision = _meeting(actor, meeting_id, Action.READ)
    prof = actor.professional
    invitation = (meeting.invitations.exclude(status=InvitationStatus.REPLACED)
                  .filter(organisation_id=prof.organisation_id).first()
                  if prof is not None else None)
    if invitation is None:
        raise Http404
    report = meeting.report
    # The content: only where the policy gives a ground for it (the READ logged then).
    # Only a ground for the content itself (not the reporter's status-only ground).
    content = _logged_if_allowed(actor, Action.READ,
                                 selectors.report_target(report)).ground in CONTENT_GROUNDS
    form = AnswerForm(request.POST if request.method == "POST" else None)
    if invitation.status == InvitationStatus.INVITED:
        done = submit(request, form, lambda data: meetings.answer_invitation(
            actor, meeting.pk, invitation.organisation_id, accept=data["accept"] == "yes",
            reason=data["reason"]))
        if done is not None:
            messages.success(request, _("Uw antwoord is doorgegeven aan de voordeur."))
            return redirect("intake:answer", meeting_id=meeting.pk)
    others = [i for i in meeting.invitations.select_related("organisation")
              if i.status != InvitationStatus.REPLACED and i.pk != invitation.pk]
    return render(request, "intake/answer.html", {
        "meeting": meeting, "invitation": invitation, "others": others,
        "report": report if content else None,
        "subject": _subject_name(report) if content else "",
        "domains": domain_labels(report.life_domains) if content else [],
        "form": form if invitation.status == InvitationStatus.INVITED else None})


@page(r.has_professional)
def invitations_page(request: HttpRequest) -> HttpResponse:
    """The intakes the professional's organisation is invited to: when and where, and
    whether it answered. No report content (that is on each invitation's page, with the
    family's consent); each listed meeting's READ is in the access log."""
    actor = actor_for(request)
    prof = actor.professional
    rows = selectors.invitations_of(prof.organisation_id) if prof is not None else []
    audit.write_path(audit.authorize_many)(actor, Action.READ, [
        selectors.report_target(i.meeting.report, Data.INTAKE) for i in rows])
    return render(request, "intake/invitations.html", {"rows": rows})


@page()
def outcome_page(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """The meeting's outcome, recorded by the front-door team; a family plan decided
    starts at once, and the page goes to it."""
    actor = actor_for(request)
    meeting, _decision = _meeting(actor, meeting_id, Action.READ)
    report = _front_door_report(actor, meeting.report_id)
    if meeting.held_at is not None:
        messages.info(request, _("De uitkomst van deze intake is al vastgelegd."))
        return redirect(report_url(report.pk))
    today = timezone.localdate()
    members = _member_choices(_members(report), today)
    invited = [i for i in meeting.invitations.select_related("organisation", "professional")
               if i.status != InvitationStatus.REPLACED]
    participants = _participants(actor, invited)
    form = OutcomeForm(request.POST if request.method == "POST" else None,
                       participants=participants, members=members,
                       coordinators=_coordinators(report),
                       organisations=[(str(i.organisation_id), i.organisation.name)
                                      for i in invited])
    done = None
    if request.method == "POST" and form.is_valid():  # the goal slots for the field map
        done = submit(request, form, lambda data: meetings.hold_intake(
            actor, meeting.pk, participant_ids=data["participant_ids"],
            family_present_ids=data["family_present_ids"],
            question_understood=data["question_understood"], goals=data["goals"],
            coordinator_id=data["coordinator_id"] or None,
            main_organisation_id=data["main_organisation_id"] or None,
            decision=data["decision"], referral_result=data["referral_result"],
            consent_given_by=data["consent_given_by"]), form.field_map())
    if done is not None:
        if done.decision == OutcomeDecision.PLAN:
            return _to_the_plan(request, actor, report)
        messages.success(request, _("De uitkomst is vastgelegd."))
        return redirect(report_url(report.pk))
    return render(request, "intake/outcome.html", {
        "report": report, "meeting": meeting, "form": form, "invited": invited,
        "subject": _subject_name(report), "back_url": report_url(report.pk),
        "title": _("Uitkomst van de intake")})


def _to_the_plan(request: HttpRequest, actor: Actor, report: CareReport) -> HttpResponse:
    """After a plan was decided: to the new family plan, where the recorder may read it
    (the policy decides: the front door is not in the plan's team by itself); else back to
    the report, saying who coordinates the plan now."""
    report.refresh_from_db(fields=["plan"])
    plan = report.plan
    assert plan is not None
    members = plan_selectors.members_of(plan.household)
    if decide(actor, Action.READ, plan_selectors.target(plan, members)).allowed:
        messages.success(request, _("De uitkomst is vastgelegd en het gezinsplan is "
                                    "gestart met de doelen en het team."))
        return redirect("plan", plan_id=plan.pk)
    messages.success(request, _(
        "De uitkomst is vastgelegd en het gezinsplan is gestart met de doelen en het team. "
        "%(name)s voert de regie.") % {"name": plan.coordinator.full_name})
    return redirect(report_url(report.pk))


def _participants(actor: Actor, invited: Sequence[Invitation]) -> list[tuple[str, str]]:
    """Who may have taken part: the professionals of the invited organisations and the
    front-door team's own colleagues."""
    from jeugdketen.registry.models import Professional

    organisations = {i.organisation_id for i in invited}
    if actor.professional is not None:
        organisations.add(actor.professional.organisation_id)
    people = (Professional.objects.filter(organisation_id__in=organisations)
              .select_related("organisation").order_by("organisation__name", "full_name"))
    return [(str(p.pk), f"{p.full_name} ({p.organisation.name})") for p in people]
