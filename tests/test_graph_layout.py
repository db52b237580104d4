"""The dependency graph's layout on the real registry: few edge crossings, and every label whole and
inside its box (by the width estimate; tests/test_browser.py checks the drawn boxes in Chromium)."""
from __future__ import annotations

import networkx as nx
import pytest

from verifier.presentation import html as html_report
from verifier.presentation.graph_layout import (
    LABEL_X,
    NODE_W,
    Layout,
    layout,
    text_width,
    wrap_label,
)
from verifier.running import registry as reg

# Crossings counted by crossings() below, before this layout (layers by topological generation, six
# barycentre sweeps) and after it (median sweeps, sifting, sources next to their first user, restarts
# for a small graph): the full registry graph (107 results, 198 edges) 378 -> 287; huang2022 and what
# it uses (30 results, 53 edges) 61 -> 41. With the 110 results of issue 19 (C.9/D.5 ladders, the proof
# steps of 5.2/5.4, Theorem 4.3 along n) the registry's layout has 312. With the 15 k-ladders of huang2022's
# appendix (each a sink under the node it re-reads; 125 results, 219 edges) it has 392, and huang2022 and what
# it uses (45 results, 68 edges) 68. The bounds leave room for a few more.
MAX_CROSSINGS = 410
MAX_CROSSINGS_HUANG2022 = 75


def crossings(drawn: Layout) -> int:
    """Pairs of edges that cross between two columns: each edge is a polyline whose segments from odd
    to even points span one gap between columns; two segments over the same gap cross when their
    ends come in opposite vertical orders."""
    spans: dict[tuple[float, float], list[tuple[float, float]]] = {}
    for points in drawn.edges.values():
        for (x0, y0), (x1, y1) in zip(points[::2], points[1::2]):
            spans.setdefault((round(x0), round(x1)), []).append((y0, y1))
    return sum(1 for ends in spans.values() for i, (a, b) in enumerate(ends) for c, d in ends[i + 1:]
               if (a - c) * (b - d) < 0)


@pytest.fixture(scope="module")
def registry() -> reg.Registry:
    return reg.load()


@pytest.fixture(scope="module")
def registry_graph(registry) -> nx.DiGraph:
    return registry.graph()


def test_crossing_count_sees_a_crossing():
    """Negative control of the counter: two edges swapping rows cross once; parallel ones do not."""
    crossed = Layout({}, {("a", "d"): [(10, 0), (60, 50)], ("b", "c"): [(10, 50), (60, 0)]}, 70, 60)
    parallel = Layout({}, {("a", "c"): [(10, 0), (60, 0)], ("b", "d"): [(10, 50), (60, 50)]}, 70, 60)
    assert crossings(crossed) == 1 and crossings(parallel) == 0


def test_layout_of_the_registry_has_few_crossings(registry_graph):
    drawn = layout(registry_graph)
    count = crossings(drawn)
    print(f"edge crossings on the registry graph ({registry_graph.number_of_nodes()} results, "
          f"{registry_graph.number_of_edges()} edges): {count}")
    assert 0 < count <= MAX_CROSSINGS
    order = {node: x for node, (x, _) in drawn.nodes.items()}
    assert all(order[u] < order[v] for u, v in registry_graph.edges)  # dependencies to the left


def test_no_label_of_the_registry_graph_is_truncated(registry_graph):
    verdicts = {node: "BLOCKED" for node in registry_graph.nodes}
    longest = max(registry_graph.nodes, key=len)
    view = html_report.graph_view(registry_graph, verdicts, {}, {node: [longest] for node in registry_graph.nodes},
                                  {node: "INCONCLUSIVE" for node in registry_graph.nodes}, {}, {},
                                  html_report.VERDICT_COLOURS, html_report.SUPPORT_COLOURS)
    slugs = [node.split("/", 1)[1] for node in registry_graph.nodes]
    for node in view["nodes"]:
        lines = node["lines"]
        name = "".join(line["text"] for line in lines if line["cls"] == "name")
        slug = node["id"].split("/", 1)[1]
        assert name == (slug if slugs.count(slug) == 1 else node["id"]), node["id"]
        assert "BLOCKED (own: INCONCLUSIVE)" == "".join(line["text"] for line in lines if line["cls"] == "second")
        assert longest.split("/", 1)[1] in "".join(line["text"] for line in lines if line["cls"] == "blocked-by")
        assert not any("\u2026" in line["text"] for line in lines)
        for line in lines:
            assert text_width(line["text"].rstrip(), line["size"], line["bold"]) <= NODE_W - 2 * LABEL_X, line
            assert node["y"] < line["y"] < node["y"] + node["h"], (node["id"], line)


def test_wrap_label_keeps_every_character():
    text = "corollary-5.3-sigma0-sweep-of-a-very-long-name_with_parts"
    lines = wrap_label(text, 13, bold=True)
    assert len(lines) > 1 and "".join(lines) == text
    assert all(text_width(line.rstrip(), 13, True) <= NODE_W - 2 * LABEL_X for line in lines)
    unbroken = "m" * 40  # no break point: split inside the piece
    assert "".join(wrap_label(unbroken, 13, bold=True)) == unbroken and len(wrap_label(unbroken, 13, bold=True)) > 2


def test_layout_of_one_paper_is_deterministic_with_few_crossings(registry, registry_graph):
    paper = registry_graph.subgraph(registry.graph_closure([n for n in registry_graph if n.startswith("huang2022/")]))
    drawn = layout(nx.DiGraph(paper))
    count = crossings(drawn)
    print(f"edge crossings of huang2022 ({paper.number_of_nodes()} results, {paper.number_of_edges()} edges): {count}")
    assert count <= MAX_CROSSINGS_HUANG2022
    assert layout(nx.DiGraph(paper)) == drawn
