"""Plot specs (presentation only) and their rendering as hand-written SVG for the HTML report.

A spec names measured arrays, parameters or claim expressions; it holds no data and no code. A
``Result`` lists its specs in ``Result.plots``; :func:`render` draws one from a record's measurements.
A name (``str``) is looked up among the measured arrays, then the parameters, and is otherwise read
as a sympy expression over both; a sympy expression is evaluated with :func:`verifier.judging.symbolic.evaluate`.

Every ``*_svg`` function is pure: numbers in, an ``<svg>`` string out (axes, ticks, labels, legend),
with every text escaped. No ids are emitted, so any number of plots can share a page.
"""
from __future__ import annotations

import html
import math
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

import numpy as np
import sympy as sp

from verifier.judging import acceptance, symbolic
from verifier.spec.figures import Histogram, LogLog, Ref, Sweep, Trajectory

PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#7F7F7F", "#000000")
REDUCERS = {"mean": np.nanmean, "median": np.nanmedian, "max": np.nanmax, "min": np.nanmin, "sum": np.nansum}


class PlotError(ValueError):
    """A plot spec cannot be drawn from the available data (missing array, wrong shape)."""


# ---------------------------------------------------------------------------------------------------
# Resolving names
# ---------------------------------------------------------------------------------------------------


def label(ref: Ref) -> str:
    """A short human label for a reference."""
    return ref if isinstance(ref, str) else sp.sstr(ref)


def resolve(ref: Ref, params: Mapping[str, float], data: Mapping[str, np.ndarray]) -> np.ndarray:
    """The values a reference denotes (see the module docstring); PlotError names what is missing."""
    try:
        if isinstance(ref, str):
            if ref in data:
                return np.asarray(data[ref], dtype=float)
            if ref in params:
                return np.asarray(float(params[ref]), dtype=float)
            ref = sp.sympify(ref)
        if isinstance(ref, (int, float)):
            return np.asarray(float(ref), dtype=float)
        return symbolic.evaluate(ref, params, data)
    except PlotError:
        raise
    except Exception as exc:  # sympify or evaluation problems become a readable plot error
        raise PlotError(f"cannot evaluate {label(ref)}: {exc}") from None


def _scalar(ref: Ref | None, params, data) -> float | None:
    if ref is None:
        return None
    values = resolve(ref, params, data)
    finite = values[np.isfinite(values)]
    return float(finite.mean()) if finite.size else None


# ---------------------------------------------------------------------------------------------------
# SVG primitives
# ---------------------------------------------------------------------------------------------------


def esc(text: Any) -> str:
    return html.escape(str(text), quote=True)


def fmt(value: float) -> str:
    """Compact tick/legend number."""
    if value == 0:
        return "0"
    if not math.isfinite(value):
        return str(value)
    magnitude = abs(value)
    if magnitude >= 1e5 or magnitude < 1e-3:
        mantissa, exponent = f"{value:.2e}".split("e")
        mantissa = mantissa.rstrip("0").rstrip(".")
        return f"{mantissa}e{int(exponent)}"
    return f"{value:.4g}"


def nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """Round tick values covering [lo, hi] (1, 2, 2.5, 5 times a power of ten)."""
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return []
    if hi <= lo:
        return [lo]
    raw = (hi - lo) / max(count, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    first = math.ceil(lo / step - 1e-9) * step
    ticks = []
    value = first
    while value <= hi + step * 1e-9:
        ticks.append(0.0 if abs(value) < step * 1e-9 else value)
        value += step
    return ticks


def _log_ticks(lo: float, hi: float) -> list[float]:
    """Ticks for a log axis with range [lo, hi] in log10 units: decades, with 2 and 5 times each decade
    when the range spans fewer than three; nice linear ticks within one decade."""
    decades = list(range(math.ceil(lo - 1e-9), math.floor(hi + 1e-9) + 1))
    if len(decades) >= 3:
        stride = max(1, math.ceil(len(decades) / 6))
        return [10.0 ** d for d in decades[::stride]]
    if len(decades) >= 1 and hi - lo >= 1:
        ticks = [m * 10.0 ** d for d in range(math.floor(lo), math.ceil(hi) + 1) for m in (1, 2, 5)]
        return [t for t in ticks if lo - 1e-9 <= math.log10(t) <= hi + 1e-9]
    return [t for t in nice_ticks(10 ** lo, 10 ** hi, 4) if t > 0]


@dataclass
class Frame:
    """Plot geometry and data-to-pixel maps (a log axis maps log10 of the value)."""

    xlim: tuple[float, float]
    ylim: tuple[float, float]
    log_x: bool = False
    log_y: bool = False
    width: int = 700
    height: int = 300
    left: int = 64
    right: int = 200
    top: int = 30
    bottom: int = 44
    integer_y: bool = False  # counts: whole-number ticks only
    no_y: bool = False  # a one-row chart: no y ticks

    @property
    def x0(self) -> float:
        return self.left

    @property
    def x1(self) -> float:
        return self.width - self.right

    @property
    def y0(self) -> float:
        return self.height - self.bottom

    @property
    def y1(self) -> float:
        return self.top

    def _t(self, value: float, log: bool) -> float:
        return math.log10(value) if log else value

    def px(self, value: float) -> float:
        a, b = self.xlim
        return self.x0 + (self._t(value, self.log_x) - a) / (b - a) * (self.x1 - self.x0)

    def py(self, value: float) -> float:
        a, b = self.ylim
        return self.y0 - (self._t(value, self.log_y) - a) / (b - a) * (self.y0 - self.y1)

    def inside_x(self, value: float) -> bool:
        return math.isfinite(value) and (value > 0 or not self.log_x)

    def inside_y(self, value: float) -> bool:
        return math.isfinite(value) and (value > 0 or not self.log_y)


def _limits(values: Sequence[float], log: bool, pad: float = 0.05) -> tuple[float, float]:
    """Axis range (log10 units on a log axis) covering the finite (positive, for log) values."""
    arr = np.asarray([v for v in values if math.isfinite(v) and (v > 0 or not log)], dtype=float)
    if arr.size == 0:
        return (0.0, 1.0)
    if log:
        arr = np.log10(arr)
    lo, hi = float(arr.min()), float(arr.max())
    if hi - lo < 1e-12:
        spread = 0.5 if log else (abs(lo) * 0.1 or 0.5)
        return lo - spread, hi + spread
    margin = (hi - lo) * pad
    return lo - margin, hi + margin


def _open(frame: Frame, title: str, kind: str) -> list[str]:
    return [f'<svg xmlns="http://www.w3.org/2000/svg" class="plot plot-{esc(kind)}" viewBox="0 0 {frame.width} {frame.height}" '
            f'width="{frame.width}" height="{frame.height}" role="img" aria-label="{esc(title)}" '
            f'font-family="Helvetica, Arial, sans-serif" font-size="11">',
            f"<title>{esc(title)}</title>",
            f'<rect x="0" y="0" width="{frame.width}" height="{frame.height}" fill="#ffffff"/>',
            f'<text x="{frame.width / 2 - frame.right / 2 + frame.left / 2:.1f}" y="18" text-anchor="middle" '
            f'font-size="13" font-weight="bold">{esc(title)}</text>']


def _axes(frame: Frame, xlabel: str, ylabel: str) -> list[str]:
    out = [f'<rect x="{frame.x0:.1f}" y="{frame.y1:.1f}" width="{frame.x1 - frame.x0:.1f}" '
           f'height="{frame.y0 - frame.y1:.1f}" fill="none" stroke="#444" stroke-width="1"/>']
    xt = _log_ticks(*frame.xlim) if frame.log_x else nice_ticks(*frame.xlim)
    yt = _log_ticks(*frame.ylim) if frame.log_y else nice_ticks(*frame.ylim)
    if frame.integer_y:
        yt = [t for t in yt if float(t).is_integer()]
    if frame.no_y:
        yt = []
    for t in xt:
        x = frame.px(t)
        if frame.x0 - 0.5 <= x <= frame.x1 + 0.5:
            out.append(f'<line x1="{x:.1f}" y1="{frame.y1:.1f}" x2="{x:.1f}" y2="{frame.y0:.1f}" stroke="#e3e3e3"/>')
            out.append(f'<line x1="{x:.1f}" y1="{frame.y0:.1f}" x2="{x:.1f}" y2="{frame.y0 + 4:.1f}" stroke="#444"/>')
            out.append(f'<text x="{x:.1f}" y="{frame.y0 + 15:.1f}" text-anchor="middle">{esc(fmt(t))}</text>')
    for t in yt:
        y = frame.py(t)
        if frame.y1 - 0.5 <= y <= frame.y0 + 0.5:
            out.append(f'<line x1="{frame.x0:.1f}" y1="{y:.1f}" x2="{frame.x1:.1f}" y2="{y:.1f}" stroke="#e3e3e3"/>')
            out.append(f'<line x1="{frame.x0 - 4:.1f}" y1="{y:.1f}" x2="{frame.x0:.1f}" y2="{y:.1f}" stroke="#444"/>')
            out.append(f'<text x="{frame.x0 - 6:.1f}" y="{y + 3.5:.1f}" text-anchor="end">{esc(fmt(t))}</text>')
    out.append(f'<text x="{(frame.x0 + frame.x1) / 2:.1f}" y="{frame.height - 8:.1f}" text-anchor="middle">{esc(xlabel)}</text>')
    cy = (frame.y0 + frame.y1) / 2
    out.append(f'<text x="14" y="{cy:.1f}" text-anchor="middle" transform="rotate(-90 14 {cy:.1f})">{esc(ylabel)}</text>')
    return out


@dataclass(frozen=True)
class LegendEntry:
    label: str
    colour: str
    style: str = "line"  # line | dashed | dotted | band | bar | point | whisker | text


def _legend(frame: Frame, entries: Sequence[LegendEntry]) -> list[str]:
    out = []
    x = frame.x1 + 12
    y = frame.y1 + 6
    for entry in entries[:14]:
        if entry.style == "text":
            pass
        elif entry.style == "band" or entry.style == "bar":
            opacity = "0.25" if entry.style == "band" else "0.7"
            out.append(f'<rect x="{x}" y="{y - 5}" width="22" height="10" fill="{entry.colour}" fill-opacity="{opacity}"/>')
        elif entry.style == "whisker":
            out.append(f'<line x1="{x}" y1="{y}" x2="{x + 22}" y2="{y}" stroke="{entry.colour}" stroke-width="2"/>'
                       f'<circle cx="{x + 11}" cy="{y}" r="4" fill="{entry.colour}"/>')
        elif entry.style == "point":
            out.append(f'<circle cx="{x + 11}" cy="{y}" r="3" fill="{entry.colour}"/>')
        else:
            dash = {"dashed": ' stroke-dasharray="6 3"', "dotted": ' stroke-dasharray="2 3"'}.get(entry.style, "")
            out.append(f'<line x1="{x}" y1="{y}" x2="{x + 22}" y2="{y}" stroke="{entry.colour}" stroke-width="2"{dash}/>')
        text = entry.label if len(entry.label) <= 30 else entry.label[:29] + "\u2026"
        out.append(f'<text x="{x + 28}" y="{y + 4}">{esc(text)}</text>')
        y += 17
    if len(entries) > 14:
        out.append(f'<text x="{x}" y="{y + 4}">{esc(f"(+{len(entries) - 14} more)")}</text>')
    return out


def empty_svg(title: str, message: str) -> str:
    """A placeholder drawing naming why there is nothing to plot."""
    frame = Frame((0, 1), (0, 1), height=120)
    body = _open(frame, title, "empty")
    body.append(f'<text x="{frame.width / 2:.1f}" y="70" text-anchor="middle" fill="#666">{esc(message)}</text>')
    return "\n".join(body + ["</svg>"])


def _dash(style: str) -> str:
    return {"dashed": ' stroke-dasharray="6 3"', "dotted": ' stroke-dasharray="2 3"'}.get(style, "")


@dataclass(frozen=True)
class Marker:
    """A vertical (histogram) or horizontal (line chart) reference line."""

    value: float
    label: str
    colour: str = "#000000"
    style: str = "dashed"


def histogram_svg(values: np.ndarray, *, title: str, xlabel: str = "", markers: Sequence[Marker] = (),
                  band: tuple[float, float] | None = None, band_label: str = "acceptance region",
                  bins: int | None = None) -> str:
    """A histogram of the finite values, with vertical reference lines and an optional shaded band.
    ``bins`` defaults to Rice's rule (2 n^(1/3), between 5 and 40); integer data get a bar per value."""
    values = np.asarray(values, dtype=float).ravel()
    finite = values[np.isfinite(values)]
    dropped = values.size - finite.size
    if finite.size == 0:
        return empty_svg(title, "no finite values to plot")
    bins = bins or int(min(40, max(5, math.ceil(2 * finite.size ** (1 / 3)))))
    span = [float(finite.min()), float(finite.max())]
    span += [m.value for m in markers if math.isfinite(m.value)]
    if band:
        span += [v for v in band if math.isfinite(v)]
    lo, hi = min(span), max(span)
    unique = np.unique(finite)
    discrete = unique.size <= bins and np.allclose(unique, np.round(unique)) and hi - lo <= 60
    if discrete:  # integer values (e.g. 0/1 outcomes): one bar per value
        edges = np.arange(math.floor(lo) - 0.5, math.ceil(hi) + 1.0, 1.0)
    else:
        if hi - lo < 1e-12 * max(1.0, abs(hi)):
            lo, hi = lo - (abs(lo) * 0.05 or 0.5), hi + (abs(hi) * 0.05 or 0.5)
        data_lo, data_hi = float(finite.min()), float(finite.max())
        if data_hi - data_lo < 1e-12 * max(1.0, abs(data_hi)):
            half = (hi - lo) / bins / 2
            edges = np.array([data_lo - half, data_lo + half])
        else:
            edges = np.linspace(data_lo, data_hi, bins + 1)
    counts, edges = np.histogram(finite, bins=edges)
    xlo, xhi = min(lo, float(edges[0])), max(hi, float(edges[-1]))
    margin = (xhi - xlo) * 0.04 or 0.5
    frame = Frame((xlo - margin, xhi + margin), (0.0, max(1.0, float(counts.max()) * 1.1)), integer_y=True)
    body = _open(frame, title, "histogram")
    legend: list[LegendEntry] = []
    if band:
        a = frame.px(max(band[0], frame.xlim[0])) if math.isfinite(band[0]) else frame.x0
        b = frame.px(min(band[1], frame.xlim[1])) if math.isfinite(band[1]) else frame.x1
        body.append(f'<rect x="{a:.1f}" y="{frame.y1:.1f}" width="{max(b - a, 0):.1f}" height="{frame.y0 - frame.y1:.1f}" '
                    f'fill="#009E73" fill-opacity="0.12"/>')
        legend.append(LegendEntry(band_label, "#009E73", "band"))
    body += _axes(frame, xlabel, "count")
    for count, a, b in zip(counts, edges[:-1], edges[1:]):
        if count == 0:
            continue
        x0, x1 = frame.px(a), frame.px(b)
        y = frame.py(count)
        body.append(f'<rect class="bar" x="{x0 + 0.5:.1f}" y="{y:.1f}" width="{max(x1 - x0 - 1, 0.5):.1f}" '
                    f'height="{frame.y0 - y:.1f}" fill="#0072B2" fill-opacity="0.7"><title>{esc(f"[{fmt(a)}, {fmt(b)}): {int(count)}")}</title></rect>')
    legend.insert(0, LegendEntry(f"values (n = {finite.size})", "#0072B2", "bar"))
    for marker in markers:
        if not math.isfinite(marker.value):
            continue
        x = frame.px(marker.value)
        body.append(f'<line x1="{x:.1f}" y1="{frame.y1:.1f}" x2="{x:.1f}" y2="{frame.y0:.1f}" stroke="{marker.colour}" '
                    f'stroke-width="2"{_dash(marker.style)}><title>{esc(f"{marker.label} = {fmt(marker.value)}")}</title></line>')
        legend.append(LegendEntry(f"{marker.label} = {fmt(marker.value)}", marker.colour, marker.style))
    if dropped:
        legend.append(LegendEntry(f"{dropped} non-finite omitted", "#999999", "dotted"))
    body += _legend(frame, legend)
    return "\n".join(body + ["</svg>"])


@dataclass(frozen=True)
class Series:
    """One line of a chart: y over x, an optional band (lo, hi), drawn as a line or as points."""

    label: str
    x: np.ndarray
    y: np.ndarray
    lo: np.ndarray | None = None
    hi: np.ndarray | None = None
    colour: str = PALETTE[0]
    style: str = "line"  # line | dashed | dotted | points
    band_label: str = ""


def _polyline(frame: Frame, xs, ys, colour: str, style: str) -> list[str]:
    """Polylines through the drawable points (a gap at every non-finite or non-positive-on-log point)."""
    out, run = [], []

    def flush():
        if len(run) >= 2:
            points = " ".join(f"{a:.1f},{b:.1f}" for a, b in run)
            out.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"'
                       f' stroke-linejoin="round"{_dash(style)}/>')
        elif len(run) == 1:
            out.append(f'<circle cx="{run[0][0]:.1f}" cy="{run[0][1]:.1f}" r="2" fill="{colour}"/>')
        run.clear()

    for a, b in zip(xs, ys):
        if frame.inside_x(a) and frame.inside_y(b):
            run.append((frame.px(a), frame.py(b)))
        else:
            flush()
    flush()
    return out


