"""huang2022's appendix dynamics along a ladder of class counts ``k`` (issue 19): the quantities its
O~(.) statements bound, measured at several ``k`` so that their implied constants are judged by trend.

The paper's orders are in ``k``, "the only growing parameter" (section 1 of the team's note,
``papers/modality-competition.md``). This check runs the shared training
(:func:`checks.modality_competition.joint_vs_unimodal`, called as a function) at ``k`` on a geometric
ladder from ``k_min`` to ``k_max``, every other size scaled with ``k`` from the reference instance that
the parameters give at ``k_ref = k`` (note section 5.1, the instance of the single-size results):

* ``n = n_ref k / k_ref`` and ``d = d_ref k / k_ref``: ``n, d = poly(k)`` (section 1), linear, which keeps
  ``n / k`` training pairs per class and ``d / n`` (trap 5.3c: competition needs ``d >~ n``) as at ``k_ref``;
* ``sigma0 = sigma0_ref (k_ref / k)^(1/(q-2))``: the paper's ``sigma0^(q-2) = 1/k``, with the constant fixed
  at ``k_ref`` (the paper's constant 1 gives ``sigma0 = varrho`` at ``k = 10``, outside the regime, note 5.1);
* ``eta = eta_ref k / k_ref``: the per-class rate ``eta C^r_j = Theta(eta / k)`` that Lemma A.15's premise
  ``eta C_t A^(q-2) <= poly(G)`` constrains, and the per-sample rate ``eta / n`` of memorisation, stay those
  of ``k_ref``, so gradient descent is as close to gradient flow at every ``k``;
* ``steps = steps_ref k / k_ref`` and ``record_every = record_every_ref k / k_ref``: ``T`` a fixed multiple of
  ``T_0 = Theta~(k / (eta sigma0^(q-2)))`` (Claim A.7), which grows like ``k`` under the two lines above, and
  the same number of recorded iterations at every ``k``;
* ``s = s_ref ln k / ln k_ref`` (rounded, at least 1): ``s = polylog(k)`` (section 1, R-low), so that ``s / k``
  falls along the ladder as ``s << k`` asks;
* fixed: ``m`` and ``varrho`` (polylog(k): a constant is the degree-0 polylog, so no polylog factor of the
  orders moves along the ladder), ``q``, the noise norm ``sigma_p sqrt d``, ``mu_r`` and the coefficient ranges.

Every size uses the same seeds. Returned (``R`` replicas, ``L`` sizes): every quantity of
:data:`LADDER_KEYS` stacked along the ladder, ``(R, L)``; ``k_ladder (L,)`` and the scaled sizes
``n_at_k``, ``d_at_k``, ``sigma0_at_k``, ``eta_at_k``, ``steps_at_k``, ``s_at_k`` ``(L,)``.

Interface of :mod:`checks`: ``modality_competition_ladder(params, replicas, seeds, device)``.
"""
from __future__ import annotations

import math
from typing import Mapping, Sequence

import numpy as np

from checks._params import check_seeds, int_param, require
from checks.modality_competition import REQUIRED_PARAMS, joint_vs_unimodal

__all__ = ["LADDER_PARAMS", "LADDER_KEYS", "SIZE_KEYS", "ladder_ks", "ladder_params", "modality_competition_ladder"]

LADDER_PARAMS = ("k_min", "k_max", "ladder_points")

#: The per-replica scalars of :func:`joint_vs_unimodal` that the appendix's O~ statements bound (and the
#: counts their orders use), stacked along the ladder.
LADDER_KEYS = (
    "ih_nonfeature_preact_over_sigma0", "ih_gamma_max", "ih_offdiag_max_over_sigma0",
    "init_preact_max_over_sigma0", "uni_gamma_max", "uni_offdiag_max_over_sigma0",
    "fa5_train_dev_joint", "fa5_train_dev_uni", "fa6_ratio_max",
    "a8_memo_drop_over_sigma0", "a8_offclass_noise_over_sigma0",
    "a9_memo_sum_max", "a9_insuff_loss_sum_joint", "n_insuff_joint",
    "a10_offtarget_output_max", "a10_target_approx_dev",
    "a11_psi_stage2_max_joint", "a11_loss_stage2_joint", "T0_joint",
    "a12_psi_stage1_max", "a12_offtarget_mass_max",
    "a13_phi_max", "a16_grad_sum_max", "a17_diag_min_over_sigma0",
    "a19_noise_suff_over_sigma0", "a19_noise_test_over_sigma0", "a19_noise_upper_over_sigma0", "a19_memo_max",
    "a19_memo_neg_over_sigma0",
)
#: The scaled sizes, one value per rung, by output name and the training parameter they come from.
SIZE_KEYS = {"n_at_k": "n", "d_at_k": "d", "sigma0_at_k": "sigma0", "eta_at_k": "eta", "steps_at_k": "steps",
             "s_at_k": "s"}


