"""Render a run record (the JSON source of truth) as a self-contained HTML report.

``write_report(run, out_dir, registry, store)`` writes ``index.html`` (every result, grouped by paper,
the options as typed, and the dependency graph as inline SVG coloured by verdict, with a filter and
zoom), one page per result (statement typeset by the vendored KaTeX; the evidence first: claims with
the claimed values, deciding intervals and negative controls, plots as inline SVG; then parameters,
the finite-size reading and readings, measurements, and a footer with seeds, device, versions, spec
hash and the command that reproduces the page), ``run.json`` and ``static/`` (KaTeX, CSS, a small
script: typesetting, the graph's filter and zoom). The pages use relative links only and open from disk (file://) with no server.
A stored ``verify boundary`` search is shown with its probes and their plot inline: on the index of its
own run, and on its result's page of any report whose store holds it.

Everything the JSON holds is rendered without a registry or a store. A registry adds the parameter
descriptions, claim formulas, papers' citations, results not run and each result's ``plots``; a
store adds the measurement arrays (per record ``measurement_key``) behind plots and intervals.
The markup lives in Jinja2 templates (``templates/``, autoescape on): this module prepares plain view
data from the records and writes the files. Every string from a spec, plugin or record is escaped by
the templates; only the SVG that :mod:`verifier.presentation.plots` generates is passed as markup.
"""
from __future__ import annotations

import hashlib
import json
import re
import shlex
import shutil
import warnings
from pathlib import Path
from typing import Any, Iterable, Mapping

import networkx as nx
import numpy as np
from markupsafe import Markup

from verifier.judging import acceptance, shapes
from verifier.judging import findings as found
from verifier.presentation import atomic, plots
from verifier.presentation.graph_layout import dependency_graph, graph_view
from verifier.presentation.latex import claim_latex, measure_latex, symbol_latex
from verifier.presentation.templating import TEMPLATES
from verifier.presentation.terminal import (
    FINDING_HEADINGS,
    boundary_summary,
    interval,
    number,
    probe_decided,
)

STATIC_DIR = Path(__file__).resolve().parent / "static"

VERDICT_COLOURS: dict[str, tuple[str, str]] = {  # fill, text
    "PASS": ("#2e7d32", "#ffffff"),
    "SYMBOLIC": ("#00838f", "#ffffff"),
    "FAIL": ("#c62828", "#ffffff"),
    "INCONCLUSIVE": ("#f9a825", "#000000"),
    "ERROR": ("#5d4037", "#ffffff"),
    "BLOCKED": ("#8e24aa", "#ffffff"),
    "not run": ("#e0e0e0", "#000000"),
}
VERDICT_MEANING = {
    "PASS": "interval inside the acceptance region, negative control rejected",
    "SYMBOLIC": "proved by sympy",
    "FAIL": "the data reject the claim",
    "INCONCLUSIVE": "interval straddles the edge, control not rejected, or outside the regime",
    "ERROR": "the check raised or produced NaN/inf",
    "BLOCKED": "a result it uses gave no evidence (ERROR, not run, or BLOCKED)",
    "not run": "used, but not part of this run",
}


SUPPORT_COLOURS = {"supported": "#2e7d32", "broken": "#c62828", "unverified": "#f9a825"}
SUPPORT_MEANING = {
    "supported": "every result in its proof chain is PASS or SYMBOLIC",
    "broken": "a statement found in the paper fails inside its regime somewhere in the chain (a finding)",
    "unverified": "a link is not established: a reconstruction of ours fails, or a link is inconclusive or "
                  "outside its regime",
}


_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


def page_names(ids: Iterable[str]) -> dict[str, str]:
    """A file name per result id: ``paper--slug.html`` with every other character replaced, unique."""
    names: dict[str, str] = {}
    taken: set[str] = set()
    for rid in ids:
        stem = _SAFE.sub("_", rid.replace("/", "--")).strip("._") or "result"
        name = f"{stem}.html"
        if name.lower() in taken or name.lower() == "index.html":
            name = f"{stem}-{hashlib.sha256(rid.encode()).hexdigest()[:8]}.html"
        taken.add(name.lower())
        names[rid] = name
    return names




# ---------------------------------------------------------------------------------------------------
# Templates
# ---------------------------------------------------------------------------------------------------


def _claims_holding(record: Mapping[str, Any]) -> str:
    claims = record.get("claims") or []
    return f"{sum(1 for c in claims if c.get('verdict') in ('PASS', 'SYMBOLIC'))}/{len(claims)}"


TEMPLATES.filters.update(number=number, interval=interval, claims_holding=_claims_holding, symbol_tex=symbol_latex,
                         measure_tex=measure_latex)
