"""`bench.py --quick`: the speed targets of issue 21 measured in one short run (about 3 minutes on the
2-core CPU), each printed as now | target | met?.

Rows: start-up of `verify list`; `verify theorem corollary-5.3` on a cold store (stopped after
``COROLLARY_BUDGET_S``); every family batched against its per-seed loop at ``QUICK_REPLICAS`` replicas
(the loop timed on ``QUICK_LOOP`` seeds and scaled); the rows a quick run cannot measure say so, and
`verify all --profile quick` shows its last recorded figure, labelled as recorded. The comparison with the
zhang2024 authors' per-seed code runs only when their code is given (``--peer`` or ``--peer-git``), at
``PEER_REPLICAS`` (R = 64 does not fit a quick run), their code timed on ``PEER_MAX`` seeds.
"""
from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUICK_REPLICAS = 8
QUICK_LOOP = 4
COROLLARY_BUDGET_S = 90
PEER_REPLICAS = (1, 16)
PEER_MAX = 2
# `verify all --profile quick` from a cold store does not fit a quick run: its last recorded figure.
ALL_QUICK_RECORDED = ("89-101 s with `--executor processes --jobs 2` (123 s in one process)",
                      "2026-12-05, 125 results, 2-core CPU idle, five runs")


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _verify(args: list[str], store: Path, timeout: float) -> tuple[float, float, int | None, str]:
    """Wall seconds, CPU seconds, exit code (None when stopped at ``timeout``) and stdout of one `verify`
    command. On a busy machine the CPU seconds are the better guide to the wall time an idle one gives."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start, cpu = time.perf_counter(), _cpu_seconds()
    try:
        proc = subprocess.run([sys.executable, "-m", "verifier", *args, "--store", str(store)], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return time.perf_counter() - start, _cpu_seconds() - cpu, None, ""
    return time.perf_counter() - start, _cpu_seconds() - cpu, proc.returncode, proc.stdout


def startup(store: Path) -> tuple[str, bool]:
    """Median of three `verify list` runs, after one that (re)builds the spec index if it is stale."""
    _verify(["list"], store, 300)
    runs = [_verify(["list"], store, 300) for _ in range(3)]
    wall, cpu = statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)
    return f"{wall:.2f} s wall, {cpu:.2f} s CPU", wall <= 1.0


def corollary(store: Path) -> tuple[str, bool]:
    """`verify theorem corollary-5.3` into ``store``: run it on a new store, then again on the same one
    (every training answered from it) for :func:`corollary_warm`."""
    wall, cpu, code, out = _verify(["theorem", "corollary-5.3", "--device", "cpu", "--quiet"], store,
                                   COROLLARY_BUDGET_S)
    if code is None:
        return f"> {COROLLARY_BUDGET_S} s wall (stopped; {cpu:.0f} s CPU by then)", False
    verdict = next((line.split()[0] for line in out.splitlines() if line.endswith("huang2022/corollary-5.3")), "?")
    return f"{wall:.1f} s wall, {cpu:.1f} s CPU ({verdict}, exit {code})", wall <= 10.0


def corollary_warm(store: Path) -> str:
    """The same command again on the store :func:`corollary` filled (median of three)."""
    runs = [_verify(["theorem", "corollary-5.3", "--device", "cpu", "--quiet"], store, 300) for _ in range(3)]
    if any(code is None for _, _, code, _ in runs):
        return "stopped after 300 s"
    return (f"{statistics.median(r[0] for r in runs):.1f} s wall, {statistics.median(r[1] for r in runs):.1f} s CPU"
            f" (exit {runs[0][2]})")


def families(device: str, precision: str, threads: int | None,
             subprocess_call: Callable[[str], dict]) -> list[tuple[str, str, bool]]:
    """One row per family: batched against its per-seed loop at QUICK_REPLICAS replicas."""
    from benchmarks.bench import FAMILIES

    rows = []
    for family, (result_id, overrides) in FAMILIES.items():
        timed = subprocess_call(f"_child_pair({result_id!r}, {overrides!r}, {QUICK_REPLICAS}, {QUICK_LOOP}, "
                                f"{device!r}, {precision!r}, {threads!r})")
        if "error" in timed:
            rows.append((family, f"error: {timed['error'][:50]}", False))
            continue
        speedup = timed["loop_s"] * QUICK_REPLICAS / QUICK_LOOP / timed["batched_s"]
        rows.append((family, f"{speedup:.1f}x ({timed['batched_s']:.2f} s batched)", speedup >= 5))
    return rows


def peer(source: list[str]) -> tuple[str, bool | None]:
    """`benchmarks/peer_zhang2024.py` at PEER_REPLICAS (``source``: ``["--peer", DIR]`` or ``["--peer-git",
    PATH]``): the speed-up per R and whether the answers agree. Not met when R = 1 misses its target or the
    answers differ; otherwise undecided ("-"), since R = 64, the other target, is not run here."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "peer.json"
        proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "peer_zhang2024.py"), *source,
                               "--replicas", *map(str, PEER_REPLICAS), "--peer-max", str(PEER_MAX),
                               "--json", str(out)], cwd=ROOT, capture_output=True, text=True, check=False)
        if not out.exists():
            return f"error: {(proc.stderr.strip().splitlines() or ['failed'])[-1][:60]}", False
        report = json.loads(out.read_text())
    parts = [f"R = {f['replicas']}: {'~' if f['authors_seeds_timed'] < f['replicas'] else ''}{f['speedup']:.0f}x"
             for f in report["figures"]]
    answers = "answers MISMATCH" if report["mismatch"] else "answers agree"
    now = f"{', '.join(parts)} (their code on {PEER_MAX} seeds, '~' scaled; {answers}; R = 64 not run in --quick)"
    at_one = next(f["speedup"] for f in report["figures"] if f["replicas"] == 1)
    return now, (False if at_one < 100 or report["mismatch"] else None)


