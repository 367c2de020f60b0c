"""The insight pages (issue 12): the dashboard of an area of the own municipality over a
period (the four KPIs, the value stream, the waiting lists, the outcomes per provider and
per neighbourhood, the costs; each chart with its numbers in a table beside it), and the
publication settings of the municipal analyst.

Every figure comes from the insight store (`insight.store.reader()`), with suppression
applied by the figure's own module: a count below the municipality's threshold, or one
that would let it be recomputed, is shown as hidden, never as a number. The read is asked
of the policy and logged by `insight.actions.read_insight` (the area is the object)."""

from __future__ import annotations

import contextlib
import threading
from collections import OrderedDict
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from jeugdketen.core.errors import Refusal
from jeugdketen.insight import (
    actions,
    charts,
    costs,
    kpis,
    outcomes,
    selectors,
    stats,
    store,
    suppression,
    value_stream,
    waiting,
)
from jeugdketen.insight.figures import Rate, Spread
from jeugdketen.insight.forms import PublicationForm, ScopeForm
from jeugdketen.insight.scope import Scope
from jeugdketen.ui import roles as r
from jeugdketen.ui.pages import actor_for, page, refusal_to_form, submit
from jeugdketen.ui.templatetags.jk import money

SCOPE_FIELDS = ("gebied", "tot")


# --- how a figure is written ----------------------------------------------------------------


def percent(value: float | None) -> str:
    return "" if value is None else f"{number_format(round(value * 100))}%"


def interval(low: float | None, high: float | None) -> str:
    if low is None or high is None:
        return ""
    return f"{number_format(round(low * 100))}–{number_format(round(high * 100))}%"


def days(value: float | None) -> str:
    """Days to one decimal when not whole (a median of 26.5), as the charts show them."""
    if value is None:
        return ""
    value = round(value, 1)
    return number_format(value, 0 if value == int(value) else 1)


def hidden(threshold: int) -> dict[str, Any]:
    """A suppressed cell: never a number."""
    return {"text": _("verborgen"), "hidden": True,
            "title": _("Minder dan %(n)s, of af te leiden uit de andere cijfers")
            % {"n": threshold}}


def cell(text: Any) -> dict[str, Any]:
    return {"text": str(text), "hidden": False, "title": ""}


def rounded_caption(caption: Any, threshold: int) -> str:
    """A table of rounded counts says so in its caption, once."""
    return _("%(caption)s (afgerond op %(n)s)") % {"caption": caption,
                                                   "n": suppression.step(threshold)}


# --- the pages ------------------------------------------------------------------------------


@page(r.has_professional)
def dashboard(request: HttpRequest) -> HttpResponse:
    """The figures of an area of the own municipality over a period (default: the
    municipality, the last twelve full months)."""
    actor = actor_for(request)
    own = actions.check_reader(actor)
    areas = selectors.areas_of(own)
    today = timezone.localdate()
    ends = actions.period_ends(today, store.first_day())
    if not ends:  # less than twelve whole months with data yet
        return render(request, "insight/dashboard.html", {
            "too_early": actions.earliest_end(store.first_day()),
            "may_change": selectors.may_change_settings(actor)})
    asked = any(name in request.GET for name in SCOPE_FIELDS)
    form = ScopeForm(request.GET if asked else None, areas=areas, ends=ends,
                     initial={"gebied": own, "tot": ends[0].isoformat()})
    context: dict[str, Any] = {"form": form, "reading": None,
                               "may_change": selectors.may_change_settings(actor)}
    area: str = own
    end: str | None = None
    if asked:
        if not form.is_valid():
            asked_area = request.GET.get("gebied", "")
            if "gebied" in form.errors and asked_area:
                # Not an area of the own municipality: read_insight refuses it as unknown
                # and logs the attempt (as the API does), the area as its object.
                with contextlib.suppress(Refusal):
                    actions.read_insight(actor, asked_area[:20], today=today)
            return render(request, "insight/dashboard.html", context, status=422)
        area = form.cleaned_data["gebied"]
        end = form.cleaned_data["tot"] or None
    try:
        reading = actions.read_insight(actor, area, end=end, today=today)
    except Refusal as refused:
        refusal_to_form(form, refused, ScopeForm.error_field)
        return render(request, "insight/dashboard.html", context, status=422)
    con = store.reader()
    context.update({"reading": reading, "empty": store.is_empty(),
                    "refreshed_at": store.refreshed_at(), "threshold": reading.threshold,
                    "rounding_step": suppression.step(reading.threshold)})
    if not context["empty"]:
        context["sections"] = cached_sections(con, reading)
    return render(request, "insight/dashboard.html", context)


