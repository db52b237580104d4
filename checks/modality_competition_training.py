"""Full-batch GD of the modality-competition networks (huang2022, Eq. 3): the trainer on the
coefficients A or the explicit weights, and the tracker of errors along the run. Used by the check in
:mod:`checks.modality_competition`."""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch

from checks.modality_competition_model import (
    _Batch,
    _Config,
    _errors,
    _network_outputs,
    _scores,
    smoothed_relu,
)


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
        self.t_cross = torch.where(new, float(t), self.t_cross)
        self.winner = torch.where(new, arg, self.winner)
        self.loser_cross = torch.where(new, low / rho, self.loser_cross)


TEST_CHUNK = 32  # replicas per evaluation of the test set (memory; the outputs do not depend on it)


class _Trainer:
    """Exact batched full-batch GD for all networks of all replicas (Eq. 3 / Eq. 5).

    ``representation="coef"`` (section 5.5): ``W = W^(0) + A X``, state ``A (R, 2 kinds, km, n)``,
    ``P = P^(0) + A K`` (one ``km x n x n`` matmul per encoder and step) and ``A <- A - eta G``.
    ``representation="weights"``: state ``W (R, 2 kinds, km, d)``, ``P = W X^T`` and ``W <- W - eta G X``
    (two ``km x n x d`` matmuls); the same GD, cheaper when ``2 d < n``. Encoders are laid out as
    ``(R, r, a)``, so every matmul is one ``bmm`` over ``(R * 2)`` with the kinds stacked in rows.

    ``kinds=2`` trains the joint network's encoders (``a = 0``) and the uni-modal networks' (``a = 1``);
    ``kinds=1`` only the joint network's (the uni-modal networks are separate networks with their own
    loss, so the joint one's GD is the same without them): half the work, for a check that reads only
    the joint network (:func:`checks.modality_sweeps.signal_strength_sweep`). Both draw the same ``W^(0)``.
    """

    def __init__(self, b: _Batch, cfg: _Config, representation: str, kinds: int = 2):
        if representation not in ("coef", "weights"):
            raise ValueError(f"unknown representation {representation!r}")
        if kinds not in (1, 2):
            raise ValueError(f"kinds must be 1 (joint network only) or 2 (joint and uni-modal), got {kinds}")
        R, k, m, n, d = b.x.shape[0], cfg.k, cfg.m, cfg.n, cfg.d
        km = k * m
        self.cfg, self.R, self.rep, self.kinds, self.encoders = cfg, R, representation, kinds, 2 * kinds
        self.x, self.xt = b.x, b.xt                                           # (R, 2, n|n_test, d)
        w0 = b.w0.view(R, 2, 2, km, d)[:, :, :kinds]                          # (R, r, a, km, d)
        self.onehot = torch.nn.functional.one_hot(b.y, k).transpose(1, 2).unsqueeze(1).to(b.x.dtype)
        self.neuron_class = torch.arange(km, device=b.x.device) // m
        self.w0_feat = w0[..., :k]                                            # (R, r, a, km, k): <w0, M_j'>
        self.x_feat = b.x[..., :k].unsqueeze(2)                               # (R, 2, 1, n, k)
        if representation == "coef":
            self.K = b.x @ b.x.transpose(-1, -2)                              # (R, 2, n, n)
            # both kinds of a modality in one bmm: a broadcast matmul would copy the inputs once per kind
            E = self.encoders
            w0_rows = w0.reshape(R * 2, kinds * km, d)
            self.p0 = torch.bmm(w0_rows, b.x.view(R * 2, n, d).transpose(1, 2)).view(R, E, km, n)
            self.p0_test = torch.bmm(w0_rows, b.xt.view(R * 2, cfg.n_test, d).transpose(1, 2)).view(R, E, km, cfg.n_test)
            self.K_test = b.x @ b.xt.transpose(-1, -2)                        # (R, 2, n, n_test)
            self.state = torch.zeros(R, E, km, n, device=b.x.device, dtype=b.x.dtype)
            # <w_{jl}, e_j> = W0[jl, j] + sum_i A[jl, i] x_i[j]
            self.w0_diag = self._diag(w0)                                     # (R, 2, 2, km)
            self.x_sel = b.x[..., :k].transpose(-1, -2).repeat_interleave(m, dim=2).unsqueeze(2)
        else:
            self.state = w0.reshape(R, self.encoders, km, d).clone()          # (R, 2 kinds, km, d)

    def _diag(self, w: torch.Tensor) -> torch.Tensor:
        """``<w_{j,l}, M_j> = w_{j,l}[j]`` for weights ``(R, 2, 2, km, d)`` -> ``(R, 2, 2, km)``."""
        idx = self.neuron_class.view(1, 1, 1, -1, 1).expand(*w.shape[:4], 1)
        return w.gather(4, idx).squeeze(4)

    def _apply(self, x: torch.Tensor, p0: torch.Tensor | None, k_mat: torch.Tensor | None) -> torch.Tensor:
        """Pre-activations ``(R, 2 kinds, km, N)`` on inputs ``x (R, 2, N, d)`` (the train or the test set)."""
        R, rows, N = self.R, self.kinds * self.cfg.k * self.cfg.m, x.shape[2]
        if self.rep == "coef":
            n = self.cfg.n
            p = torch.baddbmm(p0.view(R * 2, rows, N), self.state.view(R * 2, rows, n), k_mat.view(R * 2, n, N))
        else:
            d = self.cfg.d
            p = torch.bmm(self.state.view(R * 2, rows, d), x.view(R * 2, N, d).transpose(1, 2))
        return p.view(R, self.encoders, -1, N)

    def preact(self) -> torch.Tensor:
        """Training pre-activations ``P = W X^T`` of the encoders, ``(R, 2 kinds, km, n)``."""
        if self.rep == "coef":
            return self._apply(self.x, self.p0, self.K)
        return self._apply(self.x, None, None)

    def step(self, grad: torch.Tensor) -> None:
        """One GD step with ``grad = dL/dP`` (``(R, 2 kinds, km, n)``)."""
        if self.rep == "coef":
            self.state.add_(grad, alpha=-self.cfg.eta)
        else:
            R, rows, n, d = self.R, self.kinds * self.cfg.k * self.cfg.m, self.cfg.n, self.cfg.d
            g_w = torch.bmm(grad.view(R * 2, rows, n), self.x.view(R * 2, n, d))
            self.state.sub_(g_w.view(self.state.shape), alpha=self.cfg.eta)

    def gamma(self) -> torch.Tensor:
        """``Gamma^(t)_{j} = max_l [<w_{j,l}, M_j>]^+`` of every encoder, ``(R, 2 r, kinds a, k)`` (section 1;
        ``a = 0``: the joint network's ``Gamma_{j,r}``, ``a = 1``: the uni-modal ``Gamma^r_{j,uni}``)."""
        R, km = self.R, self.cfg.k * self.cfg.m
        if self.rep == "coef":
            a = self.state.view(R, 2, self.kinds, km, self.cfg.n)
            corr = self.w0_diag + torch.linalg.vecdot(a, self.x_sel)
        else:
            corr = self._diag(self.state.view(R, 2, self.kinds, km, self.cfg.d))
        return corr.unflatten(-1, (self.cfg.k, self.cfg.m)).amax(-1).clamp(min=0.0)

    def feature_corr(self) -> torch.Tensor:
        """``<w_{j,l}, M_{j'}>`` for every neuron and every feature, ``(R, 2 r, kinds a, km, k)``; with
        ``M = I[:, :k]`` this is ``W[:, :k] = W^(0)[:, :k] + A X[:, :k]`` (one small matmul)."""
        R, km, k = self.R, self.cfg.k * self.cfg.m, self.cfg.k
        if self.rep == "coef":
            return self.w0_feat + self.state.view(R, 2, self.kinds, km, self.cfg.n) @ self.x_feat
        return self.state.view(R, 2, self.kinds, km, self.cfg.d)[..., :k]

    def test_preact(self, rows: slice = slice(None)) -> torch.Tensor:
        """Test pre-activations ``(R', 2 kinds, km, n_test)`` of the replicas ``rows``."""
        km, nt, kinds = self.cfg.k * self.cfg.m, self.cfg.n_test, self.kinds
        if self.rep == "coef":
            a = self.state[rows]
            r2 = a.shape[0] * 2
            p = torch.baddbmm(self.p0_test[rows].reshape(r2, kinds * km, nt), a.reshape(r2, kinds * km, self.cfg.n),
                              self.K_test[rows].reshape(r2, self.cfg.n, nt))
        else:
            w = self.state[rows]
            r2 = w.shape[0] * 2
            p = torch.bmm(w.reshape(r2, kinds * km, self.cfg.d), self.xt[rows].reshape(r2, nt, self.cfg.d).transpose(1, 2))
        return p.view(-1, self.encoders, km, nt)

    def test_outputs(self, chunk: int = TEST_CHUNK) -> torch.Tensor:
        """Encoder outputs on the test set, ``(R, 4, k, n_test)``, ``chunk`` replicas at a time: all at once,
        the test pre-activations and the smoothed ReLU's temporaries are four ``(R, 4, km, n_test)``
        tensors (5 GB at the full profile's 256 replicas per batch); the outputs are ``m`` times smaller."""
        cfg = self.cfg
        return torch.cat([_scores(smoothed_relu(self.test_preact(slice(start, start + chunk)), cfg.rho, cfg.q)[0],
                                  cfg.k, cfg.m) for start in range(0, self.R, chunk)])


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