def run(device: str, precision: str, threads: int | None, subprocess_call: Callable[[str], dict],
        peer_source: list[str] | None = None) -> None:
    """Measure and print every target row: what | now | target | met?"""
    started = time.perf_counter()
    rows: list[tuple[str, str, str, str]] = []

    def add(what: str, now: str, target: str, met: bool | None) -> None:
        rows.append((what, now, target, "-" if met is None else ("yes" if met else "no")))
        print(f"measured {what}: {now}", file=sys.stderr, flush=True)

    with tempfile.TemporaryDirectory() as folder:
        now, met = startup(Path(folder) / "list.sqlite")
        add("`verify list`, start-up", now, "<= 1 s", met)
        now, met = corollary(Path(folder) / "cold.sqlite")
        add("`verify theorem corollary-5.3`, cold store", now, "<= 10 s", met)
        if not now.startswith(">"):
            add("the same, every training from the store", corollary_warm(Path(folder) / "cold.sqlite"), "-", None)
    add("`verify all --profile quick`, cold store", f"{ALL_QUICK_RECORDED[0]} (recorded: {ALL_QUICK_RECORDED[1]}; "
        "not run in --quick)", "<= 90 s", False)
    for family, now, met in families(device, precision, threads, subprocess_call):
        add(f"{family}, batched vs per-seed loop, R = {QUICK_REPLICAS}, {device}", now, ">= 5x (at R = 256)", met)
    if peer_source:
        now, met = peer(peer_source)
    else:
        now, met = "not run (give --peer DIR or --peer-git PATH: benchmarks/peer_zhang2024.py)", None
    add("zhang2024 vs the authors' per-seed code, CPU", now, ">= 100x at R = 1, >= 300x at R = 64", met)
    import torch

    gpu = "not measured (no GPU)" if not torch.cuda.is_available() else "not run in --quick: benchmarks/gpu_session.sh bench"
    add("GPU, batched vs per-seed loop at R = 1024", gpu, ">= 100x", None)
    print()
    header = ("what", "now", "target", "met?")
    widths = [max(len(r[i]) for r in (header, *rows)) for i in range(4)]
    for row in (header, *rows):
        print(" | ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
    print(f"\n(--quick took {time.perf_counter() - started:.0f} s)")
