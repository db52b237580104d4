"""Linear composite (late-fusion) models on the w-overlap generator (huang2021).

Simulations behind the specs of ``theorems/huang2021.py`` (the team's note
``papers/generalization-papers.md``, section B: B-S1, B-S2, Appendix Z.2; the generator is
RECONSTRUCTED there and reproduces the paper's Table 4 within 3%).

Generator (Z.2): ``K`` modalities, latent width ``p``; a shared latent ``s ~ N(0, I_p)`` and private
latents ``u_k ~ N(0, I_p)``; modality ``k`` is ``x^(k) = [w s ; (1 - w) u_k]`` in R^{2p};
``y = sum_k 1^T x^(k) + sigma eps = K w 1^T s + (1 - w) sum_k 1^T u_k + sigma eps``. Subsets are the
nested ``M_j = {1, ..., j}`` (the rows of Table 4). The latents are stacked as
``Z = [s, u_1, ..., u_K]`` in R^{p(K+1)}, so ``y = Z c_w + sigma eps`` with ``c_w = [K w 1 ; (1-w) 1 ...]``.

Exact reduction (used throughout, proved in the docstring of :func:`reduced_design`). The design of
subset ``M`` in modality coordinates, ``x_M`` in R^{2p|M|}, equals ``x~_M J`` where
``x~_M = [sqrt(|M|) w s ; (1 - w) u_k, k in M]`` and ``J`` has orthonormal rows; hence the norm-ball
class ``{x_M -> <theta, x_M> : ||theta|| <= B}`` is the same set of functions as
``{x~_M -> <beta, x~_M> : ||beta|| <= B}``, and least squares, ridge and norm-constrained ERM give
the same fitted function in either coordinates (with the same norm). The checks therefore fit in the
``p(1+|M|)`` reduced coordinates (blocks with zero scale, ``s`` at ``w = 0`` and ``u_k`` at ``w = 1``,
are dropped). A fitted predictor is a coefficient vector ``b`` on ``Z``; since ``Z ~ N(0, I)`` its
excess mean squared error is exactly ``||b - c_w||^2`` and its prediction residual is Gaussian with
variance ``||b - c_w||^2 + sigma^2``, which gives the truncated-loss risks in closed form too.

Encoders (Def 1 of the paper: ``eta(g) = inf_h r(h o g) - r(h* o g*)``). The ERM of the composite
``h(g(x)) = beta^T A^T x_M`` fixes only the product ``A beta = theta_hat``: a *bottleneck* encoder
(latent dimension ``d_z = 1``) is ``A = theta_hat``; a *full-rank* encoder (``d_z >= rank``) is
``A = [theta_hat, generic columns]``, whose features span all of ``x_M``, so its ``eta`` is the residual
of the best linear prediction from ``M`` (the note's RECONSTRUCTED Proposition 1). ``eta`` is
estimated the way the paper did: freeze the encoder, refit the head on a fresh sample, and take its
risk minus the oracle risk; the closed form is returned beside it.

Interface of :mod:`checks`; replica ``i`` draws its numbers from ``torch.Generator().manual_seed(seeds[i])``
(in the order documented per check), then everything is stacked and computed batched over replicas in
float64 on ``device``.
"""
from __future__ import annotations

import math
from typing import Mapping, Sequence

import numpy as np
import torch

from checks._params import check_seeds, int_param, per_replica, require, to_numpy
from checks._wishart import gaussian_gram
from verifier.running.compute import fixed_precision

_PRECISION_REASON = "least-squares refits whose test errors are compared cell by cell with the paper's table"

__all__ = [
    "W_GRID",
    "PAPER_TABLE_4",
    "reduced_design",
    "truncated_sq_risk",
    "ball_least_squares",
    "overlap_table",
    "modality_sweep",
]

DTYPE = torch.float64