# The sections of the pages asked for lately, per snapshot: figures only change when a
# refresh publishes a new snapshot (every few minutes), while the same pages are opened
# again and again (the municipality's default view above all). Per process, bounded.
_CACHE: OrderedDict[tuple[Any, ...], list[dict[str, Any]]] = OrderedDict()
_CACHE_SIZE = 32
_CACHE_LOCK = threading.Lock()


def cached_sections(con: Any, reading: actions.Reading) -> list[dict[str, Any]]:
    """sections(), computed once per snapshot, scope, threshold and language."""
    key = (store.snapshot(), reading.scope, reading.threshold, get_language())
    with _CACHE_LOCK:
        found = _CACHE.get(key)
        if found is not None:
            _CACHE.move_to_end(key)
            return found
    made = sections(con, reading)
    with _CACHE_LOCK:
        _CACHE[key] = made
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return made


def sections(con: Any, reading: actions.Reading) -> list[dict[str, Any]]:
    """The dashboard's sections, in the page's order."""
    scope, threshold = reading.scope, reading.threshold
    return [kpi_section(con, scope, threshold), value_stream_section(con, scope, threshold),
            waiting_section(con, scope, threshold), outcomes_section(con, scope, threshold),
            costs_section(con, scope, threshold)]


def table(caption: Any, columns: list[Any], rows: list[list[dict[str, Any]]]) -> dict[str, Any]:
    """A table part: the first cell of each row is its header; each cell knows its column
    (the phone layout shows it beside the value)."""
    for row in rows:
        for c, column in zip(row, columns, strict=True):
            c["label"] = str(column)
    return {"caption": caption, "columns": columns, "rows": rows,
            "empty": _("Geen trajecten in deze periode.")}


def group_label(figure: Any) -> str:
    return str(figure.label) if figure.group else _("%(area)s (totaal)") % {"area": figure.label}


def rate_row(rate: Rate, threshold: int) -> list[dict[str, Any]]:
    if rate.suppressed:
        return [cell(group_label(rate)), hidden(threshold), hidden(threshold), hidden(threshold),
                cell("")]
    return [cell(group_label(rate)), cell(percent(rate.value)), cell(interval(rate.low, rate.high)),
            cell(number_format(rate.n or 0)),
            cell(_("voorlopig") if rate.provisional else "")]


RATE_COLUMNS = [gettext_lazy("Gebied"), gettext_lazy("Aandeel"),
                gettext_lazy("95%-betrouwbaarheidsinterval"), gettext_lazy("Aantal (n)"),
                gettext_lazy("Let op")]


