"""Judge one claim: turn a claim and measurements into a :class:`ClaimOutcome`.

Empirical claims reduce to an interval (:mod:`verifier.judging.acceptance`) and an acceptance region; the
claim's negative control is judged on the same data and must be rejected (FAIL) for a PASS to stand.
Symbolic claims are decided by :mod:`verifier.judging.symbolic`.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any, Mapping

import numpy as np
import sympy as sp

from verifier.judging import acceptance, controls, power, shapes, symbolic
from verifier.judging.acceptance import Interval
from verifier.judging.verdicts import Verdict
from verifier.spec.claims import (
    NOTATIONS,
    Approx,
    Bound,
    Claim,
    Duration,
    Exponent,
    Identity,
    Implication,
    Limit,
    Order,
    Ordering,
    Probability,
    Rate,
)


@dataclass
class ClaimOutcome:
    """The judgement of one claim. ``observed``/``claimed`` are on the quantity's own scale; ``ci``
    is the interval of the decision statistic ``statistic`` whose acceptance region is ``region``."""

    label: str
    kind: str
    description: str
    verdict: str
    observed: float | None = None
    observed_ci: tuple[float, float] | None = None
    claimed: float | None = None
    statistic: str = ""
    ci: tuple[float, float] | None = None
    region: tuple[float, float] | None = None
    alpha: float | None = None
    n: int | None = None
    resolution: float | None = None
    control: dict[str, Any] | None = None
    detail: str = ""
    # p-values of the tests dual to the interval (None where no test was made): evidence that the claim
    # fails (adjusted by the run's family correction) and that it holds
    p_fail: float | None = None
    p_pass: float | None = None
    estimate: float | None = None       # the decision statistic's estimate (its interval is ``ci``)
    relation: str = ""                  # what the region accepts, on the decision scale: '<= 0', 'within [a, b]'
    power: dict[str, Any] | None = None  # minimum detectable effect, slack, no-power flag (verifier.judging.power)
    at: dict[str, Any] | None = None     # the grid point a claim's ``at`` selected (axis -> index or label)

    def to_dict(self) -> dict[str, Any]:
        return _clean(asdict(self))


def _clean(value: Any) -> Any:
    """JSON-safe copy: non-finite floats become strings 'inf', '-inf', 'nan'."""
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if isinstance(value, (float, np.floating)):
        value = float(value)
        return value if math.isfinite(value) else str(value)
    if isinstance(value, np.integer):
        return int(value)
    return value


@dataclass
class _Judgement:
    verdict: Verdict
    interval: Interval
    region: tuple[float, float]
    statistic: str
    observed: Interval
    claimed: float
    detail: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def _values(expr: sp.Basic, params: Mapping[str, float], data: Mapping[str, np.ndarray]) -> np.ndarray:
    return symbolic.evaluate(expr, params, data)


def _nonfinite(name: str, values: np.ndarray) -> str:
    bad = ~np.isfinite(values)
    if not bad.any():
        return ""
    first = int(np.flatnonzero(bad.ravel())[0])
    return f"{name}: {int(bad.sum())} of {values.size} values are NaN/inf (first at index {first})"


def _paired(claim: Claim, left: np.ndarray, right: np.ndarray, alpha: float, statistic: str,
            region: tuple[float, float], replicas: int | None) -> _Judgement:
    left, right = np.broadcast_arrays(left, right)
    problem = _nonfinite("measurement", left) or _nonfinite("bound", right)
    diff = shapes.per_replica(left - right, replicas)
    left = shapes.per_replica(left, replicas)
    interval = acceptance.mean_interval(diff, alpha)
    verdict = Verdict.ERROR if problem else acceptance.decide(interval, *region)
    return _Judgement(verdict, interval, region, statistic, acceptance.mean_interval(left, alpha),
                      float(np.mean(right)), problem)


def _judge_bound(claim: Bound, params, data, alpha, replicas) -> _Judgement:
    quantity = _values(claim.quantity, params, data)
    bound = _values(claim.bound, params, data)
    if claim.statistic == "proportion":
        trials = int(round(float(_values(sp.sympify(claim.trials), params, data))))
        problem = _nonfinite("measurement", quantity)
        counts = np.rint(np.asarray(quantity, dtype=float) * trials) if not problem else quantity
        interval = acceptance.clopper_pearson(int(np.sum(counts)), trials * quantity.size, alpha) if not problem \
            else Interval(math.nan, math.nan, math.nan, quantity.size)
        value = float(np.mean(bound))
        region = (-math.inf, value) if claim.relation == "<=" else (value, math.inf)
        verdict = Verdict.ERROR if problem else acceptance.decide(interval, *region)
        return _Judgement(verdict, interval, region, "pooled proportion (Clopper-Pearson)", interval, value, problem)
    region = (-math.inf, 0.0) if claim.relation == "<=" else (0.0, math.inf)
    return _paired(claim, quantity, bound, alpha, "mean(quantity - bound)", region, replicas)


def _judge_ordering(claim: Ordering, params, data, alpha, replicas) -> _Judgement:
    greater = _values(claim.greater, params, data)
    lesser = _values(claim.lesser, params, data)
    return _paired(claim, greater, lesser, alpha, "mean(greater - lesser)", (0.0, math.inf), replicas)


def _judge_approx(claim: Approx, params, data, alpha, replicas) -> _Judgement:
    quantity, target = np.broadcast_arrays(_values(claim.quantity, params, data), _values(claim.target, params, data))
    problem = _nonfinite("measurement", quantity) or _nonfinite("target", target)
    if not problem and np.any(target == 0):
        problem = "target is zero: a relative tolerance is undefined"
    ratio = shapes.per_replica(quantity / np.where(target == 0, np.nan, target), replicas)
    interval = acceptance.mean_interval(ratio, alpha)
    region = (1 - claim.rtol, 1 + claim.rtol)
    verdict = Verdict.ERROR if problem else acceptance.decide(interval, *region)
    return _Judgement(verdict, interval, region, "mean(quantity / target)",
                      acceptance.mean_interval(shapes.per_replica(quantity, replicas), alpha), float(np.mean(target)),
                      problem)


def _judge_probability(claim: Probability, params, data, alpha, replicas) -> _Judgement:
    events = _values(claim.event, params, data).ravel()
    value = float(_values(claim.value, params, data).mean())
    problem = _nonfinite("event", events)
    if not problem and not np.all((events == 0) | (events == 1)):
        problem = "event values are not all 0 or 1"
    interval = Interval(math.nan, math.nan, math.nan, events.size) if problem else \
        acceptance.clopper_pearson(int(events.sum()), int(events.size), alpha)
    if claim.relation == ">=":
        region = (value, math.inf)
    elif claim.relation == "<=":
        region = (-math.inf, value)
    else:
        region = (value - claim.atol, value + claim.atol)
    verdict = Verdict.ERROR if problem or not math.isfinite(value) else acceptance.decide(interval, *region)
    return _Judgement(verdict, interval, region, "probability (Clopper-Pearson)", interval, value, problem)


def _judge_rate(claim: Rate, params, data, alpha, replicas) -> _Judgement:
    y, x = np.broadcast_arrays(_values(claim.quantity, params, data), _values(claim.over, params, data))
    exponent = float(_values(claim.exponent, params, data))
    problem = _nonfinite("quantity", y) or _nonfinite("over", x)
    if not problem and (np.any(y <= 0) or np.any(x <= 0)):
        problem = "a log-log fit needs positive values"
    interval = Interval(math.nan, math.nan, math.nan, y.size) if problem else \
        acceptance.slope_interval(np.log(x), np.log(y), alpha, within_rows=claim.within_replica)
    region = {"exact": (exponent - claim.tol, exponent + claim.tol), "at_most": (-math.inf, exponent + claim.tol),
              "at_least": (exponent - claim.tol, math.inf)}[claim.direction]
    verdict = Verdict.ERROR if problem else acceptance.decide(interval, *region)
    return _Judgement(verdict, interval, region, "log-log slope", interval, exponent, problem)


def _judge_duration(claim: Duration, params, data, alpha, replicas) -> _Judgement:
    measured, predicted = np.broadcast_arrays(_values(claim.measured, params, data), _values(claim.predicted, params, data))
    measured, predicted = measured.ravel(), predicted.ravel()
    reached = np.isfinite(measured) & np.isfinite(predicted) & (predicted > 0) & (measured > 0)
    missing = int((~reached).sum())
    detail = f"{missing} of {measured.size} durations not reached or not predicted" if missing else ""
    log_ratio = np.log(measured[reached] / predicted[reached])
    interval = acceptance.mean_interval(log_ratio, alpha)
    region = (-math.log1p(claim.rtol), math.log1p(claim.rtol))
    if reached.sum() == 0:
        verdict = Verdict.ERROR
    else:
        verdict = acceptance.decide(interval, *region)
        if missing > 0.1 * measured.size and verdict is Verdict.PASS:
            verdict, detail = Verdict.INCONCLUSIVE, detail + " (more than 10%)"
    observed = acceptance.mean_interval(measured[reached], alpha)
    return _Judgement(verdict, interval, region, "mean log(measured / predicted)", observed,
                      float(np.mean(predicted[reached])) if reached.any() else math.nan, detail,
                      {"geometric_ratio": float(np.exp(interval.estimate)) if reached.any() else math.nan})


def _judge_order(claim: Order, params, data, alpha, replicas) -> _Judgement:
    quantity, order = np.broadcast_arrays(_values(claim.quantity, params, data), _values(claim.order, params, data))
    problem = _nonfinite("quantity", quantity) or _nonfinite("order", order)
    if not problem and (np.any(order <= 0) or np.any(quantity <= 0)):
        problem = "an implied constant needs positive quantity and order"
    constant = quantity / np.where(order > 0, order, np.nan)
    sizes = None if claim.size is None else np.broadcast_to(_values(claim.size, params, data), constant.shape)
    at_largest = constant
    if sizes is not None and constant.ndim >= 1:  # the ladder runs along the last axis
        at_largest = constant[..., int(np.argmax(sizes.reshape(-1, sizes.shape[-1])[0]))]
    implied = acceptance.mean_interval(shapes.per_replica(at_largest, replicas), alpha)
    summary = f"implied constant C = {implied.estimate:.4g} [{implied.lo:.4g}, {implied.hi:.4g}]"
    if problem:
        return _Judgement(Verdict.ERROR, implied, (-math.inf, math.inf), "implied constant", implied, math.nan, problem)
    if sizes is None or np.ptp(sizes) == 0:
        return _Judgement(Verdict.INCONCLUSIVE, implied, (-math.inf, math.inf), "implied constant", implied, math.nan,
                          f"holds with {summary} at this single size; the paper states no constant, so no verdict "
                          "without a ladder of sizes")
    tol, allowance = _slope_tolerance(claim, sizes, params, data)
    if tol is None:
        return _Judgement(Verdict.ERROR, implied, (-math.inf, math.inf), "implied constant", implied, math.nan,
                          allowance)
    trend = acceptance.slope_interval(np.log(sizes), np.log(constant), alpha, within_rows=constant.ndim == 2)
    region = {"upper": (-math.inf, tol), "vanishing": (-math.inf, -tol if tol else 0.0),
              "lower": (-tol, math.inf), "both": (-tol, tol)}[NOTATIONS[claim.notation]]
    verdict = acceptance.decide(trend, *region)
    return _Judgement(verdict, trend, region, "slope of log C against log size", implied, 0.0,
                      f"{summary} at the largest size; its log-log slope along the ladder is "
                      f"{trend.estimate:.3g} [{trend.lo:.3g}, {trend.hi:.3g}]{allowance}")


def _slope_tolerance(claim: Order, sizes: np.ndarray, params, data) -> tuple[float | None, str]:
    """The slope an implied constant may have along the ladder ``sizes`` (see :class:`Order`), and the
    sentence that says where a ~ notation's allowance comes from; ``(None, reason)`` when it has none."""
    if claim.tol is not None:
        return claim.tol, ""
    if not claim.notation.endswith("~"):
        return (0.0 if claim.notation == "o" else 0.1), ""
    degree = float(_values(claim.polylog_degree, params, data))
    ladder = np.unique(sizes)
    if ladder.min() <= 1.0 or not math.isfinite(degree) or degree < 0:
        return None, (f"a {claim.notation} ladder needs sizes above 1 and a polylog degree >= 0 (sizes from "
                      f"{ladder.min():.4g}, degree {degree:g})")
    per_degree = float(np.polyfit(np.log(ladder), np.log(np.log(ladder)), 1)[0])
    tol = 0.1 + degree * per_degree
    return tol, (f"; {claim.notation} admits a factor (ln size)^{degree:g}, a slope of {degree * per_degree:.3g} "
                 f"on these sizes: tolerance {tol:.3g}")


