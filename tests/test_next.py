"""`verify next`: the most-wanted list over a synthetic dependency graph, and read from a store."""
import json
import textwrap

import networkx as nx

from verifier.interfaces.cli import main
from verifier.judging.priority import most_wanted
from verifier.running.store import Store


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


PLUGIN = textwrap.dedent('''
    import numpy as np
    import sympy as sp
    from verifier import Bound, Identity, Kind, Paper, Parameter, Result

    PAPER = Paper(key="toyn", title="Toy", authors=("A",), year=2026)
    x, mu = sp.symbols("x mu")

    def gaussian_mean(params, replicas, seeds, device):
        return {"x": np.array([np.random.default_rng(s).normal(params["mu"], 1, 200).mean() for s in seeds])}

    def result(slug, claims, uses=(), check=None):
        return Result(id=f"toyn/{slug}", kind=Kind.LEMMA, number=slug, title=slug, paper=PAPER, statement="x",
                      parameters=(Parameter("mu", "mean"),), profiles={"quick": {"mu": 1.0}, "full": {"mu": 1.0}},
                      replicas={"quick": 8, "full": 8}, measures={"x": "sample mean"}, check=check, claims=claims,
                      uses=uses)

    ONE = (Identity("one", lhs=sp.Integer(1), rhs=sp.Integer(1)),)
    RESULTS = [
        result("lemma-true", (Bound("mean <= 1.5 mu", quantity=x, relation="<=", bound=1.5 * mu),), check=gaussian_mean),
        result("lemma-false", (Bound("mean <= mu / 2", quantity=x, relation="<=", bound=mu / 2),), check=gaussian_mean),
        result("theorem-a", ONE, uses=("toyn/lemma-false",)),
        result("theorem-b", ONE, uses=("toyn/theorem-a",)),
    ]
''')


def test_verify_next_reads_the_store(tmp_path, capsys):
    plugin = tmp_path / "toy_next.py"
    plugin.write_text(PLUGIN)
    common = ["--plugin", str(plugin), "--store", str(tmp_path / "store.sqlite")]
    assert main(["theorem", "toyn/theorem-b", "--device", "cpu", "--quiet", "--json", str(tmp_path / "run.json"), *common]) == 1
    capsys.readouterr()
    record = next(r for r in json.loads((tmp_path / "run.json").read_text())["results"] if r["id"] == "toyn/lemma-false")
    store = Store(tmp_path / "store.sqlite")
    try:
        seconds = store.measurement_seconds(record["measurement_key"])
    finally:
        store.close()
    assert main(["next", "--paper", "toyn", *common]) == 0
    lines = capsys.readouterr().out.splitlines()
    # lemma-false FAILs and two theorems rest on it; lemma-true was never run and bears on nothing; its
    # check is lemma-false's, so its cost is that check's stored run, marked as such
    assert [line.split()[:6] for line in lines[1:3]] == [
        ["1", "toyn/lemma-false", "FAIL", "2", "2", "/"], ["2", "toyn/lemma-true", "not", "run", "0", "0"]]
    assert lines[1].endswith(f" {seconds:.4g} s") and lines[2].endswith(f" ~{seconds:.4g} s")
    assert lines[3].startswith("~: never run; its check's latest stored run")
    assert main(["next", "--paper", "toyn", "--limit", "1", *common]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "... 1 more (--limit)"
    assert main(["next", "--paper", "nope", *common]) == 2
    assert capsys.readouterr().err.strip().startswith("verify: error: unknown paper 'nope'")
