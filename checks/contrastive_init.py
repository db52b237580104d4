"""Facts about the initialisation and the data of huang2024 (Appendix B, C.5-C.12, D.5-D.10), by Monte Carlo.

The objects are those :mod:`checks.contrastive` draws (section C.1 of the team's note): labels ``y``
uniform on {-1, 1}, noises ``xi_i, xi~_i ~ N(0, sigma_xi^2 I_d)``, augmentation noises
``eps_i ~ N(0, sigma_eps^2 I_d)``, initial weights ``w0_r, v0_r ~ N(0, sigma0^2 I_d)`` (``m`` each) and the
signals ``mu = ||mu|| e_0``, ``mu~ = C_mu ||mu|| e_0`` with ``||mu||^2 = snr_regime sigma_xi^2 d / n``. No
training: every quantity is a function of the draws at ``t = 0``, computed batched over replicas.

Exact large-``d`` samples. Several lemmas hold only for ``d`` far beyond what can be drawn (B.2: ``d`` of
order 1e10; C.6, D.6: more). Their conclusions only involve the normalised correlations
``<w0_r, mu>/(sigma0 ||mu||)`` (exactly standard normal at every ``d``) and
``<w0_r, xi_i>/(sigma0 sigma_xi sqrt d)`` (given the data, jointly ``N(0, Gram(xi)/(sigma_xi^2 d))``, which
tends to ``N(0, I)`` with corrections of relative size ``d^{-1/2}``). At such ``d`` they are drawn directly:
``mc_draws`` extra copies of the ``2m`` signal correlations per replica (B.2) and one ``(m, n)`` matrix of
i.i.d. standard normals per encoder standing for the noise correlations (C.6, D.6); the thresholds are
evaluated at the large ``d`` by the specs.

Interface of :mod:`checks`: ``contrastive_init(params, replicas, seeds, device)``. Replica ``i`` draws all
its random numbers on the CPU from ``torch.Generator().manual_seed(seeds[i])`` in a fixed order (so it is
the same whatever ``R`` or the device); everything else is computed batched on ``device``, in float64.
"""
from __future__ import annotations

import math
from typing import Mapping, Sequence

import numpy as np
import torch

from checks._params import check_seeds, int_param, per_replica, require, to_numpy
from verifier.running.compute import fixed_precision

_PRECISION_REASON = "tail events of normalised correlations, drawn once; the cost is drawing, not arithmetic"

__all__ = ["REQUIRED_PARAMS", "draw", "contrastive_init"]

F64 = torch.float64
REQUIRED_PARAMS = ("d", "n", "m", "sigma0", "sigma_xi", "sigma_eps", "C_mu", "snr_regime", "mc_draws")
_DRAWN = ("y", "xi", "eps", "xi_t", "w0", "v0", "z_mu_big", "y_big", "p_big", "pt_big")


def draw(params: Mapping[str, float], seeds: Sequence[int], device: str | torch.device = "cpu") -> dict[str, torch.Tensor]:
    """Per replica, in this order: labels ``y (n,)``, ``xi (n, d)``, ``eps (n, d)``, ``xi~ (n, d)``, ``w0 (m, d)``,
    ``v0 (m, d)`` (scaled), then the large-``d`` samples: ``z_mu_big (K, 2m)`` standard normals (B.2),
    ``y_big (K, n)`` extra label draws (B.3), ``p_big``, ``pt_big (m, n)`` standard normals (C.6, D.6);
    stacked on a leading replica axis and moved to ``device``."""
    n, d, m, K = (int_param(params, k) for k in ("n", "d", "m", "mc_draws"))
    sx, se, s0 = float(params["sigma_xi"]), float(params["sigma_eps"]), float(params["sigma0"])

    def one(_: int, seed: int) -> tuple[torch.Tensor, ...]:
        g = torch.Generator(device="cpu").manual_seed(seed)
        return (
            torch.randint(0, 2, (n,), generator=g, dtype=torch.int64) * 2 - 1,
            torch.randn(n, d, generator=g, dtype=F64) * sx,
            torch.randn(n, d, generator=g, dtype=F64) * se,
            torch.randn(n, d, generator=g, dtype=F64) * sx,
            torch.randn(m, d, generator=g, dtype=F64) * s0,
            torch.randn(m, d, generator=g, dtype=F64) * s0,
            torch.randn(K, 2 * m, generator=g, dtype=F64),
            torch.randint(0, 2, (K, n), generator=g, dtype=torch.int64) * 2 - 1,
            torch.randn(m, n, generator=g, dtype=F64),
            torch.randn(m, n, generator=g, dtype=F64),
        )

    rows = per_replica(one, seeds)
    cols = {key: [row[i] for row in rows] for i, key in enumerate(_DRAWN)}
    del rows
    out = {key: torch.stack(value).to(device) for key, value in cols.items()}
    out["y"], out["y_big"] = out["y"].to(F64), out["y_big"].to(F64)
    return out