_JUDGES = {Bound: _judge_bound, Ordering: _judge_ordering, Approx: _judge_approx,
           Probability: _judge_probability, Rate: _judge_rate, Duration: _judge_duration, Order: _judge_order}


def _judge(claim: Claim, params, data, alpha, replicas) -> _Judgement:
    return _JUDGES[type(claim)](claim, params, data, alpha, replicas)


def judge_empirical(claim: Claim, params: Mapping[str, float], data: Mapping[str, np.ndarray],
                    alpha: float, replicas: int | None = None,
                    declared: Mapping[str, tuple] | None = None) -> ClaimOutcome:
    """Judge an empirical claim and its negative control on the same measurements. With ``replicas``,
    a mean over an array with a leading replica axis and grid cells after it is taken per replica first
    (the interval counts replicas, never cells); ``declared`` shapes let ``claim.at`` pick a grid point."""
    if claim.at:
        data = shapes.select(data, declared or {}, claim.at, claim.label)
    own = _judge(claim, params, data, alpha, replicas)
    control_claim, control_note = controls.informative(claim, claim.control(), params, data, replicas)
    control = _judge(control_claim, params, data, alpha, replicas) if control_claim is not None else None
    verdict, detail = own.verdict, own.detail
    if verdict is Verdict.PASS:
        if control is None:
            verdict, detail = Verdict.INCONCLUSIVE, "no negative control: the PASS is not earned"
        elif control.verdict is not Verdict.FAIL:
            verdict = Verdict.INCONCLUSIVE
            detail = "; ".join(part for part in (
                f"negative control ({control_claim.describe()}) was not rejected: {control.verdict.value}",
                control_note) if part)
        elif control_note:  # the PASS was earned against the moved control: say where it was
            detail = "; ".join(part for part in (detail, "negative control: " + control_note) if part)
    control_dict = None if control is None else {
        "description": control_claim.describe(), "verdict": control.verdict.value,
        "rejected": control.verdict is Verdict.FAIL, "claimed": control.claimed,
        "ci": (control.interval.lo, control.interval.hi), "region": control.region,
        **({"note": control_note} if control_note else {})}
    lo, hi = own.interval.lo, own.interval.hi
    tested = own.verdict is not Verdict.ERROR
    relation, scale = _relation_and_scale(claim, own)
    assessment = power.assess(own.interval, own.region, alpha, scale, relation, own.observed.estimate,
                              own.claimed) if tested else None
    if verdict is Verdict.PASS and assessment and assessment["no_power"]:
        detail = "; ".join(part for part in (detail, "no power: " + assessment["reason"]) if part)
    if claim.at:
        detail = "; ".join(part for part in (f"judged at {_selection(claim.at)}", detail) if part)
    return ClaimOutcome(
        label=claim.label, kind=type(claim).__name__, description=claim.describe(), verdict=verdict.value,
        observed=own.observed.estimate, observed_ci=(own.observed.lo, own.observed.hi), claimed=own.claimed,
        statistic=own.statistic, ci=(lo, hi), region=own.region, alpha=alpha, n=own.interval.n,
        resolution=(hi - lo) / 2 if math.isfinite(hi - lo) else None, control=control_dict,
        detail="; ".join(part for part in (detail, _extras(own.extra)) if part),
        p_fail=acceptance.p_fail(own.interval, *own.region) if tested else None,
        p_pass=acceptance.p_pass(own.interval, *own.region) if tested else None,
        estimate=own.interval.estimate, relation=region_text(own.region), power=assessment,
        at=dict(claim.at) if claim.at else None)


