"""`verify --adaptive` (issue 22, point 1): replicas in rounds until every claim is decided by an
anytime-valid test, the same seeds per replica index as a fixed run, e-Holm over the family, and
the replicas used shown beside the maximum."""
import json
import textwrap

import numpy as np
import pytest
import sympy as sp

from verifier.interfaces.cli import main
from verifier.judging import adaptive, sequential
from verifier.running.runner import adaptive_rounds
from verifier.running.store import Store
from verifier.spec.claims import Bound, Ordering, Probability

PLUGIN = textwrap.dedent('''
    import numpy as np
    import sympy as sp
    from verifier import Bound, Kind, Paper, Parameter, Probability, Result

    PAPER = Paper(key="seq", title="Sequential", authors=("A",), year=2026)
    rate, event, p = sp.symbols("rate event p")

    def error_rates(params, replicas, seeds, device):
        rngs = [np.random.default_rng(s) for s in seeds]
        return {"rate": np.array([r.random(20).mean() for r in rngs]),                  # mean 0.5, in [0, 1]
                "event": np.array([float(r.random() < params["p"]) for r in rngs])}

    def on_the_edge(params, replicas, seeds, device):  # 0.4, 0.6, 0.4, ...: mean 0.5 whatever the seeds
        return {"rate": 0.5 + 0.1 * (-1.0) ** np.arange(replicas), "event": np.zeros(replicas)}

    def result(slug, claims, check=error_rates):
        return Result(id=f"seq/{slug}", kind=Kind.LEMMA, number=slug, title=slug, paper=PAPER, statement="x",
                      parameters=(Parameter("p", "probability"),), profiles={"quick": {"p": 0.3}, "full": {"p": 0.3}},
                      replicas={"quick": 256, "full": 256}, measures={"rate": "error rate", "event": "0/1 event"},
                      check=check, tag="FOUND (primary)", claims=claims)

    RESULTS = [
        result("lemma-clear", (Bound("rate <= 0.8", quantity=rate, relation="<=", bound=0.8, support=(0, 1),
                                           control_factor=4),)),
        result("lemma-false", (Probability("P[event] >= 0.7", event=event, relation=">=", value=0.7),)),
        result("lemma-edge", (Bound("rate <= 0.5", quantity=rate, relation="<=", bound=0.5, support=(0, 1)),), on_the_edge),
        result("lemma-unbounded", (Bound("rate <= 0.8 (no support)", quantity=rate, relation="<=", bound=0.8),)),
    ]
''')


PROPORTIONS_PLUGIN = textwrap.dedent('''
    import numpy as np
    import sympy as sp
    from verifier import Bound, Kind, Paper, Result

    PAPER = Paper(key="pooled", title="Pooled proportions", authors=("A",), year=2026)
    fails = sp.Symbol("fails")

    def shared_failures(params, replicas, seeds, device):
        """20 dependent 0/1 failures per replica: they share the replica's own rate, uniform on [0.1, 0.3]."""
        rngs = [np.random.default_rng(s) for s in seeds]
        return {"fails": np.stack([(r.random(20) < r.uniform(0.1, 0.3)).astype(float) for r in rngs])}

    def more_failures(params, replicas, seeds, device):
        """The same draws under another check name (so other seeds): a result judged at the maximum reads this
        one, and the others' rounds are not served from its full run."""
        return shared_failures(params, replicas, seeds, device)

    def result(slug, claim, check=shared_failures):
        return Result(id=f"pooled/{slug}", kind=Kind.LEMMA, number=slug, title=slug, paper=PAPER, statement="x",
                      profiles={"quick": {}, "full": {}}, replicas={"quick": 256, "full": 256},
                      measures={"fails": "0/1 failures, (replicas, 20)"}, check=check,
                      tag="FOUND (primary)", claims=(claim,))

    def pooled(label, bound, **control):
        return Bound(label, quantity=fails, relation="<=", bound=bound, statistic="proportion", trials=1, **control)

    RESULTS = [result("lemma-rare", pooled("P[fail] <= 0.6", 0.6, control_factor=6)),
               result("lemma-often", pooled("P[fail] <= 0.05", 0.05)),
               result("lemma-near-zero", pooled("P[fail] <= 0.01", 0.01), more_failures)]
''')


