"""Tests for zhang2024: the deep linear fusion checks (``checks.deep_linear_fusion``) and the specs
(``theorems.zhang2024``), down to one real run of ``verify paper zhang2024``."""
from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import numpy as np
import pytest
import sympy as sp
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from checks import deep_linear_fusion as dlf  # noqa: E402

# A tiny phase-duration instance: depth 2 (L_f = 1, 2), two init scales, one sweep point per rho.
TINY = dict(dlf.PHASE_PARAMS, L=2, n_samples=256, u0=0.05, eta=0.02, steps=4000, u0_points=2, ratio_points=1,
            ratio_min=2.0, ratio_max=2.0, record_every=5)


def _run(check, params, seeds):
    return check(params, len(seeds), list(seeds), "cpu")


# ---------------------------------------------------------------------------------------------------
# The network: hand-written gradients against autograd
# ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("L,Lf,width", [(3, 1, 3), (3, 2, 3), (3, 3, 3), (4, 2, 2), (2, 2, 1)])
def test_gradients_match_autograd(L, Lf, width):
    g = torch.Generator().manual_seed(L * 10 + Lf)
    sa, sb, ss = dlf._shapes(L, Lf, width)
    n = 5
    layers = [torch.randn(n, o, i, generator=g, dtype=torch.float64, requires_grad=True) for o, i in (*sa, *sb, *ss)]
    net = dlf._Net(layers[:Lf], layers[Lf:2 * Lf], layers[2 * Lf:])
    m = torch.randn(n, 2, 2, generator=g, dtype=torch.float64)
    sigma = m @ m.transpose(1, 2) + torch.eye(2, dtype=torch.float64)
    syx = torch.randn(n, 1, 2, generator=g, dtype=torch.float64)
    eyy = torch.rand(n, generator=g, dtype=torch.float64) + 3
    wa, wb, cache = net.totals()
    loss = dlf._loss(wa, wb, sigma, syx, eyy).sum()
    auto = torch.autograd.grad(loss, layers)
    gt = torch.cat([wa, wb], 2) @ sigma - syx
    with torch.no_grad():
        factors = net.gradients(gt[:, :, :1].detach(), gt[:, :, 1:].detach(), cache)
        mine = [a if b is None else a @ b for a, b in factors]
    assert len(mine) == len(auto)
    for a, b in zip(auto, mine):
        torch.testing.assert_close(b, a, rtol=1e-10, atol=1e-12)


def test_products_shaped_for_the_cpu_equal_matmul():
    g = torch.Generator().manual_seed(5)
    rand = lambda *shape: torch.randn(*shape, generator=g, dtype=torch.float64)  # noqa: E731
    for a, b in ((rand(6, 40, 1), rand(6, 1, 40)), (rand(6, 40, 40), rand(6, 40, 1)),
                 (rand(6, 1, 40), rand(6, 40, 40)), (rand(6, 1, 40), rand(6, 40, 1))):
        torch.testing.assert_close(dlf._mm(a, b), a @ b, rtol=1e-13, atol=1e-13)


@pytest.mark.parametrize("L,Lf", [(3, 1), (3, 2), (3, 3), (4, 1), (4, 3), (4, 4)])
def test_descend_is_one_gradient_step_on_every_layer(L, Lf):
    # some factors are layers themselves (the product above a layer): updated in place, each must be
    # read before its own layer moves
    g = torch.Generator().manual_seed(L * 10 + Lf)
    sa, sb, ss = dlf._shapes(L, Lf, 8)
    layers = [torch.randn(4, o, i, generator=g, dtype=torch.float64) for o, i in (*sa, *sb, *ss)]
    net = dlf._Net(layers[:Lf], layers[Lf:2 * Lf], layers[2 * Lf:])
    _, _, cache = net.totals()
    factors = net.gradients(torch.randn(4, 1, 1, generator=g, dtype=torch.float64),
                            torch.randn(4, 1, 1, generator=g, dtype=torch.float64), cache)
    expected = [m - 0.05 * (a if b is None else a @ b) for m, (a, b) in zip(layers, factors)]
    net.descend(factors, 0.05)
    for want, got in zip(expected, net.layers):
        torch.testing.assert_close(got, want, rtol=0, atol=1e-14)


