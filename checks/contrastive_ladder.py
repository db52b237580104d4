"""huang2024 Theorems 4.2 and 4.3 along a ladder of sample sizes: the downstream errors as n grows.

The theorems are asymptotic in ``n``: ``L_{D_test} = Theta(1)`` single-modal and ``o(1)`` multi-modal. This
check trains both encoders (:func:`checks.contrastive.contrastive_comparison`, at the regime point
``n SNR^2 = snr_regime`` only) at ``n_k = n_min 2^k`` for ``k < ladder_points``, with ``d = n_k^2`` (the first
term of Assumption 4.1(1)) and the learning rate that keeps ``b = eta sigma_xi^2 d / (n m tau)`` at ``b_rate``,
so that the only thing that changes along the ladder is the size. Every size uses the same seeds.

Interface of :mod:`checks`: ``contrastive_ladder(params, replicas, seeds, device)``.
"""
from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np

from checks._params import int_param, require
from checks.contrastive import contrastive_comparison
from verifier.running.compute import fixed_precision

__all__ = ["LADDER_PARAMS", "contrastive_ladder"]

LADDER_PARAMS = ("n_min", "ladder_points", "b_rate")
_KEPT = {"err_dtest_multi_reg": "err_dtest_multi_ladder", "err_dtest_single_reg": "err_dtest_single_ladder",
         "err_dtest_perp_multi_reg": "err_dtest_perp_multi_ladder", "ratio_multi_reg": "ratio_multi_ladder"}


@fixed_precision("float64", "the training it repeats per size computes in float64 (checks.contrastive)")
def contrastive_ladder(params: Mapping[str, float], replicas: int, seeds: Sequence[int],
                       device: str) -> dict[str, np.ndarray]:
    """``err_dtest_multi_ladder``, ``err_dtest_single_ladder``, ``err_dtest_perp_multi_ladder`` (the multi-modal
    D_test error with the test noise projected orthogonally to ``mu``) and ``ratio_multi_ladder``
    (``max|gamma| / max rho``), each ``(R, L)``; ``n_ladder (L,)``: the sizes."""
    require(params, LADDER_PARAMS, "contrastive_ladder")
    n_min, points = int_param(params, "n_min"), int_param(params, "ladder_points")
    if n_min < 4 or points < 2:
        raise ValueError(f"contrastive_ladder: need n_min >= 4 and ladder_points >= 2, got {n_min}, {points}")
    sizes = [n_min * 2 ** k for k in range(points)]
    base = {k: v for k, v in params.items() if k not in LADDER_PARAMS}
    columns: dict[str, list[np.ndarray]] = {name: [] for name in _KEPT.values()}
    for size in sizes:
        d = size * size
        eta = float(params["b_rate"]) * size * float(params["m"]) * float(params["tau"]) / (float(params["sigma_xi"]) ** 2 * d)
        out = contrastive_comparison({**base, "n": size, "d": d, "eta": eta, "snr_points": 0, "explicit_steps": 0},
                                     replicas, seeds, device)
        for key, name in _KEPT.items():
            columns[name].append(out[key])
    result = {name: np.stack(values, axis=1) for name, values in columns.items()}
    result["n_ladder"] = np.array(sizes, dtype=float)
    return result
