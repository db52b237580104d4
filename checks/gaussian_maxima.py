"""Gaussian-maxima facts behind the winning modality (Lemma A.1, Definition A.2, Lemma A.3, Property 6.1).

Three pieces:

* :func:`winning_probability`: the exact finite-``m`` probability ``p_r`` of Lemma A.3, computed by
  quadrature from the note's formula
  ``p_r = 2^{-m}(1-2^{-m}) + int_0^inf [1 - Phi(lambda_r u)^m] m phi(u) Phi(u)^{m-1} du``
  with ``lambda_1 = (1+G)/ratio``, ``lambda_2 = (1+G)*ratio``, ``ratio = a_1/a_2 = (C^1/C^2)^{1/(q-2)}`` and
  ``G = 1/ln(m)^2`` (natural log: ``m=4`` gives ``G=0.520`` as in the note's table).
* :func:`gaussian_max_facts`: Monte Carlo of Lemma A.1 (anti-concentration (a), reversal (b), Kamath bounds).
* :func:`winning_modality_at_init`: Monte Carlo of Definition A.2 at initialisation, to compare with
  :func:`winning_probability` (Lemma A.3 / Property 6.1).

The checks follow the interface of :mod:`checks`: ``fn(params, replicas, seeds, device)``; replica ``i``
draws its random numbers on the CPU from ``torch.Generator().manual_seed(seeds[i])`` (so it is the same
whatever the batch size or device), then everything is moved to ``device`` and computed batched. Both
Monte Carlo checks read each Gaussian vector only through its maximum, so they draw the maximum itself
(one uniform through the inverse of its CDF ``Phi^m``: :func:`max_of_normals`), not its ``m`` coordinates.
"""

from __future__ import annotations

import math
from typing import Mapping, Sequence

import numpy as np
import torch
from scipy import integrate, optimize, special

from checks._params import per_replica
from verifier.running.compute import fixed_precision

_PRECISION_REASON = "its cost is drawing the normals, not arithmetic"

__all__ = [
    "default_margin",
    "winning_probability",
    "max_density_sup",
    "inside_unit_interval",
    "max_of_normals",
    "gaussian_max_facts",
    "winning_modality_at_init",
]


def default_margin(m: int) -> float:
    """The margin ``G = 1/log^2 m`` of Definition A.2, with the natural log (reproduces the note's table)."""
    if m < 2:
        raise ValueError("m must be >= 2 (G = 1/ln(m)^2)")
    return 1.0 / math.log(m) ** 2


def _p_win(m: int, lam: float) -> float:
    """``Pr[M > 0, M >= lam * M'^+]`` for ``M, M'`` i.i.d. maxima of ``m`` standard normals (Lemma A.3)."""

    def integrand(u: float) -> float:
        # [1 - Phi(lam u)^m] * m phi(u) Phi(u)^{m-1}, with the complement computed stably.
        tail = -math.expm1(m * special.log_ndtr(lam * u))
        dens = m * math.exp(-0.5 * u * u) / math.sqrt(2.0 * math.pi) * math.exp((m - 1) * special.log_ndtr(u))
        return tail * dens

    # The max of m standard normals is below ~sqrt(2 ln m) + a few; 40 is far beyond any mass.
    val, _ = integrate.quad(integrand, 0.0, 40.0, points=[math.sqrt(2.0 * math.log(m))], limit=200,
                            epsabs=1e-13, epsrel=1e-11)
    half = 2.0 ** (-m)
    return half * (1.0 - half) + val


def winning_probability(m: int, ratio: float, G: float | None = None) -> tuple[float, float]:
    """Exact ``(p_1, p_2)`` of Lemma A.3 for Definition A.2 with Gaussian initialisation.

    ``ratio = a_1/a_2 = (C^1_j/C^2_j)^{1/(q-2)}``; ``lambda_1 = (1+G)/ratio``, ``lambda_2 = (1+G)*ratio``;
    ``G`` defaults to ``1/ln(m)^2``. The scale ``sigma_0`` cancels. "Neither wins" is ``1 - p_1 - p_2``.
    """
    m = int(m)
    if G is None:
        G = default_margin(m)
    if ratio <= 0:
        raise ValueError("ratio must be positive")
    lam1 = (1.0 + G) / ratio
    lam2 = (1.0 + G) * ratio
    return _p_win(m, lam1), _p_win(m, lam2)


def max_density_sup(m: int, sigma: float) -> float:
    """``sup_x`` of the density ``(m/sigma) phi(x/sigma) Phi(x/sigma)^{m-1}`` of ``max_i X_i`` (Lemma A.1(a))."""
    m = int(m)

    def neg_log_dens(z: float) -> float:
        return -(math.log(m) - 0.5 * z * z - 0.5 * math.log(2.0 * math.pi) + (m - 1) * special.log_ndtr(z))

    grid = np.linspace(-5.0, 10.0, 3001)
    z0 = float(grid[np.argmin([neg_log_dens(z) for z in grid])])
    res = optimize.minimize_scalar(neg_log_dens, bracket=(z0 - 0.01, z0, z0 + 0.01))
    return math.exp(-float(res.fun)) / sigma