def _selection(at: Mapping[str, Any]) -> str:
    """The grid point of ``at`` as a reader says it: ``sigma0 = 0.0001`` for a label, ``k[2]`` for an index."""
    def one(axis: str, value: Any) -> str:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return f"{axis} = {value}"
        return f"{axis}[{value}]" if isinstance(value, int) else f"{axis} = {value:g}"
    return ", ".join(one(axis, value) for axis, value in at.items())


def region_text(region: tuple[float, float]) -> str:
    """The acceptance region as a relation: '<= 0', '>= 0.95', 'within [0.9, 1.1]'."""
    lower, upper = region
    if math.isinf(lower) and lower < 0:
        return f"<= {upper:.4g}"
    if math.isinf(upper) and upper > 0:
        return f">= {lower:.4g}"
    return f"within [{lower:.4g}, {upper:.4g}]"


def _relation_and_scale(claim: Claim, own: _Judgement) -> tuple[str | None, float | None]:
    """The relation of a one-sided bound on the quantity's own scale (None for other claims: only a
    bound has a slack), and how large a violation is in the claim's own terms."""
    claimed = own.claimed if math.isfinite(own.claimed) else None
    if isinstance(claim, Bound):
        return claim.relation, None if claimed is None else abs(claimed)
    if isinstance(claim, Probability):
        if claim.relation in ("<=", ">="):
            return claim.relation, None if claimed is None else (claimed if claim.relation == "<=" else 1 - claimed)
        return None, claim.atol
    if isinstance(claim, Rate):
        return None, claim.tol if claim.direction == "exact" else (None if claimed is None else abs(claimed))
    if isinstance(claim, Approx):
        return None, claim.rtol
    if isinstance(claim, Duration):
        return None, math.log1p(claim.rtol)
    return None, None  # an ordering or an order claim has no scale of its own: its MDE is shown, never flagged


def _extras(extra: dict[str, Any]) -> str:
    return ", ".join(f"{k} = {v:.4g}" for k, v in extra.items())


_DECIDERS = {Identity: symbolic.decide_identity, Implication: symbolic.decide_implication, Limit: symbolic.decide_limit,
             Exponent: symbolic.decide_exponent}
_SYMBOLIC_VERDICTS = {"proved": Verdict.SYMBOLIC, "refuted": Verdict.FAIL, "undecided": Verdict.INCONCLUSIVE}


def judge_symbolic(claim: Claim) -> ClaimOutcome:
    """Decide a symbolic claim: SYMBOLIC when proved, FAIL when refuted, INCONCLUSIVE otherwise."""
    outcome = _DECIDERS[type(claim)](claim)
    return ClaimOutcome(label=claim.label, kind=type(claim).__name__, description=claim.describe(),
                        verdict=_SYMBOLIC_VERDICTS[outcome.status].value, statistic="sympy", detail=outcome.detail)
