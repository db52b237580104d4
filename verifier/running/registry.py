"""Registry: find result specs in the built-in ``theorems`` package, installed plugins (entry-point
group ``theory_verifier.specs``) and ``--plugin`` paths; validate them; isolate broken ones.

A spec module exposes ``RESULTS``, a list of :class:`~verifier.spec.results.Result`. A plugin that fails to
import, or a result that fails validation, becomes a :class:`LoadProblem` naming the file, result id,
field and reason; everything else still loads.

The built-in papers are loaded lazily: their ids, kinds and ``uses`` edges come from an index
(:mod:`verifier.running.spec_index`, cached on disk and keyed by the digest of their source), and a
paper's module is imported only when one of its results is asked for (``registry.results[rid]``).
"""
from __future__ import annotations

import hashlib
import importlib
import importlib.metadata
import importlib.util
import pkgutil
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Iterable

import sympy as sp

from verifier.judging import graph as dag
from verifier.judging import shapes
from verifier.running import spec_index
from verifier.running.check_code import load_check, spec_hash
from verifier.running.spec_index import Entry, LazyResults
from verifier.spec.claims import Claim
from verifier.spec.results import Axis, Kind, Result

ENTRY_POINT_GROUP = "theory_verifier.specs"
BUILTIN_PACKAGE = "theorems"


@dataclass(frozen=True)
class LoadProblem:
    """Why a plugin or a result could not be loaded."""

    source: str
    result: str
    field: str
    reason: str

    def __str__(self) -> str:
        where = f"{self.source}: {self.result}" if self.result else self.source
        return f"{where}: {self.field}: {self.reason}" if self.field else f"{where}: {self.reason}"

    def to_dict(self) -> dict[str, str]:
        return asdict(self)


@dataclass
class Registry:
    """The loaded, validated results and the problems met while loading. ``results`` maps ids to
    results, importing a built-in paper's module on first access; ``entry`` answers without importing."""

    results: LazyResults = field(default_factory=LazyResults)
    sources: dict[str, str] = field(default_factory=dict)
    problems: list[LoadProblem] = field(default_factory=list)
    # result id -> absolute path of the ``--plugin`` file that defined it (what a reproduce line must load)
    paths: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.results, LazyResults):
            self.results = LazyResults(self.results)

    def entry(self, result_id: str) -> Entry:
        """The id, kind, paper and edges of a result (no module import)."""
        return self.results.entry(result_id)

    def papers(self) -> list[str]:
        return sorted({self.entry(rid).paper for rid in self.results})

    def graph(self):
        return dag.build(self.entry(rid) for rid in self.results)

    def graph_closure(self, targets: Iterable[str]) -> list[str]:
        """The targets and everything they use, dependencies first."""
        return dag.closure(self.graph(), targets)

    def spec_hash(self, result_id: str) -> str:
        """The current hash of a loaded result's spec and check code (compared with a stored run's)."""
        return spec_hash(self.results[result_id])


def _module_results(module: ModuleType, source: str) -> tuple[list[Result], list[LoadProblem]]:
    results = getattr(module, "RESULTS", None)
    if results is None:
        return [], [LoadProblem(source, "", "RESULTS", "the module defines no RESULTS list")]
    good, bad = [], []
    for index, item in enumerate(results):
        if isinstance(item, Result):
            good.append(item)
        else:
            bad.append(LoadProblem(source, f"RESULTS[{index}]", "type", f"expected a Result, got {type(item).__name__}"))
    return good, bad


def _import_path(path: Path) -> ModuleType:
    """Import a plugin file. A file inside a package (folders with ``__init__.py``) is imported by its
    dotted name with the package's parent on ``sys.path``, so its relative and absolute imports work."""
    path = path.resolve()
    root, parts = path.parent, [path.stem]
    while (root / "__init__.py").exists():
        parts.insert(0, root.name)
        root = root.parent
    if len(parts) > 1:
        if str(root) not in sys.path:
            sys.path.insert(0, str(root))
        return importlib.import_module(".".join(parts))
    # A stable module name: check names (and so cache keys) derive from it; seeds drop its path hash.
    name = f"verifier_plugin_{path.stem}_{hashlib.sha256(str(path).encode()).hexdigest()[:8]}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _plugin_files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.glob("*.py") if not p.name.startswith("_"))
    return [path]


