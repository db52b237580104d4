"""Issue #18, point 4: an O~ claim with no stated constant is judged by its implied constant: at a
single size it is INCONCLUSIVE with the constant printed (never FAIL for a constant the paper never
stated); along a ladder of sizes it FAILs when the constant grows faster than the order allows and
is not FAIL when the constant is flat."""
import numpy as np
import pytest
import sympy as sp

from verifier import Order
from verifier.judging.evaluate import judge_empirical

q, k = sp.symbols("q k")
SIZES = np.array([10.0, 20.0, 40.0, 80.0, 160.0])


def _ladder(power: float, replicas: int = 16) -> dict[str, np.ndarray]:
    """q = 35000 k^power with 5% replica noise, on a (replica, size) grid."""
    noise = np.random.default_rng(2).normal(1.0, 0.05, (replicas, SIZES.size))
    return {"q": 35000.0 * SIZES ** power * noise, "k": SIZES}


def test_at_a_single_size_the_claim_is_inconclusive_with_its_constant():
    data = {"q": np.random.default_rng(0).normal(35321.0, 1000.0, 32)}
    outcome = judge_empirical(Order("off-diagonal = O~(sigma0)", quantity=q, order=1, notation="O~"), {}, data, 0.05, 32)
    assert outcome.verdict == "INCONCLUSIVE"
    assert outcome.observed == pytest.approx(data["q"].mean())
    assert outcome.detail.startswith("holds with implied constant C = 3.5")
    assert outcome.observed_ci[0] < 35321 < outcome.observed_ci[1]


def test_a_constant_that_grows_along_the_ladder_fails_and_a_flat_one_does_not():
    claim = Order("q = O~(k)", quantity=q, order=k, notation="O~", size=k)
    grows = judge_empirical(claim, {}, _ladder(2.0), 0.05, 16)       # q ~ k^2: C = q/k grows like k
    flat = judge_empirical(claim, {}, _ladder(1.0), 0.05, 16)        # q ~ k: C flat
    assert grows.verdict == "FAIL" and grows.estimate == pytest.approx(1.0, abs=0.05)
    assert flat.verdict == "PASS" and abs(flat.estimate) < 0.05
    assert flat.control["rejected"]                                  # claiming O~(1) instead is rejected
    assert "log-log slope along the ladder" in flat.detail


def test_omega_and_vanishing_readings():
    shrinks = judge_empirical(Order("q = Omega(k)", quantity=q, order=k, notation="Omega", size=k), {},
                              _ladder(0.0), 0.05, 16)
    assert shrinks.verdict == "FAIL"                                 # C = q/k decays like 1/k
    decays = judge_empirical(Order("q = o(1)", quantity=q, order=1, notation="o", size=k), {}, _ladder(-0.5), 0.05, 16)
    stays = judge_empirical(Order("q = o(1)", quantity=q, order=1, notation="o", size=k), {}, _ladder(0.0), 0.05, 16)
    assert decays.verdict == "PASS" and stays.verdict != "PASS"


def test_the_constant_is_reported_at_the_largest_size_whatever_the_ladder_order():
    data = _ladder(1.0)
    reversed_data = {"q": data["q"][:, ::-1], "k": data["k"][::-1]}
    claim = Order("q = O~(k)", quantity=q, order=k, notation="O~", size=k)
    forward, backward = (judge_empirical(claim, {}, d, 0.05, 16) for d in (data, reversed_data))
    expected = (data["q"][:, -1] / SIZES[-1]).mean()                  # C at k = 160
    assert forward.observed == pytest.approx(expected) and backward.observed == pytest.approx(expected)
    assert forward.verdict == backward.verdict == "PASS"
