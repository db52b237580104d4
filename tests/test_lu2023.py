"""lu2023: the checks of checks/two_stage_erm.py at tiny sizes, the specs, and `verify paper lu2023`."""
from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from scipy import optimize, special, stats

from checks import two_stage_erm as tse
from verifier.running import registry

TINY_ERM = {"d": 6, "k": 3, "T": 2, "sigma_y": 0.1, "sigma_z": 0.1, "v_norm": 0.5, "bw_factor": 1.5, "delta": 0.05,
            "n_lo": 20, "n_hi": 80, "m_fix": 400, "m_lo": 20, "m_hi": 80, "n_fix": 800, "grid": 3, "draws": 20,
            "quad": 24, "irls_iters": 20}
TINY_SEP = {"theta_max": 200.0, "theta_step": 0.05, "n_erm_lo": 2, "n_erm_hi": 6, "theta_knn": 1e4, "n_knn_lo": 6,
            "n_knn_hi": 600, "grid": 3, "knn_k": 3, "n_test": 300, "chunk": 1000}
TINY_UD = {"d": 5, "radius": 2.0, "N_lo": 10, "N_hi": 100, "grid": 3, "draws": 20, "delta": 0.05}
TINY_GA = {"N": 50, "k": 3, "d": 4, "B_W": 2.0, "draws": 30}


@pytest.mark.parametrize("fn,params", [(tse.two_stage_erm, TINY_ERM), (tse.separation, TINY_SEP),
                                       (tse.uniform_deviation, TINY_UD), (tse.gaussian_averages, TINY_GA)])
def test_replica_is_reproducible_whatever_the_batch(fn, params):
    one = fn(params, 1, [11], "cpu")
    two = fn(params, 2, [5, 11], "cpu")
    assert one.keys() == two.keys()
    for key, value in one.items():
        if value.ndim and value.shape[0] == 1 and two[key].shape[0] == 2:
            np.testing.assert_allclose(two[key][1], value[0], rtol=1e-9, atol=1e-12, err_msg=key)
        else:  # grids and constants
            np.testing.assert_array_equal(two[key], value, err_msg=key)


def test_clipped_absolute_risk_closed_form():
    # sigma sqrt(2/pi) when the clip at 1 is irrelevant; a direct numerical integral elsewhere.
    assert float(tse.clipped_abs_risk_gaussian(torch.tensor(0.0, dtype=torch.float64), 0.1)) == \
        pytest.approx(0.1 * math.sqrt(2 / math.pi), rel=1e-12)
    for a, s in [(0.3, 0.2), (0.9, 0.5), (-1.4, 0.7)]:
        direct = stats.norm(a, s).expect(lambda u: min(abs(u), 1.0), lb=a - 12 * s, ub=a + 12 * s, points=[-1, 0, 1])
        assert float(tse.clipped_abs_risk_gaussian(torch.tensor(a, dtype=torch.float64), s)) == pytest.approx(direct, rel=1e-7)


def test_sphere_quadrature_integrates_coordinate_moments():
    # A coordinate U of a uniform unit vector in R^d has E U^2 = 1/d and E U^4 = 3/(d(d+2)).
    for d in (3, 10, 20):
        t, w = tse.sphere_quadrature(d, 16)
        assert np.sum(w * t ** 2) == pytest.approx(1 / d, rel=1e-12)
        assert np.sum(w * t ** 4) == pytest.approx(3 / (d * (d + 2)), rel=1e-12)


def test_lad_irls_nearly_reaches_the_linear_programming_optimum():
    g = torch.Generator().manual_seed(3)
    n, k = 120, 5
    X = torch.randn(2, n, k, generator=g, dtype=torch.float64)
    y = X @ torch.randn(2, k, 1, generator=g, dtype=torch.float64) + 0.1 * torch.randn(2, n, 1, generator=g, dtype=torch.float64)
    B = tse.lad_irls(X, y, 100)
    for r in range(2):  # min sum t  s.t.  -t <= y - X b <= t
        A = np.block([[X[r].numpy(), -np.eye(n)], [-X[r].numpy(), -np.eye(n)]])
        b = np.r_[y[r, :, 0].numpy(), -y[r, :, 0].numpy()]
        lp = optimize.linprog(np.r_[np.zeros(k), np.ones(n)], A_ub=A, b_ub=b,
                              bounds=[(None, None)] * k + [(0, None)] * n, method="highs")
        objective = float((y[r] - X[r] @ B[r]).abs().sum())
        assert lp.fun - 1e-9 <= objective <= lp.fun * (1 + 2e-4)
        np.testing.assert_allclose(B[r, :, 0].numpy(), lp.x[:k], atol=2e-3)  # statistical error ~ 1e-2


