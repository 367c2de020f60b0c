"""What-if scenarios: the way of taking intakes, intake slots per organisation, a change
in arrivals; checked with errors that name the field."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from jeugdketen.steering.simulation.engine import ORGANISATIONS, Model

WAYS = ("present", "joint", "sequential")
MAX_WEEKS = 260
MAX_REPLICATIONS = 200
MAX_SLOT_CHANGE = 100
AFTER_WEEKS = 26  # reports of the last week are followed this long after it


class ScenarioError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Scenario:
    """`way`: present (today's mix of joint and sequential intakes), joint, sequential;
    `slots`: the change in intake slots per week per organisation ("1", "2", "3");
    `arrivals_pct`: the change in reports received (+10 is 10% more)."""

    way: str = "present"
    slots: dict[str, int] = field(default_factory=dict)
    arrivals_pct: float = 0.0
    weeks: int = 52
    replications: int = 30
    seed: int = 1

    @classmethod
    def from_data(cls, data: Any) -> Scenario:
        """A scenario from JSON-like data; a ScenarioError naming the first bad field."""
        if not isinstance(data, dict):
            raise ScenarioError("scenario", _("Een scenario is een object met velden."))
        unknown = sorted(set(data) - {f.name for f in dataclasses.fields(cls)})
        if unknown:
            raise ScenarioError(unknown[0], _("Dit veld bestaat niet."))
        values: dict[str, Any] = {}
        for name, kind in (("way", str), ("arrivals_pct", float), ("weeks", int),
                           ("replications", int), ("seed", int)):
            if name not in data:
                continue
            value = data[name]
            if kind is float and isinstance(value, int) and not isinstance(value, bool):
                value = float(value)
            if not isinstance(value, kind) or isinstance(value, bool):
                raise ScenarioError(name, _("Verkeerd soort waarde."))
            values[name] = value
        if "slots" in data:
            slots = data["slots"]
            if not isinstance(slots, dict):
                raise ScenarioError("slots", _("Geef per organisatie een verandering."))
            for org, change in slots.items():
                if not isinstance(change, int) or isinstance(change, bool):
                    raise ScenarioError(f"slots.{org}", _("Een heel getal, zoals +2 of -1."))
            values["slots"] = {str(k): v for k, v in slots.items()}
        scenario = cls(**values)
        scenario.check()
        return scenario

    def check(self) -> None:
        if self.way not in WAYS:
            raise ScenarioError("way", _("Kies present, joint of sequential."))
        for org, change in self.slots.items():
            if org not in ORGANISATIONS:
                raise ScenarioError(f"slots.{org}", _("Organisatie 1, 2 of 3."))
            if abs(change) > MAX_SLOT_CHANGE:
                raise ScenarioError(f"slots.{org}", _("Ten hoogste %(n)s erbij of eraf.")
                                    % {"n": MAX_SLOT_CHANGE})
        if not -90.0 <= self.arrivals_pct <= 300.0 or self.arrivals_pct != self.arrivals_pct:
            raise ScenarioError("arrivals_pct", _("Tussen -90 en +300 (procent)."))
        if not 1 <= self.weeks <= MAX_WEEKS:
            raise ScenarioError("weeks", _("Tussen 1 en %(n)s weken.") % {"n": MAX_WEEKS})
        if not 1 <= self.replications <= MAX_REPLICATIONS:
            raise ScenarioError("replications", _("Tussen 1 en %(n)s herhalingen.")
                                % {"n": MAX_REPLICATIONS})
        if not 0 <= self.seed < 2 ** 31:
            raise ScenarioError("seed", _("Tussen 0 en 2147483647."))

    def as_data(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def present(self) -> Scenario:
        """The present with this scenario's weeks, replications and seed (the baseline)."""
        return Scenario(weeks=self.weeks, replications=self.replications, seed=self.seed)


def apply(model: Model, scenario: Scenario) -> Model:
    """The calibrated model changed by the scenario. An organisation's observed lead (its
    standing list of bookings) is worked off at its pace: with more slots, sooner."""
    slots = dict(model.slots)
    scale = dict(model.lead_scale)
    for org, change in scenario.slots.items():
        base = model.slots.get(org, 0.0)
        new = base + change
        needed = sum(share for k, share in model.disciplines.items()
                     if k > ORGANISATIONS.index(org))
        if new <= 0 and needed > 0:
            raise ScenarioError(f"slots.{org}", _(
                "Organisatie %(org)s houdt dan geen intakes meer (nu %(n).1f per week).")
                % {"org": org, "n": base})
        slots[org] = max(0.0, new)
        if base > 0 and new > 0:
            scale[org] = base / new
    return dataclasses.replace(
        model, slots=slots, lead_scale=scale, way=scenario.way,
        arrivals_factor=1.0 + scenario.arrivals_pct / 100.0,
        weeks=scenario.weeks, horizon_weeks=scenario.weeks + AFTER_WEEKS)
