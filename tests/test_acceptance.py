"""Intervals and decisions of the acceptance layer, against values computed independently."""
import math

import numpy as np
import pytest

from verifier.judging import acceptance
from verifier.judging.verdicts import Verdict, combine


def test_clopper_pearson_matches_known_values():
    # Known values: 0 successes in 10 trials, 95%: upper = 1 - 0.025**(1/10) = 0.30850.
    interval = acceptance.clopper_pearson(0, 10, 0.05)
    assert interval.lo == 0.0
    assert interval.hi == pytest.approx(1 - 0.025 ** 0.1, rel=1e-9)
    # 5 of 10: the classic interval [0.18709, 0.81291].
    interval = acceptance.clopper_pearson(5, 10, 0.05)
    assert (interval.lo, interval.hi) == pytest.approx((0.18709, 0.81291), abs=1e-5)


def test_mean_interval_is_student_t():
    values = np.array([1.0, 2.0, 3.0, 4.0])
    interval = acceptance.mean_interval(values, 0.05)
    # t_{0.975, 3} = 3.18245, s = 1.29099, n = 4.
    half = 3.18245 * 1.29099 / 2
    assert interval.estimate == 2.5
    assert (interval.lo, interval.hi) == pytest.approx((2.5 - half, 2.5 + half), abs=1e-4)


def test_slope_interval_recovers_exponent():
    x = np.linspace(1, 3, 30)
    rng = np.random.default_rng(0)
    y = -0.5 * x + 1 + rng.normal(0, 0.01, size=x.size)
    interval = acceptance.slope_interval(x, y, 0.05)
    assert interval.lo < -0.5 < interval.hi
    assert interval.hi - interval.lo < 0.02


@pytest.mark.parametrize("lo, hi, expected", [
    (0.1, 0.2, Verdict.PASS),      # inside [0, 0.5]
    (0.6, 0.7, Verdict.FAIL),      # outside
    (0.4, 0.6, Verdict.INCONCLUSIVE),  # straddles
])
def test_decide(lo, hi, expected):
    assert acceptance.decide(acceptance.Interval((lo + hi) / 2, lo, hi, 10), 0.0, 0.5) is expected


def test_non_finite_is_error_never_pass():
    assert acceptance.decide(acceptance.Interval(math.nan, math.nan, math.nan, 10), -math.inf, math.inf) is Verdict.ERROR
    assert acceptance.decide(acceptance.Interval(0.1, 0.0, 0.2, 10), math.nan, 1.0) is Verdict.ERROR


def test_combine():
    assert combine([Verdict.SYMBOLIC, Verdict.SYMBOLIC]) is Verdict.SYMBOLIC
    assert combine([Verdict.SYMBOLIC, Verdict.PASS]) is Verdict.PASS
    assert combine([Verdict.PASS, Verdict.INCONCLUSIVE]) is Verdict.INCONCLUSIVE
    assert combine([Verdict.FAIL, Verdict.ERROR]) is Verdict.ERROR
