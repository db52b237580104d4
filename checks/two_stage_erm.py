"""Multimodal two-stage ERM, Gaussian averages and the sign-of-sine separation (lu2023).

Simulations behind the specs of ``theorems/lu2023.py`` (the team's note
``papers/generalization-papers.md``, section A; its A-S1 and A-S2 experiments and Appendix Z.3, Z.4):

* :func:`gaussian_averages` (Def A.1): Monte Carlo Gaussian and Rademacher averages of the linear
  classes used by Theorem A.4, against their closed forms / Jensen bounds.
* :func:`uniform_deviation` (Lemma A.a): the uniform deviation ``sup_a (E a - E_N a)`` of a bounded
  linear class, which has a closed form, against the Gaussian-average bound.
* :func:`two_stage_erm` (two-stage ERM, Def A.2, Theorem A.4, Corollary A.5): the A-S1 instance with
  bounded (spherical) data so that the assumptions (A1)-(A3) hold, an ``n`` sweep and an ``m`` sweep.
* :func:`separation` (Theorem A.7, Def A.3): the re-parametrised sign-of-sine instance of A-S2.

Interface of :mod:`checks`: ``fn(params, replicas, seeds, device) -> dict of numpy arrays``. Replica
``i`` draws all of its random numbers on the CPU from ``torch.Generator().manual_seed(seeds[i])`` in a
fixed order, so it is the same whatever the batch size; the draws are stacked along a leading replica
axis, moved to ``device`` and everything after that is batched over replicas (loops run over grid
points and solver iterations only). Arithmetic is float64 on every device: the excess risks of A-S1 are
differences of order 1e-5 between risks of order 0.1.

A-S1 data model (bounded version of the note's; RECONSTRUCTED setup, concrete values are the note's):
``x`` uniform on the sphere of radius ``sqrt(d)`` (identity covariance, ``||x|| = sqrt(d)``),
``y = W* x + sigma_y eps`` with ``W*_{ab} ~ N(0, 1/d)`` and ``eps`` uniform on the sphere of radius
``sqrt(k)``, ``z_t = <v*_t, y> + sigma_z xi`` with ``xi ~ N(0, 1)`` and ``||v*_t|| = v_norm``; loss
``l(u, z) = min(|u - z|, 1)``; classes ``G = {x -> W x : ||W||_F <= B_W}`` and
``F = {y -> <v, y> : ||v|| <= 1}`` (so ``L = 1``). The two stages are exact ERMs computed by
iteratively reweighted least squares (IRLS, batched ``torch.linalg.solve``):
``W_hat = argmin sum_j ||W x'_j - y'_j||`` on the ``mT`` pooled unlabelled pairs and
``v_hat_t = argmin sum_i |<v, y_ti> - z_ti|`` on the ``n`` labelled triples of task ``t`` (no residual
comes near the clipping level 1, so this is also the ERM of the clipped loss); IRLS reaches the optimum
to about 1e-4 in relative objective or better (checked against a linear program in the tests), and the
bound is evaluated with the empirical objective actually reached.

Exact risks. Every predictor here is linear in ``x``: ``u(x) = <b + W*^T v*, x>``. Its residual is
``u - z = <b, x> - sigma_y <v*, eps> - sigma_z xi = alpha U_d + beta U_k - sigma_z xi`` in law, with
``alpha = sqrt(d) ||b||``, ``beta = sigma_y sqrt(k) ||v*||`` and ``U_d, U_k`` independent coordinates of
uniform unit vectors in R^d, R^k (density proportional to ``(1 - t^2)^((d-3)/2)``). Hence the risk is
``E h(alpha U_d + beta U_k)`` with ``h(a) = E min(|a - sigma_z xi|, 1)`` in closed form, and the
expectation over ``U_d, U_k`` is a 2-D Gauss-Jacobi quadrature: no test set, no Monte Carlo noise in
the measured excess risks. The best multimodal predictor ``v*`` has risk ``h(0)`` and the best unimodal
one ``x -> <W*^T v*, x>`` has risk ``E h(beta U_k)`` (Anderson's lemma: the residual noise is symmetric
and unimodal); their difference is the connection floor.
"""
from __future__ import annotations

import math
from typing import Mapping, Sequence

import numpy as np
import torch
from scipy import special

from checks._params import check_seeds, int_param, require, to_numpy
from verifier.running.compute import fixed_precision

_PRECISION_REASON = "its excess risks are differences of order 1e-5 between risks of order 0.1"

__all__ = [
    "clipped_abs_risk_gaussian",
    "sphere_quadrature",
    "lad_irls",
    "gaussian_averages",
    "uniform_deviation",
    "two_stage_erm",
    "separation",
]

DTYPE = torch.float64


# ----------------------------------------------------------------------------------------------------
# Helpers
# ----------------------------------------------------------------------------------------------------


def _generators(seeds: Sequence[int]) -> list[torch.Generator]:
    return [torch.Generator(device="cpu").manual_seed(int(s)) for s in seeds]


def _sphere(g: torch.Generator, n: int, dim: int, radius: float) -> torch.Tensor:
    """``n`` points uniform on the sphere of radius ``radius`` in R^dim (CPU, float64)."""
    z = torch.randn(n, dim, generator=g, dtype=DTYPE)
    return radius * z / z.norm(dim=1, keepdim=True)


