"""The chain board's write path and logged reads (issue 13, steer-board). Every function
asks the policy (access/policy/rules/steering_board.py), logs the read or write in the
access log and, for a write, emits its chain event (`steering.action_*`,
`steering.minutes_*`: codes, counts and dates, never a person) in one transaction.

- `read_board`: a municipality's board for a week. The municipality's analyst,
  coordinator and front door; a municipality that is unknown or another's answers as
  unknown (404, field `municipality`), logged as denied.
- `list_actions`, `create_action`, `update_action`: improvement actions; an action's
  expected effect typed, or taken from a finished scenario run of the municipality's
  simulation (`scenario`: the run and a frozen copy of its numbers).
- `scenario_runs`: the finished scenario runs an action of the municipality can name.
- `list_meetings`, `read_meeting`, `save_minutes`, `close_minutes`: the minutes, each
  meeting with the board's numbers frozen at its first save; versions appended, never
  changed (after the close a new version is a correction).
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from jeugdketen.access import audit
from jeugdketen.access.policy import Action, Actor, Data, Scope, Target, decide
from jeugdketen.chainlog.actions import emit, moment
from jeugdketen.chainlog.vocabulary import Activity
from jeugdketen.core.errors import FieldError, Refusal
from jeugdketen.insight import selectors as insight_selectors
from jeugdketen.insight import store, value_stream
from jeugdketen.registry.models import Municipality, Organisation, Professional
from jeugdketen.registry.validators import is_valid_bsn
from jeugdketen.steering import board as boards
from jeugdketen.steering import series, simulation_actions
from jeugdketen.steering.models import (
    ActionStatus,
    Direction,
    ImprovementAction,
    Meeting,
    MinutesVersion,
    SimulationRun,
)

MUNICIPALITY_CODE = re.compile(r"^GM\d{4}$")
MAX_TEXT = 500
MAX_LINE = 300
MAX_LINES = 40
FIRST_DAY = date(2000, 1, 1)  # no action or meeting of the chain starts before this


NINE_DIGITS = re.compile(r"(?<![0-9])[0-9]{9}(?![0-9])")


def _person_number(text: str) -> bool:
    """A citizen service number (nine digits passing the eleven test) in free text: the
    board holds figures and decisions, never a family."""
    return any(is_valid_bsn(m) for m in NINE_DIGITS.findall(text))


def _bsn_refused() -> str:
    return _("Noem geen burgerservicenummer: het bord gaat over cijfers en afspraken, "
             "niet over gezinnen.")


def _nul_refused() -> str:
    """A NUL character (PostgreSQL refuses it in text) is never part of a minute or an
    action."""
    return _("Deze tekst bevat een teken dat niet is toegestaan.")
FINAL = (ActionStatus.DONE, ActionStatus.DROPPED)


def own_municipality(actor: Actor) -> str | None:
    prof = actor.professional
    return str(prof.organisation.municipality_id) if prof is not None else None


def target(data: Data, municipality: str | None, object_id: str = "") -> Target:
    """The policy's target: the municipality as scope (none when unknown), the board's
    municipality, an action's or a meeting's id as object."""
    return Target(data, object_id=(object_id or municipality or "")[:64],
                  scope=Scope(municipality_id=municipality))


def may_read(actor: Actor) -> bool:
    """May the actor read their own municipality's board (asked, not logged: the menu)?"""
    own = own_municipality(actor)
    return decide(actor, Action.READ, target(Data.STEERING_BOARD, own)).allowed


def may_write(actor: Actor) -> bool:
    """May the actor record actions and minutes of their own municipality (not logged)?"""
    own = own_municipality(actor)
    return decide(actor, Action.CREATE, target(Data.STEERING_ACTION, own)).allowed


@audit.write_path
def check_reader(actor: Actor) -> str:
    """The actor may read the board of their own municipality (returned); AccessDenied
    (logged) otherwise."""
    own = own_municipality(actor)
    wanted = target(Data.STEERING_BOARD, own)
    decision = decide(actor, Action.READ, wanted)
    if not decision.allowed:
        raise audit.AccessDenied(actor, Action.READ, wanted, decision)
    assert own is not None
    return own