def _fixed_and_adaptive(folder, plugin_text: str, paper: str) -> dict:
    """`verify paper` of a plugin, fixed and --adaptive, each in its own store: records by slug, runs, stores."""
    plugin = folder / f"{paper}_plugin.py"
    plugin.write_text(plugin_text)
    out = {}
    for mode, extra in (("fixed", []), ("adaptive", ["--adaptive"])):
        path = folder / f"{mode}.json"
        main(["paper", paper, "--plugin", str(plugin), "--no-autoload", "--device", "cpu", "--store",
              str(folder / f"{mode}.sqlite"), "--json", str(path), "--readings", "default", *extra])
        out[mode] = {r["id"].split("/")[1]: r for r in json.loads(path.read_text())["results"]}
        out[mode + "_run"] = json.loads(path.read_text())
        out[mode + "_store"] = Store(folder / f"{mode}.sqlite")
    return out


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    return _fixed_and_adaptive(tmp_path_factory.mktemp("adaptive"), PLUGIN, "seq")


@pytest.fixture(scope="module")
def pooled_runs(tmp_path_factory):
    return _fixed_and_adaptive(tmp_path_factory.mktemp("pooled"), PROPORTIONS_PLUGIN, "pooled")


def test_rounds_follow_the_maximum():
    assert adaptive_rounds(256) == [32, 64, 96, 128, 160, 192, 224, 256]
    assert adaptive_rounds(20) == [8, 16, 20] and adaptive_rounds(5) == [5]


def test_clear_claims_stop_early_with_the_verdicts_of_the_fixed_run(runs):
    clear, false = runs["adaptive"]["lemma-clear"], runs["adaptive"]["lemma-false"]
    assert clear["verdict"] == runs["fixed"]["lemma-clear"]["verdict"] == "PASS"
    assert false["verdict"] == runs["fixed"]["lemma-false"]["verdict"] == "FAIL"
    for item in (clear, false):
        claim = item["claims"][0]
        # well before the maximum: the first or second round (the data, like the seeds, depend on the plugin's
        # module name, which carries a hash of its temporary path)
        assert item["replicas"] == claim["replicas_used"] in (32, 64) and claim["replicas_maximum"] == 256
        assert item["adaptive"] == {"round": 32, "start": 32, "used": item["replicas"], "maximum": 256, "not_adaptive": {}}
        assert claim["p_fail"] == pytest.approx(min(1.0, 2 / float(claim["sequential"]["e_fail"])))
        assert "--adaptive" in item["reproduce"]
    assert float(clear["claims"][0]["sequential"]["e_pass"]) >= 40 and clear["claims"][0]["control"]["rejected"]
    assert float(false["claims"][0]["sequential"]["e_fail"]) >= 40
    lo, hi = false["claims"][0]["ci"]          # the confidence sequence of P[event] = 0.3 lies below 0.7
    assert 0 < lo < 0.3 < hi < 0.7


def test_an_undecidable_claim_runs_to_the_maximum(runs):
    # the negative control of stopping: a true claim on its edge (mean 0.5 against <= 0.5) is never decided
    edge = runs["adaptive"]["lemma-edge"]
    assert edge["replicas"] == 256 and edge["verdict"] == "INCONCLUSIVE"
    assert "undecided by the sequential test after 256 of 256 replicas" in edge["claims"][0]["detail"]


