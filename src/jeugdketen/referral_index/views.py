"""Pages of the reference index: my signals, register and withdraw, the letter, my
matches with the coordinator agreement, the inbox, and the privacy officer's rights
report. Every read and write goes through referral_index.actions."""

from __future__ import annotations

import contextlib
import json
import re
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jeugdketen import inbox as inbox_module
from jeugdketen.access.audit import AccessDenied
from jeugdketen.access.policy import Action, Data, Target, decide
from jeugdketen.core.errors import Refusal
from jeugdketen.plans.selectors import households_for_match
from jeugdketen.referral_index import actions, pickers
from jeugdketen.referral_index.documents import readable, rights_report
from jeugdketen.referral_index.forms import (
    AnswerForm,
    ExtendForm,
    LookupForm,
    ProposeForm,
    RightsRequestForm,
    SignalForm,
    WithdrawForm,
)
from jeugdketen.referral_index.models import MatchStatus
from jeugdketen.registry import selectors as lookup
from jeugdketen.ui import listing
from jeugdketen.ui import roles as r
from jeugdketen.ui.pages import (
    actor_for,
    forbidden_response,
    page,
    page_number,
    refusal_to_messages,
    submit,
)
from jeugdketen.ui.pdf import pdf


def _pdf_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


SIGNALS_PER_PAGE = 25
# The sorts of the signals list: (label, order_by).
SIGNAL_SORTS: dict[str, tuple[Any, tuple[str, ...]]] = {
    "gemeld": (gettext_lazy("Laatst gemeld"), ("-registered_on", "-id")),
    "naam": (gettext_lazy("Naam"), ("person__family_name", "person__given_names", "id")),
    "looptijd": (gettext_lazy("Loopt het eerst af"), ("expires_on", "id")),
}


@page(r.can_care)
def my_signals(request: HttpRequest) -> HttpResponse:
    """The organisation's active signals, searched by the youth's name, BSN or birth date
    (only among these signals), sorted and paged; each listed signal is logged as read."""
    actor = actor_for(request)
    search = listing.search_text(request)
    sort = listing.sort_key(request, SIGNAL_SORTS)
    where = lookup.person_search(search, prefix="person__")
    paging = listing.paging(request, actions.own_signals_query(actor, where).count(),
                            SIGNALS_PER_PAGE)
    signals = actions.own_signals(actor, where=where, order=SIGNAL_SORTS[sort][1],
                                  limit=SIGNALS_PER_PAGE, offset=paging.offset)
    # The match each of the caller's own signals is in (as GET /api/v1/signals tells).
    matches = actions.match_ids(actor, signals)
    for s in signals:
        s.jk_match_id = matches.get(s.pk)  # type: ignore[attr-defined]
    return render(request, "referral_index/signals.html", {
        "signals": signals, "search": search, "sort": sort,
        "sort_options": [(key, label) for key, (label, _order) in SIGNAL_SORTS.items()],
        **paging.context(len(signals))})