def _municipality(actor: Actor, data: Data, action: Action, value: Any) -> Municipality:
    """The municipality asked for (default: the actor's own), after the policy: bad input
    a 422 naming `municipality`; unknown or another's a 404 (logged as denied)."""
    own = check_reader(actor)
    code = str(value or "").strip().upper()[:20] or own
    if not MUNICIPALITY_CODE.match(code):
        raise Refusal.invalid([FieldError("municipality", "municipality_code", _(
            "Kies een gemeente: een CBS-code als GM0363."))])
    found = Municipality.objects.filter(code=code).first()
    wanted = target(data, found.code if found is not None else None, code)
    decision = decide(actor, action, wanted)
    if not decision.allowed and found is not None and code == own:
        raise audit.AccessDenied(actor, action, wanted, decision)  # logged by write_path
    audit.append([audit.entry(actor, action, wanted, decision)])
    if not decision.allowed or found is None:
        # Another municipality's board answers as an unknown one (as insight's areas).
        raise Refusal("unknown_municipality", _("Deze gemeente is niet bekend."),
                      status=404, field="municipality")
    return found


def _week(value: Any, today: date) -> date:
    """The Monday of the ISO week asked for (default: the last complete week)."""
    last = series.last_complete_week(today)
    if value in (None, ""):
        return last
    monday = series.week_monday(str(value).strip()[:10])
    if monday is None:
        raise Refusal.invalid([FieldError("week", "iso_week", _(
            "Kies een week als 2026-W48 (jaar, W, weeknummer)."))])
    if monday > last:
        raise Refusal.invalid([FieldError("week", "week_complete", _(
            "Kies een week die voorbij is: de laatste is %(week)s.")
            % {"week": series.iso_week(last)})])
    if monday.year < 2000:
        raise Refusal.invalid([FieldError("week", "week_range", _(
            "Kies een week vanaf 2000."))])
    return monday


@dataclass(frozen=True)
class Reading:
    board: boards.Board
    empty: bool  # the insight store holds no event yet
    refreshed_at: datetime | None


@audit.write_path
def read_board(actor: Actor, municipality: Any = None, *, week: Any = None,
               today: date | None = None) -> Reading:
    """The board of a municipality (default the actor's) for an ISO week (default the
    last complete one). Logged with the municipality as its object."""
    found = _municipality(actor, Data.STEERING_BOARD, Action.READ, municipality)
    monday = _week(week, today or timezone.localdate())
    threshold, follow_up = insight_selectors.publication_for(found.code)
    board = boards.cached(found.code, found.name, monday, threshold, follow_up)
    return Reading(board, store.is_empty(), store.refreshed_at())


@dataclass(frozen=True)
class Page:
    """What the board page shows: the board, the actions and the meetings of the own
    municipality, and whether the actor may record actions and minutes."""
    reading: Reading
    actions: list[ImprovementAction]
    meetings: list[Meeting]
    may_write: bool


@audit.write_path
def read_board_page(actor: Actor, *, week: Any = None, today: date | None = None) -> Page:
    """The own municipality's board for a week with its actions and meetings, as
    read_board, list_actions and list_meetings would give them, in one append to the
    access log (one record per kind of data read, the municipality as object)."""
    own = check_reader(actor)
    found = Municipality.objects.get(code=own)
    monday = _week(week, today or timezone.localdate())
    entries = []
    for data in (Data.STEERING_BOARD, Data.STEERING_ACTION, Data.STEERING_MINUTES):
        wanted = target(data, found.code)
        decision = decide(actor, Action.READ, wanted)
        if not decision.allowed:
            raise audit.AccessDenied(actor, Action.READ, wanted, decision)
        entries.append(audit.entry(actor, Action.READ, wanted, decision))
    audit.append(entries)
    threshold, follow_up = insight_selectors.publication_for(found.code)
    board = boards.cached(found.code, found.name, monday, threshold, follow_up)
    return Page(Reading(board, store.is_empty(), store.refreshed_at()),
                list(ImprovementAction.objects.filter(municipality=found).select_related(
                    "owner_professional__organisation", "owner_organisation")),
                list(Meeting.objects.filter(municipality=found).defer("snapshot")),
                may_write(actor))