def test_a_claim_without_a_sequential_test_runs_at_the_maximum_and_says_so(runs):
    item = runs["adaptive"]["lemma-unbounded"]
    claim = item["claims"][0]
    assert item["replicas"] == claim["replicas_used"] == 256 and "sequential" not in claim
    assert item["adaptive"]["not_adaptive"] == {"rate <= 0.8 (no support)": "no support (range of its quantity) is declared"}
    assert claim["verdict"] == runs["fixed"]["lemma-unbounded"]["claims"][0]["verdict"] == "PASS"
    assert "not adaptive (no support" in claim["detail"]


def test_pooled_proportions_stop_early_on_their_per_replica_proportions(pooled_runs):
    # 20 dependent failures per replica (a shared rate), mean 0.2: "<= 0.6" PASSes and "<= 0.05" FAILs well
    # before the maximum of 256 replicas, with the fixed run's verdicts
    rare, often = pooled_runs["adaptive"]["lemma-rare"], pooled_runs["adaptive"]["lemma-often"]
    assert rare["verdict"] == pooled_runs["fixed"]["lemma-rare"]["verdict"] == "PASS"
    assert often["verdict"] == pooled_runs["fixed"]["lemma-often"]["verdict"] == "FAIL"
    for item, bound in ((rare, 0.6), (often, 0.05)):
        claim = item["claims"][0]
        assert item["replicas"] == claim["replicas_used"] <= 64 and claim["replicas_maximum"] == 256
        assert claim["sequential"]["test"] == adaptive.PROPORTIONS
        assert claim["statistic"] == "mean of per-replica proportions (confidence sequence)"
        fails = pooled_runs["adaptive_store"].load_measurements(item["measurement_key"])["fails"]
        assert fails.shape == (item["replicas"], 20)
        proportions = fails.mean(axis=1)                  # the test reads one proportion per replica
        expected = sequential.mean_decision(proportions, 0.0, 1.0, -np.inf, bound)
        assert float(claim["sequential"]["e_pass"]) == pytest.approx(expected.e_pass)
        assert float(claim["sequential"]["e_fail"]) == pytest.approx(expected.e_fail)
        lo, hi = claim["ci"]                              # the confidence sequence of the mean proportion
        assert lo < proportions.mean() < hi and proportions.mean() == pytest.approx(claim["estimate"])
    assert float(rare["claims"][0]["sequential"]["e_pass"]) >= 40 and rare["claims"][0]["control"]["rejected"]
    control = rare["claims"][0]["control"]["description"]                       # the fixed run's control
    assert control == pooled_runs["fixed"]["lemma-rare"]["claims"][0]["control"]["description"]
    assert control.startswith("E[fails] <= 0.1")
    assert float(often["claims"][0]["sequential"]["e_fail"]) >= 40 and 0.05 < often["claims"][0]["ci"][0]
    assert pooled_runs["adaptive_run"]["family"] == {**pooled_runs["adaptive_run"]["family"], "method": "e-holm",
                                                     "size": 3, "sequential": 2, "changed": []}


def test_a_pooled_proportion_bound_too_near_zero_for_the_maximum_is_judged_at_fixed_n(pooled_runs):
    # "<= 0.01" needs about 800 replicas of proportion 0 to PASS by one proportion per replica: at most 256 are
    # run, so it is judged as the fixed run judges it, and says why
    item = pooled_runs["adaptive"]["lemma-near-zero"]
    claim = item["claims"][0]
    assert item["replicas"] == 256 and "sequential" not in claim
    assert claim["verdict"] == pooled_runs["fixed"]["lemma-near-zero"]["claims"][0]["verdict"] == "FAIL"
    assert item["adaptive"]["not_adaptive"] == {"P[fail] <= 0.01": (
        "its bound 0.01 lies too close to 0 or 1 for one proportion per replica to decide it both ways within 256 "
        "replicas")}


