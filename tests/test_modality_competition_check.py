"""Tests for ``checks.modality_competition`` (huang2022: Def 4.1, Eq. 1-3, Def A.2, Claim A.7, Thm 5.2)."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from checks import modality_competition as mc  # noqa: E402
from checks import modality_competition_model as mcm  # noqa: E402
from checks import modality_competition_training as mct  # noqa: E402
from verifier.running import compute  # noqa: E402


@pytest.fixture(autouse=True, scope="module")
def exact_float64():
    """These tests compare the check's arithmetic with exact references: run it in float64 (the float32
    default is compared with float64 in tests/test_compute.py)."""
    with compute.policy("float64"):
        yield

# A small in-regime instance (sigma0 = 1e-3 rho): section 5.1 with fewer classes, inputs and samples.
TINY = dict(mc.REFERENCE_PARAMS)
TINY.update(k=5, m=8, d=80, n=40, n_test=200, steps=1000, record_every=50)


def _explicit_relu(z: torch.Tensor, rho: float, q: int) -> torch.Tensor:
    """Def 4.1 written piecewise, independently of the module (autograd differentiates it)."""
    poly = z.clamp(min=0.0) ** q / (q * rho ** (q - 1))
    lin = z - (1.0 - 1.0 / q) * rho
    return torch.where(z <= 0, torch.zeros_like(z), torch.where(z <= rho, poly, lin))


def test_smoothed_relu_values_and_c1_join() -> None:
    rho, q = 0.1, 3
    z = torch.tensor([-1.0, 0.0, 0.05, 0.1, 0.3], dtype=torch.float64)
    val, der = mc.smoothed_relu(z, rho, q)
    # 0.05^3 / (3 * 0.01) = 0.0041666..., rho/q at the join, 0.3 - (2/3) 0.1 = 0.2333...
    np.testing.assert_allclose(val.numpy(), [0.0, 0.0, 0.05 ** 3 / 0.03, 0.1 / 3, 0.3 - 0.2 / 3], rtol=1e-12)
    np.testing.assert_allclose(der.numpy(), [0.0, 0.0, 0.25, 1.0, 1.0], rtol=1e-12)
    # C^1: both branches meet with equal value and slope at rho
    eps = 1e-7
    left, _ = mc.smoothed_relu(torch.tensor([rho - eps], dtype=torch.float64), rho, q)
    right, _ = mc.smoothed_relu(torch.tensor([rho + eps], dtype=torch.float64), rho, q)
    assert abs(float(right - left) / (2 * eps) - 1.0) < 1e-6


def test_manual_gradient_equals_autograd_on_explicit_weights() -> None:
    """``dL/dW = G X`` with ``G`` from :func:`preactivation_grad` equals autograd through Eq. 1-3."""
    gen = torch.Generator().manual_seed(7)
    R, k, m, d, n, rho, q = 2, 3, 2, 7, 6, 0.1, 3
    x = torch.randn(R, 2, n, d, generator=gen, dtype=torch.float64) * 0.5       # modality inputs
    y = torch.randint(0, k, (R, n), generator=gen)
    # scale 0.2: pre-activations fall in all three regimes of Def 4.1
    w = (torch.randn(R, 4, k * m, d, generator=gen, dtype=torch.float64) * 0.2).requires_grad_(True)

    # explicit model: encoder e = 2 r + a (a = 0 joint, a = 1 uni-modal) sees modality r
    pre = [w[:, e] @ x[:, e // 2].transpose(1, 2) for e in range(4)]           # (R, km, n) each
    enc = [_explicit_relu(p, rho, q).view(R, k, m, n).sum(2) for p in pre]      # (R, k, n) each
    nets = [enc[0] + enc[2], enc[1], enc[3]]                                    # joint, uni1, uni2
    losses = torch.stack([
        torch.stack([torch.nn.functional.cross_entropy(f[i].T, y[i]) for i in range(R)]) for f in nets
    ], dim=1)                                                                   # (R, 3)
    losses.sum().backward()

    p_all = torch.stack([p.detach() for p in pre], dim=1)                       # (R, 4, km, n)
    onehot = torch.nn.functional.one_hot(y, k).transpose(1, 2).unsqueeze(1).to(torch.float64)
    grad_p, loss, _ = mc.preactivation_grad(p_all, onehot, rho, q, k, m)
    grad_w = torch.stack([grad_p[:, e] @ x[:, e // 2] for e in range(4)], dim=1)
    np.testing.assert_allclose(loss.numpy(), losses.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(grad_w.numpy(), w.grad.numpy(), rtol=1e-10, atol=1e-14)
    # the three regimes were all exercised
    assert (p_all <= 0).any() and ((p_all > 0) & (p_all < rho)).any() and (p_all >= rho).any()


@pytest.mark.parametrize("representation", ["coef", "weights"])
def test_training_is_gradient_descent_on_explicit_weights(representation: str) -> None:
    """A few steps of the batched trainer equal plain GD with autograd on ``W`` (section 5.5)."""
    params = dict(TINY)
    params.update(k=3, m=2, s=2, d=9, n=6, n_test=5, sigma0=0.3, eta=0.5)
    cfg = mcm._parse(params)
    b = mcm._draw(cfg, [3, 4], torch.device("cpu"), torch.float64)
    tr = mct._Trainer(b, cfg, representation)
    for _ in range(5):
        grad, _, _ = mc.preactivation_grad(tr.preact(), tr.onehot, cfg.rho, cfg.q, cfg.k, cfg.m)
        tr.step(grad)
    if representation == "coef":
        km = cfg.k * cfg.m
        a = tr.state.view(2, 2, 2, km, cfg.n)
        w_mod = (b.w0.view(2, 2, 2, km, cfg.d) + a @ b.x.unsqueeze(2)).view(2, 4, km, cfg.d)
    else:
        w_mod = tr.state

    w = b.w0.clone()
    for _ in range(5):
        w.requires_grad_(True)
        pre = [w[:, e] @ b.x[:, e // 2].transpose(1, 2) for e in range(4)]
        enc = [_explicit_relu(p, cfg.rho, cfg.q).view(2, cfg.k, cfg.m, cfg.n).sum(2) for p in pre]
        nets = [enc[0] + enc[2], enc[1], enc[3]]
        total = sum(torch.nn.functional.cross_entropy(f[i].T, b.y[i]) for f in nets for i in range(2))
        (g,) = torch.autograd.grad(total, w)
        w = (w - cfg.eta * g).detach()
    np.testing.assert_allclose(w_mod.numpy(), w.numpy(), rtol=1e-9, atol=1e-12)


def test_representations_agree_end_to_end() -> None:
    params = dict(TINY)
    params.update(steps=200, m=4)
    cfg = mcm._parse(params)
    a = mc._run(cfg, [5, 6], "cpu", "coef")
    b = mc._run(cfg, [5, 6], "cpu", "weights")
    for key in a:
        np.testing.assert_allclose(a[key], b[key], rtol=1e-8, atol=1e-10, equal_nan=True, err_msg=key)


@pytest.mark.parametrize("q", [3, 4])
def test_fused_step_equals_plain_step_end_to_end(q: int) -> None:
    """Issue 21: the hand-fused element-wise chain (the default) against the plain one it replaced, on
    the same seeds: every measurement the same to rounding (float64), for q = 3 (u * u) and q = 4 (pow)."""
    params = dict(TINY)
    params.update(steps=300, q=q)
    cfg = mcm._parse(params)
    fused = mc._run(cfg, [5, 6], "cpu", "coef", fused=True)
    plain = mc._run(cfg, [5, 6], "cpu", "coef", fused=False)
    assert fused.keys() == plain.keys()
    for key in fused:
        np.testing.assert_allclose(fused[key], plain[key], rtol=1e-9, atol=1e-12, equal_nan=True, err_msg=key)
    assert np.all(fused["T_cross"][np.isfinite(fused["T_cross"])] > 0)   # the run did learn classes


def test_replica_independent_of_batch_size() -> None:
    params = dict(TINY)
    params.update(steps=300)
    one = mc.joint_vs_unimodal(params, 1, [12], "cpu")
    three = mc.joint_vs_unimodal(params, 3, [11, 12, 13], "cpu")
    np.testing.assert_array_equal(one["traj_steps"], three["traj_steps"])
    for key, val in one.items():
        if key == "traj_steps":
            continue
        if key in mc.FLAT_EVENT_KEYS:  # flat over (replica, class) pairs: replica 1's events come after replica 0's
            n0 = int((three["init_win1_events"][0] + three["init_win2_events"][0]).sum())
            np.testing.assert_array_equal(val, three[key][n0:n0 + val.size], err_msg=key)
            continue
        assert val.shape[0] == 1 and three[key].shape[0] == 3, key
        np.testing.assert_array_equal(val[0], three[key][1], err_msg=key)
    # a different seed gives a different replica
    assert not np.array_equal(three["gamma_traj"][0], three["gamma_traj"][1])


def test_tiny_in_regime_run() -> None:
    """Thm 5.2 (train): zero joint training error; phase-1 and competition signatures."""
    seeds = [0, 1, 2, 3]
    r = mc.joint_vs_unimodal(TINY, 4, seeds, "cpu")
    k = TINY["k"]
    n_rec = len(range(0, TINY["steps"] + 1, TINY["record_every"]))
    assert r["gamma_traj"].shape == (4, n_rec, k, 2) and r["gamma_traj"].dtype == np.float32
    assert r["T_cross"].shape == (4, k) and r["traj_steps"].shape == (n_rec,)
    np.testing.assert_array_equal(r["train_err_joint"], np.zeros(4))
    assert np.all(r["final_train_loss_joint"] < 0.05)
    # the four learned fractions, and the four end-state fractions, partition the k classes
    for names in (("p_learned1", "p_learned2", "p_learned_both", "p_learned_none"),
                  ("p_end1", "p_end2", "p_end_both", "p_end_none")):
        parts = np.stack([r[nm] for nm in names])
        assert np.all((parts >= 0) & (parts <= 1))
        np.testing.assert_allclose(parts.sum(0), 1.0, rtol=0, atol=1e-12)
        np.testing.assert_allclose(parts * k, np.round(parts * k), atol=1e-9)  # multiples of 1/k
    # every class is learned by the joint network; at sigma0 = 1e-3 rho the loser is still tiny when the
    # winner crosses rho (Lemma A.14, read at T_j) for nearly every class
    assert np.all(np.isfinite(r["T_cross"]))
    assert np.mean(r["loser_at_cross"] < 0.1) >= 0.9
    # Claim A.7's predictor within 40% of the measured crossing step for the median class
    ratio = r["T_cross"] / r["T_pred"]
    assert 0.7 < np.median(ratio) < 1.4
    # Gamma is non-negative and the recorded trajectory reaches rho_thr for every class
    assert r["gamma_traj"].min() >= 0 and np.all(r["gamma_traj"][:, -1].max(-1) >= TINY["rho_thr"])
    for key in ("test_frac_insuff1", "test_frac_insuff2"):
        assert np.all((r[key] > 0) & (r[key] < 0.5))


def test_missing_param_named() -> None:
    params = dict(TINY)
    del params["loser_frac"]
    with pytest.raises(ValueError, match="loser_frac"):
        mc.joint_vs_unimodal(params, 1, [0], "cpu")


def test_seed_count_checked() -> None:
    with pytest.raises(ValueError):
        mc.joint_vs_unimodal(TINY, 2, [0], "cpu")


def test_non_finite_loss_raises() -> None:
    params = dict(TINY)
    params.update(eta=1e308, steps=50, record_every=5)  # |dL/dP| <= 1/n: A overflows only at such eta
    with pytest.raises(FloatingPointError, match=r"step \d+ in replica index \d+"):
        mc.joint_vs_unimodal(params, 2, [0, 1], "cpu")
    # the earliest failing step wins, and its replica is named
    with pytest.raises(FloatingPointError, match=r"step 3 in replica index 2"):
        mct._check_finite(torch.tensor([-1, 7, 3, 5]))
    mct._check_finite(torch.tensor([-1, -1]))  # all finite: no raise


def test_def_a2_winner_by_hand() -> None:
    """Def A.2 with m = 4: G = 1/ln(4)^2 = 0.5203, q = 3 (exponent 1/(q-2) = 1)."""
    cfg = mcm._parse(dict(mc.REFERENCE_PARAMS))
    gamma0 = torch.tensor([[[1.0, 1.0, 0.5, 0.0, 1.0],
                            [0.5, 0.8, 1.0, 0.0, 0.2]]], dtype=torch.float64)   # (R=1, r, j)
    c = torch.tensor([[[1.0, 1.0, 1.0, 1.0, 1.0],
                       [1.0, 1.0, 1.0, 1.0, 8.0]]], dtype=torch.float64)
    win = mcm._init_winners(gamma0, c, cfg)
    # j0: 1 >= 1.52*0.5 -> r=1; j1: 1 < 1.52*0.8, 0.8 < 1.52 -> neither; j2: r=2; j3: both 0 -> neither;
    # j4: 1*1 vs 0.2*8 = 1.6 >= 1.52 -> r=2
    assert win.tolist() == [[0, -1, 1, -1, 1]]


def test_claim_a7_predictor_by_hand() -> None:
    """T^ = rho^(q-1) / (eta (q-2) (1-1/k) C~) (x0^-(q-2) - rho^-(q-2)) with r* the larger Gamma0 C~."""
    cfg = mcm._parse(dict(mc.REFERENCE_PARAMS))   # q = 3, rho = 0.1, eta = 2, k = 10
    gamma0 = torch.tensor([[[1e-4, 0.2], [0.0, 1e-4]]], dtype=torch.float64)    # (R=1, r, j=2)
    c_tilde = torch.tensor([[[0.3, 0.3], [0.5, 0.0]]], dtype=torch.float64)
    t_hat = mcm._claim_a7_prediction(gamma0, c_tilde, cfg)
    expected = 0.01 / (2 * 1 * 0.9 * 0.3) * (1e4 - 10)   # = 185.0
    np.testing.assert_allclose(t_hat.numpy(), [[expected, 0.0]], rtol=1e-12)
    assert math.isclose(expected, 185.0, rel_tol=1e-12)
