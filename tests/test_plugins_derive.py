"""A researcher's own plugin: a spec derived from a built-in one, its reproduce line, plugin problems in
the run's record and summary, and ``--strict-plugins``."""
import json
import shlex
import textwrap

import pytest

from verifier import Bound, DeriveError, Paper, builtin, derive
from verifier.interfaces.cli import main

BASE = "huang2022/lemma-a.1"  # Gaussian maxima: a check of a few hundredths of a second at 4 replicas

DERIVED = textwrap.dedent('''
    from verifier import Paper, builtin, derive

    ME = Paper(key="me2026", title="Gaussian maxima at larger m", authors=("Me",), year=2026)
    RESULTS = [derive(builtin("huang2022/lemma-a.1"), id="me2026/lemma-a.1-m8", paper=ME,
                      parameters={"m": 8, "draws": 4000})]
''')


@pytest.fixture
def plugin(tmp_path):
    folder = tmp_path / "my plugins"  # a space: the reproduce line must quote the path
    folder.mkdir()
    path = folder / "mine.py"
    path.write_text(DERIVED)
    return path


def run_json(tmp_path, name, *argv):
    out = tmp_path / f"{name}.json"
    code = main([*argv, "--device", "cpu", "--quiet", "--json", str(out), "--store", str(tmp_path / "s.sqlite")])
    return code, json.loads(out.read_text())


def test_derived_spec_runs_and_its_reproduce_line_reruns_it(plugin, tmp_path, monkeypatch):
    code, run = run_json(tmp_path, "first", "theorem", "me2026/lemma-a.1-m8", "--plugin", str(plugin),
                         "--replicas", "4")
    assert code in (0, 1)
    record = run["results"][0]
    base = builtin(BASE)
    assert record["parameters"] == {**base.profiles["quick"], "m": 8, "draws": 4000}
    assert record["derived_from"] == {"id": BASE, "changes": "m = 8; draws = 4000"}
    assert [c["label"] for c in record["claims"]] == [c.label for c in base.claims]
    # E max of 8 standard Gaussians is 1.4236; 4 replicas of 4000 draws estimate it within a few hundredths
    assert abs(record["claims"][0]["observed"] - 1.4236) < 0.05
    assert f"--plugin {shlex.quote(str(plugin))}" in record["reproduce"]

    argv = shlex.split(record["reproduce"])
    assert argv[:2] == ["verify", "theorem"]
    monkeypatch.chdir(tmp_path.parent)  # the path is absolute: the line works from anywhere
    again_code, again = run_json(tmp_path, "again", *argv[1:])
    assert again_code == code
    assert again["results"][0]["claims"][0]["observed"] == record["claims"][0]["observed"]
    assert again["results"][0]["cache_hit"]  # same check, parameters and seeds: the same simulation


def test_derive_names_unknown_parameters_fields_and_ranges():
    base = builtin(BASE)
    me = Paper(key="me2026", title="t", authors=("A",), year=2026)
    with pytest.raises(DeriveError, match=r"unknown parameter 'sigam'; did you mean sigma\?"):
        derive(base, id="me2026/x", paper=me, parameters={"sigam": 2.0})
    with pytest.raises(DeriveError, match=r"'m' = 0 \(quick profile\) is outside its declared range \[1, None\]"):
        derive(base, id="me2026/x", paper=me, parameters={"m": {"quick": 0}})
    with pytest.raises(DeriveError, match=r"'m' = 2.5: expected an integer"):
        derive(base, id="me2026/x", paper=me, parameters={"m": 2.5})
    with pytest.raises(DeriveError, match=r"unknown profile 'quik'; did you mean quick\?"):
        derive(base, id="me2026/x", paper=me, parameters={"m": {"quik": 8}})
    with pytest.raises(DeriveError, match=r"'titel' is not a field a derivation can set; did you mean title\?"):
        derive(base, id="me2026/x", paper=me, titel="x")
    with pytest.raises(DeriveError, match=r"must start with 'huang2022/'.*paper=YOUR_PAPER"):
        derive(base, id="me2026/x")


def test_derive_replaces_a_claim_and_keeps_the_rest():
    base = builtin(BASE)
    me = Paper(key="me2026", title="t", authors=("A",), year=2026)
    claim = Bound("E max <= 1.5", quantity="mean_max", relation="<=", bound=1.5)
    derived = derive(base, id="me2026/x", paper=me, parameters={"m": {"full": 16}}, claims=[claim], replicas={"quick": 4})
    assert derived.claims == (claim,) and derived.replicas == {"quick": 4}
    assert derived.profiles["quick"] == base.profiles["quick"] and derived.profiles["full"]["m"] == 16
    assert (derived.check, derived.measures, derived.statement) == (base.check, base.measures, base.statement)
    assert derived.derived_from == BASE
    assert derived.derivation == "m = {'full': 16}; claims: E max <= 1.5; replicas changed"
    assert base.profiles["full"]["m"] == 4  # the base is untouched


