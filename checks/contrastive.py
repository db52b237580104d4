"""Single-modal versus multi-modal contrastive learning in the signal-noise model (huang2024).

Simulates section C.1 of the team's note (``papers/generalization-papers.md``, Huang, Han, Chen, Cao,
Xu, Suzuki, NeurIPS 2024) exactly as Appendix Z.1 does, batched over replicas and an SNR grid:

* data (eq. 1-2): ``x = [y mu, xi]``, ``x~ = [y mu~, xi~]`` with ``y`` uniform on {-1, 1},
  ``xi, xi~ ~ N(0, sigma_xi^2 I_d)`` independent, ``mu = ||mu|| e_0``, ``||mu~|| = C_mu ||mu||``;
  ``SNR = ||mu|| / (sigma_xi sqrt d)``; the grid is over ``n SNR^2`` (``||mu||^2 = nsnr2 sigma_xi^2 d / n``);
* encoders (eq. 3): ``h_r(v) = ReLU(<w_r, v>)`` shared by both patches, ``w_r^(0) ~ N(0, sigma0^2 I)``;
* the patch-wise stop-gradient similarity (eq. 4), the augmentation ``x^ = [y mu, xi + eps]`` (eq. 5),
  the single-modal InfoMax loss with hard (opposite-label) negatives (eq. 6) and the two-sided
  multi-modal loss (eq. 9), all ``M`` = every opposite-label sample;
* full-batch gradient descent, learning rate ``eta`` (eq. 7 and 10).

Exact representation (eq. 11). Because of the stop-gradient, every GD increment of ``w_r`` is a
combination of ``mu`` and the training noises ``xi_i``, so ``w_r^(t) = w_r^(0) + gamma_r mu/||mu||^2 +
sum_i rho_{r,i} xi_i/||xi_i||^2`` exactly. GD runs on the coefficients ``(gamma, rho)``: all
pre-activations are computed from them and from Gram matrices of the data; ``dL/dP`` for the
pre-activations ``P`` is written out from eq. (8) (:func:`infonce_grad`; the chain rule to ``W`` is
``dL/dW = sum_k dL/dP_k x_k``), and ``gamma_r -= eta sum_k dL/dP1_{r,k} y_k ||mu||^2``,
``rho_{r,k} -= eta dL/dP2_{r,k} ||xi_k||^2`` is then exactly GD on ``W``. Autograd recomputes ``dL/dP`` at
every tenth recorded step (``grad_autograd_err``; a deviation above 1e-8 stops the check). The check
verifies the coefficient GD against autograd GD on the explicit weights (``span_err``), and autograd's
coefficient increments against the paper's recursions (12)-(13) and (15)-(16)
written out independently (``lemma51_err``, ``lemma53_err``). The cost per step is ``m n^2`` per encoder
and grid point, independent of ``d``.

Downstream (section 3.3): a logistic-regression probe on the frozen modality-1 embedding
``h(x)_r = ReLU(<w_r, y nu>) + ReLU(<w_r, zeta>)``, ``zeta ~ N(0, sigma_xi^2 I)``, trained on ``n_probe``
and tested on ``n_test`` fresh samples, for three test signals: in distribution (``nu = mu``), the
paper's OOD experiment (``nu = nu_frac mu``, section 6) and the theory's ``D_test`` (``nu`` nearly
orthogonal to ``mu``: ``<nu, mu> = kappa ||mu||^2 / sqrt d``, ``||nu|| = ||mu||``, the rest along ``e_1``).
The test noise only enters through ``<v, zeta>`` for ``v`` in ``{w^(0)_r, e_0, e_1, xi_i}`` (every
trained ``w_r`` lies in their span), which are drawn exactly as ``N(0, sigma_xi^2 Gram(v))``.

Batching: replicas and grid points are the two leading tensor axes ``(R, P, ...)`` where the ``P``
points are ``snr_regime`` (the window where both theorems' SNR conditions hold), ``snr_paper`` (the
paper's section-6 experiment), then the ``snr_points`` grid points (geometric from ``snr_lo`` to
``snr_hi``). The data, initialisation and probe noise of a replica are shared by all its
grid points and by both trainings (common random numbers). The only Python loop over replicas draws
each replica's random numbers from ``torch.Generator(device="cpu").manual_seed(seeds[i])`` in a fixed
order (on a pool of CPU threads, ``checks._params.per_replica``), so replica ``i`` is the same whatever
``R`` or the device. Float64 throughout.
"""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np
import torch

from checks._params import one_cpu_thread, per_replica
from verifier.running.compute import fixed_precision

_PRECISION_REASON = "coefficient dynamics compared with the paper's recursions to 1e-9 relative"

__all__ = ["REQUIRED_PARAMS", "PHASE_PARAMS", "STAGE_PARAMS", "PAPER_PARAMS", "contrastive_comparison", "t1_single",
           "t1_multi", "infonce", "coefficient_increments", "recursion_increments"]

F64 = torch.float64
#: The training applies the written-out gradient (:func:`infonce_grad`); autograd recomputes it at every
#: recorded step that is a multiple of AUTOGRAD_EVERY, where both are compared (tolerance GRAD_TOLERANCE,
#: relative) and Lemmas 5.1 / 5.3 are checked against autograd's increment.
AUTOGRAD_EVERY = 10
GRAD_TOLERANCE = 1e-8
DISTS = ("id", "ood", "dtest", "dtest_perp")

REQUIRED_PARAMS: tuple[str, ...] = (
    "d", "n", "m", "tau", "sigma0", "sigma_xi", "sigma_eps", "eta", "steps", "record_every", "C_mu",
    "snr_lo", "snr_hi", "snr_points", "snr_regime", "snr_paper", "nu_frac", "kappa", "n_probe", "n_test",
    "probe_l2", "probe_iters", "window_frac", "explicit_steps",
)

#: The whole-training instance of the quick profile: d = n^2, eta at the C.13 limit (b = 1/12).
PHASE_PARAMS: dict[str, float] = {
    "d": 1024, "n": 32, "m": 16, "tau": 1.0, "sigma0": 1e-3, "sigma_xi": 1.0, "sigma_eps": 0.1,
    "eta": 32 * 16 / (12 * 1024), "steps": 400, "record_every": 10, "C_mu": 3.0,
    "snr_lo": 0.25, "snr_hi": 8.0, "snr_points": 11, "snr_regime": 1.75, "snr_paper": 1.25,
    "nu_frac": 0.4, "kappa": 1.0, "n_probe": 200, "n_test": 1000, "probe_l2": 1e-3, "probe_iters": 25,
    "window_frac": 0.5, "explicit_steps": 5,
}

#: The paper's section-6 experiment as the note re-simulated it (Appendix Z.1): d = 2000, n = 100, m = 50,
#: lr 1.0 for 200 full-batch steps (= lr 0.01 for 20,000 steps), sigma0 = 1e-3, tau = 1, C_mu = 3, nu = 0.4 mu.
PAPER_PARAMS: dict[str, float] = {
    **PHASE_PARAMS, "d": 2000, "n": 100, "m": 50, "eta": 1.0, "steps": 200, "record_every": 10,
    "snr_lo": 0.2, "snr_hi": 7.2, "snr_points": 0, "explicit_steps": 0,
}

#: The first-stage instance (growth rates and the end of stage 1): n = 100 (M ~ 50 negatives), d = n^2.
STAGE_PARAMS: dict[str, float] = {
    **PHASE_PARAMS, "d": 10000, "n": 100, "eta": 100 * 16 / (12 * 10000), "steps": 120, "record_every": 1,
    "snr_points": 0, "n_test": 400, "explicit_steps": 0,
}


# ----------------------------------------------------------------------------------------------------
# Parameters
# ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Config:
    d: int
    n: int
    m: int
    tau: float
    sigma0: float
    sigma_xi: float
    sigma_eps: float
    eta: float
    steps: int
    record_every: int
    c_mu: float
    grid: tuple[float, ...]     # the snr_points grid values of n SNR^2
    regime: float
    paper: float
    nu_frac: float
    kappa: float
    n_probe: int
    n_test: int
    probe_l2: float
    probe_iters: int
    window_frac: float
    explicit_steps: int
    eps: float = 0.05           # target loss of C.18 / D.15 (optional parameter ``eps``)

    @property
    def points(self) -> tuple[float, ...]:
        return (self.regime, self.paper, *self.grid)

    @property
    def b(self) -> float:
        """``b = eta sigma_xi^2 d / (n m tau)`` (note section S)."""
        return self.eta * self.sigma_xi ** 2 * self.d / (self.n * self.m * self.tau)


def _int(params: Mapping[str, float], key: str) -> int:
    value = float(params[key])
    if not value.is_integer():
        raise ValueError(f"param {key!r} must be an integer, got {params[key]!r}")
    return int(value)


