"""Claims judged on synthetic measurements: true claims PASS, false claims FAIL, claims the data
cannot discriminate are INCONCLUSIVE, and a control that is not rejected withholds a PASS."""
import numpy as np
import pytest
import sympy as sp

from verifier.judging.evaluate import judge_empirical
from verifier.spec.claims import Approx, Bound, Duration, Ordering, Probability, Rate

x, y, b = sp.symbols("x y b")
rng = np.random.default_rng(1)
TIGHT = {"x": 0.10 + rng.normal(0, 0.001, size=64)}  # mean 0.1, very precise
NOISY = {"x": 0.10 + rng.normal(0, 0.5, size=4)}     # mean ~0.1, hopeless precision


def verdict(claim, data, params=None):
    return judge_empirical(claim, params or {}, data, 0.05)


def test_bound_pass_fail_inconclusive():
    assert verdict(Bound("ok", quantity=x, relation="<=", bound=0.15), TIGHT).verdict == "PASS"
    assert verdict(Bound("false", quantity=x, relation="<=", bound=0.05), TIGHT).verdict == "FAIL"
    assert verdict(Bound("vague", quantity=x, relation="<=", bound=0.2), NOISY).verdict == "INCONCLUSIVE"


def test_bound_with_parameter_and_control_report():
    outcome = verdict(Bound("ok", quantity=x, relation="<=", bound=3 * b), TIGHT, {"b": 0.05})
    assert outcome.verdict == "PASS"
    assert outcome.claimed == pytest.approx(0.15)
    assert outcome.control["rejected"] is True  # the halved bound 0.075 is below the mean 0.1
    assert abs(outcome.observed - 0.1) < 0.001


def test_control_not_rejected_makes_inconclusive():
    # The claim x <= 1 holds, but so does its control x <= 0.5: the data cannot show the test has teeth.
    outcome = verdict(Bound("loose", quantity=x, relation="<=", bound=1.0), TIGHT)
    assert outcome.verdict == "INCONCLUSIVE"
    assert "not rejected" in outcome.detail


def test_proportion_statistic_uses_pooled_counts():
    zeros = {"x": np.zeros(16)}
    claim = Bound("zero", quantity=x, relation="<=", bound=0.005, statistic="proportion", trials=100,
                  explicit_control=Bound("c", quantity=x, relation=">=", bound=0.01, statistic="proportion", trials=100))
    outcome = verdict(claim, zeros)
    assert outcome.verdict == "PASS"
    assert outcome.n == 1600
    assert outcome.ci[1] < 0.0024  # 1 - 0.025**(1/1600) = 0.002303


def test_non_finite_measurement_is_error():
    data = {"x": np.array([0.1, np.nan, 0.1, 0.1])}
    outcome = verdict(Bound("nan", quantity=x, relation="<=", bound=0.2), data)
    assert outcome.verdict == "ERROR"
    assert "first at index 1" in outcome.detail


def test_probability_clopper_pearson():
    events = {"e": (np.arange(1000) < 300).astype(float)}  # exactly 30%
    e = sp.Symbol("e")
    assert verdict(Probability("p>=0.25", event=e, relation=">=", value=0.25, control_value=0.4), events).verdict == "PASS"
    assert verdict(Probability("p>=0.35", event=e, relation=">=", value=0.35), events).verdict == "FAIL"
    assert verdict(Probability("p==0.3", event=e, relation="==", value=0.3, atol=0.05, control_value=0.4), events).verdict == "PASS"


def test_ordering_paired():
    data = {"x": np.full(20, 0.1) + rng.normal(0, 0.001, 20), "y": np.full(20, 0.15) + rng.normal(0, 0.001, 20)}
    assert verdict(Ordering("x<y", lesser=x, greater=y), data).verdict == "PASS"      # 2x = 0.2 > 0.15 rejected
    assert verdict(Ordering("y<x", lesser=y, greater=x), data).verdict == "FAIL"


def test_approx_relative_tolerance():
    assert verdict(Approx("x~0.1", quantity=x, target=0.1, rtol=0.05), TIGHT).verdict == "PASS"
    assert verdict(Approx("x~0.2", quantity=x, target=0.2, rtol=0.05), TIGHT).verdict == "FAIL"


