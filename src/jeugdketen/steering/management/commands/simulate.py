"""`jeugdketen simulate --municipality GMnnnn [--scenario joint|sequential|present]
[--slots ORG=+N ...] [--arrivals +10%] [--weeks 52] [--replications 30] [--seed 1]
[--validate] [--workers N]`: the what-if simulation of a municipality's front door on the
server, calibrated on the insight store's last twelve whole months; prints the validation
table (with --validate) and the scenario against the present. Aggregates only; nothing is
stored (the page and the API keep their runs)."""

from __future__ import annotations

import re
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

SLOT = re.compile(r"^([123])=([+-]?\d+)$")
PERCENT = re.compile(r"^([+-]?\d+(?:\.\d+)?)%?$")
MUNICIPALITY = re.compile(r"^GM\d{4}$")


def _days(value: Any) -> str:
    return "-" if value is None else f"{value:.1f}"


class Command(BaseCommand):
    help = "What-if simulation of a municipality's front door (issue 13)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--municipality", required=True, help="GMnnnn")
        parser.add_argument("--scenario", default="present",
                            choices=("present", "joint", "sequential"),
                            help="the way of taking intakes (default: as today)")
        parser.add_argument("--slots", action="append", default=[], metavar="ORG=+N",
                            help="change organisation 1, 2 or 3's intake slots per week")
        parser.add_argument("--arrivals", default="0", help="change in reports, e.g. +10%%")
        parser.add_argument("--weeks", type=int, default=52)
        parser.add_argument("--replications", type=int, default=30)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--validate", action="store_true",
                            help="first simulate the observed period and compare")
        parser.add_argument("--workers", type=int, default=None,
                            help="processes for the replications (default: by size)")

    def handle(self, *args: Any, **opts: Any) -> None:
        from jeugdketen.insight.selectors import publication_for
        from jeugdketen.steering.simulation import engine, published, run
        from jeugdketen.steering.simulation.scenarios import Scenario, ScenarioError, apply
        from jeugdketen.steering.simulation_actions import observe, period

        municipality = str(opts["municipality"]).strip().upper()
        if not MUNICIPALITY.match(municipality):
            raise CommandError("--municipality: a CBS code, GMnnnn")
        slots: dict[str, int] = {}
        for item in opts["slots"]:
            m = SLOT.match(item.strip())
            if not m:
                raise CommandError(f"--slots {item!r}: ORG=+N with ORG 1, 2 or 3")
            slots[m.group(1)] = int(m.group(2))
        m = PERCENT.match(str(opts["arrivals"]).strip())
        if not m:
            raise CommandError(f"--arrivals {opts['arrivals']!r}: a percentage, e.g. +10%")
        try:
            scenario = Scenario(way=opts["scenario"], slots=slots, arrivals_pct=float(m.group(1)),
                                weeks=opts["weeks"], replications=opts["replications"],
                                seed=opts["seed"])
            scenario.check()
        except ScenarioError as error:
            raise CommandError(f"--{error.field.split('.')[0].replace('_pct', '')}: "
                               f"{error.message}") from None
        today = timezone.localdate()
        first, last = period(today)
        observed = observe(municipality, today)
        threshold, _follow_up = publication_for(municipality)
        out = self.stdout.write
        out(f"{municipality}: care reports received {first} to {last}: {observed.reports}")
        if observed.reports < threshold:
            raise CommandError(f"fewer than {threshold} care reports (the threshold): "
                               "nothing to calibrate on")
        calibration = run.describe(observed, threshold)
        out(f"arrivals per week: {calibration['arrivals_per_week']}")
        out(f"intake slots per week (organisation 1, 2, 3): {calibration['slots_per_week']}")
        out(f"disciplines needed (1, 2, 3): {calibration['disciplines']}; "
            f"joint share: {calibration['joint_share']}")
        try:
            apply(published.model(observed, threshold), scenario)
        except ScenarioError as error:
            raise CommandError(f"--slots: {error.message}") from None
        if opts["validate"]:
            result = run.validate(observed, replications=scenario.replications,
                                  seed=scenario.seed, threshold=threshold,
                                  workers=opts["workers"])
            out("")
            out(f"validation (tolerance: {run.TOLERANCE_DAYS:g} days or "
                f"{run.TOLERANCE_SHARE:.0%} of the observed, whichever is more; or the observed "
                f"within the replications' {run.SPREAD[0]:.1%}-{run.SPREAD[1]:.1%} spread)")
            out(f"{'step':<16} {'n':>6}  {'p50 obs':>8} {'p50 sim':>8}  {'p90 obs':>8} "
                f"{'p90 sim':>8}  result")
            for row in result["steps"]:
                verdict = {True: "pass", False: "FAIL", None: "too few"}[row["passed"]]
                n = row["n"] if row["shown"] else f"<{threshold}"
                out(f"{row['step']:<16} {n:>6}  {_days(row['p50']['observed']):>8} "
                    f"{_days(row['p50']['simulated']):>8}  {_days(row['p90']['observed']):>8} "
                    f"{_days(row['p90']['simulated']):>8}  {verdict}")
            out(f"validation: {'passed' if result['passed'] else 'NOT passed'}")
        result = run.simulate(observed, scenario, workers=opts["workers"], threshold=threshold)
        out("")
        out(f"scenario: {scenario.as_data()}")
        out(f"{'time to help':<14} {'present':>22} {'scenario':>22} {'difference':>22}")
        for q in ("p50", "p90"):
            base = result["baseline"]["time_to_help"][q]
            new = result["result"]["time_to_help"][q]
            diff = result["result"]["difference"]["time_to_help"][q]
            out(f"{q:<14} {_interval(base):>22} {_interval(new):>22} {_interval(diff):>22}")
        out("waits per step (days, mean over replications of p50 / p90):")
        for step in engine.STEPS:
            base = result["baseline"]["waits"][step]
            new = result["result"]["waits"][step]
            out(f"  {step:<16} present {_days(base['p50']['mean'])} / "
                f"{_days(base['p90']['mean'])}   scenario {_days(new['p50']['mean'])} / "
                f"{_days(new['p90']['mean'])}")
        wl = [w["mean"] for w in result["result"]["waiting_list"]]
        out("waiting list at week ends (scenario, mean): " + " ".join(
            f"{v:.0f}" for v in wl[:: max(1, len(wl) // 13)] if v is not None))
        out(f"{scenario.replications} replications in {result['seconds']} s "
            f"({result['workers']} process(es))")


def _interval(value: dict[str, Any]) -> str:
    if value["mean"] is None:
        return "-"
    if value["low"] is None:
        return f"{value['mean']:.1f}"
    return f"{value['mean']:.1f} [{value['low']:.1f}, {value['high']:.1f}]"
