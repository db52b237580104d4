"""Declared shapes of measurements: replicas first, named grid axes after (issue #18, point 8).

A result may declare, per measurement, its axes in ``Result.shapes``: ``"replica"`` (the replica axis,
first when present), ``"events"`` (alone: a flat array of events pooled over replicas, replica-major,
of any length), an integer (a fixed length), a name, or an :class:`~verifier.spec.results.Axis` (a name
with a label per column, as many columns as labels). A name that is a parameter of the result takes that
parameter's value as its length; any other name is a grid axis whose length must agree between the
measurements that share it. :func:`validate` checks what a check returned against the declaration; a
claim reads one grid point with ``Claim.at``: {axis name: index} (an int), or {axis name: label} (a
float or a string). The labels of an axis are those of its ``Axis`` declaration, else the values of the
measurement named after it and declared with that axis alone (``"n_ladder": ("n_ladder",)``, the
ladder's sizes).
"""
from __future__ import annotations

from typing import Collection, Mapping, Sequence

import numpy as np

from verifier.spec.results import Axis

REPLICA = "replica"
EVENTS = "events"  # a flat, replica-major axis of pooled events, of any length (declared alone)
Declared = str | int | Axis  # one declared axis
LABEL_RTOL = 1e-9  # a label matches a column whose value equals it up to float rounding (np.geomspace grids)


class ShapeError(ValueError):
    """A measurement whose returned shape is not the declared one."""


class SelectionError(KeyError):
    """A claim's ``at`` that names no declared axis, a label its axis does not have, or an index beyond it."""

    def __str__(self) -> str:
        return str(self.args[0])


def name_of(axis: Declared) -> str | int:
    """The name of a declared axis (an ``Axis``'s name; a name or a length as it is)."""
    return axis.name if isinstance(axis, Axis) else axis


def axis_names(shapes: Mapping[str, Sequence[Declared]]) -> set[str]:
    """Every named axis the declared shapes have."""
    return {name for axes in shapes.values() for name in map(name_of, axes) if isinstance(name, str)}


def is_index(value: object) -> bool:
    """Whether an ``at`` value is an index (an int, not a bool) rather than a label."""
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


def is_label(value: object) -> bool:
    """Whether an ``at`` value is a label: a finite float, or a string."""
    return isinstance(value, str) or (isinstance(value, (float, np.floating)) and bool(np.isfinite(value)))


def declared_labels(axis: str, shapes: Mapping[str, Sequence[Declared]]) -> tuple[str | float, ...] | None:
    """The labels the ``Axis`` declarations of the axis give it (None when it has none); ValueError naming
    the axis when two of them disagree."""
    found = {a.labels for axes in shapes.values() for a in axes if isinstance(a, Axis) and a.name == axis}
    if len(found) > 1:
        raise ValueError(f"axis {axis!r} is declared with different labels: {' and '.join(sorted(map(repr, found)))}")
    return found.pop() if found else None


def _measures_labels(axis: str, shapes: Mapping[str, Sequence[Declared]]) -> bool:
    """Whether a measurement named after the axis is declared with that axis alone (it holds the labels)."""
    return tuple(map(name_of, shapes.get(axis, ()))) == (axis,)


def has_labels(axis: str, shapes: Mapping[str, Sequence[Declared]]) -> bool:
    """Whether the axis has labels: an ``Axis`` declaration, or a measurement that holds them."""
    return declared_labels(axis, shapes) is not None or _measures_labels(axis, shapes)


def labels_of(axis: str, data: Mapping[str, np.ndarray], shapes: Mapping[str, Sequence[Declared]]) -> np.ndarray | None:
    """The labels of a grid axis (see :func:`has_labels`); None when it has none."""
    declared = declared_labels(axis, shapes)
    if declared is not None:
        return np.asarray(declared, dtype=object)
    if not _measures_labels(axis, shapes) or axis not in data:
        return None
    return np.asarray(data[axis], dtype=float).ravel()


def _shown(labels: np.ndarray) -> str:
    return ", ".join(f"{value:g}" if isinstance(value, (float, np.floating)) else str(value) for value in labels)


def _matches(labels: np.ndarray, value: str | float) -> np.ndarray:
    """The columns whose label is ``value``: strings equal, numbers equal up to float rounding."""
    return np.flatnonzero([label == value if isinstance(label, str) or isinstance(value, str)
                           else bool(np.isclose(float(label), float(value), rtol=LABEL_RTOL, atol=0.0))
                           for label in labels])


