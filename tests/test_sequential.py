"""Anytime-valid tests (verifier.judging.sequential): closed forms, error control under peeking, power,
and the family corrections; the naive fixed-n test peeked the same way is the negative control."""
from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import integrate, stats
from statsmodels.stats.multitest import multipletests

from verifier.judging import sequential

ALPHA = 0.05
STREAMS, ROUND, MAXIMUM = 2000, 8, 256
LOOKS = np.arange(ROUND - 1, MAXIMUM, ROUND)            # after every round of 8 replicas, 32 looks
TOLERANCE = ALPHA + 3 * math.sqrt(ALPHA * (1 - ALPHA) / STREAMS)


def test_beta_binomial_matches_its_closed_forms() -> None:
    # uniform mixing law, p0 = 1/2, all t outcomes successes: 2 (1 - 2^-(t+1)) / (t + 1) * 2^t
    for t in (1, 5, 20):
        assert sequential.beta_binomial_e(t, t, 0.5) == pytest.approx(2 * (1 - 0.5 ** (t + 1)) / (t + 1) * 2 ** t)
    # a general count against numerical integration of the truncated mixture
    s, n, p0 = 7, 19, 0.3
    numerator = integrate.quad(lambda p: p ** s * (1 - p) ** (n - s), p0, 1)[0] / (1 - p0)
    assert sequential.beta_binomial_e(s, n, p0) == pytest.approx(numerator / (p0 ** s * (1 - p0) ** (n - s)), rel=1e-9)
    # the mirror: "below p0" for s successes is "above 1 - p0" for the n - s failures
    assert sequential.beta_binomial_e(s, n, p0, "below") == pytest.approx(sequential.beta_binomial_e(n - s, n, 1 - p0))


def test_betting_capital_is_the_published_recursion_and_predictable() -> None:
    rng = np.random.default_rng(1)
    x = rng.uniform(-2.0, 3.0, 40)
    lo, hi, bound = -2.0, 3.0, 0.4
    y, m = (x + 2) / 5, (bound + 2) / 5
    capital, best, mean, var, total, sq = 1.0, 1.0, 0.5, 0.25, 0.0, 0.0
    for t, value in enumerate(y, start=1):  # Waudby-Smith & Ramdas (2023): aGRAPA bet from the past only
        bet = min(max((mean - m) / (var + (mean - m) ** 2), 0.0), sequential.BET_CAP / m)
        capital *= 1 + bet * (value - m)
        best = max(best, capital)
        total += value
        mean = (0.5 + total) / (t + 1)
        sq += (value - mean) ** 2
        var = (0.25 + sq) / (t + 1)
    e = sequential.betting_e(x, bound, lo, hi)
    assert e[-1] == pytest.approx(best, rel=1e-12)
    changed = x.copy()
    changed[25:] = hi  # the future does not move the past
    assert np.array_equal(sequential.betting_e(changed, bound, lo, hi)[:25], e[:25])
    with pytest.raises(ValueError, match=r"value 4.0 lies outside the declared range \[-2.0, 3.0\]"):
        sequential.betting_e(np.array([0.0, 4.0]), bound, lo, hi)


def _naive_t_rejects(x: np.ndarray, bound: float) -> np.ndarray:
    """Per stream: did the one-sided t test at ALPHA reject "mean <= bound" at any look?"""
    n = LOOKS + 1
    mean = np.cumsum(x, axis=1)[:, LOOKS] / n
    var = (np.cumsum(x ** 2, axis=1)[:, LOOKS] - n * mean ** 2) / (n - 1)
    return (stats.t.sf((mean - bound) / np.sqrt(var / n), n - 1) < ALPHA).any(axis=1)


def test_peeking_keeps_the_error_rate_for_a_bounded_mean() -> None:
    x = np.random.default_rng(2).beta(2, 2, size=(STREAMS, MAXIMUM))  # true mean 0.5: "mean <= 0.5" holds
    e = sequential.betting_e(x, 0.5, 0.0, 1.0, "above")[:, LOOKS]
    false_fail = float((e >= 1 / ALPHA).any(axis=1).mean())
    naive = float(_naive_t_rejects(x, 0.5).mean())
    assert false_fail <= TOLERANCE
    assert naive > 3 * ALPHA        # the negative control: the fixed-n t test, peeked 32 times, is not valid


def test_peeking_keeps_the_error_rate_for_a_probability() -> None:
    events = (np.random.default_rng(3).random((STREAMS, MAXIMUM)) < 0.3).astype(float)
    counts = np.cumsum(events, axis=1)[:, LOOKS]
    for side in ("above", "below"):
        e = sequential.running_max(sequential.beta_binomial_e(counts, np.broadcast_to(LOOKS + 1.0, counts.shape),
                                                              0.3, side))
        assert float((e >= 1 / ALPHA).any(axis=1).mean()) <= TOLERANCE
    naive = (stats.binom.sf(counts - 1, LOOKS + 1, 0.3) < ALPHA).any(axis=1)  # exact test, peeked
    assert float(naive.mean()) > 2 * ALPHA