TEMPLATES.globals.update(VERDICT_COLOURS=VERDICT_COLOURS, VERDICT_MEANING=VERDICT_MEANING,
                         SUPPORT_COLOURS=SUPPORT_COLOURS, SUPPORT_MEANING=SUPPORT_MEANING)


def graph_svg(graph: nx.DiGraph, verdicts: Mapping[str, str], links: Mapping[str, str],
              blocked_by: Mapping[str, list[str]], own: Mapping[str, str] | None = None,
              support: Mapping[str, str] | None = None, weak: Mapping[str, Mapping[str, str]] | None = None) -> str:
    """The dependency graph as inline SVG (``templates/graph.svg.j2`` over :func:`graph_view`)."""
    view = graph_view(graph, verdicts, links, blocked_by, own or {}, support or {}, weak or {}, VERDICT_COLOURS,
                      SUPPORT_COLOURS)
    return TEMPLATES.get_template("graph.svg.j2").render(graph=view).strip()


def _figure(svg: str, caption: str, cls: str = "plot") -> dict[str, Any]:
    return {"svg": Markup(svg), "caption": caption, "cls": cls, "error": None}  # generated by plots.py: trusted markup


def _plot_error(title: str, exc: Exception) -> dict[str, Any]:
    return {"error": f"{type(exc).__name__}: {exc}", "title": title}


class _Context:
    """What every page needs: the run, names of pages, and the optional registry and store."""

    def __init__(self, run: Mapping[str, Any], out_dir: Path, registry: Any, store: Any):
        self.run = run
        self.out_dir = out_dir
        self.registry = registry
        self.store = store
        self.records: list[dict[str, Any]] = list(run.get("results") or [])
        self.pages = page_names(r["id"] for r in self.records)
        self._measurements: dict[str, dict[str, np.ndarray] | None] = {}

    def spec(self, rid: str):
        return self.registry.results.get(rid) if self.registry is not None else None

    def measurements(self, record: Mapping[str, Any]) -> dict[str, np.ndarray] | None:
        key = record.get("measurement_key")
        if not key or self.store is None:
            return None
        if key not in self._measurements:
            try:
                self._measurements[key] = self.store.load_measurements(key)
            except Exception:  # an unreadable payload: render what the JSON holds
                self._measurements[key] = None
        return self._measurements[key]

    def paper(self, key: str) -> dict[str, Any]:
        """The heading of a paper's section: key, title and citation when the registry knows it."""
        paper = None
        if self.registry is not None:
            paper = next((r.paper for r in self.registry.results.values() if r.paper.key == key), None)
        view = {"key": key, "anchor": _SAFE.sub("_", key), "title": "", "citation": ""}
        if paper is not None:
            extra = "; ".join(part for part in (paper.venue, f"arXiv {paper.arxiv}" if paper.arxiv else "") if part)
            view.update(title=paper.title,
                        citation=f"{', '.join(paper.authors)} ({paper.year})" + (f". {extra}" if extra else ""))
        return view

    def boundaries(self, rid: str) -> list[dict[str, Any]]:
        """The newest stored boundary search of a result along each parameter, as report sections."""
        if self.store is None:
            return []
        newest: dict[str, Mapping[str, Any]] = {}
        for search in self.store.boundaries(rid):
            newest.setdefault(search["parameter"], search)
        return [boundary_view(search) for _, search in sorted(newest.items())]

    def verdict_of(self, rid: str) -> str:
        return next((r.get("verdict", "ERROR") for r in self.records if r["id"] == rid), "not run")


def boundary_view(search: Mapping[str, Any]) -> dict[str, Any]:
    """A stored boundary search as a report section: its probes (value, verdict, deciding intervals, run),
    the sentence on the bracket, and the probes' plot as inline SVG (the page needs no other file)."""
    parameter = search["parameter"]
    title = f"{search['id']}: verdict along {parameter}"
    try:
        plot = _figure(plots.boundary_svg([tuple(p) for p in search["probes"]], parameter,
                                          tuple(search["bracket"]) if search.get("bracket") else None, title=title),
                       "Each probe's verdict against the parameter, numbered in the order the probes ran; the last "
                       "bracket on the change of verdict shaded.", "plot boundary")
    except Exception as exc:  # noqa: BLE001 - a plot must never break the page
        plot = _plot_error(title, exc)
    probes = [{"index": index, "value": probe["value"], "verdict": probe["verdict"], "decided": probe_decided(probe),
               "run_id": probe["run_id"], "cached": probe.get("cache_hit", False)}
              for index, probe in enumerate(search.get("runs") or [], 1)]
    return {"id": search["id"], "parameter": parameter, "low": search["low"], "high": search["high"],
            "search_id": search.get("search_id", ""), "summary": boundary_summary(search), "probes": probes,
            "figure": plot}


