"""Claims judged by anytime-valid tests, for ``verify --adaptive`` (issue 22, point 1).

A claim can stop early only when each replica gives it values whose range is known in advance:

- a ``Bound`` with ``statistic="mean"`` whose ``support`` is declared, whose bound is one number and
  whose quantity is one value per replica: betting e-processes on quantity - bound;
- a ``Bound`` with ``statistic="proportion"`` (an error rate over ``trials`` points per replica, judged
  at fixed n by the pooled Clopper-Pearson interval): betting e-processes on each replica's proportion,
  a mean of values in [0, 1], against the bound. Not a Bernoulli or beta-binomial mixture over the
  pooled trials: the trials of one replica share its trained network (or its draw of weights), so
  they are not independent and a mixture over them is not a supermartingale under the null; the
  replicas are independent (their own seeds), so a bounded-mean test on one proportion per replica is
  valid whatever the dependence inside a replica. Its estimand, the mean of the per-replica
  proportions, is the pooled proportion the fixed-n interval judges. Such a bound may sit close to 0
  (zero training error read as below 1/(2n)), where no test on one value per replica in [0, 1] can
  decide with few replicas; the claim is then sequential only when data at the ends of [0, 1] could
  decide it both ways within the run's maximum (:func:`reachable`), otherwise it is judged at the
  maximum by its fixed-n interval, as before (the same holds for a Bound on a mean near an end of its
  support);
- a ``Probability`` of 0/1 outcomes: Robbins' beta-binomial mixtures on the pooled count (outcomes
  within a replica are taken as independent, as the fixed-n Clopper-Pearson interval takes them); with
  k outcomes per replica (events of shape (replica, ...), or pooled replica-major) the mixture is read
  at the end of each replica, not after each outcome (:func:`verifier.judging.sequential.bernoulli_e_last`).

Its verdict is then read from the e-values of :mod:`verifier.judging.sequential` after every round of
replicas: FAIL as soon as the evidence that it fails reaches 2 / alpha, PASS as soon as the evidence
that it holds does and its negative control (the one the fixed-n judge uses,
:func:`verifier.judging.controls.informative`) FAILs the same way. Every other claim is judged at the
full replica count by its fixed-n interval.
"""
from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import sympy as sp

from verifier.judging import controls, sequential, shapes, symbolic
from verifier.judging.verdicts import Verdict
from verifier.spec.claims import Bound, Claim, Probability

BETTING = "betting e-process (Waudby-Smith & Ramdas 2023)"
PROPORTIONS = "betting e-process on per-replica proportions (Waudby-Smith & Ramdas 2023)"
MIXTURE = "beta-binomial mixture (Robbins 1970)"
# the decision statistic of a test whose confidence sequence is not of the fixed-n judge's statistic
_STATISTICS = {PROPORTIONS: "mean of per-replica proportions"}


@dataclass(frozen=True)
class Stream:
    """One value per replica, their known range, and the claim's acceptance region on that scale."""

    values: np.ndarray
    lo: float
    hi: float
    region: tuple[float, float]
    test: str
    per_look: int = 1   # outcomes per replica of a probability: its mixture is read at replica ends

    def decision(self) -> sequential.Decision:
        if self.test == MIXTURE:
            return sequential.probability_decision(self.values, *self.region, per_look=self.per_look)
        return sequential.mean_decision(self.values, self.lo, self.hi, *self.region)


class NotAdaptive(ValueError):
    """Why a claim cannot be judged sequentially (it then runs at the full replica count)."""


def _one_number(expr: Any, params: Mapping[str, float], data: Mapping[str, np.ndarray], what: str) -> float:
    values = np.asarray(symbolic.evaluate(expr, params, data), dtype=float)
    if values.size == 0 or not np.all(values == values.flat[0]) or not math.isfinite(float(values.flat[0])):
        raise NotAdaptive(f"its {what} is not one finite number")
    return float(values.flat[0])


def _per_replica(expr: Any, params: Mapping[str, float], data: Mapping[str, np.ndarray], replicas: int) -> np.ndarray:
    values = np.asarray(symbolic.evaluate(expr, params, data), dtype=float)
    if values.shape != (replicas,):
        raise NotAdaptive(f"its measurement has shape {values.shape}, not one value per replica ({replicas},)")
    if not np.all(np.isfinite(values)):
        raise NotAdaptive("its measurement has NaN/inf values")
    return values