def ladder_ks(k_min: int, k_max: int, points: int) -> list[int]:
    """``points`` integers geometrically spaced from ``k_min`` to ``k_max`` (rounded); ValueError when two
    rungs round to the same ``k`` or ``k_min < 3`` (``s >= 1`` off-target features need ``k - 2 >= 1``)."""
    if k_min < 3 or k_max <= k_min or points < 2:
        raise ValueError(f"modality_competition_ladder: need 3 <= k_min < k_max and ladder_points >= 2, got "
                         f"k_min={k_min}, k_max={k_max}, ladder_points={points}")
    ks = [round(k_min * (k_max / k_min) ** (i / (points - 1))) for i in range(points)]
    if len(set(ks)) != points:
        raise ValueError(f"modality_competition_ladder: the rungs {ks} repeat a k; use fewer ladder_points or a "
                         "wider [k_min, k_max]")
    return ks


def ladder_params(params: Mapping[str, float], k: int) -> dict[str, float]:
    """The training parameters at ``k``: the reference instance (at ``k_ref = params['k']``) with ``n``, ``d``,
    ``eta``, ``steps``, ``record_every`` scaled like ``k``, ``sigma0`` like ``k^(-1/(q-2))`` and ``s`` like
    ``ln k`` (see the module docstring for why each)."""
    k_ref, q = int_param(params, "k"), int_param(params, "q")
    ratio = k / k_ref
    s = max(1, round(float(params["s"]) * math.log(k) / math.log(k_ref)))
    if s > k - 2:
        raise ValueError(f"modality_competition_ladder: s = {s} off-target features at k = {k} leave no class "
                         "absent from a sample; raise k_min")
    base = {key: params[key] for key in REQUIRED_PARAMS}
    return {**base, "k": k, "n": round(float(params["n"]) * ratio), "d": round(float(params["d"]) * ratio),
            "sigma0": float(params["sigma0"]) * ratio ** (-1.0 / (q - 2)), "eta": float(params["eta"]) * ratio,
            "steps": round(float(params["steps"]) * ratio),
            "record_every": max(1, round(float(params["record_every"]) * ratio)), "s": s}


def modality_competition_ladder(params: Mapping[str, float], replicas: int, seeds: Sequence[int],
                                device: str) -> dict[str, np.ndarray]:
    """Train at every rung of the ladder (:func:`ladder_ks`, :func:`ladder_params`) and stack the appendix
    quantities: ``LADDER_KEYS`` as ``(R, L)``, ``k_ladder`` and ``SIZE_KEYS`` as ``(L,)``."""
    require(params, (*REQUIRED_PARAMS, *LADDER_PARAMS), "modality_competition_ladder")
    check_seeds(replicas, seeds)
    ks = ladder_ks(int_param(params, "k_min"), int_param(params, "k_max"), int_param(params, "ladder_points"))
    rungs = [ladder_params(params, k) for k in ks]
    runs = [joint_vs_unimodal(rung, replicas, seeds, device) for rung in rungs]
    result = {key: np.stack([run[key] for run in runs], axis=1) for key in LADDER_KEYS}
    result["k_ladder"] = np.array(ks, dtype=float)
    result.update({name: np.array([rung[key] for rung in rungs], dtype=float) for name, key in SIZE_KEYS.items()})
    return result


modality_competition_ladder.shapes = {**{key: ("replica", "k_ladder") for key in LADDER_KEYS},
                                      "k_ladder": ("k_ladder",), **{name: ("k_ladder",) for name in SIZE_KEYS}}
