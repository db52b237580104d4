"""A Bound's declared ``support`` (the range of its quantity, issues 20 and 22): the negative control it
fixes before the data are seen, the same way for ``<=`` and ``>=`` bounds and for negative bounds; the
same control in an adaptive run; and the built-in specs' accuracies, errors and fractions that declare it."""
from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from verifier import Bound
from verifier.judging import adaptive
from verifier.judging.evaluate import judge_empirical

q = sp.Symbol("q")


def _judge(claim, values):
    values = np.asarray(values, dtype=float)
    return judge_empirical(claim, {}, {"q": values}, 0.05, values.size)


def _precise(centre, n=8, seed=0):
    return centre + 0.005 * np.random.default_rng(seed).standard_normal(n)


SPREAD = 0.18 * np.array([-1, 1, -1, 1, -1, 1, -1, 1])  # sd 0.19: a 95% t interval of +- 0.16 over 8 replicas


@pytest.mark.parametrize("relation, bound, moved, precise_at, noisy_at", [
    ("<=", -0.4, -0.7, -0.5, -0.6),   # halving -0.4 would loosen it to -0.2: moved half-way to the lower end, -1
    (">=", -0.5, 0.25, -0.2, 0.12),   # doubling -0.5 would loosen it to -1: moved half-way to the upper end, 1
])
def test_a_negative_bound_gets_a_stricter_control_inside_its_range(relation, bound, moved, precise_at, noisy_at):
    claim = Bound(f"cos {relation} {bound}", quantity=q, relation=relation, bound=bound, support=(-1, 1))
    precise = _judge(claim, _precise(precise_at))
    assert precise.control["claimed"] == pytest.approx(moved) and precise.control["rejected"]
    assert precise.verdict == "PASS" and "not stricter than the claim" in precise.control["note"]
    assert f"{'lower' if relation == '<=' else 'upper'} end of the declared range [-1, 1]" in precise.control["note"]
    # noisy data that satisfy the claim on average cannot tell it from the control: the PASS is not earned
    noisy = _judge(claim, noisy_at + SPREAD)  # the claim holds, but the interval reaches the control
    assert noisy.control["claimed"] == pytest.approx(moved) and not noisy.control["rejected"]
    assert noisy.verdict == "INCONCLUSIVE" and "was not rejected" in noisy.detail


@pytest.mark.parametrize("relation, bound, moved, precise_at, noisy", [
    # a fraction near 1: doubling 0.9 leaves [0, 1]; half-way to 1 is 0.95
    (">=", 0.9, 0.95, 0.92, [0.91, 0.99, 0.93, 1.0, 0.9, 0.98, 0.92, 0.97]),
    # a score on [-1, 1]: dividing 0.1 by 2 stays inside, and the default is kept
    ("<=", 0.1, 0.05, 0.08, [0.0, 0.09, -0.02, 0.1, 0.01, 0.08, 0.03, 0.06]),
])
def test_both_directions_precise_data_reject_the_control_and_noisy_data_do_not(relation, bound, moved,
                                                                               precise_at, noisy):
    claim = Bound(f"q {relation} {bound}", quantity=q, relation=relation, bound=bound,
                  support=(0, 1) if relation == ">=" else (-1, 1))
    precise = _judge(claim, _precise(precise_at))
    assert precise.control["claimed"] == pytest.approx(moved) and precise.control["rejected"]
    assert precise.verdict == "PASS"
    standing = _judge(claim, noisy)
    assert standing.control["claimed"] == pytest.approx(moved) and not standing.control["rejected"]
    assert standing.verdict == "INCONCLUSIVE"


def test_a_default_control_inside_the_range_is_kept_whatever_the_data():
    """The declared range fixes the control before the data: an in-range default (0.4 x 2 = 0.8, an error
    <= 0.2 / 2 = 0.1) is kept, never moved to the data's mean + 2 sd as an undeclared range's is."""
    above = Bound("acc >= 0.4", quantity=q, relation=">=", bound=0.4, support=(0, 1))
    below = Bound("err <= 0.2", quantity=q, relation="<=", bound=0.2, support=(0, 1))
    for values in (_precise(0.5), _precise(0.7, seed=3)):
        outcome = _judge(above, values)
        assert outcome.control["claimed"] == pytest.approx(0.8) and "note" not in outcome.control
    outcome = _judge(below, _precise(0.15))
    assert outcome.control["claimed"] == pytest.approx(0.1) and "note" not in outcome.control
    assert outcome.verdict == "PASS"
    # without the range, the same >= claim on the same data has its control moved to mean + 2 sd
    bare = _judge(Bound("acc >= 0.4", quantity=q, relation=">=", bound=0.4), _precise(0.5))
    assert bare.control["claimed"] < 0.52 and "mean + 2 sd" in bare.control["note"]


def test_the_adaptive_judge_uses_the_same_control_as_the_fixed_one():
    """accuracy >= 0.75 on [0, 1] with every replica near 0.9: the control accuracy >= 0.875 holds, so
    neither judge may PASS (against the raw default, accuracy >= 1.5, both would)."""
    claim = Bound("accuracy >= 0.75", quantity=q, relation=">=", bound=0.75, support=(0, 1))
    values = np.clip(_precise(0.9, n=64), 0, 1)
    fixed = _judge(claim, values)
    judged = adaptive.judge(claim, {}, {"q": values}, 0.05, values.size)
    assert fixed.verdict == "INCONCLUSIVE" and fixed.control["claimed"] == pytest.approx(0.875)
    assert judged.own.verdict(0.05) == "PASS" and judged.control.verdict(0.05) != "FAIL"
    assert judged.verdict == "undecided"
    # replicas near 0.8 reject both the claim's violation and the moved control: an adaptive PASS
    close = np.clip(_precise(0.8, n=128), 0, 1)
    assert adaptive.judge(claim, {}, {"q": close}, 0.05, close.size).verdict == "PASS"
    assert _judge(claim, close).verdict == "PASS"


