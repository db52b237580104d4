"""Render a run record (the JSON source of truth) as a self-contained HTML report.

``write_report(run, out_dir, registry, store)`` writes ``index.html`` (every result, grouped by paper,
and the dependency graph as inline SVG coloured by verdict), one page per result (statement typeset
by the vendored KaTeX, finite-size reading, parameters, claims with the claimed values, measured
intervals and negative controls, plots as inline SVG, and a footer with seeds, device, versions, spec
hash and the command that reproduces the page), ``run.json`` and ``static/`` (KaTeX, CSS, a tiny
render script). The pages use relative links only and open from disk (file://) with no server.

Everything the JSON holds is rendered without a registry or a store. A registry adds the parameter
descriptions, claim formulas, papers' citations, results not run and each result's ``plots``; a
store adds the measurement arrays (per record ``measurement_key``) behind plots and intervals.
Every string from a spec, plugin or record is escaped with :func:`html.escape`.
"""
from __future__ import annotations

import hashlib
import html
import json
import re
import shlex
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping

import networkx as nx
import numpy as np
import sympy as sp

from verifier.judging import acceptance
from verifier.presentation import plots
from verifier.presentation.terminal import interval, number

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


def esc(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


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
# Dependency graph
# ---------------------------------------------------------------------------------------------------

NODE_W, NODE_H, COL_GAP, ROW_GAP, PAD, LANE_H = 184, 62, 56, 14, 10, 12


def dependency_graph(records: list[Mapping[str, Any]], registry: Any = None) -> nx.DiGraph:
    """Every result of the run and everything it uses (from the records' ``uses``, and with a registry
    the transitive ``uses`` of the current specs); an edge ``a -> b`` means "b uses a". The induction
    hypotheses a record ``assumes`` are kept apart, in ``graph.graph["assumes"]`` as (assumed, result)
    pairs: they are drawn, but neither order the layers nor block."""
    graph = nx.DiGraph()
    assumes: list[tuple[str, str]] = []
    for record in records:
        graph.add_node(record["id"])
        for dep in record.get("uses") or []:
            graph.add_edge(dep, record["id"])
        assumes += [(hypothesis, record["id"]) for hypothesis in record.get("assumes") or []]
    graph.add_nodes_from(a for a, _ in assumes)
    graph.graph["assumes"] = sorted(set(assumes))
    if registry is not None:
        pending = list(graph.nodes)
        seen = set(pending)
        while pending:
            node = pending.pop()
            result = registry.results.get(node)
            for dep in (result.uses if result is not None else ()):
                graph.add_edge(dep, node)
                if dep not in seen:
                    seen.add(dep)
                    pending.append(dep)
    while not nx.is_directed_acyclic_graph(graph):  # stale records could close a cycle: break it
        graph.remove_edge(*nx.find_cycle(graph)[-1][:2])
    return graph


@dataclass
class Layout:
    """Top-left corner of every node, and the points each edge passes through (a long edge runs in a
    lane of its own through every layer it crosses, so it never runs under a box)."""

    nodes: dict[str, tuple[float, float]]
    edges: dict[tuple[str, str], list[tuple[float, float]]]
    width: float
    height: float


def layout(graph: nx.DiGraph, heights: Mapping[str, float] | None = None) -> Layout:
    """Left-to-right layers by topological generation (dependencies left), with a virtual node per
    layer crossed by a long edge; each layer ordered by the barycentre of its neighbours (a few
    sweeps each way) and centred vertically. ``heights`` overrides NODE_H per node."""
    heights = heights or {}
    if graph.number_of_nodes() == 0:
        return Layout({}, {}, 0, 0)
    level = {node: i for i, gen in enumerate(nx.topological_generations(graph)) for node in gen}
    layers: list[list[Any]] = [[] for _ in range(max(level.values()) + 1)]
    for node in sorted(graph.nodes):
        layers[level[node]].append(node)
    chains: dict[tuple[str, str], list[Any]] = {}
    work = nx.DiGraph()
    work.add_nodes_from(graph.nodes)
    for u, v in sorted(graph.edges):
        chain = [u] + [("lane", u, v, k) for k in range(level[u] + 1, level[v])] + [v]
        for k, virtual in enumerate(chain[1:-1], start=level[u] + 1):
            layers[k].append(virtual)
        nx.add_path(work, chain)
        chains[(u, v)] = chain
    index = {node: i for layer in layers for i, node in enumerate(layer)}

    def reorder(layer: list[Any], neighbours) -> None:
        def key(node):
            near = [index[n] for n in neighbours(node)]
            return (sum(near) / len(near) if near else index[node], index[node])
        layer.sort(key=key)
        for i, node in enumerate(layer):
            index[node] = i

    for _ in range(6):
        for layer in layers[1:]:
            reorder(layer, work.predecessors)
        for layer in reversed(layers[:-1]):
            reorder(layer, work.successors)

    def extent(node) -> float:
        return LANE_H if isinstance(node, tuple) else heights.get(node, NODE_H)

    columns = [sum(extent(n) for n in layer) + ROW_GAP * (len(layer) - 1) for layer in layers]
    tallest = max(columns)
    corner: dict[Any, tuple[float, float]] = {}
    for col, layer in enumerate(layers):
        y = PAD + (tallest - columns[col]) / 2
        for node in layer:
            corner[node] = (PAD + col * (NODE_W + COL_GAP), y)
            y += extent(node) + ROW_GAP
    edges = {}
    for (u, v), chain in chains.items():
        (ux, uy), (vx, vy) = corner[u], corner[v]
        points = [(ux + NODE_W, uy + extent(u) / 2)]
        for virtual in chain[1:-1]:
            x, y = corner[virtual]
            points += [(x, y + LANE_H / 2), (x + NODE_W, y + LANE_H / 2)]
        points.append((vx, vy + extent(v) / 2))
        edges[(u, v)] = points
    nodes = {n: corner[n] for n in graph.nodes}
    return Layout(nodes, edges, PAD * 2 + len(layers) * NODE_W + (len(layers) - 1) * COL_GAP, PAD * 2 + tallest)


def _edge_path(points: list[tuple[float, float]]) -> str:
    """Horizontal-tangent cubic segments between consecutive layer crossings, straight inside a lane."""
    (x, y), rest = points[0], points[1:]
    path = [f"M{x:.1f},{y:.1f}"]
    for i, (tx, ty) in enumerate(rest):
        last = i == len(rest) - 1
        tx_end = tx - 7 if last else tx  # leave room for the arrow head
        if i % 2 == 1 and not last:  # across a layer, inside the lane
            path.append(f"L{tx_end:.1f},{ty:.1f}")
        else:
            bend = max((tx - x) * 0.5, 12)
            path.append(f"C{x + bend:.1f},{y:.1f} {tx - bend:.1f},{ty:.1f} {tx_end:.1f},{ty:.1f}")
        x, y = tx, ty
    return " ".join(path)


def _wrap(words: list[str], width: int) -> list[str]:
    """Greedy line filling: words joined by spaces, a new line when one would exceed ``width``."""
    lines: list[str] = []
    for word in words:
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


ASSUMES_BULGE = 36


def _assumes_path(a: tuple[float, float], b: tuple[float, float], ha: float, hb: float) -> str:
    """A dotted link from an assumed result to the result assuming it, whatever their layers."""
    (ax, ay), (bx, by) = a, b
    if ax + NODE_W <= bx:
        sx, sy, tx, ty = ax + NODE_W, ay + ha / 2, bx, by + hb / 2
    elif bx + NODE_W <= ax:
        sx, sy, tx, ty = ax, ay + ha / 2, bx + NODE_W, by + hb / 2
    else:  # the same layer: an arc on the right of the column
        sx, sy, tx, ty = ax + NODE_W, ay + ha / 2, bx + NODE_W, by + hb / 2
        return f"M{sx:.1f},{sy:.1f} C{sx + ASSUMES_BULGE:.1f},{sy:.1f} {tx + ASSUMES_BULGE:.1f},{ty:.1f} {tx:.1f},{ty:.1f}"
    bend = max(abs(tx - sx) * 0.5, 12) * (1 if tx > sx else -1)
    return f"M{sx:.1f},{sy:.1f} C{sx + bend:.1f},{sy:.1f} {tx - bend:.1f},{ty:.1f} {tx:.1f},{ty:.1f}"


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "\u2026"


def graph_svg(graph: nx.DiGraph, verdicts: Mapping[str, str], links: Mapping[str, str],
              blocked_by: Mapping[str, list[str]], own: Mapping[str, str] | None = None,
              support: Mapping[str, str] | None = None, weak: Mapping[str, Mapping[str, str]] | None = None) -> str:
    """The dependency graph as inline SVG: one linked box per result, filled with its verdict's colour and
    framed with its support's (red: broken, amber: unverified); the edges from a blocking dependency are
    drawn in the BLOCKED colour and named in the blocked node, those from a weak link of the proof chain in
    the colour of what it does to the support."""
    own, support, weak = own or {}, support or {}, weak or {}
    if graph.number_of_nodes() == 0:
        return '<svg xmlns="http://www.w3.org/2000/svg" class="dependency-graph" width="0" height="0"></svg>'
    slugs = {node: node.split("/", 1)[-1] for node in graph.nodes}
    counts: dict[str, int] = {}
    for slug in slugs.values():
        counts[slug] = counts.get(slug, 0) + 1
    name = {node: (slug if counts[slug] == 1 else node) for node, slug in slugs.items()}
    blocker_lines = {node: _wrap(["blocked by:", *(name.get(b, b) + "," for b in blockers)], 30)
                     for node, blockers in blocked_by.items() if blockers and node in graph}
    for node, lines in blocker_lines.items():
        lines[-1] = lines[-1].rstrip(",")
    heights = {node: NODE_H + 13 * (len(lines) - 1) for node, lines in blocker_lines.items()}
    geometry = layout(graph, heights)
    positions = geometry.nodes

    def extent(node: str) -> float:
        return heights.get(node, NODE_H)
    width, height = geometry.width + (ASSUMES_BULGE if graph.graph.get("assumes") else 0), geometry.height
    fit = ' style="max-width:100%;height:auto"' if width <= 1700 else ""  # shrink to the page unless unreadable
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="dependency-graph" viewBox="0 0 {width:.0f} {height:.0f}" '
           f'width="{width:.0f}" height="{height:.0f}"{fit} role="img" aria-label="dependency graph of the results" '
           f'font-family="Helvetica, Arial, sans-serif">',
           "<title>Dependency graph: an arrow from A to B means the proof of B uses A</title>"]
    for (dep, node), points in sorted(geometry.edges.items()):
        tx, ty = points[-1]
        blocking = dep in (blocked_by.get(node) or [])
        reason = (weak.get(node) or {}).get(dep)
        state = "broken" if reason == "broken proof step" else "unverified" if reason else ""
        colour = VERDICT_COLOURS["BLOCKED"][0] if blocking else SUPPORT_COLOURS[state] if state else "#757575"
        extra = ' stroke-width="2.5" stroke-dasharray="6 3"' if blocking else ' stroke-width="2.2"' if state else ' stroke-width="1.4"'
        kind = " blocking" if blocking else f" weak {state}" if state else ""
        out.append(f'<g class="edge{kind}" data-from="{esc(dep)}" data-to="{esc(node)}">'
                   f'<path d="{_edge_path(points)}" fill="none" stroke="{colour}"{extra}/>'
                   f'<polygon points="{tx:.1f},{ty:.1f} {tx - 8:.1f},{ty - 4:.1f} {tx - 8:.1f},{ty + 4:.1f}" fill="{colour}"/></g>')
    for assumed, node in graph.graph.get("assumes", []):
        if assumed in positions and node in positions and assumed != node:
            out.append(f'<g class="edge assumes" data-from="{esc(assumed)}" data-to="{esc(node)}">'
                       f'<title>{esc(f"{node} assumes {assumed} (an induction hypothesis: not blocking)")}</title>'
                       f'<path d="{_assumes_path(positions[assumed], positions[node], extent(assumed), extent(node))}" '
                       f'fill="none" stroke="#9e9e9e" stroke-width="1.6" stroke-dasharray="2 3"/></g>')
    for node in sorted(graph.nodes):
        x, y = positions[node]
        verdict = verdicts.get(node, "not run")
        fill, ink = VERDICT_COLOURS.get(verdict, VERDICT_COLOURS["not run"])
        blockers = blocked_by.get(node) or []
        chain = support.get(node, "")
        tooltip = f"{node}: {verdict}" + (f"; support {chain}" if chain else "")
        second = verdict + (f" \u00b7 {chain}" if chain and chain != "supported" else "")
        if verdict == "BLOCKED":
            tooltip += f" (own verdict {own.get(node, '?')}); blocked by {', '.join(blockers)}"
            if own.get(node):
                second = f"BLOCKED (own: {own[node]})"
        lines = [f'<text x="{x + 10:.1f}" y="{y + 20:.1f}" font-size="13" font-weight="bold" fill="{ink}">{esc(_clip(name[node], 23))}</text>',
                 f'<text x="{x + 10:.1f}" y="{y + 37:.1f}" font-size="11" fill="{ink}">{esc(_clip(second, 28))}</text>']
        for k, text in enumerate(blocker_lines.get(node, [])):
            lines.append(f'<text class="blocked-by" x="{x + 10:.1f}" y="{y + 53 + 13 * k:.1f}" font-size="10.5" '
                         f'fill="{ink}">{esc(_clip(text, 32))}</text>')
        group = (f'<g class="node verdict-{esc(verdict.replace(" ", "-"))}" data-id="{esc(node)}" data-verdict="{esc(verdict)}"'
                 + (f' data-support="{esc(chain)}"' if chain else "")
                 + (f' data-blocked-by="{esc(" ".join(blockers))}"' if blockers else "") + ">"
                 + f"<title>{esc(tooltip)}</title>"
                 + f'<rect x="{x:.1f}" y="{y:.1f}" width="{NODE_W}" height="{NODE_H + 13 * max(len(blocker_lines.get(node, [])) - 1, 0)}" rx="7" fill="{fill}" '
                   f'stroke="{SUPPORT_COLOURS[chain] if chain in ("broken", "unverified") else "#9e9e9e" if verdict == "not run" else "#212121"}" '
                   f'stroke-width="{3.5 if chain in ("broken", "unverified") else 1}"'
                 + (' stroke-dasharray="4 3"' if verdict == "not run" else "") + "/>"
                 + "".join(lines) + "</g>")
        out.append(f'<a href="{esc(links[node])}">{group}</a>' if node in links else group)
    out.append("</svg>")
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------------
# LaTeX of claims (from the registry's specs)
# ---------------------------------------------------------------------------------------------------


