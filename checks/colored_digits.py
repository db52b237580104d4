"""Coloured digits: the small real-data case of huang2024 (its ColoredMNIST experiment, section 6).

scikit-learn's ``load_digits`` (1797 8x8 images, shipped with the package: no download) is coloured:
each class has its own colour, used with probability ``p_spurious`` in the training split (another
random colour otherwise); in the test split the colour of class ``(y + 1) mod 10`` is used with that
probability, so the spurious colour feature is reversed out of distribution. 10% of labels are flipped
in both splits, as in the paper.

Two encoders ``h(x) = ReLU(W x)`` are trained by full-batch gradient descent (Adam), replicas batched:
* single-modal: SimCLR-style InfoNCE between two augmented views (Gaussian pixel noise and dropout);
* multi-modal: CLIP-style InfoNCE between the image and its caption, encoded by the paper's "ideal
  language encoder" (one-hot digit and one-hot colour of the caption) followed by a learned linear map.
A linear probe (ridge-regularised least squares on one-hot labels) is then fitted on frozen training
features and evaluated in and out of distribution.
"""
from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np
import torch
import torch.nn.functional as F

from checks._params import check_seeds, int_param, require, to_numpy
from verifier.running.compute import fixed_precision

_PRECISION_REASON = "a small network trained with Adam, as the paper's experiment runs it; accuracies are coarse"

PARAMS = ("n_train", "hidden", "steps", "lr", "temperature", "p_spurious", "label_noise", "aug_noise",
          "aug_drop", "ridge")
COLOURS = torch.tensor([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [1.0, 1.0, 0.0], [1.0, 0.0, 1.0],
                        [0.0, 1.0, 1.0], [1.0, 0.5, 0.0], [0.5, 0.0, 1.0], [0.5, 0.5, 0.5], [0.0, 0.5, 0.5]])


def _digits() -> tuple[torch.Tensor, torch.Tensor]:
    from sklearn.datasets import load_digits

    data = load_digits()
    return torch.tensor(data.data / 16.0, dtype=torch.float32), torch.tensor(data.target, dtype=torch.long)


def _split(g: torch.Generator, x: torch.Tensor, y: torch.Tensor, p: Mapping[str, float], n_train: int):
    """One replica's coloured train/test split: images (N, 192), true and noisy labels, captions (N, 20)."""
    order = torch.randperm(len(y), generator=g)
    x, y = x[order], y[order]
    noisy = torch.where(torch.rand(len(y), generator=g) < p["label_noise"], torch.randint(0, 10, (len(y),), generator=g), y)
    test = torch.arange(len(y)) >= n_train
    assigned = torch.where(test, (y + 1) % 10, y)
    colour = torch.where(torch.rand(len(y), generator=g) < p["p_spurious"], assigned, torch.randint(0, 10, (len(y),), generator=g))
    images = (x[:, None, :] * COLOURS[colour][:, :, None]).reshape(len(y), -1)
    captions = torch.cat([F.one_hot(noisy, 10), F.one_hot(colour, 10)], 1).float()
    return images, y, noisy, captions, test


class _SymmetricInfoNCE(torch.autograd.Function):
    """``0.5 (mean_i CE(row i, i) + mean_i CE(column i, i))`` of logits ``L = a b^T / T`` of unit rows ``a``,
    ``b`` ``(R, N, m)``, per replica ``(R,)``, with its gradient written out: ``dL = (softmax over rows +
    softmax over columns - 2 I) / (2 N)``, then through the product.

    Since ``|L| <= 1/T``, ``E = exp(L - 1/T)`` lies in ``[e^(-2/T), 1]``: one exponential serves both
    directions (``log-sum-exp = 1/T + log sum E``), without underflow in float32 for ``T >= 0.025`` (the
    declared range of the temperature). The same values as two ``F.cross_entropy`` calls
    (tests/test_huang2024.py compares both and their gradients); there the column direction ran through a
    strided ``nll_loss2d`` and autograd made about 60 passes over the ``R N^2`` logits per loss, the cost of
    Table 1's check (issue 21); here 4 forward and 2 backward."""

    @staticmethod
    def forward(ctx, a: torch.Tensor, b: torch.Tensor, temperature: float) -> torch.Tensor:
        shift = 1.0 / temperature
        e = torch.bmm(a * shift, b.transpose(1, 2)).sub_(shift).exp_()         # the scale on the small factor
        by_row, by_column = e.sum(2), e.sum(1)                                  # (R, N) each
        matched = (a * b).sum(-1) * shift - shift                               # L_ii - 1/T
        ctx.save_for_backward(a, b, e, by_row, by_column)
        ctx.shift = shift
        return 0.5 * ((by_row.log() - matched).mean(1) + (by_column.log() - matched).mean(1))

    @staticmethod
    def backward(ctx, grad: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, None]:
        a, b, e, by_row, by_column = ctx.saved_tensors
        scale = (grad * (0.5 * ctx.shift / a.shape[1])).view(-1, 1)             # d loss / d(a b^T) = scale dL
        d = torch.mul(e, (scale / by_row).unsqueeze(2)).addcmul_(e, (scale / by_column).unsqueeze(1))
        d.diagonal(dim1=1, dim2=2).sub_(2.0 * scale)
        return torch.bmm(d, b), torch.bmm(d.transpose(1, 2), a), None