def test_the_first_replicas_are_those_of_a_fixed_run(runs):
    def data(mode, slug):
        return runs[f"{mode}_store"].load_measurements(runs[mode][slug]["measurement_key"])

    adaptive_data, fixed_data = data("adaptive", "lemma-clear"), data("fixed", "lemma-clear")
    assert adaptive_data["rate"].shape == (32,) and fixed_data["rate"].shape == (256,)
    assert np.array_equal(adaptive_data["rate"], fixed_data["rate"][:32])
    assert runs["adaptive"]["lemma-clear"]["seeds"] == runs["fixed"]["lemma-clear"]["seeds"]
    # lemma-unbounded reads the same check: its 256 replicas extend the 32 lemma-clear stopped at (separate
    # stores: nothing of the fixed run is reused), and equal the fixed run's, as the edge's 8 rounds do
    assert runs["adaptive"]["lemma-unbounded"]["measurement_key"] == runs["fixed"]["lemma-unbounded"]["measurement_key"]
    for slug in ("lemma-unbounded", "lemma-edge"):
        for name in ("rate", "event"):
            assert np.array_equal(data("adaptive", slug)[name], data("fixed", slug)[name])


SHARED_PLUGIN = textwrap.dedent('''
    import numpy as np
    import sympy as sp
    from verifier import Bound, Kind, Paper, Result

    PAPER = Paper(key="shared", title="Shared", authors=("A",), year=2026)
    rate = sp.Symbol("rate")
    CALLS = {calls!r}

    def rates(params, replicas, seeds, device):
        with open(CALLS, "a") as f:
            f.write(f"{{len(seeds)}}\\n")
        return {{"rate": np.array([np.random.default_rng(s).random(20).mean() for s in seeds])}}

    def result(slug, claim):
        return Result(id=f"shared/{{slug}}", kind=Kind.LEMMA, number=slug, title=slug, paper=PAPER, statement="x",
                      profiles={{"quick": {{}}, "full": {{}}}}, replicas={{"quick": 256, "full": 256}},
                      measures={{"rate": "error rate"}}, check=rates, tag="FOUND (primary)", claims=(claim,))

    RESULTS = [result("lemma-a-fixed", Bound("rate <= 0.8 (no support)", quantity=rate, relation="<=", bound=0.8)),
               result("lemma-b-sequential", Bound("rate <= 0.8", quantity=rate, relation="<=", bound=0.8,
                                                  support=(0, 1), control_factor=4))]
''')


def test_a_result_after_a_full_run_of_its_check_is_judged_from_it_and_trains_nothing_again(tmp_path, capsys):
    # lemma-a-fixed has no sequential test and runs all 256 replicas first; lemma-b-sequential reads the same
    # check and could stop at 32: it is judged from the 256 already measured instead of training their first
    # 32, 64, ... a second time (before, the check was called with 256, then 32, 32, ... replicas)
    calls = tmp_path / "calls.txt"
    plugin = tmp_path / "shared_plugin.py"
    plugin.write_text(SHARED_PLUGIN.format(calls=str(calls)))
    path = tmp_path / "run.json"
    main(["paper", "shared", "--plugin", str(plugin), "--no-autoload", "--device", "cpu", "--store",
          str(tmp_path / "s.sqlite"), "--json", str(path), "--adaptive"])
    assert calls.read_text().split() == ["256"]
    records = {r["id"]: r for r in json.loads(path.read_text())["results"]}
    later = records["shared/lemma-b-sequential"]
    assert later["verdict"] == "PASS" and later["replicas"] == 256
    assert later["adaptive"]["start"] == 256 and later["adaptive"]["round"] == 32
    assert "judged from 256 replicas on: a run of this check with that many was already measured" in later["check_notes"][0]
    assert "sequential" in later["claims"][0]
    printed = " ".join(capsys.readouterr().out.split())
    assert "adaptive: 256 of at most 256 replicas, in rounds of 32 (judged on the 256 already measured)" in printed


def test_the_family_is_corrected_with_e_holm(runs):
    family = runs["adaptive_run"]["family"]
    assert family["method"] == "e-holm" and family["size"] == 4 and family["sequential"] == 3
    claims = [r["claims"][0] for r in runs["adaptive"].values()]
    e = sorted(1 / c["p_fail"] for c in claims)[::-1]
    assert min(c["p_fail_adjusted"] for c in claims) == pytest.approx(min(1.0, 4 / e[0]))
    assert runs["fixed_run"]["family"]["method"] == "holm"


