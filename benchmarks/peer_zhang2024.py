"""Benchmark: zhang2024's phase durations, the authors' per-seed code against our batched check, on the CPU.

The authors' code (github.com/yedizhang/unimodal-bias; ``--peer DIR`` a checkout, or ``--peer-git PATH`` a
git repository whose ``HEAD`` is extracted into a temporary folder) is imported from its own folder, unedited,
with matplotlib on the Agg backend; nothing of theirs is plotted. For each seed, as their ``sweep()`` does,
it draws the toy data set once (``gen_data``: ``x_B ~ N(0, 1)``, ``x_A ~ N(0, ratio^2)``, correlation
``rho``, ``y = x_A + x_B``, float32) and trains their ``deep_fusion`` network (``--depth L``, ``--fuse_depth
L_f`` for ``L_f = 1 .. L``, their Gaussian init of scale ``--init``, full-batch SGD ``--lr``) with their
``train`` loop until their stopping rule (loss below 1e-4, at most ``--epochs`` epochs), then reads
``t_A`` and ``t_B`` with their ``time_half``. Our side is ``checks.deep_linear_fusion.phase_durations``
on the same configuration (``init = 1``, the authors' initialisation; one configuration: no init-scale
or ratio sweep), all replicas in one call, float64, one CPU thread.

Both sides report ``t_B / t_A`` per fusion layer. The definitions differ, and the output says so:

* theirs: ``t_A`` the epoch at which ``W_A^tot`` is closest to ``(1 + rho/ratio)/2`` (half its population
  unimodal value), ``t_B`` the epoch at which ``W_B^tot`` is closest to half of its largest value over the
  training (which ends at loss < 1e-4, so about half its final value); whole epochs;
* ours: first crossings of half the replica's *sample* ``W_A^uni`` and half its sample least-squares
  ``W_B^*``, interpolated between steps.

The work differs too: their ``t_B`` needs the training run to convergence, ours stops (in windows of 100
steps) once every replica has crossed both levels, so they run more GD steps. The output gives the steps of
each and a second speed-up at equal steps (their seconds per step times our steps).

Their code takes seconds per seed (an (n, width) hidden layer per step, n = 8192), so it is timed on at most
``--peer-max`` seeds, and a larger R is scaled linearly from their mean seconds per seed (marked ``~``, as
``bench.py --loop-max`` does); their answer is then the mean over the seeds run. Answers are compared where
both sides have at least two seeds: they agree when the means differ by at most ``AGREE_SE`` combined
standard errors plus ``--rtol`` of ours; a mismatch is printed as ``MISMATCH`` and the exit status is 1.

    python benchmarks/peer_zhang2024.py --peer-git /work/.mirror/yedizhang+unimodal-bias/repo \
        --replicas 1 16 64 --peer-max 4 [--json out.json]
"""
from __future__ import annotations

import argparse
import contextlib
import importlib
import io
import json
import math
import platform
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import SimpleNamespace

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

AGREE_SE = 3.0  # answers agree within this many combined standard errors (plus --rtol of ours)
REPEATS, REPEAT_BELOW_S = 5, 2.0  # our check: calls shorter than this are repeated, the median kept


@contextlib.contextmanager
def _peer_folder(folder: Path | None, git: Path | None) -> Iterator[tuple[Path, str]]:
    """The authors' code as a folder, and a label of where it came from (the commit for ``--peer-git``)."""
    if folder is not None:
        yield folder.resolve(), str(folder.resolve())
        return
    assert git is not None
    commit = subprocess.run(["git", "-C", str(git), "rev-parse", "HEAD"], capture_output=True, text=True,
                            check=True).stdout.strip()
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(["git", "-C", str(git), "archive", "HEAD"], capture_output=True, check=True).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(tmp, filter="data")
        yield Path(tmp), f"{git} at {commit[:12]}"


