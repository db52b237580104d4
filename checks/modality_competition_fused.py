"""The training step's element-wise chain for huang2022's networks, fused by hand: the same arithmetic as
:func:`checks.modality_competition_model._forward_backward` (Def 4.1, Eq. 1-3 and the exact gradient),
written into buffers allocated once per training instead of a dozen fresh tensors per step.

Why by hand (issue 21, measured on the 2-core CPU at the quick profile's sizes, ``(32, 4, 80, 100)``
pre-activations): the plain chain took 3.7-4.2 ms per step, most of it allocating and faulting in
fresh 4 MB tensors; this one takes about 1.4 ms. ``torch.compile`` of the plain chain ran in 0.8-0.9
ms but costs 17 s to compile on a cold cache and 3.3 s on a warm one, more than its 3000 steps save.
The smoothed ReLU is :func:`checks.modality_competition_model.smoothed_relu` written into this
object's buffers; ``tests/test_modality_competition_check.py`` checks the two paths against each other
on the same seeds.
"""

from __future__ import annotations

import torch

from checks.modality_competition_model import _NET_OF_ENC, smoothed_relu


class FusedForwardBackward:
    """Forward pass and exact gradient ``G = dL/dP`` of the four encoders (see
    :func:`checks.modality_competition_model.preactivation_grad`), for pre-activations of one fixed
    shape ``(R, 4, k*m, n)``; or of the joint network's two encoders alone, ``(R, 2, k*m, n)`` (the
    trainer's ``kinds=1``).

    Calling it returns ``(G, loss (R, N), out (R, N, k, n), enc (R, E, k, n), prob (R, N, k, n))`` with
    ``E`` encoders and ``N`` networks (3: joint, uni-modal 1 and 2; or 1: joint); ``G``, ``out``, ``enc``
    and ``prob`` are this object's buffers, overwritten by the next call.
    """

    def __init__(self, shape: tuple[int, int, int, int], k: int, m: int, rho: float, q: int,
                 dtype: torch.dtype, device: torch.device):
        R, encoders, km, n = shape
        if encoders not in (2, 4) or km != k * m:
            raise ValueError(f"pre-activations must be (R, 4, k*m, n) or (R, 2, k*m, n) with k*m = {k * m}, got {shape}")
        self.k, self.m, self.n, self.rho, self.q = k, m, n, rho, q
        networks = 3 if encoders == 4 else 1
        full = lambda: torch.empty(shape, dtype=dtype, device=device)  # noqa: E731
        self.u, self.du, self.val, self.grad = full(), full(), full(), full()
        self.enc = torch.empty(R, encoders, k, n, dtype=dtype, device=device)
        self.out = torch.empty(R, networks, k, n, dtype=dtype, device=device)
        self.prob = torch.empty(R, networks, k, n, dtype=dtype, device=device)
        # dL/dF of each encoder's network (joint alone: both encoders are the joint network's)
        self.net_of_enc = torch.tensor(_NET_OF_ENC if encoders == 4 else (0, 0), device=device)

    def __call__(self, p: torch.Tensor, onehot: torch.Tensor) -> tuple[torch.Tensor, ...]:
        k, m, n, rho, q = self.k, self.m, self.n, self.rho, self.q
        blocks = (*p.shape[:2], k, m, n)
        val, du = smoothed_relu(p, rho, q, out=(self.u, self.du, self.val))    # ReLU~(p), ReLU~'(p)
        enc = torch.sum(val.view(blocks), dim=-2, out=self.enc)                # block-sum head C
        out = self.out
        if enc.shape[1] == 4:
            torch.add(enc[:, 0], enc[:, 2], out=out[:, 0])                     # joint F = C(phi^1 + phi^2)
            out[:, 1:].copy_(enc[:, 1::2])                                     # uni-modal F^1, F^2
        else:
            torch.add(enc[:, 0], enc[:, 1], out=out[:, 0])                     # the joint network alone
        lse = torch.logsumexp(out, dim=-2, keepdim=True)
        loss = (lse.squeeze(-2) - (out * onehot).sum(-2)).mean(-1)
        prob = torch.sub(out, lse, out=self.prob).exp_()
        d_enc = (prob - onehot).div_(n).index_select(1, self.net_of_enc)      # dL/dF per encoder
        torch.mul(du.view(blocks), d_enc.unsqueeze(-2), out=self.grad.view(blocks))
        return self.grad, loss, out, enc, prob
