"""Sweeps of the modality-competition model (huang2022): where joint training stops failing, and how the
win probabilities move with the modalities' signal strengths.

Both sweeps reuse the exact batched GD of :mod:`checks.modality_competition` (same data model, same
networks, same trainer). A *sweep replica* runs every grid point; grid points of equal tensor shapes
are batched along the replica axis (``R * G`` rows), and only shape-changing points (the input
dimension ``d``) are looped over. All grid points of one sweep replica share its seed (common random
numbers): the same training set and the same initial directions, so that a sweep isolates the swept
quantity (the initial weights are ``sigma0 * N(0, I)`` with one standard normal draw per replica; a
signal-strength point rescales modality 2's sufficient target coefficients of the same draw).

* :func:`sigma0_sweep` (Corollary 5.3 and its regime): the test errors of the joint network and of the
  two uni-modal networks over a log grid of the initialisation scale ``sigma0`` at the profile's
  ``(d, n)``. The regime of the specs (``sigma0 <= rho_thr / 100``) is marked in the data (``in_regime``).
* :func:`shape_sweep`: the same errors over ``(d, n)`` with ``d n`` fixed and ``d / n`` swept (the note's
  trap 5.3(c): the regime is not one ratio ``sigma0 / rho``), at the profile's ``sigma0``.
* :func:`signal_strength_sweep` (Lemma A.3 and the discussion after Theorem 5.2): modality 2's sufficient
  target coefficient ``z^2_y ~ U[lambda suff_lo, lambda suff_hi]`` over a grid of ``lambda``; the fraction
  of classes each modality wins (first to reach ``rho_thr`` with the other below ``loser_frac * rho_thr``)
  beside the prediction of the Claim A.7 race (the larger ``Gamma^(0) C~^(1/(q-2))`` wins) by quadrature.

Float64 on ``"cpu"``, float32 on ``"cuda"`` (as the shared check).
"""
from __future__ import annotations

import hashlib
import math
from dataclasses import replace
from typing import Mapping, Sequence

import numpy as np
import torch

from checks import modality_competition as mc
from checks import modality_competition_model as mcm
from checks import modality_competition_training as mct
from checks.gaussian_maxima import winning_probability
from checks.modality_competition_fused import FusedForwardBackward
from verifier.running.compute import dtype_for

__all__ = ["sigma0_sweep", "shape_sweep", "signal_strength_sweep", "sigma0_grid", "shape_grid", "lambda_grid"]


def sigma0_grid(params: Mapping[str, float]) -> np.ndarray:
    """``sigma0_points`` values, log-spaced from ``sigma0_min`` to ``sigma0_max``."""
    return np.geomspace(float(params["sigma0_min"]), float(params["sigma0_max"]), int(params["sigma0_points"]))


def lambda_grid(params: Mapping[str, float]) -> np.ndarray:
    """``lambda_points`` values, log-spaced from ``lambda_min`` to ``lambda_max``."""
    return np.geomspace(float(params["lambda_min"]), float(params["lambda_max"]), int(params["lambda_points"]))


def shape_grid(params: Mapping[str, float]) -> list[tuple[int, int]]:
    """``(d, n)`` pairs with ``d n = dn_product`` and ``d / n`` log-spaced from ``d_over_n_max`` down to
    ``d_over_n_min`` (``dn_points`` points; ``d``, ``n`` rounded)."""
    ratios = np.geomspace(float(params["d_over_n_max"]), float(params["d_over_n_min"]), int(params["dn_points"]))
    prod = float(params["dn_product"])
    return [(int(round(math.sqrt(prod * r))), int(round(math.sqrt(prod / r)))) for r in ratios]


def _seed(seed: int, tag: str) -> int:
    """A 63-bit seed derived from a replica's seed and a tag (a shape point)."""
    return int(hashlib.sha256(f"{int(seed)}:{tag}".encode()).hexdigest()[:16], 16) >> 1


