"""`verify next`: the most-wanted list over a synthetic dependency graph."""
import networkx as nx

from verifier.judging.priority import most_wanted


def test_most_wanted_order_on_a_synthetic_graph():
    # a -> b -> d -> e, c -> d, f alone (an edge u -> v: the proof of v uses u)
    graph = nx.DiGraph([("a", "b"), ("b", "d"), ("c", "d"), ("d", "e")])
    graph.add_node("f")
    verdicts = {"a": "PASS", "b": "FAIL", "c": "INCONCLUSIVE", "d": "ERROR", "e": "BLOCKED", "f": "FAIL"}
    costs = {"b": 3.0, "c": 1.0, "d": None, "e": 2.0, "f": 0.5}
    ranked = most_wanted(graph, verdicts, costs)
    # d bears on a, b, c (uses) and e (uses it): 4; e on 4 ancestors; b on a, d, e: 3; c on d, e: 2; f: 0.
    # d and e tie at 4: e's cost is known, d's is not.
    assert [w.id for w in ranked] == ["e", "d", "b", "c", "f"]
    assert [(w.supports, w.rests_on) for w in ranked] == [(0, 4), (1, 3), (2, 1), (2, 0), (0, 0)]
    assert ranked[1].seconds is None and ranked[0].seconds == 2.0


def test_settled_results_are_left_out_and_unrun_ones_kept():
    graph = nx.DiGraph([("a", "b"), ("b", "c")])
    ranked = most_wanted(graph, {"a": "SYMBOLIC", "c": "PASS"}, {})
    assert [(w.id, w.verdict, w.score) for w in ranked] == [("b", None, 2)]