# --- improvement actions ------------------------------------------------------------------


@audit.write_path
def list_actions(actor: Actor, municipality: Any = None) -> list[ImprovementAction]:
    """The municipality's improvement actions (due first). Logged once, the municipality
    as object."""
    found = _municipality(actor, Data.STEERING_ACTION, Action.READ, municipality)
    return list(ImprovementAction.objects.filter(municipality=found)
                .select_related("owner_professional__organisation", "owner_organisation"))


def _text(value: Any, name: str, errors: list[FieldError], *, required: bool = True,
          limit: int = MAX_TEXT) -> str:
    text = str(value or "").strip() if isinstance(value, (str, type(None))) else None
    if text is None:
        errors.append(FieldError(name, "text", _("Vul tekst in.")))
        return ""
    if required and not text:
        errors.append(FieldError(name, "required", _("Vul dit veld in.")))
    if "\x00" in text:
        errors.append(FieldError(name, "character", _nul_refused()))
    if _person_number(text):
        errors.append(FieldError(name, "no_person", _bsn_refused()))
    if len(text) > limit:
        errors.append(FieldError(name, "max_length", _(
            "Gebruik hoogstens %(n)s tekens.") % {"n": limit}))
    return text


def _date(value: Any, name: str, errors: list[FieldError]) -> date | None:
    found: date | None = None
    if isinstance(value, date) and not isinstance(value, datetime):
        found = value
    elif isinstance(value, str):
        with contextlib.suppress(ValueError):
            found = date.fromisoformat(value.strip())
    if found is None:
        errors.append(FieldError(name, "date", _("Vul een datum in (jjjj-mm-dd).")))
        return None
    # The board's weeks are counted from these dates: a date in year 1 or far ahead is a
    # typing error, and would break every week's series after it.
    latest = timezone.localdate() + timedelta(days=5 * 366)
    if not FIRST_DAY <= found <= latest:
        errors.append(FieldError(name, "date_range", _(
            "Kies een datum vanaf 2000 en hoogstens vijf jaar na vandaag.")))
        return None
    return found


def _id(value: Any) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        return -1
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


def _owner(municipality: Municipality, professional: Any, organisation: Any,
           errors: list[FieldError]) -> tuple[Professional | None, Organisation | None]:
    """Exactly one owner, a professional (active account) or an active organisation of
    the municipality's chain (an organisation located in the municipality)."""
    prof_id, org_id = _id(professional), _id(organisation)
    if (prof_id is None) == (org_id is None):
        errors.append(FieldError("owner", "one_owner", _(
            "Kies één eigenaar: een medewerker of een organisatie.")))
        return None, None
    if prof_id is not None:
        prof = (Professional.objects.select_related("organisation", "user")
                .filter(pk=int(prof_id), organisation__municipality=municipality,
                        organisation__active=True, user__is_active=True).first())
        if prof is None:
            errors.append(FieldError("owner_professional", "unknown_professional", _(
                "Kies een medewerker van een organisatie in deze gemeente.")))
        return prof, None
    org = Organisation.objects.filter(pk=int(org_id or 0), municipality=municipality, active=True).first()
    if org is None:
        errors.append(FieldError("owner_organisation", "unknown_organisation", _(
            "Kies een organisatie in deze gemeente.")))
    return None, org


def _amount(value: Any, errors: list[FieldError]) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        errors.append(FieldError("expected_amount", "number", _("Vul een getal in.")))
        return 0.0
    try:
        amount = float(str(value).replace(",", "."))
    except ValueError:
        errors.append(FieldError("expected_amount", "number", _("Vul een getal in.")))
        return 0.0
    if not 0 <= amount <= 1_000_000:
        errors.append(FieldError("expected_amount", "range", _(
            "Vul een getal van 0 tot en met 1.000.000 in.")))
    return amount