def kpi_section(con: Any, scope: Scope, threshold: int) -> dict[str, Any]:
    helps = kpis.help_that_helps(con, scope, threshold=threshold)
    spreads = kpis.time_to_help(con, scope, threshold=threshold)
    spread_rows = []
    for spread in spreads:
        if spread.suppressed:
            spread_rows.append([cell(group_label(spread)), *[hidden(threshold)] * 4])
            continue
        within = (hidden(threshold) if spread.share_within is None and spread.n
                  else cell(percent(spread.share_within)))
        spread_rows.append([cell(group_label(spread)), cell(days(spread.p50)),
                            cell(days(spread.p90)), within, cell(number_format(spread.n or 0))])
    # Time on help and job satisfaction (issue 13): per area, hidden below the threshold.
    time_rows = []
    for share in kpis.time_on_help(con, scope, threshold=threshold):
        if share.suppressed:
            time_rows.append([cell(group_label(share)), *[hidden(threshold)] * 4])
            continue
        time_rows.append([cell(group_label(share)), cell(percent(share.value)),
                          cell(days(share.help_hours)), cell(days(share.accountability_hours)),
                          cell(days(share.respondents))])
    satisfaction_rows = []
    for score in kpis.job_satisfaction(con, scope, threshold=threshold):
        label = cell(group_label(score))
        if score.suppressed:
            satisfaction_rows.append([label, cell(score.year), *[hidden(threshold)] * 5])
            continue
        satisfaction_rows.append([label, cell(score.year), cell(days(score.variety)),
                                  cell(days(score.autonomy)), cell(days(score.support)),
                                  cell(days(score.overall)),
                                  cell(number_format(score.respondents or 0))])
    notes: list[Any] = []
    return {"key": "kpis", "title": _("De vier doelen"), "notes": notes, "parts": [
        {"title": _("Hulp die helpt"), "intro": _(
            "Van de plannen die in de periode zijn afgesloten: het deel waarbij het gezin "
            "verder kan zonder hulp én er binnen %(days)s dagen na het afsluiten geen nieuwe "
            "melding of nieuw plan voor het huishouden kwam. Voorlopig zolang die termijn "
            "loopt.") % {"days": scope.follow_up_days},
         "chart": charts.bars_with_intervals(
             [rate.as_dict() for rate in helps], threshold=threshold,
             title=_("Hulp die helpt per gebied, met het 95%-interval"),
             chart_id="jk-help-that-helps"),
         **table(_("Hulp die helpt per gebied"), RATE_COLUMNS,
                 [rate_row(rate, threshold) for rate in helps])},
        {"title": _("Tijd tot hulp die helpt"), "intro": _(
            "Dagen van het eerste contact tot de start van de hulp, bij de hulp die hielp: "
            "de mediaan, het 90e percentiel en het deel binnen 4 weken."),
         **table(_("Tijd tot hulp die helpt per gebied"),
                 [gettext_lazy("Gebied"), gettext_lazy("Mediaan (dagen)"),
                  gettext_lazy("90e percentiel (dagen)"), gettext_lazy("Binnen 4 weken"),
                  gettext_lazy("Aantal (n)")], spread_rows)},
        {"title": _("Tijd aan hulp tegenover verantwoording"), "intro": _(
            "Het deel van de uren dat professionals aan gezinnen besteedden (contact, reizen, "
            "overleg over een gezin), van die uren en de uren voor registratie, rapportages, "
            "facturen en andere verantwoording samen: uit de wekelijkse vraag, alleen weken "
            "met genoeg antwoorden."),
         **table(_("Tijd aan hulp per gebied"),
                 [gettext_lazy("Gebied"), gettext_lazy("Deel voor gezinnen"),
                  gettext_lazy("Uren voor gezinnen per week"),
                  gettext_lazy("Uren voor verantwoording per week"),
                  gettext_lazy("Deelnemers per week")], time_rows),
         "empty": _("Nog geen antwoorden in deze periode.")},
        {"title": _("Werkplezier"), "intro": _(
            "Uit het jaarlijkse anonieme onderzoek, per jaar: afwisseling, zelf beslissen en "
            "steun van collega's (gemiddeld, 1 tot 5) en het cijfer (0 tot 10)."),
         **table(_("Werkplezier per gebied en jaar"),
                 [gettext_lazy("Gebied"), gettext_lazy("Jaar"), gettext_lazy("Afwisseling"),
                  gettext_lazy("Zelf beslissen"), gettext_lazy("Steun van collega's"),
                  gettext_lazy("Cijfer"), gettext_lazy("Aantal (n)")], satisfaction_rows),
         "empty": _("Nog geen gesloten onderzoek.")},
    ]}