def test_plugin_problems_are_in_the_summary_and_the_json(plugin, tmp_path, capsys):
    (plugin.parent / "broken.py").write_text("import no_such_module_anywhere\n")
    out = tmp_path / "run.json"
    code = main(["theorem", "me2026/lemma-a.1-m8", "--plugin", str(plugin.parent), "--device", "cpu",
                 "--replicas", "4", "--json", str(out), "--html", str(tmp_path / "html"),
                 "--store", str(tmp_path / "s.sqlite")])
    assert code in (0, 1)
    summary = [line for line in capsys.readouterr().out.splitlines() if line.startswith("summary:")]
    assert "1 plugin problem (not loaded, see the warnings above)" in summary[0]
    problems = json.loads(out.read_text())["plugin_problems"]
    assert problems == [{"source": str(plugin.parent / "broken.py"), "result": "", "field": "import",
                         "reason": "ModuleNotFoundError: No module named 'no_such_module_anywhere'"}]
    index = (tmp_path / "html" / "index.html").read_text()
    assert "Plugin problems: 1" in index and "no_such_module_anywhere" in index
    page = next((tmp_path / "html").glob("*lemma-a.1-m8*.html")).read_text()
    assert "derived from" in page and "huang2022/lemma-a.1: m = 8; draws = 4000" in page


def test_strict_plugins_exits_2_before_running(plugin, tmp_path, capsys):
    (plugin.parent / "broken.py").write_text("def broken(:\n")
    code = main(["theorem", "me2026/lemma-a.1-m8", "--plugin", str(plugin.parent), "--device", "cpu",
                 "--strict-plugins", "--store", str(tmp_path / "s.sqlite")])
    err = capsys.readouterr().err
    assert code == 2
    assert "verify: error: --strict-plugins: 1 plugin problem, the first: " in err and "broken.py" in err
    assert "SyntaxError" in err
    assert not (tmp_path / "s.sqlite").exists()  # nothing was run


GRID = textwrap.dedent('''
    import numpy as np
    import sympy as sp
    from verifier import Bound, Kind, Paper, Parameter, Result

    PAPER = Paper(key="grid", title="Grid", authors=("A",), year=2026)
    acc = sp.Symbol("acc")

    def accuracy_by_width(params, replicas, seeds, device):
        """Accuracy per replica at widths 1..5: 0.5 + 0.1 width, plus noise of 0.01."""
        noise = np.stack([np.random.default_rng(s).normal(0, 0.01, 5) for s in seeds])
        return {"acc": 0.5 + 0.1 * np.arange(1, 6) + noise}

    accuracy_by_width.shapes = {"acc": ("replica", "width")}

    RESULTS = [Result(
        id="grid/lemma-1", kind=Kind.LEMMA, number="1", title="accuracy at width 3", paper=PAPER, statement="a",
        parameters=(Parameter("lr", "learning rate", lower=0, upper=1),), profiles={"quick": {"lr": 0.1}},
        replicas={"quick": 8}, measures={"acc": "test accuracy per replica and width"}, check=accuracy_by_width,
        claims=(Bound("accuracy at width 3 >= 0.75", quantity=acc, relation=">=", bound=0.75, at={"width": 2}),))]
''')