def owners(municipality: str) -> tuple[list[Professional], list[Organisation]]:
    """Who can own an action of the municipality (reference data of the registry: staff
    and organisations, no family): for the form."""
    profs = list(Professional.objects.select_related("organisation")
                 .filter(organisation__municipality_id=municipality, organisation__active=True,
                         user__is_active=True).order_by("full_name", "pk"))
    orgs = list(Organisation.objects.filter(municipality_id=municipality, active=True)
                .order_by("name", "pk"))
    return profs, orgs


# --- the expected effect from a scenario run -----------------------------------------------

# The board's KPIs a scenario run predicts: the KPI -> the result's measure it is taken
# from (the run's paired difference against the present, its mean and 95% interval).
SCENARIO_KPIS: dict[str, tuple[str, str]] = {"time_to_help": ("time_to_help", "p50")}
MAX_RUN_ID = 2**31 - 1


def _unknown_run() -> FieldError:
    """One answer for a run that does not exist, is another municipality's, is a
    validation or is not done: nothing is told about other municipalities' runs."""
    return FieldError("scenario", "unknown_scenario", _(
        "Kies een doorgerekend scenario van deze gemeente."))


def _run_id(value: Any) -> int | None:
    """The run id asked for: None for none; -1 for anything that is not a whole number in
    range (a boolean, a fraction, text, a NUL, a huge number)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        return -1
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        if len(value.strip()) > 12:
            return -1
        number = int(value.strip())
    else:
        return -1
    return number if 1 <= number <= MAX_RUN_ID else -1


def scenario_runs(municipality: str) -> list[SimulationRun]:
    """The municipality's finished scenario runs (the latest first): what an action can
    take its expected effect from (for the form, after the policy)."""
    threshold = insight_selectors.publication_for(municipality)[0]  # once for the list
    return [run for run in SimulationRun.objects.filter(
        municipality_id=municipality, kind=SimulationRun.Kind.SCENARIO,
        status=SimulationRun.Status.DONE) if not simulation_actions.withheld(run, threshold)]


def scenario_effect(run: SimulationRun, kpi: str) -> dict[str, Any] | None:
    """The frozen copy of what a finished scenario run predicts for a KPI: the change of
    its measure against the present (mean and 95% interval over the replications), the
    present's and the scenario's value, and what the scenario changed. None when the run
    has no value for it."""
    measure, quantile = SCENARIO_KPIS[kpi]
    result = run.result or {}
    diff = (((result.get("result") or {}).get("difference") or {}).get(measure) or {}
            ).get(quantile) or {}
    mean = diff.get("mean")
    if not isinstance(mean, (int, float)) or isinstance(mean, bool):
        return None

    def number(value: Any) -> float | None:
        return float(value) if isinstance(value, (int, float)) and not isinstance(
            value, bool) else None

    def value_of(part: str) -> float | None:
        return number((((result.get(part) or {}).get(measure) or {}).get(quantile) or {}
                       ).get("mean"))

    return {"run": run.pk, "kpi": kpi, "measure": f"{measure}.{quantile}", "unit": "days",
            "change": {"mean": float(mean), "low": number(diff.get("low")),
                       "high": number(diff.get("high"))},
            "present": value_of("baseline"), "scenario": value_of("result"),
            # Without the seed: the analyst's free number, never copied where other readers
            # see it (a nine-digit seed could be a person's number).
            "scenario_asked": {k: v for k, v in dict(run.scenario).items() if k != "seed"},
            "replications": run.replications, "period_start": run.period_start.isoformat(),
            "period_end": run.period_end.isoformat(),
            "finished_at": run.finished_at.isoformat() if run.finished_at else None}


def _scenario(actor: Actor, municipality: str, kpi: Any, value: Any,
              errors: list[FieldError]) -> tuple[SimulationRun | None, dict[str, Any] | None]:
    """The run named as the source of the expected effect (None: typed values), after the
    rules: a finished scenario run of the municipality (any other id, of elsewhere or of
    none, answers alike), for a KPI the simulation predicts. Its read is logged."""
    run_id = _run_id(value)
    if run_id is None:
        return None, None
    if run_id < 0:
        errors.append(_unknown_run())
        return None, None
    run = SimulationRun.objects.filter(
        pk=run_id, municipality_id=municipality, kind=SimulationRun.Kind.SCENARIO,
        status=SimulationRun.Status.DONE).first()
    if run is not None:  # a withheld run's result is not copied (as its readers get it)
        run = simulation_actions.as_read(run)
    if run is None:
        errors.append(_unknown_run())
        return None, None
    if not isinstance(kpi, str) or kpi not in SCENARIO_KPIS:
        errors.append(FieldError("scenario", "scenario_kpi", _(
            "Een scenario voorspelt alleen de tijd tot hulp: kies dat cijfer, of vul het "
            "verwachte effect zelf in.")))
        return None, None
    # The run's numbers are read into the action: a read of the simulation, logged.
    audit.authorize(actor, Action.READ, Target(
        Data.SIMULATION, object_id=str(run.pk), scope=Scope(municipality_id=municipality)))
    effect = scenario_effect(run, kpi)
    if effect is None:
        errors.append(FieldError("scenario", "scenario_without_result", _(
            "Dit scenario heeft geen uitkomst voor dit cijfer.")))
        return None, None
    return run, effect


def expected_from(effect: dict[str, Any]) -> tuple[str, float]:
    """The direction and the amount (rounded to a tenth) of a scenario's change."""
    mean = float(effect["change"]["mean"])
    return (Direction.DOWN if mean < 0 else Direction.UP), round(abs(mean), 1)


