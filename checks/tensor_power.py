"""Lemma A.15 of huang2022 (tensor power bound; Anandkumar et al. 2015, Allen-Zhu and Li Lemma C.19),
run as the discrete recursion it is about.

Two positive sequences with ``x_{t+1} = x_t + eta C x_t^(q-1)`` and ``y_{t+1} = y_t + S eta C y_t^(q-1)``
(the equality case of the lemma's inequalities, with a constant ``C_t = C``), started with
``x_0 = (1 + u) (1 + G) S^(1/(q-2)) y_0``: ``u = 0`` is the lemma's worst case, where its premise holds
with equality. Both are iterated until ``x_t >= A`` (the iteration ``T_x`` of the lemma), batched over
replicas, each replica drawing ``(G, S, u)`` from its own generator.

The note's closed form (continuous time ``tau = eta C t``):
``x(tau) = x_0 (1 - (q-2) x_0^(q-2) tau)^(-1/(q-2))``, ``y(tau) = y_0 (1 - (q-2) S y_0^(q-2) tau)^(-1/(q-2))``;
at the time ``tau_A`` when ``x(tau_A) = A`` the loser is at ``y(tau_A)``, and for every ``A`` the bound
``y <= y_0 ((1 + G) / G)^(1/(q-2))`` holds. The discrete recursion is forward Euler for these ODEs.

The step is set by the lemma's smallness condition ``eta C A^(q-2) <= poly(G)``: ``eta C = hA / A^(q-2)``
with the parameter ``hA``.
"""
from __future__ import annotations

import math
from typing import Mapping, Sequence

import numpy as np
import torch

from verifier.running.compute import fixed_precision

_PRECISION_REASON = "one scalar recursion per replica: float32 would save nothing"

__all__ = ["REQUIRED_PARAMS", "discrete_recursion"]

REQUIRED_PARAMS = ("q", "G_lo", "G_hi", "S_lo", "S_hi", "margin_hi", "A_over_y0", "hA")


def _draws(seeds: Sequence[int], params: Mapping[str, float]) -> tuple[torch.Tensor, ...]:
    """Per replica ``(G, S, u)``: ``G ~ U[G_lo, G_hi]``, ``log S ~ U[log S_lo, log S_hi]``,
    ``u ~ U[0, margin_hi]``; replica ``i`` from ``torch.Generator().manual_seed(seeds[i])``."""
    rows = []
    for seed in seeds:
        g = torch.Generator(device="cpu").manual_seed(int(seed))
        rows.append(torch.rand(3, generator=g, dtype=torch.float64))
    u = torch.stack(rows)
    G = params["G_lo"] + (params["G_hi"] - params["G_lo"]) * u[:, 0]
    S = torch.exp(math.log(params["S_lo"]) + (math.log(params["S_hi"]) - math.log(params["S_lo"])) * u[:, 1])
    margin = params["margin_hi"] * u[:, 2]
    return G, S, margin


def closed_form_y(y0: torch.Tensor, x0: torch.Tensor, S: torch.Tensor, A: float, q: int) -> torch.Tensor:
    """The note's continuous-time loser at the moment the winner reaches ``A``:
    ``y(tau_A)`` with ``(q-2) tau_A = x_0^-(q-2) - A^-(q-2)``."""
    q2 = q - 2
    tau_q2 = x0.pow(-q2) - A ** (-q2)
    return y0 * (1.0 - S * y0.pow(q2) * tau_q2).pow(-1.0 / q2)


@fixed_precision("float64", _PRECISION_REASON)
def discrete_recursion(params: Mapping[str, float], replicas: int, seeds: Sequence[int],
                       device: str) -> dict[str, np.ndarray]:
    """Iterate Lemma A.15's recursion until ``x_t >= A`` for every replica.

    ``params``: ``q`` (integer >= 3), ``G_lo``, ``G_hi`` (the margin G), ``S_lo``, ``S_hi`` (the ratio S),
    ``margin_hi`` (extra margin u of x_0 over the premise), ``A_over_y0`` (the threshold A with
    ``y_0 = 1``; the recursion is scale-free: ``(x, y, eta C) -> (c x, c y, eta C / c^(q-2))``), ``hA``
    (``eta C A^(q-2)``, the lemma's smallness quantity). Float64.

    Returned arrays (replica first, ``(R,)``):

    * ``G``, ``S``, ``margin``: the drawn constants; ``T_x``: the first ``t`` with ``x_t >= A``;
    * ``y_at_Tx``: ``y_{T_x}`` (``y_0 = 1``); ``x_at_Tx``: ``x_{T_x}``;
    * ``bound``: ``y_0 ((1+G)/G)^(1/(q-2))``; ``ratio_bound``: ``y_{T_x} / bound``;
    * ``closed``: the closed form ``y(tau_A)``; ``ratio_closed``: ``y_{T_x} / y(tau_A)``;
    * ``tau_ratio``: ``eta C T_x / tau_A`` (Euler lags the ODE: >= 1, and -> 1 as ``hA -> 0``).
    """
    missing = [key for key in REQUIRED_PARAMS if key not in params]
    if missing:
        raise ValueError(f"discrete_recursion: missing param(s) {', '.join(missing)}")
    if replicas < 1 or len(seeds) != replicas:
        raise ValueError(f"need one seed per replica: replicas={replicas}, len(seeds)={len(seeds)}")
    q = int(params["q"])
    if q != params["q"] or q < 3:
        raise ValueError("q must be an integer >= 3")
    dev = torch.device(device)
    G, S, margin = (t.to(dev) for t in _draws(seeds, params))
    q2 = q - 2
    y0 = torch.ones_like(G)
    x0 = (1.0 + margin) * (1.0 + G) * S.pow(1.0 / q2) * y0
    A = float(params["A_over_y0"])
    if bool((x0 >= A).any()):
        raise ValueError("A_over_y0 must exceed every x_0")
    h = float(params["hA"]) / A ** q2                                  # eta C
    x, y = x0.clone(), y0.clone()
    t_x = torch.full_like(x, math.inf)
    y_at, x_at = torch.full_like(x, math.nan), torch.full_like(x, math.nan)
    t = 0
    limit = int(10 * (A / float(x0.min())) ** q2 / float(params["hA"])) + 10
    while True:
        new = (x >= A) & torch.isinf(t_x)
        t_x = torch.where(new, torch.full_like(t_x, float(t)), t_x)
        y_at = torch.where(new, y, y_at)
        x_at = torch.where(new, x, x_at)
        if t % 64 == 0 and bool(torch.isfinite(t_x).all()):  # a host sync now and then, not every step
            break
        if t > limit:
            raise RuntimeError("discrete_recursion: x did not reach A")
        x = x + h * x.pow(q - 1)
        y = y + S * h * y.pow(q - 1)
        t += 1
    bound = y0 * ((1.0 + G) / G).pow(1.0 / q2)
    closed = closed_form_y(y0, x0, S, A, q)
    tau_a = (x0.pow(-q2) - A ** (-q2)) / q2
    out = {"G": G, "S": S, "margin": margin, "T_x": t_x, "y_at_Tx": y_at, "x_at_Tx": x_at, "bound": bound,
           "ratio_bound": y_at / bound, "closed": closed, "ratio_closed": y_at / closed,
           "tau_ratio": h * t_x / tau_a}
    return {key: val.cpu().numpy().astype(np.float64) for key, val in out.items()}