def _reproduce(ctx: _Context, record: Mapping[str, Any]) -> str:
    command = record.get("reproduce") or f"verify theorem {record['id']}"
    source = ctx.registry.sources.get(record["id"], "") if ctx.registry is not None else ""
    if source and Path(source).is_file() and " --plugin " not in command:  # records stored before it carried one
        command += f" --plugin {shlex.quote(source)}"
    return f"{command} --html {shlex.quote(str(ctx.out_dir))}"


def _rerender(ctx: _Context) -> str:
    return f"verify report --run {shlex.quote(str(ctx.run.get('run_id', 'latest')))} {shlex.quote(str(ctx.out_dir))}"


# ---------------------------------------------------------------------------------------------------
# Index
# ---------------------------------------------------------------------------------------------------


def render_index(ctx: _Context) -> str:
    run, records = ctx.run, ctx.records
    counts: dict[str, int] = {}
    for record in records:
        counts[record.get("verdict", "ERROR")] = counts.get(record.get("verdict", "ERROR"), 0) + 1
    graph = dependency_graph(records, ctx.registry)
    svg = graph_svg(graph, {r["id"]: r.get("verdict", "ERROR") for r in records}, ctx.pages,
                    {r["id"]: r.get("blocked_by") or [] for r in records},
                    {r["id"]: r.get("own_verdict", "") for r in records},
                    {r["id"]: r.get("support", "") for r in records},
                    {r["id"]: {w["id"]: w["reason"] for w in r.get("support_weak_links") or []} for r in records})
    by_paper: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        by_paper.setdefault(record.get("paper") or record["id"].split("/", 1)[0], []).append(record)
    family = run.get("family") or {}
    collected = found.collect(records)
    per_paper = {key: {kind: [i for i in items if i["paper"] == key] for kind, items in collected.items()} for key in by_paper}
    return TEMPLATES.get_template("index.html.j2").render(
        findings=collected, finding_headings=FINDING_HEADINGS,
        title=f"Verification report {run.get('run_id', '')}", root="", run=run, records=records,
        counts=sorted(counts.items()), pages=ctx.pages, graph_svg=Markup(svg),
        options_text=", ".join(f"{k} = {v}" for k, v in (run.get("options") or {}).items() if v not in (None, "", {}, [])),
        targets=", ".join(run.get("targets") or []),
        command=shlex.join(["verify", *map(str, run["argv"])]) if run.get("argv") else "",
        papers=[{**ctx.paper(key), "records": by_paper[key], "findings": per_paper[key]} for key in sorted(by_paper)],
        family=family, family_alpha=", ".join(number(a) for a in family.get("alpha") or []) or "-",
        shared_readings=list((run.get("readings") or {}).values()),
        plugin_problems=run.get("plugin_problems") or [],
        environment=run.get("environment") or {}, rerender=_rerender(ctx),
        boundary=boundary_view(run["boundary"]) if run.get("boundary") else None)


# ---------------------------------------------------------------------------------------------------
# Result page
# ---------------------------------------------------------------------------------------------------


def _parameter_rows(ctx: _Context, record: Mapping[str, Any]) -> list[dict[str, Any]]:
    spec = ctx.spec(record["id"])
    described = {p.name: p for p in spec.parameters} if spec is not None else {}
    rows = []
    for name, value in (record.get("parameters") or {}).items():
        p = described.get(name)
        bounds = ""
        if p is not None and (p.lower is not None or p.upper is not None):
            bounds = f"[{number(p.lower) if p.lower is not None else '-inf'}, {number(p.upper) if p.upper is not None else 'inf'}]"
        rows.append({"name": name, "value": value, "description": p.description if p else "", "range": bounds})
    return rows


