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