def test_uniform_deviation_matches_its_exact_second_moment():
    # x uniform on the sphere of radius r: E||mean of N points||^2 = r^2 / N exactly.
    out = tse.uniform_deviation({**TINY_UD, "N_lo": 20, "N_hi": 200}, 200, list(range(200)), "cpu")
    second = (out["deviation"] ** 2).mean(0)
    expected = TINY_UD["radius"] ** 2 / out["N_grid"]
    np.testing.assert_allclose(second, expected, rtol=0.15)
    assert np.all(out["deviation"] <= out["ua_bound"])


def test_two_stage_erm_floor_and_connection_are_analytic():
    out = tse.two_stage_erm(TINY_ERM, 2, [1, 2], "cpu")
    k, sy, sz, v = TINY_ERM["k"], TINY_ERM["sigma_y"], TINY_ERM["sigma_z"], TINY_ERM["v_norm"]
    # R(G, mu) = sigma_y sqrt(k); W* attains it on every sample (||eps|| = sqrt(k) exactly).
    np.testing.assert_allclose(out["conn_obj_star"], sy * math.sqrt(k), rtol=1e-12)
    assert np.all(out["r_emp_fix"] <= out["conn_obj_star"] + 1e-12)
    # The floor: the residual sigma_y <v*, eps> + sigma_z xi; if <v*, eps> were Gaussian it would be
    # sqrt(2/pi) (sqrt(sigma_z^2 + sigma_y^2 v^2) - sigma_z). The sphere coordinate is close to Gaussian.
    gaussian_floor = math.sqrt(2 / math.pi) * (math.sqrt(sz ** 2 + sy ** 2 * v ** 2) - sz)
    np.testing.assert_allclose(out["floor"], gaussian_floor, rtol=0.1)
    assert np.all(out["lhs_n"] >= out["floor"] - 1e-15) and np.all(out["lhs_n"] <= out["rhs_n"])
    assert np.all(out["constraint_active"] == 0)


def test_exact_risk_agrees_with_monte_carlo():
    # The quadrature risk of a linear predictor against a direct simulation of the same residual.
    d, k, sz = 6, 3, 0.1
    risk = tse._Risk(d, k, sz, 32, torch.device("cpu"))
    g = torch.Generator().manual_seed(0)
    N = 2_000_000
    U = lambda dim: (lambda z: z[:, 0] / z.norm(dim=1))(torch.randn(N, dim, generator=g, dtype=torch.float64))  # noqa: E731
    ud, uk, xi = U(d), U(k), torch.randn(N, generator=g, dtype=torch.float64)
    for alpha, beta in [(0.0, 0.2), (0.4, 0.1)]:
        mc = (alpha * ud + beta * uk + sz * xi).abs().clamp_max(1).mean()
        exact = risk(torch.tensor([alpha], dtype=torch.float64), torch.tensor([beta], dtype=torch.float64))
        assert float(exact) == pytest.approx(float(mc), abs=4e-4)


def test_separation_multimodal_is_exact_and_unimodal_is_at_chance():
    out = tse.separation(TINY_SEP, 4, [1, 2, 3, 4], "cpu")
    assert np.all(out["multi_err"] == 0)
    # kNN with Theta = 1e4 >> 2 pi n: chance level 1/2 (a binomial interval over 4 x 3 x 300 points)
    assert abs(out["uni_err_knn"].mean() - 0.5) < 0.05
    assert out["hypotheses"][0] == pytest.approx((200 - 1) / 0.05, abs=1)


