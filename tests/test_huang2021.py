"""huang2021: the checks of checks/linear_composite.py at tiny sizes, the specs, and `verify paper huang2021`."""
from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from scipy import integrate, optimize

from checks import linear_composite as lc
from verifier.running import registry

TINY_TABLE = {"K": 4, "p": 5, "m": 200, "n_refit": 150}
TINY_SWEEP = {"K": 3, "p": 5, "w": 0.5, "sigma": 2.0, "ridge_frac": 0.01, "m_lo": 60, "m_hi": 200, "grid": 3,
              "draws": 20, "delta": 0.05, "trunc": 8.0, "n_refit": 200}


@pytest.mark.parametrize("fn,params", [(lc.overlap_table, TINY_TABLE), (lc.modality_sweep, TINY_SWEEP)])
def test_replica_is_reproducible_whatever_the_batch(fn, params):
    one = fn(params, 1, [21], "cpu")
    two = fn(params, 2, [8, 21], "cpu")
    assert one.keys() == two.keys()
    for key, value in one.items():
        if value.ndim and value.shape[0] == 1 and two[key].shape[0] == 2:
            np.testing.assert_allclose(two[key][1], value[0], rtol=1e-8, atol=1e-10, err_msg=key)
        else:
            np.testing.assert_array_equal(two[key], value, err_msg=key)


def test_gaussian_gram_has_the_wishart_law_of_a_sample_gram():
    """gaussian_gram (Bartlett) against Z^T Z of drawn samples: the Wishart moments E W = n I,
    Var W_ij = n (i != j), Var W_ii = 2n; E log det W = sum_i psi((n - i)/2) + dim ln 2; and the same law as
    the sample Gram entry by entry (two-sample KS). A decomposition with chi^2(n) on every diagonal entry
    (the classic slip) is rejected by the same log-det test."""
    from scipy import special, stats

    from checks._wishart import gaussian_gram

    dim, n, draws = 3, 7, 20000
    g = torch.Generator().manual_seed(5)
    W = np.stack([gaussian_gram(g, dim, n).numpy() for _ in range(draws)])
    Z = np.random.default_rng(6).standard_normal((draws, n, dim))
    S = np.einsum("rni,rnj->rij", Z, Z)
    se = lambda v: 5 * np.sqrt(v / draws)  # noqa: E731
    np.testing.assert_allclose(W.mean(0), n * np.eye(dim), atol=se(2 * n))
    assert abs(W[:, 0, 1].var() - n) < se(2 * n * n) and abs(W[:, 2, 2].var() - 2 * n) < se(8 * n * n)
    logdet = np.linalg.slogdet(W)[1]
    expected = sum(special.digamma((n - i) / 2) for i in range(dim)) + dim * math.log(2)
    assert abs(logdet.mean() - expected) < 5 * logdet.std() / math.sqrt(draws)
    for i, j in [(0, 0), (0, 1), (1, 2), (2, 2)]:
        assert stats.ks_2samp(W[:, i, j], S[:, i, j]).pvalue > 1e-3, (i, j)
    wrong = np.log(np.random.default_rng(7).chisquare(n, (draws, dim))).sum(-1)   # its det is prod A_ii^2
    assert abs(wrong.mean() - expected) > 5 * wrong.std() / math.sqrt(draws)
    with pytest.raises(ValueError, match="samples >= dim"):
        gaussian_gram(g, 5, 4)


def test_the_table_from_drawn_gram_matrices_matches_the_table_from_samples():
    """overlap_table draws its Gram matrices from their Wishart law; the same cells computed on drawn
    samples (least squares on the noise-free sample, the head refitted on a fresh one) agree in mean
    over 40 replicas, cell by cell, within five standard errors."""
    K, p, m, n_refit = (TINY_TABLE[key] for key in ("K", "p", "m", "n_refit"))
    width, R = p * (K + 1), 40
    rng = np.random.default_rng(11)
    expected = np.zeros((R, K * len(lc.W_GRID)))
    for r in range(R):
        z_train, z_refit = rng.standard_normal((m, width)), rng.standard_normal((n_refit, width))
        for col, (j, w) in enumerate((j, w) for j in range(1, K + 1) for w in lc.W_GRID):
            c = lc.latent_target(K, p, w).numpy()
            idx = lc.reduced_design(K, p, w, j)[0].numpy()
            b = np.zeros(width)
            b[idx] = np.linalg.lstsq(z_train[:, idx], z_train @ c, rcond=None)[0]
            f, y = z_refit @ b, z_refit @ c
            expected[r, col] = np.sum(((f @ y) / (f @ f) * b - c) ** 2)
    got = lc.overlap_table(TINY_TABLE, R, list(range(R)), "cpu")["eta_refit"]
    spread = np.sqrt((got.var(0) + expected.var(0)) / R)
    assert np.all(np.abs(got.mean(0) - expected.mean(0)) <= 5 * spread + 1e-12)
    assert np.ptp(expected.mean(0)) > 1   # the cells differ: a wrong cell order or a constant would not pass