@audit.write_path
def create_action(actor: Actor, municipality: Any, *, what: Any, start: Any, due: Any,
                  kpi: Any, expected_direction: Any = None, expected_amount: Any = None,
                  expected_text: Any = "", step: Any = "", owner_professional: Any = None,
                  owner_organisation: Any = None, scenario: Any = None,
                  at: datetime | None = None) -> ImprovementAction:
    """Record an improvement action of the municipality (its analyst or coordinator).
    With `scenario` (a finished scenario run of the municipality) the expected direction
    and amount are taken from the run (the typed ones are not used). Emits
    `steering.action_created`."""
    found = _municipality(actor, Data.STEERING_ACTION, Action.CREATE, municipality)
    errors: list[FieldError] = []
    what_text = _text(what, "what", errors)
    first, last = _date(start, "start", errors), _date(due, "due", errors)
    if first is not None and last is not None and last < first:
        errors.append(FieldError("due", "due_after_start", _(
            "De einddatum ligt niet voor de startdatum.")))
    if not isinstance(kpi, str) or kpi not in series.series_labels():
        errors.append(FieldError("kpi", "unknown_kpi", _("Kies een reeks van het bord.")))
    typed = _run_id(scenario) is None
    run, effect = _scenario(actor, found.code, kpi, scenario, errors)
    if effect is not None:
        direction, amount = expected_from(effect)
    else:
        if typed and expected_direction not in Direction.values:
            errors.append(FieldError("expected_direction", "direction", _(
                "Kies omhoog of omlaag.")))
        direction = str(expected_direction)
        amount = _amount(expected_amount, errors) if typed else 0.0
    note = _text(expected_text, "expected_text", errors, required=False)
    step_key = str(step or "") if isinstance(step, (str, type(None))) else "?"
    if step_key and step_key not in value_stream.STEPS:
        errors.append(FieldError("step", "unknown_step", _("Kies een stap van de waardestroom.")))
    prof, org = _owner(found, owner_professional, owner_organisation, errors)
    if errors:
        raise Refusal.invalid(errors)
    assert first is not None and last is not None
    when = moment(at)
    row = ImprovementAction(
        municipality=found, step=step_key, what=what_text, owner_professional=prof,
        owner_organisation=org, start=first, due=last, kpi=str(kpi),
        expected_direction=direction, expected_amount=amount,
        expected_text=note, scenario=run, scenario_effect=effect, created_at=when,
        changed_at=when)
    row.save()
    attributes: dict[str, Any] = {
        "municipality": found.code, "action_id": row.pk, "kpi": row.kpi, "step": row.step,
        "status": row.status, "start": first.isoformat(), "due": last.isoformat(),
        "owner_kind": "professional" if prof is not None else "organisation"}
    if run is not None:
        attributes["scenario_run"] = run.pk
    emit(Activity.STEERING_ACTION_CREATED, organisation_id=_organisation(actor),
         attributes=attributes, at=at)
    return row


