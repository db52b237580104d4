"""Issue #18, point 8: declared measurement shapes are validated (a mismatch is an ERROR naming the
measurement, the expected and the returned shape); an interval never pools grid cells as replicas; a
claim can read one grid point by the axis name."""
import json
import textwrap

import numpy as np
import pytest
import sympy as sp

from verifier import Axis, Bound
from verifier.interfaces.cli import main
from verifier.judging import shapes
from verifier.judging.evaluate import judge_empirical
from verifier.presentation import html as html_report
from verifier.presentation import plots
from verifier.running import registry as reg
from verifier.running.store import Store

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


SIGMA0 = np.geomspace(1e-5, 1e-3, 5)  # 1e-05, 3.162e-05, 1e-04, 3.162e-04, 1e-03


def _by_sigma0():
    """16 replicas of an accuracy that is 0.5 + 0.1 j in column j of the sigma0 grid, and the grid."""
    noise = np.random.default_rng(2).normal(0, 0.01, (16, 5))
    return {"acc": 0.5 + 0.1 * np.arange(5) + noise, "sigma0": SIGMA0}, {"acc": ("replica", "sigma0"),
                                                                        "sigma0": ("sigma0",)}


def test_a_claim_reads_one_grid_point_by_its_label():
    data, declared = _by_sigma0()
    acc = sp.Symbol("acc")
    by_label = judge_empirical(Bound("acc at sigma0 = 1e-4 >= 0.65", quantity=acc, relation=">=", bound=0.65,
                                     at={"sigma0": 1e-4}), {}, data, 0.05, 16, declared)
    by_index = judge_empirical(Bound("acc at column 2 >= 0.65", quantity=acc, relation=">=", bound=0.65,
                                     at={"sigma0": 2}), {}, data, 0.05, 16, declared)
    assert by_label.observed == by_index.observed == pytest.approx(0.7, abs=0.01) and by_label.n == 16
    assert by_label.detail.startswith("judged at sigma0 = 0.0001") and by_label.at == {"sigma0": 1e-4}
    assert by_index.detail.startswith("judged at sigma0[2]")             # the record says which column it read
    # a label computed another way matches up to float rounding: sqrt(1e-5 * 1e-4) is column 1 (0.6)
    assert shapes.select(data, declared, {"sigma0": float(np.sqrt(1e-5 * 1e-4))})["acc"].mean() == pytest.approx(0.6, abs=0.01)
    assert shapes.select(data, declared, {"sigma0": 1e-3})["sigma0"] == 1e-3     # the labels are selected too


def test_a_label_or_index_the_axis_lacks_names_the_claim_the_axis_and_its_labels():
    data, declared = _by_sigma0()
    with pytest.raises(shapes.SelectionError) as missing:
        shapes.select(data, declared, {"sigma0": 2e-4}, "acc at 2e-4")
    assert str(missing.value) == ("claim 'acc at 2e-4': at sigma0=0.0002: is not one of its labels; axis 'sigma0' "
                                  "has the labels 1e-05, 3.16228e-05, 0.0001, 0.000316228, 0.001")
    with pytest.raises(shapes.SelectionError, match=r"at sigma0=5 is an index \(an int\), but axis 'sigma0' has 5 "
                                                     r"columns; a label is a float or a string, its labels: 1e-05, "):
        shapes.select(data, declared, {"sigma0": 5}, "c")
    grid = {"x": np.zeros((4, 3))}
    with pytest.raises(shapes.SelectionError, match="at k=0.5 is a label, but axis 'k' has no labels"):
        shapes.select(grid, {"x": ("replica", "k")}, {"k": 0.5}, "c")


