"""Registry validation, the dependency graph and the CLI, on small plugin papers written per test."""
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from verifier.interfaces.cli import main
from verifier.running import registry as reg

PLUGIN = textwrap.dedent('''
    import numpy as np
    import sympy as sp
    from verifier import Bound, Identity, Kind, Paper, Parameter, Result

    PAPER = Paper(key="toy", title="Toy", authors=("A",), year=2026)
    x, mu = sp.symbols("x mu")

    def gaussian_mean(params, replicas, seeds, device):
        """Replica means of 200 N(mu, 1) draws, each replica from its own seed."""
        return {"x": np.array([np.random.default_rng(s).normal(params["mu"], 1, 200).mean() for s in seeds])}

    def result(slug, claims, uses=(), check=None):
        return Result(id=f"toy/{slug}", kind=Kind.LEMMA, number=slug, title=slug, paper=PAPER, statement="x",
                      parameters=(Parameter("mu", "mean"),), profiles={"quick": {"mu": 1.0}, "full": {"mu": 1.0}},
                      replicas={"quick": 32, "full": 64}, measures={"x": "sample mean"}, check=check,
                      claims=claims, uses=uses)

    RESULTS = [
        result("lemma-true", (Bound("mean <= 1.5 mu", quantity=x, relation="<=", bound=1.5 * mu),), check=gaussian_mean),
        result("lemma-false", (Bound("mean <= mu / 2", quantity=x, relation="<=", bound=mu / 2),), check=gaussian_mean),
        result("lemma-symbolic", (Identity("one", lhs=sp.Integer(1), rhs=sp.Integer(1)),)),
        result("theorem-good", (Identity("two", lhs=sp.Integer(2), rhs=sp.Integer(2)),), uses=("toy/lemma-true", "toy/lemma-symbolic")),
        result("theorem-blocked", (Identity("two", lhs=sp.Integer(2), rhs=sp.Integer(2)),), uses=("toy/lemma-false",)),
    ]
''')


@pytest.fixture
def plugin(tmp_path):
    path = tmp_path / "toy_plugin.py"
    path.write_text(PLUGIN)
    return str(path)


