"""Deep multimodal linear fusion networks trained by gradient descent (zhang2024).

Simulates the network family, data and training of the team's note ``papers/unimodal-bias.md``
(sections 1.1 to 1.4) and measures what its results R1 to R12 speak about. Every check has the
signature ``check(params, replicas, seeds, device) -> dict[str, numpy.ndarray]`` of :mod:`checks`.

Network (note 1.2). Depth ``L``, fusion layer ``L_f``, hidden width ``h``, scalar output, no biases.
Modality ``m`` in {A, B} has ``L_f`` private layers (its column block of the fusion layer included);
the ``L - L_f`` layers above the fusion layer are shared. ``W_m^tot`` is the product of modality
``m``'s private layers and the shared layers.

Training (note 1.3). Full-batch gradient descent on ``1/2 E(y - yhat)^2`` with step ``eta``; time is
``t = eta * steps``. The loss depends on the data only through the moments ``Sigma = E[x x^T]``,
``Sigma_yx = E[y x^T]`` (its gradient in function space is ``W^tot Sigma - Sigma_yx``), so each
replica draws ``n_samples`` points once, keeps their sample moments, and GD runs on the moments
(exactly GD on the sample loss; ``n_samples = 0`` uses the population moments). Gradients are
computed by hand (chain rule with prefix and suffix products); the tests compare them with autograd.

Initialisation. ``init = 0``: the *balanced* initialisation the theory assumes (note 1.3, "balanced
scalar reduction"), realised at width ``h`` as rank-one layers ``u0 * r_l r_{l-1}^T`` along random unit
vectors (private layers ``u0``, shared layers ``sqrt(2) u0``); at ``h = 1`` it is the scalar chain
itself. The directions are random per replica but, in exact arithmetic, do not change ``W^tot(t)``:
replicas differ by their data sample. ``init = 1``: the authors' Gaussian initialisation (private
layers before the fusion layer: std ``u0 / sqrt(#entries)``; fusion and shared layers: std
``sqrt(2) u0 / sqrt(#entries)``). Every point of an init-scale sweep reuses the same draw, scaled.

Measured times (note 1.4). ``t_A``: first time the projection of ``W_A^tot`` on the direction of
``W_A^uni = Sigma_yA Sigma_A^-1`` reaches ``|W_A^uni| / 2``; ``t_B``: first time ``W_B^tot`` reaches half
of its final (least-squares) value (:func:`phase_durations` takes the fraction as a parameter). Crossing
times are interpolated linearly between steps.

Batching. Replicas and the configurations of a sweep (init scales, modality variance ratios,
correlations) share one leading tensor axis of length ``R * C`` (index ``r * C + c``); fusion depths
change the architecture and are looped over (``L`` iterations). The only Python loop over replicas
draws each replica's random numbers from ``torch.Generator(device="cpu").manual_seed(seeds[i])``
(data, then the initialisations of ``L_f = 1 .. L`` in that order), so replica ``i`` is the same
whatever ``R`` or the device. Float64 everywhere (the tensors are tiny; the time is per-step overhead).

Predicted values (computed here from the note's closed forms, for the report and for the claims):

* R4: ``t_A ~ int_{u0}^{1} du / (Sigma_yA u^(L_f-1) (u^2 + u_B(u)^2)^((L-L_f)/2))`` with
  ``u_B(u) = u0^(1-k) u^k`` (``L_f = 2``) or ``(k u^(2-L_f) + (1-k) u0^(2-L_f))^(1/(2-L_f))``
  (``L_f >= 3``), ``k = Sigma_yB / Sigma_yA`` (the authors' theory curve, integrated by quadrature);
* R5: ``t_B - t_A ~ (1-k) ln(1/u0) / (F_B^res u*^(L-2))`` (``L_f = 2``) or
  ``(1-k) u0^(2-L_f) / ((L_f-2) F_B^res u*^(L-L_f))`` (``L_f >= 3``), ``u* = (W_A^uni)^(1/L)``,
  ``F_B^res = Sigma_yB - W_A^uni Sigma_AB``;
* R6: late fusion ``t_B / t_A -> 1 + (Sigma_yA - Sigma_yB) / F_B^res``.

All are evaluated at each replica's sample moments. No closed form exists for ``L_f = 1`` (NaN).
"""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np
import torch
from scipy import integrate

from checks._params import one_cpu_thread
from verifier.running.compute import fixed_precision

_PRECISION_REASON = "tensors of a few elements: the cost is per-operation overhead, not arithmetic"

__all__ = [
    "PHASE_PARAMS", "PRIORITY_PARAMS", "OVERPARAM_PARAMS", "RELU_PARAMS",
    "phase_durations", "priority_vs_contribution", "overparametrised_bias", "relu_late_fusion",
    "lag_closed_form", "t_a_integral", "late_ratio_limit",
]

F64 = torch.float64



def _single_threaded(check):
    @functools.wraps(check)
    def wrapper(params, replicas, seeds, device):
        with one_cpu_thread(device):
            return check(params, replicas, seeds, device)
    return wrapper


# ----------------------------------------------------------------------------------------------------
# Closed forms of the note (numpy), evaluated at sample moments
# ----------------------------------------------------------------------------------------------------


def _derived(SyA, SyB, SA, SAB, L):
    SyA, SyB, SA, SAB = (np.asarray(v, dtype=float) for v in (SyA, SyB, SA, SAB))
    k = SyB / SyA
    wa_uni = SyA / SA
    f_res = SyB - wa_uni * SAB
    with np.errstate(invalid="ignore"):
        ustar = wa_uni ** (1.0 / L)
    return k, wa_uni, f_res, ustar