def _total(pre: torch.Tensor, other: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """The four-way total ``B_{r,+,+} = sum_{i: y_i = 1} pre_{r,i} 1[pre_{r,i} > 0] 1[other_{r,i} > 0]`` (D.6, D.7)
    for ``pre, other (R, m, n)``, ``y (R, n)``: ``(R, m)``."""
    return (pre.clamp_min(0.0) * (other > 0).to(F64) * (y > 0).unsqueeze(1)).sum(-1)


@fixed_precision("float64", _PRECISION_REASON)
def contrastive_init(params: Mapping[str, float], replicas: int, seeds: Sequence[int],
                     device: str) -> dict[str, np.ndarray]:
    """Measurements at initialisation (first axis replica; ``K = mc_draws``). Units are stated per name;
    ``P_{r,i} = <w0_r, xi_i>``, ``P~_{r,i} = <v0_r, xi~_i>``, ``s = sigma0 sigma_xi sqrt d``.

    * ``b1_z (R, 2m + n)``: exact standard normals ``<w0_r, mu>/(sigma0 ||mu||)``, ``<v0_r, mu~>/(sigma0 ||mu~||)``,
      ``<xi_i, mu>/(sigma_xi ||mu||)`` (B.1).
    * ``b2_minz (R,)``: ``min_r`` of ``|<w0_r, mu>|/(sigma0 ||mu||)`` and ``|<v0_r, mu~>|/(sigma0 ||mu~||)``;
      ``b2_minz_big (R, K)``: the same for ``K`` fresh copies (valid at any ``d``) (B.2).
    * ``b3_dev (R, K + 1)``: ``| |S_1| - n/2 |`` for the replica's labels, then ``K`` extra label draws (B.3).
    * B.4: ``b4_mu = max_r |<w0_r, mu>|/(sigma0 ||mu||)``, ``b4_xi = max_{r,i} |P_{r,i}|/s``,
      ``b4_eps = max_{r,i} |<w0_r, eps_i>|/(sigma0 sigma_eps sqrt d)``, ``b4_mu_max = max_r <w0_r, mu>/(sigma0 ||mu||)``,
      ``b4_xi_maxmin = min_i max_r P_{r,i}/s``, all ``(R,)``.
    * B.5: ``b5_xi_norm = max_i | ||xi_i||^2/(sigma_xi^2 d) - 1 |``, ``b5_xi_xi = max_{i != i'} |<xi_i, xi_i'>|/(sigma_xi^2 sqrt d)``,
      ``b5_xi_mu = max_i |<xi_i, mu>|/(sigma_xi ||mu||)``, and ``b5_eps_norm``, ``b5_eps_xi`` (``max_{i, i'}
      |<eps_i, xi_i'>|/(sigma_eps sigma_xi sqrt d)``), ``b5_eps_mu`` the same for ``eps``; all ``(R,)``.
    * C.5 at ``t = 0``: ``c5_ratio (R, m, n)`` = ``|P_{r,i}| / |<w0_r, eps_i>|``; ``c5_min (R,)`` its minimum.
    * C.6: ``c6_minz = min_{r,i} |P_{r,i}|/s`` ``(R,)``; ``c6_minz_big``: the same for the large-``d`` sample.
    * C.8: ``c8_dev (R,)`` = ``max_r | #{i: y_i = 1, P_{r,i} > 0} - n/4 |``.
    * C.10: ``c10_ratio (R, m, n)`` = ``|P_{r,i}| / (max(B_{r,+}, B_{r,-}) / n)`` with C.9's ``B^(0)_{r,+-}``;
      ``c10_min (R,)`` its minimum.
    * C.12: ``c12_min (R,)`` = ``min_i (1/m) sum_r relu(P_{r,i}) / s``.
    * D.6: ``d6_minz (R,)`` = ``min_r min(B_{r,+,+}, B~_{r,+,+}) / s``; ``d6_minz_big``: the same from the
      large-``d`` sample (with the replica's labels).
    * D.7: ``d7_ratio (R, 2, m, n)`` = ``|P_{r,i}| / (B_{r,+,+}/n)`` and ``|P~_{r,i}| / (B~_{r,+,+}/n)``;
      ``d7_min (R,)`` the minimum over both.
    * D.10: ``d10_min (R,)`` = the smaller over ``U+ cap U~+`` and ``U- cap U~-`` of ``(1/m) sum_r (A_r + A~_r/C_mu)
      / (sigma0 ||mu||)`` at ``t = 0`` (``A_r = |<w0_r, mu>|``, ``A~_r = |<v0_r, mu~>|``).
    """
    require(params, REQUIRED_PARAMS, "contrastive_init")
    check_seeds(replicas, seeds)
    n, d, m = (int_param(params, k) for k in ("n", "d", "m"))
    if n < 2 or m < 1 or d < 1 or int_param(params, "mc_draws") < 1:
        raise ValueError("contrastive_init: need n >= 2, m >= 1, d >= 1 and mc_draws >= 1")
    sx, se, s0 = float(params["sigma_xi"]), float(params["sigma_eps"]), float(params["sigma0"])
    data = draw(params, seeds, torch.device(device))
    y, xi, eps, xi_t, w0, v0 = (data[k] for k in ("y", "xi", "eps", "xi_t", "w0", "v0"))
    s = s0 * sx * math.sqrt(d)
    out: dict[str, torch.Tensor] = {}

    # signal correlations: mu = ||mu|| e_0, so <w0_r, mu>/(sigma0 ||mu||) = w0_r[0]/sigma0 (exactly N(0, 1))
    zw, zv, zx = w0[..., 0] / s0, v0[..., 0] / s0, xi[..., 0] / sx            # (R, m), (R, m), (R, n)
    out["b1_z"] = torch.cat([zw, zv, zx], -1)
    out["b2_minz"] = torch.cat([zw, zv], -1).abs().amin(-1)
    out["b2_minz_big"] = data["z_mu_big"].abs().amin(-1)
    out["b3_dev"] = (torch.cat([y.unsqueeze(1), data["y_big"]], 1) > 0).to(F64).sum(-1).sub(n / 2).abs()

    P = w0 @ xi.transpose(1, 2)                                                # <w0_r, xi_i>, (R, m, n)
    Pe = w0 @ eps.transpose(1, 2)                                              # <w0_r, eps_i>
    Pt = v0 @ xi_t.transpose(1, 2)                                             # <v0_r, xi~_i>
    out["b4_mu"] = zw.abs().amax(-1)
    out["b4_xi"] = P.abs().amax((-1, -2)) / s
    out["b4_eps"] = Pe.abs().amax((-1, -2)) / (s0 * se * math.sqrt(d))
    out["b4_mu_max"] = zw.amax(-1)
    out["b4_xi_maxmin"] = P.amax(-2).amin(-1) / s

    G = xi @ xi.transpose(1, 2)
    off = ~torch.eye(n, dtype=torch.bool, device=G.device)
    out["b5_xi_norm"] = (torch.diagonal(G, dim1=-2, dim2=-1) / (sx ** 2 * d) - 1).abs().amax(-1)
    out["b5_xi_xi"] = (G.abs() * off).amax((-1, -2)) / (sx ** 2 * math.sqrt(d))
    out["b5_xi_mu"] = zx.abs().amax(-1)
    out["b5_eps_norm"] = ((eps * eps).sum(-1) / (se ** 2 * d) - 1).abs().amax(-1)
    out["b5_eps_xi"] = (eps @ xi.transpose(1, 2)).abs().amax((-1, -2)) / (se * sx * math.sqrt(d))
    out["b5_eps_mu"] = (eps[..., 0] / se).abs().amax(-1)

    out["c5_ratio"] = P.abs() / Pe.abs()
    out["c6_minz"] = P.abs().amin((-1, -2)) / s
    out["c6_minz_big"] = data["p_big"].abs().amin((-1, -2))
    out["c8_dev"] = ((P > 0).to(F64) * (y > 0).unsqueeze(1)).sum(-1).sub(n / 4).abs().amax(-1)
    pos = P.clamp_min(0.0)
    b_plus, b_minus = (pos * (y > 0).unsqueeze(1)).sum(-1), (pos * (y < 0).unsqueeze(1)).sum(-1)
    out["c10_ratio"] = P.abs() / (torch.maximum(b_plus, b_minus) / n).unsqueeze(-1)
    out["c12_min"] = (pos.sum(-2) / m).amin(-1) / s

    bpp, tpp = _total(P, Pt, y), _total(Pt, P, y)                            # B_{r,+,+}, B~_{r,+,+}
    out["d6_minz"] = torch.minimum(bpp, tpp).amin(-1) / s
    big, big_t = _total(data["p_big"], data["pt_big"], y), _total(data["pt_big"], data["p_big"], y)
    out["d6_minz_big"] = torch.minimum(big, big_t).amin(-1)
    out["d7_ratio"] = torch.stack([P.abs() / (bpp / n).unsqueeze(-1), Pt.abs() / (tpp / n).unsqueeze(-1)], 1)

    a, a_t = zw.abs(), zv.abs()                              # A_r / (sigma0 ||mu||), A~_r / (C_mu sigma0 ||mu||)
    both_p, both_m = ((zw > 0) & (zv > 0)).to(F64), ((zw < 0) & (zv < 0)).to(F64)
    total = a + a_t                                          # A~_r / C_mu = sigma0 ||mu|| |z~_r| as well
    out["d10_min"] = torch.minimum((total * both_p).sum(-1), (total * both_m).sum(-1)) / m
    # a ratio over a zero total (an empty quadrant) holds trivially: 1e12 stands for +inf (kept finite)
    for key in ("c5_ratio", "c10_ratio", "d7_ratio"):
        out[key] = torch.nan_to_num(out[key], nan=1e12, posinf=1e12)
    out["c5_min"] = out["c5_ratio"].amin((-1, -2))
    out["c10_min"] = out["c10_ratio"].amin((-1, -2))
    out["d7_min"] = out["d7_ratio"].amin((-1, -2, -3))
    return to_numpy(out, "contrastive_init")