def _band(frame: Frame, xs, lo, hi, colour: str) -> list[str]:
    keep = [(a, l, h) for a, l, h in zip(xs, lo, hi) if frame.inside_x(a) and frame.inside_y(l) and frame.inside_y(h)]
    if len(keep) < 2:
        return []
    top = [f"{frame.px(a):.1f},{frame.py(h):.1f}" for a, _, h in keep]
    bottom = [f"{frame.px(a):.1f},{frame.py(l):.1f}" for a, l, _ in reversed(keep)]
    return [f'<polygon points="{" ".join(top + bottom)}" fill="{colour}" fill-opacity="0.2" stroke="none"/>']


def lines_svg(series: Sequence[Series], *, title: str, xlabel: str = "", ylabel: str = "", log_x: bool = False,
              log_y: bool = False, hlines: Sequence[Marker] = (), kind: str = "lines") -> str:
    """A line chart: each series as a line (or points) with its band, plus horizontal reference lines."""
    xs_all = [float(v) for s in series for v in np.ravel(s.x)]
    ys_all = [float(v) for s in series for v in np.ravel(s.y)]
    for s in series:
        for extra in (s.lo, s.hi):
            if extra is not None:
                ys_all += [float(v) for v in np.ravel(extra)]
    ys_all += [m.value for m in hlines]
    drawable_x = [v for v in xs_all if math.isfinite(v) and (v > 0 or not log_x)]
    drawable_y = [v for v in ys_all if math.isfinite(v) and (v > 0 or not log_y)]
    if not drawable_x or not drawable_y:
        return empty_svg(title, "no finite values to plot" + (" (a log axis needs positive values)" if log_x or log_y else ""))
    frame = Frame(_limits(drawable_x, log_x, 0.02), _limits(drawable_y, log_y), log_x, log_y)
    body = _open(frame, title, kind)
    legend: list[LegendEntry] = []
    for s in series:
        if s.lo is not None and s.hi is not None:
            body += _band(frame, np.ravel(s.x), np.ravel(s.lo), np.ravel(s.hi), s.colour)
    body += _axes(frame, xlabel, ylabel)
    for s in series:
        xs, ys = np.ravel(s.x), np.ravel(s.y)
        if s.style == "points":
            for a, b in zip(xs, ys):
                if frame.inside_x(a) and frame.inside_y(b):
                    body.append(f'<circle cx="{frame.px(a):.1f}" cy="{frame.py(b):.1f}" r="2.5" fill="{s.colour}" fill-opacity="0.55"/>')
            legend.append(LegendEntry(s.label, s.colour, "point"))
        else:
            body += _polyline(frame, xs, ys, s.colour, s.style)
            legend.append(LegendEntry(s.label, s.colour, s.style))
        if s.band_label:
            legend.append(LegendEntry(s.band_label, s.colour, "band" if s.lo is not None else "text"))
    for marker in hlines:
        if frame.inside_y(marker.value):
            y = frame.py(marker.value)
            if frame.y1 <= y <= frame.y0:
                body.append(f'<line x1="{frame.x0:.1f}" y1="{y:.1f}" x2="{frame.x1:.1f}" y2="{y:.1f}" stroke="{marker.colour}" '
                            f'stroke-width="1.5"{_dash(marker.style)}/>')
        legend.append(LegendEntry(f"{marker.label} = {fmt(marker.value)}", marker.colour, marker.style))
    body += _legend(frame, legend)
    return "\n".join(body + ["</svg>"])


