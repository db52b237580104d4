"""Effect of float32 against float64 on what a paper's checks measure and on its verdicts.

Runs ``verify paper KEY`` twice in subprocesses, ``--precision float64`` and ``--precision float32``
(same seeds, no cache), and prints, per result, both verdicts and the largest relative change of any
measured mean; checks with a fixed precision say so and are unchanged by construction.

    python benchmarks/precision.py huang2022 [--profile quick] [--device cpu] [--threads N] [--threshold 1e-3]
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_paper(paper: str, precision: str, profile: str, device: str, threads: int | None,
              folder: Path) -> tuple[dict, float]:
    out = folder / f"{precision}.json"
    start = time.perf_counter()
    command = [sys.executable, "-m", "verifier.interfaces.cli", "paper", paper, "--profile", profile, "--device", device,
               "--precision", precision, "--no-cache", "--quiet", "--store", str(folder / f"{precision}.sqlite"),
               "--json", str(out)] + (["--threads", str(threads)] if threads else [])
    subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if not out.exists():
        raise SystemExit(f"verify paper {paper} --precision {precision} wrote no report")
    return json.loads(out.read_text()), time.perf_counter() - start


def relative_change(a: float | None, b: float | None) -> float:
    if a is None or b is None:
        return 0.0 if a == b else float("inf")
    return abs(a - b) / max(abs(a), 1e-12)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paper")
    parser.add_argument("--profile", default="quick")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--threads", type=int, default=None, help="intra-op CPU threads of the runs")
    parser.add_argument("--threshold", type=float, default=1e-3, help="list measurements that move more than this")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        exact, t64 = run_paper(args.paper, "float64", args.profile, args.device, args.threads, Path(tmp))
        print(f"float64 run: {t64:.0f} s", flush=True)
        single, t32 = run_paper(args.paper, "float32", args.profile, args.device, args.threads, Path(tmp))
    print(f"{args.paper} ({args.profile}, {args.device}): float64 {t64:.0f} s, float32 {t32:.0f} s")
    by_id = {r["id"]: r for r in single["results"]}
    same = 0
    for r64 in exact["results"]:
        r32 = by_id[r64["id"]]
        changes = {name: relative_change(s.get("mean"), r32.get("measurements", {}).get(name, {}).get("mean"))
                   for name, s in r64.get("measurements", {}).items()}
        moved = sorted(((c, n) for n, c in changes.items() if c > args.threshold), reverse=True)
        fixed = any("not applied" in note for note in r32.get("check_notes", []))
        same += r64["verdict"] == r32["verdict"]
        flag = "" if r64["verdict"] == r32["verdict"] else "  <- verdict changed"
        detail = "fixed precision" if fixed else (", ".join(f"{n} {c:.1e}" for c, n in moved[:3]) or
                                                   f"all means within {args.threshold:g}")
        print(f"{r64['id']:<42} {r64['verdict']:>12} {r32['verdict']:>12}  {detail}{flag}")
    print(f"verdicts identical: {same}/{len(exact['results'])}")


if __name__ == "__main__":
    main()
