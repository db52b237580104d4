"""huang2022 appendix A/B dynamics (issue 3): the extended measurements of the shared training run checked
against values computed independently from explicit weights, Lemma A.15's recursion against its closed
form, the sweeps at tiny sizes, and the specs in the registry and the dependency graph."""
from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from checks import modality_competition as mc  # noqa: E402
from checks import modality_competition_dynamics as mcd  # noqa: E402
from checks import modality_competition_model as mcm  # noqa: E402
from checks import modality_competition_training as mct  # noqa: E402
from checks import modality_sweeps as ms  # noqa: E402
from checks import tensor_power as tp  # noqa: E402
from verifier.running import compute  # noqa: E402


@pytest.fixture(autouse=True, scope="module")
def exact_float64():
    """These tests compare the check's arithmetic with exact references: run it in float64 (the float32
    default is compared with float64 in tests/test_compute.py)."""
    with compute.policy("float64"):
        yield

# Large enough that every regime of Def 4.1 is visited in a few steps (sigma0 0.3, eta 0.5).
EXPLICIT = dict(mc.REFERENCE_PARAMS)
EXPLICIT.update(k=3, m=2, s=2, d=9, n=12, n_test=7, sigma0=0.3, eta=0.5, steps=6, record_every=3, mu1=0.3, mu2=0.3)
SEEDS = [3, 4]


def _relu(z: torch.Tensor, rho: float, q: int) -> torch.Tensor:
    """Def 4.1 written piecewise (autograd differentiates it)."""
    poly = z.clamp(min=0.0) ** q / (q * rho ** (q - 1))
    return torch.where(z <= 0, torch.zeros_like(z), torch.where(z <= rho, poly, z - (1.0 - 1.0 / q) * rho))