def _scale_modality2(b: mcm._Batch, lam: torch.Tensor) -> None:
    """Multiply modality 2's target coefficient of every sufficient sample (train and test) by ``lam``
    (one value per row), in ``z`` and in ``x = M z + eps``."""
    for x, y, z, ins in ((b.x, b.y, b.z, b.insuff), (b.xt, b.yt, b.zt, b.insuff_t)):
        idx = y.unsqueeze(-1)                                            # (R, n, 1)
        target = z[:, 1].gather(2, idx).squeeze(2)                        # (R, n)
        delta = (lam.view(-1, 1) - 1.0) * target * (~ins[:, 1]).to(target.dtype)
        z[:, 1].scatter_add_(2, idx, delta.unsqueeze(2))
        x[:, 1, :, : z.shape[-1]].scatter_add_(2, idx, delta.unsqueeze(2))


def _train(cfg: mcm._Config, seeds: Sequence[int], device: str, sigma0: Sequence[float] | None = None,
           scale2: Sequence[float] | None = None, test: bool = True, joint_only: bool = False) -> dict[str, torch.Tensor]:
    """Train joint and uni-modal networks for ``len(seeds)`` rows; ``sigma0`` (per row) replaces the
    initialisation scale, ``scale2`` (per row) rescales modality 2's sufficient target coefficient.
    ``joint_only``: the joint network alone (half the work; its training and measurements are those of
    the full run, as the uni-modal networks are separate); ``train_err`` then has one column and there
    is no test set."""
    if joint_only and test:
        raise ValueError("joint_only trains no uni-modal network: the test errors need them (test=False)")
    dev = torch.device(device)
    dtype = dtype_for(device, cpu_default="float32", cuda_default="float32")
    R, k = len(seeds), cfg.k
    b = mcm._draw(replace(cfg, sigma0=1.0) if sigma0 is not None else cfg, seeds, dev, dtype)
    if sigma0 is not None:
        b.w0.mul_(torch.as_tensor(np.asarray(sigma0, dtype=np.float64), device=dev).to(dtype).view(R, 1, 1, 1))
    if scale2 is not None:
        _scale_modality2(b, torch.as_tensor(np.asarray(scale2, dtype=np.float64), device=dev).to(dtype))
    tr = mct._Trainer(b, cfg, mc._representation(cfg), kinds=1 if joint_only else 2)
    gamma0 = tr.gamma()
    c_tilde = mcm._class_strengths(b, cfg, both_sufficient=False)
    init_win = mcm._init_winners(gamma0[:, :, 0], mcm._class_strengths(b, cfg, both_sufficient=True), cfg)
    race = (gamma0[:, :, 0] * c_tilde.pow(1.0 / (cfg.q - 2))).argmax(1)    # Claim A.7's faster modality
    track = mct._Tracker.empty((R, k), dev, dtype)
    first_bad = torch.full((R,), -1, device=dev, dtype=torch.int64)
    forward_backward = FusedForwardBackward((R, tr.encoders, k * cfg.m, cfg.n), k, cfg.m, cfg.rho, cfg.q, dtype, dev)
    for t in range(cfg.steps + 1):
        grad, loss, out, _, _ = forward_backward(tr.preact(), tr.onehot)
        bad = ~torch.isfinite(loss).all(dim=1)
        first_bad = torch.where(bad & (first_bad < 0), t, first_bad)
        gamma = tr.gamma()
        track.update(t, gamma[:, :, 0], cfg.rho)
        if t == cfg.steps:
            break
        tr.step(grad)
    mct._check_finite(first_bad)
    crossed = torch.isfinite(track.t_cross)
    decisive = crossed & (track.loser_cross < cfg.loser_frac)
    res = {"train_err": mcm._errors(out, b.y).mean(-1),                   # (R, 3): joint, uni 1, uni 2 (or joint)
           "won1": (decisive & (track.winner == 0)).to(torch.float64),    # (R, k)
           "won2": (decisive & (track.winner == 1)).to(torch.float64),
           "init1": (init_win == 0).to(torch.float64), "init2": (init_win == 1).to(torch.float64),
           "race2": (race == 1).to(torch.float64),
           "p_end_both": mc._end_partition(gamma[:, :, 0], cfg.rho)[2]}
    if test:
        res["test_err"] = mct._test_errors(tr.test_outputs(), b.yt).mean(-1)   # (R, 5)
    return res


