"""The benchmark script runs end to end on the CPU (tiny: one cheap family, two replicas)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

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


def test_profile_cost_projects_a_paper(tmp_path):
    out = tmp_path / "cost.json"
    proc = subprocess.run([sys.executable, "benchmarks/profile_cost.py", "--profile", "quick", "--device", "cpu",
                           "--paper", "huang2021", "--probe", "1", "--json", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(out.read_text())
    rows = report["trainings"]
    assert {row["check"] for row in rows} == {"checks.linear_composite:overlap_table",
                                             "checks.linear_composite:modality_sweep"}
    assert all(row["timed_replicas"] == 2 and row["projected_seconds"] > 0 for row in rows)
    assert report["total_seconds"] == sum(row["projected_seconds"] for row in rows)
    assert "total projected" in proc.stdout


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
                "claims": [{"label": label, "kind": "Bound", "verdict": v,
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
    text = table(rows, (10.0, 4.0), claims)
    assert "16/64" in text and "6.0 s, 60% saved" in text and "adaptive undecided 1" in text and "CONTRADICTS 0" in text