LABELLED = textwrap.dedent('''
    import numpy as np
    import sympy as sp
    from verifier import Axis, Bound, Kind, Paper, Parameter, Result

    acc = sp.Symbol("acc")
    PAPER = Paper("lab", "P", ("A",), 2026)

    def accuracy_by_sigma0(params, replicas, seeds, device):
        """Accuracy 0.5 + 0.1 j at the j-th of 5 initialisation scales sigma0 = 1e-5 ... 1e-3, noise 0.01."""
        noise = np.stack([np.random.default_rng(s).normal(0, 0.01, 5) for s in seeds])
        return {"acc": 0.5 + 0.1 * np.arange(5) + noise, "sigma0": np.geomspace(1e-5, 1e-3, 5)}

    def result(slug, *claims):
        return Result(id=f"lab/{slug}", kind=Kind.LEMMA, number=slug, title=slug, statement="s", tag="FOUND (primary)",
                      paper=PAPER, parameters=(Parameter("lr", "learning rate"),), profiles={"quick": {"lr": 0.1}},
                      replicas={"quick": 8}, measures={"acc": "accuracy", "sigma0": "the grid's sigma0"},
                      shapes={"acc": ("replica", "sigma0"), "sigma0": ("sigma0",)}, check=accuracy_by_sigma0,
                      claims=claims)

    RESULTS = [
        result("lemma-1", Bound("acc >= 0.65 at sigma0 = 1e-4", quantity=acc, relation=">=", bound=0.65,
                                support=(0, 1), at={"sigma0": 1e-4}),
               Bound("acc <= 0.8 at sigma0 = 1e-3", quantity=acc, relation="<=", bound=0.8, at={"sigma0": 1e-3})),
        result("lemma-2", Bound("acc >= 0.65 at sigma0 = 2e-4", quantity=acc, relation=">=", bound=0.65,
                                at={"sigma0": 2e-4})),
        result("lemma-3", Bound("acc at a named width", quantity=acc, relation=">=", bound=0.5, at={"sigma0": "wide"})),
        result("lemma-4", Bound("acc at lr 0.1", quantity=acc, relation=">=", bound=0.5, at={"lr": 0.1})),
        result("lemma-5", Bound("acc at True", quantity=acc, relation=">=", bound=0.5, at={"sigma0": True})),
    ]

    err = sp.Symbol("err")

    def error_by_model(params, replicas, seeds, device):
        """Test error 0.1, 0.2, 0.3 of the joint and the two uni-modal models, noise 0.01."""
        noise = np.stack([np.random.default_rng(s).normal(0, 0.01, 3) for s in seeds])
        return {"err": np.array([0.1, 0.2, 0.3]) + noise}

    RESULTS.append(Result(
        id="lab/lemma-models", kind=Kind.LEMMA, number="m", title="models", statement="s", tag="FOUND (primary)",
        paper=PAPER, parameters=(Parameter("lr", "learning rate"),), profiles={"quick": {"lr": 0.1}},
        replicas={"quick": 8}, measures={"err": "test error per model"}, check=error_by_model,
        shapes={"err": ("replica", Axis("model", ("joint", "uni1", "uni2")))},
        claims=(Bound("joint error <= 0.15", quantity=err, relation="<=", bound=0.15, support=(0, 1),
                      at={"model": "joint"}),
                Bound("uni2 error <= 0.25", quantity=err, relation="<=", bound=0.25, at={"model": "uni2"}))))
''')


