"""Costs (seed 002: costs visible; seed 004: municipalities that help well cost less), per
group (one area level below the scope's, or per provider) and for the scope total, over
the plans closed in the period (docs/insight.md, "Costs"):

- budgeted per trajectory: the budget of those plans (sum of the actions' budgets), divided
  by their number;
- spent per trajectory: what was spent on them, divided by their number;
- spent per trajectory that helped: everything spent on them divided by the number that
  helped (help that helps): what one result costs, the help that did not help included;
- spent on a trajectory that helped: the average spent on those that helped themselves.

Per provider always over the whole municipality the area lies in (kpis.provider_scope).
Suppressed like help that helps (over the municipality's areas as one system; a provider
whose row is hidden not named): a group's row is one unit with its number of
trajectories, those that helped and those that did not (counted), and its sums (hidden
with them, so a sum cannot be recomputed from the total either). A row shown gives its
numbers rounded to a multiple of 10 and its averages to two significant figures, so that
two periods a month apart do not give that month's plans away.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext as _

from jeugdketen.insight import kpis, suppression
from jeugdketen.insight.scope import Scope

DEFINITION_VERSION = 1

COSTS_SQL = kpis.CLOSED_PLANS_SQL + """
SELECT grp, GROUPING(grp) = 1 AS is_total,
       count(*) AS n,
       count(*) FILTER (WHERE helped) AS helped,
       sum(budget_eur) AS budget,
       sum(spent_eur) AS spent,
       coalesce(sum(spent_eur) FILTER (WHERE helped), 0) AS spent_helped,
       bool_or(provisional) AS provisional
FROM closed
GROUP BY GROUPING SETS ((grp), ())"""


@dataclass(frozen=True)
class CostRow:
    key: str  # "costs"
    group: str  # area code or provider id; "" for the scope total
    label: str
    n: int | None  # plans closed in the period
    helped: int | None  # of which help that helps
    budget_per_trajectory: float | None  # EUR
    spent_per_trajectory: float | None
    spent_per_helped: float | None  # all spent / the number that helped
    spent_on_helped: float | None  # the average spent on those that helped
    suppressed: bool = False
    provisional: bool = False
    rounded_to: int | None = None  # n and helped are rounded to a multiple of it

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def mean(total: float, count: int) -> float | None:
    """An average in euros as published: rounded to two significant figures, half up
    (12,345 -> 12,000; 1,650 -> 1,700). Exact averages would give the exact share that
    helped (spent per trajectory divided by spent per trajectory that helped is
    helped / n), and with it the exact counts behind the rounded ones (docs/insight.md,
    "Rounded period counts")."""
    if not count:
        return None
    value = Decimal(repr(total / count))
    if value == 0:
        return 0.0
    step = Decimal(1).scaleb(value.adjusted() - 1)  # the second significant figure
    return float((value / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step)


def costs(con: Any, scope: Scope, *, threshold: int, by: str = "area") -> list[CostRow]:
    """Costs per group (by "area" or "provider": over the whole municipality,
    kpis.provider_scope), the scope total first."""
    kpis.check(scope, threshold, by, ("area", "provider"))
    if by == "provider":
        scope = kpis.provider_scope(con, scope)
    groups = kpis.grouping(con, scope, by)
    rows, total = kpis.per_group(con, COSTS_SQL, scope, groups)

    def columns(row: dict[str, Any]) -> dict[str, float]:
        n, helped = int(row["n"] or 0), int(row["helped"] or 0)
        return {"n": n, "helped": helped, "other": n - helped,
                "budget": float(row["budget"] or 0), "spent": float(row["spent"] or 0),
                "spent_helped": float(row["spent_helped"] or 0)}

    names = ("n", "helped", "other", "budget", "spent", "spent_helped")
    hidden = kpis.hidden_cells(
        kpis.areas(con, scope, COSTS_SQL), groups, rows, total, columns, threshold=threshold,
        counts=("n", "helped", "other"), splits=(("n", ("helped", "other")),),
        units=(names,))
    listed, merged = kpis.named(groups, hidden, "n")
    out = []
    for code, label, row in [("", groups.total_label, total),
                             *((c, lb, rows[c]) for c, lb in listed)]:
        provisional = bool(row.get("provisional"))
        if (code, "n") in hidden:
            out.append(CostRow("costs", code, label, None, None, None, None, None, None,
                               suppressed=True))
            continue
        c = columns(row)
        n, helped = int(c["n"]), int(c["helped"])
        out.append(CostRow(
            "costs", code, label, suppression.rounded(n, threshold),
            suppression.rounded(helped, threshold),
            mean(c["budget"], n), mean(c["spent"], n), mean(c["spent"], helped),
            mean(c["spent_helped"], helped), provisional=provisional,
            rounded_to=suppression.step(threshold)))
    if merged:
        out.append(CostRow("costs", kpis.OTHER_PROVIDERS, _("Andere aanbieders"), None, None,
                           None, None, None, None, suppressed=True))
    return out