def _region_stats(ratio: torch.Tensor, in_regime: torch.Tensor) -> dict[str, torch.Tensor]:
    """Per sweep replica: ``ratio (R, G)`` at the first grid point (the deepest inside the regime) and at
    the last grid point inside the regime (its edge; grids are ordered from inside to outside), and its
    mean, min and max over the grid points inside and outside the regime (NaN where the grid has none)."""
    mask = in_regime.to(device=ratio.device, dtype=torch.bool)
    nan = torch.full(ratio.shape[:1], math.nan, dtype=ratio.dtype, device=ratio.device)
    inside = torch.nonzero(in_regime.to(torch.bool).cpu()).flatten().tolist()
    out = {"ratio_first": ratio[:, 0], "ratio_regime_edge": ratio[:, inside[-1]] if inside else nan}
    for name, cols in (("in_regime", ratio[:, mask]), ("out_regime", ratio[:, ~mask])):
        has = cols.shape[1] > 0
        out[f"ratio_{name}_mean"] = cols.mean(1) if has else nan
        out[f"ratio_{name}_min"] = cols.amin(1) if has else nan
        out[f"ratio_{name}_max"] = cols.amax(1) if has else nan
    return out


def _check_common(params: Mapping[str, float], replicas: int, seeds: Sequence[int]) -> mcm._Config:
    if replicas < 1 or len(seeds) != replicas:
        raise ValueError(f"need one seed per replica: replicas={replicas}, len(seeds)={len(seeds)}")
    return mcm._parse(params)


def sigma0_sweep(params: Mapping[str, float], replicas: int, seeds: Sequence[int],
                 device: str) -> dict[str, np.ndarray]:
    """Joint versus best uni-modal test error over ``sigma0`` (and over ``d``).

    ``params``: every key of :data:`checks.modality_competition.REQUIRED_PARAMS` (``sigma0`` itself is
    not used) plus ``sigma0_min``, ``sigma0_max``, ``sigma0_points`` (the log grid, at the profile's
    ``d`` and ``n``).

    Returned arrays (sweep replicas first):

    * ``sigma0_grid (G,)``, ``in_regime (G,)`` (1 where ``sigma0 <= rho_thr / 100``, the specs' regime);
    * ``test_err_joint``, ``test_err_uni1``, ``test_err_uni2``, ``best_uni`` (the smaller uni-modal error),
      ``joint_minus_best_uni``, ``joint_over_best_uni``, ``train_err_joint``, ``p_end_both``: ``(R, G)``;
    * ``ratio_first`` (at the smallest ``sigma0``), ``ratio_regime_edge`` (at the largest ``sigma0`` inside
      the regime), ``ratio_in_regime_mean``, ``ratio_in_regime_min``, ``ratio_in_regime_max``, and the same
      with ``out_regime`` ``(R,)``: ``joint / best uni`` there, and averaged, least and largest over the grid
      points inside / outside the regime (NaN if the grid has none there);
    * ``sigma0_boundary (R,)``: the smallest grid ``sigma0`` with ``joint / best uni < 0.9`` (``inf`` if none).
    """
    cfg = _check_common(params, replicas, seeds)
    R = replicas
    grid = sigma0_grid(params)
    G = grid.size
    rows = [int(s) for s in seeds for _ in range(G)]
    out = _train(cfg, rows, device, sigma0=np.tile(grid, R))
    te = out["test_err"].view(R, G, 5)
    best = torch.minimum(te[..., 1], te[..., 2])
    ratio = te[..., 0] / best
    in_regime = torch.as_tensor(grid <= cfg.rho / 100.0)
    grid_t = torch.as_tensor(grid, dtype=ratio.dtype, device=ratio.device)
    helps = ratio < 0.9
    boundary = torch.where(helps, grid_t.expand(R, G), torch.full_like(ratio, math.inf)).amin(1)
    res = {
        "sigma0_grid": torch.as_tensor(grid), "in_regime": in_regime.to(torch.float64),
        "test_err_joint": te[..., 0], "test_err_uni1": te[..., 1], "test_err_uni2": te[..., 2], "best_uni": best,
        "joint_minus_best_uni": te[..., 0] - best, "joint_over_best_uni": ratio,
        "train_err_joint": out["train_err"].view(R, G, 3)[..., 0], "p_end_both": out["p_end_both"].view(R, G),
        "sigma0_boundary": boundary,
    }
    res.update(_region_stats(ratio, in_regime))
    return {key: val.detach().cpu().numpy().astype(np.float64) for key, val in res.items()}