def _claim_views(ctx: _Context, record: Mapping[str, Any], data: Mapping[str, np.ndarray] | None) -> list[dict[str, Any]]:
    """Per judged claim: its record, its formula from the spec, and its figures (estimate against the
    claim from the JSON alone; per-replica values from the stored arrays)."""
    spec = ctx.spec(record["id"])
    spec_claims = {c.label: c for c in spec.claims} if spec is not None else {}
    measured = set(spec.measures) if spec is not None else set((record.get("measurements") or {}).keys())
    params = record.get("parameters") or {}
    alpha = record.get("alpha") or 0.05
    views = []
    for outcome in record.get("claims") or []:
        claim = spec_claims.get(outcome.get("label"))
        symbolic = outcome.get("statistic") == "sympy"
        figures = []
        if not symbolic:
            try:
                svg = plots.estimate_svg(outcome)
                if svg:
                    figures.append(_figure(svg, "The measured estimate and its interval against the claimed value (dashed), "
                                                "the negative control (dotted) and the acceptance region (shaded).",
                                           "plot estimate"))
            except Exception as exc:  # noqa: BLE001 - a plot must never break the page
                figures.append(_plot_error(outcome.get("label", "claim"), exc))
        judged = _judged_arrays(spec, claim, data) if claim is not None and data is not None else None
        if judged is not None and getattr(claim, "empirical", False):
            try:
                svg = plots.claim_plot(claim, params, judged, outcome, alpha, record.get("replicas"))
                if svg:
                    figures.append(_figure(svg, f"Per-replica values of claim '{outcome.get('label', '')}' against the "
                                                "claimed value (dashed) and the negative control (dotted).", "plot auto"))
            except Exception as exc:  # noqa: BLE001
                figures.append(_plot_error(outcome.get("label", "claim"), exc))
        views.append({"o": outcome, "symbolic": symbolic, "figures": figures,
                      "tex": claim_latex(claim, measured) if claim is not None else "",
                      "level": 100 * (1 - float(outcome.get("alpha") or alpha))})
    return views


def _judged_arrays(spec: Any, claim: Any, data: Mapping[str, np.ndarray]) -> Mapping[str, np.ndarray] | None:
    """The arrays a claim was judged on: at its grid point when it selects one (``at``), read through the
    shapes the spec and a plugin's check function declare; None when they do not resolve it (a check named
    by import path is not loaded here), so that no other column is drawn as the claim's."""
    if not getattr(claim, "at", None):
        return data
    declared = dict(spec.shapes)
    if callable(spec.check):
        declared = {**dict(getattr(spec.check, "shapes", {}) or {}), **declared}
    try:
        return shapes.select(data, declared, claim.at, claim.label)
    except shapes.SelectionError:
        return None


def _measurement_rows(record: Mapping[str, Any], data: Mapping[str, np.ndarray] | None) -> list[dict[str, Any]]:
    """One row per measured quantity: its summary, and from the stored arrays the interval of the replica
    means (per replica, the mean over its other axes)."""
    alpha = float(record.get("alpha") or 0.05)
    replicas = record.get("replicas")
    rows = []
    for name, info in (record.get("measurements") or {}).items():
        ci = ""
        if data is not None and name in data:
            values = np.asarray(data[name], dtype=float)
            if values.ndim >= 1 and values.shape[0] == replicas and replicas and replicas > 1:
                per = values.reshape(values.shape[0], -1)
                with np.errstate(all="ignore"), warnings.catch_warnings():
                    warnings.simplefilter("ignore", RuntimeWarning)
                    per = np.nanmean(np.where(np.isfinite(per), per, np.nan), axis=1)
                per = per[np.isfinite(per)]
                if per.size > 1:
                    fit = acceptance.mean_interval(per, alpha)
                    ci = interval((fit.lo, fit.hi))
        rows.append({"name": name, "description": info.get("description", ""), "ci": ci,
                     "shape": "\u00d7".join(str(s) for s in info.get("shape", [])) or "scalar",
                     "mean": info.get("mean"), "std": info.get("std"), "nonfinite": info.get("nonfinite", 0)})
    return rows


def _plot_views(ctx: _Context, record: Mapping[str, Any], data: Mapping[str, np.ndarray] | None) -> Any:
    """The result's declared plots: None when it declares none, "unavailable" without the arrays."""
    spec = ctx.spec(record["id"])
    specs = tuple(getattr(spec, "plots", ()) or ()) if spec is not None else ()
    if not specs:
        return None
    if data is None:
        return "unavailable"
    params = record.get("parameters") or {}
    views = []
    for plot in specs:
        title = plots.title_of(plot)
        try:
            views.append(_figure(plots.render(plot, params, data, float(record.get("alpha") or 0.05)), title))
        except Exception as exc:  # noqa: BLE001
            views.append(_plot_error(title, exc))
    return views


def _spec_note(ctx: _Context, record: Mapping[str, Any]) -> str:
    """A warning when the spec behind a record is missing or has changed since the run."""
    spec = ctx.spec(record["id"])
    if spec is None:
        return ("This result is not among the loaded specs (a plugin not loaded?): formulas, parameter descriptions "
                "and plots are left out." if ctx.registry is not None else "")
    try:
        current = ctx.registry.spec_hash(record["id"])
    except Exception:  # noqa: BLE001
        return ""
    if record.get("spec_hash") and current != record["spec_hash"]:
        return (f"The spec (or its check code) has changed since this run (hash {record['spec_hash']} then, {current} "
                "now): formulas and plots follow the current spec.")
    return ""