def _organisation(actor: Actor) -> int | None:
    return actor.professional.organisation_id if actor.professional is not None else None


def _action_for(actor: Actor, action: Action, action_id: Any) -> ImprovementAction:
    """An action by id, for `action` by the policy: an unknown id and another
    municipality's action look the same (403, logged as denied)."""
    row = audit.get_or_deny(actor, action, Data.STEERING_ACTION,
                            ImprovementAction.objects.select_related("municipality"),
                            action_id, "improvement action")
    audit.authorize(actor, action, target(Data.STEERING_ACTION, row.municipality_id,
                                          str(row.pk)))
    return row


@audit.write_path
def read_action(actor: Actor, action_id: Any) -> ImprovementAction:
    return _action_for(actor, Action.READ, action_id)


def measured_effect(row: ImprovementAction, today: date) -> dict[str, Any]:
    """The action's measured effect: the frozen one when measured, else computed now
    (status "too_early" before the due date's period is complete)."""
    if row.measured:
        return dict(row.measured)
    threshold, follow_up = insight_selectors.publication_for(row.municipality_id)
    return boards.cached_measure(row.municipality_id, row.kpi, row.start, row.due, today,
                                 threshold, follow_up, expected=row.expected_direction)


KEEP: Any = object()  # update_action: the scenario is left as it is


@audit.write_path
def update_action(actor: Actor, action_id: Any, *, status: Any = None, measure: Any = False,
                  scenario: Any = KEEP, today: date | None = None,
                  at: datetime | None = None) -> ImprovementAction:
    """Change an action's status (planned, doing, done, dropped; done and dropped are
    final) and/or freeze its measured effect (`measure`: only after the due date), and/or
    take its expected effect from a finished scenario run (`scenario`: a run id; None
    clears it, the direction and amount stay as typed values; not while the action is
    final or its effect measured). The municipality's analyst or coordinator. Emits
    `steering.action_updated`."""
    row = _action_for(actor, Action.UPDATE, action_id)
    errors: list[FieldError] = []
    changed: list[str] = []
    if scenario is not KEEP:
        wanted = _run_id(scenario)
        if wanted is not None and wanted == row.scenario_id:
            pass  # the same run again: nothing changes (its numbers stay frozen)
        elif wanted is None and row.scenario_id is None and not row.scenario_effect:
            pass
        elif row.status in FINAL or row.measured:
            errors.append(FieldError("scenario", "action_final", _(
                "Het verwachte effect van een actie die klaar of gestopt is, of waarvan het "
                "effect is gemeten, verandert niet meer.")))
        else:
            run, effect = _scenario(actor, row.municipality_id, row.kpi, scenario, errors)
            if effect is not None:
                row.expected_direction, row.expected_amount = expected_from(effect)
            if run is not None or wanted is None:
                row.scenario, row.scenario_effect = run, effect
                changed.append("scenario")
    if status not in (None, ""):
        if status not in ActionStatus.values:
            errors.append(FieldError("status", "status", _(
                "Kies gepland, bezig, klaar of gestopt.")))
        elif status != row.status:
            if row.status in FINAL:
                errors.append(FieldError("status", "status_final", _(
                    "Een actie die klaar of gestopt is, verandert niet meer.")))
            else:
                row.status = str(status)
                changed.append("status")
    if not isinstance(measure, bool):
        errors.append(FieldError("measure", "boolean", _("Kies ja of nee.")))
    elif measure:
        if row.measured:
            errors.append(FieldError("measure", "measured_already", _(
                "Het effect is al gemeten.")))
        else:
            effect = measured_effect(row, today or timezone.localdate())
            if effect.get("status") == "too_early":
                errors.append(FieldError("measure", "too_early", _(
                    "Nog te vroeg: het effect is te meten als de einddatum voorbij is.")))
            else:
                effect["snapshot"] = list(store.snapshot()[1:])
                row.measured = effect
                changed.append("measured")
    if errors:
        raise Refusal.invalid(errors)
    if changed:
        row.changed_at = moment(at)
        row.save(update_fields=["status", "measured", "scenario", "scenario_effect",
                                "expected_direction", "expected_amount", "changed_at"])
        attributes = {"municipality": row.municipality_id, "action_id": row.pk,
                      "status": row.status, "fields": changed}
        if "scenario" in changed:
            attributes["scenario_run"] = row.scenario_id
        emit(Activity.STEERING_ACTION_UPDATED, organisation_id=_organisation(actor),
             attributes=attributes, at=at)
    return row