def _latex(expr: Any, measured: Iterable[str]) -> str:
    """sympy LaTeX with measured quantities set upright (``\\mathrm{test\\_err}``)."""
    expr = sp.sympify(expr)
    measured = set(measured)
    names = {s: r"\mathrm{" + s.name.replace("_", r"\_") + "}" for s in expr.free_symbols
             if isinstance(s, sp.Symbol) and (s.name in measured or len(s.name) > 1 and "_" in s.name and s.name.count("_") > 1)}
    return sp.latex(expr, symbol_names=names)


def claim_latex(claim: Any, measured: Iterable[str] = ()) -> str:
    """A LaTeX rendering of what a claim asserts (engine claim types; '' for an unknown type)."""
    from verifier.spec import claims as c

    L = lambda e: _latex(e, measured)  # noqa: E731
    rel = {"<=": r"\le", ">=": r"\ge", "==": "="}
    try:
        if isinstance(claim, c.Bound):
            left = rf"\mathbb{{E}}\big[{L(claim.quantity)}\big]"
            if claim.statistic == "proportion":
                left = rf"\overline{{{L(claim.quantity)}}}_{{\text{{pooled over }} {L(claim.trials)} \text{{ trials}}}}"
            return rf"{left} {rel[claim.relation]} {L(claim.bound)}"
        if isinstance(claim, c.Ordering):
            return rf"\mathbb{{E}}\big[{L(claim.lesser)}\big] \le \mathbb{{E}}\big[{L(claim.greater)}\big]"
        if isinstance(claim, c.Approx):
            return rf"\mathbb{{E}}\big[{L(claim.quantity)}\big] = (1 \pm {claim.rtol:g})\, {L(claim.target)}"
        if isinstance(claim, c.Probability):
            tol = rf" \pm {claim.atol:g}" if claim.relation == "==" else ""
            return rf"\Pr\big[{L(claim.event)}\big] {rel[claim.relation]} {L(claim.value)}{tol}"
        if isinstance(claim, c.Rate):
            return rf"{L(claim.quantity)} \sim \left({L(claim.over)}\right)^{{{L(claim.exponent)} \pm {claim.tol:g}}}"
        if isinstance(claim, c.Duration):
            return (rf"\frac{{{L(claim.measured)}}}{{{L(claim.predicted)}}} \in "
                    rf"\Big[\frac{{1}}{{1 + {claim.rtol:g}}},\ 1 + {claim.rtol:g}\Big]")
        if isinstance(claim, c.Identity):
            return rf"{L(claim.lhs)} = {L(claim.rhs)}"
        if isinstance(claim, c.Limit):
            direction = {"+": "^+", "-": "^-"}.get(claim.direction, "")
            return rf"\lim_{{{L(claim.var)} \to {L(claim.point)}{direction}}} {L(claim.expr)} = {L(claim.value)}"
        if isinstance(claim, c.Implication):
            premises = r" \;\wedge\; ".join(L(p) for p in claim.premises)
            conclusion = r"\text{contradiction}" if claim.conclusion is sp.false else L(claim.conclusion)
            return rf"{premises} \;\Longrightarrow\; {conclusion}"
    except Exception:  # a formula is a courtesy: never let it break the page
        return ""
    return ""


