"""Triage: the front-door team decides what a report needs, once. Advice and Veilig Thuis
close it, the neighbourhood team starts the family plan at once, a joint intake sends it
on to the intake planning."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jeugdketen.access import audit
from jeugdketen.access.policy import Action, Actor, IntakeStart
from jeugdketen.chainlog.actions import moment
from jeugdketen.chainlog.vocabulary import Activity
from jeugdketen.core.errors import Refusal
from jeugdketen.core.workdays import working_days_between
from jeugdketen.intake.actions import _common as c
from jeugdketen.intake.actions.reports import closed
from jeugdketen.intake.models import (
    CareReport,
    CloseReason,
    Step,
    Triage,
    TriageDecision,
)
from jeugdketen.plans.models import Origin
from jeugdketen.registry.models import OrganisationKind, Professional


def already_triaged() -> Refusal:
    return Refusal("already_triaged", _("Deze melding is al getrieerd."), status=409,
                   field="decision")


def start_plan_for(actor: Actor, report: CareReport, coordinator_id: Any,
                   consent_given_by: Sequence[Any], now: datetime, *,
                   goals: Sequence[Any] = (), team: Sequence[Any] = ()) -> Any:
    """Start the family's plan from a report (the front door's intake start): its id is the
    report's trajectory key, so one key runs from the report to the plan's close."""
    from jeugdketen.plans.actions import start_plan

    household = c.household_of(report)
    if household is None:
        raise Refusal("not_identified", _(
            "Leg eerst vast over welk huishouden de melding gaat."), status=409,
            field="household_id")
    if coordinator_id in (None, ""):
        raise Refusal("required", _("Kies de regisseur."), field="coordinator_id")
    givers = tuple(c.ids(consent_given_by, "consent_given_by"))
    try:
        plan = start_plan(actor, household.pk, coordinator_id, origin=Origin.CARE_REPORT,
                          plan_id=report.trajectory_key, consent_given_by=list(givers),
                          intake=IntakeStart(str(report.pk), givers), goals=goals,
                          team=team, started_on=timezone.localdate(now), at=now)
    except Refusal as refused:
        if refused.field == "given_by_person_ids":  # start_plan's name for the givers
            raise Refusal(refused.rule, refused.message, status=refused.status,
                          field="consent_given_by") from None
        raise
    report.plan = plan
    return plan


@audit.write_path
def triage(actor: Actor, report_id: Any, *, decision: str, urgency: str | None = None,
           coordinator_id: Any = None, consent_given_by: Sequence[Any] = (),
           at: datetime | None = None) -> Triage:
    """Triage a received report, once: a second triage (also one at the same moment) is
    refused with `already_triaged` (409). The urgency may be changed with it. `advice` and
    `veilig_thuis` close the report; `neighbourhood_team` starts the family plan with the
    team's coordinator (`coordinator_id`) on the family's consent (`consent_given_by`);
    `joint_intake` moves it to the intake planning."""
    now = moment(at)
    # The row lock serialises triages of one report; the one-to-one decides the rest.
    report = c.report_for(actor, report_id, Action.UPDATE, lock=True)
    audit.authorize(actor, Action.UPDATE, c.report_target(report))
    decision = c.choice(decision, TriageDecision, "decision", _(
        "Kies een besluit: advies, wijkteam, gezamenlijke intake of Veilig Thuis."))
    before = report.urgency
    after = before if urgency in (None, "") else c.urgency(urgency)
    if Triage.objects.filter(report=report).exists() or report.step != Step.RECEIVED:
        raise already_triaged()
    received_on = timezone.localdate(report.received_at)
    try:
        with transaction.atomic():
            done = Triage.objects.create(
                report=report, decision=decision, urgency_before=before, urgency_after=after,
                by=c.professional_of(actor), at=now,
                working_days=working_days_between(received_on, timezone.localdate(now)))
    except IntegrityError:  # a colleague triaged it at this very moment
        raise already_triaged() from None
    report.urgency = after
    c.emit_report_event(Activity.CARE_REPORT_TRIAGED, report, actor, now, decision=decision,
                        working_days=done.working_days)
    if decision == TriageDecision.ADVICE:
        report.save(update_fields=["urgency"])
        closed(report, actor, now, CloseReason.ADVICE)
    elif decision == TriageDecision.VEILIG_THUIS:
        report.save(update_fields=["urgency"])
        closed(report, actor, now, CloseReason.VEILIG_THUIS)
    elif decision == TriageDecision.NEIGHBOURHOOD_TEAM:
        if not Professional.objects.filter(
                pk=c.int_ids([coordinator_id], "coordinator_id")[0],
                organisation__kind=OrganisationKind.NEIGHBOURHOOD_TEAM).exists():
            raise Refusal("coordinator_not_in_team", _(
                "De regisseur komt van het wijkteam."), field="coordinator_id")
        start_plan_for(actor, report, coordinator_id, consent_given_by, now)
        fields = c.move(report, Step.HELP_STARTED, now)
        report.save(update_fields=[*fields, "urgency", "plan"])
    else:
        fields = c.move(report, Step.TRIAGED, now)
        report.save(update_fields=[*fields, "urgency"])
    return done