def _parse(params: Mapping[str, float]) -> _Config:
    missing = [key for key in REQUIRED_PARAMS if key not in params]
    if missing:
        raise ValueError(f"contrastive_comparison: missing param(s) {', '.join(map(repr, missing))}")
    points = _int(params, "snr_points")
    lo, hi = float(params["snr_lo"]), float(params["snr_hi"])
    grid = tuple(float(v) for v in np.geomspace(lo, hi, points)) if points > 0 else ()
    cfg = _Config(
        d=_int(params, "d"), n=_int(params, "n"), m=_int(params, "m"), tau=float(params["tau"]),
        sigma0=float(params["sigma0"]), sigma_xi=float(params["sigma_xi"]), sigma_eps=float(params["sigma_eps"]),
        eta=float(params["eta"]), steps=_int(params, "steps"), record_every=_int(params, "record_every"),
        c_mu=float(params["C_mu"]), grid=grid, regime=float(params["snr_regime"]), paper=float(params["snr_paper"]),
        nu_frac=float(params["nu_frac"]), kappa=float(params["kappa"]), n_probe=_int(params, "n_probe"),
        n_test=_int(params, "n_test"), probe_l2=float(params["probe_l2"]), probe_iters=_int(params, "probe_iters"),
        window_frac=float(params["window_frac"]), explicit_steps=_int(params, "explicit_steps"),
        eps=float(params.get("eps", 0.05)),
    )
    if cfg.n < 4 or cfg.m < 1 or cfg.d < cfg.n + cfg.m + 2:
        raise ValueError("need n >= 4, m >= 1 and d >= n + m + 2 (the probe Gram matrix must be invertible)")
    if min(cfg.points) <= 0 or (points > 1 and hi <= lo):
        raise ValueError("n SNR^2 values must be positive and snr_hi > snr_lo")
    if cfg.steps < 1 or cfg.record_every < 1 or cfg.eta <= 0 or cfg.tau <= 0 or cfg.sigma_xi <= 0:
        raise ValueError("need steps, record_every >= 1 and eta, tau, sigma_xi > 0")
    if cfg.kappa ** 2 > cfg.d:
        raise ValueError("kappa^2 must not exceed d (nu would not be a real vector)")
    if cfg.n_probe < 2 or cfg.n_test < 1:
        raise ValueError("need n_probe >= 2 and n_test >= 1")
    return cfg


def t1_single(cfg: _Config) -> float:
    """End of the single-modal first stage, Lemma 5.2: ``log(20/(sigma0 sigma_xi sqrt d)) / log(1 + 0.96 b)``."""
    return math.log(20.0 / (cfg.sigma0 * cfg.sigma_xi * math.sqrt(cfg.d))) / math.log1p(0.96 * cfg.b)


def t1_multi(cfg: _Config, nsnr2: float) -> float:
    """End of the multi-modal first stage, Lemma 5.4: ``log(20/(sigma0 ||mu||)) / log(1 + 0.48 C_mu a)``."""
    mu = math.sqrt(nsnr2 * cfg.d / cfg.n) * cfg.sigma_xi
    a = cfg.eta * mu ** 2 / (cfg.m * cfg.tau)
    return math.log(20.0 / (cfg.sigma0 * mu)) / math.log1p(0.48 * cfg.c_mu * a)


# ----------------------------------------------------------------------------------------------------
# Data, drawn per replica on the CPU
# ----------------------------------------------------------------------------------------------------



_DRAWN = ("y", "xi", "xi_hat", "xi_t", "w0", "v0", "y_probe", "g_probe")


def _draw(cfg: _Config, seeds: Sequence[int], device: torch.device) -> dict[str, torch.Tensor]:
    """Per replica, in this order: labels, xi, xi + eps, xi~, W0, V0, probe labels, probe normals; each
    replica fills its slot of the batch tensors (no stacked copies: at d = 40000 a replica is 200 MB)."""
    n, d, m = cfg.n, cfg.d, cfg.m
    n_probe_all = cfg.n_probe + cfg.n_test
    R, i64 = len(seeds), torch.int64
    shapes = {"y": ((n,), i64), "xi": ((n, d), F64), "xi_hat": ((n, d), F64), "xi_t": ((n, d), F64),
              "w0": ((m, d), F64), "v0": ((m, d), F64), "y_probe": ((n_probe_all,), i64),
              "g_probe": ((n_probe_all, m + 2 + n), F64)}
    out = {key: torch.empty((R, *shape), dtype=dtype) for key, (shape, dtype) in shapes.items()}

    def fill(i: int, seed: int) -> None:
        g = torch.Generator(device="cpu").manual_seed(seed)
        slot = {key: value[i] for key, value in out.items()}
        torch.randint(0, 2, (n,), generator=g, dtype=i64, out=slot["y"]).mul_(2).sub_(1)
        torch.randn(n, d, generator=g, dtype=F64, out=slot["xi"]).mul_(cfg.sigma_xi)
        torch.randn(n, d, generator=g, dtype=F64, out=slot["xi_hat"]).mul_(cfg.sigma_eps).add_(slot["xi"])
        torch.randn(n, d, generator=g, dtype=F64, out=slot["xi_t"]).mul_(cfg.sigma_xi)
        torch.randn(m, d, generator=g, dtype=F64, out=slot["w0"]).mul_(cfg.sigma0)
        torch.randn(m, d, generator=g, dtype=F64, out=slot["v0"]).mul_(cfg.sigma0)
        torch.randint(0, 2, (n_probe_all,), generator=g, dtype=i64, out=slot["y_probe"]).mul_(2).sub_(1)
        torch.randn(n_probe_all, m + 2 + n, generator=g, dtype=F64, out=slot["g_probe"])

    per_replica(fill, seeds)
    out = {key: value.to(device) for key, value in out.items()}
    out["y"] = out["y"].to(F64)
    out["y_probe"] = out["y_probe"].to(F64)
    return out


@dataclass
class _Encoder:
    """Gram data of one encoder's training inputs (per replica): everything its pre-activations need."""

    nx2: torch.Tensor   # (R, n)     ||xi_i||^2
    K: torch.Tensor     # (R, n, n)  <xi_i, xi_k> / ||xi_i||^2
    P0: torch.Tensor    # (R, m, n)  <w0_r, xi_k>
    x0: torch.Tensor    # (R, n)     xi_k[0]
    e: torch.Tensor     # (R, n)     xi_i[0] / ||xi_i||^2
    u0: torch.Tensor    # (R, m)     w0_r[0]
    Kh: torch.Tensor | None = None   # (R, n, n) <xi_i, xi^_k> / ||xi_i||^2 (augmented positives)
    P0h: torch.Tensor | None = None  # (R, m, n) <w0_r, xi^_k>
    xh0: torch.Tensor | None = None  # (R, n)    xi^_k[0]


def _encoder(xi: torch.Tensor, w0: torch.Tensor, xi_hat: torch.Tensor | None = None) -> _Encoder:
    nx2 = (xi * xi).sum(-1)
    enc = _Encoder(nx2=nx2, K=(xi @ xi.transpose(1, 2)) / nx2.unsqueeze(-1), P0=w0 @ xi.transpose(1, 2),
                   x0=xi[..., 0], e=xi[..., 0] / nx2, u0=w0[..., 0])
    if xi_hat is not None:
        enc.Kh = (xi @ xi_hat.transpose(1, 2)) / nx2.unsqueeze(-1)
        enc.P0h = w0 @ xi_hat.transpose(1, 2)
        enc.xh0 = xi_hat[..., 0]
    return enc


# ----------------------------------------------------------------------------------------------------
# Model: pre-activations from coefficients, the InfoMax loss, the exact GD step
# ----------------------------------------------------------------------------------------------------


def _times(a: torch.Tensor, M: torch.Tensor) -> torch.Tensor:
    """``a @ M`` for ``a (R, P, m, n)`` and one matrix per replica ``M (R, n, k)``: one ``(P m) x n`` product
    per replica, instead of ``R P`` products of ``m x n`` after copying ``M`` once per grid point."""
    R, P, m, n = a.shape
    return torch.bmm(a.reshape(R, P * m, n), M).view(R, P, m, M.shape[-1])


def _signal_preact(enc: _Encoder, gamma: torch.Tensor, rho: torch.Tensor, scale: torch.Tensor) -> torch.Tensor:
    """``<w_r, mu> = ||mu|| (w0_r[0] + sum_i rho_{r,i} xi_i[0]/||xi_i||^2) + gamma_r``: ``(R, P, m)``."""
    return scale.view(1, -1, 1) * (enc.u0.unsqueeze(1) + (rho @ enc.e.unsqueeze(1).unsqueeze(-1)).squeeze(-1)) + gamma


def _noise_preact(enc: _Encoder, gamma: torch.Tensor, rho: torch.Tensor, scale: torch.Tensor,
                  augmented: bool = False) -> torch.Tensor:
    """``<w_r, xi_k>`` (or ``<w_r, xi^_k>``) from the coefficients: ``(R, P, m, n)``."""
    P0, x0, K = (enc.P0h, enc.xh0, enc.Kh) if augmented else (enc.P0, enc.x0, enc.K)
    return (P0.unsqueeze(1) + gamma.unsqueeze(-1) * x0.view(x0.shape[0], 1, 1, -1) / scale.view(1, -1, 1, 1)
            + _times(rho, K))


def _margins(a1: torch.Tensor, a2: torch.Tensor, pos1: torch.Tensor, pos2: torch.Tensor, cand1: torch.Tensor,
             cand2: torch.Tensor, neg: torch.Tensor, tau: float) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """``z_ij = (Sim(i, j) - Sim(i, i+)) / tau`` over the negatives ``j`` of anchor ``i`` (``(R, P, n, n)``;
    rows without negatives are 0 and flagged off), ``x_i = log sum_j exp z_ij`` and the flags ``(R, P, n)``."""
    m = a1.shape[-2]
    s_pos = ((a1 * pos1).sum(-2) + (a2 * pos2).sum(-2)) / m
    s_neg = (a1.transpose(-1, -2) @ cand1 + a2.transpose(-1, -2) @ cand2) / m
    has = neg.any(-1, keepdim=True)
    z = ((s_neg - s_pos.unsqueeze(-1)) / tau).masked_fill(~neg, -math.inf).masked_fill(~has, 0.0)
    return z, torch.logsumexp(z, -1), has.squeeze(-1)


