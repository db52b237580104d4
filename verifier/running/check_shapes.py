"""The measurement shapes a check declares (its function's ``shapes`` attribute), kept on disk.

Reading the attribute means importing the check's module, and with it torch: about 1.5 s of a run
whose measurements all come from the store (issue 21). The declaration is stored under the check's
name and the digest of its source (:func:`verifier.running.check_code.check_source_digest`, read from
its files without importing them), so an edited check is read again. Entries live in
``<cache_dir>/check-shapes`` (see :func:`verifier.running.spec_index.cache_dir`); an unreadable or
unwritable cache only costs the import.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from verifier.running.check_code import (
    CheckFunction,
    check_name,
    check_source_digest,
    load_check,
)
from verifier.running.spec_index import cache_dir, write_cache_entry
from verifier.spec.results import Axis

FORMAT = 1


def _encode(axis: Any) -> Any:
    if isinstance(axis, Axis):
        return {"axis": axis.name, "labels": list(axis.labels)}
    return axis


def _decode(axis: Any) -> Any:
    if isinstance(axis, dict):
        return Axis(axis["axis"], tuple(axis["labels"]))
    return axis


def _path(check: str) -> Path:
    key = hashlib.sha256(f"{FORMAT} {check} {check_source_digest(check)}".encode()).hexdigest()
    return cache_dir() / "check-shapes" / f"{key}.json"


def _read(path: Path) -> dict[str, tuple] | None:
    try:
        stored = json.loads(path.read_text())
        return {name: tuple(_decode(axis) for axis in axes) for name, axes in stored.items()}
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


def check_shapes(check: str | CheckFunction) -> dict[str, tuple]:
    """The shapes the check declares (``{}`` when it declares none): a plugin's function is asked
    directly; a check named ``"module:function"`` is answered from the disk cache when its source is
    unchanged, else imported and its answer kept."""
    if callable(check):
        return dict(getattr(check, "shapes", {}) or {})
    path = _path(check_name(check))
    cached = _read(path)
    if cached is not None:
        return cached
    shapes = {name: tuple(axes) for name, axes in (getattr(load_check(check), "shapes", {}) or {}).items()}
    try:
        text = json.dumps({name: [_encode(axis) for axis in axes] for name, axes in shapes.items()})
    except (TypeError, ValueError):  # a declaration JSON cannot hold is answered, just not kept
        return shapes
    write_cache_entry(path, text)
    return shapes
