"""Plot specs (presentation only) and their rendering as inline SVG for the HTML report (matplotlib).

A spec names measured arrays, parameters or claim expressions; it holds no data and no code. A
``Result`` lists its specs in ``Result.plots``; :func:`render` draws one from a record's measurements.
A name (``str``) is looked up among the measured arrays, then the parameters, and is otherwise read
as a sympy expression over both; a sympy expression is evaluated with :func:`verifier.judging.symbolic.evaluate`.

Every ``*_svg`` function is pure: numbers in, an ``<svg>`` string out, drawn by matplotlib's SVG
backend (ticks, log scales and legends from the library), with text kept as text and element ids
salted per figure from what it shows, so a report diffs cleanly and any number of plots share a page.
"""
from __future__ import annotations

import hashlib
import html
import io
import math
import re
from dataclasses import dataclass
from typing import Any, Callable, Mapping, Sequence

import matplotlib
import numpy as np
import sympy as sp
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from matplotlib.ticker import LogFormatterSciNotation, MaxNLocator

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
# Drawing (matplotlib's SVG backend, object API: no pyplot state)
# ---------------------------------------------------------------------------------------------------

# Text stays text (no glyph paths); ids come from a salt per figure, so a report diffs cleanly and many
# figures share a page without an id clash.
_STYLE = {"svg.fonttype": "none", "font.size": 9, "axes.titlesize": 10, "axes.titleweight": "bold",
          "axes.grid": True, "grid.color": "#e3e3e3", "grid.linewidth": 0.8, "legend.fontsize": 8,
          "legend.frameon": False, "axes.edgecolor": "#444444", "path.simplify": True}
WIDTH_IN = 7.0
DASHES = {"line": "-", "dashed": "--", "dotted": ":"}


def esc(text: Any) -> str:
    return html.escape(str(text), quote=True)


def fmt(value: float) -> str:
    """Compact legend number."""
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


def _plain(text: Any) -> str:
    """Text shown as typed: matplotlib would read '$...$' as mathtext."""
    return str(text).replace("$", r"\$")


