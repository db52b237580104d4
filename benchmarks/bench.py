"""Benchmark: batched checks against a per-seed Python loop of the same training, on one device.

For each check family, the check is called once with R replicas batched in one tensor (or in batches
of at most --max-batch replicas, the engine's ``--max-batch``), and R times with one replica each (the
per-seed loop; above --loop-max replicas the loop is timed on --loop-max seeds and scaled linearly,
which the output marks with '~'). Each measurement runs in a fresh subprocess so that its peak memory
(resident set on the CPU, torch's peak allocation on a GPU) is its own.

Against the hardware: the matmul FLOPs of one replica are counted once (``FlopCounterMode``), and the
batched run's achieved rate is printed beside the device's measured matmul ceiling in the precision
the family computes in (``--precision``, the engine's policy; checks with a fixed precision keep it).

    python benchmarks/bench.py [--device auto|cpu|cuda] [--replicas 1 16 256 4096] [--family NAME]
                               [--precision auto|float64|float32|tf32] [--max-batch N] [--threads N]
    python benchmarks/bench.py --quick   # issue 21's targets, now | target | met? (benchmarks/targets.py)
    python benchmarks/bench.py --quick --peer-git PATH   # ... with the zhang2024 authors' code (peer_zhang2024.py)

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

from benchmarks._options import add_device_and_precision, resolved_device  # noqa: E402

# family -> (result id whose quick profile gives the parameters, overrides for benchmarking)
FAMILIES: dict[str, tuple[str, dict[str, float]]] = {
    "late-fusion smoothed-ReLU (huang2022)": ("huang2022/corollary-5.3", {"steps": 300, "n_test": 500}),
    "Gaussian maxima (huang2022 Lemma A.3)": ("huang2022/lemma-a.3", {"classes": 2000}),
    "deep linear fusion (zhang2024)": ("zhang2024/theorem-r4", {}),
    "two-stage ERM (lu2023)": ("lu2023/theorem-4", {}),
    "linear composite models (huang2021)": ("huang2021/theorem-1", {}),
    "contrastive encoders (huang2024)": ("huang2024/theorem-4.3", {}),
}


def _setup(result_id: str, overrides: dict[str, float], replicas: int):
    from verifier.running import registry as reg
    from verifier.running import seeds as seeding
    from verifier.running.check_code import check_name, load_check

    result = reg.load(autoload=False).results[result_id]
    params = {**result.profiles["quick"], **overrides}
    check = load_check(result.check)
    return check, params, seeding.replica_seeds(check_name(result.check), params, 0, replicas)


def _child(result_id: str, overrides: dict[str, float], replicas: int, loop: int, device: str, precision: str,
           max_batch: int | None, threads: int | None) -> dict:
    """Run in a subprocess: time one batched call (loop == 0) or `loop` single-replica calls."""
    import torch

    from verifier.running import batching, compute

    check, params, seeds = _setup(result_id, overrides, replicas)
    with compute.policy(precision, threads):
        check(params, 1, seeds[:1], device)  # warm-up (imports, kernels, allocator)
        if device == "cuda":
            torch.cuda.synchronize()
            torch.cuda.reset_peak_memory_stats()
        start = time.perf_counter()
        if loop:
            for seed in seeds[:loop]:
                check(params, 1, [seed], device)
        else:
            batching.run_check(check, params, seeds, device, [], max_batch=max_batch)
        if device == "cuda":
            torch.cuda.synchronize()
        seconds = time.perf_counter() - start
    peak = torch.cuda.max_memory_allocated() if device == "cuda" else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return {"seconds": seconds, "peak_bytes": peak}


def _child_pair(result_id: str, overrides: dict[str, float], replicas: int, loop: int, device: str,
                precision: str, threads: int | None) -> dict:
    """Run in a subprocess (``--quick``): one batched call of ``replicas`` and ``loop`` single-replica
    calls, after one shared warm-up."""
    from verifier.running import batching, compute

    check, params, seeds = _setup(result_id, overrides, replicas)
    with compute.policy(precision, threads):
        check(params, 1, seeds[:1], device)
        start = time.perf_counter()
        batching.run_check(check, params, seeds, device, [])
        batched = time.perf_counter() - start
        start = time.perf_counter()
        for seed in seeds[:loop]:
            check(params, 1, [seed], device)
    return {"batched_s": batched, "loop_s": time.perf_counter() - start}


def _child_flops(result_id: str, overrides: dict[str, float], device: str, precision: str) -> dict:
    """Matmul FLOPs of one replica, and the dtype of its matmuls (the most FLOPs) under ``precision``."""
    import torch
    from torch.utils._python_dispatch import TorchDispatchMode
    from torch.utils.flop_counter import FlopCounterMode

    from verifier.running import compute

    matmuls = {torch.ops.aten.mm.default, torch.ops.aten.bmm.default, torch.ops.aten.baddbmm.default,
               torch.ops.aten.addmm.default}
    seen: dict[str, int] = {}

    class MatmulDtypes(TorchDispatchMode):
        def __torch_dispatch__(self, func, types, args=(), kwargs=None):
            if func in matmuls:
                name = str(args[-1].dtype).removeprefix("torch.")
                seen[name] = seen.get(name, 0) + args[-1].numel()
            return func(*args, **(kwargs or {}))

    check, params, seeds = _setup(result_id, overrides, 1)
    with compute.policy(precision), FlopCounterMode(display=False) as counter, MatmulDtypes():
        check(params, 1, seeds, device)
    return {"flops": counter.get_total_flops(), "dtype": max(seen, key=seen.get) if seen else "float64"}


def _subprocess(call: str) -> dict:
    code = f"import json, sys; sys.path.insert(0, {str(ROOT)!r}); from benchmarks import bench; print(json.dumps(bench.{call}))"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    if proc.returncode != 0:
        return {"error": (proc.stderr.strip().splitlines() or ["failed"])[-1]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _child_ceilings(device: str, threads: int | None) -> dict[str, float]:
    """Measured matmul FLOP/s per precision (and, on the CPU, copy bandwidth in bytes/s)."""
    import torch

    if threads:
        torch.set_num_threads(threads)
    size = 8192 if device == "cuda" else 2048
    out: dict[str, float] = {}
    for name, dtype in (("float64", torch.float64), ("float32", torch.float32)):
        a = torch.randn(size, size, device=device, dtype=dtype)
        a @ a
        if device == "cuda":
            torch.cuda.synchronize()
        start, reps = time.perf_counter(), 5
        for _ in range(reps):
            a @ a
        if device == "cuda":
            torch.cuda.synchronize()
        out[name] = reps * 2 * size ** 3 / (time.perf_counter() - start)
    if device == "cuda":
        torch.backends.cuda.matmul.allow_tf32 = True
        a = torch.randn(size, size, device=device)
        a @ a
        torch.cuda.synchronize()
        start = time.perf_counter()
        for _ in range(5):
            a @ a
        torch.cuda.synchronize()
        out["tf32"] = 5 * 2 * size ** 3 / (time.perf_counter() - start)
        torch.backends.cuda.matmul.allow_tf32 = False
    src = torch.empty(2 ** 25, device=device, dtype=torch.float64).normal_()  # 256 MiB
    dst = torch.empty_like(src)
    dst.copy_(src)
    if device == "cuda":
        torch.cuda.synchronize()
    start = time.perf_counter()
    for _ in range(5):
        dst.copy_(src)
    if device == "cuda":
        torch.cuda.synchronize()
    out["copy_bytes"] = 5 * 2 * src.numel() * 8 / (time.perf_counter() - start)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_device_and_precision(parser)
    parser.add_argument("--replicas", type=int, nargs="+", default=[1, 16, 256, 4096])
    parser.add_argument("--loop-max", type=int, default=16, help="seeds timed in the per-seed loop")
    parser.add_argument("--family", action="append", default=None, help="substring of family names to run")
    parser.add_argument("--max-batch", type=int, default=None, help="at most this many replicas per batched call")
    parser.add_argument("--threads", type=int, default=None, help="intra-op CPU threads (default: torch's)")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures as JSON")
    parser.add_argument("--quick", action="store_true",
                        help="only the targets of issue 21, now against target (about 3 minutes on 2 CPU cores)")
    peer = parser.add_mutually_exclusive_group()
    peer.add_argument("--peer", type=Path, default=None,
                      help="--quick: also compare with the zhang2024 authors' code in this folder")
    peer.add_argument("--peer-git", type=Path, default=None,
                      help="--quick: the same, their code extracted from this git repository's HEAD")
    args = parser.parse_args()
    if args.quick:
        from benchmarks import targets

        source = (["--peer", str(args.peer)] if args.peer else ["--peer-git", str(args.peer_git)] if args.peer_git
                  else None)
        targets.run(resolved_device(parser, args.device), args.precision, args.threads, _subprocess, source)
        return
    if args.peer or args.peer_git:
        parser.error("--peer and --peer-git go with --quick (or run benchmarks/peer_zhang2024.py)")

    from verifier.running import registry as reg
    device = resolved_device(parser, args.device)
    known = reg.load(autoload=False).results
    ceiling = _subprocess(f"_child_ceilings({device!r}, {args.threads!r})")  # its threads must not linger here
    print(f"device: {device} ({platform.processor() or platform.machine()}), python {platform.python_version()}, "
          f"precision {args.precision}, max batch {args.max_batch or 'all'}, threads {args.threads or 'default'}")
    print("matmul ceiling: " + ", ".join(f"{k} {v / 1e9:.0f} GFLOP/s" for k, v in ceiling.items() if k != "copy_bytes")
          + f"; copy bandwidth {ceiling['copy_bytes'] / 1e9:.1f} GB/s")
    print(f"{'family':<42} {'R':>6} {'batched s':>10} {'loop s':>10} {'replicas/s':>11} {'speed-up':>9} "
          f"{'peak MiB':>9} {'GFLOP/s':>8} {'of ceiling':>10}")
    figures = []
    for family, (result_id, overrides) in FAMILIES.items():
        if args.family and not any(f in family for f in args.family):
            continue
        if result_id not in known:
            print(f"{family:<42} (no spec {result_id}: skipped)")
            continue
        counted = _subprocess(f"_child_flops({result_id!r}, {overrides!r}, {device!r}, {args.precision!r})")
        dtype = counted.get("dtype", "float64")
        peak_rate = ceiling.get("tf32" if args.precision == "tf32" and dtype == "float32" and device == "cuda" else dtype)
        for replicas in args.replicas:
            common = f"{device!r}, {args.precision!r}, {args.max_batch!r}, {args.threads!r}"
            batched = _subprocess(f"_child({result_id!r}, {overrides!r}, {replicas}, 0, {common})")
            if "error" in batched:
                print(f"{family:<42} {replicas:>6} {batched['error'][:60]}")
                break
            looped_n = min(replicas, args.loop_max)
            looped = _subprocess(f"_child({result_id!r}, {overrides!r}, {replicas}, {looped_n}, {common})")
            loop_seconds = looped["seconds"] * replicas / looped_n
            mark = "~" if looped_n < replicas else " "
            speedup = loop_seconds / batched["seconds"]
            rate = counted.get("flops", 0) * replicas / batched["seconds"]
            print(f"{family:<42} {replicas:>6} {batched['seconds']:>10.3f} {mark}{loop_seconds:>9.3f} "
                  f"{replicas / batched['seconds']:>11.1f} {speedup:>8.1f}x {batched['peak_bytes'] / 2**20:>9.0f} "
                  f"{rate / 1e9:>8.1f} {rate / peak_rate:>9.1%} ({dtype})")
            figures.append({"family": family, "replicas": replicas, "batched_s": batched["seconds"],
                            "loop_s": loop_seconds, "loop_extrapolated": looped_n < replicas,
                            "speedup": speedup, "peak_bytes": batched["peak_bytes"], "device": device,
                            "precision": args.precision, "dtype": dtype, "max_batch": args.max_batch,
                            "matmul_flops_per_replica": counted.get("flops"), "achieved_flops": rate})
    if args.json:
        args.json.write_text(json.dumps({"device": device, "ceilings": ceiling, "figures": figures}, indent=2))


if __name__ == "__main__":
    main()
