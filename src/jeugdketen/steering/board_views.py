"""The chain board's pages (issue 13), namespace "steering", under /sturing/bord/: the
board of the own municipality for a week (every series as a run chart with its numbers in
a table beside it, the bottlenecks, the improvement actions with their measured effect,
the meetings), the forms of the analyst and the coordinator, and a meeting's minutes with
the numbers frozen as they were. Every read and write goes through
steering.board_actions (policy, access log, chain event)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from jeugdketen.access.policy import Action
from jeugdketen.core.errors import Refusal
from jeugdketen.insight import store, suppression, value_stream
from jeugdketen.steering import board_actions as act
from jeugdketen.steering import charts, series, simulation_actions, simulation_views
from jeugdketen.steering.board_forms import ActionForm, MinutesForm, StatusForm, WeekForm
from jeugdketen.steering.models import (
    ActionStatus,
    Direction,
    ImprovementAction,
    SimulationRun,
)
from jeugdketen.ui import roles as r
from jeugdketen.ui.pages import actor_for, page, refusal_to_form, refusal_to_messages

WEEKS_OFFERED = 52
STATUS_LABELS = dict(ActionStatus.choices)
DIRECTION_LABELS = dict(Direction.choices)


def hidden(threshold: int) -> dict[str, Any]:
    return {"text": _("verborgen"), "hidden": True,
            "title": _("Minder dan %(n)s, of af te leiden uit de andere cijfers")
            % {"n": threshold}}


def cell(text: Any) -> dict[str, Any]:
    return {"text": str(text), "hidden": False, "title": ""}


def signal_text(signals: list[str]) -> str:
    return ", ".join(charts.rule_text(s) for s in signals)


def series_part(data: dict[str, Any], threshold: int) -> dict[str, Any]:
    """One series as the page shows it: the run chart and a table of its periods (the
    latest first), hidden ones marked, each point's signal named."""
    kind = data["kind"]
    marks = [p["signals"] for p in (data.get("xmr") or {}).get("points", [])]
    columns = [gettext_lazy("Periode"), gettext_lazy("Waarde"), gettext_lazy("Aantal (n)"),
               gettext_lazy("Signaal")]
    rows = []
    for i, point in reversed(list(enumerate(data["points"]))):
        value = point["value"]
        has_n = "n" in point
        n = point.get("n")
        rows.append([
            cell(point["period"]),
            hidden(threshold) if value is None and (not has_n or n is None)
            else cell(charts.value_text(value, kind) if value is not None else "–"),
            (hidden(threshold) if has_n and n is None
             else cell(number_format(n) if has_n else "")),
            cell(signal_text(marks[i]) if i < len(marks) else "")])
    for row in rows:
        for c, column in zip(row, columns, strict=True):
            c["label"] = str(column)
    xmr = data.get("xmr") or {}
    last = data["points"][-1] if data["points"] else {"value": None, "period": ""}
    return {"key": data["key"], "title": data["label"], "kind": kind,
            "chart": charts.run_chart(data, threshold=threshold),
            "caption": _("%(name)s per periode") % {"name": data["label"]},
            "columns": columns, "rows": rows,
            "now": charts.value_text(last["value"], kind) if last["value"] is not None
            else None, "period": last["period"],
            "centre": charts.value_text(xmr.get("centre"), kind),
            "lower": charts.value_text(xmr.get("lower"), kind),
            "upper": charts.value_text(xmr.get("upper"), kind),
            "signals": signal_text(xmr.get("signals", []))}


def bottleneck_rows(found: list[dict[str, Any]]) -> list[dict[str, str]]:
    """The bottlenecks (most costly first) with their numbers written out."""
    return [{"label": b["label"], "reached": number_format(b["reached"]),
             "wait_p50": charts.value_text(b["wait_p50"], "days"),
             "wait_p90": charts.value_text(b["wait_p90"], "days"),
             "cost": number_format(round(b["cost"]))} for b in found]


# The board's figures as HTML (the summary table, every run chart with its table), rendered
# once per board (a published snapshot, municipality, week, threshold, language) or frozen
# meeting: the largest part of the page, the same for every reader. Per process, bounded.
_FIGURES: OrderedDict[tuple[Any, ...], SafeString] = OrderedDict()
_FIGURES_SIZE = 64
_FIGURES_LOCK = threading.Lock()


