"""Issue #18, point 1: a claim judged where a stated assumption does not hold is never FAIL and never
blocks; the data's own verdict is kept beside it. The same false claim inside its regime FAILs and
blocks (the negative control of the rule)."""
import json
import textwrap

import pytest

from verifier.interfaces.cli import main

PLUGIN = textwrap.dedent('''
    import numpy as np
    import sympy as sp
    from verifier import Bound, Identity, Kind, Paper, Parameter, Result

    PAPER = Paper(key="regime", title="Regime", authors=("A",), year=2026)
    x, mu = sp.symbols("x mu")

    def gaussian_mean(params, replicas, seeds, device):
        return {"x": np.array([np.random.default_rng(s).normal(params["mu"], 1, 200).mean() for s in seeds])}

    def result(slug, claims, uses=(), check=None, assumptions=(), mu_value=1.0):
        return Result(id=f"regime/{slug}", kind=Kind.LEMMA, number=slug, title=slug, paper=PAPER, statement="x",
                      parameters=(Parameter("mu", "mean"),), profiles={"quick": {"mu": mu_value}, "full": {"mu": mu_value}},
                      replicas={"quick": 32, "full": 64}, measures={"x": "sample mean"}, check=check,
                      claims=claims, uses=uses, assumptions=assumptions)

    FALSE = (Bound("mean <= mu / 2", quantity=x, relation="<=", bound=mu / 2),)
    RESULTS = [
        # the same false claim on the same data (mu = 1); only the stated regime differs
        result("lemma-inside", FALSE, check=gaussian_mean, assumptions=(sp.Ge(mu, 0.5),)),
        result("lemma-outside", FALSE, check=gaussian_mean, assumptions=(sp.Ge(mu, 100),)),
        result("theorem-on-inside", (Identity("two", lhs=sp.Integer(2), rhs=sp.Integer(2)),), uses=("regime/lemma-inside",)),
        result("theorem-on-outside", (Identity("two", lhs=sp.Integer(2), rhs=sp.Integer(2)),), uses=("regime/lemma-outside",)),
    ]
''')


@pytest.fixture
def records(tmp_path, capsys):
    plugin = tmp_path / "regime_plugin.py"
    plugin.write_text(PLUGIN)
    out = tmp_path / "run.json"
    code = main(["paper", "regime", "--plugin", str(plugin), "--device", "cpu", "--no-autoload",
                 "--store", str(tmp_path / "store.sqlite"), "--json", str(out)])
    printed = capsys.readouterr().out
    assert code == 1  # the inside-regime FAIL
    return {r["id"]: r for r in json.loads(out.read_text())["results"]}, printed


def test_a_false_claim_inside_its_regime_fails_and_blocks(records):
    by_id, _ = records
    inside = by_id["regime/lemma-inside"]
    assert inside["regime"] == "inside" and inside["verdict"] == "FAIL" and inside["data_verdict"] == "FAIL"
    assert by_id["regime/theorem-on-inside"]["verdict"] == "BLOCKED"
    assert by_id["regime/theorem-on-inside"]["blocked_by"] == ["regime/lemma-inside"]


def test_the_same_data_outside_the_regime_is_not_fail_and_blocks_nothing(records):
    by_id, printed = records
    outside = by_id["regime/lemma-outside"]
    assert outside["regime"] == "outside" and outside["assumptions_violated"]
    assert outside["verdict"] == "INCONCLUSIVE" and outside["data_verdict"] == "FAIL"
    assert outside["claims"][0]["verdict"] == "FAIL"  # the measurement and its judgement are kept and shown
    assert "mu >= 100" in outside["note"] and "would give FAIL" in outside["note"]
    assert by_id["regime/theorem-on-outside"]["verdict"] == "SYMBOLIC"
    assert by_id["regime/theorem-on-outside"]["blocked_by"] == []
    assert "outside the stated regime" in printed
