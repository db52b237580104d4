"""Issue #18, point 7: every judged claim states the smallest violation its data could detect (power
0.8) and the slack of its bound; a PASS that could not have failed is flagged "no power" and shown so;
`verify plan` prints the replicas needed for a violation of a given size."""
import json
import math
import textwrap

import numpy as np
import pytest
import sympy as sp
from scipy import stats

from verifier import Bound, Probability
from verifier.interfaces.cli import main
from verifier.judging import acceptance, power
from verifier.judging.evaluate import judge_empirical

x, e = sp.symbols("x e")


def _values(mean: float, n: int = 32) -> dict[str, np.ndarray]:
    z = np.random.default_rng(3).normal(size=n)
    return {"x": (z - z.mean()) / z.std(ddof=1) + mean}     # sample sd exactly 1


def test_a_tight_bound_pass_has_power_and_a_slack_one_has_none():
    control = Bound("control: x >= 5", quantity=x, relation=">=", bound=5)
    tight = judge_empirical(Bound("x <= 2", quantity=x, bound=2), {}, _values(1.5), 0.05)
    slack = judge_empirical(Bound("x <= 50", quantity=x, bound=50, explicit_control=control), {}, _values(1.5), 0.05)
    assert tight.verdict == slack.verdict == "PASS"
    t = stats.t.ppf(0.975, 31) + stats.t.ppf(0.8, 31)
    assert tight.power["mde"] == pytest.approx(t / math.sqrt(32), rel=1e-9)     # about 0.52 with sd 1
    assert tight.power["slack_ratio"] == pytest.approx(2 / 1.5) and not tight.power["no_power"]
    assert slack.power["slack_ratio"] == pytest.approx(50 / 1.5) and slack.power["no_power"]
    assert "slack by 33.3x" in slack.power["reason"] and "no power" in slack.detail
    assert tight.relation == "<= 0" and tight.estimate == pytest.approx(-0.5)   # decided on quantity - bound


def test_a_probability_bound_smaller_than_the_detectable_violation_has_no_power():
    """'w.h.p.': P[bad] <= e^{-ln^2 k} = 0.004982 judged on 1000 draws with no bad event: a violation
    of the bound's own size cannot be seen (about 0.0085 is needed); P >= 0.9 on 97 of 100 can."""
    good = np.r_[np.ones(97), np.zeros(3)]
    outcome = judge_empirical(Probability("p >= 0.9", event=e, relation=">=", value=0.9, control_value=0.999),
                              {}, {"e": good}, 0.05)
    assert outcome.verdict == "PASS" and not outcome.power["no_power"] and outcome.power["scale"] == pytest.approx(0.1)
    whp = judge_empirical(Probability("w.h.p.", event=e, relation="<=", value=0.004982), {}, {"e": np.zeros(1000)}, 0.05)
    assert whp.power["no_power"] and "exceeds the claim's own scale" in whp.power["reason"]
    assert whp.power["mde"] == pytest.approx(0.0085, abs=0.001)


def test_the_exact_binomial_mde_has_the_stated_power():
    interval = acceptance.clopper_pearson(2, 400, 0.05)
    mde = power.minimum_detectable(interval, (-math.inf, 0.01), 0.05)
    # at p = 0.01 + mde the exact test FAILs (count above its critical value) with probability 0.8
    critical = next(k for k in range(401) if stats.binom.sf(k - 1, 400, 0.01) < 0.025)
    assert stats.binom.sf(critical - 1, 400, 0.01 + mde) == pytest.approx(0.8, abs=1e-6)
    assert power.replicas_needed(0.4, 32, 0.1) == 512 and power.replicas_needed(0.1, 32, 0.4) == 2


PLUGIN = textwrap.dedent('''
    import numpy as np
    import sympy as sp
    from verifier import Bound, Kind, Paper, Parameter, Result

    x = sp.Symbol("x")
    def values(params, replicas, seeds, device):
        z = np.random.default_rng(3).normal(size=replicas)
        return {"x": (z - z.mean()) / z.std(ddof=1) + 1.5}

    RESULTS = [Result(id="plan/lemma-1", kind=Kind.LEMMA, number="1", title="t", statement="s", tag="FOUND (primary)",
                      paper=Paper("plan", "P", ("A",), 2026), parameters=(Parameter("a", "unused"),),
                      profiles={"quick": {"a": 1.0}, "full": {"a": 1.0}}, replicas={"quick": 32, "full": 32},
                      measures={"x": "values"}, check=values, claims=(Bound("x <= 2", quantity=x, bound=2),)),
               Result(id="plan/lemma-2", kind=Kind.LEMMA, number="2", title="t", statement="s", tag="FOUND (primary)",
                      paper=Paper("plan", "P", ("A",), 2026), parameters=(Parameter("a", "unused"),),
                      profiles={"quick": {"a": 1.0}, "full": {"a": 1.0}}, replicas={"quick": 32, "full": 32},
                      measures={"x": "values"}, check=values,
                      claims=(Bound("x <= 4 (x in [-10, 10])", quantity=x, bound=4, support=(-10, 10)),))]
''')


def test_verify_plan_prints_the_replicas_for_an_effect(tmp_path, capsys):
    plugin = tmp_path / "plan_plugin.py"
    plugin.write_text(PLUGIN)
    common = ["--plugin", str(plugin), "--no-autoload", "--store", str(tmp_path / "s.sqlite")]
    assert main(["plan", "plan/lemma-1", *common]) == 2
    assert "run `verify theorem plan/lemma-1` first" in capsys.readouterr().err
    assert main(["theorem", "plan/lemma-1", "--device", "cpu", *common]) == 0
    capsys.readouterr()
    assert main(["plan", "plan/lemma-1", "--effect", "0.26", *common]) == 0
    *_, row, adaptive_line = capsys.readouterr().out.splitlines()
    mde = (stats.t.ppf(0.975, 31) + stats.t.ppf(0.8, 31)) / math.sqrt(32)
    assert row.split()[-3:] == [str(math.ceil(32 * (mde / 0.26) ** 2)), "fixed", "n"]  # ~4x the replicas for half the MDE
    assert adaptive_line == ("--adaptive runs all 32 replicas, as a fixed run does: 1 of 1 empirical claims cannot "
                             "stop early: no support (range of its quantity) is declared (1 claim)")
    main(["theorem", "plan/lemma-2", "--device", "cpu", *common])  # its verdict does not matter here: a stored run
    capsys.readouterr()
    assert main(["plan", "plan/lemma-2", *common]) == 0
    *_, row, adaptive_line = capsys.readouterr().out.splitlines()
    assert row.endswith("may stop early") and adaptive_line.startswith("--adaptive may stop before 32 replicas")
    assert main(["plan", "plan/lemma-1", "--effect", "-1", *common]) == 2