def _replica_proportions(claim: Bound, params: Mapping[str, float], data: Mapping[str, np.ndarray],
                         replicas: int) -> np.ndarray:
    """Each replica's proportion of a pooled-proportion Bound: its count (the quantity times ``trials``,
    rounded, as the fixed-n judge counts) over its trials, summed over the cells after the replica axis."""
    trials = _one_number(sp.sympify(claim.trials), params, data, "trials")
    if trials < 1 or trials != round(trials):
        raise NotAdaptive(f"its trials ({trials:g}) are not a positive whole number")
    quantity = np.asarray(symbolic.evaluate(claim.quantity, params, data), dtype=float)
    if quantity.ndim == 0 or quantity.shape[0] != replicas:
        raise NotAdaptive(f"its measurement has shape {quantity.shape}, with no leading replica axis ({replicas},)")
    if not np.all(np.isfinite(quantity)):
        raise NotAdaptive("its measurement has NaN/inf values")
    counts = np.rint(quantity * trials).reshape(replicas, -1)
    proportions = counts.sum(axis=1) / (trials * counts.shape[1])
    if np.any((proportions < 0) | (proportions > 1)):
        raise NotAdaptive("a replica's proportion lies outside [0, 1]")
    return proportions


def static_reason(claim: Claim) -> str | None:
    """Why the claim can have no sequential test whatever its data (None when it may have one)."""
    if isinstance(claim, Probability) or (isinstance(claim, Bound) and claim.statistic == "proportion"):
        return None
    if isinstance(claim, Bound):
        return None if claim.support is not None else "no support (range of its quantity) is declared"
    name = type(claim).__name__
    return (f"{'an' if name[0] in 'AEIOU' else 'a'} {name} claim has no sequential test (only a Bound with a declared support or of a "
            "pooled proportion, or a Probability)")


def fixed_n_claims(claims: Sequence[Claim]) -> dict[int, str]:
    """The empirical claims that no data can stop early (index -> :func:`static_reason`). Under
    ``--adaptive`` one of them sends its result straight to its full replica count: a result stops early
    only when every empirical claim is decided."""
    return {i: why for i, claim in enumerate(claims) if claim.empirical and (why := static_reason(claim)) is not None}


def reachable(found: Stream, alpha: float, maximum: int) -> bool:
    """Whether the stream's test could decide both ways within ``maximum`` replicas: PASS on values all at
    one end of its range and FAIL on values all at the other (the most favourable data for each side)."""
    verdicts = {replace(found, values=np.full(maximum, end)).decision().verdict(alpha) for end in (found.lo, found.hi)}
    return verdicts == {"PASS", "FAIL"}


