"""`verify theorem corollary-5.3 --profile quick --device cpu --json ...` through the real CLI, in a
separate process, on the real huang2022 specs and simulation."""
import json
import subprocess
import sys

import pytest

CHAIN = ["huang2022/definition-4.1", "huang2022/definition-a.2", "huang2022/lemma-a.1", "huang2022/lemma-a.3",
         "huang2022/property-6.1", "huang2022/theorem-5.1", "huang2022/theorem-5.2", "huang2022/corollary-5.3"]


@pytest.fixture(scope="module")
def corollary_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("e2e")
    out = folder / "run.json"
    proc = subprocess.run([sys.executable, "-m", "verifier.interfaces.cli", "theorem", "corollary-5.3", "--profile", "quick",
                           "--device", "cpu", "--json", str(out), "--store", str(folder / "store.sqlite")],
                          capture_output=True, text=True, timeout=900)
    return proc, json.loads(out.read_text())


def test_exit_code_agrees_with_verdicts(corollary_run):
    proc, run = corollary_run
    verdicts = [r["verdict"] for r in run["results"]]
    assert proc.returncode == (0 if all(v in ("PASS", "SYMBOLIC") for v in verdicts) else 1), proc.stderr
    assert "huang2022/corollary-5.3" in proc.stdout and "reproduce: verify theorem huang2022/corollary-5.3" in proc.stdout


def test_whole_chain_in_dependency_order(corollary_run):
    _, run = corollary_run
    ids = [r["id"] for r in run["results"]]
    assert set(CHAIN) <= set(ids)  # and the appendix's proof tree (issue 3):
    assert {"huang2022/lemma-a.14", "huang2022/lemma-a.15", "huang2022/theorem-a.20"} <= set(ids)
    for record in run["results"]:
        for dependency in record["uses"]:
            assert ids.index(dependency) < ids.index(record["id"])


def test_symbolic_results_are_proved(corollary_run):
    _, run = corollary_run
    records = {r["id"]: r for r in run["results"]}
    assert records["huang2022/definition-4.1"]["verdict"] == "SYMBOLIC"
    assert records["huang2022/definition-a.2"]["verdict"] == "SYMBOLIC"


def test_json_carries_what_reproduces_the_run(corollary_run):
    _, run = corollary_run
    assert run["options"]["profile"] == "quick" and run["options"]["device"] == "cpu"
    assert run["environment"]["torch"] != "not installed" and run["environment"]["sympy"]
    corollary = run["results"][-1]
    assert corollary["id"] == "huang2022/corollary-5.3"
    assert len(corollary["spec_hash"]) == 16 and corollary["replicas"] >= 16 and corollary["seeds"]
    assert corollary["parameters"]["sigma0"] == 1e-4 and corollary["parameters"]["d"] == 400
    assert corollary["reading"] and corollary["assumptions_violated"] == []
    for claim in corollary["claims"]:
        assert claim["verdict"] in ("PASS", "FAIL", "INCONCLUSIVE", "SYMBOLIC")
        if claim["statistic"] != "sympy":
            assert claim["control"] is not None and claim["alpha"] == 0.05 and claim["n"] >= 16


def test_measured_errors_match_the_note(corollary_run):
    """The note (section 5) measured, in this regime, best uni-modal error ~0.10 (mu1 = 0.1), jointly
    trained encoders far worse than their uni-modal counterparts, and zero joint training error."""
    _, run = corollary_run
    measured = run["results"][-1]["measurements"]
    assert 0.07 < measured["test_err_uni1"]["mean"] < 0.14
    assert 0.15 < measured["test_err_uni2"]["mean"] < 0.27
    assert measured["test_err_joint"]["mean"] >= 0.9 * measured["test_err_uni1"]["mean"]
    assert measured["test_err_enc1"]["mean"] > 1.5 * measured["test_err_uni1"]["mean"]
    assert measured["test_err_enc2"]["mean"] > 1.5 * measured["test_err_uni2"]["mean"]
    assert measured["train_err_joint"]["mean"] == 0.0
