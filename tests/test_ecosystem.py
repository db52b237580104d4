"""Where users already work: the pytest plugin, notebooks (Python API, HTML display), the plugin
template, and terminal options."""
import subprocess
import sys

import pytest

import verifier
from tests.test_adaptive import PLUGIN as SEQUENTIAL_PLUGIN
from tests.test_registry_cli import PLUGIN
from verifier.interfaces.cli import main
from verifier.running.store import Store


@pytest.fixture
def plugin(tmp_path):
    path = tmp_path / "toy_plugin.py"
    path.write_text(PLUGIN)
    return str(path)


def test_pytest_plugin_collects_results_as_tests(pytester, plugin, tmp_path):
    result = pytester.runpytest("--verify-theorems", "--verify-plugin", plugin, "--verify-device", "cpu",
                                "--verify-store", str(tmp_path / "s.sqlite"), "-k", "toy", "-p", "no:cacheprovider")
    # toy: lemma-true PASS, lemma-symbolic SYMBOLIC, theorem-good SYMBOLIC; lemma-false FAIL; theorem-blocked
    # keeps its own SYMBOLIC verdict (its support, unverified, does not decide the outcome: see the README)
    result.assert_outcomes(passed=4, failed=1)
    result.stdout.fnmatch_lines(["*toy/lemma-false*FAIL*"])


@pytest.fixture
def sequential_plugin(tmp_path):
    path = tmp_path / "seq_plugin.py"
    path.write_text(SEQUENTIAL_PLUGIN)
    return str(path)


def test_pytest_plugin_takes_adaptive_and_seeds(pytester, sequential_plugin, tmp_path):
    store = tmp_path / "s.sqlite"
    result = pytester.runpytest("--verify-theorems", "--verify-plugin", sequential_plugin, "--verify-device", "cpu",
                                "--verify-store", str(store), "--verify-adaptive", "--verify-seeds", "2",
                                "-k", "lemma-clear", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
    stored = Store(store)
    try:
        record = stored.latest("seq/lemma-clear")
    finally:
        stored.close()
    # rate ~ mean of 20 uniforms (0.5) <= 0.8 with support [0, 1]: decided in the first round of 32 of 256
    assert record["adaptive"]["used"] == 32 and record["adaptive"]["maximum"] == 256
    assert record["stability"] == {"seeds": [0, 1], "verdicts": ["PASS", "PASS"], "stable": True}
    bad = pytester.runpytest("--verify-theorems", "--verify-seeds", "0", "-p", "no:cacheprovider")
    assert bad.ret == pytest.ExitCode.USAGE_ERROR
    bad.stderr.fnmatch_lines(["*--verify-seeds*expected a positive integer, got 0*"])


def test_pytest_plugin_is_inert_without_option(pytester):
    pytester.makepyfile("def test_nothing():\n    pass\n")
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=1)


def test_python_api_returns_plain_structures(plugin, tmp_path):
    run = verifier.run("toy/lemma-true", device="cpu", plugins=[plugin], store=tmp_path / "s.sqlite")
    assert run.verdict is verifier.Verdict.PASS and run.ok
    values = run.measurements["toy/lemma-true"]["x"]
    assert values.shape == (32,) and abs(values.mean() - 1.0) < 0.05  # means of N(1, 1) samples
    record = run.results["toy/lemma-true"]
    assert record["claims"][0]["observed"] == pytest.approx(values.mean())
    assert "<table>" in run._repr_html_() and "toy/lemma-true" in run._repr_html_()


def test_python_api_adaptive_reports_the_replicas_used(sequential_plugin, tmp_path):
    run = verifier.run("seq/lemma-clear", device="cpu", plugins=[sequential_plugin], store=tmp_path / "s.sqlite",
                       adaptive=True)
    record = run.results["seq/lemma-clear"]
    assert run.verdict is verifier.Verdict.PASS
    assert record["claims"][0]["replicas_used"] == 32 and record["claims"][0]["replicas_maximum"] == 256
    assert run.measurements["seq/lemma-clear"]["rate"].shape == (32,)  # the arrays the claim was judged on


def test_python_api_seeds_report_stability(plugin, tmp_path):
    run = verifier.run("toy/lemma-true", device="cpu", plugins=[plugin], store=tmp_path / "s.sqlite", seeds=3)
    assert [r.options.seed for r in run.runs] == [0, 1, 2] and run.record is run.runs[0]
    # mean of N(1, 1) replica means, 32 replicas, against 1.5: PASS under every seed
    assert run.results["toy/lemma-true"]["stability"] == {"seeds": [0, 1, 2], "verdicts": ["PASS"] * 3, "stable": True}
    with pytest.raises(ValueError, match="seeds must be a positive integer, got 0"):
        verifier.run("toy/lemma-true", device="cpu", plugins=[plugin], store=tmp_path / "s.sqlite", seeds=0)


def test_result_html_escapes_spec_text():
    from theorems.huang2022 import COROLLARY_5_3

    evil = COROLLARY_5_3.__class__(**{**COROLLARY_5_3.__dict__, "title": "<script>alert(1)</script>"})
    html = evil._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "huang2022/corollary-5.3" in html and "$$" in html


def test_new_spec_template_passes_its_own_test(tmp_path, capsys):
    assert main(["new-spec", "smith2025", "--dir", str(tmp_path)]) == 0
    package = tmp_path / "smith2025-specs"
    assert (package / "pyproject.toml").read_text().count('smith2025 = "smith2025_specs.specs"') == 1
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(package / "tests")],
                          capture_output=True, text=True, cwd=package, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert main(["new-spec", "smith2025", "--dir", str(tmp_path)]) == 2
    assert main(["new-spec", "Bad Key", "--dir", str(tmp_path)]) == 2


def test_quiet_and_verbose(plugin, capsys):
    assert main(["theorem", "lemma-true", "--plugin", plugin, "--device", "cpu", "--quiet"]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines() == ["PASS         toy/lemma-true"] and err == ""
    main(["theorem", "lemma-true", "--plugin", plugin, "--device", "cpu", "--verbose"])
    out, _ = capsys.readouterr()
    assert "measured x: mean" in out


def test_ray_executor_gathers_into_the_same_store(plugin, tmp_path, capsys):
    """`verify paper --executor ray` on a local Ray instance: same verdicts and measurements as the
    in-process run, gathered into the driver's store."""
    pytest.importorskip("ray", reason="Ray is the optional extra theory-verifier[ray]")
    import json

    local, distributed = tmp_path / "local.json", tmp_path / "ray.json"
    main(["paper", "toy", "--plugin", plugin, "--device", "cpu", "--json", str(local), "--store", str(tmp_path / "a.sqlite")])
    code = main(["paper", "toy", "--plugin", plugin, "--device", "cpu", "--json", str(distributed), "--executor", "ray",
                 "--store", str(tmp_path / "b.sqlite")])
    assert code == 1  # toy/lemma-false FAILs, as in-process
    by_id = lambda path: {r["id"]: r for r in json.loads(path.read_text())["results"]}  # noqa: E731
    a, b = by_id(local), by_id(distributed)
    assert {k: r["verdict"] for k, r in a.items()} == {k: r["verdict"] for k, r in b.items()}
    assert a["toy/lemma-true"]["claims"][0]["observed"] == b["toy/lemma-true"]["claims"][0]["observed"]
    from verifier.running.store import Store

    store = Store(tmp_path / "b.sqlite")
    assert store.latest("toy/lemma-true")["verdict"] == "PASS"
    assert store.load_measurements(b["toy/lemma-true"]["measurement_key"])["x"].shape == (32,)