def load_peer(folder: Path) -> SimpleNamespace:
    """Import the authors' ``config``, ``data``, ``util`` and ``main`` from ``folder``, unedited.

    Their ``main`` does ``from sweep import *`` and ``sweep`` does ``from main import train``: importing
    ``sweep`` first lets ``main`` finish before ``sweep`` asks for ``train`` (as when ``main.py`` is run as a
    script). Their module-level prints are swallowed; ``main.device`` is set to the CPU."""
    import matplotlib

    matplotlib.use("Agg")  # before their `import matplotlib.pyplot` (they set font 'Arial'; nothing is drawn)
    sys.path.insert(0, str(folder))
    argv = sys.argv
    sys.argv = [str(folder / "main.py")]  # their config() parses sys.argv once, to print it
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            if (folder / "sweep.py").exists():
                importlib.import_module("sweep")
            modules = {name: importlib.import_module(name) for name in ("config", "data", "util", "main")}
    finally:
        sys.argv = argv
    import torch

    modules["main"].device = torch.device("cpu")
    return SimpleNamespace(**modules)


def peer_args(peer: SimpleNamespace, cfg: argparse.Namespace) -> argparse.Namespace:
    """Their argument namespace for the benchmark's configuration (``--sweep rho_sweep`` only selects their
    training loop's sweep behaviour: stop at loss < 1e-4 and return the results without plotting)."""
    argv = ["--mode", "deep_fusion", "--data", "toy", "--depth", str(cfg.depth), "--hid_width", str(cfg.width),
            "--dataset_size", str(cfg.n), "--init", str(cfg.init), "--lr", str(cfg.lr), "--ratio", str(cfg.ratio),
            "--rho", str(cfg.rho), "--noise", "0", "--epoch", str(cfg.epochs), "--plot_weight",
            "--sweep", "rho_sweep"]
    saved = sys.argv
    sys.argv = ["main.py"]
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            return peer.config.config().parse_args(argv)
    finally:
        sys.argv = saved


def warm_up_peer(peer: SimpleNamespace, args: argparse.Namespace) -> None:
    """Two epochs of every fusion layer, untimed (first-call costs of torch's kernels and autograd), as our
    side gets one untimed call."""
    import copy

    short = copy.copy(args)
    short.epoch = 2
    with contextlib.redirect_stdout(io.StringIO()):
        data = peer.data.gen_data(short)
        for lf in range(1, short.depth + 1):
            short.fuse_depth = lf
            peer.main.train(data, short)


def run_peer_seed(peer: SimpleNamespace, args: argparse.Namespace, seed: int) -> dict:
    """One seed of the authors' protocol (their ``sweep()``): one data set, then every fusion layer trained
    with their ``train`` and read with their ``time_half``. Returns seconds, and per ``L_f``: ``t_B / t_A``
    (NaN when their loss did not fall below 1e-3, which their sweep discards) and the epochs run."""
    import torch

    np.random.seed(seed)
    torch.manual_seed(seed)
    ratios, epochs = [], []
    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        data = peer.data.gen_data(args)
        for lf in range(1, args.depth + 1):
            args.fuse_depth = lf
            results = peer.main.train(data, args)
            losses, weights = results["Ls"], results["W"]
            t_a = peer.util.time_half(args, weights[:, 1])
            t_b = peer.util.time_half(args, weights[:, 0], True)
            ratios.append(t_b / t_a if losses[-1] < 1e-3 and t_a > 0 else math.nan)
            epochs.append(len(losses))
    return {"seconds": time.perf_counter() - start, "ratio": ratios, "epochs": epochs}


def our_params(cfg: argparse.Namespace) -> dict[str, float]:
    """``phase_durations`` parameters for the configuration (one configuration, no sweep)."""
    from checks.deep_linear_fusion import PHASE_PARAMS

    return {**PHASE_PARAMS, "L": cfg.depth, "width": cfg.width, "init": 1, "sigma_A": cfg.ratio, "sigma_B": 1.0,
            "rho": cfg.rho, "wA_star": 1.0, "wB_star": 1.0, "noise": 0.0, "n_samples": cfg.n, "u0": cfg.init,
            "eta": cfg.lr, "steps": cfg.epochs, "u0_points": 1, "ratio_points": 0}