@page(r.has_professional)
def publication(request: HttpRequest) -> HttpResponse:
    """The municipality's publication settings: the threshold and the follow-up period of
    help that helps. The municipal analyst of the municipality itself."""
    actor = actor_for(request)
    own = selectors.actor_municipality(actor) or ""
    current = actions.read_publication(actor, own)
    form = PublicationForm(request.POST or None, initial={
        "threshold": current.threshold, "follow_up_days": current.follow_up_days})
    saved = submit(request, form, lambda d: actions.set_publication(
        actor, own, threshold=d["threshold"], follow_up_days=d["follow_up_days"]))
    if saved is not None:
        messages.success(request, _("De instellingen zijn opgeslagen. Ze gelden voor alle "
                                    "cijfers van de gemeente, ook in de API."))
        return redirect("insight:insight_settings")
    return render(request, "insight/publication.html", {"form": form, "current": current},
                  status=422 if request.method == "POST" else 200)


# The activities of a trajectory as the directly-follows table names them.
ACTIVITY_LABELS: dict[str, Any] = {
    "care_report.received": gettext_lazy("Melding ontvangen"),
    "care_report.triaged": gettext_lazy("Melding beoordeeld"),
    "care_report.help_started": gettext_lazy("Hulp gestart na verwijzing"),
    "care_report.closed": gettext_lazy("Melding afgesloten"),
    "intake.planned": gettext_lazy("Intake gepland"),
    "intake.held": gettext_lazy("Intake gehouden"),
    "intake.decided": gettext_lazy("Intake besloten"),
    "plan.started": gettext_lazy("Plan gestart"),
    "plan.updated": gettext_lazy("Plan gewijzigd"),
    "plan.handed_over": gettext_lazy("Regie overgedragen"),
    "plan.version_saved": gettext_lazy("Versie van het plan"),
    "plan.approved": gettext_lazy("Plan goedgekeurd"),
    "plan.commented": gettext_lazy("Reactie op het plan"),
    "plan.closed": gettext_lazy("Plan afgesloten"),
    "analysis.recorded": gettext_lazy("Analyse vastgelegd"),
    "goal.set": gettext_lazy("Doel gesteld"),
    "plan_action.planned": gettext_lazy("Actie gepland"),
    "plan_action.done": gettext_lazy("Actie gedaan"),
    "team.joined": gettext_lazy("Teamlid erbij"),
    "team.left": gettext_lazy("Teamlid weg"),
    "evaluation.recorded": gettext_lazy("Evaluatie"),
    "consent.given": gettext_lazy("Toestemming gegeven"),
    "consent.withdrawn": gettext_lazy("Toestemming ingetrokken"),
    "legal_basis.recorded": gettext_lazy("Wettelijke grondslag vastgelegd"),
}


def activity_label(code: str) -> str:
    return str(ACTIVITY_LABELS.get(code, _("Andere stap")))


def count_cell(value: int | None, threshold: int) -> dict[str, Any]:
    return hidden(threshold) if value is None else cell(number_format(value))


def spread_cells(spread: Spread, threshold: int) -> list[dict[str, Any]]:
    if spread.suppressed:
        return [hidden(threshold), hidden(threshold)]
    return [cell(days(spread.p50)), cell(days(spread.p90))]


