"""Benchmark: batched checks against a per-seed Python loop of the same training, on one device.

For each check family, the check is called once with R replicas batched in one tensor, and R times
with one replica each (the per-seed loop; above --loop-max replicas the loop is timed on --loop-max
seeds and scaled linearly, which the output marks with '~'). Each measurement runs in a fresh
subprocess so that its peak memory (resident set on the CPU, torch's peak allocation on a GPU) is
its own. On a GPU the achieved matmul FLOP rate of the device is measured as its ceiling.

    python benchmarks/bench.py [--device auto|cpu|cuda] [--replicas 1 16 256 4096] [--family NAME]

Parameters come from each family's spec (quick profile) with the overrides listed in FAMILIES, so
the benchmark follows the specs.
"""
from __future__ import annotations

import argparse
import json
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# family -> (result id whose quick profile gives the parameters, overrides for benchmarking)
FAMILIES: dict[str, tuple[str, dict[str, float]]] = {
    "late-fusion smoothed-ReLU (huang2022)": ("huang2022/corollary-5.3", {"steps": 300, "n_test": 500}),
    "Gaussian maxima (huang2022 Lemma A.3)": ("huang2022/lemma-a.3", {"classes": 2000}),
    "deep linear fusion (zhang2024)": ("zhang2024/theorem-r4", {}),
    "two-stage ERM (lu2023)": ("lu2023/theorem-4", {}),
    "linear composite models (huang2021)": ("huang2021/theorem-1", {}),
    "contrastive encoders (huang2024)": ("huang2024/theorem-4.3", {}),
}


def _child(result_id: str, overrides: dict[str, float], replicas: int, loop: int, device: str) -> dict:
    """Run in a subprocess: time one batched call (loop == 0) or `loop` single-replica calls."""
    import torch

    from verifier import registry as reg
    from verifier import seeds as seeding
    from verifier.runner import check_name, load_check

    registry = reg.load(autoload=False)
    result = registry.results[result_id]
    params = {**result.profiles["quick"], **overrides}
    check = load_check(result.check)
    seeds = seeding.replica_seeds(check_name(result.check), params, 0, replicas)
    check(params, 1, seeds[:1], device)  # warm-up (imports, kernels, allocator)
    if device == "cuda":
        torch.cuda.synchronize()
        torch.cuda.reset_peak_memory_stats()
    start = time.perf_counter()
    if loop:
        for seed in seeds[:loop]:
            check(params, 1, [seed], device)
    else:
        check(params, replicas, seeds, device)
    if device == "cuda":
        torch.cuda.synchronize()
    seconds = time.perf_counter() - start
    peak = torch.cuda.max_memory_allocated() if device == "cuda" else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return {"seconds": seconds, "peak_bytes": peak}


def _measure(result_id: str, overrides: dict[str, float], replicas: int, loop: int, device: str) -> dict:
    code = (f"import json, sys; sys.path.insert(0, {str(ROOT)!r}); from benchmarks.bench import _child; "
            f"print(json.dumps(_child({result_id!r}, {overrides!r}, {replicas}, {loop}, {device!r})))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["failed"])[-1]
        return {"error": last}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def matmul_ceiling(device: str) -> float | None:
    """Achieved float32 matmul FLOP/s on a GPU (the ceiling the checks are compared with)."""
    if device != "cuda":
        return None
    import torch

    a = torch.randn(8192, 8192, device="cuda")
    torch.cuda.synchronize()
    start = time.perf_counter()
    for _ in range(10):
        a @ a
    torch.cuda.synchronize()
    return 10 * 2 * 8192**3 / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="auto", choices=("auto", "cpu", "cuda"))
    parser.add_argument("--replicas", type=int, nargs="+", default=[1, 16, 256, 4096])
    parser.add_argument("--loop-max", type=int, default=16, help="seeds timed in the per-seed loop")
    parser.add_argument("--family", action="append", default=None, help="substring of family names to run")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures as JSON")
    args = parser.parse_args()

    from verifier import registry as reg
    from verifier.environment import resolve_device

    device = resolve_device(args.device)
    known = reg.load(autoload=False).results
    ceiling = matmul_ceiling(device)
    print(f"device: {device} ({platform.processor() or platform.machine()}), python {platform.python_version()}")
    if ceiling:
        print(f"matmul ceiling (float32): {ceiling / 1e12:.1f} TFLOP/s")
    print(f"{'family':<42} {'R':>6} {'batched s':>10} {'loop s':>10} {'replicas/s':>11} {'speed-up':>9} {'peak MiB':>9}")
    figures = []
    for family, (result_id, overrides) in FAMILIES.items():
        if args.family and not any(f in family for f in args.family):
            continue
        if result_id not in known:
            print(f"{family:<42} (no spec {result_id}: skipped)")
            continue
        for replicas in args.replicas:
            batched = _measure(result_id, overrides, replicas, 0, device)
            if "error" in batched:
                print(f"{family:<42} {replicas:>6} {batched['error'][:60]}")
                break
            looped_n = min(replicas, args.loop_max)
            looped = _measure(result_id, overrides, replicas, looped_n, device)
            loop_seconds = looped["seconds"] * replicas / looped_n
            mark = "~" if looped_n < replicas else " "
            speedup = loop_seconds / batched["seconds"]
            print(f"{family:<42} {replicas:>6} {batched['seconds']:>10.3f} {mark}{loop_seconds:>9.3f} "
                  f"{replicas / batched['seconds']:>11.1f} {speedup:>8.1f}x {batched['peak_bytes'] / 2**20:>9.0f}")
            figures.append({"family": family, "replicas": replicas, "batched_s": batched["seconds"],
                            "loop_s": loop_seconds, "loop_extrapolated": looped_n < replicas,
                            "speedup": speedup, "peak_bytes": batched["peak_bytes"], "device": device})
    if args.json:
        args.json.write_text(json.dumps({"device": device, "matmul_flops": ceiling, "figures": figures}, indent=2))


if __name__ == "__main__":
    main()
