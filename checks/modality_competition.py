"""Joint versus uni-modal training in the modality-competition model (huang2022).

Simulates the data model of section 2 of the team's note (``papers/modality-competition.md``) and the
networks of section 3, trained by full-batch gradient descent (GD) on the mean cross-entropy (Eq. 3):

* the late-fusion network of Eq. 1, ``F = C (phi^1(x^1) + phi^2(x^2))``, with encoders
  ``phi^r(x) = ReLU~(W^r x)``, ``W^r`` of shape ``(k*m, d)``, the fixed block-sum head ``C`` and the
  smoothed ReLU of Def 4.1;
* the two uni-modal networks of Eq. 2, each trained on its own modality only.

Its measurements serve Thm 5.1 (uni-modal networks), Thm 5.2 (joint training: zero training error,
but an encoder alone may be bad), Cor 5.3 (joint error ``~ p_1 mu_1 + p_2 mu_2``), Def A.2 / Lemma A.3
(winning modality at initialisation), and every appendix statement about the training dynamics
(Induction Hypotheses A.4 / B.1, Facts A.5-A.6, Claims A.7-A.12, Lemmas A.13-A.19, Theorem A.20),
recorded inside the same training loop by :class:`_Dynamics`: every quantity is a projection of the
weights (``<w, M_j'> = W[:, :k]``, a small matmul in the ``A`` representation; ``<w, eps_i> = P - <w, M>
z_i``) or a sum of the logits the step computes anyway. The concrete instance, the traps and the
``A``-coefficients trick are those of section 5.

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

Precision: ``--precision auto`` trains in float32 on every device; ``--precision float64`` forces
float64 (``verifier.running.compute``). Measured with ``benchmarks/precision.py huang2022``: the quick profile
ran 2.2x faster in float32 on the 2-core CPU, all 30 verdicts were identical and every measured mean
moved by less than 1e-3 relative (``benchmarks/README.md``); the tests check the exact arithmetic in
float64. Error fractions and class fractions are always reduced in float64; ``T_pred`` is computed
in float64.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np
import torch

from checks._params import per_replica
from verifier.running.compute import dtype_for

__all__ = [
    "FLAT_EVENT_KEYS",
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

#: Outputs that are flat arrays of 0/1 events over the (replica, class) pairs of Def A.2's winning set, in
#: replica order, rather than arrays with a leading replica axis (Lemma A.14).
FLAT_EVENT_KEYS: tuple[str, ...] = (
    "a14_phase1_events", "a14_decisive_events", "a14_winner_stays_events", "a14_loser_below_rho_events",
)

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
    zt: torch.Tensor       # (R, 2, n_test, k)
    insuff_t: torch.Tensor  # (R, 2, n_test) bool
    w0: torch.Tensor       # (R, 4, k*m, d), encoder layout 2*r + a


def _draw(cfg: _Config, seeds: Sequence[int], device: torch.device, dtype: torch.dtype) -> _Batch:
    """Per replica: train set, test set, then the four ``N(0, sigma0^2)`` inits (section 3)."""
    def one(_: int, seed: int) -> tuple[torch.Tensor, ...]:
        g = torch.Generator(device="cpu").manual_seed(seed)
        train = _sample_split(g, cfg.n, cfg)
        test = _sample_split(g, cfg.n_test, cfg)
        return *train, *test, torch.randn(4, cfg.k * cfg.m, cfg.d, generator=g, dtype=torch.float64) * cfg.sigma0

    rows = per_replica(one, seeds)  # fields in _Batch order: x, y, z, insuff, xt, yt, zt, insuff_t, w0
    cols = {key: [row[i] for row in rows] for i, key in enumerate(_Batch.__dataclass_fields__)}
    del rows

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
    grad, loss, out, _, _ = _forward_backward(p, onehot, rho, q, k, m)
    return grad, loss, out


def _forward_backward(p: torch.Tensor, onehot: torch.Tensor, rho: float, q: int, k: int,
                      m: int) -> tuple[torch.Tensor, ...]:
    """:func:`preactivation_grad` that also returns the encoder outputs ``(..., 4, k, n)`` and the
    softmax ``(..., 3, k, n)`` it computed on the way (the same arithmetic as :func:`_loss_and_dout`)."""
    val, du = smoothed_relu(p, rho, q)
    enc = _scores(val, k, m)
    out = _network_outputs(enc)
    lse = torch.logsumexp(out, dim=-2, keepdim=True)
    loss = (lse.squeeze(-2) - (out * onehot).sum(-2)).mean(-1)
    prob = torch.exp(out - lse)
    dout = (prob - onehot) / out.shape[-1]
    d_enc = torch.stack([dout[..., net, :, :] for net in _NET_OF_ENC], dim=-3)  # (..., 4, k, n)
    grad = (du.unflatten(-2, (k, m)) * d_enc.unsqueeze(-2)).flatten(-3, -2)
    return grad, loss, out, enc, prob


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
        self.w0_feat = w0[..., :k]                                            # (R, r, a, km, k): <w0, M_j'>
        self.x_feat = b.x[..., :k].unsqueeze(2)                               # (R, 2, 1, n, k)
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

    def feature_corr(self) -> torch.Tensor:
        """``<w_{j,l}, M_{j'}>`` for every neuron and every feature, ``(R, 2 r, 2 a, km, k)``; with
        ``M = I[:, :k]`` this is ``W[:, :k] = W^(0)[:, :k] + A X[:, :k]`` (one small matmul)."""
        R, km, k = self.R, self.cfg.k * self.cfg.m, self.cfg.k
        if self.rep == "coef":
            return self.w0_feat + self.state.view(R, 2, 2, km, self.cfg.n) @ self.x_feat
        return self.state.view(R, 2, 2, km, self.cfg.d)[..., :k]

    def test_preact(self, rows: slice = slice(None)) -> torch.Tensor:
        """Test pre-activations ``(R', 4, km, n_test)`` of the replicas ``rows``."""
        km, nt = self.cfg.k * self.cfg.m, self.cfg.n_test
        if self.rep == "coef":
            a = self.state[rows]
            r2 = a.shape[0] * 2
            p = torch.baddbmm(self.p0_test[rows].reshape(r2, 2 * km, nt), a.reshape(r2, 2 * km, self.cfg.n),
                              self.K_test[rows].reshape(r2, self.cfg.n, nt))
        else:
            w = self.state[rows]
            r2 = w.shape[0] * 2
            p = torch.bmm(w.reshape(r2, 2 * km, self.cfg.d), self.xt[rows].reshape(r2, nt, self.cfg.d).transpose(1, 2))
        return p.view(-1, 4, km, nt)

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
# Training dynamics of appendix A / B, recorded inside the training loop
# ----------------------------------------------------------------------------------------------------


def _masked_max(x: torch.Tensor, mask: torch.Tensor, dims: tuple[int, ...]) -> torch.Tensor:
    """Max of ``x`` over ``dims`` where ``mask`` holds (``-inf`` where it never does)."""
    return torch.where(mask, x, torch.full_like(x, -math.inf)).amax(dim=dims)


class _Dynamics:
    """Per-step and per-recorded-step measurements of the appendix statements (joint network, and the
    uni-modal networks for Induction Hypothesis B.1 and the uni-modal analogues).

    Everything is a projection of the weights that the exact representation makes cheap:
    ``C = <w_{j,l}, M_{j'}>`` (:meth:`_Trainer.feature_corr`) and, since ``x = M z + eps`` exactly with
    ``M = I[:, :k]``, the noise correlation ``<w_{j,l}, eps_i> = P - C z_i``. Logit quantities come
    from the outputs the training step computes anyway. Masks follow the note's names: ``Z_s`` pairs
    with both modalities sufficient, ``Z_i`` the others; ``S^r(X) = {j: z^r_j > 0}``; a neuron ``(j, l)``
    is "own" on a sample of label ``j``.
    """

    def __init__(self, b: _Batch, cfg: _Config, tr: "_Trainer", init_win: torch.Tensor):
        R, k, m, n = b.x.shape[0], cfg.k, cfg.m, cfg.n
        km = k * m
        dev, dt = b.x.device, b.x.dtype
        self.cfg, self.tr, self.R = cfg, tr, R
        cls = tr.neuron_class
        self.cls = cls
        self.y = b.y
        self.onehot = tr.onehot.squeeze(1)                                    # (R, k, n)
        self.zT = b.z.transpose(-1, -2).unsqueeze(2)                          # (R, 2, 1, k, n)
        z_own = b.z.transpose(-1, -2).index_select(2, cls)                     # (R, 2, km, n): z^r_i[class]
        self.z_own = z_own
        self.own = (cls.view(1, km, 1) == b.y.unsqueeze(1)).unsqueeze(1)       # (R, 1, km, n)
        zs = ~(b.insuff[:, 0] | b.insuff[:, 1])                                # (R, n): Z_s
        self.zs = zs.view(R, 1, 1, n)
        self.zi = ~self.zs
        self.ins_r = b.insuff.view(R, 2, 1, n)
        self.present = z_own > 0                                               # j in S^r(X_i)
        rr = torch.arange(2, device=dev)
        loser = init_win.unsqueeze(1) == (1 - rr).view(1, 2, 1)                 # (R, 2, k): r loses class j
        self.loser = loser.index_select(2, cls).unsqueeze(-1)                  # (R, 2, km, 1)
        self.feat_own = torch.nn.functional.one_hot(cls, k).bool()             # (km, k)
        # sufficiency per network (joint: Z_s, uni r: x^r sufficient), (R, 3, n)
        self.suff_net = torch.stack((zs, ~b.insuff[:, 0], ~b.insuff[:, 1]), dim=1)
        self.n_suff_net = self.suff_net.sum(-1).to(dt)
        # Fact A.5 masks per encoder (R, r, a, 1, n): kind 0 over Z_s, kind 1 over x^r sufficient
        self.suff_enc = torch.stack((zs.view(R, 1, n).expand(R, 2, n), ~b.insuff), dim=2).unsqueeze(3)
        # off-target presence for Claim A.12 (2): (R, 2, k, n), j in S^r(X_i) and j != y_i
        self.off_present = ((b.z > 0).transpose(-1, -2) & ~self.onehot.bool().unsqueeze(1)).to(dt)
        self.onehot_nk = self.onehot.transpose(1, 2).contiguous()             # (R, n, k)
        self.suff_dt = self.suff_net.to(dt)
        self.any_before_t0 = True
        self.init_win = init_win
        z = lambda *shape: torch.zeros(*shape, device=dev, dtype=dt)  # noqa: E731
        ninf = lambda *shape: torch.full(shape, -math.inf, device=dev, dtype=dt)  # noqa: E731
        # every-step accumulators
        self.psi_cum = z(R, 3, k)
        self.psi_stage1 = z(R, 3, k)
        self.psi_stage2 = z(R, 3, k)
        self.loss_stage2 = z(R, 3)
        self.insuff_loss = z(R, 3)
        # sum_t -eta dL/dP (= A in the coefficient representation; accumulated for explicit weights)
        self.grad_sum = None if tr.rep == "coef" else z(R, 4, km, n)
        self.offmass_max = z(R)
        self.prev_all = torch.zeros(R, 3, dtype=torch.bool, device=dev)
        self.T0 = torch.full((R, 3), math.inf, device=dev, dtype=dt)
        self.t_cross_uni = torch.full((R, 2, k), math.inf, device=dev, dtype=dt)
        self.gamma0 = None
        self.gamma_cross = torch.full((R, 2, k), math.nan, device=dev, dtype=dt)
        self.gamma_runmax = z(R, 2, k)
        self.flipped = torch.zeros(R, k, dtype=torch.bool, device=dev)
        # recorded-step maxima (over t), (R,) unless said
        self.m = {name: ninf(R) for name in (
            "ih_nonfeature", "ih_loser_preact", "ih_feature_resid", "ih_offdiag", "uni_offdiag",
            "noise_suff", "noise_upper", "memo_max", "memo_neg", "offclass_noise", "memo_drop",
            "memo_sum", "fa5_joint", "fa5_uni", "fa6_ratio", "fa6_small", "phi_max", "gamma_max",
            "uni_gamma_max")}
        self.m["gamma_min"] = torch.full((R,), math.inf, device=dev, dtype=dt)
        self.m["uni_gamma_min"] = torch.full((R,), math.inf, device=dev, dtype=dt)
        self.m["diag_min"] = torch.full((R,), math.inf, device=dev, dtype=dt)
        self.memo_runmax = None
        self.traj: dict[str, list[torch.Tensor]] = {}
        self.final: dict[str, torch.Tensor] = {}

    # -- every step -------------------------------------------------------------------------------
    def step(self, t: int, grad: torch.Tensor, prob: torch.Tensor, gamma: torch.Tensor,
             t_cross_joint: torch.Tensor) -> None:
        """Every step: ``prob`` is the softmax of the three networks ``(R, 3, k, n)``."""
        cfg = self.cfg
        miss = 1.0 - (prob * self.onehot.unsqueeze(1)).sum(-2)                 # (R, 3, n): 1 - logit_y
        suff = self.suff_dt
        miss_s = miss * suff
        psi = torch.bmm(miss_s, self.onehot_nk) / cfg.n                        # (R, 3, k)
        self.psi_cum += psi
        self.insuff_loss += (miss.sum(-1) - miss_s.sum(-1)) / cfg.n
        # crossings: the joint network's from the tracker, the uni-modal ones here
        uni = gamma[:, :, 1]                                                   # (R, 2, k)
        self.t_cross_uni = torch.where((uni >= cfg.rho) & torch.isinf(self.t_cross_uni),
                                       torch.full_like(self.t_cross_uni, float(t)), self.t_cross_uni)
        crossed = torch.cat((torch.isfinite(t_cross_joint).unsqueeze(1), torch.isfinite(self.t_cross_uni)), 1)
        all_now = crossed.all(-1)                                              # (R, 3)
        before_t0 = ~self.prev_all                                             # t <= T_0
        stage1 = crossed & before_t0.unsqueeze(-1)
        self.psi_stage1 += psi * stage1.to(psi.dtype)
        self.psi_stage2 += psi * all_now.unsqueeze(-1).to(psi.dtype)
        mean_suff = miss_s.sum(-1) / self.n_suff_net.clamp(min=1)
        self.loss_stage2 += mean_suff * all_now.to(psi.dtype)
        self.T0 = torch.where(all_now & before_t0, torch.full_like(self.T0, float(t)), self.T0)
        # Claim A.12 (2): (1/n) sum_{y = j'} logit_j 1{j in S^r(X)}, max over r, j != j', while t <= T_0
        if self.any_before_t0:
            pj = prob[:, 0].unsqueeze(1) * self.off_present                    # (R, 2, k, n)
            mass = (pj @ self.onehot_nk.unsqueeze(1)).amax(dim=(1, 2, 3)) / cfg.n
            self.offmass_max = torch.where(before_t0[:, 0], torch.maximum(self.offmass_max, mass), self.offmass_max)
            if t % 50 == 0:  # a host sync now and then, to stop once every replica has passed T_0
                self.any_before_t0 = bool((~all_now[:, 0]).any())
        self.prev_all = all_now
        # Lemma A.16 needs sum_t -eta grad: that is A itself in the coefficient representation
        if self.grad_sum is not None and t < cfg.steps:  # the gradient at T is never applied
            self.grad_sum.add_(grad, alpha=-cfg.eta)
        # Lemma A.14: both modalities' Gamma at T_j, running maxima, and whether the Def A.2 winner ever
        # falls behind after T_j
        joint = gamma[:, :, 0]                                                 # (R, 2, k)
        if self.gamma0 is None:
            self.gamma0 = joint.clone()
        new = (t_cross_joint == t).unsqueeze(1)
        self.gamma_cross = torch.where(new, joint, self.gamma_cross)
        self.gamma_runmax = torch.maximum(self.gamma_runmax, joint)
        w = self.init_win.clamp(min=0).unsqueeze(1)
        g_w = joint.gather(1, w).squeeze(1)
        g_l = joint.gather(1, 1 - w).squeeze(1)
        after = torch.isfinite(t_cross_joint) & (t_cross_joint <= t)
        self.flipped |= after & (self.init_win >= 0) & (g_w < g_l)

    # -- recorded steps ---------------------------------------------------------------------------
    def record(self, t: int, p: torch.Tensor, out: torch.Tensor, gamma: torch.Tensor, enc: torch.Tensor) -> None:
        """At a recorded step: ``p`` the pre-activations ``(R, 4, km, n)``, ``out`` the network outputs,
        ``gamma`` the feature correlations, ``enc`` the encoder outputs ``(R, 4, k, n)`` on the training set."""
        cfg, R, M = self.cfg, self.R, self.m
        k, m, n = cfg.k, cfg.m, cfg.n
        s0 = cfg.sigma0
        corr = self.tr.feature_corr()                                          # (R, 2, 2, km, k)
        diag = corr.gather(-1, self.cls.view(1, 1, 1, -1, 1).expand(*corr.shape[:4], 1)).squeeze(-1)
        off = corr.masked_fill(self.feat_own, -math.inf).amax(dim=(-1, -2))    # (R, 2, 2)
        P = p.view(R, 2, 2, -1, n)
        N = P - corr @ self.zT                                                 # <w, eps_i>
        Pj, Nj, dj = P[:, :, 0], N[:, :, 0], diag[:, :, 0]                     # joint encoders
        all_dims = (1, 2, 3)
        upd = lambda key, val: M.__setitem__(key, torch.maximum(M[key], val))  # noqa: E731
        low = lambda key, val: M.__setitem__(key, torch.minimum(M[key], val))  # noqa: E731
        # Induction Hypothesis A.4
        nonfeature = _masked_max(Pj.abs(), self.zs & ~self.present, all_dims)
        upd("ih_nonfeature", nonfeature)                                                          # (ii)
        upd("ih_loser_preact", _masked_max(Pj, self.zi & self.own & self.loser, all_dims))     # (vi)
        upd("ih_feature_resid", _masked_max((Pj - dj.unsqueeze(-1) * self.z_own).abs(),
                                            self.zs & self.present, all_dims))                # (i)
        upd("ih_offdiag", off[:, :, 0].amax(1))                                                 # (viii)
        upd("uni_offdiag", off[:, :, 1].amax(1))
        g_joint = gamma[:, :, 0].amax(1)                                       # Gamma_j = max_r Gamma_{j,r}
        low("gamma_min", g_joint.amin(-1))
        upd("gamma_max", g_joint.amax(-1))
        low("uni_gamma_min", gamma[:, :, 1].amin(dim=(1, 2)))
        upd("uni_gamma_max", gamma[:, :, 1].amax(dim=(1, 2)))
        low("diag_min", dj.amin(dim=(1, 2)))
        if t == 0:
            self.final["init_preact"] = Pj.abs().amax(dim=all_dims)
        # Lemma A.19 / Claim A.8 / Claim A.9 (a): noise correlations on the training data
        upd("noise_suff", _masked_max(Nj.abs(), self.zs, all_dims))
        noise_upper = _masked_max(Nj, self.zi & (~self.own | ~self.ins_r), all_dims)
        upd("noise_upper", noise_upper)
        upd("memo_max", _masked_max(Nj, self.zi & self.own & self.ins_r, all_dims))
        upd("memo_neg", _masked_max(-Nj, self.zi & self.own & self.ins_r, all_dims))
        upd("offclass_noise", _masked_max(Nj, self.zi & ~self.own, all_dims))
        self.memo_runmax = Nj.clone() if self.memo_runmax is None else torch.maximum(self.memo_runmax, Nj)
        upd("memo_drop", _masked_max(self.memo_runmax - Nj, self.zi & self.own, all_dims))
        memo = Nj.clamp(min=0).unflatten(2, (k, m)).sum(3)                     # (R, 2, k, n)
        memo_y = memo.gather(2, self.y.view(R, 1, 1, n).expand(R, 2, 1, n)).squeeze(2)
        memo_zi = _masked_max(memo_y, self.zi.view(R, 1, n), (1, 2))
        upd("memo_sum", memo_zi)
        # Fact A.5 on the training data (every encoder)
        f_enc = enc.view(R, 2, 2, k, n)
        approx = _scores(smoothed_relu(diag.unsqueeze(-1) * self.z_own.unsqueeze(2), cfg.rho, cfg.q)[0], k, m)
        dev5 = _masked_max((f_enc - approx).abs(), self.suff_enc, (1, 3, 4))   # (R, 2 kinds)
        upd("fa5_joint", dev5[:, 0])
        upd("fa5_uni", dev5[:, 1])
        # Fact A.6 (joint network)
        f = out[:, 0]                                                          # (R, k, n)
        bound = m * smoothed_relu(g_joint / cfg.rho, cfg.rho, cfg.q)[0] + (s0 / cfg.rho) ** cfg.q
        upd("fa6_ratio", (f / bound.unsqueeze(-1)).amax(dim=(1, 2)))
        small = (g_joint <= cfg.rho ** 2).unsqueeze(-1).expand_as(f)
        upd("fa6_small", _masked_max(f, small, (1, 2)))
        # Lemma A.13
        phi = dj.clamp(min=0).unflatten(-1, (k, m)).sum(dim=(1, 3))            # (R, k)
        upd("phi_max", phi.amax(-1))
        # trajectories (float32, kept with the run for plots)
        for key, val in (("gamma_uni_traj", gamma[:, :, 1].transpose(1, 2)), ("offdiag_traj", off[:, :, 0]),
                         ("diag_min_traj", dj.amin(-1)), ("phi_traj", phi),
                         ("noise_suff_traj", _masked_max(Nj.abs(), self.zs, all_dims)),
                         ("memo_traj", memo_zi), ("psi_cum_traj", self.psi_cum[:, 0]),
                         ("ih_offdiag_traj", off[:, :, 0].amax(1) / s0), ("ih_nonfeature_traj", nonfeature / s0),
                         ("noise_upper_traj", noise_upper / s0)):
            self.traj.setdefault(key, []).append(val.to(torch.float32, copy=True))  # psi_cum is updated in place
        if t == cfg.steps:
            self._final_train(out, dj)

    def _final_train(self, out: torch.Tensor, dj: torch.Tensor) -> None:
        """Claim A.10 at ``T`` on the sufficient training pairs (joint network)."""
        cfg, R, n = self.cfg, self.R, self.cfg.n
        f = out[:, 0]                                                          # (R, k, n)
        own = self.onehot.bool()
        f_y = (f * self.onehot).sum(1)                                         # (R, n)
        others = f.masked_fill(own, -math.inf)
        zs = self.zs.view(R, n)
        self.final["a10_offtarget"] = _masked_max(others.amax(1), zs, (1,))
        gap = torch.logsumexp(others, 1) - torch.logsumexp(f, 1) + f_y - math.log(cfg.k)
        self.final["a10_gap"] = _masked_max(gap, zs, (1,))
        pre = dj.unsqueeze(-1) * self.z_own                                    # (R, 2, km, n)
        target = (smoothed_relu(pre, cfg.rho, cfg.q)[0] * self.own).sum(dim=(1, 2))   # sum_{r, l} at j = y
        self.final["a10_target_dev"] = _masked_max((f_y - target).abs(), zs, (1,))

    def test_measures(self, b: _Batch, chunk: int = 0) -> dict[str, torch.Tensor]:
        """Fresh test data at ``T``: Lemma A.19 (noise correlation) and Fact A.5 (fraction of
        ``(X, j, r)`` where the approximation is off by more than ``rho``), in replica chunks."""
        cfg, R, k, m = self.cfg, self.R, self.cfg.k, self.cfg.m
        corr = self.tr.feature_corr()
        diag = corr.gather(-1, self.cls.view(1, 1, 1, -1, 1).expand(*corr.shape[:4], 1)).squeeze(-1)
        budget = 1 << (24 if corr.device.type == "cpu" else 27)                # elements per chunk
        per = max(1, budget // max(1, 4 * k * m * cfg.n_test)) if chunk <= 0 else chunk
        noise, fail = [], []
        for lo in range(0, R, per):
            rows = slice(lo, min(R, lo + per))
            p = self.tr.test_preact(rows).view(-1, 2, 2, k * m, cfg.n_test)
            zt = b.zt[rows]
            n_t = p - corr[rows] @ zt.transpose(-1, -2).unsqueeze(2)
            noise.append(n_t[:, :, 0].abs().amax(dim=(1, 2, 3)))
            z_own = zt.transpose(-1, -2).index_select(2, self.cls).unsqueeze(2)   # (R', 2, 1, km, nt)
            f_enc = _scores(smoothed_relu(p, cfg.rho, cfg.q)[0], k, m)
            approx = _scores(smoothed_relu(diag[rows].unsqueeze(-1) * z_own, cfg.rho, cfg.q)[0], k, m)
            fail.append(((f_enc - approx).abs() > cfg.rho).to(torch.float64).mean(dim=(1, 3, 4)))
        fail_t = torch.cat(fail)
        return {"noise_test": torch.cat(noise), "fa5_test_fail_joint": fail_t[:, 0],
                "fa5_test_fail_uni": fail_t[:, 1]}

    # -- outputs ----------------------------------------------------------------------------------
    def outputs(self, b: _Batch, track: "_Tracker", gamma_T: torch.Tensor) -> dict[str, torch.Tensor]:
        cfg, M, s0 = self.cfg, self.m, self.cfg.sigma0
        G = 1.0 / math.log(cfg.m) ** 2
        growth = ((1.0 + G) / G) ** (1.0 / (cfg.q - 2))
        test = self.test_measures(b)
        # Lemma A.16: sum_t eta (1/n) sum_{y = j} (1 - logit_j) ReLU~'(<w_{j,l}, x^r>) z^r_j per neuron, i.e.
        # sum_i A[jl, i] z^r_i[j] over the samples of the neuron's own class (A = sum_t -eta dL/dP)
        coef = self.tr.state if self.grad_sum is None else self.grad_sum
        a16 = (coef.view(self.R, 2, 2, -1, cfg.n) * (self.z_own * self.own).unsqueeze(2)).sum(-1)
        n_zi = self.zi.view(self.R, -1).sum(-1).to(self.psi_cum.dtype)
        res = {
            "ih_gamma_min_over_sigma0": M["gamma_min"] / s0, "ih_gamma_max": M["gamma_max"],
            "ih_offdiag_max_over_sigma0": M["ih_offdiag"] / s0,
            "ih_nonfeature_preact_over_sigma0": M["ih_nonfeature"] / s0,
            "ih_loser_preact_over_sigma0": M["ih_loser_preact"] / s0,
            "ih_feature_resid_over_sigma0": M["ih_feature_resid"] / s0,
            "init_preact_max_over_sigma0": self.final["init_preact"] / s0,
            "uni_gamma_min_over_sigma0": M["uni_gamma_min"] / s0, "uni_gamma_max": M["uni_gamma_max"],
            "uni_offdiag_max_over_sigma0": M["uni_offdiag"] / s0,
            "fa5_train_dev_joint": M["fa5_joint"], "fa5_train_dev_uni": M["fa5_uni"],
            "fa5_test_fail_joint": test["fa5_test_fail_joint"], "fa5_test_fail_uni": test["fa5_test_fail_uni"],
            "fa6_ratio_max": M["fa6_ratio"], "fa6_small_gamma_output_max": M["fa6_small"],
            "a8_memo_drop_over_sigma0": M["memo_drop"] / s0, "a8_offclass_noise_over_sigma0": M["offclass_noise"] / s0,
            "a9_memo_sum_max": M["memo_sum"],
            "a9_insuff_loss_sum_joint": self.insuff_loss[:, 0], "a9_insuff_loss_sum_uni1": self.insuff_loss[:, 1],
            "a9_insuff_loss_sum_uni2": self.insuff_loss[:, 2],
            "n_insuff_joint": n_zi, "n_insuff_uni1": b.insuff[:, 0].sum(-1).to(n_zi.dtype),
            "n_insuff_uni2": b.insuff[:, 1].sum(-1).to(n_zi.dtype),
            "a10_offtarget_output_max": self.final["a10_offtarget"], "a10_logit_gap_max": self.final["a10_gap"],
            "a10_target_approx_dev": self.final["a10_target_dev"],
            "a11_psi_stage2_max_joint": self.psi_stage2[:, 0].amax(-1),
            "a11_psi_stage2_max_uni1": self.psi_stage2[:, 1].amax(-1),
            "a11_psi_stage2_max_uni2": self.psi_stage2[:, 2].amax(-1),
            "a11_loss_stage2_joint": self.loss_stage2[:, 0], "a11_loss_stage2_uni1": self.loss_stage2[:, 1],
            "a11_loss_stage2_uni2": self.loss_stage2[:, 2],
            "T0_joint": self.T0[:, 0], "T0_uni1": self.T0[:, 1], "T0_uni2": self.T0[:, 2],
            "a12_psi_stage1_max": self.psi_stage1[:, 0].amax(-1), "a12_offtarget_mass_max": self.offmass_max,
            "a13_phi_max": M["phi_max"],
            "a16_grad_sum_max": a16[:, :, 0].amax(dim=(1, 2)),
            "a16_grad_sum_max_uni": a16[:, :, 1].amax(dim=(1, 2)),
            "a17_diag_min_over_sigma0": M["diag_min"] / s0,
            "a19_noise_suff_over_sigma0": M["noise_suff"] / s0, "a19_noise_upper_over_sigma0": M["noise_upper"] / s0,
            "a19_memo_max": M["memo_max"], "a19_memo_neg_over_sigma0": M["memo_neg"] / s0,
            "a19_noise_test_over_sigma0": test["noise_test"] / s0,
        }
        res.update({key: torch.stack(val, dim=1) for key, val in self.traj.items()})
        # Lemma A.14 / A.15 on the Def A.2 winning set M: the loser at the winner's T_j and at T
        joint_T = gamma_T                                                      # (R, 2, k)
        res["a10_min_gamma_T"] = joint_T.amax(1).amin(-1)
        in_m = self.init_win >= 0
        w = self.init_win.clamp(min=0).unsqueeze(1)
        pick = lambda g: g.gather(1, 1 - w).squeeze(1)  # noqa: E731  the Def A.2 loser's Gamma
        crossed = torch.isfinite(track.t_cross)
        y0, y_cross, y_end = pick(self.gamma0), pick(self.gamma_cross), pick(joint_T)
        bound = y0 * growth
        nan = torch.full_like(y0, math.nan)
        res["a14_loser_init_over_sigma0"] = torch.where(in_m, y0 / s0, nan)
        res["a14_loser_at_Tj_over_sigma0"] = torch.where(in_m & crossed, y_cross / s0, nan)
        res["a14_loser_at_T_over_sigma0"] = torch.where(in_m, y_end / s0, nan)
        res["a14_loser_bound_over_sigma0"] = torch.where(in_m, bound / s0, nan)
        events = {
            "a14_phase1_events": crossed & (y_cross <= bound),
            "a14_decisive_events": crossed & (y_cross < cfg.loser_frac * cfg.rho),
            "a14_winner_stays_events": crossed & ~self.flipped,
            "a14_loser_below_rho_events": pick(self.gamma_runmax) < cfg.rho,
        }
        res.update({key: val[in_m].to(torch.float64) for key, val in events.items()})
        return res


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
    * ``won1_events``, ``won2_events (R, k)``: 0/1 per class, the ``learned 1`` / ``learned 2`` classes
      of the ``p_learned`` partition; ``init_win1_events``, ``init_win2_events (R, k)``: the Def A.2
      winners; ``winner_agreement_race``: among crossed classes, the fraction whose first crosser has
      the larger ``Gamma^(0) C~^(1/(q-2))`` (the Claim A.7 race).

    Appendix A / B dynamics (:class:`_Dynamics`; "over t" = over the recorded steps ``traj_steps``,
    maxima/minima per replica ``(R,)``; ``*_over_sigma0`` are divided by ``sigma0``; ``Z_s`` = pairs with
    both modalities sufficient, ``Z_i`` = the others; ``eps`` the Gaussian noise, ``<w, eps_i> = P -
    <w, M> z_i`` exactly; joint network unless said):

    * Induction Hypothesis A.4: ``ih_gamma_min_over_sigma0`` / ``ih_gamma_max`` (min / max of
      ``Gamma_j = max_r Gamma_{j,r}``), ``ih_offdiag_max_over_sigma0`` (``max <w^r_{j,l}, M_{j'}>``,
      ``j' != j``), ``ih_nonfeature_preact_over_sigma0`` (item ii: ``|<w_{j,l}, x^r>|`` on ``Z_s``,
      ``z^r_j = 0``), ``ih_loser_preact_over_sigma0`` (item vi: ``<w^r_{y,l}, x^r>`` on ``Z_i`` for the
      Def A.2 loser ``r`` of ``y``), ``ih_feature_resid_over_sigma0`` (item i's residual on ``Z_s``),
      ``init_preact_max_over_sigma0`` (``t = 0``, Eq. 13); uni-modal (B.1): ``uni_gamma_min_over_sigma0``,
      ``uni_gamma_max``, ``uni_offdiag_max_over_sigma0``.
    * Fact A.5: ``fa5_train_dev_joint`` / ``fa5_train_dev_uni`` (max over t, pairs, ``r``, ``j`` of
      ``|F^r_j(x^r) - sum_l ReLU~(<w_{j,l}, M_j> z^r_j)|``, joint encoders on ``Z_s``, uni-modal on ``x^r``
      sufficient); ``fa5_test_fail_joint`` / ``fa5_test_fail_uni`` (fraction of fresh ``(X, r, j)`` at
      ``steps`` off by more than ``rho_thr``). Fact A.6: ``fa6_ratio_max`` (``F_j(X) / (m ReLU~(Gamma_j /
      rho) + (sigma0/rho)^q)``), ``fa6_small_gamma_output_max`` (``F_j(X)`` while ``Gamma_j <= rho^2``).
    * Claims A.8 / A.9 / Lemma A.19: ``a8_memo_drop_over_sigma0`` (largest fall of ``<w_{y,l}, eps_i>``
      below its running maximum on ``Z_i``), ``a8_offclass_noise_over_sigma0`` (``j != y`` on ``Z_i``),
      ``a9_memo_sum_max`` (``sum_l [<w^r_{y,l}, eps>]^+`` on ``Z_i``), ``a9_insuff_loss_sum_{joint,uni1,uni2}``
      (``sum_{t <= T} (1/n) sum (1 - logit_y)`` over the insufficient pairs, every step) with the counts
      ``n_insuff_{joint,uni1,uni2}``; ``a19_noise_suff_over_sigma0`` (``|<w, eps>|`` on ``Z_s``),
      ``a19_noise_upper_over_sigma0`` (``Z_i`` with ``j != y`` or ``x^r`` sufficient), ``a19_memo_max`` and
      ``a19_memo_neg_over_sigma0`` (``<w_{y,l}, eps>`` and its negative, ``x^r`` insufficient),
      ``a19_noise_test_over_sigma0`` (fresh test data at ``steps``).
    * Claim A.10 (at ``steps``, on ``Z_s``): ``a10_offtarget_output_max``, ``a10_logit_gap_max``
      (``log(1 - logit_y) + F_y - log k``), ``a10_target_approx_dev``; ``a10_min_gamma_T``
      (``min_j max_r Gamma^(T)_{j,r}``).
    * Claims A.11 / A.12 (every step; ``Psi_j = (1/n) sum_{Z_s, y=j} (1 - logit_y)``, ``T_0`` the first
      step at which every class has crossed ``rho_thr``, per network, ``inf`` if never):
      ``a11_psi_stage2_max_{joint,uni1,uni2}`` (``max_j sum_{t=T_0}^T Psi_j``),
      ``a11_loss_stage2_{joint,uni1,uni2}`` (``sum_{t >= T_0}`` of the mean of ``1 - logit_y`` on the
      sufficient pairs), ``T0_joint``, ``T0_uni1``, ``T0_uni2``, ``a12_psi_stage1_max``
      (``max_j sum_{t=T_j}^{T_0} Psi_j``), ``a12_offtarget_mass_max`` (``max`` over ``t <= T_0``, ``r``,
      ``j != j'`` of ``(1/n) sum_{y=j'} logit_j 1{z^r_j > 0}``).
    * Lemmas A.13 / A.16 / A.17: ``a13_phi_max`` (``Phi_j = sum_{r,l} [<w^r_{j,l}, M_j>]^+``),
      ``a16_grad_sum_max`` / ``a16_grad_sum_max_uni`` (``max_{r,j,l} sum_t eta (1/n) sum_{y=j} (1 - logit_j)
      ReLU~'(<w, x^r>) z^r_j``, exactly ``sum_i A[(j,l), i] z^r_i[j]`` over own-class samples),
      ``a17_diag_min_over_sigma0`` (``min <w^r_{j,l}, M_j>``).
    * Lemma A.14 on the Def A.2 winning set ``M``: flat 0/1 event arrays over the ``(replica, class)``
      pairs in ``M`` (:data:`FLAT_EVENT_KEYS`, replica order): ``a14_phase1_events`` (loser's Gamma at
      ``T_j`` <= ``Gamma^(0)_loser ((1+G)/G)^(1/(q-2))``, Lemma A.15's bound), ``a14_decisive_events``
      (< ``loser_frac rho_thr`` at ``T_j``), ``a14_winner_stays_events`` (winner's Gamma >= loser's at every
      step >= ``T_j``), ``a14_loser_below_rho_events`` (loser below ``rho_thr`` at every step); per class
      ``(R, k)``, NaN outside ``M``: ``a14_loser_init_over_sigma0``, ``a14_loser_at_Tj_over_sigma0``,
      ``a14_loser_at_T_over_sigma0``, ``a14_loser_bound_over_sigma0``.
    * Trajectories at ``traj_steps`` (float32): ``gamma_uni_traj (R, n_rec, k, 2)``, ``offdiag_traj`` and
      ``diag_min_traj (R, n_rec, 2)`` (per modality), ``phi_traj`` and ``psi_cum_traj (R, n_rec, k)``,
      ``noise_suff_traj``, ``memo_traj``, ``ih_offdiag_traj``, ``ih_nonfeature_traj``,
      ``noise_upper_traj (R, n_rec)`` (the last three over ``sigma0``).
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
    dtype = dtype_for(device, cpu_default="float32", cuda_default="float32")
    b = _draw(cfg, seeds, dev, dtype)
    tr = _Trainer(b, cfg, representation)
    R, k = len(seeds), cfg.k

    gamma0 = tr.gamma()                                      # (R, 2, 2, k)
    c_both = _class_strengths(b, cfg, both_sufficient=True)
    c_tilde = _class_strengths(b, cfg, both_sufficient=False)
    init_win = _init_winners(gamma0[:, :, 0], c_both, cfg)
    t_pred = _claim_a7_prediction(gamma0[:, :, 0], c_tilde, cfg)
    race = (gamma0[:, :, 0] * c_tilde.pow(1.0 / (cfg.q - 2))).argmax(1)  # Claim A.7's faster modality

    rec = _record_steps(cfg.steps, cfg.record_every)
    rec_set = set(rec)
    traj: list[torch.Tensor] = []
    track = _Tracker.empty((R, k), dev, dtype)
    first_bad = torch.full((R,), -1, device=dev, dtype=torch.int64)
    half = cfg.steps // 2
    err_half = torch.empty(0)
    dyn = _Dynamics(b, cfg, tr, init_win)
    for t in range(cfg.steps + 1):
        p = tr.preact()
        grad, loss, out, enc, prob = _forward_backward(p, tr.onehot, cfg.rho, cfg.q, k, cfg.m)
        bad = ~torch.isfinite(loss).all(dim=1)
        first_bad = torch.where(bad & (first_bad < 0), torch.full_like(first_bad, t), first_bad)
        gamma = tr.gamma()
        joint_gamma = gamma[:, :, 0]                         # (R, 2, k)
        track.update(t, joint_gamma, cfg.rho)
        dyn.step(t, grad, prob, gamma, track.t_cross)
        if t in rec_set:
            _check_finite(first_bad)
            traj.append(joint_gamma.transpose(1, 2).to(torch.float32))
            dyn.record(t, p, out, gamma, enc)
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
        "winner_agreement_race": _masked_mean((race == track.winner).to(torch.float64), track.winner >= 0),
        "uni_dead_init1": frac(gamma0[:, 0, 1] <= 0), "uni_dead_init2": frac(gamma0[:, 1, 1] <= 0),
        "uni_unlearned1": frac(gamma[:, 0, 1] < cfg.rho), "uni_unlearned2": frac(gamma[:, 1, 1] < cfg.rho),
        "T_cross": track.t_cross, "T_pred": t_pred,
        "loser_at_cross": track.loser_cross,
        "loser_at_end": _loser_at_end(joint_gamma, track.winner) / cfg.rho,
        "gamma_traj": torch.stack(traj, dim=1),
        "final_train_loss_joint": loss[:, 0],
    }
    crossed = torch.isfinite(track.t_cross)
    decisive = crossed & (track.loser_cross < cfg.loser_frac)
    res.update({
        "won1_events": (decisive & (track.winner == 0)).to(torch.float64),
        "won2_events": (decisive & (track.winner == 1)).to(torch.float64),
        "init_win1_events": (init_win == 0).to(torch.float64),
        "init_win2_events": (init_win == 1).to(torch.float64),
    })
    res.update(dyn.outputs(b, track, joint_gamma))
    outd = {key: val.detach().cpu().numpy().astype(np.float32 if key.endswith("_traj") else np.float64)
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