# ---------------------------------------------------------------------------------------------------
# Spec -> SVG
# ---------------------------------------------------------------------------------------------------


def _quantiles(values: np.ndarray, band: tuple[float, float], axis: int = 0):
    with np.errstate(all="ignore"):
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            median = np.nanmedian(values, axis=axis)
            lo = np.nanquantile(values, band[0], axis=axis)
            hi = np.nanquantile(values, band[1], axis=axis)
    return median, lo, hi


def _band_label(band: tuple[float, float]) -> str:
    return f"{band[0]:.0%}-{band[1]:.0%} of replicas"


def render_histogram(spec: Histogram, params: Mapping[str, float], data: Mapping[str, np.ndarray]) -> str:
    values = resolve(spec.quantity, params, data)
    if spec.per_replica and values.ndim > 1:
        values = np.nanmean(values.reshape(values.shape[0], -1), axis=1)
    markers = []
    bound = _scalar(spec.bound, params, data)
    if bound is not None:
        markers.append(Marker(bound, spec.bound_label, "#D55E00", "dashed"))
    control = _scalar(spec.control, params, data)
    if control is not None:
        markers.append(Marker(control, "negative control", "#7F7F7F", "dotted"))
    band = None
    if spec.band is not None:
        lo, hi = (_scalar(spec.band[0], params, data), _scalar(spec.band[1], params, data))
        band = (-math.inf if lo is None else lo, math.inf if hi is None else hi)
    title = spec.title or f"{label(spec.quantity)} per replica"
    return histogram_svg(values, title=title, xlabel=spec.xlabel or label(spec.quantity), markers=markers,
                         band=band, bins=spec.bins)