def run_ours(params: dict[str, float], seeds: Sequence[int], max_batch: int | None = None) -> dict:
    """Our check, all ``seeds`` in one call (or in calls of at most ``max_batch``, the engine's
    ``--max-batch``). Returns seconds, ``t_B / t_A`` per replica and ``L_f`` and the GD steps the call ran
    per ``L_f`` (it stops at the end of the window in which the last replica crossed; with
    ``max_batch``, the steps of the longest call). A call shorter than ``REPEAT_BELOW_S`` is repeated, up to
    ``REPEATS`` calls in all, and the median is kept: on a shared machine one call of 0.15 s is at the
    mercy of the other processes, where the authors' seconds per seed are not."""
    from checks.deep_linear_fusion import _WINDOW, phase_durations
    from verifier.running import batching, compute

    times = []
    with compute.policy("auto", None):
        while not times or (len(times) < REPEATS and sum(times) < REPEAT_BELOW_S):
            start = time.perf_counter()
            out = batching.run_check(phase_durations, params, list(seeds), "cpu", [], max_batch=max_batch)
            times.append(time.perf_counter() - start)
    seconds = float(np.median(times))
    last = np.nanmax(np.fmax(out["t_A"], out["t_B"]), axis=0) / params["eta"]  # (L,) last crossing step
    steps = [min(int(params["steps"]), _WINDOW * math.ceil(math.ceil(s - 1e-9) / _WINDOW)) for s in last]
    return {"seconds": seconds, "ratio": out["time_ratio"], "steps": steps}