def figures(key: tuple[Any, ...], data: dict[str, Any], threshold: int) -> SafeString:
    """The figures of a board's aggregates (`data`, Board.aggregates() or a meeting's
    snapshot) as HTML, kept under `key`."""
    key = (*key, get_language())
    with _FIGURES_LOCK:
        found = _FIGURES.get(key)
        if found is not None:
            _FIGURES.move_to_end(key)
            return found
    period = data.get("kpi_period") or {}

    def other(found: dict[str, Any] | None, kind: str) -> dict[str, Any] | None:
        if not found or found.get("value") is None:
            return None
        return {**found, "text": charts.value_text(found["value"], kind)}

    html = mark_safe(render_to_string("steering/board_figures.html", {  # noqa: S308
        "parts": [series_part(x, threshold) for x in data.get("series", [])],
        "threshold": threshold, "rounding_step": suppression.step(threshold),
        "time_on_help": other(data.get("time_on_help"), "share"),
        "job_satisfaction": other(data.get("job_satisfaction"), "days"),
        "kpi_start": _day(period.get("from")), "kpi_end": _day(period.get("to"))}))
    with _FIGURES_LOCK:
        _FIGURES[key] = html
        while len(_FIGURES) > _FIGURES_SIZE:
            _FIGURES.popitem(last=False)
    return html


def _day(value: Any) -> Any:
    from datetime import date

    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def effect_text(effect: dict[str, Any], kind: str) -> str:
    if effect.get("status") == "too_early":
        return _("nog te vroeg")
    before, after = effect["before"], effect["after"]
    if effect.get("period") == "month":
        # Insight's twelve-month figures (n: plans), not a mean over periods.
        if before["mean"] is None or after["mean"] is None:
            return _("niet te meten: het twaalfmaandcijfer is verborgen (te weinig plannen)")
        text = _("twaalfmaandcijfer %(before)s tot en met %(bto)s (n = %(nb)s) en "
                 "%(after)s tot en met %(ato)s (n = %(na)s)") % {
            "before": charts.value_text(before["mean"], kind), "bto": before["to"],
            "nb": before["n"], "after": charts.value_text(after["mean"], kind),
            "ato": after["to"], "na": after["n"]}
    elif before["mean"] is None or after["mean"] is None:
        return _("niet te meten: te weinig getoonde perioden (voor %(b)s, na %(a)s)") % {
            "b": before["n"], "a": after["n"]}
    else:
        text = _("gemiddeld %(before)s ervoor (n = %(nb)s) en %(after)s erna "
                 "(n = %(na)s)") % {
            "before": charts.value_text(before["mean"], kind), "nb": before["n"],
            "after": charts.value_text(after["mean"], kind), "na": after["n"]}
    if effect.get("as_expected") is True:
        text += "; " + _("de verwachte kant op")
    elif effect.get("as_expected") is False:
        text += "; " + _("niet de verwachte kant op")
    return text


def signed(value: float) -> str:
    """A change in days with its sign: "-3,2", "+1", "0"."""
    text = simulation_views.days(abs(value))
    return text if round(value, 1) == 0 else ("-" if value < 0 else "+") + text


def scenario_expected(effect: dict[str, Any]) -> str:
    """The expectation taken from a scenario run (its frozen copy): what the scenario
    changes, the change of the median time to help against the present, its interval."""
    change = effect.get("change") or {}
    text = _("Verwacht effect volgens scenario %(scenario)s: de mediane tijd tot hulp "
             "%(change)s dagen") % {
        "scenario": simulation_views.scenario_text(effect.get("scenario_asked") or {}),
        "change": signed(float(change["mean"]))}
    if change.get("low") is not None and change.get("high") is not None:
        text += " " + _("(95%%-interval %(low)s tot %(high)s)") % {
            "low": signed(float(change["low"])), "high": signed(float(change["high"]))}
    return text


def scenario_choices(runs: list[SimulationRun]) -> list[tuple[str, str]]:
    """The finished scenario runs for the form's select: what the scenario changes and
    when it ran."""
    return [(str(run.pk), _("%(scenario)s (doorgerekend op %(when)s)") % {
        "scenario": simulation_views.scenario_text(run.scenario),
        "when": date_format(timezone.localtime(run.finished_at or run.created_at),
                            "SHORT_DATETIME_FORMAT")}) for run in runs]


