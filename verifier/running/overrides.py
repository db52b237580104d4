"""Parameter overrides from the command line (``--param name=value``), checked against the specs."""
from __future__ import annotations

import math
from typing import Iterable, Mapping

from verifier.spec.results import Parameter, Result


class OverrideError(ValueError):
    """An override that names no parameter, has the wrong type, or leaves the declared range."""


def _convert(parameter: Parameter, text: str, owner: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise OverrideError(f"--param {parameter.name}={text}: expected a number ({owner})") from None
    if not math.isfinite(value):
        raise OverrideError(f"--param {parameter.name}={text}: expected a finite number in "
                            f"[{parameter.lower}, {parameter.upper}] ({owner})")
    if parameter.integer:
        if not value.is_integer():
            raise OverrideError(f"--param {parameter.name}={text}: expected an integer ({owner})")
        value = int(value)
    if (parameter.lower is not None and value < parameter.lower) or (parameter.upper is not None and value > parameter.upper):
        raise OverrideError(f"--param {parameter.name}={text}: outside the declared range "
                            f"[{parameter.lower}, {parameter.upper}] of {owner}")
    return value


def parse(items: Iterable[str], results: Iterable[Result]) -> dict[str, float]:
    """``name=value`` strings -> values, validated against every selected result declaring ``name``."""
    results = list(results)
    overrides: dict[str, float] = {}
    for item in items:
        name, sep, text = item.partition("=")
        if not sep or not name:
            raise OverrideError(f"--param {item!r}: expected NAME=VALUE")
        owners = [(r.id, p) for r in results for p in r.parameters if p.name == name]
        if not owners:
            raise OverrideError(f"--param {name}: no selected result has a parameter {name!r}")
        for owner, parameter in owners:
            overrides[name] = _convert(parameter, text, owner)
    return overrides


def apply(result: Result, params: Mapping[str, float], overrides: Mapping[str, float]) -> dict[str, float]:
    """The result's parameters with the overrides it declares applied."""
    declared = {p.name for p in result.parameters}
    return {**params, **{k: v for k, v in overrides.items() if k in declared}}