def _geomgrid(lo: float, hi: float, points: int) -> list[int]:
    if points < 2 or lo < 1 or hi <= lo:
        raise ValueError(f"need points >= 2 and 1 <= lo < hi, got {lo}, {hi}, {points}")
    grid = sorted({int(round(v)) for v in np.geomspace(lo, hi, points)})
    if len(grid) != points:
        raise ValueError(f"grid {lo}..{hi} with {points} points has repeated integers")
    return grid


def _normal_tail(u: torch.Tensor) -> torch.Tensor:
    return 0.5 * torch.erfc(u / math.sqrt(2.0))


def _antiderivative_tail(u: torch.Tensor) -> torch.Tensor:
    """``F(u) = u Q(u) - phi(u)``, an antiderivative of the normal tail ``Q``."""
    return u * _normal_tail(u) - torch.exp(-0.5 * u * u) / math.sqrt(2.0 * math.pi)


def clipped_abs_risk_gaussian(a: torch.Tensor, sigma: float) -> torch.Tensor:
    """``h(a) = E min(|a + sigma xi|, 1)`` for ``xi ~ N(0, 1)``, element-wise, in closed form:
    ``int_0^1 P(|a + sigma xi| > t) dt = sigma [F((1-a)/s) - F(-a/s) + F((1+a)/s) - F(a/s)]``."""
    if sigma <= 0:
        raise ValueError("sigma must be positive (the quadrature needs a smooth h)")
    s = float(sigma)
    return s * (_antiderivative_tail((1 - a) / s) - _antiderivative_tail(-a / s)
                + _antiderivative_tail((1 + a) / s) - _antiderivative_tail(a / s))


def sphere_quadrature(dim: int, nodes: int) -> tuple[np.ndarray, np.ndarray]:
    """Gauss-Jacobi nodes and weights (summing to 1) for one coordinate of a uniform unit vector in
    R^dim, whose density is proportional to ``(1 - t^2)^((dim-3)/2)`` on ``[-1, 1]``."""
    if dim < 2:
        raise ValueError("a sphere coordinate needs dim >= 2")
    a = (dim - 3) / 2.0
    t, w = special.roots_jacobi(int(nodes), a, a)
    return t, w / w.sum()


def lad_irls(X: torch.Tensor, Y: torch.Tensor, iters: int, ridge: float = 1e-12) -> torch.Tensor:
    """Batched least absolute deviations ``argmin_B sum_j ||X_j B - Y_j||`` (group norm over the columns
    of ``Y``; plain LAD when ``Y`` has one column) by iteratively reweighted least squares.

    ``X``: (..., N, p), ``Y``: (..., N, q); returns ``B``: (..., p, q). Starts from least squares; each
    step solves the weighted normal equations with weights ``1 / max(||r_j||, eps_t)`` (Weiszfeld's
    majorisation of the ``eps_t``-smoothed objective), ``eps_t`` decreasing geometrically from the mean
    initial residual to ``1e-8`` times it over the ``iters`` steps (a fixed tiny ``eps`` lets points whose
    residual happens to vanish early stick). For plain LAD the result is then polished to the
    linear-programming vertex through the ``p`` smallest residuals where that lowers the objective. On
    random problems (tests) the objective ends within about 1e-4 (relative) of the exact
    linear-programming optimum, most often exactly on it: far below the statistical error of the fits."""
    eye = torch.eye(X.shape[-1], dtype=X.dtype, device=X.device)
    Xt = X.transpose(-1, -2)
    B = torch.linalg.solve(Xt @ X + ridge * eye, Xt @ Y)
    r0 = (Y - X @ B).norm(dim=-1).mean(dim=-1, keepdim=True).clamp_min(1e-300)
    steps = max(int(iters), 1)
    for t in range(int(iters)):
        eps = r0 * 1e-8 ** ((t + 1) / steps)
        w = 1.0 / torch.maximum((Y - X @ B).norm(dim=-1), eps)
        w = w / w.mean(dim=-1, keepdim=True)  # scale-free weights keep the normal equations well conditioned
        B = torch.linalg.solve(Xt @ (X * w.unsqueeze(-1)) + ridge * eye, Xt @ (Y * w.unsqueeze(-1)))
    if Y.shape[-1] == 1 and X.shape[-2] >= X.shape[-1]:
        p = X.shape[-1]
        support = (Y - X @ B).abs().squeeze(-1).argsort(dim=-1)[..., :p]
        Xs = X.gather(-2, support.unsqueeze(-1).expand(*support.shape, p))
        vertex = torch.linalg.solve(Xs, Y.gather(-2, support.unsqueeze(-1)))
        better = (Y - X @ vertex).abs().sum(dim=(-2, -1)) < (Y - X @ B).abs().sum(dim=(-2, -1))
        better = better & torch.isfinite(vertex).all(dim=-1).all(dim=-1)
        B = torch.where(better[..., None, None], vertex, B)
    return B


def _gaussian_norm_mean(C: torch.Tensor, Z: torch.Tensor) -> torch.Tensor:
    """``E ||N(0, C) ⊗ I_q||_F`` by Monte Carlo: ``C`` (..., p, p) PSD, ``Z`` (..., draws, p, q)
    standard normal; returns (...,). Uses ``sum_i gamma_i x_i ~ N(0, X^T X)`` (Cholesky factor, with a
    tiny jitter for rank-deficient ``C``)."""
    p = C.shape[-1]
    scale = C.diagonal(dim1=-2, dim2=-1).mean(-1).clamp_min(1e-300)
    jitter = 1e-12 * scale[..., None, None] * torch.eye(p, dtype=C.dtype, device=C.device)
    L = torch.linalg.cholesky(C + jitter)
    return (L.unsqueeze(-3) @ Z).flatten(-2).norm(dim=-1).mean(-1)