def test_balanced_init_is_balanced_and_scales_like_u0():
    g = torch.Generator().manual_seed(3)
    L, Lf, h = 4, 2, 5
    layers = [m.unsqueeze(0) for m in dlf._draw_init(g, L, Lf, h, gaussian=False)]
    net = dlf._Net(layers[:Lf], layers[Lf:2 * Lf], layers[2 * Lf:])
    diffs, sums = net.conserved()
    assert float(diffs.abs().max()) < 1e-12          # R1's conserved quantities vanish at balanced init
    wa, wb, _ = net.totals()
    # private layers u0 = 1, shared layers sqrt(2): W^tot = sqrt(2)^(L - L_f)
    assert float(wa) == pytest.approx(math.sqrt(2) ** (L - Lf), rel=1e-12)
    assert float(wb) == pytest.approx(math.sqrt(2) ** (L - Lf), rel=1e-12)


# ---------------------------------------------------------------------------------------------------
# phase_durations: reproducibility, shapes, the analytic two-layer case, divergence
# ---------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tiny_runs():
    one = _run(dlf.phase_durations, TINY, [11])
    two = _run(dlf.phase_durations, TINY, [11, 12])
    return one, two


def test_phase_replica_is_reproducible_whatever_the_batch(tiny_runs):
    one, two = tiny_runs
    assert set(one) == set(two)
    for key, value in one.items():
        if key in ("depth_grid", "u0_grid", "sweep_ratio", "sweep_rho"):
            np.testing.assert_array_equal(value, two[key])
            continue
        if key == "time_grid":  # runs as long as the slowest network of the batch
            np.testing.assert_array_equal(value, two[key][: value.shape[0]])
            continue
        a, b = value[0], two[key][0]
        if key in ("WA_traj", "WB_traj"):  # padded to the longer run of the batch
            b = b[..., : a.shape[-1]]
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=0, equal_nan=True, err_msg=key)
    assert not np.allclose(two["SyA"][0], two["SyA"][1])  # replicas differ by their data sample