def _modality_design(Z: np.ndarray, K: int, p: int, w: float, j: int) -> np.ndarray:
    """x_M = [w s, (1-w) u_1, ..., w s, (1-w) u_j] in modality coordinates (the note's generator)."""
    s = Z[:, :p]
    return np.hstack([np.hstack([w * s, (1 - w) * Z[:, k * p:(k + 1) * p]]) for k in range(1, j + 1)])


@pytest.mark.parametrize("w,j", [(0.5, 3), (0.2, 1), (1.0, 2), (0.0, 2)])
def test_reduced_coordinates_give_the_same_fits(w, j):
    rng = np.random.default_rng(0)
    K, p, m = 3, 4, 60
    Z = rng.normal(size=(m, p * (K + 1)))
    y = Z @ lc.latent_target(K, p, w).numpy() + rng.normal(size=m)
    X = _modality_design(Z, K, p, w, j)
    idx, scale = lc.reduced_design(K, p, w, j)
    Xr = Z[:, idx.numpy()] * scale.numpy()
    Znew = rng.normal(size=(7, p * (K + 1)))
    Xnew, Xrnew = _modality_design(Znew, K, p, w, j), Znew[:, idx.numpy()] * scale.numpy()
    # least squares (minimum norm in modality coordinates) and ridge: same predictions, same norm
    theta = np.linalg.lstsq(X, y, rcond=None)[0]
    beta = np.linalg.lstsq(Xr, y, rcond=None)[0]
    np.testing.assert_allclose(Xnew @ theta, Xrnew @ beta, rtol=1e-8, atol=1e-8)
    assert np.linalg.norm(theta) == pytest.approx(np.linalg.norm(beta), rel=1e-8)
    lam = 3.0
    theta_r = np.linalg.solve(X.T @ X + lam * np.eye(X.shape[1]), X.T @ y)
    beta_r = np.linalg.solve(Xr.T @ Xr + lam * np.eye(Xr.shape[1]), Xr.T @ y)
    np.testing.assert_allclose(Xnew @ theta_r, Xrnew @ beta_r, rtol=1e-8, atol=1e-8)


def test_ball_least_squares_is_the_constrained_minimum():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(40, 6))
    y = X @ rng.normal(size=6) * 3 + rng.normal(size=40)
    G, b = torch.tensor(X.T @ X), torch.tensor(X.T @ y)
    for radius in (0.5, 2.0, 100.0):
        beta = lc.ball_least_squares(G[None], b[None], radius)[0].numpy()
        ref = optimize.minimize(lambda v: np.sum((y - X @ v) ** 2), np.zeros(6), method="SLSQP",
                                constraints=[{"type": "ineq", "fun": lambda v: radius ** 2 - v @ v}],
                                options={"ftol": 1e-14, "maxiter": 500})
        assert np.linalg.norm(beta) <= radius * (1 + 1e-7)
        assert np.sum((y - X @ beta) ** 2) <= ref.fun * (1 + 1e-7)
    ols = np.linalg.lstsq(X, y, rcond=None)[0]
    np.testing.assert_allclose(lc.ball_least_squares(G[None], b[None], 1e6)[0].numpy(), ols, rtol=1e-8)


def test_truncated_square_risk_closed_form():
    for var, C in [(1.0, 4.0), (2.5, 1.0), (0.3, 100.0)]:
        direct = integrate.quad(lambda r: min(r * r, C) * math.exp(-r * r / (2 * var)) / math.sqrt(2 * math.pi * var),
                                -60, 60, points=[-math.sqrt(C), 0, math.sqrt(C)], limit=200)[0]
        assert float(lc.truncated_sq_risk(torch.tensor(var, dtype=torch.float64), C)) == pytest.approx(direct, rel=1e-9)


def test_least_squares_excess_is_sigma2_d_over_n():
    # Ordinary least squares with d features, Gaussian design and noise sigma^2 has expected excess risk
    # sigma^2 d / (m - d - 1) (about sigma^2 d / m); ridge_frac = 0 makes the B-S2 fit OLS.
    params = {**TINY_SWEEP, "ridge_frac": 0.0, "m_lo": 150, "m_hi": 300}
    out = lc.modality_sweep(params, 40, list(range(40)), "cpu")
    d = params["p"] * (params["K"] + 1)  # all K modalities span s and every u_k
    expected = params["sigma"] ** 2 * d / (out["m_grid"] - d - 1)
    np.testing.assert_allclose(out["excess_K"].mean(0), expected, rtol=0.15)


