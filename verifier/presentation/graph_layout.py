"""The dependency graph of a run as data for the report: which results, in which layers, where each box
and each edge goes (left to right, dependencies first), and what each node and edge shows. The SVG
markup itself is the template ``templates/graph.svg.j2``."""
from __future__ import annotations

import random
import re
from dataclasses import dataclass
from typing import Any, Mapping

import networkx as nx

NODE_W, NODE_H, COL_GAP, ROW_GAP, PAD, LANE_H, LABEL_X = 200, 62, 56, 14, 10, 12, 10


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


def _layers(graph: nx.DiGraph, late_sources: bool = True) -> dict[Any, int]:
    """The layer of each node: its topological generation (dependencies left); with ``late_sources`` a
    node with no dependencies sits just before its first user, so a definition used late draws no long
    edge."""
    level = {node: i for i, gen in enumerate(nx.topological_generations(graph)) for node in gen}
    for node in graph.nodes if late_sources else ():
        if graph.in_degree(node) == 0 and graph.out_degree(node) > 0:
            level[node] = min(level[user] for user in graph.successors(node)) - 1
    return level


def _gap_crossings(upper: list[Any], lower_index: Mapping[Any, int], index: Mapping[Any, int], work: nx.DiGraph) -> int:
    """Crossings between a layer and the next: pairs of edges whose ends come in opposite orders."""
    ends = sorted((index[u], lower_index[v]) for u in upper for v in work.successors(u))
    return sum(1 for i, (a, b) in enumerate(ends) for c, d in ends[i + 1:] if a < c and b > d)


def _crossings(layers: list[list[Any]], work: nx.DiGraph) -> int:
    index = {node: i for layer in layers for i, node in enumerate(layer)}
    return sum(_gap_crossings(a, index, index, work) for a in layers[:-1])


def _order(layers: list[list[Any]], work: nx.DiGraph, sweeps: int = 8) -> list[list[Any]]:
    """Each layer ordered to reduce crossings: median (barycentre as tie-break) sweeps down and
    up; the best ordering met is then refined by sifting (each node moved to where its edges cross the fewest)."""
    index = {node: i for layer in layers for i, node in enumerate(layer)}

    def total() -> int:
        return _crossings(layers, work)

    def place(layer: list[Any], neighbours) -> None:
        def key(node):
            near = sorted(index[n] for n in neighbours(node))
            if not near:
                return (index[node], index[node], index[node])
            mid = len(near) // 2
            median = near[mid] if len(near) % 2 else (near[mid - 1] + near[mid]) / 2
            return (median, sum(near) / len(near), index[node])
        layer.sort(key=key)
        index.update((node, i) for i, node in enumerate(layer))

    near = {node: (list(work.predecessors(node)), list(work.successors(node))) for node in index}

    def pair_cost(u, v) -> int:
        """Crossings among the edges of u and v when u is left of (above) v."""
        return sum(1 for side in (0, 1) for a in near[u][side] for b in near[v][side] if index[a] > index[b])

    def sift(rounds: int) -> None:
        """Each node moved to the place in its layer where its edges cross the fewest others."""
        for _ in range(rounds):
            moved = False
            for layer in layers:
                for node in list(layer):
                    others = [n for n in layer if n != node]
                    left = [pair_cost(w, node) for w in others]
                    right = [pair_cost(node, w) for w in others]
                    cost = sum(right)
                    best_at, best_cost, here = 0, cost, layer.index(node)
                    for p in range(len(others)):
                        cost += left[p] - right[p]
                        if cost < best_cost or (cost == best_cost and p + 1 == here):
                            best_at, best_cost = p + 1, cost
                    if best_at != here:
                        moved = True
                    layer[:] = others[:best_at] + [node] + others[best_at:]
                    index.update((n, i) for i, n in enumerate(layer))
            if not moved:
                return

    best, best_count = [list(layer) for layer in layers], total()
    for sweep in range(sweeps):
        order = range(1, len(layers)) if sweep % 2 == 0 else range(len(layers) - 2, -1, -1)
        for k in order:
            place(layers[k], work.predecessors if sweep % 2 == 0 else work.successors)
        sift(4)
        count = total()
        if count < best_count:
            best, best_count = [list(layer) for layer in layers], count
    layers[:] = best
    index.update((node, i) for layer in layers for i, node in enumerate(layer))
    sift(4)
    return layers


MAX_RESTARTS, RESTART_BUDGET = 6, 400


def _ordered(graph: nx.DiGraph, level: Mapping[Any, int], seed: int) -> tuple[int, list[list[Any]], dict]:
    """(crossings, layers, chains): a virtual node per layer crossed by a long edge (its chain), and the
    layers ordered by :func:`_order` from the sorted order (``seed`` 0) or a seeded shuffle of it."""
    nodes = sorted(graph.nodes)
    if seed:
        random.Random(seed).shuffle(nodes)
    layers: list[list[Any]] = [[] for _ in range(max(level.values()) + 1)]
    for node in nodes:
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
    layers = _order(layers, work)
    return _crossings(layers, work), layers, chains


