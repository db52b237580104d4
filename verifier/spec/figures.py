"""Figure declarations of a spec (``Result.plots``): what to draw, named by measured arrays,
parameters or claim expressions; no data and no drawing code (that is
:mod:`verifier.presentation.plots`).

A name (``str``) is looked up among the measured arrays, then the parameters, and is otherwise read
as a sympy expression over both.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

Ref = Any  # str (a measured array, a parameter or an expression) or a sympy expression



@dataclass(frozen=True)
class Histogram:
    """Per-replica values of ``quantity`` (every element of the array, or per replica the mean over
    the trailing axes when ``per_replica``), with ``bound`` (the claimed value) as a vertical line.
    ``band`` shades an acceptance interval ``(lo, hi)``; ``control`` draws the negative control's value."""

    quantity: Ref
    title: str = ""
    bound: Ref | None = None
    bound_label: str = "claimed"
    band: tuple[Ref, Ref] | None = None
    control: Ref | None = None
    per_replica: bool = False
    bins: int | None = None  # None: Rice's rule 2 n^(1/3), at most 40
    xlabel: str = ""


@dataclass(frozen=True)
class Trajectory:
    """A quantity over iterations: the median over replicas and a quantile band, one line per index
    of ``series_axis``.

    ``y`` is an array with a replica axis (``replica_axis``, None when it has none) and a time axis
    (``time_axis``); ``x`` gives the iteration of each time index (shape ``(T,)``, or with a replica
    axis, whose first row is used). Before the replicas are summarised, the array is reduced:
    ``select`` fixes indices (``((axis, index), ...)``), then ``reduce`` (mean, median, max, min,
    sum) is applied over ``reduce_axes``. Every axis must be the replica, time or series axis or be
    reduced or selected; axes are numbered as in the original array. Example: ``y="gamma_traj"`` of
    shape (R, T, k, 2) with ``x="traj_steps"``, ``reduce_axes=(2,)``, ``reduce="max"``,
    ``series_axis=3``: one line per modality, the largest correlation over classes.
    """

    y: str
    x: str
    title: str = ""
    replica_axis: int | None = 0
    time_axis: int = 1
    series_axis: int | None = None
    series_labels: tuple[str, ...] = ()
    reduce_axes: tuple[int, ...] = ()
    reduce: str = "mean"
    select: tuple[tuple[int, int], ...] = ()
    band: tuple[float, float] = (0.1, 0.9)
    hlines: tuple[tuple[str, Ref], ...] = ()  # (label, value) horizontal reference lines, e.g. a threshold
    log_y: bool = False
    xlabel: str = "iteration"
    ylabel: str = ""


@dataclass(frozen=True)
class Sweep:
    """``measured`` across a sweep of ``x`` (shape (P,), or (R, P) with replicas first): the median over
    replicas with a quantile ``band``, beside ``predicted`` (shape (P,) or (R, P); its median). ``log``
    puts both axes on a log scale."""

    x: Ref
    measured: Ref
    predicted: Ref | None = None
    log: bool = False
    title: str = ""
    band: tuple[float, float] = (0.1, 0.9)
    xlabel: str = ""
    ylabel: str = ""


@dataclass(frozen=True)
class LogLog:
    """Points (x, y) on log-log axes (every replica), the least-squares line of log y on log x with its
    slope interval, and a line of the claimed ``slope`` through the points' centre."""

    x: Ref
    y: Ref
    slope: Ref | None = None
    title: str = ""
    xlabel: str = ""
    ylabel: str = ""


PlotSpec = Histogram | Trajectory | Sweep | LogLog