def test_peeking_keeps_the_error_rate_for_a_pooled_proportion_read_per_replica() -> None:
    # "P[fail] <= 0.2" on its boundary: each replica's 20 trials share the replica's own failure rate (its
    # trained network), Beta(1, 4) with mean 0.2, so the trials are dependent within a replica
    rng = np.random.default_rng(8)
    trials = 20
    counts = rng.binomial(trials, rng.beta(1.0, 4.0, size=(STREAMS, MAXIMUM)))
    e = sequential.betting_e(counts / trials, 0.2, 0.0, 1.0, "above")[:, LOOKS]   # one proportion per replica
    assert float((e >= 1 / ALPHA).any(axis=1).mean()) <= TOLERANCE
    # the negative control: Robbins' mixture over the pooled trials, as if independent, peeked the same way
    pooled = np.cumsum(counts, axis=1)[:, LOOKS]
    mixture = sequential.running_max(sequential.beta_binomial_e(pooled, np.broadcast_to(trials * (LOOKS + 1.0),
                                                                                         pooled.shape), 0.2))
    assert float((mixture >= 1 / ALPHA).any(axis=1).mean()) > 3 * ALPHA


def test_a_clearly_false_claim_is_decided_early() -> None:
    rng = np.random.default_rng(4)
    x = 0.25 + 0.75 * rng.beta(2, 2, size=(500, MAXIMUM))   # mean 0.625 against "mean <= 0.5"
    decided = sequential.betting_e(x, 0.5, 0.0, 1.0, "above")[:, LOOKS] >= 2 / ALPHA
    assert decided[:, -1].mean() > 0.99
    used = (np.argmax(decided, axis=1) + 1) * ROUND
    assert np.median(used) <= 64
    events = (rng.random((500, MAXIMUM)) < 0.5).astype(float)  # P = 0.5 against "P >= 0.7"
    decided = sequential.bernoulli_e(events, 0.7, "below")[:, LOOKS] >= 2 / ALPHA
    assert decided[:, -1].mean() > 0.99 and np.median((np.argmax(decided, axis=1) + 1) * ROUND) <= 48


def test_decisions_on_a_region() -> None:
    rng = np.random.default_rng(5)
    inside = rng.uniform(0.0, 0.4, 200)
    held = sequential.mean_decision(inside, 0.0, 1.0, -math.inf, 0.5)
    assert held.verdict(ALPHA) == "PASS" and held.p_pass == pytest.approx(2 / held.e_pass) and held.p_fail == 1.0
    assert sequential.mean_decision(inside, 0.0, 1.0, 0.4, math.inf).verdict(ALPHA) == "FAIL"
    assert sequential.mean_decision(inside[:4], 0.0, 1.0, -math.inf, 0.5).verdict(ALPHA) == "undecided"
    events = (rng.random(300) < 0.9).astype(float)
    assert sequential.probability_decision(events, 0.8, 1.0).verdict(ALPHA) == "PASS"
    assert sequential.probability_decision(events, 0.0, 0.6).verdict(ALPHA) == "FAIL"
    with pytest.raises(ValueError, match="must all be 0 or 1"):
        sequential.probability_decision(np.array([0.0, 0.5]), 0.0, 0.5)


def test_confidence_sequences_cover_and_are_wider_than_fixed_n_intervals() -> None:
    lo, hi = sequential.probability_cs(30, 100, ALPHA)
    exact = stats.beta.ppf([ALPHA / 2, 1 - ALPHA / 2], [30, 31], [71, 70])  # Clopper-Pearson
    assert lo < exact[0] < 0.3 < exact[1] < hi and hi - lo < 2 * (exact[1] - exact[0])
    x = np.random.default_rng(6).beta(2, 2, 128)
    lo, hi = sequential.mean_cs(x, 0.0, 1.0, ALPHA)
    half = stats.t.ppf(1 - ALPHA / 2, 127) * x.std(ddof=1) / math.sqrt(128)
    assert lo < x.mean() - half and x.mean() + half < hi and lo < 0.5 < hi


