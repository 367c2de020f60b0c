"""The model a run runs on: the calibrated model with every parameter that comes from a
count of the period taken from that count as insight publishes it (rounded to the step,
hidden from 1 to T - 1: insight.suppression.rounded).

Whatever the model holds can come back out of its runs: replayed offline, a run made on
exact arrivals gave a hidden urgency's one crisis report exactly (attack round 3, R3-4),
and the time a run takes decided whether it ran in the request, which a sweep of the
replications turns into the exact number of reports. Made from rounded counts, the model
is a function of what is published anyway: two periods whose counts round alike give the
same runs. (Runs are not replayable either since round 4: run.stream_seed.)

- arrivals per urgency: its rounded reports over the weeks; the urgencies hidden (1 to
  T - 1 reports) share what the rounded total leaves over the shown ones (never below 0);
- the shares from rounded parts over rounded wholes, a hidden part as 0: per urgency the
  triaged reports' three routes (to an intake, to help directly, out) each rounded over
  their sum, the pooled routes when every one is hidden; the disciplines; joint
  meetings; helped after single and after joint intakes;
- choices between a group's own figures and pooled ones are made on the rounded counts
  too: an urgency's own triage days when its count is shown, help after joint and single
  intakes apart when both counts are shown (`apart`), a joint meeting's own leads when
  the joint meetings are shown;
- an organisation's intake slots: a week's own count at the 90th percentile, none when
  its intakes are hidden (the calibration's slots, `calibration._busy_week`);
- the distributions of days of shown groups stay as calibrated (they are not counts),
  and the slot-wait correction is simulated on this model (`model`)."""

from __future__ import annotations

import dataclasses

from jeugdketen.insight import suppression
from jeugdketen.steering.simulation.calibration import Observed, without_queue
from jeugdketen.steering.simulation.engine import URGENCIES, Model


def model(observed: Observed, threshold: int) -> Model:
    """The calibrated model with its count-based parameters from rounded counts, then
    the slot-wait correction (calibration.without_queue) simulated on that model, not on
    the exact one (R4-5: the leads would move with the exact reports). Made once per
    threshold."""
    made = observed.published.get(threshold)
    if made is None:
        made = observed.published[threshold] = without_queue(_rounded(observed, threshold))
    return made


def _rounded(observed: Observed, threshold: int) -> Model:
    exact = observed.model

    def count(value: int) -> int:
        return suppression.rounded(value, threshold) or 0

    def share(part: int, whole: int) -> float | None:
        """A rounded part over a rounded whole, at most 1; None without a whole."""
        shown_whole = count(whole)
        return min(1.0, count(part) / shown_whole) if shown_whole else None

    received = {u: suppression.rounded(observed.received.get(u, 0), threshold)
                for u in URGENCIES}
    hidden = [u for u, n in received.items() if n is None]
    left = max(0, count(sum(observed.received.values()))
               - sum(n for n in received.values() if n is not None))
    arrivals = {u: (left / len(hidden) if n is None else n) / exact.weeks
                for u, n in received.items()}

    # Per urgency the triaged reports' three routes (to an intake, straight to help, out),
    # each rounded, over their sum: the shares then add up to 1 without clamping.
    routes = {u: _routes(observed.routed.get(u) or [0, 0, 0]) for u in URGENCIES}
    pooled = _routes([sum(r) for r in zip(*(observed.routed.get(u) or [0, 0, 0]
                                            for u in URGENCIES), strict=True)])
    p_intake: dict[str, float] = {}
    p_direct: dict[str, float] = {}
    for u in URGENCIES:
        intake, direct, out = [count(n) for n in routes[u]]
        if not intake + direct + out:  # every route hidden or none: the pooled shares
            intake, direct, out = [count(n) for n in pooled]
        whole = intake + direct + out
        p_intake[u], p_direct[u] = (intake / whole, direct / whole) if whole else (0.0, 0.0)

    mix = {k: count(observed.mix.get(k, 0)) for k in (1, 2, 3)}
    disciplines = ({k: n / sum(mix.values()) for k, n in mix.items()} if sum(mix.values())
                   else {1: 1.0, 2: 0.0, 3: 0.0})
    needing, joint = observed.joint_multi
    # each urgency's own triage days when its count is shown, else all urgencies'
    triage_days = {u: (observed.triage_own.get(u, []) if count(routed_count(observed, u))
                       else observed.triage_pooled) for u in URGENCIES}
    # helped after an intake: a Kaplan-Meier share as a count of the reports followed
    single = observed.followed - observed.followed_joint
    parts = observed.help_apart if apart(observed, threshold) else None
    if parts is None:
        p_help = share(round(exact.p_help_after_intake * observed.followed),
                       observed.followed) or 0.0
        help_days, p_joint_help, joint_days = exact.help_days, None, []
    else:
        p_help = share(round(parts.single_share * single), single) or 0.0
        help_days, joint_days = parts.single_days, parts.joint_days
        p_joint_help = share(round(parts.joint_share * observed.followed_joint),
                             observed.followed_joint) or 0.0
    return dataclasses.replace(
        exact, arrivals=arrivals, p_intake=p_intake, p_direct=p_direct,
        triage_days=triage_days, disciplines=disciplines,
        # none for an organisation whose intakes in the period are hidden (1 to T - 1)
        slots={org: slots if count(sum(observed.intakes_weekly.get(org, []))) else 0.0
               for org, slots in exact.slots.items()},
        # A joint meeting's leads are its own only when the joint meetings are shown: drawn
        # over and over in a scenario of joint intakes for everyone, a list of a few hidden
        # families' leads would show itself (and its length); else the single intakes'.
        joint_lead_days=(exact.joint_lead_days if count(joint)
                         else observed.single_leads),
        p_joint=share(joint, needing) or 0.0, p_help_after_intake=p_help, help_days=help_days,
        p_help_after_joint=p_joint_help, help_days_joint=joint_days)


def apart(observed: Observed, threshold: int) -> bool:
    """Whether the model takes help after joint and after single intakes apart: when the
    calibration could (MIN_GROUP of each) and both counts are shown (at least T), so the
    choice itself tells no more than the rounded counts."""
    single = observed.followed - observed.followed_joint
    return observed.help_apart is not None and bool(
        suppression.rounded(observed.followed_joint, threshold)) and bool(
        suppression.rounded(single, threshold))


def routed_count(observed: Observed, urgency: str) -> int:
    """The reports of this urgency triaged in the period."""
    return (observed.routed.get(urgency) or [0])[0]


def _routes(routed: list[int]) -> tuple[int, int, int]:
    """[triaged, to an intake, straight to help] as the three routes' counts."""
    triaged, intake, direct = routed[:3]
    return intake, direct, max(0, triaged - intake - direct)