def _trajectory_array(spec: Trajectory, values: np.ndarray) -> np.ndarray:
    """Reduce ``values`` to shape (R, T, S) (R = 1 without a replica axis, S = 1 without series)."""
    axes = list(range(values.ndim))
    named = [a for a in (spec.replica_axis, spec.time_axis, spec.series_axis) if a is not None]
    for axis in [*named, *spec.reduce_axes, *(a for a, _ in spec.select)]:
        if not 0 <= axis < values.ndim:
            raise PlotError(f"{spec.y} has shape {values.shape}: axis {axis} does not exist")
    if len(set(named)) != len(named):
        raise PlotError(f"{spec.y}: replica_axis, time_axis and series_axis must differ")
    if spec.reduce not in REDUCERS:
        raise PlotError(f"reduce must be one of {', '.join(REDUCERS)}, got {spec.reduce!r}")
    for axis, index in sorted(spec.select, reverse=True):
        if not -values.shape[axes.index(axis)] <= index < values.shape[axes.index(axis)]:
            raise PlotError(f"{spec.y} has shape {values.shape}: index {index} out of range on axis {axis}")
        values = np.take(values, index, axis=axes.index(axis))
        axes.remove(axis)
    reduce = [a for a in spec.reduce_axes if a in axes]
    if reduce:
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            values = REDUCERS[spec.reduce](values, axis=tuple(axes.index(a) for a in reduce))
        axes = [a for a in axes if a not in reduce]
    left = [a for a in axes if a not in named]
    if left:
        raise PlotError(f"{spec.y}: axes {left} are neither the replica, time nor series axis; "
                        "add them to reduce_axes or select")
    order = [axes.index(a) for a in named]
    values = np.transpose(values, order)
    if spec.replica_axis is None:
        values = values[np.newaxis]
    if spec.series_axis is None:
        values = values[..., np.newaxis]
    return values


def render_trajectory(spec: Trajectory, params: Mapping[str, float], data: Mapping[str, np.ndarray]) -> str:
    values = _trajectory_array(spec, resolve(spec.y, params, data))
    x = resolve(spec.x, params, data)
    if x.ndim > 1:
        x = x.reshape(-1, x.shape[-1])[0]
    if x.ndim == 0 or x.shape[0] != values.shape[1]:
        raise PlotError(f"{spec.x} has {x.size} entries but {spec.y} has {values.shape[1]} time points")
    series = []
    replicas = values.shape[0]
    for index in range(values.shape[2]):
        median, lo, hi = _quantiles(values[:, :, index], spec.band)
        name = spec.series_labels[index] if index < len(spec.series_labels) else (
            f"{spec.y}[{index}]" if values.shape[2] > 1 else spec.y)
        banded = replicas > 1
        series.append(Series(f"{name} (median)" if banded else name, x, median, lo if banded else None,
                             hi if banded else None, PALETTE[index % len(PALETTE)], "line",
                             _band_label(spec.band) if banded and index == 0 else ""))
    hlines = [Marker(v, name, "#000000", "dashed") for name, ref in spec.hlines
              if (v := _scalar(ref, params, data)) is not None]
    reduction = (f"{spec.reduce} over axis{'es' if len(spec.reduce_axes) > 1 else ''} "
                 f"{', '.join(map(str, spec.reduce_axes))}") if spec.reduce_axes else ""
    ylabel = spec.ylabel or " ".join(part for part in (spec.y, f"({reduction})" if reduction else "") if part)
    return lines_svg(series, title=spec.title or f"{spec.y} over iterations", xlabel=spec.xlabel, ylabel=ylabel,
                     log_y=spec.log_y, hlines=hlines, kind="trajectory")


