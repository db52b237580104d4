"""Gram matrices of Gaussian samples, drawn directly (Bartlett's decomposition).

A check that sees a sample ``Z`` of i.i.d. standard-normal rows only through ``Z^T Z`` (a least-squares
fit, a refit of a frozen encoder's head) can draw that matrix instead of the sample: ``Z^T Z`` with
``samples`` rows of dimension ``dim`` is Wishart ``W_dim(I, samples)``, which has the law of ``A A^T`` for
``A`` lower triangular with ``A_ii^2 ~ chi^2(samples - i)`` (``i = 0 .. dim-1``) and ``A_ij ~ N(0, 1)``
below the diagonal, all independent (Bartlett's decomposition of the Wishart law, M. S. Bartlett 1933).
That is ``dim (dim + 1) / 2`` draws and a ``dim^3 / 3``
product instead of ``samples x dim`` draws and a ``samples x dim^2`` product (issue 21: the lever of
sufficient statistics).
"""
from __future__ import annotations

import numpy as np
import torch

__all__ = ["gaussian_gram"]


def gaussian_gram(g: torch.Generator, dim: int, samples: int) -> torch.Tensor:
    """A float64 ``(dim, dim)`` draw of ``Z^T Z`` for a ``(samples, dim)`` matrix ``Z`` of i.i.d. N(0, 1),
    exact in law (Bartlett's decomposition; needs ``samples >= dim``). Its random numbers come from a numpy
    generator seeded by one draw of ``g``, so a replica's generator still fixes everything it draws."""
    if dim < 1 or samples < dim:
        raise ValueError(f"gaussian_gram: need samples >= dim >= 1, got dim={dim}, samples={samples}")
    rng = np.random.default_rng(int(torch.randint(0, 2 ** 62, (1,), generator=g)))
    A = np.tril(rng.standard_normal((dim, dim)), k=-1)
    A[np.diag_indices(dim)] = np.sqrt(rng.chisquare(samples - np.arange(dim)))
    A = torch.from_numpy(A)
    return A @ A.T
