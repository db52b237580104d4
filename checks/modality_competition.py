"""Joint versus uni-modal training in the modality-competition model (huang2022).

Simulates the data model of section 2 of the team's note (``papers/modality-competition.md``) and the
networks of section 3, trained by full-batch gradient descent (GD) on the mean cross-entropy (Eq. 3):

* the late-fusion network of Eq. 1, ``F = C (phi^1(x^1) + phi^2(x^2))``, with encoders
  ``phi^r(x) = ReLU~(W^r x)``, ``W^r`` of shape ``(k*m, d)``, the fixed block-sum head ``C`` and the
  smoothed ReLU of Def 4.1;
* the two uni-modal networks of Eq. 2, each trained on its own modality only.

Its measurements serve Thm 5.1 (uni-modal networks), Thm 5.2 (joint training: zero training error,
but an encoder alone may be bad), Cor 5.3 (joint error ``~ p_1 mu_1 + p_2 mu_2``), Def A.2 / Lemma A.3
(winning modality at initialisation), Lemma A.14 (the loser stays small) and Claim A.7 (phase-1
length). The concrete instance, the traps and the ``A``-coefficients trick are those of section 5.

Exact representation (section 5.5). Every GD gradient of a one-layer encoder is a combination of its
training inputs, so ``W^(t) = W^(0) + A^(t) X`` (rows of ``X`` are the ``n`` inputs of that
modality, ``A`` has shape ``(k*m, n)``). GD runs on ``A``: with ``P = W X^T = P^(0) + A K``,
``K = X X^T``, the gradient of the mean loss is ``dL/dW = G X`` where
``G = dL/dP = ((softmax(F) - onehot(y)) / n)`` spread to the ``m`` neurons of each class, times
``ReLU~'(P)``; hence ``A <- A - eta G`` is exactly GD on ``W``. The test suite checks ``G X``
against autograd on the explicit ``W``.

Batching. Replicas are the leading tensor axis. The four encoders of a replica (modality ``r`` of the
joint network, modality ``r`` of uni-modal network ``r``) are laid out as ``(R, 2 modalities,
2 kinds, k*m, n)`` so that one batched matmul ``A K`` per step serves all networks of all replicas,
with the per-modality Gram matrix shared by the joint and the uni-modal encoder. The only Python loop
over replicas draws each replica's random numbers from its own
``torch.Generator(device="cpu").manual_seed(seeds[i])`` (train set, test set, then the four
initialisations, always in that order), so replica ``i`` is the same whatever ``R`` or the device.

Representation. GD runs on ``A`` as above when ``n <= 2 d`` (``km n^2`` flops per encoder and step),
and on the explicit weights ``W`` otherwise (``P = W X^T``, ``W <- W - eta G X``: ``2 km n d`` flops);
both are the same exact GD (the tests check them against autograd and against each other).

Precision: training in float64 on ``"cpu"`` (measured on 2 cores: the section-5.1 instance, 3000 steps,
takes about 11 s for ``R=16`` and 43 s for ``R=64``; float32 would take about 4.6 s for ``R=16`` with
the same measurements), float32 on ``"cuda"``. Error fractions and class fractions are always reduced
in float64; ``T_pred`` is computed in float64.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np
import torch

__all__ = [
    "REQUIRED_PARAMS",
    "REFERENCE_PARAMS",
    "smoothed_relu",
    "preactivation_grad",
    "joint_vs_unimodal",
]

REQUIRED_PARAMS: tuple[str, ...] = (
    "k", "m", "q", "rho_thr",
    "d", "n", "n_test", "sigma0", "sigma_p_norm",
    "mu1", "mu2", "s",
    "suff_lo", "suff_hi", "suff_off_hi",
    "insuff_target", "insuff_off_lo", "insuff_off_hi",
    "eta", "steps", "record_every", "loser_frac",
)

#: The in-regime instance of section 5.1 of the note (``n_test`` and ``loser_frac`` are readings added
#: here; section 5.3(b) suggests "at the winner's T_j the loser is below c*rho").
REFERENCE_PARAMS: dict[str, float] = {
    "k": 10, "m": 4, "q": 3, "rho_thr": 0.1,
    "d": 400, "n": 100, "n_test": 2000, "sigma0": 1e-4, "sigma_p_norm": 0.5,
    "mu1": 0.1, "mu2": 0.2, "s": 3,
    "suff_lo": 1.0, "suff_hi": 2.0, "suff_off_hi": 0.1,
    "insuff_target": 0.2, "insuff_off_lo": 0.4, "insuff_off_hi": 1.0,
    "eta": 2.0, "steps": 3000, "record_every": 10, "loser_frac": 0.5,
}

# Encoder layout along the flattened encoder axis of length 4: index 2*r + a for modality r (0, 1)
# and kind a (0: joint network, 1: uni-modal network of modality r).
# Networks: 0 = joint, 1 = uni-modal on modality 1, 2 = uni-modal on modality 2.
_NET_OF_ENC = (0, 1, 0, 2)


# ----------------------------------------------------------------------------------------------------
# Parameters
# ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Config:
    k: int
    m: int
    q: int
    rho: float
    d: int
    n: int
    n_test: int
    sigma0: float
    sigma_p: float
    mu: tuple[float, float]
    s: int
    suff_lo: float
    suff_hi: float
    suff_off_hi: float
    insuff_target: float
    insuff_off_lo: float
    insuff_off_hi: float
    eta: float
    steps: int
    record_every: int
    loser_frac: float


def _as_int(params: Mapping[str, float], key: str) -> int:
    v = float(params[key])
    if not v.is_integer():
        raise ValueError(f"param {key!r} must be an integer, got {params[key]!r}")
    return int(v)


def _parse(params: Mapping[str, float]) -> _Config:
    """Validate ``params`` (all of :data:`REQUIRED_PARAMS`) into a :class:`_Config`."""
    missing = [key for key in REQUIRED_PARAMS if key not in params]
    if missing:
        raise ValueError(f"joint_vs_unimodal: missing param(s) {', '.join(repr(x) for x in missing)}")
    cfg = _Config(
        k=_as_int(params, "k"), m=_as_int(params, "m"), q=_as_int(params, "q"),
        rho=float(params["rho_thr"]), d=_as_int(params, "d"), n=_as_int(params, "n"),
        n_test=_as_int(params, "n_test"), sigma0=float(params["sigma0"]),
        sigma_p=float(params["sigma_p_norm"]) / math.sqrt(float(params["d"])),
        mu=(float(params["mu1"]), float(params["mu2"])), s=_as_int(params, "s"),
        suff_lo=float(params["suff_lo"]), suff_hi=float(params["suff_hi"]),
        suff_off_hi=float(params["suff_off_hi"]), insuff_target=float(params["insuff_target"]),
        insuff_off_lo=float(params["insuff_off_lo"]), insuff_off_hi=float(params["insuff_off_hi"]),
        eta=float(params["eta"]), steps=_as_int(params, "steps"),
        record_every=_as_int(params, "record_every"), loser_frac=float(params["loser_frac"]),
    )
    if cfg.q < 3:
        raise ValueError("q must be an integer >= 3 (Def 4.1; Def A.2 uses the exponent 1/(q-2))")
    if cfg.m < 2:
        raise ValueError("m must be >= 2 (G = 1/log(m)^2 in Def A.2)")
    if cfg.k < 2 or not 0 <= cfg.s <= cfg.k - 1:
        raise ValueError("need k >= 2 and 0 <= s <= k-1 (s off-target features drawn without replacement)")
    if cfg.d < cfg.k:
        raise ValueError("need d >= k (the dictionary is the first k standard basis vectors)")
    if min(cfg.n, cfg.n_test, cfg.record_every) < 1 or cfg.steps < 0:
        raise ValueError("need n, n_test, record_every >= 1 and steps >= 0")
    if not all(0.0 <= mu <= 1.0 for mu in cfg.mu):
        raise ValueError("mu1, mu2 must lie in [0, 1]")
    if cfg.rho <= 0 or cfg.sigma0 < 0 or cfg.eta <= 0:
        raise ValueError("need rho_thr > 0, sigma0 >= 0, eta > 0")
    return cfg


# ----------------------------------------------------------------------------------------------------
# Data (section 2) and initialisation (section 3), drawn per replica on the CPU
# ----------------------------------------------------------------------------------------------------


def _sample_split(g: torch.Generator, n: int, cfg: _Config) -> tuple[torch.Tensor, ...]:
    """Draw ``n`` pairs ``(X, y)`` of section 2 with generator ``g`` (float64, CPU).

    Returns ``x (2, n, d)``, ``y (n,)``, ``z (2, n, k)``, ``insuff (2, n)`` (bool). Per sample and per
    modality independently, modality ``r`` is insufficient with probability ``mu_r``. Exactly ``s``
    off-target classes (uniform without replacement among ``j != y``) get a coefficient
    ``U[0, suff_off_hi]`` (sufficient) or ``U[insuff_off_lo, insuff_off_hi]`` (insufficient); the target
    gets ``U[suff_lo, suff_hi]`` or ``insuff_target``. No feature noise (gamma = 0). ``M = I[:, :k]``,
    so ``x = eps; x[:k] += z`` with ``eps ~ N(0, sigma_p^2 I_d)``.
    """
    k, d, s = cfg.k, cfg.d, cfg.s
    f64 = torch.float64
    y = torch.randint(0, k, (n,), generator=g)
    mu = torch.tensor(cfg.mu, dtype=f64).unsqueeze(1)
    insuff = torch.rand(2, n, generator=g, dtype=f64) < mu
    keys = torch.rand(2, n, k, generator=g, dtype=f64)
    keys.scatter_(2, y.view(1, n, 1).expand(2, n, 1), 2.0)  # the target sorts last
    off_idx = keys.argsort(dim=2)[:, :, :s]
    u_off = torch.rand(2, n, s, generator=g, dtype=f64)
    u_tgt = torch.rand(2, n, generator=g, dtype=f64)
    ins3 = insuff.unsqueeze(2)
    off_val = torch.where(ins3, cfg.insuff_off_lo + (cfg.insuff_off_hi - cfg.insuff_off_lo) * u_off,
                          cfg.suff_off_hi * u_off)
    tgt = torch.where(insuff, torch.full_like(u_tgt, cfg.insuff_target),
                      cfg.suff_lo + (cfg.suff_hi - cfg.suff_lo) * u_tgt)
    z = torch.zeros(2, n, k, dtype=f64)
    z.scatter_(2, off_idx, off_val)
    z.scatter_(2, y.view(1, n, 1).expand(2, n, 1), tgt.unsqueeze(2))
    x = torch.randn(2, n, d, generator=g, dtype=f64) * cfg.sigma_p
    x[:, :, :k] += z
    return x, y, z, insuff


@dataclass
class _Batch:
    """Stacked per-replica draws, on the target device (floats in the working dtype)."""

    x: torch.Tensor        # (R, 2, n, d)
    y: torch.Tensor        # (R, n) int64
    z: torch.Tensor        # (R, 2, n, k)
    insuff: torch.Tensor   # (R, 2, n) bool
    xt: torch.Tensor       # (R, 2, n_test, d)
    yt: torch.Tensor       # (R, n_test)
    insuff_t: torch.Tensor  # (R, 2, n_test) bool
    w0: torch.Tensor       # (R, 4, k*m, d), encoder layout 2*r + a


def _draw(cfg: _Config, seeds: Sequence[int], device: torch.device, dtype: torch.dtype) -> _Batch:
    """Per replica: train set, test set, then the four ``N(0, sigma0^2)`` inits (section 3)."""
    cols: dict[str, list[torch.Tensor]] = {key: [] for key in _Batch.__dataclass_fields__}
    for seed in seeds:
        g = torch.Generator(device="cpu").manual_seed(int(seed))
        x, y, z, ins = _sample_split(g, cfg.n, cfg)
        xt, yt, _, ins_t = _sample_split(g, cfg.n_test, cfg)
        w0 = torch.randn(4, cfg.k * cfg.m, cfg.d, generator=g, dtype=torch.float64) * cfg.sigma0
        for key, val in (("x", x), ("y", y), ("z", z), ("insuff", ins), ("xt", xt), ("yt", yt),
                         ("insuff_t", ins_t), ("w0", w0)):
            cols[key].append(val)

    def put(key: str) -> torch.Tensor:
        t = torch.stack(cols.pop(key))
        return t.to(device=device, dtype=dtype if t.is_floating_point() else t.dtype)

    return _Batch(**{key: put(key) for key in list(cols)})


# ----------------------------------------------------------------------------------------------------
# Networks: Def 4.1, Eq. 1, Eq. 2, Eq. 3 and the exact gradient
# ----------------------------------------------------------------------------------------------------


def smoothed_relu(p: torch.Tensor, rho: float, q: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Smoothed ReLU of Def 4.1 and its derivative, element-wise.

    ``ReLU~(z) = 0`` for ``z <= 0``, ``z^q / (q rho^(q-1))`` on ``[0, rho]``, ``z - (1 - 1/q) rho`` above;
    ``ReLU~'(z) = min(max(z, 0)/rho, 1)^(q-1)``. Returns ``(value, derivative)``.
    """
    u = (p / rho).clamp(0.0, 1.0)
    du = u.pow(q - 1)
    val = torch.where(p >= rho, p - (1.0 - 1.0 / q) * rho, du * u * (rho / q))
    return val, du