# ---------------------------------------------------------------------------------------------------
# Page pieces
# ---------------------------------------------------------------------------------------------------


def badge(verdict: str, big: bool = False) -> str:
    fill, ink = VERDICT_COLOURS.get(verdict, VERDICT_COLOURS["not run"])
    return (f'<span class="verdict{" big" if big else ""} verdict-{esc(verdict.replace(" ", "-"))}" '
            f'style="background:{fill};color:{ink}">{esc(verdict)}</span>')


def math_block(tex: str, display: bool = True) -> str:
    """LaTeX for KaTeX to typeset in the browser; the escaped source stays readable without script."""
    tag = "div" if display else "span"
    return f'<{tag} class="math {"display" if display else "inline"}">{esc(tex)}</{tag}>'


def _page(title: str, body: str, *, root: str = "") -> str:
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="{root}static/katex/katex.min.css">
<link rel="stylesheet" href="{root}static/report.css">
</head>
<body>
{body}
<script src="{root}static/katex/katex.min.js"></script>
<script src="{root}static/report.js"></script>
</body>
</html>
"""


def _table(headers: list[str], rows: list[list[str]], cls: str = "") -> str:
    head = "".join(f"<th>{h}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _legend() -> str:
    items = "".join(f'<li>{badge(v)} <span class="meaning">{esc(m)}</span></li>' for v, m in VERDICT_MEANING.items())
    frames = "".join(f'<li>{support_badge(v)} <span class="meaning">{esc(m)}</span></li>' for v, m in SUPPORT_MEANING.items())
    return f'<ul class="legend">{items}</ul><ul class="legend support-legend">{frames}</ul>'


def support_badge(state: str) -> str:
    """The support of a proof chain: a framed label in its colour."""
    colour = SUPPORT_COLOURS.get(state, "#757575")
    return (f'<span class="support support-{esc(state)}" style="border:2px solid {colour};padding:0 .35em;'
            f'border-radius:4px">support: {esc(state)}</span>')


def verdict_cell(record: Mapping[str, Any]) -> str:
    """The verdict badge, marked when a PASS could not have failed."""
    cell = badge(record.get("verdict", "ERROR"))
    if record.get("no_power"):
        cell += ' <span class="no-power warning">no power</span>'
    return cell


def _figure(svg: str, caption: str, cls: str = "plot") -> str:
    return f'<figure class="{cls}">{svg}<figcaption>{esc(caption)}</figcaption></figure>'


def _plot_error(title: str, exc: Exception) -> str:
    return (f'<figure class="plot plot-error"><div class="error">cannot draw {esc(title)}: '
            f'{esc(type(exc).__name__)}: {esc(exc)}</div></figure>')


def _environment_rows(environment: Mapping[str, Any]) -> list[list[str]]:
    return [[esc(k), f"<code>{esc(v)}</code>"] for k, v in environment.items()]


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

    def paper_heading(self, key: str) -> str:
        paper = None
        if self.registry is not None:
            paper = next((r.paper for r in self.registry.results.values() if r.paper.key == key), None)
        if paper is None:
            return f'<h2 id="paper-{esc(_SAFE.sub("_", key))}">{esc(key)}</h2>'
        cite = ", ".join(paper.authors)
        extra = "; ".join(part for part in (paper.venue, f"arXiv {paper.arxiv}" if paper.arxiv else "") if part)
        return (f'<h2 id="paper-{esc(_SAFE.sub("_", key))}">{esc(key)}: {esc(paper.title)}</h2>'
                f'<p class="citation">{esc(cite)} ({esc(paper.year)}){". " + esc(extra) if extra else ""}</p>')


def _reproduce(ctx: _Context, record: Mapping[str, Any]) -> str:
    command = record.get("reproduce") or f"verify theorem {record['id']}"
    source = ctx.registry.sources.get(record["id"], "") if ctx.registry is not None else ""
    if source and Path(source).is_file():
        command += f" --plugin {shlex.quote(source)}"
    return f"{command} --html {shlex.quote(str(ctx.out_dir))}"


def _rerender(ctx: _Context) -> str:
    return f"verify report --run {shlex.quote(str(ctx.run.get('run_id', 'latest')))} {shlex.quote(str(ctx.out_dir))}"


# ---------------------------------------------------------------------------------------------------
# Index
# ---------------------------------------------------------------------------------------------------


def _family_section(run: Mapping[str, Any]) -> str:
    """The run's family correction: method, size, level and every verdict it changed."""
    family = run.get("family") or {}
    if not family:
        return ""
    changed = family.get("changed") or []
    rows = [[esc(c["id"]), esc(c["claim"]), esc(number(c["p_fail"])), esc(number(c["p_fail_adjusted"]))] for c in changed]
    alphas = ", ".join(number(a) for a in family.get("alpha") or []) or "-"
    return ('<section class="family"><h2>Multiplicity</h2>'
            f'<p>{esc(family.get("method"))} correction over the {esc(family.get("size"))} empirical claims of this run '
            f'(alpha {esc(alphas)}): {len(changed)} FAIL verdict(s) did not survive it and are INCONCLUSIVE.</p>'
            + (_table(["result", "claim", "p_fail", "adjusted p"], rows, "family") if rows else "") + "</section>")


