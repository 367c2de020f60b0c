"""How the front door's family plans end (issue 12, Insight): the demo's plans from care
reports run for weeks or months and most close, through the plan actions with the moment
each step happened (`at`), so the last twelve whole months (the period the insight pages
open with: insight.actions.latest_end and window_start) show differences above the
publication threshold of 10:

- help that helps (closed with "can continue without help" and no new report or plan for
  the household within half a year): about 90% in Vogelwijk (joint intakes in year two;
  a rate is published only when its count and the rest are both 10 or more, or the rest
  is none, so 90% takes 100 or so closed plans in one neighbourhood: Vogelwijk has more
  families and a busy last year, demo/registry.py and demo/intake.py), about 60% in
  Havenkwartier (one intake after the other), each with 10 or more misses, and 100% in
  their district neighbours Molenpark and Binnenstad (a district's two neighbourhoods are
  shown only together); 80% in the other neighbourhoods with joint intakes and 70% in the
  rest (too few to show); some misses are a new report for the household within six
  months;
- dropout (ended early and one-sidedly, CBS reasons 03 and 04): about 40% of the plans
  Jeugdhulp De Brug coordinates (13 or more in the last year), none elsewhere;
- plans started in the last weeks or months are still open.

The outcomes are dealt out, not drawn: per neighbourhood over exactly those twelve months
the misses its share leaves (the demo's other plans closed in them, demo/plans.py,
counted in), the dropout provider's plans first, so the shares hold in every run with the
same seed, whatever the day of the month; the days of this month since are dealt alike on
their own. What the insight pages show is computed from the chain events these actions
write.
"""

from __future__ import annotations

import json
import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from jeugdketen.access.policy import AccessPoint, Actor
from jeugdketen.chainlog.models import ChainEvent
from jeugdketen.demo.plans import GOALS, PROFESSIONAL_ACTIONS
from jeugdketen.demo.registry import NEIGHBOURHOODS
from jeugdketen.insight.actions import latest_end, window_start
from jeugdketen.plans import actions, selectors
from jeugdketen.plans.models import DEFAULT_PRODUCT_CODE, GOAL_LEVELS, Goal, Plan
from jeugdketen.registry.models import Household, Person, Professional

CHANNEL = AccessPoint(channel="command", user_agent="jeugdketen demo")
# Year two: a joint intake in the first neighbourhood of every district (demo/intake.py).
JOINT_NEIGHBOURHOODS = frozenset(f"BU{code}" for code, _name in NEIGHBOURHOODS[::2])
HELPS_WELL = f"BU{NEIGHBOURHOODS[2][0]}"  # Vogelwijk: joint intakes in year two
HELPS_POORLY = f"BU{NEIGHBOURHOODS[1][0]}"  # Havenkwartier: one intake after the other
# Their neighbours in the district (Molenpark, Binnenstad) help every family they close
# with: a district's two neighbourhoods are shown only together (the one could be worked
# out from the district and the other), and a rate with fewer than 10 misses only at 100%.
HELPED = {HELPS_WELL: 0.9, HELPS_POORLY: 0.6, f"BU{NEIGHBOURHOODS[3][0]}": 1.0,
          f"BU{NEIGHBOURHOODS[0][0]}": 1.0}
HELPED_JOINT, HELPED_OTHER = 0.8, 0.7  # the other neighbourhoods, with and without
DROPOUT_PROVIDER = "Jeugdhulp De Brug"  # a youth-care provider whose plans end early
DROPOUT_SHARE = 0.4
# A rate is published only when both its count and the rest are 10 or more (or the rest
# is 0): the two neighbourhoods shown each get at least 10 misses, and the dropout
# provider at least 10 dropouts; the other providers none in the last year.
THRESHOLD = 10
FOLLOW_UP = 182  # days: a new report within this time after the close is a repeat
SHORTEST, LONGEST = 30, 150  # days a plan runs


@dataclass
class Started:
    """A plan the front door started from a report, to be continued (and maybe closed)."""

    n: int  # the report's story number
    plan_id: Any
    household: Household
    child: Person
    coordinator: Professional
    start: date
    neighbourhood: str = ""  # as the plan's chain events carry it
    end: date | None = None  # closed on (None: still open)
    outcome: str = ""  # helped, no (cannot go on without help), dropout, repeat


def _actor(prof: Professional) -> Actor:
    return Actor(user=prof.user, professional=prof, access_point=CHANNEL)


