"""The symbolic layer decides identities, limits and certified implications, and refutes false ones."""
import sympy as sp

from verifier.judging import symbolic
from verifier.judging.evaluate import judge_symbolic
from verifier.spec.claims import Identity, Implication, Limit

a, b, c = sp.symbols("a b c", positive=True)
z = sp.Symbol("z", real=True)


def test_identity_proved_and_refuted():
    assert judge_symbolic(Identity("square", lhs=(a + b) ** 2, rhs=a**2 + 2 * a * b + b**2)).verdict == "SYMBOLIC"
    assert judge_symbolic(Identity("false", lhs=sp.Integer(2), rhs=sp.Integer(3))).verdict == "FAIL"


def test_limit():
    assert judge_symbolic(Limit("sinc", expr=sp.sin(z) / z, var=z, point=0, value=1)).verdict == "SYMBOLIC"
    assert judge_symbolic(Limit("wrong", expr=sp.sin(z) / z, var=z, point=0, value=2)).verdict == "FAIL"


def test_implication_with_certificate():
    # a >= b and b >= c imply a >= c with multipliers (1, 1).
    claim = Implication("transitive", premises=(sp.Ge(a, b), sp.Ge(b, c)), conclusion=sp.Ge(a, c),
                        multipliers=(1, 1), positive=("a", "b", "c"))
    assert judge_symbolic(claim).verdict == "SYMBOLIC"
    # A wrong certificate (or a false implication) is not accepted.
    wrong = Implication("wrong", premises=(sp.Ge(a, b),), conclusion=sp.Ge(b, a), multipliers=(1,), positive=("a", "b"))
    assert judge_symbolic(wrong).verdict == "INCONCLUSIVE"


def test_contradiction_certificate():
    # a >= 2b and b >= a are contradictory for positive a, b: (a - 2b) + 2(b - a)... = -a < 0.
    claim = Implication("contradiction", premises=(sp.Ge(a, 2 * b), sp.Ge(b, a)), conclusion=sp.false,
                        multipliers=(1, 2), positive=("a", "b"))
    assert judge_symbolic(claim).verdict == "SYMBOLIC"


def test_assumptions_at_parameters():
    q, s = sp.symbols("q sigma0", positive=True)
    violated = symbolic.check_assumptions((sp.Ge(q, 3), sp.Le(s, sp.Rational(1, 1000))), {"q": 3, "sigma0": 0.1})
    assert violated == ["sigma0 <= 1/1000"]


def test_leading_exponent():
    n = sp.Symbol("n", positive=True)
    assert symbolic.leading_exponent(3 * n**2 + n, n) == 2
    assert symbolic.leading_exponent(sp.sqrt(n) * sp.log(n) ** 0, n) == sp.Rational(1, 2)


def test_evaluate_mixes_parameters_and_measurements():
    import numpy as np

    x = sp.Symbol("x")
    values = symbolic.evaluate(2 * x + a, {"a": 1.0}, {"x": np.array([0.0, 1.0])})
    assert values.tolist() == [1.0, 3.0]
    minimum = symbolic.evaluate(sp.Min(x, sp.Symbol("y")), {}, {"x": np.array([1.0, 5.0]), "y": np.array([2.0, 3.0])})
    assert minimum.tolist() == [1.0, 3.0]


def test_exponent_claim():
    from verifier.spec.claims import Exponent

    k, eta, q = sp.symbols("k eta q", positive=True)
    # Claim A.7 of huang2022: T_0 = k / (eta sigma0^(q-2)) with sigma0^(q-2) = 1/k is Theta(k^2).
    sigma0 = k ** (-1 / (q - 2))
    t0 = (k / (eta * sigma0 ** (q - 2))).subs(q, 3)
    assert judge_symbolic(Exponent("T0 = Theta(k^2)", expr=t0, var=k, value=2)).verdict == "SYMBOLIC"
    assert judge_symbolic(Exponent("T0 = Theta(k)", expr=t0, var=k, value=1)).verdict == "FAIL"


def test_per_replica_values_broadcast_against_a_grid():
    import numpy as np

    x, g = sp.symbols("x g")
    per_replica = np.array([1.0, 2.0, 3.0])            # (R,)
    grid = np.arange(12.0).reshape(3, 4)               # (R, G)
    values = symbolic.evaluate(x * g, {}, {"x": per_replica, "g": grid})
    assert values.shape == (3, 4) and values[2, 1] == 3.0 * grid[2, 1]


def test_implication_whose_conclusion_is_decided_by_positivity():
    claim = Implication("trivial", premises=(sp.Ge(a, b),), conclusion=sp.Ge(a, -b), multipliers=(0,), positive=("a", "b"))
    assert judge_symbolic(claim).verdict == "SYMBOLIC"


def test_compiled_evaluation_equals_substitution_and_falls_back_to_it():
    """`evaluate` calls the expression compiled once with the parameters as floats (issue 21); it agrees
    with substituting them first, and where it cannot give finite reals the substituted path answers,
    errors included."""
    import numpy as np
    import pytest

    x, g, d, n, delta = sp.symbols("x g d n delta")
    bound = sp.sqrt(sp.log(6 * n / delta)) * 200 * sp.sqrt(2) * n / d + sp.Heaviside(x - g, 0) + sp.erf(g) * x
    params = {"n": 100, "d": 400, "delta": 0.1, "g": 0.5}
    data = {"x": np.linspace(-2.0, 2.0, 9)}
    compiled = symbolic.evaluate(bound, params, data)
    substituted = symbolic._evaluate_substituted(bound, params, data)
    np.testing.assert_allclose(compiled, substituted, rtol=1e-13, atol=0)
    assert symbolic.evaluate(sp.Integer(3) / 4, {}).shape == () and float(symbolic.evaluate(n / d, params)) == 0.25
    with pytest.raises(KeyError, match="needs x, which is neither a parameter nor measured"):
        symbolic.evaluate(x + n, params)
    with pytest.raises(TypeError):  # sqrt(-1) is I to sympy: numpy's NaN is not taken for it
        symbolic.evaluate(sp.sqrt(g - 1), params)
    nan = symbolic.evaluate(x * n, params, {"x": np.array([np.nan, 1.0])})
    assert np.isnan(nan[0]) and nan[1] == 100.0