def _readings_section(readings: Mapping[str, Mapping[str, Any]], only: Iterable[str] | None = None) -> str:
    """Shared finite-size readings, each once."""
    names = [n for n in readings if only is None or n in set(only)]
    if not names:
        return ""
    items = []
    for name in names:
        r = readings[name]
        constant = f" <code>{esc(r['symbol'])} = {esc(number(r['value']))}</code>" if r.get("symbol") else ""
        source = f' <span class="muted">({esc(r["provenance"]["label"])})</span>' if r.get("provenance") else ""
        why = f"<br><span class=\"muted\">why: {esc(r['why'])}</span>" if r.get("why") else ""
        alternatives = ("<br>admissible alternatives: " + ", ".join(f"{esc(k)} = {esc(number(v))}" for k, v in r["alternatives"].items())
                        if r.get("alternatives") else "")
        items.append(f'<li id="reading-{esc(name)}"><strong>{esc(name)}</strong>: <em>{esc(r["word"])}</em> := '
                     f'{esc(r["means"])}{constant}{source}{why}{alternatives}</li>')
    return f'<section class="readings"><h2>Shared readings</h2><ul>{"".join(items)}</ul></section>'


def _support_html(ctx: "_Context", record: Mapping[str, Any]) -> str:
    """The support of the result's proof chain with every weak link, linked."""
    state = record.get("support")
    if not state:
        return ""
    weak = record.get("support_weak_links") or []
    links = "; ".join((f'<a href="{esc(ctx.pages[w["id"]])}">{esc(w["id"])}</a>' if w["id"] in ctx.pages else esc(w["id"]))
                      + f' {badge(w["verdict"])} ({esc(w["reason"])})' for w in weak)
    return f'<p class="support-line">{support_badge(state)}' + (f" weak links of the proof chain: {links}" if links else "") + "</p>"


