"""The benchmark script runs end to end on the CPU (tiny: one cheap family, two replicas)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_bench_prints_and_writes_figures(tmp_path):
    out = tmp_path / "bench.json"
    proc = subprocess.run([sys.executable, "benchmarks/bench.py", "--device", "cpu", "--replicas", "1", "2",
                           "--family", "Gaussian maxima", "--loop-max", "1", "--max-batch", "1", "--threads", "1",
                           "--json", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "matmul ceiling: float64" in proc.stdout and "Gaussian maxima" in proc.stdout
    report = json.loads(out.read_text())
    assert report["device"] == "cpu" and report["ceilings"]["float64"] > 1e8 and report["ceilings"]["copy_bytes"] > 1e8
    rows = report["figures"]
    assert [r["replicas"] for r in rows] == [1, 2]
    assert all(r["batched_s"] > 0 and r["loop_s"] > 0 and r["speedup"] > 0 for r in rows)
    assert rows[1]["max_batch"] == 1 and rows[1]["dtype"] == "float64" and rows[1]["loop_extrapolated"]


def test_profile_cost_lists_shared_trainings():
    """Results that read the same check and parameters share one training: the quick profile's 98
    empirical results need far fewer check runs, and huang2022's late-fusion training serves 21."""
    sys.path.insert(0, str(ROOT))
    from benchmarks.profile_cost import trainings

    jobs = trainings("quick", "cpu", "auto", None)
    served = sum(len(job["results"]) for job in jobs)
    assert len(jobs) < served / 3
    assert len({job["job"].key for job in jobs}) == len(jobs)
    late_fusion = [job for job in jobs if job["check"] == "checks.modality_competition:joint_vs_unimodal"]
    assert len(late_fusion) == 1 and len(late_fusion[0]["results"]) >= 20
    assert "huang2022/corollary-5.3" in late_fusion[0]["results"]
    full = trainings("full", "cpu", "auto", ["huang2022"])
    assert {len(job["job"].seeds) for job in full if "gaussian_maxima" in job["check"]} == {1024}
    # under --adaptive a training saves replicas only when every result reading it can stop early: of the
    # shared training's 21, Lemma A.14 (four Probabilities) and A.3-learned can; corollary-5.3 (an Ordering) not
    shared = next(job for job in full if job["check"] == "checks.modality_competition:joint_vs_unimodal")
    assert shared["may_stop_early"] == ["huang2022/lemma-a.14", "huang2022/lemma-a.3-learned"]
    assert [job["may_stop_early"] for job in full if "gaussian_maxima:winning" in job["check"]] == [
        ["huang2022/lemma-a.3"], ["huang2022/property-6.1"]]