# ----------------------------------------------------------------------------------------------------
# Def A.1: Gaussian averages of linear classes
# ----------------------------------------------------------------------------------------------------

GA_PARAMS = ("N", "k", "d", "B_W", "draws")
DRAW_CHUNK = 128  # Monte Carlo draws per batched matmul in gaussian_averages (memory; values unchanged)


@fixed_precision("float64", _PRECISION_REASON)
def gaussian_averages(params: Mapping[str, float], replicas: int, seeds: Sequence[int],
                      device: str) -> dict[str, np.ndarray]:
    """Gaussian averages of the two linear classes of Theorem A.4 on Gaussian inputs (Appendix Z.4).

    Params: ``N`` points, ``k`` (dimension of ``y`` / rows of ``W``), ``d`` (dimension of ``x``),
    ``B_W`` (Frobenius radius of ``G``), ``draws`` (Monte Carlo draws of the Gaussian vector).

    Per replica (shape (R,)): ``G_ball`` = ``E ||sum_i gamma_i y_i||`` (the Gaussian average of
    ``{(<v, y_i>)_i : ||v|| <= 1}``), ``G_ball_jensen`` = ``sqrt(sum_i ||y_i||^2)``, ``rad_ball`` = the
    Rademacher average ``E ||sum_i epsilon_i y_i||``; ``G_mat_full`` = ``B_W E ||X^T Gamma||_F`` with
    ``Gamma`` an (N, k) Gaussian matrix drawn in full, ``G_mat_reduced`` = the same through
    ``X^T Gamma ~ (X^T X)^{1/2} Z`` (the reduction :func:`two_stage_erm` uses), ``G_mat_jensen`` =
    ``B_W sqrt(k sum_j ||x_j||^2)``. ``x_j ~ N(0, I_d)``, ``y_i ~ N(0, I_k)``.
    """
    require(params, GA_PARAMS, "gaussian_averages")
    check_seeds(replicas, seeds)
    N, k, d, draws = int_param(params, "N"), int_param(params, "k"), int_param(params, "d"), int_param(params, "draws")
    B_W = float(params["B_W"])
    R = len(seeds)
    # drawn straight into the batch's tensors (a list of draws, stacked, was a second copy of the largest,
    # Gamma: 5 GB at the full profile's 32 replicas)
    Y, X = torch.empty(R, N, k, dtype=DTYPE), torch.empty(R, N, d, dtype=DTYPE)
    gam, eps = torch.empty(R, draws, N, dtype=DTYPE), torch.empty(R, draws, N, dtype=DTYPE)
    Gam, Z = torch.empty(R, draws, N, k, dtype=DTYPE), torch.empty(R, draws, d, k, dtype=DTYPE)
    for i, g in enumerate(_generators(seeds)):
        torch.randn(N, k, generator=g, dtype=DTYPE, out=Y[i])
        torch.randn(N, d, generator=g, dtype=DTYPE, out=X[i])
        torch.randn(draws, N, generator=g, dtype=DTYPE, out=gam[i])
        eps[i] = torch.randint(0, 2, (draws, N), generator=g).to(DTYPE) * 2 - 1
        torch.randn(draws, N, k, generator=g, dtype=DTYPE, out=Gam[i])
        torch.randn(draws, d, k, generator=g, dtype=DTYPE, out=Z[i])
    dev = torch.device(device)
    Y, X, gam, eps, Gam, Z = (t.to(dev) for t in (Y, X, gam, eps, Gam, Z))
    G_ball = (gam @ Y).norm(dim=-1).mean(-1)
    rad_ball = (eps @ Y).norm(dim=-1).mean(-1)
    G_ball_jensen = Y.pow(2).sum(dim=(1, 2)).sqrt()
    # X^T Gamma per draw, DRAW_CHUNK draws at a time: the broadcast matmul copies X^T once per draw
    # (all 2000 at once: 10 GB at the full profile's 32 replicas)
    Xt = X.transpose(1, 2).unsqueeze(1)
    G_mat_full = B_W * torch.cat([(Xt @ Gam[:, start:start + DRAW_CHUNK]).flatten(-2).norm(dim=-1)
                                  for start in range(0, draws, DRAW_CHUNK)], dim=1).mean(-1)
    G_mat_reduced = B_W * _gaussian_norm_mean(X.transpose(1, 2) @ X, Z)
    G_mat_jensen = B_W * (k * X.pow(2).sum(dim=(1, 2))).sqrt()
    return to_numpy({"G_ball": G_ball, "G_ball_jensen": G_ball_jensen, "rad_ball": rad_ball,
                 "G_mat_full": G_mat_full, "G_mat_reduced": G_mat_reduced, "G_mat_jensen": G_mat_jensen},
                "gaussian_averages")


# ----------------------------------------------------------------------------------------------------
# Lemma A.a: uniform deviation of a bounded linear class
# ----------------------------------------------------------------------------------------------------

UD_PARAMS = ("d", "radius", "N_lo", "N_hi", "grid", "draws", "delta")


