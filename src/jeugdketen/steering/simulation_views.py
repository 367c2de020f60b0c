"""The analyst's simulation page, /sturing/simulatie/ (issue 13): the validation of the
calibrated model first (each step's observed and simulated wait with its verdict), the
scenario form, and a run's result: time to help p50/p90 with 95% intervals against the
present, the waits per step, and the waiting list per week as a chart (insight's
server-drawn SVG) with its numbers in a table beside it.

The municipal analyst runs; the analyst and the coordinator of the municipality read.
Runs go through steering.simulation_actions (policy, access log, chain event); a large
one runs in the background and the page says so."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jeugdketen.access.policy import Action
from jeugdketen.core.errors import Refusal
from jeugdketen.insight import charts
from jeugdketen.steering import board_actions
from jeugdketen.steering import simulation_actions as actions
from jeugdketen.steering.models import SimulationRun
from jeugdketen.steering.simulation import run as runner
from jeugdketen.steering.simulation.engine import STEPS
from jeugdketen.steering.simulation_forms import ScenarioForm
from jeugdketen.ui import roles as r
from jeugdketen.ui.pages import actor_for, refusal_to_form, refusal_to_messages
from jeugdketen.ui.pages import page as page_view

STEP_LABELS: dict[str, Any] = {
    "triage": gettext_lazy("Melding tot triage"),
    "intake": gettext_lazy("Triage tot (eerste) intake"),
    "further_intakes": gettext_lazy("Eerste tot laatste intake"),
    "help": gettext_lazy("Laatste intake tot hulp"),
    "time_to_help": gettext_lazy("Melding tot hulp (totaal)"),
}
WAY_LABELS: dict[str, Any] = {
    "present": gettext_lazy("zoals nu"), "joint": gettext_lazy("gezamenlijke intake"),
    "sequential": gettext_lazy("intakes na elkaar")}


def days(value: float | None) -> str:
    if value is None:
        return "–"
    value = round(value, 1)
    return number_format(value, 0 if value == int(value) else 1)


def between(value: dict[str, Any]) -> str:
    """'12,3 (11,0 tot 13,6)': a mean over replications with its 95% interval."""
    if value.get("mean") is None:
        return "–"
    if value.get("low") is None:
        return days(value["mean"])
    return _("%(mean)s (%(low)s tot %(high)s)") % {
        "mean": days(value["mean"]), "low": days(value["low"]), "high": days(value["high"])}


def validation_rows(run: SimulationRun) -> list[dict[str, Any]]:
    rows = []
    for step in run.result.get("validation", {}).get("steps", []):
        verdict = step["passed"]
        rows.append({
            "label": STEP_LABELS.get(step["step"], step["step"]),
            "shown": step["shown"], "n": step["n"] if step["shown"] else None,
            "p50_observed": days(step["p50"]["observed"]),
            "p50_simulated": days(step["p50"]["simulated"]),
            "p90_observed": days(step["p90"]["observed"]),
            "p90_simulated": days(step["p90"]["simulated"]),
            "verdict": (_("te weinig meldingen") if verdict is None
                        else _("voldoet") if verdict else _("voldoet niet")),
            "passed": verdict})
    return rows


def result_context(run: SimulationRun) -> dict[str, Any]:
    result = run.result
    base, new = result["baseline"], result["result"]
    diff = new.get("difference", {}).get("time_to_help", {})
    time_rows = [{"label": label, "present": between(base["time_to_help"][q]),
                  "scenario": between(new["time_to_help"][q]),
                  "difference": between(diff.get(q, {}))}
                 for q, label in (("p50", _("Mediaan (p50)")), ("p90", _("9 van de 10 (p90)")))]
    step_rows = [{"label": STEP_LABELS[s],
                  "present": f"{days(base['waits'][s]['p50']['mean'])} / "
                             f"{days(base['waits'][s]['p90']['mean'])}",
                  "scenario": f"{days(new['waits'][s]['p50']['mean'])} / "
                              f"{days(new['waits'][s]['p90']['mean'])}"} for s in STEPS]
    weeks = [f"{i + 1:02d}" for i in range(len(new["waiting_list"]))]

    def points(values: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{"week": w, "value": max(0.0, v["mean"] or 0.0), "suppressed": False}
                for w, v in zip(weeks, values, strict=True)]

    chart = charts.weekly_lines(
        [{"key": "present", "label": _("Zoals nu"), "points": points(base["waiting_list"])},
         {"key": "scenario", "label": _("Scenario"), "points": points(new["waiting_list"])}],
        threshold=10, title=_("Wachtlijst aan het eind van elke week (gemiddelde van de "
                              "herhalingen)"), y_label=_("meldingen zonder hulp"),
        chart_id=f"simulation-{run.pk}")
    list_rows = [{"week": w, "present": days(b["mean"]), "scenario": days(s["mean"]),
                  "interval": between(s)}
                 for w, b, s in zip(weeks, base["waiting_list"], new["waiting_list"],
                                    strict=True)]
    return {"time_rows": time_rows, "step_rows": step_rows, "chart": chart,
            "list_rows": list_rows, "calibration": result.get("calibration", {}),
            "seconds": result.get("seconds")}


def _scenario_text(run: SimulationRun) -> str:
    return scenario_text(run.scenario)


def scenario_text(s: dict[str, Any]) -> str:
    """What a scenario changes, in words ("gezamenlijke intake; organisatie 1 +2 plekken
    per week; 52 weken, ...")."""
    parts = [str(WAY_LABELS.get(s.get("way", "present"), s.get("way")))]
    for org, change in sorted((s.get("slots") or {}).items()):
        parts.append(_("organisatie %(org)s %(change)+d plekken per week")
                     % {"org": org, "change": change})
    if s.get("arrivals_pct"):
        parts.append(_("%(pct)+g%% meldingen") % {"pct": s["arrivals_pct"]})
    if s.get("seed") is None:  # a copy without the seed (an action's expected effect)
        parts.append(_("%(weeks)s weken, %(n)s herhalingen")
                     % {"weeks": s.get("weeks"), "n": s.get("replications")})
    else:
        parts.append(_("%(weeks)s weken, %(n)s herhalingen, startgetal %(seed)s")
                     % {"weeks": s.get("weeks"), "n": s.get("replications"),
                        "seed": s.get("seed")})
    return "; ".join(parts)


@page_view(r.has_professional)
def simulation(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    actions.check_reader(actor)
    may_run = actions.may(actor, Action.CREATE).allowed
    form = ScenarioForm(request.POST if request.method == "POST"
                        and request.POST.get("doel") == "scenario" else None)
    status = 200
    if request.method == "POST":
        if not may_run:
            actions.check_runner(actor)  # refused by the policy: logged, 403
        try:
            if request.POST.get("doel") == "valideren":
                run = actions.run_simulation(actor, kind=SimulationRun.Kind.VALIDATION,
                                             scenario={})
                return redirect(reverse("steering:simulation"))
            if form.is_valid():
                run = actions.run_simulation(actor, scenario=form.scenario())
                return redirect(reverse("steering:simulation") + f"?berekening={run.pk}")
            status = 422
        except Refusal as refused:
            if refused.is_invalid_input:
                refusal_to_form(form, refused, ScenarioForm.error_field)
            else:
                refusal_to_messages(request, refused)
            status = 422
    validation = actions.latest(actor, SimulationRun.Kind.VALIDATION)
    shown: SimulationRun | None = None
    asked = request.GET.get("berekening")
    if asked:
        try:
            shown = actions.read_run(actor, asked)
        except Refusal:
            raise Http404 from None
        if shown.kind != SimulationRun.Kind.SCENARIO:
            raise Http404
    else:
        shown = actions.latest(actor, SimulationRun.Kind.SCENARIO)
    context: dict[str, Any] = {
        "form": form, "may_run": may_run, "validation": validation,
        # The board's writers take a finished scenario as an action's expected effect.
        "may_attach": board_actions.may_write(actor),
        "validation_rows": validation_rows(validation) if validation is not None
        and validation.status == SimulationRun.Status.DONE else [],
        "validation_passed": (validation.result.get("validation", {}).get("passed")
                              if validation is not None else None),
        "run": shown, "scenario_text": _scenario_text(shown) if shown is not None else "",
        "tolerance_days": number_format(runner.TOLERANCE_DAYS, 0),
        "tolerance_pct": number_format(runner.TOLERANCE_SHARE * 100, 0),
    }
    if shown is not None and shown.status == SimulationRun.Status.DONE and shown.result:
        context.update(result_context(shown))
    if validation is not None and validation.status == SimulationRun.Status.DONE:
        context["calibration"] = validation.result.get("calibration", {})
    return render(request, "steering/simulation_page.html", context, status=status)
