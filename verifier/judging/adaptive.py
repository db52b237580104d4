"""Claims judged by anytime-valid tests, for ``verify --adaptive`` (issue 22, point 1).

A claim can stop early only when each replica gives it values whose range is known in advance:
a ``Bound`` with ``statistic="mean"`` whose ``support`` is declared, whose bound is one number and
whose quantity is one value per replica (betting e-processes on quantity - bound), or a
``Probability`` of 0/1 outcomes (Robbins' beta-binomial mixtures on the pooled count; outcomes
within a replica are taken as independent, as the fixed-n Clopper-Pearson interval takes them). Its verdict is then read from the e-values of
:mod:`verifier.judging.sequential` after every round of replicas: FAIL as soon as the evidence that
it fails reaches 2 / alpha, PASS as soon as the evidence that it holds does and its negative control
(the one the fixed-n judge uses, :func:`verifier.judging.controls.informative`) FAILs the same way.
Every other claim is judged at the full replica count by its fixed-n interval.
"""
from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from verifier.judging import controls, sequential, shapes, symbolic
from verifier.judging.verdicts import Verdict
from verifier.spec.claims import Bound, Claim, Probability

BETTING = "betting e-process (Waudby-Smith & Ramdas 2023)"
MIXTURE = "beta-binomial mixture (Robbins 1970)"


@dataclass(frozen=True)
class Stream:
    """One value per replica, their known range, and the claim's acceptance region on that scale."""

    values: np.ndarray
    lo: float
    hi: float
    region: tuple[float, float]
    test: str

    def decision(self) -> sequential.Decision:
        if self.test == MIXTURE:
            return sequential.probability_decision(self.values, *self.region)
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


def static_reason(claim: Claim) -> str | None:
    """Why the claim can have no sequential test whatever its data (None when it may have one)."""
    if isinstance(claim, Probability):
        return None
    if isinstance(claim, Bound) and claim.statistic == "mean":
        return None if claim.support is not None else "no support (range of its quantity) is declared"
    return (f"a {type(claim).__name__} claim{' of a pooled proportion' if isinstance(claim, Bound) else ''} has no "
            "sequential test (only a Bound with a declared support or a Probability)")


def stream(claim: Claim, params: Mapping[str, float], data: Mapping[str, np.ndarray], replicas: int,
           declared: Mapping[str, tuple] | None = None) -> Stream:
    """The claim's per-replica stream; NotAdaptive says why there is none."""
    if (reason := static_reason(claim)) is not None:
        raise NotAdaptive(reason)
    if claim.at:
        data = shapes.select(data, declared or {}, claim.at, claim.label)
    if isinstance(claim, Bound):
        bound = _one_number(claim.bound, params, data, "bound")
        lo, hi = (float(v) for v in claim.support)
        values = _per_replica(claim.quantity, params, data, replicas)
        if np.any((values < lo) | (values > hi)):
            raise NotAdaptive(f"a value lies outside its declared support [{lo:g}, {hi:g}]")
        region = (-math.inf, 0.0) if claim.relation == "<=" else (0.0, math.inf)
        return Stream(values - bound, lo - bound, hi - bound, region, BETTING)
    value = _one_number(claim.value, params, data, "value")
    events = np.asarray(symbolic.evaluate(claim.event, params, data), dtype=float)
    if events.size == 0 or (events.ndim != 1 and events.shape[0] != replicas):
        raise NotAdaptive(f"its events have shape {events.shape}: neither pooled nor with a leading replica axis")
    if not np.all((events == 0) | (events == 1)):
        raise NotAdaptive("its event values are not all 0 or 1")
    region = {">=": (value, math.inf), "<=": (-math.inf, value)}.get(
        claim.relation, (value - claim.atol, value + claim.atol))
    return Stream(events.ravel(), 0.0, 1.0, region, MIXTURE)


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
          declared: Mapping[str, tuple] | None = None) -> Sequential:
    """The claim's anytime verdict on its first ``replicas`` replicas (NotAdaptive when it has none)."""
    own_stream = stream(claim, params, data, replicas, declared)
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
    return Sequential(verdict, own, control, own_stream.test, cs)


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
            "statistic": re.sub(r" \(.*\)$", "", outcome.get("statistic", "")) + " (confidence sequence)",
            "replicas_used": used, "replicas_maximum": maximum,
            "sequential": {"test": judged.test, "e_fail": _finite(judged.own.e_fail),
                           "e_pass": _finite(judged.own.e_pass), "threshold": 2 / outcome["alpha"],
                           "confidence_sequence": [_finite(v) for v in judged.cs]}}


def _finite(value: float) -> float | str:
    """JSON-safe: 'inf' or 'nan' for a non-finite value (as ``ClaimOutcome.to_dict`` writes them)."""
    return value if math.isfinite(value) else str(value)