def render_index(ctx: _Context) -> str:
    run, records = ctx.run, ctx.records
    counts: dict[str, int] = {}
    for record in records:
        counts[record.get("verdict", "ERROR")] = counts.get(record.get("verdict", "ERROR"), 0) + 1
    summary = " ".join(f"{badge(v)}&nbsp;{n}" for v, n in sorted(counts.items()))
    options = run.get("options") or {}
    graph = dependency_graph(records, ctx.registry)
    verdicts = {r["id"]: r.get("verdict", "ERROR") for r in records}
    svg = graph_svg(graph, verdicts, ctx.pages, {r["id"]: r.get("blocked_by") or [] for r in records},
                    {r["id"]: r.get("own_verdict", "") for r in records},
                    {r["id"]: r.get("support", "") for r in records},
                    {r["id"]: {w["id"]: w["reason"] for w in r.get("support_weak_links") or []} for r in records})
    parts = ['<header class="top"><h1>Verification report</h1>',
             f'<p class="run">run <code>{esc(run.get("run_id", "?"))}</code>: {len(records)} results. {summary}</p>']
    if run.get("interrupted"):
        parts.append('<p class="warning">This run was interrupted: only the finished results are shown.</p>')
    parts.append("</header>")
    option_text = ", ".join(f"{k} = {v}" for k, v in options.items())
    parts.append(f'<p class="options">Options: {esc(option_text) or "-"}. Targets: '
                 f'{esc(", ".join(run.get("targets") or [])) or "-"}.</p>')
    if run.get("argv"):
        parts.append(f'<p class="options">Command: <code>{esc(shlex.join(["verify", *map(str, run["argv"])]))}</code></p>')
    parts.append('<section class="graph"><h2>Dependency graph</h2>'
                 '<p class="hint">An arrow from A to B means the proof of B uses A; a dashed purple arrow is the '
                 'dependency that blocks B (it gave no evidence); a red or amber arrow comes from a weak link of B\'s '
                 'proof chain, and the frame of B says what that does to its support; a dotted grey line joins a result to an induction hypothesis it assumes '
                 '(shown, not blocking). Click a result to open its page.</p>'
                 f'{_legend()}<div class="graph-box">{svg}</div></section>')
    by_paper: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        by_paper.setdefault(record.get("paper") or record["id"].split("/", 1)[0], []).append(record)
    for key in sorted(by_paper):
        rows = []
        for record in by_paper[key]:
            claims = record.get("claims") or []
            good = sum(1 for c in claims if c.get("verdict") in ("PASS", "SYMBOLIC"))
            blockers = record.get("blocked_by") or []
            blocked = ", ".join(f'<a href="{esc(ctx.pages[b])}">{esc(b)}</a>' if b in ctx.pages else esc(b) for b in blockers)
            verdict = verdict_cell(record)
            if blockers:
                verdict += f' <span class="own">(own: {esc(record.get("own_verdict", "?"))})</span>'
            rows.append([f'<a href="{esc(ctx.pages[record["id"]])}">{esc(record["id"])}</a>',
                         esc(f"{record.get('kind', '')} {record.get('number', '')}".strip()),
                         esc(record.get("title", "")), verdict, support_badge(record.get("support", "")) if record.get("support") else "",
                         esc((record.get("provenance") or {}).get("label", "")), blocked or "",
                         f"{good}/{len(claims)}", esc(number(record.get("seconds")))])
        parts.append(f'<section class="paper">{ctx.paper_heading(key)}'
                     + _table(["result", "kind", "title", "verdict", "support", "source", "blocked by", "claims holding", "s"],
                              rows, "results")
                     + "</section>")
    parts.append(_family_section(run))
    parts.append(_readings_section(run.get("readings") or {}))
    env = run.get("environment") or {}
    parts.append('<footer><h2>Run</h2>'
                 + _table(["", ""], [["run id", f"<code>{esc(run.get('run_id', '?'))}</code>"],
                                     *_environment_rows(env)], "environment")
                 + f'<p>Re-render this report from the store (nothing is re-run): <code class="command">{esc(_rerender(ctx))}</code></p>'
                 + '<p>The run record behind these pages: <a href="run.json">run.json</a>.</p></footer>')
    return _page(f"Verification report {run.get('run_id', '')}", "\n".join(parts))


