"""Does the proof chain a result rests on hold? Answered beside its verdict, not inside it.

A result's verdict answers "does the claim hold here?" from its own evidence. Its *support* answers
the second question from the results its proof uses, transitively:

- ``supported``: every result in the chain is PASS or SYMBOLIC;
- ``broken``: a statement the paper states (FOUND, first- or second-hand) FAILs inside its own regime:
  a broken proof step, a finding about the paper;
- ``unverified``: nothing in the chain is shown wrong, but some link is not established: a
  reconstructed statement fails (our reading fails, the paper is not shown wrong), or a link is
  INCONCLUSIVE (including one judged outside its stated regime).

A dependency that ERRORs, was not run, or is itself BLOCKED has no evidence at all; it still BLOCKS
(see :func:`verifier.judging.graph.blocking`).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

import networkx as nx

from verifier.judging.verdicts import Verdict

SUPPORTED, BROKEN, UNVERIFIED = "supported", "broken", "unverified"
SUPPORT_STATES = (SUPPORTED, BROKEN, UNVERIFIED)

BROKEN_STEP = "broken proof step"
RECONSTRUCTION_FAILS = "our reconstruction fails"
NOT_ESTABLISHED = "not established"
OUTSIDE_REGIME = "outside its stated regime"


@dataclass(frozen=True)
class Link:
    """What is known of one judged result when those above it ask for support."""

    own_verdict: Verdict
    found: bool             # the failing statement is the paper's (FOUND or FOUND secondary)
    outside_regime: bool


def weak_link(link: Link) -> str | None:
    """Why this result does not support what uses it (None when it does, or when it blocks instead)."""
    if link.own_verdict.ok or link.own_verdict in (Verdict.ERROR, Verdict.BLOCKED):
        return None
    if link.outside_regime:
        return OUTSIDE_REGIME
    if link.own_verdict is Verdict.FAIL:
        return BROKEN_STEP if link.found else RECONSTRUCTION_FAILS
    return NOT_ESTABLISHED


def support(graph: nx.DiGraph, node: str, links: Mapping[str, Link]) -> tuple[str, list[dict[str, Any]]]:
    """The support state of ``node`` and every weak link of its proof chain (ancestors in the graph,
    nearest first), each as ``{"id", "verdict", "reason"}``."""
    weak: list[dict[str, Any]] = []
    ancestors = nx.ancestors(graph, node)
    distance = nx.single_target_shortest_path_length(graph, node) if ancestors else {}
    for dep in sorted(ancestors, key=lambda d: (dict(distance).get(d, 0), d)):
        link = links.get(dep)
        reason = weak_link(link) if link is not None else None
        if reason is not None:
            weak.append({"id": dep, "verdict": link.own_verdict.value, "reason": reason})
    if any(w["reason"] == BROKEN_STEP for w in weak):
        return BROKEN, weak
    return (UNVERIFIED if weak else SUPPORTED), weak