def value_stream_section(con: Any, scope: Scope, threshold: int) -> dict[str, Any]:
    stream = value_stream.value_stream(con, scope, threshold=threshold)
    edges = value_stream.directly_follows(con, scope, threshold=threshold)
    labels = value_stream.STEP_LABELS
    step_rows = [[cell(labels[s.key]), count_cell(s.reached, threshold),
                  *spread_cells(s.wait, threshold), *spread_cells(s.time_in_step, threshold),
                  cell("") if s.key == "closed" else count_cell(s.wip_now, threshold)]
                 for s in stream.steps]
    notes = []
    if stream.bottleneck:
        notes.append(_("De grootste wachttijd keer het aantal trajecten zit voor de stap "
                       "„%(step)s”: daar zit de bottleneck.")
                     % {"step": labels[stream.bottleneck]})
    h = stream.handovers
    if h.share.n and not h.share.suppressed and h.share.value is not None:
        notes.append(_("Van de %(plans)s trajecten met een plan wisselde bij %(share)s de "
                       "regisseur (95%%-interval %(interval)s).")
                     % {"plans": number_format(h.share.n), "share": percent(h.share.value),
                        "interval": interval(h.share.low, h.share.high)})
    parts = [
        {"title": _("Stappen"), "intro": _(
            "Per stap: hoeveel trajecten hem in de periode bereikten, hoe lang ze ervoor "
            "wachtten (dagen sinds de vorige stap), hoe lang ze erin bleven, en hoeveel er nu "
            "in staan."),
         **table(_("De stappen van eerste contact tot afsluiten"),
                 [gettext_lazy("Stap"), gettext_lazy("Bereikt"),
                  gettext_lazy("Wachttijd ervoor, mediaan (dagen)"),
                  gettext_lazy("Wachttijd ervoor, 90e percentiel (dagen)"),
                  gettext_lazy("Tijd in de stap, mediaan (dagen)"),
                  gettext_lazy("Tijd in de stap, 90e percentiel (dagen)"),
                  gettext_lazy("Nu in de stap")], step_rows),
         "chart": charts.value_stream_graph(
             [step.as_dict() for step in stream.steps], [], threshold=threshold,
             labels=labels, bottleneck=stream.bottleneck, chart_id="jk-value-stream")},
        {"title": _("Wat volgt op wat"), "intro": _(
            "Welke stap in hetzelfde traject direct op welke volgde, in hoeveel trajecten, "
            "en na hoeveel dagen (mediaan). Alleen overgangen in minstens %(n)s trajecten.")
            % {"n": threshold},
         **table(rounded_caption(_("Directe opvolging van stappen"), threshold),
                 [gettext_lazy("Van"), gettext_lazy("Naar"), gettext_lazy("Trajecten"),
                  gettext_lazy("Mediaan (dagen)")],
                 [[cell(activity_label(e.source)), cell(activity_label(e.target)),
                   cell(number_format(e.trajectories)), cell(days(e.median_days))]
                  for e in edges]),
         "chart": charts.value_stream_graph(
             [], [e.as_dict() for e in edges], threshold=threshold,
             labels={code: activity_label(code) for e in edges for code in (e.source, e.target)},
             title=_("Directe opvolging van stappen"), chart_id="jk-directly-follows")
         if edges else ""},
        wip_part(stream, threshold),
    ]
    if stream.suppressed:
        parts = []
        notes = [_("Minder dan %(n)s trajecten in dit gebied en deze periode: de waardestroom "
                   "wordt niet getoond.") % {"n": threshold}]
    return {"key": "waardestroom", "title": _("De waardestroom"), "notes": notes,
            "parts": parts}


OUTCOME_LABELS: dict[str, Any] = {
    "dropout": gettext_lazy("Eenzijdig voortijdig gestopt"),
    "satisfied": gettext_lazy("Tevreden (7 of hoger)"),
    "can_continue": gettext_lazy("Kan verder zonder hulp"),
    "no_repeat": gettext_lazy("Geen nieuwe hulpvraag in de nazorgperiode"),
    "goals_attained": gettext_lazy("Doelen bereikt (T-score 50 of hoger)"),
}
POSITION_LABELS: dict[str, Any] = {
    "within": gettext_lazy("binnen de grenzen"),
    "high95": gettext_lazy("boven de grens van 95%"),
    "low95": gettext_lazy("onder de grens van 95%"),
    "high998": gettext_lazy("boven de grens van 99,8%"),
    "low998": gettext_lazy("onder de grens van 99,8%"),
}


