"""The modality-competition model of huang2022 (sections 2-3 of the team's note): parameters, data and
initialisation drawn per replica, the late-fusion and uni-modal networks with their exact gradient, and
the winning modality of Def A.2 / Claim A.7 read from initialisation and data. Used by the check in
:mod:`checks.modality_competition`."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Mapping, Sequence

import torch

from checks._params import per_replica

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
    """Per replica: train set, test set, then the four ``N(0, sigma0^2)`` inits (section 3), drawn in
    float64 and written, cast to the working dtype, into slot ``i`` of the batch's tensors (drawn whole
    and stacked, a batch's float64 test sets were 4.6 GB at the full profile's 64 replicas; the values
    are the same)."""
    R, k, km, d = len(seeds), cfg.k, cfg.k * cfg.m, cfg.d
    shapes = {"x": ((2, cfg.n, d), dtype), "y": ((cfg.n,), torch.int64), "z": ((2, cfg.n, k), dtype),
              "insuff": ((2, cfg.n), torch.bool), "xt": ((2, cfg.n_test, d), dtype),
              "yt": ((cfg.n_test,), torch.int64), "zt": ((2, cfg.n_test, k), dtype),
              "insuff_t": ((2, cfg.n_test), torch.bool), "w0": ((4, km, d), dtype)}
    batch = {key: torch.empty((R, *shape), dtype=kind) for key, (shape, kind) in shapes.items()}

    def one(i: int, seed: int) -> None:
        g = torch.Generator(device="cpu").manual_seed(seed)
        train = _sample_split(g, cfg.n, cfg)
        test = _sample_split(g, cfg.n_test, cfg)
        w0 = torch.randn(4, km, d, generator=g, dtype=torch.float64) * cfg.sigma0
        for key, value in zip(shapes, (*train, *test, w0)):   # in _Batch's field order
            batch[key][i].copy_(value)

    per_replica(one, seeds)
    return _Batch(**{key: batch[key].to(device=device) for key in _Batch.__dataclass_fields__})


# ----------------------------------------------------------------------------------------------------
# Networks: Def 4.1, Eq. 1, Eq. 2, Eq. 3 and the exact gradient
# ----------------------------------------------------------------------------------------------------


def smoothed_relu(p: torch.Tensor, rho: float, q: int,
                  out: tuple[torch.Tensor, torch.Tensor, torch.Tensor] | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """Smoothed ReLU of Def 4.1 and its derivative, element-wise.

    ``ReLU~(z) = 0`` for ``z <= 0``, ``z^q / (q rho^(q-1))`` on ``[0, rho]``, ``z - (1 - 1/q) rho`` above;
    ``ReLU~'(z) = min(max(z, 0)/rho, 1)^(q-1)``. Returns ``(value, derivative)``.

    Evaluated as ``u^q rho/q + max(p - rho, 0)`` with ``u = clamp(p/rho, 0, 1)``, Def 4.1 on each piece
    in three passes over ``p`` (it runs on every recorded step's and the test set's pre-activations).
    ``out``: buffers ``(u, derivative, value)`` shaped like ``p`` to write into (the fused training step's).
    """
    u_out, du_out, val_out = out if out is not None else (None, None, None)
    u = torch.mul(p, 1.0 / rho, out=u_out).clamp_(0.0, 1.0)
    du = torch.mul(u, u, out=du_out) if q == 3 else torch.pow(u, q - 1, out=du_out)
    val = torch.clamp(p, min=rho, out=val_out).sub_(rho).addcmul_(du, u, value=rho / q)
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