def _take(load, source: str, found: list[tuple[Result, str, str | None]], problems: list[LoadProblem],
          path: str | None = None) -> None:
    try:
        module = load()
    except Exception as exc:  # a broken plugin must not stop the others
        problems.append(LoadProblem(source, "", "import", f"{type(exc).__name__}: {exc}"))
        return
    results, bad = _module_results(module, source)
    found.extend((r, source, path) for r in results)
    problems.extend(bad)


def _index_module(name: str) -> spec_index.ModuleIndex:
    """Import one built-in module and keep what the registry needs of its valid results."""
    source = f"{name} (built-in)"
    found: list[tuple[Result, str, str | None]] = []
    problems: list[LoadProblem] = []
    _take(lambda: importlib.import_module(name), source, found, problems)
    entries = []
    for index, (result, _, _) in enumerate(found):
        errors = validate(result)
        label = result.id or f"result #{index} ({result.title or 'untitled'})"
        problems.extend(LoadProblem(source, label, f, why) for f, why in errors)
        if result.id and not errors:
            entries.append(Entry.of(result))
    return spec_index.ModuleIndex(name, source, tuple(entries), tuple(tuple(vars(p).values()) for p in problems))


def _builtin_modules() -> list[str]:
    package = importlib.import_module(BUILTIN_PACKAGE)
    return [f"{BUILTIN_PACKAGE}.{info.name}" for info in pkgutil.iter_modules(package.__path__)
            if not info.name.startswith("_")]


def _gather(plugins: Iterable[str], autoload: bool) -> tuple[list[tuple[Result, str, str | None]], list[LoadProblem]]:
    """The results of installed and ``--plugin`` specs (imported now; the built-ins are indexed), with their
    source and (for a ``--plugin`` file) the file's absolute path."""
    found: list[tuple[Result, str, str | None]] = []
    problems: list[LoadProblem] = []

    def take(load, source: str, path: str | None = None) -> None:
        _take(load, source, found, problems, path)

    if autoload:
        for entry in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
            take(entry.load, f"entry point {entry.name} ({entry.value})")
    for raw in plugins:
        path = Path(raw)
        if not path.exists():
            problems.append(LoadProblem(raw, "", "path", "no such file or folder"))
            continue
        for file in _plugin_files(path):
            take(lambda file=file: _import_path(file), str(file), str(file.resolve()))
    return found, problems


def _check_shapes(result: Result) -> dict[str, tuple]:
    """The shapes its check function declares in a ``shapes`` attribute (none when it cannot be loaded)."""
    try:
        return dict(getattr(load_check(result.check), "shapes", {}) or {}) if result.check is not None else {}
    except (ImportError, AttributeError):
        return {}


def _selection_problems(result: Result) -> list[str]:
    """What is wrong with each claim's ``at``: an axis no measurement declares, a value neither an index (an
    int) nor a label (a float or a string), a label on an axis without labels (a string label needs an
    ``Axis`` declaration: a measurement of labels holds numbers)."""
    declared = dict(result.shapes)
    wanted = [(axis, value) for claim in result.claims for axis, value in (getattr(claim, "at", None) or {}).items()]
    if any(axis not in shapes.axis_names(declared) or _at_problem("", axis, value, declared) for axis, value in wanted):
        declared = {**_check_shapes(result), **declared}  # the check function may declare them
    problems = []
    for claim in result.claims:
        at = getattr(claim, "at", None) or {}
        unknown = sorted(set(at) - shapes.axis_names(declared))
        if unknown:
            problems.append(f"claim {claim.label!r} selects axis {', '.join(unknown)}, which no measurement "
                            "declares in shapes")
        problems.extend(problem for axis, value in at.items() if axis not in unknown
                        and (problem := _at_problem(claim.label, axis, value, declared)))
    return problems


def _at_problem(claim: str, axis: str, value: object, declared: dict[str, tuple]) -> str:
    """What is wrong with one ``at`` entry of a claim on a declared axis ('' when nothing)."""
    if not (shapes.is_index(value) or shapes.is_label(value)):
        return f"claim {claim!r}: at {axis}={value!r}: expected an int (an index), or a finite float or a string (a label)"
    try:
        named = shapes.declared_labels(axis, declared)
    except ValueError as exc:
        return str(exc)
    if shapes.is_index(value) or named is not None or (not isinstance(value, str) and shapes.has_labels(axis, declared)):
        return ""
    if isinstance(value, str):
        return (f"claim {claim!r}: at {axis}={value!r} is a label, but axis {axis!r} has no named columns: declare it "
                f"as Axis({axis!r}, labels) in shapes")
    return (f"claim {claim!r}: at {axis}={value!r} is a label, but axis {axis!r} has no labels: declare it as "
            f"Axis({axis!r}, labels) in shapes, or a measurement {axis!r} with the shape ({axis!r},) holding them")