def shape_sweep(params: Mapping[str, float], replicas: int, seeds: Sequence[int],
                device: str) -> dict[str, np.ndarray]:
    """Joint versus best uni-modal test error over the input dimension ``d`` against the number of
    training pairs ``n``, at the profile's ``sigma0`` (one loop iteration per shape; ``sigma_p`` keeps the
    noise norm ``sigma_p_norm`` fixed).

    ``params``: every key of :data:`checks.modality_competition.REQUIRED_PARAMS` (``d`` and ``n`` are
    replaced by the grid) plus ``dn_product``, ``d_over_n_min``, ``d_over_n_max``, ``dn_points``
    (see :func:`shape_grid`), and ``d_over_n_regime``: shapes with ``d / n >= d_over_n_regime`` are marked
    as the note's in-regime side (its instance has ``d / n = 4``, its out-of-regime one ``1/4``).

    Returned arrays: ``d_grid``, ``n_grid``, ``d_over_n``, ``in_regime`` ``(P,)``; ``test_err_joint``,
    ``test_err_uni1``, ``test_err_uni2``, ``best_uni``, ``joint_minus_best_uni``, ``joint_over_best_uni``,
    ``train_err_joint``, ``train_err_uni_max``, ``p_end_both`` ``(R, P)``; ``ratio_first`` (at the largest
    ``d / n``), ``ratio_regime_edge`` (at the smallest ``d / n`` inside the regime), ``ratio_in_regime_mean``
    and the other region statistics ``(R,)`` as in :func:`sigma0_sweep`.
    """
    cfg = _check_common(params, replicas, seeds)
    shapes = shape_grid(params)
    cols: dict[str, list[torch.Tensor]] = {}
    for d, n in shapes:
        cfg_s = replace(cfg, d=d, n=n, sigma_p=float(params["sigma_p_norm"]) / math.sqrt(d))
        if d < cfg.k or n < 1:
            raise ValueError(f"shape (d={d}, n={n}) needs d >= k and n >= 1")
        out = _train(cfg_s, [_seed(s, f"d={d},n={n}") for s in seeds], device)
        te, trn = out["test_err"], out["train_err"]
        best = torch.minimum(te[:, 1], te[:, 2])
        for key, val in (("test_err_joint", te[:, 0]), ("test_err_uni1", te[:, 1]), ("test_err_uni2", te[:, 2]),
                         ("best_uni", best), ("joint_minus_best_uni", te[:, 0] - best),
                         ("joint_over_best_uni", te[:, 0] / best), ("train_err_joint", trn[:, 0]),
                         ("train_err_uni_max", trn[:, 1:].amax(1)), ("p_end_both", out["p_end_both"])):
            cols.setdefault(key, []).append(val)
    res = {key: torch.stack(val, 1) for key, val in cols.items()}
    d_grid = torch.as_tensor([d for d, _ in shapes], dtype=torch.float64)
    n_grid = torch.as_tensor([n for _, n in shapes], dtype=torch.float64)
    in_regime = (d_grid / n_grid) >= float(params["d_over_n_regime"])
    res.update({"d_grid": d_grid, "n_grid": n_grid, "d_over_n": d_grid / n_grid,
                "in_regime": in_regime.to(torch.float64)})
    res.update(_region_stats(res["joint_over_best_uni"], in_regime))
    return {key: val.detach().cpu().numpy().astype(np.float64) for key, val in res.items()}


