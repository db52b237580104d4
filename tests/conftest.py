"""Shared fixtures: an isolated results store for every test."""
from __future__ import annotations

import json

# pytester's inline runs (tests/test_ecosystem.py) restore sys.modules when they end, and a C extension first
# imported inside one cannot be imported again in this process. The CLI now imports the heavy stack lazily,
# so import it once here, before any inline run.
import matplotlib.backends.backend_svg  # noqa: F401
import numpy.fft  # noqa: F401
import pytest
import scipy.stats  # noqa: F401
import torch  # noqa: F401


@pytest.fixture(autouse=True)
def isolated_store(tmp_path, monkeypatch):
    """Point the default store at a temporary file so tests never touch the user's cache."""
    path = tmp_path / "store.sqlite"
    monkeypatch.setenv("VERIFY_STORE", str(path))
    return path

pytest_plugins = ["pytester"]


@pytest.fixture(autouse=True, scope="session")
def isolated_spec_index(tmp_path_factory):
    """Keep the registry's spec index (a cache) out of the user's cache folder."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("VERIFY_CACHE_DIR", str(tmp_path_factory.mktemp("spec-index")))
        yield


@pytest.fixture(scope="module")
def paper_run(request, tmp_path_factory):
    """`verify paper <PAPER_KEY of the test module>` through the CLI, once per module: (exit code, JSON run)."""
    from verifier.interfaces import cli

    key = request.module.PAPER_KEY
    folder = tmp_path_factory.mktemp(key)
    code = cli.main(["paper", key, "--device", "cpu", "--store", str(folder / "s.sqlite"), "--json", str(folder / "r.json")])
    return code, json.loads((folder / "r.json").read_text())