def _axis_problems(name: str, axes: tuple) -> list[str]:
    """What is wrong with the labelled axes (``Axis``) of one measurement's declared shape."""
    problems = []
    for axis in axes:
        if not isinstance(axis, Axis):
            continue
        labels = axis.labels
        if not (isinstance(axis.name, str) and isinstance(labels, tuple) and labels
                and all(isinstance(v, str) or shapes.is_label(v) or shapes.is_index(v) for v in labels)):
            problems.append(f"{name!r}: expected Axis(name, labels) with a name and a non-empty tuple of strings "
                            f"or numbers, got {axis!r}")
        elif len(set(labels)) != len(labels):
            problems.append(f"{name!r}: axis {axis.name!r} repeats a label in {labels!r}")
    return problems


def validate(result: Result) -> list[tuple[str, str]]:
    """(field, reason) for every defect of one result that can be seen without the others."""
    errors: list[tuple[str, str]] = []
    for name in ("id", "number", "title", "paper"):
        if not getattr(result, name):
            errors.append((name, "is missing"))
    if result.paper and ("/" not in result.id or not result.id.startswith(result.paper.key + "/")):
        errors.append(("id", f"must be '<paper key>/<slug>' with paper key {result.paper.key!r}"))
    if not isinstance(result.kind, Kind):
        errors.append(("kind", f"must be a Kind ({', '.join(k.name for k in Kind)}), got {result.kind!r}"))
    if not result.statement.strip():
        errors.append(("statement", "is empty"))
    try:
        result.source
    except ValueError as exc:
        errors.append(("tag", str(exc)))
    if not result.claims:
        errors.append(("claims", "no claim: say what is checked (a definition can state a symbolic property)"))
    parameters = {p.name for p in result.parameters}
    for reading in result.readings:
        errors.extend(("readings", problem) for problem in reading.problems())
    known = parameters | set(result.measures) | set(result.reading_values()) | set(result.reading_aliases())
    for reading in result.readings:
        chosen = set(reading.aliases.values()) | {m for a in reading.alternative_aliases.values() for m in a.values()}
        for measure in sorted(chosen - set(result.measures)):
            errors.append(("readings", f"reading {reading.name!r} reads {measure!r}, which is not a measured quantity"))
    for claim in result.claims:
        if not isinstance(claim, Claim):
            errors.append(("claims", f"expected a Claim, got {type(claim).__name__}"))
            continue
        if claim.empirical and claim.control() is None:
            errors.append(("claims", f"claim {claim.label!r} has no negative control (a zero bound needs explicit_control)"))
        if not claim.empirical:
            continue
        for expr in claim.expressions():
            unknown = sorted(s.name for s in sp.sympify(expr).free_symbols if s.name not in known)
            if unknown:
                errors.append(("claims", f"claim {claim.label!r} uses {', '.join(unknown)}: not a parameter nor a measured quantity"))
    for name, axes in result.shapes.items():
        if name not in result.measures:
            errors.append(("shapes", f"{name!r} is not a measured quantity (measures)"))
        if not isinstance(axes, tuple) or not all(isinstance(a, (str, int, Axis)) and not isinstance(a, bool) for a in axes):
            errors.append(("shapes", f"{name!r}: expected a tuple of axis names, lengths or Axis, got {axes!r}"))
            continue
        if "replica" in axes[1:]:
            errors.append(("shapes", f"{name!r}: the replica axis must come first, got {axes!r}"))
        errors.extend(("shapes", problem) for problem in _axis_problems(name, axes))
    if not any(field == "shapes" for field, _ in errors):
        for axis in sorted(shapes.axis_names(result.shapes)):
            try:
                shapes.declared_labels(axis, result.shapes)
            except ValueError as exc:
                errors.append(("shapes", str(exc)))
    if not any(field == "shapes" for field, _ in errors):
        errors.extend(("claims", problem) for problem in _selection_problems(result))
    for assumption in result.assumptions:
        unknown = sorted(s.name for s in assumption.free_symbols if s.name not in parameters)
        if unknown:
            errors.append(("assumptions", f"{sp.sstr(assumption)} uses undefined {', '.join(unknown)}"))
    if result.empirical:
        if not (callable(result.check) or (isinstance(result.check, str) and ":" in result.check)):
            errors.append(("check", "an empirical claim needs check='module:function' or a check function"))
        for profile, values in result.profiles.items():
            missing = sorted(parameters - set(values))
            if missing:
                errors.append((f"profiles[{profile!r}]", f"no value for {', '.join(missing)}"))
            if profile not in result.replicas:
                errors.append(("replicas", f"no replica count for profile {profile!r}"))
    for profile, size in result.max_batch.items():
        if not isinstance(size, int) or size < 1:
            errors.append((f"max_batch[{profile!r}]", f"expected a positive integer, got {size!r}"))
    for p in result.parameters:
        for profile, values in result.profiles.items():
            value = values.get(p.name)
            if value is None:
                continue
            if (p.lower is not None and value < p.lower) or (p.upper is not None and value > p.upper):
                errors.append((f"profiles[{profile!r}].{p.name}", f"{value} is outside [{p.lower}, {p.upper}]"))
    return errors