def infonce(a1: torch.Tensor, a2: torch.Tensor, pos1: torch.Tensor, pos2: torch.Tensor, cand1: torch.Tensor,
            cand2: torch.Tensor, neg: torch.Tensor, tau: float) -> torch.Tensor:
    """Mean InfoMax loss (eq. 6) of each ``(replica, point)``: anchor features ``a1, a2`` (signal and noise
    patch, ``(R, P, m, n)``, carrying gradients), positive features ``pos*`` (column ``i`` is anchor
    ``i``'s positive) and candidate negatives ``cand*`` (stop-gradient: pass detached tensors); ``neg``
    ``(R, 1, n, n)`` marks the negatives ``j`` of anchor ``i`` (``y_j != y_i``). The similarity is
    patch-wise (eq. 4): ``Sim(i, k) = (1/m) sum_r [a1_{r,i} c1_{r,k} + a2_{r,i} c2_{r,k}]``.

    ``-log(e^{s+} / (e^{s+} + sum_j e^{s_j})) = softplus(log sum_j e^{s_j - s+})``: written this way the
    loss and its gradient stay accurate when the loss is tiny (``1 - l'_i`` is never formed by a
    subtraction from a rounded ``l'_i``, which costs 1e-3 relative at the paper's learning rate 1.0)."""
    _, x, has = _margins(a1, a2, pos1, pos2, cand1, cand2, neg, tau)
    return torch.where(has, torch.nn.functional.softplus(x), 0.0).mean(-1)


