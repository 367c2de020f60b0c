"""Reads of the front door: a report with the policy's answer (the READ logged), its status
without content (what the reporting professional and the family's overview see), and the
family's own reports. The queue is intake.queue."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils import timezone

from jeugdketen.access import audit
from jeugdketen.access.policy import Action, Actor, Data, Decision, Target
from jeugdketen.intake.models import CareReport, Invitation, InvitationStatus, Step
from jeugdketen.plans import selectors as plans_selectors
from jeugdketen.registry.models import Household, HouseholdMember, Kinship, Person

# After each step, the step that comes next (what the status says happens next).
NEXT_STEP = {
    Step.RECEIVED: Step.TRIAGED,
    Step.TRIAGED: Step.INTAKE_PLANNED,
    Step.INTAKE_PLANNED: Step.INTAKE_HELD,
    Step.INTAKE_HELD: Step.HELP_STARTED,
}


def members_of(household: Household | None) -> tuple[Person, ...]:
    return plans_selectors.members_of(household) if household is not None else ()


def household_of(report: CareReport) -> Household | None:
    """The household a report is about: its own, or the subject person's (the first the
    platform knows), or none (a public report before identification)."""
    if report.household_id is not None:
        return report.household
    if report.person_id is not None:
        row = (HouseholdMember.objects.filter(person_id=report.person_id)
               .select_related("household").order_by("pk").first())
        return row.household if row is not None else None
    return None


def report_target(report: CareReport, data: Data = Data.CARE_REPORT) -> Target:
    """What the policy is asked about: `data` of this report, about its person or the
    members of its household (each logged as the client of the access)."""
    household = report.household if report.household_id is not None else None
    return Target(data, person=report.person if report.person_id is not None else None,
                  household=household, members=members_of(household),
                  object_id=str(report.pk), report=report)


@audit.write_path
def report_for(actor: Actor, report_id: Any) -> tuple[CareReport, Decision]:
    """A report and the policy's answer to reading it, the READ logged (a denied one too:
    write_path logs the denial). The answer's
    ground says what the caller may show: the reporting professional (`reporter`) sees
    its status only (status_of), the others the content."""
    report = audit.get_or_deny(
        actor, Action.READ, Data.CARE_REPORT,
        CareReport.objects.select_related("municipality", "person", "household"),
        report_id, "care report")
    return report, audit.authorize(actor, Action.READ, report_target(report))


def status_of(report: CareReport) -> dict[str, Any]:
    """Where a report stands, without any of its content: the step, since when, by when
    the next step is due (the norm) and which it is, and the close."""
    overdue = (report.step_due_on is not None
               and report.step_due_on < timezone.localdate())
    return {
        "id": str(report.pk),
        "step": report.step,
        "received_at": report.received_at,
        "step_since": report.step_since,
        "next_step": NEXT_STEP.get(Step(report.step), ""),
        "next_step_by": report.step_due_on,
        "overdue": overdue,
        "closed_at": report.closed_at,
        "close_reason": report.close_reason,
    }


@audit.write_path
def reports_for_family(actor: Actor, person: Person) -> list[CareReport]:
    """The reports about `person`, the children whose custody they hold (BRP) and their
    households that the policy lets them read (each listed report counts as read), newest
    first."""
    children = Kinship.objects.filter(relative_bsn=person.bsn, has_custody=True).values(
        "child_id") if person.bsn else Kinship.objects.none().values("child_id")
    households = HouseholdMember.objects.filter(person=person).values("household_id")
    reports = list(CareReport.objects.filter(
        Q(person=person) | Q(person__in=children) | Q(household__in=households))
        .select_related("municipality", "person", "household").order_by("-received_at"))
    allowed = audit.authorize_many(actor, Action.READ, [report_target(r) for r in reports])
    readable = {t.object_id for t in allowed}
    return [r for r in reports if str(r.pk) in readable]


def invitations_of(organisation_id: int) -> list[Invitation]:
    """An organisation's invitations to intakes that are still to come or to be held
    (invited or accepted; not declined, not replaced), soonest first, with their meeting
    and its report (for the policy; the list itself shows no report content)."""
    return list(Invitation.objects.filter(
        organisation_id=organisation_id, meeting__held_at__isnull=True,
        status__in=(InvitationStatus.INVITED, InvitationStatus.ACCEPTED))
        .select_related("meeting__report", "professional")
        .order_by("meeting__starts_at", "pk"))


def unanswered_invitations(user: Any) -> int:
    """The number after "Intakes" in the menu: the user's organisation's invitations that
    wait for an answer (one query)."""
    prof = getattr(user, "professional", None)
    if prof is None:
        return 0
    return Invitation.objects.filter(organisation_id=prof.organisation_id,
                                     status=InvitationStatus.INVITED,
                                     meeting__held_at__isnull=True).count()