def schedule(started: list[Started], seed: int, today: date) -> None:
    """When each plan ends (open when that is after today) and how: `end` and `outcome`."""
    for s in started:
        rng = random.Random(f"{seed}:closing:{s.n}")
        end = s.start + timedelta(days=rng.randrange(SHORTEST, LONGEST))
        s.end = end if end < today - timedelta(days=1) else None
        s.neighbourhood = ChainEvent.objects.filter(
            trajectory_key=str(s.plan_id), activity="plan.started").values_list(
            "neighbourhood_code", flat=True).first() or ""
    closed = [s for s in started if s.end is not None]
    last = latest_end(today)
    first = window_start(last)
    older = [s for s in closed if s.end is not None and s.end < first]
    for i, s in enumerate(older):  # before the window: three in four helped
        if s.coordinator.organisation.name == DROPOUT_PROVIDER and i % 5 < 2:
            s.outcome = "dropout"
        else:
            s.outcome = ["no", "helped", "helped", "helped", "dropout", "helped", "helped",
                         "helped"][i % 8]
    # The last twelve whole months exactly (the period the insight pages open with), and
    # the days of this month since, alike but on their own.
    _deal([s for s in closed if s.end is not None and first <= s.end <= last], today,
          _others(started, first, last), shown=True)
    _deal([s for s in closed if s.end is not None and s.end > last], today, {}, shown=False)


def _others(started: list[Started], first: date, last: date) -> dict[str, tuple[int, int]]:
    """Per neighbourhood, the demo's other plans (demo/plans.py) closed from `first` to
    `last`: (how many, how many of them with a family that cannot go on without help).
    They count in the neighbourhood's share as well."""
    ours = {str(s.plan_id) for s in started}
    out: dict[str, tuple[int, int]] = {}
    for key, area, attributes in ChainEvent.objects.filter(
            activity="plan.closed", at__date__gte=first, at__date__lte=last).values_list(
            "trajectory_key", "neighbourhood_code", "attributes"):
        if key in ours:
            continue
        attrs = json.loads(attributes) if isinstance(attributes, str) else attributes
        count, missed = out.get(area, (0, 0))
        out[area] = (count + 1, missed + (not attrs.get("can_continue_without_help")))
    return out


def _deal(closed: list[Started], today: date, others: dict[str, tuple[int, int]], *,
          shown: bool) -> None:
    """Deal these plans' outcomes per neighbourhood by its share (`others` counted in);
    `shown`: the two neighbourhoods shown get 10 or more misses, and the dropout provider
    10 or more dropouts."""
    areas: dict[str, list[Started]] = defaultdict(list)
    for s in closed:
        areas[s.neighbourhood].append(s)
    misses: dict[str, int] = {}
    for area, items in sorted(areas.items()):
        items.sort(key=lambda s: (s.end, s.n))
        share = HELPED.get(area, HELPED_JOINT if area in JOINT_NEIGHBOURHOODS else HELPED_OTHER)
        count, missed = others.get(area, (0, 0))
        wanted = round((1 - share) * (len(items) + count))
        if shown and area in (HELPS_WELL, HELPS_POORLY):
            wanted = max(wanted, THRESHOLD)
        misses[area] = max(0, wanted - missed)
    # The dropout provider's plans end early first, where a neighbourhood has misses left.
    theirs = {area: [s for s in items if s.coordinator.organisation.name == DROPOUT_PROVIDER]
              for area, items in areas.items()}
    total = sum(len(v) for v in theirs.values())
    left = round(DROPOUT_SHARE * total)
    if shown and total >= 2.5 * THRESHOLD:
        left = max(left, THRESHOLD + 3)
    for area in sorted(areas, key=lambda a: (-misses[a], a)):
        take = min(left, misses[area], len(theirs[area]))
        for s in _spread(theirs[area], take):
            s.outcome = "dropout"
        left -= take
    for area, items in sorted(areas.items()):
        dropouts = [s for s in items if s.outcome == "dropout"]
        rest = [s for s in items if not s.outcome and s not in theirs[area]]
        kinds = ["no", "repeat", "no"]
        for i, s in enumerate(_spread(rest, misses[area] - len(dropouts))):
            kind = kinds[i % len(kinds)]
            # A repeat needs the new report to have come in by today.
            s.outcome = "no" if kind == "repeat" and s.end is not None and (
                s.end > today - timedelta(days=40)) else kind
        for s in items:
            s.outcome = s.outcome or "helped"