def _sweep_values(ref: Ref, params, data, points: int) -> np.ndarray:
    values = resolve(ref, params, data)
    if values.ndim == 0:
        values = np.full(points, float(values))
    if values.shape[-1] != points:
        raise PlotError(f"{label(ref)} has shape {values.shape}; its last axis should have the {points} sweep points")
    return values.reshape(-1, points)


def render_sweep(spec: Sweep, params: Mapping[str, float], data: Mapping[str, np.ndarray]) -> str:
    x = resolve(spec.x, params, data)
    if x.ndim == 0:
        raise PlotError(f"{label(spec.x)} is a single value, not a sweep")
    x = x.reshape(-1, x.shape[-1])[0]
    measured = _sweep_values(spec.measured, params, data, x.size)
    median, lo, hi = _quantiles(measured, spec.band)
    banded = measured.shape[0] > 1
    series = [Series(f"measured {label(spec.measured)}" + (" (median)" if banded else ""), x, median,
                     lo if banded else None, hi if banded else None, PALETTE[0], "line",
                     _band_label(spec.band) if banded else "")]
    if spec.predicted is not None:
        predicted = _quantiles(_sweep_values(spec.predicted, params, data, x.size), spec.band)[0]
        series.append(Series(f"predicted {label(spec.predicted)}", x, predicted, colour=PALETTE[1], style="dashed"))
    return lines_svg(series, title=spec.title or f"{label(spec.measured)} across {label(spec.x)}",
                     xlabel=spec.xlabel or label(spec.x), ylabel=spec.ylabel or label(spec.measured),
                     log_x=spec.log, log_y=spec.log, kind="sweep")


