"""The harmonised outcome indicators for youth care (VNG, branch bodies, NJi; domain.md
section 4), per provider or per neighbourhood, each a rate over the plans closed in the
period (docs/insight.md, "Outcome indicators"):

- dropout: ended early one-sidedly, by the client (CBS reason 03) or the provider (04), of
  all plans closed;
- satisfied: a satisfaction of 7 or more (1-10), of the closes with a satisfaction;
- can_continue: can continue without help, of the closes that answer it;
- no_repeat: no new trajectory of the household (report or plan) within the follow-up
  period after the close, of all plans closed; provisional while that period runs;
- goals_attained: a final T-score of 50 or more (goals reached as agreed), of the closes
  with a final T-score.

Each indicator is its own table, suppressed like every rate (insight.kpis.rates): over
the municipality's areas as one system, a provider whose figure is hidden not named. Per
provider the table is always the whole municipality's, whatever area was asked for.
"""

from __future__ import annotations

from typing import Any

from jeugdketen.insight import kpis
from jeugdketen.insight.figures import Rate
from jeugdketen.insight.scope import Scope

DEFINITION_VERSION = 1
SATISFIED_FROM = 7
GOALS_ATTAINED_FROM = 50
DROPOUT_REASONS = ("03", "04")

OUTCOMES_SQL = kpis.CLOSED_PLANS_SQL + """
SELECT grp, GROUPING(grp) = 1 AS is_total,
       count(*) AS closed,
       count(*) FILTER (WHERE close_reason IN ('03', '04')) AS dropout,
       count(satisfaction) AS satisfaction_n,
       count(*) FILTER (WHERE satisfaction >= $satisfied_from) AS satisfied,
       count(can_continue_without_help) AS can_continue_n,
       count(*) FILTER (WHERE can_continue_without_help) AS can_continue,
       count(*) FILTER (WHERE NOT repeated) AS no_repeat,
       count(final_t_score) AS goals_n,
       count(*) FILTER (WHERE final_t_score >= $goals_from) AS goals_attained,
       bool_or(provisional) AS provisional
FROM closed
GROUP BY GROUPING SETS ((grp), ())"""

# indicator -> (its denominator column, its numerator column, provisional while follow-up)
INDICATORS: dict[str, tuple[str, str, bool]] = {
    "dropout": ("closed", "dropout", False),
    "satisfied": ("satisfaction_n", "satisfied", False),
    "can_continue": ("can_continue_n", "can_continue", False),
    "no_repeat": ("closed", "no_repeat", True),
    "goals_attained": ("goals_n", "goals_attained", False),
}


def indicators(con: Any, scope: Scope, *, threshold: int,
               by: str = "neighbourhood") -> dict[str, list[Rate]]:
    """Each indicator's rates per provider or neighbourhood, the scope total first. Per
    provider over the whole municipality the area lies in (kpis.provider_scope): the
    table is the same for every area of it."""
    kpis.check(scope, threshold, by, ("provider", "neighbourhood"))
    if by == "provider":
        scope = kpis.provider_scope(con, scope)
    groups = kpis.grouping(con, scope, by)
    extra = {"satisfied_from": SATISFIED_FROM, "goals_from": GOALS_ATTAINED_FROM}
    rows, total = kpis.per_group(con, OUTCOMES_SQL, scope, groups, extra)
    system = kpis.areas(con, scope, OUTCOMES_SQL, extra)
    return {key: kpis.rates(key, groups, rows, total, n, count, threshold,
                            provisional="provisional" if follow_up else None, system=system)
            for key, (n, count, follow_up) in INDICATORS.items()}