def run_cli(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_plugin_results_run_and_support_propagates(plugin, capsys, tmp_path):
    out_json = tmp_path / "run.json"
    code, out, _ = run_cli(capsys, "paper", "toy", "--plugin", plugin, "--device", "cpu", "--json", str(out_json))
    assert code == 1
    records = {r["id"]: r for r in json.loads(out_json.read_text())["results"]}
    assert records["toy/lemma-true"]["verdict"] == "PASS"
    assert records["toy/lemma-false"]["verdict"] == "FAIL"
    assert records["toy/theorem-good"]["verdict"] == "SYMBOLIC"
    blocked = records["toy/theorem-blocked"]
    # its own evidence stands; the failing lemma (no provenance declared: read as ours) leaves it unverified
    assert blocked["verdict"] == blocked["own_verdict"] == "SYMBOLIC" and blocked["blocked_by"] == []
    assert blocked["support"] == "unverified" and blocked["support_weak_links"][0]["id"] == "toy/lemma-false"
    # The false lemma's measurement: mean of 32 replica means of N(1, 1) draws is 1 within ~0.03.
    assert abs(records["toy/lemma-false"]["claims"][0]["observed"] - 1.0) < 0.05


def test_theorem_runs_dependencies_first_and_exit_zero(plugin, capsys):
    code, out, err = run_cli(capsys, "theorem", "theorem-good", "--plugin", plugin, "--device", "cpu")
    assert code == 0
    assert out.index("toy/lemma-symbolic") < out.index("toy/theorem-good")
    assert "reproduce: verify theorem toy/theorem-good" in out


def test_rerun_reproduces_and_hits_cache(plugin, capsys, tmp_path):
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    run_cli(capsys, "theorem", "toy/lemma-true", "--plugin", plugin, "--device", "cpu", "--json", str(first))
    run_cli(capsys, "theorem", "toy/lemma-true", "--plugin", plugin, "--device", "cpu", "--json", str(second))
    a, b = (json.loads(p.read_text())["results"][0] for p in (first, second))
    assert a["claims"][0]["observed"] == b["claims"][0]["observed"]
    assert not a["cache_hit"] and b["cache_hit"]
    code, out, _ = run_cli(capsys, "theorem", "toy/lemma-true", "--plugin", plugin, "--device", "cpu", "--seed", "7", "--no-cache")
    assert code == 0


def test_unknown_and_ambiguous_ids_exit_2(plugin, capsys, tmp_path):
    code, _, err = run_cli(capsys, "theorem", "lemma-tru", "--plugin", plugin)
    assert code == 2 and "did you mean" in err and "lemma-true" in err
    clash = tmp_path / "clash.py"
    clash.write_text(PLUGIN.replace('key="toy"', 'key="toy2"').replace('id=f"toy/', 'id=f"toy2/').replace('"toy/', '"toy2/'))
    code, _, err = run_cli(capsys, "theorem", "lemma-true", "--plugin", plugin, "--plugin", str(clash))
    assert code == 2 and "ambiguous" in err and "toy/lemma-true" in err and "toy2/lemma-true" in err
    code, _, err = run_cli(capsys, "paper", "nosuchpaper", "--plugin", plugin)
    assert code == 2 and "unknown paper" in err


def test_bad_option_values_exit_2(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["theorem", "corollary-5.3", "--replicas", "0"])
    assert exit_info.value.code == 2
    assert "positive integer" in capsys.readouterr().err


def test_broken_plugins_are_reported_and_isolated(plugin, tmp_path, capsys):
    (tmp_path / "syntax.py").write_text("def broken(:\n")
    (tmp_path / "cycle.py").write_text(PLUGIN.replace('key="toy"', 'key="cyc"').replace('"toy/', '"cyc/')
                                       .replace('id=f"toy/', 'id=f"cyc/')
                                       .replace('result("lemma-symbolic", (', 'result("lemma-symbolic", uses=("cyc/theorem-good",), claims=(')
                                       .replace('lhs=sp.Integer(1), rhs=sp.Integer(1)),)),', 'lhs=sp.Integer(1), rhs=sp.Integer(1)),)),'))
    (tmp_path / "missing.py").write_text(PLUGIN.replace('key="toy"', 'key="mis"').replace('"toy/', '"mis/')
                                         .replace('id=f"toy/', 'id=f"mis/').replace('"mis/lemma-false"', '"mis/nowhere"'))
    registry = reg.load([str(tmp_path)])
    problems = [str(p) for p in registry.problems]
    assert any("syntax.py" in p and "SyntaxError" in p for p in problems)
    assert any("cyc/lemma-symbolic" in p and "dependency cycle" in p for p in problems)
    assert any("mis/theorem-blocked" in p and "unknown result mis/nowhere" in p for p in problems)
    assert "toy/lemma-true" in registry.results and "mis/lemma-true" in registry.results
    assert "cyc/theorem-good" not in registry.results


def test_validation_names_field_and_reason(tmp_path):
    bad = PLUGIN.replace('bound=1.5 * mu),), check=gaussian_mean)', 'bound=1.5 * sp.Symbol("nu")),), check=gaussian_mean)')
    (tmp_path / "undefined.py").write_text(bad)
    registry = reg.load([str(tmp_path / "undefined.py")])
    assert any(p.result == "toy/lemma-true" and p.field == "claims" and "nu" in p.reason for p in registry.problems)


def test_list_and_graph(plugin, capsys):
    code, out, _ = run_cli(capsys, "list", "--plugin", plugin)
    assert code == 0 and "huang2022/corollary-5.3" in out and "toy/lemma-true" in out and "empirical" in out
    run_cli(capsys, "theorem", "theorem-blocked", "--plugin", plugin, "--device", "cpu")
    code, out, _ = run_cli(capsys, "graph", "theorem-blocked", "--plugin", plugin)
    assert code == 0
    assert out.splitlines()[0] == "toy/theorem-blocked [SYMBOLIC, unverified]"
    assert "toy/lemma-false [FAIL]" in out


def test_interrupted_run_keeps_finished_results(tmp_path, capsys):
    """Ctrl-C during a run: the results finished before it stay in the store."""
    interrupting = PLUGIN + textwrap.dedent('''
        def interrupt(params, replicas, seeds, device):
            raise KeyboardInterrupt

        RESULTS.append(result("theorem-interrupted", (Bound("never", quantity=x, relation="<=", bound=mu),),
                              uses=("toy/lemma-true",), check=interrupt))
    ''')
    path = tmp_path / "interrupting.py"
    path.write_text(interrupting)
    store_path = tmp_path / "store.sqlite"
    code, _, err = run_cli(capsys, "theorem", "theorem-interrupted", "--plugin", str(path), "--device", "cpu",
                           "--store", str(store_path))
    assert code == 130 and "interrupted: 1 finished results are kept in the store" in err   # Ctrl-C's exit code
    from verifier.running.store import Store

    store = Store(store_path)
    assert store.latest("toy/lemma-true")["verdict"] == "PASS"
    assert store.latest("toy/theorem-interrupted") is None


def test_html_report_from_cli_and_rerendered_from_store(plugin, capsys, tmp_path):
    code, out, _ = run_cli(capsys, "paper", "toy", "--plugin", plugin, "--device", "cpu", "--html", str(tmp_path / "a"))
    assert code == 1 and (tmp_path / "a" / "index.html").exists()
    summary = out.strip().splitlines()[-1]                       # one line ends every run
    assert summary.startswith("summary: ") and "FAIL 1" in summary and f"HTML {tmp_path / 'a' / 'index.html'}" in summary
    code, out, _ = run_cli(capsys, "report", str(tmp_path / "b"), "--plugin", plugin)
    assert code == 0
    first, second = ((tmp_path / d / "index.html").read_text() for d in ("a", "b"))
    assert "toy/theorem-blocked" in second and second.count("<svg") == first.count("<svg")
    typed = 'Options, as typed: <code class="argv">verify paper toy --plugin '      # the argv, at run and re-render
    assert typed in first and typed in second
    code, _, err = run_cli(capsys, "report", str(tmp_path / "c"), "--run", "nosuchrun", "--plugin", plugin)
    assert code == 2 and "nosuchrun" in err


def test_python_dash_m_verifier_runs_without_installing():
    """``python -m verifier`` is the CLI (the GPU runbook uses it from PYTHONPATH, uninstalled)."""
    root = Path(__file__).resolve().parents[1]
    proc = subprocess.run([sys.executable, "-m", "verifier", "list", "--no-autoload"], cwd=root, capture_output=True,
                          text=True, timeout=120, env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 0, proc.stderr
    assert "huang2022/corollary-5.3" in proc.stdout and "huang2024/lemma-c.9" in proc.stdout
    # the console entry (which skips the interpreter's last garbage collection) keeps main's exit status
    bad = subprocess.run([sys.executable, "-m", "verifier", "theorem", "no-such-result", "--no-autoload"], cwd=root,
                         capture_output=True, text=True, timeout=120, env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"})
    assert bad.returncode == 2 and "unknown result 'no-such-result'" in bad.stderr


def test_non_finite_parameters_and_a_check_that_exits_are_reported(plugin, capsys, tmp_path):
    """--param x=nan or inf is bad usage naming the range; a plugin check calling sys.exit() is that
    result's ERROR, not the end of the run."""
    for value in ("nan", "inf"):
        code, _, err = run_cli(capsys, "theorem", "lemma-true", "--plugin", plugin, "--device", "cpu",
                               "--param", f"mu={value}", "--store", str(tmp_path / "s.sqlite"))
        assert code == 2 and f"--param mu={value}: expected a finite number" in err
    exiting = Path(plugin).read_text() + textwrap.dedent('''
        import sys

        def leaves(params, replicas, seeds, device):
            sys.exit(3)

        RESULTS.append(result("lemma-exits", (Bound("never", quantity=x, relation="<=", bound=mu),), check=leaves))
    ''')
    path = tmp_path / "exiting.py"
    path.write_text(exiting)
    out_json = tmp_path / "run.json"
    code, out, _ = run_cli(capsys, "theorem", "lemma-exits", "--plugin", str(path), "--device", "cpu",
                           "--store", str(tmp_path / "s.sqlite"), "--json", str(out_json))
    record = json.loads(out_json.read_text())["results"][-1]
    assert code == 1 and record["verdict"] == "ERROR" and "sys.exit(3)" in record["exception"]
    assert out.strip().splitlines()[-1].startswith("summary: 1 results: ERROR 1")