# ---------------------------------------------------------------------------------------------------
# Result page
# ---------------------------------------------------------------------------------------------------


def _parameters_section(ctx: _Context, record: Mapping[str, Any]) -> str:
    params = record.get("parameters") or {}
    spec = ctx.spec(record["id"])
    described = {p.name: p for p in spec.parameters} if spec is not None else {}
    rows = []
    for name, value in params.items():
        p = described.get(name)
        bounds = ""
        if p is not None and (p.lower is not None or p.upper is not None):
            bounds = f"[{number(p.lower) if p.lower is not None else '-inf'}, {number(p.upper) if p.upper is not None else 'inf'}]"
        rows.append([f"<code>{esc(name)}</code>", esc(number(value)), esc(p.description if p else ""), esc(bounds)])
    out = ['<section class="parameters" id="parameters"><h2>Parameters</h2>']
    out.append(_table(["name", "value", "description", "range"], rows, "params") if rows
               else "<p>No parameters (a symbolic result: the claims hold for every admissible value).</p>")
    assumptions = record.get("assumptions") or []
    violated = set(record.get("assumptions_violated") or [])
    if assumptions:
        items = "".join(f'<li class="{"violated" if a in violated else "holds"}"><code>{esc(a)}</code> '
                        f'{"<strong>violated at these parameters</strong>" if a in violated else "holds"}</li>'
                        for a in assumptions)
        out.append(f'<h3>Stated regime</h3><ul class="assumptions">{items}</ul>')
    out.append("</section>")
    return "".join(out)


def _control_html(control: Mapping[str, Any] | None, empirical: bool) -> str:
    if not empirical:
        return '<span class="muted">not needed: decided by sympy</span>'
    if control is None:
        return '<span class="warning">none: a PASS cannot be earned</span>'
    state = ('<span class="ok">rejected</span>' if control.get("rejected")
             else f'<span class="warning">NOT rejected ({esc(control.get("verdict", "?"))})</span>')
    return (f'<code>{esc(control.get("description", ""))}</code>: {state}; control value {esc(number(control.get("claimed")))}, '
            f'interval {esc(interval(control.get("ci")))} against region {esc(interval(control.get("region")))}')


def _claims_section(ctx: _Context, record: Mapping[str, Any], data: Mapping[str, np.ndarray] | None) -> str:
    spec = ctx.spec(record["id"])
    outcomes = record.get("claims") or []
    spec_claims = {c.label: c for c in spec.claims} if spec is not None else {}
    measured = set(spec.measures) if spec is not None else set((record.get("measurements") or {}).keys())
    params = record.get("parameters") or {}
    alpha = record.get("alpha") or 0.05
    out = ['<section class="claims" id="claims"><h2>Claims</h2>']
    if not outcomes:
        out.append("<p>No claim was judged.</p>")
    for i, outcome in enumerate(outcomes):
        claim = spec_claims.get(outcome.get("label"))
        symbolic = outcome.get("statistic") == "sympy"
        tex = claim_latex(claim, measured) if claim is not None else ""
        rows = [["asserts", f"<code>{esc(outcome.get('description', ''))}</code>"]]
        if symbolic:
            rows.append(["sympy", esc(outcome.get("detail", ""))])
        else:
            rows += [["decided on", f"{esc(outcome.get('statistic', ''))} = {esc(number(outcome.get('estimate')))} "
                                    f"{esc(interval(outcome.get('ci')))}, accepted when {esc(outcome.get('relation', ''))}"],
                     ["claimed value at these parameters", esc(number(outcome.get("claimed")))],
                     ["measured (raw)", f"{esc(number(outcome.get('observed')))} {esc(interval(outcome.get('observed_ci')))}"
                      f" <span class=\"muted\">({esc(number(100 * (1 - float(outcome.get('alpha') or alpha))))}% interval, "
                      f"n = {esc(outcome.get('n', '-'))})</span>"],
                     ["decision", f"{esc(outcome.get('statistic', ''))}: {esc(interval(outcome.get('ci')))} against "
                                  f"acceptance region {esc(interval(outcome.get('region')))}"
                                  + (f"; resolution +- {esc(number(outcome.get('resolution')))}" if outcome.get("resolution") is not None else "")],
                     ["negative control", _control_html(outcome.get("control"), True)]]
            if outcome.get("p_fail") is not None:
                rows.append(["p-values", f"p_fail {esc(number(outcome['p_fail']))}"
                             + (f" (after the family correction {esc(number(outcome.get('p_fail_adjusted')))})"
                                if outcome.get("p_fail_adjusted") is not None else "")
                             + f", p_pass {esc(number(outcome.get('p_pass')))}"])
            assessment = outcome.get("power") or {}
            if assessment.get("mde") is not None:
                flag = (' <span class="no-power warning">no power: ' + esc(assessment.get("reason", "")) + "</span>"
                        if outcome.get("verdict") == "PASS" and assessment.get("no_power") else "")
                rows.append(["power", f"smallest violation detectable with power {esc(assessment.get('power'))}: "
                             f"{esc(number(assessment['mde']))}"
                             + (f"; slack {esc(number(assessment['slack_ratio']))}x" if assessment.get("slack_ratio") is not None else "")
                             + flag])
            if outcome.get("provenance"):
                rows.append(["source of this claim", esc(outcome["provenance"]["label"])])
            if outcome.get("detail"):
                rows.append(["detail", esc(outcome["detail"])])
        figure = ""
        if not symbolic:
            try:
                svg = plots.estimate_svg(outcome)
                if svg:
                    figure += _figure(svg, "The measured estimate and its interval against the claimed value (dashed), "
                                           "the negative control (dotted) and the acceptance region (shaded).", "plot estimate")
            except Exception as exc:  # noqa: BLE001 - a plot must never break the page
                figure += _plot_error(outcome.get("label", "claim"), exc)
        if claim is not None and data is not None and getattr(claim, "empirical", False):
            try:
                svg = plots.claim_plot(claim, params, data, outcome, alpha, record.get("replicas"))
                if svg:
                    figure += _figure(svg, f"Per-replica values of claim '{outcome.get('label', '')}' against the claimed "
                                           "value (dashed) and the negative control (dotted).", "plot auto")
            except Exception as exc:  # noqa: BLE001
                figure += _plot_error(outcome.get("label", "claim"), exc)
        table = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows)
        out.append(f'<div class="claim" id="claim-{i + 1}"><h3>{badge(outcome.get("verdict", "ERROR"))} '
                   f'{esc(outcome.get("label", ""))} <span class="muted">({esc(outcome.get("kind", ""))})</span></h3>'
                   + (math_block(tex) if tex else "")
                   + f'<table class="claim-table">{table}</table>{figure}</div>')
    out.append("</section>")
    return "".join(out)