@fixed_precision("float64", _PRECISION_REASON)
def uniform_deviation(params: Mapping[str, float], replicas: int, seeds: Sequence[int],
                      device: str) -> dict[str, np.ndarray]:
    """Lemma A.a on the class ``A = {x -> <v, x> + r : ||v|| <= 1}`` with ``x`` uniform on the sphere of
    radius ``r`` in R^d (values in ``[0, B]``, ``B = 2r``).

    ``sup_{a in A} (E a - E_N a) = ||mu - mu_hat_N|| = ||mean of the x_i||`` (``mu = 0``) is exact, and
    ``G(A(X)) = E ||sum_i gamma_i x_i||`` (the constant shift contributes ``E sum_i gamma_i r = 0``).
    Returns, over the grid ``N_grid`` (G,) of log-spaced sample sizes (fresh samples per grid point):
    ``deviation`` (R, G), ``ua_bound`` (R, G) = ``sqrt(2 pi) G / N + B sqrt(ln(1/delta) / (2N))``,
    ``complexity_term`` (R, G) = ``sqrt(2 pi) G / N``, ``N_grid`` (G,).
    """
    require(params, UD_PARAMS, "uniform_deviation")
    check_seeds(replicas, seeds)
    d, draws = int_param(params, "d"), int_param(params, "draws")
    r, delta = float(params["radius"]), float(params["delta"])
    grid = _geomgrid(float(params["N_lo"]), float(params["N_hi"]), int_param(params, "grid"))
    gens = _generators(seeds)
    per_point = [[(_sphere(g, N, d, r), torch.randn(draws, d, 1, generator=g, dtype=DTYPE)) for g in gens]
                 for N in grid]
    dev = torch.device(device)
    deviation, bound, comp = [], [], []
    for N, draws_here in zip(grid, per_point):
        X = torch.stack([x for x, _ in draws_here]).to(dev)
        Z = torch.stack([z for _, z in draws_here]).to(dev)
        D = X.mean(dim=1).norm(dim=-1)
        G = _gaussian_norm_mean(X.transpose(1, 2) @ X, Z)
        c = math.sqrt(2 * math.pi) * G / N
        deviation.append(D)
        comp.append(c)
        bound.append(c + 2 * r * math.sqrt(math.log(1 / delta) / (2 * N)))
    return to_numpy({"deviation": torch.stack(deviation, 1), "ua_bound": torch.stack(bound, 1),
                 "complexity_term": torch.stack(comp, 1), "N_grid": np.asarray(grid, dtype=float)},
                "uniform_deviation")


# ----------------------------------------------------------------------------------------------------
# A-S1: two-stage ERM
# ----------------------------------------------------------------------------------------------------

ERM_PARAMS = ("d", "k", "T", "sigma_y", "sigma_z", "v_norm", "bw_factor", "delta", "n_lo", "n_hi", "m_fix",
              "m_lo", "m_hi", "n_fix", "grid", "draws", "quad", "irls_iters")


class _Risk:
    """Exact risk ``E h(alpha U_d + beta U_k)`` of a linear unimodal predictor (module docstring)."""

    def __init__(self, d: int, k: int, sigma_z: float, nodes: int, device: torch.device):
        td, wd = sphere_quadrature(d, nodes)
        tk, wk = sphere_quadrature(k, nodes)
        self.td = torch.as_tensor(td, dtype=DTYPE, device=device)
        self.wd = torch.as_tensor(wd, dtype=DTYPE, device=device)
        self.tk = torch.as_tensor(tk, dtype=DTYPE, device=device)
        self.wk = torch.as_tensor(wk, dtype=DTYPE, device=device)
        self.sigma_z = sigma_z
        self.h0 = float(clipped_abs_risk_gaussian(torch.zeros((), dtype=DTYPE), sigma_z))

    def __call__(self, alpha: torch.Tensor, beta: torch.Tensor) -> torch.Tensor:
        a = alpha[..., None, None] * self.td[:, None] + beta[..., None, None] * self.tk[None, :]
        h = clipped_abs_risk_gaussian(a, self.sigma_z)
        return (h * self.wd[:, None] * self.wk[None, :]).sum(dim=(-2, -1))


def _clipped_abs(r: torch.Tensor) -> torch.Tensor:
    return r.abs().clamp_max(1.0)