def loglog_svg(x: np.ndarray, y: np.ndarray, slope: float | None, *, title: str, xlabel: str = "", ylabel: str = "",
               alpha: float = 0.05) -> str:
    """Points on log-log axes, their least-squares line (slope with its interval) and the claimed slope."""
    x, y = np.broadcast_arrays(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
    x, y = x.ravel(), y.ravel()
    keep = np.isfinite(x) & np.isfinite(y) & (x > 0) & (y > 0)
    if keep.sum() < 2:
        return empty_svg(title, "fewer than two positive finite points")
    lx, ly = np.log10(x[keep]), np.log10(y[keep])
    series = [Series(f"measured (n = {int(keep.sum())})", x[keep], y[keep], colour=PALETTE[0], style="points")]
    grid = np.logspace(lx.min(), lx.max(), 50) if np.ptp(lx) > 0 else None
    if grid is not None:
        fit = acceptance.slope_interval(lx, ly, alpha)
        intercept = ly.mean() - fit.estimate * lx.mean()
        series.append(Series(f"fit: slope {fit.estimate:.3g}", grid, 10 ** (intercept + fit.estimate * np.log10(grid)),
                             colour=PALETTE[0], style="line",
                             band_label=f"{1 - alpha:.0%} CI [{fit.lo:.3g}, {fit.hi:.3g}]" if math.isfinite(fit.lo) else ""))
        if slope is not None and math.isfinite(slope):
            anchor = ly.mean() - slope * lx.mean()
            series.append(Series(f"claimed slope {fmt(slope)}", grid, 10 ** (anchor + slope * np.log10(grid)),
                                 colour=PALETTE[1], style="dashed"))
    return lines_svg(series, title=title, xlabel=xlabel, ylabel=ylabel, log_x=True, log_y=True, kind="loglog")


def render_loglog(spec: LogLog, params: Mapping[str, float], data: Mapping[str, np.ndarray], alpha: float = 0.05) -> str:
    x, y = resolve(spec.x, params, data), resolve(spec.y, params, data)
    try:
        np.broadcast_shapes(x.shape, y.shape)
    except ValueError:
        raise PlotError(f"{label(spec.x)} {x.shape} and {label(spec.y)} {y.shape} do not broadcast") from None
    return loglog_svg(x, y, _scalar(spec.slope, params, data), title=spec.title or f"{label(spec.y)} against {label(spec.x)}",
                      xlabel=spec.xlabel or label(spec.x), ylabel=spec.ylabel or label(spec.y), alpha=alpha)


def render(spec: Any, params: Mapping[str, float], data: Mapping[str, np.ndarray], alpha: float = 0.05) -> str:
    """The SVG of one plot spec; PlotError when the data cannot support it."""
    if isinstance(spec, Histogram):
        return render_histogram(spec, params, data)
    if isinstance(spec, Trajectory):
        return render_trajectory(spec, params, data)
    if isinstance(spec, Sweep):
        return render_sweep(spec, params, data)
    if isinstance(spec, LogLog):
        return render_loglog(spec, params, data, alpha)
    raise PlotError(f"unknown plot spec {type(spec).__name__} (expected Histogram, Trajectory, Sweep or LogLog)")


def title_of(spec: Any) -> str:
    return getattr(spec, "title", "") or type(spec).__name__


def _finite(value: Any) -> float | None:
    """A JSON number as float; None for missing or non-finite values ('inf' strings included)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _bound(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def acceptance_band(outcome: Mapping[str, Any]) -> tuple[float, float] | None:
    """The acceptance region of a judged claim on the scale of its measured quantity (None when the
    decision statistic has no such reading)."""
    region = outcome.get("region")
    claimed = _finite(outcome.get("claimed"))
    if not region or len(region) != 2:
        return None
    lo, hi = _bound(region[0]), _bound(region[1])
    statistic = outcome.get("statistic", "")
    if statistic.startswith(("probability", "pooled proportion", "log-log slope")):
        return lo, hi
    if claimed is None:
        return None
    if statistic in ("mean(quantity - bound)", "mean(greater - lesser)"):
        return claimed + lo, claimed + hi
    if statistic == "mean(quantity / target)":
        a, b = claimed * lo, claimed * hi
        return (min(a, b), max(a, b))
    if statistic == "mean log(measured / predicted)":
        return claimed * math.exp(lo), claimed * math.exp(hi)
    return None


def estimate_svg(outcome: Mapping[str, Any], title: str | None = None) -> str | None:
    """One judged empirical claim from its JSON record alone: the measured estimate with its interval,
    the claimed value, the negative control's value and the acceptance region on the same axis.
    None for a symbolic claim or one without a finite estimate."""
    if outcome.get("statistic") in (None, "", "sympy"):
        return None
    observed = _finite(outcome.get("observed"))
    if observed is None:
        return None
    ci = outcome.get("observed_ci") or [None, None]
    lo, hi = _finite(ci[0]), _finite(ci[1])
    claimed = _finite(outcome.get("claimed"))
    control = _finite((outcome.get("control") or {}).get("claimed"))
    band = acceptance_band(outcome)
    span = [v for v in (observed, lo, hi, claimed, control) if v is not None]
    if band:
        span += [v for v in band if math.isfinite(v)]
    xlim = _limits(span, False, 0.08)
    frame = Frame(xlim, (0.0, 1.0), height=120, top=28, bottom=38, no_y=True)
    title = title or outcome.get("label", "claim")
    body = _open(frame, title, "estimate")
    legend: list[LegendEntry] = []
    if band:
        a = frame.px(max(band[0], xlim[0])) if math.isfinite(band[0]) else frame.x0
        b = frame.px(min(band[1], xlim[1])) if math.isfinite(band[1]) else frame.x1
        a, b = max(a, frame.x0), min(b, frame.x1)
        if b > a:
            body.append(f'<rect class="region" x="{a:.1f}" y="{frame.y1:.1f}" width="{b - a:.1f}" '
                        f'height="{frame.y0 - frame.y1:.1f}" fill="#009E73" fill-opacity="0.15"/>')
        legend.append(LegendEntry("acceptance region", "#009E73", "band"))
    body += _axes(frame, outcome.get("statistic", "") if band is None else "measured quantity", "")
    for value, name, colour, style in ((claimed, "claimed", "#D55E00", "dashed"),
                                       (control, "negative control", "#7F7F7F", "dotted")):
        if value is None:
            continue
        x = frame.px(value)
        body.append(f'<line x1="{x:.1f}" y1="{frame.y1:.1f}" x2="{x:.1f}" y2="{frame.y0:.1f}" stroke="{colour}" '
                    f'stroke-width="2"{_dash(style)}/>')
        legend.append(LegendEntry(f"{name} = {fmt(value)}", colour, style))
    y = (frame.y0 + frame.y1) / 2
    if lo is not None and hi is not None:
        a, b = max(frame.px(lo), frame.x0), min(frame.px(hi), frame.x1)
        body.append(f'<line x1="{a:.1f}" y1="{y:.1f}" x2="{b:.1f}" y2="{y:.1f}" stroke="#0072B2" stroke-width="2.5"/>'
                    f'<line x1="{a:.1f}" y1="{y - 6:.1f}" x2="{a:.1f}" y2="{y + 6:.1f}" stroke="#0072B2" stroke-width="2"/>'
                    f'<line x1="{b:.1f}" y1="{y - 6:.1f}" x2="{b:.1f}" y2="{y + 6:.1f}" stroke="#0072B2" stroke-width="2"/>')
    body.append(f'<circle cx="{frame.px(observed):.1f}" cy="{y:.1f}" r="5" fill="#0072B2"/>')
    alpha = _finite(outcome.get("alpha"))
    level = f"{1 - alpha:.0%} " if alpha is not None else ""
    legend.insert(0, LegendEntry(f"measured {fmt(observed)}", "#0072B2", "whisker"))
    if lo is not None and hi is not None:
        legend.insert(1, LegendEntry(f"{level}CI [{fmt(lo)}, {fmt(hi)}]", "#0072B2", "text"))
    body += _legend(frame, legend)
    return "\n".join(body + ["</svg>"])


# ---------------------------------------------------------------------------------------------------
# Automatic plots of claims
# ---------------------------------------------------------------------------------------------------


def _per_replica(values: np.ndarray, replicas: int | None) -> np.ndarray:
    """Per-replica values: the mean over the trailing axes of an array with a replica axis first; a flat
    array of ``replicas * n`` outcomes is read replica-major (the checks' convention, first axis replica)."""
    if values.ndim > 1:
        return np.nanmean(values.reshape(values.shape[0], -1), axis=1)
    if replicas and replicas > 1 and values.size > replicas and values.size % replicas == 0:
        return np.nanmean(values.reshape(replicas, -1), axis=1)
    return values


MIN_HISTOGRAM = 5  # fewer per-replica values than this make no histogram


def claim_plot(claim: Any, params: Mapping[str, float], data: Mapping[str, np.ndarray],
               outcome: Mapping[str, Any] | None = None, alpha: float = 0.05, replicas: int | None = None) -> str | None:
    """The default picture of an empirical claim: per-replica values of its quantity against the claimed
    value (and the negative control's), or a log-log fit for a rate. None for a symbolic claim, or
    where there are fewer than MIN_HISTOGRAM per-replica values."""
    from verifier.spec import claims as c

    if not getattr(claim, "empirical", False):
        return None
    control = (outcome or {}).get("control") or {}
    control_value = control.get("claimed") if isinstance(control.get("claimed"), (int, float)) else None
    title = f"{claim.label}"
    if isinstance(claim, c.Bound):
        values = resolve(claim.quantity, params, data)
        if values.size < MIN_HISTOGRAM:
            return None
        bound = _scalar(claim.bound, params, data)
        varies = resolve(claim.bound, params, data).size > 1
        sign = "\u2264" if claim.relation == "<=" else "\u2265"
        markers = [Marker(bound, f"claimed {sign}" + (" (mean)" if varies else ""), "#D55E00")] if bound is not None else []
        if control_value is not None:
            markers.append(Marker(float(control_value), "negative control", "#7F7F7F", "dotted"))
        return histogram_svg(values, title=title, xlabel=label(claim.quantity), markers=markers)
    if isinstance(claim, c.Ordering):
        greater, lesser = np.broadcast_arrays(resolve(claim.greater, params, data), resolve(claim.lesser, params, data))
        if greater.size < MIN_HISTOGRAM:
            return None
        return histogram_svg(greater - lesser, title=title, xlabel=f"({label(claim.greater)}) - ({label(claim.lesser)})",
                             markers=[Marker(0.0, "claimed \u2265", "#D55E00")])
    if isinstance(claim, c.Approx):
        values = resolve(claim.quantity, params, data)
        if values.size < MIN_HISTOGRAM:
            return None
        target = _scalar(claim.target, params, data)
        markers = [Marker(target, "claimed", "#D55E00")] if target is not None else []
        band = (target * (1 - claim.rtol), target * (1 + claim.rtol)) if target is not None else None
        if band and band[0] > band[1]:
            band = (band[1], band[0])
        if control_value is not None:
            markers.append(Marker(float(control_value), "negative control", "#7F7F7F", "dotted"))
        return histogram_svg(values, title=title, xlabel=label(claim.quantity), markers=markers, band=band,
                             band_label=f"claimed \u00b1 {fmt(claim.rtol * 100)}%")
    if isinstance(claim, c.Probability):
        events = resolve(claim.event, params, data)
        per_replica = _per_replica(events, replicas)
        if per_replica.size < MIN_HISTOGRAM:
            return None
        value = _scalar(claim.value, params, data)
        markers = [Marker(value, f"claimed {claim.relation}".replace("<=", "\u2264").replace(">=", "\u2265"), "#D55E00")] \
            if value is not None else []
        band = (value - claim.atol, value + claim.atol) if value is not None and claim.relation == "==" else None
        if control_value is not None:
            markers.append(Marker(float(control_value), "negative control", "#7F7F7F", "dotted"))
        what = "frequency per replica" if per_replica.size < events.size else "outcome per replica"
        return histogram_svg(per_replica, title=title, xlabel=f"{label(claim.event)}: {what}", markers=markers, band=band)
    if isinstance(claim, c.Rate):
        x, y = resolve(claim.over, params, data), resolve(claim.quantity, params, data)
        return loglog_svg(x, y, _scalar(claim.exponent, params, data), title=title, xlabel=label(claim.over),
                          ylabel=label(claim.quantity), alpha=alpha)
    if isinstance(claim, c.Duration):
        measured, predicted = np.broadcast_arrays(resolve(claim.measured, params, data), resolve(claim.predicted, params, data))
        if measured.size < MIN_HISTOGRAM:
            return None
        with np.errstate(all="ignore"):
            ratio = measured / predicted
        return histogram_svg(ratio, title=title, xlabel=f"{label(claim.measured)} / {label(claim.predicted)}",
                             markers=[Marker(1.0, "claimed ratio", "#D55E00")],
                             band=(1 / (1 + claim.rtol), 1 + claim.rtol), band_label="acceptance region")
    return None
