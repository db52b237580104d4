"""The registry's lazy loading: the spec index (cached, rebuilt on any edit) answers listing and the
graph; a paper's module is imported only when one of its results is asked for."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from verifier.running import registry as reg
from verifier.running import spec_index
from verifier.running.spec_index import Entry, LazyResults, ModuleIndex

ROOT = Path(__file__).resolve().parents[1]


def test_index_is_cached_and_rebuilt_when_a_source_changes(tmp_path, monkeypatch):
    monkeypatch.setenv("VERIFY_CACHE_DIR", str(tmp_path / "cache"))
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "paper.py").write_text("RESULTS = []\n")
    built: list[str] = []
    entry = Entry("p/lemma-1", "lemma", "1", "p", True, ("p/fact-0",), ())

    def build(name: str) -> ModuleIndex:
        built.append(name)
        return ModuleIndex(name, f"{name} (built-in)", (entry,), ())

    first = spec_index.load(["pkg.paper"], [str(package)], build)
    again = spec_index.load(["pkg.paper"], [str(package)], build)
    assert built == ["pkg.paper"] and again == first and again[0].entries == (entry,)
    (package / "paper.py").write_text("RESULTS = []  # edited\n")
    spec_index.load(["pkg.paper"], [str(package)], build)
    assert built == ["pkg.paper", "pkg.paper"]
    spec_index.load(["pkg.paper", "pkg.other"], [str(package)], build)   # another module list: rebuilt
    assert len(built) == 4


def test_an_import_failure_is_not_cached(tmp_path, monkeypatch):
    """A module that fails to import may be fixed by the environment (not its source): indexed again."""
    monkeypatch.setenv("VERIFY_CACHE_DIR", str(tmp_path / "cache"))
    calls: list[str] = []

    def broken(name: str) -> ModuleIndex:
        calls.append(name)
        return ModuleIndex(name, name, (), ((name, "", "import", "ModuleNotFoundError: no module named x"),))

    for _ in range(2):
        assert spec_index.load(["m"], [str(tmp_path)], broken)[0].problems[0][2] == "import"
    assert calls == ["m", "m"] and not list((tmp_path / "cache").glob("*.json"))


def test_a_deferred_result_imports_its_module_on_first_access(tmp_path, monkeypatch):
    (tmp_path / "lazy_paper_mod.py").write_text(textwrap.dedent('''
        from verifier import Kind, Paper, Result
        PAPER = Paper("lazy", "A lazy paper", ("nobody",), 2025)
        RESULTS = [Result(id="lazy/lemma-1", kind=Kind.LEMMA, number="1", title="t", paper=PAPER,
                          statement="x", claims=(), tag="FOUND")]
    '''))
    monkeypatch.syspath_prepend(str(tmp_path))
    results = LazyResults()
    entry = Entry("lazy/lemma-1", "lemma", "1", "lazy", False)
    results.defer(entry, "lazy_paper_mod")
    assert list(results) == ["lazy/lemma-1"] and "lazy/lemma-1" in results
    assert results.entry("lazy/lemma-1") == entry and "lazy_paper_mod" not in sys.modules
    result = results["lazy/lemma-1"]
    assert "lazy_paper_mod" in sys.modules and result is sys.modules["lazy_paper_mod"].RESULTS[0]
    results.defer(Entry("lazy/gone", "lemma", "2", "lazy", False), "lazy_paper_mod")
    with pytest.raises(LookupError, match="lazy/gone is in the spec index of lazy_paper_mod"):
        results["lazy/gone"]


def test_the_index_agrees_with_the_imported_specs():
    """Every built-in result's indexed id, kind, paper and edges equal those of the imported Result."""
    registry = reg.load(autoload=False)
    assert len(registry.results) > 100
    for rid in registry.results:
        assert registry.entry(rid) == Entry.of(registry.results[rid]), rid


def test_list_and_graph_import_no_paper_module_nor_torch(tmp_path):
    reg.load(autoload=False)   # writes the index into this session's VERIFY_CACHE_DIR
    probe = textwrap.dedent('''
        import json, sys
        from verifier.interfaces import cli
        codes = [cli.main(["list", "--no-autoload"]), cli.main(["graph", "corollary-5.3", "--no-autoload"])]
        heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("torch", "theorems", "checks", "matplotlib", "scipy"))
        print(json.dumps({"codes": codes, "heavy": [m for m in heavy if m != "theorems"]}), file=sys.stderr)
    ''')
    env = {**os.environ, "PYTHONPATH": str(ROOT), "VERIFY_STORE": str(tmp_path / "s.sqlite")}
    proc = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120, env=env,
                          check=False)
    report = json.loads(proc.stderr.strip().splitlines()[-1])
    assert report == {"codes": [0, 0], "heavy": []}, proc.stderr
    assert "huang2022/corollary-5.3" in proc.stdout and "|-- huang2022/claim-a.10 [not run]" in proc.stdout


def test_verify_plan_reads_the_power_module_without_scipy():
    # `verify plan` needs power.POWER and power.replicas_needed only: 1 s of scipy.stats start-up saved
    probe = textwrap.dedent('''
        import sys
        from verifier.judging import power
        needed = power.replicas_needed(0.2, 16, 0.1)
        print(needed, sorted({m.split(".")[0] for m in sys.modules} & {"scipy", "torch"}))
    ''')
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120, env=env,
                          check=False)
    assert proc.stdout.split() == ["64", "[]"], proc.stderr


def test_describe_imports_only_the_modules_of_the_checks_users(tmp_path):
    reg.load(autoload=False)
    probe = textwrap.dedent('''
        import json, sys
        from verifier.interfaces import cli
        code = cli.main(["describe", "gaussian_max_facts", "--no-autoload"])
        papers = sorted(m for m in sys.modules if m.startswith("theorems."))
        print(json.dumps({"code": code, "papers": papers}), file=sys.stderr)
    ''')
    env = {**os.environ, "PYTHONPATH": str(ROOT), "VERIFY_STORE": str(tmp_path / "s.sqlite")}
    proc = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120, env=env,
                          check=False)
    report = json.loads(proc.stderr.strip().splitlines()[-1])
    assert report["code"] == 0 and [p for p in report["papers"] if "huang2022" not in p] == [], proc.stderr
    assert "used by 1 result: huang2022/lemma-a.1" in proc.stdout and "reversal_events" in proc.stdout