#: The overlaps of the paper's Table 4 (columns) and its entries (rows m1; m1,m2; m1..m3; m1..m4), as
#: given in the note (B.4, FOUND (secondary)).
W_GRID: tuple[float, ...] = (1.0, 0.8, 0.5, 0.2, 0.0)
PAPER_TABLE_4: tuple[tuple[float, ...], ...] = (
    (0.0, 12.04, 75.89, 193.28, 301.92),
    (0.0, 8.16, 51.25, 129.81, 207.45),
    (0.0, 4.18, 26.06, 65.17, 103.23),
    (0.0, 0.0, 0.0, 0.0, 0.0),
)


def latent_target(K: int, p: int, w: float) -> torch.Tensor:
    """``c_w``: the coefficients of ``y`` on ``Z = [s, u_1..u_K]`` (noise excluded)."""
    return torch.cat([torch.full((p,), K * w, dtype=DTYPE), torch.full((K * p,), 1.0 - w, dtype=DTYPE)])


def reduced_design(K: int, p: int, w: float, j: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Active latent indices and their scales for the subset ``M_j = {1..j}`` at overlap ``w``.

    ``x_M = [w s, (1-w) u_1, w s, (1-w) u_2, ...]`` (``j`` blocks of ``2p``). With
    ``x~ = [sqrt(j) w s, (1-w) u_1, ..., (1-w) u_j]`` and ``J`` the ``p(1+j) x 2pj`` matrix with
    ``x_M = x~ J`` (the ``s``-rows of ``J`` carry ``1/sqrt(j)`` in each of the ``j`` copies, the ``u``-rows an
    identity), ``J J^T = I``: so ``<theta, x_M> = <J theta, x~>`` with ``||J theta|| <= ||theta||`` (equality on
    the row space, where every least-squares, ridge and norm-constrained solution lies). Blocks with a
    zero scale are dropped. Returns (indices into Z, scales)."""
    idx, scale = [], []
    if w > 0:
        idx.append(torch.arange(p))
        scale.append(torch.full((p,), math.sqrt(j) * w, dtype=DTYPE))
    if w < 1:
        for k in range(1, j + 1):
            idx.append(torch.arange(k * p, (k + 1) * p))
            scale.append(torch.full((p,), 1.0 - w, dtype=DTYPE))
    return torch.cat(idx), torch.cat(scale)


def truncated_sq_risk(var: torch.Tensor, C: float) -> torch.Tensor:
    """``E min(r^2, C)`` for ``r ~ N(0, var)``: ``var (1 - 2Q(a) - 2 a phi(a)) + 2 C Q(a)``, ``a = sqrt(C/var)``."""
    s = var.sqrt()
    a = math.sqrt(C) / s
    Q = 0.5 * torch.erfc(a / math.sqrt(2.0))
    phi = torch.exp(-0.5 * a * a) / math.sqrt(2 * math.pi)
    return var * (1 - 2 * Q - 2 * a * phi) + 2 * C * Q


def _solve_spd(M: torch.Tensor, rhs: torch.Tensor, where: str) -> torch.Tensor:
    """Solve ``M x = rhs`` for symmetric positive definite ``M`` (..., q, q), ``rhs`` (..., q) by Cholesky."""
    L, info = torch.linalg.cholesky_ex(M)
    if bool((info != 0).any()):
        raise FloatingPointError(f"{where}: a Gram matrix is not positive definite (replica "
                                 f"{int(torch.nonzero(info.reshape(-1))[0])}); need more samples than features")
    return torch.cholesky_solve(rhs.unsqueeze(-1), L).squeeze(-1)


def ball_least_squares(Gram: torch.Tensor, Xty: torch.Tensor, radius: float, iters: int = 30,
                       rtol: float = 1e-8) -> torch.Tensor:
    """Exact ERM of the squared loss over ``{||beta|| <= radius}``, batched, by Cholesky factorisations only.

    ``Gram`` (..., q, q) = ``X^T X``, ``Xty`` (..., q). By the KKT conditions the minimiser is the
    least-squares solution when its norm is at most ``radius`` and otherwise
    ``beta(lambda) = (X^T X + lambda I)^{-1} X^T y`` with ``||beta(lambda)|| = radius``. ``lambda`` solves the
    secular equation ``1/||beta(lambda)|| = 1/radius`` by Newton's method (More and Sorensen 1983):
    ``lambda <- lambda + (||beta|| / ||q||)^2 (||beta|| - radius) / radius`` with ``q = L^{-1} beta``,
    ``L L^T = X^T X + lambda I``, which increases monotonically to the root from any ``lambda`` where
    ``||beta(lambda)|| > radius`` (the function is concave and increasing). Starts at
    ``lambda_0 = 1e-12 tr(X^T X)/q`` (so singular Gram matrices are fine). Raises ``FloatingPointError`` if
    an active constraint is not met to ``rtol`` after ``iters`` steps (it stops as soon as all are met)."""
    q = Gram.shape[-1]
    eye = torch.eye(q, dtype=Gram.dtype, device=Gram.device)
    lam = 1e-12 * Gram.diagonal(dim1=-2, dim2=-1).mean(-1, keepdim=True)

    def solve(lam: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        L = torch.linalg.cholesky(Gram + lam.unsqueeze(-1) * eye)
        beta = torch.cholesky_solve(Xty.unsqueeze(-1), L)
        return beta.squeeze(-1), L

    beta, L = solve(lam)
    active = beta.norm(dim=-1, keepdim=True) > radius
    for _ in range(int(iters)):
        if not bool((((beta.norm(dim=-1, keepdim=True) - radius).abs() / radius > rtol) & active).any()):
            break
        nb = beta.norm(dim=-1, keepdim=True)
        qv = torch.linalg.solve_triangular(L, beta.unsqueeze(-1), upper=False).squeeze(-1)
        step = (nb / qv.norm(dim=-1, keepdim=True)).pow(2) * (nb - radius) / radius
        lam = torch.where(active, lam + step.clamp_min(0), lam)
        beta, L = solve(lam)
    miss = ((beta.norm(dim=-1, keepdim=True) - radius).abs() / radius > rtol) & active
    if bool(miss.any()):
        raise FloatingPointError("ball_least_squares: the norm constraint was not met after "
                                 f"{iters} Newton steps (first at batch index {torch.nonzero(miss)[0].tolist()})")
    return beta


def _scatter(b_active: torch.Tensor, idx: torch.Tensor, width: int) -> torch.Tensor:
    out = torch.zeros(*b_active.shape[:-1], width, dtype=b_active.dtype, device=b_active.device)
    out[..., idx.to(b_active.device)] = b_active
    return out


# ----------------------------------------------------------------------------------------------------
# B-S1: Table 4 (noise-free, overlap w)
# ----------------------------------------------------------------------------------------------------

TABLE_PARAMS = ("K", "p", "m", "n_refit")


@fixed_precision("float64", _PRECISION_REASON)
def overlap_table(params: Mapping[str, float], replicas: int, seeds: Sequence[int],
                  device: str) -> dict[str, np.ndarray]:
    """B-S1 of the note: Table 4 of the paper, noise-free generator, overlaps ``W_GRID``.

    Params: ``K`` modalities, ``p`` latent width, ``m`` training samples, ``n_refit`` fresh samples to
    refit the head of the frozen encoder. Draws of replica ``i``, in order: the Gram matrix of its training
    latents (m, p(K+1)), then that of its refit latents (n_refit, p(K+1)) (one set each, shared by all
    cells), each drawn from its Wishart law.

    For every cell (subset ``M_j``, ``j = 1..K``; overlap ``w`` in ``W_GRID``; column
    ``(j-1)*5 + index of w``) returns, shape (R, 5K):

    * ``ls_mse``: test MSE of least squares on the concatenated modalities of ``M_j`` (the note's
      reproduction protocol; exact population value, no test-set noise);
    * ``eta_refit``: ``eta`` of the bottleneck encoder ``A = theta_hat`` by freezing it, refitting the
      scalar head by least squares on ``n_refit`` fresh samples, and taking the refitted predictor's risk
      (exact) minus the oracle risk 0 (the generator is noise-free);
    * ``eta_exact``: the same ``eta`` in closed form, ``||c||^2 - (b^T c)^2 / ||b||^2``;
    * ``eta_law``: the note's closed form ``(1 - w)^2 (K - j) p``;
    * ``paper``: the paper's Table 4 entry of the cell (constant rows, for display beside ours).

    Also per cell with a nonzero law (R, n) ``eta_refit_nz`` / ``eta_exact_nz`` / ``ls_mse_nz`` /
    ``eta_law_nz`` / ``paper_nz``; and ``eta_rel_j`` (R, 4) for ``j = 1..K``: ``eta_refit / ((1-w)^2 p)``
    at the four overlaps ``w < 1`` (the law predicts ``K - j``); ``eta_all`` (R, 4) (``j = K``, ``w < 1``) and ``eta_3`` (R, 4) (``j = K - 1``);
    ``eta_w1`` (R, K) (``w = 1``), with ``eta_w08`` (R, K) beside it.
    """
    require(params, TABLE_PARAMS, "overlap_table")
    check_seeds(replicas, seeds)
    K, p, m = int_param(params, "K"), int_param(params, "p"), int_param(params, "m")
    n_refit = int_param(params, "n_refit")
    if K != len(PAPER_TABLE_4):
        raise ValueError(f"overlap_table reproduces Table 4, which has K = {len(PAPER_TABLE_4)} modalities")
    width = p * (K + 1)
    if m < width:
        raise ValueError(f"need m >= p(K+1) = {width} training samples")
    def one(_: int, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
        """The replica's two Gram matrices, which is all both fits see of their samples (noise-free
        ``y = Z c``, so ``Z^T y = Gram c``; the refit's ``<f, y>`` and ``||f||^2`` with ``f = Z b``): drawn
        directly from their Wishart law (:func:`checks._wishart.gaussian_gram`), not from the samples (at the
        full profile 70 000 x 500 normals and their product per replica)."""
        g = torch.Generator(device="cpu").manual_seed(seed)
        return gaussian_gram(g, width, m), gaussian_gram(g, width, n_refit)

    rows = per_replica(one, seeds)
    dev = torch.device(device)
    Gram, Gram_rf = (torch.stack([row[i] for row in rows]).to(dev) for i in range(2))  # (R, width, width)
    ls_mse, eta_refit, eta_exact, law, paper = [], [], [], [], []
    for j in range(1, K + 1):
        for iw, w in enumerate(W_GRID):
            c = latent_target(K, p, w).to(dev)
            idx, _ = reduced_design(K, p, w, j)
            idx = idx.to(dev)
            G_AA = Gram[:, idx][:, :, idx]
            b_act = _solve_spd(G_AA, Gram[:, idx] @ c, "overlap_table")  # least squares (scale-free in reduced coordinates)
            b = _scatter(b_act, idx, width)
            ls_mse.append((b - c).pow(2).sum(-1))
            bc, bb, cc = (b @ c), b.pow(2).sum(-1), c.pow(2).sum()
            eta_exact.append((cc - bc * bc / bb).clamp_min(0))
            # least-squares refit of the scalar head on the frozen encoder's output f = Z_rf b, target Z_rf c
            Gb = (Gram_rf @ b.unsqueeze(-1)).squeeze(-1)
            head = (Gb @ c) / (Gb * b).sum(-1)
            eta_refit.append((head[:, None] * b - c).pow(2).sum(-1))  # its risk (exact) minus the oracle's 0
            law.append(torch.full((len(seeds),), (1 - w) ** 2 * (K - j) * p, dtype=DTYPE, device=dev))
            paper.append(torch.full((len(seeds),), PAPER_TABLE_4[j - 1][iw], dtype=DTYPE, device=dev))
    ls_mse_t, eta_refit_t, eta_exact_t, law_t, paper_t = (torch.stack(t, 1) for t in
                                                        (ls_mse, eta_refit, eta_exact, law, paper))
    nz = law_t[0] > 0
    nw = len(W_GRID)
    below1 = [iw for iw, w in enumerate(W_GRID) if w < 1]
    out = {"ls_mse": ls_mse_t, "eta_refit": eta_refit_t, "eta_exact": eta_exact_t, "eta_law": law_t,
           "paper": paper_t, "eta_refit_nz": eta_refit_t[:, nz], "eta_exact_nz": eta_exact_t[:, nz],
           "ls_mse_nz": ls_mse_t[:, nz], "eta_law_nz": law_t[:, nz], "paper_nz": paper_t[:, nz]}
    for j in range(1, K + 1):
        cols = [(j - 1) * nw + iw for iw in below1]
        out[f"eta_rel_{j}"] = eta_refit_t[:, cols] / torch.as_tensor(
            [(1 - W_GRID[iw]) ** 2 * p for iw in below1], dtype=DTYPE, device=dev)
    out["eta_all"] = eta_refit_t[:, [(K - 1) * nw + iw for iw in below1]]
    out["eta_3"] = eta_refit_t[:, [(K - 2) * nw + iw for iw in below1]]
    out["eta_w1"] = eta_refit_t[:, [(j - 1) * nw + W_GRID.index(1.0) for j in range(1, K + 1)]]
    out["eta_w08"] = eta_refit_t[:, [(j - 1) * nw + W_GRID.index(0.8) for j in range(1, K + 1)]]
    for j in range(1, K):
        for iw, w in enumerate(W_GRID):
            if w < 1:
                out[f"ls_mse_{j}_w{int(round(w * 10)):02d}"] = ls_mse_t[:, (j - 1) * nw + iw]
    return to_numpy(out, "overlap_table")


# ----------------------------------------------------------------------------------------------------
# B-S2 and Theorems 1, 2, Proposition 1: noisy generator, sample-size sweep
# ----------------------------------------------------------------------------------------------------

SWEEP_PARAMS = ("K", "p", "w", "sigma", "ridge_frac", "m_lo", "m_hi", "grid", "draws", "delta", "trunc",
                "n_refit")


@fixed_precision("float64", _PRECISION_REASON)
def modality_sweep(params: Mapping[str, float], replicas: int, seeds: Sequence[int],
                   device: str) -> dict[str, np.ndarray]:
    """B-S2 of the note plus the quantities of Theorems 1 and 2 and Proposition 1, over a sample-size sweep.

    Params: ``K``, ``p``, ``w``, ``sigma`` (label noise), ``ridge_frac`` (B-S2's ridge ``lambda = ridge_frac
    m``), ``m_lo, m_hi, grid`` (log-spaced training sizes, a fresh sample per grid point), ``draws``
    (Rademacher draws), ``delta`` (confidence of the bounds), ``trunc`` (the bounded loss is
    ``min((u - y)^2, C)`` with ``C = (trunc sd(y))^2``, ``L = 2 sqrt(C)``), ``n_refit`` (fresh samples to
    refit the head of a frozen full-rank encoder).

    Draws of replica ``i``, in order: for each ``m``: latents (m, p(K+1)), noise (m,), Rademacher signs
    (draws, m); then the Gram matrix of the refit latents and noise ``[Z, eps]`` (n_refit, p(K+1) + 1), drawn
    from its Wishart law.

    Fits, per ``m`` and subset ``M_j``: the B-S2 ridge fit (``excess_table``); the ERM of the squared
    loss over the norm ball ``||theta|| <= B = ||theta*|| = sqrt(2 p K)`` (:func:`ball_least_squares`; the
    class ``H o G_M`` of the bounds), for ``j in {1, K-1, K}``.

    Returns (R = replicas, G = grid points):

    * ``excess_table`` (R, G, K): excess MSE over the Bayes predictor of the ridge fit on ``M_j``;
      ``excess_1`` / ``excess_K`` (R, G) its columns ``j = 1`` and ``j = K``; ``excess_small_1``,
      ``excess_small_K`` (R,) at the smallest ``m``, ``excess_large_1``, ``excess_large_K`` (R,) at the
      largest; ``m_grid`` (G,);
    * Theorem 1 (``M = [K]``, ``N = {1}``), (R, G): ``risk_gap`` = ``r(h_M g_M) - r(h_N g_N)`` (truncated
      loss, exact), ``gamma`` = ``eta(g_M) - eta(g_N)`` (full-rank encoders, exact), ``thm1_rhs_paper``,
      ``thm1_rhs_tight``;
    * Theorem 2 for ``M = [K]`` and ``M = {1}``, (R, G): ``eta_K`` / ``eta_1`` (full-rank encoders,
      exact), ``Lhat_K`` / ``Lhat_1`` (centred empirical loss ``r_hat(h_M g_M) - r_hat(h* g*)``),
      ``thm2_rhs_paper_K`` / ``_1``, ``thm2_rhs_tight_K`` / ``_1``;
    * Rademacher averages of ``{x_M -> <theta, x_M> : ||theta|| <= B}`` on the sample, (R, G):
      ``rad_K`` / ``rad_1`` (Monte Carlo), ``rad_jensen_K`` (``B sqrt(sum ||x_M||^2) / m``) and
      ``rad_formula_K`` (G,) (the note's ``B sqrt(|M| p (w^2 + (1-w)^2) / m)``);
    * ``risk_gap_small``, ``gamma_small``, ``eta_K_small``, ``Lhat_K_small``, ``eta_1_small``,
      ``Lhat_1_small`` (R,): the same at the smallest ``m``;
    * Proposition 1, ``M = [K]``, ``N = [K-1]``: ``gamma_full_refit`` (R,) (full-rank encoders: their
      ``eta`` does not depend on the training sample; estimated by freezing and refitting the head on the
      ``n_refit`` fresh samples, least squares on every feature, then the refitted head's exact risk
      minus ``r*``); (R, G): ``gamma_full_exact``, ``gamma_bottleneck`` (bottleneck encoders
      ``A = theta_hat``, exact ``eta``), ``gamma_bottleneck_pos`` (0/1: ``gamma_bottleneck > 0``);
    * ``L``, ``C`` (1,), ``trunc_frac`` (R,): fraction of training residuals of the ERM fits beyond
      ``sqrt(C)`` (0 means the truncated-loss ERM is the least-squares ERM computed here).
    """
    require(params, SWEEP_PARAMS, "modality_sweep")
    check_seeds(replicas, seeds)
    K, p, draws, n_refit = int_param(params, "K"), int_param(params, "p"), int_param(params, "draws"), int_param(params, "n_refit")
    w, sigma, ridge_frac = float(params["w"]), float(params["sigma"]), float(params["ridge_frac"])
    delta, trunc = float(params["delta"]), float(params["trunc"])
    G = int_param(params, "grid")
    grid = sorted({int(round(v)) for v in np.geomspace(float(params["m_lo"]), float(params["m_hi"]), G)})
    if len(grid) != G or not (0 < w < 1) or K < 2 or sigma <= 0:
        raise ValueError("need distinct grid points, 0 < w < 1, K >= 2 and sigma > 0")
    width = p * (K + 1)
    c_cpu = latent_target(K, p, w)

    R = len(seeds)
    # drawn straight into the batch's tensors (stacking per-replica draws copied every sample once more)
    Z_cpu = [torch.empty(R, m, width, dtype=DTYPE) for m in grid]
    eps_cpu = [torch.empty(R, m, dtype=DTYPE) for m in grid]
    sig_cpu = [torch.empty(R, draws, m, dtype=DTYPE) for m in grid]
    Gram_rf_cpu, Zty_rf_cpu = torch.empty(R, width, width, dtype=DTYPE), torch.empty(R, width, dtype=DTYPE)

    def one(i: int, seed: int) -> None:
        """Replica ``i``'s training samples, into slot ``i``, and its refit sample as the least-squares refit
        sees it: the Gram matrix of ``[Z, eps]`` drawn from its Wishart law (:func:`checks._wishart.gaussian_gram`),
        which gives ``Z^T Z`` and ``Z^T y = Z^T Z c + sigma Z^T eps`` (the sample itself, 40 000 x 501 normals
        per replica at the full profile, is never drawn)."""
        g = torch.Generator(device="cpu").manual_seed(seed)
        for gi, m in enumerate(grid):
            torch.randn(m, width, generator=g, dtype=DTYPE, out=Z_cpu[gi][i])
            torch.randn(m, generator=g, dtype=DTYPE, out=eps_cpu[gi][i])
            sig_cpu[gi][i] = torch.randint(0, 2, (draws, m), generator=g).to(DTYPE) * 2 - 1
        joint = gaussian_gram(g, width + 1, n_refit)
        Gram_rf_cpu[i] = joint[:width, :width]
        Zty_rf_cpu[i] = joint[:width, :width] @ c_cpu + sigma * joint[:width, width]

    per_replica(one, seeds)
    dev = torch.device(device)
    c = c_cpu.to(dev)
    B = math.sqrt(2 * p * K)  # ||theta*|| with theta* = all ones in modality coordinates
    var_y = float(c.pow(2).sum()) + sigma ** 2
    C = trunc ** 2 * var_y
    L = 2 * math.sqrt(C)
    conf = math.sqrt(2 * math.log(2 / delta))  # sqrt(2 ln(2/delta)); divided by sqrt(m) below
    r_star = truncated_sq_risk(torch.tensor(sigma ** 2, dtype=DTYPE, device=dev), C)

    def risk(b: torch.Tensor) -> torch.Tensor:
        return truncated_sq_risk((b - c).pow(2).sum(-1) + sigma ** 2, C)

    def eta_residual(j: int) -> torch.Tensor:
        """eta of a full-rank encoder of M_j: the truncated risk of the best linear head minus r*."""
        res = (1 - w) ** 2 * (K - j) * p
        return truncated_sq_risk(torch.tensor(res + sigma ** 2, dtype=DTYPE, device=dev), C) - r_star

    Gram_rf, Zty_rf = Gram_rf_cpu.to(dev), Zty_rf_cpu.to(dev).unsqueeze(-1)

    def eta_full_refit(j: int) -> torch.Tensor:
        """Freeze a full-rank encoder of M_j (features span x~_M), refit the head by least squares on the
        fresh sample; its exact risk minus r*."""
        idx, _ = reduced_design(K, p, w, j)
        idx = idx.to(dev)
        b = _scatter(_solve_spd(Gram_rf[:, idx][:, :, idx], Zty_rf[:, idx, 0], "modality_sweep refit"), idx, width)
        return risk(b) - r_star

    eta_full_refit_K, eta_full_refit_K1 = eta_full_refit(K), eta_full_refit(K - 1)

    cols: dict[str, list[torch.Tensor]] = {}

    def put(name: str, value: torch.Tensor) -> None:
        cols.setdefault(name, []).append(value)

    trunc_hits = torch.zeros(len(seeds), dtype=DTYPE, device=dev)
    trunc_total = 0
    for gi, m in enumerate(grid):
        Z, eps, sig = Z_cpu[gi].to(dev), eps_cpu[gi].to(dev), sig_cpu[gi].to(dev)
        y = Z @ c + sigma * eps
        Gram = Z.transpose(1, 2) @ Z
        Zty = (Z.transpose(1, 2) @ y.unsqueeze(-1)).squeeze(-1)
        Zs = sig @ Z  # (R, draws, width): sum_i sigma_i z_i
        emp_star = torch.minimum((y - Z @ c).pow(2), torch.tensor(C, dtype=DTYPE, device=dev)).mean(-1)
        ridge_row = []
        ball: dict[int, torch.Tensor] = {}
        rad: dict[int, torch.Tensor] = {}
        for j in range(1, K + 1):
            idx, scale = reduced_design(K, p, w, j)
            idx, scale = idx.to(dev), scale.to(dev)
            XtX = scale[:, None] * Gram[:, idx][:, :, idx] * scale[None, :]
            Xty = scale * Zty[:, idx]
            eye = torch.eye(idx.numel(), dtype=DTYPE, device=dev)
            beta_r = _solve_spd(XtX + ridge_frac * m * eye, Xty, "modality_sweep ridge")
            ridge_row.append((_scatter(scale * beta_r, idx, width) - c).pow(2).sum(-1))
            if j in (1, K - 1, K):
                beta_b = ball_least_squares(XtX, Xty, B)
                ball[j] = _scatter(scale * beta_b, idx, width)
                resid = y - (Z @ ball[j].unsqueeze(-1)).squeeze(-1)
                trunc_hits = trunc_hits + (resid.pow(2) > C).to(DTYPE).sum(-1)
                trunc_total += m
                sums = Zs[:, :, idx] * scale  # (R, draws, q): sum_i sigma_i x~_i
                rad[j] = B * sums.norm(dim=-1).mean(-1) / m
                if j == K:
                    put("rad_jensen_K", B * (XtX.diagonal(dim1=-2, dim2=-1).sum(-1)).sqrt() / m)
        put("excess_table", torch.stack(ridge_row, -1))
        r_K, r_1 = risk(ball[K]), risk(ball[1])
        eta_K, eta_1 = eta_residual(K).expand_as(r_K), eta_residual(1).expand_as(r_K)
        gamma = eta_K - eta_1
        s = conf / math.sqrt(m)
        put("risk_gap", r_K - r_1)
        put("gamma", gamma)
        put("thm1_rhs_paper", gamma + 8 * L * rad[K] + 4 * C / math.sqrt(m) + 2 * C * s)
        put("thm1_rhs_tight", gamma + 4 * L * rad[K] + C * s)
        for j, name in ((K, "K"), (1, "1")):
            emp = torch.minimum((y - (Z @ ball[j].unsqueeze(-1)).squeeze(-1)).pow(2),
                                torch.tensor(C, dtype=DTYPE, device=dev)).mean(-1)
            Lhat = emp - emp_star
            eta = eta_residual(j).expand_as(Lhat)
            put(f"eta_{name}", eta)
            put(f"Lhat_{name}", Lhat)
            put(f"thm2_rhs_paper_{name}", 4 * L * rad[j] + 4 * L * rad[K] + 6 * C * s + Lhat)
            put(f"thm2_rhs_tight_{name}", 2 * L * rad[j] + Lhat + C * s)
        put("rad_K", rad[K])
        put("rad_1", rad[1])
        # Proposition 1: M = [K], N = [K-1]
        bK, bK1 = ball[K], ball[K - 1]
        eta_bn = lambda b: truncated_sq_risk(  # noqa: E731  bottleneck: best scalar head on <b, z>
            (c.pow(2).sum() - (b @ c).pow(2) / b.pow(2).sum(-1)).clamp_min(0) + sigma ** 2, C) - r_star
        gb = eta_bn(bK) - eta_bn(bK1)
        put("gamma_bottleneck", gb)
        put("gamma_bottleneck_pos", (gb > 0).to(DTYPE))
        put("gamma_full_exact", (eta_residual(K) - eta_residual(K - 1)).expand_as(gb))

    out: dict[str, torch.Tensor | np.ndarray] = {name: torch.stack(v, 1) for name, v in cols.items()}
    out["gamma_full_refit"] = eta_full_refit_K - eta_full_refit_K1
    for name in ("risk_gap", "gamma", "eta_K", "Lhat_K", "eta_1", "Lhat_1"):
        out[f"{name}_small"] = out[name][:, 0]
    table = out["excess_table"]
    out.update({
        "excess_1": table[..., 0], "excess_K": table[..., K - 1],
        "excess_small_1": table[:, 0, 0], "excess_small_K": table[:, 0, K - 1],
        "excess_large_1": table[:, -1, 0], "excess_large_K": table[:, -1, K - 1],
        "m_grid": np.asarray(grid, dtype=float),
        "rad_formula_K": B * np.sqrt(K * p * (w ** 2 + (1 - w) ** 2) / np.asarray(grid, dtype=float)),
        "L": np.asarray([L]), "C": np.asarray([C]), "trunc_frac": trunc_hits / trunc_total,
    })
    return to_numpy(out, "modality_sweep")