def _info_nce(a: torch.Tensor, b: torch.Tensor, temperature: float) -> torch.Tensor:
    """Symmetric InfoNCE between matched rows of a and b, per replica: (R, N, m) -> (R,)."""
    return _SymmetricInfoNCE.apply(F.normalize(a, dim=-1), F.normalize(b, dim=-1), temperature)


def _probe_errors(features: torch.Tensor, noisy: torch.Tensor, truth: torch.Tensor, test: torch.Tensor,
                  ridge: float) -> tuple[torch.Tensor, torch.Tensor]:
    """Ridge least-squares probe on one-hot noisy training labels; (train accuracy, OOD test accuracy).
    The normal equations are solved in float64 by Cholesky (the ridge Gram matrix is positive definite;
    a float32 LU solve once failed on the CPU with invalid pivots in a full-profile run, not reproduced)."""
    train = ~test
    z = torch.cat([features, torch.ones_like(features[..., :1])], -1).double()
    ztr = z[:, train]
    gram = ztr.transpose(1, 2) @ ztr + ridge * torch.eye(z.shape[-1], dtype=z.dtype, device=z.device)
    factor, info = torch.linalg.cholesky_ex(gram)
    if bool((info != 0).any()):
        raise FloatingPointError(f"colored_digits: the probe's ridge Gram matrix is not positive definite "
                                 f"(replica {int(torch.nonzero(info)[0, 0])}; non-finite features?)")
    weights = torch.cholesky_solve(ztr.transpose(1, 2) @ F.one_hot(noisy[:, train], 10).to(z.dtype), factor)
    predicted = (z @ weights).argmax(-1)
    return ((predicted == noisy)[:, train].float().mean(1), (predicted == truth)[:, test].float().mean(1))


@fixed_precision("float32", _PRECISION_REASON)
def colored_digits(params: Mapping[str, float], replicas: int, seeds: Sequence[int], device: str) -> dict[str, np.ndarray]:
    """Train single- and multi-modal contrastive encoders on coloured digits; probe accuracies per replica."""
    require(params, PARAMS, "colored_digits")
    check_seeds(replicas, seeds)
    n_train, hidden, steps = int_param(params, "n_train"), int_param(params, "hidden"), int_param(params, "steps")
    x, y = _digits()
    draws = []
    for seed in seeds:
        g = torch.Generator(device="cpu").manual_seed(int(seed))
        split = _split(g, x, y, params, n_train)
        w0 = torch.randn(3, hidden, x.shape[1] * 3, generator=g) * 0.1  # single, multi (image), augment seed
        v0 = torch.randn(hidden, 20, generator=g) * 0.1
        draws.append((*split, w0[0], w0[1], v0, torch.randint(0, 2**31 - 1, (1,), generator=g)))
    images, truth, noisy, captions, test = (torch.stack([d[i] for d in draws]).to(device) for i in range(5))
    test = test[0]
    w_single = torch.stack([d[5] for d in draws]).to(device).requires_grad_()
    w_multi = torch.stack([d[6] for d in draws]).to(device).requires_grad_()
    v_text = torch.stack([d[7] for d in draws]).to(device).requires_grad_()
    augmenters = [torch.Generator(device=device).manual_seed(int(d[8])) for d in draws]  # one per replica
    train_images, train_captions = images[:, ~test], captions[:, ~test]
    optimiser = torch.optim.Adam([w_single, w_multi, v_text], lr=params["lr"])
    encode = lambda w, imgs: torch.relu(imgs @ w.transpose(1, 2))  # noqa: E731

    def augment(imgs: torch.Tensor) -> torch.Tensor:
        """A view of every replica's images: dropout and Gaussian pixel noise, each replica's from its own
        generator (so a replica's views do not depend on the batch it runs in)."""
        keep, noise = torch.empty_like(imgs), torch.empty_like(imgs)
        for i, g in enumerate(augmenters):
            torch.rand(imgs.shape[1:], generator=g, device=device, out=keep[i])
            torch.randn(imgs.shape[1:], generator=g, device=device, out=noise[i])
        return imgs * (keep > params["aug_drop"]) + params["aug_noise"] * noise

    losses = torch.empty(steps, replicas, 2, device=device)
    for step in range(steps):
        single = _info_nce(encode(w_single, augment(train_images)), encode(w_single, augment(train_images)),
                           params["temperature"])
        multi = _info_nce(encode(w_multi, train_images), train_captions @ v_text.transpose(1, 2), params["temperature"])
        losses[step] = torch.stack([single, multi], 1).detach()
        if not torch.isfinite(losses[step]).all():
            replica = int(torch.nonzero(~torch.isfinite(losses[step]))[0, 0])
            raise FloatingPointError(f"colored_digits: non-finite loss at step {step}, replica {replica}")
        optimiser.zero_grad()
        (single.sum() + multi.sum()).backward()
        optimiser.step()
    with torch.no_grad():
        single_train, single_test = _probe_errors(encode(w_single, images), noisy, truth, test, params["ridge"])
        multi_train, multi_test = _probe_errors(encode(w_multi, images), noisy, truth, test, params["ridge"])
        colour_only = images.reshape(replicas, images.shape[1], 3, -1).sum(-1)  # the spurious feature alone
        colour_train, colour_test = _probe_errors(colour_only, noisy, truth, test, params["ridge"])
    return to_numpy({"single_train_acc": single_train, "single_test_acc": single_test,
                     "multi_train_acc": multi_train, "multi_test_acc": multi_test,
                     "colour_probe_test_acc": colour_test, "loss_traj": losses.transpose(0, 1)}, "colored_digits")
