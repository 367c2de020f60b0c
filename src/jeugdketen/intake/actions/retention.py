"""Retention of the front door (decision 0010, answer 2): a report closed without a plan
keeps its step dates (the queue's history, the chain events: no content there) but its
content is erased 12 months after it closed. A report that started a plan follows the
plan's retention, not this one.

Erased: everything the family's situation can be written in. The report's question, life
domains, desired result and contact details, and the details a public reporter gave
(the child's name, birth date and address; the reporter's name and relation); the intake
outcome's question as understood together, its referral result and its goals; the
meetings' places (a home address, a video link) and the reasons given with an
invitation's answer. Kept: whom it was about (person or household, as the registry keeps
them), the reporter kind, urgency, unsafety, the steps with their dates, the triage, who
took part, and `content_erased_at`.

Run every night by `jeugdketen intake retention`, as the operator (ground `retention`).
Each batch is one action: the reports still due are locked, each erasure is logged as a
DELETE of care-report data (for each person it was about), and the content goes, in one
transaction. A run at the same moment waits for the locks and then finds those done.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from jeugdketen.access import audit
from jeugdketen.access.policy import Action, Actor, decide
from jeugdketen.intake.models import (
    CareReport,
    IntakeMeeting,
    Invitation,
    Outcome,
    OutcomeGoal,
    Step,
)
from jeugdketen.intake.selectors import report_target

KEEP_MONTHS = 12
BATCH = 500

# The report's content fields and what each becomes.
ERASED: dict[str, Any] = {
    "question": "", "life_domains": [], "desired_result": "", "contact_phone": "",
    "contact_email": "", "given_name": "", "family_name": "", "birth_date": None,
    "postcode": "", "house_number": "", "reporter_name": "", "reporter_relation": "",
}


def _months_before(day: date, months: int) -> date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    for last in (31, 30, 29, 28):  # 31 March minus one month: the last day of February
        try:
            return day.replace(year=year, month=month + 1, day=min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def closed_before(today: date) -> datetime:
    """Reports closed before this moment are due: those closed on or before the day 12
    months ago (Dutch time), so a report closed on 6 December 2026 goes on 6 December
    2027."""
    last_day = _months_before(today, KEEP_MONTHS)
    return timezone.make_aware(datetime.combine(last_day + timedelta(days=1),
                                                datetime.min.time()))


def due(today: date) -> QuerySet[CareReport]:
    """The reports whose content is due for erasure on `today` (nothing read of them)."""
    return CareReport.objects.filter(
        step=Step.CLOSED, plan__isnull=True, content_erased_at__isnull=True,
        closed_at__lt=closed_before(today))


@audit.write_path
def erase_batch(actor: Actor, report_ids: list[Any], *, today: date) -> int:
    """Erase the content of these reports, those still due (locked in id order; a report
    done meanwhile, or that started a plan, is left alone). Returns how many."""
    reports = list(due(today).filter(pk__in=report_ids).select_for_update(of=("self",))
                   .select_related("person", "household").order_by("pk"))
    if not reports:
        return 0
    rows = []
    for report in reports:
        target = report_target(report)
        decision = decide(actor, Action.DELETE, target)
        if not decision.allowed:  # pragma: no cover - the operator always may
            raise audit.AccessDenied(actor, Action.DELETE, target, decision)
        # For each person it is about, so it shows in each one's access overview.
        about = ([replace(target, person=m) for m in target.members]
                 if target.person is None and target.members else [target])
        rows += [audit.entry(actor, Action.DELETE, t, decision) for t in about]
    audit.append(rows)  # the batch's records in one append
    ids = [r.pk for r in reports]
    now = timezone.now()
    CareReport.objects.filter(pk__in=ids).update(**ERASED, content_erased_at=now)
    meetings = IntakeMeeting.objects.filter(report__in=ids)
    OutcomeGoal.objects.filter(outcome__meeting__in=meetings).delete()
    Outcome.objects.filter(meeting__in=meetings).update(question_understood="",
                                                        referral_result="")
    Invitation.objects.filter(meeting__in=meetings).update(reason="")
    meetings.update(location="")
    return len(reports)


def erase_closed(actor: Actor, *, today: date | None = None, dry_run: bool = False,
                 batch: int = BATCH) -> int:
    """Erase the content of every report closed without a plan 12 months ago or longer;
    returns how many. In batches (each one transaction: the erasure and its access-log
    records); safe to run every night and to rerun: a second run finds nothing to do.
    `dry_run`: only count them."""
    today = timezone.localdate() if today is None else today
    ids = list(due(today).order_by("pk").values_list("pk", flat=True))
    if dry_run:
        return len(ids)
    return sum(erase_batch(actor, ids[i:i + batch], today=today)
               for i in range(0, len(ids), batch))