def _key(*parts: Any) -> str:
    """A stable digest of what a figure shows (its ids derive from it)."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(np.ascontiguousarray(part).tobytes() if isinstance(part, np.ndarray) else repr(part).encode())
    return digest.hexdigest()[:16]


def _svg(kind: str, title: str, key: str, draw: Callable[[Figure], None], height: float = 3.0) -> str:
    """Draw a figure with ``draw`` and return it as an inline ``<svg class="plot plot-<kind>">``: no XML
    prolog, the title as an accessible name, ids salted by (kind, title, key)."""
    salt = hashlib.sha256(f"{kind}|{title}|{key}".encode()).hexdigest()[:12]
    with matplotlib.rc_context({**_STYLE, "svg.hashsalt": salt}):
        figure = Figure(figsize=(WIDTH_IN, height), layout="constrained")
        FigureCanvasSVG(figure)
        draw(figure)
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    text = _prefix_ids(buffer.getvalue(), f"plot-{salt[:8]}-")
    start = text.index("<svg")
    end = text.index(">", start)
    root = text[start:end]
    size = {name: re.search(rf'\b{name}="([^"]+)"', root).group(1) for name in ("width", "height", "viewBox")}
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="plot plot-{esc(kind)}" '
            f'xmlns:xlink="http://www.w3.org/1999/xlink" width="{size["width"]}" height="{size["height"]}" '
            f'viewBox="{size["viewBox"]}" role="img" aria-label="{esc(title)}"><title>{esc(title)}</title>'
            + text[end + 1:].strip())


def _prefix_ids(svg: str, prefix: str) -> str:
    """Every id of one figure, and every reference to it, under a prefix of its own (matplotlib numbers
    its groups per figure: figure_1, axes_1, ...)."""
    svg = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{prefix}{m.group(1)}"', svg)
    return re.sub(r'(url\(#|href="#)([^")]+)', lambda m: m.group(1) + prefix + m.group(2), svg)


def _legend(axes: Any, lead: str = "") -> None:
    """The legend beside the axes; entries whose label starts with ``lead`` first (matplotlib lists an
    errorbar after every line, which would put its interval's entry above the measurement)."""
    handles, labels = axes.get_legend_handles_labels()
    if lead:
        order = sorted(range(len(labels)), key=lambda i: not labels[i].startswith(lead))
        handles, labels = [handles[i] for i in order], [labels[i] for i in order]
    if handles:
        axes.legend(handles, labels, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0)


_SUPERSCRIPT = str.maketrans("0123456789-", "\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079\u207b")


class _LogTicks(LogFormatterSciNotation):
    """Log-axis tick labels as plain text (10⁻², 2×10⁻¹): the library chooses which ticks to label, but
    its mathtext labels cost most of a log figure's drawing time and come out split into spans."""

    def __call__(self, x: float, pos: int | None = None) -> str:
        text = super().__call__(x, pos)
        if not text.startswith("$"):
            return text
        text = text.strip("$").replace(r"\mathdefault", "").replace(r"\times", "\u00d7")
        text = re.sub(r"\^\{([-0-9]+)\}", lambda match: match.group(1).translate(_SUPERSCRIPT), text)
        return text.replace("{", "").replace("}", "").replace("-", "\u2212")


def _log_axis(axis: Any) -> None:
    axis.set_major_formatter(_LogTicks())
    axis.set_minor_formatter(_LogTicks(labelOnlyBase=False))


def _text_entry(axes: Any, text: str) -> None:
    """A legend line with no symbol (an interval, a count)."""
    axes.plot([], [], linestyle="none", label=_plain(text))


def empty_svg(title: str, message: str) -> str:
    """A placeholder drawing naming why there is nothing to plot."""
    def draw(figure: Figure) -> None:
        axes = figure.add_subplot()
        axes.set_axis_off()
        axes.set_title(_plain(title))
        axes.text(0.5, 0.5, _plain(message), ha="center", va="center", color="#666666", transform=axes.transAxes)
    return _svg("empty", title, _key(message), draw, height=1.4)


@dataclass(frozen=True)
class Marker:
    """A vertical (histogram) or horizontal (line chart) reference line."""

    value: float
    label: str
    colour: str = "#000000"
    style: str = "dashed"


def _bin_edges(finite: np.ndarray, lo: float, hi: float, bins: int) -> np.ndarray:
    """One bar per value for integer data (0/1 outcomes), else ``bins`` equal bins over the data."""
    unique = np.unique(finite)
    if unique.size <= bins and np.allclose(unique, np.round(unique)) and hi - lo <= 60:
        return np.arange(math.floor(lo) - 0.5, math.ceil(hi) + 1.0, 1.0)
    data_lo, data_hi = float(finite.min()), float(finite.max())
    if data_hi - data_lo < 1e-12 * max(1.0, abs(data_hi)):
        half = (abs(data_lo) * 0.05 or 0.5) / bins
        return np.array([data_lo - half, data_lo + half])
    return np.linspace(data_lo, data_hi, bins + 1)


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
    shown = [m for m in markers if math.isfinite(m.value)]
    span = [float(finite.min()), float(finite.max()), *(m.value for m in shown)]
    edges = _bin_edges(finite, min(span), max(span), bins)

    def draw(figure: Figure) -> None:
        axes = figure.add_subplot()
        axes.hist(finite, bins=edges, color=PALETTE[0], alpha=0.7, rwidth=0.95, label=_plain(f"values (n = {finite.size})"))
        if band:
            lo = band[0] if math.isfinite(band[0]) else min(span + [float(edges[0])])
            hi = band[1] if math.isfinite(band[1]) else max(span + [float(edges[-1])])
            axes.axvspan(lo, hi, color="#009E73", alpha=0.12, label=_plain(band_label))
        for marker in shown:
            axes.axvline(marker.value, color=marker.colour, linestyle=DASHES.get(marker.style, "--"), linewidth=2,
                         label=_plain(f"{marker.label} = {fmt(marker.value)}"))
        if dropped:
            _text_entry(axes, f"{dropped} non-finite omitted")
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes.set(xlabel=_plain(xlabel), ylabel="count", title=_plain(title))
        _legend(axes)
    return _svg("histogram", title, _key(values, [(m.value, m.label) for m in markers], band, bins, xlabel), draw)


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


def _drawable(values: Any, log: bool) -> np.ndarray:
    """Float values with the undrawable ones (non-finite; non-positive on a log axis) as NaN: gaps."""
    values = np.asarray(values, dtype=float).ravel().copy()
    values[~np.isfinite(values) | ((values <= 0) if log else False)] = np.nan
    return values


def lines_svg(series: Sequence[Series], *, title: str, xlabel: str = "", ylabel: str = "", log_x: bool = False,
              log_y: bool = False, hlines: Sequence[Marker] = (), kind: str = "lines") -> str:
    """A line chart: each series as a line (or points) with its band, plus horizontal reference lines."""
    if not any(np.isfinite(_drawable(s.x, log_x)).any() and np.isfinite(_drawable(s.y, log_y)).any() for s in series):
        return empty_svg(title, "no finite values to plot" + (" (a log axis needs positive values)" if log_x or log_y else ""))

    def draw(figure: Figure) -> None:
        axes = figure.add_subplot()
        for index, s in enumerate(series):
            x, y = _drawable(s.x, log_x), _drawable(s.y, log_y)
            if s.lo is not None and s.hi is not None:
                axes.fill_between(x, _drawable(s.lo, log_y), _drawable(s.hi, log_y), color=s.colour, alpha=0.2,
                                  linewidth=0, gid=f"band-{index}", label=_plain(s.band_label) if s.band_label else None)
            if s.style == "points":
                axes.plot(x, y, linestyle="none", marker="o", markersize=3.5, alpha=0.55, color=s.colour, label=_plain(s.label))
            else:
                axes.plot(x, y, linestyle=DASHES.get(s.style, "-"), linewidth=2, color=s.colour, label=_plain(s.label))
            if s.band_label and (s.lo is None or s.hi is None):
                _text_entry(axes, s.band_label)                     # an interval with no band: beneath its line
        for marker in hlines:
            if math.isfinite(marker.value) and (marker.value > 0 or not log_y):
                axes.axhline(marker.value, color=marker.colour, linestyle=DASHES.get(marker.style, "--"), linewidth=1.5,
                             label=_plain(f"{marker.label} = {fmt(marker.value)}"))
        if log_x:
            axes.set_xscale("log")
            _log_axis(axes.xaxis)
        if log_y:
            axes.set_yscale("log")
            _log_axis(axes.yaxis)
        axes.set(xlabel=_plain(xlabel), ylabel=_plain(ylabel), title=_plain(title))
        _legend(axes)
    key = _key(*(np.asarray(v, dtype=float) for s in series for v in (s.x, s.y) if v is not None),
               [(s.label, s.style, s.band_label) for s in series], [(m.value, m.label) for m in hlines], log_x, log_y)
    return _svg(kind, title, key, draw)


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
    alpha = _finite(outcome.get("alpha"))
    title = title or outcome.get("label", "claim")
    span = [v for v in (observed, lo, hi, claimed, control) if v is not None]

    def draw(figure: Figure) -> None:
        axes = figure.add_subplot()
        if lo is not None and hi is not None:
            axes.errorbar([observed], [0.5], xerr=[[observed - lo], [hi - observed]], fmt="o", color=PALETTE[0],
                          capsize=6, linewidth=2.5, markersize=7, label=_plain(f"measured {fmt(observed)}"))
            _text_entry(axes, f"{1 - alpha:.0%} CI [{fmt(lo)}, {fmt(hi)}]" if alpha is not None else f"CI [{fmt(lo)}, {fmt(hi)}]")
        else:
            axes.plot([observed], [0.5], "o", color=PALETTE[0], markersize=7, label=_plain(f"measured {fmt(observed)}"))
        for value, name, colour, style in ((claimed, "claimed", "#D55E00", "dashed"),
                                           (control, "negative control", "#7F7F7F", "dotted")):
            if value is not None:
                axes.axvline(value, color=colour, linestyle=DASHES[style], linewidth=2, label=_plain(f"{name} = {fmt(value)}"))
        if band:
            width = (max(span) - min(span)) or abs(observed) or 1.0
            left = band[0] if math.isfinite(band[0]) else min(span) - width
            right = band[1] if math.isfinite(band[1]) else max(span) + width
            axes.axvspan(left, right, color="#009E73", alpha=0.15, label="acceptance region")
            axes.set_xlim(min(span) - 0.08 * width, max(span) + 0.08 * width)
        decided, relation = outcome.get("ci") or [None, None], outcome.get("relation", "")
        estimate = _finite(outcome.get("estimate"))
        if estimate is not None and relation and _finite(decided[0]) is not None and _finite(decided[1]) is not None:
            _text_entry(axes, f"decided on {outcome.get('statistic', '')} = {fmt(estimate)} "
                              f"[{fmt(float(decided[0]))}, {fmt(float(decided[1]))}], accepted when {relation}")
        axes.set_ylim(0, 1)
        axes.yaxis.set_visible(False)
        axes.set(xlabel=_plain(outcome.get("statistic", "") if band is None else "measured quantity"), title=_plain(title))
        _legend(axes, lead="measured")
    return _svg("estimate", title, _key(observed, lo, hi, claimed, control, band, alpha, outcome.get("ci"),
                                        outcome.get("relation")), draw, height=2.1)


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


VERDICT_ORDER = ("FAIL", "INCONCLUSIVE", "ERROR", "BLOCKED", "PASS", "SYMBOLIC")
VERDICT_COLOUR = {"PASS": PALETTE[2], "SYMBOLIC": PALETTE[2], "FAIL": PALETTE[1], "INCONCLUSIVE": PALETTE[4]}


def boundary_svg(probes: Sequence[tuple[float, str]], parameter: str, bracket: tuple[float, float] | None, *,
                 title: str) -> str:
    """The probes of ``verify boundary``: each probe's verdict against the parameter's value, numbered in
    the order they ran, with the final bracket on the change of verdict shaded."""
    rows = [v for v in VERDICT_ORDER if any(verdict == v for _, verdict in probes)]

    def draw(figure: Figure) -> None:
        axes = figure.add_subplot()
        if bracket is not None:
            axes.axvspan(bracket[0], bracket[1], color=PALETTE[5], alpha=0.3,
                         label=_plain(f"bracket [{fmt(bracket[0])}, {fmt(bracket[1])}]"))
        for index, (value, verdict) in enumerate(probes, 1):
            axes.plot([value], [rows.index(verdict)], "o", color=VERDICT_COLOUR.get(verdict, PALETTE[6]))
            axes.annotate(str(index), (value, rows.index(verdict)), textcoords="offset points", xytext=(0, 6),
                          ha="center", fontsize=7)
        axes.set_yticks(range(len(rows)), rows)
        axes.set_ylim(-0.6, len(rows) - 0.4)
        axes.set_xlabel(_plain(parameter))
        axes.set_title(_plain(title))
        _legend(axes)
    return _svg("boundary", title, _key(list(probes), bracket), draw, height=2.2)
