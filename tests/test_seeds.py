"""`--seeds K`: a verdict that flips across master seeds is reported unstable in every output."""
import json
import textwrap

import pytest

from verifier.interfaces.cli import main

PLUGIN = textwrap.dedent('''
    import numpy as np
    import sympy as sp
    from verifier import Bound, Kind, Paper, Parameter, Result

    PAPER = Paper(key="toy", title="Toy", authors=("A",), year=2026)
    x, mu = sp.symbols("x mu")

    def gaussian_mean(params, replicas, seeds, device):
        """Replica means of 200 N(mu, 1) draws: the mean over 16 replicas has standard error 0.018."""
        return {"x": np.array([np.random.default_rng(s).normal(params["mu"], 1, 200).mean() for s in seeds])}

    def result(slug, claims):
        return Result(id=f"toy/{slug}", kind=Kind.LEMMA, number=slug, title=slug, paper=PAPER, statement="x",
                      parameters=(Parameter("mu", "mean", lower=0, upper=10),),
                      profiles={"quick": {"mu": 1.0}, "full": {"mu": 1.0}}, replicas={"quick": 16, "full": 16},
                      measures={"x": "sample mean"}, check=gaussian_mean, claims=claims)

    RESULTS = [
        result("lemma-true", (Bound("mean <= 1.5 mu", quantity=x, relation="<=", bound=1.5 * mu),)),
        # violated by 0.035, about the interval's half-width (power near 1/2): FAIL or INCONCLUSIVE by the seed
        result("lemma-edge", (Bound("mean <= mu - 0.035", quantity=x, relation="<=", bound=mu - 0.035),)),
    ]
''')


@pytest.fixture
def cli(tmp_path, capsys):
    package = tmp_path / "toy_seeds_plugin"  # a package: its module name, and so its seeds, do not depend on tmp_path
    package.mkdir()
    (package / "__init__.py").write_text("")
    plugin = package / "specs.py"
    plugin.write_text(PLUGIN)

    def run(*argv):
        code = main([*argv, "--plugin", str(plugin), "--store", str(tmp_path / "store.sqlite")])
        out, _ = capsys.readouterr()
        return code, out
    return run


def test_a_borderline_claim_flips_across_seeds_and_is_reported_unstable(cli, tmp_path):
    code, out = cli("theorem", "toy/lemma-edge", "--device", "cpu", "--seeds", "4", "--json", str(tmp_path / "run.json"),
                    "--html", str(tmp_path / "html"))
    assert code == 1
    run = json.loads((tmp_path / "run.json").read_text())
    (record,) = run["results"]
    assert record["seed"] == 0 and record["verdict"] == "FAIL"
    assert record["stability"] == {"seeds": [0, 1, 2, 3], "verdicts": ["FAIL", "FAIL", "FAIL", "INCONCLUSIVE"],
                                   "stable": False}
    assert "FAIL (unstable)" in out
    assert "UNSTABLE: the verdict flips with the seed: seed 0 FAIL, seed 1 FAIL, seed 2 FAIL" in " ".join(out.split())
    assert "seed 3 INCONCLUSIVE" in " ".join(out.split())
    assert "Unstable verdicts (they flip across the master seeds of --seeds): 1" in out
    assert "1 unstable across seeds 0, 1, 2, 3" in out
    page = (tmp_path / "html" / "toy--lemma-edge.html").read_text()
    assert "unstable: the verdict flips with the seed" in page
    assert 'class="unstable warning">unstable</span>' in (tmp_path / "html" / "index.html").read_text()
    code, out = cli("findings")  # the base seed's run is the store's latest, and its stored records carry it too
    assert out.startswith(f"run {run['run_id']}: 1 results")
    assert "Unstable verdicts (they flip across the master seeds of --seeds): 1\n  toy/lemma-edge" in out
    code, out = cli("theorem", "toy/lemma-edge", "--device", "cpu", "--seeds", "4", "--quiet")
    assert out.strip() == "FAIL         toy/lemma-edge  (unstable across seeds)"


def test_a_clearly_true_claim_is_stable(cli, tmp_path):
    code, out = cli("theorem", "toy/lemma-true", "--device", "cpu", "--seeds", "4", "--json", str(tmp_path / "run.json"))
    assert code == 0
    (record,) = json.loads((tmp_path / "run.json").read_text())["results"]
    assert record["stability"] == {"seeds": [0, 1, 2, 3], "verdicts": ["PASS"] * 4, "stable": True}
    assert "(unstable)" not in out and "UNSTABLE" not in out and "0 unstable across seeds 0, 1, 2, 3" in out
    assert ("stable: the same verdict under every seed: seed 0 PASS, seed 1 PASS, seed 2 PASS, seed 3 PASS"
            in " ".join(out.split()))
    assert "Unstable verdicts (they flip across the master seeds of --seeds): none" in out


def test_a_single_seed_run_has_no_stability(cli, tmp_path):
    cli("theorem", "toy/lemma-edge", "--device", "cpu", "--json", str(tmp_path / "run.json"))
    (record,) = json.loads((tmp_path / "run.json").read_text())["results"]
    assert "stability" not in record


def test_a_plugins_seeds_do_not_depend_on_its_folder(tmp_path):
    """The same plugin file in two folders runs on the same seeds (its module name carries a hash of its
    path, which the seeds drop), so a moved plugin reproduces its results; built-in checks are unaffected."""
    from verifier.running import registry as reg
    from verifier.running import seeds as seeding
    from verifier.running.check_code import check_name

    names = []
    for folder in ("one", "two"):
        path = tmp_path / folder / "toy_plugin.py"
        path.parent.mkdir()
        path.write_text("def measure(params, replicas, seeds, device):\n    return {}\n")
        module = reg._import_path(path)
        names.append(check_name(module.measure))
    assert names[0] != names[1]                                              # distinct modules in sys.modules
    first, second = (seeding.replica_seeds(name, {"a": 1.0}, 0, 3) for name in names)
    assert first == second
    assert seeding.replica_seeds("verifier_plugin_other_plugin_0123abcd:measure", {"a": 1.0}, 0, 3) != first
    assert seeding.replica_seeds("checks.x:measure", {"a": 1.0}, 0, 3) != first