def _spread(items: list[Started], count: int) -> list[Started]:
    """`count` of the items, evenly spread over them (so over the year, too)."""
    count = max(0, min(count, len(items)))
    return [items[(2 * i + 1) * len(items) // (2 * count)] for i in range(count)]


def repeat_on(s: Started, seed: int, today: date) -> date:
    """The day the household's new report came in: within six months of the close (and
    before today: a repeat is dealt only to a plan closed at least 40 days ago)."""
    assert s.end is not None
    latest = min(150, (today - s.end).days - 1)
    return s.end + timedelta(days=random.Random(f"{seed}:repeat:{s.n}").randrange(20, latest))


def run(s: Started, seed: int, codes: set[str]) -> Plan | None:
    """The plan's course after its start: a goal (when the triage started it without one),
    an action with its budget, an evaluation half-way, the action done with its costs, and
    the close, all on the days they happened."""
    rng = random.Random(f"{seed}:closing:run:{s.n}")
    tz = timezone.get_current_timezone()
    last = [datetime.combine(s.start, time(17), tzinfo=tz)]

    def at(day: date, hour: int) -> datetime:
        moment = max(datetime.combine(day, time(hour, rng.randrange(0, 60)), tzinfo=tz),
                     last[0] + timedelta(minutes=1))
        last[0] = moment
        return min(moment, timezone.now() - timedelta(minutes=1))

    coordinator = _actor(s.coordinator)
    goals = list(Goal.objects.filter(plan_id=s.plan_id).order_by("pk"))
    if not goals:
        who = "child" if s.child.age_on(s.start) < 12 else "youth"
        title, levels = rng.choice(GOALS[who])
        goals = [actions.add_goal(coordinator, s.plan_id, title=title.format(
            name=s.child.given_names), person_ids=[s.child.pk],
            levels=dict(zip(GOAL_LEVELS, levels, strict=True)),
            at=at(s.start + timedelta(days=5), 11))]
    description, budget, code = rng.choice([a for a in PROFESSIONAL_ACTIONS if a[1]])
    planned = s.start + timedelta(days=7)
    item = actions.add_action(
        coordinator, s.plan_id, description=description,
        performer_professional_id=s.coordinator.pk,
        organisation_id=s.coordinator.organisation_id,
        due_on=planned + timedelta(days=rng.randrange(30, 90)), budget_eur=budget,
        goal_id=goals[0].pk, product_code=code if code in codes else DEFAULT_PRODUCT_CODE,
        at=at(planned, 11))
    good = s.outcome in ("helped", "repeat")
    start_score = rng.choice([-2, -1, -1])
    aim = rng.choice([0, 1, 1, 2]) if good else rng.choice([-1, -1, 0])
    end = s.end or timezone.localdate()
    middle = s.start + timedelta(days=(end - s.start).days // 2)
    if middle > planned:
        actions.record_evaluation(
            coordinator, s.plan_id, on=middle,
            scores=[(g.pk, max(start_score, min(2, (start_score + aim) // 2))) for g in goals],
            at=at(middle, 15))
    if s.end is None:
        return None
    share = rng.uniform(0.8, 1.05) if s.outcome != "dropout" else rng.uniform(0.2, 0.6)
    actions.complete_action(coordinator, item.pk, done_on=min(item.due_on, s.end),
                            spent_eur=(Decimal(budget) * Decimal(share)).quantize(Decimal("0.01")),
                            at=at(min(item.due_on, s.end), 13))
    reason = ("01" if rng.random() < 0.75 else "02") if good else (
        rng.choice(["03", "03", "04"]) if s.outcome == "dropout" else rng.choice(["01", "02", "05"]))
    satisfaction = (rng.randrange(7, 10) if good else None
                    if reason == "03" and rng.random() < 0.5 else rng.randrange(3, 7))
    return actions.close_plan(
        coordinator, s.plan_id, reason_code=reason, can_continue_without_help=good,
        satisfaction=satisfaction, final_scores=[(g.pk, aim) for g in goals], on=s.end,
        note="Eindevaluatie met het gezin.", at=at(s.end, 16))


def product_codes(plan_id: Any) -> set[str]:
    plan = Plan.objects.select_related("main_organisation").get(pk=plan_id)
    return {p.code for p in selectors.product_codes(plan)}