# ----------------------------------------------------------------------------------------------------
# The built-in specs
# ----------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def results():
    from verifier.running import registry

    return registry.load().results


BOUNDED = {  # result id -> labels of its Bound claims on an accuracy, error rate or fraction
    "huang2024/table-1": ("single-modal OOD accuracy low (<= 0.5)", "multi-modal OOD accuracy high (>= 0.75)"),
    "huang2024/theorem-4.2": ("D_test error = Theta(1) (>= 0.1)",
                              "D_test error with the test noise orthogonal to mu = Theta(1) (>= 0.1)"),
    "huang2024/theorem-4.3": ("D_test error = o(1) (<= 0.05)",),
    "huang2024/figure-1": ("multi-modal OOD accuracy about 1 (error <= 0.05)",
                           "single-modal OOD accuracy about 0.5 (error >= 0.4)"),
    "huang2024/lemma-c.3": ("fraction of sign changes <= 1/(2m)",),
    "huang2024/lemma-c.7": ("fraction of I_- pairs with rho != 0 <= 0.01",),
    "huang2024/lemma-c.11": ("fraction of pairs meeting (22) at t = window_frac T1 >= 1 - delta",),
    "huang2024/lemma-d.3": ("mismatched fraction at the end <= 1/(2m)",),
    "huang2022/corollary-5.3": ("joint error >= (1 - o(1)) (p1 mu1 + p2 mu2)",),
    "huang2022/theorem-5.2": ("encoder 1 error >= (1 - o(1)) p_2", "encoder 2 error >= (1 - o(1)) p_1"),
    "lu2023/theorem-7": ("(ii) over-expressive unimodal ERM: error >= c = 2/5",
                         "(ii) under-expressive unimodal kNN: error >= c = 2/5"),
}


def test_the_accuracy_and_error_claims_declare_their_range(results):
    for rid, labels in BOUNDED.items():
        claims = {c.label: c for c in results[rid].claims}
        for label in labels:
            claim = claims[label]
            assert claim.support == (0, 1), (rid, label)
            control = claim.control()
            if isinstance(control, Bound) and claim.explicit_control is not None:  # adaptive needs its range too
                assert control.support == (0, 1), (rid, label)


def test_huang2024s_accuracies_errors_and_fractions_all_declare_their_range(results):
    """Every huang2024 Bound (with statistic 'mean') on a measurement its spec describes as an accuracy, an
    error or a fraction declares the range (0, 1)."""
    found = 0
    for rid in (r for r in results if r.startswith("huang2024/")):
        result = results[rid]
        for claim in result.claims:
            if not (isinstance(claim, Bound) and claim.statistic == "mean" and claim.quantity.is_Symbol):
                continue
            words = result.measures.get(str(claim.quantity), "")
            if any(w in words for w in ("accuracy", "probe error", "fraction")):
                found += 1
                assert claim.support == (0, 1), (rid, claim.label, words)
    assert found >= 10


def test_a_fraction_near_its_ceiling_gets_the_half_way_control(results):
    """Lemma C.11: the fraction of pairs meeting (22) >= 1 - delta; doubling 1 - delta leaves [0, 1], so the
    control is 1 - delta/2, the same whatever the data (before its range was declared it was the data's
    mean + 2 sd, which 4 or more replicas reject whatever they are)."""
    result = results["huang2024/lemma-c.11"]
    claim = result.claims[0]
    delta = result.profiles["quick"]["delta"]
    for centre in (1 - delta / 4, 1 - delta * 0.9):
        values = np.clip(_precise(centre, seed=7), 0, 1)
        outcome = judge_empirical(claim, dict(result.profiles["quick"]), {"c11_pair_frac": values}, 0.05, values.size)
        assert outcome.control["claimed"] == pytest.approx(1 - delta / 2)
        assert "declared range [0, 1]" in outcome.control["note"]


def test_lu2023s_unimodal_errors_get_a_control_fixed_before_the_data(results):
    """Theorem 7 (ii): error >= 2/5 with control_factor 1.5. Before the range was declared, errors all below
    0.6 moved the control to mean + 2 sd (0.51 at the quick profile), which 8 replicas reject whatever they
    are; now it is error >= 0.6 whatever the data: precise errors near 0.5 reject it, errors spread around
    0.55 do not."""
    result = results["lu2023/theorem-7"]
    params = dict(result.profiles["quick"])
    for claim in result.claims[1:3]:
        name = str(claim.quantity)
        assert claim.support == (0, 1) and claim.explicit_control is None
        precise = judge_empirical(claim, params, {name: _precise(0.5)}, 0.05, 8)
        assert precise.control["claimed"] == pytest.approx(0.6) and "note" not in precise.control
        assert precise.control["rejected"] and precise.verdict == "PASS"
        spread = judge_empirical(claim, params, {name: 0.55 + 0.5 * SPREAD}, 0.05, 8)
        assert spread.control["claimed"] == pytest.approx(0.6) and not spread.control["rejected"]
        assert spread.verdict == "INCONCLUSIVE"
