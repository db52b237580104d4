"""Shared fixtures: an isolated results store for every test."""
from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def isolated_store(tmp_path, monkeypatch):
    """Point the default store at a temporary file so tests never touch the user's cache."""
    path = tmp_path / "store.sqlite"
    monkeypatch.setenv("VERIFY_STORE", str(path))
    return path

pytest_plugins = ["pytester"]
