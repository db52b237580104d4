"""Declared shapes of measurements: replicas first, named grid axes after (issue #18, point 8).

A result may declare, per measurement, its axes in ``Result.shapes``: ``"replica"`` (the replica axis,
first when present), ``"events"`` (alone: a flat array of events pooled over replicas, replica-major,
of any length), an integer (a fixed length), or a name. A name that is a parameter of the result
takes that parameter's value as its length; any other name is a grid axis whose length must agree
between the measurements that share it. :func:`validate` checks what a check returned against the
declaration; a claim reads one grid point with ``Claim.at`` ({axis name: index}).
"""
from __future__ import annotations

from typing import Collection, Mapping, Sequence

import numpy as np

REPLICA = "replica"
EVENTS = "events"  # a flat, replica-major axis of pooled events, of any length (declared alone)
Axis = str | int


class ShapeError(ValueError):
    """A measurement whose returned shape is not the declared one."""


def expected_lengths(axes: Sequence[Axis], params: Mapping[str, float], replicas: int) -> list[int | str]:
    """The declared length of each axis (an int), or the free axis name where the length is not fixed."""
    lengths: list[int | str] = []
    for axis in axes:
        if axis == REPLICA:
            lengths.append(replicas)
        elif isinstance(axis, int):
            lengths.append(axis)
        elif axis in params:
            lengths.append(int(round(params[axis])))
        else:
            lengths.append(axis)
    return lengths


def validate(data: Mapping[str, np.ndarray], shapes: Mapping[str, Sequence[Axis]], params: Mapping[str, float],
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
        shown = "(" + ", ".join(f"{a}={e}" if a != e else str(a) for a, e in zip(axes, expected)) + ")"
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


def select(data: Mapping[str, np.ndarray], shapes: Mapping[str, Sequence[Axis]],
           at: Mapping[str, int]) -> dict[str, np.ndarray]:
    """The measurements with each named axis in ``at`` fixed at its index (measurements without that
    axis are left as they are); KeyError names an axis that no measurement declares."""
    unknown = sorted(set(at) - {a for axes in shapes.values() for a in axes if isinstance(a, str)})
    if unknown:
        raise KeyError(f"no measurement declares the axis {', '.join(map(repr, unknown))}")
    chosen = dict(data)
    for name, axes in shapes.items():
        index = tuple(at.get(axis, slice(None)) if isinstance(axis, str) else slice(None) for axis in axes)
        chosen[name] = np.asarray(data[name])[index]
    return chosen


def per_replica(values: np.ndarray, replicas: int | None) -> np.ndarray:
    """Values with a leading replica axis and grid cells after it, averaged within each replica, so
    that an interval counts replicas, not cells (other arrays are returned as they are)."""
    values = np.asarray(values, dtype=float)
    if replicas is None or values.ndim < 2 or values.shape[0] != replicas:
        return values
    return values.reshape(replicas, -1).mean(axis=1)
