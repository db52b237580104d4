"""``verify new-spec PAPER-KEY``: write a ready-to-edit plugin package that passes its own test."""
from __future__ import annotations

import re
from pathlib import Path

from verifier.presentation import atomic

TEMPLATES = Path(__file__).resolve().parent / "templates" / "plugin"
KEY = re.compile(r"^[a-z][a-z0-9_]*$")


class ScaffoldError(ValueError):
    """A paper key or target folder that cannot be used."""


def new_spec(key: str, parent: Path) -> Path:
    """Create ``parent/<key>-specs/`` with pyproject (entry point), specs, checks, a test and a README."""
    if not KEY.match(key):
        raise ScaffoldError(f"paper key {key!r}: expected lowercase letters, digits and '_', starting with a letter (e.g. smith2025)")
    package = f"{key}_specs"
    target = parent / f"{key}-specs"
    if target.exists():
        raise ScaffoldError(f"{target} already exists: choose another --dir or remove it")
    files = {
        "pyproject.toml": "pyproject.toml.tmpl", "README.md": "README.md.tmpl",
        f"{package}/__init__.py": None, f"{package}/specs.py": "specs.py.tmpl",
        f"{package}/checks.py": "checks.py.tmpl", "tests/test_specs.py": "test_specs.py.tmpl",
    }
    parent.mkdir(parents=True, exist_ok=True)
    with atomic.staged_folder(target) as staging:  # all files or none
        for relative, template in files.items():
            path = staging / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            text = "" if template is None else (TEMPLATES / template).read_text().format(key=key, package=package)
            path.write_text(text)
    return target