# --- the minutes --------------------------------------------------------------------------


def _lines(value: Any, name: str, errors: list[FieldError]) -> list[str]:
    """Lines of text: a list of strings or one text with a line per item (blank lines
    left out)."""
    if isinstance(value, str):
        items: list[Any] = value.splitlines()
    elif isinstance(value, list):
        items = value
    elif value is None:
        items = []
    else:
        errors.append(FieldError(name, "lines", _("Geef regels tekst.")))
        return []
    if any(not isinstance(item, str) for item in items):
        errors.append(FieldError(name, "lines", _("Geef regels tekst.")))
        return []
    if any("\x00" in item for item in items):
        errors.append(FieldError(name, "character", _nul_refused()))
        return []
    if any(_person_number(item) for item in items):
        errors.append(FieldError(name, "no_person", _bsn_refused()))
        return []
    lines = [item.strip() for item in items if item.strip()]
    if len(lines) > MAX_LINES:
        errors.append(FieldError(name, "max_lines", _(
            "Gebruik hoogstens %(n)s regels.") % {"n": MAX_LINES}))
    if any(len(line) > MAX_LINE for line in lines):
        errors.append(FieldError(name, "max_length", _(
            "Een regel heeft hoogstens %(n)s tekens.") % {"n": MAX_LINE}))
    return lines


@audit.write_path
def list_meetings(actor: Actor, municipality: Any = None) -> list[Meeting]:
    found = _municipality(actor, Data.STEERING_MINUTES, Action.READ, municipality)
    return list(Meeting.objects.filter(municipality=found).defer("snapshot"))


def _meeting_for(actor: Actor, action: Action, meeting_id: Any) -> Meeting:
    row = audit.get_or_deny(actor, action, Data.STEERING_MINUTES, Meeting.objects.all(),
                            meeting_id, "meeting")
    audit.authorize(actor, action, target(Data.STEERING_MINUTES, row.municipality_id,
                                          str(row.pk)))
    return row


@audit.write_path
def read_meeting(actor: Actor, meeting_id: Any) -> tuple[Meeting, list[MinutesVersion]]:
    """A meeting with its versions (the latest first) and its frozen numbers."""
    row = _meeting_for(actor, Action.READ, meeting_id)
    return row, list(row.versions.prefetch_related("actions"))


