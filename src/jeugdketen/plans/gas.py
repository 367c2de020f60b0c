"""Goal Attainment Scaling (Kiresuk & Sherman 1968).

Each goal i is scored x_i in -2..+2 (0 = the expected outcome) with a weight w_i:

    T = 50 + 10 * sum(w_i * x_i) / sqrt((1 - rho) * sum(w_i^2) + rho * (sum w_i)^2)

with rho = 0.3, the assumed correlation between goal scores. All goals as expected gives
T = 50; every goal at +2 with equal weights gives 50 + 20 * n / sqrt(0.7 n + 0.3 n^2).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

RHO = 0.3


def t_score(scored: Iterable[tuple[int, float]], rho: float = RHO) -> float:
    """`scored` holds (score, weight) per goal. Rounded to one decimal, as shown."""
    pairs = [(int(x), float(w)) for x, w in scored]
    if not pairs:
        raise ValueError("a T-score needs at least one scored goal")
    for x, w in pairs:
        if not -2 <= x <= 2:
            raise ValueError(f"goal score {x} is outside -2..2")
        if w <= 0:
            raise ValueError(f"goal weight {w} must be positive")
    weighted = sum(w * x for x, w in pairs)
    sum_w = sum(w for _, w in pairs)
    sum_w2 = sum(w * w for _, w in pairs)
    return round(50 + 10 * weighted / math.sqrt((1 - rho) * sum_w2 + rho * sum_w ** 2), 1)
