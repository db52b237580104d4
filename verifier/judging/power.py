"""Could a PASS have failed? The smallest violation the data could detect, and the slack of the bound.

For every judged claim: the *minimum detectable effect* (MDE), the distance beyond the nearest edge of
the acceptance region at which the same test would FAIL with probability ``POWER`` (t tests:
(t_{1-alpha/2} + t_{power}) standard errors; Clopper-Pearson: exact, from the binomial count that
would FAIL), on the decision statistic's scale; the claim's *scale* (how large a violation is in the
claim's own terms: the bound, the probability, the exponent, the tolerance); and for one-sided bounds
the *slack* (bound over observation). A PASS is flagged "no power" when the bound is slack by more
than ``SLACK_LIMIT`` or when its MDE exceeds the claim's scale: it could not have failed.
"""
from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # `verify plan` reads this module: neither acceptance nor scipy.stats is imported for it
    from verifier.judging.acceptance import Interval

POWER = 0.8
SLACK_LIMIT = 10.0


def _binomial_mde(interval: Interval, edge: float, above: bool, alpha: float) -> float | None:
    """How far beyond ``edge`` the true probability must lie for the exact test to FAIL with POWER."""
    from scipy import stats

    n = interval.n
    if not 0 < edge < 1 or n < 1:
        return None
    if above:   # FAIL needs the count k with P(X >= k | edge) < alpha/2
        k = int(stats.binom.isf(alpha / 2, n, edge)) + 1
        while k <= n and stats.binom.sf(k - 1, n, edge) >= alpha / 2:
            k += 1
        return None if k > n else float(stats.beta.ppf(POWER, k, n - k + 1)) - edge
    k = int(stats.binom.ppf(alpha / 2, n, edge)) - 1
    while k >= 0 and stats.binom.cdf(k, n, edge) >= alpha / 2:
        k -= 1
    return None if k < 0 else edge - float(stats.beta.ppf(1 - POWER, k + 1, n - k))


def minimum_detectable(interval: Interval, region: tuple[float, float], alpha: float) -> float | None:
    """The MDE at the region's nearer finite edge (None when the interval carries no test)."""
    lower, upper = region
    if interval.successes is not None:
        sides = [m for m in (_binomial_mde(interval, upper, True, alpha) if math.isfinite(upper) else None,
                             _binomial_mde(interval, lower, False, alpha) if math.isfinite(lower) else None)
                 if m is not None]
        return min(sides) if sides else None
    if interval.se is None or interval.dof is None or not math.isfinite(interval.se):
        return None
    from scipy import stats
    return float((stats.t.ppf(1 - alpha / 2, interval.dof) + stats.t.ppf(POWER, interval.dof)) * interval.se)


def slack_ratio(relation: str | None, observed: float | None, claimed: float | None) -> float | None:
    """Bound over observation for ``<=`` (observation over bound for ``>=``), positive quantities only;
    inf when a positive upper bound faces a non-positive observation."""
    if relation not in ("<=", ">=") or observed is None or claimed is None:
        return None
    if not (math.isfinite(observed) and math.isfinite(claimed)):
        return None
    upper, value = (claimed, observed) if relation == "<=" else (observed, claimed)
    if upper <= 0:
        return None
    return math.inf if value <= 0 else upper / value


def assess(interval: Interval, region: tuple[float, float], alpha: float, scale: float | None,
           relation: str | None, observed: float | None, claimed: float | None) -> dict[str, Any]:
    """The power statement of one claim: MDE, scale, slack, and whether a PASS would be powerless."""
    mde = minimum_detectable(interval, region, alpha)
    slack = slack_ratio(relation, observed, claimed)
    reasons = []
    if slack is not None and slack > SLACK_LIMIT:
        reasons.append("the bound is slack without limit (it is positive, the observation is not)" if math.isinf(slack)
                       else f"the bound is slack by {slack:.3g}x (> {SLACK_LIMIT:g}x)")
    if mde is not None and scale is not None and scale > 0 and mde > scale:
        reasons.append(f"the smallest detectable violation ({mde:.3g}) exceeds the claim's own scale ({scale:.3g})")
    return {"mde": mde, "power": POWER, "scale": scale, "slack_ratio": slack, "no_power": bool(reasons),
            "reason": "; ".join(reasons)}


def replicas_needed(mde_now: float, replicas_now: int, effect: float) -> int:
    """Replicas for an MDE of ``effect``, from the present MDE at ``replicas_now`` (an MDE shrinks like
    1/sqrt(replicas) for every interval used here)."""
    if effect <= 0:
        raise ValueError(f"--effect must be positive, got {effect}")
    return max(2, math.ceil(replicas_now * (mde_now / effect) ** 2))