@fixed_precision("float64", _PRECISION_REASON)
def two_stage_erm(params: Mapping[str, float], replicas: int, seeds: Sequence[int],
                  device: str) -> dict[str, np.ndarray]:
    """A-S1 of the note: two-stage multimodal ERM against Theorem A.4, with an ``n`` sweep and an ``m`` sweep.

    Params: ``d``, ``k``, ``T`` (tasks), ``sigma_y`` (connection noise), ``sigma_z`` (label noise),
    ``v_norm`` (``||v*_t||``), ``bw_factor`` (``B_W = bw_factor ||W*||_F``), ``delta`` (confidence of the
    bound), ``n_lo, n_hi, grid`` (labelled sizes per task of the ``n`` sweep), ``m_fix`` (unlabelled
    pairs per task in the ``n`` sweep), ``m_lo, m_hi`` (unlabelled pairs per task of the ``m`` sweep,
    same number of grid points), ``n_fix`` (labelled samples per task in the ``m`` sweep), ``draws``
    (Monte Carlo draws for the Gaussian averages), ``quad`` (quadrature nodes per axis), ``irls_iters``.

    Random draws of replica ``i``, in order: ``W*`` (k, d), ``v*`` (T, k); the ``n`` sweep's unlabelled
    set (``m_fix T`` pairs) and its Gaussian draws; for each ``n`` of the grid, ``T`` fresh labelled
    sets and their Gaussian draws; the ``m`` sweep's labelled set (``n_fix`` per task); for each ``m``,
    a fresh unlabelled set and its Gaussian draws. In the ``n`` sweep one connection ``W_hat`` serves
    every grid point of a replica; in the ``m`` sweep one set of predictors ``v_hat`` does.

    Returns (R = replicas, Gn / Gm grid points):

    * ``n`` sweep (R, Gn): ``lhs_n`` (Theorem A.4's LHS: mean over tasks of unimodal risk of
      ``x -> <v_hat_t, W_hat x>`` minus the best multimodal risk), ``rhs_n`` (its RHS),
      ``pred_term_n`` (``sqrt(2 pi)/(nT) sum_t G(F(S_t)) + sqrt(2 ln(4/delta)/(nT))``), ``excess_n``
      (``lhs_n - floor``), ``uni_excess_n`` (unimodal ERM over the composite class
      ``{x -> <u, x> : ||u|| <= B_W}`` on the same ``n`` labelled pairs ``(x, z)``, minus the floor),
      ``gap_ratio_n`` (``uni_excess_n / excess_n``); ``n_grid`` (Gn,).
    * ``m`` sweep (R, Gm): ``lhs_m``, ``rhs_m``, ``conn_term_m`` (``sqrt(2 pi)/(mT) G(G(X')) +
      B sqrt(ln(4/delta)/(2mT))``), ``conn_excess_m`` (mean over tasks of risk of ``<v_hat_t, W_hat x>``
      minus risk of ``<v_hat_t, W* x>``: the cost of the learned connection), ``r_emp_m``
      (``R(G, S')``, the empirical connection objective of ``W_hat``); ``mT_grid`` (Gm,).
    * per replica, shape (R, 1) so that they broadcast against the (R, G) grids: ``floor`` (best
      unimodal minus best multimodal risk), ``r_pop`` (``R(G, mu) = sigma_y sqrt(k)``), ``r_emp_fix``
      (``R(G, S')`` at ``m_fix``), ``conn_obj_star`` (empirical connection objective of ``W*`` on the same
      sample); per replica (R,): ``pred_emp_hat`` / ``pred_emp_star``
      (empirical clipped loss of ``v_hat`` / ``v*`` on the ``n_fix`` labelled sets, mean over tasks),
      ``uni_emp_hat`` / ``uni_emp_star`` (the same for the unimodal ERM ``u_hat`` / ``W*^T v*`` at the
      largest ``n``), ``B`` (the constant of (A3)), ``constraint_active`` (fraction of fits outside their
      class: ``||v|| > 1``, ``||W||_F > B_W`` or ``||u|| > B_W``; the specs need it to be 0).
    """
    require(params, ERM_PARAMS, "two_stage_erm")
    check_seeds(replicas, seeds)
    d, k, T = int_param(params, "d"), int_param(params, "k"), int_param(params, "T")
    sy, sz, vn = float(params["sigma_y"]), float(params["sigma_z"]), float(params["v_norm"])
    bw_factor, delta = float(params["bw_factor"]), float(params["delta"])
    G = int_param(params, "grid")
    n_grid = _geomgrid(float(params["n_lo"]), float(params["n_hi"]), G)
    m_grid = _geomgrid(float(params["m_lo"]), float(params["m_hi"]), G)
    m_fix, n_fix = int_param(params, "m_fix"), int_param(params, "n_fix")
    draws, quad, iters = int_param(params, "draws"), int_param(params, "quad"), int_param(params, "irls_iters")
    if d < 2 or k < 2 or T < 1 or not (sz > 0 and sy >= 0 and 0 < vn <= 1):
        raise ValueError("need d, k >= 2, T >= 1, sigma_z > 0, sigma_y >= 0 and 0 < v_norm <= 1")
    if min(n_grid[0], n_fix) < k or min(m_grid[0], m_fix) * T < d:
        raise ValueError("need n >= k labelled triples per task and mT >= d unlabelled pairs")

    def labelled(g: torch.Generator, Wst: torch.Tensor, Vst: torch.Tensor, n: int):
        x = _sphere(g, T * n, d, math.sqrt(d)).reshape(T, n, d)
        y = x @ Wst.T + sy * _sphere(g, T * n, k, math.sqrt(k)).reshape(T, n, k)
        z = (y * Vst[:, None, :]).sum(-1) + sz * torch.randn(T, n, generator=g, dtype=DTYPE)
        gam = torch.randn(T, draws, k, 1, generator=g, dtype=DTYPE)
        return x, y, z, gam

    def unlabelled(g: torch.Generator, Wst: torch.Tensor, m: int):
        x = _sphere(g, T * m, d, math.sqrt(d))
        y = x @ Wst.T + sy * _sphere(g, T * m, k, math.sqrt(k))
        Z = torch.randn(draws, d, k, generator=g, dtype=DTYPE)
        return x, y, Z

    draws_per_replica = []
    for g in _generators(seeds):
        Wst = torch.randn(k, d, generator=g, dtype=DTYPE) / math.sqrt(d)
        Vst = _sphere(g, T, k, vn)
        conn_fix = unlabelled(g, Wst, m_fix)
        lab_n = [labelled(g, Wst, Vst, n) for n in n_grid]
        lab_fix = labelled(g, Wst, Vst, n_fix)
        conn_m = [unlabelled(g, Wst, m) for m in m_grid]
        draws_per_replica.append((Wst, Vst, conn_fix, lab_n, lab_fix, conn_m))

    dev = torch.device(device)

    def stack(get) -> tuple[torch.Tensor, ...]:
        parts = [get(rep) for rep in draws_per_replica]
        return tuple(torch.stack([p[j] for p in parts]).to(dev) for j in range(len(parts[0])))

    Wst, Vst = stack(lambda rep: (rep[0], rep[1]))  # (R, k, d), (R, T, k)
    risk = _Risk(d, k, sz, quad, dev)
    h0 = risk.h0
    B_W = bw_factor * Wst.flatten(1).norm(dim=1)  # (R,)
    W_op = torch.linalg.matrix_norm(Wst, ord=2)  # (R,)
    B_const = (B_W + W_op) * math.sqrt(d) + sy * math.sqrt(k)  # (A3): sup ||W x - y|| over G and the support
    beta = sy * math.sqrt(k) * Vst.norm(dim=-1)  # (R, T)
    floor = (risk(torch.zeros_like(beta), beta) - h0).mean(-1)  # (R,)
    target = Wst.transpose(1, 2) @ Vst.transpose(1, 2)  # (R, d, T): W*^T v*_t
    log4 = math.log(4.0 / delta)
    active: list[torch.Tensor] = []

    def fit_connection(x: torch.Tensor, y: torch.Tensor, Z: torch.Tensor):
        """ERM connection on the pooled unlabelled pairs; returns B = W_hat^T (R, d, k), R(G,S'), G(G(X'))."""
        Bhat = lad_irls(x, y, iters)
        r_emp = (y - x @ Bhat).norm(dim=-1).mean(-1)
        active.append((Bhat.flatten(1).norm(dim=1) > B_W).to(DTYPE))
        ga = B_W * _gaussian_norm_mean(x.transpose(1, 2) @ x, Z)
        return Bhat, r_emp, ga

    def fit_predictors(y: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
        """ERM predictors v_hat_t (R, T, k) on the labelled triples of each task."""
        vhat = lad_irls(y, z.unsqueeze(-1), iters).squeeze(-1)
        active.append((vhat.norm(dim=-1) > 1.0).to(DTYPE).mean(-1))
        return vhat

    def risk_of(b: torch.Tensor) -> torch.Tensor:
        """Mean over tasks of the risk of x -> <b_t + W*^T v*_t, x>; b (R, d, T)."""
        return risk(math.sqrt(d) * b.norm(dim=1), beta).mean(-1)

    # ---- n sweep --------------------------------------------------------------------------------------
    xc, yc, Zc = stack(lambda rep: rep[2])
    Bfix, r_emp_fix, ga_conn_fix = fit_connection(xc, yc, Zc)
    conn_obj_star = (yc - xc @ Wst.transpose(1, 2)).norm(dim=-1).mean(-1)
    mT_fix = m_fix * T
    conn_part_fix = r_emp_fix + math.sqrt(2 * math.pi) * ga_conn_fix / mT_fix \
        + B_const * math.sqrt(log4 / (2 * mT_fix))
    lhs_n, rhs_n, pred_n, uni_n = [], [], [], []
    uni_emp_hat = uni_emp_star = None
    for j, n in enumerate(n_grid):
        x, y, z, gam = stack(lambda rep, j=j: rep[3][j])  # (R,T,n,d), (R,T,n,k), (R,T,n), (R,T,draws,k,1)
        vhat = fit_predictors(y, z)
        lhs = risk_of(Bfix @ vhat.transpose(1, 2) - target) - h0
        ga_pred = _gaussian_norm_mean(y.transpose(-1, -2) @ y, gam).sum(-1)  # sum_t G(F(S_t))
        pred = math.sqrt(2 * math.pi) * ga_pred / (n * T) + math.sqrt(2 * log4 / (n * T))
        uhat = lad_irls(x, z.unsqueeze(-1), iters).squeeze(-1)  # (R, T, d): unimodal ERM on (x, z)
        active.append((uhat.norm(dim=-1) > B_W[:, None]).to(DTYPE).mean(-1))
        uni = risk_of(uhat.transpose(1, 2) - target) - h0
        lhs_n.append(lhs)
        rhs_n.append(pred + conn_part_fix)
        pred_n.append(pred)
        uni_n.append(uni)
        if j == len(n_grid) - 1:
            uni_emp_hat = _clipped_abs(z - (x * uhat[:, :, None, :]).sum(-1)).mean(dim=(1, 2))
            uni_emp_star = _clipped_abs(z - (x * target.transpose(1, 2)[:, :, None, :]).sum(-1)).mean(dim=(1, 2))
    lhs_n_t, uni_n_t = torch.stack(lhs_n, 1), torch.stack(uni_n, 1)
    excess_n = lhs_n_t - floor[:, None]
    uni_excess_n = uni_n_t - floor[:, None]

    # ---- m sweep --------------------------------------------------------------------------------------
    xl, yl, zl, _ = stack(lambda rep: rep[4])
    vfix = fit_predictors(yl, zl)
    pred_emp_hat = _clipped_abs(zl - (yl * vfix[:, :, None, :]).sum(-1)).mean(dim=(1, 2))
    pred_emp_star = _clipped_abs(zl - (yl * Vst[:, :, None, :]).sum(-1)).mean(dim=(1, 2))
    # The predictor term at n_fix uses the Gaussian average of the n_fix sample through the Jensen bound
    # sqrt(sum ||y||^2) (an upper bound on G, so the RHS stays valid): no extra draws are needed.
    pred_fix = math.sqrt(2 * math.pi) * yl.pow(2).sum(dim=(2, 3)).sqrt().sum(-1) / (n_fix * T) \
        + math.sqrt(2 * log4 / (n_fix * T))
    b_oracle = Wst.transpose(1, 2) @ vfix.transpose(1, 2) - target  # connection W*, predictor v_hat
    risk_oracle_conn = risk_of(b_oracle)
    lhs_m, rhs_m, conn_m, cex_m, remp_m = [], [], [], [], []
    for j, m in enumerate(m_grid):
        x, y, Z = stack(lambda rep, j=j: rep[5][j])
        Bhat, r_emp, ga = fit_connection(x, y, Z)
        risk_hat = risk_of(Bhat @ vfix.transpose(1, 2) - target)
        conn = math.sqrt(2 * math.pi) * ga / (m * T) + B_const * math.sqrt(log4 / (2 * m * T))
        lhs_m.append(risk_hat - h0)
        rhs_m.append(pred_fix + r_emp + conn)
        conn_m.append(conn)
        cex_m.append(risk_hat - risk_oracle_conn)
        remp_m.append(r_emp)

    out = {
        "lhs_n": lhs_n_t, "rhs_n": torch.stack(rhs_n, 1), "pred_term_n": torch.stack(pred_n, 1),
        "excess_n": excess_n, "uni_excess_n": uni_excess_n, "gap_ratio_n": uni_excess_n / excess_n,
        "n_grid": np.asarray(n_grid, dtype=float),
        "lhs_m": torch.stack(lhs_m, 1), "rhs_m": torch.stack(rhs_m, 1), "conn_term_m": torch.stack(conn_m, 1),
        "conn_excess_m": torch.stack(cex_m, 1), "r_emp_m": torch.stack(remp_m, 1),
        "mT_grid": np.asarray(m_grid, dtype=float) * T,
        "floor": floor[:, None], "r_pop": torch.full_like(floor, sy * math.sqrt(k))[:, None],
        "r_emp_fix": r_emp_fix[:, None], "conn_obj_star": conn_obj_star[:, None], "pred_emp_hat": pred_emp_hat, "pred_emp_star": pred_emp_star,
        "uni_emp_hat": uni_emp_hat, "uni_emp_star": uni_emp_star, "B": B_const,
        "constraint_active": torch.stack(active, 1).mean(1),
    }
    return to_numpy(out, "two_stage_erm")


# ----------------------------------------------------------------------------------------------------
# A-S2: separation on the sign-of-sine instance
# ----------------------------------------------------------------------------------------------------

SEP_PARAMS = ("theta_max", "theta_step", "n_erm_lo", "n_erm_hi", "theta_knn", "n_knn_lo", "n_knn_hi", "grid",
              "knn_k", "n_test", "chunk")


def _nested_erm_errors(theta_grid: torch.Tensor, x: torch.Tensor, z: torch.Tensor, ns: Sequence[int],
                       chunk: int) -> torch.Tensor:
    """For each replica, the ERM hypothesis ``theta'`` (smallest index among the minimisers of the training
    error on the first ``n`` points) for each ``n`` in ``ns``; x, z: (R, n_max). Returns (R, len(ns))."""
    R = x.shape[0]
    best_err = torch.full((R, len(ns)), float("inf"), dtype=DTYPE, device=x.device)
    best_theta = torch.zeros((R, len(ns)), dtype=DTYPE, device=x.device)
    idx = torch.as_tensor([n - 1 for n in ns], device=x.device)
    for start in range(0, theta_grid.numel(), chunk):
        th = theta_grid[start:start + chunk]
        pred = torch.sign(torch.sin(th[None, :, None] * x[:, None, :]))  # (R, C, n_max)
        errs = (pred != z[:, None, :]).to(DTYPE).cumsum(-1).index_select(-1, idx)  # (R, C, len(ns))
        e_min, arg = errs.min(dim=1)
        better = e_min < best_err  # strict: ties keep the earlier (smaller) theta'
        best_err = torch.where(better, e_min, best_err)
        best_theta = torch.where(better, th[arg], best_theta)
    return best_theta


def _knn_predict(xtr: torch.Tensor, ztr: torch.Tensor, xte: torch.Tensor, kk: int) -> torch.Tensor:
    """1-D k-nearest-neighbour majority vote, batched: xtr, ztr (R, n), xte (R, n_test) -> (R, n_test)."""
    order = xtr.argsort(dim=1)
    xs, zs = xtr.gather(1, order), ztr.gather(1, order)
    n = xs.shape[1]
    pos = torch.searchsorted(xs, xte.contiguous())
    offsets = torch.arange(-kk, kk, device=xtr.device)
    cand = (pos[..., None] + offsets).clamp(0, n - 1)  # (R, n_test, 2kk) window around the insertion point
    dist = (xs.gather(1, cand.flatten(1)).view_as(cand) - xte[..., None]).abs()
    dist = dist + (cand != (pos[..., None] + offsets)).to(DTYPE) * 1e9  # clamped duplicates never win
    nearest = dist.topk(kk, dim=-1, largest=False).indices
    votes = zs.gather(1, cand.gather(-1, nearest).flatten(1)).view(nearest.shape).sum(-1)
    return torch.where(votes >= 0, 1.0, -1.0).to(DTYPE)


@fixed_precision("float64", _PRECISION_REASON)
def separation(params: Mapping[str, float], replicas: int, seeds: Sequence[int],
               device: str) -> dict[str, np.ndarray]:
    """A-S2 of the note (Theorem A.7 / Example A.6, re-parametrised): ``x ~ U[1, 2]``, ``y = theta x``,
    ``z = sign(sin y)``, 0-1 loss; one ``theta`` per replica.

    * multimodal: ``theta_hat = y'/x'`` from one unlabelled pair, predictor ``x -> sign(sin(theta_hat x))``
      (``F = {sign sin}`` is a singleton);
    * over-expressive unimodal ERM over ``{sign sin(t x) : t in {1, 1 + step, ..., theta_max}}`` on ``n``
      labelled pairs ``(x, z)`` (nested prefixes of one sample; ties go to the smallest ``t``), with
      ``theta ~ U[1, theta_max]``, for ``n`` on the grid ``n_erm_lo .. n_erm_hi``;
    * under-expressive unimodal ``knn_k``-nearest-neighbour vote on ``x``, with ``theta ~ U[1, theta_knn]``,
      for ``n`` on the grid ``n_knn_lo .. n_knn_hi`` (fresh samples per grid point).

    The largest ERM sample size must equal the smallest kNN one (``n_erm_hi == n_knn_lo``): there both
    unimodal classes are compared at the same ``n``.

    Returns ``multi_err`` (R, 2): the multimodal test error on the ERM instance and on the kNN instance
    (``n_test`` fresh points each); (R, G): ``uni_err_erm``, ``uni_err_knn`` (unimodal test errors on
    ``n_test`` fresh points); ``h1_proxy`` (R,): the heterogeneity proxy of Def A.3 (H1) at
    ``n = n_erm_hi``: the smaller of the two unimodal errors minus the multimodal error; grids
    ``n_erm_grid``, ``n_knn_grid`` (G,); ``hypotheses`` (1,) (the size of the ERM class).
    """
    require(params, SEP_PARAMS, "separation")
    check_seeds(replicas, seeds)
    th_max, step, th_knn = float(params["theta_max"]), float(params["theta_step"]), float(params["theta_knn"])
    G, kk, n_test, chunk = int_param(params, "grid"), int_param(params, "knn_k"), int_param(params, "n_test"), int_param(params, "chunk")
    n_erm = _geomgrid(float(params["n_erm_lo"]), float(params["n_erm_hi"]), G)
    n_knn = _geomgrid(float(params["n_knn_lo"]), float(params["n_knn_hi"]), G)
    if n_erm[-1] != n_knn[0]:
        raise ValueError("separation: need n_erm_hi == n_knn_lo (the two unimodal classes meet at one n)")
    if kk < 1 or kk % 2 == 0 or kk > n_knn[0]:
        raise ValueError("knn_k must be odd, >= 1 and at most the smallest kNN sample size")
    per = []
    for g in _generators(seeds):
        th1 = 1 + (th_max - 1) * torch.rand((), generator=g, dtype=DTYPE)
        x1 = 1 + torch.rand(n_erm[-1], generator=g, dtype=DTYPE)
        xp1 = 1 + torch.rand((), generator=g, dtype=DTYPE)  # the unlabelled pair (x', theta x')
        xt1 = 1 + torch.rand(n_test, generator=g, dtype=DTYPE)
        th2 = 1 + (th_knn - 1) * torch.rand((), generator=g, dtype=DTYPE)
        x2 = [1 + torch.rand(n, generator=g, dtype=DTYPE) for n in n_knn]
        xp2 = 1 + torch.rand((), generator=g, dtype=DTYPE)
        xt2 = 1 + torch.rand(n_test, generator=g, dtype=DTYPE)
        per.append((th1, x1, xp1, xt1, th2, x2, xp2, xt2))
    dev = torch.device(device)

    def st(j: int) -> torch.Tensor:
        return torch.stack([p[j] for p in per]).to(dev)

    th1, x1, xp1, xt1, th2, xp2, xt2 = st(0), st(1), st(2), st(3), st(4), st(6), st(7)
    label = lambda th, x: torch.sign(torch.sin(th[:, None] * x))  # noqa: E731
    # multimodal: the connection theta_hat = y'/x' from one unlabelled pair, F the singleton {sign sin}
    th1_hat, th2_hat = (th1 * xp1) / xp1, (th2 * xp2) / xp2
    z1t, z2t = label(th1, xt1), label(th2, xt2)
    multi1 = (label(th1_hat, xt1) != z1t).to(DTYPE).mean(-1)
    multi2 = (label(th2_hat, xt2) != z2t).to(DTYPE).mean(-1)
    # over-expressive unimodal ERM on nested prefixes
    theta_grid = torch.arange(1.0, th_max, step, dtype=DTYPE, device=dev)
    best = _nested_erm_errors(theta_grid, x1, label(th1, x1), n_erm, chunk)  # (R, G)
    uni_erm = (torch.sign(torch.sin(best[..., None] * xt1[:, None, :])) != z1t[:, None, :]).to(DTYPE).mean(-1)
    # under-expressive unimodal kNN
    uni_knn = []
    for j in range(G):
        xtr = torch.stack([p[5][j] for p in per]).to(dev)
        uni_knn.append((_knn_predict(xtr, label(th2, xtr), xt2, kk) != z2t).to(DTYPE).mean(-1))
    uni_knn_t = torch.stack(uni_knn, 1)
    return to_numpy({"multi_err": torch.stack([multi1, multi2], 1),
                 "uni_err_erm": uni_erm, "uni_err_knn": uni_knn_t,
                 "h1_proxy": torch.minimum(uni_erm[:, -1], uni_knn_t[:, 0]) - torch.maximum(multi1, multi2),
                 "n_erm_grid": np.asarray(n_erm, dtype=float), "n_knn_grid": np.asarray(n_knn, dtype=float),
                 "hypotheses": np.asarray([theta_grid.numel()], dtype=float)}, "separation")