def test_a_spec_selects_columns_by_label_and_a_missing_label_is_the_result_s_error(tmp_path):
    plugin = tmp_path / "labelled.py"
    plugin.write_text(LABELLED)
    out = tmp_path / "run.json"
    assert main(["paper", "lab", "--plugin", str(plugin), "--no-autoload", "--device", "cpu",
                 "--store", str(tmp_path / "s.sqlite"), "--json", str(out)]) == 1
    run = json.loads(out.read_text())
    records = {r["id"]: r for r in run["results"]}
    first = records["lab/lemma-1"]["claims"]
    assert [c["verdict"] for c in first] == ["PASS", "FAIL"]     # column 2 (0.7) and column 4 (0.9)
    assert first[0]["observed"] == pytest.approx(0.7, abs=0.01) and first[1]["observed"] == pytest.approx(0.9, abs=0.01)
    second = records["lab/lemma-2"]
    assert second["verdict"] == "ERROR" and ("claim 'acc >= 0.65 at sigma0 = 2e-4': at sigma0=0.0002: is not one "
                                             "of its labels; axis 'sigma0' has the labels 1e-05, ") in second["exception"]
    problems = {p["result"]: p["reason"] for p in run["plugin_problems"]}
    assert problems["lab/lemma-3"] == ("claim 'acc at a named width': at sigma0='wide' is a label, but axis 'sigma0' "
                                       "has no named columns: declare it as Axis('sigma0', labels) in shapes")
    assert problems["lab/lemma-4"] == "claim 'acc at lr 0.1' selects axis lr, which no measurement declares in shapes"
    assert problems["lab/lemma-5"] == ("claim 'acc at True': at sigma0=True: expected an int (an index), or a finite "
                                       "float or a string (a label)")
    # named columns: the joint model's error 0.1 <= 0.15 holds, the second uni-modal model's 0.3 <= 0.25 does not
    models = records["lab/lemma-models"]["claims"]
    assert [c["verdict"] for c in models] == ["PASS", "FAIL"]
    assert models[1]["observed"] == pytest.approx(0.3, abs=0.01)


def test_named_columns_are_selected_by_name_and_declared_consistently():
    declared = {"err": ("replica", Axis("model", ("joint", "uni1", "uni2")))}
    data = {"err": np.tile([0.1, 0.2, 0.3], (4, 1))}
    assert shapes.select(data, declared, {"model": "uni1"})["err"].tolist() == [0.2] * 4
    assert shapes.select(data, declared, {"model": -1})["err"].tolist() == [0.3] * 4
    with pytest.raises(shapes.SelectionError, match="at model=uni3: is not one of its labels; axis 'model' has the "
                                                    "labels joint, uni1, uni2"):
        shapes.select(data, declared, {"model": "uni3"}, "c")
    shapes.validate(data, declared, {}, 4)
    with pytest.raises(shapes.ShapeError, match=r"expected shape \(replica=4, model=3\), returned \(4, 2\)"):
        shapes.validate({"err": np.zeros((4, 2))}, declared, {}, 4)
    with pytest.raises(ValueError, match="axis 'model' is declared with different labels"):
        shapes.declared_labels("model", {**declared, "acc": ("replica", Axis("model", ("a", "b", "c")))})


def test_the_report_draws_the_column_a_claim_selects(tmp_path, monkeypatch):
    plugin = tmp_path / "labelled.py"
    plugin.write_text(LABELLED)
    out, store_path = tmp_path / "run.json", tmp_path / "s.sqlite"
    main(["theorem", "lab/lemma-1", "--plugin", str(plugin), "--no-autoload", "--device", "cpu",
          "--store", str(store_path), "--json", str(out)])
    drawn = {}
    real = plots.claim_plot

    def spy(claim, params, data, *args):
        drawn[claim.label] = np.asarray(data["acc"])
        return real(claim, params, data, *args)

    monkeypatch.setattr(plots, "claim_plot", spy)
    store = Store(store_path, read_only=True)
    try:
        html_report.write_report(json.loads(out.read_text()), tmp_path / "html", reg.load([str(plugin)], autoload=False),
                                 store)
    finally:
        store.close()
    # the 8 replicas of column 2 (sigma0 = 1e-4, 0.7) and of column 4 (1e-3, 0.9), not the whole grid
    assert drawn["acc >= 0.65 at sigma0 = 1e-4"].shape == (8,) and drawn["acc >= 0.65 at sigma0 = 1e-4"].mean() == pytest.approx(0.7, abs=0.01)
    assert drawn["acc <= 0.8 at sigma0 = 1e-3"].mean() == pytest.approx(0.9, abs=0.01)