def test_rate_slope_and_shifted_control():
    sizes = np.array([10.0, 20, 40, 80, 160])
    errors = 3 * sizes[None, :] ** -0.5 * np.exp(rng.normal(0, 0.02, size=(8, 5)))
    data = {"err": errors, "size": np.broadcast_to(sizes, errors.shape)}
    err, size = sp.symbols("err size")
    outcome = verdict(Rate("n^-1/2", quantity=err, over=size, exponent=-sp.Rational(1, 2), tol=0.05), data)
    assert outcome.verdict == "PASS"
    assert outcome.control["rejected"]
    assert verdict(Rate("n^-1", quantity=err, over=size, exponent=-1, tol=0.05), data).verdict == "FAIL"


def test_duration_ratio():
    t, p = sp.symbols("t p")
    data = {"t": 100 * np.exp(rng.normal(0, 0.05, 50)), "p": np.full(50, 95.0)}
    assert verdict(Duration("t~p", measured=t, predicted=p, rtol=0.2), data).verdict == "PASS"
    assert verdict(Duration("t~p/2", measured=t, predicted=p / 2, rtol=0.2), data).verdict == "FAIL"


def test_rate_within_replica_removes_per_replica_factors():
    sizes = np.array([10.0, 20, 40, 80, 160])
    factors = np.exp(rng.normal(0, 1.0, size=(8, 1)))  # a large constant factor per replica
    errors = factors * sizes[None, :] ** -0.5 * np.exp(rng.normal(0, 0.01, size=(8, 5)))
    data = {"err": errors, "size": np.broadcast_to(sizes, errors.shape)}
    err, size = sp.symbols("err size")
    pooled = verdict(Rate("pooled", quantity=err, over=size, exponent=-sp.Rational(1, 2), tol=0.05), data)
    within = verdict(Rate("within", quantity=err, over=size, exponent=-sp.Rational(1, 2), tol=0.05,
                          within_replica=True), data)
    assert pooled.verdict == "INCONCLUSIVE" and within.verdict == "PASS"
    assert within.ci[1] - within.ci[0] < 0.03 < pooled.ci[1] - pooled.ci[0]


def test_one_sided_rates_pass_any_faster_rate_and_fail_a_slower_one():
    """Issue #18, point 5: an O(n^-1/2) upper bound on a rate is one-sided; lu2023's excess risk decays
    like n^-1, which must pass 'at most -1/2' and fail the exact (Theta) reading."""
    sizes = np.array([10.0, 20, 40, 80, 160])
    errors = 2 * sizes[None, :] ** -1.0 * np.exp(rng.normal(0, 0.02, size=(8, 5)))
    data = {"err": errors, "size": np.broadcast_to(sizes, errors.shape)}
    err, size = sp.symbols("err size")
    half = -sp.Rational(1, 2)
    at_most = verdict(Rate("O(n^-1/2)", quantity=err, over=size, exponent=half, tol=0, direction="at_most",
                           control_shift=1.0), data)
    assert at_most.verdict == "PASS" and at_most.region[0] == -np.inf and at_most.region[1] == -0.5
    assert at_most.control["rejected"]  # the tightened control 'slope <= -3/2' is false for a slope of -1
    # with a control of 'slope <= -1' the data (slope -1) cannot reject it: no PASS without teeth
    assert verdict(Rate("O(n^-1/2)", quantity=err, over=size, exponent=half, tol=0, direction="at_most",
                        control_shift=0.5), data).verdict == "INCONCLUSIVE"
    assert verdict(Rate("Theta(n^-1/2)", quantity=err, over=size, exponent=half, tol=0.1), data).verdict == "FAIL"
    # an Omega(n^-1/2) lower bound on the rate is false here: the decay is faster than n^-1/2
    assert verdict(Rate("Omega(n^-1/2)", quantity=err, over=size, exponent=half, tol=0,
                        direction="at_least"), data).verdict == "FAIL"
    # a rate slower than the O(.) bound fails it
    slow = {"err": 2 * sizes[None, :] ** -0.2 * np.exp(rng.normal(0, 0.02, size=(8, 5))), "size": data["size"]}
    assert verdict(Rate("O(n^-1/2)", quantity=err, over=size, exponent=half, tol=0, direction="at_most"),
                   slow).verdict == "FAIL"


def test_rate_direction_is_validated():
    with pytest.raises(ValueError, match="direction must be one of exact, at_most, at_least, not 'below'"):
        Rate("bad", quantity=x, over=y, exponent=1, direction="below")
