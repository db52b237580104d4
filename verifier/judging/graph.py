"""Dependency graph of results (networkx): order of evaluation and BLOCKED propagation.

An edge ``a -> b`` means "the proof of b uses a".
"""
from __future__ import annotations

from typing import Iterable, Mapping

import networkx as nx

from verifier.judging.verdicts import Verdict
from verifier.spec.results import Result


def build(results: Iterable[Result]) -> nx.DiGraph:
    """The DAG of the given results (every ``uses`` must name one of them)."""
    graph = nx.DiGraph()
    for result in results:
        graph.add_node(result.id)
        for dependency in result.uses:
            graph.add_edge(dependency, result.id)
    return graph


def find_cycle(graph: nx.DiGraph) -> list[str] | None:
    """One dependency cycle as a list of ids, or None for a DAG."""
    try:
        return [edge[0] for edge in nx.find_cycle(graph)]
    except nx.NetworkXNoCycle:
        return None


def closure(graph: nx.DiGraph, targets: Iterable[str]) -> list[str]:
    """The targets and everything they use, in dependency order (dependencies first)."""
    wanted: set[str] = set()
    for target in targets:
        wanted |= nx.ancestors(graph, target) | {target}
    return list(nx.lexicographical_topological_sort(graph.subgraph(wanted)))


def blocking(graph: nx.DiGraph, node: str, verdicts: Mapping[str, Verdict]) -> list[str]:
    """The direct dependencies of ``node`` that give no evidence at all: they ERRORed, were not run, or
    are BLOCKED themselves. A dependency that FAILs or is INCONCLUSIVE does not block; it weakens the
    support of what uses it (:mod:`verifier.judging.support`)."""
    return sorted(dep for dep in graph.predecessors(node)
                  if verdicts.get(dep, Verdict.BLOCKED) in (Verdict.ERROR, Verdict.BLOCKED))


def root_causes(graph: nx.DiGraph, node: str, verdicts: Mapping[str, Verdict]) -> list[str]:
    """The results at the bottom of ``node``'s blocking chains: reached through dependencies that give no
    evidence, they ERRORed or were not run themselves (a BLOCKED one is followed down to its own causes)."""
    causes: set[str] = set()
    seen: set[str] = set()
    stack = list(blocking(graph, node, verdicts))
    while stack:
        dep = stack.pop()
        if dep in seen:
            continue
        seen.add(dep)
        if verdicts.get(dep) is Verdict.BLOCKED:
            stack.extend(blocking(graph, dep, verdicts))
        else:
            causes.add(dep)
    return sorted(causes)


def tree_lines(graph: nx.DiGraph, root: str, label: Mapping[str, str]) -> list[str]:
    """An indented tree of ``root`` and what it uses (a shared dependency is expanded once)."""
    lines: list[str] = []
    seen: set[str] = set()

    def walk(node: str, prefix: str, last: bool, top: bool) -> None:
        branch = "" if top else ("`-- " if last else "|-- ")
        again = node in seen and any(True for _ in graph.predecessors(node))
        lines.append(f"{prefix}{branch}{label.get(node, node)}{'  (see above)' if again else ''}")
        if again:
            return
        seen.add(node)
        children = sorted(graph.predecessors(node))
        extension = "" if top else ("    " if last else "|   ")
        for i, child in enumerate(children):
            walk(child, prefix + extension, i == len(children) - 1, False)

    walk(root, "", True, True)
    return lines