def signal_strength_sweep(params: Mapping[str, float], replicas: int, seeds: Sequence[int],
                          device: str) -> dict[str, np.ndarray]:
    """Win probabilities of the two modalities over modality 2's sufficient signal strength ``lambda``.

    ``params``: every key of :data:`checks.modality_competition.REQUIRED_PARAMS` plus ``lambda_min``,
    ``lambda_max``, ``lambda_points``. Only the joint network's race to ``rho_thr`` matters, so
    ``steps`` may be short (the winner of every class is decided at its ``T_j``), no test set is used, and
    only the joint network is trained (the uni-modal networks, separate ones, would be half the work).

    Returned arrays (sweep replicas first; ``L`` grid points, ``k`` classes):

    * ``lambda_grid (L,)``; ``ratio_a (L,)``: the population ``a_1/a_2 = (C~^1/C~^2)^(1/(q-2))`` with
      ``C~^r ~ (1 - mu_r) E[(z^r_y)^q]`` (so ``((1-mu1)/((1-mu2) lambda^q))^(1/(q-2))``);
    * ``p_won1``, ``p_won2 (R, L)``: fraction of classes modality ``r`` won (decisively, as ``p_learned_r``);
      ``p_init2 (R, L)``: Def A.2 winners (margin ``G = 1/ln(m)^2``); ``p_race2 (R, L)``: classes whose
      larger ``Gamma^(0) C~^(1/(q-2))`` is modality 2's (the realised Claim A.7 race);
    * ``p2_predicted (L,)``: ``P[a_2 Gamma_2 > a_1 Gamma_1]`` by quadrature (Lemma A.3's formula with
      ``G = 0``); ``p2_def_a2 (L,)``: the same with Def A.2's margin;
    * ``p2_weakest``, ``p2_strongest (R,)``: ``p_won2`` at the first and last grid point;
    * ``won2_events_weakest``, ``won1_events_weakest (R, k)``: per-class 0/1 wins at the weakest point;
      ``decided_events (R, L, k)``: some modality won the class decisively.
    """
    cfg = _check_common(params, replicas, seeds)
    R, k = replicas, cfg.k
    grid = lambda_grid(params)
    L = grid.size
    rows = [int(s) for s in seeds for _ in range(L)]
    out = _train(cfg, rows, device, scale2=np.tile(grid, R), test=False, joint_only=True)
    won1, won2 = out["won1"].view(R, L, k), out["won2"].view(R, L, k)
    ratio = ((1.0 - cfg.mu[0]) / ((1.0 - cfg.mu[1]) * grid ** cfg.q)) ** (1.0 / (cfg.q - 2))
    predicted = np.array([winning_probability(cfg.m, float(a), 0.0)[1] for a in ratio])
    def_a2 = np.array([winning_probability(cfg.m, float(a))[1] for a in ratio])
    res = {
        "lambda_grid": torch.as_tensor(grid), "ratio_a": torch.as_tensor(ratio),
        "p_won1": won1.mean(-1), "p_won2": won2.mean(-1),
        "p_init2": out["init2"].view(R, L, k).mean(-1), "p_race2": out["race2"].view(R, L, k).mean(-1),
        "p2_predicted": torch.as_tensor(predicted), "p2_def_a2": torch.as_tensor(def_a2),
        "p2_weakest": won2[:, 0].mean(-1), "p2_strongest": won2[:, -1].mean(-1),
        "won2_events_weakest": won2[:, 0], "won1_events_weakest": won1[:, 0],
        "decided_events": torch.maximum(won1, won2),
    }
    return {key: val.detach().cpu().numpy().astype(np.float64) for key, val in res.items()}
