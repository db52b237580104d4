"""Plain-text pages of the check catalog (``verify describe``, ``verify list --checks``), from the entries
that :mod:`verifier.running.catalog` gathers (handed in as objects: this room never imports ``running``)."""
from __future__ import annotations

from typing import Any

from verifier.presentation.terminal import number
from verifier.spec.results import PROFILES


def _table(rows: list[list[str]], indent: str = "  ") -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [indent + "  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in rows]


def _range(parameter: Any) -> str:
    lower = "(-inf" if parameter.lower is None else f"[{number(parameter.lower)}"
    upper = "+inf)" if parameter.upper is None else f"{number(parameter.upper)}]"
    return f"{lower}, {upper}" + (" integer" if parameter.integer else "")


def _values(by_value: dict[float, list[str]]) -> str:
    """One value, or each value with the results that give it."""
    if len(by_value) == 1:
        return number(next(iter(by_value)))
    return ", ".join(f"{number(v)} ({', '.join(ids) if len(ids) <= 2 else f'{len(ids)} results'})"
                     for v, ids in sorted(by_value.items()))


def _shape(shape: tuple | None) -> str:
    return "not declared" if shape is None else "(" + ", ".join(map(str, shape)) + ")"


def describe_lines(entry: Any) -> list[str]:
    """A check: the results that use it, its parameters (range, value per profile, meaning) and the
    measurements it returns (declared axes, meaning)."""
    count = len(entry.results)
    lines = [f"check {entry.name}", f"used by {count} result{'s' if count != 1 else ''}: {', '.join(entry.results)}"]
    found = {profile for p in entry.parameters for profile in p.defaults}
    profiles = [p for p in PROFILES if p in found] + sorted(found - set(PROFILES))
    lines += ["", f"parameters ({len(entry.parameters)}), with the value each profile gives them:"]
    if entry.parameters:
        rows = [["name", "range", *profiles, "meaning"]]
        rows += [[p.name, _range(p), *(_values(p.defaults[profile]) if profile in p.defaults else "-"
                                       for profile in profiles), p.description] for p in entry.parameters]
        lines += _table(rows)
    lines += ["", (f"measurements ({len(entry.measurements)}): axes 'replica' first, then lengths, parameter names "
                   "or grid axes a claim can select with at={axis: index} or at={axis: label}")]
    if entry.measurements:
        rows = [["name", "shape", "meaning"]]
        rows += [[m.name, _shape(m.shape), m.description] for m in entry.measurements]
        lines += _table(rows)
    return lines


def list_lines(entries: list[Any]) -> list[str]:
    """Every check in one line each: its results, parameters and measurements."""
    rows = [["check", "results", "parameters", "measurements"]]
    rows += [[e.name, str(len(e.results)), str(len(e.parameters)), ", ".join(m.name for m in e.measurements)]
             for e in entries]
    return _table(rows, indent="")