def outcomes_section(con: Any, scope: Scope, threshold: int) -> dict[str, Any]:
    parts = []
    # Per provider the tables are over the whole municipality, whatever area is chosen
    # (kpis.provider_scope): said above each of them.
    town = kpis.scope_name(con, kpis.provider_scope(con, scope))
    provider_intro = _("Aanbieders: de hele gemeente %(name)s, ook als u een wijk of buurt "
                       "kiest.") % {"name": town}
    for by, title in (("neighbourhood", _("Per buurt")), ("provider", _("Per aanbieder"))):
        found = outcomes.indicators(con, scope, threshold=threshold, by=by)
        for key, rates in found.items():
            funnel = stats.funnel(rates)
            positions = {p["group"]: p["position"] for p in funnel["points"]}
            rows = []
            for rate in rates:
                row = rate_row(rate, threshold)
                row[-1] = cell(" ".join(filter(None, [
                    str(POSITION_LABELS[positions[rate.group]]) if rate.group in positions
                    else "", row[-1]["text"]])))
                rows.append(row)
            shown = sum(1 for rate in rates if rate.group and rate.suppressed)
            chart = charts.funnel_plot(
                funnel["points"], funnel["limits"], funnel["overall"], threshold=threshold,
                hidden=shown, title=_("Trechterdiagram: %(what)s (%(by)s)")
                % {"what": OUTCOME_LABELS[key], "by": title.lower()},
                chart_id=f"jk-funnel-{by}-{key}") if funnel["points"] and (
                    0 < (funnel["overall"] or 0) < 1) else ""  # at 0% or 100%: no funnel
            parts.append({"title": f"{title}: {OUTCOME_LABELS[key]}", "chart": chart,
                          "intro": provider_intro if by == "provider" else "", **table(
                f"{OUTCOME_LABELS[key]} ({title.lower()})",
                [gettext_lazy("Buurt") if by == "neighbourhood" else gettext_lazy("Aanbieder"),
                 *RATE_COLUMNS[1:-1], gettext_lazy("Vergeleken met het geheel")], rows)})
    return {"key": "uitkomsten", "title": _("Uitkomsten"), "intro": _(
        "De landelijke uitkomstindicatoren per buurt en per aanbieder, elk met het aantal "
        "waarop het is gebaseerd en een 95%-betrouwbaarheidsinterval. Of een buurt of "
        "aanbieder afwijkt, zegt de vergelijking met het geheel: pas buiten de grenzen van "
        "de trechter is een verschil waarschijnlijk geen toeval."), "parts": parts}


def money_cell(value: float | None, suppressed: bool, threshold: int) -> dict[str, Any]:
    return hidden(threshold) if suppressed else cell(money(value))


def costs_section(con: Any, scope: Scope, threshold: int) -> dict[str, Any]:
    rows = []
    found = costs.costs(con, scope, threshold=threshold)
    for row in found:
        if row.suppressed:
            rows.append([cell(group_label(row)), *[hidden(threshold)] * 5])
            continue
        rows.append([cell(group_label(row)), count_cell(row.n, threshold),
                     money_cell(row.budget_per_trajectory, False, threshold),
                     money_cell(row.spent_per_trajectory, False, threshold),
                     money_cell(row.spent_per_helped, row.helped is None, threshold),
                     money_cell(row.spent_on_helped, row.helped is None, threshold)])
    return {"key": "kosten", "title": _("Kosten"), "intro": _(
        "Begroot en besteed per afgesloten traject, en wat alle hulp kostte per traject dat "
        "hielp."), "parts": [{"chart": charts.cost_bars(
            [row.as_dict() for row in found], threshold=threshold, chart_id="jk-costs"),
            **table(
            _("Kosten per gebied"),
            [gettext_lazy("Gebied"), gettext_lazy("Afgesloten trajecten"),
             gettext_lazy("Begroot per traject"), gettext_lazy("Besteed per traject"),
             gettext_lazy("Besteed per traject dat hielp"),
             gettext_lazy("Gemiddeld besteed aan hulp die hielp")], rows)}]}


