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


def test_strict_plugins_exits_2_before_running(plugin, tmp_path, capsys):
    (plugin.parent / "broken.py").write_text("def broken(:\n")
    code = main(["theorem", "me2026/lemma-a.1-m8", "--plugin", str(plugin.parent), "--device", "cpu",
                 "--strict-plugins", "--store", str(tmp_path / "s.sqlite")])
    err = capsys.readouterr().err
    assert code == 2
    assert "verify: error: --strict-plugins: 1 plugin problem, the first: " in err and "broken.py" in err
    assert "SyntaxError" in err
    assert not (tmp_path / "s.sqlite").exists()  # nothing was run