def test_gaussian_average_of_a_ball_is_the_chi_mean():
    # Gaussian inputs: sum_i gamma_i y_i ~ N(0, Y^T Y) ~ sqrt(N) N(0, I_k): E||.|| = sqrt(N) E chi_k.
    out = tse.gaussian_averages({**TINY_GA, "N": 2000, "draws": 400}, 4, [1, 2, 3, 4], "cpu")
    chi_mean = math.sqrt(2) * math.exp(special.gammaln((3 + 1) / 2) - special.gammaln(3 / 2))
    assert out["G_ball"].mean() == pytest.approx(math.sqrt(2000) * chi_mean, rel=0.03)
    np.testing.assert_allclose(out["G_mat_full"], out["G_mat_reduced"], rtol=0.08)


def test_nonfinite_input_raises_floating_point_error():
    with pytest.raises(FloatingPointError, match="two_stage_erm"):
        tse.two_stage_erm({**TINY_ERM, "bw_factor": float("inf")}, 1, [1], "cpu")


def test_specs_load_without_problems():
    r = registry.load()
    assert not [p for p in r.problems if "lu2023" in str(p)]
    ids = {rid for rid in r.results if rid.startswith("lu2023/")}
    assert {"lu2023/theorem-4", "lu2023/theorem-7", "lu2023/corollary-5", "lu2023/definition-2",
            "lu2023/definition-3", "lu2023/example-6"} <= ids
    for rid in ids:
        result = r.results[rid]
        assert result.reading and result.tag
        assert ("RECONSTRUCTED" in result.tag) or rid in ("lu2023/definition-1",)


PAPER_KEY = "lu2023"  # the `paper_run` fixture (conftest.py) verifies this paper once per module


def test_paper_runs_and_every_result_is_supported(paper_run):
    code, run = paper_run
    verdicts = {r["id"]: r["verdict"] for r in run["results"]}
    assert code == (0 if all(v in ("PASS", "SYMBOLIC") for v in verdicts.values()) else 1)
    assert verdicts["lu2023/example-6"] == "SYMBOLIC"
    assert all(v in ("PASS", "SYMBOLIC") for v in verdicts.values()), verdicts
    ids = [r["id"] for r in run["results"]]
    for record in run["results"]:
        assert all(ids.index(dep) < ids.index(record["id"]) for dep in record["uses"])


def test_paper_numbers_are_the_expected_ones(paper_run):
    _, run = paper_run
    rec = {r["id"]: r for r in run["results"]}
    theorem = rec["lu2023/theorem-4"]
    meas = theorem["measurements"]
    # R(G, mu) = sigma_y sqrt(k) = 0.1 sqrt(10); the floor is close to its Gaussian approximation.
    assert meas["r_pop"]["mean"] == pytest.approx(0.1 * math.sqrt(10), rel=1e-12)
    assert meas["floor"]["mean"] == pytest.approx(math.sqrt(2 / math.pi) * (math.sqrt(0.01 + 0.0025) - 0.1), rel=0.1)
    claims = {c["label"]: c for c in theorem["claims"]}
    # the fast rate of least absolute deviations: the excess decays like 1/n, faster than the bound's n^-1/2
    assert -1.3 < claims["LHS - floor = O(n^(-1/2))"]["observed"] < -0.8
    assert claims["predictor term of the RHS ~ n^(-1/2)"]["observed"] == pytest.approx(-0.5, abs=0.03)
    sep = rec["lu2023/theorem-7"]["measurements"]
    assert sep["multi_err"]["mean"] == 0.0
    assert abs(sep["uni_err_knn"]["mean"] - 0.5) < 0.02 and abs(sep["uni_err_erm"]["mean"] - 0.5) < 0.02
    # Def A.1 on Gaussian data (Z.4 setting): E||sum gamma_i y_i|| = sqrt(1000) E chi_10 ~ 97.5
    ga = rec["lu2023/definition-1"]["measurements"]
    assert ga["G_ball"]["mean"] == pytest.approx(math.sqrt(1000) * 3.0843, rel=0.02)
    assert rec["lu2023/corollary-5"]["parameters"]["d"] == 20 and theorem["replicas"] == 8