def _scores(val: torch.Tensor, k: int, m: int) -> torch.Tensor:
    """Encoder outputs under the block-sum head ``C`` (Eq. 1): ``(..., 4, k*m, n) -> (..., 4, k, n)``."""
    return val.unflatten(-2, (k, m)).sum(-2)


def _network_outputs(enc: torch.Tensor) -> torch.Tensor:
    """``(..., 4, k, n)`` encoder outputs -> ``(..., 3, k, n)``: joint ``F = C(phi^1 + phi^2)`` (Eq. 1),
    uni-modal ``F^1_uni``, ``F^2_uni`` (Eq. 2)."""
    return torch.stack((enc[..., 0, :, :] + enc[..., 2, :, :], enc[..., 1, :, :], enc[..., 3, :, :]), dim=-3)


def _loss_and_dout(out: torch.Tensor, onehot: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Mean cross-entropy (Eq. 3) of each network and ``dL/dF = (softmax(F) - onehot) / n``.

    ``out (..., 3, k, n)``, ``onehot`` broadcastable to it; returns ``loss (..., 3)``, ``dF`` like ``out``.
    """
    lse = torch.logsumexp(out, dim=-2, keepdim=True)
    loss = (lse.squeeze(-2) - (out * onehot).sum(-2)).mean(-1)
    dout = (torch.exp(out - lse) - onehot) / out.shape[-1]
    return loss, dout


def preactivation_grad(p: torch.Tensor, onehot: torch.Tensor, rho: float, q: int, k: int,
                       m: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Forward pass and exact gradient ``G = dL/dP`` for the four encoders (section A.1 gradient).

    ``p``: pre-activations ``(..., 4, k*m, n)`` in the encoder layout ``2*r + a`` (modality ``r``,
    kind ``a``: 0 joint, 1 uni-modal); ``onehot``: ``(..., 1, k, n)``. Each network's loss is its own
    mean cross-entropy; the two joint encoders share the joint network's ``dL/dF``. Since
    ``P = W X^T``, ``dL/dW = G X`` and GD on ``W`` is ``A <- A - eta G`` (section 5.5).

    Returns ``(G, loss (..., 3), out (..., 3, k, n))``.
    """
    val, du = smoothed_relu(p, rho, q)
    out = _network_outputs(_scores(val, k, m))
    loss, dout = _loss_and_dout(out, onehot)
    d_enc = torch.stack([dout[..., net, :, :] for net in _NET_OF_ENC], dim=-3)  # (..., 4, k, n)
    grad = (du.unflatten(-2, (k, m)) * d_enc.unsqueeze(-2)).flatten(-3, -2)
    return grad, loss, out


def _errors(out: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """0/1 errors (float64), ties count: error iff some ``j != y`` has ``F_j >= F_y``.
    ``out (R, N, k, n)``, ``y (R, n)`` -> ``(R, N, n)``."""
    idx = y.unsqueeze(1).unsqueeze(2).expand(out.shape[0], out.shape[1], 1, out.shape[-1])
    f_y = out.gather(2, idx).squeeze(2)
    others = out.scatter(2, idx, float("-inf")).amax(2)
    return (others >= f_y).to(torch.float64)


# ----------------------------------------------------------------------------------------------------
# Def A.2 and Claim A.7 from initialisation and data
# ----------------------------------------------------------------------------------------------------


def _class_strengths(b: _Batch, cfg: _Config, both_sufficient: bool) -> torch.Tensor:
    """``(R, 2, k)``: ``(1/n) sum_{y=j} (z^r_j)^q`` over training pairs with both modalities sufficient
    (``C^r_j`` of section 1, used by Def A.2) or with ``x^r`` sufficient (``C~^r_j`` of Claim A.7)."""
    onehot = torch.nn.functional.one_hot(b.y, cfg.k).to(b.z.dtype)  # (R, n, k)
    zq = (b.z * onehot.unsqueeze(1)).pow(cfg.q)  # (R, 2, n, k): (z^r_y)^q at column y
    if both_sufficient:
        keep = ~(b.insuff[:, 0] | b.insuff[:, 1])
        keep = keep.unsqueeze(1).expand(-1, 2, -1)
    else:
        keep = ~b.insuff
    return (zq * keep.unsqueeze(-1).to(zq.dtype)).sum(2) / cfg.n


def _init_winners(gamma0: torch.Tensor, c: torch.Tensor, cfg: _Config) -> torch.Tensor:
    """Def A.2 winner per class, ``(R, k)`` in ``{-1, 0, 1}`` (-1: neither).

    ``r`` wins ``j`` iff
    ``Gamma^(0)_{j,r} (C^r_j)^(1/(q-2)) >= (1+G) Gamma^(0)_{j,3-r} (C^{3-r}_j)^(1/(q-2))``
    and the left side is positive (the multiplied-out form, well defined when some ``C = 0``), with
    ``G = 1/ln(m)^2``.
    """
    G = 1.0 / math.log(cfg.m) ** 2
    a = gamma0 * c.pow(1.0 / (cfg.q - 2))  # (R, 2, k)
    w1 = (a[:, 0] > 0) & (a[:, 0] >= (1 + G) * a[:, 1])
    w2 = (a[:, 1] > 0) & (a[:, 1] >= (1 + G) * a[:, 0])
    win = torch.full_like(w1, -1, dtype=torch.int64)
    return win.masked_fill(w1, 0).masked_fill(w2, 1)


def _claim_a7_prediction(gamma0: torch.Tensor, c_tilde: torch.Tensor, cfg: _Config) -> torch.Tensor:
    """Claim A.7's ``T^_j``, ``(R, k)``: integrate ``x' = eta (1 - 1/k) C~^{r*}_j x^(q-1) / rho^(q-1)`` from
    ``x_0 = Gamma^(0)_{j,r*}`` to ``rho``, with ``r* = argmax_r Gamma^(0)_{j,r} (C~^r_j)^(1/(q-2))``:
    ``T^ = rho^(q-1) / (eta (q-2) (1-1/k) C~) * (x_0^-(q-2) - rho^-(q-2))``; 0 if ``x_0 >= rho``,
    ``inf`` if ``x_0 C~ = 0``."""
    q2 = cfg.q - 2
    gamma0, c_tilde = gamma0.to(torch.float64), c_tilde.to(torch.float64)  # x0^-(q-2) can be large
    r_star = (gamma0 * c_tilde.pow(1.0 / q2)).argmax(1, keepdim=True)
    x0 = gamma0.gather(1, r_star).squeeze(1)
    c = c_tilde.gather(1, r_star).squeeze(1)
    rate = cfg.eta * q2 * (1.0 - 1.0 / cfg.k) * c / cfg.rho ** (cfg.q - 1)
    t_hat = (x0.pow(-q2) - cfg.rho ** (-q2)) / rate
    t_hat = torch.where(x0 >= cfg.rho, torch.zeros_like(t_hat), t_hat)
    return torch.where((x0 > 0) & (c > 0), t_hat, torch.full_like(t_hat, math.inf))


# ----------------------------------------------------------------------------------------------------
# Training
# ----------------------------------------------------------------------------------------------------


@dataclass
class _Tracker:
    """Per-class crossing bookkeeping of the joint network (phase 1 end, Claim A.7; Lemma A.14)."""

    t_cross: torch.Tensor       # (R, k) first t with max_r Gamma^(t)_{j,r} >= rho, inf if never
    winner: torch.Tensor        # (R, k) modality that crossed (argmax at t_cross), -1 if never
    loser_cross: torch.Tensor   # (R, k) loser's Gamma at t_cross / rho, NaN if never

    @classmethod
    def empty(cls, shape: tuple[int, int], device: torch.device, dtype: torch.dtype) -> "_Tracker":
        return cls(torch.full(shape, math.inf, device=device, dtype=dtype),
                   torch.full(shape, -1, device=device, dtype=torch.int64),
                   torch.full(shape, math.nan, device=device, dtype=dtype))

    def update(self, t: int, gamma: torch.Tensor, rho: float) -> None:
        top, arg = gamma.max(dim=1)
        low = gamma.min(dim=1).values
        new = (top >= rho) & torch.isinf(self.t_cross)
        self.t_cross = torch.where(new, torch.full_like(self.t_cross, float(t)), self.t_cross)
        self.winner = torch.where(new, arg, self.winner)
        self.loser_cross = torch.where(new, low / rho, self.loser_cross)


class _Trainer:
    """Exact batched full-batch GD for all networks of all replicas (Eq. 3 / Eq. 5).

    ``representation="coef"`` (section 5.5): ``W = W^(0) + A X``, state ``A (R, 4, km, n)``,
    ``P = P^(0) + A K`` (one ``km x n x n`` matmul per encoder and step) and ``A <- A - eta G``.
    ``representation="weights"``: state ``W (R, 4, km, d)``, ``P = W X^T`` and ``W <- W - eta G X``
    (two ``km x n x d`` matmuls); the same GD, cheaper when ``2 d < n``. Encoders are laid out as
    ``(R, r, a)``, so every matmul is one ``bmm`` over ``(R * 2)`` with the two kinds stacked in rows.
    """

    def __init__(self, b: _Batch, cfg: _Config, representation: str):
        if representation not in ("coef", "weights"):
            raise ValueError(f"unknown representation {representation!r}")
        R, k, m, n, d = b.x.shape[0], cfg.k, cfg.m, cfg.n, cfg.d
        km = k * m
        self.cfg, self.R, self.rep = cfg, R, representation
        self.x, self.xt = b.x, b.xt                                           # (R, 2, n|n_test, d)
        w0 = b.w0.view(R, 2, 2, km, d)                                        # (R, r, a, km, d)
        self.onehot = torch.nn.functional.one_hot(b.y, k).transpose(1, 2).unsqueeze(1).to(b.x.dtype)
        self.neuron_class = torch.arange(km, device=b.x.device) // m
        if representation == "coef":
            self.K = b.x @ b.x.transpose(-1, -2)                              # (R, 2, n, n)
            self.p0 = (w0 @ b.x.transpose(-1, -2).unsqueeze(2)).view(R, 4, km, n)
            self.p0_test = (w0 @ b.xt.transpose(-1, -2).unsqueeze(2)).view(R, 4, km, cfg.n_test)
            self.K_test = b.x @ b.xt.transpose(-1, -2)                        # (R, 2, n, n_test)
            self.state = torch.zeros(R, 4, km, n, device=b.x.device, dtype=b.x.dtype)
            # <w_{jl}, e_j> = W0[jl, j] + sum_i A[jl, i] x_i[j]
            self.w0_diag = self._diag(w0)                                     # (R, 2, 2, km)
            self.x_sel = b.x[..., :k].transpose(-1, -2).repeat_interleave(m, dim=2).unsqueeze(2)
        else:
            self.state = b.w0.clone()                                         # (R, 4, km, d)

    def _diag(self, w: torch.Tensor) -> torch.Tensor:
        """``<w_{j,l}, M_j> = w_{j,l}[j]`` for weights ``(R, 2, 2, km, d)`` -> ``(R, 2, 2, km)``."""
        idx = self.neuron_class.view(1, 1, 1, -1, 1).expand(*w.shape[:4], 1)
        return w.gather(4, idx).squeeze(4)

    def _apply(self, x: torch.Tensor, p0: torch.Tensor | None, k_mat: torch.Tensor | None) -> torch.Tensor:
        """Pre-activations ``(R, 4, km, N)`` on inputs ``x (R, 2, N, d)`` (the train or the test set)."""
        R, km, N = self.R, self.cfg.k * self.cfg.m, x.shape[2]
        if self.rep == "coef":
            n = self.cfg.n
            p = torch.baddbmm(p0.view(R * 2, 2 * km, N), self.state.view(R * 2, 2 * km, n),
                              k_mat.view(R * 2, n, N))
        else:
            d = self.cfg.d
            p = torch.bmm(self.state.view(R * 2, 2 * km, d), x.view(R * 2, N, d).transpose(1, 2))
        return p.view(R, 4, km, N)

    def preact(self) -> torch.Tensor:
        """Training pre-activations ``P = W X^T`` of the four encoders, ``(R, 4, km, n)``."""
        if self.rep == "coef":
            return self._apply(self.x, self.p0, self.K)
        return self._apply(self.x, None, None)

    def step(self, grad: torch.Tensor) -> None:
        """One GD step with ``grad = dL/dP`` (``(R, 4, km, n)``)."""
        if self.rep == "coef":
            self.state.add_(grad, alpha=-self.cfg.eta)
        else:
            R, km, n, d = self.R, self.cfg.k * self.cfg.m, self.cfg.n, self.cfg.d
            g_w = torch.bmm(grad.view(R * 2, 2 * km, n), self.x.view(R * 2, n, d))
            self.state.sub_(g_w.view(R, 4, km, d), alpha=self.cfg.eta)

    def gamma(self) -> torch.Tensor:
        """``Gamma^(t)_{j} = max_l [<w_{j,l}, M_j>]^+`` of every encoder, ``(R, 2 r, 2 a, k)`` (section 1;
        ``a = 0``: the joint network's ``Gamma_{j,r}``, ``a = 1``: the uni-modal ``Gamma^r_{j,uni}``)."""
        R, km = self.R, self.cfg.k * self.cfg.m
        if self.rep == "coef":
            a = self.state.view(R, 2, 2, km, self.cfg.n)
            corr = self.w0_diag + torch.linalg.vecdot(a, self.x_sel)
        else:
            corr = self._diag(self.state.view(R, 2, 2, km, self.cfg.d))
        return corr.unflatten(-1, (self.cfg.k, self.cfg.m)).amax(-1).clamp(min=0.0)

    def test_outputs(self) -> torch.Tensor:
        """Encoder outputs on the test set, ``(R, 4, k, n_test)``."""
        if self.rep == "coef":
            p = self._apply(self.xt, self.p0_test, self.K_test)
        else:
            p = self._apply(self.xt, None, None)
        return _scores(smoothed_relu(p, self.cfg.rho, self.cfg.q)[0], self.cfg.k, self.cfg.m)


def _test_errors(enc: torch.Tensor, yt: torch.Tensor) -> torch.Tensor:
    """0/1 test errors ``(R, 5, n_test)`` of: joint, uni 1, uni 2, joint encoder 1 alone (``C phi^1``),
    joint encoder 2 alone (Thm 5.2 encoder part)."""
    outs = torch.cat((_network_outputs(enc), enc[:, 0::2]), dim=1)  # enc[:, 0], enc[:, 2]: joint encoders
    return _errors(outs, yt)


def _check_finite(first_bad: torch.Tensor) -> None:
    """Raise ``FloatingPointError`` if some replica's loss went non-finite (``first_bad >= 0``)."""
    bad = first_bad >= 0
    if bool(bad.any()):
        big = torch.iinfo(first_bad.dtype).max
        i = int(torch.where(bad, first_bad, torch.full_like(first_bad, big)).argmin())
        raise FloatingPointError(
            f"joint_vs_unimodal: non-finite training loss first at step {int(first_bad[i])} "
            f"in replica index {i}")


def _masked_mean(err: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Mean of ``err`` over ``mask`` along the last axis; NaN where the mask is empty."""
    cnt = mask.sum(-1)
    tot = (err * mask.to(err.dtype)).sum(-1)
    return torch.where(cnt > 0, tot / cnt.clamp(min=1), torch.full_like(tot, math.nan))


def _record_steps(steps: int, every: int) -> list[int]:
    return sorted(set(range(0, steps + 1, every)) | {steps})


# ----------------------------------------------------------------------------------------------------
# Public check
# ----------------------------------------------------------------------------------------------------


def joint_vs_unimodal(params: Mapping[str, float], replicas: int, seeds: Sequence[int],
                      device: str) -> dict[str, np.ndarray]:
    """Train the joint network (Eq. 1) and both uni-modal networks (Eq. 2) by full-batch GD; measure
    Thm 5.1, Thm 5.2, Cor 5.3, Def A.2 / Lemma A.3, Lemma A.14 and Claim A.7 quantities.

    ``params``: every key of :data:`REQUIRED_PARAMS` (``ValueError`` names a missing one); see
    :data:`REFERENCE_PARAMS` for the section-5.1 instance. ``sigma_p = sigma_p_norm / sqrt(d)``. Step
    ``t`` means the iterate after ``t`` GD steps (``t = 0`` is the initialisation); training runs
    ``steps`` steps. Float64 on CPU, float32 on CUDA. GD runs on the coefficients ``A`` of section 5.5
    when ``n <= 2 d`` and on the explicit weights otherwise (both exact; the cheaper one is used). A
    non-finite training loss raises ``FloatingPointError`` naming the first step and the replica index.

    Returned arrays (first axis replica, shape ``(R,)`` unless said):

    * ``train_err_joint``, ``train_err_uni1``, ``train_err_uni2``: training error at ``steps`` (ties
      count: error iff some ``j != y`` has ``F_j >= F_y``). Thm 5.1 / 5.2 (train).
    * ``test_err_joint``, ``test_err_uni1``, ``test_err_uni2``: on ``n_test`` fresh pairs. Thm 5.1, Cor 5.3.
    * ``test_err_enc1``, ``test_err_enc2``: the jointly trained encoder ``r`` alone, ``C phi^r(x^r)``.
      Thm 5.2 (encoders).
    * ``test_err_joint_half``, ``test_err_uni1_half``, ``test_err_uni2_half``: the same at step
      ``steps // 2`` (convergence, trap 5.3a).
    * ``test_err_joint_insuff1``, ``test_err_joint_insuff2``: joint error on test pairs whose modality
      ``r`` is insufficient and the other sufficient (NaN if none); ``test_frac_insuff1``,
      ``test_frac_insuff2``: fraction of test pairs with modality ``r`` insufficient.
    * ``p_learned1``, ``p_learned2``, ``p_learned_both``, ``p_learned_none``: a partition of the ``k``
      classes by the joint network's dynamics, with ``Gamma_{j,r} = max_l [<w^r_{j,l}, M^r_j>]^+`` and
      ``T_j`` the first step with ``max_r Gamma_{j,r} >= rho_thr``:
      ``learned r`` = ``T_j <= steps``, ``r`` is the argmax at ``T_j`` and the other modality's Gamma at
      ``T_j`` is ``< loser_frac * rho_thr`` (a decisive win, Lemma A.14 read at ``T_j``);
      ``both`` = ``T_j <= steps`` but the other modality was already ``>= loser_frac * rho_thr`` at
      ``T_j`` (no decisive winner; includes simultaneous crossings);
      ``none`` = no modality reached ``rho_thr`` by ``steps``. They sum to 1.
    * ``p_end1``, ``p_end2``, ``p_end_both``, ``p_end_none`` (extra, the end-state estimator of section
      5.2): at ``steps``, only ``r`` has ``Gamma >= rho_thr`` / both do / neither does. Sum to 1.
    * ``uni_dead_init1``, ``uni_dead_init2`` (extra): fraction of classes whose ``m`` neurons in
      uni-modal network ``r`` all start with ``<v, M_j> <= 0`` (``Gamma^(0) = 0``, probability ``2^-m``:
      such a class gets almost no gradient and is learned very late or never);
      ``uni_unlearned1``, ``uni_unlearned2`` (extra): fraction of classes with uni-modal
      ``Gamma^{r,(T)}_{j,uni} < rho_thr`` (Thm 5.1 expects 0).
    * ``p_init1``, ``p_init2``: fraction of classes won by ``r`` at initialisation by Def A.2 with
      ``G = 1/ln(m)^2`` and ``C^r_j = (1/n) sum_{both sufficient, y=j} (z^r_j)^q``.
    * ``winner_agreement``: among classes with a Def A.2 winner, the fraction whose winner is the
      modality that crossed ``rho_thr`` first (a class never crossed counts as disagreement); NaN if
      no class has a Def A.2 winner.
    * ``T_cross (R, k)``: ``T_j`` (``inf`` if never); ``T_pred (R, k)``: Claim A.7's predictor
      (see :func:`_claim_a7_prediction`; it uses ``C~^r_j`` over pairs with ``x^r`` sufficient).
    * ``loser_at_cross (R, k)``: the non-crossing modality's Gamma at ``T_j`` over ``rho_thr`` (NaN if
      never crossed); ``loser_at_end (R, k)``: that modality's Gamma at ``steps`` over ``rho_thr`` (for a
      class never crossed, the smaller Gamma at ``steps``).
    * ``gamma_traj (R, n_rec, k, 2)`` float32: Gamma of the joint network at ``traj_steps``
      (``0, record_every, ...`` and ``steps``); ``traj_steps (n_rec,)`` has no replica axis.
    * ``final_train_loss_joint``: mean cross-entropy of the joint network at ``steps``.
    """
    cfg = _parse(params)
    if replicas < 1 or len(seeds) != replicas:
        raise ValueError(f"need one seed per replica: replicas={replicas}, len(seeds)={len(seeds)}")
    return _run(cfg, seeds, device, _representation(cfg))


def _representation(cfg: _Config) -> str:
    """The cheaper exact representation: ``"coef"`` (section 5.5, ``km n^2`` per step) unless
    ``2 d < n`` (explicit weights, ``2 km n d`` per step)."""
    return "coef" if cfg.n <= 2 * cfg.d else "weights"


def _run(cfg: _Config, seeds: Sequence[int], device: str, representation: str) -> dict[str, np.ndarray]:
    """Draw, train and measure (see :func:`joint_vs_unimodal`)."""
    dev = torch.device(device)
    dtype = torch.float64 if dev.type == "cpu" else torch.float32
    b = _draw(cfg, seeds, dev, dtype)
    tr = _Trainer(b, cfg, representation)
    R, k = len(seeds), cfg.k

    gamma0 = tr.gamma()                                      # (R, 2, 2, k)
    c_both = _class_strengths(b, cfg, both_sufficient=True)
    c_tilde = _class_strengths(b, cfg, both_sufficient=False)
    init_win = _init_winners(gamma0[:, :, 0], c_both, cfg)
    t_pred = _claim_a7_prediction(gamma0[:, :, 0], c_tilde, cfg)

    rec = _record_steps(cfg.steps, cfg.record_every)
    rec_set = set(rec)
    traj: list[torch.Tensor] = []
    track = _Tracker.empty((R, k), dev, dtype)
    first_bad = torch.full((R,), -1, device=dev, dtype=torch.int64)
    half = cfg.steps // 2
    err_half = torch.empty(0)
    for t in range(cfg.steps + 1):
        grad, loss, out = preactivation_grad(tr.preact(), tr.onehot, cfg.rho, cfg.q, k, cfg.m)
        bad = ~torch.isfinite(loss).all(dim=1)
        first_bad = torch.where(bad & (first_bad < 0), torch.full_like(first_bad, t), first_bad)
        gamma = tr.gamma()
        joint_gamma = gamma[:, :, 0]                         # (R, 2, k)
        track.update(t, joint_gamma, cfg.rho)
        if t in rec_set:
            _check_finite(first_bad)
            traj.append(joint_gamma.transpose(1, 2).to(torch.float32))
        if t == half:
            err_half = _test_errors(tr.test_outputs(), b.yt).mean(-1)
        if t == cfg.steps:
            break
        tr.step(grad)
    _check_finite(first_bad)

    train_err = _errors(out, b.y).mean(-1)                   # (R, 3) at `steps`
    err_t = _test_errors(tr.test_outputs(), b.yt)            # (R, 5, n_test)
    test_err = err_t.mean(-1)
    ins = b.insuff_t
    only = (ins[:, 0] & ~ins[:, 1], ins[:, 1] & ~ins[:, 0])
    frac = lambda mask: mask.to(torch.float64).mean(-1)  # noqa: E731

    p_learn = _learned_partition(track, cfg)
    p_end = _end_partition(joint_gamma, cfg.rho)
    res: dict[str, torch.Tensor] = {
        "train_err_joint": train_err[:, 0], "train_err_uni1": train_err[:, 1],
        "train_err_uni2": train_err[:, 2],
        "test_err_joint": test_err[:, 0], "test_err_uni1": test_err[:, 1], "test_err_uni2": test_err[:, 2],
        "test_err_enc1": test_err[:, 3], "test_err_enc2": test_err[:, 4],
        "test_err_joint_half": err_half[:, 0], "test_err_uni1_half": err_half[:, 1],
        "test_err_uni2_half": err_half[:, 2],
        "test_err_joint_insuff1": _masked_mean(err_t[:, 0], only[0]),
        "test_err_joint_insuff2": _masked_mean(err_t[:, 0], only[1]),
        "test_frac_insuff1": frac(ins[:, 0]), "test_frac_insuff2": frac(ins[:, 1]),
        "p_learned1": p_learn[0], "p_learned2": p_learn[1], "p_learned_both": p_learn[2],
        "p_learned_none": p_learn[3],
        "p_end1": p_end[0], "p_end2": p_end[1], "p_end_both": p_end[2], "p_end_none": p_end[3],
        "p_init1": frac(init_win == 0), "p_init2": frac(init_win == 1),
        "winner_agreement": _winner_agreement(init_win, track.winner),
        "uni_dead_init1": frac(gamma0[:, 0, 1] <= 0), "uni_dead_init2": frac(gamma0[:, 1, 1] <= 0),
        "uni_unlearned1": frac(gamma[:, 0, 1] < cfg.rho), "uni_unlearned2": frac(gamma[:, 1, 1] < cfg.rho),
        "T_cross": track.t_cross, "T_pred": t_pred,
        "loser_at_cross": track.loser_cross,
        "loser_at_end": _loser_at_end(joint_gamma, track.winner) / cfg.rho,
        "gamma_traj": torch.stack(traj, dim=1),
        "final_train_loss_joint": loss[:, 0],
    }
    outd = {key: val.detach().cpu().numpy().astype(np.float32 if key == "gamma_traj" else np.float64)
            for key, val in res.items()}
    outd["traj_steps"] = np.asarray(rec, dtype=np.int64)
    return outd


def _learned_partition(track: _Tracker, cfg: _Config) -> tuple[torch.Tensor, ...]:
    """``(p_learned1, p_learned2, p_learned_both, p_learned_none)``, each ``(R,)`` (see the docstring of
    :func:`joint_vs_unimodal`)."""
    crossed = torch.isfinite(track.t_cross)
    decisive = crossed & (track.loser_cross < cfg.loser_frac)  # loser_cross is Gamma / rho
    frac = lambda mask: mask.to(torch.float64).mean(-1)  # noqa: E731
    return (frac(decisive & (track.winner == 0)), frac(decisive & (track.winner == 1)),
            frac(crossed & ~decisive), frac(~crossed))


def _end_partition(gamma: torch.Tensor, rho: float) -> tuple[torch.Tensor, ...]:
    """``(p_end1, p_end2, p_end_both, p_end_none)`` from ``Gamma^(T)`` ``(R, 2, k)``."""
    up = gamma >= rho
    frac = lambda mask: mask.to(torch.float64).mean(-1)  # noqa: E731
    return (frac(up[:, 0] & ~up[:, 1]), frac(up[:, 1] & ~up[:, 0]), frac(up[:, 0] & up[:, 1]),
            frac(~up[:, 0] & ~up[:, 1]))


def _winner_agreement(init_win: torch.Tensor, learned: torch.Tensor) -> torch.Tensor:
    """Among classes with a Def A.2 winner, the fraction where it equals the first-crossing modality."""
    has = init_win >= 0
    return _masked_mean((init_win == learned).to(torch.float64), has)


def _loser_at_end(gamma: torch.Tensor, winner: torch.Tensor) -> torch.Tensor:
    """Gamma at the end of the modality that did not cross first, ``(R, k)``; the smaller one if no
    modality crossed."""
    other = (1 - winner).clamp(0, 1).unsqueeze(1)
    low = gamma.gather(1, other).squeeze(1)
    return torch.where(winner >= 0, low, gamma.min(dim=1).values)
