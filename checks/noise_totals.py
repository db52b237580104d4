"""huang2024 Lemmas C.9 and D.5 along a ladder of sample sizes: the initial noise totals ``B^(0)``.

``B^(0)_{r,+-} = sum_{i: y_i = +-1} <w0_r, xi_i> 1[<w0_r, xi_i> > 0]`` (Lemma C.9; section C.1 of the team's
note). Given ``w0_r``, the correlations ``<w0_r, xi_i>`` over ``i`` are independent ``N(0, sigma_xi^2
||w0_r||^2)`` and ``||w0_r||^2 / (sigma0^2 d)`` is ``chi^2_d / d``, so per neuron
``B^(0)_{r,+-} / (sigma0 sigma_xi sqrt d) = s_r sum_{i: y_i = +-1} z_{r,i}^+`` with ``s_r = sqrt(chi^2_d / d)``
and ``z`` standard normal: drawn exactly, at any ``d``, without the ``d``-dimensional vectors. The
correlation between two neurons' totals (of order ``d^{-1/2}``) is not drawn; every claim is per neuron.

The ladder is nested: size ``n_k = n 2^k`` (``k < ladder_points``) uses the first ``n_k`` pairs of one draw of
``n 2^(ladder_points - 1)`` pairs per replica, so the trend along ``n`` is not blurred by fresh noise at each size.

Interface of :mod:`checks`: ``noise_totals_ladder(params, replicas, seeds, device)``; replica ``i`` draws on
the CPU from ``torch.Generator().manual_seed(seeds[i])``, in float64.
"""
from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np
import torch

from checks._params import check_seeds, int_param, per_replica, require, to_numpy
from verifier.running.compute import fixed_precision

__all__ = ["REQUIRED_PARAMS", "noise_totals_ladder"]

F64 = torch.float64
REQUIRED_PARAMS = ("d", "n", "m", "ladder_points")


@fixed_precision("float64", "tail events of sums of half-normals; the cost is drawing, not arithmetic")
def noise_totals_ladder(params: Mapping[str, float], replicas: int, seeds: Sequence[int],
                        device: str) -> dict[str, np.ndarray]:
    """Per replica, with ``L = ladder_points`` and ``n_k = n 2^k``:

    * ``B0_ratio (R, 2m)``: ``B^(0)_{r,+}`` then ``B^(0)_{r,-}`` over ``sigma0 sigma_xi sqrt(d n)`` at the lemma's ``n``;
    * ``B0_ratio_ladder (R, L, 2m)``: the same at every ``n_k`` (over ``sigma0 sigma_xi sqrt(d n_k)``);
    * ``B0_mean_ladder (R, L)``: its mean over the ``2m`` neuron-signs;
    * ``D5_ratio (R, 2m)``, ``D5_mean_ladder (R, L)``: the same for Lemma D.5's ``B^(0)_{r,+-,+}``, whose terms
      also need the other modality's ``<v0_r, xi~_i> > 0`` (an independent fair sign; the law of ``B~`` is the same);
    * ``n_ladder (L,)``: the sizes ``n_k`` (no replica axis).
    """
    require(params, REQUIRED_PARAMS, "noise_totals_ladder")
    check_seeds(replicas, seeds)
    n, d, m, points = (int_param(params, k) for k in ("n", "d", "m", "ladder_points"))
    if n < 2 or d < 1 or m < 1 or points < 1:
        raise ValueError(f"noise_totals_ladder: need n >= 2, d >= 1, m >= 1, ladder_points >= 1; got "
                         f"n={n}, d={d}, m={m}, ladder_points={points}")
    sizes = [n * 2 ** k for k in range(points)]
    n_max = sizes[-1]

    def one(_: int, seed: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        g = torch.Generator(device="cpu").manual_seed(seed)
        labels = torch.randint(0, 2, (n_max,), generator=g, dtype=torch.int64) * 2 - 1
        z = torch.randn(m, n_max, generator=g, dtype=F64)
        scale = torch.randn(m, d, generator=g, dtype=F64).pow(2).mean(-1).sqrt()     # ||w0_r|| / (sigma0 sqrt d)
        other = torch.randint(0, 2, (m, n_max), generator=g, dtype=torch.int64).to(F64)  # 1[<v0_r, xi~_i> > 0]
        return labels, scale, z, other

    rows = per_replica(one, seeds)
    dev = torch.device(device)
    y, s, z, other = (torch.stack([row[i] for row in rows]).to(dev) for i in range(4))  # (R, N), (R, m), (R, m, N) x 2
    pos = z.clamp_min(0.0) * s.unsqueeze(-1)                                       # <w0_r, xi_i>^+ / (sigma0 sigma_xi sqrt d)
    index = torch.tensor([k - 1 for k in sizes], device=dev)
    root = torch.tensor(sizes, dtype=F64, device=dev).sqrt().view(1, -1, 1)

    def ladder_of(terms: torch.Tensor) -> torch.Tensor:
        """Per size n_k, the totals over i <= n_k with y_i = +1, then -1, over sqrt(n_k): (R, L, 2m)."""
        plus = torch.cumsum(terms * (y > 0).unsqueeze(1), -1)[..., index]
        minus = torch.cumsum(terms * (y < 0).unsqueeze(1), -1)[..., index]
        return torch.cat([plus, minus], 1).transpose(1, 2) / root

    c9, d5 = ladder_of(pos), ladder_of(pos * other)
    return to_numpy({"B0_ratio": c9[:, 0], "B0_ratio_ladder": c9, "B0_mean_ladder": c9.mean(-1),
                     "D5_ratio": d5[:, 0], "D5_mean_ladder": d5.mean(-1),
                     "n_ladder": np.array(sizes, dtype=float)}, "noise_totals_ladder")