def action_rows(actions: list[ImprovementAction], labels: dict[str, str],
                kinds: dict[str, str], may_write: bool, today: Any,
                may_read_runs: bool = False) -> list[dict[str, Any]]:
    out = []
    for a in actions:
        owner = (a.owner_organisation.name if a.owner_organisation is not None
                 else f"{a.owner_professional.full_name} "
                      f"({a.owner_professional.organisation.name})"
                 if a.owner_professional is not None else "")
        effect = act.measured_effect(a, today)
        out.append({
            "action": a, "owner": owner, "kpi": labels.get(a.kpi, a.kpi),
            "status": STATUS_LABELS.get(a.status, a.status),
            "step": str(value_stream.STEP_LABELS.get(a.step, "")) if a.step else "",
            "expected": f"{DIRECTION_LABELS.get(a.expected_direction, '')} "
                        f"{number_format(a.expected_amount)}"
                        + (f": {a.expected_text}" if a.expected_text else ""),
            "scenario": scenario_expected(a.scenario_effect) if a.scenario_effect else "",
            "scenario_url": (reverse("steering:simulation") + f"?berekening={a.scenario_id}"
                             if a.scenario_effect and a.scenario_id and may_read_runs
                             else ""),
            "effect": effect_text(effect, kinds.get(a.kpi, "flow")),
            "frozen": bool(a.measured),
            "measurable": effect.get("status") != "too_early" and not a.measured,
            "form": StatusForm(action=a) if may_write and a.status not in act.FINAL else None})
    return out


def _context(request: HttpRequest, *, week: str | None = None,
             action_form: ActionForm | None = None,
             minutes_form: MinutesForm | None = None) -> dict[str, Any]:
    actor = actor_for(request)
    act.check_reader(actor)  # before anything is shown, a bad week included (logged if denied)
    today = timezone.localdate()
    last = series.last_complete_week(today)
    weeks = [series.iso_week(last - timedelta(days=7 * i)) for i in range(WEEKS_OFFERED)]
    asked = week if week is not None else request.GET.get("week")
    form = WeekForm({"week": asked} if asked else None, weeks=weeks,
                    initial={"week": weeks[0]})
    context: dict[str, Any] = {"week_form": form, "reading": None}
    if asked and not form.is_valid():
        context["status"] = 422
        return context
    try:
        found = act.read_board_page(actor, week=asked or None, today=today)
    except Refusal as refused:
        refusal_to_form(form, refused)
        context["status"] = 422
        return context
    reading, actions, meetings, may_write = (found.reading, found.actions, found.meetings,
                                             found.may_write)
    board = reading.board
    own = board.municipality
    threshold = board.threshold
    labels = series.series_labels()
    kinds = {x.key: x.kind for x in board.series}
    profs, orgs = act.owners(own) if may_write else ([], [])
    scenarios = scenario_choices(act.scenario_runs(own)) if may_write else []
    # From the simulation page ("Gebruik als verwacht effect"): the form opens with the run
    # chosen (one of the municipality's finished scenario runs, else nothing chosen).
    chosen = request.GET.get("scenario", "")
    chosen = chosen if chosen in {value for value, _label in scenarios} else ""
    data = board.aggregates()
    context.update({
        "reading": reading, "board": board, "threshold": threshold,
        "rounding_step": suppression.step(threshold),
        "figures": figures(("board", store.snapshot(), board.municipality, board.monday,
                            threshold, board.follow_up_days), data, threshold),
        "bottlenecks": bottleneck_rows(data["bottlenecks"]),
        "actions": action_rows(actions, labels, kinds, may_write, today,
                               simulation_actions.may(actor, Action.READ).allowed),
        "meetings": meetings, "may_write": may_write,
        "action_form": action_form or (ActionForm(
            labels=labels, professionals=profs, organisations=orgs, scenarios=scenarios,
            initial={"start": today, "due": today + timedelta(days=42),
                     **({"scenario": chosen, "kpi": "time_to_help"} if chosen else {})})
            if may_write else None),
        "action_form_open": bool(chosen),
        "minutes_form": minutes_form or (MinutesForm(actions=actions, initial={
            "held_on": today}) if may_write else None),
    })
    return context


@page(r.has_professional)
def board(request: HttpRequest) -> HttpResponse:
    """The board of the own municipality for a week (default: the last complete one)."""
    context = _context(request)
    return render(request, "steering/board_page.html", context,
                  status=context.pop("status", 200))