@page(r.can_care)
def register(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    prof = actor.professional
    if prof is None or not prof.organisation.may_signal:
        return render(request, "referral_index/not_authorised.html", status=403)
    # The child picker: searched among the own youth only (referral_index.pickers); each listed is read.
    chosen = (request.POST if request.method == "POST" else request.GET).get("person", "")
    picked = pickers.youth(actor, "" if request.method == "POST" else
                           listing.search_text(request), chosen=chosen)
    initial = {"contact_phone": prof.phone, "contact_email": prof.email, "duration_days": 730,
               "person": chosen}
    form = SignalForm(request.POST or None, initial=initial, persons=picked.options)
    # A rule about the youth (deceased, too old, ...) is said at the youth chosen.
    result = submit(request, form, lambda data: actions.register_signal(
        actor, data["person"], duration_days=data["duration_days"],
        contact_phone=data["contact_phone"], contact_email=data["contact_email"]),
        field_map={"person_id": "person"})
    if result is not None:
        if not result.created:
            messages.info(request, _("Uw organisatie heeft al een actief signaal op deze "
                                     "jongere. U kunt de looptijd daarvan verlengen."))
        else:
            messages.success(request, _("Het signaal staat in de verwijsindex. Stuur de "
                                        "informatiebrief."))
            if result.matches:
                messages.info(request, _("Er is een match: kijk bij Mijn matches en in uw "
                                         "berichten."))
        return redirect("signal_detail", signal_id=result.signal.pk)
    return render(request, "referral_index/register.html", {"form": form, "picked": picked})


@page(r.can_care)
def detail(request: HttpRequest, signal_id: int) -> HttpResponse:
    actor = actor_for(request)
    signal = actions.read_signal(actor, signal_id)
    withdraw_form = WithdrawForm(prefix="w")
    extend_form = ExtendForm(prefix="e", initial={"duration_days": signal.duration_days})
    if request.method == "POST":
        if "withdraw" in request.POST:
            withdraw_form = WithdrawForm(request.POST, prefix="w")
            if submit(request, withdraw_form, lambda data: actions.withdraw_signal(
                    actor, signal.pk, reason=data["reason"])) is not None:
                messages.success(request, _("Het signaal is ingetrokken. Het matcht niet meer."))
                return redirect("my_signals")
        elif "extend" in request.POST:
            extend_form = ExtendForm(request.POST, prefix="e")
            # A refusal (shorter than the municipality's minimum, an ended signal) is shown
            # on the form, not a server error.
            if submit(request, extend_form, lambda data: actions.extend_signal(
                    actor, signal.pk, duration_days=data["duration_days"])) is not None:
                messages.success(request, _("De looptijd is aangepast."))
                return redirect("signal_detail", signal_id=signal.pk)
    return render(request, "referral_index/detail.html", {
        "signal": signal, "withdraw_form": withdraw_form, "extend_form": extend_form,
        "match_id": actions.match_ids(actor, [signal]).get(signal.pk)})


@page(r.can_care)
def letter(request: HttpRequest, signal_id: int, as_pdf: bool = False) -> HttpResponse:
    document = actions.information_letter(actor_for(request), signal_id)
    if as_pdf:
        return _pdf_response(pdf(document), document.filename)
    return render(request, "referral_index/document.html",
                  {"document": document, "signal_id": signal_id})


def _match_view(actor: Any, match: Any, youth: actions.Youth | None = None) -> dict[str, Any]:
    contacts = actions.match_contacts(match)
    prof = actor.professional
    mine = any(s.contact_id == prof.pk for s in contacts)
    candidates = [(s.contact.pk, f"{s.contact.full_name} ({s.contact.organisation.name})")
                  for s in contacts if s.contact.organisation.may_coordinate]
    return {
        "match": match, "others": [s for s in contacts if s.contact_id != prof.pk],
        "youth": youth, "neighbourhood": actions.neighbourhood_of(match),
        "involved": mine, "candidates": candidates,
        "can_accept": (match.status == MatchStatus.OPEN and match.proposed_coordinator is not None
                       and match.proposed_by_id != prof.pk and mine),
        "can_appoint": not mine and match.coordinator_overdue(),
        "form": ProposeForm(candidates=candidates, prefix=f"m{match.pk}"),
        "plan_households": households_for_match(actor, match),
    }


@page(lambda u: r.can_care(u) or "coordinator" in r.roles_of(u))
def my_matches(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    if request.method == "POST":
        match_id = request.POST.get("match")
        try:
            if "propose" in request.POST or "appoint" in request.POST:
                match = actions.read_match(actor, match_id)
                candidates = _match_view(actor, match)["candidates"]
                form = ProposeForm(request.POST, candidates=candidates, prefix=f"m{match.pk}")
                if form.is_valid():
                    chosen = form.cleaned_data["professional_id"]
                    if "appoint" in request.POST:
                        actions.appoint_coordinator(actor, match.pk, chosen)
                        messages.success(request, _("De regievoerder is aangewezen."))
                    else:
                        actions.propose_coordinator(actor, match.pk, chosen)
                        messages.success(request, _("Uw voorstel is verstuurd naar de betrokkenen."))
            elif "accept" in request.POST:
                actions.accept_coordinator(actor, match_id,
                                           signals_aligned=request.POST.get("aligned") == "yes")
                messages.success(request, _("De regievoerder is afgesproken."))
        except Refusal as exc:
            refusal_to_messages(request, exc)
        return redirect("my_matches")
    found = actions.my_matches(actor)
    youth = actions.youth_of_matches(actor, found)
    matches = [_match_view(actor, m, youth.get(m.pk)) for m in found]
    return render(request, "referral_index/matches.html", {
        "matches": matches, "oversees": actions.oversees(actor)})


@page(lambda u: "coordinator" in r.roles_of(u))
def overdue(request: HttpRequest) -> HttpResponse:
    """The municipality's coordinator: matches without an agreed coordinator past their
    deadline, most overdue first, by neighbourhood and organisation, 25 a page."""
    actor = actor_for(request)
    # A CBS neighbourhood code (BU + digits); anything else filters on nothing that exists.
    hood = re.sub(r"[^A-Z0-9]", "", request.GET.get("wijk", "").upper())[:10]
    org = request.GET.get("organisatie", "").strip()
    organisation = int(org) if org.isdigit() and len(org) < 18 else None
    listing = actions.overdue_matches(actor, neighbourhood=hood, organisation=organisation,
                                      page=page_number(request))
    today = timezone.localdate()
    rows = [{"match": m, "neighbourhood": actions.neighbourhood_of(m),
             "organisations": sorted({s.contact.organisation.name
                                      for s in actions.match_contacts(m)}),
             "days": (today - m.coordinator_due).days} for m in listing.matches]
    return render(request, "referral_index/overdue.html", {
        "rows": rows, "listing": listing, "neighbourhood": hood, "organisation": organisation,
        "previous_page": listing.page - 1 if listing.page > 1 else None,
        "next_page": listing.page + 1 if listing.page < listing.pages else None})


@page(r.has_professional)
def inbox(request: HttpRequest) -> HttpResponse:
    prof = request.user.professional  # type: ignore[union-attr]
    if request.method == "POST" and request.POST.get("read", "").isdigit():
        actions.mark_read(prof, int(request.POST["read"]))
        return redirect("inbox")
    return render(request, "referral_index/inbox.html",
                  {"messages_list": inbox_module.messages_of(prof)})


@page(r.has_professional)
def inbox_message(request: HttpRequest, message_id: int) -> HttpResponse:
    """One of the user's own messages; opening it marks it read. Another's message answers
    404, like one that does not exist."""
    prof = request.user.professional  # type: ignore[union-attr]
    message = inbox_module.open_message(prof, message_id)
    if message is None:
        raise Http404
    return render(request, "referral_index/message.html",
                  {"m": message, "link": inbox_module.link(message)})


@page(r.can_review)
def rights(request: HttpRequest) -> HttpResponse:
    # POST: a BSN never ends up in a URL, a server log or the browser history.
    form = LookupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = lookup.person_id_for_bsn(form.cleaned_data["bsn"])
        # A person of another municipality is answered like an unknown BSN (and the attempt
        # is logged as denied): the answer never tells whom the chain knows elsewhere.
        if person is not None and not decide(actor_for(request), Action.READ, Target(
                Data.RIGHTS_REQUEST, person=lookup.person_for_policy(person))).allowed:
            with contextlib.suppress(AccessDenied):
                actions.rights_report(actor_for(request), person)
            person = None
        if person is None:
            form.add_error("bsn", _("Over dit BSN staat niets in het platform."))
        else:
            return redirect("rights_report", person_id=person)
    return render(request, "referral_index/rights_lookup.html", {"form": form})


@page(r.can_review)
def rights_person(request: HttpRequest, person_id: str, fmt: str = "") -> HttpResponse:
    actor = actor_for(request)
    request_form = RightsRequestForm(prefix="q", initial={"received_on": timezone.localdate()})
    if request.method == "POST":
        if "record" in request.POST:
            request_form = RightsRequestForm(request.POST, prefix="q")
            if submit(request, request_form,
                      lambda data: actions.record_rights_request(actor, person_id, **data)):
                messages.success(request, _("Het verzoek is vastgelegd."))
                return redirect("rights_report", person_id=person_id)
        elif "answer" in request.POST:
            answer = AnswerForm(request.POST, prefix=f"a{request.POST['answer']}")
            if answer.is_valid():
                try:
                    actions.answer_rights_request(actor, request.POST["answer"],
                                                  **answer.cleaned_data)
                except Refusal as exc:  # answered by someone else meanwhile: theirs stands
                    refusal_to_messages(request, exc)
                else:
                    messages.success(request, _("Het antwoord is vastgelegd."))
            else:
                messages.error(request, _("Kies een besluit en beschrijf de uitkomst."))
            return redirect("rights_report", person_id=person_id)
    if fmt:
        report = actions.rights_report(actor, person_id, action=Action.EXPORT)
        if fmt == "json":
            response = HttpResponse(json.dumps(report, indent=2, ensure_ascii=False),
                                    content_type="application/json; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="verwijsindex-{person_id}.json"'
            return response
        document = rights_report(report)
        return _pdf_response(pdf(document), document.filename)
    report = readable(actions.rights_report(actor, person_id))
    for q in report["requests"]:
        q["form"] = AnswerForm(prefix=f"a{q['id']}")
    return render(request, "referral_index/rights_report.html",
                  {"report": report, "request_form": request_form, "person_id": person_id})


@page(r.can_care)
def pick_youth(request: HttpRequest) -> HttpResponse:
    """The child picker's endpoint (htmx asks it for the list of candidates only): the own
    youth matching the search (pickers.youth). At /kiezen/jongeren/ (config/urls.py)."""
    actor = actor_for(request)
    prof = actor.professional
    if prof is None or not prof.organisation.may_signal:
        return forbidden_response(request, logged=False)
    chosen = request.GET.get("person", "")
    picked = pickers.youth(actor, listing.search_text(request), chosen=chosen)
    return render(request, "referral_index/partials/youth_options.html",
                  {"picked": picked, "chosen": chosen})