def test_e_holm_and_e_bh_against_statsmodels_and_by_hand() -> None:
    e = [100.0, 20.0, 1.0, 50.0, 0.5]
    p = [min(1.0, 1 / v) for v in e]
    assert sequential.e_holm(e) == pytest.approx(list(multipletests(p, method="holm")[1]))
    # e-BH is BH applied to 1/e (Wang & Ramdas 2022, Proposition 2); valid here under any dependence
    assert sequential.e_bh(e) == pytest.approx(list(multipletests(p, method="fdr_bh")[1]))
    # by hand, K = 5 at alpha = 0.05: k e_(k) / K >= 20 holds for k = 1 (100) and k = 2 (2 * 50 / 5 = 20)
    assert [v <= ALPHA for v in sequential.e_bh(e)] == [True, False, False, True, False]
    assert sequential.e_holm(e)[0] == pytest.approx(0.05) and sequential.e_holm(e)[3] == pytest.approx(0.08)


def test_e_holm_keeps_the_family_wise_error_of_peeked_true_claims() -> None:
    runs, family = 1000, 20
    x = np.random.default_rng(7).beta(2, 2, size=(runs, family, MAXIMUM))   # 20 true claims "mean <= 0.5" per run
    e = sequential.betting_e(x, 0.5, 0.0, 1.0, "above")[..., LOOKS].max(axis=-1)  # the largest e-value read at a look
    any_false_fail = np.array([min(sequential.e_holm(list(run))) <= ALPHA for run in e])
    assert any_false_fail.mean() <= ALPHA + 3 * math.sqrt(ALPHA * (1 - ALPHA) / runs)
    uncorrected = (e >= 1 / ALPHA).any(axis=1)  # the negative control: each claim at alpha alone
    assert uncorrected.mean() > 4 * ALPHA


def test_the_last_bernoulli_e_value_read_in_chunks_is_the_whole_streams():
    # probability_decision reads a pooled stream chunk by chunk (2e8 outcomes at huang2022's full profile)
    rng = np.random.default_rng(4)
    events = rng.random(10_000) < 0.62
    for p0, side in ((0.5, "above"), (0.7, "below"), (0.62, "above")):
        whole = float(sequential.bernoulli_e(events.astype(float), p0, side)[-1])
        for chunk in (1, 7, 4096, 1 << 22):
            assert sequential.bernoulli_e_last(events, p0, side, chunk=chunk) == whole
    with pytest.raises(ValueError, match="0 or 1"):
        sequential.bernoulli_e_last(np.array([0.0, 0.5]), 0.5)


def test_a_pooled_stream_read_at_replica_ends_is_the_every_outcome_process_at_those_times():
    rng = np.random.default_rng(8)
    events = rng.random(10_003) < 0.55        # 1000 "replicas" of 10 outcomes and a partial last look of 3
    for p0, side in ((0.5, "above"), (0.6, "below"), (0.55, "above")):
        every = sequential.beta_binomial_e(np.cumsum(events), np.arange(1.0, events.size + 1), p0, side)
        at_ends = max(1.0, float(every[9::10].max()), float(every[-1]))
        for chunk in (1, 10, 25, 4096):
            assert sequential.bernoulli_e_last(events, p0, side, per_look=10, chunk=chunk) == pytest.approx(at_ends, rel=1e-12)
        assert at_ends <= float(sequential.bernoulli_e(events.astype(float), p0, side)[-1])
    assert sequential.bernoulli_e_last(events, 0.5, per_look=1) == sequential.bernoulli_e_last(events, 0.5)
    with pytest.raises(ValueError, match="per_look must be a positive"):
        sequential.bernoulli_e_last(events, 0.5, per_look=0)


def test_peeking_at_a_pooled_probability_read_at_replica_ends_keeps_alpha():
    # a true claim "P <= 0.3" (P = 0.3 exactly, the worst case) with 16 outcomes per replica, decided after
    # every round of 8 replicas up to 256: the false-fail rate stays within alpha
    per_replica = 16
    events = np.random.default_rng(9).random((STREAMS, MAXIMUM, per_replica)) < 0.3
    counts = np.cumsum(events.sum(axis=2), axis=1)
    trials = per_replica * np.arange(1.0, MAXIMUM + 1)
    e = sequential.running_max(sequential.beta_binomial_e(counts, np.broadcast_to(trials, counts.shape), 0.3))
    false_fail = (e[:, LOOKS] >= 2 / ALPHA).any(axis=1)
    assert float(false_fail.mean()) <= TOLERANCE
    # the decision reads the same evidence, run by run
    for run, expected in zip(events[:40], false_fail[:40]):
        decided = sequential.probability_decision(run, -math.inf, 0.3, per_look=per_replica).verdict(ALPHA)
        assert (decided == "FAIL") == expected
    # the negative control: the fixed-n z-test on the pooled count, peeked the same way
    z = (counts / trials - 0.3) / np.sqrt(0.3 * 0.7 / trials)
    assert float((z[:, LOOKS] > stats.norm.ppf(1 - ALPHA / 2)).any(axis=1).mean()) > 2 * ALPHA
