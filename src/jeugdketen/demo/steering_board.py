"""The chain board's demo (issue 13, steer-board): a year of weekly chain meetings of the
demo municipality with their minutes (the board's numbers frozen at each), improvement
actions on the bottleneck of the moment, their status over time and, after their due
date, their measured effect. Everything through steering.board_actions (policy, access
log, chain events), as the municipality's analyst (minutes) and coordinator (actions).

Not hooked into `jeugdketen demo`: call it after the demo is loaded, e.g.

    from jeugdketen.demo import steering_board
    steering_board.load()

It refreshes the insight store first (the board reads only the store), unless
`refresh=False`. Deterministic for a seed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from django.utils import timezone

from jeugdketen.access.policy import AccessPoint, Actor
from jeugdketen.insight import value_stream
from jeugdketen.registry.models import Organisation, Professional
from jeugdketen.steering import board_actions as act
from jeugdketen.steering import series
from jeugdketen.steering.board import measurable
from jeugdketen.steering.models import ImprovementAction, Meeting

CHANNEL = AccessPoint(channel="command", user_agent="jeugdketen demo steering_board")
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
ACTION_EVERY = 6  # weeks between two new improvement actions
ACTION_WEEKS = 5  # from start to due

IDEAS: dict[str, list[str]] = {
    "first_contact": ["Elke melding dezelfde dag een eerste belletje",
                      "Meldingen twee keer per dag verdelen in plaats van één keer"],
    "triage": ["Dagelijkse triage met twee disciplines aan tafel",
               "Vaste triagetijd om 9 uur, ook op vrijdag"],
    "intake_planned": ["Vaste intakeblokken per week voor elke organisatie",
                       "Uitnodigingen voor de intake binnen twee werkdagen versturen"],
    "intake_held": ["Eén gezamenlijke intake in plaats van een intake per organisatie",
                    "Het plan direct na de intake samen opstellen"],
    "help_started": ["Een warme overdracht naar de hulp in dezelfde week",
                     "Wachtlijst van de aanbieders elke week samen doornemen"],
    "first_evaluation": ["De eerste evaluatie na zes weken vast inplannen",
                         "Evaluatie in het gezin, niet op kantoor"],
    "closed": ["Afsluiten samen met het gezin in één gesprek"],
}
DECISIONS = ["Het knelpunt van deze week is besproken; geen nieuwe maatregel.",
             "Alleen signalen bespreken: de rest is gewone variatie.",
             "De wachtlijst bij de voordeur volgende week opnieuw bekijken.",
             "De gezamenlijke intake gaat door in de wijken waar hij loopt.",
             "Geen signaal deze week: we houden de lopende acties vast."]
TASKS = ["De voordeur zet de wachtlijst van deze week klaar.",
         "De analist maakt de cijfers van het bord op tijd klaar.",
         "De regisseurs melden nieuwe knelpunten voor het volgende overleg.",
         "Elke organisatie brengt haar open intakes mee."]


@dataclass(frozen=True)
class Result:
    meetings: int
    actions: int
    measured: int


def _staff(municipality: str, role: str) -> Professional:
    found = next((p for p in Professional.objects.select_related("organisation", "user")
                  .filter(organisation__municipality_id=municipality,
                          organisation__kind="municipality", user__is_active=True)
                  .order_by("pk") if role in p.roles), None)
    if found is None:
        raise LookupError(f"no {role} of municipality {municipality} in the demo")
    return found


def _actor(prof: Professional) -> Actor:
    return Actor(user=prof.user, professional=prof, access_point=CHANNEL)


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=AMSTERDAM)


def _municipality() -> str:
    """The demo municipality: the one whose own organisation has an analyst."""
    prof = next((p for p in Professional.objects.select_related("organisation")
                 .filter(organisation__kind="municipality").order_by("pk")
                 if "municipal_analyst" in p.roles), None)
    if prof is None:
        raise LookupError("no municipal analyst in the demo: load the demo first")
    return str(prof.organisation.municipality_id)


def load(*, municipality: str | None = None, weeks: int = 52, today: date | None = None,
         seed: int = 13, refresh: bool = True, out: TextIO | None = None) -> Result:
    """A meeting every Tuesday of the last `weeks` weeks (minutes saved and closed that
    day), a new improvement action on the costliest bottleneck every ACTION_EVERY weeks
    (doing a week later, done at its due date, its effect measured after), as the
    municipality's analyst and coordinator."""
    if refresh:
        from jeugdketen.insight.refresh import refresh as refresh_store

        refresh_store(out)
    code = municipality or _municipality()
    analyst = _actor(_staff(code, "municipal_analyst"))
    coordinator = _actor(_staff(code, "coordinator"))
    owners = list(Organisation.objects.filter(municipality_id=code, active=True)
                  .exclude(kind="municipality").order_by("pk"))
    rng = random.Random(seed)
    today = today or timezone.localdate()
    first_monday = series.monday_of(today) - timedelta(days=7 * weeks)
    open_actions: list[ImprovementAction] = []
    made = measured = 0
    meetings = 0
    for i in range(weeks):
        tuesday = first_monday + timedelta(days=7 * i + 1)
        if tuesday >= today or Meeting.objects.filter(municipality_id=code,
                                                      held_on=tuesday).exists():
            continue
        # Actions that moved on since the last meeting.
        for action in list(open_actions):
            if action.status == "planned" and action.start + timedelta(days=7) <= tuesday:
                act.update_action(coordinator, action.pk, status="doing",
                                  at=_at(tuesday, 9))
                action.status = "doing"
            if action.status == "doing" and action.due < tuesday:
                act.update_action(coordinator, action.pk, status="done", at=_at(tuesday, 9))
                action.status = "done"
            if action.status == "done" and measurable(action.kpi, action.due, tuesday):
                act.update_action(coordinator, action.pk, measure=True, today=tuesday,
                                  at=_at(tuesday, 9))
                open_actions.remove(action)
                measured += 1
        linked: list[int] = []
        if i % ACTION_EVERY == 0 and owners:
            found = act.read_board(analyst, code, week=series.iso_week(
                series.last_complete_week(tuesday)), today=tuesday).board
            step = found.bottlenecks[0].step if found.bottlenecks else "intake_held"
            kpi = f"open_{step}" if step in series.OPEN_STEPS else "time_to_help"
            action = act.create_action(
                coordinator, code, what=rng.choice(IDEAS.get(step, IDEAS["intake_held"])),
                step=step, owner_organisation=rng.choice(owners).pk, start=tuesday,
                due=tuesday + timedelta(days=7 * ACTION_WEEKS - 1), kpi=kpi,
                expected_direction="down", expected_amount=rng.choice((5, 10, 20)),
                expected_text=f"Minder wachten bij „{value_stream.STEP_LABELS[step]}”.",
                at=_at(tuesday, 10))
            open_actions.append(action)
            linked.append(action.pk)
            made += 1
        version = act.save_minutes(
            analyst, code, held_on=tuesday, decisions=[rng.choice(DECISIONS)],
            tasks=rng.sample(TASKS, 2), action_ids=linked, today=tuesday,
            at=_at(tuesday, 11))
        act.close_minutes(analyst, version.meeting_id, at=_at(tuesday, 12))
        meetings += 1
    if out is not None:
        out.write(f"chain board: {meetings} meetings, {made} actions, {measured} measured\n")
    return Result(meetings, made, measured)


def summary(code: str) -> dict[str, Any]:
    """What the demo left (for its test)."""
    return {"meetings": Meeting.objects.filter(municipality_id=code).count(),
            "actions": ImprovementAction.objects.filter(municipality_id=code).count(),
            "measured": ImprovementAction.objects.filter(municipality_id=code,
                                                         measured__isnull=False).count()}
