"""Acceptance layer (scipy.stats): confidence intervals and the verdict they imply.

Every empirical decision has the same shape: a statistic with a two-sided (1 - alpha) confidence
interval, and an acceptance region. PASS when the interval lies inside the region, FAIL when it lies
outside, INCONCLUSIVE when it straddles the edge. A one-sided decision therefore errs with
probability at most alpha / 2 (the declared false-fail rate is alpha).

The same decisions as p-values (the tests dual to the intervals, so that ``p_fail < alpha`` exactly
when the interval lies outside the region, and ``p_pass < alpha`` exactly when it lies inside): these
are what a run's family correction (:mod:`verifier.judging.multiplicity`) adjusts.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

from verifier.judging.verdicts import Verdict


@dataclass(frozen=True)
class Interval:
    """A point estimate with its confidence interval and the sample size behind it."""

    estimate: float
    lo: float
    hi: float
    n: int
    se: float | None = None         # standard error of a t-based interval, with its degrees of freedom
    dof: float | None = None
    successes: int | None = None    # of n trials, for an exact binomial interval

    @property
    def finite(self) -> bool:
        return all(math.isfinite(v) for v in (self.estimate, self.lo, self.hi))


def mean_interval(values: np.ndarray, alpha: float) -> Interval:
    """Student-t interval for the mean of i.i.d. replica values (zero width if they are all equal)."""
    values = np.asarray(values, dtype=float).ravel()
    n = values.size
    if n == 0:
        return Interval(math.nan, math.nan, math.nan, 0)
    mean = float(values.mean())
    if n == 1:
        return Interval(mean, -math.inf, math.inf, 1)
    se = float(values.std(ddof=1) / math.sqrt(n))
    half = float(stats.t.ppf(1 - alpha / 2, n - 1) * se)
    return Interval(mean, mean - half, mean + half, n, se, n - 1)


def clopper_pearson(successes: int, trials: int, alpha: float) -> Interval:
    """Exact binomial interval for a probability (Clopper and Pearson, 1934)."""
    if trials <= 0:
        return Interval(math.nan, math.nan, math.nan, 0)
    lo = 0.0 if successes == 0 else float(stats.beta.ppf(alpha / 2, successes, trials - successes + 1))
    hi = 1.0 if successes == trials else float(stats.beta.ppf(1 - alpha / 2, successes + 1, trials - successes))
    return Interval(successes / trials, lo, hi, trials, successes=successes)


def slope_interval(x: np.ndarray, y: np.ndarray, alpha: float, within_rows: bool = False) -> Interval:
    """Least-squares slope of y on x with its t interval. With ``within_rows`` (2-D inputs, one row per
    replica) each row keeps its own intercept (fixed effects): rows are centred and the residual degrees
    of freedom are n - rows - 1."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    rows = 0
    if within_rows and x.ndim == 2:
        rows = x.shape[0]
        x = x - x.mean(axis=1, keepdims=True)
        y = y - y.mean(axis=1, keepdims=True)
    x, y = x.ravel(), y.ravel()
    dof = x.size - 2 - max(rows - 1, 0)
    if dof < 1 or np.ptp(x) == 0:
        return Interval(math.nan, math.nan, math.nan, int(x.size))
    xc, yc = x - x.mean(), y - y.mean()
    slope = float(xc @ yc / (xc @ xc))
    residual = yc - slope * xc
    stderr = math.sqrt(float(residual @ residual) / dof / float(xc @ xc))
    half = float(stats.t.ppf(1 - alpha / 2, dof) * stderr)
    return Interval(slope, slope - half, slope + half, int(x.size), stderr, dof)


def decide(interval: Interval, lower: float = -math.inf, upper: float = math.inf) -> Verdict:
    """PASS if the interval lies in [lower, upper], FAIL if it lies outside, else INCONCLUSIVE.
    A non-finite estimate or bound is ERROR, never PASS."""
    if not interval.finite and not (math.isfinite(interval.estimate) and interval.n == 1):
        return Verdict.ERROR
    if not (math.isfinite(lower) or lower == -math.inf) or not (math.isfinite(upper) or upper == math.inf):
        return Verdict.ERROR
    if lower <= interval.lo and interval.hi <= upper:
        return Verdict.PASS
    if interval.hi < lower or interval.lo > upper:
        return Verdict.FAIL
    return Verdict.INCONCLUSIVE


def p_beyond(interval: Interval, edge: float, side: str) -> float:
    """One-sided p-value against "the true value is not ``side`` ("above" or "below") of ``edge``": the
    t test of the interval's mean or slope, or the exact binomial test of its count (dual to
    Clopper-Pearson). 1.0 where the interval carries no test (one replica, no spread recorded)."""
    above = side == "above"
    if math.isinf(edge):
        return 0.0 if (edge < 0) == above else 1.0
    if interval.successes is not None:
        k, n = interval.successes, interval.n
        if not 0 < edge < 1:
            beyond = (k > 0) if edge <= 0 else (k < n)
            return (0.0 if beyond else 1.0) if (edge <= 0) == above else 1.0
        return float(stats.binom.sf(k - 1, n, edge) if above else stats.binom.cdf(k, n, edge))
    if interval.se is None or interval.dof is None or not math.isfinite(interval.estimate):
        return 1.0
    if interval.se == 0:
        return 0.0 if (interval.estimate > edge if above else interval.estimate < edge) else 1.0
    score = (interval.estimate - edge) / interval.se
    return float(stats.t.sf(score, interval.dof) if above else stats.t.cdf(score, interval.dof))


def p_fail(interval: Interval, lower: float = -math.inf, upper: float = math.inf) -> float:
    """Evidence that the value lies outside [lower, upper] (FAIL when below alpha)."""
    return min(1.0, 2 * min(p_beyond(interval, upper, "above"), p_beyond(interval, lower, "below")))


def p_pass(interval: Interval, lower: float = -math.inf, upper: float = math.inf) -> float:
    """Evidence that the value lies inside [lower, upper] (PASS when below alpha): both edges must be
    cleared, so the larger one-sided p-value counts (an intersection-union test)."""
    return min(1.0, 2 * max(p_beyond(interval, upper, "below"), p_beyond(interval, lower, "above")))
