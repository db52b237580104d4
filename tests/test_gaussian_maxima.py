"""Tests for checks.gaussian_maxima (Lemma A.1, Definition A.2, Lemma A.3)."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from scipy import special, stats

from checks.gaussian_maxima import (
    default_margin,
    gaussian_max_facts,
    inside_unit_interval,
    max_density_sup,
    max_of_normals,
    winning_modality_at_init,
    winning_probability,
)

# The note's Lemma A.3 table, as printed: (m, G, ratio, p1, p2, neither).
TABLE = [
    (4, 0.520, 1.0, 0.339, 0.339, 0.322),
    (4, 0.520, 1.5, 0.493, 0.224, 0.283),
    (4, 0.520, 3.0, 0.736, 0.124, 0.140),
    (12, 0.162, 1.0, 0.382, 0.382, 0.235),
    (12, 0.162, 1.5, 0.694, 0.140, 0.166),
    (12, 0.162, 3.0, 0.960, 0.015, 0.025),
    (20, 0.111, 1.0, 0.396, 0.396, 0.209),
    (20, 0.111, 1.5, 0.773, 0.103, 0.124),
    (20, 0.111, 3.0, 0.991, 0.003, 0.007),
]


@pytest.mark.parametrize("m,G,ratio,p1,p2,neither", TABLE)
def test_quadrature_reproduces_table(m, G, ratio, p1, p2, neither):
    assert round(default_margin(m), 3) == pytest.approx(G, abs=1e-12)
    q1, q2 = winning_probability(m, ratio)
    assert abs(q1 - p1) <= 0.0005 + 1e-9
    assert abs(q2 - p2) <= 0.0005 + 1e-9
    assert abs((1 - q1 - q2) - neither) <= 0.0005 + 1e-9


def test_winning_probability_symmetry():
    # Swapping the modalities swaps p_1 and p_2 (ratio -> 1/ratio).
    a1, a2 = winning_probability(12, 1.5)
    b1, b2 = winning_probability(12, 1 / 1.5)
    assert a1 == pytest.approx(b2, abs=1e-10) and a2 == pytest.approx(b1, abs=1e-10)


@pytest.mark.parametrize("m,ratio", [(12, 1.0), (4, 1.5)])
def test_monte_carlo_matches_quadrature(m, ratio):
    out = winning_modality_at_init({"m": m, "ratio": ratio, "sigma0": 0.01, "classes": 20000},
                                   replicas=1, seeds=[123], device="cpu")
    assert abs(out["p1_hat"][0] - out["p_exact1"][0]) < 0.015
    assert abs(out["p2_hat"][0] - out["p_exact2"][0]) < 0.015


def test_at_most_one_modality_wins():
    out = winning_modality_at_init({"m": 4, "ratio": 1.0, "sigma0": 1.0, "classes": 5000},
                                   replicas=3, seeds=[1, 2, 3], device="cpu")
    w1, w2, nei = out["wins1"], out["wins2"], out["neither"]
    assert w1.shape == w2.shape == nei.shape == (15000,)
    assert not np.any((w1 == 1) & (w2 == 1))
    assert np.all(w1 + w2 + nei == 1)
    assert out["p1_hat"].shape == (3,)


def test_kamath_brackets_mean_max_and_bounds():
    params = {"m": 12, "sigma": 2.0, "draws": 20000, "c_anti": 1.0, "delta": 0.1, "c_rev": 1.5}
    out = gaussian_max_facts(params, replicas=2, seeds=[7, 8], device="cpu")
    assert out["mean_max"].shape == (2,)
    lo, hi = out["kamath_lower"][0], out["kamath_upper"][0]
    assert np.all((lo <= out["mean_max"]) & (out["mean_max"] <= hi))
    assert out["anti_conc_events"].shape == (40000,)
    # A.1(a) reading: Pr[|max X - c max Y| <= delta] <= 2 delta sup density (Monte Carlo slack).
    assert out["anti_conc_events"].mean() <= out["anti_conc_bound"][0] + 0.01
    # A.1(b) explicit lower bound.
    assert out["reversal_events"].mean() >= out["reversal_lower"][0] - 0.01
    assert np.allclose(out["anti_conc_event"], out["anti_conc_events"].reshape(2, -1).mean(1))


def test_max_density_sup_matches_grid():
    from scipy import stats

    m, sigma = 12, 2.0
    x = np.linspace(-5, 15, 200001)
    dens = m / sigma * stats.norm.pdf(x / sigma) * stats.norm.cdf(x / sigma) ** (m - 1)
    assert max_density_sup(m, sigma) == pytest.approx(dens.max(), rel=1e-6)
    # O(sqrt(log m)/sigma) scale
    assert max_density_sup(m, sigma) <= 2 * math.sqrt(2 * math.log(m)) / sigma


@pytest.mark.parametrize("fn,params", [
    (gaussian_max_facts, {"m": 8, "sigma": 1.0, "draws": 50, "c_anti": 1.0, "delta": 0.2, "c_rev": 1.2}),
    (winning_modality_at_init, {"m": 8, "ratio": 1.5, "sigma0": 0.1, "classes": 50}),
])
def test_replica_reproducible_across_batch_size(fn, params):
    seeds = [11, 22, 33]
    big = fn(params, 3, seeds, "cpu")
    for i, s in enumerate(seeds):
        one = fn(params, 1, [s], "cpu")
        for key in ("mean_max", "anti_conc_event", "reversal_event", "p1_hat", "p2_hat"):
            if key in big:
                assert one[key][0] == big[key][i]
        flat = "wins1" if "wins1" in big else "reversal_events"
        n = one[flat].shape[0]
        assert np.array_equal(one[flat], big[flat][i * n:(i + 1) * n])


def test_seed_count_mismatch_raises():
    with pytest.raises(ValueError):
        winning_modality_at_init({"m": 4, "ratio": 1.0, "sigma0": 1.0, "classes": 10}, 2, [1], "cpu")


@pytest.mark.parametrize("m", [1, 4, 20])
def test_max_of_normals_has_the_law_of_the_maximum(m):
    """The checks draw a vector's maximum through the inverse of its CDF Phi^m (issue 21): its law against
    Phi^m (one-sample KS) and against maxima of drawn normal vectors (two-sample KS); the law of the
    maximum of m - 1 (or 2m) normals, the slip it would be, is rejected by the same test."""
    u = inside_unit_interval(torch.rand(200_000, generator=torch.Generator().manual_seed(m), dtype=torch.float64))
    drawn = max_of_normals(u, m).numpy()
    assert stats.kstest(drawn, lambda x: special.ndtr(x) ** m).pvalue > 1e-3
    direct = np.random.default_rng(m).standard_normal((200_000, m)).max(axis=1)
    assert stats.ks_2samp(drawn, direct).pvalue > 1e-3
    wrong = max(m - 1, 1) if m > 1 else 2
    assert stats.kstest(drawn, lambda x: special.ndtr(x) ** wrong).pvalue < 1e-6


def test_max_of_normals_keeps_both_tails():
    """From the smallest to the largest uniform torch draws (moved into (0, 1)) the maximum is finite and
    increasing, and Phi(x)^m gives u back to 1e-10 relative in both tails (ln u against m ln Phi(x))."""
    u = inside_unit_interval(torch.tensor([0.0, 1e-12, 0.3, 0.5, 0.9, 1 - 1e-12, 1 - 2.0 ** -53], dtype=torch.float64))
    assert 0 < float(u.min()) and float(u.max()) < 1
    for m in (4, 20):
        got = max_of_normals(u, m).numpy()
        assert np.all(np.isfinite(got)) and np.all(np.diff(got) > 0)
        np.testing.assert_allclose(m * special.log_ndtr(got), np.log(u.numpy()), rtol=1e-10)