def column(claim: str, axis: str, value: int | float | str, data: Mapping[str, np.ndarray],
           shapes: Mapping[str, Sequence[Declared]]) -> int:
    """The index ``at={axis: value}`` selects: ``value`` itself for an index, else the column whose label
    it is. SelectionError names the claim, the axis and the labels (or length) it has."""
    labels = labels_of(axis, data, shapes)
    length = _length(axis, data, shapes)
    if is_index(value):
        if length is not None and not -length <= value < length:
            hint = f"; a label is a float or a string, its labels: {_shown(labels)}" if labels is not None else ""
            raise SelectionError(f"claim {claim!r}: at {axis}={value} is an index (an int), but axis {axis!r} has "
                                 f"{length} columns{hint}")
        return int(value)
    if labels is None:
        raise SelectionError(f"claim {claim!r}: at {axis}={value!r} is a label, but axis {axis!r} has no labels "
                             f"(declare it as Axis({axis!r}, labels) in shapes, or a measurement {axis!r} with "
                             f"the shape ({axis!r},) holding them)")
    matches = _matches(labels, value)
    if matches.size != 1:
        found = "is not one of its labels" if matches.size == 0 else f"matches columns {', '.join(map(str, matches))}"
        raise SelectionError(f"claim {claim!r}: at {axis}={_shown(np.asarray([value], dtype=object))}: {found}; "
                             f"axis {axis!r} has the labels {_shown(labels)}")
    return int(matches[0])


def _length(axis: str, data: Mapping[str, np.ndarray], shapes: Mapping[str, Sequence[Declared]]) -> int | None:
    """The length of a named axis in the returned measurements (None when none returned declares it)."""
    for name, axes in shapes.items():
        names = list(map(name_of, axes))
        if axis in names and name in data:
            return int(np.shape(data[name])[names.index(axis)])
    return None


def expected_lengths(axes: Sequence[Declared], params: Mapping[str, float], replicas: int) -> list[int | str]:
    """The declared length of each axis (an int), or the free axis name where the length is not fixed."""
    lengths: list[int | str] = []
    for axis in axes:
        if axis == REPLICA:
            lengths.append(replicas)
        elif isinstance(axis, Axis):
            lengths.append(len(axis.labels))
        elif isinstance(axis, int):
            lengths.append(axis)
        elif axis in params:
            lengths.append(int(round(params[axis])))
        else:
            lengths.append(axis)
    return lengths


def validate(data: Mapping[str, np.ndarray], shapes: Mapping[str, Sequence[Declared]], params: Mapping[str, float],
             replicas: int, required: Collection[str] | None = None) -> None:
    """ShapeError naming the first measurement whose shape differs from its declaration, or that is
    ``required`` (default: every declared one) and missing."""
    free: dict[str, tuple[int, str]] = {}
    for name, axes in shapes.items():
        if name not in data:
            if required is not None and name not in required:
                continue
            raise ShapeError(f"measurement {name!r}: declared with shape {tuple(axes)} but the check did not return it")
        shape = np.shape(data[name])
        expected = expected_lengths(axes, params, replicas)
        shown = "(" + ", ".join(f"{name_of(a)}={e}" if name_of(a) != e else str(e) for a, e in zip(axes, expected)) + ")"
        if len(shape) != len(expected):
            raise ShapeError(f"measurement {name!r}: expected shape {shown}, returned {shape}")
        for axis, length, got in zip(axes, expected, shape):
            if axis == EVENTS:
                continue
            if isinstance(length, str):
                seen = free.setdefault(length, (got, name))
                if seen[0] != got:
                    raise ShapeError(f"measurement {name!r}: axis {axis!r} has length {got}, but {seen[1]!r} gives it {seen[0]}")
            elif length != got:
                raise ShapeError(f"measurement {name!r}: expected shape {shown}, returned {shape}")


def select(data: Mapping[str, np.ndarray], shapes: Mapping[str, Sequence[Declared]],
           at: Mapping[str, int | float | str], claim: str = "") -> dict[str, np.ndarray]:
    """The measurements with each named axis in ``at`` fixed at its index or label (measurements without
    that axis are left as they are); SelectionError, naming ``claim``, for an axis that no measurement
    declares, a label the axis does not have, or an index beyond it."""
    unknown = sorted(set(at) - axis_names(shapes))
    if unknown:
        raise SelectionError(f"claim {claim!r}: no measurement declares the axis {', '.join(map(repr, unknown))}")
    indices = {axis: column(claim, axis, value, data, shapes) for axis, value in at.items()}
    chosen = dict(data)
    for name, axes in shapes.items():
        if name not in data:
            continue
        index = tuple(indices.get(name, slice(None)) if isinstance(name, str) else slice(None)
                      for name in map(name_of, axes))
        chosen[name] = np.asarray(data[name])[index]
    return chosen


def per_replica(values: np.ndarray, replicas: int | None) -> np.ndarray:
    """Values with a leading replica axis and grid cells after it, averaged within each replica, so
    that an interval counts replicas, not cells (other arrays are returned as they are)."""
    values = np.asarray(values, dtype=float)
    if replicas is None or values.ndim < 2 or values.shape[0] != replicas:
        return values
    return values.reshape(replicas, -1).mean(axis=1)
