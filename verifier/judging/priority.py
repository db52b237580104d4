"""The most-wanted list (``verify next``): which unsettled results would settle the most if they passed.

A result is settled when its latest stored verdict is PASS or SYMBOLIC. An unsettled result is ranked by
how many results its passing would bear on in the dependency graph: those that use it, transitively
(its descendants: their proof chain runs through it, it may unblock them) and those it uses (its
ancestors: a passing consequence corroborates the reading they share with it). Ties go to the cheaper
result (a known cost before an unknown one), then to the id. A result never run is given the time of
its check's latest stored run, made for another result (the same training, perhaps at other parameters).
"""
from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

import networkx as nx

SETTLED = ("PASS", "SYMBOLIC")


@dataclass(frozen=True)
class Wanted:
    """One unsettled result: its latest verdict (None: never run), what its passing bears on, its cost."""

    id: str
    verdict: str | None
    supports: int  # descendants: results whose proof chain uses it
    rests_on: int  # ancestors: results it uses
    seconds: float | None  # estimated cost of running it; None when unknown
    from_check: bool = False  # never run: the seconds are its check's latest stored run (for another result)

    @property
    def score(self) -> int:
        return self.supports + self.rests_on


def most_wanted(graph: nx.DiGraph, verdicts: Mapping[str, str | None], costs: Mapping[str, float | None],
                from_check: Collection[str] = ()) -> list[Wanted]:
    """Every node of ``graph`` whose verdict is not PASS or SYMBOLIC (missing: never run), best first;
    ``from_check``: the nodes whose cost is their check's stored run for another result."""
    wanted = [Wanted(node, verdicts.get(node), len(nx.descendants(graph, node)), len(nx.ancestors(graph, node)),
                     costs.get(node), node in from_check) for node in graph.nodes if verdicts.get(node) not in SETTLED]
    return sorted(wanted, key=lambda w: (-w.score, w.seconds is None, w.seconds or 0.0, w.id))