def _footer_rows(ctx: _Context, record: Mapping[str, Any]) -> list[tuple[str, str, Any]]:
    """(name, value, code) rows: code is False, True (in <code>) or a class for the <code>."""
    seeds = record.get("seeds") or []
    replicas = record.get("replicas")
    seed_text = ", ".join(str(s) for s in seeds) + (f", ... ({replicas} replicas)" if replicas and replicas > len(seeds) else "")
    if record.get("adaptive"):
        seed_text += f" (adaptive: {replicas} of at most {record['replicas_maximum']} replicas)"
    return [("run id", ctx.run.get("run_id", "?"), True), ("spec hash", record.get("spec_hash", "-"), "spec-hash"),
            ("profile", record.get("profile", "-"), False), ("base seed", record.get("seed", "-"), False),
            ("replica seeds", seed_text or "-", True), ("device", record.get("device", "-"), False),
            ("check", record.get("check") or "-", True), ("measurement key", record.get("measurement_key") or "-", True),
            ("check time", f"{number(record.get('check_seconds'))} s" + (" (cached)" if record.get("cache_hit") else ""), False),
            ("result time", f"{number(record.get('seconds'))} s", False)] + (
        [("derived from", f"{record['derived_from']['id']}: {record['derived_from']['changes']}", False)]
        if record.get("derived_from") else [])


def render_result(ctx: _Context, record: Mapping[str, Any]) -> str:
    data = ctx.measurements(record)
    verdict = record.get("verdict", "ERROR")
    alpha = float(record.get("alpha") or 0.05)
    shared = ctx.run.get("readings") or {}
    assumptions = record.get("assumptions") or []
    violated = set(record.get("assumptions_violated") or [])
    return TEMPLATES.get_template("result.html.j2").render(
        title=f"{record['id']}: {verdict}", root="", r=record, verdict=verdict, pages=ctx.pages,
        heading=f"{record.get('kind', '').capitalize()} {record.get('number', '')}: {record.get('title', '')}".strip(),
        spec_note=_spec_note(ctx, record), verdict_of=ctx.verdict_of,
        own_readings=[shared[n] for n in record.get("readings") or [] if n in shared],
        parameters=_parameter_rows(ctx, record),
        assumptions=[{"text": a, "violated": a in violated} for a in assumptions],
        claims=_claim_views(ctx, record, data), measurements=_measurement_rows(record, data),
        measurement_note=(f"Interval: {number(100 * (1 - alpha))}% Student-t interval of the replica means (per replica, "
                          "the mean over its other axes), from the stored arrays." if data is not None else
                          "Intervals over replicas need the stored measurement arrays (render with the results store)."),
        plots=_plot_views(ctx, record, data), boundaries=ctx.boundaries(record["id"]), footer=_footer_rows(ctx, record),
        environment=ctx.run.get("environment") or {}, reproduce=_reproduce(ctx, record), rerender=_rerender(ctx))


# ---------------------------------------------------------------------------------------------------
# Entry points
# ---------------------------------------------------------------------------------------------------


def copy_static(out_dir: Path) -> None:
    """KaTeX (js, css, woff2 fonts), the stylesheet and the render script, into ``out_dir/static``."""
    target = out_dir / "static"
    shutil.copytree(STATIC_DIR, target, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__", "*.md"))


def write_report(run: Mapping[str, Any], out_dir: Path | str, registry: Any = None, store: Any = None) -> Path:
    """Write the report of one run (a ``RunRecord.to_dict()``) into ``out_dir``; returns index.html.

    ``registry`` (a :class:`verifier.running.registry.Registry`) adds formulas, parameter descriptions, papers,
    results not run and each result's ``plots``; ``store`` (a :class:`verifier.running.store.Store`) adds the
    measurement arrays behind plots and intervals. Existing report files in ``out_dir`` are replaced, each
    in one rename once every page is written.
    """
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    ctx = _Context(run, out_dir, registry, store)
    with atomic.staged_folder(out_dir) as staging:  # a failure leaves out_dir as it was, and no temporary
        copy_static(staging)
        (staging / "run.json").write_text(json.dumps(run, indent=2, default=str), encoding="utf-8")
        for record in ctx.records:
            (staging / ctx.pages[record["id"]]).write_text(render_result(ctx, record), encoding="utf-8")
        (staging / "index.html").write_text(render_index(ctx), encoding="utf-8")
    return out_dir / "index.html"