def stream(claim: Claim, params: Mapping[str, float], data: Mapping[str, np.ndarray], replicas: int,
           declared: Mapping[str, tuple] | None = None) -> Stream:
    """The claim's per-replica stream; NotAdaptive says why there is none."""
    if (reason := static_reason(claim)) is not None:
        raise NotAdaptive(reason)
    if claim.at:
        data = shapes.select(data, declared or {}, claim.at, claim.label)
    if isinstance(claim, Bound) and claim.statistic == "proportion":
        bound = _one_number(claim.bound, params, data, "bound")
        region = (-math.inf, bound) if claim.relation == "<=" else (bound, math.inf)
        return Stream(_replica_proportions(claim, params, data, replicas), 0.0, 1.0, region, PROPORTIONS)
    if isinstance(claim, Bound):
        bound = _one_number(claim.bound, params, data, "bound")
        lo, hi = (float(v) for v in claim.support)
        values = _per_replica(claim.quantity, params, data, replicas)
        if np.any((values < lo) | (values > hi)):
            raise NotAdaptive(f"a value lies outside its declared support [{lo:g}, {hi:g}]")
        region = (-math.inf, 0.0) if claim.relation == "<=" else (0.0, math.inf)
        return Stream(values - bound, lo - bound, hi - bound, region, BETTING)
    value = _one_number(claim.value, params, data, "value")
    events = np.asarray(symbolic.evaluate(claim.event, params, data))
    if events.size == 0 or (events.ndim != 1 and events.shape[0] != replicas):
        raise NotAdaptive(f"its events have shape {events.shape}: neither pooled nor with a leading replica axis")
    try:
        events = sequential.as_outcomes(events)
    except ValueError:
        raise NotAdaptive("its event values are not all 0 or 1") from None
    region = {">=": (value, math.inf), "<=": (-math.inf, value)}.get(
        claim.relation, (value - claim.atol, value + claim.atol))
    # read the mixture once per replica's worth of outcomes (replica ends when, as declared for pooled
    # "events", the stream is replica-major with as many outcomes per replica): any set of reading times
    # is valid, since the running maximum over it is at most the maximum over every outcome
    per_look = max(1, events.size // replicas)
    return Stream(events.ravel(), 0.0, 1.0, region, MIXTURE, per_look)


@dataclass(frozen=True)
class Sequential:
    """A claim's sequential judgement after ``n`` replicas: the verdict so far ("undecided" while
    neither side, or the negative control, has decided) and the evidence."""

    verdict: str
    own: sequential.Decision
    control: sequential.Decision | None
    test: str
    cs: tuple[float, float]

    @property
    def decided(self) -> bool:
        return self.verdict != "undecided"


def judge(claim: Claim, params: Mapping[str, float], data: Mapping[str, np.ndarray], alpha: float, replicas: int,
          declared: Mapping[str, tuple] | None = None, maximum: int | None = None) -> Sequential:
    """The claim's anytime verdict on its first ``replicas`` replicas of at most ``maximum`` (default:
    ``replicas``); NotAdaptive when it has none, or when it is a Bound (on a mean or a pooled proportion)
    that even the most favourable data could not decide both ways within the maximum (:func:`reachable`):
    a bound near an end of its range, where a bet on one value per replica gains little per replica (16
    replicas of 0 move the evidence for ``mean <= 0.001`` on [0, 1] by a factor 1.016)."""
    own_stream = stream(claim, params, data, replicas, declared)
    limit = replicas if maximum is None else maximum
    if own_stream.test in (PROPORTIONS, BETTING) and not reachable(own_stream, alpha, limit):
        if own_stream.test == PROPORTIONS:
            bound = next(edge for edge in own_stream.region if math.isfinite(edge))
            raise NotAdaptive(f"its bound {bound:.4g} lies too close to 0 or 1 for one proportion per replica to "
                              f"decide it both ways within {limit} replicas")
        lo, hi = (float(v) for v in claim.support)
        raise NotAdaptive(f"its bound {lo - own_stream.lo:.4g} lies too close to an end of its support [{lo:g}, "
                          f"{hi:g}] for one value per replica to decide it both ways within {limit} replicas")
    own = own_stream.decision()
    # the control the fixed-n judge uses (a declared range fixes it before the data are seen), so that an
    # adaptive PASS is earned against the same false variant as a fixed one
    selected = shapes.select(data, declared or {}, claim.at) if claim.at else data
    control_claim, _ = controls.informative(claim, claim.control(), params, selected, replicas)
    control = None
    if control_claim is not None:
        try:
            control = stream(control_claim, params, data, replicas, declared).decision()
        except NotAdaptive:
            control = None
    verdict = own.verdict(alpha)
    if verdict == "PASS" and (control is None or control.verdict(alpha) != "FAIL"):
        verdict = "undecided"  # a PASS is earned only once the negative control is rejected
    if own_stream.test == MIXTURE:
        cs = sequential.probability_cs(int(own_stream.values.sum()), int(own_stream.values.size), alpha)
    else:
        cs = sequential.mean_cs(own_stream.values, own_stream.lo, own_stream.hi, alpha)
    test, k = own_stream.test, own_stream.per_look
    if test == MIXTURE and k > 1:
        test += (f", read after each replica's {k} outcomes" if own_stream.values.size == k * replicas
                 else f", read after every {k} outcomes (one replica's on average)")
    return Sequential(verdict, own, control, test, cs)


def apply(outcome: dict[str, Any], judged: Sequential, used: int, maximum: int) -> dict[str, Any]:
    """A fixed-n claim outcome (``ClaimOutcome.to_dict``) rewritten with the sequential judgement: its
    verdict, anytime p-values, confidence sequence (as ``ci``) and the replicas used of the maximum."""
    verdict, detail = judged.verdict, ""
    if verdict == "undecided":
        verdict = Verdict.INCONCLUSIVE.value
        reason = ("its negative control was not rejected" if judged.own.verdict(outcome["alpha"]) == "PASS"
                  else "neither side reached its e-value threshold")
        detail = f"undecided by the sequential test after {used} of {maximum} replicas: {reason}"
    elif verdict == "PASS" and (outcome.get("power") or {}).get("no_power"):
        detail = "no power: " + outcome["power"]["reason"]
    control = outcome.get("control")
    if control is not None and judged.control is not None:
        rejected = judged.control.verdict(outcome["alpha"]) == "FAIL"
        control = {**control, "verdict": Verdict.FAIL.value if rejected else Verdict.INCONCLUSIVE.value,
                   "rejected": rejected}
    return {**outcome, "verdict": verdict, "detail": detail, "control": control,
            "p_fail": judged.own.p_fail, "p_pass": judged.own.p_pass, "ci": [_finite(v) for v in judged.cs],
            "statistic": _STATISTICS.get(judged.test, re.sub(r" \(.*\)$", "", outcome.get("statistic", "")))
            + " (confidence sequence)",
            "replicas_used": used, "replicas_maximum": maximum,
            "sequential": {"test": judged.test, "e_fail": _finite(judged.own.e_fail),
                           "e_pass": _finite(judged.own.e_pass), "threshold": 2 / outcome["alpha"],
                           "confidence_sequence": [_finite(v) for v in judged.cs]}}


def _finite(value: float) -> float | str:
    """JSON-safe: 'inf' or 'nan' for a non-finite value (as ``ClaimOutcome.to_dict`` writes them)."""
    return value if math.isfinite(value) else str(value)
