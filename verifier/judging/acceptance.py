"""Acceptance layer (scipy.stats): confidence intervals and the verdict they imply.

Every empirical decision has the same shape: a statistic with a two-sided (1 - alpha) confidence
interval, and an acceptance region. PASS when the interval lies inside the region, FAIL when it lies
outside, INCONCLUSIVE when it straddles the edge. A one-sided decision therefore errs with
probability at most alpha / 2 (the declared false-fail rate is alpha).
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
    half = float(stats.t.ppf(1 - alpha / 2, n - 1) * values.std(ddof=1) / math.sqrt(n))
    return Interval(mean, mean - half, mean + half, n)


def clopper_pearson(successes: int, trials: int, alpha: float) -> Interval:
    """Exact binomial interval for a probability (Clopper and Pearson, 1934)."""
    if trials <= 0:
        return Interval(math.nan, math.nan, math.nan, 0)
    lo = 0.0 if successes == 0 else float(stats.beta.ppf(alpha / 2, successes, trials - successes + 1))
    hi = 1.0 if successes == trials else float(stats.beta.ppf(1 - alpha / 2, successes + 1, trials - successes))
    return Interval(successes / trials, lo, hi, trials)


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
    return Interval(slope, slope - half, slope + half, int(x.size))


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