def _measurements_section(record: Mapping[str, Any], data: Mapping[str, np.ndarray] | None) -> str:
    summaries = record.get("measurements") or {}
    if not summaries:
        return ""
    alpha = float(record.get("alpha") or 0.05)
    replicas = record.get("replicas")
    rows = []
    for name, info in summaries.items():
        ci = ""
        if data is not None and name in data:
            values = np.asarray(data[name], dtype=float)
            if values.ndim >= 1 and values.shape[0] == replicas and replicas and replicas > 1:
                per = values.reshape(values.shape[0], -1)
                with np.errstate(all="ignore"):
                    import warnings

                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore", RuntimeWarning)
                        per = np.nanmean(np.where(np.isfinite(per), per, np.nan), axis=1)
                per = per[np.isfinite(per)]
                if per.size > 1:
                    fit = acceptance.mean_interval(per, alpha)
                    ci = interval((fit.lo, fit.hi))
        rows.append([f"<code>{esc(name)}</code>", esc(info.get("description", "")),
                     esc("\u00d7".join(str(s) for s in info.get("shape", [])) or "scalar"),
                     esc(number(info.get("mean"))), esc(ci), esc(number(info.get("std"))), esc(info.get("nonfinite", 0))])
    note = (f"Interval: {number(100 * (1 - alpha))}% Student-t interval of the replica means (per replica, the mean "
            "over its other axes), from the stored arrays." if data is not None else
            "Intervals over replicas need the stored measurement arrays (render with the results store).")
    return ('<section class="measurements" id="measurements"><h2>Measurements</h2>'
            + _table(["quantity", "description", "shape", "mean", "interval", "std (all values)", "non-finite"], rows, "measurements")
            + f'<p class="muted">{esc(note)}</p></section>')


def _plots_section(ctx: _Context, record: Mapping[str, Any], data: Mapping[str, np.ndarray] | None) -> str:
    spec = ctx.spec(record["id"])
    specs = tuple(getattr(spec, "plots", ()) or ()) if spec is not None else ()
    if not specs:
        return ""
    out = ['<section class="plots" id="plots"><h2>Plots</h2>']
    if data is None:
        out.append("<p>This result declares plots, but its measurement arrays are not available here "
                    "(render with the results store that holds the run).</p>")
    else:
        params = record.get("parameters") or {}
        for plot in specs:
            title = plots.title_of(plot)
            try:
                out.append(_figure(plots.render(plot, params, data, float(record.get("alpha") or 0.05)), title))
            except Exception as exc:  # noqa: BLE001
                out.append(_plot_error(title, exc))
    out.append("</section>")
    return "".join(out)


def _spec_changed(ctx: _Context, record: Mapping[str, Any]) -> str:
    spec = ctx.spec(record["id"])
    if spec is None:
        if ctx.registry is not None:
            return ('<p class="warning">This result is not among the loaded specs (a plugin not loaded?): formulas, '
                    "parameter descriptions and plots are left out.</p>")
        return ""
    try:
        current = ctx.registry.spec_hash(record["id"])
    except Exception:  # noqa: BLE001
        return ""
    if record.get("spec_hash") and current != record["spec_hash"]:
        return (f'<p class="warning">The spec (or its check code) has changed since this run (hash {esc(record["spec_hash"])} '
                f"then, {esc(current)} now): formulas and plots follow the current spec.</p>")
    return ""


def _footer(ctx: _Context, record: Mapping[str, Any]) -> str:
    seeds = record.get("seeds") or []
    replicas = record.get("replicas")
    seed_text = ", ".join(str(s) for s in seeds) + (f", ... ({replicas} replicas)" if replicas and replicas > len(seeds) else "")
    rows = [["run id", f"<code>{esc(ctx.run.get('run_id', '?'))}</code>"],
            ["spec hash", f'<code class="spec-hash">{esc(record.get("spec_hash", "-"))}</code>'],
            ["profile", esc(record.get("profile", "-"))],
            ["base seed", esc(record.get("seed", "-"))],
            ["replica seeds", f"<code>{esc(seed_text or '-')}</code>"],
            ["device", esc(record.get("device", "-"))],
            ["check", f"<code>{esc(record.get('check') or '-')}</code>"],
            ["measurement key", f"<code>{esc(record.get('measurement_key') or '-')}</code>"],
            ["check time", esc(f"{number(record.get('check_seconds'))} s" + (" (cached)" if record.get("cache_hit") else ""))],
            ["result time", esc(f"{number(record.get('seconds'))} s")],
            *_environment_rows(ctx.run.get("environment") or {})]
    return ('<footer id="provenance"><h2>Provenance</h2>'
            + _table(["", ""], rows, "environment")
            + f'<p>Reproduce this page: <code class="command reproduce">{esc(_reproduce(ctx, record))}</code></p>'
            + f'<p>Re-render from the store: <code class="command">{esc(_rerender(ctx))}</code></p></footer>')


