"""Negative controls that the data could fail to reject.

A :class:`~verifier.spec.claims.Bound`'s default control tightens its bound by ``control_factor``
(multiplies a ``>=`` bound, divides a ``<=`` one). On a quantity with a known range that can go wrong
two ways: the tightened bound lands beyond every value the check can return (``accuracy >= 1.5``), so
any data reject it and its rejection says nothing; or the bound is negative, and the "tightened" bound
is looser than the claim (``cos <= -0.4`` tightened to ``cos <= -0.2``), so no data that satisfy the
claim can reject it.

Where the claim declares its quantity's range (``Bound(..., support=(lo, hi))``, e.g. (0, 1) for an
accuracy), the control is fixed before the data are seen, the same way for both directions: the default
control is kept when it is stricter than the claim and strictly inside the range; otherwise the bound is
moved half-way to the range's end (``hi`` for ``>=``, ``lo`` for ``<=``). ``accuracy >= 0.75`` on
[0, 1] gets ``accuracy >= 0.875`` (1.5 is out of reach); ``accuracy >= 0.4`` keeps ``accuracy >= 0.8``;
``error <= 0.2`` keeps ``error <= 0.1``; ``cos <= -0.4`` on [-1, 1] gets ``cos <= -0.7`` and
``cos >= -0.5`` gets ``cos >= 0.25`` (the default, halving or doubling a negative bound, would loosen
it). Noisy or too few replicas fail to reject such a control, and the claim is then INCONCLUSIVE, its
PASS not earned.

Without a declared range, a ``>=`` Bound's default control that lies beyond every measured value is
moved to just beyond the plausible range of the measurement: the mean of the per-replica values plus
``control_margin`` of their standard deviations. The data reject it only when their interval resolves
that margin (a t interval over n replicas does from n = 4 on, at alpha = 0.05 and the default margin of
2, whatever the values: a control that shows little); a measurement with no spread keeps the default.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

import numpy as np
import sympy as sp

from verifier.judging import shapes, symbolic
from verifier.spec.claims import Bound, Claim


def informative(claim: Claim, control: Claim | None, params: Mapping[str, float],
                data: Mapping[str, np.ndarray], replicas: int | None) -> tuple[Claim | None, str]:
    """The control to judge, and a note saying why it differs from ``control`` ('' when it does not)."""
    if not (isinstance(claim, Bound) and isinstance(control, Bound) and claim.statistic == "mean"
            and claim.explicit_control is None):
        return control, ""
    if claim.support is not None:
        moved = _within_support(claim, control, params, data)
        if moved is not None:
            return moved
    if claim.relation != ">=":
        return control, ""
    quantity = symbolic.evaluate(claim.quantity, params, data)
    tightened = np.broadcast_to(symbolic.evaluate(control.bound, params, data), np.shape(quantity))
    values = shapes.per_replica(quantity, replicas)
    if values.size < 2 or not np.all(np.isfinite(values)) or not np.all(np.isfinite(tightened)):
        return control, ""
    if not np.all(np.asarray(quantity) < tightened):  # some value reaches the tightened bound: it is informative
        return control, ""
    mean, spread = float(values.mean()), float(values.std(ddof=1))
    moved = mean + claim.control_margin * spread
    if spread == 0 or moved >= float(np.min(tightened)):  # no spread to state a margin in, or already near
        return control, ""
    note = (f"the default control (bound x {claim.control_factor:g}, {float(np.mean(tightened)):.4g}) lies beyond "
            f"every measured value, so any data would reject it; moved to mean + {claim.control_margin:g} sd of the "
            f"replicas = {moved:.4g}")
    return replace(control, bound=sp.Float(moved)), note


def _within_support(claim: Bound, control: Bound, params: Mapping[str, float],
                    data: Mapping[str, np.ndarray]) -> tuple[Claim, str] | None:
    """The control fixed by the declared range, with its note ('' when the default is kept); None when the
    bound is not strictly inside the range, where no half-way point is a false variant (the data decide)."""
    lo, hi = (float(v) for v in claim.support)
    upper = claim.relation == "<="
    end = lo if upper else hi
    bound = np.asarray(symbolic.evaluate(claim.bound, params, data), dtype=float)
    default = np.asarray(symbolic.evaluate(control.bound, params, data), dtype=float)
    if bound.size == 0 or not np.all(np.isfinite(bound)) or not np.all(np.isfinite(default)):
        return None
    bound, default = np.broadcast_arrays(bound, default)
    sign = -1.0 if upper else 1.0  # stricter = further from the bound towards the range's end
    if not np.all(sign * (end - bound) > 0):  # the bound sits at or beyond the range's end somewhere
        return None
    stricter = sign * (default - bound) > 0
    inside = sign * (end - default) > 0
    if np.all(stricter & inside):
        return control, ""  # the default control is a false variant strictly inside the range: kept
    where = f"[{lo:g}, {hi:g}]"
    default_text = (f"the default control (bound {'/' if upper else 'x'} {claim.control_factor:g}, "
                    f"{float(np.mean(default)):.4g})")
    if not np.all(stricter):
        why = "is not stricter than the claim (the bound is negative), so no data that satisfy the claim reject it"
    else:
        why = "lies at or beyond the end of the quantity's declared range, so any data short of that end reject it"
    note = (f"{default_text} {why}; moved half-way from the bound to the {'lower' if upper else 'upper'} end of the "
            f"declared range {where}")
    return replace(control, bound=claim.bound + (sp.Float(end) - claim.bound) / 2), note
