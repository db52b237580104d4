"""A check's code version and declared shapes without importing it (issue 21: a run answered from the
store imports neither the check's module nor torch)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from verifier.running import check_code, check_shapes
from verifier.running import registry as reg
from verifier.spec.results import Axis

ROOT = Path(__file__).resolve().parents[1]


def _built_in_checks() -> list[str]:
    registry = reg.load()
    return sorted({result.check for result in registry.results.values() if isinstance(result.check, str)})


def test_the_digest_read_from_files_equals_the_one_from_the_imported_modules():
    """For every built-in check, the sources found on disk are those of the modules the import brings in
    (same modules, same text), so the measurement cache keys did not change."""
    checks = _built_in_checks()
    assert len(checks) >= 20
    for check in checks:
        on_disk = check_code._sources_on_disk(check)
        assert on_disk is not None, check
        assert on_disk == check_code._sources_imported(check), check
    split = check_code._sources_on_disk("checks.modality_competition:joint_vs_unimodal")
    assert {"checks.modality_competition", "checks.modality_competition_model", "checks.modality_competition_fused",
            "checks.modality_competition_training", "checks.modality_competition_dynamics", "checks._params"} <= set(split)


def test_a_check_split_over_files_gets_a_new_digest_when_a_helper_file_changes(tmp_path, monkeypatch):
    package = tmp_path / "toy_split_checks"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "helper.py").write_text("SCALE = 2\n")
    (package / "main.py").write_text("from .helper import SCALE\n\n\ndef check(params, replicas, seeds, device):\n"
                                     "    return {}\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    before = check_code.check_source_digest("toy_split_checks.main:check")
    assert set(check_code._sources_on_disk("toy_split_checks.main:check")) == {"toy_split_checks.helper",
                                                                             "toy_split_checks.main"}
    (package / "helper.py").write_text("SCALE = 3  # edited\n")
    assert check_code.check_source_digest("toy_split_checks.main:check") != before
    assert "toy_split_checks.main" not in sys.modules   # versioned without importing it


def test_the_remembered_module_files_follow_an_edit_that_imports_a_new_module(tmp_path, monkeypatch):
    """The files of a check's modules are found once per process and kept while none of them changes; an
    edit that imports another module of the package (a new file) is seen at the next digest."""
    package = tmp_path / "toy_growing_checks"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "main.py").write_text("def check(params, replicas, seeds, device):\n    return {}\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    first = check_code.check_source_digest("toy_growing_checks.main:check")
    assert check_code.check_source_digest("toy_growing_checks.main:check") == first
    (package / "extra.py").write_text("OFFSET = 1\n")
    (package / "main.py").write_text("from .extra import OFFSET\n\n\ndef check(params, replicas, seeds, device):\n"
                                     "    return {}\n")
    assert set(check_code._sources_on_disk("toy_growing_checks.main:check")) == {"toy_growing_checks.extra",
                                                                               "toy_growing_checks.main"}
    second = check_code.check_source_digest("toy_growing_checks.main:check")
    (package / "extra.py").write_text("OFFSET = 22\n")
    assert check_code.check_source_digest("toy_growing_checks.main:check") not in (first, second)


def test_declared_shapes_are_kept_on_disk_per_source_version(tmp_path, monkeypatch):
    monkeypatch.setenv("VERIFY_CACHE_DIR", str(tmp_path / "cache"))
    package = tmp_path / "toy_shaped_checks"
    package.mkdir()
    (package / "__init__.py").write_text("")
    source = textwrap.dedent('''
        from verifier import Axis

        def check(params, replicas, seeds, device):
            return {}

        check.shapes = {"events": ("events",), "grid": ("replica", Axis("model", ("joint", 0.5)), 3)}
    ''')
    (package / "shaped.py").write_text(source)
    monkeypatch.syspath_prepend(str(tmp_path))
    expected = {"events": ("events",), "grid": ("replica", Axis("model", ("joint", 0.5)), 3)}
    assert check_shapes.check_shapes("toy_shaped_checks.shaped:check") == expected
    assert len(list((tmp_path / "cache" / "check-shapes").glob("*.json"))) == 1

    def no_import(check):
        raise AssertionError(f"imported {check}")

    monkeypatch.setattr(check_shapes, "load_check", no_import)
    assert check_shapes.check_shapes("toy_shaped_checks.shaped:check") == expected   # from the disk
    (package / "shaped.py").write_text(source.replace('("events",)}', '("events",), "x": ("replica",)}')
                                       .replace('"events": ("events",), "grid"', '"grid"'))
    with pytest.raises(AssertionError, match="imported toy_shaped_checks.shaped:check"):
        check_shapes.check_shapes("toy_shaped_checks.shaped:check")   # edited: read again

    def plugin(params, replicas, seeds, device):
        return {}

    plugin.shapes = {"m": ("replica", 2)}
    assert check_shapes.check_shapes(plugin) == {"m": ("replica", 2)}


def test_a_run_answered_from_the_store_imports_no_check_and_no_torch(tmp_path):
    """The second run of the same result reads its measurements from the store: the check's digest and
    its declared shapes come from its files and the disk cache, so neither it nor torch is imported."""
    probe = textwrap.dedent('''
        import json, sys
        from verifier.interfaces import cli
        code = cli.main(["theorem", "huang2022/lemma-a.3", "--device", "cpu", "--quiet"])
        heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("torch", "checks"))
        print(json.dumps({"code": code, "heavy": heavy[:5]}), file=sys.stderr)
    ''')
    env = {**os.environ, "PYTHONPATH": str(ROOT), "VERIFY_STORE": str(tmp_path / "s.sqlite"),
           "VERIFY_CACHE_DIR": str(tmp_path / "cache")}
    reports = []
    for _ in range(2):
        proc = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=300,
                              env=env, check=False)
        reports.append(json.loads(proc.stderr.strip().splitlines()[-1]))
    assert reports[0]["code"] == 0 and "torch" in reports[0]["heavy"]   # the first run trains
    assert reports[1] == {"code": 0, "heavy": []}
