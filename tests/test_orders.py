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


def test_the_polylog_allowance_of_o_tilde_follows_the_ladder_and_its_degree():
    """A constant growing like ln k: O~ with one log factor admitted passes, with none it fails; the degree
    may be a symbol set by a reading (here through the parameters), and sizes <= 1 have no ln ln."""
    noise = np.random.default_rng(4).normal(1.0, 0.02, (16, SIZES.size))
    data = {"q": 3.0 * SIZES * np.log(SIZES) * noise, "k": SIZES}
    degree = sp.Symbol("polylog_degree")
    claim = Order("q = O~(k)", quantity=q, order=k, notation="O~", size=k, polylog_degree=degree)
    one_log = judge_empirical(claim, {"polylog_degree": 1.0}, data, 0.05, 16)
    no_log = judge_empirical(claim, {"polylog_degree": 0.0}, data, 0.05, 16)
    per_degree = np.polyfit(np.log(SIZES), np.log(np.log(SIZES)), 1)[0]      # 0.285 on [10, 160]
    assert one_log.estimate == pytest.approx(per_degree, abs=0.02)
    assert one_log.verdict == "PASS" and one_log.region[1] == pytest.approx(0.1 + per_degree)
    assert "admits a factor (ln size)^1" in one_log.detail
    assert no_log.verdict == "FAIL" and no_log.region[1] == pytest.approx(0.1)
    small = {"q": data["q"], "k": SIZES / 20}                                 # sizes 0.5 ... 8
    assert judge_empirical(claim, {"polylog_degree": 1.0}, small, 0.05, 16).verdict == "ERROR"