def lag_closed_form(L: int, Lf: int, u0, SyA, SyB, SA, SAB) -> np.ndarray:
    """R5: the unimodal phase duration ``t_B - t_A`` to leading order in ``u0`` (NaN for ``L_f = 1`` or
    outside ``0 < k < 1``, ``F_B^res > 0``)."""
    k, wa_uni, f_res, ustar = _derived(SyA, SyB, SA, SAB, L)
    u0 = np.asarray(u0, dtype=float)
    valid = (k > 0) & (k < 1) & (f_res > 0) & (wa_uni > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        if Lf == 1:
            out = np.full(np.broadcast(u0, k).shape, np.nan)
        elif Lf == 2:
            out = (1 - k) * np.log(1 / u0) / (f_res * ustar ** (L - 2))
        else:
            out = (1 - k) * u0 ** (2 - Lf) / ((Lf - 2) * f_res * ustar ** (L - Lf))
    return np.where(valid, out, np.nan)


def t_a_integral(L: int, Lf: int, u0: float, SyA: float, k: float) -> float:
    """R4: the authors' integral for ``t_A`` (to ``u = 1``), by quadrature; NaN for ``L_f = 1``."""
    if Lf == 1 or not (0 < k < 1) or SyA <= 0:
        return math.nan
    if Lf == 2:
        def ub(u):
            return u0 ** (1 - k) * u ** k
    else:
        def ub(u):
            return (k * u ** (2 - Lf) + (1 - k) * u0 ** (2 - Lf)) ** (1.0 / (2 - Lf))
    p = (L - Lf) / 2.0

    # substitute u = u0 * exp(s): du = u ds, smooth integrand on [0, ln(1/u0)]
    def integrand(s):
        u = u0 * math.exp(s)
        return u / (SyA * u ** (Lf - 1) * (u * u + ub(u) ** 2) ** p)

    value, _ = integrate.quad(integrand, 0.0, math.log(1 / u0), limit=200, epsabs=0.0, epsrel=1e-10)
    return value


def late_ratio_limit(SyA, SyB, SA, SAB) -> np.ndarray:
    """R6: the ``u0``-free late-fusion time ratio ``1 + (Sigma_yA - Sigma_yB) / F_B^res``."""
    k, wa_uni, f_res, _ = _derived(SyA, SyB, SA, SAB, 1)
    return 1 + (np.asarray(SyA, dtype=float) - np.asarray(SyB, dtype=float)) / f_res


# ----------------------------------------------------------------------------------------------------
# Parameters
# ----------------------------------------------------------------------------------------------------

#: ``phase_durations``: the section-3 instance of the note (sigma_A = 2, sigma_B = 1, rho = 0, L = 3).
PHASE_PARAMS: dict[str, float] = {
    "L": 3, "width": 1, "init": 0, "sigma_A": 2.0, "sigma_B": 1.0, "rho": 0.0, "wA_star": 1.0,
    "wB_star": 1.0, "noise": 0.0, "n_samples": 8192, "u0": 0.01, "eta": 0.01, "steps": 30000,
    "u0_points": 3, "u0_factor": 2.0, "ratio_min": 1.5, "ratio_max": 3.0, "ratio_points": 4,
    "rho_alt": 0.5, "record_every": 10, "crossing_fraction": 0.5,
}


def _int(params: Mapping[str, float], key: str) -> int:
    value = float(params[key])
    if not value.is_integer():
        raise ValueError(f"param {key!r} must be an integer, got {params[key]!r}")
    return int(value)


def _need(params: Mapping[str, float], keys, name: str) -> None:
    missing = [k for k in keys if k not in params]
    if missing:
        raise ValueError(f"{name}: missing param(s) {', '.join(repr(k) for k in missing)}")


def _check_seeds(replicas: int, seeds: Sequence[int]) -> None:
    if replicas < 1 or len(seeds) != replicas:
        raise ValueError(f"need one seed per replica: replicas={replicas}, len(seeds)={len(seeds)}")


# ----------------------------------------------------------------------------------------------------
# Data: per-replica standard normals, turned into the sample moments of each configuration
# ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Toy:
    sigma_A: float
    sigma_B: float
    rho: float
    wA: float
    wB: float
    u0: float


def _toy_moments(z: torch.Tensor, eps: torch.Tensor, toy: _Toy, noise: float) -> tuple[torch.Tensor, ...]:
    """Sample moments ``Sigma (2, 2)``, ``Sigma_yx (1, 2)``, ``E y^2`` of the toy data set (note 1.1) built
    from standard normals ``z (n, 2)`` and ``eps (n,)`` as ``x = C z``, ``y = w.x + noise eps`` (``C`` the
    Cholesky factor of the toy covariance); population moments when ``n = 0``. Computed from the moments
    of ``(z, eps)`` (see :func:`_base_moments`), so a configuration costs O(1)."""
    return _moments_from(_base_moments(z, eps), toy, noise)


def _base_moments(z: torch.Tensor, eps: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """``E[z z^T]``, ``E[z eps]``, ``E[eps^2]`` of a sample (their population values when it is empty)."""
    n = z.shape[0]
    if n == 0:
        return torch.eye(2, dtype=F64), torch.zeros(2, dtype=F64), torch.ones((), dtype=F64)
    # element-wise means: a (2, n) @ (n, 2) float64 matmul takes tens of ms on some CPU builds
    return (z.unsqueeze(2) * z.unsqueeze(1)).mean(0), (z * eps.unsqueeze(1)).mean(0), (eps * eps).mean()


def _moments_from(base, toy: _Toy, noise: float) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    zz, ze, ee = base
    sa, sb, rho = toy.sigma_A, toy.sigma_B, toy.rho
    chol = torch.tensor([[sa, 0.0], [rho * sb, sb * math.sqrt(1 - rho * rho)]], dtype=F64)
    w = torch.tensor([toy.wA, toy.wB], dtype=F64)
    sigma = chol @ zz @ chol.T
    xe = chol @ ze                                   # E[x eps]
    syx = (w @ sigma + noise * xe).unsqueeze(0)
    eyy = w @ sigma @ w + 2 * noise * (w @ xe) + noise * noise * ee
    return sigma, syx, eyy


# ----------------------------------------------------------------------------------------------------
# The network: layer shapes, initialisations, forward and hand-written gradients
# ----------------------------------------------------------------------------------------------------


def _shapes(L: int, Lf: int, h: int, dA: int = 1, dB: int = 1) -> tuple[list, list, list]:
    """(out, in) of the A-private, B-private and shared layers, bottom to top."""
    if not 1 <= Lf <= L:
        raise ValueError(f"need 1 <= L_f <= L, got L_f={Lf}, L={L}")
    hf = h if Lf < L else 1
    a = [(h, dA if l == 1 else h) for l in range(1, Lf)] + [(hf, dA if Lf == 1 else h)]
    b = [(h, dB if l == 1 else h) for l in range(1, Lf)] + [(hf, dB if Lf == 1 else h)]
    s = [(h if l < L else 1, h) for l in range(Lf + 1, L + 1)]
    return a, b, s


def _unit(g: torch.Generator, n: int) -> torch.Tensor:
    v = torch.randn(n, generator=g, dtype=F64)
    return v / v.norm()


def _draw_init(g: torch.Generator, L: int, Lf: int, h: int, gaussian: bool) -> list[torch.Tensor]:
    """One replica's initialisation of unit scale (``u0 = 1``) for fusion layer ``L_f``: the layers
    A-private, B-private, shared, bottom to top. Scaling every layer by ``u0`` gives the init at ``u0``."""
    sa, sb, ss = _shapes(L, Lf, h)
    if gaussian:
        out = []
        for shapes in (sa, sb):
            for l, (o, i) in enumerate(shapes):
                fusion = l == len(shapes) - 1
                if fusion:  # the fusion layer is one matrix (o, i_A + i_B): std sqrt(2)/sqrt(#entries)
                    std = math.sqrt(2.0) / math.sqrt(o * (sa[-1][1] + sb[-1][1]))
                else:
                    std = 1.0 / math.sqrt(o * i)
                out.append(torch.randn(o, i, generator=g, dtype=F64) * std)
        for o, i in ss:
            out.append(torch.randn(o, i, generator=g, dtype=F64) * math.sqrt(2.0) / math.sqrt(o * i))
        return out
    # balanced rank-one: hidden unit vectors, input and output directions are [1]
    one = torch.ones(1, dtype=F64)
    fuse_out = _unit(g, h) if Lf < L else one
    layers = []
    for _ in range(2):  # A then B
        prev = one
        for l in range(1, Lf):
            cur = _unit(g, h)
            layers.append(torch.outer(cur, prev))
            prev = cur
        layers.append(torch.outer(fuse_out, prev))
    prev = fuse_out
    for l in range(Lf + 1, L + 1):
        cur = _unit(g, h) if l < L else one
        layers.append(math.sqrt(2.0) * torch.outer(cur, prev))
        prev = cur
    return layers


def _mm(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """``a @ b`` for batches of matrices, shaped for the CPU's kernels: an outer product (inner dimension 1,
    the rank-one gradients of scalar modalities) as a broadcast product, a matrix times a column as a row
    times the transposed matrix. ``bmm`` with ``k = 1`` or ``n = 1`` was 4-5 times slower at 64 replicas of
    width 100 (float64, one thread); the column product sums in another order (differences of 1e-14).
    ``torch.bmm`` directly: ``@`` on batches adds a few ``expand``/``reshape`` calls, most of the cost of a
    product at one replica."""
    if a.shape[-1] == 1:
        return a * b
    if b.shape[-1] == 1:
        return torch.bmm(b.transpose(1, 2), a.transpose(1, 2)).transpose(1, 2)
    return torch.bmm(a, b)


def _products(mats: list[torch.Tensor]) -> list[torch.Tensor]:
    """Prefix products ``[M0, M1 M0, M2 M1 M0, ...]``."""
    out: list[torch.Tensor] = []
    for m in mats:
        out.append(m if not out else _mm(m, out[-1]))
    return out


class _Net:
    """A batch of deep linear fusion networks (all with the same ``L``, ``L_f``, width)."""

    def __init__(self, A: list[torch.Tensor], B: list[torch.Tensor], S: list[torch.Tensor]):
        self.A, self.B, self.S = A, B, S

    @property
    def layers(self) -> list[torch.Tensor]:
        return [*self.A, *self.B, *self.S]

    def totals(self) -> tuple[torch.Tensor, torch.Tensor, tuple]:
        """``W_A^tot (N, 1, dA)``, ``W_B^tot (N, 1, dB)`` and the products the gradient reuses."""
        pa, pb, ps = _products(self.A), _products(self.B), _products(self.S)
        top = ps[-1] if ps else None
        wa = pa[-1] if top is None else _mm(top, pa[-1])
        wb = pb[-1] if top is None else _mm(top, pb[-1])
        return wa, wb, (pa, pb, ps, top)

    def gradients(self, ga: torch.Tensor, gb: torch.Tensor, cache: tuple) -> list[tuple[torch.Tensor, torch.Tensor | None]]:
        """dL/dW for every layer (same order as :attr:`layers`) given ``dL/dW_A^tot``, ``dL/dW_B^tot``,
        each as factors ``(a, b)`` with ``dL/dW = a @ b`` (``(g, None)`` where it is ``g`` itself):
        :meth:`descend` applies a rank-one gradient without forming it."""
        pa, pb, ps, top = cache
        grads: list[tuple[torch.Tensor, torch.Tensor | None]] = []
        for mats, prefix, g_tot in ((self.A, pa, ga), (self.B, pb, gb)):
            branch: list[tuple[torch.Tensor, torch.Tensor | None]] = [None] * len(mats)  # type: ignore[list-item]
            left = top
            for k in range(len(mats) - 1, -1, -1):
                g = g_tot if k == 0 else _mm(g_tot, prefix[k - 1].transpose(1, 2))
                branch[k] = (g, None) if left is None else (left.transpose(1, 2), g)
                left = mats[k] if left is None else _mm(left, mats[k])
            grads.extend(branch)
        shared: list[tuple[torch.Tensor, torch.Tensor | None]] = [None] * len(self.S)  # type: ignore[list-item]
        left = None
        for k in range(len(self.S) - 1, -1, -1):
            ha = pa[-1] if k == 0 else _mm(ps[k - 1], pa[-1])
            hb = pb[-1] if k == 0 else _mm(ps[k - 1], pb[-1])
            g = _mm(ga, ha.transpose(1, 2)) + _mm(gb, hb.transpose(1, 2))
            shared[k] = (g, None) if left is None else (left.transpose(1, 2), g)
            left = self.S[k] if left is None else _mm(left, self.S[k])
        grads.extend(shared)
        return grads

    def descend(self, grads: list[tuple[torch.Tensor, torch.Tensor | None]], eta: float) -> None:
        """One gradient step ``W <- W - eta dL/dW`` on every layer, from :meth:`gradients`' factors; a
        rank-one gradient is added in one pass over its layer (``addcmul_``), never formed. Layers move in
        the order of :attr:`layers`; a factor that is itself a layer (the product above a layer, when it is
        one matrix) is always a later layer, so it is read before it moves."""
        for m, (a, b) in zip(self.layers, grads):
            if b is None:
                m.sub_(a, alpha=eta)
            elif a.shape[-1] == 1:
                m.addcmul_(a, b, value=-eta)
            else:
                m.sub_(_mm(a, b), alpha=eta)

    def conserved(self) -> tuple[torch.Tensor, torch.Tensor]:
        """R1 for every consecutive pair of layers: ``W_{l+1}^T W_{l+1} - W_l W_l^T`` (both branch blocks
        subtracted at the fusion boundary) and the same with ``+`` (not conserved), each flattened and
        zero-padded to ``(N, pairs, h*h)``."""
        diffs, sums = [], []

        def add(upper, lowers):
            top = upper.transpose(1, 2) @ upper
            low = sum(m @ m.transpose(1, 2) for m in lowers)
            diffs.append((top - low).flatten(1))
            sums.append((top + low).flatten(1))

        for mats in (self.A, self.B):
            for k in range(len(mats) - 1):
                add(mats[k + 1], [mats[k]])
        if self.S:
            add(self.S[0], [self.A[-1], self.B[-1]])
            for k in range(len(self.S) - 1):
                add(self.S[k + 1], [self.S[k]])
        if not diffs:
            return torch.zeros(0), torch.zeros(0)
        width = max(d.shape[1] for d in diffs)
        pad = lambda t: torch.nn.functional.pad(t, (0, width - t.shape[1]))  # noqa: E731
        return torch.stack([pad(d) for d in diffs], 1), torch.stack([pad(s) for s in sums], 1)


def _loss(wa, wb, sigma, syx, eyy) -> torch.Tensor:
    w = torch.cat([wa, wb], 2)
    return (0.5 * eyy - (syx * w).sum((1, 2)) + 0.5 * (w @ sigma @ w.transpose(1, 2)).reshape(-1))


# ----------------------------------------------------------------------------------------------------
# Gradient descent with crossing detection
# ----------------------------------------------------------------------------------------------------


@dataclass
class _Trace:
    t_a: torch.Tensor      # (N,) first crossing time of the A threshold (NaN if none)
    t_b: torch.Tensor      # (N,)
    steps_run: int
    rec_steps: list[int]
    wa_rec: torch.Tensor   # (N, n_rec) projection of W_A^tot on its direction
    wb_rec: torch.Tensor
    wa_end: torch.Tensor   # (N, 1, dA)
    wb_end: torch.Tensor
    loss0: torch.Tensor
    loss_end: torch.Tensor


_WINDOW = 100  # GD steps between checks (crossings, divergence, stopping): per-step work stays on the device


def _train(net: _Net, sigma, syx, eyy, eta: float, steps: int, dir_a, theta_a, dir_b, theta_b,
           record_every: int, stop_when_crossed: bool, where: str, configs: int) -> _Trace:
    """Full-batch GD on the moment loss. ``dir_*`` (N, d, 1) are the unit directions on which
    ``W^tot`` is projected and ``theta_*`` (N,) the crossing levels. ``W^tot`` of every step is kept in
    a window of :data:`_WINDOW` steps, in which crossings and non-finite values are found at once.
    Raises ``FloatingPointError`` with the first non-finite step and its replica (``configs`` batch
    entries per replica). With ``stop_when_crossed`` a network is frozen at the end of the window in which
    it crossed both levels (so its final state does not depend on the rest of the batch) and training
    ends when all are frozen."""
    n = sigma.shape[0]
    dev = sigma.device
    split = dir_a.shape[1]
    width = split + dir_b.shape[1]
    t_cross = torch.full((n, 2), math.nan, dtype=F64, device=dev)
    theta = torch.stack([theta_a, theta_b], 1).unsqueeze(1)               # (N, 1, 2)
    buf = torch.empty(n, _WINDOW + 1, width, dtype=F64, device=dev)
    rec_steps: list[int] = []
    rec: list[torch.Tensor] = []
    loss0 = None
    active = torch.ones(n, 1, 1, dtype=F64, device=dev)
    s0 = 0
    it = 0
    for it in range(steps + 1):
        wa, wb, cache = net.totals()
        w = torch.cat([wa, wb], 2)
        if loss0 is None:
            loss0 = _loss(wa, wb, sigma, syx, eyy)
        buf[:, it - s0] = w[:, 0]
        done = False
        if it - s0 == _WINDOW or it == steps:
            seg = buf[:, : it - s0 + 1]
            proj = torch.cat([seg[..., :split] @ dir_a, seg[..., split:] @ dir_b], 2)  # (N, cnt+1, 2)
            bad = ~torch.isfinite(proj).all(2)
            if bool(bad.any()):
                col = torch.where(bad, torch.arange(seg.shape[1], device=dev), seg.shape[1]).amin(1)
                b = int(col.argmin())
                raise FloatingPointError(
                    f"{where}: training diverged (non-finite W^tot) at step {s0 + int(col[b])} in replica "
                    f"{b // configs} (configuration {b % configs})")
            prev, now = proj[:, :-1], proj[:, 1:]
            hit = (now >= theta) & (prev < theta)                          # (N, cnt, 2)
            first = hit.to(F64).argmax(1)                                  # first hit column (0 if none)
            any_hit = hit.any(1)
            p_prev = prev.gather(1, first.unsqueeze(1)).squeeze(1)
            p_now = now.gather(1, first.unsqueeze(1)).squeeze(1)
            t_new = eta * (s0 + first.to(F64) + (theta[:, 0] - p_prev) / (p_now - p_prev))
            t_cross = torch.where(any_hit & torch.isnan(t_cross), t_new, t_cross)
            cols = [j for j in range(0 if s0 == 0 else 1, it - s0 + 1) if (s0 + j) % record_every == 0]
            if cols:
                rec_steps.extend(s0 + j for j in cols)
                rec.append(proj[:, cols])
            buf[:, 0] = buf[:, it - s0]
            last = proj[:, -1]
            s0 = it
            if stop_when_crossed:
                crossed = ~torch.isnan(t_cross).any(1)
                active = torch.where(crossed, 0.0, active.view(-1)).view(n, 1, 1)
                done = bool(crossed.all())
        if done or it == steps:
            break
        g = (w @ sigma - syx) * active
        net.descend(net.gradients(g[:, :, :split], g[:, :, split:], cache), eta)
    if not rec_steps or rec_steps[-1] != it:
        rec_steps.append(it)
        rec.append(last.unsqueeze(1))
    trace = torch.cat(rec, 1)
    loss_end = _loss(wa, wb, sigma, syx, eyy)
    return _Trace(t_cross[:, 0], t_cross[:, 1], it, rec_steps, trace[..., 0], trace[..., 1], wa, wb, loss0, loss_end)


def _interp_at(times: np.ndarray, values: np.ndarray, at: np.ndarray) -> np.ndarray:
    """Row-wise linear interpolation of ``values (N, T)`` sampled at ``times (T,)`` at ``at (N,)``."""
    out = np.full(at.shape, np.nan)
    for i, t in enumerate(at):
        if np.isfinite(t) and times[0] <= t <= times[-1]:
            out[i] = np.interp(t, times, values[i])
    return out


# ----------------------------------------------------------------------------------------------------
# Check 1: phase durations over fusion depth, init scale and modality statistics (R1, R4-R9)
# ----------------------------------------------------------------------------------------------------


def _phase_configs(p: Mapping[str, float]) -> tuple[list[_Toy], np.ndarray, np.ndarray, np.ndarray]:
    """Configurations: the init-scale sweep at the base statistics (index 0 is the base), then the
    sweep over sigma_A / sigma_B at correlation ``rho`` and at ``rho_alt`` (base init scale)."""
    sa, sb, rho, wa, wb, u0 = (float(p[k]) for k in ("sigma_A", "sigma_B", "rho", "wA_star", "wB_star", "u0"))
    u0_grid = u0 * float(p["u0_factor"]) ** np.arange(_int(p, "u0_points"))
    configs = [_Toy(sa, sb, rho, wa, wb, float(u)) for u in u0_grid]
    npts = _int(p, "ratio_points")
    ratios = np.linspace(float(p["ratio_min"]), float(p["ratio_max"]), npts) if npts else np.zeros(0)
    sweep_r, sweep_rho = [], []
    for r in (rho, float(p["rho_alt"])):
        for ratio in ratios:
            configs.append(_Toy(float(ratio) * sb, sb, r, wa, wb, u0))
            sweep_r.append(float(ratio))
            sweep_rho.append(r)
    return configs, u0_grid, np.asarray(sweep_r), np.asarray(sweep_rho)


def _moments_batch(zs, epss, configs: list[_Toy], noise: float, device) -> tuple[torch.Tensor, ...]:
    sig, syx, eyy = [], [], []
    for z, e in zip(zs, epss):
        base = _base_moments(z, e)
        for toy in configs:
            s, c, y = _moments_from(base, toy, noise)
            sig.append(s)
            syx.append(c)
            eyy.append(y)
    return (torch.stack(sig).to(device), torch.stack(syx).to(device), torch.stack(eyy).to(device))


def _lstsq_and_uni(sigma: torch.Tensor, syx: torch.Tensor):
    """Least-squares ``W* = Sigma_yx Sigma^-1`` and the A-only predictor ``W_A^uni`` (scalar modalities)."""
    w_ols = torch.linalg.solve(sigma, syx.transpose(1, 2)).transpose(1, 2)  # (N, 1, 2)
    wa_uni = syx[:, 0, 0] / sigma[:, 0, 0]
    return w_ols, wa_uni


@fixed_precision("float64", _PRECISION_REASON)
@_single_threaded
def phase_durations(params: Mapping[str, float], replicas: int, seeds: Sequence[int],
                    device: str) -> dict[str, np.ndarray]:
    """Train deep linear fusion networks of depth ``L`` for every fusion layer ``L_f = 1 .. L`` on the
    toy data set (scalar modalities, ``y = wA* x_A + wB* x_B + noise``) and measure the phase times.

    Params (all of :data:`PHASE_PARAMS`): ``L``, ``width``, ``init`` (0 balanced, 1 Gaussian),
    ``sigma_A``, ``sigma_B``, ``rho``, ``wA_star``, ``wB_star``, ``noise``, ``n_samples`` (0 =
    population moments), ``u0``, ``eta``, ``steps`` (the most GD steps per fusion depth; training
    stops once every configuration crossed both levels), ``u0_points``/``u0_factor`` (init scales
    ``u0 * u0_factor^j``), ``ratio_min``/``ratio_max``/``ratio_points`` (sigma_A/sigma_B, evenly spaced, at
    ``rho`` and at ``rho_alt``), ``record_every``, ``crossing_fraction`` (the fraction of ``|W_A^uni|``
    and of ``|W_B^*|`` whose first crossing defines ``t_A`` and ``t_B``; the note uses 1/2).

    Returned arrays (replica first; ``G = L`` fusion depths, ``U`` init scales, ``P`` sweep points):

    * grids: ``depth_grid (G,)``, ``u0_grid (U,)``, ``sweep_ratio (P,)``, ``sweep_rho (P,)``;
    * base configuration: ``t_A, t_B, lag, time_ratio`` and their predictions ``t_A_pred`` (R4
      integral), ``lag_pred`` (R5), ``t_B_pred = t_A_pred + lag_pred``, ``time_ratio_pred``, all
      ``(R, G)``; the same per depth as ``t_A_lf{j}``, ``t_B_lf{j}``, ``lag_lf{j}``, ``time_ratio_lf{j}``,
      ``t_A_pred_lf{j}``, ``lag_pred_lf{j}``, ``t_B_pred_lf{j}`` ``(R,)``;
    * sample statistics of the base configuration ``SyA, SyB, SA, SB, SAB`` ``(R,)``;
    * init-scale sweep: ``lag_u0, lag_u0_pred, t_A_u0, t_B_u0 (R, G, U)``, per depth ``lag_u0_lf{j}``,
      ``lag_u0_pred_lf{j}``, ``time_ratio_u0_lf{j}`` ``(R, U)``, ``lag_u0_rel_lf{j} (R, U)`` (the lag over the
      replica's own lag at the base ``u0``: removes a replica's constant factor, e.g. of a random init)
      and ``u0_sweep (R, U)``;
    * ratio sweep: ``t_A_sweep, t_B_sweep, lag_sweep, lag_sweep_pred, time_ratio_sweep,
      time_ratio_sweep_pred (R, G, P)``; at late fusion ``time_ratio_late_sweep`` and its ``u0``-free
      limit ``time_ratio_late_sweep_pred (R, P)``, split by correlation for plotting: ``ratio_grid (P/2,)``,
      ``time_ratio_late_rho``, ``time_ratio_late_rho_alt`` and their ``_pred`` ``(R, P/2)``;
    * R9 at late fusion and ``rho_alt``: ``misattribution (R, P/2)``, ``W_A(t_mid) - W_A^*`` with
      ``t_mid = (t_A + t_B)/2``, and ``misattribution_pred = W_A^uni - W_A^*``;
    * R1: ``conservation_drift (R, G)``, the largest ``||D(T) - D(0)||_F`` over consecutive layer pairs
      of the base configuration (``D = W_{l+1}^T W_{l+1} - W_l W_l^T``), ``sum_drift (R, G)`` the same
      for ``W_{l+1}^T W_{l+1} + W_l W_l^T`` (not conserved), ``loss0 (R, G)`` the loss at init and
      ``drift_bound (R, G) = eta * loss0``; ``conservation_drift_lf{j}``, ``sum_drift_lf{j}``,
      ``drift_bound_lf{j}`` ``(R,)`` (NaN where a depth has no pair of layers);
    * trajectories of the base configuration: ``time_grid (T,)``, ``WA_traj, WB_traj (R, G, T)``
      (padded with the last value after training stopped).
    """
    _need(params, PHASE_PARAMS, "phase_durations")
    _check_seeds(replicas, seeds)
    L, h, n = _int(params, "L"), _int(params, "width"), _int(params, "n_samples")
    gaussian = _int(params, "init") == 1
    eta, steps, every = float(params["eta"]), _int(params, "steps"), _int(params, "record_every")
    noise = float(params["noise"])
    dev = torch.device(device)
    configs, u0_grid, sweep_r, sweep_rho = _phase_configs(params)
    C, U, P, R = len(configs), len(u0_grid), len(sweep_r), replicas

    zs, epss, inits = [], [], []
    for seed in seeds:
        g = torch.Generator(device="cpu").manual_seed(int(seed))
        zs.append(torch.randn(n, 2, generator=g, dtype=F64))
        epss.append(torch.randn(n, generator=g, dtype=F64))
        inits.append([_draw_init(g, L, Lf, h, gaussian) for Lf in range(1, L + 1)])
    sigma, syx, eyy = _moments_batch(zs, epss, configs, noise, dev)
    w_ols, wa_uni = _lstsq_and_uni(sigma, syx)
    one = torch.ones(R * C, 1, 1, dtype=F64, device=dev)
    frac = float(params["crossing_fraction"])
    theta_a, theta_b = wa_uni.abs() * frac, w_ols[:, 0, 1].abs() * frac
    dir_a, dir_b = one * torch.sign(wa_uni).view(-1, 1, 1), one * torch.sign(w_ols[:, 0, 1]).view(-1, 1, 1)
    u0_all = torch.tensor([c.u0 for c in configs], dtype=F64).repeat(R).to(dev)

    shape = (R, L, C)
    t_a = np.full(shape, np.nan)
    t_b = np.full(shape, np.nan)
    drift = np.full((R, L), np.nan)
    sdrift = np.full((R, L), np.nan)
    loss0 = np.full((R, L), np.nan)
    wa_mid = np.full(shape, np.nan)
    trajs = []
    for j, Lf in enumerate(range(1, L + 1)):
        layers = []
        for idx in range(len(inits[0][j])):
            per = [inits[r][j][idx] for r in range(R)]
            stacked = torch.stack(per).to(dev).repeat_interleave(C, 0)
            layers.append(stacked * u0_all.view(-1, 1, 1))
        na = nb = Lf
        net = _Net(layers[:na], layers[na:na + nb], layers[na + nb:])
        d0, s0 = net.conserved()
        tr = _train(net, sigma, syx, eyy, eta, steps, dir_a, theta_a, dir_b, theta_b, every, True,
                    f"phase_durations(L={L}, L_f={Lf})", C)
        d1, s1 = net.conserved()
        t_a[:, j] = tr.t_a.cpu().numpy().reshape(R, C)
        t_b[:, j] = tr.t_b.cpu().numpy().reshape(R, C)
        if d0.numel():
            dd = (d1 - d0).norm(dim=2).amax(1).cpu().numpy().reshape(R, C)[:, 0]
            ss = (s1 - s0).norm(dim=2).amax(1).cpu().numpy().reshape(R, C)[:, 0]
            drift[:, j], sdrift[:, j] = dd, ss
        loss0[:, j] = tr.loss0.cpu().numpy().reshape(R, C)[:, 0]
        times = eta * np.asarray(tr.rec_steps, dtype=float)
        wa_rec = tr.wa_rec.cpu().numpy()
        t_mid = 0.5 * (t_a[:, j] + t_b[:, j]).reshape(-1)
        wa_mid[:, j] = _interp_at(times, wa_rec, t_mid).reshape(R, C)
        trajs.append((times, wa_rec.reshape(R, C, -1)[:, 0], tr.wb_rec.cpu().numpy().reshape(R, C, -1)[:, 0]))

    # trajectories on a common grid (padded with the last value)
    t_len = max(len(tt) for tt, _, _ in trajs)
    time_grid = eta * every * np.arange(t_len)
    wa_traj = np.full((R, L, t_len), np.nan)
    wb_traj = np.full((R, L, t_len), np.nan)
    for j, (tt, a, b) in enumerate(trajs):
        for arr, src in ((wa_traj, a), (wb_traj, b)):
            vals = np.array([np.interp(time_grid, tt, src[r]) for r in range(R)])
            vals[:, time_grid > tt[-1]] = src[:, -1:]
            arr[:, j] = vals

    sig = sigma.cpu().numpy().reshape(R, C, 2, 2)
    cyx = syx.cpu().numpy().reshape(R, C, 2)
    SyA, SyB = cyx[..., 0], cyx[..., 1]
    SA, SB, SAB = sig[..., 0, 0], sig[..., 1, 1], sig[..., 0, 1]
    k = SyB / SyA
    u0c = np.array([c.u0 for c in configs])
    ta_pred = np.full(shape, np.nan)
    lag_pred = np.full(shape, np.nan)
    for j, Lf in enumerate(range(1, L + 1)):
        lag_pred[:, j] = lag_closed_form(L, Lf, u0c[None, :], SyA, SyB, SA, SAB)
        for r in range(R):
            for c in range(C):
                ta_pred[r, j, c] = t_a_integral(L, Lf, float(u0c[c]), float(SyA[r, c]), float(k[r, c]))
    tb_pred = ta_pred + lag_pred
    lag = t_b - t_a
    ratio = t_b / t_a

    out: dict[str, np.ndarray] = {
        "depth_grid": np.arange(1, L + 1, dtype=float), "u0_grid": u0_grid, "sweep_ratio": sweep_r,
        "sweep_rho": sweep_rho,
        "t_A": t_a[:, :, 0], "t_B": t_b[:, :, 0], "lag": lag[:, :, 0], "time_ratio": ratio[:, :, 0],
        "t_A_pred": ta_pred[:, :, 0], "t_B_pred": tb_pred[:, :, 0], "lag_pred": lag_pred[:, :, 0],
        "time_ratio_pred": (tb_pred / ta_pred)[:, :, 0],
        "SyA": SyA[:, 0], "SyB": SyB[:, 0], "SA": SA[:, 0], "SB": SB[:, 0], "SAB": SAB[:, 0],
        "lag_u0": lag[:, :, :U], "lag_u0_pred": lag_pred[:, :, :U], "t_A_u0": t_a[:, :, :U],
        "t_B_u0": t_b[:, :, :U], "u0_sweep": np.tile(u0_grid, (R, 1)),
        "conservation_drift": drift, "sum_drift": sdrift, "loss0": loss0, "drift_bound": eta * loss0,
        "time_grid": time_grid, "WA_traj": wa_traj, "WB_traj": wb_traj,
    }
    for j, Lf in enumerate(range(1, L + 1)):
        for name in ("t_A", "t_B", "lag", "time_ratio", "t_A_pred", "t_B_pred", "lag_pred"):
            out[f"{name}_lf{Lf}"] = out[name][:, j]
        out[f"lag_u0_lf{Lf}"] = lag[:, j, :U]
        out[f"lag_u0_pred_lf{Lf}"] = lag_pred[:, j, :U]
        out[f"lag_u0_rel_lf{Lf}"] = lag[:, j, :U] / lag[:, j, :1]
        out[f"time_ratio_u0_lf{Lf}"] = ratio[:, j, :U]
        for name in ("conservation_drift", "sum_drift", "drift_bound"):
            out[f"{name}_lf{Lf}"] = out[name][:, j]
    if P:
        sl = slice(U, U + P)
        out.update({
            "t_A_sweep": t_a[:, :, sl], "t_B_sweep": t_b[:, :, sl], "lag_sweep": lag[:, :, sl],
            "lag_sweep_pred": lag_pred[:, :, sl], "time_ratio_sweep": ratio[:, :, sl],
            "time_ratio_sweep_pred": (tb_pred / ta_pred)[:, :, sl],
            "time_ratio_late_sweep": ratio[:, L - 1, sl],
            "time_ratio_late_sweep_pred": late_ratio_limit(SyA[:, sl], SyB[:, sl], SA[:, sl], SAB[:, sl]),
        })
        half = P // 2
        ratio_late = ratio[:, L - 1, sl]
        ratio_late_pred = out["time_ratio_late_sweep_pred"]
        out.update({
            "ratio_grid": sweep_r[:half],
            "time_ratio_late_rho": ratio_late[:, :half], "time_ratio_late_rho_pred": ratio_late_pred[:, :half],
            "time_ratio_late_rho_alt": ratio_late[:, half:],
            "time_ratio_late_rho_alt_pred": ratio_late_pred[:, half:],
        })
        alt = slice(U + half, U + P)
        w_star_a = w_ols.cpu().numpy().reshape(R, C, 2)[..., 0]
        out["misattribution"] = wa_mid[:, L - 1, alt] - w_star_a[:, alt]
        out["misattribution_pred"] = (SyA / SA)[:, alt] - w_star_a[:, alt]
    return out


# ----------------------------------------------------------------------------------------------------
# Check 2: which modality is learned first, which contributes more (R10)
# ----------------------------------------------------------------------------------------------------

#: ``priority_vs_contribution``: the note's R10 check (sigma_A = 2, sigma_B = 1, two-layer late fusion,
#: u0 = 1e-4), at three teacher ratios wA*/wB*: below, inside and above the band (1/r^2, 1/r), r = 2.
PRIORITY_PARAMS: dict[str, float] = {
    "L": 2, "Lf": 2, "width": 1, "init": 0, "sigma_A": 2.0, "sigma_B": 1.0, "rho": 0.0, "wB_star": 1.0,
    "noise": 0.0, "n_samples": 8192, "u0": 1e-4, "eta": 0.02, "steps": 4000,
    "w_below": 0.15, "w_band": 0.4, "w_above": 0.8, "record_every": 10,
}


@fixed_precision("float64", _PRECISION_REASON)
@_single_threaded
def priority_vs_contribution(params: Mapping[str, float], replicas: int, seeds: Sequence[int],
                             device: str) -> dict[str, np.ndarray]:
    """Train one fusion network (``L``, ``L_f``) on the toy data at three teacher ratios
    ``wA*/wB* = w_below, w_band, w_above`` for ``steps`` GD steps and measure which modality crosses
    half of its value first and which contributes more to the output at the end.

    Returned (replica first; the grid ``wratio_grid (3,)`` is below, band, above):
    ``t_A, t_B (R, 3)`` (crossing times as in :func:`phase_durations`), ``contrib_A, contrib_B (R, 3)``
    (output standard deviation of each modality's term at the end, ``|W_m^tot| sqrt(Sigma_m)``),
    ``contrib_A_pred, contrib_B_pred (R, 3)`` (the same at the least-squares solution), ``SyA, SyB
    (R, 3)``, and per point ``t_A_{below,band,above}``, ``t_B_*``, ``contrib_A_*``, ``contrib_B_*`` ``(R,)``;
    ``first_is_larger (R, 3)``: 1 when the modality crossing first is also the larger contributor.
    """
    _need(params, PRIORITY_PARAMS, "priority_vs_contribution")
    _check_seeds(replicas, seeds)
    L, Lf, h, n = _int(params, "L"), _int(params, "Lf"), _int(params, "width"), _int(params, "n_samples")
    gaussian = _int(params, "init") == 1
    eta, steps, every = float(params["eta"]), _int(params, "steps"), _int(params, "record_every")
    dev = torch.device(device)
    sa, sb, rho, wb, u0 = (float(params[k]) for k in ("sigma_A", "sigma_B", "rho", "wB_star", "u0"))
    grid = np.array([float(params[k]) for k in ("w_below", "w_band", "w_above")])
    configs = [_Toy(sa, sb, rho, float(w) * wb, wb, u0) for w in grid]
    R, C = replicas, len(configs)
    zs, epss, inits = [], [], []
    for seed in seeds:
        g = torch.Generator(device="cpu").manual_seed(int(seed))
        zs.append(torch.randn(n, 2, generator=g, dtype=F64))
        epss.append(torch.randn(n, generator=g, dtype=F64))
        inits.append(_draw_init(g, L, Lf, h, gaussian))
    sigma, syx, eyy = _moments_batch(zs, epss, configs, float(params["noise"]), dev)
    w_ols, wa_uni = _lstsq_and_uni(sigma, syx)
    one = torch.ones(R * C, 1, 1, dtype=F64, device=dev)
    layers = [torch.stack([inits[r][i] for r in range(R)]).to(dev).repeat_interleave(C, 0) * u0
              for i in range(len(inits[0]))]
    net = _Net(layers[:Lf], layers[Lf:2 * Lf], layers[2 * Lf:])
    tr = _train(net, sigma, syx, eyy, eta, steps, one * torch.sign(wa_uni).view(-1, 1, 1), wa_uni.abs() / 2,
                one * torch.sign(w_ols[:, 0, 1]).view(-1, 1, 1), w_ols[:, 0, 1].abs() / 2, every, False,
                f"priority_vs_contribution(L={L}, L_f={Lf})", C)
    sig = sigma.cpu().numpy().reshape(R, C, 2, 2)
    sd_a, sd_b = np.sqrt(sig[..., 0, 0]), np.sqrt(sig[..., 1, 1])
    wa_end = tr.wa_end.cpu().numpy().reshape(R, C)
    wb_end = tr.wb_end.cpu().numpy().reshape(R, C)
    ols = w_ols.cpu().numpy().reshape(R, C, 2)
    cyx = syx.cpu().numpy().reshape(R, C, 2)
    t_a = tr.t_a.cpu().numpy().reshape(R, C)
    t_b = tr.t_b.cpu().numpy().reshape(R, C)
    out = {
        "wratio_grid": grid, "t_A": t_a, "t_B": t_b,
        "contrib_A": np.abs(wa_end) * sd_a, "contrib_B": np.abs(wb_end) * sd_b,
        "contrib_A_pred": np.abs(ols[..., 0]) * sd_a, "contrib_B_pred": np.abs(ols[..., 1]) * sd_b,
        "SyA": cyx[..., 0], "SyB": cyx[..., 1],
    }
    a_first = t_a < t_b
    a_larger = out["contrib_A"] > out["contrib_B"]
    out["first_is_larger"] = (a_first == a_larger).astype(float)
    for j, name in enumerate(("below", "band", "above")):
        for key in ("t_A", "t_B", "contrib_A", "contrib_B"):
            out[f"{key}_{name}"] = out[key][:, j]
    return out


# ----------------------------------------------------------------------------------------------------
# Check 3: overparametrised two-layer fusion networks: permanent unimodal bias (R11)
# ----------------------------------------------------------------------------------------------------

#: ``overparametrised_bias``: the note's R11 check (d_A = d_B = 20, Sigma = diag(3 I, I), w* = 0.3,
#: noise 0.5, width 20) at n = 12 (< d_A), 30 (d_A < n < D) and 120 (> D).
OVERPARAM_PARAMS: dict[str, float] = {
    "d": 20, "var_A": 3.0, "var_B": 1.0, "w_star": 0.3, "noise": 0.5, "width": 20, "u0": 1e-4,
    "eta": 0.02, "steps": 8000, "n_small": 12, "n_mid": 30, "n_large": 120,
}


def _two_layer_train(w1, a, mask, sigma, syx, eta, steps, where, configs):
    """GD on ``1/2 E(y - a^T W1 x)^2`` through the moments; ``mask`` keeps ``W1`` block-diagonal
    (late fusion) or full (early fusion)."""
    for it in range(steps + 1):
        w_tot = a.transpose(1, 2) @ w1                   # (N, 1, D)
        if it % 200 == 0 or it == steps:
            bad = ~torch.isfinite(w_tot).all(2).reshape(-1)
            if bool(bad.any()):
                b = int(torch.nonzero(bad)[0])
                raise FloatingPointError(f"{where}: training diverged (non-finite W^tot) by step {it} in "
                                         f"replica {b // configs} (network {b % configs})")
        if it == steps:
            break
        g = w_tot @ sigma - syx                          # dL/dW^tot (N, 1, D)
        ga = w1 @ g.transpose(1, 2)                      # (N, 2h, 1)
        gw = (a @ g) * mask                              # (N, 2h, D)
        a.sub_(eta * ga)
        w1.sub_(eta * gw)
    return w_tot


@fixed_precision("float64", _PRECISION_REASON)
@_single_threaded
def overparametrised_bias(params: Mapping[str, float], replicas: int, seeds: Sequence[int],
                          device: str) -> dict[str, np.ndarray]:
    """Two-layer early fusion (full first layer) and late fusion (block-diagonal first layer) networks
    trained by GD from small Gaussian init on one sample per replica and regime ``n in (n_small,
    n_mid, n_large)``; ``d_A = d_B = d``, ``Sigma = diag(var_A I, var_B I)``, ``y = w* . x + noise``.

    Returned (replica first): per regime ``s in (small, mid, large)``: ``Eg_early_s``, ``Eg_late_s``
    (generalisation error ``1/2 (W - w*)^T Sigma (W - w*)`` at the end), ``WB_early_s``, ``WB_late_s``
    (``||W_B^tot||``), ``WB_ratio_s = WB_late_s / WB_early_s``; closed forms on the same sample:
    ``Eg_minnorm_s`` (``X^+ y``, the joint minimum-norm interpolant / OLS), ``Eg_Aonly_s``
    (``(X_A^+ y, 0)``; the late-fusion limit when ``n <= d``), ``k_hat_s = ||X_B^T y|| / ||X_A^T y||`` (the
    sample's ratio of modality correlations; the note: ``||W_B^late|| ~ u0^(2 (1 - k_hat))``); ``train_loss_early_s``,
    ``train_loss_late_s`` and ``train_loss_min_s`` (least achievable training loss).
    """
    _need(params, OVERPARAM_PARAMS, "overparametrised_bias")
    _check_seeds(replicas, seeds)
    d, h = _int(params, "d"), _int(params, "width")
    D = 2 * d
    var_a, var_b, w_s, noise, u0 = (float(params[k]) for k in ("var_A", "var_B", "w_star", "noise", "u0"))
    eta, steps = float(params["eta"]), _int(params, "steps")
    ns = [_int(params, k) for k in ("n_small", "n_mid", "n_large")]
    dev = torch.device(device)
    scale = torch.cat([torch.full((d,), math.sqrt(var_a), dtype=F64), torch.full((d,), math.sqrt(var_b), dtype=F64)])
    w_star = torch.full((D,), w_s, dtype=F64)
    pop = torch.diag(scale ** 2)
    R = replicas
    sig_l, syx_l, w1_l, a_l, mask_l = [], [], [], [], []
    closed = {key: np.zeros((R, 3)) for key in ("minnorm", "Aonly", "loss_min", "k_hat")}
    late_mask = torch.zeros(2 * h, D, dtype=F64)
    late_mask[:h, :d] = 1
    late_mask[h:, d:] = 1
    for r, seed in enumerate(seeds):
        g = torch.Generator(device="cpu").manual_seed(int(seed))
        for j, n in enumerate(ns):
            x = torch.randn(n, D, generator=g, dtype=F64) * scale
            y = x @ w_star + noise * torch.randn(n, generator=g, dtype=F64)
            w_mn = torch.linalg.pinv(x) @ y
            w_a = torch.cat([torch.linalg.pinv(x[:, :d]) @ y, torch.zeros(d, dtype=F64)])
            eg = lambda w: float(0.5 * (w - w_star) @ pop @ (w - w_star))  # noqa: E731
            closed["minnorm"][r, j] = eg(w_mn)
            closed["Aonly"][r, j] = eg(w_a)
            closed["loss_min"][r, j] = float(0.5 * ((x @ w_mn - y) ** 2).mean())
            closed["k_hat"][r, j] = float((y @ x[:, d:]).norm() / (y @ x[:, :d]).norm())
            w1 = torch.randn(2 * h, D, generator=g, dtype=F64) * (u0 / math.sqrt(h * D))
            a = torch.randn(2 * h, 1, generator=g, dtype=F64) * (u0 / math.sqrt(h))
            for mask in (torch.ones(2 * h, D, dtype=F64), late_mask):  # early, late: same draw
                sig_l.append(x.T @ x / n)
                syx_l.append((y @ x / n).unsqueeze(0))
                w1_l.append(w1 * mask)
                a_l.append(a.clone())
                mask_l.append(mask)
    sigma, syx = torch.stack(sig_l).to(dev), torch.stack(syx_l).to(dev)
    w1, a, mask = torch.stack(w1_l).to(dev), torch.stack(a_l).to(dev), torch.stack(mask_l).to(dev)
    w_tot = _two_layer_train(w1, a, mask, sigma, syx, eta, steps, "overparametrised_bias", 6)
    w = w_tot.reshape(R, 3, 2, D).cpu()
    diff = w - w_star
    eg = 0.5 * torch.einsum("rjmi,ik,rjmk->rjm", diff, pop, diff).numpy()
    wb = w[..., d:].norm(dim=3).numpy()
    sig = sigma.reshape(R, 3, 2, D, D).cpu()
    cyx = syx.reshape(R, 3, 2, 1, D).cpu()
    # training loss up to the constant 1/2 E y^2 (reported as excess over the minimum via closed forms)
    quad = 0.5 * torch.einsum("rjmi,rjmik,rjmk->rjm", w, sig, w) - torch.einsum("rjmi,rjmi->rjm", cyx[:, :, :, 0], w)
    out: dict[str, np.ndarray] = {"n_grid": np.asarray(ns, dtype=float)}
    for j, name in enumerate(("small", "mid", "large")):
        out[f"Eg_early_{name}"] = eg[:, j, 0]
        out[f"Eg_late_{name}"] = eg[:, j, 1]
        out[f"WB_early_{name}"] = wb[:, j, 0]
        out[f"WB_late_{name}"] = wb[:, j, 1]
        out[f"WB_ratio_{name}"] = wb[:, j, 1] / wb[:, j, 0]
        out[f"Eg_minnorm_{name}"] = closed["minnorm"][:, j]
        out[f"Eg_Aonly_{name}"] = closed["Aonly"][:, j]
        out[f"train_loss_min_{name}"] = closed["loss_min"][:, j]
        out[f"k_hat_{name}"] = closed["k_hat"][:, j]
        out[f"train_quad_early_{name}"] = quad[:, j, 0].numpy()
        out[f"train_quad_late_{name}"] = quad[:, j, 1].numpy()
    return out


# ----------------------------------------------------------------------------------------------------
# Check 4: two-layer late-fusion ReLU network beside its linear twin (R12a)
# ----------------------------------------------------------------------------------------------------

#: ``relu_late_fusion``: the note's R12a check (toy sigma_A = 2, sigma_B = 1, rho = 0, y = x_A + x_B,
#: symmetrised samples, units per branch, Gaussian init of scale u0).
RELU_PARAMS: dict[str, float] = {
    "sigma_A": 2.0, "sigma_B": 1.0, "rho": 0.0, "pairs": 128, "width": 20, "u0": 1e-4, "eta": 0.02,
    "steps": 3000,
}


@fixed_precision("float64", _PRECISION_REASON)
@_single_threaded
def relu_late_fusion(params: Mapping[str, float], replicas: int, seeds: Sequence[int],
                     device: str) -> dict[str, np.ndarray]:
    """Two-layer late-fusion networks ``yhat = a_A^T phi(w_A x_A) + a_B^T phi(w_B x_B)`` with ``phi =
    ReLU`` and, from the same initialisation, ``phi = identity``, trained by GD on ``2 * pairs``
    symmetrised samples (each ``(x, y)`` with ``(-x, -y)``). A branch's effective weight is the
    least-squares coefficient of its output on its input, ``E[f_m x_m] / E[x_m^2]`` (for ReLU units
    ``sum_i a_i w_i / 2``); ``t_A``, ``t_B`` are its half-crossings as in :func:`phase_durations`.

    Returned ``(R,)``: ``t_A_relu``, ``t_B_relu``, ``t_A_lin``, ``t_B_lin``, ``time_ratio_relu``,
    ``time_ratio_lin``, ``time_ratio_pred`` (R6 late-fusion limit at the sample moments), ``SyA``, ``SyB``.
    Training stops when every network crossed both levels (or after ``steps``).
    """
    _need(params, RELU_PARAMS, "relu_late_fusion")
    _check_seeds(replicas, seeds)
    sa, sb, rho, u0, eta = (float(params[k]) for k in ("sigma_A", "sigma_B", "rho", "u0", "eta"))
    m, h, steps = _int(params, "pairs"), _int(params, "width"), _int(params, "steps")
    dev = torch.device(device)
    chol = torch.tensor([[sa, 0.0], [rho * sb, sb * math.sqrt(1 - rho * rho)]], dtype=F64)
    xs, inits = [], []
    for seed in seeds:
        g = torch.Generator(device="cpu").manual_seed(int(seed))
        x = torch.randn(m, 2, generator=g, dtype=F64) @ chol.T
        xs.append(torch.cat([x, -x]))
        # per branch: first layer (h, 1) std u0/sqrt(h); fusion layer (1, 2h) std sqrt(2) u0/sqrt(2h)
        inits.append([torch.randn(2, h, generator=g, dtype=F64) * (u0 / math.sqrt(h)),
                      torch.randn(2, h, generator=g, dtype=F64) * (u0 / math.sqrt(h))])
    R = replicas
    x = torch.stack(xs).to(dev)                                          # (R, n, 2)
    y = x.sum(2)                                                         # y = x_A + x_B
    n = x.shape[1]
    w0 = torch.stack([i[0] for i in inits]).to(dev)                      # (R, 2, h) first layers
    a0 = torch.stack([i[1] for i in inits]).to(dev)                      # (R, 2, h) fusion layer
    w, a = w0.clone(), a0.clone()                                        # ReLU network (on samples)
    wl, al = w0.clone(), a0.clone()                                      # linear twin (on moments)
    xt = x.permute(0, 2, 1)                                              # (R, 2, n)
    sxx = (x * x).mean(1)                                                # (R, 2)
    sxy = (x * y.unsqueeze(2)).mean(1)
    sab = (x[:, :, 0] * x[:, :, 1]).mean(1)
    sigma = torch.stack([torch.stack([sxx[:, 0], sab], 1), torch.stack([sab, sxx[:, 1]], 1)], 1)  # (R, 2, 2)
    w_uni = sxy[:, 0] / sxx[:, 0]
    w_ols_b = torch.linalg.solve(sigma, sxy.unsqueeze(2))[:, 1, 0]
    theta = torch.stack([w_uni / 2, w_ols_b / 2], 1).repeat(2, 1)        # (2R, 2): ReLU rows, then linear
    t_cross = torch.full((2 * R, 2), math.nan, dtype=F64, device=dev)
    prev = None
    it = 0
    for it in range(steps + 1):
        pre = xt.unsqueeze(3) * w.unsqueeze(2)                           # (R, 2, n, h)
        on = (pre > 0).to(F64)
        act = pre * on
        f = (act @ a.unsqueeze(3)).squeeze(3)                            # (R, 2, n) branch outputs
        eff_relu = (f * xt).mean(2) / sxx                                # (R, 2) effective weights
        eff_lin = (al * wl).sum(2)                                       # (R, 2)
        eff = torch.cat([eff_relu, eff_lin])
        if not bool(torch.isfinite(eff).all()):
            b = int(torch.nonzero(~torch.isfinite(eff).all(1))[0])
            raise FloatingPointError(f"relu_late_fusion: training diverged at step {it} in replica {b % R} "
                                     f"({'ReLU' if b < R else 'linear'} network)")
        if prev is not None:
            hit = (eff >= theta) & (prev < theta) & torch.isnan(t_cross)
            t_cross = torch.where(hit, eta * (it - 1 + (theta - prev) / (eff - prev)), t_cross)
        if it % 100 == 0 and bool((~torch.isnan(t_cross)).all()):
            break
        if it == steps:
            break
        resid = (f.sum(1) - y).unsqueeze(1).unsqueeze(3)                 # (R, 1, n, 1)
        ga = (act.transpose(2, 3) @ resid).squeeze(3) / n                # (R, 2, h)
        gw = a * (on.transpose(2, 3) @ (resid * xt.unsqueeze(3))).squeeze(3) / n
        g_lin = (eff_lin.unsqueeze(1) @ sigma).squeeze(1) - sxy          # dL/dW^tot of the twin (R, 2)
        a, w = a - eta * ga, w - eta * gw
        al, wl = al - eta * g_lin.unsqueeze(2) * wl, wl - eta * g_lin.unsqueeze(2) * al
        prev = eff
    tc = t_cross.cpu().numpy().reshape(2, R, 2).transpose(1, 0, 2)       # (replica, relu/lin, A/B)
    sxx_n, sxy_n, sab_n = sxx.cpu().numpy(), sxy.cpu().numpy(), sab.cpu().numpy()
    return {
        "t_A_relu": tc[:, 0, 0], "t_B_relu": tc[:, 0, 1], "t_A_lin": tc[:, 1, 0], "t_B_lin": tc[:, 1, 1],
        "time_ratio_relu": tc[:, 0, 1] / tc[:, 0, 0], "time_ratio_lin": tc[:, 1, 1] / tc[:, 1, 0],
        "time_ratio_pred": late_ratio_limit(sxy_n[:, 0], sxy_n[:, 1], sxx_n[:, 0], sab_n),
        "SyA": sxy_n[:, 0], "SyB": sxy_n[:, 1],
    }