def _explicit_trajectory(params: dict, seeds: list[int]) -> tuple[mcm._Config, mcm._Batch, list[torch.Tensor]]:
    """Plain GD by autograd on the explicit weights ``W (R, 4, km, d)``; the weights at every step."""
    cfg = mcm._parse(params)
    b = mcm._draw(cfg, seeds, torch.device("cpu"), torch.float64)
    R, k, m = len(seeds), cfg.k, cfg.m
    w = b.w0.clone()
    weights = [w.clone()]
    for _ in range(cfg.steps):
        w.requires_grad_(True)
        pre = [w[:, e] @ b.x[:, e // 2].transpose(1, 2) for e in range(4)]
        enc = [_relu(p, cfg.rho, cfg.q).view(R, k, m, cfg.n).sum(2) for p in pre]
        nets = [enc[0] + enc[2], enc[1], enc[3]]
        total = sum(torch.nn.functional.cross_entropy(f[i].T, b.y[i]) for f in nets for i in range(R))
        (g,) = torch.autograd.grad(total, w)
        w = (w - cfg.eta * g).detach()
        weights.append(w.clone())
    return cfg, b, weights


@pytest.fixture(scope="module")
def explicit():
    measured = mc.joint_vs_unimodal(EXPLICIT, len(SEEDS), SEEDS, "cpu")
    cfg, b, weights = _explicit_trajectory(EXPLICIT, SEEDS)
    return measured, cfg, b, weights


def test_projections_match_explicit_weights(explicit) -> None:
    """Off-diagonal, diagonal, Phi, noise correlations and pre-activations at the recorded steps (0, 3, 6),
    computed from the explicit weights W^(t) and eps = x - M z, equal the check's maxima."""
    measured, cfg, b, weights = explicit
    R, k, m, n, s0 = len(SEEDS), cfg.k, cfg.m, cfg.n, cfg.sigma0
    cls = torch.arange(k * m) // m
    own_feat = torch.nn.functional.one_hot(cls, k).bool()                      # (km, k)
    eps = b.x.clone()
    eps[..., :k] -= b.z                                                        # (R, 2, n, d)
    zs = ~(b.insuff[:, 0] | b.insuff[:, 1])                                    # (R, n)
    present = b.z.transpose(-1, -2)[:, :, cls, :] > 0                          # (R, 2, km, n)
    off, diag_min, phi, noise_s, nonfeat = ([-math.inf] * R, [math.inf] * R, [-math.inf] * R, [-math.inf] * R,
                                            [-math.inf] * R)
    for t in (0, 3, 6):
        w = weights[t].view(R, 2, 2, k * m, cfg.d)[:, :, 0]                    # joint encoders (R, 2, km, d)
        feat = w[..., :k]                                                      # <w_{j,l}, M_j'>
        noise = w @ eps.transpose(-1, -2)                                      # (R, 2, km, n)
        pre = w @ b.x.transpose(-1, -2)
        for i in range(R):
            off[i] = max(off[i], float(feat[i][:, ~own_feat].max()))
            diag = feat[i][:, own_feat].view(2, k * m)
            diag_min[i] = min(diag_min[i], float(diag.min()))
            phi[i] = max(phi[i], float(diag.clamp(min=0).view(2, k, m).sum(dim=(0, 2)).max()))
            if zs[i].any():
                noise_s[i] = max(noise_s[i], float(noise[i][..., zs[i]].abs().max()))
                mask = ~present[i] & zs[i].view(1, 1, n)
                if mask.any():
                    nonfeat[i] = max(nonfeat[i], float(pre[i].abs()[mask].max()))
    np.testing.assert_allclose(measured["ih_offdiag_max_over_sigma0"] * s0, off, rtol=1e-9)
    np.testing.assert_allclose(measured["a17_diag_min_over_sigma0"] * s0, diag_min, rtol=1e-9)
    np.testing.assert_allclose(measured["a13_phi_max"], phi, rtol=1e-9)
    np.testing.assert_allclose(measured["a19_noise_suff_over_sigma0"] * s0, noise_s, rtol=1e-9)
    np.testing.assert_allclose(measured["ih_nonfeature_preact_over_sigma0"] * s0, nonfeat, rtol=1e-9)
    w0 = weights[0].view(R, 2, 2, k * m, cfg.d)[:, :, 0]
    init = (w0 @ b.x.transpose(-1, -2)).abs().amax(dim=(1, 2, 3))
    np.testing.assert_allclose(measured["init_preact_max_over_sigma0"] * s0, init.numpy(), rtol=1e-9)


def test_logit_sums_match_an_explicit_loop(explicit) -> None:
    """Psi_j summed over all steps, the insufficient-data loss sum (Claim A.9 b) and Lemma A.16's gradient
    sum, from the explicit weights and the explicit softmax at every step."""
    measured, cfg, b, weights = explicit
    R, k, m, n = len(SEEDS), cfg.k, cfg.m, cfg.n
    zs = ~(b.insuff[:, 0] | b.insuff[:, 1])
    onehot = torch.nn.functional.one_hot(b.y, k).to(torch.float64)             # (R, n, k)
    cls = torch.arange(k * m) // m
    psi = torch.zeros(R, k)
    insuff = torch.zeros(R)
    grad_sum = torch.zeros(R, 2, k * m, dtype=torch.float64)
    for t in range(cfg.steps + 1):
        w = weights[t].view(R, 2, 2, k * m, cfg.d)[:, :, 0]
        pre = w @ b.x.transpose(-1, -2)                                        # (R, 2, km, n)
        f = _relu(pre, cfg.rho, cfg.q).view(R, 2, k, m, n).sum(dim=(1, 3))    # joint F (R, k, n)
        logit_y = (torch.softmax(f, dim=1) * onehot.transpose(1, 2)).sum(1)    # (R, n)
        psi += (((1 - logit_y) * zs).unsqueeze(1) * onehot.transpose(1, 2)).sum(-1).float() / n
        insuff += (((1 - logit_y) * ~zs).sum(-1) / n).float()
        du = (pre.clamp(min=0) / cfg.rho).clamp(max=1) ** (cfg.q - 1)          # ReLU~'
        own = (cls.view(1, 1, -1, 1) == b.y.view(R, 1, 1, n))
        z_own = b.z.transpose(-1, -2)[:, :, cls, :]                            # (R, 2, km, n)
        if t < cfg.steps:  # the last step's gradient is never applied
            grad_sum += cfg.eta * ((1 - logit_y).view(R, 1, 1, n) * du * z_own * own).sum(-1) / n
    np.testing.assert_allclose(measured["psi_cum_traj"][:, -1], psi.numpy(), rtol=1e-5)
    np.testing.assert_allclose(measured["a9_insuff_loss_sum_joint"], insuff.numpy(), rtol=1e-5)
    np.testing.assert_allclose(measured["a16_grad_sum_max"], grad_sum.amax(dim=(1, 2)).numpy(), rtol=1e-8)


def test_extended_outputs_shapes_and_invariants() -> None:
    params = dict(mc.REFERENCE_PARAMS)
    params.update(k=5, m=8, d=80, n=40, n_test=200, steps=600, record_every=50)
    r = mc.joint_vs_unimodal(params, 3, [0, 1, 2], "cpu")
    n_rec = len(r["traj_steps"])
    assert r["traj_steps"][-1] == 600 and n_rec == 13
    for key, shape in (("gamma_uni_traj", (3, n_rec, 5, 2)), ("offdiag_traj", (3, n_rec, 2)),
                       ("phi_traj", (3, n_rec, 5)), ("psi_cum_traj", (3, n_rec, 5)), ("memo_traj", (3, n_rec)),
                       ("ih_offdiag_traj", (3, n_rec)), ("a14_loser_at_T_over_sigma0", (3, 5)),
                       ("won1_events", (3, 5)), ("ih_gamma_max", (3,)), ("T0_joint", (3,))):
        assert r[key].shape == shape, key
    assert r["gamma_uni_traj"].dtype == np.float32
    # the per-class event arrays are flat over the Def A.2 winning set M
    n_m = int((r["init_win1_events"] + r["init_win2_events"]).sum())
    for key in mc.FLAT_EVENT_KEYS:
        assert r[key].shape == (n_m,) and set(np.unique(r[key])) <= {0.0, 1.0}, key
    # psi accumulates: the cumulative trajectory never decreases; Phi_j >= Gamma_j; the gradient sum of
    # Lemma A.16 bounds Gamma's growth from below up to the initial value
    assert np.all(np.diff(r["psi_cum_traj"], axis=1) >= -1e-6)
    assert np.all(r["phi_traj"] + 1e-6 >= r["gamma_traj"].max(-1))
    assert np.all(r["ih_gamma_max"] <= r["a13_phi_max"] + 1e-12)
    assert np.all((r["won1_events"] + r["won2_events"]) <= 1)
    # stage sums: T_0 is the last crossing; the stage-2 sum is part of the total
    np.testing.assert_allclose(r["T0_joint"], np.nanmax(r["T_cross"], axis=1))
    assert np.all(r["a11_psi_stage2_max_joint"] <= r["psi_cum_traj"][:, -1].max(-1) + 1e-6)
    # Lemma A.14's per-class arrays agree with the events: bound vs loser at T_j
    ok = (r["a14_loser_at_Tj_over_sigma0"] <= r["a14_loser_bound_over_sigma0"])
    has = np.isfinite(r["a14_loser_bound_over_sigma0"])
    np.testing.assert_array_equal(ok[has], r["a14_phase1_events"].astype(bool))
    for key in ("fa5_test_fail_joint", "fa5_test_fail_uni"):
        assert np.all((r[key] >= 0) & (r[key] <= 1))


def test_test_measures_do_not_depend_on_chunking() -> None:
    params = dict(EXPLICIT)
    cfg = mcm._parse(params)
    b = mcm._draw(cfg, SEEDS, torch.device("cpu"), torch.float64)
    tr = mct._Trainer(b, cfg, "coef")
    for _ in range(3):
        grad, _, _ = mc.preactivation_grad(tr.preact(), tr.onehot, cfg.rho, cfg.q, cfg.k, cfg.m)
        tr.step(grad)
    dyn = mcd._Dynamics(b, cfg, tr, torch.full((2, cfg.k), -1))
    one, whole = dyn.test_measures(b, chunk=1), dyn.test_measures(b)
    for key in one:
        np.testing.assert_allclose(one[key].numpy(), whole[key].numpy(), rtol=1e-12, err_msg=key)


# ---------------------------------------------------------------------------------------------------
# Lemma A.15
# ---------------------------------------------------------------------------------------------------


def test_lemma_a15_recursion_by_hand_and_closed_form() -> None:
    params = dict(q=3, G_lo=0.1, G_hi=0.4, S_lo=0.5, S_hi=2.0, margin_hi=0.0, A_over_y0=50.0, hA=0.01)
    r = tp.discrete_recursion(params, 3, [1, 2, 3], "cpu")
    for i in range(3):
        G, S = float(r["G"][i]), float(r["S"][i])
        x, y = (1 + G) * S, 1.0                       # q = 3: x0 = (1+G) S y0, y0 = 1, u = 0
        h, t = 0.01 / 50.0, 0
        while x < 50.0:
            x, y, t = x + h * x * x, y + S * h * y * y, t + 1
        assert r["T_x"][i] == t
        assert math.isclose(r["y_at_Tx"][i], y, rel_tol=1e-12)
        # the closed form of the note, and Lemma A.15's bound (1+G)/G at q = 3 (tight at u = 0)
        closed = 1.0 / (1.0 - S * (1.0 / ((1 + G) * S) - 1.0 / 50.0))
        assert math.isclose(r["closed"][i], closed, rel_tol=1e-12)
        assert abs(y / closed - 1) < 5e-3 and y <= (1 + G) / G
    # Euler lags the ODE, and the lag vanishes with the step
    assert np.all(r["tau_ratio"] >= 1.0) and np.all(r["tau_ratio"] < 1.01)
    finer = tp.discrete_recursion(dict(params, hA=0.001), 3, [1, 2, 3], "cpu")
    assert np.all(np.abs(finer["ratio_closed"] - 1) < np.abs(r["ratio_closed"] - 1))


def test_lemma_a15_q4_and_errors() -> None:
    params = dict(q=4, G_lo=0.2, G_hi=0.2, S_lo=1.0, S_hi=1.0, margin_hi=0.0, A_over_y0=20.0, hA=0.01)
    r = tp.discrete_recursion(params, 2, [5, 6], "cpu")
    assert np.all(r["ratio_bound"] <= 1.0) and np.all(np.abs(r["ratio_closed"] - 1) < 0.01)
    with pytest.raises(ValueError, match="hA"):
        tp.discrete_recursion({k: v for k, v in params.items() if k != "hA"}, 1, [0], "cpu")
    with pytest.raises(ValueError, match="A_over_y0"):
        tp.discrete_recursion(dict(params, A_over_y0=1.0), 1, [0], "cpu")


# ---------------------------------------------------------------------------------------------------
# Sweeps
# ---------------------------------------------------------------------------------------------------

TINY = dict(mc.REFERENCE_PARAMS)
TINY.update(k=5, m=8, d=80, n=40, n_test=200, steps=300, record_every=50)


def test_sigma0_sweep_shapes_and_regime_marking() -> None:
    params = dict(TINY, sigma0_min=1e-4, sigma0_max=1e-1, sigma0_points=4)
    r = ms.sigma0_sweep(params, 2, [1, 2], "cpu")
    np.testing.assert_allclose(r["sigma0_grid"], [1e-4, 1e-3, 1e-2, 1e-1])
    np.testing.assert_array_equal(r["in_regime"], [1, 1, 0, 0])            # sigma0 <= rho/100 = 1e-3
    for key in ("test_err_joint", "best_uni", "joint_minus_best_uni", "joint_over_best_uni", "p_end_both"):
        assert r[key].shape == (2, 4), key
    np.testing.assert_allclose(r["best_uni"], np.minimum(r["test_err_uni1"], r["test_err_uni2"]))
    np.testing.assert_allclose(r["ratio_in_regime_min"], r["joint_over_best_uni"][:, :2].min(1))
    np.testing.assert_allclose(r["ratio_out_regime_max"], r["joint_over_best_uni"][:, 2:].max(1))
    np.testing.assert_allclose(r["ratio_in_regime_mean"], r["joint_over_best_uni"][:, :2].mean(1))
    np.testing.assert_allclose(r["ratio_out_regime_mean"], r["joint_over_best_uni"][:, 2:].mean(1))
    np.testing.assert_allclose(r["ratio_first"], r["joint_over_best_uni"][:, 0])
    np.testing.assert_allclose(r["ratio_regime_edge"], r["joint_over_best_uni"][:, 1])   # sigma0 = rho/100
    # a grid point of a sweep replica is the shared check's replica with that sigma0 and the same seed
    same = mc.joint_vs_unimodal(dict(TINY, sigma0=1e-3), 1, [2], "cpu")
    assert math.isclose(r["test_err_joint"][1, 1], same["test_err_joint"][0], rel_tol=1e-9)
    assert math.isclose(r["test_err_uni2"][1, 1], same["test_err_uni2"][0], rel_tol=1e-9)


def test_shape_sweep_grid() -> None:
    assert ms.shape_grid(dict(dn_product=1e4, d_over_n_min=0.25, d_over_n_max=4, dn_points=3)) == \
        [(200, 50), (100, 100), (50, 200)]
    params = dict(TINY, dn_product=3200, d_over_n_min=0.5, d_over_n_max=2.0, dn_points=3, d_over_n_regime=1.0)
    r = ms.shape_sweep(params, 2, [1, 2], "cpu")
    np.testing.assert_array_equal(r["d_grid"], [80, 57, 40])
    np.testing.assert_array_equal(r["in_regime"], [1, 1, 0])
    np.testing.assert_allclose(r["ratio_regime_edge"], r["joint_over_best_uni"][:, 1])      # d = n
    assert r["joint_over_best_uni"].shape == (2, 3) and np.all(r["test_err_joint"] >= 0)


def test_signal_strength_sweep_scales_modality_2() -> None:
    cfg = mcm._parse(TINY)
    b = mcm._draw(cfg, [7, 8], torch.device("cpu"), torch.float64)
    z0, x0, zt0 = b.z.clone(), b.x.clone(), b.zt.clone()
    ms._scale_modality2(b, torch.tensor([1.5, 1.0], dtype=torch.float64))
    target = torch.nn.functional.one_hot(b.y, cfg.k).bool()                  # (R, n, k)
    suff2 = ~b.insuff[:, 1]
    changed = (b.z != z0)
    assert torch.equal(changed[:, 0], torch.zeros_like(changed[:, 0]))       # modality 1 untouched
    assert torch.equal(changed[1], torch.zeros_like(changed[1]))             # lambda = 1: untouched
    sel = target[0] & suff2[0].unsqueeze(-1)
    torch.testing.assert_close(b.z[0, 1][sel], 1.5 * z0[0, 1][sel])
    torch.testing.assert_close(b.z[0, 1][~sel], z0[0, 1][~sel])
    torch.testing.assert_close(b.x[..., : cfg.k] - x0[..., : cfg.k], b.z - z0)   # x = M z + eps moves with z
    assert not torch.equal(b.zt[0, 1], zt0[0, 1])                              # the test set too
    params = dict(TINY, lambda_min=0.8, lambda_max=1.25, lambda_points=3)
    r = ms.signal_strength_sweep(params, 2, [1, 2], "cpu")
    assert r["p_won2"].shape == (2, 3) and r["won2_events_weakest"].shape == (2, 5)
    np.testing.assert_allclose(r["p2_weakest"], r["p_won2"][:, 0])
    assert np.all(np.diff(r["p2_predicted"]) > 0) and np.all(r["p2_def_a2"] < r["p2_predicted"])


@pytest.mark.parametrize("d", [80, 15])  # n = 40: the coefficient representation, then explicit weights (2d < n)
def test_joint_network_trained_alone_is_the_joint_network_of_the_full_training(d: int) -> None:
    """The signal-strength sweep trains the joint network alone (`kinds=1`, issue 21: half the work): the
    uni-modal networks are separate, so the joint one's GD, pre-activations and Gamma are those of the full
    training, step by step, and so are the sweep's outputs. A coupled update (a bug) would break it."""
    from checks.modality_competition_fused import FusedForwardBackward

    cfg = mcm._parse(dict(TINY, d=d))
    b = mcm._draw(cfg, [3, 4], torch.device("cpu"), torch.float64)
    rep = mc._representation(cfg)
    assert rep == ("coef" if d == 80 else "weights")
    full, alone = mct._Trainer(b, cfg, rep), mct._Trainer(b, cfg, rep, kinds=1)
    km = cfg.k * cfg.m
    steps = [FusedForwardBackward((2, tr.encoders, km, cfg.n), cfg.k, cfg.m, cfg.rho, cfg.q, torch.float64,
                                  torch.device("cpu")) for tr in (full, alone)]
    for _ in range(120):
        p_full, p_alone = full.preact(), alone.preact()
        torch.testing.assert_close(p_alone, p_full[:, 0::2], rtol=0, atol=0)
        torch.testing.assert_close(alone.gamma(), full.gamma()[:, :, :1], rtol=0, atol=0)
        (g_full, loss_full, *_), (g_alone, loss_alone, *_) = steps[0](p_full, full.onehot), steps[1](p_alone, alone.onehot)
        torch.testing.assert_close(loss_alone, loss_full[:, :1], rtol=0, atol=0)
        full.step(g_full)
        alone.step(g_alone)
    assert float(full.gamma()[:, :, 0].amax()) > 10 * cfg.sigma0            # the joint network did move
    scale2 = [0.8, 1.25]
    whole = ms._train(cfg, [5, 6], "cpu", scale2=scale2, test=False)
    joint = ms._train(cfg, [5, 6], "cpu", scale2=scale2, test=False, joint_only=True)
    for key in ("won1", "won2", "init1", "init2", "race2", "p_end_both"):
        torch.testing.assert_close(joint[key], whole[key], rtol=0, atol=0)
    torch.testing.assert_close(joint["train_err"], whole["train_err"][:, :1], rtol=0, atol=0)
    with pytest.raises(ValueError, match="test=False"):
        ms._train(cfg, [5], "cpu", joint_only=True)


# ---------------------------------------------------------------------------------------------------
# Specs: registry and graph
# ---------------------------------------------------------------------------------------------------

NEW = ["induction-hypothesis-a.4", "fact-a.5", "fact-a.6", "claim-a.7", "claim-a.8", "claim-a.9", "claim-a.10",
       "claim-a.11", "claim-a.12", "lemma-a.13", "lemma-a.14", "lemma-a.15", "lemma-a.16", "lemma-a.17",
       "lemma-a.18", "lemma-a.19", "theorem-a.20", "induction-hypothesis-b.1", "lemma-a.3-learned",
       "corollary-5.3-sigma0-sweep", "corollary-5.3-shape-sweep", "lemma-a.3-sweep"]


def test_registry_loads_huang2022_without_problems() -> None:
    from verifier.running import registry as reg

    registry = reg.load(autoload=False)
    assert [p for p in registry.problems if "huang2022" in str(p)] == []
    # the module huang2022's own results (the k-ladders of theorems/huang2022_ladders.py: tests/test_huang2022_ladders.py)
    ids = {rid for rid in registry.results if rid.startswith("huang2022/") and not rid.endswith("-k-ladder")}
    assert {f"huang2022/{slug}" for slug in NEW} <= ids and len(ids) == 30
    plotted = {rid for rid in ids if registry.results[rid].plots}
    assert plotted == {"huang2022/claim-a.7", "huang2022/lemma-a.14", "huang2022/corollary-5.3-sigma0-sweep",
                       "huang2022/corollary-5.3-shape-sweep", "huang2022/lemma-a.3-sweep"}
    # the induction hypothesis is established by Theorem A.20 and only assumed by the others
    ih = registry.results["huang2022/induction-hypothesis-a.4"]
    assert ih.uses == ("huang2022/theorem-a.20",)
    assert "huang2022/induction-hypothesis-a.4" in registry.results["huang2022/lemma-a.14"].assumes
    corollary = registry.results["huang2022/corollary-5.3"]
    assert {"huang2022/lemma-a.14", "huang2022/theorem-a.20", "huang2022/claim-a.10", "huang2022/fact-a.5"} <= set(corollary.uses)


def test_graph_of_corollary_shows_the_proof_tree(tmp_path, capsys) -> None:
    from verifier.interfaces.cli import main

    code = main(["graph", "corollary-5.3", "--store", str(tmp_path / "store.sqlite"), "--no-autoload"])
    out = capsys.readouterr().out
    assert code == 0
    assert out.splitlines()[0].startswith("huang2022/corollary-5.3 [not run]")
    for slug in ("theorem-5.1", "theorem-5.2", "theorem-a.20", "lemma-a.14", "lemma-a.15", "claim-a.7", "claim-a.12",
                 "lemma-a.13", "claim-a.11", "lemma-a.16", "lemma-a.17", "lemma-a.18", "lemma-a.19", "claim-a.8",
                 "claim-a.9", "claim-a.10", "fact-a.5", "fact-a.6", "induction-hypothesis-b.1", "lemma-a.1",
                 "definition-a.2"):
        assert f"huang2022/{slug} [" in out, slug
    # a shared dependency is expanded once, at its first occurrence: Lemma A.15 under Lemma A.14, and
    # Lemmas A.16-A.19 under Theorem A.20
    lines = out.splitlines()

    def first(slug: str) -> int:
        return next(i for i, line in enumerate(lines) if f"huang2022/{slug} [" in line)

    def depth(i: int) -> int:
        return lines[i].index("huang2022/")

    a14, a15, a20 = first("lemma-a.14"), first("lemma-a.15"), first("theorem-a.20")
    assert a14 < a15 and depth(a15) == depth(a14) + 4
    for slug in ("lemma-a.16", "lemma-a.17", "lemma-a.18", "lemma-a.19"):
        i = first(slug)
        assert i > a20 and depth(i) == depth(a20) + 4, slug
