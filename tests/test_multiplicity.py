"""Issue #18, point 6: every empirical claim carries the p-values dual to its interval, and a run
controls its family of claims (Holm by default) before a FAIL stands; the JSON and the terminal say
which verdicts the correction changed."""
import json
import math
import textwrap

import numpy as np
import pytest

from verifier.interfaces.cli import main
from verifier.judging import acceptance, multiplicity

# 20 claims that hold comfortably and one borderline false claim (t = 2.744 on 32 replicas: p_fail = 0.010)
PLUGIN = textwrap.dedent('''
    import numpy as np
    import sympy as sp
    from verifier import Bound, Kind, Paper, Parameter, Result

    PAPER = Paper(key="family", title="Family", authors=("A",), year=2026)
    x, shift = sp.symbols("x shift")

    def shifted_standard_values(params, replicas, seeds, device):
        z = np.random.default_rng(7).normal(size=replicas)
        z = (z - z.mean()) / z.std(ddof=1)          # mean 0, sample standard deviation 1 exactly
        return {"x": z + params["shift"]}

    def result(slug, shift_value):
        return Result(id=f"family/{slug}", kind=Kind.LEMMA, number=slug, title=slug, paper=PAPER, statement="x",
                      parameters=(Parameter("shift", "mean"),), profiles={"quick": {"shift": shift_value},
                      "full": {"shift": shift_value}}, replicas={"quick": 32, "full": 32}, measures={"x": "values"},
                      check=shifted_standard_values, tag="FOUND (primary)",
                      claims=(Bound("mean <= 1", quantity=x, relation="<=", bound=1),))

    RESULTS = [result(f"lemma-true-{i}", -5.0) for i in range(20)] + [result("lemma-borderline", 1 + 2.744 / np.sqrt(32))]
''')


@pytest.fixture
def plugin(tmp_path):
    path = tmp_path / "family_plugin.py"
    path.write_text(PLUGIN)
    return str(path)


def _run(tmp_path, capsys, plugin, *extra):
    out = tmp_path / "run.json"
    main(["paper", "family", "--plugin", plugin, "--no-autoload", "--device", "cpu", "--store",
          str(tmp_path / "s.sqlite"), "--json", str(out), *extra])
    return json.loads(out.read_text()), capsys.readouterr().out


def test_holm_turns_a_borderline_fail_in_a_family_of_21_into_inconclusive(tmp_path, capsys, plugin):
    run, printed = _run(tmp_path, capsys, plugin)
    borderline = next(r for r in run["results"] if r["id"] == "family/lemma-borderline")
    claim = borderline["claims"][0]
    assert claim["p_fail"] == pytest.approx(0.010, abs=0.001)          # alone it fails at alpha = 0.05
    assert claim["p_fail_adjusted"] == pytest.approx(21 * claim["p_fail"], rel=1e-6)
    assert claim["verdict"] == "INCONCLUSIVE" and claim["verdict_before_correction"] == "FAIL"
    assert borderline["verdict"] == "INCONCLUSIVE"
    assert run["family"]["method"] == "holm" and run["family"]["size"] == 21 and run["family"]["alpha"] == [0.05]
    assert run["family"]["changed"] == [{"id": "family/lemma-borderline", "claim": "mean <= 1",
                                         "p_fail": claim["p_fail"], "p_fail_adjusted": claim["p_fail_adjusted"]}]
    assert "holm correction over 21 empirical claims" in printed and "1 FAIL verdict(s) changed" in printed


def test_without_correction_the_same_data_fail(tmp_path, capsys, plugin):
    run, _ = _run(tmp_path, capsys, plugin, "--correction", "none")
    borderline = next(r for r in run["results"] if r["id"] == "family/lemma-borderline")
    assert borderline["verdict"] == "FAIL" and run["family"]["changed"] == []
    true_claims = [r["claims"][0] for r in run["results"] if r["id"] != "family/lemma-borderline"]
    assert all(c["p_pass"] < 1e-20 and c["p_fail"] == 1.0 for c in true_claims)