def load(plugins: Iterable[str] = (), autoload: bool = True) -> Registry:
    """Load every spec; broken plugins and invalid results become ``problems``."""
    registry = Registry()
    package = importlib.import_module(BUILTIN_PACKAGE)
    for module in spec_index.load(_builtin_modules(), list(package.__path__), _index_module):
        registry.problems.extend(LoadProblem(*problem) for problem in module.problems)
        for entry in module.entries:
            if entry.id in registry.results:
                registry.problems.append(LoadProblem(module.source, entry.id, "id",
                                                     f"already defined by {registry.sources[entry.id]}"))
                continue
            registry.results.defer(entry, module.name)
            registry.sources[entry.id] = module.source
    found, problems = _gather(plugins, autoload)
    registry.problems.extend(problems)
    for index, (result, source, path) in enumerate(found):
        if not result.id:
            registry.problems.extend(LoadProblem(source, f"result #{index} ({result.title or 'untitled'})", f, why)
                                     for f, why in validate(result))
            continue
        if result.id in registry.results:
            registry.problems.append(LoadProblem(source, result.id, "id", f"already defined by {registry.sources[result.id]}"))
            continue
        errors = validate(result)
        registry.problems.extend(LoadProblem(source, result.id, f, why) for f, why in errors)
        if not errors:
            registry.results[result.id] = result
            registry.sources[result.id] = source
            if path is not None:
                registry.paths[result.id] = path
    _drop_broken_links(registry)
    return registry


def _drop_broken_links(registry: Registry) -> None:
    """Remove results whose ``uses`` name an unknown result, then results on a dependency cycle."""
    changed = True
    while changed:
        changed = False
        for rid in list(registry.results):
            entry = registry.entry(rid)
            unknown = [u for u in (*entry.uses, *entry.assumes) if u not in registry.results]
            if unknown:
                registry.problems.append(LoadProblem(registry.sources[rid], rid, "uses", f"unknown result {', '.join(unknown)}"))
                del registry.results[rid]
                changed = True
    while (cycle := dag.find_cycle(registry.graph())) is not None:
        text = " -> ".join(cycle + cycle[:1])
        for rid in cycle:
            registry.problems.append(LoadProblem(registry.sources[rid], rid, "uses", f"dependency cycle {text}"))
            del registry.results[rid]
        _drop_broken_links(registry)


class ResolveError(LookupError):
    """An id that names no result, or several."""


def resolve(registry: Registry, name: str) -> str:
    """The full id for a full id or a unique alias; ResolveError with close matches otherwise."""
    import difflib

    if name in registry.results:
        return name
    matches = sorted(rid for rid in registry.results if rid.split("/", 1)[1] == name)
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise ResolveError(f"'{name}' is ambiguous: it names {', '.join(matches)}; give the full id")
    candidates = list(registry.results) + sorted({rid.split('/', 1)[1] for rid in registry.results})
    close = difflib.get_close_matches(name, candidates, n=5, cutoff=0.5)
    hint = f"; did you mean: {', '.join(close)}" if close else "; `verify list` shows every result"
    raise ResolveError(f"unknown result '{name}'{hint}")
