"""Issue #18, point 8: declared measurement shapes are validated (a mismatch is an ERROR naming the
measurement, the expected and the returned shape); an interval never pools grid cells as replicas; a
claim can read one grid point by the axis name."""
import json
import textwrap

import numpy as np
import pytest
import sympy as sp

from verifier import Bound
from verifier.interfaces.cli import main
from verifier.judging import shapes
from verifier.judging.evaluate import judge_empirical

x = sp.Symbol("x")


def test_a_grid_of_80_cells_from_8_replicas_is_judged_on_8():
    rng = np.random.default_rng(0)
    grid = rng.normal(0.0, 1.0, (8, 10)) + rng.normal(0.0, 1.0, (8, 1))      # replica effects shared by the cells
    claim = Bound("x <= 1", quantity=x, bound=1)
    pooled = judge_empirical(claim, {}, {"x": grid}, 0.05)
    by_replica = judge_empirical(claim, {}, {"x": grid}, 0.05, replicas=8)
    assert pooled.n == 80 and by_replica.n == 8
    assert by_replica.estimate == pytest.approx(pooled.estimate)           # the same grand mean
    half = (by_replica.ci[1] - by_replica.ci[0]) / 2
    assert half == pytest.approx(2.365 * grid.mean(axis=1).std(ddof=1) / np.sqrt(8), rel=1e-3)
    assert half > 2 * (pooled.ci[1] - pooled.ci[0]) / 2                    # pooling cells overstated the precision


def test_a_claim_reads_one_grid_point_by_name():
    data = {"x": np.tile(np.arange(5.0), (16, 1)) + np.random.default_rng(1).normal(0, 0.01, (16, 5))}
    declared = {"x": ("replica", "k")}
    at_three = judge_empirical(Bound("x at k=3 <= 3.5", quantity=x, bound=3.5, at={"k": 3}), {}, data, 0.05, 16, declared)
    at_four = judge_empirical(Bound("x at k=4 <= 3.5", quantity=x, bound=3.5, at={"k": 4}), {}, data, 0.05, 16, declared)
    assert at_three.observed == pytest.approx(3.0, abs=0.01) and at_three.verdict == "PASS" and at_three.n == 16
    assert at_four.verdict == "FAIL"
    with pytest.raises(KeyError, match="'j'"):
        shapes.select(data, declared, {"j": 0})


def test_validation_names_the_measurement_and_both_shapes():
    data = {"loss": np.zeros((32, 300)), "steps": np.zeros(301)}
    shapes.validate(data, {"loss": ("replica", "T")}, {"T": 300}, 32)
    with pytest.raises(shapes.ShapeError, match=r"'loss': expected shape \(replica=32, T=301\), returned \(32, 300\)"):
        shapes.validate(data, {"loss": ("replica", "T")}, {"T": 301}, 32)
    with pytest.raises(shapes.ShapeError, match="axis 'step' has length 301, but 'loss' gives it 300"):
        shapes.validate(data, {"loss": ("replica", "step"), "steps": ("step",)}, {}, 32)


PLUGIN = textwrap.dedent('''
    import numpy as np
    import sympy as sp
    from verifier import Bound, Kind, Paper, Parameter, Result

    x = sp.Symbol("x")
    def grid_values(params, replicas, seeds, device):
        return {"x": np.zeros((replicas, 9))}       # one cell short of the declared grid

    RESULTS = [Result(id="shape/lemma-1", kind=Kind.LEMMA, number="1", title="t", statement="s", tag="FOUND (primary)",
                      paper=Paper("shape", "P", ("A",), 2026), parameters=(Parameter("cells", "grid size"),),
                      profiles={"quick": {"cells": 10}, "full": {"cells": 10}}, replicas={"quick": 8, "full": 8},
                      measures={"x": "values"}, shapes={"x": ("replica", "cells")}, check=grid_values,
                      claims=(Bound("x <= 1", quantity=x, bound=1),))]
''')


def test_a_check_returning_the_wrong_shape_is_an_error(tmp_path, capsys):
    plugin = tmp_path / "shape_plugin.py"
    plugin.write_text(PLUGIN)
    out = tmp_path / "run.json"
    assert main(["theorem", "shape/lemma-1", "--plugin", str(plugin), "--no-autoload", "--device", "cpu",
                 "--store", str(tmp_path / "s.sqlite"), "--json", str(out)]) == 1
    record = json.loads(out.read_text())["results"][0]
    assert record["verdict"] == "ERROR"
    assert "'x': expected shape (replica=8, cells=10), returned (8, 9)" in record["exception"]