def test_table_cells_follow_the_ols_law():
    # Noise-free generator: the unexplained part acts as independent Gaussian noise of variance
    # (1-w)^2 (K - j) p, so the LS test MSE is that times 1 + d/(m - d - 1), d the active latent width.
    out = lc.overlap_table({**TINY_TABLE, "p": 10, "m": 300}, 30, list(range(30)), "cpu")
    K, p, m = 4, 10, 300
    for j, w, d in [(1, 0.0, p), (1, 0.5, 2 * p), (2, 0.8, 3 * p)]:
        col = (j - 1) * len(lc.W_GRID) + lc.W_GRID.index(w)
        law = (1 - w) ** 2 * (K - j) * p
        assert out["ls_mse"][:, col].mean() == pytest.approx(law * (1 + d / (m - d - 1)), rel=0.08)
        assert out["eta_law"][0, col] == pytest.approx(law)
    assert np.all(out["eta_all"] < 1e-15 * p) and np.all(out["eta_w1"] < 1e-15 * p)
    np.testing.assert_allclose(out["eta_refit_nz"], out["eta_exact_nz"], rtol=0.1)


def test_paper_table_is_the_notes():
    assert lc.PAPER_TABLE_4[0] == (0.0, 12.04, 75.89, 193.28, 301.92)
    assert lc.PAPER_TABLE_4[2][-1] == 103.23 and lc.W_GRID == (1.0, 0.8, 0.5, 0.2, 0.0)


def test_nonfinite_raises_floating_point_error():
    with pytest.raises(FloatingPointError, match="modality_sweep"):
        lc.modality_sweep({**TINY_SWEEP, "trunc": float("inf")}, 1, [1], "cpu")


def test_specs_load_without_problems():
    r = registry.load()
    assert not [p for p in r.problems if "huang2021" in str(p)]
    ids = {rid for rid in r.results if rid.startswith("huang2021/")}
    assert {"huang2021/definition-1", "huang2021/theorem-1", "huang2021/theorem-2", "huang2021/proposition-1",
            "huang2021/remark-principle", "huang2021/table-4"} <= ids
    assert "RECONSTRUCTED" in r.results["huang2021/proposition-1"].tag
    assert "RECONSTRUCTED" in r.results["huang2021/table-4"].tag


PAPER_KEY = "huang2021"  # the `paper_run` fixture (conftest.py) verifies this paper once per module


def test_paper_runs_and_every_result_is_supported(paper_run):
    code, run = paper_run
    verdicts = {r["id"]: r["verdict"] for r in run["results"]}
    assert code == (0 if all(v in ("PASS", "SYMBOLIC") for v in verdicts.values()) else 1)
    assert all(v in ("PASS", "SYMBOLIC") for v in verdicts.values()), verdicts
    for record in run["results"]:
        for claim in record["claims"]:
            if claim["statistic"] != "sympy":
                assert claim["control"]["rejected"], (record["id"], claim["label"])


def test_paper_numbers_are_the_expected_ones(paper_run):
    _, run = paper_run
    rec = {r["id"]: r for r in run["results"]}
    table = rec["huang2021/table-4"]["measurements"]
    # OLS law at m = 20000: (1-w)^2 (K-j) p (1 + d/(m - d - 1)), d the active latent width
    assert table["ls_mse_1_w00"]["mean"] == pytest.approx(300 * (1 + 100 / 19899), rel=0.01)
    assert table["ls_mse_3_w08"]["mean"] == pytest.approx(4 * (1 + 400 / 19599), rel=0.02)
    # ... and the paper's Table 4 entries (301.92, 4.18) are within 5% of it
    assert table["ls_mse_1_w00"]["mean"] == pytest.approx(301.92, rel=0.05)
    sweep = rec["huang2021/proposition-1"]["measurements"]
    assert sweep["gamma_full_exact"]["mean"] == pytest.approx(-(1 - 0.5) ** 2 * 100)
    # refit of a full-rank encoder on n = 10000 fresh samples: OLS excess (res + sigma^2) d / (n - d - 1)
    refit = 400 * 500 / 9499 - (25 + 425 * 400 / 9599)
    assert sweep["gamma_full_refit"]["mean"] == pytest.approx(refit, rel=0.1)
    # the note's B-S2 table: m = 500: 338.0 (one modality) vs 927.7 (four); m = 5000: 95.3 vs 41.2
    assert sweep["excess_small_1"]["mean"] == pytest.approx(338.0, rel=0.2)
    assert sweep["excess_small_K"]["mean"] == pytest.approx(927.7, rel=0.25)
    assert sweep["excess_large_K"]["mean"] == pytest.approx(41.2, rel=0.2)
    assert sweep["trunc_frac"]["mean"] == 0.0
    rad = rec["huang2021/definition-2"]["measurements"]
    assert rad["rad_formula_K"]["mean"] == pytest.approx(np.mean(math.sqrt(800) * np.sqrt(200 / np.round(np.geomspace(500, 5000, 4)))))