def test_phase_shapes(tiny_runs):
    _, out = tiny_runs
    R, G, U, P = 2, 2, 2, 2
    np.testing.assert_array_equal(out["depth_grid"], [1.0, 2.0])
    np.testing.assert_allclose(out["u0_grid"], [0.05, 0.1])
    np.testing.assert_array_equal(out["sweep_rho"], [0.0, 0.5])
    for key in ("t_A", "t_B", "lag", "time_ratio", "t_A_pred", "lag_pred", "conservation_drift", "loss0"):
        assert out[key].shape == (R, G), key
    for key in ("lag_u0", "lag_u0_pred", "t_A_u0"):
        assert out[key].shape == (R, G, U), key
    assert out["time_ratio_sweep"].shape == (R, G, P)
    assert out["time_ratio_late_sweep"].shape == out["time_ratio_late_sweep_pred"].shape == (R, P)
    assert out["misattribution"].shape == (R, P // 2)
    assert out["u0_sweep"].shape == out["lag_u0_rel_lf2"].shape == (R, U)
    assert out["WA_traj"].shape[:2] == (R, G) and out["WA_traj"].shape[2] == out["time_grid"].shape[0]
    for key in ("t_A_lf1", "t_B_lf2", "lag_lf2", "t_A_pred_lf2", "SyA", "SAB"):
        assert out[key].shape == (R,), key
    assert np.isnan(out["t_A_pred_lf1"]).all() and np.isfinite(out["t_A_pred_lf2"]).all()
    assert np.isfinite(out["t_A"]).all() and np.isfinite(out["t_B"]).all()


def test_two_layer_late_fusion_matches_saxe_logistic():
    """L = L_f = 2, rho = 0, population moments: each branch is a two-layer chain u' = u (s - lambda u^2),
    W = u^2 logistic (Saxe, McClelland, Ganguli 2014): W reaches half its final value s/lambda at
    t = ln(s/(lambda u0^2) - 1) / (2 s). Here s_A = sigma_A^2 = 4, s_B = 1, lambda = s."""
    u0, eta = 1e-3, 0.001
    params = dict(dlf.PHASE_PARAMS, L=2, n_samples=0, u0=u0, eta=eta, steps=9000, u0_points=1, ratio_points=0)
    out = _run(dlf.phase_durations, params, [0])
    t_a = math.log(1 / u0**2 - 1) / (2 * 4.0)   # 1.7269
    t_b = math.log(1 / u0**2 - 1) / (2 * 1.0)   # 6.9078
    # gradient descent grows the small mode by (1 + eta s) per step, not exp(eta s): relative excess ~ eta s / 2
    assert out["t_A_lf2"][0] == pytest.approx(t_a, rel=4.0 * eta)
    assert out["t_B_lf2"][0] == pytest.approx(t_b, rel=2.0 * eta)
    assert out["t_A_lf2"][0] > t_a and out["t_B_lf2"][0] > t_b
    assert out["time_ratio_lf2"][0] == pytest.approx(4.0, rel=0.01)   # R6: 1 + (4 - 1)/1
    assert out["SyA"][0] == 4.0 and out["SAB"][0] == 0.0


def test_divergence_names_step_and_replica():
    params = dict(TINY, eta=5.0, u0=0.5)
    with pytest.raises(FloatingPointError, match=r"step \d+ in replica \d+"):
        _run(dlf.phase_durations, params, [1, 2])


def test_closed_forms_agree_with_the_specs():
    """The check's numeric closed forms are the spec's sympy formulas (one source per side)."""
    from theorems import zhang2024 as z

    sya, syb, sa, sab, u0 = 4.3, 1.2, 3.9, 0.25, 0.02
    values = {z.SyA: sya, z.SyB: syb, z.SA: sa, z.SAB: sab, z.u0: u0}
    for L, Lf in ((3, 2), (3, 3), (4, 3), (4, 4), (5, 3)):
        spec = float(z.lag_formula(Lf, depth=L).subs(values))
        assert float(dlf.lag_closed_form(L, Lf, u0, sya, syb, sa, sab)) == pytest.approx(spec, rel=1e-12)
    assert float(dlf.late_ratio_limit(sya, syb, sa, sab)) == pytest.approx(float(z.late_ratio().subs(values)), rel=1e-12)
    # R4 at L_f = L has the closed form (u0^(2-L) - 1)/((L-2) Sigma_yA) (the spec proves it symbolically)
    for L in (3, 4):
        assert dlf.t_a_integral(L, L, u0, sya, syb / sya) == pytest.approx((u0 ** (2 - L) - 1) / ((L - 2) * sya), rel=1e-9)
    # L = 2: ln(1/u0) / Sigma_yA
    assert dlf.t_a_integral(2, 2, u0, sya, 0.3) == pytest.approx(math.log(1 / u0) / sya, rel=1e-9)


# ---------------------------------------------------------------------------------------------------
# The other checks at tiny sizes
# ---------------------------------------------------------------------------------------------------


def _same_first_replica(check, params):
    one = _run(check, params, [5])
    two = _run(check, params, [5, 6])
    for key, value in one.items():
        if np.ndim(value) and value.shape[0] == 1:
            np.testing.assert_allclose(value[0], two[key][0], rtol=1e-12, equal_nan=True, err_msg=key)
        else:
            np.testing.assert_array_equal(value, two[key])
    return two


def test_priority_vs_contribution_tiny():
    params = dict(dlf.PRIORITY_PARAMS, n_samples=512, u0=1e-3, steps=1500)
    out = _same_first_replica(dlf.priority_vs_contribution, params)
    assert out["t_A"].shape == out["contrib_B"].shape == (2, 3)
    np.testing.assert_array_equal(out["wratio_grid"], [0.15, 0.4, 0.8])
    # inside the band (0.4): A first, B larger; the end point is the least-squares solution
    assert (out["t_A_band"] < out["t_B_band"]).all() and (out["contrib_A_band"] < out["contrib_B_band"]).all()
    np.testing.assert_allclose(out["contrib_A"], out["contrib_A_pred"], rtol=1e-3)
    np.testing.assert_array_equal(out["first_is_larger"][:, 1], 0.0)


def test_overparametrised_bias_tiny():
    params = dict(dlf.OVERPARAM_PARAMS, d=4, width=4, n_small=3, n_mid=6, n_large=24, steps=3000, u0=1e-3)
    out = _same_first_replica(dlf.overparametrised_bias, params)
    assert out["Eg_late_small"].shape == (2,) and out["n_grid"].tolist() == [3.0, 6.0, 24.0]
    # early fusion reaches the minimum-norm interpolant; with n > D both reach OLS
    np.testing.assert_allclose(out["Eg_early_small"], out["Eg_minnorm_small"], rtol=1e-3)
    np.testing.assert_allclose(out["Eg_late_large"], out["Eg_minnorm_large"], rtol=1e-2)
    np.testing.assert_allclose(out["Eg_early_large"], out["Eg_minnorm_large"], rtol=1e-2)


def test_relu_late_fusion_tiny():
    params = dict(dlf.RELU_PARAMS, pairs=32, width=4, u0=1e-3, steps=2000)
    out = _same_first_replica(dlf.relu_late_fusion, params)
    assert out["t_A_relu"].shape == (2,)
    assert np.isfinite(out["t_B_relu"]).all()
    # ReLU units see half the correlation: slower than the linear twin from the same init
    assert (out["t_A_relu"] > 1.5 * out["t_A_lin"]).all()


# ---------------------------------------------------------------------------------------------------
# Specs and the end-to-end run
# ---------------------------------------------------------------------------------------------------

IDS = ["definition-1.1", "definition-1.2", "lemma-r1", "lemma-r2", "proposition-r3", "theorem-r4", "theorem-r5",
       "corollary-r6", "corollary-r7", "proposition-r8", "proposition-r9", "proposition-r10", "theorem-r11",
       "proposition-r12"]


def test_specs_load_without_problems():
    from verifier.running import registry

    r = registry.load()
    assert not [p for p in r.problems if "zhang2024" in str(p)]
    ids = sorted(k for k in r.results if k.startswith("zhang2024/"))
    assert ids == sorted(f"zhang2024/{i}" for i in IDS)
    for rid in ids:
        result = r.results[rid]
        if "RECONSTRUCTED" not in result.tag:
            assert rid == "zhang2024/definition-1.2"  # the only result with nothing reconstructed
        for claim in result.claims:
            if claim.empirical:
                assert claim.control() is not None


def test_symbolic_claims_are_not_vacuous():
    """A wrong variant of a reconstructed formula is refuted or left undecided, never proved."""
    from theorems import zhang2024 as z
    from verifier import Identity
    from verifier.judging.symbolic import decide_identity

    wrong = Identity("wrong F_B^res", lhs=z.f_res(z.TOY_SYA, z.TOY_SYB, z.TOY_SIGMA[0, 0], z.TOY_SIGMA[0, 1]),
                     rhs=z.sB**2)
    assert decide_identity(wrong).status != "proved"
    k, u = z.kk, z.u
    orbit = z._ub_phase1(3)
    assert decide_identity(Identity("wrong orbit", lhs=sp.diff(orbit, u), rhs=k * orbit / u)).status != "proved"


@pytest.fixture(scope="module")
def paper_run(tmp_path_factory):
    from verifier.interfaces import cli

    folder = tmp_path_factory.mktemp("zhang")
    out = folder / "run.json"
    code = cli.main(["paper", "zhang2024", "--device", "cpu", "--store", str(folder / "s.sqlite"), "--json", str(out),
                     "--quiet"])
    return code, json.loads(out.read_text())


def test_paper_runs_and_verdicts(paper_run):
    code, run = paper_run
    records = {r["id"]: r for r in run["results"]}
    assert sorted(records) == sorted(f"zhang2024/{i}" for i in IDS)
    symbolic = {"definition-1.1", "definition-1.2", "lemma-r2", "proposition-r3"}
    for alias in IDS:
        expected = "SYMBOLIC" if alias in symbolic else "PASS"
        assert records[f"zhang2024/{alias}"]["verdict"] == expected, (alias, records[f"zhang2024/{alias}"]["claims"])
    assert code == 0
    for record in run["results"]:
        for claim in record["claims"]:
            if claim["statistic"] != "sympy":
                assert claim["control"]["rejected"], (record["id"], claim["label"])


def _claim(run, rid, label_start):
    record = next(r for r in run["results"] if r["id"] == f"zhang2024/{rid}")
    return next(c for c in record["claims"] if c["label"].startswith(label_start))


def test_paper_measured_values(paper_run):
    """Values against the note's Table 1 (numpy reference, eta = 0.02) and the paper's limits, not the code."""
    _, run = paper_run
    # late fusion L = 3, u0 = 0.01: t_A ~ 24.9, t_B ~ 99.2, lag ~ 74.4, ratio ~ 3.99 -> 4
    assert _claim(run, "theorem-r4", "L_f = L = 3")["observed"] == pytest.approx(24.88, rel=0.02)
    assert _claim(run, "theorem-r5", "L_f = 3: lag =")["observed"] == pytest.approx(74.36, rel=0.03)
    assert _claim(run, "theorem-r5", "L_f = 3: t_B")["observed"] == pytest.approx(99.24, rel=0.02)
    assert _claim(run, "theorem-r5", "L_f = 2: lag =")["observed"] == pytest.approx(3.32, rel=0.05)
    assert _claim(run, "corollary-r6", "late fusion ratio at the base")["observed"] == pytest.approx(4.0, rel=0.03)
    # early fusion: lag 0.3-0.4, ratio ~ 1.02
    assert _claim(run, "proposition-r8", "L_f = 1: t_B / t_A")["observed"] == pytest.approx(1.017, abs=0.02)
    # misattribution rho sigma_B / sigma_A, averaged over sigma_A / sigma_B in {1.5, 2, 2.5, 3} at rho = 0.5
    expected = np.mean([0.5 / r for r in (1.5, 2.0, 2.5, 3.0)])
    assert _claim(run, "proposition-r9", "W_A(t_uni)")["observed"] == pytest.approx(expected, rel=0.03)
    # R10 band: A first (t_A ~ 5.8 < t_B ~ 9.2), B contributes 1.0 > A's 0.4 * 2 = 0.8
    band = _claim(run, "proposition-r10", "band: B contributes more")
    assert band["claimed"] == pytest.approx(0.8, rel=0.02) and band["observed"] == pytest.approx(1.0, rel=0.02)
    # R7, Gaussian init: lag ~ u0^-1
    assert _claim(run, "corollary-r7", "L_f = L = 3: lag ~")["observed"] == pytest.approx(-1.0, abs=0.06)
    # R12: ReLU times double
    r12 = next(r for r in run["results"] if r["id"] == "zhang2024/proposition-r12")
    ratio = float(r12["claims"][0]["detail"].split("geometric_ratio = ")[1])
    assert 0.95 < ratio < 1.1