def test_the_terminal_and_html_show_replicas_used_of_the_maximum(tmp_path, capsys):
    plugin = tmp_path / "seq_plugin.py"
    plugin.write_text(PLUGIN)
    main(["theorem", "seq/lemma-clear", "--plugin", str(plugin), "--no-autoload", "--device", "cpu", "--store",
          str(tmp_path / "s.sqlite"), "--adaptive", "--html", str(tmp_path / "html")])
    printed = " ".join(capsys.readouterr().out.split())
    page = " ".join(next((tmp_path / "html").rglob("*lemma-clear*.html")).read_text().split())
    assert "n = 32: 32 of at most 256 replicas, adaptive" in page and "(adaptive: 32 of at most 256 replicas)" in page
    assert "e_fail 1, e_pass" in page and "(decides at 40)" in page
    assert "after 32 of 256 replicas: e_fail 1, e_pass" in printed
    assert "adaptive: 32 of at most 256 replicas, in rounds of 32 (stopped when every claim was decided)" in printed


def test_which_claims_have_a_sequential_test():
    data = {"q": np.linspace(0.1, 0.9, 8), "grid": np.ones((8, 3)), "e": np.array([0, 1] * 4, dtype=float),
            "wide": np.zeros((3, 8))}
    q, grid, e, wide = sp.symbols("q grid e wide")
    stream = adaptive.stream(Bound("b", quantity=q, bound=0.95, support=(0, 1)), {}, data, 8)
    assert stream.lo == pytest.approx(-0.95) and stream.hi == pytest.approx(0.05) and stream.region[1] == 0.0
    assert adaptive.stream(Probability("p", event=e, value=0.4), {}, data, 8).test == adaptive.MIXTURE
    pooled = adaptive.stream(Probability("k", event=grid, value=0.4), {}, data, 8)  # (replica, k) events: pooled
    assert pooled.values.shape == (24,) and pooled.region == (0.4, np.inf) and pooled.per_look == 3
    judged = adaptive.judge(Probability("k", event=grid, value=0.4), {}, data, 0.05, 8)
    assert judged.test == adaptive.MIXTURE + ", read after each replica's 3 outcomes" and judged.own.n == 24
    flat = {"flat": np.array([0, 1, 1] * 8, dtype=bool), "odd": np.ones(20, dtype=bool)}  # pooled replica-major
    assert adaptive.stream(Probability("f", event=sp.Symbol("flat"), value=0.4), {}, flat, 8).per_look == 3
    odd = adaptive.judge(Probability("o", event=sp.Symbol("odd"), value=0.4), {}, flat, 0.05, 8)
    assert odd.test == adaptive.MIXTURE + ", read after every 2 outcomes (one replica's on average)"
    # a pooled proportion: each replica's count over its trials x cells (error rates 0.5, 2/3, 0.5 of 6 trials)
    rates = np.tile([0.5, 4 / 6, 0.5], (8, 1))
    proportion = Bound("pp", quantity=sp.Symbol("rates"), bound=0.3, relation=">=", statistic="proportion", trials=6)
    per_replica = adaptive.stream(proportion, {}, {**data, "rates": rates}, 8)
    assert per_replica.test == adaptive.PROPORTIONS and per_replica.region == (0.3, np.inf)
    assert per_replica.values == pytest.approx(np.full(8, 10 / 18)) and (per_replica.lo, per_replica.hi) == (0.0, 1.0)
    assert adaptive.reachable(per_replica, 0.05, 64)
    near_zero = Bound("pz", quantity=q, bound=0.01, statistic="proportion", trials=10)
    assert not adaptive.reachable(adaptive.stream(near_zero, {}, data, 8), 0.05, 256)
    with pytest.raises(adaptive.NotAdaptive, match="its bound 0.01 lies too close to 0 or 1 .* within 256 replicas"):
        adaptive.judge(near_zero, {}, data, 0.05, 8, maximum=256)
    # a mean near an end of its support: 16 replicas of 0 cannot show "mean <= 0.001" on [0, 1] (a bet gains
    # at most a factor 1.001 per replica), so it is judged at the maximum, as a fixed run judges it; at 10^4
    # replicas it can, and is sequential
    zeros = {"t": np.zeros(16)}
    tiny = Bound("t", quantity=sp.Symbol("t"), bound=sp.Rational(1, 1000), support=(0, 1))
    assert not adaptive.reachable(adaptive.stream(tiny, {}, zeros, 16), 0.05, 16)
    with pytest.raises(adaptive.NotAdaptive, match=r"its bound 0.001 lies too close to an end of its support \[0, 1\] "
                                                   "for one value per replica to decide it both ways within 16"):
        adaptive.judge(tiny, {}, zeros, 0.05, 16, maximum=16)
    assert adaptive.reachable(adaptive.stream(tiny, {}, zeros, 16), 0.05, 10_000)
    for claim, reason in ((Bound("n", quantity=q, bound=1), "no support"),
                          (Bound("g", quantity=grid, bound=1, support=(0, 2)), "not one value per replica"),
                          (Bound("v", quantity=q, bound=q, support=(0, 1)), "bound is not one finite number"),
                          (Bound("o", quantity=q, bound=0.5, support=(0.2, 1)), "outside its declared support"),
                          (Bound("pw", quantity=wide, bound=0.5, statistic="proportion", trials=10),
                           r"shape \(3, 8\), with no leading replica axis \(8,\)"),
                          (Bound("pt", quantity=q, bound=0.5, statistic="proportion", trials=2.5),
                           r"trials \(2.5\) are not a positive whole number"),
                          (Bound("p1", quantity=q * 2, bound=0.5, statistic="proportion", trials=10),
                           r"a replica's proportion lies outside \[0, 1\]"),
                          (Probability("pv", event=e, value=q), "value is not one finite number"),
                          (Probability("pt", event=wide, value=0.5), "neither pooled nor with a leading replica axis"),
                          (Ordering("r", lesser=q, greater=q), "Ordering claim has no sequential test")):
        with pytest.raises(adaptive.NotAdaptive, match=reason):
            adaptive.stream(claim, {}, data, 8)
    with pytest.raises(ValueError, match=r"support must be \(lo, hi\) with lo < hi, got \(1, 0\)"):
        Bound("bad", quantity=q, bound=1, support=(1, 0))


