"""The checks of a registry, each described from the specs that use it: ``verify describe``, ``verify list
--checks``. A check's parameters and measurements are the union over its results, with the values each
profile gives them and the shapes declared by the check (a ``shapes`` attribute) or by the results."""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from verifier.running.check_shapes import check_shapes
from verifier.running.registry import Registry, ResolveError, resolve
from verifier.spec.results import Result


@dataclass
class ParameterEntry:
    """A parameter of a check: its declaration (from the first result that declares it) and, per profile,
    each value with the results that give it."""

    name: str
    description: str
    lower: float | None
    upper: float | None
    integer: bool
    defaults: dict[str, dict[float, list[str]]] = field(default_factory=dict)


@dataclass
class MeasurementEntry:
    """A measurement a check returns: what it means and its declared axes (None: not declared)."""

    name: str
    description: str
    shape: tuple[Any, ...] | None
    results: list[str] = field(default_factory=list)


@dataclass
class CheckEntry:
    """One check and what its results declare about it."""

    name: str
    results: list[str]
    parameters: list[ParameterEntry]
    measurements: list[MeasurementEntry]


def _shapes(result: Result) -> dict[str, tuple]:
    try:
        declared = check_shapes(result.check)
    except (ImportError, AttributeError):  # a check that cannot be loaded still has its results' declarations
        declared = {}
    return {**declared, **dict(result.shapes)}


def entry(registry: Registry, name: str) -> CheckEntry:
    """The description of the check called ``name``, gathered from every result that uses it (only the
    modules of those results are imported)."""
    users = [registry.results[rid] for rid in sorted(registry.results) if registry.entry(rid).check == name]
    parameters: dict[str, ParameterEntry] = {}
    measurements: dict[str, MeasurementEntry] = {}
    for result in users:
        for p in result.parameters:
            item = parameters.setdefault(p.name, ParameterEntry(p.name, p.description, p.lower, p.upper, p.integer))
            for profile, values in result.profiles.items():
                if p.name in values:
                    item.defaults.setdefault(profile, {}).setdefault(values[p.name], []).append(result.id)
        shapes = _shapes(result)
        for measure, description in result.measures.items():
            item = measurements.setdefault(measure, MeasurementEntry(measure, description, shapes.get(measure)))
            item.shape = item.shape if item.shape is not None else shapes.get(measure)
            item.results.append(result.id)
    return CheckEntry(name, [r.id for r in users], list(parameters.values()), list(measurements.values()))


def names(registry: Registry) -> list[str]:
    """Every check that a result names, sorted (from the spec index: no module imported)."""
    return sorted({c for rid in registry.results if (c := registry.entry(rid).check) is not None})


def find(registry: Registry, name: str) -> str:
    """The check named by ``name``: a check name (``module:function``), its function name when that is
    unique, or a result id or alias (its check). ResolveError with close matches otherwise."""
    known = names(registry)
    if name in known:
        return name
    by_function = [n for n in known if n.rpartition(":")[2] == name]
    if len(by_function) == 1:
        return by_function[0]
    if by_function:
        raise ResolveError(f"'{name}' is ambiguous: it names the checks {', '.join(by_function)}; give module:function")
    try:
        result = registry.entry(resolve(registry, name))
    except ResolveError:
        result = None
    if result is not None:
        if result.check is None:
            raise ResolveError(f"{result.id} is decided symbolically: it has no check")
        return result.check
    candidates = known + [n.rpartition(":")[2] for n in known] + list(registry.results)
    close = difflib.get_close_matches(name, candidates, n=5, cutoff=0.5)
    hint = f"; did you mean: {', '.join(close)}" if close else "; `verify list --checks` shows every check"
    raise ResolveError(f"unknown check or result '{name}'{hint}")
