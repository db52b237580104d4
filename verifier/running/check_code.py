"""A check's code: loading it from ``"module:function"``, its stable name, and the digest of its source
that keys the measurement cache and the spec hash.

The digest of a check named by ``"module:function"`` is read from its files without importing them
(the module, and the modules of its package it imports, found on disk by their dotted names): a run
answered from the store then never imports the check's module, and with it torch (about 1.5 s, issue
21). A check given as a function (a plugin's), or one whose files cannot be found, is versioned from
its imported modules; both ways give the same digest (``tests/test_check_code.py``)."""
from __future__ import annotations

import ast
import importlib
import importlib.util
import inspect
import os
import sys
import tokenize
from pathlib import Path
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


def _import_statements(source: str) -> list[tuple[str, str, int]]:
    """The source's import statements as ``(kind, name, level)`` (SyntaxError when it does not parse)."""
    imports: list[tuple[str, str, int]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imports += [("import", alias.name, 0) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            imports.append(("from", node.module or "", node.level))
            imports += [("name", alias.name, 0) for alias in node.names]
    return imports


def _parsed(module: ModuleType) -> tuple[str, list[tuple[str, str, int]]]:
    """The module's source and its import statements, parsed once per file version (``("", [])`` when
    the source cannot be read)."""
    key = (id(module), module.__name__, _file_stamp(module))
    if key not in _SOURCE_CACHE:
        try:
            source = inspect.getsource(module)
            _SOURCE_CACHE[key] = (source, _import_statements(source))
        except (OSError, TypeError, SyntaxError):
            _SOURCE_CACHE[key] = ("", [])
    return _SOURCE_CACHE[key]


def _parsed_file(path: Path) -> tuple[str, list[tuple[str, str, int]]] | None:
    """A source file's text (decoded as Python reads it, as ``inspect.getsource`` returns it) and its
    import statements, parsed once per file version (None when it cannot be read or parsed)."""
    try:
        stat = path.stat()
    except OSError:
        return None
    key = (0, str(path), (stat.st_mtime_ns, stat.st_size))
    if key not in _SOURCE_CACHE:
        try:
            with tokenize.open(path) as handle:
                source = handle.read()
            _SOURCE_CACHE[key] = (source, _import_statements(source))
        except (OSError, SyntaxError, UnicodeDecodeError):
            return None
    return _SOURCE_CACHE[key] if _SOURCE_CACHE[key][0] else None


def _module_path(name: str) -> Path | None:
    """The ``.py`` file of module ``name`` found on disk without importing it: the top-level package's
    location, then one folder per dotted part (None: no such file, e.g. ``name`` is an attribute)."""
    top, _, rest = name.partition(".")
    try:
        spec = importlib.util.find_spec(top)  # a top-level name is found, not executed
    except (ImportError, ValueError):
        return None
    if spec is None:
        return None
    if not rest:
        origin = spec.origin or ""
        return Path(origin) if origin.endswith(".py") else None
    for location in spec.submodule_search_locations or ():
        base = Path(location).joinpath(*rest.split("."))
        for candidate in (base.parent / f"{base.name}.py", base / "__init__.py"):
            if candidate.is_file():
                return candidate
    return None


def _imported_names(imports: list[tuple[str, str, int]], package: str | None) -> list[str]:
    """The dotted names an import list may bring in: each imported module, and each ``from`` name as
    ``module.name`` (a submodule, or an attribute the caller sorts out)."""
    names: list[str] = []
    base = ""
    for kind, name, level in imports:
        if kind == "import":
            names.append(name)
        elif kind == "from":
            base = importlib.util.resolve_name("." * level + name, package) if level else name
            names.append(base)
        else:
            names.append(f"{base}.{name}")
    return names


#: The files of a check's modules found by :func:`_module_files`, with their stats, per (module, sys.path):
#: finding them costs a ``find_spec`` per imported name (47 for huang2022's check, 2-3 ms), asked once
#: per result (232 times in ``verify all``); the closure stands while none of its files has changed.
_CLOSURE_CACHE: dict[tuple[str, tuple[str, ...]], dict[str, tuple[Path, tuple[int, int]]]] = {}


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


def _sources_on_disk(check: str) -> dict[str, str] | None:
    """The source of the check's module and, transitively, of the modules of its package it imports,
    by module name, read from their files (None when one of them cannot be found or parsed)."""
    root = check.partition(":")[0]
    key = (root, tuple(sys.path))
    closure = _CLOSURE_CACHE.get(key)
    if closure is None or any(_stamp(path) != stamp for path, stamp in closure.values()):
        paths = _module_files(root)
        if paths is None:
            return None
        closure = _CLOSURE_CACHE[key] = {name: (path, _stamp(path)) for name, path in paths.items()}
    parsed = {name: _parsed_file(path) for name, (path, _) in sorted(closure.items())}
    return None if any(p is None for p in parsed.values()) else {name: p[0] for name, p in parsed.items()}


def _module_files(root: str) -> dict[str, Path] | None:
    """The files of module ``root`` and of the modules of its package it imports, transitively."""
    top = root.split(".")[0]
    paths: dict[str, Path] = {}
    todo = [root]
    while todo:
        name = todo.pop()
        path = _module_path(name)
        parsed = _parsed_file(path) if path is not None else None
        if parsed is None:
            return None
        paths[name] = path
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        try:
            imported = _imported_names(parsed[1], package)
        except (ImportError, ValueError):
            return None
        todo += [dep for dep in imported if dep.split(".")[0] == top and dep not in paths and dep not in todo
                 and _module_path(dep) is not None]
    return paths


def _source(module: ModuleType) -> str:
    source, _ = _parsed(module)
    return source or inspect.getsource(module)


def _package_imports(module: ModuleType) -> list[str]:
    """Modules of the same top-level package that ``module`` imports (absolute or relative)."""
    package = module.__name__.split(".")[0]
    names = _imported_names(_parsed(module)[1], module.__package__)
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


def _sources_imported(check: str | CheckFunction) -> dict[str, str]:
    """The source of the check's modules by module name, from the imported modules."""
    return {module.__name__: _source(module) for module in check_modules(check)}


def check_source_digest(check: str | CheckFunction) -> str:
    """Hash of the source of the check's modules (its code version): read from their files for a check
    named by a string, from the imported modules otherwise."""
    sources = (_sources_on_disk(check) if isinstance(check, str) else None) or _sources_imported(check)
    if len(sources) == 1:
        return seeding.digest(next(iter(sources.values())))
    return seeding.digest(sources)


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