def wip_part(stream: value_stream.ValueStream, threshold: int) -> dict[str, Any]:
    """Work in progress per week: the open trajectories per step at the end of each week."""
    labels = value_stream.STEP_LABELS
    weeks = stream.as_dict()["weeks"]
    steps = [key for key in value_stream.STEPS if key != "closed"]
    rows = [[cell(week.week), *[count_cell(week.counts.get(key), threshold) for key in steps],
             count_cell(week.total, threshold)] for week in stream.weeks]
    return {"title": _("Onderhanden werk per week"), "intro": _(
        "Hoeveel trajecten aan het eind van elke week open waren, per stap waarin ze "
        "stonden."),
        "chart": charts.weekly_lines(charts.wip_series(weeks, labels), threshold=threshold,
                                     title=_("Onderhanden werk per week"),
                                     y_label=_("trajecten open"), chart_id="jk-wip")
        if stream.weeks else "",
        **table(rounded_caption(_("Onderhanden werk per week en stap"), threshold),
                [gettext_lazy("Week"), *[labels[key] for key in steps], gettext_lazy("Totaal")],
                rows)}


WAITING_STEP_LABELS: dict[str, Any] = {
    "received": gettext_lazy("Te beoordelen"),
    "triaged": gettext_lazy("Wacht op een intake"),
    "intake_planned": gettext_lazy("Intake gepland"),
    "intake_held": gettext_lazy("Wacht op de start van de hulp"),
    "total": gettext_lazy("Alle stappen"),
}
WAITING_COLUMNS = [gettext_lazy("Open"), gettext_lazy("Binnen de norm"),
                   gettext_lazy("Over de norm"), gettext_lazy("Meer dan drie keer over de norm"),
                   gettext_lazy("Zonder norm")]


def waiting_cells(row: waiting.WaitingRow, threshold: int) -> list[dict[str, Any]]:
    return [count_cell(getattr(row, key), threshold)
            for key in ("total", "within", "past_norm", "past_3x", "no_norm")]


def waiting_section(con: Any, scope: Scope, threshold: int) -> dict[str, Any]:
    found = waiting.waiting(con, scope, threshold=threshold)
    now = [[cell(WAITING_STEP_LABELS[row.step]), *waiting_cells(row, threshold)]
           for row in found.now]
    by_organisation = [[cell(f"{row.label or _('Het gezin of een inwoner')}: "
                             f"{WAITING_STEP_LABELS[row.step]}"), *waiting_cells(row, threshold)]
                       for row in found.by_organisation]
    weeks = found.as_dict()["weeks"]
    week_rows = []
    for week in found.weeks:
        total = next((r for r in week.rows if r.step == "total" and r.group == ""), None)
        if total is not None:
            week_rows.append([cell(week.week), *waiting_cells(total, threshold)])
    return {"key": "wachtlijsten", "title": _("Wachtlijsten"), "intro": _(
        "De open meldingen bij de voordeur per stap en organisatie, en hoe oud ze zijn "
        "tegenover de normen van de gemeente."), "parts": [
        {"title": _("Nu"), **table(rounded_caption(_("Open meldingen per stap, nu"), threshold),
                                   [gettext_lazy("Stap"), *WAITING_COLUMNS], now)},
        {"title": _("Per organisatie"), **table(
            rounded_caption(_("Open meldingen per organisatie en stap, nu"), threshold),
            [gettext_lazy("Organisatie en stap"), *WAITING_COLUMNS], by_organisation)},
        {"title": _("Per week"), "chart": charts.weekly_lines(
            charts.waiting_series(weeks), threshold=threshold, chart_id="jk-waiting")
            if weeks else "",
         **table(rounded_caption(_("Open meldingen aan het eind van elke week"), threshold),
                 [gettext_lazy("Week"), *WAITING_COLUMNS], week_rows)},
    ]}