def test_a_fail_stops_the_rounds_only_at_the_level_the_family_correction_will_ask():
    """A sequential FAIL at alpha alone keeps sampling while the run's correction (e-Holm: m / alpha for its
    strongest claim) would take it back; a PASS needs no correction; without a correction alpha suffices."""
    from types import SimpleNamespace

    from verifier.running.runner import Runner

    def judged(e_fail: float, e_pass: float = 1.0) -> adaptive.Sequential:
        own = sequential.Decision(e_fail, e_pass, 32)
        verdict = own.verdict(0.05)
        return adaptive.Sequential(verdict, own, None, "betting", (0.0, 1.0))

    runner = Runner.__new__(Runner)
    runner._family_size, runner.options = 4, SimpleNamespace(correction="holm")
    assert judged(100.0).verdict == "FAIL" and not runner._settled(judged(100.0), 0.05)   # p 0.02 > 0.05 / 4
    assert runner._settled(judged(1000.0), 0.05)                                          # p 0.002 < 0.0125
    assert runner._settled(judged(1.0, 1000.0), 0.05)                                     # a PASS stops
    assert not runner._settled(judged(1.0), 0.05)                                         # undecided
    runner.options = SimpleNamespace(correction="none")
    assert runner._settled(judged(100.0), 0.05)
