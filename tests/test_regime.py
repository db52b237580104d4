"""Issue #18, points 1-3: a claim judged where a stated assumption does not hold is never FAIL and never
blocks; the data's own verdict is kept beside it. The same false claim inside its regime FAILs (the
negative control of the rule). What uses a failing result keeps its own verdict; its *support* says
whether the chain is broken (a FOUND statement fails: a finding) or unverified (a RECONSTRUCTED one
fails, or a link is outside its regime). A dependency that ERRORs still BLOCKS."""
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

    def broken_check(params, replicas, seeds, device):
        raise RuntimeError("the simulation diverged")

    def result(slug, claims, uses=(), check=None, assumptions=(), mu_value=1.0, tag="FOUND (primary)"):
        return Result(id=f"regime/{slug}", kind=Kind.LEMMA, number=slug, title=slug, paper=PAPER, statement="x",
                      parameters=(Parameter("mu", "mean"),), profiles={"quick": {"mu": mu_value}, "full": {"mu": mu_value}},
                      replicas={"quick": 32, "full": 64}, measures={"x": "sample mean"}, check=check,
                      claims=claims, uses=uses, assumptions=assumptions, tag=tag)

    TWO = (Identity("two", lhs=sp.Integer(2), rhs=sp.Integer(2)),)

    FALSE = (Bound("mean <= mu / 2", quantity=x, relation="<=", bound=mu / 2),)
    RESULTS = [
        # the same false claim on the same data (mu = 1); only the stated regime differs
        result("lemma-inside", FALSE, check=gaussian_mean, assumptions=(sp.Ge(mu, 0.5),)),
        result("lemma-outside", FALSE, check=gaussian_mean, assumptions=(sp.Ge(mu, 100),)),
        result("lemma-reconstructed", FALSE, check=gaussian_mean, tag="R-low"),
        result("lemma-error", FALSE, check=broken_check),
        result("theorem-on-inside", TWO, uses=("regime/lemma-inside",)),
        result("theorem-on-outside", TWO, uses=("regime/lemma-outside",)),
        result("theorem-on-reconstructed", TWO, uses=("regime/lemma-reconstructed",)),
        result("theorem-on-error", TWO, uses=("regime/lemma-error",)),
        result("corollary-two-levels-up", TWO, uses=("regime/theorem-on-inside",)),
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


def test_a_false_found_claim_inside_its_regime_fails_and_breaks_the_chain(records):
    by_id, printed = records
    inside = by_id["regime/lemma-inside"]
    assert inside["regime"] == "inside" and inside["verdict"] == "FAIL" and inside["data_verdict"] == "FAIL"
    assert inside["provenance"]["origin"] == "found" and inside["support"] == "supported"
    user = by_id["regime/theorem-on-inside"]
    assert user["verdict"] == "SYMBOLIC" and user["blocked_by"] == []       # its own evidence is kept
    assert user["support"] == "broken"
    assert user["support_weak_links"] == [{"id": "regime/lemma-inside", "verdict": "FAIL", "reason": "broken proof step"}]
    above = by_id["regime/corollary-two-levels-up"]                         # the chain is followed transitively
    assert above["support"] == "broken" and above["support_weak_links"][0]["id"] == "regime/lemma-inside"
    assert "support: broken; weak links of the proof chain: lemma-inside FAIL (broken proof step)" in printed


def test_a_failing_reconstruction_leaves_its_user_unverified_not_broken(records):
    by_id, printed = records
    assert by_id["regime/lemma-reconstructed"]["verdict"] == "FAIL"
    assert by_id["regime/lemma-reconstructed"]["provenance"]["label"] == "RECONSTRUCTED (R-low)"
    user = by_id["regime/theorem-on-reconstructed"]
    assert user["verdict"] == "SYMBOLIC" and user["support"] == "unverified"
    assert user["support_weak_links"][0]["reason"] == "our reconstruction fails"
    assert "RECONSTRUCTED (R-low)" in printed


def test_a_dependency_that_errors_still_blocks(records):
    by_id, _ = records
    assert by_id["regime/lemma-error"]["verdict"] == "ERROR"
    user = by_id["regime/theorem-on-error"]
    assert user["verdict"] == "BLOCKED" and user["own_verdict"] == "SYMBOLIC"
    assert user["blocked_by"] == ["regime/lemma-error"]


def test_the_same_data_outside_the_regime_is_not_fail_and_blocks_nothing(records):
    by_id, printed = records
    outside = by_id["regime/lemma-outside"]
    assert outside["regime"] == "outside" and outside["assumptions_violated"]
    assert outside["verdict"] == "INCONCLUSIVE" and outside["data_verdict"] == "FAIL"
    assert outside["claims"][0]["verdict"] == "FAIL"  # the measurement and its judgement are kept and shown
    assert "mu >= 100" in outside["note"] and "would give FAIL" in outside["note"]
    user = by_id["regime/theorem-on-outside"]
    assert user["verdict"] == "SYMBOLIC" and user["blocked_by"] == []
    assert user["support"] == "unverified"
    assert user["support_weak_links"][0]["reason"] == "outside its stated regime"
    assert "outside the stated regime" in printed