def _weights(z: torch.Tensor, x: torch.Tensor, has: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """``1 - l'_i = sigmoid(x_i)`` ``(R, P, n)`` and ``l'_{ij} = sigmoid(x_i) softmax_j(z_ij)`` ``(R, P, n, n)``,
    the softmax weights of eq. (8), from :func:`_margins` (no ``1 - l'_i`` formed by subtraction)."""
    miss = torch.where(has, torch.sigmoid(x), 0.0)
    return miss, torch.exp(z - x.unsqueeze(-1)) * miss.unsqueeze(-1)


def infonce_grad(a1: torch.Tensor, a2: torch.Tensor, pos1: torch.Tensor, pos2: torch.Tensor, cand1: torch.Tensor,
                 cand2: torch.Tensor, neg: torch.Tensor, tau: float) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """:func:`infonce` and its gradient with respect to the anchor features, written out from eq. (8)
    instead of by autograd: with the softmax weights ``l'_i`` (positive) and ``l'_{ij}`` (negatives) of
    anchor ``i`` (:func:`_weights`), ``dL/da_{r,i} = (1/(n m tau)) [sum_j l'_{ij} cand_{r,j} - (1 - l'_i) pos_{r,i}]``
    for each patch. All inputs are plain tensors; returns ``loss (R, P)``, ``dL/da1``, ``dL/da2`` ``(R, P, m, n)``."""
    m, n = a1.shape[-2], a1.shape[-1]
    z, x, has = _margins(a1, a2, pos1, pos2, cand1, cand2, neg, tau)
    loss = torch.where(has, torch.nn.functional.softplus(x), 0.0).mean(-1)
    miss, lpn = _weights(z, x, has)
    c, miss, lpn_t = 1.0 / (n * m * tau), miss.unsqueeze(-2), lpn.transpose(-1, -2)
    return loss, c * (cand1 @ lpn_t - miss * pos1), c * (cand2 @ lpn_t - miss * pos2)


def _softmax_weights(a1, a2, pos1, pos2, cand1, cand2, neg, tau):
    """``l'_i`` and ``l'_{i,j}`` of eq. (8), written out without autograd: ``(R, P, n)``, ``(R, P, n, n)``."""
    z, x, has = _margins(a1, a2, pos1, pos2, cand1, cand2, neg, tau)
    return torch.where(has, torch.sigmoid(-x), 1.0), _weights(z, x, has)[1]


def coefficient_increments(g1: torch.Tensor, g2: torch.Tensor, y: torch.Tensor, scale: torch.Tensor,
                           nx2: torch.Tensor, eta: float) -> tuple[torch.Tensor, torch.Tensor]:
    """The GD increments of ``(gamma, rho)`` from ``dL/dP1``, ``dL/dP2`` (``(R, P, m, n)``):
    ``dgamma_r = -eta sum_k dL/dP1_{r,k} y_k ||mu||^2``, ``drho_{r,k} = -eta dL/dP2_{r,k} ||xi_k||^2``."""
    dgamma = -eta * (g1 * y.view(y.shape[0], 1, 1, -1)).sum(-1) * scale.view(1, -1, 1) ** 2
    drho = -eta * g2 * nx2.view(nx2.shape[0], 1, 1, -1)
    return dgamma, drho


def recursion_increments(p1, p2, f1p, f2p, f1n, f2n, lpn, y, scale, nx2, eta, tau, with_negatives=True):
    """The paper's recursions (12)-(13) (single-modal; ``f*`` are the positive and negative features of
    the same encoder) or (15)-(16) (multi-modal; ``f*`` are the other modality's features):
    ``dgamma_r = eta/(n m tau) sum_i [(1-l'_i) f1p_{r,i} - sum_j l'_{ij} f1n_{r,j}] 1[p1_{r,i} > 0] y_i ||mu||^2``,
    ``drho_{r,i} = eta/(n m tau) [(1-l'_i) f2p_{r,i} - sum_j l'_{ij} f2n_{r,j}] 1[p2_{r,i} > 0] ||xi_i||^2``.
    ``lpn`` holds the ``l'_{ij}`` (``(R, P, n, n)``); ``1 - l'_i`` is their sum over ``j``.
    ``with_negatives=False`` drops the negatives' terms (a deliberately wrong variant, the control)."""
    n, m = p1.shape[-1], p1.shape[-2]
    c = eta / (n * m * tau)
    keep = 1.0 if with_negatives else 0.0
    miss = lpn.sum(-1).unsqueeze(-2)            # 1 - l'_i = sum_j l'_{ij}, without the cancellation when l'_i ~ 1
    t1 = miss * f1p - keep * f1n @ lpn.transpose(-1, -2)
    t2 = miss * f2p - keep * f2n @ lpn.transpose(-1, -2)
    dgamma = c * (t1 * (p1 > 0).to(p1.dtype) * y.view(y.shape[0], 1, 1, -1)).sum(-1) * scale.view(1, -1, 1) ** 2
    drho = c * t2 * (p2 > 0).to(p2.dtype) * nx2.view(nx2.shape[0], 1, 1, -1)
    return dgamma, drho


def _rel_err(a: tuple[torch.Tensor, torch.Tensor], b: tuple[torch.Tensor, torch.Tensor]) -> torch.Tensor:
    """``max |a - b| / max |a|`` over both coefficient families, per ``(R, P)``."""
    num = torch.maximum((a[0] - b[0]).abs().amax(-1), (a[1] - b[1]).abs().amax((-1, -2)))
    den = torch.maximum(a[0].abs().amax(-1), a[1].abs().amax((-1, -2)))
    return num / den.clamp_min(torch.finfo(den.dtype).tiny)


def _check_finite(first_bad: torch.Tensor, what: str, points: Sequence[float]) -> None:
    """Raise ``FloatingPointError`` naming the earliest step (and its replica and grid point) at which the
    loss was not finite; ``first_bad (R, P)`` holds that step, or -1 where the loss stayed finite."""
    if bool((first_bad >= 0).any()):
        steps = torch.where(first_bad >= 0, first_bad, torch.iinfo(first_bad.dtype).max)
        flat = int(steps.flatten().argmin())
        r, p = divmod(flat, steps.shape[1])
        raise FloatingPointError(f"{what} training loss is not finite at step {int(steps[r, p])}, replica {r} "
                                 f"(n SNR^2 = {points[p]:g})")


# ----------------------------------------------------------------------------------------------------
# Training
# ----------------------------------------------------------------------------------------------------


@dataclass
class _Trained:
    gamma: torch.Tensor          # (R, P, m) final
    rho: torch.Tensor            # (R, P, m, n) final
    gamma_t: torch.Tensor | None  # modality-2 encoder (multi-modal only)
    rho_t: torch.Tensor | None
    records: dict[str, torch.Tensor]   # trajectories (..., T) over the recorded steps; one-off facts as they are
    lemma_err: torch.Tensor      # (R, P) max over the autograd-checked steps
    lemma_err_control: torch.Tensor
    grad_err: torch.Tensor       # (R, P) max deviation of the applied GD increments from autograd's


def _dist2_star(cfg: _Config, enc: _Encoder, gamma: torch.Tensor, rho: torch.Tensor, scale: torch.Tensor,
                sign0: torch.Tensor, multi: bool) -> torch.Tensor:
    """``||W - W*||_F^2`` ``(R, P)`` from the coefficients, for the reference points of C.15 (single-modal:
    ``w*_r = w0_r + c sum_i xi_i/||xi_i||^2``) and D.12 (multi-modal: ``w*_r = w0_r + c theta_r mu/||mu||^2``,
    ``theta_r = sign <w0_r, mu>``), ``c = 2 tau log(2M/eps)`` with ``M = n/2``."""
    c = 2 * cfg.tau * math.log(2 * (cfg.n / 2) / cfg.eps)
    if multi:
        g, coeff = gamma - c * sign0, rho
    else:
        g, coeff = gamma, rho - c
    sc = scale.view(1, -1, 1)
    quad = (_times(coeff, enc.K / enc.nx2.unsqueeze(-2)) * coeff).sum(-1)   # sum c_i c_k <xi_i, xi_k>/(..)
    cross = 2 * g / sc * (coeff * enc.e.unsqueeze(1).unsqueeze(1)).sum(-1)
    return (g ** 2 / sc ** 2 + cross + quad).sum(-1)


def _grad_norm2(g1: torch.Tensor, g2: torch.Tensor, y: torch.Tensor, enc: _Encoder, scale: torch.Tensor,
                gram: torch.Tensor) -> torch.Tensor:
    """``||grad_W L||_F^2`` ``(R, P)`` of one encoder from ``dL/dP1``, ``dL/dP2`` ``(R, P, m, n)``: exactly,
    ``grad_{w_r} = sum_k dL/dP1_{r,k} y_k mu + dL/dP2_{r,k} xi_k`` (``gram`` = ``<xi_k, xi_l>``)."""
    R, n = y.shape[0], y.shape[-1]
    sc = scale.view(1, -1, 1)
    ga = (g1 * y.view(R, 1, 1, n)).sum(-1)                                        # (R, P, m)
    gb = (g2 * enc.x0.view(R, 1, 1, n)).sum(-1) * sc                              # sum_k g2 <mu, xi_k>
    gc = (_times(g2, gram) * g2).sum(-1)
    return (ga ** 2 * sc ** 2 + 2 * ga * gb + gc).sum(-1)


def _c14_scale(cfg: _Config, scale: torch.Tensor) -> torch.Tensor:
    """``max(||mu||^2, sigma_xi^2 d)`` per grid point, ``(1, P)`` (C.14 / D.11)."""
    return torch.clamp_min(scale ** 2, cfg.sigma_xi ** 2 * cfg.d).view(1, -1)


def _record_steps(cfg: _Config) -> list[int]:
    steps = list(range(0, cfg.steps + 1, cfg.record_every))
    return steps if steps[-1] == cfg.steps else steps + [cfg.steps]


def _train(cfg: _Config, data: dict, enc: _Encoder, enc_t: _Encoder | None, scale: torch.Tensor,
           multi: bool) -> _Trained:
    """Full-batch GD on the coefficients; records the measured trajectories at the recorded steps."""
    R, P, m, n = data["y"].shape[0], scale.shape[0], cfg.m, cfg.n
    y = data["y"]
    neg = (y.unsqueeze(-1) != y.unsqueeze(-2)).unsqueeze(1)
    dev = y.device
    gamma = torch.zeros(R, P, m, dtype=F64, device=dev)
    rho = torch.zeros(R, P, m, n, dtype=F64, device=dev)
    scale_t = scale * cfg.c_mu
    gamma_t = torch.zeros_like(gamma) if multi else None
    rho_t = torch.zeros_like(rho) if multi else None
    record_steps = _record_steps(cfg)
    recorded = {t: k for k, t in enumerate(record_steps)}
    # every measurement lands in a buffer allocated once: thousands of small long-lived tensors allocated
    # between the step's large temporaries fragment the heap (at the full profile the process grew by
    # about 1 MB per replica and step, 20 GB for 64 replicas, with nothing leaked)
    rec: dict[str, torch.Tensor] = {}
    lemma_err = torch.zeros(R, P, dtype=F64, device=dev)
    lemma_ctl = torch.full((R, P), math.inf, dtype=F64, device=dev)
    grad_err = torch.zeros(R, P, dtype=F64, device=dev)
    relu = torch.relu

    # initial signs and correlations (C.3, C.7, D.3, C.12)
    sig0 = _signal_preact(enc, gamma, rho, scale)                   # <w0_r, mu>, (R, P, m)
    sign0 = torch.sign(sig0)
    pos0 = (enc.P0 > 0).unsqueeze(1).to(F64)                        # i in I^(0)_{r,+}, (R, 1, m, n)
    if multi:
        sign0_t = torch.sign(_signal_preact(enc_t, gamma_t, rho_t, scale_t))
        aligned_p = ((sign0 > 0) & (sign0_t > 0)).to(F64)
        aligned_m = ((sign0 < 0) & (sign0_t < 0)).to(F64)
        mismatch0 = (sign0 != sign0_t)
    flipped = torch.zeros(R, P, m, dtype=torch.bool, device=dev)
    first_bad = torch.full((R, P), -1, dtype=torch.int64, device=dev)
    what = "multi-modal" if multi else "single-modal"
    resynced = torch.zeros(R, P, m, dtype=torch.bool, device=dev) if multi else None
    # issue #6 (C.1/C.2/C.13/C.14/C.18, D.1/D.2/D.8/D.15): quantities measured along the run
    n_neg = neg.to(F64).sum(-1)                                      # M_i, (R, 1, n)
    gram = enc.K * enc.nx2.unsqueeze(-1)                             # <xi_k, xi_l>, (R, n, n)
    t1_step = int(round(t1_multi(cfg, cfg.regime) if multi else t1_single(cfg)))
    loss_steps = torch.empty(R, P, cfg.steps + 1, dtype=F64, device=dev)
    dist_steps = torch.empty(R, P, cfg.steps + 1, dtype=F64, device=dev)
    dist2_t1 = torch.full((R, P), math.nan, dtype=F64, device=dev)
    b4_0: torch.Tensor | None = None

    for t in range(cfg.steps + 1):
        # autograd runs beside the written-out gradient at every AUTOGRAD_EVERY-th recorded step
        check = t in recorded and t < cfg.steps and t % AUTOGRAD_EVERY == 0
        s1 = _signal_preact(enc, gamma, rho, scale)
        p1 = (s1.unsqueeze(-1) * y.view(R, 1, 1, n)).requires_grad_(check)
        p2 = _noise_preact(enc, gamma, rho, scale).requires_grad_(check)
        h1, h2 = relu(p1), relu(p2)
        if multi:
            s1t = _signal_preact(enc_t, gamma_t, rho_t, scale_t)
            q1 = (s1t.unsqueeze(-1) * y.view(R, 1, 1, n)).requires_grad_(check)
            q2 = _noise_preact(enc_t, gamma_t, rho_t, scale_t).requires_grad_(check)
            g1_, g2_ = relu(q1), relu(q2)
            feats_w = (h1, h2, g1_.detach(), g2_.detach(), g1_.detach(), g2_.detach())
            feats_v = (g1_, g2_, h1.detach(), h2.detach(), h1.detach(), h2.detach())
            preacts = (p1, p2, q1, q2)
            loss_w, *d_w = infonce_grad(*(f.detach() for f in feats_w), neg, cfg.tau)
            loss_v, *d_v = infonce_grad(*(f.detach() for f in feats_v), neg, cfg.tau)
            loss = loss_w + loss_v
            d_feats = (*d_w, *d_v)
            if check:
                auto = torch.autograd.grad((infonce(*feats_w, neg, cfg.tau) + infonce(*feats_v, neg, cfg.tau)).sum(),
                                           preacts)
        else:
            h2h = relu(_noise_preact(enc, gamma, rho, scale, augmented=True))
            feats_w = (h1, h2, h1.detach(), h2h, h1.detach(), h2.detach())
            preacts = (p1, p2)
            loss, *d_feats = infonce_grad(*(f.detach() for f in feats_w), neg, cfg.tau)
            if check:
                auto = torch.autograd.grad(infonce(*feats_w, neg, cfg.tau).sum(), preacts)
        grads = tuple(dh * (pre.detach() > 0) for dh, pre in zip(d_feats, preacts))   # ReLU'
        if check:  # the GD increments from the written-out gradient against autograd's (both encoders)
            inc_auto = coefficient_increments(auto[0], auto[1], y, scale, enc.nx2, cfg.eta)
            grad_err = torch.maximum(grad_err, _rel_err(coefficient_increments(grads[0], grads[1], y, scale, enc.nx2,
                                                                               cfg.eta), inc_auto))
            if multi:
                grad_err = torch.maximum(grad_err, _rel_err(
                    coefficient_increments(grads[2], grads[3], y, scale_t, enc_t.nx2, cfg.eta),
                    coefficient_increments(auto[2], auto[3], y, scale_t, enc_t.nx2, cfg.eta)))
        loss = loss.detach()
        first_bad = torch.where((first_bad < 0) & ~torch.isfinite(loss), t, first_bad)
        loss_steps[..., t] = loss
        with torch.no_grad():  # C.17 / D.14, C.18 / D.15: ||W^(t) - W*||_F^2 (+ the same for W~, multi-modal)
            dist2 = _dist2_star(cfg, enc, gamma, rho, scale, sign0, multi)
            if multi:
                dist2 = dist2 + _dist2_star(cfg, enc_t, gamma_t, rho_t, scale_t, sign0_t, multi)
        dist_steps[..., t] = dist2
        if t == t1_step:
            dist2_t1 = dist2
        inc = coefficient_increments(grads[0], grads[1], y, scale, enc.nx2, cfg.eta)
        with torch.no_grad():
            flipped |= torch.sign(s1) != sign0
            if multi:
                resynced |= mismatch0 & (torch.sign(s1) == torch.sign(s1t))
        if t in recorded:
            _check_finite(first_bad, what, cfg.points)
            with torch.no_grad():
                A = sign0 * (gamma + sig0)                                       # A_r^(t), (R, P, m)
                psi = (rho + enc.P0.unsqueeze(1)) * pos0                         # Psi_{r,i} on I^(0)_+
                row = {
                    "loss": loss,
                    "signal": gamma.abs().amax(-1),
                    "noise": rho.amax((-1, -2)),
                    "signal_mean": gamma.abs().mean(-1),
                    "noise_mean": (rho.abs() * pos0).sum((-1, -2)) / pos0.sum((-1, -2)),
                    "maxA": A.amax(-1),
                    "psi_bar": psi.sum((-1, -2)) / pos0.sum((-1, -2)),
                    "psi_max": psi.amax((-1, -2)),
                    "psi_avg_min": (psi.sum(-2) / m).amin(-1),   # min_i (1/m) sum_{r in U+_i} Psi_{r,i}
                    "rho_maxmin": rho.amax(-2).amin(-1),          # min_i max_r rho_{r,i} (Lemma 5.2's conclusion)
                    "gamma_max": gamma.amax(-1),                  # max_r gamma_r (Lemma 5.4's conclusion)
                    # C.11 (22) pair by pair: Psi^(t) >= (1 + 0.96 b)^t Psi^(0) on I^(0)_+
                    "c11_pair_frac": ((psi >= (1 + 0.96 * cfg.b) ** t * enc.P0.unsqueeze(1)).to(F64) * pos0).sum((-1, -2))
                    / pos0.sum((-1, -2)),
                }
                if multi:
                    At = sign0_t * (gamma_t + _signal_preact(enc_t, torch.zeros_like(gamma_t),
                                                             torch.zeros_like(rho_t), scale_t))
                    sync = cfg.c_mu * A + At
                    aligned = aligned_p + aligned_m
                    row["sync_max"] = (sync * aligned - (1 - aligned) * 1e300).amax(-1)
                    row["syncA_avg_min"] = torch.minimum((A * aligned_p).sum(-1), (A * aligned_m).sum(-1)) / m
                    row["mismatch"] = (torch.sign(s1) != torch.sign(s1t)).to(F64).mean(-1)
                    row["signal_t"] = gamma_t.abs().amax(-1)
                    row["noise_t"] = rho_t.amax((-1, -2))
                # C.2 / D.1: C_l = max over anchors and negatives of max(l'(1+M), 1/(l'(1+M)))
                lpw = _softmax_weights(*(f.detach() for f in feats_w), neg, cfg.tau)
                weights = (lpw, _softmax_weights(*(f.detach() for f in feats_v), neg, cfg.tau)) if multi else (lpw,)
                cl = torch.ones(R, P, dtype=F64, device=dev)
                for lp0, lpn0 in weights:
                    r0 = lp0 * (1 + n_neg)
                    rj = torch.where(neg, lpn0 * (1 + n_neg).unsqueeze(-1), torch.ones_like(lpn0))
                    cl = torch.maximum(cl, torch.maximum(torch.maximum(r0, 1 / r0).amax(-1),
                                                         torch.maximum(rj, 1 / rj).amax((-1, -2))))
                row["cl"] = cl
                # C.1 / D.2: |<w - w0, xi_i> - rho_{r,i}| and |<w - w0, mu> - gamma_r| / ||mu|| (= |sum_k rho_k xi_k[0]/||xi_k||^2|)
                dev_xi = (p2.detach() - enc.P0.unsqueeze(1) - rho).abs().amax((-1, -2))
                dev_mu = (rho @ enc.e.unsqueeze(1).unsqueeze(-1)).abs().amax((-1, -2))
                coef = torch.maximum(gamma.abs().amax(-1), rho.abs().amax((-1, -2)))
                if multi:
                    dev_xi = torch.maximum(dev_xi, (q2.detach() - enc_t.P0.unsqueeze(1) - rho_t).abs().amax((-1, -2)))
                    dev_mu = torch.maximum(dev_mu, (rho_t @ enc_t.e.unsqueeze(1).unsqueeze(-1)).abs().amax((-1, -2)))
                    coef = torch.maximum(coef, torch.maximum(gamma_t.abs().amax(-1), rho_t.abs().amax((-1, -2))))
                    row["noise_abs_t"] = rho_t.abs().amax((-1, -2))
                row["c1_xi"], row["c1_mu"], row["coef_abs"] = dev_xi, dev_mu, coef
                row["noise_abs"] = rho.abs().amax((-1, -2))
                # C.14: ||grad_W L||_F^2 / (max(||mu||^2, sigma_xi^2 d) L), from dL/dP (exact: grad_{w_r} =
                # sum_k dL/dP1_{r,k} y_k mu + dL/dP2_{r,k} xi_k)
                row["c14_q"] = _grad_norm2(grads[0], grads[1], y, enc, scale, gram) / (_c14_scale(cfg, scale) * loss)
                if multi:  # D.11: the same for the modality-2 encoder (its own ||mu~||, Gram, dL/dQ)
                    gram_t = enc_t.K * enc_t.nx2.unsqueeze(-1)
                    row["c14_q_t"] = (_grad_norm2(grads[2], grads[3], y, enc_t, scale_t, gram_t)
                                      / (_c14_scale(cfg, scale_t) * loss))
                if multi:  # D.8: four-way totals B_{r,+-,+} (I+ cap I~+) and B_{r,+-,-} (I+ cap I~-), modality 1
                    psi_all = (rho + enc.P0.unsqueeze(1)) * (p2.detach() > 0).to(F64)
                    up, dn = (q2.detach() > 0).to(F64), (q2.detach() < 0).to(F64)
                    ypos, yneg = (y > 0).to(F64).view(R, 1, 1, n), (y < 0).to(F64).view(R, 1, 1, n)
                    b4 = torch.stack([(psi_all * up * ypos).sum(-1), (psi_all * up * yneg).sum(-1),
                                      (psi_all * dn * ypos).sum(-1), (psi_all * dn * yneg).sum(-1)], -1)  # (R, P, m, 4)
                    if b4_0 is None:
                        b4_0 = b4
                    growth = torch.tensor([(1 + 1.05 * cfg.b) ** t] * 2 + [1.0] * 2, dtype=F64, device=dev)
                    ratio = torch.where(b4_0 > 0, b4 / (growth * b4_0).clamp_min(1e-300), torch.zeros_like(b4))
                    row["d8_plus"] = ratio[..., :2].amax((-1, -2))
                    row["d8_minus"] = ratio[..., 2:].amax((-1, -2))
                for key, value in row.items():
                    if key not in rec:
                        rec[key] = torch.empty(*value.shape, len(record_steps), dtype=value.dtype, device=dev)
                    rec[key][..., recorded[t]] = value
                if check:  # Lemma 5.1 / 5.3: the recursion against the autograd increment
                    args = (p1.detach(), p2.detach(), *(f.detach() for f in feats_w[2:]), lpw[1], y, scale,
                            enc.nx2, cfg.eta, cfg.tau)
                    lemma_err = torch.maximum(lemma_err, _rel_err(inc_auto, recursion_increments(*args)))
                    lemma_ctl = torch.minimum(lemma_ctl, _rel_err(inc_auto, recursion_increments(*args, with_negatives=False)))
        if t == cfg.steps:
            break
        with torch.no_grad():
            gamma = gamma + inc[0]
            rho = rho + inc[1]
            if multi:
                inc_t = coefficient_increments(grads[2], grads[3], y, scale_t, enc_t.nx2, cfg.eta)
                gamma_t = gamma_t + inc_t[0]
                rho_t = rho_t + inc_t[1]
    rec["flipped"] = flipped.to(F64).mean(-1)
    rec["loss_every_step"] = loss_steps                             # (R, P, steps + 1)
    rec["dist2_t1"] = dist2_t1
    rec["dist2_every_step"] = dist_steps                            # (R, P, steps + 1)
    if multi:
        rec["mismatch0"] = mismatch0.to(F64).mean(-1)
        rec["resynced"] = resynced.to(F64).sum(-1) / mismatch0.to(F64).sum(-1).clamp_min(1)
    # C.7: rho stays exactly 0 on I^(0)_- (single-modal); the control pairs are I^(0)_+
    moved = (rho.abs() > 0).to(F64)
    rec["rho_moved_neg"] = (moved * (1 - pos0)).sum((-1, -2)) / (1 - pos0).sum((-1, -2)).clamp_min(1)
    rec["rho_moved_pos"] = (moved * pos0).sum((-1, -2)) / pos0.sum((-1, -2)).clamp_min(1)
    rec["rho_neg_rel"] = (rho.abs() * (1 - pos0)).amax((-1, -2)) / (rho * pos0).amax((-1, -2))
    return _Trained(gamma, rho, gamma_t, rho_t, rec, lemma_err, lemma_ctl, grad_err)


# ----------------------------------------------------------------------------------------------------
# Downstream probe
# ----------------------------------------------------------------------------------------------------


def _probe_noise(cfg: _Config, data: dict) -> dict[str, torch.Tensor]:
    """``<v, zeta>`` for ``v`` in ``(w0_r, e_0, e_1, xi_i)``, drawn exactly as ``N(0, sigma_xi^2 Gram)``."""
    xi, w0 = data["xi"], data["w0"]
    R, d = xi.shape[0], cfg.d
    basis_e = torch.zeros(2, d, dtype=F64, device=xi.device)
    basis_e[0, 0] = basis_e[1, 1] = 1.0
    B = torch.cat([w0, basis_e.expand(R, 2, d), xi], 1)                      # (R, m + 2 + n, d)
    norms = B.norm(dim=-1)
    corr = (B @ B.transpose(1, 2)) / (norms.unsqueeze(-1) * norms.unsqueeze(-2))
    L = torch.linalg.cholesky(corr) * norms.unsqueeze(-1)                      # Gram = L L^T
    proj = cfg.sigma_xi * data["g_probe"] @ L.transpose(1, 2)                  # (R, N, m + 2 + n)
    m = cfg.m
    return {"w0": proj[..., :m], "e0": proj[..., m], "xi": proj[..., m + 2:]}


def _logistic_error(F: torch.Tensor, y: torch.Tensor, cfg: _Config) -> torch.Tensor:
    """Train an L2-regularised logistic regression on the first ``n_probe`` samples (standardised
    features, Newton's method) and return the 0/1 error on the other ``n_test``. ``F (..., N, m)``,
    ``y (R, N)`` broadcast over the middle axes; returns ``(...)``."""
    ntr = cfg.n_probe
    Ftr = F[..., :ntr, :]
    mean, std = Ftr.mean(-2, keepdim=True), Ftr.std(-2, keepdim=True) + 1e-12
    ones = torch.ones_like(F[..., :1])
    X = torch.cat([(F - mean) / std, ones], -1)
    Xtr, Xte = X[..., :ntr, :], X[..., ntr:, :]
    shape = [y.shape[0]] + [1] * (F.dim() - 3) + [y.shape[1]]
    yy = y.view(shape)
    t = (yy[..., :ntr] > 0).to(F64)
    k = X.shape[-1]
    w = torch.zeros(*X.shape[:-2], k, dtype=F64, device=F.device)
    reg = cfg.probe_l2 * torch.eye(k, dtype=F64, device=F.device)
    for _ in range(cfg.probe_iters):
        p = torch.sigmoid((Xtr @ w.unsqueeze(-1)).squeeze(-1))
        grad = (Xtr.transpose(-1, -2) @ (p - t).unsqueeze(-1)).squeeze(-1) / ntr + cfg.probe_l2 * w
        hess = Xtr.transpose(-1, -2) @ (Xtr * (p * (1 - p)).unsqueeze(-1)) / ntr + reg
        w = w - torch.linalg.solve(hess, grad.unsqueeze(-1)).squeeze(-1)
    score = (Xte @ w.unsqueeze(-1)).squeeze(-1)
    err = ((score * yy[..., ntr:]) <= 0).to(F64).mean(-1)
    return torch.where(torch.isfinite(w).all(-1), err, torch.full_like(err, math.nan))   # a diverged probe is NaN


def _downstream(cfg: _Config, data: dict, enc: _Encoder, gamma: torch.Tensor, rho: torch.Tensor,
                scale: torch.Tensor, zeta: dict[str, torch.Tensor]) -> torch.Tensor:
    """Probe errors ``(R, P, 4)``: test signal in distribution, paper OOD, theory ``D_test``, and
    ``D_test`` with the test noise projected orthogonally to ``mu`` (``zeta - zeta_0 e_0``, a diagnostic)."""
    R, P = gamma.shape[:2]
    s = _signal_preact(enc, gamma, rho, scale)                                   # <w_r, mu>
    w1 = data["w0"][..., 1].unsqueeze(1) + (rho @ (data["xi"][..., 1] / enc.nx2).view(R, 1, -1, 1)).squeeze(-1)
    noise = (zeta["w0"].transpose(1, 2).unsqueeze(1)
             + gamma.unsqueeze(-1) * zeta["e0"].view(R, 1, 1, -1) / scale.view(1, -1, 1, 1)
             + _times(rho / enc.nx2.view(R, 1, 1, -1), zeta["xi"].transpose(1, 2)))   # (R, P, m, N)
    yk = data["y_probe"].view(R, 1, 1, -1)
    e0_part = s / scale.view(1, -1, 1)                                           # <w_r, e_0>
    kappa = cfg.kappa / math.sqrt(cfg.d)
    nu_dtest = scale.view(1, -1, 1) * (kappa * e0_part + math.sqrt(1 - kappa ** 2) * w1)
    noise_perp = noise - zeta["e0"].view(R, 1, 1, -1) * e0_part.unsqueeze(-1)  # <w_r, zeta - zeta_0 e_0>
    errors = []
    for nu_pre, zeta_pre in ((s, noise), (cfg.nu_frac * s, noise), (nu_dtest, noise), (nu_dtest, noise_perp)):
        feats = torch.relu(nu_pre.unsqueeze(-1) * yk) + torch.relu(zeta_pre)     # (R, P, m, N)
        errors.append(_logistic_error(feats.transpose(-1, -2), data["y_probe"], cfg))
    return torch.stack(errors, -1)


# ----------------------------------------------------------------------------------------------------
# Explicit weights: eq. (11) and the homogeneity (32)-(33)
# ----------------------------------------------------------------------------------------------------


def _explicit_check(cfg: _Config, data: dict, enc: _Encoder, nsnr2: float) -> dict[str, torch.Tensor]:
    """``explicit_steps`` GD steps of the single-modal loss by autograd on the explicit weights ``W``
    ``(R, m, d)`` at ``n SNR^2 = nsnr2``, beside the coefficient GD; the relative distance of the two
    weights, the same without the signal term, and ``<grad_W S, W> / S`` for the summed similarity ``S``."""
    R, m, n, d = data["y"].shape[0], cfg.m, cfg.n, cfg.d
    dev = data["y"].device
    if cfg.explicit_steps < 1:
        nan = torch.full((R,), math.nan, dtype=F64, device=dev)
        return {"span_err": nan, "span_err_nosignal": nan, "homogeneity": nan}
    y, xi, xi_hat, w0 = data["y"], data["xi"], data["xi_hat"], data["w0"]
    mu_norm = math.sqrt(nsnr2 * d / n) * cfg.sigma_xi
    mu = torch.zeros(d, dtype=F64, device=dev)
    mu[0] = mu_norm
    neg = (y.unsqueeze(-1) != y.unsqueeze(-2)).unsqueeze(1)
    scale = torch.tensor([mu_norm], dtype=F64, device=dev)

    def features(W):
        p1 = (W @ mu).unsqueeze(-1) * y.unsqueeze(1)                 # (R, m, n)
        return torch.relu(p1), torch.relu(W @ xi.transpose(1, 2)), torch.relu(W @ xi_hat.transpose(1, 2))

    W = w0.clone()
    gamma = torch.zeros(R, 1, m, dtype=F64, device=dev)
    rho = torch.zeros(R, 1, m, n, dtype=F64, device=dev)
    for _ in range(cfg.explicit_steps):
        Wg = W.clone().requires_grad_(True)
        h1, h2, h2h = features(Wg)
        loss = infonce(h1.unsqueeze(1), h2.unsqueeze(1), h1.detach().unsqueeze(1), h2h.detach().unsqueeze(1),
                       h1.detach().unsqueeze(1), h2.detach().unsqueeze(1), neg, cfg.tau)
        (gW,) = torch.autograd.grad(loss.sum(), (Wg,))
        W = W - cfg.eta * gW
        # the same step on the coefficients
        p1 = (_signal_preact(enc, gamma, rho, scale).unsqueeze(-1) * y.view(R, 1, 1, n)).requires_grad_(True)
        p2 = _noise_preact(enc, gamma, rho, scale).requires_grad_(True)
        a1, a2 = torch.relu(p1), torch.relu(p2)
        a2h = torch.relu(_noise_preact(enc, gamma, rho, scale, augmented=True))
        lc = infonce(a1, a2, a1.detach(), a2h, a1.detach(), a2.detach(), neg, cfg.tau)
        g1, g2 = torch.autograd.grad(lc.sum(), (p1, p2))
        dg, dr = coefficient_increments(g1, g2, y, scale, enc.nx2, cfg.eta)
        gamma, rho = gamma + dg, rho + dr
    noise_part = (rho[:, 0] / enc.nx2.unsqueeze(1)) @ xi                        # sum_i rho xi_i / ||xi_i||^2
    signal_part = gamma[:, 0].unsqueeze(-1) * (mu / mu_norm ** 2)
    moved = (W - w0).flatten(1).norm(dim=-1)
    span_err = (W - (w0 + signal_part + noise_part)).flatten(1).norm(dim=-1) / moved
    span_nosig = (W - (w0 + noise_part)).flatten(1).norm(dim=-1) / moved
    # eq. (32)-(33): the stop-gradient similarity is 1-homogeneous in W
    Wg = W.clone().requires_grad_(True)
    h1, h2, h2h = features(Wg)
    sim = ((h1 * h1.detach()).sum(-2) + (h2 * h2h.detach()).sum(-2)).sum(-1) / m \
        + ((h1.transpose(1, 2) @ h1.detach() + h2.transpose(1, 2) @ h2.detach()) * neg[:, 0]).sum((-1, -2)) / m
    (gS,) = torch.autograd.grad(sim.sum(), (Wg,))
    homogeneity = (gS * W).flatten(1).sum(-1) / sim.detach()
    return {"span_err": span_err, "span_err_nosignal": span_nosig, "homogeneity": homogeneity}


# ----------------------------------------------------------------------------------------------------
# Post-processing (numpy, vectorised over replicas)
# ----------------------------------------------------------------------------------------------------


def _crossing(grid: np.ndarray, values: np.ndarray, level: float, rising: bool) -> np.ndarray:
    """Per replica, the first ``n SNR^2`` where ``values`` (``(R, G)`` on the increasing ``grid``) crosses
    ``level`` upwards (``rising``) or downwards, log-log interpolated; censored at the grid ends (the
    first grid value if it is already past the level, the last if it never gets there)."""
    R, G = values.shape
    past = values >= level if rising else values <= level
    first = np.where(past.any(1), past.argmax(1), G)
    out = np.empty(R)
    lv, lg = np.log(np.maximum(values, 1e-300)), np.log(grid)
    for_interp = (first > 0) & (first < G)
    out[first == 0] = grid[0]
    out[first == G] = grid[-1]
    idx = np.where(for_interp)[0]
    if idx.size:
        j = first[idx]
        v0, v1 = lv[idx, j - 1], lv[idx, j]
        frac = (math.log(level) - v0) / np.where(v1 != v0, v1 - v0, 1.0)
        out[idx] = np.exp(lg[j - 1] + np.clip(frac, 0, 1) * (lg[j] - lg[j - 1]))
    return out


def _slope(t: np.ndarray, q: np.ndarray, t_max: float) -> np.ndarray:
    """Least-squares slope of ``log q`` against ``t`` over the recorded ``t <= t_max`` (per replica)."""
    keep = t <= t_max
    if keep.sum() < 3:
        return np.full(q.shape[0], np.nan)
    x = t[keep]
    lq = np.log(np.maximum(q[:, keep], 1e-300))
    xc = x - x.mean()
    return (lq - lq.mean(1, keepdims=True)) @ xc / (xc @ xc)


def _at_step(t: np.ndarray, q: np.ndarray, step: float) -> np.ndarray:
    """``q`` at the recorded step nearest to ``step`` (NaN beyond the last recorded step)."""
    if step > t[-1]:
        return np.full(q.shape[0], np.nan)
    return q[:, int(np.abs(t - step).argmin())]


# ----------------------------------------------------------------------------------------------------
# The check
# ----------------------------------------------------------------------------------------------------


def _single_threaded(check):
    @functools.wraps(check)
    def wrapper(params, replicas, seeds, device):
        with one_cpu_thread(device):
            return check(params, replicas, seeds, device)
    return wrapper


@fixed_precision("float64", _PRECISION_REASON)
@_single_threaded
def contrastive_comparison(params: Mapping[str, float], replicas: int, seeds: Sequence[int],
                           device: str) -> dict[str, np.ndarray]:
    """Train the single-modal (eq. 6) and the multi-modal (eq. 9) contrastive encoders by full-batch GD
    at every ``n SNR^2`` point, for every replica; measure losses, signal and noise coefficients over
    the iterations, the paper's recursions, growth rates, the end of the first stage and linear-probe
    errors. ``params``: every key of :data:`REQUIRED_PARAMS`. Non-finite training raises
    ``FloatingPointError`` naming the step, the replica and the grid point.

    Returned arrays (first axis replica; ``P`` = the regime point, the paper point, then the grid,
    ``G = snr_points``, ``T`` = recorded steps ``0, record_every, ..., steps``):

    * ``nsnr2_points (R, P)``, ``nsnr2_grid (R, G)``, ``steps_rec (R, T)``: the axes (repeated per replica).
    * ``loss_single_traj``, ``loss_multi_traj`` ``(R, P, T)``: training losses; ``signal_single_traj``,
      ``noise_single_traj``, ``signal_multi_traj``, ``noise_multi_traj`` ``(R, P, T)``: ``max_r |gamma_r|``
      and ``max_{r,i} rho_{r,i}`` of the modality-1 encoder (exact eq. 11 coefficients);
      ``signal_mean_*_traj``, ``noise_mean_*_traj``: the mean over neurons (over pairs with a positive
      initial correlation for rho), the normalisation of the paper's Figure 1.
    * ``ratio_single_grid``, ``ratio_multi_grid``, ``loss_*_grid``, ``err_{id,ood,dtest}_{single,multi}_grid``
      ``(R, G)``: at the last step on the grid. ``err_id``: test signal ``nu = mu``; ``err_ood``:
      ``nu = nu_frac mu`` (section 6); ``err_dtest``: ``<nu, mu> = kappa ||mu||^2 / sqrt d``, ``||nu|| = ||mu||``.
    * ``crossing_single``, ``crossing_multi`` ``(R,)``: ``n SNR^2`` where ``max|gamma| / max rho`` first
      reaches 1 on the grid (log-log interpolation, censored at the grid ends); ``ood_half_single``,
      ``ood_half_multi``: where the OOD error first falls to 0.25 (half of chance).
    * At the regime point (suffix ``_reg``) and the paper point (``_paper``), ``(R,)``: ``loss_single``,
      ``loss_multi``, ``ratio_single``, ``ratio_multi``, ``signal_*``, ``noise_*``, ``err_{id,ood,dtest}_*``;
      ``loss_single_init``, ``loss_multi_init``, ``log1pM`` (``mean_i log(1 + M_i)``).
    * ``lemma51_err``, ``lemma53_err`` ``(R,)``: largest relative deviation between the autograd GD
      increment of the coefficients and the recursion (12)-(13) resp. (15)-(16), over the recorded steps
      that are multiples of 10 and the points; ``*_noneg``: the smallest deviation of the recursion without
      its negatives' term; ``grad_autograd_err``: the largest relative deviation of the GD increments the
      training applies (written-out gradient) from autograd's, at the same steps, both trainings.
    * ``span_err``, ``span_err_nosignal``, ``homogeneity`` ``(R,)``: see :func:`_explicit_check` (NaN
      when ``explicit_steps = 0``).
    * First stage at the regime point: ``rate_signal_single`` (slope of ``log max_r A_r``),
      ``rate_noise_single`` (``log`` of the mean ``Psi`` over pairs with a positive initial
      correlation), ``rate_signal_multi`` (``log max_r (C_mu A_r + A~_r)`` over aligned neurons),
      ``rate_noise_multi`` (``log max Psi``), fitted over recorded steps ``t <= window_frac T1``;
      ``T1_single``, ``T1_multi``; ``c11_pair_frac``: the fraction of pairs with a positive initial
      correlation that meet C.11 (22), ``Psi^(t) >= (1 + 0.96 b)^t Psi^(0)``, at ``t = window_frac T1``; at ``T1``: ``maxA_T1_single``, ``psi_avg_min_T1_single``
      (``min_i (1/m) sum_{r: <w0_r, xi_i> > 0} Psi_{r,i}``), ``syncA_avg_min_T1_multi`` (the smaller of
      ``(1/m) sum A_r`` over ``U+ cap U~+`` and over ``U- cap U~-``), ``psi_max_T1_multi``; the main-text
      conclusions of Lemmas 5.2 and 5.4 at ``T1``: ``rho_maxmin_T1_single`` (``min_i max_r rho_{r,i}``),
      ``gamma_max_T1_multi`` (``max_r gamma_r``), ``rho_max_T1_multi`` (``max_{r,i} rho_{r,i}``).
    * ``err_dtest_perp_*``: the D_test error with the test noise projected orthogonally to ``mu`` (a
      diagnostic: the theory's downstream argument neglects ``gamma <mu, zeta>/||mu||^2``).
    * ``maxA_single_traj``, ``psi_bar_single_traj``, ``sync_multi_traj``, ``psi_max_multi_traj``,
      ``mismatch_multi_traj`` ``(R, T)``: the first-stage quantities at the regime point.
    * Appendix lemmas (issue #6), at the regime point: ``Cl_single``, ``Cl_multi`` (C.2 / D.1: the smallest
      ``C_l`` with ``1/(C_l(1+M_i)) <= l' <= C_l/(1+M_i)`` for every anchor, negative and recorded ``t <= T1``;
      multi: both loss directions); ``c1_xi_*`` (C.1 / D.2: ``max |<w - w0, xi_i> - rho_{r,i}|``) and ``c1_mu_*``
      (``max |<w - w0, mu> - gamma_r| / ||mu||``) over ``t <= T1`` (multi: both encoders); ``d8_plus``,
      ``d8_minus`` (D.8: the largest ``B^(t)_{r,+-,+} / ((1 + 1.05 b)^t B^(0)_{r,+-,+})`` and
      ``B^(t)_{r,+-,-} / B^(0)_{r,+-,-}`` over ``1 <= t <= T1`` of Lemma 5.4, modality 1); ``coef_max_*``
      (C.13: ``max |gamma|, |rho|`` over the whole run; multi: both encoders); ``c14_q_max`` (C.14: the largest
      ``||grad_W L||_F^2 / (max(||mu||^2, sigma_xi^2 d) L)``, single-modal); ``d11_q_max`` (D.11: the same for
      each multi-modal encoder, its own ``||mu||`` or ``||mu~||``, ``L`` the loss (9) of both directions); for C.18 (``c18_*``, single) and
      D.15 (``d15_*``, multi): ``_dist2`` (``||W^(T1) - W*||_F^2``, summed over encoders), ``_T`` (``T1 +
      floor(dist2/(eta eps))``), ``_min_loss`` (smallest loss of every step in ``[T1, min(T, steps)]``),
      ``_avg_excess`` (largest excess of the running average from ``T1`` over
      ``dist2/(eta (t - T1 + 1)) + k eps``, ``k`` = 1 resp. 2), ``_avg_max`` (the largest running average),
      ``_step_margin`` (C.17 / D.14: the smallest ``||W^(t) - W*||^2 - ||W^(t+1) - W*||^2 - eta L(t) + k eta eps``
      over ``T1 <= t < steps``), ``c18_gamma_max``
      (``max |gamma|``) and ``d15_rho_max`` (``max |rho|, |rho~|``) on the recorded steps of ``[T1, T]``.
      ``eps`` is an optional parameter (default 0.05).
    * Sign facts at the regime point: ``flipped_single`` (fraction of neurons whose ``sign <w_r, mu>``
      ever left its initial value), ``flipped_multi`` (the same, multi-modal), ``rho_moved_neg`` /
      ``rho_moved_pos`` (fraction of pairs with negative / positive initial correlation whose ``rho`` ever
      moved from 0), ``rho_neg_rel`` (largest ``|rho|`` on the former over the largest ``rho`` on the
      latter), ``mismatch_init``,
      ``mismatch_end`` (fraction of neurons with ``sign <w_r, mu> != sign <w~_r, mu~>``),
      ``resynced_multi`` (fraction of initially mismatched neurons that became matched at some step).
    """
    cfg = _parse(params)
    if replicas < 1 or len(seeds) != replicas:
        raise ValueError(f"need one seed per replica: replicas={replicas}, len(seeds)={len(seeds)}")
    dev = torch.device(device)
    data = _draw(cfg, seeds, dev)
    R, G = replicas, len(cfg.grid)
    points = np.array(cfg.points)
    scale = torch.tensor(np.sqrt(points * cfg.d / cfg.n) * cfg.sigma_xi, dtype=F64, device=dev)   # ||mu||
    enc = _encoder(data["xi"], data["w0"], data["xi_hat"])
    enc_t = _encoder(data["xi_t"], data["v0"])
    zeta = _probe_noise(cfg, data)

    single = _train(cfg, data, enc, None, scale, multi=False)
    multi = _train(cfg, data, enc, enc_t, scale, multi=True)
    grad_err = torch.maximum(single.grad_err, multi.grad_err).amax(-1)
    if bool((grad_err > GRAD_TOLERANCE).any()):
        raise RuntimeError(f"contrastive_comparison: the written-out InfoMax gradient deviates from autograd's by "
                           f"{float(grad_err.max()):.3g} (relative; tolerance {GRAD_TOLERANCE:g}): the training is not GD")
    err_single = _downstream(cfg, data, enc, single.gamma, single.rho, scale, zeta).cpu().numpy()
    err_multi = _downstream(cfg, data, enc, multi.gamma, multi.rho, scale, zeta).cpu().numpy()
    explicit = {k: v.cpu().numpy() for k, v in _explicit_check(cfg, data, enc, cfg.regime).items()}

    def traj(tr: _Trained, key: str) -> np.ndarray:
        return tr.records[key].cpu().numpy()                       # (R, P, T)

    t_rec = np.array(_record_steps(cfg), dtype=float)
    out: dict[str, np.ndarray] = {
        "nsnr2_points": np.tile(points, (R, 1)), "nsnr2_grid": np.tile(points[2:], (R, 1)),
        "steps_rec": np.tile(t_rec, (R, 1)),
    }
    for name, tr in (("single", single), ("multi", multi)):
        for key in ("loss", "signal", "noise", "signal_mean", "noise_mean"):
            out[f"{key}_{name}_traj"] = traj(tr, key)
    reg, pap, grid_part = 0, 1, slice(2, None)
    ratio = {name: out[f"signal_{name}_traj"][..., -1] / out[f"noise_{name}_traj"][..., -1]
             for name in ("single", "multi")}
    errs = {"single": err_single, "multi": err_multi}
    for name in ("single", "multi"):
        out[f"ratio_{name}_grid"] = ratio[name][:, grid_part]
        out[f"loss_{name}_grid"] = out[f"loss_{name}_traj"][:, grid_part, -1]
        for j, dist in enumerate(DISTS):
            out[f"err_{dist}_{name}_grid"] = errs[name][:, grid_part, j]
        for suffix, p in (("reg", reg), ("paper", pap)):
            out[f"loss_{name}_{suffix}"] = out[f"loss_{name}_traj"][:, p, -1]
            out[f"ratio_{name}_{suffix}"] = ratio[name][:, p]
            out[f"signal_{name}_{suffix}"] = out[f"signal_{name}_traj"][:, p, -1]
            out[f"noise_{name}_{suffix}"] = out[f"noise_{name}_traj"][:, p, -1]
            for j, dist in enumerate(DISTS):
                out[f"err_{dist}_{name}_{suffix}"] = errs[name][:, p, j]
        out[f"loss_{name}_init"] = out[f"loss_{name}_traj"][:, reg, 0]
        if G >= 2:
            grid = np.array(cfg.grid)
            out[f"crossing_{name}"] = _crossing(grid, ratio[name][:, grid_part], 1.0, rising=True)
            out[f"ood_half_{name}"] = _crossing(grid, errs[name][:, grid_part, 1], 0.25, rising=False)
    y = data["y"].cpu().numpy()
    out["log1pM"] = np.log1p((y[:, :, None] != y[:, None, :]).sum(-1)).mean(-1)
    out["grad_autograd_err"] = grad_err.cpu().numpy()
    out["lemma51_err"] = single.lemma_err.amax(-1).cpu().numpy()
    out["lemma51_err_noneg"] = single.lemma_err_control.amin(-1).cpu().numpy()
    out["lemma53_err"] = multi.lemma_err.amax(-1).cpu().numpy()
    out["lemma53_err_noneg"] = multi.lemma_err_control.amin(-1).cpu().numpy()
    out.update(explicit)

    # first stage at the regime point
    T1s, T1m = t1_single(cfg), t1_multi(cfg, cfg.regime)
    out["T1_single"], out["T1_multi"] = np.full(R, T1s), np.full(R, T1m)
    maxA, psi_bar = traj(single, "maxA")[:, reg], traj(single, "psi_bar")[:, reg]
    sync, psi_max = traj(multi, "sync_max")[:, reg], traj(multi, "psi_max")[:, reg]
    out["rate_signal_single"] = _slope(t_rec, maxA, cfg.window_frac * T1s)
    out["rate_noise_single"] = _slope(t_rec, psi_bar, cfg.window_frac * T1s)
    out["rate_signal_multi"] = _slope(t_rec, sync, cfg.window_frac * T1m)
    out["rate_noise_multi"] = _slope(t_rec, psi_max, cfg.window_frac * T1m)
    out["c11_pair_frac"] = _at_step(t_rec, traj(single, "c11_pair_frac")[:, reg], cfg.window_frac * T1s)
    out["maxA_T1_single"] = _at_step(t_rec, maxA, T1s)
    out["psi_avg_min_T1_single"] = _at_step(t_rec, traj(single, "psi_avg_min")[:, reg], T1s)
    out["syncA_avg_min_T1_multi"] = _at_step(t_rec, traj(multi, "syncA_avg_min")[:, reg], T1m)
    out["psi_max_T1_multi"] = _at_step(t_rec, psi_max, T1m)
    out["rho_maxmin_T1_single"] = _at_step(t_rec, traj(single, "rho_maxmin")[:, reg], T1s)
    out["gamma_max_T1_multi"] = _at_step(t_rec, traj(multi, "gamma_max")[:, reg], T1m)
    out["rho_max_T1_multi"] = _at_step(t_rec, traj(multi, "noise")[:, reg], T1m)
    out["maxA_single_traj"], out["psi_bar_single_traj"] = maxA, psi_bar
    out["sync_multi_traj"], out["psi_max_multi_traj"] = sync, psi_max

    # sign facts at the regime point
    out["flipped_single"] = single.records["flipped"][:, reg].cpu().numpy()
    out["flipped_multi"] = multi.records["flipped"][:, reg].cpu().numpy()
    out["rho_moved_neg"] = single.records["rho_moved_neg"][:, reg].cpu().numpy()
    out["rho_moved_pos"] = single.records["rho_moved_pos"][:, reg].cpu().numpy()
    out["mismatch_init"] = multi.records["mismatch0"][:, reg].cpu().numpy()
    out["mismatch_end"] = traj(multi, "mismatch")[:, reg, -1]
    out["resynced_multi"] = multi.records["resynced"][:, reg].cpu().numpy()
    out["rho_neg_rel"] = single.records["rho_neg_rel"][:, reg].cpu().numpy()
    out["mismatch_multi_traj"] = traj(multi, "mismatch")[:, reg]
    out.update(_issue6(cfg, single, multi, t_rec, T1s, T1m, traj))
    return out


def _issue6(cfg: _Config, single: _Trained, multi: _Trained, t_rec: np.ndarray, T1s: float, T1m: float,
            traj) -> dict[str, np.ndarray]:
    """Measurements of C.1, C.2, C.13, C.14, C.18 and D.1, D.2, D.8, D.15 at the regime point (see
    :func:`contrastive_comparison`)."""
    reg, out = 0, {}
    first_s, first_m = t_rec <= T1s, t_rec <= T1m
    after0 = first_m & (t_rec >= 1)

    def over(q: np.ndarray, mask: np.ndarray) -> np.ndarray:      # max over the masked steps (NaN if none)
        return q[:, mask].max(-1) if mask.any() else np.full(q.shape[0], np.nan)

    for key, name in (("cl", "Cl"), ("c1_xi", "c1_xi"), ("c1_mu", "c1_mu")):
        out[f"{name}_single"] = over(traj(single, key)[:, reg], first_s)
        out[f"{name}_multi"] = over(traj(multi, key)[:, reg], first_m)
    out["d8_plus"] = over(traj(multi, "d8_plus")[:, reg], after0)
    out["d8_minus"] = over(traj(multi, "d8_minus")[:, reg], after0)
    out["coef_max_single"] = traj(single, "coef_abs")[:, reg].max(-1)
    out["coef_max_multi"] = traj(multi, "coef_abs")[:, reg].max(-1)
    out["c14_q_max"] = traj(single, "c14_q")[:, reg].max(-1)
    out["d11_q_max"] = np.maximum(traj(multi, "c14_q")[:, reg], traj(multi, "c14_q_t")[:, reg]).max(-1)
    for name, tr, t1, level, noise in (("c18", single, t1_single(cfg), 1.0, None),
                                        ("d15", multi, t1_multi(cfg, cfg.regime), 2.0, ("noise_abs", "noise_abs_t"))):
        t1 = int(round(t1))
        loss = tr.records["loss_every_step"][:, reg].cpu().numpy()              # (R, steps + 1)
        dist2 = tr.records["dist2_t1"][:, reg].cpu().numpy()                     # (R,)
        T = t1 + np.floor(dist2 / (cfg.eta * cfg.eps))
        steps = np.arange(loss.shape[1])
        window = (steps >= t1)[None, :] & (steps[None, :] <= np.minimum(T, cfg.steps)[:, None])   # (R, steps + 1)
        out[f"{name}_T"], out[f"{name}_dist2"] = T, dist2
        out[f"{name}_min_loss"] = np.where(window, loss, np.inf).min(-1)
        tail = np.where(steps >= t1, loss, 0.0)
        count = np.maximum(steps - t1 + 1, 1)
        avg = np.cumsum(tail, -1) / count                                           # running average from T1
        excess = avg - dist2[:, None] / (cfg.eta * count) - level * cfg.eps
        out[f"{name}_avg_excess"] = np.where(window, excess, -np.inf).max(-1)
        out[f"{name}_avg_max"] = np.where(window, avg, -np.inf).max(-1)
        # C.17 / D.14: ||W^(t) - W*||^2 - ||W^(t+1) - W*||^2 - eta L(t) + k eta eps >= 0 for T1 <= t < steps
        dist = tr.records["dist2_every_step"][:, reg].cpu().numpy()
        drop = dist[:, :-1] - dist[:, 1:] - cfg.eta * loss[:, :-1]
        after = steps[:-1] >= t1
        out[f"{name}_step_margin"] = np.where(after, drop + level * cfg.eta * cfg.eps, np.inf).min(-1)
        rec_window = (t_rec[None, :] >= t1) & (t_rec[None, :] <= T[:, None])
        if noise is None:
            out[f"{name}_gamma_max"] = np.where(rec_window, traj(tr, "signal")[:, reg], -np.inf).max(-1)
        else:
            both = np.maximum(traj(tr, noise[0])[:, reg], traj(tr, noise[1])[:, reg])
            out[f"{name}_rho_max"] = np.where(rec_window, both, -np.inf).max(-1)
    return out
