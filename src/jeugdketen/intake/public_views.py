"""The front door's pages for people outside the professions.

- The public form at /melden (no login): anyone reports a worry about a child. Throttled
  per client address (intake.throttle: 429 with a clear message, on the form too once the
  limit is reached). The confirmation shows the reference, what happens next and the
  triage date, from this browser's session only: nothing is looked up after the report
  (no READ of a report by anyone outside the front-door team, ever, and the reference is
  no look-up key).
- The family's own view "Waar staat mijn melding" (under /gezin/meldingen/): each of the
  family's reports with its step in plain language, what happens next and by about when,
  and a form for a youth from 16 or a custody holder to report about themselves or their
  child. Which reports show and who may report is the access policy's answer.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from jeugdketen.access.audit import AccessDenied
from jeugdketen.access.lockout import client_address
from jeugdketen.access.policy import PARENT_SEES_UNTIL_AGE, Actor, public_actor
from jeugdketen.core.errors import Refusal
from jeugdketen.intake import throttle
from jeugdketen.intake.actions.public import report_public
from jeugdketen.intake.actions.reports import report
from jeugdketen.intake.models import Step
from jeugdketen.intake.public_forms import (
    FIELD_OF_REFUSAL,
    HOUSEHOLD,
    FamilyReportForm,
    PublicReportForm,
)
from jeugdketen.intake.selectors import reports_for_family, status_of
from jeugdketen.registry.selectors import custody_children, household_members, households_of
from jeugdketen.ui import roles as r
from jeugdketen.ui.pages import (
    access_point,
    actor_for,
    forbidden_response,
    page,
    refusal_to_form,
)

SESSION_KEY = "jk_public_report"  # the confirmation of the report just made, shown once
# A youth from 16 reports about themselves; below it a custody holder does (the policy).
YOUTH_REPORTS_FROM = PARENT_SEES_UNTIL_AGE

# --- the public form -----------------------------------------------------------------------


def anonymous_actor(request: HttpRequest) -> Actor:
    """Who reports on the public form: nobody known, only the access point (also when
    someone happens to be logged in: the public form is the public's)."""
    point = access_point(request)
    return public_actor(point.ip, point.user_agent)


def too_many(request: HttpRequest, verdict: throttle.Verdict) -> HttpResponse:
    """429: this address made as many reports as allowed; when it can report again, and
    what to do when it cannot wait."""
    minutes = max(1, (verdict.retry_after + 59) // 60)
    hours = minutes // 60 if minutes >= 120 else 0
    response = render(request, "intake/public/too_many.html",
                      {"wait_minutes": minutes, "wait_hours": hours}, status=429)
    response["Retry-After"] = str(verdict.retry_after)
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def report_form(request: HttpRequest) -> HttpResponse:
    address = client_address(request)
    verdict = throttle.check(address)
    if not verdict.allowed:
        return too_many(request, verdict)
    form = PublicReportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        taken = throttle.take(address)
        if not taken.allowed:
            return too_many(request, taken)
        data = form.cleaned_data
        try:
            made = report_public(
                anonymous_actor(request), municipality_code=data["municipality"],
                given_name=data["given_name"], family_name=data["family_name"],
                birth_date=data["birth_date"], postcode=data["postcode"],
                house_number=data["house_number"], question=data["question"],
                life_domains=data["life_domains"], urgency=data["urgency"],
                unsafe=data["unsafe"], desired_result=data["desired_result"],
                reporter_name=data["reporter_name"],
                reporter_relation=data["reporter_relation"],
                contact_phone=data["contact_phone"], contact_email=data["contact_email"])
        except Refusal as exc:
            throttle.give_back(address, taken)
            refusal_to_form(form, exc, FIELD_OF_REFUSAL)
        except AccessDenied:
            throttle.give_back(address, taken)
            return forbidden_response(request, logged=True)
        except BaseException:
            throttle.give_back(address, taken)
            raise
        else:
            request.session[SESSION_KEY] = {
                "reference": made.reference, "unsafe": bool(made.unsafe),
                "urgency": made.urgency,
                "triage_by": made.step_due_on.isoformat() if made.step_due_on else "",
            }
            return redirect("intake_public:received")
    return render(request, "intake/public/form.html", {"form": form})


@require_GET
def received(request: HttpRequest) -> HttpResponse:
    """The confirmation, once, from this browser's session: the reference, what happens
    next and the triage date. Without a report just made here: back to the form."""
    done = request.session.pop(SESSION_KEY, None)
    if not isinstance(done, dict) or not done.get("reference"):
        return redirect("intake_public:report")
    triage_by = date.fromisoformat(done["triage_by"]) if done.get("triage_by") else None
    return render(request, "intake/public/received.html", {
        "reference": done["reference"], "unsafe": done.get("unsafe", False),
        "crisis": done.get("urgency") == "crisis", "triage_by": triage_by,
        "today": timezone.localdate()})


# --- the family's own view -----------------------------------------------------------------

# Each step in plain language: where the report is, and what happens next.
STEP_WORDS: dict[str, tuple[Any, Any]] = {
    Step.RECEIVED: (
        gettext_lazy("De melding is binnen."),
        gettext_lazy("Het team van de gemeente (de voordeur) leest de melding en bepaalt welke "
                     "hulp past. Daarna hoort u van hen.")),
    Step.TRIAGED: (
        gettext_lazy("Het team van de gemeente heeft de melding gelezen. Er komt één gesprek "
                     "met u en de hulpverleners die nodig zijn."),
        gettext_lazy("U krijgt een uitnodiging voor dat gesprek, met de dag, de tijd en de "
                     "plek.")),
    Step.INTAKE_PLANNED: (
        gettext_lazy("Het gesprek met u en de hulpverleners is gepland."),
        gettext_lazy("In het gesprek vertelt u één keer uw verhaal. Samen spreekt u af wat "
                     "het doel is en wie u helpt.")),
    Step.INTAKE_HELD: (
        gettext_lazy("Het gesprek is geweest."),
        gettext_lazy("De hulp die u samen heeft afgesproken begint.")),
    Step.HELP_STARTED: (
        gettext_lazy("De hulp is begonnen."),
        gettext_lazy("Heeft u een gezinsplan? Daarin ziet u de doelen en wie wat doet.")),
    Step.CLOSED: (
        gettext_lazy("Deze melding is afgerond."),
        gettext_lazy("Heeft u nog vragen? Neem contact op met het team van uw gemeente.")),
}


def _row(found: Any) -> dict[str, Any]:
    status = status_of(found)
    step = status["step"]
    where, then = STEP_WORDS.get(step, ("", ""))
    about = (str(found.person) if found.person_id is not None
             else _("uw gezin") if found.household_id is not None else "")
    return {"where": where, "then": then, "step": step, "about": about,
            "received_at": status["received_at"], "next_step_by": status["next_step_by"],
            "late": bool(status["overdue"]),
            "open": step != Step.CLOSED}


def _reportable(actor: Actor, today: date) -> list[tuple[str, str]]:
    """Whom this family member may report about: themselves from 16, the children under 16
    they hold custody of according to the BRP (from 16 a youth reports themselves), and
    the household they share with such a child
    (the action asks the policy again). A household's value starts with HOUSEHOLD."""
    me = actor.person
    if me is None:
        return []
    persons: list[tuple[str, str]] = []
    if me.age_on(today) >= YOUTH_REPORTS_FROM:
        persons.append((str(me.pk), _("%(name)s (uzelf)") % {"name": me}))
    children = [c for c in custody_children(me) if c.pk != me.pk and c.date_of_death is None
                and c.age_on(today) < YOUTH_REPORTS_FROM]
    persons += [(str(child.pk), str(child)) for child in children]
    held = {child.pk for child in children}
    for household in households_of(me):
        members = household_members(household.pk)
        if any(m.person_id in held for m in members):
            names = ", ".join(m.person.given_names for m in members)
            persons.append((HOUSEHOLD + str(household.pk),
                            _("Ons hele gezin (%(names)s)") % {"names": names}))
    return persons


@page(r.is_citizen)
def family_reports(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    today = timezone.localdate()
    me = actor.person
    found = reports_for_family(actor, me) if me is not None else []
    rows = [_row(item) for item in found]
    return render(request, "intake/family/reports.html", {
        "rows": rows, "may_report": bool(_reportable(actor, today)),
        "too_young": me is not None and me.age_on(today) < YOUTH_REPORTS_FROM,
        "from_age": YOUTH_REPORTS_FROM})


@page(r.is_citizen)
def family_report_new(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    today = timezone.localdate()
    persons = _reportable(actor, today)
    if not persons:
        return render(request, "intake/family/report_form.html", {
            "form": None, "from_age": YOUTH_REPORTS_FROM})
    form = FamilyReportForm(request.POST if request.method == "POST" else None,
                            persons=persons)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            chosen = data["person"]
            about = ({"household_id": chosen.removeprefix(HOUSEHOLD)}
                     if chosen.startswith(HOUSEHOLD) else {"person_id": chosen})
            report(actor, **about, question=data["question"],
                   life_domains=data["life_domains"], urgency=data["urgency"],
                   unsafe=data["unsafe"], desired_result=data["desired_result"],
                   consent_to_share=data["consent_to_share"],
                   contact_phone=data["contact_phone"], contact_email=data["contact_email"])
        except Refusal as exc:
            refusal_to_form(form, exc, FIELD_OF_REFUSAL)
        else:
            messages.success(request, _(
                "Dank u. Uw melding is binnen. Hieronder ziet u waar hij staat en wat er nu "
                "gebeurt."))
            if data["unsafe"]:
                messages.warning(request, _(
                    "Is het thuis niet veilig? Bel bij direct gevaar 112. Bel Veilig Thuis voor "
                    "advies of hulp: 0800-2000, gratis, dag en nacht."))
            return redirect(reverse("intake_public:family_reports"))
    return render(request, "intake/family/report_form.html", {
        "form": form, "from_age": YOUTH_REPORTS_FROM})