def test_describe_lists_results_parameters_and_measurements(plugin, tmp_path, capsys):
    grid = tmp_path / "grid.py"
    grid.write_text(GRID)
    assert main(["describe", "me2026/lemma-a.1-m8", "--plugin", str(plugin)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "check checks.gaussian_maxima:gaussian_max_facts"
    assert out[1] == "used by 2 results: huang2022/lemma-a.1, me2026/lemma-a.1-m8"
    rows = {line.split()[0]: line.split() for line in out if line.startswith("  ")}
    assert rows["m"][:6] == ["m", "[1,", "+inf)", "integer", "4", "(huang2022/lemma-a.1),"]
    assert "8 (me2026/lemma-a.1-m8)" in " ".join(rows["m"])
    assert " ".join(rows["sigma"]) == "sigma [0, +inf) 1 1 standard deviation"
    assert " ".join(rows["mean_max"]) == "mean_max not declared mean of max_i X_i per replica"

    assert main(["describe", "accuracy_by_width", "--plugin", str(grid)]) == 0
    out = capsys.readouterr().out
    assert "  lr    [0, 1]  0.1    learning rate" in out
    assert "  acc   (replica, width)  test accuracy per replica and width" in out
    assert main(["list", "--checks", "--plugin", str(grid)]) == 0
    line = next(x for x in capsys.readouterr().out.splitlines() if ":accuracy_by_width" in x)
    assert line.split()[1:] == ["1", "1", "acc"]
    assert main(["describe", "acuracy_by_width", "--plugin", str(grid)]) == 2
    assert "verify: error: unknown check or result 'acuracy_by_width'; did you mean: accuracy_by_width" in \
        capsys.readouterr().err


def test_a_claim_reads_one_column_and_an_impossible_control_is_moved(tmp_path):
    grid = tmp_path / "grid.py"
    grid.write_text(GRID)
    code, run = run_json(tmp_path, "grid", "theorem", "grid/lemma-1", "--plugin", str(grid))
    claim = run["results"][0]["claims"][0]
    assert code == 0 and claim["verdict"] == "PASS"
    assert claim["observed"] == pytest.approx(0.8, abs=0.01) and claim["n"] == 8  # width 3, 8 replicas
    # the default control, accuracy >= 1.5, is beyond every value: it is moved to mean + 2 sd (about 0.82)
    control = claim["control"]
    assert control["rejected"] and 0.8 < control["claimed"] < 0.85
    assert "moved to mean + 2 sd of the replicas" in control["note"] and "1.5" in control["note"]
    # with 3 replicas the interval cannot resolve 2 sd: the control stands and the PASS is not earned
    code, run = run_json(tmp_path, "three", "theorem", "grid/lemma-1", "--plugin", str(grid), "--replicas", "3")
    claim = run["results"][0]["claims"][0]
    assert code == 1 and claim["verdict"] == "INCONCLUSIVE" and not claim["control"]["rejected"]
    # (the plugin's module name, and so its seeds, depend on its path: whether the 3-replica interval alone
    # decides the claim varies; the moved control is reported either way)
    assert "moved to mean + 2 sd of the replicas" in claim["control"]["note"]
    if claim["detail"]:
        assert "negative control" in claim["detail"] and "beyond every measured value" in claim["detail"]


def test_a_reachable_or_explicit_control_is_kept():
    import numpy as np
    import sympy as sp

    from verifier.judging.evaluate import judge_empirical

    x = sp.Symbol("x")
    values = {"x": np.array([1.2, 1.6, 2.1, 1.4, 1.8, 2.3, 1.5, 1.9])}  # mean 1.725; 2.1 and 2.3 reach 2
    kept = judge_empirical(Bound("x >= 1", quantity=x, relation=">=", bound=1), {}, values, 0.05)
    assert kept.control["claimed"] == pytest.approx(2.0) and "note" not in kept.control
    explicit = Bound("x >= 0.5", quantity=x, relation=">=", bound=0.5,
                     explicit_control=Bound("control: x >= 1.9", quantity=x, relation=">=", bound=1.9))
    assert judge_empirical(explicit, {}, values, 0.05).control["claimed"] == pytest.approx(1.9)
    moved = judge_empirical(Bound("x >= 1.3", quantity=x, relation=">=", bound=1.3), {}, values, 0.05)
    spread = float(np.std(values["x"], ddof=1))
    assert moved.control["claimed"] == pytest.approx(1.725 + 2 * spread)  # 2.6 was beyond every value
    assert moved.verdict == "PASS" and moved.control["rejected"]
    assert "negative control: the default control (bound x 2, 2.6) lies beyond every measured value" in moved.detail


def test_a_declared_range_gives_a_control_that_noisy_data_fail_to_reject():
    """Issue #20: with the quantity's range declared, the moved control (half-way from the bound to the range's
    end) does not look at the data: precise data reject it, noisy data near the bound do not."""
    import numpy as np
    import sympy as sp

    from verifier import Bound
    from verifier.judging.evaluate import judge_empirical

    claim = Bound("accuracy >= 0.75", quantity=sp.Symbol("acc"), relation=">=", bound=0.75, support=(0, 1))
    rng = np.random.default_rng(0)
    precise = judge_empirical(claim, {}, {"acc": 0.8 + 0.005 * rng.standard_normal(8)}, 0.05, 8)
    spread = np.array([0.70, 0.95, 0.80, 0.98, 0.85, 0.90, 0.78, 0.99])           # mean 0.869, sd 0.1
    noisy = judge_empirical(claim, {}, {"acc": spread}, 0.05, 8)
    assert precise.control["claimed"] == pytest.approx(0.875) and precise.control["rejected"]
    assert precise.verdict == "PASS" and "declared range [0, 1]" in precise.control["note"]
    assert noisy.control["claimed"] == pytest.approx(0.875) and not noisy.control["rejected"]
    assert noisy.verdict == "INCONCLUSIVE" and "was not rejected" in noisy.detail