def render_result(ctx: _Context, record: Mapping[str, Any]) -> str:
    data = ctx.measurements(record)
    verdict = record.get("verdict", "ERROR")
    title = f"{record.get('kind', '').capitalize()} {record.get('number', '')}: {record.get('title', '')}".strip()
    parts = ['<nav><a href="index.html">\u2190 all results</a></nav>',
             f'<header class="top"><h1>{esc(title)}</h1>',
             f'<p class="rid"><code>{esc(record["id"])}</code> &middot; paper {esc(record.get("paper", ""))}'
             + (f' &middot; source: <span class="provenance">{esc(record["provenance"]["label"])}</span>'
                if record.get("provenance") else "")
             + (f' &middot; the notes\' tag: {esc(record["tag"])}' if record.get("tag") else "") + "</p>",
             f'<p class="verdict-line">{badge(verdict, big=True)}'
             + (' <span class="no-power warning">no power: this PASS could not have failed (see its claims)</span>'
                if record.get("no_power") else "")]
    blockers = record.get("blocked_by") or []
    if blockers:
        links = ", ".join(f'<a href="{esc(ctx.pages[b])}">{esc(b)}</a>' if b in ctx.pages else esc(b) for b in blockers)
        parts.append(f' <span class="blocked">blocked by {links}; its own verdict is {badge(record.get("own_verdict", "?"))}</span>')
    parts.append("</p>" + _support_html(ctx, record) + "</header>")
    parts.append(_spec_changed(ctx, record))
    if record.get("note"):
        parts.append(f'<p class="warning">{esc(record["note"])}</p>')
    for note in record.get("check_notes") or []:
        parts.append(f'<p class="warning check-note">{esc(note)}</p>')
    if record.get("exception"):
        parts.append(f'<section class="exception"><h2>Error</h2><pre>{esc(record["exception"])}</pre>'
                     + (f'<details><summary>traceback</summary><pre>{esc(record["traceback"])}</pre></details>'
                        if record.get("traceback") else "") + "</section>")
    parts.append(f'<section class="statement"><h2>Statement</h2>{math_block(record.get("statement", ""))}'
                 f'<details class="source"><summary>LaTeX source</summary><pre>{esc(record.get("statement", ""))}</pre></details></section>')
    if record.get("reading"):
        parts.append(f'<section class="reading"><h2>Finite-size reading</h2><p>{esc(record["reading"])}</p></section>')
    if record.get("readings"):
        parts.append(_readings_section(ctx.run.get("readings") or {}, record["readings"]))
    for variant in record.get("reading_variants") or []:
        parts.append(f'<p class="reading-variant">under reading {esc(variant["reading"])} = {esc(variant["label"])} '
                     f'(<code>{esc(variant["symbol"])} = {esc(number(variant["value"]))}</code>): {badge(variant["verdict"])}</p>')
    if record.get("reading_variants"):
        parts.append('<p class="reading-dependence">' + ("the verdict depends on the reading" if record.get("reading_dependent")
                     else "the verdict is the same under every admissible reading") + "</p>")
    assumes = record.get("assumes") or []
    if assumes:
        items = "".join(f'<li><a href="{esc(ctx.pages[a])}">{esc(a)}</a> {badge(_verdict_of(ctx, a))}</li>' if a in ctx.pages
                        else f"<li>{esc(a)} {badge('not run')}</li>" for a in assumes)
        parts.append(f'<section class="assumes"><h2>Assumes</h2><p class="muted">Induction hypotheses this result '
                     f'assumes: shown for the record, they neither order the run nor block it.</p><ul>{items}</ul></section>')
    uses = record.get("uses") or []
    if uses:
        items = "".join(f'<li><a href="{esc(ctx.pages[u])}">{esc(u)}</a> {badge(_verdict_of(ctx, u))}</li>' if u in ctx.pages
                        else f"<li>{esc(u)} {badge('not run')}</li>" for u in uses)
        parts.append(f'<section class="uses"><h2>Uses</h2><ul>{items}</ul></section>')
    parts.append(_parameters_section(ctx, record))
    parts.append(_claims_section(ctx, record, data))
    parts.append(_measurements_section(record, data))
    parts.append(_plots_section(ctx, record, data))
    parts.append(_footer(ctx, record))
    return _page(f"{record['id']}: {verdict}", "\n".join(p for p in parts if p))


def _verdict_of(ctx: _Context, rid: str) -> str:
    return next((r.get("verdict", "ERROR") for r in ctx.records if r["id"] == rid), "not run")


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
    measurement arrays behind plots and intervals. Existing report files in ``out_dir`` are replaced.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    ctx = _Context(run, out_dir, registry, store)
    copy_static(out_dir)
    (out_dir / "run.json").write_text(json.dumps(run, indent=2, default=str), encoding="utf-8")
    for record in ctx.records:
        (out_dir / ctx.pages[record["id"]]).write_text(render_result(ctx, record), encoding="utf-8")
    index = out_dir / "index.html"
    index.write_text(render_index(ctx), encoding="utf-8")
    return index