def test_p_values_are_dual_to_the_intervals():
    """p_fail < alpha exactly when the interval lies outside the region, p_pass < alpha exactly when it
    lies inside, for t intervals of means and slopes and for Clopper-Pearson."""
    rng = np.random.default_rng(0)
    for i in range(600):
        kind = i % 3
        if kind == 0:
            interval = acceptance.mean_interval(rng.normal(rng.normal(), 1, rng.integers(2, 40)), 0.05)
            lower, upper = sorted(rng.normal(interval.estimate, 0.5, 2))
        elif kind == 1:
            n = int(rng.integers(5, 200))
            interval = acceptance.clopper_pearson(int(rng.integers(0, n + 1)), n, 0.05)
            lower, upper = sorted(rng.uniform(0, 1, 2))
        else:
            x = np.linspace(0, 1, 10)
            interval = acceptance.slope_interval(x, rng.normal() * x + rng.normal(0, 1, 10), 0.05)
            lower, upper = sorted(rng.normal(interval.estimate, 0.5, 2))
        lower = -math.inf if i % 7 == 0 else lower
        verdict = acceptance.decide(interval, lower, upper).value
        p_fail, p_pass = acceptance.p_fail(interval, lower, upper), acceptance.p_pass(interval, lower, upper)
        assert verdict == ("FAIL" if p_fail < 0.05 else "PASS" if p_pass < 0.05 else "INCONCLUSIVE")


def test_corrections_and_the_intersection_union_test():
    p = [0.01, 0.02, 0.03, 0.5]
    assert multiplicity.adjust(p, "holm") == pytest.approx([0.04, 0.06, 0.06, 0.5])
    assert multiplicity.adjust(p, "bonferroni") == pytest.approx([0.04, 0.08, 0.12, 1.0])
    assert multiplicity.adjust(p, "bh") == pytest.approx([0.04, 0.04, 0.04, 0.5])
    assert multiplicity.adjust(p, "none") == p
    assert multiplicity.intersection_union([0.01, None, 0.2]) == 0.2
    with pytest.raises(ValueError, match="holm"):
        multiplicity.adjust(p, "sidak")


READING_PLUGIN = PLUGIN.replace(
    'from verifier import Bound, Kind, Paper, Parameter, Result',
    'from verifier import Bound, Kind, Paper, Parameter, Result\n'
    'from verifier.spec.readings import Reading\n'
    'LEVEL = Reading(name="level", word="O(1)", means="c = 1", symbol="c", value=1.0,\n'
    '                alternatives={"c = 0.99": 0.99, "c = 0": 0.0})',
).replace('claims=(Bound("mean <= 1", quantity=x, relation="<=", bound=1),))',
          'readings=(LEVEL,) if slug == "lemma-borderline" else (),\n'
          '                      claims=(Bound("mean <= 1", quantity=x, relation="<=",\n'
          '                                    bound=sp.Symbol("c") if slug == "lemma-borderline" else 1),))')


def test_reading_variants_are_held_to_the_same_family_correction(tmp_path, capsys):
    """A variant's FAIL that would not survive the run's Holm correction is INCONCLUSIVE, as its default
    reading's claim is: the result then depends on the reading only through the variant that truly fails."""
    path = tmp_path / "family_reading_plugin.py"
    path.write_text(READING_PLUGIN)
    run, printed = _run(tmp_path, capsys, str(path), "--readings", "all")
    borderline = next(r for r in run["results"] if r["id"] == "family/lemma-borderline")
    assert borderline["claims"][0]["verdict_before_correction"] == "FAIL" and borderline["verdict"] == "INCONCLUSIVE"
    variants = {v["label"]: v for v in borderline["reading_variants"]}
    assert variants["c = 0.99"]["claims"] == ["INCONCLUSIVE"]          # p_fail about 0.008: not after Holm over 21
    assert variants["c = 0.99"]["p_fail"][0] < 0.05
    assert variants["c = 0"]["claims"] == ["FAIL"]                     # mean 1.49 against 0: survives
    assert borderline["reading_dependent"] is True
    run_none, _ = _run(tmp_path, capsys, str(path), "--readings", "all", "--correction", "none")
    uncorrected = next(r for r in run_none["results"] if r["id"] == "family/lemma-borderline")
    assert {v["label"]: v["verdict"] for v in uncorrected["reading_variants"]} == {"c = 0.99": "FAIL", "c = 0": "FAIL"}
    assert uncorrected["reading_dependent"] is False                   # FAIL under every reading


@pytest.mark.parametrize("method, reference", [("holm", "holm"), ("bonferroni", "bonferroni"), ("bh", "fdr_bh")])
def test_adjusted_p_values_equal_statsmodels(method: str, reference: str):
    """The numpy corrections against statsmodels' multipletests, with ties, zeros and ones."""
    from statsmodels.stats.multitest import multipletests

    rng = np.random.default_rng(11)
    for p in (rng.uniform(size=40) ** 3, np.array([0.01, 0.01, 0.04, 0.0, 1.0, 0.03, 0.2]), np.array([0.5])):
        np.testing.assert_allclose(multiplicity.adjust(p, method), multipletests(p, method=reference)[1], rtol=1e-12)
    assert multiplicity.adjust([], method) == []
