"""Negative controls that the data could fail to reject.

A ``>=`` :class:`~verifier.spec.claims.Bound`'s default control multiplies its bound by
``control_factor``. On a quantity with a ceiling (an accuracy, a probability, a cosine) that often lands
beyond every value the check can return (``accuracy >= 1.5``): any data reject it, and its rejection
says nothing. Such a control is moved to just beyond the plausible range of the measurement: the mean of
the per-replica values plus ``control_margin`` of their standard deviations. The data reject it only when
their interval resolves that margin (a t interval over n replicas does from n = 4 on, at alpha = 0.05 and
the default margin of 2, whatever the values); a measurement with no spread keeps the default control.
Where the claim declares its quantity's range (``Bound(..., support=(lo, hi))``, e.g. (0, 1) for an
accuracy), the control is instead the claim with its bound moved half-way to the range's end: a false
variant fixed before the data are seen, which noisy or too few replicas fail to reject (the claim is then
INCONCLUSIVE, its PASS not earned).
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
    if not (isinstance(claim, Bound) and isinstance(control, Bound) and claim.relation == ">="
            and claim.statistic == "mean" and claim.explicit_control is None):
        return control, ""
    quantity = symbolic.evaluate(claim.quantity, params, data)
    tightened = np.broadcast_to(symbolic.evaluate(control.bound, params, data), np.shape(quantity))
    values = shapes.per_replica(quantity, replicas)
    if values.size < 2 or not np.all(np.isfinite(values)) or not np.all(np.isfinite(tightened)):
        return control, ""
    if not np.all(np.asarray(quantity) < tightened):  # some value reaches the tightened bound: it is informative
        return control, ""
    if claim.support is not None and float(np.max(symbolic.evaluate(claim.bound, params, data))) < claim.support[1]:
        # the quantity's declared range gives a false variant that does not look at the data: half-way from the
        # bound to the range's end, which noisy data can fail to reject
        top = sp.Float(claim.support[1])
        note = (f"the default control (bound x {claim.control_factor:g}, {float(np.mean(tightened)):.4g}) lies beyond "
                f"every measured value, so any data would reject it; moved half-way from the bound to the end of the "
                f"quantity's declared range [{claim.support[0]:g}, {claim.support[1]:g}]")
        return replace(control, bound=claim.bound + (top - claim.bound) / 2), note
    mean, spread = float(values.mean()), float(values.std(ddof=1))
    moved = mean + claim.control_margin * spread
    if spread == 0 or moved >= float(np.min(tightened)):  # no spread to state a margin in, or already near
        return control, ""
    note = (f"the default control (bound x {claim.control_factor:g}, {float(np.mean(tightened)):.4g}) lies beyond "
            f"every measured value, so any data would reject it; moved to mean + {claim.control_margin:g} sd of the "
            f"replicas = {moved:.4g}")
    return replace(control, bound=sp.Float(moved)), note