def layout(graph: nx.DiGraph, heights: Mapping[str, float] | None = None) -> Layout:
    """Left-to-right layers by dependency (:func:`_layers`), each ordered to reduce crossings
    (:func:`_ordered`) and centred vertically. A small graph is ordered from several starts (seeded
    shuffles, both layerings; as many as RESTART_BUDGET nodes and lanes allow) and the ordering with the
    fewest crossings kept. ``heights`` overrides NODE_H per node."""
    heights = heights or {}
    if graph.number_of_nodes() == 0:
        return Layout({}, {}, 0, 0)
    level = _layers(graph)
    lanes = sum(level[v] - level[u] - 1 for u, v in graph.edges)
    restarts = min(MAX_RESTARTS, RESTART_BUDGET // (graph.number_of_nodes() + lanes))
    tries = [(True, 0)] + [(late, seed) for seed in range(restarts) for late in (False, True)
                           if restarts > 1 and (late, seed) != (True, 0)]
    layers, chains = min((_ordered(graph, _layers(graph, late), seed) for late, seed in tries), key=lambda t: t[0])[1:]

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


NAME_SIZE, SECOND_SIZE, BLOCKER_SIZE = 13, 11, 10.5
_NARROW, _MEDIUM, _WIDE = set("iljI.,:;'|!"), set("ftr()[]/- "), set("mwMW")


def text_width(text: str, size: float, bold: bool = False) -> float:
    """A generous estimate of the drawn width of ``text`` (DejaVu Sans is the widest usual fallback of
    Helvetica/Arial): wrapping to it keeps every label inside its box."""
    em = sum(0.36 if ch in _NARROW else 0.52 if ch in _MEDIUM else 1.05 if ch in _WIDE
             else 0.8 if ch.isupper() else 0.72 for ch in text)
    return em * size * (1 if bold else 0.92)


def wrap_label(text: str, size: float, bold: bool = False, width: float = NODE_W - 2 * LABEL_X) -> list[str]:
    """``text`` in lines that each fit ``width``: broken after a space, '-', '/', '.' or '_', and inside a
    piece only when the piece alone is too wide. Nothing is dropped: the lines join back to ``text``."""
    pieces = re.findall(r"[^ /._-]*(?:[ /._-]|$)", text)
    lines = [""]
    for piece in filter(None, pieces):
        if text_width(lines[-1] + piece.rstrip(), size, bold) <= width:
            lines[-1] += piece
            continue
        if lines[-1]:
            lines.append("")
        for ch in piece:
            if lines[-1] and text_width(lines[-1] + ch, size, bold) > width:
                lines.append("")
            lines[-1] += ch
    return lines


LABEL_BOTTOM = 9
LINE_STEP = {"name": 16, "second": 14, "blocked-by": 13}
LINE_SIZE = {"name": NAME_SIZE, "second": SECOND_SIZE, "blocked-by": BLOCKER_SIZE}


def _label_lines(node: str, name: Mapping[str, str], verdicts: Mapping[str, str], own: Mapping[str, str],
                 support: Mapping[str, str], blocked_by: Mapping[str, list[str]]) -> list[tuple[float, str, str, float]]:
    """(baseline offset from the box top, text, class, font size) of every line a node shows: its name
    in bold, its verdict (and support or own verdict), and the results blocking it; each wrapped whole."""
    verdict = verdicts.get(node, "not run")
    chain = support.get(node, "")
    second = verdict + (f" \u00b7 {chain}" if chain and chain != "supported" else "")
    if verdict == "BLOCKED" and own.get(node):
        second = f"BLOCKED (own: {own[node]})"
    blockers = blocked_by.get(node) or []
    texts = [("name", name[node]), ("second", second)]
    if blockers:
        texts.append(("blocked-by", "blocked by: " + ", ".join(name.get(b, b) for b in blockers)))
    lines, y = [], 6.0
    for cls, text in texts:
        for part in wrap_label(text, LINE_SIZE[cls], bold=cls == "name"):
            y += LINE_STEP[cls]
            lines.append((y, part, cls, LINE_SIZE[cls]))
        y += 3
    return lines


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
    labels = {node: _label_lines(node, name, verdicts, own, support, blocked_by) for node in graph.nodes}
    heights = {node: max(NODE_H, lines[-1][0] + LABEL_BOTTOM) for node, lines in labels.items()}
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
        if verdict == "BLOCKED":
            tooltip += f" (own verdict {own.get(node, '?')}); blocked by {', '.join(blockers)}"
        framed = chain in ("broken", "unverified")
        nodes.append({"id": node, "paper": node.split("/", 1)[0] if "/" in node else "", "href": links.get(node),
                      "verdict": verdict, "verdict_class": verdict.replace(" ", "-"),
                      "support": chain, "blocked_by": " ".join(blockers), "tooltip": tooltip, "x": x, "y": y,
                      "w": NODE_W, "h": heights[node], "fill": fill, "ink": ink,
                      "stroke": support_colours[chain] if framed else "#9e9e9e" if verdict == "not run" else "#212121",
                      "stroke_width": 3.5 if framed else 1, "dash": verdict == "not run",
                      "lines": [{"x": x + LABEL_X, "y": y + dy, "text": text, "cls": cls, "size": size,
                                 "bold": cls == "name"} for dy, text, cls, size in labels[node]]})
    return {"empty": False, "width": width, "height": geometry.height, "fit": width <= 1700,
            "papers": sorted({n["paper"] for n in nodes if n["paper"]}),
            "verdicts": sorted({n["verdict"] for n in nodes}),
            "edges": edges, "assumes": assumes, "nodes": nodes}