@audit.write_path
def save_minutes(actor: Actor, municipality: Any = None, *, meeting_id: Any = None,
                 held_on: Any = None, decisions: Any = None, tasks: Any = None,
                 action_ids: Any = None, today: date | None = None,
                 at: datetime | None = None) -> MinutesVersion:
    """Save the minutes of a meeting as a new version: a new meeting (`held_on`, not in
    the future, one a day) freezes the board's numbers of the last week complete on that
    day; an existing one (`meeting_id`) gets the next version, a correction once it is
    closed. The municipality's analyst or coordinator. Emits `steering.minutes_saved`."""
    when = moment(at)
    today = today or (when.date() if at is not None else timezone.localdate())
    errors: list[FieldError] = []
    if meeting_id not in (None, ""):
        meeting = _meeting_for(actor, Action.UPDATE, meeting_id)
        municipality_code = meeting.municipality_id
    else:
        found = _municipality(actor, Data.STEERING_MINUTES, Action.CREATE, municipality)
        municipality_code = found.code
        day = _date(held_on, "held_on", errors)
        meeting = None
        if day is not None and day > today:
            errors.append(FieldError("held_on", "not_future", _(
                "Een overleg dat nog moet komen heeft nog geen verslag.")))
        elif day is not None and Meeting.objects.filter(municipality=found,
                                                        held_on=day).exists():
            errors.append(FieldError("held_on", "meeting_exists", _(
                "Er is al een verslag van die dag: vul dat aan.")))
    decision_lines = _lines(decisions, "decisions", errors)
    task_lines = _lines(tasks, "tasks", errors)
    if not errors and not decision_lines and not task_lines:
        errors.append(FieldError("decisions", "required", _(
            "Schrijf minstens één besluit of afspraak op.")))
    ids = action_ids if isinstance(action_ids, list) else (
        [] if action_ids in (None, "") else None)
    linked: list[ImprovementAction] = []
    if ids is None or any(_id(i) in (None, -1) for i in ids):
        errors.append(FieldError("actions", "ids", _("Kies verbeteracties van het bord.")))
    else:
        wanted = {_id(i) for i in ids}
        linked = list(ImprovementAction.objects.filter(pk__in=wanted,
                                                       municipality_id=municipality_code))
        if len(linked) != len(wanted):
            errors.append(FieldError("actions", "unknown_action", _(
                "Kies verbeteracties van deze gemeente.")))
    if errors:
        raise Refusal.invalid(errors)
    if meeting is None:
        assert day is not None
        monday = series.last_complete_week(day)
        threshold, follow_up = insight_selectors.publication_for(municipality_code)
        board = boards.compute(store.reader(), municipality_code, found.name, monday,
                               threshold, follow_up)
        meeting = Meeting(municipality_id=municipality_code, held_on=day,
                          week=series.iso_week(monday), snapshot=board.aggregates(),
                          created_at=when)
        meeting.save()
        number = 1
    else:
        last = meeting.versions.order_by("-number").first()
        number = (last.number if last is not None else 0) + 1
    version = MinutesVersion(meeting=meeting, number=number, decisions=decision_lines,
                             tasks=task_lines, correction=meeting.closed_at is not None,
                             saved_at=when)
    version.save()
    version.actions.set(linked)
    emit(Activity.STEERING_MINUTES_SAVED, organisation_id=_organisation(actor), attributes={
        "municipality": municipality_code, "meeting_id": meeting.pk, "version": number,
        "correction": version.correction, "decisions": len(decision_lines),
        "tasks": len(task_lines), "actions": len(linked)}, at=at)
    return version


@audit.write_path
def close_minutes(actor: Actor, meeting_id: Any, *, at: datetime | None = None) -> Meeting:
    """Close a meeting's minutes: from then on a new version is a correction. Emits
    `steering.minutes_closed`."""
    meeting = _meeting_for(actor, Action.UPDATE, meeting_id)
    if meeting.closed_at is not None:
        raise Refusal("minutes_closed", _("Dit verslag is al gesloten."), field="meeting")
    if not meeting.versions.exists():
        raise Refusal("minutes_empty", _("Een verslag zonder tekst wordt niet gesloten."),
                      field="meeting")
    meeting.closed_at = moment(at)
    meeting.save(update_fields=["closed_at"])
    emit(Activity.STEERING_MINUTES_CLOSED, organisation_id=_organisation(actor), attributes={
        "municipality": meeting.municipality_id, "meeting_id": meeting.pk}, at=at)
    return meeting