def max_of_normals(u: torch.Tensor, m: int) -> torch.Tensor:
    """The maximum of ``m`` i.i.d. standard normals as a function of a uniform ``u`` in (0, 1): its CDF is
    ``Phi^m``, so ``Phi^{-1}(u^{1/m})`` has its law exactly. Computed from the nearer tail (``ndtri`` of
    ``u^{1/m}`` below the median, ``-ndtri(1 - u^{1/m})`` with ``1 - u^{1/m} = -expm1(ln(u)/m)`` above it), so
    both tails keep their relative precision."""
    log_p = torch.log(u) / m
    p = torch.exp(log_p)
    below = p < 0.5
    x = torch.special.ndtri(torch.where(below, p, -torch.expm1(log_p)))
    return torch.where(below, x, -x)


def _draw_maxima(count: int, m: int, seeds: Sequence[int], n_tensors: int, device: str) -> list[torch.Tensor]:
    """Per-replica draws of maxima of ``m`` standard normals: replica ``i`` draws ``n_tensors`` x ``count``
    uniforms on the CPU from ``seeds[i]`` (in order), each the maximum of one vector through
    :func:`max_of_normals`; returned as ``n_tensors`` tensors of shape ``(R, count)`` on ``device``. Every
    quantity these checks measure reads a vector only through its maximum, so drawing the maximum is the
    same law as drawing the ``m`` coordinates, at ``1/m`` of the random numbers (issue 21)."""
    uniforms = [torch.empty(len(seeds), count, dtype=torch.float64) for _ in range(n_tensors)]

    def one(i: int, seed: int) -> None:
        g = torch.Generator(device="cpu").manual_seed(seed)
        for k in range(n_tensors):
            torch.rand(count, generator=g, dtype=torch.float64, out=uniforms[k][i])

    per_replica(one, seeds)
    return [max_of_normals(inside_unit_interval(u.to(device)), m) for u in uniforms]


def inside_unit_interval(u: torch.Tensor) -> torch.Tensor:
    """float64 uniforms of ``torch.rand`` (multiples of 2^-53 in [0, 1)) moved by half a step into (0, 1):
    the largest, whose shift would round to 1 (not representable below it), is kept at 1 - 2^-53."""
    return (u + 2.0 ** -54).clamp_(max=1.0 - 2.0 ** -53)


def _check_seeds(replicas: int, seeds: Sequence[int]) -> None:
    if len(seeds) != replicas:
        raise ValueError(f"need one seed per replica: replicas={replicas}, len(seeds)={len(seeds)}")


