"""The dependency graph of a run as data for the report: which results, in which layers, where each box
and each edge goes (left to right, dependencies first), and what each node and edge shows. The SVG
markup itself is the template ``templates/graph.svg.j2``."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

import networkx as nx

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


def graph_view(graph: nx.DiGraph, verdicts: Mapping[str, str], links: Mapping[str, str],
               blocked_by: Mapping[str, list[str]], own: Mapping[str, str], support: Mapping[str, str],
               weak: Mapping[str, Mapping[str, str]], verdict_colours: Mapping[str, tuple[str, str]],
               support_colours: Mapping[str, str]) -> dict[str, Any]:
    """Everything ``graph.svg.j2`` draws: one box per result, filled with its verdict's colour and framed
    with its support's (broken, unverified); the edges from a blocking dependency in the BLOCKED colour,
    named in the blocked node; those from a weak link of the proof chain in the colour of what it does
    to the support; the induction hypotheses a result assumes as dotted lines."""
    if graph.number_of_nodes() == 0:
        return {"empty": True}
    slugs = {node: node.split("/", 1)[-1] for node in graph.nodes}
    counts: dict[str, int] = {}
    for slug in slugs.values():
        counts[slug] = counts.get(slug, 0) + 1
    name = {node: (slug if counts[slug] == 1 else node) for node, slug in slugs.items()}
    blocker_lines = {node: _wrap(["blocked by:", *(name.get(b, b) + "," for b in blockers)], 30)
                     for node, blockers in blocked_by.items() if blockers and node in graph}
    for lines in blocker_lines.values():
        lines[-1] = lines[-1].rstrip(",")
    heights = {node: NODE_H + 13 * (len(lines) - 1) for node, lines in blocker_lines.items()}
    geometry = layout(graph, heights)
    positions = geometry.nodes
    width = geometry.width + (ASSUMES_BULGE if graph.graph.get("assumes") else 0)
    edges = []
    for (dep, node), points in sorted(geometry.edges.items()):
        tx, ty = points[-1]
        blocking = dep in (blocked_by.get(node) or [])
        reason = (weak.get(node) or {}).get(dep)
        state = "broken" if reason == "broken proof step" else "unverified" if reason else ""
        edges.append({"from": dep, "to": node, "kind": " blocking" if blocking else f" weak {state}" if state else "",
                      "path": _edge_path(points), "arrow": f"{tx:.1f},{ty:.1f} {tx - 8:.1f},{ty - 4:.1f} {tx - 8:.1f},{ty + 4:.1f}",
                      "colour": verdict_colours["BLOCKED"][0] if blocking else support_colours[state] if state else "#757575",
                      "width": 2.5 if blocking else 2.2 if state else 1.4, "dash": "6 3" if blocking else ""})
    assumes = [{"from": assumed, "to": node, "title": f"{node} assumes {assumed} (an induction hypothesis: not blocking)",
                "path": _assumes_path(positions[assumed], positions[node], heights.get(assumed, NODE_H), heights.get(node, NODE_H))}
               for assumed, node in graph.graph.get("assumes", [])
               if assumed in positions and node in positions and assumed != node]
    nodes = []
    for node in sorted(graph.nodes):
        x, y = positions[node]
        verdict = verdicts.get(node, "not run")
        fill, ink = verdict_colours.get(verdict, verdict_colours["not run"])
        blockers = blocked_by.get(node) or []
        chain = support.get(node, "")
        tooltip = f"{node}: {verdict}" + (f"; support {chain}" if chain else "")
        second = verdict + (f" \u00b7 {chain}" if chain and chain != "supported" else "")
        if verdict == "BLOCKED":
            tooltip += f" (own verdict {own.get(node, '?')}); blocked by {', '.join(blockers)}"
            if own.get(node):
                second = f"BLOCKED (own: {own[node]})"
        framed = chain in ("broken", "unverified")
        extra = blocker_lines.get(node, [])
        nodes.append({"id": node, "href": links.get(node), "verdict": verdict, "verdict_class": verdict.replace(" ", "-"),
                      "support": chain, "blocked_by": " ".join(blockers), "tooltip": tooltip, "x": x, "y": y,
                      "w": NODE_W, "h": NODE_H + 13 * max(len(extra) - 1, 0), "fill": fill, "ink": ink,
                      "stroke": support_colours[chain] if framed else "#9e9e9e" if verdict == "not run" else "#212121",
                      "stroke_width": 3.5 if framed else 1, "dash": verdict == "not run",
                      "name": _clip(name[node], 23), "second": _clip(second, 28),
                      "blocker_lines": [(y + 53 + 13 * k, _clip(text, 32)) for k, text in enumerate(extra)]})
    return {"empty": False, "width": width, "height": geometry.height, "fit": width <= 1700,
            "edges": edges, "assumes": assumes, "nodes": nodes}
