""""Mijn werk": what waits for this user, most urgent first, each a link to where it is done.

Every item comes from data the user has a ground for, in a number of queries that does not
grow with the data:
- the plans they coordinate (the plan coordinator's ground): evaluations due and actions past
  their date, named by the family's members; each plan shown counts as read for every
  member (logged like every list of the app); in the plans whose team they are in: the
  number of their own actions past their date (no family named);
- their own unread plan messages (the family approved a version or wrote a reaction, a
  consent was withdrawn, a handover, a new team member);
- the reference index: their own matches (through their own active signal) with a proposal
  to answer or no coordinator agreed in time, and for a municipality's coordinator the
  overdue matches of the municipality, as numbers with the earliest term (the matches page
  shows and logs them);
- the privacy officer: open rights requests of the municipality's persons with their
  four-week term, and the break-the-glass accesses to review (no names);
- the functional administrator: the open reports back to the BRP (a number);
- a family member (from 16): a plan version waiting for their approval.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Max, Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jeugdketen.access import audit
from jeugdketen.access.policy import Action, Actor, Data, Target, decide


@dataclass
class Item:
    kind: str  # what sort of work (for tests and styling)
    title: str  # what to do
    detail: str  # about what or whom
    url: str
    day: date  # the term, or since when it waits: the earlier, the more urgent
    late: bool = False  # the term has passed

    @property
    def sort_key(self) -> tuple[bool, date]:
        return (not self.late, self.day)


def _day(day: date) -> str:
    return date_format(day, "DATE_FORMAT")


@audit.write_path
def for_actor(actor: Actor, today: date | None = None) -> list[Item]:
    """The worklist of one user (a professional or a citizen), most urgent first."""
    today = today or timezone.localdate()
    items: list[Item] = []
    prof = actor.professional
    roles = set(actor.roles)
    if prof is not None:
        if roles & {"professional", "coordinator"}:
            items += _plans(actor, today)
            items += _own_actions(actor, today)
            items += _matches(actor, today)
        items += _messages(actor)
        own = prof.organisation.municipality_id
        if "privacy_officer" in roles and own:
            items += _rights_requests(own, today)
            items += _break_glass(own)
        if "functional_admin" in roles and own:
            items += _corrections(own)
    elif actor.person is not None:
        items += _family(actor)
    return sorted(items, key=lambda i: i.sort_key)


# --- the coordinator's plans --------------------------------------------------------------


def _plans(actor: Actor, today: date) -> list[Item]:
    from jeugdketen.plans.models import Plan, PlanAction, PlanStatus
    from jeugdketen.plans.selectors import evaluation_due_on
    from jeugdketen.registry.models import HouseholdMember

    plans = list(Plan.objects.filter(coordinator=actor.professional, status=PlanStatus.OPEN)
                 .annotate(last_evaluation=Max("evaluations__on"))
                 .select_related("household"))
    if not plans:
        return []
    # Per plan: the number of actions past their date and the earliest of those dates.
    late_actions: dict[Any, dict[str, Any]] = {
        row["plan_id"]: row for row in PlanAction.objects.filter(
            plan__in=plans, done_on__isnull=True, due_on__lt=today)
        .values("plan_id").annotate(n=Count("id"), first=Min("due_on")).order_by()}
    members: dict[Any, list[Any]] = {}
    for hm in (HouseholdMember.objects.filter(household_id__in=[p.household_id for p in plans])
               .select_related("person").order_by("person__birth_date", "person_id")):
        members.setdefault(hm.household_id, []).append(hm.person)
    items, log = [], []
    for plan in plans:
        family = tuple(members.get(plan.household_id, ()))
        evaluation_due = evaluation_due_on(plan, plan.last_evaluation)
        wants_evaluation = evaluation_due <= today
        late = late_actions.get(plan.pk)
        if not wants_evaluation and late is None:
            continue
        target = Target(Data.PLAN, household=plan.household, members=family,
                        object_id=str(plan.pk), record=plan)
        decision = decide(actor, Action.READ, target)  # the coordinator's ground: no query
        if not decision.allowed:
            continue
        log += [audit.entry(actor, Action.READ, Target(Data.PLAN, person=m,
                                                       household=plan.household,
                                                       members=family, object_id=str(plan.pk),
                                                       record=plan), decision)
                for m in family]
        names = ", ".join(str(m) for m in family)
        url = reverse("plan", args=[plan.pk])
        if wants_evaluation:
            items.append(Item("evaluation_due", _("Evaluatie plannen"), _(
                "Gezin: %(family)s. Evalueer het plan uiterlijk %(day)s (eens per drie "
                "maanden).") % {"family": names, "day": _day(evaluation_due)},
                reverse("plan_form", args=[plan.pk, "evaluatie"]), evaluation_due,
                late=evaluation_due < today))
        if late is not None:
            n = late["n"]
            items.append(Item("actions_late", ngettext(
                "%(n)s actie over de datum", "%(n)s acties over de datum", n) % {"n": n}, _(
                "Gezin: %(family)s. De eerste had af moeten zijn op %(day)s.") % {
                "family": names, "day": _day(late["first"])}, url + "#acties",
                late["first"], late=True))
    audit.append(log)
    return items


def _own_actions(actor: Actor, today: date) -> list[Item]:
    """Actions a team member performs that are past their date, in plans they are still in
    (a number: the plans page shows and logs them; the coordinator's own are above)."""
    from jeugdketen.plans.models import PlanAction, PlanStatus

    prof = actor.professional
    found = (PlanAction.objects.filter(
        performer_professional=prof, done_on__isnull=True, due_on__lt=today,
        plan__status=PlanStatus.OPEN, plan__team__professional=prof,
        plan__team__left_at__isnull=True).exclude(plan__coordinator=prof)
        .aggregate(n=_count(), first=Min("due_on")))
    if not found["n"]:
        return []
    return [Item("own_actions_late", ngettext(
        "%(n)s actie van u over de datum", "%(n)s acties van u over de datum", found["n"]) % {
        "n": found["n"]}, _("In de plannen waarin u in het team zit. De eerste had af moeten "
                            "zijn op %(day)s.") % {"day": _day(found["first"])},
        reverse("my_plans"), found["first"], late=True)]


# --- the inbox ----------------------------------------------------------------------------


def _messages(actor: Actor) -> list[Item]:
    from jeugdketen.referral_index.models import Message, MessageKind

    kinds = {
        MessageKind.PLAN_APPROVED: _("Het gezin keurde het plan goed: bekijk het"),
        MessageKind.PLAN_COMMENTED: _("Reactie van het gezin beantwoorden"),
        MessageKind.CONSENT_WITHDRAWN: _("Toestemming ingetrokken: bespreek het team"),
        MessageKind.HANDOVER: _("Wisseling van regisseur"),
        MessageKind.TEAM_JOINED: _("Nieuw in een team"),
    }
    rows = Message.objects.filter(recipient=actor.professional, read_at__isnull=True,
                                  kind__in=list(kinds)).order_by("created_at", "id")[:50]
    return [Item(m.kind, str(kinds[MessageKind(m.kind)]), m.body,
                 reverse("inbox_message", args=[m.pk]), timezone.localdate(m.created_at))
            for m in rows]


# --- the reference index --------------------------------------------------------------------


def _matches(actor: Actor, today: date) -> list[Item]:
    from jeugdketen.referral_index.models import Match, MatchStatus, SignalStatus

    prof = actor.professional
    assert prof is not None
    mine = Match.objects.filter(
        status=MatchStatus.OPEN, signals__contact=prof, signals__status=SignalStatus.ACTIVE,
        signals__expires_on__gt=today).distinct()
    items = []

    def url(matches: Any) -> str:
        """The matches page, at the most urgent of these matches (its own matches only)."""
        first = matches.order_by("coordinator_due", "pk").values_list("pk", flat=True).first()
        return reverse("my_matches") + (f"#match-{first}" if first else "")

    to_answer = mine.filter(proposed_coordinator__isnull=False).exclude(proposed_by=prof)
    found = to_answer.aggregate(n=_count(), first=Min("coordinator_due"))
    if found["n"]:
        items.append(Item("proposal", ngettext(
            "%(n)s voorstel voor een regievoerder beantwoorden",
            "%(n)s voorstellen voor een regievoerder beantwoorden", found["n"]) % {
            "n": found["n"]}, _("Spreek af wie de regie neemt, uiterlijk %(day)s.") % {
            "day": _day(found["first"])}, url(to_answer), found["first"],
            late=found["first"] < today))
    unproposed = mine.filter(proposed_coordinator__isnull=True)
    found = unproposed.aggregate(n=_count(), first=Min("coordinator_due"))
    if found["n"]:
        items.append(Item("agree", ngettext(
            "%(n)s match zonder voorstel voor een regievoerder",
            "%(n)s matches zonder voorstel voor een regievoerder", found["n"]) % {
            "n": found["n"]}, _("Stel een regievoerder voor, uiterlijk %(day)s.") % {
            "day": _day(found["first"])}, url(unproposed), found["first"],
            late=found["first"] < today))
    if "coordinator" in actor.roles and prof.organisation.kind == "municipality":
        found = Match.objects.filter(
            status=MatchStatus.OPEN, coordinator_due__lt=today,
            municipality_id=prof.organisation.municipality_id).aggregate(
            n=_count(), first=Min("coordinator_due"))
        if found["n"]:
            items.append(Item("overdue", ngettext(
                "%(n)s match zonder regievoerder na de termijn",
                "%(n)s matches zonder regievoerder na de termijn", found["n"]) % {
                "n": found["n"]}, _("De termijn verliep op %(day)s. Wijs een regievoerder "
                                    "aan.") % {"day": _day(found["first"])},
                reverse("overdue_matches"), found["first"], late=True))
    return items


def _count() -> Any:
    return Count("id", distinct=True)


# --- the privacy officer and the functional administrator ---------------------------------


def _in_municipality(own: str, prefix: str = "person__") -> Q:
    """The persons of a municipality as the policy counts them (their neighbourhood, or
    without one the organisations that entered them)."""
    return (Q(**{f"{prefix}neighbourhood__district__municipality_id": own})
            | Q(**{f"{prefix}neighbourhood__isnull": True,
                   f"{prefix}registrations__organisation__municipality_id": own}))


def _rights_requests(own: str, today: date) -> list[Item]:
    from jeugdketen.referral_index.models import RightsRequest

    rows = (RightsRequest.objects.filter(answered_on__isnull=True)
            .filter(_in_municipality(own)).distinct().order_by("due_on", "id")[:50])
    return [Item("rights_request", _("Verzoek (%(kind)s) beantwoorden") % {
        "kind": r.get_kind_display()}, _("Ontvangen op %(received)s; antwoord uiterlijk "
                                         "%(due)s.") % {"received": _day(r.received_on),
                                                        "due": _day(r.due_on)},
        reverse("rights_report", args=[r.person_id]), r.due_on, late=r.due_on < today)
        for r in rows]


def _break_glass(own: str) -> list[Item]:
    from jeugdketen.access.models import AccessLogRecord
    from jeugdketen.registry.models import Organisation

    organisations = Organisation.objects.filter(municipality_id=own).values("pk")
    found = AccessLogRecord.objects.filter(
        emergency=True, review__isnull=True, organisation_id__in=organisations).aggregate(
        n=_count(), first=Min("at"))
    if not found["n"]:
        return []
    first = timezone.localdate(found["first"])
    return [Item("break_glass", ngettext(
        "%(n)s keer noodtoegang beoordelen", "%(n)s keer noodtoegang beoordelen",
        found["n"]) % {"n": found["n"]}, _("De eerste keer was op %(day)s.") % {
        "day": _day(first)}, reverse("review_list"), first)]


def _corrections(own: str) -> list[Item]:
    from jeugdketen.registry.models import CorrectionProposal, CorrectionStatus

    found = (CorrectionProposal.objects.filter(status=CorrectionStatus.OPEN)
             .filter(_in_municipality(own)).aggregate(n=_count(), first=Min("created_at")))
    if not found["n"]:
        return []
    first = timezone.localdate(found["first"])
    return [Item("correction", ngettext(
        "%(n)s terugmelding aan de BRP beoordelen", "%(n)s terugmeldingen aan de BRP beoordelen",
        found["n"]) % {"n": found["n"]}, _("De oudste staat open sinds %(day)s.") % {
        "day": _day(first)}, reverse("corrections"), first)]


# --- the family -----------------------------------------------------------------------------


def _family(actor: Actor) -> list[Item]:
    from jeugdketen.plans.actions import plans_of_citizen
    from jeugdketen.plans.selectors import waiting_versions

    plans = plans_of_citizen(actor)  # logged as read, like the family's own list
    items = []
    for plan_id, version in waiting_versions(plans).items():
        items.append(Item("approve", _("Het plan wacht op uw goedkeuring"), _(
            "Versie %(number)s van uw gezinsplan, gemaakt op %(day)s.") % {
            "number": version.number, "day": _day(timezone.localdate(version.created_at))},
            reverse("family_plan", args=[plan_id]) + "#h-versions",
            timezone.localdate(version.created_at)))
    return items