@fixed_precision("float64", _PRECISION_REASON)
def gaussian_max_facts(params: Mapping[str, float], replicas: int, seeds: Sequence[int],
                       device: str) -> dict[str, np.ndarray]:
    """Monte Carlo of Lemma A.1 for ``X, Y in R^m`` i.i.d. ``N(0, sigma^2)``.

    Params: ``m``, ``sigma``, ``draws`` (pairs per replica), ``c_anti`` (the ``c >= 0`` of A.1(a)),
    ``delta``, ``c_rev`` (the ``c >= 1`` of A.1(b)).

    Returns per replica: ``mean_max`` (mean of ``max_i X_i``), ``anti_conc_event`` (fraction with
    ``|max X - c_anti max Y| <= delta``), ``reversal_event`` (fraction with ``max X >= c_rev max Y``);
    flat boolean arrays over all replicas*draws (the full profile's 1024 x 200000 draws are 0.2 GB each
    as booleans, 1.6 GB as float64): ``anti_conc_events``, ``reversal_events``; and shape-(1,)
    constants: ``max_density_bound`` (``sup_x`` of the density of ``max X``), ``anti_conc_bound``
    (``min(1, 2*delta*max_density_bound)``), ``reversal_lower`` (the explicit A.1(b) lower bound
    ``Phi(sqrt(2 ln m))^m * (1 - (1 - Phibar(c_rev sqrt(2 ln m)))^m)``), ``kamath_lower``
    (``sigma sqrt(log2 m)/sqrt(pi)``), ``kamath_upper`` (``sigma sqrt(2 ln m)``).

    Reading of A.1(a): conditionally on ``Y``, ``max X`` must lie in an interval of length ``2 delta``,
    so ``Pr[|max X - c max Y| <= delta] <= 2 delta sup_x f_{max X}(x)`` for every ``c >= 0`` (no hidden
    constant); ``sup f <= O(sqrt(log m)/sigma)`` gives the lemma's ``O(delta sqrt(log m)/sigma)``.
    Reading of A.1(b): ``{max Y <= t} & {max X >= c t}`` with ``t = sigma sqrt(2 ln m)`` implies the event.
    """
    _check_seeds(replicas, seeds)
    m = int(params["m"])
    sigma = float(params["sigma"])
    draws = int(params["draws"])
    c_anti = float(params["c_anti"])
    delta = float(params["delta"])
    c_rev = float(params["c_rev"])

    mx, my = (sigma * v for v in _draw_maxima(draws, m, seeds, 2, device))  # max X, max Y: (R, draws)
    anti_hit = (mx - c_anti * my).abs() <= delta          # (R, draws) bool: one byte per draw, not eight
    rev_hit = mx >= c_rev * my
    anti, rev = anti_hit.to(torch.float64), rev_hit.to(torch.float64)

    sup_dens = max_density_sup(m, sigma)
    t = math.sqrt(2.0 * math.log(m))
    rev_lower = math.exp(m * special.log_ndtr(t)) * -math.expm1(m * math.log1p(-special.ndtr(-c_rev * t)))
    one = lambda v: np.array([v], dtype=np.float64)  # noqa: E731
    return {
        "mean_max": mx.mean(dim=-1).cpu().numpy(),
        "anti_conc_event": anti.mean(dim=-1).cpu().numpy(),
        "reversal_event": rev.mean(dim=-1).cpu().numpy(),
        "anti_conc_events": anti_hit.reshape(-1).cpu().numpy(),
        "reversal_events": rev_hit.reshape(-1).cpu().numpy(),
        "max_density_bound": one(sup_dens),
        "anti_conc_bound": one(min(1.0, 2.0 * delta * sup_dens)),
        "reversal_lower": one(rev_lower),
        "kamath_lower": one(sigma * math.sqrt(math.log2(m)) / math.sqrt(math.pi)),
        "kamath_upper": one(sigma * t),
    }


@fixed_precision("float64", _PRECISION_REASON)
def winning_modality_at_init(params: Mapping[str, float], replicas: int, seeds: Sequence[int],
                             device: str) -> dict[str, np.ndarray]:
    """Monte Carlo of Definition A.2 at ``t = 0``, compared with Lemma A.3's exact ``p_r``.

    Params: ``m``, ``ratio`` (``a_1/a_2 = (C^1/C^2)^{1/(q-2)}``), ``sigma0``, ``classes`` (per replica);
    optional ``G`` (default ``1/ln(m)^2``). Per class, ``Gamma_r = max_l [<w_l^r, M^r>]^+`` with the
    correlations i.i.d. ``N(0, sigma0^2)``; modality ``r`` wins iff ``Gamma_r > 0`` and
    ``Gamma_r >= lambda_r Gamma_{3-r}`` (``lambda_1 = (1+G)/ratio``, ``lambda_2 = (1+G) ratio``); if both
    ``Gamma`` are 0 neither wins.

    Returns flat 0/1 arrays over replicas*classes: ``wins1``, ``wins2``, ``neither``; per replica:
    ``p1_hat``, ``p2_hat``; shape-(1,): ``p_exact1``, ``p_exact2`` (from :func:`winning_probability`).
    """
    _check_seeds(replicas, seeds)
    m = int(params["m"])
    ratio = float(params["ratio"])
    sigma0 = float(params["sigma0"])
    classes = int(params["classes"])
    G = float(params["G"]) if "G" in params else default_margin(m)
    lam1 = (1.0 + G) / ratio
    lam2 = (1.0 + G) * ratio

    max1, max2 = _draw_maxima(classes, m, seeds, 2, device)  # max_l <w_l^r, M^r> / sigma0: (R, classes)
    gam1, gam2 = (sigma0 * max1).clamp(min=0.0), (sigma0 * max2).clamp(min=0.0)
    w1 = (gam1 > 0) & (gam1 >= lam1 * gam2)
    w2 = (gam2 > 0) & (gam2 >= lam2 * gam1)
    nei = ~(w1 | w2)
    p1, p2 = winning_probability(m, ratio, G)
    f = lambda b: b.to(torch.float64)  # noqa: E731
    return {
        "wins1": f(w1).reshape(-1).cpu().numpy(),
        "wins2": f(w2).reshape(-1).cpu().numpy(),
        "neither": f(nei).reshape(-1).cpu().numpy(),
        "p1_hat": f(w1).mean(dim=-1).cpu().numpy(),
        "p2_hat": f(w2).mean(dim=-1).cpu().numpy(),
        "p_exact1": np.array([p1], dtype=np.float64),
        "p_exact2": np.array([p2], dtype=np.float64),
    }
