"""A check's code: loading it from ``"module:function"``, its stable name, and the digest of its source
that keys the measurement cache and the spec hash."""
from __future__ import annotations

import ast
import importlib
import importlib.util
import inspect
import os
import sys
from types import ModuleType
from typing import Callable, Mapping

import numpy as np
import sympy as sp

from verifier.running import seeds as seeding
from verifier.spec.results import Result

CheckFunction = Callable[..., Mapping[str, np.ndarray]]


def load_check(check: str | CheckFunction) -> CheckFunction:
    """The check function named by ``"module:function"`` (or given directly by a plugin)."""
    if callable(check):
        return check
    module_name, _, function = check.partition(":")
    return getattr(importlib.import_module(module_name), function)


def check_name(check: str | CheckFunction) -> str:
    return check if isinstance(check, str) else f"{check.__module__}:{check.__qualname__}"


#: Parsed source per module, keyed by the module object and its file's stat: a run asks for the same
#: check's digest once per result that reads it (25 times for huang2022's corollary), and parsing the
#: check's modules each time cost about 3 s of a warm run; an edited file has a new stat, so a new entry.
_SOURCE_CACHE: dict[tuple[int, str, tuple[int, int] | None], tuple[str, list[tuple[str, str, int]]]] = {}


def _file_stamp(module: ModuleType) -> tuple[int, int] | None:
    path = getattr(module, "__file__", None)
    try:
        stat = os.stat(path) if path else None
    except OSError:
        return None
    return (stat.st_mtime_ns, stat.st_size) if stat else None


def _parsed(module: ModuleType) -> tuple[str, list[tuple[str, str, int]]]:
    """The module's source and its import statements as ``(kind, name, level)``, parsed once per file
    version (``("", [])`` when the source cannot be read)."""
    key = (id(module), module.__name__, _file_stamp(module))
    if key not in _SOURCE_CACHE:
        try:
            source = inspect.getsource(module)
            tree = ast.parse(source)
        except (OSError, TypeError, SyntaxError):
            _SOURCE_CACHE[key] = ("", [])
            return _SOURCE_CACHE[key]
        imports: list[tuple[str, str, int]] = []
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                imports += [("import", alias.name, 0) for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                imports.append(("from", node.module or "", node.level))
                imports += [("name", alias.name, 0) for alias in node.names]
        _SOURCE_CACHE[key] = (source, imports)
    return _SOURCE_CACHE[key]


def _source(module: ModuleType) -> str:
    source, _ = _parsed(module)
    return source or inspect.getsource(module)


def _package_imports(module: ModuleType) -> list[str]:
    """Modules of the same top-level package that ``module`` imports (absolute or relative)."""
    package = module.__name__.split(".")[0]
    _, imports = _parsed(module)
    names: list[str] = []
    base = ""
    for kind, name, level in imports:
        if kind == "import":
            names.append(name)
        elif kind == "from":
            base = importlib.util.resolve_name("." * level + name, module.__package__) if level else name
            names.append(base)
        else:
            names.append(f"{base}.{name}")
    return [name for name in names if name.split(".")[0] == package and name in sys.modules]


def check_modules(check: str | CheckFunction) -> list[ModuleType]:
    """The module that defines the check and, transitively, the modules of its own package it imports
    (a check split over several files is versioned by all of them)."""
    root = inspect.getmodule(load_check(check))
    if root is None or root.__name__ == "__main__" and not getattr(root, "__file__", None):
        return [root] if root is not None else []
    seen: dict[str, ModuleType] = {root.__name__: root}
    todo = [root]
    while todo:
        for name in _package_imports(todo.pop()):
            if name not in seen:
                seen[name] = sys.modules[name]
                todo.append(seen[name])
    return [seen[name] for name in sorted(seen)]


def check_source_digest(check: str | CheckFunction) -> str:
    """Hash of the source of the check's modules (its code version)."""
    modules = check_modules(check)
    if len(modules) == 1:
        return seeding.digest(_source(modules[0]))
    return seeding.digest({module.__name__: _source(module) for module in modules})


def spec_hash(result: Result) -> str:
    """Hash of everything the verdict depends on in the spec, and the check's source code."""
    return seeding.digest({
        "id": result.id, "statement": result.statement, "reading": result.reading,
        "provenance": repr(result.provenance), "tag": result.tag, "readings": [repr(r) for r in result.readings],
        "shapes": {k: list(v) for k, v in result.shapes.items()},
        "parameters": [repr(p) for p in result.parameters], "profiles": result.profiles,
        "assumptions": [sp.srepr(a) for a in result.assumptions], "claims": [repr(c) for c in result.claims],
        "uses": list(result.uses), "check": check_name(result.check) if result.check else None,
        "check_source": check_source_digest(result.check) if result.check else "",
        "replicas": dict(result.replicas), "alpha": result.alpha})[:16]