def test_profile_cost_projects_a_paper(tmp_path):
    """Each training projected from probes of 1 and 2 replicas; with --memory, each in a process of its
    own, with that process's peak memory (at least the interpreter's, far below the machine's)."""
    out = tmp_path / "cost.json"
    proc = subprocess.run([sys.executable, "benchmarks/profile_cost.py", "--profile", "quick", "--device", "cpu",
                           "--paper", "huang2021", "--probe", "1", "--memory", "--json", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(out.read_text())
    rows = report["trainings"]
    assert {row["check"] for row in rows} == {"checks.linear_composite:overlap_table",
                                             "checks.linear_composite:modality_sweep"}
    assert all(row["timed_replicas"] == 2 and row["projected_seconds"] > 0 for row in rows)
    assert report["total_seconds"] == sum(row["projected_seconds"] for row in rows) and report["complete"] is True
    assert "total projected" in proc.stdout and "peak GB" in proc.stdout
    # huang2021's claims are Bounds without a declared support and Orderings: --adaptive cannot stop them
    assert all(row["may_stop_early"] == [] for row in rows)
    assert "--adaptive: 2 of 2 trainings run all their replicas whatever their data" in proc.stdout
    assert all(0.1 < row["peak_gb"] < 8 for row in rows)


def test_quick_family_row_times_the_batch_and_the_loop():
    """`bench.py --quick` times each family's batch and per-seed loop in one subprocess (one warm-up)."""
    sys.path.insert(0, str(ROOT))
    from benchmarks import bench, targets

    calls: list[str] = []

    def one_family(call: str) -> dict:
        calls.append(call)
        return bench._subprocess(call.replace(f", {targets.QUICK_REPLICAS}, {targets.QUICK_LOOP},", ", 2, 1,"))

    rows = targets.families("cpu", "auto", 1, lambda call: one_family(call) if "lemma-a.3" in call
                            else {"error": "skipped in this test"})
    assert len(calls) == 1 and len(rows) == len(bench.FAMILIES)
    timed = next(row for row in rows if row[0].startswith("Gaussian maxima"))
    assert timed[1].endswith("s batched)") and float(timed[1].split("x")[0]) > 0
    assert all(row[1] == "error: skipped in this test" and row[2] is False for row in rows if row is not timed)


def test_adaptive_benchmark_pairs_claims_and_flags_a_contradiction():
    """benchmarks/adaptive.py pairs each claim judged by a sequential test with its fixed-n verdict: an
    adaptive run may stay undecided where the fixed one decided, never reach the opposite verdict."""
    sys.path.insert(0, str(ROOT))
    from benchmarks.adaptive import agreement, claim_rows, compare, table

    def item(verdict, claims, replicas, adaptive=False):
        return {"id": "p/r", "verdict": verdict, "replicas": replicas, "check_seconds": 2.0 if adaptive else 4.0,
                "claims": [{"label": label, "kind": "Bound", "verdict": v, "observed": 0.25, "observed_ci": [0.2, 0.3],
                            "claimed": 0.5, "p_fail": 0.01,
                            **({"sequential": {}, "replicas_used": replicas, "replicas_maximum": 64} if seq else {})}
                           for label, v, seq in claims],
                **({"replicas_maximum": 64, "adaptive": {"not_adaptive": {"c": "no support"}}} if adaptive else {})}

    fixed = {"p/r": item("PASS", [("a", "PASS", False), ("b", "FAIL", False), ("c", "PASS", False),
                                  ("d", "INCONCLUSIVE", False)], 64)}
    adaptive = {"p/r": item("INCONCLUSIVE", [("a", "PASS", True), ("b", "INCONCLUSIVE", True), ("c", "PASS", False),
                                             ("d", "PASS", True)], 16, adaptive=True)}
    claims = claim_rows(fixed, adaptive)
    assert [(c["claim"], c["agreement"], c["used"]) for c in claims] == [
        ("a", "agree", 16), ("b", "adaptive undecided", 16), ("d", "fixed undecided", 16)]
    assert agreement("PASS", "FAIL") == "CONTRADICTS" and agreement("FAIL", "PASS") == "CONTRADICTS"
    assert agreement("FAIL", "INCONCLUSIVE", "FAIL") == "adaptive undecided (family correction)"
    rows = compare(fixed, adaptive)
    assert rows[0]["fixed_seconds"] == 4.0 and rows[0]["adaptive_seconds"] == 2.0 and rows[0]["not_adaptive"] == ["c"]
    measured = {"observed": 0.25, "observed_ci": [0.2, 0.3], "claimed": 0.5, "p_fail": 0.01}
    assert rows[0]["claims"][1] == {"claim": "b", "fixed": "FAIL", "adaptive": "INCONCLUSIVE",
                                    "fixed_measured": measured, "adaptive_measured": measured}
    assert len(rows[0]["claims"]) == 4
    text = table(rows, (10.0, 4.0), claims)
    assert "16/64" in text and "6.0 s, 60% saved" in text and "adaptive undecided 1" in text and "CONTRADICTS 0" in text


def test_adaptive_benchmark_keeps_only_what_fits_the_projected_costs(tmp_path, capsys):
    """`adaptive.py --costs C --within S` keeps a target only when every training of its closure (its own
    check and those of what it uses) is projected at <= S s; a training that failed to time counts as
    infinite. Corollary 5.3 uses Lemmas A.1 and A.15, so their cost decides it too."""
    sys.path.insert(0, str(ROOT))
    from benchmarks.adaptive import main, shortenable, within_budget
    from verifier.running import registry as reg
    registry = reg.load()
    joint = [r for r in registry.results if registry.entry(r).check == "checks.modality_competition:joint_vs_unimodal"]
    trainings = [
        {"check": "checks.modality_competition:joint_vs_unimodal", "projected_seconds": 100.0, "results": joint},
        {"check": "checks.tensor_power:discrete_recursion", "projected_seconds": 900.0,
         "results": ["huang2022/lemma-a.15"]},
        {"check": "checks.gaussian_maxima:gaussian_max_facts", "error": "MemoryError: ...",
         "results": ["huang2022/lemma-a.1"]},
        {"check": "checks.gaussian_maxima:winning_modality_at_init", "projected_seconds": 20.0,
         "results": ["huang2022/lemma-a.3", "huang2022/property-6.1"]},
    ]
    targets = ["huang2022/claim-a.11", "huang2022/lemma-a.15", "huang2022/corollary-5.3",
               "huang2022/definition-4.1"]
    kept, left_out = within_budget(targets, trainings, 500.0, "full")
    assert kept == ["huang2022/claim-a.11", "huang2022/definition-4.1"]
    assert left_out == {"huang2022/lemma-a.15": ("checks.tensor_power:discrete_recursion", 900.0),
                        "huang2022/corollary-5.3": ("checks.gaussian_maxima:gaussian_max_facts", float("inf"))}
    assert within_budget(targets, trainings, 1000.0, "full")[0] == targets[:2] + targets[3:]
    # a cost file cut short (its run stopped at a time limit) lists Lemma A.1's training but not Lemma A.3's,
    # which Corollary 5.3 also uses: an unknown cost, not a free one
    cut_short = [*trainings[:2], {**trainings[2], "projected_seconds": 10.0}]
    del cut_short[2]["error"]
    assert within_budget(targets, cut_short, 1000.0, "full") == (
        targets[:2] + targets[3:], {"huang2022/corollary-5.3": ("(not in the cost file)", float("inf"))})
    assert within_budget(targets, [*cut_short, trainings[3]], 1000.0, "full") == (targets, {})
    # what --adaptive could save on a training left out: nothing where a result reading it cannot stop early
    assert shortenable("checks.tensor_power:discrete_recursion", 900.0, trainings) == (
        "--adaptive could not shorten it (the one result reading it has a claim with no sequential test)")
    assert shortenable("checks.gaussian_maxima:winning_modality_at_init", 20.0, trainings) == (
        "--adaptive might shorten it (all 2 results reading it can stop early)")
    assert shortenable("checks.gaussian_maxima:gaussian_max_facts", 10.0, trainings) == (
        "its training is not in the cost file")

    costs = tmp_path / "cost.json"
    costs.write_text(json.dumps({"profile": "quick", "device": "cpu", "trainings": trainings}))
    with pytest.raises(SystemExit):
        main(["--all", "--profile", "full", "--costs", str(costs), "--within", "60", "--device", "cpu"])
    assert "measured for profile 'quick' on 'cpu', not 'full' on 'cpu'" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["--all", "huang2022/claim-a.11", "--device", "cpu"])
    assert "name the results to judge, or give --all or --paper (one of the three)" in capsys.readouterr().err


_FAKE_PEER = {
    "config.py": '''import argparse


def config():
    parser = argparse.ArgumentParser()
    for name, kind in (("--epoch", int), ("--lr", float), ("--init", float), ("--hid_width", int), ("--data", str),
                       ("--dataset_size", int), ("--rho", float), ("--ratio", float), ("--noise", float),
                       ("--mode", str), ("--depth", int), ("--fuse_depth", int), ("--sweep", str)):
        parser.add_argument(name, type=kind, default=2)
    parser.add_argument("--plot_weight", action="store_true")
    print(parser.parse_args())
    return parser
''',
    "data.py": "def gen_data(args):\n    return {}\n",
    "util.py": '''import numpy as np


def time_half(args, arr, weak=False):
    half = np.max(arr) / 2 if weak else (1 + args.rho / args.ratio) / 2
    return np.argmin((arr - half) ** 2)
''',
    "main.py": '''"""A stand-in for the authors' main.py: W_A^tot crosses half its value at epoch 100, W_B^tot at
epoch 100 * ratios[fuse_depth] (ratios.json, written by the test)."""
import json
from pathlib import Path

import pytest

import numpy as np

RATIOS = json.loads((Path(__file__).parent / "ratios.json").read_text())


def train(data, args):
    t_b = round(100 * RATIOS[str(args.fuse_depth)])
    steps = np.arange(t_b + 200)
    w_a = (1 + args.rho / args.ratio) / (1 + np.exp(-(steps - 100) / 5.0))
    w_b = 1 / (1 + np.exp(-(steps - t_b) / 5.0))
    print("Converged at epoch", len(steps))
    return {"Ls": np.full(len(steps), 1e-5), "W": np.stack([w_b, w_a], 1)}
''',
}


def _fake_peer(folder: Path, ratios: dict[str, float]) -> Path:
    folder.mkdir()
    for file, text in _FAKE_PEER.items():
        (folder / file).write_text(text)
    (folder / "ratios.json").write_text(json.dumps(ratios))
    return folder


def test_peer_benchmark_against_a_fake_authors_module(tmp_path):
    """benchmarks/peer_zhang2024.py imports the authors' modules from a folder and prints, per R, both
    sides' seconds and speed-up and both answers; a peer whose t_B/t_A is off by 3x is a MISMATCH (exit 1)."""
    sys.path.insert(0, str(ROOT))
    from argparse import Namespace

    from benchmarks.peer_zhang2024 import our_params, run_ours

    config = ["--depth", "2", "--width", "4", "--n", "256", "--init", "0.1", "--lr", "0.04", "--epochs", "3000"]
    params = our_params(Namespace(depth=2, width=4, n=256, init=0.1, lr=0.04, ratio=2.0, rho=0.0, epochs=3000))
    ours = run_ours(params, [0, 1])["ratio"].mean(0)
    for name, scale in (("agreeing", 1.0), ("off", 3.0)):
        folder = _fake_peer(tmp_path / name, {str(j + 1): scale * r for j, r in enumerate(ours)})
        out = tmp_path / f"{name}.json"
        proc = subprocess.run([sys.executable, "benchmarks/peer_zhang2024.py", "--peer", str(folder), "--replicas",
                               "1", "2", "--peer-max", "2", *config, "--json", str(out)],
                              cwd=ROOT, capture_output=True, text=True, timeout=300)
        report = json.loads(out.read_text())
        rows = report["figures"]
        assert [r["replicas"] for r in rows] == [1, 2]
        assert all(r["authors_s"] > 0 and r["ours_s"] > 0 and r["speedup"] > 0 for r in rows)
        verdicts = [(r["replicas"], a["L_f"], a["verdict"]) for r in rows for a in r["answers"]]
        assert [v for v in verdicts if v[0] == 1] == [(1, 1, "n/a (one seed)"), (1, 2, "n/a (one seed)")]
        assert "speed-up" in proc.stdout and "t_B / t_A" in proc.stdout
        if scale == 1.0:
            assert proc.returncode == 0, proc.stderr
            assert [v[2] for v in verdicts if v[0] == 2] == ["agree", "agree"] and not report["mismatch"]
        else:
            assert proc.returncode == 1 and "MISMATCH" in proc.stdout and "MISMATCH" in proc.stderr
            assert [v[2] for v in verdicts if v[0] == 2] == ["MISMATCH", "MISMATCH"] and report["mismatch"]


def test_quick_peer_row_reports_speedups_and_a_mismatch(tmp_path):
    """`bench.py --quick --peer DIR` (targets.peer) runs R = 1 and 16 and is not met when the answers differ."""
    sys.path.insert(0, str(ROOT))
    from benchmarks import targets

    folder = _fake_peer(tmp_path / "peer", {"1": 100.0, "2": 100.0, "3": 100.0})
    now, met = targets.peer(["--peer", str(folder)])
    assert now.startswith("R = 1: ") and ", R = 16: ~" in now and "answers MISMATCH" in now and met is False
    now, met = targets.peer(["--peer", str(tmp_path / "missing")])
    assert now.startswith("error: ") and met is False


def test_adaptive_benchmark_reuses_only_trainings_whose_first_reader_is_fixed_n(tmp_path):
    """`adaptive.py --reuse-fixed` takes three trainings from the fixed run: Lemma A.1's (its Bounds have no
    support: no reader can stop early), the shared huang2022 training (its first reader, Claim A.11, runs it
    in full, though Lemma A.14 after it could stop early) and Lemma A.15's recursion (which A.14 uses); it runs
    Lemma A.3's (every claim sequential) again. The rows and claims equal those of a run without it, and the
    adaptive total counts the reused seconds."""
    sys.path.insert(0, str(ROOT))
    from benchmarks.adaptive import main

    targets = ["huang2022/lemma-a.1", "huang2022/lemma-a.3", "huang2022/claim-a.11", "huang2022/lemma-a.14",
               "--device", "cpu", "--replicas", "4"]
    plain, reused = tmp_path / "plain.json", tmp_path / "reused.json"
    assert main([*targets, "--json", str(plain)]) == 0
    assert main([*targets, "--reuse-fixed", "--json", str(reused)]) == 0
    plain, reused = json.loads(plain.read_text()), json.loads(reused.read_text())
    drop = ("fixed_seconds", "adaptive_seconds")
    assert [{k: v for k, v in r.items() if k not in drop} for r in reused["rows"]] == [
        {k: v for k, v in r.items() if k not in drop} for r in plain["rows"]]
    assert reused["claims"] == plain["claims"] and len(reused["claims"]) == 10
    assert plain["complete"] is True and reused["complete"] is True
    rows = {r["result"]: r for r in reused["rows"]}
    assert rows["huang2022/lemma-a.1"]["adaptive_seconds"] == rows["huang2022/lemma-a.1"]["fixed_seconds"] > 0
    assert rows["huang2022/claim-a.11"]["adaptive_seconds"] == rows["huang2022/claim-a.11"]["fixed_seconds"] > 0
    assert rows["huang2022/lemma-a.14"]["adaptive_replicas"] == 4      # judged on the shared training's replicas
    # the third: Lemma A.15's tensor-power recursion, which Lemma A.14 uses (no sequential claim)
    assert len(reused["reused_trainings"]) == 3 and "reused_trainings" in plain and not plain["reused_trainings"]
    reused_seconds = sum(rows[r]["fixed_seconds"] for r in ("huang2022/lemma-a.1", "huang2022/claim-a.11", "huang2022/lemma-a.15"))
    assert reused["seconds"]["adaptive"] >= reused["seconds"]["reused_in_adaptive"] == pytest.approx(reused_seconds)


def test_adaptive_benchmark_keeps_what_finished_while_it_runs(tmp_path):
    """A campaign stopped halfway (the memory watchdog killed two in the seventh pass) keeps the results it
    finished: the --json file is rewritten after each one, marked incomplete."""
    sys.path.insert(0, str(ROOT))
    from benchmarks.adaptive import partial_writer

    path = tmp_path / "partial.json"
    keep = partial_writer(path)
    claim = {"label": "rate <= 0.8", "verdict": "PASS", "observed": 0.5, "observed_ci": [0.4, 0.6], "claimed": 0.8,
             "p_fail": 1.0, "detail": "not kept"}
    item = {"id": "p/lemma-1", "verdict": "PASS", "replicas": 8, "check_seconds": 1.5, "claims": [claim]}
    keep("fixed", item)
    keep("fixed", {**item, "id": "p/lemma-2", "verdict": "FAIL",
                   "claims": [{**claim, "label": "x", "verdict": "FAIL", "observed": 0.9, "p_fail": 0.001}]})
    keep("adaptive", {**item, "replicas": 4})
    written = json.loads(path.read_text())
    assert written["complete"] is False
    assert [r["result"] for r in written["finished"]["fixed"]] == ["p/lemma-1", "p/lemma-2"]
    assert written["finished"]["fixed"][1]["claims"] == {"x": {"verdict": "FAIL", "observed": 0.9, "observed_ci": [0.4, 0.6],
                                                               "claimed": 0.8, "p_fail": 0.001}}
    assert written["finished"]["adaptive"] == [{"result": "p/lemma-1", "verdict": "PASS", "replicas": 4, "check_seconds": 1.5,
                                                "claims": {"rate <= 0.8": {"verdict": "PASS", "observed": 0.5, "observed_ci": [0.4, 0.6],
                                                                           "claimed": 0.8, "p_fail": 1.0}}}]
    partial_writer(None)("fixed", item)   # without --json nothing is written


def test_adaptive_benchmark_runs_the_fixed_trainings_in_processes_with_the_same_rows(tmp_path):
    """`adaptive.py --jobs N` trains the fixed run's distinct trainings in spawned processes first (one per core,
    so one thread each): the rows and claims equal those of the one-process run with one thread, and the fixed run's seconds
    count each training's own seconds (not the wall time they overlapped in), so they are at least their sum."""
    sys.path.insert(0, str(ROOT))
    import torch

    from benchmarks.adaptive import main

    targets = ["--paper", "huang2021", "--device", "cpu", "--replicas", "2", "--reuse-fixed"]
    plain, parallel = tmp_path / "plain.json", tmp_path / "parallel.json"
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # the workers' with one job per core (a thread count changes the order of sums)
    try:
        assert main([*targets, "--json", str(plain)]) == 0
    finally:
        torch.set_num_threads(threads)
    assert main([*targets, "--jobs", str(os.cpu_count() or 1), "--json", str(parallel)]) == 0
    plain, parallel = json.loads(plain.read_text()), json.loads(parallel.read_text())
    drop = ("fixed_seconds", "adaptive_seconds")
    assert [{k: v for k, v in r.items() if k not in drop} for r in parallel["rows"]] == [
        {k: v for k, v in r.items() if k not in drop} for r in plain["rows"]]
    assert parallel["claims"] == plain["claims"] and len(parallel["rows"]) == 7
    trainings = parallel["seconds"]["reused_in_adaptive"]  # both huang2021 trainings, their own seconds
    assert len(parallel["reused_trainings"]) == 2 and parallel["seconds"]["fixed"] >= trainings > 0
