"""Fixed against adaptive verification: replicas, seconds and verdicts side by side (issue 22, point 1).

Each named result (and what it uses) is judged twice in this process, without a store or cache: once
at the profile's replica count, once with ``--adaptive`` (rounds of max(8, replicas/8) until every
claim is decided by its anytime-valid test). Per result it prints the verdicts, the replicas each run
used and the claims that had no sequential test; then the seconds of both whole runs.

    python benchmarks/adaptive.py huang2024/lemma-b.1 --profile quick --device cpu
    python benchmarks/adaptive.py huang2022/lemma-a.14 huang2024/lemma-b.1 --json adaptive.json
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._options import add_device_and_precision, resolved_device


def judge(targets: list[str], profile: str, device: str, precision: str, seed: int,
          adaptive: bool) -> tuple[dict[str, dict[str, Any]], float]:
    """The records of one run of ``targets`` (by id) and its wall-clock seconds."""
    from verifier.running import registry as reg
    from verifier.running.runner import Options, Runner

    registry = reg.load()
    options = Options(profile=profile, device=device, precision=precision, seed=seed, use_cache=False,
                      readings="default", adaptive=adaptive)
    start = time.perf_counter()
    record = Runner(registry, options, None).run(targets, argv=["benchmarks/adaptive.py"])
    return {item["id"]: item for item in record.results}, time.perf_counter() - start


def compare(fixed: dict[str, dict[str, Any]], adaptive: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per empirical result: verdicts and replicas of both runs, and its claims without a
    sequential test."""
    rows = []
    for rid, item in fixed.items():
        other = adaptive[rid]
        if not item.get("replicas"):
            continue
        rows.append({"result": rid, "fixed_verdict": item["verdict"], "adaptive_verdict": other["verdict"],
                     "fixed_replicas": item["replicas"], "adaptive_replicas": other["replicas"],
                     "maximum": other.get("replicas_maximum", item["replicas"]),
                     "not_adaptive": sorted((other.get("adaptive") or {}).get("not_adaptive", {}))})
    return rows


def table(rows: list[dict[str, Any]], totals: tuple[float, float]) -> str:
    """Results side by side, then the totals. Seconds are those of the whole runs: results that read
    the same check share its replicas (an adaptive run extends the prefix another result stopped at)."""
    header = f"{'result':32} {'fixed':>13} {'adaptive':>13} {'replicas':>9} {'used':>9}  claims not adaptive"
    lines = [header, "-" * len(header)]
    for r in rows:
        lines.append(f"{r['result']:32} {r['fixed_verdict']:>13} {r['adaptive_verdict']:>13} {r['fixed_replicas']:>9} "
                     f"{r['adaptive_replicas']:>4}/{r['maximum']:<4}  {len(r['not_adaptive'])}")
    fixed_total = sum(r["fixed_replicas"] for r in rows)
    used_total = sum(r["adaptive_replicas"] for r in rows)
    lines.append(f"replicas judged: {used_total} of {fixed_total} ({1 - used_total / max(fixed_total, 1):.0%} fewer); "
                 f"whole runs: {totals[0]:.1f} s fixed, {totals[1]:.1f} s adaptive "
                 f"({1 - totals[1] / totals[0]:.0%} saved); verdicts differ: "
                 f"{sum(r['fixed_verdict'] != r['adaptive_verdict'] for r in rows)} of {len(rows)}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", nargs="+", help="result ids, e.g. huang2024/lemma-b.1")
    parser.add_argument("--profile", default="quick")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", type=Path, default=None, metavar="PATH", help="also write the rows as JSON")
    add_device_and_precision(parser)
    args = parser.parse_args(argv)
    device = resolved_device(parser, args.device)
    from verifier.running import registry as reg

    unknown = [r for r in args.results if r not in reg.load().results]
    if unknown:
        parser.error(f"unknown result {unknown[0]!r} (expected a full id such as huang2024/lemma-b.1)")
    fixed, fixed_s = judge(args.results, args.profile, device, args.precision, args.seed, adaptive=False)
    adaptive, adaptive_s = judge(args.results, args.profile, device, args.precision, args.seed, adaptive=True)
    rows = compare(fixed, adaptive)
    print(table(rows, (fixed_s, adaptive_s)))
    if args.json:
        args.json.write_text(json.dumps({"rows": rows, "seconds": {"fixed": fixed_s, "adaptive": adaptive_s}}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