def mean_se(values: Sequence[float]) -> tuple[float, float, int]:
    """Mean, standard error (NaN below two values) and count of the finite values."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    if v.size == 0:
        return math.nan, math.nan, 0
    return float(v.mean()), float(v.std(ddof=1) / math.sqrt(v.size)) if v.size > 1 else math.nan, int(v.size)


def agreement(peer: tuple[float, float, int], ours: tuple[float, float, int], rtol: float) -> str:
    """``agree``, ``MISMATCH`` or why no verdict (fewer than two seeds on a side)."""
    if peer[2] < 2 or ours[2] < 2:
        return "n/a (one seed)"
    bound = AGREE_SE * math.hypot(peer[1], ours[1]) + rtol * abs(ours[0])
    return "agree" if abs(peer[0] - ours[0]) <= bound else "MISMATCH"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--peer", type=Path, help="a checkout of the authors' code")
    source.add_argument("--peer-git", type=Path, help="a git repository of the authors' code (HEAD is extracted)")
    parser.add_argument("--replicas", type=int, nargs="+", default=[1, 16, 64])
    parser.add_argument("--peer-max", type=int, default=4,
                        help="seeds of the authors' code timed; a larger R is scaled linearly ('~')")
    parser.add_argument("--max-batch", type=int, default=None,
                        help="our check: at most this many replicas per call (the engine's --max-batch)")
    parser.add_argument("--threads", type=int, default=1,
                        help="torch intra-op threads for the authors' code (our check runs on one CPU thread)")
    parser.add_argument("--depth", type=int, default=3, help="L (their --depth); L_f = 1 .. L are all trained")
    parser.add_argument("--width", type=int, default=100, help="hidden width (their --hid_width)")
    parser.add_argument("--n", type=int, default=8192, help="samples (their --dataset_size)")
    parser.add_argument("--init", type=float, default=0.1, help="init scale u0 (their --init)")
    parser.add_argument("--lr", type=float, default=0.04, help="GD step eta (their --lr)")
    parser.add_argument("--ratio", type=float, default=2.0, help="sigma_A / sigma_B (their --ratio)")
    parser.add_argument("--rho", type=float, default=0.0, help="correlation (their --rho)")
    parser.add_argument("--epochs", type=int, default=5000, help="most GD steps per fusion layer, both sides")
    parser.add_argument("--rtol", type=float, default=0.05, help="relative slack of the answer comparison")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures as JSON")
    cfg = parser.parse_args()
    if min(cfg.replicas) < 1 or cfg.peer_max < 1:
        parser.error("--replicas and --peer-max must be positive")
    import torch

    torch.set_num_threads(cfg.threads)
    params = our_params(cfg)
    run_ours(params, [0])  # warm-up: imports, allocator
    with _peer_folder(cfg.peer, cfg.peer_git) as (folder, label):
        peer = load_peer(folder)
        args = peer_args(peer, cfg)
        warm_up_peer(peer, args)
        seeds = list(range(min(max(cfg.replicas), cfg.peer_max)))
        peer_runs = [run_peer_seed(peer, args, seed) for seed in seeds]
    print(f"authors' code: {label}; CPU {platform.processor() or platform.machine()}, torch {torch.__version__}, "
          f"their threads {cfg.threads}, ours 1; our max batch {cfg.max_batch or 'all'}")
    print(f"config: L = {cfg.depth}, L_f = 1..{cfg.depth}, width {cfg.width}, n = {cfg.n}, init {cfg.init} "
          f"(Gaussian, the authors'), lr {cfg.lr}, sigma_A/sigma_B = {cfg.ratio}, rho = {cfg.rho}, "
          f"at most {cfg.epochs} steps; seeds 0..R-1 on each side (different random streams)")
    print(f"{'R':>4} {'authors s':>10} {'ours s':>8} {'authors rep/s':>13} {'ours rep/s':>10} {'speed-up':>9} "
          f"{'at equal steps':>14}")
    figures = []
    answer_rows = []
    depths = range(1, cfg.depth + 1)
    for replicas in cfg.replicas:
        ours = run_ours(params, range(replicas), cfg.max_batch)
        used = peer_runs[:replicas]
        peer_seconds = sum(r["seconds"] for r in used) * replicas / len(used)
        peer_steps = sum(sum(r["epochs"]) for r in used) * replicas / len(used)
        equal = peer_seconds * sum(ours["steps"]) * replicas / peer_steps  # their seconds at our step count
        mark = "~" if len(used) < replicas else " "
        speedup, speedup_equal = peer_seconds / ours["seconds"], equal / ours["seconds"]
        print(f"{replicas:>4} {mark}{peer_seconds:>9.2f} {ours['seconds']:>8.3f} {replicas / peer_seconds:>13.3f} "
              f"{replicas / ours['seconds']:>10.1f} {speedup:>8.1f}x {speedup_equal:>13.1f}x")
        answers = []
        for j, lf in enumerate(depths):
            theirs = mean_se([r["ratio"][j] for r in used])
            mine = mean_se(ours["ratio"][:, j])
            verdict = agreement(theirs, mine, cfg.rtol)
            steps = (float(np.mean([r["epochs"][j] for r in used])), ours["steps"][j])
            answers.append({"L_f": lf, "authors": theirs, "ours": mine, "verdict": verdict, "steps": steps})
            answer_rows.append((replicas, lf, theirs, mine, steps, verdict))
        figures.append({"replicas": replicas, "authors_s": peer_seconds, "authors_seeds_timed": len(used),
                        "ours_s": ours["seconds"], "speedup": speedup, "speedup_equal_steps": speedup_equal,
                        "answers": answers})

    def shown(stat: tuple[float, float, int]) -> str:
        return f"{stat[0]:.3f} +- {stat[1]:.3f} (n={stat[2]})" if stat[2] > 1 else f"{stat[0]:.3f} (n={stat[2]})"

    print("\nanswer: mean t_B / t_A +- standard error; GD steps per seed and L_f (authors' mean / our call)")
    print(f"{'R':>4} {'L_f':>3} {'authors':>24} {'ours':>24} {'steps':>12}  verdict")
    for replicas, lf, theirs, mine, steps, verdict in answer_rows:
        print(f"{replicas:>4} {lf:>3} {shown(theirs):>24} {shown(mine):>24} {steps[0]:>6.0f}/{steps[1]:<5}  {verdict}")
    print("\nDefinitions: authors' t_A, t_B = whole epochs nearest to half of the population W_A^uni and to half "
          "the largest W_B^tot of a run trained to loss < 1e-4; ours = interpolated first crossings of half the "
          "sample W_A^uni and half the sample least-squares W_B^*, training stopped once all replicas crossed.")
    mismatch = any(row[-1] == "MISMATCH" for row in answer_rows)
    if cfg.json:
        cfg.json.write_text(json.dumps({"peer": label, "threads": cfg.threads, "max_batch": cfg.max_batch,
                                        "figures": figures, "mismatch": mismatch}, indent=2))
    if mismatch:
        print("MISMATCH: the two sides' answers differ beyond the tolerance", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
