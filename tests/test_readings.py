"""Issue #18, point 10: a reading is an object defined once and referenced by the results that use it;
a run prints it once; with --readings all the claims are judged under each admissible alternative,
side by side, and the report says whether the verdict depends on the reading."""
import json
import textwrap

import pytest

from verifier.interfaces.cli import main

PLUGIN = textwrap.dedent('''
    import numpy as np
    import sympy as sp
    from verifier import Bound, Kind, Paper, Parameter, Result
    from verifier.spec.readings import Reading

    PAPER = Paper(key="reading", title="Readings", authors=("A",), year=2026)
    x, C = sp.symbols("x C_polylog")
    POLYLOG = Reading(name="polylog-k", word="O~(1)", means="C_polylog, a constant standing for polylog(k)",
                      why="the paper hides polylog factors", symbol="C_polylog", value=10.0,
                      alternatives={"log k at k = 20": 3.0, "log^2 k at k = 20": 9.0})

    def values(params, replicas, seeds, device):
        z = np.random.default_rng(5).normal(size=replicas)
        return {"x": (z - z.mean()) / z.std(ddof=1) * 0.1 + 5.0}     # mean 5, tight

    def result(slug):
        return Result(id=f"reading/{slug}", kind=Kind.LEMMA, number=slug, title=slug, statement="x <= O~(1)",
                      paper=PAPER, tag="FOUND (primary)", parameters=(Parameter("a", "unused"),),
                      profiles={"quick": {"a": 1.0}, "full": {"a": 1.0}}, replicas={"quick": 16, "full": 16},
                      measures={"x": "values"}, check=values, readings=(POLYLOG,),
                      claims=(Bound("x <= O~(1)", quantity=x, bound=C, control_factor=4),))

    RESULTS = [result("lemma-1"), result("lemma-2")]
''')


def test_a_shared_reading_is_printed_once_and_judged_under_each_alternative(tmp_path, capsys):
    plugin = tmp_path / "reading_plugin.py"
    plugin.write_text(PLUGIN)
    out = tmp_path / "run.json"
    main(["paper", "reading", "--plugin", str(plugin), "--no-autoload", "--device", "cpu", "--readings", "all",
          "--store", str(tmp_path / "s.sqlite"), "--json", str(out)])
    printed = capsys.readouterr().out
    run = json.loads(out.read_text())
    assert list(run["readings"]) == ["polylog-k"] and run["readings"]["polylog-k"]["value"] == 10.0
    assert printed.count("polylog-k: O~(1) := C_polylog") == 1                  # once, for two results
    record = run["results"][0]
    assert record["readings"] == ["polylog-k"] and record["verdict"] == "PASS"   # 5 <= 10
    variants = {v["label"]: v["verdict"] for v in record["reading_variants"]}
    assert variants == {"log k at k = 20": "FAIL", "log^2 k at k = 20": "PASS"}   # 5 <= 3 fails, 5 <= 9 holds
    assert record["reading_dependent"] is True
    assert "under reading polylog-k = log k at k = 20 (C_polylog = 3): FAIL" in printed
    assert "the verdict depends on the reading" in printed


def test_a_reading_constant_needs_its_value(tmp_path):
    from verifier.spec.readings import Reading

    assert Reading("r", "w.h.p.", "0.99", symbol="delta").problems() == ["reading 'r': a symbol needs a value and a value a symbol"]
    assert Reading("r", "o(1)", "0.1", alternatives={"a": 0.2}).problems()[0].endswith("alternatives need a symbol whose value they replace")


ESTIMATOR_PLUGIN = textwrap.dedent('''
    import numpy as np
    import sympy as sp
    from verifier import Bound, Kind, Paper, Parameter, Result
    from verifier.spec.readings import Reading

    p_hat = sp.Symbol("p_hat")
    ESTIMATOR = Reading(name="estimator", word="p", means="the initial winner", aliases={"p_hat": "p_init"},
                        alternative_aliases={"end state": {"p_hat": "p_end"}})

    def values(params, replicas, seeds, device):
        z = np.random.default_rng(3).normal(size=replicas)
        z = (z - z.mean()) / z.std(ddof=1) * 0.01
        return {"p_init": 0.5 + z, "p_end": 0.2 + z}

    RESULTS = [Result(id="est/corollary-1", kind=Kind.COROLLARY, number="1", title="t", statement="p >= 0.4",
                      paper=Paper("est", "E", ("A",), 2026), tag="FOUND (primary)", parameters=(Parameter("a", "unused"),),
                      profiles={"quick": {"a": 1.0}, "full": {"a": 1.0}}, replicas={"quick": 16, "full": 16},
                      measures={"p_init": "initial winners", "p_end": "end-state winners"}, check=values,
                      readings=(ESTIMATOR,), claims=(Bound("p >= 0.4", quantity=p_hat, relation=">=", bound=0.4),))]
''')


def test_an_estimator_reading_and_its_alternatives(tmp_path, capsys):
    """Issue #19: the primary estimator is the reading's alias; every alternative estimator is judged on
    the same data by default, and the report says the verdict depends on it."""
    plugin = tmp_path / "estimator_plugin.py"
    plugin.write_text(ESTIMATOR_PLUGIN)
    out = tmp_path / "run.json"
    main(["theorem", "est/corollary-1", "--plugin", str(plugin), "--no-autoload", "--device", "cpu",
          "--store", str(tmp_path / "s.sqlite"), "--json", str(out)])
    record = json.loads(out.read_text())["results"][0]
    assert record["verdict"] == "PASS" and record["claims"][0]["observed"] == pytest.approx(0.5)
    assert [(v["label"], v["verdict"]) for v in record["reading_variants"]] == [("end state", "FAIL")]
    assert record["reading_dependent"] is True
    assert "Estimator: p_hat := p_init" in capsys.readouterr().out


def test_corollary_5_3_reads_p_r_as_def_a2_at_initialisation():
    from theorems.huang2022 import COROLLARY_5_3, P_ESTIMATOR

    assert P_ESTIMATOR in COROLLARY_5_3.readings
    assert P_ESTIMATOR.aliases == {"p_hat1": "p_init1", "p_hat2": "p_init2"}
    assert set(P_ESTIMATOR.alternative_aliases) == {"first crossing (p_learned)", "end state (p_end)"}
    bound = COROLLARY_5_3.claims[0]
    assert {s.name for s in bound.bound.free_symbols} >= {"p_hat1", "p_hat2"}