@page(r.has_professional)
def new_action(request: HttpRequest) -> HttpResponse:
    """Record an improvement action (POST); errors on the board page's form (422)."""
    actor = actor_for(request)
    own = act.check_reader(actor)
    if request.method != "POST":
        return redirect("steering:board")
    profs, orgs = act.owners(own)
    form = ActionForm(request.POST, labels=series.series_labels(), professionals=profs,
                      organisations=orgs,
                      scenarios=scenario_choices(act.scenario_runs(own)))
    if form.is_valid():
        d = form.cleaned_data
        try:
            act.create_action(actor, own, what=d["what"], start=d["start"], due=d["due"],
                              kpi=d["kpi"], expected_direction=d["expected_direction"],
                              expected_amount=d["expected_amount"],
                              expected_text=d["expected_text"], step=d["step"],
                              scenario=d["scenario"] or None, **form.owner_ids())
        except Refusal as refused:
            refusal_to_form(form, refused, ActionForm.error_field)
        else:
            messages.success(request, _("De verbeteractie is vastgelegd."))
            return redirect(reverse("steering:board") + "#acties")
    context = _context(request, action_form=form)
    context.pop("status", None)
    return render(request, "steering/board_page.html", context, status=422)


@page(r.has_professional)
def change_action(request: HttpRequest, action_id: int) -> HttpResponse:
    """An action's status (POST status) or its measured effect frozen (POST meten)."""
    actor = actor_for(request)
    if request.method != "POST":
        return redirect("steering:board")
    try:
        if "meten" in request.POST:
            act.update_action(actor, action_id, measure=True)
            messages.success(request, _("Het gemeten effect is vastgelegd."))
        else:
            status = request.POST.get(f"actie-{action_id}-status", "")
            act.update_action(actor, action_id, status=status)
            messages.success(request, _("De status is opgeslagen."))
    except Refusal as refused:
        refusal_to_messages(request, refused)
    return redirect(reverse("steering:board") + "#acties")


@page(r.has_professional)
def new_minutes(request: HttpRequest) -> HttpResponse:
    """The first version of a meeting's minutes (POST): the board's numbers frozen."""
    actor = actor_for(request)
    own = act.check_reader(actor)
    if request.method != "POST":
        return redirect("steering:board")
    actions = act.list_actions(actor, own)
    form = MinutesForm(request.POST, actions=actions)
    if form.is_valid():
        d = form.cleaned_data
        try:
            version = act.save_minutes(actor, own, held_on=d["held_on"],
                                       decisions=d["decisions"], tasks=d["tasks"],
                                       action_ids=list(d["actions"]))
        except Refusal as refused:
            refusal_to_form(form, refused)
        else:
            messages.success(request, _("Het verslag is opgeslagen."))
            return redirect("steering:meeting", meeting_id=version.meeting_id)
    context = _context(request, minutes_form=form)
    context.pop("status", None)
    return render(request, "steering/board_page.html", context, status=422)


@page(r.has_professional)
def meeting(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """A meeting's minutes, every version, and the board's numbers as they were then
    (from the snapshot, never recomputed); the writers add a version or close it."""
    actor = actor_for(request)
    try:
        found, versions = act.read_meeting(actor, meeting_id)
    except Refusal as refused:
        raise Http404 from refused
    may_write = act.may_write(actor)
    form = None
    status = 200
    if may_write or request.method == "POST":  # a reader's POST is refused (and logged)
        actions = act.list_actions(actor, found.municipality_id) if may_write else []
        latest = versions[0] if versions else None
        form = MinutesForm(request.POST if request.method == "POST" and "sluiten" not in
                           request.POST else None, actions=actions, with_date=False,
                           initial={"decisions": "\n".join(latest.decisions),
                                    "tasks": "\n".join(latest.tasks),
                                    "actions": [str(a.pk) for a in latest.actions.all()]}
                           if latest else None)
        if request.method == "POST":
            try:
                if "sluiten" in request.POST:
                    act.close_minutes(actor, found.pk)
                    messages.success(request, _("Het verslag is gesloten."))
                    return redirect("steering:meeting", meeting_id=found.pk)
                if form.is_valid():
                    d = form.cleaned_data
                    act.save_minutes(actor, meeting_id=found.pk, decisions=d["decisions"],
                                     tasks=d["tasks"], action_ids=list(d["actions"]))
                    messages.success(request, _("Een nieuwe versie is opgeslagen."))
                    return redirect("steering:meeting", meeting_id=found.pk)
            except Refusal as refused:
                refusal_to_form(form, refused)
            status = 422
    snapshot = found.snapshot
    threshold = int(snapshot.get("threshold", 10))
    return render(request, "steering/board_meeting.html", {
        "meeting": found, "versions": versions, "form": form, "may_write": may_write,
        "threshold": threshold, "snapshot": snapshot,
        "figures": figures(("meeting", found.pk, found.municipality_id, found.held_on,
                            found.created_at), snapshot, threshold),
        "bottlenecks": bottleneck_rows(snapshot.get("bottlenecks", [])),
    }, status=status)

